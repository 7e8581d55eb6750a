/*
 * test_formats.c: record formats (connectors/format.c, fmt_json.c, fmt_csv.c,
 * fmt_raw.c, fmt_avro.c, fmt_protobuf.c) both ways.
 *
 * Covers: json decode by field name (exact, case-insensitive, out of order,
 * unknown fields, escapes, nested values into JSON/ARRAY columns), numbers
 * into ints/floats/decimals with range checks, ISO and unix timestamps,
 * missing fields and NOT NULL, the seed's SCHEMA_VALIDATION_ERROR detail
 * ("Cannot cast STRING to BIGINT", sample value), malformed records, the
 * json encoder round trip and timestamp_format; csv with quotes, escapes,
 * null_string, header skipping, errors and the encoder; raw strings; avro
 * with seed 002's inline KttmEvent schema, unions and logical types, the
 * Confluent wire format against a small in-process schema registry (basic
 * auth, one fetch per id; unframed records by schema_id or subject), OCF
 * files, the avro encoder (framing, unions, logical types, decimal, enum
 * round trips; refusals); protobuf with seed 002's base64
 * descriptor (short and qualified message names, the first message by
 * default, proto3 defaults) and a hand-built descriptor with a package,
 * nested messages, repeated (interleaved and packed) fields, bool, double,
 * sint32 and unknown fields; schema inference; the error helpers; the json
 * encoder's fast paths against the generic formatting; 4000 mutated records.
 *
 * lmtest-libs: connectors/libconnectors.a storage/libstorage.a common/libcommon.a
 */
#include "common/arena.h"
#include "common/error.h"
#include "common/datetime.h"
#include "common/vector.h"
#include "connectors/format.h"

#include "lmtest.h"

#include <arpa/inet.h>
#include <math.h>
#include <avro.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static Arena *A;

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

/* A table from "name TYPE [NOT NULL]" specs. */
static CatTable *table_make(const char *connector, int n, const char *const *specs)
{
    CatTable *t = arena_new(A, CatTable);
    t->name = "t";
    t->schema = "public";
    t->connector = (char *)connector;
    t->ncolumns = n;
    t->columns = arena_alloc0(A, sizeof(CatColumn) * (size_t)n);
    for (int i = 0; i < n; i++) {
        const char *sp = strchr(specs[i], ' ');
        t->columns[i].name = arena_strndup(A, specs[i], (size_t)(sp - specs[i]));
        const char *ty = sp + 1;
        const char *nn = strstr(ty, " NOT NULL");
        char *tt = nn ? arena_strndup(A, ty, (size_t)(nn - ty)) : arena_strdup(A, ty);
        int pos;
        const char *msg;
        t->columns[i].type = type_parse(A, tt, &pos, &msg);
        t->columns[i].not_null = nn != NULL;
        if (t->columns[i].type == NULL) {
            fprintf(stderr, "bad type %s\n", tt);
            exit(2);
        }
    }
    return t;
}

static Batch *batch_for(const CatTable *t)
{
    const LmType **types = arena_alloc(A, sizeof(LmType *) * (size_t)t->ncolumns);
    for (int i = 0; i < t->ncolumns; i++)
        types[i] = t->columns[i].type;
    return batch_create(A, t->ncolumns, types, LM_BATCH_SIZE);
}

/* The text of row r, column c ("NULL" for NULL). */
static const char *val(const Batch *b, int c, int r)
{
    if (!vector_is_valid(&b->cols[c], r))
        return "NULL";
    StrBuf sb;
    strbuf_init(&sb, A);
    value_format_text(&b->cols[c], r, &sb);
    return sb.data ? sb.data : "";
}

static bool dec(FormatDecoder *d, const char *rec, Batch *b, int row, FormatError *err)
{
    return format_decode(d, rec, strlen(rec), b, row, err);
}

/* ---------- json ---------- */

