/*
 * stream_op_join.c: joins of two streams in pipelines — the window join
 * (STREAM_OP_WINDOW_JOIN: both sides windowed, equal window bounds among the
 * equi-keys) and the interval join (STREAM_OP_INTERVAL_JOIN: left.time -
 * right.time bounded to [lower, upper]).  Both inputs are read through
 * stream_inputs (barrier alignment, minimum watermark).  Output columns are
 * left ++ right, append-only; INNER, LEFT, RIGHT and FULL joins.
 *
 * Window join: rows are buffered per window (a bucket per window_end, one
 * RowSet per side, in the bucket's arena).  When the watermark reaches the
 * window's end, the bucket is joined — a hash table over the right rows'
 * keys with row chains, probed by the left rows, the residual condition
 * evaluated on each batch of candidate pairs — unmatched rows of the outer
 * side(s) are emitted with NULLs, and the bucket is dropped.  A row whose
 * window already closed is late (dropped, reported).
 *
 * Interval join: each side keeps its rows (RowSet) with per-row key id,
 * event time, alive and matched flags, and a chain per key (newest first).
 * An arriving row probes the other side's chain for its key, keeping rows
 * whose time lies in the bound, evaluates the residual (the full condition
 * minus the equi-keys, so the exact time bounds too) on the candidate
 * pairs, emits the matches, and is stored.  A row behind the watermark is
 * late.  The watermark expires rows no future row can match (left rows with
 * ts - lower < watermark, right rows with ts + upper < watermark): outer
 * joins emit them then if they never matched; expired rows are compacted
 * away once they outnumber the live ones.  END emits the remaining
 * unmatched rows of outer sides.
 *
 * Keys: equi-keys with a NULL never match (SQL).  Snapshots write every
 * buffered row (row codec) with its flags; restore re-buffers them.
 */
#include "executor/stream_op_int.h"
#include "executor/hashtable.h"
#include "common/errcodes.h"

#include <string.h>

#define NONE UINT32_MAX

typedef struct JoinCommon {
    StreamInputs *in;
    int nkeys;
    ExprState **keys[2]; /* per side; NULL entries: plain column */
    const LmType **key_types;
    int ncols[2];
    const LmType **types[2];
    ExprState *residual;
    JoinType jt;
    bool outer[2]; /* emit unmatched rows of this side */
    int64 watermark;
    Outbox out;
    Arena *scratch;
    int64 bytes;
} JoinCommon;

static void common_init(Operator *op, JoinCommon *jc, const PlanNode *plan, Operator **children,
                        const StreamOpInfo *info)
{
    if (info->input_changelog[0] || info->input_changelog[1])
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("window and interval joins over a changelog input are not supported"));
    Arena *a = exec_operator_arena(op);
    jc->in = stream_inputs_create(a, children, 2);
    jc->jt = plan->join_type;
    if (jc->jt != JOIN_INNER && jc->jt != JOIN_LEFT && jc->jt != JOIN_RIGHT &&
        jc->jt != JOIN_FULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("semi- and anti-joins of two streams are not supported in pipelines"));
    jc->outer[0] = jc->jt == JOIN_LEFT || jc->jt == JOIN_FULL;
    jc->outer[1] = jc->jt == JOIN_RIGHT || jc->jt == JOIN_FULL;
    jc->nkeys = plan->nkeys;
    jc->key_types = arena_new_array(a, const LmType *, plan->nkeys + 1);
    for (int s = 0; s < 2; s++) {
        Expr **ke = s == 0 ? plan->left_keys : plan->right_keys;
        jc->keys[s] = arena_new_array(a, ExprState *, plan->nkeys + 1);
        for (int k = 0; k < plan->nkeys; k++)
            if (ke[k]->kind != EXPR_COLUMN || ke[k]->levels_up != 0)
                jc->keys[s][k] = op_expr_init(op, ke[k]);
        const PlanNode *side = s == 0 ? plan->left : plan->right;
        jc->ncols[s] = side->ncols;
        jc->types[s] = plan_col_types(a, side);
    }
    for (int k = 0; k < plan->nkeys; k++)
        jc->key_types[k] = plan->left_keys[k]->type;
    if (plan->residual)
        jc->residual = op_expr_init(op, plan->residual);
    jc->watermark = INT64_MIN;
    outbox_init(&jc->out, a, plan->ncols, plan_col_types(a, plan), false);
    jc->scratch = arena_create("join scratch", a);
}

static void eval_keys(const PlanNode *plan, JoinCommon *jc, int side, const Batch *b, Vector **out)
{
    Expr **ke = side == 0 ? plan->left_keys : plan->right_keys;
    for (int k = 0; k < jc->nkeys; k++)
        out[k] = jc->keys[side][k] ? expr_eval(jc->keys[side][k], b) : &b->cols[ke[k]->index];
}

