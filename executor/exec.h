/*
 * exec.h: the executor's run-time contract — execution context, operators
 * and how a plan is run.
 *
 * Operators form a tree built from a PlanNode tree (exec_build).  Control is
 * pull-based and data is vectorized: a parent calls next() on a child and
 * gets an event — a batch of up to LM_BATCH_SIZE rows, the end of input, or
 * (for streaming pipelines) a watermark, a checkpoint barrier or "idle: no
 * data right now".  Bounded queries only ever see BATCH and END.  A batch
 * returned by next() stays valid until the next call to next() on the same
 * operator; an operator that must keep rows longer copies them.
 *
 * Each operator instance has its own state (plan vs state): the PlanNode is
 * shared and read-only.  Per-batch scratch memory comes from the operator's
 * batch arena, reset at the start of each next().
 */
#ifndef LM_EXEC_H
#define LM_EXEC_H

#include "common/error.h"
#include "planner/plan.h"
#include <stdatomic.h>

typedef struct Storage Storage;
typedef struct TableTxn TableTxn; /* storage/table.h */
/* executor/stream.h */
struct OperatorMetrics;
struct JobOutputRecord;
struct JobErrorRecord;
struct CheckpointRecord;

/*
 * What the executor may ask of the session that runs it.  The server fills
 * this in; the executor never includes server headers (dependencies point
 * down).
 */
typedef struct SessionServices {
    void *session;
    const char *user;
    const char *database;
    int32 backend_pid;
    bool is_superuser;
    /* settings (current_setting, set_config, pg_settings, search_path) */
    const char *(*get_setting)(void *session, const char *name, bool missing_ok);
    void (*set_setting)(void *session, const char *name, const char *value, bool is_local);
    bool (*iter_settings)(void *session, int index, const char **name, const char **value,
                          const char **description);
    /* advisory locks (pg_advisory_lock and friends): return false if not obtained (try) */
    bool (*advisory_lock)(void *session, int64 key, bool shared, bool xact, bool wait);
    bool (*advisory_unlock)(void *session, int64 key, bool shared);
    void (*advisory_unlock_all)(void *session);
    /* The catalog as this session sees it: its open transaction's queued DDL included (system
     * views list through these).  NULL: the committed catalog (catalog_list_tables, ...). */
    struct CatTable *(*list_tables)(void *session, Arena *a, int *n);
    /* one table by schema and name as this session sees it (NULL if none) */
    struct CatTable *(*get_table)(void *session, Arena *a, const char *schema, const char *name);
    struct CatProfile *(*list_profiles)(void *session, Arena *a, int *n);
    struct CatSecret *(*list_secrets)(void *session, Arena *a, int *n);
    struct CatSchema *(*list_schemas)(void *session, Arena *a, int *n); /* created ones */
    /* when the server started, microseconds since epoch (pg_postmaster_start_time); 0: unknown */
    int64 server_start_time;
    /* Pipelines and jobs (server/jobs.c fills these in; NULL: the committed catalog and no live
     * jobs).  list_pipelines: as this session sees them.  list_jobs: every job record, ordered
     * by start, with the counters and last checkpoint of running jobs brought up to date.
     * job_metrics / job_output: the live data of every running job (executor/stream.h's
     * records), (*job_ids)[i] naming the job of (*out)[i].  job_errors / job_checkpoints: the
     * runtime's persistent records of one job.  Each returns the number of entries. */
    struct CatPipeline *(*list_pipelines)(void *session, Arena *a, int *n);
    struct CatJob *(*list_jobs)(void *session, Arena *a, int *n);
    int (*job_metrics)(void *session, Arena *a, const char ***job_ids,
                       struct OperatorMetrics **out);
    int (*job_output)(void *session, Arena *a, const char ***job_ids, struct JobOutputRecord **out);
    int (*job_errors)(void *session, Arena *a, const char *job_id, struct JobErrorRecord **out);
    int (*job_checkpoints)(void *session, Arena *a, const char *job_id,
                           struct CheckpointRecord **out);
    /* pg_prepared_statements: the index-th named prepared statement of the session (PREPARE'd
     * or the protocol's), false past the end; *param_types (nparams OIDs) is allocated in a.
     * NULL: none. */
    bool (*iter_prepared)(void *session, Arena *a, int index, const char **name,
                          const char **statement, int64 *prepare_time, int *nparams,
                          Oid **param_types, bool *from_sql);
} SessionServices;

