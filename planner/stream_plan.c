/*
 * stream_plan.c: turns a pipeline's bound plan (PLAN_INSERT over a query on
 * source tables) into the stage graph the streaming runtime runs
 * (stream_plan.h), checks that it can run as a stream, and prints it for
 * EXPLAIN PIPELINE.
 *
 * The walk is one recursion over the plan that returns the "open ends" of
 * the subtree: the stages whose chain currently ends with the subtree's
 * output (one, or several below a UNION ALL).  A stateless node is appended
 * to every open end; a keyed node closes its inputs' ends with an exchange
 * into a new stage; the INSERT puts the sink on the single open end (or
 * closes several ends into a forwarding stage).  Operator ids are handed
 * out in the walk's order, which depends only on the plan, so they are the
 * same at every start of the job.
 *
 * While walking it also tracks whether each subtree's output is a
 * changelog (non-windowed aggregates, top-N, updates of emit = on_update
 * windows) so that a changelog cannot reach an append-only sink.
 *
 * Limits: plain tables are only readable as the table side of a lookup
 * join; joins of two streams need a window or an interval bound.
 */
#include "planner/stream_plan.h"
#include "planner/bind_int.h"
#include "executor/func.h"
#include "connectors/connector.h"
#include "common/errcodes.h"

#include <pg_query.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_ENDS 32

typedef struct Ends {
    int n;
    int stage[MAX_ENDS];
    bool changelog;
} Ends;

typedef struct Builder {
    Arena *arena;
    int parallelism;
    EmitMode emit;
    int nstages, cap;
    StreamStage *stages;
    int next_operator_id;
    /* columns of each stream-stream join's output that operators above read (see
     * mark_needed); a regular join keeps only those in its state */
    int nneeds, needcap;
    const PlanNode **need_node;
    bool **need_cols;
} Builder;

/* ---- plan inspection helpers ---- */

static int expr_location(const Expr *e)
{
    if (e == NULL)
        return -1;
    if (e->location >= 0)
        return e->location;
    for (int i = 0; i < e->nargs; i++) {
        int l = expr_location(e->args[i]);
        if (l >= 0)
            return l;
    }
    return -1;
}

/* A location somewhere in the node's own expressions (for error positions), -1 if none. */
static int plan_location(const PlanNode *p)
{
    int l = -1;
    if (p == NULL)
        return -1;
    switch (p->kind) {
    case PLAN_AGGREGATE:
        for (int i = 0; i < p->ngroups && l < 0; i++)
            l = expr_location(p->groups[i]);
        for (int i = 0; i < p->naggs && l < 0; i++)
            for (int j = 0; j < p->aggs[i].nargs && l < 0; j++)
                l = expr_location(p->aggs[i].args[j]);
        if (l < 0 && p->gwindow.kind != GW_NONE)
            l = p->gwindow.location;
        break;
    case PLAN_FILTER:
    case PLAN_JOIN:
        l = expr_location(p->predicate);
        break;
    case PLAN_PROJECT:
        for (int i = 0; i < p->nexprs && l < 0; i++)
            l = expr_location(p->exprs[i]);
        break;
    case PLAN_SORT:
        for (int i = 0; i < p->nsort && l < 0; i++)
            l = expr_location(p->sort[i].expr);
        break;
    case PLAN_LIMIT:
        l = expr_location(p->limit ? p->limit : p->offset);
        break;
    case PLAN_WINDOW:
        for (int i = 0; i < p->nwindows && l < 0; i++)
            for (int j = 0; j < p->windows[i].npartition && l < 0; j++)
                l = expr_location(p->windows[i].partition[j]);
        break;
    case PLAN_WINDOW_ASSIGN:
        l = p->gwindow.location;
        break;
    default:
        break;
    }
    if (l < 0 && p->left)
        l = plan_location(p->left);
    return l;
}

LM_NORETURN static void unsupported(int location, const char *fmt, const char *arg)
{
    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg(fmt, arg),
            location >= 0 ? errposition(location + 1) : 0);
}

/* Does the subtree read a stream (a source table)? */
static bool reads_stream(const PlanNode *p)
{
    if (p == NULL)
        return false;
    if (p->kind == PLAN_SCAN)
        return p->rel && p->rel->kind == REL_SOURCE;
    return reads_stream(p->left) || reads_stream(p->right);
}

/* Whether the stream sources under p have event time (an event_time_field, or WATERMARK FOR);
 * a subtree whose streams all run on processing time gets processing-time windows. */
static bool has_event_time(const PlanNode *p)
{
    if (p == NULL)
        return false;
    if (p->kind == PLAN_SCAN) {
        if (p->rel == NULL || p->rel->kind != REL_SOURCE)
            return false;
        const CatTable *t = p->rel->table;
        return t != NULL && t->event_time_field != NULL && t->event_time_field[0] != '\0';
    }
    return has_event_time(p->left) || has_event_time(p->right);
}

/* A bounded subtree over plain tables only: scans of plain tables under filters/projects. */
static bool is_lookup_side(const PlanNode *p)
{
    switch (p->kind) {
    case PLAN_SCAN:
        return p->rel && p->rel->kind == REL_PLAIN;
    case PLAN_FILTER:
    case PLAN_PROJECT:
        return is_lookup_side(p->left);
    default:
        return false;
    }
}

/*
 * Where output column col of p comes from, when it is a window bound: returns 1 for
 * window_start, 2 for window_end of a PLAN_WINDOW_ASSIGN (or a SESSION aggregate), 0 otherwise;
 * *gw gets the window.
 */
static int window_origin(const PlanNode *p, int col, const GroupWindow **gw)
{
    for (;;) {
        if (p == NULL || col < 0 || col >= p->ncols)
            return 0;
        switch (p->kind) {
        case PLAN_WINDOW_ASSIGN:
            if (col == p->ncols - 2 || col == p->ncols - 1) {
                *gw = &p->gwindow;
                return col == p->ncols - 2 ? 1 : 2;
            }
            p = p->left;
            break;
        case PLAN_FILTER:
        case PLAN_SORT:
        case PLAN_LIMIT:
        case PLAN_WINDOW:
            p = p->left;
            break;
        case PLAN_PROJECT:
            if (col >= p->nexprs || p->exprs[col]->kind != EXPR_COLUMN)
                return 0;
            col = p->exprs[col]->index;
            p = p->left;
            break;
        case PLAN_AGGREGATE:
            if (p->gwindow.kind == GW_SESSION && (col == p->ngroups || col == p->ngroups + 1)) {
                *gw = &p->gwindow;
                return col == p->ngroups ? 1 : 2;
            }
            if (col >= p->ngroups || p->groups[col]->kind != EXPR_COLUMN)
                return 0;
            col = p->groups[col]->index;
            p = p->left;
            break;
        case PLAN_JOIN:
            if (col < p->left->ncols)
                p = p->left;
            else {
                col -= p->left->ncols;
                p = p->right;
            }
            break;
        case PLAN_SETOP:
            p = p->left;
            break;
        default:
            return 0;
        }
    }
}

