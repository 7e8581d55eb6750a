/*
 * preparse.c: Laminar's own statements, recognised over scanner tokens.
 *
 * preparse_is_laminar() looks at the first two or three words of a statement
 * and claims only word sequences that are never valid PostgreSQL (CREATE
 * SOURCE, SHOW CREATE, START PIPELINE, ...), so every PostgreSQL statement
 * still goes to libpg_query untouched.  preparse_statement() is a small
 * recursive-descent parser for the claimed statement; it fills a ParsedStmt
 * and raises PostgreSQL-style errors whose positions are byte offsets into
 * the original text (tokens carry them).
 *
 * The embedded SQL pieces are not parsed here: a column's type text goes to
 * type_parse() (common/types.c), a WATERMARK expression to parser_parse_expr()
 * and a pipeline's INSERT ... SELECT body to libpg_query over a copy of the
 * text in which everything before the body is blanked, so the body's node
 * locations come out original without any shifting.
 */
#include "parser/parser_int.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <stdio.h>

/* ---------------------------------------------------------------- classification */

static bool skip_if_not_exists(Cursor *c)
{
    if (cur_is_word(c, "if") && cur_peek_word(c, 1, "not") && cur_peek_word(c, 2, "exists")) {
        c->pos += 3;
        return true;
    }
    return false;
}

bool preparse_is_laminar(TokenStream *ts, int first, int end)
{
    Cursor c = {ts, first, end};

    if (cur_accept_word(&c, "create")) {
        if (cur_is_word(&c, "if") && !skip_if_not_exists(&c))
            return false;
        return cur_is_word(&c, "connection") || cur_is_word(&c, "secret") ||
               cur_is_word(&c, "source") || cur_is_word(&c, "sink") || cur_is_word(&c, "pipeline");
    }
    if (cur_accept_word(&c, "alter"))
        return cur_is_word(&c, "connection") || cur_is_word(&c, "source") ||
               cur_is_word(&c, "sink");
    if (cur_accept_word(&c, "drop"))
        return cur_is_word(&c, "connection") || cur_is_word(&c, "secret") ||
               cur_is_word(&c, "source") || cur_is_word(&c, "sink") || cur_is_word(&c, "pipeline");
    if (cur_is_word(&c, "test") || cur_is_word(&c, "stop"))
        return true; /* no PostgreSQL statement starts with these */
    if (cur_accept_word(&c, "show"))
        return cur_is_word(&c, "create") || cur_is_word(&c, "connection") ||
               cur_is_word(&c, "source") || cur_is_word(&c, "sink") ||
               cur_is_word(&c, "connectors") || cur_is_word(&c, "pipelines") ||
               cur_is_word(&c, "jobs") || cur_is_word(&c, "secrets");
    if (cur_accept_word(&c, "start") || cur_accept_word(&c, "explain"))
        return cur_is_word(&c, "pipeline");
    return false;
}

/* ---------------------------------------------------------------- pieces */

static void expect_if_exists(Cursor *c, ParsedStmt *stmt)
{
    if (cur_accept_word(c, "if")) {
        cur_expect_word(c, "exists");
        stmt->if_exists = true;
    }
}

static void parse_name(Cursor *c, ParsedStmt *stmt)
{
    stmt->name = cur_expect_ident(c, &stmt->name_location);
}

/* SOURCE TABLE | SINK TABLE */
static ObjectKind parse_table_kind(Cursor *c)
{
    ObjectKind kind = OBJ_NONE;
    if (cur_accept_word(c, "source"))
        kind = OBJ_SOURCE_TABLE;
    else if (cur_accept_word(c, "sink"))
        kind = OBJ_SINK_TABLE;
    else
        cur_syntax_error(c);
    cur_expect_word(c, "table");
    return kind;
}

static void parse_with_options(Cursor *c, ParsedStmt *stmt)
{
    if (cur_accept_word(c, "with")) {
        cur_expect_char(c, '(');
        parse_option_list(c, &stmt->noptions, &stmt->options);
    }
}

