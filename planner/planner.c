/*
 * planner.c: post-binding work on logical plans.
 *
 * planner_derive_cols() gives pass-through nodes their output columns
 * (filter, sort, limit, distinct keep the child's; a join concatenates;
 * an aggregate outputs its groups then its aggregates; a window appends).
 *
 * planner_optimize() makes two rewrites, bottom-up, over the plan and the
 * plans of subqueries inside expressions:
 *   - filter push-down: the conjuncts of a Filter directly above a join
 *     that reference only one side move below the join (for outer joins
 *     only to the side whose rows are preserved), and conjuncts over both
 *     sides of an inner join join its condition — so `FROM a, b WHERE
 *     a.x = b.y` becomes a hash join.  Conjuncts with subqueries or
 *     volatile functions stay where they are;
 *   - equi-join keys: conjuncts `l = r` of a join condition where l uses
 *     only left columns and r only right columns (of one type) become
 *     left_keys/right_keys; the rest is the residual.  `predicate` keeps the
 *     whole condition.
 * Both are O(size of the plan); expressions are copied, never modified in
 * place (subtrees may be shared).
 */
#include "planner/bind_int.h"

#include <string.h>

void planner_derive_cols(Arena *a, PlanNode *p)
{
    const PlanNode *l = p->left, *r = p->right;
    switch (p->kind) {
    case PLAN_FILTER:
    case PLAN_SORT:
    case PLAN_LIMIT:
    case PLAN_DISTINCT:
    case PLAN_SETOP:
        p->ncols = l->ncols;
        p->cols = l->cols;
        break;
    case PLAN_JOIN: {
        bool semi = p->join_type == JOIN_SEMI || p->join_type == JOIN_ANTI;
        p->ncols = l->ncols + (semi ? 0 : r->ncols);
        p->cols = arena_new_array(a, PlanColumn, p->ncols > 0 ? p->ncols : 1);
        memcpy(p->cols, l->cols, sizeof(PlanColumn) * (size_t)l->ncols);
        if (!semi)
            memcpy(p->cols + l->ncols, r->cols, sizeof(PlanColumn) * (size_t)r->ncols);
        break;
    }
    case PLAN_AGGREGATE: {
        /* SESSION windows: window_start, window_end between the groups and the aggregates */
        int nw = p->gwindow.kind == GW_SESSION ? 2 : 0;
        p->ncols = p->ngroups + nw + p->naggs;
        p->cols = arena_new_array(a, PlanColumn, p->ncols > 0 ? p->ncols : 1);
        for (int i = 0; i < nw; i++) {
            p->cols[p->ngroups + i].name = i == 0 ? "window_start" : "window_end";
            p->cols[p->ngroups + i].type = p->gwindow.time->type;
        }
        for (int i = 0; i < p->ngroups; i++) {
            const Expr *g = p->groups[i];
            p->cols[i].name = g->name ? g->name : "?column?";
            p->cols[i].type = g->type;
            if (g->kind == EXPR_COLUMN && g->index < l->ncols) {
                p->cols[i].table_oid = l->cols[g->index].table_oid;
                p->cols[i].attnum = l->cols[g->index].attnum;
            }
        }
        for (int i = 0; i < p->naggs; i++) {
            p->cols[p->ngroups + nw + i].name = p->aggs[i].name;
            p->cols[p->ngroups + nw + i].type = p->aggs[i].type;
        }
        break;
    }
    case PLAN_WINDOW_ASSIGN:
        p->ncols = l->ncols + 2;
        p->cols = arena_new_array(a, PlanColumn, p->ncols);
        memcpy(p->cols, l->cols, sizeof(PlanColumn) * (size_t)l->ncols);
        p->cols[l->ncols].name = "window_start";
        p->cols[l->ncols].type = p->gwindow.time->type;
        p->cols[l->ncols + 1].name = "window_end";
        p->cols[l->ncols + 1].type = p->gwindow.time->type;
        break;
    case PLAN_WINDOW:
        p->ncols = l->ncols + p->nwindows;
        p->cols = arena_new_array(a, PlanColumn, p->ncols > 0 ? p->ncols : 1);
        memcpy(p->cols, l->cols, sizeof(PlanColumn) * (size_t)l->ncols);
        for (int i = 0; i < p->nwindows; i++) {
            p->cols[l->ncols + i].name = p->windows[i].name;
            p->cols[l->ncols + i].type = p->windows[i].type;
        }
        break;
    case PLAN_PROJECT_SET:
        p->ncols = l->ncols + p->nsrfs;
        p->cols = arena_new_array(a, PlanColumn, p->ncols > 0 ? p->ncols : 1);
        memcpy(p->cols, l->cols, sizeof(PlanColumn) * (size_t)l->ncols);
        for (int i = 0; i < p->nsrfs; i++) {
            p->cols[l->ncols + i].name = p->srfs[i].name;
            p->cols[l->ncols + i].type = p->srfs[i].type;
        }
        break;
    default:
        elog(ERROR, "planner_derive_cols: unexpected plan node %d", (int)p->kind);
    }
}

