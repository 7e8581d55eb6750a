/*
 * kafka_sink.c: the "kafka" sink — writes rows as records of one topic with
 * librdkafka.
 *
 * Records.  The value is the row encoded by the table's format (format.h);
 * the key is the text of the key_field column (none without key_field); the
 * partition is chosen by partition_field (an integer column: its value
 * modulo the partition count; any other type: a hash of its text), else by
 * librdkafka's partitioner over the key.  Changelog input (Batch.ops): INSERT
 * and UPDATE_AFTER are upserts keyed by key_field, UPDATE_BEFORE is dropped
 * (the UPDATE_AFTER that follows replaces it), DELETE becomes a tombstone
 * (the key with a null value); changelog input needs key_field (0A000).
 *
 * delivery = 'exactly_once' (the default) uses a transactional producer
 * whose transactional.id is "laminar-<job id>-<table id>-<subtask>": stable
 * across restarts of the job, so the restarted producer's
 * init_transactions() fences the old one and aborts whatever transaction
 * it left open.  One Kafka transaction per epoch (the rows between two
 * checkpoints), produced only once the epoch's checkpoint is durable:
 *   write    — encodes each record into the epoch's staging buffer (memory);
 *   prepare  — puts the staged records into the checkpoint's RocksDB batch
 *              under "ksink/<job>/<table>/<subtask>" (durable atomically with
 *              the source positions that passed them) and does not commit;
 *   commit   — after the checkpoint is durable: begin_transaction, produce
 *              the epoch, commit_transaction (which waits for every
 *              acknowledgement), then a synced delete of the staged records.
 * Rows of the next epoch that arrive meanwhile go to a fresh buffer.
 *
 * The crash window, honestly.  librdkafka cannot resume a transaction from
 * another process (Flink's Kafka sink re-commits by transactional id with
 * producer internals librdkafka does not expose), so a transaction cannot
 * be kept open across a checkpoint and committed after a restart.  Instead
 * the epoch's records are part of the checkpoint: if the server dies after
 * checkpoint N is durable but before commit_transaction(N) returned, the
 * restarted producer's init_transactions() aborts the partial transaction
 * and open() produces the staged epoch again in a fresh transaction and
 * commits it.  A read_committed consumer sees each record once.  The one
 * remaining window is the instant between a successful commit_transaction
 * and the synced delete of the staged records: a crash exactly there sends
 * that epoch twice.  Costs: an epoch's encoded output is held in memory and
 * written once to RocksDB; output becomes visible one checkpoint later than
 * with an open transaction (the same moment a read_committed consumer would
 * see it anyway); transactions live only for the commit, so
 * transaction.timeout.ms does not bound the checkpoint interval.
 *
 * delivery = 'at_least_once': an idempotent producer; prepare flushes and
 * waits for every acknowledgement, so everything before a checkpoint is in
 * Kafka; after a crash the rows since the checkpoint are sent again.
 */
#include "connectors/builtin.h"
#include "connectors/format.h"
#include "connectors/kafka_conf.h"
#include "connectors/kafka_int.h"
#include "common/errcodes.h"
#include "common/error.h"
#include "common/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NO_LEN 0xFFFFFFFFu

typedef enum TxnState { TXN_NONE = 0, TXN_OPEN } TxnState;

typedef struct KafkaSink {
    ConnectorContext *cc;
    rd_kafka_t *rk;
    rd_kafka_topic_t *rkt;
    const char *topic;
    int npartitions;
    bool exactly_once;
    int key_col, partition_col;
    FormatEncoder *encoder;
    StrBuf value, key; /* heap scratch, reused per row */
    StrBuf epoch;      /* heap: the staged records of the current epoch */
    StrBuf prepared;   /* heap: the records of the prepared epoch, until its commit */
    TxnState txn;
    int64 prepared_id; /* epoch staged by the last prepare */
    char stage_key[256];
    size_t stage_klen;
    /* delivery reports (librdkafka's thread sets, the sink's thread reads) */
    atomic_int delivery_failed;
    char delivery_error[256];
} KafkaSink;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    KafkaSink *k = opaque;
    if (m->err && !atomic_load(&k->delivery_failed)) {
        snprintf(k->delivery_error, sizeof k->delivery_error, "%s", rd_kafka_err2str(m->err));
        atomic_store(&k->delivery_failed, 1);
    }
}

static void raise_kafka(const char *what, const char *reason)
{
    ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE), errmsg("kafka sink: %s", what),
            errdetail("%s", reason));
}

static void raise_txn_error(KafkaSink *k, const char *what, rd_kafka_error_t *err)
{
    char reason[512];
    snprintf(reason, sizeof reason, "%s", rd_kafka_error_string(err));
    bool fenced = rd_kafka_error_is_fatal(err);
    rd_kafka_error_destroy(err);
    (void)k;
    raise_kafka(what, fenced ? arena_printf(k->cc->arena, "%s (fatal: the job restarts)", reason)
                             : reason);
}