static bool func_is(const Expr *e, const char *name)
{
    return e && e->kind == EXPR_FUNC && e->func && e->nargs == 2 && strcmp(e->func->name, name) == 0;
}

static bool const_int64(const Expr *e, int64 *out)
{
    while (e && e->kind == EXPR_CAST && e->nargs == 1)
        e = e->args[0];
    if (e == NULL || e->kind != EXPR_CONST || e->value == NULL || !vector_is_valid(e->value, 0))
        return false;
    switch (e->type->id) {
    case TYPE_INT8:
        *out = ((int8 *)e->value->data)[0];
        return true;
    case TYPE_INT16:
        *out = ((int16 *)e->value->data)[0];
        return true;
    case TYPE_INT32:
        *out = ((int32 *)e->value->data)[0];
        return true;
    case TYPE_INT64:
        *out = ((int64 *)e->value->data)[0];
        return true;
    default:
        return false;
    }
}

/* A constant INTERVAL without months, in microseconds. */
static bool const_interval_us(const Expr *e, int64 *out)
{
    while (e && e->kind == EXPR_CAST && e->nargs == 1)
        e = e->args[0];
    if (e == NULL || e->kind != EXPR_CONST || e->type->id != TYPE_INTERVAL || e->value == NULL ||
        !vector_is_valid(e->value, 0))
        return false;
    const Interval *iv = e->value->data;
    if (iv->months != 0)
        return false;
    *out = iv->micros + (int64)iv->days * 86400 * (int64)1000000;
    return true;
}

/* e = column [+|- interval const]: the column and the offset in microseconds. */
static bool time_term(const Expr *e, int *col, int64 *offset)
{
    while (e && e->kind == EXPR_CAST && e->nargs == 1 &&
           (e->type->id == TYPE_TIMESTAMP || e->type->id == TYPE_TIMESTAMPTZ))
        e = e->args[0];
    if (e == NULL)
        return false;
    if (e->kind == EXPR_COLUMN) {
        *col = e->index;
        *offset = 0;
        return true;
    }
    int64 iv;
    if ((func_is(e, "+") || func_is(e, "-")) && const_interval_us(e->args[1], &iv) &&
        time_term(e->args[0], col, offset)) {
        *offset += e->func->name[0] == '+' ? iv : -iv;
        return true;
    }
    if (func_is(e, "+") && const_interval_us(e->args[0], &iv) && time_term(e->args[1], col, offset)) {
        *offset += iv;
        return true;
    }
    return false;
}

static void collect_conjuncts(Expr *e, Expr **out, int *n, int max)
{
    if (e == NULL)
        return;
    if (e->kind == EXPR_AND) {
        for (int i = 0; i < e->nargs; i++)
            collect_conjuncts(e->args[i], out, n, max);
        return;
    }
    if (*n < max)
        out[(*n)++] = e;
}

static bool is_time_type(const LmType *t)
{
    return t && (t->id == TYPE_TIMESTAMP || t->id == TYPE_TIMESTAMPTZ);
}

/*
 * Interval join bounds: conjuncts comparing a left time column with a right time column (plus
 * constant intervals) bound left.time - right.time.  Returns true when both a lower and an
 * upper bound were found on one pair of time columns.
 */
static bool interval_bounds(const PlanNode *p, StreamOpInfo *info)
{
    Expr *conj[64];
    int n = 0;
    collect_conjuncts(p->predicate, conj, &n, 64);
    int nleft = p->left->ncols;
    int lcol = -1, rcol = -1;
    int64 lower = INT64_MIN, upper = INT64_MAX;
    for (int i = 0; i < n; i++) {
        Expr *e = conj[i];
        if (e->kind != EXPR_FUNC || e->nargs != 2 || e->func == NULL)
            continue;
        const char *op = e->func->name;
        bool lt = strcmp(op, "<") == 0, le = strcmp(op, "<=") == 0;
        bool gt = strcmp(op, ">") == 0, ge = strcmp(op, ">=") == 0;
        if (!lt && !le && !gt && !ge)
            continue;
        int ca, cb;
        int64 oa, ob;
        if (!time_term(e->args[0], &ca, &oa) || !time_term(e->args[1], &cb, &ob))
            continue;
        if (!is_time_type(e->args[0]->type) && !is_time_type(e->args[1]->type))
            continue;
        /* normalise to  L + oa  op  R + ob */
        if (ca >= nleft && cb < nleft) {
            int tc = ca;
            ca = cb;
            cb = tc;
            int64 to = oa;
            oa = ob;
            ob = to;
            bool t1 = lt, t2 = le;
            lt = gt;
            le = ge;
            gt = t1;
            ge = t2;
        }
        if (!(ca < nleft && cb >= nleft))
            continue;
        cb -= nleft;
        if ((lcol >= 0 && lcol != ca) || (rcol >= 0 && rcol != cb))
            continue;
        lcol = ca;
        rcol = cb;
        /* L - R  op  ob - oa; strict bounds become inclusive by one microsecond */
        int64 d = ob - oa;
        if (lt || le) {
            int64 u = lt ? d - 1 : d;
            if (u < upper)
                upper = u;
        } else {
            int64 l = gt ? d + 1 : d;
            if (l > lower)
                lower = l;
        }
    }
    if (lcol < 0 || lower == INT64_MIN || upper == INT64_MAX)
        return false;
    info->left_time_col = lcol;
    info->right_time_col = rcol;
    info->lower_us = lower;
    info->upper_us = upper;
    return true;
}

