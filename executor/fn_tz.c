/*
 * fn_tz.c: time zones for AT TIME ZONE / timezone(zone, ts): UTC and fixed
 * offsets written as PostgreSQL reads POSIX zone specs ('+05:30' and 'UTC+3'
 * are WEST of Greenwich), intervals (ISO sign: east), the common time zone
 * abbreviations PostgreSQL knows (EST, PDT, CET, ...) and IANA zones
 * (America/New_York) read from the system's tz database (TZif files under
 * $TZDIR or /usr/share/zoneinfo, Debian's tzdata).  Unknown names: 22023.
 *
 * A zone is parsed once per process and cached for good (a few KB each,
 * behind a mutex; lookups after the first are a short list walk).  The
 * TZif reader takes the 64-bit (version 2+) data: transition times and
 * their UTC offsets, plus the footer's POSIX TZ rule for instants after the
 * last transition (slim tzdata files stop in 2007 and rely on it).
 *
 * Local time to UTC follows PostgreSQL (DetermineTimeZoneOffset): a local
 * time skipped by a spring-forward transition takes the offset in force
 * before it; one repeated by a fall-back transition takes the offset after
 * it.  Names are matched case-insensitively, as PostgreSQL does.
 */
#include "executor/fn_datetime_int.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

/* A POSIX TZ rule date: Mm.w.d (month, week 1-5, weekday 0=Sunday), Jn (1..365, no Feb 29)
 * or n (0..365), with a local time of day in seconds (may be negative or past 24h). */
typedef struct TzRuleDate {
    char kind; /* 'M', 'J', 'D' */
    int month, week, wday, day;
    int32 secs;
} TzRuleDate;

typedef struct TzRule {
    bool valid;
    int32 std_off; /* seconds EAST of UTC */
    bool has_dst;
    int32 dst_off;
    TzRuleDate start, end;
} TzRule;

typedef struct TzInfo TzInfo;

struct TzInfo {
    char *name; /* as looked up, lower case */
    int ntrans;
    int64 *trans;    /* UTC seconds, ascending */
    int32 *offsets;  /* offset in force from trans[k] on, seconds east */
    int32 first_off; /* before the first transition */
    TzRule rule;     /* after the last transition (footer) */
    bool fixed;      /* abbreviation: fixed offset only */
    struct TzInfo *next;
};

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static TzInfo *tz_cache;

/* ---------- POSIX TZ rules ---------- */

static const char *parse_hms(const char *p, int32 *secs)
{
    int sign = 1;
    if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        p++;
    }
    if (*p < '0' || *p > '9')
        return NULL;
    int32 h = 0, m = 0, s = 0;
    while (*p >= '0' && *p <= '9')
        h = h * 10 + (*p++ - '0');
    if (*p == ':') {
        p++;
        while (*p >= '0' && *p <= '9')
            m = m * 10 + (*p++ - '0');
        if (*p == ':') {
            p++;
            while (*p >= '0' && *p <= '9')
                s = s * 10 + (*p++ - '0');
        }
    }
    *secs = sign * (h * 3600 + m * 60 + s);
    return p;
}

static const char *skip_tzname(const char *p)
{
    if (*p == '<') {
        while (*p && *p != '>')
            p++;
        return *p ? p + 1 : NULL;
    }
    const char *st = p;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
        p++;
    return p - st >= 3 ? p : NULL;
}

static const char *parse_rule_date(const char *p, TzRuleDate *d)
{
    d->secs = 7200; /* default 02:00 */
    if (*p == 'M') {
        d->kind = 'M';
        p++;
        d->month = (int)strtol(p, (char **)&p, 10);
        if (*p++ != '.')
            return NULL;
        d->week = (int)strtol(p, (char **)&p, 10);
        if (*p++ != '.')
            return NULL;
        d->wday = (int)strtol(p, (char **)&p, 10);
    } else if (*p == 'J') {
        d->kind = 'J';
        p++;
        d->day = (int)strtol(p, (char **)&p, 10);
    } else if (*p >= '0' && *p <= '9') {
        d->kind = 'D';
        d->day = (int)strtol(p, (char **)&p, 10);
    } else
        return NULL;
    if (*p == '/') {
        p = parse_hms(p + 1, &d->secs);
        if (!p)
            return NULL;
    }
    return p;
}

