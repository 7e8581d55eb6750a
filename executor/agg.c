/*
 * agg.c: the aggregate functions (lm_aggs): count(*), count(x), sum, avg,
 * min, max, bool_and/bool_or/every, string_agg, array_agg and json_agg.
 *
 * The aggregate operator keeps one fixed-size state per group in a flat
 * array and calls update() once per batch with the group id of every row;
 * each update is a single loop over the live rows (no call per row).
 * Variable-width states (min/max of text, string_agg, json_agg, array_agg)
 * keep a growable buffer in the aggregation's arena (AggKernelArgs.arena),
 * grown by doubling, so a group costs O(log n) allocations, not one per row.
 * merge() folds a partial state into another (parallel partial aggregation);
 * finalize() writes one group's result.  DISTINCT, FILTER and ORDER BY
 * inside the call are the aggregate operator's business: it hands update()
 * exactly the rows to aggregate, in order.  update() skips NULL arguments
 * itself for strict aggregates, so an operator may or may not pre-filter.
 *
 * Result types follow PostgreSQL: sum(smallint|integer) is bigint,
 * sum(bigint) numeric (DECIMAL(38,0) here), sum(numeric(p,s)) numeric
 * (DECIMAL(38,s)), sum(real) real, sum(double) double; avg of integers is
 * numeric with 16 fraction digits (what PostgreSQL prints for typical
 * values: avg(1,2) = 1.5000000000000000), avg(numeric(p,s)) keeps at least s
 * and up to 16 fraction digits, avg of floats is double precision; count is
 * bigint; sum/avg/min/max of no rows are NULL, count is 0.
 */
#include "executor/func.h"
#include "common/numeric.h"

#include <math.h>

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

/* Loop over the live rows where v is not NULL. */
#define VALID_LOOP(b, v, ...)                                                                      \
    do {                                                                                           \
        if ((v)->validity == NULL)                                                                 \
            LIVE_LOOP(b, __VA_ARGS__);                                                             \
        else                                                                                       \
            LIVE_LOOP(b, if (vector_is_valid((v), r)) { __VA_ARGS__; });                           \
    } while (0)

#define STATE(T, states, size, g) ((T *)((states) + (size_t)(g) * (size)))

LM_NORETURN static void bigint_out_of_range(void)
{
    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("bigint out of range"));
}

LM_NORETURN static void numeric_overflow(void)
{
    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("value overflows numeric format"));
}


/* ---- count ---- */

static void count_star_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g,
                              char *states)
{
    int64 *c = (int64 *)states;
    LIVE_LOOP(b, c[g[r]]++);
}

static void count_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g,
                         char *states)
{
    int64 *c = (int64 *)states;
    VALID_LOOP(b, args[0], c[g[r]]++);
}

static void count_merge(AggKernelArgs *k, void *dst, const void *src)
{
    *(int64 *)dst += *(const int64 *)src;
}

static void count_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    ((int64 *)out->data)[row] = *(const int64 *)state;
    vector_set_valid(out, row);
}

/* ---- sum ---- */

typedef struct SumI64 {
    int64 sum;
    bool seen;
} SumI64;

typedef struct SumI128 {
    int128 sum;
    bool seen;
} SumI128;

typedef struct SumF64 {
    double sum;
    bool seen;
} SumF64;

typedef struct SumIv {
    Interval sum;
    bool seen;
} SumIv;

#define SUM_INT_UPDATE(NAME, CT)                                                                   \
    static void NAME(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g, char *st)  \
    {                                                                                              \
        const CT *x = args[0]->data;                                                               \
        bool ovf = false;                                                                          \
        VALID_LOOP(b, args[0], {                                                                   \
            SumI64 *s = STATE(SumI64, st, sizeof(SumI64), g[r]);                                   \
            ovf |= __builtin_add_overflow(s->sum, (int64)x[r], &s->sum);                           \
            s->seen = true;                                                                        \
        });                                                                                        \
        if (ovf)                                                                                   \
            bigint_out_of_range();                                                                 \
    }
SUM_INT_UPDATE(sum_int2_update, int16)
SUM_INT_UPDATE(sum_int4_update, int32)

static void sum_i64_merge(AggKernelArgs *k, void *dst, const void *src)
{
    SumI64 *d = dst;
    const SumI64 *s = src;
    if (!s->seen)
        return;
    if (__builtin_add_overflow(d->sum, s->sum, &d->sum))
        bigint_out_of_range();
    d->seen = true;
}

static void sum_i64_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    const SumI64 *s = state;
    if (!s->seen) {
        vector_set_null(out, row);
        return;
    }
    ((int64 *)out->data)[row] = s->sum;
    vector_set_valid(out, row);
}

