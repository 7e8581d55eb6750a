/*
 * fn_arith.c: arithmetic operators (lm_funcs_arith): + - * / % and unary -
 * for smallint, integer, bigint, real, double precision and numeric; date,
 * timestamp and interval arithmetic; the bitwise operators & | # ~ << >> on
 * integers; and text concatenation ||.
 *
 * Kernels are one loop per (type, operator) over the live rows.  Integer
 * overflow is detected with the compiler's checked-arithmetic builtins and
 * folded into one flag per batch, so the loop body stays branch-free; the
 * error is raised after the loop (22003 "integer out of range" and friends,
 * PostgreSQL's wording).  Division and modulo check for a zero divisor per
 * row (22012 "division by zero").  Floats raise "value out of range:
 * overflow/underflow" as PostgreSQL's float8pl & co. do.
 *
 * Numeric (DECIMAL) is an int128 scaled by 10^scale.  The result type is
 * fixed at bind time from the operand types (resolve_ret), like SQL Server
 * or Spark decimals, because a vector has one type; PostgreSQL's numeric is
 * unbounded instead.  Rules (p = precision, s = scale, capped at 38 digits;
 * when the integer digits need more room the scale shrinks, but not below 6):
 *   a + b, a - b   s = max(s1, s2), integer digits max(p1-s1, p2-s2) + 1
 *   a * b          s = s1 + s2,     integer digits (p1-s1) + (p2-s2)
 *   a / b          s = max(16, s1, s2), integer digits (p1-s1) + s2
 *   a % b          s = max(s1, s2), integer digits min(p1-s1, p2-s2)
 * Division therefore prints 16 fraction digits where PostgreSQL picks a
 * scale from the operands' magnitudes (10.0/4 = 2.5000000000000000 in both;
 * 1/3 has 20 digits in PostgreSQL, 16 here).  Results that do not fit raise
 * 22003 "value overflows numeric format".  Rounding is half away from zero.
 *
 * Date/time: date +/- integer, date - date, date +/- interval, date + time,
 * timestamp[tz] +/- interval (months first with day-of-month clamping, then
 * days, then microseconds, as PostgreSQL), timestamp[tz] - timestamp[tz]
 * (an interval with whole days split out, justify_hours), interval +/- interval,
 * - interval, interval * float8, float8 * interval, interval / float8.
 */
#include "executor/func.h"
#include "common/datetime.h"
#include "common/numeric.h"
#include "common/timezone.h"

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

LM_NORETURN static void int_out_of_range(const char *tname)
{
    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("%s out of range", tname));
}

LM_NORETURN static void division_by_zero(void)
{
    ereport(ERROR, errcode(ERRCODE_DIVISION_BY_ZERO), errmsg("division by zero"));
}

LM_NORETURN static void float_overflow(void)
{
    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("value out of range: overflow"));
}

LM_NORETURN static void float_underflow(void)
{
    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("value out of range: underflow"));
}

LM_NORETURN static void numeric_overflow(void)
{
    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("value overflows numeric format"));
}

/* ---- integers ---- */

#define INT_KERNELS(T, CT, TNAME)                                                                  \
    static void T##_pl(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        bool ovf = false;                                                                          \
        LIVE_LOOP(b, ovf |= __builtin_add_overflow(x[r], y[r], &o[r]));                            \
        if (ovf)                                                                                   \
            int_out_of_range(TNAME);                                                               \
    }                                                                                              \
    static void T##_mi(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        bool ovf = false;                                                                          \
        LIVE_LOOP(b, ovf |= __builtin_sub_overflow(x[r], y[r], &o[r]));                            \
        if (ovf)                                                                                   \
            int_out_of_range(TNAME);                                                               \
    }                                                                                              \
    static void T##_mul(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        bool ovf = false;                                                                          \
        LIVE_LOOP(b, ovf |= __builtin_mul_overflow(x[r], y[r], &o[r]));                            \
        if (ovf)                                                                                   \
            int_out_of_range(TNAME);                                                               \
    }                                                                                              \
    static void T##_div(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        LIVE_LOOP(b, {                                                                             \
            if (LM_UNLIKELY(y[r] == 0))                                                            \
                division_by_zero();                                                                \
            if (LM_UNLIKELY(y[r] == -1)) {                                                         \
                if (__builtin_sub_overflow((CT)0, x[r], &o[r]))                                    \
                    int_out_of_range(TNAME);                                                       \
            } else                                                                                 \
                o[r] = (CT)(x[r] / y[r]);                                                          \
        });                                                                                        \
    }                                                                                              \
    static void T##_mod(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        LIVE_LOOP(b, {                                                                             \
            if (LM_UNLIKELY(y[r] == 0))                                                            \
                division_by_zero();                                                                \
            o[r] = y[r] == -1 ? 0 : (CT)(x[r] % y[r]);                                             \
        });                                                                                        \
    }                                                                                              \
    static void T##_um(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const CT *x = a[0]->data;                                                                  \
        CT *o = out->data;                                                                         \
        bool ovf = false;                                                                          \
        LIVE_LOOP(b, ovf |= __builtin_sub_overflow((CT)0, x[r], &o[r]));                           \
        if (ovf)                                                                                   \
            int_out_of_range(TNAME);                                                               \
    }

INT_KERNELS(int2, int16, "smallint")
INT_KERNELS(int4, int32, "integer")
INT_KERNELS(int8, int64, "bigint")

