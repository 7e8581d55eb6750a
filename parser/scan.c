/*
 * scan.c: the token stream under the Laminar pre-parser.
 *
 * pg_query_scan() runs PostgreSQL's own lexer over the whole original text,
 * so quoting, dollar strings, comments and operators are recognised exactly
 * as the real parser will see them.  Its protobuf result is unpacked once and
 * copied into a flat Token array (comments dropped) in the caller's arena;
 * the libpg_query buffers are freed before anything can throw.
 *
 * Also here: the Cursor helpers the recursive-descent grammar uses, identifier
 * folding and string-literal unescaping as PostgreSQL does them, and the
 * character-to-byte conversion for libpg_query's error positions (which count
 * characters, while Laminar's errposition() takes bytes).
 */
#include "parser/parser_int.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <ctype.h>
#include <strings.h>
#include <pg_query.h>
#include <stdlib.h>

#define NAMEDATALEN_MAX 63 /* PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes */

/* PostgreSQL's pg_utf_mblen(): the byte length a UTF-8 lead byte announces. */
static int utf8_len(unsigned char c)
{
    if ((c & 0x80) == 0)
        return 1;
    if ((c & 0xe0) == 0xc0)
        return 2;
    if ((c & 0xf0) == 0xe0)
        return 3;
    if ((c & 0xf8) == 0xf0)
        return 4;
    return 1;
}

int scan_char_to_byte(const char *text, int charpos)
{
    int off = 0;
    size_t len = strlen(text);

    for (int i = 0; i < charpos && (size_t)off < len; i++)
        off += utf8_len((unsigned char)text[off]);
    if ((size_t)off > len)
        off = (int)len;
    return off;
}

static void *scan_alloc(void *data, size_t size)
{
    return arena_alloc((Arena *)data, size ? size : 1);
}

static void scan_free(void *data, void *ptr)
{
    /* arena memory goes with the arena */
}

TokenStream *scan_text(Arena *arena, const char *text)
{
    TokenStream *ts = arena_new(arena, TokenStream);
    ts->arena = arena;
    ts->text = text;
    ts->textlen = (int)strlen(text);

    PgQueryScanResult res = pg_query_scan(text);
    if (res.error) {
        char *msg = arena_strdup(arena, res.error->message ? res.error->message : "syntax error");
        int pos = res.error->cursorpos > 0 ? scan_char_to_byte(text, res.error->cursorpos - 1) : -1;
        pg_query_free_scan_result(res);
        if (pos >= 0)
            ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("%s", msg), errposition(pos + 1));
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("%s", msg));
    }

    ProtobufCAllocator alloc = {scan_alloc, scan_free, arena};
    PgQuery__ScanResult *sr =
        pg_query__scan_result__unpack(&alloc, res.pbuf.len, (const uint8_t *)res.pbuf.data);
    pg_query_free_scan_result(res);
    if (sr == NULL)
        elog(ERROR, "could not decode the scanner's output");

    ts->toks = arena_new_array(arena, Token, sr->n_tokens + 1);
    for (size_t i = 0; i < sr->n_tokens; i++) {
        const PgQuery__ScanToken *st = sr->tokens[i];
        if (st->token == PG_QUERY__TOKEN__SQL_COMMENT || st->token == PG_QUERY__TOKEN__C_COMMENT)
            continue;
        Token *t = &ts->toks[ts->ntoks++];
        t->type = st->token;
        t->kwkind = st->keyword_kind;
        t->start = LM_MAX(0, LM_MIN(st->start, ts->textlen));
        t->end = LM_MAX(t->start, LM_MIN(st->end, ts->textlen));
    }
    /*
     * Unicode-escaped tokens (U&'...', U&"...") come back with end == start;
     * let them run to the next token, less trailing blanks, so statement
     * spans and error messages cover them.
     */
    size_t next = 0; /* scanner tokens (comments included) are in text order */
    for (int i = 0; i < ts->ntoks; i++) {
        Token *t = &ts->toks[i];
        if (t->end > t->start)
            continue;
        while (next < sr->n_tokens && sr->tokens[next]->start <= t->start)
            next++;
        int limit =
            next < sr->n_tokens ? LM_MIN(sr->tokens[next]->start, ts->textlen) : ts->textlen;
        while (limit > t->start && isspace((unsigned char)text[limit - 1]))
            limit--;
        t->end = limit;
    }
    return ts;
}

