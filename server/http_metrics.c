/*
 * http_metrics.c: GET /metrics in the Prometheus text format (0.0.4).
 *
 * Job and operator figures are read through the same catalog views SQL
 * sees (laminar.jobs, laminar.job_metrics, laminar.checkpoints) in an
 * internal session; server figures come from the wire layer
 * (pgwire_session_count) and the HTTP listener's counters.  A scrape costs a
 * few view scans; nothing is kept between scrapes.
 */
#include "server/http_int.h"
#include "server/pgwire.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Label values escaped as the format asks (backslash, quote, newline). */
static void label(HttpSqlText *t, const char *v)
{
    for (const char *p = v ? v : ""; *p; p++) {
        if (*p == '\\')
            http_sql_append(t, "\\\\");
        else if (*p == '"')
            http_sql_append(t, "\\\"");
        else if (*p == '\n')
            http_sql_append(t, "\\n");
        else {
            char c[2] = {*p, 0};
            http_sql_append(t, c);
        }
    }
}

static double num(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    return json_is_number(v) ? json_number_value(v) : 0;
}

static void header(HttpSqlText *t, const char *name, const char *type, const char *help)
{
    http_sql_appendf(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static json_t *query(const char *sql)
{
    HttpSqlResult res;
    http_sql_run(sql, &res);
    json_t *rows = res.ok ? json_incref(res.rows) : json_array();
    http_sql_result_free(&res);
    return rows;
}

static void job_metrics(HttpSqlText *t)
{
    json_t *jobs = query("SELECT id, pipeline_name, state, records_in, records_out, errors, "
                         "restarts FROM laminar.jobs");
    static const struct {
        const char *col, *name, *type, *help;
    } jcols[] = {
        {"records_in", "laminar_job_records_in_total", "counter", "records read by the job"},
        {"records_out", "laminar_job_records_out_total", "counter", "records written by the job"},
        {"errors", "laminar_job_errors_total", "counter", "bad records and runtime errors"},
        {"restarts", "laminar_job_restarts_total", "counter", "restarts after failures"},
    };
    for (int k = 0; k < 4; k++) {
        header(t, jcols[k].name, jcols[k].type, jcols[k].help);
        size_t i;
        json_t *row;
        json_array_foreach(jobs, i, row)
        {
            http_sql_appendf(t, "%s{job=\"", jcols[k].name);
            label(t, json_string_value(json_object_get(row, "id")));
            http_sql_append(t, "\",pipeline=\"");
            label(t, json_string_value(json_object_get(row, "pipeline_name")));
            http_sql_appendf(t, "\"} %.0f\n", num(row, jcols[k].col));
        }
    }
    header(t, "laminar_job_running", "gauge", "1 while the job runs");
    size_t i;
    json_t *row;
    json_array_foreach(jobs, i, row)
    {
        const char *st = json_string_value(json_object_get(row, "state"));
        http_sql_append(t, "laminar_job_running{job=\"");
        label(t, json_string_value(json_object_get(row, "id")));
        http_sql_appendf(t, "\",state=\"");
        label(t, st);
        http_sql_appendf(t, "\"} %d\n", st && strcmp(st, "running") == 0);
    }
    json_decref(jobs);

    json_t *ops = query("SELECT job_id, operator_id, operator, subtask, records_in, records_out, "
                        "bytes_in, bytes_out, lag, state_bytes, backpressure FROM "
                        "laminar.job_metrics");
    static const struct {
        const char *col, *name, *type, *help;
    } ocols[] = {
        {"records_in", "laminar_operator_records_in_total", "counter", "records into the operator"},
        {"records_out", "laminar_operator_records_out_total", "counter",
         "records out of the operator"},
        {"bytes_in", "laminar_operator_bytes_in_total", "counter", "bytes into the operator"},
        {"bytes_out", "laminar_operator_bytes_out_total", "counter", "bytes out of the operator"},
        {"lag", "laminar_operator_watermark_lag_ms", "gauge",
         "wall clock minus the operator's watermark, milliseconds"},
        {"state_bytes", "laminar_operator_state_bytes", "gauge", "bytes of operator state"},
        {"backpressure", "laminar_operator_backpressure_ratio", "gauge",
         "share of time blocked on downstream"},
    };
    for (int k = 0; k < 7; k++) {
        header(t, ocols[k].name, ocols[k].type, ocols[k].help);
        json_array_foreach(ops, i, row)
        {
            http_sql_appendf(t, "%s{job=\"", ocols[k].name);
            label(t, json_string_value(json_object_get(row, "job_id")));
            http_sql_appendf(t, "\",operator_id=\"%.0f\",operator=\"", num(row, "operator_id"));
            label(t, json_string_value(json_object_get(row, "operator")));
            http_sql_appendf(t, "\",subtask=\"%.0f\"} %.17g\n", num(row, "subtask"),
                             num(row, ocols[k].col));
        }
    }
    json_decref(ops);

    json_t *cps = query("SELECT job_id, max(duration_ms) AS max_ms, sum(duration_ms) AS sum_ms, "
                        "count(*) AS n, max(checkpoint_id) AS last_id FROM laminar.checkpoints "
                        "GROUP BY job_id");
    header(t, "laminar_checkpoint_duration_ms", "summary", "checkpoint durations, milliseconds");
    json_array_foreach(cps, i, row)
    {
        const char *job = json_string_value(json_object_get(row, "job_id"));
        http_sql_append(t, "laminar_checkpoint_duration_ms_sum{job=\"");
        label(t, job);
        http_sql_appendf(t, "\"} %.0f\n", num(row, "sum_ms"));
        http_sql_append(t, "laminar_checkpoint_duration_ms_count{job=\"");
        label(t, job);
        http_sql_appendf(t, "\"} %.0f\n", num(row, "n"));
    }
    header(t, "laminar_checkpoint_duration_ms_max", "gauge", "longest checkpoint, milliseconds");
    json_array_foreach(cps, i, row)
    {
        http_sql_append(t, "laminar_checkpoint_duration_ms_max{job=\"");
        label(t, json_string_value(json_object_get(row, "job_id")));
        http_sql_appendf(t, "\"} %.0f\n", num(row, "max_ms"));
    }
    json_decref(cps);
}

char *http_metrics_text(void)
{
    HttpSqlText t = {0};
    http_sql_append(&t, "");
    job_metrics(&t);
    header(&t, "laminar_sessions", "gauge", "open PostgreSQL-protocol sessions");
    http_sql_appendf(&t, "laminar_sessions %d\n", pgwire_session_count());
    header(&t, "laminar_ingest_requests_total", "counter", "webhook ingestion requests accepted");
    http_sql_appendf(&t, "laminar_ingest_requests_total %llu\n",
                     (unsigned long long)http_ingest_requests);
    header(&t, "laminar_ingest_bytes_total", "counter", "webhook request body bytes accepted");
    http_sql_appendf(&t, "laminar_ingest_bytes_total %llu\n",
                     (unsigned long long)http_ingest_bytes);
    header(&t, "laminar_ingest_events_total", "counter", "webhook events accepted");
    http_sql_appendf(&t, "laminar_ingest_events_total %llu\n",
                     (unsigned long long)http_ingest_events);
    header(&t, "laminar_http_responses_total", "counter", "HTTP responses by status code");
    for (unsigned s = 100; s < 600; s++) {
        uint64 n = http_status_count(s);
        if (n)
            http_sql_appendf(&t, "laminar_http_responses_total{code=\"%u\"} %llu\n", s,
                             (unsigned long long)n);
    }
    return t.data; /* ownership passes to the caller */
}
