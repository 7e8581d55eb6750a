/*
 * cast.c: which casts exist (cast_kind) and converting a vector from one
 * Laminar type to another (cast_vector), with PostgreSQL's semantics.
 *
 * cast_kind mirrors pg_cast: numeric widening along int2 < int4 < int8 <
 * numeric < float4 < float8 is implicit and the reverse assignment-only;
 * integer <-> boolean is explicit; every type converts to text by assignment
 * and from text explicitly (PostgreSQL's automatic I/O conversion casts);
 * date -> timestamp -> timestamptz and time -> interval are implicit;
 * json <-> map/struct/array and json -> numeric/boolean are explicit; an
 * untyped literal (`unknown`) converts implicitly to anything.
 *
 * cast_vector runs one loop per (source, target) pair over the live rows of
 * the batch; NULLs are handled once up front by narrowing the batch to the
 * rows with a value, so the conversion loops never look at garbage in NULL
 * slots (no false overflow errors).  Numeric conversions go through one
 * batch-wide intermediate array (int64, double or int128) so that each pair
 * costs two tight loops instead of a hand-written loop per pair.  Rounding
 * follows PostgreSQL: float -> integer rounds half to even (rint), numeric ->
 * integer and numeric -> numeric round half away from zero, float -> numeric
 * goes through the float's 15 (float4: 6) significant digits.  Casts to and
 * from text use value_format_text / value_parse_text, except boolean -> text
 * which PostgreSQL spells 'true'/'false'.  Text results of one call are
 * packed into one buffer in out->arena (no allocation per row).
 *
 * TIMESTAMP and TIMESTAMPTZ share one representation (micros since 1970,
 * local wall time vs. UTC instant); conversions between them and to and
 * from DATE and TIME go through the thread's session time zone
 * (common/timezone.h), as PostgreSQL's go through its TimeZone setting.
 * reg* types convert to and from text by name through common/reg_names.h
 * (relname::regclass, oid::regtype::text); literals ('pg_class'::regclass)
 * are looked up by the binder.
 */
#include "executor/expr.h"
#include "common/datetime.h"
#include "common/numeric.h"
#include "common/timezone.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- cast_kind ---- */

static int numeric_rank(TypeId id)
{
    switch (id) {
    case TYPE_INT8: return 1;
    case TYPE_INT16: return 2;
    case TYPE_INT32: return 3;
    case TYPE_INT64: return 4;
    case TYPE_DECIMAL: return 5;
    case TYPE_FLOAT32: return 6;
    case TYPE_FLOAT64: return 7;
    default: return 0;
    }
}

CastKind cast_kind(const LmType *from, const LmType *to)
{
    TypeId f = from->id, t = to->id;
    if (f == TYPE_UNKNOWN)
        return CAST_IMPLICIT;
    if (f == t) {
        switch (f) {
        case TYPE_ARRAY: return cast_kind(from->elem, to->elem);
        case TYPE_MAP:
        case TYPE_STRUCT: return type_equal(from, to) ? CAST_IMPLICIT : CAST_NONE;
        default: return CAST_IMPLICIT; /* length/precision coercion, reg* <-> oid */
        }
    }
    int rf = numeric_rank(f), rt = numeric_rank(t);
    if (rf && rt)
        return rt > rf ? CAST_IMPLICIT : CAST_ASSIGNMENT;
    if (t == TYPE_OID && (f == TYPE_INT8 || f == TYPE_INT16 || f == TYPE_INT32 || f == TYPE_INT64))
        return CAST_IMPLICIT;
    if (f == TYPE_OID && (t == TYPE_INT32 || t == TYPE_INT64))
        return CAST_ASSIGNMENT;
    if ((f == TYPE_BOOL && type_is_integer(to)) || (t == TYPE_BOOL && type_is_integer(from)))
        return CAST_EXPLICIT;
    if (t == TYPE_STRING)
        return CAST_ASSIGNMENT;
    if (f == TYPE_STRING) {
        if (t == TYPE_OID && to->pg_oid == REGCLASSOID)
            return CAST_IMPLICIT; /* pg_cast: text -> regclass is implicit */
        return CAST_EXPLICIT;
    }
    switch (f) {
    case TYPE_DATE:
        if (t == TYPE_TIMESTAMP || t == TYPE_TIMESTAMPTZ)
            return CAST_IMPLICIT;
        break;
    case TYPE_TIMESTAMP:
        if (t == TYPE_TIMESTAMPTZ)
            return CAST_IMPLICIT;
        if (t == TYPE_DATE || t == TYPE_TIME)
            return CAST_ASSIGNMENT;
        break;
    case TYPE_TIMESTAMPTZ:
        if (t == TYPE_TIMESTAMP || t == TYPE_DATE || t == TYPE_TIME)
            return CAST_ASSIGNMENT;
        break;
    case TYPE_TIME:
        if (t == TYPE_INTERVAL)
            return CAST_IMPLICIT;
        break;
    case TYPE_INTERVAL:
        if (t == TYPE_TIME)
            return CAST_ASSIGNMENT;
        break;
    case TYPE_JSON:
        if (t == TYPE_MAP || t == TYPE_STRUCT || t == TYPE_ARRAY || t == TYPE_BOOL || rt)
            return CAST_EXPLICIT;
        break;
    case TYPE_MAP:
    case TYPE_STRUCT:
    case TYPE_ARRAY:
        if (t == TYPE_JSON)
            return CAST_EXPLICIT;
        break;
    default:
        break;
    }
    return CAST_NONE;
}

