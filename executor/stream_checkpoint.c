/*
 * stream_checkpoint.c: the checkpoint coordinator of a job, and the
 * checkpoint and source-position records in CF_META.
 *
 * Protocol (one checkpoint in flight at a time):
 *   1. trigger: every checkpoint_interval the coordinator hands out id N,
 *      records it "in_progress" and raises the job's requested id; each
 *      source subtask then injects BARRIER(N), writing its position into its
 *      task's checkpoint batch.
 *   2. a task whose chain returns BARRIER(N) at its top snapshots every
 *      stateful operator of the chain into its checkpoint batch (sinks also
 *      prepare into it), hands that batch to the job tagged N, and forwards
 *      the barrier; sink subtasks ack N.
 *   3. complete: when every sink subtask acked N (or ended before it), the
 *      coordinator appends every handed batch tagged <= N, adds the
 *      "completed" record, and commits it all in ONE synced RocksDB write.
 *      Only then may sinks commit (phase 2); the next checkpoint waits until
 *      all have.
 * A task that reaches END hands its final state tagged (its last barrier +
 * 1): it belongs to the next checkpoint, not to the one in flight, whose
 * barrier it never passed.  When all sinks ended (bounded input), a final
 * checkpoint commits what is left; a stop triggers a final checkpoint after
 * which sources end and nothing later is committed.  A sink that reaches
 * its batch conditions (ConnectorContext.request_checkpoint) makes the next
 * tick trigger one before checkpoint_interval is up.
 *
 * Sink reconfiguration (stream_job_reconfigure_sink, ALTER SINK TABLE on a
 * running job): the new table is kept in the job (reconfig_table, bumping
 * reconfig_gen) and a checkpoint N is triggered for it; each sink subtask,
 * at barrier N, prepares as usual and then reads no input until N is
 * committed (its connector holds nothing then), closes the connector and
 * opens it with the new options and last_committed = N (stream_task.c).
 *
 * Records: "chk/" job "/" id(i64 BE) -> state, started_at, completed_at,
 * bytes, duration_ms; "pos/" job "/" operator(u32) subtask(u32) -> the
 * source position of the last completed checkpoint (written in the same
 * batch).
 */
#include "executor/stream_int.h"
#include "common/errcodes.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static size_t chk_prefix(char *buf, size_t cap, const char *job_id)
{
    return (size_t)snprintf(buf, cap, "chk/%s/", job_id);
}

static void chk_value(StrBuf *v, const char *state, int64 started, int64 completed, int64 bytes)
{
    strbuf_append_be32(v, (uint32)strlen(state));
    strbuf_append_str(v, state);
    strbuf_append_be64(v, (uint64)started);
    strbuf_append_be64(v, (uint64)completed);
    strbuf_append_be64(v, (uint64)bytes);
}

static void chk_record_put(StreamJob *job, StorageBatch *b, int64 id, const char *state,
                           int64 started, int64 completed, int64 bytes)
{
    char key[200];
    size_t plen = chk_prefix(key, sizeof key - 8, job->spec.job_id);
    storage_key_put_i64(key + plen, id);
    StrBuf v;
    strbuf_init(&v, NULL);
    chk_value(&v, state, started, completed, bytes);
    if (b)
        storage_batch_put(b, CF_META, key, plen + 8, v.data, v.len);
    else
        storage_put(job->storage, CF_META, key, plen + 8, v.data, v.len, false);
    strbuf_free(&v);
}

static bool chk_decode(const char *v, size_t vl, Arena *a, CheckpointRecord *r)
{
    if (vl < 4)
        return false;
    uint32 sl = storage_key_get_u32(v);
    if (vl < 4 + sl + 24)
        return false;
    r->state = arena_strndup(a, v + 4, sl);
    const char *p = v + 4 + sl;
    r->started_at = (int64)storage_key_get_u64(p);
    r->completed_at = (int64)storage_key_get_u64(p + 8);
    r->bytes = (int64)storage_key_get_u64(p + 16);
    r->duration_ms = r->completed_at > 0 ? (r->completed_at - r->started_at) / 1000 : 0;
    return true;
}

