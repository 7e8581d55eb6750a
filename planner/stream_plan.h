/*
 * stream_plan.h: a pipeline's bound plan cut into a graph of stages.
 *
 * A stage runs `parallelism` subtasks; each subtask is one chain of
 * operators fed either by a source (a PLAN_SCAN of a source table) or by one
 * or two exchange receivers (inputs) that merge what upstream stages send.
 * Stateless operators (filter, project, window assignment, lookup join) are
 * chained into the stage that produces their input; a keyed operator
 * (aggregate, stream-stream join, top-N) starts a new stage behind a hash
 * exchange on its keys (a single subtask when it has none); UNION ALL is a
 * receiver fed by several stages; the sink ends the last stage.  The graph
 * is built in the caller's arena, is immutable, and depends only on the plan,
 * the parallelism and the emit mode, so operator ids are the same after a
 * restart.
 */
#ifndef LM_STREAM_PLAN_H
#define LM_STREAM_PLAN_H

#include "executor/stream_ops.h"
#include "planner/relation.h"

typedef enum StreamPartitioning {
    STREAM_FORWARD = 0, /* producer subtask i -> consumer subtask i % consumer parallelism */
    STREAM_HASH,        /* by hash of keys (over the producer's output) */
    STREAM_SINGLE,      /* everything to consumer subtask 0 (stage of parallelism 1) */
} StreamPartitioning;

/* One operator of a stage's chain (bottom-up: nodes[0] reads the leaf). */
typedef struct StreamNode {
    const PlanNode *plan;
    int operator_id;
    StreamOpInfo info;  /* kind STREAM_OP_NONE: a stateless node built with exec_build_node */
    int nchildren;      /* nodes[0]: the stage's number of inputs (1 for a source); else 1 */
    const char *label;  /* "Filter", "TumbleAggregate", ... */
} StreamNode;

/* One exchange receiver of a stage: the stages that send to it. */
typedef struct StreamInput {
    int nproducers;
    int *producers; /* stage indexes */
} StreamInput;

typedef struct StreamStage {
    int index; /* 0-based; a stage's producers come before it */
    int parallelism;
    /* leaf: a source ... */
    const PlanNode *source_scan; /* PLAN_SCAN of a REL_SOURCE, or NULL */
    const Relation *source_rel;
    int source_operator_id;
    int event_time_col;       /* table column of the event time (-1: processing time) */
    int64 watermark_delay_us; /* watermark = max event time - delay */
    Expr *watermark_expr;     /* WATERMARK FOR ... AS expr, over the table's columns, or NULL */
    /* ... or receivers */
    int ninputs;
    StreamInput inputs[2];
    /* the chain */
    int nnodes;
    StreamNode *nodes;
    /* output: the next stage (-1: this stage ends in the sink) */
    int out_stage;
    int out_input;
    StreamPartitioning out_part;
    int nkeys;
    Expr **keys; /* STREAM_HASH: over this stage's output */
    /* sink (out_stage == -1) */
    const PlanNode *insert;
    int sink_operator_id;
    const char *sink_label; /* "Sink(blackhole)" */
} StreamStage;

typedef struct StreamGraph {
    int nstages;
    StreamStage *stages;
    const PlanNode *insert;
    const Relation *target;
    const char *sink_connector; /* connector_sink_ops name: the sink table's connector, "table" */
    bool emits_changelog;       /* what reaches the sink */
    int noperators;             /* operator ids are 1..noperators */
} StreamGraph;

/* Builds the graph (raises 0A000 with the location for plans that cannot run as a stream). */
StreamGraph *stream_plan_build(Arena *a, const PlanNode *plan, int parallelism, EmitMode emit);
/* stream_plan_check for a given emit mode (EMIT_ON_UPDATE: window aggregates emit updates). */
void stream_plan_check_emit(Arena *a, const PlanNode *plan, EmitMode emit);
/* The graph as EXPLAIN PIPELINE lines. */
void stream_graph_explain(const StreamGraph *g, StrBuf *out);

#endif
