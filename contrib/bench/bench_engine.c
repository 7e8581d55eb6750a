/*
 * bench_engine.c: engine-only throughput of the vectorized executor (no
 * server, no wire protocol), reported as rows per CPU-second of one core.
 *
 *   filter+project:  generate_series(1, N) x WHERE x % 7 <> 0 → SELECT x * 2 + 1
 *   hash aggregate:  generate_series(1, N) x GROUP BY x % 1000 → count(*), sum(x)
 *   hash join:       generate_series(1, N) x JOIN generate_series(1, N / 10) y ON x % (N / 10) = y
 *   sort:            generate_series(1, N / 10) x ORDER BY x * 7919 % 1000003 (N / 10 rows)
 *   table scan:      a plain table of N rows (id bigint primary key, v bigint) in a
 *                    temporary RocksDB directory, scanned completely (--table)
 *
 * Plans are built by hand from the function registry, exactly as the binder
 * would build them, and run with exec_run.  Usage:
 *
 *   contrib/bench/bench_engine [--rows N] [--repeat K] [--table]
 *
 * The best of K runs is printed (CPU time of the process, one thread).
 */
#include "common/vector.h"
#include "executor/exec.h"
#include "executor/expr.h"
#include "executor/func.h"
#include "planner/plan.h"
#include "planner/relation.h"
#include "storage/storage.h"
#include "storage/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static Arena *A;
static ExecContext CTX;

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static Expr *cint(int64 x)
{
    Expr *e = expr_make(A, EXPR_CONST, type_int64(), -1);
    e->value = arena_new(A, Vector);
    vector_init(e->value, A, type_int64(), 1);
    vector_set_int64(e->value, 0, x);
    return e;
}

static Expr *call(const char *name, Expr *x, Expr *y)
{
    const LmType *argt[2] = {x->type, y ? y->type : NULL};
    const LmType *cast_to[2] = {NULL, NULL};
    const LmType *ret = NULL;
    int n = y ? 2 : 1;
    const FuncDesc *f = func_resolve(A, name, n, argt, cast_to, &ret);
    if (f == NULL) {
        fprintf(stderr, "bench_engine: function %s not found\n", name);
        exit(2);
    }
    Expr *e = expr_make(A, EXPR_FUNC, ret ? ret : type_scalar((TypeId)f->ret), -1);
    e->func = f;
    e->nargs = n;
    e->args = arena_new_array(A, Expr *, 2);
    e->args[0] = x;
    e->args[1] = y;
    return e;
}

static AggCall aggcall(const char *name, Expr *arg)
{
    AggCall c = {0};
    const LmType *argt[1] = {arg ? arg->type : NULL};
    const LmType *cast_to[1] = {NULL};
    const LmType *ret = NULL;
    c.agg = agg_resolve(A, name, arg ? 1 : 0, argt, cast_to, &ret);
    if (c.agg == NULL) {
        fprintf(stderr, "bench_engine: aggregate %s not found\n", name);
        exit(2);
    }
    c.nargs = arg ? 1 : 0;
    c.args = arena_new_array(A, Expr *, 1);
    c.args[0] = arg;
    c.type = ret ? ret : type_scalar((TypeId)c.agg->ret);
    c.name = name;
    return c;
}

static void one_col(PlanNode *p, const LmType *t)
{
    p->ncols = 1;
    p->cols = arena_new_array(A, PlanColumn, 1);
    p->cols[0].name = "x";
    p->cols[0].type = t;
}

static PlanNode *series(int64 n)
{
    PlanNode *p = plan_make(A, PLAN_FUNCTION_SCAN);
    p->func_name = "generate_series";
    p->nfunc_args = 2;
    p->func_args = arena_new_array(A, Expr *, 2);
    p->func_args[0] = cint(1);
    p->func_args[1] = cint(n);
    one_col(p, type_int64());
    return p;
}

