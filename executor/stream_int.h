/*
 * stream_int.h: internals shared by the streaming runtime's files
 * (executor/stream_*.c) — jobs, tasks, channels, the worker pool.  Not used
 * outside the runtime (operators use stream.h / stream_ops.h).
 *
 * Ownership: a StreamJob (heap) owns its tasks, channels and the graph's
 * arena.  A task's operators, batches and connector state live in the
 * task's own arena (one thread at a time touches a task: the worker running
 * it).  Channels are shared by one producer and one consumer task and
 * guarded by their own mutex; the job's checkpoint bookkeeping by the job
 * mutex; the run queue by the pool mutex.
 */
#ifndef LM_STREAM_INT_H
#define LM_STREAM_INT_H

#include "executor/stream_ops.h"
#include "planner/stream_plan.h"
#include "connectors/runtime.h"

#include <pthread.h>
#include <stdatomic.h>

/* A watermark message meaning "this producer is idle: leave it out of the minimum". */
#define STREAM_WATERMARK_IDLE INT64_MAX

typedef struct StreamTask StreamTask;
typedef struct Channel Channel;

/* ---- channels (stream_exchange.c) ---- */

typedef enum MsgKind { MSG_BATCH = 0, MSG_WATERMARK, MSG_BARRIER, MSG_END } MsgKind;

typedef struct Message {
    MsgKind kind;
    Batch *batch;   /* MSG_BATCH: in arena */
    int64 value;    /* watermark / checkpoint id */
    Arena *arena;   /* owned by the slot, reset when reused */
    size_t bytes;
} Message;

struct Channel {
    pthread_mutex_t mu;
    int cap;
    Message *slots;
    int head;     /* oldest queued */
    int count;    /* queued, not counting the one the consumer holds */
    int held;     /* slot the consumer holds (-1 none) */
    StreamTask *producer;
    StreamTask *consumer;
    int64 bytes;  /* queued bytes */
    bool producer_blocked; /* the producer found the ring full and waits for a slot */
    bool consumer_waiting; /* the consumer found the ring empty and waits for a message */
};

Channel *channel_create(int cap);
void channel_destroy(Channel *c);

/* The receiving end of one stage input: an Operator (leaf of a chain). */
Operator *stream_receiver_create(ExecContext *ctx, const PlanNode *shape, Channel **channels,
                                 int nchannels);
int64 stream_receiver_watermark(Operator *op);

/* The sending end of a stage: partitions and queues events; false when blocked (full). */
typedef struct Sender Sender;
Sender *sender_create(Arena *a, ExecContext *ctx, const StreamStage *stage, Channel **channels,
                      int nchannels, int subtask);
/* Queues ev (a batch is copied); returns false if it could not all be queued now: the rest is
 * kept and sender_flush must be called until it returns true before the next event. */
bool sender_push(Sender *s, const ExecEvent *ev);
bool sender_flush(Sender *s);
int64 sender_bytes_out(const Sender *s);

/* ---- source / sink (stream_source.c, stream_sink.c) ---- */

Operator *stream_source_create(ExecContext *ctx, StreamTask *task, const StreamStage *stage,
                               const char *position, size_t position_len);
void stream_source_position(Operator *op, StrBuf *out);
int64 stream_source_watermark(Operator *op);
int64 stream_source_lag(Operator *op);

typedef struct SinkWriter SinkWriter;
SinkWriter *sink_writer_open(StreamTask *task, const StreamStage *stage, int64 last_committed);
/* Like sink_writer_open, with table (non-NULL) instead of the graph's target table: the options
 * of an ALTER SINK TABLE applied to the running job (stream_job_reconfigure_sink). */
SinkWriter *sink_writer_open_table(StreamTask *task, const StreamStage *stage,
                                   const CatTable *table, int64 last_committed);
void sink_writer_write(SinkWriter *w, const Batch *b);
void sink_writer_prepare(SinkWriter *w, int64 checkpoint_id, StorageBatch *cp);
void sink_writer_commit(SinkWriter *w, int64 checkpoint_id);
void sink_writer_close(SinkWriter *w);

