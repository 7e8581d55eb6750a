/*
 * stream_state.c: operator state in RocksDB and the hooks stream operators
 * call (executor/stream.h): state writers and readers, snapshots and
 * restores of a task's chain, memory accounting, late and bad records, and
 * the persistent error records of a job (laminar.job_errors).
 *
 * State keys (CF_STATE): "s" job_id NUL operator_id(u32 BE) subtask(u32 BE)
 * then the operator's own key, so one operator subtask's keys are one
 * contiguous, ordered range.  A writer adds its puts/deletes (and a
 * delete_range for state_clear) to the task's checkpoint batch, which the
 * coordinator commits with everything else of the checkpoint in one synced
 * write — so CF_STATE always holds exactly the last completed checkpoint.
 *
 * Error records (CF_META): "err/" job_id "/" seq(i64 BE) -> at, operator,
 * code, message, details, sample (u32-length-prefixed fields).  At most
 * STREAM_MAX_ERRORS per job are kept (the oldest go); they stay after the
 * job is gone.
 */
#include "executor/stream_int.h"
#include "common/errcodes.h"

#include <stdio.h>
#include <string.h>

#define STREAM_MAX_ERRORS 1000

struct StateWriter {
    StorageBatch *batch;
    char prefix[160];
    size_t plen;
    char *buf;
    size_t cap;
};

struct StateReader {
    StorageIter *it;
    size_t plen;
    bool started;
    StateReader *next; /* the task's list, destroyed after restore */
};

static StreamTask *task_of(Operator *op)
{
    StreamContext *sc = op->ctx ? op->ctx->stream : NULL;
    return sc ? (StreamTask *)sc->runtime : NULL;
}

size_t state_key_prefix(char *buf, size_t cap, const char *job_id, int operator_id, int subtask)
{
    size_t jl = strlen(job_id);
    LM_ASSERT(jl + 10 <= cap);
    buf[0] = 's';
    memcpy(buf + 1, job_id, jl);
    buf[1 + jl] = '\0';
    storage_key_put_u32(buf + 2 + jl, (uint32)operator_id);
    storage_key_put_u32(buf + 6 + jl, (uint32)subtask);
    return jl + 10;
}

static void writer_key(StateWriter *w, const void *key, size_t klen)
{
    if (w->plen + klen > w->cap) {
        size_t cap = (w->plen + klen) * 2;
        w->buf = lm_realloc(w->buf, cap);
        w->cap = cap;
    }
    memcpy(w->buf, w->prefix, w->plen);
    memcpy(w->buf + w->plen, key, klen);
}

void state_put(StateWriter *w, const void *key, size_t klen, const void *val, size_t vlen)
{
    writer_key(w, key, klen);
    storage_batch_put(w->batch, CF_STATE, w->buf, w->plen + klen, val, vlen);
}

void state_delete(StateWriter *w, const void *key, size_t klen)
{
    writer_key(w, key, klen);
    storage_batch_delete(w->batch, CF_STATE, w->buf, w->plen + klen);
}

void state_clear(StateWriter *w)
{
    char end[160];
    memcpy(end, w->prefix, w->plen);
    /* the prefix's last 4 bytes are the subtask: the next subtask's prefix bounds the range */
    uint32 sub = storage_key_get_u32(end + w->plen - 4);
    storage_key_put_u32(end + w->plen - 4, sub + 1);
    storage_batch_delete_range(w->batch, CF_STATE, w->prefix, w->plen, end, w->plen);
}

bool state_next(StateReader *r, const char **key, size_t *klen, const char **val, size_t *vlen)
{
    if (r->started)
        storage_iter_next(r->it);
    r->started = true;
    if (!storage_iter_valid(r->it))
        return false;
    size_t kl;
    const char *k = storage_iter_key(r->it, &kl);
    *key = k + r->plen;
    *klen = kl - r->plen;
    *val = storage_iter_value(r->it, vlen);
    return true;
}

/* Writers live in the task's per-checkpoint list (freed at the next snapshot). */
typedef struct WriterList {
    StateWriter w;
    struct WriterList *next;
} WriterList;

static __thread WriterList *free_writers;

StateWriter *stream_state_writer(Operator *op, int64 checkpoint_id)
{
    (void)checkpoint_id;
    StreamTask *t = task_of(op);
    if (t == NULL)
        elog(ERROR, "stream_state_writer called outside a streaming job");
    if (t->cp_batch == NULL)
        t->cp_batch = storage_batch_create();
    WriterList *wl = free_writers;
    if (wl)
        free_writers = wl->next;
    else
        wl = lm_calloc(1, sizeof(WriterList));
    wl->w.batch = t->cp_batch;
    wl->w.plen = state_key_prefix(wl->w.prefix, sizeof wl->w.prefix, t->job->spec.job_id,
                                  op->operator_id, t->subtask);
    return &wl->w;
}

