/*
 * options.c: WITH (key = value, ...) and RESET (key, ...) lists of Laminar DDL.
 *
 * Keys are identifiers (lower-cased unless double-quoted), dotted paths of
 * identifiers (properties.max.poll.records, for pass-through client settings)
 * or single-quoted strings kept as written ('properties.acks').  Values keep
 * their kind (string, number, boolean, bare word, SECRET name) so that option
 * validation can say "expected a number" rather than guess.  The '=' may be
 * left out (PostgreSQL's `key 'value'` generic-option form).
 *
 * Duplicate keys are a syntax-level error here (42601, as PostgreSQL's
 * "conflicting or redundant options"), found through a small hash set so a
 * hostile list of a million keys costs linear time.
 */
#include "parser/parser_int.h"
#include "common/error.h"
#include "common/strbuf.h"

static uint64 hash_name(const char *s)
{
    uint64 h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void nameset_init(NameSet *set, Arena *arena)
{
    set->arena = arena;
    set->mask = 15;
    set->count = 0;
    set->slots = arena_new_array(arena, const char *, set->mask + 1);
}

/* Adds name; returns false if it was already there. */
bool nameset_add(NameSet *set, const char *name)
{
    if ((set->count + 1) * 2 > set->mask + 1) {
        NameSet grown = {arena_new_array(set->arena, const char *, (set->mask + 1) * 2),
                         set->mask * 2 + 1, 0, set->arena};
        for (size_t i = 0; i <= set->mask; i++)
            if (set->slots[i])
                nameset_add(&grown, set->slots[i]);
        *set = grown;
    }
    size_t i = hash_name(name) & set->mask;
    while (set->slots[i]) {
        if (strcmp(set->slots[i], name) == 0)
            return false;
        i = (i + 1) & set->mask;
    }
    set->slots[i] = name;
    set->count++;
    return true;
}

/* A key: 'string' | part ('.' part)* where a part is any word or an integer. */
static char *parse_key(Cursor *c, int *location)
{
    TokenStream *ts = c->ts;
    const Token *t = cur_tok(c);
    if (t == NULL)
        cur_syntax_error(c);
    *location = t->start;

    if (t->type == PG_QUERY__TOKEN__SCONST) {
        char *s = tok_string(ts, t);
        if (s == NULL || s[0] == '\0') {
            if (s == NULL)
                cur_syntax_error(c);
            ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("option name must not be empty"),
                    errposition(t->start + 1));
        }
        c->pos++;
        return s;
    }

    StrBuf b;
    strbuf_init(&b, ts->arena);
    for (;;) {
        t = cur_tok(c);
        if (tok_is_ident(ts, t, PG_QUERY__KEYWORD_KIND__RESERVED_KEYWORD))
            strbuf_append_str(&b, tok_ident(ts, t));
        else if (t && t->type == PG_QUERY__TOKEN__ICONST)
            strbuf_append_str(&b, tok_text(ts, t));
        else
            cur_syntax_error(c);
        c->pos++;
        if (!cur_is_char(c, '.'))
            break;
        strbuf_append_char(&b, '.');
        c->pos++;
    }
    return b.data;
}

static bool is_number_token(const Token *t)
{
    return t && (t->type == PG_QUERY__TOKEN__ICONST || t->type == PG_QUERY__TOKEN__FCONST);
}

