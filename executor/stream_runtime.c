/*
 * stream_runtime.c: the worker pool, the coordinator thread and the job API
 * of executor/stream.h (start, stop, suspend, state, stats, metrics).
 *
 * Pool: N worker threads share one FIFO run queue of tasks.  A worker takes
 * the first task, runs it for at most one time slice (stream_task.c), and
 * then re-queues it at the back (slice used up), parks it (nothing to do, or
 * output full) or retires it (finished).  Parked tasks come back when woken
 * (a channel they wait on changed, a checkpoint was requested, the job
 * failed) or when their park timeout passes (sources poll again).  FIFO plus
 * slices means every runnable task of every job gets its turn: a slow or
 * busy job cannot starve another.  One pool mutex guards the queue, the
 * parked list and each task's scheduling fields.
 *
 * Coordinator: one thread wakes every few milliseconds and, for each job,
 * drives checkpoints (stream_checkpoint.c), notices when all of a job's
 * tasks are done (then sets the final state and calls on_finish outside any
 * runtime lock), and samples rates and backpressure once a second.
 *
 * A job is built entirely in stream_job_start (graph, channels, every
 * task's operators opened and restored, sinks opened), so errors in the
 * plan or in a connector's open are raised to the caller and nothing runs.
 */
#include "executor/stream_int.h"
#include "common/errcodes.h"
#include "common/log.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHANNEL_CAPACITY 8


/* stream_task.c */
StreamTask *stream_task_build(StreamJob *job, const StreamStage *stage, int subtask,
                              Channel ***inputs, int *ninputs, Channel **out, int nout);
void stream_task_open(StreamTask *t);
void stream_task_close(StreamTask *t);
int stream_task_run(StreamTask *t, int64 *park_us);
/* stream_checkpoint.c / stream_state.c */
void checkpoint_job_init(StreamJob *job, Arena *a);
int64 stream_error_last_seq(Storage *st, const char *job_id);

typedef struct Pool {
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool started;
    bool shutdown;
    int nthreads;
    pthread_t *threads;
    StreamTask *qhead, *qtail;
    int nparked, capparked;
    StreamTask **parked;
    int64 next_deadline; /* no parked task's timeout is earlier (monotonic us) */
    /* jobs (jobs_mu): the coordinator's list */
    pthread_mutex_t jobs_mu;
    StreamJob *jobs;
    pthread_t coordinator;
} Pool;

static Pool pool = {.mu = PTHREAD_MUTEX_INITIALIZER,
                    .cond = PTHREAD_COND_INITIALIZER,
                    .jobs_mu = PTHREAD_MUTEX_INITIALIZER};

int64 stream_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64 stream_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const char *job_state_name(JobState s)
{
    switch (s) {
    case JOB_RUNNING:
        return "running";
    case JOB_COMPLETED:
        return "completed";
    case JOB_FAILED:
        return "failed";
    case JOB_STOPPING:
        return "stopping";
    case JOB_STOPPED:
        return "stopped";
    }
    return "unknown";
}

/* ---- run queue (pool.mu held) ---- */

static void enqueue_locked(StreamTask *t)
{
    t->run = TASK_QUEUED;
    t->next_queued = NULL;
    if (pool.qtail)
        pool.qtail->next_queued = t;
    else
        pool.qhead = t;
    pool.qtail = t;
    pthread_cond_signal(&pool.cond);
}

static void unpark_locked(int i)
{
    StreamTask *t = pool.parked[i];
    pool.parked[i] = pool.parked[--pool.nparked];
    pool.parked[i]->park_slot = i;
    enqueue_locked(t);
}

void stream_task_wake(StreamTask *t)
{
    pthread_mutex_lock(&pool.mu);
    if (t->run == TASK_PARKED) {
        LM_ASSERT(pool.parked[t->park_slot] == t);
        unpark_locked(t->park_slot);
    } else if (t->run == TASK_RUNNING)
        t->wake_again = true;
    pthread_mutex_unlock(&pool.mu);
}

static void wake_all(StreamJob *job)
{
    for (int i = 0; i < job->ntasks; i++)
        stream_task_wake(job->tasks[i]);
}

static void task_done(StreamTask *t)
{
    StreamJob *job = t->job;
    pthread_mutex_lock(&job->mu);
    job->ndone++;
    pthread_mutex_unlock(&job->mu);
}

