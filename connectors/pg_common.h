/*
 * pg_common.h: what the PostgreSQL sink (pg_sink.c) and source (pg_source.c)
 * share — connecting with retry and backoff (reported as CONNECTION_ERROR in
 * laminar.job_errors), raising PostgreSQL's own errors, quoting, and the
 * text COPY escaping.
 */
#ifndef LM_PG_COMMON_H
#define LM_PG_COMMON_H

#include "connectors/postgres_conn.h"
#include "connectors/runtime.h"

/* How long an unreachable database is retried before the job fails (default 60 s; option
 * `retry_timeout`), and the longest pause between two attempts. */
#define PG_RETRY_DEFAULT_MS 60000
#define PG_RETRY_MAX_PAUSE_MS 5000

typedef struct PgRetry {
    int64 deadline_us; /* 0: not retrying */
    int64 pause_ms;
    int attempts;
} PgRetry;

/* The retry budget of the connector's options (retry_timeout). */
int64 pg_retry_timeout_ms(const ResolvedOptions *opts);

/*
 * Connects, retrying with exponential backoff while the server cannot be reached; each
 * failed attempt is recorded as CONNECTION_ERROR through cc->record_error.  Raises 08006
 * once retry_timeout has passed (or 57014 when the job is being stopped).  what: "sink"
 * or "source", for messages.
 */
PGconn *pg_connect_retry(ConnectorContext *cc, const char *what);

/* Sleeps before the next attempt after a lost connection; false when the budget is spent
 * (r starts a new budget when it is fresh).  Records the failure. */
bool pg_retry_wait(ConnectorContext *cc, PgRetry *r, const char *message);
static inline void pg_retry_reset(PgRetry *r)
{
    r->deadline_us = 0;
    r->pause_ms = 0;
    r->attempts = 0;
}

/* Is the connection gone (so the operation should be retried on a new one)? */
bool pg_conn_lost(PGconn *conn);

/* Raises PostgreSQL's error of res/conn with its SQLSTATE: "postgres sink: <message>". */
void pg_raise(PGconn *conn, PGresult *res, const char *what) LM_NORETURN;

/* Appends name as a double-quoted identifier (always quoted: exact names). */
void pg_append_ident(StrBuf *b, const char *name);
/* schema.table, both quoted. */
void pg_append_qualified(StrBuf *b, const char *schema, const char *table);

/* Appends one value of v in PostgreSQL's text COPY format (escaped; NULL as \N).
 * MAP and STRUCT values are written as JSON (jsonb columns). */
void pg_copy_value(const Vector *v, int row, StrBuf *out);

/* Monotonic microseconds. */
int64 pg_now_us(void);

#endif
