/*
 * datetime.c: DATE, TIME, TIMESTAMP[TZ] and INTERVAL text formats
 * (PostgreSQL 15, DateStyle ISO, MDY, IntervalStyle postgres).  TIMESTAMPTZ is
 * printed, and read without an explicit zone, in the calling thread's
 * session time zone (common/timezone.h); 'today' and 'now' are local too.
 *
 * Input is a pragmatic subset of PostgreSQL's ParseDateTime/DecodeDateTime:
 *   dates    YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, MM/DD/YYYY, MM-DD-YYYY (MDY),
 *            2-digit years as PostgreSQL maps them, optional BC/AD;
 *   times    HH:MM[:SS[.frac]], 24:00:00;
 *   joined   by 'T' or blanks; zones +hh, +hhmm, +hh:mm[:ss], PostgreSQL's
 *            default abbreviations (Z, UTC, EST, CEST, ...) and zone names
 *            (Europe/Paris, Japan), a named zone at the given local time;
 *   specials epoch, infinity, -infinity, now, today, tomorrow, yesterday,
 *            allballs.
 * Month names are not accepted yet.
 * TIMESTAMP without time zone ignores a zone, as PostgreSQL does; TIMESTAMPTZ
 * converts it to UTC.  Intervals accept PostgreSQL's verbose form
 * ("1 year 2 mons 3 days 04:05:06", "@ 1 hour ago", "5s", "1.5 days") and
 * ISO 8601 durations ("P1Y2M3DT4H5M6.5S", "PT30S").
 *
 * Calendar arithmetic is Howard Hinnant's days_from_civil/civil_from_days
 * (proleptic Gregorian, like PostgreSQL's Julian-day code).
 */
#include "common/datetime.h"
#include "common/error.h"
#include "common/timezone.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

/* JD 0 (4714-11-24 BC) and PostgreSQL's last date, as days since 1970. */
#define DATE_MIN_DAYS INT64_C(-2440588)
#define DATE_MAX_DAYS INT64_C(2145042906)