/* rn <= k, rn < k, rn = k (k >= 1) over column rncol: k or -1. */
static int64 rownum_limit(const Expr *e, int rncol)
{
    int64 k;
    if (e->kind != EXPR_FUNC || e->nargs != 2 || e->func == NULL)
        return -1;
    const Expr *a = e->args[0], *b = e->args[1];
    const char *op = e->func->name;
    bool swapped = false;
    while (a->kind == EXPR_CAST && a->nargs == 1)
        a = a->args[0];
    if (a->kind != EXPR_COLUMN) {
        const Expr *t = a;
        a = b;
        b = t;
        swapped = true;
        while (a->kind == EXPR_CAST && a->nargs == 1)
            a = a->args[0];
    }
    if (a->kind != EXPR_COLUMN || a->index != rncol || !const_int64(b, &k))
        return -1;
    if (strcmp(op, "=") == 0)
        return k == 1 ? 1 : -1;
    if ((!swapped && strcmp(op, "<=") == 0) || (swapped && strcmp(op, ">=") == 0))
        return k >= 1 ? k : -1;
    if ((!swapped && strcmp(op, "<") == 0) || (swapped && strcmp(op, ">") == 0))
        return k >= 2 ? k - 1 : -1;
    return -1;
}

/* Top-N: FILTER (rn cond [AND ...]) over [PROJECT over] WINDOW(row_number). */
static bool classify_topn(const PlanNode *p, StreamOpInfo *info)
{
    const PlanNode *c = p->left, *proj = NULL;
    if (c && c->kind == PLAN_PROJECT) {
        proj = c;
        c = c->left;
    }
    if (c == NULL || c->kind != PLAN_WINDOW || c->nwindows != 1 ||
        c->windows[0].kind != WIN_ROW_NUMBER)
        return false;
    int rncol = c->ncols - 1; /* window output: child columns, then the window functions */
    Expr *conj[64];
    int n = 0;
    collect_conjuncts(p->predicate, conj, &n, 64);
    for (int i = 0; i < n; i++) {
        int col = rncol;
        if (proj) {
            /* find the project's output column that is the window's row_number */
            col = -1;
            for (int j = 0; j < proj->nexprs; j++)
                if (proj->exprs[j]->kind == EXPR_COLUMN && proj->exprs[j]->index == rncol) {
                    int64 k = rownum_limit(conj[i], j);
                    if (k > 0) {
                        col = j;
                        break;
                    }
                }
            if (col < 0)
                continue;
        }
        int64 k = rownum_limit(conj[i], col);
        if (k > 0) {
            info->kind = STREAM_OP_TOPN;
            info->topn_filter = p;
            info->topn_window = c;
            info->topn_project = proj;
            info->topn_limit = k;
            info->rownum_col = rncol;
            info->topn_call = &c->windows[0];
            return true;
        }
    }
    return false;
}

StreamOpKind stream_op_classify(const PlanNode *plan, EmitMode emit, const bool input_changelog[2],
                                StreamOpInfo *info)
{
    memset(info, 0, sizeof *info);
    info->window_start_group = info->window_end_group = -1;
    info->time_col = -1;
    info->window_start_key = info->window_end_key = -1;
    info->left_time_col = info->right_time_col = -1;
    info->rownum_col = -1;
    if (input_changelog) {
        info->input_changelog[0] = input_changelog[0];
        info->input_changelog[1] = input_changelog[1];
    }
    bool in_cl = info->input_changelog[0] || info->input_changelog[1];
    switch (plan->kind) {
    case PLAN_AGGREGATE:
        if (plan->gwindow.kind == GW_SESSION) {
            info->kind = STREAM_OP_WINDOW_AGGREGATE;
            info->window = &plan->gwindow;
            if (plan->gwindow.time && plan->gwindow.time->kind == EXPR_COLUMN)
                info->time_col = plan->gwindow.time->index;
        } else {
            for (int i = 0; i < plan->ngroups; i++) {
                const GroupWindow *gw = NULL;
                if (plan->groups[i]->kind != EXPR_COLUMN)
                    continue;
                int o = window_origin(plan->left, plan->groups[i]->index, &gw);
                if (o == 1 && info->window_start_group < 0) {
                    info->window_start_group = i;
                    info->window = gw;
                } else if (o == 2 && info->window_end_group < 0) {
                    info->window_end_group = i;
                    info->window = gw;
                }
            }
            info->kind = info->window ? STREAM_OP_WINDOW_AGGREGATE : STREAM_OP_CHANGELOG_AGGREGATE;
        }
        info->emits_changelog = info->kind == STREAM_OP_CHANGELOG_AGGREGATE || emit == EMIT_ON_UPDATE;
        return info->kind;
    case PLAN_JOIN: {
        bool ls = reads_stream(plan->left), rs = reads_stream(plan->right);
        if (ls && rs) {
            for (int i = 0; i < plan->nkeys; i++) {
                const GroupWindow *g1 = NULL, *g2 = NULL;
                if (plan->left_keys[i]->kind != EXPR_COLUMN || plan->right_keys[i]->kind != EXPR_COLUMN)
                    continue;
                int o1 = window_origin(plan->left, plan->left_keys[i]->index, &g1);
                int o2 = window_origin(plan->right, plan->right_keys[i]->index, &g2);
                if (o1 != 0 && o1 == o2) {
                    if (o1 == 1 && info->window_start_key < 0)
                        info->window_start_key = i;
                    else if (o1 == 2 && info->window_end_key < 0)
                        info->window_end_key = i;
                    info->window = g1;
                }
            }
            if (info->window_start_key >= 0 || info->window_end_key >= 0)
                info->kind = STREAM_OP_WINDOW_JOIN;
            else if (!in_cl && interval_bounds(plan, info))
                info->kind = STREAM_OP_INTERVAL_JOIN;
            else
                info->kind = STREAM_OP_REGULAR_JOIN; /* unbounded: both sides kept */
            if (plan->join_type == JOIN_SEMI || plan->join_type == JOIN_ANTI)
                unsupported(plan_location(plan), "%s of two streams is not supported in pipelines",
                            plan->join_type == JOIN_SEMI ? "EXISTS/IN subquery" : "NOT EXISTS subquery");
            info->emits_changelog = in_cl;
            if (info->kind == STREAM_OP_REGULAR_JOIN && plan->join_type != JOIN_INNER)
                info->emits_changelog = true; /* NULL-padded rows are retracted on a match */
            return info->kind;
        }
        if (ls && is_lookup_side(plan->right)) {
            info->stream_side = 0;
            info->lookup_plan = plan->right;
        } else if (rs && is_lookup_side(plan->left)) {
            info->stream_side = 1;
            info->lookup_plan = plan->left;
        } else
            return STREAM_OP_NONE;
        if ((info->stream_side == 0 && (plan->join_type == JOIN_RIGHT || plan->join_type == JOIN_FULL)) ||
            (info->stream_side == 1 && (plan->join_type == JOIN_LEFT || plan->join_type == JOIN_FULL)))
            unsupported(plan_location(plan),
                        "an outer join that keeps unmatched rows of a table against a stream is not "
                        "supported in pipelines%s",
                        "");
        info->kind = STREAM_OP_LOOKUP_JOIN;
        info->emits_changelog = in_cl;
        return info->kind;
    }
    case PLAN_FILTER:
        if (classify_topn(plan, info)) {
            info->emits_changelog = true;
            return info->kind;
        }
        return STREAM_OP_NONE;
    default:
        return STREAM_OP_NONE;
    }
}

