/*
 * bind_select.c: binding of queries — SELECT, VALUES, set operations, the
 * FROM clause (tables, views, subqueries, CTEs, table functions, joins) —
 * into logical plans.
 *
 * A simple SELECT becomes, bottom-up:
 *
 *     FROM plan → Filter (WHERE) → Aggregate → Filter (HAVING) → Window
 *       → Project (targets, then ORDER BY expressions not in the targets)
 *       → Distinct → Sort → Limit → Project (drops those extra columns)
 *
 * with each stage present only when needed.  Every node's cols are filled as
 * it is built, so a subquery's output names and types are known to the level
 * that uses it.  Aggregates and window calls are collected while binding the
 * target list, HAVING and ORDER BY (bind_expr.c leaves placeholders) and the
 * expressions above the aggregate are then rewritten to reference its output
 * (rewrite_upper); an input column that survives that rewrite is PostgreSQL's
 * 42803 grouping error.
 *
 * CTEs are inlined: every reference binds the CTE's query afresh (a
 * non-recursive CTE is just a named subquery), so each use gets its own plan.
 */
#include "planner/bind_int.h"

#include <limits.h>
#include <string.h>

#define NODE(n, kind) ((n) != NULL && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

PgQuery__SelectStmt *bind_get_select(PgQuery__Node *n)
{
    return NODE(n, SELECT_STMT) ? n->select_stmt : NULL;
}

static PlanColumn *new_cols(BindContext *bc, int n)
{
    return arena_new_array(bc->arena, PlanColumn, n > 0 ? n : 1);
}

/* A projection's output column for expression e over child. */
static void describe_col(const PlanNode *child, const Expr *e, const char *name, PlanColumn *out)
{
    out->name = name ? name : (e->name ? e->name : "?column?");
    out->type = e->type;
    if (e->kind == EXPR_COLUMN && e->levels_up == 0 && child && e->index < child->ncols) {
        out->table_oid = child->cols[e->index].table_oid;
        out->attnum = child->cols[e->index].attnum;
    }
}

PlanNode *bind_make_project(BindContext *bc, PlanNode *child, int n, Expr **exprs,
                            const char **names)
{
    PlanNode *p = plan_make(bc->arena, PLAN_PROJECT);
    p->left = child;
    p->nexprs = n;
    p->exprs = arena_new_array(bc->arena, Expr *, n > 0 ? n : 1);
    memcpy(p->exprs, exprs, sizeof(Expr *) * (size_t)n);
    p->ncols = n;
    p->cols = new_cols(bc, n);
    for (int i = 0; i < n; i++)
        describe_col(child, exprs[i], names ? names[i] : NULL, &p->cols[i]);
    return p;
}

static PlanNode *make_filter(BindContext *bc, PlanNode *child, Expr *pred)
{
    PlanNode *f = plan_make(bc->arena, PLAN_FILTER);
    f->left = child;
    f->predicate = pred;
    planner_derive_cols(bc->arena, f);
    return f;
}

/* Unknown literals and parameters in an output column become text. */
static Expr *resolve_output(BindContext *bc, Expr *e)
{
    if (e->type->id == TYPE_UNKNOWN)
        return bind_coerce(bc, e, type_string(), COERCE_IMPLICIT, e->location);
    return e;
}

BindLevel *bind_new_level(BindContext *bc, BindLevel *parent, LevelKind kind)
{
    BindLevel *lv = arena_new(bc->arena, BindLevel);
    lv->parent = parent;
    lv->barrier = kind == LEVEL_CTE;
    lv->transparent = kind == LEVEL_INLINE;
    lv->parent_cte_limit = bc->priv->pending_cte_limit;
    bc->priv->pending_cte_limit = -1;
    return lv;
}

/* ---------------------------------------------------------------- result column names */

/* PostgreSQL's FigureColnameInternal: *strength 2 for a real name, 1 for a type name (an outer
 * cast's type wins over it), 0 for none. */
static const char *figure(PgQuery__Node *n, int *strength)
{
    *strength = 2;
    if (n == NULL) {
        *strength = 0;
        return "?column?";
    }
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
        PgQuery__ColumnRef *cr = n->column_ref;
        const char *s = cr->n_fields ? bind_strval(cr->fields[cr->n_fields - 1]) : NULL;
        if (s == NULL)
            *strength = 0;
        return s ? s : "?column?";
    }
    case PG_QUERY__NODE__NODE_A_INDIRECTION: {
        PgQuery__AIndirection *ind = n->a_indirection;
        for (size_t i = ind->n_indirection; i > 0; i--) {
            const char *s = bind_strval(ind->indirection[i - 1]);
            if (s)
                return s;
        }
        return figure(ind->arg, strength);
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL: {
        PgQuery__FuncCall *fc = n->func_call;
        const char *s = fc->n_funcname ? bind_strval(fc->funcname[fc->n_funcname - 1]) : NULL;
        if (s == NULL)
            *strength = 0;
        return s ? s : "?column?";
    }
    case PG_QUERY__NODE__NODE_A_EXPR:
        if (n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF)
            return "nullif";
        *strength = 0;
        return "?column?";
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        const char *s = figure(n->type_cast->arg, strength);
        if (*strength > 1)
            return s;
        PgQuery__TypeName *tn = n->type_cast->type_name;
        const char *t = tn && tn->n_names ? bind_strval(tn->names[tn->n_names - 1]) : NULL;
        *strength = t ? 1 : 0;
        return t ? t : "?column?";
    }
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
        return figure(n->collate_clause->arg, strength);
    case PG_QUERY__NODE__NODE_CASE_EXPR: {
        /* PostgreSQL names it after a named ELSE result */
        const char *s = figure(n->case_expr->defresult, strength);
        if (*strength > 1)
            return s;
        *strength = 1;
        return "case";
    }
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
        return "coalesce";
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
        return n->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
        return "array";
    case PG_QUERY__NODE__NODE_ROW_EXPR:
        return "row";
    case PG_QUERY__NODE__NODE_GROUPING_FUNC:
        return "grouping";
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
        switch (n->sqlvalue_function->op) {
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
            return "current_date";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N:
            return "current_time";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
            return "current_timestamp";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N:
            return "localtime";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
            return "localtimestamp";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
            return "current_role";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
            return "current_user";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
            return "user";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
            return "session_user";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
            return "current_catalog";
        case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA:
            return "current_schema";
        default:
            *strength = 0;
            return "?column?";
        }
    case PG_QUERY__NODE__NODE_SUB_LINK: {
        PgQuery__SubLink *sl = n->sub_link;
        if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK)
            return "exists";
        if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK)
            return "array";
        if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK) {
            PgQuery__SelectStmt *s = bind_get_select(sl->subselect);
            while (s && s->larg && s->n_target_list == 0)
                s = s->larg;
            if (s && s->n_target_list > 0 && NODE(s->target_list[0], RES_TARGET)) {
                PgQuery__ResTarget *rt = s->target_list[0]->res_target;
                return bind_nz(rt->name) ? rt->name : bind_figure_colname(rt->val);
            }
        }
        *strength = 0;
        return "?column?";
    }
    default:
        *strength = 0;
        return "?column?";
    }
}

const char *bind_figure_colname(PgQuery__Node *n)
{
    int strength;
    return figure(n, &strength);
}

/* ---------------------------------------------------------------- FROM */

static PlanNode *bind_from_item(BindContext *bc, BindLevel *lv, PgQuery__Node *n, Scope *out);

