/*
 * plan.c: constructors for bound expressions and logical plan nodes
 * (planner/plan.h).  Everything is allocated zeroed in the statement arena
 * and never freed individually; EXPLAIN lives in planner/explain.c.
 */
#include "planner/plan.h"

Expr *expr_make(Arena *a, ExprKind kind, const LmType *type, int location)
{
    Expr *e = arena_new(a, Expr);
    e->kind = kind;
    e->type = type;
    e->location = location;
    return e;
}

Expr *expr_make_column(Arena *a, int index, const LmType *type, int location)
{
    Expr *e = expr_make(a, EXPR_COLUMN, type, location);
    e->index = index;
    return e;
}

PlanNode *plan_make(Arena *a, PlanKind kind)
{
    PlanNode *p = arena_new(a, PlanNode);
    p->kind = kind;
    return p;
}