/* ---------------------------------------------------------------- expression helpers */

/* Smallest and largest input column referenced (levels_up 0); false if none. */
static bool column_range(const Expr *e, int *lo, int *hi)
{
    bool any = false;
    if (e == NULL)
        return false;
    if (e->kind == EXPR_COLUMN && e->levels_up == 0) {
        if (e->index < *lo)
            *lo = e->index;
        if (e->index > *hi)
            *hi = e->index;
        return true;
    }
    for (int i = 0; i < e->nargs; i++)
        any |= column_range(e->args[i], lo, hi);
    return any;
}

static Expr *shift_columns(Arena *a, const Expr *e, int delta)
{
    if (e->kind == EXPR_COLUMN && e->levels_up == 0) {
        Expr *c = arena_new(a, Expr);
        *c = *e;
        c->index += delta;
        return c;
    }
    if (e->nargs == 0)
        return (Expr *)e;
    Expr *c = arena_new(a, Expr);
    *c = *e;
    c->args = arena_new_array(a, Expr *, e->nargs);
    for (int i = 0; i < e->nargs; i++)
        c->args[i] = shift_columns(a, e->args[i], delta);
    return c;
}

typedef struct ExprList {
    int n, cap;
    Expr **items;
} ExprList;

static void list_add(Arena *a, ExprList *l, Expr *e)
{
    if (l->n == l->cap) {
        int ncap = l->cap ? l->cap * 2 : 8;
        l->items = arena_realloc(a, l->items, sizeof(Expr *) * (size_t)l->cap,
                                 sizeof(Expr *) * (size_t)ncap);
        l->cap = ncap;
    }
    l->items[l->n++] = e;
}

static void split_and(Arena *a, Expr *e, ExprList *out)
{
    if (e == NULL)
        return;
    if (e->kind == EXPR_AND) {
        for (int i = 0; i < e->nargs; i++)
            split_and(a, e->args[i], out);
        return;
    }
    list_add(a, out, e);
}

static Expr *make_and(Arena *a, ExprList *l)
{
    if (l->n == 0)
        return NULL;
    if (l->n == 1)
        return l->items[0];
    Expr *e = expr_make(a, EXPR_AND, type_bool(), l->items[0]->location);
    e->nargs = l->n;
    e->args = l->items;
    return e;
}

static Expr *and2(Arena *a, Expr *x, Expr *y)
{
    ExprList l = {0};
    split_and(a, x, &l);
    split_and(a, y, &l);
    return make_and(a, &l);
}

static PlanNode *wrap_filter(Arena *a, PlanNode *child, Expr *pred)
{
    if (pred == NULL)
        return child;
    if (child->kind == PLAN_FILTER) {
        child->predicate = and2(a, child->predicate, pred);
        return child;
    }
    PlanNode *f = plan_make(a, PLAN_FILTER);
    f->left = child;
    f->predicate = pred;
    planner_derive_cols(a, f);
    return f;
}

static PlanNode *optimize(Arena *a, PlanNode *p);

static void optimize_expr(Arena *a, Expr *e)
{
    if (e == NULL)
        return;
    if (e->kind == EXPR_SUBQUERY && e->subplan)
        e->subplan = optimize(a, e->subplan);
    for (int i = 0; i < e->nargs; i++)
        optimize_expr(a, e->args[i]);
}

static void optimize_exprs(Arena *a, int n, Expr **v)
{
    for (int i = 0; i < n; i++)
        optimize_expr(a, v[i]);
}

/* ---------------------------------------------------------------- joins */

