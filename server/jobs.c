/*
 * jobs.c: the job manager (see jobs.h).
 *
 * Registry: a list of LiveJob entries under one mutex, one per job that has
 * (or is getting) a runtime handle.  Each entry owns an arena holding what
 * the runtime may read for the job's whole life: the bound plan, the query
 * text and the ids in the JobSpec.
 *
 * Catalog records follow the runtime.  Transitions are written under the
 * registry mutex, so a job that finishes while START is still setting its
 * pipeline "running" cannot be overwritten by it: on_finish (called from a
 * runtime thread) marks the entry finished and writes the final job and
 * pipeline states; START writes "running" only if the entry has not
 * finished.  No runtime call is made while holding the mutex (the runtime
 * may hold its own locks when it calls on_finish), and catalog writes never
 * call back into this file.
 *
 * Handles are released lazily (jobs_sweep, run by the statements and views
 * that use the registry): a finished entry nobody is using has its final
 * counters recorded in the job's catalog record, then its handle and arena
 * are freed.  Entries in use by a view (refs) or by a STOP waiting for the
 * job are kept until they are free.
 *
 * Counters: the runtime counts one run of a job.  The job record keeps the
 * totals of the runs before (written when a run ends or is suspended at
 * shutdown), and views add the current run's.  After kill -9 the counts of
 * the interrupted run since the last clean stop are lost (the data is not:
 * the job resumes from its last checkpoint), and records replayed after the
 * checkpoint are counted again.
 *
 * Recovery: at start-up every pipeline whose state is starting or running
 * and whose job record says running is resumed with JobSpec.restore (the
 * same job id, restarts + 1).  A job that was stopping is recorded as
 * stopped: its last checkpoint is what the user keeps.  Shutdown suspends
 * the jobs (final checkpoint; a STOPPED report for a suspended job is not
 * recorded, so they still read "running" and resume).
 *
 * START makes a new job from scratch: the previous job's operator state and
 * source positions are forgotten (stream_job_forget_state); its checkpoint
 * and error records stay for the views until the pipeline is dropped.
 *
 * ALTER SINK TABLE: the DDL refuses options that cannot change under a
 * running job (jobs_pipeline_writing names the pipeline); after the ALTER
 * commits, jobs_reconfigure_sink hands the committed table record to every
 * running job writing into it (stream_job_reconfigure_sink: flush at a
 * checkpoint, then the sinks reopen with the new options).
 *
 * Races between sessions: the move to "starting" re-reads the pipeline under
 * the mutex (two STARTs at once make one job, the other gets 55006); a STOP
 * while another session's STOP of the same job is under way waits for that
 * one to end.
 */
#include "server/jobs.h"
#include "planner/stream_plan.h"
#include "common/log.h"
#include "server/pipelines.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

/* How long a committed ALTER SINK TABLE waits for a running job's sinks to reopen. */
#define RECONFIGURE_TIMEOUT_MS 30000

typedef struct LiveJob {
    struct LiveJob *next;
    Arena *arena; /* the plan, the spec's strings; freed with the entry */
    char *job_id;
    char *pipeline_id;
    char *pipeline_name;
    char *sink_table_id; /* the sink table the job writes (NULL: a plain table or not bound yet) */
    StreamJob *job;  /* NULL while starting */
    int refs;        /* callers using job outside the mutex */
    bool finished;   /* the runtime reported COMPLETED, FAILED or STOPPED */
    bool suspending; /* server shutdown: a STOPPED report is not recorded */
    bool stopping;   /* a STOP PIPELINE is waiting for the job */
    JobState final_state;
    /* counters of the runs before this one (the job record's at start) */
    int64 base_in, base_out, base_errors;
} LiveJob;

/* The stream planner, handed to the runtime (it sits below the planner and cannot call it). */
static StreamGraph *build_stream_graph(Arena *a, const PlanNode *plan, int parallelism,
                                       EmitMode emit)
{
    stream_plan_check_emit(a, plan, emit);
    return stream_plan_build(a, plan, parallelism, emit);
}

static pthread_mutex_t jobs_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_changed = PTHREAD_COND_INITIALIZER; /* an entry finished */
static LiveJob *live_jobs;
static Storage *jobs_storage;
static bool runtime_running;

/* Runs body; an ERROR is logged (with what) instead of propagating.  For runtime threads and
 * start-up/shutdown paths, where there is no client to tell. */
