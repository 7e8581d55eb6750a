/*
 * kafka_source.c: the "kafka" source — reads one or several topics with
 * librdkafka into column vectors.
 *
 * Assignment, not group rebalancing.  Subtask k of P owns the (topic,
 * partition) pairs with (topic index + partition) % P == k, where topic
 * index is the topic's place in the `topic` option.  The rule keeps a
 * pair's owner stable when partitions are added (partition discovery) and
 * spreads each topic's partitions over all subtasks.  The consumer is given
 * its pairs with rd_kafka_assign() and explicit start offsets; the
 * consumer group (`consumer_group`, default "laminar-<job id>") is only used
 * as group.id and to commit offsets after each poll for monitoring tools —
 * positions that matter live in Laminar's checkpoints.
 *
 * Polling.  Every assigned partition gets its own librdkafka queue
 * (rd_kafka_queue_get_partition, forwarding to the consumer queue switched
 * off), so one poll drains up to LM_BATCH_SIZE messages of ONE partition
 * (round robin), as runtime.h asks.  When every queue is empty the poll
 * waits up to 50 ms on a pipe that librdkafka writes to when a queue turns
 * non-empty (rd_kafka_queue_io_event_enable).
 *
 * Decoding.  Values go through the format API (format.h) straight into the
 * batch; the metadata columns _key, _partition, _offset, _timestamp and
 * _headers are filled from the message and skipped by the decoder.  An
 * undecodable record is reported through ConnectorContext.record_error with
 * the raw value as sample (format_report_error), then skipped when
 * ignore_parse_errors is true, else the job fails with that error.
 *
 * Position.  Text, one line per owned partition: "topic\tpartition\tnext
 * offset\n".  Restored partitions resume at exactly that offset; owned
 * partitions without one start per offset_reset (earliest|latest, default
 * earliest); partitions that appear later (discovery, every
 * partition_discovery_interval, default 10 s) start at earliest, so no
 * record of a new partition is missed.  A restore with a different
 * parallelism keeps only the positions of pairs this subtask now owns
 * (others start per offset_reset): changing parallelism is not exact.
 *
 * Failures.  A broker that cannot be reached, or a topic that does not
 * exist, is retried (librdkafka reconnects with backoff; metadata is asked
 * again with growing intervals up to 5 s) and reported in laminar.job_errors
 * as CONNECTION_ERROR at most every 10 s; after kafka_source_fail_after_us
 * (120 s) of failing without a single message or successful metadata
 * request the job fails with that error.
 */
#include "connectors/builtin.h"
#include "connectors/format.h"
#include "connectors/kafka_conf.h"
#include "connectors/kafka_int.h"
#include "common/datetime.h"
#include "common/errcodes.h"
#include "common/error.h"
#include "common/log.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

int64 kafka_source_fail_after_us = INT64_C(120000000);

typedef struct KPart {
    const char *topic;
    int topic_index;
    int32 partition;
    int64 next_offset; /* -1: not known yet (start per offset_reset/earliest) */
    int64 start;       /* what rd_kafka_assign was given */
    rd_kafka_queue_t *queue;
    bool assigned;
} KPart;

typedef struct KafkaSource {
    ConnectorContext *cc;
    rd_kafka_t *rk;
    int ntopics;
    const char **topics;
    KPart *parts;
    int nparts, capparts;
    int next_poll; /* round robin cursor */
    int64 offset_reset;      /* RD_KAFKA_OFFSET_BEGINNING / END */
    int64 discovery_us;
    int64 next_discovery_at; /* monotonic us */
    int64 metadata_backoff_us;
    bool ignore_parse_errors;
    bool metadata_ok;
    /* metadata columns: index in the table or -1 */
    int col_key, col_partition, col_offset, col_timestamp, col_headers;
    bool *skip;
    FormatDecoder *decoder;
    rd_kafka_message_t *msgs[LM_BATCH_SIZE];
    int wake_pipe[2];
    /* connection health */
    int64 failing_since;  /* monotonic us, 0 = healthy */
    int64 last_reported;  /* monotonic us of the last job_errors entry */
    char last_error[512];
    atomic_int broker_down; /* set by the error callback (librdkafka thread) */
    char cb_error[256];
    int64 polls_since_commit;
    char restored_note[64];
} KafkaSource;

void kafka_append_json_string(StrBuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_append_char(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            strbuf_append_char(b, '\\');
            strbuf_append_char(b, (char)c);
        } else if (c < 0x20) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            strbuf_append(b, esc, 6);
        } else
            strbuf_append_char(b, (char)c);
    }
    strbuf_append_char(b, '"');
}

