/*
 * fn_math.c: PostgreSQL's mathematical functions as vectorized kernels:
 * abs, sign, ceil/ceiling, floor, round, trunc, sqrt, cbrt, power/pow, exp,
 * ln, log, log10, mod, div, gcd, lcm, pi, random, degrees, radians, the
 * trigonometric functions and width_bucket.
 *
 * Overloads follow pg_proc: integer versions (int2/int4/int8) where
 * PostgreSQL has them, float8 for the transcendental functions, and numeric
 * (DECIMAL: int128 scaled by 10^scale) for abs/sign/ceil/floor/round/trunc/
 * mod/div.  Other numeric calls resolve to float8 through the implicit cast
 * (so sqrt(numeric) returns float8 here, numeric in PostgreSQL).  Results
 * keep the argument's DECIMAL scale except ceil/floor/round(x)/trunc(x),
 * which return scale 0, and round(x, n)/trunc(x, n), whose scale is n when n
 * is a constant (FuncDesc.resolve_ret_const) and the argument's otherwise.
 * Errors carry PostgreSQL's SQLSTATEs and wording (2201F, 2201E, 22003, 22012).
 */
#include "executor/fn_util.h"
#include "common/numeric.h"

#include <math.h>
#include <time.h>

/* Run-time errors of math functions carry no position, as PostgreSQL's (SELECT mod(1, 0)). */
static void raise_err(FuncCall *fc, const char *code, const char *msg)
{
    ereport(ERROR, errcode(code), errmsg("%s", msg));
}

static inline double check_float(FuncCall *fc, double r, bool inf_ok, bool zero_ok)
{
    if (isinf(r) && !inf_ok)
        raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
    if (r == 0.0 && !zero_ok)
        raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
    return r;
}

/* ---------- abs / sign on integers ---------- */

#define INT_ABS(name, T, MINV, MSG)                                                                \
    static void name(FuncCall *fc, Vector **args, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const T *in = (const T *)args[0]->data;                                                    \
        T *o = (T *)out->data;                                                                     \
        FN_FOREACH(b, i, r)                                                                        \
        {                                                                                          \
            if (in[r] == MINV)                                                                     \
                raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, MSG);                            \
            o[r] = in[r] < 0 ? -in[r] : in[r];                                                     \
            vector_set_valid(out, r);                                                              \
        }                                                                                          \
    }
INT_ABS(fn_abs_i2, int16, INT16_MIN, "smallint out of range")
INT_ABS(fn_abs_i4, int32, INT32_MIN, "integer out of range")
INT_ABS(fn_abs_i8, int64, INT64_MIN, "bigint out of range")

static void fn_abs_f8(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const double *in = FN_F64(args[0]);
    FN_FOREACH(b, i, r)
    {
        FN_F64(out)[r] = fabs(in[r]);
        vector_set_valid(out, r);
    }
}

static void fn_abs_dec(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const int128 *in = FN_I128(args[0]);
    FN_FOREACH(b, i, r)
    {
        FN_I128(out)[r] = in[r] < 0 ? -in[r] : in[r];
        vector_set_valid(out, r);
    }
}

static void fn_sign_f8(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const double *in = FN_F64(args[0]);
    FN_FOREACH(b, i, r)
    {
        double x = in[r];
        FN_F64(out)[r] = x > 0 ? 1.0 : x < 0 ? -1.0 : x; /* NaN stays NaN */
        vector_set_valid(out, r);
    }
}

static void fn_sign_dec(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const int128 *in = FN_I128(args[0]);
    int128 one = decimal_pow10[out->type->scale];
    FN_FOREACH(b, i, r)
    {
        FN_I128(out)[r] = in[r] > 0 ? one : in[r] < 0 ? -one : 0;
        vector_set_valid(out, r);
    }
}

/* ---------- rounding ---------- */

enum { RND_CEIL, RND_FLOOR, RND_ROUND, RND_TRUNC };

