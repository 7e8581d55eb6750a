/*
 * datetime.h: calendar arithmetic and the text forms of DATE, TIME,
 * TIMESTAMP[TZ] and INTERVAL as PostgreSQL 15 prints and reads them
 * (DateStyle ISO, MDY; IntervalStyle postgres; TIMESTAMPTZ in the calling
 * thread's session time zone, common/timezone.h).
 *
 * Representations (types.h): DATE int32 days since 1970-01-01, TIME int64
 * microseconds since midnight, TIMESTAMP[TZ] int64 microseconds since
 * 1970-01-01 00:00 UTC.  Years are proleptic Gregorian, astronomical
 * numbering internally (year 0 is 1 BC).  +/-infinity are the extreme values
 * of each representation, as in PostgreSQL.
 *
 * Parsers raise 22007 (syntax) or 22008 (out of range) with PostgreSQL's
 * wording; they accept the input's length (no NUL terminator needed).
 */
#ifndef LM_DATETIME_H
#define LM_DATETIME_H

#include "common/types.h"

#define DATE_NOBEGIN INT32_MIN
#define DATE_NOEND INT32_MAX
#define TIMESTAMP_NOBEGIN INT64_MIN
#define TIMESTAMP_NOEND INT64_MAX
#define USECS_PER_HOUR INT64_C(3600000000)
#define USECS_PER_MINUTE INT64_C(60000000)

/* Days since 1970-01-01 for an astronomical year / month 1..12 / day 1..31 (no validation). */
int64 date_from_ymd(int64 year, int month, int day);
void date_to_ymd(int64 days, int64 *year, int *month, int *day);
int date_days_in_month(int64 year, int month);

/* Formatting, appended to out (PostgreSQL's ISO style). */
void datetime_format_date(int32 days, StrBuf *out);
void datetime_format_time(int64 micros, StrBuf *out);
void datetime_format_timestamp(int64 micros, bool with_tz, StrBuf *out);
/* As PostgreSQL's to_json() writes them: 2024-01-01T14:30:00, ...+00:00 with tz. */
void datetime_format_timestamp_iso(int64 micros, bool with_tz, StrBuf *out);
void datetime_format_interval(const Interval *iv, StrBuf *out);

/* Parsing (raise on bad input). */
int32 datetime_parse_date(const char *s, size_t len);
int64 datetime_parse_time(const char *s, size_t len);
int64 datetime_parse_timestamp(const char *s, size_t len, bool with_tz);
Interval datetime_parse_interval(const char *s, size_t len);

/* Wall-clock time, microseconds since 1970 (for 'now', 'today'). */
int64 datetime_now_micros(void);

#endif