/* SET (k = v, ...) | RESET (k, ...) */
static void parse_set_or_reset(Cursor *c, ParsedStmt *stmt)
{
    if (cur_accept_word(c, "set")) {
        cur_expect_char(c, '(');
        parse_option_list(c, &stmt->noptions, &stmt->options);
    } else if (cur_accept_word(c, "reset")) {
        cur_expect_char(c, '(');
        parse_reset_list(c, &stmt->nreset, &stmt->reset_names);
    } else {
        cur_syntax_error(c);
    }
}

static const char *table_kind_word(ObjectKind kind)
{
    return kind == OBJ_SINK_TABLE ? "sink" : "source";
}

/* ---------------------------------------------------------------- column list */

/* Words that end a column's type at nesting depth 0 (they start a column option). */
static bool ends_type(const Cursor *c)
{
    static const char *const stops[] = {"not",     "null",       "default",  "primary",
                                        "unique",  "constraint", "check",    "references",
                                        "collate", "generated",  "watermark"};
    if (cur_is_char(c, ',') || cur_is_char(c, ')'))
        return true;
    for (size_t i = 0; i < LM_ARRAY_LEN(stops); i++)
        if (cur_is_word(c, stops[i]))
            return true;
    return false;
}

/* Net change of angle-bracket depth in a token: '<', '>', and operators such as ">>". */
static int angle_delta(const TokenStream *ts, const Token *t)
{
    if (t->type == '<')
        return 1;
    if (t->type == '>')
        return -1;
    if (t->type != PG_QUERY__TOKEN__Op && t->type != PG_QUERY__TOKEN__NOT_EQUALS &&
        t->type != PG_QUERY__TOKEN__LESS_EQUALS && t->type != PG_QUERY__TOKEN__GREATER_EQUALS)
        return 0;
    int d = 0;
    for (int i = t->start; i < t->end; i++) {
        if (ts->text[i] == '<')
            d++;
        else if (ts->text[i] == '>')
            d--;
    }
    return d;
}

static void parse_column_type(Cursor *c, ColumnDefn *col)
{
    TokenStream *ts = c->ts;
    int first = c->pos, parens = 0, angles = 0;

    while (!cur_at_end(c)) {
        if (parens == 0 && angles <= 0 && (ends_type(c)) && c->pos > first)
            break;
        if (c->pos == first && (cur_is_char(c, ',') || cur_is_char(c, ')')))
            break;
        const Token *t = cur_tok(c);
        if (t->type == '(' || t->type == '[')
            parens++;
        else if ((t->type == ')' || t->type == ']') && parens > 0)
            parens--;
        else if (parens == 0)
            angles += angle_delta(ts, t);
        c->pos++;
    }
    if (c->pos == first)
        cur_syntax_error(c);

    int start = ts->toks[first].start;
    int end = ts->toks[c->pos - 1].end;
    col->type_text = arena_strndup(ts->arena, ts->text + start, (size_t)(end - start));

    int errpos = 0;
    const char *msg = NULL;
    col->type = type_parse(ts->arena, col->type_text, &errpos, &msg);
    if (col->type == NULL) {
        if (msg == NULL)
            msg = arena_printf(ts->arena, "type \"%s\" does not exist", col->type_text);
        errpos = LM_MAX(0, LM_MIN(errpos, end - start));
        const char *code =
            strstr(msg, "does not exist") ? ERRCODE_UNDEFINED_OBJECT : ERRCODE_SYNTAX_ERROR;
        ereport(ERROR, errcode(code), errmsg("%s", msg), errposition(start + errpos + 1));
    }
}

static void unsupported_column_option(const Cursor *c, const char *what, ObjectKind kind)
{
    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
            errmsg("%s is not supported on %s tables", what, table_kind_word(kind)),
            errposition(cur_location(c) + 1));
}

