/*
 * format.c: the format API (format.h) — decoder and encoder construction,
 * dispatch to the format implementations (fmt_*.c), field-name lookup, the
 * typed value stores every decoder uses, and bad-record reporting.
 *
 * Field names map to columns through a small open-addressing table over the
 * exact names (built once per decoder); a miss falls back to a
 * case-insensitive scan, so "UserId" finds column userid.  Each record
 * clears a bitmap of written columns; whatever a record did not write
 * becomes NULL at the end (fmt_finish_missing), and a NOT NULL column left
 * unwritten is a SCHEMA_VALIDATION_ERROR.
 *
 * Value stores convert the input's value to the column type without
 * allocation on the common paths (integers, floats, booleans, ISO
 * timestamps, strings copied once into the batch arena); rarer conversions
 * go through the common/ text parsers inside LM_TRY, turning their errors
 * into "Cannot cast STRING to DATE"-style reasons.
 */
#include "connectors/format_int.h"
#include "common/datetime.h"
#include "common/error.h"
#include "common/numeric.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- names ---- */

const char *format_of_table(const CatTable *t, const ResolvedOptions *opts)
{
    const char *f = opts ? resolved_get(opts, "format") : NULL;
    if (f == NULL && t) {
        for (int i = 0; i < t->noptions; i++)
            if (strcasecmp(t->options[i].name, "format") == 0)
                f = t->options[i].value;
    }
    if (f == NULL && t && t->connector) {
        const Connector *c = connector_find(t->connector);
        if (c && c->default_format)
            f = c->default_format;
    }
    return f ? f : "json";
}

static uint64 name_hash(const char *s, size_t n)
{
    uint64 h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8)s[i]) * 0x100000001b3ULL;
    return h ^ (h >> 31);
}

static void build_lookup(FormatDecoder *d)
{
    int n = 16;
    while (n < d->ncols * 4)
        n *= 2;
    d->nslots = n;
    d->slots = arena_alloc0(d->arena, sizeof(int) * (size_t)n);
    d->name_len = arena_alloc0(d->arena, sizeof(uint32) * (size_t)(d->ncols + 1));
    for (int c = 0; c < d->ncols; c++)
        d->name_len[c] = (uint32)strlen(d->t->columns[c].name);
    for (int c = 0; c < d->ncols; c++) {
        if (d->skip[c])
            continue;
        const char *name = d->t->columns[c].name;
        uint64 h = name_hash(name, strlen(name));
        int j = (int)(h & (uint64)(n - 1));
        while (d->slots[j])
            j = (j + 1) & (n - 1);
        d->slots[j] = c + 1;
    }
}

int fmt_column_lookup(const FormatDecoder *d, const char *name, size_t len)
{
    uint64 h = name_hash(name, len);
    int j = (int)(h & (uint64)(d->nslots - 1));
    while (d->slots[j]) {
        int c = d->slots[j] - 1;
        if (d->name_len[c] == len && memcmp(d->t->columns[c].name, name, len) == 0)
            return c;
        j = (j + 1) & (d->nslots - 1);
    }
    for (int c = 0; c < d->ncols; c++) {
        if (!d->skip[c] && d->name_len[c] == len &&
            strncasecmp(d->t->columns[c].name, name, len) == 0)
            return c;
    }
    return -1;
}

static TsFormat parse_ts_format(const ResolvedOptions *opts)
{
    const char *v = opts ? resolved_get(opts, "timestamp_format") : NULL;
    if (v == NULL || strcasecmp(v, "iso8601") == 0 || strcasecmp(v, "rfc3339") == 0)
        return TS_ISO;
    if (strcasecmp(v, "unix_seconds") == 0)
        return TS_UNIX_SECONDS;
    if (strcasecmp(v, "unix_millis") == 0)
        return TS_UNIX_MILLIS;
    if (strcasecmp(v, "unix_micros") == 0)
        return TS_UNIX_MICROS;
    ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
            errmsg("invalid value for option \"timestamp_format\": \"%s\"", v),
            errhint("Valid values are iso8601, rfc3339, unix_seconds, unix_millis, unix_micros."));
}