int64 date_from_ymd(int64 y, int m, int d)
{
    y -= m <= 2;
    int64 era = (y >= 0 ? y : y - 399) / 400;
    int64 yoe = y - era * 400;
    int64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_to_ymd(int64 z, int64 *year, int *month, int *day)
{
    z += 719468;
    int64 era = (z >= 0 ? z : z - 146096) / 146097;
    int64 doe = z - era * 146097;
    int64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64 y = yoe + era * 400;
    int64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64 mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = y + (*month <= 2);
}

int date_days_in_month(int64 y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

int64 datetime_now_micros(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64)ts.tv_sec * USECS_PER_SEC + ts.tv_nsec / 1000;
}

/* ------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------ */

/* Appends |v| zero-padded to at least width digits. */
static void append_padded(StrBuf *out, uint64 v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    strbuf_reserve(out, (size_t)(n > width ? n : width));
    char *p = out->data + out->len;
    for (int i = n; i < width; i++)
        *p++ = '0';
    while (n)
        *p++ = tmp[--n];
    out->len = (size_t)(p - out->data);
    out->data[out->len] = '\0';
}

static void append_int64(StrBuf *out, int64 v)
{
    if (v < 0) {
        strbuf_append_char(out, '-');
        append_padded(out, (uint64)0 - (uint64)v, 1);
    } else
        append_padded(out, (uint64)v, 1);
}

/* Appends ".ffffff" without trailing zeros when usec != 0. */
static void append_fraction(StrBuf *out, int64 usec)
{
    if (usec == 0)
        return;
    char f[8];
    f[0] = '.';
    for (int i = 6; i >= 1; i--) {
        f[i] = (char)('0' + usec % 10);
        usec /= 10;
    }
    int n = 7;
    while (f[n - 1] == '0')
        n--;
    strbuf_append(out, f, (size_t)n);
}

/* Year-month-day with the year padded to 4 digits; returns whether BC. */
static bool append_ymd(StrBuf *out, int64 days)
{
    int64 y;
    int m, d;
    date_to_ymd(days, &y, &m, &d);
    bool bc = y <= 0;
    append_padded(out, (uint64)(bc ? 1 - y : y), 4);
    strbuf_append_char(out, '-');
    append_padded(out, (uint64)m, 2);
    strbuf_append_char(out, '-');
    append_padded(out, (uint64)d, 2);
    return bc;
}

static void append_hms(StrBuf *out, int64 tod)
{
    append_padded(out, (uint64)(tod / USECS_PER_HOUR), 2);
    strbuf_append_char(out, ':');
    append_padded(out, (uint64)(tod / USECS_PER_MINUTE % 60), 2);
    strbuf_append_char(out, ':');
    append_padded(out, (uint64)(tod / USECS_PER_SEC % 60), 2);
    append_fraction(out, tod % USECS_PER_SEC);
}

void datetime_format_date(int32 days, StrBuf *out)
{
    if (days == DATE_NOBEGIN) {
        strbuf_append_str(out, "-infinity");
        return;
    }
    if (days == DATE_NOEND) {
        strbuf_append_str(out, "infinity");
        return;
    }
    if (append_ymd(out, days))
        strbuf_append_str(out, " BC");
}

void datetime_format_time(int64 micros, StrBuf *out)
{
    append_hms(out, micros);
}

static void format_timestamp(int64 micros, bool with_tz, bool iso, StrBuf *out)
{
    if (micros == TIMESTAMP_NOBEGIN) {
        strbuf_append_str(out, "-infinity");
        return;
    }
    if (micros == TIMESTAMP_NOEND) {
        strbuf_append_str(out, "infinity");
        return;
    }
    int32 gmtoff = 0;
    if (with_tz) {
        gmtoff = timezone_offset_utc(timezone_session(), micros, NULL, NULL);
        int64 local;
        if (__builtin_add_overflow(micros, (int64)gmtoff * USECS_PER_SEC, &local))
            gmtoff = 0; /* beyond the representable local range: print in UTC */
        else
            micros = local;
    }
    int64 days = micros / USECS_PER_DAY;
    int64 tod = micros % USECS_PER_DAY;
    if (tod < 0) {
        tod += USECS_PER_DAY;
        days--;
    }
    bool bc = append_ymd(out, days);
    strbuf_append_char(out, iso ? 'T' : ' ');
    append_hms(out, tod);
    if (with_tz)
        timezone_format_offset(gmtoff, iso, out);
    if (bc)
        strbuf_append_str(out, " BC");
}

void datetime_format_timestamp(int64 micros, bool with_tz, StrBuf *out)
{
    format_timestamp(micros, with_tz, false, out);
}

void datetime_format_timestamp_iso(int64 micros, bool with_tz, StrBuf *out)
{
    format_timestamp(micros, with_tz, true, out);
}

/* PostgreSQL's AddPostgresIntPart. */
static void add_int_part(StrBuf *out, int64 value, const char *units, bool *is_zero, bool *is_before)
{
    if (value == 0)
        return;
    if (!*is_zero)
        strbuf_append_char(out, ' ');
    if (*is_before && value > 0)
        strbuf_append_char(out, '+');
    append_int64(out, value);
    strbuf_append_char(out, ' ');
    strbuf_append_str(out, units);
    if (value != 1)
        strbuf_append_char(out, 's');
    *is_before = value < 0;
    *is_zero = false;
}

void datetime_format_interval(const Interval *iv, StrBuf *out)
{
    bool is_zero = true, is_before = false;
    int64 year = iv->months / 12, mon = iv->months % 12;
    add_int_part(out, year, "year", &is_zero, &is_before);
    add_int_part(out, mon, "mon", &is_zero, &is_before);
    add_int_part(out, iv->days, "day", &is_zero, &is_before);
    int64 t = iv->micros;
    int64 hour = t / USECS_PER_HOUR;
    t -= hour * USECS_PER_HOUR;
    int64 min = t / USECS_PER_MINUTE;
    t -= min * USECS_PER_MINUTE;
    int64 sec = t / USECS_PER_SEC;
    int64 fsec = t - sec * USECS_PER_SEC;
    if (is_zero || hour != 0 || min != 0 || sec != 0 || fsec != 0) {
        bool minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
        if (!is_zero)
            strbuf_append_char(out, ' ');
        if (minus)
            strbuf_append_char(out, '-');
        else if (is_before)
            strbuf_append_char(out, '+');
        /* |hour| fits: |micros| / 3.6e9 is far below INT64_MAX */
        append_padded(out, (uint64)(hour < 0 ? -hour : hour), 2);
        strbuf_append_char(out, ':');
        append_padded(out, (uint64)(min < 0 ? -min : min), 2);
        strbuf_append_char(out, ':');
        append_padded(out, (uint64)(sec < 0 ? -sec : sec), 2);
        append_fraction(out, fsec < 0 ? -fsec : fsec);
    }
}

/* ------------------------------------------------------------------------
 * Input
 * ------------------------------------------------------------------------ */

typedef struct DtFields {
    bool has_date, has_time, has_tz, bc, ad;
    int64 year;
    int month, day;
    int hour, minute, second;
    int64 usec;
    int tz_seconds;           /* east of UTC */
    const TimeZone *named_tz; /* a zone name: its offset depends on the date */
} DtFields;

typedef enum DtSpecial { DT_NONE, DT_EPOCH, DT_INF, DT_NINF, DT_NOW, DT_TODAY, DT_TOMORROW, DT_YESTERDAY, DT_ALLBALLS } DtSpecial;

LM_NORETURN static void dt_syntax(const char *type, const char *s, size_t len)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_DATETIME_FORMAT),
            errmsg("invalid input syntax for type %s: \"%.*s\"", type, (int)len, s));
}

