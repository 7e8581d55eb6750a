/*
 * expr.c: vectorized evaluation of bound expressions (executor/expr.h).
 *
 * expr_init() turns an Expr tree into a parallel tree of ExprStates, one per
 * node, allocated in the statement arena.  Each state owns a result vector of
 * LM_BATCH_SIZE rows (its fixed-width data allocated once) and a scratch
 * arena for what one evaluation produces (strings, array elements, NULL
 * bitmaps, selection lists); the scratch is reset at the start of the node's
 * next evaluation, which is what makes a result "valid until the next
 * expr_eval() on the same state".  Column references return the input's own
 * vector: no copy.
 *
 * Work is a handful of kernel calls per node and batch:
 *   - Maximal constant subtrees (no column, outer, volatile or FN_SESSION
 *     reference; parameters count as constants) are evaluated once at init and
 *     broadcast into the state's vector, so `col + 1` costs one kernel call.
 *     If folding raises an error, the subtree is kept and evaluated per row
 *     instead, so CASE WHEN x <> 0 THEN 1/0 END fails only on rows that reach
 *     the division (PostgreSQL would fail at plan time).
 *   - Strict functions (FN_STRICT): the evaluator computes the rows where
 *     every argument is non-NULL; when some are NULL it marks them NULL in the
 *     result and hands the kernel a batch whose selection holds only the rest.
 *   - AND/OR short-circuit by narrowing the selection: the second operand of
 *     AND is evaluated only on rows where the first is not FALSE.  CASE
 *     evaluates each THEN only on the rows whose WHEN matched, COALESCE each
 *     argument only on rows still NULL.  SQL's three-valued logic throughout.
 *   - IN with a constant list of 8 or more values probes a hash set built at
 *     init; shorter or non-constant lists compare value by value.
 *   - Subqueries run their subplan with exec_run(): once per statement when
 *     uncorrelated (the result is cached; a scalar or EXISTS result becomes a
 *     constant), once per outer row when correlated, with the outer row pushed
 *     onto outer_batches/outer_rows of a copy of the context whose arena is
 *     reset before every run (no per-row growth of the statement arena).  x op ANY/ALL calls
 *     the comparison kernel over the subquery's values; = ANY over a large
 *     uncorrelated result probes a hash set as IN does.
 *
 * Error positions follow PostgreSQL: a cast of a literal reports the
 * literal's position (22P02 for 'abc'::int); run-time errors such as
 * division by zero carry none.
 */
#include "executor/expr.h"
#include "executor/func.h"
#include "common/numeric.h"

#include <math.h>

typedef struct ValueSet ValueSet;

struct ExprState {
    const Expr *expr;
    ExecContext *ctx;
    int nargs;
    ExprState **args;
    Vector **argv;   /* argument results of the current evaluation */
    Vector *result;  /* NULL for column references */
    Arena *scratch;  /* reset at the start of every evaluation */
    int cap;         /* rows the result and buffers hold */
    uint16 *sel_a, *sel_b; /* selection work lists */
    uint8 *marks;          /* per-row flags (AND/OR NULL seen, IN/ANY NULL seen) */
    bool is_const;         /* result broadcast once: nothing to do per batch */
    FuncCall fc;
    /* IN list: constant values (count nvals) and optional hash set */
    Vector *vals;
    int nvals;
    bool vals_have_null;
    ValueSet *set;
    /* subqueries */
    Arena *sub_arena; /* the subquery's rows */
    Arena *run_arena; /* operator trees of one run */
    bool sub_done;
    int64 sub_rows;
    Vector *sub_vals;  /* first column of the subquery's rows */
    int sub_cap;
    bool sub_cast_checked;
    Vector *cmp_x, *cmp_y, *cmp_out; /* ANY/ALL: per-row comparison buffers */
    int cmp_cap;
};

static ExprState *build(ExecContext *ctx, const Expr *e, bool fold);
static Vector *eval(ExprState *es, const Batch *in);
static const Expr *coerce_to(ExecContext *ctx, const Expr *arg, const LmType *want);

/* ------------------------------------------------------------------------
 * Row loops and value helpers
 * ------------------------------------------------------------------------ */

#define LIVE_LOOP(b, ...)                                                                          \
    do {                                                                                           \
        if ((b)->sel) {                                                                            \
            const uint16 *sel__ = (b)->sel;                                                        \
            for (int i__ = 0; i__ < (b)->nsel; i__++) {                                            \
                int r = sel__[i__];                                                                \
                __VA_ARGS__;                                                                       \
            }                                                                                      \
        } else {                                                                                   \
            for (int r = 0, n__ = (b)->count; r < n__; r++) {                                      \
                __VA_ARGS__;                                                                       \
            }                                                                                      \
        }                                                                                          \
    } while (0)

static inline Batch narrowed(const Batch *in, uint16 *sel, int n)
{
    Batch nb = *in;
    nb.sel = sel;
    nb.nsel = n;
    return nb;
}

/*
 * Whether v has no NULL among the batch's rows: a bitmap of all ones counts as none
 * (columns of nullable types often carry one), which keeps kernels on the dense path.
 */
static bool all_valid(const Vector *v, const Batch *b)
{
    if (v->validity == NULL)
        return true;
    if (b->sel) {
        for (int i = 0; i < b->nsel; i++)
            if (!vector_is_valid(v, b->sel[i]))
                return false;
        return true;
    }
    int full = b->count >> 6;
    for (int w = 0; w < full; w++)
        if (v->validity[w] != ~UINT64_C(0))
            return false;
    int rest = b->count & 63;
    return rest == 0 || (v->validity[full] | (~UINT64_C(0) << rest)) == ~UINT64_C(0);
}

/* Live rows of b into sel; returns the count. */
static int live_rows(const Batch *b, uint16 *sel)
{
    int k = 0;
    LIVE_LOOP(b, sel[k++] = (uint16)r);
    return k;
}

/* Copies one value (deep for var-width data, into a). */
static void copy_value(Vector *dst, int drow, const Vector *src, int srow, Arena *a, bool deep)
{
    if (!vector_is_valid(src, srow)) {
        vector_set_null(dst, drow);
        return;
    }
    switch (src->type->id) {
    case TYPE_ARRAY:
    case TYPE_MAP:
    case TYPE_STRUCT:
        vector_copy_value(dst, a, drow, src, srow);
        break;
    case TYPE_UNKNOWN:
    case TYPE_STRING:
    case TYPE_BINARY:
    case TYPE_JSON: {
        const StrView *s = &((const StrView *)src->data)[srow];
        StrView *d = &((StrView *)dst->data)[drow];
        d->len = s->len;
        d->reserved = 0;
        d->ptr = deep && s->len ? arena_memdup(a, s->ptr, s->len) : (s->len ? s->ptr : "");
        break;
    }
    default: {
        size_t sz = type_physical_size(src->type);
        memcpy((char *)dst->data + (size_t)drow * sz, (const char *)src->data + (size_t)srow * sz, sz);
        break;
    }
    }
    vector_set_valid(dst, drow);
}

