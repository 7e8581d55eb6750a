/*
 * fn_pgcatalog.c: the functions psql, drivers, BI tools and ORMs call
 * against PostgreSQL's catalog: version(), current_database/schema/schemas/
 * user, current_setting/set_config, pg_backend_pid, pg_postmaster_start_time,
 * pg_*_is_visible, format_type, pg_get_expr, pg_get_userbyid,
 * pg_get_indexdef/constraintdef/viewdef, pg_get_function_arguments/result,
 * obj/col/shobj_description, has_*_privilege, pg_encoding_to_char,
 * pg_char_to_encoding, pg_relation_size and friends, pg_size_pretty,
 * pg_is_in_recovery, txid_current.
 *
 * Session facts come from SessionServices; relation and pg_proc facts from
 * the planner's system-view registry through FuncCatalogHooks (func.h), so
 * the executor never calls up into the planner.  Without hooks, name lookups
 * fall back to the storage catalog (tables only).
 *
 * The has_*_privilege functions are in fn_privilege.c (this file's table
 * names them); unknown OIDs give NULL as in PostgreSQL.  Sizes: storage does not
 * account bytes per table or database, so pg_relation_size, pg_database_size
 * and friends return 0 for existing objects.  Laminar has no comments (COMMENT ON), so the
 * *_description functions return NULL.
 */
#include "executor/fn_pgcatalog_int.h"
#include "common/reg_names.h"

#include <stdio.h>
#include <strings.h>

#define LAMINAR_VERSION_STRING                                                                     \
    "PostgreSQL 15.8 (Laminar 0.1.0) on x86_64-pc-linux-gnu, compiled by gcc, 64-bit"

FuncCatalogHooks fn_catalog_hooks;

void func_set_catalog_hooks(const FuncCatalogHooks *h)
{
    if (h)
        fn_catalog_hooks = *h;
    else
        memset(&fn_catalog_hooks, 0, sizeof(fn_catalog_hooks));
}

static void put_cstr(OutBuf *ob, Vector *out, int r, const char *s)
{
    if (s == NULL)
        vector_set_null(out, r);
    else
        fn_put_str(ob, out, r, s, strlen(s));
}

/* ---------- session facts ---------- */

static void const_text_rows(FuncCall *fc, const Batch *b, Vector *out, const char *s)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    FN_FOREACH(b, i, r)
    put_cstr(&ob, out, r, s);
}

static void fn_version(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const_text_rows(fc, b, out, LAMINAR_VERSION_STRING);
}
static void fn_current_database(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const_text_rows(fc, b, out, fc->ctx->svc ? fc->ctx->svc->database : NULL);
}
static void fn_current_user(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const_text_rows(fc, b, out, fc->ctx->svc ? fc->ctx->svc->user : NULL);
}

static void fn_backend_pid(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    int32 pid = fc->ctx->svc ? fc->ctx->svc->backend_pid : 0;
    FN_FOREACH(b, i, r)
    {
        FN_I32(out)[r] = pid;
        vector_set_valid(out, r);
    }
}

static void fn_postmaster_start_time(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    int64 t = fc->ctx->svc ? fc->ctx->svc->server_start_time : 0;
    FN_FOREACH(b, i, r)
    {
        if (t == 0)
            vector_set_null(out, r);
        else {
            FN_I64(out)[r] = t;
            vector_set_valid(out, r);
        }
    }
}

static void fn_false(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        FN_U8(out)[r] = false;
        vector_set_valid(out, r);
    }
}

/* txid_current(): stable within a transaction and increasing across them (the transaction's
 * start time in microseconds; Laminar has no transaction-id counter). */
static void fn_txid_current(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        FN_I64(out)[r] = fc->ctx->transaction_timestamp;
        vector_set_valid(out, r);
    }
}

/* ---------- schemas and search_path ---------- */

static bool builtin_schema(const char *s)
{
    return strcmp(s, "pg_catalog") == 0 || strcmp(s, "public") == 0 ||
           strcmp(s, "information_schema") == 0 || strcmp(s, "laminar") == 0;
}

bool fn_catalog_schema_exists(FuncCall *fc, const char *name)
{
    if (builtin_schema(name))
        return true;
    const SessionServices *svc = fc->ctx->svc;
    Arena *a = fn_catalog_scratch(fc);
    int n = 0;
    CatSchema *sc = svc && svc->list_schemas ? svc->list_schemas(svc->session, a, &n)
                                             : catalog_list_schemas(a, &n);
    for (int k = 0; k < n; k++)
        if (strcmp(sc[k].name, name) == 0)
            return true;
    /* a schema named only by a table (before CREATE SCHEMA existed) */
    CatTable *t = svc && svc->list_tables ? svc->list_tables(svc->session, a, &n)
                                          : catalog_list_tables(a, &n);
    for (int k = 0; k < n; k++)
        if (t[k].schema && strcmp(t[k].schema, name) == 0)
            return true;
    return false;
}

/* The existing schemas of search_path in order ("$user" is the session user's schema), as
 * the binder searches them and CREATE TABLE picks the first (server/table_ddl.c). */
