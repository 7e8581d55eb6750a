/*
 * parser.c: parser_parse(), the entry point of the SQL front end.
 *
 * One call handles a whole Query message:
 *
 *  1. scan.c tokenizes the full text once with pg_query_scan().
 *  2. The tokens are cut into statements at ';' outside parentheses, and
 *     preparse_is_laminar() classifies each by its first words.
 *  3. All PostgreSQL statements are parsed by ONE libpg_query call over a
 *     copy of the text in which the Laminar statements are blanked out (same
 *     length, same offsets).  libpg_query therefore does its own statement
 *     splitting (BEGIN ATOMIC bodies and the like stay intact) and every
 *     location in its tree, and its error position, is already an offset
 *     into the user's text.  Without Laminar statements the text is parsed
 *     as is.
 *  4. Laminar statements are parsed by preparse.c, and the two streams are
 *     merged in text order.
 *
 * Errors come out in text order as PostgreSQL would report them for a
 * multi-statement string: a syntax error in statement 3 is raised only after
 * statements 1 and 2 have been checked.  Nothing is executed here, so the
 * first error aborts the whole message, as in PostgreSQL's simple protocol.
 *
 * Thread safety: libpg_query keeps its state per thread; everything else
 * lives in the caller's arena.  libpg_query allocates a per-thread memory
 * context on first use and frees it itself when the thread ends; do not call
 * pg_query_exit() (with libpg_query 15 that frees it a second time).
 */
#include "parser/parser_int.h"
#include "common/error.h"
#include "common/strbuf.h"

typedef struct Piece {
    int first; /* token index of its first token */
    int end;   /* token index of its ';' (or ntoks) */
    bool laminar;
} Piece;

static int piece_start(const TokenStream *ts, const Piece *p)
{
    return ts->toks[p->first].start;
}

static int piece_stop(const TokenStream *ts, const Piece *p)
{
    return ts->toks[p->end - 1].end;
}

/* Cuts the tokens at ';' outside parentheses; empty pieces are dropped. */
static Piece *split_pieces(TokenStream *ts, int *npieces)
{
    Piece *pieces = arena_new_array(ts->arena, Piece, ts->ntoks + 1);
    int n = 0, first = 0, depth = 0;

    for (int i = 0; i <= ts->ntoks; i++) {
        if (i < ts->ntoks) {
            int type = ts->toks[i].type;
            if (type == '(' || type == '[')
                depth++;
            else if ((type == ')' || type == ']') && depth > 0)
                depth--;
            if (type != ';' || depth > 0)
                continue;
        }
        if (i > first) {
            pieces[n].first = first;
            pieces[n].end = i;
            pieces[n].laminar = preparse_is_laminar(ts, first, i);
            n++;
        }
        first = i + 1;
        depth = 0;
    }
    *npieces = n;
    return pieces;
}

static void set_span(ParsedStmt *stmt, const TokenStream *ts, int start, int stop)
{
    stmt->location = start;
    stmt->length = stop - start;
    stmt->text = arena_strndup(ts->arena, ts->text + start, (size_t)(stop - start));
}

/*
 * The span of a RawStmt trimmed to its first and last token (stmt_location
 * includes the whitespace and comments after the previous ';').  *tok is a
 * moving index: RawStmts come in text order.
 */
static void pg_stmt_span(const TokenStream *ts, const PgQuery__RawStmt *raw, int *tok, int *start,
                         int *stop)
{
    int raw_start = LM_MAX(0, raw->stmt_location);
    int raw_end = raw->stmt_len > 0 ? raw_start + raw->stmt_len : ts->textlen;
    int i = *tok;

    while (i < ts->ntoks && ts->toks[i].start < raw_start)
        i++;
    int j = i;
    while (j < ts->ntoks && ts->toks[j].start < raw_end && ts->toks[j].type != ';')
        j++;
    if (j > i) {
        *start = ts->toks[i].start;
        *stop = ts->toks[j - 1].end;
    } else {
        *start = raw_start;
        *stop = LM_MAX(raw_start, LM_MIN(raw_end, ts->textlen));
    }
    *tok = j;
}

/* A copy of the statement with the secret literal (its last token) masked. */
static const char *redacted_secret_text(const TokenStream *ts, const Piece *p)
{
    const Token *lit = &ts->toks[p->end - 1];
    int start = piece_start(ts, p);
    return arena_printf(ts->arena, "%.*s'********'", lit->start - start, ts->text + start);
}

