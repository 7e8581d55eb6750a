/*
 * operator.h: internal contract between exec.c and the operator files
 * (op_*.c): one constructor per operator, plus small shared helpers for
 * building output batches.  Not used outside executor/.
 *
 * A constructor fills op->ops and op->state from op->plan; children are
 * already built (op->children).  Operators allocate long-lived state from
 * op_state_arena(op) (destroyed by exec_close) and per-batch output from
 * op->batch_arena (reset at the start of each next()).
 */
#ifndef LM_OPERATOR_H
#define LM_OPERATOR_H

#include "executor/exec.h"
#include "executor/expr.h"

void op_scan_init(Operator *op);
void op_values_init(Operator *op);
void op_result_init(Operator *op);
void op_function_scan_init(Operator *op);
void op_infer_schema_init(Operator *op); /* op_infer_schema.c: laminar.infer_schema(...) */
/* The rows (column_name, data_type, nullable, sample_values) of infer_schema over a source table
 * or a connector with its profile and options (JSON object text); NULL/'' args are absent.  A
 * batch without rows (and a NOTICE) when the source has no records.  Memory in a. */
Batch *infer_schema_rows(ExecContext *ctx, Arena *a, const char *table, const char *connector,
                         const char *profile, const char *options);
void op_project_set_init(Operator *op); /* op_project_set.c: set-returning functions per row */
void op_filter_init(Operator *op);
void op_project_init(Operator *op);
void op_agg_init(Operator *op);
void op_hash_join_init(Operator *op);
void op_nested_loop_init(Operator *op);
void op_sort_init(Operator *op);
void op_limit_init(Operator *op);
void op_distinct_init(Operator *op);
void op_setop_init(Operator *op);
void op_window_init(Operator *op);
void op_insert_init(Operator *op);
void op_update_init(Operator *op);
void op_delete_init(Operator *op);
/* event-time windows (area B): PLAN_WINDOW_ASSIGN, and PLAN_AGGREGATE with a SESSION window */
void op_window_assign_init(Operator *op);
void op_session_agg_init(Operator *op);
/* The windows of one event time (microseconds): TUMBLE/HOP window starts of ts are
 * last_start - k * slide for k = 0 .. size/slide - 1 (window_end = start + size).  Returns
 * false when the window bounds overflow (infinite timestamps). */
bool window_last_start(const GroupWindow *gw, int64 ts, int64 *last_start);

/* The operator's own arena (statement lifetime of the operator; destroyed at exec_close). */
Arena *op_state_arena(Operator *op);
/* expr_init / expr_eval_const with their memory in the operator's arena (or a) instead of the
 * statement arena: a correlated subplan is built and run once per outer row, and its
 * expression states must go away with its operators. */
ExprState *op_expr_init(Operator *op, const Expr *e);
Vector *op_eval_const(Operator *op, const Expr *e, Arena *a);

/* An END / BATCH event. */
static inline ExecEvent exec_event_end(void)
{
    ExecEvent ev = {0};
    ev.kind = EXEC_END;
    return ev;
}
static inline ExecEvent exec_event_batch(Batch *b)
{
    ExecEvent ev = {0};
    ev.kind = EXEC_BATCH;
    ev.batch = b;
    return ev;
}

/* Output column types of a plan node (arena array). */
const LmType **plan_col_types(Arena *a, const PlanNode *p);

/*
 * Gathers src rows into dst rows 0..n-1: dst[i] = src[rows[i]] (deep copies
 * var-width data into a).  One type dispatch per call, then a tight loop.
 */
void vector_gather(Vector *dst, Arena *a, const Vector *src, const uint16 *rows, int n);
/* dst[dst_off + i] = rowset value at global row index idx[i] of column col.  With a == NULL
 * strings are copied shallowly (StrViews point into the RowSet, which must outlive dst). */
void rowset_gather(const RowSet *rs, int col, const uint32 *idx, int n, Vector *dst, Arena *a,
                   int dst_off);
/* The batch and row of a RowSet's global row index (batches are full except the last). */
static inline const Batch *rowset_batch_of(const RowSet *rs, uint32 idx, int *row)
{
    *row = (int)(idx & (LM_BATCH_SIZE - 1));
    return rs->batches[idx / LM_BATCH_SIZE];
}
/* One sort key over a RowSet column. */
typedef struct SortSpec {
    int col;
    bool descending;
    bool nulls_first;
} SortSpec;
/* Sorts idx[0..n) (global RowSet row indexes) stably by the keys (op_sort.c). */
void rowset_sort(const RowSet *rs, int nkeys, const SortSpec *keys, uint32 *idx, uint32 n,
                 Arena *scratch);
/* Compares two RowSet rows by the keys: <0, 0, >0. */
int rowset_compare_rows(const RowSet *rs, int nkeys, const SortSpec *keys, uint32 x, uint32 y);

/* Sets every row of v (capacity rows) NULL. */
void vector_set_all_null(Vector *v);

/* Total order over non-NULL values of one type (PostgreSQL semantics; text bytewise),
 * equality consistent with hashtable.c.  Both vectors must have the same type id
 * (integers of different widths compare by value). */
int value_compare(const Vector *a, int ra, const Vector *b, int rb);

#endif
