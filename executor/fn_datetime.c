/*
 * fn_datetime.c: PostgreSQL's date/time functions as vectorized kernels:
 * now() and friends, date_trunc, date_part/extract, to_timestamp, to_char
 * (timestamps, intervals and numbers), to_date, make_date/make_timestamp/
 * make_interval, age, date_bin, justify_*, isfinite, and time zone
 * conversion (timezone() / AT TIME ZONE).
 *
 * Values are UTC microseconds (types.h) and the session time zone is UTC
 * (datetime.h), so timestamptz and timestamp share the calendar code.  Time
 * zones for AT TIME ZONE: UTC/GMT/Z, fixed offsets written as PostgreSQL
 * reads POSIX zone specs ('+05:30' and 'UTC+3' are WEST of Greenwich),
 * intervals (ISO sign), abbreviations (EST, CET) and IANA names
 * (Europe/Paris) from the system tz database (fn_tz.c).
 *
 * extract() returns numeric whose scale depends on the field (FuncDesc
 * resolve_ret_const); kernels scale to out->type->scale.  to_char
 * implements PostgreSQL's common template patterns (formatting.c): FM and
 * TH modifiers, quoted literals, YYYY..Y, MM, DD, DDD, D, ID, HH/HH12/HH24,
 * MI, SS, MS, US, FF1-6, SSSS, AM/PM (and a.m. forms), Month/Mon/Day/Dy in
 * three cases, IW, IYYY, WW, W, Q, CC, J, RM, TZ, OF, TZH, TZM; for numbers
 * 9 0 . , D G S MI PL SG PR and FM.
 */
#include "executor/fn_util.h"
#include "common/datetime.h"
#include "common/numeric.h"

#include <inttypes.h>
#include <math.h>

#define JULIAN_EPOCH_OFFSET 2440588 /* Julian day number of 1970-01-01 */

/* ---------- broken-down values ---------- */

typedef struct Tm {
    int64 year; /* astronomical */
    int mon, mday, hour, min, sec, usec;
    int wday; /* 0 = Sunday */
    int yday; /* 1-based */
    int64 days; /* since 1970-01-01 */
    int64 tod;  /* microseconds since midnight */
    bool interval;
    int64 ihours; /* intervals: hours may exceed 23 */
} Tm;

static void ts_to_tm(int64 ts, Tm *tm)
{
    int64 days = ts / USECS_PER_DAY, tod = ts % USECS_PER_DAY;
    if (tod < 0) {
        tod += USECS_PER_DAY;
        days--;
    }
    memset(tm, 0, sizeof(*tm));
    date_to_ymd(days, &tm->year, &tm->mon, &tm->mday);
    tm->hour = (int)(tod / USECS_PER_HOUR);
    tm->min = (int)(tod / USECS_PER_MINUTE % 60);
    tm->sec = (int)(tod / USECS_PER_SEC % 60);
    tm->usec = (int)(tod % USECS_PER_SEC);
    tm->wday = (int)(((days + 4) % 7 + 7) % 7);
    tm->yday = (int)(days - date_from_ymd(tm->year, 1, 1)) + 1;
    tm->days = days;
    tm->tod = tod;
    tm->ihours = tm->hour;
}

static void iv_to_tm(const Interval *iv, Tm *tm)
{
    memset(tm, 0, sizeof(*tm));
    tm->interval = true;
    tm->year = iv->months / 12;
    tm->mon = iv->months % 12;
    tm->mday = iv->days;
    int64 t = iv->micros;
    tm->ihours = t / USECS_PER_HOUR;
    t -= tm->ihours * USECS_PER_HOUR;
    tm->hour = (int)tm->ihours;
    tm->min = (int)(t / USECS_PER_MINUTE);
    t -= (int64)tm->min * USECS_PER_MINUTE;
    tm->sec = (int)(t / USECS_PER_SEC);
    tm->usec = (int)(t - (int64)tm->sec * USECS_PER_SEC);
}

/* ISO 8601 year and week of a day number. */
static void iso_week(int64 days, int64 *iso_year, int *week)
{
    int wd = (int)(((days + 3) % 7 + 7) % 7); /* Monday = 0 */
    int64 thu = days - wd + 3;
    int64 y;
    int m, d;
    date_to_ymd(thu, &y, &m, &d);
    *iso_year = y;
    *week = (int)((thu - date_from_ymd(y, 1, 1)) / 7) + 1;
}

static inline bool ts_finite(int64 ts)
{
    return ts != TIMESTAMP_NOBEGIN && ts != TIMESTAMP_NOEND;
}

/* ---------- units ---------- */

typedef enum Unit {
    U_NONE = 0,
    U_MICROSECONDS,
    U_MILLISECONDS,
    U_SECOND,
    U_MINUTE,
    U_HOUR,
    U_DAY,
    U_WEEK,
    U_MONTH,
    U_QUARTER,
    U_YEAR,
    U_DECADE,
    U_CENTURY,
    U_MILLENNIUM,
    U_DOW,
    U_ISODOW,
    U_DOY,
    U_ISOYEAR,
    U_EPOCH,
    U_JULIAN,
    U_TIMEZONE,
    U_TIMEZONE_HOUR,
    U_TIMEZONE_MINUTE,
} Unit;

static const struct {
    const char *name;
    Unit unit;
} unit_names[] = {
    {"microsecond", U_MICROSECONDS}, {"microseconds", U_MICROSECONDS}, {"us", U_MICROSECONDS},
    {"usec", U_MICROSECONDS},        {"usecs", U_MICROSECONDS},        {"useconds", U_MICROSECONDS},
    {"millisecond", U_MILLISECONDS}, {"milliseconds", U_MILLISECONDS}, {"ms", U_MILLISECONDS},
    {"msec", U_MILLISECONDS},        {"msecs", U_MILLISECONDS},        {"mseconds", U_MILLISECONDS},
    {"second", U_SECOND},            {"seconds", U_SECOND},            {"s", U_SECOND},
    {"sec", U_SECOND},               {"secs", U_SECOND},               {"minute", U_MINUTE},
    {"minutes", U_MINUTE},           {"m", U_MINUTE},                  {"min", U_MINUTE},
    {"mins", U_MINUTE},              {"hour", U_HOUR},                 {"hours", U_HOUR},
    {"h", U_HOUR},                   {"hr", U_HOUR},                   {"hrs", U_HOUR},
    {"day", U_DAY},                  {"days", U_DAY},                  {"d", U_DAY},
    {"week", U_WEEK},                {"weeks", U_WEEK},                {"w", U_WEEK},
    {"month", U_MONTH},              {"months", U_MONTH},              {"mon", U_MONTH},
    {"mons", U_MONTH},               {"quarter", U_QUARTER},           {"qtr", U_QUARTER},
    {"year", U_YEAR},                {"years", U_YEAR},                {"y", U_YEAR},
    {"yr", U_YEAR},                  {"yrs", U_YEAR},                  {"decade", U_DECADE},
    {"decades", U_DECADE},           {"dec", U_DECADE},                {"decs", U_DECADE},
    {"century", U_CENTURY},          {"centuries", U_CENTURY},         {"c", U_CENTURY},
    {"cent", U_CENTURY},             {"millennium", U_MILLENNIUM},     {"millennia", U_MILLENNIUM},
    {"mil", U_MILLENNIUM},           {"mils", U_MILLENNIUM},           {"millenniums", U_MILLENNIUM},
    {"dow", U_DOW},                  {"isodow", U_ISODOW},             {"doy", U_DOY},
    {"isoyear", U_ISOYEAR},          {"epoch", U_EPOCH},               {"julian", U_JULIAN},
    {"j", U_JULIAN},                 {"timezone", U_TIMEZONE},         {"timezone_h", U_TIMEZONE_HOUR},
    {"timezone_hour", U_TIMEZONE_HOUR}, {"timezone_m", U_TIMEZONE_MINUTE},
    {"timezone_minute", U_TIMEZONE_MINUTE},
};

static Unit unit_lookup(const char *s, size_t len)
{
    char buf[32];
    if (len >= sizeof(buf))
        return U_NONE;
    for (size_t k = 0; k < len; k++)
        buf[k] = (s[k] >= 'A' && s[k] <= 'Z') ? (char)(s[k] + 32) : s[k];
    buf[len] = '\0';
    for (size_t k = 0; k < sizeof(unit_names) / sizeof(unit_names[0]); k++)
        if (strcmp(unit_names[k].name, buf) == 0)
            return unit_names[k].unit;
    return U_NONE;
}

static const char *type_label(TypeId t)
{
    switch (t) {
    case TYPE_TIMESTAMP: return "timestamp without time zone";
    case TYPE_TIMESTAMPTZ: return "timestamp with time zone";
    case TYPE_DATE: return "date";
    case TYPE_INTERVAL: return "interval";
    case TYPE_TIME: return "time without time zone";
    default: return "value";
    }
}

static LM_NORETURN void unit_error(FuncCall *fc, const StrView *u, TypeId t, bool known)
{
    char low[64];
    size_t n = u->len < sizeof(low) - 1 ? u->len : sizeof(low) - 1;
    for (size_t k = 0; k < n; k++)
        low[k] = (u->ptr[k] >= 'A' && u->ptr[k] <= 'Z') ? (char)(u->ptr[k] + 32) : u->ptr[k];
    low[n] = '\0';
    ereport(ERROR, errcode(known ? ERRCODE_FEATURE_NOT_SUPPORTED : ERRCODE_INVALID_PARAMETER_VALUE),
            errmsg(known ? "unit \"%s\" not supported for type %s"
                         : "unit \"%s\" not recognized for type %s",
                   low, type_label(t)),
            errposition(fn_errpos(fc)));
}

/* ---------- current time ---------- */

static void const_ts_rows(const Batch *b, Vector *out, int64 v)
{
    FN_FOREACH(b, i, r)
    {
        FN_I64(out)[r] = v;
        vector_set_valid(out, r);
    }
}
static void fn_now(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const_ts_rows(b, out, fc->ctx->transaction_timestamp);
}
static void fn_statement_timestamp(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const_ts_rows(b, out, fc->ctx->statement_timestamp);
}
static void fn_clock_timestamp(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        FN_I64(out)[r] = datetime_now_micros();
        vector_set_valid(out, r);
    }
}
static void fn_current_date(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    int64 ts = fc->ctx->transaction_timestamp;
    int64 days = ts / USECS_PER_DAY - (ts % USECS_PER_DAY < 0);
    FN_FOREACH(b, i, r)
    {
        FN_I32(out)[r] = (int32)days;
        vector_set_valid(out, r);
    }
}
static void fn_localtime(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    int64 ts = fc->ctx->transaction_timestamp;
    int64 tod = ts % USECS_PER_DAY;
    if (tod < 0)
        tod += USECS_PER_DAY;
    const_ts_rows(b, out, tod);
}

