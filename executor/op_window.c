/*
 * op_window.c: PLAN_WINDOW — window functions appended as new columns:
 * row_number(), rank(), dense_rank() and aggregates OVER (PARTITION BY ...
 * ORDER BY ...).
 *
 * The whole input is buffered in a RowSet together with every expression a
 * window needs (partition keys, order keys, aggregate arguments and FILTER
 * results), evaluated once per input batch.  Each window is then computed
 * over its own stable sort of the row indexes by (partition keys, order
 * keys), writing one result per input row into a result RowSet aligned with
 * the input.  Output rows follow the first window's sort order (as
 * PostgreSQL's output follows its window sort).
 *
 * Frames: without ORDER BY an aggregate covers its whole partition; with
 * ORDER BY it follows PostgreSQL's default frame, RANGE BETWEEN UNBOUNDED
 * PRECEDING AND CURRENT ROW: a running aggregate where peers (rows with
 * equal order keys) share the value after the last of them.  The aggregate
 * state is fed peer group by peer group through AggDesc.update (one state,
 * re-initialised per partition) and finalized for each row.
 */
#include "executor/operator.h"
#include "executor/func.h"

typedef struct WinRun {
    const WindowCall *call;
    int npart, norder;
    SortSpec *part;  /* partition keys as sort keys (ascending) */
    SortSpec *all;   /* partition keys then order keys */
    SortSpec *order; /* = all + npart */
    int *argcols;    /* WIN_AGG argument columns */
    int filtercol;   /* bool column, -1: none */
    uint32 *idx;
} WinRun;

typedef struct WindowState {
    int nin, nwin, nbuf;
    WinRun *wins;
    ExprState **exprs; /* buffered extra columns */
    int nexprs;
    RowSet *rows;
    RowSet *results; /* one column per window, aligned with rows */
    uint32 pos;
    const LmType **out_types;
} WindowState;

/* Registers expression e as a buffered column; returns its column index. */
static int add_expr(Operator *op, WindowState *st, const Expr *e, const LmType **types)
{
    if (e->kind == EXPR_COLUMN)
        return e->index;
    int col = st->nin + st->nexprs;
    st->exprs[st->nexprs++] = op_expr_init(op, e);
    types[col] = e->type;
    return col;
}

static void buffer_input(Operator *op)
{
    WindowState *st = op->state;
    Arena *a = op_state_arena(op);
    Batch wide = {0};
    wide.cols = arena_new_array(a, Vector, st->nbuf + 1);
    wide.ncols = st->nbuf;
    for (;;) {
        ExecEvent ev = exec_next(op->children[0]);
        if (ev.kind == EXEC_END)
            break;
        if (ev.kind != EXEC_BATCH)
            continue;
        Batch *in = ev.batch;
        if (batch_live_count(in) == 0)
            continue;
        memcpy(wide.cols, in->cols, sizeof(Vector) * (size_t)st->nin);
        for (int i = 0; i < st->nexprs; i++)
            wide.cols[st->nin + i] = *expr_eval(st->exprs[i], in);
        wide.count = in->count;
        wide.sel = in->sel;
        wide.nsel = in->nsel;
        rowset_append(st->rows, &wide);
    }
}

static inline Vector *result_slot(WindowState *st, int w, uint32 row, int *r)
{
    *r = (int)(row & (LM_BATCH_SIZE - 1));
    return &st->results->batches[row / LM_BATCH_SIZE]->cols[w];
}

static bool row_qualifies(const RowSet *rs, const WinRun *wr, const AggDesc *d, int nargs,
                          uint32 row)
{
    int r;
    const Batch *b = rowset_batch_of(rs, row, &r);
    if (wr->filtercol >= 0) {
        const Vector *f = &b->cols[wr->filtercol];
        if (!vector_is_valid(f, r) || !((const uint8 *)f->data)[r])
            return false;
    }
    if (d->strict)
        for (int i = 0; i < nargs; i++)
            if (!vector_is_valid(&b->cols[wr->argcols[i]], r))
                return false;
    return true;
}

