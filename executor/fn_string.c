/*
 * fn_string.c: PostgreSQL's text functions as vectorized kernels (upper,
 * lower, length, substr, position, concat, trim, replace, split_part, left,
 * right, lpad, rpad, repeat, reverse, initcap, md5, translate, chr, ascii,
 * to_hex, quote_*, format, overlay, ...) and the bytea ones (encode/decode
 * hex/base64/escape, convert_to/convert_from for UTF8/LATIN1/SQL_ASCII,
 * md5, sha224..sha512, length).
 *
 * Strings are UTF-8 and character based like PostgreSQL with a UTF8 server
 * encoding: positions and lengths count characters, not bytes.  Each kernel
 * loops over the live rows of its batch; results that are slices of the
 * input point into it, others are written through an OutBuf (fn_util.h).
 * Case mapping is fn_case_map (fn_util.c); lower()/upper() first try an
 * ASCII path 8 bytes at a time and return unchanged rows as input slices.
 */
#include "executor/fn_util.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <strings.h>

#define CM_ONES 0x0101010101010101ULL
#define CM_HIGH 0x8080808080808080ULL

/*
 * lower()/upper() of ASCII text, 8 bytes at a time (SWAR): per byte, c + (0x80 - lo) has its
 * high bit set iff c >= lo, and c + (0x7f - hi) iff c > hi (no carries between bytes, as every
 * byte is < 0x80), so bit 7 of the mask marks bytes in [lo, hi]; shifted right by 2 it is the
 * 0x20 case bit to flip.  Writes to dst unless dst is NULL (a dry run that only checks).
 * Returns -1 when a byte >= 0x80 is found (the caller maps the string with fn_case_map),
 * otherwise whether any byte changed.
 */
static int ascii_case_map(const char *s, size_t len, char *dst, bool upper)
{
    const uint64 add_lo = CM_ONES * (uint64)(0x80 - (upper ? 'a' : 'A'));
    const uint64 add_hi = CM_ONES * (uint64)(0x7f - (upper ? 'z' : 'Z'));
    uint64 changed = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64 w;
        memcpy(&w, s + i, 8);
        if (w & CM_HIGH)
            return -1;
        uint64 m = ((w + add_lo) & ~(w + add_hi) & CM_HIGH) >> 2;
        changed |= m;
        if (dst) {
            w ^= m;
            memcpy(dst + i, &w, 8);
        }
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return -1;
        bool hit = upper ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z');
        changed |= hit;
        if (dst)
            dst[i] = (char)(hit ? c ^ 0x20 : c);
    }
    return changed != 0;
}

/*
 * lower()/upper(): ASCII rows take the SWAR path; a row that would not change is returned as
 * a slice of the input (no copy), others are written into the batch's OutBuf.  Rows with
 * bytes >= 0x80 go through fn_case_map (locale case mapping).
 */
static void case_kernel_ascii(FuncCall *fc, Vector **args, const Batch *b, Vector *out, int mode)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *in = FN_SV(args[0]);
    bool upper = mode == FN_CASE_UPPER;
    FN_FOREACH(b, i, r)
    {
        size_t len = in[r].len;
        int c = ascii_case_map(in[r].ptr, len, NULL, upper);
        if (c == 0) {
            fn_set_str(out, r, in[r].ptr, len);
            continue;
        }
        char *d;
        size_t n;
        if (c > 0) {
            d = outbuf_reserve(&ob, len);
            ascii_case_map(in[r].ptr, len, d, upper);
            n = len;
        } else {
            d = outbuf_reserve(&ob, len * 2 + 4);
            n = fn_case_map(in[r].ptr, len, d, mode);
        }
        outbuf_commit(&ob, n);
        fn_set_str(out, r, d, n);
    }
}

static void case_kernel(FuncCall *fc, Vector **args, const Batch *b, Vector *out, int mode)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *in = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        char *d = outbuf_reserve(&ob, (size_t)in[r].len * 2 + 4);
        size_t n = fn_case_map(in[r].ptr, in[r].len, d, mode);
        outbuf_commit(&ob, n);
        fn_set_str(out, r, d, n);
    }
}

static void fn_upper(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    case_kernel_ascii(fc, args, b, out, FN_CASE_UPPER);
}
static void fn_lower(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    case_kernel_ascii(fc, args, b, out, FN_CASE_LOWER);
}
static void fn_initcap(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    case_kernel(fc, args, b, out, FN_CASE_INITCAP);
}

/* ---------- lengths ---------- */

static void fn_char_length(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *in = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        FN_I32(out)[r] = (int32)fn_utf8_count(in[r].ptr, in[r].len);
        vector_set_valid(out, r);
    }
}

static void fn_octet_length(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *in = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        FN_I32(out)[r] = (int32)in[r].len;
        vector_set_valid(out, r);
    }
}

/* ---------- substrings ---------- */

/* Characters [start, start+count) with 1-based start (PostgreSQL text_substring). */
static void substring_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool has_len)
{
    const StrView *in = FN_SV(args[0]);
    const int32 *from = FN_I32(args[1]);
    const int32 *cnt = has_len ? FN_I32(args[2]) : NULL;
    FN_FOREACH(b, i, r)
    {
        int64 s = from[r];
        int64 e;
        if (has_len) {
            if (cnt[r] < 0)
                ereport(ERROR, errcode("22011"), errmsg("negative substring length not allowed"),
                        errposition(fn_errpos(fc)));
            e = s + cnt[r];
        } else
            e = INT64_MAX;
        if (s < 1)
            s = 1;
        const char *p = in[r].ptr;
        size_t len = in[r].len;
        if (e <= s) {
            fn_set_str(out, r, "", 0);
            continue;
        }
        size_t bs = fn_utf8_offset(p, len, s - 1);
        size_t be = e == INT64_MAX ? len : bs + fn_utf8_offset(p + bs, len - bs, e - s);
        fn_set_str(out, r, p + bs, be - bs);
    }
}

static void fn_substr3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    substring_rows(fc, args, b, out, true);
}
static void fn_substr2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    substring_rows(fc, args, b, out, false);
}

/* Byte offset of needle in hay or -1. */
static int64 find_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen == 0)
        return 0;
    const char *f = memmem(hay, hlen, needle, nlen);
    return f ? f - hay : -1;
}

