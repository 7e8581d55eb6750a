/*
 * stream_op_build.c: stream_op_build (stream_ops.h) — builds the stateful
 * stream operator for a classified plan node — and the pieces every such
 * operator shares: the output queue (Outbox) and guarded runtime hooks
 * (stream_op_int.h).
 */
#include "executor/stream_op_int.h"
#include "common/errcodes.h"

#include <string.h>

Operator *stream_op_build(ExecContext *ctx, const PlanNode *plan, Operator **children,
                          int nchildren, const StreamOpInfo *info)
{
    int want = info->kind == STREAM_OP_WINDOW_JOIN || info->kind == STREAM_OP_INTERVAL_JOIN ||
                       info->kind == STREAM_OP_REGULAR_JOIN
                   ? 2
                   : 1;
    if (nchildren != want)
        elog(ERROR, "stream operator kind %d built with %d inputs", (int)info->kind, nchildren);
    switch (info->kind) {
    case STREAM_OP_WINDOW_AGGREGATE:
        if (info->window && info->window->kind == GW_SESSION)
            return stream_session_agg_create(ctx, plan, children[0], info);
        return stream_window_agg_create(ctx, plan, children[0], info);
    case STREAM_OP_CHANGELOG_AGGREGATE:
        return stream_changelog_agg_create(ctx, plan, children[0], info);
    case STREAM_OP_WINDOW_JOIN:
        return stream_window_join_create(ctx, plan, children, info);
    case STREAM_OP_INTERVAL_JOIN:
        return stream_interval_join_create(ctx, plan, children, info);
    case STREAM_OP_REGULAR_JOIN:
        return stream_regular_join_create(ctx, plan, children, info);
    case STREAM_OP_LOOKUP_JOIN:
        return stream_lookup_join_create(ctx, plan, children[0], info);
    case STREAM_OP_TOPN:
        return stream_topn_create(ctx, plan, children[0], info);
    default:
        elog(ERROR, "unrecognized stream operator kind %d", (int)info->kind);
    }
}

/* ---------------------------------------------------------------- hooks */

void sop_account(Operator *op, int64 delta)
{
    if (op->ctx->stream && delta != 0)
        stream_account_memory(op, delta);
}

void sop_state_bytes(Operator *op, int64 bytes)
{
    if (op->ctx->stream)
        stream_set_state_bytes(op, bytes);
}

void sop_report_late(Operator *op, const Batch *b, int row, int64 event_time, int64 watermark)
{
    if (op->ctx->stream)
        stream_report_late(op, b, row, event_time, watermark);
}

/* ---------------------------------------------------------------- outbox */

void outbox_init(Outbox *o, Arena *parent, int ncols, const LmType **types, bool changelog)
{
    memset(o, 0, sizeof *o);
    o->arena = arena_create("stream output", parent);
    o->ncols = ncols;
    o->types = types;
    o->changelog = changelog;
}

Arena *outbox_arena(Outbox *o)
{
    if (o->drained) {
        arena_reset(o->arena);
        o->n = o->head = 0;
        o->cap = 0;
        o->q = NULL;
        o->drained = false;
    }
    return o->arena;
}

static Batch *new_batch(Outbox *o)
{
    Arena *a = outbox_arena(o);
    if (o->n == o->cap) {
        int ncap = o->cap ? o->cap * 2 : 8;
        o->q = arena_realloc(a, o->q, sizeof(Batch *) * (size_t)o->cap,
                             sizeof(Batch *) * (size_t)ncap);
        o->cap = ncap;
    }
    Batch *b = batch_create(a, o->ncols, o->types, LM_BATCH_SIZE);
    b->count = 0;
    if (o->changelog)
        b->ops = arena_alloc0(a, LM_BATCH_SIZE);
    o->q[o->n++] = b;
    return b;
}

Batch *outbox_add_row(Outbox *o, RowOp op, int *row)
{
    outbox_arena(o);
    Batch *b = o->n > o->head ? o->q[o->n - 1] : NULL;
    if (b == NULL || b->count == LM_BATCH_SIZE)
        b = new_batch(o);
    *row = b->count++;
    if (b->ops)
        b->ops[*row] = (uint8)op;
    return b;
}

void outbox_append(Outbox *o, const Batch *in, RowOp op, bool keep_ops)
{
    int live = batch_live_count(in);
    int i = 0;
    while (i < live) {
        outbox_arena(o);
        Batch *b = o->n > o->head ? o->q[o->n - 1] : NULL;
        if (b == NULL || b->count == LM_BATCH_SIZE)
            b = new_batch(o);
        int k = LM_MIN(live - i, LM_BATCH_SIZE - b->count);
        uint16 rows[LM_BATCH_SIZE];
        for (int j = 0; j < k; j++)
            rows[j] = (uint16)batch_row(in, i + j);
        if (b->count == 0) {
            for (int c = 0; c < o->ncols; c++)
                vector_gather(&b->cols[c], o->arena, &in->cols[c], rows, k);
        } else {
            for (int c = 0; c < o->ncols; c++)
                for (int j = 0; j < k; j++)
                    vector_copy_value(&b->cols[c], o->arena, b->count + j, &in->cols[c], rows[j]);
        }
        if (b->ops)
            for (int j = 0; j < k; j++)
                b->ops[b->count + j] =
                    (uint8)(keep_ops && in->ops ? (RowOp)in->ops[rows[j]] : op);
        b->count += k;
        i += k;
    }
}

void outbox_set_event(Outbox *o, ExecEvent ev)
{
    LM_ASSERT(!o->has_event);
    o->has_event = true;
    o->event = ev;
}

bool outbox_next(Outbox *o, ExecEvent *ev)
{
    if (o->head < o->n) {
        *ev = exec_event_batch(o->q[o->head++]);
        if (o->head >= o->n && !o->has_event)
            o->drained = true;
        return true;
    }
    if (o->has_event) {
        *ev = o->event;
        o->has_event = false;
        o->drained = true;
        return true;
    }
    if (o->n > 0)
        o->drained = true;
    return false;
}