/* Copies rows[0..n) of src into the same rows of dst (views share var-width data). */
static void copy_rows(Vector *dst, const Vector *src, const uint16 *rows, int n, Arena *a)
{
    if (src->validity) {
        for (int i = 0; i < n; i++)
            if (vector_is_valid(src, rows[i]))
                vector_set_valid(dst, rows[i]);
            else
                vector_set_null(dst, rows[i]);
    } else if (dst->validity) {
        for (int i = 0; i < n; i++)
            vector_set_valid(dst, rows[i]);
    }
    switch (src->type->id) {
    case TYPE_ARRAY:
    case TYPE_MAP:
    case TYPE_STRUCT:
        for (int i = 0; i < n; i++)
            if (vector_is_valid(src, rows[i]))
                vector_copy_value(dst, a, rows[i], src, rows[i]);
        return;
    default:
        break;
    }
    switch (type_physical_size(src->type)) {
    case 1: {
        uint8 *d = dst->data;
        const uint8 *s = src->data;
        for (int i = 0; i < n; i++)
            d[rows[i]] = s[rows[i]];
        return;
    }
    case 2: {
        uint16 *d = dst->data;
        const uint16 *s = src->data;
        for (int i = 0; i < n; i++)
            d[rows[i]] = s[rows[i]];
        return;
    }
    case 4: {
        uint32 *d = dst->data;
        const uint32 *s = src->data;
        for (int i = 0; i < n; i++)
            d[rows[i]] = s[rows[i]];
        return;
    }
    case 8: {
        uint64 *d = dst->data;
        const uint64 *s = src->data;
        for (int i = 0; i < n; i++)
            d[rows[i]] = s[rows[i]];
        return;
    }
    default: {
        size_t sz = type_physical_size(src->type);
        for (int i = 0; i < n; i++)
            memcpy((char *)dst->data + (size_t)rows[i] * sz,
                   (const char *)src->data + (size_t)rows[i] * sz, sz);
        return;
    }
    }
}

/* Writes src[srow] into rows 0..n-1 of dst (constants, outer references). */
static void broadcast(Vector *dst, const Vector *src, int srow, int n, Arena *a)
{
    if (!vector_is_valid(src, srow)) {
        for (int r = 0; r < n; r++)
            vector_set_null(dst, r);
        return;
    }
    TypeId id = src->type->id;
    if (id == TYPE_STRUCT) {
        for (int r = 0; r < n; r++)
            copy_value(dst, r, src, srow, a, false);
        return;
    }
    copy_value(dst, 0, src, srow, a, false);
    size_t sz = type_physical_size(dst->type);
    for (int r = 1; r < n; r++)
        memcpy((char *)dst->data + (size_t)r * sz, dst->data, sz);
    if (dst->validity)
        for (int r = 0; r < n; r++)
            vector_set_valid(dst, r);
}

/* ------------------------------------------------------------------------
 * Value comparison (IN lists, ANY/ALL hash probes): same semantics as the
 * comparison operators in fn_compare.c.
 * ------------------------------------------------------------------------ */

static bool is_exact_numeric(TypeId id)
{
    return id == TYPE_INT8 || id == TYPE_INT16 || id == TYPE_INT32 || id == TYPE_INT64 ||
           id == TYPE_DECIMAL || id == TYPE_OID || id == TYPE_BOOL;
}

static int128 exact_value(const Vector *v, int r, int *scale)
{
    *scale = 0;
    const void *d = v->data;
    switch (v->type->id) {
    case TYPE_BOOL: return ((const uint8 *)d)[r];
    case TYPE_INT8: return ((const int8 *)d)[r];
    case TYPE_INT16: return ((const int16 *)d)[r];
    case TYPE_INT32: return ((const int32 *)d)[r];
    case TYPE_INT64: return ((const int64 *)d)[r];
    case TYPE_OID: return ((const uint32 *)d)[r];
    case TYPE_DECIMAL: *scale = v->type->scale; return ((const int128 *)d)[r];
    default: return 0;
    }
}

static double float_value(const Vector *v, int r)
{
    switch (v->type->id) {
    case TYPE_FLOAT32: return ((const float *)v->data)[r];
    case TYPE_FLOAT64: return ((const double *)v->data)[r];
    default: {
        int s;
        int128 x = exact_value(v, r, &s);
        return (double)x / pow(10.0, s);
    }
    }
}

static int cmp_exact(int128 x, int sx, int128 y, int sy)
{
    if (sx == sy)
        return (x > y) - (x < y);
    int128 ix = x / decimal_pow10[sx], iy = y / decimal_pow10[sy];
    if (ix != iy)
        return (ix > iy) - (ix < iy);
    int s = sx > sy ? sx : sy;
    int128 fx = (x % decimal_pow10[sx]) * decimal_pow10[s - sx];
    int128 fy = (y % decimal_pow10[sy]) * decimal_pow10[s - sy];
    return (fx > fy) - (fx < fy);
}

static int cmp_double(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) ? (isnan(b) ? 0 : 1) : -1;
    return (a > b) - (a < b);
}

static int128 interval_span(const Interval *iv)
{
    return (int128)iv->micros + ((int128)iv->days + (int128)iv->months * 30) * USECS_PER_DAY;
}

/* Equality with SQL NULL semantics: 1 true, 0 false, -1 unknown. */
static int value_eq3(const Vector *a, int ra, const Vector *b, int rb)
{
    if (!vector_is_valid(a, ra) || !vector_is_valid(b, rb))
        return -1;
    TypeId ta = a->type->id, tb = b->type->id;
    if ((type_is_numeric(a->type) || ta == TYPE_OID || ta == TYPE_BOOL) &&
        (type_is_numeric(b->type) || tb == TYPE_OID || tb == TYPE_BOOL)) {
        if (is_exact_numeric(ta) && is_exact_numeric(tb)) {
            int sa, sb;
            int128 x = exact_value(a, ra, &sa), y = exact_value(b, rb, &sb);
            return cmp_exact(x, sa, y, sb) == 0;
        }
        return cmp_double(float_value(a, ra), float_value(b, rb)) == 0;
    }
    bool sa = ta == TYPE_STRING || ta == TYPE_UNKNOWN || ta == TYPE_BINARY || ta == TYPE_JSON;
    bool sb = tb == TYPE_STRING || tb == TYPE_UNKNOWN || tb == TYPE_BINARY || tb == TYPE_JSON;
    if (sa && sb) {
        const StrView *x = &((const StrView *)a->data)[ra], *y = &((const StrView *)b->data)[rb];
        return x->len == y->len && (x->len == 0 || memcmp(x->ptr, y->ptr, x->len) == 0);
    }
    if (ta == TYPE_STRUCT && tb == TYPE_STRUCT && a->nchildren == b->nchildren) {
        int res = 1;
        for (int i = 0; i < a->nchildren; i++) {
            int e = value_eq3(&a->children[i], ra, &b->children[i], rb);
            if (e == 0)
                return 0;
            if (e < 0)
                res = -1;
        }
        return res;
    }
    if ((ta == TYPE_TIMESTAMP || ta == TYPE_TIMESTAMPTZ) && (tb == TYPE_TIMESTAMP || tb == TYPE_TIMESTAMPTZ))
        return ((const int64 *)a->data)[ra] == ((const int64 *)b->data)[rb];
    if (ta != tb)
        ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                errmsg("cannot compare values of different types in IN list"));
    switch (ta) {
    case TYPE_DATE: return ((const int32 *)a->data)[ra] == ((const int32 *)b->data)[rb];
    case TYPE_TIME: return ((const int64 *)a->data)[ra] == ((const int64 *)b->data)[rb];
    case TYPE_INTERVAL:
        return interval_span(&((const Interval *)a->data)[ra]) ==
               interval_span(&((const Interval *)b->data)[rb]);
    case TYPE_ARRAY: {
        const ListEntry *x = &((const ListEntry *)a->data)[ra], *y = &((const ListEntry *)b->data)[rb];
        if (x->length != y->length)
            return 0;
        int res = 1;
        for (uint32 i = 0; i < x->length; i++) {
            int e = value_eq3(&a->children[0], (int)(x->offset + i), &b->children[0], (int)(y->offset + i));
            if (e == 0)
                return 0;
            if (e < 0)
                res = -1; /* PostgreSQL treats NULL elements as equal; see below */
        }
        /* array_eq: NULL elements compare equal to each other */
        return res < 0 ? 1 : res;
    }
    default:
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                errmsg("could not identify an equality operator for type %s",
                       type_name(a->arena ? a->arena : b->arena, a->type)));
    }
}

