/*
 * advisory.h: PostgreSQL's advisory locks (pg_advisory_lock and friends).
 *
 * One process-wide lock table keyed by a 64-bit key.  A lock is held shared
 * or exclusive, at session level (until unlocked or the session ends) or at
 * transaction level (until the transaction ends); a session's own holds never
 * conflict with each other and are counted (locking twice needs two
 * unlocks), as in PostgreSQL.  The first three functions have the signatures
 * of SessionServices' advisory_lock/advisory_unlock/advisory_unlock_all
 * (executor/exec.h); `session` is the Session.
 */
#ifndef LM_ADVISORY_H
#define LM_ADVISORY_H

#include "server/session.h"

/*
 * Takes the lock.  wait = false (pg_try_*): returns false at once if another
 * session holds a conflicting lock.  wait = true: blocks until it is free;
 * the wait ends with 57014 when the session's cancel flag is set and with
 * 40P01 when waiting would close a cycle of sessions waiting for each other.
 */
bool advisory_lock(void *session, int64 key, bool shared, bool xact, bool wait);
/* Releases one session-level hold; false (with PostgreSQL's WARNING) if not held. */
bool advisory_unlock(void *session, int64 key, bool shared);
/* Releases every session-level hold of the session (pg_advisory_unlock_all). */
void advisory_unlock_all(void *session);
/* Releases the transaction-level holds (transaction end: server/txn.c). */
void advisory_release_xact(Session *s);
/* Releases everything the session holds (session end). */
void advisory_session_end(Session *s);
/* Number of holds (all levels and modes) the session has on key; for tests and pg_locks. */
int advisory_held_count(Session *s, int64 key);

#endif
