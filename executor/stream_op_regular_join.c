/*
 * stream_op_regular_join.c: the regular (unbounded, non-windowed) join of two
 * streams in pipelines (STREAM_OP_REGULAR_JOIN) — what Flink runs for
 * `a JOIN b ON a.k = b.k` without a window or time bound (Nexmark q3, q4,
 * q20).  Both inputs are kept in state for ever: every row ever seen on one
 * side may still match a future row of the other side.  State therefore
 * grows without bound with the inputs (the job's memory_limit applies:
 * 53200 when it is exceeded; nothing expires, nothing spills).
 *
 * Only the columns something above reads (the stream planner's
 * StreamOpInfo.needed_cols, the join condition included) are kept; the others
 * are stored — and come out — as NULL.
 *
 * Per side: the rows (a RowSet) with a key id (one hash table of equi-key
 * values shared by both sides, as the interval join), an alive flag, the
 * number of matches each row currently has, and a chain of rows per key id
 * (newest first).  Dead rows (retracted) are compacted away once they
 * outnumber the live ones.
 *
 * Input rows are processed in runs of equal sign (INSERT/UPDATE_AFTER add a
 * row, DELETE/UPDATE_BEFORE retract one), in input order:
 *   - an added row is stored, then probes the other side's chain for its
 *     key; candidate pairs go through the residual (the condition minus the
 *     equi-keys) a batch at a time; each surviving pair is emitted as an
 *     INSERT and counted on both rows.  For an outer side, a row whose match
 *     count goes from 0 to 1 first retracts its NULL-padded row (DELETE),
 *     and an added outer row with no match is emitted NULL-padded.
 *   - a retracted row is looked up among the alive rows of its key (all
 *     columns equal; a row the join never had is ignored), marked dead, and
 *     its pairs are recomputed and emitted as DELETEs, decrementing the other
 *     rows' counts; an outer row dropping to 0 matches gets its NULL-padded
 *     row back (INSERT); a retracted unmatched outer row retracts its
 *     NULL-padded row.
 * The output is append-only (plain inserts) when both inputs are and the
 * join is INNER; otherwise it is a changelog (emits_changelog, Batch.ops),
 * which upsert sinks apply by key.  Keys with a NULL never match.
 *
 * Snapshot (incremental, at each barrier): one entry per alive row: key side
 * byte ('L'/'R') + the row's stable sequence number (8 bytes BE), value = the
 * row (row codec).  A snapshot writes only the rows stored since the previous
 * one and deletes the rows retracted since (every snapshot batch commits, in
 * order, or the process dies and restores), so a checkpoint costs what
 * changed, not the whole state.  Match counts are recomputed on restore (the
 * pairs are re-derived from the stored rows; no output is produced).
 */
#include "executor/stream_op_int.h"
#include "executor/hashtable.h"
#include "common/errcodes.h"

#include <string.h>

#define NONE UINT32_MAX

typedef struct RSide {
    Arena *arena;
    RowSet *rows;
    int ncols;
    const LmType **types;
    ExprState **keys; /* NULL entries: plain column */
    bool *keep;       /* per column: read above the join (others are stored as NULL) */
    Vector *nulls;    /* per dropped column: an all-NULL vector standing in for it */
    bool outer;
    uint32 n, cap;
    uint32 *key; /* key id, HT_NONE for a NULL key */
    uint8 *alive;
    uint32 *nmatch;
    uint32 *next; /* chain of the same key, newer first */
    uint64 *seq;  /* stable row number (state key), increasing with the row index */
    uint64 next_seq;
    uint64 snap_seq;  /* rows from this seq on are not in the state yet */
    uint64 *gone;     /* seqs of rows in the state that died since the last snapshot */
    uint32 ngone, gone_cap;
    uint32 ndead;
    uint32 *head; /* per key id */
    uint32 head_cap;
} RSide;

