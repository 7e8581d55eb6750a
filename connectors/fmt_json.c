/*
 * fmt_json.c: the json format — a hand-written single-pass scanner that
 * decodes one JSON object straight into the column vectors, the compact
 * JSON encoder, and schema inference over sample records.
 *
 * Decoding walks the object once: each key is matched to a column (first
 * the column after the previously matched one, since producers usually
 * write fields in a fixed order; then the name table of format.c), and the
 * value is converted in place by its first byte — numbers parsed without
 * strtod when they fit Clinger's fast path (<= 15 significant digits,
 * |exponent| <= 22, exact in double arithmetic), strings stored directly
 * from the input when they hold no escapes.  Unknown fields are skipped
 * structurally (brackets and strings tracked, not validated in depth).
 * Nested objects and arrays for ARRAY/MAP/STRUCT columns go through
 * value_parse_json (common/value_io.c); JSON and STRING columns take the
 * value's text as it is.  Nothing is allocated per record except the
 * column values themselves (in the batch arena).
 */
#include "connectors/format_int.h"
#include "common/datetime.h"
#include "common/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct JsonDecoder {
    StrBuf unesc;  /* unescaped string / key (heap, reused) */
    StrBuf numbuf; /* NUL-terminated copy for strtod */
} JsonDecoder;

static inline const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put_utf8(StrBuf *b, uint32 cp)
{
    char u[4];
    int n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    strbuf_append(b, u, (size_t)n);
}

static bool read_hex4(const char *p, const char *end, uint32 *cp)
{
    if (end - p < 4)
        return false;
    uint32 v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return false;
        v = v * 16 + (uint32)h;
    }
    *cp = v;
    return true;
}

/*
 * Scans a string starting at the opening quote.  On success returns the position after the
 * closing quote and sets *s and *len to its contents: a span of the input when it has no escapes,
 * else the unescaped copy in buf.  NULL on malformed input.
 */
static const char *scan_string(const char *p, const char *end, StrBuf *buf, const char **s,
                               size_t *len)
{
    const char *start = ++p;
    while (p < end && *p != '"' && *p != '\\')
        p++;
    if (p >= end)
        return NULL;
    if (*p == '"') {
        *s = start;
        *len = (size_t)(p - start);
        return p + 1;
    }
    strbuf_reset(buf);
    strbuf_append(buf, start, (size_t)(p - start));
    while (p < end) {
        char c = *p;
        if (c == '"') {
            *s = buf->data;
            *len = buf->len;
            return p + 1;
        }
        if (c != '\\') {
            const char *run = p;
            while (p < end && *p != '"' && *p != '\\')
                p++;
            strbuf_append(buf, run, (size_t)(p - run));
            continue;
        }
        if (++p >= end)
            return NULL;
        switch (*p) {
        case '"':
        case '\\':
        case '/':
            strbuf_append_char(buf, *p);
            break;
        case 'b':
            strbuf_append_char(buf, '\b');
            break;
        case 'f':
            strbuf_append_char(buf, '\f');
            break;
        case 'n':
            strbuf_append_char(buf, '\n');
            break;
        case 'r':
            strbuf_append_char(buf, '\r');
            break;
        case 't':
            strbuf_append_char(buf, '\t');
            break;
        case 'u': {
            uint32 cp;
            if (!read_hex4(p + 1, end, &cp))
                return NULL;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && end - p > 6 && p[1] == '\\' && p[2] == 'u') {
                uint32 lo;
                if (read_hex4(p + 3, end, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
            }
            put_utf8(buf, cp);
            break;
        }
        default:
            return NULL;
        }
        p++;
    }
    return NULL;
}

/* Skips one value; NULL if malformed.  Strings and nesting are tracked, scalars are spans. */
static const char *skip_value(const char *p, const char *end)
{
    if (p >= end)
        return NULL;
    char c = *p;
    if (c == '"') {
        p++;
        while (p < end) {
            if (*p == '\\')
                p += 2;
            else if (*p == '"')
                return p + 1;
            else
                p++;
        }
        return NULL;
    }
    if (c == '{' || c == '[') {
        int depth = 0;
        while (p < end) {
            c = *p;
            if (c == '"') {
                p = skip_value(p, end);
                if (p == NULL)
                    return NULL;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return p + 1;
            }
            p++;
        }
        return NULL;
    }
    const char *start = p;
    while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' &&
           *p != '\r' && *p != '\t')
        p++;
    return p > start ? p : NULL;
}

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/*
 * Scans a number at p.  Sets *is_int and *ival when it is an integer that fits int64; *dval
 * always (Clinger's fast path, else strtod on a copy).  Returns the end, or NULL if it is not
 * a JSON number.
 */
