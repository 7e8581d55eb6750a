/*
 * op_filter.c: PLAN_FILTER — keeps the rows for which the predicate is TRUE.
 *
 * No row is copied: expr_filter writes the surviving row positions into the
 * operator's selection vector, and the output batch is the input batch (its
 * vectors shared) with that selection.  Batches with no surviving row are
 * skipped; a batch where every row survives is passed through unchanged.
 */
#include "executor/operator.h"

typedef struct FilterState {
    ExprState *pred;
    uint16 sel[LM_BATCH_SIZE];
    Batch out;
} FilterState;

static ExecEvent filter_next(Operator *op)
{
    FilterState *st = op->state;
    for (;;) {
        ExecEvent ev = exec_next(op->children[0]);
        if (ev.kind != EXEC_BATCH)
            return ev;
        Batch *in = ev.batch;
        int live = batch_live_count(in);
        if (live == 0)
            continue;
        int n = expr_filter(st->pred, in, st->sel);
        if (n == 0)
            continue;
        if (n == live)
            return ev;
        st->out = *in;
        st->out.sel = st->sel;
        st->out.nsel = n;
        ev.batch = &st->out;
        return ev;
    }
}

static const OperatorOps filter_ops = {"Filter", NULL, filter_next, NULL};

void op_filter_init(Operator *op)
{
    FilterState *st = arena_new(op_state_arena(op), FilterState);
    st->pred = op_expr_init(op, op->plan->predicate);
    op->state = st;
    op->ops = &filter_ops;
}
