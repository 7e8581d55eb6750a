/*
 * fmt_avro.c: the avro format through Apache Avro C (libavro) — records
 * with an inline schema (`avro_schema`), Confluent Schema Registry framing
 * (magic byte 0 + 4-byte big-endian schema id; the schema fetched once per
 * id from `schema_registry_url`/schemas/ids/{id} with libcurl, basic auth
 * from schema_registry_username/password, and cached), and object
 * container files (format_ocf_open/next, for the file connector).  Records
 * without the framing use `schema_id`, or else the latest version of
 * `schema_subject` (/subjects/{subject}/versions/latest), when given.
 *
 * A record's top-level fields map to columns by name (exact, then case
 * insensitive) once per writer schema.  Each record is read into one
 * reusable libavro generic value; every mapped field is converted into its
 * column: ints/longs/floats/doubles/booleans/strings as in JSON, unions
 * through their current branch (null → NULL), enums as their symbol,
 * bytes/fixed as BINARY, nested records/maps/arrays as JSON text
 * (avro_value_to_json) for JSON/STRING/STRUCT/MAP/ARRAY columns.  libavro
 * 1.11 drops logicalType attributes, so they are read from the schema JSON
 * (jansson) per top-level field, unions included: timestamp-millis/micros
 * (→ TIMESTAMP), date (→ DATE), time-millis/micros (→ TIME), decimal
 * (big-endian two's complement, rescaled to the column's scale).
 *
 * Ownership: libavro schemas, classes and values are heap objects owned by
 * the decoder (encoder) and released by format_decoder_destroy()
 * (format_encoder_destroy()).
 */
#include "connectors/format_int.h"
#include "common/error.h"
#include "common/numeric.h"

#include <avro.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum Logical {
    LT_NONE = 0,
    LT_TS_MILLIS,
    LT_TS_MICROS,
    LT_DATE,
    LT_TIME_MILLIS,
    LT_TIME_MICROS,
    LT_DECIMAL,
} Logical;

typedef struct AvroField {
    int col;
    Logical lt;
    int scale; /* decimal */
} AvroField;

typedef struct AvroSchema {
    int32 id; /* registry id; -1 inline / file */
    avro_schema_t schema;
    avro_value_iface_t *iface;
    avro_value_t value;
    bool has_value;
    int nfields;
    AvroField *fields;
} AvroSchema;

typedef struct AvroCodec {
    AvroSchema *inline_schema; /* NULL: registry framing */
    const char *registry_url;
    const char *user, *password;
    int32 schema_id;     /* schema_id option: the schema of unframed records (-1 none) */
    const char *subject; /* schema_subject: its latest version for unframed records */
    int nschemas, capschemas;
    AvroSchema **schemas; /* registry cache */
    avro_reader_t reader;
    StrBuf tmp;
} AvroCodec;

struct FormatOcfReader {
    FormatDecoder *d;
    avro_file_reader_t file;
    AvroSchema *schema;
    int64 records;
};

/* ---- schemas ---- */

static Logical logical_of(json_t *t, int *scale)
{
    if (json_is_array(t)) {
        size_t i;
        json_t *b;
        json_array_foreach(t, i, b)
        {
            Logical l = logical_of(b, scale);
            if (l != LT_NONE)
                return l;
        }
        return LT_NONE;
    }
    if (!json_is_object(t))
        return LT_NONE;
    const char *lt = json_string_value(json_object_get(t, "logicalType"));
    if (lt == NULL)
        return LT_NONE;
    if (strcmp(lt, "timestamp-millis") == 0 || strcmp(lt, "local-timestamp-millis") == 0)
        return LT_TS_MILLIS;
    if (strcmp(lt, "timestamp-micros") == 0 || strcmp(lt, "local-timestamp-micros") == 0)
        return LT_TS_MICROS;
    if (strcmp(lt, "date") == 0)
        return LT_DATE;
    if (strcmp(lt, "time-millis") == 0)
        return LT_TIME_MILLIS;
    if (strcmp(lt, "time-micros") == 0)
        return LT_TIME_MICROS;
    if (strcmp(lt, "decimal") == 0) {
        *scale = (int)json_integer_value(json_object_get(t, "scale"));
        return LT_DECIMAL;
    }
    return LT_NONE;
}

static void schema_free(AvroSchema *s)
{
    if (s == NULL)
        return;
    if (s->has_value)
        avro_value_decref(&s->value);
    if (s->iface)
        avro_value_iface_decref(s->iface);
    if (s->schema)
        avro_schema_decref(s->schema);
    s->has_value = false;
    s->iface = NULL;
    s->schema = NULL;
}

/* Builds a schema from its JSON text; NULL with *why set when it does not parse or is not a
 * record. */