static void fn_strpos(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *s = FN_SV(args[0]), *sub = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        int64 off = find_bytes(s[r].ptr, s[r].len, sub[r].ptr, sub[r].len);
        FN_I32(out)[r] = off < 0 ? 0 : (int32)fn_utf8_count(s[r].ptr, off) + 1;
        vector_set_valid(out, r);
    }
}

static void fn_left(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *s = FN_SV(args[0]);
    const int32 *n = FN_I32(args[1]);
    FN_FOREACH(b, i, r)
    {
        int64 k = n[r];
        if (k < 0)
            k = (int64)fn_utf8_count(s[r].ptr, s[r].len) + k;
        size_t e = k <= 0 ? 0 : fn_utf8_offset(s[r].ptr, s[r].len, k);
        fn_set_str(out, r, s[r].ptr, e);
    }
}

static void fn_right(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *s = FN_SV(args[0]);
    const int32 *n = FN_I32(args[1]);
    FN_FOREACH(b, i, r)
    {
        int64 chars = (int64)fn_utf8_count(s[r].ptr, s[r].len);
        int64 k = n[r];
        int64 skip = k < 0 ? -k : chars - k;
        if (skip < 0)
            skip = 0;
        size_t off = fn_utf8_offset(s[r].ptr, s[r].len, skip);
        fn_set_str(out, r, s[r].ptr + off, s[r].len - off);
    }
}

static void fn_split_part(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *s = FN_SV(args[0]), *d = FN_SV(args[1]);
    const int32 *fld = FN_I32(args[2]);
    FN_FOREACH(b, i, r)
    {
        int32 f = fld[r];
        if (f == 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("field position must not be zero"), errposition(fn_errpos(fc)));
        const char *p = s[r].ptr;
        size_t len = s[r].len, dl = d[r].len;
        if (dl == 0 || len == 0) {
            /* the whole string is the only field (PostgreSQL: empty input gives '') */
            if (len > 0 && (f == 1 || f == -1))
                fn_set_str(out, r, p, len);
            else
                fn_set_str(out, r, "", 0);
            continue;
        }
        if (f < 0) {
            /* count fields, then take field nfields + f + 1 */
            int64 nf = 1;
            for (size_t off = 0;;) {
                int64 x = find_bytes(p + off, len - off, d[r].ptr, dl);
                if (x < 0)
                    break;
                nf++;
                off += x + dl;
            }
            f = (int32)(nf + f + 1);
            if (f <= 0) {
                fn_set_str(out, r, "", 0);
                continue;
            }
        }
        size_t start = 0;
        int32 k = 1;
        for (;;) {
            int64 x = find_bytes(p + start, len - start, d[r].ptr, dl);
            if (k == f) {
                fn_set_str(out, r, p + start, x < 0 ? len - start : (size_t)x);
                break;
            }
            if (x < 0) {
                fn_set_str(out, r, "", 0);
                break;
            }
            start += x + dl;
            k++;
        }
    }
}

/* ---------- trim ---------- */

enum { TRIM_BOTH = 3, TRIM_LEADING = 1, TRIM_TRAILING = 2 };

static bool char_in_set(const char *c, int clen, const char *set, size_t slen)
{
    for (size_t j = 0; j < slen;) {
        int l = fn_utf8_len((unsigned char)set[j]);
        if (l == clen && memcmp(set + j, c, clen) == 0)
            return true;
        j += l;
    }
    return false;
}

static void trim_rows(Vector **args, const Batch *b, Vector *out, int which, bool has_set)
{
    const StrView *s = FN_SV(args[0]);
    const StrView *set = has_set ? FN_SV(args[1]) : NULL;
    FN_FOREACH(b, i, r)
    {
        const char *p = s[r].ptr;
        size_t len = s[r].len;
        const char *cs = has_set ? set[r].ptr : " ";
        size_t cl = has_set ? set[r].len : 1;
        size_t a = 0, e = len;
        if (which & TRIM_LEADING)
            while (a < e) {
                int l = fn_utf8_len((unsigned char)p[a]);
                if (a + l > e || !char_in_set(p + a, l, cs, cl))
                    break;
                a += l;
            }
        if (which & TRIM_TRAILING)
            while (e > a) {
                size_t st = e - 1;
                while (st > a && ((unsigned char)p[st] & 0xC0) == 0x80)
                    st--;
                if (!char_in_set(p + st, (int)(e - st), cs, cl))
                    break;
                e = st;
            }
        fn_set_str(out, r, p + a, e - a);
    }
}

static void fn_btrim1(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    trim_rows(args, b, out, TRIM_BOTH, false);
}
static void fn_btrim2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    trim_rows(args, b, out, TRIM_BOTH, true);
}
static void fn_ltrim1(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    trim_rows(args, b, out, TRIM_LEADING, false);
}
static void fn_ltrim2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    trim_rows(args, b, out, TRIM_LEADING, true);
}
static void fn_rtrim1(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    trim_rows(args, b, out, TRIM_TRAILING, false);
}
static void fn_rtrim2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    trim_rows(args, b, out, TRIM_TRAILING, true);
}

/* ---------- building new strings ---------- */

static void fn_replace(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *s = FN_SV(args[0]), *from = FN_SV(args[1]), *to = FN_SV(args[2]);
    FN_FOREACH(b, i, r)
    {
        const char *p = s[r].ptr;
        size_t len = s[r].len, fl = from[r].len, tl = to[r].len;
        int64 x = fl ? find_bytes(p, len, from[r].ptr, fl) : -1;
        if (x < 0) {
            fn_set_str(out, r, p, len);
            continue;
        }
        /* count matches for an exact bound */
        size_t nm = 0;
        for (size_t off = 0;;) {
            int64 y = find_bytes(p + off, len - off, from[r].ptr, fl);
            if (y < 0)
                break;
            nm++;
            off += y + fl;
        }
        size_t cap = len - nm * fl + nm * tl;
        char *d = outbuf_reserve(&ob, cap);
        size_t o = 0, off = 0;
        for (;;) {
            int64 y = find_bytes(p + off, len - off, from[r].ptr, fl);
            if (y < 0)
                break;
            memcpy(d + o, p + off, y);
            o += y;
            memcpy(d + o, to[r].ptr, tl);
            o += tl;
            off += y + fl;
        }
        memcpy(d + o, p + off, len - off);
        o += len - off;
        outbuf_commit(&ob, o);
        fn_set_str(out, r, d, o);
    }
}