/* ---- decoders ---- */

FormatDecoder *format_decoder_create(Arena *a, const CatTable *t, const ResolvedOptions *opts,
                                     const bool *skip_columns)
{
    FormatDecoder *d = arena_new(a, FormatDecoder);
    d->arena = a;
    d->scratch = arena_create("format scratch", a);
    d->t = t;
    d->ncols = t->ncolumns;
    d->skip = arena_alloc0(a, sizeof(bool) * (size_t)(d->ncols + 1));
    if (skip_columns)
        memcpy(d->skip, skip_columns, sizeof(bool) * (size_t)d->ncols);
    d->nseen_words = (d->ncols + 63) / 64 + 1;
    d->seen = arena_alloc0(a, sizeof(uint64) * (size_t)d->nseen_words);
    d->ts_format = parse_ts_format(opts);
    build_lookup(d);
    const char *f = format_of_table(t, opts);
    if (strcasecmp(f, "json") == 0) {
        d->kind = FMT_JSON;
        fmt_json_decoder_init(d, opts);
    } else if (strcasecmp(f, "csv") == 0) {
        d->kind = FMT_CSV;
        fmt_csv_decoder_init(d, opts);
    } else if (strcasecmp(f, "raw") == 0) {
        d->kind = FMT_RAW;
        fmt_raw_decoder_init(d, opts);
    } else if (strcasecmp(f, "avro") == 0) {
        d->kind = FMT_AVRO;
        fmt_avro_decoder_init(d, opts);
    } else if (strcasecmp(f, "protobuf") == 0) {
        d->kind = FMT_PROTOBUF;
        fmt_protobuf_decoder_init(d, opts);
    } else
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("format \"%s\" cannot be read yet", f));
    return d;
}

void format_decoder_destroy(FormatDecoder *d)
{
    if (d && d->kind == FMT_AVRO)
        fmt_avro_decoder_destroy(d);
}

bool format_decode(FormatDecoder *d, const char *data, size_t len, Batch *out, int row,
                   FormatError *err)
{
    memset(err, 0, sizeof *err);
    return d->decode(d, data, len, out, row, err);
}

/* ---- errors ---- */

static const char *sample_text(FormatDecoder *d, const char *s, size_t n)
{
    if (s == NULL)
        return NULL;
    if (n > 200)
        n = 200;
    return arena_strndup(d->scratch, s, n);
}

bool fmt_schema_error(FormatDecoder *d, FormatError *err, int col, const char *reason,
                      const char *sample, size_t sample_len)
{
    err->code = "SCHEMA_VALIDATION_ERROR";
    err->message = "Schema validation failed";
    err->field = col >= 0 ? d->t->columns[col].name : NULL;
    err->reason = reason;
    err->sample_value = sample_text(d, sample, sample_len);
    return false;
}

bool fmt_format_error(FormatDecoder *d, FormatError *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err->code = "FORMAT_ERROR";
    err->message = "Record could not be decoded";
    err->field = NULL;
    err->reason = arena_vprintf(d->scratch, fmt, ap);
    err->sample_value = NULL;
    va_end(ap);
    return false;
}

const char *fmt_type_name(FormatDecoder *d, const LmType *t)
{
    return type_name(d->scratch, t);
}

static bool cast_error(FormatDecoder *d, FormatError *err, int col, const char *src_type,
                       const char *s, size_t len)
{
    const char *reason = arena_printf(d->scratch, "Cannot cast %s to %s", src_type,
                                      fmt_type_name(d, d->t->columns[col].type));
    return fmt_schema_error(d, err, col, reason, s, len);
}

bool fmt_store_null(FormatDecoder *d, Batch *out, int row, int col, bool missing, FormatError *err)
{
    if (d->t->columns[col].not_null)
        return fmt_schema_error(
            d, err, col, missing ? "Missing required field" : "NULL value in NOT NULL column", NULL,
            0);
    vector_set_null(&out->cols[col], row);
    fmt_mark_seen(d, col);
    return true;
}

