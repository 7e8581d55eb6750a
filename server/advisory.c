/*
 * advisory.c: PostgreSQL's advisory locks (see advisory.h).
 *
 * The lock table is an array of locks, each with the sessions that hold it
 * and per session four counts: {shared, exclusive} x {session, transaction}
 * level.  Everything is under one mutex; waiters sleep on one condition
 * variable, woken by every release (broadcast), and wake at least every
 * POLL_MS to look at their session's cancel flag.  Lock tables of real
 * workloads (migration tools, leader election) hold a handful of keys, so
 * linear search is the honest choice; a hash would pay off past thousands.
 *
 * Conflicts: exclusive conflicts with any hold of another session, shared
 * with another session's exclusive hold.  A session never conflicts with
 * itself (it may hold shared and exclusive at once, as in PostgreSQL).
 *
 * Deadlocks: a waiter records the key it waits for.  After waiting
 * DEADLOCK_CHECK_MS (PostgreSQL's deadlock_timeout is 1 s) it searches the
 * wait-for graph (session -> key it waits for -> sessions holding it in a
 * conflicting mode -> ...); reaching itself raises 40P01 in the session that
 * found the cycle, whose wait then ends, so the other one proceeds.
 */
#include "server/advisory.h"
#include "common/error.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#define POLL_MS 50
#define DEADLOCK_CHECK_MS 1000
#define MAX_SESSIONS_SEARCHED 1024

enum { HOLD_SHARED_SESSION = 0, HOLD_EXCL_SESSION, HOLD_SHARED_XACT, HOLD_EXCL_XACT, HOLD__COUNT };

typedef struct Holder {
    Session *session;
    int count[HOLD__COUNT];
} Holder;

typedef struct AdvLock {
    int64 key;
    Holder *holders;
    int nholders, capholders;
} AdvLock;

/* A session waiting for a lock (for deadlock detection). */
typedef struct Waiter {
    Session *session;
    int64 key;
    bool shared;
} Waiter;

static struct {
    pthread_mutex_t mutex;
    pthread_cond_t released;
    pthread_once_t once;
    AdvLock *locks;
    int nlocks, caplocks;
    Waiter *waiters;
    int nwaiters, capwaiters;
} adv = {.mutex = PTHREAD_MUTEX_INITIALIZER, .once = PTHREAD_ONCE_INIT};

static void init_cond(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&adv.released, &attr);
    pthread_condattr_destroy(&attr);
}

/* Growth under the mutex: mi_realloc through lm_realloc could ereport with the mutex held, so
 * arrays are grown by a helper that reports failure instead. */
static bool grow(void **arr, int *cap, int n, size_t elem)
{
    if (n < *cap)
        return true;
    int newcap = *cap ? *cap * 2 : 8;
    void *p = realloc(*arr, elem * (size_t)newcap);
    if (p == NULL)
        return false;
    *arr = p;
    *cap = newcap;
    return true;
}

static AdvLock *find_lock(int64 key)
{
    for (int i = 0; i < adv.nlocks; i++)
        if (adv.locks[i].key == key)
            return &adv.locks[i];
    return NULL;
}

static Holder *find_holder(AdvLock *l, Session *s)
{
    for (int i = 0; l && i < l->nholders; i++)
        if (l->holders[i].session == s)
            return &l->holders[i];
    return NULL;
}

static bool holder_has(const Holder *h, bool exclusive_only)
{
    if (exclusive_only)
        return h->count[HOLD_EXCL_SESSION] + h->count[HOLD_EXCL_XACT] > 0;
    for (int i = 0; i < HOLD__COUNT; i++)
        if (h->count[i] > 0)
            return true;
    return false;
}

/* Does h (another session) hold key in a mode conflicting with a request (shared or not)? */
static bool conflicts(const Holder *h, bool shared)
{
    return holder_has(h, shared);
}

static bool can_grant(AdvLock *l, Session *s, bool shared)
{
    for (int i = 0; l && i < l->nholders; i++)
        if (l->holders[i].session != s && conflicts(&l->holders[i], shared))
            return false;
    return true;
}

/* Removes holders with no holds and locks with no holders. */
static void compact(void)
{
    for (int i = 0; i < adv.nlocks;) {
        AdvLock *l = &adv.locks[i];
        for (int j = 0; j < l->nholders;) {
            if (!holder_has(&l->holders[j], false)) {
                l->holders[j] = l->holders[--l->nholders];
                continue;
            }
            j++;
        }
        if (l->nholders == 0) {
            free(l->holders);
            adv.locks[i] = adv.locks[--adv.nlocks];
            continue;
        }
        i++;
    }
}

static const Waiter *find_waiter(Session *s)
{
    for (int i = 0; i < adv.nwaiters; i++)
        if (adv.waiters[i].session == s)
            return &adv.waiters[i];
    return NULL;
}

/* Depth-first search of the wait-for graph from the sessions blocking (key, shared) for self. */
static bool reaches(Session *self, int64 key, bool shared, Session *requester, int *budget)
{
    AdvLock *l = find_lock(key);
    for (int i = 0; l && i < l->nholders; i++) {
        Holder *h = &l->holders[i];
        if (h->session == requester || !conflicts(h, shared))
            continue;
        if (h->session == self)
            return true;
        if (--*budget <= 0)
            return false;
        const Waiter *w = find_waiter(h->session);
        if (w && reaches(self, w->key, w->shared, h->session, budget))
            return true;
    }
    return false;
}

static void remove_waiter(Session *s)
{
    for (int i = 0; i < adv.nwaiters; i++)
        if (adv.waiters[i].session == s) {
            adv.waiters[i] = adv.waiters[--adv.nwaiters];
            return;
        }
}

