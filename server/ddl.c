/*
 * ddl.c: Laminar's catalog statements.
 *
 * CREATE/ALTER/DROP CONNECTION PROFILE, CREATE/DROP SECRET, CREATE/ALTER/DROP
 * SOURCE|SINK TABLE and TEST ... are validated here against the connector
 * registry (connectors/connector.h) before anything is written: unknown
 * connectors and options, values of the wrong type, a missing required
 * option, an event-time column that is not a timestamp, a watermark delay
 * that is not an interval — each is an error with a SQLSTATE and, where the
 * parser recorded one, a position.  Writes go through catalog_txn.c so that
 * they follow the session's transaction.  ALTER SINK TABLE on a table a
 * running pipeline writes into refuses options that name the target (55006)
 * and registers the table with the transaction, whose COMMIT hands it to the
 * job manager (jobs_reconfigure_sink: the running job takes the new options).
 *
 * SHOW lists and SHOW CREATE are in show.c.
 */
#include "server/ddl.h"
#include "common/log.h"
#include "connectors/connector.h"
#include "connectors/nexmark_schema.h"
#include "connectors/webhook.h"
#include "server/catalog_txn.h"
#include "server/pipelines.h"
#include "server/table_ddl.h"
#include "server/show.h"
#include "server/jobs.h"
#include "server/txn.h"

#include <stdio.h>
#include <strings.h>

/* ---- option helpers ---- */

static const StmtOption *find_stmt_option(const ParsedStmt *st, const char *name)
{
    for (int i = 0; i < st->noptions; i++)
        if (strcmp(st->options[i].name, name) == 0)
            return &st->options[i];
    return NULL;
}

static const char *find_cat_option(const CatOption *opts, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(opts[i].name, name) == 0)
            return opts[i].value;
    return NULL;
}

static CatOptKind cat_kind(OptionKind k)
{
    switch (k) {
    case OPTVAL_STRING:
        return CATOPT_STRING;
    case OPTVAL_NUMBER:
        return CATOPT_NUMBER;
    case OPTVAL_BOOL:
        return CATOPT_BOOL;
    case OPTVAL_IDENT:
        return CATOPT_IDENT;
    case OPTVAL_SECRET:
        return CATOPT_SECRET;
    }
    return CATOPT_STRING;
}

static const char *scope_name(unsigned scope)
{
    return scope == COPT_PROFILE ? "connection profiles" : scope == COPT_SOURCE ? "source tables"
                                                                                 : "sink tables";
}

static void unknown_connector(const char *name, int position)
{
    if (connector_is_planned(name))
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("connector \"%s\" is not supported yet", name), errposition(position));
    int n;
    const Connector *const *list = connector_list(&n);
    char k[512];
    size_t used = 0;
    k[0] = '\0';
    for (int i = 0; i < n && used < sizeof k; i++)
        used += (size_t)snprintf(k + used, sizeof k - used, "%s%s", i ? ", " : "", list[i]->name);
    ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("connector \"%s\" does not exist", name),
            errhint("Available connectors: %s.", k), errposition(position));
}

/* Checks that a SECRET reference names an existing secret. */
static void check_secret_ref(Session *s, Arena *a, const StmtOption *o)
{
    if (o->kind == OPTVAL_SECRET && ctx_get_secret(s, a, o->value) == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("secret \"%s\" does not exist", o->value),
                errposition(o->value_location + 1));
}

/*
 * Validates one option given in a statement for connector c (format fmt may be NULL) in
 * scope.  Raises 22023 naming the valid options when it is unknown.
 */
static void check_option(Session *s, Arena *a, const Connector *c, const ConnFormat *fmt,
                         unsigned scope, const StmtOption *o)
{
    /* table statements also accept the profile-level connection options inline */
    unsigned look = scope == COPT_PROFILE ? COPT_PROFILE : (scope | COPT_PROFILE);
    const ConnOption *decl = connector_find_option(c, fmt, o->name, look);
    if (decl == NULL) {
        StrBuf valid;
        strbuf_init(&valid, a);
        connector_describe_options(c, fmt, look, &valid);
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("option \"%s\" is not valid for %s of connector \"%s\"", o->name,
                       scope_name(scope), c->name),
                errdetail("Valid options are: %s.", valid.len ? valid.data : "(none)"),
                errposition(o->location + 1));
    }
    if (o->kind == OPTVAL_SECRET) {
        if (decl->type != COPT_STRING)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"%s\" cannot take a secret", o->name),
                    errposition(o->value_location + 1));
        check_secret_ref(s, a, o);
        return;
    }
    connector_check_value(decl, o->name, o->value, o->value_location + 1);
}

static CatOption *copy_options(Arena *a, const ParsedStmt *st, const char *const *skip, int *n)
{
    CatOption *out = arena_new_array(a, CatOption, st->noptions + 1);
    int k = 0;
    for (int i = 0; i < st->noptions; i++) {
        bool skipped = false;
        for (int j = 0; skip[j] && !skipped; j++)
            skipped = strcmp(st->options[i].name, skip[j]) == 0;
        if (skipped)
            continue;
        out[k].name = arena_strdup(a, st->options[i].name);
        out[k].value = arena_strdup(a, st->options[i].value);
        out[k].kind = cat_kind(st->options[i].kind);
        k++;
    }
    *n = k;
    return out;
}

