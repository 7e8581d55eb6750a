/* strbuf.c: growable byte buffer. */
#include "common/strbuf.h"

#include <ctype.h>
#include <stdio.h>

void strbuf_init(StrBuf *b, Arena *arena)
{
    b->arena = arena;
    b->cap = 64;
    b->len = 0;
    b->data = arena ? arena_alloc(arena, b->cap) : lm_malloc(b->cap);
    b->data[0] = '\0';
}

void strbuf_free(StrBuf *b)
{
    if (b->arena == NULL && b->data)
        lm_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void strbuf_reset(StrBuf *b)
{
    b->len = 0;
    b->data[0] = '\0';
}

void strbuf_reserve(StrBuf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap * 2;
    while (cap < need)
        cap *= 2;
    if (b->arena)
        b->data = arena_realloc(b->arena, b->data, b->len + 1, cap);
    else
        b->data = lm_realloc(b->data, cap);
    b->cap = cap;
}

void strbuf_append(StrBuf *b, const void *p, size_t n)
{
    strbuf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void strbuf_append_str(StrBuf *b, const char *s)
{
    strbuf_append(b, s, strlen(s));
}

void strbuf_append_char(StrBuf *b, char c)
{
    strbuf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void strbuf_vprintf(StrBuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    size_t avail = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, avail, fmt, ap);
    if (n >= 0 && (size_t)n >= avail) {
        strbuf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    }
    va_end(ap2);
    if (n > 0)
        b->len += (size_t)n;
    b->data[b->len] = '\0';
}

void strbuf_printf(StrBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void strbuf_append_be16(StrBuf *b, uint16 v)
{
    uint8 x[2] = {(uint8)(v >> 8), (uint8)v};
    strbuf_append(b, x, 2);
}

void strbuf_append_be32(StrBuf *b, uint32 v)
{
    uint8 x[4] = {(uint8)(v >> 24), (uint8)(v >> 16), (uint8)(v >> 8), (uint8)v};
    strbuf_append(b, x, 4);
}

void strbuf_append_be64(StrBuf *b, uint64 v)
{
    strbuf_append_be32(b, (uint32)(v >> 32));
    strbuf_append_be32(b, (uint32)v);
}

void strbuf_append_sql_literal(StrBuf *b, const char *s)
{
    strbuf_append_char(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            strbuf_append_char(b, '\'');
        strbuf_append_char(b, *s);
    }
    strbuf_append_char(b, '\'');
}

/* Words that must be quoted when used as identifiers in generated SQL. */
static const char *const reserved_words[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case",
    "cast", "check", "collate", "column", "constraint", "create", "current_catalog",
    "current_date", "current_role", "current_time", "current_timestamp", "current_user",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
    "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
    "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on",
    "only", "or", "order", "placing", "primary", "references", "returning", "select",
    "session_user", "some", "symmetric", "table", "then", "to", "trailing", "true", "union",
    "unique", "user", "using", "variadic", "when", "where", "window", "with"};

void strbuf_append_sql_ident(StrBuf *b, const char *s)
{
    bool plain = (*s >= 'a' && *s <= 'z') || *s == '_';
    for (const char *p = s; *p && plain; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            plain = false;
    for (size_t i = 0; plain && i < LM_ARRAY_LEN(reserved_words); i++)
        if (strcmp(s, reserved_words[i]) == 0)
            plain = false;
    if (plain) {
        strbuf_append_str(b, s);
        return;
    }
    strbuf_append_char(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            strbuf_append_char(b, '"');
        strbuf_append_char(b, *s);
    }
    strbuf_append_char(b, '"');
}
