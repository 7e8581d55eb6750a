/*
 * bench_nexmark_gen.c: raw speed of the Nexmark generator (connectors/gen_nexmark.c),
 * driving its SourceOps directly on one core — no job, no operators.
 *
 * For each stream (person, auction, bid) a table with all its columns reads
 * the first N events of the sequence (it generates only its own kind and
 * skips the rest); the batch arena is reset between polls as the runtime
 * does.  Prints rows/s and events/s per stream, and the figure for
 * generating all three streams of N events (N / the sum of the three
 * times), which is what a Nexmark query reading bids, auctions and people
 * costs at its source.  Results go to BENCHMARKS.md.
 *
 *     contrib/bench/bench_nexmark_gen [events (default 10000000)]
 */
#include "common/arena.h"
#include "common/vector.h"
#include "connectors/builtin.h"
#include "connectors/nexmark_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double run_stream(Arena *a, const char *type, const char *max_events, int64 *rows_out)
{
    int n;
    const NexmarkColumn *s = nexmark_schema(type, &n);
    CatTable *t = arena_new(a, CatTable);
    t->name = (char *)type;
    t->ncolumns = n;
    t->columns = arena_alloc0(a, sizeof(CatColumn) * (size_t)n);
    const LmType **types = arena_alloc(a, sizeof(LmType *) * (size_t)n);
    for (int i = 0; i < n; i++) {
        t->columns[i].name = (char *)s[i].name;
        t->columns[i].type = types[i] = type_scalar(s[i].type);
    }
    static const char *names[] = {"event_type", "max_events", "seed"};
    const char *values[] = {type, max_events, "1"};
    ResolvedOptions opts = {3, names, values};
    ConnectorContext cc = {0};
    cc.table = t;
    cc.opts = &opts;
    cc.parallelism = 1;
    cc.arena = arena_create("subtask", a);

    void *st = nexmark_source_ops.open(&cc, NULL, 0);
    Arena *ba = arena_create("batch", a);
    int64 rows = 0;
    double t0 = cpu_s();
    for (;;) {
        arena_reset(ba);
        Batch *b = batch_create(ba, n, types, LM_BATCH_SIZE);
        int part;
        SourceStatus r = nexmark_source_ops.poll(st, b, &part);
        if (r == SOURCE_END)
            break;
        rows += b->count;
    }
    double secs = cpu_s() - t0;
    nexmark_source_ops.close(st);
    *rows_out = rows;
    return secs;
}

int main(int argc, char **argv)
{
    const char *events = argc > 1 ? argv[1] : "10000000";
    double nev = atof(events);
    Arena *a = arena_create("bench", NULL);
    const char *kinds[] = {"person", "auction", "bid"};
    double total = 0;
    double w0 = now_s();

    printf("Nexmark generator, %s events, one core, all columns\n", events);
    for (int k = 0; k < 3; k++) {
        int64 rows;
        double secs = run_stream(a, kinds[k], events, &rows);
        total += secs;
        printf("  %-8s %10lld rows  %7.3f s CPU  %8.2f M rows/s  %8.2f M events/s\n", kinds[k],
               (long long)rows, secs, (double)rows / secs / 1e6, nev / secs / 1e6);
    }
    printf("  all three streams: %.3f s CPU for %s events = %.2f M events/s per core (wall %.3f s)\n",
           total, events, nev / total / 1e6, now_s() - w0);
    arena_destroy(a);
    return 0;
}
