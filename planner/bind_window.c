/*
 * bind_window.c: event-time windows in the binder — the group-window form
 * `GROUP BY TUMBLE(ts, size)`, `HOP(ts, slide, size)`, `SESSION(ts, gap)`
 * with TUMBLE_START/TUMBLE_END, HOP_START/HOP_END, SESSION_START/SESSION_END
 * in the select list, and the table-function form `FROM TUMBLE(t, ts, size
 * [, offset])` / `FROM HOP(t, ts, slide, size [, offset])`.
 *
 * TUMBLE and HOP become a PLAN_WINDOW_ASSIGN over the level's input (after
 * WHERE): it passes every input column through at the same index and appends
 * window_start and window_end, so expressions bound before it stay valid.
 * The aggregate groups by those two columns (plus the other GROUP BY keys);
 * TUMBLE_START(...) is bound as a reference to input column window_start,
 * which the aggregation rewrite then maps to the group key.  SESSION cannot
 * be assigned row by row: it is recorded on the level and the aggregate
 * carries it (PlanNode.gwindow) with output groups..., window_start,
 * window_end, aggs...; SESSION_START/END are placeholders (SESSION_REF)
 * rewritten to those columns.
 *
 * Rules (as Flink and RisingWave): the time column is TIMESTAMP or
 * TIMESTAMPTZ (42804); sizes are constant, positive intervals without months
 * or years (22023 / 0A000: a month has no fixed length); HOP's size must be a
 * whole multiple of its slide (22023; Flink's sliced hop windows require the
 * same), so each row falls into exactly size/slide windows.  A day counts as
 * 24 hours.  Windows are aligned to the epoch plus the optional offset.
 * Flink's `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), ...))` is not accepted: the
 * PostgreSQL grammar (libpg_query) cannot parse it.
 */
#include "planner/bind_int.h"

#include <string.h>

#define NODE(n, kind) ((n) != NULL && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

static const char *call_name(PgQuery__FuncCall *fc)
{
    if (fc->n_funcname != 1)
        return NULL;
    return bind_strval(fc->funcname[0]);
}

static GroupWindowKind window_kind(const char *name)
{
    if (name == NULL)
        return GW_NONE;
    if (strcmp(name, "tumble") == 0)
        return GW_TUMBLE;
    if (strcmp(name, "hop") == 0)
        return GW_HOP;
    if (strcmp(name, "session") == 0)
        return GW_SESSION;
    return GW_NONE;
}

static const char *kind_upper(GroupWindowKind k)
{
    return k == GW_TUMBLE ? "TUMBLE" : k == GW_HOP ? "HOP" : "SESSION";
}

bool bind_is_group_window(PgQuery__Node *n)
{
    return NODE(n, FUNC_CALL) && !n->func_call->over &&
           window_kind(call_name(n->func_call)) != GW_NONE;
}

static bool is_constant(const Expr *e)
{
    if (e == NULL)
        return true;
    switch (e->kind) {
    case EXPR_COLUMN:
    case EXPR_OUTER:
    case EXPR_PARAM:
    case EXPR_SUBQUERY:
        return false;
    case EXPR_FUNC:
        if (e->func && (e->func->flags & FN_VOLATILE))
            return false;
        break;
    default:
        break;
    }
    for (int i = 0; i < e->nargs; i++)
        if (!is_constant(e->args[i]))
            return false;
    return true;
}

static int node_location(PgQuery__Node *n, int fallback)
{
    if (NODE(n, A_CONST))
        return n->a_const->location;
    if (NODE(n, TYPE_CAST))
        return n->type_cast->location;
    if (NODE(n, COLUMN_REF))
        return n->column_ref->location;
    if (NODE(n, FUNC_CALL))
        return n->func_call->location;
    return fallback;
}

