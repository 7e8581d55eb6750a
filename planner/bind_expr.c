/*
 * bind_expr.c: binding of expressions — names, literals, parameters,
 * operators, function calls, casts — into typed Expr trees (planner/plan.h).
 *
 * Typing follows PostgreSQL (bind_types.c has the literal, parameter and
 * coercion rules): untyped literals take the type their context needs.
 * Operators and functions are resolved by func_resolve()/agg_resolve(),
 * which also say which arguments need implicit casts.  Nothing left UNKNOWN
 * survives binding: the binder resolves leftovers to text.
 *
 * Several SQL constructs have no node of their own and are expanded into
 * others: BETWEEN into comparisons, IS [NOT] DISTINCT FROM and NULLIF into
 * CASE, IS TRUE/FALSE/UNKNOWN into null tests, GREATEST/LEAST into CASE
 * chains when the registry has no such function.  Expanded subtrees share
 * their operands (trees are immutable, so sharing is safe).
 *
 * Aggregates and window functions are handed to the current BindLevel and
 * replaced by placeholders (bind_int.h); bind_select.c resolves those.
 */
#include "planner/bind_int.h"
#include "parser/parser.h"

#include <ctype.h>
#include <string.h>

#define NODE(n, kind) ((n) != NULL && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

/* PostgreSQL's window frame option bits (nodes/parsenodes.h). */
#define FRAMEOPTION_NONDEFAULT 0x00001
#define FRAMEOPTION_START_UNBOUNDED_PRECEDING 0x00020
#define FRAMEOPTION_END_UNBOUNDED_FOLLOWING 0x00100

static Expr *bind_expr_in(BindContext *bc, BindLevel *lv, PgQuery__Node *n);

void bind_unsupported(int location, const char *what)
{
    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("%s is not supported", what),
            errposition(location >= 0 ? location + 1 : 0));
}

const char *bind_strval(PgQuery__Node *n)
{
    return NODE(n, STRING) ? n->string->sval : NULL;
}

static Expr *bind_aconst(BindContext *bc, PgQuery__AConst *c)
{
    if (c->isnull)
        return bind_const_null(bc, type_unknown(), c->location);
    switch (c->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
        return bind_const_int(bc, c->ival->ival, c->location);
    case PG_QUERY__A__CONST__VAL_FVAL:
        return bind_numeric_literal(bc, c->fval->fval, c->location);
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
        return bind_const_bool(bc, c->boolval->boolval, c->location);
    case PG_QUERY__A__CONST__VAL_SVAL:
        return bind_const_unknown(bc, c->sval->sval, c->location);
    case PG_QUERY__A__CONST__VAL_BSVAL:
        bind_unsupported(c->location, "bit string literals");
    default:
        break;
    }
    return bind_const_null(bc, type_unknown(), c->location);
}

/* ---------------------------------------------------------------- names */

void bind_scope_add(Arena *a, Scope *s, const ScopeCol *c)
{
    if (s->ncols == s->cap) {
        int ncap = s->cap ? s->cap * 2 : 16;
        s->cols = arena_realloc(a, s->cols, sizeof(ScopeCol) * (size_t)s->cap,
                                sizeof(ScopeCol) * (size_t)ncap);
        s->cap = ncap;
    }
    s->cols[s->ncols++] = *c;
}

int bind_scope_find(const Scope *s, const char *schema, const char *qual, const char *name,
                    int location)
{
    int found = -1;
    for (int i = 0; i < s->ncols; i++) {
        const ScopeCol *c = &s->cols[i];
        if (strcmp(c->name, name) != 0)
            continue;
        if (qual) {
            if (c->qual == NULL || strcmp(c->qual, qual) != 0)
                continue;
            if (schema && (c->schema == NULL || strcmp(c->schema, schema) != 0))
                continue;
        } else if (!(c->flags & SC_UNQUALIFIED))
            continue;
        if (found >= 0 && s->cols[found].index != c->index) {
            if (qual)
                ereport(ERROR, errcode(ERRCODE_AMBIGUOUS_COLUMN),
                        errmsg("column reference \"%s.%s\" is ambiguous", qual, name),
                        errposition(location + 1));
            ereport(ERROR, errcode(ERRCODE_AMBIGUOUS_COLUMN),
                    errmsg("column reference \"%s\" is ambiguous", name),
                    errposition(location + 1));
        }
        if (found < 0)
            found = i;
    }
    return found;
}

static bool scope_has_qual(const Scope *s, const char *qual)
{
    for (int i = 0; i < s->ncols; i++)
        if (s->cols[i].qual && strcmp(s->cols[i].qual, qual) == 0)
            return true;
    return false;
}

/*
 * The system column tableoid (psql's \dd and \dL join pg_description on it): the OID of the
 * relation qual names — or, unqualified, of the only relation in scope — as a constant; 0 when
 * there is none (the caller then reports the missing column).
 */
static Oid tableoid_of(BindLevel *lv, const char *schema, const char *qual)
{
    for (BindLevel *l = lv; l; l = l->parent) {
        Oid found = 0;
        for (int i = 0; i < l->scope.ncols; i++) {
            const ScopeCol *c = &l->scope.cols[i];
            if (c->table_oid == 0 || c->rel == NULL)
                continue;
            if (qual && (c->qual == NULL || strcmp(c->qual, qual) != 0 ||
                         (schema && (c->schema == NULL || strcmp(c->schema, schema) != 0))))
                continue;
            if (found && found != c->table_oid)
                return 0; /* unqualified and ambiguous */
            found = c->table_oid;
        }
        if (found)
            return found;
    }
    return 0;
}

static Expr *bind_columnref(BindContext *bc, BindLevel *lv, PgQuery__ColumnRef *cr)
{
    const char *f[4] = {NULL, NULL, NULL, NULL};
    int nf = (int)cr->n_fields;
    if (nf < 1 || nf > 4)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("improper qualified name (too many dotted names)"),
                errposition(cr->location + 1));
    for (int i = 0; i < nf; i++) {
        if (NODE(cr->fields[i], A_STAR))
            bind_unsupported(cr->location, "a whole-row reference (table.*) in an expression");
        f[i] = bind_strval(cr->fields[i]);
        if (f[i] == NULL)
            bind_unsupported(cr->location, "this column reference");
    }
    const char *name = f[nf - 1];
    const char *qual = nf >= 2 ? f[nf - 2] : NULL;
    const char *schema = nf >= 3 ? f[nf - 3] : NULL;
    int up = 0;
    bool crossed_barrier = false;
    for (BindLevel *l = lv; l; up += l->transparent ? 0 : 1, l = l->parent) {
        int i = bind_scope_find(&l->scope, schema, qual, name, cr->location);
        if (i >= 0) {
            const ScopeCol *c = &l->scope.cols[i];
            if (up == 0) {
                Expr *e = expr_make_column(bc->arena, c->index, c->type, cr->location);
                e->name = c->name;
                return e;
            }
            if (crossed_barrier)
                bind_unsupported(cr->location, "a reference to an outer query from a WITH query");
            for (BindLevel *m = lv; m != l; m = m->parent)
                m->has_outer_refs = true;
            Expr *e = expr_make(bc->arena, EXPR_OUTER, c->type, cr->location);
            e->index = c->index;
            e->levels_up = up;
            e->name = c->name;
            return e;
        }
        if (l->barrier)
            crossed_barrier = true;
    }
    if (strcmp(name, "tableoid") == 0) {
        Oid oid = tableoid_of(lv, schema, qual);
        if (oid) {
            Expr *e = bind_make_const(bc, type_oid(), type_oid(), cr->location);
            ((uint32 *)e->value->data)[0] = oid;
            vector_set_valid(e->value, 0);
            e->name = "tableoid";
            return e;
        }
    }
    if (qual) {
        bool any = false;
        for (BindLevel *l = lv; l && !any; l = l->parent)
            any = scope_has_qual(&l->scope, qual);
        if (!any)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                    errmsg("missing FROM-clause entry for table \"%s\"", qual),
                    errposition(cr->location + 1));
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                errmsg("column %s.%s does not exist", qual, name), errposition(cr->location + 1));
    }
    ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN), errmsg("column \"%s\" does not exist", name),
            errposition(cr->location + 1));
}