/* ---- helpers ---- */

#define LIVE_LOOP(b, ...)                                                                          \
    do {                                                                                           \
        if ((b)->sel) {                                                                            \
            const uint16 *sel__ = (b)->sel;                                                        \
            for (int i__ = 0; i__ < (b)->nsel; i__++) {                                            \
                int r = sel__[i__];                                                                \
                __VA_ARGS__;                                                                       \
            }                                                                                      \
        } else {                                                                                   \
            for (int r = 0; r < (b)->count; r++) {                                                 \
                __VA_ARGS__;                                                                       \
            }                                                                                      \
        }                                                                                          \
    } while (0)

static const char *pg_type_label(Arena *a, const LmType *t)
{
    StrBuf sb;
    strbuf_init(&sb, a);
    type_pg_format(t, &sb);
    return sb.data;
}

LM_NORETURN static void out_of_range(const LmType *t)
{
    const char *what;
    switch (t->id) {
    case TYPE_INT8: what = "tinyint out of range"; break;
    case TYPE_INT16: what = "smallint out of range"; break;
    case TYPE_INT32: what = "integer out of range"; break;
    case TYPE_INT64: what = "bigint out of range"; break;
    case TYPE_OID: what = "OID out of range"; break;
    default: what = "value out of range"; break;
    }
    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("%s", what));
}

LM_NORETURN static void decimal_overflow(const LmType *t)
{
    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("numeric field overflow"),
            errdetail("A field with precision %d, scale %d must round to an absolute value less "
                      "than %s%d.",
                      t->precision, t->scale, t->precision == t->scale ? "1" : "10^",
                      t->precision == t->scale ? 0 : t->precision - t->scale));
}

/* PostgreSQL's detail reads "... less than 10^8." or "... less than 1." */
static void check_decimal_fits(const LmType *t, int128 v)
{
    int128 lim = decimal_pow10[t->precision];
    if (v >= lim || v <= -lim)
        decimal_overflow(t);
}

/* Rounds v (scale from) to scale to, half away from zero; to <= from. */
static inline int128 decimal_round_down(int128 v, int from, int to)
{
    int128 d = decimal_pow10[from - to];
    int128 q = v / d, rem = v % d;
    if (rem * 2 >= d)
        q++;
    else if (rem * 2 <= -d)
        q--;
    return q;
}

/* Rescales v from scale `from` to scale `to`, raising 22003 for target t on overflow. */
static inline int128 decimal_rescale(int128 v, int from, int to, const LmType *t)
{
    if (to >= from) {
        int128 m = decimal_pow10[to - from];
        int128 lim = decimal_pow10[DECIMAL_MAX_PRECISION] / m;
        if (v >= lim || v <= -lim)
            decimal_overflow(t);
        return v * m;
    }
    return decimal_round_down(v, from, to);
}