static bool parse_posix_tz(const char *p, TzRule *r)
{
    memset(r, 0, sizeof(*r));
    int32 off;
    if (!(p = skip_tzname(p)) || !(p = parse_hms(p, &off)))
        return false;
    r->std_off = -off; /* POSIX: positive west */
    if (*p == '\0') {
        r->valid = true;
        return true;
    }
    if (!(p = skip_tzname(p)))
        return false;
    r->has_dst = true;
    r->dst_off = r->std_off + 3600;
    if (*p && *p != ',') {
        if (!(p = parse_hms(p, &off)))
            return false;
        r->dst_off = -off;
    }
    if (*p != ',') {
        /* no rule: PostgreSQL's default (US rules); treat as standard time only */
        r->has_dst = false;
        r->valid = true;
        return true;
    }
    if (!(p = parse_rule_date(p + 1, &r->start)) || *p != ',' ||
        !(p = parse_rule_date(p + 1, &r->end)))
        return false;
    r->valid = true;
    return true;
}

/* Day number (since 1970) of a rule date in year y. */
static int64 rule_day(const TzRuleDate *d, int64 y)
{
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    switch (d->kind) {
    case 'J':
        return date_from_ymd(y, 1, 1) + d->day - 1 + (leap && d->day >= 60 ? 1 : 0);
    case 'D':
        return date_from_ymd(y, 1, 1) + d->day;
    default: {
        int64 first = date_from_ymd(y, d->month, 1);
        int wd_first = (int)(((first + 4) % 7 + 7) % 7); /* 0 = Sunday */
        int64 day = first + ((d->wday - wd_first + 7) % 7) + (int64)(d->week - 1) * 7;
        int dim = date_days_in_month(y, d->month);
        while (day >= first + dim)
            day -= 7; /* week 5 means the last such weekday */
        return day;
    }
    }
}

static int32 rule_offset(const TzRule *r, int64 t)
{
    if (!r->has_dst)
        return r->std_off;
    int64 days = t / 86400 - (t % 86400 < 0);
    int64 y;
    int m, d;
    date_to_ymd(days, &y, &m, &d);
    /* start is given in standard local time, end in daylight local time */
    int64 start = rule_day(&r->start, y) * 86400 + r->start.secs - r->std_off;
    int64 end = rule_day(&r->end, y) * 86400 + r->end.secs - r->dst_off;
    bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? r->dst_off : r->std_off;
}

/* ---------- TZif ---------- */

static uint32 be32(const unsigned char *p)
{
    return ((uint32)p[0] << 24) | ((uint32)p[1] << 16) | ((uint32)p[2] << 8) | p[3];
}
static int64 be64(const unsigned char *p)
{
    return (int64)(((uint64)be32(p) << 32) | be32(p + 4));
}

static TzInfo *parse_tzif(const unsigned char *buf, size_t len)
{
    if (len < 44 || memcmp(buf, "TZif", 4) != 0)
        return NULL;
    int version = buf[4] ? buf[4] - '0' : 1;
    const unsigned char *h = buf;
    uint32 isut = be32(h + 20), isstd = be32(h + 24), leap = be32(h + 28), timecnt = be32(h + 32),
           typecnt = be32(h + 36), charcnt = be32(h + 40);
    size_t tsize = 4;
    const unsigned char *p = h + 44;
    if (version >= 2) {
        /* skip the 32-bit block; use the 64-bit one that follows */
        size_t skip =
            (size_t)timecnt * 5 + (size_t)typecnt * 6 + charcnt + (size_t)leap * 8 + isstd + isut;
        if ((size_t)(p - buf) + skip + 44 > len)
            return NULL;
        h = p + skip;
        if (memcmp(h, "TZif", 4) != 0)
            return NULL;
        isut = be32(h + 20), isstd = be32(h + 24), leap = be32(h + 28), timecnt = be32(h + 32),
        typecnt = be32(h + 36), charcnt = be32(h + 40);
        tsize = 8;
        p = h + 44;
    }
    size_t need = (size_t)timecnt * (tsize + 1) + (size_t)typecnt * 6 + charcnt +
                  (size_t)leap * (tsize + 4) + isstd + isut;
    if (typecnt == 0 || (size_t)(p - buf) + need > len)
        return NULL;
    TzInfo *tz = lm_calloc(1, sizeof(TzInfo));
    tz->ntrans = (int)timecnt;
    tz->trans = lm_malloc(sizeof(int64) * (timecnt ? timecnt : 1));
    tz->offsets = lm_malloc(sizeof(int32) * (timecnt ? timecnt : 1));
    const unsigned char *tp = p, *ip = p + (size_t)timecnt * tsize, *types = ip + timecnt;
    for (uint32 k = 0; k < timecnt; k++) {
        tz->trans[k] = tsize == 8 ? be64(tp + k * 8) : (int64)(int32)be32(tp + k * 4);
        uint32 ti = ip[k] < typecnt ? ip[k] : 0;
        tz->offsets[k] = (int32)be32(types + ti * 6);
    }
    /* before the first transition: the first standard-time type (or type 0) */
    tz->first_off = (int32)be32(types);
    for (uint32 k = 0; k < typecnt; k++)
        if (types[k * 6 + 4] == 0) {
            tz->first_off = (int32)be32(types + k * 6);
            break;
        }
    const unsigned char *end = p + need;
    if (version >= 2 && end < buf + len && *end == '\n') {
        const unsigned char *nl = memchr(end + 1, '\n', (size_t)(buf + len - end - 1));
        if (nl) {
            char footer[128];
            size_t fl = (size_t)(nl - end - 1);
            if (fl < sizeof(footer)) {
                memcpy(footer, end + 1, fl);
                footer[fl] = '\0';
                parse_posix_tz(footer, &tz->rule);
            }
        }
    }
    return tz;
}

