/*
 * stream_ops.h: how the streaming runtime (area A: planner/stream_plan.c,
 * executor/stream_*.c) builds the stateful stream operators (area B:
 * executor/stream_op_*.c) — which PlanNode shapes become which operator
 * kind, what the stream planner found out about them, and what an operator
 * can rely on from the runtime.
 *
 * Plan shapes → operator kinds (decided by stream_op_classify, used by the
 * stream planner when it cuts the plan into stages):
 *
 *   STREAM_OP_WINDOW_AGGREGATE   PLAN_AGGREGATE whose child is a PLAN_WINDOW_ASSIGN (TUMBLE/HOP:
 *                                groups include that node's window_start/window_end columns),
 *                                or PLAN_AGGREGATE with gwindow.kind == GW_SESSION (child is the
 *                                raw input; output groups..., window_start, window_end, aggs...).
 *                                children[0] delivers the AGGREGATE's input columns (for
 *                                TUMBLE/HOP the PLAN_WINDOW_ASSIGN's output: the assignment runs
 *                                upstream, before the exchange, as a stateless operator built by
 *                                exec_build for PLAN_WINDOW_ASSIGN).
 *   STREAM_OP_CHANGELOG_AGGREGATE  any other PLAN_AGGREGATE: emits a changelog (Batch.ops:
 *                                INSERT for a new group, UPDATE_BEFORE/UPDATE_AFTER pairs on a
 *                                change, DELETE when a group's count reaches 0 on retractions).
 *                                children[0] delivers the AGGREGATE's input columns.
 *   STREAM_OP_WINDOW_JOIN        PLAN_JOIN of two streams whose equi-keys include
 *                                left.window_start = right.window_start and/or
 *                                left.window_end = right.window_end (both sides windowed by
 *                                PLAN_WINDOW_ASSIGN).  children[0] = left, children[1] = right.
 *   STREAM_OP_INTERVAL_JOIN      PLAN_JOIN of two streams whose condition bounds
 *                                left.time - right.time to [lower_us, upper_us] (conjuncts like
 *                                l.ts BETWEEN r.ts - INTERVAL 'x' AND r.ts + INTERVAL 'y',
 *                                l.ts >= r.ts, l.ts < r.ts + ...).  children[0]/[1] = left/right.
 *   STREAM_OP_REGULAR_JOIN       any other PLAN_JOIN of two streams (no window, no time bound:
 *                                Flink's regular join): both sides kept in state for ever;
 *                                appends for INNER over append-only inputs, else a changelog.
 *                                children[0]/[1] = left/right.
 *   STREAM_OP_LOOKUP_JOIN        PLAN_JOIN of a stream with a bounded subtree over plain tables
 *                                only (PLAN_SCAN of a REL_PLAIN relation, possibly under
 *                                filters/projects): the table is read at lookup time (current
 *                                rows).  children[0] = the stream side; the table side is
 *                                info->lookup_plan (the join's left or right, see
 *                                info->stream_side); output columns stay left ++ right.
 *   STREAM_OP_TOPN               PLAN_FILTER with a conjunct rn <= k / rn < k / rn = 1 (k a
 *                                constant) over a PLAN_WINDOW with one WIN_ROW_NUMBER call
 *                                (PARTITION BY keys, ORDER BY); a PLAN_PROJECT may sit between
 *                                the filter and the window.  The plan passed to stream_op_build
 *                                is the PLAN_WINDOW: the operator's output is the window's
 *                                output (its input columns, then row_number), only rows ranked
 *                                <= k, as a changelog when ranks change.  The runtime chains the
 *                                project (if any) and the whole original filter after it (the
 *                                rn test is then true; other conjuncts still apply).
 *                                children[0] delivers the PLAN_WINDOW's input columns.  k = 1
 *                                is dedup.
 *
 * Everything else the stream planner handles itself: PLAN_SCAN of a source (the runtime's
 * source operator), PLAN_FILTER / PLAN_PROJECT / PLAN_WINDOW_ASSIGN (stateless, built with
 * exec_build, chained into the upstream stage), PLAN_SETOP UNION ALL (not an operator: the
 * inputs' stages all feed one exchange whose receiver merges them, aligning barriers and taking
 * the minimum watermark), and the sink.  Other shapes raise 0A000 at CREATE PIPELINE.
 *
 * What the runtime does for a stream operator:
 *   - builds it with stream_op_build() after its children, then sets op->operator_id and
 *     op->subtask (stable across restarts), then exec_open(), then — when the job restores
 *     from a checkpoint and stream_state_reader(op) is non-NULL — op->ops->restore(op, r).
 *   - children[i] are the runtime's exchange receivers (or stateless chains over them): they
 *     return BATCH / WATERMARK / BARRIER / IDLE / END.  A receiver already aligns barriers and
 *     takes the minimum watermark across its own channels, so a one-input operator sees each
 *     barrier once and watermarks that only grow.
 *   - snapshots: when a BARRIER(id) has come out of the top of a task's operator chain, the
 *     runtime calls op->ops->snapshot(op, w) on every operator of the chain that has one (the
 *     chain is paused: pull-based, nothing ran after the barrier passed).  So an operator only
 *     has to return the BARRIER upward when it has one and is consistent: a one-input
 *     operator forwards it right away (after any output it still owes for rows before the
 *     barrier); a two-input operator aligns first (stream_inputs_next below does that).
 *     stream_state_writer(op, id) is also usable inside snapshot for the same writer.
 *   - a source subtask whose partitions are all idle sends WATERMARK with watermark ==
 *     INT64_MAX ("leave me out of the minimum"); operators chained in a source stage
 *     (stateless ones, lookup joins) forward it unchanged; receivers consume it, so operators
 *     behind an exchange never see it.
 *   - IDLE returned upward makes the task yield its worker; returning IDLE while holding
 *     pending output is allowed (the task comes back).
 *   - errors: ereport(ERROR) inside next() fails the job with that message (unless the code
 *     uses stream_report_error to record a bad record and go on).
 *   - memory: stream_account_memory(op, +/-bytes) for state growth (53200 over the limit),
 *     stream_set_state_bytes for metrics.
 *   - ctx->stream gives subtask/parallelism, emit mode and late-data mode of the job.
 */
