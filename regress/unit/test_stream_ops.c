/*
 * test_stream_ops.c: the window operators and the stateful stream operators
 * (area B) driven by hand-made event sequences — batches, watermarks,
 * barriers, idle, END — from a scripted input operator, on hand-built plans
 * with the real function and aggregate registry.
 *
 * Covers: window assignment (TUMBLE, HOP, offsets, NULL times, HOP rows
 * spanning batches); the bounded SESSION aggregate; the stream TUMBLE/HOP/
 * SESSION aggregates in both emit modes with late rows; the changelog
 * aggregate over append-only and retracting input; window and interval
 * joins (inner, outer, late rows, expiry); top-N and dedup changelogs; lookup
 * joins by primary key (INNER, LEFT, table-side filter, table changes between
 * batches, changelog input) and without one.  Every stateful operator is
 * snapshotted at a barrier and restored into a fresh operator: the continued
 * run must equal an uninterrupted one.  Stream results are compared with the
 * bounded operators on the same rows (the oracle); changelogs are applied and
 * compared.  Output is checked exactly, as "op|col|col..." lines.
 *
 * Snapshots go through the runtime's real state writer/reader into a
 * RocksDB instance in a temp dir; the test stands in for the runtime's task
 * and job (stream_int.h) with just the fields those hooks read.
 */
#include "common/vector.h"
#include "executor/exec.h"
#include "executor/func.h"
#include "executor/stream_int.h"
#include "executor/stream_ops.h"
#include "planner/plan.h"
#include "planner/relation.h"
#include "storage/table.h"
#include "storage/storage.h"
#include "lmtest.h"

#include <stdlib.h>
#include <unistd.h>

static Arena *A;
static ExecContext CTX;
static StreamContext SCTX;
static StreamJob JOB;
static StreamTask TASK;
static Storage *ST;
static int next_op_id = 1;

#define MIN_US INT64_C(60000000)
#define HOUR_US (60 * MIN_US)

/* ---------------------------------------------------------------- input */

typedef struct Script {
    ExecEvent ev[64];
    int n;
    void (*on_idle)(void); /* called when an IDLE event is handed out */
} Script;

typedef struct Feed {
    const Script *s;
    int pos;
} Feed;

static ExecEvent feed_next(Operator *op)
{
    Feed *f = op->state;
    if (f->pos >= f->s->n)
        return (ExecEvent){.kind = EXEC_END};
    ExecEvent ev = f->s->ev[f->pos++];
    if (ev.kind == EXEC_IDLE && f->s->on_idle)
        f->s->on_idle();
    return ev;
}

static const OperatorOps feed_ops = {"Feed", NULL, feed_next, NULL, NULL, NULL};

static PlanNode *P_FEED; /* k text, v int, ts timestamp */

static Operator *feed_op(const Script *s)
{
    Operator *op = exec_operator_create(&CTX, P_FEED, NULL, 0);
    Feed *f = arena_new(A, Feed);
    f->s = s;
    op->ops = &feed_ops;
    op->state = f;
    return op;
}

static int64 ts_of(const char *hm)
{
    Vector v;
    vector_init(&v, A, type_timestamp(), 1);
    char buf[64];
    snprintf(buf, sizeof buf, "2024-01-01 %s", hm);
    value_parse_text(&v, A, 0, buf, strlen(buf));
    return ((int64 *)v.data)[0];
}

/* rows: "k v HH:MM[:SS]" separated by ';', v '-' for NULL, ts '-' for NULL; an optional
 * leading op character: '+' insert, '-' delete, '<' update before, '>' update after. */
static void s_batch(Script *s, const char *rows)
{
    const LmType *types[3] = {type_string(), type_int32(), type_timestamp()};
    Batch *b = batch_create(A, 3, types, LM_BATCH_SIZE);
    char *copy = arena_strdup(A, rows), *save = NULL;
    int n = 0;
    bool any_ops = false;
    uint8 ops[LM_BATCH_SIZE];
    for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        while (*tok == ' ')
            tok++;
        RowOp op = ROW_INSERT;
        if (strchr("+-<>", *tok) && tok[1] == ' ') {
            op = *tok == '+' ? ROW_INSERT : *tok == '-' ? ROW_DELETE
                 : *tok == '<' ? ROW_UPDATE_BEFORE : ROW_UPDATE_AFTER;
            any_ops = true;
            tok += 2;
        }
        char k[32], v[32], t[32];
        if (sscanf(tok, "%31s %31s %31s", k, v, t) != 3)
            abort();
        vector_set_cstr(&b->cols[0], A, n, k);
        if (strcmp(v, "-") == 0)
            vector_set_null(&b->cols[1], n);
        else
            vector_set_int32(&b->cols[1], n, atoi(v));
        if (strcmp(t, "-") == 0)
            vector_set_null(&b->cols[2], n);
        else
            vector_set_int64(&b->cols[2], n, ts_of(t));
        ops[n] = (uint8)op;
        n++;
    }
    b->count = n;
    if (any_ops)
        b->ops = arena_memdup(A, ops, (size_t)n);
    s->ev[s->n++] = (ExecEvent){.kind = EXEC_BATCH, .batch = b};
}

static void s_wm(Script *s, const char *hm)
{
    s->ev[s->n++] = (ExecEvent){.kind = EXEC_WATERMARK, .watermark = ts_of(hm)};
}

static void s_barrier(Script *s, int64 id)
{
    s->ev[s->n++] = (ExecEvent){.kind = EXEC_BARRIER, .checkpoint_id = id};
}

/* The same rows as batches only (the bounded oracle's input). */
static Script *batches_only(const Script *s)
{
    Script *o = arena_new(A, Script);
    for (int i = 0; i < s->n; i++)
        if (s->ev[i].kind == EXEC_BATCH)
            o->ev[o->n++] = s->ev[i];
    return o;
}

/* ---------------------------------------------------------------- plans */

static Expr *col(int i, const LmType *t)
{
    return expr_make_column(A, i, t, -1);
}

static PlanNode *assign_plan(PlanNode *child, GroupWindowKind kind, int64 size, int64 slide,
                             int64 offset)
{
    PlanNode *p = plan_make(A, PLAN_WINDOW_ASSIGN);
    p->left = child;
    p->gwindow.kind = kind;
    p->gwindow.time = col(2, type_timestamp());
    p->gwindow.size_us = size;
    p->gwindow.slide_us = slide;
    p->gwindow.offset_us = offset;
    p->ncols = child->ncols + 2;
    p->cols = arena_new_array(A, PlanColumn, p->ncols);
    memcpy(p->cols, child->cols, sizeof(PlanColumn) * (size_t)child->ncols);
    p->cols[child->ncols] = (PlanColumn){.name = "window_start", .type = type_timestamp()};
    p->cols[child->ncols + 1] = (PlanColumn){.name = "window_end", .type = type_timestamp()};
    return p;
}

typedef struct AggSpec {
    const char *name;
    int arg; /* input column, -1: count(*) */
} AggSpec;

static PlanNode *agg_plan(PlanNode *child, int ngroups, const int *groups, int naggs,
                          const AggSpec *aggs, int64 session_gap)
{
    PlanNode *p = plan_make(A, PLAN_AGGREGATE);
    p->left = child;
    p->ngroups = ngroups;
    p->groups = arena_new_array(A, Expr *, ngroups + 1);
    int nw = session_gap > 0 ? 2 : 0;
    p->ncols = ngroups + nw + naggs;
    p->cols = arena_new_array(A, PlanColumn, p->ncols);
    for (int i = 0; i < ngroups; i++) {
        p->groups[i] = col(groups[i], child->cols[groups[i]].type);
        p->cols[i] = child->cols[groups[i]];
    }
    if (session_gap > 0) {
        p->gwindow.kind = GW_SESSION;
        p->gwindow.time = col(2, type_timestamp());
        p->gwindow.gap_us = session_gap;
        p->cols[ngroups] = (PlanColumn){.name = "window_start", .type = type_timestamp()};
        p->cols[ngroups + 1] = (PlanColumn){.name = "window_end", .type = type_timestamp()};
    }
    p->naggs = naggs;
    p->aggs = arena_new_array(A, AggCall, naggs + 1);
    for (int i = 0; i < naggs; i++) {
        AggCall *c = &p->aggs[i];
        int nargs = aggs[i].arg >= 0;
        const LmType *argt[1] = {nargs ? child->cols[aggs[i].arg].type : NULL};
        const LmType *cast[1] = {NULL};
        const LmType *ret = NULL;
        c->agg = agg_resolve(A, aggs[i].name, nargs, argt, cast, &ret);
        if (c->agg == NULL)
            abort();
        c->nargs = nargs;
        c->args = arena_new_array(A, Expr *, 1);
        if (nargs)
            c->args[0] = col(aggs[i].arg, argt[0]);
        c->type = ret;
        c->name = aggs[i].name;
        p->cols[ngroups + nw + i] = (PlanColumn){.name = aggs[i].name, .type = ret};
    }
    return p;
}

/* ---------------------------------------------------------------- running */

typedef struct Out {
    StrBuf s;
    int nrows;
} Out;