bool fmt_finish_missing(FormatDecoder *d, Batch *out, int row, FormatError *err)
{
    for (int w = 0; w < d->nseen_words; w++) {
        uint64 todo = ~d->seen[w];
        while (todo) {
            int c = w * 64 + __builtin_ctzll(todo);
            todo &= todo - 1;
            if (c >= d->ncols)
                return true;
            if (d->skip[c]) {
                vector_set_null(&out->cols[c], row);
                continue;
            }
            if (!fmt_store_null(d, out, row, c, true, err))
                return false;
        }
    }
    return true;
}

void format_error_details_json(const FormatError *err, StrBuf *out)
{
    strbuf_append_char(out, '{');
    bool first = true;
    const char *names[] = {"field", "reason", "sample_value"};
    const char *vals[] = {err->field, err->reason, err->sample_value};
    for (int i = 0; i < 3; i++) {
        if (vals[i] == NULL)
            continue;
        if (!first)
            strbuf_append_char(out, ',');
        first = false;
        strbuf_printf(out, "\"%s\":", names[i]);
        fmt_json_escape(out, vals[i], strlen(vals[i]));
    }
    strbuf_append_char(out, '}');
}

void format_error_raise(const FormatError *err, const char *table_name)
{
    bool schema = err->code && strcmp(err->code, "SCHEMA_VALIDATION_ERROR") == 0;
    StrBuf m;
    strbuf_init(&m, NULL);
    strbuf_printf(&m, "%s for table \"%s\"",
                  schema ? "schema validation failed" : "record could not be decoded",
                  table_name ? table_name : "?");
    if (err->field)
        strbuf_printf(&m, ": field \"%s\"", err->field);
    if (err->reason)
        strbuf_printf(&m, ": %s", err->reason);
    if (err->sample_value)
        strbuf_printf(&m, " (sample value \"%s\")", err->sample_value);
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", m.data);
    strbuf_free(&m);
    ereport(ERROR, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), errmsg("%s", msg),
            errhint("Set ignore_parse_errors = true on the table to skip such records."));
}

bool format_ignore_parse_errors(const ResolvedOptions *opts)
{
    const char *v = opts ? resolved_get(opts, "ignore_parse_errors") : NULL;
    return v && (strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 ||
                 strcasecmp(v, "yes") == 0 || strcmp(v, "1") == 0 || strcasecmp(v, "t") == 0);
}

void format_report_error(ConnectorContext *cc, const FormatError *err, bool ignore,
                         const char *record, size_t record_len)
{
    if (cc->record_error) {
        StrBuf details;
        strbuf_init(&details, NULL);
        format_error_details_json(err, &details);
        cc->record_error(cc->record_error_arg, err->code ? err->code : "FORMAT_ERROR",
                         err->message ? err->message : "Record could not be decoded", details.data,
                         record, record_len);
        strbuf_free(&details);
    }
    if (!ignore)
        format_error_raise(err, cc->table ? cc->table->name : NULL);
}

/* ---- fast parsers ---- */

bool fmt_parse_int64(const char *s, size_t len, int64 *out)
{
    size_t i = 0;
    bool neg = false;
    if (len == 0)
        return false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
        if (len == 1)
            return false;
    }
    uint64 v = 0;
    for (; i < len; i++) {
        unsigned dgt = (unsigned)(s[i] - '0');
        if (dgt > 9)
            return false;
        if (v > (UINT64_MAX - dgt) / 10)
            return false;
        v = v * 10 + dgt;
    }
    if (neg) {
        if (v > (uint64)INT64_MAX + 1)
            return false;
        *out = (int64)(0 - v);
    } else {
        if (v > (uint64)INT64_MAX)
            return false;
        *out = (int64)v;
    }
    return true;
}

static inline int two_digits(const char *p)
{
    unsigned a = (unsigned)(p[0] - '0'), b = (unsigned)(p[1] - '0');
    return a <= 9 && b <= 9 ? (int)(a * 10 + b) : -1;
}

