/*
 * registry.c: the built-in connectors and formats and their options.
 *
 * Option names follow seeds 000 and 004.  Adding a connector means adding
 * its option table here and its test/source/sink code in its own file.
 */
#include "connectors/connector.h"
#include "common/error.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

ProfileTestResult kafka_test_connection(Arena *a, const ResolvedOptions *opts);
ProfileTestResult postgres_test_connection(Arena *a, const ResolvedOptions *opts);
static ProfileTestResult generator_test(Arena *a, const ResolvedOptions *opts);
static ProfileTestResult file_test(Arena *a, const ResolvedOptions *opts);
static ProfileTestResult local_test(Arena *a, const ResolvedOptions *opts);

#define N(a) ((int)LM_ARRAY_LEN(a))

/* ---- formats ---- */

static const ConnOption json_options[] = {
    {"ignore_parse_errors", COPT_BOOL, COPT_TABLE, 0, false, NULL, 0, 0,
     "Skip records that cannot be decoded (they are counted and recorded in laminar.job_errors)."},
    {"timestamp_format", COPT_ENUM, COPT_TABLE, 0, false,
     "iso8601|rfc3339|unix_seconds|unix_millis|unix_micros", 0, 0,
     "How TIMESTAMP columns are written in the JSON documents."},
};

static const ConnOption csv_options[] = {
    {"delimiter", COPT_CHAR, COPT_TABLE, 0, false, NULL, 0, 0, "Field delimiter (default ',')."},
    {"quote", COPT_CHAR, COPT_TABLE, 0, false, NULL, 0, 0, "Quote character (default '\"')."},
    {"escape", COPT_CHAR, COPT_TABLE, 0, false, NULL, 0, 0, "Escape character inside quotes."},
    {"header", COPT_BOOL, COPT_TABLE, 0, false, NULL, 0, 0, "First line holds column names."},
    {"null_string", COPT_STRING, COPT_TABLE, 0, false, NULL, 0, 0, "Text that stands for NULL."},
    {"ignore_parse_errors", COPT_BOOL, COPT_TABLE, 0, false, NULL, 0, 0,
     "Skip records that cannot be decoded."},
};

static const ConnOption avro_options[] = {
    {"avro_schema", COPT_JSON, COPT_TABLE, 0, false, NULL, 0, 0, "Inline Avro schema (JSON)."},
    {"schema_registry_url", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0,
     "Confluent Schema Registry URL."},
    {"schema_registry_username", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0,
     "Schema Registry basic-auth user."},
    {"schema_registry_password", COPT_STRING, COPT_ANY, 0, true, NULL, 0, 0,
     "Schema Registry basic-auth password."},
    {"schema_registry_profile", COPT_STRING, COPT_TABLE, 0, false, NULL, 0, 0,
     "Connection profile of a Schema Registry."},
    {"schema_id", COPT_INT, COPT_TABLE, 0, false, NULL, 0, INT32_MAX, "Registry schema id."},
    {"schema_subject", COPT_STRING, COPT_TABLE, 0, false, NULL, 0, 0, "Registry subject."},
    {"ignore_parse_errors", COPT_BOOL, COPT_TABLE, 0, false, NULL, 0, 0,
     "Skip records that cannot be decoded."},
};

static const ConnOption protobuf_options[] = {
    {"protobuf_descriptor", COPT_STRING, COPT_TABLE, 0, false, NULL, 0, 0,
     "Base64 FileDescriptorSet (protoc --include_imports --descriptor_set_out)."},
    {"message_type", COPT_STRING, COPT_TABLE, 0, false, NULL, 0, 0,
     "Message name, short or fully qualified (default: the first message)."},
    {"ignore_parse_errors", COPT_BOOL, COPT_TABLE, 0, false, NULL, 0, 0,
     "Skip records that cannot be decoded."},
};

static const ConnOption raw_options[] = {
    {"raw_type", COPT_ENUM, COPT_TABLE, 0, false, "string|bytes", 0, 0,
     "Whether each record is one STRING or one BINARY value."},
};

