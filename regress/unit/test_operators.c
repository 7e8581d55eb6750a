/*
 * test_operators.c: the bounded-query operators on hand-built plans —
 * generate_series/VALUES/unnest/RESULT and a system-view scan, filter,
 * project, hash aggregation (groups, no groups, empty input, DISTINCT,
 * FILTER, ORDER BY inside the call), every join type with NULL keys and
 * residual conditions (hash and nested loop), sort orders with NULLs,
 * limit/offset, set operations with duplicates, window functions and
 * cancellation.  Output rows are checked exactly, in the order the
 * operators produce them.
 *
 * The functions and aggregates used are defined here (FuncDesc/AggDesc with
 * the registry's kernel contract), so the test depends on the evaluator but
 * not on registry names.
 */
#include "common/vector.h"
#include "executor/exec.h"
#include "executor/expr.h"
#include "executor/func.h"
#include "planner/plan.h"
#include "planner/relation.h"
#include "storage/table.h"
#include "lmtest.h"

#include <stdlib.h>
#include <unistd.h>

static Arena *A;
static ExecContext CTX;

/* ---- functions ---- */

#define LIVE_LOOP for (int i_ = 0, r; i_ < batch_live_count(b) && (r = batch_row(b, i_), 1); i_++)

static void k_mod(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    LIVE_LOOP((int64 *)out->data)[r] = ((int64 *)a[0]->data)[r] % ((int64 *)a[1]->data)[r];
}
static void k_add(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    LIVE_LOOP((int64 *)out->data)[r] = ((int64 *)a[0]->data)[r] + ((int64 *)a[1]->data)[r];
}
static void k_neg(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    LIVE_LOOP((int64 *)out->data)[r] = -((int64 *)a[0]->data)[r];
}
static void k_eq(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    LIVE_LOOP((uint8 *)out->data)[r] = ((int64 *)a[0]->data)[r] == ((int64 *)a[1]->data)[r];
}
static void k_gt(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    LIVE_LOOP((uint8 *)out->data)[r] = ((int64 *)a[0]->data)[r] > ((int64 *)a[1]->data)[r];
}
static void k_lt(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    LIVE_LOOP((uint8 *)out->data)[r] = ((int64 *)a[0]->data)[r] < ((int64 *)a[1]->data)[r];
}
static void k_text_ne(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    LIVE_LOOP
    {
        StrView x = ((StrView *)a[0]->data)[r], y = ((StrView *)a[1]->data)[r];
        ((uint8 *)out->data)[r] = x.len != y.len || memcmp(x.ptr, y.ptr, x.len) != 0;
    }
}

static void k_to_text(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    LIVE_LOOP
    {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "k%lld", (long long)((int64 *)a[0]->data)[r]);
        vector_set_str(out, fc->scratch, r, buf, (size_t)n);
    }
}

static const FuncDesc F_MOD = {"%",        0,    2,     {TYPE_INT64, TYPE_INT64},
                               TYPE_INT64, NULL, k_mod, FN_STRICT};
static const FuncDesc F_ADD = {"+",        0,    2,     {TYPE_INT64, TYPE_INT64},
                               TYPE_INT64, NULL, k_add, FN_STRICT};
static const FuncDesc F_NEG = {"-", 0, 1, {TYPE_INT64}, TYPE_INT64, NULL, k_neg, FN_STRICT};
static const FuncDesc F_EQ = {"=",       0,    2,    {TYPE_INT64, TYPE_INT64},
                              TYPE_BOOL, NULL, k_eq, FN_STRICT};
static const FuncDesc F_GT = {">",       0,    2,    {TYPE_INT64, TYPE_INT64},
                              TYPE_BOOL, NULL, k_gt, FN_STRICT};
static const FuncDesc F_LT = {"<",       0,    2,    {TYPE_INT64, TYPE_INT64},
                              TYPE_BOOL, NULL, k_lt, FN_STRICT};
static const FuncDesc F_TEXT = {"text",      0,    1,         {TYPE_INT64},
                                TYPE_STRING, NULL, k_to_text, FN_STRICT};
static const FuncDesc F_TNE = {"<>",      0,    2,         {TYPE_STRING, TYPE_STRING},
                               TYPE_BOOL, NULL, k_text_ne, FN_STRICT};

/* ---- aggregates ---- */

typedef struct SumState {
    int64 sum;
    int64 n;
} SumState;

static void a_init(AggKernelArgs *k, void *s)
{
    memset(s, 0, sizeof(SumState));
}
static void a_count_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g,
                           char *states)
{
    LIVE_LOOP((SumState *)states)[g[r]].n++;
}
static void a_sum_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g,
                         char *states)
{
    LIVE_LOOP
    {
        if (!vector_is_valid(args[0], r))
            continue;
        SumState *s = &((SumState *)states)[g[r]];
        s->sum += ((int64 *)args[0]->data)[r];
        s->n++;
    }
}
static void a_count_final(AggKernelArgs *k, const void *s, Vector *out, int row)
{
    vector_set_int64(out, row, ((const SumState *)s)->n);
}
static void a_sum_final(AggKernelArgs *k, const void *s, Vector *out, int row)
{
    const SumState *ss = s;
    if (ss->n == 0)
        vector_set_null(out, row);
    else
        vector_set_int64(out, row, ss->sum);
}