/* ---- graph building ---- */

static int new_stage(Builder *b, int parallelism)
{
    if (b->nstages == b->cap) {
        int ncap = b->cap ? b->cap * 2 : 8;
        b->stages = arena_realloc(b->arena, b->stages, sizeof(StreamStage) * b->cap,
                                  sizeof(StreamStage) * ncap);
        b->cap = ncap;
    }
    StreamStage *s = &b->stages[b->nstages];
    memset(s, 0, sizeof *s);
    s->index = b->nstages;
    s->parallelism = parallelism;
    s->event_time_col = -1;
    s->out_stage = -1;
    s->source_operator_id = 0;
    s->sink_operator_id = 0;
    return b->nstages++;
}

static StreamNode *append_node(Builder *b, int stage, const PlanNode *p, int operator_id,
                               const StreamOpInfo *info, int nchildren, const char *label)
{
    StreamStage *s = &b->stages[stage];
    StreamNode *nodes = arena_new_array(b->arena, StreamNode, s->nnodes + 1);
    if (s->nnodes)
        memcpy(nodes, s->nodes, sizeof(StreamNode) * s->nnodes);
    s->nodes = nodes;
    StreamNode *n = &nodes[s->nnodes++];
    memset(n, 0, sizeof *n);
    n->plan = p;
    n->operator_id = operator_id;
    if (info)
        n->info = *info;
    n->nchildren = nchildren;
    n->label = label;
    return n;
}

/* Closes the ends into input `input` of stage `to` with the given partitioning (keys over the
 * ends' output). */
static void close_ends(Builder *b, const Ends *e, int to, int input, StreamPartitioning part,
                       int nkeys, Expr **keys)
{
    StreamInput *in = &b->stages[to].inputs[input];
    int *prods = arena_new_array(b->arena, int, in->nproducers + e->n);
    if (in->nproducers)
        memcpy(prods, in->producers, sizeof(int) * in->nproducers);
    for (int i = 0; i < e->n; i++) {
        StreamStage *s = &b->stages[e->stage[i]];
        s->out_stage = to;
        s->out_input = input;
        s->out_part = part;
        s->nkeys = nkeys;
        s->keys = keys;
        prods[in->nproducers + i] = e->stage[i];
    }
    in->nproducers += e->n;
    in->producers = prods;
    if (b->stages[to].ninputs < input + 1)
        b->stages[to].ninputs = input + 1;
}

static const char *window_label(const GroupWindow *gw, const char *what)
{
    const char *k = "Window";
    if (gw)
        switch (gw->kind) {
        case GW_TUMBLE:
            k = "Tumble";
            break;
        case GW_HOP:
            k = "Hop";
            break;
        case GW_SESSION:
            k = "Session";
            break;
        default:
            break;
        }
    static __thread char buf[64];
    snprintf(buf, sizeof buf, "%s%s", k, what);
    return buf;
}

static Ends build(Builder *b, const PlanNode *p);

/* ---- which columns the operators above a join read ---- */

/* Marks the input columns e reads (any subquery: all of them). */
static void expr_cols(const Expr *e, bool *need, int n)
{
    if (e == NULL)
        return;
    if (e->kind == EXPR_COLUMN && e->levels_up == 0) {
        if (e->index >= 0 && e->index < n)
            need[e->index] = true;
        return;
    }
    if (e->kind == EXPR_SUBQUERY) {
        for (int i = 0; i < n; i++)
            need[i] = true;
        return;
    }
    for (int i = 0; i < e->nargs; i++)
        expr_cols(e->args[i], need, n);
}

static void mark_needed(Builder *b, const PlanNode *p, const bool *need);

static void mark_all(Builder *b, const PlanNode *c)
{
    if (c == NULL)
        return;
    bool *all = arena_new_array(b->arena, bool, c->ncols + 1);
    for (int i = 0; i < c->ncols; i++)
        all[i] = true;
    mark_needed(b, c, all);
}

/*
 * need[i]: whether output column i of p is read above it.  Records the needs of every join
 * of two streams; the walk is conservative (a node kind it does not know needs all of its
 * children's columns).
 */