static void apply_col_aliases(BindContext *bc, PlanNode *p, Scope *sc, PgQuery__Alias *alias,
                              const char *relname)
{
    if (alias == NULL || alias->n_colnames == 0)
        return;
    int nvisible = 0;
    for (int i = 0; i < sc->ncols; i++)
        if (sc->cols[i].flags & SC_STAR)
            nvisible++;
    if ((int)alias->n_colnames > nvisible)
        ereport(ERROR, errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
                errmsg("table \"%s\" has %d columns available but %d columns specified", relname,
                       nvisible, (int)alias->n_colnames));
    int k = 0;
    for (int i = 0; i < sc->ncols && k < (int)alias->n_colnames; i++) {
        if (!(sc->cols[i].flags & SC_STAR))
            continue;
        const char *nm = bind_strval(alias->colnames[k++]);
        if (nm == NULL)
            continue;
        sc->cols[i].name = nm;
        int idx = sc->cols[i].index;
        if (idx < p->ncols) {
            PlanColumn *nc = new_cols(bc, p->ncols);
            memcpy(nc, p->cols, sizeof(PlanColumn) * (size_t)p->ncols);
            nc[idx].name = nm;
            p->cols = nc;
        }
    }
}

/* The scope of a plan's output under one qualifier. */
static void scope_from_plan(BindContext *bc, const PlanNode *p, const char *qual,
                            const char *schema, Scope *out)
{
    for (int i = 0; i < p->ncols; i++) {
        ScopeCol c = {.qual = qual,
                      .schema = schema,
                      .name = p->cols[i].name,
                      .type = p->cols[i].type,
                      .index = i,
                      .flags = SC_UNQUALIFIED | SC_STAR,
                      .table_oid = p->cols[i].table_oid,
                      .attnum = p->cols[i].attnum};
        bind_scope_add(bc->arena, out, &c);
    }
}

static const CteDef *find_cte(BindLevel *lv, const char *name, BindLevel **owner, int *index)
{
    int limit = INT_MAX;
    for (BindLevel *l = lv; l; l = l->parent) {
        int n = l->nctes < limit ? l->nctes : limit;
        for (int i = 0; i < n; i++)
            if (strcmp(l->ctes[i].name, name) == 0) {
                *owner = l;
                *index = i;
                return &l->ctes[i];
            }
        limit = l->parent_cte_limit >= 0 ? l->parent_cte_limit : INT_MAX;
    }
    return NULL;
}

static PlanNode *bind_relation(BindContext *bc, BindLevel *lv, PgQuery__RangeVar *rv, Scope *out)
{
    const char *qual = rv->alias ? rv->alias->aliasname : rv->relname;
    if (rv->catalogname && *rv->catalogname) {
        const char *db = bc->ctx && bc->ctx->svc ? bc->ctx->svc->database : NULL;
        if (db == NULL || strcmp(db, rv->catalogname) != 0)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("cross-database references are not implemented: %s.%s.%s",
                           rv->catalogname, rv->schemaname ? rv->schemaname : "", rv->relname),
                    errposition(rv->location + 1));
    }
    if (rv->schemaname == NULL || *rv->schemaname == '\0') {
        BindLevel *owner;
        int index;
        const CteDef *cte = find_cte(lv, rv->relname, &owner, &index);
        if (cte) {
            PgQuery__SelectStmt *sel = bind_get_select(cte->cte->ctequery);
            if (sel == NULL)
                bind_unsupported(cte->cte->location, "data-modifying statements in WITH");
            bc->priv->pending_cte_limit = index;
            PlanNode *p = bind_select(bc, owner, sel, LEVEL_CTE, NULL);
            /* WITH name(a, b) AS (...) renames the columns */
            if (cte->cte->n_aliascolnames > (size_t)p->ncols)
                ereport(ERROR, errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
                        errmsg("WITH query \"%s\" has %d columns available but %d columns "
                               "specified",
                               cte->name, p->ncols, (int)cte->cte->n_aliascolnames),
                        errposition(cte->cte->location + 1));
            if (cte->cte->n_aliascolnames) {
                PlanColumn *nc = new_cols(bc, p->ncols);
                memcpy(nc, p->cols, sizeof(PlanColumn) * (size_t)p->ncols);
                for (size_t i = 0; i < cte->cte->n_aliascolnames; i++) {
                    const char *nm = bind_strval(cte->cte->aliascolnames[i]);
                    if (nm)
                        nc[i].name = nm;
                }
                p->cols = nc;
            }
            scope_from_plan(bc, p, qual, NULL, out);
            apply_col_aliases(bc, p, out, rv->alias, rv->relname);
            return p;
        }
    }
    const Relation *rel = relation_lookup(bc->ctx, bc->arena, rv->schemaname, rv->relname);
    if (rel == NULL) {
        if (bind_nz(rv->schemaname))
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                    errmsg("relation \"%s.%s\" does not exist", rv->schemaname, rv->relname),
                    errposition(rv->location + 1));
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                errmsg("relation \"%s\" does not exist", rv->relname),
                errposition(rv->location + 1));
    }
    PlanNode *p = plan_make(bc->arena, PLAN_SCAN);
    p->rel = rel;
    p->nscan_cols = rel->ncols;
    p->scan_cols = arena_new_array(bc->arena, int, rel->ncols > 0 ? rel->ncols : 1);
    p->ncols = rel->ncols;
    p->cols = new_cols(bc, rel->ncols);
    for (int i = 0; i < rel->ncols; i++) {
        p->scan_cols[i] = i;
        p->cols[i].name = rel->cols[i].name;
        p->cols[i].type = rel->cols[i].type;
        p->cols[i].table_oid = rel->oid;
        p->cols[i].attnum = (int16)(i + 1);
    }
    int first = out->ncols;
    scope_from_plan(bc, p, qual, rel->schema, out);
    for (int i = first; i < out->ncols; i++)
        out->cols[i].rel = rel;
    apply_col_aliases(bc, p, out, rv->alias, rv->relname);
    return p;
}