/* ---------- date_trunc ---------- */

static int64 trunc_ts(FuncCall *fc, const StrView *u, Unit unit, int64 ts, TypeId t)
{
    if (!ts_finite(ts))
        return ts;
    Tm tm;
    ts_to_tm(ts, &tm);
    int64 y = tm.year;
    int mon = tm.mon, mday = tm.mday;
    int64 tod = tm.tod;
    switch (unit) {
    case U_MILLENNIUM:
        y = y > 0 ? ((y + 999) / 1000) * 1000 - 999 : -((999 - (y - 1)) / 1000) * 1000 + 1;
        mon = 1, mday = 1, tod = 0;
        break;
    case U_CENTURY:
        y = y > 0 ? ((y + 99) / 100) * 100 - 99 : -((99 - (y - 1)) / 100) * 100 + 1;
        mon = 1, mday = 1, tod = 0;
        break;
    case U_DECADE:
        y = y > 0 ? (y / 10) * 10 : -((8 - (y - 1)) / 10) * 10;
        mon = 1, mday = 1, tod = 0;
        break;
    case U_YEAR: mon = 1, mday = 1, tod = 0; break;
    case U_QUARTER: mon = (3 * ((mon - 1) / 3)) + 1, mday = 1, tod = 0; break;
    case U_MONTH: mday = 1, tod = 0; break;
    case U_WEEK: {
        int wd = (tm.wday + 6) % 7;
        return (tm.days - wd) * USECS_PER_DAY;
    }
    case U_DAY: tod = 0; break;
    case U_HOUR: tod -= tod % USECS_PER_HOUR; break;
    case U_MINUTE: tod -= tod % USECS_PER_MINUTE; break;
    case U_SECOND: tod -= tod % USECS_PER_SEC; break;
    case U_MILLISECONDS: tod -= tod % 1000; break;
    case U_MICROSECONDS: break;
    case U_NONE: unit_error(fc, u, t, false);
    default: unit_error(fc, u, t, true);
    }
    return date_from_ymd(y, mon, mday) * USECS_PER_DAY + tod;
}

static void fn_date_trunc_ts(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *u = FN_SV(args[0]);
    const int64 *ts = FN_I64(args[1]);
    TypeId t = args[1]->type->id;
    Unit last = U_NONE;
    const char *lastp = NULL;
    uint32 lastl = 0;
    FN_FOREACH(b, i, r)
    {
        if (lastp == NULL || lastl != u[r].len || memcmp(lastp, u[r].ptr, lastl) != 0) {
            last = unit_lookup(u[r].ptr, u[r].len);
            lastp = u[r].ptr;
            lastl = u[r].len;
        }
        FN_I64(out)[r] = trunc_ts(fc, &u[r], last, ts[r], t);
        vector_set_valid(out, r);
    }
}

static void fn_date_trunc_iv(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *u = FN_SV(args[0]);
    const Interval *iv = FN_IV(args[1]);
    FN_FOREACH(b, i, r)
    {
        Unit unit = unit_lookup(u[r].ptr, u[r].len);
        Interval x = iv[r];
        int64 years = x.months / 12;
        int32 mons = x.months % 12;
        switch (unit) {
        case U_MILLENNIUM: x.months = (int32)((years / 1000) * 1000 * 12); x.days = 0; x.micros = 0; break;
        case U_CENTURY: x.months = (int32)((years / 100) * 100 * 12); x.days = 0; x.micros = 0; break;
        case U_DECADE: x.months = (int32)((years / 10) * 10 * 12); x.days = 0; x.micros = 0; break;
        case U_YEAR: x.months = (int32)(years * 12); x.days = 0; x.micros = 0; break;
        case U_QUARTER: x.months = (int32)(years * 12 + 3 * (mons / 3)); x.days = 0; x.micros = 0; break;
        case U_MONTH: x.days = 0; x.micros = 0; break;
        case U_DAY: x.micros = 0; break;
        case U_HOUR: x.micros -= x.micros % USECS_PER_HOUR; break;
        case U_MINUTE: x.micros -= x.micros % USECS_PER_MINUTE; break;
        case U_SECOND: x.micros -= x.micros % USECS_PER_SEC; break;
        case U_MILLISECONDS: x.micros -= x.micros % 1000; break;
        case U_MICROSECONDS: break;
        case U_WEEK:
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("unit \"%s\" not supported for type interval", "week"),
                    errdetail("Months usually have fractional weeks."), errposition(fn_errpos(fc)));
        case U_NONE: unit_error(fc, &u[r], TYPE_INTERVAL, false);
        default: unit_error(fc, &u[r], TYPE_INTERVAL, true);
        }
        FN_IV(out)[r] = x;
        vector_set_valid(out, r);
    }
}

/* ---------- date_part / extract ---------- */

/*
 * A field value as an exact fixed-point number: value = num / 10^scale.
 * Returns false when the field does not apply (error raised by the caller).
 */
typedef struct FieldVal {
    int128 num;
    int scale;
} FieldVal;

static int64 floordiv(int64 a, int64 b)
{
    int64 q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static bool field_of_ts(Unit unit, int64 ts, bool is_date, FieldVal *fv)
{
    Tm tm;
    ts_to_tm(ts, &tm);
    int64 y = tm.year > 0 ? tm.year : tm.year - 1; /* PostgreSQL's year numbering: no year 0 */
    fv->scale = 0;
    switch (unit) {
    case U_MICROSECONDS:
        if (is_date)
            return false;
        fv->num = (int128)tm.sec * 1000000 + tm.usec;
        break;
    case U_MILLISECONDS:
        if (is_date)
            return false;
        fv->num = (int128)tm.sec * 1000000 + tm.usec, fv->scale = 3;
        break;
    case U_SECOND:
        if (is_date)
            return false;
        fv->num = (int128)tm.sec * 1000000 + tm.usec, fv->scale = 6;
        break;
    case U_MINUTE:
        if (is_date)
            return false;
        fv->num = tm.min;
        break;
    case U_HOUR:
        if (is_date)
            return false;
        fv->num = tm.hour;
        break;
    case U_DAY: fv->num = tm.mday; break;
    case U_MONTH: fv->num = tm.mon; break;
    case U_QUARTER: fv->num = (tm.mon - 1) / 3 + 1; break;
    case U_WEEK: {
        int64 iy;
        int w;
        iso_week(tm.days, &iy, &w);
        fv->num = w;
        break;
    }
    case U_YEAR: fv->num = y; break;
    case U_DECADE: fv->num = floordiv(tm.year, 10); break;
    case U_CENTURY: fv->num = y > 0 ? (y + 99) / 100 : -((99 - (y + 1)) / 100); break;
    case U_MILLENNIUM: fv->num = y > 0 ? (y + 999) / 1000 : -((999 - (y + 1)) / 1000); break;
    case U_DOW: fv->num = tm.wday; break;
    case U_ISODOW: fv->num = tm.wday == 0 ? 7 : tm.wday; break;
    case U_DOY: fv->num = tm.yday; break;
    case U_ISOYEAR: {
        int64 iy;
        int w;
        iso_week(tm.days, &iy, &w);
        fv->num = iy > 0 ? iy : iy - 1;
        break;
    }
    case U_EPOCH:
        if (is_date)
            fv->num = (int128)tm.days * 86400;
        else
            fv->num = ts, fv->scale = 6;
        break;
    case U_JULIAN:
        if (is_date)
            fv->num = tm.days + JULIAN_EPOCH_OFFSET;
        else {
            /* day number plus the fraction of the day, 20 digits as PostgreSQL prints it */
            int128 p20 = decimal_pow10[20];
            fv->num = (int128)(tm.days + JULIAN_EPOCH_OFFSET) * p20 +
                      ((int128)tm.tod * p20 + USECS_PER_DAY / 2) / USECS_PER_DAY;
            fv->scale = 20;
        }
        break;
    case U_TIMEZONE:
    case U_TIMEZONE_HOUR:
    case U_TIMEZONE_MINUTE: fv->num = 0; break;
    default: return false;
    }
    return true;
}

static bool field_of_iv(Unit unit, const Interval *iv, FieldVal *fv)
{
    Tm tm;
    iv_to_tm(iv, &tm);
    fv->scale = 0;
    switch (unit) {
    case U_MICROSECONDS: fv->num = (int128)tm.sec * 1000000 + tm.usec; break;
    case U_MILLISECONDS: fv->num = (int128)tm.sec * 1000000 + tm.usec, fv->scale = 3; break;
    case U_SECOND: fv->num = (int128)tm.sec * 1000000 + tm.usec, fv->scale = 6; break;
    case U_MINUTE: fv->num = tm.min; break;
    case U_HOUR: fv->num = tm.ihours; break;
    case U_DAY: fv->num = tm.mday; break;
    case U_MONTH: fv->num = tm.mon; break;
    case U_QUARTER: fv->num = tm.mon / 3 + 1; break;
    case U_YEAR: fv->num = tm.year; break;
    case U_DECADE: fv->num = tm.year / 10; break;
    case U_CENTURY: fv->num = tm.year / 100; break;
    case U_MILLENNIUM: fv->num = tm.year / 1000; break;
    case U_EPOCH: {
        /* PostgreSQL: 365.25 days per year, 30 per month; computed in microseconds */
        int128 secs_us = (int128)(iv->months / 12) * 36525 * 864 * 1000000 +
                         (int128)(iv->months % 12) * 30 * 86400 * 1000000 +
                         (int128)iv->days * 86400 * 1000000 + iv->micros;
        fv->num = secs_us, fv->scale = 6;
        break;
    }
    default: return false;
    }
    return true;
}

static double fieldval_double(const FieldVal *fv)
{
    return (double)fv->num / (double)decimal_pow10[fv->scale];
}

static int128 fieldval_scaled(const FieldVal *fv, int scale)
{
    if (scale >= fv->scale)
        return fv->num * decimal_pow10[scale - fv->scale];
    int128 d = decimal_pow10[fv->scale - scale];
    int128 q = fv->num / d, rem = fv->num % d;
    if (rem * 2 >= d)
        q++;
    else if (rem * 2 <= -d)
        q--;
    return q;
}

/* date_part(text, x) -> float8 and extract(text, x) -> numeric over TIMESTAMP[TZ], DATE, INTERVAL. */
static void part_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool numeric)
{
    const StrView *u = FN_SV(args[0]);
    TypeId t = args[1]->type->id;
    FN_FOREACH(b, i, r)
    {
        Unit unit = unit_lookup(u[r].ptr, u[r].len);
        if (unit == U_NONE)
            unit_error(fc, &u[r], t, false);
        FieldVal fv;
        bool ok;
        bool infinite = false;
        if (t == TYPE_INTERVAL)
            ok = field_of_iv(unit, &FN_IV(args[1])[r], &fv);
        else {
            int64 ts;
            if (t == TYPE_DATE) {
                int32 d = FN_I32(args[1])[r];
                ts = d == DATE_NOBEGIN ? TIMESTAMP_NOBEGIN : d == DATE_NOEND ? TIMESTAMP_NOEND
                                                                             : (int64)d * USECS_PER_DAY;
            } else
                ts = FN_I64(args[1])[r];
            infinite = !ts_finite(ts);
            ok = field_of_ts(unit, infinite ? 0 : ts, t == TYPE_DATE && numeric, &fv);
            if (ok && (unit == U_TIMEZONE || unit == U_TIMEZONE_HOUR || unit == U_TIMEZONE_MINUTE) &&
                t != TYPE_TIMESTAMPTZ)
                ok = false;
        }
        if (!ok)
            unit_error(fc, &u[r], t, true);
        if (infinite) {
            /* PostgreSQL: +/-Infinity for monotonic fields, NULL for the others */
            bool mono = unit == U_YEAR || unit == U_DECADE || unit == U_CENTURY ||
                        unit == U_MILLENNIUM || unit == U_EPOCH || unit == U_JULIAN ||
                        unit == U_ISOYEAR;
            int64 ts = t == TYPE_DATE ? (FN_I32(args[1])[r] == DATE_NOBEGIN ? -1 : 1)
                                      : (FN_I64(args[1])[r] == TIMESTAMP_NOBEGIN ? -1 : 1);
            if (!mono || numeric) /* numeric has no infinity in DECIMAL */
                vector_set_null(out, r);
            else {
                FN_F64(out)[r] = ts < 0 ? -INFINITY : INFINITY;
                vector_set_valid(out, r);
            }
            continue;
        }
        if (numeric)
            FN_I128(out)[r] = fieldval_scaled(&fv, out->type->scale);
        else
            FN_F64(out)[r] = fieldval_double(&fv);
        vector_set_valid(out, r);
    }
}
static void fn_date_part(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    part_rows(fc, args, b, out, false);
}
static void fn_extract(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    part_rows(fc, args, b, out, true);
}