static const char *op_tag(const Batch *b, int r)
{
    if (b->ops == NULL)
        return "I";
    switch ((RowOp)b->ops[r]) {
    case ROW_INSERT: return "I";
    case ROW_DELETE: return "D";
    case ROW_UPDATE_BEFORE: return "-U";
    case ROW_UPDATE_AFTER: return "+U";
    }
    return "?";
}

static void out_batch(Out *o, const Batch *b)
{
    for (int i = 0; i < batch_live_count(b); i++) {
        int r = batch_row(b, i);
        strbuf_append_str(&o->s, op_tag(b, r));
        for (int c = 0; c < b->ncols; c++) {
            strbuf_append_char(&o->s, '|');
            if (!vector_is_valid(&b->cols[c], r))
                strbuf_append_str(&o->s, "null");
            else {
                StrBuf t;
                strbuf_init(&t, NULL);
                value_format_text(&b->cols[c], r, &t);
                /* timestamps: the time of day is enough here */
                const char *x = t.data;
                if (b->cols[c].type->id == TYPE_TIMESTAMP && t.len > 11)
                    x += 11;
                strbuf_append_str(&o->s, x);
                strbuf_free(&t);
            }
        }
        strbuf_append_char(&o->s, '\n');
        o->nrows++;
    }
}

/* Drains op until END (or a barrier when stop_at_barrier); control events as lines when
 * show_events. */
static void drain(Operator *op, Out *o, bool show_events, bool stop_at_barrier)
{
    for (;;) {
        ExecEvent ev = exec_next(op);
        if (ev.kind == EXEC_END)
            return;
        if (ev.kind == EXEC_BATCH)
            out_batch(o, ev.batch);
        else if (ev.kind == EXEC_WATERMARK && show_events) {
            Vector v;
            vector_init(&v, A, type_timestamp(), 1);
            ((int64 *)v.data)[0] = ev.watermark;
            StrBuf t;
            strbuf_init(&t, NULL);
            value_format_text(&v, 0, &t);
            strbuf_printf(&o->s, "WM %s\n", t.data + 11);
            strbuf_free(&t);
        } else if (ev.kind == EXEC_BARRIER) {
            if (show_events)
                strbuf_printf(&o->s, "BARRIER %lld\n", (long long)ev.checkpoint_id);
            if (stop_at_barrier)
                return;
        }
    }
}

static char *sorted_lines(const char *text)
{
    char *copy = arena_strdup(A, text), *save = NULL;
    char *lines[4096];
    int n = 0;
    for (char *l = strtok_r(copy, "\n", &save); l && n < 4096; l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
            char *t = lines[j];
            lines[j] = lines[j - 1];
            lines[j - 1] = t;
        }
    StrBuf s;
    strbuf_init(&s, A);
    for (int i = 0; i < n; i++) {
        strbuf_append_str(&s, lines[i]);
        strbuf_append_char(&s, '\n');
    }
    return s.data;
}

static StreamOpInfo window_info(const PlanNode *agg, bool on_update)
{
    StreamOpInfo info = {0};
    info.kind = STREAM_OP_WINDOW_AGGREGATE;
    info.emits_changelog = on_update;
    info.window_start_group = info.window_end_group = -1;
    info.time_col = -1;
    if (agg->gwindow.kind == GW_SESSION) {
        info.window = &agg->gwindow;
        info.time_col = 2;
    } else {
        info.window = &agg->left->gwindow;
        for (int i = 0; i < agg->ngroups; i++) {
            int c = agg->groups[i]->index;
            if (c == agg->left->ncols - 2)
                info.window_start_group = i;
            if (c == agg->left->ncols - 1)
                info.window_end_group = i;
        }
    }
    return info;
}

/* The stream operator for agg over the script (window assignment below it when agg's child
 * is a PLAN_WINDOW_ASSIGN). */
static Operator *build_stream(const PlanNode *agg, const Script *s, const StreamOpInfo *info,
                              int op_id)
{
    Operator *in = feed_op(s);
    if (agg->left->kind == PLAN_WINDOW_ASSIGN)
        in = exec_build_node(&CTX, agg->left, &in, 1);
    Operator *op = stream_op_build(&CTX, agg, &in, 1, info);
    op->operator_id = op_id;
    exec_open(op);
    return op;
}

static char *run_stream(const PlanNode *agg, const Script *s, const StreamOpInfo *info,
                        bool show_events)
{
    Operator *op = build_stream(agg, s, info, next_op_id++);
    Out o;
    strbuf_init(&o.s, A);
    drain(op, &o, show_events, false);
    exec_close(op);
    return o.s.data;
}

/* The bounded operators on the same rows. */
static char *run_batch(const PlanNode *agg, const Script *s)
{
    Operator *in = feed_op(batches_only(s));
    if (agg->left->kind == PLAN_WINDOW_ASSIGN)
        in = exec_build_node(&CTX, agg->left, &in, 1);
    Operator *op = exec_build_node(&CTX, agg, &in, 1);
    exec_open(op);
    Out o;
    strbuf_init(&o.s, A);
    drain(op, &o, false, false);
    exec_close(op);
    return o.s.data;
}

static void snapshot(Operator *op, int64 id)
{
    StateWriter *w = stream_state_writer(op, id);
    op->ops->snapshot(op, w);
    storage_batch_commit(ST, TASK.cp_batch, true);
    storage_batch_destroy(TASK.cp_batch);
    TASK.cp_batch = NULL;
}

/* Runs s1 (ending in a barrier) on one operator, snapshots at the barrier, restores into a
 * fresh operator and runs s2 on it; returns everything emitted. */
static char *run_with_restore(const PlanNode *agg, const Script *s1, const Script *s2,
                              const StreamOpInfo *info)
{
    int id = next_op_id++;
    Operator *op = build_stream(agg, s1, info, id);
    Out o;
    strbuf_init(&o.s, A);
    drain(op, &o, true, true);
    snapshot(op, 1);
    exec_close(op);
    Operator *op2 = build_stream(agg, s2, info, id);
    StateReader *r = stream_state_reader(op2);
    if (r)
        op2->ops->restore(op2, r);
    drain(op2, &o, true, false);
    exec_close(op2);
    return o.s.data;
}

static int64 late_count(void)
{
    return atomic_load(&JOB.late_records);
}

/* ---------------------------------------------------------------- tests */

static const int G_TUMBLE[] = {3, 4, 0}; /* window_start, window_end, k */
static const AggSpec A_COUNT_SUM_MAX[] = {{"count", -1}, {"sum", 1}, {"max", 1}};

static Script *sample_script(void)
{
    Script *s = arena_new(A, Script);
    s_batch(s, "a 1 10:00; a 2 10:20; b 3 10:59:59; a - 10:40");
    s_wm(s, "10:30");
    s_batch(s, "a 4 11:00; b 5 11:10; c 6 -");
    s_wm(s, "11:00");
    s_batch(s, "a 7 10:50; b 8 11:59:59"); /* 10:50 is late: its window ended at 11:00 */
    s_wm(s, "12:00");
    s_batch(s, "a 9 12:30");
    return s;
}

static void test_assign(void)
{
    Script *s = arena_new(A, Script);
    s_batch(s, "a 1 10:00; b 2 10:59:59; c 3 -; d 4 11:00");
    s_wm(s, "10:00");
    PlanNode *t = assign_plan(P_FEED, GW_TUMBLE, HOUR_US, 0, 0);
    Operator *op = exec_build_node(&CTX, t, (Operator *[]){feed_op(s)}, 1);
    exec_open(op);
    Out o;
    strbuf_init(&o.s, A);
    drain(op, &o, true, false);
    exec_close(op);
    LMT_CHECK_STR(o.s.data,
                  "I|a|1|10:00:00|10:00:00|11:00:00\n"
                  "I|b|2|10:59:59|10:00:00|11:00:00\n"
                  "I|d|4|11:00:00|11:00:00|12:00:00\n"
                  "WM 10:00:00\n",
                  "TUMBLE assigns [start, end) windows, drops NULL times, passes watermarks");

    PlanNode *h = assign_plan(P_FEED, GW_HOP, HOUR_US, 20 * MIN_US, 0);
    Script *s2 = arena_new(A, Script);
    s_batch(s2, "a 1 10:05");
    op = exec_build_node(&CTX, h, (Operator *[]){feed_op(s2)}, 1);
    exec_open(op);
    strbuf_init(&o.s, A);
    drain(op, &o, true, false);
    exec_close(op);
    LMT_CHECK_STR(o.s.data,
                  "I|a|1|10:05:00|09:20:00|10:20:00\n"
                  "I|a|1|10:05:00|09:40:00|10:40:00\n"
                  "I|a|1|10:05:00|10:00:00|11:00:00\n",
                  "HOP puts a row into size/slide windows in start order");

    PlanNode *off = assign_plan(P_FEED, GW_TUMBLE, HOUR_US, 0, 15 * MIN_US);
    op = exec_build_node(&CTX, off, (Operator *[]){feed_op(s2)}, 1);
    exec_open(op);
    strbuf_init(&o.s, A);
    drain(op, &o, true, false);
    exec_close(op);
    LMT_CHECK_STR(o.s.data, "I|a|1|10:05:00|09:15:00|10:15:00\n", "offset shifts the alignment");

    /* a HOP with more copies than a batch holds */
    PlanNode *big = assign_plan(P_FEED, GW_HOP, 2000 * MIN_US, MIN_US, 0);
    Script *s3 = arena_new(A, Script);
    s_batch(s3, "a 1 10:05; b 2 10:06");
    op = exec_build_node(&CTX, big, (Operator *[]){feed_op(s3)}, 1);
    exec_open(op);
    strbuf_init(&o.s, A);
    o.nrows = 0;
    drain(op, &o, false, false);
    exec_close(op);
    LMT_CHECK_INT(o.nrows, 4000, "HOP with 2000 windows per row spans several batches");
}