/* Batch-wide intermediate: numeric values loaded from any numeric source. */
typedef enum Inter { INT_I64, INT_F64, INT_DEC } Inter;

static Inter load_numeric(const Vector *in, const Batch *b, int64 *i64, double *f64, int128 *dec)
{
    const void *d = in->data;
    switch (in->type->id) {
    case TYPE_BOOL: LIVE_LOOP(b, i64[r] = ((const uint8 *)d)[r]); return INT_I64;
    case TYPE_INT8: LIVE_LOOP(b, i64[r] = ((const int8 *)d)[r]); return INT_I64;
    case TYPE_INT16: LIVE_LOOP(b, i64[r] = ((const int16 *)d)[r]); return INT_I64;
    case TYPE_INT32: LIVE_LOOP(b, i64[r] = ((const int32 *)d)[r]); return INT_I64;
    case TYPE_INT64: LIVE_LOOP(b, i64[r] = ((const int64 *)d)[r]); return INT_I64;
    case TYPE_OID: LIVE_LOOP(b, i64[r] = ((const uint32 *)d)[r]); return INT_I64;
    case TYPE_FLOAT32: LIVE_LOOP(b, f64[r] = ((const float *)d)[r]); return INT_F64;
    case TYPE_FLOAT64: LIVE_LOOP(b, f64[r] = ((const double *)d)[r]); return INT_F64;
    case TYPE_DECIMAL: LIVE_LOOP(b, dec[r] = ((const int128 *)d)[r]); return INT_DEC;
    default: elog(ERROR, "not a numeric type: %d", (int)in->type->id);
    }
}

static double decimal_to_double(int128 v, int scale)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    int128 lim = (int128)1 << 53;
    /* both operands exact: IEEE division rounds correctly */
    if (v < lim && v > -lim && scale <= 22)
        return (double)(int64)v / p10[scale];
    char digits[48], buf[64];
    int n = decimal_digits(v < 0 ? -v : v, digits);
    snprintf(buf, sizeof buf, "%s%.*se-%d", v < 0 ? "-" : "", n, digits, scale);
    return strtod(buf, NULL);
}

