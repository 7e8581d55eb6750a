/*
 * timezone.c: time zones by name (system tz database and POSIX TZ strings),
 * UTC <-> local conversion with PostgreSQL 15's rules, and the per-thread
 * session time zone.
 *
 * Loading follows PostgreSQL's pg_tzset(): the name is looked up as a file
 * under $TZDIR (default /usr/share/zoneinfo) component by component,
 * case-insensitively, and canonicalised to the file's spelling; "GMT" and
 * names that are not files are parsed as POSIX TZ strings (with
 * PostgreSQL's extension that the standard abbreviation may be empty, so
 * "+05:30" means 05:30 WEST of Greenwich) and canonicalised to upper case.
 *
 * TZif reading takes the 64-bit (version 2+) block when present, else the
 * 32-bit one: transition times with their local time types (offset, DST
 * flag, abbreviation), and the footer's POSIX TZ string, which governs all
 * instants after the last transition (slim files stop early and rely on
 * it; it is evaluated per year, so the far future works).  Every count and
 * index in the file is bounds-checked; a malformed file is "unknown zone",
 * never a crash.  Files with leap seconds are refused, as PostgreSQL does.
 *
 * Ownership: loaded zones live in a process-wide list guarded by a mutex
 * and are never freed or changed after publication, so callers may keep
 * the pointers and use them from any thread without locking.  A lookup
 * walks the list under the mutex (short; only on SET or AT TIME ZONE with a
 * new name per batch), conversions take no lock.
 *
 * Local -> UTC follows DetermineTimeZoneOffsetInternal(): find the first
 * transition after (local - 24h); if the local time maps to both sides or
 * neither, a spring-forward gap takes the offset before the jump and a
 * fall-back overlap the offset after it.
 */
#include "common/timezone.h"
#include "common/arena.h"
#include "common/datetime.h"
#include "common/error.h"
#include "common/strbuf.h"

#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define TZ_NAME_MAX 255
#define TZ_ABBR_MAX 16
#define TZ_MAX_TRANS 100000
#define TZ_FILE_MAX (1 << 20)
#define SECS_PER_DAY INT64_C(86400)

typedef struct TzType {
    int32 gmtoff; /* seconds east */
    bool isdst;
    char abbr[TZ_ABBR_MAX];
} TzType;

/* A POSIX rule date: Mm.w.d, Jn (1..365, Feb 29 never counted) or n (0..365),
 * at a local time of day in seconds (may be negative or past 24h). */
typedef struct TzRuleDate {
    char kind; /* 'M', 'J', 'D' */
    int month, week, wday, day;
    int32 secs;
} TzRuleDate;

typedef struct TzRule {
    bool valid;
    bool has_dst;
    TzType std, dst;
    TzRuleDate start, end; /* start in standard local time, end in daylight local time */
} TzRule;

struct TimeZone {
    char *key;  /* upper-cased lookup name */
    char *name; /* canonical name */
    int ntrans;
    int64 *trans;      /* UTC seconds, strictly ascending */
    uint8 *trans_type; /* type index in force from trans[k] on */
    int ntypes;
    TzType *types;
    int default_type; /* before the first transition */
    TzRule rule;      /* after the last transition (footer), or the whole zone for POSIX specs */
    bool from_file;
    struct TimeZone *next;
};

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static TimeZone *tz_cache;
static __thread const TimeZone *session_tz;

static int64 floor_div(int64 a, int64 b)
{
    return a / b - (a % b != 0 && ((a < 0) != (b < 0)));
}

/* ------------------------------------------------------------------------
 * POSIX TZ strings (PostgreSQL's tzparse)
 * ------------------------------------------------------------------------ */

/* Reads a number of at most max; NULL on syntax error. */
static const char *get_num(const char *p, int *out, int min, int max)
{
    if (!isdigit((unsigned char)*p))
        return NULL;
    int n = 0;
    while (isdigit((unsigned char)*p)) {
        n = n * 10 + (*p++ - '0');
        if (n > max)
            return NULL;
    }
    if (n < min)
        return NULL;
    *out = n;
    return p;
}

/* hh[:mm[:ss]], hours up to 167 as PostgreSQL allows. */
static const char *get_secs(const char *p, int32 *secs)
{
    int h, m = 0, s = 0;
    if (!(p = get_num(p, &h, 0, 24 * 7 - 1)))
        return NULL;
    if (*p == ':') {
        if (!(p = get_num(p + 1, &m, 0, 59)))
            return NULL;
        if (*p == ':' && !(p = get_num(p + 1, &s, 0, 60)))
            return NULL;
    }
    *secs = h * 3600 + m * 60 + s;
    return p;
}

/* [+-]hh[:mm[:ss]]: POSIX sign, positive WEST. */
static const char *get_offset(const char *p, int32 *west)
{
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    } else if (*p == '+')
        p++;
    if (!(p = get_secs(p, west)))
        return NULL;
    if (neg)
        *west = -*west;
    return p;
}

