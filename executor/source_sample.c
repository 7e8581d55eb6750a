/*
 * source_sample.c: `SELECT ... FROM source_table [LIMIT n]` — samples live
 * records of a source table without a pipeline.
 *
 * The table's connector (SourceOps) is opened as subtask 0 of 1, so it reads
 * every partition, from where the table says a reader without a position
 * starts (Kafka: offset_reset, default earliest).  Batches are polled until
 * source_sample_timeout_us (5 s) has passed since the first poll, until
 * source_sample_max_rows (100000) rows were returned, or until a bounded
 * source ends; a LIMIT above the scan stops pulling as soon as it has its
 * rows, so `LIMIT 10` over a topic with data returns at once.  Nothing is
 * checkpointed and no offsets are committed (the Kafka source commits only
 * at checkpoints).  Bad records follow the table's ignore_parse_errors:
 * skipped silently, or the query fails with the decoding error.
 */
#include "executor/source_sample.h"
#include "executor/stream_int.h"
#include "common/errcodes.h"

#include <time.h>

int64 source_sample_timeout_us = INT64_C(5000000);
int64 source_sample_max_rows = 100000;

struct SourceSample {
    ExecContext *ctx;
    const SourceOps *ops;
    void *conn;
    ConnectorContext cc;
    atomic_bool stop;
    int64 started_at; /* monotonic us of the first poll; 0 before */
    int64 rows;
    bool ended;
};

static int64 now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Bad records while sampling are not job errors: nothing to record (ignore_parse_errors decides
 * between skipping and failing the query). */
static void sample_record_error(void *arg, const char *code, const char *message,
                                const char *details_json, const char *sample, size_t sample_len)
{
    (void)arg, (void)code, (void)message, (void)details_json, (void)sample, (void)sample_len;
}

SourceSample *source_sample_open(ExecContext *ctx, Arena *a, const Relation *rel)
{
    const CatTable *t = rel->table;
    const SourceOps *ops = NULL;
    if (t && t->connector && stream_source_ops_hook)
        ops = stream_source_ops_hook(t->connector);
    if (ops == NULL && t && t->connector)
        ops = connector_source_ops(t->connector);
    if (ops == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("reading source table \"%s\" is not supported for connector \"%s\"",
                       rel->name, t && t->connector ? t->connector : "?"));
    SourceSample *s = arena_new(a, SourceSample);
    s->ctx = ctx;
    s->ops = ops;
    atomic_init(&s->stop, false);
    ConnectorContext *cc = &s->cc;
    cc->table = t;
    cc->opts = stream_resolve_options(a, t);
    cc->job_id = NULL;
    cc->subtask = 0;
    cc->parallelism = 1;
    cc->storage = NULL;
    cc->arena = a;
    cc->record_error = sample_record_error;
    cc->stop_requested = &s->stop;
    s->conn = ops->open(cc, NULL, 0);
    return s;
}

bool source_sample_next(SourceSample *s, Batch *out)
{
    if (s->ended || s->rows >= source_sample_max_rows)
        return false;
    if (s->started_at == 0)
        s->started_at = now_us();
    while (now_us() - s->started_at < source_sample_timeout_us) {
        exec_check_cancel(s->ctx);
        int partition = 0;
        out->count = 0;
        SourceStatus st = s->ops->poll(s->conn, out, &partition);
        if (st == SOURCE_END) {
            s->ended = true;
            return out->count > 0;
        }
        if (st == SOURCE_DATA && out->count > 0) {
            if (s->rows + out->count > source_sample_max_rows)
                out->count = (int)(source_sample_max_rows - s->rows);
            s->rows += out->count;
            return true;
        }
        if (st == SOURCE_IDLE) {
            /* Kafka waits inside poll; sources that return at once must not spin */
            struct timespec pause = {0, 1000000};
            nanosleep(&pause, NULL);
        }
    }
    s->ended = true;
    return false;
}

void source_sample_close(SourceSample *s)
{
    if (s && s->conn && s->ops->close) {
        atomic_store(&s->stop, true);
        s->ops->close(s->conn);
        s->conn = NULL;
    }
}