/* ---- connection profiles ---- */

static const Connector *statement_connector(const ParsedStmt *st, const char *what)
{
    const StmtOption *co = find_stmt_option(st, "connector");
    if (co == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("option \"connector\" is required for %s", what),
                errposition(st->location + 1));
    const Connector *c = connector_find(co->value);
    if (c == NULL)
        unknown_connector(co->value, co->value_location + 1);
    return c;
}

static void create_profile(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    snprintf(tag, 64, "CREATE CONNECTION PROFILE");
    const Connector *c = statement_connector(st, "connection profiles");
    for (int i = 0; i < st->noptions; i++)
        if (strcmp(st->options[i].name, "connector") != 0)
            check_option(s, a, c, NULL, COPT_PROFILE, &st->options[i]);
    if (ctx_get_profile(s, a, st->name)) {
        if (st->if_not_exists) {
            ereport(NOTICE, errcode(ERRCODE_DUPLICATE_OBJECT),
                    errmsg("connection profile \"%s\" already exists, skipping", st->name));
            return;
        }
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                errmsg("connection profile \"%s\" already exists", st->name),
                errposition(st->name_location + 1));
    }
    static const char *const skip[] = {"connector", NULL};
    CatProfile p = {0};
    p.id = catalog_new_id(a, "prof_");
    p.name = arena_strdup(a, st->name);
    p.connector = arena_strdup(a, c->name);
    p.options = copy_options(a, st, skip, &p.noptions);
    p.created_at = p.updated_at = catalog_now();
    ctx_create_profile(s, &p);
}

/* Required options of a table given its own and its profile's options. */
static void check_required(const Connector *c, unsigned scope, const CatOption *topts, int nt,
                           const CatOption *popts, int np, const char *table_name)
{
    const char *url = find_cat_option(topts, nt, "url");
    if (url == NULL)
        url = find_cat_option(popts, np, "url");
    for (int i = 0; i < c->noptions; i++) {
        const ConnOption *o = &c->options[i];
        if (!(o->required & scope))
            continue;
        if (find_cat_option(topts, nt, o->name) || find_cat_option(popts, np, o->name))
            continue;
        /* a connection string can stand in for the address and the topic */
        if (url && (strcmp(o->name, "bootstrap_servers") == 0 || strcmp(o->name, "topic") == 0))
            continue;
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("option \"%s\" is required for %s %s", o->name, c->name,
                       scope == COPT_SOURCE ? "source tables" : "sink tables"),
                errdetail("Table \"%s\" and its connection profile do not set it.", table_name));
    }
    if (strcmp(c->name, "postgres") == 0) {
        bool has_table = find_cat_option(topts, nt, "table") || (url && strstr(url, "table="));
        bool has_query = find_cat_option(topts, nt, "query") != NULL;
        if (scope == COPT_SINK && !has_table)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"table\" is required for postgres sink tables"));
        if (scope == COPT_SOURCE && !has_table && !has_query)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("postgres source tables need option \"table\" or \"query\""));
        if (has_table && has_query)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("options \"table\" and \"query\" cannot be used together"));
        const char *mode = find_cat_option(topts, nt, "write_mode");
        if (mode && strcasecmp(mode, "upsert") == 0 && !find_cat_option(topts, nt, "primary_keys"))
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("write_mode \"upsert\" needs option \"primary_keys\""));
    }
}

static void alter_profile(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    snprintf(tag, 64, "ALTER CONNECTION PROFILE");
    CatProfile *p = ctx_get_profile(s, a, st->name);
    if (p == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("connection profile \"%s\" does not exist", st->name),
                errposition(st->name_location + 1));
    const Connector *c = connector_find(p->connector);
    LM_ASSERT(c != NULL);
    int cap = p->noptions + st->noptions;
    CatOption *opts = arena_new_array(a, CatOption, cap + 1);
    int n = 0;
    for (int i = 0; i < p->noptions; i++) {
        bool reset = false;
        for (int j = 0; j < st->nreset; j++)
            reset = reset || strcmp(st->reset_names[j], p->options[i].name) == 0;
        if (!reset)
            opts[n++] = p->options[i];
    }
    for (int j = 0; j < st->nreset; j++)
        if (strcmp(st->reset_names[j], "connector") == 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("the connector of a connection profile cannot be changed"));
    for (int i = 0; i < st->noptions; i++) {
        const StmtOption *o = &st->options[i];
        if (strcmp(o->name, "connector") == 0) {
            if (strcasecmp(o->value, p->connector) != 0 &&
                !(connector_find(o->value) == c))
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("the connector of a connection profile cannot be changed"),
                        errhint("Create a new connection profile instead."),
                        errposition(o->location + 1));
            continue;
        }
        check_option(s, a, c, NULL, COPT_PROFILE, o);
        int k = 0;
        while (k < n && strcmp(opts[k].name, o->name) != 0)
            k++;
        opts[k].name = arena_strdup(a, o->name);
        opts[k].value = arena_strdup(a, o->value);
        opts[k].kind = cat_kind(o->kind);
        if (k == n)
            n++;
    }
    /* the tables that use the profile must still have what they require */
    int nt;
    CatTable *tables = ctx_list_tables(s, a, &nt);
    for (int i = 0; i < nt; i++)
        if (tables[i].profile_id && strcmp(tables[i].profile_id, p->id) == 0)
            check_required(c, tables[i].kind == CAT_TABLE_SOURCE ? COPT_SOURCE : COPT_SINK,
                           tables[i].options, tables[i].noptions, opts, n, tables[i].name);
    p->options = opts;
    p->noptions = n;
    p->updated_at = catalog_now();
    ctx_update_profile(s, p);
}