static void extract_keys(Arena *a, PlanNode *j)
{
    j->nkeys = 0;
    j->residual = NULL;
    if (j->predicate == NULL)
        return;
    int nl = j->left->ncols;
    ExprList conj = {0}, rest = {0};
    split_and(a, j->predicate, &conj);
    j->left_keys = arena_new_array(a, Expr *, conj.n);
    j->right_keys = arena_new_array(a, Expr *, conj.n);
    for (int i = 0; i < conj.n; i++) {
        Expr *c = conj.items[i];
        bool key = false;
        if (c->kind == EXPR_FUNC && c->nargs == 2 && c->func && (c->func->flags & FN_OPERATOR) &&
            strcmp(c->func->name, "=") == 0 && type_equal(c->args[0]->type, c->args[1]->type) &&
            !bind_expr_has_subquery(c)) {
            int lo0 = 1 << 30, hi0 = -1, lo1 = 1 << 30, hi1 = -1;
            bool r0 = column_range(c->args[0], &lo0, &hi0);
            bool r1 = column_range(c->args[1], &lo1, &hi1);
            if (r0 && r1) {
                Expr *lk = NULL, *rk = NULL;
                if (hi0 < nl && lo1 >= nl) {
                    lk = c->args[0];
                    rk = c->args[1];
                } else if (hi1 < nl && lo0 >= nl) {
                    lk = c->args[1];
                    rk = c->args[0];
                }
                if (lk) {
                    j->left_keys[j->nkeys] = lk;
                    j->right_keys[j->nkeys] = shift_columns(a, rk, -nl);
                    j->nkeys++;
                    key = true;
                }
            }
        }
        if (!key)
            list_add(a, &rest, c);
    }
    j->residual = make_and(a, &rest);
}

/* Moves conjuncts of filter f (whose child is join j) below or into the join. */
static PlanNode *push_filter_into_join(Arena *a, PlanNode *f, PlanNode *j)
{
    int nl = j->left->ncols;
    ExprList conj = {0}, keep = {0}, to_left = {0}, to_right = {0}, to_join = {0};
    split_and(a, f->predicate, &conj);
    bool left_ok = j->join_type == JOIN_INNER || j->join_type == JOIN_LEFT ||
                   j->join_type == JOIN_SEMI || j->join_type == JOIN_ANTI;
    bool right_ok = j->join_type == JOIN_INNER || j->join_type == JOIN_RIGHT;
    for (int i = 0; i < conj.n; i++) {
        Expr *c = conj.items[i];
        int lo = 1 << 30, hi = -1;
        if (bind_expr_has_subquery(c) || !column_range(c, &lo, &hi)) {
            list_add(a, &keep, c);
            continue;
        }
        if (hi < nl && left_ok)
            list_add(a, &to_left, c);
        else if (lo >= nl && right_ok)
            list_add(a, &to_right, shift_columns(a, c, -nl));
        else if (j->join_type == JOIN_INNER && hi < j->ncols)
            list_add(a, &to_join, c);
        else
            list_add(a, &keep, c);
    }
    if (to_left.n == 0 && to_right.n == 0 && to_join.n == 0)
        return f;
    if (to_left.n)
        j->left = optimize(a, wrap_filter(a, j->left, make_and(a, &to_left)));
    if (to_right.n)
        j->right = optimize(a, wrap_filter(a, j->right, make_and(a, &to_right)));
    if (to_join.n)
        j->predicate = and2(a, j->predicate, make_and(a, &to_join));
    extract_keys(a, j);
    if (keep.n == 0)
        return j;
    f->predicate = make_and(a, &keep);
    return f;
}

/* ---------------------------------------------------------------- subqueries to joins */

/* Any reference to an outer level or any subquery (conservative "not self-contained"). */
static bool expr_escapes(const Expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == EXPR_OUTER || e->kind == EXPR_SUBQUERY)
        return true;
    for (int i = 0; i < e->nargs; i++)
        if (expr_escapes(e->args[i]))
            return true;
    return false;
}

static bool exprs_escape(int n, Expr *const *v)
{
    for (int i = 0; i < n; i++)
        if (expr_escapes(v[i]))
            return true;
    return false;
}

static bool sortkeys_escape(int n, const SortKey *k)
{
    for (int i = 0; i < n; i++)
        if (expr_escapes(k[i].expr))
            return true;
    return false;
}