static const ConnFormat formats[] = {
    {"json", json_options, N(json_options), "JSON documents, one per record."},
    {"csv", csv_options, N(csv_options), "Comma-separated values."},
    {"avro", avro_options, N(avro_options),
     "Avro with an inline schema, a schema registry, or OCF files."},
    {"protobuf", protobuf_options, N(protobuf_options),
     "Protocol Buffers with an inline descriptor set."},
    {"raw", raw_options, N(raw_options), "Each record as one string or byte value."},
};

/* ---- connectors ---- */

static const char *const kafka_formats[] = {"json", "csv", "avro", "protobuf", "raw", NULL};
static const ConnOption kafka_options[] = {
    {"bootstrap_servers", COPT_STRING, COPT_ANY, COPT_TABLE, false, NULL, 0, 0,
     "Comma-separated host:port list of brokers."},
    {"security_protocol", COPT_ENUM, COPT_ANY, 0, false, "plaintext|ssl|sasl_plaintext|sasl_ssl", 0,
     0, "Protocol used to talk to brokers."},
    {"sasl_mechanism", COPT_ENUM, COPT_ANY, 0, false, "plain|scram-sha-256|scram-sha-512", 0, 0,
     "SASL mechanism."},
    {"sasl_username", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0, "SASL user name."},
    {"sasl_password", COPT_STRING, COPT_ANY, 0, true, NULL, 0, 0, "SASL password."},
    {"ssl_ca_location", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0, "CA certificate file."},
    {"ssl_certificate_location", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0,
     "Client certificate file."},
    {"ssl_key_location", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0, "Client key file."},
    {"ssl_key_password", COPT_STRING, COPT_ANY, 0, true, NULL, 0, 0, "Client key password."},
    {"client_id", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0, "Client id sent to brokers."},
    {"url", COPT_STRING, COPT_TABLE, 0, false, NULL, 0, 0,
     "Shortcut: kafka://host:port[,host:port]/topic?group_id=g."},
    {"topic", COPT_LIST, COPT_TABLE, COPT_TABLE, false, NULL, 0, 0,
     "Topic to read (one or several, comma-separated) or write."},
    {"consumer_group", COPT_STRING, COPT_SOURCE, 0, false, NULL, 0, 0, "Consumer group id."},
    {"offset_reset", COPT_ENUM, COPT_SOURCE, 0, false, "earliest|latest", 0, 0,
     "Where to start without a committed position."},
    {"partition_discovery_interval", COPT_INTERVAL, COPT_SOURCE, 0, false, NULL, 0, 0,
     "How often new partitions are looked for."},
    {"read_committed", COPT_BOOL, COPT_SOURCE, 0, false, NULL, 0, 0,
     "Read only committed records of transactional producers."},
    {"key_field", COPT_STRING, COPT_SINK, 0, false, NULL, 0, 0, "Column written as the record key."},
    {"partition_field", COPT_STRING, COPT_SINK, 0, false, NULL, 0, 0,
     "Column whose value chooses the partition."},
    {"compression_type", COPT_ENUM, COPT_SINK, 0, false, "none|gzip|snappy|lz4|zstd", 0, 0,
     "Compression of produced batches."},
    {"acks", COPT_ENUM, COPT_SINK, 0, false, "0|1|all|-1", 0, 0, "Acknowledgements required."},
    {"linger_ms", COPT_INT, COPT_SINK, 0, false, NULL, 0, 900000, "Producer linger time."},
    {"batch_size", COPT_INT, COPT_SINK, 0, false, NULL, 1, 2147483647,
     "Producer batch size in bytes."},
    {"delivery", COPT_ENUM, COPT_SINK, 0, false, "exactly_once|at_least_once", 0, 0,
     "Delivery guarantee of the sink."},
    {"properties", COPT_JSON, COPT_ANY, 0, false, NULL, 0, 0,
     "librdkafka properties as a JSON object."},
    {"properties.", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0,
     "Any librdkafka property, e.g. 'properties.max.poll.records'."},
};