/* ---------------------------------------------------------------- tokens */

static bool is_quoted_ident(const TokenStream *ts, const Token *t)
{
    return t->type == PG_QUERY__TOKEN__IDENT && t->end > t->start && ts->text[t->start] == '"';
}

bool tok_is_word(const TokenStream *ts, const Token *t, const char *kw)
{
    if (t == NULL)
        return false;
    if (t->kwkind == PG_QUERY__KEYWORD_KIND__NO_KEYWORD && t->type != PG_QUERY__TOKEN__IDENT)
        return false;
    if (is_quoted_ident(ts, t))
        return false;
    size_t n = strlen(kw);
    return (size_t)(t->end - t->start) == n && strncasecmp(ts->text + t->start, kw, n) == 0;
}

bool tok_is_char(const Token *t, int ch)
{
    return t != NULL && t->type == ch && ch < 256;
}

bool tok_is_ident(const TokenStream *ts, const Token *t, int max_kwkind)
{
    if (t == NULL)
        return false;
    if (t->type == PG_QUERY__TOKEN__IDENT)
        return t->end > t->start;
    return t->kwkind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD && t->kwkind <= max_kwkind;
}

/* Clips a byte length to a UTF-8 character boundary, as pg_mbcliplen() does. */
static size_t clip_to_char(const char *s, size_t len, size_t limit)
{
    size_t off = 0;
    while (off < len) {
        size_t l = utf8_len((unsigned char)s[off]);
        if (off + l > limit)
            break;
        off += l;
    }
    return LM_MIN(off, len);
}

char *tok_ident(const TokenStream *ts, const Token *t)
{
    const char *s = ts->text + t->start;
    size_t n = (size_t)(t->end - t->start);
    StrBuf b;
    strbuf_init(&b, ts->arena);

    if (is_quoted_ident(ts, t)) {
        for (size_t i = 1; i + 1 < n; i++) {
            if (s[i] == '"' && s[i + 1] == '"')
                i++;
            strbuf_append_char(&b, s[i]);
        }
    } else {
        /* ASCII only, as PostgreSQL's downcase_identifier() for multibyte encodings */
        for (size_t i = 0; i < n; i++) {
            char ch = s[i];
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch - 'A' + 'a');
            strbuf_append_char(&b, ch);
        }
    }
    if (b.len > NAMEDATALEN_MAX)
        strbuf_truncate(&b, clip_to_char(b.data, b.len, NAMEDATALEN_MAX));
    return b.data;
}