/* An abbreviation: <...> quoted, or a run of characters up to a digit, sign or comma. */
static const char *get_zname(const char *p, char *abbr)
{
    const char *st, *en;
    if (*p == '<') {
        st = ++p;
        while (*p && *p != '>')
            p++;
        if (*p != '>')
            return NULL;
        en = p++;
    } else {
        st = p;
        while (*p && !isdigit((unsigned char)*p) && *p != ',' && *p != '-' && *p != '+')
            p++;
        en = p;
    }
    if (en - st >= TZ_ABBR_MAX)
        return NULL;
    memcpy(abbr, st, (size_t)(en - st));
    abbr[en - st] = '\0';
    return p;
}

static const char *get_rule(const char *p, TzRuleDate *d)
{
    if (*p == 'J') {
        d->kind = 'J';
        p = get_num(p + 1, &d->day, 1, 365);
    } else if (*p == 'M') {
        d->kind = 'M';
        if (!(p = get_num(p + 1, &d->month, 1, 12)) || *p != '.' ||
            !(p = get_num(p + 1, &d->week, 1, 5)) || *p != '.' ||
            !(p = get_num(p + 1, &d->wday, 0, 6)))
            return NULL;
    } else if (isdigit((unsigned char)*p)) {
        d->kind = 'D';
        p = get_num(p, &d->day, 0, 365);
    } else
        return NULL;
    if (!p)
        return NULL;
    d->secs = 7200;
    if (*p == '/') {
        int32 west;
        if (!(p = get_offset(p + 1, &west)))
            return NULL;
        d->secs = west; /* a signed time of day, not an offset: same syntax */
    }
    return p;
}

static bool parse_posix(const char *p, TzRule *r)
{
    memset(r, 0, sizeof(*r));
    int32 west;
    if (*p == ':' || !(p = get_zname(p, r->std.abbr)) || *p == '\0' || !(p = get_offset(p, &west)))
        return false;
    r->std.gmtoff = -west;
    if (*p == '\0') {
        r->valid = true;
        return true;
    }
    if (!(p = get_zname(p, r->dst.abbr)) || r->dst.abbr[0] == '\0')
        return false;
    r->has_dst = true;
    r->dst.isdst = true;
    r->dst.gmtoff = r->std.gmtoff + 3600;
    if (*p != '\0' && *p != ',' && *p != ';') {
        if (!(p = get_offset(p, &west)))
            return false;
        r->dst.gmtoff = -west;
    }
    if (*p == '\0')
        p = ",M3.2.0,M11.1.0"; /* PostgreSQL's TZDEFRULESTRING (US rules) */
    if (*p != ',' && *p != ';')
        return false;
    if (!(p = get_rule(p + 1, &r->start)) || *p != ',' || !(p = get_rule(p + 1, &r->end)) ||
        *p != '\0')
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
        int64 dim = date_days_in_month(y, d->month);
        while (day >= first + dim)
            day -= 7; /* week 5: the last such weekday */
        return day;
    }
    }
}

/* The rule's transitions in years y-1 .. y+2, ascending; is_start[k] says "to DST". */
static int rule_events(const TzRule *r, int64 y, int64 *when, bool *is_start)
{
    int n = 0;
    for (int64 yy = y - 1; yy <= y + 2; yy++) {
        int64 s = rule_day(&r->start, yy) * SECS_PER_DAY + r->start.secs - r->std.gmtoff;
        int64 e = rule_day(&r->end, yy) * SECS_PER_DAY + r->end.secs - r->dst.gmtoff;
        when[n] = e, is_start[n++] = false;
        when[n] = s, is_start[n++] = true;
    }
    /* insertion sort; on equal times the end comes first so the start wins (all-year DST) */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && (when[j] < when[j - 1] ||
                                  (when[j] == when[j - 1] && !is_start[j] && is_start[j - 1]));
             j--) {
            int64 tw = when[j];
            bool ts = is_start[j];
            when[j] = when[j - 1], is_start[j] = is_start[j - 1];
            when[j - 1] = tw, is_start[j - 1] = ts;
        }
    return n;
}

static int64 year_of(int64 t)
{
    int64 y;
    int m, d;
    date_to_ymd(floor_div(t, SECS_PER_DAY), &y, &m, &d);
    return y;
}

static const TzType *rule_state(const TzRule *r, int64 t)
{
    if (!r->has_dst)
        return &r->std;
    int64 when[8];
    bool is_start[8];
    int n = rule_events(r, year_of(t), when, is_start);
    const TzType *st = &r->std;
    for (int k = 0; k < n && when[k] <= t; k++)
        st = is_start[k] ? &r->dst : &r->std;
    return st;
}

static bool rule_next(const TzRule *r, int64 t, int64 *boundary)
{
    if (!r->has_dst)
        return false;
    int64 when[8];
    bool is_start[8];
    int n = rule_events(r, year_of(t), when, is_start);
    for (int k = 0; k < n; k++)
        if (when[k] > t) {
            *boundary = when[k];
            return true;
        }
    return false;
}