static void test_tumble(void)
{
    PlanNode *t = assign_plan(P_FEED, GW_TUMBLE, HOUR_US, 0, 0);
    PlanNode *agg = agg_plan(t, 3, G_TUMBLE, 3, A_COUNT_SUM_MAX, 0);
    StreamOpInfo info = window_info(agg, false);
    Script *s = sample_script();
    int64 late0 = late_count();
    char *got = run_stream(agg, s, &info, true);
    LMT_CHECK_STR(got,
                  "WM 10:30:00\n"
                  "I|10:00:00|11:00:00|a|3|3|2\n"
                  "I|10:00:00|11:00:00|b|1|3|3\n"
                  "WM 11:00:00\n"
                  "I|11:00:00|12:00:00|a|1|4|4\n"
                  "I|11:00:00|12:00:00|b|2|13|8\n"
                  "WM 12:00:00\n"
                  "I|12:00:00|13:00:00|a|1|9|9\n",
                  "TUMBLE on_window_close: final rows when the watermark passes window_end");
    LMT_CHECK_INT(late_count() - late0, 1, "the late row was counted");

    /* oracle: the bounded operators over the same rows, minus the late one */
    Script *s_nolate = arena_new(A, Script);
    s_batch(s_nolate, "a 1 10:00; a 2 10:20; b 3 10:59:59; a - 10:40");
    s_batch(s_nolate, "a 4 11:00; b 5 11:10; c 6 -");
    s_batch(s_nolate, "b 8 11:59:59");
    s_batch(s_nolate, "a 9 12:30");
    char *stream_rows = run_stream(agg, s_nolate, &info, false);
    LMT_CHECK_STR(sorted_lines(stream_rows), sorted_lines(run_batch(agg, s_nolate)),
                  "TUMBLE stream result equals the bounded aggregate (oracle)");

    /* snapshot at a barrier, restore, continue */
    Script *s1 = arena_new(A, Script), *s2 = arena_new(A, Script);
    s_batch(s1, "a 1 10:00; a 2 10:20; b 3 10:59:59; a - 10:40");
    s_wm(s1, "10:30");
    s_batch(s1, "a 4 11:00; b 5 11:10; c 6 -");
    s_barrier(s1, 1);
    s_wm(s2, "11:00");
    s_batch(s2, "a 7 10:50; b 8 11:59:59");
    s_wm(s2, "12:00");
    s_batch(s2, "a 9 12:30");
    char *restored = run_with_restore(agg, s1, s2, &info);
    LMT_CHECK_STR(restored,
                  "WM 10:30:00\n"
                  "BARRIER 1\n"
                  "I|10:00:00|11:00:00|a|3|3|2\n"
                  "I|10:00:00|11:00:00|b|1|3|3\n"
                  "WM 11:00:00\n"
                  "I|11:00:00|12:00:00|a|1|4|4\n"
                  "I|11:00:00|12:00:00|b|2|13|8\n"
                  "WM 12:00:00\n"
                  "I|12:00:00|13:00:00|a|1|9|9\n",
                  "TUMBLE restored from a snapshot continues exactly");
}

static void test_tumble_on_update(void)
{
    PlanNode *t = assign_plan(P_FEED, GW_TUMBLE, HOUR_US, 0, 0);
    PlanNode *agg = agg_plan(t, 3, G_TUMBLE, 3, A_COUNT_SUM_MAX, 0);
    StreamOpInfo info = window_info(agg, true);
    Script *s = arena_new(A, Script);
    s_batch(s, "a 1 10:00; b 3 10:10");
    s_batch(s, "a 2 10:20");
    s_wm(s, "11:00");
    s_batch(s, "a 5 10:30; a 6 11:30");
    char *got = run_stream(agg, s, &info, true);
    LMT_CHECK_STR(got,
                  "I|10:00:00|11:00:00|a|1|1|1\n"
                  "I|10:00:00|11:00:00|b|1|3|3\n"
                  "-U|10:00:00|11:00:00|a|1|1|1\n"
                  "+U|10:00:00|11:00:00|a|2|3|2\n"
                  "WM 11:00:00\n"
                  "I|11:00:00|12:00:00|a|1|6|6\n",
                  "on_update: changelog per batch, nothing at close, late rows dropped");

    Script *s1 = arena_new(A, Script), *s2 = arena_new(A, Script);
    s_batch(s1, "a 1 10:00; b 3 10:10");
    s_barrier(s1, 1);
    s_batch(s2, "a 2 10:20");
    s_wm(s2, "11:00");
    s_batch(s2, "a 5 10:30; a 6 11:30");
    LMT_CHECK_STR(run_with_restore(agg, s1, s2, &info),
                  "I|10:00:00|11:00:00|a|1|1|1\n"
                  "I|10:00:00|11:00:00|b|1|3|3\n"
                  "BARRIER 1\n"
                  "-U|10:00:00|11:00:00|a|1|1|1\n"
                  "+U|10:00:00|11:00:00|a|2|3|2\n"
                  "WM 11:00:00\n"
                  "I|11:00:00|12:00:00|a|1|6|6\n",
                  "on_update state (emitted groups) survives a restore");
}

static void test_hop(void)
{
    PlanNode *h = assign_plan(P_FEED, GW_HOP, HOUR_US, 30 * MIN_US, 0);
    static const AggSpec aggs[] = {{"count", -1}, {"min", 1}, {"avg", 1}};
    PlanNode *agg = agg_plan(h, 3, G_TUMBLE, 3, aggs, 0);
    StreamOpInfo info = window_info(agg, false);
    Script *s = arena_new(A, Script);
    s_batch(s, "a 1 10:00; a 2 10:20; b 3 10:59:59; a 4 11:00");
    s_wm(s, "11:00");
    s_batch(s, "b 5 12:30; a 6 12:31");
    char *got = run_stream(agg, s, &info, true);
    LMT_CHECK_STR(got,
                  "I|09:30:00|10:30:00|a|2|1|1.5000000000000000\n"
                  "I|10:00:00|11:00:00|a|2|1|1.5000000000000000\n"
                  "I|10:00:00|11:00:00|b|1|3|3.0000000000000000\n"
                  "WM 11:00:00\n"
                  "I|10:30:00|11:30:00|b|1|3|3.0000000000000000\n"
                  "I|10:30:00|11:30:00|a|1|4|4.0000000000000000\n"
                  "I|11:00:00|12:00:00|a|1|4|4.0000000000000000\n"
                  "I|12:00:00|13:00:00|b|1|5|5.0000000000000000\n"
                  "I|12:00:00|13:00:00|a|1|6|6.0000000000000000\n"
                  "I|12:30:00|13:30:00|b|1|5|5.0000000000000000\n"
                  "I|12:30:00|13:30:00|a|1|6|6.0000000000000000\n",
                  "HOP: each row counted in size/slide windows; END closes the rest");
    char *stream_rows = run_stream(agg, s, &info, false);
    LMT_CHECK_STR(sorted_lines(stream_rows), sorted_lines(run_batch(agg, s)),
                  "HOP stream result equals the bounded aggregate (oracle)");
}

