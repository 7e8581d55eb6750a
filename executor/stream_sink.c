/*
 * stream_sink.c: the sink end of a job — wraps a connector's two-phase
 * SinkOps (connectors/runtime.h) for one subtask of the last stage, and
 * keeps the job's sample of output rows (laminar.job_output).
 *
 * The last stage's chain produces the INSERT's columns; the writer maps
 * them onto the target table's column layout (target_cols; columns the
 * INSERT does not name are NULL) by sharing vectors, so nothing is copied
 * on the way to the connector.  Plain tables are written by the connector
 * named "table" (upsert by primary key, staged into the checkpoint batch).
 * A reconfigured sink (ALTER SINK TABLE on a running job) is opened again
 * by sink_writer_open_table with the new table record; the connector may
 * ask for an early checkpoint through ConnectorContext.request_checkpoint.
 *
 * Output sample: a bounded ring of the job's last rows as JSON
 * (value_format_json).  Formatting every row would cost as much as the
 * pipeline itself, so a batch contributes its last few rows, and only
 * while the ring is filling or when 50 ms have passed since the last
 * sample.
 */
#include "executor/stream_int.h"
#include "common/errcodes.h"

#include <string.h>

#define OUTPUT_RING 100
#define OUTPUT_ROWS_PER_BATCH 10

const SinkOps *(*stream_sink_ops_hook)(const char *connector);

struct SinkWriter {
    StreamTask *task;
    const SinkOps *ops;
    void *conn;
    ConnectorContext cc;
    const PlanNode *insert;
    const Relation *target;
    int ntarget;
    int *src_col; /* per target column: the INSERT child's column, -1: NULL */
    Vector *nulls;
    Batch out;
    OpMetric *metric;
    int64 last_sample;
};

/* Errors a sink reports without failing (e.g. CONNECTION_ERROR while it retries). */
static void sink_record_error(void *arg, const char *code, const char *message,
                              const char *details_json, const char *sample, size_t sample_len)
{
    SinkWriter *w = arg;
    stream_error_record(w->task->job, "sink", code, message, details_json, sample, sample_len);
}

/* ConnectorContext.request_checkpoint: the coordinator triggers one at its next tick. */
static void sink_request_checkpoint(void *arg)
{
    SinkWriter *w = arg;
    atomic_store(&w->task->job->checkpoint_requested, true);
}

SinkWriter *sink_writer_open(StreamTask *task, const StreamStage *stage, int64 last_committed)
{
    return sink_writer_open_table(task, stage, NULL, last_committed);
}

SinkWriter *sink_writer_open_table(StreamTask *task, const StreamStage *stage,
                                   const CatTable *table, int64 last_committed)
{
    StreamJob *job = task->job;
    const char *name = job->graph->sink_connector;
    const SinkOps *ops = name && stream_sink_ops_hook ? stream_sink_ops_hook(name) : NULL;
    if (ops == NULL && name)
        ops = connector_sink_ops(name);
    const Relation *t = job->graph->target;
    if (ops == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("%s cannot be written by pipelines yet",
                       t->kind == REL_PLAIN ? "plain tables" : "this sink connector"),
                t->kind == REL_PLAIN ? 0 : errdetail("The connector is \"%s\".", name ? name : "?"));
    Arena *a = task->arena;
    SinkWriter *w = arena_new(a, SinkWriter);
    w->task = task;
    w->ops = ops;
    w->insert = stage->insert;
    w->target = t;
    w->ntarget = t->ncols;
    w->src_col = arena_new_array(a, int, t->ncols > 0 ? t->ncols : 1);
    w->nulls = arena_new_array(a, Vector, t->ncols > 0 ? t->ncols : 1);
    for (int j = 0; j < t->ncols; j++)
        w->src_col[j] = -1;
    const PlanNode *ins = stage->insert;
    for (int i = 0; i < ins->ntarget_cols; i++)
        w->src_col[ins->target_cols[i]] = i;
    for (int j = 0; j < t->ncols; j++)
        if (w->src_col[j] < 0) {
            vector_init(&w->nulls[j], a, t->cols[j].type, LM_BATCH_SIZE);
            for (int r = 0; r < LM_BATCH_SIZE; r++)
                vector_set_null(&w->nulls[j], r);
        }
    w->out.cols = arena_new_array(a, Vector, t->ncols > 0 ? t->ncols : 1);
    w->out.ncols = t->ncols;
    for (int i = 0; i < task->nmetrics; i++)
        if (task->metrics[i].operator_id == stage->sink_operator_id)
            w->metric = &task->metrics[i];
    ConnectorContext *cc = &w->cc;
    cc->table = table ? table : t->table;
    cc->opts = cc->table ? stream_resolve_options(a, cc->table) : NULL;
    cc->job_id = job->spec.job_id;
    cc->subtask = task->subtask;
    cc->parallelism = stage->parallelism;
    cc->storage = job->storage;
    cc->arena = a;
    cc->stop_requested = &task->cancel;
    cc->record_error = sink_record_error;
    cc->record_error_arg = w;
    cc->request_checkpoint = sink_request_checkpoint;
    cc->request_checkpoint_arg = w;
    w->conn = ops->open(cc, last_committed);
    return w;
}

