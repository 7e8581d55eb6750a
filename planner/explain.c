/*
 * explain.c: EXPLAIN — a logical plan printed as PostgreSQL prints plans,
 * without costs:
 *
 *     Hash Join
 *       Hash Cond: (id = user_id)
 *       ->  Seq Scan on users
 *       ->  Hash
 *             ->  Seq Scan on orders
 *                   Filter: (amount > 10)
 *
 * A node's properties are indented two spaces past its name; its children
 * are "->  " lines at that same indent.  Filters and projections are not
 * nodes of their own in PostgreSQL's output: a filter shows as "Filter:"
 * of the node below it, a projection not at all.  Subqueries inside
 * expressions print as "SubPlan n" after the node's children.  Expressions
 * are deparsed with the input's column names.
 */
#include "planner/bind_int.h"

#include <stdio.h>
#include <string.h>

typedef struct ExplainState {
    StrBuf *out;
    int nsubplans;
    /* subplans met while deparsing the current node's expressions */
    int npending;
    const PlanNode *pending[64];
    int pending_no[64];
} ExplainState;

static __thread ExplainState *cur_state; /* set during plan_explain (deparse records subplans) */

static void deparse(const Expr *e, int ncols, const PlanColumn *cols, StrBuf *out);

/* A window length as PostgreSQL prints an interval ("01:00:00", "1 day"). */
static void window_len(StrBuf *out, const char *label, int64 us)
{
    Vector v;
    Interval iv = {.micros = us % USECS_PER_DAY, .days = (int32)(us / USECS_PER_DAY)};
    v.type = type_interval();
    v.data = &iv;
    v.validity = NULL;
    v.capacity = 1;
    strbuf_printf(out, "%s%s ", label[0] ? ", " : "", label);
    value_format_text(&v, 0, out);
}


static void deparse_args(const Expr *e, int from, int ncols, const PlanColumn *cols, StrBuf *out)
{
    for (int i = from; i < e->nargs; i++) {
        if (i > from)
            strbuf_append_str(out, ", ");
        deparse(e->args[i], ncols, cols, out);
    }
}

static void deparse_const(const Expr *e, StrBuf *out)
{
    if (e->value == NULL) {
        strbuf_append_str(out, "?");
        return;
    }
    if (!vector_is_valid(e->value, 0)) {
        strbuf_append_str(out, "NULL");
        return;
    }
    StrBuf v;
    strbuf_init(&v, NULL);
    value_format_text(e->value, 0, &v);
    strbuf_append_char(&v, '\0');
    if (type_is_numeric(e->type) && e->type->id != TYPE_DECIMAL)
        strbuf_append_str(out, v.data);
    else if (e->type->id == TYPE_BOOL)
        strbuf_append_str(out, v.data[0] == 't' ? "true" : "false");
    else {
        strbuf_append_sql_literal(out, v.data);
        strbuf_append_str(out, "::");
        type_pg_format(e->type, out);
    }
    strbuf_free(&v);
}

static int note_subplan(const PlanNode *p)
{
    ExplainState *st = cur_state;
    if (st == NULL)
        return 0;
    int no = ++st->nsubplans;
    if (st->npending < (int)LM_ARRAY_LEN(st->pending)) {
        st->pending[st->npending] = p;
        st->pending_no[st->npending++] = no;
    }
    return no;
}

