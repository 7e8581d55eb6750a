/*
 * stream_task.c: one subtask of a stage — building its operator chain and
 * running it for a time slice on a worker thread.
 *
 * A chain is built bottom-up from the stage's leaf (the source operator, or
 * one exchange receiver per input) through the stage's nodes: stream
 * operators by stream_op_build (area B), stateless ones by exec_build_node
 * over the node below.  Everything lives in the task's own arena.
 *
 * task_run() pulls events from the chain's top until the chain has nothing
 * to do (IDLE), the output is full (the sender could not queue everything:
 * backpressure), or the time slice is used up — then it returns and the
 * worker moves on to other tasks, so jobs share the pool fairly.  The top's
 * events go to the stage's output: the sender (exchange) or the sink.
 * BARRIER: snapshot the chain's stateful operators (and prepare the sink)
 * into the task's checkpoint batch, hand it to the job, forward the barrier
 * (sinks ack it).  END: final state handed to the next checkpoint; sinks wait
 * until it is committed, then commit and close.  A sink reconfiguration
 * (ALTER SINK TABLE on a running job) is due at a barrier: the sink stops
 * reading its input until that checkpoint is committed, then closes its
 * connector and opens it again with the new options.
 *
 * Errors raised while running (ereport ERROR, 53200 over the memory limit)
 * fail the job with the message; every task of the job then closes its
 * operators on its next run.
 */
#include "executor/stream_int.h"
#include "common/errcodes.h"

#include <string.h>

#define TASK_SLICE_US 10000

/* Result of one run of a task. */
typedef enum TaskOutcome { TASK_YIELD = 0, TASK_PARK, TASK_FINISHED } TaskOutcome;

static void add_metric(StreamTask *t, Arena *a, int operator_id, const char *name, int *cap)
{
    if (t->nmetrics == *cap) {
        int ncap = *cap ? *cap * 2 : 8;
        OpMetric *m = arena_new_array(a, OpMetric, ncap);
        if (t->nmetrics)
            memcpy(m, t->metrics, sizeof(OpMetric) * (size_t)t->nmetrics);
        t->metrics = m;
        *cap = ncap;
    }
    OpMetric *m = &t->metrics[t->nmetrics++];
    memset(m, 0, sizeof *m);
    m->operator_id = operator_id;
    m->name = name;
    atomic_store(&m->watermark, INT64_MIN);
    atomic_store(&m->lag, -1);
}

static void chain_add(StreamTask *t, Arena *a, Operator *op, int *cap)
{
    if (t->nchain == *cap) {
        int ncap = *cap ? *cap * 2 : 8;
        Operator **c = arena_new_array(a, Operator *, ncap);
        if (t->nchain)
            memcpy(c, t->chain, sizeof(Operator *) * (size_t)t->nchain);
        t->chain = c;
        *cap = ncap;
    }
    t->chain[t->nchain++] = op;
}

/*
 * Builds the task of stage `stage`, subtask `subtask`.  inputs[k] are the channels feeding
 * receiver k (NULL for source stages); out are the channels to the next stage (NULL for the
 * sink stage).  Opens the chain and restores its state when the job restores.
 */