static int find_col(const CatTable *t, const char *name)
{
    for (int i = 0; i < t->ncolumns; i++)
        if (strcasecmp(t->columns[i].name, name) == 0)
            return i;
    ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
            errmsg("column \"%s\" of kafka sink \"%s\" does not exist", name, t->name));
}

static bool is_integer(const LmType *t)
{
    return t->id == TYPE_INT8 || t->id == TYPE_INT16 || t->id == TYPE_INT32 || t->id == TYPE_INT64;
}

static int64 int_value(const Vector *v, int row)
{
    switch (v->type->id) {
    case TYPE_INT8:
        return ((const int8 *)v->data)[row];
    case TYPE_INT16:
        return ((const int16 *)v->data)[row];
    case TYPE_INT32:
        return ((const int32 *)v->data)[row];
    default:
        return ((const int64 *)v->data)[row];
    }
}

/* Sends one record (key/value may be NULL) to partition (RD_KAFKA_PARTITION_UA: partitioner). */
static void produce(KafkaSink *k, int32 partition, const char *key, size_t klen, const char *val,
                    size_t vlen)
{
    for (int attempt = 0;; attempt++) {
        if (rd_kafka_produce(k->rkt, partition, RD_KAFKA_MSG_F_COPY, (void *)val, vlen, key, klen,
                             NULL) == 0)
            return;
        rd_kafka_resp_err_t err = rd_kafka_last_error();
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || attempt > 6000)
            raise_kafka("could not produce record", rd_kafka_err2str(err));
        /* local queue full: let librdkafka deliver, then retry (bounded: ~60 s) */
        rd_kafka_poll(k->rk, 10);
        if (k->cc->stop_requested && atomic_load(k->cc->stop_requested))
            raise_kafka("could not produce record", "job is stopping");
    }
}

static void append_u32(StrBuf *b, uint32 v)
{
    strbuf_append(b, &v, 4);
}

/* Produces every record of a staging buffer (format: partition+1 u32, key len u32 | NO_LEN,
 * key, value len u32 | NO_LEN, value). */
static void produce_staged(KafkaSink *k, const char *p, size_t len)
{
    const char *end = p + len;
    while (p + 12 <= end) {
        uint32 part, kl, vl;
        memcpy(&part, p, 4);
        memcpy(&kl, p + 4, 4);
        p += 8;
        const char *key = kl == NO_LEN ? NULL : p;
        p += kl == NO_LEN ? 0 : kl;
        memcpy(&vl, p, 4);
        p += 4;
        const char *val = vl == NO_LEN ? NULL : p;
        p += vl == NO_LEN ? 0 : vl;
        produce(k, part == 0 ? RD_KAFKA_PARTITION_UA : (int32)(part - 1), key,
                kl == NO_LEN ? 0 : kl, val, vl == NO_LEN ? 0 : vl);
    }
}

static void begin_txn(KafkaSink *k)
{
    rd_kafka_error_t *err = rd_kafka_begin_transaction(k->rk);
    if (err)
        raise_txn_error(k, "could not begin transaction", err);
    k->txn = TXN_OPEN;
}

static void commit_txn(KafkaSink *k)
{
    rd_kafka_error_t *err = rd_kafka_commit_transaction(k->rk, 60000);
    if (err)
        raise_txn_error(k, "could not commit transaction", err);
}