typedef struct RJoinState {
    StreamInputs *in;
    int nkeys;
    const LmType **key_types;
    HashTable *keys; /* shared by both sides (NULL without equi-keys: one key 0) */
    ExprState *residual;
    RSide side[2];
    Outbox out;
    Arena *scratch;     /* pair batches */
    Arena *pad_scratch; /* NULL-padded batches */
    int64 bytes;
    bool restoring;    /* restore: count matches, emit nothing */
    bool state_synced; /* the stored state equals rows < snap_seq minus gone (deltas apply) */
    uint32 ids[LM_BATCH_SIZE];
    /* pending pairs (indexes into the sides' RowSets) */
    uint32 pl[LM_BATCH_SIZE], pr[LM_BATCH_SIZE];
    int npairs;
} RJoinState;

/* ---------------------------------------------------------------- sides */

static void side_grow(RSide *sd, uint32 need)
{
    if (need <= sd->cap)
        return;
    uint32 ncap = sd->cap ? sd->cap * 2 : 1024;
    while (ncap < need)
        ncap *= 2;
    sd->key = lm_realloc(sd->key, sizeof(uint32) * ncap);
    sd->alive = lm_realloc(sd->alive, ncap);
    sd->nmatch = lm_realloc(sd->nmatch, sizeof(uint32) * ncap);
    sd->next = lm_realloc(sd->next, sizeof(uint32) * ncap);
    sd->seq = lm_realloc(sd->seq, sizeof(uint64) * ncap);
    sd->cap = ncap;
}

static void side_heads(RSide *sd, uint32 nkeys)
{
    stream_chain_heads_grow(&sd->head, &sd->head_cap, nkeys);
}

static void side_free(RSide *sd)
{
    lm_free(sd->key);
    lm_free(sd->alive);
    lm_free(sd->nmatch);
    lm_free(sd->next);
    lm_free(sd->head);
    lm_free(sd->seq);
    lm_free(sd->gone);
    sd->seq = sd->gone = NULL;
    sd->ngone = sd->gone_cap = 0;
    sd->key = sd->next = sd->head = sd->nmatch = NULL;
    sd->alive = NULL;
    sd->cap = sd->head_cap = sd->n = 0;
}

static void rj_account(Operator *op, RJoinState *st)
{
    int64 now = 0;
    for (int s = 0; s < 2; s++)
        now += (int64)arena_bytes(st->side[s].arena) + (int64)st->side[s].cap * 13 +
               (int64)st->side[s].head_cap * 4 + (int64)st->side[s].cap * 8 +
               (int64)st->side[s].gone_cap * 8;
    sop_account(op, now - st->bytes);
    st->bytes = now;
    sop_state_bytes(op, now);
}

static void eval_keys(RJoinState *st, int s, const Batch *b, Vector **out, Operator *op)
{
    Expr **ke = s == 0 ? op->plan->left_keys : op->plan->right_keys;
    for (int k = 0; k < st->nkeys; k++)
        out[k] = st->side[s].keys[k] ? expr_eval(st->side[s].keys[k], b) : &b->cols[ke[k]->index];
}

/* Key ids of the live rows of b into st->ids (by row position). */
static void key_ids(Operator *op, RJoinState *st, int s, const Batch *b)
{
    if (st->nkeys == 0) {
        int live = batch_live_count(b);
        for (int i = 0; i < live; i++)
            st->ids[batch_row(b, i)] = 0;
        return;
    }
    Vector *keys[64];
    eval_keys(st, s, b, keys, op);
    hashtable_find_or_insert(st->keys, keys, b, st->ids);
}

/* Appends the live rows of b to side s (ids in st->ids); first index in *first. */
static uint32 side_store(RJoinState *st, int s, const Batch *b)
{
    RSide *sd = &st->side[s];
    Batch view = *b;
    view.ops = NULL;
    Vector cols[sd->ncols > 0 ? sd->ncols : 1];
    if (sd->nulls) {
        /* columns nothing reads are kept as NULLs (no bytes copied for them) */
        for (int c = 0; c < sd->ncols; c++)
            cols[c] = sd->keep[c] ? b->cols[c] : sd->nulls[c];
        view.cols = cols;
    }
    rowset_append(sd->rows, &view);
    int n = batch_live_count(b);
    uint32 first = sd->n;
    side_grow(sd, sd->n + (uint32)n);
    side_heads(sd, st->nkeys ? hashtable_count(st->keys) : 1);
    for (int i = 0; i < n; i++) {
        uint32 kid = st->ids[batch_row(b, i)];
        uint32 x = sd->n++;
        sd->key[x] = kid;
        sd->alive[x] = 1;
        sd->nmatch[x] = 0;
        sd->seq[x] = sd->next_seq++;
        if (kid != HT_NONE) {
            sd->next[x] = sd->head[kid];
            sd->head[kid] = x;
        } else {
            sd->next[x] = NONE;
        }
    }
    return first;
}

