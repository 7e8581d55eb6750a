/*
 * test_stream_reconfig.c: a running job's sink reconfigured (ALTER SINK
 * TABLE on a running pipeline: stream_job_reconfigure_sink) and sinks asking
 * for early checkpoints (ConnectorContext.request_checkpoint).
 *
 * In-test connectors: an endless paced source (one partition per subtask,
 * ids subtask * 1e8 + row, position = next row) and a sink that stages rows
 * per epoch into the checkpoint batch (so RocksDB holds exactly what
 * completed checkpoints committed) and records every open: the value of its
 * option "mark" and last_committed.  With mark = 'eager' it asks for a
 * checkpoint every 200 rows.
 *
 * Covers: without checkpoints nothing is committed; a reconfiguration
 * commits everything written so far, closes and reopens every sink subtask
 * with the new option and last_committed = the reconfiguration's
 * checkpoint, while the job keeps running; the new sink's requests make
 * checkpoints happen without a checkpoint interval; after a stop every row
 * is committed exactly once; a job that is not running refuses.
 *
 * lmtest-libs: planner/libplanner.a parser/libparser.a executor/libexecutor.a planner/libplanner.a executor/libexecutor.a connectors/libconnectors.a storage/libstorage.a common/libcommon.a
 */
#include "executor/stream_int.h"
#include "storage/storage.h"

#include "lmtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static Arena *A;
static Storage *ST;

static StreamGraph *test_build_graph(Arena *a, const PlanNode *plan, int parallelism, EmitMode emit)
{
    stream_plan_check_emit(a, plan, emit);
    return stream_plan_build(a, plan, parallelism, emit);
}

/* ---- source ---- */

typedef struct Src {
    int subtask;
    int64 next;
} Src;

static void *src_open(ConnectorContext *cc, const char *position, size_t len)
{
    Src *s = arena_new(cc->arena, Src);
    s->subtask = cc->subtask;
    if (position && len > 0) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.*s", (int)len, position);
        s->next = atoll(buf);
    }
    return s;
}

static SourceStatus src_poll(void *st, Batch *out, int *partition)
{
    Src *s = st;
    usleep(1000);
    for (int r = 0; r < 10; r++) {
        vector_set_int64(&out->cols[0], r, (int64)s->subtask * 100000000 + s->next + r);
        vector_set_int64(&out->cols[1], r, INT64_C(1700000000000000) + (s->next + r) * 1000);
    }
    out->count = 10;
    s->next += 10;
    *partition = 0;
    return SOURCE_DATA;
}

static int src_partitions(void *st)
{
    return 1;
}

static void src_position(void *st, StrBuf *out)
{
    strbuf_printf(out, "%lld", (long long)((Src *)st)->next);
}

static int64 src_lag(void *st, int p)
{
    return -1;
}

static void src_close(void *st)
{
}

static const SourceOps src_ops = {src_open, src_poll, src_partitions, src_position, src_lag,
                                  src_close};

/* ---- sink ---- */

#define MAX_OPENS 16
static pthread_mutex_t opens_mu = PTHREAD_MUTEX_INITIALIZER;
static int nopens, ncloses;
static char open_mark[MAX_OPENS][16];
static int64 open_last[MAX_OPENS];
static atomic_llong written;

typedef struct Sink {
    ConnectorContext *cc;
    bool eager;
    int64 since_request;
    int64 *staged;
    int nstaged, cap;
    int64 seq;
} Sink;

static void *sink_open(ConnectorContext *cc, int64 last_committed)
{
    Sink *s = arena_new(cc->arena, Sink);
    s->cc = cc;
    const char *mark = resolved_get(cc->opts, "mark");
    s->eager = mark && strcmp(mark, "eager") == 0;
    pthread_mutex_lock(&opens_mu);
    if (nopens < MAX_OPENS) {
        snprintf(open_mark[nopens], sizeof open_mark[0], "%s", mark ? mark : "");
        open_last[nopens] = last_committed;
    }
    nopens++;
    pthread_mutex_unlock(&opens_mu);
    return s;
}

static void sink_write(void *st, const Batch *b)
{
    Sink *s = st;
    int live = batch_live_count(b);
    for (int i = 0; i < live; i++) {
        if (s->nstaged == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 1024;
            s->staged = lm_realloc(s->staged, sizeof(int64) * (size_t)s->cap);
        }
        s->staged[s->nstaged++] = ((int64 *)b->cols[0].data)[batch_row(b, i)];
    }
    atomic_fetch_add(&written, live);
    s->since_request += live;
    if (s->eager && s->since_request >= 200 && s->cc->request_checkpoint) {
        s->since_request = 0;
        s->cc->request_checkpoint(s->cc->request_checkpoint_arg);
    }
}

