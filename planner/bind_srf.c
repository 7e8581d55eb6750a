/*
 * bind_srf.c: set-returning functions in a select list — unnest(array),
 * generate_series(start, stop [, step]), generate_subscripts(array, dim
 * [, reverse]), regexp_split_to_table(text, pattern [, flags]) and
 * information_schema._pg_expandarray(array) (pgjdbc's getPrimaryKeys: records
 * (x, n) of the elements and their 1-based positions) and laminar.infer_schema
 * (records of the inferred columns; executor/op_infer_schema.c).
 *
 * As PostgreSQL's ProjectSet: the call binds to a placeholder column
 * (levels_up SRF_REF, index = the call's number in the level) and is
 * remembered in the level; bind_simple_select then puts one
 * PLAN_PROJECT_SET above the level's aggregate and window stages that
 * evaluates every call per input row, and the placeholders become that
 * node's output columns.  Several calls zip (the longest wins, the others
 * are NULL past their end).  regexp_split_to_table(s, p) is
 * unnest(regexp_split_to_array(s, p)).  Only the select list may hold them
 * (0A000 elsewhere, with PostgreSQL's wording), and not nested in each other.
 */
#include "planner/bind_int.h"
#include "executor/func.h"

#include <string.h>

bool bind_is_srf_name(const char *name)
{
    return strcmp(name, "unnest") == 0 || strcmp(name, "generate_series") == 0 ||
           strcmp(name, "generate_subscripts") == 0 || strcmp(name, "regexp_split_to_table") == 0 ||
           strcmp(name, "_pg_expandarray") == 0 || strcmp(name, "infer_schema") == 0;
}

static void no_such_function(BindContext *bc, const char *name, int n, Expr **args, int location)
{
    StrBuf sb;
    strbuf_init(&sb, bc->arena);
    strbuf_printf(&sb, "%s(", name);
    for (int i = 0; i < n; i++)
        strbuf_printf(&sb, "%s%s", i ? ", " : "", bind_type_display(bc, args[i]->type));
    strbuf_append_char(&sb, ')');
    ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
            errmsg("function %s does not exist", sb.data),
            errhint("No function matches the given name and argument types. You might need to "
                    "add explicit type casts."),
            errposition(location + 1));
}

const LmType *bind_srf_signature(BindContext *bc, const char *name, int n, Expr **args,
                                 int location)
{
    if (strcmp(name, "unnest") == 0) {
        if (n != 1 || args[0]->type->id != TYPE_ARRAY)
            no_such_function(bc, name, n, args, location);
        return args[0]->type->elem;
    }
    if (strcmp(name, "_pg_expandarray") == 0) {
        /* information_schema._pg_expandarray(anyarray): (x, n) records, n counting from 1 */
        if (n != 1 || args[0]->type->id != TYPE_ARRAY)
            no_such_function(bc, name, n, args, location);
        StructField *f = arena_new_array(bc->arena, StructField, 2);
        f[0].name = "x";
        f[0].type = args[0]->type->elem;
        f[1].name = "n";
        f[1].type = type_int32();
        return type_struct(bc->arena, 2, f);
    }
    if (strcmp(name, "infer_schema") == 0) {
        /* laminar.infer_schema(table | connector, options | connector, profile, options): records
         * (column_name, data_type, nullable, sample_values); FROM binds it in bind_infer.c */
        if (n < 1 || n > 3)
            no_such_function(bc, name, n, args, location);
        for (int i = 0; i < n; i++)
            args[i] = bind_coerce(bc, bind_resolve_unknown(bc, args[i]), type_string(),
                                  COERCE_EXPLICIT, args[i]->location);
        StructField *f = arena_new_array(bc->arena, StructField, 4);
        f[0] = (StructField){.name = "column_name", .type = type_string()};
        f[1] = (StructField){.name = "data_type", .type = type_string()};
        f[2] = (StructField){.name = "nullable", .type = type_bool()};
        f[3] = (StructField){.name = "sample_values", .type = type_json()};
        return type_struct(bc->arena, 4, f);
    }
    if (strcmp(name, "generate_subscripts") == 0) {
        if ((n != 2 && n != 3) || args[0]->type->id != TYPE_ARRAY)
            no_such_function(bc, name, n, args, location);
        args[1] = bind_coerce(bc, args[1], type_int32(), COERCE_IMPLICIT, args[1]->location);
        if (n == 3)
            args[2] = bind_coerce(bc, args[2], type_bool(), COERCE_IMPLICIT, args[2]->location);
        return type_int32();
    }
    if (strcmp(name, "generate_series") != 0 || (n != 2 && n != 3))
        no_such_function(bc, name, n, args, location);
    const LmType *rt;
    if (type_is_temporal(args[0]->type) || type_is_temporal(args[1]->type)) {
        if (n != 3)
            no_such_function(bc, name, n, args, location);
        /* timestamp when an argument is one (and none is timestamptz); otherwise the preferred
         * timestamptz, as PostgreSQL resolves generate_series(date, date, interval) */
        bool ts = (args[0]->type->id == TYPE_TIMESTAMP || args[1]->type->id == TYPE_TIMESTAMP) &&
                  args[0]->type->id != TYPE_TIMESTAMPTZ && args[1]->type->id != TYPE_TIMESTAMPTZ;
        rt = ts ? type_timestamp() : type_timestamptz();
        args[0] = bind_coerce(bc, args[0], rt, COERCE_IMPLICIT, args[0]->location);
        args[1] = bind_coerce(bc, args[1], rt, COERCE_IMPLICIT, args[1]->location);
        args[2] = bind_coerce(bc, args[2], type_interval(), COERCE_IMPLICIT, args[2]->location);
        return rt;
    }
    rt = bind_common_type(bc, n, args, "generate_series");
    if (rt->id == TYPE_STRING && args[0]->type->id == TYPE_UNKNOWN)
        rt = type_int32();
    if (rt->id == TYPE_INT8 || rt->id == TYPE_INT16)
        rt = type_int32();
    else if (rt->id == TYPE_FLOAT32 || rt->id == TYPE_FLOAT64)
        rt = type_decimal(bc->arena, DECIMAL_MAX_PRECISION, 6);
    if (!type_is_numeric(rt))
        no_such_function(bc, name, n, args, location);
    for (int i = 0; i < n; i++)
        args[i] = bind_coerce(bc, args[i], rt, COERCE_EXPLICIT, args[i]->location);
    return rt;
}