/* ---------------------------------------------------------------- operators */

static Expr **new_args(BindContext *bc, int n)
{
    return arena_new_array(bc->arena, Expr *, n > 0 ? n : 1);
}

static const LmType *ret_type(BindContext *bc, int ret, const LmType *resolved, int nargs,
                              const LmType **argtypes)
{
    if (resolved)
        return resolved;
    if (ret >= 0 && ret < TYPE__COUNT && type_scalar((TypeId)ret))
        return type_scalar((TypeId)ret);
    return nargs > 0 ? argtypes[0] : type_string();
}

static const char *signature(BindContext *bc, const char *name, int n, Expr **args)
{
    StrBuf sb;
    strbuf_init(&sb, bc->arena);
    strbuf_printf(&sb, "%s(", name);
    for (int i = 0; i < n; i++)
        strbuf_printf(&sb, "%s%s", i ? ", " : "", bind_type_display(bc, args[i]->type));
    strbuf_append_char(&sb, ')');
    return sb.data;
}

Expr *bind_operator(BindContext *bc, const char *op, Expr *a, Expr *b, int location)
{
    int n = b ? 2 : 1;
    Expr *args[2] = {b ? a : a, b};
    const LmType *types[2] = {a->type, b ? b->type : NULL};
    const LmType *cast_to[2] = {NULL, NULL};
    const LmType *ret = NULL;
    const FuncDesc *f = func_resolve(bc->arena, op, n, types, cast_to, &ret);
    if (f == NULL) {
        if (b)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                    errmsg("operator does not exist: %s %s %s", bind_type_display(bc, a->type), op,
                           bind_type_display(bc, b->type)),
                    errhint("No operator matches the given name and argument types. You might "
                            "need to add explicit type casts."),
                    errposition(location + 1));
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                errmsg("operator does not exist: %s %s", op, bind_type_display(bc, a->type)),
                errhint("No operator matches the given name and argument type. You might need to "
                        "add an explicit type cast."),
                errposition(location + 1));
    }
    Expr *e = expr_make(bc->arena, EXPR_FUNC, NULL, location);
    e->func = f;
    e->nargs = n;
    e->args = new_args(bc, n);
    for (int i = 0; i < n; i++) {
        Expr *x = args[i];
        if (cast_to[i])
            x = bind_coerce(bc, x, cast_to[i], COERCE_IMPLICIT, x->location);
        e->args[i] = bind_resolve_unknown(bc, x);
        types[i] = e->args[i]->type;
    }
    e->type = ret_type(bc, f->ret, ret, n, types);
    return e;
}

static Expr *make_bool_node(BindContext *bc, ExprKind kind, int n, Expr **args, int location)
{
    Expr *e = expr_make(bc->arena, kind, type_bool(), location);
    e->nargs = n;
    e->args = new_args(bc, n);
    for (int i = 0; i < n; i++)
        e->args[i] = args[i];
    return e;
}

static Expr *make_not(BindContext *bc, Expr *a, int location)
{
    return make_bool_node(bc, EXPR_NOT, 1, &a, location);
}

static Expr *make_null_test(BindContext *bc, Expr *a, bool is_null, int location)
{
    return make_bool_node(bc, is_null ? EXPR_IS_NULL : EXPR_IS_NOT_NULL, 1, &a, location);
}

static Expr *make_case(BindContext *bc, int n, Expr **args, bool has_else, const LmType *t,
                       int location)
{
    Expr *e = expr_make(bc->arena, EXPR_CASE, t, location);
    e->nargs = n;
    e->args = new_args(bc, n);
    memcpy(e->args, args, sizeof(Expr *) * (size_t)n);
    e->has_else = has_else;
    return e;
}

static const char *op_name(BindContext *bc, PgQuery__Node **names, size_t n, int location)
{
    if (n == 0)
        bind_unsupported(location, "this operator");
    if (n == 2) {
        const char *schema = bind_strval(names[0]);
        if (schema == NULL || strcmp(schema, "pg_catalog") != 0)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                    errmsg("operator does not exist: %s.%s", schema ? schema : "?",
                           bind_strval(names[1]) ? bind_strval(names[1]) : "?"),
                    errposition(location + 1));
    } else if (n > 2)
        bind_unsupported(location, "this operator name");
    const char *op = bind_strval(names[n - 1]);
    if (op == NULL)
        bind_unsupported(location, "this operator");
    return op;
}

/* x op ANY/ALL (rexpr) where rexpr is an array (not a subquery). */
static Expr *bind_array_op(BindContext *bc, BindLevel *lv, PgQuery__AExpr *ae, bool all,
                           const char *op)
{
    Expr *l = bind_expr_in(bc, lv, ae->lexpr);
    if (NODE(ae->rexpr, A_ARRAY_EXPR) && ae->rexpr->a_array_expr->n_elements > 0 &&
        (strcmp(op, "=") == 0 || strcmp(op, "<>") == 0) && (all == (strcmp(op, "<>") == 0))) {
        /* x = ANY (ARRAY[...]) / x <> ALL (ARRAY[...]): an IN list */
        PgQuery__AArrayExpr *ar = ae->rexpr->a_array_expr;
        int n = (int)ar->n_elements + 1;
        Expr **items = new_args(bc, n);
        items[0] = l;
        for (int i = 1; i < n; i++)
            items[i] = bind_expr_in(bc, lv, ar->elements[i - 1]);
        const LmType *t = bind_common_type(bc, n, items, "ARRAY");
        for (int i = 0; i < n; i++)
            items[i] = bind_coerce(bc, items[i], t, COERCE_IMPLICIT, items[i]->location);
        Expr *eq = bind_operator(bc, "=", items[0], items[1], ae->location);
        Expr *e = expr_make(bc->arena, EXPR_IN_LIST, type_bool(), ae->location);
        e->nargs = n;
        e->args = items;
        e->func = eq->func;
        e->negated = all;
        return e;
    }
    Expr *r = bind_expr_in(bc, lv, ae->rexpr);
    if (r->type->id == TYPE_UNKNOWN) {
        l = bind_resolve_unknown(bc, l);
        const LmType *elem = l->type->id == TYPE_UNKNOWN ? type_string() : l->type;
        r = bind_coerce(bc, r, type_array(bc->arena, elem), COERCE_IMPLICIT, r->location);
    }
    if (r->type->id != TYPE_ARRAY)
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("op ANY/ALL (array) requires array on right side"),
                errposition(ae->location + 1));
    /* resolve the operator on (left type, element type) */
    Expr elem = {.kind = EXPR_COLUMN, .type = r->type->elem, .location = r->location};
    Expr *probe = bind_operator(bc, op, l, &elem, ae->location);
    if (probe->type->id != TYPE_BOOL)
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("op ANY/ALL (array) requires operator to yield boolean"),
                errposition(ae->location + 1));
    Expr *rr = r;
    if (probe->args[1] != &elem) /* the element needs a cast: cast the whole array */
        rr = bind_coerce(bc, r, type_array(bc->arena, probe->args[1]->type), COERCE_IMPLICIT,
                         r->location);
    Expr *e = expr_make(bc->arena, EXPR_SCALAR_ARRAY_OP, type_bool(), ae->location);
    e->nargs = 2;
    e->args = new_args(bc, 2);
    e->args[0] = probe->args[0];
    e->args[1] = rr;
    e->compare = probe->func;
    e->subquery_kind = all ? SUBQ_ALL : SUBQ_ANY;
    return e;
}

/*
 * (a, b) op (x, y): = is the AND of pairwise =, <> the OR of pairwise <>, and < <= > >= are
 * lexicographic: a < x OR (a = x AND b < y) ... (the last pair uses op itself).
 */