static void *kafka_sink_open(ConnectorContext *cc, int64 last_committed)
{
    KafkaSink *k = arena_new(cc->arena, KafkaSink);
    k->cc = cc;
    const CatTable *t = cc->table;
    const char **topics;
    kafka_topics(cc->arena, cc->opts, &topics);
    k->topic = topics[0];
    const char *delivery = resolved_get(cc->opts, "delivery");
    k->exactly_once = delivery == NULL || strcasecmp(delivery, "exactly_once") == 0;
    const char *kf = resolved_get(cc->opts, "key_field");
    const char *pf = resolved_get(cc->opts, "partition_field");
    k->key_col = kf ? find_col(t, kf) : -1;
    k->partition_col = pf ? find_col(t, pf) : -1;
    const char *acks = resolved_get(cc->opts, "acks");
    if (acks && k->exactly_once && strcmp(acks, "all") != 0 && strcmp(acks, "-1") != 0)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("kafka sink with delivery 'exactly_once' needs acks = 'all'"));
    k->encoder = format_encoder_create(cc->arena, t, cc->opts);
    strbuf_init(&k->value, NULL);
    strbuf_init(&k->key, NULL);
    strbuf_init(&k->epoch, NULL);
    strbuf_init(&k->prepared, NULL);

    char errbuf[512];
    rd_kafka_conf_t *conf = kafka_conf_build(cc->arena, cc->opts, errbuf, sizeof errbuf);
    if (conf == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid kafka configuration: %s", errbuf));
    char tid[320];
    snprintf(tid, sizeof tid, "laminar-%s-%s-%d", cc->job_id ? cc->job_id : "job",
             t->id ? t->id : t->name, cc->subtask);
    const char *lin = resolved_get(cc->opts, "linger_ms");
    const char *bs = resolved_get(cc->opts, "batch_size");
    const char *ct = resolved_get(cc->opts, "compression_type");
    struct {
        const char *k, *v;
    } set[] = {
        {"linger.ms", lin ? lin : "5"},
        {"batch.size", bs},
        {"compression.type", ct},
        {"acks", acks ? acks : "all"},
        {"enable.idempotence", "true"},
        {"transactional.id", k->exactly_once ? tid : NULL},
    };
    for (size_t i = 0; i < LM_ARRAY_LEN(set); i++)
        if (set[i].v &&
            rd_kafka_conf_set(conf, set[i].k, set[i].v, errbuf, sizeof errbuf) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid kafka configuration: %s", errbuf));
        }
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_conf_set_opaque(conf, k);
    k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errbuf, sizeof errbuf);
    if (k->rk == NULL) {
        rd_kafka_conf_destroy(conf);
        ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE),
                errmsg("could not create kafka producer: %s", errbuf));
    }
    k->rkt = rd_kafka_topic_new(k->rk, k->topic, NULL);

    /* The topic must exist (and we need its partition count for partition_field). */
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t merr = rd_kafka_metadata(k->rk, 0, k->rkt, &md, 10000);
    if (merr)
        raise_kafka("Failed to connect to Kafka", rd_kafka_err2str(merr));
    bool missing = md->topic_cnt < 1 || md->topics[0].err != 0;
    k->npartitions = missing ? 0 : md->topics[0].partition_cnt;
    rd_kafka_metadata_destroy(md);
    if (missing)
        raise_kafka("Failed to connect to data source",
                    arena_printf(cc->arena, "Topic '%s' does not exist", k->topic));

    if (k->exactly_once) {
        rd_kafka_error_t *err = rd_kafka_init_transactions(k->rk, 30000);
        if (err)
            raise_txn_error(k, "could not initialize transactions", err);
        k->stage_klen = (size_t)snprintf(k->stage_key, sizeof k->stage_key, "ksink/%s/%s/%d",
                                         cc->job_id ? cc->job_id : "", t->id ? t->id : t->name,
                                         cc->subtask);
        char *staged = NULL;
        size_t slen = 0;
        if (cc->storage &&
            storage_get(cc->storage, cc->arena, CF_META, k->stage_key, k->stage_klen, &staged,
                        &slen) &&
            slen >= 8) {
            int64 epoch = storage_key_get_i64(staged);
            if (epoch <= last_committed) {
                /* checkpoint `epoch` completed but its transaction was not known to be
                 * committed: init_transactions aborted it, send its records again */
                lm_log(LOG_INFO, "kafka sink %s: re-sending epoch %lld after restart", tid,
                       (long long)epoch);
                begin_txn(k);
                produce_staged(k, staged + 8, slen - 8);
                commit_txn(k);
                k->txn = TXN_NONE;
            }
            storage_delete(cc->storage, CF_META, k->stage_key, k->stage_klen, true);
        }
    }
    return k;
}

static void check_delivery(KafkaSink *k)
{
    if (atomic_load(&k->delivery_failed))
        raise_kafka("delivery failed", k->delivery_error);
}

