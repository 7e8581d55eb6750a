/*
 * value_io.c: one vector value in PostgreSQL's text and binary formats.
 *
 * Text output is exactly what PostgreSQL 15 prints (DateStyle ISO, MDY;
 * IntervalStyle postgres; TimeZone the thread's session zone, common/timezone.h;
 * extra_float_digits 1, i.e. shortest round-trip floats).  Binary is what the types' send/recv functions use.
 * value_format_text runs once per value for every row sent to a client, so it
 * appends straight into the StrBuf and never allocates: integers, dates and
 * decimals are converted by hand; only floats go through snprintf/strtod to
 * find the shortest digits that read back exactly.
 *
 * Nested values: ARRAY uses PostgreSQL's array formats ({1,2,NULL},
 * {{1,2},{3,4}} for ARRAY<ARRAY<T>>, binary ndim/flags/elemtype/dims);
 * MAP and STRUCT travel as json (MAP as {"key":value}, STRUCT as
 * {"field":value}), and their text input is parsed with the small JSON
 * reader in this file (value_parse_json), which decodes straight into the
 * child vectors.  The same reader validates input for the JSON type, so no
 * per-value allocation happens there either.
 *
 * Temporal text forms live in datetime.c, DECIMAL in numeric.c.
 */
#include "common/vector.h"
#include "common/datetime.h"
#include "common/error.h"
#include "common/numeric.h"
#include "common/reg_names.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void format_text(const Vector *v, int row, StrBuf *out);
static void format_json(const Vector *v, int row, StrBuf *out);

/* ------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------ */

static inline void append_u64(StrBuf *out, uint64 u)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    strbuf_reserve(out, (size_t)n);
    char *p = out->data + out->len;
    while (n)
        *p++ = tmp[--n];
    out->len = (size_t)(p - out->data);
    out->data[out->len] = '\0';
}

static inline void append_i64(StrBuf *out, int64 v)
{
    if (v < 0) {
        strbuf_append_char(out, '-');
        append_u64(out, (uint64)0 - (uint64)v);
    } else
        append_u64(out, (uint64)v);
}

static inline uint16 rd_be16(const char *p)
{
    return (uint16)(((uint16)(uint8)p[0] << 8) | (uint8)p[1]);
}
static inline uint32 rd_be32(const char *p)
{
    return ((uint32)(uint8)p[0] << 24) | ((uint32)(uint8)p[1] << 16) | ((uint32)(uint8)p[2] << 8) |
           (uint8)p[3];
}
static inline uint64 rd_be64(const char *p)
{
    return ((uint64)rd_be32(p) << 32) | rd_be32(p + 4);
}

static const char *type_display_name(const LmType *t)
{
    switch (t->id) {
    case TYPE_BOOL: return "boolean";
    case TYPE_INT8: return "tinyint";
    case TYPE_INT16: return "smallint";
    case TYPE_INT32: return "integer";
    case TYPE_INT64: return "bigint";
    case TYPE_FLOAT32: return "real";
    case TYPE_FLOAT64: return "double precision";
    case TYPE_OID: return "oid";
    case TYPE_JSON: return t->pg_oid == JSONBOID ? "jsonb" : "json";
    case TYPE_BINARY: return "bytea";
    case TYPE_DECIMAL: return "numeric";
    default: return "text";
    }
}

LM_NORETURN static void bad_binary(const LmType *t)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
            errmsg("incorrect binary data format for type %s", type_display_name(t)));
}

static inline bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* ------------------------------------------------------------------------
 * Booleans and integers
 * ------------------------------------------------------------------------ */

static bool parse_bool(const char *s, size_t len, bool *out)
{
    while (len && is_blank(*s))
        s++, len--;
    while (len && is_blank(s[len - 1]))
        len--;
    if (len == 0)
        return false;
    switch (s[0]) {
    case 't': case 'T':
        if (len <= 4 && strncasecmp(s, "true", len) == 0) { *out = true; return true; }
        break;
    case 'f': case 'F':
        if (len <= 5 && strncasecmp(s, "false", len) == 0) { *out = false; return true; }
        break;
    case 'y': case 'Y':
        if (len <= 3 && strncasecmp(s, "yes", len) == 0) { *out = true; return true; }
        break;
    case 'n': case 'N':
        if (len <= 2 && strncasecmp(s, "no", len) == 0) { *out = false; return true; }
        break;
    case 'o': case 'O':
        if (len >= 2 && len <= 2 && strncasecmp(s, "on", len) == 0) { *out = true; return true; }
        if (len >= 2 && len <= 3 && strncasecmp(s, "off", len) == 0) { *out = false; return true; }
        break;
    case '1':
        if (len == 1) { *out = true; return true; }
        break;
    case '0':
        if (len == 1) { *out = false; return true; }
        break;
    }
    return false;
}

/* Parses a decimal integer in [min, max]; PostgreSQL's pg_strtoint* errors. */
static int64 parse_int(const char *s, size_t len, int64 min, int64 max, const char *tname)
{
    size_t i = 0;
    while (i < len && is_blank(s[i]))
        i++;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    size_t start = i;
    uint64 acc = 0;
    bool overflow = false;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        uint64 d = (uint64)(s[i] - '0');
        if (acc > (UINT64_MAX - d) / 10)
            overflow = true;
        else
            acc = acc * 10 + d;
        i++;
    }
    size_t ndig = i - start;
    while (i < len && is_blank(s[i]))
        i++;
    if (ndig == 0 || i != len)
        ereport(ERROR, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                errmsg("invalid input syntax for type %s: \"%.*s\"", tname, (int)len, s));
    if (!overflow) {
        if (neg) {
            if (acc <= (uint64)0 - (uint64)min)
                return (int64)((uint64)0 - acc);
        } else if (acc <= (uint64)max)
            return (int64)acc;
    }
    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
            errmsg("value \"%.*s\" is out of range for type %s", (int)len, s, tname));
}

/* ------------------------------------------------------------------------
 * Floats: shortest digits that read back exactly, in PostgreSQL's layout
 * (fixed notation for decimal exponents -4..14 for double, -4..5 for real,
 * otherwise d.ddde+XX).
 * ------------------------------------------------------------------------ */

/*
 * Whether the decimal string cand is exactly halfway between x and a
 * neighbour.  PostgreSQL's Ryu runs with acceptBounds off, so such a string
 * (which strtod would round to x by round-half-even) is never printed: 6e10
 * as real prints as 6.0000002e+10.  A tie is first detected cheaply (the
 * midpoint is exact in long double, and strtold is correctly rounded, so an
 * exact tie parses to the midpoint) and then confirmed digit by digit.
 */
static bool is_exact_midpoint(const char *cand, double x, bool is_float4)
{
    /*
     * A midpoint M*2^k (M odd, 54 bits for double, 25 for real) with k < 0
     * has exactly as many significant decimal digits as M*5^-k, which is
     * more than a 17-digit (9-digit) candidate can hold once k < -1 (k < -2).
     * So only large magnitudes can produce ties; skip the work otherwise.
     */
    if (fabs(x) < (is_float4 ? 4194304.0 : 2251799813685248.0)) /* 2^22, 2^51 */
        return false;
    long double lo, hi, c = strtold(cand, NULL);
    if (is_float4) {
        float fx = (float)x;
        lo = ((long double)fx + (long double)nextafterf(fx, -INFINITY)) / 2;
        hi = ((long double)fx + (long double)nextafterf(fx, INFINITY)) / 2;
    } else {
        lo = ((long double)x + (long double)nextafter(x, -INFINITY)) / 2;
        hi = ((long double)x + (long double)nextafter(x, INFINITY)) / 2;
    }
    if (c != lo && c != hi)
        return false;
    /* compare significant digits and exponents of cand and the exact midpoint */
    char mbuf[64];
    snprintf(mbuf, sizeof(mbuf), "%.40Le", c);
    char d1[48], d2[48];
    int n1 = 0, n2 = 0, e1 = 0, e2 = 0;
    for (const char *p = cand; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && n1 < 47)
            d1[n1++] = *p;
    for (const char *p = mbuf; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && n2 < 47)
            d2[n2++] = *p;
    const char *ep = strchr(cand, 'e');
    e1 = ep ? atoi(ep + 1) : 0;
    ep = strchr(mbuf, 'e');
    e2 = ep ? atoi(ep + 1) : 0;
    while (n1 > 1 && d1[n1 - 1] == '0')
        n1--;
    while (n2 > 1 && d2[n2 - 1] == '0')
        n2--;
    return n1 == n2 && e1 == e2 && memcmp(d1, d2, (size_t)n1) == 0;
}

