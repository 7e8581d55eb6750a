/*
 * plan.h: bound expressions and logical plans — the contract between the
 * binder (planner/bind*.c), the optimiser/physical planner (planner/) and the
 * executor (executor/).
 *
 * Both are tagged trees built once per statement in the statement arena and
 * never modified by execution (plan vs state, STYLE.md): the executor builds
 * its own state (ExprState, operator state) from them.
 *
 * Column references are positional: EXPR_COLUMN.index is the column's index
 * in the output of the node's (single, or concatenated for joins: left then
 * right) input.  Every Expr carries its result type and the 0-based byte
 * location in the client's query text (-1 when synthesised) for errors.
 */
#ifndef LM_PLAN_H
#define LM_PLAN_H

#include "common/vector.h"

typedef struct Expr Expr;
typedef struct PlanNode PlanNode;
typedef struct FuncDesc FuncDesc; /* executor/func.h */
typedef struct AggDesc AggDesc;   /* executor/func.h */
typedef struct Relation Relation; /* planner/relation.h */

typedef enum ExprKind {
    EXPR_CONST = 0, /* value: row 0 of a 1-row vector */
    EXPR_COLUMN,    /* index: column of the input */
    EXPR_OUTER,     /* correlated reference: levels_up, index into that outer row */
    EXPR_PARAM,     /* $n: param_index (0-based) */
    EXPR_FUNC,      /* scalar function or operator: func, args */
    EXPR_CAST,      /* args[0] cast to type (explicit or implicit) */
    EXPR_AND,       /* n-ary, three-valued */
    EXPR_OR,        /* n-ary, three-valued */
    EXPR_NOT,
    EXPR_IS_NULL,     /* args[0] IS NULL */
    EXPR_IS_NOT_NULL, /* args[0] IS NOT NULL */
    EXPR_CASE,      /* args: when1, then1, when2, then2, ..., [else]; has_else */
    EXPR_COALESCE,  /* args */
    EXPR_IN_LIST,   /* args[0] IN (args[1..]); negated for NOT IN */
    EXPR_SUBQUERY,  /* subquery_kind, subplan, args[0] = test expr for IN/ANY/ALL */
    EXPR_ROW,       /* ROW(...) / composite: args (used by IN with row comparisons) */
    /* added by the binder (additive): */
    EXPR_ARRAY,     /* ARRAY[args...]: type ARRAY<common element type>; args already coerced */
    EXPR_SUBSCRIPT, /* args[0][args[1]]: 1-based INT32 subscript of an ARRAY (NULL when out of
                       range), or args[0]->args[1] of a MAP; type: element/value type */
    EXPR_FIELD,     /* args[0].field: STRUCT field number `index` (0-based) */
    EXPR_SCALAR_ARRAY_OP, /* args[0] compare ANY/ALL (args[1]): an ARRAY-typed expression;
                             subquery_kind SUBQ_ANY or SUBQ_ALL; compare = the operator */
} ExprKind;

typedef enum SubqueryKind {
    SUBQ_SCALAR = 0, /* (SELECT x) — one column, at most one row */
    SUBQ_EXISTS,
    SUBQ_ANY,        /* x op ANY (SELECT ...), also IN */
    SUBQ_ALL,        /* x op ALL (SELECT ...) */
    SUBQ_ARRAY,      /* ARRAY(SELECT ...) */
} SubqueryKind;

struct Expr {
    ExprKind kind;
    const LmType *type;
    int location;
    int nargs;
    Expr **args;
    /* EXPR_CONST */
    Vector *value; /* capacity 1; row 0 */
    /* EXPR_COLUMN / EXPR_OUTER */
    int index;
    int levels_up;
    /* EXPR_PARAM */
    int param_index;
    /* EXPR_FUNC (operators included: "+" etc. are functions) */
    const FuncDesc *func;
    /* EXPR_CASE */
    bool has_else;
    /* EXPR_IN_LIST, EXPR_SUBQUERY ANY/ALL.  EXPR_IN_LIST also sets func to the resolved "="
     * over the (common) type of all its arguments. */
    bool negated;
    /* EXPR_SUBQUERY */
    SubqueryKind subquery_kind;
    PlanNode *subplan;
    const FuncDesc *compare; /* ANY/ALL: the comparison operator */
    bool correlated;         /* subplan references outer columns: re-run per outer row */
    /* EXPR_CAST */
    bool explicit_cast;
    /* column name this expression would get in a result (for SELECT lists) */
    const char *name;
};

/* ---- logical plan ---- */

