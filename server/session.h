/*
 * session.h: one client session's SQL-level state.
 *
 * The wire layer (pgwire.c) owns the connection and creates a Session after
 * authentication; the SQL layer (sql.c, guc.c, ddl.c) reads and changes it.
 * A session is used by exactly one thread, except cancel_requested, which
 * the cancel handler sets from another thread.
 */
#ifndef LM_SESSION_H
#define LM_SESSION_H

#include "common/arena.h"
#include "common/error.h"
#include <stdatomic.h>

typedef enum TxnState {
    TXN_IDLE = 0,    /* 'I': not in a transaction block */
    TXN_IN_BLOCK,    /* 'T': in BEGIN ... */
    TXN_FAILED,      /* 'E': in a failed transaction block, until ROLLBACK */
} TxnState;

typedef struct GucState GucState; /* guc.c */
typedef struct Session Session;

struct Session {
    int32 backend_pid; /* per-session id presented as the PostgreSQL backend pid */
    int32 cancel_key;
    Arena *arena; /* lives as long as the session */
    char *user;
    char *database;
    bool is_superuser;
    char *client_addr; /* "127.0.0.1" or "[local]" */
    int64 started_at;  /* microseconds since epoch */

    TxnState txn;
    GucState *guc;
    /* catalog changes made inside the open transaction block, applied at COMMIT (ddl.c) */
    struct CatalogTxn *catalog_txn;

    /* set from another thread by a CancelRequest with matching keys */
    atomic_bool cancel_requested;

    /* Parameters from the client's StartupMessage other than user and database (e.g.
     * application_name, client_encoding, and each "-c name=value" of options), in the order
     * sent; arena-allocated.  sql_session_start() applies them. */
    int nstartup;
    const char **startup_names;
    const char **startup_values;

    /* Wire hooks, set by the wire layer. */
    void (*report_parameter)(Session *s, const char *name, const char *value); /* ParameterStatus */
    void *wire;
};

/* Raises 57014 "canceling statement due to user request" if a cancel arrived. */
void session_check_cancel(Session *s);

#endif