static int search_path_schemas(FuncCall *fc, const char **out, int max)
{
    const SessionServices *svc = fc->ctx->svc;
    Arena *a = fn_catalog_scratch(fc);
    const char *sp =
        svc && svc->get_setting ? svc->get_setting(svc->session, "search_path", true) : NULL;
    if (sp == NULL)
        sp = "\"$user\", public";
    int n = 0;
    const char *p = sp;
    while (*p && n < max) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        char buf[256];
        size_t l = 0;
        if (*p == '"') {
            p++;
            while (*p && !(*p == '"' && p[1] != '"') && l < sizeof(buf) - 1) {
                if (*p == '"')
                    p++;
                buf[l++] = *p++;
            }
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ',' && *p != ' ' && l < sizeof(buf) - 1) {
                char c = *p++;
                buf[l++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
            }
        }
        while (*p && *p != ',')
            p++;
        buf[l] = '\0';
        const char *name = buf;
        if (strcmp(buf, "$user") == 0) {
            /* the user's own schema; never a built-in one (the bootstrap role is "laminar",
             * whose namesake schema holds system views: tables are created in public) */
            if (!svc || !svc->user || builtin_schema(svc->user))
                continue;
            name = svc->user;
        }
        if (fn_catalog_schema_exists(fc, name))
            out[n++] = arena_strdup(a, name);
    }
    return n;
}

static void fn_current_schema(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const char *schemas[32];
    int n = search_path_schemas(fc, schemas, 32);
    const_text_rows(fc, b, out, n > 0 ? schemas[0] : NULL);
}

static void fn_current_schemas(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const char *schemas[33];
    int n = search_path_schemas(fc, schemas + 1, 32);
    int first = 1;
    Vector *ev = &out->children[0];
    FN_FOREACH(b, i, r)
    {
        bool implicit = FN_U8(args[0])[r];
        int start = 1;
        if (implicit) {
            bool listed = false;
            for (int k = 1; k <= n; k++)
                listed |= strcmp(schemas[k], "pg_catalog") == 0;
            if (!listed) {
                schemas[0] = "pg_catalog";
                start = 0;
            }
        }
        (void)first;
        ListEntry *le = &((ListEntry *)out->data)[r];
        le->offset = (uint32)out->child_count;
        vector_reserve_children(out, out->arena, out->child_count + n + 1);
        for (int k = start; k <= n; k++) {
            int e = out->child_count++;
            vector_set_str(ev, out->arena, e, schemas[k], strlen(schemas[k]));
        }
        le->length = (uint32)out->child_count - le->offset;
        vector_set_valid(out, r);
    }
}

/* ---------- settings ---------- */

static void setting_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool has_missing)
{
    const SessionServices *svc = fc->ctx->svc;
    if (!svc || !svc->get_setting)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("settings are not available in this context"), errposition(fn_errpos(fc)));
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    Arena *a = fn_catalog_scratch(fc);
    FN_FOREACH(b, i, r)
    {
        bool missing_ok = has_missing && FN_U8(args[1])[r];
        const char *v =
            svc->get_setting(svc->session, fn_catalog_cstr(a, &FN_SV(args[0])[r]), missing_ok);
        put_cstr(&ob, out, r, v);
    }
}
static void fn_current_setting1(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    setting_rows(fc, args, b, out, false);
}
static void fn_current_setting2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    setting_rows(fc, args, b, out, true);
}

/* set_config(name, value, is_local): a NULL value resets to the default, as PostgreSQL. */
static void fn_set_config(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const SessionServices *svc = fc->ctx->svc;
    if (!svc || !svc->set_setting || !svc->get_setting)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("settings are not available in this context"), errposition(fn_errpos(fc)));
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    Arena *a = fn_catalog_scratch(fc);
    FN_FOREACH(b, i, r)
    {
        if (!vector_is_valid(args[0], r))
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("SET requires parameter name"), errposition(fn_errpos(fc)));
        const char *name = fn_catalog_cstr(a, &FN_SV(args[0])[r]);
        const char *value =
            vector_is_valid(args[1], r) ? fn_catalog_cstr(a, &FN_SV(args[1])[r]) : NULL;
        bool is_local = vector_is_valid(args[2], r) && FN_U8(args[2])[r];
        svc->set_setting(svc->session, name, value, is_local);
        put_cstr(&ob, out, r, svc->get_setting(svc->session, name, false));
    }
}

/* ---------- relations and types ---------- */

bool fn_catalog_relation_by_oid(FuncCall *fc, Oid oid, const char **schema, const char **name,
                                char *relkind)
{
    Arena *a = fn_catalog_scratch(fc);
    if (fn_catalog_hooks.relation_by_oid)
        return fn_catalog_hooks.relation_by_oid(fc->ctx, a, oid, schema, name, relkind);
    int n = 0;
    const SessionServices *svc = fc->ctx->svc;
    CatTable *t = svc && svc->list_tables ? svc->list_tables(svc->session, a, &n)
                                          : catalog_list_tables(a, &n);
    for (int k = 0; k < n; k++)
        if (t[k].oid == oid) {
            *schema = t[k].schema ? t[k].schema : "public";
            *name = t[k].name;
            *relkind = t[k].kind == CAT_TABLE_PLAIN ? 'r' : 'f';
            return true;
        }
    return false;
}

/* pg_table_is_visible(oid): the relation's schema is on the search path and it is the first
 * relation of that name found there.  pg_catalog is always searched first. */
/* pg_relation_is_publishable(regclass): true for plain tables (PostgreSQL: ordinary permanent
 * tables), false for views and Laminar's source/sink tables, NULL for unknown OIDs. */
static void fn_relation_is_publishable(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        const char *schema, *name;
        char relkind;
        if (!fn_catalog_relation_by_oid(fc, FN_OID(args[0])[r], &schema, &name, &relkind)) {
            vector_set_null(out, r);
            continue;
        }
        FN_U8(out)[r] = relkind == 'r' && strcmp(schema, "pg_catalog") != 0 &&
                        strcmp(schema, "information_schema") != 0;
        vector_set_valid(out, r);
    }
}