static void parse_value(Cursor *c, StmtOption *opt)
{
    TokenStream *ts = c->ts;
    const Token *t = cur_tok(c);
    if (t == NULL)
        cur_syntax_error(c);
    opt->value_location = t->start;

    if (t->type == PG_QUERY__TOKEN__SCONST) {
        opt->value = tok_string(ts, t);
        if (opt->value == NULL)
            cur_syntax_error(c);
        opt->kind = OPTVAL_STRING;
        c->pos++;
        return;
    }
    if (tok_is_char(t, '-') || tok_is_char(t, '+')) {
        const Token *num = cur_peek(c, 1);
        if (!is_number_token(num)) {
            c->pos++;
            cur_syntax_error(c);
        }
        opt->value =
            arena_printf(ts->arena, "%s%s", tok_is_char(t, '-') ? "-" : "", tok_text(ts, num));
        opt->kind = OPTVAL_NUMBER;
        c->pos += 2;
        return;
    }
    if (is_number_token(t)) {
        opt->value = tok_text(ts, t);
        opt->kind = OPTVAL_NUMBER;
        c->pos++;
        return;
    }
    if (cur_is_word(c, "true") || cur_is_word(c, "on") || cur_is_word(c, "false") ||
        cur_is_word(c, "off")) {
        opt->value = (cur_is_word(c, "true") || cur_is_word(c, "on")) ? "true" : "false";
        opt->kind = OPTVAL_BOOL;
        c->pos++;
        return;
    }
    if (cur_is_word(c, "secret") &&
        tok_is_ident(ts, cur_peek(c, 1), PG_QUERY__KEYWORD_KIND__COL_NAME_KEYWORD)) {
        c->pos++;
        opt->value = cur_expect_ident(c, NULL);
        opt->kind = OPTVAL_SECRET;
        return;
    }
    if (tok_is_ident(ts, t, PG_QUERY__KEYWORD_KIND__RESERVED_KEYWORD)) {
        /* a bare word, possibly dotted: format = json, codec = avro.confluent */
        StrBuf b;
        strbuf_init(&b, ts->arena);
        for (;;) {
            strbuf_append_str(&b, tok_ident(ts, cur_tok(c)));
            c->pos++;
            if (!cur_is_char(c, '.') ||
                !tok_is_ident(ts, cur_peek(c, 1), PG_QUERY__KEYWORD_KIND__RESERVED_KEYWORD))
                break;
            strbuf_append_char(&b, '.');
            c->pos++;
        }
        opt->value = b.data;
        opt->kind = OPTVAL_IDENT;
        return;
    }
    cur_syntax_error(c);
}

void parse_option_list(Cursor *c, int *noptions, StmtOption **options)
{
    Arena *arena = c->ts->arena;
    int n = 0, cap = 8;
    StmtOption *opts = arena_new_array(arena, StmtOption, cap);
    NameSet seen;
    nameset_init(&seen, arena);

    for (;;) {
        StmtOption opt = {0};
        opt.name = parse_key(c, &opt.location);
        /* '=' is optional: key 'value' */
        cur_accept_char(c, '=');
        parse_value(c, &opt);
        if (!nameset_add(&seen, opt.name))
            ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("option \"%s\" specified more than once", opt.name),
                    errposition(opt.location + 1));
        if (n == cap) {
            opts =
                arena_realloc(arena, opts, sizeof(StmtOption) * cap, sizeof(StmtOption) * cap * 2);
            cap *= 2;
        }
        opts[n++] = opt;
        if (cur_accept_char(c, ','))
            continue;
        cur_expect_char(c, ')');
        break;
    }
    *noptions = n;
    *options = opts;
}

void parse_reset_list(Cursor *c, int *nnames, const char ***names)
{
    Arena *arena = c->ts->arena;
    int n = 0, cap = 8;
    const char **out = arena_new_array(arena, const char *, cap);
    NameSet seen;
    nameset_init(&seen, arena);

    for (;;) {
        int location;
        const char *name = parse_key(c, &location);
        if (!nameset_add(&seen, name))
            ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("option \"%s\" specified more than once", name),
                    errposition(location + 1));
        if (n == cap) {
            out = arena_realloc(arena, out, sizeof(char *) * cap, sizeof(char *) * cap * 2);
            cap *= 2;
        }
        out[n++] = name;
        if (cur_accept_char(c, ','))
            continue;
        cur_expect_char(c, ')');
        break;
    }
    *nnames = n;
    *names = out;
}