static const LmType *ret_extract(Arena *a, int nargs, const LmType **t)
{
    return type_decimal(a, DECIMAL_MAX_PRECISION, 6);
}

static const LmType *ret_extract_const(Arena *a, int nargs, const LmType **t, Vector *const *cargs)
{
    if (!cargs[0] || !vector_is_valid(cargs[0], 0))
        return NULL;
    const StrView *u = &FN_SV(cargs[0])[0];
    Unit unit = unit_lookup(u->ptr, u->len);
    int scale = 0;
    bool is_date = t[1]->id == TYPE_DATE;
    switch (unit) {
    case U_EPOCH: scale = is_date ? 0 : 6; break;
    case U_SECOND: scale = 6; break;
    case U_MILLISECONDS: scale = 3; break;
    case U_JULIAN: scale = is_date ? 0 : 20; break;
    default: scale = 0; break;
    }
    return type_decimal(a, DECIMAL_MAX_PRECISION, scale);
}

/* ---------- conversions ---------- */

static void fn_to_timestamp_f8(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const double *x = FN_F64(args[0]);
    FN_FOREACH(b, i, r)
    {
        double v = x[r];
        int64 ts;
        if (isnan(v))
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                    errmsg("timestamp cannot be NaN"), errposition(fn_errpos(fc)));
        if (isinf(v))
            ts = v < 0 ? TIMESTAMP_NOBEGIN : TIMESTAMP_NOEND;
        else {
            /* PostgreSQL's range: 4714-11-24 BC .. 294277 AD */
            if (v < -210866803200.0 || v >= 9224318016000.0)
                ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                        errmsg("timestamp out of range: \"%g\"", v), errposition(fn_errpos(fc)));
            ts = (int64)rint(v * 1000000.0);
        }
        FN_I64(out)[r] = ts;
        vector_set_valid(out, r);
    }
}

/* ---------- to_char ---------- */

static const char *const month_names[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};
static const char *const day_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};
static const char *const roman_months[] = {"I", "II", "III", "IV", "V",  "VI",
                                           "VII", "VIII", "IX", "X", "XI", "XII"};

typedef enum Dch {
    DCH_NONE = 0, DCH_AM_DOTS, DCH_PM_DOTS, DCH_AM, DCH_PM, DCH_am_dots, DCH_pm_dots, DCH_am,
    DCH_pm, DCH_CC, DCH_DAY, DCH_Day, DCH_day, DCH_DDD, DCH_DD, DCH_DY, DCH_Dy, DCH_dy, DCH_D,
    DCH_FF1, DCH_FF2, DCH_FF3, DCH_FF4, DCH_FF5, DCH_FF6, DCH_HH24, DCH_HH12, DCH_HH, DCH_IDDD,
    DCH_ID, DCH_IW, DCH_IYYY, DCH_IYY, DCH_IY, DCH_I, DCH_J, DCH_MI, DCH_MM, DCH_MONTH, DCH_Month,
    DCH_month, DCH_MON, DCH_Mon, DCH_mon, DCH_MS, DCH_OF, DCH_Q, DCH_RM, DCH_rm, DCH_SSSSS,
    DCH_SSSS, DCH_SS, DCH_TZH, DCH_TZM, DCH_TZ, DCH_tz, DCH_US, DCH_WW, DCH_W, DCH_Y_YYY,
    DCH_YYYY, DCH_YYY, DCH_YY, DCH_Y, DCH_BC_DOTS, DCH_BC, DCH_AD_DOTS, DCH_AD,
} Dch;

/* Longest first where one keyword is a prefix of another (PostgreSQL's table order). */
static const struct {
    const char *kw;
    Dch id;
    bool ci; /* case-insensitive match (numeric fields) */
} dch_keywords[] = {
    {"A.M.", DCH_AM_DOTS, false}, {"P.M.", DCH_PM_DOTS, false}, {"a.m.", DCH_am_dots, false},
    {"p.m.", DCH_pm_dots, false}, {"AM", DCH_AM, false},        {"PM", DCH_PM, false},
    {"am", DCH_am, false},        {"pm", DCH_pm, false},        {"A.D.", DCH_AD_DOTS, false},
    {"B.C.", DCH_BC_DOTS, false}, {"AD", DCH_AD, false},        {"BC", DCH_BC, false},
    {"CC", DCH_CC, true},         {"DAY", DCH_DAY, false},      {"Day", DCH_Day, false},
    {"day", DCH_day, false},      {"DDD", DCH_DDD, true},       {"DD", DCH_DD, true},
    {"DY", DCH_DY, false},        {"Dy", DCH_Dy, false},        {"dy", DCH_dy, false},
    {"D", DCH_D, true},           {"FF1", DCH_FF1, true},       {"FF2", DCH_FF2, true},
    {"FF3", DCH_FF3, true},       {"FF4", DCH_FF4, true},       {"FF5", DCH_FF5, true},
    {"FF6", DCH_FF6, true},       {"HH24", DCH_HH24, true},     {"HH12", DCH_HH12, true},
    {"HH", DCH_HH, true},         {"IDDD", DCH_IDDD, true},     {"ID", DCH_ID, true},
    {"IW", DCH_IW, true},         {"IYYY", DCH_IYYY, true},     {"IYY", DCH_IYY, true},
    {"IY", DCH_IY, true},         {"I", DCH_I, true},           {"J", DCH_J, true},
    {"MI", DCH_MI, true},         {"MM", DCH_MM, true},         {"MONTH", DCH_MONTH, false},
    {"Month", DCH_Month, false},  {"month", DCH_month, false},  {"MON", DCH_MON, false},
    {"Mon", DCH_Mon, false},      {"mon", DCH_mon, false},      {"MS", DCH_MS, true},
    {"OF", DCH_OF, false},        {"Q", DCH_Q, true},           {"RM", DCH_RM, false},
    {"rm", DCH_rm, false},        {"SSSSS", DCH_SSSSS, true},   {"SSSS", DCH_SSSS, true},
    {"SS", DCH_SS, true},         {"TZH", DCH_TZH, false},      {"TZM", DCH_TZM, false},
    {"TZ", DCH_TZ, false},        {"tz", DCH_tz, false},        {"US", DCH_US, true},
    {"WW", DCH_WW, true},         {"W", DCH_W, true},           {"Y,YYY", DCH_Y_YYY, true},
    {"YYYY", DCH_YYYY, true},     {"YYY", DCH_YYY, true},       {"YY", DCH_YY, true},
    {"Y", DCH_Y, true},
};

static Dch dch_match(const char *f, size_t len, size_t *kwlen)
{
    for (size_t k = 0; k < sizeof(dch_keywords) / sizeof(dch_keywords[0]); k++) {
        const char *kw = dch_keywords[k].kw;
        size_t l = strlen(kw);
        if (l > len)
            continue;
        bool eq = dch_keywords[k].ci ? strncasecmp(f, kw, l) == 0 : memcmp(f, kw, l) == 0;
        if (eq) {
            *kwlen = l;
            return dch_keywords[k].id;
        }
    }
    return DCH_NONE;
}

static const char *ordinal_suffix(int64 n, bool upper)
{
    int64 last2 = (n < 0 ? -n : n) % 100, last = last2 % 10;
    const char *s = (last2 >= 11 && last2 <= 13) ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
    if (!upper)
        return s;
    return s[0] == 's' ? "ST" : s[0] == 'n' ? "ND" : s[0] == 'r' ? "RD" : "TH";
}

static void put_num(StrBuf *sb, int64 v, int width, bool fm, int th)
{
    if (fm || width <= 0)
        strbuf_printf(sb, "%" PRId64, v);
    else if (v < 0)
        strbuf_printf(sb, "-%0*" PRId64, width, -v);
    else
        strbuf_printf(sb, "%0*" PRId64, width, v);
    if (th)
        strbuf_append_str(sb, ordinal_suffix(v, th == 2));
}

