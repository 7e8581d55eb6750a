/*
 * stream_op_window_agg.c: the TUMBLE/HOP window aggregate of pipelines
 * (STREAM_OP_WINDOW_AGGREGATE over a PLAN_WINDOW_ASSIGN).
 *
 * The input rows already carry window_start/window_end (the assignment runs
 * upstream); the aggregate's GROUP BY includes them.  State is kept per
 * window: a bucket per window_end, each with its own hash table of groups
 * (all GROUP BY keys, window columns included) and aggregate states
 * (agg_set.h), in its own arena.  Buckets sit in an array sorted by
 * window_end, so closing windows is popping from the front and dropping a
 * window frees its memory in one arena_destroy.
 *
 * Per input batch: keys are evaluated once; each row's bucket is found
 * (consecutive rows usually share one, so the lookup is cached); rows of
 * one bucket are handed to its hash table and to AggDesc.update as one
 * selection — a batch costs one update call per aggregate per window it
 * touches, never a call per row.  A row whose window_end is at or below the
 * watermark is late: dropped and reported (stream_report_late).
 *
 * Emission:
 *   on_window_close (default): when the watermark reaches a window's end,
 *     its groups are emitted as inserts (append-only) and the bucket is
 *     dropped.  END closes every window (a bounded input is complete).
 *   on_update: after each batch, every group it changed is emitted as a
 *     changelog — INSERT the first time, then UPDATE_BEFORE (the values
 *     emitted last time, recomputed from the state before the batch) and
 *     UPDATE_AFTER; at window close nothing more is emitted and the state is
 *     dropped.
 * Watermarks are forwarded after the rows they release; barriers pass
 * straight through (the operator is consistent between events).
 *
 * Snapshot (full, at each barrier): a meta entry (watermark), then one entry
 * per group: key 'G' + window_end + group id, value = its GROUP BY values
 * (row codec), an emitted flag and its aggregate states.
 */
#include "executor/stream_op_int.h"
#include "executor/hashtable.h"
#include "common/errcodes.h"

#include <string.h>

typedef struct Bucket {
    int64 window_end;
    Arena *arena;
    HashTable *ht;
    AggStates states;
    uint8 *emitted; /* on_update: per group, emitted before */
    uint32 emitted_cap;
    uint32 *touched; /* on_update: per group, the batch number that last touched it */
    int64 bytes;     /* accounted memory */
} Bucket;

typedef struct WinAggState {
    AggSet aggs;
    int ngroups;
    ExprState **groups; /* NULL: plain column */
    const LmType **key_types;
    int we_group; /* group holding window_end, or -1: window_start + size */
    int ws_group;
    int64 size_us;
    bool on_update;
    int64 watermark;
    Bucket **buckets; /* sorted by window_end */
    int nbuckets, bcap;
    int64 total_bytes;
    Outbox out;
    uint32 batch_no;
    uint16 *bucket_of; /* per row position: index into the batch's bucket list */
    uint32 gids[LM_BATCH_SIZE];
    uint16 sel[LM_BATCH_SIZE];
    Arena *scratch;
} WinAggState;

/* ---------------------------------------------------------------- buckets */

static Bucket *bucket_find(WinAggState *st, int64 we, bool create, Operator *op)
{
    int lo = 0, hi = st->nbuckets;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (st->buckets[mid]->window_end < we)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < st->nbuckets && st->buckets[lo]->window_end == we)
        return st->buckets[lo];
    if (!create)
        return NULL;
    if (st->nbuckets == st->bcap) {
        int ncap = st->bcap ? st->bcap * 2 : 16;
        Bucket **nb = lm_malloc(sizeof(Bucket *) * (size_t)ncap);
        if (st->nbuckets)
            memcpy(nb, st->buckets, sizeof(Bucket *) * (size_t)st->nbuckets);
        lm_free(st->buckets);
        st->buckets = nb;
        st->bcap = ncap;
    }
    Arena *a = arena_create("window", op_state_arena(op));
    Bucket *b = arena_new(a, Bucket);
    b->window_end = we;
    b->arena = a;
    b->ht = hashtable_create(a, st->ngroups, st->key_types, true);
    aggstates_init(&st->aggs, &b->states, a);
    memmove(st->buckets + lo + 1, st->buckets + lo,
            sizeof(Bucket *) * (size_t)(st->nbuckets - lo));
    st->buckets[lo] = b;
    st->nbuckets++;
    return b;
}

