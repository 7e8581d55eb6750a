/*
 * bench_expr.c: micro-benchmark of the expression evaluator alone (no
 * operators, no storage): over 10M int64 rows in batches of LM_BATCH_SIZE,
 * the filter `x % 7 <> 0 AND x > 100` (expr_filter, the AND narrowing the
 * selection) and then the projection `x * 2 + 1` over the surviving rows
 * (expr_eval with a selection vector).  Prints rows per second for each
 * phase and for both together.  Run by hand: contrib/bench/bench_expr [rows].
 */
#include "executor/expr.h"
#include "executor/func.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static Arena *A;

static Expr *const_int64(int64 v)
{
    Expr *e = expr_make(A, EXPR_CONST, type_int64(), -1);
    e->value = arena_new(A, Vector);
    vector_init(e->value, A, type_int64(), 1);
    vector_set_int64(e->value, 0, v);
    return e;
}

static Expr *op(const char *name, Expr *l, Expr *r)
{
    const LmType *types[2] = {l->type, r->type}, *casts[2], *ret;
    const FuncDesc *f = func_resolve(A, name, 2, types, casts, &ret);
    if (f == NULL || casts[0] || casts[1]) {
        fprintf(stderr, "cannot resolve %s\n", name);
        exit(1);
    }
    Expr *e = expr_make(A, EXPR_FUNC, ret, -1);
    e->func = f;
    e->nargs = 2;
    e->args = arena_new_array(A, Expr *, 2);
    e->args[0] = l;
    e->args[1] = r;
    return e;
}

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int64 nrows = argc > 1 ? atoll(argv[1]) : 10000000;
    A = arena_create("bench_expr", NULL);
    ExecContext ctx = {.arena = A};
    Expr *x = expr_make_column(A, 0, type_int64(), -1);
    Expr *conj[2] = {op("<>", op("%", x, const_int64(7)), const_int64(0)), op(">", x, const_int64(100))};
    Expr *pred = expr_make(A, EXPR_AND, type_bool(), -1);
    pred->nargs = 2;
    pred->args = conj;
    Expr *proj = op("+", op("*", x, const_int64(2)), const_int64(1));
    ExprState *fs = expr_init(&ctx, pred), *ps = expr_init(&ctx, proj);

    const LmType *t = type_int64();
    Batch *b = batch_create(A, 1, &t, LM_BATCH_SIZE);
    uint16 *sel = arena_alloc(A, sizeof(uint16) * LM_BATCH_SIZE);
    int64 *data = b->cols[0].data;
    double t_filter = 0, t_project = 0;
    int64 kept = 0, checksum = 0;
    for (int64 base = 0; base < nrows; base += LM_BATCH_SIZE) {
        int n = (int)(nrows - base < LM_BATCH_SIZE ? nrows - base : LM_BATCH_SIZE);
        for (int i = 0; i < n; i++)
            data[i] = base + i;
        b->count = n;
        b->sel = NULL;
        double t0 = now_sec();
        int k = expr_filter(fs, b, sel);
        double t1 = now_sec();
        b->sel = sel;
        b->nsel = k;
        Vector *v = expr_eval(ps, b);
        double t2 = now_sec();
        t_filter += t1 - t0;
        t_project += t2 - t1;
        kept += k;
        checksum += ((int64 *)v->data)[sel[k > 0 ? k - 1 : 0]];
    }
    printf("rows %lld, kept %lld (checksum %lld)\n", (long long)nrows, (long long)kept,
           (long long)checksum);
    printf("filter   x %% 7 <> 0 AND x > 100: %8.1f M rows/s\n", nrows / t_filter / 1e6);
    printf("project  x * 2 + 1 (selected):    %8.1f M rows/s\n", kept / t_project / 1e6);
    printf("together:                         %8.1f M rows/s\n", nrows / (t_filter + t_project) / 1e6);
    arena_destroy(A);
    return 0;
}