/* strcat(text): concatenation with ',' in update order */
typedef struct CatState {
    char *buf;
    size_t len, cap;
} CatState;
static void c_init(AggKernelArgs *k, void *s)
{
    memset(s, 0, sizeof(CatState));
}
static void c_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g, char *states)
{
    LIVE_LOOP
    {
        CatState *s = &((CatState *)states)[g[r]];
        StrView v = ((StrView *)args[0]->data)[r];
        size_t need = s->len + v.len + 1;
        if (need > s->cap) {
            size_t ncap = need * 2 + 16;
            s->buf = arena_realloc(k->arena, s->buf, s->cap, ncap);
            s->cap = ncap;
        }
        if (s->len)
            s->buf[s->len++] = ',';
        memcpy(s->buf + s->len, v.ptr, v.len);
        s->len += v.len;
    }
}
static void c_final(AggKernelArgs *k, const void *s, Vector *out, int row)
{
    const CatState *cs = s;
    if (cs->buf == NULL)
        vector_set_null(out, row);
    else
        vector_set_str(out, out->arena, row, cs->buf, cs->len);
}

static const AggDesc AG_COUNT_STAR = {
    "count",       0,    0, {0}, TYPE_INT64, NULL, sizeof(SumState), a_init, a_count_update, NULL,
    a_count_final, false};
static const AggDesc AG_COUNT = {"count",
                                 0,
                                 1,
                                 {FT_ANY},
                                 TYPE_INT64,
                                 NULL,
                                 sizeof(SumState),
                                 a_init,
                                 a_count_update,
                                 NULL,
                                 a_count_final,
                                 true};
static const AggDesc AG_SUM = {
    "sum",        0,    1,           {TYPE_INT64}, TYPE_INT64, NULL, sizeof(SumState), a_init,
    a_sum_update, NULL, a_sum_final, true};
static const AggDesc AG_CAT = {
    "strcat",         0,      1,        {TYPE_STRING}, TYPE_STRING, NULL,
    sizeof(CatState), c_init, c_update, NULL,          c_final,     true};

/* ---- expression and plan builders ---- */

static const LmType *I64, *TXT, *BOOLT;

static Expr *col(int i, const LmType *t)
{
    return expr_make_column(A, i, t, -1);
}
static Expr *cint(int64 x)
{
    Expr *e = expr_make(A, EXPR_CONST, I64, -1);
    e->value = arena_new(A, Vector);
    vector_init(e->value, A, I64, 1);
    vector_set_int64(e->value, 0, x);
    return e;
}
static Expr *ctext(const char *s)
{
    Expr *e = expr_make(A, EXPR_CONST, TXT, -1);
    e->value = arena_new(A, Vector);
    vector_init(e->value, A, TXT, 1);
    vector_set_cstr(e->value, A, 0, s);
    return e;
}
static Expr *cnull(const LmType *t)
{
    Expr *e = expr_make(A, EXPR_CONST, t, -1);
    e->value = arena_new(A, Vector);
    vector_init(e->value, A, t, 1);
    vector_set_null(e->value, 0);
    return e;
}
static Expr *fn(const FuncDesc *f, const LmType *t, Expr *x, Expr *y)
{
    Expr *e = expr_make(A, EXPR_FUNC, t, -1);
    e->func = f;
    e->nargs = y ? 2 : 1;
    e->args = arena_new_array(A, Expr *, 2);
    e->args[0] = x;
    e->args[1] = y;
    return e;
}

static void set_cols(PlanNode *p, int n, const LmType *const *types)
{
    p->ncols = n;
    p->cols = arena_new_array(A, PlanColumn, n + 1);
    for (int i = 0; i < n; i++) {
        p->cols[i].type = types[i];
        p->cols[i].name = arena_printf(A, "c%d", i);
    }
}

static PlanNode *series(int64 from, int64 to, int64 step)
{
    PlanNode *p = plan_make(A, PLAN_FUNCTION_SCAN);
    p->func_name = "generate_series";
    p->nfunc_args = 3;
    p->func_args = arena_new_array(A, Expr *, 3);
    p->func_args[0] = cint(from);
    p->func_args[1] = cint(to);
    p->func_args[2] = cint(step);
    set_cols(p, 1, &I64);
    return p;
}

/* VALUES from a spec string: rows separated by ';', values by ','; "N" is NULL; types from
 * the type letters in `types` ('i' int64, 't' text). */
static PlanNode *values(const char *types, const char *spec)
{
    int nc = (int)strlen(types);
    const LmType *tt[16];
    for (int c = 0; c < nc; c++)
        tt[c] = types[c] == 'i' ? I64 : TXT;
    PlanNode *p = plan_make(A, PLAN_VALUES);
    set_cols(p, nc, tt);
    int cap = 64;
    p->rows = arena_new_array(A, Expr **, cap);
    char *s = arena_strdup(A, spec);
    char *save1 = NULL;
    for (char *row = strtok_r(s, ";", &save1); row; row = strtok_r(NULL, ";", &save1)) {
        Expr **r = arena_new_array(A, Expr *, nc);
        char *save2 = NULL;
        int c = 0;
        for (char *v = strtok_r(row, ",", &save2); v && c < nc;
             v = strtok_r(NULL, ",", &save2), c++) {
            if (strcmp(v, "N") == 0)
                r[c] = cnull(tt[c]);
            else if (types[c] == 'i')
                r[c] = cint(strtoll(v, NULL, 10));
            else
                r[c] = ctext(v);
        }
        p->rows[p->nrows++] = r;
    }
    return p;
}

static PlanNode *filter(PlanNode *child, Expr *pred)
{
    PlanNode *p = plan_make(A, PLAN_FILTER);
    p->left = child;
    p->predicate = pred;
    p->ncols = child->ncols;
    p->cols = child->cols;
    return p;
}