static void bucket_reserve(WinAggState *st, Bucket *b, uint32 n)
{
    aggset_set_arena(&st->aggs, b->arena);
    aggstates_reserve(&st->aggs, &b->states, n);
    if (st->on_update && n > b->emitted_cap) {
        uint32 ncap = b->emitted_cap ? b->emitted_cap : 16;
        while (ncap < n)
            ncap *= 2;
        b->emitted = arena_realloc(b->arena, b->emitted, b->emitted_cap, ncap);
        memset(b->emitted + b->emitted_cap, 0, ncap - b->emitted_cap);
        b->touched = arena_realloc(b->arena, b->touched, sizeof(uint32) * b->emitted_cap,
                                   sizeof(uint32) * ncap);
        memset(b->touched + b->emitted_cap, 0xff, sizeof(uint32) * (ncap - b->emitted_cap));
        b->emitted_cap = ncap;
    }
}

static void bucket_account(Operator *op, WinAggState *st, Bucket *b)
{
    int64 now = (int64)arena_bytes(b->arena);
    int64 delta = now - b->bytes;
    b->bytes = now;
    st->total_bytes += delta;
    sop_account(op, delta);
}

/* Emits group gid of b as one output row with op. */
static void emit_group(WinAggState *st, Bucket *b, uint32 gid, RowOp rop)
{
    int row;
    Batch *out = outbox_add_row(&st->out, rop, &row);
    const RowSet *keys = hashtable_keys(b->ht);
    int krow;
    const Batch *kb = rowset_batch_of(keys, gid, &krow);
    for (int c = 0; c < st->ngroups; c++)
        vector_copy_value(&out->cols[c], out->arena, row, &kb->cols[c], krow);
    aggset_finalize(&st->aggs, &b->states, gid, &out->cols[st->ngroups], row);
}

/* Closes the first bucket: emits it (on_window_close) and frees it. */
static void close_first(Operator *op, WinAggState *st)
{
    Bucket *b = st->buckets[0];
    if (!st->on_update) {
        uint32 n = hashtable_count(b->ht);
        for (uint32 g = 0; g < n; g++)
            emit_group(st, b, g, ROW_INSERT);
    }
    st->total_bytes -= b->bytes;
    sop_account(op, -b->bytes);
    arena_destroy(b->arena);
    memmove(st->buckets, st->buckets + 1, sizeof(Bucket *) * (size_t)(st->nbuckets - 1));
    st->nbuckets--;
}

static void close_until(Operator *op, WinAggState *st, int64 wm)
{
    while (st->nbuckets > 0 && st->buckets[0]->window_end <= wm)
        close_first(op, st);
    sop_state_bytes(op, st->total_bytes);
}

/* ---------------------------------------------------------------- input */

static int64 row_window_end(WinAggState *st, Vector **keys, int r)
{
    if (st->we_group >= 0)
        return sop_i64(keys[st->we_group], r);
    return sop_i64(keys[st->ws_group], r) + st->size_us;
}