/* ---- hash set over the values of a vector (same type as the probes) ---- */

struct ValueSet {
    const Vector *vals;
    uint32 *slots; /* index + 1; 0 = empty */
    uint32 mask;
};

static inline uint64 mix64(uint64 h)
{
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return h;
}

static uint64 hash_bytes(const void *p, size_t n)
{
    const uint8 *s = p;
    uint64 h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * UINT64_C(1099511628211);
    return mix64(h);
}

static bool type_hashable(const LmType *t)
{
    switch (t->id) {
    case TYPE_BOOL:
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64:
    case TYPE_FLOAT32:
    case TYPE_FLOAT64:
    case TYPE_DECIMAL:
    case TYPE_STRING:
    case TYPE_BINARY:
    case TYPE_UNKNOWN:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
    case TYPE_INTERVAL:
    case TYPE_OID: return true;
    default: return false;
    }
}

static uint64 hash_value(const Vector *v, int r)
{
    const void *d = v->data;
    switch (v->type->id) {
    case TYPE_BOOL: return mix64(((const uint8 *)d)[r]);
    case TYPE_INT8: return mix64((uint64)(int64)((const int8 *)d)[r]);
    case TYPE_INT16: return mix64((uint64)(int64)((const int16 *)d)[r]);
    case TYPE_INT32:
    case TYPE_DATE: return mix64((uint64)(int64)((const int32 *)d)[r]);
    case TYPE_OID: return mix64(((const uint32 *)d)[r]);
    case TYPE_INT64:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: return mix64((uint64)((const int64 *)d)[r]);
    case TYPE_FLOAT32:
    case TYPE_FLOAT64: {
        double x = v->type->id == TYPE_FLOAT32 ? ((const float *)d)[r] : ((const double *)d)[r];
        if (x == 0)
            x = 0; /* -0 == 0 */
        if (isnan(x))
            return 0x7ff8;
        uint64 u;
        memcpy(&u, &x, sizeof u);
        return mix64(u);
    }
    case TYPE_DECIMAL: {
        int128 x = ((const int128 *)d)[r];
        return mix64((uint64)x ^ mix64((uint64)(x >> 64)));
    }
    case TYPE_INTERVAL: {
        int128 x = interval_span(&((const Interval *)d)[r]);
        return mix64((uint64)x ^ mix64((uint64)(x >> 64)));
    }
    default: {
        const StrView *s = &((const StrView *)d)[r];
        return hash_bytes(s->ptr, s->len);
    }
    }
}

static ValueSet *valueset_build(Arena *a, const Vector *vals, int n)
{
    ValueSet *vs = arena_new(a, ValueSet);
    uint32 size = 16;
    while (size < (uint32)n * 2)
        size *= 2;
    vs->vals = vals;
    vs->mask = size - 1;
    vs->slots = arena_alloc0(a, sizeof(uint32) * size);
    for (int i = 0; i < n; i++) {
        if (!vector_is_valid(vals, i))
            continue;
        uint32 h = (uint32)hash_value(vals, i) & vs->mask;
        while (vs->slots[h])
            h = (h + 1) & vs->mask;
        vs->slots[h] = (uint32)i + 1;
    }
    return vs;
}

static bool valueset_contains(const ValueSet *vs, const Vector *v, int r)
{
    uint32 h = (uint32)hash_value(v, r) & vs->mask;
    while (vs->slots[h]) {
        if (value_eq3(vs->vals, (int)vs->slots[h] - 1, v, r) == 1)
            return true;
        h = (h + 1) & vs->mask;
    }
    return false;
}

/* ------------------------------------------------------------------------
 * State construction
 * ------------------------------------------------------------------------ */

static bool is_constant(const Expr *e)
{
    switch (e->kind) {
    case EXPR_CONST:
    case EXPR_PARAM: return true;
    case EXPR_COLUMN:
    case EXPR_OUTER:
    case EXPR_SUBQUERY: return false;
    case EXPR_FUNC:
        if (e->func && (e->func->flags & (FN_VOLATILE | FN_SESSION)))
            return false;
        break;
    default: break;
    }
    for (int i = 0; i < e->nargs; i++)
        if (!is_constant(e->args[i]))
            return false;
    return true;
}

static void alloc_result(ExprState *es, const LmType *type)
{
    ExecContext *ctx = es->ctx;
    es->result = arena_new(ctx->arena, Vector);
    vector_init(es->result, ctx->arena, type, es->cap);
    es->result->arena = es->scratch;
}

/* Start of an evaluation: forget the previous one's NULLs and var-width data. */
static inline void begin_eval(ExprState *es, const Batch *in)
{
    if (LM_UNLIKELY(in->count > es->cap))
        elog(ERROR, "batch of %d rows exceeds the expression capacity %d", in->count, es->cap);
    arena_reset(es->scratch);
    Vector *v = es->result;
    if (type_is_nested(v->type)) {
        vector_init(v, es->scratch, v->type, es->cap);
    } else {
        v->validity = NULL;
        v->arena = es->scratch;
    }
}

/* A state holding a constant value broadcast to every row. */
static ExprState *make_const_state(ExecContext *ctx, const Expr *e, const Vector *value, int row)
{
    ExprState *es = arena_new(ctx->arena, ExprState);
    es->expr = e;
    es->ctx = ctx;
    es->cap = LM_BATCH_SIZE;
    es->scratch = ctx->arena; /* never reset: the broadcast lives as long as the statement */
    es->result = arena_new(ctx->arena, Vector);
    vector_init(es->result, ctx->arena, value->type, es->cap);
    broadcast(es->result, value, row, es->cap, ctx->arena);
    es->is_const = true;
    return es;
}

static const Vector *param_value(ExecContext *ctx, const Expr *e)
{
    if (e->param_index < 0 || e->param_index >= ctx->nparams || ctx->params == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_PARAMETER),
                errmsg("there is no parameter $%d", e->param_index + 1),
                errposition(e->location + 1));
    return ctx->params[e->param_index];
}

static ExprState *try_fold(ExecContext *ctx, const Expr *e)
{
    Vector *volatile v = NULL;
    LM_TRY();
    {
        v = expr_eval_const(ctx, e);
    }
    LM_CATCH();
    {
        error_clear(); /* evaluate per row instead: the error may never be reached */
        v = NULL;
    }
    LM_END_TRY();
    return v ? make_const_state(ctx, e, v, 0) : NULL;
}

