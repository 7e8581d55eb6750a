/*
 * test_kafka_connector.c: the Kafka source and sink (connectors/kafka_source.c,
 * kafka_sink.c) driven through their SourceOps/SinkOps without a job,
 * against librdkafka's mock cluster started in-process (a real
 * Kafka-protocol broker on 127.0.0.1).
 *
 * Covers: subtasks of a parallelism-2 source own disjoint partitions that
 * together are all of them; a source reopened from its position continues
 * exactly after the last row returned (no gap, no repeat); metadata columns
 * (_partition, _offset, _key); lag reaches 0 once caught up; a bad record is
 * reported with its raw sample and skipped (ignore_parse_errors); the sink
 * makes an epoch visible only at commit (exactly_once) and writes upserts
 * keyed by key_field with tombstones for deletes.
 */
#include "common/arena.h"
#include "common/error.h"
#include "common/vector.h"
#include "connectors/builtin.h"
#include "storage/storage.h"

#include "lmtest.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static Arena *A;
static const char *boot;
static int nerrors;
static char last_sample[256];

static void on_error(void *arg, const char *code, const char *message, const char *details,
                     const char *sample, size_t sample_len)
{
    (void)arg, (void)code, (void)message, (void)details;
    nerrors++;
    snprintf(last_sample, sizeof last_sample, "%.*s", (int)sample_len, sample ? sample : "");
}

static ResolvedOptions *opts_make(int n, const char *const *kv)
{
    ResolvedOptions *o = arena_new(A, ResolvedOptions);
    o->count = n;
    o->names = arena_alloc(A, sizeof(char *) * (size_t)n);
    o->values = arena_alloc(A, sizeof(char *) * (size_t)n);
    for (int i = 0; i < n; i++) {
        o->names[i] = kv[2 * i];
        o->values[i] = kv[2 * i + 1];
    }
    return o;
}

/* (id BIGINT, v STRING, _partition INT, _offset BIGINT, _key STRING) */
static CatTable *source_table(void)
{
    CatTable *t = arena_new(A, CatTable);
    t->id = "tbl_ktest";
    t->name = "ks";
    t->connector = "kafka";
    t->ncolumns = 5;
    t->columns = arena_alloc0(A, sizeof(CatColumn) * 5);
    const char *names[] = {"id", "v", "_partition", "_offset", "_key"};
    const LmType *types[] = {type_int64(), type_string(), type_int32(), type_int64(), type_string()};
    for (int i = 0; i < 5; i++) {
        t->columns[i].name = (char *)names[i];
        t->columns[i].type = types[i];
    }
    return t;
}