static AvroSchema *schema_build(FormatDecoder *d, const char *json, size_t len, int32 id,
                                const char **why)
{
    avro_schema_t schema;
    if (avro_schema_from_json_length(json, len, &schema) != 0) {
        *why = arena_strdup(d->arena, avro_strerror());
        return NULL;
    }
    if (!is_avro_record(schema)) {
        avro_schema_decref(schema);
        *why = "the schema is not an Avro record";
        return NULL;
    }
    AvroSchema *s = arena_new(d->arena, AvroSchema);
    s->id = id;
    s->schema = schema;
    s->iface = avro_generic_class_from_schema(schema);
    if (s->iface == NULL || avro_generic_value_new(s->iface, &s->value) != 0) {
        *why = arena_strdup(d->arena, avro_strerror());
        schema_free(s);
        return NULL;
    }
    s->has_value = true;
    s->nfields = (int)avro_schema_record_size(schema);
    s->fields = arena_alloc0(d->arena, sizeof(AvroField) * (size_t)(s->nfields + 1));
    json_error_t jerr;
    json_t *root = json_loadb(json, len, 0, &jerr);
    json_t *jfields = root ? json_object_get(root, "fields") : NULL;
    for (int i = 0; i < s->nfields; i++) {
        const char *name = avro_schema_record_field_name(schema, i);
        AvroField *f = &s->fields[i];
        f->col = fmt_column_lookup(d, name, strlen(name));
        json_t *jf = json_is_array(jfields) ? json_array_get(jfields, (size_t)i) : NULL;
        if (jf)
            f->lt = logical_of(json_object_get(jf, "type"), &f->scale);
    }
    if (root)
        json_decref(root);
    return s;
}

/* ---- registry ---- */

static size_t curl_collect(char *ptr, size_t size, size_t nmemb, void *arg)
{
    strbuf_append((StrBuf *)arg, ptr, size * nmemb);
    return size * nmemb;
}

/* The schema with registry id `id`, fetched once (id -2: the latest version of the subject). */
static AvroSchema *registry_schema(FormatDecoder *d, AvroCodec *c, int32 id)
{
    for (int i = 0; i < c->nschemas; i++)
        if (c->schemas[i]->id == id)
            return c->schemas[i];
    char url[2048];
    size_t ul = strlen(c->registry_url);
    while (ul > 0 && c->registry_url[ul - 1] == '/')
        ul--;
    if (id == -2) {
        char *subject = curl_easy_escape(NULL, c->subject, 0);
        snprintf(url, sizeof url, "%.*s/subjects/%s/versions/latest", (int)ul, c->registry_url,
                 subject);
        curl_free(subject);
    } else
        snprintf(url, sizeof url, "%.*s/schemas/ids/%d", (int)ul, c->registry_url, (int)id);
    StrBuf body;
    strbuf_init(&body, NULL);
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, curl_collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    if (c->user) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password ? c->password : "");
    }
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    char why[512];
    why[0] = '\0';
    AvroSchema *s = NULL;
    if (rc != CURLE_OK)
        snprintf(why, sizeof why, "%s", curl_easy_strerror(rc));
    else if (status != 200)
        snprintf(why, sizeof why, "HTTP status %ld: %.200s", status, body.data ? body.data : "");
    else {
        json_error_t jerr;
        json_t *root = json_loadb(body.data, body.len, 0, &jerr);
        const char *text = root ? json_string_value(json_object_get(root, "schema")) : NULL;
        if (text == NULL)
            snprintf(why, sizeof why, "the response has no \"schema\"");
        else {
            const char *w = NULL;
            s = schema_build(d, text, strlen(text), id, &w);
            if (s == NULL)
                snprintf(why, sizeof why, "%s", w);
        }
        if (root)
            json_decref(root);
    }
    strbuf_free(&body);
    if (s == NULL)
        ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE),
                errmsg("could not get schema %d from the schema registry at \"%s\": %s", (int)id,
                       c->registry_url, why));
    if (c->nschemas == c->capschemas) {
        int cap = c->capschemas ? c->capschemas * 2 : 8;
        c->schemas =
            arena_realloc(d->arena, c->schemas, sizeof(AvroSchema *) * (size_t)c->capschemas,
                          sizeof(AvroSchema *) * (size_t)cap);
        c->capschemas = cap;
    }
    c->schemas[c->nschemas++] = s;
    return s;
}

/* ---- values ---- */

static bool store_value(FormatDecoder *d, AvroCodec *c, const AvroField *f, avro_value_t *v,
                        Batch *out, int row, FormatError *err);