static void format_float(double x, bool is_float4, StrBuf *out)
{
    if (isnan(x)) {
        strbuf_append_str(out, "NaN");
        return;
    }
    if (isinf(x)) {
        strbuf_append_str(out, x < 0 ? "-Infinity" : "Infinity");
        return;
    }
    if (x == 0) {
        strbuf_append_str(out, signbit(x) ? "-0" : "0");
        return;
    }
    char buf[48];
    /*
     * For normal numbers every decimal of up to DBL_DIG (FLT_DIG) digits maps
     * to a distinct value, so the correctly rounded 15-digit (6-digit) string
     * with its trailing zeros dropped is already the shortest one when it
     * reads back.  Subnormals have fewer significant bits: search from 1.
     */
    int lo = is_float4 ? 6 : 15, hi = is_float4 ? 9 : 17;
    if (is_float4 ? fabsf((float)x) < FLT_MIN : fabs(x) < DBL_MIN)
        lo = 1;
    for (int prec = lo; prec <= hi; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, x);
        if (prec == hi)
            break;
        if ((is_float4 ? strtof(buf, NULL) == (float)x : strtod(buf, NULL) == x) &&
            !is_exact_midpoint(buf, x, is_float4))
            break;
    }
    /* buf: [-]d.ddde[+-]XX */
    const char *p = buf;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    char digits[24];
    int nd = 0;
    while (*p && *p != 'e') {
        if (*p != '.')
            digits[nd++] = *p;
        p++;
    }
    int exp = *p == 'e' ? atoi(p + 1) : 0;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    strbuf_reserve(out, 32);
    char *o = out->data + out->len;
    if (neg)
        *o++ = '-';
    if (exp >= -4 && exp < (is_float4 ? 6 : 15)) {
        if (exp >= 0) {
            for (int i = 0; i <= exp; i++)
                *o++ = i < nd ? digits[i] : '0';
            if (nd > exp + 1) {
                *o++ = '.';
                for (int i = exp + 1; i < nd; i++)
                    *o++ = digits[i];
            }
        } else {
            *o++ = '0';
            *o++ = '.';
            for (int i = 0; i < -exp - 1; i++)
                *o++ = '0';
            for (int i = 0; i < nd; i++)
                *o++ = digits[i];
        }
    } else {
        *o++ = digits[0];
        if (nd > 1) {
            *o++ = '.';
            for (int i = 1; i < nd; i++)
                *o++ = digits[i];
        }
        *o++ = 'e';
        *o++ = exp < 0 ? '-' : '+';
        int ae = exp < 0 ? -exp : exp;
        if (ae >= 100)
            *o++ = (char)('0' + ae / 100);
        *o++ = (char)('0' + ae / 10 % 10);
        *o++ = (char)('0' + ae % 10);
    }
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
}

static double parse_float(const char *s, size_t len, bool is_float4, Arena *a)
{
    const char *tname = is_float4 ? "real" : "double precision";
    char stackbuf[128];
    char *buf = len < sizeof(stackbuf) ? stackbuf : arena_alloc(a, len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *p = buf;
    while (is_blank(*p))
        p++;
    if (*p == '\0')
        goto syntax;
    char *end;
    errno = 0;
    double val;
    float fval = 0;
    if (is_float4) {
        fval = strtof(p, &end);
        val = fval;
    } else
        val = strtod(p, &end);
    if (end == p)
        goto syntax;
    if (errno == ERANGE) {
        /* PostgreSQL rejects overflow and underflow to zero, keeps denormals */
        if (val == 0.0 || isinf(val))
            ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                    errmsg("\"%.*s\" is out of range for type %s", (int)len, s, tname));
    }
    /* strtod takes hex floats and "nan(...)"; PostgreSQL does too via strtod */
    while (is_blank(*end))
        end++;
    if (*end != '\0')
        goto syntax;
    return val;
syntax:
    ereport(ERROR, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
            errmsg("invalid input syntax for type %s: \"%.*s\"", tname, (int)len, s));
}

/* ------------------------------------------------------------------------
 * bytea
 * ------------------------------------------------------------------------ */

static void format_bytea(const StrView *sv, StrBuf *out)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_reserve(out, 2 + (size_t)sv->len * 2);
    char *o = out->data + out->len;
    *o++ = '\\';
    *o++ = 'x';
    const uint8 *b = (const uint8 *)sv->ptr;
    for (uint32 i = 0; i < sv->len; i++) {
        *o++ = hex[b[i] >> 4];
        *o++ = hex[b[i] & 15];
    }
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* PostgreSQL byteain: hex ("\x4869") or escape format. */
static StrView parse_bytea(const char *s, size_t len, Arena *a)
{
    StrView sv = {0, 0, ""};
    if (len >= 2 && s[0] == '\\' && s[1] == 'x') {
        char *dst = arena_alloc(a, (len - 2) / 2 + 1);
        size_t n = 0;
        for (size_t i = 2; i < len;) {
            if (is_blank(s[i])) {
                i++;
                continue;
            }
            int hi = hex_value(s[i]);
            if (hi < 0)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("invalid hexadecimal digit: \"%c\"", s[i]));
            if (i + 1 >= len)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("invalid hexadecimal data: odd number of digits"));
            int lo = hex_value(s[i + 1]);
            if (lo < 0)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("invalid hexadecimal digit: \"%c\"", s[i + 1]));
            dst[n++] = (char)(hi << 4 | lo);
            i += 2;
        }
        sv.ptr = dst;
        sv.len = (uint32)n;
        return sv;
    }
    char *dst = arena_alloc(a, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] != '\\') {
            dst[n++] = s[i++];
            continue;
        }
        if (i + 1 < len && s[i + 1] == '\\') {
            dst[n++] = '\\';
            i += 2;
        } else if (i + 3 < len + 0 && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
                   s[i + 3] >= '0' && s[i + 3] <= '7') {
            dst[n++] = (char)(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
            i += 4;
        } else
            ereport(ERROR, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                    errmsg("invalid input syntax for type bytea"));
    }
    sv.ptr = dst;
    sv.len = (uint32)n;
    return sv;
}

/* ------------------------------------------------------------------------
 * Strings
 * ------------------------------------------------------------------------ */

static void store_string(Vector *v, Arena *a, int row, const char *s, size_t len)
{
    const LmType *t = v->type;
    if (t->id == TYPE_STRING && t->precision > 0 && len > (size_t)t->precision) {
        /* count characters (UTF-8) and find where character n ends */
        size_t chars = 0, cut = len;
        for (size_t i = 0; i < len; i++)
            if (((uint8)s[i] & 0xC0) != 0x80) {
                if (chars == (size_t)t->precision) {
                    cut = i;
                    break;
                }
                chars++;
            }
        if (cut < len) {
            for (size_t i = cut; i < len; i++)
                if (s[i] != ' ')
                    ereport(ERROR, errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
                            errmsg("value too long for type character varying(%d)", t->precision));
            len = cut; /* PostgreSQL silently drops excess trailing blanks */
        }
    }
    StrView *sv = &((StrView *)v->data)[row];
    sv->len = (uint32)len;
    sv->reserved = 0;
    sv->ptr = len ? arena_memdup(a, s, len) : "";
}

/* ------------------------------------------------------------------------
 * JSON: escaping, validation and decoding into vectors
 * ------------------------------------------------------------------------ */

static void json_escape(StrBuf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_reserve(out, len + 2);
    strbuf_append_char(out, '"');
    size_t run = 0; /* start of the pending unescaped run */
    for (size_t i = 0; i < len; i++) {
        uint8 c = (uint8)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        strbuf_append(out, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': strbuf_append(out, "\\\"", 2); break;
        case '\\': strbuf_append(out, "\\\\", 2); break;
        case '\b': strbuf_append(out, "\\b", 2); break;
        case '\f': strbuf_append(out, "\\f", 2); break;
        case '\n': strbuf_append(out, "\\n", 2); break;
        case '\r': strbuf_append(out, "\\r", 2); break;
        case '\t': strbuf_append(out, "\\t", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            strbuf_append(out, u, 6);
        }
        }
    }
    strbuf_append(out, s + run, len - run);
    strbuf_append_char(out, '"');
}

typedef struct JsonIn {
    const char *s;
    size_t len;
    size_t i;
    Arena *arena;
} JsonIn;

/* PostgreSQL's report_json_context: the line up to the end of the token where parsing
 * stopped, its last 49 characters when it is longer, "..." marking what is cut off; details
 * name the token ("Token "x" is invalid.", "Expected ":", but found "1"."). */
