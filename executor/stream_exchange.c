/*
 * stream_exchange.c: exchanges between stages — bounded channels, the
 * sending end (partitioning) and the receiving end (merging, barrier
 * alignment, watermark minimum).
 *
 * A channel connects one producer subtask with one consumer subtask: a ring
 * of `cap` message slots, each with its own arena that is reset when the
 * slot is reused, so steady-state traffic allocates nothing.  A batch is
 * copied into a slot (only the live rows of the channel's partition,
 * gathered column by column); the consumer holds the slot of the batch it
 * returned until its next call.  A full ring makes the producer's task park
 * (backpressure) until the consumer frees a slot; an empty ring makes the
 * consumer return IDLE and park until a producer pushes.  Wake-ups are only
 * sent when the other side said it is waiting.
 *
 * Partitioning: STREAM_HASH evaluates the stage's key expressions over each
 * batch (expr_eval) and hashes them with hashtable_hash (equal values of
 * different integer widths hash alike, so both sides of a join agree);
 * STREAM_FORWARD sends producer i's rows to consumer i % n; STREAM_SINGLE to
 * consumer 0.  Watermarks, barriers and END go to every channel.
 *
 * The receiver reads its channels round-robin.  A channel that delivered
 * the barrier of the checkpoint being aligned is not read until the barrier
 * arrived on every channel (ended channels count as arrived); then one
 * BARRIER goes up.  Its watermark is the minimum over channels that have
 * not ended and are not idle, emitted when it grows.  END goes up when all
 * channels ended.
 */
#include "executor/stream_int.h"
#include "executor/operator.h"
#include "executor/hashtable.h"
#include "common/errcodes.h"

#include <string.h>

/* ---- channels ---- */

Channel *channel_create(int cap)
{
    Channel *c = lm_calloc(1, sizeof(Channel));
    pthread_mutex_init(&c->mu, NULL);
    c->cap = cap;
    c->slots = lm_calloc((size_t)cap, sizeof(Message));
    for (int i = 0; i < cap; i++)
        c->slots[i].arena = arena_create("exchange message", NULL);
    c->held = -1;
    return c;
}

void channel_destroy(Channel *c)
{
    if (c == NULL)
        return;
    for (int i = 0; i < c->cap; i++)
        arena_destroy(c->slots[i].arena);
    lm_free(c->slots);
    pthread_mutex_destroy(&c->mu);
    lm_free(c);
}

/* Reserves the next free slot for the producer; -1 when full (the producer is marked blocked). */
static int channel_reserve(Channel *c)
{
    int idx = -1;
    pthread_mutex_lock(&c->mu);
    if (c->count + (c->held >= 0 ? 1 : 0) < c->cap)
        idx = (c->head + c->count) % c->cap;
    else
        c->producer_blocked = true;
    pthread_mutex_unlock(&c->mu);
    return idx;
}

static void channel_commit(Channel *c, int idx)
{
    StreamTask *wake = NULL;
    pthread_mutex_lock(&c->mu);
    LM_ASSERT(idx == (c->head + c->count) % c->cap);
    c->count++;
    c->bytes += (int64)c->slots[idx].bytes;
    if (c->consumer_waiting) {
        c->consumer_waiting = false;
        wake = c->consumer;
    }
    pthread_mutex_unlock(&c->mu);
    if (wake)
        stream_task_wake(wake);
}

/* Consumer: releases the held slot (if any) and takes the next message (NULL: empty). */
static Message *channel_pop(Channel *c, bool release_only)
{
    StreamTask *wake = NULL;
    Message *m = NULL;
    pthread_mutex_lock(&c->mu);
    if (c->held >= 0) {
        c->held = -1;
        if (c->producer_blocked) {
            c->producer_blocked = false;
            wake = c->producer;
        }
    }
    if (!release_only) {
        if (c->count > 0) {
            c->held = c->head;
            m = &c->slots[c->head];
            c->head = (c->head + 1) % c->cap;
            c->count--;
            c->bytes -= (int64)m->bytes;
        } else
            c->consumer_waiting = true;
    }
    pthread_mutex_unlock(&c->mu);
    if (wake)
        stream_task_wake(wake);
    return m;
}

/* ---- sender ---- */

struct Sender {
    ExecContext *ctx;
    const StreamStage *stage;
    Channel **ch;
    int n;
    int subtask;
    int ncols;
    const LmType **types;
    ExprState **keys;
    Vector **keyvecs;
    uint64 hashes[LM_BATCH_SIZE];
    /* pending event */
    bool pending;
    ExecEvent ev;
    bool *done;
    uint16 **sel;
    int *nsel;
    int64 bytes_out;
};