static Expr *bind_row_compare(BindContext *bc, BindLevel *lv, const char *op, PgQuery__RowExpr *l,
                              PgQuery__RowExpr *r, int loc)
{
    int n = (int)l->n_args;
    if (n != (int)r->n_args)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("unequal number of entries in row expressions"), errposition(loc + 1));
    if (n == 0)
        bind_unsupported(loc, "comparison of empty rows");
    Expr **a = new_args(bc, n), **x = new_args(bc, n);
    for (int i = 0; i < n; i++) {
        a[i] = bind_expr_in(bc, lv, l->args[i]);
        x[i] = bind_expr_in(bc, lv, r->args[i]);
    }
    bool eq = strcmp(op, "=") == 0, ne = strcmp(op, "<>") == 0;
    if (eq || ne) {
        Expr **terms = new_args(bc, n);
        for (int i = 0; i < n; i++)
            terms[i] = bind_operator(bc, op, a[i], x[i], loc);
        return n == 1 ? terms[0] : make_bool_node(bc, eq ? EXPR_AND : EXPR_OR, n, terms, loc);
    }
    const char *strict;
    if (strcmp(op, "<") == 0 || strcmp(op, "<=") == 0)
        strict = "<";
    else if (strcmp(op, ">") == 0 || strcmp(op, ">=") == 0)
        strict = ">";
    else
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                errmsg("operator %s is not supported for row comparisons", op),
                errposition(loc + 1));
    Expr **ors = new_args(bc, n);
    for (int i = 0; i < n; i++) {
        Expr **ands = new_args(bc, i + 1);
        for (int j = 0; j < i; j++)
            ands[j] = bind_operator(bc, "=", a[j], x[j], loc);
        ands[i] = bind_operator(bc, i == n - 1 ? op : strict, a[i], x[i], loc);
        ors[i] = i == 0 ? ands[0] : make_bool_node(bc, EXPR_AND, i + 1, ands, loc);
    }
    return n == 1 ? ors[0] : make_bool_node(bc, EXPR_OR, n, ors, loc);
}