/* A window length: a constant interval, positive unless allow_zero (offsets), no months. */
static int64 bind_window_interval(BindContext *bc, BindLevel *lv, PgQuery__Node *n,
                                  const char *what, const char *fname, bool allow_zero,
                                  int fallback_loc)
{
    Expr *e = bind_expr(bc, lv, n);
    int loc = e->location >= 0 ? e->location : node_location(n, fallback_loc);
    if (e->type->id == TYPE_UNKNOWN)
        e = bind_coerce(bc, e, type_interval(), COERCE_IMPLICIT, loc);
    if (e->type->id != TYPE_INTERVAL)
        ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                errmsg("%s of %s must be type interval, not type %s", what, fname,
                       bind_type_display(bc, e->type)),
                errposition(loc + 1));
    if (!is_constant(e))
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("%s of %s must be a constant interval", what, fname),
                errposition(loc + 1));
    Vector *v = expr_eval_const(bc->ctx, e);
    if (!vector_is_valid(v, 0))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("%s of %s must not be null", what, fname), errposition(loc + 1));
    const Interval *iv = v->data;
    if (iv->months != 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("%s of %s must not contain months or years", what, fname),
                errdetail("A month has no fixed length; use days instead."),
                errposition(loc + 1));
    int64 us;
    if (__builtin_mul_overflow((int64)iv->days, (int64)86400000000LL, &us) ||
        __builtin_add_overflow(us, iv->micros, &us))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("%s of %s is out of range", what, fname), errposition(loc + 1));
    if (us < 0 || (us == 0 && !allow_zero))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("%s of %s must be positive", what, fname), errposition(loc + 1));
    return us;
}

static Expr *bind_time_attr(BindContext *bc, BindLevel *lv, PgQuery__Node *n, const char *fname,
                            int fallback_loc)
{
    Expr *t = bind_expr(bc, lv, n);
    int loc = t->location >= 0 ? t->location : node_location(n, fallback_loc);
    if (t->type->id != TYPE_TIMESTAMP && t->type->id != TYPE_TIMESTAMPTZ)
        ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                errmsg("time attribute of %s must be type timestamp or timestamp with time "
                       "zone, not type %s",
                       fname, bind_type_display(bc, t->type)),
                errposition(loc + 1));
    return t;
}

static void check_plain_call(PgQuery__FuncCall *fc, const char *fname)
{
    if (fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter ||
        fc->func_variadic || fc->agg_within_group)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("syntax error in %s(...)", fname),
                errposition(fc->location + 1));
    for (size_t i = 0; i < fc->n_args; i++)
        if (NODE(fc->args[i], NAMED_ARG_EXPR))
            bind_unsupported(fc->location, "named arguments of window functions");
}

static void wrong_args(PgQuery__FuncCall *fc, const char *fname, const char *usage)
{
    ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
            errmsg("wrong number of arguments for %s", fname), errhint("Use %s.", usage),
            errposition(fc->location + 1));
}

/* Binds window arguments args[0..] after the table (TVF) or from the start (group form):
 * time, then sizes per kind, then (TVF only) an optional offset. */
static void bind_window_args(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc,
                             GroupWindowKind kind, int first, bool allow_offset, GroupWindow *gw)
{
    const char *fname = kind_upper(kind);
    int nsizes = kind == GW_HOP ? 2 : 1;
    int n = (int)fc->n_args - first;
    const char *usage =
        kind == GW_TUMBLE
            ? (allow_offset ? "TUMBLE(table, time, size [, offset])" : "TUMBLE(time, size)")
        : kind == GW_HOP
            ? (allow_offset ? "HOP(table, time, slide, size [, offset])" : "HOP(time, slide, size)")
            : "SESSION(time, gap)";
    if (n != 1 + nsizes && !(allow_offset && n == 2 + nsizes))
        wrong_args(fc, fname, usage);
    PgQuery__Node **args = fc->args + first;
    memset(gw, 0, sizeof *gw);
    gw->kind = kind;
    gw->location = fc->location;
    gw->time = bind_time_attr(bc, lv, args[0], fname, fc->location);
    switch (kind) {
    case GW_TUMBLE:
        gw->size_us = bind_window_interval(bc, lv, args[1], "size", fname, false, fc->location);
        gw->slide_us = gw->size_us;
        break;
    case GW_HOP:
        gw->slide_us = bind_window_interval(bc, lv, args[1], "slide", fname, false, fc->location);
        gw->size_us = bind_window_interval(bc, lv, args[2], "size", fname, false, fc->location);
        if (gw->size_us % gw->slide_us != 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("size of HOP must be a whole multiple of its slide"),
                    errposition(fc->location + 1));
        if (gw->size_us / gw->slide_us > 10000)
            ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("HOP puts each row into %lld windows (at most 10000)",
                           (long long)(gw->size_us / gw->slide_us)),
                    errposition(fc->location + 1));
        break;
    case GW_SESSION:
        gw->gap_us = bind_window_interval(bc, lv, args[1], "gap", fname, false, fc->location);
        break;
    default:
        break;
    }
    if (n == 2 + nsizes) {
        gw->offset_us =
            bind_window_interval(bc, lv, args[1 + nsizes], "offset", fname, true, fc->location);
        if (gw->offset_us >= gw->size_us)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("offset of %s must be smaller than its size", fname),
                    errposition(fc->location + 1));
    }
}

