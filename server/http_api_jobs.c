/*
 * http_api_jobs.c: /api/v1/pipelines and /api/v1/jobs (seed 001).  A pipeline is created
 * from {name, query, parallelism, checkpoint_interval, ...} as CREATE PIPELINE ... AS <query>;
 * start, stop and delete are START/STOP/DROP PIPELINE; jobs and their metrics, errors, output
 * and checkpoints are read from the laminar.* views.  All through the SQL layer
 * (http_sql_run), like every REST call.
 */
#include "server/http_int.h"
#include "common/arena.h"
#include "common/error.h"
#include "parser/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ pipelines and jobs */

#define PIPELINE_COLUMNS                                                                           \
    "id, name, query, parallelism, checkpoint_interval, state, job_id, emit, late_data, "          \
    "memory_limit, failure_message, created_at, updated_at"
#define JOB_COLUMNS                                                                                \
    "id, pipeline_id, pipeline_name, state, parallelism, started_at, finished_at, restarts, "      \
    "records_in, records_out, errors, last_checkpoint_id, last_checkpoint_at, failure_message"

/* Statements in text (0 when it does not parse: the SQL layer then reports the error with its
 * position).  A pipeline's query is placed into statement text as given, so a query holding
 * "; another statement" must not run a second statement. */
static int statement_count(const char *text)
{
    Arena *a = arena_create("http parse", NULL);
    volatile int n = 0;
    LM_TRY();
    {
        n = parser_parse(a, text)->count;
    }
    LM_CATCH();
    {
        error_clear();
    }
    LM_END_TRY();
    arena_destroy(a);
    return n;
}

static void pipelines_create(const HttpRequest *r, HttpResponse *out)
{
    static const char *const allowed[] = {
        "name",         "query",       "parallelism", "checkpoint_interval", "emit", "late_data",
        "memory_limit", "description", NULL};
    json_t *body = http_parse_body(r, out);
    if (body == NULL)
        return;
    bool bad = !http_check_fields(body, allowed, "pipeline", out);
    const char *name = http_str_field(body, "name", true, &bad, out);
    const char *query = http_str_field(body, "query", true, &bad, out);
    json_t *par = json_object_get(body, "parallelism");
    if (!bad && par && !json_is_null(par) && !json_is_integer(par)) {
        http_bad_request(out, "field \"parallelism\" must be an integer",
                         json_pack("{s:s,s:s}", "field", "parallelism", "expected", "integer"));
        bad = true;
    }
    json_t *ci = json_object_get(body, "checkpoint_interval");
    if (!bad && ci && !json_is_null(ci) && !json_is_string(ci) && !json_is_integer(ci)) {
        http_bad_request(out, "field \"checkpoint_interval\" must be a duration string",
                         json_pack("{s:s,s:s}", "field", "checkpoint_interval", "expected",
                                   "string such as \"10 seconds\""));
        bad = true;
    }
    http_str_field(body, "emit", false, &bad, out);
    http_str_field(body, "late_data", false, &bad, out);
    http_str_field(body, "memory_limit", false, &bad, out);
    http_str_field(body, "description", false, &bad, out);
    if (bad) {
        json_decref(body);
        return;
    }
    HttpSqlText q = {0};
    http_sql_append(&q, "CREATE PIPELINE ");
    http_sql_ident(&q, name);
    bool first = true;
    const char *opts[] = {"parallelism", "checkpoint_interval", "emit", "late_data",
                          "memory_limit"};
    for (int i = 0; i < 5; i++) {
        json_t *v = json_object_get(body, opts[i]);
        if (v == NULL || json_is_null(v))
            continue;
        if (first)
            http_sql_append(&q, " WITH (");
        if (json_is_integer(v) && strcmp(opts[i], "checkpoint_interval") == 0) {
            /* a bare number is milliseconds */
            char ms[64];
            snprintf(ms, sizeof ms, "%" JSON_INTEGER_FORMAT "ms", json_integer_value(v));
            http_sql_append(&q, first ? "" : ", ");
            http_sql_append(&q, "checkpoint_interval = ");
            http_sql_literal(&q, ms);
            first = false;
        } else if (!http_append_option(&q, &first, opts[i], v, out)) {
            http_sql_text_free(&q);
            json_decref(body);
            return;
        }
    }
    if (!first)
        http_sql_append(&q, ")");
    http_sql_append(&q, " AS ");
    http_sql_append(&q, query);
    if (statement_count(q.data) > 1) {
        http_sql_text_free(&q);
        json_decref(body);
        http_bad_request(out, "query must be a single INSERT ... SELECT statement",
                         json_pack("{s:s}", "field", "query"));
        return;
    }
    json_t *rows = http_run_rows(q.data, out, NULL);
    http_sql_text_free(&q);
    if (rows) {
        json_decref(rows);
        json_t *row = http_lookup("pipelines", PIPELINE_COLUMNS, "pipeline", name, out);
        if (row)
            http_respond_data(out, 201, row);
    }
    json_decref(body);
}