/* Feeds rows idx[from..to) that qualify into the aggregate state (group 0). */
static void feed(Operator *op, WindowState *st, WinRun *wr, AggKernelArgs *k, char *state,
                 Batch *chunk, const uint32 *idx, uint32 from, uint32 to)
{
    const AggCall *call = &wr->call->agg;
    const AggDesc *d = call->agg;
    static const uint32 zero_gids[LM_BATCH_SIZE];
    uint32 sel[LM_BATCH_SIZE];
    Vector *args[FUNC_MAX_ARGS];
    for (int i = 0; i < call->nargs; i++)
        args[i] = &chunk->cols[i];
    uint32 i = from;
    while (i < to) {
        int n = 0;
        for (; i < to && n < LM_BATCH_SIZE; i++)
            if (row_qualifies(st->rows, wr, d, call->nargs, idx[i]))
                sel[n++] = idx[i];
        if (n == 0)
            continue;
        for (int c = 0; c < call->nargs; c++)
            rowset_gather(st->rows, wr->argcols[c], sel, n, &chunk->cols[c], NULL, 0);
        chunk->count = n;
        chunk->sel = NULL;
        d->update(k, args, chunk, zero_gids, state);
    }
}

static void compute_window(Operator *op, WindowState *st, int w)
{
    WinRun *wr = &st->wins[w];
    const WindowCall *call = wr->call;
    const RowSet *rs = st->rows;
    uint32 n = (uint32)rs->nrows;
    Arena *a = op_state_arena(op);
    wr->idx = arena_alloc(a, sizeof(uint32) * (n ? n : 1));
    for (uint32 i = 0; i < n; i++)
        wr->idx[i] = i;
    Arena *scratch = arena_create("window scratch", a);
    rowset_sort(rs, wr->npart + wr->norder, wr->all, wr->idx, n, scratch);
    const uint32 *idx = wr->idx;

    const AggDesc *d = call->kind == WIN_AGG ? call->agg.agg : NULL;
    AggKernelArgs k = {op->ctx, &call->agg, a};
    char *state = NULL;
    Batch *chunk = NULL;
    if (d) {
        state = arena_alloc(a, d->state_size ? d->state_size : 1);
        const LmType **types = arena_new_array(scratch, const LmType *, call->agg.nargs + 1);
        for (int i = 0; i < call->agg.nargs; i++)
            types[i] = rs->types[wr->argcols[i]];
        chunk = batch_create(scratch, call->agg.nargs, types, LM_BATCH_SIZE);
    }
    uint32 ps = 0;
    while (ps < n) {
        uint32 pe = ps + 1;
        while (pe < n && rowset_compare_rows(rs, wr->npart, wr->part, idx[ps], idx[pe]) == 0)
            pe++;
        /* partition [ps, pe) */
        if (d)
            d->init(&k, state);
        int64 rank = 1, dense = 0;
        uint32 gs = ps;
        while (gs < pe) {
            uint32 ge = gs + 1;
            if ((wr->norder == 0 || wr->call->whole_frame) && d)
                ge = pe; /* whole-partition frame: one peer group */
            else
                while (ge < pe &&
                       rowset_compare_rows(rs, wr->norder, wr->order, idx[gs], idx[ge]) == 0)
                    ge++;
            dense++;
            if (d)
                feed(op, st, wr, &k, state, chunk, idx, gs, ge);
            for (uint32 i = gs; i < ge; i++) {
                int r;
                Vector *out = result_slot(st, w, idx[i], &r);
                switch (call->kind) {
                case WIN_ROW_NUMBER:
                    vector_set_int64(out, r, (int64)(i - ps + 1));
                    break;
                case WIN_RANK:
                    vector_set_int64(out, r, rank);
                    break;
                case WIN_DENSE_RANK:
                    vector_set_int64(out, r, dense);
                    break;
                case WIN_AGG:
                    d->finalize(&k, state, out, r);
                    break;
                }
            }
            rank += ge - gs;
            gs = ge;
        }
        ps = pe;
    }
    arena_destroy(scratch);
}

static void window_open(Operator *op)
{
    WindowState *st = op->state;
    const PlanNode *p = op->plan;
    Arena *a = op_state_arena(op);
    buffer_input(op);
    const LmType **rtypes = arena_new_array(a, const LmType *, st->nwin + 1);
    for (int w = 0; w < st->nwin; w++)
        rtypes[w] = p->windows[w].type;
    st->results = rowset_create(a, st->nwin, rtypes);
    for (int b = 0; b < st->rows->nbatches; b++) {
        Batch *rb = batch_create(a, st->nwin, rtypes, LM_BATCH_SIZE);
        rb->count = st->rows->batches[b]->count;
        if (st->results->nbatches == st->results->cap) {
            int ncap = st->results->cap ? st->results->cap * 2 : 8;
            st->results->batches =
                arena_realloc(a, st->results->batches, sizeof(Batch *) * (size_t)st->results->cap,
                              sizeof(Batch *) * (size_t)ncap);
            st->results->cap = ncap;
        }
        st->results->batches[st->results->nbatches++] = rb;
        st->results->nrows += rb->count;
    }
    for (int w = 0; w < st->nwin; w++)
        compute_window(op, st, w);
}

