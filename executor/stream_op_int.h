/*
 * stream_op_int.h: what the stateful stream operators (executor/stream_op_*.c,
 * area B) share: their constructors, the output queue every one of them
 * uses, and guarded calls of the runtime hooks.  Internal to executor/.
 *
 * Outbox: an operator that produces several batches for one input event (a
 * watermark closing many windows, a changelog update pair per group) queues
 * them here and hands them out one per next() call, followed by the control
 * event (watermark, barrier, end) that caused them.  Batches live in the
 * outbox's arena, reset once everything queued was handed out and the
 * consumer came back (a batch stays valid until the next call, exec.h).
 */
#ifndef LM_STREAM_OP_INT_H
#define LM_STREAM_OP_INT_H

#include "executor/agg_set.h"
#include "executor/stream_ops.h"

typedef struct Outbox {
    Arena *arena;
    int ncols;
    const LmType **types;
    bool changelog; /* batches carry Batch.ops */
    Batch **q;
    int n, cap, head;
    bool has_event;
    ExecEvent event; /* handed out after the batches */
    bool drained;    /* everything handed out: reset before the next fill */
} Outbox;

void outbox_init(Outbox *o, Arena *parent, int ncols, const LmType **types, bool changelog);
/* Room for one more row: its batch and row index (count already incremented).  The caller
 * sets every column of the row (vector_copy_value, finalize, vector_set_null). */
Batch *outbox_add_row(Outbox *o, RowOp op, int *row);
/* Appends the live rows of b (deep copies), each with op (or b->ops when keep_ops). */
void outbox_append(Outbox *o, const Batch *b, RowOp op, bool keep_ops);
void outbox_set_event(Outbox *o, ExecEvent ev);
/* The next queued batch or event; false when the outbox is empty. */
bool outbox_next(Outbox *o, ExecEvent *ev);
static inline bool outbox_empty(const Outbox *o)
{
    return o->head >= o->n && !o->has_event;
}
/* The arena batches are built in (valid until handed out). */
Arena *outbox_arena(Outbox *o);

/* Runtime hooks, skipped when the operator runs outside a job (unit tests, ctx->stream NULL). */
void sop_account(Operator *op, int64 delta);
void sop_state_bytes(Operator *op, int64 bytes);
void sop_report_late(Operator *op, const Batch *b, int row, int64 event_time, int64 watermark);

/* Reads a fixed-width INT64-like value (timestamps) of row r. */
static inline int64 sop_i64(const Vector *v, int r)
{
    return ((const int64 *)v->data)[r];
}

/* The constructors (stream_op_build dispatches on info->kind). */
Operator *stream_window_agg_create(ExecContext *ctx, const PlanNode *plan, Operator *child,
                                   const StreamOpInfo *info);
Operator *stream_session_agg_create(ExecContext *ctx, const PlanNode *plan, Operator *child,
                                    const StreamOpInfo *info);
Operator *stream_changelog_agg_create(ExecContext *ctx, const PlanNode *plan, Operator *child,
                                      const StreamOpInfo *info);
Operator *stream_window_join_create(ExecContext *ctx, const PlanNode *plan, Operator **children,
                                    const StreamOpInfo *info);
Operator *stream_interval_join_create(ExecContext *ctx, const PlanNode *plan, Operator **children,
                                      const StreamOpInfo *info);
Operator *stream_regular_join_create(ExecContext *ctx, const PlanNode *plan, Operator **children,
                                     const StreamOpInfo *info);
Operator *stream_lookup_join_create(ExecContext *ctx, const PlanNode *plan, Operator *child,
                                    const StreamOpInfo *info);
Operator *stream_topn_create(ExecContext *ctx, const PlanNode *plan, Operator *child,
                             const StreamOpInfo *info);


/* Grows a per-key array of chain heads (row indexes, UINT32_MAX = empty) of the stream joins'
 * row stores to hold at least nkeys keys; new slots are empty. */
static inline void stream_chain_heads_grow(uint32 **head, uint32 *cap, uint32 nkeys)
{
    if (nkeys <= *cap)
        return;
    uint32 ncap = *cap ? *cap * 2 : 256;
    while (ncap < nkeys)
        ncap *= 2;
    *head = lm_realloc(*head, sizeof(uint32) * ncap);
    for (uint32 i = *cap; i < ncap; i++)
        (*head)[i] = UINT32_MAX;
    *cap = ncap;
}

#endif
