/*
 * copy.c: COPY FROM STDIN / TO STDOUT for plain tables (see copy.h).
 *
 * COPY FROM: CopyData chunks are appended to a pending buffer; every complete
 * record in it is split into fields (text: delimiter-separated with
 * backslash escapes, "\N" for NULL; csv: RFC 4180 quoting, unquoted NULL
 * string, quoted newlines) and parsed straight into the column vectors of a
 * batch with value_parse_text(); a full batch (LM_BATCH_SIZE rows) goes to
 * table_insert() in the session's table transaction, then the batch arena is
 * reset.  So memory is bounded by one batch plus one partial record, whatever
 * the size of the input.  A line "\." ends the data, as in PostgreSQL.
 * Columns left out of the column list get their DEFAULT: a constant (a
 * literal, optionally cast) is parsed once; any other expression (now(),
 * random(), ...) is bound once and evaluated for every batch, when the
 * caller passes an ExecContext (copy_execute_ctx); without one such a COPY
 * is refused up front with 0A000 rather than filled with NULLs.
 * Errors carry PostgreSQL's CONTEXT line: COPY t, line N, column c: "value".
 *
 * COPY TO: a table scan in key order; each row becomes one CopyData message.
 *
 * Not supported (0A000): binary format, files and programs (use psql's
 * \copy), COPY (query) TO, WHERE, FORCE_QUOTE / FORCE_NOT_NULL / FORCE_NULL,
 * HEADER MATCH.
 */
#include "server/copy.h"
#include "common/error.h"
#include "executor/expr.h"
#include "parser/parser.h"
#include "planner/bind.h"
#include "server/catalog_txn.h"
#include "server/table_ddl.h"
#include "server/txn.h"
#include "storage/table.h"

#include <stdio.h>
#include <strings.h>

#ifndef ERRCODE_BAD_COPY_FILE_FORMAT
#define ERRCODE_BAD_COPY_FILE_FORMAT "22P04" /* not (yet) in common/errcodes.h */
#endif

typedef struct CopyOptions {
    bool csv;
    bool header;
    char delim;
    const char *null_str;
    size_t null_len;
    char quote;
    char escape;
} CopyOptions;

/* ---------- options ---------- */

static const char *defel_string(PgQuery__DefElem *d)
{
    PgQuery__Node *n = d->arg;
    if (n == NULL)
        return NULL;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_STRING:
        return n->string->sval;
    case PG_QUERY__NODE__NODE_BOOLEAN:
        return n->boolean->boolval ? "true" : "false";
    case PG_QUERY__NODE__NODE_INTEGER:
        return n->integer->ival ? "1" : "0";
    default:
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("%s requires a parameter", d->defname),
                errposition(d->location + 1));
    }
}

static bool defel_bool(PgQuery__DefElem *d)
{
    const char *v = defel_string(d);
    if (v == NULL || strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0)
        return true;
    if (strcasecmp(v, "false") == 0 || strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0)
        return false;
    if (strcasecmp(v, "match") == 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("HEADER MATCH is not supported yet"), errposition(d->location + 1));
    ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("%s requires a Boolean value", d->defname),
            errposition(d->location + 1));
}

static char single_char(PgQuery__DefElem *d, const char *what)
{
    const char *v = defel_string(d);
    if (v == NULL || strlen(v) != 1)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("COPY %s must be a single one-byte character", what));
    return v[0];
}