static void writer_release(StateWriter *w)
{
    WriterList *wl = (WriterList *)w;
    wl->next = free_writers;
    free_writers = wl;
}

StateReader *stream_state_reader(Operator *op)
{
    StreamTask *t = task_of(op);
    if (t == NULL || !t->job->spec.restore)
        return NULL;
    char prefix[160];
    size_t plen = state_key_prefix(prefix, sizeof prefix, t->job->spec.job_id, op->operator_id,
                                   t->subtask);
    StorageIter *it = storage_iter_prefix(t->job->storage, CF_STATE, prefix, plen);
    if (!storage_iter_valid(it)) {
        storage_iter_destroy(it);
        return NULL;
    }
    StateReader *r = lm_calloc(1, sizeof(StateReader));
    r->it = it;
    r->plen = plen;
    return r;
}

static void reader_destroy(StateReader *r)
{
    storage_iter_destroy(r->it);
    lm_free(r);
}

void stream_task_snapshot(StreamTask *t, int64 checkpoint_id)
{
    for (int i = 0; i < t->nchain; i++) {
        Operator *op = t->chain[i];
        if (op->ops->snapshot == NULL)
            continue;
        StateWriter *w = stream_state_writer(op, checkpoint_id);
        op->ops->snapshot(op, w);
        writer_release(w);
    }
}

void stream_task_restore(StreamTask *t)
{
    for (int i = 0; i < t->nchain; i++) {
        Operator *op = t->chain[i];
        if (op->ops->restore == NULL)
            continue;
        StateReader *r = stream_state_reader(op);
        if (r == NULL)
            continue;
        op->ops->restore(op, r);
        reader_destroy(r);
    }
}

/* ---- memory and metrics ---- */

static void format_size(int64 bytes, char *buf, size_t cap)
{
    static const char *const units[] = {"GB", "MB", "kB"};
    static const int64 mult[] = {INT64_C(1) << 30, INT64_C(1) << 20, INT64_C(1) << 10};
    for (int i = 0; i < 3; i++)
        if (bytes >= mult[i] && bytes % mult[i] == 0) {
            snprintf(buf, cap, "%lld%s", (long long)(bytes / mult[i]), units[i]);
            return;
        }
    snprintf(buf, cap, "%lld bytes", (long long)bytes);
}

void stream_account_memory(Operator *op, int64 delta)
{
    StreamTask *t = task_of(op);
    if (t == NULL)
        return;
    StreamJob *job = t->job;
    int64 now = atomic_fetch_add(&job->memory, delta) + delta;
    if (delta > 0 && job->spec.memory_limit > 0 && now > job->spec.memory_limit) {
        char lim[64];
        format_size(job->spec.memory_limit, lim, sizeof lim);
        ereport(ERROR, errcode(ERRCODE_OUT_OF_MEMORY),
                errmsg("job %s exceeded its memory limit of %s", job->spec.job_id, lim),
                errdetail("Operator %s holds %lld bytes of state in subtask %d.", op->ops->name,
                          (long long)now, t->subtask),
                errhint("Raise the pipeline's memory_limit, or bound the state (windows, "
                        "fewer keys)."));
    }
}

void stream_set_state_bytes(Operator *op, int64 bytes)
{
    StreamTask *t = task_of(op);
    if (t == NULL)
        return;
    for (int i = 0; i < t->nmetrics; i++)
        if (t->metrics[i].operator_id == op->operator_id) {
            atomic_store(&t->metrics[i].state_bytes, bytes);
            return;
        }
}

int64 stream_job_memory(StreamJob *job)
{
    return atomic_load(&job->memory);
}

/* ---- late and bad records ---- */

static const char *op_label(Operator *op)
{
    StreamTask *t = task_of(op);
    if (t)
        for (int i = 0; i < t->nmetrics; i++)
            if (t->metrics[i].operator_id == op->operator_id)
                return t->metrics[i].name;
    return op->ops->name;
}

static void row_json(const Batch *b, int row, const PlanColumn *cols, StrBuf *out)
{
    strbuf_append_char(out, '{');
    for (int c = 0; c < b->ncols; c++) {
        if (c)
            strbuf_append_char(out, ',');
        strbuf_printf(out, "\"%s\":", cols ? cols[c].name : "?");
        if (!vector_is_valid(&b->cols[c], row))
            strbuf_append_str(out, "null");
        else
            value_format_json(&b->cols[c], row, out);
    }
    strbuf_append_char(out, '}');
}

void stream_report_late(Operator *op, const Batch *b, int row, int64 event_time, int64 watermark)
{
    StreamTask *t = task_of(op);
    if (t == NULL)
        return;
    StreamJob *job = t->job;
    atomic_fetch_add(&job->late_records, 1);
    if (job->spec.late_data != LATE_ERROR)
        return;
    StrBuf sample, details;
    strbuf_init(&sample, NULL);
    strbuf_init(&details, NULL);
    const PlanNode *in = op->nchildren > 0 && op->children[0]->plan ? op->children[0]->plan : NULL;
    row_json(b, row, in && in->ncols == b->ncols ? in->cols : NULL, &sample);
    strbuf_printf(&details, "{\"event_time\": %lld, \"watermark\": %lld}", (long long)event_time,
                  (long long)watermark);
    stream_error_record(job, op_label(op), "LATE_RECORD", "record arrived behind the watermark",
                        details.data, sample.data, sample.len);
    strbuf_free(&sample);
    strbuf_free(&details);
}