static void json_str(StrBuf *b, const char *s)
{
    kafka_append_json_string(b, s, strlen(s));
}

static int64 now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool kafka_option_bool(const ResolvedOptions *o, const char *name, bool dflt)
{
    const char *v = resolved_get(o, name);
    if (v == NULL)
        return dflt;
    return strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 || strcasecmp(v, "yes") == 0 ||
           strcmp(v, "1") == 0 || strcasecmp(v, "t") == 0;
}

/* The topics of the `topic` option (or the url's), split at commas, trimmed. */
int kafka_topics(Arena *a, const ResolvedOptions *o, const char ***out)
{
    const char *v = resolved_get(o, "topic");
    if (v == NULL && resolved_get(o, "url")) {
        const char *b, *g;
        kafka_parse_url(a, resolved_get(o, "url"), &b, &v, &g);
    }
    if (v == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("kafka table needs option \"topic\""));
    int n = 1;
    for (const char *p = v; *p; p++)
        n += *p == ',';
    const char **t = arena_new_array(a, const char *, n);
    int k = 0;
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '"' || *p == '[')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        const char *end = e;
        while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '"' || end[-1] == ']'))
            end--;
        if (end > p)
            t[k++] = arena_strndup(a, p, (size_t)(end - p));
        p = *e ? e + 1 : e;
    }
    if (k == 0)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("kafka option \"topic\" names no topic"));
    *out = t;
    return k;
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    (void)rk;
    KafkaSource *s = opaque;
    if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || err == RD_KAFKA_RESP_ERR__TRANSPORT ||
        err == RD_KAFKA_RESP_ERR__RESOLVE || err == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
        err == RD_KAFKA_RESP_ERR__SSL) {
        snprintf(s->cb_error, sizeof s->cb_error, "%s", reason);
        atomic_store(&s->broker_down, 1);
    }
}

static KPart *find_part(KafkaSource *s, const char *topic, int32 partition)
{
    for (int i = 0; i < s->nparts; i++)
        if (s->parts[i].partition == partition && strcmp(s->parts[i].topic, topic) == 0)
            return &s->parts[i];
    return NULL;
}

static KPart *add_part(KafkaSource *s, int topic_index, int32 partition, int64 next_offset)
{
    if (s->nparts == s->capparts) {
        int cap = s->capparts ? s->capparts * 2 : 16;
        s->parts = arena_realloc(s->cc->arena, s->parts, sizeof(KPart) * (size_t)s->capparts,
                                 sizeof(KPart) * (size_t)cap);
        s->capparts = cap;
    }
    KPart *p = &s->parts[s->nparts++];
    memset(p, 0, sizeof *p);
    p->topic = s->topics[topic_index];
    p->topic_index = topic_index;
    p->partition = partition;
    p->next_offset = next_offset;
    return p;
}

static bool owned(const KafkaSource *s, int topic_index, int32 partition)
{
    return (topic_index + partition) % s->cc->parallelism == s->cc->subtask;
}

static void parse_position(KafkaSource *s, const char *pos, size_t len)
{
    const char *p = pos, *end = pos + len;
    int restored = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *t1 = memchr(p, '\t', (size_t)(le - p));
        const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(le - t1 - 1)) : NULL;
        if (t1 && t2) {
            char *topic = arena_strndup(s->cc->arena, p, (size_t)(t1 - p));
            int32 part = (int32)strtol(t1 + 1, NULL, 10);
            int64 off = strtoll(t2 + 1, NULL, 10);
            for (int i = 0; i < s->ntopics; i++)
                if (strcmp(s->topics[i], topic) == 0 && owned(s, i, part)) {
                    add_part(s, i, part, off);
                    restored++;
                }
        }
        p = le + 1;
    }
    snprintf(s->restored_note, sizeof s->restored_note, "%d", restored);
}