typedef struct ExecContext {
    Arena *arena; /* statement lifetime */
    const SessionServices *svc;
    atomic_bool *cancel_requested; /* checked between batches */
    int nparams;
    const LmType **param_types;
    Vector **params; /* one 1-row vector per parameter ($1 is params[0]) */
    int64 statement_timestamp; /* now(): transaction start, microseconds since epoch */
    int64 transaction_timestamp;
    Storage *storage;
    TableTxn *txn; /* plain-table reads and writes of the current transaction */
    /* outer rows for correlated subqueries: outer_batches[0] is the innermost enclosing row */
    int nouter;
    const Batch **outer_batches;
    int *outer_rows;
    /* streaming jobs: the job's context (executor/stream.h); NULL for bounded queries */
    struct StreamContext *stream;
    /* INSERT/UPDATE/DELETE: rows inserted, updated or deleted by the statement's plan (the
     * command tag's count); set by the modify operators, reset to 0 when they open. */
    int64 rows_affected;
} ExecContext;

/* Raises 57014 when a cancel request arrived. */
void exec_check_cancel(ExecContext *ctx);

typedef enum ExecEventKind {
    EXEC_BATCH = 0,
    EXEC_END,
    EXEC_WATERMARK, /* streaming: event time has reached `watermark` */
    EXEC_BARRIER,   /* streaming: checkpoint `checkpoint_id` passes through */
    EXEC_IDLE,      /* streaming: no data right now; try again later */
} ExecEventKind;

typedef struct ExecEvent {
    ExecEventKind kind;
    Batch *batch;
    int64 watermark;     /* microseconds since epoch */
    int64 checkpoint_id;
} ExecEvent;

typedef struct Operator Operator;

typedef struct StateWriter StateWriter; /* executor/stream.h */
typedef struct StateReader StateReader;

typedef struct OperatorOps {
    const char *name; /* "HashAggregate", "Filter", ... (EXPLAIN, metrics) */
    void (*open)(Operator *op);
    ExecEvent (*next)(Operator *op);
    void (*close)(Operator *op);
    /* Streaming operators with state (NULL for stateless ones): write state at a checkpoint
     * barrier, and read it back after open when the job restores (executor/stream.h). */
    void (*snapshot)(Operator *op, StateWriter *w);
    void (*restore)(Operator *op, StateReader *r);
} OperatorOps;

struct Operator {
    const OperatorOps *ops;
    const PlanNode *plan;
    ExecContext *ctx;
    int nchildren;
    Operator **children;
    Arena *batch_arena; /* reset by the operator at the start of each next() */
    void *state;        /* operator-specific */
    int64 rows_out;
    /* streaming: stable id of the operator in its job graph, and its subtask */
    int operator_id;
    int subtask;
};

/* Builds the operator tree for plan (physical choices: hash vs nested-loop join, ...). */
Operator *exec_build(ExecContext *ctx, const PlanNode *plan);
/* Streaming (additive): builds the operator for plan's own node over already-built children
 * (instead of building plan->left/right), e.g. a filter over the runtime's exchange receiver;
 * and a bare operator (the caller sets ops and state) whose memory exec_close frees: its own
 * arena is op_arena(op), op->batch_arena is a child of it.  Children passed in are owned by
 * the new operator (closed with it). */
Operator *exec_build_node(ExecContext *ctx, const PlanNode *plan, Operator **children,
                          int nchildren);
Operator *exec_operator_create(ExecContext *ctx, const PlanNode *plan, Operator **children,
                               int nchildren);
Arena *exec_operator_arena(Operator *op);
void exec_open(Operator *op);
ExecEvent exec_next(Operator *op); /* checks cancellation, counts rows */
void exec_close(Operator *op);     /* closes children too; frees operator memory */

/* Runs a bounded plan to the end, handing each batch to sink; returns rows produced. */
typedef void (*BatchSink)(void *arg, const Batch *batch);
int64 exec_run(ExecContext *ctx, const PlanNode *plan, BatchSink sink, void *arg);

/*
 * Materialised rows: a growable list of batches with one column layout, for
 * operators that buffer (sort, hash join build, subquery results), system
 * views and small utility results.
 */
typedef struct RowSet {
    int ncols;
    const LmType **types;
    int nbatches;
    int cap;
    Batch **batches;
    int64 nrows;
    Arena *arena;
} RowSet;

RowSet *rowset_create(Arena *a, int ncols, const LmType *const *types);
/* Appends a row (all NULL) and returns its batch and row index for the setters below. */
Batch *rowset_add_row(RowSet *rs, int *row);
/* Appends the live rows of b (deep copy of var-width values). */
void rowset_append(RowSet *rs, const Batch *b);
/* Copies one value from src[row] into dst[dst_row] (var-width data copied into a). */
void vector_copy_value(Vector *dst, Arena *a, int dst_row, const Vector *src, int src_row);

#endif
