/*
 * timezone.h: time zones as PostgreSQL 15 knows them, and the per-thread
 * session time zone that TIMESTAMPTZ text I/O uses.
 *
 * A TimeZone is loaded by name the way PostgreSQL's pg_tzset() does: a file
 * of the system tz database (TZif, $TZDIR or /usr/share/zoneinfo; names
 * match case-insensitively and canonicalise to the file's spelling, e.g.
 * "america/new_york" -> "America/New_York"), or else a POSIX TZ string
 * ("UTC+3" is three hours WEST of Greenwich, "+05:30" is 05:30 west,
 * "EST5EDT,M3.2.0,M11.1.0"; canonical name upper-cased).  Fixed offsets as
 * SET TIME ZONE -7 / INTERVAL '+02:00' make them are named like
 * PostgreSQL's pg_tzset_offset ("<-07>+07", "<+02>-02").
 *
 * Zones are cached process-wide and immutable once loaded, so a pointer may
 * be shared between threads and kept for the life of the process.
 * Offsets are seconds EAST of UTC (PostgreSQL prints them that way).
 */
#ifndef LM_TIMEZONE_H
#define LM_TIMEZONE_H

#include "common/types.h"

typedef struct TimeZone TimeZone;

/* The built-in UTC zone (never NULL). */
const TimeZone *timezone_utc(void);

/* pg_tzset(): a zone file or POSIX spec by name; NULL when unknown or invalid. */
const TimeZone *timezone_load(const char *name, size_t len);
/* pg_tzset_offset(): a fixed zone gmtoff seconds EAST of UTC; NULL when out of range (> 14h... as
 * PostgreSQL: |off| < 168h). */
const TimeZone *timezone_fixed(int32 gmtoff);
/* A zone from TZif bytes (for tests; not cached, caller frees with timezone_free); NULL if invalid.
 */
TimeZone *timezone_parse_tzif(const char *name, const unsigned char *buf, size_t len);
void timezone_free(TimeZone *tz);

/* Canonical name, as SHOW TimeZone prints it. */
const char *timezone_name(const TimeZone *tz);
/* Whether the zone came from a tz database file (not a POSIX spec). */
bool timezone_is_file(const TimeZone *tz);

/* Offset (seconds east) in force at a UTC instant (micros since 1970); abbrev/is_dst may be NULL.
 */
int32 timezone_offset_utc(const TimeZone *tz, int64 utc_micros, const char **abbrev, bool *is_dst);
/*
 * Offset (seconds east) for a local wall time (micros since 1970 as if UTC),
 * by PostgreSQL's DetermineTimeZoneOffset: a time skipped by a forward jump
 * takes the offset before it, a repeated time the offset after the jump.
 */
int32 timezone_offset_local(const TimeZone *tz, int64 local_micros, bool *is_dst);

/* Local wall time <-> UTC instant (infinities pass through; 22008 past the int64 range). */
int64 timezone_utc_to_local(const TimeZone *tz, int64 utc_micros);
int64 timezone_local_to_utc(const TimeZone *tz, int64 local_micros);

/*
 * timestamptz + n * interval as PostgreSQL's timestamptz_pl_interval: the
 * months, then the days, are added to the local time in tz (the offset found
 * anew after each, so '1 day' across a DST change keeps the wall time), the
 * microseconds to the instant.  tz NULL: timestamp + interval (wall time).
 * Raises 22008 "timestamp out of range"; infinities pass through.
 */
int64 timezone_add_interval(const TimeZone *tz, int64 ts, const Interval *iv, int64 n);

/*
 * PostgreSQL's default time zone abbreviations (timezonesets/Default) as used
 * in timestamp input and AT TIME ZONE, case-insensitively: "est" -> -18000
 * (*dynamic NULL), or for a dynamic abbreviation ("msk") its zone in
 * *dynamic, whose offset at the time in question applies.  is_dst may be NULL.
 */
bool timezone_abbrev_lookup(const char *name, size_t len, int32 *gmtoff, bool *is_dst,
                            const TimeZone **dynamic);

/* PostgreSQL's offset text: +05, -03:30, +05:21:10 (always with minutes when colon_minutes). */
void timezone_format_offset(int32 gmtoff, bool colon_minutes, StrBuf *out);

/*
 * The calling thread's session time zone (UTC until set).  Session threads
 * set it from the TimeZone setting; streaming workers leave it at UTC.
 */
void timezone_set_session(const TimeZone *tz);
const TimeZone *timezone_session(void);

#endif