static void mark_needed(Builder *b, const PlanNode *p, const bool *need)
{
    if (p == NULL)
        return;
    const PlanNode *c = p->left;
    int nc = c ? c->ncols : 0;
    bool *cn = c ? arena_new_array(b->arena, bool, nc + 1) : NULL;
    switch (p->kind) {
    case PLAN_SCAN:
        return;
    case PLAN_FILTER:
        for (int i = 0; i < nc && i < p->ncols; i++)
            cn[i] = need[i];
        expr_cols(p->predicate, cn, nc);
        mark_needed(b, c, cn);
        return;
    case PLAN_PROJECT:
        for (int i = 0; i < p->nexprs; i++)
            if (i >= p->ncols || need[i])
                expr_cols(p->exprs[i], cn, nc);
        mark_needed(b, c, cn);
        return;
    case PLAN_WINDOW_ASSIGN:
        for (int i = 0; i < nc; i++)
            cn[i] = need[i];
        expr_cols(p->gwindow.time, cn, nc);
        mark_needed(b, c, cn);
        return;
    case PLAN_AGGREGATE:
        for (int i = 0; i < p->ngroups; i++)
            expr_cols(p->groups[i], cn, nc);
        for (int i = 0; i < p->naggs; i++) {
            const AggCall *a = &p->aggs[i];
            for (int j = 0; j < a->nargs; j++)
                expr_cols(a->args[j], cn, nc);
            expr_cols(a->filter, cn, nc);
            for (int j = 0; j < a->norder; j++)
                expr_cols(a->order[j].expr, cn, nc);
        }
        expr_cols(p->gwindow.time, cn, nc);
        mark_needed(b, c, cn);
        return;
    case PLAN_WINDOW:
        for (int i = 0; i < nc; i++)
            cn[i] = need[i];
        for (int w = 0; w < p->nwindows; w++) {
            const WindowCall *wc = &p->windows[w];
            for (int j = 0; j < wc->npartition; j++)
                expr_cols(wc->partition[j], cn, nc);
            for (int j = 0; j < wc->norder; j++)
                expr_cols(wc->order[j].expr, cn, nc);
            for (int j = 0; j < wc->agg.nargs; j++)
                expr_cols(wc->agg.args[j], cn, nc);
            expr_cols(wc->agg.filter, cn, nc);
        }
        mark_needed(b, c, cn);
        return;
    case PLAN_JOIN: {
        const PlanNode *r = p->right;
        int nl = nc, nr = r->ncols;
        bool *both = arena_new_array(b->arena, bool, nl + nr + 1);
        for (int i = 0; i < nl + nr && i < p->ncols; i++)
            both[i] = need[i];
        expr_cols(p->predicate, both, nl + nr);
        expr_cols(p->residual, both, nl + nr);
        for (int k = 0; k < p->nkeys; k++) {
            expr_cols(p->left_keys[k], both, nl);
            expr_cols(p->right_keys[k], both + nl, nr);
        }
        if (b->nneeds == b->needcap) {
            int ncap = b->needcap ? b->needcap * 2 : 8;
            b->need_node = arena_realloc(b->arena, b->need_node, sizeof(*b->need_node) * (size_t)b->needcap,
                                         sizeof(*b->need_node) * (size_t)ncap);
            b->need_cols = arena_realloc(b->arena, b->need_cols, sizeof(*b->need_cols) * (size_t)b->needcap,
                                         sizeof(*b->need_cols) * (size_t)ncap);
            b->needcap = ncap;
        }
        b->need_node[b->nneeds] = p;
        b->need_cols[b->nneeds++] = both;
        mark_needed(b, c, both);
        mark_needed(b, r, both + nl);
        return;
    }
    default:
        mark_all(b, c);
        mark_all(b, p->right);
        return;
    }
}

static const bool *needed_cols(const Builder *b, const PlanNode *p)
{
    for (int i = 0; i < b->nneeds; i++)
        if (b->need_node[i] == p)
            return b->need_cols[i];
    return NULL;
}

static void *tree_alloc(void *data, size_t size)
{
    return arena_alloc((Arena *)data, size ? size : 1);
}

static void tree_free(void *data, void *ptr)
{
    /* arena memory goes with the arena */
}

/*
 * WATERMARK FOR col AS expr: binds the stored SQL text of expr over the table's columns (the
 * source operator evaluates it on each polled batch, which has the table's full layout).
 */
static Expr *bind_watermark_expr(Arena *a, const Relation *rel, const LmType *want)
{
    const char *sql = arena_printf(a, "SELECT %s", rel->table->watermark_expr);
    PgQueryProtobufParseResult res = pg_query_parse_protobuf(sql);
    if (res.error) {
        char *msg = arena_strdup(a, res.error->message ? res.error->message : "syntax error");
        pg_query_free_protobuf_parse_result(res);
        ereport(ERROR, errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
                errmsg("invalid WATERMARK FOR expression of \"%s\": %s", rel->name, msg));
    }
    ProtobufCAllocator alloc = {tree_alloc, tree_free, a};
    PgQuery__ParseResult *tree = pg_query__parse_result__unpack(
        &alloc, res.parse_tree.len, (const uint8_t *)res.parse_tree.data);
    pg_query_free_protobuf_parse_result(res);
    PgQuery__Node *node = NULL;
    if (tree && tree->n_stmts == 1 && tree->stmts[0]->stmt &&
        tree->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
        PgQuery__SelectStmt *sel = tree->stmts[0]->stmt->select_stmt;
        if (sel->n_target_list == 1 &&
            sel->target_list[0]->node_case == PG_QUERY__NODE__NODE_RES_TARGET)
            node = sel->target_list[0]->res_target->val;
    }
    if (node == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
                errmsg("invalid WATERMARK FOR expression of \"%s\"", rel->name));
    ExecContext ctx = {0};
    ctx.arena = a;
    BindContext bc = {0};
    bc.ctx = &ctx;
    bc.arena = a;
    bc.query_text = sql;
    BindPrivate priv = {0};
    priv.pending_cte_limit = -1;
    priv.pcap = 16;
    bc.param_types = arena_new_array(a, const LmType *, priv.pcap);
    bc.priv = &priv;
    BindLevel *lv = bind_new_level(&bc, NULL, LEVEL_SUBQUERY);
    lv->place = PLACE_NONE;
    lv->place_name = "WATERMARK FOR";
    for (int i = 0; i < rel->ncols; i++) {
        ScopeCol c = {0};
        c.qual = rel->name;
        c.schema = rel->schema;
        c.name = rel->cols[i].name;
        c.type = rel->cols[i].type;
        c.index = i;
        c.flags = SC_UNQUALIFIED | SC_STAR;
        c.rel = rel;
        c.attnum = (int16)(i + 1);
        bind_scope_add(a, &lv->scope, &c);
    }
    Expr *e = bind_expr(&bc, lv, node);
    return bind_coerce(&bc, e, want, COERCE_ASSIGNMENT, e->location);
}

static void set_source_time(Builder *b, StreamStage *s, const Relation *rel)
{
    const CatTable *t = rel->table;
    if (t == NULL || t->event_time_field == NULL || t->event_time_field[0] == '\0')
        return;
    for (int i = 0; i < rel->ncols; i++)
        if (strcmp(rel->cols[i].name, t->event_time_field) == 0) {
            s->event_time_col = i;
            break;
        }
    if (s->event_time_col >= 0 && !is_time_type(rel->cols[s->event_time_col].type)) {
        if (rel->cols[s->event_time_col].type->id != TYPE_INT64)
            s->event_time_col = -1;
    }
    if (s->event_time_col >= 0 && t->watermark_expr && t->watermark_expr[0])
        s->watermark_expr = bind_watermark_expr(b->arena, rel, rel->cols[s->event_time_col].type);
    else if (t->watermark_delay && t->watermark_delay[0]) {
        int64 ms;
        if (connector_parse_duration_ms(t->watermark_delay, &ms))
            s->watermark_delay_us = ms * 1000;
    }
}

