/* postgres_conn.h: libpq connections from Laminar's resolved PostgreSQL options. */
#ifndef LM_POSTGRES_CONN_H
#define LM_POSTGRES_CONN_H

#include "connectors/connector.h"
#include <libpq-fe.h>

/* Connects with host/port/database/user/password/sslmode or url (timeout in seconds).
 * Returns the connection (check PQstatus) — never NULL. */
PGconn *postgres_connect(Arena *a, const ResolvedOptions *opts, int timeout_s);

/* A Laminar parameter of the url option (postgresql://...?table=t): NULL if absent.  Not
 * percent-decoded. */
const char *postgres_url_param(Arena *a, const ResolvedOptions *opts, const char *name);

#endif
