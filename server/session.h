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
    TXN_IMPLICIT,    /* 'I' when seen: the implicit block of a multi-statement Simple Query
                      * (sql.c); committed at the end of the message, rolled back on error */
} TxnState;

typedef struct GucState GucState; /* guc.c */
struct PreparedStmt;              /* server/sql.h */
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
    /* plain-table transaction and savepoint marks (server/txn.c); advisory locks are kept
     * in advisory.c's table, keyed by the Session */
    struct SessionTxn *table_txn;
    /* start of the current transaction (now()), microseconds since epoch */
    int64 transaction_timestamp;
    /* what the executor may ask of this session (query.c; built on first use) */
    const struct SessionServices *services;

    /* set from another thread by a CancelRequest with matching keys */
    atomic_bool cancel_requested;

    /* Parameters from the client's StartupMessage other than user and database (e.g.
     * application_name, client_encoding, and each "-c name=value" of options), in the order
     * sent; arena-allocated.  sql_session_start() applies them. */
    int nstartup;
    const char **startup_names;
    const char **startup_values;

    /* DEALLOCATE: drops the named prepared statement (NULL name: all); false if none. */
    bool (*deallocate)(Session *s, const char *name);
    /* PREPARE / EXECUTE / pg_prepared_statements: SQL-level prepared statements share the
     * wire layer's namespace of named statements (NULL hooks: not possible).  stmt_add keeps p
     * under name and takes ownership of the arena a it lives in (destroyed when the statement
     * is dropped); it raises 42P05 if the name is taken, and then a stays the caller's.
     * text: the PREPARE statement's text.  stmt_find: the named statement, NULL if none
     * (never the unnamed one).  stmt_iter: the index-th named statement; false past the end. */
    void (*stmt_add)(Session *s, const char *name, Arena *a, struct PreparedStmt *p,
                     const char *text);
    struct PreparedStmt *(*stmt_find)(Session *s, const char *name);
    /* stmt_acquire: stmt_find that also keeps the statement's memory alive, even if it is
     * dropped meanwhile, until stmt_release(s, *handle) (a suspended EXECUTE portal). */
    struct PreparedStmt *(*stmt_acquire)(Session *s, const char *name, void **handle);
    void (*stmt_release)(Session *s, void *handle);
    bool (*stmt_iter)(Session *s, int index, const char **name, const char **text,
                      int64 *prepare_time, bool *from_sql, struct PreparedStmt **p);
    /* Wire hooks, set by the wire layer. */
    void (*report_parameter)(Session *s, const char *name, const char *value); /* ParameterStatus */
    void *wire;
    /* COPY data transfer (server/copy.c), set by the wire layer (NULL: not possible).
     * copy_begin sends CopyInResponse (is_in) or CopyOutResponse for ncols text columns and,
     * for COPY FROM, flushes; copy_read returns the next CopyData (*data valid until the next
     * call) and false at CopyDone, raising 57014 on CopyFail; copy_write sends one CopyData;
     * copy_end sends CopyDone. */
    void (*copy_begin)(Session *s, bool is_in, int ncols);
    bool (*copy_read)(Session *s, const char **data, size_t *len);
    void (*copy_write)(Session *s, const char *data, size_t len);
    void (*copy_end)(Session *s);
};

/* Raises 57014 "canceling statement due to user request" if a cancel arrived. */
void session_check_cancel(Session *s);

#endif