static PlanNode *bind_range_function(BindContext *bc, BindLevel *lv, PgQuery__RangeFunction *rf,
                                     Scope *out)
{
    if (rf->lateral)
        bind_unsupported(-1, "LATERAL");
    if (rf->is_rowsfrom || rf->n_functions != 1 || rf->n_coldeflist)
        bind_unsupported(-1, "ROWS FROM and column definition lists");
    PgQuery__Node *item = rf->functions[0];
    PgQuery__Node *fn = NODE(item, LIST) && item->list->n_items ? item->list->items[0] : item;
    if (!NODE(fn, FUNC_CALL))
        bind_unsupported(-1, "this function in FROM");
    PgQuery__FuncCall *fc = fn->func_call;
    const char *name = fc->n_funcname ? bind_strval(fc->funcname[fc->n_funcname - 1]) : NULL;
    if (name == NULL)
        bind_unsupported(fc->location, "this function in FROM");
    if (rf->ordinality && !bind_srf_from_supported(name) && strcmp(name, "unnest") != 0 &&
        strcmp(name, "generate_series") != 0)
        bind_unsupported(fc->location, "WITH ORDINALITY on this function");
    if (bind_is_infer_schema(fc)) {
        /* FROM laminar.infer_schema(...): bind_infer.c */
        if (rf->ordinality)
            bind_unsupported(fc->location, "WITH ORDINALITY on infer_schema");
        PlanNode *ip = bind_infer_schema(bc, lv, fc, NULL);
        const char *iq = rf->alias ? rf->alias->aliasname : name;
        scope_from_plan(bc, ip, iq, NULL, out);
        apply_col_aliases(bc, ip, out, rf->alias, iq);
        return ip;
    }
    /* FROM TUMBLE(t, ts, size) / HOP(t, ts, slide, size): bind_window.c */
    PlanNode *wp = bind_window_tvf(bc, lv, fc, rf->alias, out);
    if (wp)
        return wp;
    /* the arguments see enclosing queries (a correlated subquery re-runs the scan) but not
     * the other FROM items (no LATERAL): the level's scope is still empty here */
    BindLevel *tmp = bind_new_level(bc, lv, LEVEL_INLINE);
    tmp->place_name = "functions in FROM";
    int n = (int)fc->n_args;
    Expr **args = arena_new_array(bc->arena, Expr *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        args[i] = bind_expr(bc, tmp, fc->args[i]);
    const char *qual = rf->alias ? rf->alias->aliasname : name;
    if (bind_srf_from_supported(name) || (strcmp(name, "unnest") == 0 && n > 1) ||
        (rf->ordinality && (strcmp(name, "unnest") == 0 || strcmp(name, "generate_series") == 0))) {
        /* a ProjectSet over one row (bind_srf.c) */
        PlanNode *ps = bind_srf_from(bc, tmp, name, n, args, fc->location, rf->ordinality);
        if (ps->ncols - (rf->ordinality ? 1 : 0) == 1)
            ps->cols[0].name = qual;
        scope_from_plan(bc, ps, qual, NULL, out);
        apply_col_aliases(bc, ps, out, rf->alias, qual);
        return ps;
    }
    const LmType *rt = NULL;
    if (strcmp(name, "generate_series") == 0 && (n == 2 || n == 3)) {
        bool temporal = type_is_temporal(args[0]->type) || type_is_temporal(args[1]->type);
        if (temporal) {
            if (n != 3)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                        errmsg("function generate_series(%s, %s) does not exist",
                               bind_type_display(bc, args[0]->type),
                               bind_type_display(bc, args[1]->type)),
                        errhint("No function matches the given name and argument types. You "
                                "might need to add explicit type casts."),
                        errposition(fc->location + 1));
            /* as PostgreSQL: timestamp only when an argument is one, else timestamptz */
            bool ts = (args[0]->type->id == TYPE_TIMESTAMP || args[1]->type->id == TYPE_TIMESTAMP) &&
                      args[0]->type->id != TYPE_TIMESTAMPTZ && args[1]->type->id != TYPE_TIMESTAMPTZ;
            rt = ts ? type_timestamp() : type_timestamptz();
            args[0] = bind_coerce(bc, args[0], rt, COERCE_IMPLICIT, args[0]->location);
            args[1] = bind_coerce(bc, args[1], rt, COERCE_IMPLICIT, args[1]->location);
            args[2] = bind_coerce(bc, args[2], type_interval(), COERCE_IMPLICIT, args[2]->location);
        } else {
            rt = bind_common_type(bc, n, args, "generate_series");
            if (rt->id == TYPE_STRING && args[0]->type->id == TYPE_UNKNOWN)
                rt = type_int32();
            if (rt->id == TYPE_INT8 || rt->id == TYPE_INT16)
                rt = type_int32();
            else if (rt->id == TYPE_FLOAT32 || rt->id == TYPE_FLOAT64)
                rt = type_decimal(bc->arena, DECIMAL_MAX_PRECISION, 6);
            if (!type_is_numeric(rt))
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                        errmsg("function generate_series(%s) does not exist",
                               bind_type_display(bc, rt)),
                        errhint("No function matches the given name and argument types. You "
                                "might need to add explicit type casts."),
                        errposition(fc->location + 1));
            for (int i = 0; i < n; i++)
                args[i] = bind_coerce(bc, args[i], rt, COERCE_EXPLICIT, args[i]->location);
        }
    } else if (strcmp(name, "unnest") == 0 && n == 1) {
        if (args[0]->type->id != TYPE_ARRAY)
            ereport(
                ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                errmsg("function unnest(%s) does not exist", bind_type_display(bc, args[0]->type)),
                errhint("No function matches the given name and argument types. You might "
                        "need to add explicit type casts."),
                errposition(fc->location + 1));
        rt = args[0]->type->elem;
    } else {
        bind_unsupported(fc->location, arena_printf(bc->arena, "function %s in FROM", name));
    }
    PlanNode *p = plan_make(bc->arena, PLAN_FUNCTION_SCAN);
    p->func_name = name;
    p->nfunc_args = n;
    p->func_args = args;
    p->ncols = 1;
    p->cols = new_cols(bc, 1);
    p->cols[0].name = rf->alias ? rf->alias->aliasname : name;
    p->cols[0].type = rt;
    scope_from_plan(bc, p, qual, NULL, out);
    apply_col_aliases(bc, p, out, rf->alias, qual);
    return p;
}

static int find_using_col(const Scope *s, const char *name, const char *side)
{
    int found = -1;
    for (int i = 0; i < s->ncols; i++) {
        if (!(s->cols[i].flags & SC_UNQUALIFIED) || strcmp(s->cols[i].name, name) != 0)
            continue;
        if (found >= 0)
            ereport(
                ERROR, errcode(ERRCODE_AMBIGUOUS_COLUMN),
                errmsg("common column name \"%s\" appears more than once in %s table", name, side));
        found = i;
    }
    return found;
}