static PlanNode *project(PlanNode *child, int n, Expr **exprs)
{
    PlanNode *p = plan_make(A, PLAN_PROJECT);
    p->left = child;
    p->nexprs = n;
    p->exprs = exprs;
    const LmType *tt[16];
    for (int i = 0; i < n; i++)
        tt[i] = exprs[i]->type;
    set_cols(p, n, tt);
    return p;
}

static AggCall agg(const AggDesc *d, Expr *arg)
{
    AggCall c = {0};
    c.agg = d;
    c.nargs = arg ? 1 : 0;
    c.args = arena_new_array(A, Expr *, 1);
    c.args[0] = arg;
    c.type = d->ret == TYPE_STRING ? TXT : I64;
    return c;
}

static PlanNode *aggregate(PlanNode *child, int ng, Expr **groups, int na, AggCall *aggs)
{
    PlanNode *p = plan_make(A, PLAN_AGGREGATE);
    p->left = child;
    p->ngroups = ng;
    p->groups = groups;
    p->naggs = na;
    p->aggs = aggs;
    const LmType *tt[16];
    for (int i = 0; i < ng; i++)
        tt[i] = groups[i]->type;
    for (int i = 0; i < na; i++)
        tt[ng + i] = aggs[i].type;
    set_cols(p, ng + na, tt);
    return p;
}

static PlanNode *join(PlanNode *l, PlanNode *r, JoinType jt, int lk, int rk, Expr *residual)
{
    PlanNode *p = plan_make(A, PLAN_JOIN);
    p->left = l;
    p->right = r;
    p->join_type = jt;
    if (lk >= 0) {
        p->nkeys = 1;
        p->left_keys = arena_new_array(A, Expr *, 1);
        p->right_keys = arena_new_array(A, Expr *, 1);
        p->left_keys[0] = col(lk, l->cols[lk].type);
        p->right_keys[0] = col(rk, r->cols[rk].type);
        p->residual = residual;
    } else {
        p->predicate = residual;
    }
    const LmType *tt[32];
    int n = 0;
    for (int i = 0; i < l->ncols; i++)
        tt[n++] = l->cols[i].type;
    if (jt != JOIN_SEMI && jt != JOIN_ANTI)
        for (int i = 0; i < r->ncols; i++)
            tt[n++] = r->cols[i].type;
    set_cols(p, n, tt);
    return p;
}

static PlanNode *sort1(PlanNode *child, int nkeys, const int *cols, const bool *desc,
                       const bool *nulls_first)
{
    PlanNode *p = plan_make(A, PLAN_SORT);
    p->left = child;
    p->nsort = nkeys;
    p->sort = arena_new_array(A, SortKey, nkeys);
    for (int k = 0; k < nkeys; k++) {
        p->sort[k].expr = col(cols[k], child->cols[cols[k]].type);
        p->sort[k].descending = desc[k];
        p->sort[k].nulls_first = nulls_first[k];
    }
    p->ncols = child->ncols;
    p->cols = child->cols;
    return p;
}

static PlanNode *limit(PlanNode *child, Expr *lim, Expr *off)
{
    PlanNode *p = plan_make(A, PLAN_LIMIT);
    p->left = child;
    p->limit = lim;
    p->offset = off;
    p->ncols = child->ncols;
    p->cols = child->cols;
    return p;
}

static PlanNode *setop(PlanNode *l, PlanNode *r, SetOpKind k, bool all)
{
    PlanNode *p = plan_make(A, PLAN_SETOP);
    p->left = l;
    p->right = r;
    p->setop = k;
    p->all = all;
    p->ncols = l->ncols;
    p->cols = l->cols;
    return p;
}

/* ---- running plans ---- */

static void sink_text(void *arg, const Batch *b)
{
    StrBuf *out = arg;
    int n = batch_live_count(b);
    for (int i = 0; i < n; i++) {
        int r = batch_row(b, i);
        if (out->len)
            strbuf_append_char(out, ';');
        for (int c = 0; c < b->ncols; c++) {
            if (c)
                strbuf_append_char(out, ',');
            if (!vector_is_valid(&b->cols[c], r))
                strbuf_append_str(out, "N");
            else
                value_format_text(&b->cols[c], r, out);
        }
    }
}

static const char *run(PlanNode *p)
{
    StrBuf *out = arena_new(A, StrBuf);
    strbuf_init(out, A);
    exec_run(&CTX, p, sink_text, out);
    strbuf_append_char(out, '\0');
    return out->data;
}

static int64 run_count(PlanNode *p)
{
    return exec_run(&CTX, p, NULL, NULL);
}

/* ---- a system view ---- */

static const RelColumn view_cols[] = {{"id", NULL, false, NULL}, {"name", NULL, false, NULL}};

static void view_fill(ExecContext *ctx, RowSet *rs)
{
    const char *names[] = {"x", "y", "z"};
    for (int i = 0; i < 3; i++) {
        int r;
        Batch *b = rowset_add_row(rs, &r);
        vector_set_int64(&b->cols[0], r, i + 1);
        vector_set_cstr(&b->cols[1], rs->arena, r, names[i]);
    }
}

/* ---- tests ---- */

