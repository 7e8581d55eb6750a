/*
 * lmtest.h: the C unit test harness (header only).
 *
 * A unit test is one program, regress/unit/test_NAME.c, built automatically
 * (regress/unit/gen-tests.sh) and run by regress/run.sh.  It prints one line
 * per check in TAP style, which the runner counts into the suite's totals:
 *
 *     ok 1 - arena_strdup copies
 *     not ok 2 - strbuf grows past 1 MB
 *     #   at regress/unit/test_smoke.c:42: got "x", expected "y"
 *
 * and exits nonzero when any check failed.  Write:
 *
 *     int main(void)
 *     {
 *         LMT_CHECK(1 + 1 == 2, "arithmetic works");
 *         LMT_CHECK_STR(s, "abc", "printf formats");
 *         LMT_CHECK_INT(n, 3, "three items");
 *         LMT_EXPECT_ERROR(ereport(ERROR, ...), "22023", "bad value is rejected");
 *         return lmt_done();
 *     }
 *
 * Checks never abort the program: a failed check is reported and the test
 * continues, so one run shows every failure.  Only the first argument of a
 * check is evaluated once; the description is a printf format.
 */
#ifndef LM_LMTEST_H
#define LM_LMTEST_H

#include "common/error.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int lmt_count;
static int lmt_failed;

static inline void lmt_report(int ok, const char *file, int line, const char *why, const char *fmt,
                       va_list ap)
{
    lmt_count++;
    if (!ok)
        lmt_failed++;
    printf("%sok %d - ", ok ? "" : "not ", lmt_count);
    vprintf(fmt, ap);
    putchar('\n');
    if (!ok)
        printf("#   at %s:%d: %s\n", file, line, why);
    fflush(stdout);
}

static inline LM_PRINTF(5, 6) int lmt_check(int ok, const char *file, int line, const char *why,
                                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lmt_report(ok, file, line, why, fmt, ap);
    va_end(ap);
    return ok;
}

/* Prints a diagnostic line (TAP comment). */
static inline LM_PRINTF(1, 2) void lmt_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("# ", stdout);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    fflush(stdout);
}

/* Reports a skipped check (counted apart by the runner, neither passed nor failed). */
static inline LM_PRINTF(2, 3) void lmt_skip(const char *reason, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lmt_count++;
    printf("ok %d - ", lmt_count);
    vprintf(fmt, ap);
    printf(" # SKIP %s\n", reason);
    va_end(ap);
    fflush(stdout);
}

/* Prints the plan line and returns the exit status for main(). */
static inline int lmt_done(void)
{
    printf("1..%d\n", lmt_count);
    if (lmt_failed)
        printf("# %d of %d checks failed\n", lmt_failed, lmt_count);
    fflush(stdout);
    return lmt_failed ? 1 : 0;
}

#define LMT_CHECK(cond, ...) lmt_check(!!(cond), __FILE__, __LINE__, "check failed: " #cond, __VA_ARGS__)

#define LMT_CHECK_INT(got, want, ...)                                                              \
    do {                                                                                           \
        long long lmt_g__ = (long long)(got), lmt_w__ = (long long)(want);                         \
        char lmt_why__[160];                                                                       \
        snprintf(lmt_why__, sizeof lmt_why__, "got %lld, expected %lld", lmt_g__, lmt_w__);       \
        lmt_check(lmt_g__ == lmt_w__, __FILE__, __LINE__, lmt_why__, __VA_ARGS__);                 \
    } while (0)

#define LMT_CHECK_STR(got, want, ...)                                                              \
    do {                                                                                           \
        const char *lmt_g__ = (got), *lmt_w__ = (want);                                            \
        int lmt_ok__ = (lmt_g__ == NULL && lmt_w__ == NULL) ||                                     \
                       (lmt_g__ && lmt_w__ && strcmp(lmt_g__, lmt_w__) == 0);                      \
        char lmt_why__[512];                                                                       \
        snprintf(lmt_why__, sizeof lmt_why__, "got \"%.200s\", expected \"%.200s\"",              \
                 lmt_g__ ? lmt_g__ : "(null)", lmt_w__ ? lmt_w__ : "(null)");                      \
        lmt_check(lmt_ok__, __FILE__, __LINE__, lmt_why__, __VA_ARGS__);                           \
    } while (0)

/*
 * Runs stmt, which must raise an error (ereport at ERROR or above) with the
 * given SQLSTATE (NULL: any).  The error is cleared afterwards.
 */
#define LMT_EXPECT_ERROR(stmt, want_state, ...)                                                      \
    do {                                                                                           \
        volatile int lmt_raised__ = 0;                                                             \
        char lmt_state__[6] = "";                                                                  \
        char lmt_msg__[256] = "";                                                                  \
        LM_TRY();                                                                                  \
        {                                                                                          \
            stmt;                                                                                  \
        }                                                                                          \
        LM_CATCH();                                                                                \
        {                                                                                          \
            ErrorData *lmt_e__ = error_current();                                                  \
            lmt_raised__ = 1;                                                                      \
            snprintf(lmt_state__, sizeof lmt_state__, "%s", lmt_e__->sqlstate);                    \
            snprintf(lmt_msg__, sizeof lmt_msg__, "%s", lmt_e__->message ? lmt_e__->message : "");\
            error_clear();                                                                         \
        }                                                                                          \
        LM_END_TRY();                                                                              \
        const char *lmt_want__ = (want_state);                                                       \
        char lmt_why__[400];                                                                       \
        if (!lmt_raised__)                                                                         \
            snprintf(lmt_why__, sizeof lmt_why__, "no error raised, expected %s",                 \
                     lmt_want__ ? lmt_want__ : "an error");                                        \
        else                                                                                       \
            snprintf(lmt_why__, sizeof lmt_why__, "raised %s \"%s\", expected %s", lmt_state__,   \
                     lmt_msg__, lmt_want__ ? lmt_want__ : "an error");                             \
        lmt_check(lmt_raised__ && (lmt_want__ == NULL || strcmp(lmt_state__, lmt_want__) == 0),   \
                  __FILE__, __LINE__, lmt_why__, __VA_ARGS__);                                     \
    } while (0)

/* Runs stmt, which must not raise an error; reports the error if it does. */
#define LMT_EXPECT_NO_ERROR(stmt, ...)                                                             \
    do {                                                                                           \
        volatile int lmt_raised__ = 0;                                                             \
        char lmt_why__[400] = "no error";                                                          \
        LM_TRY();                                                                                  \
        {                                                                                          \
            stmt;                                                                                  \
        }                                                                                          \
        LM_CATCH();                                                                                \
        {                                                                                          \
            ErrorData *lmt_e__ = error_current();                                                  \
            lmt_raised__ = 1;                                                                      \
            snprintf(lmt_why__, sizeof lmt_why__, "raised %s \"%s\"", lmt_e__->sqlstate,          \
                     lmt_e__->message ? lmt_e__->message : "");                                    \
            error_clear();                                                                         \
        }                                                                                          \
        LM_END_TRY();                                                                              \
        lmt_check(!lmt_raised__, __FILE__, __LINE__, lmt_why__, __VA_ARGS__);                      \
    } while (0)

#endif
