/*
 * postgres_conn.c: libpq connections for the postgres connector, and TEST
 * CONNECTION PROFILE for it (log in and ask the server's version).
 */
#include "connectors/postgres_conn.h"

#include <stdio.h>
#include <string.h>

/* Laminar's own parameters in a postgresql:// URL (?table=t&schema=s): libpq rejects
 * unknown URI parameters, so they are taken out before connecting. */
static const char *const laminar_url_params[] = {"table", "schema", "query"};

static bool is_laminar_param(const char *p, size_t n)
{
    for (size_t i = 0; i < LM_ARRAY_LEN(laminar_url_params); i++)
        if (strlen(laminar_url_params[i]) == n && strncmp(p, laminar_url_params[i], n) == 0)
            return true;
    return false;
}

static const char *libpq_url(Arena *a, const char *url)
{
    const char *q = strchr(url, '?');
    if (q == NULL)
        return url;
    StrBuf b;
    strbuf_init(&b, a);
    strbuf_append(&b, url, (size_t)(q - url));
    char sep = '?';
    const char *p = q + 1;
    while (*p) {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t klen = eq ? (size_t)(eq - p) : len;
        if (len > 0 && !is_laminar_param(p, klen)) {
            strbuf_append_char(&b, sep);
            strbuf_append(&b, p, len);
            sep = '&';
        }
        p += len;
        if (*p == '&')
            p++;
    }
    return b.data;
}

const char *postgres_url_param(Arena *a, const ResolvedOptions *opts, const char *name)
{
    const char *url = resolved_get(opts, "url");
    const char *q = url ? strchr(url, '?') : NULL;
    size_t nlen = strlen(name);
    for (const char *p = q ? q + 1 : NULL; p && *p;) {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=')
            return arena_strndup(a, p + nlen + 1, len - nlen - 1);
        p += len;
        if (*p == '&')
            p++;
    }
    return NULL;
}

PGconn *postgres_connect(Arena *a, const ResolvedOptions *opts, int timeout_s)
{
    const char *keys[10], *vals[10];
    int n = 0;
    const char *url = resolved_get(opts, "url");
    if (url) {
        keys[n] = "dbname";
        vals[n++] = libpq_url(a, url);
    }
    static const struct {
        const char *option, *key;
    } map[] = {{"host", "host"}, {"port", "port"},         {"database", "dbname"},
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
