/*
 * stream.h: the streaming runtime's contract — jobs, stream operators and
 * their state, checkpoints.
 *
 * A pipeline's bound plan (PLAN_INSERT into a sink or plain table over a
 * query on source tables) is turned by the stream planner into a graph of
 * stages; each stage runs `parallelism` subtasks; a subtask is a chain of
 * Operators (exec.h: pull-based, events BATCH / WATERMARK / BARRIER / END /
 * IDLE) run as a task on the shared worker pool.  Stages are connected by
 * exchanges (bounded queues; hash-partitioned on grouping/join keys, or
 * forward) so a slow consumer stops its producers (backpressure) instead of
 * growing memory.
 *
 * Streaming operators see every event kind.  BATCH may carry Batch.ops
 * (changelog).  WATERMARK says no later row will have event time below it
 * (windows close on it).  BARRIER(checkpoint id): an operator with several
 * inputs stops reading an input once its barrier arrived there until it has
 * arrived on all (alignment); then the operator writes its state
 * (snapshot), forwards the barrier, and goes on.  IDLE: nothing now — return
 * IDLE upward so the task yields its worker thread.
 *
 * State: operators keep working state in memory and write it at each
 * barrier through a StateWriter into the checkpoint's RocksDB batch, under a
 * key prefix of (job, operator id, subtask); the checkpoint commits state,
 * source positions and sink output in one synced write.  On restore every
 * operator reads back exactly what it wrote at the last completed
 * checkpoint.  A job past its memory limit fails with 53200 (never an OOM
 * kill of the server).
 */
#ifndef LM_STREAM_H
#define LM_STREAM_H

#include "executor/exec.h"
#include "common/strbuf.h"
#include "storage/catalog.h"
#include "storage/storage.h"

typedef struct StateWriter StateWriter;
typedef struct StateReader StateReader;
typedef struct StreamContext StreamContext;

/* Key/value state of one operator subtask, written at a checkpoint.  put/delete change single
 * keys (incremental snapshots); clear removes every key of this operator subtask first (full
 * snapshots).  Keys are the operator's own; the prefix is added by the runtime. */
void state_put(StateWriter *w, const void *key, size_t klen, const void *val, size_t vlen);
void state_delete(StateWriter *w, const void *key, size_t klen);
void state_clear(StateWriter *w);
/* Restore: iterates what the operator wrote, in key order.  Returns false at the end. */
bool state_next(StateReader *r, const char **key, size_t *klen, const char **val, size_t *vlen);

typedef enum EmitMode { EMIT_ON_WINDOW_CLOSE = 0, EMIT_ON_UPDATE } EmitMode;
typedef enum LateDataMode { LATE_DROP = 0, LATE_ERROR } LateDataMode;

/* What a streaming operator needs from its job (ExecContext.stream; NULL in bounded queries). */
struct StreamContext {
    const char *job_id;
    int subtask;
    int parallelism;
    EmitMode emit;
    LateDataMode late_data;
    int64 memory_limit; /* bytes for the whole job; 0: none */
    /* the runtime's per-subtask handles (opaque here) */
    void *runtime;
};

/*
 * Hooks a stream operator calls (implemented by the runtime).  operator_id is the operator's
 * stable number in the job graph (the same after a restart), so its state is found again.
 */
StateWriter *stream_state_writer(Operator *op, int64 checkpoint_id);
StateReader *stream_state_reader(Operator *op); /* NULL: nothing to restore (fresh start) */
/* Late rows (behind the watermark): counted; with LATE_ERROR also recorded in job_errors. */
void stream_report_late(Operator *op, const Batch *b, int row, int64 event_time, int64 watermark);
/* A bad record or runtime problem shown in laminar.job_errors (the job goes on). */
void stream_report_error(Operator *op, const char *code, const char *message,
                         const char *details_json, const char *sample, size_t sample_len);
/* Adds delta bytes to the job's state memory; raises 53200 when over the limit. */
void stream_account_memory(Operator *op, int64 delta);
/* State bytes this operator holds now (metrics: laminar.job_metrics.state_bytes). */
void stream_set_state_bytes(Operator *op, int64 bytes);

/* ---- jobs ---- */

typedef enum JobState {
    JOB_RUNNING = 0,
    JOB_COMPLETED,
    JOB_FAILED,
    JOB_STOPPING,
    JOB_STOPPED,
} JobState;

const char *job_state_name(JobState s); /* "running", "completed", ... */

typedef struct StreamJob StreamJob;