#define LOG_ERRORS(what, ...)                                                                      \
    do {                                                                                           \
        LM_TRY();                                                                                  \
        {                                                                                          \
            __VA_ARGS__;                                                                           \
        }                                                                                          \
        LM_CATCH();                                                                                \
        {                                                                                          \
            ErrorData *e__ = error_current();                                                      \
            lm_log(LOG_WARN, "jobs: %s: %s", (what), e__->message ? e__->message : "error");       \
            error_clear();                                                                         \
        }                                                                                          \
        LM_END_TRY();                                                                              \
    } while (0)

static CatJobState cat_state(JobState s)
{
    switch (s) {
    case JOB_RUNNING:
        return CAT_JOB_RUNNING;
    case JOB_COMPLETED:
        return CAT_JOB_COMPLETED;
    case JOB_FAILED:
        return CAT_JOB_FAILED;
    case JOB_STOPPING:
        return CAT_JOB_STOPPING;
    case JOB_STOPPED:
        return CAT_JOB_STOPPED;
    }
    return CAT_JOB_FAILED;
}

/* Writes a job's state (and failure, finish time when it ended); caller holds jobs_mutex. */
static void record_job_state(const char *job_id, CatJobState state, const char *failure)
{
    Arena *a = arena_create("job record", NULL);
    LM_TRY();
    {
        CatJob *j = catalog_get_job(a, job_id);
        if (j) {
            j->state = state;
            if (failure)
                j->failure_message = (char *)failure;
            if (state == CAT_JOB_COMPLETED || state == CAT_JOB_FAILED || state == CAT_JOB_STOPPED)
                j->finished_at = catalog_now();
            catalog_put_job(j);
        }
    }
    LM_CATCH();
    {
        arena_destroy(a);
        error_rethrow();
    }
    LM_END_TRY();
    arena_destroy(a);
}

/* Not inlined: callers use LM_TRY, and a loop variable inlined there trips -Wclobbered. */
static __attribute__((noinline)) LiveJob *find_live(const char *pipeline_id)
{
    for (LiveJob *l = live_jobs; l; l = l->next)
        if (strcmp(l->pipeline_id, pipeline_id) == 0 && !l->finished)
            return l;
    return NULL;
}

static void unlink_live(LiveJob *entry)
{
    for (LiveJob **pp = &live_jobs; *pp; pp = &(*pp)->next)
        if (*pp == entry) {
            *pp = entry->next;
            return;
        }
}

/* ---- runtime callback ---- */

/* Called from a runtime thread when the job reached COMPLETED, FAILED or STOPPED. */
static void on_finish(void *arg, const char *job_id, JobState state, const char *failure_message)
{
    LiveJob *entry = arg;
    pthread_mutex_lock(&jobs_mutex);
    entry->finished = true;
    entry->final_state = state;
    if (!(entry->suspending && state == JOB_STOPPED)) {
        /* A completed job's pipeline is stopped (seed 001 has no "completed" pipeline). */
        LOG_ERRORS("recording the end of a job", {
            record_job_state(job_id, cat_state(state), failure_message);
            catalog_set_pipeline_state(entry->pipeline_id,
                                       state == JOB_FAILED ? PIPELINE_FAILED : PIPELINE_STOPPED,
                                       NULL, state == JOB_FAILED ? failure_message : NULL);
        });
        if (state == JOB_FAILED)
            lm_log(LOG_WARN, "job %s of pipeline \"%s\" failed: %s", job_id, entry->pipeline_name,
                   failure_message ? failure_message : "(no message)");
        else
            lm_log(LOG_INFO, "job %s of pipeline \"%s\" %s", job_id, entry->pipeline_name,
                   job_state_name(state));
    }
    pthread_cond_broadcast(&jobs_changed);
    pthread_mutex_unlock(&jobs_mutex);
}

/* ---- final counters and release ---- */