static const char *scan_number(JsonDecoder *j, const char *p, const char *end, bool *is_int,
                               int64 *ival, double *dval)
{
    const char *start = p;
    bool neg = false;
    if (p < end && *p == '-') {
        neg = true;
        p++;
    }
    uint64 mant = 0;
    int ndigits = 0, exp10 = 0;
    bool overflow = false;
    const char *digits = p;
    while (p < end && (unsigned)(*p - '0') <= 9) {
        if (ndigits < 19) {
            mant = mant * 10 + (uint64)(*p - '0');
            if (mant != 0)
                ndigits++;
        } else {
            exp10++;
            overflow = true;
        }
        p++;
    }
    if (p == digits)
        return NULL;
    bool frac = false;
    if (p < end && *p == '.') {
        frac = true;
        p++;
        const char *fd = p;
        while (p < end && (unsigned)(*p - '0') <= 9) {
            if (ndigits < 19) {
                mant = mant * 10 + (uint64)(*p - '0');
                if (mant != 0)
                    ndigits++;
                exp10--;
            } else
                overflow = true;
            p++;
        }
        if (p == fd)
            return NULL;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        frac = true;
        p++;
        bool eneg = false;
        if (p < end && (*p == '+' || *p == '-')) {
            eneg = *p == '-';
            p++;
        }
        const char *ed = p;
        int e = 0;
        while (p < end && (unsigned)(*p - '0') <= 9) {
            if (e < 100000)
                e = e * 10 + (*p - '0');
            p++;
        }
        if (p == ed)
            return NULL;
        exp10 += eneg ? -e : e;
    }
    *is_int = false;
    if (!frac && !overflow) {
        if (neg ? mant <= (uint64)INT64_MAX + 1 : mant <= (uint64)INT64_MAX) {
            *is_int = true;
            *ival = neg ? (int64)(0 - mant) : (int64)mant;
            *dval = (double)*ival;
            return p;
        }
    }
    if (!overflow && mant < (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
        double d = (double)mant;
        d = exp10 < 0 ? d / pow10_exact[-exp10] : d * pow10_exact[exp10];
        *dval = neg ? -d : d;
        return p;
    }
    strbuf_reset(&j->numbuf);
    strbuf_append(&j->numbuf, start, (size_t)(p - start));
    *dval = strtod(j->numbuf.data, NULL);
    return p;
}

/* Decodes the value at p into column col; returns the position after it, or NULL (err set). */
static const char *decode_value(FormatDecoder *d, JsonDecoder *j, int col, const char *p,
                                const char *end, Batch *out, int row, FormatError *err)
{
    Vector *v = &out->cols[col];
    TypeId tid = v->type->id;
    char c = *p;
    if (c == '"') {
        const char *s;
        size_t len;
        const char *q = scan_string(p, end, &j->unesc, &s, &len);
        if (q == NULL) {
            fmt_format_error(d, err, "invalid JSON string");
            return NULL;
        }
        bool ok;
        if (tid == TYPE_STRING)
            fmt_store_bytes(out, row, col, s, len), ok = true;
        else if (tid == TYPE_JSON)
            fmt_store_bytes(out, row, col, p, (size_t)(q - p)), ok = true;
        else if (tid == TYPE_ARRAY || tid == TYPE_MAP || tid == TYPE_STRUCT)
            ok = fmt_store_json_value(d, out, row, col, s, len, "STRING",
                                      err); /* JSON inside a string */
        else
            ok = fmt_store_text(d, out, row, col, s, len, "STRING", err);
        return ok ? q : NULL;
    }
    if (c == '-' || (unsigned)(c - '0') <= 9) {
        bool is_int;
        int64 iv = 0;
        double dv = 0;
        const char *q = scan_number(j, p, end, &is_int, &iv, &dv);
        if (q == NULL) {
            fmt_format_error(d, err, "invalid JSON number");
            return NULL;
        }
        bool ok;
        switch (tid) {
        case TYPE_INT64:
            if (is_int) {
                ((int64 *)v->data)[row] = iv;
                fmt_set_valid(v, row);
                ok = true;
            } else
                ok = fmt_store_double(d, out, row, col, dv, err);
            break;
        case TYPE_FLOAT64:
            ((double *)v->data)[row] = dv;
            fmt_set_valid(v, row);
            ok = true;
            break;
        case TYPE_STRING:
        case TYPE_JSON:
        case TYPE_DECIMAL:
            ok = fmt_store_text(d, out, row, col, p, (size_t)(q - p), is_int ? "BIGINT" : "DOUBLE",
                                err);
            break;
        default:
            ok = is_int ? fmt_store_int(d, out, row, col, iv, err)
                        : fmt_store_double(d, out, row, col, dv, err);
        }
        return ok ? q : NULL;
    }
    if (c == '{' || c == '[') {
        const char *q = skip_value(p, end);
        if (q == NULL) {
            fmt_format_error(d, err, "unterminated JSON %s", c == '{' ? "object" : "array");
            return NULL;
        }
        bool ok;
        const char *src = c == '{' ? "OBJECT" : "ARRAY";
        if (tid == TYPE_STRING || tid == TYPE_JSON)
            fmt_store_bytes(out, row, col, p, (size_t)(q - p)), ok = true;
        else if (tid == TYPE_ARRAY || tid == TYPE_MAP || tid == TYPE_STRUCT)
            ok = fmt_store_json_value(d, out, row, col, p, (size_t)(q - p), src, err);
        else {
            const char *reason =
                arena_printf(d->scratch, "Cannot cast %s to %s", src, fmt_type_name(d, v->type));
            ok = fmt_schema_error(d, err, col, reason, p, (size_t)(q - p));
        }
        return ok ? q : NULL;
    }
    if (c == 't' && end - p >= 4 && memcmp(p, "true", 4) == 0)
        return fmt_store_bool(d, out, row, col, true, err) ? p + 4 : NULL;
    if (c == 'f' && end - p >= 5 && memcmp(p, "false", 5) == 0)
        return fmt_store_bool(d, out, row, col, false, err) ? p + 5 : NULL;
    if (c == 'n' && end - p >= 4 && memcmp(p, "null", 4) == 0)
        return fmt_store_null(d, out, row, col, false, err) ? p + 4 : NULL;
    fmt_format_error(d, err, "invalid JSON value");
    return NULL;
}

static bool json_decode(FormatDecoder *d, const char *data, size_t len, Batch *out, int row,
                        FormatError *err)
{
    JsonDecoder *j = d->impl;
    const char *p = data, *end = data + len;
    arena_reset(d->scratch);
    fmt_begin_record(d);
    p = skip_ws(p, end);
    if (p >= end || *p != '{')
        return fmt_format_error(d, err, "record is not a JSON object");
    p = skip_ws(p + 1, end);
    int guess = 0; /* the column after the previously matched one */
    if (p < end && *p == '}') {
        p++;
        goto done;
    }
    for (;;) {
        if (p >= end || *p != '"')
            return fmt_format_error(d, err, "expected a field name at offset %d", (int)(p - data));
        const char *key;
        size_t klen;
        p = scan_string(p, end, &j->unesc, &key, &klen);
        if (p == NULL)
            return fmt_format_error(d, err, "invalid field name");
        p = skip_ws(p, end);
        if (p >= end || *p != ':')
            return fmt_format_error(d, err, "expected ':' at offset %d", (int)(p - data));
        p = skip_ws(p + 1, end);
        if (p >= end)
            return fmt_format_error(d, err, "unexpected end of record");
        int col = -1;
        if (guess < d->ncols && !d->skip[guess] && d->name_len[guess] == klen &&
            memcmp(d->t->columns[guess].name, key, klen) == 0)
            col = guess;
        if (col < 0)
            col = fmt_column_lookup(d, key, klen);
        if (col < 0) {
            p = skip_value(p, end);
            if (p == NULL)
                return fmt_format_error(d, err, "invalid JSON value");
        } else {
            p = decode_value(d, j, col, p, end, out, row, err);
            if (p == NULL)
                return false;
            fmt_mark_seen(d, col);
            guess = col + 1;
        }
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p < end && *p == '}') {
            p++;
            break;
        }
        return fmt_format_error(d, err, "expected ',' or '}' at offset %d", (int)(p - data));
    }
done:
    p = skip_ws(p, end);
    if (p != end)
        return fmt_format_error(d, err, "unexpected data after the JSON object at offset %d",
                                (int)(p - data));
    return fmt_finish_missing(d, out, row, err);
}