static void sum_int8_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g, char *st)
{
    const int64 *x = args[0]->data;
    VALID_LOOP(b, args[0], {
        SumI128 *s = STATE(SumI128, st, sizeof(SumI128), g[r]);
        s->sum += x[r];
        s->seen = true;
    });
}

static void sum_dec_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g, char *st)
{
    const int128 *x = args[0]->data;
    bool ovf = false;
    VALID_LOOP(b, args[0], {
        SumI128 *s = STATE(SumI128, st, sizeof(SumI128), g[r]);
        ovf |= __builtin_add_overflow(s->sum, x[r], &s->sum);
        s->seen = true;
    });
    if (ovf)
        numeric_overflow();
}

static void sum_i128_merge(AggKernelArgs *k, void *dst, const void *src)
{
    SumI128 *d = dst;
    const SumI128 *s = src;
    if (!s->seen)
        return;
    if (__builtin_add_overflow(d->sum, s->sum, &d->sum))
        numeric_overflow();
    d->seen = true;
}

/* The state's scale is the argument's; the result type has the same scale. */
static void sum_i128_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    const SumI128 *s = state;
    if (!s->seen) {
        vector_set_null(out, row);
        return;
    }
    int128 lim = decimal_pow10[DECIMAL_MAX_PRECISION];
    if (s->sum >= lim || s->sum <= -lim)
        numeric_overflow();
    ((int128 *)out->data)[row] = s->sum;
    vector_set_valid(out, row);
}

#define SUM_FLOAT_UPDATE(NAME, CT)                                                                 \
    static void NAME(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g, char *st)  \
    {                                                                                              \
        const CT *x = args[0]->data;                                                               \
        VALID_LOOP(b, args[0], {                                                                   \
            SumF64 *s = STATE(SumF64, st, sizeof(SumF64), g[r]);                                   \
            s->sum += x[r];                                                                        \
            s->seen = true;                                                                        \
        });                                                                                        \
    }
SUM_FLOAT_UPDATE(sum_float4_update, float)
SUM_FLOAT_UPDATE(sum_float8_update, double)

static void sum_f64_merge(AggKernelArgs *k, void *dst, const void *src)
{
    SumF64 *d = dst;
    const SumF64 *s = src;
    if (s->seen) {
        d->sum += s->sum;
        d->seen = true;
    }
}

static void sum_f64_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    const SumF64 *s = state;
    if (!s->seen) {
        vector_set_null(out, row);
        return;
    }
    if (out->type->id == TYPE_FLOAT32) {
        float f = (float)s->sum;
        if (isinf(f) && !isinf(s->sum))
            ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                    errmsg("value out of range: overflow"));
        ((float *)out->data)[row] = f;
    } else
        ((double *)out->data)[row] = s->sum;
    vector_set_valid(out, row);
}

static void iv_add(Interval *d, const Interval *x)
{
    if (__builtin_add_overflow(d->months, x->months, &d->months) ||
        __builtin_add_overflow(d->days, x->days, &d->days) ||
        __builtin_add_overflow(d->micros, x->micros, &d->micros))
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("interval out of range"));
}

static void sum_iv_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g, char *st)
{
    const Interval *x = args[0]->data;
    VALID_LOOP(b, args[0], {
        SumIv *s = STATE(SumIv, st, sizeof(SumIv), g[r]);
        iv_add(&s->sum, &x[r]);
        s->seen = true;
    });
}

static void sum_iv_merge(AggKernelArgs *k, void *dst, const void *src)
{
    SumIv *d = dst;
    const SumIv *s = src;
    if (s->seen) {
        iv_add(&d->sum, &s->sum);
        d->seen = true;
    }
}

static void sum_iv_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    const SumIv *s = state;
    if (!s->seen) {
        vector_set_null(out, row);
        return;
    }
    ((Interval *)out->data)[row] = s->sum;
    vector_set_valid(out, row);
}

static const LmType *ret_sum(Arena *a, int n, const LmType **t)
{
    switch (t[0]->id) {
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32: return type_int64();
    case TYPE_INT64: return type_decimal(a, DECIMAL_MAX_PRECISION, 0);
    case TYPE_DECIMAL:
        return t[0]->numeric_trim
                   ? type_decimal_trimmed(a, type_decimal(a, DECIMAL_MAX_PRECISION, t[0]->scale))
                   : type_decimal(a, DECIMAL_MAX_PRECISION, t[0]->scale);
    default: return t[0];
    }
}

/* ---- avg ---- */

typedef struct AvgI128 {
    int128 sum;
    int64 count;
} AvgI128;

typedef struct AvgF64 {
    double sum;
    int64 count;
} AvgF64;

