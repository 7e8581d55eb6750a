/*
 * bind_modify.c: binding of INSERT, UPDATE and DELETE.
 *
 * INSERT: the child of PLAN_INSERT produces complete rows in the table's
 * column order — listed columns from VALUES or the SELECT (assignment-cast to
 * the column types; parameters take the column's type), the others from their
 * DEFAULT (RelColumn.default_expr, parsed and bound here) or NULL — so the
 * executor only stores rows (ntarget_cols = table ncols, identity map).
 * ON CONFLICT (cols) must name the primary key; DO UPDATE SET expressions are
 * over the existing row followed by the proposed row ("excluded").
 *
 * UPDATE / DELETE: the child scans the target with every column plus the
 * storage rowkey (PLAN_SCAN.want_rowkey), joined with FROM / USING items,
 * filtered by WHERE.  SET expressions are over that child row.  RETURNING
 * expressions are over the target's full (new, inserted or deleted) row.
 *
 * Only plain tables are modified by statements; a pipeline's body may
 * insert into sink tables too (BindContext.allow_stream_targets).
 */
#include "planner/bind_int.h"

#include <string.h>

#define NODE(n, kind) ((n) != NULL && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

static const Relation *lookup_target(BindContext *bc, PgQuery__RangeVar *rv, const char *verb,
                                     bool insert)
{
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
    if (rel->kind == REL_PLAIN)
        return rel;
    if (insert && bc->allow_stream_targets && rel->kind == REL_SINK)
        return rel;
    switch (rel->kind) {
    case REL_SYSTEM_VIEW:
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("cannot %s view \"%s\"", verb, rel->name),
                errdetail("System views are computed from the catalog and cannot be modified."),
                errposition(rv->location + 1));
    case REL_SOURCE:
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("cannot %s source table \"%s\"", verb, rel->name),
                errdetail("Source tables are read from their connector."),
                errposition(rv->location + 1));
    default:
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("cannot %s sink table \"%s\"", verb, rel->name),
                errhint("Sink tables are written by pipelines: CREATE PIPELINE ... AS INSERT "
                        "INTO %s SELECT ....",
                        rel->name),
                errposition(rv->location + 1));
    }
}

static int find_target_col(const Relation *rel, const char *name, int location)
{
    for (int i = 0; i < rel->ncols; i++)
        if (strcmp(rel->cols[i].name, name) == 0)
            return i;
    ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
            errmsg("column \"%s\" of relation \"%s\" does not exist", name, rel->name),
            errposition(location + 1));
}

/* Assignment to column col: PostgreSQL's wording when no assignment cast exists. */
static Expr *assign_coerce(BindContext *bc, Expr *e, const RelColumn *col)
{
    Expr *r = bind_try_coerce(bc, e, col->type, COERCE_ASSIGNMENT);
    if (r)
        return r;
    ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
            errmsg("column \"%s\" is of type %s but expression is of type %s", col->name,
                   bind_type_display(bc, col->type), bind_type_display(bc, e->type)),
            errhint("You will need to rewrite or cast the expression."),
            errposition(e->location + 1));
}

static void scope_of_target(BindContext *bc, Scope *s, const Relation *rel, const char *qual,
                            int base)
{
    for (int i = 0; i < rel->ncols; i++) {
        ScopeCol c = {.qual = qual,
                      .schema = rel->schema,
                      .name = rel->cols[i].name,
                      .type = rel->cols[i].type,
                      .index = base + i,
                      .flags = SC_UNQUALIFIED | SC_STAR,
                      .table_oid = rel->oid,
                      .attnum = (int16)(i + 1)};
        bind_scope_add(bc->arena, s, &c);
    }
}