static void put_name(StrBuf *sb, const char *name, int casing, bool fm, int abbrev)
{
    char buf[16] = {0};
    size_t n = strlen(name);
    if (abbrev && n > 3)
        n = 3;
    for (size_t k = 0; k < n; k++) {
        char c = name[k];
        if (casing == 2 || (casing == 1 && k == 0))
            c = (char)((c >= 'a' && c <= 'z') ? c - 32 : c);
        else if (casing == 0 || casing == 1)
            c = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        buf[k] = c;
    }
    strbuf_append(sb, buf, n);
    if (!fm && !abbrev)
        for (size_t k = n; k < 9; k++)
            strbuf_append_char(sb, ' ');
}

/* Formats tm per PostgreSQL's to_char template (formatting.c DCH_to_char). */
static void dch_format(StrBuf *sb, const Tm *tm, const char *f, size_t len, bool with_tz)
{
    int64 disp_year = tm->year > 0 ? tm->year : 1 - tm->year; /* BC years count from 1 */
    if (tm->interval)
        disp_year = tm->year;
    for (size_t k = 0; k < len;) {
        bool fm = false;
        if (len - k >= 2 && (f[k] == 'F' || f[k] == 'f') && (f[k + 1] == 'M' || f[k + 1] == 'm')) {
            fm = true;
            k += 2;
            if (k >= len)
                break;
        }
        if (f[k] == '"') {
            for (k++; k < len && f[k] != '"'; k++) {
                if (f[k] == '\\' && k + 1 < len)
                    k++;
                strbuf_append_char(sb, f[k]);
            }
            k++;
            continue;
        }
        if (f[k] == '\\' && k + 1 < len && f[k + 1] == '"') {
            strbuf_append_char(sb, '"');
            k += 2;
            continue;
        }
        size_t kwl = 0;
        Dch d = dch_match(f + k, len - k, &kwl);
        if (d == DCH_NONE) {
            strbuf_append_char(sb, f[k]);
            k++;
            continue;
        }
        k += kwl;
        int th = 0;
        if (len - k >= 2 && f[k] == 't' && f[k + 1] == 'h')
            th = 1, k += 2;
        else if (len - k >= 2 && f[k] == 'T' && f[k + 1] == 'H')
            th = 2, k += 2;
        int hour12 = tm->hour % 12 == 0 ? 12 : tm->hour % 12;
        bool pm = tm->hour >= 12;
        switch (d) {
        case DCH_AM: case DCH_PM: strbuf_append_str(sb, pm ? "PM" : "AM"); break;
        case DCH_am: case DCH_pm: strbuf_append_str(sb, pm ? "pm" : "am"); break;
        case DCH_AM_DOTS: case DCH_PM_DOTS: strbuf_append_str(sb, pm ? "P.M." : "A.M."); break;
        case DCH_am_dots: case DCH_pm_dots: strbuf_append_str(sb, pm ? "p.m." : "a.m."); break;
        case DCH_AD: case DCH_BC: strbuf_append_str(sb, tm->year > 0 ? "AD" : "BC"); break;
        case DCH_AD_DOTS: case DCH_BC_DOTS: strbuf_append_str(sb, tm->year > 0 ? "A.D." : "B.C."); break;
        case DCH_HH24: put_num(sb, tm->interval ? tm->ihours : tm->hour, 2, fm, th); break;
        case DCH_HH12:
        case DCH_HH: put_num(sb, tm->interval ? tm->ihours % 12 : hour12, 2, fm, th); break;
        case DCH_MI: put_num(sb, tm->min, 2, fm, th); break;
        case DCH_SS: put_num(sb, tm->sec, 2, fm, th); break;
        case DCH_SSSS:
        case DCH_SSSSS: put_num(sb, (int64)tm->hour * 3600 + tm->min * 60 + tm->sec, 0, fm, th); break;
        case DCH_MS: put_num(sb, tm->usec / 1000, 3, fm, th); break;
        case DCH_US: put_num(sb, tm->usec, 6, fm, th); break;
        case DCH_FF1: case DCH_FF2: case DCH_FF3: case DCH_FF4: case DCH_FF5: case DCH_FF6: {
            int digits = (int)(d - DCH_FF1) + 1;
            int64 v = tm->usec;
            for (int q = digits; q < 6; q++)
                v /= 10;
            put_num(sb, v, digits, fm, th);
            break;
        }
        case DCH_Y_YYY:
            strbuf_printf(sb, "%" PRId64 ",%03" PRId64, disp_year / 1000, disp_year % 1000);
            break;
        case DCH_YYYY: put_num(sb, disp_year, 4, fm, th); break;
        case DCH_YYY: put_num(sb, disp_year % 1000, 3, fm, th); break;
        case DCH_YY: put_num(sb, disp_year % 100, 2, fm, th); break;
        case DCH_Y: put_num(sb, disp_year % 10, 1, fm, th); break;
        case DCH_IYYY: case DCH_IYY: case DCH_IY: case DCH_I: {
            int64 iy;
            int w;
            iso_week(tm->days, &iy, &w);
            int width = d == DCH_IYYY ? 4 : d == DCH_IYY ? 3 : d == DCH_IY ? 2 : 1;
            int64 mod = d == DCH_IYYY ? INT64_MAX : d == DCH_IYY ? 1000 : d == DCH_IY ? 100 : 10;
            put_num(sb, d == DCH_IYYY ? iy : iy % mod, width, fm, th);
            break;
        }
        case DCH_IW: {
            int64 iy;
            int w;
            iso_week(tm->days, &iy, &w);
            put_num(sb, w, 2, fm, th);
            break;
        }
        case DCH_ID: put_num(sb, tm->wday == 0 ? 7 : tm->wday, 1, fm, th); break;
        case DCH_IDDD: {
            int64 iy;
            int w;
            iso_week(tm->days, &iy, &w);
            put_num(sb, (int64)(w - 1) * 7 + (tm->wday == 0 ? 7 : tm->wday), 3, fm, th);
            break;
        }
        case DCH_MM: put_num(sb, tm->mon, 2, fm, th); break;
        case DCH_MONTH: case DCH_Month: case DCH_month:
        case DCH_MON: case DCH_Mon: case DCH_mon:
            if (tm->mon < 1 || tm->mon > 12)
                break;
            put_name(sb, month_names[tm->mon - 1],
                     (d == DCH_MONTH || d == DCH_MON) ? 2 : (d == DCH_Month || d == DCH_Mon) ? 1 : 0,
                     fm, d == DCH_MON || d == DCH_Mon || d == DCH_mon);
            break;
        case DCH_DAY: case DCH_Day: case DCH_day:
        case DCH_DY: case DCH_Dy: case DCH_dy:
            if (tm->interval)
                break;
            put_name(sb, day_names[tm->wday],
                     (d == DCH_DAY || d == DCH_DY) ? 2 : (d == DCH_Day || d == DCH_Dy) ? 1 : 0, fm,
                     d == DCH_DY || d == DCH_Dy || d == DCH_dy);
            break;
        case DCH_DDD: put_num(sb, tm->interval ? tm->mday : tm->yday, 3, fm, th); break;
        case DCH_DD: put_num(sb, tm->mday, 2, fm, th); break;
        case DCH_D: put_num(sb, tm->wday + 1, 1, fm, th); break;
        case DCH_WW: put_num(sb, (tm->yday - 1) / 7 + 1, 2, fm, th); break;
        case DCH_W: put_num(sb, (tm->mday - 1) / 7 + 1, 1, fm, th); break;
        case DCH_Q:
            if (!tm->interval || tm->mon)
                put_num(sb, (tm->mon - 1) / 3 + 1, 1, fm, th);
            break;
        case DCH_CC: {
            int64 cc = tm->interval ? tm->year / 100
                                    : (tm->year > 0 ? (tm->year + 99) / 100 : -((99 - (tm->year - 1)) / 100));
            put_num(sb, cc, 2, fm, th);
            break;
        }
        case DCH_J: put_num(sb, tm->days + JULIAN_EPOCH_OFFSET, 0, fm, th); break;
        case DCH_RM: case DCH_rm: {
            if (tm->mon < 1 || tm->mon > 12)
                break;
            const char *rm = roman_months[tm->mon - 1];
            char buf[8];
            size_t n = strlen(rm);
            for (size_t q = 0; q < n; q++)
                buf[q] = d == DCH_rm ? (char)(rm[q] + 32) : rm[q];
            strbuf_append(sb, buf, n);
            if (!fm)
                for (size_t q = n; q < 4; q++)
                    strbuf_append_char(sb, ' ');
            break;
        }
        case DCH_TZ: if (with_tz) strbuf_append_str(sb, "UTC"); break;
        case DCH_tz: if (with_tz) strbuf_append_str(sb, "utc"); break;
        case DCH_OF: if (with_tz) strbuf_append_str(sb, "+00"); break;
        case DCH_TZH: if (with_tz) strbuf_append_str(sb, "+00"); break;
        case DCH_TZM: if (with_tz) strbuf_append_str(sb, "00"); break;
        default: break;
        }
    }
}

