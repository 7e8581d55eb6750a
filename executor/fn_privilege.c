/*
 * fn_privilege.c: has_table_privilege, has_schema_privilege,
 * has_database_privilege, has_function_privilege, has_column_privilege and
 * pg_has_role, in their name, OID and user-qualified forms.
 *
 * Laminar has no GRANT system yet: every existing object is fully
 * accessible, so these answer true after checking what PostgreSQL checks —
 * the privilege names (22023 "unrecognized privilege type"), the role
 * (42704), and that the object exists (42P01, 3F000, 3D000, 42883 for
 * names; NULL for unknown OIDs, as PostgreSQL).  pg_has_role: a user is a
 * member of itself, a superuser of every role, and PostgreSQL's predefined
 * pg_* roles count for superusers only.
 */
#include "executor/fn_pgcatalog_int.h"

#include <strings.h>

static void check_privs(FuncCall *fc, const StrView *p, const char *const *allowed)
{
    /* comma-separated names, each optionally followed by WITH GRANT OPTION */
    const char *s = p->ptr, *end = p->ptr + p->len;
    while (s < end) {
        while (s < end && (*s == ' ' || *s == ','))
            s++;
        const char *e = s;
        while (e < end && *e != ',')
            e++;
        const char *te = e;
        while (te > s && te[-1] == ' ')
            te--;
        size_t l = (size_t)(te - s);
        if (l >= 18 && strncasecmp(te - 18, " WITH GRANT OPTION", 18) == 0) {
            te -= 18;
            while (te > s && te[-1] == ' ')
                te--;
            l = (size_t)(te - s);
        }
        if (l > 0) {
            bool ok = false;
            for (int k = 0; allowed[k] && !ok; k++)
                ok = strlen(allowed[k]) == l && strncasecmp(allowed[k], s, l) == 0;
            if (!ok)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("unrecognized privilege type: \"%.*s\"", (int)l, s),
                        errposition(fn_errpos(fc)));
        }
        s = e;
    }
}

static const char *const table_privs[] = {"SELECT",   "INSERT",     "UPDATE",  "DELETE",
                                          "TRUNCATE", "REFERENCES", "TRIGGER", NULL};
static const char *const column_privs[] = {"SELECT", "INSERT", "UPDATE", "REFERENCES", NULL};
static const char *const schema_privs[] = {"CREATE", "USAGE", NULL};
static const char *const database_privs[] = {"CREATE", "CONNECT", "TEMPORARY", "TEMP", NULL};
static const char *const function_privs[] = {"EXECUTE", NULL};

enum { OBJ_TABLE, OBJ_SCHEMA, OBJ_DATABASE, OBJ_FUNCTION, OBJ_COLUMN };

/*
 * has_*_privilege with the object given by name (text) or OID, optionally preceded by a role
 * name (text) or role OID: `first` is the index of the object argument.
 */
static void privilege_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, int kind,
                           int first)
{
    int nargs = fn_nargs(fc, first + 2);
    const Vector *obj = args[first];
    const Vector *priv = args[nargs - 1];
    bool by_name = obj->type->id == TYPE_STRING;
    static const char *const *allowed[] = {table_privs, schema_privs, database_privs,
                                           function_privs, column_privs};
    Arena *a = fn_catalog_scratch(fc);
    FN_FOREACH(b, i, r)
    {
        check_privs(fc, &FN_SV(priv)[r], allowed[kind]);
        if (first == 1 && args[0]->type->id == TYPE_STRING) {
            const StrView *role = &FN_SV(args[0])[r];
            CatRole *cr = catalog_get_role(a, fn_catalog_cstr(a, role));
            if (cr == NULL && !(role->len == 6 && strncasecmp(role->ptr, "public", 6) == 0))
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("role \"%.*s\" does not exist", (int)role->len, role->ptr),
                        errposition(fn_errpos(fc)));
        }
        bool exists = true;
        if (by_name) {
            const StrView *name = &FN_SV(obj)[r];
            switch (kind) {
            case OBJ_TABLE:
            case OBJ_COLUMN: {
                Oid oid;
                fn_catalog_lookup_relation(fc, name, &oid, true);
                break;
            }
            case OBJ_SCHEMA:
                if (!fn_catalog_schema_exists(fc, fn_catalog_cstr(a, name)))
                    ereport(ERROR, errcode(ERRCODE_INVALID_SCHEMA_NAME),
                            errmsg("schema \"%.*s\" does not exist", (int)name->len, name->ptr),
                            errposition(fn_errpos(fc)));
                break;
            case OBJ_DATABASE: {
                const char *db = fc->ctx->svc ? fc->ctx->svc->database : NULL;
                if (!db || strlen(db) != name->len || memcmp(db, name->ptr, name->len) != 0)
                    ereport(ERROR, errcode(ERRCODE_INVALID_CATALOG_NAME),
                            errmsg("database \"%.*s\" does not exist", (int)name->len, name->ptr),
                            errposition(fn_errpos(fc)));
                break;
            }
            case OBJ_FUNCTION: {
                /* "name(argtypes)": the name must exist (argument types are not checked) */
                const char *paren = memchr(name->ptr, '(', name->len);
                StrView fname = {paren ? (uint32)(paren - name->ptr) : name->len, 0, name->ptr};
                char *parts[3];
                int np = fn_catalog_split_name(a, &fname, parts, 3);
                if (np == 0 || !func_exists(parts[np - 1]))
                    ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                            errmsg("function \"%.*s\" does not exist", (int)name->len, name->ptr),
                            errposition(fn_errpos(fc)));
                break;
            }
            }
        } else if (kind == OBJ_TABLE || kind == OBJ_COLUMN) {
            const char *s, *n;
            char rk;
            exists = fn_catalog_relation_by_oid(fc, FN_OID(obj)[r], &s, &n, &rk);
        }
        if (!exists)
            vector_set_null(out, r);
        else {
            FN_U8(out)[r] = true;
            vector_set_valid(out, r);
        }
    }
}