static bool store_json_of(FormatDecoder *d, AvroCodec *c, int col, avro_value_t *v, Batch *out,
                          int row, FormatError *err)
{
    char *json = NULL;
    if (avro_value_to_json(v, 1, &json) != 0 || json == NULL)
        return fmt_format_error(d, err, "could not render an Avro value: %s", avro_strerror());
    bool ok = fmt_store_json_value(d, out, row, col, json, strlen(json), "STRUCT", err);
    free(json);
    return ok;
}

static bool store_decimal(FormatDecoder *d, const AvroField *f, const uint8 *b, size_t n,
                          Batch *out, int row, FormatError *err)
{
    Vector *v = &out->cols[f->col];
    if (n > 16)
        return fmt_schema_error(d, err, f->col, "Decimal value too large", NULL, 0);
    int128 x = n > 0 && (b[0] & 0x80) ? -1 : 0;
    for (size_t i = 0; i < n; i++)
        x = (int128)((unsigned __int128)x << 8) | b[i];
    if (v->type->id == TYPE_DECIMAL) {
        int ds = v->type->scale - f->scale;
        if (ds >= 0 && ds <= DECIMAL_MAX_PRECISION)
            x *= decimal_pow10[ds];
        else if (ds < 0 && -ds <= DECIMAL_MAX_PRECISION) {
            int128 p = decimal_pow10[-ds];
            int128 q = x / p, r = x % p;
            if (2 * (r < 0 ? -r : r) >= p)
                q += x < 0 ? -1 : 1;
            x = q;
        }
        int128 lim = decimal_pow10[v->type->precision];
        if (x >= lim || x <= -lim)
            return fmt_schema_error(d, err, f->col, "Value out of range for the DECIMAL column",
                                    NULL, 0);
        ((int128 *)v->data)[row] = x;
        fmt_set_valid(v, row);
        return true;
    }
    StrBuf *t = &((AvroCodec *)d->impl)->tmp;
    strbuf_reset(t);
    decimal_format(x, f->scale, t);
    return fmt_store_text(d, out, row, f->col, t->data, t->len, "DECIMAL", err);
}

static bool store_long(FormatDecoder *d, const AvroField *f, int64 x, bool is_int, Batch *out,
                       int row, FormatError *err)
{
    Vector *v = &out->cols[f->col];
    TypeId tid = v->type->id;
    switch (f->lt) {
    case LT_TS_MILLIS:
    case LT_TS_MICROS:
        if (tid == TYPE_TIMESTAMP || tid == TYPE_TIMESTAMPTZ) {
            ((int64 *)v->data)[row] = f->lt == LT_TS_MILLIS ? x * 1000 : x;
            fmt_set_valid(v, row);
            return true;
        }
        break;
    case LT_DATE:
        if (tid == TYPE_DATE) {
            ((int32 *)v->data)[row] = (int32)x;
            fmt_set_valid(v, row);
            return true;
        }
        if (tid == TYPE_TIMESTAMP || tid == TYPE_TIMESTAMPTZ) {
            ((int64 *)v->data)[row] = x * USECS_PER_DAY;
            fmt_set_valid(v, row);
            return true;
        }
        break;
    case LT_TIME_MILLIS:
    case LT_TIME_MICROS:
        if (tid == TYPE_TIME) {
            ((int64 *)v->data)[row] = f->lt == LT_TIME_MILLIS ? x * 1000 : x;
            fmt_set_valid(v, row);
            return true;
        }
        break;
    default:
        break;
    }
    (void)is_int;
    return fmt_store_int(d, out, row, f->col, x, err);
}

