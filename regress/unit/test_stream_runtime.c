/*
 * test_stream_runtime.c: the streaming runtime core (executor/stream_*.c,
 * planner/stream_plan.c) with stateless plans over in-test connectors.
 *
 * The connectors here are test code: a bounded or endless "rows" source
 * with numbered partitions (ids unique per row, event times growing per
 * partition, positions = next row per partition) and a sink that stages
 * rows per epoch and writes them, keyed by (checkpoint, subtask, seq), into
 * the checkpoint batch at prepare — so what is in RocksDB is exactly what
 * completed checkpoints committed, and a row written twice shows up twice.
 *
 * Covers: stage graphs and EXPLAIN text (chains, union, hash exchange for an
 * aggregate), plan checks (changelog into an append-only sink, LIMIT,
 * ORDER BY); the receiver's barrier alignment and watermark minimum driven
 * by hand; a bounded job completing with every row exactly once and its
 * checkpoints listed; exactly-once across a simulated crash (the job killed
 * without a final checkpoint, restored, output compared) for a plain chain
 * and for a union (which also checks barrier alignment end to end);
 * backpressure (a slow sink keeps queues and the source's lead bounded);
 * two jobs at once; watermarks with an idle partition; a failing sink
 * failing the job with its message; graceful stop; WATERMARK FOR expressions
 * and processing-time watermarks; persisted job errors.
 *
 * The runtime (executor) calls the stream planner (planner), which calls the
 * parser's expression entry point, so planner is listed around the others.
 * lmtest-libs: planner/libplanner.a parser/libparser.a executor/libexecutor.a planner/libplanner.a executor/libexecutor.a connectors/libconnectors.a storage/libstorage.a common/libcommon.a
 */
#include "executor/stream_int.h"
#include "executor/func.h"
#include "executor/operator.h"
#include "storage/storage.h"

#include "lmtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static StreamGraph *test_build_graph(Arena *a, const PlanNode *plan, int parallelism, EmitMode emit)
{
    stream_plan_check_emit(a, plan, emit);
    return stream_plan_build(a, plan, parallelism, emit);
}

static Arena *A;
static Storage *ST;

/* ---- in-test source ---- */

typedef struct SrcCfg {
    const char *name;
    int nparts;
    int64 rows_per_part; /* INT64_MAX: endless */
    int64 base_id;
    int64 ts_step_us;
    int idle_part; /* this partition returns one row, then nothing (-1: none) */
    int rows_per_poll;
    int sleep_us; /* per poll */
} SrcCfg;

#define MAX_CFG 8
static SrcCfg cfgs[MAX_CFG];
static int ncfgs;
static const int64 T0 = INT64_C(1700000000000000);

static SrcCfg *cfg_for(const char *name)
{
    for (int i = 0; i < ncfgs; i++)
        if (strcmp(cfgs[i].name, name) == 0)
            return &cfgs[i];
    return NULL;
}

typedef struct TestSrc {
    SrcCfg *cfg;
    int nmine;
    int part[16];
    int64 next[16];
    int rr;
} TestSrc;

static void *src_open(ConnectorContext *cc, const char *position, size_t len)
{
    TestSrc *s = arena_new(cc->arena, TestSrc);
    s->cfg = cfg_for(cc->table->name);
    for (int p = 0; p < s->cfg->nparts; p++)
        if (p % cc->parallelism == cc->subtask)
            s->part[s->nmine++] = p;
    if (position && len > 0) {
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)len, position);
        char *save = NULL;
        int i = 0;
        for (char *tok = strtok_r(buf, ",", &save); tok && i < s->nmine;
             tok = strtok_r(NULL, ",", &save))
            s->next[i++] = atoll(tok);
    }
    return s;
}

static SourceStatus src_poll(void *st, Batch *out, int *partition)
{
    TestSrc *s = st;
    SrcCfg *c = s->cfg;
    if (c->sleep_us)
        usleep((useconds_t)c->sleep_us);
    for (int k = 0; k < s->nmine; k++) {
        int i = (s->rr + k) % s->nmine;
        int p = s->part[i];
        int64 limit = c->rows_per_part;
        if (p == c->idle_part)
            limit = 1;
        if (s->next[i] >= limit)
            continue;
        int64 n = limit - s->next[i];
        if (n > c->rows_per_poll)
            n = c->rows_per_poll;
        for (int r = 0; r < n; r++) {
            int64 row = s->next[i] + r;
            vector_set_int64(&out->cols[0], r, c->base_id + (int64)p * 100000000 + row);
            vector_set_int64(&out->cols[1], r, T0 + row * c->ts_step_us);
        }
        out->count = (int)n;
        s->next[i] += n;
        *partition = i;
        s->rr = i + 1;
        return SOURCE_DATA;
    }
    for (int i = 0; i < s->nmine; i++)
        if (s->part[i] == c->idle_part || c->rows_per_part == INT64_MAX)
            return SOURCE_IDLE;
    return SOURCE_END;
}

static int src_partitions(void *st)
{
    return ((TestSrc *)st)->nmine;
}

static void src_position(void *st, StrBuf *out)
{
    TestSrc *s = st;
    for (int i = 0; i < s->nmine; i++)
        strbuf_printf(out, "%s%lld", i ? "," : "", (long long)s->next[i]);
}

static int64 src_lag(void *st, int p)
{
    return -1;
}

static void src_close(void *st)
{
}

static const SourceOps test_source_ops = {src_open, src_poll, src_partitions, src_position, src_lag,
                                          src_close};

/* ---- in-test sink ---- */

static atomic_int sink_sleep_us;
static atomic_llong sink_fail_after = -1;
static atomic_llong sink_written;
static atomic_int sink_commits;