typedef enum PlanKind {
    PLAN_SCAN = 0,     /* rel: a relation (plain table, system view, source) */
    PLAN_VALUES,       /* rows x ncols expressions (constant or params) */
    PLAN_FUNCTION_SCAN, /* set-returning function in FROM: generate_series, unnest */
    PLAN_FILTER,       /* predicate over child */
    PLAN_PROJECT,      /* exprs over child */
    PLAN_AGGREGATE,    /* group_exprs then aggs over child; output: groups..., aggs... */
    PLAN_JOIN,         /* left, right; join_type; condition over left++right columns */
    PLAN_SORT,         /* sort keys over child */
    PLAN_LIMIT,        /* limit/offset (exprs evaluated once) */
    PLAN_DISTINCT,     /* all columns distinct (SELECT DISTINCT / UNION) */
    PLAN_SETOP,        /* UNION [ALL], INTERSECT [ALL], EXCEPT [ALL] of left and right */
    PLAN_WINDOW,       /* window functions appended as new columns */
    PLAN_INSERT,       /* into rel: child produces the new rows; returning */
    PLAN_UPDATE,       /* target: child produces the old row (all target columns in table
                          order), its rowkey (BINARY, index = target ncols), then the columns of
                          the UPDATE's FROM items; set_exprs are over that child row */
    PLAN_DELETE,       /* target: child produces the rows to delete: all target columns, then
                          the rowkey (index = target ncols), then USING items' columns */
    PLAN_RESULT,       /* one row, no columns (SELECT without FROM) */
    PLAN_WINDOW_ASSIGN, /* streaming windows: child's columns + window_start, window_end for
                           each window a row falls in (TUMBLE: one, HOP: size/slide copies);
                           see GroupWindow */
    PLAN_PROJECT_SET,   /* set-returning functions of a select list over child (srfs): the
                           child's columns, then one column per function; see SrfCall */
} PlanKind;

/* One set-returning function of a PLAN_PROJECT_SET (unnest, generate_series,
 * generate_subscripts).  Its arguments are the node's exprs[first_arg .. first_arg + nargs - 1],
 * over the child's columns, so that walkers over exprs see them.  Each input row gives as many
 * rows as its longest function result, the shorter ones NULL there, and no row when every
 * function gives none (PostgreSQL >= 10's ProjectSet). */
typedef struct SrfCall {
    const char *name;
    int first_arg;
    int nargs;
    const LmType *type; /* result type */
} SrfCall;

typedef enum JoinType {
    JOIN_INNER = 0,
    JOIN_LEFT,
    JOIN_RIGHT,
    JOIN_FULL,
    JOIN_SEMI, /* EXISTS / IN rewritten: left rows with a match */
    JOIN_ANTI, /* NOT EXISTS: left rows without a match */
} JoinType;

typedef enum SetOpKind { SETOP_UNION = 0, SETOP_INTERSECT, SETOP_EXCEPT } SetOpKind;

typedef struct SortKey {
    Expr *expr;
    bool descending;
    bool nulls_first; /* PostgreSQL default: nulls last for ASC, first for DESC */
} SortKey;

typedef struct AggCall {
    const AggDesc *agg;
    int nargs;
    Expr **args; /* over the aggregate's input */
    bool distinct;
    Expr *filter; /* FILTER (WHERE ...) or NULL */
    int norder;   /* ORDER BY inside the call (string_agg, array_agg, json_agg) */
    SortKey *order;
    const LmType *type; /* result type */
    const char *name;
} AggCall;

typedef enum WindowFuncKind { WIN_ROW_NUMBER = 0, WIN_RANK, WIN_DENSE_RANK, WIN_AGG } WindowFuncKind;

typedef struct WindowCall {
    WindowFuncKind kind;
    AggCall agg; /* WIN_AGG: aggregate over the partition (whole-partition frame) */
    int npartition;
    Expr **partition;
    int norder;
    SortKey *order;
    const LmType *type;
    const char *name;
    /* WIN_AGG with ORDER BY: the frame is the whole partition (ROWS/RANGE BETWEEN UNBOUNDED
     * PRECEDING AND UNBOUNDED FOLLOWING) rather than the default running frame (additive) */
    bool whole_frame;
} WindowCall;

/* Output column of a plan node. */
typedef struct PlanColumn {
    const char *name;
    const LmType *type;
    Oid table_oid; /* for RowDescription: source table and attnum when a plain column */
    int16 attnum;
} PlanColumn;

/*
 * Event-time windows.  TUMBLE and HOP (both forms: GROUP BY TUMBLE(ts, size) and
 * FROM TUMBLE(t, ts, size)) become a PLAN_WINDOW_ASSIGN below the aggregate, which groups by
 * its window_start/window_end columns (TUMBLE_START/HOP_START and _END refer to them).
 * SESSION(ts, gap) cannot be assigned row by row: it stays on the PLAN_AGGREGATE
 * (session.kind == GW_SESSION), whose output is then groups..., window_start, window_end,
 * aggs...  Bounded queries compute the same windows with the batch operators, so a pipeline's
 * result can be checked against an ad-hoc SELECT over the same rows.
 */
