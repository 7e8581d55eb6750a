/*
 * bind_int.h: declarations shared by the binder's files (bind_*.c,
 * relation.c, planner.c, explain.c) and by nobody else.
 *
 * Name resolution works on a flat scope per query level: every column the
 * FROM clause produces is a ScopeCol naming its qualifier (table alias), its
 * name and its index in the FROM plan's output.  Joins concatenate scopes
 * (left then right, as PLAN_JOIN concatenates columns); USING/NATURAL joins
 * add merged columns that hide the originals from unqualified lookup and
 * from `*`.  Query levels (BindLevel) chain outwards for correlated
 * subqueries: a column found n levels out becomes EXPR_OUTER levels_up=n.
 *
 * Aggregates and window functions found while binding a level's target
 * list, HAVING and ORDER BY are collected into the level and replaced by
 * placeholder column references (levels_up AGG_REF / WIN_REF); once the
 * whole level is bound, bind_select.c rewrites the expressions above the
 * aggregate into references to its output (grouping expressions, then
 * aggregates) and raises 42803 for input columns that are neither grouped
 * nor aggregated.
 */
#ifndef LM_BIND_INT_H
#define LM_BIND_INT_H

#include "planner/bind.h"
#include "planner/relation.h"
#include "executor/func.h"
#include "executor/expr.h"
#include "common/error.h"

/* Placeholder markers in Expr.levels_up of EXPR_COLUMN (never leave the binder). */
#define AGG_REF (-1)
#define WIN_REF (-2)
/* SESSION_START (index 0) / SESSION_END (index 1): the session aggregate's window columns */
#define SESSION_REF (-3)
/* a set-returning function of the select list (index: its number in BindLevel.srfs) */
#define SRF_REF (-4)

enum {
    SC_UNQUALIFIED = 1, /* found by an unqualified name */
    SC_STAR = 2,        /* part of SELECT * */
};

typedef struct ScopeCol {
    const char *qual;   /* table alias or name; NULL for merged USING columns */
    const char *schema; /* relation's schema (for schema.table.column) or NULL */
    const char *name;
    const LmType *type;
    int index; /* column of the level's FROM output */
    unsigned flags;
    Oid table_oid;
    int16 attnum;
    /* set for columns of a relation scanned directly: its columns sit at consecutive indexes,
     * index - (attnum - 1) is the first (GROUP BY primary key → functional dependency) */
    const Relation *rel;
} ScopeCol;

typedef struct Scope {
    int ncols;
    int cap;
    ScopeCol *cols;
} Scope;

typedef struct CteDef {
    const char *name;
    PgQuery__CommonTableExpr *cte;
} CteDef;

typedef enum ExprPlace {
    PLACE_NONE = 0, /* no aggregates allowed: WHERE, ON, VALUES, ... */
    PLACE_TARGET,   /* target list, HAVING, ORDER BY: aggregates and windows allowed */
    PLACE_HAVING,   /* aggregates allowed, window functions not */
} ExprPlace;

/* The binder's working state for one bind_statement() call (BindContext.priv). */
typedef struct BindPrivate {
    int pcap; /* capacity of bc->param_types while binding */
    int nparam_exprs, param_expr_cap;
    Expr **param_exprs;    /* every EXPR_PARAM built: retyped once parameter types are final */
    int pending_cte_limit; /* bind_select: the next level's parent_cte_limit (-1: none) */
    /* INSERT ... SELECT: the target column types, so that the SELECT's untyped literals take
     * them directly (as PostgreSQL does) instead of becoming text; consumed by the next
     * bind_select */
    int ntarget_hint;
    const LmType **target_hint;
} BindPrivate;

/* A set-returning function call of a select list (bind_srf.c). */
typedef struct BindSrf {
    const char *name; /* unnest, generate_series, generate_subscripts */
    int nargs;
    Expr **args; /* over the level's input */
    const LmType *type;
} BindSrf;

typedef struct BindLevel BindLevel;
struct BindLevel {
    BindLevel *parent;
    bool barrier;         /* a CTE body: outer references not supported */
    bool transparent;     /* a set operation or FROM subquery: not an execution level of its own,
                             so outer references do not count it */
    int parent_cte_limit; /* CTE bodies see only the CTEs declared before them */
    Scope scope;
    int nctes;
    CteDef *ctes;
    bool has_outer_refs; /* something in this level references an enclosing level */
    /* aggregate / window collection */
    ExprPlace place;
    bool in_agg_args;       /* binding an aggregate's arguments: nested aggregates are errors */
    const char *place_name; /* "WHERE", "JOIN conditions", ... for error messages */
    int naggs, aggcap;
    AggCall *aggs;
    int nwins, wincap;
    WindowCall *wins;
    int nwindefs;
    PgQuery__Node **windefs; /* the WINDOW clause */
    /* GROUP BY TUMBLE/HOP/SESSION of this level (bind_window.c); NULL: none */
    struct BindGroupWindow *gwin;
    /* set-returning functions of the select list (bind_srf.c) */
    int nsrfs, srfcap;
    BindSrf *srfs;
};

