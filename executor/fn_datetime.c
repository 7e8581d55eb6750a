/*
 * fn_datetime.c: PostgreSQL's date/time functions as vectorized kernels:
 * now() and friends, date_trunc, date_part/extract, to_timestamp(float8),
 * make_date/make_timestamp/make_interval, age, date_bin, justify_*,
 * isfinite — and the table of the datetime group, which also names the
 * kernels of fn_tochar.c (to_char, to_timestamp(text, text), to_date) and
 * fn_tz.c (timezone() / AT TIME ZONE).
 *
 * Values are microseconds since 1970 (types.h): timestamptz an instant,
 * timestamp a wall time.  Calendar work on a timestamptz (date_trunc,
 * extract, current_date, localtime) happens on its local time in the
 * session time zone (common/timezone.h), as in PostgreSQL; the broken-down
 * helpers below (fn_datetime_int.h) are shared.
 *
 * extract() returns numeric whose scale depends on the field (FuncDesc
 * resolve_ret_const: epoch/second 6, milliseconds 3, julian 20, else 0);
 * kernels scale to out->type->scale, so the values are right whatever type
 * the binder settled on.  +/-infinity: date_part gives +/-Infinity for
 * monotonic fields and NULL for the others; extract gives NULL (DECIMAL has
 * no infinity).
 */
#include "executor/fn_datetime_int.h"
#include "common/numeric.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

/* ---------- broken-down values (shared with fn_tochar.c and fn_tz.c) ---------- */

void fn_dt_ts_to_tm(int64 ts, Tm *tm)
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

void fn_dt_tstz_to_tm(int64 ts, const TimeZone *tz, Tm *tm)
{
    const char *abbrev;
    int32 off = timezone_offset_utc(tz, ts, &abbrev, NULL);
    int64 local;
    if (__builtin_add_overflow(ts, (int64)off * USECS_PER_SEC, &local))
        local = ts, off = 0, abbrev = "UTC"; /* past the last representable local time */
    fn_dt_ts_to_tm(local, tm);
    tm->gmtoff = off;
    tm->tzn = abbrev;
}

void fn_dt_iv_to_tm(const Interval *iv, Tm *tm)
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
void fn_dt_iso_week(int64 days, int64 *iso_year, int *week)
{
    int wd = (int)(((days + 3) % 7 + 7) % 7); /* Monday = 0 */
    int64 thu = days - wd + 3;
    int64 y;
    int m, d;
    date_to_ymd(thu, &y, &m, &d);
    *iso_year = y;
    *week = (int)((thu - date_from_ymd(y, 1, 1)) / 7) + 1;
}