/*
 * Candidate pairs: left rows (from a batch or a RowSet) with right rows (likewise).  Flushed
 * in batches of up to LM_BATCH_SIZE pairs: the pair batch is assembled, the residual filters
 * it, matched flags are set and the surviving rows go to the outbox.
 */
typedef struct PairSrc {
    const Batch *batch; /* rows are positions in this batch, or ... */
    const RowSet *rs;   /* ... global indexes into this RowSet */
    uint8 *matched;     /* per row (batch position or RowSet index); NULL: not tracked */
} PairSrc;

typedef struct Pairs {
    uint32 l[LM_BATCH_SIZE], r[LM_BATCH_SIZE];
    int n;
} Pairs;

static void fill_side(Batch *out, int col0, int ncols, const PairSrc *src, const uint32 *rows,
                      int n, Arena *a)
{
    if (src->batch) {
        uint16 r16[LM_BATCH_SIZE];
        for (int i = 0; i < n; i++)
            r16[i] = (uint16)rows[i];
        for (int c = 0; c < ncols; c++)
            vector_gather(&out->cols[col0 + c], a, &src->batch->cols[c], r16, n);
    } else {
        for (int c = 0; c < ncols; c++)
            rowset_gather(src->rs, c, rows, n, &out->cols[col0 + c], a, 0);
    }
}

static void flush_pairs(Operator *op, JoinCommon *jc, Pairs *p, const PairSrc *L, const PairSrc *R)
{
    if (p->n == 0)
        return;
    arena_reset(jc->scratch);
    const PlanNode *plan = op->plan;
    Batch *b = batch_create(jc->scratch, plan->ncols, jc->out.types, LM_BATCH_SIZE);
    fill_side(b, 0, jc->ncols[0], L, p->l, p->n, jc->scratch);
    fill_side(b, jc->ncols[0], jc->ncols[1], R, p->r, p->n, jc->scratch);
    b->count = p->n;
    if (jc->residual) {
        uint16 *sel = arena_alloc(jc->scratch, sizeof(uint16) * LM_BATCH_SIZE);
        int k = expr_filter(jc->residual, b, sel);
        b->sel = sel;
        b->nsel = k;
    }
    int live = batch_live_count(b);
    for (int i = 0; i < live; i++) {
        int r = batch_row(b, i);
        if (L->matched)
            L->matched[p->l[r]] = 1;
        if (R->matched)
            R->matched[p->r[r]] = 1;
    }
    if (live > 0)
        outbox_append(&jc->out, b, ROW_INSERT, false);
    p->n = 0;
}

static inline void add_pair(Operator *op, JoinCommon *jc, Pairs *p, const PairSrc *L,
                            const PairSrc *R, uint32 l, uint32 r)
{
    p->l[p->n] = l;
    p->r[p->n] = r;
    if (++p->n == LM_BATCH_SIZE)
        flush_pairs(op, jc, p, L, R);
}

/* Emits rows of one side with NULLs for the other side's columns. */
static void emit_unmatched(Operator *op, JoinCommon *jc, int side, const PairSrc *src,
                           const uint32 *rows, int n)
{
    if (n == 0)
        return;
    arena_reset(jc->scratch);
    Batch *b = batch_create(jc->scratch, op->plan->ncols, jc->out.types, LM_BATCH_SIZE);
    int col0 = side == 0 ? 0 : jc->ncols[0];
    fill_side(b, col0, jc->ncols[side], src, rows, n, jc->scratch);
    int o0 = side == 0 ? jc->ncols[0] : 0, on = jc->ncols[1 - side];
    for (int c = 0; c < on; c++)
        for (int i = 0; i < n; i++)
            vector_set_null(&b->cols[o0 + c], i);
    b->count = n;
    outbox_append(&jc->out, b, ROW_INSERT, false);
}

static void check_append_only(const Batch *b)
{
    if (b->ops == NULL)
        return;
    for (int i = 0; i < batch_live_count(b); i++) {
        uint8 o = b->ops[batch_row(b, i)];
        if (o == ROW_DELETE || o == ROW_UPDATE_BEFORE)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("window and interval joins over a changelog input are not supported"));
    }
}

/* ================================================================ window join */

typedef struct WBucket {
    int64 window_end;
    Arena *arena;
    RowSet *rows[2];
} WBucket;

typedef struct WinJoinState {
    JoinCommon jc;
    int wek, wsk; /* key index of window_end / window_start (-1 none) */
    int64 size_us;
    WBucket **b;
    int nb, cap;
} WinJoinState;