static void side_compact(Operator *op, RJoinState *st, int s)
{
    RSide *sd = &st->side[s];
    Arena *na = arena_create("regular join side", exec_operator_arena(op));
    RowSet *nr = rowset_create(na, sd->ncols, sd->types);
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
            sd->nmatch[k] = sd->nmatch[x];
            sd->seq[k] = sd->seq[x];
            sd->alive[k] = 1;
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

/* ---------------------------------------------------------------- output */

/* Rows of one side padded with NULLs, emitted with op. */
static void emit_padded(Operator *op, RJoinState *st, int s, const uint32 *rows, int n, RowOp rop)
{
    if (n == 0 || st->restoring)
        return;
    /* its own arena: flush_pairs' batch in scratch may still be waiting to be queued */
    arena_reset(st->pad_scratch);
    Batch *b = batch_create(st->pad_scratch, op->plan->ncols, st->out.types, LM_BATCH_SIZE);
    int col0 = s == 0 ? 0 : st->side[0].ncols;
    for (int c = 0; c < st->side[s].ncols; c++)
        rowset_gather(st->side[s].rows, c, rows, n, &b->cols[col0 + c], st->pad_scratch, 0);
    int o0 = s == 0 ? st->side[0].ncols : 0, on = st->side[1 - s].ncols;
    for (int c = 0; c < on; c++)
        for (int i = 0; i < n; i++)
            vector_set_null(&b->cols[o0 + c], i);
    b->count = n;
    outbox_append(&st->out, b, rop, false);
}

/*
 * The pending pairs: residual, then for each surviving pair the match counts move by sign
 * (+1: pairs appear, -1: they go) and the pair rows are emitted (INSERT / DELETE).  Outer rows
 * crossing 0 matches have their NULL-padded row retracted before (+1) or restored after (-1).
 */
static void flush_pairs(Operator *op, RJoinState *st, int sign)
{
    int n = st->npairs;
    if (n == 0)
        return;
    st->npairs = 0;
    arena_reset(st->scratch);
    Batch *b = batch_create(st->scratch, op->plan->ncols, st->out.types, LM_BATCH_SIZE);
    RSide *L = &st->side[0], *R = &st->side[1];
    for (int c = 0; c < L->ncols; c++)
        rowset_gather(L->rows, c, st->pl, n, &b->cols[c], st->scratch, 0);
    for (int c = 0; c < R->ncols; c++)
        rowset_gather(R->rows, c, st->pr, n, &b->cols[L->ncols + c], st->scratch, 0);
    b->count = n;
    if (st->residual) {
        uint16 *sel = arena_alloc(st->scratch, sizeof(uint16) * LM_BATCH_SIZE);
        b->nsel = expr_filter(st->residual, b, sel);
        b->sel = sel;
    }
    int live = batch_live_count(b);
    if (live == 0)
        return;
    uint32 cross[2][LM_BATCH_SIZE]; /* outer rows crossing 0 matches */
    int ncross[2] = {0, 0};
    for (int i = 0; i < live; i++) {
        int r = batch_row(b, i);
        uint32 x[2] = {st->pl[r], st->pr[r]};
        for (int s = 0; s < 2; s++) {
            RSide *sd = &st->side[s];
            if (sign > 0) {
                if (sd->nmatch[x[s]]++ == 0 && sd->outer)
                    cross[s][ncross[s]++] = x[s];
            } else if (sd->nmatch[x[s]] > 0 && --sd->nmatch[x[s]] == 0 && sd->outer &&
                       sd->alive[x[s]]) {
                cross[s][ncross[s]++] = x[s];
            }
        }
    }
    if (st->restoring)
        return;
    /* appear: padded rows retracted first; go: padded rows come back after */
    if (sign > 0)
        for (int s = 0; s < 2; s++)
            emit_padded(op, st, s, cross[s], ncross[s], ROW_DELETE);
    outbox_append(&st->out, b, sign > 0 ? ROW_INSERT : ROW_DELETE, false);
    if (sign < 0)
        for (int s = 0; s < 2; s++)
            emit_padded(op, st, s, cross[s], ncross[s], ROW_INSERT);
}

static inline void add_pair(Operator *op, RJoinState *st, uint32 l, uint32 r, int sign)
{
    st->pl[st->npairs] = l;
    st->pr[st->npairs] = r;
    if (++st->npairs == LM_BATCH_SIZE)
        flush_pairs(op, st, sign);
}

/* Pairs of n side-s rows (RowSet indexes xs[i], or first + i when xs is NULL) with the other
 * side. */
static void probe(Operator *op, RJoinState *st, int s, const uint32 *xs, uint32 first, int n,
                  int sign)
{
    RSide *sd = &st->side[s], *o = &st->side[1 - s];
    for (int i = 0; i < n; i++) {
        uint32 x = xs ? xs[i] : first + (uint32)i;
        uint32 kid = sd->key[x];
        if (kid == HT_NONE || kid >= o->head_cap)
            continue;
        for (uint32 y = o->head[kid]; y != NONE; y = o->next[y]) {
            if (!o->alive[y])
                continue;
            if (s == 0)
                add_pair(op, st, x, y, sign);
            else
                add_pair(op, st, y, x, sign);
        }
    }
    flush_pairs(op, st, sign);
}

/* ---------------------------------------------------------------- input */

static void add_rows(Operator *op, RJoinState *st, int s, const Batch *b)
{
    key_ids(op, st, s, b);
    uint32 first = side_store(st, s, b);
    int n = batch_live_count(b);
    probe(op, st, s, NULL, first, n, +1);
    if (st->side[s].outer) {
        uint32 lone[LM_BATCH_SIZE];
        int k = 0;
        for (int i = 0; i < n; i++)
            if (st->side[s].nmatch[first + (uint32)i] == 0)
                lone[k++] = first + (uint32)i;
        emit_padded(op, st, s, lone, k, ROW_INSERT);
    }
}

/* Row x leaves the join: dead, and deleted from the state at the next snapshot. */
static void side_kill(RSide *sd, uint32 x)
{
    sd->alive[x] = 0;
    sd->ndead++;
    if (sd->seq[x] >= sd->snap_seq)
        return; /* never written */
    if (sd->ngone == sd->gone_cap) {
        sd->gone_cap = sd->gone_cap ? sd->gone_cap * 2 : 256;
        sd->gone = lm_realloc(sd->gone, sizeof(uint64) * sd->gone_cap);
    }
    sd->gone[sd->ngone++] = sd->seq[x];
}

/* Whether stored row x of side s equals row r of b in every column. */
static bool same_row(const RSide *sd, uint32 x, const Batch *b, int r)
{
    int xr;
    const Batch *xb = rowset_batch_of(sd->rows, x, &xr);
    for (int c = 0; c < sd->ncols; c++) {
        if (!sd->keep[c])
            continue;
        bool va = vector_is_valid(&xb->cols[c], xr), vb = vector_is_valid(&b->cols[c], r);
        if (va != vb)
            return false;
        if (va && value_compare(&xb->cols[c], xr, &b->cols[c], r) != 0)
            return false;
    }
    return true;
}

static void retract_rows(Operator *op, RJoinState *st, int s, const Batch *b)
{
    RSide *sd = &st->side[s];
    key_ids(op, st, s, b);
    int n = batch_live_count(b);
    uint32 xs[LM_BATCH_SIZE], lone[LM_BATCH_SIZE];
    int k = 0, nlone = 0;
    for (int i = 0; i < n; i++) {
        int r = batch_row(b, i);
        uint32 kid = st->ids[r];
        uint32 start = NONE;
        if (kid != HT_NONE) {
            if (kid < sd->head_cap)
                start = sd->head[kid];
        } else {
            /* NULL keys are not chained: search them all */
            for (uint32 x = 0; x < sd->n; x++)
                if (sd->alive[x] && sd->key[x] == HT_NONE && same_row(sd, x, b, r)) {
                    side_kill(sd, x);
                    if (sd->outer)
                        lone[nlone++] = x;
                    break;
                }
            continue;
        }
        for (uint32 x = start; x != NONE; x = sd->next[x])
            if (sd->alive[x] && same_row(sd, x, b, r)) {
                side_kill(sd, x);
                xs[k++] = x;
                break;
            }
    }
    /* their pairs go (counts of the other side's rows drop) */
    if (k > 0)
        probe(op, st, s, xs, 0, k, -1);
    if (sd->outer)
        for (int i = 0; i < k; i++)
            if (sd->nmatch[xs[i]] == 0)
                lone[nlone++] = xs[i];
    emit_padded(op, st, s, lone, nlone, ROW_DELETE);
    if (sd->ndead > 1024 && sd->ndead * 2 > sd->n)
        side_compact(op, st, s);
}

static void consume(Operator *op, RJoinState *st, int s, const Batch *in)
{
    int live = batch_live_count(in);
    if (in->ops == NULL) {
        add_rows(op, st, s, in);
        return;
    }
    /* runs of equal sign, in order */
    uint16 sel[LM_BATCH_SIZE];
    int i = 0;
    while (i < live) {
        int r0 = batch_row(in, i);
        bool del = in->ops[r0] == ROW_DELETE || in->ops[r0] == ROW_UPDATE_BEFORE;
        int n = 0;
        while (i < live) {
            int r = batch_row(in, i);
            bool d = in->ops[r] == ROW_DELETE || in->ops[r] == ROW_UPDATE_BEFORE;
            if (d != del)
                break;
            sel[n++] = (uint16)r;
            i++;
        }
        Batch view = *in;
        view.sel = sel;
        view.nsel = n;
        view.ops = NULL;
        if (del)
            retract_rows(op, st, s, &view);
        else
            add_rows(op, st, s, &view);
    }
}

static ExecEvent rj_next(Operator *op)
{
    RJoinState *st = op->state;
    ExecEvent ev;
    for (;;) {
        if (outbox_next(&st->out, &ev))
            return ev;
        arena_reset(op->batch_arena);
        int which;
        ev = stream_inputs_next(st->in, &which);
        switch (ev.kind) {
        case EXEC_BATCH:
            if (batch_live_count(ev.batch) > 0) {
                consume(op, st, which, ev.batch);
                rj_account(op, st);
            }
            continue;
        case EXEC_WATERMARK:
        case EXEC_END:
            outbox_set_event(&st->out, ev);
            continue;
        default:
            return ev;
        }
    }
}

static void rj_close(Operator *op)
{
    RJoinState *st = op->state;
    for (int s = 0; s < 2; s++)
        side_free(&st->side[s]);
    sop_account(op, -st->bytes);
    st->bytes = 0;
}

/* ---------------------------------------------------------------- state */

static void put_row(StateWriter *w, RSide *sd, int s, uint32 x, StrBuf *k, StrBuf *v)
{
    strbuf_reset(k);
    strbuf_reset(v);
    strbuf_append_char(k, s == 0 ? 'L' : 'R');
    strbuf_append_be64(k, sd->seq[x]);
    int row;
    const Batch *b = rowset_batch_of(sd->rows, x, &row);
    rowcodec_put(v, b, row, sd->ncols, NULL);
    state_put(w, k->data, k->len, v->data, v->len);
}

/* Incremental: the state holds the rows written by earlier snapshots (all of them are
 * committed in order, checkpoint after checkpoint, or the process dies and restores), so a
 * snapshot deletes the rows gone since and adds the rows stored since.  The first snapshot of
 * a job that did not restore writes everything over a cleared state. */
static void rj_snapshot(Operator *op, StateWriter *w)
{
    RJoinState *st = op->state;
    StrBuf k, v;
    strbuf_init(&k, NULL);
    strbuf_init(&v, NULL);
    if (!st->state_synced)
        state_clear(w);
    for (int s = 0; s < 2; s++) {
        RSide *sd = &st->side[s];
        if (st->state_synced)
            for (uint32 i = 0; i < sd->ngone; i++) {
                strbuf_reset(&k);
                strbuf_append_char(&k, s == 0 ? 'L' : 'R');
                strbuf_append_be64(&k, sd->gone[i]);
                state_delete(w, k.data, k.len);
            }
        sd->ngone = 0;
        /* rows are in seq order: the unwritten ones are a suffix */
        uint32 lo = 0, hi = sd->n;
        uint64 from = st->state_synced ? sd->snap_seq : 0;
        while (lo < hi) {
            uint32 mid = (lo + hi) / 2;
            if (sd->seq[mid] < from)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (uint32 x = lo; x < sd->n; x++)
            if (sd->alive[x])
                put_row(w, sd, s, x, &k, &v);
        sd->snap_seq = sd->next_seq;
    }
    st->state_synced = true;
    strbuf_free(&k);
    strbuf_free(&v);
}

/* Restored rows come back through add_rows (nothing emitted): the right side's rows are
 * stored first without probing, then the left side's probe them, which recounts matches. */
static void restore_flush(Operator *op, RJoinState *st, int s, Batch *b)
{
    if (b->count == 0)
        return;
    b->sel = NULL;
    b->nsel = 0;
    if (s == 1) {
        key_ids(op, st, s, b);
        side_store(st, s, b);
    } else {
        add_rows(op, st, s, b);
    }
    b->count = 0;
}

static void rj_restore(Operator *op, StateReader *r)
{
    RJoinState *st = op->state;
    const char *key, *val;
    size_t klen, vlen;
    Arena *a[2];
    Batch *b[2];
    uint64 *seqs[2] = {NULL, NULL};
    uint32 nseq[2] = {0, 0}, seqcap[2] = {0, 0};
    for (int s = 0; s < 2; s++) {
        a[s] = arena_create("regular join restore", exec_operator_arena(op));
        b[s] = batch_create(a[s], st->side[s].ncols, st->side[s].types, LM_BATCH_SIZE);
        b[s]->count = 0;
    }
    st->restoring = true;
    /* keys come in order: all 'L' rows before the 'R' rows — but the left rows must probe
     * the complete right side, so left rows are buffered in a RowSet until the end */
    Arena *la = arena_create("regular join restore left", exec_operator_arena(op));
    RowSet *left = rowset_create(la, st->side[0].ncols, st->side[0].types);
    while (state_next(r, &key, &klen, &val, &vlen)) {
        const char *p = val, *end = val + vlen;
        if (klen != 9 || (key[0] != 'L' && key[0] != 'R'))
            codec_corrupt();
        int s = key[0] == 'L' ? 0 : 1;
        uint64 seq = 0;
        for (int i = 1; i < 9; i++)
            seq = seq << 8 | (unsigned char)key[i];
        if (nseq[s] == seqcap[s]) {
            seqcap[s] = seqcap[s] ? seqcap[s] * 2 : 1024;
            seqs[s] = lm_realloc(seqs[s], sizeof(uint64) * seqcap[s]);
        }
        seqs[s][nseq[s]++] = seq;
        int row = b[s]->count;
        rowcodec_get(&p, end, b[s]->cols, st->side[s].ncols, row, a[s]);
        b[s]->count++;
        if (b[s]->count == LM_BATCH_SIZE) {
            if (s == 0) {
                b[0]->sel = NULL;
                rowset_append(left, b[0]);
                b[0]->count = 0;
            } else {
                restore_flush(op, st, 1, b[1]);
            }
            arena_reset(a[s]);
            b[s] = batch_create(a[s], st->side[s].ncols, st->side[s].types, LM_BATCH_SIZE);
            b[s]->count = 0;
        }
    }
    restore_flush(op, st, 1, b[1]);
    if (b[0]->count > 0) {
        b[0]->sel = NULL;
        rowset_append(left, b[0]);
    }
    for (int bi = 0; bi < left->nbatches; bi++) {
        Batch view = *left->batches[bi];
        view.sel = NULL;
        view.nsel = 0;
        add_rows(op, st, 0, &view);
    }
    st->restoring = false;
    /* the rows keep their state keys (seq order = row order) */
    for (int s = 0; s < 2; s++) {
        RSide *sd = &st->side[s];
        if (sd->n != nseq[s])
            elog(ERROR, "regular join restore: %u rows for %u keys", sd->n, nseq[s]);
        for (uint32 x = 0; x < sd->n; x++)
            sd->seq[x] = seqs[s][x];
        sd->next_seq = sd->n > 0 ? sd->seq[sd->n - 1] + 1 : 0;
        sd->snap_seq = sd->next_seq;
        sd->ngone = 0;
        lm_free(seqs[s]);
    }
    st->state_synced = true;
    arena_destroy(la);
    for (int s = 0; s < 2; s++)
        arena_destroy(a[s]);
    rj_account(op, st);
}

static const OperatorOps rj_ops = {"RegularJoin", NULL, rj_next, rj_close, rj_snapshot,
                                   rj_restore};

Operator *stream_regular_join_create(ExecContext *ctx, const PlanNode *plan, Operator **children,
                                     const StreamOpInfo *info)
{
    Operator *op = exec_operator_create(ctx, plan, children, 2);
    Arena *a = exec_operator_arena(op);
    RJoinState *st = arena_new(a, RJoinState);
    op->state = st;
    op->ops = &rj_ops;
    if (plan->kind != PLAN_JOIN || plan->nkeys > 64)
        elog(ERROR, "regular join over plan node %d", (int)plan->kind);
    JoinType jt = plan->join_type;
    if (jt != JOIN_INNER && jt != JOIN_LEFT && jt != JOIN_RIGHT && jt != JOIN_FULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("semi- and anti-joins of two streams are not supported in pipelines"));
    st->in = stream_inputs_create(a, children, 2);
    st->nkeys = plan->nkeys;
    st->key_types = arena_new_array(a, const LmType *, plan->nkeys + 1);
    for (int k = 0; k < plan->nkeys; k++)
        st->key_types[k] = plan->left_keys[k]->type;
    for (int s = 0; s < 2; s++) {
        RSide *sd = &st->side[s];
        const PlanNode *in = s == 0 ? plan->left : plan->right;
        Expr **ke = s == 0 ? plan->left_keys : plan->right_keys;
        sd->ncols = in->ncols;
        sd->types = plan_col_types(a, in);
        sd->keys = arena_new_array(a, ExprState *, plan->nkeys + 1);
        for (int k = 0; k < plan->nkeys; k++)
            if (ke[k]->kind != EXPR_COLUMN || ke[k]->levels_up != 0)
                sd->keys[k] = op_expr_init(op, ke[k]);
        sd->outer = s == 0 ? (jt == JOIN_LEFT || jt == JOIN_FULL) : (jt == JOIN_RIGHT || jt == JOIN_FULL);
        sd->keep = arena_new_array(a, bool, sd->ncols + 1);
        bool dropped = false;
        for (int c = 0; c < sd->ncols; c++) {
            sd->keep[c] = info->needed_cols == NULL ||
                          info->needed_cols[(s == 0 ? 0 : plan->left->ncols) + c];
            dropped |= !sd->keep[c];
        }
        if (dropped) {
            sd->nulls = arena_new_array(a, Vector, sd->ncols);
            for (int c = 0; c < sd->ncols; c++)
                if (!sd->keep[c]) {
                    vector_init(&sd->nulls[c], a, sd->types[c], LM_BATCH_SIZE);
                    vector_set_all_null(&sd->nulls[c]);
                }
        }
        sd->arena = arena_create("regular join side", a);
        sd->rows = rowset_create(sd->arena, sd->ncols, sd->types);
        side_heads(sd, 1);
    }
    if (plan->residual)
        st->residual = op_expr_init(op, plan->residual);
    if (st->nkeys > 0)
        st->keys = hashtable_create(a, st->nkeys, st->key_types, false);
    outbox_init(&st->out, a, plan->ncols, plan_col_types(a, plan), info->emits_changelog);
    st->scratch = arena_create("regular join scratch", a);
    st->pad_scratch = arena_create("regular join padded rows", a);
    return op;
}