static void parse_options(PgQuery__CopyStmt *st, CopyOptions *o)
{
    bool seen_format = false, seen_delim = false, seen_null = false, seen_header = false;
    bool seen_quote = false, seen_escape = false;
    char delim = 0, quote = 0, escape = 0;
    const char *null_str = NULL;

    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < st->n_options; i++) {
        PgQuery__Node *n = st->options[i];
        if (n->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
            continue;
        PgQuery__DefElem *d = n->def_elem;
        const char *name = d->defname;
        bool *seen;
        if (strcmp(name, "format") == 0)
            seen = &seen_format;
        else if (strcmp(name, "delimiter") == 0)
            seen = &seen_delim;
        else if (strcmp(name, "null") == 0)
            seen = &seen_null;
        else if (strcmp(name, "header") == 0)
            seen = &seen_header;
        else if (strcmp(name, "quote") == 0)
            seen = &seen_quote;
        else if (strcmp(name, "escape") == 0)
            seen = &seen_escape;
        else if (strcmp(name, "encoding") == 0) {
            const char *enc = defel_string(d);
            if (enc == NULL || (strcasecmp(enc, "utf8") != 0 && strcasecmp(enc, "utf-8") != 0 &&
                                strcasecmp(enc, "sql_ascii") != 0))
                ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("COPY encoding \"%s\" is not supported", enc ? enc : ""),
                        errhint("Laminar reads and writes UTF8."));
            continue;
        } else if (strcmp(name, "freeze") == 0) {
            (void)defel_bool(d); /* no effect: rows are visible at commit anyway */
            continue;
        } else if (strcmp(name, "force_quote") == 0 || strcmp(name, "force_not_null") == 0 ||
                   strcmp(name, "force_null") == 0 || strcmp(name, "oids") == 0)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("COPY option \"%s\" is not supported yet", name),
                    errposition(d->location + 1));
        else
            ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("option \"%s\" not recognized", name), errposition(d->location + 1));
        if (*seen)
            ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("conflicting or redundant options"), errposition(d->location + 1));
        *seen = true;
        if (seen == &seen_format) {
            const char *f = defel_string(d);
            if (f && strcmp(f, "csv") == 0)
                o->csv = true;
            else if (f && strcmp(f, "binary") == 0)
                ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("COPY format \"binary\" is not supported yet"),
                        errposition(d->location + 1));
            else if (f == NULL || strcmp(f, "text") != 0)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("COPY format \"%s\" not recognized", f ? f : ""),
                        errposition(d->location + 1));
        } else if (seen == &seen_delim) {
            delim = single_char(d, "delimiter");
        } else if (seen == &seen_null) {
            null_str = defel_string(d);
            if (null_str == NULL)
                ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("null requires a parameter"));
        } else if (seen == &seen_header) {
            o->header = defel_bool(d);
        } else if (seen == &seen_quote) {
            quote = single_char(d, "quote");
        } else {
            escape = single_char(d, "escape");
        }
    }
    if (!o->csv && seen_quote)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("COPY quote available only in CSV mode"));
    if (!o->csv && seen_escape)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("COPY escape available only in CSV mode"));
    o->delim = seen_delim ? delim : (o->csv ? ',' : '\t');
    o->null_str = null_str ? null_str : (o->csv ? "" : "\\N");
    o->null_len = strlen(o->null_str);
    o->quote = seen_quote ? quote : '"';
    o->escape = seen_escape ? escape : o->quote;
    if (o->delim == '\n' || o->delim == '\r')
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("COPY delimiter cannot be newline or carriage return"));
    if (strchr(o->null_str, '\n') || strchr(o->null_str, '\r'))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("COPY null representation cannot use newline or carriage return"));
    if (!o->csv && strchr("\\.abcdefghijklmnopqrstuvwxyz0123456789", o->delim))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("COPY delimiter cannot be \"%c\"", o->delim));
    if (o->csv && o->delim == o->quote)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("COPY delimiter and quote must be different"));
    if (strchr(o->null_str, o->delim))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("COPY delimiter must not appear in the NULL specification"));
}

/* ---------- the table and its columns ---------- */

typedef struct CopyTarget {
    CatTable *t;
    int ncols;   /* columns named (or all) */
    int *cols;   /* their table indexes */
    bool *given; /* per table column: in the list */
    /* per table column not given: its constant default (NULL: NULL), or an expression
     * evaluated for every batch (default_state non-NULL: DEFAULT now(), random(), ...) */
    const char **default_text;
    ExprState **default_state;
} CopyTarget;

/* A DEFAULT that is a constant: its text (NULL for NULL); false when it is not constant. */
static bool constant_default(Arena *a, const char *expr, const char **text)
{
    PgQuery__Node *n;
    volatile bool ok = false;

    LM_TRY();
    {
        n = parser_parse_expr(a, expr, 0);
        while (n && n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST)
            n = n->type_cast->arg;
        if (n && n->node_case == PG_QUERY__NODE__NODE_A_CONST) {
            PgQuery__AConst *c = n->a_const;
            ok = true;
            if (c->isnull)
                *text = NULL;
            else if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL)
                *text = arena_printf(a, "%d", c->ival->ival);
            else if (c->val_case == PG_QUERY__A__CONST__VAL_FVAL)
                *text = c->fval->fval;
            else if (c->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL)
                *text = c->boolval->boolval ? "true" : "false";
            else if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL)
                *text = c->sval->sval;
            else
                ok = false;
        }
    }
    LM_CATCH();
    {
        error_clear();
        ok = false;
    }
    LM_END_TRY();
    return ok;
}