static void parse_column_options(Cursor *c, ColumnDefn *col, ObjectKind kind)
{
    bool seen_null = false, seen_not_null = false;

    while (!cur_at_end(c) && !cur_is_char(c, ',') && !cur_is_char(c, ')')) {
        int location = cur_location(c);
        if (cur_is_word(c, "not") && cur_peek_word(c, 1, "null")) {
            c->pos += 2;
            if (seen_null)
                ereport(
                    ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("conflicting NULL/NOT NULL declarations for column \"%s\"", col->name),
                    errposition(location + 1));
            seen_not_null = true;
            col->not_null = true;
        } else if (cur_is_word(c, "null")) {
            c->pos++;
            if (seen_not_null)
                ereport(
                    ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("conflicting NULL/NOT NULL declarations for column \"%s\"", col->name),
                    errposition(location + 1));
            seen_null = true;
            col->not_null = false;
        } else if (cur_is_word(c, "primary")) {
            unsupported_column_option(c, "PRIMARY KEY", kind);
        } else if (cur_is_word(c, "unique")) {
            unsupported_column_option(c, "UNIQUE", kind);
        } else if (cur_is_word(c, "default")) {
            unsupported_column_option(c, "DEFAULT", kind);
        } else if (cur_is_word(c, "check")) {
            unsupported_column_option(c, "CHECK", kind);
        } else if (cur_is_word(c, "references")) {
            unsupported_column_option(c, "REFERENCES", kind);
        } else if (cur_is_word(c, "constraint")) {
            unsupported_column_option(c, "CONSTRAINT", kind);
        } else if (cur_is_word(c, "collate")) {
            unsupported_column_option(c, "COLLATE", kind);
        } else if (cur_is_word(c, "generated")) {
            unsupported_column_option(c, "GENERATED", kind);
        } else {
            cur_syntax_error(c);
        }
    }
}

/* WATERMARK FOR col AS expr, with WATERMARK FOR already consumed. */
static void parse_watermark(Cursor *c, ParsedStmt *stmt, int clause_location)
{
    TokenStream *ts = c->ts;
    if (stmt->watermark_column)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("multiple WATERMARK clauses are not allowed"),
                errposition(clause_location + 1));
    stmt->watermark_column = cur_expect_ident(c, &stmt->watermark_column_location);
    cur_expect_word(c, "as");

    int first = c->pos, parens = 0;
    while (!cur_at_end(c)) {
        const Token *t = cur_tok(c);
        if (parens == 0 && (t->type == ',' || t->type == ')'))
            break;
        if (t->type == '(' || t->type == '[')
            parens++;
        else if (t->type == ')' || t->type == ']')
            parens--;
        c->pos++;
    }
    if (c->pos == first)
        cur_syntax_error(c);
    int start = ts->toks[first].start;
    int end = ts->toks[c->pos - 1].end;
    stmt->watermark_expr_text = arena_strndup(ts->arena, ts->text + start, (size_t)(end - start));
    stmt->watermark_expr_location = start;
    const Token *follow = cur_tok(c);
    stmt->watermark_expr =
        pgtree_parse_expr(ts->arena, stmt->watermark_expr_text, start,
                          follow ? tok_text(ts, follow) : NULL, follow ? follow->start : -1);
}

/* Table constraints other than WATERMARK: what they are called, or NULL for a column. */
static const char *table_constraint_name(const Cursor *c)
{
    if (cur_is_word(c, "primary"))
        return "PRIMARY KEY";
    if (cur_is_word(c, "unique"))
        return "UNIQUE";
    if (cur_is_word(c, "constraint"))
        return "CONSTRAINT";
    if (cur_is_word(c, "check"))
        return "CHECK";
    if (cur_is_word(c, "foreign"))
        return "FOREIGN KEY";
    if (cur_is_word(c, "like"))
        return "LIKE";
    if (cur_is_word(c, "exclude") &&
        (tok_is_char(cur_peek(c, 1), '(') || cur_peek_word(c, 1, "using")))
        return "EXCLUDE";
    return NULL;
}