Expr *bind_srf_call(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc, const char *name)
{
    int loc = fc->location;
    if (lv->in_agg_args)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("aggregate function calls cannot contain set-returning function calls"),
                errhint("You might be able to move the set-returning function into a LATERAL "
                        "FROM item."),
                errposition(loc + 1));
    if (lv->place != PLACE_TARGET || lv->place_name == NULL ||
        strcmp(lv->place_name, "the select list") != 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("set-returning functions are not allowed in %s",
                       lv->place_name ? lv->place_name : "this context"),
                errposition(loc + 1));
    if (fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter)
        bind_unsupported(loc, "aggregate options on a set-returning function");
    int n = (int)fc->n_args;
    int before = lv->nsrfs;
    Expr **args = arena_new_array(bc->arena, Expr *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        args[i] = bind_expr(bc, lv, fc->args[i]);
    if (lv->nsrfs != before)
        bind_unsupported(loc, "a set-returning function in the arguments of another");
    const char *fname = name;
    if (strcmp(name, "regexp_split_to_table") == 0) {
        /* unnest(regexp_split_to_array(...)): the registry resolves the arguments */
        const LmType **types = arena_new_array(bc->arena, const LmType *, n > 0 ? n : 1);
        const LmType **cast_to = arena_new_array(bc->arena, const LmType *, n > 0 ? n : 1);
        for (int i = 0; i < n; i++)
            types[i] = args[i]->type;
        const LmType *ret = NULL;
        const FuncDesc *f = func_resolve(bc->arena, "regexp_split_to_array", n, types, cast_to, &ret);
        if (f == NULL)
            no_such_function(bc, name, n, args, loc);
        for (int i = 0; i < n; i++) {
            if (cast_to[i])
                args[i] = bind_coerce(bc, args[i], cast_to[i], COERCE_IMPLICIT, args[i]->location);
            args[i] = bind_resolve_unknown(bc, args[i]);
        }
        Expr *split = expr_make(bc->arena, EXPR_FUNC, ret ? ret : type_array(bc->arena, type_string()), loc);
        split->func = f;
        split->nargs = n;
        split->args = args;
        split->name = "regexp_split_to_array";
        args = arena_new_array(bc->arena, Expr *, 1);
        args[0] = split;
        n = 1;
        fname = "unnest";
    } else {
        for (int i = 0; i < n; i++)
            if (args[i]->type->id == TYPE_UNKNOWN && strcmp(name, "generate_series") != 0)
                args[i] = bind_resolve_unknown(bc, args[i]);
    }
    const LmType *rt = bind_srf_signature(bc, fname, n, args, loc);
    for (int i = 0; i < n; i++)
        args[i] = bind_resolve_unknown(bc, args[i]);
    if (lv->nsrfs == lv->srfcap) {
        int ncap = lv->srfcap ? lv->srfcap * 2 : 4;
        lv->srfs = arena_realloc(bc->arena, lv->srfs, sizeof(BindSrf) * (size_t)lv->srfcap,
                                 sizeof(BindSrf) * (size_t)ncap);
        lv->srfcap = ncap;
    }
    lv->srfs[lv->nsrfs] = (BindSrf){.name = fname, .nargs = n, .args = args, .type = rt};
    Expr *e = expr_make_column(bc->arena, lv->nsrfs++, rt, loc);
    e->levels_up = SRF_REF;
    e->name = name;
    return e;
}