/* ---- floats ---- */

#define FLOAT_KERNELS(T, CT)                                                                       \
    static void T##_pl(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        bool ovf = false;                                                                          \
        LIVE_LOOP(b, o[r] = x[r] + y[r]; ovf |= isinf(o[r]) && !isinf(x[r]) && !isinf(y[r]));     \
        if (ovf)                                                                                   \
            float_overflow();                                                                      \
    }                                                                                              \
    static void T##_mi(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        bool ovf = false;                                                                          \
        LIVE_LOOP(b, o[r] = x[r] - y[r]; ovf |= isinf(o[r]) && !isinf(x[r]) && !isinf(y[r]));     \
        if (ovf)                                                                                   \
            float_overflow();                                                                      \
    }                                                                                              \
    static void T##_mul(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        bool ovf = false, unf = false;                                                             \
        LIVE_LOOP(b, o[r] = x[r] * y[r]; ovf |= isinf(o[r]) && !isinf(x[r]) && !isinf(y[r]);      \
                  unf |= o[r] == 0 && x[r] != 0 && y[r] != 0);                                     \
        if (ovf)                                                                                   \
            float_overflow();                                                                      \
        if (unf)                                                                                   \
            float_underflow();                                                                     \
    }                                                                                              \
    static void T##_div(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        bool ovf = false, unf = false, zero = false;                                               \
        LIVE_LOOP(b, zero |= y[r] == 0; o[r] = x[r] / y[r];                                        \
                  ovf |= isinf(o[r]) && !isinf(x[r]); unf |= o[r] == 0 && x[r] != 0 && !isinf(y[r])); \
        if (zero)                                                                                  \
            division_by_zero();                                                                    \
        if (ovf)                                                                                   \
            float_overflow();                                                                      \
        if (unf)                                                                                   \
            float_underflow();                                                                     \
    }                                                                                              \
    static void T##_um(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const CT *x = a[0]->data;                                                                  \
        CT *o = out->data;                                                                         \
        LIVE_LOOP(b, o[r] = -x[r]);                                                                \
    }

FLOAT_KERNELS(float4, float)
FLOAT_KERNELS(float8, double)

/*
 * real with double precision (float48pl & co.): computed in double.  These
 * cross-type operators are why PostgreSQL's integer + real is double
 * precision (the preferred float8 side wins the resolution), so they exist
 * here too.
 */
#define MIXED_FLOAT_KERNELS(T, CT1, CT2)                                                           \
    static void T##_pl(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const CT1 *x = a[0]->data;                                                                 \
        const CT2 *y = a[1]->data;                                                                 \
        double *o = out->data;                                                                     \
        bool ovf = false;                                                                          \
        LIVE_LOOP(b, o[r] = (double)x[r] + (double)y[r]; ovf |= isinf(o[r]) && !isinf(x[r]) && !isinf(y[r])); \
        if (ovf)                                                                                   \
            float_overflow();                                                                      \
    }                                                                                              \
    static void T##_mi(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const CT1 *x = a[0]->data;                                                                 \
        const CT2 *y = a[1]->data;                                                                 \
        double *o = out->data;                                                                     \
        bool ovf = false;                                                                          \
        LIVE_LOOP(b, o[r] = (double)x[r] - (double)y[r]; ovf |= isinf(o[r]) && !isinf(x[r]) && !isinf(y[r])); \
        if (ovf)                                                                                   \
            float_overflow();                                                                      \
    }                                                                                              \
    static void T##_mul(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT1 *x = a[0]->data;                                                                 \
        const CT2 *y = a[1]->data;                                                                 \
        double *o = out->data;                                                                     \
        bool ovf = false, unf = false;                                                             \
        LIVE_LOOP(b, o[r] = (double)x[r] * (double)y[r]; ovf |= isinf(o[r]) && !isinf(x[r]) && !isinf(y[r]); \
                  unf |= o[r] == 0 && x[r] != 0 && y[r] != 0);                                     \
        if (ovf)                                                                                   \
            float_overflow();                                                                      \
        if (unf)                                                                                   \
            float_underflow();                                                                     \
    }                                                                                              \
    static void T##_div(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT1 *x = a[0]->data;                                                                 \
        const CT2 *y = a[1]->data;                                                                 \
        double *o = out->data;                                                                     \
        bool zero = false, ovf = false;                                                            \
        LIVE_LOOP(b, zero |= y[r] == 0; o[r] = (double)x[r] / (double)y[r];                        \
                  ovf |= isinf(o[r]) && !isinf(x[r]));                                             \
        if (zero)                                                                                  \
            division_by_zero();                                                                    \
        if (ovf)                                                                                   \
            float_overflow();                                                                      \
    }

MIXED_FLOAT_KERNELS(float48, float, double)
MIXED_FLOAT_KERNELS(float84, double, float)

/* unary plus: the value itself, for every type */
static void any_up(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    size_t sz = type_physical_size(a[0]->type);
    const char *x = a[0]->data;
    char *o = out->data;
    LIVE_LOOP(b, memcpy(o + (size_t)r * sz, x + (size_t)r * sz, sz));
}

/* ---- numeric ---- */

