/*
 * stream_op_session.c: the SESSION window aggregate of pipelines
 * (STREAM_OP_WINDOW_AGGREGATE with gwindow SESSION); output groups...,
 * window_start, window_end, aggs... like the bounded op_session_agg.c.
 *
 * A row at ts opens the window [ts, ts + gap); windows of one group that
 * overlap merge into one session (Flink's merging windows), so a session is
 * [first ts, last ts + gap) and rows may arrive in any order as long as they
 * are not late.  State: the group keys in a hash table (key id), and a pool
 * of session slots (start, end, key, aggregate states by slot id) with each
 * key's open sessions in a short list.
 *
 * Per batch, first a structural pass assigns each row a slot — extending a
 * session, opening one, or merging the sessions a row bridges (their states
 * fold together with AggDesc.merge; the absorbed slot redirects to the
 * survivor, and freed slots are reused only after the batch so the
 * redirections stay unambiguous) — then the rows are folded into their
 * (redirected) slots with one AggDesc.update per aggregate for the batch.
 *
 * A session is final once the watermark reaches its end: it is emitted
 * (append-only, in end order) and its slot freed; the key remembers the end
 * of its last emitted session.  A row is late (dropped and reported) when
 * ts + gap <= watermark, or when it reaches back before the end of an
 * emitted session of its key (it would have to change a result already
 * out): an emitted session never changes.  END closes every session.  emit = 'on_update' is not supported for
 * sessions (merges would have to retract earlier results): 0A000.
 * Known limits: keys stay in the hash table after their sessions close (the
 * hash table has no delete), and var-width aggregate states (min/max of
 * text, string_agg) of closed sessions stay in the operator's arena; both
 * are compacted only by a restore from a checkpoint.
 */
#include "executor/stream_op_int.h"
#include "executor/hashtable.h"
#include "common/errcodes.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

typedef struct SessState {
    AggSet aggs;
    AggStates states; /* by slot */
    int ngroups;
    ExprState **groups;
    const LmType **key_types;
    ExprState *time;
    int time_col;
    int64 gap;
    int64 watermark;
    HashTable *keys;
    uint32 *head;     /* per key id: first open session slot (NONE) */
    int64 *closed_until; /* per key id: the latest end of its emitted sessions */
    uint32 head_cap;
    /* slots */
    uint32 nslots, slot_cap;
    int64 *start, *end;
    uint32 *key_of, *next, *redirect;
    bool *alive;
    uint32 *free_list;
    uint32 nfree;
    uint32 *pending_free;
    uint32 npending;
    uint32 nalive;
    Outbox out;
    Arena *scratch;
    uint32 kids[LM_BATCH_SIZE];
    uint32 gids[LM_BATCH_SIZE];
    int64 bytes;
} SessState;

static void grow_slots(SessState *st, uint32 need)
{
    if (need <= st->slot_cap)
        return;
    uint32 ncap = st->slot_cap ? st->slot_cap * 2 : 64;
    while (ncap < need)
        ncap *= 2;
#define GROW(f, T) st->f = lm_realloc(st->f, sizeof(T) * ncap)
    GROW(start, int64);
    GROW(end, int64);
    GROW(key_of, uint32);
    GROW(next, uint32);
    GROW(redirect, uint32);
    GROW(alive, bool);
    GROW(free_list, uint32);
    GROW(pending_free, uint32);
#undef GROW
    st->slot_cap = ncap;
}

static void grow_heads(SessState *st, uint32 nkeys)
{
    if (nkeys <= st->head_cap)
        return;
    uint32 ncap = st->head_cap ? st->head_cap * 2 : 64;
    while (ncap < nkeys)
        ncap *= 2;
    st->head = lm_realloc(st->head, sizeof(uint32) * ncap);
    st->closed_until = lm_realloc(st->closed_until, sizeof(int64) * ncap);
    for (uint32 i = st->head_cap; i < ncap; i++) {
        st->head[i] = NONE;
        st->closed_until[i] = INT64_MIN;
    }
    st->head_cap = ncap;
}

static uint32 slot_alloc(SessState *st, uint32 key, int64 s, int64 e)
{
    uint32 id;
    if (st->nfree > 0) {
        id = st->free_list[--st->nfree];
        aggstates_reset(&st->aggs, &st->states, id);
    } else {
        grow_slots(st, st->nslots + 1);
        id = st->nslots++;
        aggstates_reserve(&st->aggs, &st->states, st->nslots);
    }
    st->start[id] = s;
    st->end[id] = e;
    st->key_of[id] = key;
    st->redirect[id] = id;
    st->alive[id] = true;
    st->next[id] = st->head[key];
    st->head[key] = id;
    st->nalive++;
    return id;
}

