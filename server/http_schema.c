/*
 * http_schema.c: sample records of a Kafka topic for REST schema inference
 * (POST /api/v1/connection_tables/schemas/test, seed 000).
 *
 * The request's profile and config are resolved the way a job resolves a
 * table's options (profile options, secrets, {{ ENV }} placeholders, then the
 * table's own options override), a throwaway consumer is assigned every
 * partition of the topic from the beginning, and up to `max` records are read
 * within a short deadline.  Nothing is committed (no consumer group offsets),
 * so the sample leaves no trace on the cluster.  JSON records come back
 * parsed; records of other formats as strings.  http_infer_fields infers
 * the schema of such samples with connectors/infer.c, the inference
 * laminar.infer_schema() uses too.
 */
#include "server/http_int.h"
#include "common/arena.h"
#include "common/error.h"
#include "connectors/infer.h"
#include "connectors/kafka_conf.h"
#include "storage/catalog.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SAMPLE_DEADLINE_MS 3000

static int64 now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The in-memory table: profile (by id or name) and config's scalar options. */
static CatTable *request_table(Arena *a, json_t *body, const char **topic, const char **format)
{
    CatTable *t = arena_new(a, CatTable);
    t->id = "tbl_schema_test";
    t->name = "schema_test";
    t->kind = CAT_TABLE_SOURCE;
    t->connector = "kafka";
    const char *pid = json_string_value(json_object_get(body, "connection_profile_id"));
    if (pid) {
        CatProfile *p = catalog_get_profile(a, pid);
        if (p == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("connection profile \"%s\" does not exist", pid));
        t->profile_id = p->id;
    }
    json_t *config = json_object_get(body, "config");
    size_t n = json_object_size(config);
    t->options = arena_new_array(a, CatOption, n + 1);
    const char *key;
    json_t *v;
    json_object_foreach(config, key, v)
    {
        char num[64];
        const char *val = NULL;
        if (json_is_string(v))
            val = json_string_value(v);
        else if (json_is_integer(v)) {
            snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            val = num;
        } else if (json_is_boolean(v))
            val = json_is_true(v) ? "true" : "false";
        if (val == NULL)
            continue;
        CatOption *o = &t->options[t->noptions++];
        o->name = arena_strdup(a, key);
        o->value = arena_strdup(a, val);
        o->kind = CATOPT_STRING;
    }
    for (int i = 0; i < t->noptions; i++) {
        if (strcmp(t->options[i].name, "topic") == 0)
            *topic = t->options[i].value;
        if (strcmp(t->options[i].name, "format") == 0)
            *format = t->options[i].value;
    }
    return t;
}

/* Profile options, then the table's, with secrets and {{ ENV }} placeholders resolved (as a
 * job resolves a source table's options). */
static ResolvedOptions *resolve(Arena *a, const CatTable *t)
{
    CatProfile *p = t->profile_id ? catalog_get_profile(a, t->profile_id) : NULL;
    int cap = (p ? p->noptions : 0) + t->noptions + 1;
    ResolvedOptions *r = arena_new(a, ResolvedOptions);
    r->names = arena_new_array(a, const char *, cap);
    r->values = arena_new_array(a, const char *, cap);
    for (int pass = 0; pass < 2; pass++) {
        const CatOption *opts = pass == 0 ? (p ? p->options : NULL) : t->options;
        int n = pass == 0 ? (p ? p->noptions : 0) : t->noptions;
        for (int i = 0; i < n; i++) {
            const char *v = opts[i].value;
            if (opts[i].kind == CATOPT_SECRET) {
                CatSecret *sec = catalog_get_secret(a, v);
                if (sec == NULL)
                    ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                            errmsg("secret \"%s\" does not exist", v));
                v = sec->value;
            } else
                v = connector_expand_placeholders(a, opts[i].name, v);
            int k = 0;
            while (k < r->count && strcmp(r->names[k], opts[i].name) != 0)
                k++;
            r->names[k] = opts[i].name;
            r->values[k] = v;
            if (k == r->count)
                r->count++;
        }
    }
    return r;
}

static json_t *read_sample(Arena *a, const ResolvedOptions *opts, const char *topic, bool is_json,
                           int max, json_t *stats, char *err, size_t errlen)
{
    rd_kafka_conf_t *conf = kafka_conf_build(a, opts, err, errlen);
    if (conf == NULL)
        return NULL;
    rd_kafka_conf_set(conf, "group.id", "laminar-schema-test", NULL, 0);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", NULL, 0);
    rd_kafka_conf_set(conf, "enable.partition.eof", "true", NULL, 0);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen);
    if (rk == NULL) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    json_t *out = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, rkt, &md, SAMPLE_DEADLINE_MS);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
        snprintf(err, errlen, "%s", rd_kafka_err2str(e));
        goto done;
    }
    if (md->topic_cnt < 1 || md->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR ||
        md->topics[0].partition_cnt == 0) {
        snprintf(err, errlen, "Topic '%s' does not exist", topic);
        goto done;
    }
    int nparts = md->topics[0].partition_cnt;
    json_object_set_new(stats, "partitions", json_integer(nparts));
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(nparts);
    for (int i = 0; i < nparts; i++)
        rd_kafka_topic_partition_list_add(parts, topic, md->topics[0].partitions[i].id)->offset =
            RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    out = json_array();
    int eofs = 0;
    int64 deadline = now_ms() + SAMPLE_DEADLINE_MS;
    while ((int)json_array_size(out) < max && eofs < nparts && now_ms() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
        if (m == NULL)
            continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
            eofs++;
        else if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && m->payload) {
            json_t *rec = is_json ? json_loadb(m->payload, m->len, JSON_DECODE_ANY, NULL) : NULL;
            json_array_append_new(out, rec ? rec : json_stringn(m->payload, m->len));
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_assign(rk, NULL);
done:
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    return out;
}

json_t *http_kafka_sample(json_t *body, int max, json_t *stats, char *err, size_t errlen)
{
    Arena *a = arena_create("schema sample", NULL);
    json_t *volatile out = NULL;
    LM_TRY();
    {
        const char *topic = NULL, *format = "json";
        CatTable *t = request_table(a, body, &topic, &format);
        if (topic == NULL)
            snprintf(err, errlen, "option \"topic\" is required");
        else
            out = read_sample(a, resolve(a, t), topic, strcmp(format, "json") == 0, max, stats, err,
                              errlen);
    }
    LM_CATCH();
    {
        snprintf(err, errlen, "%s", error_current()->message);
        error_clear();
        out = NULL;
    }
    LM_END_TRY();
    arena_destroy(a);
    return out;
}

json_t *http_infer_fields(json_t *samples)
{
    Arena *a = arena_create("schema infer", NULL);
    size_t n = json_array_size(samples);
    const char **recs = arena_new_array(a, const char *, n > 0 ? n : 1);
    size_t *lens = arena_new_array(a, size_t, n > 0 ? n : 1);
    for (size_t i = 0; i < n; i++) {
        char *txt = json_dumps(json_array_get(samples, i), JSON_ENCODE_ANY | JSON_COMPACT);
        recs[i] = arena_strdup(a, txt ? txt : "null");
        lens[i] = strlen(recs[i]);
        free(txt);
    }
    StrBuf sb;
    strbuf_init(&sb, a);
    infer_result_json(infer_records(a, "json", NULL, recs, lens, (int)n), &sb);
    json_t *doc = json_loadb(sb.data, sb.len, 0, NULL);
    json_t *fields = json_incref(json_object_get(doc, "fields"));
    json_decref(doc);
    arena_destroy(a);
    return fields ? fields : json_array();
}