char *tok_text(const TokenStream *ts, const Token *t)
{
    return arena_strndup(ts->arena, ts->text + t->start, (size_t)(t->end - t->start));
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

static void append_utf8(StrBuf *b, uint32 cp)
{
    if (cp < 0x80) {
        strbuf_append_char(b, (char)cp);
    } else if (cp < 0x800) {
        strbuf_append_char(b, (char)(0xc0 | (cp >> 6)));
        strbuf_append_char(b, (char)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        strbuf_append_char(b, (char)(0xe0 | (cp >> 12)));
        strbuf_append_char(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
        strbuf_append_char(b, (char)(0x80 | (cp & 0x3f)));
    } else if (cp <= 0x10ffff) {
        strbuf_append_char(b, (char)(0xf0 | (cp >> 18)));
        strbuf_append_char(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
        strbuf_append_char(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
        strbuf_append_char(b, (char)(0x80 | (cp & 0x3f)));
    }
}

/*
 * Decodes one backslash escape of an E'' string starting at s[i] == '\\';
 * returns the index after it.  Mirrors PostgreSQL's scan.l xe rules.
 */
static size_t decode_escape(const char *s, size_t i, size_t n, StrBuf *b)
{
    i++; /* the backslash */
    if (i >= n)
        return i;
    char c = s[i];
    switch (c) {
    case 'b':
        strbuf_append_char(b, '\b');
        return i + 1;
    case 'f':
        strbuf_append_char(b, '\f');
        return i + 1;
    case 'n':
        strbuf_append_char(b, '\n');
        return i + 1;
    case 'r':
        strbuf_append_char(b, '\r');
        return i + 1;
    case 't':
        strbuf_append_char(b, '\t');
        return i + 1;
    case 'x': {
        int v = 0, k = 0;
        while (k < 2 && i + 1 + k < n && hexval(s[i + 1 + k]) >= 0) {
            v = v * 16 + hexval(s[i + 1 + k]);
            k++;
        }
        if (k == 0) {
            strbuf_append_char(b, 'x');
            return i + 1;
        }
        strbuf_append_char(b, (char)v);
        return i + 1 + k;
    }
    case 'u':
    case 'U': {
        int want = c == 'u' ? 4 : 8;
        uint32 v = 0;
        int k = 0;
        while (k < want && i + 1 + k < n && hexval(s[i + 1 + k]) >= 0) {
            v = v * 16 + (uint32)hexval(s[i + 1 + k]);
            k++;
        }
        if (k < want) { /* the scanner already rejected this; keep the letter */
            strbuf_append_char(b, c);
            return i + 1;
        }
        append_utf8(b, v);
        return i + 1 + k;
    }
    default:
        if (c >= '0' && c <= '7') {
            int v = 0, k = 0;
            while (k < 3 && i + k < n && s[i + k] >= '0' && s[i + k] <= '7') {
                v = v * 8 + (s[i + k] - '0');
                k++;
            }
            strbuf_append_char(b, (char)v);
            return i + k;
        }
        strbuf_append_char(b, c);
        return i + 1;
    }
}

char *tok_string(const TokenStream *ts, const Token *t)
{
    if (t == NULL || t->type != PG_QUERY__TOKEN__SCONST || t->end <= t->start)
        return NULL;
    const char *s = ts->text + t->start;
    size_t n = (size_t)(t->end - t->start);
    StrBuf b;
    strbuf_init(&b, ts->arena);

    if (s[0] == '$') { /* $tag$ ... $tag$ */
        size_t tag = 1;
        while (tag < n && s[tag] != '$')
            tag++;
        tag++; /* including both dollars */
        if (2 * tag > n)
            return NULL;
        strbuf_append(&b, s + tag, n - 2 * tag);
        return b.data;
    }

    bool escapes = false;
    size_t i = 0;
    if (s[0] == 'e' || s[0] == 'E') {
        escapes = true;
        i = 1;
    } else if (s[0] == 'n' || s[0] == 'N') {
        i = 1;
    }
    if (i >= n || s[i] != '\'')
        return NULL;
    i++;
    while (i < n) {
        if (s[i] == '\'') {
            if (i + 1 < n && s[i + 1] == '\'') {
                strbuf_append_char(&b, '\'');
                i += 2;
                continue;
            }
            /* end of a segment; a continuation is whitespace with a newline, then a quote */
            i++;
            while (i < n && s[i] != '\'') {
                if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
                    while (i < n && s[i] != '\n')
                        i++;
                } else {
                    i++;
                }
            }
            if (i < n)
                i++; /* the quote opening the next segment */
            continue;
        }
        if (escapes && s[i] == '\\') {
            i = decode_escape(s, i, n, &b);
            continue;
        }
        strbuf_append_char(&b, s[i]);
        i++;
    }
    return b.data;
}

/* ---------------------------------------------------------------- cursor */

const Token *cur_tok(const Cursor *c)
{
    return c->pos < c->end ? &c->ts->toks[c->pos] : NULL;
}

const Token *cur_peek(const Cursor *c, int ahead)
{
    return c->pos + ahead < c->end ? &c->ts->toks[c->pos + ahead] : NULL;
}

bool cur_at_end(const Cursor *c)
{
    return c->pos >= c->end;
}

bool cur_is_word(const Cursor *c, const char *kw)
{
    return tok_is_word(c->ts, cur_tok(c), kw);
}

bool cur_peek_word(const Cursor *c, int ahead, const char *kw)
{
    return tok_is_word(c->ts, cur_peek(c, ahead), kw);
}

bool cur_is_char(const Cursor *c, int ch)
{
    return tok_is_char(cur_tok(c), ch);
}

bool cur_accept_word(Cursor *c, const char *kw)
{
    if (!cur_is_word(c, kw))
        return false;
    c->pos++;
    return true;
}

bool cur_accept_char(Cursor *c, int ch)
{
    if (!cur_is_char(c, ch))
        return false;
    c->pos++;
    return true;
}

void cur_expect_word(Cursor *c, const char *kw)
{
    if (!cur_accept_word(c, kw))
        cur_syntax_error(c);
}

void cur_expect_char(Cursor *c, int ch)
{
    if (!cur_accept_char(c, ch))
        cur_syntax_error(c);
}

void cur_expect_end(Cursor *c)
{
    if (!cur_at_end(c))
        cur_syntax_error(c);
}

int cur_location(const Cursor *c)
{
    if (c->pos < c->ts->ntoks)
        return c->ts->toks[c->pos].start;
    return c->ts->textlen;
}

void cur_syntax_error(const Cursor *c)
{
    const TokenStream *ts = c->ts;
    if (c->pos < ts->ntoks) {
        /* inside the statement, or at its terminating ';' */
        const Token *t = &ts->toks[c->pos];
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("syntax error at or near \"%s\"", tok_text(ts, t)),
                errposition(t->start + 1));
    }
    ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("syntax error at end of input"),
            errposition(ts->textlen + 1));
}

char *cur_expect_ident(Cursor *c, int *location)
{
    const Token *t = cur_tok(c);
    if (!tok_is_ident(c->ts, t, PG_QUERY__KEYWORD_KIND__COL_NAME_KEYWORD))
        cur_syntax_error(c);
    if (location)
        *location = t->start;
    c->pos++;
    return tok_ident(c->ts, t);
}

int scan_depth_bound(const TokenStream *ts, int first, int end)
{
    /* per open group: the best finished item, and the current item's own tokens and deepest child
     */
    typedef struct Group {
        int best;
        int tokens;
        int child;
    } Group;
    int cap = 32, depth = 0, bound = 0;
    Group *stack = lm_malloc(sizeof(Group) * cap);
    stack[0] = (Group){0, 0, 0};

    for (int i = first; i <= end; i++) {
        int type = i < end ? ts->toks[i].type : ';';
        if (type == '(' || type == '[') {
            if (++depth == cap) {
                cap *= 2;
                stack = lm_realloc(stack, sizeof(Group) * cap);
            }
            stack[depth] = (Group){0, 0, 0};
            continue;
        }
        if ((type == ')' || type == ']') && depth > 0) {
            Group *g = &stack[depth--];
            int group = LM_MAX(g->best, g->tokens + g->child) + 1;
            stack[depth].child = LM_MAX(stack[depth].child, group);
            stack[depth].tokens++;
            continue;
        }
        if (type == ',' || type == ';') {
            if (type == ';') /* a statement ends: close what it left open */
                while (depth > 0) {
                    Group *g = &stack[depth--];
                    int group = LM_MAX(g->best, g->tokens + g->child) + 1;
                    stack[depth].child = LM_MAX(stack[depth].child, group);
                    stack[depth].tokens++;
                }
            Group *g = &stack[depth];
            g->best = LM_MAX(g->best, g->tokens + g->child);
            g->tokens = g->child = 0;
            if (depth == 0) {
                bound = LM_MAX(bound, g->best);
                if (type == ';')
                    g->best = 0;
            }
            continue;
        }
        stack[depth].tokens++;
    }
    lm_free(stack);
    return bound + 2;
}