static void test_session(void)
{
    static const int groups[] = {0};
    static const AggSpec aggs2[] = {{"count", -1}, {"sum", 1}, {"max", 1}};
    PlanNode *agg = agg_plan(P_FEED, 1, groups, 3, aggs2, 30 * MIN_US);
    StreamOpInfo info = window_info(agg, false);
    Script *s = arena_new(A, Script);
    /* a: 10:00 and 10:50 are separate sessions until 10:25 bridges them (out of order) */
    s_batch(s, "a 1 10:00; a 2 10:50; b 3 10:10; b - -");
    s_wm(s, "10:20");
    s_batch(s, "a 4 10:25; b 5 11:00");
    s_wm(s, "11:20");
    s_batch(s, "a 6 10:40; b 7 11:05; a 8 12:00");
    s_wm(s, "12:00");
    char *got = run_stream(agg, s, &info, true);
    LMT_CHECK_STR(got,
                  "WM 10:20:00\n"
                  "I|b|10:10:00|10:40:00|1|3|3\n"
                  "I|a|10:00:00|11:20:00|3|7|4\n"
                  "WM 11:20:00\n"
                  "I|b|11:00:00|11:35:00|2|12|7\n"
                  "WM 12:00:00\n"
                  "I|a|12:00:00|12:30:00|1|8|8\n",
                  "SESSION merges overlapping sessions, closes at the watermark, drops late rows");

    Script *s_nolate = arena_new(A, Script);
    s_batch(s_nolate, "a 1 10:00; a 2 10:50; b 3 10:10; b - -");
    s_batch(s_nolate, "a 4 10:25; b 5 11:00");
    s_batch(s_nolate, "b 7 11:05; a 8 12:00");
    LMT_CHECK_STR(sorted_lines(run_stream(agg, s_nolate, &info, false)),
                  sorted_lines(run_batch(agg, s_nolate)),
                  "SESSION stream result equals the bounded session aggregate (oracle)");
    LMT_CHECK_STR(run_batch(agg, s_nolate),
                  "I|a|10:00:00|11:20:00|3|7|4\n"
                  "I|a|12:00:00|12:30:00|1|8|8\n"
                  "I|b|10:10:00|10:40:00|1|3|3\n"
                  "I|b|11:00:00|11:35:00|2|12|7\n",
                  "bounded SESSION: sessions in key and start order");

    Script *s1 = arena_new(A, Script), *s2 = arena_new(A, Script);
    s_batch(s1, "a 1 10:00; a 2 10:50; b 3 10:10; b - -");
    s_barrier(s1, 1);
    s_wm(s2, "10:20");
    s_batch(s2, "a 4 10:25; b 5 11:00");
    s_wm(s2, "11:20");
    s_batch(s2, "a 6 10:40; b 7 11:05; a 8 12:00");
    s_wm(s2, "12:00");
    LMT_CHECK_STR(run_with_restore(agg, s1, s2, &info),
                  "BARRIER 1\n"
                  "WM 10:20:00\n"
                  "I|b|10:10:00|10:40:00|1|3|3\n"
                  "I|a|10:00:00|11:20:00|3|7|4\n"
                  "WM 11:20:00\n"
                  "I|b|11:00:00|11:35:00|2|12|7\n"
                  "WM 12:00:00\n"
                  "I|a|12:00:00|12:30:00|1|8|8\n",
                  "SESSION restored from a snapshot continues exactly");

    /* a row reaching back into an emitted session is late, even when ts + gap is ahead of
     * the watermark: emitted sessions never change */
    Script *sb = arena_new(A, Script);
    s_batch(sb, "a 1 10:00; b 2 10:20");
    s_wm(sb, "10:31");
    s_batch(sb, "a 3 10:29; b 4 10:29; a 5 10:40");
    int64 late0 = late_count();
    LMT_CHECK_STR(run_stream(agg, sb, &info, false),
                  "I|a|10:00:00|10:30:00|1|1|1\n"
                  "I|b|10:20:00|10:59:00|2|6|4\n"
                  "I|a|10:40:00|11:10:00|1|5|5\n",
                  "SESSION: a row reaching into an emitted session is late");
    LMT_CHECK_INT(late_count() - late0, 1, "that row was counted as late");

    /* no GROUP BY keys: one session stream */
    PlanNode *g0 = agg_plan(P_FEED, 0, NULL, 1, aggs2, 30 * MIN_US);
    StreamOpInfo i0 = window_info(g0, false);
    LMT_CHECK_STR(sorted_lines(run_stream(g0, s_nolate, &i0, false)),
                  sorted_lines(run_batch(g0, s_nolate)),
                  "SESSION without keys equals the bounded result");
}

static void test_changelog_agg(void)
{
    static const int groups[] = {0};
    PlanNode *agg = agg_plan(P_FEED, 1, groups, 3, A_COUNT_SUM_MAX, 0);
    StreamOpInfo info = {.kind = STREAM_OP_CHANGELOG_AGGREGATE, .emits_changelog = true};
    Script *s = arena_new(A, Script);
    s_batch(s, "a 1 10:00; b 2 10:00; a 3 10:00");
    s_wm(s, "10:00");
    s_batch(s, "b - 10:00; c 5 10:00");
    s_batch(s, "a 3 10:00");
    char *got = run_stream(agg, s, &info, true);
    LMT_CHECK_STR(got,
                  "I|a|2|4|3\n"
                  "I|b|1|2|2\n"
                  "WM 10:00:00\n"
                  "-U|b|1|2|2\n"
                  "+U|b|2|2|2\n"
                  "I|c|1|5|5\n"
                  "-U|a|2|4|3\n"
                  "+U|a|3|7|3\n",
                  "append-only input: INSERT per new group, UPDATE pairs per change");

    /* retractions */
    StreamOpInfo rinfo = info;
    rinfo.input_changelog[0] = true;
    static const AggSpec ra[] = {{"count", -1}, {"sum", 1}, {"max", 1}, {"avg", 1}, {"min", 2}};
    PlanNode *ragg = agg_plan(P_FEED, 1, groups, 5, ra, 0);
    Script *r = arena_new(A, Script);
    s_batch(r, "+ a 1 10:00; + a 5 10:05; + b 2 10:00");
    s_batch(r, "- a 5 10:05; < b 2 10:00; > b 7 09:00");
    s_batch(r, "- a 1 10:00; - x 1 10:00");
    s_batch(r, "+ a 2 10:00; - b 7 09:00");
    got = run_stream(ragg, r, &rinfo, true);
    LMT_CHECK_STR(got,
                  "I|a|2|6|5|3.0000000000000000|10:00:00\n"
                  "I|b|1|2|2|2.0000000000000000|10:00:00\n"
                  "-U|a|2|6|5|3.0000000000000000|10:00:00\n"
                  "+U|a|1|1|1|1.0000000000000000|10:00:00\n"
                  "-U|b|1|2|2|2.0000000000000000|10:00:00\n"
                  "+U|b|1|7|7|7.0000000000000000|09:00:00\n"
                  "D|a|1|1|1|1.0000000000000000|10:00:00\n"
                  "I|a|1|2|2|2.0000000000000000|10:00:00\n"
                  "D|b|1|7|7|7.0000000000000000|09:00:00\n",
                  "retracting input: updates, DELETE at count zero, min/max after removals");

    /* without GROUP BY: one row, also for no input, never deleted */
    PlanNode *g0 = agg_plan(P_FEED, 0, NULL, 3, A_COUNT_SUM_MAX, 0);
    LMT_CHECK_STR(run_stream(g0, arena_new(A, Script), &info, false), "I|0|null|null\n",
                  "global aggregate over no rows: one row (count 0) at END");
    Script *g = arena_new(A, Script);
    s_batch(g, "+ a 1 10:00; + b 4 10:00");
    s_batch(g, "- a 1 10:00; - b 4 10:00");
    LMT_CHECK_STR(run_stream(g0, g, &rinfo, false),
                  "I|2|5|4\n"
                  "-U|2|5|4\n"
                  "+U|0|null|null\n",
                  "global aggregate retracted to nothing updates to count 0");

    Script *r1 = arena_new(A, Script), *r2 = arena_new(A, Script);
    s_batch(r1, "+ a 1 10:00; + a 5 10:05; + b 2 10:00");
    s_barrier(r1, 1);
    s_batch(r2, "- a 5 10:05; < b 2 10:00; > b 7 09:00");
    s_batch(r2, "- a 1 10:00; - x 1 10:00");
    s_batch(r2, "+ a 2 10:00; - b 7 09:00");
    char *restored = run_with_restore(ragg, r1, r2, &rinfo);
    LMT_CHECK(strstr(restored, "BARRIER 1\n") != NULL, "barrier passed through");
    StrBuf want;
    strbuf_init(&want, A);
    const char *bar = strstr(got, "-U|a");
    strbuf_append(&want, got, (size_t)(bar - got));
    strbuf_append_str(&want, "BARRIER 1\n");
    strbuf_append_str(&want, bar);
    LMT_CHECK_STR(restored, want.data, "retracting aggregate restored from a snapshot continues");
}


/* ---------------------------------------------------------------- joins */

static Expr *fcall(const char *name, Expr *a, Expr *b)
{
    const LmType *t[2] = {a->type, b->type};
    const LmType *cast[2] = {NULL, NULL};
    const LmType *ret = NULL;
    const FuncDesc *f = func_resolve(A, name, 2, t, cast, &ret);
    if (f == NULL || cast[0] || cast[1])
        abort();
    Expr *e = expr_make(A, EXPR_FUNC, ret, -1);
    e->func = f;
    e->nargs = 2;
    e->args = arena_new_array(A, Expr *, 2);
    e->args[0] = a;
    e->args[1] = b;
    return e;
}

static Expr *interval_const(int64 us)
{
    Expr *e = expr_make(A, EXPR_CONST, type_interval(), -1);
    e->value = arena_new(A, Vector);
    vector_init(e->value, A, type_interval(), 1);
    Interval *iv = e->value->data;
    iv->micros = us;
    return e;
}