static const ConnOption postgres_options[] = {
    {"host", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0, "Server host name or address."},
    {"port", COPT_INT, COPT_ANY, 0, false, NULL, 1, 65535, "Server port."},
    {"database", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0, "Database name."},
    {"user", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0, "User name."},
    {"password", COPT_STRING, COPT_ANY, 0, true, NULL, 0, 0, "Password."},
    {"sslmode", COPT_ENUM, COPT_ANY, 0, false,
     "disable|allow|prefer|require|verify-ca|verify-full", 0, 0, "libpq sslmode."},
    {"url", COPT_STRING, COPT_ANY, 0, false, NULL, 0, 0,
     "Shortcut: postgresql://user:pass@host:port/db?table=t."},
    {"table", COPT_STRING, COPT_TABLE, 0, false, NULL, 0, 0, "Table to read or write."},
    {"schema", COPT_STRING, COPT_TABLE, 0, false, NULL, 0, 0, "Schema of the table (public)."},
    {"query", COPT_STRING, COPT_SOURCE, 0, false, NULL, 0, 0, "Query to read instead of a table."},
    {"partition_column", COPT_STRING, COPT_SOURCE, 0, false, NULL, 0, 0,
     "Numeric column that splits a snapshot into parallel reads."},
    {"num_partitions", COPT_INT, COPT_SOURCE, 0, false, NULL, 1, 1024,
     "Number of parallel snapshot reads."},
    {"change_tracking_column", COPT_STRING, COPT_SOURCE, 0, false, NULL, 0, 0,
     "Column polled for new and changed rows (e.g. updated_at)."},
    {"poll_interval", COPT_INTERVAL, COPT_SOURCE, 0, false, NULL, 0, 0,
     "How often the change-tracking column is polled."},
    {"write_mode", COPT_ENUM, COPT_SINK, 0, false, "append|upsert|overwrite", 0, 0,
     "How rows are written."},
    {"primary_keys", COPT_LIST, COPT_SINK, 0, false, NULL, 0, 0, "Key columns for upserts."},
    {"batch_size", COPT_INT, COPT_SINK, 0, false, NULL, 1, 10000000, "Rows per write batch."},
    {"batch_interval", COPT_INTERVAL, COPT_SINK, 0, false, NULL, 1000, INT64_C(86400000),
     "Longest wait before a write (1 second to 24 hours; seed 003 imports: from 30 seconds)."},
    {"batch_bytes", COPT_SIZE, COPT_SINK, 0, false, NULL, 100, INT64_C(524288000),
     "Bytes per write batch."},
    {"create_table_if_not_exists", COPT_BOOL, COPT_SINK, 0, false, NULL, 0, 0,
     "Create the target table from the sink's columns."},
    {"retry_timeout", COPT_INTERVAL, COPT_ANY, 0, false, NULL, 0, 0,
     "How long an unreachable database is retried before the job fails (60 seconds)."},
};

static const char *const file_formats[] = {"json", "csv", "avro", "raw", NULL};
static const ConnOption file_options[] = {
    {"path", COPT_STRING, COPT_TABLE, COPT_TABLE, false, NULL, 0, 0, "Local directory or file."},
    {"pattern", COPT_STRING, COPT_SOURCE, 0, false, NULL, 0, 0, "Glob of file names to read."},
    {"scan_interval", COPT_INTERVAL, COPT_SOURCE, 0, false, NULL, 0, 0,
     "Watch the directory for new files at this interval."},
    {"max_files_per_scan", COPT_INT, COPT_SOURCE, 0, false, NULL, 1, 1000000,
     "Files picked up per scan."},
    {"partition_by", COPT_LIST, COPT_SINK, 0, false, NULL, 0, 0,
     "Columns that name output sub-directories."},
    {"rollover_size", COPT_SIZE, COPT_SINK, 0, false, NULL, 1024, INT64_C(1) << 40,
     "Start a new file past this size."},
    {"rollover_interval", COPT_INTERVAL, COPT_SINK, 0, false, NULL, 0, 0,
     "Start a new file after this time."},
};