static Expr *bind_aexpr(BindContext *bc, BindLevel *lv, PgQuery__AExpr *ae)
{
    int loc = ae->location;
    switch (ae->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR: {
        const char *op = op_name(bc, ae->name, ae->n_name, loc);
        if (ae->rexpr == NULL)
            bind_unsupported(loc, "postfix operators");
        if (NODE(ae->lexpr, ROW_EXPR) && NODE(ae->rexpr, ROW_EXPR) &&
            ae->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP)
            return bind_row_compare(bc, lv, op, ae->lexpr->row_expr, ae->rexpr->row_expr, loc);
        Expr *r = bind_expr_in(bc, lv, ae->rexpr);
        if (ae->lexpr == NULL)
            return bind_operator(bc, op, r, NULL, loc);
        Expr *l = bind_expr_in(bc, lv, ae->lexpr);
        return bind_operator(bc, op, l, r, loc);
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL:
        return bind_array_op(bc, lv, ae, ae->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL,
                             op_name(bc, ae->name, ae->n_name, loc));
    case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: {
        bool distinct = ae->kind == PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT;
        Expr *eq = bind_operator(bc, "=", bind_expr_in(bc, lv, ae->lexpr),
                                 bind_expr_in(bc, lv, ae->rexpr), loc);
        Expr *a = eq->args[0], *b = eq->args[1];
        /* DISTINCT: CASE WHEN a IS NULL THEN b IS NOT NULL WHEN b IS NULL THEN true
         *                ELSE NOT (a = b) END; NOT DISTINCT is its negation */
        Expr *args[5] = {make_null_test(bc, a, true, loc), make_null_test(bc, b, !distinct, loc),
                         make_null_test(bc, b, true, loc), bind_const_bool(bc, distinct, loc),
                         distinct ? make_not(bc, eq, loc) : eq};
        return make_case(bc, 5, args, true, type_bool(), loc);
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF: {
        Expr *a = bind_resolve_unknown(bc, bind_expr_in(bc, lv, ae->lexpr));
        Expr *b = bind_expr_in(bc, lv, ae->rexpr);
        Expr *eq = bind_operator(bc, "=", a, b, loc);
        Expr *args[3] = {eq, bind_const_null(bc, a->type, loc), a};
        Expr *e = make_case(bc, 3, args, true, a->type, loc);
        e->name = "nullif";
        return e;
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN: {
        const char *op = op_name(bc, ae->name, ae->n_name, loc);
        if (!NODE(ae->rexpr, LIST))
            bind_unsupported(loc, "this IN form");
        PgQuery__List *list = ae->rexpr->list;
        if (NODE(ae->lexpr, ROW_EXPR)) {
            /* (a, b) IN ((1, 2), (3, 4)): OR of row equalities (NOT IN: AND of <>) */
            bool neg = strcmp(op, "<>") == 0;
            int nl = (int)list->n_items;
            Expr **terms = new_args(bc, nl);
            for (int i = 0; i < nl; i++) {
                if (!NODE(list->items[i], ROW_EXPR))
                    ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                            errmsg("IN list of rows must contain only rows"), errposition(loc + 1));
                terms[i] = bind_row_compare(bc, lv, neg ? "<>" : "=", ae->lexpr->row_expr,
                                            list->items[i]->row_expr, loc);
            }
            return nl == 1 ? terms[0]
                           : make_bool_node(bc, neg ? EXPR_AND : EXPR_OR, nl, terms, loc);
        }
        int n = (int)list->n_items + 1;
        Expr **items = new_args(bc, n);
        items[0] = bind_expr_in(bc, lv, ae->lexpr);
        for (int i = 1; i < n; i++)
            items[i] = bind_expr_in(bc, lv, list->items[i - 1]);
        const LmType *t = bind_common_type(bc, n, items, "IN");
        for (int i = 0; i < n; i++)
            items[i] = bind_coerce(bc, items[i], t, COERCE_IMPLICIT, items[i]->location);
        Expr *eq = bind_operator(bc, "=", items[0], items[1], loc);
        Expr *e = expr_make(bc->arena, EXPR_IN_LIST, type_bool(), loc);
        e->nargs = n;
        e->args = items;
        e->func = eq->func;
        e->negated = strcmp(op, "<>") == 0;
        return e;
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM: {
        if (!NODE(ae->rexpr, LIST) || ae->rexpr->list->n_items != 2)
            bind_unsupported(loc, "this BETWEEN form");
        bool neg = ae->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN ||
                   ae->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM;
        bool sym = ae->kind == PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM ||
                   ae->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM;
        Expr *x = bind_expr_in(bc, lv, ae->lexpr);
        Expr *lo = bind_expr_in(bc, lv, ae->rexpr->list->items[0]);
        Expr *hi = bind_expr_in(bc, lv, ae->rexpr->list->items[1]);
        Expr *a1[2] = {bind_operator(bc, neg ? "<" : ">=", x, lo, loc),
                       bind_operator(bc, neg ? ">" : "<=", x, hi, loc)};
        Expr *e = make_bool_node(bc, neg ? EXPR_OR : EXPR_AND, 2, a1, loc);
        if (sym) {
            Expr *a2[2] = {bind_operator(bc, neg ? "<" : ">=", x, hi, loc),
                           bind_operator(bc, neg ? ">" : "<=", x, lo, loc)};
            Expr *e2 = make_bool_node(bc, neg ? EXPR_OR : EXPR_AND, 2, a2, loc);
            Expr *both[2] = {e, e2};
            e = make_bool_node(bc, neg ? EXPR_AND : EXPR_OR, 2, both, loc);
        }
        return e;
    }
    default:
        break;
    }
    bind_unsupported(loc, "this operator form");
}

/* ---------------------------------------------------------------- functions */

static void check_agg_place(BindLevel *lv, int location, bool window)
{
    if (window) {
        if (lv->place != PLACE_TARGET || lv->in_agg_args) {
            if (lv->in_agg_args)
                ereport(ERROR, errcode(ERRCODE_GROUPING_ERROR),
                        errmsg("aggregate function calls cannot contain window function calls"),
                        errposition(location + 1));
            ereport(ERROR, errcode(ERRCODE_WINDOWING_ERROR),
                    errmsg("window functions are not allowed in %s",
                           lv->place_name ? lv->place_name : "this context"),
                    errposition(location + 1));
        }
        return;
    }
    if (lv->in_agg_args)
        ereport(ERROR, errcode(ERRCODE_GROUPING_ERROR),
                errmsg("aggregate function calls cannot be nested"), errposition(location + 1));
    if (lv->place == PLACE_NONE)
        ereport(ERROR, errcode(ERRCODE_GROUPING_ERROR),
                errmsg("aggregate functions are not allowed in %s",
                       lv->place_name ? lv->place_name : "this context"),
                errposition(location + 1));
}

static SortKey *bind_sortby_list(BindContext *bc, BindLevel *lv, PgQuery__Node **items, int n)
{
    SortKey *keys = arena_new_array(bc->arena, SortKey, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        if (!NODE(items[i], SORT_BY))
            bind_unsupported(-1, "this ORDER BY item");
        PgQuery__SortBy *sb = items[i]->sort_by;
        if (sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING)
            bind_unsupported(sb->location, "ORDER BY USING");
        keys[i].expr = bind_resolve_unknown(bc, bind_expr_in(bc, lv, sb->node));
        keys[i].descending = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
        keys[i].nulls_first =
            sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
            (sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST && keys[i].descending);
    }
    return keys;
}

/* Binds an aggregate call into call (not yet registered with the level). */
/* window: the aggregate of a window function, whose arguments may be the grouped query's
 * aggregates (sum(sum(x)) OVER ...), evaluated before the window. */
static void bind_agg_call(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc, const char *name,
                          AggCall *call, bool window)
{
    bool saved = lv->in_agg_args;
    if (!window)
        lv->in_agg_args = true;
    int n = fc->agg_star ? 0 : (int)fc->n_args;
    Expr **args = new_args(bc, n);
    const LmType **types = arena_new_array(bc->arena, const LmType *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        args[i] = bind_expr_in(bc, lv, fc->args[i]);
        types[i] = args[i]->type;
    }
    const LmType **cast_to = arena_new_array(bc->arena, const LmType *, n > 0 ? n : 1);
    const LmType *ret = NULL;
    const AggDesc *ad = agg_resolve(bc->arena, name, n, types, cast_to, &ret);
    if (ad == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                errmsg("function %s does not exist", fc->agg_star
                                                         ? arena_printf(bc->arena, "%s(*)", name)
                                                         : signature(bc, name, n, args)),
                errhint("No function matches the given name and argument types. You might need "
                        "to add explicit type casts."),
                errposition(fc->location + 1));
    for (int i = 0; i < n; i++) {
        if (cast_to[i])
            args[i] = bind_coerce(bc, args[i], cast_to[i], COERCE_IMPLICIT, args[i]->location);
        args[i] = bind_resolve_unknown(bc, args[i]);
        types[i] = args[i]->type;
    }
    memset(call, 0, sizeof *call);
    call->agg = ad;
    call->nargs = n;
    call->args = args;
    call->distinct = fc->agg_distinct;
    if (fc->agg_filter)
        call->filter = bind_coerce_bool(bc, bind_expr_in(bc, lv, fc->agg_filter), "FILTER");
    call->norder = (int)fc->n_agg_order;
    if (call->norder)
        call->order = bind_sortby_list(bc, lv, fc->agg_order, call->norder);
    call->type = ret_type(bc, ad->ret, ret, n, types);
    call->name = ad->name;
    lv->in_agg_args = saved;
}

static PgQuery__WindowDef *find_window(BindLevel *lv, const char *name, int location)
{
    for (int i = 0; i < lv->nwindefs; i++) {
        if (!NODE(lv->windefs[i], WINDOW_DEF))
            continue;
        PgQuery__WindowDef *w = lv->windefs[i]->window_def;
        if (bind_nz(w->name) && strcmp(w->name, name) == 0)
            return w;
    }
    ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("window \"%s\" does not exist", name),
            errposition(location + 1));
}

static Expr *bind_window_call(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc,
                              const char *name)
{
    check_agg_place(lv, fc->location, true);
    PgQuery__WindowDef *w = fc->over;
    /* OVER w / OVER (w ORDER BY ...): start from the named window */
    PgQuery__WindowDef *base = NULL;
    if (bind_nz(w->name) && w->n_partition_clause == 0 && w->n_order_clause == 0 &&
        !bind_nz(w->refname))
        base = find_window(lv, w->name, w->location);
    else if (bind_nz(w->refname))
        base = find_window(lv, w->refname, w->location);
    PgQuery__Node **part = w->partition_clause;
    int npart = (int)w->n_partition_clause;
    PgQuery__Node **ord = w->order_clause;
    int nord = (int)w->n_order_clause;
    int frame = w->frame_options;
    if (base) {
        if (npart == 0) {
            part = base->partition_clause;
            npart = (int)base->n_partition_clause;
        }
        if (nord == 0) {
            ord = base->order_clause;
            nord = (int)base->n_order_clause;
        }
        if (!(frame & FRAMEOPTION_NONDEFAULT))
            frame = base->frame_options;
    }
    WindowCall wc;
    memset(&wc, 0, sizeof wc);
    if (strcmp(name, "row_number") == 0 || strcmp(name, "rank") == 0 ||
        strcmp(name, "dense_rank") == 0) {
        if (fc->n_args != 0 || fc->agg_star)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                    errmsg("function %s does not exist", name),
                    errhint("No function matches the given name and argument types. You might "
                            "need to add explicit type casts."),
                    errposition(fc->location + 1));
        wc.kind = name[0] == 'r' && name[1] == 'o' ? WIN_ROW_NUMBER
                  : name[0] == 'r'                 ? WIN_RANK
                                                   : WIN_DENSE_RANK;
        wc.type = type_int64();
        wc.name = name;
    } else if (agg_exists(name)) {
        bool whole = (frame & FRAMEOPTION_START_UNBOUNDED_PRECEDING) &&
                     (frame & FRAMEOPTION_END_UNBOUNDED_FOLLOWING);
        /* the default frame (RANGE UNBOUNDED PRECEDING .. CURRENT ROW: a running aggregate
         * with ORDER BY, the whole partition without) and the whole partition are supported */
        if ((frame & FRAMEOPTION_NONDEFAULT) && !whole)
            bind_unsupported(w->location, "this window frame");
        wc.kind = WIN_AGG;
        wc.whole_frame = whole;
        bool saved_place = lv->place;
        lv->place = PLACE_HAVING; /* the aggregate's own arguments */
        bind_agg_call(bc, lv, fc, name, &wc.agg, true);
        lv->place = saved_place;
        wc.type = wc.agg.type;
        wc.name = wc.agg.name;
    } else {
        if (func_exists(name))
            ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                    errmsg("OVER specified, but %s is not a window function nor an aggregate "
                           "function",
                           name),
                    errposition(fc->location + 1));
        bind_unsupported(fc->location, arena_printf(bc->arena, "window function %s", name));
    }
    ExprPlace saved = lv->place;
    const char *saved_name = lv->place_name;
    lv->place = PLACE_HAVING; /* aggregates allowed (grouped queries), windows not */
    lv->place_name = "window definitions";
    wc.npartition = npart;
    wc.partition = new_args(bc, npart);
    for (int i = 0; i < npart; i++)
        wc.partition[i] = bind_resolve_unknown(bc, bind_expr_in(bc, lv, part[i]));
    wc.norder = nord;
    wc.order = bind_sortby_list(bc, lv, ord, nord);
    lv->place = saved;
    lv->place_name = saved_name;
    if (lv->nwins == lv->wincap) {
        int ncap = lv->wincap ? lv->wincap * 2 : 4;
        lv->wins = arena_realloc(bc->arena, lv->wins, sizeof(WindowCall) * (size_t)lv->wincap,
                                 sizeof(WindowCall) * (size_t)ncap);
        lv->wincap = ncap;
    }
    lv->wins[lv->nwins] = wc;
    Expr *e = expr_make_column(bc->arena, lv->nwins++, wc.type, fc->location);
    e->levels_up = WIN_REF;
    e->name = wc.name;
    return e;
}