static void slot_unlink(SessState *st, uint32 id)
{
    uint32 *pp = &st->head[st->key_of[id]];
    while (*pp != NONE && *pp != id)
        pp = &st->next[*pp];
    if (*pp == id)
        *pp = st->next[id];
    st->alive[id] = false;
    st->nalive--;
}

static uint32 resolve(SessState *st, uint32 id)
{
    while (st->redirect[id] != id)
        id = st->redirect[id];
    return id;
}

/* The session of key for a row at ts: extends, opens or merges sessions. */
static uint32 assign(SessState *st, uint32 key, int64 ts)
{
    int64 e = ts > INT64_MAX - st->gap ? INT64_MAX : ts + st->gap;
    uint32 target = NONE;
    for (uint32 id = st->head[key]; id != NONE;) {
        uint32 nxt = st->next[id];
        if (st->start[id] < e && ts < st->end[id]) {
            if (target == NONE) {
                target = id;
            } else {
                /* the row bridges two sessions: fold id into target */
                aggset_merge(&st->aggs, &st->states, target, id);
                if (st->start[id] < st->start[target])
                    st->start[target] = st->start[id];
                if (st->end[id] > st->end[target])
                    st->end[target] = st->end[id];
                slot_unlink(st, id);
                st->redirect[id] = target;
                st->pending_free[st->npending++] = id;
            }
        }
        id = nxt;
    }
    if (target == NONE)
        return slot_alloc(st, key, ts, e);
    if (ts < st->start[target])
        st->start[target] = ts;
    if (e > st->end[target])
        st->end[target] = e;
    return target;
}

static void account(Operator *op, SessState *st)
{
    int64 now = (int64)st->slot_cap * (int64)(st->aggs.state_bytes + 8 * 4 + 8) +
                (int64)st->head_cap * 4 + (int64)arena_bytes(op_state_arena(op));
    sop_account(op, now - st->bytes);
    st->bytes = now;
    sop_state_bytes(op, now);
}

static void consume_batch(Operator *op, SessState *st, Batch *in)
{
    const PlanNode *p = op->plan;
    Vector *keys[64];
    for (int i = 0; i < st->ngroups; i++)
        keys[i] = st->groups[i] ? expr_eval(st->groups[i], in) : &in->cols[p->groups[i]->index];
    const Vector *tv = st->time ? expr_eval(st->time, in) : &in->cols[st->time_col];
    int live = batch_live_count(in);
    uint16 *sel = arena_alloc(op->batch_arena, sizeof(uint16) * LM_BATCH_SIZE);
    int n = 0;
    for (int i = 0; i < live; i++) {
        int r = batch_row(in, i);
        if (in->ops && (in->ops[r] == ROW_DELETE || in->ops[r] == ROW_UPDATE_BEFORE))
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("window aggregates over a changelog input are not supported"));
        if (!vector_is_valid(tv, r))
            continue;
        int64 ts = sop_i64(tv, r);
        if (ts > INT64_MAX - st->gap || ts + st->gap <= st->watermark) {
            sop_report_late(op, in, r, ts, st->watermark);
            continue;
        }
        sel[n++] = (uint16)r;
    }
    if (n == 0)
        return;
    Batch view = *in;
    view.sel = sel;
    view.nsel = n;
    if (st->ngroups > 0) {
        hashtable_find_or_insert(st->keys, keys, &view, st->kids);
        grow_heads(st, hashtable_count(st->keys));
    } else {
        grow_heads(st, 1);
        for (int i = 0; i < n; i++)
            st->kids[sel[i]] = 0;
    }
    /* a row reaching back into an emitted session is late too (it cannot change it) */
    int m = 0;
    for (int i = 0; i < n; i++) {
        int r = sel[i];
        int64 ts = sop_i64(tv, r);
        if (ts < st->closed_until[st->kids[r]]) {
            sop_report_late(op, in, r, ts, st->watermark);
            continue;
        }
        sel[m++] = (uint16)r;
        st->gids[r] = assign(st, st->kids[r], ts);
    }
    n = m;
    view.nsel = n;
    if (n == 0)
        return;
    for (int i = 0; i < n; i++)
        st->gids[sel[i]] = resolve(st, st->gids[sel[i]]);
    aggset_update(&st->aggs, &view, st->gids, &st->states);
    for (uint32 i = 0; i < st->npending; i++) {
        st->redirect[st->pending_free[i]] = st->pending_free[i];
        st->free_list[st->nfree++] = st->pending_free[i];
    }
    st->npending = 0;
    account(op, st);
}

