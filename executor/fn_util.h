/*
 * fn_util.h: small helpers shared by the scalar function files (fn_*.c):
 * iterating the live rows of a batch, reading/writing typed vector slots,
 * a bump writer for variable-width results, and error positions.
 *
 * Var-width results: a kernel opens one OutBuf per call and reserves the
 * bytes a row may need (an upper bound); the OutBuf carves them out of
 * chunks of the call's scratch arena (>= 16 KB each), so a batch costs a
 * handful of arena allocations, never one per row.  Results that are a
 * slice of an input (substr, trim, split_part, ...) are not copied: the
 * StrView points into the argument, which lives at least as long as the
 * result (expr.h: both stay valid until the next evaluation).
 */
#ifndef LM_FN_UTIL_H
#define LM_FN_UTIL_H

#include "common/error.h"
#include "executor/func.h"

#define FN_SV(v) ((StrView *)(v)->data)
#define FN_I16(v) ((int16 *)(v)->data)
#define FN_I32(v) ((int32 *)(v)->data)
#define FN_I64(v) ((int64 *)(v)->data)
#define FN_F64(v) ((double *)(v)->data)
#define FN_F32(v) ((float *)(v)->data)
#define FN_U8(v) ((uint8 *)(v)->data)
#define FN_I128(v) ((int128 *)(v)->data)
#define FN_OID(v) ((uint32 *)(v)->data)
#define FN_IV(v) ((Interval *)(v)->data)

/* for (each live row r of batch b), i counts live rows */
#define FN_FOREACH(b, i, r)                                                                        \
    for (int i = 0, r = 0, fn_n_ = batch_live_count(b); i < fn_n_ && ((r = batch_row(b, i)), 1);   \
         i++)

typedef struct OutBuf {
    Arena *arena;
    char *p;
    size_t left;
} OutBuf;

static inline void outbuf_init(OutBuf *o, FuncCall *fc, Vector *out)
{
    o->arena = fc->scratch ? fc->scratch : out->arena;
    o->p = NULL;
    o->left = 0;
}

char *fn_outbuf_grow(OutBuf *o, size_t n);

/* Returns room for n bytes; the caller then calls outbuf_commit with what it used. */
static inline char *outbuf_reserve(OutBuf *o, size_t n)
{
    return n <= o->left ? o->p : fn_outbuf_grow(o, n);
}
static inline void outbuf_commit(OutBuf *o, size_t used)
{
    o->p += used;
    o->left -= used;
}

static inline void fn_set_str(Vector *out, int r, const char *p, size_t len)
{
    StrView *sv = &FN_SV(out)[r];
    sv->len = (uint32)len;
    sv->reserved = 0;
    sv->ptr = p;
    vector_set_valid(out, r);
}
/* Copies p[0..len) through the OutBuf into out[r]. */
static inline void fn_put_str(OutBuf *o, Vector *out, int r, const char *p, size_t len)
{
    char *d = outbuf_reserve(o, len);
    if (len)
        memcpy(d, p, len);
    outbuf_commit(o, len);
    fn_set_str(out, r, d, len);
}

/* 1-based error position of the call site (0 when unknown). */
static inline int fn_errpos(const FuncCall *fc)
{
    return fc->expr && fc->expr->location >= 0 ? fc->expr->location + 1 : 0;
}

/* Number of arguments at the call site (variadic functions). */
static inline int fn_nargs(const FuncCall *fc, int declared)
{
    return fc->expr ? fc->expr->nargs : declared;
}

/* Whether argument i is a constant at the call site (patterns compiled once): a literal, or
 * casts of one (the binder coerces 'abc' to the parameter's type). */
static inline bool fn_arg_is_const(const FuncCall *fc, int i)
{
    if (!fc->expr || i >= fc->expr->nargs)
        return false;
    const Expr *e = fc->expr->args[i];
    while (e->kind == EXPR_CAST && e->nargs == 1)
        e = e->args[0];
    return e->kind == EXPR_CONST;
}

/* Bytes of the UTF-8 sequence starting with byte c (1 for invalid lead bytes). */
static inline int fn_utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? (c < 0xC0 ? 1 : 2) : c < 0xF0 ? 3 : 4;
}
/* Number of characters in s[0..len). */
size_t fn_utf8_count(const char *s, size_t len);
/* Byte offset of character index n (0-based) in s, clamped to len. */
size_t fn_utf8_offset(const char *s, size_t len, int64 n);
/* Decodes one character at s (with at least one byte); sets *adv to its byte length. */
uint32 fn_utf8_decode(const char *s, size_t len, int *adv);
/* Encodes a code point; returns bytes written (1..4). */
int fn_utf8_encode(uint32 cp, char *dst);

/* Case mapping of UTF-8 text into dst (room for 2*len+4 bytes); returns bytes written.
 * INITCAP: first letter of each alphanumeric run upper case, the rest lower (PostgreSQL). */
enum { FN_CASE_UPPER, FN_CASE_LOWER, FN_CASE_INITCAP };
size_t fn_case_map(const char *s, size_t len, char *dst, int mode);

#endif
