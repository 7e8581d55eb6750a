/*
 * op_window_assign.c: PLAN_WINDOW_ASSIGN — puts each row into its event-time
 * windows, appending window_start and window_end (both of the time column's
 * type) to the input's columns.  The same operator runs in bounded queries
 * (the oracle for pipelines) and, stateless, inside pipelines: events other
 * than batches (watermarks, barriers, idle, end) pass through unchanged.
 *
 * Windows are aligned to the epoch plus the window's offset (as Flink and
 * RisingWave do): a row at time ts lies in the HOP windows starting at
 * last - k * slide for k = 0 .. size/slide - 1, where last = ts - ((ts -
 * offset) mod slide) with a floor modulo (times before 1970 included);
 * TUMBLE is HOP with slide = size.  Windows are [start, end): a row at
 * exactly window_end belongs to the next window.  Rows whose time is NULL
 * (or infinite) belong to no window and are dropped.
 *
 * TUMBLE copies nothing: the output batch shares the input's vectors, adds
 * the two window vectors (indexed by row position like the input's) and
 * narrows the selection to rows with a window.  HOP emits size/slide rows
 * per input row, gathered into a new batch; an input batch may need several
 * output batches, so the operator remembers where it stopped (input row and
 * window number) and keeps the input batch, which stays valid until it pulls
 * the next one.  Changelog operations (Batch.ops) are carried to every copy.
 *
 * Processing time (GroupWindow.proctime, set by the stream planner when the
 * input has no event time): rows are put into the window of the wall clock
 * (CLOCK_REALTIME, the clock of the source's processing-time watermark) at
 * the moment their batch is assigned, not by the time column.
 */
#include "executor/operator.h"

#include <time.h>

typedef struct AssignState {
    ExprState *time; /* NULL: plain column time_col */
    int time_col;
    int nwin; /* windows per row: size / slide */
    int nin;  /* input columns */
    const LmType **types;
    /* HOP: the input batch being expanded and the position reached */
    Batch *in;
    const Vector *tv;
    int in_pos; /* live row index */
    int win_k;  /* next window of that row */
    /* TUMBLE: the pass-through output */
    Batch out;
    Vector win[2];
    Vector proc_time; /* gwindow.proctime: the wall clock per row */
    uint16 sel[LM_BATCH_SIZE];
} AssignState;

static inline int64 floor_mod(int64 a, int64 m)
{
    int64 r = a % m;
    return r < 0 ? r + m : r;
}

bool window_last_start(const GroupWindow *gw, int64 ts, int64 *last_start)
{
    int64 slide = gw->kind == GW_HOP ? gw->slide_us : gw->size_us;
    int64 rel, first, end;
    if (ts == INT64_MAX || ts == INT64_MIN || __builtin_sub_overflow(ts, gw->offset_us, &rel))
        return false;
    int64 last = ts - floor_mod(rel, slide);
    /* the first window's start and the last window's end must be representable */
    if (__builtin_sub_overflow(last, gw->size_us - slide, &first) ||
        __builtin_add_overflow(last, gw->size_us, &end))
        return false;
    (void)first;
    (void)end;
    *last_start = last;
    return true;
}