/* ------------------------------------------------------------------------
 * TZif
 * ------------------------------------------------------------------------ */

static uint32 be32(const unsigned char *p)
{
    return ((uint32)p[0] << 24) | ((uint32)p[1] << 16) | ((uint32)p[2] << 8) | p[3];
}

static int64 be64(const unsigned char *p)
{
    return (int64)(((uint64)be32(p) << 32) | be32(p + 4));
}

typedef struct TzifHeader {
    int version;
    uint32 isut, isstd, leap, timecnt, typecnt, charcnt;
} TzifHeader;

static bool read_header(const unsigned char *h, size_t avail, TzifHeader *hd)
{
    if (avail < 44 || memcmp(h, "TZif", 4) != 0)
        return false;
    hd->version = h[4] == 0 ? 1 : h[4] >= '2' && h[4] <= '9' ? h[4] - '0' : 0;
    if (hd->version == 0)
        return false;
    hd->isut = be32(h + 20);
    hd->isstd = be32(h + 24);
    hd->leap = be32(h + 28);
    hd->timecnt = be32(h + 32);
    hd->typecnt = be32(h + 36);
    hd->charcnt = be32(h + 40);
    if (hd->timecnt > TZ_MAX_TRANS || hd->typecnt == 0 || hd->typecnt > 256 ||
        hd->charcnt > 65536 || hd->leap > 65536 || (hd->isut != 0 && hd->isut != hd->typecnt) ||
        (hd->isstd != 0 && hd->isstd != hd->typecnt))
        return false;
    return true;
}

static size_t block_size(const TzifHeader *hd, size_t tsize)
{
    return (size_t)hd->timecnt * (tsize + 1) + (size_t)hd->typecnt * 6 + hd->charcnt +
           (size_t)hd->leap * (tsize + 4) + hd->isstd + hd->isut;
}

/* PostgreSQL's (zic's) choice of the type for instants before the first transition. */
static int choose_default_type(const TimeZone *tz)
{
    int i;
    bool type0_used = false;
    for (int k = 0; k < tz->ntrans; k++)
        if (tz->trans_type[k] == 0)
            type0_used = true;
    bool type0_unspecified = strcmp(tz->types[0].abbr, "-00") == 0;
    i = type0_used && !type0_unspecified ? -1 : 0;
    if (i < 0 && tz->ntrans > 0 && tz->types[tz->trans_type[0]].isdst) {
        i = tz->trans_type[0];
        while (--i >= 0)
            if (!tz->types[i].isdst)
                break;
    }
    if (i < 0) {
        i = 0;
        while (tz->types[i].isdst)
            if (++i >= tz->ntypes) {
                i = 0;
                break;
            }
    }
    return i;
}

TimeZone *timezone_parse_tzif(const char *name, const unsigned char *buf, size_t len)
{
    TzifHeader hd;
    if (!read_header(buf, len, &hd))
        return NULL;
    size_t tsize = 4;
    const unsigned char *p = buf + 44;
    size_t need = block_size(&hd, 4);
    if (need > len - 44)
        return NULL;
    if (hd.version >= 2) {
        const unsigned char *h2 = p + need;
        if (!read_header(h2, (size_t)(buf + len - h2), &hd))
            return NULL;
        tsize = 8;
        p = h2 + 44;
        need = block_size(&hd, 8);
        if (need > (size_t)(buf + len - p))
            return NULL;
    }
    if (hd.leap != 0)
        return NULL; /* PostgreSQL refuses zones that count leap seconds */
    const unsigned char *tp = p, *ip = tp + (size_t)hd.timecnt * tsize, *types = ip + hd.timecnt,
                        *chars = types + (size_t)hd.typecnt * 6;

    TimeZone *tz = lm_calloc(1, sizeof(TimeZone));
    tz->name = lm_strdup(name);
    tz->ntrans = (int)hd.timecnt;
    tz->trans = lm_malloc(sizeof(int64) * (hd.timecnt ? hd.timecnt : 1));
    tz->trans_type = lm_malloc(hd.timecnt ? hd.timecnt : 1);
    tz->ntypes = (int)hd.typecnt;
    tz->types = lm_calloc(hd.typecnt, sizeof(TzType));
    for (uint32 k = 0; k < hd.typecnt; k++) {
        const unsigned char *t = types + k * 6;
        int32 off = (int32)be32(t);
        uint32 ai = t[5];
        if (t[4] > 1 || ai >= hd.charcnt || off < -25 * 3600 || off > 26 * 3600)
            goto bad;
        tz->types[k].gmtoff = off;
        tz->types[k].isdst = t[4] == 1;
        size_t al = strnlen((const char *)chars + ai, hd.charcnt - ai);
        if (al >= TZ_ABBR_MAX || ai + al >= hd.charcnt)
            goto bad; /* unterminated or absurd abbreviation */
        memcpy(tz->types[k].abbr, chars + ai, al);
    }
    for (uint32 k = 0; k < hd.timecnt; k++) {
        tz->trans[k] = tsize == 8 ? be64(tp + k * 8) : (int64)(int32)be32(tp + k * 4);
        if (k > 0 && tz->trans[k] <= tz->trans[k - 1])
            goto bad;
        if (ip[k] >= hd.typecnt)
            goto bad;
        tz->trans_type[k] = ip[k];
    }
    tz->default_type = choose_default_type(tz);
    /* footer: "\n" POSIX-TZ "\n" */
    const unsigned char *end = p + need;
    if (hd.version >= 2 && end < buf + len && *end == '\n') {
        const unsigned char *nl = memchr(end + 1, '\n', (size_t)(buf + len - end - 1));
        if (nl == NULL)
            goto bad;
        size_t fl = (size_t)(nl - end - 1);
        if (fl > 0) {
            char footer[TZ_NAME_MAX + 1];
            if (fl > TZ_NAME_MAX)
                goto bad;
            memcpy(footer, end + 1, fl);
            footer[fl] = '\0';
            if (!parse_posix(footer, &tz->rule))
                goto bad;
        }
    }
    return tz;
bad:
    timezone_free(tz);
    return NULL;
}

