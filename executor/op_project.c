/*
 * op_project.c: PLAN_PROJECT — computes the output expressions over each
 * input batch.
 *
 * The output batch has the input's row count and selection vector; a plain
 * column reference shares the input vector (no copy), any other expression
 * contributes the vector expr_eval returns (valid at the live rows, owned by
 * the expression state until its next evaluation).
 */
#include "executor/operator.h"

typedef struct ProjectState {
    ExprState **exprs; /* NULL for plain column references */
    Batch out;
} ProjectState;

static ExecEvent project_next(Operator *op)
{
    ProjectState *st = op->state;
    const PlanNode *p = op->plan;
    ExecEvent ev = exec_next(op->children[0]);
    if (ev.kind != EXEC_BATCH)
        return ev;
    const Batch *in = ev.batch;
    Batch *out = &st->out;
    for (int i = 0; i < p->nexprs; i++) {
        if (st->exprs[i] == NULL)
            out->cols[i] = in->cols[p->exprs[i]->index];
        else
            out->cols[i] = *expr_eval(st->exprs[i], in);
    }
    out->ncols = p->nexprs;
    out->count = in->count;
    out->sel = in->sel;
    out->nsel = in->nsel;
    out->ops = in->ops;
    out->arena = in->arena;
    ev.batch = out;
    return ev;
}

static const OperatorOps project_ops = {"Project", NULL, project_next, NULL};

void op_project_init(Operator *op)
{
    Arena *a = op_state_arena(op);
    const PlanNode *p = op->plan;
    ProjectState *st = arena_new(a, ProjectState);
    st->exprs = arena_new_array(a, ExprState *, p->nexprs > 0 ? p->nexprs : 1);
    for (int i = 0; i < p->nexprs; i++)
        if (p->exprs[i]->kind != EXPR_COLUMN)
            st->exprs[i] = op_expr_init(op, p->exprs[i]);
    st->out.cols = arena_new_array(a, Vector, p->nexprs > 0 ? p->nexprs : 1);
    op->state = st;
    op->ops = &project_ops;
}