static const LmType *dec_adjust(Arena *a, int intd, int s)
{
    if (intd < 1)
        intd = 1;
    if (intd + s > DECIMAL_MAX_PRECISION) {
        int keep = DECIMAL_MAX_PRECISION - intd;
        int min_s = s < 6 ? s : 6;
        s = keep > min_s ? keep : min_s;
        if (s > DECIMAL_MAX_PRECISION)
            s = DECIMAL_MAX_PRECISION;
        return type_decimal(a, DECIMAL_MAX_PRECISION, s);
    }
    return type_decimal(a, intd + s, s);
}

/*
 * Result types follow PostgreSQL's display scales: + - and % keep the larger scale, * the sum,
 * / at least 16 digits (select_div_scale for a quotient between 1 and 10000; PostgreSQL gives
 * smaller quotients more digits and larger ones fewer, value by value, which a type cannot).
 * An unconstrained (numeric_trim) operand, whose values' scales are unknown, makes + - * and %
 * trimmed too; for / it counts as scale 0 and at most 22 integer digits, so that the quotient
 * keeps its 16 digits (a larger quotient raises numeric overflow).
 */
static const LmType *trim_if(Arena *a, const LmType *r, const LmType **t)
{
    return t[0]->numeric_trim || t[1]->numeric_trim ? type_decimal_trimmed(a, r) : r;
}
static const LmType *dec_ret_add(Arena *a, int n, const LmType **t)
{
    int s = LM_MAX(t[0]->scale, t[1]->scale);
    return trim_if(
        a, dec_adjust(a, LM_MAX(t[0]->precision - t[0]->scale, t[1]->precision - t[1]->scale) + 1, s),
        t);
}
static const LmType *dec_ret_mul(Arena *a, int n, const LmType **t)
{
    return trim_if(a,
                   dec_adjust(a, (t[0]->precision - t[0]->scale) + (t[1]->precision - t[1]->scale),
                              t[0]->scale + t[1]->scale),
                   t);
}
static const LmType *dec_ret_div(Arena *a, int n, const LmType **t)
{
    int s0 = t[0]->numeric_trim ? 0 : t[0]->scale, s1 = t[1]->numeric_trim ? 0 : t[1]->scale;
    int intd0 = t[0]->precision - t[0]->scale;
    if (t[0]->numeric_trim)
        intd0 = LM_MIN(intd0, DECIMAL_MAX_PRECISION - 16);
    int s = LM_MAX(16, LM_MAX(s0, s1));
    return dec_adjust(a, intd0 + s1, s);
}
static const LmType *dec_ret_mod(Arena *a, int n, const LmType **t)
{
    int s = LM_MAX(t[0]->scale, t[1]->scale);
    return trim_if(
        a, dec_adjust(a, LM_MIN(t[0]->precision - t[0]->scale, t[1]->precision - t[1]->scale), s),
        t);
}
static const LmType *dec_ret_same(Arena *a, int n, const LmType **t)
{
    return t[0];
}

/* v (scale from) at scale to (> from), raising on overflow. */
static inline int128 dec_up(int128 v, int from, int to)
{
    int128 r;
    if (__builtin_mul_overflow(v, decimal_pow10[to - from], &r))
        numeric_overflow();
    return r;
}

static inline int128 dec_round(int128 v, int from, int to)
{
    if (to >= from)
        return dec_up(v, from, to);
    int128 d = decimal_pow10[from - to];
    int128 q = v / d, rem = v % d;
    if (rem * 2 >= d)
        q++;
    else if (rem * 2 <= -d)
        q--;
    return q;
}

static inline void dec_check(int128 v, const LmType *t)
{
    int128 lim = decimal_pow10[t->precision];
    if (v >= lim || v <= -lim)
        numeric_overflow();
}

static void numeric_pl(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int128 *x = a[0]->data, *y = a[1]->data;
    int128 *o = out->data;
    int s = out->type->scale, sx = a[0]->type->scale, sy = a[1]->type->scale;
    const LmType *t = out->type;
    if (sx == s && sy == s) {
        LIVE_LOOP(b, {
            if (__builtin_add_overflow(x[r], y[r], &o[r]))
                numeric_overflow();
            dec_check(o[r], t);
        });
        return;
    }
    LIVE_LOOP(b, {
        if (__builtin_add_overflow(dec_round(x[r], sx, s), dec_round(y[r], sy, s), &o[r]))
            numeric_overflow();
        dec_check(o[r], t);
    });
}

static void numeric_mi(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int128 *x = a[0]->data, *y = a[1]->data;
    int128 *o = out->data;
    int s = out->type->scale, sx = a[0]->type->scale, sy = a[1]->type->scale;
    const LmType *t = out->type;
    LIVE_LOOP(b, {
        if (__builtin_sub_overflow(dec_round(x[r], sx, s), dec_round(y[r], sy, s), &o[r]))
            numeric_overflow();
        dec_check(o[r], t);
    });
}

static void numeric_mul(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int128 *x = a[0]->data, *y = a[1]->data;
    int128 *o = out->data;
    int s = out->type->scale, sp = a[0]->type->scale + a[1]->type->scale;
    const LmType *t = out->type;
    LIVE_LOOP(b, {
        int128 p;
        if (__builtin_mul_overflow(x[r], y[r], &p))
            numeric_overflow();
        o[r] = dec_round(p, sp, s);
        dec_check(o[r], t);
    });
}

