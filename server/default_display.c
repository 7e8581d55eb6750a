/*
 * default_display.c: the text a column DEFAULT is stored as — the form
 * PostgreSQL's pg_get_expr() shows for pg_attrdef.adbin (and so \d,
 * information_schema.columns.column_default): `(1 + 1)`, `now()`,
 * `'x'::text`, `'-1'::integer`, `CURRENT_TIMESTAMP`.
 *
 * PostgreSQL stores the analysed expression (coerced to the column type) and
 * deparses it with ruleutils.c; Laminar stores text that the planner parses
 * and binds again at each INSERT (parser_parse_expr), so the text must be
 * both valid SQL with the same value and the display form.  The raw parse
 * tree is rewritten into ruleutils' shapes:
 *   - constants as get_const_expr prints them: integers bare unless negative
 *     ('-1'::integer), bigints and other typed constants quoted with their
 *     type name, numeric literals bare when they have a fraction or exponent
 *     and are not negative, booleans as true/false; a string literal takes
 *     the column's type at the top level (PostgreSQL coerces it there: the
 *     value is parsed and printed again, '2020-01-01'::timestamp shows as
 *     '2020-01-01 00:00:00'::timestamp without time zone) and text inside
 *     operators and function calls;
 *   - operators parenthesised: (a + b); explicit casts as (x)::type;
 *     function calls as name(args); CURRENT_TIMESTAMP and friends as keywords;
 *   - a NULL constant default is no default at all (as PostgreSQL).
 * Anything else (CASE, IN, LIKE, ...) falls back to libpg_query's deparser for
 * that subtree, which is valid SQL but not always PostgreSQL's exact display.
 * Known gap: an untyped string literal next to a non-text operand shows as
 * 'x'::text where PostgreSQL would pick the operand's type.
 */
#include "server/default_display.h"
#include "common/error.h"
#include "common/vector.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- libpg_query deparse of one expression ---------- */

char *default_deparse_raw(Arena *a, PgQuery__Node *expr)
{
    PgQuery__ResTarget rt = PG_QUERY__RES_TARGET__INIT;
    PgQuery__Node rt_node = PG_QUERY__NODE__INIT;
    PgQuery__SelectStmt sel = PG_QUERY__SELECT_STMT__INIT;
    PgQuery__Node sel_node = PG_QUERY__NODE__INIT;
    PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
    PgQuery__ParseResult pr = PG_QUERY__PARSE_RESULT__INIT;
    PgQuery__Node *targets[1] = {&rt_node};
    PgQuery__RawStmt *stmts[1] = {&raw};
    PgQueryProtobuf pb;
    PgQueryDeparseResult dr;
    char *out;

    rt.val = expr;
    rt.location = -1;
    rt_node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
    rt_node.res_target = &rt;
    sel.n_target_list = 1;
    sel.target_list = targets;
    sel.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
    sel.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
    sel_node.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
    sel_node.select_stmt = &sel;
    raw.stmt = &sel_node;
    pr.version = PG_VERSION_NUM;
    pr.n_stmts = 1;
    pr.stmts = stmts;

    pb.len = pg_query__parse_result__get_packed_size(&pr);
    pb.data = arena_alloc(a, pb.len ? pb.len : 1);
    pg_query__parse_result__pack(&pr, (uint8_t *)pb.data);
    dr = pg_query_deparse_protobuf(pb);
    if (dr.error) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", dr.error->message ? dr.error->message : "unknown error");
        pg_query_free_deparse_result(dr);
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("cannot store this DEFAULT expression"), errdetail("%s", msg));
    }
    const char *text = dr.query ? dr.query : "";
    if (strncmp(text, "SELECT ", 7) == 0)
        text += 7;
    out = arena_strdup(a, text);
    pg_query_free_deparse_result(dr);
    return out;
}

/* ---------- pieces ---------- */