StreamTask *stream_task_build(StreamJob *job, const StreamStage *stage, int subtask,
                              Channel ***inputs, int *ninputs, Channel **out, int nout)
{
    Arena *a = arena_create("stream task", NULL);
    StreamTask *t = arena_new(a, StreamTask);
    t->arena = a;
    t->job = job;
    t->stage = stage;
    t->subtask = subtask;
    t->last_barrier = job->last_checkpoint_id;
    t->sink_committed = job->completed_id;
    atomic_store(&t->cancel, false);

    ExecContext *ctx = &t->ctx;
    ctx->arena = a;
    ctx->svc = NULL;
    ctx->cancel_requested = &t->cancel;
    ctx->statement_timestamp = stream_now_us();
    ctx->transaction_timestamp = ctx->statement_timestamp;
    ctx->storage = job->storage;
    ctx->stream = &t->sctx;
    t->sctx.job_id = job->spec.job_id;
    t->sctx.subtask = subtask;
    t->sctx.parallelism = stage->parallelism;
    t->sctx.emit = job->spec.emit;
    t->sctx.late_data = job->spec.late_data;
    t->sctx.memory_limit = job->spec.memory_limit;
    t->sctx.runtime = t;

    int mcap = 0, ccap = 0;
    if (stage->source_scan)
        add_metric(t, a, stage->source_operator_id,
                   arena_printf(a, "Source(%s)", stage->source_rel->name), &mcap);
    for (int i = 0; i < stage->nnodes; i++) {
        const StreamNode *n = &stage->nodes[i];
        /* a lookup join appended to several union branches has one id: one metric per task */
        add_metric(t, a, n->operator_id, n->label, &mcap);
    }
    if (stage->out_stage < 0) {
        add_metric(t, a, stage->sink_operator_id, stage->sink_label, &mcap);
        t->metrics[t->nmetrics - 1].is_sink = true;
    }

    /* leaves */
    Operator *leaves[2];
    int nleaves = 0;
    if (stage->source_scan) {
        char *pos = NULL;
        size_t poslen = 0;
        if (job->spec.restore && job->completed_id > 0)
            checkpoint_read_position(job->storage, a, job->spec.job_id, stage->source_operator_id,
                                     subtask, &pos, &poslen);
        Operator *src = stream_source_create(ctx, t, stage, pos, poslen);
        src->operator_id = stage->source_operator_id;
        src->subtask = subtask;
        t->source = src;
        leaves[nleaves++] = src;
        chain_add(t, a, src, &ccap);
        t->metrics[0].op = src;
        t->metrics[0].is_source = true;
    } else {
        for (int k = 0; k < stage->ninputs; k++) {
            const StreamStage *prod = &job->graph->stages[stage->inputs[k].producers[0]];
            const PlanNode *shape = prod->nnodes ? prod->nodes[prod->nnodes - 1].plan
                                                 : prod->source_scan;
            Operator *r = stream_receiver_create(ctx, shape, inputs[k], ninputs[k]);
            r->subtask = subtask;
            leaves[nleaves++] = r;
            chain_add(t, a, r, &ccap);
        }
    }

    /* nodes */
    Operator *below = nleaves ? leaves[0] : NULL;
    for (int i = 0; i < stage->nnodes; i++) {
        const StreamNode *n = &stage->nodes[i];
        Operator *children[2];
        int nc;
        if (i == 0 && nleaves == 2) {
            children[0] = leaves[0];
            children[1] = leaves[1];
            nc = 2;
        } else {
            children[0] = below;
            nc = 1;
        }
        Operator *op = n->info.kind != STREAM_OP_NONE
                           ? stream_op_build(ctx, n->plan, children, nc, &n->info)
                           : exec_build_node(ctx, n->plan, children, nc);
        op->operator_id = n->operator_id;
        op->subtask = subtask;
        chain_add(t, a, op, &ccap);
        for (int m = 0; m < t->nmetrics; m++)
            if (t->metrics[m].operator_id == n->operator_id && t->metrics[m].op == NULL) {
                t->metrics[m].op = op;
                t->metrics[m].input = children[0];
                break;
            }
        below = op;
    }
    t->top = below;
    if (out)
        t->sender = sender_create(a, ctx, stage, out, nout, subtask);
    return t;
}

/* Opens the chain (and restores state); then the sink.  Runs in the starting thread. */
void stream_task_open(StreamTask *t)
{
    exec_open(t->top);
    t->opened = true;
    if (t->job->spec.restore && t->job->completed_id > 0)
        stream_task_restore(t);
    if (t->stage->out_stage < 0)
        t->sink = sink_writer_open(t, t->stage, t->job->completed_id);
}