#define MAX_STRING_BYTES (1024 * 1024 * 1024 - 1) /* PostgreSQL's MaxAllocSize for a text */

static void too_long(FuncCall *fc)
{
    ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("requested length too large"),
            errposition(fn_errpos(fc)));
}

static void pad_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool left,
                     bool has_fill)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *s = FN_SV(args[0]);
    const int32 *want = FN_I32(args[1]);
    const StrView *fill = has_fill ? FN_SV(args[2]) : NULL;
    FN_FOREACH(b, i, r)
    {
        int64 n = want[r] < 0 ? 0 : want[r];
        const char *p = s[r].ptr;
        size_t len = s[r].len;
        int64 chars = (int64)fn_utf8_count(p, len);
        const char *fp = has_fill ? fill[r].ptr : " ";
        size_t fl = has_fill ? fill[r].len : 1;
        if (chars >= n || fl == 0) {
            size_t e = fn_utf8_offset(p, len, chars >= n ? n : chars);
            fn_set_str(out, r, p, e);
            continue;
        }
        int64 padchars = n - chars;
        if ((size_t)padchars * 4 + len > MAX_STRING_BYTES)
            too_long(fc);
        char *d = outbuf_reserve(&ob, (size_t)padchars * 4 + len);
        size_t o = 0;
        if (!left) {
            memcpy(d, p, len);
            o = len;
        }
        for (size_t fpos = 0; padchars > 0; padchars--) {
            int l = fn_utf8_len((unsigned char)fp[fpos]);
            if (fpos + l > fl)
                l = (int)(fl - fpos);
            memcpy(d + o, fp + fpos, l);
            o += l;
            fpos += l;
            if (fpos >= fl)
                fpos = 0;
        }
        if (left) {
            memcpy(d + o, p, len);
            o += len;
        }
        outbuf_commit(&ob, o);
        fn_set_str(out, r, d, o);
    }
}

static void fn_lpad2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    pad_rows(fc, args, b, out, true, false);
}
static void fn_lpad3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    pad_rows(fc, args, b, out, true, true);
}
static void fn_rpad2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    pad_rows(fc, args, b, out, false, false);
}
static void fn_rpad3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    pad_rows(fc, args, b, out, false, true);
}

static void fn_repeat(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *s = FN_SV(args[0]);
    const int32 *cnt = FN_I32(args[1]);
    FN_FOREACH(b, i, r)
    {
        int64 n = cnt[r] < 0 ? 0 : cnt[r];
        size_t len = s[r].len;
        if ((uint64)n * len > MAX_STRING_BYTES)
            too_long(fc);
        size_t total = (size_t)n * len;
        char *d = outbuf_reserve(&ob, total);
        for (int64 k = 0; k < n; k++)
            memcpy(d + k * len, s[r].ptr, len);
        outbuf_commit(&ob, total);
        fn_set_str(out, r, d, total);
    }
}

static void fn_reverse(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *s = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        size_t len = s[r].len;
        char *d = outbuf_reserve(&ob, len);
        const char *p = s[r].ptr;
        for (size_t k = 0; k < len;) {
            int l = fn_utf8_len((unsigned char)p[k]);
            if (k + l > len)
                l = (int)(len - k);
            memcpy(d + len - k - l, p + k, l);
            k += l;
        }
        outbuf_commit(&ob, len);
        fn_set_str(out, r, d, len);
    }
}

static void fn_translate(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *s = FN_SV(args[0]), *from = FN_SV(args[1]), *to = FN_SV(args[2]);
    FN_FOREACH(b, i, r)
    {
        const char *p = s[r].ptr;
        size_t len = s[r].len;
        char *d = outbuf_reserve(&ob, len * 4 + 4);
        size_t o = 0;
        for (size_t k = 0; k < len;) {
            int l = fn_utf8_len((unsigned char)p[k]);
            if (k + l > len)
                l = (int)(len - k);
            /* find the character's index in from */
            int64 idx = -1, ci = 0;
            for (size_t j = 0; j < from[r].len; ci++) {
                int fl = fn_utf8_len((unsigned char)from[r].ptr[j]);
                if (fl == l && memcmp(from[r].ptr + j, p + k, l) == 0) {
                    idx = ci;
                    break;
                }
                j += fl;
            }
            if (idx < 0) {
                memcpy(d + o, p + k, l);
                o += l;
            } else {
                size_t to_off = fn_utf8_offset(to[r].ptr, to[r].len, idx);
                if (to_off < to[r].len) {
                    int tl = fn_utf8_len((unsigned char)to[r].ptr[to_off]);
                    if (to_off + tl > to[r].len)
                        tl = (int)(to[r].len - to_off);
                    memcpy(d + o, to[r].ptr + to_off, tl);
                    o += tl;
                }
            }
            k += l;
        }
        outbuf_commit(&ob, o);
        fn_set_str(out, r, d, o);
    }
}

static void fn_md5(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    static const char hex[] = "0123456789abcdef";
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *s = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        unsigned char dig[EVP_MAX_MD_SIZE];
        unsigned int dl = 0;
        if (!EVP_Digest(s[r].ptr, s[r].len, dig, &dl, EVP_md5(), NULL))
            elog(ERROR, "could not compute MD5 hash");
        char *d = outbuf_reserve(&ob, 32);
        for (int k = 0; k < 16; k++) {
            d[2 * k] = hex[dig[k] >> 4];
            d[2 * k + 1] = hex[dig[k] & 15];
        }
        outbuf_commit(&ob, 32);
        fn_set_str(out, r, d, 32);
    }
}

static void fn_starts_with(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *s = FN_SV(args[0]), *pre = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        FN_U8(out)[r] = pre[r].len <= s[r].len && memcmp(s[r].ptr, pre[r].ptr, pre[r].len) == 0;
        vector_set_valid(out, r);
    }
}