/* Records the job's totals (previous runs + this one) and last checkpoint; keeps its state. */
static void record_counters(LiveJob *entry)
{
    Arena *a = arena_create("job counters", NULL);
    LOG_ERRORS("recording job counters", {
        JobStats st = {0};
        stream_job_stats(entry->job, a, &st);
        pthread_mutex_lock(&jobs_mutex);
        LM_TRY();
        {
            CatJob *j = catalog_get_job(a, entry->job_id);
            if (j) {
                j->records_in = entry->base_in + st.records_in;
                j->records_out = entry->base_out + st.records_out;
                j->errors = entry->base_errors + st.errors;
                if (st.last_checkpoint_id > 0) {
                    j->last_checkpoint_id = st.last_checkpoint_id;
                    j->last_checkpoint_at = st.last_checkpoint_at;
                }
                if (j->state == CAT_JOB_FAILED && j->failure_message == NULL && st.failure_message)
                    j->failure_message = st.failure_message;
                catalog_put_job(j);
            }
        }
        LM_CATCH();
        {
            pthread_mutex_unlock(&jobs_mutex);
            error_rethrow();
        }
        LM_END_TRY();
        pthread_mutex_unlock(&jobs_mutex);
    });
    arena_destroy(a);
}

static void free_entry(LiveJob *entry)
{
    if (entry->job) {
        StreamJob *job = entry->job;
        entry->job = NULL;
        LOG_ERRORS("releasing a job", stream_job_release(job));
    }
    arena_destroy(entry->arena);
    lm_free(entry);
}

void jobs_sweep(void)
{
    for (;;) {
        LiveJob *done = NULL;
        pthread_mutex_lock(&jobs_mutex);
        for (LiveJob *l = live_jobs; l; l = l->next)
            if (l->finished && l->refs == 0 && l->job != NULL) {
                done = l;
                break;
            }
        if (done)
            unlink_live(done);
        pthread_mutex_unlock(&jobs_mutex);
        if (done == NULL)
            return;
        record_counters(done);
        free_entry(done);
    }
}

/* ---- starting ---- */

/*
 * Starts a run of job `job` (a record already in the catalog) for pipeline p.  restore: resume
 * from its last checkpoint.  Raises on errors after recording them (job and pipeline failed).
 */
static void start_run(const CatPipeline *p, const CatJob *job, bool restore)
{
    LiveJob *entry = lm_calloc(1, sizeof(LiveJob));
    entry->arena = arena_create("job", NULL);
    Arena *a = entry->arena;
    entry->job_id = arena_strdup(a, job->id);
    entry->pipeline_id = arena_strdup(a, p->id);
    entry->pipeline_name = arena_strdup(a, p->name);
    entry->base_in = job->records_in;
    entry->base_out = job->records_out;
    entry->base_errors = job->errors;

    pthread_mutex_lock(&jobs_mutex);
    entry->next = live_jobs;
    live_jobs = entry;
    pthread_mutex_unlock(&jobs_mutex);

    StreamJob *volatile handle = NULL;
    LM_TRY();
    {
        if (!runtime_running)
            ereport(ERROR, errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("the streaming runtime is not running"));
        JobSpec spec = {0};
        spec.job_id = entry->job_id;
        spec.pipeline_id = entry->pipeline_id;
        spec.pipeline_name = entry->pipeline_name;
        spec.query_text = arena_strdup(a, p->query);
        spec.plan = pipelines_bind_stored(a, p);
        const Relation *target = spec.plan->target;
        if (target && target->table && target->table->kind == CAT_TABLE_SINK) {
            pthread_mutex_lock(&jobs_mutex);
            entry->sink_table_id = arena_strdup(a, target->table->id);
            pthread_mutex_unlock(&jobs_mutex);
        }
        spec.parallelism = p->parallelism > 0 ? p->parallelism : 1;
        spec.checkpoint_interval_ms =
            p->checkpoint_interval_ms > 0 ? p->checkpoint_interval_ms : 10000;
        spec.emit =
            p->emit && strcmp(p->emit, "on_update") == 0 ? EMIT_ON_UPDATE : EMIT_ON_WINDOW_CLOSE;
        spec.late_data =
            p->late_data && strcmp(p->late_data, "error") == 0 ? LATE_ERROR : LATE_DROP;
        spec.memory_limit = p->memory_limit;
        spec.storage = jobs_storage;
        spec.restore = restore;
        spec.build_graph = build_stream_graph;
        spec.on_finish = on_finish;
        spec.on_finish_arg = entry;
        handle = stream_job_start(&spec);
    }
    LM_CATCH();
    {
        ErrorData *e = error_copy(a, error_current());
        pthread_mutex_lock(&jobs_mutex);
        unlink_live(entry);
        LOG_ERRORS("recording a failed start", {
            record_job_state(entry->job_id, CAT_JOB_FAILED, e->message);
            catalog_set_pipeline_state(entry->pipeline_id, PIPELINE_FAILED, NULL, e->message);
        });
        pthread_mutex_unlock(&jobs_mutex);
        /* the error is raised from a's copy: keep it alive until it is thrown (copied) */
        error_clear();
        LM_TRY();
        {
            error_throw(e);
        }
        LM_CATCH();
        {
            arena_destroy(entry->arena);
            lm_free(entry);
            error_rethrow();
        }
        LM_END_TRY();
    }
    LM_END_TRY();

    pthread_mutex_lock(&jobs_mutex);
    entry->job = handle;
    if (!entry->finished)
        LOG_ERRORS("recording a started job",
                   catalog_set_pipeline_state(entry->pipeline_id, PIPELINE_RUNNING, NULL, NULL));
    pthread_mutex_unlock(&jobs_mutex);
}