static void test_json(void)
{
    const char *cols[] = {"user_id BIGINT NOT NULL", "page_url STRING", "ts TIMESTAMP",
                          "duration_ms INT", "score DOUBLE"};
    CatTable *t = table_make("kafka", 5, cols);
    FormatDecoder *d = format_decoder_create(A, t, opts_make(0, NULL), NULL);
    Batch *b = batch_for(t);
    FormatError err = {0};

    LMT_CHECK(dec(d,
                  "{\"user_id\": 42, \"page_url\": \"/a\\\"b\\u00e9\", \"ts\": "
                  "\"2024-01-01T14:30:00Z\", \"duration_ms\": 120, \"score\": 1.5}",
                  b, 0, &err),
              "json: a full record decodes");
    LMT_CHECK_STR(val(b, 0, 0), "42", "json: bigint");
    LMT_CHECK_STR(val(b, 1, 0), "/a\"b\xc3\xa9", "json: string with escapes");
    LMT_CHECK_STR(val(b, 2, 0), "2024-01-01 14:30:00", "json: ISO timestamp");
    LMT_CHECK_STR(val(b, 3, 0), "120", "json: int");
    LMT_CHECK_STR(val(b, 4, 0), "1.5", "json: double");

    LMT_CHECK(dec(d,
                  "{\"score\":2e3,\"extra\":{\"a\":[1,2,{\"b\":\"}\"}]},\"USER_ID\":7,"
                  "\"ts\":\"2024-02-29 01:02:03.25+01:00\"}",
                  b, 1, &err),
              "json: out of order, unknown nested field, case-insensitive name");
    LMT_CHECK_STR(val(b, 0, 1), "7", "json: case-insensitive match");
    LMT_CHECK_STR(val(b, 1, 1), "NULL", "json: missing nullable field is NULL");
    LMT_CHECK_STR(val(b, 2, 1), "2024-02-29 00:02:03.25", "json: offset converted to UTC");
    LMT_CHECK_STR(val(b, 4, 1), "2000", "json: exponent");

    LMT_CHECK(!dec(d, "{\"user_id\": \"abc123\"}", b, 2, &err), "json: string into bigint fails");
    LMT_CHECK_STR(err.code, "SCHEMA_VALIDATION_ERROR", "json: error code");
    LMT_CHECK_STR(err.message, "Schema validation failed", "json: error message");
    LMT_CHECK_STR(err.field, "user_id", "json: error field");
    LMT_CHECK_STR(err.reason, "Cannot cast STRING to BIGINT", "json: error reason");
    LMT_CHECK_STR(err.sample_value, "abc123", "json: error sample value");
    StrBuf det;
    strbuf_init(&det, A);
    format_error_details_json(&err, &det);
    LMT_CHECK_STR(det.data,
                  "{\"field\":\"user_id\",\"reason\":\"Cannot cast STRING to BIGINT\","
                  "\"sample_value\":\"abc123\"}",
                  "json: the seed's details object");

    LMT_CHECK(!dec(d, "{\"page_url\": \"x\"}", b, 2, &err), "json: missing NOT NULL field fails");
    LMT_CHECK_STR(err.reason, "Missing required field", "json: missing NOT NULL reason");
    LMT_CHECK(!dec(d, "{\"user_id\": null}", b, 2, &err), "json: null into NOT NULL fails");
    LMT_CHECK(!dec(d, "{\"user_id\": 1, \"duration_ms\": 3000000000}", b, 2, &err),
              "json: int out of range fails");
    LMT_CHECK_STR(err.reason, "Value out of range for INT", "json: range reason");
    LMT_CHECK(!dec(d, "{\"user_id\": 1.5}", b, 2, &err), "json: fraction into bigint fails");
    LMT_CHECK_STR(err.reason, "Cannot cast DOUBLE to BIGINT", "json: double reason");
    LMT_CHECK(dec(d, "{\"user_id\": \"12\"}", b, 2, &err), "json: numeric string into bigint");
    LMT_CHECK(!dec(d, "{\"user_id\": 1, \"ts\": \"yesterday-ish\"}", b, 2, &err),
              "json: bad timestamp fails");
    LMT_CHECK_STR(err.reason, "Cannot cast STRING to TIMESTAMP", "json: timestamp reason");
    LMT_CHECK(!dec(d, "{\"user_id\": 1,", b, 2, &err), "json: truncated record fails");
    LMT_CHECK_STR(err.code, "FORMAT_ERROR", "json: malformed is FORMAT_ERROR");
    LMT_CHECK(!dec(d, "[1,2]", b, 2, &err), "json: non-object fails");
    LMT_CHECK(!dec(d, "{\"user_id\": 1} x", b, 2, &err), "json: trailing garbage fails");
    LMT_CHECK(!dec(d, "{\"user_id\": {\"a\":1}}", b, 2, &err), "json: object into bigint fails");
    LMT_CHECK_STR(err.reason, "Cannot cast OBJECT to BIGINT", "json: object reason");

    /* after failures the same row decodes completely */
    LMT_CHECK(dec(d, "{\"user_id\": 5}", b, 2, &err), "json: row reused after failures");
    LMT_CHECK_STR(val(b, 2, 2), "NULL", "json: reused row has no stale timestamp");
    LMT_CHECK_STR(val(b, 3, 2), "NULL", "json: reused row has no stale int");

    /* unix timestamps, decimals, nested columns */
    const char *cols2[] = {"ts TIMESTAMP",  "amount DECIMAL(10,2)", "tags ARRAY<STRING>",
                           "doc JSON",      "ok BOOLEAN",           "day DATE",
                           "small SMALLINT"};
    CatTable *t2 = table_make("kafka", 7, cols2);
    const char *kv[] = {"timestamp_format", "unix_millis"};
    FormatDecoder *d2 = format_decoder_create(A, t2, opts_make(1, kv), NULL);
    Batch *b2 = batch_for(t2);
    LMT_CHECK(dec(d2,
                  "{\"ts\": 1704067200123, \"amount\": 12.345, \"tags\": [\"a\",\"b\"], "
                  "\"doc\": {\"k\": [1, true]}, \"ok\": true, \"day\": \"2024-03-01\", "
                  "\"small\": -5}",
                  b2, 0, &err),
              "json: unix millis, decimal, array, json, boolean, date");
    LMT_CHECK_STR(val(b2, 0, 0), "2024-01-01 00:00:00.123", "json: unix_millis timestamp");
    LMT_CHECK_STR(val(b2, 1, 0), "12.35", "json: decimal rounded to scale");
    LMT_CHECK_STR(val(b2, 2, 0), "{a,b}", "json: array column");
    LMT_CHECK_STR(val(b2, 3, 0), "{\"k\": [1, true]}", "json: json column keeps the text");
    LMT_CHECK_STR(val(b2, 4, 0), "t", "json: boolean");
    LMT_CHECK_STR(val(b2, 5, 0), "2024-03-01", "json: date");
    LMT_CHECK_STR(val(b2, 6, 0), "-5", "json: smallint");
    LMT_CHECK(!dec(d2, "{\"amount\": 123456789012}", b2, 1, &err), "json: decimal overflow fails");
    LMT_CHECK(!dec(d2, "{\"small\": 70000}", b2, 1, &err), "json: smallint overflow fails");

    /* encoder round trip */
    b->count = 2;
    FormatEncoder *e = format_encoder_create(A, t, opts_make(0, NULL));
    StrBuf out;
    strbuf_init(&out, A);
    format_encode(e, b, 0, &out);
    LMT_CHECK_STR(out.data,
                  "{\"user_id\":42,\"page_url\":\"/a\\\"b\xc3\xa9\",\"ts\":\"2024-01-01T14:30:00\","
                  "\"duration_ms\":120,\"score\":1.5}",
                  "json: encoder writes compact objects");
    LMT_CHECK(dec(d, out.data, b, 3, &err), "json: encoder output decodes");
    LMT_CHECK_STR(val(b, 2, 3), "2024-01-01 14:30:00", "json: round trip timestamp");
    FormatEncoder *e2 = format_encoder_create(A, t2, opts_make(1, kv));
    strbuf_reset(&out);
    format_encode(e2, b2, 0, &out);
    LMT_CHECK(
        strncmp(out.data, "{\"ts\":1704067200123,\"amount\":12.35,\"tags\":[\"a\",\"b\"]", 49) == 0,
        "json: encoder unix_millis, decimal, array (%s)", out.data);

    /* skip_columns: metadata columns are left NULL */
    bool skip[5] = {false, true, false, false, false};
    FormatDecoder *d3 = format_decoder_create(A, t, opts_make(0, NULL), skip);
    LMT_CHECK(dec(d3, "{\"user_id\": 1, \"page_url\": \"x\"}", b, 4, &err),
              "json: skipped columns decode");
    LMT_CHECK_STR(val(b, 1, 4), "NULL", "json: a skipped column stays NULL");
}

/* ---------- csv ---------- */

