/*
 * http_int.h: what the HTTP server's files share (http.c: the listener,
 * request bodies, routing, API keys, status counters; http_sql.c: running
 * SQL in an internal session; http_api.c: the REST API; http_metrics.c:
 * Prometheus /metrics; http_openapi.c: the OpenAPI document; http_ingest.c:
 * webhook ingestion).
 *
 * One catalog, two doors: every REST call that reads or changes the catalog
 * (http_api.c, http_api_jobs.c, helpers in http_api_util.c) builds the
 * equivalent Laminar SQL text and runs it through sql_exec_simple()
 * in a short-lived internal Session of the bootstrap superuser, so REST and
 * SQL share the code paths, checks and SQLSTATEs.  Responses are jansson
 * values; the router serializes them.
 */
#ifndef LM_HTTP_INT_H
#define LM_HTTP_INT_H

#include "common/lm.h"
#include <jansson.h>
#include <stddef.h>

/* Largest request body accepted (413 above). */
#define HTTP_MAX_BODY (10 * 1024 * 1024)

typedef struct HttpRequest {
    const char *method;
    const char *path; /* without the query string */
    const char *body; /* NUL-terminated; "" when none */
    size_t body_len;
    const char *client_ip; /* "127.0.0.1" */
    void *conn;            /* struct MHD_Connection * */
} HttpRequest;

typedef struct HttpResponse {
    unsigned status;
    json_t *json; /* owned; serialized by the router (NULL: text) */
    char *text;   /* malloc'd body when json is NULL */
    const char *content_type;
} HttpResponse;

/* A query-string argument or request header (NULL when absent). */
const char *http_query_arg(const HttpRequest *r, const char *name);
const char *http_header(const HttpRequest *r, const char *name);

/* Responses.  http_error builds {"error": {"code", "message", "details"}}; details is stolen
 * (NULL: {}). */
void http_respond_json(HttpResponse *out, unsigned status, json_t *json);
void http_error(HttpResponse *out, unsigned status, const char *code, const char *message,
                json_t *details);
/* {"data": data} (data stolen). */
void http_respond_data(HttpResponse *out, unsigned status, json_t *data);

/* ------------------------------------------------------------ http_sql.c */

/* The outcome of running SQL in an internal session.  rows: the rows of the last statement
 * that returned rows, as a JSON array of objects keyed by column name (values as to_json()
 * writes them; timestamps in UTC as "...Z"); notices: messages below ERROR, in order. */
typedef struct HttpSqlResult {
    bool ok;
    json_t *rows;     /* owned; [] when no statement returned rows */
    json_t *notices;  /* owned; array of strings */
    char sqlstate[6]; /* when !ok */
    char *message;    /* malloc'd, when !ok */
    char *detail;     /* malloc'd or NULL */
    char *hint;       /* malloc'd or NULL */
} HttpSqlResult;

/* Runs sql (one or more statements) as the bootstrap superuser. */
void http_sql_run(const char *sql, HttpSqlResult *res);
void http_sql_result_free(HttpSqlResult *res);
/* Turns a failed result into a REST error: SQLSTATE → code and status (see http_sql.c). */
void http_sql_error(HttpResponse *out, const HttpSqlResult *res);
/* Appends a SQL string literal / identifier for s to a malloc'd growing string. */
typedef struct HttpSqlText {
    char *data;
    size_t len, cap;
} HttpSqlText;
void http_sql_append(HttpSqlText *t, const char *s);
void http_sql_appendf(HttpSqlText *t, const char *fmt, ...) LM_PRINTF(2, 3);
void http_sql_literal(HttpSqlText *t, const char *s);
void http_sql_ident(HttpSqlText *t, const char *s);
void http_sql_text_free(HttpSqlText *t);

/* ------------------------------------------------------------ http_api_util.c */

/* Runs sql; returns its rows (the caller owns them; *notices too when asked), or NULL with
 * the mapped error written to out. */