static void quote_literal(StrBuf *out, const char *s)
{
    strbuf_append_char(out, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            strbuf_append_char(out, '\'');
        strbuf_append_char(out, *s);
    }
    strbuf_append_char(out, '\'');
}

/* A type's name as a constant's label: no typmod (the coercion to the column's typmod is an
 * implicit cast PostgreSQL does not show). */
static void label_name(const LmType *t, StrBuf *out)
{
    if (t->id == TYPE_DECIMAL) {
        strbuf_append_str(out, "numeric");
        return;
    }
    if (t->id == TYPE_STRING && t->precision >= 0 && t->pg_oid == 0) {
        strbuf_append_str(out, "character varying");
        return;
    }
    type_pg_format(t, out);
}

/* PostgreSQL's numeric_out of a numeric literal: exponent applied, the literal's own scale. */
static char *numeric_normal(Arena *a, const char *lit)
{
    const char *p = lit;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    StrBuf digits;
    strbuf_init(&digits, a);
    int nfrac = 0;
    bool in_frac = false;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            in_frac = true;
            continue;
        }
        if (!isdigit((unsigned char)*p))
            return NULL;
        strbuf_append_char(&digits, *p);
        if (in_frac)
            nfrac++;
    }
    long exp = 0;
    if (*p == 'e' || *p == 'E') {
        char *end;
        exp = strtol(p + 1, &end, 10);
        if (*end != '\0' || exp > 1000 || exp < -1000)
            return NULL;
    }
    /* value = digits * 10^(exp - nfrac); scale = max(0, nfrac - exp) */
    long scale = nfrac - exp;
    if (scale < 0) {
        for (long i = 0; i < -scale; i++)
            strbuf_append_char(&digits, '0');
        scale = 0;
    }
    const char *d = digits.data ? digits.data : "";
    long len = (long)strlen(d);
    StrBuf out;
    strbuf_init(&out, a);
    if (neg)
        strbuf_append_char(&out, '-');
    long intlen = len - scale;
    if (intlen <= 0) {
        strbuf_append_char(&out, '0');
    } else {
        long skip = 0;
        while (skip < intlen - 1 && d[skip] == '0')
            skip++;
        strbuf_append(&out, d + skip, (size_t)(intlen - skip));
    }
    if (scale > 0) {
        strbuf_append_char(&out, '.');
        for (long i = intlen; i < 0; i++)
            strbuf_append_char(&out, '0');
        strbuf_append(&out, d + (intlen > 0 ? intlen : 0), (size_t)(intlen > 0 ? scale : len));
    }
    if (neg && strspn(out.data + 1, "0.") == strlen(out.data + 1))
        return arena_strdup(a, out.data + 1); /* -0.00 is 0.00 */
    return out.data;
}

/* A numeric constant as get_const_expr prints it. */
static void numeric_const(StrBuf *out, const char *text)
{
    if (isdigit((unsigned char)text[0]) && strpbrk(text, "eE.") != NULL) {
        strbuf_append_str(out, text);
        return;
    }
    quote_literal(out, text);
    strbuf_append_str(out, "::numeric");
}

/* A value of type t given as text (a string literal coerced to t): parsed and printed again
 * (22P02 and friends for bad input, as PostgreSQL at CREATE TABLE), then shown as a constant
 * of type t. */
/* value_parse_text with the literal's position on its error. */
static void parse_at(Vector *v, Arena *a, const char *text, int location)
{
    LM_TRY();
    {
        value_parse_text(v, a, 0, text, strlen(text));
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        if (e->position == 0 && location >= 0)
            e->position = location + 1;
        error_rethrow();
    }
    LM_END_TRY();
}