typedef struct TestSink {
    ConnectorContext *cc;
    int64 *staged;
    int nstaged, cap;
    int64 seq;
    int64 last_committed;
} TestSink;

static void *sink_open(ConnectorContext *cc, int64 last_committed)
{
    TestSink *s = arena_new(cc->arena, TestSink);
    s->cc = cc;
    s->last_committed = last_committed;
    return s;
}

static void sink_write(void *st, const Batch *b)
{
    TestSink *s = st;
    int live = batch_live_count(b);
    if (sink_sleep_us)
        usleep((useconds_t)sink_sleep_us);
    int64 total = atomic_fetch_add(&sink_written, live) + live;
    if (sink_fail_after >= 0 && total > sink_fail_after)
        ereport(ERROR, errcode("XX000"), errmsg("test sink broke after %lld rows", (long long)total));
    for (int i = 0; i < live; i++) {
        int r = batch_row(b, i);
        if (s->nstaged == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 1024;
            s->staged = lm_realloc(s->staged, sizeof(int64) * (size_t)s->cap);
        }
        s->staged[s->nstaged++] = ((int64 *)b->cols[0].data)[r];
    }
}

static void sink_prepare(void *st, int64 id, StorageBatch *cp)
{
    TestSink *s = st;
    char key[128];
    for (int i = 0; i < s->nstaged; i++) {
        int kl = snprintf(key, sizeof key - 24, "ts/%s/", s->cc->job_id);
        storage_key_put_i64(key + kl, id);
        storage_key_put_u32(key + kl + 8, (uint32)s->cc->subtask);
        storage_key_put_i64(key + kl + 12, s->seq++);
        storage_batch_put(cp, CF_DEFAULT, key, (size_t)kl + 20, &s->staged[i], sizeof(int64));
    }
    s->nstaged = 0;
}

static void sink_commit(void *st, int64 id)
{
    atomic_fetch_add(&sink_commits, 1);
}

static void sink_close(void *st)
{
    TestSink *s = st;
    lm_free(s->staged);
    s->staged = NULL;
}

static const SinkOps test_sink_ops = {sink_open, sink_write, sink_prepare, sink_commit, sink_close};

static const SourceOps *source_hook(const char *name)
{
    return strcmp(name, "testsrc") == 0 ? &test_source_ops : NULL;
}

static const SinkOps *sink_hook(const char *name)
{
    return strcmp(name, "testsink") == 0 ? &test_sink_ops : NULL;
}

/* Counts committed sink rows of a job: ids[i] = occurrences of id base+i (and total). */
static int64 committed_rows(const char *job_id, int64 (*id_index)(int64 id), int *counts, int n,
                            int64 *bad)
{
    char prefix[128];
    int pl = snprintf(prefix, sizeof prefix, "ts/%s/", job_id);
    int64 total = 0;
    *bad = 0;
    StorageIter *it = storage_iter_prefix(ST, CF_DEFAULT, prefix, (size_t)pl);
    for (; storage_iter_valid(it); storage_iter_next(it)) {
        size_t vl;
        const char *v = storage_iter_value(it, &vl);
        int64 id;
        memcpy(&id, v, sizeof id);
        int64 k = id_index(id);
        if (k < 0 || k >= n) {
            if (getenv("LMT_DEBUG") && *bad < 3)
                lmt_diag("unknown id %lld", (long long)id);
            (*bad)++;
        }
        else
            counts[k]++;
        total++;
    }
    storage_iter_destroy(it);
    return total;
}

/* ---- plans ---- */

static const RelColumn src_cols[2] = {{"id", NULL, true, NULL}, {"ts", NULL, true, NULL}};

static Relation *make_rel(RelKind kind, const char *name, const char *connector, bool event_time)
{
    Relation *r = arena_new(A, Relation);
    RelColumn *cols = arena_new_array(A, RelColumn, 2);
    cols[0] = src_cols[0];
    cols[1] = src_cols[1];
    cols[0].type = type_int64();
    cols[1].type = type_timestamp();
    CatTable *t = arena_new(A, CatTable);
    t->name = arena_strdup(A, name);
    t->schema = "public";
    t->connector = connector ? arena_strdup(A, connector) : NULL;
    t->kind = kind == REL_SOURCE ? CAT_TABLE_SOURCE : kind == REL_SINK ? CAT_TABLE_SINK : CAT_TABLE_PLAIN;
    if (event_time) {
        t->event_time_field = "ts";
        t->watermark_delay = "1 second";
    }
    r->kind = kind;
    r->name = t->name;
    r->schema = "public";
    r->ncols = 2;
    r->cols = cols;
    r->table = t;
    return r;
}

static PlanColumn *two_cols(void)
{
    PlanColumn *c = arena_new_array(A, PlanColumn, 2);
    c[0].name = "id";
    c[0].type = type_int64();
    c[1].name = "ts";
    c[1].type = type_timestamp();
    return c;
}

static PlanNode *scan(const Relation *rel)
{
    PlanNode *p = plan_make(A, PLAN_SCAN);
    p->rel = rel;
    p->nscan_cols = 2;
    p->scan_cols = arena_new_array(A, int, 2);
    p->scan_cols[0] = 0;
    p->scan_cols[1] = 1;
    p->ncols = 2;
    p->cols = two_cols();
    return p;
}

static PlanNode *project(PlanNode *child)
{
    PlanNode *p = plan_make(A, PLAN_PROJECT);
    p->left = child;
    p->nexprs = 2;
    p->exprs = arena_new_array(A, Expr *, 2);
    p->exprs[0] = expr_make_column(A, 0, type_int64(), -1);
    p->exprs[1] = expr_make_column(A, 1, type_timestamp(), -1);
    p->ncols = 2;
    p->cols = two_cols();
    return p;
}

