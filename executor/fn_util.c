/*
 * fn_util.c: helpers shared by the scalar function files (see fn_util.h):
 * the OutBuf chunk allocator and UTF-8 character walking.
 */
#include "executor/fn_util.h"

#include <locale.h>
#include <pthread.h>
#include <wctype.h>

#define OUTBUF_CHUNK 16384

char *fn_outbuf_grow(OutBuf *o, size_t n)
{
    size_t sz = n > OUTBUF_CHUNK ? n : OUTBUF_CHUNK;
    o->p = arena_alloc(o->arena, sz);
    o->left = sz;
    return o->p;
}

size_t fn_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

size_t fn_utf8_offset(const char *s, size_t len, int64 n)
{
    size_t off = 0;
    while (n > 0 && off < len) {
        off += fn_utf8_len((unsigned char)s[off]);
        n--;
    }
    return off < len ? off : len;
}

uint32 fn_utf8_decode(const char *s, size_t len, int *adv)
{
    const unsigned char *u = (const unsigned char *)s;
    int l = fn_utf8_len(u[0]);
    if ((size_t)l > len)
        l = 1;
    *adv = l;
    switch (l) {
    case 1:
        return u[0];
    case 2:
        return ((uint32)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    case 3:
        return ((uint32)(u[0] & 0x0F) << 12) | ((uint32)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    default:
        return ((uint32)(u[0] & 0x07) << 18) | ((uint32)(u[1] & 0x3F) << 12) |
               ((uint32)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
    }
}

int fn_utf8_encode(uint32 cp, char *dst)
{
    unsigned char *d = (unsigned char *)dst;
    if (cp < 0x80) {
        d[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (unsigned char)(0xC0 | (cp >> 6));
        d[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (unsigned char)(0xE0 | (cp >> 12));
        d[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (unsigned char)(0xF0 | (cp >> 18));
    d[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Case mapping: ASCII inline; other characters through the C.UTF-8 locale's
 * tables (towupper_l) with a locale object created once per process, so the
 * global locale is never touched.
 */

static locale_t utf8_locale;
static pthread_once_t utf8_locale_once = PTHREAD_ONCE_INIT;

static void utf8_locale_init(void)
{
    utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static locale_t get_utf8_locale(void)
{
    pthread_once(&utf8_locale_once, utf8_locale_init);
    return utf8_locale;
}

size_t fn_case_map(const char *s, size_t len, char *dst, int mode)
{
    size_t o = 0;
    bool word_start = true;
    locale_t loc = NULL;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            bool up;
            if (mode == FN_CASE_INITCAP) {
                bool alnum =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                up = word_start;
                word_start = !alnum;
            } else
                up = mode == FN_CASE_UPPER;
            if (up && c >= 'a' && c <= 'z')
                c -= 32;
            else if (!up && c >= 'A' && c <= 'Z')
                c += 32;
            dst[o++] = (char)c;
            i++;
            continue;
        }
        int adv;
        uint32 cp = fn_utf8_decode(s + i, len - i, &adv);
        if (!loc)
            loc = get_utf8_locale();
        uint32 m = cp;
        if (loc) {
            bool up;
            if (mode == FN_CASE_INITCAP) {
                up = word_start;
                word_start = !iswalnum_l((wint_t)cp, loc);
            } else
                up = mode == FN_CASE_UPPER;
            m = up ? (uint32)towupper_l((wint_t)cp, loc) : (uint32)towlower_l((wint_t)cp, loc);
        }
        if (m == cp) {
            memcpy(dst + o, s + i, adv);
            o += adv;
        } else
            o += fn_utf8_encode(m, dst + o);
        i += adv;
    }
    return o;
}