static void typed_const(Arena *a, StrBuf *out, const LmType *t, const char *text, int location)
{
    Vector v;
    vector_init(&v, a, t, 1);
    parse_at(&v, a, text, location);
    StrBuf val;
    strbuf_init(&val, a);
    value_format_text(&v, 0, &val);
    const char *s = val.data ? val.data : "";
    if (t->id == TYPE_DECIMAL) {
        /* PostgreSQL's constant is numeric without typmod (the literal's own scale); the
         * coercion to numeric(p,s) is an implicit cast it does not show */
        while (isspace((unsigned char)*text))
            text++;
        char *norm = numeric_normal(a, text);
        if (norm != NULL)
            s = norm;
    }
    switch (type_pg_oid(t)) {
    case BOOLOID:
        strbuf_append_str(out, s[0] == 't' ? "true" : "false");
        return;
    case INT4OID:
        if (s[0] != '-') {
            strbuf_append_str(out, s);
            return;
        }
        break;
    case NUMERICOID:
        numeric_const(out, s);
        return;
    default:
        break;
    }
    quote_literal(out, s);
    strbuf_append_str(out, "::");
    label_name(t, out);
}

/* The type a TypeName names, or NULL when Laminar cannot parse it here. */
static const LmType *cast_type(Arena *a, PgQuery__TypeName *tn)
{
    if (tn == NULL || tn->n_names == 0 || tn->pct_type || tn->setof)
        return NULL;
    PgQuery__Node *last = tn->names[tn->n_names - 1];
    if (last->node_case != PG_QUERY__NODE__NODE_STRING)
        return NULL;
    StrBuf text;
    strbuf_init(&text, a);
    strbuf_append_str(&text, last->string->sval);
    if (tn->n_typmods > 0) {
        strbuf_append_char(&text, '(');
        for (size_t i = 0; i < tn->n_typmods; i++) {
            PgQuery__Node *m = tn->typmods[i];
            if (m->node_case != PG_QUERY__NODE__NODE_A_CONST ||
                m->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL)
                return NULL;
            strbuf_printf(&text, "%s%d", i ? "," : "", m->a_const->ival->ival);
        }
        strbuf_append_char(&text, ')');
    }
    for (size_t i = 0; i < tn->n_array_bounds; i++)
        strbuf_append_str(&text, "[]");
    int errpos = 0;
    const char *msg = NULL;
    return type_parse(a, text.data, &errpos, &msg);
}

static const char *svf_keyword(PgQuery__SQLValueFunctionOp op)
{
    switch (op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE: return "CURRENT_DATE";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N: return "CURRENT_TIME";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N: return "CURRENT_TIMESTAMP";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N: return "LOCALTIME";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N: return "LOCALTIMESTAMP";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE: return "CURRENT_ROLE";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER: return "CURRENT_USER";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER: return "USER";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER: return "SESSION_USER";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG: return "CURRENT_CATALOG";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA: return "CURRENT_SCHEMA";
    default: return NULL;
    }
}

/* ---------- the rewrite ---------- */

/* Appends n's display form; coltype: the type an untyped string literal takes (NULL inside
 * operators and calls: text). */
