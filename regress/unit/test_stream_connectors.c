/*
 * test_stream_connectors.c: the built-in connectors at run time
 * (connectors/gen_nexmark.c, gen_datagen.c, sink_blackhole.c, sink_table.c,
 * runtime.c), driven through their SourceOps/SinkOps without a job.
 *
 * Covers: the registry; nexmark determinism with a seed (and a different
 * seed differing), the 1:3:46 proportions and id arithmetic (consecutive
 * person/auction ids, bids naming only existing-or-lead ids, hot ratios,
 * price range, channels), ids lining up across the three streams, split
 * coverage (the union of P subtasks is every event exactly once, equal to
 * the P = 1 rows), restore from a position continuing exactly, max_events
 * ending the source, the rate limit; datagen sequences/ranges/lengths,
 * seeded determinism, split coverage, restore and option errors; the
 * blackhole sink counting; the plain-table sink staging nothing before
 * prepare, nothing visible before the checkpoint batch commits, upsert /
 * delete / UPDATE_BEFORE+AFTER semantics by primary key, appends without a
 * key, refusing a changelog without a key, a lost epoch leaving nothing, and
 * two subtasks of one table preparing one after the other (no lock held
 * across epochs).
 *
 * lmtest-libs: connectors/libconnectors.a storage/libstorage.a common/libcommon.a
 */
#include "common/arena.h"
#include "common/error.h"
#include "common/vector.h"
#include "connectors/builtin.h"
#include "connectors/nexmark_schema.h"
#include "storage/storage.h"
#include "storage/table.h"

#include "lmtest.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static Arena *A;

/* ---------- helpers ---------- */

static ResolvedOptions *opts_make(int n, const char *const *kv)
{
    ResolvedOptions *o = arena_new(A, ResolvedOptions);
    o->count = n;
    o->names = arena_alloc(A, sizeof(char *) * (size_t)(n ? n : 1));
    o->values = arena_alloc(A, sizeof(char *) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        o->names[i] = kv[2 * i];
        o->values[i] = kv[2 * i + 1];
    }
    return o;
}

static CatTable *nexmark_table(const char *type)
{
    int n;
    const NexmarkColumn *s = nexmark_schema(type, &n);
    CatTable *t = arena_new(A, CatTable);
    t->name = arena_strdup(A, type);
    t->connector = "nexmark";
    t->ncolumns = n;
    t->columns = arena_alloc0(A, sizeof(CatColumn) * (size_t)n);
    for (int i = 0; i < n; i++) {
        t->columns[i].name = (char *)s[i].name;
        t->columns[i].type = type_scalar(s[i].type);
    }
    return t;
}

/* A table from "name:TYPE" column specs. */
static CatTable *table_make(Oid oid, const char *name, int n, const char *const *specs, int npk,
                            const int *pk)
{
    CatTable *t = arena_new(A, CatTable);
    t->oid = oid;
    t->name = arena_strdup(A, name);
    t->schema = "public";
    t->ncolumns = n;
    t->columns = arena_alloc0(A, sizeof(CatColumn) * (size_t)n);
    for (int i = 0; i < n; i++) {
        const char *colon = strchr(specs[i], ':');
        int pos;
        const char *msg;
        t->columns[i].name = arena_strndup(A, specs[i], (size_t)(colon - specs[i]));
        t->columns[i].type = type_parse(A, colon + 1, &pos, &msg);
    }
    t->nprimary_key = npk;
    t->primary_key = npk ? arena_memdup(A, pk, sizeof(int) * (size_t)npk) : NULL;
    for (int i = 0; i < npk; i++)
        t->columns[pk[i]].not_null = true;
    return t;
}

static ConnectorContext *ctx_make(const CatTable *t, ResolvedOptions *o, int subtask, int par,
                                  Storage *st)
{
    ConnectorContext *cc = arena_new(A, ConnectorContext);
    cc->table = t;
    cc->opts = o;
    cc->job_id = "job_test";
    cc->subtask = subtask;
    cc->parallelism = par;
    cc->storage = st;
    cc->arena = arena_create("subtask", A);
    return cc;
}

typedef struct Rows {
    StrBuf text; /* one line per row: values joined by '|' */
    int64 nrows;
    int polls;
    SourceStatus last;
} Rows;

static const LmType **table_types(const CatTable *t)
{
    const LmType **types = arena_alloc(A, sizeof(LmType *) * (size_t)t->ncolumns);
    for (int c = 0; c < t->ncolumns; c++)
        types[c] = t->columns[c].type;
    return types;
}

static void append_batch_text(StrBuf *out, const Batch *b)
{
    for (int r = 0; r < b->count; r++) {
        for (int c = 0; c < b->ncols; c++) {
            if (c)
                strbuf_append_char(out, '|');
            value_format_text(&b->cols[c], r, out);
        }
        strbuf_append_char(out, '\n');
    }
}

