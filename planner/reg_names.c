/*
 * reg_names.c: names of the reg* types' OIDs and back — the planner side of
 * common/reg_names.h, installed at start-up by catalog_hooks.c.
 *
 *   regclass      relations (system views, tables, primary-key indexes) by
 *                 sysview_relation_by_oid; schema-qualified when the name
 *                 would not find the same relation through search_path
 *   regtype       pg_type rows printed as format_type() without typmod
 *                 (integer, character varying, text[], "char")
 *   regproc       registry functions, aggregates and type I/O functions by
 *                 name, "pg_catalog."-qualified when the name is overloaded
 *                 (PostgreSQL qualifies what regprocin could not find again)
 *   regprocedure  name(argtype,argtype)
 *   regnamespace  built-in and created schemas
 *   regrole       roles
 *
 * Value output has no ExecContext: it sees the committed catalog and the
 * default search_path ("$user", public), so a relation created by the
 * session's open transaction prints as its number until commit.  Name input
 * from the binder (literals) passes the statement's context and so sees
 * what the session sees.  Catalog lookups allocate in a temporary arena per
 * value: reg* columns are catalog queries, not hot paths.
 */
#include "planner/reg_names.h"
#include "common/reg_names.h"
#include "executor/func.h"
#include "planner/relation.h"
#include "planner/sysview.h"
#include "storage/catalog.h"

#include <ctype.h>
#include <string.h>

/* ---- regtype output: format_type() without typmod ---- */

static const struct {
    const char *typname, *sql;
} sql_type_names[] = {
    {"bool", "boolean"},
    {"bpchar", "character"},
    {"varchar", "character varying"},
    {"int2", "smallint"},
    {"int4", "integer"},
    {"int8", "bigint"},
    {"float4", "real"},
    {"float8", "double precision"},
    {"time", "time without time zone"},
    {"timetz", "time with time zone"},
    {"timestamp", "timestamp without time zone"},
    {"timestamptz", "timestamp with time zone"},
    {"varbit", "bit varying"},
    {"char", "\"char\""},
    {"any", "\"any\""},
};

static bool format_relation(Arena *a, Oid oid, StrBuf *out);

static bool format_pg_type(Oid oid, StrBuf *out)
{
    const PgTypeInfo *ti = sysview_pg_type(oid);
    if (ti == NULL) {
        /* a table's row type prints as the table's name (schema-qualified when not visible) */
        Oid table = sysview_table_of_rowtype(oid);
        if (table == 0)
            return false;
        Arena *a = arena_create("reg_name", NULL);
        bool ok = format_relation(a, table, out);
        arena_destroy(a);
        return ok;
    }
    if (ti->elem != 0 && ti->name[0] == '_') {
        if (!format_pg_type(ti->elem, out))
            return false;
        strbuf_append_str(out, "[]");
        return true;
    }
    for (size_t i = 0; i < LM_ARRAY_LEN(sql_type_names); i++)
        if (strcmp(sql_type_names[i].typname, ti->name) == 0) {
            strbuf_append_str(out, sql_type_names[i].sql);
            return true;
        }
    strbuf_append_sql_ident(out, ti->name);
    return true;
}

/* ---- functions ---- */

static int count_procs_named(const char *name)
{
    int n = 0;
    for (int i = 0; i < func_count(); i++)
        if (!(func_at(i)->flags & FN_OPERATOR) && strcmp(func_at(i)->name, name) == 0)
            n++;
    for (int i = 0; i < agg_count(); i++)
        if (strcmp(agg_at(i)->name, name) == 0)
            n++;
    return n;
}