static Ends stage_for_source(Builder *b, const PlanNode *p, int id)
{
    Ends e = {0};
    int si = new_stage(b, b->parallelism);
    StreamStage *s = &b->stages[si];
    s->source_scan = p;
    s->source_rel = p->rel;
    s->source_operator_id = id;
    set_source_time(b, s, p->rel);
    e.n = 1;
    e.stage[0] = si;
    return e;
}

static void append_stateless(Builder *b, Ends *e, const PlanNode *p, int id, const char *label)
{
    for (int i = 0; i < e->n; i++)
        append_node(b, e->stage[i], p, id, NULL, 1, label);
}

/* A new stage for a keyed node fed by one or two inputs. */
static int keyed_stage(Builder *b, bool single)
{
    return new_stage(b, single ? 1 : b->parallelism);
}

static Ends build(Builder *b, const PlanNode *p)
{
    int id = ++b->next_operator_id;
    Ends e = {0};
    StreamOpInfo info;
    switch (p->kind) {
    case PLAN_SCAN:
        if (p->rel && p->rel->kind == REL_SOURCE)
            return stage_for_source(b, p, id);
        if (p->rel && p->rel->kind == REL_PLAIN)
            unsupported(-1,
                        "table \"%s\" is not a stream: a pipeline reads plain tables only as the "
                        "table side of a lookup join",
                        p->rel->name);
        unsupported(-1, "relation \"%s\" cannot be read by a pipeline", p->rel ? p->rel->name : "?");
    case PLAN_FILTER: {
        bool cl[2] = {false, false};
        if (stream_op_classify(p, b->emit, cl, &info) == STREAM_OP_TOPN) {
            const PlanNode *w = info.topn_window;
            /* the window's own id follows the filter's (and the project's) */
            int pid = info.topn_project ? ++b->next_operator_id : 0;
            int wid = ++b->next_operator_id;
            Ends in = build(b, w->left);
            info.input_changelog[0] = in.changelog;
            const WindowCall *wc = info.topn_call;
            int st = keyed_stage(b, wc->npartition == 0);
            close_ends(b, &in, st, 0, wc->npartition ? STREAM_HASH : STREAM_SINGLE, wc->npartition,
                       wc->partition);
            append_node(b, st, w, wid, &info, 1, info.topn_limit == 1 ? "Deduplicate" : "TopN");
            e.n = 1;
            e.stage[0] = st;
            if (info.topn_project)
                append_node(b, st, info.topn_project, pid, NULL, 1, "Project");
            append_node(b, st, p, id, NULL, 1, "Filter");
            e.changelog = true;
            return e;
        }
        e = build(b, p->left);
        append_stateless(b, &e, p, id, "Filter");
        return e;
    }
    case PLAN_PROJECT:
        e = build(b, p->left);
        append_stateless(b, &e, p, id, "Project");
        return e;
    case PLAN_WINDOW_ASSIGN: {
        e = build(b, p->left);
        const PlanNode *an = p;
        if (!has_event_time(p->left)) {
            /* no event time below: processing-time windows (the source's watermark is the
             * wall clock, so the rows must be put into windows by it too) */
            PlanNode *c = arena_memdup(b->arena, p, sizeof(*p));
            c->gwindow.proctime = true;
            an = c;
        }
        append_stateless(b, &e, an, id,
                         p->gwindow.kind == GW_HOP ? "HopAssign" : "TumbleAssign");
        return e;
    }
    case PLAN_AGGREGATE: {
        Ends in = build(b, p->left);
        bool cl[2] = {in.changelog, false};
        stream_op_classify(p, b->emit, cl, &info);
        /* hash on the grouping keys other than window bounds (so the windows of one key stay
         * together); window bounds only when there is nothing else */
        int nk = 0;
        Expr **keys = arena_new_array(b->arena, Expr *, p->ngroups > 0 ? p->ngroups : 1);
        for (int i = 0; i < p->ngroups; i++)
            if (i != info.window_start_group && i != info.window_end_group)
                keys[nk++] = p->groups[i];
        if (nk == 0)
            for (int i = 0; i < p->ngroups; i++)
                keys[nk++] = p->groups[i];
        int st = keyed_stage(b, nk == 0);
        close_ends(b, &in, st, 0, nk ? STREAM_HASH : STREAM_SINGLE, nk, keys);
        const char *label = info.kind == STREAM_OP_WINDOW_AGGREGATE
                                ? arena_strdup(b->arena, window_label(info.window, "Aggregate"))
                                : "ChangelogAggregate";
        append_node(b, st, p, id, &info, 1, label);
        e.n = 1;
        e.stage[0] = st;
        e.changelog = info.emits_changelog;
        return e;
    }
    case PLAN_JOIN: {
        bool ls = reads_stream(p->left), rs = reads_stream(p->right);
        if (!ls && !rs)
            unsupported(plan_location(p), "a join in a pipeline must read a stream%s", "");
        if (ls && rs) {
            Ends l = build(b, p->left);
            Ends r = build(b, p->right);
            bool cl[2] = {l.changelog, r.changelog};
            stream_op_classify(p, b->emit, cl, &info);
            /* hash on the equi-keys other than window bounds */
            int nk = 0;
            Expr **lk = arena_new_array(b->arena, Expr *, p->nkeys > 0 ? p->nkeys : 1);
            Expr **rk = arena_new_array(b->arena, Expr *, p->nkeys > 0 ? p->nkeys : 1);
            for (int i = 0; i < p->nkeys; i++)
                if (i != info.window_start_key && i != info.window_end_key) {
                    lk[nk] = p->left_keys[i];
                    rk[nk++] = p->right_keys[i];
                }
            if (nk == 0)
                for (int i = 0; i < p->nkeys; i++) {
                    lk[nk] = p->left_keys[i];
                    rk[nk++] = p->right_keys[i];
                }
            if (info.kind == STREAM_OP_REGULAR_JOIN)
                info.needed_cols = needed_cols(b, p);
            int st = keyed_stage(b, nk == 0);
            close_ends(b, &l, st, 0, nk ? STREAM_HASH : STREAM_SINGLE, nk, lk);
            close_ends(b, &r, st, 1, nk ? STREAM_HASH : STREAM_SINGLE, nk, rk);
            append_node(b, st, p, id, &info, 2,
                        info.kind == STREAM_OP_WINDOW_JOIN     ? "WindowJoin"
                        : info.kind == STREAM_OP_INTERVAL_JOIN ? "IntervalJoin"
                                                               : "RegularJoin");
            e.n = 1;
            e.stage[0] = st;
            e.changelog = info.emits_changelog;
            return e;
        }
        bool cl[2] = {false, false};
        if (stream_op_classify(p, b->emit, cl, &info) != STREAM_OP_LOOKUP_JOIN)
            unsupported(plan_location(p),
                        "a pipeline can join a stream only with plain tables read directly "
                        "(scans under filters and projections)%s",
                        "");
        /* the table side's operators get ids (deterministic), but are run by the join */
        e = build(b, info.stream_side == 0 ? p->left : p->right);
        info.input_changelog[0] = e.changelog;
        info.emits_changelog = e.changelog;
        const PlanNode *t = info.lookup_plan;
        while (t->kind != PLAN_SCAN)
            t = t->left;
        const char *label = arena_printf(b->arena, "LookupJoin(%s)", t->rel->name);
        for (int i = 0; i < e.n; i++)
            append_node(b, e.stage[i], p, id, &info, 1, label);
        return e;
    }
    case PLAN_SETOP:
        if (p->setop == SETOP_UNION && p->all) {
            Ends l = build(b, p->left);
            Ends r = build(b, p->right);
            if (l.n + r.n > MAX_ENDS)
                unsupported(-1, "%s", "a UNION ALL of more than 32 inputs is not supported in pipelines");
            e = l;
            for (int i = 0; i < r.n; i++)
                e.stage[e.n++] = r.stage[i];
            e.changelog = l.changelog || r.changelog;
            return e;
        }
        unsupported(plan_location(p->left), "%s is not supported in pipelines (only UNION ALL)",
                    p->setop == SETOP_UNION ? "UNION" : p->setop == SETOP_INTERSECT ? "INTERSECT" : "EXCEPT");
    case PLAN_SORT:
        unsupported(plan_location(p), "%s",
                    "ORDER BY is not supported in pipelines (a stream has no end to sort); use "
                    "row_number() OVER (... ORDER BY ...) with a filter for top-N");
    case PLAN_LIMIT:
        unsupported(plan_location(p), "%s",
                    "LIMIT/OFFSET is not supported in pipelines; use row_number() for top-N");
    case PLAN_DISTINCT:
        unsupported(plan_location(p), "%s",
                    "SELECT DISTINCT is not supported in pipelines; use GROUP BY");
    case PLAN_WINDOW:
        unsupported(plan_location(p), "%s",
                    "window functions are supported in pipelines only as row_number() filtered by "
                    "rn <= k (top-N)");
    case PLAN_VALUES:
    case PLAN_RESULT:
    case PLAN_FUNCTION_SCAN:
        unsupported(-1, "%s", "a pipeline must read from source tables (VALUES and set-returning "
                              "functions are bounded)");
    default:
        unsupported(-1, "%s", "this query shape is not supported in pipelines");
    }
}