/* Polls a source until it ends (or max_polls data polls); collects its rows as text. */
static void drain(const SourceOps *ops, void *st, const CatTable *t, int max_polls, Rows *rows)
{
    const LmType **types = table_types(t);
    Arena *ba = arena_create("batch", NULL);
    if (rows->text.arena == NULL && rows->text.data == NULL)
        strbuf_init(&rows->text, A);
    for (int idle = 0; idle < 100000;) {
        if (max_polls >= 0 && rows->polls >= max_polls)
            break;
        arena_reset(ba);
        Batch *b = batch_create(ba, t->ncolumns, types, LM_BATCH_SIZE);
        int part = -1;
        SourceStatus s = ops->poll(st, b, &part);
        rows->last = s;
        if (s == SOURCE_END)
            break;
        if (s == SOURCE_IDLE) {
            idle++;
            continue;
        }
        rows->polls++;
        rows->nrows += b->count;
        append_batch_text(&rows->text, b);
    }
    arena_destroy(ba);
}

static Rows *run_source(const SourceOps *ops, const CatTable *t, ResolvedOptions *o, int subtask,
                        int par)
{
    Rows *rows = arena_new(A, Rows);
    ConnectorContext *cc = ctx_make(t, o, subtask, par, NULL);
    void *st = ops->open(cc, NULL, 0);
    drain(ops, st, t, -1, rows);
    ops->close(st);
    return rows;
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted lines of a text (for comparing sets of rows). */
static char *sorted_lines(const char *text)
{
    char *copy = arena_strdup(A, text);
    int n = 0, cap = 1024;
    char **lines = malloc(sizeof(char *) * (size_t)cap);
    for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (n == cap)
            lines = realloc(lines, sizeof(char *) * (size_t)(cap *= 2));
        lines[n++] = l;
    }
    qsort(lines, (size_t)n, sizeof(char *), cmp_lines);
    StrBuf out;
    strbuf_init(&out, A);
    for (int i = 0; i < n; i++) {
        strbuf_append_str(&out, lines[i]);
        strbuf_append_char(&out, '\n');
    }
    free(lines);
    return out.data ? out.data : "";
}

static bool has_duplicate_lines(const char *sorted)
{
    const char *prev = NULL;
    size_t prevlen = 0;
    for (const char *p = sorted; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = (size_t)(e - p);
        if (prev && len == prevlen && memcmp(prev, p, len) == 0)
            return true;
        prev = p;
        prevlen = len;
        p = e + 1;
    }
    return false;
}

/* Column values of every row of a source, as int64 (ints and timestamps). */
static int64 *collect_ints(const SourceOps *ops, const CatTable *t, ResolvedOptions *o, int col,
                           int64 *n)
{
    ConnectorContext *cc = ctx_make(t, o, 0, 1, NULL);
    void *st = ops->open(cc, NULL, 0);
    const LmType **types = table_types(t);
    Arena *ba = arena_create("batch", NULL);
    int64 cap = 1024, cnt = 0;
    int64 *vals = malloc(sizeof(int64) * (size_t)cap);
    for (;;) {
        arena_reset(ba);
        Batch *b = batch_create(ba, t->ncolumns, types, LM_BATCH_SIZE);
        int part;
        SourceStatus s = ops->poll(st, b, &part);
        if (s == SOURCE_END)
            break;
        for (int r = 0; r < b->count; r++) {
            if (cnt == cap)
                vals = realloc(vals, sizeof(int64) * (size_t)(cap *= 2));
            vals[cnt++] = ((int64 *)b->cols[col].data)[r];
        }
    }
    arena_destroy(ba);
    ops->close(st);
    *n = cnt;
    return vals;
}

/* ---------- registry ---------- */

static void test_registry(void)
{
    LMT_CHECK(connector_source_ops("nexmark") == &nexmark_source_ops, "nexmark is a source");
    LMT_CHECK(connector_source_ops("datagen") == &datagen_source_ops, "datagen is a source");
    LMT_CHECK(connector_sink_ops("blackhole") == &blackhole_sink_ops, "blackhole is a sink");
    LMT_CHECK(connector_sink_ops("table") == &table_sink_ops, "plain tables are a sink");
    LMT_CHECK(connector_source_ops("kafka") != NULL && connector_sink_ops("kafka") != NULL,
              "kafka reads and writes");
    LMT_CHECK(connector_source_ops("no_such_connector") == NULL &&
                  connector_sink_ops("no_such_connector") == NULL,
              "unknown connectors have no runtime");
    LMT_CHECK(connector_source_ops("blackhole") == NULL && connector_sink_ops("nexmark") == NULL,
              "no sink sources or source sinks");
}

/* ---------- nexmark ---------- */

static ResolvedOptions *nx_opts(const char *type, const char *max, const char *seed)
{
    const char *kv[] = {"event_type", type, "max_events", max, "seed", seed};
    return opts_make(3, kv);
}