PlanNode *bind_make_project_set(BindContext *bc, BindLevel *lv, PlanNode *child,
                                Expr *(*rewrite)(void *arg, Expr *e), void *arg)
{
    PlanNode *p = plan_make(bc->arena, PLAN_PROJECT_SET);
    p->left = child;
    int total = 0;
    for (int i = 0; i < lv->nsrfs; i++)
        total += lv->srfs[i].nargs;
    p->nexprs = total;
    p->exprs = arena_new_array(bc->arena, Expr *, total > 0 ? total : 1);
    p->nsrfs = lv->nsrfs;
    p->srfs = arena_new_array(bc->arena, SrfCall, lv->nsrfs);
    int k = 0;
    for (int i = 0; i < lv->nsrfs; i++) {
        const BindSrf *s = &lv->srfs[i];
        p->srfs[i] = (SrfCall){.name = s->name, .first_arg = k, .nargs = s->nargs, .type = s->type};
        for (int j = 0; j < s->nargs; j++)
            p->exprs[k++] = rewrite ? rewrite(arg, s->args[j]) : s->args[j];
    }
    planner_derive_cols(bc->arena, p);
    return p;
}

/* ---- set-returning functions in FROM that the function scan does not run ---- */

bool bind_srf_from_supported(const char *name)
{
    return strcmp(name, "generate_subscripts") == 0 ||
           strcmp(name, "regexp_split_to_table") == 0 ||
           strcmp(name, "pg_options_to_table") == 0 || strcmp(name, "_pg_expandarray") == 0;
}