LM_NORETURN static void json_error(const JsonIn *j, const char *detail)
{
    /* the token where parsing stopped, as PostgreSQL's lexer cuts it */
    size_t tok = j->i < j->len ? j->i : j->len, end = tok;
    if (end < j->len) {
        char c = j->s[end];
        if (strchr("{}[],:", c))
            end++;
        else if (c == '"') {
            for (end++; end < j->len && j->s[end] != '"'; end++)
                if (j->s[end] == '\\' && end + 1 < j->len)
                    end++;
            if (end < j->len)
                end++;
        } else
            while (end < j->len && (isalnum((unsigned char)j->s[end]) || j->s[end] == '_' ||
                                    j->s[end] == '+' || j->s[end] == '-' || j->s[end] == '.' ||
                                    (unsigned char)j->s[end] >= 0x80))
                end++;
    }
    char buf[160];
    if (strcmp(detail, "Token is invalid.") == 0 && end > tok) {
        snprintf(buf, sizeof buf, "Token \"%.*s\" is invalid.", (int)LM_MIN(end - tok, 100),
                 j->s + tok);
        detail = buf;
    } else if (strncmp(detail, "Expected", 8) == 0) {
        if (end == tok)
            detail = "The input string ended unexpectedly.";
        else {
            snprintf(buf, sizeof buf, "%.*s, but found \"%.*s\".", (int)strlen(detail) - 1, detail,
                     (int)LM_MIN(end - tok, 100), j->s + tok);
            detail = buf;
        }
    }
    size_t line_start = 0;
    int line = 1;
    for (size_t k = 0; k < end; k++)
        if (j->s[k] == '\n') {
            line++;
            line_start = k + 1;
        }
    size_t start = line_start;
    const char *prefix = "";
    if (end - line_start >= 50) {
        start = end - 49;
        while (start < end && ((unsigned char)j->s[start] & 0xC0) == 0x80)
            start++; /* not in the middle of a UTF-8 character */
        prefix = "...";
    }
    const char *suffix = end < j->len && j->s[end] != '\n' && j->s[end] != '\r' ? "..." : "";
    ereport(ERROR, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), errmsg("invalid input syntax for type json"),
            errdetail("%s", detail),
            errcontext_msg("JSON data, line %d: %s%.*s%s", line, prefix, (int)(end - start),
                           j->s + start, suffix));
}

static void json_ws(JsonIn *j)
{
    while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' || j->s[j->i] == '\r'))
        j->i++;
}

/* Validates a string starting at the opening quote; leaves i after the closing one. */
static void json_skip_string(JsonIn *j)
{
    j->i++;
    while (j->i < j->len) {
        uint8 c = (uint8)j->s[j->i];
        if (c == '"') {
            j->i++;
            return;
        }
        if (c < 0x20)
            json_error(j, "Character with value below 0x20 must be escaped.");
        if (c == '\\') {
            if (j->i + 1 >= j->len)
                break;
            char e = j->s[j->i + 1];
            if (e == 'u') {
                if (j->i + 6 > j->len)
                    json_error(j, "\"\\u\" must be followed by four hexadecimal digits.");
                for (int k = 2; k < 6; k++)
                    if (hex_value(j->s[j->i + k]) < 0)
                        json_error(j, "\"\\u\" must be followed by four hexadecimal digits.");
                j->i += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == '\0')
                json_error(j, "Escape sequence is invalid.");
            j->i += 2;
            continue;
        }
        j->i++;
    }
    json_error(j, "The input string ended unexpectedly.");
}

static void json_skip_number(JsonIn *j)
{
    const char *s = j->s;
    size_t i = j->i;
    if (i < j->len && s[i] == '-')
        i++;
    if (i < j->len && s[i] == '0')
        i++;
    else if (i < j->len && s[i] >= '1' && s[i] <= '9')
        while (i < j->len && isdigit((unsigned char)s[i]))
            i++;
    else
        json_error(j, "Token is invalid.");
    if (i < j->len && s[i] == '.') {
        i++;
        if (!(i < j->len && isdigit((unsigned char)s[i])))
            json_error(j, "Token is invalid.");
        while (i < j->len && isdigit((unsigned char)s[i]))
            i++;
    }
    if (i < j->len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < j->len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (!(i < j->len && isdigit((unsigned char)s[i])))
            json_error(j, "Token is invalid.");
        while (i < j->len && isdigit((unsigned char)s[i]))
            i++;
    }
    /* a number must not run into letters: 1x, 01 */
    if (i < j->len && (isalnum((unsigned char)s[i]) || s[i] == '.' || s[i] == '_'))
        json_error(j, "Token is invalid.");
    j->i = i;
}

static void json_skip_literal(JsonIn *j, const char *lit)
{
    size_t n = strlen(lit);
    if (j->i + n > j->len || memcmp(j->s + j->i, lit, n) != 0)
        json_error(j, "Token is invalid.");
    j->i += n;
    if (j->i < j->len && (isalnum((unsigned char)j->s[j->i]) || j->s[j->i] == '_'))
        json_error(j, "Token is invalid.");
}

#define JSON_MAX_DEPTH 6400

/* Validates one value (any nesting) without recursion; leaves i after it. */
static void json_skip_value(JsonIn *j)
{
    /* bit stack of open containers: 1 = object, 0 = array */
    uint64 stack[JSON_MAX_DEPTH / 64];
    int depth = 0;
    json_ws(j);
    for (;;) {
        if (j->i >= j->len)
            json_error(j, "The input string ended unexpectedly.");
        char c = j->s[j->i];
        /* a value */
        if (c == '{' || c == '[') {
            if (depth >= JSON_MAX_DEPTH)
                json_error(j, "JSON nesting is too deep.");
            bool obj = c == '{';
            if (obj)
                stack[depth >> 6] |= UINT64_C(1) << (depth & 63);
            else
                stack[depth >> 6] &= ~(UINT64_C(1) << (depth & 63));
            depth++;
            j->i++;
            json_ws(j);
            if (j->i < j->len && j->s[j->i] == (obj ? '}' : ']')) {
                j->i++;
                depth--;
                goto after_value;
            }
            if (obj) {
                if (j->i >= j->len || j->s[j->i] != '"')
                    json_error(j, "Expected string or \"}\".");
                json_skip_string(j);
                json_ws(j);
                if (j->i >= j->len || j->s[j->i] != ':')
                    json_error(j, "Expected \":\".");
                j->i++;
                json_ws(j);
            }
            continue;
        } else if (c == '"')
            json_skip_string(j);
        else if (c == '-' || (c >= '0' && c <= '9'))
            json_skip_number(j);
        else if (c == 't')
            json_skip_literal(j, "true");
        else if (c == 'f')
            json_skip_literal(j, "false");
        else if (c == 'n')
            json_skip_literal(j, "null");
        else
            json_error(j, "Token is invalid.");
    after_value:
        for (;;) {
            if (depth == 0)
                return;
            json_ws(j);
            if (j->i >= j->len)
                json_error(j, "The input string ended unexpectedly.");
            bool obj = (stack[(depth - 1) >> 6] >> ((depth - 1) & 63)) & 1;
            char d = j->s[j->i];
            if (d == ',') {
                j->i++;
                json_ws(j);
                if (obj) {
                    if (j->i >= j->len || j->s[j->i] != '"')
                        json_error(j, "Expected string.");
                    json_skip_string(j);
                    json_ws(j);
                    if (j->i >= j->len || j->s[j->i] != ':')
                        json_error(j, "Expected \":\".");
                    j->i++;
                    json_ws(j);
                }
                break; /* parse the next value */
            }
            if (d == (obj ? '}' : ']')) {
                j->i++;
                depth--;
                continue;
            }
            json_error(j, obj ? "Expected \",\" or \"}\"." : "Expected \",\" or \"]\".");
        }
    }
}

/* Validates a whole JSON text (PostgreSQL's json_in accepts any value at the top). */
static void json_validate(const char *s, size_t len)
{
    JsonIn j = {s, len, 0, NULL};
    json_skip_value(&j);
    json_ws(&j);
    if (j.i != len)
        json_error(&j, "Expected end of input.");
}

/*
 * jsonb text input: the canonical text jsonb keeps — object keys sorted as jsonb stores them
 * (shorter first, then bytewise) with the last of duplicate keys kept, and jsonb's spacing
 * ("a": 1, [1, 2]).  The input has been validated; strings and numbers are kept as written.
 * Recursion depth is bounded by json_validate's nesting limit.
 */
typedef struct JsonbMember {
    const char *key; /* quoted, as written */
    size_t klen;
    const char *val; /* canonical text */
    size_t vlen;
    int order;
} JsonbMember;

static int jsonb_member_cmp(const void *a, const void *b)
{
    const JsonbMember *x = a, *y = b;
    if (x->klen != y->klen)
        return x->klen < y->klen ? -1 : 1;
    int c = memcmp(x->key, y->key, x->klen);
    return c ? c : x->order - y->order;
}

