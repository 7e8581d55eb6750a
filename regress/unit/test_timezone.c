/*
 * test_timezone.c: unit tests for common/timezone.c and the session zone in
 * datetime.c's TIMESTAMPTZ text I/O.
 *
 * Covers loading zones as PostgreSQL's pg_tzset does (tz database files with
 * case-insensitive canonical names, POSIX specs west-positive, fixed offsets
 * named "<-07>+07"), UTC -> local offsets and abbreviations (including LMT
 * before the first transition and the footer's POSIX rule far in the
 * future, both hemispheres and Dublin's negative DST), local -> UTC with
 * PostgreSQL's gap/overlap choice, interval arithmetic in a zone, offset
 * text, the per-thread session zone, a hand-built version 1 TZif file, and
 * malformed TZif input (every truncation and random byte flips of a real
 * file) which must be refused or read without crashing.  Expected values
 * were checked against PostgreSQL 15 (regress/sql/timezones.sql).
 *
 * lmtest-libs: common/libcommon.a
 */
#include "common/arena.h"
#include "common/datetime.h"
#include "common/strbuf.h"
#include "common/timezone.h"
#include "lmtest.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define H 3600

/* Micros since 1970 of a UTC (or wall) time. */
static int64 at(int64 y, int mo, int d, int h, int mi, int s)
{
    return (date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * USECS_PER_SEC;
}

static const TimeZone *load(const char *name)
{
    return timezone_load(name, strlen(name));
}

static int32 off_utc(const TimeZone *tz, int64 t, const char **abbrev, bool *dst)
{
    return timezone_offset_utc(tz, t, abbrev, dst);
}

static void test_loading(void)
{
    const TimeZone *ny = load("america/new_york");
    LMT_CHECK(ny != NULL, "America/New_York loads case-insensitively");
    if (ny)
        LMT_CHECK_STR(timezone_name(ny), "America/New_York",
                      "canonical name is the file's spelling");
    LMT_CHECK(load("America/New_York") == ny, "a zone is loaded once and cached");
    LMT_CHECK(ny && timezone_is_file(ny), "New York comes from a file");
    LMT_CHECK(load("Mars/Olympus_Mons") == NULL, "unknown zone is NULL");
    LMT_CHECK(load("../../etc/passwd") == NULL, "paths outside the tz database are refused");
    LMT_CHECK(load("/etc/localtime") == NULL, "absolute paths are refused");
    LMT_CHECK(load("America") == NULL, "a directory is not a zone");
    LMT_CHECK(load("zone.tab") == NULL, "a non-TZif file is not a zone");
    LMT_CHECK(load("PST") == NULL, "an abbreviation is not a zone name");
    LMT_CHECK(load("Z") == NULL, "'Z' is not a zone name (PostgreSQL refuses SET TIME ZONE 'Z')");
    LMT_CHECK(timezone_load("", 0) == NULL, "empty name is NULL");
    LMT_CHECK(timezone_load("UTC\0X", 5) == NULL, "embedded NUL is refused");

    const TimeZone *gmt = load("gmt");
    LMT_CHECK(gmt && strcmp(timezone_name(gmt), "GMT") == 0, "gmt canonicalises to GMT");
    const TimeZone *utc = timezone_utc();
    LMT_CHECK_STR(timezone_name(utc), "UTC", "built-in UTC is named UTC");

    const TimeZone *p = load("+05:30");
    LMT_CHECK(p != NULL, "'+05:30' is a POSIX spec");
    if (p) {
        LMT_CHECK_STR(timezone_name(p), "+05:30", "POSIX spec keeps its text");
        LMT_CHECK_INT(off_utc(p, 0, NULL, NULL), -(5 * H + 1800),
                      "'+05:30' is 05:30 WEST of Greenwich");
        LMT_CHECK(!timezone_is_file(p), "a POSIX spec is not a file");
    }
    const TimeZone *u3 = load("utc+3");
    LMT_CHECK(u3 && strcmp(timezone_name(u3), "UTC+3") == 0,
              "POSIX specs canonicalise to upper case");
    LMT_CHECK(u3 && off_utc(u3, 0, NULL, NULL) == -3 * H, "UTC+3 is three hours west");
    LMT_CHECK(load("UTC+200") == NULL, "POSIX offsets are limited to 167 hours");
    LMT_CHECK(load("ABC") == NULL, "a POSIX spec needs an offset");
    LMT_CHECK(load(":UTC") == NULL, "':' specs are refused");

    const TimeZone *f = timezone_fixed(-7 * H);
    LMT_CHECK(f && strcmp(timezone_name(f), "<-07>+07") == 0, "fixed -7h is named <-07>+07");
    LMT_CHECK(f && off_utc(f, 0, NULL, NULL) == -7 * H, "fixed -7h offset");
    f = timezone_fixed(5 * H + 30 * 60 + 15);
    LMT_CHECK(f && strcmp(timezone_name(f), "<+05:30:15>-05:30:15") == 0,
              "fixed offset with seconds");
    LMT_CHECK(f && off_utc(f, 0, NULL, NULL) == 5 * H + 1815, "fixed offset with seconds applies");
    LMT_CHECK(timezone_fixed(168 * H) == NULL, "fixed offsets of a week are out of range");

    const TimeZone *posix = load("ABC3DEF,M3.2.0,M11.1.0");
    LMT_CHECK(posix != NULL, "POSIX spec with rules loads");
    if (posix) {
        LMT_CHECK_INT(off_utc(posix, at(2024, 7, 1, 12, 0, 0), NULL, NULL), -2 * H,
                      "POSIX DST in July");
        LMT_CHECK_INT(off_utc(posix, at(2024, 1, 1, 12, 0, 0), NULL, NULL), -3 * H,
                      "POSIX standard in January");
    }
    const TimeZone *defrule = load("ABC3DEF");
    LMT_CHECK(defrule && off_utc(defrule, at(2024, 7, 1, 12, 0, 0), NULL, NULL) == -2 * H,
              "POSIX spec without rules takes US rules, as PostgreSQL");

    int32 off;
    bool dst;
    const TimeZone *dyn;
    LMT_CHECK(timezone_abbrev_lookup("EDT", 3, &off, &dst, &dyn) && off == -4 * H && dst && !dyn,
              "EDT abbreviation");
    LMT_CHECK(timezone_abbrev_lookup("z", 1, &off, &dst, &dyn) && off == 0 && !dst,
              "z abbreviation");
    LMT_CHECK(timezone_abbrev_lookup("ACDT", 4, &off, &dst, &dyn) && off == 37800 && dst,
              "first abbreviation of the table");
    LMT_CHECK(timezone_abbrev_lookup("zulu", 4, &off, &dst, &dyn) && off == 0,
              "last abbreviation of the table");
    LMT_CHECK(timezone_abbrev_lookup("MSK", 3, &off, &dst, &dyn) && dyn &&
                  strcmp(timezone_name(dyn), "Europe/Moscow") == 0,
              "MSK is a dynamic abbreviation (Europe/Moscow)");
    LMT_CHECK(!timezone_abbrev_lookup("XYZ", 3, &off, &dst, &dyn), "unknown abbreviation");
    LMT_CHECK(!timezone_abbrev_lookup("averyveryverylongname", 21, &off, &dst, &dyn), "long word");
}

static void test_offsets(void)
{
    const TimeZone *ny = load("America/New_York");
    const char *ab;
    bool dst;
    if (!ny) {
        lmt_skip("no America/New_York", "New York offsets");
        return;
    }
    LMT_CHECK_INT(off_utc(ny, at(2024, 1, 15, 12, 0, 0), &ab, &dst), -5 * H, "NY winter offset");
    LMT_CHECK(strcmp(ab, "EST") == 0 && !dst, "NY winter is EST, not DST");
    LMT_CHECK_INT(off_utc(ny, at(2024, 7, 15, 12, 0, 0), &ab, &dst), -4 * H, "NY summer offset");
    LMT_CHECK(strcmp(ab, "EDT") == 0 && dst, "NY summer is EDT, DST");
    LMT_CHECK_INT(off_utc(ny, at(2024, 3, 10, 6, 59, 59), NULL, NULL), -5 * H,
                  "a second before spring forward");
    LMT_CHECK_INT(off_utc(ny, at(2024, 3, 10, 7, 0, 0), NULL, NULL), -4 * H, "at spring forward");
    LMT_CHECK_INT(off_utc(ny, at(2024, 11, 3, 5, 59, 59), NULL, NULL), -4 * H,
                  "a second before fall back");
    LMT_CHECK_INT(off_utc(ny, at(2024, 11, 3, 6, 0, 0), NULL, NULL), -5 * H, "at fall back");
    LMT_CHECK_INT(off_utc(ny, at(1800, 1, 1, 0, 0, 0), &ab, NULL), -(4 * H + 56 * 60 + 2),
                  "LMT before 1883");
    LMT_CHECK(strcmp(ab, "LMT") == 0, "LMT abbreviation");
    LMT_CHECK_INT(off_utc(ny, at(2300, 7, 4, 12, 0, 0), NULL, NULL), -4 * H,
                  "July 2300 via the POSIX footer");
    LMT_CHECK_INT(off_utc(ny, at(2300, 12, 25, 12, 0, 0), NULL, NULL), -5 * H,
                  "December 2300 via the footer");
    LMT_CHECK_INT(off_utc(ny, at(100000, 7, 4, 12, 0, 0), NULL, NULL), -4 * H,
                  "year 100000 via the footer");
    LMT_CHECK_INT(off_utc(ny, TIMESTAMP_NOEND - 1, NULL, NULL), -5 * H,
                  "the last representable instant");

    const TimeZone *lh = load("Australia/Lord_Howe");
    if (lh) {
        LMT_CHECK_INT(off_utc(lh, at(2024, 1, 15, 12, 0, 0), NULL, NULL), 11 * H,
                      "Lord Howe summer +11");
        LMT_CHECK_INT(off_utc(lh, at(2024, 7, 15, 12, 0, 0), NULL, NULL), 10 * H + 1800,
                      "Lord Howe winter +10:30");
        LMT_CHECK_INT(off_utc(lh, at(2150, 1, 15, 12, 0, 0), NULL, NULL), 11 * H,
                      "Lord Howe 2150 summer (footer)");
        LMT_CHECK_INT(off_utc(lh, at(2150, 7, 15, 12, 0, 0), NULL, NULL), 10 * H + 1800,
                      "Lord Howe 2150 winter (footer)");
    }
    const TimeZone *dub = load("Europe/Dublin");
    if (dub) {
        LMT_CHECK_INT(off_utc(dub, at(2150, 1, 15, 12, 0, 0), &ab, &dst), 0,
                      "Dublin 2150 winter GMT");
        LMT_CHECK(strcmp(ab, "GMT") == 0, "Dublin winter abbreviation GMT (negative DST)");
        LMT_CHECK_INT(off_utc(dub, at(2150, 7, 15, 12, 0, 0), &ab, &dst), H,
                      "Dublin 2150 summer IST");
        LMT_CHECK(strcmp(ab, "IST") == 0, "Dublin summer abbreviation IST");
    }
    const TimeZone *kol = load("Asia/Kolkata");
    if (kol) {
        LMT_CHECK_INT(off_utc(kol, at(1900, 1, 1, 0, 0, 0), &ab, NULL), 5 * H + 21 * 60 + 10,
                      "Kolkata 1900 +05:21:10");
        LMT_CHECK(strcmp(ab, "MMT") == 0, "Kolkata 1900 is Madras time");
        LMT_CHECK_INT(off_utc(kol, at(2024, 1, 1, 0, 0, 0), &ab, NULL), 5 * H + 1800,
                      "Kolkata +05:30");
    }
}

static void test_local(void)
{
    const TimeZone *ny = load("America/New_York");
    const TimeZone *lh = load("Australia/Lord_Howe");
    if (!ny || !lh) {
        lmt_skip("no tz database", "local time conversions");
        return;
    }
    LMT_CHECK_INT(timezone_local_to_utc(ny, at(2024, 1, 15, 12, 0, 0)), at(2024, 1, 15, 17, 0, 0),
                  "NY winter noon");
    LMT_CHECK_INT(timezone_local_to_utc(ny, at(2024, 3, 10, 2, 30, 0)), at(2024, 3, 10, 7, 30, 0),
                  "a skipped time takes the offset before the gap (03:30 EDT)");
    LMT_CHECK_INT(timezone_local_to_utc(ny, at(2024, 3, 10, 3, 0, 0)), at(2024, 3, 10, 7, 0, 0),
                  "03:00 after the gap");
    LMT_CHECK_INT(timezone_local_to_utc(ny, at(2024, 11, 3, 1, 30, 0)), at(2024, 11, 3, 6, 30, 0),
                  "a repeated time takes the offset after the jump (EST)");
    LMT_CHECK_INT(timezone_local_to_utc(ny, at(2024, 11, 3, 0, 59, 59)), at(2024, 11, 3, 4, 59, 59),
                  "before the overlap");
    LMT_CHECK_INT(timezone_local_to_utc(ny, at(2024, 11, 3, 2, 0, 0)), at(2024, 11, 3, 7, 0, 0),
                  "after the overlap");
    LMT_CHECK_INT(timezone_local_to_utc(lh, at(2024, 10, 6, 2, 15, 0)), at(2024, 10, 5, 15, 45, 0),
                  "Lord Howe 30-minute gap: 02:15 is 02:45+11");
    LMT_CHECK_INT(timezone_local_to_utc(lh, at(2024, 4, 7, 1, 45, 0)), at(2024, 4, 6, 15, 15, 0),
                  "Lord Howe 30-minute overlap: 01:45+10:30");
    LMT_CHECK_INT(timezone_local_to_utc(ny, at(2300, 3, 11, 2, 30, 0)), at(2300, 3, 11, 7, 30, 0),
                  "far-future gap via the footer rule");
    LMT_CHECK_INT(timezone_local_to_utc(ny, TIMESTAMP_NOEND), TIMESTAMP_NOEND,
                  "infinity passes through");
    LMT_CHECK_INT(timezone_utc_to_local(ny, TIMESTAMP_NOBEGIN), TIMESTAMP_NOBEGIN,
                  "-infinity passes through");
    const TimeZone *plus14 = timezone_fixed(14 * H);
    LMT_EXPECT_ERROR(timezone_utc_to_local(plus14, TIMESTAMP_NOEND - 1), "22008",
                     "local time past the int64 range is out of range");

    Interval day = {0, 1, 0}, hours24 = {24 * H * USECS_PER_SEC, 0, 0}, month = {0, 0, 1};
    LMT_CHECK_INT(timezone_add_interval(ny, at(2024, 3, 9, 17, 0, 0), &day, 1),
                  at(2024, 3, 10, 16, 0, 0), "+1 day across spring forward keeps noon");
    LMT_CHECK_INT(timezone_add_interval(ny, at(2024, 3, 9, 17, 0, 0), &hours24, 1),
                  at(2024, 3, 10, 17, 0, 0), "+24 hours is 24 hours");
    LMT_CHECK_INT(timezone_add_interval(ny, at(2024, 1, 31, 17, 0, 0), &month, 1),
                  at(2024, 2, 29, 17, 0, 0), "+1 month clamps to February 29");
    LMT_CHECK_INT(timezone_add_interval(NULL, at(2024, 3, 9, 12, 0, 0), &day, 3),
                  at(2024, 3, 12, 12, 0, 0), "timestamp + 3 days (no zone)");
    Interval huge = {0, 0, INT32_MAX};
    LMT_EXPECT_ERROR(timezone_add_interval(ny, at(2024, 1, 1, 0, 0, 0), &huge, 16), "22008",
                     "huge month steps are out of range");
}

static void *other_thread(void *arg)
{
    *(const TimeZone **)arg = timezone_session();
    return NULL;
}

static void test_session_io(void)
{
    Arena *a = arena_create("test", 0);
    StrBuf sb;
    strbuf_init(&sb, a);
    LMT_CHECK(timezone_session() == timezone_utc(), "session zone starts as UTC");
    datetime_format_timestamp(at(2024, 7, 15, 12, 0, 0), true, &sb);
    LMT_CHECK_STR(sb.data, "2024-07-15 12:00:00+00", "UTC output");

    const TimeZone *ny = load("America/New_York");
    const TimeZone *kol = load("Asia/Kolkata");
    if (!ny || !kol) {
        lmt_skip("no tz database", "session zone I/O");
        return;
    }
    timezone_set_session(ny);
    strbuf_reset(&sb);
    datetime_format_timestamp(at(2024, 7, 15, 12, 0, 0), true, &sb);
    LMT_CHECK_STR(sb.data, "2024-07-15 08:00:00-04", "New York output");
    strbuf_reset(&sb);
    datetime_format_timestamp(at(1800, 1, 1, 0, 0, 0), true, &sb);
    LMT_CHECK_STR(sb.data, "1799-12-31 19:03:58-04:56:02", "LMT output with seconds");
    strbuf_reset(&sb);
    datetime_format_timestamp(at(2024, 7, 15, 12, 0, 0), false, &sb);
    LMT_CHECK_STR(sb.data, "2024-07-15 12:00:00", "timestamp without zone is unchanged");
    strbuf_reset(&sb);
    datetime_format_timestamp_iso(at(2024, 1, 15, 12, 0, 0), true, &sb);
    LMT_CHECK_STR(sb.data, "2024-01-15T07:00:00-05:00", "JSON form has hh:mm");
    const char *in = "2024-03-10 02:30";
    LMT_CHECK_INT(datetime_parse_timestamp(in, strlen(in), true), at(2024, 3, 10, 7, 30, 0),
                  "input in the gap");
    in = "2024-07-15 12:00+02";
    LMT_CHECK_INT(datetime_parse_timestamp(in, strlen(in), true), at(2024, 7, 15, 10, 0, 0),
                  "explicit offset wins");
    in = "2024-07-15 12:00 Asia/Kolkata";
    LMT_CHECK_INT(datetime_parse_timestamp(in, strlen(in), true), at(2024, 7, 15, 6, 30, 0),
                  "named zone in input");
    in = "2024-07-15 12:00 CEST";
    LMT_CHECK_INT(datetime_parse_timestamp(in, strlen(in), true), at(2024, 7, 15, 10, 0, 0),
                  "abbreviation in input");
    in = "2024-07-15 12:00 Nowhere/Land";
    LMT_EXPECT_ERROR(datetime_parse_timestamp(in, strlen(in), true), "22023",
                     "unknown zone name in input");
    in = "2024-07-15 12:00 Nowhere";
    LMT_EXPECT_ERROR(datetime_parse_timestamp(in, strlen(in), true), "22007",
                     "unknown word in input");
    in = "2024-07-15 12:00";
    LMT_CHECK_INT(datetime_parse_timestamp(in, strlen(in), false), at(2024, 7, 15, 12, 0, 0),
                  "timestamp input ignores the session zone");

    timezone_set_session(kol);
    strbuf_reset(&sb);
    datetime_format_timestamp(at(2024, 7, 15, 12, 0, 0), true, &sb);
    LMT_CHECK_STR(sb.data, "2024-07-15 17:30:00+05:30", "Kolkata output");
    const TimeZone *seen = NULL;
    pthread_t th;
    pthread_create(&th, NULL, other_thread, &seen);
    pthread_join(th, NULL);
    LMT_CHECK(seen == timezone_utc(), "another thread keeps UTC");

    StrBuf o;
    strbuf_init(&o, a);
    timezone_format_offset(0, false, &o);
    strbuf_append_char(&o, ' ');
    timezone_format_offset(-(3 * H + 1800), false, &o);
    strbuf_append_char(&o, ' ');
    timezone_format_offset(5 * H + 21 * 60 + 10, false, &o);
    strbuf_append_char(&o, ' ');
    timezone_format_offset(-5 * H, true, &o);
    LMT_CHECK_STR(o.data, "+00 -03:30 +05:21:10 -05:00", "offset text as PostgreSQL prints it");
    timezone_set_session(NULL);
    LMT_CHECK(timezone_session() == timezone_utc(), "NULL session zone means UTC");
    arena_destroy(a);
}

/* Threads loading the same zones at once must get the same (immutable) zone objects. */
static const char *const race_names[] = {"Europe/Berlin",    "asia/singapore", "America/Chicago",
                                         "Pacific/Auckland", "XYZ-3:30",       "<+07>-07"};

static void *race_main(void *arg)
{
    const TimeZone **got = arg;
    for (int round = 0; round < 200; round++)
        for (size_t i = 0; i < LM_ARRAY_LEN(race_names); i++) {
            const TimeZone *tz = load(race_names[i]);
            if (round == 0)
                got[i] = tz;
            else if (got[i] != tz)
                got[i] = NULL; /* a second object for the same name: reported below */
            if (tz)
                (void)timezone_local_to_utc(tz, at(2024, 3, 31, 2, 30, 0));
        }
    return NULL;
}

static void test_threads(void)
{
    enum { NTHREADS = 8 };
    const TimeZone *got[NTHREADS][LM_ARRAY_LEN(race_names)];
    pthread_t th[NTHREADS];
    for (int t = 0; t < NTHREADS; t++)
        pthread_create(&th[t], NULL, race_main, got[t]);
    for (int t = 0; t < NTHREADS; t++)
        pthread_join(th[t], NULL);
    bool same = true;
    for (int t = 0; t < NTHREADS; t++)
        for (size_t i = 0; i < LM_ARRAY_LEN(race_names); i++)
            same &= got[t][i] != NULL && got[t][i] == got[0][i];
    LMT_CHECK(same, "%d threads loading zones concurrently share one object per zone", NTHREADS);
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* Exercises a parsed zone so that bad tables would show (and crash) here. */
static void exercise(const TimeZone *tz)
{
    static const int64 probes[] = {INT64_C(-9000000000000000000), -1, 0, INT64_C(1700000000000000),
                                   INT64_C(9000000000000000000)};
    for (size_t i = 0; i < LM_ARRAY_LEN(probes); i++) {
        const char *ab;
        bool dst;
        (void)timezone_offset_utc(tz, probes[i], &ab, &dst);
        (void)strlen(ab);
        (void)timezone_offset_local(tz, probes[i], &dst);
    }
}

static void put32(unsigned char *p, uint32 v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16),
    p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static void test_tzif(void)
{
    /* a version 1 file by hand: LMT until 1910, then "ABC" +1 */
    unsigned char v1[44 + 5 + 12 + 8];
    memset(v1, 0, sizeof v1);
    memcpy(v1, "TZif", 4);
    put32(v1 + 32, 1); /* timecnt */
    put32(v1 + 36, 2); /* typecnt */
    put32(v1 + 40, 8); /* charcnt */
    unsigned char *p = v1 + 44;
    put32(p, (uint32)(int32)-1893456000); /* 1910-01-01 */
    p[4] = 1;
    put32(p + 5, 600), p[9] = 0, p[10] = 0;    /* LMT +00:10 */
    put32(p + 11, 3600), p[15] = 0, p[16] = 4; /* ABC +01 */
    memcpy(p + 17, "LMT\0ABC\0", 8);
    TimeZone *tz = timezone_parse_tzif("Test/V1", v1, sizeof v1);
    LMT_CHECK(tz != NULL, "a version 1 TZif file parses");
    if (tz) {
        const char *ab;
        LMT_CHECK_INT(timezone_offset_utc(tz, at(1899, 1, 1, 0, 0, 0), &ab, NULL), 600,
                      "v1: before the transition");
        LMT_CHECK_STR(ab, "LMT", "v1: LMT abbreviation");
        LMT_CHECK_INT(timezone_offset_utc(tz, at(2024, 1, 1, 0, 0, 0), &ab, NULL), 3600,
                      "v1: after it, no footer");
        LMT_CHECK_STR(ab, "ABC", "v1: ABC abbreviation");
        timezone_free(tz);
    }
    unsigned char bad[sizeof v1];
    memcpy(bad, v1, sizeof v1);
    bad[44 + 4] = 7; /* transition to a type that does not exist */
    LMT_CHECK(timezone_parse_tzif("x", bad, sizeof bad) == NULL,
              "type index out of range is refused");
    memcpy(bad, v1, sizeof v1);
    bad[44 + 16] = 200; /* abbreviation index past the characters */
    LMT_CHECK(timezone_parse_tzif("x", bad, sizeof bad) == NULL,
              "abbreviation index out of range is refused");
    memcpy(bad, v1, sizeof v1);
    put32(bad + 32, 0xFFFFFFFFu);
    LMT_CHECK(timezone_parse_tzif("x", bad, sizeof bad) == NULL, "absurd counts are refused");
    memcpy(bad, v1, sizeof v1);
    put32(bad + 28, 1); /* leap seconds */
    LMT_CHECK(timezone_parse_tzif("x", bad, sizeof bad) == NULL, "leap-second data is refused");

    size_t len;
    unsigned char *ny = read_file("/usr/share/zoneinfo/America/New_York", &len);
    if (!ny) {
        lmt_skip("no tz database", "malformed TZif files");
        return;
    }
    TimeZone *whole = timezone_parse_tzif("NY", ny, len);
    LMT_CHECK(whole != NULL, "the real file parses from memory");
    timezone_free(whole);
    int accepted = 0;
    for (size_t n = 0; n < len; n++) {
        TimeZone *t = timezone_parse_tzif("NY", ny, n);
        if (t) {
            accepted++;
            exercise(t);
            timezone_free(t);
        }
    }
    LMT_CHECK(1, "every truncation of a real file is refused or read safely (%d read)", accepted);
    unsigned char *copy = malloc(len);
    uint32 seed = 12345;
    int parsed = 0;
    for (int iter = 0; iter < 5000; iter++) {
        memcpy(copy, ny, len);
        int flips = 1 + iter % 4;
        for (int k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            copy[pos] = (unsigned char)(seed >> 16);
        }
        TimeZone *t = timezone_parse_tzif("NY", copy, len);
        if (t) {
            parsed++;
            exercise(t);
            timezone_free(t);
        }
    }
    LMT_CHECK(1, "5000 randomly corrupted files are refused or read safely (%d read)", parsed);
    free(copy);
    free(ny);
}

int main(void)
{
    test_loading();
    test_offsets();
    test_local();
    test_session_io();
    test_threads();
    test_tzif();
    return lmt_done();
}