/* ---- bind_select.c ---- */
/* How a query's level relates to its parent. */
typedef enum LevelKind {
    LEVEL_SUBQUERY = 0, /* a subquery in an expression: one execution level further out */
    LEVEL_INLINE,       /* a FROM subquery: part of the parent's plan, so it does not count
                           as a level for EXPR_OUTER.levels_up */
    LEVEL_CTE,          /* a CTE body: inlined where referenced; outer references rejected */
} LevelKind;

/* Binds a query as a new level under parent; *correlated (if not NULL) tells whether it
 * references enclosing levels. */
PlanNode *bind_select(BindContext *bc, BindLevel *parent, PgQuery__SelectStmt *s, LevelKind kind,
                      bool *correlated);
/* Binds a FROM item list into one plan (cross joined), filling level->scope. */
PlanNode *bind_from_list(BindContext *bc, BindLevel *lv, PgQuery__Node **items, int n);
/* Result column name PostgreSQL derives for a raw target expression. */
const char *bind_figure_colname(PgQuery__Node *n);
/* Wraps child with a projection of exprs (named). */
PlanNode *bind_make_project(BindContext *bc, PlanNode *child, int n, Expr **exprs,
                            const char **names);
PgQuery__SelectStmt *bind_get_select(PgQuery__Node *n);
/* A new query level (consumes priv->pending_cte_limit). */
BindLevel *bind_new_level(BindContext *bc, BindLevel *parent, LevelKind kind);

/* ---- bind_expr.c ---- */
Expr *bind_expr(BindContext *bc, BindLevel *lv, PgQuery__Node *n);
/* Coerces e to type want: "implicit" (operators, functions), "assignment" (INSERT/UPDATE)
 * or explicit (CAST).  Raises 42804/42846 with location. */
typedef enum CoerceMode { COERCE_IMPLICIT = 0, COERCE_ASSIGNMENT, COERCE_EXPLICIT } CoerceMode;
Expr *bind_coerce(BindContext *bc, Expr *e, const LmType *want, CoerceMode mode, int location);
/* Same, but returns NULL instead of raising when no cast exists. */
Expr *bind_try_coerce(BindContext *bc, Expr *e, const LmType *want, CoerceMode mode);
/* Coerces to BOOLEAN for a clause ("argument of WHERE must be type boolean, not type ..."). */
Expr *bind_coerce_bool(BindContext *bc, Expr *e, const char *clause);
/* Resolves unknown literals/params in e to text. */
Expr *bind_resolve_unknown(BindContext *bc, Expr *e);
/* PostgreSQL's common type of several expressions (UNION, CASE, COALESCE, IN, VALUES) —
 * 42804 "%s types %s and %s cannot be matched" when none. */
const LmType *bind_common_type(BindContext *bc, int n, Expr **exprs, const char *context);
const LmType *bind_typename(BindContext *bc, PgQuery__TypeName *tn);
Expr *bind_const_int(BindContext *bc, int64 v, int location);
Expr *bind_const_bool(BindContext *bc, bool v, int location);
Expr *bind_const_null(BindContext *bc, const LmType *t, int location);
Expr *bind_const_text(BindContext *bc, const char *s, int location);
/* Builds an operator call "a op b" (op resolved by func_resolve); b NULL for prefix ops. */
Expr *bind_operator(BindContext *bc, const char *op, Expr *a, Expr *b, int location);
/* Column lookup in a scope: index into scope->cols or -1; raises 42702 if ambiguous. */
int bind_scope_find(const Scope *s, const char *schema, const char *qual, const char *name,
                    int location);
void bind_scope_add(Arena *a, Scope *s, const ScopeCol *c);
/* Binds a column default (RelColumn.default_expr text). */
Expr *bind_default(BindContext *bc, const RelColumn *col, int location);
const char *bind_type_display(BindContext *bc, const LmType *t); /* "integer", "text", ... */
bool bind_expr_equal(const Expr *a, const Expr *b);
/* Does the expression contain a subquery / a volatile function? */
bool bind_expr_has_subquery(const Expr *e);
const char *bind_strval(PgQuery__Node *n); /* String node's value or NULL */
/* protobuf-c gives absent optional strings as "": NULL for those */
static inline const char *bind_nz(const char *s)
{
    return s && *s ? s : NULL;
}
void bind_unsupported(int location, const char *what) LM_NORETURN;