static void fn_ascii(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *s = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        int adv;
        FN_I32(out)[r] = s[r].len == 0 ? 0 : (int32)fn_utf8_decode(s[r].ptr, s[r].len, &adv);
        vector_set_valid(out, r);
    }
}

static void fn_chr(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const int32 *c = FN_I32(args[0]);
    FN_FOREACH(b, i, r)
    {
        int32 cp = c[r];
        if (cp < 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("character number must be positive"), errposition(fn_errpos(fc)));
        if (cp == 0)
            ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("null character not permitted"), errposition(fn_errpos(fc)));
        if (cp > 0x10FFFF)
            ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("requested character too large for encoding: %d", cp),
                    errposition(fn_errpos(fc)));
        if (cp >= 0xD800 && cp <= 0xDFFF)
            ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("requested character not valid for encoding: %d", cp),
                    errposition(fn_errpos(fc)));
        char *d = outbuf_reserve(&ob, 4);
        int n = fn_utf8_encode((uint32)cp, d);
        outbuf_commit(&ob, n);
        fn_set_str(out, r, d, n);
    }
}

static void to_hex_rows(FuncCall *fc, const Batch *b, Vector *out, const Vector *in, bool is64)
{
    static const char hex[] = "0123456789abcdef";
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    FN_FOREACH(b, i, r)
    {
        uint64 v = is64 ? (uint64)FN_I64(in)[r] : (uint64)(uint32)FN_I32(in)[r];
        char tmp[16];
        int n = 0;
        do {
            tmp[n++] = hex[v & 15];
            v >>= 4;
        } while (v);
        char *d = outbuf_reserve(&ob, n);
        for (int k = 0; k < n; k++)
            d[k] = tmp[n - 1 - k];
        outbuf_commit(&ob, n);
        fn_set_str(out, r, d, n);
    }
}
static void fn_to_hex32(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    to_hex_rows(fc, b, out, args[0], false);
}
static void fn_to_hex64(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    to_hex_rows(fc, b, out, args[0], true);
}

/* ---------- quoting ---------- */

/* PostgreSQL quote_literal: doubles quotes; E'' form with doubled backslashes when needed. */
static void append_quote_literal(StrBuf *sb, const char *p, size_t len)
{
    if (memchr(p, '\\', len))
        strbuf_append_char(sb, 'E');
    strbuf_append_char(sb, '\'');
    for (size_t k = 0; k < len; k++) {
        if (p[k] == '\'' || p[k] == '\\')
            strbuf_append_char(sb, p[k]);
        strbuf_append_char(sb, p[k]);
    }
    strbuf_append_char(sb, '\'');
}

static void append_quote_ident(StrBuf *sb, Arena *a, const char *p, size_t len)
{
    strbuf_append_sql_ident(sb, arena_strndup(a, p, len));
}

static void quote_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, int mode)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    const StrView *s = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        strbuf_reset(&sb);
        if (mode == 2 && !vector_is_valid(args[0], r))
            strbuf_append_str(&sb, "NULL");
        else if (mode == 0)
            append_quote_ident(&sb, ob.arena, s[r].ptr, s[r].len);
        else
            append_quote_literal(&sb, s[r].ptr, s[r].len);
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}
static void fn_quote_ident(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    quote_rows(fc, args, b, out, 0);
}
static void fn_quote_literal(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    quote_rows(fc, args, b, out, 1);
}
static void fn_quote_nullable(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    quote_rows(fc, args, b, out, 2);
}

/* ---------- variadic: concat, concat_ws, format ---------- */

/* Appends the text form of args[k][r] (StrView directly for string-like types). */
static void append_value(StrBuf *sb, const Vector *v, int r)
{
    if (v->type->id == TYPE_STRING || v->type->id == TYPE_JSON || v->type->id == TYPE_UNKNOWN) {
        const StrView *sv = &FN_SV(v)[r];
        strbuf_append(sb, sv->ptr, sv->len);
    } else
        value_format_text(v, r, sb);
}

static void concat_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool ws)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    int nargs = fn_nargs(fc, ws ? 2 : 1);
    FN_FOREACH(b, i, r)
    {
        if (ws && !vector_is_valid(args[0], r)) {
            vector_set_null(out, r);
            continue;
        }
        strbuf_reset(&sb);
        bool first = true;
        for (int k = ws ? 1 : 0; k < nargs; k++) {
            if (!vector_is_valid(args[k], r))
                continue;
            if (ws && !first)
                strbuf_append(&sb, FN_SV(args[0])[r].ptr, FN_SV(args[0])[r].len);
            append_value(&sb, args[k], r);
            first = false;
        }
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}
static void fn_concat(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    concat_rows(fc, args, b, out, false);
}
static void fn_concat_ws(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    concat_rows(fc, args, b, out, true);
}

static void format_error(FuncCall *fc, const char *msg)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", msg),
            errposition(fn_errpos(fc)));
}

/* Parses a decimal number at f[*pos]; returns -1 when there are no digits. */
static int64 parse_num(FuncCall *fc, const char *f, size_t len, size_t *pos)
{
    int64 n = -1;
    while (*pos < len && f[*pos] >= '0' && f[*pos] <= '9') {
        n = (n < 0 ? 0 : n) * 10 + (f[*pos] - '0');
        if (n > INT32_MAX)
            format_error(fc, "number is out of range");
        (*pos)++;
    }
    return n;
}

/*
 * format(fmt, args...): %[argpos$][-][width]{s,I,L} and %%, as PostgreSQL's
 * text_format.  A NULL argument prints as '' for %s, NULL for %L and is an
 * error for %I.  Width given by '*' is not supported (0A000).
 */