/* A call of a registry function by name over already-bound arguments (42883 if none fits). */
static Expr *call_func(BindContext *bc, const char *name, int n, Expr **args, int location)
{
    const LmType *types[FUNC_MAX_ARGS], *cast_to[FUNC_MAX_ARGS];
    for (int i = 0; i < n; i++)
        types[i] = args[i]->type;
    const LmType *ret = NULL;
    const FuncDesc *f = func_resolve(bc->arena, name, n, types, cast_to, &ret);
    if (f == NULL)
        no_such_function(bc, name, n, args, location);
    Expr **a = arena_new_array(bc->arena, Expr *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        a[i] = bind_resolve_unknown(
            bc, cast_to[i] ? bind_coerce(bc, args[i], cast_to[i], COERCE_IMPLICIT, location)
                           : args[i]);
    Expr *e = expr_make(bc->arena, EXPR_FUNC, ret ? ret : type_scalar((TypeId)f->ret), location);
    e->func = f;
    e->nargs = n;
    e->args = a;
    e->name = name;
    return e;
}

static Expr *int_const(BindContext *bc, int32 v)
{
    Expr *e = bind_make_const(bc, type_int32(), type_int32(), -1);
    vector_set_int32(e->value, 0, v);
    return e;
}

/*
 * FROM f(args) for generate_subscripts, regexp_split_to_table, pg_options_to_table(text[])
 * (option_name, option_value from 'name=value' items) and information_schema._pg_expandarray
 * (x, n): a PLAN_PROJECT_SET over a one-row Result, then a projection naming the columns.
 * args are bound in a level that sees enclosing queries (psql's correlated
 * ARRAY(SELECT ... FROM pg_options_to_table(ftoptions))), which re-runs the plan per outer row.
 */
PlanNode *bind_srf_from(BindContext *bc, BindLevel *tmp, const char *name, int n, Expr **args,
                        int location, bool ordinality)
{
    const char *fname = name;
    bool options = strcmp(name, "pg_options_to_table") == 0;
    bool expand = strcmp(name, "_pg_expandarray") == 0;
    if (options || expand) {
        if (n != 1 || (args[0]->type->id != TYPE_ARRAY && args[0]->type->id != TYPE_UNKNOWN))
            no_such_function(bc, name, n, args, location);
        if (options)
            args[0] = bind_coerce(bc, args[0], type_array(bc->arena, type_string()),
                                  COERCE_IMPLICIT, args[0]->location);
        fname = "unnest";
    } else if (strcmp(name, "regexp_split_to_table") == 0) {
        args[0] = call_func(bc, "regexp_split_to_array", n, args, location);
        n = 1;
        fname = "unnest";
    }
    for (int i = 0; i < n; i++)
        if (args[i]->type->id == TYPE_UNKNOWN && strcmp(fname, "generate_series") != 0)
            args[i] = bind_resolve_unknown(bc, args[i]);
    int cap = n + 3;
    BindSrf *srfs = arena_new_array(bc->arena, BindSrf, cap);
    Expr **cols = arena_new_array(bc->arena, Expr *, cap);
    const char **names = arena_new_array(bc->arena, const char *, cap);
    int nsrfs = 0, ncols = 0;
    if (strcmp(name, "unnest") == 0) {
        /* unnest(a, b, ...): one unnest per array, zipped (the longest sets the rows) */
        if (n == 0)
            no_such_function(bc, name, n, args, location);
        for (int i = 0; i < n; i++) {
            Expr **one = arena_new_array(bc->arena, Expr *, 1);
            one[0] = args[i];
            srfs[nsrfs] = (BindSrf){.name = "unnest", .nargs = 1, .args = one,
                                    .type = bind_srf_signature(bc, "unnest", 1, one, location)};
            cols[ncols] = expr_make_column(bc->arena, nsrfs, srfs[nsrfs].type, location);
            names[ncols++] = "unnest";
            nsrfs++;
        }
    } else {
        srfs[nsrfs++] = (BindSrf){.name = fname, .nargs = n, .args = args,
                                  .type = bind_srf_signature(bc, fname, n, args, location)};
        Expr *c0 = expr_make_column(bc->arena, 0, srfs[0].type, location);
        if (options) {
            Expr *eq = bind_const_text(bc, "=", -1);
            Expr *a[3] = {c0, eq, int_const(bc, 1)};
            cols[ncols] = call_func(bc, "split_part", 3, a, location);
            names[ncols++] = "option_name";
            Expr *pos_args[2] = {c0, eq};
            Expr *pos = call_func(bc, "strpos", 2, pos_args, location);
            Expr *plus = bind_operator(bc, "+", pos, int_const(bc, 1), location);
            Expr *sub_args[2] = {c0, plus};
            cols[ncols] = call_func(bc, "substr", 2, sub_args, location);
            names[ncols++] = "option_value";
        } else if (expand) {
            /* n: the subscripts, zipped with the elements; 0-based int2vector subscripts count
             * from 1, as in PostgreSQL's _pg_expandarray */
            Expr **sargs = arena_new_array(bc->arena, Expr *, 2);
            sargs[0] = args[0];
            sargs[1] = int_const(bc, 1);
            srfs[nsrfs++] = (BindSrf){.name = "generate_subscripts", .nargs = 2, .args = sargs,
                                      .type = type_int32()};
            cols[ncols] = c0;
            names[ncols++] = "x";
            Expr *sub = expr_make_column(bc->arena, 1, type_int32(), location);
            if (args[0]->type->pg_oid == INT2VECTOROID || args[0]->type->pg_oid == OIDVECTOROID)
                sub = bind_operator(bc, "+", sub, int_const(bc, 1), location);
            cols[ncols] = sub;
            names[ncols++] = "n";
        } else {
            cols[ncols] = c0;
            names[ncols++] = name;
        }
    }
    if (ordinality) {
        /* WITH ORDINALITY: a bigint counter that runs along without adding rows */
        srfs[nsrfs] = (BindSrf){.name = "ordinality", .nargs = 0, .args = NULL,
                                .type = type_int64()};
        cols[ncols] = expr_make_column(bc->arena, nsrfs, type_int64(), location);
        names[ncols++] = "ordinality";
        nsrfs++;
    }
    PlanNode *result = plan_make(bc->arena, PLAN_RESULT);
    result->cols = arena_new_array(bc->arena, PlanColumn, 1);
    BindLevel shell = *tmp;
    shell.nsrfs = nsrfs;
    shell.srfs = srfs;
    PlanNode *ps = bind_make_project_set(bc, &shell, result, NULL, NULL);
    return bind_make_project(bc, ps, ncols, cols, names);
}