static bool parse_ymd(const char *s, size_t len, int64 *days)
{
    if (len < 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y1 = two_digits(s), y2 = two_digits(s + 2), mo = two_digits(s + 5), dd = two_digits(s + 8);
    if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || dd < 1)
        return false;
    int64 year = y1 * 100 + y2;
    if (dd > date_days_in_month(year, mo))
        return false;
    *days = date_from_ymd(year, mo, dd);
    return true;
}

bool fmt_parse_iso_timestamp(const char *s, size_t len, int64 *micros)
{
    int64 days;
    if (!parse_ymd(s, len, &days))
        return false;
    int64 t = days * USECS_PER_DAY;
    size_t i = 10;
    if (i < len && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        if (len < i + 6 || s[i + 3] != ':')
            return false;
        int hh = two_digits(s + i + 1), mi = two_digits(s + i + 4);
        if (hh < 0 || hh > 23 || mi < 0 || mi > 59)
            return false;
        t += hh * USECS_PER_HOUR + mi * USECS_PER_MINUTE;
        i += 6;
        if (i < len && s[i] == ':') {
            if (len < i + 3)
                return false;
            int ss = two_digits(s + i + 1);
            if (ss < 0 || ss > 59)
                return false;
            t += ss * USECS_PER_SEC;
            i += 3;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                i++;
                int64 frac = 0, scale = 100000;
                size_t start = i;
                while (i < len && s[i] >= '0' && s[i] <= '9') {
                    if (scale > 0) {
                        frac += (s[i] - '0') * scale;
                        scale /= 10;
                    } else if (scale == 0 && s[i] >= '5' && i == start + 6) {
                        frac++; /* round at the 7th digit */
                    }
                    if (scale == 0 && i >= start + 6)
                        scale = -1;
                    i++;
                }
                if (i == start)
                    return false;
                t += frac;
            }
        }
    }
    if (i < len) {
        if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len)
            return (*micros = t), true;
        if (s[i] != '+' && s[i] != '-')
            return false;
        int sign = s[i] == '-' ? -1 : 1;
        i++;
        if (len < i + 2)
            return false;
        int oh = two_digits(s + i), om = 0;
        if (oh < 0 || oh > 15)
            return false;
        i += 2;
        if (i < len && s[i] == ':')
            i++;
        if (i < len) {
            if (len != i + 2)
                return false;
            om = two_digits(s + i);
            if (om < 0 || om > 59)
                return false;
        }
        t -= sign * (oh * USECS_PER_HOUR + om * USECS_PER_MINUTE);
    }
    *micros = t;
    return true;
}

/* ---- typed stores ---- */

void fmt_store_bytes(Batch *out, int row, int col, const char *s, size_t len)
{
    Vector *v = &out->cols[col];
    StrView *sv = &((StrView *)v->data)[row];
    sv->len = (uint32)len;
    sv->reserved = 0;
    if (len == 0)
        sv->ptr = "";
    else {
        char *p = arena_alloc(out->arena, len);
        memcpy(p, s, len);
        sv->ptr = p;
    }
    fmt_set_valid(v, row);
}

static bool store_int_checked(FormatDecoder *d, Vector *v, int row, int col, int64 x,
                              FormatError *err, const char *sample, size_t slen)
{
    switch (v->type->id) {
    case TYPE_INT8:
        if (x < INT8_MIN || x > INT8_MAX)
            goto range;
        ((int8 *)v->data)[row] = (int8)x;
        break;
    case TYPE_INT16:
        if (x < INT16_MIN || x > INT16_MAX)
            goto range;
        ((int16 *)v->data)[row] = (int16)x;
        break;
    case TYPE_INT32:
        if (x < INT32_MIN || x > INT32_MAX)
            goto range;
        ((int32 *)v->data)[row] = (int32)x;
        break;
    default:
        ((int64 *)v->data)[row] = x;
        break;
    }
    fmt_set_valid(v, row);
    return true;
range:
    return fmt_schema_error(
        d, err, col,
        arena_printf(d->scratch, "Value out of range for %s", fmt_type_name(d, v->type)), sample,
        slen);
}