int64 fn_dt_floordiv(int64 a, int64 b)
{
    int64 q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
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
    {"microsecond", U_MICROSECONDS},
    {"microseconds", U_MICROSECONDS},
    {"us", U_MICROSECONDS},
    {"usec", U_MICROSECONDS},
    {"usecs", U_MICROSECONDS},
    {"useconds", U_MICROSECONDS},
    {"millisecond", U_MILLISECONDS},
    {"milliseconds", U_MILLISECONDS},
    {"ms", U_MILLISECONDS},
    {"msec", U_MILLISECONDS},
    {"msecs", U_MILLISECONDS},
    {"mseconds", U_MILLISECONDS},
    {"second", U_SECOND},
    {"seconds", U_SECOND},
    {"s", U_SECOND},
    {"sec", U_SECOND},
    {"secs", U_SECOND},
    {"minute", U_MINUTE},
    {"minutes", U_MINUTE},
    {"m", U_MINUTE},
    {"min", U_MINUTE},
    {"mins", U_MINUTE},
    {"hour", U_HOUR},
    {"hours", U_HOUR},
    {"h", U_HOUR},
    {"hr", U_HOUR},
    {"hrs", U_HOUR},
    {"day", U_DAY},
    {"days", U_DAY},
    {"d", U_DAY},
    {"week", U_WEEK},
    {"weeks", U_WEEK},
    {"w", U_WEEK},
    {"month", U_MONTH},
    {"months", U_MONTH},
    {"mon", U_MONTH},
    {"mons", U_MONTH},
    {"quarter", U_QUARTER},
    {"qtr", U_QUARTER},
    {"year", U_YEAR},
    {"years", U_YEAR},
    {"y", U_YEAR},
    {"yr", U_YEAR},
    {"yrs", U_YEAR},
    {"decade", U_DECADE},
    {"decades", U_DECADE},
    {"dec", U_DECADE},
    {"decs", U_DECADE},
    {"century", U_CENTURY},
    {"centuries", U_CENTURY},
    {"c", U_CENTURY},
    {"cent", U_CENTURY},
    {"millennium", U_MILLENNIUM},
    {"millennia", U_MILLENNIUM},
    {"mil", U_MILLENNIUM},
    {"mils", U_MILLENNIUM},
    {"millenniums", U_MILLENNIUM},
    {"dow", U_DOW},
    {"isodow", U_ISODOW},
    {"doy", U_DOY},
    {"isoyear", U_ISOYEAR},
    {"epoch", U_EPOCH},
    {"julian", U_JULIAN},
    {"j", U_JULIAN},
    {"timezone", U_TIMEZONE},
    {"timezone_h", U_TIMEZONE_HOUR},
    {"timezone_hour", U_TIMEZONE_HOUR},
    {"timezone_m", U_TIMEZONE_MINUTE},
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
    case TYPE_TIMESTAMP:
        return "timestamp without time zone";
    case TYPE_TIMESTAMPTZ:
        return "timestamp with time zone";
    case TYPE_DATE:
        return "date";
    case TYPE_INTERVAL:
        return "interval";
    case TYPE_TIME:
        return "time without time zone";
    default:
        return "value";
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
/* timeofday(): the wall clock as text in the session zone, "Sat Nov 21 17:56:59.429189 2026 UTC"
 * (PostgreSQL). */
static void fn_timeofday(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    FN_FOREACH(b, i, r)
    {
        Tm tm;
        fn_dt_tstz_to_tm(datetime_now_micros(), timezone_session(), &tm);
        char *d = outbuf_reserve(&ob, 80);
        int n = snprintf(d, 80, "%s %s %02d %02d:%02d:%02d.%06d %lld %s", days[tm.wday],
                         months[tm.mon - 1], tm.mday, tm.hour, tm.min, tm.sec, tm.usec,
                         (long long)tm.year, tm.tzn);
        outbuf_commit(&ob, (size_t)n);
        fn_set_str(out, r, d, (size_t)n);
    }
}

static void fn_current_date(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    int64 ts = timezone_utc_to_local(timezone_session(), fc->ctx->transaction_timestamp);
    int64 days = ts / USECS_PER_DAY - (ts % USECS_PER_DAY < 0);
    FN_FOREACH(b, i, r)
    {
        FN_I32(out)[r] = (int32)days;
        vector_set_valid(out, r);
    }
}
static void fn_localtimestamp(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const_ts_rows(b, out,
                  timezone_utc_to_local(timezone_session(), fc->ctx->transaction_timestamp));
}
static void fn_localtime(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    int64 ts = timezone_utc_to_local(timezone_session(), fc->ctx->transaction_timestamp);
    int64 tod = ts % USECS_PER_DAY;
    if (tod < 0)
        tod += USECS_PER_DAY;
    const_ts_rows(b, out, tod);
}

/* ---------- date_trunc ---------- */

static int64 trunc_ts(FuncCall *fc, const StrView *u, Unit unit, int64 ts, TypeId t)
{
    if (!fn_dt_finite(ts))
        return ts;
    Tm tm;
    fn_dt_ts_to_tm(ts, &tm);
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
    case U_YEAR:
        mon = 1, mday = 1, tod = 0;
        break;
    case U_QUARTER:
        mon = (3 * ((mon - 1) / 3)) + 1, mday = 1, tod = 0;
        break;
    case U_MONTH:
        mday = 1, tod = 0;
        break;
    case U_WEEK: {
        int wd = (tm.wday + 6) % 7;
        return (tm.days - wd) * USECS_PER_DAY;
    }
    case U_DAY:
        tod = 0;
        break;
    case U_HOUR:
        tod -= tod % USECS_PER_HOUR;
        break;
    case U_MINUTE:
        tod -= tod % USECS_PER_MINUTE;
        break;
    case U_SECOND:
        tod -= tod % USECS_PER_SEC;
        break;
    case U_MILLISECONDS:
        tod -= tod % 1000;
        break;
    case U_MICROSECONDS:
        break;
    case U_NONE:
        unit_error(fc, u, t, false);
    default:
        unit_error(fc, u, t, true);
    }
    return date_from_ymd(y, mon, mday) * USECS_PER_DAY + tod;
}