void http_api_pipelines(const HttpRequest *r, HttpResponse *out, int nseg, char **seg)
{
    const char *m = r->method;
    if (nseg == 1) {
        if (strcmp(m, "GET") == 0) {
            json_t *rows = http_run_rows("SELECT " PIPELINE_COLUMNS
                                         " FROM laminar.pipelines ORDER BY created_at, id",
                                         out, NULL);
            if (rows) {
                json_t *root = json_object();
                json_object_set_new(root, "meta",
                                    json_pack("{s:I}", "total", (json_int_t)json_array_size(rows)));
                json_object_set_new(root, "data", rows);
                http_respond_json(out, 200, root);
            }
        } else if (strcmp(m, "POST") == 0)
            pipelines_create(r, out);
        else
            http_method_not_allowed(out, m);
        return;
    }
    if (nseg > 3) {
        http_error(out, 404, "NOT_FOUND", "no such endpoint", json_pack("{s:s}", "path", r->path));
        return;
    }
    const char *action = nseg == 3 ? seg[2] : NULL;
    if (action && strcmp(action, "start") != 0 && strcmp(action, "stop") != 0 &&
        strcmp(action, "jobs") != 0) {
        http_error(out, 404, "NOT_FOUND", "no such endpoint", json_pack("{s:s}", "path", r->path));
        return;
    }
    json_t *row = http_lookup("pipelines", PIPELINE_COLUMNS, "pipeline", seg[1], out);
    if (row == NULL)
        return;
    const char *name = json_string_value(json_object_get(row, "name"));
    const char *pid = json_string_value(json_object_get(row, "id"));
    HttpSqlText q = {0};
    if (action == NULL && strcmp(m, "GET") == 0) {
        http_respond_data(out, 200, json_incref(row));
    } else if (action == NULL && strcmp(m, "DELETE") == 0) {
        http_sql_append(&q, "DROP PIPELINE ");
        http_sql_ident(&q, name);
        json_t *rows = http_run_rows(q.data, out, NULL);
        if (rows)
            http_respond_data(out, 200,
                              json_pack("{s:s}", "message", "Pipeline deleted successfully"));
        json_decref(rows);
    } else if (action && strcmp(action, "jobs") == 0 && strcmp(m, "GET") == 0) {
        http_sql_append(&q, "SELECT " JOB_COLUMNS " FROM laminar.jobs WHERE pipeline_id = ");
        http_sql_literal(&q, pid);
        http_sql_append(&q, " ORDER BY started_at DESC");
        json_t *rows = http_run_rows(q.data, out, NULL);
        if (rows)
            http_respond_data(out, 200, rows);
    } else if (action && strcmp(action, "start") == 0 && strcmp(m, "POST") == 0) {
        http_sql_append(&q, "START PIPELINE ");
        http_sql_ident(&q, name);
        json_t *rows = http_run_rows(q.data, out, NULL);
        json_t *started = rows ? http_first_row(rows) : NULL;
        if (started) {
            HttpSqlText jq = {0};
            http_sql_append(&jq, "SELECT " JOB_COLUMNS " FROM laminar.jobs WHERE id = ");
            http_sql_literal(&jq, json_string_value(json_object_get(started, "job_id")));
            json_t *jobs = http_run_rows(jq.data, out, NULL);
            http_sql_text_free(&jq);
            json_t *job = jobs ? http_first_row(jobs) : NULL;
            if (job)
                http_respond_data(out, 200, job);
            else if (jobs)
                http_error(out, 500, "INTERNAL_ERROR", "the started job is not listed", NULL);
            json_decref(started);
        } else if (rows != NULL || out->json == NULL)
            http_error(out, 500, "INTERNAL_ERROR", "pipeline started without a job", NULL);
    } else if (action && strcmp(action, "stop") == 0 && strcmp(m, "POST") == 0) {
        http_sql_append(&q, "STOP PIPELINE ");
        http_sql_ident(&q, name);
        json_t *rows = http_run_rows(q.data, out, NULL);
        if (rows) {
            json_decref(rows);
            json_t *p = http_lookup("pipelines", PIPELINE_COLUMNS, "pipeline", pid, out);
            if (p)
                http_respond_data(out, 200, p);
        }
    } else
        http_method_not_allowed(out, m);
    http_sql_text_free(&q);
    json_decref(row);
}