static ExecEvent window_next(Operator *op)
{
    WindowState *st = op->state;
    const PlanNode *p = op->plan;
    arena_reset(op->batch_arena);
    uint32 n = (uint32)st->rows->nrows;
    if (st->pos >= n)
        return exec_event_end();
    int k = (int)LM_MIN(n - st->pos, (uint32)LM_BATCH_SIZE);
    const uint32 *idx = st->nwin > 0 ? st->wins[0].idx + st->pos : NULL;
    uint32 ident[LM_BATCH_SIZE];
    if (idx == NULL) {
        for (int i = 0; i < k; i++)
            ident[i] = st->pos + (uint32)i;
        idx = ident;
    }
    Batch *b = batch_create(op->batch_arena, p->ncols, st->out_types, LM_BATCH_SIZE);
    for (int c = 0; c < st->nin; c++)
        rowset_gather(st->rows, c, idx, k, &b->cols[c], NULL, 0);
    for (int w = 0; w < st->nwin; w++)
        rowset_gather(st->results, w, idx, k, &b->cols[st->nin + w], NULL, 0);
    b->count = k;
    st->pos += (uint32)k;
    return exec_event_batch(b);
}

static const OperatorOps window_ops = {"WindowAgg", window_open, window_next, NULL};

void op_window_init(Operator *op)
{
    Arena *a = op_state_arena(op);
    const PlanNode *p = op->plan;
    WindowState *st = arena_new(a, WindowState);
    op->state = st;
    op->ops = &window_ops;
    st->nin = p->left->ncols;
    st->nwin = p->nwindows;
    st->out_types = plan_col_types(a, p);
    /* upper bound of buffered expressions */
    int maxe = 0;
    for (int w = 0; w < p->nwindows; w++) {
        const WindowCall *c = &p->windows[w];
        maxe += c->npartition + c->norder + c->agg.nargs + 1;
    }
    st->exprs = arena_new_array(a, ExprState *, maxe + 1);
    const LmType **types = arena_new_array(a, const LmType *, st->nin + maxe + 1);
    for (int i = 0; i < st->nin; i++)
        types[i] = p->left->cols[i].type;
    st->wins = arena_new_array(a, WinRun, p->nwindows + 1);
    for (int w = 0; w < p->nwindows; w++) {
        const WindowCall *c = &p->windows[w];
        WinRun *wr = &st->wins[w];
        wr->call = c;
        wr->npart = c->npartition;
        wr->norder = c->norder;
        wr->all = arena_new_array(a, SortSpec, c->npartition + c->norder + 1);
        wr->part = wr->all;
        wr->order = wr->all + c->npartition;
        for (int i = 0; i < c->npartition; i++)
            wr->all[i].col = add_expr(op, st, c->partition[i], types);
        for (int i = 0; i < c->norder; i++) {
            wr->order[i].col = add_expr(op, st, c->order[i].expr, types);
            wr->order[i].descending = c->order[i].descending;
            wr->order[i].nulls_first = c->order[i].nulls_first;
        }
        wr->filtercol = -1;
        if (c->kind == WIN_AGG) {
            if (c->agg.distinct)
                ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("DISTINCT is not implemented for window functions"));
            if (c->agg.norder > 0)
                ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("ORDER BY inside a window aggregate call is not supported"));
            if (c->agg.nargs > FUNC_MAX_ARGS)
                elog(ERROR, "window aggregate with %d arguments", c->agg.nargs);
            wr->argcols = arena_new_array(a, int, c->agg.nargs + 1);
            for (int i = 0; i < c->agg.nargs; i++)
                wr->argcols[i] = add_expr(op, st, c->agg.args[i], types);
            if (c->agg.filter) {
                /* always buffered as its own column, even when a plain column */
                int col = st->nin + st->nexprs;
                st->exprs[st->nexprs++] = op_expr_init(op, c->agg.filter);
                types[col] = c->agg.filter->type;
                wr->filtercol = col;
            }
        }
    }
    st->nbuf = st->nin + st->nexprs;
    st->rows = rowset_create(a, st->nbuf, types);
}