static void deparse(const Expr *e, int ncols, const PlanColumn *cols, StrBuf *out)
{
    if (e == NULL) {
        strbuf_append_str(out, "NULL");
        return;
    }
    switch (e->kind) {
    case EXPR_CONST:
        deparse_const(e, out);
        return;
    case EXPR_COLUMN:
        if (cols && e->index >= 0 && e->index < ncols && cols[e->index].name)
            strbuf_append_str(out, cols[e->index].name);
        else
            strbuf_printf(out, "$%d", e->index);
        return;
    case EXPR_OUTER:
        strbuf_printf(out, "%s", e->name ? e->name : "outer");
        return;
    case EXPR_PARAM:
        strbuf_printf(out, "$%d", e->param_index + 1);
        return;
    case EXPR_FUNC:
        if (e->func && (e->func->flags & FN_OPERATOR) && e->nargs == 2) {
            strbuf_append_char(out, '(');
            deparse(e->args[0], ncols, cols, out);
            strbuf_printf(out, " %s ", e->func->name);
            deparse(e->args[1], ncols, cols, out);
            strbuf_append_char(out, ')');
        } else if (e->func && (e->func->flags & FN_OPERATOR) && e->nargs == 1) {
            strbuf_printf(out, "(%s ", e->func->name);
            deparse(e->args[0], ncols, cols, out);
            strbuf_append_char(out, ')');
        } else {
            strbuf_printf(out, "%s(", e->func ? e->func->name : "?");
            deparse_args(e, 0, ncols, cols, out);
            strbuf_append_char(out, ')');
        }
        return;
    case EXPR_CAST:
        strbuf_append_char(out, '(');
        deparse(e->args[0], ncols, cols, out);
        strbuf_append_str(out, ")::");
        type_pg_format(e->type, out);
        return;
    case EXPR_AND:
    case EXPR_OR:
        strbuf_append_char(out, '(');
        for (int i = 0; i < e->nargs; i++) {
            if (i)
                strbuf_append_str(out, e->kind == EXPR_AND ? " AND " : " OR ");
            deparse(e->args[i], ncols, cols, out);
        }
        strbuf_append_char(out, ')');
        return;
    case EXPR_NOT:
        strbuf_append_str(out, "(NOT ");
        deparse(e->args[0], ncols, cols, out);
        strbuf_append_char(out, ')');
        return;
    case EXPR_IS_NULL:
    case EXPR_IS_NOT_NULL:
        strbuf_append_char(out, '(');
        deparse(e->args[0], ncols, cols, out);
        strbuf_append_str(out, e->kind == EXPR_IS_NULL ? " IS NULL)" : " IS NOT NULL)");
        return;
    case EXPR_CASE: {
        strbuf_append_str(out, "CASE");
        int pairs = (e->nargs - (e->has_else ? 1 : 0)) / 2;
        for (int i = 0; i < pairs; i++) {
            strbuf_append_str(out, " WHEN ");
            deparse(e->args[2 * i], ncols, cols, out);
            strbuf_append_str(out, " THEN ");
            deparse(e->args[2 * i + 1], ncols, cols, out);
        }
        if (e->has_else) {
            strbuf_append_str(out, " ELSE ");
            deparse(e->args[e->nargs - 1], ncols, cols, out);
        }
        strbuf_append_str(out, " END");
        return;
    }
    case EXPR_COALESCE:
        strbuf_append_str(out, "COALESCE(");
        deparse_args(e, 0, ncols, cols, out);
        strbuf_append_char(out, ')');
        return;
    case EXPR_IN_LIST:
        strbuf_append_char(out, '(');
        deparse(e->args[0], ncols, cols, out);
        strbuf_append_str(out, e->negated ? " NOT IN (" : " IN (");
        deparse_args(e, 1, ncols, cols, out);
        strbuf_append_str(out, "))");
        return;
    case EXPR_SUBQUERY: {
        int no = note_subplan(e->subplan);
        switch (e->subquery_kind) {
        case SUBQ_EXISTS:
            strbuf_printf(out, "(EXISTS (SubPlan %d))", no);
            return;
        case SUBQ_ANY:
        case SUBQ_ALL:
            strbuf_append_char(out, '(');
            deparse(e->args[0], ncols, cols, out);
            strbuf_printf(out, " %s %s (SubPlan %d))", e->compare ? e->compare->name : "=",
                          e->subquery_kind == SUBQ_ANY ? "ANY" : "ALL", no);
            return;
        case SUBQ_ARRAY:
            strbuf_printf(out, "(ARRAY(SubPlan %d))", no);
            return;
        default:
            strbuf_printf(out, "(SubPlan %d)", no);
            return;
        }
    }
    case EXPR_ROW:
        strbuf_append_str(out, "ROW(");
        deparse_args(e, 0, ncols, cols, out);
        strbuf_append_char(out, ')');
        return;
    case EXPR_ARRAY:
        strbuf_append_str(out, "ARRAY[");
        deparse_args(e, 0, ncols, cols, out);
        strbuf_append_char(out, ']');
        return;
    case EXPR_SUBSCRIPT:
        deparse(e->args[0], ncols, cols, out);
        strbuf_append_char(out, '[');
        deparse(e->args[1], ncols, cols, out);
        strbuf_append_char(out, ']');
        return;
    case EXPR_FIELD:
        strbuf_append_char(out, '(');
        deparse(e->args[0], ncols, cols, out);
        strbuf_printf(out, ").%s", e->name ? e->name : "?");
        return;
    case EXPR_SCALAR_ARRAY_OP:
        strbuf_append_char(out, '(');
        deparse(e->args[0], ncols, cols, out);
        strbuf_printf(out, " %s %s (", e->compare ? e->compare->name : "=",
                      e->subquery_kind == SUBQ_ALL ? "ALL" : "ANY");
        deparse(e->args[1], ncols, cols, out);
        strbuf_append_str(out, "))");
        return;
    default:
        strbuf_printf(out, "<expr %d>", (int)e->kind);
        return;
    }
}