static void float_round_rows(const Batch *b, Vector **args, Vector *out, int mode)
{
    const double *in = FN_F64(args[0]);
    double *o = FN_F64(out);
    FN_FOREACH(b, i, r)
    {
        double x = in[r];
        o[r] = mode == RND_CEIL    ? ceil(x)
               : mode == RND_FLOOR ? floor(x)
               : mode == RND_ROUND ? rint(x)
                                   : trunc(x);
        vector_set_valid(out, r);
    }
}
static void fn_ceil_f8(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    float_round_rows(b, args, out, RND_CEIL);
}
static void fn_floor_f8(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    float_round_rows(b, args, out, RND_FLOOR);
}
static void fn_round_f8(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    float_round_rows(b, args, out, RND_ROUND);
}
static void fn_trunc_f8(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    float_round_rows(b, args, out, RND_TRUNC);
}

/* Rounds scaled v (10^drop units dropped) per mode; returns value still at the original scale. */
static int128 dec_round_units(int128 v, int drop, int mode)
{
    if (drop <= 0)
        return v;
    if (drop > DECIMAL_MAX_PRECISION)
        return mode == RND_CEIL && v > 0 ? decimal_pow10[DECIMAL_MAX_PRECISION] : 0;
    int128 unit = decimal_pow10[drop];
    int128 q = v / unit, rem = v % unit;
    switch (mode) {
    case RND_CEIL:
        if (rem > 0)
            q++;
        break;
    case RND_FLOOR:
        if (rem < 0)
            q--;
        break;
    case RND_ROUND:
        if (rem >= unit / 2 && rem > 0)
            q++;
        else if (-rem >= unit / 2 && rem < 0)
            q--;
        break;
    default:
        break;
    }
    return q * unit;
}

/* DECIMAL(p,s) -> DECIMAL(p',0) for ceil/floor/round/trunc without places. */
static void dec_round0_rows(const Batch *b, Vector **args, Vector *out, int mode)
{
    const int128 *in = FN_I128(args[0]);
    int s = args[0]->type->scale, os = out->type->scale;
    FN_FOREACH(b, i, r)
    {
        int128 v = dec_round_units(in[r], s, mode) / decimal_pow10[s];
        FN_I128(out)[r] = v * decimal_pow10[os];
        vector_set_valid(out, r);
    }
}
static void fn_ceil_dec(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    dec_round0_rows(b, args, out, RND_CEIL);
}
static void fn_floor_dec(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    dec_round0_rows(b, args, out, RND_FLOOR);
}
static void fn_round_dec(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    dec_round0_rows(b, args, out, RND_ROUND);
}
static void fn_trunc_dec(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    dec_round0_rows(b, args, out, RND_TRUNC);
}

static void dec_roundn_rows(const Batch *b, Vector **args, Vector *out, int mode)
{
    const int128 *in = FN_I128(args[0]);
    const int32 *places = FN_I32(args[1]);
    int s = args[0]->type->scale, os = out->type->scale;
    FN_FOREACH(b, i, r)
    {
        int drop = s - places[r];
        int128 v = dec_round_units(in[r], drop, mode);
        /* to the result's scale: places when it was a constant (ret_round_const), else s */
        if (os > s)
            v *= decimal_pow10[os - s];
        else if (os < s)
            v /= decimal_pow10[s - os];
        FN_I128(out)[r] = v;
        vector_set_valid(out, r);
    }
}
static void fn_round_dec_n(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    dec_roundn_rows(b, args, out, RND_ROUND);
}
static void fn_trunc_dec_n(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    dec_roundn_rows(b, args, out, RND_TRUNC);
}

static const LmType *ret_void(Arena *a, int nargs, const LmType **t)
{
    return type_with_pg_oid(a, type_string(), VOIDOID);
}

static const LmType *ret_same(Arena *a, int nargs, const LmType **t)
{
    return t[0];
}
static const LmType *ret_dec_scale0(Arena *a, int nargs, const LmType **t)
{
    int p = t[0]->precision - t[0]->scale + 1;
    if (p > DECIMAL_MAX_PRECISION)
        p = DECIMAL_MAX_PRECISION;
    if (p < 1)
        p = 1;
    return type_decimal(a, p, 0);
}