/* Records the failure in job_errors (throttled) and fails the job once it lasted too long. */
static void connection_failed(KafkaSource *s, const char *message, const char *reason)
{
    int64 now = now_us();
    if (s->failing_since == 0)
        s->failing_since = now;
    snprintf(s->last_error, sizeof s->last_error, "%s", reason);
    if (s->last_reported == 0 || now - s->last_reported >= 10000000) {
        s->last_reported = now;
        StrBuf d;
        strbuf_init(&d, s->cc->arena);
        strbuf_append_str(&d, "{\"connector\": \"kafka\", \"reason\": ");
        json_str(&d, reason);
        strbuf_append_str(&d, "}");
        if (s->cc->record_error)
            s->cc->record_error(s->cc->record_error_arg, "CONNECTION_ERROR", message, d.data, NULL,
                                0);
        lm_log(LOG_WARN, "kafka source: %s: %s", message, reason);
    }
    if (now - s->failing_since >= kafka_source_fail_after_us)
        ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE), errmsg("%s", message),
                errdetail("%s (retried for %lld s)", reason,
                          (long long)((now - s->failing_since) / 1000000)));
}

static void connection_ok(KafkaSource *s)
{
    s->failing_since = 0;
    s->last_reported = 0;
    atomic_store(&s->broker_down, 0);
}

/* Asks the cluster for the topics' partitions and assigns the ones this subtask owns that are
 * not assigned yet.  Returns false (after reporting) when metadata is not available. */
static bool discover(KafkaSource *s, int timeout_ms)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t err = rd_kafka_metadata(s->rk, 1, NULL, &md, timeout_ms);
    if (err) {
        connection_failed(s, "Failed to connect to Kafka", rd_kafka_err2str(err));
        return false;
    }
    rd_kafka_topic_partition_list_t *add = rd_kafka_topic_partition_list_new(8);
    bool missing = false;
    const char *missing_topic = NULL;
    for (int ti = 0; ti < s->ntopics; ti++) {
        const struct rd_kafka_metadata_topic *mt = NULL;
        for (int i = 0; i < md->topic_cnt; i++)
            if (strcmp(md->topics[i].topic, s->topics[ti]) == 0 && md->topics[i].err == 0)
                mt = &md->topics[i];
        if (mt == NULL) {
            missing = true;
            missing_topic = s->topics[ti];
            continue;
        }
        for (int pi = 0; pi < mt->partition_cnt; pi++) {
            int32 pid = mt->partitions[pi].id;
            if (!owned(s, ti, pid))
                continue;
            KPart *p = find_part(s, s->topics[ti], pid);
            if (p == NULL) {
                /* First discovery: offset_reset; partitions found later: earliest. */
                p = add_part(s, ti, pid, -1);
                p->start = s->metadata_ok ? RD_KAFKA_OFFSET_BEGINNING : s->offset_reset;
            } else if (p->assigned)
                continue;
            else
                p->start = p->next_offset >= 0 ? p->next_offset : s->offset_reset;
            rd_kafka_topic_partition_list_add(add, p->topic, pid)->offset = p->start;
        }
    }
    if (missing) {
        char reason[320];
        snprintf(reason, sizeof reason, "Topic '%s' does not exist", missing_topic);
        rd_kafka_metadata_destroy(md);
        rd_kafka_topic_partition_list_destroy(add);
        connection_failed(s, "Failed to connect to data source", reason);
        return false;
    }
    rd_kafka_metadata_destroy(md);
    if (add->cnt > 0) {
        /* The partition queues exist and stop forwarding to the consumer queue BEFORE the
         * assignment starts fetching: a fetch answered in between would otherwise land on the
         * consumer queue, which is never read, and its records would be skipped. */
        for (int i = 0; i < add->cnt; i++) {
            KPart *p = find_part(s, add->elems[i].topic, add->elems[i].partition);
            if (p->queue == NULL) {
                p->queue = rd_kafka_queue_get_partition(s->rk, p->topic, p->partition);
                rd_kafka_queue_forward(p->queue, NULL);
                static const char wake = 'w';
                rd_kafka_queue_io_event_enable(p->queue, s->wake_pipe[1], &wake, 1);
            }
        }
        rd_kafka_error_t *aerr = rd_kafka_incremental_assign(s->rk, add);
        if (aerr) {
            char reason[256];
            snprintf(reason, sizeof reason, "%s", rd_kafka_error_string(aerr));
            rd_kafka_error_destroy(aerr);
            rd_kafka_topic_partition_list_destroy(add);
            connection_failed(s, "Failed to assign Kafka partitions", reason);
            return false;
        }
        for (int i = 0; i < add->cnt; i++)
            find_part(s, add->elems[i].topic, add->elems[i].partition)->assigned = true;
    }
    rd_kafka_topic_partition_list_destroy(add);
    s->metadata_ok = true;
    connection_ok(s);
    return true;
}