static void test_csv(void)
{
    const char *cols[] = {"id INT NOT NULL", "name STRING", "price DOUBLE", "ts TIMESTAMP"};
    CatTable *t = table_make("file", 4, cols);
    const char *kv[] = {"format", "csv", "header", "true", "null_string", "NULL"};
    FormatDecoder *d = format_decoder_create(A, t, opts_make(3, kv), NULL);
    Batch *b = batch_for(t);
    FormatError err = {0};
    LMT_CHECK(!dec(d, "id,name,price,ts\n", b, 0, &err) && err.code == NULL,
              "csv: the header record is skipped without an error");
    LMT_CHECK(dec(d, "1,\"a, \"\"quoted\"\" name\",2.5,2024-01-01 00:00:01\r\n", b, 0, &err),
              "csv: quoted field with delimiter and doubled quotes");
    LMT_CHECK_STR(val(b, 1, 0), "a, \"quoted\" name", "csv: unquoted value");
    LMT_CHECK_STR(val(b, 3, 0), "2024-01-01 00:00:01", "csv: timestamp");
    LMT_CHECK(dec(d, "2,NULL,,", b, 1, &err), "csv: null_string and empty fields");
    LMT_CHECK_STR(val(b, 1, 1), "NULL", "csv: null_string is NULL");
    LMT_CHECK_STR(val(b, 2, 1), "NULL", "csv: empty unquoted non-string field");
    LMT_CHECK(dec(d, "3,\"NULL\"", b, 2, &err), "csv: quoted NULL text, missing trailing fields");
    LMT_CHECK_STR(val(b, 1, 2), "NULL", "csv: quoted null_string is the text NULL");
    LMT_CHECK(vector_is_valid(&b->cols[1], 2), "csv: quoted null_string is not NULL");
    LMT_CHECK(!dec(d, "x,y", b, 3, &err), "csv: bad int fails");
    LMT_CHECK_STR(err.reason, "Cannot cast STRING to INT", "csv: reason");
    LMT_CHECK_STR(err.field, "id", "csv: field");
    LMT_CHECK(!dec(d, "1,a,1,2024-01-01,extra", b, 3, &err), "csv: extra field fails");
    LMT_CHECK(!dec(d, "1,\"open", b, 3, &err), "csv: unterminated quote fails");

    b->count = 3;
    FormatEncoder *e = format_encoder_create(A, t, opts_make(3, kv));
    StrBuf out;
    strbuf_init(&out, A);
    format_encode(e, b, 0, &out);
    LMT_CHECK_STR(out.data, "1,\"a, \"\"quoted\"\" name\",2.5,2024-01-01 00:00:01",
                  "csv: encoder quotes as needed");
    strbuf_reset(&out);
    format_encode(e, b, 2, &out);
    LMT_CHECK_STR(out.data, "3,\"NULL\",NULL,NULL", "csv: encoder NULLs and the NULL text");
    LMT_CHECK(dec(d, out.data, b, 3, &err), "csv: encoder output decodes");
    LMT_CHECK(vector_is_valid(&b->cols[1], 3) && !vector_is_valid(&b->cols[2], 3),
              "csv: round trip keeps NULL vs 'NULL'");

    const char *kv2[] = {"format", "csv", "delimiter", "|", "escape", "\\"};
    FormatDecoder *d2 = format_decoder_create(A, t, opts_make(3, kv2), NULL);
    LMT_CHECK(dec(d2, "4|\"x\\\"y|z\"|1e2|", b, 4, &err), "csv: custom delimiter and escape");
    LMT_CHECK_STR(val(b, 1, 4), "x\"y|z", "csv: escaped quote");
    LMT_CHECK_STR(val(b, 2, 4), "100", "csv: float");
}

/* ---------- raw ---------- */

static void test_raw(void)
{
    const char *cols[] = {"line STRING"};
    CatTable *t = table_make("file", 1, cols);
    const char *kv[] = {"format", "raw"};
    FormatDecoder *d = format_decoder_create(A, t, opts_make(1, kv), NULL);
    Batch *b = batch_for(t);
    FormatError err = {0};
    LMT_CHECK(dec(d, "any {text}, \"here\"", b, 0, &err), "raw: decodes anything");
    LMT_CHECK_STR(val(b, 0, 0), "any {text}, \"here\"", "raw: the whole record");
    b->count = 1;
    FormatEncoder *e = format_encoder_create(A, t, opts_make(1, kv));
    StrBuf out;
    strbuf_init(&out, A);
    format_encode(e, b, 0, &out);
    LMT_CHECK_STR(out.data, "any {text}, \"here\"", "raw: encoder writes the value");
}

/* ---------- avro ---------- */

static const char *kttm_schema =
    "{\"type\": \"record\", \"namespace\": \"io.imply\", \"name\": \"KttmEvent\", \"fields\": ["
    "{\"name\": \"timestamp\", \"type\": \"string\"}, {\"name\": \"city\", \"type\": \"string\"},"
    "{\"name\": \"session\", \"type\": \"string\"}, {\"name\": \"session_length\", \"type\": "
    "\"long\"}]}";

static size_t kttm_encode(char *buf, size_t cap, const char *ts, const char *city,
                          const char *session, int64 len)
{
    avro_schema_t s;
    avro_schema_from_json_length(kttm_schema, strlen(kttm_schema), &s);
    avro_value_iface_t *iface = avro_generic_class_from_schema(s);
    avro_value_t v, f;
    avro_generic_value_new(iface, &v);
    avro_value_get_by_name(&v, "timestamp", &f, NULL);
    avro_value_set_string(&f, ts);
    avro_value_get_by_name(&v, "city", &f, NULL);
    avro_value_set_string(&f, city);
    avro_value_get_by_name(&v, "session", &f, NULL);
    avro_value_set_string(&f, session);
    avro_value_get_by_name(&v, "session_length", &f, NULL);
    avro_value_set_long(&f, len);
    avro_writer_t w = avro_writer_memory(buf, (int64_t)cap);
    avro_value_write(w, &v);
    size_t n = (size_t)avro_writer_tell(w);
    avro_writer_free(w);
    avro_value_decref(&v);
    avro_value_iface_decref(iface);
    avro_schema_decref(s);
    return n;
}

/* A minimal schema registry: answers GET /schemas/ids/7 (basic auth user:secret) and counts
 * requests. */
static int registry_fd = -1;
static int registry_hits;

