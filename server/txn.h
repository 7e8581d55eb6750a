/*
 * txn.h: a session's transaction over plain tables, catalog changes and
 * transaction-level advisory locks.
 *
 * The SQL layer (sql.c) calls these at transaction boundaries: after each
 * statement outside a transaction block (an implicit single-statement
 * transaction: commit on success, abort on error), at COMMIT and ROLLBACK,
 * and at savepoints.  The plain-table transaction (storage/table.h) is begun
 * lazily by the first statement that reads or writes a plain table.
 */
#ifndef LM_TXN_H
#define LM_TXN_H

#include "server/session.h"
#include "storage/table.h"

/* The session's TableTxn, begun on first use (its lock waits honour the cancel flag). */
TableTxn *session_table_txn(Session *s);

/*
 * Commits: the queued catalog changes (server/catalog_txn.c) and the
 * plain-table writes go to RocksDB in one synced atomic batch (so CREATE
 * TABLE t; INSERT INTO t ...; COMMIT is all or nothing, also across kill -9);
 * then table write locks and transaction-level advisory locks are released.
 * On failure everything is rolled back and the error propagates.
 */
void session_txn_commit(Session *s);
/* ALTER SINK TABLE: after this transaction commits, running jobs writing into the table get
 * its new options (jobs_reconfigure_sink). */
void session_txn_note_sink_altered(Session *s, const char *table_id);
/* Rolls back everything and releases the transaction's locks. */
void session_txn_abort(Session *s);

/*
 * Savepoints, numbered like the SQL layer's stack of savepoint names (0 =
 * the oldest).  savepoint() pushes one; rollback_to(i) undoes table writes
 * and catalog changes made after savepoint i, which stays; release(i) forgets
 * savepoint i and newer ones, keeping their changes.
 */
void session_txn_savepoint(Session *s);
void session_txn_rollback_to(Session *s, int index);
void session_txn_release(Session *s, int index);

/*
 * For statements that write plain tables outside a transaction block (COPY, TRUNCATE): runs
 * fn(s, arg) and then commits (or, on error, aborts) the implicit transaction, so the statement
 * is durable when it returns whether or not the SQL layer commits at statement end (doing both
 * is harmless).  Inside a block it just runs fn.
 */
void session_txn_run_implicit(Session *s, void (*fn)(Session *s, void *arg), void *arg);

/* Session end: aborts any transaction and releases every advisory lock. */
void session_txn_session_end(Session *s);

#endif