static WBucket *wbucket(Operator *op, WinJoinState *st, int64 we)
{
    int lo = 0, hi = st->nb;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (st->b[mid]->window_end < we)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < st->nb && st->b[lo]->window_end == we)
        return st->b[lo];
    if (st->nb == st->cap) {
        int ncap = st->cap ? st->cap * 2 : 16;
        st->b = lm_realloc(st->b, sizeof(WBucket *) * (size_t)ncap);
        st->cap = ncap;
    }
    Arena *a = arena_create("join window", exec_operator_arena(op));
    WBucket *w = arena_new(a, WBucket);
    w->window_end = we;
    w->arena = a;
    for (int s = 0; s < 2; s++)
        w->rows[s] = rowset_create(a, st->jc.ncols[s], st->jc.types[s]);
    memmove(st->b + lo + 1, st->b + lo, sizeof(WBucket *) * (size_t)(st->nb - lo));
    st->b[lo] = w;
    st->nb++;
    return w;
}

static void wj_account(Operator *op, WinJoinState *st)
{
    int64 now = 0;
    for (int i = 0; i < st->nb; i++)
        now += (int64)arena_bytes(st->b[i]->arena);
    sop_account(op, now - st->jc.bytes);
    st->jc.bytes = now;
    sop_state_bytes(op, now);
}

static void wj_consume(Operator *op, WinJoinState *st, int side, const Batch *in)
{
    JoinCommon *jc = &st->jc;
    check_append_only(in);
    Vector *keys[64];
    eval_keys(op->plan, jc, side, in, keys);
    const Vector *wv = keys[st->wek >= 0 ? st->wek : st->wsk];
    int live = batch_live_count(in);
    uint16 *sel = arena_alloc(op->batch_arena, sizeof(uint16) * LM_BATCH_SIZE);
    int i = 0;
    while (i < live) {
        /* runs of rows of one window go in at once */
        int r = batch_row(in, i);
        if (!vector_is_valid(wv, r)) {
            i++;
            continue;
        }
        int64 we = sop_i64(wv, r) + (st->wek >= 0 ? 0 : st->size_us);
        if (we <= jc->watermark) {
            sop_report_late(op, in, r, we - 1, jc->watermark);
            i++;
            continue;
        }
        int n = 0;
        while (i < live) {
            int rr = batch_row(in, i);
            if (!vector_is_valid(wv, rr) ||
                sop_i64(wv, rr) + (st->wek >= 0 ? 0 : st->size_us) != we)
                break;
            sel[n++] = (uint16)rr;
            i++;
        }
        WBucket *w = wbucket(op, st, we);
        Batch view = *in;
        view.sel = sel;
        view.nsel = n;
        view.ops = NULL;
        rowset_append(w->rows[side], &view);
    }
    wj_account(op, st);
}

/* Joins and drops the first bucket. */
static void wj_close_first(Operator *op, WinJoinState *st)
{
    JoinCommon *jc = &st->jc;
    const PlanNode *plan = op->plan;
    WBucket *w = st->b[0];
    RowSet *L = w->rows[0], *R = w->rows[1];
    uint32 nl = (uint32)L->nrows, nr = (uint32)R->nrows;
    Arena *a = arena_create("window join close", w->arena);
    uint8 *lm = arena_alloc0(a, nl + 1), *rm = arena_alloc0(a, nr + 1);
    PairSrc ls = {.rs = L, .matched = lm}, rsrc = {.rs = R, .matched = rm};
    if (nl > 0 && nr > 0) {
        HashTable *ht = hashtable_create(a, jc->nkeys, jc->key_types, false);
        uint32 *head = NULL, cap = 0;
        uint32 *next = arena_alloc(a, sizeof(uint32) * nr);
        uint32 ids[LM_BATCH_SIZE];
        Vector *keys[64];
        for (int bi = 0; bi < R->nbatches; bi++) {
            const Batch *rb = R->batches[bi];
            eval_keys(plan, jc, 1, rb, keys);
            hashtable_find_or_insert(ht, keys, rb, ids);
            uint32 n = hashtable_count(ht);
            if (n > cap) {
                uint32 ncap = cap ? cap * 2 : 256;
                while (ncap < n)
                    ncap *= 2;
                head = arena_realloc(a, head, sizeof(uint32) * cap, sizeof(uint32) * ncap);
                for (uint32 g = cap; g < ncap; g++)
                    head[g] = NONE;
                cap = ncap;
            }
            for (int r = 0; r < rb->count; r++) {
                uint32 gidx = (uint32)bi * LM_BATCH_SIZE + (uint32)r;
                if (ids[r] == HT_NONE) {
                    next[gidx] = NONE;
                    continue;
                }
                next[gidx] = head[ids[r]];
                head[ids[r]] = gidx;
            }
        }
        Pairs *p = arena_new(a, Pairs);
        for (int bi = 0; bi < L->nbatches; bi++) {
            const Batch *lb = L->batches[bi];
            eval_keys(plan, jc, 0, lb, keys);
            hashtable_probe(ht, keys, lb, ids);
            for (int r = 0; r < lb->count; r++) {
                if (ids[r] == HT_NONE)
                    continue;
                uint32 lidx = (uint32)bi * LM_BATCH_SIZE + (uint32)r;
                for (uint32 x = head[ids[r]]; x != NONE; x = next[x])
                    add_pair(op, jc, p, &ls, &rsrc, lidx, x);
            }
        }
        flush_pairs(op, jc, p, &ls, &rsrc);
    }
    for (int s = 0; s < 2; s++) {
        if (!jc->outer[s])
            continue;
        uint32 n = s == 0 ? nl : nr;
        uint8 *m = s == 0 ? lm : rm;
        uint32 rows[LM_BATCH_SIZE];
        int k = 0;
        for (uint32 i = 0; i < n; i++) {
            if (m[i])
                continue;
            rows[k++] = i;
            if (k == LM_BATCH_SIZE) {
                emit_unmatched(op, jc, s, s == 0 ? &ls : &rsrc, rows, k);
                k = 0;
            }
        }
        emit_unmatched(op, jc, s, s == 0 ? &ls : &rsrc, rows, k);
    }
    arena_destroy(w->arena);
    memmove(st->b, st->b + 1, sizeof(WBucket *) * (size_t)(st->nb - 1));
    st->nb--;
}