static void fn_table_is_visible(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const char *path[32];
    int np = -1;
    FN_FOREACH(b, i, r)
    {
        const char *schema, *name;
        char relkind;
        if (!fn_catalog_relation_by_oid(fc, FN_OID(args[0])[r], &schema, &name, &relkind)) {
            vector_set_null(out, r);
            continue;
        }
        bool visible = false;
        if (strcmp(schema, "pg_catalog") == 0)
            visible = true;
        else {
            if (np < 0)
                np = search_path_schemas(fc, path, 32);
            for (int k = 0; k < np && !visible; k++)
                if (strcmp(path[k], schema) == 0)
                    visible = true;
            if (visible && fn_catalog_hooks.relation_by_name) {
                /* hidden by a same-named relation earlier in the path? */
                Oid found = 0;
                if (fn_catalog_hooks.relation_by_name(fc->ctx, fn_catalog_scratch(fc), NULL, name,
                                                      &found))
                    visible = found == FN_OID(args[0])[r];
            }
        }
        FN_U8(out)[r] = visible;
        vector_set_valid(out, r);
    }
}

/* Types and functions all live in pg_catalog, which is always visible. */
static void fn_true_for_oid(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        FN_U8(out)[r] = true;
        vector_set_valid(out, r);
    }
}

/* format_type(type_oid, typmod): NULL oid gives NULL, NULL typmod means -1; unknown OIDs "???". */
static void fn_format_type(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    FN_FOREACH(b, i, r)
    {
        if (!vector_is_valid(args[0], r)) {
            vector_set_null(out, r);
            continue;
        }
        int32 typmod = vector_is_valid(args[1], r) ? FN_I32(args[1])[r] : -1;
        Oid oid = FN_OID(args[0])[r];
        const LmType *t = type_from_pg_oid(ob.arena, oid, typmod);
        strbuf_reset(&sb);
        if (oid == 0)
            strbuf_append_char(&sb, '-'); /* as PostgreSQL */
        else if (t)
            type_pg_format(t, &sb);
        else if (!reg_names_lookup(REGTYPEOID, oid, &sb)) /* pg_type rows without a Laminar type */
            strbuf_append_str(&sb, "???");
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}

/* pg_get_expr(text, relid [, pretty]): expressions are stored as SQL text already. */
static void fn_get_expr(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *s = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    fn_set_str(out, r, s[r].ptr, s[r].len);
}

static void fn_get_userbyid(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    int n = 0;
    CatRole *roles = NULL;
    bool loaded = false;
    FN_FOREACH(b, i, r)
    {
        if (!loaded) {
            roles = catalog_list_roles(ob.arena, &n);
            loaded = true;
        }
        Oid oid = FN_OID(args[0])[r];
        const char *name = NULL;
        for (int k = 0; k < n && !name; k++)
            if (roles[k].oid == oid)
                name = roles[k].name;
        if (name == NULL)
            name = arena_printf(ob.arena, "unknown (OID=%u)", oid);
        put_cstr(&ob, out, r, name);
    }
}

typedef const char *(*DefByOid)(ExecContext *ctx, Arena *a, Oid oid);

static void def_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, DefByOid fn)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    FN_FOREACH(b, i, r)
    put_cstr(&ob, out, r, fn ? fn(fc->ctx, ob.arena, FN_OID(args[0])[r]) : NULL);
}
static void fn_get_indexdef(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    def_rows(fc, args, b, out, fn_catalog_hooks.indexdef_by_oid);
}
static void fn_get_constraintdef(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    def_rows(fc, args, b, out, fn_catalog_hooks.constraintdef_by_oid);
}
static void fn_get_viewdef(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    def_rows(fc, args, b, out, fn_catalog_hooks.viewdef_by_oid);
}

/* pg_get_viewdef('name'): the view by name; 42P01 when there is none. */
static void fn_get_viewdef_name(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    FN_FOREACH(b, i, r)
    {
        Oid oid = 0;
        fn_catalog_lookup_relation(fc, &FN_SV(args[0])[r], &oid, true);
        put_cstr(&ob, out, r,
                 fn_catalog_hooks.viewdef_by_oid
                     ? fn_catalog_hooks.viewdef_by_oid(fc->ctx, ob.arena, oid)
                     : NULL);
    }
}

/* Type of a registry argument class as PostgreSQL prints it in pg_get_function_arguments. */
static void append_functype(StrBuf *sb, int t)
{
    switch (t) {
    case FT_ANY:
        strbuf_append_str(sb, "\"any\"");
        return;
    case FT_ANYARRAY:
    case TYPE_ARRAY:
        strbuf_append_str(sb, "anyarray");
        return;
    case FT_ANYELEMENT:
        strbuf_append_str(sb, "anyelement");
        return;
    case FT_ANYNONARRAY:
        strbuf_append_str(sb, "anynonarray");
        return;
    case FT_ANYNUMERIC:
    case TYPE_DECIMAL:
        strbuf_append_str(sb, "numeric");
        return;
    case TYPE_MAP:
    case TYPE_STRUCT:
        strbuf_append_str(sb, "json");
        return;
    default:
        break;
    }
    const LmType *lt = t >= 0 && t < TYPE__COUNT ? type_scalar((TypeId)t) : NULL;
    if (lt)
        type_pg_format(lt, sb);
    else
        strbuf_append_str(sb, "???");
}

/*
 * The result type a resolver gives for the declared argument classes (concrete results only:
 * void, text[], jsonb, name); NULL when it cannot say.  Resolvers of other groups may raise for
 * placeholder types, so errors are caught.
 */