static int64 ts_from_number(TsFormat f, double x)
{
    switch (f) {
    case TS_UNIX_SECONDS:
        return (int64)llround(x * 1e6);
    case TS_UNIX_MICROS:
        return (int64)x;
    default: /* unix_millis, and numbers given to iso8601 tables */
        return (int64)llround(x * 1e3);
    }
}

static int64 ts_from_int(TsFormat f, int64 x)
{
    switch (f) {
    case TS_UNIX_SECONDS:
        return x * USECS_PER_SEC;
    case TS_UNIX_MICROS:
        return x;
    default:
        return x * 1000;
    }
}

bool fmt_store_int(FormatDecoder *d, Batch *out, int row, int col, int64 x, FormatError *err)
{
    Vector *v = &out->cols[col];
    char buf[32];
    int n;
    switch (v->type->id) {
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64:
        if (v->type->id == TYPE_INT64) {
            ((int64 *)v->data)[row] = x;
            fmt_set_valid(v, row);
            return true;
        }
        n = snprintf(buf, sizeof buf, "%lld", (long long)x);
        return store_int_checked(d, v, row, col, x, err, buf, (size_t)n);
    case TYPE_FLOAT32:
        ((float *)v->data)[row] = (float)x;
        break;
    case TYPE_FLOAT64:
        ((double *)v->data)[row] = (double)x;
        break;
    case TYPE_DECIMAL: {
        int128 lim = decimal_pow10[v->type->precision - v->type->scale];
        if ((int128)x >= lim || (int128)x <= -lim) {
            n = snprintf(buf, sizeof buf, "%lld", (long long)x);
            return fmt_schema_error(
                d, err, col,
                arena_printf(d->scratch, "Value out of range for %s", fmt_type_name(d, v->type)),
                buf, (size_t)n);
        }
        ((int128 *)v->data)[row] = (int128)x * decimal_pow10[v->type->scale];
        break;
    }
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        ((int64 *)v->data)[row] = ts_from_int(d->ts_format, x);
        break;
    case TYPE_STRING:
    case TYPE_JSON:
        n = snprintf(buf, sizeof buf, "%lld", (long long)x);
        fmt_store_bytes(out, row, col, buf, (size_t)n);
        return true;
    case TYPE_BOOL:
        if (x == 0 || x == 1) {
            ((uint8 *)v->data)[row] = (uint8)x;
            break;
        }
        /* fall through */
    default:
        n = snprintf(buf, sizeof buf, "%lld", (long long)x);
        return cast_error(d, err, col, "BIGINT", buf, (size_t)n);
    }
    fmt_set_valid(v, row);
    return true;
}

bool fmt_store_double(FormatDecoder *d, Batch *out, int row, int col, double x, FormatError *err)
{
    Vector *v = &out->cols[col];
    char buf[40];
    int n;
    switch (v->type->id) {
    case TYPE_FLOAT32:
        ((float *)v->data)[row] = (float)x;
        break;
    case TYPE_FLOAT64:
        ((double *)v->data)[row] = x;
        break;
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64:
        if (x == floor(x) && x >= -9.2233720368547758e18 && x < 9.2233720368547758e18)
            return fmt_store_int(d, out, row, col, (int64)x, err);
        n = snprintf(buf, sizeof buf, "%.17g", x);
        return cast_error(d, err, col, "DOUBLE", buf, (size_t)n);
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        ((int64 *)v->data)[row] = ts_from_number(d->ts_format, x);
        break;
    case TYPE_STRING:
    case TYPE_JSON:
    case TYPE_DECIMAL:
        n = snprintf(buf, sizeof buf, "%.17g", x);
        return fmt_store_text(d, out, row, col, buf, (size_t)n, "DOUBLE", err);
    default:
        n = snprintf(buf, sizeof buf, "%.17g", x);
        return cast_error(d, err, col, "DOUBLE", buf, (size_t)n);
    }
    fmt_set_valid(v, row);
    return true;
}