static void test_nexmark_determinism(void)
{
    CatTable *bid = nexmark_table("bid");
    Rows *a = run_source(&nexmark_source_ops, bid, nx_opts("bid", "3000", "7"), 0, 1);
    Rows *b = run_source(&nexmark_source_ops, bid, nx_opts("bid", "3000", "7"), 0, 1);
    Rows *c = run_source(&nexmark_source_ops, bid, nx_opts("bid", "3000", "8"), 0, 1);
    LMT_CHECK(a->nrows == 2760 && a->last == SOURCE_END, "3000 events hold 2760 bids (got %lld)",
              (long long)a->nrows);
    LMT_CHECK(strcmp(a->text.data, b->text.data) == 0, "same seed, same bids");
    LMT_CHECK(strcmp(a->text.data, c->text.data) != 0, "another seed, other bids");
    CatTable *person = nexmark_table("person");
    Rows *p1 = run_source(&nexmark_source_ops, person, nx_opts("person", "5000", "7"), 0, 1);
    Rows *p2 = run_source(&nexmark_source_ops, person, nx_opts("person", "5000", "7"), 0, 1);
    LMT_CHECK(p1->nrows == 100 && strcmp(p1->text.data, p2->text.data) == 0,
              "same seed, same people");
    CatTable *auction = nexmark_table("auction");
    Rows *a1 = run_source(&nexmark_source_ops, auction, nx_opts("auction", "5000", "7"), 0, 1);
    LMT_CHECK(a1->nrows == 300, "5000 events hold 300 auctions (got %lld)", (long long)a1->nrows);
    lmt_diag("first bid: %.*s", (int)(strchr(a->text.data, '\n') - a->text.data), a->text.data);
    lmt_diag("first person: %.*s", (int)(strchr(p1->text.data, '\n') - p1->text.data),
             p1->text.data);
    lmt_diag("first auction: %.*s", (int)(strchr(a1->text.data, '\n') - a1->text.data),
             a1->text.data);
}

static void test_nexmark_ids(void)
{
    int64 n, m;
    CatTable *person = nexmark_table("person"), *auction = nexmark_table("auction"),
             *bid = nexmark_table("bid");

    int64 *pid = collect_ints(&nexmark_source_ops, person, nx_opts("person", "50000", "1"), 0, &n);
    bool consecutive = n == 1000;
    for (int64 i = 0; i < n; i++)
        consecutive &= pid[i] == 1000 + i;
    LMT_CHECK(consecutive, "person ids are 1000, 1001, ... one per 50 events");
    int64 *ptime =
        collect_ints(&nexmark_source_ops, person, nx_opts("person", "50000", "1"), 6, &n);
    LMT_CHECK(ptime[0] == 1704067200000000LL && ptime[1] - ptime[0] == 500,
              "person date_time: base + 10 us per event (got %lld, +%lld)", (long long)ptime[0],
              (long long)(ptime[1] - ptime[0]));

    int64 *aid = collect_ints(&nexmark_source_ops, auction, nx_opts("auction", "50000", "1"), 0, &m);
    consecutive = m == 3000;
    for (int64 i = 0; i < m; i++)
        consecutive &= aid[i] == 1000 + i;
    LMT_CHECK(consecutive, "auction ids are 1000, 1001, ... three per 50 events");
    int64 *cat = collect_ints(&nexmark_source_ops, auction, nx_opts("auction", "50000", "1"), 8, &m);
    int64 *seller =
        collect_ints(&nexmark_source_ops, auction, nx_opts("auction", "50000", "1"), 7, &m);
    bool cat_ok = true, seller_ok = true;
    int64 hot_sellers = 0;
    for (int64 i = 0; i < m; i++) {
        cat_ok &= cat[i] >= 10 && cat[i] < 15;
        int64 epoch = i / 3; /* auction i lies in epoch i / 3, after that epoch's person */
        seller_ok &= seller[i] >= 1000 && seller[i] <= 1000 + epoch + 10;
        hot_sellers += (seller[i] - 1000) % 100 == 0;
    }
    LMT_CHECK(cat_ok, "categories 10..14");
    LMT_CHECK(seller_ok, "sellers are existing people (or the lead of 10)");
    LMT_CHECK(hot_sellers > m * 70 / 100 && hot_sellers < m * 82 / 100,
              "about 3/4 of sellers are hot (%lld of %lld)", (long long)hot_sellers,
              (long long)m);
    int64 *res = collect_ints(&nexmark_source_ops, auction, nx_opts("auction", "50000", "1"), 4, &m);
    int64 *ini = collect_ints(&nexmark_source_ops, auction, nx_opts("auction", "50000", "1"), 3, &m);
    int64 *exp = collect_ints(&nexmark_source_ops, auction, nx_opts("auction", "50000", "1"), 6, &m);
    int64 *at = collect_ints(&nexmark_source_ops, auction, nx_opts("auction", "50000", "1"), 5, &m);
    bool res_ok = true, exp_ok = true;
    for (int64 i = 0; i < m; i++) {
        res_ok &= res[i] > ini[i] && ini[i] >= 100 && ini[i] <= 100000000;
        exp_ok &= exp[i] > at[i];
    }
    LMT_CHECK(res_ok, "reserve exceeds initial_bid, prices within 100..1e8");
    LMT_CHECK(exp_ok, "auctions expire after they start");

    int64 *ba = collect_ints(&nexmark_source_ops, bid, nx_opts("bid", "50000", "1"), 0, &n);
    int64 *bb = collect_ints(&nexmark_source_ops, bid, nx_opts("bid", "50000", "1"), 1, &n);
    int64 *bp = collect_ints(&nexmark_source_ops, bid, nx_opts("bid", "50000", "1"), 2, &n);
    int64 *bt = collect_ints(&nexmark_source_ops, bid, nx_opts("bid", "50000", "1"), 5, &n);
    LMT_CHECK(n == 46000, "50000 events hold 46000 bids");
    bool ids_ok = true, price_ok = true;
    int64 hot_auctions = 0, hot_bidders = 0, low_prices = 0;
    for (int64 i = 0; i < n; i++) {
        int64 ev = (bt[i] - 1704067200000000LL) / 10; /* event number from event time */
        int64 epoch = ev / 50;
        int64 last_auction = 1000 + epoch * 3 + 2, last_person = 1000 + epoch;
        ids_ok &= ba[i] >= 1000 && ba[i] <= last_auction + 10;
        ids_ok &= bb[i] >= 1000 && bb[i] <= last_person + 10;
        ids_ok &= ev % 50 >= 4;
        hot_auctions += (ba[i] - 1000) % 100 == 0;
        hot_bidders += (bb[i] - 1000) % 100 == 1;
        price_ok &= bp[i] >= 100 && bp[i] <= 100000000;
        low_prices += bp[i] < 10000;
    }
    LMT_CHECK(ids_ok, "bids name existing auctions/people (or the leads) and sit at offsets 4..49");
    LMT_CHECK(hot_auctions > n * 48 / 100 && hot_auctions < n * 56 / 100,
              "about 1/2 of bids go to the hot auction (%lld of %lld)", (long long)hot_auctions,
              (long long)n);
    LMT_CHECK(hot_bidders > n * 72 / 100 && hot_bidders < n * 80 / 100,
              "about 3/4 of bids come from the hot bidder (%lld of %lld)", (long long)hot_bidders,
              (long long)n);
    LMT_CHECK(price_ok && low_prices > n * 30 / 100 && low_prices < n * 37 / 100,
              "prices 100 * 10^(6u): a third below 10000 (%lld)", (long long)low_prices);
    free(pid), free(ptime), free(aid), free(cat), free(seller), free(res), free(ini), free(exp),
        free(at), free(ba), free(bb), free(bp), free(bt);

    /* Channels and urls */
    Rows *r = run_source(&nexmark_source_ops, bid, nx_opts("bid", "5000", "1"), 0, 1);
    int hot = 0, gen = 0, total = 0;
    for (const char *p = r->text.data; *p; p = strchr(p, '\n') + 1) {
        const char *c = strchr(strchr(strchr(p, '|') + 1, '|') + 1, '|') + 1;
        total++;
        hot += strncmp(c, "Google|", 7) == 0 || strncmp(c, "Facebook|", 9) == 0 ||
               strncmp(c, "Baidu|", 6) == 0 || strncmp(c, "Apple|", 6) == 0;
        gen += strncmp(c, "channel-", 8) == 0;
    }
    LMT_CHECK(hot + gen == total && hot > total * 45 / 100 && hot < total * 55 / 100,
              "half the channels are Google/Facebook/Baidu/Apple, the rest channel-N (%d/%d/%d)",
              hot, gen, total);
    LMT_CHECK(strstr(r->text.data, "|https://www.nexmark.com/") != NULL, "urls are nexmark urls");
}

