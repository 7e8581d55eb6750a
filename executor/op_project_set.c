/*
 * op_project_set.c: PLAN_PROJECT_SET — the set-returning functions of a
 * select list (unnest, generate_series, generate_subscripts,
 * _pg_expandarray, laminar.infer_schema), evaluated per input row as PostgreSQL's ProjectSet does.
 * FROM uses it too, over a one-row Result, for the functions the function
 * scan does not run, and for WITH ORDINALITY (a counter that adds no rows).
 *
 * Per input batch the functions' arguments are evaluated once, vectorized
 * (expr_eval over the batch).  Then each live input row starts one cursor
 * per function from its argument values, and output rows are produced
 * while any cursor still yields: the input's columns repeated, each
 * function's next value or NULL once it is exhausted (functions zip, the
 * longest wins).  A row whose functions all yield nothing produces no
 * output.  An output batch never mixes input batches (the input's vectors
 * are only valid until the child's next call), so a batch is returned early
 * when the input batch runs out; cursor state carries a long series over
 * as many output batches as it needs.  The input columns are gathered once
 * per output batch (vector_gather); strict functions yield nothing for a
 * NULL argument, unnest of a NULL array nothing.
 */
#include "executor/operator.h"
#include "common/timezone.h"

#include <string.h>

typedef enum SrfKind {
    SRF_UNNEST = 0,
    SRF_SERIES_INT,  /* int2/int4/int8 */
    SRF_SERIES_DEC,  /* numeric: scaled int128 */
    SRF_SERIES_TS,   /* timestamp, timestamptz (TimeZone-aware month/day steps) */
    SRF_SUBSCRIPTS,  /* generate_subscripts(array, dim [, reverse]) */
    SRF_EXPAND,      /* _pg_expandarray(array): STRUCT (x element, n 1-based position) */
    SRF_ORDINALITY,  /* WITH ORDINALITY: 1, 2, ... alongside the others, adding no rows */
    SRF_INFER,       /* laminar.infer_schema(...): STRUCT rows of op_infer_schema.c's batch */
} SrfKind;

/* One function's position within the current input row. */
typedef struct SrfCursor {
    bool active;
    int128 cur, stop, step; /* series (numbers), subscripts */
    Interval step_iv;        /* timestamps: cur/stop hold the micros */
    const Vector *array;     /* unnest */
    const Batch *rows;       /* infer_schema: the inferred columns */
    int row;
    uint32 pos, len;
} SrfCursor;

typedef struct ProjectSetState {
    int nchild;
    SrfKind *kinds;
    ExprState **args; /* per argument expression (NULL: plain column reference) */
    Vector **argv;    /* values of the current input batch */
    SrfCursor *cursors;
    const LmType **types;
    const TimeZone *tz;
    const Batch *in; /* current input batch (valid until the child's next call) */
    int live_i;      /* live row of `in` being expanded */
    bool row_started;
    bool child_done;
    uint16 *src_rows;
    Operator *op;
} ProjectSetState;

static int128 int_at(const Vector *v, int r)
{
    switch (v->type->id) {
    case TYPE_INT8: return ((const int8 *)v->data)[r];
    case TYPE_INT16: return ((const int16 *)v->data)[r];
    case TYPE_INT32: return ((const int32 *)v->data)[r];
    case TYPE_DECIMAL: return ((const int128 *)v->data)[r];
    default: return ((const int64 *)v->data)[r];
    }
}