static const char *const webhook_formats[] = {"json", NULL};
static const ConnOption webhook_options[] = {
    {"path", COPT_STRING, COPT_SOURCE, 0, false, NULL, 0, 0,
     "Ingest path (default /ingest/<table name>)."},
    {"sync_wait", COPT_BOOL, COPT_SOURCE, 0, false, NULL, 0, 0,
     "Acknowledge only after events are durable (default true)."},
    {"token", COPT_STRING, COPT_SOURCE, 0, true, NULL, 0, 0,
     "Ingest token: 'rotate' (ALTER) issues a new random one; stored only as a hash."},
    {"token_hash", COPT_STRING, COPT_SOURCE, 0, true, NULL, 0, 0,
     "SHA-256 of the ingest token (set by CREATE and ALTER ... SET (token = ...))."},
};

static const ConnOption nexmark_options[] = {
    {"event_type", COPT_ENUM, COPT_SOURCE, COPT_SOURCE, false, "person|auction|bid", 0, 0,
     "Which Nexmark stream this table reads."},
    {"max_events", COPT_INT, COPT_SOURCE, 0, false, NULL, 0, INT64_MAX,
     "Stop after this many generator events (0: unbounded)."},
    {"events_per_second", COPT_INT, COPT_SOURCE, 0, false, NULL, 0, INT64_MAX,
     "Rate limit (0: as fast as possible)."},
    {"seed", COPT_INT, COPT_ANY, 0, false, NULL, INT64_MIN, INT64_MAX,
     "Random seed; the same seed gives the same events."},
};

static const ConnOption datagen_options[] = {
    {"rows_per_second", COPT_INT, COPT_ANY, 0, false, NULL, 0, INT64_MAX,
     "Rate limit (0: as fast as possible)."},
    {"number_of_rows", COPT_INT, COPT_SOURCE, 0, false, NULL, 0, INT64_MAX,
     "Stop after this many rows (0: unbounded)."},
    {"seed", COPT_INT, COPT_ANY, 0, false, NULL, INT64_MIN, INT64_MAX, "Random seed."},
    {"fields.", COPT_STRING, COPT_SOURCE, 0, false, NULL, 0, 0,
     "Per-column generator: fields.<col>.kind = sequence|random, .min, .max, .start, .end, "
     ".length."},
};

static const Connector connectors[] = {
    {"kafka", "Apache Kafka topics (librdkafka).", true, true, kafka_formats, "json", kafka_options,
     N(kafka_options), "kafka", kafka_test_connection},
    {"postgres", "PostgreSQL tables and queries (libpq).", true, true, NULL, NULL, postgres_options,
     N(postgres_options), "postgresql", postgres_test_connection},
    {"file", "Files in a local directory.", true, true, file_formats, "json", file_options,
     N(file_options), NULL, file_test},
    {"webhook", "HTTP POST ingestion on the REST port.", true, false, webhook_formats, "json",
     webhook_options, N(webhook_options), NULL, local_test},
    {"nexmark", "The Nexmark benchmark generator (person, auction, bid).", true, false, NULL, NULL,
     nexmark_options, N(nexmark_options), NULL, generator_test},
    {"datagen", "Generated rows for any schema.", true, false, NULL, NULL, datagen_options,
     N(datagen_options), NULL, generator_test},
    {"blackhole", "Discards every row (benchmarks).", false, true, NULL, NULL, NULL, 0, NULL,
     local_test},
};

/* Named in the product documents, not built yet. */
static const char *const planned_connectors[] = {"kinesis", "rabbitmq", "nats", "mqtt", "mysql",
                                                 "mysql_cdc", "mysql-cdc", "websocket", "http",
                                                 "http_polling", "redis", "s3", "gcs", NULL};

