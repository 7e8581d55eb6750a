/*
 * bind.h: the binder's public API — a libpg_query statement tree in, a
 * bound logical plan (planner/plan.h) out.
 *
 * Binding resolves every name (relations through relation_lookup() and the
 * session's search_path, columns through the FROM scope, functions and
 * operators through func_resolve()/agg_resolve()), gives every expression a
 * type with PostgreSQL's rules (unknown literals adapt to their context,
 * implicit casts are inserted as executor/expr.h's cast_kind() allows) and
 * raises PostgreSQL's errors with positions (42703, 42702, 42P01, 42804,
 * 42883, 42803, 0A000 for what Laminar does not support).  The plan is then
 * tidied by planner_optimize() (equi-join keys, filter push-down) — already
 * done by bind_statement().
 *
 * Everything is allocated in bc->arena (statement lifetime); nothing is
 * allocated per row, now or later.
 */
#ifndef LM_BIND_H
#define LM_BIND_H

#include "executor/exec.h"
#include "common/strbuf.h"
#include <pg_query/pg_query.pb-c.h>

typedef struct BindContext {
    ExecContext *ctx;       /* relation_lookup, settings (search_path) via ctx->svc */
    Arena *arena;           /* statement arena: the plan lives here */
    const char *query_text; /* the client's text (locations are byte offsets into it) */
    /*
     * Parameters $1..$n.  In: nparams types as the client declared them (NULL or
     * TYPE_UNKNOWN entries: unspecified).  Out: the array is replaced (in arena) by one with an
     * entry for every parameter the statement uses or declared, each resolved: unspecified
     * ones are inferred from their context (`id = $1` → type of id, `$1::int`, INSERT VALUES
     * ($1) → column type) and default to text.  ParameterDescription sends these.
     */
    int nparams;
    const LmType **param_types;
    /* Pipelines bind `INSERT INTO sink_or_table SELECT ...`: allow source/sink tables as
     * INSERT targets (ad-hoc statements may only modify plain tables). */
    bool allow_stream_targets;
    struct BindPrivate *priv; /* the binder's working state; callers leave it NULL */
} BindContext;

/*
 * Binds one SELECT / VALUES / INSERT / UPDATE / DELETE (the RawStmt's stmt node) and returns
 * the optimised logical plan; its cols are the result columns (names as PostgreSQL derives
 * them).  EXPLAIN statements go through bind_explain().  Other statements raise 0A000.
 */
PlanNode *bind_statement(BindContext *bc, PgQuery__Node *stmt);

/* true for statements bind_statement()/bind_explain() handle. */
bool bind_supports(const PgQuery__Node *stmt);

/*
 * EXPLAIN [VERBOSE] stmt: binds the inner statement and appends its plan as text lines
 * ("QUERY PLAN" rows, '\n'-separated) to out.  EXPLAIN ANALYZE raises 0A000.
 */
void bind_explain(BindContext *bc, PgQuery__Node *explain_stmt, StrBuf *out);

/*
 * Binds a stand-alone expression with no FROM scope (column DEFAULTs, watermark
 * expressions) and coerces it to want (NULL: keep its own type; unknown becomes text).
 */
Expr *bind_expression(BindContext *bc, PgQuery__Node *expr, const LmType *want);

/* Resolves a type name as written (PREPARE's parameter types, casts); 42704 when unknown. */
const LmType *bind_typename(BindContext *bc, PgQuery__TypeName *tn);

/* Post-binding rewrites (planner/planner.c): filter push-down below joins, equi-join keys.
 * Returns the plan to run (may be plan itself). */
PlanNode *planner_optimize(Arena *a, PlanNode *plan);

#endif
