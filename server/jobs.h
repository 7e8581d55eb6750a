/*
 * jobs.h: the job manager — the live streaming jobs of this server.
 *
 * A job is one run of a pipeline (START PIPELINE).  The manager keeps the
 * runtime handle of every job that has one (executor/stream.h's StreamJob),
 * keeps the catalog's job and pipeline records in step with what the runtime
 * reports, resumes at start-up every job that was running when the server
 * went down (cleanly or by kill -9), and suspends all jobs at shutdown (final
 * checkpoint; they stay "running" in the catalog so the next start resumes
 * them).
 */
#ifndef LM_JOBS_H
#define LM_JOBS_H

#include "executor/stream.h"
#include "storage/catalog.h"

/* Starts the worker pool (nthreads <= 0: one per core) and resumes the jobs that were running.
 * Call after catalog_init, before accepting connections.  A job that cannot resume is marked
 * failed with the reason; the server starts anyway. */
void jobs_startup(Storage *st, int nthreads);
/* Suspends every running job (final checkpoint), records their counters, releases them and
 * stops the worker pool.  Call before catalog_shutdown / storage_close. */
void jobs_shutdown(void);

/* Starts a new job for pipeline p (the committed record): binds its body again (catalog
 * changes since CREATE count), records the job and sets the pipeline running.  Returns the
 * job id (in a).  Errors of binding or starting mark the job and pipeline failed and are
 * raised. */
const char *jobs_start_pipeline(Arena *a, const CatPipeline *p);
/* Graceful stop of p's running job (final checkpoint, sinks committed); waits until done.
 * 55000 when it has no running job. */
void jobs_stop_pipeline(const CatPipeline *p);
/* true when p has a job with a runtime handle that has not finished. */
bool jobs_pipeline_has_live_job(const char *pipeline_id);

/* The name (in a) of a pipeline with a running (or starting) job writing into the sink table
 * table_id; NULL if there is none. */
const char *jobs_pipeline_writing(Arena *a, const char *table_id);
/* After an ALTER SINK TABLE committed: every running job writing into table_id flushes what
 * its sinks hold (a checkpoint) and reopens them with the table's committed options, without
 * stopping (stream_job_reconfigure_sink; waits up to 30 s per job).  Failures are logged: the
 * options then apply at the job's next start. */
void jobs_reconfigure_sink(const char *table_id);

/* Every job record (by start time) with running jobs' counters and last checkpoint brought up
 * to date. */
CatJob *jobs_list(Arena *a, int *n);
/* Calls fn for every job with a runtime handle; the handle stays valid during the call. */
void jobs_for_each(void (*fn)(void *arg, const char *job_id, StreamJob *job), void *arg);
/* Metrics (per operator and subtask) and last output rows of every running job, in a;
 * (*job_ids)[i] is the job of (*out)[i].  Return the number of entries. */
int jobs_metrics(Arena *a, const char ***job_ids, OperatorMetrics **out);
int jobs_output(Arena *a, const char ***job_ids, JobOutputRecord **out);
/* Releases the handles of jobs that have finished (their final counters are recorded). */
void jobs_sweep(void);

#endif