bool fmt_store_bool(FormatDecoder *d, Batch *out, int row, int col, bool x, FormatError *err)
{
    Vector *v = &out->cols[col];
    switch (v->type->id) {
    case TYPE_BOOL:
        ((uint8 *)v->data)[row] = x;
        fmt_set_valid(v, row);
        return true;
    case TYPE_STRING:
    case TYPE_JSON:
        fmt_store_bytes(out, row, col, x ? "true" : "false", x ? 4 : 5);
        return true;
    default:
        return cast_error(d, err, col, "BOOLEAN", x ? "true" : "false", x ? 4 : 5);
    }
}

static bool parse_bool_text(const char *s, size_t len, bool *out)
{
    static const char *const yes[] = {"true", "t", "yes", "y", "on", "1"};
    static const char *const no[] = {"false", "f", "no", "n", "off", "0"};
    for (size_t i = 0; i < LM_ARRAY_LEN(yes); i++)
        if (strlen(yes[i]) == len && strncasecmp(yes[i], s, len) == 0)
            return (*out = true), true;
    for (size_t i = 0; i < LM_ARRAY_LEN(no); i++)
        if (strlen(no[i]) == len && strncasecmp(no[i], s, len) == 0)
            return (*out = false), true;
    return false;
}

/* Text parse through common/ (raises) turned into a cast error. */
static bool store_text_slow(FormatDecoder *d, Batch *out, int row, int col, const char *s,
                            size_t len, const char *src_type, FormatError *err)
{
    Vector *v = &out->cols[col];
    volatile bool ok = true;
    LM_TRY();
    {
        value_parse_text(v, out->arena, row, s, len);
    }
    LM_CATCH();
    {
        error_clear();
        ok = false;
    }
    LM_END_TRY();
    if (!ok)
        return cast_error(d, err, col, src_type, s, len);
    fmt_set_valid(v, row);
    return true;
}

bool fmt_store_text(FormatDecoder *d, Batch *out, int row, int col, const char *s, size_t len,
                    const char *src_type, FormatError *err)
{
    Vector *v = &out->cols[col];
    int64 i64;
    switch (v->type->id) {
    case TYPE_STRING:
    case TYPE_JSON:
        fmt_store_bytes(out, row, col, s, len);
        return true;
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64: {
        size_t b = 0, e = len;
        while (b < e && (s[b] == ' ' || s[b] == '\t'))
            b++;
        while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
            e--;
        if (fmt_parse_int64(s + b, e - b, &i64))
            return store_int_checked(d, v, row, col, i64, err, s, len);
        return cast_error(d, err, col, src_type, s, len);
    }
    case TYPE_FLOAT32:
    case TYPE_FLOAT64: {
        char buf[64];
        char *end;
        if (len == 0 || len >= sizeof buf)
            return cast_error(d, err, col, src_type, s, len);
        memcpy(buf, s, len);
        buf[len] = '\0';
        double x = strtod(buf, &end);
        while (*end == ' ')
            end++;
        if (end == buf || *end != '\0')
            return cast_error(d, err, col, src_type, s, len);
        if (v->type->id == TYPE_FLOAT32)
            ((float *)v->data)[row] = (float)x;
        else
            ((double *)v->data)[row] = x;
        fmt_set_valid(v, row);
        return true;
    }
    case TYPE_BOOL: {
        bool x;
        if (!parse_bool_text(s, len, &x))
            return cast_error(d, err, col, src_type, s, len);
        ((uint8 *)v->data)[row] = x;
        fmt_set_valid(v, row);
        return true;
    }
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        if (fmt_parse_iso_timestamp(s, len, &i64)) {
            ((int64 *)v->data)[row] = i64;
            fmt_set_valid(v, row);
            return true;
        }
        if (d->ts_format != TS_ISO && fmt_parse_int64(s, len, &i64)) {
            ((int64 *)v->data)[row] = ts_from_int(d->ts_format, i64);
            fmt_set_valid(v, row);
            return true;
        }
        return store_text_slow(d, out, row, col, s, len, src_type, err);
    case TYPE_DATE: {
        int64 days;
        if (len == 10 && parse_ymd(s, len, &days)) {
            ((int32 *)v->data)[row] = (int32)days;
            fmt_set_valid(v, row);
            return true;
        }
        return store_text_slow(d, out, row, col, s, len, src_type, err);
    }
    default:
        return store_text_slow(d, out, row, col, s, len, src_type, err);
    }
}

