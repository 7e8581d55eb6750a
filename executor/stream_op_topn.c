/*
 * stream_op_topn.c: top-N per partition in pipelines (STREAM_OP_TOPN):
 *     SELECT ... FROM (SELECT ..., row_number() OVER (PARTITION BY p ORDER BY o) AS rn
 *                      FROM s) WHERE rn <= N
 * and dedup (N = 1, ORDER BY time: the first or last row per key).  Emits a
 * changelog.
 *
 * State: partitions in a hash table (on the PARTITION BY values); per
 * partition the current top N as row indexes into a RowSet of candidate
 * rows (input columns + evaluated ORDER BY values), kept sorted.  A new row
 * is compared with its partition's N-th row first (vectorized pre-filter:
 * rows that cannot enter are never copied); the rest are copied into the
 * RowSet in one append and inserted in order (ties keep the earlier row
 * first, as a stable sort would).  Rows pushed out become garbage in the
 * RowSet; it is compacted when garbage outweighs the kept rows.
 *
 * Changelog per batch, for each partition it changed:
 *   - when rn is an output column: per rank position whose row changed,
 *     UPDATE_BEFORE (old row, rank) + UPDATE_AFTER (new row, rank), or INSERT
 *     at a position that was empty — what an upsert sink keyed by
 *     (partition, rn) needs;
 *   - otherwise: DELETE for rows that fell out, INSERT for rows that came in.
 * The operator is built either for the PLAN_FILTER (output: the filter's
 * input columns) or for the PLAN_WINDOW under it (output: the window's
 * columns, rn included; the runtime then runs the project and filter above
 * it as stateless operators — the per-rank changelog stays a correct
 * changelog of the projected rows).
 * Input must be append-only (a retracted row would need the rows below the
 * top N, which are not kept): 0A000 otherwise.
 * Snapshot: one entry per kept row (partition id, rank) with its values —
 * all of them the first time and after a restore, then only the partitions
 * changed since the last snapshot.
 */
#include "executor/stream_op_int.h"
#include "executor/hashtable.h"
#include "common/errcodes.h"

#include <string.h>

typedef struct TopNState {
    const WindowCall *win;
    int64 limit;
    int nin;    /* window input columns */
    int npart, norder;
    ExprState **part; /* NULL: plain column */
    ExprState **order;
    const LmType **part_types;
    HashTable *parts; /* NULL without PARTITION BY */
    RowSet *rows;     /* candidate rows: input columns, order values */
    Arena *rows_arena;
    const LmType **row_types;
    SortSpec *spec; /* over rows' order columns */
    uint32 *top;    /* per partition: limit slots */
    uint32 *count;  /* per partition: rows kept */
    uint32 nparts_cap;
    uint64 kept;
    /* per batch */
    uint32 *touched_mark;
    uint8 *dirty;      /* per partition: changed since the last snapshot */
    bool state_synced; /* the stored state is the last snapshot's (deltas apply) */
    uint32 batch_no;
    /* output */
    int nout;
    int *out_src; /* per output column: window output column */
    int rownum_col;
    bool rn_out;
    Outbox out;
    int64 bytes;
    Arena *scratch;
    uint32 pids[LM_BATCH_SIZE];
} TopNState;

#define NONE UINT32_MAX

static void grow_parts(TopNState *st, uint32 n)
{
    if (n <= st->nparts_cap)
        return;
    uint32 ncap = st->nparts_cap ? st->nparts_cap * 2 : 64;
    while (ncap < n)
        ncap *= 2;
    st->top = lm_realloc(st->top, sizeof(uint32) * (size_t)st->limit * ncap);
    st->count = lm_realloc(st->count, sizeof(uint32) * ncap);
    memset(st->count + st->nparts_cap, 0, sizeof(uint32) * (ncap - st->nparts_cap));
    st->touched_mark = lm_realloc(st->touched_mark, sizeof(uint32) * ncap);
    memset(st->touched_mark + st->nparts_cap, 0, sizeof(uint32) * (ncap - st->nparts_cap));
    st->dirty = lm_realloc(st->dirty, ncap);
    memset(st->dirty + st->nparts_cap, 0, ncap - st->nparts_cap);
    st->nparts_cap = ncap;
}