static PlanNode *filter_project(int64 n)
{
    Expr *x = expr_make_column(A, 0, type_int64(), -1);
    PlanNode *f = plan_make(A, PLAN_FILTER);
    f->left = series(n);
    f->predicate = call("<>", call("%", x, cint(7)), cint(0));
    f->ncols = 1;
    f->cols = f->left->cols;
    PlanNode *p = plan_make(A, PLAN_PROJECT);
    p->left = f;
    p->nexprs = 1;
    p->exprs = arena_new_array(A, Expr *, 1);
    p->exprs[0] = call("+", call("*", x, cint(2)), cint(1));
    one_col(p, p->exprs[0]->type);
    return p;
}

static PlanNode *hash_aggregate(int64 n)
{
    Expr *x = expr_make_column(A, 0, type_int64(), -1);
    PlanNode *p = plan_make(A, PLAN_AGGREGATE);
    p->left = series(n);
    p->ngroups = 1;
    p->groups = arena_new_array(A, Expr *, 1);
    p->groups[0] = call("%", x, cint(1000));
    p->naggs = 2;
    p->aggs = arena_new_array(A, AggCall, 2);
    p->aggs[0] = aggcall("count", NULL);
    p->aggs[1] = aggcall("sum", x);
    p->ncols = 3;
    p->cols = arena_new_array(A, PlanColumn, 3);
    p->cols[0].type = p->groups[0]->type;
    p->cols[1].type = p->aggs[0].type;
    p->cols[2].type = p->aggs[1].type;
    return p;
}

static PlanNode *series_from(int64 from, int64 to)
{
    PlanNode *p = series(to);
    p->func_args[0] = cint(from);
    return p;
}

static PlanNode *hash_join(int64 n)
{
    Expr *x = expr_make_column(A, 0, type_int64(), -1);
    PlanNode *p = plan_make(A, PLAN_JOIN);
    p->left = series(n);
    p->right = series_from(1, n / 10);
    p->join_type = JOIN_INNER;
    p->nkeys = 1;
    p->left_keys = arena_new_array(A, Expr *, 1);
    p->right_keys = arena_new_array(A, Expr *, 1);
    p->left_keys[0] = call("%", x, cint(n / 10));
    p->right_keys[0] = x;
    p->ncols = 2;
    p->cols = arena_new_array(A, PlanColumn, 2);
    p->cols[0].type = p->cols[1].type = type_int64();
    return p;
}

static PlanNode *sort_rows(int64 n)
{
    Expr *x = expr_make_column(A, 0, type_int64(), -1);
    PlanNode *p = plan_make(A, PLAN_SORT);
    p->left = series(n);
    p->nsort = 1;
    p->sort = arena_new_array(A, SortKey, 1);
    p->sort[0].expr = call("%", call("*", x, cint(7919)), cint(1000003));
    one_col(p, type_int64());
    return p;
}

static int64 out_rows;

static void sink(void *arg, const Batch *b)
{
    out_rows += batch_live_count(b);
}

static void bench(const char *name, PlanNode *(*make)(int64), int64 n, int repeat)
{
    double best = 1e30;
    for (int i = 0; i < repeat; i++) {
        PlanNode *p = make(n);
        out_rows = 0;
        double t0 = cpu_seconds();
        exec_run(&CTX, p, sink, NULL);
        double t = cpu_seconds() - t0;
        if (t < best)
            best = t;
    }
    printf("%-16s %12lld rows in %.3f s CPU: %8.1f M rows/s/core (%lld output rows)\n", name,
           (long long)n, best, (double)n / best / 1e6, (long long)out_rows);
}

/* ---- plain-table scan ---- */