/* Finds rel (a zone name, any case) under dir; writes the real path into out. */
static bool find_zone_file(const char *dir, const char *rel, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s/%s", dir, rel);
    FILE *f = fopen(out, "rb");
    if (f) {
        fclose(f);
        return true;
    }
    /* case-insensitive walk, component by component */
    char path[1024];
    snprintf(path, sizeof path, "%s", dir);
    const char *p = rel;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t cl = slash ? (size_t)(slash - p) : strlen(p);
        DIR *d = opendir(path);
        if (!d)
            return false;
        struct dirent *de;
        bool found = false;
        while ((de = readdir(d)) != NULL)
            if (strlen(de->d_name) == cl && strncasecmp(de->d_name, p, cl) == 0) {
                size_t pl = strlen(path);
                snprintf(path + pl, sizeof path - pl, "/%s", de->d_name);
                found = true;
                break;
            }
        closedir(d);
        if (!found)
            return false;
        p += cl;
        if (*p == '/')
            p++;
    }
    snprintf(out, outsz, "%s", path);
    return true;
}

static TzInfo *load_zone(const char *name)
{
    /* names are relative paths of letters, digits, '_', '-', '+', '/' */
    if (name[0] == '\0' || name[0] == '/' || strstr(name, ".."))
        return NULL;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '+' || *p == '/'))
            return NULL;
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    char path[1024];
    if (!find_zone_file(dir, name, path, sizeof path))
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 8192;
            if (cap > (1u << 20)) {
                lm_free(buf);
                fclose(f);
                return NULL;
            }
            buf = lm_realloc(buf, cap);
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    TzInfo *tz = parse_tzif(buf, len);
    lm_free(buf);
    return tz;
}

/* PostgreSQL's default abbreviations (timezonesets/Default), the common ones: seconds east. */
static const struct {
    const char *abbrev;
    int32 off;
} tz_abbrevs[] = {
    {"acdt", 37800},  {"acst", 34200},  {"adt", -10800}, {"aedt", 39600}, {"aest", 36000},
    {"akdt", -28800}, {"akst", -32400}, {"ast", -14400}, {"awst", 28800}, {"bst", 3600},
    {"cdt", -18000},  {"cest", 7200},   {"cet", 3600},   {"cst", -21600}, {"edt", -14400},
    {"eest", 10800},  {"eet", 7200},    {"est", -18000}, {"gmt", 0},      {"hst", -36000},
    {"idt", 10800},   {"ist", 7200},    {"jst", 32400},  {"kst", 32400},  {"mdt", -21600},
    {"mest", 7200},   {"met", 3600},    {"msk", 10800},  {"mst", -25200}, {"nzdt", 46800},
    {"nzst", 43200},  {"pdt", -25200},  {"pst", -28800}, {"sast", 7200},  {"ut", 0},
    {"utc", 0},       {"west", 3600},   {"wet", 0},      {"z", 0},        {"zulu", 0},
};

