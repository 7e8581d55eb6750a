/*
 * test_advisory.c: advisory locks (server/advisory.c).
 *
 * Covers: re-entrant counting (two locks need two unlocks; unlocking what is
 * not held returns false); shared/exclusive compatibility between sessions
 * and none with oneself; try-variants not waiting; transaction-level holds
 * released at transaction end while session-level ones stay; unlock_all;
 * a blocked lock waking when the holder unlocks; a cancel request ending a
 * wait with 57014; and a two-session deadlock ending with 40P01 in one of
 * them while the other gets its lock.
 *
 * lmtest-libs: server/libserver.a storage/libstorage.a common/libcommon.a
 */
#include "common/error.h"
#include "server/advisory.h"
#include "server/session.h"

#include "lmtest.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

static int64 now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static Session *new_session(int pid)
{
    Session *s = lm_calloc(1, sizeof(Session));
    s->backend_pid = pid;
    atomic_store(&s->cancel_requested, false);
    return s;
}

typedef struct Waiter {
    Session *s;
    int64 key;
    bool shared;
    int64 waited_ms;
    char state[6];     /* "" granted, else the SQLSTATE raised */
    int64 release_key; /* -1: none; else held key released after an error */
} Waiter;

static void *waiter_main(void *arg)
{
    Waiter *w = arg;
    int64 t0 = now_ms();
    LM_TRY();
    {
        advisory_lock(w->s, w->key, w->shared, false, true);
        w->state[0] = '\0';
    }
    LM_CATCH();
    {
        snprintf(w->state, sizeof w->state, "%s", error_current()->sqlstate);
        error_clear();
        advisory_session_end(w->s); /* as a session does when its transaction fails */
    }
    LM_END_TRY();
    w->waited_ms = now_ms() - t0;
    return NULL;
}

int main(void)
{
    Session *s1 = new_session(101), *s2 = new_session(102), *s3 = new_session(103);

    /* re-entrant counting */
    LMT_CHECK(advisory_lock(s1, 1, false, false, true), "lock");
    LMT_CHECK(advisory_lock(s1, 1, false, false, true), "lock again (re-entrant)");
    LMT_CHECK_INT(advisory_held_count(s1, 1), 2, "two holds counted");
    LMT_CHECK(!advisory_lock(s2, 1, false, false, false), "another session cannot try-lock it");
    LMT_CHECK(advisory_unlock(s1, 1, false), "first unlock");
    LMT_CHECK(!advisory_lock(s2, 1, true, false, false), "still held after one of two unlocks");
    LMT_CHECK(advisory_unlock(s1, 1, false), "second unlock");
    LMT_CHECK(!advisory_unlock(s1, 1, false), "unlocking a lock not held returns false");
    LMT_CHECK(advisory_lock(s2, 1, false, false, false), "free again: try-lock succeeds");
    advisory_unlock_all(s2);
    LMT_CHECK_INT(advisory_held_count(s2, 1), 0, "unlock_all releases session holds");

    /* shared vs exclusive */
    LMT_CHECK(advisory_lock(s1, 2, true, false, false), "shared");
    LMT_CHECK(advisory_lock(s2, 2, true, false, false), "shared by another session too");
    LMT_CHECK(!advisory_lock(s3, 2, false, false, false), "exclusive conflicts with shared");
    LMT_CHECK(advisory_lock(s1, 2, false, false, false) == false,
              "exclusive by a shared holder conflicts with the other shared holder");
    advisory_unlock(s2, 2, true);
    LMT_CHECK(advisory_lock(s1, 2, false, false, false),
              "a session's own shared hold does not conflict with its exclusive request");
    LMT_CHECK(!advisory_unlock(s1, 2, false) == false, "unlock exclusive");
    LMT_CHECK(!advisory_unlock(s1, 2, true) == false, "unlock shared");

    /* transaction-level */
    LMT_CHECK(advisory_lock(s1, 3, false, true, false), "xact lock");
    LMT_CHECK(advisory_lock(s1, 4, false, false, false), "session lock");
    LMT_CHECK(!advisory_unlock(s1, 3, false), "xact lock cannot be unlocked by unlock");
    advisory_release_xact(s1);
    LMT_CHECK(advisory_lock(s2, 3, false, false, false), "xact lock released at transaction end");
    LMT_CHECK(!advisory_lock(s2, 4, false, false, false), "session lock survives transaction end");
    advisory_session_end(s1);
    advisory_session_end(s2);
    LMT_CHECK(advisory_lock(s2, 4, false, false, false), "session end releases everything");
    advisory_session_end(s2);

    /* blocking wait, woken by unlock */
    advisory_lock(s1, 5, false, false, true);
    Waiter w = {.s = s2, .key = 5};
    pthread_t th;
    pthread_create(&th, NULL, waiter_main, &w);
    usleep(200000);
    LMT_CHECK_INT(advisory_held_count(s2, 5), 0, "the waiter waits while the lock is held");
    advisory_unlock(s1, 5, false);
    pthread_join(th, NULL);
    LMT_CHECK(w.state[0] == '\0' && w.waited_ms >= 150, "waiter got the lock after %lld ms",
              (long long)w.waited_ms);
    LMT_CHECK_INT(advisory_held_count(s2, 5), 1, "the waiter holds it now");
    advisory_session_end(s2);

    /* cancel */
    advisory_lock(s1, 6, false, false, true);
    Waiter wc = {.s = s2, .key = 6};
    pthread_create(&th, NULL, waiter_main, &wc);
    usleep(100000);
    atomic_store(&s2->cancel_requested, true);
    pthread_join(th, NULL);
    LMT_CHECK_STR(wc.state, "57014", "a cancel request ends the wait");
    LMT_CHECK(!atomic_load(&s2->cancel_requested), "the cancel request is consumed");
    advisory_session_end(s1);

    /* deadlock: s1 holds 7 and waits for 8; s2 holds 8 and waits for 7 */
    advisory_lock(s1, 7, false, false, true);
    advisory_lock(s2, 8, false, false, true);
    Waiter d1 = {.s = s1, .key = 8}, d2 = {.s = s2, .key = 7};
    pthread_t t1, t2;
    pthread_create(&t1, NULL, waiter_main, &d1);
    pthread_create(&t2, NULL, waiter_main, &d2);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    bool one_deadlock = (strcmp(d1.state, "40P01") == 0 && d2.state[0] == '\0') ||
                        (strcmp(d2.state, "40P01") == 0 && d1.state[0] == '\0');
    LMT_CHECK(one_deadlock, "deadlock: one session gets 40P01 (%s/%s), the other its lock",
              d1.state, d2.state);
    advisory_session_end(s1);
    advisory_session_end(s2);
    lm_free(s1);
    lm_free(s2);
    lm_free(s3);
    return lmt_done();
}