const char *jobs_start_pipeline(Arena *a, const CatPipeline *p)
{
    CatJob j = {0};
    j.id = catalog_new_id(a, "job_");
    j.pipeline_id = p->id;
    j.pipeline_name = p->name;
    j.state = CAT_JOB_RUNNING;
    j.parallelism = p->parallelism;
    j.started_at = catalog_now();

    const char *volatile prev_job = NULL;

    /* Every move to "starting" happens under jobs_mutex: checking the state again here makes
     * two sessions starting the same pipeline at once start one job. */
    pthread_mutex_lock(&jobs_mutex);
    LM_TRY();
    {
        CatPipeline *now = catalog_get_pipeline(a, p->id);
        if (now == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("pipeline \"%s\" does not exist", p->name));
        prev_job = now->job_id;
        if (now->state == PIPELINE_STARTING || now->state == PIPELINE_RUNNING ||
            now->state == PIPELINE_STOPPING)
            ereport(ERROR, errcode(ERRCODE_OBJECT_IN_USE),
                    errmsg("pipeline \"%s\" is already running", p->name),
                    errdetail("Job %s is %s.", now->job_id ? now->job_id : "(none)",
                              catalog_pipeline_state_name(now->state)));
        catalog_put_job(&j); /* 42704 if the pipeline was dropped meanwhile */
        if (!catalog_set_pipeline_state(p->id, PIPELINE_STARTING, j.id, NULL))
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("pipeline \"%s\" does not exist", p->name));
    }
    LM_CATCH();
    {
        pthread_mutex_unlock(&jobs_mutex);
        error_rethrow();
    }
    LM_END_TRY();
    pthread_mutex_unlock(&jobs_mutex);
    /* the previous job is replaced (the new one starts from scratch): its operator state and
     * source positions go, its checkpoint and error records stay for the views */
    if (prev_job)
        LOG_ERRORS("forgetting the previous job's state",
                   stream_job_forget_state(jobs_storage, prev_job));
    lm_log(LOG_INFO, "starting job %s of pipeline \"%s\" (parallelism %d)", j.id, p->name,
           p->parallelism);
    start_run(p, &j, false);
    return j.id;
}

bool jobs_pipeline_has_live_job(const char *pipeline_id)
{
    pthread_mutex_lock(&jobs_mutex);
    bool found = find_live(pipeline_id) != NULL;
    pthread_mutex_unlock(&jobs_mutex);
    return found;
}

/* ---- stopping ---- */