/* Compares a batch row's order values with a kept row: <0, 0, >0 (in ORDER BY order). */
static int cmp_new(const TopNState *st, Vector *const *ov, int r, uint32 idx)
{
    int krow;
    const Batch *kb = rowset_batch_of(st->rows, idx, &krow);
    for (int k = 0; k < st->norder; k++) {
        const Vector *x = ov[k], *y = &kb->cols[st->nin + k];
        bool nx = !vector_is_valid(x, r), ny = !vector_is_valid(y, krow);
        int c;
        if (nx || ny) {
            if (nx && ny)
                continue;
            c = nx ? (st->spec[k].nulls_first ? -1 : 1) : (st->spec[k].nulls_first ? 1 : -1);
            return c;
        }
        c = value_compare(x, r, y, krow);
        if (st->spec[k].descending)
            c = -c;
        if (c)
            return c;
    }
    return 0;
}

static void account(Operator *op, TopNState *st)
{
    int64 now = (int64)arena_bytes(st->rows_arena) +
                (int64)st->nparts_cap * (int64)(st->limit * 4 + 8);
    sop_account(op, now - st->bytes);
    st->bytes = now;
    sop_state_bytes(op, now);
}

/* Emits the kept row idx at rank rn with op. */
static void emit_row(TopNState *st, uint32 idx, int64 rn, RowOp rop)
{
    int row;
    Batch *out = outbox_add_row(&st->out, rop, &row);
    int krow;
    const Batch *kb = rowset_batch_of(st->rows, idx, &krow);
    for (int c = 0; c < st->nout; c++) {
        int src = st->out_src[c];
        if (src == st->rownum_col) {
            ((int64 *)out->cols[c].data)[row] = rn;
            vector_set_valid(&out->cols[c], row);
        } else {
            vector_copy_value(&out->cols[c], out->arena, row, &kb->cols[src], krow);
        }
    }
}

/* Appends the rows idx[0..n) of the old RowSet to nr and renumbers their slots. */
static void compact_flush(TopNState *st, RowSet *nr, Batch *b, const uint32 *idx,
                          uint32 *const *slots, int n, uint32 *next)
{
    for (int c = 0; c < b->ncols; c++)
        rowset_gather(st->rows, c, idx, n, &b->cols[c], NULL, 0);
    b->count = n;
    b->sel = NULL;
    rowset_append(nr, b);
    for (int k = 0; k < n; k++)
        *slots[k] = (*next)++;
}

/* Copies the kept rows into a fresh RowSet (a batch at a time) and drops the garbage. */
static void compact(Operator *op, TopNState *st)
{
    Arena *na = arena_create("top-n rows", exec_operator_arena(op));
    RowSet *nr = rowset_create(na, st->nin + st->norder, st->row_types);
    uint32 nparts = st->parts ? hashtable_count(st->parts) : (st->nparts_cap ? 1 : 0);
    Arena *tmp = arena_create("top-n compaction", na);
    Batch *b = batch_create(tmp, st->nin + st->norder, st->row_types, LM_BATCH_SIZE);
    uint32 idx[LM_BATCH_SIZE];
    uint32 *slots[LM_BATCH_SIZE];
    int n = 0;
    uint32 next = 0;
    for (uint32 p = 0; p < nparts; p++)
        for (uint32 i = 0; i < st->count[p]; i++) {
            slots[n] = &st->top[(size_t)p * st->limit + i];
            idx[n] = *slots[n];
            if (++n == LM_BATCH_SIZE) {
                compact_flush(st, nr, b, idx, slots, n, &next);
                n = 0;
            }
        }
    if (n > 0)
        compact_flush(st, nr, b, idx, slots, n, &next);
    arena_destroy(tmp);
    arena_destroy(st->rows_arena);
    st->rows_arena = na;
    st->rows = nr;
}