static void resolve_target(Session *s, Arena *a, PgQuery__CopyStmt *st, ExecContext *ctx,
                           CopyTarget *tg)
{
    PgQuery__RangeVar *rv = st->relation;
    const char *schema = rv->schemaname && rv->schemaname[0] ? rv->schemaname : NULL;
    CatTable *t = NULL;

    if (schema) {
        if (!ctx_schema_exists(s, schema))
            ereport(ERROR, errcode(ERRCODE_INVALID_SCHEMA_NAME),
                    errmsg("schema \"%s\" does not exist", schema), errposition(rv->location + 1));
        t = ctx_get_table_in(s, a, schema, rv->relname);
    } else {
        t = ctx_get_table_in(s, a, table_ddl_creation_schema(s, a), rv->relname);
        if (t == NULL)
            t = ctx_get_table_in(s, a, "public", rv->relname);
    }
    if (t == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                errmsg("relation \"%s\" does not exist", rv->relname),
                errposition(rv->location + 1));
    if (t->kind != CAT_TABLE_PLAIN)
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("cannot copy %s %s \"%s\"", st->is_from ? "to" : "from",
                       catalog_table_kind_word(t->kind), t->name),
                errhint("COPY works on plain tables; a source or sink table is fed by "
                        "pipelines."),
                errposition(rv->location + 1));
    tg->t = t;
    tg->given = arena_alloc0(a, sizeof(bool) * (size_t)(t->ncolumns + 1));
    if (st->n_attlist == 0) {
        tg->ncols = t->ncolumns;
        tg->cols = arena_alloc(a, sizeof(int) * (size_t)(t->ncolumns + 1));
        for (int c = 0; c < t->ncolumns; c++) {
            tg->cols[c] = c;
            tg->given[c] = true;
        }
    } else {
        tg->ncols = (int)st->n_attlist;
        tg->cols = arena_alloc(a, sizeof(int) * (size_t)tg->ncols);
        for (int i = 0; i < tg->ncols; i++) {
            PgQuery__Node *n = st->attlist[i];
            const char *name = n->node_case == PG_QUERY__NODE__NODE_STRING ? n->string->sval : "";
            int c = 0;
            while (c < t->ncolumns && strcmp(t->columns[c].name, name) != 0)
                c++;
            if (c == t->ncolumns)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" of relation \"%s\" does not exist", name, t->name));
            if (tg->given[c])
                ereport(ERROR, errcode(ERRCODE_DUPLICATE_COLUMN),
                        errmsg("column \"%s\" specified more than once", name));
            tg->given[c] = true;
            tg->cols[i] = c;
        }
    }
    tg->default_text = arena_alloc0(a, sizeof(char *) * (size_t)(t->ncolumns + 1));
    tg->default_state = arena_alloc0(a, sizeof(ExprState *) * (size_t)(t->ncolumns + 1));
    if (!st->is_from)
        return;
    for (int c = 0; c < t->ncolumns; c++) {
        const CatColumn *col = &t->columns[c];
        if (tg->given[c] || col->default_expr == NULL)
            continue;
        if (constant_default(a, col->default_expr, &tg->default_text[c]))
            continue;
        if (ctx == NULL || type_is_nested(col->type))
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("COPY cannot fill column \"%s\" from its default %s yet", col->name,
                           col->default_expr),
                    errhint("Include the column in the COPY column list."));
        BindContext bc = {.ctx = ctx, .arena = a, .query_text = col->default_expr};
        Expr *e = bind_expression(&bc, parser_parse_expr(a, col->default_expr, 0), col->type);
        tg->default_state[c] = expr_init(ctx, e);
    }
}

/* Fills the columns whose default is an expression, for every row of b. */
static void fill_expression_defaults(const CopyTarget *tg, Batch *b)
{
    for (int c = 0; c < tg->t->ncolumns; c++) {
        if (tg->default_state[c] == NULL)
            continue;
        Batch none = {.ncols = 0, .count = b->count, .arena = b->arena};
        Vector *v = expr_eval(tg->default_state[c], &none);
        Vector *dst = &b->cols[c];
        size_t sz = type_physical_size(dst->type);
        /* var-width values still point into the expression's memory, which lives until its
         * next evaluation: table_insert() encodes them before that */
        memcpy(dst->data, v->data, sz * (size_t)b->count);
        for (int r = 0; r < b->count; r++) {
            if (vector_is_valid(v, r))
                vector_set_valid(dst, r);
            else
                vector_set_null(dst, r);
        }
    }
}