static PlanNode *union_all(PlanNode *l, PlanNode *r)
{
    PlanNode *p = plan_make(A, PLAN_SETOP);
    p->setop = SETOP_UNION;
    p->all = true;
    p->left = l;
    p->right = r;
    p->ncols = 2;
    p->cols = two_cols();
    return p;
}

static PlanNode *insert(const Relation *target, PlanNode *child)
{
    PlanNode *p = plan_make(A, PLAN_INSERT);
    p->target = target;
    p->left = child;
    p->ntarget_cols = 2;
    p->target_cols = arena_new_array(A, int, 2);
    p->target_cols[0] = 0;
    p->target_cols[1] = 1;
    return p;
}

static PlanNode *count_by_id(PlanNode *child)
{
    PlanNode *p = plan_make(A, PLAN_AGGREGATE);
    p->left = child;
    p->ngroups = 1;
    p->groups = arena_new_array(A, Expr *, 1);
    p->groups[0] = expr_make_column(A, 0, type_int64(), 7);
    p->naggs = 1;
    p->aggs = arena_new_array(A, AggCall, 1);
    const LmType *ret = NULL;
    p->aggs[0].agg = agg_resolve(A, "count", 0, NULL, NULL, &ret);
    p->aggs[0].type = type_int64();
    p->aggs[0].name = "count";
    p->ncols = 2;
    p->cols = arena_new_array(A, PlanColumn, 2);
    p->cols[0].name = "id";
    p->cols[0].type = type_int64();
    p->cols[1].name = "count";
    p->cols[1].type = type_int64();
    return p;
}

/* ---- job helpers ---- */

static atomic_int finish_calls;
static _Atomic JobState finish_state;
static char finish_msg[512];

static void on_finish(void *arg, const char *job_id, JobState state, const char *msg)
{
    finish_state = state;
    snprintf(finish_msg, sizeof finish_msg, "%s", msg ? msg : "");
    atomic_fetch_add(&finish_calls, 1);
}

static StreamJob *start(const char *job_id, const PlanNode *plan, int par, int64 interval_ms,
                        bool restore)
{
    JobSpec spec = {0};
    spec.job_id = job_id;
    spec.pipeline_id = "pl_test";
    spec.pipeline_name = "test";
    spec.plan = plan;
    spec.parallelism = par;
    spec.checkpoint_interval_ms = interval_ms;
    spec.storage = ST;
    spec.restore = restore;
    spec.on_finish = on_finish;
    spec.build_graph = test_build_graph;
    return stream_job_start(&spec);
}

static int64 ident_index(int64 id)
{
    int64 p = id / 100000000, row = id % 100000000;
    if (p >= 8 || row >= 50000)
        return -1;
    return p * 50000 + row;
}

/* Every id of `nparts` x `rows` exactly once? */
static bool exactly_once(const char *job_id, int nparts, int64 rows, char *why, size_t cap)
{
    int n = nparts * 50000;
    int *counts = lm_calloc((size_t)n, sizeof(int));
    int64 bad;
    int64 total = committed_rows(job_id, ident_index, counts, n, &bad);
    int missing = 0, dup = 0;
    for (int p = 0; p < nparts; p++)
        for (int64 r = 0; r < rows; r++) {
            int c = counts[p * 50000 + r];
            if (c == 0)
                missing++;
            else if (c > 1)
                dup++;
        }
    lm_free(counts);
    snprintf(why, cap, "total %lld, missing %d, duplicated %d, unknown %lld", (long long)total,
             missing, dup, (long long)bad);
    return missing == 0 && dup == 0 && bad == 0 && total == nparts * rows;
}

/* ---- tests ---- */