/* Writes the intermediate values into out (numeric or boolean target). */
static void store_numeric(Inter kind, const int64 *i64, const double *f64, const int128 *dec,
                          int in_scale, const Batch *b, Vector *out)
{
    const LmType *t = out->type;
    void *d = out->data;
    switch (t->id) {
    case TYPE_BOOL:
        if (kind != INT_I64)
            elog(ERROR, "cannot cast to boolean");
        LIVE_LOOP(b, ((uint8 *)d)[r] = i64[r] != 0);
        return;
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64:
    case TYPE_OID: {
        int64 lo, hi;
        switch (t->id) {
        case TYPE_INT8: lo = INT8_MIN, hi = INT8_MAX; break;
        case TYPE_INT16: lo = INT16_MIN, hi = INT16_MAX; break;
        case TYPE_INT32: lo = INT32_MIN, hi = INT32_MAX; break;
        case TYPE_OID: lo = 0, hi = UINT32_MAX; break;
        default: lo = INT64_MIN, hi = INT64_MAX; break;
        }
        int64 *tmp = (int64 *)i64; /* INT_I64 already there; others computed in place */
        if (kind == INT_F64) {
            LIVE_LOOP(b, {
                double x = rint(f64[r]);
                /* -2^63 <= x < 2^63 is exactly representable; NaN fails both tests */
                if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0))
                    out_of_range(t);
                tmp[r] = (int64)x;
            });
        } else if (kind == INT_DEC) {
            LIVE_LOOP(b, {
                int128 q = in_scale ? decimal_round_down(dec[r], in_scale, 0) : dec[r];
                if (q < INT64_MIN || q > INT64_MAX)
                    out_of_range(t);
                tmp[r] = (int64)q;
            });
        }
        if (t->id == TYPE_OID && kind == INT_I64) {
            /* int4 -> oid reinterprets negative values, as PostgreSQL's int4 -> oid does */
            LIVE_LOOP(b, {
                int64 x = tmp[r];
                if (x < INT32_MIN || x > (int64)UINT32_MAX)
                    out_of_range(t);
                ((uint32 *)d)[r] = (uint32)x;
            });
            return;
        }
        LIVE_LOOP(b, if (tmp[r] < lo || tmp[r] > hi) out_of_range(t));
        switch (t->id) {
        case TYPE_INT8: LIVE_LOOP(b, ((int8 *)d)[r] = (int8)tmp[r]); break;
        case TYPE_INT16: LIVE_LOOP(b, ((int16 *)d)[r] = (int16)tmp[r]); break;
        case TYPE_INT32: LIVE_LOOP(b, ((int32 *)d)[r] = (int32)tmp[r]); break;
        case TYPE_OID: LIVE_LOOP(b, ((uint32 *)d)[r] = (uint32)tmp[r]); break;
        default: LIVE_LOOP(b, ((int64 *)d)[r] = tmp[r]); break;
        }
        return;
    }
    case TYPE_FLOAT64:
        if (kind == INT_I64)
            LIVE_LOOP(b, ((double *)d)[r] = (double)i64[r]);
        else if (kind == INT_F64)
            LIVE_LOOP(b, ((double *)d)[r] = f64[r]);
        else
            LIVE_LOOP(b, ((double *)d)[r] = decimal_to_double(dec[r], in_scale));
        return;
    case TYPE_FLOAT32:
        if (kind == INT_I64)
            LIVE_LOOP(b, ((float *)d)[r] = (float)i64[r]);
        else {
            LIVE_LOOP(b, {
                double x = kind == INT_F64 ? f64[r] : decimal_to_double(dec[r], in_scale);
                float y = (float)x;
                if (isinf(y) && !isinf(x))
                    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                            errmsg("value out of range: overflow"));
                if (y == 0.0f && x != 0.0)
                    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                            errmsg("value out of range: underflow"));
                ((float *)d)[r] = y;
            });
        }
        return;
    case TYPE_DECIMAL: {
        int s = t->scale;
        int128 *o = d;
        if (kind == INT_I64) {
            int128 m = decimal_pow10[s];
            LIVE_LOOP(b, {
                int128 v = (int128)i64[r] * m;
                check_decimal_fits(t, v);
                o[r] = v;
            });
        } else if (kind == INT_DEC) {
            LIVE_LOOP(b, {
                int128 v = decimal_rescale(dec[r], in_scale, s, t);
                check_decimal_fits(t, v);
                o[r] = v;
            });
        } else {
            LIVE_LOOP(b, {
                double x = f64[r];
                if (isnan(x))
                    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("cannot convert NaN to numeric"));
                if (isinf(x))
                    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("cannot convert infinity to numeric"));
                char buf[64];
                int n = snprintf(buf, sizeof buf, "%.*g", DBL_DIG, x);
                o[r] = decimal_parse(buf, (size_t)n, t->precision, s);
            });
        }
        return;
    }
    default: elog(ERROR, "not a numeric type: %d", (int)t->id);
    }
}

/* Text output of every live row, packed into one buffer in arena a. */
static void cast_to_text(const Vector *in, const Batch *b, Vector *out, Arena *a, bool explicit_cast)
{
    StrView *o = out->data;
    StrBuf sb;
    strbuf_init(&sb, a);
    int n = batch_live_count(b);
    uint32 *ends = arena_alloc(a, sizeof(uint32) * (size_t)(n > 0 ? n : 1));
    int k = 0;
    bool is_bool = in->type->id == TYPE_BOOL;
    LIVE_LOOP(b, {
        if (is_bool)
            strbuf_append_str(&sb, ((const uint8 *)in->data)[r] ? "true" : "false");
        else if (in->type->id == TYPE_JSON || in->type->id == TYPE_STRING ||
                 in->type->id == TYPE_UNKNOWN) {
            const StrView *sv = &((const StrView *)in->data)[r];
            strbuf_append(&sb, sv->ptr, sv->len);
        } else
            value_format_text(in, r, &sb);
        ends[k++] = (uint32)sb.len;
    });
    int limit = out->type->precision; /* VARCHAR(n) */
    k = 0;
    uint32 start = 0;
    LIVE_LOOP(b, {
        uint32 end = ends[k++];
        const char *p = sb.data + start;
        uint32 len = end - start;
        if (limit > 0 && len > (uint32)limit) {
            uint32 chars = 0, cut = len;
            for (uint32 i = 0; i < len; i++)
                if (((uint8)p[i] & 0xC0) != 0x80) {
                    if (chars == (uint32)limit) {
                        cut = i;
                        break;
                    }
                    chars++;
                }
            if (cut < len && !explicit_cast)
                for (uint32 i = cut; i < len; i++)
                    if (p[i] != ' ')
                        ereport(ERROR, errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
                                errmsg("value too long for type character varying(%d)", limit));
            len = cut;
        }
        o[r].ptr = p;
        o[r].len = len;
        o[r].reserved = 0;
        start = end;
    });
}

