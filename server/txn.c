/*
 * txn.c: a session's transaction over plain tables, catalog changes and
 * transaction-level advisory locks (see txn.h).
 *
 * State per session (SessionTxn, heap, owned by the session): the TableTxn
 * if one was begun, and per savepoint the marks to roll back to — one in the
 * TableTxn (-1 while none was begun: rolling back then undoes every table
 * write) and the length of the catalog queue.  When the TableTxn is begun
 * after some savepoints exist, it gets a mark for each of them at its empty
 * state, so savepoint i and table mark i always line up.  Sink tables
 * altered in the transaction are listed too: after COMMIT the job manager
 * applies their new options to running jobs (jobs_reconfigure_sink); a
 * rollback to a savepoint keeps them listed (applying the committed options
 * again is harmless: a checkpoint and a reopen).
 */
#include "server/txn.h"
#include "server/advisory.h"
#include "server/catalog_txn.h"
#include "server/jobs.h"
#include "common/error.h"

#include <string.h>

#define MAX_SAVEPOINTS 128 /* as the SQL layer's stack */

typedef struct SessionTxn {
    TableTxn *table;
    int naltered, capaltered;
    char **altered_sinks; /* ids of sink tables altered in this transaction (heap) */
    int nsavepoints;
    int catalog_mark[MAX_SAVEPOINTS];
} SessionTxn;

static SessionTxn *state(Session *s)
{
    if (s->table_txn == NULL)
        s->table_txn = lm_calloc(1, sizeof(SessionTxn));
    return s->table_txn;
}

TableTxn *session_table_txn(Session *s)
{
    SessionTxn *st = state(s);
    if (st->table == NULL) {
        Storage *storage = catalog_storage();
        if (storage == NULL)
            elog(ERROR, "storage is not open");
        TableTxn *t = table_txn_begin(storage);
        table_txn_set_cancel(t, &s->cancel_requested);
        for (int i = 0; i < st->nsavepoints; i++)
            (void)table_txn_savepoint(t);
        st->table = t;
    }
    return st->table;
}

void session_txn_note_sink_altered(Session *s, const char *table_id)
{
    SessionTxn *st = state(s);
    for (int i = 0; i < st->naltered; i++)
        if (strcmp(st->altered_sinks[i], table_id) == 0)
            return;
    if (st->naltered == st->capaltered) {
        st->capaltered = st->capaltered ? st->capaltered * 2 : 4;
        st->altered_sinks = lm_realloc(st->altered_sinks, sizeof(char *) * (size_t)st->capaltered);
    }
    st->altered_sinks[st->naltered++] = lm_strdup(table_id);
}

/* Forgets the altered sink tables; with apply, hands each to the job manager first. */
static void finish_altered(Session *s, bool apply)
{
    SessionTxn *st = s->table_txn;
    if (st == NULL || st->naltered == 0)
        return;
    int n = st->naltered;
    char **ids = st->altered_sinks;
    st->naltered = 0;
    st->capaltered = 0;
    st->altered_sinks = NULL;
    for (int i = 0; i < n; i++) {
        /* the ALTER is committed: a job that cannot take the options gets them at its next
         * start, so nothing here may fail the COMMIT (jobs_reconfigure_sink logs its errors) */
        if (apply)
            jobs_reconfigure_sink(ids[i]);
        lm_free(ids[i]);
    }
    lm_free(ids);
}

/* Ends the transaction's state; the SessionTxn itself is kept for the next one. */
static void reset(Session *s)
{
    SessionTxn *st = s->table_txn;
    if (st == NULL)
        return;
    TableTxn *t = st->table;
    st->table = NULL;
    st->nsavepoints = 0;
    table_txn_abort(t);
}

void session_txn_commit(Session *s)
{
    TableTxn *t = s->table_txn ? s->table_txn->table : NULL;
    StorageBatch *volatile batch = NULL;

    LM_TRY();
    {
        if (t && table_txn_has_writes(t)) {
            batch = storage_batch_create();
            table_txn_write_into(t, batch);
            catalog_txn_commit_with(s, batch);
        } else {
            catalog_txn_commit(s);
        }
    }
    LM_CATCH();
    {
        storage_batch_destroy(batch);
        catalog_txn_abort(s);
        reset(s);
        advisory_release_xact(s);
        finish_altered(s, false);
        error_rethrow();
    }
    LM_END_TRY();
    storage_batch_destroy(batch);
    reset(s);
    advisory_release_xact(s);
    finish_altered(s, true);
}

void session_txn_abort(Session *s)
{
    catalog_txn_abort(s);
    reset(s);
    advisory_release_xact(s);
    finish_altered(s, false);
}

void session_txn_savepoint(Session *s)
{
    SessionTxn *st = state(s);
    if (st->nsavepoints >= MAX_SAVEPOINTS)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("too many savepoints in one transaction"));
    st->catalog_mark[st->nsavepoints] = catalog_txn_mark(s);
    if (st->table)
        (void)table_txn_savepoint(st->table);
    st->nsavepoints++;
}

void session_txn_rollback_to(Session *s, int index)
{
    SessionTxn *st = state(s);
    if (index < 0 || index >= st->nsavepoints)
        elog(ERROR, "savepoint %d does not exist", index);
    catalog_txn_rollback_to(s, st->catalog_mark[index]);
    if (st->table)
        table_txn_rollback_to(st->table, index);
    st->nsavepoints = index + 1;
}

void session_txn_release(Session *s, int index)
{
    SessionTxn *st = state(s);
    if (index < 0 || index >= st->nsavepoints)
        return;
    if (st->table)
        table_txn_release(st->table, index);
    st->nsavepoints = index;
}

void session_txn_run_implicit(Session *s, void (*fn)(Session *s, void *arg), void *arg)
{
    if (s->txn != TXN_IDLE) {
        fn(s, arg);
        return;
    }
    LM_TRY();
    {
        fn(s, arg);
    }
    LM_CATCH();
    {
        session_txn_abort(s);
        error_rethrow();
    }
    LM_END_TRY();
    session_txn_commit(s);
}

void session_txn_session_end(Session *s)
{
    session_txn_abort(s);
    advisory_session_end(s);
    lm_free(s->table_txn);
    s->table_txn = NULL;
}