static PlanNode *join_plan(PlanNode *l, PlanNode *r, JoinType jt, int nkeys, const int *lk,
                           const int *rk, Expr *residual)
{
    PlanNode *j = plan_make(A, PLAN_JOIN);
    j->left = l;
    j->right = r;
    j->join_type = jt;
    j->nkeys = nkeys;
    j->left_keys = arena_new_array(A, Expr *, nkeys + 1);
    j->right_keys = arena_new_array(A, Expr *, nkeys + 1);
    for (int i = 0; i < nkeys; i++) {
        j->left_keys[i] = col(lk[i], l->cols[lk[i]].type);
        j->right_keys[i] = col(rk[i], r->cols[rk[i]].type);
    }
    j->residual = residual;
    j->predicate = residual; /* only the hash join's residual matters here */
    j->ncols = l->ncols + r->ncols;
    j->cols = arena_new_array(A, PlanColumn, j->ncols);
    memcpy(j->cols, l->cols, sizeof(PlanColumn) * (size_t)l->ncols);
    memcpy(j->cols + l->ncols, r->cols, sizeof(PlanColumn) * (size_t)r->ncols);
    return j;
}

static Operator *side_op(const PlanNode *p, const Script *s)
{
    Operator *in = feed_op(s);
    if (p->kind == PLAN_WINDOW_ASSIGN)
        in = exec_build_node(&CTX, p, &in, 1);
    return in;
}

static char *run_join(const PlanNode *j, const Script *ls, const Script *rs,
                      const StreamOpInfo *info, bool show_events, int op_id, bool stop_at_barrier,
                      Operator **keep)
{
    Operator *kids[2] = {side_op(j->left, ls), side_op(j->right, rs)};
    Operator *op = stream_op_build(&CTX, j, kids, 2, info);
    op->operator_id = op_id;
    exec_open(op);
    StateReader *r = stop_at_barrier ? NULL : stream_state_reader(op);
    if (r && keep == NULL)
        op->ops->restore(op, r);
    Out o;
    strbuf_init(&o.s, A);
    drain(op, &o, show_events, stop_at_barrier);
    if (stop_at_barrier)
        snapshot(op, 1);
    exec_close(op);
    return o.s.data;
}

static char *run_join_batch(const PlanNode *j, const Script *ls, const Script *rs)
{
    Operator *kids[2] = {side_op(j->left, batches_only(ls)), side_op(j->right, batches_only(rs))};
    Operator *op = exec_build_node(&CTX, j, kids, 2);
    exec_open(op);
    Out o;
    strbuf_init(&o.s, A);
    drain(op, &o, false, false);
    exec_close(op);
    return o.s.data;
}

static void test_window_join(void)
{
    PlanNode *l = assign_plan(P_FEED, GW_TUMBLE, HOUR_US, 0, 0);
    PlanNode *r = assign_plan(P_FEED, GW_TUMBLE, HOUR_US, 0, 0);
    static const int lk[] = {0, 3, 4}, rk[] = {0, 3, 4};
    StreamOpInfo info = {.kind = STREAM_OP_WINDOW_JOIN, .window_start_key = 1,
                         .window_end_key = 2};
    Script *ls = arena_new(A, Script), *rs = arena_new(A, Script);
    s_batch(ls, "a 1 10:00; b 2 10:30; a 3 11:10");
    s_wm(ls, "11:00");
    s_wm(ls, "12:00");
    s_batch(rs, "a 10 10:59; a 11 10:01; c 12 10:02; a 13 11:30");
    s_wm(rs, "11:30");
    s_wm(rs, "12:30");
    PlanNode *j = join_plan(l, r, JOIN_INNER, 3, lk, rk, NULL);
    char *got = run_join(j, ls, rs, &info, false, next_op_id++, false, NULL);
    LMT_CHECK_STR(sorted_lines(got),
                  sorted_lines("I|a|1|10:00:00|10:00:00|11:00:00|a|10|10:59:00|10:00:00|11:00:00\n"
                               "I|a|1|10:00:00|10:00:00|11:00:00|a|11|10:01:00|10:00:00|11:00:00\n"
                               "I|a|3|11:10:00|11:00:00|12:00:00|a|13|11:30:00|11:00:00|12:00:00\n"),
                  "window join: rows of the same window and key, emitted at window close");
    LMT_CHECK_STR(sorted_lines(got), sorted_lines(run_join_batch(j, ls, rs)),
                  "window join equals the bounded hash join (oracle)");

    PlanNode *fj = join_plan(l, r, JOIN_FULL, 3, lk, rk, NULL);
    got = run_join(fj, ls, rs, &info, false, next_op_id++, false, NULL);
    LMT_CHECK_STR(sorted_lines(got), sorted_lines(run_join_batch(fj, ls, rs)),
                  "FULL window join equals the bounded hash join (oracle)");

    /* snapshot after the barrier on both sides, continue on a fresh operator */
    Script *l1 = arena_new(A, Script), *r1 = arena_new(A, Script);
    Script *l2 = arena_new(A, Script), *r2 = arena_new(A, Script);
    s_batch(l1, "a 1 10:00; b 2 10:30");
    s_barrier(l1, 1);
    s_batch(r1, "a 10 10:59");
    s_barrier(r1, 1);
    s_batch(l2, "a 3 11:10");
    s_wm(l2, "11:00");
    s_wm(l2, "12:00");
    s_batch(r2, "a 11 10:01; c 12 10:02; a 13 11:30");
    s_wm(r2, "11:30");
    s_wm(r2, "12:30");
    int id = next_op_id++;
    StrBuf all;
    strbuf_init(&all, A);
    strbuf_append_str(&all, run_join(fj, l1, r1, &info, false, id, true, NULL));
    strbuf_append_str(&all, run_join(fj, l2, r2, &info, false, id, false, NULL));
    LMT_CHECK_STR(sorted_lines(all.data), sorted_lines(run_join_batch(fj, ls, rs)),
                  "window join restored from a snapshot gives the same result");
}

static void test_interval_join(void)
{
    /* l.ts BETWEEN r.ts - 10 min AND r.ts + 5 min:  l.ts - r.ts in [-10 min, 5 min] */
    Expr *lts = col(2, type_timestamp()), *rts = col(5, type_timestamp());
    Expr *c1 = fcall(">=", lts, fcall("-", rts, interval_const(10 * MIN_US)));
    Expr *c2 = fcall("<=", lts, fcall("+", rts, interval_const(5 * MIN_US)));
    Expr *both = expr_make(A, EXPR_AND, type_bool(), -1);
    both->nargs = 2;
    both->args = arena_new_array(A, Expr *, 2);
    both->args[0] = c1;
    both->args[1] = c2;
    static const int lk[] = {0}, rk[] = {0};
    StreamOpInfo info = {.kind = STREAM_OP_INTERVAL_JOIN, .left_time_col = 2,
                         .right_time_col = 2, .lower_us = -10 * MIN_US, .upper_us = 5 * MIN_US};
    Script *ls = arena_new(A, Script), *rs = arena_new(A, Script);
    s_batch(ls, "a 1 10:00; a 2 10:20; b 3 10:00; c 9 10:00; d 8 -");
    s_wm(ls, "10:30");
    s_batch(ls, "a 4 10:40");
    s_wm(ls, "11:00");
    s_batch(rs, "a 10 10:05; a 11 09:56; b 12 10:11; a 13 10:16");
    s_wm(rs, "10:30");
    s_batch(rs, "a 14 10:45; a 15 10:29");
    s_wm(rs, "11:00");
    PlanNode *j = join_plan(P_FEED, P_FEED, JOIN_INNER, 1, lk, rk, both);
    char *got = run_join(j, ls, rs, &info, false, next_op_id++, false, NULL);
    LMT_CHECK_STR(sorted_lines(got),
                  sorted_lines("I|a|1|10:00:00|a|10|10:05:00\n"
                               "I|a|1|10:00:00|a|11|09:56:00\n"
                               "I|a|2|10:20:00|a|13|10:16:00\n"
                               "I|a|4|10:40:00|a|14|10:45:00\n"),
                  "interval join: matches within the bounds; the late right row is dropped");
    Script *rs_nolate = arena_new(A, Script);
    s_batch(rs_nolate, "a 10 10:05; a 11 09:56; b 12 10:11; a 13 10:16");
    s_batch(rs_nolate, "a 14 10:45");
    LMT_CHECK_STR(sorted_lines(got), sorted_lines(run_join_batch(j, ls, rs_nolate)),
                  "interval join equals the bounded join with the same condition (oracle)");

    PlanNode *lj = join_plan(P_FEED, P_FEED, JOIN_LEFT, 1, lk, rk, both);
    got = run_join(lj, ls, rs, &info, false, next_op_id++, false, NULL);
    LMT_CHECK_STR(sorted_lines(got), sorted_lines(run_join_batch(lj, ls, rs_nolate)),
                  "LEFT interval join: unmatched rows emitted when they expire (oracle)");

    Script *l1 = arena_new(A, Script), *r1 = arena_new(A, Script);
    Script *l2 = arena_new(A, Script), *r2 = arena_new(A, Script);
    s_batch(l1, "a 1 10:00; a 2 10:20; b 3 10:00; c 9 10:00; d 8 -");
    s_barrier(l1, 1);
    s_batch(r1, "a 10 10:05; a 11 09:56");
    s_barrier(r1, 1);
    s_wm(l2, "10:30");
    s_batch(l2, "a 4 10:40");
    s_wm(l2, "11:00");
    s_batch(r2, "b 12 10:11; a 13 10:16");
    s_wm(r2, "10:30");
    s_batch(r2, "a 14 10:45; a 15 10:29");
    s_wm(r2, "11:00");
    int id = next_op_id++;
    StrBuf all;
    strbuf_init(&all, A);
    strbuf_append_str(&all, run_join(lj, l1, r1, &info, false, id, true, NULL));
    strbuf_append_str(&all, run_join(lj, l2, r2, &info, false, id, false, NULL));
    LMT_CHECK_STR(sorted_lines(all.data), sorted_lines(run_join_batch(lj, ls, rs_nolate)),
                  "LEFT interval join restored from a snapshot gives the same result");
}