static const TzInfo *tz_lookup(const char *name, size_t len)
{
    char low[128];
    if (len == 0 || len >= sizeof(low))
        return NULL;
    for (size_t k = 0; k < len; k++)
        low[k] = (name[k] >= 'A' && name[k] <= 'Z') ? (char)(name[k] + 32) : name[k];
    low[len] = '\0';
    pthread_mutex_lock(&tz_lock);
    TzInfo *tz;
    for (tz = tz_cache; tz; tz = tz->next)
        if (strcmp(tz->name, low) == 0)
            break;
    if (tz == NULL) {
        for (size_t k = 0; k < sizeof(tz_abbrevs) / sizeof(tz_abbrevs[0]); k++)
            if (strcmp(tz_abbrevs[k].abbrev, low) == 0) {
                tz = lm_calloc(1, sizeof(TzInfo));
                tz->fixed = true;
                tz->first_off = tz_abbrevs[k].off;
                break;
            }
        if (tz == NULL) {
            char orig[128];
            memcpy(orig, name, len);
            orig[len] = '\0';
            tz = load_zone(orig);
        }
        if (tz) {
            tz->name = lm_strdup(low);
            tz->next = tz_cache;
            tz_cache = tz;
        }
    }
    pthread_mutex_unlock(&tz_lock);
    return tz;
}

/* Offset (seconds east of UTC) in force at UTC second t. */
static int32 offset_at(const TzInfo *tz, int64 t)
{
    if (tz->fixed || tz->ntrans == 0)
        return tz->rule.valid && !tz->fixed ? rule_offset(&tz->rule, t) : tz->first_off;
    if (t < tz->trans[0])
        return tz->first_off;
    if (t >= tz->trans[tz->ntrans - 1] && tz->rule.valid)
        return rule_offset(&tz->rule, t);
    int lo = 0, hi = tz->ntrans - 1; /* last transition <= t */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (tz->trans[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return tz->offsets[lo];
}

static int64 floor_div(int64 a, int64 b)
{
    return a / b - (a % b != 0 && ((a < 0) != (b < 0)));
}

/* Offset (microseconds east) in force at a UTC instant. */
static int64 tz_offset_utc(const TzInfo *tz, int64 utc_micros)
{
    return (int64)offset_at(tz, floor_div(utc_micros, USECS_PER_SEC)) * USECS_PER_SEC;
}

/* Offset (microseconds east) for a local wall-clock time. */
static int64 tz_offset_local(const TzInfo *tz, int64 local_micros)
{
    int64 l = floor_div(local_micros, USECS_PER_SEC);
    int32 before = offset_at(tz, l - 86400 * 2 + 0), after = offset_at(tz, l + 86400 * 2);
    if (before == after) {
        int32 o = offset_at(tz, l - before);
        return (int64)(offset_at(tz, l - o) == o ? o : before) * USECS_PER_SEC;
    }
    bool ok_before = offset_at(tz, l - before) == before;
    bool ok_after = offset_at(tz, l - after) == after;
    int32 o;
    if (ok_before && ok_after)
        o = after; /* repeated local time (fall back): the later offset */
    else if (ok_after)
        o = after;
    else
        o = before; /* valid only before, or skipped (spring forward): the offset before */
    return (int64)o * USECS_PER_SEC;
}

/* ---------- timezone() / AT TIME ZONE ---------- */

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
        z->tz = tz_lookup(sv->ptr, sv->len);
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
                ereport(
                    ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("interval time zone \"%s\" must not include months or days", "value"),
                    errposition(fn_errpos(fc)));
            off = iv->micros;
        } else {
            zone_resolve(fc, &z, &FN_SV(args[0])[r]);
            if (z.fixed)
                off = z.off;
            else if (!fn_dt_finite(v))
                off = 0;
            else
                off = to_local ? tz_offset_utc(z.tz, v) : tz_offset_local(z.tz, v);
        }
        FN_I64(out)[r] = !fn_dt_finite(v) ? v : to_local ? v + off : v - off;
        vector_set_valid(out, r);
    }
}
void fn_timezone_tstz(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    tz_rows(fc, args, b, out, true);
}
void fn_timezone_ts(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    tz_rows(fc, args, b, out, false);
}