void stream_report_error(Operator *op, const char *code, const char *message,
                         const char *details_json, const char *sample, size_t sample_len)
{
    StreamTask *t = task_of(op);
    if (t == NULL)
        return;
    stream_error_record(t->job, op_label(op), code, message, details_json, sample, sample_len);
}

/* ---- error records ---- */

static size_t err_prefix(char *buf, size_t cap, const char *job_id)
{
    return (size_t)snprintf(buf, cap, "err/%s/", job_id);
}

static void put_field(StrBuf *b, const char *s, size_t len)
{
    strbuf_append_be32(b, (uint32)len);
    if (len)
        strbuf_append(b, s, len);
}

void stream_error_record(StreamJob *job, const char *operator_name, const char *code,
                         const char *message, const char *details_json, const char *sample,
                         size_t sample_len)
{
    atomic_fetch_add(&job->errors, 1);
    pthread_mutex_lock(&job->mu);
    int64 seq = ++job->error_seq;
    pthread_mutex_unlock(&job->mu);
    char key[200];
    size_t plen = err_prefix(key, sizeof key - 8, job->spec.job_id);
    storage_key_put_i64(key + plen, seq);
    StrBuf v;
    strbuf_init(&v, NULL);
    strbuf_append_be64(&v, (uint64)stream_now_us());
    put_field(&v, operator_name, operator_name ? strlen(operator_name) : 0);
    put_field(&v, code, code ? strlen(code) : 0);
    put_field(&v, message, message ? strlen(message) : 0);
    put_field(&v, details_json, details_json ? strlen(details_json) : 0);
    put_field(&v, sample, sample ? sample_len : 0);
    LM_TRY();
    {
        storage_put(job->storage, CF_META, key, plen + 8, v.data, v.len, false);
        if (seq > STREAM_MAX_ERRORS) {
            storage_key_put_i64(key + plen, seq - STREAM_MAX_ERRORS);
            storage_delete(job->storage, CF_META, key, plen + 8, false);
        }
    }
    LM_CATCH();
    {
        /* a failing error record must not take the job down with it */
        error_clear();
    }
    LM_END_TRY();
    strbuf_free(&v);
}

/* The highest error sequence number stored for a job (0: none). */
int64 stream_error_last_seq(Storage *st, const char *job_id)
{
    char prefix[200];
    size_t plen = err_prefix(prefix, sizeof prefix, job_id);
    int64 last = 0;
    StorageIter *it = storage_iter_prefix(st, CF_META, prefix, plen);
    for (; storage_iter_valid(it); storage_iter_next(it)) {
        size_t kl;
        const char *k = storage_iter_key(it, &kl);
        if (kl == plen + 8)
            last = storage_key_get_i64(k + plen);
    }
    storage_iter_destroy(it);
    return last;
}

static const char *get_field(Arena *a, const char **p, const char *end)
{
    if (end - *p < 4)
        return NULL;
    uint32 len = storage_key_get_u32(*p);
    *p += 4;
    if ((size_t)(end - *p) < len)
        return NULL;
    const char *s = arena_strndup(a, *p, len);
    *p += len;
    return len ? s : NULL;
}

int stream_job_errors(Storage *st, Arena *a, const char *job_id, JobErrorRecord **out)
{
    char prefix[200];
    size_t plen = err_prefix(prefix, sizeof prefix, job_id);
    int n = 0, cap = 16;
    JobErrorRecord *recs = arena_new_array(a, JobErrorRecord, cap);
    StorageIter *it = storage_iter_prefix(st, CF_META, prefix, plen);
    for (; storage_iter_valid(it); storage_iter_next(it)) {
        size_t vl;
        const char *v = storage_iter_value(it, &vl);
        const char *end = v + vl;
        if (vl < 8)
            continue;
        if (n == cap) {
            recs = arena_realloc(a, recs, sizeof(JobErrorRecord) * (size_t)cap,
                                 sizeof(JobErrorRecord) * (size_t)cap * 2);
            cap *= 2;
        }
        JobErrorRecord *r = &recs[n++];
        r->at = (int64)storage_key_get_u64(v);
        const char *p = v + 8;
        r->operator = get_field(a, &p, end);
        r->code = get_field(a, &p, end);
        r->message = get_field(a, &p, end);
        r->details_json = get_field(a, &p, end);
        r->sample = get_field(a, &p, end);
    }
    storage_iter_destroy(it);
    *out = recs;
    return n;
}