static void jsonb_canon_value(JsonIn *j, StrBuf *out)
{
    json_ws(j);
    char c = j->s[j->i];
    if (c == '{') {
        j->i++;
        int n = 0, cap = 8;
        JsonbMember *m = arena_alloc(j->arena, sizeof(JsonbMember) * (size_t)cap);
        json_ws(j);
        while (j->s[j->i] != '}') {
            if (n == cap) {
                JsonbMember *nm = arena_alloc(j->arena, sizeof(JsonbMember) * (size_t)cap * 2);
                memcpy(nm, m, sizeof(JsonbMember) * (size_t)cap);
                m = nm;
                cap *= 2;
            }
            json_ws(j);
            size_t k0 = j->i;
            json_skip_string(j);
            m[n].key = j->s + k0;
            m[n].klen = j->i - k0;
            json_ws(j);
            j->i++; /* : */
            StrBuf vb;
            strbuf_init(&vb, j->arena);
            jsonb_canon_value(j, &vb);
            m[n].val = vb.data;
            m[n].vlen = vb.len;
            m[n].order = n;
            n++;
            json_ws(j);
            if (j->s[j->i] == ',')
                j->i++;
            json_ws(j);
        }
        j->i++;
        qsort(m, (size_t)n, sizeof(JsonbMember), jsonb_member_cmp);
        strbuf_append_char(out, '{');
        bool first = true;
        for (int k = 0; k < n; k++) {
            if (k + 1 < n && m[k + 1].klen == m[k].klen &&
                memcmp(m[k + 1].key, m[k].key, m[k].klen) == 0)
                continue; /* a later duplicate follows: the last one wins */
            if (!first)
                strbuf_append_str(out, ", ");
            first = false;
            strbuf_append(out, m[k].key, m[k].klen);
            strbuf_append_str(out, ": ");
            strbuf_append(out, m[k].val, m[k].vlen);
        }
        strbuf_append_char(out, '}');
        return;
    }
    if (c == '[') {
        j->i++;
        strbuf_append_char(out, '[');
        json_ws(j);
        bool first = true;
        while (j->s[j->i] != ']') {
            if (!first)
                strbuf_append_str(out, ", ");
            first = false;
            jsonb_canon_value(j, out);
            json_ws(j);
            if (j->s[j->i] == ',')
                j->i++;
            json_ws(j);
        }
        j->i++;
        strbuf_append_char(out, ']');
        return;
    }
    size_t v0 = j->i;
    if (c == '"')
        json_skip_string(j);
    else
        while (j->i < j->len && !strchr(",}] \t\n\r", j->s[j->i]))
            j->i++;
    strbuf_append(out, j->s + v0, j->i - v0);
}

static void jsonb_canonical(Arena *a, const char *s, size_t len, StrBuf *out)
{
    JsonIn j = {s, len, 0, a};
    strbuf_init(out, a);
    jsonb_canon_value(&j, out);
}

