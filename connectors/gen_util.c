/*
 * gen_util.c: option parsing, rate limiting and positions shared by the
 * built-in generators (see gen_util.h).
 */
#include "connectors/gen_util.h"
#include "common/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64 gen_option_int(const ResolvedOptions *opts, const char *name, int64 dflt, bool nonneg)
{
    const char *v = opts ? resolved_get(opts, name) : NULL;
    if (v == NULL || v[0] == '\0')
        return dflt;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    while (*end == ' ')
        end++;
    if (errno != 0 || *end != '\0' || (nonneg && x < 0))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid value for option \"%s\": \"%s\"", name, v),
                errdetail(nonneg ? "Expected a non-negative integer." : "Expected an integer."));
    return (int64)x;
}

static int64 monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void gen_rate_init(GenRate *r, int64 per_second, int64 first)
{
    r->per_second = per_second;
    r->first = first;
    r->start_ns = monotonic_ns();
}

/* The first sequence number not yet due at time now_ns. */
static int64 due_before(const GenRate *r, int64 now_ns)
{
    __int128 due = (__int128)(now_ns - r->start_ns) * r->per_second / 1000000000LL;
    return r->first + (int64)due + 1;
}

int64 gen_rate_limit(const GenRate *r, int64 next, int64 max_sleep_us)
{
    if (r->per_second <= 0)
        return INT64_MAX;
    int64 limit = due_before(r, monotonic_ns());
    if (limit > next || max_sleep_us <= 0)
        return limit;
    /* Nothing due: sleep until `next` is due, at most max_sleep_us. */
    int64 due_ns = r->start_ns + (int64)((__int128)(next - r->first) * 1000000000LL / r->per_second);
    int64 wait_ns = due_ns - monotonic_ns();
    if (wait_ns > max_sleep_us * 1000)
        wait_ns = max_sleep_us * 1000;
    if (wait_ns > 0) {
        struct timespec ts = {wait_ns / 1000000000LL, wait_ns % 1000000000LL};
        nanosleep(&ts, NULL);
    }
    return due_before(r, monotonic_ns());
}

void gen_position_write(StrBuf *out, const char *tag, int parallelism, int subtask, int64 next)
{
    strbuf_printf(out, "%s v1 %d %d %lld", tag, parallelism, subtask, (long long)next);
}

int64 gen_position_read(const char *tag, const char *pos, size_t len, int parallelism,
                        int subtask)
{
    char buf[128], t[32];
    int p, k;
    long long next;
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, pos, len);
    buf[len] = '\0';
    if (sscanf(buf, "%31s v1 %d %d %lld", t, &p, &k, &next) != 4 || strcmp(t, tag) != 0 ||
        next < 0)
        ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
                errmsg("invalid %s source position \"%s\"", tag, buf));
    if (p != parallelism || k != subtask)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("cannot restore a %s source checkpointed with parallelism %d at "
                       "parallelism %d",
                       tag, p, parallelism));
    return (int64)next;
}
