/*
 * show.c: SHOW CONNECTION PROFILES | SOURCE TABLES | SINK TABLES |
 * CONNECTORS | SECRETS | PIPELINES | JOBS, and SHOW CREATE.
 *
 * SHOW PIPELINES lists pipelines as the session sees them; SHOW JOBS every
 * job with the live counters of running ones (jobs.c).
 *
 * SHOW CREATE prints a statement that, run on an empty server (after the
 * profiles and secrets it references exist), recreates the object.  Secret
 * values never appear: options that reference a secret print as SECRET
 * name, and sensitive options given as literals print redacted.
 */
#include "server/show.h"
#include "connectors/connector.h"
#include "connectors/options_json.h"
#include "server/catalog_txn.h"
#include "server/jobs.h"
#include "server/pipelines.h"

#include <stdio.h>
#include <stdlib.h>

#define REDACTED OPTIONS_REDACTED

static ResultSet *list_shape(Arena *a, ObjectKind what)
{
    ResultSet *rs;
    switch (what) {
    case OBJ_PROFILE:
        rs = result_create(a, 6);
        result_column(rs, 0, "id", type_string());
        result_column(rs, 1, "name", type_string());
        result_column(rs, 2, "connector", type_string());
        result_column(rs, 3, "config", type_json());
        result_column(rs, 4, "created_at", type_timestamptz());
        result_column(rs, 5, "updated_at", type_timestamptz());
        return rs;
    case OBJ_SOURCE_TABLE:
    case OBJ_SINK_TABLE:
        rs = result_create(a, 9);
        result_column(rs, 0, "id", type_string());
        result_column(rs, 1, "name", type_string());
        result_column(rs, 2, "connector", type_string());
        result_column(rs, 3, "profile", type_string());
        result_column(rs, 4, "config", type_json());
        result_column(rs, 5, "event_time_field", type_string());
        result_column(rs, 6, "watermark_delay", type_string());
        result_column(rs, 7, "created_at", type_timestamptz());
        result_column(rs, 8, "updated_at", type_timestamptz());
        return rs;
    case OBJ_CONNECTOR:
        rs = result_create(a, 4);
        result_column(rs, 0, "name", type_string());
        result_column(rs, 1, "kinds", type_string());
        result_column(rs, 2, "formats", type_string());
        result_column(rs, 3, "description", type_string());
        return rs;
    case OBJ_SECRET:
        rs = result_create(a, 3);
        result_column(rs, 0, "name", type_string());
        result_column(rs, 1, "created_at", type_timestamptz());
        result_column(rs, 2, "updated_at", type_timestamptz());
        return rs;
    case OBJ_PIPELINE:
        rs = result_create(a, 8);
        result_column(rs, 0, "id", type_string());
        result_column(rs, 1, "name", type_string());
        result_column(rs, 2, "state", type_string());
        result_column(rs, 3, "parallelism", type_int32());
        result_column(rs, 4, "checkpoint_interval", type_string());
        result_column(rs, 5, "job_id", type_string());
        result_column(rs, 6, "created_at", type_timestamptz());
        result_column(rs, 7, "updated_at", type_timestamptz());
        return rs;
    case OBJ_JOB:
        rs = result_create(a, 10);
        result_column(rs, 0, "id", type_string());
        result_column(rs, 1, "pipeline_name", type_string());
        result_column(rs, 2, "state", type_string());
        result_column(rs, 3, "started_at", type_timestamptz());
        result_column(rs, 4, "finished_at", type_timestamptz());
        result_column(rs, 5, "restarts", type_int32());
        result_column(rs, 6, "records_in", type_int64());
        result_column(rs, 7, "records_out", type_int64());
        result_column(rs, 8, "errors", type_int64());
        result_column(rs, 9, "failure_message", type_string());
        return rs;
    default:
        elog(ERROR, "unrecognized SHOW object kind %d", (int)what);
    }
    return NULL;
}