static void drop_profile(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    snprintf(tag, 64, "DROP CONNECTION PROFILE");
    CatProfile *p = ctx_get_profile(s, a, st->name);
    if (p == NULL) {
        if (st->if_exists) {
            ereport(NOTICE, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("connection profile \"%s\" does not exist, skipping", st->name));
            return;
        }
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("connection profile \"%s\" does not exist", st->name),
                errposition(st->name_location + 1));
    }
    int nt;
    CatTable *tables = ctx_list_tables(s, a, &nt);
    StrBuf users;
    strbuf_init(&users, a);
    for (int i = 0; i < nt; i++)
        if (tables[i].profile_id && strcmp(tables[i].profile_id, p->id) == 0)
            strbuf_printf(&users, "%s%s table %s depends on connection profile %s",
                          users.len ? "\n" : "",
                          tables[i].kind == CAT_TABLE_SOURCE ? "source" : "sink", tables[i].name,
                          p->name);
    if (users.len)
        ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                errmsg("cannot drop connection profile \"%s\" because other objects depend on it",
                       p->name),
                errdetail("%s", users.data), errhint("Drop the dependent tables first."));
    ctx_drop_profile(s, p->name);
}

/* ---- secrets ---- */

static void create_secret(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    snprintf(tag, 64, "CREATE SECRET");
    if (ctx_get_secret(s, a, st->name)) {
        if (st->if_not_exists) {
            ereport(NOTICE, errcode(ERRCODE_DUPLICATE_OBJECT),
                    errmsg("secret \"%s\" already exists, skipping", st->name));
            return;
        }
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                errmsg("secret \"%s\" already exists", st->name),
                errposition(st->name_location + 1));
    }
    CatSecret sec = {0};
    sec.name = arena_strdup(a, st->name);
    sec.value = arena_strdup(a, st->secret_value ? st->secret_value : "");
    sec.created_at = sec.updated_at = catalog_now();
    ctx_create_secret(s, &sec);
}

static bool options_use_secret(const CatOption *opts, int n, const char *secret)
{
    for (int i = 0; i < n; i++)
        if (opts[i].kind == CATOPT_SECRET && strcmp(opts[i].value, secret) == 0)
            return true;
    return false;
}

static void drop_secret(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    snprintf(tag, 64, "DROP SECRET");
    if (ctx_get_secret(s, a, st->name) == NULL) {
        if (st->if_exists) {
            ereport(NOTICE, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("secret \"%s\" does not exist, skipping", st->name));
            return;
        }
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("secret \"%s\" does not exist", st->name),
                errposition(st->name_location + 1));
    }
    int np, nt;
    CatProfile *profiles = ctx_list_profiles(s, a, &np);
    CatTable *tables = ctx_list_tables(s, a, &nt);
    for (int i = 0; i < np; i++)
        if (options_use_secret(profiles[i].options, profiles[i].noptions, st->name))
            ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                    errmsg("cannot drop secret \"%s\" because other objects depend on it", st->name),
                    errdetail("connection profile %s depends on secret %s.", profiles[i].name,
                              st->name));
    for (int i = 0; i < nt; i++)
        if (options_use_secret(tables[i].options, tables[i].noptions, st->name))
            ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                    errmsg("cannot drop secret \"%s\" because other objects depend on it", st->name),
                    errdetail("table %s depends on secret %s.", tables[i].name, st->name));
    ctx_drop_secret(s, st->name);
}

/* ---- source and sink tables ---- */

static bool is_timestamp(const LmType *t)
{
    return t->id == TYPE_TIMESTAMP || t->id == TYPE_TIMESTAMPTZ;
}

static int find_column(const CatColumn *cols, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(cols[i].name, name) == 0)
            return i;
    return -1;
}