static void test_scans(void)
{
    LMT_CHECK_STR(run(series(1, 5, 2)), "1;3;5", "generate_series with step");
    LMT_CHECK_STR(run(series(5, 1, -2)), "5;3;1", "generate_series counting down");
    LMT_CHECK_STR(run(series(3, 1, 1)), "", "empty generate_series");
    LMT_CHECK_INT(run_count(series(1, 3000, 1)), 3000, "generate_series spans batches");
    LMT_EXPECT_ERROR(run(series(1, 3, 0)), "22023", "step zero is rejected");
    LMT_CHECK_STR(run(values("it", "1,a;N,b;3,N")), "1,a;N,b;3,N", "VALUES with NULLs");

    PlanNode *res = plan_make(A, PLAN_RESULT);
    LMT_CHECK_INT(run_count(res), 1, "RESULT produces one row");

    /* generate_series(timestamp, timestamp, interval) steps from the previous value */
    PlanNode *ts = plan_make(A, PLAN_FUNCTION_SCAN);
    ts->func_name = "generate_series";
    ts->nfunc_args = 3;
    ts->func_args = arena_new_array(A, Expr *, 3);
    const LmType *tst = type_timestamp(), *ivt = type_interval();
    for (int i = 0; i < 3; i++) {
        Expr *e = expr_make(A, EXPR_CONST, i < 2 ? tst : ivt, -1);
        e->value = arena_new(A, Vector);
        vector_init(e->value, A, e->type, 1);
        const char *txt[] = {"2024-01-31 10:00:00", "2024-04-30 10:00:00", "1 month"};
        value_parse_text(e->value, A, 0, txt[i], strlen(txt[i]));
        ts->func_args[i] = e;
    }
    set_cols(ts, 1, &tst);
    LMT_CHECK_STR(run(ts),
                  "2024-01-31 10:00:00;2024-02-29 10:00:00;2024-03-29 10:00:00;2024-04-29 10:00:00",
                  "generate_series over timestamps by month");

    /* unnest(ARRAY[1,NULL,3]) */
    PlanNode *un = plan_make(A, PLAN_FUNCTION_SCAN);
    un->func_name = "unnest";
    un->nfunc_args = 1;
    un->func_args = arena_new_array(A, Expr *, 1);
    const LmType *arr = type_array(A, I64);
    Expr *ae = expr_make(A, EXPR_CONST, arr, -1);
    ae->value = arena_new(A, Vector);
    vector_init(ae->value, A, arr, 1);
    value_parse_text(ae->value, A, 0, "{1,NULL,3}", 10);
    un->func_args[0] = ae;
    set_cols(un, 1, &I64);
    LMT_CHECK_STR(run(un), "1;N;3", "unnest of an array");

    /* system view scan projected to (name, id) */
    SystemView *v = arena_new(A, SystemView);
    RelColumn *vc = arena_memdup(A, view_cols, sizeof view_cols);
    vc[0].type = I64;
    vc[1].type = TXT;
    v->name = "v";
    v->ncols = 2;
    v->cols = vc;
    v->fill = view_fill;
    Relation *rel = arena_new(A, Relation);
    rel->kind = REL_SYSTEM_VIEW;
    rel->name = "v";
    rel->ncols = 2;
    rel->cols = vc;
    rel->view = v;
    PlanNode *scan = plan_make(A, PLAN_SCAN);
    scan->rel = rel;
    scan->nscan_cols = 2;
    scan->scan_cols = arena_new_array(A, int, 2);
    scan->scan_cols[0] = 1;
    scan->scan_cols[1] = 0;
    const LmType *st[] = {TXT, I64};
    set_cols(scan, 2, st);
    LMT_CHECK_STR(run(scan), "x,1;y,2;z,3", "system view scan with column projection");
    Relation *src = arena_new(A, Relation);
    *src = *rel;
    src->kind = REL_SOURCE;
    src->name = "clicks";
    PlanNode *sscan = plan_make(A, PLAN_SCAN);
    *sscan = *scan;
    sscan->rel = src;
    LMT_EXPECT_ERROR(run(sscan), "0A000", "reading a source table is not supported yet");
}

static void test_filter_project(void)
{
    /* SELECT x + 100 FROM generate_series(1,10) x WHERE x % 3 = 0 */
    PlanNode *f =
        filter(series(1, 10, 1), fn(&F_EQ, BOOLT, fn(&F_MOD, I64, col(0, I64), cint(3)), cint(0)));
    Expr **ex = arena_new_array(A, Expr *, 2);
    ex[0] = fn(&F_ADD, I64, col(0, I64), cint(100));
    ex[1] = col(0, I64);
    LMT_CHECK_STR(run(project(f, 2, ex)), "103,3;106,6;109,9", "filter then project");
    PlanNode *none = filter(series(1, 10, 1), fn(&F_GT, BOOLT, col(0, I64), cint(100)));
    LMT_CHECK_STR(run(none), "", "filter removing every row");
    PlanNode *nulls = filter(values("i", "1;N;5"), fn(&F_GT, BOOLT, col(0, I64), cint(0)));
    LMT_CHECK_STR(run(nulls), "1;5", "NULL predicate drops the row");
    PlanNode *big = filter(series(1, 100000, 1),
                           fn(&F_EQ, BOOLT, fn(&F_MOD, I64, col(0, I64), cint(7)), cint(0)));
    LMT_CHECK_INT(run_count(big), 14285, "filter over many batches");
}