static void cast_from_text(const Vector *in, const Batch *b, Vector *out, Arena *a)
{
    /* reg* targets look names up through common/reg_names.h (relname::regclass) */
    const StrView *s = in->data;
    LIVE_LOOP(b, value_parse_text(out, a, r, s[r].ptr, s[r].len));
}

static void cast_temporal(const Vector *in, const Batch *b, Vector *out)
{
    TypeId f = in->type->id, t = out->type->id;
    const void *d = in->data;
    void *o = out->data;
    const TimeZone *tz = timezone_session();
    if (f == TYPE_DATE && (t == TYPE_TIMESTAMP || t == TYPE_TIMESTAMPTZ)) {
        /* int64 microseconds since 1970 end in 294247 AD; dates go further */
        LIVE_LOOP(b, {
            int32 x = ((const int32 *)d)[r];
            int64 y;
            if (x == DATE_NOBEGIN)
                y = TIMESTAMP_NOBEGIN;
            else if (x == DATE_NOEND)
                y = TIMESTAMP_NOEND;
            else {
                if (x > INT64_MAX / USECS_PER_DAY - 1 || x < INT64_MIN / USECS_PER_DAY + 1)
                    ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                            errmsg("date out of range for timestamp"));
                y = (int64)x * USECS_PER_DAY;
                if (t == TYPE_TIMESTAMPTZ)
                    y = timezone_local_to_utc(tz, y); /* local midnight */
            }
            ((int64 *)o)[r] = y;
        });
        return;
    }
    if ((f == TYPE_TIMESTAMP || f == TYPE_TIMESTAMPTZ) && (t == TYPE_TIMESTAMP || t == TYPE_TIMESTAMPTZ)) {
        if (f == t)
            LIVE_LOOP(b, ((int64 *)o)[r] = ((const int64 *)d)[r]);
        else if (f == TYPE_TIMESTAMPTZ)
            LIVE_LOOP(b, ((int64 *)o)[r] = timezone_utc_to_local(tz, ((const int64 *)d)[r]));
        else
            LIVE_LOOP(b, ((int64 *)o)[r] = timezone_local_to_utc(tz, ((const int64 *)d)[r]));
        return;
    }
    if ((f == TYPE_TIMESTAMP || f == TYPE_TIMESTAMPTZ) && t == TYPE_DATE) {
        LIVE_LOOP(b, {
            int64 x = ((const int64 *)d)[r];
            int32 y;
            if (x == TIMESTAMP_NOBEGIN)
                y = DATE_NOBEGIN;
            else if (x == TIMESTAMP_NOEND)
                y = DATE_NOEND;
            else {
                if (f == TYPE_TIMESTAMPTZ)
                    x = timezone_utc_to_local(tz, x);
                int64 q = x / USECS_PER_DAY;
                if (x % USECS_PER_DAY < 0)
                    q--;
                y = (int32)q;
            }
            ((int32 *)o)[r] = y;
        });
        return;
    }
    if ((f == TYPE_TIMESTAMP || f == TYPE_TIMESTAMPTZ) && t == TYPE_TIME) {
        LIVE_LOOP(b, {
            int64 x = ((const int64 *)d)[r];
            if (x == TIMESTAMP_NOBEGIN || x == TIMESTAMP_NOEND)
                ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                        errmsg("timestamp out of range"));
            if (f == TYPE_TIMESTAMPTZ)
                x = timezone_utc_to_local(tz, x);
            int64 m = x % USECS_PER_DAY;
            ((int64 *)o)[r] = m < 0 ? m + USECS_PER_DAY : m;
        });
        return;
    }
    if (f == TYPE_TIME && t == TYPE_INTERVAL) {
        LIVE_LOOP(b, {
            Interval iv = {((const int64 *)d)[r], 0, 0};
            ((Interval *)o)[r] = iv;
        });
        return;
    }
    if (f == TYPE_INTERVAL && t == TYPE_TIME) {
        LIVE_LOOP(b, {
            int64 m = ((const Interval *)d)[r].micros % USECS_PER_DAY;
            ((int64 *)o)[r] = m < 0 ? m + USECS_PER_DAY : m;
        });
        return;
    }
    elog(ERROR, "unsupported temporal cast %d -> %d", (int)f, (int)t);
}