/* Checks event_time_field / watermark_delay / WATERMARK FOR of a table being created or altered. */
static void check_event_time(Arena *a, CatTable *t, bool is_source, int etf_pos, int wd_pos)
{
    if (t->event_time_field) {
        if (!is_source)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"event_time_field\" is only valid for source tables"),
                    errposition(etf_pos));
        int c = find_column(t->columns, t->ncolumns, t->event_time_field);
        if (c < 0)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                    errmsg("column \"%s\" named by event_time_field does not exist",
                           t->event_time_field),
                    errposition(etf_pos));
        if (!is_timestamp(t->columns[c].type))
            ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("event_time_field \"%s\" must be a TIMESTAMP column", t->event_time_field),
                    errdetail("Column \"%s\" is of type %s.", t->event_time_field,
                              type_name(a, t->columns[c].type)),
                    errposition(etf_pos));
    }
    if (t->watermark_delay) {
        if (!is_source)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"watermark_delay\" is only valid for source tables"),
                    errposition(wd_pos));
        Vector v;
        vector_init(&v, a, type_interval(), 1);
        LM_TRY();
        {
            value_parse_text(&v, a, 0, t->watermark_delay, strlen(t->watermark_delay));
        }
        LM_CATCH();
        {
            error_clear();
            ereport(ERROR, errcode(ERRCODE_INVALID_DATETIME_FORMAT),
                    errmsg("invalid value for option \"watermark_delay\": \"%s\"",
                           t->watermark_delay),
                    errdetail("The value must be an interval such as '5 seconds' or '1 minute'."),
                    errposition(wd_pos));
        }
        LM_END_TRY();
        const Interval *iv = (const Interval *)v.data;
        if (iv->micros < 0 || iv->days < 0 || iv->months < 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("watermark_delay must not be negative"), errposition(wd_pos));
        if (t->event_time_field == NULL && t->watermark_expr == NULL)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"watermark_delay\" needs option \"event_time_field\""),
                    errposition(wd_pos));
    }
}

/* Fills in or checks the columns of a nexmark table against the stream's schema. */
static void nexmark_columns(Arena *a, CatTable *t, const char *event_type)
{
    int n;
    const NexmarkColumn *schema = nexmark_schema(event_type, &n);
    if (schema == NULL)
        return; /* the enum check has already rejected it */
    if (t->ncolumns == 0) {
        t->columns = arena_new_array(a, CatColumn, n);
        for (int i = 0; i < n; i++) {
            t->columns[i].name = arena_strdup(a, schema[i].name);
            t->columns[i].type = type_scalar(schema[i].type);
            t->columns[i].not_null = true;
        }
        t->ncolumns = n;
        return;
    }
    for (int i = 0; i < t->ncolumns; i++) {
        int k = 0;
        while (k < n && strcmp(schema[k].name, t->columns[i].name) != 0)
            k++;
        if (k == n) {
            StrBuf names;
            strbuf_init(&names, a);
            for (int j = 0; j < n; j++)
                strbuf_printf(&names, "%s%s", j ? ", " : "", schema[j].name);
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                    errmsg("nexmark %s events have no column \"%s\"", event_type,
                           t->columns[i].name),
                    errdetail("The columns of %s events are: %s.", event_type, names.data));
        }
        if (t->columns[i].type->id != schema[k].type)
            ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("column \"%s\" of nexmark %s events is of type %s", schema[k].name,
                           event_type, type_name(a, type_scalar(schema[k].type))));
    }
}

