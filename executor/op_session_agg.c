/*
 * op_session_agg.c: PLAN_AGGREGATE with a SESSION(ts, gap) window in bounded
 * queries — the oracle for the streaming session aggregate.
 *
 * A session of a group is a maximal run of its rows, in time order, where
 * each row comes less than `gap` after the session's latest row; it spans
 * [first ts, last ts + gap) (Flink's merging of [ts, ts + gap) windows).
 * Rows with a NULL time belong to no session and are dropped.
 *
 * Algorithm: all input rows are buffered in a RowSet together with their
 * evaluated group keys and time; row indexes are sorted by (keys, time);
 * one pass over the sorted order cuts sessions (a new session where the keys
 * change or ts >= the current session's end) and numbers them; then the
 * rows are gathered back in sorted order, batch by batch, and folded into
 * per-session states (agg_set.h) with the session number as group id, so
 * order-sensitive aggregates (string_agg) see each session's rows in time
 * order.  Output, one row per session in (keys, start) order: groups...,
 * window_start, window_end, aggs...  Memory: the whole input, as a sort.
 */
#include "executor/agg_set.h"

typedef struct SessionAggState {
    AggSet aggs;
    AggStates states;
    int nin;      /* input columns */
    int ngroups;
    ExprState **groups; /* NULL: plain column */
    ExprState *time;    /* NULL: plain column time_col */
    int time_col;
    RowSet *rows;       /* input columns, keys, time */
    const LmType **row_types;
    /* results */
    bool consumed;
    uint32 nsessions;
    uint32 *first_row; /* per session: a RowSet row of it (keys) */
    int64 *start, *end;
    uint32 pos;
    const LmType **out_types;
} SessionAggState;

static void consume(Operator *op, SessionAggState *st)
{
    const PlanNode *p = op->plan;
    int nk = st->ngroups;
    for (;;) {
        ExecEvent ev = exec_next(op->children[0]);
        if (ev.kind == EXEC_END)
            break;
        if (ev.kind != EXEC_BATCH)
            continue;
        Batch *in = ev.batch;
        if (batch_live_count(in) == 0)
            continue;
        arena_reset(op->batch_arena);
        /* a wide batch: input columns, keys, time; rows without a time dropped */
        Batch wide = *in;
        Vector *wc = arena_new_array(op->batch_arena, Vector, st->nin + nk + 1);
        for (int c = 0; c < st->nin; c++)
            wc[c] = in->cols[c];
        for (int k = 0; k < nk; k++)
            wc[st->nin + k] =
                st->groups[k] ? *expr_eval(st->groups[k], in) : in->cols[p->groups[k]->index];
        const Vector *tv = st->time ? expr_eval(st->time, in) : &in->cols[st->time_col];
        wc[st->nin + nk] = *tv;
        uint16 *sel = arena_alloc(op->batch_arena, sizeof(uint16) * LM_BATCH_SIZE);
        int n = 0, live = batch_live_count(in);
        for (int i = 0; i < live; i++) {
            int r = batch_row(in, i);
            if (vector_is_valid(tv, r))
                sel[n++] = (uint16)r;
        }
        wide.cols = wc;
        wide.ncols = st->nin + nk + 1;
        wide.sel = sel;
        wide.nsel = n;
        wide.ops = NULL;
        if (n > 0)
            rowset_append(st->rows, &wide);
    }
    uint32 n = (uint32)st->rows->nrows;
    Arena *a = op_state_arena(op);
    uint32 *idx = arena_alloc(a, sizeof(uint32) * (n ? n : 1));
    for (uint32 i = 0; i < n; i++)
        idx[i] = i;
    SortSpec *spec = arena_new_array(a, SortSpec, nk + 1);
    for (int k = 0; k < nk; k++)
        spec[k].col = st->nin + k;
    spec[nk].col = st->nin + nk;
    rowset_sort(st->rows, nk + 1, spec, idx, n, a);

    /* cut sessions */
    uint32 *sid = arena_alloc(a, sizeof(uint32) * (n ? n : 1));
    st->first_row = arena_alloc(a, sizeof(uint32) * (n ? n : 1));
    st->start = arena_alloc(a, sizeof(int64) * (n ? n : 1));
    st->end = arena_alloc(a, sizeof(int64) * (n ? n : 1));
    int64 gap = p->gwindow.gap_us;
    uint32 ns = 0;
    for (uint32 i = 0; i < n; i++) {
        int row;
        const Batch *b = rowset_batch_of(st->rows, idx[i], &row);
        int64 ts = ((const int64 *)b->cols[st->nin + nk].data)[row];
        int64 tend = ts > INT64_MAX - gap ? INT64_MAX : ts + gap;
        bool fresh = i == 0 || ts >= st->end[ns - 1] ||
                     (nk > 0 && rowset_compare_rows(st->rows, nk, spec, idx[i - 1], idx[i]) != 0);
        if (fresh) {
            st->first_row[ns] = idx[i];
            st->start[ns] = ts;
            st->end[ns] = tend;
            ns++;
        } else if (tend > st->end[ns - 1]) {
            st->end[ns - 1] = tend;
        }
        sid[i] = ns - 1;
    }
    st->nsessions = ns;
    aggstates_reserve(&st->aggs, &st->states, ns ? ns : 1);

    /* fold rows in sorted order */
    Arena *scratch = arena_create("session aggregate", a);
    Batch *b = batch_create(scratch, st->nin, st->row_types, LM_BATCH_SIZE);
    for (uint32 pos = 0; pos < n; pos += LM_BATCH_SIZE) {
        exec_check_cancel(op->ctx);
        int k = (int)LM_MIN(n - pos, (uint32)LM_BATCH_SIZE);
        for (int c = 0; c < st->nin; c++)
            rowset_gather(st->rows, c, idx + pos, k, &b->cols[c], NULL, 0);
        b->count = k;
        b->sel = NULL;
        aggset_update(&st->aggs, b, sid + pos, &st->states);
    }
    arena_destroy(scratch);
    st->consumed = true;
}