static PlanNode *bind_join(BindContext *bc, BindLevel *lv, PgQuery__JoinExpr *je, Scope *out)
{
    Scope sl = {0}, sr = {0};
    PlanNode *l = bind_from_item(bc, lv, je->larg, &sl);
    PlanNode *r = bind_from_item(bc, lv, je->rarg, &sr);
    JoinType jt;
    switch (je->jointype) {
    case PG_QUERY__JOIN_TYPE__JOIN_INNER:
        jt = JOIN_INNER;
        break;
    case PG_QUERY__JOIN_TYPE__JOIN_LEFT:
        jt = JOIN_LEFT;
        break;
    case PG_QUERY__JOIN_TYPE__JOIN_RIGHT:
        jt = JOIN_RIGHT;
        break;
    case PG_QUERY__JOIN_TYPE__JOIN_FULL:
        jt = JOIN_FULL;
        break;
    default:
        bind_unsupported(-1, "this join type");
    }
    PlanNode *j = plan_make(bc->arena, PLAN_JOIN);
    j->left = l;
    j->right = r;
    j->join_type = jt;
    planner_derive_cols(bc->arena, j);
    /* the combined scope: left, then right shifted past the left's columns */
    Scope comb = {0};
    for (int i = 0; i < sl.ncols; i++)
        bind_scope_add(bc->arena, &comb, &sl.cols[i]);
    for (int i = 0; i < sr.ncols; i++) {
        ScopeCol c = sr.cols[i];
        c.index += l->ncols;
        bind_scope_add(bc->arena, &comb, &c);
    }
    /* USING / NATURAL: the column names joined on */
    int nusing = 0;
    const char **using = NULL;
    if (je->is_natural) {
        using = arena_new_array(bc->arena, const char *, sl.ncols > 0 ? sl.ncols : 1);
        for (int i = 0; i < sl.ncols; i++) {
            if (!(sl.cols[i].flags & SC_STAR))
                continue;
            for (int k = 0; k < sr.ncols; k++)
                if ((sr.cols[k].flags & SC_STAR) && strcmp(sr.cols[k].name, sl.cols[i].name) == 0) {
                    using[nusing++] = sl.cols[i].name;
                    break;
                }
        }
    } else if (je->n_using_clause) {
        nusing = (int)je->n_using_clause;
        using = arena_new_array(bc->arena, const char *, nusing);
        for (int i = 0; i < nusing; i++) {
            using[i] = bind_strval(je->using_clause[i]);
            for (int k = 0; k < i; k++)
                if (using[i] && strcmp(using[i], using[k]) == 0)
                    ereport(ERROR, errcode(ERRCODE_DUPLICATE_COLUMN),
                            errmsg("column name \"%s\" appears more than once in USING clause",
                                   using[i]));
        }
    }
    if (je->is_natural || je->n_using_clause) {
        int *li = arena_new_array(bc->arena, int, nusing > 0 ? nusing : 1);
        int *ri = arena_new_array(bc->arena, int, nusing > 0 ? nusing : 1);
        Expr **conds = arena_new_array(bc->arena, Expr *, nusing > 0 ? nusing : 1);
        Expr **merged = arena_new_array(bc->arena, Expr *, nusing > 0 ? nusing : 1);
        for (int i = 0; i < nusing; i++) {
            li[i] = find_using_col(&sl, using[i], "left");
            ri[i] = find_using_col(&sr, using[i], "right");
            if (li[i] < 0)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" specified in USING clause does not exist in left "
                               "table",
                               using[i]));
            if (ri[i] < 0)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" specified in USING clause does not exist in right "
                               "table",
                               using[i]));
            Expr *le = expr_make_column(bc->arena, sl.cols[li[i]].index, sl.cols[li[i]].type, -1);
            Expr *re = expr_make_column(bc->arena, sr.cols[ri[i]].index + l->ncols,
                                        sr.cols[ri[i]].type, -1);
            Expr *pair[2] = {le, re};
            const LmType *t = bind_common_type(bc, 2, pair, "JOIN/USING");
            le = bind_coerce(bc, le, t, COERCE_IMPLICIT, -1);
            re = bind_coerce(bc, re, t, COERCE_IMPLICIT, -1);
            conds[i] = bind_operator(bc, "=", le, re, -1);
            if (jt == JOIN_FULL) {
                Expr *co = expr_make(bc->arena, EXPR_COALESCE, t, -1);
                co->nargs = 2;
                co->args = arena_new_array(bc->arena, Expr *, 2);
                co->args[0] = le;
                co->args[1] = re;
                merged[i] = co;
            } else
                merged[i] = jt == JOIN_RIGHT ? re : le;
            merged[i]->name = using[i];
        }
        if (nusing == 1)
            j->predicate = conds[0];
        else if (nusing > 1) {
            Expr *a = expr_make(bc->arena, EXPR_AND, type_bool(), -1);
            a->nargs = nusing;
            a->args = conds;
            j->predicate = a;
        }
        /* project: merged columns, then every column of both sides */
        int nout = nusing + j->ncols;
        Expr **ex = arena_new_array(bc->arena, Expr *, nout > 0 ? nout : 1);
        const char **names = arena_new_array(bc->arena, const char *, nout > 0 ? nout : 1);
        for (int i = 0; i < nusing; i++) {
            ex[i] = merged[i];
            names[i] = using[i];
        }
        for (int i = 0; i < j->ncols; i++) {
            ex[nusing + i] = expr_make_column(bc->arena, i, j->cols[i].type, -1);
            names[nusing + i] = j->cols[i].name;
        }
        PlanNode *p = bind_make_project(bc, j, nout, ex, names);
        const char *uqual = je->join_using_alias ? je->join_using_alias->aliasname : NULL;
        for (int i = 0; i < nusing; i++) {
            ScopeCol c = {.qual = uqual,
                          .name = using[i],
                          .type = merged[i]->type,
                          .index = i,
                          .flags = SC_UNQUALIFIED | SC_STAR};
            bind_scope_add(bc->arena, out, &c);
        }
        for (int i = 0; i < comb.ncols; i++) {
            ScopeCol c = comb.cols[i];
            c.index += nusing;
            bool is_using = false;
            for (int k = 0; k < nusing; k++)
                if ((i < sl.ncols && i == li[k]) || (i >= sl.ncols && i - sl.ncols == ri[k]))
                    is_using = true;
            if (is_using)
                c.flags &= ~(unsigned)(SC_UNQUALIFIED | SC_STAR);
            bind_scope_add(bc->arena, out, &c);
        }
        j = p;
    } else {
        if (je->quals) {
            Scope saved = lv->scope;
            ExprPlace sp = lv->place;
            const char *sn = lv->place_name;
            lv->scope = comb;
            lv->place = PLACE_NONE;
            lv->place_name = "JOIN conditions";
            Expr *q = bind_expr(bc, lv, je->quals);
            lv->scope = saved;
            lv->place = sp;
            lv->place_name = sn;
            j->predicate = bind_coerce_bool(bc, q, "JOIN/ON");
        }
        for (int i = 0; i < comb.ncols; i++)
            bind_scope_add(bc->arena, out, &comb.cols[i]);
    }
    if (je->alias) {
        /* (a JOIN b) AS j: only j.col names the visible columns */
        for (int i = 0; i < out->ncols; i++) {
            if (out->cols[i].flags & SC_STAR)
                out->cols[i].qual = je->alias->aliasname;
            else
                out->cols[i].qual = NULL;
            out->cols[i].schema = NULL;
        }
        apply_col_aliases(bc, j, out, je->alias, je->alias->aliasname);
    }
    return j;
}

static PlanNode *bind_from_item(BindContext *bc, BindLevel *lv, PgQuery__Node *n, Scope *out)
{
    switch (n ? n->node_case : 0) {
    case PG_QUERY__NODE__NODE_RANGE_VAR:
        return bind_relation(bc, lv, n->range_var, out);
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT: {
        PgQuery__RangeSubselect *rs = n->range_subselect;
        if (rs->lateral)
            bind_unsupported(-1, "LATERAL");
        PgQuery__SelectStmt *sel = bind_get_select(rs->subquery);
        if (sel == NULL)
            bind_unsupported(-1, "this subquery in FROM");
        PlanNode *p = bind_select(bc, lv, sel, LEVEL_INLINE, NULL);
        const char *qual = rs->alias ? rs->alias->aliasname : NULL;
        scope_from_plan(bc, p, qual, NULL, out);
        apply_col_aliases(bc, p, out, rs->alias, qual ? qual : "subquery");
        return p;
    }
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION:
        return bind_range_function(bc, lv, n->range_function, out);
    case PG_QUERY__NODE__NODE_JOIN_EXPR:
        return bind_join(bc, lv, n->join_expr, out);
    case PG_QUERY__NODE__NODE_RANGE_TABLE_SAMPLE:
        bind_unsupported(-1, "TABLESAMPLE");
    case PG_QUERY__NODE__NODE_RANGE_TABLE_FUNC:
        bind_unsupported(-1, "XMLTABLE");
    default:
        break;
    }
    bind_unsupported(-1, "this FROM item");
}

PlanNode *bind_from_list(BindContext *bc, BindLevel *lv, PgQuery__Node **items, int n)
{
    PlanNode *acc = NULL;
    Scope all = {0};
    for (int i = 0; i < n; i++) {
        Scope s = {0};
        PlanNode *p = bind_from_item(bc, lv, items[i], &s);
        int shift = acc ? acc->ncols : 0;
        for (int k = 0; k < s.ncols; k++) {
            ScopeCol c = s.cols[k];
            c.index += shift;
            bind_scope_add(bc->arena, &all, &c);
        }
        if (acc == NULL)
            acc = p;
        else {
            PlanNode *j = plan_make(bc->arena, PLAN_JOIN);
            j->left = acc;
            j->right = p;
            j->join_type = JOIN_INNER;
            planner_derive_cols(bc->arena, j);
            acc = j;
        }
    }
    lv->scope = all;
    return acc;
}

/* ---------------------------------------------------------------- aggregation rewrite */

typedef struct Upper {
    BindContext *bc;
    BindLevel *lv;
    bool grouped; /* an Aggregate sits below */
    int ngroups;
    Expr **groups;
    int win_base; /* column index of the first window result */
    int srf_base; /* column index of the first set-returning function result */
    bool session; /* a SESSION aggregate: window_start, window_end follow the groups */
} Upper;