static Expr *bind_funccall(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc)
{
    int nn = (int)fc->n_funcname;
    const char *name = nn > 0 ? bind_strval(fc->funcname[nn - 1]) : NULL;
    if (name == NULL || nn > 2)
        bind_unsupported(fc->location, "this function name");
    if (nn == 2) {
        const char *schema = bind_strval(fc->funcname[0]);
        if (schema == NULL ||
            (strcmp(schema, "pg_catalog") != 0 && strcmp(schema, "laminar") != 0 &&
             strcmp(schema, "information_schema") != 0))
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                    errmsg("function %s.%s does not exist", schema ? schema : "?", name),
                    errposition(fc->location + 1));
    }
    if (fc->func_variadic)
        bind_unsupported(fc->location, "VARIADIC arguments");
    if (fc->agg_within_group)
        bind_unsupported(fc->location, "WITHIN GROUP");
    for (size_t i = 0; i < fc->n_args; i++)
        if (NODE(fc->args[i], NAMED_ARG_EXPR))
            bind_unsupported(fc->location, "named function arguments");
    if (fc->over)
        return bind_window_call(bc, lv, fc, name);
    if (nn == 1) {
        /* TUMBLE_START(...) and friends (bind_window.c) */
        Expr *we = bind_window_func(bc, lv, fc, name);
        if (we)
            return we;
    }
    if (bind_is_srf_name(name))
        return bind_srf_call(bc, lv, fc, name); /* bind_srf.c: ProjectSet */
    if (agg_exists(name)) {
        check_agg_place(lv, fc->location, false);
        AggCall call;
        bind_agg_call(bc, lv, fc, name, &call, false);
        if (lv->naggs == lv->aggcap) {
            int ncap = lv->aggcap ? lv->aggcap * 2 : 8;
            lv->aggs = arena_realloc(bc->arena, lv->aggs, sizeof(AggCall) * (size_t)lv->aggcap,
                                     sizeof(AggCall) * (size_t)ncap);
            lv->aggcap = ncap;
        }
        lv->aggs[lv->naggs] = call;
        Expr *e = expr_make_column(bc->arena, lv->naggs++, call.type, fc->location);
        e->levels_up = AGG_REF;
        e->name = call.name;
        return e;
    }
    if (fc->agg_star)
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("%s(*) specified, but %s is not an aggregate function", name, name),
                errposition(fc->location + 1));
    if (fc->agg_distinct)
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("DISTINCT specified, but %s is not an aggregate function", name),
                errposition(fc->location + 1));
    if (fc->n_agg_order)
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("ORDER BY specified, but %s is not an aggregate function", name),
                errposition(fc->location + 1));
    if (fc->agg_filter)
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("FILTER specified, but %s is not an aggregate function", name),
                errposition(fc->location + 1));
    int n = (int)fc->n_args;
    Expr **args = new_args(bc, n);
    const LmType **types = arena_new_array(bc->arena, const LmType *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        args[i] = bind_expr_in(bc, lv, fc->args[i]);
        types[i] = args[i]->type;
    }
    const LmType **cast_to = arena_new_array(bc->arena, const LmType *, n > 0 ? n : 1);
    const LmType *ret = NULL;
    const FuncDesc *f = func_resolve(bc->arena, name, n, types, cast_to, &ret);
    if (f == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                errmsg("function %s does not exist", signature(bc, name, n, args)),
                errhint("No function matches the given name and argument types. You might need "
                        "to add explicit type casts."),
                errposition(fc->location + 1));
    for (int i = 0; i < n; i++) {
        if (cast_to[i])
            args[i] = bind_coerce(bc, args[i], cast_to[i], COERCE_IMPLICIT, args[i]->location);
        args[i] = bind_resolve_unknown(bc, args[i]);
        types[i] = args[i]->type;
    }
    Expr *e = expr_make(bc->arena, EXPR_FUNC, NULL, fc->location);
    e->func = f;
    e->nargs = n;
    e->args = args;
    e->type = ret_type(bc, f->ret, ret, n, types);
    if (f->resolve_ret_const) {
        /* the result type depends on constant arguments: extract(year ...) is numeric(.., 0) */
        Vector **consts = arena_new_array(bc->arena, Vector *, n > 0 ? n : 1);
        for (int i = 0; i < n; i++)
            consts[i] = args[i]->kind == EXPR_CONST ? args[i]->value : NULL;
        const LmType *ct = f->resolve_ret_const(bc->arena, n, types, consts);
        if (ct)
            e->type = ct;
    }
    e->name = name;
    return e;
}

/* ---------------------------------------------------------------- casts and types */

static Expr *bind_array_elements(BindContext *bc, BindLevel *lv, PgQuery__AArrayExpr *ar,
                                 const LmType *elem)
{
    int n = (int)ar->n_elements;
    Expr **items = new_args(bc, n);
    for (int i = 0; i < n; i++) {
        if (NODE(ar->elements[i], A_ARRAY_EXPR))
            bind_unsupported(ar->location, "multidimensional arrays");
        items[i] = bind_expr_in(bc, lv, ar->elements[i]);
    }
    if (elem == NULL) {
        if (n == 0)
            ereport(ERROR, errcode(ERRCODE_INDETERMINATE_DATATYPE),
                    errmsg("cannot determine type of empty array"),
                    errhint("Explicitly cast to the desired type, for example ARRAY[]::integer[]."),
                    errposition(ar->location + 1));
        elem = bind_common_type(bc, n, items, "ARRAY");
    }
    for (int i = 0; i < n; i++)
        items[i] = bind_coerce(bc, items[i], elem, COERCE_IMPLICIT, items[i]->location);
    Expr *e = expr_make(bc->arena, EXPR_ARRAY, type_array(bc->arena, elem), ar->location);
    e->nargs = n;
    e->args = items;
    e->name = "array";
    return e;
}

/* INTERVAL '5' SECOND: a bare number counts in the lowest field of the qualifier (PostgreSQL's
 * interval typmod; bit numbers from its datetime.h). */
static const char *interval_unit(PgQuery__TypeName *tn)
{
    if (tn->n_typmods == 0 || !NODE(tn->typmods[0], A_CONST) ||
        tn->typmods[0]->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL)
        return NULL;
    int mask = tn->typmods[0]->a_const->ival->ival;
    static const struct {
        int bit;
        const char *unit;
    } fields[] = {{12, "second"}, {11, "minute"}, {10, "hour"},
                  {3, "day"},     {1, "month"},   {2, "year"}};
    for (size_t i = 0; i < LM_ARRAY_LEN(fields); i++)
        if (mask & (1 << fields[i].bit))
            return fields[i].unit;
    return NULL;
}

static bool is_bare_number(const char *s)
{
    while (*s == ' ')
        s++;
    if (*s == '-' || *s == '+')
        s++;
    bool digits = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits = true;
        else if (*s != '.' && *s != ' ')
            return false;
    }
    return digits;
}

/*
 * The type of a cast to unconstrained numeric, as far as types carry PostgreSQL's display
 * scale: an integer keeps scale 0, a numeric keeps its own, a numeric literal written as a
 * string ('1.50'::numeric) the literal's; anything else (float, text) becomes the trimmed
 * unconstrained type (types.h, numeric_trim).
 */