LM_NORETURN static void dt_range(const char *s, size_t len)
{
    ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
            errmsg("date/time field value out of range: \"%.*s\"", (int)len, s));
}

/* Invalid date fields: a month beyond 12 may be a day read in the wrong order, so PostgreSQL
 * suggests another DateStyle. */
LM_NORETURN static void dt_date_range(const DtFields *f, const char *s, size_t len)
{
    if (f->month > 12)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                errmsg("date/time field value out of range: \"%.*s\"", (int)len, s),
                errhint("Perhaps you need a different \"datestyle\" setting."));
    dt_range(s, len);
}

static bool word_eq(const char *s, size_t len, const char *w)
{
    return strlen(w) == len && strncasecmp(s, w, len) == 0;
}

static DtSpecial dt_special(const char *s, size_t len)
{
    if (word_eq(s, len, "epoch")) return DT_EPOCH;
    if (word_eq(s, len, "infinity") || word_eq(s, len, "+infinity")) return DT_INF;
    if (word_eq(s, len, "-infinity")) return DT_NINF;
    if (word_eq(s, len, "now")) return DT_NOW;
    if (word_eq(s, len, "today")) return DT_TODAY;
    if (word_eq(s, len, "tomorrow")) return DT_TOMORROW;
    if (word_eq(s, len, "yesterday")) return DT_YESTERDAY;
    if (word_eq(s, len, "allballs")) return DT_ALLBALLS;
    return DT_NONE;
}

/* Reads up to maxd digits; returns count read (0 if none). */
static int read_digits(const char *s, size_t len, size_t *i, int64 *val, int maxd)
{
    int n = 0;
    int64 v = 0;
    while (*i < len && isdigit((unsigned char)s[*i]) && n < maxd) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    *val = v;
    return n;
}

static void skip_blanks(const char *s, size_t len, size_t *i)
{
    while (*i < len && isspace((unsigned char)s[*i]))
        (*i)++;
}

/* Two-digit years: PostgreSQL maps 00..69 to 20xx and 70..99 to 19xx. */
static int64 adjust_year(int64 y, int ndigits)
{
    if (ndigits <= 2)
        return y < 70 ? y + 2000 : y + 1900;
    return y;
}

/*
 * Reads ".ddd" at *i (pointing at the '.') as microseconds the way
 * PostgreSQL does: strtod of the fraction, then rint(frac * 1e6), so
 * halfway cases round like PostgreSQL's (half-even on the double).
 */
static int64 read_fraction_usec(const char *s, size_t len, size_t *i)
{
    char buf[40];
    size_t n = 0;
    buf[n++] = '0';
    buf[n++] = '.';
    (*i)++;
    while (*i < len && isdigit((unsigned char)s[*i])) {
        if (n < sizeof(buf) - 1)
            buf[n++] = s[*i];
        (*i)++;
    }
    buf[n] = '\0';
    return (int64)rint(strtod(buf, NULL) * 1000000.0);
}

/*
 * Parses the time part "HH:MM[:SS[.frac]]" starting at *i; returns false on
 * syntax error.  Fraction digits beyond microseconds are rounded.
 */
static bool parse_time_part(const char *s, size_t len, size_t *i, DtFields *f)
{
    int64 h, m, sec = 0;
    if (read_digits(s, len, i, &h, 9) == 0 || *i >= len || s[*i] != ':')
        return false;
    (*i)++;
    if (read_digits(s, len, i, &m, 2) == 0)
        return false;
    int64 usec = 0;
    if (*i < len && s[*i] == ':') {
        (*i)++;
        if (read_digits(s, len, i, &sec, 2) == 0)
            return false;
        if (*i < len && s[*i] == '.')
            usec = read_fraction_usec(s, len, i);
    }
    /* optional AM/PM */
    size_t j = *i;
    while (j < len && s[j] == ' ')
        j++;
    if (j + 2 <= len && (s[j + 1] == 'M' || s[j + 1] == 'm') &&
        (j + 2 == len || !isalpha((unsigned char)s[j + 2])) &&
        (s[j] == 'A' || s[j] == 'a' || s[j] == 'P' || s[j] == 'p')) {
        bool pm = s[j] == 'P' || s[j] == 'p';
        if (h < 1 || h > 12)
            h = 1000; /* out of range, reported by the caller */
        else if (pm && h != 12)
            h += 12;
        else if (!pm && h == 12)
            h = 0;
        *i = j + 2;
    }
    f->has_time = true;
    f->hour = (int)(h > 1000 ? 1000 : h);
    f->minute = (int)m;
    f->second = (int)sec;
    f->usec = usec;
    return true;
}