static const LmType *resolve_declared(Arena *a, ReturnTypeFn rf, int nargs, const int *types)
{
    const LmType *argt[FUNC_MAX_ARGS];
    for (int k = 0; k < nargs && k < FUNC_MAX_ARGS; k++) {
        int t = types[k];
        const LmType *lt = t >= 0 && t < TYPE__COUNT ? type_scalar((TypeId)t) : NULL;
        if (t == TYPE_DECIMAL)
            lt = type_decimal(a, DECIMAL_MAX_PRECISION, 0);
        else if (t == TYPE_ARRAY || t == FT_ANYARRAY)
            lt = type_array(a, type_string());
        argt[k] = lt ? lt : type_unknown();
    }
    const LmType *volatile rt = NULL;
    LM_TRY();
    {
        rt = rf(a, nargs, argt);
    }
    LM_CATCH();
    {
        error_clear();
        rt = NULL;
    }
    LM_END_TRY();
    return rt;
}

/* Argument list and result type of a registry function as pg_get_function_arguments/_result
 * print them ("text, integer", "VARIADIC \"any\"", "void", "text[]"). */
static void function_signature_text(Arena *a, const FuncDesc *f, const AggDesc *ag, StrBuf *argsb,
                                    StrBuf *retsb)
{
    int nargs = f ? f->nargs : ag->nargs;
    const int *types = f ? f->args : ag->args;
    strbuf_reset(argsb);
    for (int k = 0; k < nargs; k++) {
        if (k)
            strbuf_append_str(argsb, ", ");
        bool variadic = f && (f->flags & FN_VARIADIC) && k == nargs - 1;
        if (variadic)
            strbuf_append_str(argsb, "VARIADIC ");
        append_functype(argsb, types[k]);
        if (variadic && types[k] != FT_ANY)
            strbuf_append_str(argsb, "[]");
    }
    strbuf_reset(retsb);
    int ret = f ? f->ret : ag->ret;
    ReturnTypeFn rf = f ? f->resolve_ret : ag->resolve_ret;
    const LmType *rt = NULL;
    if (rf && ret >= 0 && ret < TYPE__COUNT && ret != TYPE_DECIMAL)
        rt = resolve_declared(a, rf, nargs, types);
    if (rt && type_pg_oid(rt) == VOIDOID)
        strbuf_append_str(retsb, "void");
    else if (rt)
        type_pg_format(rt, retsb);
    else
        append_functype(retsb, ret);
}

static void function_text_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out,
                               bool result)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf argsb, retsb;
    strbuf_init(&argsb, ob.arena);
    strbuf_init(&retsb, ob.arena);
    FN_FOREACH(b, i, r)
    {
        const FuncDesc *f = NULL;
        const AggDesc *ag = NULL;
        if (!fn_catalog_hooks.proc_by_oid ||
            !fn_catalog_hooks.proc_by_oid(FN_OID(args[0])[r], &f, &ag)) {
            vector_set_null(out, r);
            continue;
        }
        function_signature_text(ob.arena, f, ag, &argsb, &retsb);
        const StrBuf *res = result ? &retsb : &argsb;
        fn_put_str(&ob, out, r, res->data, res->len);
    }
}
static void fn_get_function_arguments(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    function_text_rows(fc, args, b, out, false);
}
static void fn_get_function_result(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    function_text_rows(fc, args, b, out, true);
}

/* obj_description / col_description / shobj_description: Laminar has no comments. */
static void fn_null(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    vector_set_null(out, r);
}

/* ---------- names ---------- */