static void *registry_main(void *arg)
{
    (void)arg;
    for (;;) {
        int c = accept(registry_fd, NULL, NULL);
        if (c < 0)
            return NULL;
        char req[4096];
        ssize_t n = read(c, req, sizeof req - 1);
        if (n <= 0) {
            close(c);
            continue;
        }
        req[n] = '\0';
        registry_hits++;
        StrBuf body;
        strbuf_init(&body, NULL);
        const char *status = "200 OK";
        /* base64("user:secret") = dXNlcjpzZWNyZXQ= */
        if (strstr(req, "Authorization: Basic dXNlcjpzZWNyZXQ=") == NULL) {
            status = "401 Unauthorized";
            strbuf_append_str(&body, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
        } else if (strncmp(req, "GET /schemas/ids/7 ", 19) == 0 ||
                   strncmp(req, "GET /subjects/kttm-value/versions/latest ", 41) == 0) {
            strbuf_append_str(&body, "{\"schema\":\"");
            for (const char *p = kttm_schema; *p; p++) {
                if (*p == '"')
                    strbuf_append_char(&body, '\\');
                strbuf_append_char(&body, *p);
            }
            strbuf_append_str(&body, "\"}");
        } else {
            status = "404 Not Found";
            strbuf_append_str(&body, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        }
        char head[256];
        int hl = snprintf(head, sizeof head,
                          "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: "
                          "%zu\r\nConnection: close\r\n\r\n",
                          status, body.len);
        if (write(c, head, (size_t)hl) < 0 || write(c, body.data, body.len) < 0) {
        }
        strbuf_free(&body);
        close(c);
    }
}

static int registry_start(void)
{
    registry_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    if (bind(registry_fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(registry_fd, 8) != 0)
        return -1;
    getsockname(registry_fd, (struct sockaddr *)&sa, &sl);
    pthread_t th;
    pthread_create(&th, NULL, registry_main, NULL);
    pthread_detach(th);
    return ntohs(sa.sin_port);
}

static void test_avro(void)
{
    /* seed 002's KttmEvent with its inputSchema (session_length read as a float) */
    const char *cols[] = {"timestamp TIMESTAMP", "city STRING", "session STRING",
                          "session_length FLOAT"};
    CatTable *t = table_make("kafka", 4, cols);
    const char *kv[] = {"format", "avro", "avro_schema", kttm_schema};
    FormatDecoder *d = format_decoder_create(A, t, opts_make(2, kv), NULL);
    Batch *b = batch_for(t);
    FormatError err = {0};
    char buf[512];
    size_t n = kttm_encode(buf, sizeof buf, "2024-01-01T00:00:00Z", "Paris", "S1", 300);
    LMT_CHECK(format_decode(d, buf, n, b, 0, &err), "avro: seed 002 KttmEvent decodes");
    LMT_CHECK_STR(val(b, 0, 0), "2024-01-01 00:00:00", "avro: timestamp string");
    LMT_CHECK_STR(val(b, 1, 0), "Paris", "avro: city");
    LMT_CHECK_STR(val(b, 2, 0), "S1", "avro: session");
    LMT_CHECK_STR(val(b, 3, 0), "300", "avro: session_length long into float");
    LMT_CHECK(!format_decode(d, buf, 3, b, 1, &err), "avro: truncated record fails");
    LMT_CHECK_STR(err.code, "FORMAT_ERROR", "avro: truncated is FORMAT_ERROR");
    format_decoder_destroy(d);

    const char *kvbad[] = {"format", "avro", "avro_schema", "{\"type\": \"nope\"}"};
    LMT_EXPECT_ERROR(format_decoder_create(A, t, opts_make(2, kvbad), NULL), "22023",
                     "avro: a bad inline schema is refused");

    /* unions with null and logical types */
    const char *schema2 =
        "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
        "{\"name\":\"id\",\"type\":[\"null\",\"long\"]},"
        "{\"name\":\"at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
        "{\"name\":\"day\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}]},"
        "{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\","
        "\"precision\":9,\"scale\":2}},"
        "{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"K\",\"symbols\":[\"A\",\"B\"]}},"
        "{\"name\":\"attrs\",\"type\":{\"type\":\"map\",\"values\":\"int\"}}]}";
    const char *cols2[] = {"id BIGINT",   "at TIMESTAMP", "day DATE", "amount DECIMAL(10,3)",
                           "kind STRING", "attrs JSON"};
    CatTable *t2 = table_make("kafka", 6, cols2);
    const char *kv2[] = {"format", "avro", "avro_schema", schema2};
    FormatDecoder *d2 = format_decoder_create(A, t2, opts_make(2, kv2), NULL);
    Batch *b2 = batch_for(t2);
    {
        avro_schema_t s;
        avro_schema_from_json_length(schema2, strlen(schema2), &s);
        avro_value_iface_t *iface = avro_generic_class_from_schema(s);
        avro_value_t v, f, br;
        avro_generic_value_new(iface, &v);
        avro_value_get_by_name(&v, "id", &f, NULL);
        avro_value_set_branch(&f, 0, &br);
        avro_value_set_null(&br);
        avro_value_get_by_name(&v, "at", &f, NULL);
        avro_value_set_long(&f, INT64_C(1704067200000001));
        avro_value_get_by_name(&v, "day", &f, NULL);
        avro_value_set_branch(&f, 1, &br);
        avro_value_set_int(&br, 19723); /* 2024-01-01 */
        avro_value_get_by_name(&v, "amount", &f, NULL);
        char dec_bytes[2] = {(char)0xFF, (char)0x85}; /* -123 → -1.23 */
        avro_value_set_bytes(&f, dec_bytes, 2);
        avro_value_get_by_name(&v, "kind", &f, NULL);
        avro_value_set_enum(&f, 1);
        avro_value_get_by_name(&v, "attrs", &f, NULL);
        avro_value_t mv;
        avro_value_add(&f, "x", &mv, NULL, NULL);
        avro_value_set_int(&mv, 5);
        avro_writer_t w = avro_writer_memory(buf, sizeof buf);
        avro_value_write(w, &v);
        n = (size_t)avro_writer_tell(w);
        avro_writer_free(w);
        avro_value_decref(&v);
        avro_value_iface_decref(iface);
        avro_schema_decref(s);
    }
    LMT_CHECK(format_decode(d2, buf, n, b2, 0, &err), "avro: unions and logical types decode (%s)",
              err.reason ? err.reason : "");
    LMT_CHECK_STR(val(b2, 0, 0), "NULL", "avro: union null branch");
    LMT_CHECK_STR(val(b2, 1, 0), "2024-01-01 00:00:00.000001", "avro: timestamp-micros");
    LMT_CHECK_STR(val(b2, 2, 0), "2024-01-01", "avro: date in a union");
    LMT_CHECK_STR(val(b2, 3, 0), "-1.230", "avro: decimal rescaled");
    LMT_CHECK_STR(val(b2, 4, 0), "B", "avro: enum symbol");
    LMT_CHECK_STR(val(b2, 5, 0), "{\"x\": 5}", "avro: map as JSON");
    LMT_EXPECT_ERROR(format_encoder_create(A, t2, opts_make(2, kv2)), "0A000",
                     "avro encoder: nested map fields cannot be written yet");
    {
        const char *kvz[] = {"format", "avro", "avro_schema",
                             "{\"type\":\"record\",\"name\":\"Z\",\"fields\":[{\"name\":"
                             "\"zzz\",\"type\":\"long\"}]}"};
        LMT_EXPECT_ERROR(format_encoder_create(A, t2, opts_make(2, kvz)), "42703",
                         "avro encoder: a required field without a column is refused");
    }
    {
        /* the same shape without the map: write, read back */
        const char *schema3 =
            "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
            "{\"name\":\"id\",\"type\":[\"null\",\"long\"]},"
            "{\"name\":\"at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
            "{\"name\":\"day\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}]},"
            "{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\","
            "\"precision\":9,\"scale\":2}},"
            "{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"K\",\"symbols\":[\"A\","
            "\"B\"]}},{\"name\":\"extra\",\"type\":[\"null\",\"string\"]}]}";
        const char *kv3w[] = {"format", "avro", "avro_schema", schema3};
        FormatEncoder *enc = format_encoder_create(A, t2, opts_make(2, kv3w));
        StrBuf rec;
        strbuf_init(&rec, A);
        format_encode(enc, b2, 0, &rec);
        FormatDecoder *dr = format_decoder_create(A, t2, opts_make(2, kv3w), NULL);
        LMT_CHECK(format_decode(dr, rec.data, rec.len, b2, 1, &err),
                  "avro encoder: unions, logical types, decimal and enum round trip");
        LMT_CHECK(strcmp(val(b2, 0, 1), "NULL") == 0 &&
                      strcmp(val(b2, 1, 1), "2024-01-01 00:00:00.000001") == 0 &&
                      strcmp(val(b2, 2, 1), "2024-01-01") == 0 &&
                      strcmp(val(b2, 3, 1), "-1.230") == 0 && strcmp(val(b2, 4, 1), "B") == 0,
                  "avro encoder: values read back (%s %s %s %s %s)", val(b2, 0, 1), val(b2, 1, 1),
                  val(b2, 2, 1), val(b2, 3, 1), val(b2, 4, 1));
        format_decoder_destroy(dr);
        format_encoder_destroy(enc);
    }
    format_decoder_destroy(d2);

    /* Confluent wire format against a registry */
    int port = registry_start();
    LMT_CHECK(port > 0, "avro: registry started");
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    const char *kv3[] = {"format",
                         "avro",
                         "schema_registry_url",
                         url,
                         "schema_registry_username",
                         "user",
                         "schema_registry_password",
                         "secret"};
    FormatDecoder *d3 = format_decoder_create(A, t, opts_make(4, kv3), NULL);
    char framed[512] = {0, 0, 0, 0, 7};
    size_t fn =
        5 + kttm_encode(framed + 5, sizeof framed - 5, "2024-05-05T05:05:05Z", "Oslo", "S2", 12);
    LMT_CHECK(format_decode(d3, framed, fn, b, 1, &err), "avro: registry-framed record decodes");
    LMT_CHECK_STR(val(b, 1, 1), "Oslo", "avro: registry city");
    LMT_CHECK(format_decode(d3, framed, fn, b, 2, &err), "avro: second record decodes");
    LMT_CHECK_INT(registry_hits, 1, "avro: the schema is fetched once per id");
    LMT_CHECK(!format_decode(d3, buf, 4, b, 3, &err), "avro: unframed record fails");
    framed[4] = 8;
    LMT_EXPECT_ERROR(format_decode(d3, framed, fn, b, 3, &err), "08006",
                     "avro: an unknown schema id raises");
    format_decoder_destroy(d3);
    const char *kv6[] = {"format",
                         "avro",
                         "schema_registry_url",
                         url,
                         "schema_registry_username",
                         "user",
                         "schema_registry_password",
                         "secret",
                         "schema_subject",
                         "kttm-value"};
    FormatDecoder *d6 = format_decoder_create(A, t, opts_make(5, kv6), NULL);
    LMT_CHECK(format_decode(d6, framed + 5, fn - 5, b, 3, &err) &&
                  strcmp(val(b, 1, 3), "Oslo") == 0,
              "avro: an unframed record uses the subject's latest schema");
    format_decoder_destroy(d6);
    kv6[8] = "schema_id";
    kv6[9] = "7";
    d6 = format_decoder_create(A, t, opts_make(5, kv6), NULL);
    LMT_CHECK(format_decode(d6, framed + 5, fn - 5, b, 3, &err) &&
                  strcmp(val(b, 1, 3), "Oslo") == 0,
              "avro: an unframed record uses schema_id");
    format_decoder_destroy(d6);
    /* encoder: seed 002's schema with the registry framing, read back through the registry */
    {
        const char *kve[] = {"format", "avro", "avro_schema", kttm_schema, "schema_id", "7"};
        FormatEncoder *enc = format_encoder_create(A, t, opts_make(3, kve));
        StrBuf rec;
        strbuf_init(&rec, A);
        format_encode(enc, b, 1, &rec); /* the Oslo row */
        LMT_CHECK(rec.len > 5 && rec.data[0] == 0 && rec.data[4] == 7,
                  "avro encoder: Confluent framing with schema_id");
        FormatDecoder *dr = format_decoder_create(A, t, opts_make(4, kv3), NULL);
        LMT_CHECK(format_decode(dr, rec.data, rec.len, b, 5, &err) &&
                      strcmp(val(b, 1, 5), "Oslo") == 0 && strcmp(val(b, 3, 5), "12") == 0 &&
                      strcmp(val(b, 0, 5), "2024-05-05 05:05:05") == 0,
                  "avro encoder: the record reads back (%s, %s, %s)", val(b, 0, 5), val(b, 1, 5),
                  val(b, 3, 5));
        format_decoder_destroy(dr);
        format_encoder_destroy(enc);
    }
    const char *kv4[] = {"format", "avro", "schema_registry_url", url};
    FormatDecoder *d4 = format_decoder_create(A, t, opts_make(2, kv4), NULL);
    framed[4] = 7;
    LMT_EXPECT_ERROR(format_decode(d4, framed, fn, b, 3, &err), "08006",
                     "avro: wrong credentials raise");
    format_decoder_destroy(d4);

    /* OCF */
    char path[] = "/tmp/lmtest_ocf_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    {
        avro_schema_t s;
        avro_schema_from_json_length(kttm_schema, strlen(kttm_schema), &s);
        avro_file_writer_t fw;
        avro_file_writer_create(path, s, &fw);
        avro_value_iface_t *iface = avro_generic_class_from_schema(s);
        avro_value_t v, f;
        avro_generic_value_new(iface, &v);
        for (int i = 0; i < 3; i++) {
            avro_value_get_by_name(&v, "timestamp", &f, NULL);
            avro_value_set_string(&f, "2024-01-01 00:00:00");
            avro_value_get_by_name(&v, "city", &f, NULL);
            avro_value_set_string(&f, i == 1 ? "Rome" : "Lima");
            avro_value_get_by_name(&v, "session", &f, NULL);
            avro_value_set_string(&f, "S");
            avro_value_get_by_name(&v, "session_length", &f, NULL);
            avro_value_set_long(&f, i);
            avro_file_writer_append_value(fw, &v);
        }
        avro_file_writer_close(fw);
        avro_value_decref(&v);
        avro_value_iface_decref(iface);
        avro_schema_decref(s);
    }
    const char *kv5[] = {"format", "avro"};
    LMT_EXPECT_ERROR(format_decoder_create(A, t, opts_make(1, kv5), NULL), "22023",
                     "avro: a kafka table needs a schema or a registry");
    CatTable *tfile = table_make("file", 4, cols);
    FormatDecoder *d5 = format_decoder_create(A, tfile, opts_make(1, kv5), NULL);
    FormatOcfReader *r = format_ocf_open(d5, path);
    int rows = 0, rc;
    while ((rc = format_ocf_next(r, b, rows, &err)) == 1)
        rows++;
    LMT_CHECK_INT(rc, 0, "avro: OCF ends cleanly");
    LMT_CHECK_INT(rows, 3, "avro: OCF rows");
    LMT_CHECK_STR(val(b, 1, 1), "Rome", "avro: OCF value");
    format_ocf_close(r);
    format_decoder_destroy(d5);
    unlink(path);
    LMT_EXPECT_ERROR(format_ocf_open(d5, "/etc/hostname"), NULL, "avro: non-OCF file refused");
}

/* ---------- protobuf ---------- */

static const char *kttm_descriptor =
    "CpcBCgprdHRtLnByb3RvIoABCgtTb21lTWVzc2FnZRIcCgl0aW1lc3RhbXAYASABKAlSCXRpbWVzdGFtcBISCgRjaXR5"
    "GAIgASgJUgRjaXR5EhgKB3Nlc3Npb24YAyABKAlSB3Nlc3Npb24SJQoOc2Vzc2lvbl9sZW5ndGgYBCABKA1SDXNlc3Np"
    "b25MZW5ndGhiBnByb3RvMw==";

static size_t pb_string(char *p, int field, const char *s)
{
    size_t n = strlen(s);
    p[0] = (char)(field << 3 | 2);
    p[1] = (char)n;
    memcpy(p + 2, s, n);
    return n + 2;
}

static void test_protobuf(void)
{
    const char *cols[] = {"timestamp TIMESTAMP", "city STRING", "session STRING",
                          "session_length FLOAT", "sessionLength BIGINT"};
    CatTable *t = table_make("kafka", 4, cols);
    Batch *b = batch_for(t);
    FormatError err = {0};
    char msg[256];
    size_t n = 0;
    n += pb_string(msg + n, 1, "2024-01-01T00:00:00Z");
    n += pb_string(msg + n, 2, "Paris");
    n += pb_string(msg + n, 3, "S1");
    msg[n++] = 4 << 3 | 0; /* session_length = 300 (varint ac 02) */
    msg[n++] = (char)0xAC;
    msg[n++] = 0x02;
    const char *names[] = {NULL, "SomeMessage", ".SomeMessage"};
    for (int i = 0; i < 3; i++) {
        const char *kv[] = {"format",        "protobuf",     "protobuf_descriptor",
                            kttm_descriptor, "message_type", names[i]};
        FormatDecoder *d = format_decoder_create(A, t, opts_make(names[i] ? 3 : 2, kv), NULL);
        LMT_CHECK(format_decode(d, msg, n, b, i, &err), "protobuf: seed 002 message decodes (%s)",
                  names[i] ? names[i] : "first message");
    }
    LMT_CHECK_STR(val(b, 0, 0), "2024-01-01 00:00:00", "protobuf: timestamp");
    LMT_CHECK_STR(val(b, 1, 1), "Paris", "protobuf: city");
    LMT_CHECK_STR(val(b, 2, 2), "S1", "protobuf: session");
    LMT_CHECK_STR(val(b, 3, 0), "300", "protobuf: uint32 session_length");
    const char *kv[] = {"format", "protobuf", "protobuf_descriptor", kttm_descriptor};
    FormatDecoder *d = format_decoder_create(A, t, opts_make(2, kv), NULL);
    LMT_CHECK(format_decode(d, msg, 22, b, 3, &err), "protobuf: absent fields decode");
    LMT_CHECK_STR(val(b, 1, 3), "", "protobuf: absent string is proto3 default ''");
    LMT_CHECK_STR(val(b, 3, 3), "0", "protobuf: absent number is 0");
    LMT_CHECK(!format_decode(d, msg, 5, b, 3, &err), "protobuf: truncated message fails");
    char bad[] = {0x0A, 0x03, 'a', 'b', 'c'}; /* timestamp = "abc" */
    LMT_CHECK(!format_decode(d, bad, sizeof bad, b, 3, &err), "protobuf: bad timestamp fails");
    LMT_CHECK_STR(err.reason, "Cannot cast STRING to TIMESTAMP", "protobuf: reason");
    const char *kvbad[] = {"format",        "protobuf",     "protobuf_descriptor",
                           kttm_descriptor, "message_type", "Nope"};
    LMT_EXPECT_ERROR(format_decoder_create(A, t, opts_make(3, kvbad), NULL), "22023",
                     "protobuf: unknown message type refused");
    const char *kvbad2[] = {"format", "protobuf", "protobuf_descriptor", "!!!"};
    LMT_EXPECT_ERROR(format_decoder_create(A, t, opts_make(2, kvbad2), NULL), "22023",
                     "protobuf: bad descriptor refused");
}

/* Protobuf writer helpers for hand-built descriptors and messages. */
static void pbw_varint(StrBuf *b, uint64 v)
{
    do {
        strbuf_append_char(b, (char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0)));
        v >>= 7;
    } while (v);
}

static void pbw_field_varint(StrBuf *b, int field, uint64 v)
{
    pbw_varint(b, (uint64)field << 3);
    pbw_varint(b, v);
}

static void pbw_field_bytes(StrBuf *b, int field, const char *data, size_t len)
{
    pbw_varint(b, (uint64)field << 3 | 2);
    pbw_varint(b, len);
    strbuf_append(b, data, len);
}

static void pbw_field_str(StrBuf *b, int field, const char *s)
{
    pbw_field_bytes(b, field, s, strlen(s));
}

/* FieldDescriptorProto */
static void pbw_fdesc(StrBuf *msg, const char *name, int number, int label, int type,
                      const char *type_name)
{
    StrBuf f;
    strbuf_init(&f, A);
    pbw_field_str(&f, 1, name);
    pbw_field_varint(&f, 3, (uint64)number);
    pbw_field_varint(&f, 4, (uint64)label);
    pbw_field_varint(&f, 5, (uint64)type);
    if (type_name)
        pbw_field_str(&f, 6, type_name);
    pbw_field_bytes(msg, 2, f.data, f.len);
}

static char *base64(const char *d, size_t l)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    StrBuf o;
    strbuf_init(&o, A);
    for (size_t i = 0; i < l; i += 3) {
        uint32 x = (uint32)(uint8)d[i] << 16 | (i + 1 < l ? (uint32)(uint8)d[i + 1] << 8 : 0) |
                   (i + 2 < l ? (uint8)d[i + 2] : 0);
        strbuf_append_char(&o, b64[x >> 18]);
        strbuf_append_char(&o, b64[(x >> 12) & 63]);
        strbuf_append_char(&o, i + 1 < l ? b64[(x >> 6) & 63] : '=');
        strbuf_append_char(&o, i + 2 < l ? b64[x & 63] : '=');
    }
    return o.data;
}