static bool format_proc(Oid oid, bool with_args, StrBuf *out)
{
    const FuncDesc *f = NULL;
    const AggDesc *g = NULL;
    const char *io_name = NULL;
    if (!sysview_proc_lookup(oid, &f, &g, &io_name))
        return false;
    const char *name = f ? f->name : g ? g->name : io_name;
    if (!with_args) {
        if ((f || g) && count_procs_named(name) > 1)
            strbuf_append_str(out, "pg_catalog.");
        strbuf_append_sql_ident(out, name);
        return true;
    }
    strbuf_append_sql_ident(out, name);
    strbuf_append_char(out, '(');
    int nargs = f ? f->nargs : g ? g->nargs : 0;
    const int *args = f ? f->args : g ? g->args : NULL;
    for (int i = 0; i < nargs; i++) {
        if (i)
            strbuf_append_char(out, ',');
        if (!format_pg_type(sysview_functype_oid(args[i]), out))
            strbuf_printf(out, "%u", (unsigned)sysview_functype_oid(args[i]));
    }
    strbuf_append_char(out, ')');
    return true;
}

/* ---- schemas and roles ---- */

static const char *namespace_name(Arena *a, Oid oid)
{
    const char *b = sysview_builtin_namespace_name(oid);
    if (b)
        return b;
    int n;
    CatSchema *s = catalog_list_schemas(a, &n);
    for (int i = 0; i < n; i++)
        if (s[i].oid == oid)
            return s[i].name;
    return NULL;
}

static const char *role_name(Arena *a, Oid oid)
{
    int n;
    CatRole *roles = catalog_list_roles(a, &n);
    for (int i = 0; i < n; i++)
        if (roles[i].oid == oid)
            return roles[i].name;
    return NULL;
}

/* ---- relations ---- */

/* A primary key's index ("t_pkey", pg_class relkind 'i'); 0 if none has that name. */
static Oid pk_index_by_name(Arena *a, const char *schema, const char *name)
{
    int n;
    CatTable *tables = catalog_list_tables(a, &n);
    for (int i = 0; i < n; i++) {
        const char *ts = tables[i].schema && *tables[i].schema ? tables[i].schema : "public";
        if (tables[i].kind == CAT_TABLE_PLAIN && tables[i].nprimary_key > 0 &&
            (schema ? strcmp(schema, ts) == 0
                    : strcmp(ts, "public") == 0 || strcmp(ts, "pg_catalog") == 0) &&
            strcmp(sysview_pk_name(a, tables[i].name), name) == 0)
            return sysview_pk_index_oid(tables[i].oid);
    }
    return 0;
}


static bool format_relation(Arena *a, Oid oid, StrBuf *out)
{
    ExecContext ctx = {.arena = a}; /* no session: the committed catalog */
    SysviewRelInfo info;
    if (!sysview_relation_by_oid(&ctx, oid, &info))
        return false;
    const Relation *found = relation_lookup(&ctx, a, NULL, info.name);
    bool visible = info.relkind == 'i' ? pk_index_by_name(a, NULL, info.name) == oid
                                       : found && found->oid == oid;
    if (!visible) {
        strbuf_append_sql_ident(out, info.schema);
        strbuf_append_char(out, '.');
    }
    strbuf_append_sql_ident(out, info.name);
    return true;
}

bool planner_reg_name(Oid reg_type, Oid oid, StrBuf *out)
{
    if (reg_type == REGTYPEOID || reg_type == REGPROCOID || reg_type == REGPROCEDUREOID)
        return reg_type == REGTYPEOID ? format_pg_type(oid, out)
                                      : format_proc(oid, reg_type == REGPROCEDUREOID, out);
    Arena *a = arena_create("reg_name", NULL);
    bool ok = false;
    const char *name = NULL;
    switch (reg_type) {
    case REGCLASSOID: ok = format_relation(a, oid, out); break;
    case REGNAMESPACEOID: name = namespace_name(a, oid); break;
    case REGROLEOID: name = role_name(a, oid); break;
    default: break;
    }
    if (name) {
        strbuf_append_sql_ident(out, name);
        ok = true;
    }
    arena_destroy(a);
    return ok;
}

/* ---- input: names to OIDs ---- */

/* Splits "schema.name" / "\"Quoted\".name" as PostgreSQL's stringToQualifiedNameList does:
 * unquoted parts fold to lower case. */