static void test_explain(void)
{
    ncfgs = 0;
    Relation *src = make_rel(REL_SOURCE, "bids", "testsrc", true);
    Relation *src2 = make_rel(REL_SOURCE, "asks", "testsrc", true);
    Relation *sink = make_rel(REL_SINK, "out", "testsink", false);
    Relation *bh = make_rel(REL_SINK, "bh", "blackhole", false);
    StrBuf sb;

    strbuf_init(&sb, A);
    stream_explain(A, insert(sink, project(scan(src))), 2, &sb);
    LMT_CHECK_STR(sb.data, "Stage 1 [parallelism 2]: Source(bids) -> Project -> Sink(testsink)\n",
                  "explain: a stateless chain is one stage");

    strbuf_init(&sb, A);
    stream_explain(A, insert(sink, union_all(scan(src), project(scan(src2)))), 2, &sb);
    LMT_CHECK_STR(sb.data,
                  "Stage 1 [parallelism 2]: Source(bids) -> Forward to Stage 3\n"
                  "Stage 2 [parallelism 2]: Source(asks) -> Project -> Forward to Stage 3\n"
                  "Stage 3 [parallelism 2]: Union(Stage 1, Stage 2) -> Sink(testsink)\n",
                  "explain: union all merges two stages into one receiver");

    strbuf_init(&sb, A);
    stream_explain(A, insert(bh, count_by_id(project(scan(src)))), 3, &sb);
    LMT_CHECK_STR(sb.data,
                  "Stage 1 [parallelism 3]: Source(bids) -> Project -> HashExchange(id) to Stage 2\n"
                  "Stage 2 [parallelism 3]: ChangelogAggregate -> Sink(blackhole)\n",
                  "explain: an aggregate sits behind a hash exchange on its key");

    StreamGraph *g = stream_plan_build(A, insert(bh, count_by_id(project(scan(src)))), 2,
                                       EMIT_ON_WINDOW_CLOSE);
    LMT_CHECK(g->nstages == 2 && g->stages[1].nodes[0].info.kind == STREAM_OP_CHANGELOG_AGGREGATE &&
                  g->emits_changelog,
              "graph: the aggregate is classified as a changelog aggregate");
    StreamGraph *g2 = stream_plan_build(A, insert(bh, count_by_id(project(scan(src)))), 2,
                                        EMIT_ON_WINDOW_CLOSE);
    bool same = g2->noperators == g->noperators;
    for (int s = 0; s < g->nstages && same; s++)
        for (int i = 0; i < g->stages[s].nnodes; i++)
            same = same && g->stages[s].nodes[i].operator_id == g2->stages[s].nodes[i].operator_id;
    LMT_CHECK(same, "operator ids are the same for the same plan");

    LMT_EXPECT_ERROR(stream_plan_check(A, insert(sink, count_by_id(scan(src)))), "0A000",
                     "a non-windowed aggregate into an append-only sink is refused");
    LM_TRY();
    {
        stream_plan_check(A, insert(sink, count_by_id(scan(src))));
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        LMT_CHECK_STR(e->message,
                      "a non-windowed aggregate emits updates and cannot write into append-only "
                      "sink table \"out\"",
                      "the changelog error names the sink");
        LMT_CHECK_INT(e->position, 8, "the changelog error points at the aggregate");
        error_clear();
    }
    LM_END_TRY();
    volatile bool ok = true;
    LM_TRY();
    {
        stream_plan_check(A, insert(bh, count_by_id(scan(src))));
    }
    LM_CATCH();
    {
        ok = false;
        error_clear();
    }
    LM_END_TRY();
    LMT_CHECK(ok, "blackhole accepts a changelog");

    PlanNode *lim = plan_make(A, PLAN_LIMIT);
    lim->left = scan(src);
    lim->ncols = 2;
    lim->cols = two_cols();
    LMT_EXPECT_ERROR(stream_plan_check(A, insert(sink, lim)), "0A000", "LIMIT is refused");
    PlanNode *srt = plan_make(A, PLAN_SORT);
    srt->left = scan(src);
    srt->ncols = 2;
    srt->cols = two_cols();
    LMT_EXPECT_ERROR(stream_plan_check(A, insert(sink, srt)), "0A000", "ORDER BY is refused");
    PlanNode *inter = union_all(scan(src), scan(src2));
    inter->setop = SETOP_INTERSECT;
    LMT_EXPECT_ERROR(stream_plan_check(A, insert(sink, inter)), "0A000", "INTERSECT is refused");
}

/* The receiver by hand: two channels, alignment and watermarks. */
static void test_receiver(void)
{
    ExecContext ctx = {0};
    ctx.arena = A;
    Channel *ch[2] = {channel_create(4), channel_create(4)};
    Relation *src = make_rel(REL_SOURCE, "x", "testsrc", true);
    PlanNode *shape = scan(src);
    Operator *r = stream_receiver_create(&ctx, shape, ch, 2);
    exec_open(r);
    StreamStage st = {0};
    st.source_scan = shape;
    st.out_part = STREAM_FORWARD;
    Sender *s0 = sender_create(A, &ctx, &st, &ch[0], 1, 0);
    Sender *s1 = sender_create(A, &ctx, &st, &ch[1], 1, 0);
    const LmType *types[2] = {type_int64(), type_timestamp()};
    Batch *b = batch_create(A, 2, types, 4);
    for (int i = 0; i < 3; i++) {
        vector_set_int64(&b->cols[0], i, i);
        vector_set_int64(&b->cols[1], i, T0);
    }
    b->count = 3;
    ExecEvent e = {0};
    e.kind = EXEC_WATERMARK;
    e.watermark = 100;
    sender_push(s0, &e);
    ExecEvent got = exec_next(r);
    LMT_CHECK(got.kind == EXEC_IDLE, "no watermark until every channel has one (got %d)", got.kind);
    e.watermark = 50;
    sender_push(s1, &e);
    got = exec_next(r);
    LMT_CHECK(got.kind == EXEC_WATERMARK && got.watermark == 50, "watermark is the minimum (50)");
    e.kind = EXEC_BARRIER;
    e.checkpoint_id = 7;
    sender_push(s0, &e);
    ExecEvent be = exec_event_batch(b);
    sender_push(s0, &be); /* after the barrier on channel 0: must wait */
    sender_push(s1, &be); /* before the barrier on channel 1: goes first */
    got = exec_next(r);
    LMT_CHECK(got.kind == EXEC_BATCH && batch_live_count(got.batch) == 3,
              "rows before the barrier on the other channel are read");
    got = exec_next(r);
    LMT_CHECK(got.kind == EXEC_IDLE, "the aligned channel is not read until the barrier is everywhere");
    sender_push(s1, &e);
    got = exec_next(r);
    LMT_CHECK(got.kind == EXEC_BARRIER && got.checkpoint_id == 7, "one barrier after alignment");
    got = exec_next(r);
    LMT_CHECK(got.kind == EXEC_BATCH, "then the held-back rows");
    /* an idle channel does not hold the watermark back; an ended one neither */
    e.kind = EXEC_WATERMARK;
    e.watermark = STREAM_WATERMARK_IDLE;
    sender_push(s1, &e);
    e.watermark = 200;
    sender_push(s0, &e);
    got = exec_next(r);
    while (got.kind == EXEC_IDLE || (got.kind == EXEC_WATERMARK && got.watermark < 200))
        got = exec_next(r);
    LMT_CHECK(got.kind == EXEC_WATERMARK && got.watermark == 200, "an idle channel is left out");
    e.kind = EXEC_END;
    sender_push(s0, &e);
    sender_push(s1, &e);
    got = exec_next(r);
    LMT_CHECK(got.kind == EXEC_END, "END when every channel ended");
    /* backpressure: a full channel refuses more */
    int pushed = 0;
    Channel *c3 = channel_create(4);
    Sender *s3 = sender_create(A, &ctx, &st, &c3, 1, 0);
    while (pushed < 10 && sender_push(s3, &be))
        pushed++;
    LMT_CHECK_INT(pushed, 4, "a channel of capacity 4 takes 4 batches, then pushes back");
    exec_close(r);
    channel_destroy(ch[0]);
    channel_destroy(ch[1]);
    channel_destroy(c3);
}