/* Splits "schema.name" / "name" (double quotes honoured, unquoted parts lower-cased). */
int fn_catalog_split_name(Arena *a, const StrView *text, char **parts, int max)
{
    int n = 0;
    const char *s = text->ptr, *end = text->ptr + text->len;
    while (s < end && n < max) {
        StrBuf sb;
        strbuf_init(&sb, a);
        while (s < end && *s == ' ')
            s++;
        if (s < end && *s == '"') {
            s++;
            while (s < end) {
                if (*s == '"') {
                    if (s + 1 < end && s[1] == '"') {
                        strbuf_append_char(&sb, '"');
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                strbuf_append_char(&sb, *s++);
            }
        } else
            while (s < end && *s != '.') {
                char c = *s++;
                strbuf_append_char(&sb, (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c);
            }
        while (sb.len > 0 && sb.data[sb.len - 1] == ' ')
            strbuf_truncate(&sb, sb.len - 1);
        parts[n++] = sb.data;
        while (s < end && *s == ' ')
            s++;
        if (s < end && *s == '.')
            s++;
    }
    return n;
}

bool fn_catalog_lookup_relation(FuncCall *fc, const StrView *text, Oid *oid, bool raise)
{
    Arena *a = fn_catalog_scratch(fc);
    char *parts[3];
    int n = fn_catalog_split_name(a, text, parts, 3);
    const char *schema = n >= 2 ? parts[n - 2] : NULL;
    const char *name = n >= 1 ? parts[n - 1] : "";
    bool found = false;
    if (fn_catalog_hooks.relation_by_name)
        found = fn_catalog_hooks.relation_by_name(fc->ctx, a, schema, name, oid);
    else {
        int nt = 0;
        const SessionServices *svc = fc->ctx->svc;
        CatTable *t = svc && svc->list_tables ? svc->list_tables(svc->session, a, &nt)
                                              : catalog_list_tables(a, &nt);
        for (int k = 0; k < nt && !found; k++)
            if (strcmp(t[k].name, name) == 0 &&
                (!schema || strcmp(schema, t[k].schema ? t[k].schema : "public") == 0)) {
                found = true;
                *oid = t[k].oid;
            }
    }
    if (!found && raise)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                errmsg("relation \"%.*s\" does not exist", (int)text->len, text->ptr),
                errposition(fn_errpos(fc)));
    return found;
}

/* pg_get_functiondef(oid): the CREATE statement of a built-in function, as PostgreSQL prints
 * it for internal functions. */
static void fn_get_functiondef(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb, argsb, retsb;
    strbuf_init(&sb, ob.arena);
    strbuf_init(&argsb, ob.arena);
    strbuf_init(&retsb, ob.arena);
    FN_FOREACH(b, i, r)
    {
        const FuncDesc *f = NULL;
        const AggDesc *ag = NULL;
        Oid oid = FN_OID(args[0])[r];
        if (!fn_catalog_hooks.proc_by_oid || !fn_catalog_hooks.proc_by_oid(oid, &f, &ag)) {
            vector_set_null(out, r);
            continue;
        }
        if (ag)
            ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                    errmsg("\"%s\" is an aggregate function", ag->name),
                    errposition(fn_errpos(fc)));
        function_signature_text(ob.arena, f, NULL, &argsb, &retsb);
        strbuf_reset(&sb);
        strbuf_printf(
            &sb,
            "CREATE OR REPLACE FUNCTION pg_catalog.%s(%s)\n RETURNS %s\n LANGUAGE internal\n"
            " %s%s%s\nAS $function$%s$function$\n",
            f->name, argsb.data, retsb.data,
            (f->flags & FN_VOLATILE) ? ""
            : (f->flags & FN_STABLE) ? "STABLE "
                                     : "IMMUTABLE ",
            (f->flags & FN_VOLATILE) ? "PARALLEL RESTRICTED" : "PARALLEL SAFE",
            (f->flags & FN_STRICT) ? " STRICT" : "", f->name);
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}

/* pg_get_serial_sequence(table, column): Laminar has no sequences; the table must exist. */
static void fn_get_serial_sequence(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        Oid oid;
        fn_catalog_lookup_relation(fc, &FN_SV(args[0])[r], &oid, true);
        vector_set_null(out, r);
    }
}

static void fn_tablespace_location(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    fn_set_str(out, r, "", 0);
}

static void fn_database_encoding(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    fn_set_str(out, r, "UTF8", 4);
}

/* to_regclass(text) / to_regtype(text): the OID, or NULL when the name does not resolve. */
static void fn_to_regclass(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        Oid oid = 0;
        if (!fn_catalog_lookup_relation(fc, &FN_SV(args[0])[r], &oid, false))
            vector_set_null(out, r);
        else {
            FN_OID(out)[r] = oid;
            vector_set_valid(out, r);
        }
    }
}

static void fn_to_regtype(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    Arena *a = fn_catalog_scratch(fc);
    FN_FOREACH(b, i, r)
    {
        int pos;
        const char *msg;
        const LmType *t = type_parse(a, fn_catalog_cstr(a, &FN_SV(args[0])[r]), &pos, &msg);
        if (t == NULL)
            vector_set_null(out, r);
        else {
            FN_OID(out)[r] = type_pg_oid(t);
            vector_set_valid(out, r);
        }
    }
}

/* pg_typeof(any): the argument's PostgreSQL type, as regtype. */
static void fn_pg_typeof(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    Oid oid = type_pg_oid(args[0]->type);
    FN_FOREACH(b, i, r)
    {
        FN_OID(out)[r] = oid;
        vector_set_valid(out, r);
    }
}

/* ---------- encodings and sizes ---------- */

static void fn_encoding_to_char(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        int32 e = FN_I32(args[0])[r];
        const char *s = e == 6 ? "UTF8" : e == 0 ? "SQL_ASCII" : "";
        fn_set_str(out, r, s, strlen(s));
    }
}

static void fn_char_to_encoding(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        const StrView *s = &FN_SV(args[0])[r];
        int32 e = -1;
        if ((s->len == 4 && strncasecmp(s->ptr, "UTF8", 4) == 0) ||
            (s->len == 5 && strncasecmp(s->ptr, "UTF-8", 5) == 0) ||
            (s->len == 7 && strncasecmp(s->ptr, "UNICODE", 7) == 0))
            e = 6;
        else if (s->len == 9 && strncasecmp(s->ptr, "SQL_ASCII", 9) == 0)
            e = 0;
        FN_I32(out)[r] = e;
        vector_set_valid(out, r);
    }
}

static void fn_relation_size(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        const char *s, *n;
        char rk;
        if (!fn_catalog_relation_by_oid(fc, FN_OID(args[0])[r], &s, &n, &rk)) {
            vector_set_null(out, r);
            continue;
        }
        FN_I64(out)[r] = 0;
        vector_set_valid(out, r);
    }
}

/* pg_database_size / pg_tablespace_size: existing objects, sizes not accounted (0). */
static void fn_database_size(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const char *db = fc->ctx->svc ? fc->ctx->svc->database : NULL;
    FN_FOREACH(b, i, r)
    {
        if (args[0]->type->id == TYPE_STRING) {
            const StrView *name = &FN_SV(args[0])[r];
            if (!db || strlen(db) != name->len || memcmp(db, name->ptr, name->len) != 0)
                ereport(ERROR, errcode(ERRCODE_INVALID_CATALOG_NAME),
                        errmsg("database \"%.*s\" does not exist", (int)name->len, name->ptr),
                        errposition(fn_errpos(fc)));
        }
        FN_I64(out)[r] = 0;
        vector_set_valid(out, r);
    }
}