static void init_in_list(ExprState *es, bool fold)
{
    const Expr *e = es->expr;
    ExecContext *ctx = es->ctx;
    int n = e->nargs - 1;
    for (int i = 1; i < e->nargs; i++)
        if (!is_constant(e->args[i]) || (e->args[i]->type->id != e->args[0]->type->id &&
                                         e->args[i]->type->id != TYPE_UNKNOWN))
            return; /* compared row by row */
    const LmType *t = e->args[0]->type;
    if (t->id == TYPE_UNKNOWN)
        t = type_string();
    bool hashable = type_hashable(t);
    if (t->id == TYPE_DECIMAL) {
        /* hold the values at the largest scale involved, so that none is rounded */
        int scale = t->scale;
        for (int i = 1; i < e->nargs; i++)
            if (e->args[i]->type->id == TYPE_DECIMAL && e->args[i]->type->scale > scale)
                scale = e->args[i]->type->scale;
        hashable = scale == t->scale; /* probes hash the raw scaled integer */
        t = type_decimal(ctx->arena, DECIMAL_MAX_PRECISION, scale);
    }
    Vector *vals = arena_new(ctx->arena, Vector);
    vector_init(vals, ctx->arena, t, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        const Expr *item = e->args[i + 1];
        Vector *v = expr_eval_const(ctx, item);
        if (!vector_is_valid(v, 0)) {
            vector_set_null(vals, i);
            es->vals_have_null = true;
        } else if ((v->type->id == TYPE_UNKNOWN && t->id != TYPE_STRING) ||
                   (t->id == TYPE_DECIMAL && v->type->scale != t->scale)) {
            Batch one = {0};
            one.count = 1;
            Vector tmp;
            vector_init(&tmp, ctx->arena, t, 1);
            cast_vector_ext(ctx, v, &one, &tmp, item->location, false);
            copy_value(vals, i, &tmp, 0, ctx->arena, true);
        } else
            copy_value(vals, i, v, 0, ctx->arena, true);
    }
    es->vals = vals;
    es->nvals = n;
    if (n >= 8 && hashable)
        es->set = valueset_build(ctx->arena, vals, n);
}

static ExprState *build(ExecContext *ctx, const Expr *e, bool fold)
{
    if (fold && e->kind != EXPR_CONST && e->kind != EXPR_PARAM && is_constant(e)) {
        ExprState *c = try_fold(ctx, e);
        if (c)
            return c;
        fold = false; /* its parts would fail the same way */
    }
    switch (e->kind) {
    case EXPR_CONST: return make_const_state(ctx, e, e->value, 0);
    case EXPR_PARAM: return make_const_state(ctx, e, param_value(ctx, e), 0);
    default: break;
    }
    ExprState *es = arena_new(ctx->arena, ExprState);
    es->expr = e;
    es->ctx = ctx;
    es->cap = LM_BATCH_SIZE;
    if (e->kind == EXPR_COLUMN)
        return es;
    es->scratch = arena_create("expr", ctx->arena);
    int nargs = e->nargs;
    if (e->kind == EXPR_IN_LIST) {
        init_in_list(es, fold);
        if (es->vals)
            nargs = 1; /* the list is in es->vals */
    }
    es->nargs = nargs;
    es->args = arena_new_array(ctx->arena, ExprState *, nargs > 0 ? nargs : 1);
    es->argv = arena_new_array(ctx->arena, Vector *, nargs > 0 ? nargs : 1);
    for (int i = 0; i < nargs; i++) {
        const Expr *a = e->args[i];
        bool is_value = (e->kind == EXPR_COALESCE) ||
                        (e->kind == EXPR_CASE && (i % 2 == 1 || (e->has_else && i == nargs - 1)));
        if (is_value)
            a = coerce_to(ctx, a, e->type);
        es->args[i] = build(ctx, a, fold);
    }
    es->sel_a = arena_alloc(ctx->arena, sizeof(uint16) * (size_t)es->cap);
    es->sel_b = arena_alloc(ctx->arena, sizeof(uint16) * (size_t)es->cap);
    es->marks = arena_alloc0(ctx->arena, (size_t)es->cap);
    const LmType *rt = e->type;
    switch (e->kind) {
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_NOT:
    case EXPR_IS_NULL:
    case EXPR_IS_NOT_NULL:
    case EXPR_IN_LIST: rt = type_bool(); break;
    case EXPR_SCALAR_ARRAY_OP:
        rt = type_bool();
        if (e->compare == NULL || e->nargs != 2)
            elog(ERROR, "ANY/ALL (array) without comparison operator");
        es->fc.ctx = ctx;
        es->fc.expr = e;
        es->fc.scratch = es->scratch;
        break;
    case EXPR_ARRAY:
    case EXPR_SUBSCRIPT:
    case EXPR_FIELD: break;
    case EXPR_SUBQUERY:
        if (e->subquery_kind == SUBQ_EXISTS || e->subquery_kind == SUBQ_ANY ||
            e->subquery_kind == SUBQ_ALL)
            rt = type_bool();
        if (e->subplan == NULL || e->subplan->ncols < 1)
            elog(ERROR, "subquery without output columns");
        if (e->subquery_kind != SUBQ_EXISTS && e->subplan->ncols != 1)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("subquery returning %d columns is not supported here", e->subplan->ncols),
                    errposition(e->location + 1));
        if ((e->subquery_kind == SUBQ_ANY || e->subquery_kind == SUBQ_ALL) && e->compare == NULL)
            elog(ERROR, "ANY/ALL subquery without comparison operator");
        es->sub_arena = arena_create("subquery", ctx->arena);
        es->run_arena = arena_create("subplan", ctx->arena);
        es->fc.ctx = ctx;
        es->fc.expr = e;
        es->fc.scratch = es->scratch;
        break;
    case EXPR_ROW:
        if (rt == NULL || rt->id != TYPE_STRUCT) {
            StructField *f = arena_new_array(ctx->arena, StructField, nargs > 0 ? nargs : 1);
            for (int i = 0; i < nargs; i++) {
                f[i].name = arena_printf(ctx->arena, "f%d", i + 1);
                f[i].type = e->args[i]->type;
            }
            rt = type_struct(ctx->arena, nargs, f);
        }
        break;
    case EXPR_FUNC:
        if (e->func == NULL || e->func->kernel == NULL)
            elog(ERROR, "function call without kernel");
        es->fc.ctx = ctx;
        es->fc.expr = e;
        es->fc.scratch = es->scratch;
        break;
    case EXPR_COLUMN:
    case EXPR_OUTER:
    case EXPR_CAST:
    case EXPR_CASE:
    case EXPR_COALESCE: break;
    default: elog(ERROR, "unrecognized expression kind %d", (int)e->kind);
    }
    alloc_result(es, rt);
    return es;
}

/*
 * CASE and COALESCE copy their arguments' values into one result: an argument whose
 * representation differs from the result's (another type, a decimal of another scale)
 * gets a cast, in case the binder left it implicit.
 */
static const Expr *coerce_to(ExecContext *ctx, const Expr *arg, const LmType *want)
{
    const LmType *have = arg->type;
    if (want == NULL || want->id == TYPE_UNKNOWN)
        return arg;
    if (have->id == want->id && (have->id != TYPE_DECIMAL || have->scale == want->scale) &&
        !type_is_nested(have))
        return arg;
    if (type_equal(have, want) || cast_kind(have, want) == CAST_NONE)
        return arg;
    Expr *c = arena_new(ctx->arena, Expr); /* not expr_make: planner/ is above executor/ */
    c->kind = EXPR_CAST;
    c->type = want;
    c->location = arg->location;
    c->nargs = 1;
    c->args = arena_new_array(ctx->arena, Expr *, 1);
    c->args[0] = (Expr *)arg;
    return c;
}