static void test_aggregates(void)
{
    const char *data = "1,a;2,b;1,c;N,d;2,e;1,a";
    Expr **g = arena_new_array(A, Expr *, 1);
    g[0] = col(0, I64);
    AggCall *ac = arena_new_array(A, AggCall, 3);
    ac[0] = agg(&AG_COUNT_STAR, NULL);
    ac[1] = agg(&AG_SUM, col(0, I64));
    ac[2] = agg(&AG_COUNT, col(1, TXT));
    LMT_CHECK_STR(run(aggregate(values("it", data), 1, g, 3, ac)), "1,3,3,3;2,2,4,2;N,1,N,1",
                  "GROUP BY with NULL group, count(*), sum, count");

    /* no GROUP BY over empty input: one row */
    PlanNode *empty = filter(values("it", data), fn(&F_GT, BOOLT, col(0, I64), cint(10)));
    LMT_CHECK_STR(run(aggregate(empty, 0, NULL, 2, ac)), "0,N",
                  "aggregate without groups on empty input");
    PlanNode *empty2 = filter(values("it", data), fn(&F_GT, BOOLT, col(0, I64), cint(10)));
    LMT_CHECK_STR(run(aggregate(empty2, 1, g, 2, ac)), "", "GROUP BY on empty input has no rows");

    /* count(DISTINCT x), sum(DISTINCT x), count(*) FILTER (WHERE x > 1) */
    AggCall *dc = arena_new_array(A, AggCall, 3);
    dc[0] = agg(&AG_COUNT, col(0, I64));
    dc[0].distinct = true;
    dc[1] = agg(&AG_SUM, col(0, I64));
    dc[1].distinct = true;
    dc[2] = agg(&AG_COUNT_STAR, NULL);
    dc[2].filter = fn(&F_GT, BOOLT, col(0, I64), cint(1));
    LMT_CHECK_STR(run(aggregate(values("it", data), 0, NULL, 3, dc)), "2,3,2",
                  "DISTINCT aggregates and FILTER");
    Expr **g1 = arena_new_array(A, Expr *, 1);
    g1[0] = col(0, I64);
    AggCall *dt = arena_new_array(A, AggCall, 1);
    dt[0] = agg(&AG_COUNT, col(1, TXT));
    dt[0].distinct = true;
    LMT_CHECK_STR(run(aggregate(values("it", data), 1, g1, 1, dt)), "1,2;2,2;N,1",
                  "count(DISTINCT) per group");

    /* strcat(s ORDER BY s DESC), strcat(s) in input order */
    AggCall *oc = arena_new_array(A, AggCall, 2);
    oc[0] = agg(&AG_CAT, col(1, TXT));
    oc[0].norder = 1;
    oc[0].order = arena_new_array(A, SortKey, 1);
    oc[0].order[0].expr = col(1, TXT);
    oc[0].order[0].descending = true;
    oc[1] = agg(&AG_CAT, col(1, TXT));
    LMT_CHECK_STR(run(aggregate(values("it", data), 1, g, 2, oc)), "1,c,a,a,a,c,a;2,e,b,b,e;N,d,d",
                  "ordered aggregate per group");

    /* 1000 groups over 100000 rows */
    Expr **gm = arena_new_array(A, Expr *, 1);
    gm[0] = fn(&F_MOD, I64, col(0, I64), cint(1000));
    AggCall *sc = arena_new_array(A, AggCall, 1);
    sc[0] = agg(&AG_SUM, col(0, I64));
    PlanNode *ga = aggregate(series(1, 100000, 1), 1, gm, 1, sc);
    LMT_CHECK_INT(run_count(ga), 1000, "1000 groups");
    AggCall *tot = arena_new_array(A, AggCall, 1);
    tot[0] = agg(&AG_SUM, col(1, I64));
    LMT_CHECK_STR(run(aggregate(aggregate(series(1, 100000, 1), 1, gm, 1, sc), 0, NULL, 1, tot)),
                  "5000050000", "sums over 1000 groups add up");
}