/* Length of an alphabetic zone token at i: letters, then digits, '_', '/' and,
 * after a '/', signs (Etc/GMT+5). */
static size_t zone_word_len(const char *s, size_t len, size_t i)
{
    size_t j = i;
    bool slash = false;
    if (j >= len || !isalpha((unsigned char)s[j]))
        return 0;
    while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '/' ||
                       (slash && (s[j] == '+' || s[j] == '-')))) {
        slash |= s[j] == '/';
        j++;
    }
    return j - i;
}

/*
 * Zone: +hh, +hhmm, +hh:mm, +hh:mm:ss, an abbreviation (EST) or a zone name
 * (America/New_York).  Returns false on syntax error.
 */
static bool parse_zone(const char *s, size_t len, size_t *i, DtFields *f, bool *range_error)
{
    size_t wl = zone_word_len(s, len, *i);
    if (wl > 0) {
        int32 off;
        const TimeZone *dyn;
        if (timezone_abbrev_lookup(s + *i, wl, &off, NULL, &dyn)) {
            f->tz_seconds = off;
            f->named_tz = dyn; /* dynamic abbreviation: its zone's offset at the time */
        } else {
            /* PostgreSQL accepts zone files here, not POSIX specs */
            const TimeZone *tz = timezone_load(s + *i, wl);
            if ((tz == NULL || !timezone_is_file(tz)) && memchr(s + *i, '/', wl)) {
                /* PostgreSQL: a name with a slash is a zone name, lower-cased in the message */
                char low[256];
                size_t n = wl < sizeof(low) ? wl : sizeof(low) - 1;
                for (size_t k = 0; k < n; k++)
                    low[k] = (char)tolower((unsigned char)s[*i + k]);
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("time zone \"%.*s\" not recognized", (int)n, low));
            }
            if (tz == NULL || !timezone_is_file(tz))
                return false;
            f->named_tz = tz;
        }
        *i += wl;
        f->has_tz = true;
        return true;
    }
    if (s[*i] != '+' && s[*i] != '-')
        return false;
    int sign = s[*i] == '-' ? -1 : 1;
    (*i)++;
    int64 h, m = 0, sec = 0;
    int nd = read_digits(s, len, i, &h, 4);
    if (nd == 0)
        return false;
    if (nd == 4) {
        m = h % 100;
        h /= 100;
    } else if (nd == 3)
        return false;
    else if (*i < len && s[*i] == ':') {
        (*i)++;
        if (read_digits(s, len, i, &m, 2) != 2)
            return false;
        if (*i < len && s[*i] == ':') {
            (*i)++;
            if (read_digits(s, len, i, &sec, 2) != 2)
                return false;
        }
    }
    if (h > 15 || m > 59 || sec > 59)
        *range_error = true;
    f->has_tz = true;
    f->tz_seconds = sign * (int)(h * 3600 + m * 60 + sec);
    return true;
}

/*
 * Splits a date/time string into fields.  Returns false on a syntax error;
 * range checks are the caller's (they differ per type).
 */
static bool parse_fields(const char *s, size_t len, DtFields *f, bool *zone_range_error)
{
    memset(f, 0, sizeof(*f));
    size_t i = 0;
    skip_blanks(s, len, &i);
    if (i >= len)
        return false;
    /* date part */
    if (isdigit((unsigned char)s[i])) {
        size_t save = i;
        int64 a;
        int na = read_digits(s, len, &i, &a, 12);
        if (i < len && s[i] == ':') {
            i = save; /* a bare time */
        } else if (i < len && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
            char sep = s[i++];
            int64 b, c;
            if (read_digits(s, len, &i, &b, 2) == 0 || i >= len || s[i] != sep)
                return false;
            i++;
            int nc = read_digits(s, len, &i, &c, 12);
            if (nc == 0)
                return false;
            if (na >= 3) { /* Y-M-D */
                f->year = a;
                f->month = (int)b;
                f->day = (int)(c > 99 ? 99 : c);
                if (nc > 2)
                    return false;
            } else { /* M-D-Y (DateStyle MDY) */
                f->month = (int)a;
                f->day = (int)b;
                f->year = adjust_year(c, nc);
            }
            f->has_date = true;
        } else if (na == 8) {
            f->year = a / 10000;
            f->month = (int)(a / 100 % 100);
            f->day = (int)(a % 100);
            f->has_date = true;
        } else
            return false;
        if (f->has_date) {
            if (i < len && (s[i] == 'T' || s[i] == 't') && i + 1 < len && isdigit((unsigned char)s[i + 1]))
                i++;
            else
                skip_blanks(s, len, &i);
        }
    }
    /* time part */
    if (i < len && isdigit((unsigned char)s[i])) {
        if (!parse_time_part(s, len, &i, f))
            return false;
        skip_blanks(s, len, &i);
    }
    if (!f->has_date && !f->has_time)
        return false;
    /* zone */
    /* a signed offset follows a time, or a date and a blank ("2024-02-11 +00", as JDBC sends) */
    size_t wl = zone_word_len(s, len, i);
    bool sign_ok = f->has_time || (i > 0 && isspace((unsigned char)s[i - 1]));
    if (i < len && ((sign_ok && (s[i] == '+' || s[i] == '-') && i + 1 < len &&
                     isdigit((unsigned char)s[i + 1])) ||
                    (wl > 0 && !word_eq(s + i, wl, "bc") && !word_eq(s + i, wl, "ad")))) {
        if (!parse_zone(s, len, &i, f, zone_range_error))
            return false;
        skip_blanks(s, len, &i);
    }
    /* era */
    if (i + 2 <= len && strncasecmp(s + i, "bc", 2) == 0) {
        f->bc = true;
        i += 2;
    } else if (i + 2 <= len && strncasecmp(s + i, "ad", 2) == 0) {
        f->ad = true;
        i += 2;
    }
    skip_blanks(s, len, &i);
    return i == len;
}