/* Options of a table with profile, secrets and {{ ENV }} placeholders resolved. */
ResolvedOptions *stream_resolve_options(Arena *a, const CatTable *t);

/* ---- tasks and jobs (stream_runtime.c) ---- */

typedef enum TaskRunState { TASK_QUEUED = 0, TASK_RUNNING, TASK_PARKED, TASK_DONE } TaskRunState;

/* Metrics of one operator of a subtask. */
typedef struct OpMetric {
    int operator_id;
    const char *name;
    bool is_source, is_sink;
    Operator *op;       /* the live operator; NULL for the sink and once the task closed (then
                           the counters below hold its final counts); guarded by job->mu */
    Operator *input;
    atomic_llong records_in, records_out, bytes_in, bytes_out;
    atomic_llong watermark;
    atomic_llong lag;
    atomic_llong state_bytes;
    /* rate: sampled by the coordinator */
    int64 rate_prev_count, rate_prev_at;
    double rate;
} OpMetric;

struct StreamTask {
    StreamJob *job;
    const StreamStage *stage;
    int subtask;
    Arena *arena;
    ExecContext ctx;
    StreamContext sctx;
    atomic_bool cancel;
    Operator *top;     /* the chain's last operator */
    Operator *source;  /* source stages: the source operator (chain leaf) */
    int nchain;
    Operator **chain;  /* chain operators bottom-up (source/receivers first) */
    Sender *sender;    /* non-sink stages */
    SinkWriter *sink;  /* the sink stage */
    bool pending_out;  /* the sender holds an event not yet fully queued */
    bool opened;
    /* checkpoints */
    int64 last_barrier;      /* last checkpoint id this task passed */
    StorageBatch *cp_batch;  /* state written for the checkpoint being taken */
    int64 sink_committed;    /* sink: last checkpoint id committed */
    int64 sink_final;        /* sink: final checkpoint it waits for (0 none) */
    bool ended;              /* END reached the top */
    /* sink reconfiguration (stream_job_reconfigure_sink) */
    int64 reconfig_seen;     /* job->reconfig_gen applied by this sink (job->mu) */
    int64 reopen_at;         /* reopen the sink once this checkpoint is committed (0 none) */
    /* scheduling (pool mutex) */
    TaskRunState run;
    bool wake_again;
    int64 park_until;        /* microseconds (monotonic); 0: until woken */
    int park_slot;           /* index in the pool's parked list while parked */
    StreamTask *next_queued;
    /* metrics */
    int nmetrics;
    OpMetric *metrics;
    int64 blocked_since;     /* monotonic us; 0 not blocked */
    atomic_llong blocked_us; /* total time blocked on full output queues */
    int64 bp_prev_blocked, bp_prev_at;
    double backpressure;
    /* state bytes reported through stream_set_state_bytes, per chain operator */
};

typedef struct CheckpointPart {
    int64 tag; /* checkpoint id it belongs to */
    StorageBatch *batch;
} CheckpointPart;

struct StreamJob {
    JobSpec spec;     /* strings copied into arena */
    Arena *arena;     /* graph, tasks' bookkeeping (not the tasks' own arenas) */
    StreamGraph *graph;
    Storage *storage;
    int ntasks;
    StreamTask **tasks;
    int nchannels;
    Channel **channels;
    int nsinks;       /* sink subtasks */
    StreamTask **sinks;
    int nsources;
    StreamTask **sources;

    pthread_mutex_t mu;
    pthread_cond_t cond;
    JobState state;
    bool finished;        /* on_finish called (or due) */
    bool released;
    char *failure_message;
    atomic_bool failed;
    atomic_bool killed;   /* simulated crash: stop without checkpoint or commit */
    atomic_bool stopping; /* stop or suspend requested */
    bool suspend;
    int ndone;            /* tasks done */