void timezone_free(TimeZone *tz)
{
    if (tz == NULL)
        return;
    lm_free(tz->key);
    lm_free(tz->name);
    lm_free(tz->trans);
    lm_free(tz->trans_type);
    lm_free(tz->types);
    lm_free(tz);
}

/* ------------------------------------------------------------------------
 * Lookup
 * ------------------------------------------------------------------------ */

/* Finds rel under dir case-insensitively; writes the path into path and the
 * canonical (on-disk) spelling of rel into canon. */
static bool find_zone_file(const char *dir, const char *rel, char *path, size_t pathsz, char *canon,
                           size_t canonsz)
{
    snprintf(path, pathsz, "%s", dir);
    canon[0] = '\0';
    const char *p = rel;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t cl = slash ? (size_t)(slash - p) : strlen(p);
        if (cl == 0 || (cl <= 2 && p[0] == '.' && (cl == 1 || p[1] == '.')))
            return false;
        DIR *d = opendir(path);
        if (!d)
            return false;
        struct dirent *de;
        bool found = false;
        while ((de = readdir(d)) != NULL)
            if (strlen(de->d_name) == cl && strncasecmp(de->d_name, p, cl) == 0) {
                size_t pl = strlen(path), ql = strlen(canon);
                snprintf(path + pl, pathsz - pl, "/%s", de->d_name);
                snprintf(canon + ql, canonsz - ql, "%s%s", ql ? "/" : "", de->d_name);
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
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= TZ_FILE_MAX;
}

static TimeZone *load_file(const char *name)
{
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '+' || *p == '/' ||
              *p == '.'))
            return NULL;
    if (name[0] == '/' || name[0] == '\0')
        return NULL;
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    char path[1024], canon[TZ_NAME_MAX + 1];
    if (!find_zone_file(dir, name, path, sizeof path, canon, sizeof canon))
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = lm_malloc(TZ_FILE_MAX);
    size_t len = fread(buf, 1, TZ_FILE_MAX, f);
    fclose(f);
    TimeZone *tz = timezone_parse_tzif(canon, buf, len);
    lm_free(buf);
    if (tz)
        tz->from_file = true;
    return tz;
}

static TimeZone *load_posix(const char *upper)
{
    TzRule r;
    if (!parse_posix(upper, &r))
        return NULL;
    TimeZone *tz = lm_calloc(1, sizeof(TimeZone));
    tz->name = lm_strdup(upper);
    tz->ntypes = 1;
    tz->types = lm_calloc(1, sizeof(TzType));
    tz->types[0] = r.std;
    tz->rule = r;
    return tz;
}

const TimeZone *timezone_load(const char *name, size_t len)
{
    char upper[TZ_NAME_MAX + 1];
    if (len == 0 || len > TZ_NAME_MAX || memchr(name, '\0', len))
        return NULL;
    for (size_t k = 0; k < len; k++)
        upper[k] = (char)toupper((unsigned char)name[k]);
    upper[len] = '\0';
    pthread_mutex_lock(&tz_lock);
    TimeZone *tz;
    for (tz = tz_cache; tz; tz = tz->next)
        if (strcmp(tz->key, upper) == 0)
            break;
    if (tz == NULL) {
        if (strcmp(upper, "GMT") == 0)
            tz = load_posix("GMT0");
        else {
            char orig[TZ_NAME_MAX + 1];
            memcpy(orig, name, len);
            orig[len] = '\0';
            tz = load_file(orig);
            if (tz == NULL)
                tz = load_posix(upper);
        }
        if (tz) {
            if (strcmp(upper, "GMT") == 0) {
                lm_free(tz->name);
                tz->name = lm_strdup("GMT");
            }
            tz->key = lm_strdup(upper);
            tz->next = tz_cache;
            tz_cache = tz;
        }
    }
    pthread_mutex_unlock(&tz_lock);
    return tz;
}