static void display(Arena *a, StrBuf *out, PgQuery__Node *n, const LmType *coltype)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST: {
        PgQuery__AConst *c = n->a_const;
        if (c->isnull) {
            strbuf_append_str(out, "NULL");
            return;
        }
        switch (c->val_case) {
        case PG_QUERY__A__CONST__VAL_IVAL:
            if (c->ival->ival >= 0)
                strbuf_printf(out, "%d", c->ival->ival);
            else
                strbuf_printf(out, "'%d'::integer", c->ival->ival);
            return;
        case PG_QUERY__A__CONST__VAL_FVAL: {
            const char *f = c->fval->fval;
            if (strpbrk(f, "eE.") == NULL) {
                /* an integer beyond int4: bigint when it fits, else numeric */
                char *end;
                errno = 0;
                long long v = strtoll(f, &end, 10);
                if (errno == 0 && *end == '\0') {
                    strbuf_printf(out, "'%lld'::bigint", v);
                    return;
                }
            }
            char *norm = numeric_normal(a, f);
            if (norm == NULL)
                break;
            numeric_const(out, norm);
            return;
        }
        case PG_QUERY__A__CONST__VAL_BOOLVAL:
            strbuf_append_str(out, c->boolval->boolval ? "true" : "false");
            return;
        case PG_QUERY__A__CONST__VAL_SVAL:
            typed_const(a, out, coltype ? coltype : type_string(), c->sval->sval, c->location);
            return;
        default:
            break;
        }
        break;
    }
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        PgQuery__TypeCast *tc = n->type_cast;
        const LmType *t = cast_type(a, tc->type_name);
        if (t == NULL || tc->arg == NULL)
            break;
        if (tc->arg->node_case == PG_QUERY__NODE__NODE_A_CONST) {
            PgQuery__AConst *c = tc->arg->a_const;
            if (c->isnull) {
                strbuf_append_str(out, "NULL::");
                type_pg_format(t, out);
                return;
            }
            if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
                typed_const(a, out, t, c->sval->sval, c->location); /* a constant of t */
                return;
            }
        }
        strbuf_append_char(out, '(');
        display(a, out, tc->arg, NULL);
        strbuf_append_str(out, ")::");
        type_pg_format(t, out);
        return;
    }
    case PG_QUERY__NODE__NODE_A_EXPR: {
        PgQuery__AExpr *e = n->a_expr;
        if (e->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP || e->n_name != 1 ||
            e->name[0]->node_case != PG_QUERY__NODE__NODE_STRING || e->rexpr == NULL)
            break;
        strbuf_append_char(out, '(');
        if (e->lexpr) {
            display(a, out, e->lexpr, NULL);
            strbuf_append_char(out, ' ');
        }
        strbuf_append_str(out, e->name[0]->string->sval);
        strbuf_append_char(out, ' ');
        display(a, out, e->rexpr, NULL);
        strbuf_append_char(out, ')');
        return;
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL: {
        PgQuery__FuncCall *f = n->func_call;
        if (f->n_funcname == 0 || f->agg_star || f->agg_distinct || f->func_variadic ||
            f->n_agg_order > 0 || f->agg_filter || f->over ||
            f->funcformat == PG_QUERY__COERCION_FORM__COERCE_SQL_SYNTAX)
            break;
        PgQuery__Node *last = f->funcname[f->n_funcname - 1];
        if (last->node_case != PG_QUERY__NODE__NODE_STRING)
            break;
        bool named = false;
        for (size_t i = 0; i < f->n_args; i++)
            named |= f->args[i]->node_case == PG_QUERY__NODE__NODE_NAMED_ARG_EXPR;
        if (named)
            break;
        strbuf_append_str(out, last->string->sval);
        strbuf_append_char(out, '(');
        for (size_t i = 0; i < f->n_args; i++) {
            if (i)
                strbuf_append_str(out, ", ");
            display(a, out, f->args[i], NULL);
        }
        strbuf_append_char(out, ')');
        return;
    }
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: {
        PgQuery__SQLValueFunction *v = n->sqlvalue_function;
        const char *kw = svf_keyword(v->op);
        if (kw == NULL)
            break;
        strbuf_append_str(out, kw);
        if (v->typmod >= 0)
            strbuf_printf(out, "(%d)", v->typmod);
        return;
    }
    default:
        break;
    }
    strbuf_append_str(out, default_deparse_raw(a, n));
}

/* Whether n is a NULL constant, possibly cast. */
static bool is_null_const(PgQuery__Node *n)
{
    if (n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST && n->type_cast->arg)
        return is_null_const(n->type_cast->arg);
    return n->node_case == PG_QUERY__NODE__NODE_A_CONST && n->a_const->isnull;
}

char *default_display(Arena *a, PgQuery__Node *expr, const LmType *coltype)
{
    if (is_null_const(expr))
        return NULL;
    StrBuf out;
    strbuf_init(&out, a);
    display(a, &out, expr, coltype);
    return out.data;
}