static void test_protobuf_nested(void)
{
    /* package demo; message Outer { int64 id = 1; repeated string tags = 2; Inner inner = 3;
     * repeated int32 scores = 4 [packed]; bool flag = 5; double ratio = 6; sint32 neg = 7; }
     * message Inner { string a = 1; int32 b = 2; } */
    StrBuf outer, inner, file, set;
    strbuf_init(&outer, A);
    strbuf_init(&inner, A);
    strbuf_init(&file, A);
    strbuf_init(&set, A);
    pbw_field_str(&outer, 1, "Outer");
    pbw_fdesc(&outer, "id", 1, 1, 3, NULL);
    pbw_fdesc(&outer, "tags", 2, 3, 9, NULL);
    pbw_fdesc(&outer, "inner", 3, 1, 11, ".demo.Inner");
    pbw_fdesc(&outer, "scores", 4, 3, 5, NULL);
    pbw_fdesc(&outer, "flag", 5, 1, 8, NULL);
    pbw_fdesc(&outer, "ratio", 6, 1, 1, NULL);
    pbw_fdesc(&outer, "neg", 7, 1, 17, NULL);
    pbw_field_str(&inner, 1, "Inner");
    pbw_fdesc(&inner, "a", 1, 1, 9, NULL);
    pbw_fdesc(&inner, "b", 2, 1, 5, NULL);
    pbw_field_str(&file, 1, "demo.proto");
    pbw_field_str(&file, 2, "demo");
    pbw_field_bytes(&file, 4, outer.data, outer.len);
    pbw_field_bytes(&file, 4, inner.data, inner.len);
    pbw_field_bytes(&set, 1, file.data, file.len);
    char *desc = base64(set.data, set.len);

    StrBuf m, in;
    strbuf_init(&m, A);
    strbuf_init(&in, A);
    pbw_field_varint(&m, 1, 5);
    pbw_field_str(&m, 2, "x");
    pbw_field_str(&in, 1, "q");
    pbw_field_varint(&in, 2, 7);
    pbw_field_bytes(&m, 3, in.data, in.len);
    pbw_field_str(&m, 2, "y");
    pbw_field_bytes(&m, 4, "\x01\x02\xac\x02", 4);
    pbw_field_varint(&m, 5, 1);
    pbw_varint(&m, 6 << 3 | 1);
    double half = 0.5;
    strbuf_append(&m, (const char *)&half, 8);
    pbw_field_varint(&m, 7, 5);  /* zigzag(-3) */
    pbw_field_varint(&m, 99, 1); /* unknown field */

    const char *cols[] = {"id BIGINT",    "tags ARRAY<STRING>", "inner JSON", "scores ARRAY<INT>",
                          "flag BOOLEAN", "ratio DOUBLE",       "neg INT"};
    CatTable *t = table_make("kafka", 7, cols);
    Batch *b = batch_for(t);
    FormatError err = {0};
    const char *kv[] = {"format", "protobuf",     "protobuf_descriptor",
                        desc,     "message_type", "demo.Outer"};
    FormatDecoder *d = format_decoder_create(A, t, opts_make(3, kv), NULL);
    LMT_CHECK(format_decode(d, m.data, m.len, b, 0, &err), "protobuf: nested message decodes (%s)",
              err.reason ? err.reason : "");
    LMT_CHECK_STR(val(b, 0, 0), "5", "protobuf: int64");
    LMT_CHECK_STR(val(b, 1, 0), "{x,y}", "protobuf: repeated string, interleaved");
    LMT_CHECK_STR(val(b, 2, 0), "{\"a\":\"q\",\"b\":7}", "protobuf: nested message as JSON");
    LMT_CHECK_STR(val(b, 3, 0), "{1,2,300}", "protobuf: packed repeated int32");
    LMT_CHECK_STR(val(b, 4, 0), "t", "protobuf: bool");
    LMT_CHECK_STR(val(b, 5, 0), "0.5", "protobuf: double");
    LMT_CHECK_STR(val(b, 6, 0), "-3", "protobuf: sint32");
    LMT_CHECK(format_decode(d, "", 0, b, 1, &err), "protobuf: empty message decodes");
    LMT_CHECK_STR(val(b, 1, 1), "{}", "protobuf: absent repeated field is empty");
    LMT_CHECK_STR(val(b, 2, 1), "NULL", "protobuf: absent message is NULL");
    LMT_CHECK_STR(val(b, 4, 1), "f", "protobuf: absent bool is false");
    const char *kv2[] = {"format", "protobuf",     "protobuf_descriptor",
                         desc,     "message_type", "Inner"};
    const char *cols2[] = {"a STRING", "b INT"};
    CatTable *t2 = table_make("kafka", 2, cols2);
    Batch *b2 = batch_for(t2);
    d = format_decoder_create(A, t2, opts_make(3, kv2), NULL);
    LMT_CHECK(format_decode(d, in.data, in.len, b2, 0, &err) && strcmp(val(b2, 0, 0), "q") == 0,
              "protobuf: a nested type chosen by short name");
}