static bool agg_escapes(const AggCall *c)
{
    return exprs_escape(c->nargs, c->args) || expr_escapes(c->filter) ||
           sortkeys_escape(c->norder, c->order);
}

/* The plan references nothing outside itself (no outer columns, no subqueries). */
static bool plan_self_contained(const PlanNode *p)
{
    if (p == NULL)
        return true;
    if (expr_escapes(p->predicate) || exprs_escape(p->nexprs, p->exprs) ||
        exprs_escape(p->ngroups, p->groups) || sortkeys_escape(p->nsort, p->sort) ||
        exprs_escape(p->nfunc_args, p->func_args) || expr_escapes(p->limit) ||
        expr_escapes(p->offset))
        return false;
    for (int i = 0; i < p->naggs; i++)
        if (agg_escapes(&p->aggs[i]))
            return false;
    for (int i = 0; i < p->nwindows; i++) {
        const WindowCall *w = &p->windows[i];
        if (exprs_escape(w->npartition, w->partition) || sortkeys_escape(w->norder, w->order) ||
            (w->kind == WIN_AGG && agg_escapes(&w->agg)))
            return false;
    }
    if (p->kind == PLAN_VALUES)
        for (int r = 0; r < p->nrows; r++)
            if (exprs_escape(p->ncols, p->rows[r]))
                return false;
    return plan_self_contained(p->left) && plan_self_contained(p->right);
}

/* Only EXPR_OUTER of levels_up 1, no subqueries. */
static bool only_first_level_outer(const Expr *e)
{
    if (e->kind == EXPR_SUBQUERY)
        return false;
    if (e->kind == EXPR_OUTER && e->levels_up != 1)
        return false;
    for (int i = 0; i < e->nargs; i++)
        if (!only_first_level_outer(e->args[i]))
            return false;
    return true;
}

static bool has_outer(const Expr *e)
{
    if (e->kind == EXPR_OUTER)
        return true;
    for (int i = 0; i < e->nargs; i++)
        if (has_outer(e->args[i]))
            return true;
    return false;
}

/* A correlated condition as a join condition: outer columns become left columns, the
 * subquery's columns move past the left's nl columns. */
static Expr *to_join_cond(Arena *a, const Expr *e, int nl)
{
    Expr *c = arena_new(a, Expr);
    *c = *e;
    if (e->kind == EXPR_OUTER) {
        c->kind = EXPR_COLUMN;
        c->levels_up = 0;
        return c;
    }
    if (e->kind == EXPR_COLUMN && e->levels_up == 0) {
        c->index += nl;
        return c;
    }
    if (e->nargs) {
        c->args = arena_new_array(a, Expr *, e->nargs);
        for (int i = 0; i < e->nargs; i++)
            c->args[i] = to_join_cond(a, e->args[i], nl);
    }
    return c;
}

static PlanNode *make_semi(Arena *a, PlanNode *left, PlanNode *right, JoinType jt, Expr *cond)
{
    PlanNode *j = plan_make(a, PLAN_JOIN);
    j->left = left;
    j->right = right;
    j->join_type = jt;
    j->predicate = cond;
    planner_derive_cols(a, j);
    extract_keys(a, j);
    return j;
}

/*
 * WHERE [NOT] EXISTS (SELECT ... WHERE inner = outer ...) and WHERE x IN (uncorrelated SELECT)
 * become semi/anti joins, so the subquery runs once instead of once per row.  Only simple
 * shapes are rewritten: the correlation must sit in the subquery's top-level WHERE and
 * reference the immediately enclosing query only; everything else stays a subquery.
 * Returns the new input for the filter, or NULL when c is not rewritable.
 */