static void *worker_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&pool.mu);
    while (!pool.shutdown) {
        int64 now = stream_monotonic_us();
        /* the parked list is scanned only when its earliest timeout may have passed */
        if (now >= pool.next_deadline) {
            int64 next = now + 50000;
            for (int i = 0; i < pool.nparked;) {
                StreamTask *t = pool.parked[i];
                if (t->park_until && t->park_until <= now) {
                    unpark_locked(i);
                    continue;
                }
                if (t->park_until && t->park_until < next)
                    next = t->park_until;
                i++;
            }
            pool.next_deadline = next;
        }
        int64 next = pool.next_deadline;
        StreamTask *t = pool.qhead;
        if (t == NULL) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            int64 wait_us = next - now;
            if (wait_us < 200)
                wait_us = 200;
            ts.tv_nsec += (long)(wait_us % 1000000) * 1000;
            ts.tv_sec += wait_us / 1000000 + ts.tv_nsec / 1000000000;
            ts.tv_nsec %= 1000000000;
            pthread_cond_timedwait(&pool.cond, &pool.mu, &ts);
            continue;
        }
        pool.qhead = t->next_queued;
        if (pool.qhead == NULL)
            pool.qtail = NULL;
        t->run = TASK_RUNNING;
        t->wake_again = false;
        pthread_mutex_unlock(&pool.mu);

        int64 park_us = 0;
        int outcome = stream_task_run(t, &park_us);

        if (outcome == 2 /* TASK_FINISHED */) {
            pthread_mutex_lock(&pool.mu);
            t->run = TASK_DONE;
            pthread_mutex_unlock(&pool.mu);
            task_done(t);
            pthread_mutex_lock(&pool.mu);
            continue;
        }
        pthread_mutex_lock(&pool.mu);
        if (outcome == 0 /* TASK_YIELD */ || t->wake_again)
            enqueue_locked(t);
        else {
            t->run = TASK_PARKED;
            t->park_until = park_us > 0 ? stream_monotonic_us() + park_us : 0;
            if (t->park_until && t->park_until < pool.next_deadline)
                pool.next_deadline = t->park_until;
            if (pool.nparked == pool.capparked) {
                pool.capparked = pool.capparked ? pool.capparked * 2 : 64;
                pool.parked = lm_realloc(pool.parked, sizeof(StreamTask *) * (size_t)pool.capparked);
            }
            t->park_slot = pool.nparked;
            pool.parked[pool.nparked++] = t;
        }
    }
    pthread_mutex_unlock(&pool.mu);
    return NULL;
}

/* ---- coordinator ---- */

/* The final state is set first, then on_finish runs (outside runtime locks), and only then do
 * waiters (stop, wait) return — so a STOP that returns has seen its job recorded. */
static void finish_job(StreamJob *job)
{
    pthread_mutex_lock(&job->mu);
    JobState st;
    if (atomic_load(&job->failed))
        st = JOB_FAILED;
    else if (atomic_load(&job->stopping) || atomic_load(&job->killed))
        st = JOB_STOPPED;
    else
        st = JOB_COMPLETED;
    job->state = st;
    char *msg = job->failure_message ? lm_strdup(job->failure_message) : NULL;
    pthread_mutex_unlock(&job->mu);
    if (job->spec.on_finish && !atomic_load(&job->killed))
        job->spec.on_finish(job->spec.on_finish_arg, job->spec.job_id, st, msg);
    lm_free(msg);
    pthread_mutex_lock(&job->mu);
    job->finished = true;
    pthread_cond_broadcast(&job->cond);
    pthread_mutex_unlock(&job->mu);
}

static void metric_counts(const OpMetric *om, int64 *in, int64 *out);

static void sample_rates(StreamJob *job, int64 now)
{
    for (int i = 0; i < job->ntasks; i++) {
        StreamTask *t = job->tasks[i];
        int64 blocked = atomic_load(&t->blocked_us);
        if (t->blocked_since)
            blocked += now - t->blocked_since;
        if (t->bp_prev_at) {
            double dt = (double)(now - t->bp_prev_at);
            t->backpressure = dt > 0 ? (double)(blocked - t->bp_prev_blocked) / dt : 0;
            if (t->backpressure < 0)
                t->backpressure = 0;
            if (t->backpressure > 1)
                t->backpressure = 1;
        }
        t->bp_prev_blocked = blocked;
        t->bp_prev_at = now;
        for (int m = 0; m < t->nmetrics; m++) {
            OpMetric *om = &t->metrics[m];
            int64 in, count;
            pthread_mutex_lock(&job->mu);
            metric_counts(om, &in, &count);
            pthread_mutex_unlock(&job->mu);
            if (om->rate_prev_at) {
                double dt = (double)(now - om->rate_prev_at) / 1e6;
                om->rate = dt > 0 ? (double)(count - om->rate_prev_count) / dt : 0;
            }
            om->rate_prev_count = count;
            om->rate_prev_at = now;
        }
    }
}

