/*
 * numeric.c: DECIMAL(p,s) as int128 scaled integers, in PostgreSQL's numeric
 * text format and numeric_send/numeric_recv binary format.
 *
 * The binary format is: int16 ndigits, int16 weight (of the first base-10000
 * digit), uint16 sign (0x0000 +, 0x4000 -, 0xC000 NaN, 0xD000 +Inf, 0xF000
 * -Inf), int16 dscale (decimal digits after the point), then ndigits int16
 * base-10000 digits with leading and trailing zero digits stripped.  Both
 * directions go through the decimal digit string, which keeps the code
 * simple and avoids int128 overflow when aligning the fraction to groups of
 * four digits.  NaN and infinities cannot be stored in an int128 and are
 * rejected on input.
 */
#include "common/numeric.h"
#include "common/error.h"

#include <ctype.h>
#include <stdio.h>

const int128 decimal_pow10[DECIMAL_MAX_PRECISION + 1] = {
    (int128)1LL,
    (int128)10LL,
    (int128)100LL,
    (int128)1000LL,
    (int128)10000LL,
    (int128)100000LL,
    (int128)1000000LL,
    (int128)10000000LL,
    (int128)100000000LL,
    (int128)1000000000LL,
    (int128)10000000000LL,
    (int128)100000000000LL,
    (int128)1000000000000LL,
    (int128)10000000000000LL,
    (int128)100000000000000LL,
    (int128)1000000000000000LL,
    (int128)10000000000000000LL,
    (int128)100000000000000000LL,
    (int128)1000000000000000000LL,
    (int128)1000000000000000000LL * 10,
    (int128)1000000000000000000LL * 100,
    (int128)1000000000000000000LL * 1000,
    (int128)1000000000000000000LL * 10000,
    (int128)1000000000000000000LL * 100000,
    (int128)1000000000000000000LL * 1000000,
    (int128)1000000000000000000LL * 10000000,
    (int128)1000000000000000000LL * 100000000,
    (int128)1000000000000000000LL * 1000000000,
    (int128)1000000000000000000LL * 10000000000LL,
    (int128)1000000000000000000LL * 100000000000LL,
    (int128)1000000000000000000LL * 1000000000000LL,
    (int128)1000000000000000000LL * 10000000000000LL,
    (int128)1000000000000000000LL * 100000000000000LL,
    (int128)1000000000000000000LL * 1000000000000000LL,
    (int128)1000000000000000000LL * 10000000000000000LL,
    (int128)1000000000000000000LL * 100000000000000000LL,
    (int128)1000000000000000000LL * 1000000000000000000LL,
    (int128)1000000000000000000LL * 1000000000000000000LL * 10,
    (int128)1000000000000000000LL * 1000000000000000000LL * 100,
};

int decimal_digits(int128 v, char *buf)
{
    unsigned __int128 u = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
    char tmp[48];
    int n = 0;
    while (u > UINT64_MAX) {
        /* peel 19 digits at a time so the rest fits in uint64 */
        uint64 chunk = (uint64)(u % UINT64_C(10000000000000000000));
        u /= UINT64_C(10000000000000000000);
        for (int i = 0; i < 19; i++) {
            tmp[n++] = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    }
    uint64 w = (uint64)u;
    do {
        tmp[n++] = (char)('0' + w % 10);
        w /= 10;
    } while (w);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

void decimal_format(int128 v, int scale, StrBuf *out)
{
    char d[48];
    int n = decimal_digits(v, d);
    strbuf_reserve(out, (size_t)n + (size_t)scale + 4);
    char *p = out->data + out->len;
    if (v < 0)
        *p++ = '-';
    if (n <= scale) {
        *p++ = '0';
        if (scale > 0) {
            *p++ = '.';
            for (int i = n; i < scale; i++)
                *p++ = '0';
            memcpy(p, d, (size_t)n);
            p += n;
        }
    } else {
        memcpy(p, d, (size_t)(n - scale));
        p += n - scale;
        if (scale > 0) {
            *p++ = '.';
            memcpy(p, d + n - scale, (size_t)scale);
            p += scale;
        }
    }
    out->len = (size_t)(p - out->data);
    out->data[out->len] = '\0';
}

LM_NORETURN static void numeric_syntax(const char *s, size_t len)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
            errmsg("invalid input syntax for type numeric: \"%.*s\"", (int)len, s));
}