Sender *sender_create(Arena *a, ExecContext *ctx, const StreamStage *stage, Channel **channels,
                      int nchannels, int subtask)
{
    Sender *s = arena_new(a, Sender);
    s->ctx = ctx;
    s->stage = stage;
    s->ch = channels;
    s->n = nchannels;
    s->subtask = subtask;
    const PlanNode *top = stage->nnodes ? stage->nodes[stage->nnodes - 1].plan : stage->source_scan;
    s->ncols = top->ncols;
    s->types = plan_col_types(a, top);
    if (stage->out_part == STREAM_HASH) {
        s->keys = arena_new_array(a, ExprState *, stage->nkeys);
        s->keyvecs = arena_new_array(a, Vector *, stage->nkeys);
        Arena *saved = ctx->arena;
        ctx->arena = a;
        for (int i = 0; i < stage->nkeys; i++)
            s->keys[i] = expr_init(ctx, stage->keys[i]);
        ctx->arena = saved;
    }
    s->done = arena_new_array(a, bool, nchannels);
    s->sel = arena_new_array(a, uint16 *, nchannels);
    s->nsel = arena_new_array(a, int, nchannels);
    for (int i = 0; i < nchannels; i++)
        s->sel[i] = arena_new_array(a, uint16, LM_BATCH_SIZE);
    return s;
}

int64 sender_bytes_out(const Sender *s)
{
    return s->bytes_out;
}

/* Copies rows of b into a reserved slot of channel c. */
static bool send_rows(Sender *s, int c, const Batch *b, const uint16 *rows, int n)
{
    Channel *ch = s->ch[c];
    int idx = channel_reserve(ch);
    if (idx < 0)
        return false;
    Message *m = &ch->slots[idx];
    arena_reset(m->arena);
    Batch *nb = batch_create(m->arena, s->ncols, s->types, n);
    for (int i = 0; i < s->ncols; i++)
        vector_gather(&nb->cols[i], m->arena, &b->cols[i], rows, n);
    nb->count = n;
    if (b->ops) {
        nb->ops = arena_alloc(m->arena, (size_t)n);
        for (int i = 0; i < n; i++)
            nb->ops[i] = b->ops[rows[i]];
    }
    m->kind = MSG_BATCH;
    m->batch = nb;
    m->value = 0;
    m->bytes = arena_bytes(m->arena);
    s->bytes_out += (int64)m->bytes;
    channel_commit(ch, idx);
    return true;
}

static bool send_control(Sender *s, int c, MsgKind kind, int64 value)
{
    Channel *ch = s->ch[c];
    int idx = channel_reserve(ch);
    if (idx < 0)
        return false;
    Message *m = &ch->slots[idx];
    m->kind = kind;
    m->batch = NULL;
    m->value = value;
    m->bytes = 0;
    channel_commit(ch, idx);
    return true;
}

bool sender_flush(Sender *s)
{
    if (!s->pending)
        return true;
    bool all = true;
    for (int c = 0; c < s->n; c++) {
        if (s->done[c])
            continue;
        bool ok;
        switch (s->ev.kind) {
        case EXEC_BATCH:
            ok = s->nsel[c] == 0 || send_rows(s, c, s->ev.batch, s->sel[c], s->nsel[c]);
            break;
        case EXEC_WATERMARK:
            ok = send_control(s, c, MSG_WATERMARK, s->ev.watermark);
            break;
        case EXEC_BARRIER:
            ok = send_control(s, c, MSG_BARRIER, s->ev.checkpoint_id);
            break;
        case EXEC_END:
            ok = send_control(s, c, MSG_END, 0);
            break;
        default:
            ok = true;
            break;
        }
        if (ok)
            s->done[c] = true;
        else
            all = false;
    }
    if (all)
        s->pending = false;
    return all;
}

bool sender_push(Sender *s, const ExecEvent *ev)
{
    LM_ASSERT(!s->pending);
    if (ev->kind == EXEC_IDLE)
        return true;
    s->ev = *ev;
    for (int c = 0; c < s->n; c++) {
        s->done[c] = false;
        s->nsel[c] = 0;
    }
    if (ev->kind == EXEC_BATCH) {
        const Batch *b = ev->batch;
        int live = batch_live_count(b);
        if (live == 0)
            return true;
        if (s->stage->out_part == STREAM_HASH && s->n > 1) {
            for (int k = 0; k < s->stage->nkeys; k++)
                s->keyvecs[k] = expr_eval(s->keys[k], b);
            hashtable_hash(s->stage->nkeys, s->keyvecs, b, s->hashes);
            uint32 n = (uint32)s->n;
            for (int i = 0; i < live; i++) {
                int r = batch_row(b, i);
                /* high bits: the downstream hash tables use the low ones */
                uint32 c = (uint32)(s->hashes[r] >> 40) % n;
                s->sel[c][s->nsel[c]++] = (uint16)r;
            }
        } else {
            int c = s->stage->out_part == STREAM_FORWARD ? s->subtask % s->n : 0;
            for (int i = 0; i < live; i++)
                s->sel[c][i] = (uint16)batch_row(b, i);
            s->nsel[c] = live;
        }
    }
    s->pending = true;
    return sender_flush(s);
}