static void test_joins(void)
{
    const char *L = "1,a;2,b;N,n;3,c", *R = "1,x;1,y;N,z;4,w";
#define J(type, res) run(join(values("it", L), values("it", R), type, 0, 0, res))
    LMT_CHECK_STR(J(JOIN_INNER, NULL), "1,a,1,x;1,a,1,y", "inner hash join, NULL keys never match");
    LMT_CHECK_STR(J(JOIN_LEFT, NULL), "1,a,1,x;1,a,1,y;2,b,N,N;N,n,N,N;3,c,N,N", "left hash join");
    LMT_CHECK_STR(J(JOIN_RIGHT, NULL), "1,a,1,x;1,a,1,y;N,N,N,z;N,N,4,w", "right hash join");
    LMT_CHECK_STR(J(JOIN_FULL, NULL), "1,a,1,x;1,a,1,y;2,b,N,N;N,n,N,N;3,c,N,N;N,N,N,z;N,N,4,w",
                  "full hash join");
    LMT_CHECK_STR(J(JOIN_SEMI, NULL), "1,a", "semi hash join");
    LMT_CHECK_STR(J(JOIN_ANTI, NULL), "2,b;N,n;3,c", "anti hash join");
    Expr *ne = fn(&F_TNE, BOOLT, col(3, TXT), ctext("x"));
    LMT_CHECK_STR(J(JOIN_INNER, ne), "1,a,1,y", "inner hash join with residual");
    LMT_CHECK_STR(J(JOIN_LEFT, ne), "1,a,1,y;2,b,N,N;N,n,N,N;3,c,N,N",
                  "left hash join with residual");
    LMT_CHECK_STR(J(JOIN_RIGHT, ne), "1,a,1,y;N,N,1,x;N,N,N,z;N,N,4,w",
                  "right hash join with residual");
    LMT_CHECK_STR(J(JOIN_SEMI, ne), "1,a", "semi join with residual");
    Expr *ne2 = fn(&F_TNE, BOOLT, col(3, TXT), ctext("q"));
    LMT_CHECK_STR(J(JOIN_ANTI, fn(&F_TNE, BOOLT, col(1, TXT), ctext("a"))), "1,a;2,b;N,n;3,c",
                  "anti join whose residual fails for every pair");
    LMT_CHECK_STR(J(JOIN_SEMI, ne2), "1,a", "semi join emits a row once despite two matches");
#undef J
    /* nested loop on l.k < r.k */
#define NL(type)                                                                                   \
    run(join(values("it", L), values("it", R), type, -1, -1,                                       \
             fn(&F_LT, BOOLT, col(0, I64), col(2, I64))))
    LMT_CHECK_STR(NL(JOIN_INNER), "1,a,4,w;2,b,4,w;3,c,4,w", "nested-loop inner join");
    LMT_CHECK_STR(NL(JOIN_LEFT), "1,a,4,w;2,b,4,w;3,c,4,w;N,n,N,N", "nested-loop left join");
    LMT_CHECK_STR(NL(JOIN_FULL), "1,a,4,w;2,b,4,w;3,c,4,w;N,n,N,N;N,N,1,x;N,N,1,y;N,N,N,z",
                  "nested-loop full join");
    LMT_CHECK_STR(NL(JOIN_ANTI), "N,n", "nested-loop anti join");
    LMT_CHECK_STR(NL(JOIN_SEMI), "1,a;2,b;3,c", "nested-loop semi join");
#undef NL
    LMT_CHECK_INT(run_count(join(series(1, 100, 1), series(1, 50, 1), JOIN_INNER, -1, -1, NULL)),
                  5000, "cross join");
    /* many-to-many over batches: 3000 rows, keys mod 10, against 10 keys twice */
    PlanNode *l =
        project(series(1, 3000, 1), 1, (Expr *[]){fn(&F_MOD, I64, col(0, I64), cint(10))});
    PlanNode *r = values("i", "0;1;2;3;4;5;6;7;8;9;0;1;2;3;4;5;6;7;8;9");
    LMT_CHECK_INT(run_count(join(l, r, JOIN_INNER, 0, 0, NULL)), 6000, "hash join across batches");
    PlanNode *r2 = series(1, 5000, 1);
    PlanNode *l2 = series(2500, 7500, 1);
    LMT_CHECK_INT(run_count(join(l2, r2, JOIN_FULL, 0, 0, NULL)), 7500,
                  "full join over large inputs");
}

static void test_sort_limit(void)
{
    const char *data = "3,c;N,n;1,a;2,b;1,z";
    int k0[] = {0}, k01[] = {0, 1};
    bool f[] = {false, false}, t[] = {true, true}, ft[] = {false, true};
    LMT_CHECK_STR(run(sort1(values("it", data), 1, k0, f, f)), "1,a;1,z;2,b;3,c;N,n",
                  "ASC puts NULLs last and is stable");
    LMT_CHECK_STR(run(sort1(values("it", data), 1, k0, t, t)), "N,n;3,c;2,b;1,a;1,z",
                  "DESC puts NULLs first");
    LMT_CHECK_STR(run(sort1(values("it", data), 1, k0, f, t)), "N,n;1,a;1,z;2,b;3,c",
                  "ASC NULLS FIRST");
    LMT_CHECK_STR(run(sort1(values("it", data), 2, k01, ft, f)), "1,z;1,a;2,b;3,c;N,n",
                  "two keys, second descending");
    LMT_CHECK_STR(run(sort1(values("t", "b;B;a;ab;N;"), 1, k0, f, f)), "B;a;ab;b;N",
                  "text sorts bytewise");
    PlanNode *neg = project(series(1, 5000, 1), 1, (Expr *[]){fn(&F_NEG, I64, col(0, I64), NULL)});
    LMT_CHECK_STR(run(limit(sort1(neg, 1, k0, f, f), cint(3), cint(0))), "-5000;-4999;-4998",
                  "sort across batches then limit");
    LMT_CHECK_STR(run(limit(series(1, 3000, 1), cint(3), cint(1024))), "1025;1026;1027",
                  "offset across a batch boundary");
    LMT_CHECK_STR(run(limit(series(1, 5, 1), cnull(I64), cint(3))), "4;5",
                  "LIMIT NULL is no limit");
    LMT_CHECK_STR(run(limit(series(1, 5, 1), cint(0), NULL)), "", "LIMIT 0");
    LMT_EXPECT_ERROR(run(limit(series(1, 5, 1), cint(-1), NULL)), "2201W", "negative LIMIT");
    LMT_EXPECT_ERROR(run(limit(series(1, 5, 1), NULL, cint(-1))), "2201X", "negative OFFSET");
}