/* The encoder's fast double and timestamp paths print exactly what value_format_json and
 * datetime_format_timestamp_iso print. */
static void test_encoder_fast_paths(void)
{
    const char *cols[] = {"x DOUBLE", "t TIMESTAMP"};
    CatTable *t = table_make("kafka", 2, cols);
    FormatEncoder *e = format_encoder_create(A, t, opts_make(0, NULL));
    Batch *b = batch_for(t);
    b->count = 1;
    uint64 seed = 88172645463325252ULL;
    int mismatches = 0;
    char first[200] = "";
    StrBuf got, want;
    strbuf_init(&got, A);
    strbuf_init(&want, A);
    static const double scales[] = {1, 10, 100, 1000, 1e4, 1e6, 1e-3, 3, 7, 1e12};
    for (int i = 0; i < 20000; i++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        double x;
        switch (i % 4) {
        case 0:
            x = (double)(int64)(seed % 2000001 - 1000000) / scales[(seed >> 40) % 10];
            break;
        case 1: {
            uint64 bits = seed;
            memcpy(&x, &bits, 8);
            if (isnan(x) || isinf(x))
                x = 1.5;
            break;
        }
        case 2:
            x = (double)(seed % 100000) / 100.0 + 0.01;
            break;
        default:
            x = ((double)(seed >> 11) / 9007199254740992.0) * scales[(seed >> 3) % 10];
        }
        int64 ts = (int64)(seed % INT64_C(400000000000000000)) - INT64_C(100000000000000000);
        if (i % 3 == 0)
            ts -= ts % 1000000;
        ((double *)b->cols[0].data)[0] = x;
        ((int64 *)b->cols[1].data)[0] = ts;
        strbuf_reset(&got);
        format_encode(e, b, 0, &got);
        strbuf_reset(&want);
        strbuf_append_str(&want, "{\"x\":");
        value_format_json(&b->cols[0], 0, &want);
        strbuf_append_str(&want, ",\"t\":\"");
        datetime_format_timestamp_iso(ts, false, &want);
        strbuf_append_str(&want, "\"}");
        if (strcmp(got.data, want.data) != 0 && mismatches++ == 0)
            snprintf(first, sizeof first, "%s vs %s", got.data, want.data);
    }
    LMT_CHECK(mismatches == 0,
              "json encoder: fast double/timestamp output equals the generic "
              "one for 20000 values (%d differ; %s)",
              mismatches, first);
}

