/*
 * strbuf.h: growable byte buffer (PostgreSQL's StringInfo).
 *
 * A StrBuf either lives in an arena (strbuf_init(buf, arena)) and is freed
 * with it, or on the heap (arena NULL) and is freed with strbuf_free().  The
 * data is always NUL-terminated for convenience; len excludes the NUL.
 */
#ifndef LM_STRBUF_H
#define LM_STRBUF_H

#include "common/arena.h"
#include <stdarg.h>

typedef struct StrBuf {
    char *data;
    size_t len;
    size_t cap;
    Arena *arena; /* NULL: heap (lm_malloc) */
} StrBuf;

void strbuf_init(StrBuf *b, Arena *arena);
void strbuf_free(StrBuf *b); /* heap buffers only; no-op for arena ones */
void strbuf_reset(StrBuf *b);
void strbuf_reserve(StrBuf *b, size_t extra);
void strbuf_append(StrBuf *b, const void *p, size_t n);
void strbuf_append_str(StrBuf *b, const char *s);
void strbuf_append_char(StrBuf *b, char c);
void strbuf_printf(StrBuf *b, const char *fmt, ...) LM_PRINTF(2, 3);
void strbuf_vprintf(StrBuf *b, const char *fmt, va_list ap);
/* Big-endian integers, as the PostgreSQL wire protocol writes them. */
void strbuf_append_be16(StrBuf *b, uint16 v);
void strbuf_append_be32(StrBuf *b, uint32 v);
void strbuf_append_be64(StrBuf *b, uint64 v);
/* Appends s as an SQL string literal ('...' with quotes doubled). */
void strbuf_append_sql_literal(StrBuf *b, const char *s);
/* Appends s as an SQL identifier, double-quoted only when needed. */
void strbuf_append_sql_ident(StrBuf *b, const char *s);

static inline void strbuf_truncate(StrBuf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

#endif