/* x / y with the quotient at scale k more than x's, rounded half away from zero. */
static int128 dec_divide(int128 x, int128 y, int k)
{
    bool neg = (x < 0) != (y < 0);
    unsigned __int128 ux = x < 0 ? -(unsigned __int128)x : (unsigned __int128)x;
    unsigned __int128 uy = y < 0 ? -(unsigned __int128)y : (unsigned __int128)y;
    unsigned __int128 q = ux / uy, rem = ux % uy;
    const unsigned __int128 max = ((unsigned __int128)1 << 127) - 1;
    for (int i = 0; i < k; i++) {
        if (rem > max / 10 || q > max / 10)
            numeric_overflow();
        rem *= 10;
        q = q * 10 + rem / uy;
        rem %= uy;
    }
    if (rem >= uy - rem)
        q++;
    if (q > max)
        numeric_overflow();
    return neg ? -(int128)q : (int128)q;
}

static void numeric_div(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int128 *x = a[0]->data, *y = a[1]->data;
    int128 *o = out->data;
    int sx = a[0]->type->scale, sy = a[1]->type->scale, s = out->type->scale;
    const LmType *t = out->type;
    /* (x / 10^sx) / (y / 10^sy) at scale s = x * 10^(s - sx + sy) / y */
    int k = s - sx + sy;
    LIVE_LOOP(b, {
        if (y[r] == 0)
            division_by_zero();
        int128 num = x[r];
        int kk = k;
        if (kk < 0) {
            num = dec_round(num, -kk, 0);
            kk = 0;
        }
        o[r] = dec_divide(num, y[r], kk);
        dec_check(o[r], t);
    });
}

static void numeric_mod(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int128 *x = a[0]->data, *y = a[1]->data;
    int128 *o = out->data;
    int s = out->type->scale, sx = a[0]->type->scale, sy = a[1]->type->scale;
    LIVE_LOOP(b, {
        if (y[r] == 0)
            division_by_zero();
        o[r] = dec_round(x[r], sx, s) % dec_round(y[r], sy, s);
    });
}

static void numeric_um(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int128 *x = a[0]->data;
    int128 *o = out->data;
    LIVE_LOOP(b, o[r] = -x[r]);
}

/* ---- date / time ---- */

LM_NORETURN static void date_out_of_range(void)
{
    ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("date out of range"));
}

LM_NORETURN static void timestamp_out_of_range(void)
{
    ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("timestamp out of range"));
}

LM_NORETURN static void interval_out_of_range(void)
{
    ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("interval out of range"));
}

static inline bool date_is_finite(int32 d)
{
    return d != DATE_NOBEGIN && d != DATE_NOEND;
}

static inline bool ts_is_finite(int64 t)
{
    return t != TIMESTAMP_NOBEGIN && t != TIMESTAMP_NOEND;
}

static void date_pli(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int32 *x = a[0]->data, *y = a[1]->data;
    int32 *o = out->data;
    LIVE_LOOP(b, {
        if (!date_is_finite(x[r]))
            o[r] = x[r];
        else {
            int64 v = (int64)x[r] + y[r];
            if (v <= DATE_NOBEGIN || v >= DATE_NOEND)
                date_out_of_range();
            o[r] = (int32)v;
        }
    });
}

static void date_mii(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int32 *x = a[0]->data, *y = a[1]->data;
    int32 *o = out->data;
    LIVE_LOOP(b, {
        if (!date_is_finite(x[r]))
            o[r] = x[r];
        else {
            int64 v = (int64)x[r] - y[r];
            if (v <= DATE_NOBEGIN || v >= DATE_NOEND)
                date_out_of_range();
            o[r] = (int32)v;
        }
    });
}

static void date_mi(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int32 *x = a[0]->data, *y = a[1]->data;
    int32 *o = out->data;
    LIVE_LOOP(b, {
        if (!date_is_finite(x[r]) || !date_is_finite(y[r]))
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                    errmsg("cannot subtract infinite dates"));
        o[r] = x[r] - y[r];
    });
}

/* timestamp + interval: months (clamping the day of month), then days, then microseconds. */
static int64 ts_add_interval(int64 t, const Interval *iv, int sign)
{
    if (!ts_is_finite(t))
        return t;
    int64 months = (int64)iv->months * sign, days = (int64)iv->days * sign;
    int64 micros = iv->micros * sign;
    if (months != 0 || days != 0) {
        int64 day = t / USECS_PER_DAY, tod = t % USECS_PER_DAY;
        if (tod < 0)
            tod += USECS_PER_DAY, day--;
        if (months != 0) {
            int64 y;
            int m, d;
            date_to_ymd(day, &y, &m, &d);
            int64 total = y * 12 + (m - 1) + months;
            y = total >= 0 ? total / 12 : -((-total + 11) / 12);
            m = (int)(total - y * 12) + 1;
            int dim = date_days_in_month(y, m);
            if (d > dim)
                d = dim;
            day = date_from_ymd(y, m, d);
        }
        day += days;
        if (day > INT64_MAX / USECS_PER_DAY - 1 || day < INT64_MIN / USECS_PER_DAY + 1)
            timestamp_out_of_range();
        t = day * USECS_PER_DAY + tod;
    }
    int64 res;
    if (__builtin_add_overflow(t, micros, &res) || !ts_is_finite(res))
        timestamp_out_of_range();
    return res;
}

/* timestamptz +/- interval: months and days move the wall time in the session zone
 * (common/timezone.h), as PostgreSQL's timestamptz_pl_interval. */