static void format_row(FuncCall *fc, Vector **args, int nargs, int r, StrBuf *sb, Arena *a)
{
    const StrView *fs = &FN_SV(args[0])[r];
    const char *f = fs->ptr;
    size_t len = fs->len;
    int next_arg = 1; /* args[1] is the first value */
    for (size_t k = 0; k < len; k++) {
        if (f[k] != '%') {
            strbuf_append_char(sb, f[k]);
            continue;
        }
        k++;
        if (k >= len)
            format_error(fc, "unterminated format() type specifier");
        if (f[k] == '%') {
            strbuf_append_char(sb, '%');
            continue;
        }
        size_t save = k;
        int64 argpos = parse_num(fc, f, len, &k);
        if (argpos >= 0 && k < len && f[k] == '$') {
            if (argpos == 0)
                format_error(fc, "format specifies argument 0, but arguments are numbered from 1");
            k++;
        } else {
            argpos = -1;
            k = save;
        }
        bool minus = false;
        while (k < len && f[k] == '-') {
            minus = true;
            k++;
        }
        if (k < len && f[k] == '*')
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("format() width given by \"*\" is not supported"),
                    errposition(fn_errpos(fc)));
        int64 width = parse_num(fc, f, len, &k);
        if (k >= len)
            format_error(fc, "unterminated format() type specifier");
        char type = f[k];
        if (type != 's' && type != 'I' && type != 'L')
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("unrecognized format() type specifier \"%c\"", type),
                    errhint("For a single \"%%\" use \"%%%%\"."), errposition(fn_errpos(fc)));
        int argi = argpos > 0 ? (int)argpos : next_arg;
        next_arg = argi + 1;
        if (argi >= nargs)
            format_error(fc, "too few arguments for format()");
        const Vector *v = args[argi];
        bool isnull = !vector_is_valid(v, r);
        size_t startlen = sb->len;
        if (type == 's') {
            if (!isnull)
                append_value(sb, v, r);
        } else if (type == 'L') {
            if (isnull)
                strbuf_append_str(sb, "NULL");
            else {
                StrBuf tmp;
                strbuf_init(&tmp, a);
                append_value(&tmp, v, r);
                append_quote_literal(sb, tmp.data, tmp.len);
            }
        } else {
            if (isnull)
                ereport(ERROR, errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("null values cannot be formatted as an SQL identifier"),
                        errposition(fn_errpos(fc)));
            StrBuf tmp;
            strbuf_init(&tmp, a);
            append_value(&tmp, v, r);
            append_quote_ident(sb, a, tmp.data, tmp.len);
        }
        if (width > 0) {
            int64 chars = (int64)fn_utf8_count(sb->data + startlen, sb->len - startlen);
            if (chars < width) {
                size_t pad = (size_t)(width - chars);
                if (minus) {
                    for (size_t q = 0; q < pad; q++)
                        strbuf_append_char(sb, ' ');
                } else {
                    strbuf_reserve(sb, pad);
                    memmove(sb->data + startlen + pad, sb->data + startlen, sb->len - startlen);
                    memset(sb->data + startlen, ' ', pad);
                    sb->len += pad;
                    sb->data[sb->len] = '\0';
                }
            }
        }
    }
}

static void fn_format(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    int nargs = fn_nargs(fc, 1);
    FN_FOREACH(b, i, r)
    {
        if (!vector_is_valid(args[0], r)) {
            vector_set_null(out, r);
            continue;
        }
        strbuf_reset(&sb);
        format_row(fc, args, nargs, r, &sb, ob.arena);
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}

/* ---------- bytea: encode/decode, conversions, digests ---------- */

static LM_NORETURN void bad_data(FuncCall *fc, const char *msg)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", msg),
            errposition(fn_errpos(fc)));
}

enum { ENC_HEX, ENC_BASE64, ENC_ESCAPE };

static int encoding_format(FuncCall *fc, const StrView *f)
{
    if (f->len == 3 && strncasecmp(f->ptr, "hex", 3) == 0)
        return ENC_HEX;
    if (f->len == 6 && strncasecmp(f->ptr, "base64", 6) == 0)
        return ENC_BASE64;
    if (f->len == 6 && strncasecmp(f->ptr, "escape", 6) == 0)
        return ENC_ESCAPE;
    ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
            errmsg("unrecognized encoding: \"%.*s\"", (int)f->len, f->ptr),
            errposition(fn_errpos(fc)));
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* encode(bytea, format): hex, base64 (lines of 76 characters, as PostgreSQL) or escape. */
static void fn_encode(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    static const char hex[] = "0123456789abcdef";
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *s = FN_SV(args[0]), *f = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        const unsigned char *p = (const unsigned char *)s[r].ptr;
        size_t len = s[r].len, o = 0;
        int fmt = encoding_format(fc, &f[r]);
        char *d = outbuf_reserve(&ob, len * 4 + len / 57 + 4);
        if (fmt == ENC_HEX) {
            for (size_t k = 0; k < len; k++) {
                d[o++] = hex[p[k] >> 4];
                d[o++] = hex[p[k] & 15];
            }
        } else if (fmt == ENC_BASE64) {
            size_t line = 0;
            for (size_t k = 0; k < len; k += 3) {
                uint32 v = (uint32)p[k] << 16;
                if (k + 1 < len)
                    v |= (uint32)p[k + 1] << 8;
                if (k + 2 < len)
                    v |= p[k + 2];
                if (line >= 76) {
                    d[o++] = '\n';
                    line = 0;
                }
                d[o++] = b64chars[(v >> 18) & 63];
                d[o++] = b64chars[(v >> 12) & 63];
                d[o++] = k + 1 < len ? b64chars[(v >> 6) & 63] : '=';
                d[o++] = k + 2 < len ? b64chars[v & 63] : '=';
                line += 4;
            }
        } else {
            for (size_t k = 0; k < len; k++) {
                if (p[k] == '\\') {
                    d[o++] = '\\';
                    d[o++] = '\\';
                } else if (p[k] == 0 || p[k] >= 0x80) {
                    d[o++] = '\\';
                    d[o++] = (char)('0' + (p[k] >> 6));
                    d[o++] = (char)('0' + ((p[k] >> 3) & 7));
                    d[o++] = (char)('0' + (p[k] & 7));
                } else
                    d[o++] = (char)p[k];
            }
        }
        outbuf_commit(&ob, o);
        fn_set_str(out, r, d, o);
    }
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* decode(text, format): the reverse of encode; whitespace is skipped in hex and base64. */
static void fn_decode(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *s = FN_SV(args[0]), *f = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        const char *p = s[r].ptr;
        size_t len = s[r].len, o = 0;
        int fmt = encoding_format(fc, &f[r]);
        unsigned char *d = (unsigned char *)outbuf_reserve(&ob, len + 3);
        if (fmt == ENC_HEX) {
            for (size_t k = 0; k < len;) {
                if (p[k] == ' ' || p[k] == '\n' || p[k] == '\t' || p[k] == '\r') {
                    k++;
                    continue;
                }
                int hi = hexval(p[k]);
                if (hi < 0)
                    ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("invalid hexadecimal digit: \"%.*s\"",
                                   fn_utf8_len((unsigned char)p[k]), p + k),
                            errposition(fn_errpos(fc)));
                if (k + 1 >= len)
                    bad_data(fc, "invalid hexadecimal data: odd number of digits");
                int lo = hexval(p[k + 1]);
                if (lo < 0)
                    ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("invalid hexadecimal digit: \"%.*s\"",
                                   fn_utf8_len((unsigned char)p[k + 1]), p + k + 1),
                            errposition(fn_errpos(fc)));
                d[o++] = (unsigned char)(hi << 4 | lo);
                k += 2;
            }
        } else if (fmt == ENC_BASE64) {
            uint32 acc = 0;
            int nbits = 0, pad = 0;
            size_t nsym = 0;
            for (size_t k = 0; k < len; k++) {
                char c = p[k];
                if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
                    continue;
                if (c == '=') {
                    pad++;
                    continue;
                }
                const char *pos = c ? strchr(b64chars, c) : NULL;
                if (pos == NULL || pad)
                    ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg(pad ? "invalid base64 end sequence"
                                       : "invalid symbol \"%.*s\" found while decoding base64 "
                                         "sequence",
                                   fn_utf8_len((unsigned char)c), p + k),
                            errposition(fn_errpos(fc)));
                acc = (acc << 6) | (uint32)(pos - b64chars);
                nbits += 6;
                nsym++;
                if (nbits >= 8) {
                    nbits -= 8;
                    d[o++] = (unsigned char)(acc >> nbits);
                }
            }
            /* whole groups of four, at most two '=' */
            if ((nsym + pad) % 4 != 0 || pad > 2 || (pad && nbits / 2 != pad))
                bad_data(fc, "invalid base64 end sequence");
        } else {
            for (size_t k = 0; k < len;) {
                if (p[k] != '\\') {
                    d[o++] = (unsigned char)p[k++];
                    continue;
                }
                if (k + 1 < len && p[k + 1] == '\\') {
                    d[o++] = '\\';
                    k += 2;
                } else if (k + 3 < len && p[k + 1] >= '0' && p[k + 1] <= '3' && p[k + 2] >= '0' &&
                           p[k + 2] <= '7' && p[k + 3] >= '0' && p[k + 3] <= '7') {
                    d[o++] = (unsigned char)((p[k + 1] - '0') << 6 | (p[k + 2] - '0') << 3 |
                                             (p[k + 3] - '0'));
                    k += 4;
                } else
                    d[o++] = (unsigned char)p[k++];
            }
        }
        outbuf_commit(&ob, o);
        fn_set_str(out, r, (const char *)d, o);
    }
}