static const Vector *eval_time(Operator *op, AssignState *st, const Batch *in)
{
    if (op->plan->gwindow.proctime) {
        /* processing time: every row of the batch is stamped with the wall clock now */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64 now = (int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
        int64 *d = st->proc_time.data;
        for (int i = 0; i < in->count; i++)
            d[i] = now;
        return &st->proc_time;
    }
    return st->time ? expr_eval(st->time, in) : &in->cols[st->time_col];
}

static ExecEvent tumble_next(Operator *op, AssignState *st)
{
    const GroupWindow *gw = &op->plan->gwindow;
    for (;;) {
        ExecEvent ev = exec_next(op->children[0]);
        if (ev.kind != EXEC_BATCH)
            return ev;
        Batch *in = ev.batch;
        int live = batch_live_count(in);
        if (live == 0)
            continue;
        arena_reset(op->batch_arena);
        const Vector *tv = eval_time(op, st, in);
        const int64 *t = tv->data;
        for (int i = 0; i < 2; i++)
            vector_init(&st->win[i], op->batch_arena, st->types[st->nin + i], in->count);
        int64 *ws = st->win[0].data, *we = st->win[1].data;
        int n = 0;
        for (int i = 0; i < live; i++) {
            int r = batch_row(in, i);
            int64 s;
            if (!vector_is_valid(tv, r) || !window_last_start(gw, t[r], &s))
                continue;
            ws[r] = s;
            we[r] = s + gw->size_us;
            st->sel[n++] = (uint16)r;
        }
        if (n == 0)
            continue;
        Batch *out = &st->out;
        memcpy(out->cols, in->cols, sizeof(Vector) * (size_t)st->nin);
        out->cols[st->nin] = st->win[0];
        out->cols[st->nin + 1] = st->win[1];
        out->ncols = st->nin + 2;
        out->count = in->count;
        out->ops = in->ops;
        out->arena = in->arena;
        if (n == live && in->sel == NULL) {
            out->sel = NULL;
            out->nsel = 0;
        } else {
            out->sel = st->sel;
            out->nsel = n;
        }
        ev.batch = out;
        return ev;
    }
}

static ExecEvent hop_next(Operator *op, AssignState *st)
{
    const GroupWindow *gw = &op->plan->gwindow;
    arena_reset(op->batch_arena);
    uint16 rows[LM_BATCH_SIZE];
    int64 starts[LM_BATCH_SIZE];
    for (;;) {
        if (st->in == NULL) {
            ExecEvent ev = exec_next(op->children[0]);
            if (ev.kind != EXEC_BATCH)
                return ev;
            if (batch_live_count(ev.batch) == 0)
                continue;
            st->in = ev.batch;
            st->tv = eval_time(op, st, st->in);
            st->in_pos = 0;
            st->win_k = 0;
        }
        Batch *in = st->in;
        const int64 *t = st->tv->data;
        int live = batch_live_count(in);
        int n = 0;
        while (st->in_pos < live && n < LM_BATCH_SIZE) {
            int r = batch_row(in, st->in_pos);
            int64 last;
            if (!vector_is_valid(st->tv, r) || !window_last_start(gw, t[r], &last)) {
                st->in_pos++;
                continue;
            }
            int64 first = last - (int64)(st->nwin - 1) * gw->slide_us;
            while (st->win_k < st->nwin && n < LM_BATCH_SIZE) {
                rows[n] = (uint16)r;
                starts[n] = first + (int64)st->win_k * gw->slide_us;
                n++;
                st->win_k++;
            }
            if (st->win_k == st->nwin) {
                st->win_k = 0;
                st->in_pos++;
            }
        }
        if (st->in_pos >= live)
            st->in = NULL; /* rows gathered below are copied: the input may go */
        if (n == 0)
            continue;
        Batch *out = batch_create(op->batch_arena, st->nin + 2, st->types, LM_BATCH_SIZE);
        for (int c = 0; c < st->nin; c++)
            vector_gather(&out->cols[c], op->batch_arena, &in->cols[c], rows, n);
        int64 *ws = out->cols[st->nin].data, *we = out->cols[st->nin + 1].data;
        for (int i = 0; i < n; i++) {
            ws[i] = starts[i];
            we[i] = starts[i] + gw->size_us;
        }
        if (in->ops) {
            out->ops = arena_alloc(op->batch_arena, (size_t)n);
            for (int i = 0; i < n; i++)
                out->ops[i] = in->ops[rows[i]];
        }
        out->count = n;
        ExecEvent ev = exec_event_batch(out);
        return ev;
    }
}

static ExecEvent assign_next(Operator *op)
{
    AssignState *st = op->state;
    return st->nwin == 1 ? tumble_next(op, st) : hop_next(op, st);
}

static const OperatorOps assign_ops = {"WindowAssign", NULL, assign_next, NULL, NULL, NULL};

void op_window_assign_init(Operator *op)
{
    Arena *a = op_state_arena(op);
    const PlanNode *p = op->plan;
    const GroupWindow *gw = &p->gwindow;
    if (gw->kind != GW_TUMBLE && gw->kind != GW_HOP)
        elog(ERROR, "window assignment of kind %d", (int)gw->kind);
    if (gw->size_us <= 0 || (gw->kind == GW_HOP && (gw->slide_us <= 0 || gw->size_us % gw->slide_us)))
        elog(ERROR, "invalid window size");
    AssignState *st = arena_new(a, AssignState);
    st->nin = p->left->ncols;
    st->types = plan_col_types(a, p);
    st->nwin = gw->kind == GW_HOP ? (int)(gw->size_us / gw->slide_us) : 1;
    if (gw->time->kind == EXPR_COLUMN && gw->time->levels_up == 0)
        st->time_col = gw->time->index;
    else
        st->time = op_expr_init(op, gw->time);
    st->out.cols = arena_new_array(a, Vector, st->nin + 2);
    if (gw->proctime) /* in the state arena: HOP keeps it across calls */
        vector_init(&st->proc_time, a, st->types[st->nin], LM_BATCH_SIZE);
    op->state = st;
    op->ops = &assign_ops;
}