static PlanNode *subquery_to_join(Arena *a, PlanNode *left, Expr *c)
{
    bool negated = false;
    Expr *e = c;
    if (e->kind == EXPR_NOT && e->args[0]->kind == EXPR_SUBQUERY) {
        negated = true;
        e = e->args[0];
    }
    if (e->kind != EXPR_SUBQUERY || e->subplan == NULL)
        return NULL;
    int nl = left->ncols;
    if (e->subquery_kind == SUBQ_EXISTS) {
        PlanNode *sub = e->subplan;
        while (sub->kind == PLAN_PROJECT)
            sub = sub->left; /* EXISTS ignores the select list */
        if (sub->kind != PLAN_FILTER)
            return NULL;
        ExprList conj = {0}, corr = {0}, local = {0};
        split_and(a, sub->predicate, &conj);
        for (int i = 0; i < conj.n; i++) {
            Expr *x = conj.items[i];
            if (has_outer(x)) {
                if (!only_first_level_outer(x))
                    return NULL;
                list_add(a, &corr, to_join_cond(a, x, nl));
            } else {
                if (expr_escapes(x))
                    return NULL;
                list_add(a, &local, x);
            }
        }
        if (corr.n == 0 || !plan_self_contained(sub->left))
            return NULL;
        PlanNode *right = wrap_filter(a, sub->left, make_and(a, &local));
        return make_semi(a, left, right, negated ? JOIN_ANTI : JOIN_SEMI, make_and(a, &corr));
    }
    if (e->subquery_kind == SUBQ_ANY && !negated && !e->correlated && e->compare && e->nargs == 1 &&
        !expr_escapes(e->args[0]) && plan_self_contained(e->subplan) && e->subplan->ncols == 1) {
        Expr *cmp = expr_make(a, EXPR_FUNC, type_bool(), e->location);
        cmp->func = e->compare;
        cmp->nargs = 2;
        cmp->args = arena_new_array(a, Expr *, 2);
        cmp->args[0] = e->args[0];
        cmp->args[1] = expr_make_column(a, nl, e->subplan->cols[0].type, e->location);
        return make_semi(a, left, e->subplan, JOIN_SEMI, cmp);
    }
    return NULL;
}

/* Rewrites the filter's subquery conjuncts into joins below it; returns the filter (or its
 * input when no conjunct is left). */
static PlanNode *filter_subqueries(Arena *a, PlanNode *f)
{
    ExprList conj = {0}, keep = {0};
    split_and(a, f->predicate, &conj);
    PlanNode *input = f->left;
    bool changed = false;
    for (int i = 0; i < conj.n; i++) {
        PlanNode *j = subquery_to_join(a, input, conj.items[i]);
        if (j) {
            input = j;
            changed = true;
        } else
            list_add(a, &keep, conj.items[i]);
    }
    if (!changed)
        return f;
    if (keep.n == 0)
        return input;
    f->left = input;
    f->predicate = make_and(a, &keep);
    return f;
}

/* ---------------------------------------------------------------- primary-key lookups */

/* Whether e can be computed once before a scan: no column of the scan, no subquery, nothing
 * volatile (whose value PostgreSQL would compute per row). */
static bool known_before_scan(const Expr *e)
{
    if (e == NULL)
        return true;
    if (e->kind == EXPR_COLUMN && e->levels_up == 0)
        return false;
    if (e->kind == EXPR_SUBQUERY)
        return false;
    if (e->kind == EXPR_FUNC && e->func && (e->func->flags & FN_VOLATILE))
        return false;
    for (int i = 0; i < e->nargs; i++)
        if (!known_before_scan(e->args[i]))
            return false;
    return true;
}

/* The value a conjunct `column = value` fixes for scan output column pos, or NULL. */
static Expr *equality_value(Expr *c, int pos, const LmType *col_type)
{
    if (c->kind != EXPR_FUNC || c->nargs != 2 || c->func == NULL ||
        !(c->func->flags & FN_OPERATOR) || strcmp(c->func->name, "=") != 0)
        return NULL;
    for (int side = 0; side < 2; side++) {
        Expr *col = c->args[side], *val = c->args[1 - side];
        if (col->kind == EXPR_COLUMN && col->levels_up == 0 && col->index == pos &&
            type_equal(col->type, col_type) && type_equal(val->type, col_type) &&
            known_before_scan(val))
            return val;
    }
    return NULL;
}

