/*
 * relation.c: what a name in FROM (or an INSERT/UPDATE/DELETE target)
 * resolves to — a system view or a catalog table (plain, source, sink).
 *
 * Unqualified names follow PostgreSQL's search order: pg_catalog first
 * (unless search_path names it explicitly somewhere else), then each schema
 * of the session's search_path ("$user" is the session user's schema).  A
 * schema-qualified name looks in that schema only.  System views come from
 * the registry (sysview_count/sysview_at); tables as the session sees them
 * (SessionServices.list_tables: a table created earlier in the open
 * transaction is found, a dropped one is not) or from the committed catalog
 * without a session.  Both return deep copies in the caller's arena, so a
 * Relation lives in the statement arena and never points into shared state.
 */
#include "planner/bind_int.h"

#include <ctype.h>
#include <string.h>

static const Relation *relation_from_view(Arena *a, const SystemView *v)
{
    Relation *r = arena_new(a, Relation);
    r->kind = REL_SYSTEM_VIEW;
    r->oid = v->oid;
    r->schema = v->schema;
    r->name = v->name;
    r->relkind = 'v';
    r->ncols = v->ncols;
    r->cols = v->cols;
    r->view = v;
    return r;
}

const Relation *relation_from_table(Arena *a, const CatTable *t)
{
    Relation *r = arena_new(a, Relation);
    switch (t->kind) {
    case CAT_TABLE_PLAIN:
        r->kind = REL_PLAIN;
        r->relkind = 'r';
        break;
    case CAT_TABLE_SOURCE:
        r->kind = REL_SOURCE;
        r->relkind = 'f';
        break;
    default:
        r->kind = REL_SINK;
        r->relkind = 'f';
        break;
    }
    r->oid = t->oid;
    r->schema = t->schema && *t->schema ? t->schema : "public";
    r->name = t->name;
    r->ncols = t->ncolumns;
    RelColumn *cols = arena_new_array(a, RelColumn, t->ncolumns > 0 ? t->ncolumns : 1);
    for (int i = 0; i < t->ncolumns; i++) {
        cols[i].name = t->columns[i].name;
        cols[i].type = t->columns[i].type;
        cols[i].not_null = t->columns[i].not_null;
        cols[i].default_expr = t->columns[i].default_expr;
    }
    r->cols = cols;
    r->npk = t->nprimary_key;
    r->pk = t->primary_key;
    r->table = t;
    return r;
}

/* A table as the session sees it: its open transaction's CREATE/DROP included when the
 * session lists its tables (SessionServices.list_tables), the committed catalog otherwise. */
static const Relation *lookup_table(ExecContext *ctx, Arena *a, const char *schema,
                                    const char *name)
{
    const SessionServices *svc = ctx ? ctx->svc : NULL;
    if (svc && svc->get_table) {
        CatTable *t = svc->get_table(svc->session, a, schema, name);
        return t ? relation_from_table(a, t) : NULL;
    }
    if (svc && svc->list_tables) {
        int n;
        CatTable *tables = svc->list_tables(svc->session, a, &n);
        for (int i = 0; i < n; i++) {
            const char *ts = tables[i].schema && *tables[i].schema ? tables[i].schema : "public";
            if (strcmp(tables[i].name, name) == 0 && strcmp(ts, schema) == 0)
                return relation_from_table(a, &tables[i]);
        }
        return NULL;
    }
    CatTable *t = catalog_get_table_in(a, schema, name);
    return t ? relation_from_table(a, t) : NULL;
}

static const Relation *lookup_in_schema(ExecContext *ctx, Arena *a, const char *schema,
                                        const char *name)
{
    int n = sysview_count();
    for (int i = 0; i < n; i++) {
        const SystemView *v = sysview_at(i);
        if (v && strcmp(v->name, name) == 0 && strcmp(v->schema, schema) == 0)
            return relation_from_view(a, v);
    }
    return lookup_table(ctx, a, schema, name);
}

/* Splits a search_path value into schema names ("$user" resolved, quotes removed). */
static int parse_search_path(Arena *a, const char *path, const char *user, const char **out,
                             int max)
{
    int n = 0;
    const char *p = path;
    while (*p && n < max) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        StrBuf sb;
        strbuf_init(&sb, a);
        strbuf_append(&sb, "", 0);
        if (*p == '"') {
            p++;
            while (*p) {
                if (*p == '"' && p[1] == '"') {
                    strbuf_append_char(&sb, '"');
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else
                    strbuf_append_char(&sb, *p++);
            }
        } else {
            while (*p && *p != ',' && *p != ' ' && *p != '\t')
                strbuf_append_char(&sb, (char)tolower((unsigned char)*p++));
        }
        const char *s = sb.data;
        if (strcmp(s, "$user") == 0) {
            if (user == NULL)
                continue;
            s = user;
        }
        out[n++] = s;
        while (*p && *p != ',')
            p++;
    }
    return n;
}

const Relation *relation_lookup(ExecContext *ctx, Arena *a, const char *schema, const char *name)
{
    if (name == NULL)
        return NULL;
    if (schema && *schema)
        return lookup_in_schema(ctx, a, schema, name);
    const SessionServices *svc = ctx ? ctx->svc : NULL;
    const char *path = NULL;
    if (svc && svc->get_setting)
        path = svc->get_setting(svc->session, "search_path", true);
    if (path == NULL)
        path = "\"$user\", public";
    const char *schemas[64];
    int n = parse_search_path(a, path, svc ? svc->user : NULL, schemas, 64);
    bool has_pg_catalog = false;
    for (int i = 0; i < n; i++)
        if (strcmp(schemas[i], "pg_catalog") == 0)
            has_pg_catalog = true;
    if (!has_pg_catalog) {
        const Relation *r = lookup_in_schema(ctx, a, "pg_catalog", name);
        if (r)
            return r;
    }
    for (int i = 0; i < n; i++) {
        const Relation *r = lookup_in_schema(ctx, a, schemas[i], name);
        if (r)
            return r;
    }
    return NULL;
}