static char *apply_changelog(const char *log);

static Expr *i32_const(int32 v)
{
    Expr *e = expr_make(A, EXPR_CONST, type_int32(), -1);
    e->value = arena_new(A, Vector);
    vector_init(e->value, A, type_int32(), 1);
    ((int32 *)e->value->data)[0] = v;
    return e;
}

/* Runs one leg of a regular join: restores from the state if there is one, drains until END
 * (or the next barrier, then snapshots at checkpoint id). */
static char *run_rj_leg(const PlanNode *j, const Script *ls, const Script *rs,
                        const StreamOpInfo *info, int op_id, int64 snap_id)
{
    Operator *kids[2] = {side_op(j->left, ls), side_op(j->right, rs)};
    Operator *op = stream_op_build(&CTX, j, kids, 2, info);
    op->operator_id = op_id;
    exec_open(op);
    StateReader *r = stream_state_reader(op);
    if (r)
        op->ops->restore(op, r);
    Out o;
    strbuf_init(&o.s, A);
    drain(op, &o, false, snap_id > 0);
    if (snap_id > 0)
        snapshot(op, snap_id);
    exec_close(op);
    return o.s.data;
}

static void test_regular_join(void)
{
    static const int lk[] = {0}, rk[] = {0};
    StreamOpInfo info = {.kind = STREAM_OP_REGULAR_JOIN};
    Script *ls = arena_new(A, Script), *rs = arena_new(A, Script);
    s_batch(ls, "a 1 10:00; b 2 10:30; c 3 11:00; e 4 11:00");
    s_batch(ls, "a 5 12:00");
    s_batch(rs, "a 10 09:00; d 11 10:00");
    s_batch(rs, "a 12 13:00; b 13 14:00; c 14 15:00");
    PlanNode *j = join_plan(P_FEED, P_FEED, JOIN_INNER, 1, lk, rk, NULL);
    char *got = run_join(j, ls, rs, &info, false, next_op_id++, false, NULL);
    LMT_CHECK_STR(sorted_lines(got), sorted_lines(run_join_batch(j, ls, rs)),
                  "regular join: every pair of the two streams (oracle: bounded hash join)");
    LMT_CHECK(strstr(got, "-U|") == NULL && strstr(got, "D|") == NULL,
              "regular INNER join of append-only inputs emits inserts only");

    /* residual over both sides */
    Expr *cond = fcall("<", col(1, type_int32()), fcall("-", col(4, type_int32()), i32_const(10)));
    PlanNode *jr = join_plan(P_FEED, P_FEED, JOIN_INNER, 1, lk, rk, cond);
    got = run_join(jr, ls, rs, &info, false, next_op_id++, false, NULL);
    LMT_CHECK_STR(sorted_lines(got), sorted_lines(run_join_batch(jr, ls, rs)),
                  "regular join with a residual condition (oracle)");

    /* outer joins: NULL-padded rows retracted when a match arrives; the final rows equal the
     * bounded join's */
    StreamOpInfo cinfo = {.kind = STREAM_OP_REGULAR_JOIN, .emits_changelog = true};
    PlanNode *fj = join_plan(P_FEED, P_FEED, JOIN_FULL, 1, lk, rk, NULL);
    got = run_join(fj, ls, rs, &cinfo, false, next_op_id++, false, NULL);
    LMT_CHECK_STR(apply_changelog(got), sorted_lines(run_join_batch(fj, ls, rs)),
                  "FULL regular join: the changelog applied equals the bounded join (oracle)");
    LMT_CHECK(strstr(got, "D|") != NULL, "FULL regular join retracts NULL-padded rows");

    /* a changelog input: retractions remove rows and their pairs */
    Script *lc = arena_new(A, Script);
    s_batch(lc, "a 1 10:00; b 2 10:30; c 3 11:00");
    s_batch(lc, "- a 1 10:00; < b 2 10:30; > b 20 10:30; + a 5 12:00");
    Script *lfinal = arena_new(A, Script);
    s_batch(lfinal, "c 3 11:00; b 20 10:30; a 5 12:00");
    StreamOpInfo linfo = {.kind = STREAM_OP_REGULAR_JOIN, .emits_changelog = true,
                          .input_changelog = {true, false}};
    got = run_join(j, lc, rs, &linfo, false, next_op_id++, false, NULL);
    LMT_CHECK_STR(apply_changelog(got), sorted_lines(run_join_batch(j, lfinal, rs)),
                  "regular join over a changelog input: pairs of retracted rows retracted");
    PlanNode *lj = join_plan(P_FEED, P_FEED, JOIN_LEFT, 1, lk, rk, NULL);
    got = run_join(lj, lc, rs, &linfo, false, next_op_id++, false, NULL);
    LMT_CHECK_STR(apply_changelog(got), sorted_lines(run_join_batch(lj, lfinal, rs)),
                  "LEFT regular join over a changelog input (oracle on the final rows)");

    /* two checkpoints (the second one incremental: added and retracted rows only), then a
     * restore: the continued run completes the same result */
    Script *l1 = arena_new(A, Script), *r1 = arena_new(A, Script);
    Script *l2 = arena_new(A, Script), *r2 = arena_new(A, Script);
    Script *l3 = arena_new(A, Script), *r3 = arena_new(A, Script);
    s_batch(l1, "a 1 10:00; b 2 10:30");
    s_barrier(l1, 1);
    s_batch(r1, "a 10 09:00");
    s_barrier(r1, 1);
    s_batch(l2, "c 3 11:00; - a 1 10:00");
    s_barrier(l2, 2);
    s_batch(r2, "d 11 10:00; b 13 14:00");
    s_barrier(r2, 2);
    s_batch(l3, "a 5 12:00");
    s_batch(r3, "a 12 13:00; c 14 15:00");
    Script *lall = arena_new(A, Script), *rall = arena_new(A, Script);
    s_batch(lall, "b 2 10:30; c 3 11:00; a 5 12:00");
    s_batch(rall, "a 10 09:00; d 11 10:00; b 13 14:00; a 12 13:00; c 14 15:00");
    int id = next_op_id++;
    StrBuf all;
    strbuf_init(&all, A);
    strbuf_append_str(&all, run_rj_leg(fj, l1, r1, &linfo, id, 1));
    strbuf_append_str(&all, run_rj_leg(fj, l2, r2, &linfo, id, 2));
    strbuf_append_str(&all, run_rj_leg(fj, l3, r3, &linfo, id, 0));
    LMT_CHECK_STR(apply_changelog(all.data), sorted_lines(run_join_batch(fj, lall, rall)),
                  "regular join restored after an incremental snapshot gives the same result");
}

/* ---------------------------------------------------------------- top-N */

static Expr *int64_const(int64 v)
{
    Expr *e = expr_make(A, EXPR_CONST, type_int64(), -1);
    e->value = arena_new(A, Vector);
    vector_init(e->value, A, type_int64(), 1);
    ((int64 *)e->value->data)[0] = v;
    return e;
}

/* Applies a changelog ("I|..", "D|..", "-U|..", "+U|..") to a multiset; the final rows as
 * "I|.." lines, sorted. */
static char *apply_changelog(const char *log)
{
    char *copy = arena_strdup(A, log), *save = NULL;
    char *rows[4096];
    int n = 0;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        bool add = l[0] == 'I' || l[0] == '+';
        const char *body = strchr(l, '|');
        if (add) {
            rows[n++] = (char *)body;
            continue;
        }
        for (int i = 0; i < n; i++)
            if (strcmp(rows[i], body) == 0) {
                rows[i] = rows[--n];
                break;
            }
    }
    StrBuf s;
    strbuf_init(&s, A);
    for (int i = 0; i < n; i++)
        strbuf_printf(&s, "I%s\n", rows[i]);
    return sorted_lines(s.data);
}