static int find_col(const CatTable *t, const char *name)
{
    for (int i = 0; i < t->ncolumns; i++)
        if (strcasecmp(t->columns[i].name, name) == 0)
            return i;
    return -1;
}

static void *kafka_source_open(ConnectorContext *cc, const char *position, size_t position_len)
{
    KafkaSource *s = arena_new(cc->arena, KafkaSource);
    s->cc = cc;
    s->wake_pipe[0] = s->wake_pipe[1] = -1;
    s->ntopics = kafka_topics(cc->arena, cc->opts, &s->topics);
    const char *reset = resolved_get(cc->opts, "offset_reset");
    s->offset_reset = reset && strcasecmp(reset, "latest") == 0 ? RD_KAFKA_OFFSET_END
                                                                 : RD_KAFKA_OFFSET_BEGINNING;
    s->discovery_us = INT64_C(10000000);
    const char *disc = resolved_get(cc->opts, "partition_discovery_interval");
    if (disc) {
        Interval iv = datetime_parse_interval(disc, strlen(disc));
        int64 us = iv.micros + (int64)iv.days * 86400000000LL + (int64)iv.months * 30 * 86400000000LL;
        if (us > 0)
            s->discovery_us = us;
    }
    s->ignore_parse_errors = format_ignore_parse_errors(cc->opts);

    const CatTable *t = cc->table;
    s->skip = arena_new_array(cc->arena, bool, t->ncolumns > 0 ? t->ncolumns : 1);
    s->col_key = find_col(t, "_key");
    s->col_partition = find_col(t, "_partition");
    s->col_offset = find_col(t, "_offset");
    s->col_timestamp = find_col(t, "_timestamp");
    s->col_headers = find_col(t, "_headers");
    int meta[] = {s->col_key, s->col_partition, s->col_offset, s->col_timestamp, s->col_headers};
    for (size_t i = 0; i < LM_ARRAY_LEN(meta); i++)
        if (meta[i] >= 0)
            s->skip[meta[i]] = true;
    s->decoder = format_decoder_create(cc->arena, t, cc->opts, s->skip);

    char errbuf[512];
    rd_kafka_conf_t *conf = kafka_conf_build(cc->arena, cc->opts, errbuf, sizeof errbuf);
    if (conf == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid kafka configuration: %s", errbuf));
    const char *group = resolved_get(cc->opts, "consumer_group");
    if (group == NULL && resolved_get(cc->opts, "url")) {
        const char *b, *tp;
        kafka_parse_url(cc->arena, resolved_get(cc->opts, "url"), &b, &tp, &group);
    }
    if (group == NULL)
        group = arena_printf(cc->arena, "laminar-%s", cc->job_id ? cc->job_id : "sample");
    struct {
        const char *k, *v;
    } fixed[] = {
        {"group.id", group},
        {"enable.auto.commit", "false"},
        {"enable.auto.offset.store", "false"},
        {"enable.partition.eof", "false"},
        {"isolation.level",
         kafka_option_bool(cc->opts, "read_committed", false) ? "read_committed" : "read_uncommitted"},
        {"auto.offset.reset", s->offset_reset == RD_KAFKA_OFFSET_END ? "latest" : "earliest"},
        {"reconnect.backoff.ms", "100"},
        {"reconnect.backoff.max.ms", "5000"},
    };
    for (size_t i = 0; i < LM_ARRAY_LEN(fixed); i++) {
        /* properties the user set explicitly win over the defaults, except those Laminar's
         * position keeping depends on */
        bool user_set = false;
        if (strcmp(fixed[i].k, "reconnect.backoff.ms") == 0 ||
            strcmp(fixed[i].k, "reconnect.backoff.max.ms") == 0) {
            char key[80];
            snprintf(key, sizeof key, "properties.%s", fixed[i].k);
            user_set = resolved_get(cc->opts, key) != NULL;
        }
        if (!user_set &&
            rd_kafka_conf_set(conf, fixed[i].k, fixed[i].v, errbuf, sizeof errbuf) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid kafka configuration: %s", errbuf));
        }
    }
    rd_kafka_conf_set_error_cb(conf, on_error);
    rd_kafka_conf_set_opaque(conf, s);
    s->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errbuf, sizeof errbuf);
    if (s->rk == NULL) {
        rd_kafka_conf_destroy(conf);
        ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE),
                errmsg("could not create kafka consumer: %s", errbuf));
    }
    if (pipe(s->wake_pipe) != 0) {
        rd_kafka_destroy(s->rk);
        s->rk = NULL;
        ereport(ERROR, errcode(ERRCODE_INSUFFICIENT_RESOURCES), errmsg("could not create pipe: %m"));
    }
    fcntl(s->wake_pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(s->wake_pipe[1], F_SETFL, O_NONBLOCK);
    if (position && position_len > 0)
        parse_position(s, position, position_len);
    s->metadata_backoff_us = 200000;
    discover(s, 2000);
    s->next_discovery_at = now_us() + (s->metadata_ok ? s->discovery_us : s->metadata_backoff_us);
    return s;
}