static void fn_to_char_ts(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    const int64 *ts = FN_I64(args[0]);
    const StrView *f = FN_SV(args[1]);
    bool tz = args[0]->type->id == TYPE_TIMESTAMPTZ;
    FN_FOREACH(b, i, r)
    {
        if (!ts_finite(ts[r]) || f[r].len == 0) {
            vector_set_null(out, r); /* PostgreSQL: NULL for infinite input or empty template */
            continue;
        }
        Tm tm;
        ts_to_tm(ts[r], &tm);
        strbuf_reset(&sb);
        dch_format(&sb, &tm, f[r].ptr, f[r].len, tz);
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}

static void fn_to_char_iv(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    const Interval *iv = FN_IV(args[0]);
    const StrView *f = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        if (f[r].len == 0) {
            vector_set_null(out, r);
            continue;
        }
        Tm tm;
        iv_to_tm(&iv[r], &tm);
        strbuf_reset(&sb);
        dch_format(&sb, &tm, f[r].ptr, f[r].len, false);
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}

/*
 * Numeric templates (formatting.c NUM_processor, common subset): digits 9
 * (blank when leading) and 0, decimal point '.'/D, group ','/G, sign S, MI,
 * PL, SG, PR, FM.  Without an explicit sign a blank or '-' precedes the first
 * digit.  Too many digits print as '#'.
 */
static void num_format(StrBuf *sb, bool neg, const char *digits, int ndig_int, const char *frac,
                       const char *f, size_t flen)
{
    int int_slots = 0, frac_slots = 0;
    bool seen_point = false, fm = false, sign_s = false, mi = false, pl = false, sg = false, pr = false;
    int first_zero = -1; /* index of the first '0' among integer slots: zero-fill from there */
    for (size_t k = 0; k < flen; k++) {
        char c = f[k];
        if ((c == 'F' || c == 'f') && k + 1 < flen && (f[k + 1] == 'M' || f[k + 1] == 'm')) {
            fm = true;
            k++;
        } else if (c == '9' || c == '0') {
            if (seen_point)
                frac_slots++;
            else {
                if (c == '0' && first_zero < 0)
                    first_zero = int_slots;
                int_slots++;
            }
        } else if (c == '.' || c == 'D' || c == 'd')
            seen_point = true;
        else if (c == 'S' || c == 's')
            sign_s = true;
        else if ((c == 'M' || c == 'm') && k + 1 < flen && (f[k + 1] == 'I' || f[k + 1] == 'i'))
            mi = true, k++;
        else if ((c == 'P' || c == 'p') && k + 1 < flen && (f[k + 1] == 'L' || f[k + 1] == 'l'))
            pl = true, k++;
        else if ((c == 'S' || c == 's') && k + 1 < flen && (f[k + 1] == 'G' || f[k + 1] == 'g'))
            sg = true, k++;
        else if ((c == 'P' || c == 'p') && k + 1 < flen && (f[k + 1] == 'R' || f[k + 1] == 'r'))
            pr = true, k++;
    }
    (void)frac_slots;
    bool overflow = ndig_int > int_slots;
    bool explicit_sign = sign_s || mi || pl || sg || pr;
    size_t start = sb->len;
    if (!explicit_sign)
        strbuf_append_char(sb, neg ? '-' : ' '); /* moved next to the first digit below */
    int int_pos = 0, frac_pos = 0;
    bool started = false; /* a digit (or forced zero) has been written */
    seen_point = false;
    for (size_t k = 0; k < flen; k++) {
        char c = f[k];
        if ((c == 'F' || c == 'f') && k + 1 < flen && (f[k + 1] == 'M' || f[k + 1] == 'm')) {
            k++;
            continue;
        }
        if (c == '9' || c == '0') {
            if (!seen_point) {
                int idx = int_pos - (int_slots - ndig_int); /* digit index for this slot */
                int_pos++;
                if (overflow)
                    strbuf_append_char(sb, '#');
                else if (idx >= 0) {
                    strbuf_append_char(sb, digits[idx]);
                    started = true;
                } else if (c == '0' || (first_zero >= 0 && int_pos - 1 >= first_zero) ||
                           (int_pos == int_slots && ndig_int == 0 && frac_slots == 0)) {
                    strbuf_append_char(sb, '0');
                    started = true;
                } else if (!fm)
                    strbuf_append_char(sb, ' ');
            } else {
                strbuf_append_char(sb, overflow ? '#' : frac[frac_pos]);
                frac_pos++;
            }
        } else if (c == '.' || c == 'D' || c == 'd') {
            seen_point = true;
            strbuf_append_char(sb, '.');
        } else if (c == ',' || c == 'G' || c == 'g') {
            if (started || seen_point)
                strbuf_append_char(sb, ',');
            else if (!fm)
                strbuf_append_char(sb, ' ');
        } else if ((c == 'S' || c == 's') && !(k + 1 < flen && (f[k + 1] == 'G' || f[k + 1] == 'g')))
            strbuf_append_char(sb, neg ? '-' : '+');
        else if ((c == 'M' || c == 'm') && k + 1 < flen && (f[k + 1] == 'I' || f[k + 1] == 'i')) {
            k++;
            if (neg)
                strbuf_append_char(sb, '-');
            else if (!fm)
                strbuf_append_char(sb, ' ');
        } else if ((c == 'P' || c == 'p') && k + 1 < flen && (f[k + 1] == 'L' || f[k + 1] == 'l')) {
            k++;
            if (!neg)
                strbuf_append_char(sb, '+');
            else if (!fm)
                strbuf_append_char(sb, ' ');
        } else if ((c == 'S' || c == 's') && k + 1 < flen && (f[k + 1] == 'G' || f[k + 1] == 'g')) {
            k++;
            strbuf_append_char(sb, neg ? '-' : '+');
        } else if ((c == 'P' || c == 'p') && k + 1 < flen && (f[k + 1] == 'R' || f[k + 1] == 'r'))
            k++;
        else
            strbuf_append_char(sb, c);
    }
    if (pr) {
        /* <123> for negatives, blanks around positives */
        size_t body = start;
        StrBuf *s = sb;
        if (neg) {
            strbuf_append_char(s, '>');
            strbuf_reserve(s, 1);
            memmove(s->data + body + 1, s->data + body, s->len - body);
            s->data[body] = '<';
            s->len++;
            s->data[s->len] = '\0';
        } else if (!fm) {
            strbuf_append_char(s, ' ');
            strbuf_reserve(s, 1);
            memmove(s->data + body + 1, s->data + body, s->len - body);
            s->data[body] = ' ';
            s->len++;
            s->data[s->len] = '\0';
        }
    }
    if (!explicit_sign) {
        /* move the sign slot right before the first non-blank character */
        char *p = sb->data + start;
        size_t n = sb->len - start, q = 1;
        while (q < n && p[q] == ' ')
            q++;
        if (q > 1) {
            char sign = p[0];
            memmove(p, p + 1, q - 1);
            p[q - 1] = sign;
        }
        if (fm) {
            /* FM: drop blanks and a '+' sign slot */
            size_t w = 0;
            for (size_t k = 0; k < n; k++)
                if (p[k] != ' ')
                    p[w++] = p[k];
            sb->len = start + w;
            sb->data[sb->len] = '\0';
        }
    }
    if (fm) {
        /* FM also trims trailing zeros that came from '9' fraction slots */
        const char *fp = memchr(f, '.', flen);
        if (!fp)
            fp = memchr(f, 'D', flen);
        if (fp && !overflow) {
            size_t fl = flen - (size_t)(fp - f) - 1;
            size_t k = sb->len;
            size_t fi = fl;
            while (k > start && fi > 0 && sb->data[k - 1] == '0' && fp[fi] == '9') {
                k--;
                fi--;
            }
            sb->len = k;
            sb->data[k] = '\0';
        }
    }
}

/* Digits of |v| (scale `scale`) rounded to fdig fraction digits into int/frac strings. */
static void dec_to_digits(int128 v, int scale, int fdig, char *ibuf, int *nint, char *fbuf)
{
    if (v < 0)
        v = -v;
    if (fdig < scale) {
        int128 d = decimal_pow10[scale - fdig];
        int128 q = v / d, rem = v % d;
        if (rem * 2 >= d)
            q++;
        v = q;
        scale = fdig;
    }
    int128 ip = v / decimal_pow10[scale], fp = v % decimal_pow10[scale];
    char tmp[48];
    int n = ip == 0 ? 0 : decimal_digits(ip, tmp);
    memcpy(ibuf, tmp, n);
    *nint = n;
    char ft[48];
    int fn = decimal_digits(fp, ft);
    /* left-pad the fraction to `scale` digits, then right-pad with zeros to fdig */
    int k = 0;
    for (; k < scale - fn; k++)
        fbuf[k] = '0';
    if (fp != 0)
        memcpy(fbuf + k, ft, fn), k += fn;
    else
        for (; k < scale; k++)
            fbuf[k] = '0';
    for (; k < fdig; k++)
        fbuf[k] = '0';
    fbuf[k] = '\0';
}

static int count_frac_slots(const char *f, size_t len)
{
    bool seen = false;
    int n = 0;
    for (size_t k = 0; k < len; k++) {
        if (f[k] == '.' || f[k] == 'D' || f[k] == 'd')
            seen = true;
        else if (seen && (f[k] == '9' || f[k] == '0'))
            n++;
    }
    return n;
}

static void to_char_num_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    const StrView *f = FN_SV(args[1]);
    TypeId t = args[0]->type->id;
    FN_FOREACH(b, i, r)
    {
        int fdig = count_frac_slots(f[r].ptr, f[r].len);
        if (fdig > 30)
            fdig = 30;
        int128 v;
        int scale;
        bool neg = false;
        if (t == TYPE_DECIMAL)
            v = FN_I128(args[0])[r], scale = args[0]->type->scale;
        else if (t == TYPE_INT32)
            v = FN_I32(args[0])[r], scale = 0;
        else if (t == TYPE_INT64)
            v = FN_I64(args[0])[r], scale = 0;
        else {
            double d = t == TYPE_FLOAT32 ? FN_F32(args[0])[r] : FN_F64(args[0])[r];
            /* float8: PostgreSQL formats 15 significant digits; round to the template */
            if (!isfinite(d) || fabs(d) >= 1e30) {
                strbuf_reset(&sb);
                num_format(&sb, d < 0, "", 99, "", f[r].ptr, f[r].len); /* all '#' */
                fn_put_str(&ob, out, r, sb.data, sb.len);
                continue;
            }
            scale = fdig;
            v = (int128)llround(d * pow(10, fdig));
            if (fabs(d) * pow(10, fdig) > 9e18)
                v = (int128)(d * pow(10, fdig));
            neg = signbit(d) != 0; /* -0.0 prints with its sign, as PostgreSQL */
        }
        char ibuf[48], fbuf[64];
        int nint;
        dec_to_digits(v, scale, fdig, ibuf, &nint, fbuf);
        strbuf_reset(&sb);
        num_format(&sb, neg || v < 0, ibuf, nint, fbuf, f[r].ptr, f[r].len);
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}
static void fn_to_char_num(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    to_char_num_rows(fc, args, b, out);
}

/* ---------- to_timestamp(text, fmt) / to_date ---------- */

static LM_NORETURN void parse_error(FuncCall *fc, const char *what, const char *s, size_t len)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_DATETIME_FORMAT),
            errmsg("invalid value \"%.*s\" for \"%s\"", (int)(len > 20 ? 20 : len), s, what),
            errposition(fn_errpos(fc)));
}

static int64 read_int(FuncCall *fc, const char *s, size_t len, size_t *pos, int maxd,
                      const char *what, bool *neg_ok)
{
    size_t st = *pos;
    bool neg = false;
    if (neg_ok && *pos < len && (s[*pos] == '-' || s[*pos] == '+')) {
        neg = s[*pos] == '-';
        (*pos)++;
    }
    int64 v = 0;
    int n = 0;
    while (*pos < len && n < maxd && s[*pos] >= '0' && s[*pos] <= '9') {
        v = v * 10 + (s[*pos] - '0');
        (*pos)++;
        n++;
    }
    if (n == 0)
        parse_error(fc, what, s + st, len - st);
    return neg ? -v : v;
}

