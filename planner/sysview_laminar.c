/*
 * sysview_laminar.c: the laminar schema's catalog views of DESIGN.md §4 that
 * exist so far — laminar.connectors, laminar.connection_profiles,
 * laminar.connection_tables — and laminar.secrets (names only).
 *
 * JSON columns use the REST API's shapes (seed 000): a table's schema is
 * {"fields": [{"name", "data_type", "nullable"}]} with Laminar's type names,
 * config is the options object with secrets redacted (options_json():
 * sensitive literals as "********", secret references as {"secret": name}).
 * A secret's value is never read here.
 *
 * Pipelines and jobs: laminar.pipelines (as the session sees them),
 * laminar.jobs (records with running jobs' counters brought up to date by
 * the job manager), laminar.job_metrics and laminar.job_output (from the
 * running jobs' runtime handles: a job that is not running has none),
 * laminar.job_errors and laminar.checkpoints (the runtime's persistent
 * records, for every job).  All of it comes through SessionServices
 * (list_pipelines, list_jobs, job_metrics, job_output, job_errors,
 * job_checkpoints), which the server fills in: the job manager lives above
 * the planner, and the views do not call the runtime themselves (so a
 * program using the views does not link the runtime).  Without a session
 * (unit tests) they list the committed catalog's pipelines and jobs and no
 * runtime data.
 */
#include "connectors/connector.h"
#include "connectors/options_json.h"
#include "executor/stream.h"
#include "planner/sysview_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

enum { CONN_NAME, CONN_KINDS, CONN_FORMATS, CONN_DESCRIPTION, CONN_OPTIONS };
static const RelColumn cols_connectors[] = {
    {"name", &svt_text},        {"kinds", &svt_text},   {"formats", &svt_text},
    {"description", &svt_text}, {"options", &svt_json},
};

enum { PROF_ID, PROF_NAME, PROF_CONNECTOR, PROF_CONFIG, PROF_CREATED_AT, PROF_UPDATED_AT };
static const RelColumn cols_connection_profiles[] = {
    {"id", &svt_text},
    {"name", &svt_text},
    {"connector", &svt_text},
    {"config", &svt_json},
    {"created_at", &svt_timestamptz},
    {"updated_at", &svt_timestamptz},
};

enum {
    TBL_ID,
    TBL_NAME,
    TBL_CONNECTOR,
    TBL_CONNECTION_PROFILE_ID,
    TBL_TABLE_TYPE,
    TBL_SCHEMA,
    TBL_CONFIG,
    TBL_EVENT_TIME_FIELD,
    TBL_WATERMARK_DELAY,
    TBL_CREATED_AT,
    TBL_UPDATED_AT,
};
static const RelColumn cols_connection_tables[] = {
    {"id", &svt_text},
    {"name", &svt_text},
    {"connector", &svt_text},
    {"connection_profile_id", &svt_text},
    {"table_type", &svt_text},
    {"schema", &svt_json},
    {"config", &svt_json},
    {"event_time_field", &svt_text},
    {"watermark_delay", &svt_text},
    {"created_at", &svt_timestamptz},
    {"updated_at", &svt_timestamptz},
};

enum { SEC_NAME, SEC_CREATED_AT, SEC_UPDATED_AT };
static const RelColumn cols_secrets[] = {
    {"name", &svt_text},
    {"created_at", &svt_timestamptz},
    {"updated_at", &svt_timestamptz},
};

enum {
    PL_ID,
    PL_NAME,
    PL_QUERY,
    PL_PARALLELISM,
    PL_CHECKPOINT_INTERVAL,
    PL_STATE,
    PL_CREATED_AT,
    PL_UPDATED_AT,
    PL_JOB_ID,
    PL_EMIT,
    PL_LATE_DATA,
    PL_MEMORY_LIMIT,
    PL_FAILURE_MESSAGE,
};
static const RelColumn cols_pipelines[] = {
    {"id", &svt_text},
    {"name", &svt_text},
    {"query", &svt_text},
    {"parallelism", &svt_int4},
    {"checkpoint_interval", &svt_text},
    {"state", &svt_text},
    {"created_at", &svt_timestamptz},
    {"updated_at", &svt_timestamptz},
    {"job_id", &svt_text},
    {"emit", &svt_text},
    {"late_data", &svt_text},
    {"memory_limit", &svt_text},
    {"failure_message", &svt_text},
};