static void sink_prepare(void *st, int64 id, StorageBatch *cp)
{
    Sink *s = st;
    char key[128];
    for (int i = 0; i < s->nstaged; i++) {
        int kl = snprintf(key, sizeof key - 24, "rc/%s/", s->cc->job_id);
        storage_key_put_i64(key + kl, id);
        storage_key_put_u32(key + kl + 8, (uint32)s->cc->subtask);
        storage_key_put_i64(key + kl + 12, s->seq++);
        storage_batch_put(cp, CF_DEFAULT, key, (size_t)kl + 20, &s->staged[i], sizeof(int64));
    }
    s->nstaged = 0;
}

static void sink_commit(void *st, int64 id)
{
}

static void sink_close(void *st)
{
    Sink *s = st;
    lm_free(s->staged);
    s->staged = NULL;
    pthread_mutex_lock(&opens_mu);
    ncloses++;
    pthread_mutex_unlock(&opens_mu);
}

static const SinkOps sink_ops = {sink_open, sink_write, sink_prepare, sink_commit, sink_close};

static const SourceOps *source_hook(const char *name)
{
    return strcmp(name, "rcsrc") == 0 ? &src_ops : NULL;
}

static const SinkOps *sink_hook(const char *name)
{
    return strcmp(name, "rcsink") == 0 ? &sink_ops : NULL;
}

/* Committed rows: total, and whether each subtask's ids are 0..n-1 once each (sorted keys per
 * subtask are not in id order across checkpoints, so ids are counted in a bitmap). */
static int64 committed(const char *job_id, bool *exact)
{
    char prefix[128];
    int pl = snprintf(prefix, sizeof prefix, "rc/%s/", job_id);
    enum { CAP = 2000000 };
    uint8 *seen = lm_calloc(2 * CAP, 1);
    int64 total = 0, max[2] = {-1, -1};
    bool ok = true;
    StorageIter *it = storage_iter_prefix(ST, CF_DEFAULT, prefix, (size_t)pl);
    for (; storage_iter_valid(it); storage_iter_next(it)) {
        size_t vl;
        int64 id;
        memcpy(&id, storage_iter_value(it, &vl), sizeof id);
        int sub = (int)(id / 100000000);
        int64 row = id % 100000000;
        if (sub > 1 || row >= CAP || seen[sub * CAP + row]) {
            ok = false;
            continue;
        }
        seen[sub * CAP + row] = 1;
        if (row > max[sub])
            max[sub] = row;
        total++;
    }
    storage_iter_destroy(it);
    for (int sub = 0; sub < 2; sub++)
        for (int64 r = 0; r <= max[sub]; r++)
            ok = ok && seen[sub * CAP + r];
    lm_free(seen);
    if (exact)
        *exact = ok;
    return total;
}

/* ---- plan ---- */

static PlanColumn *two_cols(void)
{
    PlanColumn *c = arena_new_array(A, PlanColumn, 2);
    c[0].name = "id";
    c[0].type = type_int64();
    c[1].name = "ts";
    c[1].type = type_timestamp();
    return c;
}

static Relation *make_rel(RelKind kind, const char *name, const char *connector)
{
    Relation *r = arena_new(A, Relation);
    RelColumn *cols = arena_new_array(A, RelColumn, 2);
    cols[0].name = "id";
    cols[0].type = type_int64();
    cols[1].name = "ts";
    cols[1].type = type_timestamp();
    CatTable *t = arena_new(A, CatTable);
    t->id = arena_strdup(A, name);
    t->name = arena_strdup(A, name);
    t->schema = "public";
    t->connector = arena_strdup(A, connector);
    t->kind = kind == REL_SOURCE ? CAT_TABLE_SOURCE : CAT_TABLE_SINK;
    r->kind = kind;
    r->name = t->name;
    r->schema = "public";
    r->ncols = 2;
    r->cols = cols;
    r->table = t;
    return r;
}

static PlanNode *plan(const Relation *src, const Relation *sink)
{
    PlanNode *s = plan_make(A, PLAN_SCAN);
    s->rel = src;
    s->nscan_cols = 2;
    s->scan_cols = arena_new_array(A, int, 2);
    s->scan_cols[0] = 0;
    s->scan_cols[1] = 1;
    s->ncols = 2;
    s->cols = two_cols();
    PlanNode *p = plan_make(A, PLAN_INSERT);
    p->target = sink;
    p->left = s;
    p->ntarget_cols = 2;
    p->target_cols = arena_new_array(A, int, 2);
    p->target_cols[0] = 0;
    p->target_cols[1] = 1;
    return p;
}