static const char *colref_display(BindLevel *lv, const Expr *e, Arena *a)
{
    for (int i = 0; i < lv->scope.ncols; i++)
        if (lv->scope.cols[i].index == e->index) {
            const ScopeCol *c = &lv->scope.cols[i];
            return c->qual ? arena_printf(a, "%s.%s", c->qual, c->name) : c->name;
        }
    return e->name ? e->name : "?column?";
}

static Expr *rewrite_upper(Upper *u, Expr *e)
{
    if (e == NULL)
        return NULL;
    if (u->grouped) {
        for (int i = 0; i < u->ngroups; i++)
            if (e->kind != EXPR_CONST && bind_expr_equal(e, u->groups[i])) {
                Expr *c = expr_make_column(u->bc->arena, i, e->type, e->location);
                c->name = e->name;
                return c;
            }
    }
    if (e->kind == EXPR_COLUMN) {
        if (e->levels_up == SESSION_REF) {
            Expr *c = expr_make_column(u->bc->arena, u->ngroups + e->index, e->type, e->location);
            c->name = e->name;
            return c;
        }
        if (e->levels_up == AGG_REF) {
            Expr *c = expr_make_column(u->bc->arena, u->ngroups + (u->session ? 2 : 0) + e->index,
                                       e->type, e->location);
            c->name = e->name;
            return c;
        }
        if (e->levels_up == WIN_REF) {
            Expr *c = expr_make_column(u->bc->arena, u->win_base + e->index, e->type, e->location);
            c->name = e->name;
            return c;
        }
        if (e->levels_up == SRF_REF) {
            Expr *c = expr_make_column(u->bc->arena, u->srf_base + e->index, e->type, e->location);
            c->name = e->name;
            return c;
        }
        if (u->grouped)
            ereport(ERROR, errcode(ERRCODE_GROUPING_ERROR),
                    errmsg("column \"%s\" must appear in the GROUP BY clause or be used in an "
                           "aggregate function",
                           colref_display(u->lv, e, u->bc->arena)),
                    errposition(e->location + 1));
        return e;
    }
    if (e->kind == EXPR_SUBQUERY && e->correlated && u->grouped)
        bind_unsupported(e->location, "a correlated subquery above an aggregate");
    if (e->nargs == 0)
        return e;
    Expr **na = NULL;
    for (int i = 0; i < e->nargs; i++) {
        Expr *r = rewrite_upper(u, e->args[i]);
        if (r != e->args[i] && na == NULL) {
            na = arena_new_array(u->bc->arena, Expr *, e->nargs);
            memcpy(na, e->args, sizeof(Expr *) * (size_t)e->nargs);
        }
        if (na)
            na[i] = r;
    }
    if (na == NULL)
        return e;
    Expr *c = arena_new(u->bc->arena, Expr);
    *c = *e;
    c->args = na;
    return c;
}

static Expr *rewrite_upper_cb(void *arg, Expr *e)
{
    return rewrite_upper(arg, e);
}

static bool matches_group(const Upper *u, const Expr *e)
{
    for (int i = 0; i < u->ngroups; i++)
        if (bind_expr_equal(e, u->groups[i]))
            return true;
    return false;
}

/* Is input column `index` functionally dependent on the grouping (its table's primary key
 * is grouped by)?  PostgreSQL accepts such columns in the select list. */
static bool dependent_on_groups(const Upper *u, int index)
{
    const ScopeCol *c = NULL;
    for (int i = 0; i < u->lv->scope.ncols && c == NULL; i++)
        if (u->lv->scope.cols[i].index == index && u->lv->scope.cols[i].rel)
            c = &u->lv->scope.cols[i];
    if (c == NULL || c->rel->npk == 0 || c->attnum < 1)
        return false;
    int base = index - (c->attnum - 1);
    for (int k = 0; k < c->rel->npk; k++) {
        bool found = false;
        for (int g = 0; g < u->ngroups && !found; g++) {
            const Expr *ge = u->groups[g];
            found =
                ge->kind == EXPR_COLUMN && ge->levels_up == 0 && ge->index == base + c->rel->pk[k];
        }
        if (!found)
            return false;
    }
    return true;
}

/* Adds the functionally dependent input columns e uses (outside aggregates) as extra
 * grouping keys, so that they are available above the aggregate. */
static void add_dependent_groups(Upper *u, const Expr *e)
{
    if (e == NULL || matches_group(u, e))
        return;
    if (e->kind == EXPR_COLUMN) {
        if (e->levels_up == 0 && dependent_on_groups(u, e->index)) {
            Expr **ng = arena_new_array(u->bc->arena, Expr *, u->ngroups + 1);
            memcpy(ng, u->groups, sizeof(Expr *) * (size_t)u->ngroups);
            Expr *c = expr_make_column(u->bc->arena, e->index, e->type, e->location);
            c->name = e->name;
            ng[u->ngroups++] = c;
            u->groups = ng;
        }
        return;
    }
    for (int i = 0; i < e->nargs; i++)
        add_dependent_groups(u, e->args[i]);
}

static void add_dependent_groups_window(Upper *u, const WindowCall *w)
{
    for (int i = 0; i < w->npartition; i++)
        add_dependent_groups(u, w->partition[i]);
    for (int i = 0; i < w->norder; i++)
        add_dependent_groups(u, w->order[i].expr);
    if (w->kind == WIN_AGG)
        for (int i = 0; i < w->agg.nargs; i++)
            add_dependent_groups(u, w->agg.args[i]);
}

/* Grouped queries: window arguments are over the aggregate's output too. */
static void rewrite_window(Upper *u, WindowCall *w)
{
    for (int i = 0; i < w->npartition; i++)
        w->partition[i] = rewrite_upper(u, w->partition[i]);
    for (int i = 0; i < w->norder; i++)
        w->order[i].expr = rewrite_upper(u, w->order[i].expr);
    if (w->kind == WIN_AGG) {
        for (int i = 0; i < w->agg.nargs; i++)
            w->agg.args[i] = rewrite_upper(u, w->agg.args[i]);
        w->agg.filter = rewrite_upper(u, w->agg.filter);
        for (int i = 0; i < w->agg.norder; i++)
            w->agg.order[i].expr = rewrite_upper(u, w->agg.order[i].expr);
    }
}

/* ---------------------------------------------------------------- ORDER BY / LIMIT */

static Expr *bind_limit_expr(BindContext *bc, BindLevel *lv, PgQuery__Node *n, const char *what)
{
    if (n == NULL)
        return NULL;
    if (NODE(n, A_CONST) && n->a_const->isnull)
        return NULL; /* LIMIT ALL / LIMIT NULL */
    ExprPlace sp = lv->place;
    const char *sn = lv->place_name;
    lv->place = PLACE_NONE;
    lv->place_name = what;
    Scope saved = lv->scope;
    lv->scope = (Scope){0}; /* LIMIT may not reference columns */
    Expr *e = bind_expr(bc, lv, n);
    lv->scope = saved;
    lv->place = sp;
    lv->place_name = sn;
    Expr *c = bind_try_coerce(bc, e, type_int64(), COERCE_IMPLICIT);
    if (c == NULL)
        ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                errmsg("argument of %s must be type bigint, not type %s", what,
                       bind_type_display(bc, e->type)),
                errposition(e->location + 1));
    return c;
}

static PlanNode *add_limit(BindContext *bc, BindLevel *lv, PgQuery__SelectStmt *s, PlanNode *p)
{
    if (s->limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES)
        bind_unsupported(-1, "FETCH FIRST ... WITH TIES");
    Expr *lim = bind_limit_expr(bc, lv, s->limit_count, "LIMIT");
    Expr *off = bind_limit_expr(bc, lv, s->limit_offset, "OFFSET");
    if (lim == NULL && off == NULL)
        return p;
    PlanNode *l = plan_make(bc->arena, PLAN_LIMIT);
    l->left = p;
    l->limit = lim;
    l->offset = off;
    planner_derive_cols(bc->arena, l);
    return l;
}