/* '(' has been consumed: elements up to and including ')'. */
static void parse_table_elements(Cursor *c, ParsedStmt *stmt)
{
    Arena *arena = c->ts->arena;
    int cap = 8;
    NameSet names;
    nameset_init(&names, arena);
    stmt->columns = arena_new_array(arena, ColumnDefn, cap);

    if (cur_accept_char(c, ')'))
        return; /* no columns: the schema may come from the format (registry, inline) */

    for (;;) {
        int location = cur_location(c);
        const char *constraint = table_constraint_name(c);
        if (constraint) {
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("%s constraints are not supported on %s tables", constraint,
                           table_kind_word(stmt->object)),
                    errposition(location + 1));
        } else if (cur_is_word(c, "watermark") && cur_peek_word(c, 1, "for")) {
            c->pos += 2;
            parse_watermark(c, stmt, location);
        } else {
            ColumnDefn col = {0};
            col.name = cur_expect_ident(c, &col.location);
            if (!nameset_add(&names, col.name))
                ereport(ERROR, errcode(ERRCODE_DUPLICATE_COLUMN),
                        errmsg("column \"%s\" specified more than once", col.name),
                        errposition(col.location + 1));
            parse_column_type(c, &col);
            parse_column_options(c, &col, stmt->object);
            if (stmt->ncolumns == cap) {
                stmt->columns = arena_realloc(arena, stmt->columns, sizeof(ColumnDefn) * cap,
                                              sizeof(ColumnDefn) * cap * 2);
                cap *= 2;
            }
            stmt->columns[stmt->ncolumns++] = col;
        }
        if (cur_accept_char(c, ','))
            continue;
        cur_expect_char(c, ')');
        break;
    }

    if (stmt->watermark_column && stmt->ncolumns > 0 && nameset_add(&names, stmt->watermark_column))
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                errmsg("column \"%s\" named in WATERMARK does not exist", stmt->watermark_column),
                errposition(stmt->watermark_column_location + 1));
}

/* ---------------------------------------------------------------- statements */

static void parse_create_conn_table(Cursor *c, ParsedStmt *stmt)
{
    stmt->kind = STMT_CREATE_CONN_TABLE;
    stmt->object = parse_table_kind(c);
    if (skip_if_not_exists(c))
        stmt->if_not_exists = true;
    parse_name(c, stmt);
    if (cur_accept_char(c, '('))
        parse_table_elements(c, stmt);
    parse_with_options(c, stmt);
    cur_expect_end(c);
}

static void parse_create_pipeline(Cursor *c, ParsedStmt *stmt)
{
    TokenStream *ts = c->ts;
    stmt->kind = STMT_CREATE_PIPELINE;
    stmt->object = OBJ_PIPELINE;
    cur_expect_word(c, "pipeline");
    if (skip_if_not_exists(c))
        stmt->if_not_exists = true;
    parse_name(c, stmt);
    parse_with_options(c, stmt);
    cur_expect_word(c, "as");
    if (cur_at_end(c))
        cur_syntax_error(c);

    int start = ts->toks[c->pos].start;
    int end = ts->toks[c->end - 1].end;
    stmt->body_location = start;
    stmt->body_text = arena_strndup(ts->arena, ts->text + start, (size_t)(end - start));

    /*
     * Parse up to and including the statement's ';' if it has one, so that an
     * incomplete body is reported at or near ";" as PostgreSQL would.
     */
    int parse_end = c->end < ts->ntoks ? ts->toks[c->end].end : ts->textlen;
    PgParseError err;
    PgQuery__ParseResult *tree =
        pgtree_parse(ts->arena, pgtree_blank_outside(ts->arena, ts->text, start, parse_end),
                     scan_depth_bound(ts, c->pos, c->end), &err);
    if (tree == NULL)
        pgtree_raise(&err);
    if (tree->n_stmts != 1 || tree->stmts[0]->stmt == NULL ||
        tree->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_INSERT_STMT)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("the body of a pipeline must be an INSERT statement"),
                errhint("Write CREATE PIPELINE name AS INSERT INTO sink_table SELECT ...."),
                errposition(start + 1));
    stmt->body = tree->stmts[0]->stmt;
    c->pos = c->end;
}