static ExecEvent session_next(Operator *op)
{
    SessionAggState *st = op->state;
    const PlanNode *p = op->plan;
    if (!st->consumed)
        consume(op, st);
    arena_reset(op->batch_arena);
    if (st->pos >= st->nsessions)
        return exec_event_end();
    int k = (int)LM_MIN(st->nsessions - st->pos, (uint32)LM_BATCH_SIZE);
    Batch *b = batch_create(op->batch_arena, p->ncols, st->out_types, LM_BATCH_SIZE);
    int nk = st->ngroups;
    if (nk > 0)
        for (int c = 0; c < nk; c++)
            rowset_gather(st->rows, st->nin + c, st->first_row + st->pos, k, &b->cols[c], NULL, 0);
    int64 *ws = b->cols[nk].data, *we = b->cols[nk + 1].data;
    for (int i = 0; i < k; i++) {
        uint32 s = st->pos + (uint32)i;
        ws[i] = st->start[s];
        we[i] = st->end[s];
        aggset_finalize(&st->aggs, &st->states, s, &b->cols[nk + 2], i);
    }
    b->count = k;
    st->pos += (uint32)k;
    return exec_event_batch(b);
}

static const OperatorOps session_ops = {"SessionAggregate", NULL, session_next, NULL, NULL, NULL};

void op_session_agg_init(Operator *op)
{
    Arena *a = op_state_arena(op);
    const PlanNode *p = op->plan;
    SessionAggState *st = arena_new(a, SessionAggState);
    op->state = st;
    op->ops = &session_ops;
    st->nin = p->left->ncols;
    st->ngroups = p->ngroups;
    st->out_types = plan_col_types(a, p);
    st->row_types = plan_col_types(a, p->left);
    aggset_init(op, &st->aggs, p->naggs, p->aggs, a, "SESSION windows");
    aggstates_init(&st->aggs, &st->states, a);
    st->groups = arena_new_array(a, ExprState *, p->ngroups + 1);
    const LmType **types = arena_new_array(a, const LmType *, st->nin + p->ngroups + 1);
    for (int c = 0; c < st->nin; c++)
        types[c] = st->row_types[c];
    for (int k = 0; k < p->ngroups; k++) {
        if (p->groups[k]->kind != EXPR_COLUMN || p->groups[k]->levels_up != 0)
            st->groups[k] = op_expr_init(op, p->groups[k]);
        types[st->nin + k] = p->groups[k]->type;
    }
    const Expr *t = p->gwindow.time;
    types[st->nin + p->ngroups] = t->type;
    if (t->kind == EXPR_COLUMN && t->levels_up == 0)
        st->time_col = t->index;
    else
        st->time = op_expr_init(op, t);
    st->rows = rowset_create(a, st->nin + p->ngroups + 1, types);
}