int stream_job_checkpoints(Storage *st, Arena *a, const char *job_id, CheckpointRecord **out)
{
    char prefix[200];
    size_t plen = chk_prefix(prefix, sizeof prefix, job_id);
    int n = 0, cap = 16;
    CheckpointRecord *recs = arena_new_array(a, CheckpointRecord, cap);
    StorageIter *it = storage_iter_prefix(st, CF_META, prefix, plen);
    for (; storage_iter_valid(it); storage_iter_next(it)) {
        size_t kl, vl;
        const char *k = storage_iter_key(it, &kl);
        const char *v = storage_iter_value(it, &vl);
        if (kl != plen + 8)
            continue;
        if (n == cap) {
            recs = arena_realloc(a, recs, sizeof(CheckpointRecord) * (size_t)cap,
                                 sizeof(CheckpointRecord) * (size_t)cap * 2);
            cap *= 2;
        }
        CheckpointRecord *r = &recs[n];
        if (!chk_decode(v, vl, a, r))
            continue;
        r->checkpoint_id = storage_key_get_i64(k + plen);
        n++;
    }
    storage_iter_destroy(it);
    *out = recs;
    return n;
}

int64 checkpoint_last_completed(Storage *st, const char *job_id, Arena *a)
{
    CheckpointRecord *recs;
    int n = stream_job_checkpoints(st, a, job_id, &recs);
    for (int i = n - 1; i >= 0; i--)
        if (strcmp(recs[i].state, "completed") == 0)
            return recs[i].checkpoint_id;
    return 0;
}

/* The highest checkpoint id ever handed out for the job (any state). */
static int64 checkpoint_last_id(Storage *st, const char *job_id, Arena *a)
{
    CheckpointRecord *recs;
    int n = stream_job_checkpoints(st, a, job_id, &recs);
    return n > 0 ? recs[n - 1].checkpoint_id : 0;
}

static size_t pos_key(char *buf, size_t cap, const char *job_id, int operator_id, int subtask)
{
    size_t plen = (size_t)snprintf(buf, cap - 8, "pos/%s/", job_id);
    storage_key_put_u32(buf + plen, (uint32)operator_id);
    storage_key_put_u32(buf + plen + 4, (uint32)subtask);
    return plen + 8;
}

void checkpoint_put_position(StorageBatch *b, const char *job_id, int operator_id, int subtask,
                             const char *pos, size_t len)
{
    char key[200];
    size_t kl = pos_key(key, sizeof key, job_id, operator_id, subtask);
    storage_batch_put(b, CF_META, key, kl, pos ? pos : "", len);
}

bool checkpoint_read_position(Storage *st, Arena *a, const char *job_id, int operator_id,
                              int subtask, char **pos, size_t *len)
{
    char key[200];
    size_t kl = pos_key(key, sizeof key, job_id, operator_id, subtask);
    return storage_get(st, a, CF_META, key, kl, pos, len);
}

/* ---- coordinator ---- */

void checkpoint_hand_part(StreamJob *job, int64 tag, StorageBatch *b)
{
    pthread_mutex_lock(&job->mu);
    if (job->nparts == job->capparts) {
        int cap = job->capparts ? job->capparts * 2 : 16;
        job->parts = lm_realloc(job->parts, sizeof(CheckpointPart) * (size_t)cap);
        job->capparts = cap;
    }
    job->parts[job->nparts].tag = tag;
    job->parts[job->nparts].batch = b;
    job->nparts++;
    pthread_mutex_unlock(&job->mu);
}

void checkpoint_sink_ack(StreamJob *job, int sink_index, int64 id)
{
    pthread_mutex_lock(&job->mu);
    if (id > job->sink_acked[sink_index])
        job->sink_acked[sink_index] = id;
    pthread_mutex_unlock(&job->mu);
}

void checkpoint_sink_end(StreamJob *job, int sink_index, int64 tag)
{
    pthread_mutex_lock(&job->mu);
    job->sink_end_tag[sink_index] = tag;
    pthread_mutex_unlock(&job->mu);
}

/* Under job->mu: hands out a new checkpoint id and asks the sources for barriers. */
static int64 trigger_locked(StreamJob *job, int64 now)
{
    int64 id = ++job->last_checkpoint_id;
    job->in_progress_id = id;
    job->in_progress_started = stream_now_us();
    job->last_trigger_at = now;
    return id;
}

