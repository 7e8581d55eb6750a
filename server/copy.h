/*
 * copy.h: COPY t [(cols)] FROM STDIN and COPY t [(cols)] TO STDOUT for plain
 * tables, in PostgreSQL's text and csv formats.
 *
 * The rows go through the session's table transaction (server/txn.c), so a
 * COPY inside BEGIN ... COMMIT commits with the block and a failed COPY
 * leaves nothing behind.  The data moves through the Session's copy hooks,
 * which the wire layer provides.  tag receives "COPY n".
 */
#ifndef LM_COPY_H
#define LM_COPY_H

#include "executor/exec.h"
#include "server/session.h"
#include <pg_query/pg_query.pb-c.h>

/* Without an execution context: DEFAULTs of columns left out must be constants (0A000). */
void copy_execute(Session *s, Arena *a, PgQuery__CopyStmt *stmt, char tag[64]);
/* With the statement's execution context (ctx->txn is not used: rows go through
 * session_table_txn()): any DEFAULT expression is evaluated per row. */
void copy_execute_ctx(Session *s, ExecContext *ctx, Arena *a, PgQuery__CopyStmt *stmt,
                      char tag[64]);

#endif