/* ---------- COPY FROM ---------- */

typedef struct CopyIn {
    Session *s;
    CopyOptions o;
    CopyTarget tg;
    TableTxn *txn;
    Arena *batch_arena;
    Batch *batch;
    const LmType **types;
    StrBuf field;  /* heap: one decoded field */
    StrBuf record; /* heap: pending input */
    int64 line;    /* 1-based line number of the record being read */
    int64 rows;
    bool header_pending;
    bool ended; /* saw "\." */
    /* fields of the current record: offsets into fieldbuf, -1 length = NULL */
    StrBuf fieldbuf; /* heap */
    size_t *starts;
    int64 *lens;
    int nfields, capfields;
    /* for CONTEXT lines */
    const char *cur_column; /* column being parsed */
    const char *cur_value;  /* its text */
    size_t cur_value_len;
    const char *cur_line; /* raw record being split or stored (NULL: none) */
    size_t cur_line_len;
    int64 row_line[LM_BATCH_SIZE];       /* line of each batch row */
    const char *row_text[LM_BATCH_SIZE]; /* raw record of each batch row (batch arena) */
    uint32 row_text_len[LM_BATCH_SIZE];
    bool flushing;
} CopyIn;

static void new_batch(CopyIn *ci)
{
    arena_reset(ci->batch_arena);
    ci->batch = batch_create(ci->batch_arena, ci->tg.t->ncolumns, ci->types, LM_BATCH_SIZE);
}

static void flush_batch(CopyIn *ci)
{
    if (ci->batch->count == 0)
        return;
    ci->flushing = true;
    fill_expression_defaults(&ci->tg, ci->batch);
    table_insert(ci->txn, ci->tg.t, ci->batch, CONFLICT_ERROR, NULL, NULL);
    ci->flushing = false;
    ci->rows += ci->batch->count;
    new_batch(ci);
    session_check_cancel(ci->s);
}