#define AVG_EXACT_UPDATE(NAME, CT)                                                                 \
    static void NAME(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g, char *st)  \
    {                                                                                              \
        const CT *x = args[0]->data;                                                               \
        bool ovf = false;                                                                          \
        VALID_LOOP(b, args[0], {                                                                   \
            AvgI128 *s = STATE(AvgI128, st, sizeof(AvgI128), g[r]);                                \
            ovf |= __builtin_add_overflow(s->sum, (int128)x[r], &s->sum);                          \
            s->count++;                                                                            \
        });                                                                                        \
        if (ovf)                                                                                   \
            numeric_overflow();                                                                    \
    }
AVG_EXACT_UPDATE(avg_int2_update, int16)
AVG_EXACT_UPDATE(avg_int4_update, int32)
AVG_EXACT_UPDATE(avg_int8_update, int64)
AVG_EXACT_UPDATE(avg_dec_update, int128)

static void avg_i128_merge(AggKernelArgs *k, void *dst, const void *src)
{
    AvgI128 *d = dst;
    const AvgI128 *s = src;
    if (__builtin_add_overflow(d->sum, s->sum, &d->sum))
        numeric_overflow();
    d->count += s->count;
}

/* x * 10^k / y rounded half away from zero, without overflowing the intermediate. */
static int128 div_scaled(int128 x, int64 y, int k)
{
    bool neg = x < 0;
    unsigned __int128 ux = neg ? -(unsigned __int128)x : (unsigned __int128)x;
    unsigned __int128 uy = (unsigned __int128)y;
    unsigned __int128 q = ux / uy, rem = ux % uy;
    const unsigned __int128 max = ((unsigned __int128)1 << 127) - 1;
    for (int i = 0; i < k; i++) {
        if (q > max / 10)
            numeric_overflow();
        rem *= 10; /* rem < y < 2^63: no overflow */
        q = q * 10 + rem / uy;
        rem %= uy;
    }
    if (rem >= uy - rem)
        q++;
    return neg ? -(int128)q : (int128)q;
}

static void avg_i128_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    const AvgI128 *s = state;
    if (s->count == 0) {
        vector_set_null(out, row);
        return;
    }
    int in_scale = 0;
    if (k && k->call && k->call->nargs > 0 && k->call->args[0]->type->id == TYPE_DECIMAL)
        in_scale = k->call->args[0]->type->scale;
    int128 v = div_scaled(s->sum, s->count, out->type->scale - in_scale);
    int128 lim = decimal_pow10[out->type->precision];
    if (v >= lim || v <= -lim)
        numeric_overflow();
    ((int128 *)out->data)[row] = v;
    vector_set_valid(out, row);
}

#define AVG_FLOAT_UPDATE(NAME, CT)                                                                 \
    static void NAME(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g, char *st)  \
    {                                                                                              \
        const CT *x = args[0]->data;                                                               \
        VALID_LOOP(b, args[0], {                                                                   \
            AvgF64 *s = STATE(AvgF64, st, sizeof(AvgF64), g[r]);                                   \
            s->sum += x[r];                                                                        \
            s->count++;                                                                            \
        });                                                                                        \
    }
AVG_FLOAT_UPDATE(avg_float4_update, float)
AVG_FLOAT_UPDATE(avg_float8_update, double)

static void avg_f64_merge(AggKernelArgs *k, void *dst, const void *src)
{
    AvgF64 *d = dst;
    const AvgF64 *s = src;
    d->sum += s->sum;
    d->count += s->count;
}

static void avg_f64_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    const AvgF64 *s = state;
    if (s->count == 0) {
        vector_set_null(out, row);
        return;
    }
    ((double *)out->data)[row] = s->sum / (double)s->count;
    vector_set_valid(out, row);
}

/* avg(interval): the sum divided as PostgreSQL's interval_div does (fractions cascade down). */
typedef struct AvgIv {
    Interval sum;
    int64 count;
} AvgIv;

static void avg_iv_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g, char *st)
{
    const Interval *x = args[0]->data;
    VALID_LOOP(b, args[0], {
        AvgIv *s = STATE(AvgIv, st, sizeof(AvgIv), g[r]);
        iv_add(&s->sum, &x[r]);
        s->count++;
    });
}

static void avg_iv_merge(AggKernelArgs *k, void *dst, const void *src)
{
    AvgIv *d = dst;
    const AvgIv *s = src;
    iv_add(&d->sum, &s->sum);
    d->count += s->count;
}