static void ts_pl_interval(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int64 *x = a[0]->data;
    const Interval *y = a[1]->data;
    int64 *o = out->data;
    if (out->type->id == TYPE_TIMESTAMPTZ) {
        const TimeZone *tz = timezone_session();
        LIVE_LOOP(b, o[r] = timezone_add_interval(tz, x[r], &y[r], 1));
    } else
        LIVE_LOOP(b, o[r] = ts_add_interval(x[r], &y[r], 1));
}

static void ts_mi_interval(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int64 *x = a[0]->data;
    const Interval *y = a[1]->data;
    int64 *o = out->data;
    if (out->type->id == TYPE_TIMESTAMPTZ) {
        const TimeZone *tz = timezone_session();
        LIVE_LOOP(b, o[r] = timezone_add_interval(tz, x[r], &y[r], -1));
    } else
        LIVE_LOOP(b, o[r] = ts_add_interval(x[r], &y[r], -1));
}

static inline int64 date_to_ts(int32 d)
{
    if (d == DATE_NOBEGIN)
        return TIMESTAMP_NOBEGIN;
    if (d == DATE_NOEND)
        return TIMESTAMP_NOEND;
    if (d > INT64_MAX / USECS_PER_DAY - 1 || d < INT64_MIN / USECS_PER_DAY + 1)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                errmsg("date out of range for timestamp"));
    return (int64)d * USECS_PER_DAY;
}

static void date_pl_interval(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int32 *x = a[0]->data;
    const Interval *y = a[1]->data;
    int64 *o = out->data;
    LIVE_LOOP(b, o[r] = ts_add_interval(date_to_ts(x[r]), &y[r], 1));
}

static void date_mi_interval(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int32 *x = a[0]->data;
    const Interval *y = a[1]->data;
    int64 *o = out->data;
    LIVE_LOOP(b, o[r] = ts_add_interval(date_to_ts(x[r]), &y[r], -1));
}

static void date_pl_time(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int32 *x = a[0]->data;
    const int64 *y = a[1]->data;
    int64 *o = out->data;
    LIVE_LOOP(b, {
        int64 t = date_to_ts(x[r]);
        o[r] = ts_is_finite(t) ? t + y[r] : t;
    });
}

static void ts_mi(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int64 *x = a[0]->data, *y = a[1]->data;
    Interval *o = out->data;
    LIVE_LOOP(b, {
        if (!ts_is_finite(x[r]) || !ts_is_finite(y[r]))
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                    errmsg("cannot subtract infinite timestamps"));
        int64 d;
        if (__builtin_sub_overflow(x[r], y[r], &d))
            interval_out_of_range();
        /* justify_hours: whole days out of the time part, same sign for both */
        int64 days = d / USECS_PER_DAY, tm = d % USECS_PER_DAY;
        o[r].months = 0;
        o[r].days = (int32)days;
        o[r].micros = tm;
    });
}

static void interval_pl(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const Interval *x = a[0]->data, *y = a[1]->data;
    Interval *o = out->data;
    LIVE_LOOP(b, {
        if (__builtin_add_overflow(x[r].months, y[r].months, &o[r].months) ||
            __builtin_add_overflow(x[r].days, y[r].days, &o[r].days) ||
            __builtin_add_overflow(x[r].micros, y[r].micros, &o[r].micros))
            interval_out_of_range();
    });
}

static void interval_mi(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const Interval *x = a[0]->data, *y = a[1]->data;
    Interval *o = out->data;
    LIVE_LOOP(b, {
        if (__builtin_sub_overflow(x[r].months, y[r].months, &o[r].months) ||
            __builtin_sub_overflow(x[r].days, y[r].days, &o[r].days) ||
            __builtin_sub_overflow(x[r].micros, y[r].micros, &o[r].micros))
            interval_out_of_range();
    });
}

static void interval_um(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const Interval *x = a[0]->data;
    Interval *o = out->data;
    LIVE_LOOP(b, {
        if (__builtin_sub_overflow(0, x[r].months, &o[r].months) ||
            __builtin_sub_overflow(0, x[r].days, &o[r].days) ||
            __builtin_sub_overflow((int64)0, x[r].micros, &o[r].micros))
            interval_out_of_range();
    });
}

static inline double ts_round(double j)
{
    return rint(j * 1e6) / 1e6;
}

/* PostgreSQL's interval_mul: fractional months cascade into days, fractional days into time. */
static Interval interval_scale(const Interval *span, double factor)
{
    Interval res;
    double m = span->months * factor, d = span->days * factor;
    if (isnan(factor) || m > INT32_MAX || m < INT32_MIN || d > INT32_MAX || d < INT32_MIN)
        interval_out_of_range();
    res.months = (int32)m;
    res.days = (int32)d;
    double month_rem_days = ts_round((span->months * factor - res.months) * 30.0);
    double sec_rem = ts_round((span->days * factor - res.days + month_rem_days - (int)month_rem_days) * 86400.0);
    if (fabs(sec_rem) >= 86400.0) {
        res.days += (int)(sec_rem / 86400.0);
        sec_rem -= (int)(sec_rem / 86400.0) * 86400.0;
    }
    res.days += (int)month_rem_days;
    double t = rint(span->micros * factor + sec_rem * 1e6);
    if (!(t >= -9223372036854775808.0 && t < 9223372036854775808.0))
        interval_out_of_range();
    res.micros = (int64)t;
    return res;
}