static int cmp_end(const void *a, const void *b, void *arg)
{
    const SessState *st = arg;
    uint32 x = *(const uint32 *)a, y = *(const uint32 *)b;
    if (st->end[x] != st->end[y])
        return st->end[x] < st->end[y] ? -1 : 1;
    if (st->key_of[x] != st->key_of[y])
        return st->key_of[x] < st->key_of[y] ? -1 : 1;
    return st->start[x] < st->start[y] ? -1 : st->start[x] > st->start[y];
}

static void emit_session(SessState *st, uint32 id)
{
    int row;
    Batch *out = outbox_add_row(&st->out, ROW_INSERT, &row);
    int ng = st->ngroups;
    if (ng > 0) {
        int krow;
        const Batch *kb = rowset_batch_of(hashtable_keys(st->keys), st->key_of[id], &krow);
        for (int c = 0; c < ng; c++)
            vector_copy_value(&out->cols[c], out->arena, row, &kb->cols[c], krow);
    }
    ((int64 *)out->cols[ng].data)[row] = st->start[id];
    vector_set_valid(&out->cols[ng], row);
    ((int64 *)out->cols[ng + 1].data)[row] = st->end[id];
    vector_set_valid(&out->cols[ng + 1], row);
    aggset_finalize(&st->aggs, &st->states, id, &out->cols[ng + 2], row);
}

static void close_until(Operator *op, SessState *st, int64 wm)
{
    uint32 n = 0;
    uint32 *ids = NULL;
    for (uint32 id = 0; id < st->nslots; id++)
        if (st->alive[id] && st->end[id] <= wm) {
            if (ids == NULL)
                ids = arena_alloc(op->batch_arena, sizeof(uint32) * st->nalive);
            ids[n++] = id;
        }
    if (n == 0)
        return;
    qsort_r(ids, n, sizeof(uint32), cmp_end, st);
    for (uint32 i = 0; i < n; i++) {
        emit_session(st, ids[i]);
        int64 *cu = &st->closed_until[st->key_of[ids[i]]];
        if (st->end[ids[i]] > *cu)
            *cu = st->end[ids[i]];
        slot_unlink(st, ids[i]);
        st->free_list[st->nfree++] = ids[i];
    }
    account(op, st);
}

static ExecEvent sess_next(Operator *op)
{
    SessState *st = op->state;
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
        default:
            return ev;
        }
    }
}

static void sess_close(Operator *op)
{
    SessState *st = op->state;
    sop_account(op, -st->bytes);
    st->bytes = 0;
    lm_free(st->start);
    lm_free(st->end);
    lm_free(st->key_of);
    lm_free(st->next);
    lm_free(st->redirect);
    lm_free(st->alive);
    lm_free(st->free_list);
    lm_free(st->pending_free);
    lm_free(st->head);
    lm_free(st->closed_until);
    st->closed_until = NULL;
    st->start = st->end = NULL;
    st->key_of = st->next = st->redirect = st->free_list = st->pending_free = st->head = NULL;
    st->alive = NULL;
}

static void sess_snapshot(Operator *op, StateWriter *w)
{
    SessState *st = op->state;
    state_clear(w);
    StrBuf k, v;
    strbuf_init(&k, NULL);
    strbuf_init(&v, NULL);
    strbuf_append_char(&k, 'M');
    codec_put_i64(&v, st->watermark);
    state_put(w, k.data, k.len, v.data, v.len);
    const RowSet *keys = st->ngroups > 0 ? hashtable_keys(st->keys) : NULL;
    for (uint32 id = 0; id < st->nslots; id++) {
        if (!st->alive[id])
            continue;
        arena_reset(st->scratch);
        strbuf_reset(&k);
        strbuf_reset(&v);
        strbuf_append_char(&k, 'S');
        codec_put_u32(&k, id);
        if (keys) {
            int krow;
            const Batch *kb = rowset_batch_of(keys, st->key_of[id], &krow);
            rowcodec_put(&v, kb, krow, st->ngroups, NULL);
        }
        codec_put_i64(&v, st->start[id]);
        codec_put_i64(&v, st->end[id]);
        aggset_save(&st->aggs, &st->states, id, &v, st->scratch);
        state_put(w, k.data, k.len, v.data, v.len);
    }
    /* keys whose emitted sessions still reach past watermark - gap (older ones are covered
     * by the ts + gap <= watermark rule) */
    uint32 nkeys = st->ngroups > 0 ? hashtable_count(st->keys) : (st->head_cap ? 1 : 0);
    for (uint32 kid = 0; kid < nkeys && kid < st->head_cap; kid++) {
        int64 cu = st->closed_until[kid];
        if (cu == INT64_MIN || (st->watermark != INT64_MIN && cu <= st->watermark - st->gap))
            continue;
        strbuf_reset(&k);
        strbuf_reset(&v);
        strbuf_append_char(&k, 'C');
        codec_put_u32(&k, kid);
        if (keys) {
            int krow;
            const Batch *kb = rowset_batch_of(keys, kid, &krow);
            rowcodec_put(&v, kb, krow, st->ngroups, NULL);
        }
        codec_put_i64(&v, cu);
        state_put(w, k.data, k.len, v.data, v.len);
    }
    strbuf_free(&k);
    strbuf_free(&v);
}