/* RETURNING: over the target's full row; sets node->nreturning/returning and its cols. */
static void bind_returning(BindContext *bc, BindLevel *parent, PlanNode *node, const Relation *rel,
                           const char *qual, PgQuery__Node **list, int n)
{
    if (n == 0)
        return;
    BindLevel *lv = bind_new_level(bc, parent, LEVEL_SUBQUERY);
    scope_of_target(bc, &lv->scope, rel, qual, 0);
    lv->place = PLACE_NONE;
    lv->place_name = "RETURNING";
    int cap = n + rel->ncols;
    Expr **ex = arena_new_array(bc->arena, Expr *, cap);
    PlanColumn *cols = arena_new_array(bc->arena, PlanColumn, cap);
    int k = 0;
    for (int i = 0; i < n; i++) {
        PgQuery__ResTarget *rt = list[i]->res_target;
        PgQuery__Node *v = rt->val;
        if (NODE(v, COLUMN_REF) && v->column_ref->n_fields > 0 &&
            NODE(v->column_ref->fields[v->column_ref->n_fields - 1], A_STAR)) {
            if (k + rel->ncols > cap) {
                int ncap = cap + rel->ncols + n;
                ex = arena_realloc(bc->arena, ex, sizeof(Expr *) * (size_t)cap,
                                   sizeof(Expr *) * (size_t)ncap);
                cols = arena_realloc(bc->arena, cols, sizeof(PlanColumn) * (size_t)cap,
                                     sizeof(PlanColumn) * (size_t)ncap);
                cap = ncap;
            }
            for (int c = 0; c < rel->ncols; c++) {
                ex[k] = expr_make_column(bc->arena, c, rel->cols[c].type, -1);
                cols[k] =
                    (PlanColumn){rel->cols[c].name, rel->cols[c].type, rel->oid, (int16)(c + 1)};
                k++;
            }
            continue;
        }
        if (k >= cap) {
            int ncap = cap * 2;
            ex = arena_realloc(bc->arena, ex, sizeof(Expr *) * (size_t)cap,
                               sizeof(Expr *) * (size_t)ncap);
            cols = arena_realloc(bc->arena, cols, sizeof(PlanColumn) * (size_t)cap,
                                 sizeof(PlanColumn) * (size_t)ncap);
            cap = ncap;
        }
        Expr *e = bind_expr(bc, lv, v);
        if (e->type->id == TYPE_UNKNOWN)
            e = bind_coerce(bc, e, type_string(), COERCE_IMPLICIT, e->location);
        ex[k] = e;
        cols[k].name = bind_nz(rt->name) ? rt->name : bind_figure_colname(v);
        cols[k].type = e->type;
        if (e->kind == EXPR_COLUMN) {
            cols[k].table_oid = rel->oid;
            cols[k].attnum = (int16)(e->index + 1);
        }
        k++;
    }
    node->nreturning = k;
    node->returning = ex;
    node->ncols = k;
    node->cols = cols;
}

/* ---------------------------------------------------------------- INSERT */

static Expr *insert_value(BindContext *bc, BindLevel *lv, PgQuery__Node *item, const RelColumn *col)
{
    if (NODE(item, SET_TO_DEFAULT))
        return bind_default(bc, col, item->set_to_default->location);
    return assign_coerce(bc, bind_expr(bc, lv, item), col);
}

static bool is_plain_values(const PgQuery__SelectStmt *s)
{
    return s->n_values_lists > 0 && s->n_sort_clause == 0 && s->limit_count == NULL &&
           s->limit_offset == NULL && s->with_clause == NULL &&
           (s->op == PG_QUERY__SET_OPERATION__SETOP_NONE ||
            s->op == PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED);
}

static void count_mismatch(int nexprs, int ncols, int location)
{
    if (nexprs > ncols)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("INSERT has more expressions than target columns"),
                errposition(location + 1));
    ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
            errmsg("INSERT has more target columns than expressions"), errposition(location + 1));
}