static void append_utf8(char *dst, size_t *n, uint32 cp)
{
    if (cp < 0x80)
        dst[(*n)++] = (char)cp;
    else if (cp < 0x800) {
        dst[(*n)++] = (char)(0xC0 | cp >> 6);
        dst[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        dst[(*n)++] = (char)(0xE0 | cp >> 12);
        dst[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        dst[(*n)++] = (char)(0xF0 | cp >> 18);
        dst[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        dst[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/*
 * Decodes the string at j->i (validated first).  Returns a pointer into the
 * input when there are no escapes, else into arena memory.
 */
static const char *json_read_string(JsonIn *j, size_t *out_len)
{
    size_t start = j->i;
    json_skip_string(j);
    const char *body = j->s + start + 1;
    size_t blen = j->i - start - 2;
    if (memchr(body, '\\', blen) == NULL) {
        *out_len = blen;
        return body;
    }
    char *dst = arena_alloc(j->arena, blen + 1);
    size_t n = 0;
    for (size_t i = 0; i < blen; i++) {
        if (body[i] != '\\') {
            dst[n++] = body[i];
            continue;
        }
        char e = body[++i];
        switch (e) {
        case 'b': dst[n++] = '\b'; break;
        case 'f': dst[n++] = '\f'; break;
        case 'n': dst[n++] = '\n'; break;
        case 'r': dst[n++] = '\r'; break;
        case 't': dst[n++] = '\t'; break;
        case 'u': {
            uint32 cp = 0;
            for (int k = 1; k <= 4; k++)
                cp = cp << 4 | (uint32)hex_value(body[i + k]);
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < blen + 0 + 1 && body[i + 1] == '\\' && body[i + 2] == 'u') {
                uint32 lo = 0;
                for (int k = 3; k <= 6; k++)
                    lo = lo << 4 | (uint32)hex_value(body[i + k]);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                } else
                    json_error(j, "Unicode low surrogate must follow a high surrogate.");
            } else if (cp >= 0xD800 && cp <= 0xDFFF)
                json_error(j, "Unicode low surrogate must follow a high surrogate.");
            if (cp == 0)
                ereport(ERROR, errcode("22P05"), errmsg("unsupported Unicode escape sequence"),
                        errdetail("\\u0000 cannot be converted to text."));
            append_utf8(dst, &n, cp);
            break;
        }
        default: dst[n++] = e; break; /* \" \\ \/ */
        }
    }
    *out_len = n;
    return dst;
}

static void parse_text_value(Vector *v, Arena *a, int row, const char *s, size_t len);

/* Decodes one JSON value at j->i into row `row` of v. */
static void json_read_into(Vector *v, int row, JsonIn *j)
{
    Arena *a = j->arena;
    json_ws(j);
    if (j->i >= j->len)
        json_error(j, "The input string ended unexpectedly.");
    char c = j->s[j->i];
    const LmType *t = v->type;
    if (c == 'n') {
        json_skip_literal(j, "null");
        vector_set_null(v, row);
        return;
    }
    switch (t->id) {
    case TYPE_JSON: {
        size_t start = j->i;
        json_skip_value(j);
        StrView *sv = &((StrView *)v->data)[row];
        sv->len = (uint32)(j->i - start);
        sv->reserved = 0;
        sv->ptr = arena_memdup(a, j->s + start, j->i - start);
        vector_set_valid(v, row);
        return;
    }
    case TYPE_ARRAY:
        if (c == '[') {
            Vector *child = &v->children[0];
            int off = v->child_count, n = 0;
            j->i++;
            json_ws(j);
            if (j->i < j->len && j->s[j->i] == ']')
                j->i++;
            else
                for (;;) {
                    vector_reserve_children(v, a, v->child_count + 1);
                    int idx = v->child_count++;
                    json_read_into(child, idx, j);
                    n++;
                    json_ws(j);
                    if (j->i < j->len && j->s[j->i] == ',') {
                        j->i++;
                        continue;
                    }
                    if (j->i < j->len && j->s[j->i] == ']') {
                        j->i++;
                        break;
                    }
                    json_error(j, "Expected \",\" or \"]\".");
                }
            ((ListEntry *)v->data)[row] = (ListEntry){(uint32)off, (uint32)n};
            vector_set_valid(v, row);
            return;
        }
        break;
    case TYPE_MAP:
    case TYPE_STRUCT:
        if (c == '{') {
            bool is_map = t->id == TYPE_MAP;
            int off = v->child_count, n = 0;
            uint64 seen_small = 0;
            uint64 *seen = &seen_small;
            if (!is_map && t->nfields > 64)
                seen = arena_alloc0(a, ((size_t)t->nfields + 63) / 64 * 8);
            j->i++;
            json_ws(j);
            if (j->i < j->len && j->s[j->i] == '}')
                j->i++;
            else
                for (;;) {
                    json_ws(j);
                    if (j->i >= j->len || j->s[j->i] != '"')
                        json_error(j, "Expected string.");
                    size_t klen;
                    const char *key = json_read_string(j, &klen);
                    json_ws(j);
                    if (j->i >= j->len || j->s[j->i] != ':')
                        json_error(j, "Expected \":\".");
                    j->i++;
                    if (is_map) {
                        vector_reserve_children(v, a, v->child_count + 1);
                        int idx = v->child_count++;
                        parse_text_value(&v->children[0], a, idx, key, klen);
                        json_read_into(&v->children[1], idx, j);
                        n++;
                    } else {
                        int f = -1;
                        for (int k = 0; k < t->nfields; k++)
                            if (strlen(t->fields[k].name) == klen && memcmp(t->fields[k].name, key, klen) == 0) {
                                f = k;
                                break;
                            }
                        if (f < 0)
                            for (int k = 0; k < t->nfields; k++)
                                if (strlen(t->fields[k].name) == klen &&
                                    strncasecmp(t->fields[k].name, key, klen) == 0) {
                                    f = k;
                                    break;
                                }
                        if (f >= 0) {
                            json_read_into(&v->children[f], row, j);
                            seen[f >> 6] |= UINT64_C(1) << (f & 63);
                        } else
                            json_skip_value(j);
                    }
                    json_ws(j);
                    if (j->i < j->len && j->s[j->i] == ',') {
                        j->i++;
                        continue;
                    }
                    if (j->i < j->len && j->s[j->i] == '}') {
                        j->i++;
                        break;
                    }
                    json_error(j, "Expected \",\" or \"}\".");
                }
            if (is_map)
                ((ListEntry *)v->data)[row] = (ListEntry){(uint32)off, (uint32)n};
            else
                for (int k = 0; k < t->nfields; k++)
                    if (!((seen[k >> 6] >> (k & 63)) & 1))
                        vector_set_null(&v->children[k], row);
            vector_set_valid(v, row);
            return;
        }
        break;
    default:
        break;
    }
    if (t->id == TYPE_MAP || t->id == TYPE_STRUCT) /* their text form is JSON: do not recurse */
        ereport(ERROR, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                errmsg("cannot convert a JSON %s to type %s",
                       c == '"' ? "string" : c == '[' ? "array" : "scalar", type_name(a, t)));
    if (c == '"') {
        size_t slen;
        const char *str = json_read_string(j, &slen);
        parse_text_value(v, a, row, str, slen);
        return;
    }
    if (c == '{' || c == '[') {
        if (t->id == TYPE_STRING || t->id == TYPE_UNKNOWN) {
            /* keep nested JSON as its text in a STRING column */
            size_t start = j->i;
            json_skip_value(j);
            parse_text_value(v, a, row, j->s + start, j->i - start);
            return;
        }
        ereport(ERROR, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                errmsg("cannot convert a JSON %s to type %s", c == '{' ? "object" : "array",
                       type_name(a, t)));
    }
    /* number, true, false: hand the token to the type's text parser */
    size_t start = j->i;
    if (c == 't')
        json_skip_literal(j, "true");
    else if (c == 'f')
        json_skip_literal(j, "false");
    else
        json_skip_number(j);
    parse_text_value(v, a, row, j->s + start, j->i - start);
}

void value_parse_json(Vector *v, Arena *a, int row, const char *json, size_t len)
{
    JsonIn j = {json, len, 0, a};
    json_read_into(v, row, &j);
    json_ws(&j);
    if (j.i != len)
        json_error(&j, "Expected end of input.");
}

/* One value as a JSON value, as PostgreSQL's to_json() writes it. */
static void format_json(const Vector *v, int row, StrBuf *out)
{
    if (!vector_is_valid(v, row)) {
        strbuf_append(out, "null", 4);
        return;
    }
    const LmType *t = v->type;
    switch (t->id) {
    case TYPE_BOOL:
        if (((const uint8 *)v->data)[row])
            strbuf_append(out, "true", 4);
        else
            strbuf_append(out, "false", 5);
        return;
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64:
    case TYPE_DECIMAL:
    case TYPE_OID:
        format_text(v, row, out);
        return;
    case TYPE_FLOAT32:
    case TYPE_FLOAT64: {
        double x = t->id == TYPE_FLOAT32 ? ((const float *)v->data)[row] : ((const double *)v->data)[row];
        if (isfinite(x))
            format_text(v, row, out);
        else {
            strbuf_append_char(out, '"');
            format_text(v, row, out);
            strbuf_append_char(out, '"');
        }
        return;
    }
    case TYPE_JSON: {
        const StrView *sv = &((const StrView *)v->data)[row];
        strbuf_append(out, sv->ptr, sv->len);
        return;
    }
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: {
        strbuf_append_char(out, '"');
        datetime_format_timestamp_iso(((const int64 *)v->data)[row], t->id == TYPE_TIMESTAMPTZ, out);
        strbuf_append_char(out, '"');
        return;
    }
    case TYPE_ARRAY: {
        if (t->pg_oid == INT2VECTOROID || t->pg_oid == OIDVECTOROID)
            break;
        ListEntry le = ((const ListEntry *)v->data)[row];
        strbuf_append_char(out, '[');
        for (uint32 i = 0; i < le.length; i++) {
            if (i)
                strbuf_append_char(out, ',');
            format_json(&v->children[0], (int)(le.offset + i), out);
        }
        strbuf_append_char(out, ']');
        return;
    }
    case TYPE_MAP: {
        ListEntry le = ((const ListEntry *)v->data)[row];
        strbuf_append_char(out, '{');
        for (uint32 i = 0; i < le.length; i++) {
            int idx = (int)(le.offset + i);
            if (i)
                strbuf_append_char(out, ',');
            const Vector *kv = &v->children[0];
            if (kv->type->id == TYPE_STRING) {
                const StrView *sv = &((const StrView *)kv->data)[idx];
                json_escape(out, sv->ptr, sv->len);
            } else {
                /* non-string keys: their text form, escaped (rendered then moved) */
                size_t start = out->len;
                if (vector_is_valid(kv, idx))
                    format_text(kv, idx, out);
                size_t klen = out->len - start;
                char small[64];
                char *tmp = klen <= sizeof(small) ? small : arena_memdup(kv->arena, out->data + start, klen);
                if (tmp == small)
                    memcpy(small, out->data + start, klen);
                strbuf_truncate(out, start);
                json_escape(out, tmp, klen);
            }
            strbuf_append_char(out, ':');
            format_json(&v->children[1], idx, out);
        }
        strbuf_append_char(out, '}');
        return;
    }
    case TYPE_STRUCT:
        strbuf_append_char(out, '{');
        for (int k = 0; k < t->nfields; k++) {
            if (k)
                strbuf_append_char(out, ',');
            json_escape(out, t->fields[k].name, strlen(t->fields[k].name));
            strbuf_append_char(out, ':');
            format_json(&v->children[k], row, out);
        }
        strbuf_append_char(out, '}');
        return;
    default:
        break;
    }
    /* everything else: its text form as a JSON string */
    size_t start = out->len;
    format_text(v, row, out);
    size_t n = out->len - start;
    bool plain = true;
    for (size_t i = start; i < out->len; i++) {
        uint8 c = (uint8)out->data[i];
        if (c < 0x20 || c == '"' || c == '\\') {
            plain = false;
            break;
        }
    }
    if (plain) {
        strbuf_reserve(out, 2);
        memmove(out->data + start + 1, out->data + start, n);
        out->data[start] = '"';
        out->len++;
        strbuf_append_char(out, '"');
    } else {
        char *tmp = arena_memdup(v->arena, out->data + start, n);
        strbuf_truncate(out, start);
        json_escape(out, tmp, n);
    }
}

void value_format_json(const Vector *v, int row, StrBuf *out)
{
    format_json(v, row, out);
}

/* ------------------------------------------------------------------------
 * Arrays, text format
 * ------------------------------------------------------------------------ */

static bool is_pg_vector(const LmType *t)
{
    return t->pg_oid == INT2VECTOROID || t->pg_oid == OIDVECTOROID;
}

/* Quotes out[start..] in place if PostgreSQL's array_out would. */
static void array_quote_element(StrBuf *out, size_t start)
{
    size_t n = out->len - start;
    const char *e = out->data + start;
    bool quote = n == 0 || (n == 4 && strncasecmp(e, "null", 4) == 0);
    size_t extra = 0;
    for (size_t i = 0; i < n; i++) {
        char c = e[i];
        if (c == '"' || c == '\\') {
            quote = true;
            extra++;
        } else if (c == '{' || c == '}' || c == ',' || is_blank(c))
            quote = true;
    }
    if (!quote)
        return;
    strbuf_reserve(out, extra + 2);
    char *d = out->data + start;
    /* fill backwards */
    size_t newlen = n + extra + 2;
    char *w = d + newlen;
    *--w = '"';
    for (size_t i = n; i-- > 0;) {
        char c = d[i];
        *--w = c;
        if (c == '"' || c == '\\')
            *--w = '\\';
    }
    *--w = '"';
    out->len = start + newlen;
    out->data[out->len] = '\0';
}

static void array_format_text(const Vector *v, int row, StrBuf *out)
{
    ListEntry le = ((const ListEntry *)v->data)[row];
    const Vector *c = &v->children[0];
    bool pgvec = is_pg_vector(v->type);
    if (!pgvec)
        strbuf_append_char(out, '{');
    for (uint32 i = 0; i < le.length; i++) {
        int idx = (int)(le.offset + i);
        if (i)
            strbuf_append_char(out, pgvec ? ' ' : ',');
        if (!vector_is_valid(c, idx))
            strbuf_append(out, "NULL", 4);
        else if (c->type->id == TYPE_ARRAY && !is_pg_vector(c->type))
            array_format_text(c, idx, out);
        else {
            size_t start = out->len;
            format_text(c, idx, out);
            if (!pgvec)
                array_quote_element(out, start);
        }
    }
    if (!pgvec)
        strbuf_append_char(out, '}');
}

LM_NORETURN static void array_malformed(const char *s, size_t len, const char *detail)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
            errmsg("malformed array literal: \"%.*s\"", (int)len, s), errdetail("%s", detail));
}

typedef struct ArrIn {
    const char *s; /* whole literal, for messages */
    size_t len;
    size_t i;
    Arena *arena;
    char *scratch; /* element de-escaping buffer, len bytes */
} ArrIn;

/* Parses "{...}" at r->i into row `row` of ARRAY vector v. */
static void array_parse_level(Vector *v, int row, ArrIn *r, int depth)
{
    if (depth > 64)
        array_malformed(r->s, r->len, "Array nesting is too deep.");
    Vector *c = &v->children[0];
    bool nested = c->type->id == TYPE_ARRAY && !is_pg_vector(c->type);
    r->i++; /* '{' */
    int off = v->child_count, n = 0;
    while (r->i < r->len && is_blank(r->s[r->i]))
        r->i++;
    if (r->i < r->len && r->s[r->i] == '}') {
        r->i++;
        goto done;
    }
    for (;;) {
        while (r->i < r->len && is_blank(r->s[r->i]))
            r->i++;
        if (r->i >= r->len)
            array_malformed(r->s, r->len, "Unexpected end of input.");
        vector_reserve_children(v, r->arena, v->child_count + 1);
        int idx = v->child_count++;
        n++;
        char ch = r->s[r->i];
        if (ch == '{') {
            if (!nested)
                array_malformed(r->s, r->len, "Unexpected \"{\" character.");
            array_parse_level(c, idx, r, depth + 1);
        } else if (ch == '}' || ch == ',') {
            array_malformed(r->s, r->len, ch == '}' ? "Unexpected \"}\" character." : "Unexpected \",\" character.");
        } else {
            /* one element, quoted or not, with backslash escapes */
            size_t m = 0, last_significant = 0;
            bool quoted_any = false, in_quotes = false, escaped_any = false;
            while (r->i < r->len) {
                char x = r->s[r->i];
                if (x == '\\') {
                    if (r->i + 1 >= r->len)
                        array_malformed(r->s, r->len, "Unexpected end of input.");
                    r->scratch[m++] = r->s[r->i + 1];
                    last_significant = m;
                    escaped_any = true;
                    r->i += 2;
                    continue;
                }
                if (x == '"') {
                    if (!in_quotes && m > 0 && !quoted_any)
                        array_malformed(r->s, r->len, "Unexpected array element.");
                    in_quotes = !in_quotes;
                    quoted_any = true;
                    last_significant = m;
                    r->i++;
                    continue;
                }
                if (!in_quotes) {
                    if (x == ',' || x == '}')
                        break;
                    if (x == '{')
                        array_malformed(r->s, r->len, "Unexpected \"{\" character.");
                    if (quoted_any && !is_blank(x))
                        array_malformed(r->s, r->len, "Incorrectly quoted array element.");
                }
                r->scratch[m++] = x;
                if (in_quotes || !is_blank(x))
                    last_significant = m;
                r->i++;
            }
            if (in_quotes)
                array_malformed(r->s, r->len, "Unexpected end of input.");
            m = last_significant; /* unquoted trailing blanks are not part of the element */
            if (!quoted_any && !escaped_any && m == 4 && strncasecmp(r->scratch, "null", 4) == 0)
                vector_set_null(c, idx);
            else if (nested)
                array_malformed(r->s, r->len, "Multidimensional arrays must have sub-arrays with matching dimensions.");
            else
                parse_text_value(c, r->arena, idx, r->scratch, m);
        }
        while (r->i < r->len && is_blank(r->s[r->i]))
            r->i++;
        if (r->i >= r->len)
            array_malformed(r->s, r->len, "Unexpected end of input.");
        if (r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->s[r->i] == '}') {
            r->i++;
            break;
        }
        array_malformed(r->s, r->len, "Unexpected array element.");
    }
done:
    ((ListEntry *)v->data)[row] = (ListEntry){(uint32)off, (uint32)n};
    vector_set_valid(v, row);
}

static void array_parse_text(Vector *v, Arena *a, int row, const char *s, size_t len)
{
    if (is_pg_vector(v->type)) {
        /* int2vector / oidvector: blank-separated numbers */
        Vector *c = &v->children[0];
        int off = v->child_count, n = 0;
        size_t i = 0;
        for (;;) {
            while (i < len && is_blank(s[i]))
                i++;
            if (i >= len)
                break;
            size_t st = i;
            while (i < len && !is_blank(s[i]))
                i++;
            vector_reserve_children(v, a, v->child_count + 1);
            int idx = v->child_count++;
            parse_text_value(c, a, idx, s + st, i - st);
            n++;
        }
        ((ListEntry *)v->data)[row] = (ListEntry){(uint32)off, (uint32)n};
        vector_set_valid(v, row);
        return;
    }
    ArrIn r = {s, len, 0, a, NULL};
    while (r.i < len && is_blank(s[r.i]))
        r.i++;
    if (r.i < len && s[r.i] == '[') {
        /* dimension decoration "[1:3]=": accepted and ignored */
        while (r.i < len && s[r.i] != '=')
            r.i++;
        if (r.i >= len)
            array_malformed(s, len, "Missing \"=\" after array dimensions.");
        r.i++;
        while (r.i < len && is_blank(s[r.i]))
            r.i++;
    }
    if (r.i >= len || s[r.i] != '{')
        array_malformed(s, len, "Array value must start with \"{\" or dimension information.");
    char small[256];
    r.scratch = len <= sizeof(small) ? small : arena_alloc(a, len);
    array_parse_level(v, row, &r, 0);
    while (r.i < len && is_blank(s[r.i]))
        r.i++;
    if (r.i != len)
        array_malformed(s, len, "Junk after closing right brace.");
}

/* ------------------------------------------------------------------------
 * Arrays, binary format
 * ------------------------------------------------------------------------ */

#define ARRAY_MAX_DIMS 6

/* Dimensions of a (nested) array value; false if it is not rectangular. */
static bool array_dims(const Vector *v, int row, int ndim, int32 *dims, int level)
{
    ListEntry le = ((const ListEntry *)v->data)[row];
    if (dims[level] < 0)
        dims[level] = (int32)le.length;
    else if (dims[level] != (int32)le.length)
        return false;
    if (level + 1 < ndim) {
        const Vector *c = &v->children[0];
        for (uint32 i = 0; i < le.length; i++) {
            int idx = (int)(le.offset + i);
            if (!vector_is_valid(c, idx) || !array_dims(c, idx, ndim, dims, level + 1))
                return false;
        }
    }
    return true;
}

static bool array_has_null(const Vector *v, int row, int ndim, int level)
{
    ListEntry le = ((const ListEntry *)v->data)[row];
    const Vector *c = &v->children[0];
    for (uint32 i = 0; i < le.length; i++) {
        int idx = (int)(le.offset + i);
        if (level + 1 < ndim ? array_has_null(c, idx, ndim, level + 1) : !vector_is_valid(c, idx))
            return true;
    }
    return false;
}

static void array_send_elems(const Vector *v, int row, int ndim, int level, StrBuf *out)
{
    ListEntry le = ((const ListEntry *)v->data)[row];
    const Vector *c = &v->children[0];
    for (uint32 i = 0; i < le.length; i++) {
        int idx = (int)(le.offset + i);
        if (level + 1 < ndim) {
            array_send_elems(c, idx, ndim, level + 1, out);
            continue;
        }
        if (!vector_is_valid(c, idx)) {
            strbuf_append_be32(out, 0xFFFFFFFFu);
            continue;
        }
        size_t lenpos = out->len;
        strbuf_append_be32(out, 0);
        value_format_binary(c, idx, out);
        uint32 n = (uint32)(out->len - lenpos - 4);
        out->data[lenpos] = (char)(n >> 24);
        out->data[lenpos + 1] = (char)(n >> 16);
        out->data[lenpos + 2] = (char)(n >> 8);
        out->data[lenpos + 3] = (char)n;
    }
}

static int array_ndim(const LmType *t)
{
    int n = 0;
    while (t->id == TYPE_ARRAY && (n == 0 || !is_pg_vector(t))) {
        n++;
        if (is_pg_vector(t))
            break;
        t = t->elem;
    }
    return n;
}

static const LmType *array_leaf_type(const LmType *t, int ndim)
{
    for (int i = 0; i < ndim; i++)
        t = t->elem;
    return t;
}

static void array_format_binary(const Vector *v, int row, StrBuf *out)
{
    int ndim = array_ndim(v->type);
    if (ndim > ARRAY_MAX_DIMS)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("number of array dimensions (%d) exceeds the maximum allowed (%d)", ndim, ARRAY_MAX_DIMS));
    int32 dims[ARRAY_MAX_DIMS];
    for (int i = 0; i < ndim; i++)
        dims[i] = -1;
    if (!array_dims(v, row, ndim, dims, 0))
        ereport(ERROR, errcode("2202E"),
                errmsg("multidimensional arrays must have array expressions with matching dimensions"));
    bool empty = false;
    for (int i = 0; i < ndim; i++)
        if (dims[i] == 0)
            empty = true;
    Oid elemoid = type_pg_oid(array_leaf_type(v->type, ndim));
    if (empty) {
        strbuf_append_be32(out, 0);
        strbuf_append_be32(out, 0);
        strbuf_append_be32(out, elemoid);
        return;
    }
    strbuf_append_be32(out, (uint32)ndim);
    strbuf_append_be32(out, array_has_null(v, row, ndim, 0) ? 1 : 0);
    strbuf_append_be32(out, elemoid);
    int lbound = is_pg_vector(v->type) ? 0 : 1;
    for (int i = 0; i < ndim; i++) {
        strbuf_append_be32(out, (uint32)dims[i]);
        strbuf_append_be32(out, (uint32)lbound);
    }
    array_send_elems(v, row, ndim, 0, out);
}

typedef struct BinIn {
    const char *p;
    size_t len;
    size_t i;
} BinIn;

static void array_recv_level(Vector *v, Arena *a, int row, int level, int ndim, const int32 *dims, BinIn *b)
{
    Vector *c = &v->children[0];
    int n = dims[level];
    vector_reserve_children(v, a, v->child_count + n);
    int off = v->child_count;
    v->child_count += n;
    for (int i = 0; i < n; i++) {
        int idx = off + i;
        if (level + 1 < ndim) {
            array_recv_level(c, a, idx, level + 1, ndim, dims, b);
            continue;
        }
        if (b->i + 4 > b->len)
            ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                    errmsg("insufficient data left in message"));
        int32 elen = (int32)rd_be32(b->p + b->i);
        b->i += 4;
        if (elen == -1) {
            vector_set_null(c, idx);
            continue;
        }
        if (elen < 0 || (size_t)elen > b->len - b->i)
            ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                    errmsg("insufficient data left in message"));
        value_parse_binary(c, a, idx, b->p + b->i, (size_t)elen);
        b->i += (size_t)elen;
    }
    ((ListEntry *)v->data)[row] = (ListEntry){(uint32)off, (uint32)n};
    vector_set_valid(v, row);
}