static bool store_value(FormatDecoder *d, AvroCodec *c, const AvroField *f, avro_value_t *v,
                        Batch *out, int row, FormatError *err)
{
    int col = f->col;
    switch (avro_value_get_type(v)) {
    case AVRO_NULL:
        return fmt_store_null(d, out, row, col, false, err);
    case AVRO_BOOLEAN: {
        int b = 0;
        avro_value_get_boolean(v, &b);
        return fmt_store_bool(d, out, row, col, b != 0, err);
    }
    case AVRO_INT32: {
        int32_t x = 0;
        avro_value_get_int(v, &x);
        return store_long(d, f, x, true, out, row, err);
    }
    case AVRO_INT64: {
        int64_t x = 0;
        avro_value_get_long(v, &x);
        return store_long(d, f, x, false, out, row, err);
    }
    case AVRO_FLOAT: {
        float x = 0;
        avro_value_get_float(v, &x);
        return fmt_store_double(d, out, row, col, x, err);
    }
    case AVRO_DOUBLE: {
        double x = 0;
        avro_value_get_double(v, &x);
        return fmt_store_double(d, out, row, col, x, err);
    }
    case AVRO_STRING: {
        const char *s = NULL;
        size_t n = 0;
        avro_value_get_string(v, &s, &n);
        if (n > 0)
            n--; /* libavro counts the NUL */
        if (out->cols[col].type->id == TYPE_STRING) {
            fmt_store_bytes(out, row, col, s, n);
            return true;
        }
        return fmt_store_text(d, out, row, col, s, n, "STRING", err);
    }
    case AVRO_BYTES:
    case AVRO_FIXED: {
        const void *b = NULL;
        size_t n = 0;
        if (avro_value_get_type(v) == AVRO_BYTES)
            avro_value_get_bytes(v, &b, &n);
        else
            avro_value_get_fixed(v, &b, &n);
        if (f->lt == LT_DECIMAL)
            return store_decimal(d, f, b, n, out, row, err);
        TypeId tid = out->cols[col].type->id;
        if (tid == TYPE_BINARY || tid == TYPE_STRING) {
            fmt_store_bytes(out, row, col, b, n);
            return true;
        }
        return fmt_schema_error(d, err, col,
                                arena_printf(d->scratch, "Cannot cast BINARY to %s",
                                             fmt_type_name(d, out->cols[col].type)),
                                NULL, 0);
    }
    case AVRO_ENUM: {
        int sym = 0;
        avro_value_get_enum(v, &sym);
        avro_schema_t es = avro_value_get_schema(v);
        const char *name = avro_schema_enum_get(es, sym);
        if (name == NULL)
            return fmt_format_error(d, err, "enum symbol %d out of range", sym);
        return fmt_store_text(d, out, row, col, name, strlen(name), "STRING", err);
    }
    case AVRO_UNION: {
        avro_value_t branch;
        if (avro_value_get_current_branch(v, &branch) != 0)
            return fmt_format_error(d, err, "bad Avro union: %s", avro_strerror());
        return store_value(d, c, f, &branch, out, row, err);
    }
    case AVRO_RECORD:
    case AVRO_MAP:
    case AVRO_ARRAY:
        return store_json_of(d, c, col, v, out, row, err);
    default:
        return fmt_format_error(d, err, "unsupported Avro type");
    }
}

/* Converts the schema's current value into the row. */
static bool store_record(FormatDecoder *d, AvroCodec *c, AvroSchema *s, Batch *out, int row,
                         FormatError *err)
{
    for (int i = 0; i < s->nfields; i++) {
        AvroField *f = &s->fields[i];
        if (f->col < 0)
            continue;
        avro_value_t fv;
        if (avro_value_get_by_index(&s->value, (size_t)i, &fv, NULL) != 0)
            return fmt_format_error(d, err, "bad Avro record: %s", avro_strerror());
        if (!store_value(d, c, f, &fv, out, row, err))
            return false;
        fmt_mark_seen(d, f->col);
    }
    return fmt_finish_missing(d, out, row, err);
}

static bool avro_decode(FormatDecoder *d, const char *data, size_t len, Batch *out, int row,
                        FormatError *err)
{
    AvroCodec *c = d->impl;
    arena_reset(d->scratch);
    fmt_begin_record(d);
    AvroSchema *s = c->inline_schema;
    if (s == NULL && c->registry_url == NULL)
        return fmt_format_error(d, err,
                                "format avro needs the option avro_schema or "
                                "schema_registry_url");
    if (s == NULL && (len < 5 || data[0] != 0) && (c->schema_id >= 0 || c->subject))
        s = registry_schema(d, c, c->schema_id >= 0 ? c->schema_id : -2); /* unframed */
    if (s == NULL) {
        if (len < 5 || data[0] != 0)
            return fmt_format_error(d, err,
                                    "record does not start with the schema registry's magic byte 0 "
                                    "and a 4-byte schema id");
        int32 id = (int32)((uint32)(uint8)data[1] << 24 | (uint32)(uint8)data[2] << 16 |
                           (uint32)(uint8)data[3] << 8 | (uint32)(uint8)data[4]);
        s = registry_schema(d, c, id);
        data += 5;
        len -= 5;
    }
    avro_reader_memory_set_source(c->reader, data, (int64_t)len);
    avro_value_reset(&s->value);
    if (avro_value_read(c->reader, &s->value) != 0)
        return fmt_format_error(d, err, "invalid Avro record: %s", avro_strerror());
    return store_record(d, c, s, out, row, err);
}