static void request_barriers(StreamJob *job, int64 id)
{
    LM_TRY();
    {
        chk_record_put(job, NULL, id, "in_progress", job->in_progress_started, 0, 0);
    }
    LM_CATCH();
    {
        error_clear();
    }
    LM_END_TRY();
    atomic_store(&job->requested_id, id);
    for (int i = 0; i < job->nsources; i++)
        stream_task_wake(job->sources[i]);
}

/* Commits every handed part tagged <= id with the completed record, synced. */
static bool complete_checkpoint(StreamJob *job, int64 id, int64 started)
{
    StorageBatch *b = storage_batch_create();
    pthread_mutex_lock(&job->mu);
    int keep = 0;
    for (int i = 0; i < job->nparts; i++) {
        if (job->parts[i].tag <= id) {
            storage_batch_append(b, job->parts[i].batch);
            storage_batch_destroy(job->parts[i].batch);
        } else
            job->parts[keep++] = job->parts[i];
    }
    job->nparts = keep;
    pthread_mutex_unlock(&job->mu);
    volatile bool ok = true;
    int64 completed = stream_now_us();
    LM_TRY();
    {
        int64 bytes = (int64)storage_batch_bytes(b);
        chk_record_put(job, b, id, "completed", started, completed, bytes);
        storage_batch_commit(job->storage, b, true);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        char msg[512];
        snprintf(msg, sizeof msg, "checkpoint %lld failed: %s", (long long)id, e->message);
        error_clear();
        LM_TRY();
        {
            chk_record_put(job, NULL, id, "failed", started, completed, 0);
        }
        LM_CATCH();
        {
            error_clear();
        }
        LM_END_TRY();
        stream_job_fail(job, msg);
        ok = false;
    }
    LM_END_TRY();
    storage_batch_destroy(b);
    if (!ok)
        return false;
    pthread_mutex_lock(&job->mu);
    job->completed_id = id;
    job->completed_at = completed;
    if (job->in_progress_id == id)
        job->in_progress_id = 0;
    pthread_mutex_unlock(&job->mu);
    for (int i = 0; i < job->nsinks; i++)
        stream_task_wake(job->sinks[i]);
    return true;
}

void checkpoint_tick(StreamJob *job)
{
    if (atomic_load(&job->failed) || atomic_load(&job->killed))
        return;
    int64 now = stream_monotonic_us();
    pthread_mutex_lock(&job->mu);
    int64 to_complete = 0, started = 0, to_request = 0;
    bool all_ended = true, all_committed = true;
    int64 max_end = 0;
    for (int i = 0; i < job->nsinks; i++) {
        if (job->sink_end_tag[i] == INT64_MAX)
            all_ended = false;
        else if (job->sink_end_tag[i] > max_end)
            max_end = job->sink_end_tag[i];
        if (job->sinks[i]->sink_committed < job->completed_id)
            all_committed = false;
    }
    if (job->in_progress_id) {
        int64 id = job->in_progress_id;
        bool done = true;
        for (int i = 0; i < job->nsinks; i++)
            if (job->sink_acked[i] < id && job->sink_end_tag[i] > id)
                done = false;
        if (done) {
            to_complete = id;
            started = job->in_progress_started;
        }
    } else if (all_ended && !job->all_ended_committed) {
        /* bounded input: commit what the ended tasks handed over — unless a stop's final
         * checkpoint was taken: nothing after it is committed */
        bool pending = false;
        if (job->final_id == 0) {
            for (int i = 0; i < job->nparts; i++)
                if (job->parts[i].tag > job->completed_id)
                    pending = true;
            if (max_end > job->completed_id)
                pending = true;
        }
        if (pending) {
            int64 id = job->last_checkpoint_id + 1;
            for (int i = 0; i < job->nparts; i++)
                if (job->parts[i].tag > id)
                    id = job->parts[i].tag;
            job->last_checkpoint_id = id;
            to_complete = id;
            started = stream_now_us();
        }
        job->all_ended_committed = true;
    } else if (!all_ended && all_committed) {
        if (atomic_load(&job->stopping)) {
            if (job->final_id == 0) {
                job->final_id = job->last_checkpoint_id + 1;
                atomic_store(&job->stop_after_barrier, true);
                to_request = trigger_locked(job, now);
            }
        } else if ((job->spec.checkpoint_interval_ms > 0 &&
                    now - job->last_trigger_at >= job->spec.checkpoint_interval_ms * 1000) ||
                   atomic_exchange(&job->checkpoint_requested, false))
            to_request = trigger_locked(job, now);
    }
    pthread_mutex_unlock(&job->mu);
    if (to_request)
        request_barriers(job, to_request);
    if (to_complete)
        complete_checkpoint(job, to_complete, started);
}