static void bind_on_conflict(BindContext *bc, BindLevel *parent, PlanNode *ins, const Relation *rel,
                             const char *qual, PgQuery__OnConflictClause *oc)
{
    ins->on_conflict = oc->action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_NOTHING ? 1 : 2;
    PgQuery__InferClause *inf = oc->infer;
    if (inf) {
        if (bind_nz(inf->conname))
            bind_unsupported(inf->location, "ON CONFLICT ON CONSTRAINT");
        if (inf->where_clause)
            bind_unsupported(inf->location, "ON CONFLICT with a WHERE on the index");
        bool match = rel->npk > 0 && (int)inf->n_index_elems == rel->npk;
        for (size_t i = 0; match && i < inf->n_index_elems; i++) {
            PgQuery__Node *ie = inf->index_elems[i];
            const char *nm = NODE(ie, INDEX_ELEM) ? bind_nz(ie->index_elem->name) : NULL;
            if (nm == NULL)
                bind_unsupported(inf->location, "ON CONFLICT on expressions");
            int c = find_target_col(rel, nm, inf->location);
            bool in_pk = false;
            for (int k = 0; k < rel->npk; k++)
                if (rel->pk[k] == c)
                    in_pk = true;
            match = in_pk;
        }
        if (!match)
            ereport(ERROR, errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
                    errmsg("there is no unique or exclusion constraint matching the ON CONFLICT "
                           "specification")); /* no position, as PostgreSQL */
    } else if (ins->on_conflict == 2)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("ON CONFLICT DO UPDATE requires inference specification or constraint "
                       "name"),
                errhint("For example, ON CONFLICT (column_name)."), errposition(oc->location + 1));
    if (ins->on_conflict != 2)
        return;
    BindLevel *lv = bind_new_level(bc, parent, LEVEL_SUBQUERY);
    scope_of_target(bc, &lv->scope, rel, qual, 0);
    scope_of_target(bc, &lv->scope, rel, "excluded", rel->ncols);
    /* unqualified names mean the existing row: hide the excluded ones from them */
    for (int i = rel->ncols; i < lv->scope.ncols; i++)
        lv->scope.cols[i].flags = 0;
    lv->place = PLACE_NONE;
    lv->place_name = "ON CONFLICT DO UPDATE";
    int n = (int)oc->n_target_list;
    ins->nconflict_set = n;
    ins->conflict_set_cols = arena_new_array(bc->arena, int, n > 0 ? n : 1);
    ins->conflict_set_exprs = arena_new_array(bc->arena, Expr *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        PgQuery__ResTarget *rt = oc->target_list[i]->res_target;
        if (rt->n_indirection)
            bind_unsupported(rt->location, "assignment to a subfield or element");
        int c = find_target_col(rel, rt->name, rt->location);
        for (int k = 0; k < i; k++)
            if (ins->conflict_set_cols[k] == c)
                ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                        errmsg("multiple assignments to same column \"%s\"", rt->name),
                        errposition(rt->location + 1));
        PgQuery__Node *v = rt->val;
        if (NODE(v, MULTI_ASSIGN_REF)) {
            PgQuery__MultiAssignRef *ma = v->multi_assign_ref;
            if (!NODE(ma->source, ROW_EXPR) || ma->colno < 1 ||
                ma->colno > (int)ma->source->row_expr->n_args)
                bind_unsupported(rt->location, "this multiple-column assignment");
            v = ma->source->row_expr->args[ma->colno - 1];
        }
        ins->conflict_set_cols[i] = c;
        ins->conflict_set_exprs[i] = insert_value(bc, lv, v, &rel->cols[c]);
    }
    if (oc->where_clause)
        ins->conflict_where = bind_coerce_bool(bc, bind_expr(bc, lv, oc->where_clause), "WHERE");
}