static void consume_batch(Operator *op, TopNState *st, Batch *in)
{
    int live = batch_live_count(in);
    if (in->ops)
        for (int i = 0; i < live; i++) {
            uint8 o = in->ops[batch_row(in, i)];
            if (o == ROW_DELETE || o == ROW_UPDATE_BEFORE)
                ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("top-N over a changelog input is not supported in pipelines"));
        }
    Vector *pk[64], *ov[64];
    for (int k = 0; k < st->npart; k++)
        pk[k] = st->part[k] ? expr_eval(st->part[k], in)
                            : &in->cols[st->win->partition[k]->index];
    for (int k = 0; k < st->norder; k++)
        ov[k] = st->order[k] ? expr_eval(st->order[k], in) : &in->cols[st->win->order[k].expr->index];
    uint32 nparts;
    if (st->npart > 0) {
        hashtable_find_or_insert(st->parts, pk, in, st->pids);
        nparts = hashtable_count(st->parts);
    } else {
        for (int i = 0; i < live; i++)
            st->pids[batch_row(in, i)] = 0;
        nparts = 1;
    }
    grow_parts(st, nparts);
    /* pre-filter: rows not better than a full partition's last row cannot enter */
    uint16 *sel = arena_alloc(op->batch_arena, sizeof(uint16) * LM_BATCH_SIZE);
    int n = 0;
    for (int i = 0; i < live; i++) {
        int r = batch_row(in, i);
        uint32 p = st->pids[r];
        if (st->count[p] == (uint32)st->limit &&
            cmp_new(st, ov, r, st->top[(size_t)p * st->limit + st->limit - 1]) >= 0)
            continue;
        sel[n++] = (uint16)r;
    }
    if (n == 0)
        return;
    /* copy the candidates: input columns + order values */
    uint32 base = (uint32)st->rows->nrows;
    Batch wide = *in;
    Vector *wc = arena_alloc(op->batch_arena, sizeof(Vector) * (size_t)(st->nin + st->norder));
    memcpy(wc, in->cols, sizeof(Vector) * (size_t)st->nin);
    for (int k = 0; k < st->norder; k++)
        wc[st->nin + k] = *ov[k];
    wide.cols = wc;
    wide.ncols = st->nin + st->norder;
    wide.sel = sel;
    wide.nsel = n;
    wide.ops = NULL;
    rowset_append(st->rows, &wide);
    st->batch_no++;
    /* old lists of touched partitions, for the changelog */
    uint32 *touched = arena_alloc(op->batch_arena, sizeof(uint32) * (size_t)n);
    uint32 *old = arena_alloc(op->batch_arena, sizeof(uint32) * (size_t)n * (size_t)st->limit);
    uint32 *oldn = arena_alloc(op->batch_arena, sizeof(uint32) * (size_t)n);
    int nt = 0;
    for (int i = 0; i < n; i++) {
        int r = sel[i];
        uint32 p = st->pids[r];
        uint32 *list = &st->top[(size_t)p * st->limit];
        if (st->touched_mark[p] != st->batch_no) {
            st->touched_mark[p] = st->batch_no;
            st->dirty[p] = 1;
            touched[nt] = p;
            oldn[nt] = st->count[p];
            memcpy(old + (size_t)nt * st->limit, list, sizeof(uint32) * st->count[p]);
            nt++;
        }
        /* insertion point: after every kept row that sorts before or equal */
        uint32 c = st->count[p];
        uint32 pos = c;
        while (pos > 0 && cmp_new(st, ov, r, list[pos - 1]) < 0)
            pos--;
        if (pos >= (uint32)st->limit)
            continue;
        uint32 keep = c < (uint32)st->limit ? c : (uint32)st->limit - 1;
        memmove(list + pos + 1, list + pos, sizeof(uint32) * (keep - pos));
        list[pos] = base + (uint32)i;
        if (c < (uint32)st->limit) {
            st->count[p]++;
            st->kept++;
        }
    }
    /* changelog */
    for (int t = 0; t < nt; t++) {
        uint32 p = touched[t];
        const uint32 *o = old + (size_t)t * st->limit;
        const uint32 *cur = &st->top[(size_t)p * st->limit];
        uint32 on = oldn[t], cn = st->count[p];
        if (st->rn_out) {
            for (uint32 i = 0; i < cn; i++) {
                if (i < on && o[i] == cur[i])
                    continue;
                if (i < on) {
                    emit_row(st, o[i], (int64)i + 1, ROW_UPDATE_BEFORE);
                    emit_row(st, cur[i], (int64)i + 1, ROW_UPDATE_AFTER);
                } else {
                    emit_row(st, cur[i], (int64)i + 1, ROW_INSERT);
                }
            }
        } else {
            for (uint32 i = 0; i < on; i++) {
                bool still = false;
                for (uint32 j = 0; j < cn && !still; j++)
                    still = cur[j] == o[i];
                if (!still)
                    emit_row(st, o[i], (int64)i + 1, ROW_DELETE);
            }
            for (uint32 j = 0; j < cn; j++) {
                bool was = false;
                for (uint32 i = 0; i < on && !was; i++)
                    was = o[i] == cur[j];
                if (!was)
                    emit_row(st, cur[j], (int64)j + 1, ROW_INSERT);
            }
        }
    }
    if ((uint64)st->rows->nrows > 4096 && (uint64)st->rows->nrows > 4 * st->kept)
        compact(op, st);
    account(op, st);
}