/* Closes operators and the sink (errors are logged away: the task is going regardless). */
void stream_task_close(StreamTask *t)
{
    /* keep the final counts for the metrics views: the operators go away below */
    pthread_mutex_lock(&t->job->mu);
    for (int i = 0; i < t->nmetrics; i++) {
        OpMetric *m = &t->metrics[i];
        if (m->op == NULL)
            continue;
        if (!m->is_source) {
            int64 in = 0;
            for (int c = 0; c < m->op->nchildren; c++)
                in += m->op->children[c]->rows_out;
            atomic_store(&m->records_in, in);
        }
        atomic_store(&m->records_out, m->op->rows_out);
        m->op = NULL;
        m->input = NULL;
    }
    t->source = NULL;
    pthread_mutex_unlock(&t->job->mu);
    LM_TRY();
    {
        if (t->sink)
            sink_writer_close(t->sink);
    }
    LM_CATCH();
    {
        error_clear();
    }
    LM_END_TRY();
    t->sink = NULL;
    LM_TRY();
    {
        if (t->top)
            exec_close(t->top);
    }
    LM_CATCH();
    {
        error_clear();
    }
    LM_END_TRY();
    t->top = NULL;
    if (t->cp_batch) {
        storage_batch_destroy(t->cp_batch);
        t->cp_batch = NULL;
    }
}

static int sink_index(StreamTask *t)
{
    for (int i = 0; i < t->job->nsinks; i++)
        if (t->job->sinks[i] == t)
            return i;
    return -1;
}

static void hand_checkpoint(StreamTask *t, int64 tag)
{
    StorageBatch *b = t->cp_batch ? t->cp_batch : storage_batch_create();
    t->cp_batch = NULL;
    checkpoint_hand_part(t->job, tag, b);
}

static void set_top_watermark(StreamTask *t, int64 wm)
{
    for (int i = 0; i < t->nmetrics; i++)
        if (!t->metrics[i].is_source)
            atomic_store(&t->metrics[i].watermark, wm);
}

/* Handles one event from the chain's top; false when the output is blocked. */
static bool handle_event(StreamTask *t, ExecEvent *ev)
{
    StreamJob *job = t->job;
    bool stopped_output = atomic_load(&job->stop_after_barrier) && t->last_barrier >= job->final_id &&
                          job->final_id > 0;
    switch (ev->kind) {
    case EXEC_BATCH:
        if (t->sink) {
            if (!stopped_output)
                sink_writer_write(t->sink, ev->batch);
            return true;
        }
        return sender_push(t->sender, ev);
    case EXEC_WATERMARK:
        if (ev->watermark != STREAM_WATERMARK_IDLE)
            set_top_watermark(t, ev->watermark);
        return t->sink ? true : sender_push(t->sender, ev);
    case EXEC_BARRIER: {
        int64 id = ev->checkpoint_id;
        t->last_barrier = id;
        stream_task_snapshot(t, id);
        if (t->sink) {
            if (t->cp_batch == NULL)
                t->cp_batch = storage_batch_create();
            sink_writer_prepare(t->sink, id, t->cp_batch);
        }
        hand_checkpoint(t, id);
        if (t->sink) {
            /* a reconfiguration waits for this barrier: reopen once it is committed */
            pthread_mutex_lock(&job->mu);
            if (job->reconfig_gen > t->reconfig_seen && id >= job->reconfig_cp)
                t->reopen_at = id;
            pthread_mutex_unlock(&job->mu);
            checkpoint_sink_ack(job, sink_index(t), id);
            return true;
        }
        return sender_push(t->sender, ev);
    }
    case EXEC_END: {
        t->ended = true;
        int64 tag = t->last_barrier + 1;
        if (stopped_output)
            tag = job->final_id;
        else {
            if (t->source) {
                /* everything was read: the next checkpoint keeps the final position */
                StrBuf pos;
                strbuf_init(&pos, NULL);
                stream_source_position(t->source, &pos);
                if (t->cp_batch == NULL)
                    t->cp_batch = storage_batch_create();
                checkpoint_put_position(t->cp_batch, job->spec.job_id,
                                        t->stage->source_operator_id, t->subtask, pos.data,
                                        pos.len);
                strbuf_free(&pos);
            }
            stream_task_snapshot(t, tag);
            if (t->sink) {
                if (t->cp_batch == NULL)
                    t->cp_batch = storage_batch_create();
                sink_writer_prepare(t->sink, tag, t->cp_batch);
            }
            hand_checkpoint(t, tag);
        }
        if (t->sink) {
            t->sink_final = tag;
            checkpoint_sink_end(job, sink_index(t), tag);
            return true;
        }
        return sender_push(t->sender, ev);
    }
    default:
        return true;
    }
}

/* Sink: applies a reconfiguration (stream_job_reconfigure_sink) after the checkpoint at whose
 * barrier it was due is committed: nothing is held by the connector then, so closing it loses
 * nothing, and the new one opens with last_committed = that checkpoint. */