static void parse_create(Cursor *c, ParsedStmt *stmt)
{
    if (skip_if_not_exists(c))
        stmt->if_not_exists = true;

    if (cur_accept_word(c, "connection")) {
        cur_expect_word(c, "profile");
        stmt->kind = STMT_CREATE_PROFILE;
        stmt->object = OBJ_PROFILE;
        if (skip_if_not_exists(c))
            stmt->if_not_exists = true;
        parse_name(c, stmt);
        parse_with_options(c, stmt);
        cur_expect_end(c);
    } else if (cur_accept_word(c, "secret")) {
        stmt->kind = STMT_CREATE_SECRET;
        stmt->object = OBJ_SECRET;
        if (skip_if_not_exists(c))
            stmt->if_not_exists = true;
        parse_name(c, stmt);
        cur_expect_word(c, "as");
        stmt->secret_value = tok_string(c->ts, cur_tok(c));
        if (stmt->secret_value == NULL)
            cur_syntax_error(c);
        c->pos++;
        cur_expect_end(c);
    } else if (cur_is_word(c, "pipeline")) {
        parse_create_pipeline(c, stmt);
    } else {
        parse_create_conn_table(c, stmt);
    }
}

/* CONNECTION PROFILE | SOURCE TABLE | SINK TABLE (ALTER, TEST) */
static void parse_profile_or_table(Cursor *c, ParsedStmt *stmt, StmtKind profile_kind,
                                   StmtKind table_kind)
{
    if (cur_accept_word(c, "connection")) {
        cur_expect_word(c, "profile");
        stmt->kind = profile_kind;
        stmt->object = OBJ_PROFILE;
    } else {
        stmt->object = parse_table_kind(c);
        stmt->kind = table_kind;
    }
}

static void parse_drop(Cursor *c, ParsedStmt *stmt)
{
    if (cur_accept_word(c, "secret")) {
        stmt->kind = STMT_DROP_SECRET;
        stmt->object = OBJ_SECRET;
    } else if (cur_accept_word(c, "pipeline")) {
        stmt->kind = STMT_DROP_PIPELINE;
        stmt->object = OBJ_PIPELINE;
    } else {
        parse_profile_or_table(c, stmt, STMT_DROP_PROFILE, STMT_DROP_CONN_TABLE);
    }
    expect_if_exists(c, stmt);
    parse_name(c, stmt);
    /* DROP ... a, b, c: every name, in order (stmt->name stays the first) */
    int cap = 4;
    stmt->names = arena_alloc(c->ts->arena, sizeof(char *) * cap);
    stmt->name_locations = arena_alloc(c->ts->arena, sizeof(int) * cap);
    stmt->names[0] = stmt->name;
    stmt->name_locations[0] = stmt->name_location;
    stmt->nnames = 1;
    const char *first = stmt->name;
    int first_location = stmt->name_location;
    while (cur_accept_char(c, ',')) {
        parse_name(c, stmt);
        if (stmt->nnames == cap) {
            stmt->names = arena_realloc(c->ts->arena, stmt->names, sizeof(char *) * cap,
                                        sizeof(char *) * cap * 2);
            stmt->name_locations = arena_realloc(c->ts->arena, stmt->name_locations,
                                                 sizeof(int) * cap, sizeof(int) * cap * 2);
            cap *= 2;
        }
        stmt->names[stmt->nnames] = stmt->name;
        stmt->name_locations[stmt->nnames++] = stmt->name_location;
    }
    stmt->name = first;
    stmt->name_location = first_location;
    cur_expect_end(c);
}