static void fill_metadata(KafkaSource *s, Batch *out, int row, const rd_kafka_message_t *m)
{
    Arena *a = out->arena;
    if (s->col_key >= 0) {
        Vector *v = &out->cols[s->col_key];
        if (m->key)
            vector_set_str(v, a, row, m->key, m->key_len);
        else
            vector_set_null(v, row);
    }
    if (s->col_partition >= 0) {
        Vector *v = &out->cols[s->col_partition];
        if (v->type->id == TYPE_INT64)
            vector_set_int64(v, row, m->partition);
        else
            vector_set_int32(v, row, m->partition);
    }
    if (s->col_offset >= 0) {
        Vector *v = &out->cols[s->col_offset];
        if (v->type->id == TYPE_INT32)
            vector_set_int32(v, row, (int32)m->offset);
        else
            vector_set_int64(v, row, m->offset);
    }
    if (s->col_timestamp >= 0) {
        Vector *v = &out->cols[s->col_timestamp];
        rd_kafka_timestamp_type_t tt;
        int64 ms = rd_kafka_message_timestamp(m, &tt);
        if (ms < 0)
            vector_set_null(v, row);
        else
            vector_set_int64(v, row, ms * 1000);
    }
    if (s->col_headers >= 0) {
        Vector *v = &out->cols[s->col_headers];
        rd_kafka_headers_t *hdrs = NULL;
        if (rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR || hdrs == NULL) {
            vector_set_str(v, a, row, "{}", 2);
            return;
        }
        StrBuf b;
        strbuf_init(&b, a);
        strbuf_append_char(&b, '{');
        const char *name;
        const void *val;
        size_t size;
        for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == 0; i++) {
            if (i > 0)
                strbuf_append_str(&b, ", ");
            json_str(&b, name);
            strbuf_append_str(&b, ": ");
            if (val == NULL)
                strbuf_append_str(&b, "null");
            else
                kafka_append_json_string(&b, val, size);
        }
        strbuf_append_char(&b, '}');
        vector_set_str(v, a, row, b.data, b.len);
    }
}

/* Reports and raises (ignore_parse_errors off), freeing the message on the way out. */
static void raise_bad_record(KafkaSource *s, rd_kafka_message_t *bad, const FormatError *fe)
{
    LM_TRY();
    format_report_error(s->cc, fe, false, bad->payload, bad->len);
    LM_CATCH();
    rd_kafka_message_destroy(bad);
    error_rethrow();
    LM_END_TRY();
}

static void drain_pipe(KafkaSource *s)
{
    char buf[64];
    while (read(s->wake_pipe[0], buf, sizeof buf) > 0)
        ;
}

static void check_health(KafkaSource *s)
{
    rd_kafka_poll(s->rk, 0); /* serves the error callback */
    if (atomic_load(&s->broker_down))
        connection_failed(s, "Failed to connect to Kafka", s->cb_error);
}