static Relation *bench_table(void)
{
    CatTable *t = arena_new(A, CatTable);
    t->oid = 90001;
    t->schema = "public";
    t->name = "bench";
    t->kind = CAT_TABLE_PLAIN;
    t->ncolumns = 2;
    t->columns = arena_new_array(A, CatColumn, 2);
    t->columns[0].name = "id";
    t->columns[0].type = type_int64();
    t->columns[0].not_null = true;
    t->columns[1].name = "v";
    t->columns[1].type = type_int64();
    t->nprimary_key = 1;
    t->primary_key = arena_new_array(A, int, 1);
    RelColumn *rc = arena_new_array(A, RelColumn, 2);
    rc[0] = (RelColumn){"id", type_int64(), true, NULL};
    rc[1] = (RelColumn){"v", type_int64(), false, NULL};
    Relation *rel = arena_new(A, Relation);
    rel->kind = REL_PLAIN;
    rel->oid = t->oid;
    rel->name = "bench";
    rel->ncols = 2;
    rel->cols = rc;
    rel->table = t;
    return rel;
}

static void bench_scan(int64 n, int repeat)
{
    char dir[] = "/tmp/lm_bench_engine_XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return;
    }
    Storage *st = storage_open(dir);
    CTX.storage = st;
    Relation *rel = bench_table();
    const LmType *types[2] = {type_int64(), type_int64()};
    Arena *ba = arena_create("load", A);
    double t0 = cpu_seconds();
    const int64 per_txn = 100000;
    for (int64 base = 0; base < n; base += per_txn) {
        TableTxn *txn = table_txn_begin(st);
        int64 end = LM_MIN(base + per_txn, n);
        for (int64 b0 = base; b0 < end; b0 += LM_BATCH_SIZE) {
            arena_reset(ba);
            Batch *b = batch_create(ba, 2, types, LM_BATCH_SIZE);
            int k = (int)LM_MIN((int64)LM_BATCH_SIZE, end - b0);
            for (int i = 0; i < k; i++) {
                ((int64 *)b->cols[0].data)[i] = b0 + i;
                ((int64 *)b->cols[1].data)[i] = (b0 + i) * 3;
            }
            b->count = k;
            table_insert(txn, rel->table, b, CONFLICT_ERROR, NULL, NULL);
        }
        table_txn_commit(txn);
    }
    printf("%-16s %12lld rows in %.3f s CPU (load, %d-row transactions)\n", "table load",
           (long long)n, cpu_seconds() - t0, (int)per_txn);
    double best = 1e30;
    for (int r = 0; r < repeat; r++) {
        CTX.txn = table_txn_begin(st);
        PlanNode *p = plan_make(A, PLAN_SCAN);
        p->rel = rel;
        p->nscan_cols = 2;
        p->scan_cols = arena_new_array(A, int, 2);
        p->scan_cols[1] = 1;
        p->ncols = 2;
        p->cols = arena_new_array(A, PlanColumn, 2);
        p->cols[0].type = p->cols[1].type = type_int64();
        out_rows = 0;
        double t1 = cpu_seconds();
        exec_run(&CTX, p, sink, NULL);
        double t = cpu_seconds() - t1;
        if (t < best)
            best = t;
        table_txn_abort(CTX.txn);
        CTX.txn = NULL;
    }
    printf("%-16s %12lld rows in %.3f s CPU: %8.1f M rows/s/core (%lld output rows)\n",
           "table scan", (long long)n, best, (double)n / best / 1e6, (long long)out_rows);
    storage_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int main(int argc, char **argv)
{
    int64 n = 10000000;
    int repeat = 3;
    bool table = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc)
            n = atoll(argv[++i]);
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--table") == 0)
            table = true;
        else {
            fprintf(stderr, "usage: %s [--rows N] [--repeat K] [--table]\n", argv[0]);
            return 2;
        }
    }
    A = arena_create("bench", NULL);
    CTX.arena = A;
    /* Each run builds its plan in A; the statement arena is never reset here, which is
     * fine for a handful of runs. */
    bench("filter+project", filter_project, n, repeat);
    bench("hash aggregate", hash_aggregate, n, repeat);
    bench("hash join", hash_join, n, repeat);
    bench("sort", sort_rows, n / 10, repeat);
    if (table)
        bench_scan(n, repeat);
    arena_destroy(A);
    return 0;
}