const TimeZone *timezone_utc(void)
{
    static const TimeZone *utc;
    const TimeZone *z = __atomic_load_n(&utc, __ATOMIC_ACQUIRE);
    if (z == NULL) {
        z = timezone_load("UTC", 3);
        if (z == NULL) /* no tz database: the POSIX spec always parses */
            z = timezone_load("UTC0", 4);
        if (z == NULL)
            abort();
        __atomic_store_n(&utc, z, __ATOMIC_RELEASE);
    }
    return z;
}

const TimeZone *timezone_fixed(int32 gmtoff)
{
    int64 west = -(int64)gmtoff;
    int64 abs_off = west < 0 ? -west : west;
    if (abs_off >= 168 * 3600)
        return NULL;
    char off[32], name[80];
    int n = snprintf(off, sizeof off, "%02d", (int)(abs_off / 3600));
    abs_off %= 3600;
    if (abs_off != 0) {
        n += snprintf(off + n, sizeof off - (size_t)n, ":%02d", (int)(abs_off / 60));
        if (abs_off % 60 != 0)
            snprintf(off + n, sizeof off - (size_t)n, ":%02d", (int)(abs_off % 60));
    }
    if (west > 0)
        snprintf(name, sizeof name, "<-%s>+%s", off, off);
    else
        snprintf(name, sizeof name, "<+%s>-%s", off, off);
    return timezone_load(name, strlen(name));
}

const char *timezone_name(const TimeZone *tz)
{
    return tz->name;
}

bool timezone_is_file(const TimeZone *tz)
{
    return tz->from_file;
}

/* ------------------------------------------------------------------------
 * Conversion
 * ------------------------------------------------------------------------ */

static const TzType *state_at(const TimeZone *tz, int64 t)
{
    if (tz->ntrans == 0)
        return tz->rule.valid ? rule_state(&tz->rule, t) : &tz->types[tz->default_type];
    if (t < tz->trans[0])
        return &tz->types[tz->default_type];
    if (t >= tz->trans[tz->ntrans - 1] && tz->rule.valid)
        return rule_state(&tz->rule, t);
    int lo = 0, hi = tz->ntrans - 1; /* last transition <= t */
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (tz->trans[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return &tz->types[tz->trans_type[lo]];
}

/* The first transition strictly after t. */
static bool next_boundary(const TimeZone *tz, int64 t, int64 *boundary)
{
    if (tz->ntrans > 0 && t < tz->trans[tz->ntrans - 1]) {
        int lo = 0, hi = tz->ntrans - 1; /* first transition > t */
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (tz->trans[mid] > t)
                hi = mid;
            else
                lo = mid + 1;
        }
        *boundary = tz->trans[lo];
        return true;
    }
    return tz->rule.valid && rule_next(&tz->rule, t, boundary);
}

int32 timezone_offset_utc(const TimeZone *tz, int64 utc_micros, const char **abbrev, bool *is_dst)
{
    const TzType *st = state_at(tz, floor_div(utc_micros, USECS_PER_SEC));
    if (abbrev)
        *abbrev = st->abbr;
    if (is_dst)
        *is_dst = st->isdst;
    return st->gmtoff;
}

int32 timezone_offset_local(const TimeZone *tz, int64 local_micros, bool *is_dst)
{
    int64 t = floor_div(local_micros, USECS_PER_SEC);
    int64 prev = t - SECS_PER_DAY;
    const TzType *before = state_at(tz, prev), *res;
    int64 boundary;
    if (!next_boundary(tz, prev, &boundary))
        res = before;
    else {
        const TzType *after = state_at(tz, boundary);
        int64 bt = t - before->gmtoff, at = t - after->gmtoff;
        if (bt < boundary && at < boundary)
            res = before;
        else if (bt > boundary && at >= boundary)
            res = after;
        else /* gap: the offset before the jump; overlap: the one after */
            res = bt > at ? before : after;
    }
    if (is_dst)
        *is_dst = res->isdst;
    return res->gmtoff;
}

LM_NORETURN static void ts_out_of_range(void);

int64 timezone_utc_to_local(const TimeZone *tz, int64 utc_micros)
{
    if (utc_micros == TIMESTAMP_NOBEGIN || utc_micros == TIMESTAMP_NOEND)
        return utc_micros;
    int64 r;
    if (__builtin_add_overflow(
            utc_micros, (int64)timezone_offset_utc(tz, utc_micros, NULL, NULL) * USECS_PER_SEC,
            &r) ||
        r == TIMESTAMP_NOBEGIN || r == TIMESTAMP_NOEND)
        ts_out_of_range();
    return r;
}

int64 timezone_local_to_utc(const TimeZone *tz, int64 local_micros)
{
    if (local_micros == TIMESTAMP_NOBEGIN || local_micros == TIMESTAMP_NOEND)
        return local_micros;
    int64 r;
    if (__builtin_sub_overflow(local_micros,
                               (int64)timezone_offset_local(tz, local_micros, NULL) * USECS_PER_SEC,
                               &r) ||
        r == TIMESTAMP_NOBEGIN || r == TIMESTAMP_NOEND)
        ts_out_of_range();
    return r;
}

/* ------------------------------------------------------------------------
 * Interval arithmetic in a zone
 * ------------------------------------------------------------------------ */

LM_NORETURN static void ts_out_of_range(void)
{
    ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("timestamp out of range"));
}