static const LmType *unconstrained_cast_type(BindContext *bc, const Expr *arg, const LmType *t)
{
    switch (arg->type->id) {
    case TYPE_INT8: return type_decimal(bc->arena, 3, 0);
    case TYPE_INT16: return type_decimal(bc->arena, 5, 0);
    case TYPE_INT32: return type_decimal(bc->arena, 10, 0);
    case TYPE_INT64: return type_decimal(bc->arena, 19, 0);
    case TYPE_DECIMAL: return arg->type;
    case TYPE_UNKNOWN: {
        if (arg->kind != EXPR_CONST || arg->value == NULL || !vector_is_valid(arg->value, 0))
            return t;
        const StrView *sv = &((const StrView *)arg->value->data)[0];
        int digits = 0, scale = 0;
        bool frac = false;
        for (uint32 i = 0; i < sv->len; i++) {
            char c = sv->ptr[i];
            if (c == '.')
                frac = true;
            else if (isdigit((unsigned char)c)) {
                digits++;
                scale += frac;
            } else if (c != ' ' && c != '-' && c != '+')
                return t; /* exponent, NaN, ...: not tracked */
        }
        if (digits == 0 || digits > DECIMAL_MAX_PRECISION)
            return t;
        return type_decimal(bc->arena, digits, scale);
    }
    default: return t;
    }
}

static Expr *bind_typecast(BindContext *bc, BindLevel *lv, PgQuery__TypeCast *tc)
{
    const LmType *t = bind_typename(bc, tc->type_name);
    Expr *arg;
    const char *unit = t->id == TYPE_INTERVAL ? interval_unit(tc->type_name) : NULL;
    PgQuery__Node *a = tc->arg;
    if (unit && NODE(a, A_CONST) && a->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL &&
        !a->a_const->isnull && is_bare_number(a->a_const->sval->sval)) {
        arg = bind_const_unknown(bc, arena_printf(bc->arena, "%s %s", a->a_const->sval->sval, unit),
                                 a->a_const->location);
    } else if (NODE(tc->arg, A_ARRAY_EXPR) && t->id == TYPE_ARRAY)
        arg = bind_array_elements(bc, lv, tc->arg->a_array_expr, t->elem);
    else
        arg = bind_expr_in(bc, lv, tc->arg);
    if (t->id == TYPE_DECIMAL && t->numeric_trim)
        t = unconstrained_cast_type(bc, arg, t);
    Expr *e = bind_coerce(bc, arg, t, COERCE_EXPLICIT, tc->location);
    if (e->kind == EXPR_CONST && e->location < 0)
        e->location = tc->location;
    return e;
}

/* ---------------------------------------------------------------- the rest */

static Expr *bind_sublink(BindContext *bc, BindLevel *lv, PgQuery__SubLink *sl)
{
    PgQuery__SelectStmt *sel = bind_get_select(sl->subselect);
    if (sel == NULL)
        bind_unsupported(sl->location, "this subquery");
    bool correlated = false;
    PlanNode *sub = bind_select(bc, lv, sel, LEVEL_SUBQUERY, &correlated);
    Expr *e = expr_make(bc->arena, EXPR_SUBQUERY, type_bool(), sl->location);
    e->subplan = sub;
    e->correlated = correlated;
    switch (sl->sub_link_type) {
    case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK:
        e->subquery_kind = SUBQ_EXISTS;
        e->name = "exists";
        return e;
    case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK:
    case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK:
        if (sub->ncols != 1)
            ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("subquery must return only one column"), errposition(sl->location + 1));
        if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK) {
            e->subquery_kind = SUBQ_SCALAR;
            e->type = sub->cols[0].type;
            e->name = sub->cols[0].name;
        } else {
            e->subquery_kind = SUBQ_ARRAY;
            e->type = type_array(bc->arena, sub->cols[0].type);
            e->name = "array";
        }
        return e;
    case PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK:
    case PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK: {
        const char *op =
            sl->n_oper_name ? op_name(bc, sl->oper_name, sl->n_oper_name, sl->location) : "=";
        if (NODE(sl->testexpr, ROW_EXPR))
            bind_unsupported(sl->location, "row comparisons with subqueries");
        if (sub->ncols != 1)
            ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg(sub->ncols > 1 ? "subquery has too many columns"
                                          : "subquery has too few columns"),
                    errposition(sl->location + 1));
        Expr *test = bind_expr_in(bc, lv, sl->testexpr);
        Expr col = {.kind = EXPR_COLUMN, .type = sub->cols[0].type, .location = sl->location};
        Expr *probe = bind_operator(bc, op, test, &col, sl->location);
        if (probe->type->id != TYPE_BOOL)
            ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("operator %s must return type boolean", op),
                    errposition(sl->location + 1));
        if (probe->args[1] != &col) {
            /* the subquery's column needs a cast: project it */
            Expr *c = expr_make_column(bc->arena, 0, sub->cols[0].type, sl->location);
            Expr *cast = bind_coerce(bc, c, probe->args[1]->type, COERCE_IMPLICIT, sl->location);
            const char *nm = sub->cols[0].name;
            e->subplan = bind_make_project(bc, sub, 1, &cast, &nm);
        }
        e->subquery_kind =
            sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK ? SUBQ_ANY : SUBQ_ALL;
        e->compare = probe->func;
        e->nargs = 1;
        e->args = new_args(bc, 1);
        e->args[0] = probe->args[0];
        return e;
    }
    default:
        break;
    }
    bind_unsupported(sl->location, "this kind of subquery");
}

static Expr *bind_minmax(BindContext *bc, BindLevel *lv, PgQuery__MinMaxExpr *mm)
{
    bool greatest = mm->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST;
    const char *fname = greatest ? "greatest" : "least";
    int n = (int)mm->n_args;
    Expr **args = new_args(bc, n);
    for (int i = 0; i < n; i++)
        args[i] = bind_expr_in(bc, lv, mm->args[i]);
    const LmType *t = bind_common_type(bc, n, args, fname);
    const LmType **types = arena_new_array(bc->arena, const LmType *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        args[i] = bind_coerce(bc, args[i], t, COERCE_IMPLICIT, args[i]->location);
        types[i] = t;
    }
    const LmType **cast_to = arena_new_array(bc->arena, const LmType *, n > 0 ? n : 1);
    const LmType *ret = NULL;
    const FuncDesc *f =
        func_exists(fname) ? func_resolve(bc->arena, fname, n, types, cast_to, &ret) : NULL;
    if (f) {
        Expr *e = expr_make(bc->arena, EXPR_FUNC, ret ? ret : t, mm->location);
        e->func = f;
        e->nargs = n;
        e->args = args;
        for (int i = 0; i < n; i++)
            if (cast_to[i])
                args[i] = bind_coerce(bc, args[i], cast_to[i], COERCE_IMPLICIT, args[i]->location);
        e->name = fname;
        return e;
    }
    /* m = CASE WHEN x IS NULL THEN m WHEN m IS NULL THEN x WHEN x > m THEN x ELSE m END:
     * m appears three times per step, so the tree grows as 3^n — bounded here */
    if (n > 5)
        bind_unsupported(mm->location,
                         arena_printf(bc->arena, "%s with more than 5 arguments", fname));
    Expr *m = args[0];
    for (int i = 1; i < n; i++) {
        Expr *x = args[i];
        Expr *c[7] = {make_null_test(bc, x, true, mm->location),
                      m,
                      make_null_test(bc, m, true, mm->location),
                      x,
                      bind_operator(bc, greatest ? ">" : "<", x, m, mm->location),
                      x,
                      m};
        m = make_case(bc, 7, c, true, t, mm->location);
    }
    m->name = fname;
    return m;
}

