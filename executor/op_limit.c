/*
 * op_limit.c: PLAN_LIMIT — OFFSET and LIMIT.
 *
 * Both expressions are evaluated once at open (they may use parameters but
 * no columns).  Rows are skipped and cut by narrowing the batch's selection
 * vector, never copied; once LIMIT rows have been returned the child is not
 * pulled again.  NULL means "no limit" / offset 0, as in PostgreSQL.
 */
#include "executor/operator.h"

typedef struct LimitState {
    int64 skip;      /* offset rows still to skip */
    int64 remaining; /* rows still to return; -1: no limit */
    uint16 sel[LM_BATCH_SIZE];
    Batch out;
} LimitState;

static int64 eval_count(Operator *op, const Expr *e, const char *sqlstate, const char *what)
{
    Vector *v = op_eval_const(op, e, op_state_arena(op));
    if (!vector_is_valid(v, 0))
        return -1;
    int64 x;
    switch (v->type->id) {
    case TYPE_INT8:
        x = ((int8 *)v->data)[0];
        break;
    case TYPE_INT16:
        x = ((int16 *)v->data)[0];
        break;
    case TYPE_INT32:
        x = ((int32 *)v->data)[0];
        break;
    case TYPE_INT64:
        x = ((int64 *)v->data)[0];
        break;
    default: {
        /* The binder coerces to bigint; anything else is cast here. */
        Vector c;
        Batch one = {0};
        one.count = 1;
        vector_init(&c, op_state_arena(op), type_int64(), 1);
        cast_vector(op->ctx, v, &one, &c, e->location);
        x = ((int64 *)c.data)[0];
        break;
    }
    }
    if (x < 0)
        ereport(ERROR, errcode(sqlstate), errmsg("%s must not be negative", what));
    return x;
}

static void limit_open(Operator *op)
{
    LimitState *st = op->state;
    const PlanNode *p = op->plan;
    st->remaining = p->limit ? eval_count(op, p->limit, "2201W", "LIMIT") : -1;
    st->skip = p->offset ? eval_count(op, p->offset, "2201X", "OFFSET") : 0;
    if (st->skip < 0)
        st->skip = 0;
}

static ExecEvent limit_next(Operator *op)
{
    LimitState *st = op->state;
    for (;;) {
        if (st->remaining == 0)
            return exec_event_end();
        ExecEvent ev = exec_next(op->children[0]);
        if (ev.kind != EXEC_BATCH)
            return ev;
        Batch *in = ev.batch;
        int n = batch_live_count(in);
        int start = 0;
        if (st->skip > 0) {
            int k = (int)LM_MIN(st->skip, (int64)n);
            st->skip -= k;
            start = k;
        }
        int take = n - start;
        if (st->remaining >= 0 && take > st->remaining)
            take = (int)st->remaining;
        if (take <= 0)
            continue;
        if (st->remaining > 0)
            st->remaining -= take;
        if (start == 0 && take == n)
            return ev;
        for (int i = 0; i < take; i++)
            st->sel[i] = (uint16)batch_row(in, start + i);
        st->out = *in;
        st->out.sel = st->sel;
        st->out.nsel = take;
        ev.batch = &st->out;
        return ev;
    }
}

static const OperatorOps limit_ops = {"Limit", limit_open, limit_next, NULL};

void op_limit_init(Operator *op)
{
    op->state = arena_new(op_state_arena(op), LimitState);
    op->ops = &limit_ops;
}