static void cast_array(ExecContext *ctx, const Vector *in, const Batch *b, Vector *out, Arena *a,
                       int location, bool explicit_cast)
{
    const Vector *ic = &in->children[0];
    int n = in->child_count;
    vector_reserve_children(out, a, n > 0 ? n : 1);
    if (n > 0) {
        Batch eb = {0};
        eb.count = n;
        cast_vector_ext(ctx, ic, &eb, &out->children[0], location, explicit_cast);
    }
    out->child_count = n;
    LIVE_LOOP(b, ((ListEntry *)out->data)[r] = ((const ListEntry *)in->data)[r]);
}

/*
 * Narrows b to the live rows where `in` is not NULL, marking the NULL ones in out.
 * Returns b itself when nothing is NULL.
 */
static const Batch *narrow_valid(const Vector *in, const Batch *b, Vector *out, Batch *tmp,
                                 Arena *a)
{
    if (in->validity == NULL) {
        if (out->validity)
            LIVE_LOOP(b, vector_set_valid(out, r));
        return b;
    }
    int n = batch_live_count(b);
    uint16 *sel = arena_alloc(a, sizeof(uint16) * (size_t)(n > 0 ? n : 1));
    int k = 0;
    if (b->count > 65536) /* array elements of a whole batch: selections are 16-bit */
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("cannot cast more than 65536 array elements containing NULLs in one batch"));
    LIVE_LOOP(b, {
        if (vector_is_valid(in, r)) {
            sel[k++] = (uint16)r;
            vector_set_valid(out, r);
        } else
            vector_set_null(out, r);
    });
    *tmp = *b;
    tmp->sel = sel;
    tmp->nsel = k;
    return tmp;
}