static void sess_restore(Operator *op, StateReader *r)
{
    SessState *st = op->state;
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
        if (klen != 5 || (key[0] != 'S' && key[0] != 'C'))
            codec_corrupt();
        arena_reset(st->scratch);
        uint32 kid = 0;
        if (st->ngroups > 0) {
            for (int c = 0; c < st->ngroups; c++)
                vector_init(&kb->cols[c], st->scratch, st->key_types[c], 1);
            rowcodec_get(&p, end, kb->cols, st->ngroups, 0, st->scratch);
            kb->count = 1;
            kb->sel = NULL;
            hashtable_find_or_insert(st->keys, kv, kb, &kid);
        }
        grow_heads(st, kid + 1);
        if (key[0] == 'C') {
            st->closed_until[kid] = codec_get_i64(&p, end);
            continue;
        }
        int64 s = codec_get_i64(&p, end), e = codec_get_i64(&p, end);
        uint32 id = slot_alloc(st, kid, s, e);
        aggset_load(&st->aggs, &st->states, id, &p, end, st->scratch);
    }
    account(op, st);
}

static const OperatorOps sess_ops = {"SessionWindowAggregate", NULL, sess_next, sess_close,
                                     sess_snapshot, sess_restore};

Operator *stream_session_agg_create(ExecContext *ctx, const PlanNode *plan, Operator *child,
                                    const StreamOpInfo *info)
{
    if (info->emits_changelog)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("SESSION windows with emit = 'on_update' are not supported"),
                errhint("Use emit = 'on_window_close' (the default) for session windows."));
    if (info->input_changelog[0])
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("window aggregates over a changelog input are not supported"),
                errhint("Aggregate the source rows, or use a non-windowed aggregate."));
    Operator *op = exec_operator_create(ctx, plan, &child, 1);
    Arena *a = exec_operator_arena(op);
    SessState *st = arena_new(a, SessState);
    op->state = st;
    op->ops = &sess_ops;
    st->ngroups = plan->ngroups;
    if (st->ngroups > 64)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("too many grouping expressions: %d (at most 64)", plan->ngroups));
    st->gap = plan->gwindow.gap_us;
    st->watermark = INT64_MIN;
    st->groups = arena_new_array(a, ExprState *, st->ngroups + 1);
    st->key_types = arena_new_array(a, const LmType *, st->ngroups + 1);
    for (int i = 0; i < st->ngroups; i++) {
        const Expr *g = plan->groups[i];
        if (g->kind != EXPR_COLUMN || g->levels_up != 0)
            st->groups[i] = op_expr_init(op, g);
        st->key_types[i] = g->type;
    }
    if (st->ngroups > 0)
        st->keys = hashtable_create(a, st->ngroups, st->key_types, true);
    const Expr *t = plan->gwindow.time;
    if (info->time_col >= 0)
        st->time_col = info->time_col;
    else if (t->kind == EXPR_COLUMN && t->levels_up == 0)
        st->time_col = t->index;
    else
        st->time = op_expr_init(op, t);
    for (int i = 0; i < plan->naggs; i++)
        if (plan->aggs[i].distinct) /* sessions merge states; DISTINCT sets cannot be merged */
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("DISTINCT inside %s() is not supported in SESSION windows of pipelines",
                           plan->aggs[i].agg->name));
    aggset_init(op, &st->aggs, plan->naggs, plan->aggs, a, "pipelines");
    aggstates_init(&st->aggs, &st->states, a);
    outbox_init(&st->out, a, plan->ncols, plan_col_types(a, plan), false);
    st->scratch = arena_create("session scratch", a);
    return op;
}