/* Wall time + months (day of month clamped to the target month's length) + days. */
static int64 add_calendar(int64 local, int64 months, int64 days)
{
    int64 day = floor_div(local, USECS_PER_DAY), tod = local - day * USECS_PER_DAY;
    if (months != 0) {
        int64 y;
        int m, d;
        date_to_ymd(day, &y, &m, &d);
        int64 total = y * 12 + (m - 1) + months;
        y = floor_div(total, 12);
        m = (int)(total - y * 12) + 1;
        int dim = date_days_in_month(y, m);
        day = date_from_ymd(y, m, d > dim ? dim : d);
    }
    int128 r = ((int128)day + days) * USECS_PER_DAY + tod;
    if (r >= INT64_MAX || r <= INT64_MIN)
        ts_out_of_range();
    return (int64)r;
}

int64 timezone_add_interval(const TimeZone *tz, int64 ts, const Interval *iv, int64 n)
{
    if (ts == TIMESTAMP_NOBEGIN || ts == TIMESTAMP_NOEND)
        return ts;
    int128 months = (int128)iv->months * n, days = (int128)iv->days * n;
    int128 micros = (int128)iv->micros * n;
    if (months > INT32_MAX * INT64_C(16) || months < INT32_MIN * INT64_C(16) ||
        days > INT32_MAX * INT64_C(16) || days < INT32_MIN * INT64_C(16))
        ts_out_of_range();
    if (months != 0) {
        int64 local = add_calendar(tz ? timezone_utc_to_local(tz, ts) : ts, (int64)months, 0);
        ts = tz ? timezone_local_to_utc(tz, local) : local;
    }
    if (days != 0) {
        int64 local = add_calendar(tz ? timezone_utc_to_local(tz, ts) : ts, 0, (int64)days);
        ts = tz ? timezone_local_to_utc(tz, local) : local;
    }
    int128 r = (int128)ts + micros;
    if (r >= INT64_MAX || r <= INT64_MIN)
        ts_out_of_range();
    return (int64)r;
}

/* ------------------------------------------------------------------------
 * Abbreviations, offsets text, session zone
 * ------------------------------------------------------------------------ */

/*
 * PostgreSQL 15's timezonesets/Default, sorted by abbreviation: seconds east
 * and DST flag, or the zone whose offset a "dynamic" abbreviation (MSK,
 * Europe/Moscow) takes.  PostgreSQL gives a dynamic abbreviation the offset
 * the zone used under that abbreviation around the time; Laminar uses the
 * zone's offset at the time, which is the same whenever the abbreviation is
 * the one in use (they differ only for, e.g., a summer abbreviation applied
 * to a winter date).
 */