#define PRIV_KERNEL(name, kind, first)                                                             \
    void name(FuncCall *fc, Vector **args, const Batch *b, Vector *out)                            \
    {                                                                                              \
        privilege_rows(fc, args, b, out, kind, first);                                             \
    }
PRIV_KERNEL(fn_has_table_priv, OBJ_TABLE, 0)
PRIV_KERNEL(fn_has_table_priv_u, OBJ_TABLE, 1)
PRIV_KERNEL(fn_has_schema_priv, OBJ_SCHEMA, 0)
PRIV_KERNEL(fn_has_schema_priv_u, OBJ_SCHEMA, 1)
PRIV_KERNEL(fn_has_database_priv, OBJ_DATABASE, 0)
PRIV_KERNEL(fn_has_database_priv_u, OBJ_DATABASE, 1)
PRIV_KERNEL(fn_has_function_priv, OBJ_FUNCTION, 0)
PRIV_KERNEL(fn_has_function_priv_u, OBJ_FUNCTION, 1)
PRIV_KERNEL(fn_has_column_priv, OBJ_COLUMN, 0)
PRIV_KERNEL(fn_has_column_priv_u, OBJ_COLUMN, 1)

/* pg_has_role([user,] role, privilege): MEMBER/USAGE of a role the user is, or any role for a
 * superuser (Laminar has no role membership yet).  Unknown roles raise 42704; PostgreSQL's
 * predefined pg_* roles exist for superusers only. */
static void has_role_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, int first)
{
    static const char *const role_privs[] = {"MEMBER", "USAGE", "SET", NULL};
    const SessionServices *svc = fc->ctx->svc;
    Arena *a = fn_catalog_scratch(fc);
    int nargs = fn_nargs(fc, first + 2);
    FN_FOREACH(b, i, r)
    {
        check_privs(fc, &FN_SV(args[nargs - 1])[r], role_privs);
        const char *user = svc ? svc->user : NULL;
        bool super = svc && svc->is_superuser;
        if (first == 1) {
            user = fn_catalog_cstr(a, &FN_SV(args[0])[r]);
            CatRole *ur = catalog_get_role(a, user);
            if (ur == NULL)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("role \"%s\" does not exist", user), errposition(fn_errpos(fc)));
            super = ur->superuser;
        }
        const Vector *rv = args[first];
        bool member;
        if (rv->type->id == TYPE_STRING) {
            const char *role = fn_catalog_cstr(a, &FN_SV(rv)[r]);
            if (strncmp(role, "pg_", 3) == 0)
                member = super;
            else {
                if (catalog_get_role(a, role) == NULL)
                    ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                            errmsg("role \"%s\" does not exist", role), errposition(fn_errpos(fc)));
                member = super || (user && strcmp(user, role) == 0);
            }
        } else {
            Oid oid = FN_OID(rv)[r];
            int n = 0;
            CatRole *roles = catalog_list_roles(a, &n);
            const char *role = NULL;
            for (int k = 0; k < n && !role; k++)
                if (roles[k].oid == oid)
                    role = roles[k].name;
            if (role == NULL) {
                vector_set_null(out, r);
                continue;
            }
            member = super || (user && strcmp(user, role) == 0);
        }
        FN_U8(out)[r] = member;
        vector_set_valid(out, r);
    }
}
void fn_has_role(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    has_role_rows(fc, args, b, out, 0);
}
void fn_has_role_u(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    has_role_rows(fc, args, b, out, 1);
}