/*
 * date_trunc on a timestamptz in zone tz, as PostgreSQL's timestamptz_trunc_internal: the
 * local time is truncated; for a day and longer units the offset of the truncated local time
 * is determined anew (midnight may be in another offset), shorter units keep the original one
 * (so truncating within a repeated fall-back hour stays in that hour).
 */
static int64 trunc_tstz(FuncCall *fc, const StrView *u, Unit unit, int64 ts, const TimeZone *tz)
{
    if (!fn_dt_finite(ts))
        return ts;
    int64 off = (int64)timezone_offset_utc(tz, ts, NULL, NULL) * USECS_PER_SEC, local;
    if (__builtin_add_overflow(ts, off, &local))
        local = ts, off = 0;
    int64 t = trunc_ts(fc, u, unit, local, TYPE_TIMESTAMPTZ);
    if (unit >= U_DAY && unit <= U_MILLENNIUM)
        return timezone_local_to_utc(tz, t);
    return t - off;
}

static void fn_date_trunc_ts(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *u = FN_SV(args[0]);
    const int64 *ts = FN_I64(args[1]);
    TypeId t = args[1]->type->id;
    const TimeZone *tz = t == TYPE_TIMESTAMPTZ ? timezone_session() : NULL;
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
        FN_I64(out)
        [r] = tz ? trunc_tstz(fc, &u[r], last, ts[r], tz) : trunc_ts(fc, &u[r], last, ts[r], t);
        vector_set_valid(out, r);
    }
}

