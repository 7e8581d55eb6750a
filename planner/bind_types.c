/*
 * bind_types.c: the typing side of binding — constants, parameters,
 * coercions, PostgreSQL's common-type rule and type names.
 *
 * String literals and NULL start as UNKNOWN: an EXPR_CONST whose type is
 * UNKNOWN and whose value vector is a STRING holding the literal's text.
 * bind_coerce() turns such a literal into a constant of the wanted type by
 * parsing it once, here (input errors carry the literal's position); names
 * given to reg* types ('users'::regclass) are looked up now, since the
 * executor cannot see relations.  A parameter without a declared type takes
 * the first type a context coerces it to (recorded in bc->param_types);
 * bind.c gives every EXPR_PARAM its final type at the end.  Everything else
 * is an EXPR_CAST allowed by cast_kind() for the context (implicit,
 * assignment or explicit).
 */
#include "planner/bind_int.h"
#include "planner/sysview.h"
#include "planner/reg_names.h"
#include "common/reg_names.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NODE(n, kind) ((n) != NULL && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

const char *bind_type_display(BindContext *bc, const LmType *t)
{
    if (t->id == TYPE_UNKNOWN)
        return "unknown";
    StrBuf sb;
    strbuf_init(&sb, bc->arena);
    type_pg_format(t, &sb);
    return sb.data ? sb.data : "";
}

/* ---------------------------------------------------------------- constants */

Expr *bind_make_const(BindContext *bc, const LmType *exprtype, const LmType *valtype, int loc)
{
    Expr *e = expr_make(bc->arena, EXPR_CONST, exprtype, loc);
    e->value = arena_new(bc->arena, Vector);
    vector_init(e->value, bc->arena, valtype, 1);
    return e;
}

Expr *bind_const_int(BindContext *bc, int64 v, int location)
{
    bool small = v >= INT32_MIN && v <= INT32_MAX;
    Expr *e = bind_make_const(bc, small ? type_int32() : type_int64(),
                              small ? type_int32() : type_int64(), location);
    if (small)
        vector_set_int32(e->value, 0, (int32)v);
    else
        vector_set_int64(e->value, 0, v);
    return e;
}

Expr *bind_const_bool(BindContext *bc, bool v, int location)
{
    Expr *e = bind_make_const(bc, type_bool(), type_bool(), location);
    vector_set_bool(e->value, 0, v);
    return e;
}

Expr *bind_const_null(BindContext *bc, const LmType *t, int location)
{
    Expr *e = bind_make_const(bc, t, t->id == TYPE_UNKNOWN ? type_string() : t, location);
    vector_set_null(e->value, 0);
    return e;
}

Expr *bind_const_text(BindContext *bc, const char *s, int location)
{
    Expr *e = bind_make_const(bc, type_string(), type_string(), location);
    vector_set_cstr(e->value, bc->arena, 0, s);
    return e;
}

Expr *bind_const_unknown(BindContext *bc, const char *s, int location)
{
    Expr *e = bind_make_const(bc, type_unknown(), type_string(), location);
    vector_set_cstr(e->value, bc->arena, 0, s);
    return e;
}

/* The text of an UNKNOWN constant (NULL for NULL). */
static const char *unknown_text(BindContext *bc, const Expr *e)
{
    if (!vector_is_valid(e->value, 0))
        return NULL;
    const StrView *sv = (const StrView *)e->value->data;
    return arena_strndup(bc->arena, sv->ptr, sv->len);
}

