/*
 * parser_int.h: declarations shared by the files of parser/ and by nobody else.
 *
 * The front end works on one token array per parser_parse() call, produced by
 * pg_query_scan() over the whole original text (scan.c).  Every offset kept
 * here is a 0-based byte offset into that original text, so error positions
 * and node locations never need translating back.  A Cursor walks the tokens
 * of one statement; the Laminar grammar (preparse.c, options.c) is a plain
 * recursive-descent parser over it.  The PostgreSQL parts go through
 * libpg_query (pgtree.c).
 */
#ifndef LM_PARSER_INT_H
#define LM_PARSER_INT_H

#include "parser/parser.h"

/* One scanner token; comments are dropped when the array is built. */
typedef struct Token {
    int type;   /* PgQuery__Token: an ASCII code for one-character tokens */
    int kwkind; /* PgQuery__KeywordKind: 0 = not a keyword */
    int start;  /* byte offsets into the original text */
    int end;
} Token;

typedef struct TokenStream {
    Arena *arena;
    const char *text; /* the original text, as passed to parser_parse() */
    int textlen;
    Token *toks;
    int ntoks;
} TokenStream;

/* A position in the tokens of one statement: toks[pos .. end) ; end is its ';' or ntoks. */
typedef struct Cursor {
    TokenStream *ts;
    int pos;
    int end;
} Cursor;

/* ---- scan.c ---- */
TokenStream *scan_text(Arena *arena, const char *text);
/* 0-based byte offset of the 0-based character position charpos (PostgreSQL's UTF-8 counting). */
int scan_char_to_byte(const char *text, int charpos);
/*
 * An upper bound of the parse tree depth of the statements in toks[first ..
 * end): comma-separated items are siblings, so within each parenthesised
 * group depth grows at most by one per token of the longest item.
 */
int scan_depth_bound(const TokenStream *ts, int first, int end);
const Token *cur_tok(const Cursor *c); /* NULL at the end of the statement */
const Token *cur_peek(const Cursor *c, int ahead);
bool cur_at_end(const Cursor *c);
/* The current token is the unquoted word kw (case-insensitive; keywords and identifiers alike). */
bool cur_is_word(const Cursor *c, const char *kw);
bool cur_peek_word(const Cursor *c, int ahead, const char *kw);
bool cur_is_char(const Cursor *c, int ch);
bool cur_accept_word(Cursor *c, const char *kw);
bool cur_accept_char(Cursor *c, int ch);
void cur_expect_word(Cursor *c, const char *kw);
void cur_expect_char(Cursor *c, int ch);
void cur_expect_end(Cursor *c);
/* Byte offset of the current token, or of the statement's end. */
int cur_location(const Cursor *c);
/* 42601 "syntax error at or near ..." at the current token (or "at end of input"). */
void cur_syntax_error(const Cursor *c) LM_NORETURN;

bool tok_is_word(const TokenStream *ts, const Token *t, const char *kw);
bool tok_is_char(const Token *t, int ch);
/* A token usable as an identifier: plain or quoted identifier, or a keyword of kind <= max_kwkind.
 */
bool tok_is_ident(const TokenStream *ts, const Token *t, int max_kwkind);
/* Its value: lower-cased unless quoted, truncated to 63 bytes as PostgreSQL does. */
char *tok_ident(const TokenStream *ts, const Token *t);
char *tok_text(const TokenStream *ts, const Token *t);
/* The value of a string literal token ('..', E'..', $$..$$, N'..'); NULL if t is no such literal.
 */
char *tok_string(const TokenStream *ts, const Token *t);
/* An identifier (IDENT or non-reserved keyword) or 42601. */
char *cur_expect_ident(Cursor *c, int *location);

/* ---- pgtree.c ---- */
typedef struct PgParseError {
    const char *sqlstate; /* 42601 for syntax errors */
    const char *message;
    int position; /* 0-based byte offset into the original text; -1 = none */
} PgParseError;

/*
 * Parses input with libpg_query into the arena.  input must be byte-for-byte
 * aligned with the original text from offset 0 (the callers blank out what
 * is not to be parsed), so that locations and error positions need no
 * translation.  depth_bound is an upper bound of the tree's nesting depth
 * (scan_depth_bound()), which sizes the stack the parse runs on.  Returns NULL and fills *err on a
 * syntax error (or a tree too deep to unpack safely); never throws.
 */
PgQuery__ParseResult *pgtree_parse(Arena *arena, const char *input, int depth_bound,
                                   PgParseError *err);
void pgtree_raise(const PgParseError *err) LM_NORETURN;
/* Adds delta to every non-negative location/stmt_location field under msg. */
void pgtree_shift_locations(ProtobufCMessage *msg, int delta);
/*
 * parser_parse_expr() for an expression cut out of a larger statement:
 * follow_text/follow_location name the token after it (NULL: none), which a
 * "syntax error at end of input" is then reported at instead.
 */
PgQuery__Node *pgtree_parse_expr(Arena *arena, const char *text, int base_location,
                                 const char *follow_text, int follow_location);
/* A copy of text[0 .. end) with bytes outside [keep_start, end) replaced by spaces. */
char *pgtree_blank_outside(Arena *arena, const char *text, int keep_start, int end);

/* ---- options.c ---- */
/* A set of names (option keys, column names) for duplicate checks in linear time. */
typedef struct NameSet {
    const char **slots;
    size_t mask;
    size_t count;
    Arena *arena;
} NameSet;
void nameset_init(NameSet *set, Arena *arena);
bool nameset_add(NameSet *set, const char *name); /* false if already present */

/* After '(' has been consumed: key = value, ... ')' */
void parse_option_list(Cursor *c, int *noptions, StmtOption **options);
/* After '(' has been consumed: key, ... ')' */
void parse_reset_list(Cursor *c, int *nnames, const char ***names);

/* ---- preparse.c ---- */
/* Whether the statement at toks[first .. end) is one of Laminar's own; never throws. */
bool preparse_is_laminar(TokenStream *ts, int first, int end);
/* Parses the Laminar statement at toks[first .. end) into *stmt (kind, names, options, ...). */
void preparse_statement(TokenStream *ts, int first, int end, ParsedStmt *stmt);

#endif