static void add_field(CopyIn *ci, const char *p, size_t n, bool is_null)
{
    if (ci->nfields == ci->capfields) {
        int cap = ci->capfields ? ci->capfields * 2 : 16;
        ci->starts = lm_realloc(ci->starts, sizeof(size_t) * (size_t)cap);
        ci->lens = lm_realloc(ci->lens, sizeof(int64) * (size_t)cap);
        ci->capfields = cap;
    }
    ci->starts[ci->nfields] = ci->fieldbuf.len;
    ci->lens[ci->nfields] = is_null ? -1 : (int64)n;
    if (!is_null)
        strbuf_append(&ci->fieldbuf, p, n);
    ci->nfields++;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Splits one text-format line (without its newline) into fields. */
static void split_text(CopyIn *ci, const char *p, size_t n)
{
    const char *end = p + n;
    const char *start = p;
    StrBuf *f = &ci->field;

    ci->nfields = 0;
    strbuf_reset(&ci->fieldbuf);
    strbuf_reset(f);
    for (;;) {
        if (p == end || *p == ci->o.delim) {
            size_t raw = (size_t)(p - start);
            bool is_null = raw == ci->o.null_len && memcmp(start, ci->o.null_str, raw) == 0;
            add_field(ci, f->data, f->len, is_null);
            strbuf_reset(f);
            if (p == end)
                return;
            start = ++p;
            continue;
        }
        char c = *p++;
        if (c != '\\' || p == end) {
            strbuf_append_char(f, c);
            continue;
        }
        c = *p++;
        switch (c) {
        case 'b':
            strbuf_append_char(f, '\b');
            break;
        case 'f':
            strbuf_append_char(f, '\f');
            break;
        case 'n':
            strbuf_append_char(f, '\n');
            break;
        case 'r':
            strbuf_append_char(f, '\r');
            break;
        case 't':
            strbuf_append_char(f, '\t');
            break;
        case 'v':
            strbuf_append_char(f, '\v');
            break;
        case 'x':
            if (p < end && hexval(*p) >= 0) {
                int v = hexval(*p++);
                if (p < end && hexval(*p) >= 0)
                    v = v * 16 + hexval(*p++);
                strbuf_append_char(f, (char)v);
            } else
                strbuf_append_char(f, 'x');
            break;
        default:
            if (c >= '0' && c <= '7') {
                int v = c - '0';
                for (int k = 0; k < 2 && p < end && *p >= '0' && *p <= '7'; k++)
                    v = v * 8 + (*p++ - '0');
                strbuf_append_char(f, (char)v);
            } else
                strbuf_append_char(f, c);
        }
    }
}

/*
 * Splits one CSV record starting at p (up to end) into fields.  Returns the
 * bytes consumed including the record's newline, or 0 when the record is not
 * complete yet (more input needed; at_eof: the rest is the last record).
 */
static size_t split_csv(CopyIn *ci, const char *p, const char *end, bool at_eof, int *newlines)
{
    const char *begin = p;
    StrBuf *f = &ci->field;
    const CopyOptions *o = &ci->o;

    ci->nfields = 0;
    *newlines = 0;
    strbuf_reset(&ci->fieldbuf);
    strbuf_reset(f);
    for (;;) {
        bool quoted = false;
        const char *raw = p;
        strbuf_reset(f);
        /* one field */
        for (;;) {
            if (p == end) {
                if (!at_eof)
                    return 0;
                if (quoted)
                    ereport(ERROR, errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
                            errmsg("unterminated CSV quoted field"));
                break;
            }
            char c = *p;
            if (c == o->quote) {
                /* an opening quote anywhere in the field starts a quoted part */
                p++;
                quoted = true;
                for (;;) {
                    if (p == end) {
                        if (!at_eof)
                            return 0;
                        ereport(ERROR, errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
                                errmsg("unterminated CSV quoted field"));
                    }
                    c = *p;
                    if (c == o->escape && p + 1 < end && p[1] == o->quote) {
                        strbuf_append_char(f, o->quote);
                        p += 2;
                        continue;
                    }
                    if (c == o->escape && o->escape != o->quote && p + 1 < end &&
                        p[1] == o->escape) {
                        strbuf_append_char(f, o->escape);
                        p += 2;
                        continue;
                    }
                    if (c == o->quote) {
                        if (p + 1 == end && !at_eof && o->escape == o->quote)
                            return 0; /* might be a doubled quote split across chunks */
                        p++;
                        break;
                    }
                    if (c == '\n')
                        (*newlines)++;
                    strbuf_append_char(f, c);
                    p++;
                }
                continue;
            }
            if (c == o->delim || c == '\n' || c == '\r')
                break;
            strbuf_append_char(f, c);
            p++;
        }
        size_t rawlen = (size_t)(p - raw);
        bool is_null = !quoted && rawlen == o->null_len && memcmp(raw, o->null_str, rawlen) == 0;
        add_field(ci, f->data, f->len, is_null);
        if (p == end)
            return (size_t)(p - begin);
        if (*p == o->delim) {
            p++;
            continue;
        }
        /* end of record: \n, \r\n or \r */
        if (*p == '\r') {
            p++;
            if (p == end && !at_eof)
                return 0;
            if (p < end && *p == '\n')
                p++;
        } else
            p++;
        return (size_t)(p - begin);
    }
}

/* Appends `: "text"` as PostgreSQL's COPY context does (long values are cut). */
static void append_quoted(char *dst, size_t cap, const char *p, size_t n)
{
    size_t used = strlen(dst);
    if (n > 200)
        n = 200;
    snprintf(dst + used, cap - used, ": \"%.*s%s\"", (int)n, p, n == 200 ? "..." : "");
}

/* Rethrows the current error with PostgreSQL's CONTEXT line for COPY FROM:
 *   COPY t, line N, column c: "value"   (a value that does not parse)
 *   COPY t, line N: "raw line"          (a record that does not split, a NOT NULL violation)
 *   COPY t, line N                      (a duplicate key, found when the batch is written) */
static void LM_NORETURN raise_with_context(CopyIn *ci)
{
    ErrorData *e = error_current();
    char context[1024];
    int64 line = ci->line;
    const char *text = ci->cur_line;
    size_t text_len = ci->cur_line_len;

    if (ci->flushing) {
        int failed = table_txn_failed_row(ci->txn);
        text = NULL;
        if (failed >= 0 && failed < ci->batch->count) {
            line = ci->row_line[failed];
            if (strcmp(e->sqlstate, ERRCODE_UNIQUE_VIOLATION) != 0) {
                text = ci->row_text[failed];
                text_len = ci->row_text_len[failed];
            }
        }
    }
    snprintf(context, sizeof context, "COPY %s, line %lld", ci->tg.t->name, (long long)line);
    if (!ci->flushing && ci->cur_column) {
        size_t used = strlen(context);
        snprintf(context + used, sizeof context - used, ", column %s", ci->cur_column);
        append_quoted(context, sizeof context, ci->cur_value, ci->cur_value_len);
    } else if (text && !ci->o.csv) {
        append_quoted(context, sizeof context, text, text_len);
    }
    /* error_throw copies everything (context included) before it reuses the error state */
    ErrorData copy = *e;
    if (copy.context == NULL)
        copy.context = context;
    error_throw(&copy);
}

/* Stores the current record's fields as the next row of the batch. */
static void store_record(CopyIn *ci)
{
    const CatTable *t = ci->tg.t;
    Batch *b = ci->batch;
    int r = b->count;

    if (ci->nfields > ci->tg.ncols)
        ereport(ERROR, errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
                errmsg("extra data after last expected column"));
    if (ci->nfields < ci->tg.ncols) {
        if (ci->nfields == 1 && ci->lens[0] == 0 && ci->tg.ncols > 1)
            ereport(ERROR, errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
                    errmsg("missing data for column \"%s\"", t->columns[ci->tg.cols[1]].name));
        ereport(
            ERROR, errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
            errmsg("missing data for column \"%s\"", t->columns[ci->tg.cols[ci->nfields]].name));
    }
    for (int i = 0; i < ci->tg.ncols; i++) {
        int c = ci->tg.cols[i];
        Vector *v = &b->cols[c];
        ci->cur_column = t->columns[c].name;
        if (ci->lens[i] < 0) {
            vector_set_null(v, r);
            continue;
        }
        const char *text = ci->fieldbuf.data + ci->starts[i];
        ci->cur_value = text;
        ci->cur_value_len = (size_t)ci->lens[i];
        value_parse_text(v, ci->batch_arena, r, text, (size_t)ci->lens[i]);
        vector_set_valid(v, r);
    }
    ci->cur_column = NULL;
    for (int c = 0; c < t->ncolumns; c++) {
        if (ci->tg.given[c] || ci->tg.default_state[c])
            continue;
        const char *d = ci->tg.default_text[c];
        if (d == NULL)
            vector_set_null(&b->cols[c], r);
        else {
            value_parse_text(&b->cols[c], ci->batch_arena, r, d, strlen(d));
            vector_set_valid(&b->cols[c], r);
        }
    }
    ci->row_line[r] = ci->line;
    ci->row_text[r] =
        ci->cur_line ? arena_memdup(ci->batch_arena, ci->cur_line, ci->cur_line_len) : NULL;
    ci->row_text_len[r] = (uint32)ci->cur_line_len;
    b->count = r + 1;
    if (b->count == LM_BATCH_SIZE)
        flush_batch(ci);
}

/* Processes every complete record in ci->record; keeps the incomplete tail. */
static void process_pending(CopyIn *ci, bool at_eof)
{
    const char *buf = ci->record.data;
    size_t len = ci->record.len;
    size_t pos = 0;

    while (pos < len && !ci->ended) {
        const char *p = buf + pos;
        size_t consumed;
        int extra_lines = 0;
        if (!ci->o.csv) {
            const char *nl = memchr(p, '\n', len - pos);
            if (nl == NULL && !at_eof)
                break;
            size_t linelen = nl ? (size_t)(nl - p) : len - pos;
            consumed = linelen + (nl ? 1 : 0);
            if (linelen > 0 && p[linelen - 1] == '\r')
                linelen--;
            ci->line++;
            if (linelen == 2 && p[0] == '\\' && p[1] == '.') {
                ci->ended = true;
                break;
            }
            if (ci->header_pending) {
                ci->header_pending = false;
                pos += consumed;
                continue;
            }
            ci->cur_line = p;
            ci->cur_line_len = linelen;
            split_text(ci, p, linelen);
        } else {
            /* "\." alone on a line ends the data in CSV too */
            const char *nl = memchr(p, '\n', len - pos);
            size_t linelen = nl ? (size_t)(nl - p) : len - pos;
            if ((nl || at_eof) && ((linelen == 2 && p[0] == '\\' && p[1] == '.') ||
                                   (linelen == 3 && p[0] == '\\' && p[1] == '.' && p[2] == '\r'))) {
                ci->line++;
                ci->ended = true;
                break;
            }
            ci->cur_line = NULL;
            consumed = split_csv(ci, p, buf + len, at_eof, &extra_lines);
            if (consumed == 0)
                break;
            ci->line++;
            if (ci->header_pending) {
                ci->header_pending = false;
                ci->line += extra_lines;
                pos += consumed;
                continue;
            }
        }
        store_record(ci);
        ci->cur_line = NULL;
        ci->line += extra_lines;
        pos += consumed;
    }
    /* keep the tail */
    if (pos > 0) {
        memmove(ci->record.data, ci->record.data + pos, len - pos);
        ci->record.len = len - pos;
        ci->record.data[ci->record.len] = '\0';
    }
}

static void copy_from(Session *s, Arena *a, CopyIn *ci, char tag[64])
{
    const CatTable *t = ci->tg.t;
    volatile bool in_data = false;

    ci->s = s;
    ci->txn = session_table_txn(s);
    ci->types = arena_alloc(a, sizeof(LmType *) * (size_t)(t->ncolumns + 1));
    for (int c = 0; c < t->ncolumns; c++)
        ci->types[c] = t->columns[c].type;
    ci->batch_arena = arena_create("copy batch", NULL);
    strbuf_init(&ci->field, NULL);
    strbuf_init(&ci->record, NULL);
    strbuf_init(&ci->fieldbuf, NULL);
    ci->header_pending = ci->o.header;

    LM_TRY();
    {
        new_batch(ci);
        s->copy_begin(s, true, ci->tg.ncols);
        in_data = true;
        const char *data;
        size_t len;
        while (s->copy_read(s, &data, &len)) {
            if (ci->ended)
                continue; /* after "\.": drain to CopyDone */
            strbuf_append(&ci->record, data, len);
            LM_TRY();
            {
                process_pending(ci, false);
            }
            LM_CATCH();
            {
                raise_with_context(ci);
            }
            LM_END_TRY();
        }
        in_data = false;
        LM_TRY();
        {
            if (!ci->ended && ci->record.len > 0)
                process_pending(ci, true);
            flush_batch(ci);
        }
        LM_CATCH();
        {
            raise_with_context(ci);
        }
        LM_END_TRY();
    }
    LM_CATCH();
    {
        /* An error while the client is still sending: its remaining CopyData/CopyDone/CopyFail
         * messages are dropped by the wire layer's main loop. */
        (void)in_data;
        arena_destroy(ci->batch_arena);
        strbuf_free(&ci->field);
        strbuf_free(&ci->record);
        strbuf_free(&ci->fieldbuf);
        lm_free(ci->starts);
        lm_free(ci->lens);
        error_rethrow();
    }
    LM_END_TRY();
    arena_destroy(ci->batch_arena);
    strbuf_free(&ci->field);
    strbuf_free(&ci->record);
    strbuf_free(&ci->fieldbuf);
    lm_free(ci->starts);
    lm_free(ci->lens);
    snprintf(tag, 64, "COPY %lld", (long long)ci->rows);
}

/* ---------- COPY TO ---------- */

static void append_text_field(StrBuf *out, const char *p, size_t n, char delim)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        switch (c) {
        case '\\':
            strbuf_append(out, "\\\\", 2);
            break;
        case '\n':
            strbuf_append(out, "\\n", 2);
            break;
        case '\r':
            strbuf_append(out, "\\r", 2);
            break;
        case '\t':
            strbuf_append(out, "\\t", 2);
            break;
        case '\b':
            strbuf_append(out, "\\b", 2);
            break;
        case '\f':
            strbuf_append(out, "\\f", 2);
            break;
        case '\v':
            strbuf_append(out, "\\v", 2);
            break;
        default:
            if (c == delim) {
                strbuf_append_char(out, '\\');
                strbuf_append_char(out, c);
            } else
                strbuf_append_char(out, c);
        }
    }
}