static int sort_ordinal(PgQuery__Node *n, int ncols, const char *clause)
{
    if (NODE(n, A_CONST) && n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL &&
        !n->a_const->isnull) {
        int k = n->a_const->ival->ival;
        if (k < 1 || k > ncols)
            ereport(ERROR, errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
                    errmsg("%s position %d is not in select list", clause, k),
                    errposition(n->a_const->location + 1));
        return k - 1;
    }
    return -1;
}

static void set_sort_dir(PgQuery__SortBy *sb, SortKey *k)
{
    if (sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING)
        bind_unsupported(sb->location, "ORDER BY USING");
    k->descending = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
    k->nulls_first =
        sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
        (sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST && k->descending);
}

/* ORDER BY over a result whose columns are all there is (set operations, VALUES). */
static PlanNode *sort_by_output(BindContext *bc, PgQuery__SelectStmt *s, PlanNode *p)
{
    if (s->n_sort_clause == 0)
        return p;
    int n = (int)s->n_sort_clause;
    SortKey *keys = arena_new_array(bc->arena, SortKey, n);
    for (int i = 0; i < n; i++) {
        PgQuery__SortBy *sb = s->sort_clause[i]->sort_by;
        int k = sort_ordinal(sb->node, p->ncols, "ORDER BY");
        if (k < 0 && NODE(sb->node, COLUMN_REF) && sb->node->column_ref->n_fields == 1) {
            const char *nm = bind_strval(sb->node->column_ref->fields[0]);
            for (int c = 0; nm && c < p->ncols && k < 0; c++)
                if (strcmp(p->cols[c].name, nm) == 0)
                    k = c;
            if (k < 0 && nm)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" does not exist", nm),
                        errposition(sb->node->column_ref->location + 1));
        }
        if (k < 0)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("invalid UNION/INTERSECT/EXCEPT ORDER BY clause"),
                    errdetail("Only result column names can be used, not expressions or "
                              "functions."),
                    errposition(sb->location + 1));
        keys[i].expr = expr_make_column(bc->arena, k, p->cols[k].type, sb->location);
        set_sort_dir(sb, &keys[i]);
    }
    PlanNode *sort = plan_make(bc->arena, PLAN_SORT);
    sort->left = p;
    sort->nsort = n;
    sort->sort = keys;
    planner_derive_cols(bc->arena, sort);
    return sort;
}

/* ---------------------------------------------------------------- VALUES, set operations */

static PlanNode *bind_values(BindContext *bc, BindLevel *lv, PgQuery__SelectStmt *s)
{
    int nrows = (int)s->n_values_lists;
    int ncols = -1;
    Expr ***rows = arena_new_array(bc->arena, Expr **, nrows);
    lv->place = PLACE_NONE;
    lv->place_name = "VALUES";
    for (int r = 0; r < nrows; r++) {
        PgQuery__Node *ln = s->values_lists[r];
        if (!NODE(ln, LIST))
            bind_unsupported(-1, "this VALUES form");
        int n = (int)ln->list->n_items;
        if (ncols < 0)
            ncols = n;
        else if (n != ncols)
            ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("VALUES lists must all be the same length"));
        rows[r] = arena_new_array(bc->arena, Expr *, n > 0 ? n : 1);
        for (int c = 0; c < n; c++)
            rows[r][c] = bind_expr(bc, lv, ln->list->items[c]);
    }
    PlanNode *p = plan_make(bc->arena, PLAN_VALUES);
    p->nrows = nrows;
    p->rows = rows;
    p->ncols = ncols;
    p->cols = new_cols(bc, ncols);
    Expr **col = arena_new_array(bc->arena, Expr *, nrows);
    for (int c = 0; c < ncols; c++) {
        for (int r = 0; r < nrows; r++)
            col[r] = rows[r][c];
        const LmType *t = bind_common_type(bc, nrows, col, "VALUES");
        for (int r = 0; r < nrows; r++)
            rows[r][c] = bind_coerce(bc, rows[r][c], t, COERCE_IMPLICIT, rows[r][c]->location);
        p->cols[c].name = arena_printf(bc->arena, "column%d", c + 1);
        p->cols[c].type = t;
    }
    return p;
}

static PlanNode *cast_columns(BindContext *bc, PlanNode *p, const LmType **types)
{
    bool need = false;
    for (int i = 0; i < p->ncols; i++)
        if (!type_equal(p->cols[i].type, types[i]))
            need = true;
    if (!need)
        return p;
    Expr **ex = arena_new_array(bc->arena, Expr *, p->ncols);
    const char **names = arena_new_array(bc->arena, const char *, p->ncols);
    for (int i = 0; i < p->ncols; i++) {
        ex[i] = bind_coerce(bc, expr_make_column(bc->arena, i, p->cols[i].type, -1), types[i],
                            COERCE_IMPLICIT, -1);
        names[i] = p->cols[i].name;
    }
    return bind_make_project(bc, p, p->ncols, ex, names);
}

static bool is_star(PgQuery__Node *val)
{
    if (!NODE(val, COLUMN_REF))
        return false;
    PgQuery__ColumnRef *cr = val->column_ref;
    return cr->n_fields > 0 && NODE(cr->fields[cr->n_fields - 1], A_STAR);
}

/* Where output column i of a query starts (for errors that point at it), -1 if unknown. */
static int target_location(PgQuery__SelectStmt *s, int i)
{
    while (s && s->larg && s->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
           s->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED)
        s = s->larg;
    if (s == NULL || i >= (int)s->n_target_list)
        return -1;
    for (int k = 0; k <= i; k++)
        if (!NODE(s->target_list[k], RES_TARGET) || is_star(s->target_list[k]->res_target->val))
            return -1;
    return s->target_list[i]->res_target->location;
}

static PlanNode *bind_setop(BindContext *bc, BindLevel *lv, PgQuery__SelectStmt *s)
{
    const char *opname = s->op == PG_QUERY__SET_OPERATION__SETOP_UNION       ? "UNION"
                         : s->op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT ? "INTERSECT"
                                                                             : "EXCEPT";
    if (s->larg == NULL || s->rarg == NULL)
        bind_unsupported(-1, "this set operation");
    lv->transparent = true;
    PlanNode *l = bind_select(bc, lv, s->larg, LEVEL_SUBQUERY, NULL);
    PlanNode *r = bind_select(bc, lv, s->rarg, LEVEL_SUBQUERY, NULL);
    if (l->ncols != r->ncols)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("each %s query must have the same number of columns", opname));
    const LmType **types = arena_new_array(bc->arena, const LmType *, l->ncols > 0 ? l->ncols : 1);
    for (int i = 0; i < l->ncols; i++) {
        Expr a = {.kind = EXPR_COLUMN, .type = l->cols[i].type, .location = -1};
        Expr b = {.kind = EXPR_COLUMN, .type = r->cols[i].type,
                  .location = target_location(s->rarg, i)};
        Expr *pair[2] = {&a, &b};
        types[i] = bind_common_type(bc, 2, pair, opname);
    }
    l = cast_columns(bc, l, types);
    r = cast_columns(bc, r, types);
    PlanNode *p = plan_make(bc->arena, PLAN_SETOP);
    p->left = l;
    p->right = r;
    p->setop = s->op == PG_QUERY__SET_OPERATION__SETOP_UNION       ? SETOP_UNION
               : s->op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT ? SETOP_INTERSECT
                                                                   : SETOP_EXCEPT;
    p->all = s->all;
    p->ncols = l->ncols;
    p->cols = new_cols(bc, l->ncols);
    for (int i = 0; i < l->ncols; i++) {
        p->cols[i].name = l->cols[i].name;
        p->cols[i].type = types[i];
    }
    return p;
}