ResultSet *show_result_shape(Arena *a, const ParsedStmt *st)
{
    if (st->kind == STMT_SHOW_CREATE) {
        ResultSet *rs = result_create(a, 1);
        result_column(rs, 0, "create_statement", type_string());
        return rs;
    }
    return list_shape(a, st->object);
}

char *show_options_json(Arena *a, const char *connector, const CatOption *opts, int n)
{
    return options_json(a, connector, opts, n);
}

/* Option keys print bare when they are plain lower-case words, else as 'quoted' strings. */
static void append_option_key(StrBuf *b, const char *key)
{
    /* PostgreSQL's reserved words; the option parser takes unreserved keywords as keys */
    static const char *const reserved[] = {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both",
        "case", "cast", "check", "collate", "column", "constraint", "create", "current_catalog",
        "current_date", "current_role", "current_time", "current_timestamp", "current_user",
        "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
        "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially",
        "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
        "null", "offset", "on", "only", "or", "order", "placing", "primary", "references",
        "returning", "select", "session_user", "some", "symmetric", "table", "then", "to",
        "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where",
        "window", "with", NULL};
    bool plain = (*key >= 'a' && *key <= 'z') || *key == '_';
    for (const char *p = key; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    for (int i = 0; plain && reserved[i]; i++)
        plain = strcmp(key, reserved[i]) != 0;
    if (plain)
        strbuf_append_str(b, key);
    else
        strbuf_append_sql_literal(b, key);
}

static void append_option(StrBuf *b, const Connector *c, const CatOption *o, bool first)
{
    strbuf_append_str(b, first ? "\n    " : ",\n    ");
    append_option_key(b, o->name);
    strbuf_append_str(b, " = ");
    switch (o->kind) {
    case CATOPT_SECRET:
        strbuf_append_str(b, "SECRET ");
        strbuf_append_sql_ident(b, o->value);
        break;
    case CATOPT_NUMBER:
    case CATOPT_BOOL:
        strbuf_append_str(b, o->value);
        break;
    default:
        if (connector_option_is_sensitive(c, o->name) && strstr(o->value, "{{") == NULL)
            strbuf_append_sql_literal(b, REDACTED);
        else
            strbuf_append_sql_literal(b, o->value);
    }
}

char *show_create_profile(Arena *a, const CatProfile *p)
{
    const Connector *c = connector_find(p->connector);
    StrBuf b;
    strbuf_init(&b, a);
    strbuf_append_str(&b, "CREATE CONNECTION PROFILE ");
    strbuf_append_sql_ident(&b, p->name);
    strbuf_append_str(&b, " WITH (");
    CatOption conn = {"connector", p->connector, CATOPT_STRING};
    append_option(&b, c, &conn, true);
    for (int i = 0; i < p->noptions; i++)
        append_option(&b, c, &p->options[i], false);
    strbuf_append_str(&b, "\n);");
    return b.data;
}

char *show_create_table(Arena *a, const CatTable *t, const char *profile_name)
{
    const Connector *c = connector_find(t->connector);
    StrBuf b;
    strbuf_init(&b, a);
    strbuf_printf(&b, "CREATE %s TABLE ",
                  t->kind == CAT_TABLE_SOURCE ? "SOURCE" : t->kind == CAT_TABLE_SINK ? "SINK" : "");
    strbuf_append_sql_ident(&b, t->name);
    strbuf_append_str(&b, " (");
    for (int i = 0; i < t->ncolumns; i++) {
        strbuf_append_str(&b, i ? ",\n    " : "\n    ");
        strbuf_append_sql_ident(&b, t->columns[i].name);
        strbuf_append_char(&b, ' ');
        type_format(t->columns[i].type, &b);
        if (t->columns[i].not_null)
            strbuf_append_str(&b, " NOT NULL");
    }
    if (t->watermark_expr) {
        strbuf_append_str(&b, ",\n    WATERMARK FOR ");
        strbuf_append_sql_ident(&b, t->event_time_field);
        strbuf_append_str(&b, " AS ");
        strbuf_append_str(&b, t->watermark_expr);
    }
    strbuf_append_str(&b, "\n) WITH (");
    CatOption conn = {"connector", t->connector, CATOPT_STRING};
    append_option(&b, c, &conn, true);
    if (profile_name) {
        CatOption prof = {"profile", (char *)profile_name, CATOPT_STRING};
        append_option(&b, c, &prof, false);
    }
    for (int i = 0; i < t->noptions; i++)
        if (!options_is_hidden(t->options[i].name))
            append_option(&b, c, &t->options[i], false);
    if (t->event_time_field && t->watermark_expr == NULL) {
        CatOption o = {"event_time_field", t->event_time_field, CATOPT_STRING};
        append_option(&b, c, &o, false);
    }
    if (t->watermark_delay) {
        CatOption o = {"watermark_delay", t->watermark_delay, CATOPT_STRING};
        append_option(&b, c, &o, false);
    }
    strbuf_append_str(&b, "\n);");
    return b.data;
}

static const char *profile_name_of(Session *s, Arena *a, const char *profile_id)
{
    if (profile_id == NULL)
        return NULL;
    CatProfile *p = ctx_get_profile(s, a, profile_id);
    return p ? p->name : profile_id;
}

static ResultSet *show_create(Session *s, Arena *a, const ParsedStmt *st)
{
    ResultSet *rs = show_result_shape(a, st);
    char *text = NULL;
    switch (st->object) {
    case OBJ_PROFILE: {
        CatProfile *p = ctx_get_profile(s, a, st->name);
        if (p == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("connection profile \"%s\" does not exist", st->name),
                    errposition(st->name_location + 1));
        text = show_create_profile(a, p);
        break;
    }
    case OBJ_SOURCE_TABLE:
    case OBJ_SINK_TABLE:
    case OBJ_TABLE: {
        CatTable *t = ctx_get_table(s, a, st->name);
        const char *what = st->object == OBJ_SOURCE_TABLE ? "source table"
                           : st->object == OBJ_SINK_TABLE ? "sink table"
                                                          : "table";
        if (t == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                    errmsg("%s \"%s\" does not exist", what, st->name),
                    errposition(st->name_location + 1));
        if ((st->object == OBJ_SOURCE_TABLE && t->kind != CAT_TABLE_SOURCE) ||
            (st->object == OBJ_SINK_TABLE && t->kind != CAT_TABLE_SINK))
            ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                    errmsg("\"%s\" is not a %s", st->name, what),
                    errposition(st->name_location + 1));
        if (t->kind == CAT_TABLE_PLAIN)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("SHOW CREATE TABLE is not supported for plain tables yet"));
        text = show_create_table(a, t, profile_name_of(s, a, t->profile_id));
        break;
    }
    case OBJ_PIPELINE: {
        CatPipeline *p = ctx_get_pipeline(s, a, st->name);
        if (p == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("pipeline \"%s\" does not exist", st->name),
                    errposition(st->name_location + 1));
        text = pipelines_show_create(a, p);
        break;
    }
    default:
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("SHOW CREATE is not supported for this object"));
    }
    result_add_row(rs);
    result_set_text(rs, 0, text);
    return rs;
}