static void create_table(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    bool is_source = st->object == OBJ_SOURCE_TABLE;
    unsigned scope = is_source ? COPT_SOURCE : COPT_SINK;
    snprintf(tag, 64, is_source ? "CREATE SOURCE TABLE" : "CREATE SINK TABLE");

    const StmtOption *profile_opt = find_stmt_option(st, "profile");
    const StmtOption *conn_opt = find_stmt_option(st, "connector");
    CatProfile *profile = NULL;
    if (profile_opt) {
        profile = ctx_get_profile(s, a, profile_opt->value);
        if (profile == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("connection profile \"%s\" does not exist", profile_opt->value),
                    errposition(profile_opt->value_location + 1));
    }
    const Connector *c;
    if (conn_opt) {
        c = connector_find(conn_opt->value);
        if (c == NULL)
            unknown_connector(conn_opt->value, conn_opt->value_location + 1);
        if (profile && connector_find(profile->connector) != c)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("connection profile \"%s\" is for connector \"%s\", not \"%s\"",
                           profile->name, profile->connector, c->name),
                    errposition(profile_opt->value_location + 1));
    } else if (profile) {
        c = connector_find(profile->connector);
    } else {
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("option \"connector\" or \"profile\" is required for %s",
                       is_source ? "source tables" : "sink tables"),
                errposition(st->location + 1));
        return;
    }
    if ((is_source && !c->can_source) || (!is_source && !c->can_sink))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("connector \"%s\" cannot be used for %s", c->name,
                       is_source ? "source tables" : "sink tables"),
                errposition(conn_opt ? conn_opt->value_location + 1 : st->location + 1));

    /* format: checked first, since it decides which format options are valid */
    const StmtOption *fmt_opt = find_stmt_option(st, "format");
    const ConnFormat *fmt = NULL;
    if (fmt_opt) {
        if (c->formats == NULL)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("connector \"%s\" does not take a format", c->name),
                    errdetail("Its rows are typed by the table's columns."),
                    errposition(fmt_opt->location + 1));
        fmt = connector_format_find(fmt_opt->value);
        if (fmt == NULL || !connector_supports_format(c, fmt_opt->value)) {
            StrBuf f;
            strbuf_init(&f, a);
            for (int i = 0; c->formats[i]; i++)
                strbuf_printf(&f, "%s%s", i ? ", " : "", c->formats[i]);
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("format \"%s\" is not supported by connector \"%s\"", fmt_opt->value,
                           c->name),
                    errdetail("Supported formats: %s.", f.data),
                    errposition(fmt_opt->value_location + 1));
        }
    } else if (c->default_format)
        fmt = connector_format_find(c->default_format);

    static const char *const special[] = {"connector", "profile", "event_time_field",
                                          "watermark_delay", NULL};
    for (int i = 0; i < st->noptions; i++) {
        const StmtOption *o = &st->options[i];
        bool sp = false;
        for (int j = 0; special[j] && !sp; j++)
            sp = strcmp(o->name, special[j]) == 0;
        if (sp || strcmp(o->name, "format") == 0)
            continue;
        check_option(s, a, c, fmt, scope, o);
    }

    CatTable *existing = ctx_get_table(s, a, st->name);
    if (existing) {
        if (st->if_not_exists) {
            ereport(NOTICE, errcode(ERRCODE_DUPLICATE_TABLE),
                    errmsg("relation \"%s\" already exists, skipping", st->name));
            return;
        }
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_TABLE),
                errmsg("relation \"%s\" already exists", st->name),
                errposition(st->name_location + 1));
    }

    CatTable t = {0};
    t.id = catalog_new_id(a, "tbl_");
    t.schema = "public";
    t.name = arena_strdup(a, st->name);
    t.kind = is_source ? CAT_TABLE_SOURCE : CAT_TABLE_SINK;
    t.connector = arena_strdup(a, c->name);
    t.profile_id = profile ? profile->id : NULL;
    t.ncolumns = st->ncolumns;
    t.columns = arena_new_array(a, CatColumn, st->ncolumns + 1);
    for (int i = 0; i < st->ncolumns; i++) {
        t.columns[i].name = arena_strdup(a, st->columns[i].name);
        t.columns[i].type = st->columns[i].type;
        t.columns[i].not_null = st->columns[i].not_null;
    }
    t.options = copy_options(a, st, special, &t.noptions);
    const StmtOption *etf = find_stmt_option(st, "event_time_field");
    const StmtOption *wd = find_stmt_option(st, "watermark_delay");
    t.event_time_field = etf ? arena_strdup(a, etf->value) : NULL;
    t.watermark_delay = wd ? arena_strdup(a, wd->value) : NULL;

    if (strcmp(c->name, "nexmark") == 0) {
        const char *et = find_cat_option(t.options, t.noptions, "event_type");
        if (et)
            nexmark_columns(a, &t, et);
    }
    if (t.ncolumns == 0)
        ereport(ERROR, errcode(ERRCODE_INVALID_TABLE_DEFINITION),
                errmsg("%s \"%s\" must have at least one column",
                       is_source ? "source table" : "sink table", st->name),
                errposition(st->name_location + 1));

    if (st->watermark_column) {
        if (!is_source)
            ereport(ERROR, errcode(ERRCODE_INVALID_TABLE_DEFINITION),
                    errmsg("WATERMARK is only valid for source tables"),
                    errposition(st->watermark_column_location + 1));
        int col = find_column(t.columns, t.ncolumns, st->watermark_column);
        if (col < 0)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                    errmsg("column \"%s\" does not exist", st->watermark_column),
                    errposition(st->watermark_column_location + 1));
        if (!is_timestamp(t.columns[col].type))
            ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("WATERMARK FOR column \"%s\" must be a TIMESTAMP column",
                           st->watermark_column),
                    errposition(st->watermark_column_location + 1));
        if (t.event_time_field && strcmp(t.event_time_field, st->watermark_column) != 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_TABLE_DEFINITION),
                    errmsg("WATERMARK FOR \"%s\" conflicts with event_time_field \"%s\"",
                           st->watermark_column, t.event_time_field),
                    errposition(st->watermark_column_location + 1));
        if (t.watermark_delay)
            ereport(ERROR, errcode(ERRCODE_INVALID_TABLE_DEFINITION),
                    errmsg("use either WATERMARK FOR or watermark_delay, not both"),
                    errposition(st->watermark_column_location + 1));
        t.event_time_field = arena_strdup(a, st->watermark_column);
        t.watermark_expr = arena_strdup(a, st->watermark_expr_text);
    }
    check_event_time(a, &t, is_source, etf ? etf->value_location + 1 : 0,
                     wd ? wd->value_location + 1 : 0);
    check_required(c, scope, t.options, t.noptions, profile ? profile->options : NULL,
                   profile ? profile->noptions : 0, t.name);
    /* webhook sources get an ingest token, kept only as a hash (connectors/webhook.h) */
    const char *token = strcmp(c->name, "webhook") == 0 ? webhook_token_apply(a, &t) : NULL;
    t.created_at = t.updated_at = catalog_now();
    ctx_create_table(s, &t);
    if (token)
        ereport(NOTICE, errmsg("webhook token for %s: %s", t.name, token),
                errhint("Send it as \"Authorization: Bearer <token>\"; it is not shown again."));
}