static void start_cursor(ProjectSetState *st, const PlanNode *p, int s, int r)
{
    const SrfCall *call = &p->srfs[s];
    Vector **a = st->argv + call->first_arg;
    SrfCursor *c = &st->cursors[s];
    memset(c, 0, sizeof(*c));
    int nstrict = st->kinds[s] == SRF_SUBSCRIPTS ? 2 : call->nargs;
    for (int i = 0; i < nstrict; i++)
        if (!vector_is_valid(a[i], r))
            return; /* strict (unnest: a NULL array has no elements) */
    c->row = r;
    switch (st->kinds[s]) {
    case SRF_INFER: {
        /* (table) | (connector, options) | (connector, profile, options) */
        const char *v[3] = {NULL, NULL, NULL};
        Arena *sa = op_state_arena(st->op);
        for (int i = 0; i < call->nargs; i++) {
            const StrView *sv = &((const StrView *)a[i]->data)[r];
            v[i] = sv->len ? arena_strndup(sa, sv->ptr, sv->len) : NULL;
        }
        if (call->nargs == 1)
            c->rows = infer_schema_rows(st->op->ctx, sa, v[0], NULL, NULL, NULL);
        else if (call->nargs == 2)
            c->rows = infer_schema_rows(st->op->ctx, sa, NULL, v[0], NULL, v[1]);
        else
            c->rows = infer_schema_rows(st->op->ctx, sa, NULL, v[0], v[1], v[2]);
        c->pos = 0;
        c->len = (uint32)c->rows->count;
        c->active = c->len > 0;
        return;
    }
    case SRF_ORDINALITY:
        c->cur = 1;
        c->active = true;
        return;
    case SRF_UNNEST:
    case SRF_EXPAND: {
        const ListEntry *le = &((const ListEntry *)a[0]->data)[r];
        c->array = a[0];
        c->pos = le->offset;
        c->len = le->length;
        c->cur = 1;
        c->active = le->length > 0;
        return;
    }
    case SRF_SUBSCRIPTS: {
        const ListEntry *le = &((const ListEntry *)a[0]->data)[r];
        Oid pg = a[0]->type->pg_oid;
        int128 lower = (pg == INT2VECTOROID || pg == OIDVECTOROID) ? 0 : 1;
        if (int_at(a[1], r) != 1 || le->length == 0)
            return;
        bool reverse = call->nargs == 3 && vector_is_valid(a[2], r) && ((const uint8 *)a[2]->data)[r];
        int128 upper = lower + le->length - 1;
        c->cur = reverse ? upper : lower;
        c->stop = reverse ? lower : upper;
        c->step = reverse ? -1 : 1;
        c->active = true;
        return;
    }
    case SRF_SERIES_INT:
    case SRF_SERIES_DEC: {
        int scale = p->srfs[s].type->id == TYPE_DECIMAL ? p->srfs[s].type->scale : 0;
        c->cur = int_at(a[0], r);
        c->stop = int_at(a[1], r);
        if (call->nargs == 3)
            c->step = int_at(a[2], r);
        else {
            c->step = 1;
            for (int i = 0; i < scale; i++)
                c->step *= 10;
        }
        if (c->step == 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("step size cannot equal zero"));
        c->active = c->step > 0 ? c->cur <= c->stop : c->cur >= c->stop;
        return;
    }
    case SRF_SERIES_TS: {
        c->cur = ((const int64 *)a[0]->data)[r];
        c->stop = ((const int64 *)a[1]->data)[r];
        c->step_iv = ((const Interval *)a[2]->data)[r];
        int128 total = (int128)c->step_iv.micros + (int128)c->step_iv.days * USECS_PER_DAY +
                       (int128)c->step_iv.months * 30 * USECS_PER_DAY;
        if (total == 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("step size cannot equal zero"));
        c->step = total > 0 ? 1 : -1;
        c->active = c->step > 0 ? c->cur <= c->stop : c->cur >= c->stop;
        return;
    }
    }
}

/* Writes the cursor's next value into out[row]; false when it has none left. */
static bool cursor_yield(ProjectSetState *st, Operator *op, int s, Vector *out, int row)
{
    SrfCursor *c = &st->cursors[s];
    if (!c->active)
        return false;
    switch (st->kinds[s]) {
    case SRF_UNNEST:
        vector_copy_value(out, op->batch_arena, row, &c->array->children[0], (int)c->pos);
        c->pos++;
        c->active = --c->len > 0;
        return true;
    case SRF_EXPAND:
        vector_copy_value(&out->children[0], op->batch_arena, row, &c->array->children[0],
                          (int)c->pos);
        ((int32 *)out->children[1].data)[row] = (int32)c->cur++;
        vector_set_valid(&out->children[1], row);
        vector_set_valid(out, row);
        c->pos++;
        c->active = --c->len > 0;
        return true;
    case SRF_INFER:
        for (int k = 0; k < 4; k++)
            vector_copy_value(&out->children[k], op->batch_arena, row, &c->rows->cols[k],
                              (int)c->pos);
        vector_set_valid(out, row);
        c->pos++;
        c->active = --c->len > 0;
        return true;
    case SRF_ORDINALITY:
    case SRF_SUBSCRIPTS:
    case SRF_SERIES_INT:
    case SRF_SERIES_DEC:
        switch (out->type->id) {
        case TYPE_INT16: ((int16 *)out->data)[row] = (int16)c->cur; break;
        case TYPE_INT32: ((int32 *)out->data)[row] = (int32)c->cur; break;
        case TYPE_DECIMAL: ((int128 *)out->data)[row] = c->cur; break;
        default: ((int64 *)out->data)[row] = (int64)c->cur; break;
        }
        vector_set_valid(out, row);
        if (st->kinds[s] == SRF_ORDINALITY) {
            c->cur++;
            return true;
        }
        c->cur += c->step;
        c->active = c->step > 0 ? c->cur <= c->stop : c->cur >= c->stop;
        return true;
    case SRF_SERIES_TS: {
        int64 ts = (int64)c->cur;
        ((int64 *)out->data)[row] = ts;
        vector_set_valid(out, row);
        /* as PostgreSQL: the step is added to the previous value; timestamptz steps months and
         * days in the session zone */
        const TimeZone *tz = out->type->id == TYPE_TIMESTAMPTZ ? st->tz : timezone_utc();
        c->cur = timezone_add_interval(tz, ts, &c->step_iv, 1);
        c->active = c->step > 0 ? c->cur <= c->stop : c->cur >= c->stop;
        return true;
    }
    }
    return false;
}

static void eval_args(ProjectSetState *st, const PlanNode *p, const Batch *in)
{
    for (int i = 0; i < p->nexprs; i++)
        st->argv[i] = st->args[i] ? expr_eval(st->args[i], in) : &in->cols[p->exprs[i]->index];
}