static void wait_completed(StreamJob *job, const char *what)
{
    bool ok = stream_job_wait(job, 60000);
    LMT_CHECK(ok && stream_job_state(job) == JOB_COMPLETED, "%s: job completed (state %s)", what,
              job_state_name(stream_job_state(job)));
}

static void test_bounded(void)
{
    ncfgs = 0;
    cfgs[ncfgs++] = (SrcCfg){"nums", 4, 20000, 0, 1000, -1, 700, 0};
    Relation *src = make_rel(REL_SOURCE, "nums", "testsrc", true);
    Relation *sink = make_rel(REL_SINK, "out", "testsink", false);
    finish_calls = 0;
    StreamJob *job = start("job_bounded", insert(sink, project(scan(src))), 2, 20, false);
    wait_completed(job, "bounded");
    char why[200];
    bool ok = exactly_once("job_bounded", 4, 20000, why, sizeof why);
    LMT_CHECK(ok, "bounded: every row committed exactly once (%s)", why);
    LMT_CHECK(finish_calls == 1 && finish_state == JOB_COMPLETED, "bounded: on_finish(COMPLETED) once");
    JobStats stats;
    stream_job_stats(job, A, &stats);
    LMT_CHECK_INT(stats.records_in, 80000, "bounded: records_in");
    LMT_CHECK_INT(stats.records_out, 80000, "bounded: records_out");
    LMT_CHECK(stats.last_checkpoint_id > 0, "bounded: a checkpoint completed");
    CheckpointRecord *cps;
    int n = stream_job_checkpoints(ST, A, "job_bounded", &cps);
    LMT_CHECK(n > 0 && strcmp(cps[n - 1].state, "completed") == 0 &&
                  cps[n - 1].checkpoint_id == stats.last_checkpoint_id,
              "bounded: checkpoints listed, the last one completed (%d listed)", n);
    OperatorMetrics *m;
    int nm = stream_job_metrics(job, A, &m);
    int64 src_out = 0, sink_in = 0;
    for (int i = 0; i < nm; i++) {
        if (strcmp(m[i].operator, "Source(nums)") == 0)
            src_out += m[i].records_out;
        if (strcmp(m[i].operator, "Sink(testsink)") == 0)
            sink_in += m[i].records_in;
    }
    LMT_CHECK(nm == 6 && src_out == 80000 && sink_in == 80000,
              "bounded: metrics per operator and subtask (%d rows, %lld, %lld)", nm,
              (long long)src_out, (long long)sink_in);
    JobOutputRecord *outr;
    int no = stream_job_output(job, A, &outr);
    LMT_CHECK(no > 0 && strstr(outr[no - 1].row_json, "\"id\":") != NULL,
              "bounded: job output keeps the last rows as JSON (%d, %s)", no,
              no > 0 ? outr[no - 1].row_json : "");
    stream_job_release(job);
}

/* Runs a plan until a few checkpoints completed, kills it, restores, and checks output. */
static void crash_and_restore(const char *job_id, const PlanNode *plan, int nparts, int64 rows,
                              const char *what)
{
    sink_sleep_us = 3000;
    StreamJob *job = start(job_id, plan, 2, 10, false);
    for (int i = 0; i < 400; i++) {
        JobStats st;
        stream_job_stats(job, A, &st);
        if (getenv("LMT_DEBUG"))
            lmt_diag("t=%d cp=%lld in=%lld out=%lld", i, (long long)st.last_checkpoint_id,
                     (long long)st.records_in, (long long)st.records_out);
        if (st.last_checkpoint_id >= 3)
            break;
        usleep(10000);
    }
    JobStats st1;
    stream_job_stats(job, A, &st1);
    stream_job_kill(job);
    LMT_CHECK(st1.last_checkpoint_id >= 3 && st1.records_in < nparts * rows,
              "%s: killed mid-way after %lld checkpoints (%lld of %lld rows read)", what,
              (long long)st1.last_checkpoint_id, (long long)st1.records_in,
              (long long)(nparts * rows));
    stream_job_release(job);
    sink_sleep_us = 0;
    job = start(job_id, plan, 2, 10, true);
    wait_completed(job, what);
    JobStats st2;
    stream_job_stats(job, A, &st2);
    LMT_CHECK(st2.records_in < nparts * rows && st2.records_in > 0,
              "%s: the restored job resumed from the checkpoint's positions (read %lld)", what,
              (long long)st2.records_in);
    char why[200];
    bool ok = exactly_once(job_id, nparts, rows, why, sizeof why);
    LMT_CHECK(ok, "%s: exactly once across the crash (%s)", what, why);
    CheckpointRecord *cps;
    int n = stream_job_checkpoints(ST, A, job_id, &cps);
    int in_progress = 0;
    for (int i = 0; i < n; i++)
        in_progress += strcmp(cps[i].state, "in_progress") == 0;
    LMT_CHECK(n > 3 && in_progress == 0, "%s: no checkpoint left in progress (%d listed)", what, n);
    stream_job_release(job);
}

