/*
 * pg_common.c: connection retry with backoff, PostgreSQL errors, quoting and
 * text COPY escaping for the postgres connector (pg_sink.c, pg_source.c).
 *
 * Retry: the first failure starts a budget of retry_timeout (default 60 s);
 * pauses double from 250 ms up to 5 s; every failure is recorded in
 * laminar.job_errors as CONNECTION_ERROR with PostgreSQL's message, and the
 * job fails with 08006 when the budget is spent.  A successful connection
 * resets the budget.
 */
#include "connectors/pg_common.h"
#include "common/errcodes.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int64 pg_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64 pg_retry_timeout_ms(const ResolvedOptions *opts)
{
    const char *v = resolved_get(opts, "retry_timeout");
    int64 ms;
    if (v && connector_parse_duration_ms(v, &ms))
        return ms;
    return PG_RETRY_DEFAULT_MS;
}

static char *trimmed_message(Arena *a, const char *m)
{
    char *msg = arena_strdup(a, m ? m : "");
    size_t l = strlen(msg);
    while (l > 0 && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
        msg[--l] = '\0';
    return msg;
}

bool pg_retry_wait(ConnectorContext *cc, PgRetry *r, const char *message)
{
    int64 now = pg_now_us();
    if (r->deadline_us == 0) {
        r->deadline_us = now + pg_retry_timeout_ms(cc->opts) * 1000;
        r->pause_ms = 250;
        r->attempts = 0;
    }
    r->attempts++;
    if (cc->record_error) {
        StrBuf d;
        strbuf_init(&d, NULL);
        strbuf_append_str(&d, "{\"connector\": \"postgres\", \"attempt\": ");
        strbuf_printf(&d, "%d, \"message\": ", r->attempts);
        /* a JSON string: escape quotes, backslashes and control characters */
        strbuf_append_char(&d, '"');
        for (const char *p = message; *p; p++) {
            if (*p == '"' || *p == '\\')
                strbuf_append_char(&d, '\\');
            if ((unsigned char)*p < 0x20)
                strbuf_printf(&d, "\\u%04x", (unsigned char)*p);
            else
                strbuf_append_char(&d, *p);
        }
        strbuf_append_str(&d, "\"}");
        cc->record_error(cc->record_error_arg, "CONNECTION_ERROR", message, d.data, NULL, 0);
        strbuf_free(&d);
    }
    if (now >= r->deadline_us)
        return false;
    /* sleep in slices so that a stop request is noticed quickly */
    int64 until = now + r->pause_ms * 1000;
    if (until > r->deadline_us)
        until = r->deadline_us;
    while (pg_now_us() < until) {
        if (cc->stop_requested && atomic_load(cc->stop_requested))
            ereport(ERROR, errcode(ERRCODE_QUERY_CANCELED),
                    errmsg("canceling statement due to user request"));
        usleep(50000);
    }
    r->pause_ms = r->pause_ms * 2 > PG_RETRY_MAX_PAUSE_MS ? PG_RETRY_MAX_PAUSE_MS : r->pause_ms * 2;
    return true;
}

/* NOTICEs (CREATE TABLE IF NOT EXISTS ... skipping) are of no interest to the job. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

PGconn *pg_connect_retry(ConnectorContext *cc, const char *what)
{
    PgRetry r = {0};
    for (;;) {
        Arena *scratch = arena_create("pg connect", NULL);
        PGconn *conn = postgres_connect(scratch, cc->opts, 10);
        if (PQstatus(conn) == CONNECTION_OK) {
            arena_destroy(scratch);
            PQsetNoticeProcessor(conn, ignore_notice, NULL);
            PGresult *res =
                PQexec(conn, "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, MDY'; "
                             "SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC'; "
                             "SET extra_float_digits = 3");
            ExecStatusType st = PQresultStatus(res);
            PQclear(res);
            if (st == PGRES_COMMAND_OK)
                return conn;
            if (!pg_conn_lost(conn))
                pg_raise(conn, NULL, what);
        }
        char *msg = trimmed_message(cc->arena, PQerrorMessage(conn));
        PQfinish(conn);
        arena_destroy(scratch);
        char *full = arena_printf(cc->arena, "postgres %s cannot connect: %s", what, msg);
        if (!pg_retry_wait(cc, &r, full))
            ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE),
                    errmsg("postgres %s cannot connect to the database", what),
                    errdetail("%s", msg),
                    errhint("Retried for %lld ms (option retry_timeout).",
                            (long long)pg_retry_timeout_ms(cc->opts)));
    }
}

bool pg_conn_lost(PGconn *conn)
{
    return conn == NULL || PQstatus(conn) != CONNECTION_OK;
}

void pg_raise(PGconn *conn, PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", primary ? primary : (conn ? PQerrorMessage(conn) : "?"));
    size_t l = strlen(msg);
    while (l > 0 && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
        msg[--l] = '\0';
    char det[1024];
    snprintf(det, sizeof det, "%s", detail ? detail : "");
    /* copy the SQLSTATE before the result (which owns it) is freed */
    char code[6];
    if (state == NULL || strlen(state) != 5)
        state = ERRCODE_CONNECTION_FAILURE;
    memcpy(code, state, 6);
    if (res)
        PQclear(res);
    ereport(ERROR, errcode(code), errmsg("postgres %s: %s", what, msg),
            det[0] ? errdetail("%s", det) : 0);
    abort(); /* not reached */
}

void pg_append_ident(StrBuf *b, const char *name)
{
    strbuf_append_char(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            strbuf_append_char(b, '"');
        strbuf_append_char(b, *p);
    }
    strbuf_append_char(b, '"');
}

void pg_append_qualified(StrBuf *b, const char *schema, const char *table)
{
    pg_append_ident(b, schema);
    strbuf_append_char(b, '.');
    pg_append_ident(b, table);
}

void pg_copy_value(const Vector *v, int row, StrBuf *out)
{
    if (!vector_is_valid(v, row)) {
        strbuf_append(out, "\\N", 2);
        return;
    }
    size_t start = out->len;
    TypeId id = v->type->id;
    if (id == TYPE_MAP || id == TYPE_STRUCT)
        value_format_json(v, row, out);
    else if (id == TYPE_STRING || id == TYPE_JSON) {
        const StrView *s = &((const StrView *)v->data)[row];
        strbuf_append(out, s->ptr, s->len);
    } else
        value_format_text(v, row, out);
    /* Escape only when needed: most values hold no backslash, tab, newline or CR. */
    size_t n = out->len - start;
    const char *p = out->data + start;
    size_t special = 0;
    for (size_t i = 0; i < n; i++)
        special += (p[i] == '\\' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r');
    if (special == 0)
        return;
    char *copy = malloc(n);
    if (copy == NULL)
        ereport(ERROR, errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"));
    memcpy(copy, p, n);
    strbuf_truncate(out, start);
    strbuf_reserve(out, n + special);
    for (size_t i = 0; i < n; i++) {
        char c = copy[i];
        switch (c) {
        case '\\':
            strbuf_append(out, "\\\\", 2);
            break;
        case '\t':
            strbuf_append(out, "\\t", 2);
            break;
        case '\n':
            strbuf_append(out, "\\n", 2);
            break;
        case '\r':
            strbuf_append(out, "\\r", 2);
            break;
        default:
            strbuf_append_char(out, c);
        }
    }
    free(copy);
}