static const struct {
    const char *abbrev;
    int32 gmtoff;
    bool isdst;
    const char *zone;
} tz_abbrevs[] = {
    /* clang-format off */
    {"acdt", 37800, true, NULL}, {"acsst", 37800, true, NULL}, {"acst", 34200, false, NULL},
    {"act", -18000, false, NULL}, {"acwst", 31500, false, NULL}, {"adt", -10800, true, NULL},
    {"aedt", 39600, true, NULL}, {"aesst", 39600, true, NULL}, {"aest", 36000, false, NULL},
    {"aft", 16200, false, NULL}, {"akdt", -28800, true, NULL}, {"akst", -32400, false, NULL},
    {"almst", 25200, true, NULL}, {"almt", 21600, false, NULL}, {"amst", 0, false, "Asia/Yerevan"},
    {"amt", -14400, false, NULL}, {"anast", 0, false, "Asia/Anadyr"},
    {"anat", 0, false, "Asia/Anadyr"}, {"arst", 0, false, "America/Argentina/Buenos_Aires"},
    {"art", 0, false, "America/Argentina/Buenos_Aires"}, {"ast", -14400, false, NULL},
    {"awsst", 32400, true, NULL}, {"awst", 28800, false, NULL}, {"azost", 0, true, NULL},
    {"azot", -3600, false, NULL}, {"azst", 0, false, "Asia/Baku"}, {"azt", 0, false, "Asia/Baku"},
    {"bdst", 7200, true, NULL}, {"bdt", 21600, false, NULL}, {"bnt", 28800, false, NULL},
    {"bort", 28800, false, NULL}, {"bot", -14400, false, NULL}, {"bra", -10800, false, NULL},
    {"brst", -7200, true, NULL}, {"brt", -10800, false, NULL}, {"bst", 3600, true, NULL},
    {"btt", 21600, false, NULL}, {"cadt", 37800, true, NULL}, {"cast", 34200, false, NULL},
    {"cct", 28800, false, NULL}, {"cdt", -18000, true, NULL}, {"cest", 7200, true, NULL},
    {"cet", 3600, false, NULL}, {"cetdst", 7200, true, NULL}, {"chadt", 49500, true, NULL},
    {"chast", 45900, false, NULL}, {"chut", 36000, false, NULL},
    {"ckt", 0, false, "Pacific/Rarotonga"}, {"clst", -10800, true, NULL},
    {"clt", 0, false, "America/Santiago"}, {"cot", -18000, false, NULL},
    {"cst", -21600, false, NULL}, {"cxt", 25200, false, NULL},
    {"davt", 0, false, "Antarctica/Davis"}, {"ddut", 36000, false, NULL},
    {"easst", 0, false, "Pacific/Easter"}, {"east", 0, false, "Pacific/Easter"},
    {"eat", 10800, false, NULL}, {"edt", -14400, true, NULL}, {"eest", 10800, true, NULL},
    {"eet", 7200, false, NULL}, {"eetdst", 10800, true, NULL}, {"egst", 0, true, NULL},
    {"egt", -3600, false, NULL}, {"est", -18000, false, NULL}, {"fet", 10800, false, NULL},
    {"fjst", 46800, true, NULL}, {"fjt", 43200, false, NULL},
    {"fkst", 0, false, "Atlantic/Stanley"}, {"fkt", 0, false, "Atlantic/Stanley"},
    {"fnst", -3600, true, NULL}, {"fnt", -7200, false, NULL}, {"galt", -21600, false, NULL},
    {"gamt", -32400, false, NULL}, {"gest", 0, false, "Asia/Tbilisi"},
    {"get", 0, false, "Asia/Tbilisi"}, {"gft", -10800, false, NULL}, {"gilt", 43200, false, NULL},
    {"gmt", 0, false, NULL}, {"gyt", 0, false, "America/Guyana"}, {"hkt", 28800, false, NULL},
    {"hst", -36000, false, NULL}, {"ict", 25200, false, NULL}, {"idt", 10800, true, NULL},
    {"iot", 0, false, "Indian/Chagos"}, {"irkst", 0, false, "Asia/Irkutsk"},
    {"irkt", 0, false, "Asia/Irkutsk"}, {"irt", 12600, false, NULL}, {"ist", 7200, false, NULL},
    {"jayt", 32400, false, NULL}, {"jst", 32400, false, NULL}, {"kdt", 36000, true, NULL},
    {"kgst", 21600, true, NULL}, {"kgt", 0, false, "Asia/Bishkek"},
    {"kost", 0, false, "Pacific/Kosrae"}, {"krast", 0, false, "Asia/Krasnoyarsk"},
    {"krat", 0, false, "Asia/Krasnoyarsk"}, {"kst", 32400, false, NULL},
    {"lhdt", 0, false, "Australia/Lord_Howe"}, {"lhst", 37800, false, NULL},
    {"ligt", 36000, false, NULL}, {"lint", 0, false, "Pacific/Kiritimati"},
    {"lkt", 0, false, "Asia/Colombo"}, {"magst", 0, false, "Asia/Magadan"},
    {"magt", 0, false, "Asia/Magadan"}, {"mart", -34200, false, NULL},
    {"mawt", 0, false, "Antarctica/Mawson"}, {"mdt", -21600, true, NULL},
    {"mest", 7200, true, NULL}, {"mesz", 7200, true, NULL}, {"met", 3600, false, NULL},
    {"metdst", 7200, true, NULL}, {"mez", 3600, false, NULL}, {"mht", 43200, false, NULL},
    {"mmt", 23400, false, NULL}, {"mpt", 36000, false, NULL}, {"msd", 14400, true, NULL},
    {"msk", 0, false, "Europe/Moscow"}, {"mst", -25200, false, NULL}, {"must", 18000, true, NULL},
    {"mut", 14400, false, NULL}, {"mvt", 18000, false, NULL}, {"myt", 28800, false, NULL},
    {"ndt", -9000, true, NULL}, {"nft", -12600, false, NULL},
    {"novst", 0, false, "Asia/Novosibirsk"}, {"novt", 0, false, "Asia/Novosibirsk"},
    {"npt", 20700, false, NULL}, {"nst", -12600, false, NULL}, {"nut", 0, false, "Pacific/Niue"},
    {"nzdt", 46800, true, NULL}, {"nzst", 43200, false, NULL}, {"nzt", 43200, false, NULL},
    {"omsst", 0, false, "Asia/Omsk"}, {"omst", 0, false, "Asia/Omsk"}, {"pdt", -25200, true, NULL},
    {"pet", -18000, false, NULL}, {"petst", 0, false, "Asia/Kamchatka"},
    {"pett", 0, false, "Asia/Kamchatka"}, {"pgt", 36000, false, NULL}, {"pht", 28800, false, NULL},
    {"pkst", 21600, true, NULL}, {"pkt", 18000, false, NULL}, {"pmdt", -7200, true, NULL},
    {"pmst", -10800, false, NULL}, {"pont", 39600, false, NULL}, {"pst", -28800, false, NULL},
    {"pwt", 32400, false, NULL}, {"pyst", -10800, true, NULL},
    {"pyt", 0, false, "America/Asuncion"}, {"ret", 14400, false, NULL}, {"sadt", 37800, true, NULL},
    {"sast", 7200, false, NULL}, {"sct", 14400, false, NULL}, {"sgt", 0, false, "Asia/Singapore"},
    {"taht", -36000, false, NULL}, {"tft", 18000, false, NULL}, {"tjt", 18000, false, NULL},
    {"tkt", 0, false, "Pacific/Fakaofo"}, {"tmt", 0, false, "Asia/Ashgabat"},
    {"tot", 46800, false, NULL}, {"trut", 36000, false, NULL}, {"tvt", 43200, false, NULL},
    {"uct", 0, false, NULL}, {"ulast", 32400, true, NULL}, {"ulat", 0, false, "Asia/Ulaanbaatar"},
    {"ut", 0, false, NULL}, {"utc", 0, false, NULL}, {"uyst", -7200, true, NULL},
    {"uyt", -10800, false, NULL}, {"uzst", 21600, true, NULL}, {"uzt", 18000, false, NULL},
    {"vet", 0, false, "America/Caracas"}, {"vlast", 0, false, "Asia/Vladivostok"},
    {"vlat", 0, false, "Asia/Vladivostok"}, {"volt", 0, false, "Europe/Volgograd"},
    {"vut", 39600, false, NULL}, {"wadt", 28800, true, NULL}, {"wakt", 43200, false, NULL},
    {"wast", 25200, false, NULL}, {"wat", 3600, false, NULL}, {"wdt", 32400, true, NULL},
    {"wet", 0, false, NULL}, {"wetdst", 3600, true, NULL}, {"wft", 43200, false, NULL},
    {"wgst", -7200, true, NULL}, {"wgt", -10800, false, NULL}, {"xjt", 21600, false, NULL},
    {"yakst", 0, false, "Asia/Yakutsk"}, {"yakt", 0, false, "Asia/Yakutsk"},
    {"yapt", 36000, false, NULL}, {"yekst", 21600, true, NULL},
    {"yekt", 0, false, "Asia/Yekaterinburg"}, {"z", 0, false, NULL}, {"zulu", 0, false, NULL},
    /* clang-format on */
};

