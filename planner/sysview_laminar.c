/*
 * sysview_laminar.c: the laminar schema's catalog views of DESIGN.md §4 that
 * exist so far — laminar.connectors, laminar.connection_profiles,
 * laminar.connection_tables — and laminar.secrets (names only).
 *
 * JSON columns use the REST API's shapes (seed 000): a table's schema is
 * {"fields": [{"name", "data_type", "nullable"}]} with Laminar's type names,
 * config is the options object with secrets redacted (options_json():
 * sensitive literals as "********", secret references as {"secret": name}).
 * A secret's value is never read here.  The pipeline and job views come with
 * the streaming runtime.
 */
#include "connectors/connector.h"
#include "connectors/options_json.h"
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

#define LAMINAR_VIEW(var, name_, oid_, desc_)                                                      \
    SV_VIEW(v_##var, "laminar", name_, oid_, cols_##var, fill_##var, desc_)
LAMINAR_VIEW(connectors, "connectors", 12200,
             "connectors: what each can be (source, sink), its formats and options");
LAMINAR_VIEW(connection_profiles, "connection_profiles", 12201,
             "connection profiles (secrets redacted)");
LAMINAR_VIEW(connection_tables, "connection_tables", 12202,
             "source and sink tables with their schema and config (secrets redacted)");
LAMINAR_VIEW(secrets, "secrets", 12203, "secrets (names only: values are never shown)");

const SystemView *const sysviews_laminar[] = {&v_connectors, &v_connection_profiles,
                                              &v_connection_tables, &v_secrets};
const int nsysviews_laminar = (int)LM_ARRAY_LEN(sysviews_laminar);
