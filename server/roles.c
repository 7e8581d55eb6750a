/*
 * roles.c: CREATE ROLE / CREATE USER, ALTER ROLE / ALTER USER, DROP ROLE.
 *
 * Passwords are stored only as SCRAM-SHA-256 verifiers (scram.c); a client
 * may also send a ready-made verifier (psql's \password does), which is kept
 * as sent.  Role memberships, replication and row-level-security bypass do
 * not exist in Laminar and are refused rather than ignored.
 */
#include "server/ddl.h"
#include "server/scram.h"
#include "storage/catalog.h"

#include <stdio.h>
#include <strings.h>

typedef struct RoleChanges {
    int superuser, createdb, createrole, login; /* -1 unchanged, 0/1 */
    bool password_set;
    const char *password; /* NULL with password_set: PASSWORD NULL */
    bool valid_until_set;
    int64 valid_until;
} RoleChanges;

static bool defelem_bool(PgQuery__DefElem *d)
{
    if (d->arg && d->arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN)
        return d->arg->boolean->boolval;
    if (d->arg && d->arg->node_case == PG_QUERY__NODE__NODE_INTEGER)
        return d->arg->integer->ival != 0;
    return true;
}

static const char *defelem_string(PgQuery__DefElem *d)
{
    if (d->arg == NULL)
        return NULL;
    if (d->arg->node_case == PG_QUERY__NODE__NODE_STRING)
        return d->arg->string->sval;
    if (d->arg->node_case == PG_QUERY__NODE__NODE_A_CONST && !d->arg->a_const->isnull &&
        d->arg->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
        return d->arg->a_const->sval->sval;
    return NULL;
}

static int64 parse_valid_until(Arena *a, const char *text)
{
    if (strcasecmp(text, "infinity") == 0)
        return 0;
    Vector v;
    vector_init(&v, a, type_timestamptz(), 1);
    value_parse_text(&v, a, 0, text, strlen(text));
    return ((int64 *)v.data)[0];
}

static void collect_options(Arena *a, size_t n, PgQuery__Node **options, RoleChanges *rc)
{
    memset(rc, 0, sizeof *rc);
    rc->superuser = rc->createdb = rc->createrole = rc->login = -1;
    for (size_t i = 0; i < n; i++) {
        if (options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
            continue;
        PgQuery__DefElem *d = options[i]->def_elem;
        const char *name = d->defname;
        if (strcmp(name, "superuser") == 0)
            rc->superuser = defelem_bool(d);
        else if (strcmp(name, "createdb") == 0)
            rc->createdb = defelem_bool(d);
        else if (strcmp(name, "createrole") == 0)
            rc->createrole = defelem_bool(d);
        else if (strcmp(name, "canlogin") == 0)
            rc->login = defelem_bool(d);
        else if (strcmp(name, "password") == 0) {
            rc->password_set = true;
            rc->password = defelem_string(d);
        } else if (strcmp(name, "validUntil") == 0) {
            rc->valid_until_set = true;
            rc->valid_until = parse_valid_until(a, defelem_string(d) ? defelem_string(d) : "");
        } else if (strcmp(name, "inherit") == 0 || strcmp(name, "connectionlimit") == 0) {
            /* INHERIT only matters with role memberships, which Laminar does not have;
             * a connection limit per role is not enforced, so only the default is accepted */
            if (strcmp(name, "connectionlimit") == 0 && d->arg &&
                d->arg->node_case == PG_QUERY__NODE__NODE_INTEGER && d->arg->integer->ival != -1)
                ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("CONNECTION LIMIT is not supported"),
                        errposition(d->location + 1));
        } else if ((strcmp(name, "isreplication") == 0 || strcmp(name, "bypassrls") == 0) &&
                   !defelem_bool(d)) {
            /* NOREPLICATION / NOBYPASSRLS describe what every role already is */
        } else
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("role option \"%s\" is not supported", name),
                    errposition(d->location + 1));
    }
}

static char *make_verifier(Arena *a, const char *password)
{
    if (password == NULL)
        return NULL;
    if (scram_is_verifier(password))
        return arena_strdup(a, password);
    if (strncmp(password, "md5", 3) == 0 && strlen(password) == 35)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("MD5 password hashes are not supported"),
                errhint("Give the password in clear text or as a SCRAM-SHA-256 verifier."));
    if (*password == '\0') {
        ereport(NOTICE, errcode(ERRCODE_INVALID_PASSWORD), errmsg("empty string is not a valid password, clearing password"));
        return NULL;
    }
    return scram_build_verifier(a, password);
}

static CatRole *current_role(Session *s, Arena *a)
{
    CatRole *me = catalog_get_role(a, s->user);
    if (me == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
                errmsg("role \"%s\" does not exist", s->user));
    return me;
}