static int64 monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef enum Outcome { GRANTED = 0, NOT_AVAILABLE, CANCELED, DEADLOCK, NO_MEMORY } Outcome;

bool advisory_lock(void *session, int64 key, bool shared, bool xact, bool wait)
{
    Session *s = session;
    Outcome outcome = NOT_AVAILABLE;
    int64 started = monotonic_ms();
    bool checked_deadlock = false;
    int slot = (shared ? HOLD_SHARED_SESSION : HOLD_EXCL_SESSION) + (xact ? 2 : 0);

    pthread_once(&adv.once, init_cond);
    pthread_mutex_lock(&adv.mutex);
    for (;;) {
        AdvLock *l = find_lock(key);
        if (can_grant(l, s, shared)) {
            if (l == NULL) {
                if (!grow((void **)&adv.locks, &adv.caplocks, adv.nlocks, sizeof(AdvLock))) {
                    outcome = NO_MEMORY;
                    break;
                }
                l = &adv.locks[adv.nlocks++];
                memset(l, 0, sizeof *l);
                l->key = key;
            }
            Holder *h = find_holder(l, s);
            if (h == NULL) {
                if (!grow((void **)&l->holders, &l->capholders, l->nholders, sizeof(Holder))) {
                    outcome = NO_MEMORY;
                    compact();
                    break;
                }
                h = &l->holders[l->nholders++];
                memset(h, 0, sizeof *h);
                h->session = s;
            }
            h->count[slot]++;
            outcome = GRANTED;
            break;
        }
        if (!wait) {
            outcome = NOT_AVAILABLE;
            break;
        }
        if (atomic_exchange(&s->cancel_requested, false)) {
            outcome = CANCELED;
            break;
        }
        if (find_waiter(s) == NULL) {
            if (!grow((void **)&adv.waiters, &adv.capwaiters, adv.nwaiters, sizeof(Waiter))) {
                outcome = NO_MEMORY;
                break;
            }
            adv.waiters[adv.nwaiters++] = (Waiter){s, key, shared};
        }
        if (!checked_deadlock && monotonic_ms() - started >= DEADLOCK_CHECK_MS) {
            int budget = MAX_SESSIONS_SEARCHED;
            checked_deadlock = true;
            if (reaches(s, key, shared, s, &budget)) {
                outcome = DEADLOCK;
                break;
            }
        }
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += POLL_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&adv.released, &adv.mutex, &ts);
    }
    remove_waiter(s);
    pthread_mutex_unlock(&adv.mutex);

    switch (outcome) {
    case GRANTED:
        return true;
    case NOT_AVAILABLE:
        return false;
    case CANCELED:
        ereport(ERROR, errcode(ERRCODE_QUERY_CANCELED),
                errmsg("canceling statement due to user request"));
    case DEADLOCK:
        ereport(ERROR, errcode(ERRCODE_T_R_DEADLOCK_DETECTED), errmsg("deadlock detected"),
                errdetail("Process %d waits for %s advisory lock on key %lld, held by a process "
                          "that waits for this one.",
                          (int)s->backend_pid, shared ? "ShareLock" : "ExclusiveLock",
                          (long long)key),
                errhint("See server log for query details."));
    case NO_MEMORY:
    default:
        ereport(ERROR, errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"));
    }
    return false;
}

bool advisory_unlock(void *session, int64 key, bool shared)
{
    Session *s = session;
    bool released = false;

    pthread_once(&adv.once, init_cond);
    pthread_mutex_lock(&adv.mutex);
    Holder *h = find_holder(find_lock(key), s);
    int slot = shared ? HOLD_SHARED_SESSION : HOLD_EXCL_SESSION;
    if (h && h->count[slot] > 0) {
        h->count[slot]--;
        released = true;
        compact();
        pthread_cond_broadcast(&adv.released);
    }
    pthread_mutex_unlock(&adv.mutex);
    if (!released)
        ereport(WARNING,
                errmsg("you don't own a lock of type %s", shared ? "ShareLock" : "ExclusiveLock"));
    return released;
}

/* Zeroes the given hold slots of session s everywhere. */
static void release_slots(Session *s, bool session_level, bool xact_level)
{
    pthread_once(&adv.once, init_cond);
    pthread_mutex_lock(&adv.mutex);
    bool any = false;
    for (int i = 0; i < adv.nlocks; i++) {
        Holder *h = find_holder(&adv.locks[i], s);
        if (h == NULL)
            continue;
        if (session_level)
            h->count[HOLD_SHARED_SESSION] = h->count[HOLD_EXCL_SESSION] = 0;
        if (xact_level)
            h->count[HOLD_SHARED_XACT] = h->count[HOLD_EXCL_XACT] = 0;
        any = true;
    }
    if (any) {
        compact();
        pthread_cond_broadcast(&adv.released);
    }
    remove_waiter(s);
    pthread_mutex_unlock(&adv.mutex);
}

void advisory_unlock_all(void *session)
{
    release_slots(session, true, false);
}

void advisory_release_xact(Session *s)
{
    release_slots(s, false, true);
}

void advisory_session_end(Session *s)
{
    release_slots(s, true, true);
}

int advisory_held_count(Session *s, int64 key)
{
    int n = 0;
    pthread_once(&adv.once, init_cond);
    pthread_mutex_lock(&adv.mutex);
    Holder *h = find_holder(find_lock(key), s);
    for (int i = 0; h && i < HOLD__COUNT; i++)
        n += h->count[i];
    pthread_mutex_unlock(&adv.mutex);
    return n;
}
