/*
 * expr.h: vectorized expression evaluation.
 *
 * An ExprState is built once per operator instance from a bound Expr.
 * expr_eval() evaluates the expression for the live rows of a batch (its
 * selection vector, if any) and returns a vector whose values at those row
 * positions are the results; other positions are undefined.  The result is
 * valid until the next expr_eval() on the same state.  Work per call is a
 * handful of kernel calls per expression node — never a call per row through
 * a function pointer, never an allocation per row.
 *
 * Errors (22012 division by zero, 22003 overflow, 22P02 bad cast input, ...)
 * are raised with ereport() and carry the expression's location.
 */
#ifndef LM_EXPR_H
#define LM_EXPR_H

#include "executor/exec.h"

typedef struct ExprState ExprState;

ExprState *expr_init(ExecContext *ctx, const Expr *e);
Vector *expr_eval(ExprState *es, const Batch *in);
/* For a BOOLEAN expression: writes the live rows of in for which it is TRUE (not NULL, not
 * FALSE) into sel_out (capacity LM_BATCH_SIZE), in order; returns their count. */
int expr_filter(ExprState *es, const Batch *in, uint16 *sel_out);
/* Evaluates an expression that references no columns (constants, parameters, functions of
 * them) once; the result is a 1-row vector in the context's arena. */
Vector *expr_eval_const(ExecContext *ctx, const Expr *e);

/*
 * Casts: whether a cast from one type to another exists, and whether it may be applied
 * implicitly (PostgreSQL's rules: integer widening, integer -> numeric -> float, unknown
 * literal -> anything, date -> timestamp, string-like <-> json explicit, ...).
 */
typedef enum CastKind { CAST_NONE = 0, CAST_EXPLICIT, CAST_ASSIGNMENT, CAST_IMPLICIT } CastKind;
CastKind cast_kind(const LmType *from, const LmType *to);
/* Casts the live rows of in (per sel of batch b) into out (type of out). */
void cast_vector(ExecContext *ctx, const Vector *in, const Batch *b, Vector *out, int location);
/* As cast_vector; explicit_cast selects CAST/:: semantics where they differ from assignment
 * (a too long value for VARCHAR(n) is truncated instead of raising 22001).  location is the
 * 0-based byte offset reported with input errors, -1 for none.  Var-width results go to
 * out->arena (ctx->arena when NULL). */
void cast_vector_ext(ExecContext *ctx, const Vector *in, const Batch *b, Vector *out, int location,
                     bool explicit_cast);

#endif