static Expr *bind_sqlvalue(BindContext *bc, PgQuery__SQLValueFunction *sv)
{
    const char *fname, *colname;
    switch (sv->op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
        fname = colname = "current_date";
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N:
        fname = colname = "current_time";
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
        fname = "now";
        colname = "current_timestamp";
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N:
        fname = colname = "localtime";
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
        fname = colname = "localtimestamp";
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
        fname = "current_user";
        colname = "current_role";
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
        fname = colname = "current_user";
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
        fname = "current_user";
        colname = "user";
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
        fname = colname = "session_user";
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
        fname = "current_database";
        colname = "current_catalog";
        break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA:
        fname = colname = "current_schema";
        break;
    default:
        bind_unsupported(sv->location, "this SQL value function");
    }
    const LmType *ret = NULL;
    const FuncDesc *f =
        func_exists(fname) ? func_resolve(bc->arena, fname, 0, NULL, NULL, &ret) : NULL;
    if (f == NULL) {
        /* names the session knows: constants for this statement */
        const SessionServices *svc = bc->ctx ? bc->ctx->svc : NULL;
        const char *v = NULL;
        if (svc && (strcmp(fname, "current_user") == 0 || strcmp(fname, "session_user") == 0))
            v = svc->user;
        else if (svc && strcmp(fname, "current_database") == 0)
            v = svc->database;
        if (v == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                    errmsg("function %s() does not exist", fname), errposition(sv->location + 1));
        Expr *e =
            bind_make_const(bc, type_with_pg_oid(bc->arena, type_string(), NAMEOID),
                            type_with_pg_oid(bc->arena, type_string(), NAMEOID), sv->location);
        vector_set_cstr(e->value, bc->arena, 0, v);
        e->name = colname;
        return e;
    }
    Expr *e = expr_make(bc->arena, EXPR_FUNC, ret_type(bc, f->ret, ret, 0, NULL), sv->location);
    e->func = f;
    e->name = colname;
    return e;
}

static Expr *bind_indirection(BindContext *bc, BindLevel *lv, PgQuery__AIndirection *ind)
{
    Expr *e = bind_expr_in(bc, lv, ind->arg);
    for (size_t i = 0; i < ind->n_indirection; i++) {
        PgQuery__Node *n = ind->indirection[i];
        if (NODE(n, A_INDICES)) {
            PgQuery__AIndices *ix = n->a_indices;
            if (ix->is_slice || ix->uidx == NULL)
                bind_unsupported(e->location, "array slices");
            Expr *sub = bind_expr_in(bc, lv, ix->uidx);
            const LmType *rt;
            if (e->type->id == TYPE_ARRAY) {
                sub = bind_coerce(bc, sub, type_int32(), COERCE_IMPLICIT, sub->location);
                rt = e->type->elem;
            } else if (e->type->id == TYPE_MAP) {
                sub = bind_coerce(bc, sub, e->type->elem, COERCE_IMPLICIT, sub->location);
                rt = e->type->value;
            } else if (e->type->id == TYPE_JSON) {
                Expr *r = bind_operator(bc, "->", e, sub, e->location);
                e = r;
                continue;
            } else
                ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("cannot subscript type %s because it does not support subscripting",
                               bind_type_display(bc, e->type)),
                        errposition(e->location + 1));
            Expr *s = expr_make(bc->arena, EXPR_SUBSCRIPT, rt, e->location);
            s->nargs = 2;
            s->args = new_args(bc, 2);
            s->args[0] = e;
            s->args[1] = sub;
            s->name = e->name;
            e = s;
        } else if (NODE(n, STRING)) {
            const char *field = n->string->sval;
            if (e->type->id != TYPE_STRUCT)
                ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                        errmsg("column notation .%s applied to type %s, which is not a composite "
                               "type",
                               field, bind_type_display(bc, e->type)),
                        errposition(e->location + 1));
            int fi = -1;
            for (int k = 0; k < e->type->nfields; k++)
                if (strcmp(e->type->fields[k].name, field) == 0)
                    fi = k;
            if (fi < 0)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" not found in data type %s", field,
                               bind_type_display(bc, e->type)),
                        errposition(e->location + 1));
            Expr *s = expr_make(bc->arena, EXPR_FIELD, e->type->fields[fi].type, e->location);
            s->nargs = 1;
            s->args = new_args(bc, 1);
            s->args[0] = e;
            s->index = fi;
            s->name = field;
            e = s;
        } else
            bind_unsupported(e->location, "this indirection");
    }
    return e;
}

static Expr *bind_case(BindContext *bc, BindLevel *lv, PgQuery__CaseExpr *ce)
{
    int nw = (int)ce->n_args;
    int n = nw * 2 + (ce->defresult ? 1 : 0);
    Expr **args = new_args(bc, n);
    Expr **results = new_args(bc, nw + 1);
    Expr *arg = ce->arg ? bind_expr_in(bc, lv, ce->arg) : NULL;
    for (int i = 0; i < nw; i++) {
        if (!NODE(ce->args[i], CASE_WHEN))
            bind_unsupported(ce->location, "this CASE form");
        PgQuery__CaseWhen *w = ce->args[i]->case_when;
        Expr *cond = bind_expr_in(bc, lv, w->expr);
        if (arg)
            cond = bind_operator(bc, "=", arg, cond, w->location);
        args[2 * i] = bind_coerce_bool(bc, cond, "CASE/WHEN");
        results[i] = bind_expr_in(bc, lv, w->result);
    }
    int nr = nw;
    if (ce->defresult)
        results[nr++] = bind_expr_in(bc, lv, ce->defresult);
    /* PostgreSQL's transformCaseExpr puts ELSE first when choosing the common type, which
     * decides the order of the types in "CASE types %s and %s cannot be matched" */
    Expr **order = new_args(bc, nr > 0 ? nr : 1);
    int k = 0;
    if (ce->defresult)
        order[k++] = results[nw];
    for (int i = 0; i < nw; i++)
        order[k++] = results[i];
    const LmType *t = bind_common_type(bc, nr, order, "CASE");
    for (int i = 0; i < nw; i++)
        args[2 * i + 1] = bind_coerce(bc, results[i], t, COERCE_IMPLICIT, results[i]->location);
    if (ce->defresult)
        args[n - 1] = bind_coerce(bc, results[nw], t, COERCE_IMPLICIT, results[nw]->location);
    Expr *e = make_case(bc, n, args, ce->defresult != NULL, t, ce->location);
    e->name = "case";
    return e;
}

static Expr *bind_booltest(BindContext *bc, BindLevel *lv, PgQuery__BooleanTest *bt)
{
    const char *what;
    switch (bt->booltesttype) {
    case PG_QUERY__BOOL_TEST_TYPE__IS_TRUE:
        what = "IS TRUE";
        break;
    case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE:
        what = "IS NOT TRUE";
        break;
    case PG_QUERY__BOOL_TEST_TYPE__IS_FALSE:
        what = "IS FALSE";
        break;
    case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_FALSE:
        what = "IS NOT FALSE";
        break;
    case PG_QUERY__BOOL_TEST_TYPE__IS_UNKNOWN:
        what = "IS UNKNOWN";
        break;
    case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_UNKNOWN:
        what = "IS NOT UNKNOWN";
        break;
    default:
        bind_unsupported(bt->location, "this boolean test");
    }
    Expr *x = bind_coerce_bool(bc, bind_expr_in(bc, lv, bt->arg), what);
    int loc = bt->location;
    switch (bt->booltesttype) {
    case PG_QUERY__BOOL_TEST_TYPE__IS_UNKNOWN:
        return make_null_test(bc, x, true, loc);
    case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_UNKNOWN:
        return make_null_test(bc, x, false, loc);
    default:
        break;
    }
    bool want_true = bt->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_TRUE ||
                     bt->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE;
    bool negate = bt->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE ||
                  bt->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_FALSE;
    /* x IS TRUE == (x IS NOT NULL AND x); x IS FALSE == (x IS NOT NULL AND NOT x) */
    Expr *a[2] = {make_null_test(bc, x, false, loc), want_true ? x : make_not(bc, x, loc)};
    Expr *e = make_bool_node(bc, EXPR_AND, 2, a, loc);
    return negate ? make_not(bc, e, loc) : e;
}

