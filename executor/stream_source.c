/*
 * stream_source.c: the source operator — the leaf of a source stage's
 * chain.  Wraps a connector's SourceOps (connectors/runtime.h) for one
 * subtask: polls batches, computes event time and watermarks, injects
 * checkpoint barriers and records its position at them.
 *
 * Each poll fills a fresh batch of the table's full column layout (built in
 * a poll arena that is reset before the next poll, after the consumer is
 * done with the previous batch); the operator's output shares those vectors,
 * projected to the scan's columns — no copy.
 *
 * Watermarks: per partition the highest event time seen (the event-time
 * column, or the WATERMARK FOR expression evaluated per batch), and when the
 * partition last delivered rows.  The watermark is the minimum over active
 * partitions of (max event time - watermark_delay); partitions that have
 * been idle longer than stream_idle_timeout_us are left out, and when every
 * partition is idle the source tells downstream so (STREAM_WATERMARK_IDLE)
 * instead of holding everyone back.  A table without event time runs on
 * processing time: the watermark is the wall clock.
 *
 * Barriers: when the coordinator raised the job's requested checkpoint id
 * above the last one this subtask injected, the next call returns a BARRIER
 * and first writes the connector's position (after every row returned so
 * far) into the task's checkpoint batch.  On a stop, the source ends right
 * after the final barrier.
 */
#include "executor/stream_int.h"
#include "executor/operator.h"
#include "common/errcodes.h"
#include "storage/catalog.h"

#include <stdio.h>
#include <string.h>

typedef struct PartState {
    int64 max_ts;
    int64 last_active; /* monotonic us */
} PartState;

typedef struct SourceState {
    StreamTask *task;
    const StreamStage *stage;
    const SourceOps *ops;
    void *conn;
    ConnectorContext cc;
    int ntable_cols;
    const LmType **table_types;
    Arena *poll_arena;
    Batch out;
    int nparts, capparts;
    PartState *parts;
    int64 opened_at;
    int64 emitted_wm;
    int64 pending_wm; /* INT64_MIN none */
    bool idle_marked;
    int64 injected_id;
    bool ended;
    ExprState *wm_expr;
    int64 last_proc_wm_at;
    OpMetric *metric;
    int64 lag_sampled_at;
    char *position;
    size_t position_len;
    char label[160];
} SourceState;

int64 stream_idle_timeout_us = INT64_C(5000000);
const SourceOps *(*stream_source_ops_hook)(const char *connector);

static void source_record_error(void *arg, const char *code, const char *message,
                                const char *details_json, const char *sample, size_t sample_len)
{
    SourceState *s = arg;
    stream_error_record(s->task->job, s->label, code, message, details_json, sample, sample_len);
}

static void ensure_parts(SourceState *s)
{
    int n = s->ops->partitions ? s->ops->partitions(s->conn) : 1;
    if (n <= s->nparts)
        return;
    Arena *a = s->task->arena;
    if (n > s->capparts) {
        int cap = n < 8 ? 8 : n * 2;
        s->parts = arena_realloc(a, s->parts, sizeof(PartState) * (size_t)s->capparts,
                                 sizeof(PartState) * (size_t)cap);
        s->capparts = cap;
    }
    int64 now = stream_monotonic_us();
    for (int i = s->nparts; i < n; i++) {
        s->parts[i].max_ts = INT64_MIN;
        s->parts[i].last_active = now;
    }
    s->nparts = n;
}

static int64 batch_max_time(const Vector *v, const Batch *b)
{
    int64 m = INT64_MIN;
    const int64 *d = v->data;
    int live = batch_live_count(b);
    if (v->validity == NULL && b->sel == NULL) {
        for (int i = 0; i < live; i++)
            if (d[i] > m)
                m = d[i];
    } else
        for (int i = 0; i < live; i++) {
            int r = batch_row(b, i);
            if (vector_is_valid(v, r) && d[r] > m)
                m = d[r];
        }
    return m;
}

/* Recomputes the watermark; returns the value to emit (INT64_MIN: nothing). */
static int64 compute_watermark(SourceState *s)
{
    const StreamStage *st = s->stage;
    int64 now = stream_monotonic_us();
    if (st->event_time_col < 0 && st->watermark_expr == NULL) {
        /* processing time: at most every 100 ms */
        if (now - s->last_proc_wm_at < 100000)
            return INT64_MIN;
        s->last_proc_wm_at = now;
        int64 wall = stream_now_us();
        return wall > s->emitted_wm ? wall : INT64_MIN;
    }
    ensure_parts(s);
    int64 wm = INT64_MAX;
    bool any_active = false;
    for (int i = 0; i < s->nparts; i++) {
        if (now - s->parts[i].last_active > stream_idle_timeout_us)
            continue;
        any_active = true;
        int64 p = s->parts[i].max_ts;
        if (p == INT64_MIN) {
            wm = INT64_MIN;
            break;
        }
        p = p - st->watermark_delay_us;
        if (p < wm)
            wm = p;
    }
    if (!any_active) {
        if (!s->idle_marked) {
            s->idle_marked = true;
            return STREAM_WATERMARK_IDLE;
        }
        return INT64_MIN;
    }
    if (wm != INT64_MIN && wm > s->emitted_wm) {
        s->idle_marked = false;
        return wm;
    }
    return INT64_MIN;
}