static ExecEvent wj_next(Operator *op)
{
    WinJoinState *st = op->state;
    ExecEvent ev;
    for (;;) {
        if (outbox_next(&st->jc.out, &ev))
            return ev;
        arena_reset(op->batch_arena);
        int which;
        ev = stream_inputs_next(st->jc.in, &which);
        switch (ev.kind) {
        case EXEC_BATCH:
            if (batch_live_count(ev.batch) > 0)
                wj_consume(op, st, which, ev.batch);
            continue;
        case EXEC_WATERMARK:
        case EXEC_END: {
            int64 wm = ev.kind == EXEC_END ? INT64_MAX : ev.watermark;
            if (wm > st->jc.watermark) {
                if (ev.kind == EXEC_WATERMARK)
                    st->jc.watermark = wm;
                while (st->nb > 0 && st->b[0]->window_end <= wm)
                    wj_close_first(op, st);
                wj_account(op, st);
            }
            outbox_set_event(&st->jc.out, ev);
            continue;
        }
        default:
            return ev;
        }
    }
}

static void wj_close(Operator *op)
{
    WinJoinState *st = op->state;
    for (int i = 0; i < st->nb; i++)
        arena_destroy(st->b[i]->arena);
    st->nb = 0;
    lm_free(st->b);
    st->b = NULL;
    sop_account(op, -st->jc.bytes);
    st->jc.bytes = 0;
}

static void wj_snapshot(Operator *op, StateWriter *w)
{
    WinJoinState *st = op->state;
    state_clear(w);
    StrBuf k, v;
    strbuf_init(&k, NULL);
    strbuf_init(&v, NULL);
    strbuf_append_char(&k, 'M');
    codec_put_i64(&v, st->jc.watermark);
    state_put(w, k.data, k.len, v.data, v.len);
    for (int i = 0; i < st->nb; i++)
        for (int s = 0; s < 2; s++) {
            const RowSet *rs = st->b[i]->rows[s];
            for (int64 r = 0; r < rs->nrows; r++) {
                strbuf_reset(&k);
                strbuf_reset(&v);
                strbuf_append_char(&k, 'W');
                codec_put_i64(&k, st->b[i]->window_end);
                strbuf_append_char(&k, (char)s);
                codec_put_u32(&k, (uint32)r);
                int row;
                const Batch *b = rowset_batch_of(rs, (uint32)r, &row);
                rowcodec_put(&v, b, row, st->jc.ncols[s], NULL);
                state_put(w, k.data, k.len, v.data, v.len);
            }
        }
    strbuf_free(&k);
    strbuf_free(&v);
}

static void wj_restore(Operator *op, StateReader *r)
{
    WinJoinState *st = op->state;
    const char *key, *val;
    size_t klen, vlen;
    while (state_next(r, &key, &klen, &val, &vlen)) {
        const char *p = val, *end = val + vlen;
        if (klen == 1 && key[0] == 'M') {
            st->jc.watermark = codec_get_i64(&p, end);
            continue;
        }
        if (klen != 14 || key[0] != 'W')
            codec_corrupt();
        const char *kp = key + 1;
        int64 we = codec_get_i64(&kp, key + klen);
        int s = key[9];
        if (s != 0 && s != 1)
            codec_corrupt();
        WBucket *wb = wbucket(op, st, we);
        int row;
        Batch *b = rowset_add_row(wb->rows[s], &row);
        Arena *a = wb->rows[s]->arena;
        rowcodec_get(&p, end, b->cols, st->jc.ncols[s], row, a);
    }
    wj_account(op, st);
}