static bool wait_until(bool (*cond)(void *), void *arg, int64 timeout_ms)
{
    for (int64 waited = 0; waited < timeout_ms; waited += 10) {
        if (cond(arg))
            return true;
        usleep(10000);
    }
    return cond(arg);
}

static bool written_at_least(void *arg)
{
    return atomic_load(&written) >= *(int64 *)arg;
}

static bool committed_at_least(void *arg)
{
    return committed("job_rc", NULL) >= *(int64 *)arg;
}

static void test_reconfigure(void)
{
    Relation *src = make_rel(REL_SOURCE, "nums", "rcsrc");
    Relation *sink = make_rel(REL_SINK, "out", "rcsink");
    CatOption lazy = {.name = "mark", .value = "lazy", .kind = CATOPT_STRING};
    ((CatTable *)sink->table)->options = &lazy;
    ((CatTable *)sink->table)->noptions = 1;
    JobSpec spec = {0};
    spec.job_id = "job_rc";
    spec.pipeline_id = "pl_rc";
    spec.pipeline_name = "rc";
    spec.plan = plan(src, sink);
    spec.parallelism = 2;
    spec.checkpoint_interval_ms = 0; /* no periodic checkpoints */
    spec.storage = ST;
    spec.build_graph = test_build_graph;
    StreamJob *job = stream_job_start(&spec);

    int64 want = 2000;
    LMT_CHECK(wait_until(written_at_least, &want, 20000), "the job writes rows");
    LMT_CHECK_INT(committed("job_rc", NULL), 0, "without checkpoints nothing is committed");
    LMT_CHECK(nopens == 2 && strcmp(open_mark[0], "lazy") == 0, "two sink subtasks opened");

    CatTable *nt = catalog_copy_table(A, sink->table);
    CatOption eager = {.name = "mark", .value = "eager", .kind = CATOPT_STRING};
    nt->options = &eager;
    int64 before = atomic_load(&written);
    bool ok = stream_job_reconfigure_sink(job, nt, 20000);
    JobStats st;
    stream_job_stats(job, A, &st);
    LMT_CHECK(ok, "stream_job_reconfigure_sink applies the new options");
    LMT_CHECK(committed("job_rc", NULL) >= before,
              "everything written before the reconfiguration is committed (%lld >= %lld)",
              (long long)committed("job_rc", NULL), (long long)before);
    pthread_mutex_lock(&opens_mu);
    LMT_CHECK(nopens == 4 && ncloses == 2 && strcmp(open_mark[2], "eager") == 0 &&
                  strcmp(open_mark[3], "eager") == 0 && open_last[2] == open_last[3] &&
                  open_last[2] > 0 && open_last[2] <= st.last_checkpoint_id,
              "each sink subtask was closed and opened with the new option and last_committed "
              "= the reconfiguration's checkpoint (%d opens, %d closes, last %lld)",
              nopens, ncloses, (long long)st.last_checkpoint_id);
    pthread_mutex_unlock(&opens_mu);
    LMT_CHECK(stream_job_state(job) == JOB_RUNNING, "the job keeps running");

    int64 after = committed("job_rc", NULL) + 1000;
    LMT_CHECK(wait_until(committed_at_least, &after, 20000),
              "the new sink's checkpoint requests commit rows without a checkpoint interval");

    stream_job_stop(job);
    bool exact;
    int64 total = committed("job_rc", &exact);
    stream_job_stats(job, A, &st);
    LMT_CHECK(exact && total == st.records_out,
              "after the stop every row is committed exactly once (%lld, records_out %lld)",
              (long long)total, (long long)st.records_out);
    LMT_CHECK(!stream_job_reconfigure_sink(job, nt, 1000), "a stopped job is not reconfigured");
    stream_job_release(job);
}

int main(void)
{
    A = arena_create("test", NULL);
    char dir[] = "/tmp/lm_stream_rc_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    ST = storage_open(dir);
    stream_source_ops_hook = source_hook;
    stream_sink_ops_hook = sink_hook;
    stream_runtime_start(2);

    test_reconfigure();

    stream_runtime_shutdown();
    storage_close(ST);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", dir);
    arena_destroy(A);
    return lmt_done();
}