/* date_trunc(unit, timestamptz, zone): truncation in the given zone's local time. */
static void fn_date_trunc_zone(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *u = FN_SV(args[0]), *zone = FN_SV(args[2]);
    const int64 *ts = FN_I64(args[1]);
    const TimeZone *tz = NULL;
    const StrView *tzname = NULL; /* the text tz was resolved from: once per distinct zone */
    FN_FOREACH(b, i, r)
    {
        if (tzname == NULL || tzname->len != zone[r].len ||
            memcmp(tzname->ptr, zone[r].ptr, zone[r].len) != 0) {
            tz = fn_dt_zone(fc, zone[r].ptr, zone[r].len);
            tzname = &zone[r];
        }
        FN_I64(out)[r] = trunc_tstz(fc, &u[r], unit_lookup(u[r].ptr, u[r].len), ts[r], tz);
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
        case U_MILLENNIUM:
            x.months = (int32)((years / 1000) * 1000 * 12);
            x.days = 0;
            x.micros = 0;
            break;
        case U_CENTURY:
            x.months = (int32)((years / 100) * 100 * 12);
            x.days = 0;
            x.micros = 0;
            break;
        case U_DECADE:
            x.months = (int32)((years / 10) * 10 * 12);
            x.days = 0;
            x.micros = 0;
            break;
        case U_YEAR:
            x.months = (int32)(years * 12);
            x.days = 0;
            x.micros = 0;
            break;
        case U_QUARTER:
            x.months = (int32)(years * 12 + 3 * (mons / 3));
            x.days = 0;
            x.micros = 0;
            break;
        case U_MONTH:
            x.days = 0;
            x.micros = 0;
            break;
        case U_DAY:
            x.micros = 0;
            break;
        case U_HOUR:
            x.micros -= x.micros % USECS_PER_HOUR;
            break;
        case U_MINUTE:
            x.micros -= x.micros % USECS_PER_MINUTE;
            break;
        case U_SECOND:
            x.micros -= x.micros % USECS_PER_SEC;
            break;
        case U_MILLISECONDS:
            x.micros -= x.micros % 1000;
            break;
        case U_MICROSECONDS:
            break;
        case U_WEEK:
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("unit \"%s\" not supported for type interval", "week"),
                    errdetail("Months usually have fractional weeks."), errposition(fn_errpos(fc)));
        case U_NONE:
            unit_error(fc, &u[r], TYPE_INTERVAL, false);
        default:
            unit_error(fc, &u[r], TYPE_INTERVAL, true);
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

/* tz: a timestamptz's fields are those of its local time in tz (epoch stays UTC-based). */
static bool field_of_ts(Unit unit, int64 ts, bool is_date, const TimeZone *tz, FieldVal *fv)
{
    Tm tm;
    if (tz)
        fn_dt_tstz_to_tm(ts, tz, &tm);
    else
        fn_dt_ts_to_tm(ts, &tm);
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
    case U_DAY:
        fv->num = tm.mday;
        break;
    case U_MONTH:
        fv->num = tm.mon;
        break;
    case U_QUARTER:
        fv->num = (tm.mon - 1) / 3 + 1;
        break;
    case U_WEEK: {
        int64 iy;
        int w;
        fn_dt_iso_week(tm.days, &iy, &w);
        fv->num = w;
        break;
    }
    case U_YEAR:
        fv->num = y;
        break;
    case U_DECADE:
        fv->num = fn_dt_floordiv(tm.year, 10);
        break;
    case U_CENTURY:
        fv->num = y > 0 ? (y + 99) / 100 : -((99 - (y + 1)) / 100);
        break;
    case U_MILLENNIUM:
        fv->num = y > 0 ? (y + 999) / 1000 : -((999 - (y + 1)) / 1000);
        break;
    case U_DOW:
        fv->num = tm.wday;
        break;
    case U_ISODOW:
        fv->num = tm.wday == 0 ? 7 : tm.wday;
        break;
    case U_DOY:
        fv->num = tm.yday;
        break;
    case U_ISOYEAR: {
        int64 iy;
        int w;
        fn_dt_iso_week(tm.days, &iy, &w);
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
        fv->num = tm.gmtoff;
        break;
    case U_TIMEZONE_HOUR:
        fv->num = tm.gmtoff / 3600;
        break;
    case U_TIMEZONE_MINUTE:
        fv->num = tm.gmtoff / 60 % 60;
        break;
    default:
        return false;
    }
    return true;
}

static bool field_of_iv(Unit unit, const Interval *iv, FieldVal *fv)
{
    Tm tm;
    fn_dt_iv_to_tm(iv, &tm);
    fv->scale = 0;
    switch (unit) {
    case U_MICROSECONDS:
        fv->num = (int128)tm.sec * 1000000 + tm.usec;
        break;
    case U_MILLISECONDS:
        fv->num = (int128)tm.sec * 1000000 + tm.usec, fv->scale = 3;
        break;
    case U_SECOND:
        fv->num = (int128)tm.sec * 1000000 + tm.usec, fv->scale = 6;
        break;
    case U_MINUTE:
        fv->num = tm.min;
        break;
    case U_HOUR:
        fv->num = tm.ihours;
        break;
    case U_DAY:
        fv->num = tm.mday;
        break;
    case U_MONTH:
        fv->num = tm.mon;
        break;
    case U_QUARTER:
        fv->num = tm.mon / 3 + 1;
        break;
    case U_YEAR:
        fv->num = tm.year;
        break;
    case U_DECADE:
        fv->num = tm.year / 10;
        break;
    case U_CENTURY:
        fv->num = tm.year / 100;
        break;
    case U_MILLENNIUM:
        fv->num = tm.year / 1000;
        break;
    case U_EPOCH: {
        /* PostgreSQL: 365.25 days per year, 30 per month; computed in microseconds */
        int128 secs_us = (int128)(iv->months / 12) * 36525 * 864 * 1000000 +
                         (int128)(iv->months % 12) * 30 * 86400 * 1000000 +
                         (int128)iv->days * 86400 * 1000000 + iv->micros;
        fv->num = secs_us, fv->scale = 6;
        break;
    }
    default:
        return false;
    }
    return true;
}

/* TIME: hour, minute, second, milliseconds, microseconds and epoch only (PostgreSQL). */
static bool field_of_time(Unit unit, int64 t, FieldVal *fv)
{
    int64 secus = t % USECS_PER_MINUTE;
    fv->scale = 0;
    switch (unit) {
    case U_MICROSECONDS:
        fv->num = secus;
        break;
    case U_MILLISECONDS:
        fv->num = secus, fv->scale = 3;
        break;
    case U_SECOND:
        fv->num = secus, fv->scale = 6;
        break;
    case U_MINUTE:
        fv->num = t / USECS_PER_MINUTE % 60;
        break;
    case U_HOUR:
        fv->num = t / USECS_PER_HOUR;
        break;
    case U_EPOCH:
        fv->num = t, fv->scale = 6;
        break;
    default:
        return false;
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

/* date_part(text, x) -> float8 and extract(text, x) -> numeric over TIMESTAMP[TZ], DATE, TIME,
 * INTERVAL. */
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
        else if (t == TYPE_TIME)
            ok = field_of_time(unit, FN_I64(args[1])[r], &fv);
        else {
            int64 ts;
            if (t == TYPE_DATE) {
                int32 d = FN_I32(args[1])[r];
                ts = d == DATE_NOBEGIN ? TIMESTAMP_NOBEGIN
                     : d == DATE_NOEND ? TIMESTAMP_NOEND
                                       : (int64)d * USECS_PER_DAY;
            } else
                ts = FN_I64(args[1])[r];
            infinite = !fn_dt_finite(ts);
            ok = field_of_ts(unit, infinite ? 0 : ts, t == TYPE_DATE && numeric,
                             t == TYPE_TIMESTAMPTZ ? timezone_session() : NULL, &fv);
            if (ok &&
                (unit == U_TIMEZONE || unit == U_TIMEZONE_HOUR || unit == U_TIMEZONE_MINUTE) &&
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
    case U_EPOCH:
        scale = is_date ? 0 : 6;
        break;
    case U_SECOND:
        scale = 6;
        break;
    case U_MILLISECONDS:
        scale = 3;
        break;
    case U_JULIAN:
        scale = is_date ? 0 : 20;
        break;
    default:
        scale = 0;
        break;
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
        FN_I32(out)
        [r] = (int32)check_ymd(fc, FN_I32(args[0])[r], FN_I32(args[1])[r], FN_I32(args[2])[r]);
        vector_set_valid(out, r);
    }
}

static void fn_make_timestamp(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    /* make_timestamptz: the wall time in the session zone */
    const TimeZone *tz = out->type->id == TYPE_TIMESTAMPTZ ? timezone_session() : NULL;
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
        int64 v = days * USECS_PER_DAY + (int64)h * USECS_PER_HOUR + (int64)mi * USECS_PER_MINUTE +
                  (int64)rint(sec * 1e6);
        FN_I64(out)[r] = tz ? timezone_local_to_utc(tz, v) : v;
        vector_set_valid(out, r);
    }
}

static void fn_make_time(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        int32 h = FN_I32(args[0])[r], mi = FN_I32(args[1])[r];
        double sec = FN_F64(args[2])[r];
        if (h < 0 || h > 24 || mi < 0 || mi > 59 || !(sec >= 0 && sec <= 60) ||
            (h == 24 && (mi > 0 || sec > 0)))
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                    errmsg("time field value out of range: %d:%02d:%02g", h, mi, sec),
                    errposition(fn_errpos(fc)));
        FN_I64(out)
        [r] = (int64)h * USECS_PER_HOUR + (int64)mi * USECS_PER_MINUTE + (int64)rint(sec * 1e6);
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
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                    errmsg("interval out of range"), errposition(fn_errpos(fc)));
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
    fn_dt_ts_to_tm(a, &t1);
    fn_dt_ts_to_tm(bts, &t2);
    int64 fsec = (int64)t1.usec - t2.usec;
    int64 sec = t1.sec - t2.sec, min = t1.min - t2.min, hour = t1.hour - t2.hour;
    int64 mday = t1.mday - t2.mday, mon = t1.mon - t2.mon, year = t1.year - t2.year;
    bool neg = a < bts;
    if (neg) {
        fsec = -fsec, sec = -sec, min = -min, hour = -hour, mday = -mday, mon = -mon, year = -year;
    }
    while (fsec < 0)
        fsec += USECS_PER_SEC, sec--;
    while (sec < 0)
        sec += 60, min--;
    while (min < 0)
        min += 60, hour--;
    while (hour < 0)
        hour += 24, mday--;
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
    while (mon < 0)
        mon += 12, year--;
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
    /* timestamptz: the difference of the local times' fields, as PostgreSQL's timestamptz_age */
    const TimeZone *tz = args[0]->type->id == TYPE_TIMESTAMPTZ ? timezone_session() : NULL;
    FN_FOREACH(b, i, r)
    {
        if (!fn_dt_finite(x[r]) || !fn_dt_finite(y[r]))
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                    errmsg("cannot subtract infinite timestamps"), errposition(fn_errpos(fc)));
        Interval age = tz ? age_of(timezone_utc_to_local(tz, x[r]), timezone_utc_to_local(tz, y[r]))
                          : age_of(x[r], y[r]);
        FN_IV(out)[r] = age;
        vector_set_valid(out, r);
    }
}