static void test_exactly_once(void)
{
    ncfgs = 0;
    cfgs[ncfgs++] = (SrcCfg){"a", 4, 30000, 0, 1000, -1, 256, 0};
    cfgs[ncfgs++] = (SrcCfg){"b", 2, 30000, 400000000, 1000, -1, 64, 0};
    Relation *a = make_rel(REL_SOURCE, "a", "testsrc", true);
    Relation *sink = make_rel(REL_SINK, "out", "testsink", false);
    crash_and_restore("job_crash_chain", insert(sink, project(scan(a))), 4, 30000, "chain");

    /* union: rows of b get ids 4xxxxxxxx..5xxxxxxxx: partitions 4 and 5 of the id space */
    Relation *b = make_rel(REL_SOURCE, "b", "testsrc", true);
    crash_and_restore("job_crash_union", insert(sink, union_all(scan(a), project(scan(b)))), 6, 30000,
                      "union (barrier alignment)");
}

static void test_backpressure(void)
{
    ncfgs = 0;
    cfgs[ncfgs++] = (SrcCfg){"fast1", 2, INT64_MAX, 0, 1000, -1, 1024, 0};
    cfgs[ncfgs++] = (SrcCfg){"fast2", 2, INT64_MAX, 200000000, 1000, -1, 1024, 0};
    Relation *a = make_rel(REL_SOURCE, "fast1", "testsrc", true);
    Relation *b = make_rel(REL_SOURCE, "fast2", "testsrc", true);
    Relation *sink = make_rel(REL_SINK, "out", "testsink", false);
    sink_sleep_us = 5000;
    StreamJob *job = start("job_bp", insert(sink, union_all(scan(a), scan(b))), 2, 0, false);
    int64 max_lead = 0, max_queued = 0;
    for (int i = 0; i < 75; i++) {
        usleep(20000);
        JobStats st;
        stream_job_stats(job, A, &st);
        int64 lead = st.records_in - st.records_out;
        if (lead > max_lead)
            max_lead = lead;
        int64 q = 0;
        for (int c = 0; c < job->nchannels; c++) {
            pthread_mutex_lock(&job->channels[c]->mu);
            q += job->channels[c]->count;
            pthread_mutex_unlock(&job->channels[c]->mu);
        }
        if (q > max_queued)
            max_queued = q;
    }
    /* 4 producer subtasks x 2 consumers (forward: 4 channels carry data) x 8 slots + in flight */
    LMT_CHECK(max_queued <= job->nchannels * 8, "backpressure: queues stay within capacity (%lld)",
              (long long)max_queued);
    LMT_CHECK(max_lead <= (int64)(job->nchannels * 8 + 16) * 1024,
              "backpressure: the sources run at most the queues ahead of the slow sink (lead %lld)",
              (long long)max_lead);
    OperatorMetrics *m;
    int nm = stream_job_metrics(job, A, &m);
    double bp = 0;
    for (int i = 0; i < nm; i++)
        if (strncmp(m[i].operator, "Source", 6) == 0 && m[i].backpressure > bp)
            bp = m[i].backpressure;
    LMT_CHECK(bp > 0.2, "backpressure: the sources report being blocked (%.2f)", bp);
    stream_job_stop(job);
    LMT_CHECK(stream_job_state(job) == JOB_STOPPED, "backpressure: stopped gracefully");
    sink_sleep_us = 0;
    stream_job_release(job);
}

static void test_two_jobs(void)
{
    ncfgs = 0;
    cfgs[ncfgs++] = (SrcCfg){"j1", 2, 40000, 0, 1000, -1, 512, 0};
    cfgs[ncfgs++] = (SrcCfg){"j2", 3, 30000, 0, 1000, -1, 300, 0};
    Relation *a = make_rel(REL_SOURCE, "j1", "testsrc", true);
    Relation *b = make_rel(REL_SOURCE, "j2", "testsrc", true);
    Relation *sink = make_rel(REL_SINK, "out", "testsink", false);
    StreamJob *j1 = start("job_two_1", insert(sink, project(scan(a))), 2, 15, false);
    StreamJob *j2 = start("job_two_2", insert(sink, union_all(scan(b), scan(b))), 2, 15, false);
    wait_completed(j1, "two jobs: first");
    wait_completed(j2, "two jobs: second");
    char why[200];
    LMT_CHECK(exactly_once("job_two_1", 2, 40000, why, sizeof why), "two jobs: first's output (%s)",
              why);
    /* the second reads j2 twice: every id twice */
    int n = 3 * 50000;
    int *counts = lm_calloc((size_t)n, sizeof(int));
    int64 bad;
    int64 total = committed_rows("job_two_2", ident_index, counts, n, &bad);
    int wrong = 0;
    for (int p = 0; p < 3; p++)
        for (int r = 0; r < 30000; r++)
            if (counts[p * 50000 + r] != 2)
                wrong++;
    lm_free(counts);
    LMT_CHECK(total == 180000 && wrong == 0 && bad == 0,
              "two jobs: second's output (%lld rows, %d wrong)", (long long)total, wrong);
    stream_job_release(j1);
    stream_job_release(j2);
}