static void test_setops(void)
{
    const char *L = "1;1;2;N;N", *R = "1;N;3";
#define S(k, all) run(setop(values("i", L), values("i", R), k, all))
    LMT_CHECK_STR(S(SETOP_UNION, true), "1;1;2;N;N;1;N;3", "UNION ALL");
    LMT_CHECK_STR(S(SETOP_UNION, false), "1;2;N;3", "UNION");
    LMT_CHECK_STR(S(SETOP_INTERSECT, false), "1;N", "INTERSECT (NULLs equal)");
    LMT_CHECK_STR(S(SETOP_INTERSECT, true), "1;N", "INTERSECT ALL");
    LMT_CHECK_STR(S(SETOP_EXCEPT, false), "2", "EXCEPT");
    LMT_CHECK_STR(S(SETOP_EXCEPT, true), "1;2;N", "EXCEPT ALL");
#undef S
    PlanNode *d = plan_make(A, PLAN_DISTINCT);
    d->left = values("it", "1,a;1,a;N,b;N,b;1,b");
    d->ncols = 2;
    d->cols = d->left->cols;
    LMT_CHECK_STR(run(d), "1,a;N,b;1,b", "DISTINCT over two columns");
    PlanNode *d2 = plan_make(A, PLAN_DISTINCT);
    d2->left =
        project(series(1, 20000, 1), 1, (Expr *[]){fn(&F_MOD, I64, col(0, I64), cint(7777))});
    d2->ncols = 1;
    d2->cols = d2->left->cols;
    LMT_CHECK_INT(run_count(d2), 7777, "DISTINCT over many rows");
}

static void test_window(void)
{
    PlanNode *in = values("ti", "a,1;a,2;b,5;a,2;a,3");
    PlanNode *p = plan_make(A, PLAN_WINDOW);
    p->left = in;
    p->nwindows = 5;
    p->windows = arena_new_array(A, WindowCall, 5);
    WindowFuncKind kinds[] = {WIN_ROW_NUMBER, WIN_RANK, WIN_DENSE_RANK, WIN_AGG, WIN_AGG};
    for (int w = 0; w < 5; w++) {
        WindowCall *c = &p->windows[w];
        c->kind = kinds[w];
        c->type = I64;
        c->npartition = 1;
        c->partition = arena_new_array(A, Expr *, 1);
        c->partition[0] = col(0, TXT);
        if (w < 4) {
            c->norder = 1;
            c->order = arena_new_array(A, SortKey, 1);
            c->order[0].expr = col(1, I64);
        }
        if (kinds[w] == WIN_AGG)
            c->agg = agg(&AG_SUM, col(1, I64));
    }
    const LmType *tt[] = {TXT, I64, I64, I64, I64, I64, I64};
    set_cols(p, 7, tt);
    LMT_CHECK_STR(run(p), "a,1,1,1,1,1,8;a,2,2,2,2,5,8;a,2,3,2,2,5,8;a,3,4,4,3,8,8;b,5,1,1,1,5,5",
                  "row_number, rank, dense_rank, running and whole-partition sum");
}

/* ---- INSERT / UPDATE / DELETE on a plain table ---- */

static Relation *plain_table(void)
{
    CatTable *t = arena_new(A, CatTable);
    t->oid = 70001;
    t->schema = "public";
    t->name = "kv";
    t->kind = CAT_TABLE_PLAIN;
    t->ncolumns = 2;
    t->columns = arena_new_array(A, CatColumn, 2);
    t->columns[0].name = "id";
    t->columns[0].type = I64;
    t->columns[0].not_null = true;
    t->columns[1].name = "name";
    t->columns[1].type = TXT;
    t->nprimary_key = 1;
    t->primary_key = arena_new_array(A, int, 1);
    RelColumn *rc = arena_new_array(A, RelColumn, 2);
    rc[0] = (RelColumn){"id", I64, true, NULL};
    rc[1] = (RelColumn){"name", TXT, false, NULL};
    Relation *rel = arena_new(A, Relation);
    rel->kind = REL_PLAIN;
    rel->oid = t->oid;
    rel->schema = "public";
    rel->name = "kv";
    rel->relkind = 'r';
    rel->ncols = 2;
    rel->cols = rc;
    rel->npk = 1;
    rel->pk = t->primary_key;
    rel->table = t;
    return rel;
}

static PlanNode *table_scan(const Relation *rel, bool rowkey)
{
    PlanNode *p = plan_make(A, PLAN_SCAN);
    p->rel = rel;
    p->nscan_cols = 2;
    p->scan_cols = arena_new_array(A, int, 2);
    p->scan_cols[1] = 1;
    p->want_rowkey = rowkey;
    const LmType *tt[] = {I64, TXT, type_binary()};
    set_cols(p, rowkey ? 3 : 2, tt);
    return p;
}

static PlanNode *insert(const Relation *rel, PlanNode *child, int on_conflict, bool returning)
{
    PlanNode *p = plan_make(A, PLAN_INSERT);
    p->target = rel;
    p->left = child;
    p->ntarget_cols = 2;
    p->target_cols = arena_new_array(A, int, 2);
    p->target_cols[1] = 1;
    p->on_conflict = on_conflict;
    if (returning) {
        p->nreturning = 2;
        p->returning = arena_new_array(A, Expr *, 2);
        p->returning[0] = col(1, TXT);
        p->returning[1] = col(0, I64);
        const LmType *tt[] = {TXT, I64};
        set_cols(p, 2, tt);
    }
    return p;
}