/* A numeric literal the parser kept as text: int8 when it fits, else numeric. */
Expr *bind_numeric_literal(BindContext *bc, const char *text, int location)
{
    bool integral = true;
    for (const char *p = text; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != '-')
            integral = false;
    if (integral) {
        errno = 0;
        char *end;
        long long v = strtoll(text, &end, 10);
        if (errno == 0 && *end == '\0')
            return bind_const_int(bc, v, location);
    }
    const LmType *t;
    if (strchr(text, 'e') || strchr(text, 'E')) {
        /* numeric, as in PostgreSQL: 1e3 is 1000 (scale 0), 1.5e-3 is 0.0015 (scale 4); double
         * precision when the digits do not fit DECIMAL */
        int digits = 0, nfrac = 0;
        bool frac = false;
        const char *p = text;
        for (; *p && *p != 'e' && *p != 'E'; p++) {
            if (*p == '.')
                frac = true;
            else if (isdigit((unsigned char)*p)) {
                digits++;
                nfrac += frac;
            }
        }
        long exp = strtol(p + 1, NULL, 10);
        long scale = nfrac - exp < 0 ? 0 : nfrac - exp;
        long total = (digits - nfrac) + exp; /* integer digits */
        long prec = (total > 0 ? total : 0) + scale;
        if (exp < -DECIMAL_MAX_PRECISION || exp > DECIMAL_MAX_PRECISION || prec > DECIMAL_MAX_PRECISION)
            t = type_float64();
        else
            t = type_decimal(bc->arena, prec < 1 ? 1 : (int)prec, (int)scale);
    } else {
        int digits = 0, scale = 0;
        bool frac = false;
        for (const char *p = text; *p; p++) {
            if (*p == '.')
                frac = true;
            else if (isdigit((unsigned char)*p)) {
                digits++;
                if (frac)
                    scale++;
            }
        }
        if (digits > DECIMAL_MAX_PRECISION)
            t = type_float64();
        else
            t = type_decimal(bc->arena, digits < 1 ? 1 : digits, scale);
    }
    Expr *e = bind_make_const(bc, t, t, location);
    value_parse_text(e->value, bc->arena, 0, text, strlen(text));
    return e;
}

/* ---------------------------------------------------------------- parameters */

static void param_note_expr(BindContext *bc, Expr *e)
{
    BindPrivate *p = bc->priv;
    if (p->nparam_exprs == p->param_expr_cap) {
        int ncap = p->param_expr_cap ? p->param_expr_cap * 2 : 8;
        p->param_exprs =
            arena_realloc(bc->arena, p->param_exprs, sizeof(Expr *) * (size_t)p->param_expr_cap,
                          sizeof(Expr *) * (size_t)ncap);
        p->param_expr_cap = ncap;
    }
    p->param_exprs[p->nparam_exprs++] = e;
}

Expr *bind_param(BindContext *bc, PgQuery__ParamRef *pr)
{
    int n = pr->number;
    if (n < 1 || n > 65535)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_PARAMETER), errmsg("there is no parameter $%d", n),
                errposition(pr->location + 1));
    BindPrivate *p = bc->priv;
    if (n > p->pcap) {
        int ncap = n < 16 ? 16 : n * 2;
        const LmType **nt = arena_new_array(bc->arena, const LmType *, ncap);
        for (int i = 0; i < bc->nparams; i++)
            nt[i] = bc->param_types[i];
        bc->param_types = nt;
        p->pcap = ncap;
    }
    if (n > bc->nparams)
        bc->nparams = n;
    const LmType *t = bc->param_types[n - 1];
    Expr *e = expr_make(bc->arena, EXPR_PARAM, t ? t : type_unknown(), pr->location);
    e->param_index = n - 1;
    param_note_expr(bc, e);
    return e;
}

/* ---------------------------------------------------------------- coercion */

/* 'name'::regclass and friends: resolved at bind time, as the session sees the catalog
 * (reg_names.c); numbers are OIDs as they are, other OID-like types (xid, ...) cast at run time. */
static Expr *reg_literal(BindContext *bc, const char *text, const LmType *want, int loc)
{
    Expr *e = bind_make_const(bc, want, want, loc);
    bool numeric = *text != '\0';
    for (const char *p = text; *p; p++)
        if (!isdigit((unsigned char)*p))
            numeric = false;
    if (numeric) {
        vector_set_int64(e->value, 0, (int64)strtoull(text, NULL, 10));
        return e;
    }
    if (!reg_type_is_named(want->pg_oid)) {
        Expr *c = bind_const_text(bc, text, loc);
        Expr *cast = expr_make(bc->arena, EXPR_CAST, want, loc);
        cast->nargs = 1;
        cast->args = arena_new_array(bc->arena, Expr *, 1);
        cast->args[0] = c;
        cast->explicit_cast = true;
        return cast;
    }
    Oid oid = strcmp(text, "-") == 0 ? 0
                                     : planner_reg_lookup(bc->ctx, bc->arena, want->pg_oid, text, loc);
    vector_set_int64(e->value, 0, (int64)oid);
    return e;
}

/* value_parse_text() whose errors carry the literal's position (kept out of line so that
 * no caller's locals live across the setjmp). */
static __attribute__((noinline)) void parse_literal_at(Vector *v, Arena *a, const char *text,
                                                       int loc)
{
    LM_TRY();
    {
        value_parse_text(v, a, 0, text, strlen(text));
    }
    LM_CATCH();
    {
        ErrorData *err = error_current();
        if (err->position == 0 && loc >= 0)
            err->position = loc + 1;
        error_rethrow();
    }
    LM_END_TRY();
}

