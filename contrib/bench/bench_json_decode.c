/*
 * bench_json_decode.c: raw speed of the json format's decoder
 * (connectors/fmt_json.c) for seed 000's 5-column clickstream record
 * (BIGINT, STRING, TIMESTAMP, INT, DOUBLE), on one core.
 *
 * N distinct records are generated in memory first (ids, urls, timestamps
 * and numbers vary), then decoded into batches of 1024 rows with the batch
 * arena reset between batches, as a source does.  Prints records per
 * CPU-second for the decoder alone, and for the encoder (the sink side).
 * The Kafka source adds librdkafka's consumer cost on top (BENCHMARKS.md).
 *
 *     contrib/bench/bench_json_decode [records (default 2000000)]
 */
#include "common/arena.h"
#include "common/error.h"
#include "common/vector.h"
#include "connectors/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    Arena *a = arena_create("bench", NULL);
    static const char *names[] = {"user_id", "page_url", "ts", "duration_ms", "score"};
    const LmType *types[] = {type_int64(), type_string(), type_timestamp(), type_int32(),
                             type_float64()};
    CatTable *t = arena_new(a, CatTable);
    t->name = "clickstream";
    t->connector = "kafka";
    t->ncolumns = 5;
    t->columns = arena_alloc0(a, sizeof(CatColumn) * 5);
    for (int i = 0; i < 5; i++) {
        t->columns[i].name = (char *)names[i];
        t->columns[i].type = types[i];
    }
    ResolvedOptions opts = {0};

    /* records, one buffer */
    StrBuf all;
    strbuf_init(&all, NULL);
    size_t *off = malloc(sizeof(size_t) * (size_t)(n + 1));
    for (long i = 0; i < n; i++) {
        off[i] = all.len;
        strbuf_printf(&all,
                      "{\"user_id\":%ld,\"page_url\":\"https://example.com/p/%ld?ref=home\","
                      "\"ts\":\"2024-01-%02ldT%02ld:%02ld:%02ld.%03ldZ\",\"duration_ms\":%ld,"
                      "\"score\":%ld.%02ld}",
                      1000000 + i * 7919 % 100000, i % 5000, 1 + i % 28, i % 24, i % 60,
                      (i / 60) % 60, i % 1000, i % 30000, i % 100, i % 97);
    }
    off[n] = all.len;

    FormatDecoder *d = format_decoder_create(a, t, &opts, NULL);
    Arena *ba = arena_create("batch", NULL);
    FormatError err;
    long bad = 0;
    double c0 = cpu_s();
    for (long i = 0; i < n;) {
        arena_reset(ba);
        Batch *b = batch_create(ba, 5, types, LM_BATCH_SIZE);
        int row = 0;
        for (; row < LM_BATCH_SIZE && i < n; i++)
            if (format_decode(d, all.data + off[i], off[i + 1] - off[i], b, row, &err))
                row++;
            else
                bad++;
        b->count = row;
    }
    double dec_s = cpu_s() - c0;

    /* encoder over the last batch's rows, repeated */
    arena_reset(ba);
    Batch *b = batch_create(ba, 5, types, LM_BATCH_SIZE);
    for (int r = 0; r < LM_BATCH_SIZE; r++)
        format_decode(d, all.data + off[r % n], off[r % n + 1] - off[r % n], b, r, &err);
    b->count = LM_BATCH_SIZE;
    FormatEncoder *e = format_encoder_create(a, t, &opts);
    StrBuf out;
    strbuf_init(&out, NULL);
    c0 = cpu_s();
    for (long i = 0; i < n; i++) {
        if ((i & (LM_BATCH_SIZE - 1)) == 0)
            strbuf_reset(&out);
        format_encode(e, b, (int)(i & (LM_BATCH_SIZE - 1)), &out);
    }
    double enc_s = cpu_s() - c0;

    printf("records %ld (%.1f bytes each), bad %ld\n", n, (double)all.len / (double)n, bad);
    printf("json decode: %.2f s CPU, %.2f M records/CPU-s, %.0f MB/s\n", dec_s, n / dec_s / 1e6,
           all.len / dec_s / 1e6);
    printf("json encode: %.2f s CPU, %.2f M records/CPU-s\n", enc_s, n / enc_s / 1e6);
    strbuf_free(&all);
    strbuf_free(&out);
    free(off);
    return bad ? 1 : 0;
}