static ExecEvent topn_next(Operator *op)
{
    TopNState *st = op->state;
    ExecEvent ev;
    for (;;) {
        if (outbox_next(&st->out, &ev))
            return ev;
        arena_reset(op->batch_arena);
        ev = exec_next(op->children[0]);
        if (ev.kind != EXEC_BATCH)
            return ev;
        if (batch_live_count(ev.batch) > 0)
            consume_batch(op, st, ev.batch);
    }
}

static void topn_close(Operator *op)
{
    TopNState *st = op->state;
    lm_free(st->top);
    lm_free(st->count);
    lm_free(st->touched_mark);
    lm_free(st->dirty);
    st->dirty = NULL;
    st->top = st->count = st->touched_mark = NULL;
    st->nparts_cap = 0;
    sop_account(op, -st->bytes);
    st->bytes = 0;
}

/*
 * Full the first time (and after a restore), then incremental: every snapshot batch commits in
 * order (or the process dies and restores), so only the partitions changed since the last
 * snapshot are rewritten.  A partition's count never shrinks (append-only input), so rewriting
 * ranks 0..count-1 replaces every entry it had.
 */
static void topn_snapshot(Operator *op, StateWriter *w)
{
    TopNState *st = op->state;
    bool full = !st->state_synced;
    if (full)
        state_clear(w);
    StrBuf k, v;
    strbuf_init(&k, NULL);
    strbuf_init(&v, NULL);
    uint32 nparts = st->parts ? hashtable_count(st->parts) : (st->nparts_cap ? 1 : 0);
    for (uint32 p = 0; p < nparts; p++) {
        if (!full && !st->dirty[p])
            continue;
        st->dirty[p] = 0;
        for (uint32 i = 0; i < st->count[p]; i++) {
            strbuf_reset(&k);
            strbuf_reset(&v);
            strbuf_append_char(&k, 'P');
            codec_put_u32(&k, p);
            codec_put_u32(&k, i);
            int krow;
            const Batch *kb = rowset_batch_of(st->rows, st->top[(size_t)p * st->limit + i], &krow);
            rowcodec_put(&v, kb, krow, st->nin + st->norder, NULL);
            state_put(w, k.data, k.len, v.data, v.len);
        }
    }
    st->state_synced = true;
    strbuf_free(&k);
    strbuf_free(&v);
}

static void topn_restore(Operator *op, StateReader *r)
{
    TopNState *st = op->state;
    const char *key, *val;
    size_t klen, vlen;
    Batch *b = batch_create(st->scratch, st->nin + st->norder, st->row_types, 1);
    while (state_next(r, &key, &klen, &val, &vlen)) {
        if (klen != 9 || key[0] != 'P')
            codec_corrupt();
        const char *p = val, *end = val + vlen;
        arena_reset(st->scratch);
        b = batch_create(st->scratch, st->nin + st->norder, st->row_types, 1);
        rowcodec_get(&p, end, b->cols, st->nin + st->norder, 0, st->scratch);
        b->count = 1;
        uint32 pid = 0;
        if (st->npart > 0) {
            Vector *pk[64];
            for (int k = 0; k < st->npart; k++)
                pk[k] = st->part[k] ? expr_eval(st->part[k], b)
                                    : &b->cols[st->win->partition[k]->index];
            hashtable_find_or_insert(st->parts, pk, b, &pid);
        }
        grow_parts(st, pid + 1);
        uint32 idx = (uint32)st->rows->nrows;
        rowset_append(st->rows, b);
        /* entries come in rank order per partition */
        if (st->count[pid] < (uint32)st->limit) {
            st->top[(size_t)pid * st->limit + st->count[pid]++] = idx;
            st->kept++;
        }
    }
    account(op, st);
}