static void array_parse_binary(Vector *v, Arena *a, int row, const char *p, size_t len)
{
    if (len < 12)
        ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                errmsg("insufficient data left in message"));
    int32 ndim = (int32)rd_be32(p);
    int32 flags = (int32)rd_be32(p + 4);
    Oid elemoid = rd_be32(p + 8);
    int want = array_ndim(v->type);
    if (ndim < 0 || ndim > ARRAY_MAX_DIMS)
        ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                errmsg("invalid number of dimensions: %d", ndim));
    if (flags != 0 && flags != 1)
        ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), errmsg("invalid array flags"));
    if (ndim == 0) {
        ((ListEntry *)v->data)[row] = (ListEntry){(uint32)v->child_count, 0};
        vector_set_valid(v, row);
        return;
    }
    if (ndim != want)
        ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                errmsg("binary array has %d dimensions, type %s expects %d", ndim, type_name(a, v->type), want));
    Oid expect = type_pg_oid(array_leaf_type(v->type, ndim));
    if (elemoid != expect)
        ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                errmsg("binary data has array element type %u instead of expected %u", elemoid, expect));
    if (len < 12 + (size_t)ndim * 8)
        ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                errmsg("insufficient data left in message"));
    int32 dims[ARRAY_MAX_DIMS];
    int64 total = 1;
    for (int i = 0; i < ndim; i++) {
        dims[i] = (int32)rd_be32(p + 12 + 8 * i);
        if (dims[i] < 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), errmsg("invalid array dimensions"));
        total *= dims[i];
        if (total > (int64)(len / 4))
            ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                    errmsg("insufficient data left in message"));
    }
    BinIn b = {p, len, 12 + (size_t)ndim * 8};
    if (total == 0) {
        ((ListEntry *)v->data)[row] = (ListEntry){(uint32)v->child_count, 0};
        vector_set_valid(v, row);
        return;
    }
    array_recv_level(v, a, row, 0, ndim, dims, &b);
    if (b.i != len)
        bad_binary(v->type);
}