/* round(x, n)/trunc(x, n) with a constant n: numeric with scale max(n, 0), as PostgreSQL prints. */
static const LmType *ret_round_const(Arena *a, int nargs, const LmType **t, Vector *const *cargs)
{
    if (!cargs[1] || !vector_is_valid(cargs[1], 0))
        return NULL;
    int n = FN_I32(cargs[1])[0];
    int s = n < 0 ? 0 : n > DECIMAL_MAX_PRECISION ? DECIMAL_MAX_PRECISION : n;
    int p = t[0]->precision - t[0]->scale + s + 1;
    if (p > DECIMAL_MAX_PRECISION)
        p = DECIMAL_MAX_PRECISION;
    return type_decimal(a, p < s + 1 ? s + 1 : p, s);
}

/* ---------- float8 functions ---------- */

#define F8_UNARY(name, BODY)                                                                       \
    static void name(FuncCall *fc, Vector **args, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const double *in = FN_F64(args[0]);                                                        \
        double *o = FN_F64(out);                                                                   \
        FN_FOREACH(b, i, r)                                                                        \
        {                                                                                          \
            double x = in[r];                                                                      \
            double y;                                                                              \
            BODY;                                                                                  \
            o[r] = y;                                                                              \
            vector_set_valid(out, r);                                                              \
        }                                                                                          \
    }

F8_UNARY(fn_sqrt, {
    if (x < 0)
        raise_err(fc, "2201F", "cannot take square root of a negative number");
    y = sqrt(x);
})
F8_UNARY(fn_cbrt, { y = cbrt(x); })
F8_UNARY(fn_exp, {
    y = exp(x);
    if (isinf(y) && !isinf(x))
        raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
    if (y == 0.0 && !isinf(x))
        raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
})
F8_UNARY(fn_ln, {
    if (x == 0.0)
        raise_err(fc, "2201E", "cannot take logarithm of zero");
    if (x < 0)
        raise_err(fc, "2201E", "cannot take logarithm of a negative number");
    y = log(x);
})
F8_UNARY(fn_log10, {
    if (x == 0.0)
        raise_err(fc, "2201E", "cannot take logarithm of zero");
    if (x < 0)
        raise_err(fc, "2201E", "cannot take logarithm of a negative number");
    y = log10(x);
})
F8_UNARY(fn_degrees, { y = check_float(fc, x * (180.0 / M_PI), isinf(x), true); })
F8_UNARY(fn_radians, { y = check_float(fc, x * (M_PI / 180.0), isinf(x), x == 0.0); })
F8_UNARY(fn_sin, {
    if (isinf(x))
        raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "input is out of range");
    y = sin(x);
})
F8_UNARY(fn_cos, {
    if (isinf(x))
        raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "input is out of range");
    y = cos(x);
})
F8_UNARY(fn_tan, {
    if (isinf(x))
        raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "input is out of range");
    y = tan(x);
})
F8_UNARY(fn_cot, {
    if (isinf(x))
        raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "input is out of range");
    y = 1.0 / tan(x);
})
F8_UNARY(fn_asin, {
    if (x < -1.0 || x > 1.0)
        raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "input is out of range");
    y = asin(x);
})
F8_UNARY(fn_acos, {
    if (x < -1.0 || x > 1.0)
        raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "input is out of range");
    y = acos(x);
})
F8_UNARY(fn_atan, { y = atan(x); })

static void fn_atan2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const double *y = FN_F64(args[0]), *x = FN_F64(args[1]);
    FN_FOREACH(b, i, r)
    {
        FN_F64(out)[r] = atan2(y[r], x[r]);
        vector_set_valid(out, r);
    }
}

/* PostgreSQL dpow: errors for 0^negative and negative^non-integer. */
static void fn_power(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const double *xs = FN_F64(args[0]), *ys = FN_F64(args[1]);
    FN_FOREACH(b, i, r)
    {
        double x = xs[r], y = ys[r];
        if (x == 0.0 && y < 0)
            raise_err(fc, "2201F", "zero raised to a negative power is undefined");
        if (x < 0 && floor(y) != y && !isinf(y))
            raise_err(fc, "2201F",
                      "a negative number raised to a non-integer power yields a complex result");
        double res = pow(x, y);
        if (isinf(res) && !isinf(x) && !isinf(y))
            raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
        if (res == 0.0 && x != 0.0 && !isinf(x) && !isinf(y))
            raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
        FN_F64(out)[r] = res;
        vector_set_valid(out, r);
    }
}