static void test_topn(void)
{
    PlanNode *w = plan_make(A, PLAN_WINDOW);
    w->left = P_FEED;
    w->nwindows = 1;
    w->windows = arena_new_array(A, WindowCall, 1);
    WindowCall *wc = &w->windows[0];
    wc->kind = WIN_ROW_NUMBER;
    wc->npartition = 1;
    wc->partition = arena_new_array(A, Expr *, 1);
    wc->partition[0] = col(0, type_string());
    wc->norder = 1;
    wc->order = arena_new_array(A, SortKey, 1);
    wc->order[0].expr = col(1, type_int32());
    wc->order[0].descending = true;
    wc->order[0].nulls_first = true;
    wc->type = type_int64();
    wc->name = "row_number";
    w->ncols = 4;
    w->cols = arena_new_array(A, PlanColumn, 4);
    memcpy(w->cols, P_FEED->cols, sizeof(PlanColumn) * 3);
    w->cols[3] = (PlanColumn){.name = "rn", .type = type_int64()};
    PlanNode *f = plan_make(A, PLAN_FILTER);
    f->left = w;
    f->predicate = fcall("<=", col(3, type_int64()), int64_const(2));
    f->ncols = 4;
    f->cols = w->cols;
    StreamOpInfo info = {.kind = STREAM_OP_TOPN, .topn_filter = f, .topn_window = w,
                         .topn_limit = 2, .rownum_col = 3, .emits_changelog = true};
    Script *s = arena_new(A, Script);
    s_batch(s, "a 5 10:00; a 3 10:01; b 1 10:02");
    s_batch(s, "a 4 10:03; a 1 10:04; a 9 10:05; b 1 10:06");
    s_wm(s, "10:10");
    s_batch(s, "b 7 10:07; b 8 10:08; a - 10:09");
    char *got = run_stream(f, s, &info, false);
    LMT_CHECK_STR(got,
                  "I|a|5|10:00:00|1\n"
                  "I|a|3|10:01:00|2\n"
                  "I|b|1|10:02:00|1\n"
                  "-U|a|5|10:00:00|1\n"
                  "+U|a|9|10:05:00|1\n"
                  "-U|a|3|10:01:00|2\n"
                  "+U|a|5|10:00:00|2\n"
                  "I|b|1|10:06:00|2\n"
                  "-U|b|1|10:02:00|1\n"
                  "+U|b|8|10:08:00|1\n"
                  "-U|b|1|10:06:00|2\n"
                  "+U|b|7|10:07:00|2\n"
                  "-U|a|9|10:05:00|1\n"
                  "+U|a|null|10:09:00|1\n"
                  "-U|a|5|10:00:00|2\n"
                  "+U|a|9|10:05:00|2\n",
                  "top-2 per key with rn: changelog per rank position (NULLs first in DESC)");
    (void)got;
    Operator *in = feed_op(batches_only(s));
    Operator *wop = exec_build_node(&CTX, w, &in, 1);
    Operator *fop = exec_build_node(&CTX, f, &wop, 1);
    exec_open(fop);
    Out o;
    strbuf_init(&o.s, A);
    drain(fop, &o, false, false);
    exec_close(fop);
    LMT_CHECK_STR(apply_changelog(got), sorted_lines(o.s.data),
                  "the top-N changelog applied gives the bounded query's rows (oracle)");

    /* without rn in the output: dedup keeping the last row per key (ORDER BY ts DESC) */
    wc->order[0].expr = col(2, type_timestamp());
    PlanNode *pr = plan_make(A, PLAN_PROJECT);
    pr->left = w;
    pr->nexprs = 2;
    pr->exprs = arena_new_array(A, Expr *, 2);
    pr->exprs[0] = col(0, type_string());
    pr->exprs[1] = col(1, type_int32());
    pr->ncols = 2;
    pr->cols = arena_new_array(A, PlanColumn, 2);
    pr->cols[0] = P_FEED->cols[0];
    pr->cols[1] = P_FEED->cols[1];
    PlanNode *f2 = plan_make(A, PLAN_FILTER);
    f2->left = pr;
    f2->ncols = 2;
    f2->cols = pr->cols;
    StreamOpInfo dinfo = {.kind = STREAM_OP_TOPN, .topn_filter = f2, .topn_window = w,
                          .topn_project = pr, .topn_limit = 1, .rownum_col = 3,
                          .emits_changelog = true};
    got = run_stream(f2, s, &dinfo, false);
    LMT_CHECK_STR(got,
                  "I|a|3\n"
                  "I|b|1\n"
                  "D|a|3\n"
                  "I|a|9\n"
                  "D|b|1\n"
                  "I|b|1\n"
                  "D|b|1\n"
                  "I|b|8\n"
                  "D|a|9\n"
                  "I|a|null\n",
                  "dedup (last row per key): DELETE the replaced row, INSERT the new one");

    Script *s1 = arena_new(A, Script), *s2 = arena_new(A, Script);
    s_batch(s1, "a 5 10:00; a 3 10:01; b 1 10:02");
    s_barrier(s1, 1);
    s_batch(s2, "a 4 10:03; a 1 10:04; a 9 10:05; b 1 10:06");
    s_wm(s2, "10:10");
    s_batch(s2, "b 7 10:07; b 8 10:08; a - 10:09");
    wc->order[0].expr = col(1, type_int32());
    char *restored = run_with_restore(f, s1, s2, &info);
    StrBuf want;
    strbuf_init(&want, A);
    const char *cut = strstr(got = run_stream(f, s, &info, true), "-U|a|5");
    strbuf_append(&want, got, (size_t)(cut - got));
    strbuf_append_str(&want, "BARRIER 1\n");
    strbuf_append_str(&want, cut);
    LMT_CHECK_STR(restored, want.data, "top-N restored from a snapshot continues exactly");

    /* many rows: the candidate store is compacted along the way */
    Script *big = arena_new(A, Script);
    for (int b = 0; b < 12; b++) {
        StrBuf rows;
        strbuf_init(&rows, A);
        for (int i = 0; i < 1000; i++) {
            int x = b * 1000 + i;
            strbuf_printf(&rows, "%sk%d %d 10:%02d", i ? ";" : "", x % 37, (x * 7919) % 10007,
                          x % 60);
        }
        s_batch(big, rows.data);
    }
    Operator *bin = feed_op(batches_only(big));
    Operator *bw = exec_build_node(&CTX, w, &bin, 1);
    Operator *bf = exec_build_node(&CTX, f, &bw, 1);
    exec_open(bf);
    strbuf_init(&o.s, A);
    drain(bf, &o, false, false);
    exec_close(bf);
    LMT_CHECK_STR(apply_changelog(run_stream(f, big, &info, false)), sorted_lines(o.s.data),
                  "top-N over 12000 rows (with compactions) equals the bounded query");

    /* built for the PLAN_WINDOW (as the runtime does): the window's columns */
    LMT_CHECK_STR(run_stream(w, s, &info, false), run_stream(f, s, &info, false),
                  "top-N built for the window node emits the window's columns");
}


/* ---------------------------------------------------------------- lookup join */

static CatTable *make_table(Oid oid, const char *name, int n, const char *const *names,
                            const LmType *const *types, int npk, const int *pk)
{
    CatTable *t = arena_alloc0(A, sizeof(CatTable));
    t->oid = oid;
    t->name = arena_strdup(A, name);
    t->schema = "public";
    t->kind = CAT_TABLE_PLAIN;
    t->ncolumns = n;
    t->columns = arena_alloc0(A, sizeof(CatColumn) * (size_t)n);
    for (int i = 0; i < n; i++) {
        t->columns[i].name = arena_strdup(A, names[i]);
        t->columns[i].type = types[i];
    }
    t->nprimary_key = npk;
    t->primary_key = npk ? arena_memdup(A, pk, sizeof(int) * (size_t)npk) : NULL;
    for (int i = 0; i < npk; i++)
        t->columns[pk[i]].not_null = true;
    return t;
}

/* Upserts rows "a|b|c;..." (text values, '~' for NULL) and commits. */
static void table_rows(const CatTable *t, const char *rows, bool replace)
{
    const LmType **types = arena_alloc(A, sizeof(LmType *) * (size_t)t->ncolumns);
    for (int c = 0; c < t->ncolumns; c++)
        types[c] = t->columns[c].type;
    TableTxn *txn = table_txn_begin(ST);
    if (replace)
        table_truncate(txn, t);
    char *copy = arena_strdup(A, rows), *save = NULL;
    for (char *r = strtok_r(copy, ";", &save); r; r = strtok_r(NULL, ";", &save)) {
        Batch *b = batch_create(A, t->ncolumns, types, 1);
        char *save2 = NULL;
        int c = 0;
        for (char *v = strtok_r(r, "|", &save2); v && c < t->ncolumns;
             v = strtok_r(NULL, "|", &save2), c++) {
            if (strcmp(v, "~") == 0)
                vector_set_null(&b->cols[c], 0);
            else
                value_parse_text(&b->cols[c], A, 0, v, strlen(v));
        }
        b->count = 1;
        table_insert(txn, t, b, CONFLICT_ERROR, NULL, NULL);
    }
    table_txn_commit(txn);
}

static PlanNode *scan_plan(const CatTable *t)
{
    PlanNode *p = plan_make(A, PLAN_SCAN);
    p->rel = relation_from_table(A, t);
    p->nscan_cols = t->ncolumns;
    p->scan_cols = arena_new_array(A, int, t->ncolumns);
    p->ncols = t->ncolumns;
    p->cols = arena_new_array(A, PlanColumn, t->ncolumns);
    for (int i = 0; i < t->ncolumns; i++) {
        p->scan_cols[i] = i;
        p->cols[i] = (PlanColumn){.name = t->columns[i].name, .type = t->columns[i].type};
    }
    return p;
}