PlanNode *bind_insert(BindContext *bc, BindLevel *parent, PgQuery__InsertStmt *s)
{
    if (s->with_clause)
        bind_unsupported(s->with_clause->location, "WITH in INSERT");
    const Relation *rel = lookup_target(bc, s->relation, "insert into", true);
    const char *qual = s->relation->alias ? s->relation->alias->aliasname : rel->name;
    /* the listed columns; without a list, the first columns, as many as the source has */
    PgQuery__SelectStmt *sel = bind_get_select(s->select_stmt);
    int nlisted;
    if (s->n_cols)
        nlisted = (int)s->n_cols;
    else if (sel == NULL)
        nlisted = 0;
    else if (is_plain_values(sel))
        nlisted = NODE(sel->values_lists[0], LIST) ? (int)sel->values_lists[0]->list->n_items : 0;
    else
        nlisted = -1; /* the SELECT's width, known once bound */
    int *slot = arena_new_array(bc->arena, int, rel->ncols > 0 ? rel->ncols : 1);
    for (int i = 0; i < rel->ncols; i++)
        slot[i] = s->n_cols || i >= nlisted ? -1 : i;
    if (!s->n_cols && nlisted > rel->ncols) {
        int loc = -1;
        if (sel && is_plain_values(sel) && NODE(sel->values_lists[0], LIST)) {
            /* PostgreSQL points at the first expression without a column */
            BindLevel *tmp = bind_new_level(bc, parent, LEVEL_SUBQUERY);
            tmp->place_name = "VALUES";
            loc = bind_expr(bc, tmp, sel->values_lists[0]->list->items[rel->ncols])->location;
        }
        count_mismatch(nlisted, rel->ncols, loc);
    }
    for (int i = 0; i < (int)s->n_cols; i++) {
        PgQuery__ResTarget *rt = s->cols[i]->res_target;
        if (rt->n_indirection)
            bind_unsupported(rt->location, "INSERT into a subfield or element");
        int c = find_target_col(rel, rt->name, rt->location);
        if (slot[c] >= 0)
            ereport(ERROR, errcode(ERRCODE_DUPLICATE_COLUMN),
                    errmsg("column \"%s\" specified more than once", rt->name),
                    errposition(rt->location + 1));
        slot[c] = i;
    }
    BindLevel *lv = bind_new_level(bc, parent, LEVEL_SUBQUERY);
    lv->place = PLACE_NONE;
    lv->place_name = "VALUES";
    PlanNode *child;
    if (sel == NULL || is_plain_values(sel)) {
        int nrows = sel ? (int)sel->n_values_lists : 1;
        Expr ***rows = arena_new_array(bc->arena, Expr **, nrows);
        for (int r = 0; r < nrows; r++) {
            PgQuery__List *items = NULL;
            if (sel) {
                if (!NODE(sel->values_lists[r], LIST))
                    bind_unsupported(-1, "this VALUES form");
                items = sel->values_lists[r]->list;
                if (!s->n_cols && r > 0 && (int)items->n_items != nlisted)
                    ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                            errmsg("VALUES lists must all be the same length"));
                if ((int)items->n_items != nlisted) {
                    /* PostgreSQL points at the first extra expression, or at the first
                     * target column without one */
                    int loc = (int)items->n_items > nlisted
                                  ? bind_expr(bc, lv, items->items[nlisted])->location
                                  : (s->n_cols ? s->cols[items->n_items]->res_target->location
                                               : s->relation->location);
                    count_mismatch((int)items->n_items, nlisted, loc);
                }
            }
            Expr **row = arena_new_array(bc->arena, Expr *, rel->ncols > 0 ? rel->ncols : 1);
            for (int c = 0; c < rel->ncols; c++) {
                if (items && slot[c] >= 0)
                    row[c] = insert_value(bc, lv, items->items[slot[c]], &rel->cols[c]);
                else
                    row[c] = bind_default(bc, &rel->cols[c], s->relation->location);
            }
            rows[r] = row;
        }
        child = plan_make(bc->arena, PLAN_VALUES);
        child->nrows = nrows;
        child->rows = rows;
    } else {
        /* the SELECT's untyped literals take the target columns' types */
        const LmType **hint = arena_new_array(bc->arena, const LmType *, rel->ncols + 1);
        int nhint = 0;
        if (s->n_cols) {
            for (int c = 0; c < rel->ncols; c++)
                if (slot[c] >= 0)
                    hint[slot[c]] = rel->cols[c].type;
            nhint = (int)s->n_cols;
        } else {
            for (int c = 0; c < rel->ncols; c++)
                hint[c] = rel->cols[c].type;
            nhint = rel->ncols;
        }
        bc->priv->ntarget_hint = nhint;
        bc->priv->target_hint = hint;
        PlanNode *q = bind_select(bc, lv, sel, LEVEL_SUBQUERY, NULL);
        if (nlisted < 0) {
            if (q->ncols > rel->ncols)
                count_mismatch(q->ncols, rel->ncols, -1);
            nlisted = q->ncols;
            for (int i = 0; i < rel->ncols; i++)
                slot[i] = i < nlisted ? i : -1;
        }
        if (q->ncols != nlisted)
            count_mismatch(q->ncols, nlisted, -1);
        Expr **ex = arena_new_array(bc->arena, Expr *, rel->ncols > 0 ? rel->ncols : 1);
        for (int c = 0; c < rel->ncols; c++) {
            if (slot[c] >= 0) {
                /* errors point at the SELECT list item when it is one column (PostgreSQL's
                 * position for "column ... is of type ... but expression is of type ...") */
                int loc = -1;
                if (sel->n_target_list == (size_t)q->ncols &&
                    NODE(sel->target_list[slot[c]], RES_TARGET))
                    loc = sel->target_list[slot[c]]->res_target->location;
                Expr *col = expr_make_column(bc->arena, slot[c], q->cols[slot[c]].type, loc);
                ex[c] = assign_coerce(bc, col, &rel->cols[c]);
            } else
                ex[c] = bind_default(bc, &rel->cols[c], s->relation->location);
        }
        child = bind_make_project(bc, q, rel->ncols, ex, NULL);
    }
    child->ncols = rel->ncols;
    child->cols = arena_new_array(bc->arena, PlanColumn, rel->ncols > 0 ? rel->ncols : 1);
    for (int c = 0; c < rel->ncols; c++) {
        child->cols[c].name = rel->cols[c].name;
        child->cols[c].type = rel->cols[c].type;
    }
    PlanNode *ins = plan_make(bc->arena, PLAN_INSERT);
    ins->left = child;
    ins->target = rel;
    ins->rel = rel;
    ins->ntarget_cols = rel->ncols;
    ins->target_cols = arena_new_array(bc->arena, int, rel->ncols > 0 ? rel->ncols : 1);
    for (int c = 0; c < rel->ncols; c++)
        ins->target_cols[c] = c;
    ins->cols = arena_new_array(bc->arena, PlanColumn, 1);
    if (s->on_conflict_clause)
        bind_on_conflict(bc, parent, ins, rel, qual, s->on_conflict_clause);
    bind_returning(bc, parent, ins, rel, qual, s->returning_list, (int)s->n_returning_list);
    return ins;
}