void roles_create(Session *s, Arena *a, PgQuery__CreateRoleStmt *st, char tag[64])
{
    snprintf(tag, 64, "CREATE ROLE");
    if (st->stmt_type == PG_QUERY__ROLE_STMT_TYPE__ROLESTMT_GROUP)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("CREATE GROUP is not supported"));
    if (s->txn != TXN_IDLE)
        ereport(ERROR, errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
                errmsg("CREATE ROLE cannot run inside a transaction block"));
    CatRole *me = current_role(s, a);
    RoleChanges rc;
    collect_options(a, st->n_options, st->options, &rc);
    if (!me->superuser && (!me->createrole || rc.superuser == 1))
        ereport(ERROR, errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                errmsg("permission denied to create role"),
                errdetail(rc.superuser == 1 ? "Only superusers may create superusers."
                                            : "Only roles with the CREATEROLE attribute may create "
                                              "roles."));
    if (strncmp(st->role, "pg_", 3) == 0)
        ereport(ERROR, errcode(ERRCODE_RESERVED_NAME),
                errmsg("role name \"%s\" is reserved", st->role),
                errdetail("Role names starting with \"pg_\" are reserved."));
    if (catalog_get_role(a, st->role))
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                errmsg("role \"%s\" already exists", st->role));
    CatRole r = {0};
    r.name = st->role;
    r.superuser = rc.superuser == 1;
    r.createdb = rc.createdb == 1;
    r.createrole = rc.createrole == 1;
    r.login = rc.login >= 0 ? rc.login == 1 : st->stmt_type == PG_QUERY__ROLE_STMT_TYPE__ROLESTMT_USER;
    r.scram_verifier = rc.password_set ? make_verifier(a, rc.password) : NULL;
    r.valid_until = rc.valid_until_set ? rc.valid_until : 0;
    catalog_create_role(&r);
}

static const char *role_spec_name(Session *s, PgQuery__RoleSpec *spec)
{
    switch (spec->roletype) {
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING:
        return spec->rolename;
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CURRENT_ROLE:
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CURRENT_USER:
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_SESSION_USER:
        return s->user;
    default:
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("this role specification is not supported"));
    }
    return NULL;
}

void roles_alter(Session *s, Arena *a, PgQuery__AlterRoleStmt *st, char tag[64])
{
    snprintf(tag, 64, "ALTER ROLE");
    if (s->txn != TXN_IDLE)
        ereport(ERROR, errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
                errmsg("ALTER ROLE cannot run inside a transaction block"));
    const char *name = role_spec_name(s, st->role);
    CatRole *me = current_role(s, a);
    CatRole *r = catalog_get_role(a, name);
    if (r == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("role \"%s\" does not exist", name));
    RoleChanges rc;
    collect_options(a, st->n_options, st->options, &rc);
    bool only_own_password = strcmp(name, s->user) == 0 && rc.superuser < 0 && rc.createdb < 0 &&
                             rc.createrole < 0 && rc.login < 0 && !rc.valid_until_set;
    if (!me->superuser && !only_own_password) {
        if (!me->createrole || r->superuser || rc.superuser >= 0)
            ereport(ERROR, errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("permission denied to alter role"),
                    errdetail("Only superusers may change superusers and the SUPERUSER attribute."));
    }
    if (rc.superuser == 0 && r->oid == 10)
        ereport(ERROR, errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                errmsg("permission denied to alter role"),
                errdetail("The bootstrap superuser must retain the SUPERUSER attribute."));
    if (rc.superuser >= 0)
        r->superuser = rc.superuser;
    if (rc.createdb >= 0)
        r->createdb = rc.createdb;
    if (rc.createrole >= 0)
        r->createrole = rc.createrole;
    if (rc.login >= 0)
        r->login = rc.login;
    if (rc.password_set)
        r->scram_verifier = make_verifier(a, rc.password);
    if (rc.valid_until_set)
        r->valid_until = rc.valid_until;
    catalog_update_role(r);
}

void roles_drop(Session *s, Arena *a, PgQuery__DropRoleStmt *st, char tag[64])
{
    snprintf(tag, 64, "DROP ROLE");
    if (s->txn != TXN_IDLE)
        ereport(ERROR, errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
                errmsg("DROP ROLE cannot run inside a transaction block"));
    CatRole *me = current_role(s, a);
    for (size_t i = 0; i < st->n_roles; i++) {
        if (st->roles[i]->node_case != PG_QUERY__NODE__NODE_ROLE_SPEC)
            continue;
        const char *name = role_spec_name(s, st->roles[i]->role_spec);
        CatRole *r = catalog_get_role(a, name);
        if (r == NULL) {
            if (st->missing_ok) {
                ereport(NOTICE, errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("role \"%s\" does not exist, skipping", name));
                continue;
            }
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("role \"%s\" does not exist", name));
        }
        if (!me->superuser && (!me->createrole || r->superuser))
            ereport(ERROR, errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("permission denied to drop role"));
        if (strcmp(name, s->user) == 0)
            ereport(ERROR, errcode(ERRCODE_OBJECT_IN_USE), errmsg("current user cannot be dropped"));
        if (r->oid == 10)
            ereport(ERROR, errcode(ERRCODE_OBJECT_IN_USE),
                    errmsg("cannot drop role %s because it is required by the database system", name));
        catalog_drop_role(name, false);
    }
}