/* log(b, x): logarithm of x to base b. */
static void fn_log_base(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const double *bs = FN_F64(args[0]), *xs = FN_F64(args[1]);
    FN_FOREACH(b, i, r)
    {
        double base = bs[r], x = xs[r];
        if (base == 0.0 || x == 0.0)
            raise_err(fc, "2201E", "cannot take logarithm of zero");
        if (base < 0 || x < 0)
            raise_err(fc, "2201E", "cannot take logarithm of a negative number");
        double lb = log(base);
        if (lb == 0.0)
            raise_err(fc, ERRCODE_DIVISION_BY_ZERO, "division by zero");
        FN_F64(out)[r] = log(x) / lb;
        vector_set_valid(out, r);
    }
}

static void fn_pi(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        FN_F64(out)[r] = M_PI;
        vector_set_valid(out, r);
    }
}

/* random(): xoshiro256** per thread, seeded from the clock and the thread's address. */
static __thread uint64 rng_state[4];

static inline uint64 rotl(uint64 x, int k)
{
    return (x << k) | (x >> (64 - k));
}
static uint64 rng_next(void)
{
    if ((rng_state[0] | rng_state[1] | rng_state[2] | rng_state[3]) == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64 seed =
            (uint64)ts.tv_nsec ^ ((uint64)ts.tv_sec << 30) ^ (uint64)(uintptr_t)&rng_state;
        for (int k = 0; k < 4; k++) { /* splitmix64 */
            uint64 z = (seed += UINT64_C(0x9e3779b97f4a7c15));
            z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
            z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
            rng_state[k] = z ^ (z >> 31);
        }
    }
    uint64 *s = rng_state;
    uint64 result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* setseed(x): x in [-1, 1] seeds this thread's generator (splitmix64 over its bits). */
static void fn_setseed(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        double x = FN_F64(args[0])[r];
        if (!(x >= -1.0 && x <= 1.0))
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("setseed parameter %g is out of allowed range [-1,1]", x),
                    errposition(fn_errpos(fc)));
        uint64 seed = (uint64)(int64)(x * (double)INT64_C(0x7fffffffffffffff));
        for (int k = 0; k < 4; k++) {
            uint64 z = (seed += UINT64_C(0x9e3779b97f4a7c15));
            z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
            z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
            rng_state[k] = z ^ (z >> 31);
        }
        if ((rng_state[0] | rng_state[1] | rng_state[2] | rng_state[3]) == 0)
            rng_state[0] = 1;
        fn_set_str(out, r, "", 0);
    }
}

static void fn_random(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        FN_F64(out)[r] = (double)(rng_next() >> 11) * 0x1.0p-53;
        vector_set_valid(out, r);
    }
}

/* ---------- integer mod / div / gcd / lcm ---------- */

#define INT_MOD(name, T)                                                                           \
    static void name(FuncCall *fc, Vector **args, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const T *x = (const T *)args[0]->data, *y = (const T *)args[1]->data;                      \
        FN_FOREACH(b, i, r)                                                                        \
        {                                                                                          \
            if (y[r] == 0)                                                                         \
                raise_err(fc, ERRCODE_DIVISION_BY_ZERO, "division by zero");                       \
            ((T *)out->data)[r] = y[r] == -1 ? 0 : x[r] % y[r];                                    \
            vector_set_valid(out, r);                                                              \
        }                                                                                          \
    }
INT_MOD(fn_mod_i2, int16)
INT_MOD(fn_mod_i4, int32)
INT_MOD(fn_mod_i8, int64)