static const Connector *connector_ptrs[LM_ARRAY_LEN(connectors)];
static const ConnFormat *format_ptrs[LM_ARRAY_LEN(formats)];

const Connector *connector_find(const char *name)
{
    if (name == NULL)
        return NULL;
    if (strcasecmp(name, "postgresql") == 0 || strcasecmp(name, "postgres-cdc") == 0)
        name = "postgres";
    if (strcasecmp(name, "filesystem") == 0)
        name = "file";
    for (size_t i = 0; i < LM_ARRAY_LEN(connectors); i++)
        if (strcasecmp(connectors[i].name, name) == 0)
            return &connectors[i];
    return NULL;
}

bool connector_is_planned(const char *name)
{
    for (int i = 0; planned_connectors[i]; i++)
        if (strcasecmp(planned_connectors[i], name) == 0)
            return true;
    return false;
}

const Connector *const *connector_list(int *n)
{
    for (size_t i = 0; i < LM_ARRAY_LEN(connectors); i++)
        connector_ptrs[i] = &connectors[i];
    *n = (int)LM_ARRAY_LEN(connectors);
    return connector_ptrs;
}

const ConnFormat *connector_format_find(const char *name)
{
    for (size_t i = 0; i < LM_ARRAY_LEN(formats); i++)
        if (strcasecmp(formats[i].name, name) == 0)
            return &formats[i];
    return NULL;
}

const ConnFormat *const *connector_format_list(int *n)
{
    for (size_t i = 0; i < LM_ARRAY_LEN(formats); i++)
        format_ptrs[i] = &formats[i];
    *n = (int)LM_ARRAY_LEN(formats);
    return format_ptrs;
}

bool connector_supports_format(const Connector *c, const char *format)
{
    if (c->formats == NULL)
        return false;
    for (int i = 0; c->formats[i]; i++)
        if (strcasecmp(c->formats[i], format) == 0)
            return true;
    return false;
}

static bool option_name_matches(const ConnOption *o, const char *name)
{
    size_t n = strlen(o->name);
    if (n > 0 && o->name[n - 1] == '.')
        return strncmp(name, o->name, n) == 0 && name[n] != '\0';
    return strcmp(name, o->name) == 0;
}

const ConnOption *connector_find_option(const Connector *c, const ConnFormat *fmt, const char *name,
                                        unsigned scope)
{
    for (int i = 0; i < c->noptions; i++)
        if ((c->options[i].scope & scope) && option_name_matches(&c->options[i], name))
            return &c->options[i];
    if (fmt)
        for (int i = 0; i < fmt->noptions; i++)
            if ((fmt->options[i].scope & scope) && option_name_matches(&fmt->options[i], name))
                return &fmt->options[i];
    return NULL;
}

bool connector_option_is_sensitive(const Connector *c, const char *name)
{
    for (int i = 0; c && i < c->noptions; i++)
        if (option_name_matches(&c->options[i], name))
            return c->options[i].sensitive;
    for (size_t f = 0; f < LM_ARRAY_LEN(formats); f++)
        for (int i = 0; i < formats[f].noptions; i++)
            if (option_name_matches(&formats[f].options[i], name))
                return formats[f].options[i].sensitive;
    return strstr(name, "password") != NULL || strstr(name, "secret") != NULL;
}

void connector_describe_options(const Connector *c, const ConnFormat *fmt, unsigned scope,
                                StrBuf *out)
{
    bool first = true;
    for (int i = 0; i < c->noptions; i++)
        if (c->options[i].scope & scope) {
            strbuf_printf(out, "%s%s%s", first ? "" : ", ", c->options[i].name,
                          c->options[i].name[strlen(c->options[i].name) - 1] == '.' ? "*" : "");
            first = false;
        }
    if (fmt)
        for (int i = 0; i < fmt->noptions; i++)
            if (fmt->options[i].scope & scope) {
                /* skip duplicates of connector options */
                if (connector_find_option(c, NULL, fmt->options[i].name, scope))
                    continue;
                strbuf_printf(out, "%s%s", first ? "" : ", ", fmt->options[i].name);
                first = false;
            }
}