static ExecEvent watermark_event(SourceState *s, int64 wm)
{
    ExecEvent ev = {0};
    ev.kind = EXEC_WATERMARK;
    ev.watermark = wm;
    if (wm != STREAM_WATERMARK_IDLE) {
        s->emitted_wm = wm;
        atomic_store(&s->metric->watermark, wm);
    }
    return ev;
}

static ExecEvent source_next(Operator *op)
{
    SourceState *s = op->state;
    StreamJob *job = s->task->job;
    ExecEvent ev = {0};

    int64 req = atomic_load(&job->requested_id);
    if (req > s->injected_id && !s->ended) {
        s->injected_id = req;
        StrBuf pos;
        arena_reset(op->batch_arena);
        strbuf_init(&pos, op->batch_arena);
        s->ops->position(s->conn, &pos);
        if (s->task->cp_batch == NULL)
            s->task->cp_batch = storage_batch_create();
        checkpoint_put_position(s->task->cp_batch, job->spec.job_id, s->stage->source_operator_id,
                                s->task->subtask, pos.data, pos.len);
        if (atomic_load(&job->stop_after_barrier) && req >= job->final_id)
            s->ended = true;
        ev.kind = EXEC_BARRIER;
        ev.checkpoint_id = req;
        return ev;
    }
    if (s->pending_wm != INT64_MIN) {
        int64 wm = s->pending_wm;
        s->pending_wm = INT64_MIN;
        return watermark_event(s, wm);
    }
    if (s->ended)
        return exec_event_end();

    int64 now = stream_monotonic_us();
    if (now - s->lag_sampled_at >= 1000000) {
        s->lag_sampled_at = now;
        atomic_store(&s->metric->lag, stream_source_lag(op));
    }
    arena_reset(s->poll_arena);
    Batch *b = batch_create(s->poll_arena, s->ntable_cols, s->table_types, LM_BATCH_SIZE);
    int partition = 0;
    SourceStatus status = s->ops->poll(s->conn, b, &partition);
    if (status == SOURCE_END) {
        s->ended = true;
        return exec_event_end();
    }
    if (status == SOURCE_IDLE || b->count == 0) {
        int64 wm = compute_watermark(s);
        if (wm != INT64_MIN)
            return watermark_event(s, wm);
        ev.kind = EXEC_IDLE;
        return ev;
    }
    ensure_parts(s);
    if (partition < 0 || partition >= s->nparts)
        partition = 0;
    PartState *p = &s->parts[partition];
    p->last_active = stream_monotonic_us();
    const StreamStage *st = s->stage;
    if (st->watermark_expr) {
        Vector *v = expr_eval(s->wm_expr, b);
        int64 m = batch_max_time(v, b);
        if (m > p->max_ts)
            p->max_ts = m;
    } else if (st->event_time_col >= 0) {
        int64 m = batch_max_time(&b->cols[st->event_time_col], b);
        if (m > p->max_ts)
            p->max_ts = m;
    }
    int live = batch_live_count(b);
    atomic_fetch_add(&job->records_in, live);
    atomic_fetch_add(&s->metric->records_in, live);
    atomic_fetch_add(&s->metric->bytes_in, (long long)arena_bytes(s->poll_arena));

    const PlanNode *scan = st->source_scan;
    Batch *out = &s->out;
    for (int i = 0; i < scan->nscan_cols; i++)
        out->cols[i] = b->cols[scan->scan_cols[i]];
    out->ncols = scan->nscan_cols;
    out->count = b->count;
    out->sel = b->sel;
    out->nsel = b->nsel;
    out->ops = NULL;
    out->arena = s->poll_arena;
    s->pending_wm = compute_watermark(s);
    return exec_event_batch(out);
}

static void source_close(Operator *op)
{
    SourceState *s = op->state;
    if (s->conn && s->ops->close)
        s->ops->close(s->conn);
    s->conn = NULL;
    if (s->poll_arena)
        arena_destroy(s->poll_arena);
    s->poll_arena = NULL;
}

/* The connector is opened with the operator (exec_open), so a job that fails to build closes
 * only what it opened. */
static void source_open(Operator *op)
{
    SourceState *s = op->state;
    s->conn = s->ops->open(&s->cc, s->position, s->position_len);
    ensure_parts(s);
}