static void append_csv_field(StrBuf *out, const char *p, size_t n, const CopyOptions *o,
                             bool is_header)
{
    bool need = !is_header && n == o->null_len && memcmp(p, o->null_str, n) == 0;
    for (size_t i = 0; i < n && !need; i++)
        if (p[i] == o->delim || p[i] == o->quote || p[i] == '\n' || p[i] == '\r' ||
            p[i] == o->escape)
            need = true;
    /* PostgreSQL also quotes a lone "\." so it cannot read back as the end marker */
    if (n == 2 && p[0] == '\\' && p[1] == '.')
        need = true;
    if (!need) {
        strbuf_append(out, p, n);
        return;
    }
    strbuf_append_char(out, o->quote);
    for (size_t i = 0; i < n; i++) {
        if (p[i] == o->quote || p[i] == o->escape)
            strbuf_append_char(out, o->escape);
        strbuf_append_char(out, p[i]);
    }
    strbuf_append_char(out, o->quote);
}

static void copy_to(Session *s, Arena *a, const CopyOptions *o, const CopyTarget *tg, char tag[64])
{
    const CatTable *t = tg->t;
    TableTxn *txn = session_table_txn(s);
    const LmType **types = arena_alloc(a, sizeof(LmType *) * (size_t)(tg->ncols + 1));
    Arena *volatile ba = arena_create("copy out batch", NULL);
    StrBuf line, value;
    TableScan *volatile scan = NULL;
    volatile int64 rows = 0;

    for (int i = 0; i < tg->ncols; i++)
        types[i] = t->columns[tg->cols[i]].type;
    strbuf_init(&line, NULL);
    strbuf_init(&value, NULL);
    LM_TRY();
    {
        s->copy_begin(s, false, tg->ncols);
        if (o->header) {
            strbuf_reset(&line);
            for (int i = 0; i < tg->ncols; i++) {
                const char *name = t->columns[tg->cols[i]].name;
                if (i)
                    strbuf_append_char(&line, o->delim);
                if (o->csv)
                    append_csv_field(&line, name, strlen(name), o, true);
                else
                    append_text_field(&line, name, strlen(name), o->delim);
            }
            strbuf_append_char(&line, '\n');
            s->copy_write(s, line.data, line.len);
        }
        scan = table_scan_open(txn, a, t, tg->ncols, tg->cols, false);
        for (;;) {
            arena_reset(ba);
            Batch *b = batch_create(ba, tg->ncols, types, LM_BATCH_SIZE);
            if (!table_scan_next(scan, b))
                break;
            for (int r = 0; r < b->count; r++) {
                strbuf_reset(&line);
                for (int i = 0; i < tg->ncols; i++) {
                    if (i)
                        strbuf_append_char(&line, o->delim);
                    if (!vector_is_valid(&b->cols[i], r)) {
                        strbuf_append(&line, o->null_str, o->null_len);
                        continue;
                    }
                    strbuf_reset(&value);
                    value_format_text(&b->cols[i], r, &value);
                    if (o->csv)
                        append_csv_field(&line, value.data, value.len, o, false);
                    else
                        append_text_field(&line, value.data, value.len, o->delim);
                }
                strbuf_append_char(&line, '\n');
                s->copy_write(s, line.data, line.len);
            }
            rows += b->count;
            session_check_cancel(s);
        }
        table_scan_close(scan);
        scan = NULL;
        s->copy_end(s);
    }
    LM_CATCH();
    {
        table_scan_close(scan);
        arena_destroy(ba);
        strbuf_free(&line);
        strbuf_free(&value);
        error_rethrow();
    }
    LM_END_TRY();
    arena_destroy(ba);
    strbuf_free(&line);
    strbuf_free(&value);
    snprintf(tag, 64, "COPY %lld", (long long)rows);
}