static void kafka_sink_write(void *st, const Batch *b)
{
    KafkaSink *k = st;
    check_delivery(k);
    const Vector *kv = k->key_col >= 0 ? &b->cols[k->key_col] : NULL;
    const Vector *pv = k->partition_col >= 0 ? &b->cols[k->partition_col] : NULL;
    int live = batch_live_count(b);
    for (int i = 0; i < live; i++) {
        int row = batch_row(b, i);
        uint8 op = b->ops ? b->ops[row] : ROW_INSERT;
        if (op == ROW_UPDATE_BEFORE)
            continue;
        if (op == ROW_DELETE && kv == NULL)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("kafka sink \"%s\" receives updates and deletes but has no key_field",
                           k->cc->table->name),
                    errhint("Set key_field so that deletes can be written as tombstones."));
        const char *key = NULL;
        size_t klen = 0;
        if (kv && vector_is_valid(kv, row)) {
            strbuf_reset(&k->key);
            value_format_text(kv, row, &k->key);
            key = k->key.data;
            klen = k->key.len;
        }
        int32 partition = RD_KAFKA_PARTITION_UA;
        if (pv && vector_is_valid(pv, row) && k->npartitions > 0) {
            uint64 h;
            if (is_integer(pv->type)) {
                int64 x = int_value(pv, row);
                h = (uint64)(x < 0 ? -x : x);
            } else {
                StrBuf tmp;
                strbuf_init(&tmp, NULL);
                value_format_text(pv, row, &tmp);
                h = 1469598103934665603ULL;
                for (size_t j = 0; j < tmp.len; j++)
                    h = (h ^ (unsigned char)tmp.data[j]) * 1099511628211ULL;
                strbuf_free(&tmp);
            }
            partition = (int32)(h % (uint64)k->npartitions);
        }
        const char *val = NULL;
        size_t vlen = 0;
        if (op != ROW_DELETE) {
            strbuf_reset(&k->value);
            format_encode(k->encoder, b, row, &k->value);
            val = k->value.data;
            vlen = k->value.len;
        }
        if (k->exactly_once) {
            append_u32(&k->epoch, partition == RD_KAFKA_PARTITION_UA ? 0 : (uint32)partition + 1);
            append_u32(&k->epoch, key ? (uint32)klen : NO_LEN);
            if (key)
                strbuf_append(&k->epoch, key, klen);
            append_u32(&k->epoch, val ? (uint32)vlen : NO_LEN);
            if (val)
                strbuf_append(&k->epoch, val, vlen);
        }
        else
            produce(k, partition, key, klen, val, vlen);
    }
    if (!k->exactly_once)
        rd_kafka_poll(k->rk, 0);
}

/* Waits until every produced record is acknowledged (bounded), raising on delivery errors. */
static void flush_all(KafkaSink *k)
{
    for (int i = 0; i < 120; i++) {
        rd_kafka_resp_err_t err = rd_kafka_flush(k->rk, 500);
        check_delivery(k);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
            return;
        if (k->cc->stop_requested && atomic_load(k->cc->stop_requested) && i > 20)
            break;
    }
    raise_kafka("could not flush records", "timed out waiting for acknowledgements");
}

static void kafka_sink_prepare(void *st, int64 checkpoint_id, StorageBatch *cp)
{
    KafkaSink *k = st;
    if (!k->exactly_once) {
        flush_all(k);
        return;
    }
    if (k->epoch.len == 0)
        return; /* nothing written this epoch */
    /* the runtime commits N before it prepares N+1; a sink that ended earlier is committed
     * with a later id, which commit() accepts */
    LM_ASSERT(k->prepared.len == 0);
    StrBuf v;
    strbuf_init(&v, NULL);
    char id[8];
    storage_key_put_i64(id, checkpoint_id);
    strbuf_append(&v, id, 8);
    strbuf_append(&v, k->epoch.data, k->epoch.len);
    storage_batch_put(cp, CF_META, k->stage_key, k->stage_klen, v.data, v.len);
    strbuf_free(&v);
    StrBuf swap = k->prepared;
    k->prepared = k->epoch;
    k->epoch = swap;
    k->prepared_id = checkpoint_id;
}

static void kafka_sink_commit(void *st, int64 checkpoint_id)
{
    KafkaSink *k = st;
    if (!k->exactly_once || k->prepared.len == 0 || checkpoint_id < k->prepared_id)
        return;
    begin_txn(k);
    produce_staged(k, k->prepared.data, k->prepared.len);
    commit_txn(k);
    k->txn = TXN_NONE;
    check_delivery(k);
    if (k->cc->storage)
        storage_delete(k->cc->storage, CF_META, k->stage_key, k->stage_klen, true);
    strbuf_reset(&k->prepared);
}

static void kafka_sink_close(void *st)
{
    KafkaSink *k = st;
    if (k == NULL)
        return;
    if (k->rk) {
        if (k->exactly_once && k->txn != TXN_NONE) {
            /* uncommitted output never becomes visible */
            rd_kafka_error_t *err = rd_kafka_abort_transaction(k->rk, 5000);
            if (err)
                rd_kafka_error_destroy(err);
        } else if (!k->exactly_once)
            rd_kafka_flush(k->rk, 5000);
        if (k->rkt)
            rd_kafka_topic_destroy(k->rkt);
        rd_kafka_destroy(k->rk);
        k->rk = NULL;
    }
    strbuf_free(&k->value);
    strbuf_free(&k->key);
    strbuf_free(&k->epoch);
    strbuf_free(&k->prepared);
}

const SinkOps kafka_sink_ops = {
    .open = kafka_sink_open,
    .write = kafka_sink_write,
    .prepare = kafka_sink_prepare,
    .commit = kafka_sink_commit,
    .close = kafka_sink_close,
};