static CatTable *T_USERS;
static void change_users(void)
{
    table_rows(T_USERS, "a|Ann|2;c|Cid|0", true);
}

static char *run_lookup_batch(const PlanNode *j, const Script *s)
{
    TableTxn *txn = table_txn_begin(ST);
    CTX.txn = txn;
    Operator *kids[2] = {feed_op(batches_only(s)), exec_build(&CTX, j->right)};
    Operator *op = exec_build_node(&CTX, j, kids, 2);
    exec_open(op);
    Out o;
    strbuf_init(&o.s, A);
    drain(op, &o, false, false);
    exec_close(op);
    CTX.txn = NULL;
    table_txn_abort(txn);
    return o.s.data;
}

static void test_lookup_join(void)
{
    static const char *const un[] = {"id", "name", "tier"};
    const LmType *ut[] = {type_string(), type_string(), type_int32()};
    static const int pk0[] = {0};
    T_USERS = make_table(30001, "users", 3, un, ut, 1, pk0);
    table_rows(T_USERS, "a|Ann|1;b|Bob|~", false);
    static const int lk[] = {0}, rk[] = {0};
    PlanNode *j = join_plan(P_FEED, scan_plan(T_USERS), JOIN_INNER, 1, lk, rk, NULL);
    StreamOpInfo info = {.kind = STREAM_OP_LOOKUP_JOIN, .stream_side = 0,
                         .lookup_plan = j->right};
    Script *s = arena_new(A, Script);
    s_batch(s, "a 1 10:00; b 2 10:01; c 3 10:02; a 4 10:03");
    s_wm(s, "10:00");
    Operator *in = feed_op(s);
    Operator *op = stream_op_build(&CTX, j, &in, 1, &info);
    exec_open(op);
    Out o;
    strbuf_init(&o.s, A);
    drain(op, &o, true, false);
    exec_close(op);
    LMT_CHECK_STR(o.s.data,
                  "I|a|1|10:00:00|a|Ann|1\n"
                  "I|b|2|10:01:00|b|Bob|null\n"
                  "I|a|4|10:03:00|a|Ann|1\n"
                  "WM 10:00:00\n",
                  "lookup join by primary key: INNER drops rows without a match");

    /* LEFT, a table-side filter, and a table change between batches */
    PlanNode *f = plan_make(A, PLAN_FILTER);
    f->left = scan_plan(T_USERS);
    Expr *one = expr_make(A, EXPR_CONST, type_int32(), -1);
    one->value = arena_new(A, Vector);
    vector_init(one->value, A, type_int32(), 1);
    ((int32 *)one->value->data)[0] = 0;
    f->predicate = fcall(">", col(2, type_int32()), one);
    f->ncols = 3;
    f->cols = f->left->cols;
    PlanNode *lj = join_plan(P_FEED, f, JOIN_LEFT, 1, lk, rk, NULL);
    StreamOpInfo linfo = {.kind = STREAM_OP_LOOKUP_JOIN, .stream_side = 0, .lookup_plan = f};
    Script *s2 = arena_new(A, Script);
    s_batch(s2, "a 1 10:00; b 2 10:01; c 3 10:02");
    s2->ev[s2->n++] = (ExecEvent){.kind = EXEC_IDLE};
    s2->on_idle = change_users;
    s_batch(s2, "a 4 10:03; b 5 10:04; c 6 10:05");
    in = feed_op(s2);
    op = stream_op_build(&CTX, lj, &in, 1, &linfo);
    exec_open(op);
    strbuf_init(&o.s, A);
    drain(op, &o, false, false);
    exec_close(op);
    LMT_CHECK_STR(o.s.data,
                  "I|a|1|10:00:00|a|Ann|1\n"
                  "I|b|2|10:01:00|null|null|null\n"
                  "I|c|3|10:02:00|null|null|null\n"
                  "I|a|4|10:03:00|a|Ann|2\n"
                  "I|b|5|10:04:00|null|null|null\n"
                  "I|c|6|10:05:00|null|null|null\n",
                  "LEFT lookup join: table-side filter applied, later rows see the table's "
                  "current rows");
    table_rows(T_USERS, "a|Ann|1;b|Bob|~", true);

    /* a changelog stream keeps its operations */
    Script *s3 = arena_new(A, Script);
    s_batch(s3, "+ a 1 10:00; - a 1 10:00; + b 2 10:00");
    StreamOpInfo cinfo = info;
    cinfo.input_changelog[0] = true;
    in = feed_op(s3);
    op = stream_op_build(&CTX, j, &in, 1, &cinfo);
    exec_open(op);
    strbuf_init(&o.s, A);
    drain(op, &o, false, false);
    exec_close(op);
    LMT_CHECK_STR(o.s.data,
                  "I|a|1|10:00:00|a|Ann|1\n"
                  "D|a|1|10:00:00|a|Ann|1\n"
                  "I|b|2|10:00:00|b|Bob|null\n",
                  "lookup join over a changelog keeps each row's operation");

    /* no primary key: the table side is read and hashed per batch */
    static const char *const tn[] = {"tier", "label"};
    const LmType *tt[] = {type_int32(), type_string()};
    CatTable *tiers = make_table(30002, "tiers", 2, tn, tt, 0, NULL);
    table_rows(tiers, "1|gold;2|silver;2|argent", false);
    static const int lk2[] = {1}, rk2[] = {0};
    PlanNode *tj = join_plan(P_FEED, scan_plan(tiers), JOIN_LEFT, 1, lk2, rk2, NULL);
    StreamOpInfo tinfo = {.kind = STREAM_OP_LOOKUP_JOIN, .stream_side = 0,
                          .lookup_plan = tj->right};
    Script *s4 = arena_new(A, Script);
    s_batch(s4, "a 1 10:00; b 2 10:01; c 3 10:02; d - 10:03");
    in = feed_op(s4);
    op = stream_op_build(&CTX, tj, &in, 1, &tinfo);
    exec_open(op);
    strbuf_init(&o.s, A);
    drain(op, &o, false, false);
    exec_close(op);
    LMT_CHECK_STR(sorted_lines(o.s.data), sorted_lines(run_lookup_batch(tj, s4)),
                  "lookup join without a primary key equals the bounded join (oracle)");
    LMT_CHECK_STR(sorted_lines(run_lookup_batch(lj, s)),
                  sorted_lines("I|a|1|10:00:00|a|Ann|1\n"
                               "I|b|2|10:01:00|null|null|null\n"
                               "I|c|3|10:02:00|null|null|null\n"
                               "I|a|4|10:03:00|a|Ann|1\n"),
                  "bounded oracle of the LEFT lookup join agrees");
}

static void test_errors(void)
{
    static const int groups[] = {0};
    StreamOpInfo rinfo = {.kind = STREAM_OP_CHANGELOG_AGGREGATE, .emits_changelog = true};
    rinfo.input_changelog[0] = true;
    static const AggSpec bad2[] = {{"max", 0}};
    PlanNode *agg = agg_plan(P_FEED, 1, groups, 1, bad2, 0);
    Operator *in = feed_op(arena_new(A, Script));
    LMT_EXPECT_ERROR(stream_op_build(&CTX, agg, &in, 1, &rinfo), "0A000",
                     "max(text) over a changelog is rejected");
    static const int g1[] = {0};
    PlanNode *sess = agg_plan(P_FEED, 1, g1, 1, A_COUNT_SUM_MAX, 30 * MIN_US);
    StreamOpInfo si = window_info(sess, true);
    in = feed_op(arena_new(A, Script));
    LMT_EXPECT_ERROR(stream_op_build(&CTX, sess, &in, 1, &si), "0A000",
                     "SESSION with on_update is rejected");
}

int main(void)
{
    A = arena_create("test", NULL);
    char dir[] = "/tmp/lm_stream_ops_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    ST = storage_open(dir);
    JOB.spec.job_id = "job_test";
    JOB.spec.restore = true;
    JOB.storage = ST;
    pthread_mutex_init(&JOB.mu, NULL);
    TASK.job = &JOB;
    SCTX.job_id = "job_test";
    SCTX.parallelism = 1;
    SCTX.runtime = &TASK;
    CTX.arena = A;
    CTX.storage = ST;
    CTX.stream = &SCTX;

    P_FEED = plan_make(A, PLAN_VALUES);
    P_FEED->ncols = 3;
    P_FEED->cols = arena_new_array(A, PlanColumn, 3);
    P_FEED->cols[0] = (PlanColumn){.name = "k", .type = type_string()};
    P_FEED->cols[1] = (PlanColumn){.name = "v", .type = type_int32()};
    P_FEED->cols[2] = (PlanColumn){.name = "ts", .type = type_timestamp()};

    test_assign();
    test_tumble();
    test_tumble_on_update();
    test_hop();
    test_session();
    test_changelog_agg();
    test_window_join();
    test_interval_join();
    test_regular_join();
    test_topn();
    test_lookup_join();
    test_errors();
    /* the state readers' iterators belong to the runtime's restore path, which frees them;
     * this test cannot, so the database is left open and only the directory removed */
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return lmt_done();
}