static ExecEvent project_set_next(Operator *op)
{
    ProjectSetState *st = op->state;
    const PlanNode *p = op->plan;
    arena_reset(op->batch_arena);
    Batch *out = batch_create(op->batch_arena, p->ncols, st->types, LM_BATCH_SIZE);
    int n = 0;
    const Batch *src = NULL; /* the input batch of this output batch's rows */
    while (n < LM_BATCH_SIZE) {
        if (st->in == NULL || st->live_i >= batch_live_count(st->in)) {
            if (n > 0 || st->child_done)
                break; /* never mix input batches in one output batch */
            ExecEvent ev = exec_next(op->children[0]);
            if (ev.kind == EXEC_END) {
                st->child_done = true;
                st->in = NULL;
                break;
            }
            if (ev.kind != EXEC_BATCH)
                return ev; /* nothing produced yet: pass it on */
            st->in = ev.batch;
            st->live_i = 0;
            st->row_started = false;
            eval_args(st, p, st->in);
            continue;
        }
        int r = batch_row(st->in, st->live_i);
        if (!st->row_started) {
            for (int s = 0; s < p->nsrfs; s++)
                start_cursor(st, p, s, r);
            st->row_started = true;
        }
        bool any = false;
        for (int s = 0; s < p->nsrfs; s++) {
            Vector *col = &out->cols[st->nchild + s];
            if (cursor_yield(st, op, s, col, n))
                any |= st->kinds[s] != SRF_ORDINALITY; /* the counter alone makes no row */
            else
                vector_set_null(col, n);
        }
        if (!any) {
            st->live_i++;
            st->row_started = false;
            continue;
        }
        src = st->in;
        st->src_rows[n++] = (uint16)r;
    }
    if (n == 0)
        return exec_event_end();
    for (int c = 0; c < st->nchild; c++)
        vector_gather(&out->cols[c], op->batch_arena, &src->cols[c], st->src_rows, n);
    out->count = n;
    return exec_event_batch(out);
}

static const OperatorOps project_set_ops = {"ProjectSet", NULL, project_set_next, NULL};

void op_project_set_init(Operator *op)
{
    Arena *a = op_state_arena(op);
    const PlanNode *p = op->plan;
    ProjectSetState *st = arena_new(a, ProjectSetState);
    st->nchild = p->left->ncols;
    st->types = plan_col_types(a, p);
    st->args = arena_new_array(a, ExprState *, p->nexprs > 0 ? p->nexprs : 1);
    st->argv = arena_new_array(a, Vector *, p->nexprs > 0 ? p->nexprs : 1);
    for (int i = 0; i < p->nexprs; i++)
        if (p->exprs[i]->kind != EXPR_COLUMN || p->exprs[i]->levels_up != 0)
            st->args[i] = op_expr_init(op, p->exprs[i]);
    st->kinds = arena_new_array(a, SrfKind, p->nsrfs > 0 ? p->nsrfs : 1);
    st->cursors = arena_new_array(a, SrfCursor, p->nsrfs > 0 ? p->nsrfs : 1);
    for (int s = 0; s < p->nsrfs; s++) {
        const SrfCall *c = &p->srfs[s];
        TypeId t = c->type->id;
        if (strcmp(c->name, "unnest") == 0 && c->nargs == 1)
            st->kinds[s] = SRF_UNNEST;
        else if (strcmp(c->name, "_pg_expandarray") == 0 && c->nargs == 1 && t == TYPE_STRUCT)
            st->kinds[s] = SRF_EXPAND;
        else if (strcmp(c->name, "infer_schema") == 0 && c->nargs >= 1 && c->nargs <= 3 &&
                 t == TYPE_STRUCT)
            st->kinds[s] = SRF_INFER;
        else if (strcmp(c->name, "ordinality") == 0 && c->nargs == 0 && t == TYPE_INT64)
            st->kinds[s] = SRF_ORDINALITY;
        else if (strcmp(c->name, "generate_subscripts") == 0 && (c->nargs == 2 || c->nargs == 3))
            st->kinds[s] = SRF_SUBSCRIPTS;
        else if (strcmp(c->name, "generate_series") == 0 && (c->nargs == 2 || c->nargs == 3) &&
                 (t == TYPE_TIMESTAMP || t == TYPE_TIMESTAMPTZ) && c->nargs == 3)
            st->kinds[s] = SRF_SERIES_TS;
        else if (strcmp(c->name, "generate_series") == 0 && (c->nargs == 2 || c->nargs == 3) &&
                 (t == TYPE_INT16 || t == TYPE_INT32 || t == TYPE_INT64))
            st->kinds[s] = SRF_SERIES_INT;
        else if (strcmp(c->name, "generate_series") == 0 && (c->nargs == 2 || c->nargs == 3) &&
                 t == TYPE_DECIMAL)
            st->kinds[s] = SRF_SERIES_DEC;
        else
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("set-returning function %s is not supported here", c->name));
    }
    st->tz = timezone_session();
    st->op = op;
    st->src_rows = arena_alloc(a, sizeof(uint16) * LM_BATCH_SIZE);
    op->state = st;
    op->ops = &project_set_ops;
}