enum { CS_UTF8, CS_LATIN1, CS_ASCII };

static int charset_of(FuncCall *fc, const StrView *name, bool dest)
{
    char buf[32];
    size_t n = 0;
    for (size_t k = 0; k < name->len && n < sizeof(buf) - 1; k++)
        if (name->ptr[k] != '-' && name->ptr[k] != '_')
            buf[n++] = (char)((name->ptr[k] >= 'a' && name->ptr[k] <= 'z') ? name->ptr[k] - 32
                                                                           : name->ptr[k]);
    buf[n] = '\0';
    if (strcmp(buf, "UTF8") == 0 || strcmp(buf, "UNICODE") == 0)
        return CS_UTF8;
    if (strcmp(buf, "LATIN1") == 0 || strcmp(buf, "ISO88591") == 0)
        return CS_LATIN1;
    if (strcmp(buf, "SQLASCII") == 0)
        return CS_ASCII;
    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
            errmsg("conversion %s encoding \"%.*s\" is not supported (UTF8, LATIN1, SQL_ASCII)",
                   dest ? "to" : "from", (int)name->len, name->ptr),
            errposition(fn_errpos(fc)));
}

/* Length of the valid UTF-8 sequence at p, or 0 (PostgreSQL's pg_utf8_verifychar rules). */
static int utf8_valid_len(const unsigned char *p, size_t len)
{
    unsigned char c = p[0];
    int l = c < 0x80             ? 1
            : (c & 0xE0) == 0xC0 ? 2
            : (c & 0xF0) == 0xE0 ? 3
            : (c & 0xF8) == 0xF0 ? 4
                                 : 0;
    if (l == 0 || (size_t)l > len || c == 0 || c == 0xC0 || c == 0xC1)
        return 0;
    for (int k = 1; k < l; k++)
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    if ((l == 3 && c == 0xE0 && p[1] < 0xA0) || (l == 3 && c == 0xED && p[1] > 0x9F) ||
        (l == 4 && c == 0xF0 && p[1] < 0x90) ||
        (l == 4 && (c > 0xF4 || (c == 0xF4 && p[1] > 0x8F))))
        return 0;
    return l;
}

static LM_NORETURN void bad_sequence(FuncCall *fc, const unsigned char *p, size_t len,
                                     const char *enc)
{
    char bytes[32];
    int n = 0, want = fn_utf8_len(p[0]);
    for (int k = 0; k < want && (size_t)k < len && n < 24; k++)
        n += snprintf(bytes + n, sizeof(bytes) - n, "%s0x%02x", k ? " " : "", p[k]);
    ereport(ERROR, errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
            errmsg("invalid byte sequence for encoding \"%s\": %s", enc, bytes),
            errposition(fn_errpos(fc)));
}