/* ---- bind_types.c ---- */
/* A 1-row constant: expression type exprtype, value vector of valtype (they differ only for
 * UNKNOWN literals, whose value is their STRING text). */
Expr *bind_make_const(BindContext *bc, const LmType *exprtype, const LmType *valtype, int loc);
Expr *bind_const_unknown(BindContext *bc, const char *s, int location); /* 'literal' */
Expr *bind_numeric_literal(BindContext *bc, const char *text, int location);
Expr *bind_param(BindContext *bc, PgQuery__ParamRef *pr);

/* ---- bind_window.c: event-time windows ---- */
/* The GROUP BY window of a level: the bound window and, for TUMBLE/HOP, the input column index
 * of window_start (window_end follows it). */
typedef struct BindGroupWindow {
    GroupWindow gw;
    int ws_index;
} BindGroupWindow;
/* Is this GROUP BY item TUMBLE(...), HOP(...) or SESSION(...)? */
bool bind_is_group_window(PgQuery__Node *n);
/* Binds a GROUP BY window over the level's input p (lv->gwin set).  TUMBLE/HOP: returns p under
 * a PLAN_WINDOW_ASSIGN and stores the two group keys (window_start, window_end) in keys[0..1],
 * returning 2 in *nkeys; SESSION: returns p and *nkeys = 0 (the aggregate carries the window). */
PlanNode *bind_group_window(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc, PlanNode *p,
                            Expr **keys, int *nkeys);
/* tumble/hop/session and their _start/_end helpers in expressions (NULL: not one of them). */
Expr *bind_window_func(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc, const char *name);
/* FROM TUMBLE(t, ts, size) / HOP(t, ts, slide, size); NULL when fn is not such a call. */
/* bind_infer.c: FROM laminar.infer_schema(...) as a four-column function scan. */
bool bind_is_infer_schema(PgQuery__FuncCall *fc);
PlanNode *bind_infer_schema(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc,
                            const char *colname_alias);
PlanNode *bind_window_tvf(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc,
                          PgQuery__Alias *alias, Scope *out);

/* ---- bind_srf.c: set-returning functions in a select list ---- */
bool bind_is_srf_name(const char *name);
/* Coerces args of a set-returning function and returns its result type (42883 if none fits). */
const LmType *bind_srf_signature(BindContext *bc, const char *name, int n, Expr **args,
                                 int location);
/* Binds the call as an SRF_REF placeholder column recorded in lv->srfs. */
Expr *bind_srf_call(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc, const char *name);
/* PLAN_PROJECT_SET of lv's calls over child; rewrite (may be NULL) maps each argument onto
 * child's columns. */
PlanNode *bind_make_project_set(BindContext *bc, BindLevel *lv, PlanNode *child,
                                Expr *(*rewrite)(void *arg, Expr *e), void *arg);

/* FROM f(...) for the set-returning functions the function scan does not run (generate_subscripts,
 * regexp_split_to_table, pg_options_to_table, _pg_expandarray, unnest of several arrays): a
 * ProjectSet over one row and a projection naming the columns, plus a bigint "ordinality"
 * column WITH ORDINALITY.  args are bound in tmp. */
bool bind_srf_from_supported(const char *name);
PlanNode *bind_srf_from(BindContext *bc, BindLevel *tmp, const char *name, int n, Expr **args,
                        int location, bool ordinality);

/* ---- bind_modify.c ---- */
PlanNode *bind_insert(BindContext *bc, BindLevel *parent, PgQuery__InsertStmt *s);
PlanNode *bind_update(BindContext *bc, BindLevel *parent, PgQuery__UpdateStmt *s);
PlanNode *bind_delete(BindContext *bc, BindLevel *parent, PgQuery__DeleteStmt *s);

/* ---- planner.c ---- */
/* Fills plan->cols from its children for pass-through nodes (filter, sort, limit, distinct,
 * join, aggregate, window). */
void planner_derive_cols(Arena *a, PlanNode *p);

/* ---- explain.c ---- */
/* Deparses an expression; cols: the input's column names (ncols of them) or NULL. */
void explain_expr(const Expr *e, int ncols, const PlanColumn *cols, StrBuf *out);

#endif