void sink_writer_write(SinkWriter *w, const Batch *b)
{
    int live = batch_live_count(b);
    if (live == 0)
        return;
    Batch *out = &w->out;
    for (int j = 0; j < w->ntarget; j++)
        out->cols[j] = w->src_col[j] >= 0 ? b->cols[w->src_col[j]] : w->nulls[j];
    out->count = b->count;
    out->sel = b->sel;
    out->nsel = b->nsel;
    out->ops = b->ops;
    out->arena = b->arena;
    w->ops->write(w->conn, out);
    StreamJob *job = w->task->job;
    atomic_fetch_add(&job->records_out, live);
    if (w->metric) {
        atomic_fetch_add(&w->metric->records_in, live);
        atomic_fetch_add(&w->metric->records_out, live);
    }
    int64 now = stream_monotonic_us();
    if (job->out_n < OUTPUT_RING || now - w->last_sample >= 50000) {
        w->last_sample = now;
        stream_output_add(job, out, w->ntarget, NULL);
    }
}

void sink_writer_prepare(SinkWriter *w, int64 checkpoint_id, StorageBatch *cp)
{
    if (w->ops->prepare)
        w->ops->prepare(w->conn, checkpoint_id, cp);
}

void sink_writer_commit(SinkWriter *w, int64 checkpoint_id)
{
    if (w->ops->commit)
        w->ops->commit(w->conn, checkpoint_id);
}

void sink_writer_close(SinkWriter *w)
{
    if (w->conn && w->ops->close)
        w->ops->close(w->conn);
    w->conn = NULL;
}

/* Adds the last rows of b (table layout) to the job's output ring as JSON objects. */
void stream_output_add(StreamJob *job, const Batch *b, int ncols, const PlanColumn *names)
{
    (void)names;
    const Relation *t = job->graph->target;
    int live = batch_live_count(b);
    int first = live > OUTPUT_ROWS_PER_BATCH ? live - OUTPUT_ROWS_PER_BATCH : 0;
    StrBuf sb;
    strbuf_init(&sb, NULL);
    int64 at = stream_now_us();
    for (int i = first; i < live; i++) {
        int r = batch_row(b, i);
        strbuf_reset(&sb);
        strbuf_append_char(&sb, '{');
        for (int c = 0; c < ncols; c++) {
            if (c)
                strbuf_append_char(&sb, ',');
            strbuf_append_char(&sb, '"');
            for (const char *p = t->cols[c].name; *p; p++) {
                if (*p == '"' || *p == '\\')
                    strbuf_append_char(&sb, '\\');
                strbuf_append_char(&sb, *p);
            }
            strbuf_append_str(&sb, "\":");
            if (!vector_is_valid(&b->cols[c], r))
                strbuf_append_str(&sb, "null");
            else
                value_format_json(&b->cols[c], r, &sb);
        }
        strbuf_append_char(&sb, '}');
        if (b->ops && b->ops[r] != ROW_INSERT) {
            /* changelog rows carry their operation */
            static const char *const opname[] = {"insert", "delete", "update_before", "update_after"};
            sb.len--;
            strbuf_printf(&sb, ",\"__op\":\"%s\"}", opname[b->ops[r] & 3]);
        }
        char *row = lm_strdup(sb.data);
        pthread_mutex_lock(&job->mu);
        int slot;
        if (job->out_n < job->out_cap) {
            slot = (job->out_head + job->out_n) % job->out_cap;
            job->out_n++;
        } else {
            slot = job->out_head;
            job->out_head = (job->out_head + 1) % job->out_cap;
            lm_free(job->out_rows[slot]);
        }
        job->out_rows[slot] = row;
        job->out_at[slot] = at;
        pthread_mutex_unlock(&job->mu);
    }
    strbuf_free(&sb);
}

int stream_job_output(StreamJob *job, Arena *a, JobOutputRecord **out)
{
    pthread_mutex_lock(&job->mu);
    int n = job->out_n;
    JobOutputRecord *recs = arena_new_array(a, JobOutputRecord, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        int slot = (job->out_head + i) % job->out_cap;
        recs[i].at = job->out_at[slot];
        recs[i].row_json = arena_strdup(a, job->out_rows[slot]);
    }
    pthread_mutex_unlock(&job->mu);
    *out = recs;
    return n;
}