static CatTable *get_conn_table(Session *s, Arena *a, const ParsedStmt *st, bool missing_ok)
{
    CatTable *t = ctx_get_table(s, a, st->name);
    const char *what = st->object == OBJ_SOURCE_TABLE ? "source table" : "sink table";
    if (t == NULL) {
        if (missing_ok)
            return NULL;
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                errmsg("%s \"%s\" does not exist", what, st->name),
                errposition(st->name_location + 1));
    }
    CatTableKind want = st->object == OBJ_SOURCE_TABLE ? CAT_TABLE_SOURCE : CAT_TABLE_SINK;
    if (t->kind != want)
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("\"%s\" is not a %s", st->name, what),
                errhint("It is a %s table.", t->kind == CAT_TABLE_SOURCE ? "source"
                                             : t->kind == CAT_TABLE_SINK ? "sink"
                                                                          : "plain"),
                errposition(st->name_location + 1));
    return t;
}

/* Options that name what a sink writes to (or how rows map onto it): a running job cannot
 * switch them at a checkpoint, so ALTER SINK TABLE refuses to change them while one runs. */
static const char *const sink_identity_options[] = {
    "url",  "bootstrap_servers", "topic",      "host",         "port",         "database",
    "user", "table",             "schema",     "path",         "write_mode",   "primary_keys",
    "partition_by", NULL,
};

static bool same_value(const char *x, const char *y)
{
    return (x == NULL && y == NULL) || (x && y && strcmp(x, y) == 0);
}

/* ALTER SINK TABLE while a pipeline writes into t: 55006 for options that cannot change then
 * (the rest is applied to the running job after COMMIT: jobs_reconfigure_sink). */
static void check_running_sink(Arena *a, const CatTable *t, const char *old_profile,
                               const CatOption *old_opts, int old_n)
{
    const char *pipeline = jobs_pipeline_writing(a, t->id);
    if (pipeline == NULL)
        return;
    const char *changed = NULL;
    if (!same_value(old_profile, t->profile_id))
        changed = "profile";
    for (int i = 0; changed == NULL && sink_identity_options[i]; i++) {
        const char *o = sink_identity_options[i];
        if (!same_value(find_cat_option(old_opts, old_n, o),
                        find_cat_option(t->options, t->noptions, o)))
            changed = o;
    }
    if (changed)
        ereport(ERROR, errcode(ERRCODE_OBJECT_IN_USE),
                errmsg("cannot change option \"%s\" of sink table \"%s\" while pipeline \"%s\" "
                       "is running",
                       changed, t->name, pipeline),
                errhint("Stop the pipeline first (STOP PIPELINE %s).", pipeline));
}