void fmt_json_decoder_init(FormatDecoder *d, const ResolvedOptions *opts)
{
    (void)opts;
    JsonDecoder *j = arena_new(d->arena, JsonDecoder);
    strbuf_init(&j->unesc, d->arena);
    strbuf_init(&j->numbuf, d->arena);
    d->impl = j;
    d->decode = json_decode;
}

/* ---- encoder ---- */

static void append_int(StrBuf *out, int64 x)
{
    char buf[24];
    int n = 0;
    uint64 u = x < 0 ? (uint64)0 - (uint64)x : (uint64)x;
    do {
        buf[sizeof buf - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (x < 0)
        buf[sizeof buf - 1 - n++] = '-';
    strbuf_append(out, buf + sizeof buf - n, (size_t)n);
}

/*
 * A double in fixed notation when a decimal of at most 6 fraction digits reads back as exactly
 * x (checked by one correctly rounded division), which for 1e-4 <= |x| < 1e15 is the shortest
 * form PostgreSQL's float8out prints too; false sends the caller to value_format_json.
 */
static bool append_double_fast(StrBuf *out, double x)
{
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
    double ax = fabs(x);
    if (!(ax >= 1e-4 && ax < 1e15))
        return false;
    for (int k = 0; k <= 6; k++) {
        double y = x * p10[k];
        if (fabs(y) >= 9007199254740992.0)
            return false;
        int64 m = (int64)llrint(y);
        if ((double)m / p10[k] != x)
            continue;
        char buf[40];
        int n = 0;
        uint64 u = m < 0 ? (uint64)0 - (uint64)m : (uint64)m;
        for (int i = 0; i < k; i++) {
            buf[sizeof buf - 1 - n++] = (char)('0' + u % 10);
            u /= 10;
        }
        if (k > 0)
            buf[sizeof buf - 1 - n++] = '.';
        do {
            buf[sizeof buf - 1 - n++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (m < 0)
            buf[sizeof buf - 1 - n++] = '-';
        strbuf_append(out, buf + sizeof buf - n, (size_t)n);
        return true;
    }
    return false;
}

/* "2024-01-01T14:30:00[.fraction]" for years 1..9999, as datetime_format_timestamp_iso writes
 * a TIMESTAMP; false for other years (the caller falls back). */
static bool append_timestamp_fast(StrBuf *out, int64 us)
{
    static const int64 lo = INT64_C(-62135596800000000), hi = INT64_C(253402300800000000);
    if (us < lo || us >= hi)
        return false;
    int64 days = us >= 0 ? us / USECS_PER_DAY : -((-us + USECS_PER_DAY - 1) / USECS_PER_DAY);
    int64 tod = us - days * USECS_PER_DAY;
    int64 year;
    int month, day;
    date_to_ymd(days, &year, &month, &day);
    int sec = (int)(tod / USECS_PER_SEC), frac = (int)(tod % USECS_PER_SEC);
    char b[32] = {'"',
                  (char)('0' + year / 1000),
                  (char)('0' + year / 100 % 10),
                  (char)('0' + year / 10 % 10),
                  (char)('0' + year % 10),
                  '-',
                  (char)('0' + month / 10),
                  (char)('0' + month % 10),
                  '-',
                  (char)('0' + day / 10),
                  (char)('0' + day % 10),
                  'T',
                  (char)('0' + sec / 36000),
                  (char)('0' + sec / 3600 % 10),
                  ':',
                  (char)('0' + sec / 60 % 60 / 10),
                  (char)('0' + sec / 60 % 10),
                  ':',
                  (char)('0' + sec % 60 / 10),
                  (char)('0' + sec % 10)};
    int n = 20;
    if (frac) {
        b[n++] = '.';
        for (int div = 100000; div > 0 && frac; div /= 10) {
            b[n++] = (char)('0' + frac / div);
            frac %= div;
        }
    }
    b[n++] = '"';
    strbuf_append(out, b, (size_t)n);
    return true;
}

static void json_encode(FormatEncoder *e, const Batch *b, int row, StrBuf *out)
{
    strbuf_append_char(out, '{');
    for (int c = 0; c < e->ncols; c++) {
        const Vector *v = &b->cols[c];
        if (c)
            strbuf_append_char(out, ',');
        strbuf_append_str(out, e->quoted_names[c]);
        if (!vector_is_valid(v, row)) {
            strbuf_append(out, "null", 4);
            continue;
        }
        switch (v->type->id) {
        case TYPE_INT8:
            append_int(out, ((const int8 *)v->data)[row]);
            break;
        case TYPE_INT16:
            append_int(out, ((const int16 *)v->data)[row]);
            break;
        case TYPE_INT32:
            append_int(out, ((const int32 *)v->data)[row]);
            break;
        case TYPE_INT64:
            append_int(out, ((const int64 *)v->data)[row]);
            break;
        case TYPE_STRING: {
            const StrView *s = &((const StrView *)v->data)[row];
            fmt_json_escape(out, s->ptr, s->len);
            break;
        }
        case TYPE_JSON: {
            const StrView *s = &((const StrView *)v->data)[row];
            strbuf_append(out, s->ptr, s->len);
            break;
        }
        case TYPE_FLOAT64:
            if (!append_double_fast(out, ((const double *)v->data)[row]))
                value_format_json(v, row, out);
            break;
        case TYPE_TIMESTAMP:
            if (e->ts_format != TS_ISO ||
                !append_timestamp_fast(out, ((const int64 *)v->data)[row]))
                fmt_format_timestamp(e->ts_format, ((const int64 *)v->data)[row], false, true, out);
            break;
        case TYPE_TIMESTAMPTZ:
            fmt_format_timestamp(e->ts_format, ((const int64 *)v->data)[row], true, true, out);
            break;
        default:
            value_format_json(v, row, out);
        }
    }
    strbuf_append_char(out, '}');
}

void fmt_json_encoder_init(FormatEncoder *e, const ResolvedOptions *opts)
{
    (void)opts;
    e->quoted_names = arena_alloc(e->arena, sizeof(char *) * (size_t)(e->ncols + 1));
    StrBuf sb;
    strbuf_init(&sb, e->arena);
    for (int c = 0; c < e->ncols; c++) {
        strbuf_reset(&sb);
        fmt_json_escape(&sb, e->t->columns[c].name, strlen(e->t->columns[c].name));
        strbuf_append_char(&sb, ':');
        e->quoted_names[c] = arena_strdup(e->arena, sb.data);
    }
    e->encode = json_encode;
}

/* ---- schema inference ---- */

typedef enum InferKind {
    IK_NONE = 0,
    IK_BOOL,
    IK_INT,
    IK_DOUBLE,
    IK_TS,
    IK_STRING,
    IK_JSON
} InferKind;

typedef struct InferField {
    char *name;
    InferKind kind;
    int present; /* records with a non-null value */
    bool null_seen;
    int nsamples;
    char *samples[3];
} InferField;

static InferKind merge_kind(InferKind a, InferKind b)
{
    if (a == IK_NONE)
        return b;
    if (b == IK_NONE || a == b)
        return a;
    if ((a == IK_INT && b == IK_DOUBLE) || (a == IK_DOUBLE && b == IK_INT))
        return IK_DOUBLE;
    if (a == IK_JSON || b == IK_JSON)
        return IK_JSON;
    return IK_STRING;
}

void format_infer_json(Arena *a, const char *const *records, const size_t *lens, int n,
                       StrBuf *schema_json_out)
{
    int nf = 0, cap = 16;
    InferField *fields = arena_alloc0(a, sizeof(InferField) * (size_t)cap);
    JsonDecoder j;
    strbuf_init(&j.unesc, a);
    strbuf_init(&j.numbuf, a);
    int nobjects = 0;
    for (int r = 0; r < n; r++) {
        const char *p = records[r], *end = records[r] + lens[r];
        p = skip_ws(p, end);
        if (p >= end || *p != '{')
            continue;
        nobjects++;
        p = skip_ws(p + 1, end);
        while (p < end && *p == '"') {
            const char *key;
            size_t klen;
            p = scan_string(p, end, &j.unesc, &key, &klen);
            if (p == NULL)
                break;
            p = skip_ws(p, end);
            if (p >= end || *p != ':')
                break;
            p = skip_ws(p + 1, end);
            const char *vs = p;
            p = skip_value(p, end);
            if (p == NULL)
                break;
            size_t vlen = (size_t)(p - vs);
            int f;
            for (f = 0; f < nf; f++)
                if (strlen(fields[f].name) == klen && memcmp(fields[f].name, key, klen) == 0)
                    break;
            if (f == nf) {
                if (nf == cap) {
                    fields = arena_realloc(a, fields, sizeof(InferField) * (size_t)cap,
                                           sizeof(InferField) * (size_t)cap * 2);
                    memset(fields + cap, 0, sizeof(InferField) * (size_t)cap);
                    cap *= 2;
                }
                fields[nf].name = arena_strndup(a, key, klen);
                nf++;
            }
            InferField *fld = &fields[f];
            InferKind k;
            if (*vs == 'n')
                k = IK_NONE;
            else if (*vs == 't' || *vs == 'f')
                k = IK_BOOL;
            else if (*vs == '{' || *vs == '[')
                k = IK_JSON;
            else if (*vs == '"') {
                const char *s;
                size_t sl;
                int64 ts;
                k = scan_string(vs, end, &j.unesc, &s, &sl) && sl >= 19 &&
                            fmt_parse_iso_timestamp(s, sl, &ts)
                        ? IK_TS
                        : IK_STRING;
            } else {
                bool is_int;
                int64 iv;
                double dv;
                k = scan_number(&j, vs, end, &is_int, &iv, &dv) ? (is_int ? IK_INT : IK_DOUBLE)
                                                                : IK_STRING;
            }
            if (k == IK_NONE)
                fld->null_seen = true;
            else {
                fld->present++;
                fld->kind = merge_kind(fld->kind, k);
            }
            if (fld->nsamples < 3)
                fld->samples[fld->nsamples++] = arena_strndup(a, vs, vlen);
            p = skip_ws(p, end);
            if (p < end && *p == ',')
                p = skip_ws(p + 1, end);
        }
    }
    static const char *const names[] = {"STRING",    "BOOLEAN", "BIGINT", "DOUBLE",
                                        "TIMESTAMP", "STRING",  "JSON"};
    strbuf_append_str(schema_json_out, "{\"fields\":[");
    for (int f = 0; f < nf; f++) {
        InferField *fld = &fields[f];
        if (f)
            strbuf_append_char(schema_json_out, ',');
        strbuf_append_str(schema_json_out, "{\"name\":");
        fmt_json_escape(schema_json_out, fld->name, strlen(fld->name));
        strbuf_printf(schema_json_out, ",\"data_type\":\"%s\",\"nullable\":%s,\"sample_values\":[",
                      names[fld->kind],
                      fld->null_seen || fld->present < nobjects ? "true" : "false");
        for (int s = 0; s < fld->nsamples; s++) {
            if (s)
                strbuf_append_char(schema_json_out, ',');
            strbuf_append_str(schema_json_out, fld->samples[s]);
        }
        strbuf_append_str(schema_json_out, "]}");
    }
    strbuf_append_str(schema_json_out, "]}");
}