static bool expr_has_subquery(const Expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == EXPR_SUBQUERY)
        return true;
    for (int i = 0; i < e->nargs; i++)
        if (expr_has_subquery(e->args[i]))
            return true;
    return false;
}

/* Subqueries inside expressions are not streams the runtime can run: refuse them. */
static void check_no_subqueries(const PlanNode *p)
{
    if (p == NULL)
        return;
    const Expr *found = NULL;
    if (expr_has_subquery(p->predicate))
        found = p->predicate;
    for (int i = 0; i < p->nexprs && !found; i++)
        if (expr_has_subquery(p->exprs[i]))
            found = p->exprs[i];
    for (int i = 0; i < p->ngroups && !found; i++)
        if (expr_has_subquery(p->groups[i]))
            found = p->groups[i];
    for (int i = 0; i < p->naggs && !found; i++)
        for (int j = 0; j < p->aggs[i].nargs && !found; j++)
            if (expr_has_subquery(p->aggs[i].args[j]))
                found = p->aggs[i].args[j];
    if (found)
        unsupported(expr_location(found), "%s",
                    "subqueries in expressions are not supported in pipelines");
    check_no_subqueries(p->left);
    check_no_subqueries(p->right);
}

/* Can the target apply a changelog (updates and deletes by key)? */
static bool target_accepts_changelog(const Relation *t, const char *connector)
{
    if (t->kind == REL_PLAIN)
        return t->npk > 0;
    if (connector && strcmp(connector, "blackhole") == 0)
        return true;
    if (t->table)
        for (int i = 0; i < t->table->noptions; i++)
            if ((strcmp(t->table->options[i].name, "write_mode") == 0 &&
                 strcasecmp(t->table->options[i].value, "upsert") == 0) ||
                /* kafka: upserts and tombstones keyed by key_field (kafka_sink.c) */
                (connector && strcasecmp(connector, "kafka") == 0 &&
                 strcmp(t->table->options[i].name, "key_field") == 0))
                return true;
    return false;
}

/* The node that makes the output a changelog (for the error position and message). */
static const PlanNode *changelog_origin(const PlanNode *p, EmitMode emit)
{
    if (p == NULL)
        return NULL;
    if (p->kind == PLAN_AGGREGATE) {
        StreamOpInfo info;
        bool cl[2] = {false, false};
        stream_op_classify(p, emit, cl, &info);
        if (info.emits_changelog)
            return p;
    }
    if (p->kind == PLAN_FILTER) {
        StreamOpInfo info;
        bool cl[2] = {false, false};
        if (stream_op_classify(p, emit, cl, &info) == STREAM_OP_TOPN)
            return p;
    }
    const PlanNode *l = changelog_origin(p->left, emit);
    return l ? l : changelog_origin(p->right, emit);
}