static int match_name(const char *s, size_t len, const char *const *names, int count, bool abbrev,
                      size_t *used)
{
    for (int k = 0; k < count; k++) {
        size_t n = abbrev ? 3 : strlen(names[k]);
        if (n <= len && strncasecmp(s, names[k], n) == 0) {
            *used = n;
            return k;
        }
    }
    return -1;
}

/* Parses s per template f into a timestamp (microseconds, UTC); date_only ignores time fields. */
static int64 dch_parse(FuncCall *fc, const char *s, size_t slen, const char *f, size_t flen)
{
    int64 year = 0, doy = 0; /* no year given: year 0, i.e. 1 BC, as PostgreSQL */
    int mon = 1, mday = 1, hour = 0, min = 0, sec = 0, usec = 0;
    int ampm = -1, tzsign = 1;
    int64 tzh = 0, tzm = 0;
    bool have_year = false;
    size_t p = 0;
    for (size_t k = 0; k < flen;) {
        if (flen - k >= 2 && (f[k] == 'F' || f[k] == 'f') && (f[k + 1] == 'M' || f[k + 1] == 'm')) {
            k += 2;
            continue;
        }
        if (f[k] == '"') {
            for (k++; k < flen && f[k] != '"'; k++)
                if (p < slen)
                    p++;
            k++;
            continue;
        }
        size_t kwl = 0;
        Dch d = dch_match(f + k, flen - k, &kwl);
        if (d == DCH_NONE) {
            /* a separator or space in the template skips one non-alphanumeric input char */
            if (f[k] == ' ') {
                while (p < slen && s[p] == ' ')
                    p++;
            } else if (p < slen && !((s[p] >= '0' && s[p] <= '9') || (s[p] >= 'a' && s[p] <= 'z') ||
                                     (s[p] >= 'A' && s[p] <= 'Z')))
                p++;
            k++;
            continue;
        }
        k += kwl;
        if (flen - k >= 2 && (strncmp(f + k, "th", 2) == 0 || strncmp(f + k, "TH", 2) == 0))
            k += 2;
        while (p < slen && s[p] == ' ' && d != DCH_NONE)
            p++;
        size_t used = 0;
        switch (d) {
        case DCH_YYYY: case DCH_IYYY:
            /* all digits when a separator follows, else exactly four (PostgreSQL) */
            year = read_int(fc, s, slen, &p,
                            k < flen && ((f[k] >= '0' && f[k] <= '9') || (f[k] >= 'A' && f[k] <= 'Z') ||
                                         (f[k] >= 'a' && f[k] <= 'z'))
                                ? 4
                                : 9,
                            "YYYY", NULL);
            have_year = true;
            break;
        case DCH_Y_YYY: {
            int64 th = read_int(fc, s, slen, &p, 3, "Y,YYY", NULL);
            if (p < slen && s[p] == ',')
                p++;
            year = th * 1000 + read_int(fc, s, slen, &p, 3, "Y,YYY", NULL);
            have_year = true;
            break;
        }
        case DCH_YYY: year = read_int(fc, s, slen, &p, 3, "YYY", NULL); year += year < 70 ? 2000 : 1000; have_year = true; break;
        case DCH_YY: year = read_int(fc, s, slen, &p, 2, "YY", NULL); year += year < 70 ? 2000 : 1900; have_year = true; break;
        case DCH_Y: year = read_int(fc, s, slen, &p, 1, "Y", NULL) + 2000; have_year = true; break;
        case DCH_MM: mon = (int)read_int(fc, s, slen, &p, 2, "MM", NULL); break;
        case DCH_DD: mday = (int)read_int(fc, s, slen, &p, 2, "DD", NULL); break;
        case DCH_DDD: doy = read_int(fc, s, slen, &p, 3, "DDD", NULL); break;
        case DCH_HH24: hour = (int)read_int(fc, s, slen, &p, 2, "HH24", NULL); break;
        case DCH_HH: case DCH_HH12:
            hour = (int)read_int(fc, s, slen, &p, 2, d == DCH_HH ? "HH" : "HH12", NULL);
            if (hour < 1 || hour > 12)
                ereport(ERROR, errcode(ERRCODE_INVALID_DATETIME_FORMAT),
                        errmsg("hour \"%d\" is invalid for the 12-hour clock", hour),
                        errhint("Use the 24-hour clock, or give an hour between 1 and 12."),
                        errposition(fn_errpos(fc)));
            break;
        case DCH_MI: min = (int)read_int(fc, s, slen, &p, 2, "MI", NULL); break;
        case DCH_SS: sec = (int)read_int(fc, s, slen, &p, 2, "SS", NULL); break;
        case DCH_MS: {
            size_t st = p;
            int64 v = read_int(fc, s, slen, &p, 3, "MS", NULL);
            for (size_t q = p - st; q < 3; q++)
                v *= 10;
            usec = (int)(v * 1000);
            break;
        }
        case DCH_US: case DCH_FF1: case DCH_FF2: case DCH_FF3: case DCH_FF4: case DCH_FF5: case DCH_FF6: {
            size_t st = p;
            int64 v = read_int(fc, s, slen, &p, 6, "US", NULL);
            for (size_t q = p - st; q < 6; q++)
                v *= 10;
            usec = (int)v;
            break;
        }
        case DCH_AM: case DCH_PM: case DCH_am: case DCH_pm:
            if (slen - p >= 2 && (strncasecmp(s + p, "AM", 2) == 0 || strncasecmp(s + p, "PM", 2) == 0)) {
                ampm = (s[p] == 'P' || s[p] == 'p');
                p += 2;
            } else
                parse_error(fc, "AM", s + p, slen - p);
            break;
        case DCH_AM_DOTS: case DCH_PM_DOTS: case DCH_am_dots: case DCH_pm_dots:
            if (slen - p >= 4 && (strncasecmp(s + p, "A.M.", 4) == 0 || strncasecmp(s + p, "P.M.", 4) == 0)) {
                ampm = (s[p] == 'P' || s[p] == 'p');
                p += 4;
            } else
                parse_error(fc, "A.M.", s + p, slen - p);
            break;
        case DCH_MONTH: case DCH_Month: case DCH_month: {
            int m = match_name(s + p, slen - p, month_names, 12, false, &used);
            if (m < 0)
                parse_error(fc, "Month", s + p, slen - p);
            mon = m + 1;
            p += used;
            break;
        }
        case DCH_MON: case DCH_Mon: case DCH_mon: {
            int m = match_name(s + p, slen - p, month_names, 12, true, &used);
            if (m < 0)
                parse_error(fc, "Mon", s + p, slen - p);
            mon = m + 1;
            p += used;
            break;
        }
        case DCH_DAY: case DCH_Day: case DCH_day: {
            int m = match_name(s + p, slen - p, day_names, 7, false, &used);
            if (m < 0)
                parse_error(fc, "Day", s + p, slen - p);
            p += used;
            break;
        }
        case DCH_DY: case DCH_Dy: case DCH_dy: {
            int m = match_name(s + p, slen - p, day_names, 7, true, &used);
            if (m < 0)
                parse_error(fc, "Dy", s + p, slen - p);
            p += used;
            break;
        }
        case DCH_TZH: {
            if (p < slen && (s[p] == '-' || s[p] == '+')) {
                tzsign = s[p] == '-' ? -1 : 1;
                p++;
            }
            tzh = read_int(fc, s, slen, &p, 2, "TZH", NULL);
            break;
        }
        case DCH_TZM: tzm = read_int(fc, s, slen, &p, 2, "TZM", NULL); break;
        case DCH_J: {
            int64 j = read_int(fc, s, slen, &p, 9, "J", NULL);
            int64 y;
            int m, dd;
            date_to_ymd(j - JULIAN_EPOCH_OFFSET, &y, &m, &dd);
            year = y, mon = m, mday = dd, have_year = true;
            break;
        }
        case DCH_TZ: case DCH_tz: case DCH_OF:
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("formatting field \"%s\" is only supported in to_char",
                           d == DCH_OF ? "OF" : "TZ"),
                    errposition(fn_errpos(fc)));
        default:
            /* fields that do not set the value (D, Q, WW, CC, ...) consume their digits */
            while (p < slen && s[p] >= '0' && s[p] <= '9')
                p++;
            break;
        }
    }
    if (ampm >= 0) {
        if (hour == 12)
            hour = 0;
        if (ampm)
            hour += 12;
    }
    (void)have_year;
    if (doy > 0) {
        mon = 1;
        mday = 1;
    }
    if (mon < 1 || mon > 12)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                errmsg("date/time field value out of range: \"%.*s\"", (int)slen, s),
                errposition(fn_errpos(fc)));
    if (mday < 1 || mday > date_days_in_month(year, mon) || hour > 24 || min > 59 || sec > 60)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                errmsg("date/time field value out of range: \"%.*s\"", (int)slen, s),
                errposition(fn_errpos(fc)));
    if (year < -4712 || year > 294276)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("timestamp out of range"),
                errposition(fn_errpos(fc)));
    int64 days = date_from_ymd(year, mon, mday) + (doy > 0 ? doy - 1 : 0);
    int64 ts = days * USECS_PER_DAY + (int64)hour * USECS_PER_HOUR + (int64)min * USECS_PER_MINUTE +
               (int64)sec * USECS_PER_SEC + usec;
    ts -= tzsign * (tzh * USECS_PER_HOUR + tzm * USECS_PER_MINUTE);
    return ts;
}

static void fn_to_timestamp_text(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *s = FN_SV(args[0]), *f = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        FN_I64(out)[r] = dch_parse(fc, s[r].ptr, s[r].len, f[r].ptr, f[r].len);
        vector_set_valid(out, r);
    }
}

static void fn_to_date(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *s = FN_SV(args[0]), *f = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        int64 ts = dch_parse(fc, s[r].ptr, s[r].len, f[r].ptr, f[r].len);
        FN_I32(out)[r] = (int32)floordiv(ts, USECS_PER_DAY);
        vector_set_valid(out, r);
    }
}

/* ---------- constructors ---------- */