/* convert_to(text, encoding) -> bytea and convert_from(bytea, encoding) -> text. */
static void convert_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool to)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *s = FN_SV(args[0]), *e = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        const unsigned char *p = (const unsigned char *)s[r].ptr;
        size_t len = s[r].len;
        int cs = charset_of(fc, &e[r], to);
        if (cs == CS_UTF8 || (cs == CS_ASCII && to)) {
            if (!to)
                for (size_t k = 0; k < len;) {
                    int l = utf8_valid_len(p + k, len - k);
                    if (l == 0)
                        bad_sequence(fc, p + k, len - k, "UTF8");
                    k += l;
                }
            fn_set_str(out, r, s[r].ptr, len);
            continue;
        }
        char *d = outbuf_reserve(&ob, len * 2);
        size_t o = 0;
        if (to) { /* UTF-8 text to LATIN1 bytes */
            for (size_t k = 0; k < len;) {
                int adv;
                uint32 cp = fn_utf8_decode((const char *)p + k, len - k, &adv);
                if (cp > 0xFF) {
                    char bytes[32];
                    int n = 0;
                    for (int q = 0; q < adv; q++)
                        n += snprintf(bytes + n, sizeof(bytes) - n, "%s0x%02x", q ? " " : "",
                                      p[k + q]);
                    ereport(ERROR, errcode("22P05"),
                            errmsg("character with byte sequence %s in encoding \"UTF8\" has no "
                                   "equivalent in encoding \"LATIN1\"",
                                   bytes),
                            errposition(fn_errpos(fc)));
                }
                d[o++] = (char)cp;
                k += adv;
            }
        } else if (cs == CS_LATIN1) { /* LATIN1 bytes to UTF-8 text */
            for (size_t k = 0; k < len; k++) {
                if (p[k] == 0)
                    bad_sequence(fc, p + k, 1, "LATIN1");
                o += fn_utf8_encode(p[k], d + o);
            }
        } else { /* SQL_ASCII: bytes as they are, but text must be valid UTF-8 */
            for (size_t k = 0; k < len;) {
                int l = utf8_valid_len(p + k, len - k);
                if (l == 0)
                    bad_sequence(fc, p + k, len - k, "UTF8");
                k += l;
            }
            memcpy(d, p, len);
            o = len;
        }
        outbuf_commit(&ob, o);
        fn_set_str(out, r, d, o);
    }
}
static void fn_convert_to(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    convert_rows(fc, args, b, out, true);
}
static void fn_convert_from(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    convert_rows(fc, args, b, out, false);
}

/* sha224/256/384/512(bytea) -> bytea */
static void digest_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, const EVP_MD *md)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *s = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        unsigned char dig[EVP_MAX_MD_SIZE];
        unsigned int dl = 0;
        if (!EVP_Digest(s[r].ptr, s[r].len, dig, &dl, md, NULL))
            elog(ERROR, "could not compute %s hash", EVP_MD_get0_name(md));
        fn_put_str(&ob, out, r, (const char *)dig, dl);
    }
}
static void fn_sha224(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    digest_rows(fc, args, b, out, EVP_sha224());
}
static void fn_sha256(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    digest_rows(fc, args, b, out, EVP_sha256());
}
static void fn_sha384(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    digest_rows(fc, args, b, out, EVP_sha384());
}
static void fn_sha512(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    digest_rows(fc, args, b, out, EVP_sha512());
}

static void fn_bit_length(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *in = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        FN_I32(out)[r] = (int32)in[r].len * 8;
        vector_set_valid(out, r);
    }
}

/* overlay(s placing t from start [for count]): characters of s replaced by t. */
static void overlay_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool has_count)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *s = FN_SV(args[0]), *t = FN_SV(args[1]);
    const int32 *from = FN_I32(args[2]);
    FN_FOREACH(b, i, r)
    {
        int64 start = from[r];
        int64 count = has_count ? FN_I32(args[3])[r] : (int64)fn_utf8_count(t[r].ptr, t[r].len);
        if (start <= 0 || count < 0)
            ereport(ERROR, errcode("22011"), errmsg("negative substring length not allowed"),
                    errposition(fn_errpos(fc)));
        const char *p = s[r].ptr;
        size_t len = s[r].len;
        size_t cut1 = fn_utf8_offset(p, len, start - 1);
        size_t cut2 = cut1 + fn_utf8_offset(p + cut1, len - cut1, count);
        size_t total = cut1 + t[r].len + (len - cut2);
        char *d = outbuf_reserve(&ob, total);
        memcpy(d, p, cut1);
        memcpy(d + cut1, t[r].ptr, t[r].len);
        memcpy(d + cut1 + t[r].len, p + cut2, len - cut2);
        outbuf_commit(&ob, total);
        fn_set_str(out, r, d, total);
    }
}
static void fn_overlay4(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    overlay_rows(fc, args, b, out, true);
}
static void fn_overlay3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    overlay_rows(fc, args, b, out, false);
}

/* ---------- the table ---------- */

/* clang-format off */
#define S TYPE_STRING
#define I4 TYPE_INT32
#define I8 TYPE_INT64
#define STRICT FN_STRICT