bool timezone_abbrev_lookup(const char *name, size_t len, int32 *gmtoff, bool *is_dst,
                            const TimeZone **dynamic)
{
    char low[16];
    if (len == 0 || len >= sizeof(low))
        return false;
    for (size_t k = 0; k < len; k++)
        low[k] = (char)tolower((unsigned char)name[k]);
    low[len] = '\0';
    size_t lo = 0, hi = LM_ARRAY_LEN(tz_abbrevs);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(tz_abbrevs[mid].abbrev, low);
        if (c == 0) {
            *gmtoff = tz_abbrevs[mid].gmtoff;
            if (is_dst)
                *is_dst = tz_abbrevs[mid].isdst;
            *dynamic = tz_abbrevs[mid].zone
                           ? timezone_load(tz_abbrevs[mid].zone, strlen(tz_abbrevs[mid].zone))
                           : NULL;
            /* a dynamic abbreviation whose zone is missing from the tz database is unknown */
            return tz_abbrevs[mid].zone == NULL || *dynamic != NULL;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

void timezone_format_offset(int32 gmtoff, bool colon_minutes, StrBuf *out)
{
    int32 a = gmtoff < 0 ? -gmtoff : gmtoff;
    int h = (int)(a / 3600), m = (int)(a / 60 % 60), s = (int)(a % 60);
    char buf[32];
    char sign = gmtoff >= 0 ? '+' : '-';
    if (s != 0)
        snprintf(buf, sizeof buf, "%c%02d:%02d:%02d", sign, h, m, s);
    else if (m != 0 || colon_minutes)
        snprintf(buf, sizeof buf, "%c%02d:%02d", sign, h, m);
    else
        snprintf(buf, sizeof buf, "%c%02d", sign, h);
    strbuf_append_str(out, buf);
}

void timezone_set_session(const TimeZone *tz)
{
    session_tz = tz;
}

const TimeZone *timezone_session(void)
{
    return session_tz ? session_tz : timezone_utc();
}