static void *coordinator_main(void *arg)
{
    (void)arg;
    int64 last_sample = 0;
    for (;;) {
        pthread_mutex_lock(&pool.mu);
        bool stop = pool.shutdown;
        pthread_mutex_unlock(&pool.mu);
        if (stop)
            break;
        int64 now = stream_monotonic_us();
        bool sample = now - last_sample >= 500000;
        if (sample)
            last_sample = now;
        pthread_mutex_lock(&pool.jobs_mu);
        for (StreamJob *job = pool.jobs; job; job = job->next_job) {
            if (job->finished)
                continue;
            checkpoint_tick(job);
            if (sample)
                sample_rates(job, now);
            pthread_mutex_lock(&job->mu);
            bool all_done = job->ndone == job->ntasks;
            pthread_mutex_unlock(&job->mu);
            if (all_done)
                finish_job(job);
        }
        pthread_mutex_unlock(&pool.jobs_mu);
        usleep(2000);
    }
    return NULL;
}

void stream_runtime_start(int nthreads)
{
    pthread_mutex_lock(&pool.mu);
    if (pool.started) {
        pthread_mutex_unlock(&pool.mu);
        return;
    }
    if (nthreads <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = cores > 0 ? (int)cores : 2;
    }
    pool.started = true;
    pool.shutdown = false;
    pool.nthreads = nthreads;
    pool.threads = lm_calloc((size_t)nthreads, sizeof(pthread_t));
    pthread_mutex_unlock(&pool.mu);
    for (int i = 0; i < nthreads; i++)
        pthread_create(&pool.threads[i], NULL, worker_main, NULL);
    pthread_create(&pool.coordinator, NULL, coordinator_main, NULL);
}

void stream_runtime_shutdown(void)
{
    pthread_mutex_lock(&pool.mu);
    if (!pool.started) {
        pthread_mutex_unlock(&pool.mu);
        return;
    }
    pool.shutdown = true;
    pthread_cond_broadcast(&pool.cond);
    pthread_mutex_unlock(&pool.mu);
    for (int i = 0; i < pool.nthreads; i++)
        pthread_join(pool.threads[i], NULL);
    pthread_join(pool.coordinator, NULL);
    pthread_mutex_lock(&pool.mu);
    lm_free(pool.threads);
    pool.threads = NULL;
    lm_free(pool.parked);
    pool.parked = NULL;
    pool.nparked = pool.capparked = 0;
    pool.qhead = pool.qtail = NULL;
    pool.started = false;
    pthread_mutex_unlock(&pool.mu);
}

/* ---- jobs ---- */

void stream_job_fail(StreamJob *job, const char *message)
{
    pthread_mutex_lock(&job->mu);
    if (!atomic_load(&job->failed)) {
        job->failure_message = lm_strdup(message ? message : "job failed");
        atomic_store(&job->failed, true);
    }
    pthread_mutex_unlock(&job->mu);
    for (int i = 0; i < job->ntasks; i++)
        atomic_store(&job->tasks[i]->cancel, true);
    wake_all(job);
}

static void free_job(StreamJob *job)
{
    for (int i = 0; i < job->ntasks; i++)
        if (job->tasks[i]) {
            if (job->tasks[i]->top || job->tasks[i]->sink)
                stream_task_close(job->tasks[i]);
            arena_destroy(job->tasks[i]->arena);
        }
    for (int i = 0; i < job->nchannels; i++)
        channel_destroy(job->channels[i]);
    lm_free(job->channels);
    lm_free(job->tasks);
    for (int i = 0; i < job->nparts; i++)
        storage_batch_destroy(job->parts[i].batch);
    lm_free(job->parts);
    for (int i = 0; i < job->out_n; i++)
        lm_free(job->out_rows[(job->out_head + i) % job->out_cap]);
    lm_free(job->failure_message);
    if (job->reconfig_arena)
        arena_destroy(job->reconfig_arena);
    pthread_mutex_destroy(&job->mu);
    pthread_cond_destroy(&job->cond);
    arena_destroy(job->arena);
    lm_free(job);
}

