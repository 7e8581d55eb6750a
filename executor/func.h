/*
 * func.h: the function and aggregate registry.
 *
 * Every scalar function and operator ("+", "=", "||", "~~" for LIKE, ...)
 * is a FuncDesc with a vectorized kernel; every aggregate is an AggDesc with
 * vectorized update.  The binder resolves a call by name and argument types
 * with PostgreSQL's rules (exact match, then the candidate needing the
 * fewest/most-preferred implicit casts; unknown literals adapt; 42883 when
 * nothing fits, 42725 when it is ambiguous) and records the chosen
 * descriptor in the Expr.  pg_proc is generated from this registry, so psql's
 * \df lists exactly what exists.
 */
#ifndef LM_FUNC_H
#define LM_FUNC_H

#include "executor/exec.h"

#define FUNC_MAX_ARGS 8

/* Argument type classes beyond TypeId for signatures. */
#define FT_ANY (TYPE__COUNT + 1)          /* any type (polymorphic) */
#define FT_ANYARRAY (TYPE__COUNT + 2)     /* any ARRAY */
#define FT_ANYELEMENT (TYPE__COUNT + 3)   /* element of the FT_ANYARRAY argument */
#define FT_ANYNUMERIC (TYPE__COUNT + 4)   /* any integer, float or decimal */
#define FT_ANYNONARRAY (TYPE__COUNT + 5)  /* any type but ARRAY (text || anynonarray) */

enum {
    FN_STRICT = 1,   /* NULL in any argument gives NULL (handled by the evaluator) */
    FN_VOLATILE = 2, /* may differ per call (random, clock_timestamp): never constant-folded */
    FN_STABLE = 4,   /* same within a statement (now, current_setting) */
    FN_OPERATOR = 8, /* an operator: name is the symbol */
    FN_VARIADIC = 16, /* last argument repeats (concat, json_build_object, coalesce-like) */
    FN_SESSION = 32   /* reads session state the statement itself may change (current_setting
                         after set_config): never constant-folded, evaluated per batch as
                         PostgreSQL evaluates per row; pg_proc still shows the volatility flag */
};

typedef struct FuncCall {
    ExecContext *ctx;
    const Expr *expr; /* the call site (location for errors) */
    Arena *scratch;   /* per-batch scratch, reset by the evaluator */
    void *cache;      /* per-call-site state the kernel may keep (compiled regex, ...) */
} FuncCall;

/* Computes out[r] for every live row r of b (b->sel/count) from args[i][r].  With FN_STRICT
 * the evaluator has already set out NULL where an argument is NULL and passes a batch whose
 * selection holds only the remaining rows. */