static bool date_fields_valid(DtFields *f)
{
    if (f->bc) {
        if (f->year <= 0)
            return false;
        f->year = 1 - f->year;
    } else if (f->year == 0)
        return false; /* there is no year 0 in AD/BC numbering */
    if (f->month < 1 || f->month > 12 || f->day < 1)
        return false;
    if (f->year > 10000000 || f->year < -10000000)
        return false;
    return f->day <= date_days_in_month(f->year, f->month);
}

/* Time of day in micros from fields; -1 when out of range. */
static int64 time_fields_micros(const DtFields *f)
{
    if (f->hour < 0 || f->minute > 59 || f->second > 60)
        return -1;
    int64 t = ((int64)f->hour * 3600 + f->minute * 60 + f->second) * USECS_PER_SEC + f->usec;
    if (t > USECS_PER_DAY)
        return -1;
    return t;
}

/* Wall-clock now as a local time in the session zone. */
static int64 local_now_micros(void)
{
    return timezone_utc_to_local(timezone_session(), datetime_now_micros());
}

static int64 today_days(void)
{
    int64 now = local_now_micros();
    return now / USECS_PER_DAY - (now % USECS_PER_DAY < 0);
}

/* Local midnight 'days' as a TIMESTAMP, or its instant as a TIMESTAMPTZ. */
static int64 local_midnight(int64 days, bool with_tz)
{
    int64 t = days * USECS_PER_DAY;
    return with_tz ? timezone_local_to_utc(timezone_session(), t) : t;
}

int32 datetime_parse_date(const char *s, size_t len)
{
    size_t b = 0, e = len;
    while (b < e && isspace((unsigned char)s[b]))
        b++;
    while (e > b && isspace((unsigned char)s[e - 1]))
        e--;
    switch (dt_special(s + b, e - b)) {
    case DT_EPOCH: return 0;
    case DT_INF: return DATE_NOEND;
    case DT_NINF: return DATE_NOBEGIN;
    case DT_NOW:
    case DT_TODAY: return (int32)today_days();
    case DT_TOMORROW: return (int32)today_days() + 1;
    case DT_YESTERDAY: return (int32)today_days() - 1;
    default: break;
    }
    DtFields f;
    bool zerr = false;
    if (!parse_fields(s, len, &f, &zerr) || !f.has_date)
        dt_syntax("date", s, len);
    if (!date_fields_valid(&f))
        dt_date_range(&f, s, len);
    if (zerr)
        ereport(ERROR, errcode(ERRCODE_INVALID_TIME_ZONE_DISPLACEMENT_VALUE),
                errmsg("time zone displacement out of range: \"%.*s\"", (int)len, s));
    if (f.has_time && time_fields_micros(&f) < 0)
        dt_range(s, len);
    int64 days = date_from_ymd(f.year, f.month, f.day);
    if (days < DATE_MIN_DAYS || days > DATE_MAX_DAYS)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                errmsg("date out of range: \"%.*s\"", (int)len, s));
    return (int32)days;
}

int64 datetime_parse_time(const char *s, size_t len)
{
    size_t b = 0, e = len;
    while (b < e && isspace((unsigned char)s[b]))
        b++;
    while (e > b && isspace((unsigned char)s[e - 1]))
        e--;
    DtSpecial sp = dt_special(s + b, e - b);
    if (sp == DT_ALLBALLS)
        return 0;
    if (sp == DT_NOW) {
        int64 now = local_now_micros() % USECS_PER_DAY;
        return now < 0 ? now + USECS_PER_DAY : now;
    }
    DtFields f;
    bool zerr = false;
    if (!parse_fields(s, len, &f, &zerr) || !f.has_time)
        dt_syntax("time", s, len);
    if (f.has_date && !date_fields_valid(&f))
        dt_date_range(&f, s, len);
    int64 t = time_fields_micros(&f);
    if (t < 0)
        dt_range(s, len);
    return t;
}