static void show_tables(Session *s, Arena *a, ResultSet *rs, CatTableKind kind)
{
    int n;
    CatTable *tables = ctx_list_tables(s, a, &n);
    for (int i = 0; i < n; i++) {
        CatTable *t = &tables[i];
        if (t->kind != kind)
            continue;
        result_add_row(rs);
        result_set_text(rs, 0, t->id);
        result_set_text(rs, 1, t->name);
        result_set_text(rs, 2, t->connector);
        result_set_text(rs, 3, profile_name_of(s, a, t->profile_id));
        result_set_text(rs, 4, show_options_json(a, t->connector, t->options, t->noptions));
        result_set_text(rs, 5, t->event_time_field);
        result_set_text(rs, 6, t->watermark_delay);
        result_set_timestamp(rs, 7, t->created_at);
        result_set_timestamp(rs, 8, t->updated_at);
    }
}

ResultSet *show_execute(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    snprintf(tag, 64, "SHOW");
    if (st->kind == STMT_SHOW_CREATE)
        return show_create(s, a, st);
    ResultSet *rs = list_shape(a, st->object);
    switch (st->object) {
    case OBJ_PROFILE: {
        int n;
        CatProfile *ps = ctx_list_profiles(s, a, &n);
        for (int i = 0; i < n; i++) {
            result_add_row(rs);
            result_set_text(rs, 0, ps[i].id);
            result_set_text(rs, 1, ps[i].name);
            result_set_text(rs, 2, ps[i].connector);
            result_set_text(rs, 3, show_options_json(a, ps[i].connector, ps[i].options,
                                                     ps[i].noptions));
            result_set_timestamp(rs, 4, ps[i].created_at);
            result_set_timestamp(rs, 5, ps[i].updated_at);
        }
        break;
    }
    case OBJ_SOURCE_TABLE:
        show_tables(s, a, rs, CAT_TABLE_SOURCE);
        break;
    case OBJ_SINK_TABLE:
        show_tables(s, a, rs, CAT_TABLE_SINK);
        break;
    case OBJ_CONNECTOR: {
        int n;
        const Connector *const *list = connector_list(&n);
        for (int i = 0; i < n; i++) {
            const Connector *c = list[i];
            result_add_row(rs);
            result_set_text(rs, 0, c->name);
            result_set_text(rs, 1, c->can_source && c->can_sink ? "source, sink"
                                   : c->can_source                ? "source"
                                                                  : "sink");
            StrBuf f;
            strbuf_init(&f, a);
            for (int k = 0; c->formats && c->formats[k]; k++)
                strbuf_printf(&f, "%s%s", k ? ", " : "", c->formats[k]);
            result_set_text(rs, 2, f.data);
            result_set_text(rs, 3, c->description);
        }
        break;
    }
    case OBJ_SECRET: {
        int n;
        CatSecret *secs = ctx_list_secrets(s, a, &n);
        for (int i = 0; i < n; i++) {
            result_add_row(rs);
            result_set_text(rs, 0, secs[i].name);
            result_set_timestamp(rs, 1, secs[i].created_at);
            result_set_timestamp(rs, 2, secs[i].updated_at);
        }
        break;
    }
    case OBJ_PIPELINE: {
        int n;
        CatPipeline *ps = ctx_list_pipelines(s, a, &n);
        for (int i = 0; i < n; i++) {
            result_add_row(rs);
            result_set_text(rs, 0, ps[i].id);
            result_set_text(rs, 1, ps[i].name);
            result_set_text(rs, 2, catalog_pipeline_state_name(ps[i].state));
            result_set_int64(rs, 3, ps[i].parallelism);
            result_set_text(rs, 4, ps[i].checkpoint_interval);
            result_set_text(rs, 5, ps[i].job_id);
            result_set_timestamp(rs, 6, ps[i].created_at);
            result_set_timestamp(rs, 7, ps[i].updated_at);
        }
        break;
    }
    case OBJ_JOB: {
        int n;
        CatJob *jobs = jobs_list(a, &n);
        for (int i = 0; i < n; i++) {
            result_add_row(rs);
            result_set_text(rs, 0, jobs[i].id);
            result_set_text(rs, 1, jobs[i].pipeline_name);
            result_set_text(rs, 2, catalog_job_state_name(jobs[i].state));
            result_set_timestamp(rs, 3, jobs[i].started_at);
            if (jobs[i].finished_at)
                result_set_timestamp(rs, 4, jobs[i].finished_at);
            result_set_int64(rs, 5, jobs[i].restarts);
            result_set_int64(rs, 6, jobs[i].records_in);
            result_set_int64(rs, 7, jobs[i].records_out);
            result_set_int64(rs, 8, jobs[i].errors);
            result_set_text(rs, 9, jobs[i].failure_message);
        }
        break;
    }
    default:
        elog(ERROR, "unrecognized SHOW object kind %d", (int)st->object);
    }
    return rs;
}