static void interval_mul(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const Interval *x = a[0]->data;
    const double *y = a[1]->data;
    Interval *o = out->data;
    LIVE_LOOP(b, o[r] = interval_scale(&x[r], y[r]));
}

static void mul_d_interval(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const double *x = a[0]->data;
    const Interval *y = a[1]->data;
    Interval *o = out->data;
    LIVE_LOOP(b, o[r] = interval_scale(&y[r], x[r]));
}

static void interval_div(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const Interval *x = a[0]->data;
    const double *y = a[1]->data;
    Interval *o = out->data;
    LIVE_LOOP(b, {
        if (y[r] == 0.0)
            division_by_zero();
        o[r] = interval_scale(&x[r], 1.0 / y[r]);
    });
}

/* time +/- interval: the interval's time part, wrapped around midnight (days and months ignored). */
static void time_pl_interval(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int64 *x = a[0]->data;
    const Interval *y = a[1]->data;
    int64 *o = out->data;
    LIVE_LOOP(b, {
        int64 t = (x[r] + y[r].micros % USECS_PER_DAY) % USECS_PER_DAY;
        o[r] = t < 0 ? t + USECS_PER_DAY : t;
    });
}

static void time_mi_interval(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int64 *x = a[0]->data;
    const Interval *y = a[1]->data;
    int64 *o = out->data;
    LIVE_LOOP(b, {
        int64 t = (x[r] - y[r].micros % USECS_PER_DAY) % USECS_PER_DAY;
        o[r] = t < 0 ? t + USECS_PER_DAY : t;
    });
}

static void time_mi_time(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    const int64 *x = a[0]->data, *y = a[1]->data;
    Interval *o = out->data;
    LIVE_LOOP(b, {
        o[r].months = 0;
        o[r].days = 0;
        o[r].micros = x[r] - y[r];
    });
}

/* Commutators (integer + date, interval + timestamp, ...): the same kernels, operands swapped. */
#define SWAPPED(NAME, KERNEL)                                                                      \
    static void NAME(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                       \
    {                                                                                              \
        Vector *sw[2] = {a[1], a[0]};                                                              \
        KERNEL(fc, sw, b, out);                                                                    \
    }
SWAPPED(integer_pl_date, date_pli)
SWAPPED(interval_pl_date, date_pl_interval)
SWAPPED(interval_pl_ts, ts_pl_interval)
SWAPPED(time_pl_date, date_pl_time)
SWAPPED(interval_pl_time, time_pl_interval)

/* ---- bitwise operators on integers: & | # ~ << >> (int2and & co.) ---- */

#define BIT_KERNELS(T, CT)                                                                         \
    static void T##_and(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        LIVE_LOOP(b, o[r] = x[r] & y[r]);                                                          \
    }                                                                                              \
    static void T##_or(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        LIVE_LOOP(b, o[r] = x[r] | y[r]);                                                          \
    }                                                                                              \
    static void T##_xor(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT *x = a[0]->data, *y = a[1]->data;                                                 \
        CT *o = out->data;                                                                         \
        LIVE_LOOP(b, o[r] = x[r] ^ y[r]);                                                          \
    }                                                                                              \
    static void T##_not(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT *x = a[0]->data;                                                                  \
        CT *o = out->data;                                                                         \
        LIVE_LOOP(b, o[r] = (CT)~x[r]);                                                            \
    }                                                                                              \
    /* shifts as PostgreSQL's int4shl: the C shift of the value (count taken modulo the width) */ \
    static void T##_shl(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT *x = a[0]->data;                                                                  \
        const int32 *y = a[1]->data;                                                               \
        CT *o = out->data;                                                                         \
        LIVE_LOOP(b, o[r] = (CT)((uint64)x[r] << (y[r] & (int)(sizeof(CT) * 8 - 1))));             \
    }                                                                                              \
    static void T##_shr(FuncCall *fc, Vector **a, const Batch *b, Vector *out)                    \
    {                                                                                              \
        const CT *x = a[0]->data;                                                                  \
        const int32 *y = a[1]->data;                                                               \
        CT *o = out->data;                                                                         \
        LIVE_LOOP(b, o[r] = (CT)(x[r] >> (y[r] & (int)(sizeof(CT) * 8 - 1))));                     \
    }
BIT_KERNELS(int2, int16)
BIT_KERNELS(int4, int32)
BIT_KERNELS(int8, int64)

/* ---- text concatenation ---- */

/* Appends the text form of v[row] (strings as they are). */
static inline void append_text(StrBuf *sb, const Vector *v, int row)
{
    TypeId id = v->type->id;
    if (id == TYPE_STRING || id == TYPE_JSON || id == TYPE_UNKNOWN) {
        const StrView *s = &((const StrView *)v->data)[row];
        strbuf_append(sb, s->ptr, s->len);
    } else
        value_format_text(v, row, sb);
}

/* Both sides in one buffer per batch in the call's scratch arena; views point into it. */
static void textcat(FuncCall *fc, Vector **a, const Batch *b, Vector *out)
{
    StrBuf sb;
    strbuf_init(&sb, fc->scratch);
    int n = batch_live_count(b);
    uint32 *ends = arena_alloc(fc->scratch, sizeof(uint32) * (size_t)(n > 0 ? n : 1));
    int k = 0;
    LIVE_LOOP(b, {
        append_text(&sb, a[0], r);
        append_text(&sb, a[1], r);
        ends[k++] = (uint32)sb.len;
    });
    StrView *o = out->data;
    uint32 start = 0;
    k = 0;
    LIVE_LOOP(b, {
        o[r].ptr = sb.data + start;
        o[r].len = ends[k] - start;
        o[r].reserved = 0;
        start = ends[k++];
    });
}