void fmt_avro_decoder_init(FormatDecoder *d, const ResolvedOptions *opts)
{
    AvroCodec *c = arena_new(d->arena, AvroCodec);
    const char *schema = opts ? resolved_get(opts, "avro_schema") : NULL;
    c->registry_url = opts ? resolved_get(opts, "schema_registry_url") : NULL;
    c->user = opts ? resolved_get(opts, "schema_registry_username") : NULL;
    c->password = opts ? resolved_get(opts, "schema_registry_password") : NULL;
    const char *sid = opts ? resolved_get(opts, "schema_id") : NULL;
    c->schema_id = sid ? (int32)atoi(sid) : -1;
    c->subject = opts ? resolved_get(opts, "schema_subject") : NULL;
    if (opts && resolved_get(opts, "schema_registry_profile") && c->registry_url == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("option \"schema_registry_profile\" is not supported yet"),
                errhint("Give schema_registry_url (and schema_registry_username/password) on the "
                        "table or its connection profile."));
    strbuf_init(&c->tmp, d->arena);
    d->impl = c;
    d->decode = avro_decode;
    if (c->registry_url == NULL && schema) {
        const char *why = NULL;
        c->inline_schema = schema_build(d, schema, strlen(schema), -1, &why);
        if (c->inline_schema == NULL)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"avro_schema\" is not a valid Avro record schema: %s", why));
    } else if (c->registry_url == NULL &&
               (d->t->connector == NULL || strcasecmp(d->t->connector, "file") != 0))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("format \"avro\" needs the option \"avro_schema\" or "
                       "\"schema_registry_url\""),
                errhint("Only Avro object container files (the file connector) carry their own "
                        "schema."));
    c->reader = avro_reader_memory("", 0);
}

/* Decoders without external resources need nothing; avro ones free libavro objects. */
void fmt_avro_decoder_destroy(FormatDecoder *d)
{
    AvroCodec *c = d->impl;
    if (c == NULL)
        return;
    schema_free(c->inline_schema);
    for (int i = 0; i < c->nschemas; i++)
        schema_free(c->schemas[i]);
    c->nschemas = 0;
    if (c->reader)
        avro_reader_free(c->reader);
    c->reader = NULL;
}

/* ---- object container files ---- */

/* The "avro.schema" entry of an OCF header (libavro drops logicalType, so read the text). */
static char *ocf_schema_json(Arena *a, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    char *buf = arena_alloc(a, 1 << 20);
    size_t n = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    if (n < 4 || memcmp(buf, "Obj\x01", 4) != 0)
        return NULL;
    const uint8 *p = (const uint8 *)buf + 4, *end = (const uint8 *)buf + n;
#define ZREAD(out)                                                                                 \
    do {                                                                                           \
        uint64 z_ = 0;                                                                             \
        int sh_ = 0;                                                                               \
        for (;;) {                                                                                 \
            if (p >= end || sh_ > 63)                                                              \
                return NULL;                                                                       \
            uint8 b_ = *p++;                                                                       \
            z_ |= (uint64)(b_ & 0x7F) << sh_;                                                      \
            sh_ += 7;                                                                              \
            if (!(b_ & 0x80))                                                                      \
                break;                                                                             \
        }                                                                                          \
        (out) = (int64)(z_ >> 1) ^ -(int64)(z_ & 1);                                               \
    } while (0)
    for (;;) {
        int64 count;
        ZREAD(count);
        if (count == 0)
            return NULL;
        if (count < 0) {
            int64 bytes;
            count = -count;
            ZREAD(bytes);
            (void)bytes;
        }
        for (int64 i = 0; i < count; i++) {
            int64 kl, vl;
            ZREAD(kl);
            if (kl < 0 || kl > end - p)
                return NULL;
            const uint8 *k = p;
            p += kl;
            ZREAD(vl);
            if (vl < 0 || vl > end - p)
                return NULL;
            if (kl == 11 && memcmp(k, "avro.schema", 11) == 0)
                return arena_strndup(a, (const char *)p, (size_t)vl);
            p += vl;
        }
    }
#undef ZREAD
}

FormatOcfReader *format_ocf_open(FormatDecoder *d, const char *path)
{
    if (d->kind != FMT_AVRO)
        elog(ERROR, "format_ocf_open needs an avro decoder");
    Arena *tmp = arena_create("ocf header", NULL);
    char *json = ocf_schema_json(tmp, path);
    if (json == NULL) {
        arena_destroy(tmp);
        ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
                errmsg("file \"%s\" is not an Avro object container file", path));
    }
    const char *why = NULL;
    AvroSchema *s = schema_build(d, json, strlen(json), -1, &why);
    arena_destroy(tmp);
    if (s == NULL)
        ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
                errmsg("Avro schema of file \"%s\" cannot be used: %s", path, why));
    FormatOcfReader *r = arena_new(d->arena, FormatOcfReader);
    r->d = d;
    r->schema = s;
    if (avro_file_reader(path, &r->file) != 0) {
        schema_free(s);
        ereport(ERROR, errcode(ERRCODE_IO_ERROR),
                errmsg("could not open Avro file \"%s\": %s", path, avro_strerror()));
    }
    return r;
}