StreamGraph *stream_plan_build(Arena *a, const PlanNode *plan, int parallelism, EmitMode emit)
{
    if (plan == NULL || plan->kind != PLAN_INSERT || plan->target == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("a pipeline must be INSERT INTO a table SELECT ..."));
    if (parallelism < 1)
        parallelism = 1;
    if (plan->nreturning > 0)
        unsupported(-1, "%s", "RETURNING is not supported in pipelines");
    if (plan->on_conflict)
        unsupported(-1, "%s", "ON CONFLICT is not supported in pipelines (plain tables are upserted by "
                              "their primary key)");
    check_no_subqueries(plan->left);
    if (!reads_stream(plan->left))
        unsupported(-1, "%s", "a pipeline must read from at least one source table");
    const Relation *t = plan->target;
    if (t->kind != REL_PLAIN && t->kind != REL_SINK)
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("cannot insert into \"%s\": a pipeline writes into a sink table or a plain table",
                       t->name));

    Builder b = {0};
    b.arena = a;
    b.parallelism = parallelism;
    b.emit = emit;
    int sink_id = ++b.next_operator_id;
    mark_all(&b, plan->left); /* the INSERT writes every column of its child */
    Ends e = build(&b, plan->left);

    StreamGraph *g = arena_new(a, StreamGraph);
    g->insert = plan;
    g->target = t;
    g->sink_connector = t->kind == REL_PLAIN ? "table" : (t->table ? t->table->connector : NULL);
    g->emits_changelog = e.changelog;

    int last;
    if (e.n == 1) /* also a single-subtask stage (global aggregate): its sink has one subtask */
        last = e.stage[0];
    else {
        last = new_stage(&b, parallelism);
        close_ends(&b, &e, last, 0, STREAM_FORWARD, 0, NULL);
    }
    StreamStage *s = &b.stages[last];
    s->insert = plan;
    s->sink_operator_id = sink_id;
    s->sink_label = t->kind == REL_PLAIN ? arena_printf(a, "Sink(table %s)", t->name)
                                         : arena_printf(a, "Sink(%s)", g->sink_connector ? g->sink_connector : "?");
    g->nstages = b.nstages;
    g->stages = b.stages;
    g->noperators = b.next_operator_id;
    return g;
}

void stream_plan_check_emit(Arena *a, const PlanNode *plan, EmitMode emit)
{
    StreamGraph *g = stream_plan_build(a, plan, 1, emit);
    if (g->emits_changelog && !target_accepts_changelog(g->target, g->sink_connector)) {
        const PlanNode *o = changelog_origin(plan->left, emit);
        const char *what = "this query emits updates";
        if (o && o->kind == PLAN_AGGREGATE)
            what = emit == EMIT_ON_UPDATE && o->gwindow.kind != GW_NONE
                       ? "a windowed aggregate with emit = 'on_update' emits updates"
                       : "a non-windowed aggregate emits updates";
        else if (o && o->kind == PLAN_FILTER)
            what = "a top-N query emits updates";
        int loc = plan_location(o);
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("%s and cannot write into append-only %s \"%s\"", what,
                       g->target->kind == REL_PLAIN ? "table" : "sink table", g->target->name),
                g->target->kind == REL_PLAIN
                    ? errhint("Give the table a primary key so that rows are upserted by it, or "
                              "aggregate over a window (TUMBLE, HOP, SESSION).")
                    : errhint("Use a sink with write_mode = 'upsert' or a plain table with a primary "
                              "key, or aggregate over a window (TUMBLE, HOP, SESSION)."),
                loc >= 0 ? errposition(loc + 1) : 0);
    }
}

void stream_plan_check(Arena *a, const PlanNode *plan)
{
    stream_plan_check_emit(a, plan, EMIT_ON_WINDOW_CLOSE);
}

/* ---- EXPLAIN PIPELINE ---- */

static void explain_keys(const StreamStage *s, StrBuf *out)
{
    const PlanNode *top = s->nnodes ? s->nodes[s->nnodes - 1].plan : s->source_scan;
    for (int i = 0; i < s->nkeys; i++) {
        if (i)
            strbuf_append_str(out, ", ");
        explain_expr(s->keys[i], top->ncols, top->cols, out);
    }
}

void stream_graph_explain(const StreamGraph *g, StrBuf *out)
{
    for (int si = 0; si < g->nstages; si++) {
        const StreamStage *s = &g->stages[si];
        strbuf_printf(out, "Stage %d [parallelism %d]: ", si + 1, s->parallelism);
        bool first = true;
        if (s->source_scan) {
            strbuf_printf(out, "Source(%s)", s->source_rel->name);
            first = false;
        } else if (s->ninputs == 1 && (s->inputs[0].nproducers > 1 || s->nnodes == 0)) {
            strbuf_append_str(out, "Union(");
            for (int j = 0; j < s->inputs[0].nproducers; j++)
                strbuf_printf(out, "%sStage %d", j ? ", " : "", s->inputs[0].producers[j] + 1);
            strbuf_append_str(out, ")");
            first = false;
        }
        for (int i = 0; i < s->nnodes; i++) {
            if (!first)
                strbuf_append_str(out, " -> ");
            first = false;
            const StreamNode *n = &s->nodes[i];
            strbuf_append_str(out, n->label);
            if (i == 0 && s->ninputs == 2)
                strbuf_printf(out, "(Stage %d, Stage %d)", s->inputs[0].producers[0] + 1,
                              s->inputs[1].producers[0] + 1);
            if (n->info.kind == STREAM_OP_TOPN)
                strbuf_printf(out, "(%lld)", (long long)n->info.topn_limit);
        }
        if (!first)
            strbuf_append_str(out, " -> ");
        if (s->out_stage < 0)
            strbuf_append_str(out, s->sink_label);
        else if (s->out_part == STREAM_HASH) {
            strbuf_append_str(out, "HashExchange(");
            explain_keys(s, out);
            strbuf_printf(out, ") to Stage %d", s->out_stage + 1);
        } else if (s->out_part == STREAM_SINGLE)
            strbuf_printf(out, "SingleExchange to Stage %d", s->out_stage + 1);
        else
            strbuf_printf(out, "Forward to Stage %d", s->out_stage + 1);
        strbuf_append_char(out, '\n');
    }
}

void stream_explain(Arena *a, const PlanNode *plan, int parallelism, StrBuf *out)
{
    StreamGraph *g = stream_plan_build(a, plan, parallelism, EMIT_ON_WINDOW_CLOSE);
    stream_graph_explain(g, out);
}