static void avg_iv_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    const AvgIv *s = state;
    if (s->count == 0) {
        vector_set_null(out, row);
        return;
    }
    double n = (double)s->count;
    Interval res;
    double m = s->sum.months / n, d = s->sum.days / n;
    res.months = (int32)m;
    res.days = (int32)d;
    double month_rem_days = rint((m - res.months) * 30.0 * 1e6) / 1e6;
    double sec_rem = rint((d - res.days + month_rem_days - (int)month_rem_days) * 86400.0 * 1e6) / 1e6;
    if (fabs(sec_rem) >= 86400.0) {
        res.days += (int)(sec_rem / 86400.0);
        sec_rem -= (int)(sec_rem / 86400.0) * 86400.0;
    }
    res.days += (int)month_rem_days;
    res.micros = (int64)rint(s->sum.micros / n + sec_rem * 1e6);
    ((Interval *)out->data)[row] = res;
    vector_set_valid(out, row);
}

static const LmType *ret_avg(Arena *a, int n, const LmType **t)
{
    /* an average never has more integer digits than its inputs: keeping the precision tight
     * leaves room for the 16 fraction digits in arithmetic on the result (x - avg(x)) */
    switch (t[0]->id) {
    case TYPE_INT8: return type_decimal(a, 3 + 16, 16);
    case TYPE_INT16: return type_decimal(a, 5 + 16, 16);
    case TYPE_INT32: return type_decimal(a, 10 + 16, 16);
    case TYPE_INT64: return type_decimal(a, 19 + 16, 16);
    case TYPE_DECIMAL: {
        int s = t[0]->scale, intd = t[0]->precision - t[0]->scale;
        if (t[0]->numeric_trim) /* values' scales unknown: PostgreSQL's 16 digits */
            return type_decimal(a, DECIMAL_MAX_PRECISION, LM_MAX(16, s));
        int rs = LM_MAX(s, LM_MIN(16, DECIMAL_MAX_PRECISION - intd));
        return type_decimal(a, LM_MIN(DECIMAL_MAX_PRECISION, intd + rs), rs);
    }
    case TYPE_INTERVAL: return type_interval();
    default: return type_float64();
    }
}

/* ---- min / max over fixed-width values ---- */

typedef struct MinMax {
    int128 value; /* any fixed-width value, stored in the first bytes */
    bool seen;
} MinMax;

static inline int f64_cmp(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) ? (isnan(b) ? 0 : 1) : -1;
    return (a > b) - (a < b);
}

static inline int128 iv_span(const Interval *iv)
{
    return (int128)iv->micros + ((int128)iv->days + (int128)iv->months * 30) * USECS_PER_DAY;
}

#define PLAIN_CMP(a, b) (((a) > (b)) - ((a) < (b)))
#define FLOAT_CMP(a, b) f64_cmp((a), (b))
#define IV_CMP(a, b) PLAIN_CMP(iv_span(&(a)), iv_span(&(b)))

#define MINMAX(NAME, CT, CMP, SIGN)                                                                \
    static void NAME##_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g,   \
                              char *st)                                                            \
    {                                                                                              \
        const CT *x = args[0]->data;                                                               \
        VALID_LOOP(b, args[0], {                                                                   \
            MinMax *s = STATE(MinMax, st, sizeof(MinMax), g[r]);                                   \
            CT *cur = (CT *)&s->value;                                                             \
            if (!s->seen || CMP(x[r], *cur) * (SIGN) > 0) {                                        \
                *cur = x[r];                                                                       \
                s->seen = true;                                                                    \
            }                                                                                      \
        });                                                                                        \
    }                                                                                              \
    static void NAME##_merge(AggKernelArgs *k, void *dst, const void *src)                        \
    {                                                                                              \
        MinMax *d = dst;                                                                           \
        const MinMax *s = src;                                                                     \
        if (s->seen && (!d->seen || CMP(*(const CT *)&s->value, *(CT *)&d->value) * (SIGN) > 0)) \
            *d = *s;                                                                               \
    }                                                                                              \
    static void NAME##_final(AggKernelArgs *k, const void *state, Vector *out, int row)           \
    {                                                                                              \
        const MinMax *s = state;                                                                   \
        if (!s->seen) {                                                                            \
            vector_set_null(out, row);                                                             \
            return;                                                                                \
        }                                                                                          \
        ((CT *)out->data)[row] = *(const CT *)&s->value;                                           \
        vector_set_valid(out, row);                                                                \
    }

#define MINMAX_BOTH(T, CT, CMP) MINMAX(min_##T, CT, CMP, -1) MINMAX(max_##T, CT, CMP, 1)
MINMAX_BOTH(int2, int16, PLAIN_CMP)
MINMAX_BOTH(int4, int32, PLAIN_CMP)
MINMAX_BOTH(int8, int64, PLAIN_CMP)
MINMAX_BOTH(float4, float, FLOAT_CMP)
MINMAX_BOTH(float8, double, FLOAT_CMP)
MINMAX_BOTH(dec, int128, PLAIN_CMP)
MINMAX_BOTH(oid, uint32, PLAIN_CMP)
MINMAX_BOTH(interval, Interval, IV_CMP)