typedef void (*ScalarKernel)(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
/* Result type from argument types (NULL: use FuncDesc.ret). */
typedef const LmType *(*ReturnTypeFn)(Arena *a, int nargs, const LmType **argtypes);
/* Result type that also depends on constant argument values: extract(field FROM x) returns
 * numeric whose scale depends on the field (epoch/second 6, milliseconds 3, year 0).
 * const_args[i] is the 1-row vector of a constant argument (EXPR_CONST), NULL otherwise.  When a
 * FuncDesc has one, the binder calls it after resolution and, if it returns non-NULL, uses that
 * type instead of resolve_ret's; kernels read the scale from out->type, so results are right
 * either way (only the printed scale differs). */
typedef const LmType *(*ConstReturnTypeFn)(Arena *a, int nargs, const LmType **argtypes,
                                           Vector *const *const_args);

struct FuncDesc {
    const char *name;
    Oid oid; /* pg_proc oid */
    int nargs;
    int args[FUNC_MAX_ARGS]; /* TypeId or FT_* */
    int ret;                 /* TypeId or FT_*; see resolve_ret */
    ReturnTypeFn resolve_ret;
    ScalarKernel kernel;
    unsigned flags;
    const char *description;
    ConstReturnTypeFn resolve_ret_const; /* optional; see ConstReturnTypeFn */
};

/* Aggregates: one state per group, stored in a flat array of state_size bytes each. */
typedef struct AggKernelArgs {
    ExecContext *ctx;
    const AggCall *call;
    Arena *arena; /* lives as long as the aggregation (var-width state goes here) */
} AggKernelArgs;

struct AggDesc {
    const char *name;
    Oid oid;
    int nargs; /* 0 for count(*) */
    int args[FUNC_MAX_ARGS];
    int ret;
    ReturnTypeFn resolve_ret;
    size_t state_size;
    void (*init)(AggKernelArgs *k, void *state);
    /* For each live row r of b: update state of group group_ids[r] (states + id*state_size). */
    void (*update)(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *group_ids,
                   char *states);
    /* Folds src into dst (parallel partial aggregation). */
    void (*merge)(AggKernelArgs *k, void *dst, const void *src);
    /* Writes the group's result into out[row]. */
    void (*finalize)(AggKernelArgs *k, const void *state, Vector *out, int row);
    bool strict; /* rows with a NULL argument are skipped (all SQL aggregates but count(*)) */
    const char *description;
};

/* Resolution.  cast_to receives, per argument, the type the argument must be cast to (NULL:
 * no cast).  Return NULL when nothing matches (callers raise 42883 with the signature). */
const FuncDesc *func_resolve(Arena *a, const char *name, int nargs, const LmType **argtypes,
                             const LmType **cast_to, const LmType **ret_out);
const AggDesc *agg_resolve(Arena *a, const char *name, int nargs, const LmType **argtypes,
                           const LmType **cast_to, const LmType **ret_out);
/* As above; *ambiguous (may be NULL) is set when several candidates fit equally well (42725). */
const FuncDesc *func_resolve_full(Arena *a, const char *name, int nargs, const LmType **argtypes,
                                  const LmType **cast_to, const LmType **ret_out, bool *ambiguous);
const AggDesc *agg_resolve_full(Arena *a, const char *name, int nargs, const LmType **argtypes,
                                const LmType **cast_to, const LmType **ret_out, bool *ambiguous);
bool func_exists(const char *name); /* any overload: for "function does not exist" hints */
bool agg_exists(const char *name);

/*
 * The registry is the union of static tables, one per group of functions, each defined in its
 * own file as `const FuncDesc lm_funcs_GROUP[]` with `const int lm_nfuncs_GROUP`:
 * arith, compare, bool (operators), string, regex, math, datetime, json, array, pgcatalog,
 * admin (advisory locks, settings).  Aggregates: `const AggDesc lm_aggs[]`, `lm_naggs`.
 */
#define LM_FUNC_GROUPS(X)                                                                          \
    X(arith) X(compare) X(string) X(regex) X(math) X(datetime) X(json) X(array) X(pgcatalog)      \
        X(admin)
#define LM_DECLARE_FUNC_GROUP(g)                                                                   \
    extern const FuncDesc lm_funcs_##g[];                                                          \
    extern const int lm_nfuncs_##g;
LM_FUNC_GROUPS(LM_DECLARE_FUNC_GROUP)
extern const AggDesc lm_aggs[];
extern const int lm_naggs;

/*
 * What the pg_catalog functions (fn_pgcatalog.c: pg_table_is_visible, pg_get_indexdef,
 * has_table_privilege('name', ...), pg_get_function_arguments, ...) need to know about
 * relations and pg_proc OIDs.  That knowledge lives in the planner's system-view registry
 * (planner/sysview.c), above the executor, so the planner hands it down once at start-up with
 * func_set_catalog_hooks() instead of the executor calling up.  Any hook may be NULL; strings
 * returned live in the given arena (or are static).
 */
typedef struct FuncCatalogHooks {
    /* what a pg_class OID names: schema, name, relkind ('r', 'v', 'f', 'i'); false if nothing */
    bool (*relation_by_oid)(ExecContext *ctx, Arena *a, Oid oid, const char **schema,
                            const char **name, char *relkind);
    /* [schema.]name as the binder resolves it (search_path); false if no such relation */
    bool (*relation_by_name)(ExecContext *ctx, Arena *a, const char *schema, const char *name,
                             Oid *oid);
    /* pg_get_indexdef / pg_get_constraintdef / pg_get_viewdef text, NULL if not one */
    const char *(*indexdef_by_oid)(ExecContext *ctx, Arena *a, Oid index_oid);
    const char *(*constraintdef_by_oid)(ExecContext *ctx, Arena *a, Oid constraint_oid);
    const char *(*viewdef_by_oid)(ExecContext *ctx, Arena *a, Oid view_oid);
    /* the registry entry behind a pg_proc OID (one of *func / *agg set); false if none */
    bool (*proc_by_oid)(Oid oid, const FuncDesc **func, const AggDesc **agg);
} FuncCatalogHooks;
void func_set_catalog_hooks(const FuncCatalogHooks *hooks); /* copies *hooks */

/* Iteration over the registry (pg_proc, \df). */
int func_count(void);
const FuncDesc *func_at(int i);
int agg_count(void);
const AggDesc *agg_at(int i);

#endif