int64 datetime_parse_timestamp(const char *s, size_t len, bool with_tz)
{
    const char *tname = with_tz ? "timestamp with time zone" : "timestamp";
    size_t b = 0, e = len;
    while (b < e && isspace((unsigned char)s[b]))
        b++;
    while (e > b && isspace((unsigned char)s[e - 1]))
        e--;
    switch (dt_special(s + b, e - b)) {
    case DT_EPOCH: return 0;
    case DT_INF: return TIMESTAMP_NOEND;
    case DT_NINF: return TIMESTAMP_NOBEGIN;
    case DT_NOW: return with_tz ? datetime_now_micros() : local_now_micros();
    case DT_TODAY: return local_midnight(today_days(), with_tz);
    case DT_TOMORROW: return local_midnight(today_days() + 1, with_tz);
    case DT_YESTERDAY: return local_midnight(today_days() - 1, with_tz);
    case DT_ALLBALLS: dt_syntax(tname, s, len);
    default: break;
    }
    DtFields f;
    bool zerr = false;
    if (!parse_fields(s, len, &f, &zerr) || !f.has_date)
        dt_syntax(tname, s, len);
    if (!date_fields_valid(&f))
        dt_date_range(&f, s, len);
    int64 tod = f.has_time ? time_fields_micros(&f) : 0;
    if (tod < 0)
        dt_range(s, len);
    if (zerr)
        ereport(ERROR, errcode(ERRCODE_INVALID_TIME_ZONE_DISPLACEMENT_VALUE),
                errmsg("time zone displacement out of range: \"%.*s\"", (int)len, s));
    int128 micros = (int128)date_from_ymd(f.year, f.month, f.day) * USECS_PER_DAY + tod;
    /* (outside the int64 range the value is out of range whatever the zone) */
    if (with_tz && micros >= (int128)DATE_MIN_DAYS * USECS_PER_DAY && micros < (int128)INT64_MAX) {
        /* without an explicit offset the local time is in the named or the session zone */
        if (!f.has_tz || f.named_tz) {
            const TimeZone *tz = f.named_tz ? f.named_tz : timezone_session();
            micros -= (int128)timezone_offset_local(tz, (int64)micros, NULL) * USECS_PER_SEC;
        } else
            micros -= (int128)f.tz_seconds * USECS_PER_SEC;
    }
    /* PostgreSQL's lower bound is JD 0; the upper one is what int64 micros since 1970 can hold. */
    if (micros < (int128)DATE_MIN_DAYS * USECS_PER_DAY || micros >= (int128)INT64_MAX)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                errmsg("timestamp out of range: \"%.*s\"", (int)len, s));
    return (int64)micros;
}

/* ------------------------------------------------------------------------
 * Interval input
 * ------------------------------------------------------------------------ */

typedef enum IvUnit { IU_USEC, IU_MSEC, IU_SEC, IU_MIN, IU_HOUR, IU_DAY, IU_WEEK, IU_MON, IU_YEAR, IU_DECADE, IU_CENTURY, IU_MILLENNIUM, IU_NONE } IvUnit;

static const struct {
    const char *name;
    IvUnit unit;
} iv_units[] = {
    {"microsecond", IU_USEC}, {"microseconds", IU_USEC}, {"microsecon", IU_USEC}, {"us", IU_USEC},
    {"usec", IU_USEC}, {"usecs", IU_USEC}, {"useconds", IU_USEC}, {"usecond", IU_USEC},
    {"millisecond", IU_MSEC}, {"milliseconds", IU_MSEC}, {"ms", IU_MSEC}, {"msec", IU_MSEC},
    {"msecs", IU_MSEC}, {"mseconds", IU_MSEC}, {"millisecon", IU_MSEC},
    {"second", IU_SEC}, {"seconds", IU_SEC}, {"s", IU_SEC}, {"sec", IU_SEC}, {"secs", IU_SEC},
    {"minute", IU_MIN}, {"minutes", IU_MIN}, {"m", IU_MIN}, {"min", IU_MIN}, {"mins", IU_MIN},
    {"hour", IU_HOUR}, {"hours", IU_HOUR}, {"h", IU_HOUR}, {"hr", IU_HOUR}, {"hrs", IU_HOUR},
    {"day", IU_DAY}, {"days", IU_DAY}, {"d", IU_DAY},
    {"week", IU_WEEK}, {"weeks", IU_WEEK}, {"w", IU_WEEK},
    {"month", IU_MON}, {"months", IU_MON}, {"mon", IU_MON}, {"mons", IU_MON},
    {"year", IU_YEAR}, {"years", IU_YEAR}, {"y", IU_YEAR}, {"yr", IU_YEAR}, {"yrs", IU_YEAR},
    {"decade", IU_DECADE}, {"decades", IU_DECADE}, {"dec", IU_DECADE}, {"decs", IU_DECADE},
    {"century", IU_CENTURY}, {"centuries", IU_CENTURY}, {"c", IU_CENTURY}, {"cent", IU_CENTURY},
    {"millennium", IU_MILLENNIUM}, {"millennia", IU_MILLENNIUM}, {"mil", IU_MILLENNIUM},
    {"mils", IU_MILLENNIUM}, {"millenniums", IU_MILLENNIUM},
};