/* Parses an UNKNOWN literal as want. */
static Expr *make_cast(BindContext *bc, Expr *e, const LmType *want, bool explicit_cast);

static Expr *coerce_unknown_const(BindContext *bc, Expr *e, const LmType *want, bool explicit_cast)
{
    const char *text = unknown_text(bc, e);
    if (text == NULL)
        return bind_const_null(bc, want, e->location);
    if (want->id == TYPE_OID && want->pg_oid != 0 && want->pg_oid != OIDOID)
        return reg_literal(bc, text, want, e->location);
    if (want->id == TYPE_STRING && want->precision > 0 && want->pg_oid != CHAROID) {
        /* PostgreSQL reads the literal without the length, then applies the length as a
         * coercion: explicit ones truncate ('abc'::varchar(2) is 'ab'), others raise 22001
         * without a position */
        Expr *c = bind_make_const(bc, type_string(), type_string(), e->location);
        parse_literal_at(c->value, bc->arena, text, e->location);
        return make_cast(bc, c, want, explicit_cast);
    }
    Expr *c = bind_make_const(bc, want, want, e->location);
    parse_literal_at(c->value, bc->arena, text, e->location);
    return c;
}

static Expr *make_cast(BindContext *bc, Expr *e, const LmType *want, bool explicit_cast)
{
    Expr *c = expr_make(bc->arena, EXPR_CAST, want, e->location);
    c->nargs = 1;
    c->args = arena_new_array(bc->arena, Expr *, 1);
    c->args[0] = e;
    c->explicit_cast = explicit_cast;
    c->name = e->name;
    return c;
}

Expr *bind_try_coerce(BindContext *bc, Expr *e, const LmType *want, CoerceMode mode)
{
    if (want == NULL || want->id == TYPE_UNKNOWN)
        return e;
    /* oid <-> regclass & co. are equal types that print differently: relabel with a cast */
    if (type_equal(e->type, want) &&
        (want->id != TYPE_OID || type_pg_oid(e->type) == type_pg_oid(want)))
        return e;
    if (e->type->id == TYPE_UNKNOWN) {
        if (e->kind == EXPR_PARAM) {
            bc->param_types[e->param_index] = want;
            e->type = want;
            return e;
        }
        if (e->kind == EXPR_CONST)
            return coerce_unknown_const(bc, e, want, mode == COERCE_EXPLICIT);
        return make_cast(bc, e, want, mode == COERCE_EXPLICIT);
    }
    CastKind ck = cast_kind(e->type, want);
    CastKind need = mode == COERCE_IMPLICIT     ? CAST_IMPLICIT
                    : mode == COERCE_ASSIGNMENT ? CAST_ASSIGNMENT
                                                : CAST_EXPLICIT;
    /* the same physical type under another name (varchar(n), name, regclass) relabels */
    if (ck == CAST_NONE && e->type->id == want->id && !type_is_nested(want))
        ck = CAST_IMPLICIT;
    if (ck == CAST_NONE || ck < need)
        return NULL;
    return make_cast(bc, e, want, mode == COERCE_EXPLICIT);
}

Expr *bind_coerce(BindContext *bc, Expr *e, const LmType *want, CoerceMode mode, int location)
{
    Expr *r = bind_try_coerce(bc, e, want, mode);
    if (r)
        return r;
    int pos = (location >= 0 ? location : e->location) + 1;
    if (mode == COERCE_EXPLICIT)
        ereport(ERROR, errcode(ERRCODE_CANNOT_COERCE),
                errmsg("cannot cast type %s to %s", bind_type_display(bc, e->type),
                       bind_type_display(bc, want)),
                errposition(pos));
    ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
            errmsg("argument of type %s cannot be converted to type %s",
                   bind_type_display(bc, e->type), bind_type_display(bc, want)),
            errhint("You will need to rewrite or cast the expression."), errposition(pos));
}

Expr *bind_coerce_bool(BindContext *bc, Expr *e, const char *clause)
{
    if (e->type->id == TYPE_BOOL)
        return e;
    if (e->type->id == TYPE_UNKNOWN)
        return bind_coerce(bc, e, type_bool(), COERCE_IMPLICIT, e->location);
    ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
            errmsg("argument of %s must be type boolean, not type %s", clause,
                   bind_type_display(bc, e->type)),
            errposition(e->location + 1));
}