static void cast_dispatch(ExecContext *ctx, const Vector *in, const Batch *b, Vector *out,
                          Arena *a, int location, bool explicit_cast)
{
    const LmType *from = in->type, *to = out->type;
    TypeId f = from->id, t = to->id;
    const void *d = in->data;
    void *o = out->data;

    if (t == TYPE_STRING || (t == TYPE_UNKNOWN)) {
        cast_to_text(in, b, out, a, explicit_cast);
        return;
    }
    if (f == TYPE_STRING || f == TYPE_UNKNOWN) {
        cast_from_text(in, b, out, a);
        return;
    }
    int rf = numeric_rank(f) || f == TYPE_OID || f == TYPE_BOOL;
    int rt = numeric_rank(t) || t == TYPE_OID || t == TYPE_BOOL;
    if (rf && rt) {
        if (f == t && f != TYPE_DECIMAL) {
            size_t sz = type_physical_size(from);
            LIVE_LOOP(b, memcpy((char *)o + (size_t)r * sz, (const char *)d + (size_t)r * sz, sz));
            return;
        }
        if (f == TYPE_OID && t == TYPE_INT32) {
            /* int4(oid) reinterprets the bits, as PostgreSQL does: 4294967295::oid::int4 = -1 */
            LIVE_LOOP(b, ((int32 *)o)[r] = (int32)((const uint32 *)d)[r]);
            return;
        }
        int cnt = b->count > 0 ? b->count : 1;
        int64 *i64 = arena_alloc(a, sizeof(int64) * (size_t)cnt);
        double *f64 = arena_alloc(a, sizeof(double) * (size_t)cnt);
        int128 *dec = f == TYPE_DECIMAL ? arena_alloc(a, sizeof(int128) * (size_t)cnt) : NULL;
        Inter k = load_numeric(in, b, i64, f64, dec);
        if (k == INT_F64 && f == TYPE_FLOAT32 && t == TYPE_DECIMAL) {
            /* float4 -> numeric uses float4's 6 significant digits */
            LIVE_LOOP(b, {
                char buf[48];
                int len = snprintf(buf, sizeof buf, "%.*g", FLT_DIG, f64[r]);
                if (isnan(f64[r]) || isinf(f64[r]))
                    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("cannot convert %s to numeric", isnan(f64[r]) ? "NaN" : "infinity"));
                ((int128 *)o)[r] = decimal_parse(buf, (size_t)len, to->precision, to->scale);
            });
            return;
        }
        store_numeric(k, i64, f64, dec, from->scale, b, out);
        return;
    }
    if (f == t) {
        switch (f) {
        case TYPE_ARRAY: cast_array(ctx, in, b, out, a, location, explicit_cast); return;
        case TYPE_MAP:
        case TYPE_STRUCT:
            LIVE_LOOP(b, vector_copy_value(out, a, r, in, r));
            return;
        default: {
            size_t sz = type_physical_size(from);
            LIVE_LOOP(b, memcpy((char *)o + (size_t)r * sz, (const char *)d + (size_t)r * sz, sz));
            return;
        }
        }
    }
    if (type_is_temporal(from) && type_is_temporal(to)) {
        cast_temporal(in, b, out);
        return;
    }
    if (t == TYPE_JSON) {
        StrBuf sb;
        strbuf_init(&sb, a);
        LIVE_LOOP(b, {
            strbuf_reset(&sb);
            value_format_json(in, r, &sb);
            vector_set_str(out, a, r, sb.data, sb.len);
        });
        return;
    }
    if (f == TYPE_JSON) {
        const StrView *s = d;
        if (t == TYPE_MAP || t == TYPE_STRUCT || t == TYPE_ARRAY)
            LIVE_LOOP(b, value_parse_json(out, a, r, s[r].ptr, s[r].len));
        else
            LIVE_LOOP(b, {
                if (s[r].len > 0 && (s[r].ptr[0] == '"' || s[r].ptr[0] == '{' || s[r].ptr[0] == '['))
                    ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("cannot cast json %s to type %s",
                                   s[r].ptr[0] == '"' ? "string" : s[r].ptr[0] == '{' ? "object" : "array",
                                   pg_type_label(a, to)));
                value_parse_text(out, a, r, s[r].ptr, s[r].len);
            });
        return;
    }
    ereport(ERROR, errcode(ERRCODE_CANNOT_COERCE),
            errmsg("cannot cast type %s to %s", pg_type_label(a, from), pg_type_label(a, to)),
            errposition(location + 1));
}

/* Runs the cast; input errors point at the value being cast, as PostgreSQL does for literals. */
static void cast_with_position(ExecContext *ctx, const Vector *in, const Batch *vb, Vector *out,
                               Arena *a, int location, bool explicit_cast)
{
    LM_TRY();
    {
        cast_dispatch(ctx, in, vb, out, a, location, explicit_cast);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        if (e->position == 0)
            e->position = location + 1;
        error_rethrow();
    }
    LM_END_TRY();
}

void cast_vector_ext(ExecContext *ctx, const Vector *in, const Batch *b, Vector *out, int location,
                     bool explicit_cast)
{
    Arena *a = out->arena ? out->arena : ctx->arena;
    Batch tmp;
    const Batch *vb = narrow_valid(in, b, out, &tmp, a);
    if (batch_live_count(vb) == 0)
        return;
    if (location < 0)
        cast_dispatch(ctx, in, vb, out, a, location, explicit_cast);
    else
        cast_with_position(ctx, in, vb, out, a, location, explicit_cast);
}

void cast_vector(ExecContext *ctx, const Vector *in, const Batch *b, Vector *out, int location)
{
    cast_vector_ext(ctx, in, b, out, location, false);
}
