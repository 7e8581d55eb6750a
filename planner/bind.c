/*
 * bind.c: the binder's entry points (planner/bind.h) — statement dispatch,
 * parameter bookkeeping and EXPLAIN.
 *
 * Parameter types: the client's declared types are copied into a growable
 * array; binding fills in unspecified ones from their first typed context
 * (bind_expr.c); at the end every remaining unspecified parameter becomes
 * text and every EXPR_PARAM node is given its parameter's final type (a
 * parameter may have been referenced before its type was known).
 */
#include "planner/bind_int.h"

#include <string.h>

#define NODE(n, kind) ((n) != NULL && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

static void begin(BindContext *bc)
{
    BindPrivate *p = arena_new(bc->arena, BindPrivate);
    p->pending_cte_limit = -1;
    int n = bc->nparams > 0 ? bc->nparams : 0;
    p->pcap = n < 16 ? 16 : n;
    const LmType **types = arena_new_array(bc->arena, const LmType *, p->pcap);
    for (int i = 0; i < n; i++) {
        const LmType *t = bc->param_types ? bc->param_types[i] : NULL;
        types[i] = t && t->id != TYPE_UNKNOWN ? t : NULL;
    }
    bc->param_types = types;
    bc->nparams = n;
    bc->priv = p;
}

static void finish(BindContext *bc)
{
    BindPrivate *p = bc->priv;
    for (int i = 0; i < bc->nparams; i++)
        if (bc->param_types[i] == NULL || bc->param_types[i]->id == TYPE_UNKNOWN)
            bc->param_types[i] = type_string();
    for (int i = 0; i < p->nparam_exprs; i++)
        p->param_exprs[i]->type = bc->param_types[p->param_exprs[i]->param_index];
    bc->priv = NULL;
}

bool bind_supports(const PgQuery__Node *stmt)
{
    if (stmt == NULL)
        return false;
    switch (stmt->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
    case PG_QUERY__NODE__NODE_INSERT_STMT:
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
    case PG_QUERY__NODE__NODE_DELETE_STMT:
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
        return true;
    default:
        return false;
    }
}

static PlanNode *bind_any(BindContext *bc, PgQuery__Node *stmt)
{
    switch (stmt ? stmt->node_case : 0) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
        return bind_select(bc, NULL, stmt->select_stmt, LEVEL_SUBQUERY, NULL);
    case PG_QUERY__NODE__NODE_INSERT_STMT:
        return bind_insert(bc, NULL, stmt->insert_stmt);
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
        return bind_update(bc, NULL, stmt->update_stmt);
    case PG_QUERY__NODE__NODE_DELETE_STMT:
        return bind_delete(bc, NULL, stmt->delete_stmt);
    case PG_QUERY__NODE__NODE_MERGE_STMT:
        bind_unsupported(-1, "MERGE");
    default:
        break;
    }
    bind_unsupported(-1, "this statement");
}

PlanNode *bind_statement(BindContext *bc, PgQuery__Node *stmt)
{
    begin(bc);
    PlanNode *plan = bind_any(bc, stmt);
    finish(bc);
    return planner_optimize(bc->arena, plan);
}

void bind_explain(BindContext *bc, PgQuery__Node *explain_stmt, StrBuf *out)
{
    if (!NODE(explain_stmt, EXPLAIN_STMT))
        bind_unsupported(-1, "this EXPLAIN form");
    PgQuery__ExplainStmt *ex = explain_stmt->explain_stmt;
    for (size_t i = 0; i < ex->n_options; i++) {
        PgQuery__Node *o = ex->options[i];
        if (!NODE(o, DEF_ELEM))
            continue;
        PgQuery__DefElem *d = o->def_elem;
        bool off = false;
        if (d->arg && NODE(d->arg, STRING))
            off = strcmp(d->arg->string->sval, "false") == 0 ||
                  strcmp(d->arg->string->sval, "off") == 0;
        if (d->arg && NODE(d->arg, BOOLEAN))
            off = !d->arg->boolean->boolval;
        if (d->arg && NODE(d->arg, A_CONST) &&
            d->arg->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL)
            off = !d->arg->a_const->boolval->boolval;
        if (strcmp(d->defname, "analyze") == 0 && !off)
            bind_unsupported(d->location, "EXPLAIN ANALYZE");
        if (strcmp(d->defname, "format") == 0 && d->arg && NODE(d->arg, STRING) &&
            strcmp(d->arg->string->sval, "text") != 0)
            bind_unsupported(d->location, "EXPLAIN formats other than text");
    }
    PlanNode *plan = bind_statement(bc, ex->query);
    plan_explain(plan, out);
}

Expr *bind_expression(BindContext *bc, PgQuery__Node *expr, const LmType *want)
{
    begin(bc);
    BindLevel *lv = bind_new_level(bc, NULL, LEVEL_SUBQUERY);
    lv->place = PLACE_NONE;
    lv->place_name = "this expression";
    Expr *e = bind_expr(bc, lv, expr);
    if (want)
        e = bind_coerce(bc, e, want, COERCE_ASSIGNMENT, e->location);
    else
        e = bind_resolve_unknown(bc, e);
    finish(bc);
    return e;
}