/* pg_size_pretty(bigint), PostgreSQL 15's rounding: bytes below 10 kB, then kB, MB, GB, TB, PB. */
static void fn_size_pretty(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    static const char *const units[] = {"kB", "MB", "GB", "TB", "PB"};
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    FN_FOREACH(b, i, r)
    {
        int64 size = FN_I64(args[0])[r];
        char buf[64];
        const int64 limit = 10 * 1024, limit2 = limit * 2 - 1;
        if ((size < 0 ? -size : size) < limit)
            snprintf(buf, sizeof(buf), "%lld bytes", (long long)size);
        else {
            size >>= 9; /* one extra bit for rounding */
            int u = 0;
            while (u < 4 && (size < 0 ? -size : size) >= limit2) {
                size >>= 10;
                u++;
            }
            int64 half = (size + (size < 0 ? -1 : 1)) / 2;
            snprintf(buf, sizeof(buf), "%lld %s", (long long)half, units[u]);
        }
        fn_put_str(&ob, out, r, buf, strlen(buf));
    }
}

/* ---------- the table ---------- */

static const LmType *ret_name(Arena *a, int nargs, const LmType **t)
{
    return type_with_pg_oid(a, type_string(), NAMEOID);
}
static const LmType *ret_regclass(Arena *a, int nargs, const LmType **t)
{
    return type_with_pg_oid(a, type_oid(), REGCLASSOID);
}
static const LmType *ret_regtype(Arena *a, int nargs, const LmType **t)
{
    return type_with_pg_oid(a, type_oid(), REGTYPEOID);
}
static const LmType *ret_name_array(Arena *a, int nargs, const LmType **t)
{
    return type_with_pg_oid(a, type_array(a, type_with_pg_oid(a, type_string(), NAMEOID)),
                            NAMEARRAYOID);
}

/* clang-format off */
#define S TYPE_STRING
#define O TYPE_OID
#define I4 TYPE_INT32
#define I8 TYPE_INT64
#define B TYPE_BOOL
#define STRICT FN_STRICT
#define STABLE FN_STABLE