static const OperatorOps source_ops = {"Source", source_open, source_next, source_close, NULL, NULL};

Operator *stream_source_create(ExecContext *ctx, StreamTask *task, const StreamStage *stage,
                               const char *position, size_t position_len)
{
    const Relation *rel = stage->source_rel;
    const CatTable *t = rel->table;
    const SourceOps *ops = NULL;
    if (t && t->connector && stream_source_ops_hook)
        ops = stream_source_ops_hook(t->connector);
    if (ops == NULL && t && t->connector)
        ops = connector_source_ops(t->connector);
    if (ops == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("connector \"%s\" cannot be read by pipelines yet",
                       t && t->connector ? t->connector : "?"));
    Operator *op = exec_operator_create(ctx, stage->source_scan, NULL, 0);
    Arena *a = exec_operator_arena(op);
    SourceState *s = arena_new(a, SourceState);
    op->state = s;
    op->ops = &source_ops;
    s->task = task;
    s->stage = stage;
    s->ops = ops;
    snprintf(s->label, sizeof s->label, "Source(%s)", rel->name);
    s->ntable_cols = rel->ncols;
    s->table_types = arena_new_array(a, const LmType *, rel->ncols > 0 ? rel->ncols : 1);
    for (int i = 0; i < rel->ncols; i++)
        s->table_types[i] = rel->cols[i].type;
    s->out.cols = arena_new_array(a, Vector, stage->source_scan->nscan_cols + 1);
    s->emitted_wm = INT64_MIN;
    s->pending_wm = INT64_MIN;
    s->injected_id = task->last_barrier;
    s->opened_at = stream_monotonic_us();
    for (int i = 0; i < task->nmetrics; i++)
        if (task->metrics[i].operator_id == stage->source_operator_id)
            s->metric = &task->metrics[i];
    LM_ASSERT(s->metric != NULL);
    if (stage->watermark_expr) {
        Arena *saved = ctx->arena;
        ctx->arena = a;
        s->wm_expr = expr_init(ctx, stage->watermark_expr);
        ctx->arena = saved;
    }
    StreamJob *job = task->job;
    ConnectorContext *cc = &s->cc;
    cc->table = t;
    cc->opts = stream_resolve_options(a, t);
    cc->job_id = job->spec.job_id;
    cc->subtask = task->subtask;
    cc->parallelism = stage->parallelism;
    cc->storage = job->storage;
    cc->arena = a;
    cc->record_error = source_record_error;
    cc->record_error_arg = s;
    cc->stop_requested = &task->cancel;
    s->poll_arena = arena_create("source poll", NULL);
    if (position && position_len > 0) {
        s->position = arena_memdup(a, position, position_len);
        s->position_len = position_len;
    }
    return op;
}

void stream_source_position(Operator *op, StrBuf *out)
{
    SourceState *s = op->state;
    s->ops->position(s->conn, out);
}

int64 stream_source_watermark(Operator *op)
{
    return ((SourceState *)op->state)->emitted_wm;
}

int64 stream_source_lag(Operator *op)
{
    SourceState *s = op->state;
    if (s->ops->lag == NULL || s->conn == NULL)
        return -1;
    int64 total = 0;
    for (int i = 0; i < s->nparts; i++) {
        int64 l = s->ops->lag(s->conn, i);
        if (l < 0)
            return -1;
        total += l;
    }
    return total;
}

/* ---- options ---- */

ResolvedOptions *stream_resolve_options(Arena *a, const CatTable *t)
{
    CatProfile *p = t->profile_id ? catalog_get_profile(a, t->profile_id) : NULL;
    int cap = (p ? p->noptions : 0) + t->noptions + 1;
    ResolvedOptions *r = arena_new(a, ResolvedOptions);
    r->names = arena_new_array(a, const char *, cap);
    r->values = arena_new_array(a, const char *, cap);
    for (int pass = 0; pass < 2; pass++) {
        const CatOption *opts = pass == 0 ? (p ? p->options : NULL) : t->options;
        int n = pass == 0 ? (p ? p->noptions : 0) : t->noptions;
        for (int i = 0; i < n; i++) {
            const char *v = opts[i].value;
            if (opts[i].kind == CATOPT_SECRET) {
                CatSecret *sec = catalog_get_secret(a, v);
                if (sec == NULL)
                    ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                            errmsg("secret \"%s\" does not exist", v));
                v = sec->value;
            } else
                v = connector_expand_placeholders(a, opts[i].name, v);
            int k = 0;
            while (k < r->count && strcmp(r->names[k], opts[i].name) != 0)
                k++;
            r->names[k] = opts[i].name;
            r->values[k] = v;
            if (k == r->count)
                r->count++;
        }
    }
    return r;
}