/* ---- growable byte buffers for variable-width states ---- */

typedef struct VarBuf {
    char *data;
    uint32 len;
    uint32 cap;
    bool seen;
} VarBuf;

static void varbuf_reserve(VarBuf *v, Arena *a, size_t extra)
{
    size_t need = (size_t)v->len + extra;
    if (need <= v->cap)
        return;
    if (need > UINT32_MAX / 2)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("aggregate result exceeds the maximum size"));
    size_t cap = v->cap ? v->cap : 32;
    while (cap < need)
        cap *= 2;
    char *d = arena_alloc(a, cap);
    if (v->len)
        memcpy(d, v->data, v->len);
    v->data = d;
    v->cap = (uint32)cap;
}

static void varbuf_append(VarBuf *v, Arena *a, const char *p, size_t n)
{
    varbuf_reserve(v, a, n);
    if (n)
        memcpy(v->data + v->len, p, n);
    v->len += (uint32)n;
}

static void varbuf_set(VarBuf *v, Arena *a, const char *p, size_t n)
{
    v->len = 0;
    varbuf_append(v, a, p, n);
    v->seen = true;
}

static inline int bytes_cmp(const char *a, size_t la, const char *b, size_t lb)
{
    size_t n = la < lb ? la : lb;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c < 0 ? -1 : 1;
    return (la > lb) - (la < lb);
}

#define MINMAX_TEXT(NAME, SIGN)                                                                    \
    static void NAME##_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g,   \
                              char *st)                                                            \
    {                                                                                              \
        const StrView *x = args[0]->data;                                                          \
        VALID_LOOP(b, args[0], {                                                                   \
            VarBuf *s = STATE(VarBuf, st, sizeof(VarBuf), g[r]);                                   \
            if (!s->seen || bytes_cmp(x[r].ptr, x[r].len, s->data, s->len) * (SIGN) > 0)          \
                varbuf_set(s, k->arena, x[r].ptr, x[r].len);                                       \
        });                                                                                        \
    }                                                                                              \
    static void NAME##_merge(AggKernelArgs *k, void *dst, const void *src)                        \
    {                                                                                              \
        VarBuf *d = dst;                                                                           \
        const VarBuf *s = src;                                                                     \
        if (s->seen && (!d->seen || bytes_cmp(s->data, s->len, d->data, d->len) * (SIGN) > 0))   \
            varbuf_set(d, k->arena, s->data, s->len);                                              \
    }
MINMAX_TEXT(min_text, -1)
MINMAX_TEXT(max_text, 1)

/* Text-like results point into the state's buffer, which lives as long as the aggregation. */
static void varbuf_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    const VarBuf *s = state;
    if (!s->seen) {
        vector_set_null(out, row);
        return;
    }
    StrView *o = &((StrView *)out->data)[row];
    o->ptr = s->len ? s->data : "";
    o->len = s->len;
    o->reserved = 0;
    vector_set_valid(out, row);
}

static void varbuf_merge_concat(AggKernelArgs *k, void *dst, const void *src, const char *sep,
                                size_t seplen)
{
    VarBuf *d = dst;
    const VarBuf *s = src;
    if (!s->seen)
        return;
    if (d->seen)
        varbuf_append(d, k->arena, sep, seplen);
    varbuf_append(d, k->arena, s->data, s->len);
    d->seen = true;
}

/* ---- bool_and / bool_or ---- */

typedef struct BoolState {
    uint8 value;
    bool seen;
} BoolState;

static void bool_and_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g, char *st)
{
    const uint8 *x = args[0]->data;
    VALID_LOOP(b, args[0], {
        BoolState *s = STATE(BoolState, st, sizeof(BoolState), g[r]);
        s->value = s->seen ? (s->value && x[r]) : x[r] != 0;
        s->seen = true;
    });
}

static void bool_or_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g, char *st)
{
    const uint8 *x = args[0]->data;
    VALID_LOOP(b, args[0], {
        BoolState *s = STATE(BoolState, st, sizeof(BoolState), g[r]);
        s->value = s->seen ? (s->value || x[r]) : x[r] != 0;
        s->seen = true;
    });
}

static void bool_and_merge(AggKernelArgs *k, void *dst, const void *src)
{
    BoolState *d = dst;
    const BoolState *s = src;
    if (s->seen) {
        d->value = d->seen ? (d->value && s->value) : s->value;
        d->seen = true;
    }
}

static void bool_or_merge(AggKernelArgs *k, void *dst, const void *src)
{
    BoolState *d = dst;
    const BoolState *s = src;
    if (s->seen) {
        d->value = d->seen ? (d->value || s->value) : s->value;
        d->seen = true;
    }
}

static void bool_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    const BoolState *s = state;
    if (!s->seen) {
        vector_set_null(out, row);
        return;
    }
    ((uint8 *)out->data)[row] = s->value;
    vector_set_valid(out, row);
}