ExprState *expr_init(ExecContext *ctx, const Expr *e)
{
    return build(ctx, e, true);
}

Vector *expr_eval_const(ExecContext *ctx, const Expr *e)
{
    ExprState *es = build(ctx, e, false);
    Batch one = {0};
    one.count = 1;
    Vector *v = eval(es, &one);
    Vector *out = arena_new(ctx->arena, Vector);
    vector_init(out, ctx->arena, v->type, 1);
    copy_value(out, 0, v, 0, ctx->arena, true);
    return out;
}

/* ------------------------------------------------------------------------
 * Evaluation per kind
 * ------------------------------------------------------------------------ */

static Vector *eval_func(ExprState *es, const Batch *in)
{
    const FuncDesc *f = es->expr->func;
    for (int i = 0; i < es->nargs; i++)
        es->argv[i] = eval(es->args[i], in);
    begin_eval(es, in);
    Vector *out = es->result;
    const Batch *b = in;
    Batch nb;
    if (f->flags & FN_STRICT) {
        bool any_nulls = false;
        for (int i = 0; i < es->nargs; i++)
            any_nulls |= !all_valid(es->argv[i], in);
        if (any_nulls) {
            int k = 0;
            uint16 *sel = es->sel_a;
            LIVE_LOOP(in, {
                bool ok = true;
                for (int i = 0; i < es->nargs; i++)
                    ok &= vector_is_valid(es->argv[i], r);
                if (ok)
                    sel[k++] = (uint16)r;
                else
                    vector_set_null(out, r);
            });
            if (k == 0)
                return out;
            nb = narrowed(in, sel, k);
            b = &nb;
        }
    }
    if (batch_live_count(b) == 0)
        return out;
    f->kernel(&es->fc, es->argv, b, out);
    return out;
}

static Vector *eval_cast(ExprState *es, const Batch *in)
{
    Vector *arg = eval(es->args[0], in);
    begin_eval(es, in);
    const Expr *a0 = es->expr->args[0];
    /* PostgreSQL points at string literals whose input is bad, not at run-time values nor at
     * conversions of typed constants (99999::smallint has no position) */
    int loc = a0->kind == EXPR_CONST &&
                      (a0->type->id == TYPE_UNKNOWN ||
                       (a0->type->id == TYPE_STRING && es->result->type->id != TYPE_STRING))
                  ? a0->location
                  : -1;
    if (arg->type->id == es->result->type->id && !type_is_nested(arg->type) &&
        arg->type->pg_oid == es->result->type->pg_oid &&
        (arg->type->id != TYPE_DECIMAL || (arg->type->scale == es->result->type->scale &&
                                           arg->type->precision <= es->result->type->precision)) &&
        (arg->type->id != TYPE_STRING || es->result->type->precision <= 0))
        return arg; /* same representation: nothing to convert */
    cast_vector_ext(es->ctx, arg, in, es->result, loc, es->expr->explicit_cast);
    return es->result;
}

static Vector *eval_bool_connective(ExprState *es, const Batch *in, bool is_and)
{
    begin_eval(es, in);
    Vector *out = es->result;
    uint8 *res = out->data;
    uint8 *nullseen = es->marks;
    uint16 *active = es->sel_a;
    int nactive = 0;
    const Batch *cur = in;
    Batch nb;
    for (int i = 0; i < es->nargs; i++) {
        Vector *v = eval(es->args[i], cur);
        const uint8 *d = v->data;
        int k = 0;
        if (i == 0) {
            LIVE_LOOP(in, {
                bool valid = vector_is_valid(v, r);
                nullseen[r] = !valid;
                if (valid && (d[r] != 0) != is_and)
                    res[r] = !is_and; /* decided: FALSE for AND, TRUE for OR */
                else
                    active[k++] = (uint16)r;
            });
        } else {
            for (int j = 0; j < nactive; j++) {
                int r = active[j];
                bool valid = vector_is_valid(v, r);
                if (valid && (d[r] != 0) != is_and)
                    res[r] = !is_and;
                else {
                    nullseen[r] |= !valid;
                    active[k++] = (uint16)r;
                }
            }
        }
        nactive = k;
        if (nactive == 0)
            break;
        nb = narrowed(in, active, nactive);
        cur = &nb;
    }
    for (int j = 0; j < nactive; j++) {
        int r = active[j];
        if (nullseen[r])
            vector_set_null(out, r);
        else
            res[r] = is_and;
    }
    return out;
}

static Vector *eval_not(ExprState *es, const Batch *in)
{
    Vector *v = eval(es->args[0], in);
    begin_eval(es, in);
    Vector *out = es->result;
    const uint8 *d = v->data;
    uint8 *o = out->data;
    LIVE_LOOP(in, o[r] = !d[r]);
    if (v->validity)
        LIVE_LOOP(in, if (!vector_is_valid(v, r)) vector_set_null(out, r));
    return out;
}

static Vector *eval_null_test(ExprState *es, const Batch *in, bool want_null)
{
    Vector *v = eval(es->args[0], in);
    begin_eval(es, in);
    uint8 *o = es->result->data;
    if (v->type->id == TYPE_STRUCT && es->expr->args[0]->kind == EXPR_ROW) {
        /* row IS NULL: every field NULL; row IS NOT NULL: no field NULL */
        LIVE_LOOP(in, {
            int nulls = 0;
            for (int i = 0; i < v->nchildren; i++)
                nulls += !vector_is_valid(&v->children[i], r);
            o[r] = want_null ? nulls == v->nchildren : nulls == 0;
        });
        return es->result;
    }
    if (v->validity == NULL)
        LIVE_LOOP(in, o[r] = !want_null);
    else
        LIVE_LOOP(in, o[r] = vector_is_valid(v, r) != want_null);
    return es->result;
}

static Vector *eval_case(ExprState *es, const Batch *in)
{
    begin_eval(es, in);
    Vector *out = es->result;
    uint16 *remaining = es->sel_a, *matched = es->sel_b;
    int nrem = live_rows(in, remaining);
    int npairs = (es->nargs - (es->expr->has_else ? 1 : 0)) / 2;
    for (int p = 0; p < npairs && nrem > 0; p++) {
        Batch wb = narrowed(in, remaining, nrem);
        Vector *w = eval(es->args[2 * p], &wb);
        const uint8 *wd = w->data;
        int nm = 0, k = 0;
        for (int j = 0; j < nrem; j++) {
            int r = remaining[j];
            if (vector_is_valid(w, r) && wd[r])
                matched[nm++] = (uint16)r;
            else
                remaining[k++] = (uint16)r;
        }
        nrem = k;
        if (nm > 0) {
            Batch tb = narrowed(in, matched, nm);
            Vector *t = eval(es->args[2 * p + 1], &tb);
            copy_rows(out, t, matched, nm, es->scratch);
        }
    }
    if (nrem > 0) {
        if (es->expr->has_else) {
            Batch eb = narrowed(in, remaining, nrem);
            Vector *v = eval(es->args[es->nargs - 1], &eb);
            copy_rows(out, v, remaining, nrem, es->scratch);
        } else
            for (int j = 0; j < nrem; j++)
                vector_set_null(out, remaining[j]);
    }
    return out;
}