int format_ocf_next(FormatOcfReader *r, Batch *out, int row, FormatError *err)
{
    FormatDecoder *d = r->d;
    memset(err, 0, sizeof *err);
    arena_reset(d->scratch);
    fmt_begin_record(d);
    avro_value_reset(&r->schema->value);
    int rc = avro_file_reader_read_value(r->file, &r->schema->value);
    if (rc == EOF)
        return 0;
    if (rc != 0) {
        fmt_format_error(d, err, "invalid Avro data: %s", avro_strerror());
        return -2;
    }
    r->records++;
    return store_record(d, d->impl, r->schema, out, row, err) ? 1 : -1;
}

void format_ocf_close(FormatOcfReader *r)
{
    if (r == NULL)
        return;
    if (r->file)
        avro_file_reader_close(r->file);
    r->file = NULL;
    schema_free(r->schema);
}

/* ---- encoder ---- */

/*
 * Rows to Avro binary with the inline `avro_schema` (a record): each schema field takes the
 * column of the same name (exact, then case insensitive); a field without a column must be
 * nullable (a union with null) and is written as null.  Unions take their null branch for
 * NULL and their first non-null branch otherwise.  With `schema_id` every record gets the
 * Confluent framing (magic byte 0 and the id).  Nested Avro types (records, maps, arrays) and
 * fixed are not written yet: 0A000 when the encoder is created.
 */
typedef struct AvroEncField {
    int col;               /* -1: written as null */
    int null_branch;       /* union: index of the null branch, -1 none */
    int value_branch;      /* union: index of the first non-null branch, -1 not a union */
    avro_schema_t vschema; /* the (non-null) value schema */
    Logical lt;
    int scale;
} AvroEncField;

typedef struct AvroEncoder {
    AvroSchema s;
    AvroEncField *fields;
    int32 schema_id; /* -1: no framing */
    StrBuf text;     /* value text scratch */
    char *wbuf;
    size_t wcap;
} AvroEncoder;

static void avro_encode(FormatEncoder *e, const Batch *b, int row, StrBuf *out);

static void enc_unsupported(AvroEncoder *ae, const char *field, const char *why)
{
    char name[256];
    snprintf(name, sizeof name, "%s", field); /* field lives in the schema freed below */
    schema_free(&ae->s);
    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
            errmsg("Avro field \"%s\" cannot be written yet: %s", name, why));
}

void fmt_avro_encoder_init(FormatEncoder *e, const ResolvedOptions *opts)
{
    const char *schema = opts ? resolved_get(opts, "avro_schema") : NULL;
    if (schema == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("writing format \"avro\" needs the option \"avro_schema\""),
                errdetail("Schemas are not fetched from a registry for writing yet."));
    AvroEncoder *ae = arena_new(e->arena, AvroEncoder);
    const char *sid = resolved_get(opts, "schema_id");
    ae->schema_id = sid ? (int32)atoi(sid) : -1;
    if (avro_schema_from_json_length(schema, strlen(schema), &ae->s.schema) != 0 ||
        !is_avro_record(ae->s.schema)) {
        const char *why = ae->s.schema ? "the schema is not an Avro record" : avro_strerror();
        if (ae->s.schema)
            avro_schema_decref(ae->s.schema);
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("option \"avro_schema\" is not a valid Avro record schema: %s", why));
    }
    e->impl = ae; /* from here on format_encoder_destroy frees what is set */
    ae->s.iface = avro_generic_class_from_schema(ae->s.schema);
    if (ae->s.iface == NULL || avro_generic_value_new(ae->s.iface, &ae->s.value) != 0) {
        schema_free(&ae->s);
        ereport(ERROR, errcode(ERRCODE_INTERNAL_ERROR),
                errmsg("could not set up the Avro writer: %s", avro_strerror()));
    }
    ae->s.has_value = true;
    int nf = (int)avro_schema_record_size(ae->s.schema);
    ae->s.nfields = nf;
    ae->fields = arena_alloc0(e->arena, sizeof(AvroEncField) * (size_t)(nf + 1));
    json_error_t jerr;
    json_t *root = json_loads(schema, 0, &jerr);
    json_t *jfields = root ? json_object_get(root, "fields") : NULL;
    for (int i = 0; i < nf; i++) {
        AvroEncField *f = &ae->fields[i];
        const char *name = avro_schema_record_field_name(ae->s.schema, i);
        f->col = -1;
        for (int pass = 0; pass < 2 && f->col < 0; pass++)
            for (int c = 0; c < e->ncols && f->col < 0; c++)
                if (pass == 0 ? strcmp(e->t->columns[c].name, name) == 0
                              : strcasecmp(e->t->columns[c].name, name) == 0)
                    f->col = c;
        avro_schema_t fs = avro_schema_record_field_get_by_index(ae->s.schema, i);
        f->null_branch = f->value_branch = -1;
        f->vschema = fs;
        if (is_avro_union(fs)) {
            for (size_t b = 0; b < avro_schema_union_size(fs); b++) {
                avro_schema_t bs = avro_schema_union_branch(fs, (int)b);
                if (is_avro_null(bs)) {
                    if (f->null_branch < 0)
                        f->null_branch = (int)b;
                } else if (f->value_branch < 0) {
                    f->value_branch = (int)b;
                    f->vschema = bs;
                }
            }
        }
        json_t *jf = json_is_array(jfields) ? json_array_get(jfields, (size_t)i) : NULL;
        if (jf)
            f->lt = logical_of(json_object_get(jf, "type"), &f->scale);
        avro_type_t t = avro_typeof(f->vschema);
        if (t == AVRO_RECORD || t == AVRO_MAP || t == AVRO_ARRAY || t == AVRO_FIXED ||
            t == AVRO_UNION) {
            if (root)
                json_decref(root);
            enc_unsupported(ae, name, "nested records, maps, arrays and fixed are not supported");
        }
        if (f->col < 0 && f->null_branch < 0 && t != AVRO_NULL) {
            if (root)
                json_decref(root);
            char fname[256];
            snprintf(fname, sizeof fname, "%s", name);
            schema_free(&ae->s);
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                    errmsg("Avro field \"%s\" has no column in table \"%s\" and is not nullable",
                           fname, e->t->name));
        }
    }
    if (root)
        json_decref(root);
    strbuf_init(&ae->text, e->arena);
    ae->wcap = 4096;
    ae->wbuf = arena_alloc(e->arena, ae->wcap);
    e->encode = avro_encode;
}