/* ---------------------------------------------------------------- UPDATE / DELETE */

/* The target scan with its rowkey, joined with extra FROM items, filtered by WHERE. */
static PlanNode *modify_source(BindContext *bc, BindLevel *lv, const Relation *rel,
                               const char *qual, PgQuery__Node **from, int nfrom,
                               PgQuery__Node *where)
{
    PlanNode *scan = plan_make(bc->arena, PLAN_SCAN);
    scan->rel = rel;
    scan->want_rowkey = true;
    scan->nscan_cols = rel->ncols;
    scan->scan_cols = arena_new_array(bc->arena, int, rel->ncols > 0 ? rel->ncols : 1);
    scan->ncols = rel->ncols + 1;
    scan->cols = arena_new_array(bc->arena, PlanColumn, rel->ncols + 1);
    for (int i = 0; i < rel->ncols; i++) {
        scan->scan_cols[i] = i;
        scan->cols[i] =
            (PlanColumn){rel->cols[i].name, rel->cols[i].type, rel->oid, (int16)(i + 1)};
    }
    scan->cols[rel->ncols] = (PlanColumn){"ctid", type_binary(), 0, 0};
    Scope sc = {0};
    scope_of_target(bc, &sc, rel, qual, 0);
    PlanNode *p = scan;
    if (nfrom > 0) {
        BindLevel *tmp = bind_new_level(bc, lv->parent, LEVEL_SUBQUERY);
        PlanNode *f = bind_from_list(bc, tmp, from, nfrom);
        for (int i = 0; i < tmp->scope.ncols; i++) {
            ScopeCol c = tmp->scope.cols[i];
            c.index += scan->ncols;
            bind_scope_add(bc->arena, &sc, &c);
        }
        PlanNode *j = plan_make(bc->arena, PLAN_JOIN);
        j->left = scan;
        j->right = f;
        j->join_type = JOIN_INNER;
        planner_derive_cols(bc->arena, j);
        p = j;
    }
    lv->scope = sc;
    if (where) {
        lv->place = PLACE_NONE;
        lv->place_name = "WHERE";
        Expr *w = bind_coerce_bool(bc, bind_expr(bc, lv, where), "WHERE");
        PlanNode *f = plan_make(bc->arena, PLAN_FILTER);
        f->left = p;
        f->predicate = w;
        planner_derive_cols(bc->arena, f);
        p = f;
    }
    return p;
}