static void fn_age1(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const int64 *x = FN_I64(args[0]);
    /* age(x) = age(current_date, x): midnight of the session zone's date */
    const TimeZone *stz = timezone_session();
    int64 now_local = timezone_utc_to_local(stz, fc->ctx->transaction_timestamp);
    int64 today = fn_dt_floordiv(now_local, USECS_PER_DAY) * USECS_PER_DAY;
    const TimeZone *tz = args[0]->type->id == TYPE_TIMESTAMPTZ ? stz : NULL;
    FN_FOREACH(b, i, r)
    {
        if (!fn_dt_finite(x[r]))
            ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                    errmsg("cannot subtract infinite timestamps"), errposition(fn_errpos(fc)));
        FN_IV(out)[r] = age_of(today, tz ? timezone_utc_to_local(tz, x[r]) : x[r]);
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
        if (!fn_dt_finite(src[r]) || !fn_dt_finite(org[r]))
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
            fin = fn_dt_finite(FN_I64(args[0])[r]);
        FN_U8(out)[r] = fin;
        vector_set_valid(out, r);
    }
}

/* ---------- the table ---------- */

/* clang-format off */
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
    {"transaction_timestamp", 2647, 0, {0}, TSTZ, NULL, fn_now, STABLE,
     "current transaction time"},
    {"statement_timestamp", 2648, 0, {0}, TSTZ, NULL, fn_statement_timestamp, STABLE,
     "current statement time"},
    {"timeofday", 274, 0, {0}, S, NULL, fn_timeofday, FN_VOLATILE, "current date and time - increments during transactions"},
    {"clock_timestamp", 2649, 0, {0}, TSTZ, NULL, fn_clock_timestamp, FN_VOLATILE,
     "current clock time"},
    {"current_date", 20201, 0, {0}, DT, NULL, fn_current_date, STABLE, "current date"},
    {"localtimestamp", 20202, 0, {0}, TS, NULL, fn_localtimestamp, STABLE, "current local timestamp"},
    {"localtime", 20203, 0, {0}, TYPE_TIME, NULL, fn_localtime, STABLE, "current local time"},
    {"date_trunc", 2020, 2, {S, TS}, TS, NULL, fn_date_trunc_ts, STRICT,
     "truncate timestamp to specified units"},
    {"date_trunc", 1217, 2, {S, TSTZ}, TSTZ, NULL, fn_date_trunc_ts, STRICT | STABLE,
     "truncate timestamp with time zone to specified units"},
    {"date_trunc", 1284, 3, {S, TSTZ, S}, TSTZ, NULL, fn_date_trunc_zone, STRICT | STABLE, "truncate timestamp with time zone to specified units in specified time zone"},
    {"date_trunc", 1218, 2, {S, IV}, IV, NULL, fn_date_trunc_iv, STRICT,
     "truncate interval to specified units"},
    {"date_part", 2021, 2, {S, TS}, F8, NULL, fn_date_part, STRICT,
     "extract field from timestamp"},
    {"date_part", 1171, 2, {S, TSTZ}, F8, NULL, fn_date_part, STRICT | STABLE,
     "extract field from timestamp with time zone"},
    {"date_part", 1384, 2, {S, DT}, F8, NULL, fn_date_part, STRICT, "extract field from date"},
    {"date_part", 1385, 2, {S, TYPE_TIME}, F8, NULL, fn_date_part, STRICT, "extract field from time"},
    {"date_part", 1172, 2, {S, IV}, F8, NULL, fn_date_part, STRICT,
     "extract field from interval"},
    {"extract", 6202, 2, {S, TS}, TYPE_DECIMAL, ret_extract, fn_extract, STRICT,
     "extract field from timestamp", ret_extract_const},
    {"extract", 6203, 2, {S, TSTZ}, TYPE_DECIMAL, ret_extract, fn_extract, STRICT | STABLE,
     "extract field from timestamp with time zone", ret_extract_const},
    {"extract", 6199, 2, {S, DT}, TYPE_DECIMAL, ret_extract, fn_extract, STRICT,
     "extract field from date", ret_extract_const},
    {"extract", 6200, 2, {S, TYPE_TIME}, TYPE_DECIMAL, ret_extract, fn_extract, STRICT, "extract field from time", ret_extract_const},
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
    {"make_time", 3847, 3, {I4, I4, F8}, TYPE_TIME, NULL, fn_make_time, STRICT, "construct time"},
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
/* clang-format on */
const int lm_nfuncs_datetime = sizeof(lm_funcs_datetime) / sizeof(lm_funcs_datetime[0]);