LM_NORETURN static void numeric_overflow(int precision, int scale)
{
    int maxdigits = precision - scale;
    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("numeric field overflow"),
            errdetail("A field with precision %d, scale %d must round to an absolute value less than %s%d.",
                      precision, scale, maxdigits ? "10^" : "", maxdigits ? maxdigits : 1));
}

int128 decimal_parse(const char *s, size_t len, int precision, int scale)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    if (i < len && (s[i] == 'N' || s[i] == 'n' || s[i] == 'I' || s[i] == 'i')) {
        size_t e = len;
        while (e > i && isspace((unsigned char)s[e - 1]))
            e--;
        if ((e - i == 3 && strncasecmp(s + i, "nan", 3) == 0) ||
            (e - i == 8 && strncasecmp(s + i, "infinity", 8) == 0) ||
            (e - i == 3 && strncasecmp(s + i, "inf", 3) == 0))
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("cannot convert %.*s to DECIMAL(%d,%d)", (int)(e - i), s + i, precision, scale));
        numeric_syntax(s, len);
    }
    /* significant digits (leading zeros dropped) and the position of the point */
    char digits[64];
    int nd = 0;           /* significant digits kept (capped) */
    int64 pointpos = 0;   /* value = 0.digits * 10^pointpos */
    bool seen_digit = false, seen_point = false, dropped_nonzero = false;
    int64 total_sig = 0;  /* significant digits seen, including dropped ones */
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            seen_digit = true;
            if (c == '0' && total_sig == 0) {
                if (seen_point)
                    pointpos--;
                continue;
            }
            if (nd < (int)sizeof(digits))
                digits[nd++] = c;
            else if (c != '0')
                dropped_nonzero = true;
            total_sig++;
            if (!seen_point)
                pointpos++;
        } else if (c == '.' && !seen_point) {
            seen_point = true;
        } else
            break;
    }
    if (!seen_digit)
        numeric_syntax(s, len);
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        if (i >= len || !isdigit((unsigned char)s[i]))
            numeric_syntax(s, len);
        int64 ex = 0;
        while (i < len && isdigit((unsigned char)s[i])) {
            ex = ex * 10 + (s[i] - '0');
            if (ex > 100000)
                numeric_syntax(s, len);
            i++;
        }
        if (total_sig > 0)
            pointpos += eneg ? -ex : ex;
    }
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    if (i != len)
        numeric_syntax(s, len);
    if (total_sig == 0)
        return 0;
    if (pointpos > precision - scale)
        numeric_overflow(precision, scale);
    /* scaled = round(0.D * 10^(pointpos + scale)) */
    int64 keep = pointpos + scale; /* digits of D that form the integer, <= precision */
    int128 v = 0;
    for (int64 k = 0; k < keep; k++)
        v = v * 10 + (k < nd ? digits[k] - '0' : 0);
    if (keep >= 0 && keep < nd && digits[keep] >= '5')
        v++;
    (void)dropped_nonzero; /* beyond 64 significant digits nothing can change rounding at <=38 */
    if (v >= decimal_pow10[precision])
        numeric_overflow(precision, scale);
    return neg ? -v : v;
}

#define NUMERIC_POS 0x0000
#define NUMERIC_NEG 0x4000
#define NUMERIC_NAN 0xC000
#define NUMERIC_PINF 0xD000
#define NUMERIC_NINF 0xF000