#define S (FN_STRICT | FN_OPERATOR)
#define INT_OPS(T, tid, pl, mi, mul, div, mod, um, up, kind)                                       \
    {"+", pl, 2, {tid, tid}, tid, NULL, T##_pl, S, "add (" kind ")"},                              \
    {"-", mi, 2, {tid, tid}, tid, NULL, T##_mi, S, "subtract (" kind ")"},                         \
    {"*", mul, 2, {tid, tid}, tid, NULL, T##_mul, S, "multiply (" kind ")"},                       \
    {"/", div, 2, {tid, tid}, tid, NULL, T##_div, S, "divide (" kind ")"},                         \
    {"%", mod, 2, {tid, tid}, tid, NULL, T##_mod, S, "modulus (" kind ")"},                        \
    {"-", um, 1, {tid}, tid, NULL, T##_um, S, "negate (" kind ")"},                                \
    {"+", up, 1, {tid}, tid, NULL, any_up, S, "unary plus (" kind ")"}
#define BIT_OPS(T, tid, and, or, xor, not, shl, shr, kind)                                         \
    {"&", and, 2, {tid, tid}, tid, NULL, T##_and, S, "bitwise and (" kind ")"},                    \
    {"|", or, 2, {tid, tid}, tid, NULL, T##_or, S, "bitwise or (" kind ")"},                       \
    {"#", xor, 2, {tid, tid}, tid, NULL, T##_xor, S, "bitwise exclusive or (" kind ")"},           \
    {"~", not, 1, {tid}, tid, NULL, T##_not, S, "bitwise not (" kind ")"},                         \
    {"<<", shl, 2, {tid, TYPE_INT32}, tid, NULL, T##_shl, S, "bitwise shift left (" kind ")"},     \
    {">>", shr, 2, {tid, TYPE_INT32}, tid, NULL, T##_shr, S, "bitwise shift right (" kind ")"}
#define FLOAT_OPS(T, tid, pl, mi, mul, div, um, up, kind)                                          \
    {"+", pl, 2, {tid, tid}, tid, NULL, T##_pl, S, "add (" kind ")"},                              \
    {"-", mi, 2, {tid, tid}, tid, NULL, T##_mi, S, "subtract (" kind ")"},                         \
    {"*", mul, 2, {tid, tid}, tid, NULL, T##_mul, S, "multiply (" kind ")"},                       \
    {"/", div, 2, {tid, tid}, tid, NULL, T##_div, S, "divide (" kind ")"},                         \
    {"-", um, 1, {tid}, tid, NULL, T##_um, S, "negate (" kind ")"},                                \
    {"+", up, 1, {tid}, tid, NULL, any_up, S, "unary plus (" kind ")"}

#define D TYPE_DECIMAL
#define TS TYPE_TIMESTAMP
#define TZ TYPE_TIMESTAMPTZ
#define IV TYPE_INTERVAL

/* oids: PostgreSQL's pg_proc entries (int4pl = 177, ...) */
const FuncDesc lm_funcs_arith[] = {
    INT_OPS(int2, TYPE_INT16, 176, 180, 152, 153, 155, 213, 1911, "smallint"),
    INT_OPS(int4, TYPE_INT32, 177, 181, 141, 154, 156, 212, 1912, "integer"),
    INT_OPS(int8, TYPE_INT64, 463, 464, 465, 466, 945, 462, 1910, "bigint"),
    FLOAT_OPS(float4, TYPE_FLOAT32, 204, 205, 202, 203, 206, 1913, "real"),
    FLOAT_OPS(float8, TYPE_FLOAT64, 218, 219, 216, 217, 220, 1914, "double precision"),
    {"+", 281, 2, {TYPE_FLOAT32, TYPE_FLOAT64}, TYPE_FLOAT64, NULL, float48_pl, S, "add (real, double precision)"},
    {"-", 282, 2, {TYPE_FLOAT32, TYPE_FLOAT64}, TYPE_FLOAT64, NULL, float48_mi, S, "subtract (real, double precision)"},
    {"*", 279, 2, {TYPE_FLOAT32, TYPE_FLOAT64}, TYPE_FLOAT64, NULL, float48_mul, S, "multiply (real, double precision)"},
    {"/", 280, 2, {TYPE_FLOAT32, TYPE_FLOAT64}, TYPE_FLOAT64, NULL, float48_div, S, "divide (real, double precision)"},
    {"+", 285, 2, {TYPE_FLOAT64, TYPE_FLOAT32}, TYPE_FLOAT64, NULL, float84_pl, S, "add (double precision, real)"},
    {"-", 286, 2, {TYPE_FLOAT64, TYPE_FLOAT32}, TYPE_FLOAT64, NULL, float84_mi, S, "subtract (double precision, real)"},
    {"*", 283, 2, {TYPE_FLOAT64, TYPE_FLOAT32}, TYPE_FLOAT64, NULL, float84_mul, S, "multiply (double precision, real)"},
    {"/", 284, 2, {TYPE_FLOAT64, TYPE_FLOAT32}, TYPE_FLOAT64, NULL, float84_div, S, "divide (double precision, real)"},
    {"+", 1724, 2, {D, D}, D, dec_ret_add, numeric_pl, S, "add (numeric)"},
    {"-", 1725, 2, {D, D}, D, dec_ret_add, numeric_mi, S, "subtract (numeric)"},
    {"*", 1726, 2, {D, D}, D, dec_ret_mul, numeric_mul, S, "multiply (numeric)"},
    {"/", 1727, 2, {D, D}, D, dec_ret_div, numeric_div, S, "divide (numeric)"},
    {"%", 1729, 2, {D, D}, D, dec_ret_mod, numeric_mod, S, "modulus (numeric)"},
    {"-", 1771, 1, {D}, D, dec_ret_same, numeric_um, S, "negate (numeric)"},
    {"+", 1915, 1, {D}, D, dec_ret_same, any_up, S, "unary plus (numeric)"},
    {"+", 1141, 2, {TYPE_DATE, TYPE_INT32}, TYPE_DATE, NULL, date_pli, S, "add days to date"},
    {"-", 1142, 2, {TYPE_DATE, TYPE_INT32}, TYPE_DATE, NULL, date_mii, S, "subtract days from date"},
    {"-", 1140, 2, {TYPE_DATE, TYPE_DATE}, TYPE_INT32, NULL, date_mi, S, "subtract dates"},
    {"+", 2071, 2, {TYPE_DATE, IV}, TS, NULL, date_pl_interval, S, "add interval to date"},
    {"-", 2072, 2, {TYPE_DATE, IV}, TS, NULL, date_mi_interval, S, "subtract interval from date"},
    {"+", 1272, 2, {TYPE_DATE, TYPE_TIME}, TS, NULL, date_pl_time, S, "date plus time"},
    {"+", 2550, 2, {TYPE_INT32, TYPE_DATE}, TYPE_DATE, NULL, integer_pl_date, S, "add days to date"},
    {"+", 2546, 2, {IV, TYPE_DATE}, TS, NULL, interval_pl_date, S, "add interval to date"},
    {"+", 1296, 2, {TYPE_TIME, TYPE_DATE}, TS, NULL, time_pl_date, S, "time plus date"},
    {"+", 1747, 2, {TYPE_TIME, IV}, TYPE_TIME, NULL, time_pl_interval, S, "add interval to time"},
    {"-", 1748, 2, {TYPE_TIME, IV}, TYPE_TIME, NULL, time_mi_interval, S, "subtract interval from time"},
    {"+", 1848, 2, {IV, TYPE_TIME}, TYPE_TIME, NULL, interval_pl_time, S, "add interval to time"},
    {"-", 1690, 2, {TYPE_TIME, TYPE_TIME}, IV, NULL, time_mi_time, S, "subtract times"},
    {"+", 2548, 2, {IV, TS}, TS, NULL, interval_pl_ts, S, "add interval to timestamp"},
    {"+", 2549, 2, {IV, TZ}, TZ, NULL, interval_pl_ts, S, "add interval to timestamp with time zone"},
    {"+", 2032, 2, {TS, IV}, TS, NULL, ts_pl_interval, S, "add interval to timestamp"},
    {"-", 2033, 2, {TS, IV}, TS, NULL, ts_mi_interval, S, "subtract interval from timestamp"},
    {"-", 2031, 2, {TS, TS}, IV, NULL, ts_mi, S, "subtract timestamps"},
    {"+", 1189, 2, {TZ, IV}, TZ, NULL, ts_pl_interval, S, "add interval to timestamp with time zone"},
    {"-", 1190, 2, {TZ, IV}, TZ, NULL, ts_mi_interval, S,
     "subtract interval from timestamp with time zone"},
    {"-", 1188, 2, {TZ, TZ}, IV, NULL, ts_mi, S, "subtract timestamps with time zone"},
    {"+", 1169, 2, {IV, IV}, IV, NULL, interval_pl, S, "add intervals"},
    {"-", 1170, 2, {IV, IV}, IV, NULL, interval_mi, S, "subtract intervals"},
    {"-", 1168, 1, {IV}, IV, NULL, interval_um, S, "negate interval"},
    {"*", 1618, 2, {IV, TYPE_FLOAT64}, IV, NULL, interval_mul, S, "multiply interval"},
    {"*", 1624, 2, {TYPE_FLOAT64, IV}, IV, NULL, mul_d_interval, S, "multiply interval"},
    {"/", 1326, 2, {IV, TYPE_FLOAT64}, IV, NULL, interval_div, S, "divide interval"},
    BIT_OPS(int2, TYPE_INT16, 1892, 1893, 1894, 1895, 1896, 1897, "smallint"),
    BIT_OPS(int4, TYPE_INT32, 1898, 1899, 1900, 1901, 1902, 1903, "integer"),
    BIT_OPS(int8, TYPE_INT64, 1904, 1905, 1906, 1907, 1908, 1909, "bigint"),
    {"||", 1258, 2, {TYPE_STRING, TYPE_STRING}, TYPE_STRING, NULL, textcat, S, "concatenate"},
    {"||", 2003, 2, {TYPE_STRING, FT_ANYNONARRAY}, TYPE_STRING, NULL, textcat, S, "concatenate"},
    {"||", 2004, 2, {FT_ANYNONARRAY, TYPE_STRING}, TYPE_STRING, NULL, textcat, S, "concatenate"},
};
const int lm_nfuncs_arith = (int)LM_ARRAY_LEN(lm_funcs_arith);