static void json_escape(StrBuf *out, const char *s)
{
    strbuf_append_char(out, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            strbuf_printf(out, "\\%c", ch);
        else if (ch < 0x20)
            strbuf_printf(out, "\\u%04x", ch);
        else
            strbuf_append_char(out, (char)ch);
    }
    strbuf_append_char(out, '"');
}

static const char *type_names[] = {"string", "integer", "boolean", "interval", "enum",
                                   "size",   "list",    "json",    "char"};

void connector_options_json(const Connector *c, StrBuf *out)
{
    strbuf_append_char(out, '[');
    for (int i = 0; i < c->noptions; i++) {
        const ConnOption *o = &c->options[i];
        if (i)
            strbuf_append_str(out, ", ");
        strbuf_append_str(out, "{\"name\": ");
        json_escape(out, o->name);
        strbuf_printf(out, ", \"type\": \"%s\", \"scope\": [", type_names[o->type]);
        bool first = true;
        if (o->scope & COPT_PROFILE) {
            strbuf_append_str(out, "\"profile\"");
            first = false;
        }
        if (o->scope & COPT_SOURCE) {
            strbuf_printf(out, "%s\"source\"", first ? "" : ", ");
            first = false;
        }
        if (o->scope & COPT_SINK)
            strbuf_printf(out, "%s\"sink\"", first ? "" : ", ");
        strbuf_printf(out, "], \"required\": %s, \"sensitive\": %s",
                      o->required ? "true" : "false", o->sensitive ? "true" : "false");
        if (o->enum_values) {
            strbuf_append_str(out, ", \"values\": ");
            json_escape(out, o->enum_values);
        }
        strbuf_append_str(out, ", \"description\": ");
        json_escape(out, o->description);
        strbuf_append_char(out, '}');
    }
    strbuf_append_char(out, ']');
}

/* ---- value checks ---- */

bool connector_parse_duration_ms(const char *text, int64 *ms)
{
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (strncasecmp(p, "interval", 8) == 0) {
        p += 8;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\'')
            p++;
    }
    if (*p == 'P' || *p == 'p') {
        /* ISO 8601: PnDTnHnMnS */
        double total = 0;
        bool in_time = false;
        p++;
        while (*p) {
            if (*p == 'T' || *p == 't') {
                in_time = true;
                p++;
                continue;
            }
            char *end;
            double v = strtod(p, &end);
            if (end == p)
                return false;
            char u = (char)toupper((unsigned char)*end);
            if (u == 'D')
                total += v * 86400000.0;
            else if (u == 'H' && in_time)
                total += v * 3600000.0;
            else if (u == 'M' && in_time)
                total += v * 60000.0;
            else if (u == 'S' && in_time)
                total += v * 1000.0;
            else if (u == 'W')
                total += v * 7 * 86400000.0;
            else
                return false;
            p = end + 1;
        }
        *ms = (int64)total;
        return true;
    }
    double total = 0;
    bool any = false;
    while (*p) {
        while (isspace((unsigned char)*p) || *p == ',')
            p++;
        if (*p == '\0' || *p == '\'')
            break;
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (end == p || errno)
            return false;
        p = end;
        while (isspace((unsigned char)*p))
            p++;
        const char *u = p;
        while (isalpha((unsigned char)*p))
            p++;
        size_t ul = (size_t)(p - u);
        double mult;
        if (ul == 0)
            mult = 1000.0; /* a bare number is seconds */
        else if ((ul == 2 && strncasecmp(u, "ms", 2) == 0) ||
                 (ul >= 6 && strncasecmp(u, "milliseconds", ul) == 0) ||
                 (ul >= 5 && strncasecmp(u, "msecs", ul) == 0))
            mult = 1.0;
        else if ((ul == 1 && (u[0] == 's' || u[0] == 'S')) ||
                 (ul >= 3 && strncasecmp(u, "seconds", ul) == 0) ||
                 (ul >= 3 && strncasecmp(u, "secs", ul) == 0))
            mult = 1000.0;
        else if ((ul == 1 && (u[0] == 'm' || u[0] == 'M')) ||
                 (ul >= 3 && strncasecmp(u, "minutes", ul) == 0) ||
                 (ul >= 3 && strncasecmp(u, "mins", ul) == 0))
            mult = 60000.0;
        else if ((ul == 1 && (u[0] == 'h' || u[0] == 'H')) ||
                 (ul >= 2 && strncasecmp(u, "hours", ul) == 0) ||
                 (ul >= 2 && strncasecmp(u, "hrs", ul) == 0))
            mult = 3600000.0;
        else if ((ul == 1 && (u[0] == 'd' || u[0] == 'D')) ||
                 (ul >= 3 && strncasecmp(u, "days", ul) == 0))
            mult = 86400000.0;
        else if ((ul == 1 && (u[0] == 'w' || u[0] == 'W')) ||
                 (ul >= 4 && strncasecmp(u, "weeks", ul) == 0))
            mult = 7 * 86400000.0;
        else
            return false;
        total += v * mult;
        any = true;
    }
    if (!any || total < 0)
        return false;
    *ms = (int64)(total + 0.5);
    return true;
}

