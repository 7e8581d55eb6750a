/*
 * sql.h: how the wire layer runs SQL (PostgreSQL's "traffic cop").
 *
 * Simple Query: sql_exec_simple() runs every statement of a query string in
 * turn, reporting each statement's row description, rows and command tag
 * through callbacks; an error is raised with ereport() and stops the rest.
 *
 * Extended Query: sql_prepare() (Parse) -> sql_bind() (Bind) ->
 * sql_execute() (Execute, possibly several times with a row limit).  The
 * wire layer keeps named/unnamed statements and portals and gives each its
 * own arena; these functions allocate only from the arena they are given.
 *
 * Errors inside a transaction block put the session into TXN_FAILED; then
 * every statement but ROLLBACK/COMMIT (and ABORT) raises 25P02.
 */
#ifndef LM_SQL_H
#define LM_SQL_H

#include "common/vector.h"
#include "server/session.h"

typedef struct ResultColumn {
    const char *name;
    const LmType *type;
    Oid table_oid; /* 0 if not a table column */
    int16 attnum;  /* 0 if not a table column */
} ResultColumn;

typedef struct ResultDesc {
    int ncols;
    const ResultColumn *cols;
} ResultDesc;

typedef struct DestReceiver DestReceiver;
struct DestReceiver {
    /* One batch of result rows (only the live rows of batch are sent). */
    void (*receive)(DestReceiver *self, const Batch *batch);
};

typedef struct SimpleQueryCallbacks {
    void *arg;
    /* Before the rows of a statement that returns rows. */
    void (*row_description)(void *arg, const ResultDesc *desc);
    DestReceiver *dest;
    void (*command_complete)(void *arg, const char *tag);
    /* The query string held no statement at all. */
    void (*empty_query)(void *arg);
} SimpleQueryCallbacks;

void sql_exec_simple(Session *s, const char *query, const SimpleQueryCallbacks *cb);

typedef struct PreparedStmt PreparedStmt;
typedef struct Portal Portal;

typedef struct ParamValue {
    const char *data;
    int32 len;    /* -1: NULL */
    int16 format; /* 0 text, 1 binary */
} ParamValue;

/* Parse: one statement (or none: an empty query); raises 42601 on syntax errors.
 * ntypes/types: the parameter types the client gave (0 = infer). */
PreparedStmt *sql_prepare(Session *s, Arena *a, const char *query, int ntypes, const Oid *types);
bool sql_prepared_is_empty(const PreparedStmt *p);
int sql_prepared_nparams(const PreparedStmt *p);
Oid sql_prepared_param_type(const PreparedStmt *p, int i);
/* Rows the statement returns, or NULL if it returns none (NoData). */
const ResultDesc *sql_prepared_result(const PreparedStmt *p);

/* Bind: raises 08P01 on a wrong parameter count, 22P02/22P03 on undecodable values. */
Portal *sql_bind(Session *s, Arena *a, PreparedStmt *p, int nparams, const ParamValue *params);
const ResultDesc *sql_portal_result(const Portal *portal);
/* Execute up to max_rows rows (0: all).  Returns true when the portal is done (tag
 * filled, e.g. "SELECT 3"), false when it stopped at max_rows (PortalSuspended). */
bool sql_execute(Session *s, Portal *portal, int64 max_rows, DestReceiver *dest, char tag[64]);

/* Releases what a portal holds outside its arena (open scans of a suspended run); the wire
 * layer calls it before destroying the portal's arena.  NULL is fine. */
void sql_portal_drop(Portal *portal);

/* Transaction status byte for ReadyForQuery: 'I', 'T' or 'E'. */
char sql_txn_status(const Session *s);

/* Called by the wire layer once per session after authentication, and at its end. */
void sql_session_start(Session *s);
void sql_session_end(Session *s);

#endif