static void test_idle_watermark(void)
{
    ncfgs = 0;
    /* partition 0: endless rows 1 ms of event time apart; partition 1: one row, then idle */
    cfgs[ncfgs++] = (SrcCfg){"idle", 2, INT64_MAX, 0, 1000, 1, 100, 2000};
    Relation *a = make_rel(REL_SOURCE, "idle", "testsrc", true);
    Relation *sink = make_rel(REL_SINK, "out", "testsink", false);
    stream_idle_timeout_us = 150000;
    StreamJob *job = start("job_idle", insert(sink, project(scan(a))), 1, 0, false);
    int64 early = INT64_MIN, late = INT64_MIN;
    for (int i = 0; i < 500; i++) {
        usleep(10000);
        OperatorMetrics *m;
        int nm = stream_job_metrics(job, A, &m);
        for (int k = 0; k < nm; k++)
            if (strcmp(m[k].operator, "Sink(testsink)") == 0) {
                if (i == 5)
                    early = m[k].watermark;
                late = m[k].watermark;
            }
        if (i > 5 && late > T0 + 2000000)
            break;
    }
    /* partition 1's only row is at T0: with it active the watermark is at most T0 - 1 s */
    LMT_CHECK(early <= T0 - 1000000, "idle partition: holds the watermark back before the timeout "
                                     "(%lld)",
              (long long)(early == INT64_MIN ? 0 : early - T0));
    LMT_CHECK(late > T0 + 2000000, "idle partition: left out after the idle timeout (%lld)",
              (long long)(late == INT64_MIN ? 0 : late - T0));
    stream_job_stop(job);
    stream_job_release(job);
    stream_idle_timeout_us = 5000000;
}

/* A busy job (every worker thread's worth of slow tasks) does not starve a second one. */
static void test_fairness(void)
{
    ncfgs = 0;
    cfgs[ncfgs++] = (SrcCfg){"busy", 8, INT64_MAX, 0, 1000, -1, 64, 0};
    cfgs[ncfgs++] = (SrcCfg){"small", 2, 20000, 0, 1000, -1, 500, 0};
    Relation *a = make_rel(REL_SOURCE, "busy", "testsrc", true);
    Relation *b = make_rel(REL_SOURCE, "small", "testsrc", true);
    Relation *sink = make_rel(REL_SINK, "out", "testsink", false);
    sink_sleep_us = 2000; /* every write of both jobs blocks its worker for 2 ms */
    StreamJob *busy = start("job_busy", insert(sink, scan(a)), 8, 50, false);
    usleep(50000);
    int64 t0 = stream_monotonic_us();
    StreamJob *small = start("job_small", insert(sink, scan(b)), 2, 50, false);
    bool done = stream_job_wait(small, 30000);
    int64 took = stream_monotonic_us() - t0;
    /* 80 writes of 2 ms: alone ~0.1 s; sharing 4 threads with 8 busy tasks, a fair share */
    LMT_CHECK(done && stream_job_state(small) == JOB_COMPLETED && took < 15000000,
              "fairness: a small job completes next to a busy one (%lld ms)",
              (long long)(took / 1000));
    LMT_CHECK(stream_job_state(busy) == JOB_RUNNING, "fairness: the busy job still runs");
    stream_job_stop(busy);
    sink_sleep_us = 0;
    stream_job_release(busy);
    stream_job_release(small);
}

static int64 sink_watermark(StreamJob *job)
{
    OperatorMetrics *m;
    int nm = stream_job_metrics(job, A, &m);
    int64 wm = INT64_MIN;
    for (int k = 0; k < nm; k++)
        if (strncmp(m[k].operator, "Sink", 4) == 0 && m[k].watermark > wm)
            wm = m[k].watermark;
    return wm;
}

/* WATERMARK FOR ts AS ts - INTERVAL '2 seconds'; and processing time without event time. */
static void test_watermark_modes(void)
{
    ncfgs = 0;
    cfgs[ncfgs++] = (SrcCfg){"wx", 1, 5000, 0, 1000, -1, 500, 0};
    cfgs[ncfgs++] = (SrcCfg){"pt", 1, INT64_MAX, 0, 1000, -1, 10, 1000};
    Relation *a = make_rel(REL_SOURCE, "wx", "testsrc", true);
    CatTable *t = (CatTable *)a->table;
    t->watermark_delay = NULL;
    t->watermark_expr = "ts - INTERVAL '2 seconds'";
    Relation *sink = make_rel(REL_SINK, "out", "testsink", false);
    StreamGraph *g = stream_plan_build(A, insert(sink, scan(a)), 1, EMIT_ON_WINDOW_CLOSE);
    LMT_CHECK(g->stages[0].watermark_expr != NULL && g->stages[0].event_time_col == 1,
              "WATERMARK FOR: the expression is bound over the table's columns");
    StreamJob *job = start("job_wmexpr", insert(sink, scan(a)), 1, 0, false);
    wait_completed(job, "WATERMARK FOR");
    LMT_CHECK_INT(sink_watermark(job) - T0, 4999000 - 2000000,
                  "WATERMARK FOR: watermark = max(ts - 2 s)");
    stream_job_release(job);

    t->watermark_expr = "ts -";
    LMT_EXPECT_ERROR(stream_plan_build(A, insert(sink, scan(a)), 1, EMIT_ON_WINDOW_CLOSE), "42P17",
                     "WATERMARK FOR: a broken expression is reported");

    Relation *p = make_rel(REL_SOURCE, "pt", "testsrc", false);
    job = start("job_proctime", insert(sink, scan(p)), 1, 0, false);
    usleep(400000);
    int64 wm = sink_watermark(job);
    int64 now = stream_now_us();
    LMT_CHECK(wm > now - 5000000 && wm <= now, "processing time: the watermark follows the clock (%lld us behind)",
              (long long)(now - wm));
    stream_job_stop(job);
    stream_job_release(job);
}