enum {
    JOB_ID,
    JOB_PIPELINE_ID,
    JOB_PIPELINE_NAME,
    JOB_STATE,
    JOB_STARTED_AT,
    JOB_FINISHED_AT,
    JOB_RESTARTS,
    JOB_RECORDS_IN,
    JOB_RECORDS_OUT,
    JOB_ERRORS,
    JOB_LAST_CHECKPOINT_ID,
    JOB_LAST_CHECKPOINT_AT,
    JOB_FAILURE_MESSAGE,
    JOB_PARALLELISM,
};
static const RelColumn cols_jobs[] = {
    {"id", &svt_text},
    {"pipeline_id", &svt_text},
    {"pipeline_name", &svt_text},
    {"state", &svt_text},
    {"started_at", &svt_timestamptz},
    {"finished_at", &svt_timestamptz},
    {"restarts", &svt_int4},
    {"records_in", &svt_int8},
    {"records_out", &svt_int8},
    {"errors", &svt_int8},
    {"last_checkpoint_id", &svt_int8},
    {"last_checkpoint_at", &svt_timestamptz},
    {"failure_message", &svt_text},
    {"parallelism", &svt_int4},
};

enum {
    JM_JOB_ID,
    JM_OPERATOR_ID,
    JM_OPERATOR,
    JM_SUBTASK,
    JM_RECORDS_IN,
    JM_RECORDS_OUT,
    JM_BYTES_IN,
    JM_BYTES_OUT,
    JM_RECORDS_PER_SECOND,
    JM_WATERMARK,
    JM_LAG,
    JM_STATE_BYTES,
    JM_BACKPRESSURE,
    JM_UPDATED_AT,
};
static const RelColumn cols_job_metrics[] = {
    {"job_id", &svt_text},
    {"operator_id", &svt_int4},
    {"operator", &svt_text},
    {"subtask", &svt_int4},
    {"records_in", &svt_int8},
    {"records_out", &svt_int8},
    {"bytes_in", &svt_int8},
    {"bytes_out", &svt_int8},
    {"records_per_second", &svt_float8},
    {"watermark", &svt_timestamptz},
    {"lag", &svt_int8},
    {"state_bytes", &svt_int8},
    {"backpressure", &svt_float8},
    {"updated_at", &svt_timestamptz},
};

enum { JE_JOB_ID, JE_AT, JE_OPERATOR, JE_CODE, JE_MESSAGE, JE_DETAILS, JE_SAMPLE };
static const RelColumn cols_job_errors[] = {
    {"job_id", &svt_text},  {"at", &svt_timestamptz}, {"operator", &svt_text}, {"code", &svt_text},
    {"message", &svt_text}, {"details", &svt_json},   {"sample", &svt_text},
};

enum { JO_JOB_ID, JO_AT, JO_ROW };
static const RelColumn cols_job_output[] = {
    {"job_id", &svt_text},
    {"at", &svt_timestamptz},
    {"row", &svt_json},
};

enum {
    CP_JOB_ID,
    CP_CHECKPOINT_ID,
    CP_STATE,
    CP_STARTED_AT,
    CP_COMPLETED_AT,
    CP_BYTES,
    CP_DURATION_MS
};
static const RelColumn cols_checkpoints[] = {
    {"job_id", &svt_text},
    {"checkpoint_id", &svt_int8},
    {"state", &svt_text},
    {"started_at", &svt_timestamptz},
    {"completed_at", &svt_timestamptz},
    {"bytes", &svt_int8},
    {"duration_ms", &svt_int8},
};

static void fill_connectors(ExecContext *ctx, RowSet *rs)
{
    int n;
    const Connector *const *list = connector_list(&n);
    for (int i = 0; i < n; i++) {
        const Connector *c = list[i];
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, CONN_NAME, c->name);
        sv_text(&r, CONN_KINDS,
                c->can_source && c->can_sink ? "source, sink"
                : c->can_source              ? "source"
                                             : "sink");
        StrBuf b;
        strbuf_init(&b, ctx->arena);
        for (int k = 0; c->formats && c->formats[k]; k++)
            strbuf_printf(&b, "%s%s", k ? ", " : "", c->formats[k]);
        sv_text(&r, CONN_FORMATS, c->formats ? b.data : NULL);
        sv_text(&r, CONN_DESCRIPTION, c->description);
        StrBuf o;
        strbuf_init(&o, ctx->arena);
        connector_options_json(c, &o);
        sv_text(&r, CONN_OPTIONS, o.data);
    }
}