/* ---------- robustness ---------- */

/* Random mutations (flips, truncations, inserted structural bytes) of valid records never crash
 * a decoder; each either decodes or reports an error. */
static void test_fuzz(void)
{
    const char *cols[] = {"id BIGINT NOT NULL", "s STRING", "ts TIMESTAMP",
                          "a ARRAY<INT>",       "j JSON",   "d DECIMAL(8,2)"};
    CatTable *t = table_make("kafka", 6, cols);
    const char *seeds_json = "{\"id\": 12, \"s\": \"a\\u00e9\\\"b\", \"ts\": "
                             "\"2024-01-01T00:00:00.5Z\", \"a\": [1, 2], \"j\": {\"x\": [true, "
                             "null]}, \"d\": 1.25}";
    const char *seeds_csv = "12,\"a,\"\"b\",2024-01-01 00:00:00,\"{1,2}\",{},1.25";
    const char *kvj[] = {"format", "json"};
    const char *kvc[] = {"format", "csv"};
    FormatDecoder *dj = format_decoder_create(A, t, opts_make(1, kvj), NULL);
    FormatDecoder *dc = format_decoder_create(A, t, opts_make(1, kvc), NULL);
    static const char extra[] = "{}[]\",:\\0-e.tn";
    unsigned seed = 12345;
    int ok = 0, bad = 0;
    char buf[256];
    for (int i = 0; i < 4000; i++) {
        const char *src = i & 1 ? seeds_csv : seeds_json;
        size_t n = strlen(src);
        memcpy(buf, src, n);
        int muts = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 4;
        for (int m = 0; m < muts; m++) {
            seed = seed * 1103515245 + 12345;
            size_t pos = (seed >> 8) % n;
            switch ((seed >> 4) % 3) {
            case 0:
                buf[pos] = extra[(seed >> 12) % (sizeof extra - 1)];
                break;
            case 1:
                n = pos; /* truncate */
                break;
            default:
                buf[pos] = (char)(seed >> 20);
            }
            if (n == 0)
                break;
        }
        Batch *b = batch_for(t);
        FormatError err;
        if (format_decode(i & 1 ? dc : dj, buf, n, b, 0, &err))
            ok++;
        else
            bad++;
    }
    LMT_CHECK(ok + bad == 4000 && bad > 0,
              "fuzz: 4000 mutated json/csv records decode or fail "
              "cleanly (%d decoded, %d rejected)",
              ok, bad);
}