void jobs_stop_pipeline(const CatPipeline *p)
{
    pthread_mutex_lock(&jobs_mutex);
    LiveJob *entry = find_live(p->id);
    if (entry == NULL || entry->job == NULL) {
        pthread_mutex_unlock(&jobs_mutex);
        /* No live job (it ended meanwhile, or never came back after a restart): the record
         * says running, so set it straight. */
        Arena *a = arena_create("stop", NULL);
        LM_TRY();
        {
            CatPipeline *now = catalog_get_pipeline(a, p->id);
            if (now && (now->state == PIPELINE_STARTING || now->state == PIPELINE_RUNNING ||
                        now->state == PIPELINE_STOPPING)) {
                if (now->job_id)
                    record_job_state(now->job_id, CAT_JOB_STOPPED, NULL);
                catalog_set_pipeline_state(p->id, PIPELINE_STOPPED, NULL, NULL);
            } else
                ereport(ERROR, errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("pipeline \"%s\" is not running", p->name));
        }
        LM_CATCH();
        {
            arena_destroy(a);
            error_rethrow();
        }
        LM_END_TRY();
        arena_destroy(a);
        return;
    }
    entry->refs++;
    if (entry->stopping) {
        /* another session is stopping it: wait for the same end */
        while (!entry->finished && entry->stopping)
            pthread_cond_wait(&jobs_changed, &jobs_mutex);
        bool finished = entry->finished;
        entry->refs--;
        pthread_mutex_unlock(&jobs_mutex);
        jobs_sweep();
        if (!finished)
            ereport(ERROR, errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("pipeline \"%s\" could not be stopped", p->name),
                    errdetail("Stopping it failed in another session."));
        return;
    }
    entry->stopping = true;
    LM_TRY();
    {
        record_job_state(entry->job_id, CAT_JOB_STOPPING, NULL);
        catalog_set_pipeline_state(entry->pipeline_id, PIPELINE_STOPPING, NULL, NULL);
    }
    LM_CATCH();
    {
        entry->refs--;
        entry->stopping = false;
        pthread_mutex_unlock(&jobs_mutex);
        error_rethrow();
    }
    LM_END_TRY();
    pthread_mutex_unlock(&jobs_mutex);

    lm_log(LOG_INFO, "stopping job %s of pipeline \"%s\"", entry->job_id, entry->pipeline_name);
    LM_TRY();
    {
        stream_job_stop(entry->job);
    }
    LM_CATCH();
    {
        pthread_mutex_lock(&jobs_mutex);
        entry->refs--;
        entry->stopping = false;
        pthread_cond_broadcast(&jobs_changed);
        pthread_mutex_unlock(&jobs_mutex);
        error_rethrow();
    }
    LM_END_TRY();

    pthread_mutex_lock(&jobs_mutex);
    entry->refs--;
    if (!entry->finished) {
        /* the runtime returned from a stop without reporting it: record it here */
        entry->finished = true;
        entry->final_state = JOB_STOPPED;
        LOG_ERRORS("recording a stopped job", {
            record_job_state(entry->job_id, CAT_JOB_STOPPED, NULL);
            catalog_set_pipeline_state(entry->pipeline_id, PIPELINE_STOPPED, NULL, NULL);
        });
    }
    pthread_cond_broadcast(&jobs_changed);
    pthread_mutex_unlock(&jobs_mutex);
    jobs_sweep();
}

/* ---- views ---- */

/* Live entries with a handle, each with refs taken; returns how many (array in a). */
static int grab_live(Arena *a, LiveJob ***out)
{
    pthread_mutex_lock(&jobs_mutex);
    int n = 0;
    for (LiveJob *l = live_jobs; l; l = l->next)
        n += l->job != NULL;
    LiveJob **arr = arena_new_array(a, LiveJob *, n + 1);
    int k = 0;
    for (LiveJob *l = live_jobs; l; l = l->next)
        if (l->job) {
            l->refs++;
            arr[k++] = l;
        }
    pthread_mutex_unlock(&jobs_mutex);
    *out = arr;
    return k;
}

static void drop_refs(LiveJob **arr, int n)
{
    pthread_mutex_lock(&jobs_mutex);
    for (int i = 0; i < n; i++)
        arr[i]->refs--;
    pthread_mutex_unlock(&jobs_mutex);
}

CatJob *jobs_list(Arena *a, int *n)
{
    jobs_sweep();
    CatJob *jobs = catalog_list_jobs(a, n);
    LiveJob **live;
    int nlive = grab_live(a, &live);
    LM_TRY();
    {
        for (int i = 0; i < nlive; i++) {
            JobStats st = {0};
            stream_job_stats(live[i]->job, a, &st);
            for (int k = 0; k < *n; k++) {
                CatJob *j = &jobs[k];
                if (strcmp(j->id, live[i]->job_id) != 0)
                    continue;
                j->records_in = live[i]->base_in + st.records_in;
                j->records_out = live[i]->base_out + st.records_out;
                j->errors = live[i]->base_errors + st.errors;
                if (st.last_checkpoint_id > 0) {
                    j->last_checkpoint_id = st.last_checkpoint_id;
                    j->last_checkpoint_at = st.last_checkpoint_at;
                }
                if (j->failure_message == NULL && st.failure_message)
                    j->failure_message = st.failure_message;
            }
        }
    }
    LM_CATCH();
    {
        drop_refs(live, nlive);
        error_rethrow();
    }
    LM_END_TRY();
    drop_refs(live, nlive);
    return jobs;
}