bool connector_parse_size(const char *text, int64 *bytes)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || errno || v < 0)
        return false;
    while (isspace((unsigned char)*end))
        end++;
    double mult = 1;
    if (*end == '\0' || strcasecmp(end, "b") == 0 || strcasecmp(end, "bytes") == 0)
        mult = 1;
    else if (strcasecmp(end, "kb") == 0 || strcasecmp(end, "k") == 0 || strcasecmp(end, "kib") == 0)
        mult = 1024;
    else if (strcasecmp(end, "mb") == 0 || strcasecmp(end, "m") == 0 || strcasecmp(end, "mib") == 0)
        mult = 1024.0 * 1024;
    else if (strcasecmp(end, "gb") == 0 || strcasecmp(end, "g") == 0 || strcasecmp(end, "gib") == 0)
        mult = 1024.0 * 1024 * 1024;
    else if (strcasecmp(end, "tb") == 0 || strcasecmp(end, "tib") == 0)
        mult = 1024.0 * 1024 * 1024 * 1024;
    else
        return false;
    *bytes = (int64)(v * mult);
    return true;
}

void connector_check_value(const ConnOption *o, const char *name, const char *value, int position)
{
    if (strstr(value, "{{"))
        return; /* checked once resolved */
    switch (o->type) {
    case COPT_STRING:
    case COPT_LIST:
        if (*value == '\0' && o->required)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"%s\" must not be empty", name), errposition(position));
        return;
    case COPT_INT:
    case COPT_SIZE: {
        int64 v;
        bool ok;
        if (o->type == COPT_INT) {
            char *end;
            errno = 0;
            long long x = strtoll(value, &end, 10);
            ok = end != value && *end == '\0' && errno == 0;
            v = x;
        } else
            ok = connector_parse_size(value, &v);
        if (!ok)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid value for option \"%s\": \"%s\"", name, value),
                    errdetail(o->type == COPT_INT ? "The value must be an integer."
                                                  : "The value must be a size such as 1048576 or "
                                                    "'64MB'."),
                    errposition(position));
        if (o->max > o->min && (v < o->min || v > o->max))
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("value %s for option \"%s\" is out of range", value, name),
                    errdetail("The value must be between %lld and %lld.", (long long)o->min,
                              (long long)o->max),
                    errposition(position));
        return;
    }
    case COPT_BOOL: {
        static const char *ok[] = {"true", "false", "on", "off", "yes", "no", "1", "0"};
        for (size_t i = 0; i < LM_ARRAY_LEN(ok); i++)
            if (strcasecmp(value, ok[i]) == 0)
                return;
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid value for option \"%s\": \"%s\"", name, value),
                errdetail("The value must be true or false."), errposition(position));
        return;
    }
    case COPT_INTERVAL: {
        int64 ms;
        if (!connector_parse_duration_ms(value, &ms))
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid value for option \"%s\": \"%s\"", name, value),
                    errdetail("The value must be a duration such as '5 seconds', '10s' or "
                              "'1 minute'."),
                    errposition(position));
        /* bounds of a duration are in milliseconds */
        if (o->max > o->min && (ms < o->min || ms > o->max))
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("value %s for option \"%s\" is out of range", value, name),
                    errdetail("The value must be between %lld ms and %lld ms.", (long long)o->min,
                              (long long)o->max),
                    errposition(position));
        return;
    }
    case COPT_ENUM: {
        const char *p = o->enum_values;
        size_t vl = strlen(value);
        while (p && *p) {
            const char *bar = strchr(p, '|');
            size_t l = bar ? (size_t)(bar - p) : strlen(p);
            if (l == vl && strncasecmp(p, value, l) == 0)
                return;
            p = bar ? bar + 1 : NULL;
        }
        char alts[256];
        snprintf(alts, sizeof alts, "%s", o->enum_values);
        for (char *q = alts; *q; q++)
            if (*q == '|')
                *q = ',';
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid value for option \"%s\": \"%s\"", name, value),
                errdetail("Valid values are: %s.", alts), errposition(position));
        return;
    }
    case COPT_JSON: {
        const char *p = value;
        while (isspace((unsigned char)*p))
            p++;
        if (*p != '{' && *p != '[')
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid value for option \"%s\"", name),
                    errdetail("The value must be a JSON object or array."), errposition(position));
        return;
    }
    case COPT_CHAR:
        if (strlen(value) != 1 && !(strlen(value) == 2 && value[0] == '\\'))
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"%s\" must be a single character", name),
                    errposition(position));
        return;
    }
}