static IvUnit iv_unit(const char *s, size_t len)
{
    for (size_t i = 0; i < LM_ARRAY_LEN(iv_units); i++)
        if (word_eq(s, len, iv_units[i].name))
            return iv_units[i].unit;
    return IU_NONE;
}

typedef struct IvAcc {
    int128 months, days, micros;
} IvAcc;

/* Adds ipart + frac (same sign) of a unit, spilling fractions down as PostgreSQL does. */
static void iv_add(IvAcc *acc, IvUnit u, int64 ipart, double frac)
{
    switch (u) {
    case IU_USEC: acc->micros += ipart + (int64)rint(frac); break;
    case IU_MSEC: acc->micros += (int128)ipart * 1000 + (int64)rint(frac * 1000); break;
    case IU_SEC: acc->micros += (int128)ipart * USECS_PER_SEC + (int64)rint(frac * 1e6); break;
    case IU_MIN: acc->micros += (int128)ipart * USECS_PER_MINUTE + (int64)rint(frac * 60e6); break;
    case IU_HOUR: acc->micros += (int128)ipart * USECS_PER_HOUR + (int64)rint(frac * 3600e6); break;
    case IU_DAY:
    case IU_WEEK: {
        int mult = u == IU_WEEK ? 7 : 1;
        acc->days += (int128)ipart * mult;
        double fd = frac * mult;
        int64 whole = (int64)fd;
        acc->days += whole;
        acc->micros += (int64)rint((fd - whole) * 86400e6);
        break;
    }
    case IU_MON: {
        acc->months += ipart;
        double fd = frac * 30;
        int64 whole = (int64)fd;
        acc->days += whole;
        acc->micros += (int64)rint((fd - whole) * 86400e6);
        break;
    }
    case IU_YEAR:
    case IU_DECADE:
    case IU_CENTURY:
    case IU_MILLENNIUM: {
        int64 per = u == IU_YEAR ? 12 : u == IU_DECADE ? 120 : u == IU_CENTURY ? 1200 : 12000;
        acc->months += (int128)ipart * per + (int64)rint(frac * per);
        break;
    }
    default: break;
    }
}

/* Reads [+-]digits[.digits] into integer and fraction parts; false if no number. */
static bool read_number(const char *s, size_t len, size_t *i, int64 *ipart, double *frac, bool *overflow)
{
    int sign = 1;
    size_t start = *i;
    if (*i < len && (s[*i] == '+' || s[*i] == '-')) {
        sign = s[*i] == '-' ? -1 : 1;
        (*i)++;
    }
    int64 v = 0;
    int nd = 0;
    while (*i < len && isdigit((unsigned char)s[*i])) {
        if (v > (INT64_MAX - 9) / 10)
            *overflow = true;
        else
            v = v * 10 + (s[*i] - '0');
        (*i)++;
        nd++;
    }
    double f = 0;
    int nf = 0;
    if (*i < len && s[*i] == '.') {
        (*i)++;
        double scale = 0.1;
        while (*i < len && isdigit((unsigned char)s[*i])) {
            f += (s[*i] - '0') * scale;
            scale /= 10;
            (*i)++;
            nf++;
        }
    }
    if (nd == 0 && nf == 0) {
        *i = start;
        return false;
    }
    *ipart = sign * v;
    *frac = sign * f;
    return true;
}

LM_NORETURN static void iv_syntax(const char *s, size_t len)
{
    dt_syntax("interval", s, len);
}

