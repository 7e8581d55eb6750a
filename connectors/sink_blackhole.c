/*
 * sink_blackhole.c: the "blackhole" sink — discards every row and counts
 * them (benchmarks).  Nothing to stage, so prepare and commit only note the
 * checkpoint.
 */
#include "connectors/builtin.h"

typedef struct Blackhole {
    int64 rows;
    int64 batches;
    int64 last_checkpoint;
} Blackhole;

static void *blackhole_open(ConnectorContext *cc, int64 last_committed)
{
    Blackhole *b = arena_new(cc->arena, Blackhole);
    b->last_checkpoint = last_committed;
    return b;
}

static void blackhole_write(void *st, const Batch *batch)
{
    Blackhole *b = st;
    b->rows += batch_live_count(batch);
    b->batches++;
}

static void blackhole_prepare(void *st, int64 checkpoint_id, StorageBatch *cp)
{
    (void)st;
    (void)checkpoint_id;
    (void)cp;
}

static void blackhole_commit(void *st, int64 checkpoint_id)
{
    Blackhole *b = st;
    b->last_checkpoint = checkpoint_id;
}

static void blackhole_close(void *st)
{
    (void)st;
}

const SinkOps blackhole_sink_ops = {
    .open = blackhole_open,
    .write = blackhole_write,
    .prepare = blackhole_prepare,
    .commit = blackhole_commit,
    .close = blackhole_close,
};