const char *connector_expand_placeholders(Arena *a, const char *option, const char *value)
{
    if (value == NULL || strstr(value, "{{") == NULL)
        return value;
    StrBuf b;
    strbuf_init(&b, a);
    const char *p = value;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (open == NULL) {
            strbuf_append_str(&b, p);
            break;
        }
        strbuf_append(&b, p, (size_t)(open - p));
        const char *close = strstr(open + 2, "}}");
        if (close == NULL)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("unterminated placeholder in option \"%s\"", option),
                    errhint("Placeholders are written {{ NAME }}."));
        const char *s = open + 2, *e = close;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        char *var = arena_strndup(a, s, (size_t)(e - s));
        const char *env = *var ? getenv(var) : NULL;
        if (env == NULL)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("environment variable \"%s\" used by option \"%s\" is not set", var,
                           option),
                    errhint("Set it in the environment of laminard."));
        strbuf_append_str(&b, env);
        p = close + 2;
    }
    return b.data;
}

const char *resolved_get(const ResolvedOptions *o, const char *name)
{
    for (int i = 0; i < o->count; i++)
        if (strcmp(o->names[i], name) == 0)
            return o->values[i];
    return NULL;
}

/* ---- tests of the local connectors ---- */

static ProfileTestResult generator_test(Arena *a, const ResolvedOptions *opts)
{
    return (ProfileTestResult){true, "generator is built in and ready", NULL};
}

static ProfileTestResult local_test(Arena *a, const ResolvedOptions *opts)
{
    return (ProfileTestResult){true, "connector is built in and ready", NULL};
}

static ProfileTestResult file_test(Arena *a, const ResolvedOptions *opts)
{
    const char *path = resolved_get(opts, "path");
    if (path == NULL)
        return (ProfileTestResult){true, "file connector is ready", NULL};
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return (ProfileTestResult){false, arena_printf(a, "cannot open \"%s\": %s", path,
                                                       strerror(errno)),
                                   NULL};
    fclose(f);
    return (ProfileTestResult){true, arena_printf(a, "\"%s\" is readable", path), NULL};
}