    /* checkpoints (mu) */
    int64 last_checkpoint_id;    /* highest id handed out */
    int64 completed_id;          /* last completed (durable) */
    int64 completed_at;
    atomic_llong requested_id;   /* sources inject a barrier when this exceeds their last */
    int64 final_id;              /* stop: the final checkpoint (sources end after it) */
    atomic_bool stop_after_barrier;
    int64 in_progress_id;        /* 0 none */
    int64 in_progress_started;
    int64 last_trigger_at;
    int nparts, capparts;
    CheckpointPart *parts;
    int64 *sink_acked;           /* per sink subtask: last checkpoint acked */
    int64 *sink_end_tag;         /* per sink subtask: END tag (INT64_MAX: not ended) */
    bool all_ended_committed;
    atomic_bool checkpoint_requested; /* a sink reached its batch conditions (ConnectorContext) */

    /* sink reconfiguration (stream_job_reconfigure_sink; mu) */
    Arena *reconfig_arena;   /* holds reconfig_table; replaced by the next reconfiguration */
    CatTable *reconfig_table;
    int64 reconfig_gen;      /* bumped by every reconfiguration */
    int64 reconfig_cp;       /* sinks reopen at the barrier of this checkpoint (INT64_MAX: not
                                triggered yet) */

    /* counters */
    atomic_llong records_in, records_out, errors, late_records;
    atomic_llong memory;          /* state bytes accounted */
    int64 nerrors_stored;
    int64 error_seq;

    /* output ring (mu) */
    int out_cap, out_n, out_head;
    int64 *out_at;
    char **out_rows;

    StreamJob *next_job;
};

/* Pool */
void stream_task_wake(StreamTask *t);
int64 stream_monotonic_us(void);
int64 stream_now_us(void);

/* Called by tasks (stream_runtime.c) */
void stream_job_fail(StreamJob *job, const char *message);

/* Checkpointing (stream_checkpoint.c) */
void checkpoint_hand_part(StreamJob *job, int64 tag, StorageBatch *b);
void checkpoint_sink_ack(StreamJob *job, int sink_index, int64 id);
void checkpoint_sink_end(StreamJob *job, int sink_index, int64 tag);
void checkpoint_tick(StreamJob *job); /* coordinator: trigger / complete */
int64 checkpoint_last_completed(Storage *st, const char *job_id, Arena *a);
bool checkpoint_read_position(Storage *st, Arena *a, const char *job_id, int operator_id,
                              int subtask, char **pos, size_t *len);
void checkpoint_put_position(StorageBatch *b, const char *job_id, int operator_id, int subtask,
                             const char *pos, size_t len);

/* State keys (stream_state.c) */
size_t state_key_prefix(char *buf, size_t cap, const char *job_id, int operator_id, int subtask);
void stream_task_snapshot(StreamTask *t, int64 checkpoint_id);
void stream_task_restore(StreamTask *t);
void stream_output_add(StreamJob *job, const Batch *b, int ncols, const PlanColumn *names);
void stream_error_record(StreamJob *job, const char *operator_name, const char *code,
                         const char *message, const char *details_json, const char *sample,
                         size_t sample_len);

/* Connector lookup: connector_source_ops / connector_sink_ops, unless a hook is set and
 * knows the name (unit tests register their in-test connectors this way). */
extern const SourceOps *(*stream_source_ops_hook)(const char *connector);
extern const SinkOps *(*stream_sink_ops_hook)(const char *connector);

/* Runtime knobs (tests) */
extern int64 stream_idle_timeout_us;  /* source partitions idle longer are left out (5 s) */
/* Simulated crash: the job's tasks stop at once, without final checkpoint or sink commit. */
void stream_job_kill(StreamJob *job);
/* Waits until the job is no longer running (completed, failed or stopped); timeout_ms 0: no
 * limit.  Returns false on timeout. */
bool stream_job_wait(StreamJob *job, int64 timeout_ms);
/* Triggers a checkpoint now (tests); returns its id, or 0 if one is in progress. */
int64 stream_job_checkpoint_now(StreamJob *job);
/* The job's state memory in bytes. */
int64 stream_job_memory(StreamJob *job);

#endif