static void test_nexmark_splits(void)
{
    CatTable *bid = nexmark_table("bid");
    Rows *one = run_source(&nexmark_source_ops, bid, nx_opts("bid", "20017", "3"), 0, 1);
    for (int p = 2; p <= 3; p++) {
        StrBuf all;
        strbuf_init(&all, A);
        int64 total = 0;
        for (int k = 0; k < p; k++) {
            Rows *r = run_source(&nexmark_source_ops, bid, nx_opts("bid", "20017", "3"), k, p);
            strbuf_append_str(&all, r->text.data ? r->text.data : "");
            total += r->nrows;
        }
        char *s_all = sorted_lines(all.data);
        LMT_CHECK(total == one->nrows && strcmp(s_all, sorted_lines(one->text.data)) == 0 &&
                      !has_duplicate_lines(s_all),
                  "parallelism %d: the subtasks' bids are every bid exactly once", p);
    }
    CatTable *person = nexmark_table("person");
    Rows *p0 = run_source(&nexmark_source_ops, person, nx_opts("person", "10000", "3"), 0, 2);
    Rows *p1 = run_source(&nexmark_source_ops, person, nx_opts("person", "10000", "3"), 1, 2);
    LMT_CHECK(p0->nrows == 100 && p1->nrows == 100, "two subtasks get half the people each");
}

static void test_nexmark_restore(void)
{
    CatTable *bid = nexmark_table("bid");
    for (int p = 1; p <= 2; p++) {
        ResolvedOptions *o = nx_opts("bid", "30000", "11");
        Rows *full = run_source(&nexmark_source_ops, bid, o, p - 1, p);

        Rows *part = arena_new(A, Rows);
        ConnectorContext *cc = ctx_make(bid, o, p - 1, p, NULL);
        void *st = nexmark_source_ops.open(cc, NULL, 0);
        drain(&nexmark_source_ops, st, bid, 3, part);
        StrBuf pos;
        strbuf_init(&pos, A);
        nexmark_source_ops.position(st, &pos);
        nexmark_source_ops.close(st);
        ConnectorContext *cc2 = ctx_make(bid, o, p - 1, p, NULL);
        st = nexmark_source_ops.open(cc2, pos.data, pos.len);
        drain(&nexmark_source_ops, st, bid, -1, part);
        nexmark_source_ops.close(st);
        LMT_CHECK(part->nrows == full->nrows && strcmp(part->text.data, full->text.data) == 0,
                  "parallelism %d: restoring from the position after 3 batches (%s) continues "
                  "exactly",
                  p, pos.data);
    }
    ConnectorContext *cc = ctx_make(bid, nx_opts("bid", "30000", "11"), 0, 2, NULL);
    LMT_EXPECT_ERROR(nexmark_source_ops.open(cc, "nexmark v1 1 0 500", 18), "0A000",
                     "a position of another parallelism is refused");
    LMT_EXPECT_ERROR(nexmark_source_ops.open(cc, "garbage", 7), "XX001",
                     "a malformed position is refused");
}