static void test_failure(void)
{
    ncfgs = 0;
    cfgs[ncfgs++] = (SrcCfg){"f", 2, 20000, 0, 1000, -1, 500, 0};
    Relation *a = make_rel(REL_SOURCE, "f", "testsrc", true);
    Relation *sink = make_rel(REL_SINK, "out", "testsink", false);
    sink_written = 0;
    sink_fail_after = 5000;
    finish_calls = 0;
    StreamJob *job = start("job_fail", insert(sink, scan(a)), 2, 0, false);
    bool done = stream_job_wait(job, 30000);
    LMT_CHECK(done && stream_job_state(job) == JOB_FAILED, "failure: the job failed");
    LMT_CHECK(finish_calls == 1 && finish_state == JOB_FAILED &&
                  strstr(finish_msg, "test sink broke after") != NULL,
              "failure: on_finish(FAILED) with the message (%s)", finish_msg);
    JobStats st;
    stream_job_stats(job, A, &st);
    LMT_CHECK(st.failure_message && strstr(st.failure_message, "test sink broke") != NULL,
              "failure: failure_message in the stats");
    sink_fail_after = -1;
    stream_job_release(job);

    /* a sink connector that does not exist: raised at start, nothing runs */
    Relation *nosink = make_rel(REL_SINK, "nowhere", "nosuchsink", false);
    LMT_EXPECT_ERROR(start("job_nosink", insert(nosink, scan(a)), 1, 0, false), "0A000",
                     "an unknown sink connector is refused at start");
}

/* The operator hooks: late rows (counted; with late_data = error also recorded), memory. */
static void test_hooks(void)
{
    ncfgs = 0;
    cfgs[ncfgs++] = (SrcCfg){"h", 1, INT64_MAX, 0, 1000, -1, 10, 1000};
    Relation *a = make_rel(REL_SOURCE, "h", "testsrc", true);
    Relation *sink = make_rel(REL_SINK, "out", "testsink", false);
    JobSpec spec = {0};
    spec.job_id = "job_hooks";
    spec.plan = insert(sink, project(scan(a)));
    spec.parallelism = 1;
    spec.storage = ST;
    spec.late_data = LATE_ERROR;
    spec.memory_limit = 1 << 20;
    spec.build_graph = test_build_graph;
    StreamJob *job = stream_job_start(&spec);
    Operator *proj = job->tasks[0]->chain[1];
    const LmType *types[2] = {type_int64(), type_timestamp()};
    Batch *b = batch_create(A, 2, types, 1);
    vector_set_int64(&b->cols[0], 0, 42);
    vector_set_int64(&b->cols[1], 0, T0);
    b->count = 1;
    stream_report_late(proj, b, 0, T0, T0 + 1000000);
    JobStats st;
    stream_job_stats(job, A, &st);
    LMT_CHECK(st.late_records == 1 && st.errors == 1, "late row counted and recorded (late_data = error)");
    JobErrorRecord *errs;
    int n = stream_job_errors(ST, A, "job_hooks", &errs);
    LMT_CHECK(n == 1 && strcmp(errs[0].operator, "Project") == 0 &&
                  strcmp(errs[0].sample, "{\"id\":42,\"ts\":\"2023-11-14T22:13:20\"}") == 0,
              "late row's record names the operator and keeps the row (%s)",
              n ? errs[0].sample : "");
    stream_account_memory(proj, 1000);
    LMT_CHECK_INT(stream_job_memory(job), 1000, "memory accounted");
    LM_TRY();
    {
        stream_account_memory(proj, 2 << 20);
        LMT_CHECK(false, "memory over the limit raises");
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        LMT_CHECK_STR(e->sqlstate, "53200", "memory over the limit raises 53200");
        LMT_CHECK_STR(e->message, "job job_hooks exceeded its memory limit of 1MB",
                      "the memory error names the job and the limit");
        error_clear();
    }
    LM_END_TRY();
    stream_job_stop(job);
    stream_job_release(job);
}

static void test_error_records(void)
{
    ncfgs = 0;
    cfgs[ncfgs++] = (SrcCfg){"e", 1, INT64_MAX, 0, 1000, -1, 10, 1000};
    Relation *a = make_rel(REL_SOURCE, "e", "testsrc", true);
    Relation *sink = make_rel(REL_SINK, "out", "testsink", false);
    StreamJob *job = start("job_err", insert(sink, scan(a)), 1, 0, false);
    for (int i = 0; i < 3; i++)
        stream_error_record(job, "Source(e)", "BAD_RECORD", "could not decode", "{\"offset\": 1}",
                            "\x01\x02", 2);
    stream_job_stop(job);
    stream_job_release(job);
    JobErrorRecord *errs;
    int n = stream_job_errors(ST, A, "job_err", &errs);
    LMT_CHECK(n == 3 && strcmp(errs[0].code, "BAD_RECORD") == 0 &&
                  strcmp(errs[0].operator, "Source(e)") == 0 &&
                  strcmp(errs[0].details_json, "{\"offset\": 1}") == 0,
              "job errors are persisted and readable after the job is gone (%d)", n);
}

int main(void)
{
    A = arena_create("test", NULL);
    char dir[] = "/tmp/lm_stream_rt_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    ST = storage_open(dir);
    stream_source_ops_hook = source_hook;
    stream_sink_ops_hook = sink_hook;
    stream_runtime_start(4);

    test_explain();
    test_receiver();
    test_bounded();
    test_exactly_once();
    test_backpressure();
    test_two_jobs();
    test_fairness();
    test_idle_watermark();
    test_watermark_modes();
    test_failure();
    test_error_records();
    test_hooks();

    stream_runtime_shutdown();
    storage_close(ST);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", dir);
    arena_destroy(A);
    return lmt_done();
}