static const OperatorOps wj_ops = {"WindowJoin", NULL, wj_next, wj_close, wj_snapshot, wj_restore};

/* The window size below a plan (through single-input nodes), for joins keyed by window_start
 * only. */
static int64 find_window_size(const PlanNode *p)
{
    for (; p; p = p->left) {
        if (p->kind == PLAN_WINDOW_ASSIGN)
            return p->gwindow.size_us;
        if (p->right)
            return 0;
    }
    return 0;
}

Operator *stream_window_join_create(ExecContext *ctx, const PlanNode *plan, Operator **children,
                                    const StreamOpInfo *info)
{
    Operator *op = exec_operator_create(ctx, plan, children, 2);
    Arena *a = exec_operator_arena(op);
    WinJoinState *st = arena_new(a, WinJoinState);
    op->state = st;
    op->ops = &wj_ops;
    if (plan->kind != PLAN_JOIN || plan->nkeys > 64)
        elog(ERROR, "window join over plan node %d", (int)plan->kind);
    st->wek = info->window_end_key;
    st->wsk = info->window_start_key;
    if (st->wek < 0) {
        st->size_us = find_window_size(plan->left);
        if (st->wsk < 0 || st->size_us <= 0)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("a window join must join on window_end, or on window_start of a "
                           "TUMBLE/HOP window"));
    }
    common_init(op, &st->jc, plan, children, info);
    return op;
}

/* ================================================================ interval join */

typedef struct ISide {
    Arena *arena;
    RowSet *rows;
    uint32 n, cap; /* per-row arrays */
    uint32 *key;   /* key id, NONE for a NULL key */
    int64 *ts;
    uint8 *alive, *matched;
    uint32 *next;  /* chain of the same key, newer first */
    uint32 ndead;
    uint32 expire_from; /* rows before it are all dead */
    uint32 *head;  /* per key id */
    uint32 head_cap;
} ISide;

typedef struct IntJoinState {
    JoinCommon jc;
    HashTable *keys; /* shared by both sides */
    int time_col[2];
    int64 lower, upper;
    ISide side[2];
    uint32 expire_calls;
    uint32 ids[LM_BATCH_SIZE];
} IntJoinState;

static void iside_init(Operator *op, IntJoinState *st, int s)
{
    ISide *sd = &st->side[s];
    sd->arena = arena_create("interval join side", exec_operator_arena(op));
    sd->rows = rowset_create(sd->arena, st->jc.ncols[s], st->jc.types[s]);
}

static void iside_grow(ISide *sd, uint32 need)
{
    if (need <= sd->cap)
        return;
    uint32 ncap = sd->cap ? sd->cap * 2 : 1024;
    while (ncap < need)
        ncap *= 2;
    sd->key = lm_realloc(sd->key, sizeof(uint32) * ncap);
    sd->ts = lm_realloc(sd->ts, sizeof(int64) * ncap);
    sd->alive = lm_realloc(sd->alive, ncap);
    sd->matched = lm_realloc(sd->matched, ncap);
    sd->next = lm_realloc(sd->next, sizeof(uint32) * ncap);
    sd->cap = ncap;
}

static void iside_heads(ISide *sd, uint32 nkeys)
{
    stream_chain_heads_grow(&sd->head, &sd->head_cap, nkeys);
}

static void iside_free(ISide *sd)
{
    lm_free(sd->key);
    lm_free(sd->ts);
    lm_free(sd->alive);
    lm_free(sd->matched);
    lm_free(sd->next);
    lm_free(sd->head);
    sd->key = sd->next = sd->head = NULL;
    sd->ts = NULL;
    sd->alive = sd->matched = NULL;
    sd->cap = sd->head_cap = sd->n = sd->expire_from = 0;
}

static void ij_account(Operator *op, IntJoinState *st)
{
    int64 now = 0;
    for (int s = 0; s < 2; s++)
        now += (int64)arena_bytes(st->side[s].arena) + (int64)st->side[s].cap * 26 +
               (int64)st->side[s].head_cap * 4;
    sop_account(op, now - st->jc.bytes);
    st->jc.bytes = now;
    sop_state_bytes(op, now);
}