static void split_qualified(Arena *a, const char *s, const char **schema, const char **name)
{
    const char *parts[3] = {NULL, NULL, NULL};
    int np = 0;
    const char *p = s;
    while (*p && np < 3) {
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
            while (*p && *p != '.')
                strbuf_append_char(&sb, (char)tolower((unsigned char)*p++));
        }
        parts[np++] = sb.data;
        if (*p == '.')
            p++;
        else
            break;
    }
    *schema = np >= 2 ? parts[np - 2] : NULL;
    *name = np >= 1 ? parts[np - 1] : "";
}

/* SQL spellings of pg_type names that are not typnames themselves. */
static const struct {
    const char *sql, *typname;
} type_aliases[] = {
    {"int", "int4"},          {"integer", "int4"},
    {"smallint", "int2"},     {"bigint", "int8"},
    {"real", "float4"},       {"double precision", "float8"},
    {"float", "float8"},      {"boolean", "bool"},
    {"decimal", "numeric"},   {"dec", "numeric"},
    {"character varying", "varchar"}, {"char varying", "varchar"},
    {"character", "bpchar"},  {"char", "bpchar"},
    {"timestamp with time zone", "timestamptz"},
    {"timestamp without time zone", "timestamp"},
    {"time with time zone", "timetz"},
    {"time without time zone", "time"},
    {"bit varying", "varbit"},
};

static Oid type_oid_by_name(const char *name)
{
    /* SQL spellings first: unquoted char is character (bpchar), not "char" */
    for (size_t i = 0; i < LM_ARRAY_LEN(type_aliases); i++)
        if (strcmp(type_aliases[i].sql, name) == 0) {
            const PgTypeInfo *ti = sysview_pg_type_by_name(type_aliases[i].typname);
            return ti ? ti->oid : 0;
        }
    const PgTypeInfo *ti = sysview_pg_type_by_name(name);
    return ti ? ti->oid : 0;
}

/* regtypein: a type name as parseTypeString reads it — SQL spellings, typmods (ignored),
 * [] suffixes, an optional schema. */
static Oid lookup_type(Arena *a, const char *text, int loc)
{
    char *s = arena_strdup(a, text);
    while (*s == ' ')
        s++;
    size_t len = strlen(s);
    while (len > 0 && s[len - 1] == ' ')
        s[--len] = '\0';
    int ndims = 0;
    while (len >= 2 && s[len - 1] == ']' && s[len - 2] == '[') {
        len -= 2;
        s[len] = '\0';
        while (len > 0 && s[len - 1] == ' ')
            s[--len] = '\0';
        ndims++;
    }
    Oid oid = 0;
    if (strcmp(s, "\"char\"") == 0 || strcmp(s, "pg_catalog.\"char\"") == 0)
        oid = CHAROID;
    else {
        char *paren = strchr(s, '(');
        if (paren) {
            *paren = '\0';
            while (paren > s && paren[-1] == ' ')
                *--paren = '\0';
        }
        const char *schema, *name;
        split_qualified(a, s, &schema, &name);
        oid = type_oid_by_name(name);
    }
    if (oid == 0) {
        int pos;
        const char *msg;
        const LmType *t = type_parse(a, text, &pos, &msg);
        if (t == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("type \"%s\" does not exist", text), errposition(loc + 1));
        return type_pg_oid(t);
    }
    if (ndims > 0) {
        const PgTypeInfo *ti = sysview_pg_type(oid);
        if (ti == NULL || ti->array == 0)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("type \"%s\" does not exist", text), errposition(loc + 1));
        oid = ti->array;
    }
    return oid;
}