/* ---------------------------------------------------------------- simple SELECT */

typedef struct Target {
    Expr *expr;
    const char *name;
    PgQuery__Node *raw; /* NULL for expanded * columns */
} Target;

typedef struct TargetList {
    int n, cap;
    Target *items;
} TargetList;

static void tl_add(BindContext *bc, TargetList *tl, Expr *e, const char *name, PgQuery__Node *raw)
{
    if (tl->n == tl->cap) {
        int ncap = tl->cap ? tl->cap * 2 : 16;
        tl->items = arena_realloc(bc->arena, tl->items, sizeof(Target) * (size_t)tl->cap,
                                  sizeof(Target) * (size_t)ncap);
        tl->cap = ncap;
    }
    tl->items[tl->n++] = (Target){e, name, raw};
}

static void expand_star(BindContext *bc, BindLevel *lv, PgQuery__ColumnRef *cr, TargetList *tl,
                        bool has_from)
{
    int nf = (int)cr->n_fields;
    const char *qual = nf >= 2 ? bind_strval(cr->fields[nf - 2]) : NULL;
    const char *schema = nf >= 3 ? bind_strval(cr->fields[nf - 3]) : NULL;
    if (qual == NULL && !has_from)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("SELECT * with no tables specified is not valid"),
                errposition(cr->location + 1));
    bool found = false;
    for (int i = 0; i < lv->scope.ncols; i++) {
        const ScopeCol *c = &lv->scope.cols[i];
        if (qual) {
            /* t.*: every column of t, USING columns included */
            if (c->qual == NULL || strcmp(c->qual, qual) != 0)
                continue;
            if (schema && (c->schema == NULL || strcmp(c->schema, schema) != 0))
                continue;
        } else if (!(c->flags & SC_STAR))
            continue;
        found = true;
        Expr *e = expr_make_column(bc->arena, c->index, c->type, cr->location);
        e->name = c->name;
        tl_add(bc, tl, e, c->name, NULL);
    }
    if (qual && !found)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                errmsg("missing FROM-clause entry for table \"%s\"", qual),
                errposition(cr->location + 1));
}


/* GROUP BY item: input column first, then an output alias or ordinal (PostgreSQL's rules). */
static Expr *bind_group_item(BindContext *bc, BindLevel *lv, PgQuery__SelectStmt *s,
                             PgQuery__Node *n)
{
    if (NODE(n, GROUPING_SET))
        bind_unsupported(n->grouping_set->location, "GROUPING SETS, ROLLUP and CUBE");
    int k = sort_ordinal(n, (int)s->n_target_list, "GROUP BY");
    PgQuery__Node *expr = n;
    if (k >= 0) {
        PgQuery__ResTarget *rt = s->target_list[k]->res_target;
        if (is_star(rt->val))
            bind_unsupported(-1, "GROUP BY a * target");
        expr = rt->val;
    } else if (NODE(n, COLUMN_REF) && n->column_ref->n_fields == 1 &&
               bind_strval(n->column_ref->fields[0])) {
        const char *nm = bind_strval(n->column_ref->fields[0]);
        if (bind_scope_find(&lv->scope, NULL, NULL, nm, n->column_ref->location) < 0) {
            for (size_t i = 0; i < s->n_target_list; i++) {
                PgQuery__ResTarget *rt = s->target_list[i]->res_target;
                if (bind_nz(rt->name) && strcmp(rt->name, nm) == 0) {
                    expr = rt->val;
                    break;
                }
            }
        }
    }
    return bind_resolve_unknown(bc, bind_expr(bc, lv, expr));
}