static int64 check_ymd(FuncCall *fc, int64 y, int m, int d)
{
    if (y == 0)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                errmsg("date field value out of range: %" PRId64 "-%02d-%02d", y, m, d),
                errposition(fn_errpos(fc)));
    int64 ay = y < 0 ? y + 1 : y; /* BC years given as negative numbers */
    if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(ay, m))
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                errmsg("date field value out of range: %" PRId64 "-%02d-%02d", y, m, d),
                errposition(fn_errpos(fc)));
    return date_from_ymd(ay, m, d);
}

static void fn_make_date(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        FN_I32(out)[r] = (int32)check_ymd(fc, FN_I32(args[0])[r], FN_I32(args[1])[r], FN_I32(args[2])[r]);
        vector_set_valid(out, r);
    }
}

static void fn_make_timestamp(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        int64 days = check_ymd(fc, FN_I32(args[0])[r], FN_I32(args[1])[r], FN_I32(args[2])[r]);
        int32 h = FN_I32(args[3])[r], mi = FN_I32(args[4])[r];
        double sec = FN_F64(args[5])[r];
        if (h < 0 || h > 24 || mi < 0 || mi > 59 || !(sec >= 0 && sec <= 60) ||
            (h == 24 && (mi > 0 || sec > 0)))
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                    errmsg("time field value out of range: %d:%02d:%02g", h, mi, sec),
                    errposition(fn_errpos(fc)));
        FN_I64(out)[r] = days * USECS_PER_DAY + (int64)h * USECS_PER_HOUR +
                         (int64)mi * USECS_PER_MINUTE + (int64)rint(sec * 1e6);
        vector_set_valid(out, r);
    }
}

static void fn_make_interval(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        Interval iv;
        int64 months = (int64)FN_I32(args[0])[r] * 12 + FN_I32(args[1])[r];
        int64 days = (int64)FN_I32(args[2])[r] * 7 + FN_I32(args[3])[r];
        double micros = (double)FN_I32(args[4])[r] * 3600e6 + (double)FN_I32(args[5])[r] * 60e6 +
                        FN_F64(args[6])[r] * 1e6;
        if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX || days < INT32_MIN ||
            !isfinite(micros) || fabs(micros) > 9.2e18)
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("interval out of range"),
                    errposition(fn_errpos(fc)));
        iv.months = (int32)months;
        iv.days = (int32)days;
        iv.micros = (int64)rint(micros);
        FN_IV(out)[r] = iv;
        vector_set_valid(out, r);
    }
}

/* ---------- interval arithmetic helpers ---------- */

/* age(a, b): symbolic difference in years, months, days and time (PostgreSQL timestamp_age). */
static Interval age_of(int64 a, int64 bts)
{
    Tm t1, t2;
    ts_to_tm(a, &t1);
    ts_to_tm(bts, &t2);
    int64 fsec = (int64)t1.usec - t2.usec;
    int64 sec = t1.sec - t2.sec, min = t1.min - t2.min, hour = t1.hour - t2.hour;
    int64 mday = t1.mday - t2.mday, mon = t1.mon - t2.mon, year = t1.year - t2.year;
    bool neg = a < bts;
    if (neg) {
        fsec = -fsec, sec = -sec, min = -min, hour = -hour, mday = -mday, mon = -mon, year = -year;
    }
    while (fsec < 0) fsec += USECS_PER_SEC, sec--;
    while (sec < 0) sec += 60, min--;
    while (min < 0) min += 60, hour--;
    while (hour < 0) hour += 24, mday--;
    while (mday < 0) {
        /* borrow the days of the month before the later date's month */
        const Tm *ref = neg ? &t1 : &t2;
        (void)ref;
        const Tm *later = neg ? &t2 : &t1;
        int pm = later->mon == 1 ? 12 : later->mon - 1;
        int64 py = later->mon == 1 ? later->year - 1 : later->year;
        mday += date_days_in_month(neg ? later->year : py, neg ? later->mon : pm);
        mon--;
    }
    while (mon < 0) mon += 12, year--;
    if (neg) {
        fsec = -fsec, sec = -sec, min = -min, hour = -hour, mday = -mday, mon = -mon, year = -year;
    }
    Interval iv;
    iv.months = (int32)(year * 12 + mon);
    iv.days = (int32)mday;
    iv.micros = hour * USECS_PER_HOUR + min * USECS_PER_MINUTE + sec * USECS_PER_SEC + fsec;
    return iv;
}

static void fn_age2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const int64 *x = FN_I64(args[0]), *y = FN_I64(args[1]);
    FN_FOREACH(b, i, r)
    {
        if (!ts_finite(x[r]) || !ts_finite(y[r]))
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                    errmsg("cannot subtract infinite timestamps"), errposition(fn_errpos(fc)));
        FN_IV(out)[r] = age_of(x[r], y[r]);
        vector_set_valid(out, r);
    }
}

static void fn_age1(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const int64 *x = FN_I64(args[0]);
    int64 today = floordiv(fc->ctx->transaction_timestamp, USECS_PER_DAY) * USECS_PER_DAY;
    FN_FOREACH(b, i, r)
    {
        if (!ts_finite(x[r]))
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                    errmsg("cannot subtract infinite timestamps"), errposition(fn_errpos(fc)));
        FN_IV(out)[r] = age_of(today, x[r]);
        vector_set_valid(out, r);
    }
}

/* date_bin(stride, source, origin): start of the stride-sized bin containing source. */
static void fn_date_bin(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const Interval *st = FN_IV(args[0]);
    const int64 *src = FN_I64(args[1]), *org = FN_I64(args[2]);
    FN_FOREACH(b, i, r)
    {
        if (!ts_finite(src[r]) || !ts_finite(org[r]))
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("timestamps cannot be binned into infinite intervals"),
                    errposition(fn_errpos(fc)));
        if (st[r].months != 0)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("timestamps cannot be binned into intervals containing months or years"),
                    errposition(fn_errpos(fc)));
        int64 stride = st[r].days * USECS_PER_DAY + st[r].micros;
        if (stride <= 0)
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                    errmsg("stride must be greater than zero"), errposition(fn_errpos(fc)));
        int64 delta = src[r] - org[r];
        int64 bin = delta / stride * stride;
        if (delta < 0 && delta % stride != 0)
            bin -= stride;
        FN_I64(out)[r] = org[r] + bin;
        vector_set_valid(out, r);
    }
}

static void fn_justify_days(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        Interval x = FN_IV(args[0])[r];
        int32 wm = x.days / 30;
        x.days -= wm * 30;
        x.months += wm;
        if (x.months > 0 && x.days < 0)
            x.days += 30, x.months--;
        else if (x.months < 0 && x.days > 0)
            x.days -= 30, x.months++;
        FN_IV(out)[r] = x;
        vector_set_valid(out, r);
    }
}

static void fn_justify_hours(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        Interval x = FN_IV(args[0])[r];
        int64 wd = x.micros / USECS_PER_DAY;
        x.micros -= wd * USECS_PER_DAY;
        x.days += (int32)wd;
        if (x.days > 0 && x.micros < 0)
            x.micros += USECS_PER_DAY, x.days--;
        else if (x.days < 0 && x.micros > 0)
            x.micros -= USECS_PER_DAY, x.days++;
        FN_IV(out)[r] = x;
        vector_set_valid(out, r);
    }
}

static void fn_justify_interval(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        Interval x = FN_IV(args[0])[r];
        int64 wd = x.micros / USECS_PER_DAY;
        x.micros -= wd * USECS_PER_DAY;
        x.days += (int32)wd;
        int32 wm = x.days / 30;
        x.days -= wm * 30;
        x.months += wm;
        if (x.months > 0 && (x.days < 0 || (x.days == 0 && x.micros < 0)))
            x.days += 30, x.months--;
        else if (x.months < 0 && (x.days > 0 || (x.days == 0 && x.micros > 0)))
            x.days -= 30, x.months++;
        if (x.days > 0 && x.micros < 0)
            x.micros += USECS_PER_DAY, x.days--;
        else if (x.days < 0 && x.micros > 0)
            x.micros -= USECS_PER_DAY, x.days++;
        FN_IV(out)[r] = x;
        vector_set_valid(out, r);
    }
}

static void fn_isfinite(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    TypeId t = args[0]->type->id;
    FN_FOREACH(b, i, r)
    {
        bool fin;
        if (t == TYPE_DATE)
            fin = FN_I32(args[0])[r] != DATE_NOBEGIN && FN_I32(args[0])[r] != DATE_NOEND;
        else if (t == TYPE_INTERVAL)
            fin = true;
        else
            fin = ts_finite(FN_I64(args[0])[r]);
        FN_U8(out)[r] = fin;
        vector_set_valid(out, r);
    }
}

/* ---------- time zones ---------- */

/*
 * Fixed offsets EAST of UTC in microseconds: UTC/GMT/Z/Etc/UTC and POSIX-style
 * offsets ('+05:30', '-8', 'UTC+3', 'GMT-2': the sign means west of Greenwich,
 * as PostgreSQL reads them).  Returns false for anything else.
 */
static bool fixed_zone_offset(const char *s, size_t len, int64 *off)
{
    char buf[64];
    if (len >= sizeof(buf))
        return false;
    for (size_t k = 0; k < len; k++)
        buf[k] = (s[k] >= 'A' && s[k] <= 'Z') ? (char)(s[k] + 32) : s[k];
    buf[len] = '\0';
    const char *p = buf;
    if (strcmp(p, "utc") == 0 || strcmp(p, "gmt") == 0 || strcmp(p, "z") == 0 ||
        strcmp(p, "etc/utc") == 0 || strcmp(p, "etc/gmt") == 0 || strcmp(p, "zulu") == 0 ||
        strcmp(p, "universal") == 0 || strcmp(p, "uct") == 0) {
        *off = 0;
        return true;
    }
    if (strncmp(p, "utc", 3) == 0 || strncmp(p, "gmt", 3) == 0)
        p += 3;
    int sign = 1;
    if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        p++;
    } else if (p == buf)
        return false; /* a bare number needs a sign */
    if (!(*p >= '0' && *p <= '9'))
        return false;
    int64 h = 0, m = 0, sec = 0;
    while (*p >= '0' && *p <= '9')
        h = h * 10 + (*p++ - '0');
    if (*p == ':') {
        p++;
        while (*p >= '0' && *p <= '9')
            m = m * 10 + (*p++ - '0');
        if (*p == ':') {
            p++;
            while (*p >= '0' && *p <= '9')
                sec = sec * 10 + (*p++ - '0');
        }
    }
    if (*p != '\0' || h > 168 || m > 59 || sec > 59)
        return false;
    /* POSIX: positive = west of Greenwich */
    *off = -sign * (h * USECS_PER_HOUR + m * USECS_PER_MINUTE + sec * USECS_PER_SEC);
    return true;
}

