/*
 * postgres_conn.c: libpq connections for the postgres connector, and TEST
 * CONNECTION PROFILE for it (log in and ask the server's version).
 */
#include "connectors/postgres_conn.h"

#include <stdio.h>

PGconn *postgres_connect(Arena *a, const ResolvedOptions *opts, int timeout_s)
{
    const char *keys[10], *vals[10];
    int n = 0;
    const char *url = resolved_get(opts, "url");
    if (url) {
        keys[n] = "dbname";
        vals[n++] = url;
    }
    static const struct {
        const char *option, *key;
    } map[] = {{"host", "host"}, {"port", "port"}, {"database", "dbname"},
               {"user", "user"}, {"password", "password"}, {"sslmode", "sslmode"}};
    for (size_t i = 0; i < LM_ARRAY_LEN(map); i++) {
        const char *v = resolved_get(opts, map[i].option);
        if (v && !(url && strcmp(map[i].key, "dbname") == 0)) {
            keys[n] = map[i].key;
            vals[n++] = v;
        }
    }
    keys[n] = "connect_timeout";
    vals[n++] = arena_printf(a, "%d", timeout_s);
    keys[n] = "application_name";
    vals[n++] = "laminar";
    keys[n] = NULL;
    vals[n] = NULL;
    return PQconnectdbParams(keys, vals, 1);
}

ProfileTestResult postgres_test_connection(Arena *a, const ResolvedOptions *opts)
{
    PGconn *conn = postgres_connect(a, opts, 5);
    ProfileTestResult r = {0};
    if (PQstatus(conn) != CONNECTION_OK) {
        char *msg = arena_strdup(a, PQerrorMessage(conn));
        size_t l = strlen(msg);
        while (l > 0 && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
            msg[--l] = '\0';
        r.success = false;
        r.message = arena_printf(a, "Failed to connect to PostgreSQL: %s", msg);
        PQfinish(conn);
        return r;
    }
    PGresult *res = PQexec(conn, "SELECT version()");
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
        r.success = true;
        r.message = arena_printf(a, "Connected to PostgreSQL as %s: %s", PQuser(conn),
                                 PQgetvalue(res, 0, 0));
    } else {
        r.success = false;
        r.message = arena_printf(a, "PostgreSQL query failed: %s", PQerrorMessage(conn));
    }
    PQclear(res);
    PQfinish(conn);
    return r;
}