/* Channel index of (producer subtask i -> consumer subtask j) of stage s's output. */
typedef struct StageChannels {
    int base; /* index of (0, 0) in job->channels */
    int nprod, ncons;
} StageChannels;

static void build_job(StreamJob *job)
{
    StreamGraph *g = job->graph;
    Arena *a = job->arena;
    StageChannels *sc = arena_new_array(a, StageChannels, g->nstages);
    int nch = 0;
    for (int s = 0; s < g->nstages; s++) {
        const StreamStage *st = &g->stages[s];
        if (st->out_stage < 0)
            continue;
        sc[s].base = nch;
        sc[s].nprod = st->parallelism;
        sc[s].ncons = g->stages[st->out_stage].parallelism;
        nch += sc[s].nprod * sc[s].ncons;
    }
    job->channels = lm_calloc((size_t)(nch > 0 ? nch : 1), sizeof(Channel *));
    for (int i = 0; i < nch; i++)
        job->channels[i] = channel_create(CHANNEL_CAPACITY);
    job->nchannels = nch;

    int ntasks = 0, nsinks = 0, nsources = 0;
    for (int s = 0; s < g->nstages; s++) {
        ntasks += g->stages[s].parallelism;
        if (g->stages[s].out_stage < 0)
            nsinks += g->stages[s].parallelism;
        if (g->stages[s].source_scan)
            nsources += g->stages[s].parallelism;
    }
    job->tasks = lm_calloc((size_t)ntasks, sizeof(StreamTask *));
    job->sinks = arena_new_array(a, StreamTask *, nsinks > 0 ? nsinks : 1);
    job->sources = arena_new_array(a, StreamTask *, nsources > 0 ? nsources : 1);
    job->sink_acked = arena_new_array(a, int64, nsinks > 0 ? nsinks : 1);
    job->sink_end_tag = arena_new_array(a, int64, nsinks > 0 ? nsinks : 1);
    for (int i = 0; i < nsinks; i++) {
        job->sink_acked[i] = job->last_checkpoint_id;
        job->sink_end_tag[i] = INT64_MAX;
    }

    /* build every task first (the sinks list must be complete before any runs) */
    for (int s = 0; s < g->nstages; s++) {
        const StreamStage *st = &g->stages[s];
        for (int j = 0; j < st->parallelism; j++) {
            Channel **inputs[2] = {NULL, NULL};
            int ninputs[2] = {0, 0};
            for (int k = 0; k < st->ninputs; k++) {
                const StreamInput *in = &st->inputs[k];
                int n = 0;
                for (int p = 0; p < in->nproducers; p++)
                    n += g->stages[in->producers[p]].parallelism;
                inputs[k] = arena_new_array(a, Channel *, n);
                for (int p = 0; p < in->nproducers; p++) {
                    int ps = in->producers[p];
                    for (int i = 0; i < sc[ps].nprod; i++) {
                        Channel *c = job->channels[sc[ps].base + i * sc[ps].ncons + j];
                        inputs[k][ninputs[k]++] = c;
                    }
                }
            }
            Channel **out = NULL;
            int nout = 0;
            if (st->out_stage >= 0) {
                out = arena_new_array(a, Channel *, sc[s].ncons);
                for (int c = 0; c < sc[s].ncons; c++)
                    out[c] = job->channels[sc[s].base + j * sc[s].ncons + c];
                nout = sc[s].ncons;
            }
            StreamTask *t = stream_task_build(job, st, j, inputs, ninputs, out, nout);
            job->tasks[job->ntasks++] = t;
            for (int c = 0; c < nout; c++)
                out[c]->producer = t;
            for (int k = 0; k < st->ninputs; k++)
                for (int c = 0; c < ninputs[k]; c++)
                    inputs[k][c]->consumer = t;
            if (st->out_stage < 0)
                job->sinks[job->nsinks++] = t;
            if (st->source_scan)
                job->sources[job->nsources++] = t;
        }
    }
    for (int i = 0; i < job->ntasks; i++)
        stream_task_open(job->tasks[i]);
}