static void consume_batch(Operator *op, WinAggState *st, Batch *in)
{
    const PlanNode *p = op->plan;
    Vector *keys[64];
    for (int i = 0; i < st->ngroups; i++)
        keys[i] = st->groups[i] ? expr_eval(st->groups[i], in) : &in->cols[p->groups[i]->index];
    const Vector *wev = st->we_group >= 0 ? keys[st->we_group] : keys[st->ws_group];
    int live = batch_live_count(in);
    /* buckets touched by this batch, in first-seen order */
    Bucket *list[LM_BATCH_SIZE];
    int nlist = 0;
    Bucket *last = NULL;
    int last_idx = -1;
    int nlive = 0;
    for (int i = 0; i < live; i++) {
        int r = batch_row(in, i);
        if (!vector_is_valid(wev, r))
            continue; /* no window: cannot happen after an assignment, but be safe */
        if (in->ops && (in->ops[r] == ROW_DELETE || in->ops[r] == ROW_UPDATE_BEFORE))
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("window aggregates over a changelog input are not supported"),
                    errhint("Aggregate the source rows, or use a non-windowed aggregate."));
        int64 we = row_window_end(st, keys, r);
        if (we <= st->watermark) {
            sop_report_late(op, in, r, we - 1, st->watermark);
            continue;
        }
        if (last == NULL || last->window_end != we) {
            last = bucket_find(st, we, true, op);
            last_idx = -1;
            for (int k = nlist - 1; k >= 0; k--)
                if (list[k] == last) {
                    last_idx = k;
                    break;
                }
            if (last_idx < 0) {
                list[nlist] = last;
                last_idx = nlist++;
            }
        }
        st->bucket_of[r] = (uint16)last_idx;
        st->sel[nlive++] = (uint16)r;
    }
    if (nlive == 0)
        return;
    st->batch_no++;
    uint16 *bsel = arena_alloc(op->batch_arena, sizeof(uint16) * LM_BATCH_SIZE);
    Batch *before = NULL;
    for (int k = 0; k < nlist; k++) {
        Bucket *b = list[k];
        int n = 0;
        if (nlist == 1) {
            memcpy(bsel, st->sel, sizeof(uint16) * (size_t)nlive);
            n = nlive;
        } else {
            for (int i = 0; i < nlive; i++)
                if (st->bucket_of[st->sel[i]] == k)
                    bsel[n++] = st->sel[i];
        }
        Batch view = *in;
        view.sel = bsel;
        view.nsel = n;
        hashtable_find_or_insert(b->ht, keys, &view, st->gids);
        bucket_reserve(st, b, hashtable_count(b->ht));
        uint32 touched[LM_BATCH_SIZE];
        int ntouched = 0;
        if (st->on_update) {
            /* the values emitted last time, before this batch changes them */
            for (int i = 0; i < n; i++) {
                uint32 g = st->gids[bsel[i]];
                if (b->touched[g] != st->batch_no) {
                    b->touched[g] = st->batch_no;
                    touched[ntouched++] = g;
                }
            }
            int nb = 0;
            for (int i = 0; i < ntouched; i++)
                nb += b->emitted[touched[i]] != 0;
            if (nb > 0) {
                const LmType **at = st->out.types + st->ngroups;
                before = batch_create(op->batch_arena, st->aggs.naggs, at, LM_BATCH_SIZE);
                for (int i = 0; i < ntouched; i++)
                    if (b->emitted[touched[i]])
                        aggset_finalize(&st->aggs, &b->states, touched[i], before->cols, i);
            }
        }
        aggset_set_arena(&st->aggs, b->arena);
        aggset_update(&st->aggs, &view, st->gids, &b->states);
        if (st->on_update) {
            for (int i = 0; i < ntouched; i++) {
                uint32 g = touched[i];
                if (b->emitted[g]) {
                    int row;
                    Batch *o = outbox_add_row(&st->out, ROW_UPDATE_BEFORE, &row);
                    const RowSet *ks = hashtable_keys(b->ht);
                    int krow;
                    const Batch *kb = rowset_batch_of(ks, g, &krow);
                    for (int c = 0; c < st->ngroups; c++)
                        vector_copy_value(&o->cols[c], o->arena, row, &kb->cols[c], krow);
                    for (int a = 0; a < st->aggs.naggs; a++)
                        vector_copy_value(&o->cols[st->ngroups + a], o->arena, row,
                                          &before->cols[a], i);
                    emit_group(st, b, g, ROW_UPDATE_AFTER);
                } else {
                    emit_group(st, b, g, ROW_INSERT);
                    b->emitted[g] = 1;
                }
            }
        }
        bucket_account(op, st, b);
    }
    sop_state_bytes(op, st->total_bytes);
}

static ExecEvent winagg_next(Operator *op)
{
    WinAggState *st = op->state;
    ExecEvent ev;
    for (;;) {
        if (outbox_next(&st->out, &ev))
            return ev;
        arena_reset(op->batch_arena);
        ev = exec_next(op->children[0]);
        switch (ev.kind) {
        case EXEC_BATCH:
            if (batch_live_count(ev.batch) > 0)
                consume_batch(op, st, ev.batch);
            continue;
        case EXEC_WATERMARK:
            if (ev.watermark > st->watermark) {
                st->watermark = ev.watermark;
                close_until(op, st, ev.watermark);
            }
            outbox_set_event(&st->out, ev);
            continue;
        case EXEC_END:
            close_until(op, st, INT64_MAX);
            outbox_set_event(&st->out, ev);
            continue;
        default: /* BARRIER, IDLE */
            return ev;
        }
    }
}

static void winagg_close(Operator *op)
{
    WinAggState *st = op->state;
    if (st == NULL)
        return;
    for (int i = 0; i < st->nbuckets; i++)
        arena_destroy(st->buckets[i]->arena);
    sop_account(op, -st->total_bytes);
    st->total_bytes = 0;
    st->nbuckets = 0;
    lm_free(st->buckets);
    st->buckets = NULL;
}

/* ---------------------------------------------------------------- state */