static const OperatorOps topn_ops = {"TopN", NULL, topn_next, topn_close, topn_snapshot,
                                     topn_restore};

Operator *stream_topn_create(ExecContext *ctx, const PlanNode *plan, Operator *child,
                             const StreamOpInfo *info)
{
    if (info->input_changelog[0])
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("top-N over a changelog input is not supported in pipelines"),
                errdetail("A retracted row would need the rows below the top N, which are not "
                          "kept."));
    Operator *op = exec_operator_create(ctx, plan, &child, 1);
    Arena *a = exec_operator_arena(op);
    TopNState *st = arena_new(a, TopNState);
    op->state = st;
    op->ops = &topn_ops;
    const PlanNode *wp = info->topn_window;
    if (wp == NULL || wp->kind != PLAN_WINDOW || wp->nwindows != 1 ||
        wp->windows[0].kind != WIN_ROW_NUMBER)
        elog(ERROR, "top-N without a row_number() window");
    st->win = &wp->windows[0];
    st->limit = info->topn_limit;
    if (st->limit < 1)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("a top-N filter must keep at least one row per partition"));
    if (st->limit > 100000)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("top-N keeps at most 100000 rows per partition"));
    st->nin = wp->left->ncols;
    st->npart = st->win->npartition;
    st->norder = st->win->norder;
    if (st->npart > 64 || st->norder > 64)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("too many window keys"));
    st->part = arena_new_array(a, ExprState *, st->npart + 1);
    st->part_types = arena_new_array(a, const LmType *, st->npart + 1);
    for (int k = 0; k < st->npart; k++) {
        const Expr *e = st->win->partition[k];
        if (e->kind != EXPR_COLUMN || e->levels_up != 0)
            st->part[k] = op_expr_init(op, e);
        st->part_types[k] = e->type;
    }
    if (st->npart > 0)
        st->parts = hashtable_create(a, st->npart, st->part_types, true);
    st->order = arena_new_array(a, ExprState *, st->norder + 1);
    st->spec = arena_new_array(a, SortSpec, st->norder + 1);
    st->row_types = arena_new_array(a, const LmType *, st->nin + st->norder + 1);
    const LmType **in_types = plan_col_types(a, wp->left);
    for (int c = 0; c < st->nin; c++)
        st->row_types[c] = in_types[c];
    for (int k = 0; k < st->norder; k++) {
        const SortKey *sk = &st->win->order[k];
        if (sk->expr->kind != EXPR_COLUMN || sk->expr->levels_up != 0)
            st->order[k] = op_expr_init(op, sk->expr);
        st->spec[k].col = st->nin + k;
        st->spec[k].descending = sk->descending;
        st->spec[k].nulls_first = sk->nulls_first;
        st->row_types[st->nin + k] = sk->expr->type;
    }
    st->rows_arena = arena_create("top-n rows", a);
    st->rows = rowset_create(st->rows_arena, st->nin + st->norder, st->row_types);
    /* output: when built for the PLAN_WINDOW itself (the runtime stacks the project and the
     * filter above as stateless operators), the window's columns; when built for the FILTER,
     * the filter's input columns (the project's, or the window's) */
    const PlanNode *proj = plan->kind == PLAN_WINDOW ? NULL : info->topn_project;
    const PlanNode *outp = proj ? proj : wp;
    st->nout = outp->ncols;
    st->out_src = arena_new_array(a, int, st->nout + 1);
    st->rownum_col = info->rownum_col;
    for (int c = 0; c < st->nout; c++) {
        int src = c;
        if (proj) {
            const Expr *e = proj->exprs[c];
            if (e->kind != EXPR_COLUMN || e->levels_up != 0)
                ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("top-N supports only plain columns between the filter and "
                               "row_number()"));
            src = e->index;
        }
        if (src != st->rownum_col && src >= st->nin)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("top-N supports only row_number() as its window function"));
        st->out_src[c] = src;
        st->rn_out |= src == st->rownum_col;
    }
    outbox_init(&st->out, a, st->nout, plan_col_types(a, outp), true);
    st->scratch = arena_create("top-n scratch", a);
    return op;
}