static char *dup_str(Arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

StreamJob *stream_job_start(const JobSpec *spec)
{
    if (!pool.started)
        ereport(ERROR, errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                errmsg("the streaming runtime is not running"));
    StreamJob *volatile job = lm_calloc(1, sizeof(StreamJob));
    job->arena = arena_create("stream job", NULL);
    pthread_mutex_init(&job->mu, NULL);
    pthread_cond_init(&job->cond, NULL);
    job->spec = *spec;
    job->spec.job_id = dup_str(job->arena, spec->job_id);
    job->spec.pipeline_id = dup_str(job->arena, spec->pipeline_id);
    job->spec.pipeline_name = dup_str(job->arena, spec->pipeline_name);
    job->spec.query_text = dup_str(job->arena, spec->query_text);
    job->storage = spec->storage;
    job->state = JOB_RUNNING;
    job->out_cap = 100;
    job->out_at = arena_new_array(job->arena, int64, job->out_cap);
    job->out_rows = arena_new_array(job->arena, char *, job->out_cap);
    LM_TRY();
    {
        if (spec->build_graph == NULL)
            elog(ERROR, "a job needs a stream planner to build its graph");
        int par = spec->parallelism > 0 ? spec->parallelism : 1;
        job->graph = spec->build_graph(job->arena, spec->plan, par, spec->emit);
        checkpoint_job_init(job, job->arena);
        job->error_seq = stream_error_last_seq(job->storage, job->spec.job_id);
        atomic_store(&job->requested_id, job->last_checkpoint_id);
        job->last_trigger_at = stream_monotonic_us();
        build_job(job);
    }
    LM_CATCH();
    {
        free_job(job);
        error_rethrow();
    }
    LM_END_TRY();
    pthread_mutex_lock(&pool.jobs_mu);
    job->next_job = pool.jobs;
    pool.jobs = job;
    pthread_mutex_unlock(&pool.jobs_mu);
    pthread_mutex_lock(&pool.mu);
    for (int i = 0; i < job->ntasks; i++)
        enqueue_locked(job->tasks[i]);
    pthread_cond_broadcast(&pool.cond);
    pthread_mutex_unlock(&pool.mu);
    return job;
}

bool stream_job_wait(StreamJob *job, int64 timeout_ms)
{
    pthread_mutex_lock(&job->mu);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    while (!job->finished) {
        if (timeout_ms > 0) {
            if (pthread_cond_timedwait(&job->cond, &job->mu, &ts) != 0 && !job->finished) {
                pthread_mutex_unlock(&job->mu);
                return false;
            }
        } else
            pthread_cond_wait(&job->cond, &job->mu);
    }
    pthread_mutex_unlock(&job->mu);
    return true;
}

void stream_job_stop(StreamJob *job)
{
    pthread_mutex_lock(&job->mu);
    if (!job->finished && job->state == JOB_RUNNING)
        job->state = JOB_STOPPING;
    pthread_mutex_unlock(&job->mu);
    atomic_store(&job->stopping, true);
    stream_job_wait(job, 0);
}

void stream_job_suspend(StreamJob *job)
{
    pthread_mutex_lock(&job->mu);
    job->suspend = true;
    pthread_mutex_unlock(&job->mu);
    stream_job_stop(job);
}

void stream_job_kill(StreamJob *job)
{
    atomic_store(&job->killed, true);
    for (int i = 0; i < job->ntasks; i++)
        atomic_store(&job->tasks[i]->cancel, true);
    wake_all(job);
    stream_job_wait(job, 0);
}

JobState stream_job_state(StreamJob *job)
{
    pthread_mutex_lock(&job->mu);
    JobState s = job->state;
    pthread_mutex_unlock(&job->mu);
    return s;
}

void stream_job_release(StreamJob *job)
{
    if (job == NULL)
        return;
    pthread_mutex_lock(&job->mu);
    bool finished = job->finished;
    pthread_mutex_unlock(&job->mu);
    if (!finished)
        stream_job_stop(job);
    pthread_mutex_lock(&pool.jobs_mu);
    for (StreamJob **p = &pool.jobs; *p; p = &(*p)->next_job)
        if (*p == job) {
            *p = job->next_job;
            break;
        }
    pthread_mutex_unlock(&pool.jobs_mu);
    free_job(job);
}

void stream_job_stats(StreamJob *job, Arena *a, JobStats *out)
{
    memset(out, 0, sizeof *out);
    out->records_in = atomic_load(&job->records_in);
    out->records_out = atomic_load(&job->records_out);
    out->errors = atomic_load(&job->errors);
    out->late_records = atomic_load(&job->late_records);
    pthread_mutex_lock(&job->mu);
    out->last_checkpoint_id = job->completed_id;
    out->last_checkpoint_at = job->completed_at;
    out->failure_message = job->failure_message ? arena_strdup(a, job->failure_message) : NULL;
    pthread_mutex_unlock(&job->mu);
}

/* Under job->mu: an operator's counts, live or final. */
static void metric_counts(const OpMetric *om, int64 *in, int64 *out)
{
    if (om->op == NULL) {
        *in = atomic_load(&om->records_in);
        *out = atomic_load(&om->records_out);
        return;
    }
    *out = om->op->rows_out;
    if (om->is_source)
        *in = atomic_load(&om->records_in);
    else {
        *in = 0;
        for (int c = 0; c < om->op->nchildren; c++)
            *in += om->op->children[c]->rows_out;
    }
}

int stream_job_metrics(StreamJob *job, Arena *a, OperatorMetrics **out)
{
    int n = 0;
    for (int i = 0; i < job->ntasks; i++)
        n += job->tasks[i]->nmetrics;
    OperatorMetrics *m = arena_new_array(a, OperatorMetrics, n > 0 ? n : 1);
    int k = 0;
    int64 now = stream_now_us();
    pthread_mutex_lock(&job->mu);
    for (int i = 0; i < job->ntasks; i++) {
        StreamTask *t = job->tasks[i];
        for (int j = 0; j < t->nmetrics; j++) {
            OpMetric *om = &t->metrics[j];
            OperatorMetrics *r = &m[k++];
            r->operator_id = om->operator_id;
            r->operator = arena_strdup(a, om->name);
            r->subtask = t->subtask;
            metric_counts(om, &r->records_in, &r->records_out);
            if (om->is_source)
                r->bytes_in = atomic_load(&om->bytes_in);
            if (j == t->nmetrics - 1 && t->sender)
                r->bytes_out = sender_bytes_out(t->sender);
            r->records_per_second = om->rate;
            r->watermark = atomic_load(&om->watermark);
            r->lag = om->is_source ? atomic_load(&om->lag) : -1;
            r->state_bytes = atomic_load(&om->state_bytes);
            r->backpressure = t->backpressure;
            r->updated_at = now;
        }
    }
    pthread_mutex_unlock(&job->mu);
    *out = m;
    return k;
}

/* ---- forgetting a job's records ---- */

/*
 * Every key a job owns starts with one of these prefixes followed by the job
 * id (ids are "job_" + [0-9a-z], so no id is a prefix of another's key once
 * the terminator follows): CF_STATE "s" job NUL (stream_state.c); CF_META
 * "pos/" job "/" (stream_checkpoint.c), "chk/" and "err/" (the records the
 * views show), and the sinks' staged data "fsink/", "ksink/", "pgsink/"
 * (connectors/file_sink.c, kafka_sink.c, pg_sink.c).  Webhook buffers
 * (CF_INGEST "wh/" table) belong to the table, not to a job.  Each prefix is
 * removed with one delete_range [prefix, prefix with its last byte + 1).
 */
static void forget_range(StorageBatch *b, StorageCF cf, const char *head, const char *job_id,
                         char term)
{
    char from[200], to[200];
    size_t hl = strlen(head), jl = strlen(job_id);
    LM_ASSERT(hl + jl + 1 <= sizeof from);
    memcpy(from, head, hl);
    memcpy(from + hl, job_id, jl);
    from[hl + jl] = term;
    memcpy(to, from, hl + jl + 1);
    to[hl + jl] = (char)(term + 1);
    storage_batch_delete_range(b, cf, from, hl + jl + 1, to, hl + jl + 1);
}

static void forget(Storage *st, const char *job_id, bool records)
{
    static const char *const sink_heads[] = {"fsink/", "ksink/", "pgsink/"};
    StorageBatch *b = storage_batch_create();
    LM_TRY();
    {
        forget_range(b, CF_STATE, "s", job_id, '\0');
        forget_range(b, CF_META, "pos/", job_id, '/');
        if (records) {
            forget_range(b, CF_META, "chk/", job_id, '/');
            forget_range(b, CF_META, "err/", job_id, '/');
            for (size_t i = 0; i < sizeof sink_heads / sizeof sink_heads[0]; i++)
                forget_range(b, CF_META, sink_heads[i], job_id, '/');
        }
        storage_batch_commit(st, b, true);
    }
    LM_CATCH();
    {
        storage_batch_destroy(b);
        error_rethrow();
    }
    LM_END_TRY();
    storage_batch_destroy(b);
}

void stream_job_forget(Storage *st, const char *job_id)
{
    forget(st, job_id, true);
}

void stream_job_forget_state(Storage *st, const char *job_id)
{
    forget(st, job_id, false);
}