ParsedStmtList *parser_parse(Arena *arena, const char *text)
{
    ParsedStmtList *list = arena_new(arena, ParsedStmtList);
    if (text == NULL)
        return list;

    TokenStream *ts = scan_text(arena, text);
    int npieces;
    Piece *pieces = split_pieces(ts, &npieces);

    bool any_laminar = false, any_pg = false;
    for (int i = 0; i < npieces; i++) {
        any_laminar |= pieces[i].laminar;
        any_pg |= !pieces[i].laminar;
    }

    PgQuery__ParseResult *tree = NULL;
    PgParseError pg_error = {NULL, NULL, -1};
    bool pg_failed = false;
    if (any_pg) {
        const char *input = text;
        if (any_laminar) {
            char *blanked = pgtree_blank_outside(arena, text, 0, ts->textlen);
            for (int i = 0; i < npieces; i++) {
                if (!pieces[i].laminar)
                    continue;
                for (int k = piece_start(ts, &pieces[i]); k < piece_stop(ts, &pieces[i]); k++)
                    blanked[k] = blanked[k] == '\n' ? '\n' : ' ';
            }
            input = blanked;
        }
        tree = pgtree_parse(arena, input, scan_depth_bound(ts, 0, ts->ntoks), &pg_error);
        pg_failed = tree == NULL;
    }

    size_t npg = tree ? tree->n_stmts : 0;
    list->stmts = arena_new_array(arena, ParsedStmt, (size_t)npieces + npg + 1);
    size_t r = 0;
    int tok = 0;

    for (int i = 0; i <= npieces; i++) {
        /* everything of PostgreSQL's that comes before this piece (or the end) */
        int limit = i < npieces ? piece_start(ts, &pieces[i]) : ts->textlen + 1;
        if (i < npieces && !pieces[i].laminar)
            continue;
        if (pg_failed && (pg_error.position < 0 ? i == npieces : pg_error.position < limit))
            pgtree_raise(&pg_error);
        for (; r < npg && tree->stmts[r]->stmt_location < limit; r++) {
            const PgQuery__RawStmt *raw = tree->stmts[r];
            if (raw->stmt == NULL)
                continue;
            ParsedStmt *stmt = &list->stmts[list->count++];
            int start, stop;
            pg_stmt_span(ts, raw, &tok, &start, &stop);
            stmt->kind = STMT_PG;
            stmt->pg = raw->stmt;
            set_span(stmt, ts, start, stop);
        }
        if (i == npieces)
            break;

        ParsedStmt *stmt = &list->stmts[list->count++];
        memset(stmt, 0, sizeof *stmt);
        set_span(stmt, ts, piece_start(ts, &pieces[i]), piece_stop(ts, &pieces[i]));
        preparse_statement(ts, pieces[i].first, pieces[i].end, stmt);
        if (stmt->kind == STMT_CREATE_SECRET)
            stmt->text = redacted_secret_text(ts, &pieces[i]);
        while (tok < ts->ntoks && ts->toks[tok].start < piece_stop(ts, &pieces[i]))
            tok++;
    }
    return list;
}

const char *parser_stmt_tag(const ParsedStmt *stmt)
{
    bool sink = stmt->object == OBJ_SINK_TABLE;
    switch (stmt->kind) {
    case STMT_PG:
        return NULL; /* PostgreSQL statements: the executor knows their tags */
    case STMT_CREATE_PROFILE:
        return "CREATE CONNECTION PROFILE";
    case STMT_ALTER_PROFILE:
        return "ALTER CONNECTION PROFILE";
    case STMT_DROP_PROFILE:
        return "DROP CONNECTION PROFILE";
    case STMT_TEST_PROFILE:
        return "TEST CONNECTION PROFILE";
    case STMT_CREATE_SECRET:
        return "CREATE SECRET";
    case STMT_DROP_SECRET:
        return "DROP SECRET";
    case STMT_CREATE_CONN_TABLE:
        return sink ? "CREATE SINK TABLE" : "CREATE SOURCE TABLE";
    case STMT_ALTER_CONN_TABLE:
        return sink ? "ALTER SINK TABLE" : "ALTER SOURCE TABLE";
    case STMT_DROP_CONN_TABLE:
        return sink ? "DROP SINK TABLE" : "DROP SOURCE TABLE";
    case STMT_TEST_CONN_TABLE:
        return sink ? "TEST SINK TABLE" : "TEST SOURCE TABLE";
    case STMT_SHOW_LIST:
    case STMT_SHOW_CREATE:
        return "SHOW";
    case STMT_CREATE_PIPELINE:
        return "CREATE PIPELINE";
    case STMT_START_PIPELINE:
        return "START PIPELINE";
    case STMT_STOP_PIPELINE:
        return "STOP PIPELINE";
    case STMT_DROP_PIPELINE:
        return "DROP PIPELINE";
    case STMT_EXPLAIN_PIPELINE:
        return "EXPLAIN";
    default:
        elog(ERROR, "unrecognized statement kind %d", (int)stmt->kind);
    }
}