static void iv_iso(const char *s, size_t len, size_t i, IvAcc *acc, bool *overflow)
{
    /* after 'P' */
    bool in_time = false, any = false;
    while (i < len) {
        if (s[i] == 'T' || s[i] == 't') {
            if (in_time)
                iv_syntax(s, len);
            in_time = true;
            i++;
            continue;
        }
        int64 ip;
        double fr;
        if (!read_number(s, len, &i, &ip, &fr, overflow) || i >= len)
            iv_syntax(s, len);
        char u = (char)toupper((unsigned char)s[i++]);
        IvUnit unit;
        if (!in_time)
            unit = u == 'Y' ? IU_YEAR : u == 'M' ? IU_MON : u == 'W' ? IU_WEEK : u == 'D' ? IU_DAY : IU_NONE;
        else
            unit = u == 'H' ? IU_HOUR : u == 'M' ? IU_MIN : u == 'S' ? IU_SEC : IU_NONE;
        if (unit == IU_NONE)
            iv_syntax(s, len);
        iv_add(acc, unit, ip, fr);
        any = true;
    }
    if (!any)
        iv_syntax(s, len);
}

Interval datetime_parse_interval(const char *s, size_t len)
{
    IvAcc acc = {0, 0, 0};
    bool overflow = false, ago = false, any = false;
    size_t i = 0;
    skip_blanks(s, len, &i);
    if (i < len && (s[i] == 'P' || s[i] == 'p') && i + 1 < len &&
        (!isalpha((unsigned char)s[i + 1]) || s[i + 1] == 'T' || s[i + 1] == 't')) {
        size_t e = len;
        while (e > i && isspace((unsigned char)s[e - 1]))
            e--;
        iv_iso(s, e, i + 1, &acc, &overflow);
        goto done;
    }
    if (i < len && s[i] == '@') {
        i++;
        skip_blanks(s, len, &i);
    }
    while (i < len) {
        if (isalpha((unsigned char)s[i])) {
            size_t ws = i;
            while (i < len && isalpha((unsigned char)s[i]))
                i++;
            if (word_eq(s + ws, i - ws, "ago") && any) {
                ago = true;
                skip_blanks(s, len, &i);
                if (i != len)
                    iv_syntax(s, len);
                break;
            }
            iv_syntax(s, len);
        }
        /* a time field [+-]h:mm[:ss[.f]] ? */
        size_t j = i;
        if (j < len && (s[j] == '+' || s[j] == '-'))
            j++;
        size_t k = j;
        while (k < len && isdigit((unsigned char)s[k]))
            k++;
        if (k > j && k < len && s[k] == ':') {
            int sign = s[i] == '-' ? -1 : 1;
            int64 h, m, sec = 0;
            size_t p = j;
            read_digits(s, len, &p, &h, 18);
            p++; /* ':' */
            if (read_digits(s, len, &p, &m, 2) == 0)
                iv_syntax(s, len);
            int64 usec = 0;
            bool mm_ss = false;
            if (p < len && s[p] == ':') {
                p++;
                if (read_digits(s, len, &p, &sec, 2) == 0)
                    iv_syntax(s, len);
            } else if (p < len && s[p] == '.')
                mm_ss = true; /* "mm:ss.fff" */
            if (p < len && s[p] == '.')
                usec = read_fraction_usec(s, len, &p);
            if (mm_ss) {
                sec = m;
                m = h;
                h = 0;
            }
            if (m > 59 || sec > 59)
                ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                        errmsg("interval field value out of range: \"%.*s\"", (int)len, s));
            acc.micros += sign * (((int128)h * 3600 + m * 60 + sec) * USECS_PER_SEC + usec);
            i = p;
            any = true;
            skip_blanks(s, len, &i);
            continue;
        }
        int64 ip;
        double fr;
        if (!read_number(s, len, &i, &ip, &fr, &overflow))
            iv_syntax(s, len);
        skip_blanks(s, len, &i);
        size_t ws = i;
        while (i < len && isalpha((unsigned char)s[i]))
            i++;
        IvUnit u = IU_SEC; /* a bare number is seconds */
        if (i > ws) {
            u = iv_unit(s + ws, i - ws);
            if (u == IU_NONE) {
                if (word_eq(s + ws, i - ws, "ago")) {
                    iv_add(&acc, IU_SEC, ip, fr);
                    ago = true;
                    any = true;
                    skip_blanks(s, len, &i);
                    if (i != len)
                        iv_syntax(s, len);
                    break;
                }
                iv_syntax(s, len);
            }
        }
        iv_add(&acc, u, ip, fr);
        any = true;
        skip_blanks(s, len, &i);
    }
    if (!any)
        iv_syntax(s, len);
done:
    if (ago) {
        acc.months = -acc.months;
        acc.days = -acc.days;
        acc.micros = -acc.micros;
    }
    if (overflow || acc.months > INT32_MAX || acc.months < INT32_MIN || acc.days > INT32_MAX ||
        acc.days < INT32_MIN || acc.micros > INT64_MAX || acc.micros < INT64_MIN)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                errmsg("interval field value out of range: \"%.*s\"", (int)len, s));
    Interval iv = {.micros = (int64)acc.micros, .days = (int32)acc.days, .months = (int32)acc.months};
    return iv;
}
