/*
 * runtime.h: connectors at run time — how a streaming job reads a source
 * table and writes a sink table.
 *
 * A source table is read by `parallelism` subtasks; each owns a fixed share
 * of the source's partitions (Kafka partitions, generator splits, files).
 * A subtask polls batches; every batch comes from one partition, so the
 * runtime can track event time per partition for watermarks.  Positions are
 * opaque bytes the connector writes at a checkpoint and gets back on
 * restore: after restore the subtask continues exactly after the last row it
 * returned before that checkpoint.
 *
 * A sink subtask receives batches (with Batch.ops for changelog streams) and
 * takes part in checkpoints in two phases: prepare (everything written since
 * the last checkpoint is staged; a sink that commits through RocksDB adds
 * its writes to the checkpoint's storage batch, which commits atomically
 * with operator state and source positions) and commit (after the
 * checkpoint is durable: make staged output visible).  A sink restored from
 * a checkpoint must not show output of later, uncommitted epochs.
 *
 * All connector calls of one subtask come from one thread at a time; they
 * may block briefly (a poll with a short timeout) but never for long — a
 * source with nothing to return says SOURCE_IDLE.
 */
#ifndef LM_CONNECTOR_RUNTIME_H
#define LM_CONNECTOR_RUNTIME_H

#include "common/strbuf.h"
#include <stdatomic.h>
#include "common/vector.h"
#include "connectors/connector.h"
#include "storage/catalog.h"
#include "storage/storage.h"

typedef struct ErrorSink ErrorSink;

/* Reports a bad record (undecodable, wrong type) without failing the job: the runtime records
 * it in laminar.job_errors (code, message, details JSON, raw sample) and counts it. */
typedef void (*RecordErrorFn)(void *arg, const char *code, const char *message,
                              const char *details_json, const char *sample, size_t sample_len);

typedef struct ConnectorContext {
    const CatTable *table;       /* the source/sink table (columns, options) */
    const ResolvedOptions *opts; /* profile + table options, secrets and {{ ENV }} resolved */
    const char *job_id;
    int subtask;     /* 0 .. parallelism-1 */
    int parallelism;
    Storage *storage;
    Arena *arena;    /* lives as long as the subtask */
    RecordErrorFn record_error;
    void *record_error_arg;
    atomic_bool *stop_requested; /* long waits inside the connector should check it */
    /* Sinks: asks the runtime for a checkpoint soon (when the sink's configured batch
     * conditions are reached), so what it holds is committed and becomes visible before the
     * next checkpoint_interval.  May be NULL (no runtime: ignore).  Cheap; any thread. */
    void (*request_checkpoint)(void *arg);
    void *request_checkpoint_arg;
} ConnectorContext;

typedef enum SourceStatus {
    SOURCE_DATA = 0, /* out holds rows (count > 0) */
    SOURCE_IDLE,     /* nothing now; poll again later */
    SOURCE_END,      /* a bounded source has delivered everything */
} SourceStatus;

typedef struct SourceOps {
    /* Opens the subtask; position: bytes from a checkpoint (NULL/0: start as configured). */
    void *(*open)(ConnectorContext *cc, const char *position, size_t position_len);
    /* Fills out (created by the runtime for the table's columns, reset by it between polls)
     * with up to LM_BATCH_SIZE rows of ONE partition, whose index (0.. partitions of this
     * subtask - 1) goes to *partition. */
    SourceStatus (*poll)(void *st, Batch *out, int *partition);
    /* Number of partitions this subtask reads (may grow: partition discovery). */
    int (*partitions)(void *st);
    /* The position after every row returned so far (for a checkpoint). */
    void (*position)(void *st, StrBuf *out);
    /* Lag in records per partition if the connector knows it (Kafka), else -1. */
    int64 (*lag)(void *st, int partition);
    void (*close)(void *st);
} SourceOps;

typedef struct SinkOps {
    /* Opens the subtask; last_committed: the job's last completed checkpoint id (0: none),
     * so a sink can skip or clean up what belongs to later, never-committed epochs. */
    void *(*open)(ConnectorContext *cc, int64 last_committed);
    /* Writes the live rows of b (b->ops: NULL = inserts; ROW_DELETE / ROW_UPDATE_BEFORE /
     * ROW_UPDATE_AFTER for changelog input).  Raises on unrecoverable errors. */
    void (*write)(void *st, const Batch *b);
    /* Phase 1 of checkpoint id: stage everything written since the previous checkpoint; a sink
     * that writes through RocksDB puts its writes into cp (committed atomically with state). */
    void (*prepare)(void *st, int64 checkpoint_id, StorageBatch *cp);
    /* Phase 2: the checkpoint is durable; make its staged output visible. */
    void (*commit)(void *st, int64 checkpoint_id);
    void (*close)(void *st);
} SinkOps;

/* The runtime of a connector by name (NULL if it cannot be read / written yet: 0A000). */
const SourceOps *connector_source_ops(const char *connector);
const SinkOps *connector_sink_ops(const char *connector);

#endif