static void fn_mod_dec(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    /* both arguments were cast to the result's scale by the binder's signature (ret_same) */
    const int128 *x = FN_I128(args[0]), *y = FN_I128(args[1]);
    int sx = args[0]->type->scale, sy = args[1]->type->scale, so = out->type->scale;
    FN_FOREACH(b, i, r)
    {
        if (y[r] == 0)
            raise_err(fc, ERRCODE_DIVISION_BY_ZERO, "division by zero");
        int128 a = x[r] * decimal_pow10[so - sx], c = y[r] * decimal_pow10[so - sy];
        FN_I128(out)[r] = a % c;
        vector_set_valid(out, r);
    }
}

static void fn_div_dec(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const int128 *x = FN_I128(args[0]), *y = FN_I128(args[1]);
    int sx = args[0]->type->scale, sy = args[1]->type->scale;
    int s = sx > sy ? sx : sy;
    FN_FOREACH(b, i, r)
    {
        if (y[r] == 0)
            raise_err(fc, ERRCODE_DIVISION_BY_ZERO, "division by zero");
        int128 a = x[r] * decimal_pow10[s - sx], c = y[r] * decimal_pow10[s - sy];
        FN_I128(out)[r] = a / c;
        vector_set_valid(out, r);
    }
}

static const LmType *ret_dec_max_scale(Arena *a, int nargs, const LmType **t)
{
    int s = t[0]->scale > t[1]->scale ? t[0]->scale : t[1]->scale;
    int p = t[0]->precision > t[1]->precision ? t[0]->precision : t[1]->precision;
    if (p < s + 1)
        p = s + 1;
    return type_decimal(a, p > DECIMAL_MAX_PRECISION ? DECIMAL_MAX_PRECISION : p, s);
}
static const LmType *ret_dec_int(Arena *a, int nargs, const LmType **t)
{
    return type_decimal(a, DECIMAL_MAX_PRECISION, 0);
}

static inline uint64 gcd_u64(uint64 a, uint64 b)
{
    while (b) {
        uint64 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

#define INT_GCD(name, T, UT, MINV, MSG, LCM)                                                       \
    static void name(FuncCall *fc, Vector **args, const Batch *b, Vector *out)                     \
    {                                                                                              \
        const T *x = (const T *)args[0]->data, *y = (const T *)args[1]->data;                      \
        FN_FOREACH(b, i, r)                                                                        \
        {                                                                                          \
            T a = x[r], c = y[r];                                                                  \
            UT ua = a < 0 ? -(UT)a : (UT)a, uc = c < 0 ? -(UT)c : (UT)c;                           \
            UT g = (UT)gcd_u64(ua, uc);                                                            \
            T res;                                                                                 \
            if (!LCM) {                                                                            \
                if (g > (UT)((UT)MINV - 1))                                                        \
                    raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, MSG);                        \
                res = (T)g;                                                                        \
            } else if (a == 0 || c == 0)                                                           \
                res = 0;                                                                           \
            else {                                                                                 \
                T q = (T)(ua / g);                                                                 \
                T ac = c < 0 ? -c : c;                                                             \
                if (c == MINV || __builtin_mul_overflow(q, ac, &res))                              \
                    raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, MSG);                        \
            }                                                                                      \
            ((T *)out->data)[r] = res;                                                             \
            vector_set_valid(out, r);                                                              \
        }                                                                                          \
    }
INT_GCD(fn_gcd_i4, int32, uint32, INT32_MIN, "integer out of range", 0)
INT_GCD(fn_gcd_i8, int64, uint64, INT64_MIN, "bigint out of range", 0)
INT_GCD(fn_lcm_i4, int32, uint32, INT32_MIN, "integer out of range", 1)
INT_GCD(fn_lcm_i8, int64, uint64, INT64_MIN, "bigint out of range", 1)