PlanNode *bind_update(BindContext *bc, BindLevel *parent, PgQuery__UpdateStmt *s)
{
    if (s->with_clause)
        bind_unsupported(s->with_clause->location, "WITH in UPDATE");
    const Relation *rel = lookup_target(bc, s->relation, "update", false);
    const char *qual = s->relation->alias ? s->relation->alias->aliasname : rel->name;
    BindLevel *lv = bind_new_level(bc, parent, LEVEL_SUBQUERY);
    PlanNode *child =
        modify_source(bc, lv, rel, qual, s->from_clause, (int)s->n_from_clause, s->where_clause);
    lv->place = PLACE_NONE;
    lv->place_name = "UPDATE";
    int n = (int)s->n_target_list;
    PlanNode *up = plan_make(bc->arena, PLAN_UPDATE);
    up->left = child;
    up->target = rel;
    up->rel = rel;
    up->nset = n;
    up->set_cols = arena_new_array(bc->arena, int, n > 0 ? n : 1);
    up->set_exprs = arena_new_array(bc->arena, Expr *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        PgQuery__ResTarget *rt = s->target_list[i]->res_target;
        if (rt->n_indirection)
            bind_unsupported(rt->location, "assignment to a subfield or element");
        int c = find_target_col(rel, rt->name, rt->location);
        for (int k = 0; k < i; k++)
            if (up->set_cols[k] == c)
                ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                        errmsg("multiple assignments to same column \"%s\"", rt->name),
                        errposition(rt->location + 1));
        PgQuery__Node *v = rt->val;
        if (NODE(v, MULTI_ASSIGN_REF)) {
            PgQuery__MultiAssignRef *ma = v->multi_assign_ref;
            if (!NODE(ma->source, ROW_EXPR) || ma->colno < 1 ||
                ma->colno > (int)ma->source->row_expr->n_args)
                bind_unsupported(rt->location, "this multiple-column assignment");
            v = ma->source->row_expr->args[ma->colno - 1];
        }
        up->set_cols[i] = c;
        up->set_exprs[i] = insert_value(bc, lv, v, &rel->cols[c]);
    }
    up->cols = arena_new_array(bc->arena, PlanColumn, 1);
    bind_returning(bc, parent, up, rel, qual, s->returning_list, (int)s->n_returning_list);
    return up;
}

PlanNode *bind_delete(BindContext *bc, BindLevel *parent, PgQuery__DeleteStmt *s)
{
    if (s->with_clause)
        bind_unsupported(s->with_clause->location, "WITH in DELETE");
    const Relation *rel = lookup_target(bc, s->relation, "delete from", false);
    const char *qual = s->relation->alias ? s->relation->alias->aliasname : rel->name;
    BindLevel *lv = bind_new_level(bc, parent, LEVEL_SUBQUERY);
    PlanNode *child =
        modify_source(bc, lv, rel, qual, s->using_clause, (int)s->n_using_clause, s->where_clause);
    PlanNode *del = plan_make(bc->arena, PLAN_DELETE);
    del->left = child;
    del->target = rel;
    del->rel = rel;
    del->cols = arena_new_array(bc->arena, PlanColumn, 1);
    bind_returning(bc, parent, del, rel, qual, s->returning_list, (int)s->n_returning_list);
    return del;
}
