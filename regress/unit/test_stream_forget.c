/*
 * test_stream_forget.c: stream_job_forget and stream_job_forget_state remove
 * exactly the keys of one job (executor/stream_runtime.c).
 *
 * Writes keys of every job-owned prefix (CF_STATE "s" job NUL ..., CF_META
 * "chk/", "pos/", "err/", "fsink/", "ksink/", "pgsink/" job "/" ...) for a
 * job and for neighbours whose ids sort next to it or extend it, then checks
 * what each call leaves.
 *
 * Also a helper for regress/scripts/pipelines_lifecycle.py: run as
 * `test_stream_forget count DATADIR JOB_ID` (server stopped) it opens the
 * data directory and prints "state N pos P meta M": the job's keys in
 * CF_STATE, its source positions and all its keys in CF_META.
 *
 * lmtest-libs: executor/libexecutor.a planner/libplanner.a parser/libparser.a executor/libexecutor.a connectors/libconnectors.a storage/libstorage.a common/libcommon.a
 */
#include "executor/stream.h"
#include "storage/storage.h"

#include "lmtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const meta_heads[] = {"chk/", "pos/", "err/", "fsink/", "ksink/", "pgsink/"};
#define NHEADS (sizeof meta_heads / sizeof meta_heads[0])

static size_t make_key(char *buf, const char *head, const char *job, char term, const char *tail)
{
    size_t n = (size_t)sprintf(buf, "%s%s", head, job);
    buf[n++] = term;
    memcpy(buf + n, tail, strlen(tail));
    return n + strlen(tail);
}

static void put(Storage *st, StorageCF cf, const char *key, size_t klen)
{
    storage_put(st, cf, key, klen, "v", 1, false);
}

/* Writes one key under every prefix of job (two in CF_STATE). */
static void fill(Storage *st, const char *job)
{
    char k[200];
    put(st, CF_STATE, k, make_key(k, "s", job, '\0', "\x00\x00\x00\x01"));
    put(st, CF_STATE, k, make_key(k, "s", job, '\0', "\xff\xff\xff\xff zzz"));
    for (size_t i = 0; i < NHEADS; i++)
        put(st, CF_META, k, make_key(k, meta_heads[i], job, '/', "\x01x"));
}

static int count_prefix(Storage *st, StorageCF cf, const char *prefix, size_t plen)
{
    int n = 0;
    StorageIter *it = storage_iter_prefix(st, cf, prefix, plen);
    for (; storage_iter_valid(it); storage_iter_next(it))
        n++;
    storage_iter_destroy(it);
    return n;
}

/* The job's keys: CF_STATE, and CF_META under head (NULL: every head). */
static int count_state(Storage *st, const char *job)
{
    char k[200];
    size_t n = make_key(k, "s", job, '\0', "");
    return count_prefix(st, CF_STATE, k, n);
}

static int count_meta(Storage *st, const char *job, const char *head)
{
    char k[200];
    int total = 0;
    for (size_t i = 0; i < NHEADS; i++) {
        if (head && strcmp(head, meta_heads[i]) != 0)
            continue;
        size_t n = make_key(k, meta_heads[i], job, '/', "");
        total += count_prefix(st, CF_META, k, n);
    }
    return total;
}

static int count_mode(const char *datadir, const char *job)
{
    Storage *st = NULL;
    LM_TRY();
    {
        st = storage_open(datadir);
    }
    LM_CATCH();
    {
        fprintf(stderr, "cannot open %s: %s\n", datadir, error_current()->message);
        return 2;
    }
    LM_END_TRY();
    printf("state %d pos %d meta %d\n", count_state(st, job), count_meta(st, job, "pos/"),
           count_meta(st, job, NULL));
    storage_close(st);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "count") == 0)
        return count_mode(argv[2], argv[3]);

    char dir[] = "/tmp/lm_stream_forget_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    Storage *st = storage_open(dir);
    /* job_b's neighbours: an id it is a prefix of, ids sorting just before and after */
    const char *jobs[] = {"job_b", "job_bb", "job_a", "job_c"};
    for (int i = 0; i < 4; i++)
        fill(st, jobs[i]);
    put(st, CF_META, "rowid/x", 7); /* not a job's */
    LMT_CHECK_INT(count_state(st, "job_b"), 2, "job_b has operator state");
    LMT_CHECK_INT(count_meta(st, "job_b", NULL), (int)NHEADS, "job_b has a key per meta prefix");

    stream_job_forget_state(st, "job_b");
    LMT_CHECK_INT(count_state(st, "job_b"), 0, "forget_state: operator state is gone");
    LMT_CHECK_INT(count_meta(st, "job_b", "pos/"), 0, "forget_state: positions are gone");
    LMT_CHECK_INT(count_meta(st, "job_b", NULL), (int)NHEADS - 1,
                  "forget_state: checkpoint, error and staged sink records stay");

    stream_job_forget(st, "job_b");
    LMT_CHECK_INT(count_state(st, "job_b") + count_meta(st, "job_b", NULL), 0,
                  "forget: no key of the job remains");
    for (int i = 1; i < 4; i++)
        LMT_CHECK(count_state(st, jobs[i]) == 2 && count_meta(st, jobs[i], NULL) == (int)NHEADS,
                  "forget: %s keeps all its keys", jobs[i]);
    LMT_CHECK_INT(count_prefix(st, CF_META, "rowid/", 6), 1, "forget: other keys stay");

    stream_job_forget(st, "job_none");
    LMT_CHECK_INT(count_state(st, "job_a") + count_meta(st, "job_a", NULL), 2 + (int)NHEADS,
                  "forgetting a job without keys changes nothing");

    storage_close(st);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", dir);
    return lmt_done();
}