/* width_bucket(operand, low, high, count) for float8 (PostgreSQL width_bucket_float8). */
static void fn_width_bucket(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const double *op = FN_F64(args[0]), *lo = FN_F64(args[1]), *hi = FN_F64(args[2]);
    const int32 *cnt = FN_I32(args[3]);
    FN_FOREACH(b, i, r)
    {
        double x = op[r], l = lo[r], h = hi[r];
        int32 n = cnt[r];
        if (n <= 0)
            raise_err(fc, "2201G", "count must be greater than zero");
        if (isnan(x) || isnan(l) || isnan(h))
            raise_err(fc, "2201G", "operand, lower bound, and upper bound cannot be NaN");
        if (isinf(l) || isinf(h))
            raise_err(fc, "2201G", "lower and upper bounds must be finite");
        if (l == h)
            raise_err(fc, "2201G", "lower bound cannot equal upper bound");
        int64 res;
        if (l < h) {
            if (x < l)
                res = 0;
            else if (x >= h)
                res = (int64)n + 1;
            else
                res = (int64)((double)n * ((x - l) / (h - l))) + 1;
        } else {
            if (x > l)
                res = 0;
            else if (x <= h)
                res = (int64)n + 1;
            else
                res = (int64)((double)n * ((l - x) / (l - h))) + 1;
        }
        if (res > INT32_MAX)
            raise_err(fc, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range");
        FN_I32(out)[r] = (int32)res;
        vector_set_valid(out, r);
    }
}

/* clang-format off */
#define I2 TYPE_INT16
#define I4 TYPE_INT32
#define I8 TYPE_INT64
#define F8 TYPE_FLOAT64
#define DEC TYPE_DECIMAL
#define STRICT FN_STRICT

const FuncDesc lm_funcs_math[] = {
    {"abs", 1398, 1, {I2}, I2, NULL, fn_abs_i2, STRICT, "absolute value"},
    {"abs", 1397, 1, {I4}, I4, NULL, fn_abs_i4, STRICT, "absolute value"},
    {"abs", 1396, 1, {I8}, I8, NULL, fn_abs_i8, STRICT, "absolute value"},
    {"abs", 1395, 1, {F8}, F8, NULL, fn_abs_f8, STRICT, "absolute value"},
    {"abs", 1705, 1, {DEC}, DEC, ret_same, fn_abs_dec, STRICT, "absolute value"},
    {"sign", 2310, 1, {F8}, F8, NULL, fn_sign_f8, STRICT, "sign of value"},
    {"sign", 1706, 1, {DEC}, DEC, ret_dec_scale0, fn_sign_dec, STRICT, "sign of value"},
    {"ceil", 2308, 1, {F8}, F8, NULL, fn_ceil_f8, STRICT, "nearest integer >= value"},
    {"ceil", 1711, 1, {DEC}, DEC, ret_dec_scale0, fn_ceil_dec, STRICT, "nearest integer >= value"},
    {"ceiling", 2320, 1, {F8}, F8, NULL, fn_ceil_f8, STRICT, "nearest integer >= value"},
    {"ceiling", 2167, 1, {DEC}, DEC, ret_dec_scale0, fn_ceil_dec, STRICT,
     "nearest integer >= value"},
    {"floor", 2309, 1, {F8}, F8, NULL, fn_floor_f8, STRICT, "nearest integer <= value"},
    {"floor", 1712, 1, {DEC}, DEC, ret_dec_scale0, fn_floor_dec, STRICT,
     "nearest integer <= value"},
    {"round", 1342, 1, {F8}, F8, NULL, fn_round_f8, STRICT, "round to nearest integer"},
    {"round", 1708, 1, {DEC}, DEC, ret_dec_scale0, fn_round_dec, STRICT,
     "value rounded to 'scale' of zero"},
    {"round", 1707, 2, {DEC, I4}, DEC, ret_same, fn_round_dec_n, STRICT,
     "value rounded to 'scale'", ret_round_const},
    {"trunc", 1343, 1, {F8}, F8, NULL, fn_trunc_f8, STRICT, "truncate to integer"},
    {"trunc", 1710, 1, {DEC}, DEC, ret_dec_scale0, fn_trunc_dec, STRICT,
     "value truncated to 'scale' of zero"},
    {"trunc", 1709, 2, {DEC, I4}, DEC, ret_same, fn_trunc_dec_n, STRICT,
     "value truncated to 'scale'", ret_round_const},
    {"sqrt", 1344, 1, {F8}, F8, NULL, fn_sqrt, STRICT, "square root"},
    {"cbrt", 1345, 1, {F8}, F8, NULL, fn_cbrt, STRICT, "cube root"},
    {"power", 1368, 2, {F8, F8}, F8, NULL, fn_power, STRICT, "exponentiation"},
    {"pow", 1346, 2, {F8, F8}, F8, NULL, fn_power, STRICT, "exponentiation"},
    {"^", 232, 2, {F8, F8}, F8, NULL, fn_power, STRICT | FN_OPERATOR, "exponentiation"},
    {"exp", 1347, 1, {F8}, F8, NULL, fn_exp, STRICT, "natural exponential (e^x)"},
    {"ln", 1341, 1, {F8}, F8, NULL, fn_ln, STRICT, "natural logarithm"},
    {"log", 1340, 1, {F8}, F8, NULL, fn_log10, STRICT, "base 10 logarithm"},
    {"log10", 1194, 1, {F8}, F8, NULL, fn_log10, STRICT, "base 10 logarithm"},
    {"log", 20100, 2, {F8, F8}, F8, NULL, fn_log_base, STRICT,
     "logarithm base arg1 of arg2"},
    {"mod", 940, 2, {I2, I2}, I2, NULL, fn_mod_i2, STRICT, "modulus"},
    {"mod", 941, 2, {I4, I4}, I4, NULL, fn_mod_i4, STRICT, "modulus"},
    {"mod", 947, 2, {I8, I8}, I8, NULL, fn_mod_i8, STRICT, "modulus"},
    {"mod", 1728, 2, {DEC, DEC}, DEC, ret_dec_max_scale, fn_mod_dec, STRICT, "modulus"},
    {"div", 1973, 2, {DEC, DEC}, DEC, ret_dec_int, fn_div_dec, STRICT,
     "trunc(x/y)"},
    {"gcd", 5044, 2, {I4, I4}, I4, NULL, fn_gcd_i4, STRICT, "greatest common divisor"},
    {"gcd", 5045, 2, {I8, I8}, I8, NULL, fn_gcd_i8, STRICT, "greatest common divisor"},
    {"lcm", 5046, 2, {I4, I4}, I4, NULL, fn_lcm_i4, STRICT, "least common multiple"},
    {"lcm", 5047, 2, {I8, I8}, I8, NULL, fn_lcm_i8, STRICT, "least common multiple"},
    {"pi", 1610, 0, {0}, F8, NULL, fn_pi, 0, "PI"},
    {"setseed", 1599, 1, {F8}, TYPE_STRING, ret_void, fn_setseed, FN_STRICT | FN_VOLATILE, "set random seed"},
    {"random", 1598, 0, {0}, F8, NULL, fn_random, FN_VOLATILE, "random value"},
    {"degrees", 1608, 1, {F8}, F8, NULL, fn_degrees, STRICT, "radians to degrees"},
    {"radians", 1609, 1, {F8}, F8, NULL, fn_radians, STRICT, "degrees to radians"},
    {"sin", 1604, 1, {F8}, F8, NULL, fn_sin, STRICT, "sine"},
    {"cos", 1605, 1, {F8}, F8, NULL, fn_cos, STRICT, "cosine"},
    {"tan", 1606, 1, {F8}, F8, NULL, fn_tan, STRICT, "tangent"},
    {"cot", 1607, 1, {F8}, F8, NULL, fn_cot, STRICT, "cotangent"},
    {"asin", 1600, 1, {F8}, F8, NULL, fn_asin, STRICT, "arcsine"},
    {"acos", 1601, 1, {F8}, F8, NULL, fn_acos, STRICT, "arccosine"},
    {"atan", 1602, 1, {F8}, F8, NULL, fn_atan, STRICT, "arctangent"},
    {"atan2", 1603, 2, {F8, F8}, F8, NULL, fn_atan2, STRICT, "arctangent, two arguments"},
    {"width_bucket", 320, 4, {F8, F8, F8, I4}, I4, NULL, fn_width_bucket, STRICT,
     "bucket number of operand in equal-width histogram"},
};
/* clang-format on */
const int lm_nfuncs_math = sizeof(lm_funcs_math) / sizeof(lm_funcs_math[0]);