/* Stores the rows sel[0..n) of b (key ids in st->ids, times in tv) on side s. */
static void iside_store(IntJoinState *st, int s, const Batch *b, const uint16 *sel, int n,
                        const Vector *tv, const uint8 *matched)
{
    ISide *sd = &st->side[s];
    Batch view = *b;
    view.sel = (uint16 *)sel;
    view.nsel = n;
    view.ops = NULL;
    rowset_append(sd->rows, &view);
    iside_grow(sd, sd->n + (uint32)n);
    iside_heads(sd, hashtable_count(st->keys));
    for (int i = 0; i < n; i++) {
        int r = sel[i];
        uint32 x = sd->n++;
        sd->key[x] = st->ids[r];
        sd->ts[x] = sop_i64(tv, r);
        sd->alive[x] = 1;
        sd->matched[x] = matched ? matched[r] : 0;
        if (st->ids[r] != HT_NONE) {
            sd->next[x] = sd->head[st->ids[r]];
            sd->head[st->ids[r]] = x;
        } else {
            sd->next[x] = NONE;
        }
    }
}

static inline int64 sat_sub(int64 a, int64 b)
{
    int64 r;
    if (__builtin_sub_overflow(a, b, &r))
        return b > 0 ? INT64_MIN : INT64_MAX;
    return r;
}