void jobs_for_each(void (*fn)(void *arg, const char *job_id, StreamJob *job), void *arg)
{
    jobs_sweep();
    Arena *a = arena_create("jobs_for_each", NULL);
    LiveJob **live;
    int nlive = grab_live(a, &live);
    LM_TRY();
    {
        for (int i = 0; i < nlive; i++)
            fn(arg, live[i]->job_id, live[i]->job);
    }
    LM_CATCH();
    {
        drop_refs(live, nlive);
        arena_destroy(a);
        error_rethrow();
    }
    LM_END_TRY();
    drop_refs(live, nlive);
    arena_destroy(a);
}

/* ---- sink reconfiguration ---- */

const char *jobs_pipeline_writing(Arena *a, const char *table_id)
{
    const char *name = NULL;
    pthread_mutex_lock(&jobs_mutex);
    for (LiveJob *l = live_jobs; l && name == NULL; l = l->next)
        if (!l->finished && l->sink_table_id && strcmp(l->sink_table_id, table_id) == 0)
            name = arena_strdup(a, l->pipeline_name);
    pthread_mutex_unlock(&jobs_mutex);
    return name;
}

void jobs_reconfigure_sink(const char *table_id)
{
    jobs_sweep();
    Arena *a = arena_create("jobs_reconfigure_sink", NULL);
    pthread_mutex_lock(&jobs_mutex);
    int n = 0;
    for (LiveJob *l = live_jobs; l; l = l->next)
        n += l->job != NULL && !l->finished;
    LiveJob **live = arena_new_array(a, LiveJob *, n + 1);
    int k = 0;
    for (LiveJob *l = live_jobs; l; l = l->next)
        if (l->job && !l->finished && l->sink_table_id && strcmp(l->sink_table_id, table_id) == 0) {
            l->refs++;
            live[k++] = l;
        }
    pthread_mutex_unlock(&jobs_mutex);
    for (int i = 0; i < k; i++) {
        LOG_ERRORS("applying new sink options to a running job", {
            CatTable *t = catalog_get_table(a, table_id);
            if (t && !stream_job_reconfigure_sink(live[i]->job, t, RECONFIGURE_TIMEOUT_MS))
                lm_log(LOG_WARN,
                       "job %s of pipeline \"%s\": the new options of sink table \"%s\" were not "
                       "applied to the running job (they apply at its next start)",
                       live[i]->job_id, live[i]->pipeline_name, t->name);
            else if (t)
                lm_log(LOG_INFO, "job %s of pipeline \"%s\" runs with the new options of sink "
                       "table \"%s\"", live[i]->job_id, live[i]->pipeline_name, t->name);
        });
    }
    drop_refs(live, k);
    arena_destroy(a);
}

/* ---- start-up and shutdown ---- */

/* Resumes (or settles) the job of one pipeline that was active when the server went down. */
static void resume_pipeline(Arena *a, const CatPipeline *p)
{
    CatJob *job = p->job_id ? catalog_get_job(a, p->job_id) : NULL;
    if (job == NULL) {
        lm_log(LOG_WARN, "pipeline \"%s\" was %s without a job; marking it failed", p->name,
               catalog_pipeline_state_name(p->state));
        catalog_set_pipeline_state(p->id, PIPELINE_FAILED, NULL,
                                   "the server stopped while the pipeline was starting");
        return;
    }
    if (job->state == CAT_JOB_STOPPING) {
        /* a STOP was under way: the last completed checkpoint is what it keeps */
        record_job_state(job->id, CAT_JOB_STOPPED, NULL);
        catalog_set_pipeline_state(p->id, PIPELINE_STOPPED, NULL, NULL);
        return;
    }
    if (job->state != CAT_JOB_RUNNING) {
        /* the job ended but the pipeline's record did not follow (crash in between) */
        catalog_set_pipeline_state(
            p->id, job->state == CAT_JOB_FAILED ? PIPELINE_FAILED : PIPELINE_STOPPED, NULL,
            job->failure_message);
        return;
    }
    job->restarts++;
    catalog_put_job(job);
    lm_log(LOG_INFO, "resuming job %s of pipeline \"%s\" (restart %d)", job->id, p->name,
           job->restarts);
    start_run(p, job, true);
}