int64 stream_job_checkpoint_now(StreamJob *job)
{
    pthread_mutex_lock(&job->mu);
    int64 id = 0;
    bool ended = false;
    for (int i = 0; i < job->nsinks; i++)
        if (job->sink_end_tag[i] != INT64_MAX)
            ended = true;
    if (job->in_progress_id == 0 && !ended && !atomic_load(&job->stopping))
        id = trigger_locked(job, stream_monotonic_us());
    pthread_mutex_unlock(&job->mu);
    if (id)
        request_barriers(job, id);
    return id;
}

bool stream_job_reconfigure_sink(StreamJob *job, const CatTable *table, int64 timeout_ms)
{
    int64 deadline = stream_monotonic_us() + timeout_ms * 1000;
    pthread_mutex_lock(&job->mu);
    bool live = job->state == JOB_RUNNING && !atomic_load(&job->stopping) &&
                !atomic_load(&job->failed) && job->nsinks > 0;
    if (!live) {
        pthread_mutex_unlock(&job->mu);
        return false;
    }
    Arena *old = job->reconfig_arena;
    job->reconfig_arena = arena_create("sink reconfiguration", NULL);
    job->reconfig_table = catalog_copy_table(job->reconfig_arena, table);
    int64 gen = ++job->reconfig_gen;
    job->reconfig_cp = INT64_MAX;
    pthread_mutex_unlock(&job->mu);
    if (old)
        arena_destroy(old); /* sinks copy the table into their own arena under mu */

    /* a checkpoint of our own: its barrier follows every row the sink received so far */
    int64 id = 0;
    while (id == 0) {
        if (atomic_load(&job->stopping) || atomic_load(&job->failed) ||
            atomic_load(&job->killed) || stream_monotonic_us() >= deadline)
            return false;
        pthread_mutex_lock(&job->mu);
        bool ended = false;
        for (int i = 0; i < job->nsinks; i++)
            if (job->sink_end_tag[i] != INT64_MAX)
                ended = true;
        if (ended) {
            pthread_mutex_unlock(&job->mu);
            return false;
        }
        bool committed = true; /* as the coordinator: sinks committed the last one first */
        for (int i = 0; i < job->nsinks; i++)
            if (job->sinks[i]->sink_committed < job->completed_id)
                committed = false;
        bool newer = job->reconfig_gen != gen;
        if (job->in_progress_id == 0 && committed && !newer) {
            id = trigger_locked(job, stream_monotonic_us());
            job->reconfig_cp = id;
        }
        pthread_mutex_unlock(&job->mu);
        if (newer)
            break; /* a newer reconfiguration triggers (and applies the newest table) */
        if (id == 0)
            usleep(2000);
    }
    if (id)
        request_barriers(job, id);

    /* wait until every sink subtask runs with the new options */
    for (;;) {
        pthread_mutex_lock(&job->mu);
        bool done = true;
        for (int i = 0; i < job->nsinks; i++)
            if (job->sinks[i]->reconfig_seen < gen && job->sink_end_tag[i] == INT64_MAX)
                done = false;
        pthread_mutex_unlock(&job->mu);
        if (done)
            return true;
        if (atomic_load(&job->failed) || atomic_load(&job->killed) ||
            stream_monotonic_us() >= deadline)
            return false;
        usleep(2000);
    }
}

/* At job start: ids continue after what the job already used (restore); checkpoints a crash
 * interrupted are recorded as failed. */
void checkpoint_job_init(StreamJob *job, Arena *a)
{
    CheckpointRecord *recs;
    int n = stream_job_checkpoints(job->storage, a, job->spec.job_id, &recs);
    for (int i = 0; i < n; i++)
        if (strcmp(recs[i].state, "in_progress") == 0)
            chk_record_put(job, NULL, recs[i].checkpoint_id, "failed", recs[i].started_at,
                           stream_now_us(), 0);
    job->completed_id = checkpoint_last_completed(job->storage, job->spec.job_id, a);
    job->last_checkpoint_id = checkpoint_last_id(job->storage, job->spec.job_id, a);
    if (!job->spec.restore)
        job->completed_id = 0;
}