static inline int64 sat_add(int64 a, int64 b)
{
    int64 r;
    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

static void ij_consume(Operator *op, IntJoinState *st, int s, const Batch *in)
{
    JoinCommon *jc = &st->jc;
    check_append_only(in);
    Vector *keys[64];
    eval_keys(op->plan, jc, s, in, keys);
    const Vector *tv = &in->cols[st->time_col[s]];
    int live = batch_live_count(in);
    uint16 *sel = arena_alloc(op->batch_arena, sizeof(uint16) * LM_BATCH_SIZE);
    int n = 0;
    uint32 notime[LM_BATCH_SIZE];
    int nnt = 0;
    for (int i = 0; i < live; i++) {
        int r = batch_row(in, i);
        if (!vector_is_valid(tv, r)) {
            /* no time: the bounds are NULL, it matches nothing (outer joins emit it now) */
            notime[nnt++] = (uint32)r;
            continue;
        }
        if (sop_i64(tv, r) < jc->watermark) {
            sop_report_late(op, in, r, sop_i64(tv, r), jc->watermark);
            continue;
        }
        sel[n++] = (uint16)r;
    }
    if (nnt > 0 && jc->outer[s]) {
        PairSrc self = {.batch = in};
        emit_unmatched(op, jc, s, &self, notime, nnt);
    }
    if (n == 0)
        return;
    Batch view = *in;
    view.sel = sel;
    view.nsel = n;
    if (jc->nkeys > 0) {
        hashtable_find_or_insert(st->keys, keys, &view, st->ids);
    } else {
        for (int i = 0; i < n; i++)
            st->ids[sel[i]] = 0;
    }
    /* probe the other side */
    ISide *o = &st->side[1 - s];
    uint8 *matched = arena_alloc0(op->batch_arena, LM_BATCH_SIZE);
    PairSrc self = {.batch = in, .matched = matched};
    PairSrc other = {.rs = o->rows, .matched = o->matched};
    Pairs *p = arena_new(op->batch_arena, Pairs);
    for (int i = 0; i < n; i++) {
        int r = sel[i];
        uint32 kid = st->ids[r];
        if (kid == HT_NONE || kid >= o->head_cap)
            continue;
        int64 t = sop_i64(tv, r);
        /* other rows' time range: left = self: r.ts in [t - upper, t - lower];
         * right = self: l.ts in [t + lower, t + upper] */
        int64 lo = s == 0 ? sat_sub(t, st->upper) : sat_add(t, st->lower);
        int64 hi = s == 0 ? sat_sub(t, st->lower) : sat_add(t, st->upper);
        for (uint32 x = o->head[kid]; x != NONE; x = o->next[x]) {
            if (!o->alive[x] || o->ts[x] < lo || o->ts[x] > hi)
                continue;
            if (s == 0)
                add_pair(op, jc, p, &self, &other, (uint32)r, x);
            else
                add_pair(op, jc, p, &other, &self, x, (uint32)r);
        }
    }
    if (s == 0)
        flush_pairs(op, jc, p, &self, &other);
    else
        flush_pairs(op, jc, p, &other, &self);
    iside_store(st, s, in, sel, n, tv, matched);
    ij_account(op, st);
}

static void iside_compact(IntJoinState *st, int s, Operator *op)
{
    ISide *sd = &st->side[s];
    Arena *na = arena_create("interval join side", exec_operator_arena(op));
    RowSet *nr = rowset_create(na, st->jc.ncols[s], st->jc.types[s]);
    uint32 k = 0;
    uint16 sel[LM_BATCH_SIZE];
    for (int bi = 0; bi < sd->rows->nbatches; bi++) {
        Batch view = *sd->rows->batches[bi];
        int m = 0;
        for (int r = 0; r < view.count; r++) {
            uint32 x = (uint32)bi * LM_BATCH_SIZE + (uint32)r;
            if (!sd->alive[x])
                continue;
            sel[m++] = (uint16)r;
            sd->key[k] = sd->key[x];
            sd->ts[k] = sd->ts[x];
            sd->alive[k] = 1;
            sd->matched[k] = sd->matched[x];
            k++;
        }
        view.sel = sel;
        view.nsel = m;
        if (m > 0)
            rowset_append(nr, &view);
    }
    arena_destroy(sd->arena);
    sd->arena = na;
    sd->rows = nr;
    sd->n = k;
    sd->ndead = 0;
    sd->expire_from = 0;
    for (uint32 i = 0; i < sd->head_cap; i++)
        sd->head[i] = NONE;
    for (uint32 x = 0; x < k; x++) {
        if (sd->key[x] == HT_NONE) {
            sd->next[x] = NONE;
            continue;
        }
        sd->next[x] = sd->head[sd->key[x]];
        sd->head[sd->key[x]] = x;
    }
}

/*
 * Expires rows no future row can match (all rows at END).  Rows are stored in arrival order,
 * which is nearly event-time order, so a watermark normally scans from the side's frontier
 * (expire_from: every row before it is dead) and stops at the first row that must stay; rows
 * out of order behind it stay alive a little longer (harmless: probes still check the time
 * bounds).  Every 64th watermark scans the whole side to catch those stragglers.
 */
static void ij_expire(Operator *op, IntJoinState *st, int64 wm, bool all)
{
    bool full = all || (++st->expire_calls & 63) == 0;
    for (int s = 0; s < 2; s++) {
        ISide *sd = &st->side[s];
        uint32 rows[LM_BATCH_SIZE];
        int k = 0;
        PairSrc src = {.rs = sd->rows};
        bool frontier = true; /* every row before x is dead */
        for (uint32 x = full ? 0 : sd->expire_from; x < sd->n; x++) {
            if (!sd->alive[x]) {
                if (frontier)
                    sd->expire_from = x + 1;
                continue;
            }
            bool dead = all || (s == 0 ? sat_sub(sd->ts[x], st->lower) < wm
                                       : sat_add(sd->ts[x], st->upper) < wm);
            if (!dead) {
                if (!full)
                    break;
                frontier = false;
                continue;
            }
            if (frontier)
                sd->expire_from = x + 1;
            sd->alive[x] = 0;
            sd->ndead++;
            if (st->jc.outer[s] && !sd->matched[x]) {
                rows[k++] = x;
                if (k == LM_BATCH_SIZE) {
                    emit_unmatched(op, &st->jc, s, &src, rows, k);
                    k = 0;
                }
            }
        }
        emit_unmatched(op, &st->jc, s, &src, rows, k);
        if (sd->ndead > 1024 && sd->ndead * 2 > sd->n)
            iside_compact(st, s, op);
    }
    ij_account(op, st);
}

static ExecEvent ij_next(Operator *op)
{
    IntJoinState *st = op->state;
    ExecEvent ev;
    for (;;) {
        if (outbox_next(&st->jc.out, &ev))
            return ev;
        arena_reset(op->batch_arena);
        int which;
        ev = stream_inputs_next(st->jc.in, &which);
        switch (ev.kind) {
        case EXEC_BATCH:
            if (batch_live_count(ev.batch) > 0)
                ij_consume(op, st, which, ev.batch);
            continue;
        case EXEC_WATERMARK:
            if (ev.watermark > st->jc.watermark) {
                st->jc.watermark = ev.watermark;
                ij_expire(op, st, ev.watermark, false);
            }
            outbox_set_event(&st->jc.out, ev);
            continue;
        case EXEC_END:
            ij_expire(op, st, INT64_MAX, true);
            outbox_set_event(&st->jc.out, ev);
            continue;
        default:
            return ev;
        }
    }
}

static void ij_close(Operator *op)
{
    IntJoinState *st = op->state;
    for (int s = 0; s < 2; s++)
        iside_free(&st->side[s]);
    sop_account(op, -st->jc.bytes);
    st->jc.bytes = 0;
}

static void ij_snapshot(Operator *op, StateWriter *w)
{
    IntJoinState *st = op->state;
    state_clear(w);
    StrBuf k, v;
    strbuf_init(&k, NULL);
    strbuf_init(&v, NULL);
    strbuf_append_char(&k, 'M');
    codec_put_i64(&v, st->jc.watermark);
    state_put(w, k.data, k.len, v.data, v.len);
    for (int s = 0; s < 2; s++) {
        ISide *sd = &st->side[s];
        for (uint32 x = 0; x < sd->n; x++) {
            if (!sd->alive[x])
                continue;
            strbuf_reset(&k);
            strbuf_reset(&v);
            strbuf_append_char(&k, s == 0 ? 'L' : 'R');
            codec_put_u32(&k, x);
            strbuf_append_char(&v, sd->matched[x] ? 1 : 0);
            int row;
            const Batch *b = rowset_batch_of(sd->rows, x, &row);
            rowcodec_put(&v, b, row, st->jc.ncols[s], NULL);
            state_put(w, k.data, k.len, v.data, v.len);
        }
    }
    strbuf_free(&k);
    strbuf_free(&v);
}

/* Restored rows of one side are re-buffered a batch at a time. */
static void ij_restore_flush(Operator *op, IntJoinState *st, int s, Batch *b, uint8 *matched)
{
    if (b->count == 0)
        return;
    Vector *keys[64];
    b->sel = NULL;
    eval_keys(op->plan, &st->jc, s, b, keys);
    if (st->jc.nkeys > 0)
        hashtable_find_or_insert(st->keys, keys, b, st->ids);
    else
        for (int r = 0; r < b->count; r++)
            st->ids[r] = 0;
    uint16 sel[LM_BATCH_SIZE];
    for (int r = 0; r < b->count; r++)
        sel[r] = (uint16)r;
    iside_store(st, s, b, sel, b->count, &b->cols[st->time_col[s]], matched);
    b->count = 0;
}

static void ij_restore(Operator *op, StateReader *r)
{
    IntJoinState *st = op->state;
    const char *key, *val;
    size_t klen, vlen;
    Arena *a[2];
    Batch *b[2];
    uint8 *matched[2];
    for (int s = 0; s < 2; s++) {
        a[s] = arena_create("interval join restore", exec_operator_arena(op));
        b[s] = batch_create(a[s], st->jc.ncols[s], st->jc.types[s], LM_BATCH_SIZE);
        b[s]->count = 0;
        matched[s] = lm_calloc(1, LM_BATCH_SIZE);
    }
    while (state_next(r, &key, &klen, &val, &vlen)) {
        const char *p = val, *end = val + vlen;
        if (klen == 1 && key[0] == 'M') {
            st->jc.watermark = codec_get_i64(&p, end);
            continue;
        }
        if (klen != 5 || (key[0] != 'L' && key[0] != 'R') || vlen < 1)
            codec_corrupt();
        int s = key[0] == 'L' ? 0 : 1;
        int row = b[s]->count;
        matched[s][row] = *p++ != 0;
        rowcodec_get(&p, end, b[s]->cols, st->jc.ncols[s], row, a[s]);
        b[s]->count++;
        if (b[s]->count == LM_BATCH_SIZE) {
            /* stored rows are copied into the side's RowSet: the batch can start over */
            ij_restore_flush(op, st, s, b[s], matched[s]);
            arena_reset(a[s]);
            b[s] = batch_create(a[s], st->jc.ncols[s], st->jc.types[s], LM_BATCH_SIZE);
            b[s]->count = 0;
        }
    }
    for (int s = 0; s < 2; s++) {
        ij_restore_flush(op, st, s, b[s], matched[s]);
        arena_destroy(a[s]);
        lm_free(matched[s]);
    }
    ij_account(op, st);
}

static const OperatorOps ij_ops = {"IntervalJoin", NULL, ij_next, ij_close, ij_snapshot,
                                   ij_restore};

Operator *stream_interval_join_create(ExecContext *ctx, const PlanNode *plan, Operator **children,
                                      const StreamOpInfo *info)
{
    Operator *op = exec_operator_create(ctx, plan, children, 2);
    Arena *a = exec_operator_arena(op);
    IntJoinState *st = arena_new(a, IntJoinState);
    op->state = st;
    op->ops = &ij_ops;
    if (plan->kind != PLAN_JOIN || plan->nkeys > 64)
        elog(ERROR, "interval join over plan node %d", (int)plan->kind);
    if (info->left_time_col < 0 || info->right_time_col < 0)
        elog(ERROR, "interval join without time columns");
    common_init(op, &st->jc, plan, children, info);
    st->time_col[0] = info->left_time_col;
    st->time_col[1] = info->right_time_col;
    st->lower = info->lower_us;
    st->upper = info->upper_us;
    if (st->jc.nkeys > 0)
        st->keys = hashtable_create(a, st->jc.nkeys, st->jc.key_types, false);
    for (int s = 0; s < 2; s++) {
        iside_init(op, st, s);
        iside_heads(&st->side[s], 1);
    }
    return op;
}