/* ---------- inference and errors ---------- */

static void test_infer_and_errors(void)
{
    const char *recs[] = {"{\"id\": 1, \"data\": \"test\", \"ts\": \"2024-01-01T00:00:00Z\"}",
                          "{\"id\": 2, \"data\": null, \"v\": 1.5, \"o\": {\"a\": 1}}",
                          "{\"id\": 3, \"data\": \"data\", \"v\": 2}"};
    size_t lens[3];
    for (int i = 0; i < 3; i++)
        lens[i] = strlen(recs[i]);
    StrBuf out;
    strbuf_init(&out, A);
    format_infer_json(A, recs, lens, 3, &out);
    LMT_CHECK_STR(
        out.data,
        "{\"fields\":[{\"name\":\"id\",\"data_type\":\"BIGINT\",\"nullable\":false,"
        "\"sample_values\":[1,2,3]},{\"name\":\"data\",\"data_type\":\"STRING\","
        "\"nullable\":true,\"sample_values\":[\"test\",null,\"data\"]},{\"name\":\"ts\","
        "\"data_type\":\"TIMESTAMP\",\"nullable\":true,\"sample_values\":[\"2024-01-01T00:"
        "00:00Z\"]},{\"name\":\"v\",\"data_type\":\"DOUBLE\",\"nullable\":true,"
        "\"sample_values\":[1.5,2]},{\"name\":\"o\",\"data_type\":\"JSON\",\"nullable\":"
        "true,\"sample_values\":[{\"a\": 1}]}]}",
        "infer: seed 000's shape");

    FormatError err = {"SCHEMA_VALIDATION_ERROR", "Schema validation failed", "user_id",
                       "Cannot cast STRING to BIGINT", "abc123"};
    LMT_EXPECT_ERROR(format_error_raise(&err, "clicks"), "22P02", "errors: raise uses 22P02");
    const char *kv[] = {"ignore_parse_errors", "true"};
    LMT_CHECK(format_ignore_parse_errors(opts_make(1, kv)), "errors: ignore_parse_errors");
    LMT_CHECK(!format_ignore_parse_errors(opts_make(0, NULL)), "errors: off by default");
    const char *cols[] = {"a INT"};
    CatTable *t = table_make("kafka", 1, cols);
    const char *kvf[] = {"format", "protobuf"};
    LMT_EXPECT_ERROR(format_decoder_create(A, t, opts_make(1, kvf), NULL), "22023",
                     "errors: protobuf without a descriptor");
    const char *kve[] = {"format", "avro"};
    LMT_EXPECT_ERROR(format_encoder_create(A, t, opts_make(1, kve)), "0A000",
                     "errors: avro cannot be written without avro_schema");
    const char *kvpb[] = {"format", "protobuf"};
    LMT_EXPECT_ERROR(format_encoder_create(A, t, opts_make(1, kvpb)), "0A000",
                     "errors: protobuf cannot be written yet");
    const char *kvp[] = {"format", "parquet"};
    LMT_EXPECT_ERROR(format_decoder_create(A, t, opts_make(1, kvp), NULL), "0A000",
                     "errors: parquet cannot be read yet");
}

int main(void)
{
    A = arena_create("test", NULL);
    test_json();
    test_csv();
    test_raw();
    test_avro();
    test_protobuf();
    test_protobuf_nested();
    test_infer_and_errors();
    test_fuzz();
    test_encoder_fast_paths();
    arena_destroy(A);
    return lmt_done();
}