/* Sets av (the field's value, after branch selection) from column value (v, row). */
static void enc_value(AvroEncoder *ae, const AvroEncField *f, avro_value_t *av, const Vector *v,
                      int row)
{
    TypeId tid = v->type->id;
    const void *d = v->data;
    switch (avro_typeof(f->vschema)) {
    case AVRO_NULL:
        avro_value_set_null(av);
        return;
    case AVRO_BOOLEAN:
        avro_value_set_boolean(av, tid == TYPE_BOOL ? ((const uint8 *)d)[row] != 0 : 0);
        return;
    case AVRO_INT32:
    case AVRO_INT64: {
        int64 x;
        switch (tid) {
        case TYPE_INT8:
            x = ((const int8 *)d)[row];
            break;
        case TYPE_INT16:
            x = ((const int16 *)d)[row];
            break;
        case TYPE_INT32:
        case TYPE_DATE:
            x = ((const int32 *)d)[row];
            break;
        case TYPE_FLOAT32:
            x = (int64)((const float *)d)[row];
            break;
        case TYPE_FLOAT64:
            x = (int64)((const double *)d)[row];
            break;
        case TYPE_BOOL:
            x = ((const uint8 *)d)[row];
            break;
        case TYPE_DECIMAL:
            x = (int64)(((const int128 *)d)[row] / decimal_pow10[v->type->scale]);
            break;
        default:
            x = ((const int64 *)d)[row];
            break; /* INT64, TIME, TIMESTAMP(TZ) */
        }
        if (tid == TYPE_TIMESTAMP || tid == TYPE_TIMESTAMPTZ) {
            if (f->lt == LT_TS_MILLIS)
                x = x >= 0 ? x / 1000 : -((-x + 999) / 1000);
            else if (f->lt == LT_DATE)
                x = x >= 0 ? x / USECS_PER_DAY : -((-x + USECS_PER_DAY - 1) / USECS_PER_DAY);
        } else if (tid == TYPE_TIME && f->lt == LT_TIME_MILLIS)
            x /= 1000;
        if (avro_typeof(f->vschema) == AVRO_INT32)
            avro_value_set_int(av, (int32_t)x);
        else
            avro_value_set_long(av, x);
        return;
    }
    case AVRO_FLOAT:
    case AVRO_DOUBLE: {
        double x;
        switch (tid) {
        case TYPE_FLOAT32:
            x = ((const float *)d)[row];
            break;
        case TYPE_FLOAT64:
            x = ((const double *)d)[row];
            break;
        case TYPE_INT8:
            x = ((const int8 *)d)[row];
            break;
        case TYPE_INT16:
            x = ((const int16 *)d)[row];
            break;
        case TYPE_INT32:
            x = ((const int32 *)d)[row];
            break;
        case TYPE_DECIMAL:
            x = (double)((const int128 *)d)[row] / (double)decimal_pow10[v->type->scale];
            break;
        default:
            x = (double)((const int64 *)d)[row];
            break;
        }
        if (avro_typeof(f->vschema) == AVRO_FLOAT)
            avro_value_set_float(av, (float)x);
        else
            avro_value_set_double(av, x);
        return;
    }
    case AVRO_BYTES:
        if (f->lt == LT_DECIMAL && tid == TYPE_DECIMAL) {
            int128 x = ((const int128 *)d)[row];
            int ds = f->scale - v->type->scale;
            if (ds > 0 && ds <= DECIMAL_MAX_PRECISION)
                x *= decimal_pow10[ds];
            else if (ds < 0 && -ds <= DECIMAL_MAX_PRECISION)
                x /= decimal_pow10[-ds];
            uint8 b[16];
            for (int i = 0; i < 16; i++)
                b[15 - i] = (uint8)((unsigned __int128)x >> (8 * i));
            int start = 0; /* minimal two's complement */
            while (start < 15 && ((b[start] == 0 && !(b[start + 1] & 0x80)) ||
                                  (b[start] == 0xFF && (b[start + 1] & 0x80))))
                start++;
            avro_value_set_bytes(av, b + start, (size_t)(16 - start));
            return;
        }
        /* other bytes: the column's bytes or text, as for strings */
        /* fall through */
    case AVRO_STRING:
    case AVRO_ENUM: {
        const char *p;
        size_t n;
        if (tid == TYPE_STRING || tid == TYPE_BINARY || tid == TYPE_JSON) {
            const StrView *sv = &((const StrView *)d)[row];
            strbuf_reset(&ae->text);
            strbuf_append(&ae->text, sv->ptr, sv->len);
        } else {
            strbuf_reset(&ae->text);
            value_format_text(v, row, &ae->text);
        }
        strbuf_append_char(&ae->text, '\0');
        p = ae->text.data;
        n = ae->text.len - 1;
        if (avro_typeof(f->vschema) == AVRO_STRING)
            avro_value_set_string_len(av, p, n + 1);
        else if (avro_typeof(f->vschema) == AVRO_BYTES)
            avro_value_set_bytes(av, (void *)p, n);
        else {
            int sym = avro_schema_enum_get_by_name(f->vschema, p);
            avro_value_set_enum(av, sym >= 0 ? sym : 0);
        }
        return;
    }
    default:
        return;
    }
}