static Vector *eval_coalesce(ExprState *es, const Batch *in)
{
    begin_eval(es, in);
    Vector *out = es->result;
    uint16 *remaining = es->sel_a, *found = es->sel_b;
    int nrem = live_rows(in, remaining);
    for (int i = 0; i < es->nargs && nrem > 0; i++) {
        Batch ab = narrowed(in, remaining, nrem);
        Vector *v = eval(es->args[i], &ab);
        int nf = 0, k = 0;
        for (int j = 0; j < nrem; j++) {
            int r = remaining[j];
            if (vector_is_valid(v, r))
                found[nf++] = (uint16)r;
            else
                remaining[k++] = (uint16)r;
        }
        nrem = k;
        if (nf > 0)
            copy_rows(out, v, found, nf, es->scratch);
    }
    for (int j = 0; j < nrem; j++)
        vector_set_null(out, remaining[j]);
    return out;
}

/* Sets result row r from a membership outcome: 1 found, 0 not found, -1 unknown. */
static inline void set_in_result(Vector *out, int r, int outcome, bool negated)
{
    if (outcome < 0)
        vector_set_null(out, r);
    else
        ((uint8 *)out->data)[r] = (uint8)((outcome == 1) != negated);
}

static Vector *eval_in_list(ExprState *es, const Batch *in)
{
    Vector *x = eval(es->args[0], in);
    const Expr *e = es->expr;
    if (es->vals == NULL)
        for (int i = 1; i < e->nargs; i++)
            es->argv[i] = eval(es->args[i], in);
    begin_eval(es, in);
    Vector *out = es->result;
    bool neg = e->negated;
    if (es->vals) {
        LIVE_LOOP(in, {
            int outcome;
            if (!vector_is_valid(x, r))
                outcome = es->nvals > 0 ? -1 : 0;
            else if (es->set)
                outcome = valueset_contains(es->set, x, r) ? 1 : (es->vals_have_null ? -1 : 0);
            else {
                outcome = 0;
                for (int i = 0; i < es->nvals && outcome != 1; i++) {
                    int eq = value_eq3(x, r, es->vals, i);
                    if (eq == 1 || (eq < 0 && outcome == 0))
                        outcome = eq;
                }
            }
            set_in_result(out, r, outcome, neg);
        });
        return out;
    }
    LIVE_LOOP(in, {
        int outcome = 0;
        for (int i = 1; i < e->nargs && outcome != 1; i++) {
            int eq = value_eq3(x, r, es->argv[i], r);
            if (eq == 1 || (eq < 0 && outcome == 0))
                outcome = eq;
        }
        set_in_result(out, r, outcome, neg);
    });
    return out;
}

static Vector *eval_row(ExprState *es, const Batch *in)
{
    for (int i = 0; i < es->nargs; i++)
        es->argv[i] = eval(es->args[i], in);
    begin_eval(es, in);
    Vector *out = es->result;
    for (int i = 0; i < es->nargs && i < out->nchildren; i++)
        out->children[i] = *es->argv[i]; /* row-aligned: share the field vectors */
    return out;
}

static Vector *eval_outer(ExprState *es, const Batch *in)
{
    const Expr *e = es->expr;
    ExecContext *ctx = es->ctx;
    int level = (e->levels_up > 0 ? e->levels_up : 1) - 1;
    if (level >= ctx->nouter || ctx->outer_batches == NULL)
        elog(ERROR, "outer reference without an outer row (level %d)", e->levels_up);
    const Batch *ob = ctx->outer_batches[level];
    int orow = ctx->outer_rows[level];
    begin_eval(es, in);
    broadcast(es->result, &ob->cols[e->index], orow, in->count, es->scratch);
    return es->result;
}

/* ---- subqueries ---- */

typedef struct SubqSink {
    ExprState *es;
    SubqueryKind kind;
} SubqSink;

static void subq_grow(ExprState *es, int64 need)
{
    if (need <= es->sub_cap)
        return;
    int cap = es->sub_cap ? es->sub_cap * 2 : 16;
    while (cap < need)
        cap *= 2;
    Vector *nv = arena_new(es->sub_arena, Vector);
    vector_init(nv, es->sub_arena, es->expr->subplan->cols[0].type, cap);
    for (int64 i = 0; i < es->sub_rows; i++)
        copy_value(nv, (int)i, es->sub_vals, (int)i, es->sub_arena, false);
    es->sub_vals = nv;
    es->sub_cap = cap;
}

static void subq_sink(void *arg, const Batch *b)
{
    SubqSink *s = arg;
    ExprState *es = s->es;
    int n = batch_live_count(b);
    if (s->kind == SUBQ_EXISTS) {
        es->sub_rows += n;
        return;
    }
    if (s->kind == SUBQ_SCALAR && es->sub_rows + n > 1)
        ereport(ERROR, errcode(ERRCODE_CARDINALITY_VIOLATION),
                errmsg("more than one row returned by a subquery used as an expression"));
    subq_grow(es, es->sub_rows + n);
    LIVE_LOOP(b, {
        copy_value(es->sub_vals, (int)es->sub_rows, &b->cols[0], r, es->sub_arena, true);
        es->sub_rows++;
    });
}

/*
 * Runs the subplan (for the outer row `row` of `outer` when correlated).  The run gets its
 * own context whose arena is reset before every run, so a correlated subquery over a
 * million outer rows does not keep a million operator trees; the rows it returns are
 * copied into sub_arena by the sink.
 */
static void subq_run(ExprState *es, const Batch *outer, int row)
{
    ExecContext *ctx = es->ctx;
    const Expr *e = es->expr;
    arena_reset(es->sub_arena);
    arena_reset(es->run_arena);
    es->sub_rows = 0;
    es->sub_cap = 0;
    es->sub_vals = NULL;
    SubqSink s = {es, e->subquery_kind};
    ExecContext sub = *ctx;
    sub.arena = es->run_arena;
    if (e->correlated) {
        int n = ctx->nouter;
        const Batch **nbv = arena_alloc(es->run_arena, sizeof(Batch *) * (size_t)(n + 1));
        int *nrv = arena_alloc(es->run_arena, sizeof(int) * (size_t)(n + 1));
        nbv[0] = outer;
        nrv[0] = row;
        for (int i = 0; i < n; i++) {
            nbv[i + 1] = ctx->outer_batches[i];
            nrv[i + 1] = ctx->outer_rows[i];
        }
        sub.outer_batches = nbv;
        sub.outer_rows = nrv;
        sub.nouter = n + 1;
    }
    exec_run(&sub, e->subplan, subq_sink, &s);
}

/* ANY/ALL values are compared by the operator's kernel: cast them to its argument type once. */
static void subq_prepare_values(ExprState *es)
{
    const FuncDesc *cmp = es->expr->compare;
    if (es->sub_rows == 0 || es->sub_vals == NULL)
        return;
    int want = cmp->args[1];
    const LmType *have = es->sub_vals->type;
    if (want > TYPE__COUNT || (int)have->id == want)
        return;
    const LmType *target = want == TYPE_DECIMAL ? type_decimal(es->sub_arena, DECIMAL_MAX_PRECISION, 10)
                                                : type_scalar((TypeId)want);
    if (target == NULL)
        return;
    Vector *nv = arena_new(es->sub_arena, Vector);
    vector_init(nv, es->sub_arena, target, (int)es->sub_rows);
    Batch all = {0};
    all.count = (int)es->sub_rows;
    cast_vector(es->ctx, es->sub_vals, &all, nv, -1);
    es->sub_vals = nv;
}