static Oid lookup_proc(Arena *a, const char *text, int loc)
{
    const char *schema, *name;
    char *copy = arena_strdup(a, text);
    char *paren = strchr(copy, '(');
    if (paren)
        *paren = '\0';
    split_qualified(a, copy, &schema, &name);
    Oid oid = 0;
    for (int i = 0; i < func_count() && oid == 0; i++)
        if (!(func_at(i)->flags & FN_OPERATOR) && strcmp(func_at(i)->name, name) == 0)
            oid = sysview_func_oid(i);
    for (int i = 0; i < agg_count() && oid == 0; i++)
        if (strcmp(agg_at(i)->name, name) == 0)
            oid = sysview_agg_oid(i);
    if (oid == 0)
        oid = sysview_io_proc_oid(name); /* array_in, int4recv, ... */
    if (oid == 0)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                errmsg("function \"%s\" does not exist", text), errposition(loc + 1));
    return oid;
}

Oid planner_reg_lookup(ExecContext *ctx, Arena *a, Oid reg_type, const char *text, int loc)
{
    const char *schema, *name;
    switch (reg_type) {
    case REGCLASSOID: {
        split_qualified(a, text, &schema, &name);
        const Relation *r = relation_lookup(ctx, a, schema, name);
        if (r)
            return r->oid;
        Oid index = pk_index_by_name(a, schema, name);
        if (index == 0)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                    errmsg("relation \"%s\" does not exist", text), errposition(loc + 1));
        return index;
    }
    case REGTYPEOID: {
        /* a table's row type, when the name is not a built-in type's */
        char *copy = arena_strdup(a, text);
        size_t len = strlen(copy);
        while (len > 0 && copy[len - 1] == ' ')
            copy[--len] = '\0';
        int pos;
        const char *msg;
        if (strchr(copy, '[') == NULL && strchr(copy, '(') == NULL) {
            split_qualified(a, copy, &schema, &name);
            if (type_oid_by_name(name) == 0 && type_parse(a, copy, &pos, &msg) == NULL) {
                const Relation *r = relation_lookup(ctx, a, schema, name);
                if (r && r->kind != REL_SYSTEM_VIEW)
                    return sysview_rowtype_oid(r->oid);
            }
        }
        return lookup_type(a, text, loc);
    }
    case REGPROCOID:
    case REGPROCEDUREOID: return lookup_proc(a, text, loc);
    case REGNAMESPACEOID: {
        split_qualified(a, text, &schema, &name);
        Oid oid = sysview_namespace_oid(name);
        /* sysview_namespace_oid invents OIDs for schemas only tables name; accept those that
         * exist as built-in, created or used by a table */
        bool exists = false;
        if (oid && (sysview_builtin_namespace_name(oid) || catalog_get_schema(a, name)))
            exists = true;
        if (!exists) {
            int n;
            CatTable *tables = catalog_list_tables(a, &n);
            for (int i = 0; i < n && !exists; i++)
                exists = tables[i].schema && strcmp(tables[i].schema, name) == 0;
        }
        if (!exists)
            ereport(ERROR, errcode(ERRCODE_INVALID_SCHEMA_NAME),
                    errmsg("schema \"%s\" does not exist", text), errposition(loc + 1));
        return oid;
    }
    case REGROLEOID: {
        split_qualified(a, text, &schema, &name);
        CatRole *r = catalog_get_role(a, name);
        if (r == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("role \"%s\" does not exist", text), errposition(loc + 1));
        return r->oid;
    }
    default:
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("cannot look up \"%s\" by name", text), errposition(loc + 1));
    }
    return 0;
}

/* The common/reg_names.h input hook: no context, no position. */
static Oid hook_name_to_oid(Oid reg_type, const char *s, size_t len)
{
    Arena *a = arena_create("reg_lookup", NULL);
    volatile Oid oid = 0;
    LM_TRY();
    {
        oid = planner_reg_lookup(NULL, a, reg_type, arena_strndup(a, s, len), -1);
    }
    LM_CATCH();
    {
        arena_destroy(a);
        error_rethrow();
    }
    LM_END_TRY();
    arena_destroy(a);
    return oid;
}

void planner_install_reg_names(void)
{
    RegNameHooks hooks = {.oid_to_name = planner_reg_name, .name_to_oid = hook_name_to_oid};
    reg_names_install(&hooks);
}