json_t *http_run_rows(const char *sql, HttpResponse *out, json_t **notices);
void http_bad_request(HttpResponse *out, const char *message, json_t *details); /* 400 */
void http_not_found(HttpResponse *out, const char *what, const char *id);       /* 404 */
void http_method_not_allowed(HttpResponse *out, const char *method);            /* 405 */
/* camelCase → snake_case into buf; a copy of obj with its top-level keys so renamed. */
void http_snake_case(const char *in, char *buf, size_t size);
json_t *http_normalize_keys(json_t *obj);
/* The body as a JSON object with snake_case keys, or NULL with a 400 written. */
json_t *http_parse_body(const HttpRequest *r, HttpResponse *out);
/* Every key of obj must be in allowed (NULL-terminated); else false with a 400 naming it. */
bool http_check_fields(json_t *obj, const char *const *allowed, const char *where,
                       HttpResponse *out);
/* A string / object field: NULL when absent or null; *bad set (400 written) when of another
 * type, or missing (empty) while required.  Does nothing once *bad is set. */
const char *http_str_field(json_t *obj, const char *name, bool required, bool *bad,
                           HttpResponse *out);
json_t *http_obj_field(json_t *obj, const char *name, bool required, bool *bad, HttpResponse *out);
/* The first row of rows (consumed), or NULL. */
json_t *http_first_row(json_t *rows);
/* One row of laminar.<view> whose id or name is id (id wins), or NULL with 404 written. */
json_t *http_lookup(const char *view, const char *columns, const char *what, const char *id,
                    HttpResponse *out);
/* `key = value` options of a request's config (see http_api.c); false with a 400 written. */
bool http_append_option(HttpSqlText *q, bool *first, const char *key, json_t *v, HttpResponse *out);
bool http_append_config(HttpSqlText *q, bool *first, json_t *config, HttpResponse *out);
/* " (col TYPE [NOT NULL], ...)" from schema.fields; false with a 400 written. */
bool http_append_columns(HttpSqlText *q, json_t *schema, HttpResponse *out);
/* The name of a connection profile given by id or name (malloc'd), or NULL with a 400. */
char *http_profile_name(const char *id_or_name, HttpResponse *out);

/* ------------------------------------------------------------ endpoints */

/* http_api_jobs.c: /api/v1/pipelines[/...] and /api/v1/jobs[/...] (seg[0] is the
 * collection). */
void http_api_pipelines(const HttpRequest *r, HttpResponse *out, int nseg, char **seg);
void http_api_jobs(const HttpRequest *r, HttpResponse *out, int nseg, char **seg);

/* http_api.c: /api/v1/...; returns false when no route matches. */
bool http_api_dispatch(const HttpRequest *r, HttpResponse *out);
/* http_ingest.c: POST /ingest/<path> of a webhook source table. */
void http_ingest_handle(const HttpRequest *r, HttpResponse *out);
/* http_schema.c: up to max records of the Kafka topic a schema-test request names (JSON
 * records parsed), statistics (partitions) added to stats; NULL with err filled when the
 * system cannot be read ("Topic 'x' does not exist"). */
json_t *http_kafka_sample(json_t *body, int max, json_t *stats, char *err, size_t errlen);
/* The inferred fields [{name, data_type, nullable, sample_values}] of sample records (JSON
 * values), by connectors/infer.c (the inference of laminar.infer_schema()). */
json_t *http_infer_fields(json_t *samples);
/* http_openapi.c */
const char *http_openapi_document(void);
/* http_metrics.c: the Prometheus text of GET /metrics (malloc'd). */
char *http_metrics_text(void);
/* Counters kept by the listener, read by http_metrics.c. */
void http_count_status(unsigned status);
uint64 http_status_count(unsigned status);
extern _Atomic uint64 http_ingest_requests;
extern _Atomic uint64 http_ingest_bytes;
extern _Atomic uint64 http_ingest_events;

#endif