static void test_modify(void)
{
    char dir[] = "/tmp/lm_test_operators_XXXXXX";
    if (mkdtemp(dir) == NULL) {
        lmt_skip("no temp dir", "INSERT/UPDATE/DELETE");
        return;
    }
    Storage *storage = storage_open(dir);
    CTX.storage = storage;
    CTX.txn = table_txn_begin(storage);
    Relation *rel = plain_table();

    LMT_CHECK_STR(run(insert(rel, values("it", "1,a;2,b"), 0, true)), "a,1;b,2",
                  "INSERT ... RETURNING");
    LMT_CHECK_INT(CTX.rows_affected, 2, "INSERT counts its rows");
    LMT_EXPECT_ERROR(run(insert(rel, values("it", "1,z"), 0, false)), "23505", "duplicate key");
    LMT_CHECK_STR(run(insert(rel, values("it", "1,z;3,c"), 1, true)), "c,3",
                  "ON CONFLICT DO NOTHING skips the conflicting row");
    LMT_CHECK_INT(CTX.rows_affected, 1, "DO NOTHING counts inserted rows only");
    PlanNode *up = insert(rel, values("it", "2,B;4,d"), 2, true);
    up->nconflict_set = 1;
    up->conflict_set_cols = arena_new_array(A, int, 1);
    up->conflict_set_cols[0] = 1;
    up->conflict_set_exprs = arena_new_array(A, Expr *, 1);
    up->conflict_set_exprs[0] = col(3, TXT); /* excluded.name */
    LMT_CHECK_STR(run(up), "B,2;d,4",
                  "ON CONFLICT DO UPDATE SET name = excluded.name (RETURNING in input order)");
    LMT_CHECK_INT(CTX.rows_affected, 2, "DO UPDATE counts inserted and updated rows");
    LMT_CHECK_STR(run(table_scan(rel, false)), "1,a;2,B;3,c;4,d", "table scan after inserts");

    PlanNode *u = plan_make(A, PLAN_UPDATE);
    u->target = rel;
    u->left = filter(table_scan(rel, true), fn(&F_GT, BOOLT, col(0, I64), cint(2)));
    u->nset = 1;
    u->set_cols = arena_new_array(A, int, 1);
    u->set_cols[0] = 0;
    u->set_exprs = arena_new_array(A, Expr *, 1);
    u->set_exprs[0] = fn(&F_ADD, I64, col(0, I64), cint(10));
    LMT_CHECK_INT(run_count(u), 0, "UPDATE without RETURNING returns no rows");
    LMT_CHECK_INT(CTX.rows_affected, 2, "UPDATE counts its rows");
    LMT_CHECK_STR(run(table_scan(rel, false)), "1,a;2,B;13,c;14,d", "UPDATE moved the keys");

    PlanNode *d = plan_make(A, PLAN_DELETE);
    d->target = rel;
    d->left = filter(table_scan(rel, true), fn(&F_LT, BOOLT, col(0, I64), cint(2)));
    d->nreturning = 1;
    d->returning = arena_new_array(A, Expr *, 1);
    d->returning[0] = col(1, TXT);
    set_cols(d, 1, &TXT);
    LMT_CHECK_STR(run(d), "a", "DELETE ... RETURNING");
    LMT_CHECK_INT(CTX.rows_affected, 1, "DELETE counts its rows");
    LMT_CHECK_STR(run(table_scan(rel, false)), "2,B;13,c;14,d", "rows after DELETE");
    table_txn_commit(CTX.txn);
    CTX.txn = NULL;
    storage_close(storage);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", dir);
}

/* String keys produced batch by batch (the producer's memory is reset between batches), so
 * every operator that keeps them must have copied them. */
static PlanNode *text_keys(int64 n, int64 mod)
{
    Expr **ex = arena_new_array(A, Expr *, 1); /* outlives this function, unlike a literal */
    ex[0] = fn(&F_TEXT, TXT, fn(&F_MOD, I64, col(0, I64), cint(mod)), NULL);
    return project(series(1, n, 1), 1, ex);
}

static void test_string_keys(void)
{
    Expr **g = arena_new_array(A, Expr *, 1);
    g[0] = col(0, TXT);
    AggCall *ac = arena_new_array(A, AggCall, 1);
    ac[0] = agg(&AG_COUNT_STAR, NULL);
    PlanNode *ag = aggregate(text_keys(5000, 100), 1, g, 1, ac);
    int k0[] = {0};
    bool f[] = {false};
    LMT_CHECK_STR(run(limit(sort1(ag, 1, k0, f, f), cint(3), NULL)), "k0,50;k1,50;k10,50",
                  "GROUP BY text keys across batches, sorted bytewise");
    LMT_CHECK_INT(run_count(join(text_keys(3000, 10), text_keys(20, 10), JOIN_INNER, 0, 0, NULL)),
                  6000, "hash join on text keys across batches");
    PlanNode *d = plan_make(A, PLAN_DISTINCT);
    d->left = text_keys(10000, 2500);
    d->ncols = 1;
    d->cols = d->left->cols;
    LMT_CHECK_STR(run(limit(sort1(d, 1, k0, f, f), cint(2), cint(2498))), "k998;k999",
                  "DISTINCT text keys across batches");
    LMT_CHECK_STR(run(limit(sort1(text_keys(3000, 3000), 1, k0, f, f), cint(2), NULL)), "k0;k1",
                  "sort of text across batches");
}

static void test_cancel(void)
{
    atomic_bool flag = true;
    CTX.cancel_requested = &flag;
    LMT_EXPECT_ERROR(run(series(1, 10, 1)), "57014", "cancel request stops the query");
    CTX.cancel_requested = NULL;
}

int main(void)
{
    A = arena_create("test", NULL);
    I64 = type_int64();
    TXT = type_string();
    BOOLT = type_bool();
    CTX.arena = A;
    test_scans();
    test_filter_project();
    test_aggregates();
    test_joins();
    test_sort_limit();
    test_setops();
    test_window();
    test_string_keys();
    test_modify();
    test_cancel();
    arena_destroy(A);
    return lmt_done();
}