static void test_nexmark_options(void)
{
    CatTable *bid = nexmark_table("bid");
    const char *kv[] = {"event_type", "bid", "max_events", "200", "events_per_second", "1000"};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    Rows *r = run_source(&nexmark_source_ops, bid, opts_make(3, kv), 0, 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    LMT_CHECK(r->nrows == 184 && secs > 0.15 && secs < 2.0,
              "events_per_second = 1000 spreads 200 events over ~0.2 s (%.3f s, %lld bids)", secs,
              (long long)r->nrows);
    LMT_CHECK(r->polls > 5, "a rate-limited source returns small batches as events fall due");

    /* Event time follows the rate. */
    int64 n;
    int64 *ts = collect_ints(&nexmark_source_ops, bid, opts_make(3, kv), 5, &n);
    LMT_CHECK(n > 1 && ts[1] - ts[0] == 1000, "at 1000 events/s consecutive bids are 1 ms apart");
    free(ts);

    /* A subset of columns in another order. */
    CatTable *t = table_make(0, "b2", 2, (const char *const[]){"price:BIGINT", "auction:BIGINT"}, 0,
                             NULL);
    Rows *sub = run_source(&nexmark_source_ops, t, nx_opts("bid", "100", "7"), 0, 1);
    Rows *all = run_source(&nexmark_source_ops, bid, nx_opts("bid", "100", "7"), 0, 1);
    char want[64];
    const char *l = all->text.data;
    const char *p1 = strchr(l, '|'), *p2 = strchr(p1 + 1, '|'), *p3 = strchr(p2 + 1, '|');
    snprintf(want, sizeof want, "%.*s|%.*s\n", (int)(p3 - p2 - 1), p2 + 1, (int)(p1 - l), l);
    LMT_CHECK(sub->nrows == 92 && strncmp(sub->text.data, want, strlen(want)) == 0,
              "a table declaring some columns in its own order gets those fields");

    CatTable *bad = table_make(0, "b3", 1, (const char *const[]){"nope:BIGINT"}, 0, NULL);
    ConnectorContext *cc = ctx_make(bad, nx_opts("bid", "100", "7"), 0, 1, NULL);
    LMT_EXPECT_ERROR(nexmark_source_ops.open(cc, NULL, 0), "42703",
                     "a column that is no nexmark field is refused");
    CatTable *badt = table_make(0, "b4", 1, (const char *const[]){"price:TEXT"}, 0, NULL);
    cc = ctx_make(badt, nx_opts("bid", "100", "7"), 0, 1, NULL);
    LMT_EXPECT_ERROR(nexmark_source_ops.open(cc, NULL, 0), "42804",
                     "a nexmark field with another type is refused");

    /* Unbounded: keeps going */
    const char *kv2[] = {"event_type", "auction"};
    Rows *u = arena_new(A, Rows);
    cc = ctx_make(nexmark_table("auction"), opts_make(1, kv2), 0, 1, NULL);
    void *st = nexmark_source_ops.open(cc, NULL, 0);
    drain(&nexmark_source_ops, st, nexmark_table("auction"), 20, u);
    LMT_CHECK(u->nrows == 20 * LM_BATCH_SIZE && u->last == SOURCE_DATA,
              "without max_events the generator does not end");
}

/* ---------- datagen ---------- */

static void test_datagen(void)
{
    CatTable *t = table_make(0, "dg", 6,
                             (const char *const[]){"id:BIGINT", "k:INT", "s:TEXT", "f:DOUBLE",
                                                   "ts:TIMESTAMP", "b:BOOLEAN"},
                             0, NULL);
    const char *kv[] = {"number_of_rows", "5000", "seed", "42", "fields.id.kind", "sequence",
                        "fields.id.start", "100", "fields.k.min", "-5", "fields.k.max", "5",
                        "fields.s.length", "7", "fields.f.min", "1.5", "fields.f.max", "2.5"};
    ResolvedOptions *o = opts_make(9, kv);
    Rows *a = run_source(&datagen_source_ops, t, o, 0, 1);
    Rows *b = run_source(&datagen_source_ops, t, o, 0, 1);
    LMT_CHECK(a->nrows == 5000 && a->last == SOURCE_END, "number_of_rows bounds the table");
    LMT_CHECK(strcmp(a->text.data, b->text.data) == 0, "same seed, same rows");
    lmt_diag("first row: %.*s", (int)(strchr(a->text.data, '\n') - a->text.data), a->text.data);

    int64 n;
    int64 *id = collect_ints(&datagen_source_ops, t, o, 0, &n);
    bool seq = n == 5000;
    for (int64 i = 0; i < n; i++)
        seq &= id[i] == 100 + i;
    LMT_CHECK(seq, "sequence starts at .start and counts up");
    int64 *ts = collect_ints(&datagen_source_ops, t, o, 4, &n);
    LMT_CHECK(ts[0] == 1704067200000000LL && ts[1] - ts[0] == 1000,
              "seeded timestamps: 2024-01-01 + 1 ms per row when unlimited");
    free(id);
    free(ts);

    /* ranges, lengths */
    bool k_ok = true, s_ok = true, f_ok = true;
    int seen_min = 0, seen_max = 0;
    for (const char *p = a->text.data; *p; p = strchr(p, '\n') + 1) {
        long long idv, k;
        char s[64];
        double f;
        if (sscanf(p, "%lld|%lld|%63[^|]|%lf|", &idv, &k, s, &f) != 4) {
            k_ok = false;
            break;
        }
        k_ok &= k >= -5 && k <= 5;
        seen_min |= k == -5;
        seen_max |= k == 5;
        s_ok &= strlen(s) == 7 && strspn(s, "abcdefghijklmnopqrstuvwxyz") == 7;
        f_ok &= f >= 1.5 && f <= 2.5;
    }
    LMT_CHECK(k_ok && seen_min && seen_max, "random integers cover [min, max] inclusive");
    LMT_CHECK(s_ok, "random strings have .length letters");
    LMT_CHECK(f_ok, "random floats lie in [min, max]");

    /* sequence end bounds the table */
    const char *kv2[] = {"fields.id.kind", "sequence", "fields.id.start", "1", "fields.id.end",
                         "2500"};
    Rows *e = run_source(&datagen_source_ops, t, opts_make(3, kv2), 0, 1);
    LMT_CHECK(e->nrows == 2500 && e->last == SOURCE_END, "a bounded sequence ends the table");

    /* splits */
    StrBuf all;
    strbuf_init(&all, A);
    int64 total = 0;
    for (int k = 0; k < 3; k++) {
        Rows *r = run_source(&datagen_source_ops, t, o, k, 3);
        strbuf_append_str(&all, r->text.data);
        total += r->nrows;
    }
    LMT_CHECK(total == 5000 && strcmp(sorted_lines(all.data), sorted_lines(a->text.data)) == 0,
              "three subtasks produce every row exactly once");

    /* restore */
    Rows *part = arena_new(A, Rows);
    ConnectorContext *cc = ctx_make(t, o, 1, 2, NULL);
    void *st = datagen_source_ops.open(cc, NULL, 0);
    drain(&datagen_source_ops, st, t, 1, part);
    StrBuf pos;
    strbuf_init(&pos, A);
    datagen_source_ops.position(st, &pos);
    st = datagen_source_ops.open(ctx_make(t, o, 1, 2, NULL), pos.data, pos.len);
    drain(&datagen_source_ops, st, t, -1, part);
    Rows *whole = run_source(&datagen_source_ops, t, o, 1, 2);
    LMT_CHECK(strcmp(part->text.data, whole->text.data) == 0,
              "restoring from a position continues exactly");

    /* unseeded timestamps are the wall clock */
    CatTable *t2 = table_make(0, "dg2", 1, (const char *const[]){"ts:TIMESTAMP"}, 0, NULL);
    const char *kv3[] = {"number_of_rows", "10"};
    int64 *now = collect_ints(&datagen_source_ops, t2, opts_make(1, kv3), 0, &n);
    int64 wall = (int64)time(NULL) * 1000000;
    LMT_CHECK(n == 10 && now[0] > wall - 5000000 && now[0] < wall + 5000000,
              "without a seed, timestamps are the current time");
    free(now);

    /* rate */
    const char *kv4[] = {"number_of_rows", "300", "rows_per_second", "1000"};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    Rows *rr = run_source(&datagen_source_ops, t2, opts_make(2, kv4), 0, 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    LMT_CHECK(rr->nrows == 300 && secs > 0.2 && secs < 2.0,
              "rows_per_second = 1000 spreads 300 rows over ~0.3 s (%.3f s)", secs);

    /* errors */
    const char *kv5[] = {"fields.id.kind", "zigzag"};
    cc = ctx_make(t, opts_make(1, kv5), 0, 1, NULL);
    LMT_EXPECT_ERROR(datagen_source_ops.open(cc, NULL, 0), "22023", "an unknown kind is refused");
    const char *kv6[] = {"fields.k.min", "9", "fields.k.max", "3"};
    cc = ctx_make(t, opts_make(2, kv6), 0, 1, NULL);
    LMT_EXPECT_ERROR(datagen_source_ops.open(cc, NULL, 0), "22023", "max below min is refused");
    CatTable *t3 = table_make(0, "dg3", 1, (const char *const[]){"a:INT[]"}, 0, NULL);
    cc = ctx_make(t3, opts_make(0, NULL), 0, 1, NULL);
    LMT_EXPECT_ERROR(datagen_source_ops.open(cc, NULL, 0), "0A000",
                     "a type datagen cannot make is refused");
}

/* ---------- sinks ---------- */

static void test_blackhole(void)
{
    CatTable *t = nexmark_table("bid");
    ConnectorContext *cc = ctx_make(t, opts_make(0, NULL), 0, 1, NULL);
    void *sink = blackhole_sink_ops.open(cc, 0);
    ConnectorContext *sc = ctx_make(t, nx_opts("bid", "2000", "1"), 0, 1, NULL);
    void *src = nexmark_source_ops.open(sc, NULL, 0);
    const LmType **types = table_types(t);
    int64 n = 0;
    for (;;) {
        Batch *b = batch_create(A, t->ncolumns, types, LM_BATCH_SIZE);
        int part;
        if (nexmark_source_ops.poll(src, b, &part) == SOURCE_END)
            break;
        blackhole_sink_ops.write(sink, b);
        n += b->count;
    }
    StorageBatch *cp = storage_batch_create();
    blackhole_sink_ops.prepare(sink, 1, cp);
    LMT_CHECK(storage_batch_count(cp) == 0, "blackhole stages nothing");
    blackhole_sink_ops.commit(sink, 1);
    blackhole_sink_ops.close(sink);
    storage_batch_destroy(cp);
    LMT_CHECK(*(int64 *)sink == n && n == 1840, "blackhole counts the rows (%lld)", (long long)n);
}

/* The table as "a|b;..." */
static char *table_text(Storage *st, const CatTable *t)
{
    TableTxn *txn = table_txn_begin(st);
    int *cols = arena_alloc(A, sizeof(int) * (size_t)t->ncolumns);
    for (int c = 0; c < t->ncolumns; c++)
        cols[c] = c;
    TableScan *s = table_scan_open(txn, A, t, t->ncolumns, cols, false);
    StrBuf out;
    strbuf_init(&out, A);
    strbuf_append_str(&out, "");
    for (;;) {
        Batch *b = batch_create(A, t->ncolumns, table_types(t), LM_BATCH_SIZE);
        if (!table_scan_next(s, b))
            break;
        for (int r = 0; r < b->count; r++) {
            if (out.len)
                strbuf_append_char(&out, ';');
            for (int c = 0; c < t->ncolumns; c++) {
                if (c)
                    strbuf_append_char(&out, '|');
                value_format_text(&b->cols[c], r, &out);
            }
        }
    }
    table_scan_close(s);
    table_txn_abort(txn);
    return out.data;
}

/* A changelog batch from "op:id:v" items (op I, D, B = update before, A = update after). */
static Batch *changelog(const CatTable *t, int n, const char *const *items)
{
    Batch *b = batch_create(A, t->ncolumns, table_types(t), n);
    b->ops = arena_alloc0(A, (size_t)n);
    for (int i = 0; i < n; i++) {
        char op;
        long long id;
        char v[32];
        sscanf(items[i], "%c:%lld:%31s", &op, &id, v);
        b->ops[i] = op == 'I' ? ROW_INSERT : op == 'D' ? ROW_DELETE : op == 'B' ? ROW_UPDATE_BEFORE
                                                                                : ROW_UPDATE_AFTER;
        vector_set_int64(&b->cols[0], i, id);
        vector_set_cstr(&b->cols[1], A, i, v);
    }
    b->count = n;
    return b;
}

/* One checkpoint: prepare into a batch, check invisibility, commit the batch, commit the sink. */
static void checkpoint(Storage *st, const SinkOps *ops, void *sink, int64 id, const CatTable *t,
                       const char *before)
{
    StorageBatch *cp = storage_batch_create();
    ops->prepare(sink, id, cp);
    LMT_CHECK_STR(table_text(st, t), before,
                  "checkpoint %lld: nothing visible after prepare, before the batch commits",
                  (long long)id);
    storage_batch_commit(st, cp, true);
    storage_batch_destroy(cp);
    ops->commit(sink, id);
}

static void test_table_sink(void)
{
    char dir[] = "/tmp/lm_test_sinkXXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        exit(2);
    }
    Storage *st = storage_open(dir);
    CatTable *t = table_make(90001, "results", 2, (const char *const[]){"id:BIGINT", "v:TEXT"}, 1,
                             (const int[]){0});

    ConnectorContext *cc = ctx_make(t, opts_make(0, NULL), 0, 1, st);
    void *s = table_sink_ops.open(cc, 0);
    table_sink_ops.write(s, changelog(t, 3, (const char *const[]){"I:1:a", "I:2:b", "I:3:c"}));
    LMT_CHECK_STR(table_text(st, t), "", "written rows are not visible before a checkpoint");
    checkpoint(st, &table_sink_ops, s, 1, t, "");
    LMT_CHECK_STR(table_text(st, t), "1|a;2|b;3|c", "visible once the checkpoint committed");

    table_sink_ops.write(s, changelog(t, 6,
                                      (const char *const[]){"B:1:a", "A:1:a2", "D:2:b", "I:4:d",
                                                            "I:4:d2", "I:3:c2"}));
    table_sink_ops.write(s, changelog(t, 2, (const char *const[]){"I:5:e", "D:5:e"}));
    checkpoint(st, &table_sink_ops, s, 2, t, "1|a;2|b;3|c");
    LMT_CHECK_STR(table_text(st, t), "1|a2;3|c2;4|d2",
                  "update before/after, delete, upsert of an existing and a repeated key");

    table_sink_ops.write(s, changelog(t, 2, (const char *const[]){"B:3:c2", "D:1:a2"}));
    checkpoint(st, &table_sink_ops, s, 3, t, "1|a2;3|c2;4|d2");
    LMT_CHECK_STR(table_text(st, t), "4|d2",
                  "an UPDATE_BEFORE without its UPDATE_AFTER removes the key");

    /* A lost epoch: written, never prepared (crash) → nothing. */
    table_sink_ops.write(s, changelog(t, 1, (const char *const[]){"I:9:lost"}));
    table_sink_ops.close(s);
    storage_close(st);
    st = storage_open(dir);
    LMT_CHECK_STR(table_text(st, t), "4|d2", "after a crash nothing of the unprepared epoch exists");

    /* Prepared but the checkpoint batch never committed → nothing. */
    cc = ctx_make(t, opts_make(0, NULL), 0, 1, st);
    s = table_sink_ops.open(cc, 3);
    table_sink_ops.write(s, changelog(t, 1, (const char *const[]){"I:8:uncommitted"}));
    StorageBatch *cp = storage_batch_create();
    table_sink_ops.prepare(s, 4, cp);
    storage_batch_destroy(cp);
    table_sink_ops.close(s);
    LMT_CHECK_STR(table_text(st, t), "4|d2",
                  "a prepared epoch whose checkpoint did not commit leaves nothing");

    /* Two subtasks of one table: prepare both into one checkpoint (no lock held across). */
    void *s0 = table_sink_ops.open(ctx_make(t, opts_make(0, NULL), 0, 2, st), 4);
    void *s1 = table_sink_ops.open(ctx_make(t, opts_make(0, NULL), 1, 2, st), 4);
    table_sink_ops.write(s0, changelog(t, 1, (const char *const[]){"I:10:x"}));
    table_sink_ops.write(s1, changelog(t, 1, (const char *const[]){"I:11:y"}));
    cp = storage_batch_create();
    table_sink_ops.prepare(s0, 5, cp);
    table_sink_ops.prepare(s1, 5, cp);
    /* A session can write the table between checkpoints (the sink holds no lock). */
    TableTxn *user = table_txn_begin(st);
    Batch *ub = changelog(t, 1, (const char *const[]){"I:12:z"});
    ub->ops = NULL;
    table_insert(user, t, ub, CONFLICT_ERROR, NULL, NULL);
    table_txn_commit(user);
    storage_batch_commit(st, cp, true);
    storage_batch_destroy(cp);
    LMT_CHECK_STR(table_text(st, t), "4|d2;10|x;11|y;12|z",
                  "two subtasks' epochs commit in one checkpoint, a session writes in between");
    table_sink_ops.close(s0);
    table_sink_ops.close(s1);

    /* Many rows, across staging batches and map growth. */
    s = table_sink_ops.open(ctx_make(t, opts_make(0, NULL), 0, 1, st), 5);
    Batch *big = batch_create(A, 2, table_types(t), LM_BATCH_SIZE);
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < LM_BATCH_SIZE; i++) {
            vector_set_int64(&big->cols[0], i, 1000 + (round * LM_BATCH_SIZE + i) % 10000);
            vector_set_cstr(&big->cols[1], A, i, round % 2 ? "odd" : "even");
        }
        big->count = LM_BATCH_SIZE;
        table_sink_ops.write(s, big);
    }
    cp = storage_batch_create();
    table_sink_ops.prepare(s, 6, cp);
    storage_batch_commit(st, cp, true);
    storage_batch_destroy(cp);
    table_sink_ops.close(s);
    int nrows = 1;
    for (const char *p = table_text(st, t); *p; p++)
        nrows += *p == ';';
    LMT_CHECK(nrows == 10000 + 4, "20480 upserts of 10000 keys leave 10000 rows (%d)", nrows - 4);

    /* Without a primary key: appends; a changelog is refused. */
    CatTable *log = table_make(90002, "log", 2, (const char *const[]){"id:BIGINT", "v:TEXT"}, 0,
                               NULL);
    s = table_sink_ops.open(ctx_make(log, opts_make(0, NULL), 0, 1, st), 0);
    Batch *ins = changelog(log, 2, (const char *const[]){"I:1:a", "I:1:a"});
    ins->ops = NULL;
    table_sink_ops.write(s, ins);
    checkpoint(st, &table_sink_ops, s, 1, log, "");
    LMT_CHECK_STR(table_text(st, log), "1|a;1|a", "without a primary key rows are appended");
    LMT_EXPECT_ERROR(table_sink_ops.write(s, changelog(log, 1, (const char *const[]){"D:1:a"})),
                     "0A000", "a delete into a table without a primary key is refused");
    table_sink_ops.close(s);

    storage_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", dir);
}

int main(void)
{
    A = arena_create("test", NULL);
    test_registry();
    test_nexmark_determinism();
    test_nexmark_ids();
    test_nexmark_splits();
    test_nexmark_restore();
    test_nexmark_options();
    test_datagen();
    test_blackhole();
    test_table_sink();
    arena_destroy(A);
    return lmt_done();
}