static void fill_connection_profiles(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatProfile *profiles = sv_profiles(ctx, &n);
    for (int i = 0; i < n; i++) {
        const CatProfile *p = &profiles[i];
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, PROF_ID, p->id);
        sv_text(&r, PROF_NAME, p->name);
        sv_text(&r, PROF_CONNECTOR, p->connector);
        sv_text(&r, PROF_CONFIG, options_json(ctx->arena, p->connector, p->options, p->noptions));
        sv_int(&r, PROF_CREATED_AT, p->created_at);
        sv_int(&r, PROF_UPDATED_AT, p->updated_at);
    }
}

/* {"fields": [{"name": ..., "data_type": "BIGINT", "nullable": true}, ...]} */
static const char *schema_json(Arena *a, const CatTable *t)
{
    json_t *fields = json_array();
    for (int i = 0; i < t->ncolumns; i++)
        json_array_append_new(fields, json_pack("{s:s, s:s, s:b}", "name", t->columns[i].name,
                                                "data_type", type_name(a, t->columns[i].type),
                                                "nullable", !t->columns[i].not_null));
    json_t *obj = json_pack("{s:o}", "fields", fields);
    char *txt = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    const char *out = arena_strdup(a, txt ? txt : "{}");
    free(txt);
    json_decref(obj);
    return out;
}

static void fill_connection_tables(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatTable *tables = sv_tables(ctx, &n);
    for (int i = 0; i < n; i++) {
        const CatTable *t = &tables[i];
        if (t->kind == CAT_TABLE_PLAIN)
            continue;
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, TBL_ID, t->id);
        sv_text(&r, TBL_NAME, t->name);
        sv_text(&r, TBL_CONNECTOR, t->connector);
        sv_text(&r, TBL_CONNECTION_PROFILE_ID, t->profile_id);
        sv_text(&r, TBL_TABLE_TYPE, t->kind == CAT_TABLE_SOURCE ? "source" : "sink");
        sv_text(&r, TBL_SCHEMA, schema_json(ctx->arena, t));
        sv_text(&r, TBL_CONFIG, options_json(ctx->arena, t->connector, t->options, t->noptions));
        sv_text(&r, TBL_EVENT_TIME_FIELD, t->event_time_field);
        sv_text(&r, TBL_WATERMARK_DELAY, t->watermark_delay);
        sv_int(&r, TBL_CREATED_AT, t->created_at);
        sv_int(&r, TBL_UPDATED_AT, t->updated_at);
    }
}

static void fill_secrets(ExecContext *ctx, RowSet *rs)
{
    int n;
    const SessionServices *svc = ctx->svc;
    CatSecret *secrets = svc && svc->list_secrets ? svc->list_secrets(svc->session, ctx->arena, &n)
                                                  : catalog_list_secrets(ctx->arena, &n);
    for (int i = 0; i < n; i++) {
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, SEC_NAME, secrets[i].name);
        sv_int(&r, SEC_CREATED_AT, secrets[i].created_at);
        sv_int(&r, SEC_UPDATED_AT, secrets[i].updated_at);
    }
}

/* ---- pipelines and jobs ---- */

static CatJob *sv_jobs(ExecContext *ctx, int *n)
{
    const SessionServices *svc = ctx->svc;
    return svc && svc->list_jobs ? svc->list_jobs(svc->session, ctx->arena, n)
                                 : catalog_list_jobs(ctx->arena, n);
}

/* timestamps: 0 (none) is NULL */
static void sv_time(SvRow *r, int col, int64 t)
{
    if (t != 0)
        sv_int(r, col, t);
}