/* A zone argument resolved once per distinct text within a batch. */
typedef struct ZoneRef {
    const char *text;
    uint32 len;
    bool fixed;
    int64 off;
    const TzInfo *tz;
} ZoneRef;

static void zone_resolve(FuncCall *fc, ZoneRef *z, const StrView *sv)
{
    if (z->text && z->len == sv->len && memcmp(z->text, sv->ptr, sv->len) == 0)
        return;
    z->text = sv->ptr;
    z->len = sv->len;
    z->tz = NULL;
    z->fixed = fixed_zone_offset(sv->ptr, sv->len, &z->off);
    if (!z->fixed) {
        z->tz = fn_tz_lookup(sv->ptr, sv->len);
        if (z->tz == NULL)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("time zone \"%.*s\" not recognized", (int)sv->len, sv->ptr),
                    errposition(fn_errpos(fc)));
    }
}

/* timezone(zone, timestamptz) -> local timestamp; timezone(zone, timestamp) -> timestamptz. */
static void tz_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool to_local)
{
    bool by_interval = args[0]->type->id == TYPE_INTERVAL;
    const int64 *ts = FN_I64(args[1]);
    ZoneRef z = {0};
    FN_FOREACH(b, i, r)
    {
        int64 off;
        int64 v = ts[r];
        if (by_interval) {
            const Interval *iv = &FN_IV(args[0])[r];
            if (iv->months != 0 || iv->days != 0)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("interval time zone \"%s\" must not include months or days",
                               "value"),
                        errposition(fn_errpos(fc)));
            off = iv->micros;
        } else {
            zone_resolve(fc, &z, &FN_SV(args[0])[r]);
            if (z.fixed)
                off = z.off;
            else if (!ts_finite(v))
                off = 0;
            else
                off = to_local ? fn_tz_offset_utc(z.tz, v) : fn_tz_offset_local(z.tz, v);
        }
        FN_I64(out)[r] = !ts_finite(v) ? v : to_local ? v + off : v - off;
        vector_set_valid(out, r);
    }
}
static void fn_timezone_tstz(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    tz_rows(fc, args, b, out, true);
}
static void fn_timezone_ts(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    tz_rows(fc, args, b, out, false);
}

/* ---------- the table ---------- */

#define S TYPE_STRING
#define I4 TYPE_INT32
#define F8 TYPE_FLOAT64
#define TS TYPE_TIMESTAMP
#define TSTZ TYPE_TIMESTAMPTZ
#define DT TYPE_DATE
#define IV TYPE_INTERVAL
#define STRICT FN_STRICT
#define STABLE FN_STABLE

const FuncDesc lm_funcs_datetime[] = {
    {"now", 1299, 0, {0}, TSTZ, NULL, fn_now, STABLE, "current transaction time"},
    {"current_timestamp", 20200, 0, {0}, TSTZ, NULL, fn_now, STABLE, "current transaction time"},
    {"transaction_timestamp", 2647, 0, {0}, TSTZ, NULL, fn_now, STABLE,
     "current transaction time"},
    {"statement_timestamp", 2648, 0, {0}, TSTZ, NULL, fn_statement_timestamp, STABLE,
     "current statement time"},
    {"clock_timestamp", 2649, 0, {0}, TSTZ, NULL, fn_clock_timestamp, FN_VOLATILE,
     "current clock time"},
    {"current_date", 20201, 0, {0}, DT, NULL, fn_current_date, STABLE, "current date"},
    {"localtimestamp", 20202, 0, {0}, TS, NULL, fn_now, STABLE, "current local timestamp"},
    {"localtime", 20203, 0, {0}, TYPE_TIME, NULL, fn_localtime, STABLE, "current local time"},
    {"date_trunc", 2020, 2, {S, TS}, TS, NULL, fn_date_trunc_ts, STRICT,
     "truncate timestamp to specified units"},
    {"date_trunc", 1217, 2, {S, TSTZ}, TSTZ, NULL, fn_date_trunc_ts, STRICT | STABLE,
     "truncate timestamp with time zone to specified units"},
    {"date_trunc", 1218, 2, {S, IV}, IV, NULL, fn_date_trunc_iv, STRICT,
     "truncate interval to specified units"},
    {"date_part", 2021, 2, {S, TS}, F8, NULL, fn_date_part, STRICT,
     "extract field from timestamp"},
    {"date_part", 1171, 2, {S, TSTZ}, F8, NULL, fn_date_part, STRICT | STABLE,
     "extract field from timestamp with time zone"},
    {"date_part", 1384, 2, {S, DT}, F8, NULL, fn_date_part, STRICT, "extract field from date"},
    {"date_part", 1172, 2, {S, IV}, F8, NULL, fn_date_part, STRICT,
     "extract field from interval"},
    {"extract", 6202, 2, {S, TS}, TYPE_DECIMAL, ret_extract, fn_extract, STRICT,
     "extract field from timestamp", ret_extract_const},
    {"extract", 6203, 2, {S, TSTZ}, TYPE_DECIMAL, ret_extract, fn_extract, STRICT | STABLE,
     "extract field from timestamp with time zone", ret_extract_const},
    {"extract", 6199, 2, {S, DT}, TYPE_DECIMAL, ret_extract, fn_extract, STRICT,
     "extract field from date", ret_extract_const},
    {"extract", 6204, 2, {S, IV}, TYPE_DECIMAL, ret_extract, fn_extract, STRICT,
     "extract field from interval", ret_extract_const},
    {"to_timestamp", 1158, 1, {F8}, TSTZ, NULL, fn_to_timestamp_f8, STRICT,
     "convert UNIX epoch to timestamptz"},
    {"to_timestamp", 1778, 2, {S, S}, TSTZ, NULL, fn_to_timestamp_text, STRICT | STABLE,
     "convert text to timestamp with time zone"},
    {"to_date", 1780, 2, {S, S}, DT, NULL, fn_to_date, STRICT | STABLE, "convert text to date"},
    {"to_char", 2049, 2, {TS, S}, S, NULL, fn_to_char_ts, STRICT | STABLE,
     "format timestamp to text"},
    {"to_char", 1770, 2, {TSTZ, S}, S, NULL, fn_to_char_ts, STRICT | STABLE,
     "format timestamp with time zone to text"},
    {"to_char", 1768, 2, {IV, S}, S, NULL, fn_to_char_iv, STRICT | STABLE,
     "format interval to text"},
    {"to_char", 1772, 2, {TYPE_DECIMAL, S}, S, NULL, fn_to_char_num, STRICT | STABLE,
     "format numeric to text"},
    {"to_char", 1773, 2, {I4, S}, S, NULL, fn_to_char_num, STRICT | STABLE,
     "format int4 to text"},
    {"to_char", 1774, 2, {TYPE_INT64, S}, S, NULL, fn_to_char_num, STRICT | STABLE,
     "format int8 to text"},
    {"to_char", 1776, 2, {F8, S}, S, NULL, fn_to_char_num, STRICT | STABLE,
     "format float8 to text"},
    {"make_date", 3846, 3, {I4, I4, I4}, DT, NULL, fn_make_date, STRICT, "construct date"},
    {"make_timestamp", 3461, 6, {I4, I4, I4, I4, I4, F8}, TS, NULL, fn_make_timestamp, STRICT,
     "construct timestamp"},
    {"make_timestamptz", 3462, 6, {I4, I4, I4, I4, I4, F8}, TSTZ, NULL, fn_make_timestamp,
     STRICT | STABLE, "construct timestamp with time zone"},
    {"make_interval", 3464, 7, {I4, I4, I4, I4, I4, I4, F8}, IV, NULL, fn_make_interval, STRICT,
     "construct interval"},
    {"age", 2058, 2, {TS, TS}, IV, NULL, fn_age2, STRICT, "date difference preserving months and years"},
    {"age", 1199, 2, {TSTZ, TSTZ}, IV, NULL, fn_age2, STRICT,
     "date difference preserving months and years"},
    {"age", 2059, 1, {TS}, IV, NULL, fn_age1, STRICT | STABLE,
     "date difference from today preserving months and years"},
    {"age", 1386, 1, {TSTZ}, IV, NULL, fn_age1, STRICT | STABLE,
     "date difference from today preserving months and years"},
    {"date_bin", 6177, 3, {IV, TS, TS}, TS, NULL, fn_date_bin, STRICT,
     "bin timestamp into specified interval"},
    {"date_bin", 6178, 3, {IV, TSTZ, TSTZ}, TSTZ, NULL, fn_date_bin, STRICT,
     "bin timestamp with time zone into specified interval"},
    {"justify_days", 1295, 1, {IV}, IV, NULL, fn_justify_days, STRICT,
     "promote groups of 30 days to numbers of months"},
    {"justify_hours", 1175, 1, {IV}, IV, NULL, fn_justify_hours, STRICT,
     "promote groups of 24 hours to numbers of days"},
    {"justify_interval", 2711, 1, {IV}, IV, NULL, fn_justify_interval, STRICT,
     "promote groups of 24 hours to numbers of days and promote groups of 30 days to numbers of months"},
    {"isfinite", 1373, 1, {DT}, TYPE_BOOL, NULL, fn_isfinite, STRICT, "finite date?"},
    {"isfinite", 2048, 1, {TS}, TYPE_BOOL, NULL, fn_isfinite, STRICT, "finite timestamp?"},
    {"isfinite", 1389, 1, {TSTZ}, TYPE_BOOL, NULL, fn_isfinite, STRICT, "finite timestamp?"},
    {"isfinite", 1390, 1, {IV}, TYPE_BOOL, NULL, fn_isfinite, STRICT, "finite interval?"},
    {"timezone", 1159, 2, {S, TSTZ}, TS, NULL, fn_timezone_tstz, STRICT,
     "adjust timestamp with time zone to new time zone"},
    {"timezone", 2069, 2, {S, TS}, TSTZ, NULL, fn_timezone_ts, STRICT,
     "adjust timestamp to new time zone"},
    {"timezone", 1026, 2, {IV, TSTZ}, TS, NULL, fn_timezone_tstz, STRICT,
     "adjust timestamp with time zone to new time zone"},
    {"timezone", 2070, 2, {IV, TS}, TSTZ, NULL, fn_timezone_ts, STRICT,
     "adjust timestamp to new time zone"},
};
const int lm_nfuncs_datetime = sizeof(lm_funcs_datetime) / sizeof(lm_funcs_datetime[0]);