/* PLAN_WINDOW_ASSIGN over child; cols come from planner_derive_cols. */
static PlanNode *make_assign(BindContext *bc, PlanNode *child, const GroupWindow *gw)
{
    PlanNode *w = plan_make(bc->arena, PLAN_WINDOW_ASSIGN);
    w->left = child;
    w->gwindow = *gw;
    planner_derive_cols(bc->arena, w);
    return w;
}

PlanNode *bind_group_window(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc, PlanNode *p,
                            Expr **keys, int *nkeys)
{
    GroupWindowKind kind = window_kind(call_name(fc));
    if (lv->gwin)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("only one window is allowed in GROUP BY"), errposition(fc->location + 1));
    check_plain_call(fc, kind_upper(kind));
    BindGroupWindow *g = arena_new(bc->arena, BindGroupWindow);
    bind_window_args(bc, lv, fc, kind, 0, false, &g->gw);
    lv->gwin = g;
    *nkeys = 0;
    if (kind == GW_SESSION) {
        g->ws_index = -1;
        return p;
    }
    g->ws_index = p->ncols;
    PlanNode *w = make_assign(bc, p, &g->gw);
    const LmType *t = g->gw.time->type;
    keys[0] = expr_make_column(bc->arena, g->ws_index, t, fc->location);
    keys[0]->name = "window_start";
    keys[1] = expr_make_column(bc->arena, g->ws_index + 1, t, fc->location);
    keys[1]->name = "window_end";
    *nkeys = 2;
    return w;
}

Expr *bind_window_func(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc, const char *name)
{
    if (name == NULL || fc->n_funcname != 1)
        return NULL;
    GroupWindowKind kind = window_kind(name);
    if (kind != GW_NONE)
        ereport(ERROR, errcode(ERRCODE_GROUPING_ERROR),
                errmsg("%s(...) is only allowed in GROUP BY or FROM", kind_upper(kind)),
                errhint("Use %s_START(...) and %s_END(...) to refer to the window.",
                        kind_upper(kind), kind_upper(kind)),
                errposition(fc->location + 1));
    static const struct {
        const char *name;
        GroupWindowKind kind;
        bool end;
    } aux[] = {
        {"tumble_start", GW_TUMBLE, false}, {"tumble_end", GW_TUMBLE, true},
        {"hop_start", GW_HOP, false},       {"hop_end", GW_HOP, true},
        {"session_start", GW_SESSION, false}, {"session_end", GW_SESSION, true},
    };
    int k = -1;
    for (int i = 0; i < (int)(sizeof aux / sizeof aux[0]); i++)
        if (strcmp(name, aux[i].name) == 0)
            k = i;
    if (k < 0)
        return NULL;
    /* the window of this level (aggregate arguments of an inner level never see it) */
    BindGroupWindow *g = lv->gwin;
    const char *fname = kind_upper(aux[k].kind);
    if (g == NULL || g->gw.kind != aux[k].kind)
        ereport(ERROR, errcode(ERRCODE_GROUPING_ERROR),
                errmsg("%s(...) requires GROUP BY %s(...)", name, fname),
                errposition(fc->location + 1));
    if (lv->in_agg_args)
        ereport(ERROR, errcode(ERRCODE_GROUPING_ERROR),
                errmsg("%s(...) cannot be used inside an aggregate function", name),
                errposition(fc->location + 1));
    check_plain_call(fc, name);
    GroupWindow gw;
    bind_window_args(bc, lv, fc, aux[k].kind, 0, false, &gw);
    if (!bind_expr_equal(gw.time, g->gw.time) || gw.size_us != g->gw.size_us ||
        gw.slide_us != g->gw.slide_us || gw.gap_us != g->gw.gap_us)
        ereport(ERROR, errcode(ERRCODE_GROUPING_ERROR),
                errmsg("arguments of %s(...) must match the GROUP BY %s(...)", name, fname),
                errposition(fc->location + 1));
    const LmType *t = g->gw.time->type;
    Expr *e;
    if (aux[k].kind == GW_SESSION) {
        e = expr_make_column(bc->arena, aux[k].end ? 1 : 0, t, fc->location);
        e->levels_up = SESSION_REF;
    } else {
        e = expr_make_column(bc->arena, g->ws_index + (aux[k].end ? 1 : 0), t, fc->location);
    }
    e->name = name;
    return e;
}