/* ---- string_agg(value, delimiter) ---- */

/*
 * The delimiter goes before every value but the first, as PostgreSQL does; a NULL
 * delimiter counts as empty.  Partial states are merged with an empty separator because
 * the state does not remember the delimiter: the parallel plan must keep string_agg in
 * one partition per group (or the operator re-aggregates).
 */
static void string_agg_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g,
                              char *st)
{
    const StrView *x = args[0]->data, *d = args[1]->data;
    const Vector *dv = args[1];
    VALID_LOOP(b, args[0], {
        VarBuf *s = STATE(VarBuf, st, sizeof(VarBuf), g[r]);
        if (s->seen && vector_is_valid(dv, r))
            varbuf_append(s, k->arena, d[r].ptr, d[r].len);
        varbuf_append(s, k->arena, x[r].ptr, x[r].len);
        s->seen = true;
    });
}

static void string_agg_merge(AggKernelArgs *k, void *dst, const void *src)
{
    varbuf_merge_concat(k, dst, src, "", 0);
}

/* ---- json_agg(any) ---- */

static void json_agg_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g,
                            char *st)
{
    StrBuf sb; /* heap scratch: the aggregation arena lives long, do not grow it per batch */
    strbuf_init(&sb, NULL);
    const Vector *v = args[0];
    LIVE_LOOP(b, {
        VarBuf *s = STATE(VarBuf, st, sizeof(VarBuf), g[r]);
        strbuf_reset(&sb);
        if (vector_is_valid(v, r))
            value_format_json(v, r, &sb);
        else
            strbuf_append_str(&sb, "null");
        varbuf_append(s, k->arena, s->seen ? ", " : "[", s->seen ? 2 : 1);
        varbuf_append(s, k->arena, sb.data, sb.len);
        s->seen = true;
    });
    strbuf_free(&sb);
}

static void json_agg_merge(AggKernelArgs *k, void *dst, const void *src)
{
    VarBuf *d = dst;
    const VarBuf *s = src;
    if (!s->seen)
        return;
    if (!d->seen) {
        varbuf_set(d, k->arena, s->data, s->len);
        return;
    }
    varbuf_append(d, k->arena, ", ", 2);
    varbuf_append(d, k->arena, s->data + 1, s->len - 1); /* drop its "[" */
}

static void json_agg_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    const VarBuf *s = state;
    if (!s->seen) {
        vector_set_null(out, row);
        return;
    }
    char *p = arena_alloc(out->arena ? out->arena : k->arena, (size_t)s->len + 1);
    memcpy(p, s->data, s->len);
    p[s->len] = ']';
    StrView *o = &((StrView *)out->data)[row];
    o->ptr = p;
    o->len = s->len + 1;
    o->reserved = 0;
    vector_set_valid(out, row);
}

/* ---- array_agg(any): NULL elements included ---- */

typedef struct ArrayAggState {
    Vector *elems; /* allocated on the first value */
    int n;
} ArrayAggState;

static void array_agg_push(AggKernelArgs *k, ArrayAggState *s, const Vector *v, int r)
{
    if (s->elems == NULL) {
        s->elems = arena_new(k->arena, Vector);
        vector_init(s->elems, k->arena, v->type, 8);
    } else if (s->n == s->elems->capacity) {
        Vector *nv = arena_new(k->arena, Vector);
        vector_init(nv, k->arena, v->type, s->elems->capacity * 2);
        for (int i = 0; i < s->n; i++)
            if (vector_is_valid(s->elems, i))
                vector_copy_value(nv, k->arena, i, s->elems, i);
            else
                vector_set_null(nv, i);
        s->elems = nv;
    }
    if (vector_is_valid(v, r))
        vector_copy_value(s->elems, k->arena, s->n, v, r);
    else
        vector_set_null(s->elems, s->n);
    s->n++;
}

static void array_agg_update(AggKernelArgs *k, Vector **args, const Batch *b, const uint32 *g,
                             char *st)
{
    LIVE_LOOP(b, array_agg_push(k, STATE(ArrayAggState, st, sizeof(ArrayAggState), g[r]), args[0], r));
}

static void array_agg_merge(AggKernelArgs *k, void *dst, const void *src)
{
    const ArrayAggState *s = src;
    for (int i = 0; i < s->n; i++)
        array_agg_push(k, dst, s->elems, i);
}