static PlanNode *bind_simple_select(BindContext *bc, BindLevel *lv, PgQuery__SelectStmt *s,
                                    int nhint, const LmType **hint)
{
    PlanNode *p;
    if (s->n_from_clause)
        p = bind_from_list(bc, lv, s->from_clause, (int)s->n_from_clause);
    else {
        p = plan_make(bc->arena, PLAN_RESULT);
        p->cols = new_cols(bc, 0);
    }
    lv->nwindefs = (int)s->n_window_clause;
    lv->windefs = s->window_clause;

    if (s->where_clause) {
        lv->place = PLACE_NONE;
        lv->place_name = "WHERE";
        Expr *w = bind_coerce_bool(bc, bind_expr(bc, lv, s->where_clause), "WHERE");
        p = make_filter(bc, p, w);
    }

    /* GROUP BY */
    int ngroups = 0;
    Expr **groups = arena_new_array(bc->arena, Expr *, (int)s->n_group_clause + 2);
    lv->place = PLACE_NONE;
    lv->place_name = "GROUP BY";
    /* a window (TUMBLE/HOP/SESSION) first: TUMBLE/HOP put a window assignment below the
     * aggregate whose window_start/window_end columns become group keys (bind_window.c) */
    for (size_t i = 0; i < s->n_group_clause; i++)
        if (bind_is_group_window(s->group_clause[i])) {
            int nk = 0;
            p = bind_group_window(bc, lv, s->group_clause[i]->func_call, p, groups + ngroups, &nk);
            ngroups += nk;
        }
    for (size_t i = 0; i < s->n_group_clause; i++)
        if (!bind_is_group_window(s->group_clause[i]))
            groups[ngroups++] = bind_group_item(bc, lv, s, s->group_clause[i]);
    if (s->group_distinct)
        bind_unsupported(-1, "GROUP BY DISTINCT");

    /* targets */
    lv->place = PLACE_TARGET;
    lv->place_name = "the select list";
    TargetList tl = {0};
    for (size_t i = 0; i < s->n_target_list; i++) {
        if (!NODE(s->target_list[i], RES_TARGET))
            bind_unsupported(-1, "this target");
        PgQuery__ResTarget *rt = s->target_list[i]->res_target;
        if (is_star(rt->val)) {
            expand_star(bc, lv, rt->val->column_ref, &tl, s->n_from_clause > 0);
            continue;
        }
        Expr *e = bind_expr(bc, lv, rt->val);
        if (e->type->id == TYPE_UNKNOWN && tl.n < nhint && hint[tl.n]) {
            Expr *c = bind_try_coerce(bc, e, hint[tl.n], COERCE_ASSIGNMENT);
            if (c)
                e = c;
        }
        e = resolve_output(bc, e);
        tl_add(bc, &tl, e, bind_nz(rt->name) ? rt->name : bind_figure_colname(rt->val), rt->val);
    }
    int nvisible = tl.n;

    Expr *having = NULL;
    if (s->having_clause) {
        lv->place = PLACE_HAVING;
        lv->place_name = "HAVING";
        having = bind_coerce_bool(bc, bind_expr(bc, lv, s->having_clause), "HAVING");
    }

    /* DISTINCT */
    bool distinct = false;
    if (s->n_distinct_clause) {
        if (s->n_distinct_clause == 1 &&
            (s->distinct_clause[0] == NULL || s->distinct_clause[0]->node_case == 0))
            distinct = true;
        else
            bind_unsupported(-1, "SELECT DISTINCT ON");
    }

    /* ORDER BY: output names and ordinals first, then expressions over the input */
    int nsort = (int)s->n_sort_clause;
    SortKey *keys = arena_new_array(bc->arena, SortKey, nsort > 0 ? nsort : 1);
    lv->place = PLACE_TARGET;
    lv->place_name = "ORDER BY";
    for (int i = 0; i < nsort; i++) {
        PgQuery__SortBy *sb = s->sort_clause[i]->sort_by;
        int k = sort_ordinal(sb->node, nvisible, "ORDER BY");
        if (k < 0 && NODE(sb->node, COLUMN_REF) && sb->node->column_ref->n_fields == 1 &&
            bind_strval(sb->node->column_ref->fields[0])) {
            const char *nm = bind_strval(sb->node->column_ref->fields[0]);
            for (int c = 0; c < nvisible; c++)
                if (strcmp(tl.items[c].name, nm) == 0) {
                    if (k >= 0 && !bind_expr_equal(tl.items[k].expr, tl.items[c].expr))
                        ereport(ERROR, errcode(ERRCODE_AMBIGUOUS_COLUMN),
                                errmsg("ORDER BY \"%s\" is ambiguous", nm),
                                errposition(sb->node->column_ref->location + 1));
                    if (k < 0)
                        k = c;
                }
        }
        if (k < 0) {
            Expr *e = bind_resolve_unknown(bc, bind_expr(bc, lv, sb->node));
            for (int c = 0; c < tl.n && k < 0; c++)
                if (bind_expr_equal(tl.items[c].expr, e))
                    k = c;
            if (k < 0) {
                if (distinct)
                    ereport(ERROR, errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
                            errmsg("for SELECT DISTINCT, ORDER BY expressions must appear in "
                                   "select list"),
                            errposition(sb->location + 1));
                tl_add(bc, &tl, e, "?column?", sb->node);
                k = tl.n - 1;
            }
        }
        keys[i].expr = expr_make_column(bc->arena, k, tl.items[k].expr->type, sb->location);
        set_sort_dir(sb, &keys[i]);
    }

    /* the aggregate, HAVING and window stages */
    bool grouped = ngroups > 0 || lv->naggs > 0 || having != NULL || lv->gwin != NULL;
    Upper u = {.bc = bc, .lv = lv, .grouped = grouped, .ngroups = ngroups, .groups = groups};
    if (grouped) {
        if (ngroups > 0) {
            for (int i = 0; i < tl.n; i++)
                add_dependent_groups(&u, tl.items[i].expr);
            add_dependent_groups(&u, having);
            for (int i = 0; i < lv->nwins; i++)
                add_dependent_groups_window(&u, &lv->wins[i]);
            for (int i = 0; i < lv->nsrfs; i++)
                for (int j = 0; j < lv->srfs[i].nargs; j++)
                    add_dependent_groups(&u, lv->srfs[i].args[j]);
        }
        PlanNode *agg = plan_make(bc->arena, PLAN_AGGREGATE);
        agg->left = p;
        agg->ngroups = u.ngroups;
        agg->groups = u.groups;
        agg->naggs = lv->naggs;
        agg->aggs = lv->aggs;
        if (lv->gwin && lv->gwin->gw.kind == GW_SESSION) {
            agg->gwindow = lv->gwin->gw;
            u.session = true;
        }
        planner_derive_cols(bc->arena, agg);
        p = agg;
        u.win_base = p->ncols;
        if (having)
            p = make_filter(bc, p, rewrite_upper(&u, having));
    }
    if (lv->nwins > 0) {
        u.win_base = p->ncols;
        for (int i = 0; i < lv->nwins; i++)
            if (grouped)
                rewrite_window(&u, &lv->wins[i]);
        PlanNode *w = plan_make(bc->arena, PLAN_WINDOW);
        w->left = p;
        w->nwindows = lv->nwins;
        w->windows = lv->wins;
        planner_derive_cols(bc->arena, w);
        p = w;
    }
    if (lv->nsrfs > 0) {
        /* set-returning functions of the select list, over the groups and windows */
        u.srf_base = p->ncols;
        p = bind_make_project_set(bc, lv, p, (grouped || lv->nwins) ? rewrite_upper_cb : NULL, &u);
    }
    Expr **ex = arena_new_array(bc->arena, Expr *, tl.n > 0 ? tl.n : 1);
    const char **names = arena_new_array(bc->arena, const char *, tl.n > 0 ? tl.n : 1);
    for (int i = 0; i < tl.n; i++) {
        ex[i] = (grouped || lv->nwins || lv->nsrfs) ? rewrite_upper(&u, tl.items[i].expr)
                                                    : tl.items[i].expr;
        names[i] = tl.items[i].name;
    }
    p = bind_make_project(bc, p, tl.n, ex, names);
    if (distinct) {
        PlanNode *d = plan_make(bc->arena, PLAN_DISTINCT);
        d->left = p;
        planner_derive_cols(bc->arena, d);
        p = d;
    }
    if (nsort) {
        PlanNode *sort = plan_make(bc->arena, PLAN_SORT);
        sort->left = p;
        sort->nsort = nsort;
        sort->sort = keys;
        planner_derive_cols(bc->arena, sort);
        p = sort;
    }
    p = add_limit(bc, lv, s, p);
    if (tl.n > nvisible) {
        Expr **vis = arena_new_array(bc->arena, Expr *, nvisible > 0 ? nvisible : 1);
        for (int i = 0; i < nvisible; i++)
            vis[i] = expr_make_column(bc->arena, i, p->cols[i].type, -1);
        PlanNode *proj = bind_make_project(bc, p, nvisible, vis, names);
        for (int i = 0; i < nvisible; i++) {
            proj->cols[i].table_oid = p->cols[i].table_oid;
            proj->cols[i].attnum = p->cols[i].attnum;
        }
        p = proj;
    }
    return p;
}

PlanNode *bind_select(BindContext *bc, BindLevel *parent, PgQuery__SelectStmt *s, LevelKind kind,
                      bool *correlated)
{
    BindLevel *lv = bind_new_level(bc, parent, kind);
    int nhint = bc->priv->ntarget_hint;
    const LmType **hint = bc->priv->target_hint;
    bc->priv->ntarget_hint = 0;
    bc->priv->target_hint = NULL;
    if (s->into_clause)
        bind_unsupported(-1, "SELECT INTO");
    if (s->n_locking_clause)
        bind_unsupported(-1, "SELECT ... FOR UPDATE/SHARE");
    if (s->with_clause) {
        PgQuery__WithClause *w = s->with_clause;
        if (w->recursive)
            bind_unsupported(w->location, "WITH RECURSIVE");
        lv->nctes = (int)w->n_ctes;
        lv->ctes = arena_new_array(bc->arena, CteDef, lv->nctes > 0 ? lv->nctes : 1);
        for (int i = 0; i < lv->nctes; i++) {
            if (!NODE(w->ctes[i], COMMON_TABLE_EXPR))
                bind_unsupported(w->location, "this WITH item");
            PgQuery__CommonTableExpr *cte = w->ctes[i]->common_table_expr;
            for (int k = 0; k < i; k++)
                if (strcmp(lv->ctes[k].name, cte->ctename) == 0)
                    ereport(ERROR, errcode("42712"),
                            errmsg("WITH query name \"%s\" specified more than once", cte->ctename),
                            errposition(cte->location + 1));
            if (cte->search_clause || cte->cycle_clause)
                bind_unsupported(cte->location, "SEARCH and CYCLE clauses");
            lv->ctes[i].name = cte->ctename;
            lv->ctes[i].cte = cte;
        }
    }
    PlanNode *p;
    if (s->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
        s->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED) {
        p = bind_setop(bc, lv, s);
        p = sort_by_output(bc, s, p);
        p = add_limit(bc, lv, s, p);
    } else if (s->n_values_lists) {
        p = bind_values(bc, lv, s);
        p = sort_by_output(bc, s, p);
        p = add_limit(bc, lv, s, p);
    } else
        p = bind_simple_select(bc, lv, s, nhint, hint);
    if (correlated)
        *correlated = lv->has_outer_refs;
    return p;
}