static void sink_reopen(StreamTask *t)
{
    StreamJob *job = t->job;
    pthread_mutex_lock(&job->mu);
    const CatTable *table =
        job->reconfig_table ? catalog_copy_table(t->arena, job->reconfig_table) : NULL;
    int64 gen = job->reconfig_gen;
    pthread_mutex_unlock(&job->mu);
    SinkWriter *old = t->sink;
    t->sink = NULL;
    sink_writer_close(old);
    t->sink = sink_writer_open_table(t, t->stage, table, t->reopen_at);
    pthread_mutex_lock(&job->mu);
    t->reconfig_seen = gen;
    t->reopen_at = 0;
    pthread_mutex_unlock(&job->mu);
}

/* Sink: commits what the coordinator made durable. */
static void sink_commit_pending(StreamTask *t)
{
    StreamJob *job = t->job;
    pthread_mutex_lock(&job->mu);
    int64 done = job->completed_id;
    pthread_mutex_unlock(&job->mu);
    if (done > t->sink_committed) {
        sink_writer_commit(t->sink, done);
        pthread_mutex_lock(&job->mu);
        t->sink_committed = done;
        pthread_mutex_unlock(&job->mu);
    }
}

static void note_blocked(StreamTask *t, bool blocked)
{
    int64 now = stream_monotonic_us();
    if (blocked) {
        if (t->blocked_since == 0)
            t->blocked_since = now;
    } else if (t->blocked_since) {
        atomic_fetch_add(&t->blocked_us, now - t->blocked_since);
        t->blocked_since = 0;
    }
}

/* Runs the task for up to one time slice.  *park_us: how long to park (0: until woken). */
int stream_task_run(StreamTask *t, int64 *park_us)
{
    StreamJob *job = t->job;
    volatile TaskOutcome outcome = TASK_YIELD;
    int64 deadline = stream_monotonic_us() + TASK_SLICE_US;
    *park_us = 0;
    if (atomic_load(&job->failed) || atomic_load(&job->killed)) {
        stream_task_close(t);
        return TASK_FINISHED;
    }
    LM_TRY();
    {
        for (;;) {
            if (t->sink)
                sink_commit_pending(t);
            if (t->sink && t->reopen_at) {
                if (t->sink_committed < t->reopen_at) {
                    /* input waits (backpressure) until the checkpoint commits */
                    outcome = TASK_PARK;
                    *park_us = 20000;
                    break;
                }
                sink_reopen(t);
            }
            if (t->ended && t->sink) {
                /* wait until the final checkpoint is durable, then we are done */
                if (t->sink_committed >= t->sink_final) {
                    outcome = TASK_FINISHED;
                    break;
                }
                outcome = TASK_PARK;
                *park_us = 50000;
                break;
            }
            if (t->pending_out) {
                if (!sender_flush(t->sender)) {
                    note_blocked(t, true);
                    outcome = TASK_PARK;
                    *park_us = 100000;
                    break;
                }
                note_blocked(t, false);
                t->pending_out = false;
            }
            if (t->ended) {
                outcome = TASK_FINISHED;
                break;
            }
            if (atomic_load(&job->failed) || atomic_load(&job->killed)) {
                outcome = TASK_FINISHED;
                break;
            }
            ExecEvent ev = exec_next(t->top);
            if (ev.kind == EXEC_IDLE) {
                outcome = TASK_PARK;
                *park_us = t->source ? 2000 : 100000;
                break;
            }
            if (!handle_event(t, &ev)) {
                t->pending_out = true;
                continue; /* the flush at the top parks us if still full */
            }
            if (stream_monotonic_us() >= deadline) {
                outcome = TASK_YIELD;
                break;
            }
        }
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        char *msg = arena_strdup(t->arena, e->message ? e->message : "unknown error");
        error_clear();
        /* a cancel raised because the job is already failing or killed is not a new failure */
        if (!atomic_load(&job->failed) && !atomic_load(&job->killed))
            stream_job_fail(job, msg);
        outcome = TASK_FINISHED;
    }
    LM_END_TRY();
    if (outcome == TASK_FINISHED)
        stream_task_close(t);
    return outcome;
}