static void array_agg_final(AggKernelArgs *k, const void *state, Vector *out, int row)
{
    const ArrayAggState *s = state;
    if (s->n == 0) {
        vector_set_null(out, row);
        return;
    }
    Arena *a = out->arena ? out->arena : k->arena;
    int off = out->child_count;
    vector_reserve_children(out, a, off + s->n);
    for (int i = 0; i < s->n; i++)
        if (vector_is_valid(s->elems, i))
            vector_copy_value(&out->children[0], a, off + i, s->elems, i);
        else
            vector_set_null(&out->children[0], off + i);
    out->child_count = off + s->n;
    ListEntry *le = &((ListEntry *)out->data)[row];
    le->offset = (uint32)off;
    le->length = (uint32)s->n;
    vector_set_valid(out, row);
}

static const LmType *ret_array(Arena *a, int n, const LmType **t)
{
    return type_array(a, t[0]);
}

static const LmType *ret_same(Arena *a, int n, const LmType **t)
{
    return t[0];
}

/* ---- state initialisation: every state starts zeroed ---- */

#define ZERO_INIT(ST)                                                                              \
    static void init_##ST(AggKernelArgs *k, void *state)                                           \
    {                                                                                              \
        memset(state, 0, sizeof(ST));                                                              \
    }
ZERO_INIT(int64)
ZERO_INIT(SumI64)
ZERO_INIT(SumI128)
ZERO_INIT(SumF64)
ZERO_INIT(SumIv)
ZERO_INIT(AvgI128)
ZERO_INIT(AvgF64)
ZERO_INIT(AvgIv)
ZERO_INIT(MinMax)
ZERO_INIT(VarBuf)
ZERO_INIT(BoolState)
ZERO_INIT(ArrayAggState)

/* ---- the table ---- */