/* ---------- entry ---------- */

typedef struct CopyRun {
    Arena *a;
    CopyIn *ci;
    bool is_from;
    char *tag;
} CopyRun;

static void run_copy(Session *s, void *arg)
{
    CopyRun *run = arg;
    if (run->is_from)
        copy_from(s, run->a, run->ci, run->tag);
    else
        copy_to(s, run->a, &run->ci->o, &run->ci->tg, run->tag);
}

void copy_execute(Session *s, Arena *a, PgQuery__CopyStmt *st, char tag[64])
{
    copy_execute_ctx(s, NULL, a, st, tag);
}

void copy_execute_ctx(Session *s, ExecContext *ctx, Arena *a, PgQuery__CopyStmt *st, char tag[64])
{
    CopyIn *ci = arena_alloc0(a, sizeof(CopyIn));

    snprintf(tag, 64, "COPY");
    if (st->is_program || (st->filename && st->filename[0]))
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("COPY to or from a file or program is not supported"),
                errhint("Use COPY ... %s, or psql's \\copy.",
                        st->is_from ? "FROM STDIN" : "TO STDOUT"));
    if (st->query || st->relation == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("COPY (query) TO is not supported yet"),
                errhint("COPY a table, or run the query and fetch its rows."));
    if (st->where_clause)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("COPY FROM ... WHERE is not supported yet"));
    if (s->copy_begin == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("COPY is not possible over this connection"));
    parse_options(st, &ci->o);
    resolve_target(s, a, st, ctx, &ci->tg);
    CopyRun run = {.a = a, .ci = ci, .is_from = st->is_from, .tag = tag};
    session_txn_run_implicit(s, run_copy, &run);
}