/*
 * x[xrow] op ANY/ALL (rows start..start+m-1 of vals): 1 true, 0 false, -1 unknown.  One
 * kernel call over the values, seen through a view that starts at `start` (array
 * elements of one row, or a subquery's result); x is broadcast into a buffer as long as
 * the value list.
 */
static int any_all_values(ExprState *es, const Vector *x, int xrow, const Vector *vals, int start,
                          int m, bool is_all)
{
    if (m == 0)
        return is_all ? 1 : 0;
    if (!vector_is_valid(x, xrow))
        return -1;
    const FuncDesc *cmp = es->expr->compare;
    if (m > 65535)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("ANY/ALL over more than 65535 values is not supported"));
    if (m > es->cmp_cap) {
        int cap = es->cmp_cap ? es->cmp_cap : 64;
        while (cap < m)
            cap *= 2;
        es->cmp_x = arena_new(es->ctx->arena, Vector);
        vector_init(es->cmp_x, es->ctx->arena, x->type, cap);
        es->cmp_out = arena_new(es->ctx->arena, Vector);
        vector_init(es->cmp_out, es->ctx->arena, type_bool(), cap);
        es->cmp_cap = cap;
    }
    es->cmp_x->validity = NULL;
    es->cmp_x->child_count = 0; /* nested x: elements are copied again for every row */
    broadcast(es->cmp_x, x, xrow, m, es->ctx->arena);
    es->cmp_out->validity = NULL;
    es->cmp_out->arena = es->scratch;

    /* the view: data shifted by start, validity bits copied (bitmaps cannot be shifted) */
    Vector view = *vals;
    size_t sz = type_physical_size(vals->type);
    view.data = (char *)vals->data + (size_t)start * sz;
    view.capacity = m;
    Batch b = {0};
    b.count = m;
    bool nulls = false;
    if (vals->validity) {
        uint64 *bits = arena_alloc0(es->scratch, ((size_t)m + 63) / 64 * sizeof(uint64));
        uint16 *sel = arena_alloc(es->scratch, sizeof(uint16) * (size_t)m);
        int k = 0;
        for (int j = 0; j < m; j++)
            if (vector_is_valid(vals, start + j)) {
                bits[j >> 6] |= UINT64_C(1) << (j & 63);
                sel[k++] = (uint16)j;
            } else
                nulls = true;
        view.validity = bits;
        b.sel = sel;
        b.nsel = k;
    }
    Vector *argv[2] = {es->cmp_x, &view};
    if (batch_live_count(&b) > 0)
        cmp->kernel(&es->fc, argv, &b, es->cmp_out);
    const uint8 *o = es->cmp_out->data;
    bool any_true = false, any_false = false;
    LIVE_LOOP(&b, {
        if (!vector_is_valid(es->cmp_out, r))
            nulls = true;
        else if (o[r])
            any_true = true;
        else
            any_false = true;
    });
    if (is_all)
        return any_false ? 0 : (nulls ? -1 : 1);
    return any_true ? 1 : (nulls ? -1 : 0);
}

static int any_all_row(ExprState *es, const Vector *x, int xrow, bool is_all)
{
    int m = (int)es->sub_rows;
    if (m > 0 && vector_is_valid(x, xrow) && !is_all && es->set)
        return valueset_contains(es->set, x, xrow) ? 1 : (es->vals_have_null ? -1 : 0);
    return any_all_values(es, x, xrow, es->sub_vals, 0, m, is_all);
}

/* Builds the ARRAY(SELECT ...) value into out[row]. */
static void subq_array_into(ExprState *es, Vector *out, int row)
{
    int m = (int)es->sub_rows;
    int off = out->child_count;
    vector_reserve_children(out, es->scratch, off + (m > 0 ? m : 1));
    for (int j = 0; j < m; j++)
        copy_value(&out->children[0], off + j, es->sub_vals, j, es->scratch, false);
    out->child_count = off + m;
    ListEntry *le = &((ListEntry *)out->data)[row];
    le->offset = (uint32)off;
    le->length = (uint32)m;
    vector_set_valid(out, row);
}

/* After an uncorrelated run: scalar / EXISTS / ARRAY become constants. */
static void subq_make_const(ExprState *es)
{
    const Expr *e = es->expr;
    Vector *out = es->result;
    Arena *a = es->sub_arena; /* lives as long as the statement for uncorrelated subqueries */
    switch (e->subquery_kind) {
    case SUBQ_SCALAR: {
        vector_init(out, a, out->type, es->cap);
        if (es->sub_rows == 0)
            for (int r = 0; r < es->cap; r++)
                vector_set_null(out, r);
        else
            broadcast(out, es->sub_vals, 0, es->cap, a);
        break;
    }
    case SUBQ_EXISTS:
        vector_init(out, a, out->type, es->cap);
        memset(out->data, es->sub_rows > 0, (size_t)es->cap);
        break;
    case SUBQ_ARRAY: {
        vector_init(out, a, out->type, es->cap);
        Arena *saved = es->scratch;
        es->scratch = a;
        subq_array_into(es, out, 0);
        es->scratch = saved;
        for (int r = 1; r < es->cap; r++)
            ((ListEntry *)out->data)[r] = ((ListEntry *)out->data)[0];
        break;
    }
    default: return;
    }
    es->is_const = true;
}

static Vector *eval_subquery(ExprState *es, const Batch *in)
{
    const Expr *e = es->expr;
    SubqueryKind kind = e->subquery_kind;
    bool anyall = kind == SUBQ_ANY || kind == SUBQ_ALL;
    Vector *x = anyall ? eval(es->args[0], in) : NULL;
    if (!e->correlated) {
        if (!es->sub_done) {
            subq_run(es, NULL, 0);
            es->sub_done = true;
            if (anyall) {
                subq_prepare_values(es);
                /* = ANY over many values: hash probe like IN */
                if (kind == SUBQ_ANY && strcmp(e->compare->name, "=") == 0 && es->sub_rows >= 8 &&
                    type_hashable(es->sub_vals->type) && x->type->id == es->sub_vals->type->id &&
                    (x->type->id != TYPE_DECIMAL || x->type->scale == es->sub_vals->type->scale)) {
                    es->set = valueset_build(es->sub_arena, es->sub_vals, (int)es->sub_rows);
                    for (int j = 0; j < es->sub_rows; j++)
                        es->vals_have_null |= !vector_is_valid(es->sub_vals, j);
                }
            } else {
                subq_make_const(es);
                return es->result;
            }
        }
        begin_eval(es, in);
        LIVE_LOOP(in, set_in_result(es->result, r, any_all_row(es, x, r, kind == SUBQ_ALL), e->negated));
        return es->result;
    }
    begin_eval(es, in);
    Vector *out = es->result;
    LIVE_LOOP(in, {
        subq_run(es, in, r);
        switch (kind) {
        case SUBQ_SCALAR:
            if (es->sub_rows == 0)
                vector_set_null(out, r);
            else
                copy_value(out, r, es->sub_vals, 0, es->scratch, true);
            break;
        case SUBQ_EXISTS: ((uint8 *)out->data)[r] = es->sub_rows > 0; break;
        case SUBQ_ARRAY: {
            subq_array_into(es, out, r);
            /* the values live in sub_arena, reset by the next run: copy the strings */
            Vector *ch = &out->children[0];
            ListEntry le = ((ListEntry *)out->data)[r];
            if (ch->type->id == TYPE_STRING || ch->type->id == TYPE_BINARY || ch->type->id == TYPE_JSON)
                for (uint32 j = 0; j < le.length; j++)
                    if (vector_is_valid(ch, (int)(le.offset + j))) {
                        StrView *sv = &((StrView *)ch->data)[le.offset + j];
                        if (sv->len)
                            sv->ptr = arena_memdup(es->scratch, sv->ptr, sv->len);
                    }
            break;
        }
        default:
            subq_prepare_values(es);
            set_in_result(out, r, any_all_row(es, x, r, kind == SUBQ_ALL), e->negated);
            break;
        }
    });
    return out;
}