Expr *bind_default(BindContext *bc, const RelColumn *col, int location)
{
    if (col->default_expr == NULL)
        return bind_const_null(bc, col->type, location);
    PgQuery__Node *n = parser_parse_expr(bc->arena, col->default_expr, 0);
    BindLevel lv;
    memset(&lv, 0, sizeof lv);
    lv.place_name = "DEFAULT expressions";
    Expr *e = bind_expr(bc, &lv, n);
    return bind_coerce(bc, e, col->type, COERCE_ASSIGNMENT, location);
}

static Expr *bind_expr_in(BindContext *bc, BindLevel *lv, PgQuery__Node *n)
{
    if (n == NULL)
        elog(ERROR, "missing expression node");
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
        return bind_aconst(bc, n->a_const);
    case PG_QUERY__NODE__NODE_COLUMN_REF:
        return bind_columnref(bc, lv, n->column_ref);
    case PG_QUERY__NODE__NODE_PARAM_REF:
        return bind_param(bc, n->param_ref);
    case PG_QUERY__NODE__NODE_A_EXPR:
        return bind_aexpr(bc, lv, n->a_expr);
    case PG_QUERY__NODE__NODE_BOOL_EXPR: {
        PgQuery__BoolExpr *be = n->bool_expr;
        int na = (int)be->n_args;
        const char *what = be->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR  ? "AND"
                           : be->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR ? "OR"
                                                                             : "NOT";
        Expr **args = new_args(bc, na);
        for (int i = 0; i < na; i++)
            args[i] = bind_coerce_bool(bc, bind_expr_in(bc, lv, be->args[i]), what);
        ExprKind k = what[0] == 'A' ? EXPR_AND : what[0] == 'O' ? EXPR_OR : EXPR_NOT;
        if (k == EXPR_NOT && na != 1)
            bind_unsupported(be->location, "this NOT form");
        return make_bool_node(bc, k, na, args, be->location);
    }
    case PG_QUERY__NODE__NODE_NULL_TEST: {
        PgQuery__NullTest *nt = n->null_test;
        Expr *a = bind_resolve_unknown(bc, bind_expr_in(bc, lv, nt->arg));
        return make_null_test(bc, a, nt->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL,
                              nt->location);
    }
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST:
        return bind_booltest(bc, lv, n->boolean_test);
    case PG_QUERY__NODE__NODE_CASE_EXPR:
        return bind_case(bc, lv, n->case_expr);
    case PG_QUERY__NODE__NODE_COALESCE_EXPR: {
        PgQuery__CoalesceExpr *ce = n->coalesce_expr;
        int na = (int)ce->n_args;
        Expr **args = new_args(bc, na);
        for (int i = 0; i < na; i++)
            args[i] = bind_expr_in(bc, lv, ce->args[i]);
        const LmType *t = bind_common_type(bc, na, args, "COALESCE");
        for (int i = 0; i < na; i++)
            args[i] = bind_coerce(bc, args[i], t, COERCE_IMPLICIT, args[i]->location);
        Expr *e = expr_make(bc->arena, EXPR_COALESCE, t, ce->location);
        e->nargs = na;
        e->args = args;
        e->name = "coalesce";
        return e;
    }
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
        return bind_minmax(bc, lv, n->min_max_expr);
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
        return bind_sqlvalue(bc, n->sqlvalue_function);
    case PG_QUERY__NODE__NODE_TYPE_CAST:
        return bind_typecast(bc, lv, n->type_cast);
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        return bind_funccall(bc, lv, n->func_call);
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
        return bind_array_elements(bc, lv, n->a_array_expr, NULL);
    case PG_QUERY__NODE__NODE_A_INDIRECTION:
        return bind_indirection(bc, lv, n->a_indirection);
    case PG_QUERY__NODE__NODE_ROW_EXPR: {
        PgQuery__RowExpr *re = n->row_expr;
        int na = (int)re->n_args;
        Expr **args = new_args(bc, na);
        StructField *fields = arena_new_array(bc->arena, StructField, na > 0 ? na : 1);
        for (int i = 0; i < na; i++) {
            args[i] = bind_resolve_unknown(bc, bind_expr_in(bc, lv, re->args[i]));
            fields[i].name = arena_printf(bc->arena, "f%d", i + 1);
            fields[i].type = args[i]->type;
        }
        Expr *e = expr_make(bc->arena, EXPR_ROW, type_struct(bc->arena, na, fields), re->location);
        e->nargs = na;
        e->args = args;
        e->name = "row";
        return e;
    }
    case PG_QUERY__NODE__NODE_SUB_LINK:
        return bind_sublink(bc, lv, n->sub_link);
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
        /* Laminar compares strings bytewise (the C collation) whatever is asked */
        return bind_expr_in(bc, lv, n->collate_clause->arg);
    case PG_QUERY__NODE__NODE_SET_TO_DEFAULT:
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("DEFAULT is not allowed in this context"),
                errposition(n->set_to_default->location + 1));
    case PG_QUERY__NODE__NODE_GROUPING_FUNC:
        bind_unsupported(n->grouping_func->location, "GROUPING()");
    default:
        break;
    }
    bind_unsupported(-1, arena_printf(bc->arena, "expression node type %d", (int)n->node_case));
}

Expr *bind_expr(BindContext *bc, BindLevel *lv, PgQuery__Node *n)
{
    return bind_expr_in(bc, lv, n);
}

/* ---------------------------------------------------------------- helpers over Exprs */

bool bind_expr_equal(const Expr *a, const Expr *b)
{
    if (a == b)
        return true;
    if (a == NULL || b == NULL || a->kind != b->kind || a->nargs != b->nargs)
        return false;
    if (!type_equal(a->type, b->type))
        return false;
    switch (a->kind) {
    case EXPR_CONST: {
        bool va = vector_is_valid(a->value, 0), vb = vector_is_valid(b->value, 0);
        if (va != vb)
            return false;
        if (!va)
            return true;
        if (a->value->type->id != b->value->type->id)
            return false;
        size_t sz = type_physical_size(a->value->type);
        if (a->value->type->id == TYPE_STRING || a->value->type->id == TYPE_BINARY ||
            a->value->type->id == TYPE_JSON) {
            const StrView *x = a->value->data, *y = b->value->data;
            return x->len == y->len && memcmp(x->ptr, y->ptr, x->len) == 0;
        }
        if (sz == 0 || type_is_nested(a->value->type))
            return false;
        return memcmp(a->value->data, b->value->data, sz) == 0;
    }
    case EXPR_COLUMN:
    case EXPR_OUTER:
        return a->index == b->index && a->levels_up == b->levels_up;
    case EXPR_PARAM:
        return a->param_index == b->param_index;
    case EXPR_FUNC:
        if (a->func != b->func)
            return false;
        break;
    case EXPR_SUBQUERY:
        return false;
    case EXPR_CASE:
        if (a->has_else != b->has_else)
            return false;
        break;
    case EXPR_IN_LIST:
    case EXPR_SCALAR_ARRAY_OP:
        if (a->negated != b->negated || a->func != b->func || a->compare != b->compare ||
            a->subquery_kind != b->subquery_kind)
            return false;
        break;
    case EXPR_FIELD:
        if (a->index != b->index)
            return false;
        break;
    default:
        break;
    }
    for (int i = 0; i < a->nargs; i++)
        if (!bind_expr_equal(a->args[i], b->args[i]))
            return false;
    return true;
}

bool bind_expr_has_subquery(const Expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == EXPR_SUBQUERY)
        return true;
    if (e->kind == EXPR_FUNC && e->func && (e->func->flags & FN_VOLATILE))
        return true;
    for (int i = 0; i < e->nargs; i++)
        if (bind_expr_has_subquery(e->args[i]))
            return true;
    return false;
}