#ifndef LM_STREAM_OPS_H
#define LM_STREAM_OPS_H

#include "executor/stream.h"

typedef enum StreamOpKind {
    STREAM_OP_NONE = 0, /* not a stream operator (stateless or handled by the runtime) */
    STREAM_OP_WINDOW_AGGREGATE,
    STREAM_OP_CHANGELOG_AGGREGATE,
    STREAM_OP_WINDOW_JOIN,
    STREAM_OP_INTERVAL_JOIN,
    STREAM_OP_LOOKUP_JOIN,
    STREAM_OP_TOPN,
    STREAM_OP_REGULAR_JOIN,
} StreamOpKind;

/* What the stream planner found out about a stream operator's plan node. */
typedef struct StreamOpInfo {
    StreamOpKind kind;
    /* Whether children[i] may deliver a changelog (Batch.ops with deletes/updates); an
     * aggregate over a changelog must retract, a join over one emits one. */
    bool input_changelog[2];
    /* Whether this operator's output is a changelog (set by stream_op_classify from the kind,
     * the inputs and the emit mode). */
    bool emits_changelog;

    /* STREAM_OP_WINDOW_AGGREGATE */
    const GroupWindow *window;    /* the PLAN_WINDOW_ASSIGN's gwindow, or the aggregate's (SESSION) */
    int window_start_group;       /* TUMBLE/HOP: index in plan->groups of window_start (-1 none) */
    int window_end_group;         /* ... of window_end (-1 none) */
    int time_col;                 /* SESSION: input column of the event time (gwindow.time when a
                                     plain column reference, else -1: evaluate window->time) */

    /* STREAM_OP_WINDOW_JOIN: indexes into plan->left_keys/right_keys of the window bound keys
     * (-1 none); the other keys are ordinary equi-keys */
    int window_start_key;
    int window_end_key;

    /* STREAM_OP_INTERVAL_JOIN: left.time - right.time must lie in [lower_us, upper_us]
     * (INT64_MIN / INT64_MAX: unbounded on that side; a side's rows expire once the other
     * side's watermark passes its bound).  Column indexes are within each input. */
    int left_time_col;
    int right_time_col;
    int64 lower_us;
    int64 upper_us;

    /* STREAM_OP_REGULAR_JOIN: which of the join's output columns (left ++ right) anything
     * reads — the join condition included; the others need not be kept in state (they come
     * out NULL).  NULL: all. */
    const bool *needed_cols;

    /* STREAM_OP_LOOKUP_JOIN */
    int stream_side;              /* 0: the join's left input is the stream, 1: the right */
    const PlanNode *lookup_plan;  /* the table side (bounded; run with exec_build per lookup or
                                     read through storage/table.h by key) */

    /* STREAM_OP_TOPN */
    const PlanNode *topn_filter;  /* the PLAN_FILTER above */
    const PlanNode *topn_window;  /* the PLAN_WINDOW (== the plan passed to stream_op_build) */
    const PlanNode *topn_project; /* the PLAN_PROJECT between them, or NULL */
    int64 topn_limit;             /* k: rows kept per partition */
    int rownum_col;               /* column of the window's output holding row_number() */
    const WindowCall *topn_call;  /* the row_number() call: partition keys and order */
} StreamOpInfo;

/*
 * Classifies plan (one node, looking at its children as described above; for top-N the
 * PLAN_FILTER) and fills info.
 * emit: the job's emit mode (EMIT_ON_UPDATE makes window aggregates emit a changelog).
 * input_changelog: whether each input of the node may carry a changelog.  Returns the kind
 * (STREAM_OP_NONE for nodes that are not stream operators).  Raises 0A000 with the location
 * for joins of two streams without a window or time bound.  Implemented in
 * planner/stream_plan.c.
 */
StreamOpKind stream_op_classify(const PlanNode *plan, EmitMode emit, const bool input_changelog[2],
                                StreamOpInfo *info);

/*
 * Builds the stream operator for plan (area B: executor/stream_op_*.c).  children are built
 * and not yet opened; the returned operator owns them (exec_close closes them).  info is
 * valid for the job's lifetime.  Raises 0A000 for kinds it cannot run.
 */
Operator *stream_op_build(ExecContext *ctx, const PlanNode *plan, Operator **children,
                          int nchildren, const StreamOpInfo *info);

/*
 * Reading several inputs with barrier alignment and watermark merging (joins; implemented in
 * executor/stream_inputs.c by the runtime).  stream_inputs_next returns:
 *   BATCH     from input *which (the batch is valid until the next call for that input);
 *   WATERMARK the minimum over the inputs' watermarks, when it advanced (*which = -1);
 *   BARRIER   once the barrier has arrived on every input (inputs that delivered it are not read
 *             meanwhile) (*which = -1);
 *   IDLE      when no input has anything now;
 *   END       when every input ended (an ended input counts as aligned and does not hold the
 *             watermark back).
 * Inputs are read round-robin so none starves.
 */
typedef struct StreamInputs StreamInputs;
StreamInputs *stream_inputs_create(Arena *a, Operator **inputs, int ninputs);
ExecEvent stream_inputs_next(StreamInputs *in, int *which);
/* The latest watermark of one input (INT64_MIN: none yet). */
int64 stream_inputs_watermark(const StreamInputs *in, int input);

#endif