void decimal_send(int128 v, int scale, StrBuf *out)
{
    char d[48];
    int n = decimal_digits(v, d);
    if (v == 0) {
        strbuf_append_be16(out, 0);
        strbuf_append_be16(out, 0);
        strbuf_append_be16(out, NUMERIC_POS);
        strbuf_append_be16(out, (uint16)scale);
        return;
    }
    /* integer digits d[0..nint), fraction digits (zero-padded on the left) */
    int nint = n - scale;
    /* Lay the digits out on a grid aligned at the decimal point: position 0 is the
     * first fraction digit.  Integer groups: ceil(nint/4); fraction groups: ceil(scale/4). */
    int igroups = nint > 0 ? (nint + 3) / 4 : 0;
    int fgroups = (scale + 3) / 4;
    int total = igroups + fgroups;
    int16 groups[24];
    for (int g = 0; g < total; g++) {
        int val = 0;
        for (int k = 0; k < 4; k++) {
            /* rel: digit offset from the decimal point (-1 = units, 0 = tenths) */
            int rel = (g - igroups) * 4 + k;
            int idx = nint + rel; /* d[idx] is the digit at rel */
            int digit = 0;
            if (idx >= 0 && idx < n && rel < scale)
                digit = d[idx] - '0';
            val = val * 10 + digit;
        }
        groups[g] = (int16)val;
    }
    int weight = igroups - 1;
    int first = 0, last = total - 1;
    while (first <= last && groups[first] == 0) {
        first++;
        weight--;
    }
    while (last >= first && groups[last] == 0)
        last--;
    int ndigits = last - first + 1;
    strbuf_append_be16(out, (uint16)ndigits);
    strbuf_append_be16(out, (uint16)(int16)weight);
    strbuf_append_be16(out, v < 0 ? NUMERIC_NEG : NUMERIC_POS);
    strbuf_append_be16(out, (uint16)scale);
    for (int g = first; g <= last; g++)
        strbuf_append_be16(out, (uint16)groups[g]);
}

static int16 rd16(const char *p)
{
    return (int16)(((uint16)(uint8)p[0] << 8) | (uint8)p[1]);
}

int128 decimal_recv(const char *data, size_t len, int precision, int scale)
{
    if (len < 8)
        ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                errmsg("insufficient data left in message"));
    int ndigits = rd16(data);
    int weight = rd16(data + 2);
    uint16 sign = (uint16)rd16(data + 4);
    int dscale = rd16(data + 6);
    if (ndigits < 0 || len != 8 + (size_t)ndigits * 2)
        ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                errmsg("invalid length in external \"numeric\" value"));
    if (sign == NUMERIC_NAN || sign == NUMERIC_PINF || sign == NUMERIC_NINF)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("cannot convert %s to DECIMAL(%d,%d)",
                       sign == NUMERIC_NAN ? "NaN" : "infinity", precision, scale));
    if (sign != NUMERIC_POS && sign != NUMERIC_NEG)
        ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                errmsg("invalid sign in external \"numeric\" value"));
    if (dscale < 0)
        ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                errmsg("invalid scale in external \"numeric\" value"));
    if (ndigits == 0)
        return 0;
    /* Build "[-]0.DDDD...e<exp>" text and reuse the text parser (rounding, overflow). */
    char buf[8 + 4 * 64 + 16];
    if (ndigits > 60) {
        numeric_overflow(precision, scale);
    }
    int p = 0;
    if (sign == NUMERIC_NEG)
        buf[p++] = '-';
    buf[p++] = '0';
    buf[p++] = '.';
    for (int g = 0; g < ndigits; g++) {
        int dg = rd16(data + 8 + 2 * g);
        if (dg < 0 || dg > 9999)
            ereport(ERROR, errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                    errmsg("invalid digit in external \"numeric\" value"));
        buf[p++] = (char)('0' + dg / 1000);
        buf[p++] = (char)('0' + dg / 100 % 10);
        buf[p++] = (char)('0' + dg / 10 % 10);
        buf[p++] = (char)('0' + dg % 10);
    }
    /* value = 0.digits * 10000^(weight+1) */
    int exp10 = (weight + 1) * 4;
    p += snprintf(buf + p, sizeof(buf) - p, "e%d", exp10);
    return decimal_parse(buf, (size_t)p, precision, scale);
}