void explain_expr(const Expr *e, int ncols, const PlanColumn *cols, StrBuf *out)
{
    deparse(e, ncols, cols, out);
}

/* ---------------------------------------------------------------- nodes */

typedef struct Props {
    int n;
    const char *lines[8];
} Props;

static void line(ExplainState *st, int indent, const char *prefix, const char *text)
{
    for (int i = 0; i < indent; i++)
        strbuf_append_char(st->out, ' ');
    strbuf_append_str(st->out, prefix);
    strbuf_append_str(st->out, text);
    strbuf_append_char(st->out, '\n');
}

static const char *expr_text(const Expr *e, int ncols, const PlanColumn *cols)
{
    StrBuf sb;
    strbuf_init(&sb, NULL);
    deparse(e, ncols, cols, &sb);
    strbuf_append_char(&sb, '\0');
    return sb.data; /* freed by the caller's flush_props */
}

static void add_prop(Props *pr, const char *label, const char *text)
{
    if (pr->n >= (int)LM_ARRAY_LEN(pr->lines))
        return;
    size_t n = strlen(label) + strlen(text) + 1;
    char *s = lm_malloc(n);
    snprintf(s, n, "%s%s", label, text);
    pr->lines[pr->n++] = s;
}

static void add_expr_prop(Props *pr, const char *label, const Expr *e, int ncols,
                          const PlanColumn *cols)
{
    char *t = (char *)expr_text(e, ncols, cols);
    add_prop(pr, label, t);
    lm_free(t);
}

static void node(ExplainState *st, const PlanNode *p, int indent, bool arrow, Props *extra,
                 int pending_from);

static void child(ExplainState *st, const PlanNode *p, int indent)
{
    node(st, p, indent, true, NULL, -1);
}

static const char *join_name(const PlanNode *p, bool hash)
{
    static const char *hashn[] = {"Hash Join",      "Hash Left Join", "Hash Right Join",
                                  "Hash Full Join", "Hash Semi Join", "Hash Anti Join"};
    static const char *nl[] = {
        "Nested Loop",           "Nested Loop Left Join", "Nested Loop Right Join",
        "Nested Loop Full Join", "Nested Loop Semi Join", "Nested Loop Anti Join"};
    int k = (int)p->join_type;
    if (k < 0 || k > 5)
        k = 0;
    return hash ? hashn[k] : nl[k];
}