const FuncDesc lm_funcs_string[] = {
    {"upper", 871, 1, {S}, S, NULL, fn_upper, STRICT, "uppercase"},
    {"lower", 870, 1, {S}, S, NULL, fn_lower, STRICT, "lowercase"},
    {"initcap", 872, 1, {S}, S, NULL, fn_initcap, STRICT, "capitalize each word"},
    {"length", 1317, 1, {S}, I4, NULL, fn_char_length, STRICT, "length"},
    {"char_length", 1381, 1, {S}, I4, NULL, fn_char_length, STRICT, "character length"},
    {"character_length", 1369, 1, {S}, I4, NULL, fn_char_length, STRICT, "character length"},
    {"octet_length", 1374, 1, {S}, I4, NULL, fn_octet_length, STRICT, "octet length"},
    {"substr", 877, 3, {S, I4, I4}, S, NULL, fn_substr3, STRICT, "extract portion of string"},
    {"substr", 883, 2, {S, I4}, S, NULL, fn_substr2, STRICT, "extract portion of string"},
    {"substring", 936, 3, {S, I4, I4}, S, NULL, fn_substr3, STRICT, "extract portion of string"},
    {"substring", 937, 2, {S, I4}, S, NULL, fn_substr2, STRICT, "extract portion of string"},
    {"position", 849, 2, {S, S}, I4, NULL, fn_strpos, STRICT, "position of substring"},
    {"strpos", 868, 2, {S, S}, I4, NULL, fn_strpos, STRICT, "position of substring"},
    {"left", 3060, 2, {S, I4}, S, NULL, fn_left, STRICT, "extract the first n characters"},
    {"right", 3061, 2, {S, I4}, S, NULL, fn_right, STRICT, "extract the last n characters"},
    {"split_part", 2088, 3, {S, S, I4}, S, NULL, fn_split_part, STRICT,
     "split string by field_sep and return field_num"},
    {"btrim", 885, 1, {S}, S, NULL, fn_btrim1, STRICT, "trim spaces from both ends"},
    {"btrim", 884, 2, {S, S}, S, NULL, fn_btrim2, STRICT, "trim characters from both ends"},
    {"ltrim", 881, 1, {S}, S, NULL, fn_ltrim1, STRICT, "trim spaces from the left"},
    {"ltrim", 875, 2, {S, S}, S, NULL, fn_ltrim2, STRICT, "trim characters from the left"},
    {"rtrim", 882, 1, {S}, S, NULL, fn_rtrim1, STRICT, "trim spaces from the right"},
    {"rtrim", 876, 2, {S, S}, S, NULL, fn_rtrim2, STRICT, "trim characters from the right"},
    {"replace", 2087, 3, {S, S, S}, S, NULL, fn_replace, STRICT,
     "replace all occurrences in string of old_substr with new_substr"},
    {"lpad", 879, 2, {S, I4}, S, NULL, fn_lpad2, STRICT, "left-pad string to length"},
    {"lpad", 873, 3, {S, I4, S}, S, NULL, fn_lpad3, STRICT, "left-pad string to length"},
    {"rpad", 880, 2, {S, I4}, S, NULL, fn_rpad2, STRICT, "right-pad string to length"},
    {"rpad", 874, 3, {S, I4, S}, S, NULL, fn_rpad3, STRICT, "right-pad string to length"},
    {"repeat", 1622, 2, {S, I4}, S, NULL, fn_repeat, STRICT,
     "replicate string n times"},
    {"reverse", 3062, 1, {S}, S, NULL, fn_reverse, STRICT, "reverse text"},
    {"translate", 878, 3, {S, S, S}, S, NULL, fn_translate, STRICT,
     "map a set of characters appearing in string"},
    {"md5", 2311, 1, {S}, S, NULL, fn_md5, STRICT, "MD5 hash"},
    {"md5", 2321, 1, {TYPE_BINARY}, S, NULL, fn_md5, STRICT, "MD5 hash"},
    {"sha224", 3419, 1, {TYPE_BINARY}, TYPE_BINARY, NULL, fn_sha224, STRICT, "SHA-224 hash"},
    {"sha256", 3420, 1, {TYPE_BINARY}, TYPE_BINARY, NULL, fn_sha256, STRICT, "SHA-256 hash"},
    {"sha384", 3421, 1, {TYPE_BINARY}, TYPE_BINARY, NULL, fn_sha384, STRICT, "SHA-384 hash"},
    {"sha512", 3422, 1, {TYPE_BINARY}, TYPE_BINARY, NULL, fn_sha512, STRICT, "SHA-512 hash"},
    {"encode", 1946, 2, {TYPE_BINARY, S}, S, NULL, fn_encode, STRICT, "convert bytea value into some ascii-only text string"},
    {"decode", 1947, 2, {S, S}, TYPE_BINARY, NULL, fn_decode, STRICT, "convert ascii-encoded text string into bytea value"},
    {"convert_to", 1717, 2, {S, S}, TYPE_BINARY, NULL, fn_convert_to, STRICT | FN_STABLE, "convert string with specified destination encoding name"},
    {"convert_from", 1714, 2, {TYPE_BINARY, S}, S, NULL, fn_convert_from, STRICT | FN_STABLE, "convert string with specified source encoding name"},
    {"length", 2010, 1, {TYPE_BINARY}, I4, NULL, fn_octet_length, STRICT, "octet length"},
    {"octet_length", 720, 1, {TYPE_BINARY}, I4, NULL, fn_octet_length, STRICT, "octet length"},
    {"bit_length", 1811, 1, {S}, I4, NULL, fn_bit_length, STRICT, "length in bits"},
    {"overlay", 1404, 4, {S, S, I4, I4}, S, NULL, fn_overlay4, STRICT, "substitute portion of string"},
    {"overlay", 1405, 3, {S, S, I4}, S, NULL, fn_overlay3, STRICT, "substitute portion of string"},
    {"starts_with", 3696, 2, {S, S}, TYPE_BOOL, NULL, fn_starts_with, STRICT,
     "starts with given prefix"},
    {"ascii", 1620, 1, {S}, I4, NULL, fn_ascii, STRICT, "convert first char to int4"},
    {"chr", 1621, 1, {I4}, S, NULL, fn_chr, STRICT, "convert int4 to char"},
    {"to_hex", 2089, 1, {I4}, S, NULL, fn_to_hex32, STRICT,
     "convert int4 number to hex"},
    {"to_hex", 2090, 1, {I8}, S, NULL, fn_to_hex64, STRICT,
     "convert int8 number to hex"},
    {"quote_ident", 1282, 1, {S}, S, NULL, fn_quote_ident, STRICT,
     "quote an identifier for usage in a querystring"},
    {"quote_literal", 1283, 1, {S}, S, NULL, fn_quote_literal, STRICT,
     "quote a literal for usage in a querystring"},
    {"quote_nullable", 1289, 1, {S}, S, NULL, fn_quote_nullable, 0,
     "quote a possibly-null literal for usage in a querystring"},
    {"concat", 3058, 1, {FT_ANY}, S, NULL, fn_concat, FN_STABLE | FN_VARIADIC,
     "concatenate values"},
    {"concat_ws", 3059, 2, {S, FT_ANY}, S, NULL, fn_concat_ws, FN_STABLE | FN_VARIADIC,
     "concatenate values with separators"},
    {"format", 3540, 1, {S}, S, NULL, fn_format, FN_STABLE,
     "format text message"},
    {"format", 3539, 2, {S, FT_ANY}, S, NULL, fn_format, FN_STABLE | FN_VARIADIC,
     "format text message"},
};
/* clang-format on */
const int lm_nfuncs_string = sizeof(lm_funcs_string) / sizeof(lm_funcs_string[0]);