/* ---- receiver ---- */

typedef struct Receiver {
    Channel **ch;
    int n;
    int rr;
    int held;        /* channel whose slot we hold, -1 none */
    int64 *wm;
    bool *idle;
    bool *ended;
    bool *aligned;
    int naligned;
    int nended;
    int64 align_id;
    int64 emitted_wm;
} Receiver;

static int64 min_watermark(const Receiver *r)
{
    int64 m = INT64_MAX;
    bool any = false;
    for (int i = 0; i < r->n; i++) {
        if (r->ended[i] || r->idle[i])
            continue;
        any = true;
        if (r->wm[i] < m)
            m = r->wm[i];
    }
    return any ? m : INT64_MIN;
}

static ExecEvent event_of(ExecEventKind kind)
{
    ExecEvent ev = {0};
    ev.kind = kind;
    return ev;
}

/* After an END or a barrier: is the alignment complete? */
static bool alignment_done(Receiver *r)
{
    return r->naligned > 0 && r->naligned + r->nended >= r->n;
}

static ExecEvent receiver_next(Operator *op)
{
    Receiver *r = op->state;
    if (r->held >= 0) {
        channel_pop(r->ch[r->held], true);
        r->held = -1;
    }
    int empty = 0;
    while (empty < r->n) {
        int c = r->rr;
        r->rr = (r->rr + 1) % r->n;
        if (r->ended[c] || r->aligned[c]) {
            empty++;
            continue;
        }
        Message *m = channel_pop(r->ch[c], false);
        if (m == NULL) {
            empty++;
            continue;
        }
        empty = 0;
        /* control messages are released at once: read them first (the slot may be reused) */
        MsgKind kind = m->kind;
        int64 value = m->value;
        switch (kind) {
        case MSG_BATCH:
            r->held = c;
            r->idle[c] = false;
            return exec_event_batch(m->batch);
        case MSG_WATERMARK: {
            int64 v = value;
            channel_pop(r->ch[c], true);
            if (v == STREAM_WATERMARK_IDLE)
                r->idle[c] = true;
            else {
                r->idle[c] = false;
                if (v > r->wm[c])
                    r->wm[c] = v;
            }
            int64 w = min_watermark(r);
            if (w != INT64_MIN && w > r->emitted_wm) {
                r->emitted_wm = w;
                ExecEvent ev = event_of(EXEC_WATERMARK);
                ev.watermark = w;
                return ev;
            }
            break;
        }
        case MSG_BARRIER:
            channel_pop(r->ch[c], true);
            r->aligned[c] = true;
            r->naligned++;
            r->align_id = value;
            break;
        case MSG_END:
            channel_pop(r->ch[c], true);
            r->ended[c] = true;
            r->nended++;
            break;
        }
        if (alignment_done(r)) {
            for (int i = 0; i < r->n; i++)
                r->aligned[i] = false;
            r->naligned = 0;
            ExecEvent ev = event_of(EXEC_BARRIER);
            ev.checkpoint_id = r->align_id;
            return ev;
        }
        if (r->nended == r->n)
            return exec_event_end();
        if (kind == MSG_END) {
            /* an ended input no longer holds the watermark back */
            int64 w = min_watermark(r);
            if (w != INT64_MIN && w > r->emitted_wm) {
                r->emitted_wm = w;
                ExecEvent ev = event_of(EXEC_WATERMARK);
                ev.watermark = w;
                return ev;
            }
        }
    }
    if (r->nended == r->n)
        return exec_event_end();
    return event_of(EXEC_IDLE);
}

static void receiver_close(Operator *op)
{
    Receiver *r = op->state;
    if (r->held >= 0) {
        channel_pop(r->ch[r->held], true);
        r->held = -1;
    }
}

static const OperatorOps receiver_ops = {"Receiver", NULL, receiver_next, receiver_close, NULL, NULL};

Operator *stream_receiver_create(ExecContext *ctx, const PlanNode *shape, Channel **channels,
                                 int nchannels)
{
    Operator *op = exec_operator_create(ctx, shape, NULL, 0);
    Arena *a = exec_operator_arena(op);
    Receiver *r = arena_new(a, Receiver);
    r->ch = arena_new_array(a, Channel *, nchannels);
    memcpy(r->ch, channels, sizeof(Channel *) * (size_t)nchannels);
    r->n = nchannels;
    r->held = -1;
    r->wm = arena_new_array(a, int64, nchannels);
    for (int i = 0; i < nchannels; i++)
        r->wm[i] = INT64_MIN;
    r->idle = arena_new_array(a, bool, nchannels);
    r->ended = arena_new_array(a, bool, nchannels);
    r->aligned = arena_new_array(a, bool, nchannels);
    r->emitted_wm = INT64_MIN;
    op->state = r;
    op->ops = &receiver_ops;
    return op;
}

int64 stream_receiver_watermark(Operator *op)
{
    return ((Receiver *)op->state)->emitted_wm;
}