typedef struct JobSpec {
    const char *job_id;
    const char *pipeline_id;
    const char *pipeline_name;
    const PlanNode *plan; /* bound PLAN_INSERT into a sink or plain table (allow_stream_targets) */
    const char *query_text;
    int parallelism;
    int64 checkpoint_interval_ms;
    EmitMode emit;
    LateDataMode late_data;
    int64 memory_limit; /* bytes; 0 none */
    Storage *storage;
    bool restore; /* resume from the job's last completed checkpoint (after a restart) */
    /* Builds the stage graph of plan (planner/stream_plan.c's stream_plan_build, after its
     * emit check), handed down by the caller so the executor never calls up into the planner;
     * the graph is allocated in the given arena, which lives as long as the job. */
    struct StreamGraph *(*build_graph)(Arena *a, const PlanNode *plan, int parallelism,
                                       EmitMode emit);
    /* called (from a runtime thread) when the job reaches COMPLETED, FAILED or STOPPED */
    void (*on_finish)(void *arg, const char *job_id, JobState state, const char *failure_message);
    void *on_finish_arg;
} JobSpec;

/* Checks at CREATE PIPELINE time that the plan can run as a stream (e.g. a non-windowed
 * aggregate cannot feed an append-only sink: 0A000/42P17 with the location). */
void stream_plan_check(Arena *a, const PlanNode *plan);
/* EXPLAIN PIPELINE: the stage graph with operators, exchanges and parallelism, as text lines. */
void stream_explain(Arena *a, const PlanNode *plan, int parallelism, StrBuf *out);

/* Builds the graph and starts the job's tasks on the worker pool (raises on errors). */
StreamJob *stream_job_start(const JobSpec *spec);
/* Graceful stop: final checkpoint, sinks committed, then STOPPED.  Waits until done. */
void stream_job_stop(StreamJob *job);
/* Server shutdown: like stop (final checkpoint) but the job counts as still running, so it
 * resumes at the next start. */
void stream_job_suspend(StreamJob *job);
JobState stream_job_state(StreamJob *job);
/* ALTER SINK TABLE while the job runs: applies table (the sink table's committed record with
 * its new options; copied) without stopping the job.  A checkpoint is triggered; each sink
 * subtask, once that checkpoint is committed (everything the sink held is then written and
 * visible, exactly once), closes its connector and opens it again with table's options and
 * last_committed = that checkpoint.  Waits up to timeout_ms until every sink subtask runs with
 * the new options; false on timeout or when the job is not running (stopping, ended, failed):
 * then the options apply at its next start, as for any job. */
bool stream_job_reconfigure_sink(StreamJob *job, const CatTable *table, int64 timeout_ms);
/* Frees a job that is no longer running. */
void stream_job_release(StreamJob *job);

typedef struct JobStats {
    int64 records_in;
    int64 records_out;
    int64 errors;
    int64 late_records;
    int64 last_checkpoint_id;
    int64 last_checkpoint_at; /* microseconds since epoch; 0 none */
    char *failure_message;
} JobStats;
void stream_job_stats(StreamJob *job, Arena *a, JobStats *out);

typedef struct OperatorMetrics {
    int operator_id;
    const char *operator; /* "TumbleAggregate", "Source(bids)", ... */
    int subtask;
    int64 records_in, records_out, bytes_in, bytes_out;
    double records_per_second;
    int64 watermark; /* microseconds since epoch; INT64_MIN none */
    int64 lag;       /* source lag in records (-1 unknown) */
    int64 state_bytes;
    double backpressure; /* fraction of recent time blocked on full output queues */
    int64 updated_at;
} OperatorMetrics;
int stream_job_metrics(StreamJob *job, Arena *a, OperatorMetrics **out);

/* The runtime's persistent records (CF_META), readable also for jobs that are not running. */
typedef struct JobErrorRecord {
    int64 at;
    const char *operator;
    const char *code;
    const char *message;
    const char *details_json;
    const char *sample;
} JobErrorRecord;
int stream_job_errors(Storage *st, Arena *a, const char *job_id, JobErrorRecord **out);

typedef struct JobOutputRecord {
    int64 at;
    const char *row_json;
} JobOutputRecord;
/* The last rows the job wrote (a bounded ring, newest last). */
int stream_job_output(StreamJob *job, Arena *a, JobOutputRecord **out);

typedef struct CheckpointRecord {
    int64 checkpoint_id;
    const char *state; /* "completed", "failed", "in_progress" */
    int64 started_at, completed_at;
    int64 bytes;
    int64 duration_ms;
} CheckpointRecord;
int stream_job_checkpoints(Storage *st, Arena *a, const char *job_id, CheckpointRecord **out);

/*
 * Removes a job's runtime data in one atomic, synced write: stream_job_forget
 * everything (operator state, source positions, checkpoint and error
 * records, sinks' staged data) -- for a dropped pipeline's jobs;
 * stream_job_forget_state only its operator state and source positions,
 * keeping the records the views show -- for a job replaced by a new START.
 * The job must not be running.
 */
void stream_job_forget(Storage *st, const char *job_id);
void stream_job_forget_state(Storage *st, const char *job_id);

/* Worker pool: started once with the server (threads = cores by default). */
void stream_runtime_start(int nthreads);
void stream_runtime_shutdown(void);

#endif