/* ---- arrays, subscripts, fields ---- */

static Vector *eval_array(ExprState *es, const Batch *in)
{
    for (int i = 0; i < es->nargs; i++)
        es->argv[i] = eval(es->args[i], in);
    begin_eval(es, in);
    Vector *out = es->result;
    int n = es->nargs;
    int need = batch_live_count(in) * n;
    vector_reserve_children(out, es->scratch, need > 0 ? need : 1);
    Vector *elems = &out->children[0];
    int off = 0;
    LIVE_LOOP(in, {
        for (int i = 0; i < n; i++)
            copy_value(elems, off + i, es->argv[i], r, es->scratch, false);
        ListEntry *le = &((ListEntry *)out->data)[r];
        le->offset = (uint32)off;
        le->length = (uint32)n;
        off += n;
    });
    out->child_count = off;
    return out;
}

static Vector *eval_subscript(ExprState *es, const Batch *in)
{
    Vector *c = eval(es->args[0], in);
    Vector *k = eval(es->args[1], in);
    begin_eval(es, in);
    Vector *out = es->result;
    const ListEntry *le = c->data;
    if (c->type->id == TYPE_ARRAY) {
        const Vector *elems = &c->children[0];
        /* int2vector and oidvector (pg_index.indkey, ...) are 0-based, as in PostgreSQL */
        int64 base = (c->type->pg_oid == INT2VECTOROID || c->type->pg_oid == OIDVECTOROID) ? 0 : 1;
        LIVE_LOOP(in, {
            if (!vector_is_valid(c, r) || !vector_is_valid(k, r)) {
                vector_set_null(out, r);
                continue;
            }
            int64 idx;
            switch (k->type->id) {
            case TYPE_INT8: idx = ((const int8 *)k->data)[r]; break;
            case TYPE_INT16: idx = ((const int16 *)k->data)[r]; break;
            case TYPE_INT64: idx = ((const int64 *)k->data)[r]; break;
            default: idx = ((const int32 *)k->data)[r]; break;
            }
            idx -= base;
            if (idx < 0 || idx >= le[r].length)
                vector_set_null(out, r);
            else
                copy_value(out, r, elems, (int)(le[r].offset + idx), es->scratch, false);
        });
        return out;
    }
    if (c->type->id == TYPE_MAP) {
        const Vector *keys = &c->children[0], *vals = &c->children[1];
        LIVE_LOOP(in, {
            bool found = false;
            if (vector_is_valid(c, r) && vector_is_valid(k, r))
                for (uint32 j = 0; j < le[r].length && !found; j++)
                    if (value_eq3(keys, (int)(le[r].offset + j), k, r) == 1) {
                        copy_value(out, r, vals, (int)(le[r].offset + j), es->scratch, false);
                        found = true;
                    }
            if (!found)
                vector_set_null(out, r);
        });
        return out;
    }
    ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
            errmsg("cannot subscript type %s because it does not support subscripting",
                   type_name(es->scratch, c->type)),
            errposition(es->expr->location + 1));
}

static Vector *eval_field(ExprState *es, const Batch *in)
{
    Vector *v = eval(es->args[0], in);
    int f = es->expr->index;
    if (v->type->id != TYPE_STRUCT || f < 0 || f >= v->nchildren)
        elog(ERROR, "field %d of a non-struct or out of range", f);
    if (v->validity == NULL)
        return &v->children[f]; /* row-aligned: the field's own vector */
    begin_eval(es, in);
    Vector *out = es->result;
    LIVE_LOOP(in, {
        if (vector_is_valid(v, r))
            copy_value(out, r, &v->children[f], r, es->scratch, false);
        else
            vector_set_null(out, r);
    });
    return out;
}

static Vector *eval_scalar_array_op(ExprState *es, const Batch *in)
{
    Vector *x = eval(es->args[0], in);
    Vector *arr = eval(es->args[1], in);
    begin_eval(es, in);
    Vector *out = es->result;
    bool is_all = es->expr->subquery_kind == SUBQ_ALL;
    const ListEntry *le = arr->data;
    LIVE_LOOP(in, {
        if (!vector_is_valid(arr, r))
            vector_set_null(out, r);
        else
            set_in_result(out, r,
                          any_all_values(es, x, r, &arr->children[0], (int)le[r].offset,
                                         (int)le[r].length, is_all),
                          es->expr->negated);
    });
    return out;
}

static Vector *eval(ExprState *es, const Batch *in)
{
    if (es->is_const)
        return es->result;
    const Expr *e = es->expr;
    switch (e->kind) {
    case EXPR_COLUMN:
        if (LM_UNLIKELY(e->index < 0 || e->index >= in->ncols))
            elog(ERROR, "column reference %d outside the input's %d columns", e->index, in->ncols);
        return &in->cols[e->index];
    case EXPR_FUNC: return eval_func(es, in);
    case EXPR_CAST: return eval_cast(es, in);
    case EXPR_AND: return eval_bool_connective(es, in, true);
    case EXPR_OR: return eval_bool_connective(es, in, false);
    case EXPR_NOT: return eval_not(es, in);
    case EXPR_IS_NULL: return eval_null_test(es, in, true);
    case EXPR_IS_NOT_NULL: return eval_null_test(es, in, false);
    case EXPR_CASE: return eval_case(es, in);
    case EXPR_COALESCE: return eval_coalesce(es, in);
    case EXPR_IN_LIST: return eval_in_list(es, in);
    case EXPR_ROW: return eval_row(es, in);
    case EXPR_OUTER: return eval_outer(es, in);
    case EXPR_SUBQUERY: return eval_subquery(es, in);
    case EXPR_ARRAY: return eval_array(es, in);
    case EXPR_SUBSCRIPT: return eval_subscript(es, in);
    case EXPR_FIELD: return eval_field(es, in);
    case EXPR_SCALAR_ARRAY_OP: return eval_scalar_array_op(es, in);
    default: elog(ERROR, "unrecognized expression kind %d", (int)e->kind);
    }
}

Vector *expr_eval(ExprState *es, const Batch *in)
{
    return eval(es, in);
}

int expr_filter(ExprState *es, const Batch *in, uint16 *sel_out)
{
    Vector *v = eval(es, in);
    const uint8 *d = v->data;
    int k = 0;
    if (all_valid(v, in)) {
        if (in->sel)
            for (int i = 0; i < in->nsel; i++) {
                int r = in->sel[i];
                sel_out[k] = (uint16)r;
                k += d[r] != 0;
            }
        else
            for (int r = 0; r < in->count; r++) {
                sel_out[k] = (uint16)r;
                k += d[r] != 0;
            }
        return k;
    }
    LIVE_LOOP(in, {
        sel_out[k] = (uint16)r;
        k += d[r] != 0 && vector_is_valid(v, r);
    });
    return k;
}