static SourceStatus kafka_source_poll(void *st, Batch *out, int *partition)
{
    KafkaSource *s = st;
    int64 now = now_us();
    if (now >= s->next_discovery_at) {
        bool ok = discover(s, s->metadata_ok ? 1000 : 500);
        if (ok)
            s->next_discovery_at = now_us() + s->discovery_us;
        else {
            s->metadata_backoff_us = s->metadata_backoff_us * 2 > 5000000 ? 5000000
                                                                         : s->metadata_backoff_us * 2;
            s->next_discovery_at = now_us() + s->metadata_backoff_us;
        }
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        for (int k = 0; k < s->nparts; k++) {
            int idx = (s->next_poll + k) % s->nparts;
            KPart *p = &s->parts[idx];
            if (!p->assigned)
                continue;
            ssize_t n = rd_kafka_consume_batch_queue(p->queue, 0, s->msgs, LM_BATCH_SIZE);
            if (n <= 0)
                continue;
            s->next_poll = idx + 1;
            int row = 0;
            for (ssize_t i = 0; i < n; i++) {
                rd_kafka_message_t *m = s->msgs[i];
                if (m->err) {
                    if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                        snprintf(s->cb_error, sizeof s->cb_error, "%s", rd_kafka_message_errstr(m));
                        atomic_store(&s->broker_down, 1);
                    }
                    continue;
                }
                p->next_offset = m->offset + 1;
                FormatError fe;
                memset(&fe, 0, sizeof fe);
                if (m->payload == NULL) {
                    /* a tombstone carries no row */
                    continue;
                }
                if (!format_decode(s->decoder, m->payload, m->len, out, row, &fe)) {
                    if (fe.code == NULL)
                        continue; /* a record without a row (csv header) */
                    if (!s->ignore_parse_errors) {
                        /* not consumed: the job fails before it */
                        p->next_offset = m->offset;
                        rd_kafka_message_t *bad = m;
                        for (ssize_t j = 0; j < n; j++)
                            if (s->msgs[j] != bad)
                                rd_kafka_message_destroy(s->msgs[j]);
                        raise_bad_record(s, bad, &fe);
                    }
                    format_report_error(s->cc, &fe, true, m->payload, m->len);
                    continue;
                }
                fill_metadata(s, out, row, m);
                row++;
            }
            for (ssize_t i = 0; i < n; i++)
                rd_kafka_message_destroy(s->msgs[i]);
            out->count = row;
            *partition = idx;
            if (row > 0)
                connection_ok(s);
            if (row == 0)
                return SOURCE_IDLE;
            return SOURCE_DATA;
        }
        if (attempt == 0) {
            check_health(s);
            struct pollfd pfd = {.fd = s->wake_pipe[0], .events = POLLIN};
            poll(&pfd, 1, 50);
            drain_pipe(s);
        }
    }
    return SOURCE_IDLE;
}

static int kafka_source_partitions(void *st)
{
    KafkaSource *s = st;
    return s->nparts > 0 ? s->nparts : 1;
}

static void kafka_source_position(void *st, StrBuf *out)
{
    KafkaSource *s = st;
    rd_kafka_topic_partition_list_t *commit = rd_kafka_topic_partition_list_new(s->nparts + 1);
    for (int i = 0; i < s->nparts; i++) {
        const KPart *p = &s->parts[i];
        if (p->next_offset < 0)
            continue;
        strbuf_append_str(out, p->topic);
        strbuf_printf(out, "\t%d\t%lld\n", (int)p->partition, (long long)p->next_offset);
        rd_kafka_topic_partition_list_add(commit, p->topic, p->partition)->offset = p->next_offset;
    }
    /* For monitoring tools only (lag per group); asynchronous, errors ignored. */
    if (commit->cnt > 0 && s->rk)
        rd_kafka_commit(s->rk, commit, 1);
    rd_kafka_topic_partition_list_destroy(commit);
}

static int64 kafka_source_lag(void *st, int partition)
{
    KafkaSource *s = st;
    if (partition < 0 || partition >= s->nparts)
        return 0;
    KPart *p = &s->parts[partition];
    if (!p->assigned)
        return -1;
    int64 lo = -1, hi = -1;
    if (rd_kafka_get_watermark_offsets(s->rk, p->topic, p->partition, &lo, &hi) != 0 || hi < 0)
        return -1;
    int64 from = p->next_offset >= 0 ? p->next_offset : lo;
    if (from < 0)
        return -1;
    return hi > from ? hi - from : 0;
}

static void kafka_source_close(void *st)
{
    KafkaSource *s = st;
    if (s == NULL)
        return;
    for (int i = 0; i < s->nparts; i++)
        if (s->parts[i].queue) {
            rd_kafka_queue_destroy(s->parts[i].queue);
            s->parts[i].queue = NULL;
        }
    if (s->rk) {
        rd_kafka_assign(s->rk, NULL);
        rd_kafka_destroy(s->rk);
        s->rk = NULL;
    }
    for (int i = 0; i < 2; i++)
        if (s->wake_pipe[i] >= 0) {
            close(s->wake_pipe[i]);
            s->wake_pipe[i] = -1;
        }
}

const SourceOps kafka_source_ops = {
    .open = kafka_source_open,
    .poll = kafka_source_poll,
    .partitions = kafka_source_partitions,
    .position = kafka_source_position,
    .lag = kafka_source_lag,
    .close = kafka_source_close,
};