#define AGG(name, oid, nargs, a0, a1, ret, rfn, ST, upd, mrg, fin, strict, desc)                   \
    {name, oid, nargs, {a0, a1}, ret, rfn, sizeof(ST), init_##ST, upd, mrg, fin, strict, desc}
#define MM(T, tid, ST, minoid, maxoid, rfn)                                                        \
    AGG("min", minoid, 1, tid, 0, tid, rfn, ST, min_##T##_update, min_##T##_merge, min_##T##_final, \
        true, "minimum value of all input values"),                                               \
    AGG("max", maxoid, 1, tid, 0, tid, rfn, ST, max_##T##_update, max_##T##_merge, max_##T##_final, \
        true, "maximum value of all input values")

#define min_time_update min_int8_update
#define min_time_merge min_int8_merge
#define min_time_final min_int8_final
#define max_time_update max_int8_update
#define max_time_merge max_int8_merge
#define max_time_final max_int8_final
#define min_date_update min_int4_update
#define min_date_merge min_int4_merge
#define min_date_final min_int4_final
#define max_date_update max_int4_update
#define max_date_merge max_int4_merge
#define max_date_final max_int4_final
#define min_text_final varbuf_final
#define max_text_final varbuf_final

const AggDesc lm_aggs[] = {
    {"count", 2803, 0, {0}, TYPE_INT64, NULL, sizeof(int64), init_int64, count_star_update,
     count_merge, count_final, false, "number of input rows"},
    AGG("count", 2147, 1, FT_ANY, 0, TYPE_INT64, NULL, int64, count_update, count_merge, count_final,
        true, "number of input rows for which the input expression is not null"),
    AGG("sum", 2109, 1, TYPE_INT16, 0, TYPE_INT64, ret_sum, SumI64, sum_int2_update, sum_i64_merge,
        sum_i64_final, true, "sum as bigint across all smallint input values"),
    AGG("sum", 2108, 1, TYPE_INT32, 0, TYPE_INT64, ret_sum, SumI64, sum_int4_update, sum_i64_merge,
        sum_i64_final, true, "sum as bigint across all integer input values"),
    AGG("sum", 2107, 1, TYPE_INT64, 0, TYPE_DECIMAL, ret_sum, SumI128, sum_int8_update,
        sum_i128_merge, sum_i128_final, true, "sum as numeric across all bigint input values"),
    AGG("sum", 2110, 1, TYPE_FLOAT32, 0, TYPE_FLOAT32, ret_sum, SumF64, sum_float4_update,
        sum_f64_merge, sum_f64_final, true, "sum as real across all real input values"),
    AGG("sum", 2111, 1, TYPE_FLOAT64, 0, TYPE_FLOAT64, ret_sum, SumF64, sum_float8_update,
        sum_f64_merge, sum_f64_final, true, "sum as double precision across all double precision input values"),
    AGG("sum", 2114, 1, TYPE_DECIMAL, 0, TYPE_DECIMAL, ret_sum, SumI128, sum_dec_update,
        sum_i128_merge, sum_i128_final, true, "sum as numeric across all numeric input values"),
    AGG("sum", 2113, 1, TYPE_INTERVAL, 0, TYPE_INTERVAL, ret_sum, SumIv, sum_iv_update, sum_iv_merge,
        sum_iv_final, true, "sum as interval across all interval input values"),
    AGG("avg", 2102, 1, TYPE_INT16, 0, TYPE_DECIMAL, ret_avg, AvgI128, avg_int2_update,
        avg_i128_merge, avg_i128_final, true, "the average (arithmetic mean) as numeric of all smallint values"),
    AGG("avg", 2101, 1, TYPE_INT32, 0, TYPE_DECIMAL, ret_avg, AvgI128, avg_int4_update,
        avg_i128_merge, avg_i128_final, true, "the average (arithmetic mean) as numeric of all integer values"),
    AGG("avg", 2100, 1, TYPE_INT64, 0, TYPE_DECIMAL, ret_avg, AvgI128, avg_int8_update,
        avg_i128_merge, avg_i128_final, true, "the average (arithmetic mean) as numeric of all bigint values"),
    AGG("avg", 2103, 1, TYPE_DECIMAL, 0, TYPE_DECIMAL, ret_avg, AvgI128, avg_dec_update,
        avg_i128_merge, avg_i128_final, true, "the average (arithmetic mean) as numeric of all numeric values"),
    AGG("avg", 2104, 1, TYPE_FLOAT32, 0, TYPE_FLOAT64, ret_avg, AvgF64, avg_float4_update,
        avg_f64_merge, avg_f64_final, true, "the average (arithmetic mean) as float8 of all float4 values"),
    AGG("avg", 2105, 1, TYPE_FLOAT64, 0, TYPE_FLOAT64, ret_avg, AvgF64, avg_float8_update,
        avg_f64_merge, avg_f64_final, true, "the average (arithmetic mean) as float8 of all float8 values"),
    AGG("avg", 2106, 1, TYPE_INTERVAL, 0, TYPE_INTERVAL, NULL, AvgIv, avg_iv_update, avg_iv_merge,
        avg_iv_final, true, "the average (arithmetic mean) as interval of all interval values"),
    MM(int2, TYPE_INT16, MinMax, 2133, 2117, NULL),
    MM(int4, TYPE_INT32, MinMax, 2132, 2116, NULL),
    MM(int8, TYPE_INT64, MinMax, 2131, 2115, NULL),
    MM(float4, TYPE_FLOAT32, MinMax, 2135, 2119, NULL),
    MM(float8, TYPE_FLOAT64, MinMax, 2136, 2120, NULL),
    MM(dec, TYPE_DECIMAL, MinMax, 2146, 2130, ret_same),
    MM(oid, TYPE_OID, MinMax, 2134, 2118, NULL),
    MM(date, TYPE_DATE, MinMax, 2138, 2122, NULL),
    MM(time, TYPE_TIME, MinMax, 2139, 2123, NULL),
    MM(time, TYPE_TIMESTAMP, MinMax, 2142, 2126, NULL),
    MM(time, TYPE_TIMESTAMPTZ, MinMax, 2143, 2127, NULL),
    MM(interval, TYPE_INTERVAL, MinMax, 2144, 2128, NULL),
    MM(text, TYPE_STRING, VarBuf, 2145, 2129, ret_same),
    AGG("bool_and", 2517, 1, TYPE_BOOL, 0, TYPE_BOOL, NULL, BoolState, bool_and_update,
        bool_and_merge, bool_final, true, "boolean-and aggregate"),
    AGG("every", 2519, 1, TYPE_BOOL, 0, TYPE_BOOL, NULL, BoolState, bool_and_update, bool_and_merge,
        bool_final, true, "boolean-and aggregate"),
    AGG("bool_or", 2518, 1, TYPE_BOOL, 0, TYPE_BOOL, NULL, BoolState, bool_or_update, bool_or_merge,
        bool_final, true, "boolean-or aggregate"),
    AGG("string_agg", 3538, 2, TYPE_STRING, TYPE_STRING, TYPE_STRING, NULL, VarBuf,
        string_agg_update, string_agg_merge, varbuf_final, false,
        "concatenate aggregate input into a string"),
    AGG("string_agg", 3545, 2, TYPE_BINARY, TYPE_BINARY, TYPE_BINARY, NULL, VarBuf,
        string_agg_update, string_agg_merge, varbuf_final, false,
        "concatenate aggregate input into a bytea"),
    AGG("array_agg", 2335, 1, FT_ANY, 0, TYPE_ARRAY, ret_array, ArrayAggState, array_agg_update,
        array_agg_merge, array_agg_final, false, "concatenate aggregate input into an array"),
    AGG("json_agg", 3175, 1, FT_ANY, 0, TYPE_JSON, NULL, VarBuf, json_agg_update, json_agg_merge,
        json_agg_final, false, "aggregate input into json"),
};
const int lm_naggs = (int)LM_ARRAY_LEN(lm_aggs);