void jobs_startup(Storage *st, int nthreads)
{
    jobs_storage = st;
    if (nthreads <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = cores > 0 ? (int)cores : 2;
    }
    stream_runtime_start(nthreads);
    runtime_running = true;

    Arena *a = arena_create("jobs startup", NULL);
    int n = 0;
    /* the catalog is loaded and no session runs yet: listing cannot fail but for memory */
    CatPipeline *ps = catalog_list_pipelines(a, &n);
    for (int i = 0; i < n; i++) {
        const CatPipeline *p = &ps[i];
        if (p->state != PIPELINE_STARTING && p->state != PIPELINE_RUNNING &&
            p->state != PIPELINE_STOPPING)
            continue;
        LOG_ERRORS(p->name, resume_pipeline(a, p));
    }
    arena_destroy(a);
}

void jobs_shutdown(void)
{
    if (!runtime_running)
        return;
    Arena *a = arena_create("jobs shutdown", NULL);
    pthread_mutex_lock(&jobs_mutex);
    for (LiveJob *l = live_jobs; l; l = l->next)
        l->suspending = true;
    pthread_mutex_unlock(&jobs_mutex);

    LiveJob **live;
    int nlive = grab_live(a, &live);
    for (int i = 0; i < nlive; i++) {
        bool finished;
        pthread_mutex_lock(&jobs_mutex);
        finished = live[i]->finished;
        pthread_mutex_unlock(&jobs_mutex);
        if (!finished) {
            lm_log(LOG_INFO, "suspending job %s of pipeline \"%s\"", live[i]->job_id,
                   live[i]->pipeline_name);
            LOG_ERRORS("suspending a job", stream_job_suspend(live[i]->job));
        }
    }
    drop_refs(live, nlive);

    /* record everyone's counters and release them */
    for (;;) {
        pthread_mutex_lock(&jobs_mutex);
        LiveJob *entry = live_jobs;
        if (entry)
            unlink_live(entry);
        pthread_mutex_unlock(&jobs_mutex);
        if (entry == NULL)
            break;
        if (entry->job)
            record_counters(entry);
        free_entry(entry);
    }
    arena_destroy(a);
    LOG_ERRORS("stopping the worker pool", stream_runtime_shutdown());
    runtime_running = false;
}

/* ---- live data for the views ---- */

/* Rows gathered from every live job: elem-sized records plus the job id of each. */
typedef struct Gather {
    Arena *a;
    bool metrics; /* else output */
    int n, cap;
    char *items;
    size_t elem;
    const char **ids;
} Gather;

static void gather_push(Gather *g, const char *job_id, const void *recs, int n)
{
    if (g->n + n > g->cap) {
        int cap = g->cap ? g->cap : 16;
        while (cap < g->n + n)
            cap *= 2;
        g->items = arena_realloc(g->a, g->items, g->elem * (size_t)g->cap, g->elem * (size_t)cap);
        g->ids = arena_realloc(g->a, g->ids, sizeof(char *) * (size_t)g->cap,
                               sizeof(char *) * (size_t)cap);
        g->cap = cap;
    }
    const char *id = arena_strdup(g->a, job_id);
    memcpy(g->items + g->elem * (size_t)g->n, recs, g->elem * (size_t)n);
    for (int i = 0; i < n; i++)
        g->ids[g->n + i] = id;
    g->n += n;
}

static void gather_job(void *arg, const char *job_id, StreamJob *job)
{
    Gather *g = arg;
    if (g->metrics) {
        OperatorMetrics *m = NULL;
        int n = stream_job_metrics(job, g->a, &m);
        if (n > 0)
            gather_push(g, job_id, m, n);
    } else {
        JobOutputRecord *o = NULL;
        int n = stream_job_output(job, g->a, &o);
        if (n > 0)
            gather_push(g, job_id, o, n);
    }
}

int jobs_metrics(Arena *a, const char ***job_ids, OperatorMetrics **out)
{
    Gather g = {.a = a, .metrics = true, .elem = sizeof(OperatorMetrics)};
    jobs_for_each(gather_job, &g);
    *job_ids = g.ids;
    *out = (OperatorMetrics *)g.items;
    return g.n;
}

int jobs_output(Arena *a, const char ***job_ids, JobOutputRecord **out)
{
    Gather g = {.a = a, .metrics = false, .elem = sizeof(JobOutputRecord)};
    jobs_for_each(gather_job, &g);
    *job_ids = g.ids;
    *out = (JobOutputRecord *)g.items;
    return g.n;
}
