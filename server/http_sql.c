/*
 * http_sql.c: SQL run on behalf of an HTTP request (see http_int.h).
 *
 * Each call creates an internal Session of the bootstrap superuser (TimeZone
 * UTC), runs the statements with sql_exec_simple() and collects the rows of
 * the last statement that returned any as a JSON array of objects, plus the
 * notices raised (a webhook token is announced as a NOTICE).  The session is
 * ended before returning, so a failure leaves no open transaction behind.
 * Sessions are cheap (an arena and the GUC defaults); a per-request session
 * keeps concurrent requests independent without a pool.
 *
 * SQLSTATE → REST error:
 *   42710/42P07 (duplicate), 2BP01 (dependent objects), 55006 (in use),
 *   55000 (wrong state: starting a running pipeline) → 409 CONFLICT
 *   42704/42P01 (undefined) → 404 NOT_FOUND, but an undefined type → 400
 *   SCHEMA_VALIDATION_ERROR
 *   42804/42P16/42703/42701 (type or definition mismatch) → 400
 *   SCHEMA_VALIDATION_ERROR
 *   08xxx → 502 CONNECTION_ERROR
 *   other class 22/23/42, 0A000, 53200 → 400 VALIDATION_ERROR
 *   28000/42501 → 403 FORBIDDEN; anything else → 500 INTERNAL_ERROR
 */
#include "server/http_int.h"
#include "common/arena.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "server/config.h"
#include "server/session.h"
#include "server/sql.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct Collector {
    DestReceiver dest; /* first: the receiver callbacks get &dest */
    Arena *arena;
    json_t *rows;
    int ncols;
    const char **names;
    const LmType **types;
    json_t *notices;
} Collector;

static void collect_description(void *arg, const ResultDesc *desc)
{
    Collector *c = arg;
    json_decref(c->rows);
    c->rows = json_array();
    c->ncols = desc->ncols;
    c->names = arena_new_array(c->arena, const char *, desc->ncols + 1);
    c->types = arena_new_array(c->arena, const LmType *, desc->ncols + 1);
    for (int i = 0; i < desc->ncols; i++) {
        c->names[i] = arena_strdup(c->arena, desc->cols[i].name);
        c->types[i] = desc->cols[i].type;
    }
}

/* One value as a jansson value: to_json() text parsed back; timestamptz in UTC gets "Z". */
static json_t *value_json(const Vector *v, int row, StrBuf *buf)
{
    if (!vector_is_valid(v, row))
        return json_null();
    strbuf_reset(buf);
    value_format_json(v, row, buf);
    json_t *j = json_loadb(buf->data, buf->len, JSON_DECODE_ANY, NULL);
    if (j == NULL)
        return json_stringn(buf->data, buf->len);
    if (v->type->id == TYPE_TIMESTAMPTZ && json_is_string(j)) {
        const char *s = json_string_value(j);
        size_t n = strlen(s);
        if (n > 6 && strcmp(s + n - 6, "+00:00") == 0) {
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%.*sZ", (int)(n - 6), s);
            json_string_set(j, tmp);
        }
    }
    return j;
}

static void collect_batch(DestReceiver *self, const Batch *b)
{
    Collector *c = (Collector *)self;
    StrBuf buf;
    strbuf_init(&buf, NULL);
    int n = batch_live_count(b);
    for (int i = 0; i < n; i++) {
        int row = batch_row(b, i);
        json_t *obj = json_object();
        for (int k = 0; k < b->ncols && k < c->ncols; k++)
            json_object_set_new(obj, c->names[k], value_json(&b->cols[k], row, &buf));
        json_array_append_new(c->rows, obj);
    }
    strbuf_free(&buf);
}

static void ignore_tag(void *arg, const char *tag)
{
    (void)arg;
    (void)tag;
}

static void collect_notice(void *arg, const ErrorData *e)
{
    Collector *c = arg;
    json_array_append_new(c->notices, json_string(e->message ? e->message : ""));
}

static void no_report(Session *s, const char *name, const char *value)
{
    (void)s;
    (void)name;
    (void)value;
}

static bool no_deallocate(Session *s, const char *name)
{
    (void)s;
    (void)name;
    return false;
}

