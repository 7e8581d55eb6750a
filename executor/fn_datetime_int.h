/*
 * fn_datetime_int.h: what the date/time function files share (fn_datetime.c,
 * fn_tochar.c, fn_tz.c): broken-down calendar values and the kernels
 * fn_datetime.c's table names from the other two files.  Not for use outside
 * executor/fn_*.c.
 */
#ifndef LM_FN_DATETIME_INT_H
#define LM_FN_DATETIME_INT_H

#include "executor/fn_util.h"
#include "common/datetime.h"
#include "common/timezone.h"

#define JULIAN_EPOCH_OFFSET 2440588 /* Julian day number of 1970-01-01 */

/* A timestamp or interval broken into calendar fields. */
typedef struct Tm {
    int64 year; /* astronomical */
    int mon, mday, hour, min, sec, usec;
    int wday;   /* 0 = Sunday */
    int yday;   /* 1-based */
    int64 days; /* since 1970-01-01 */
    int64 tod;  /* microseconds since midnight */
    bool interval;
    int64 ihours;    /* intervals: hours may exceed 23 */
    int32 gmtoff;    /* timestamptz: the zone's offset, seconds east (else 0) */
    const char *tzn; /* timestamptz: the zone's abbreviation (else NULL) */
} Tm;

static inline bool fn_dt_finite(int64 ts)
{
    return ts != TIMESTAMP_NOBEGIN && ts != TIMESTAMP_NOEND;
}

void fn_dt_ts_to_tm(int64 ts, Tm *tm);
/* A timestamptz as local time in tz, with gmtoff and tzn set. */
void fn_dt_tstz_to_tm(int64 ts, const TimeZone *tz, Tm *tm);
void fn_dt_iv_to_tm(const Interval *iv, Tm *tm); /* years, months, days, hours (unbounded), ... */
void fn_dt_iso_week(int64 days, int64 *iso_year, int *week);
int64 fn_dt_floordiv(int64 a, int64 b);

/* fn_tochar.c: to_char, to_timestamp(text, text), to_date */
void fn_to_char_ts(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_to_char_iv(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_to_char_num(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_to_timestamp_text(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_to_date(FuncCall *fc, Vector **args, const Batch *b, Vector *out);

/* fn_tz.c: timezone(zone, timestamptz) -> timestamp and timezone(zone, timestamp) -> timestamptz;
 * fn_dt_zone resolves a zone argument as AT TIME ZONE does (22023 when unknown). */
const TimeZone *fn_dt_zone(FuncCall *fc, const char *name, size_t len);
void fn_timezone_tstz(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_timezone_ts(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
/* Offset east of UTC (microseconds) of a zone name at a UTC instant / for a local wall time;
 * raises 22023 for unknown zones. */
int64 fn_tz_offset_at_utc(FuncCall *fc, const StrView *zone, int64 utc_micros);
int64 fn_tz_offset_for_local(FuncCall *fc, const StrView *zone, int64 local_micros);

#endif