static void sort_keys_text(const PlanNode *p, int nkeys, const SortKey *keys, StrBuf *sb)
{
    for (int i = 0; i < nkeys; i++) {
        if (i)
            strbuf_append_str(sb, ", ");
        deparse(keys[i].expr, p->left->ncols, p->left->cols, sb);
        if (keys[i].descending)
            strbuf_append_str(sb, " DESC");
        if (keys[i].nulls_first != keys[i].descending)
            strbuf_append_str(sb, keys[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
    }
}

static void deparse_project(ExplainState *st, const PlanNode *p)
{
    StrBuf scratch;
    strbuf_init(&scratch, NULL);
    for (int i = 0; i < p->nexprs; i++)
        deparse(p->exprs[i], p->left ? p->left->ncols : 0, p->left ? p->left->cols : NULL,
                &scratch);
    strbuf_free(&scratch);
}

/* pending_from: the first pending subplan that belongs to this node (-1: from now on) */
static void node(ExplainState *st, const PlanNode *p, int indent, bool arrow, Props *extra,
                 int pending_from)
{
    Props pr = {0};
    if (extra)
        pr = *extra;
    if (pending_from < 0)
        pending_from = st->npending;
    /* filters and projections fold into the node below */
    if (p->kind == PLAN_FILTER) {
        Props with = pr;
        add_expr_prop(&with, "Filter: ", p->predicate, p->left->ncols, p->left->cols);
        node(st, p->left, indent, arrow, &with, pending_from);
        return;
    }
    if (p->kind == PLAN_PROJECT && p->left && p->left->kind != PLAN_RESULT) {
        deparse_project(st, p);
        node(st, p->left, indent, arrow, &pr, pending_from);
        return;
    }
    int saved_pending = pending_from;
    StrBuf name;
    strbuf_init(&name, NULL);
    switch (p->kind) {
    case PLAN_SCAN:
        if (p->npk_lookup > 0 && p->rel && p->rel->table && p->rel->table->pk_name)
            strbuf_printf(&name, "Index Scan using %s on %s", p->rel->table->pk_name,
                          p->rel->name);
        else if (p->npk_lookup > 0 && p->rel)
            strbuf_printf(&name, "Index Scan using %s_pkey on %s", p->rel->name, p->rel->name);
        else
            strbuf_printf(&name, "Seq Scan on %s", p->rel ? p->rel->name : "?");
        break;
    case PLAN_VALUES:
        strbuf_append_str(&name, "Values Scan on \"*VALUES*\"");
        break;
    case PLAN_FUNCTION_SCAN:
        strbuf_printf(&name, "Function Scan on %s", p->func_name);
        break;
    case PLAN_PROJECT_SET:
        strbuf_append_str(&name, "ProjectSet");
        break;
    case PLAN_PROJECT:
    case PLAN_RESULT:
        strbuf_append_str(&name, "Result");
        break;
    case PLAN_AGGREGATE: {
        strbuf_append_str(&name, p->ngroups ? "HashAggregate" : "Aggregate");
        if (p->ngroups) {
            StrBuf k;
            strbuf_init(&k, NULL);
            for (int i = 0; i < p->ngroups; i++) {
                if (i)
                    strbuf_append_str(&k, ", ");
                deparse(p->groups[i], p->left->ncols, p->left->cols, &k);
            }
            strbuf_append_char(&k, '\0');
            add_prop(&pr, "Group Key: ", k.data);
            strbuf_free(&k);
        }
        if (p->gwindow.kind == GW_SESSION) {
            StrBuf k;
            strbuf_init(&k, NULL);
            strbuf_append_str(&k, "SESSION(");
            deparse(p->gwindow.time, p->left->ncols, p->left->cols, &k);
            window_len(&k, "gap", p->gwindow.gap_us);
            strbuf_append_char(&k, ')');
            strbuf_append_char(&k, '\0');
            add_prop(&pr, "Window: ", k.data);
            strbuf_free(&k);
        }
        break;
    }
    case PLAN_JOIN: {
        bool hash = p->nkeys > 0;
        strbuf_append_str(&name, join_name(p, hash));
        if (hash) {
            StrBuf k;
            strbuf_init(&k, NULL);
            strbuf_append_char(&k, '(');
            for (int i = 0; i < p->nkeys; i++) {
                if (i)
                    strbuf_append_str(&k, " AND ");
                strbuf_append_char(&k, '(');
                deparse(p->left_keys[i], p->left->ncols, p->left->cols, &k);
                strbuf_append_str(&k, " = ");
                deparse(p->right_keys[i], p->right->ncols, p->right->cols, &k);
                strbuf_append_char(&k, ')');
            }
            strbuf_append_char(&k, ')');
            strbuf_append_char(&k, '\0');
            /* PostgreSQL prints one key without the outer parentheses */
            add_prop(&pr, "Hash Cond: ", p->nkeys == 1 ? k.data + 1 : k.data);
            strbuf_free(&k);
            if (p->nkeys == 1) {
                char *s = (char *)pr.lines[pr.n - 1];
                s[strlen(s) - 1] = '\0';
            }
            if (p->residual)
                add_expr_prop(&pr, "Join Filter: ", p->residual, p->ncols, p->cols);
        } else if (p->predicate) {
            PlanColumn *both =
                lm_malloc(sizeof(PlanColumn) * (size_t)(p->left->ncols + p->right->ncols + 1));
            memcpy(both, p->left->cols, sizeof(PlanColumn) * (size_t)p->left->ncols);
            memcpy(both + p->left->ncols, p->right->cols,
                   sizeof(PlanColumn) * (size_t)p->right->ncols);
            add_expr_prop(&pr, "Join Filter: ", p->predicate, p->left->ncols + p->right->ncols,
                          both);
            lm_free(both);
        }
        break;
    }
    case PLAN_SORT: {
        strbuf_append_str(&name, "Sort");
        StrBuf k;
        strbuf_init(&k, NULL);
        sort_keys_text(p, p->nsort, p->sort, &k);
        strbuf_append_char(&k, '\0');
        add_prop(&pr, "Sort Key: ", k.data);
        strbuf_free(&k);
        break;
    }
    case PLAN_LIMIT:
        strbuf_append_str(&name, "Limit");
        break;
    case PLAN_DISTINCT: {
        strbuf_append_str(&name, "HashAggregate");
        StrBuf k;
        strbuf_init(&k, NULL);
        for (int i = 0; i < p->ncols; i++)
            strbuf_printf(&k, "%s%s", i ? ", " : "", p->cols[i].name);
        strbuf_append_char(&k, '\0');
        add_prop(&pr, "Group Key: ", k.data);
        strbuf_free(&k);
        break;
    }
    case PLAN_SETOP:
        if (p->setop == SETOP_UNION)
            strbuf_append_str(&name, p->all ? "Append" : "HashAggregate");
        else
            strbuf_printf(&name, "HashSetOp %s%s",
                          p->setop == SETOP_INTERSECT ? "Intersect" : "Except",
                          p->all ? " All" : "");
        break;
    case PLAN_WINDOW:
        strbuf_append_str(&name, "WindowAgg");
        break;
    case PLAN_WINDOW_ASSIGN: {
        const GroupWindow *gw = &p->gwindow;
        strbuf_append_str(&name, gw->kind == GW_HOP ? "Hop Window" : "Tumble Window");
        StrBuf k;
        strbuf_init(&k, NULL);
        deparse(gw->time, p->left->ncols, p->left->cols, &k);
        if (gw->kind == GW_HOP)
            window_len(&k, "slide", gw->slide_us);
        window_len(&k, "size", gw->size_us);
        if (gw->offset_us)
            window_len(&k, "offset", gw->offset_us);
        strbuf_append_char(&k, '\0');
        add_prop(&pr, "Window: ", k.data);
        strbuf_free(&k);
        break;
    }
    case PLAN_INSERT:
        strbuf_printf(&name, "Insert on %s", p->target ? p->target->name : "?");
        if (p->on_conflict)
            add_prop(&pr, "Conflict Resolution: ", p->on_conflict == 1 ? "NOTHING" : "UPDATE");
        break;
    case PLAN_UPDATE:
        strbuf_printf(&name, "Update on %s", p->target ? p->target->name : "?");
        break;
    case PLAN_DELETE:
        strbuf_printf(&name, "Delete on %s", p->target ? p->target->name : "?");
        break;
    default:
        strbuf_printf(&name, "Node %d", (int)p->kind);
        break;
    }
    /* expressions that may hold subqueries (deparsed for their SubPlan numbers) */
    if (p->kind == PLAN_PROJECT || p->kind == PLAN_RESULT || p->kind == PLAN_PROJECT_SET)
        deparse_project(st, p);
    strbuf_append_char(&name, '\0');
    line(st, indent, arrow ? "->  " : "", name.data);
    strbuf_free(&name);
    int sub = arrow ? indent + 6 : indent + 2;
    for (int i = 0; i < pr.n; i++) {
        line(st, sub, "", pr.lines[i]);
        lm_free((void *)pr.lines[i]);
    }
    /* children */
    if (p->kind == PLAN_SETOP && !(p->setop == SETOP_UNION && p->all)) {
        line(st, sub, "->  ", "Append");
        child(st, p->left, sub + 6);
        child(st, p->right, sub + 6);
    } else if (p->kind == PLAN_JOIN && p->nkeys > 0) {
        child(st, p->left, sub);
        line(st, sub, "->  ", "Hash");
        child(st, p->right, sub + 6);
    } else {
        if (p->left && !(p->kind == PLAN_PROJECT && p->left->kind == PLAN_RESULT))
            child(st, p->left, sub);
        if (p->right)
            child(st, p->right, sub);
    }
    /* subplans found in this node's expressions */
    int end = st->npending;
    for (int i = saved_pending; i < end; i++) {
        char label[32];
        snprintf(label, sizeof label, "SubPlan %d", st->pending_no[i]);
        line(st, sub, "", label);
        child(st, st->pending[i], sub + 2);
    }
    st->npending = saved_pending;
}

void plan_explain(const PlanNode *plan, StrBuf *out)
{
    ExplainState st = {.out = out};
    ExplainState *saved = cur_state;
    cur_state = &st;
    node(&st, plan, 0, false, NULL, -1);
    cur_state = saved;
}