bool fmt_store_json_value(FormatDecoder *d, Batch *out, int row, int col, const char *s, size_t len,
                          const char *src_type, FormatError *err)
{
    Vector *v = &out->cols[col];
    TypeId tid = v->type->id;
    if (tid == TYPE_STRING || tid == TYPE_JSON) {
        fmt_store_bytes(out, row, col, s, len);
        return true;
    }
    volatile bool ok = true;
    LM_TRY();
    {
        value_parse_json(v, out->arena, row, s, len);
    }
    LM_CATCH();
    {
        error_clear();
        ok = false;
    }
    LM_END_TRY();
    if (!ok)
        return cast_error(d, err, col, src_type, s, len);
    fmt_set_valid(v, row);
    return true;
}

/* ---- encoders ---- */

void fmt_json_escape(StrBuf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_reserve(out, len + 2);
    strbuf_append_char(out, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        strbuf_append(out, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            strbuf_append(out, "\\\"", 2);
            break;
        case '\\':
            strbuf_append(out, "\\\\", 2);
            break;
        case '\n':
            strbuf_append(out, "\\n", 2);
            break;
        case '\r':
            strbuf_append(out, "\\r", 2);
            break;
        case '\t':
            strbuf_append(out, "\\t", 2);
            break;
        case '\b':
            strbuf_append(out, "\\b", 2);
            break;
        case '\f':
            strbuf_append(out, "\\f", 2);
            break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            strbuf_append(out, u, 6);
        }
        }
    }
    strbuf_append(out, s + run, len - run);
    strbuf_append_char(out, '"');
}

void fmt_format_timestamp(TsFormat f, int64 micros, bool with_tz, bool quoted, StrBuf *out)
{
    switch (f) {
    case TS_UNIX_SECONDS:
        strbuf_printf(out, "%lld",
                      (long long)(micros >= 0 ? micros / USECS_PER_SEC
                                              : -((-micros + 999999) / USECS_PER_SEC)));
        return;
    case TS_UNIX_MILLIS:
        strbuf_printf(out, "%lld",
                      (long long)(micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000)));
        return;
    case TS_UNIX_MICROS:
        strbuf_printf(out, "%lld", (long long)micros);
        return;
    default:
        if (quoted)
            strbuf_append_char(out, '"');
        datetime_format_timestamp_iso(micros, with_tz, out);
        if (quoted)
            strbuf_append_char(out, '"');
    }
}

FormatEncoder *format_encoder_create(Arena *a, const CatTable *t, const ResolvedOptions *opts)
{
    FormatEncoder *e = arena_new(a, FormatEncoder);
    e->arena = a;
    e->t = t;
    e->ncols = t->ncolumns;
    e->ts_format = parse_ts_format(opts);
    const char *f = format_of_table(t, opts);
    if (strcasecmp(f, "json") == 0) {
        e->kind = FMT_JSON;
        fmt_json_encoder_init(e, opts);
    } else if (strcasecmp(f, "csv") == 0) {
        e->kind = FMT_CSV;
        fmt_csv_encoder_init(e, opts);
    } else if (strcasecmp(f, "raw") == 0) {
        e->kind = FMT_RAW;
        fmt_raw_encoder_init(e, opts);
    } else if (strcasecmp(f, "avro") == 0) {
        e->kind = FMT_AVRO;
        fmt_avro_encoder_init(e, opts);
    } else
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("format \"%s\" cannot be written yet", f),
                errdetail("Sinks write json, csv, raw and avro records."));
    return e;
}

void format_encoder_destroy(FormatEncoder *e)
{
    if (e && e->kind == FMT_AVRO)
        fmt_avro_encoder_destroy(e);
}

void format_encode(FormatEncoder *e, const Batch *b, int row, StrBuf *out)
{
    e->encode(e, b, row, out);
}