static void produce(const char *topic, int32 partition, int from, int to, const char *key)
{
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", boot, err, sizeof err);
    rd_kafka_t *p = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    for (int i = from; i < to; i++) {
        char buf[64];
        int n = snprintf(buf, sizeof buf, "{\"id\": %d, \"v\": \"r%d\"}", i, i);
        rd_kafka_producev(p, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                          RD_KAFKA_V_VALUE(buf, (size_t)n), RD_KAFKA_V_KEY(key, strlen(key)),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    }
    rd_kafka_flush(p, 10000);
    rd_kafka_destroy(p);
}

static void produce_raw(const char *topic, int32 partition, const char *value)
{
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", boot, err, sizeof err);
    rd_kafka_t *p = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    rd_kafka_producev(p, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                      RD_KAFKA_V_VALUE((void *)value, strlen(value)),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    rd_kafka_flush(p, 10000);
    rd_kafka_destroy(p);
}

typedef struct Seen {
    int count[400];
    int rows;
    int bad_meta;
} Seen;

/* Polls until `want` rows arrived or 10 s passed; at most `max_rows` rows (whole batches). */
static void drain(void *st, Seen *seen, int want, const CatTable *t)
{
    const LmType *types[5];
    for (int i = 0; i < 5; i++)
        types[i] = t->columns[i].type;
    time_t deadline = time(NULL) + 10;
    while (seen->rows < want && time(NULL) < deadline) {
        Arena *pa = arena_create("poll", NULL);
        Batch *b = batch_create(pa, 5, types, LM_BATCH_SIZE);
        int part = -1;
        SourceStatus s = kafka_source_ops.poll(st, b, &part);
        if (s == SOURCE_DATA)
            for (int r = 0; r < b->count; r++) {
                int64 id = ((int64 *)b->cols[0].data)[r];
                if (id >= 0 && id < 400)
                    seen->count[id]++;
                seen->rows++;
                StrView *k = &((StrView *)b->cols[4].data)[r];
                if (((int64 *)b->cols[3].data)[r] < 0 || ((int32 *)b->cols[2].data)[r] < 0 ||
                    k->len != 1)
                    seen->bad_meta++;
            }
        arena_destroy(pa);
    }
}

static void test_source(void)
{
    const char *kv[] = {"bootstrap_servers", boot, "topic", "t_src", "format", "json",
                        "ignore_parse_errors", "true"};
    ResolvedOptions *o = opts_make(4, kv);
    CatTable *t = source_table();
    produce("t_src", 0, 0, 100, "a");
    produce("t_src", 1, 100, 150, "b");
    produce_raw("t_src", 1, "not json at all");
    produce("t_src", 1, 150, 200, "b");
    produce("t_src", 2, 200, 300, "c");

    /* two subtasks: disjoint owners, all 300 rows together */
    Seen both;
    memset(&both, 0, sizeof both);
    int parts[2];
    for (int k = 0; k < 2; k++) {
        ConnectorContext cc = {.table = t, .opts = o, .job_id = "job_t1", .subtask = k,
                               .parallelism = 2, .arena = A, .record_error = on_error};
        void *st = kafka_source_ops.open(&cc, NULL, 0);
        parts[k] = kafka_source_ops.partitions(st);
        drain(st, &both, k == 0 ? 200 : 300, t);
        kafka_source_ops.close(st);
    }
    int once = 0;
    for (int i = 0; i < 300; i++)
        once += both.count[i] == 1;
    LMT_CHECK(parts[0] == 2 && parts[1] == 1, "subtask 0 of 2 owns partitions 0 and 2, subtask 1 "
                                               "owns 1 (got %d, %d)", parts[0], parts[1]);
    LMT_CHECK(once == 300 && both.rows == 300, "two subtasks read every record once (%d of 300)",
              once);
    LMT_CHECK(both.bad_meta == 0, "metadata columns _partition, _offset, _key are filled");
    LMT_CHECK(nerrors == 1 && strcmp(last_sample, "not json at all") == 0,
              "a bad record is reported with its raw sample and skipped (%d: %s)", nerrors,
              last_sample);

    /* exact resume: read some, take the position, reopen, read the rest */
    ConnectorContext cc = {.table = t, .opts = o, .job_id = "job_t2", .subtask = 0,
                           .parallelism = 1, .arena = A, .record_error = on_error};
    Seen first, rest;
    memset(&first, 0, sizeof first);
    memset(&rest, 0, sizeof rest);
    void *st = kafka_source_ops.open(&cc, NULL, 0);
    drain(st, &first, 1, t); /* at least one partition's batch */
    StrBuf pos;
    strbuf_init(&pos, A);
    kafka_source_ops.position(st, &pos);
    kafka_source_ops.close(st);
    st = kafka_source_ops.open(&cc, pos.data, pos.len);
    drain(st, &rest, 300 - first.rows, t);
    int64 lag = 0;
    for (int i = 0; i < kafka_source_ops.partitions(st); i++) {
        int64 l = kafka_source_ops.lag(st, i);
        lag += l < 0 ? 1000 : l;
    }
    kafka_source_ops.close(st);
    once = 0;
    for (int i = 0; i < 300; i++)
        once += first.count[i] + rest.count[i] == 1;
    LMT_CHECK(first.rows > 0 && first.rows < 300 && once == 300,
              "reopened from its position, the source continues exactly (%d + %d rows, %d once)",
              first.rows, rest.rows, once);
    LMT_CHECK(lag == 0, "lag is 0 once caught up (%lld)", (long long)lag);
}

/* Every record of a topic as "key=value" lines (value "null" for tombstones), read_committed. */
static int read_topic(const char *topic, int partitions, char out[][64], int max)
{
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", boot, err, sizeof err);
    rd_kafka_conf_set(conf, "group.id", "reader", err, sizeof err);
    rd_kafka_conf_set(conf, "isolation.level", "read_committed", err, sizeof err);
    rd_kafka_conf_set(conf, "enable.partition.eof", "true", err, sizeof err);
    rd_kafka_t *c = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; p++)
        rd_kafka_topic_partition_list_add(l, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(c, l);
    rd_kafka_topic_partition_list_destroy(l);
    int n = 0, eofs = 0;
    time_t deadline = time(NULL) + 10;
    while (eofs < partitions && time(NULL) < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 200);
        if (m == NULL)
            continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
            eofs++;
        else if (!m->err && n < max)
            snprintf(out[n++], 64, "%.*s=%.*s", (int)m->key_len, (const char *)m->key,
                     m->payload ? (int)m->len : 4, m->payload ? (const char *)m->payload : "null");
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(c);
    rd_kafka_destroy(c);
    return n;
}

static void test_sink(void)
{
    const char *kv[] = {"bootstrap_servers", boot, "topic", "t_sink", "format", "json",
                        "key_field", "id"};
    ResolvedOptions *o = opts_make(4, kv);
    CatTable *t = arena_new(A, CatTable);
    t->id = "tbl_ksink";
    t->name = "ksink";
    t->connector = "kafka";
    t->ncolumns = 2;
    t->columns = arena_alloc0(A, sizeof(CatColumn) * 2);
    t->columns[0].name = "id";
    t->columns[0].type = type_int64();
    t->columns[1].name = "v";
    t->columns[1].type = type_string();
    char dir[] = "/tmp/lm-kafka-unit.XXXXXX";
    Storage *storage = storage_open(mkdtemp(dir));
    ConnectorContext cc = {.table = t, .opts = o, .job_id = "job_sink", .subtask = 0,
                           .parallelism = 1, .storage = storage, .arena = A};
    void *st = kafka_sink_ops.open(&cc, 0);
    const LmType *types[] = {type_int64(), type_string()};
    Batch *b = batch_create(A, 2, types, 8);
    static uint8 ops[4] = {ROW_INSERT, ROW_INSERT, ROW_UPDATE_BEFORE, ROW_UPDATE_AFTER};
    for (int i = 0; i < 4; i++) {
        vector_set_int64(&b->cols[0], i, i < 2 ? i + 1 : 1);
        vector_set_cstr(&b->cols[1], A, i, i == 0 ? "a" : i == 1 ? "b" : i == 2 ? "a" : "a2");
    }
    b->count = 4;
    b->ops = ops;
    kafka_sink_ops.write(st, b);
    StorageBatch *cp = storage_batch_create();
    kafka_sink_ops.prepare(st, 1, cp);
    char recs[16][64];
    int before = read_topic("t_sink", 1, recs, 16);
    storage_batch_commit(storage, cp, true);
    kafka_sink_ops.commit(st, 1);
    int after = read_topic("t_sink", 1, recs, 16);
    LMT_CHECK(before == 0, "exactly_once: nothing is visible before the checkpoint commits (%d)",
              before);
    LMT_CHECK(after == 3 && strcmp(recs[0], "1={\"id\":1,\"v\":\"a\"}") == 0 &&
                  strcmp(recs[2], "1={\"id\":1,\"v\":\"a2\"}") == 0,
              "a changelog becomes upserts keyed by key_field (update-before dropped): %d, %s",
              after, after > 0 ? recs[after - 1] : "");
    static uint8 del[1] = {ROW_DELETE};
    b->count = 1;
    b->ops = del;
    kafka_sink_ops.write(st, b);
    storage_batch_clear(cp);
    kafka_sink_ops.prepare(st, 2, cp);
    storage_batch_commit(storage, cp, true);
    kafka_sink_ops.commit(st, 2);
    kafka_sink_ops.close(st);
    after = read_topic("t_sink", 1, recs, 16);
    LMT_CHECK(after == 4 && strcmp(recs[3], "1=null") == 0, "a delete is a tombstone (%s)",
              after > 0 ? recs[after - 1] : "");

    /* a crash between a durable checkpoint and its Kafka commit: the epoch is sent again */
    st = kafka_sink_ops.open(&cc, 2);
    b->ops = NULL;
    vector_set_int64(&b->cols[0], 0, 9);
    vector_set_cstr(&b->cols[1], A, 0, "nine");
    kafka_sink_ops.write(st, b);
    storage_batch_clear(cp);
    kafka_sink_ops.prepare(st, 3, cp);
    storage_batch_commit(storage, cp, true); /* checkpoint 3 durable ... */
    kafka_sink_ops.close(st);                /* ... and the process "dies" before commit */
    st = kafka_sink_ops.open(&cc, 3);         /* restart: last completed checkpoint 3 */
    kafka_sink_ops.close(st);
    after = read_topic("t_sink", 1, recs, 16);
    LMT_CHECK(after == 5 && strcmp(recs[4], "9={\"id\":9,\"v\":\"nine\"}") == 0,
              "an epoch whose checkpoint completed but whose commit did not is sent at restart "
              "(%d records)", after);
    storage_batch_destroy(cp);
    storage_close(storage);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
    A = arena_create("test", NULL);
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "2", err, sizeof err);
    rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(host, 1);
    boot = rd_kafka_mock_cluster_bootstraps(mc);
    rd_kafka_mock_topic_create(mc, "t_src", 3, 1);
    rd_kafka_mock_topic_create(mc, "t_sink", 1, 1);
    test_source();
    test_sink();
    rd_kafka_mock_cluster_destroy(mc);
    rd_kafka_destroy(host);
    arena_destroy(A);
    return lmt_done();
}