static void winagg_snapshot(Operator *op, StateWriter *w)
{
    WinAggState *st = op->state;
    state_clear(w);
    StrBuf k, v;
    strbuf_init(&k, NULL);
    strbuf_init(&v, NULL);
    strbuf_append_char(&k, 'M');
    codec_put_i64(&v, st->watermark);
    state_put(w, k.data, k.len, v.data, v.len);
    for (int i = 0; i < st->nbuckets; i++) {
        Bucket *b = st->buckets[i];
        const RowSet *keys = hashtable_keys(b->ht);
        uint32 n = hashtable_count(b->ht);
        for (uint32 g = 0; g < n; g++) {
            arena_reset(st->scratch);
            strbuf_reset(&k);
            strbuf_reset(&v);
            strbuf_append_char(&k, 'G');
            codec_put_i64(&k, b->window_end);
            codec_put_u32(&k, g);
            int krow;
            const Batch *kb = rowset_batch_of(keys, g, &krow);
            rowcodec_put(&v, kb, krow, st->ngroups, NULL);
            strbuf_append_char(&v, st->on_update && b->emitted[g] ? 1 : 0);
            aggset_save(&st->aggs, &b->states, g, &v, st->scratch);
            state_put(w, k.data, k.len, v.data, v.len);
        }
    }
    strbuf_free(&k);
    strbuf_free(&v);
}

static void winagg_restore(Operator *op, StateReader *r)
{
    WinAggState *st = op->state;
    const char *key, *val;
    size_t klen, vlen;
    Batch *kb = batch_create(op_state_arena(op), st->ngroups, st->key_types, 1);
    Vector *kv[64];
    for (int c = 0; c < st->ngroups; c++)
        kv[c] = &kb->cols[c];
    while (state_next(r, &key, &klen, &val, &vlen)) {
        const char *p = val, *end = val + vlen;
        if (klen == 1 && key[0] == 'M') {
            st->watermark = codec_get_i64(&p, end);
            continue;
        }
        if (klen != 13 || key[0] != 'G')
            codec_corrupt();
        const char *kp = key + 1;
        int64 we = codec_get_i64(&kp, key + klen);
        Bucket *b = bucket_find(st, we, true, op);
        arena_reset(st->scratch);
        for (int c = 0; c < st->ngroups; c++)
            vector_init(&kb->cols[c], st->scratch, st->key_types[c], 1);
        rowcodec_get(&p, end, kb->cols, st->ngroups, 0, st->scratch);
        kb->count = 1;
        kb->sel = NULL;
        uint32 gid[1];
        hashtable_find_or_insert(b->ht, kv, kb, gid);
        bucket_reserve(st, b, gid[0] + 1);
        if (p >= end)
            codec_corrupt();
        bool emitted = *p++ != 0;
        if (st->on_update)
            b->emitted[gid[0]] = emitted;
        aggset_set_arena(&st->aggs, b->arena);
        aggset_load(&st->aggs, &b->states, gid[0], &p, end, st->scratch);
    }
    for (int i = 0; i < st->nbuckets; i++)
        bucket_account(op, st, st->buckets[i]);
    sop_state_bytes(op, st->total_bytes);
}

static const OperatorOps winagg_ops = {"WindowAggregate", NULL, winagg_next, winagg_close,
                                       winagg_snapshot, winagg_restore};

Operator *stream_window_agg_create(ExecContext *ctx, const PlanNode *plan, Operator *child,
                                   const StreamOpInfo *info)
{
    Operator *op = exec_operator_create(ctx, plan, &child, 1);
    Arena *a = exec_operator_arena(op);
    WinAggState *st = arena_new(a, WinAggState);
    op->state = st;
    op->ops = &winagg_ops;
    if (plan->kind != PLAN_AGGREGATE || info->window == NULL)
        elog(ERROR, "window aggregate over plan node %d", (int)plan->kind);
    st->ngroups = plan->ngroups;
    if (st->ngroups > 64)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("too many grouping expressions: %d (at most 64)", plan->ngroups));
    st->we_group = info->window_end_group;
    st->ws_group = info->window_start_group;
    st->size_us = info->window->size_us;
    if (st->we_group < 0 && st->ws_group < 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("a windowed aggregate must group by window_start or window_end"));
    if (info->input_changelog[0])
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("window aggregates over a changelog input are not supported"),
                errhint("Aggregate the source rows, or use a non-windowed aggregate."));
    st->on_update = info->emits_changelog;
    st->watermark = INT64_MIN;
    st->groups = arena_new_array(a, ExprState *, st->ngroups + 1);
    st->key_types = arena_new_array(a, const LmType *, st->ngroups + 1);
    for (int i = 0; i < st->ngroups; i++) {
        const Expr *g = plan->groups[i];
        if (g->kind != EXPR_COLUMN || g->levels_up != 0)
            st->groups[i] = op_expr_init(op, g);
        st->key_types[i] = g->type;
    }
    aggset_init(op, &st->aggs, plan->naggs, plan->aggs, a, "pipelines");
    outbox_init(&st->out, a, plan->ncols, plan_col_types(a, plan), st->on_update);
    st->bucket_of = arena_alloc(a, sizeof(uint16) * LM_BATCH_SIZE);
    st->scratch = arena_create("window aggregate scratch", a);
    return op;
}