static void parse_show(Cursor *c, ParsedStmt *stmt)
{
    if (cur_accept_word(c, "create")) {
        stmt->kind = STMT_SHOW_CREATE;
        if (cur_accept_word(c, "connection")) {
            cur_expect_word(c, "profile");
            stmt->object = OBJ_PROFILE;
        } else if (cur_accept_word(c, "pipeline")) {
            stmt->object = OBJ_PIPELINE;
        } else if (cur_accept_word(c, "table")) {
            stmt->object = OBJ_TABLE;
        } else {
            stmt->object = parse_table_kind(c);
        }
        parse_name(c, stmt);
        if (stmt->object == OBJ_TABLE) {
            /* any table, possibly schema-qualified: kept as "schema.name" */
            while (cur_accept_char(c, '.')) {
                const char *part = cur_expect_ident(c, NULL);
                stmt->name = arena_printf(c->ts->arena, "%s.%s", stmt->name, part);
            }
        }
        cur_expect_end(c);
        return;
    }

    stmt->kind = STMT_SHOW_LIST;
    if (cur_accept_word(c, "connection")) {
        cur_expect_word(c, "profiles");
        stmt->object = OBJ_PROFILE;
    } else if (cur_accept_word(c, "source")) {
        cur_expect_word(c, "tables");
        stmt->object = OBJ_SOURCE_TABLE;
    } else if (cur_accept_word(c, "sink")) {
        cur_expect_word(c, "tables");
        stmt->object = OBJ_SINK_TABLE;
    } else if (cur_accept_word(c, "connectors")) {
        stmt->object = OBJ_CONNECTOR;
    } else if (cur_accept_word(c, "pipelines")) {
        stmt->object = OBJ_PIPELINE;
    } else if (cur_accept_word(c, "jobs")) {
        stmt->object = OBJ_JOB;
    } else if (cur_accept_word(c, "secrets")) {
        stmt->object = OBJ_SECRET;
    } else {
        cur_syntax_error(c);
    }
    cur_expect_end(c);
}

static void parse_pipeline_command(Cursor *c, ParsedStmt *stmt, StmtKind kind)
{
    stmt->kind = kind;
    stmt->object = OBJ_PIPELINE;
    cur_expect_word(c, "pipeline");
    parse_name(c, stmt);
    cur_expect_end(c);
}

void preparse_statement(TokenStream *ts, int first, int end, ParsedStmt *stmt)
{
    Cursor c = {ts, first, end};

    if (cur_accept_word(&c, "create")) {
        parse_create(&c, stmt);
    } else if (cur_accept_word(&c, "alter")) {
        parse_profile_or_table(&c, stmt, STMT_ALTER_PROFILE, STMT_ALTER_CONN_TABLE);
        parse_name(&c, stmt);
        parse_set_or_reset(&c, stmt);
        cur_expect_end(&c);
    } else if (cur_accept_word(&c, "drop")) {
        parse_drop(&c, stmt);
    } else if (cur_accept_word(&c, "test")) {
        parse_profile_or_table(&c, stmt, STMT_TEST_PROFILE, STMT_TEST_CONN_TABLE);
        parse_name(&c, stmt);
        cur_expect_end(&c);
    } else if (cur_accept_word(&c, "show")) {
        parse_show(&c, stmt);
    } else if (cur_accept_word(&c, "start")) {
        parse_pipeline_command(&c, stmt, STMT_START_PIPELINE);
    } else if (cur_accept_word(&c, "stop")) {
        parse_pipeline_command(&c, stmt, STMT_STOP_PIPELINE);
    } else if (cur_accept_word(&c, "explain")) {
        parse_pipeline_command(&c, stmt, STMT_EXPLAIN_PIPELINE);
    } else {
        /* preparse_is_laminar() said yes to something this function does not know */
        elog(ERROR, "unrecognized Laminar statement");
    }
}