void http_api_jobs(const HttpRequest *r, HttpResponse *out, int nseg, char **seg)
{
    if (strcmp(r->method, "GET") != 0) {
        http_method_not_allowed(out, r->method);
        return;
    }
    if (nseg == 1) {
        json_t *rows = http_run_rows(
            "SELECT " JOB_COLUMNS " FROM laminar.jobs ORDER BY started_at DESC", out, NULL);
        if (rows)
            http_respond_data(out, 200, rows);
        return;
    }
    if (nseg > 3) {
        http_error(out, 404, "NOT_FOUND", "no such endpoint", json_pack("{s:s}", "path", r->path));
        return;
    }
    static const struct {
        const char *action, *sql;
    } views[] = {
        {"metrics", "SELECT operator_id, operator, subtask, records_in, records_out, bytes_in, "
                    "bytes_out, records_per_second, watermark, lag, state_bytes, backpressure, "
                    "updated_at FROM laminar.job_metrics WHERE job_id = %s ORDER BY operator_id, "
                    "subtask"},
        {"errors", "SELECT at, operator, code, message, details, sample FROM laminar.job_errors "
                   "WHERE job_id = %s ORDER BY at DESC LIMIT 1000"},
        {"output", "SELECT at, row FROM laminar.job_output WHERE job_id = %s ORDER BY at"},
        {"checkpoints", "SELECT checkpoint_id, state, started_at, completed_at, bytes, duration_ms "
                        "FROM laminar.checkpoints WHERE job_id = %s ORDER BY checkpoint_id DESC "
                        "LIMIT 1000"},
    };
    int which = -1;
    if (nseg == 3) {
        for (int i = 0; i < 4; i++)
            if (strcmp(seg[2], views[i].action) == 0)
                which = i;
        if (which < 0) {
            http_error(out, 404, "NOT_FOUND", "no such endpoint",
                       json_pack("{s:s}", "path", r->path));
            return;
        }
    }
    HttpSqlText q = {0};
    http_sql_append(&q, "SELECT " JOB_COLUMNS " FROM laminar.jobs WHERE id = ");
    http_sql_literal(&q, seg[1]);
    json_t *rows = http_run_rows(q.data, out, NULL);
    http_sql_text_free(&q);
    if (rows == NULL)
        return;
    json_t *job = http_first_row(rows);
    if (job == NULL) {
        http_not_found(out, "job", seg[1]);
        return;
    }
    if (which < 0) {
        http_respond_data(out, 200, job);
        return;
    }
    json_decref(job);
    HttpSqlText lit = {0};
    http_sql_literal(&lit, seg[1]);
    http_sql_appendf(&q, views[which].sql, lit.data);
    http_sql_text_free(&lit);
    rows = http_run_rows(q.data, out, NULL);
    http_sql_text_free(&q);
    if (rows)
        http_respond_data(out, 200, rows);
}