static void alter_table(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    bool is_source = st->object == OBJ_SOURCE_TABLE;
    unsigned scope = is_source ? COPT_SOURCE : COPT_SINK;
    snprintf(tag, 64, is_source ? "ALTER SOURCE TABLE" : "ALTER SINK TABLE");
    CatTable *t = get_conn_table(s, a, st, false);
    const Connector *c = connector_find(t->connector);
    CatProfile *profile = t->profile_id ? ctx_get_profile(s, a, t->profile_id) : NULL;
    const char *old_profile = t->profile_id;
    const CatOption *old_opts = t->options;
    int old_n = t->noptions;

    CatOption *opts = arena_new_array(a, CatOption, t->noptions + st->noptions + 1);
    int n = 0;
    for (int i = 0; i < t->noptions; i++) {
        bool reset = false;
        for (int j = 0; j < st->nreset; j++)
            reset = reset || strcmp(st->reset_names[j], t->options[i].name) == 0;
        if (!reset)
            opts[n++] = t->options[i];
    }
    for (int j = 0; j < st->nreset; j++) {
        if (strcmp(st->reset_names[j], "event_time_field") == 0)
            t->event_time_field = NULL;
        else if (strcmp(st->reset_names[j], "watermark_delay") == 0)
            t->watermark_delay = NULL;
        else if (strcmp(st->reset_names[j], "connector") == 0 ||
                 strcmp(st->reset_names[j], "profile") == 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"%s\" cannot be reset", st->reset_names[j]));
    }
    const char *fmt_name = find_cat_option(opts, n, "format");
    for (int i = 0; i < st->noptions; i++)
        if (strcmp(st->options[i].name, "format") == 0)
            fmt_name = st->options[i].value;
    const ConnFormat *fmt = NULL;
    if (fmt_name) {
        fmt = connector_format_find(fmt_name);
        if (fmt == NULL || !connector_supports_format(c, fmt_name))
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("format \"%s\" is not supported by connector \"%s\"", fmt_name, c->name));
    } else if (c->default_format)
        fmt = connector_format_find(c->default_format);

    int etf_pos = 0, wd_pos = 0;
    for (int i = 0; i < st->noptions; i++) {
        const StmtOption *o = &st->options[i];
        if (strcmp(o->name, "connector") == 0) {
            if (connector_find(o->value) != c)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("the connector of a table cannot be changed"),
                        errposition(o->location + 1));
            continue;
        }
        if (strcmp(o->name, "profile") == 0) {
            CatProfile *np = ctx_get_profile(s, a, o->value);
            if (np == NULL)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("connection profile \"%s\" does not exist", o->value),
                        errposition(o->value_location + 1));
            if (connector_find(np->connector) != c)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("connection profile \"%s\" is for connector \"%s\", not \"%s\"",
                               np->name, np->connector, c->name),
                        errposition(o->value_location + 1));
            profile = np;
            t->profile_id = np->id;
            continue;
        }
        if (strcmp(o->name, "event_time_field") == 0) {
            t->event_time_field = arena_strdup(a, o->value);
            etf_pos = o->value_location + 1;
            continue;
        }
        if (strcmp(o->name, "watermark_delay") == 0) {
            t->watermark_delay = arena_strdup(a, o->value);
            wd_pos = o->value_location + 1;
            continue;
        }
        if (strcmp(o->name, "format") != 0)
            check_option(s, a, c, fmt, scope, o);
        int k = 0;
        while (k < n && strcmp(opts[k].name, o->name) != 0)
            k++;
        opts[k].name = arena_strdup(a, o->name);
        opts[k].value = arena_strdup(a, o->value);
        opts[k].kind = cat_kind(o->kind);
        if (k == n)
            n++;
    }
    if (t->watermark_expr && t->event_time_field == NULL)
        t->watermark_expr = NULL;
    t->options = opts;
    t->noptions = n;
    check_event_time(a, t, is_source, etf_pos, wd_pos);
    check_required(c, scope, t->options, t->noptions, profile ? profile->options : NULL,
                   profile ? profile->noptions : 0, t->name);
    /* ALTER ... SET (token = 'rotate' | '<new token>') replaces a webhook source's token */
    const char *token = strcmp(c->name, "webhook") == 0 &&
                                find_cat_option(t->options, t->noptions, "token")
                            ? webhook_token_apply(a, t)
                            : NULL;
    if (!is_source)
        check_running_sink(a, t, old_profile, old_opts, old_n);
    t->updated_at = catalog_now();
    ctx_update_table(s, t);
    if (!is_source)
        session_txn_note_sink_altered(s, t->id);
    if (token)
        ereport(NOTICE, errmsg("webhook token for %s: %s", t->name, token),
                errhint("The previous token no longer works."));
}

static void drop_conn_table(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    bool is_source = st->object == OBJ_SOURCE_TABLE;
    snprintf(tag, 64, is_source ? "DROP SOURCE TABLE" : "DROP SINK TABLE");
    CatTable *t = get_conn_table(s, a, st, st->if_exists);
    if (t == NULL) {
        ereport(NOTICE, errcode(ERRCODE_UNDEFINED_TABLE),
                errmsg("%s \"%s\" does not exist, skipping",
                       is_source ? "source table" : "sink table", st->name));
        return;
    }
    pipelines_check_table_unused(s, a, t);
    ctx_drop_table(s, t->name);
}

/* DROP TABLE of tables of every kind (plain tables with their rows): table_ddl.c. */
void ddl_drop_tables(Session *s, Arena *a, PgQuery__DropStmt *d, char tag[64])
{
    table_ddl_drop(s, a, d, tag);
}

/* ---- TEST ---- */

/* Options of a profile and (optionally) a table with secrets and placeholders resolved. */
static ResolvedOptions *resolve_options(Session *s, Arena *a, const CatProfile *p, const CatTable *t)
{
    int cap = (p ? p->noptions : 0) + (t ? t->noptions : 0) + 1;
    ResolvedOptions *r = arena_new(a, ResolvedOptions);
    r->names = arena_new_array(a, const char *, cap);
    r->values = arena_new_array(a, const char *, cap);
    for (int pass = 0; pass < 2; pass++) {
        const CatOption *opts = pass == 0 ? (p ? p->options : NULL) : (t ? t->options : NULL);
        int n = pass == 0 ? (p ? p->noptions : 0) : (t ? t->noptions : 0);
        for (int i = 0; i < n; i++) {
            const char *v = opts[i].value;
            if (opts[i].kind == CATOPT_SECRET) {
                CatSecret *sec = ctx_get_secret(s, a, v);
                if (sec == NULL)
                    ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                            errmsg("secret \"%s\" does not exist", v));
                v = sec->value;
            } else
                v = connector_expand_placeholders(a, opts[i].name, v);
            int k = 0;
            while (k < r->count && strcmp(r->names[k], opts[i].name) != 0)
                k++;
            r->names[k] = opts[i].name;
            r->values[k] = v;
            if (k == r->count)
                r->count++;
        }
    }
    return r;
}