/* Unconstrained numeric (numeric_trim): drops trailing fraction zeros of *x (scale digits),
 * returning the scale left — the display scale PostgreSQL would have kept for most values. */
static int trimmed_scale(int128 *x, int scale)
{
    while (scale > 0 && *x % 10 == 0) {
        *x /= 10;
        scale--;
    }
    return scale;
}

/* ------------------------------------------------------------------------
 * Text format dispatch
 * ------------------------------------------------------------------------ */

static void format_text(const Vector *v, int row, StrBuf *out)
{
    const void *d = v->data;
    switch (v->type->id) {
    case TYPE_BOOL: strbuf_append_char(out, ((const uint8 *)d)[row] ? 't' : 'f'); return;
    case TYPE_INT8: append_i64(out, ((const int8 *)d)[row]); return;
    case TYPE_INT16: append_i64(out, ((const int16 *)d)[row]); return;
    case TYPE_INT32: append_i64(out, ((const int32 *)d)[row]); return;
    case TYPE_INT64: append_i64(out, ((const int64 *)d)[row]); return;
    case TYPE_OID:
        if (reg_type_is_named(v->type->pg_oid))
            reg_names_format(v->type->pg_oid, ((const uint32 *)d)[row], out);
        else
            append_u64(out, ((const uint32 *)d)[row]);
        return;
    case TYPE_FLOAT32: format_float(((const float *)d)[row], true, out); return;
    case TYPE_FLOAT64: format_float(((const double *)d)[row], false, out); return;
    case TYPE_DECIMAL: {
        int128 x = ((const int128 *)d)[row];
        int scale = v->type->numeric_trim ? trimmed_scale(&x, v->type->scale) : v->type->scale;
        decimal_format(x, scale, out);
        return;
    }
    case TYPE_UNKNOWN:
    case TYPE_STRING:
    case TYPE_JSON: {
        const StrView *sv = &((const StrView *)d)[row];
        strbuf_append(out, sv->ptr, sv->len);
        return;
    }
    case TYPE_BINARY: format_bytea(&((const StrView *)d)[row], out); return;
    case TYPE_DATE: datetime_format_date(((const int32 *)d)[row], out); return;
    case TYPE_TIME: datetime_format_time(((const int64 *)d)[row], out); return;
    case TYPE_TIMESTAMP: datetime_format_timestamp(((const int64 *)d)[row], false, out); return;
    case TYPE_TIMESTAMPTZ: datetime_format_timestamp(((const int64 *)d)[row], true, out); return;
    case TYPE_INTERVAL: datetime_format_interval(&((const Interval *)d)[row], out); return;
    case TYPE_ARRAY: array_format_text(v, row, out); return;
    case TYPE_MAP:
    case TYPE_STRUCT: format_json(v, row, out); return;
    default: elog(ERROR, "unrecognized type %d", (int)v->type->id);
    }
}

void value_format_text(const Vector *v, int row, StrBuf *out)
{
    format_text(v, row, out);
}

static void parse_text_value(Vector *v, Arena *a, int row, const char *s, size_t len)
{
    void *d = v->data;
    const LmType *t = v->type;
    switch (t->id) {
    case TYPE_BOOL: {
        bool b;
        if (!parse_bool(s, len, &b))
            ereport(ERROR, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                    errmsg("invalid input syntax for type boolean: \"%.*s\"", (int)len, s));
        ((uint8 *)d)[row] = b;
        break;
    }
    case TYPE_INT8: ((int8 *)d)[row] = (int8)parse_int(s, len, INT8_MIN, INT8_MAX, "tinyint"); break;
    case TYPE_INT16: ((int16 *)d)[row] = (int16)parse_int(s, len, INT16_MIN, INT16_MAX, "smallint"); break;
    case TYPE_INT32: ((int32 *)d)[row] = (int32)parse_int(s, len, INT32_MIN, INT32_MAX, "integer"); break;
    case TYPE_INT64: ((int64 *)d)[row] = parse_int(s, len, INT64_MIN, INT64_MAX, "bigint"); break;
    case TYPE_OID:
        if (reg_type_is_named(t->pg_oid)) { /* regclass & co.: names (common/reg_names.h) */
            ((uint32 *)d)[row] = reg_names_parse(t->pg_oid, s, len);
            break;
        }
        /* oidin accepts negative numbers down to INT32_MIN and wraps them, as PostgreSQL does */
        ((uint32 *)d)[row] = (uint32)parse_int(s, len, INT32_MIN, UINT32_MAX, "oid");
        break;
    case TYPE_FLOAT32: ((float *)d)[row] = (float)parse_float(s, len, true, a); break;
    case TYPE_FLOAT64: ((double *)d)[row] = parse_float(s, len, false, a); break;
    case TYPE_DECIMAL: ((int128 *)d)[row] = decimal_parse(s, len, t->precision, t->scale); break;
    case TYPE_UNKNOWN:
    case TYPE_STRING: store_string(v, a, row, s, len); break;
    case TYPE_JSON:
        json_validate(s, len);
        if (t->pg_oid == JSONBOID && (a || v->arena)) {
            StrBuf canon;
            jsonb_canonical(a ? a : v->arena, s, len, &canon);
            store_string(v, a, row, canon.data, canon.len);
        } else
            store_string(v, a, row, s, len);
        break;
    case TYPE_BINARY: ((StrView *)d)[row] = parse_bytea(s, len, a); break;
    case TYPE_DATE: ((int32 *)d)[row] = datetime_parse_date(s, len); break;
    case TYPE_TIME: ((int64 *)d)[row] = datetime_parse_time(s, len); break;
    case TYPE_TIMESTAMP: ((int64 *)d)[row] = datetime_parse_timestamp(s, len, false); break;
    case TYPE_TIMESTAMPTZ: ((int64 *)d)[row] = datetime_parse_timestamp(s, len, true); break;
    case TYPE_INTERVAL: ((Interval *)d)[row] = datetime_parse_interval(s, len); break;
    case TYPE_ARRAY: array_parse_text(v, a, row, s, len); return;
    case TYPE_MAP:
    case TYPE_STRUCT: value_parse_json(v, a, row, s, len); return;
    default: elog(ERROR, "unrecognized type %d", (int)t->id);
    }
    vector_set_valid(v, row);
}