static int64 now_micros(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Internal sessions get backend ids far above the wire layer's, counting down from 2^30. */
static atomic_int next_internal_pid = 1 << 30;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

void http_sql_run(const char *sql, HttpSqlResult *res)
{
    memset(res, 0, sizeof *res);
    Arena *a = arena_create("http session", NULL);
    Session *s = arena_new(a, Session);
    s->arena = a;
    s->user = arena_strdup(a, server_config && server_config->bootstrap_user
                                  ? server_config->bootstrap_user
                                  : "laminar");
    s->database = arena_strdup(a, "laminar");
    s->is_superuser = true;
    s->client_addr = arena_strdup(a, "[http]");
    s->started_at = now_micros();
    s->txn = TXN_IDLE;
    atomic_init(&s->cancel_requested, false);
    s->nstartup = 2;
    s->startup_names = arena_new_array(a, const char *, 3);
    s->startup_values = arena_new_array(a, const char *, 3);
    s->startup_names[0] = "TimeZone";
    s->startup_values[0] = "UTC";
    s->startup_names[1] = "application_name";
    s->startup_values[1] = "laminar-http";
    s->report_parameter = no_report;
    s->deallocate = no_deallocate;
    s->backend_pid = atomic_fetch_sub(&next_internal_pid, 1);

    Collector c;
    memset(&c, 0, sizeof c);
    c.dest.receive = collect_batch;
    c.arena = a;
    c.rows = json_array();
    c.notices = json_array();
    SimpleQueryCallbacks cb = {.arg = &c,
                               .row_description = collect_description,
                               .dest = &c.dest,
                               .command_complete = ignore_tag,
                               .empty_query = NULL};
    error_set_notice_hook(collect_notice, &c);
    volatile bool started = false;
    LM_TRY();
    {
        sql_session_start(s);
        started = true;
        sql_exec_simple(s, sql, &cb);
        res->ok = true;
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        res->ok = false;
        memcpy(res->sqlstate, e->sqlstate, 6);
        res->message = strdup(e->message ? e->message : "internal error");
        res->detail = dup_or_null(e->detail);
        res->hint = dup_or_null(e->hint);
        error_clear();
    }
    LM_END_TRY();
    if (started) {
        LM_TRY();
        {
            sql_session_end(s);
        }
        LM_CATCH();
        {
            error_clear();
        }
        LM_END_TRY();
    }
    error_set_notice_hook(NULL, NULL);
    res->rows = c.rows;
    res->notices = c.notices;
    arena_destroy(a);
}

void http_sql_result_free(HttpSqlResult *res)
{
    json_decref(res->rows);
    json_decref(res->notices);
    free(res->message);
    free(res->detail);
    free(res->hint);
    memset(res, 0, sizeof *res);
}

void http_sql_error(HttpResponse *out, const HttpSqlResult *res)
{
    const char *st = res->sqlstate;
    unsigned status = 400;
    const char *code = "VALIDATION_ERROR";
    if (strcmp(st, "42710") == 0 || strcmp(st, "42P07") == 0 || strcmp(st, "2BP01") == 0 ||
        strcmp(st, "55006") == 0 || strcmp(st, "55000") == 0 || strcmp(st, "42P06") == 0) {
        status = 409;
        code = "CONFLICT";
    } else if (strcmp(st, "42704") == 0 && res->message &&
               strncmp(res->message, "type \"", 6) == 0) {
        code = "SCHEMA_VALIDATION_ERROR"; /* an unknown data type in a schema */
    } else if (strcmp(st, "42704") == 0 || strcmp(st, "42P01") == 0 || strcmp(st, "42883") == 0) {
        status = 404;
        code = "NOT_FOUND";
    } else if (strncmp(st, "08", 2) == 0) {
        status = 502;
        code = "CONNECTION_ERROR";
    } else if (strcmp(st, "42804") == 0 || strcmp(st, "42P16") == 0 || strcmp(st, "42703") == 0 ||
               strcmp(st, "42701") == 0) {
        code = "SCHEMA_VALIDATION_ERROR";
    } else if (strncmp(st, "22", 2) == 0 || strncmp(st, "42", 2) == 0 || strcmp(st, "0A000") == 0 ||
               strncmp(st, "23", 2) == 0 || strcmp(st, "53200") == 0) {
        code = "VALIDATION_ERROR";
    } else if (strcmp(st, "28000") == 0 || strcmp(st, "42501") == 0) {
        status = 403;
        code = "FORBIDDEN";
    } else {
        status = 500;
        code = "INTERNAL_ERROR";
    }
    json_t *details = json_object();
    json_object_set_new(details, "sqlstate", json_string(st));
    if (res->detail)
        json_object_set_new(details, "detail", json_string(res->detail));
    if (res->hint)
        json_object_set_new(details, "hint", json_string(res->hint));
    http_error(out, status, code, res->message ? res->message : "error", details);
}

/* ------------------------------------------------------------ SQL text */

static void reserve(HttpSqlText *t, size_t extra)
{
    if (t->len + extra + 1 <= t->cap)
        return;
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->len + extra + 1)
        cap *= 2;
    t->data = realloc(t->data, cap);
    if (t->data == NULL)
        abort();
    t->cap = cap;
}

void http_sql_append(HttpSqlText *t, const char *s)
{
    size_t n = strlen(s);
    reserve(t, n);
    memcpy(t->data + t->len, s, n + 1);
    t->len += n;
}

void http_sql_appendf(HttpSqlText *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    reserve(t, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(t->data + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* Standard-conforming literal: quotes doubled; no backslash escapes are involved. */
void http_sql_literal(HttpSqlText *t, const char *s)
{
    reserve(t, strlen(s) * 2 + 2);
    t->data[t->len++] = '\'';
    for (; *s; s++) {
        if (*s == '\'')
            t->data[t->len++] = '\'';
        t->data[t->len++] = *s;
    }
    t->data[t->len++] = '\'';
    t->data[t->len] = '\0';
}

void http_sql_ident(HttpSqlText *t, const char *s)
{
    reserve(t, strlen(s) * 2 + 2);
    t->data[t->len++] = '"';
    for (; *s; s++) {
        if (*s == '"')
            t->data[t->len++] = '"';
        t->data[t->len++] = *s;
    }
    t->data[t->len++] = '"';
    t->data[t->len] = '\0';
}

void http_sql_text_free(HttpSqlText *t)
{
    free(t->data);
    memset(t, 0, sizeof *t);
}