static void find_pk_lookup(Arena *a, PlanNode *f)
{
    PlanNode *s = f->left;
    if (s == NULL || s->kind != PLAN_SCAN || s->rel == NULL || s->rel->kind != REL_PLAIN ||
        s->rel->npk == 0 || s->npk_lookup > 0)
        return;
    ExprList conj = {0};
    split_and(a, f->predicate, &conj);
    Expr **keys = arena_new_array(a, Expr *, s->rel->npk);
    for (int k = 0; k < s->rel->npk; k++) {
        int col = s->rel->pk[k], pos = -1;
        for (int i = 0; i < s->nscan_cols && pos < 0; i++)
            if (s->scan_cols[i] == col)
                pos = i;
        if (pos < 0)
            return;
        keys[k] = NULL;
        for (int i = 0; i < conj.n && keys[k] == NULL; i++)
            keys[k] = equality_value(conj.items[i], pos, s->rel->cols[col].type);
        if (keys[k] == NULL)
            return;
    }
    s->npk_lookup = s->rel->npk;
    s->pk_lookup = keys;
}

static PlanNode *optimize(Arena *a, PlanNode *p)
{
    if (p == NULL)
        return NULL;
    p->left = optimize(a, p->left);
    p->right = optimize(a, p->right);
    /* subqueries inside this node's expressions */
    optimize_expr(a, p->predicate);
    optimize_exprs(a, p->nexprs, p->exprs);
    optimize_exprs(a, p->ngroups, p->groups);
    for (int i = 0; i < p->naggs; i++) {
        optimize_exprs(a, p->aggs[i].nargs, p->aggs[i].args);
        optimize_expr(a, p->aggs[i].filter);
    }
    for (int i = 0; i < p->nsort; i++)
        optimize_expr(a, p->sort[i].expr);
    for (int r = 0; r < p->nrows; r++)
        optimize_exprs(a, p->ncols, p->rows[r]);
    optimize_exprs(a, p->nset, p->set_exprs);
    optimize_exprs(a, p->nreturning, p->returning);
    optimize_exprs(a, p->nconflict_set, p->conflict_set_exprs);
    optimize_expr(a, p->conflict_where);
    switch (p->kind) {
    case PLAN_FILTER:
        p = filter_subqueries(a, p);
        if (p->kind != PLAN_FILTER)
            return p;
        if (p->left->kind == PLAN_JOIN)
            return push_filter_into_join(a, p, p->left);
        if (p->left->kind == PLAN_FILTER) {
            p->left->predicate = and2(a, p->left->predicate, p->predicate);
            return p->left;
        }
        return p;
    case PLAN_JOIN:
        extract_keys(a, p);
        return p;
    default:
        return p;
    }
}

/*
 * Primary-key lookups are chosen after every other rewrite: a correlated subquery's filter
 * (p.id = outer a.seller) may be decorrelated into a join condition, after which its scan has
 * no outer row to take the key from.
 */
static void pk_pass(Arena *a, PlanNode *p);

static void pk_pass_expr(Arena *a, Expr *e)
{
    if (e == NULL)
        return;
    if (e->kind == EXPR_SUBQUERY && e->subplan)
        pk_pass(a, e->subplan);
    for (int i = 0; i < e->nargs; i++)
        pk_pass_expr(a, e->args[i]);
}

static void pk_pass_exprs(Arena *a, int n, Expr **v)
{
    for (int i = 0; i < n; i++)
        pk_pass_expr(a, v[i]);
}

static void pk_pass(Arena *a, PlanNode *p)
{
    if (p == NULL)
        return;
    pk_pass(a, p->left);
    pk_pass(a, p->right);
    pk_pass_expr(a, p->predicate);
    pk_pass_exprs(a, p->nexprs, p->exprs);
    pk_pass_exprs(a, p->ngroups, p->groups);
    for (int i = 0; i < p->naggs; i++) {
        pk_pass_exprs(a, p->aggs[i].nargs, p->aggs[i].args);
        pk_pass_expr(a, p->aggs[i].filter);
    }
    for (int i = 0; i < p->nsort; i++)
        pk_pass_expr(a, p->sort[i].expr);
    for (int r = 0; r < p->nrows; r++)
        pk_pass_exprs(a, p->ncols, p->rows[r]);
    pk_pass_exprs(a, p->nset, p->set_exprs);
    pk_pass_exprs(a, p->nreturning, p->returning);
    pk_pass_exprs(a, p->nconflict_set, p->conflict_set_exprs);
    pk_pass_expr(a, p->conflict_where);
    if (p->kind == PLAN_FILTER)
        find_pk_lookup(a, p);
}

PlanNode *planner_optimize(Arena *a, PlanNode *plan)
{
    PlanNode *p = optimize(a, plan);
    pk_pass(a, p);
    return p;
}