static void avro_encode(FormatEncoder *e, const Batch *b, int row, StrBuf *out)
{
    AvroEncoder *ae = e->impl;
    avro_value_reset(&ae->s.value);
    for (int i = 0; i < ae->s.nfields; i++) {
        const AvroEncField *f = &ae->fields[i];
        avro_value_t fv, bv;
        avro_value_get_by_index(&ae->s.value, (size_t)i, &fv, NULL);
        bool is_null = f->col < 0 || !vector_is_valid(&b->cols[f->col], row);
        if (f->value_branch >= 0 || f->null_branch >= 0) {
            if (is_null && f->null_branch >= 0) {
                avro_value_set_branch(&fv, f->null_branch, &bv);
                avro_value_set_null(&bv);
                continue;
            }
            if (f->value_branch < 0)
                continue;
            avro_value_set_branch(&fv, f->value_branch, &bv);
            if (!is_null)
                enc_value(ae, f, &bv, &b->cols[f->col], row);
            continue;
        }
        if (!is_null)
            enc_value(ae, f, &fv, &b->cols[f->col], row);
        /* a NULL into a non-nullable field keeps the type's zero value */
    }
    size_t size = 0;
    avro_value_sizeof(&ae->s.value, &size);
    if (size > ae->wcap) {
        while (ae->wcap < size)
            ae->wcap *= 2;
        ae->wbuf = arena_alloc(e->arena, ae->wcap);
    }
    avro_writer_t w = avro_writer_memory(ae->wbuf, (int64_t)ae->wcap);
    avro_value_write(w, &ae->s.value);
    size_t n = (size_t)avro_writer_tell(w);
    avro_writer_free(w);
    if (ae->schema_id >= 0) {
        strbuf_append_char(out, 0);
        strbuf_append_be32(out, (uint32)ae->schema_id);
    }
    strbuf_append(out, ae->wbuf, n);
}

void fmt_avro_encoder_destroy(FormatEncoder *e)
{
    AvroEncoder *ae = e->impl;
    if (ae)
        schema_free(&ae->s);
    e->impl = NULL;
}