void value_parse_text(Vector *v, Arena *a, int row, const char *text, size_t len)
{
    parse_text_value(v, a, row, text, len);
}

/* ------------------------------------------------------------------------
 * Binary format
 * ------------------------------------------------------------------------ */

void value_format_binary(const Vector *v, int row, StrBuf *out)
{
    const void *d = v->data;
    const LmType *t = v->type;
    switch (t->id) {
    case TYPE_BOOL: strbuf_append_char(out, ((const uint8 *)d)[row] ? 1 : 0); return;
    case TYPE_INT8: strbuf_append_be16(out, (uint16)(int16)((const int8 *)d)[row]); return;
    case TYPE_INT16: strbuf_append_be16(out, (uint16)((const int16 *)d)[row]); return;
    case TYPE_INT32: strbuf_append_be32(out, (uint32)((const int32 *)d)[row]); return;
    case TYPE_OID: strbuf_append_be32(out, ((const uint32 *)d)[row]); return;
    case TYPE_INT64: strbuf_append_be64(out, (uint64)((const int64 *)d)[row]); return;
    case TYPE_FLOAT32: {
        uint32 bits;
        memcpy(&bits, &((const float *)d)[row], 4);
        strbuf_append_be32(out, bits);
        return;
    }
    case TYPE_FLOAT64: {
        uint64 bits;
        memcpy(&bits, &((const double *)d)[row], 8);
        strbuf_append_be64(out, bits);
        return;
    }
    case TYPE_DECIMAL: {
        int128 x = ((const int128 *)d)[row];
        int scale = t->numeric_trim ? trimmed_scale(&x, t->scale) : t->scale;
        decimal_send(x, scale, out);
        return;
    }
    case TYPE_UNKNOWN:
    case TYPE_STRING:
    case TYPE_BINARY: {
        const StrView *sv = &((const StrView *)d)[row];
        strbuf_append(out, sv->ptr, sv->len);
        return;
    }
    case TYPE_JSON: {
        const StrView *sv = &((const StrView *)d)[row];
        if (t->pg_oid == JSONBOID)
            strbuf_append_char(out, 1);
        strbuf_append(out, sv->ptr, sv->len);
        return;
    }
    case TYPE_DATE: {
        int32 days = ((const int32 *)d)[row];
        if (days != DATE_NOBEGIN && days != DATE_NOEND)
            days -= PG_EPOCH_DAYS;
        strbuf_append_be32(out, (uint32)days);
        return;
    }
    case TYPE_TIME: strbuf_append_be64(out, (uint64)((const int64 *)d)[row]); return;
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: {
        int64 ts = ((const int64 *)d)[row];
        if (ts != TIMESTAMP_NOBEGIN && ts != TIMESTAMP_NOEND)
            ts -= PG_EPOCH_DAYS * USECS_PER_DAY;
        strbuf_append_be64(out, (uint64)ts);
        return;
    }
    case TYPE_INTERVAL: {
        const Interval *iv = &((const Interval *)d)[row];
        strbuf_append_be64(out, (uint64)iv->micros);
        strbuf_append_be32(out, (uint32)iv->days);
        strbuf_append_be32(out, (uint32)iv->months);
        return;
    }
    case TYPE_ARRAY: array_format_binary(v, row, out); return;
    case TYPE_MAP:
    case TYPE_STRUCT:
        if (t->pg_oid == JSONBOID)
            strbuf_append_char(out, 1);
        format_json(v, row, out);
        return;
    default: elog(ERROR, "unrecognized type %d", (int)t->id);
    }
}

/* Reads a big-endian signed integer of 2, 4 or 8 bytes. */
static bool read_be_int(const char *p, size_t len, int64 *out)
{
    switch (len) {
    case 2: *out = (int16)rd_be16(p); return true;
    case 4: *out = (int32)rd_be32(p); return true;
    case 8: *out = (int64)rd_be64(p); return true;
    default: return false;
    }
}

void value_parse_binary(Vector *v, Arena *a, int row, const char *p, size_t len)
{
    void *d = v->data;
    const LmType *t = v->type;
    switch (t->id) {
    case TYPE_BOOL:
        if (len != 1)
            bad_binary(t);
        ((uint8 *)d)[row] = p[0] != 0;
        break;
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64: {
        /* accept any of int2/int4/int8 and range-check: drivers do not always match widths */
        int64 x;
        if (!read_be_int(p, len, &x))
            bad_binary(t);
        int64 lo = t->id == TYPE_INT8 ? INT8_MIN : t->id == TYPE_INT16 ? INT16_MIN : t->id == TYPE_INT32 ? INT32_MIN : INT64_MIN;
        int64 hi = t->id == TYPE_INT8 ? INT8_MAX : t->id == TYPE_INT16 ? INT16_MAX : t->id == TYPE_INT32 ? INT32_MAX : INT64_MAX;
        if (x < lo || x > hi)
            ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                    errmsg("%s out of range", type_display_name(t)));
        switch (t->id) {
        case TYPE_INT8: ((int8 *)d)[row] = (int8)x; break;
        case TYPE_INT16: ((int16 *)d)[row] = (int16)x; break;
        case TYPE_INT32: ((int32 *)d)[row] = (int32)x; break;
        default: ((int64 *)d)[row] = x; break;
        }
        break;
    }
    case TYPE_OID:
        if (len != 4)
            bad_binary(t);
        ((uint32 *)d)[row] = rd_be32(p);
        break;
    case TYPE_FLOAT32:
    case TYPE_FLOAT64: {
        double x;
        if (len == 4) {
            uint32 bits = rd_be32(p);
            float f;
            memcpy(&f, &bits, 4);
            x = f;
        } else if (len == 8) {
            uint64 bits = rd_be64(p);
            memcpy(&x, &bits, 8);
        } else
            bad_binary(t);
        if (t->id == TYPE_FLOAT32)
            ((float *)d)[row] = (float)x;
        else
            ((double *)d)[row] = x;
        break;
    }
    case TYPE_DECIMAL: ((int128 *)d)[row] = decimal_recv(p, len, t->precision, t->scale); break;
    case TYPE_UNKNOWN:
    case TYPE_STRING: store_string(v, a, row, p, len); break;
    case TYPE_BINARY: {
        StrView *sv = &((StrView *)d)[row];
        sv->len = (uint32)len;
        sv->reserved = 0;
        sv->ptr = len ? arena_memdup(a, p, len) : "";
        break;
    }
    case TYPE_JSON:
        if (t->pg_oid == JSONBOID) {
            if (len < 1 || p[0] != 1)
                ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("unsupported jsonb version number %d", len ? (int)(uint8)p[0] : -1));
            p++;
            len--;
        }
        json_validate(p, len);
        store_string(v, a, row, p, len);
        break;
    case TYPE_DATE: {
        if (len != 4)
            bad_binary(t);
        int32 x = (int32)rd_be32(p);
        if (x != DATE_NOBEGIN && x != DATE_NOEND) {
            if (x > DATE_NOEND - 1 - PG_EPOCH_DAYS)
                ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("date out of range"));
            x += PG_EPOCH_DAYS;
        }
        ((int32 *)d)[row] = x;
        break;
    }
    case TYPE_TIME: {
        if (len != 8)
            bad_binary(t);
        int64 x = (int64)rd_be64(p);
        if (x < 0 || x > USECS_PER_DAY)
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("time out of range"));
        ((int64 *)d)[row] = x;
        break;
    }
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: {
        if (len != 8)
            bad_binary(t);
        int64 x = (int64)rd_be64(p);
        if (x != TIMESTAMP_NOBEGIN && x != TIMESTAMP_NOEND) {
            if (x >= TIMESTAMP_NOEND - PG_EPOCH_DAYS * USECS_PER_DAY)
                ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("timestamp out of range"));
            x += PG_EPOCH_DAYS * USECS_PER_DAY;
        }
        ((int64 *)d)[row] = x;
        break;
    }
    case TYPE_INTERVAL: {
        if (len != 16)
            bad_binary(t);
        Interval *iv = &((Interval *)d)[row];
        iv->micros = (int64)rd_be64(p);
        iv->days = (int32)rd_be32(p + 8);
        iv->months = (int32)rd_be32(p + 12);
        break;
    }
    case TYPE_ARRAY: array_parse_binary(v, a, row, p, len); return;
    case TYPE_MAP:
    case TYPE_STRUCT:
        if (t->pg_oid == JSONBOID) {
            if (len < 1 || p[0] != 1)
                ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("unsupported jsonb version number %d", len ? (int)(uint8)p[0] : -1));
            p++;
            len--;
        }
        value_parse_json(v, a, row, p, len);
        return;
    default: elog(ERROR, "unrecognized type %d", (int)t->id);
    }
    vector_set_valid(v, row);
}