const FuncDesc lm_funcs_pgcatalog[] = {
    {"version", 89, 0, {0}, S, NULL, fn_version, STABLE, "PostgreSQL version string"},
    {"current_database", 861, 0, {0}, S, ret_name, fn_current_database, STABLE,
     "name of the current database"},
    {"current_schema", 1402, 0, {0}, S, ret_name, fn_current_schema, STABLE | FN_SESSION,
     "current schema name"},
    {"current_schemas", 1403, 1, {B}, TYPE_ARRAY, ret_name_array, fn_current_schemas,
     STABLE | FN_SESSION | STRICT, "current schema search list"},
    {"current_user", 745, 0, {0}, S, ret_name, fn_current_user, STABLE, "current user name"},
    {"session_user", 746, 0, {0}, S, ret_name, fn_current_user, STABLE, "session user name"},
    {"pg_backend_pid", 2026, 0, {0}, I4, NULL, fn_backend_pid, STABLE,
     "statistics: current backend PID"},
    {"pg_postmaster_start_time", 2560, 0, {0}, TYPE_TIMESTAMPTZ, NULL, fn_postmaster_start_time,
     STABLE, "postmaster start time"},
    {"pg_is_in_recovery", 3810, 0, {0}, B, NULL, fn_false, FN_VOLATILE,
     "true if server is in recovery"},
    {"txid_current", 2943, 0, {0}, I8, NULL, fn_txid_current, STABLE,
     "get current transaction ID"},
    {"current_setting", 2077, 1, {S}, S, NULL, fn_current_setting1, STABLE | FN_SESSION | STRICT,
     "SHOW X as a function"},
    {"current_setting", 3294, 2, {S, B}, S, NULL, fn_current_setting2, STABLE | FN_SESSION | STRICT,
     "SHOW X as a function, optionally no error for missing variable"},
    {"set_config", 2078, 3, {S, S, B}, S, NULL, fn_set_config, FN_VOLATILE,
     "SET X as a function"},
    {"pg_table_is_visible", 2079, 1, {O}, B, NULL, fn_table_is_visible, STABLE | STRICT,
     "is table visible in search path?"},
    {"pg_relation_is_publishable", 6121, 1, {O}, B, NULL, fn_relation_is_publishable,
     STABLE | STRICT, "returns whether a relation can be part of a publication"},
    {"pg_type_is_visible", 2080, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is type visible in search path?"},
    {"pg_function_is_visible", 2081, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is function visible in search path?"},
    {"format_type", 1081, 2, {O, I4}, S, NULL, fn_format_type, STABLE,
     "format a type oid and atttypmod to canonical SQL"},
    {"pg_get_expr", 1716, 2, {S, O}, S, NULL, fn_get_expr, STABLE | STRICT,
     "deparse an encoded expression"},
    {"pg_get_expr", 2509, 3, {S, O, B}, S, NULL, fn_get_expr, STABLE | STRICT,
     "deparse an encoded expression with pretty-print option"},
    {"pg_get_userbyid", 1642, 1, {O}, S, ret_name, fn_get_userbyid, STABLE | STRICT,
     "role name by OID (with fallback)"},
    {"pg_get_indexdef", 1643, 1, {O}, S, NULL, fn_get_indexdef, STABLE | STRICT,
     "index description"},
    {"pg_get_indexdef", 2507, 3, {O, I4, B}, S, NULL, fn_get_indexdef, STABLE | STRICT,
     "index description (full create statement or single expression) with pretty-print option"},
    {"pg_get_constraintdef", 1387, 1, {O}, S, NULL, fn_get_constraintdef, STABLE | STRICT,
     "constraint description"},
    {"pg_get_constraintdef", 2508, 2, {O, B}, S, NULL, fn_get_constraintdef, STABLE | STRICT,
     "constraint description with pretty-print option"},
    {"pg_get_viewdef", 1641, 1, {O}, S, NULL, fn_get_viewdef, STABLE | STRICT,
     "select statement of a view"},
    {"pg_get_viewdef", 2506, 2, {O, B}, S, NULL, fn_get_viewdef, STABLE | STRICT,
     "select statement of a view with pretty-print option"},
    {"pg_get_viewdef", 1640, 1, {S}, S, NULL, fn_get_viewdef_name, STABLE | STRICT,
     "select statement of a view"},
    {"pg_get_function_arguments", 2162, 1, {O}, S, NULL, fn_get_function_arguments,
     STABLE | STRICT, "argument list of a function"},
    {"pg_get_function_identity_arguments", 2232, 1, {O}, S, NULL, fn_get_function_arguments,
     STABLE | STRICT, "identity argument list of a function"},
    {"pg_get_function_result", 2165, 1, {O}, S, NULL, fn_get_function_result, STABLE | STRICT,
     "result type of a function"},
    {"obj_description", 1215, 2, {O, S}, S, NULL, fn_null, STABLE | STRICT,
     "get description for object id and catalog name"},
    {"obj_description", 1348, 1, {O}, S, NULL, fn_null, STABLE | STRICT,
     "deprecated, use two-argument form instead"},
    {"col_description", 1216, 2, {O, I4}, S, NULL, fn_null, STABLE | STRICT,
     "get description for table column"},
    {"shobj_description", 1993, 2, {O, S}, S, NULL, fn_null, STABLE | STRICT,
     "get description for object id and shared catalog name"},
    {"has_table_privilege", 1926, 2, {S, S}, B, NULL, fn_has_table_priv, STABLE | STRICT,
     "current user privilege on relation by rel name"},
    {"has_table_privilege", 1927, 2, {O, S}, B, NULL, fn_has_table_priv, STABLE | STRICT,
     "current user privilege on relation by rel oid"},
    {"has_table_privilege", 1922, 3, {S, S, S}, B, NULL, fn_has_table_priv_u, STABLE | STRICT,
     "user privilege on relation by username, rel name"},
    {"has_table_privilege", 1923, 3, {S, O, S}, B, NULL, fn_has_table_priv_u, STABLE | STRICT,
     "user privilege on relation by username, rel oid"},
    {"has_schema_privilege", 2272, 2, {S, S}, B, NULL, fn_has_schema_priv, STABLE | STRICT,
     "current user privilege on schema by schema name"},
    {"has_schema_privilege", 2273, 2, {O, S}, B, NULL, fn_has_schema_priv, STABLE | STRICT,
     "current user privilege on schema by schema oid"},
    {"has_schema_privilege", 2268, 3, {S, S, S}, B, NULL, fn_has_schema_priv_u, STABLE | STRICT,
     "user privilege on schema by username, schema name"},
    {"has_database_privilege", 2254, 2, {S, S}, B, NULL, fn_has_database_priv, STABLE | STRICT,
     "current user privilege on database by database name"},
    {"has_database_privilege", 2255, 2, {O, S}, B, NULL, fn_has_database_priv, STABLE | STRICT,
     "current user privilege on database by database oid"},
    {"has_database_privilege", 2250, 3, {S, S, S}, B, NULL, fn_has_database_priv_u,
     STABLE | STRICT, "user privilege on database by username, database name"},
    {"has_function_privilege", 2260, 2, {S, S}, B, NULL, fn_has_function_priv, STABLE | STRICT,
     "current user privilege on function by function name"},
    {"has_function_privilege", 2261, 2, {O, S}, B, NULL, fn_has_function_priv, STABLE | STRICT,
     "current user privilege on function by function oid"},
    {"has_function_privilege", 2256, 3, {S, S, S}, B, NULL, fn_has_function_priv_u,
     STABLE | STRICT, "user privilege on function by username, function name"},
    {"has_column_privilege", 3020, 3, {S, S, S}, B, NULL, fn_has_column_priv, STABLE | STRICT,
     "current user privilege on column by rel name, col name"},
    {"has_column_privilege", 3012, 4, {S, S, S, S}, B, NULL, fn_has_column_priv_u,
     STABLE | STRICT, "user privilege on column by username, rel name, col name"},
    {"has_column_privilege", 3022, 3, {O, S, S}, B, NULL, fn_has_column_priv, STABLE | STRICT,
     "current user privilege on column by rel oid, col name"},
    {"has_column_privilege", 3023, 3, {O, TYPE_INT16, S}, B, NULL, fn_has_column_priv,
     STABLE | STRICT, "current user privilege on column by rel oid, col attnum"},
    {"pg_has_role", 2709, 2, {S, S}, B, NULL, fn_has_role, STABLE | STRICT,
     "current user privilege on role by role name"},
    {"pg_has_role", 2710, 2, {O, S}, B, NULL, fn_has_role, STABLE | STRICT,
     "current user privilege on role by role oid"},
    {"pg_has_role", 2705, 3, {S, S, S}, B, NULL, fn_has_role_u, STABLE | STRICT,
     "user privilege on role by username, role name"},
    {"pg_has_role", 2706, 3, {S, O, S}, B, NULL, fn_has_role_u, STABLE | STRICT,
     "user privilege on role by username, role oid"},
    {"pg_get_functiondef", 2098, 1, {O}, S, NULL, fn_get_functiondef, STABLE | STRICT,
     "definition of a function"},
    {"pg_get_function_sqlbody", 6197, 1, {O}, S, NULL, fn_null, STABLE | STRICT,
     "function SQL body"},
    {"pg_get_serial_sequence", 1665, 2, {S, S}, S, NULL, fn_get_serial_sequence, STABLE | STRICT,
     "name of sequence for a serial column"},
    {"pg_get_partkeydef", 3352, 1, {O}, S, NULL, fn_null, STABLE | STRICT,
     "partition key description"},
    {"pg_get_partition_constraintdef", 3408, 1, {O}, S, NULL, fn_null, STABLE | STRICT,
     "partition constraint description"},
    {"pg_get_triggerdef", 1662, 1, {O}, S, NULL, fn_null, STABLE | STRICT, "trigger description"},
    {"pg_get_triggerdef", 2730, 2, {O, B}, S, NULL, fn_null, STABLE | STRICT,
     "trigger description with pretty-print option"},
    {"pg_get_ruledef", 1573, 1, {O}, S, NULL, fn_null, STABLE | STRICT,
     "source text of a rule"},
    {"pg_get_ruledef", 2504, 2, {O, B}, S, NULL, fn_null, STABLE | STRICT,
     "source text of a rule with pretty-print option"},
    {"pg_get_statisticsobjdef_columns", 6174, 1, {O}, S, NULL, fn_null, STABLE | STRICT,
     "extended statistics columns"},
    {"pg_tablespace_location", 3778, 1, {O}, S, NULL, fn_tablespace_location, STABLE | STRICT,
     "tablespace location"},
    {"pg_operator_is_visible", 2082, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is operator visible in search path?"},
    {"pg_opclass_is_visible", 2083, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is opclass visible in search path?"},
    {"pg_opfamily_is_visible", 3829, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is opfamily visible in search path?"},
    {"pg_collation_is_visible", 3815, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is collation visible in search path?"},
    {"pg_conversion_is_visible", 2093, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is conversion visible in search path?"},
    {"pg_statistics_obj_is_visible", 3403, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is statistics object visible in search path?"},
    {"pg_ts_config_is_visible", 3758, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is text search configuration visible in search path?"},
    {"pg_ts_dict_is_visible", 3757, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is text search dictionary visible in search path?"},
    {"pg_ts_parser_is_visible", 3756, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is text search parser visible in search path?"},
    {"pg_ts_template_is_visible", 3768, 1, {O}, B, NULL, fn_true_for_oid, STABLE | STRICT,
     "is text search template visible in search path?"},
    {"getdatabaseencoding", 1039, 0, {0}, S, ret_name, fn_database_encoding, STABLE,
     "encoding name of current database"},
    {"pg_client_encoding", 810, 0, {0}, S, ret_name, fn_database_encoding, STABLE,
     "encoding name of current database"},
    {"to_regclass", 3495, 1, {S}, O, ret_regclass, fn_to_regclass, STABLE | STRICT,
     "convert classname to regclass"},
    {"to_regtype", 3493, 1, {S}, O, ret_regtype, fn_to_regtype, STABLE | STRICT,
     "convert type name to regtype"},
    {"pg_typeof", 1619, 1, {FT_ANY}, O, ret_regtype, fn_pg_typeof, STABLE,
     "type of the argument"},
    {"pg_encoding_to_char", 1597, 1, {I4}, S, ret_name, fn_encoding_to_char, STABLE | STRICT,
     "convert encoding id to encoding name"},
    {"pg_char_to_encoding", 1264, 1, {S}, I4, NULL, fn_char_to_encoding, STABLE | STRICT,
     "convert encoding name to encoding id"},
    {"pg_relation_size", 2325, 1, {O}, I8, NULL, fn_relation_size, FN_VOLATILE | STRICT,
     "disk space usage for the main fork of the specified table or index"},
    {"pg_total_relation_size", 2286, 1, {O}, I8, NULL, fn_relation_size, FN_VOLATILE | STRICT,
     "total disk space usage for the specified table and associated indexes"},
    {"pg_table_size", 2997, 1, {O}, I8, NULL, fn_relation_size, FN_VOLATILE | STRICT,
     "disk space usage for the specified table, including TOAST, free space and visibility map"},
    {"pg_indexes_size", 2998, 1, {O}, I8, NULL, fn_relation_size, FN_VOLATILE | STRICT,
     "disk space usage for all indexes attached to the specified table"},
    {"pg_database_size", 2168, 1, {S}, I8, NULL, fn_database_size, FN_VOLATILE | STRICT,
     "total disk space usage for the specified database"},
    {"pg_database_size", 2324, 1, {O}, I8, NULL, fn_database_size, FN_VOLATILE | STRICT,
     "total disk space usage for the specified database"},
    {"pg_tablespace_size", 2322, 1, {O}, I8, NULL, fn_database_size, FN_VOLATILE | STRICT,
     "total disk space usage for the specified tablespace"},
    {"pg_size_pretty", 2288, 1, {I8}, S, NULL, fn_size_pretty, STRICT,
     "convert a long int to a human readable text using size units"},
};
/* clang-format on */
const int lm_nfuncs_pgcatalog = sizeof(lm_funcs_pgcatalog) / sizeof(lm_funcs_pgcatalog[0]);