static ResultSet *test_shape(Arena *a)
{
    ResultSet *rs = result_create(a, 3);
    result_column(rs, 0, "success", type_bool());
    result_column(rs, 1, "message", type_string());
    result_column(rs, 2, "details", type_json());
    return rs;
}

static ResultSet *test_object(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    CatProfile *p = NULL;
    CatTable *t = NULL;
    if (st->kind == STMT_TEST_PROFILE) {
        snprintf(tag, 64, "TEST CONNECTION PROFILE");
        p = ctx_get_profile(s, a, st->name);
        if (p == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("connection profile \"%s\" does not exist", st->name),
                    errposition(st->name_location + 1));
    } else {
        snprintf(tag, 64, st->object == OBJ_SOURCE_TABLE ? "TEST SOURCE TABLE" : "TEST SINK TABLE");
        t = get_conn_table(s, a, st, false);
        if (t->profile_id)
            p = ctx_get_profile(s, a, t->profile_id);
    }
    const Connector *c = connector_find(p ? p->connector : t->connector);
    ResolvedOptions *opts = resolve_options(s, a, p, t);
    ProfileTestResult r = c->test(a, opts);
    ResultSet *rs = test_shape(a);
    result_add_row(rs);
    result_set_bool(rs, 0, r.success);
    result_set_text(rs, 1, r.message);
    result_set_text(rs, 2, r.details_json);
    return rs;
}

/* ---- entry points ---- */

/* DROP with several names: each is dropped in turn, as if written as separate statements
 * inside the statement's transaction (a failure drops none when in a block). */
static void for_each_name(Session *s, Arena *a, const ParsedStmt *st, char tag[64],
                          void (*drop)(Session *, Arena *, const ParsedStmt *, char[64]))
{
    if (st->nnames <= 1) {
        drop(s, a, st, tag);
        return;
    }
    /* all names are checked before anything is dropped, so an error drops nothing */
    ParsedStmt one = *st;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < st->nnames; i++) {
            one.name = st->names[i];
            one.name_location = st->name_locations[i];
            one.nnames = 1;
            if (pass == 0) {
                bool exists = st->kind == STMT_DROP_PROFILE  ? ctx_get_profile(s, a, one.name) != NULL
                              : st->kind == STMT_DROP_SECRET ? ctx_get_secret(s, a, one.name) != NULL
                                                             : ctx_get_table(s, a, one.name) != NULL;
                if (!exists && !st->if_exists)
                    drop(s, a, &one, tag); /* raises the missing-object error */
            } else
                drop(s, a, &one, tag);
        }
}

ResultSet *ddl_result_shape(Arena *a, const ParsedStmt *st)
{
    switch (st->kind) {
    case STMT_TEST_PROFILE:
    case STMT_TEST_CONN_TABLE:
        return test_shape(a);
    case STMT_SHOW_LIST:
    case STMT_SHOW_CREATE:
        return show_result_shape(a, st);
    case STMT_START_PIPELINE:
    case STMT_EXPLAIN_PIPELINE:
        return pipelines_result_shape(a, st);
    default:
        return NULL;
    }
}

void ddl_execute(Session *s, Arena *a, const ParsedStmt *st, ResultSet **rs, char tag[64])
{
    *rs = NULL;
    switch (st->kind) {
    case STMT_CREATE_PROFILE:
        create_profile(s, a, st, tag);
        return;
    case STMT_ALTER_PROFILE:
        alter_profile(s, a, st, tag);
        return;
    case STMT_DROP_PROFILE:
        for_each_name(s, a, st, tag, drop_profile);
        return;
    case STMT_TEST_PROFILE:
    case STMT_TEST_CONN_TABLE:
        *rs = test_object(s, a, st, tag);
        return;
    case STMT_CREATE_SECRET:
        create_secret(s, a, st, tag);
        return;
    case STMT_DROP_SECRET:
        for_each_name(s, a, st, tag, drop_secret);
        return;
    case STMT_CREATE_CONN_TABLE:
        create_table(s, a, st, tag);
        return;
    case STMT_ALTER_CONN_TABLE:
        alter_table(s, a, st, tag);
        return;
    case STMT_DROP_CONN_TABLE:
        for_each_name(s, a, st, tag, drop_conn_table);
        return;
    case STMT_SHOW_LIST:
    case STMT_SHOW_CREATE:
        *rs = show_execute(s, a, st, tag);
        return;
    case STMT_CREATE_PIPELINE:
    case STMT_START_PIPELINE:
    case STMT_STOP_PIPELINE:
    case STMT_DROP_PIPELINE:
    case STMT_EXPLAIN_PIPELINE:
        pipelines_execute(s, a, st, rs, tag);
        return;
    case STMT_PG:
        break;
    }
    elog(ERROR, "unrecognized Laminar statement kind %d", (int)st->kind);
}