Expr *bind_resolve_unknown(BindContext *bc, Expr *e)
{
    if (e->type->id == TYPE_UNKNOWN && e->kind != EXPR_PARAM)
        return bind_coerce(bc, e, type_string(), COERCE_IMPLICIT, e->location);
    return e;
}

static const LmType *combine_decimals(BindContext *bc, const LmType *a, const LmType *b)
{
    int scale = a->scale > b->scale ? a->scale : b->scale;
    int ia = a->precision - a->scale, ib = b->precision - b->scale;
    int prec = (ia > ib ? ia : ib) + scale;
    if (prec > DECIMAL_MAX_PRECISION)
        prec = DECIMAL_MAX_PRECISION;
    if (scale > prec)
        scale = prec;
    return type_decimal(bc->arena, prec, scale);
}

const LmType *bind_common_type(BindContext *bc, int n, Expr **exprs, const char *context)
{
    const LmType *cand = NULL;
    for (int i = 0; i < n; i++) {
        const LmType *t = exprs[i]->type;
        if (t->id == TYPE_UNKNOWN)
            continue;
        if (cand == NULL || type_equal(cand, t)) {
            cand = t;
            continue;
        }
        if (cand->id == TYPE_DECIMAL && t->id == TYPE_DECIMAL) {
            cand = combine_decimals(bc, cand, t);
            continue;
        }
        if (cand->id == t->id && cand->id == TYPE_STRING) {
            cand = cand->pg_oid == 0 && cand->precision <= 0 ? cand : type_string();
            continue;
        }
        if (cand->id == t->id && !type_is_nested(t)) {
            continue; /* same physical type, other presentation: keep the first */
        }
        CastKind to_cand = cast_kind(t, cand), to_t = cast_kind(cand, t);
        if (to_cand == CAST_IMPLICIT && to_t != CAST_IMPLICIT)
            continue;
        if (to_t == CAST_IMPLICIT) {
            cand = t;
            continue;
        }
        if (to_cand == CAST_IMPLICIT)
            continue;
        ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                errmsg("%s types %s and %s cannot be matched", context, bind_type_display(bc, cand),
                       bind_type_display(bc, t)),
                errposition(exprs[i]->location + 1));
    }
    if (cand && cand->id == TYPE_DECIMAL) {
        /* PostgreSQL keeps each value's own display scale: unifying numerics of different
         * scales (1 and 2.5) must not print 1 as 1.0, so the result trims trailing zeros */
        for (int i = 0; i < n; i++) {
            const LmType *t = exprs[i]->type;
            int scale = t->id == TYPE_DECIMAL ? t->scale : type_is_integer(t) ? 0 : -1;
            if ((t->id == TYPE_DECIMAL && t->numeric_trim) || (scale >= 0 && scale != cand->scale)) {
                cand = type_decimal_trimmed(bc->arena, cand);
                break;
            }
        }
    }
    return cand ? cand : type_string();
}

/* ---------------------------------------------------------------- type names */

const LmType *bind_typename(BindContext *bc, PgQuery__TypeName *tn)
{
    if (tn->setof || tn->pct_type)
        bind_unsupported(tn->location, "this type name");
    int nn = (int)tn->n_names;
    const char *name = nn > 0 ? bind_strval(tn->names[nn - 1]) : NULL;
    if (name == NULL)
        bind_unsupported(tn->location, "this type name");
    const LmType *t;
    if (nn == 1 && strcmp(name, "char") == 0 && tn->n_typmods == 0) {
        t = type_with_pg_oid(bc->arena, type_string(), CHAROID); /* "char" */
    } else {
        StrBuf sb;
        strbuf_init(&sb, bc->arena);
        strbuf_append_str(&sb, name);
        if (tn->n_typmods > 0 && strcmp(name, "interval") != 0) {
            strbuf_append_char(&sb, '(');
            for (size_t i = 0; i < tn->n_typmods; i++) {
                PgQuery__Node *m = tn->typmods[i];
                if (!NODE(m, A_CONST) || m->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL)
                    bind_unsupported(tn->location, "this type modifier");
                strbuf_printf(&sb, "%s%d", i ? "," : "", m->a_const->ival->ival);
            }
            strbuf_append_char(&sb, ')');
        }
        int pos;
        const char *msg;
        t = type_parse(bc->arena, sb.data, &pos, &msg);
        if (t == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("type \"%s\" does not exist", name), errposition(tn->location + 1));
    }
    for (size_t i = 0; i < tn->n_array_bounds; i++)
        t = type_array(bc->arena, t);
    return t;
}