PlanNode *bind_window_tvf(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc,
                          PgQuery__Alias *alias, Scope *out)
{
    GroupWindowKind kind = window_kind(call_name(fc));
    if (kind != GW_TUMBLE && kind != GW_HOP) {
        if (kind == GW_SESSION)
            bind_unsupported(fc->location, "SESSION in FROM (use GROUP BY SESSION(time, gap))");
        return NULL;
    }
    const char *fname = kind_upper(kind);
    check_plain_call(fc, fname);
    if (fc->n_args < 1)
        wrong_args(fc, fname,
                   kind == GW_TUMBLE ? "TUMBLE(table, time, size [, offset])"
                                     : "HOP(table, time, slide, size [, offset])");
    /* the table: a (possibly schema-qualified) name, or Flink's TABLE name */
    PgQuery__Node *t = fc->args[0];
    if (!NODE(t, COLUMN_REF) || t->column_ref->n_fields < 1 || t->column_ref->n_fields > 2)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("first argument of %s must be a table name", fname),
                errposition(node_location(t, fc->location) + 1));
    PgQuery__ColumnRef *cr = t->column_ref;
    PgQuery__RangeVar rv = PG_QUERY__RANGE_VAR__INIT;
    rv.relname = (char *)bind_strval(cr->fields[cr->n_fields - 1]);
    rv.schemaname = cr->n_fields == 2 ? (char *)bind_strval(cr->fields[0]) : "";
    rv.catalogname = "";
    rv.inh = true;
    rv.relpersistence = "p";
    rv.location = cr->location;
    if (rv.relname == NULL || rv.schemaname == NULL)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("first argument of %s must be a table name", fname),
                errposition(cr->location + 1));
    PgQuery__Node item = PG_QUERY__NODE__INIT;
    PgQuery__Node *itemp = &item;
    item.node_case = PG_QUERY__NODE__NODE_RANGE_VAR;
    item.range_var = &rv;
    BindLevel *tmp = bind_new_level(bc, lv, LEVEL_INLINE);
    tmp->place_name = "window functions in FROM";
    PlanNode *child = bind_from_list(bc, tmp, &itemp, 1);
    GroupWindow gw;
    bind_window_args(bc, tmp, fc, kind, 1, true, &gw);
    PlanNode *w = make_assign(bc, child, &gw);
    const char *qual = alias ? alias->aliasname : rv.relname;
    for (int i = 0; i < tmp->scope.ncols; i++) {
        ScopeCol c = tmp->scope.cols[i];
        c.qual = qual;
        c.schema = NULL;
        bind_scope_add(bc->arena, out, &c);
    }
    for (int i = 0; i < 2; i++) {
        ScopeCol c = {.qual = qual,
                      .name = w->cols[child->ncols + i].name,
                      .type = w->cols[child->ncols + i].type,
                      .index = child->ncols + i,
                      .flags = SC_UNQUALIFIED | SC_STAR};
        bind_scope_add(bc->arena, out, &c);
    }
    if (alias && alias->n_colnames)
        bind_unsupported(fc->location, "column aliases for window table functions");
    return w;
}