typedef enum GroupWindowKind { GW_NONE = 0, GW_TUMBLE, GW_HOP, GW_SESSION } GroupWindowKind;

typedef struct GroupWindow {
    GroupWindowKind kind;
    Expr *time;    /* the event-time column (TIMESTAMP or TIMESTAMPTZ) over the child */
    int64 size_us; /* TUMBLE/HOP window length */
    int64 slide_us; /* HOP */
    int64 gap_us;   /* SESSION */
    int64 offset_us; /* window alignment offset (0: epoch) */
    int location;
    bool proctime; /* pipelines: the input has no event time, so rows are put into windows by
                      the wall clock when they are assigned (processing-time windows; the
                      source's watermark is the wall clock too) instead of by `time` */
} GroupWindow;

struct PlanNode {
    PlanKind kind;
    int ncols; /* output columns */
    PlanColumn *cols;
    PlanNode *left; /* the single child, or the left input */
    PlanNode *right;

    /* PLAN_SCAN */
    const Relation *rel;
    int nscan_cols;
    int *scan_cols; /* relation column indexes produced, in output order */
    /* plain tables: add one trailing BINARY column with each row's storage key (UPDATE,
     * DELETE hand it back to table_update/table_delete) */
    bool want_rowkey;

    /* PLAN_SCAN of a plain table: a point lookup instead of a full scan when every primary-key
     * column is fixed by an equality to a value known before the scan (constants, parameters,
     * outer references) — pk_lookup[i] gives the value of primary-key column i (the filter above
     * still checks the rest of its predicate).  planner_optimize() finds these. */
    int npk_lookup;
    Expr **pk_lookup;

    /* PLAN_VALUES: nrows x ncols */
    int nrows;
    Expr ***rows;

    /* PLAN_FUNCTION_SCAN */
    const char *func_name;
    int nfunc_args;
    Expr **func_args;
    /* PLAN_PROJECT_SET (arguments in nexprs/exprs) */
    int nsrfs;
    SrfCall *srfs;

    /* PLAN_FILTER, PLAN_JOIN condition */
    Expr *predicate;
    JoinType join_type;
    /* PLAN_JOIN equi-keys found in the condition (hash join): left_keys[i] = right_keys[i] */
    int nkeys;
    Expr **left_keys;  /* over left columns */
    Expr **right_keys; /* over right columns */
    /* The part of `predicate` not covered by the keys (over left++right; NULL: none).
     * `predicate` stays the full condition, so a nested loop can ignore keys and residual. */
    Expr *residual;

    /* PLAN_PROJECT (and PLAN_PROJECT_SET: the functions' arguments) */
    int nexprs;
    Expr **exprs;

    /* PLAN_AGGREGATE */
    int ngroups;
    Expr **groups;
    int naggs;
    AggCall *aggs;

    /* PLAN_WINDOW_ASSIGN (TUMBLE/HOP), PLAN_AGGREGATE (SESSION) */
    GroupWindow gwindow;

    /* PLAN_SORT */
    int nsort;
    SortKey *sort;

    /* PLAN_LIMIT */
    Expr *limit;  /* NULL: none */
    Expr *offset; /* NULL: 0 */

    /* PLAN_SETOP */
    SetOpKind setop;
    bool all;

    /* PLAN_WINDOW */
    int nwindows;
    WindowCall *windows;

    /* PLAN_INSERT / UPDATE / DELETE */
    const Relation *target;
    int ntarget_cols;
    int *target_cols; /* INSERT: target column index for each child column */
    int nreturning;
    Expr **returning; /* over the target relation's full row */
    /* INSERT ... ON CONFLICT */
    int on_conflict; /* 0 none, 1 DO NOTHING, 2 DO UPDATE */
    int nconflict_set;
    int *conflict_set_cols;   /* target columns assigned by DO UPDATE SET */
    Expr **conflict_set_exprs; /* over existing row ++ excluded row */
    Expr *conflict_where;
    /* UPDATE: target columns assigned and their new-value expressions (over the child) */
    int nset;
    int *set_cols;
    Expr **set_exprs;
};

/* Constructors (arena allocated, zeroed). */
Expr *expr_make(Arena *a, ExprKind kind, const LmType *type, int location);
Expr *expr_make_column(Arena *a, int index, const LmType *type, int location);
PlanNode *plan_make(Arena *a, PlanKind kind);

/* EXPLAIN: the operator tree as indented text lines. */
void plan_explain(const PlanNode *plan, StrBuf *out);

#endif