static void fill_pipelines(ExecContext *ctx, RowSet *rs)
{
    int n;
    const SessionServices *svc = ctx->svc;
    CatPipeline *ps = svc && svc->list_pipelines ? svc->list_pipelines(svc->session, ctx->arena, &n)
                                                 : catalog_list_pipelines(ctx->arena, &n);
    for (int i = 0; i < n; i++) {
        const CatPipeline *p = &ps[i];
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, PL_ID, p->id);
        sv_text(&r, PL_NAME, p->name);
        sv_text(&r, PL_QUERY, p->query);
        sv_int(&r, PL_PARALLELISM, p->parallelism);
        sv_text(&r, PL_CHECKPOINT_INTERVAL, p->checkpoint_interval);
        sv_text(&r, PL_STATE, catalog_pipeline_state_name(p->state));
        sv_time(&r, PL_CREATED_AT, p->created_at);
        sv_time(&r, PL_UPDATED_AT, p->updated_at);
        sv_text(&r, PL_JOB_ID, p->job_id);
        sv_text(&r, PL_EMIT, p->emit);
        sv_text(&r, PL_LATE_DATA, p->late_data);
        sv_text(&r, PL_MEMORY_LIMIT, p->memory_limit_text);
        sv_text(&r, PL_FAILURE_MESSAGE, p->failure_message);
    }
}

static void fill_jobs(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatJob *jobs = sv_jobs(ctx, &n);
    for (int i = 0; i < n; i++) {
        const CatJob *j = &jobs[i];
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, JOB_ID, j->id);
        sv_text(&r, JOB_PIPELINE_ID, j->pipeline_id);
        sv_text(&r, JOB_PIPELINE_NAME, j->pipeline_name);
        sv_text(&r, JOB_STATE, catalog_job_state_name(j->state));
        sv_time(&r, JOB_STARTED_AT, j->started_at);
        sv_time(&r, JOB_FINISHED_AT, j->finished_at);
        sv_int(&r, JOB_RESTARTS, j->restarts);
        sv_int(&r, JOB_RECORDS_IN, j->records_in);
        sv_int(&r, JOB_RECORDS_OUT, j->records_out);
        sv_int(&r, JOB_ERRORS, j->errors);
        if (j->last_checkpoint_id > 0) {
            sv_int(&r, JOB_LAST_CHECKPOINT_ID, j->last_checkpoint_id);
            sv_time(&r, JOB_LAST_CHECKPOINT_AT, j->last_checkpoint_at);
        }
        sv_text(&r, JOB_FAILURE_MESSAGE, j->failure_message);
        if (j->parallelism > 0)
            sv_int(&r, JOB_PARALLELISM, j->parallelism);
    }
}

static void fill_job_metrics(ExecContext *ctx, RowSet *rs)
{
    const SessionServices *svc = ctx->svc;
    const char **ids = NULL;
    OperatorMetrics *m = NULL;
    int n = svc && svc->job_metrics ? svc->job_metrics(svc->session, ctx->arena, &ids, &m) : 0;
    for (int i = 0; i < n; i++) {
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, JM_JOB_ID, ids[i]);
        sv_int(&r, JM_OPERATOR_ID, m[i].operator_id);
        sv_text(&r, JM_OPERATOR, m[i].operator);
        sv_int(&r, JM_SUBTASK, m[i].subtask);
        sv_int(&r, JM_RECORDS_IN, m[i].records_in);
        sv_int(&r, JM_RECORDS_OUT, m[i].records_out);
        sv_int(&r, JM_BYTES_IN, m[i].bytes_in);
        sv_int(&r, JM_BYTES_OUT, m[i].bytes_out);
        sv_float(&r, JM_RECORDS_PER_SECOND, m[i].records_per_second);
        if (m[i].watermark != INT64_MIN)
            sv_int(&r, JM_WATERMARK, m[i].watermark);
        if (m[i].lag >= 0)
            sv_int(&r, JM_LAG, m[i].lag);
        sv_int(&r, JM_STATE_BYTES, m[i].state_bytes);
        sv_float(&r, JM_BACKPRESSURE, m[i].backpressure);
        sv_time(&r, JM_UPDATED_AT, m[i].updated_at);
    }
}

static void fill_job_output(ExecContext *ctx, RowSet *rs)
{
    const SessionServices *svc = ctx->svc;
    const char **ids = NULL;
    JobOutputRecord *out = NULL;
    int n = svc && svc->job_output ? svc->job_output(svc->session, ctx->arena, &ids, &out) : 0;
    for (int i = 0; i < n; i++) {
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, JO_JOB_ID, ids[i]);
        sv_time(&r, JO_AT, out[i].at);
        sv_text(&r, JO_ROW, out[i].row_json);
    }
}

static void fill_job_errors(ExecContext *ctx, RowSet *rs)
{
    const SessionServices *svc = ctx->svc;
    if (svc == NULL || svc->job_errors == NULL)
        return;
    int n;
    CatJob *jobs = sv_jobs(ctx, &n);
    for (int i = 0; i < n; i++) {
        JobErrorRecord *e = NULL;
        int ne = svc->job_errors(svc->session, ctx->arena, jobs[i].id, &e);
        for (int k = 0; k < ne; k++) {
            SvRow r = sv_add_null_row(rs);
            sv_text(&r, JE_JOB_ID, jobs[i].id);
            sv_time(&r, JE_AT, e[k].at);
            sv_text(&r, JE_OPERATOR, e[k].operator);
            sv_text(&r, JE_CODE, e[k].code);
            sv_text(&r, JE_MESSAGE, e[k].message);
            sv_text(&r, JE_DETAILS, e[k].details_json);
            sv_text(&r, JE_SAMPLE, e[k].sample);
        }
    }
}

static void fill_checkpoints(ExecContext *ctx, RowSet *rs)
{
    const SessionServices *svc = ctx->svc;
    if (svc == NULL || svc->job_checkpoints == NULL)
        return;
    int n;
    CatJob *jobs = sv_jobs(ctx, &n);
    for (int i = 0; i < n; i++) {
        CheckpointRecord *c = NULL;
        int nc = svc->job_checkpoints(svc->session, ctx->arena, jobs[i].id, &c);
        for (int k = 0; k < nc; k++) {
            SvRow r = sv_add_null_row(rs);
            sv_text(&r, CP_JOB_ID, jobs[i].id);
            sv_int(&r, CP_CHECKPOINT_ID, c[k].checkpoint_id);
            sv_text(&r, CP_STATE, c[k].state);
            sv_time(&r, CP_STARTED_AT, c[k].started_at);
            sv_time(&r, CP_COMPLETED_AT, c[k].completed_at);
            sv_int(&r, CP_BYTES, c[k].bytes);
            sv_int(&r, CP_DURATION_MS, c[k].duration_ms);
        }
    }
}

#define LAMINAR_VIEW(var, name_, oid_, desc_)                                                      \
    SV_VIEW(v_##var, "laminar", name_, oid_, cols_##var, fill_##var, desc_)
LAMINAR_VIEW(connectors, "connectors", 12200,
             "connectors: what each can be (source, sink), its formats and options");
LAMINAR_VIEW(connection_profiles, "connection_profiles", 12201,
             "connection profiles (secrets redacted)");
LAMINAR_VIEW(connection_tables, "connection_tables", 12202,
             "source and sink tables with their schema and config (secrets redacted)");
LAMINAR_VIEW(secrets, "secrets", 12203, "secrets (names only: values are never shown)");
LAMINAR_VIEW(pipelines, "pipelines", 12204, "pipelines: query, options and state");
LAMINAR_VIEW(jobs, "jobs", 12205, "jobs (runs of pipelines): state, counters, last checkpoint");
LAMINAR_VIEW(job_metrics, "job_metrics", 12206, "per operator and subtask metrics of running jobs");
LAMINAR_VIEW(job_errors, "job_errors", 12207, "bad records and runtime problems of jobs");
LAMINAR_VIEW(job_output, "job_output", 12208, "the last rows each running job wrote");
LAMINAR_VIEW(checkpoints, "checkpoints", 12209, "checkpoints of jobs");

const SystemView *const sysviews_laminar[] = {
    &v_connectors, &v_connection_profiles, &v_connection_tables, &v_secrets,    &v_pipelines,
    &v_jobs,       &v_job_metrics,         &v_job_errors,        &v_job_output, &v_checkpoints};
const int nsysviews_laminar = (int)LM_ARRAY_LEN(sysviews_laminar);
