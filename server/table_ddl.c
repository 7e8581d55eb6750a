/*
 * table_ddl.c: CREATE TABLE, CREATE SCHEMA, DROP TABLE / DROP SCHEMA and
 * TRUNCATE for plain tables (see table_ddl.h).
 *
 * CREATE TABLE turns libpg_query's CreateStmt into a CatTable: column types
 * from the TypeName (pg_catalog-qualified internal names, typmods, array
 * bounds) through type_parse(); NOT NULL / NULL / DEFAULT / PRIMARY KEY per
 * column, and table-level [CONSTRAINT name] PRIMARY KEY (cols).  A DEFAULT
 * is stored as SQL text in the form PostgreSQL's pg_get_expr() shows
 * (server/default_display.c), which the planner parses again with
 * parser_parse_expr().  What Laminar cannot
 * enforce yet is refused with 0A000 rather than accepted and ignored: UNIQUE,
 * CHECK, FOREIGN KEY, EXCLUDE, serial types, identity and generated columns,
 * inheritance, partitioning, temporary and unlogged tables.
 *
 * Names: unqualified names resolve through search_path (table_ddl_creation_
 * schema for new ones); relation names are unique per schema, across every
 * kind of table (source and sink tables live in public).
 *
 * DROP TABLE checks every name before dropping anything (as PostgreSQL does)
 * and takes the write lock of each plain table first, so it waits for
 * transactions still writing them; dependent objects are not tracked yet, so
 * CASCADE and RESTRICT behave alike.  (DROP SCHEMA ... CASCADE does not wait
 * for writers of the schema's tables: a writer committing after it leaves
 * unreachable rows under the dropped table's OID, which is never reused.)  A plain table's rows are
 * removed in the same atomic batch as its catalog entry.  DROP SCHEMA without CASCADE refuses a
 * schema that still has tables (2BP01, PostgreSQL's wording); with CASCADE it drops them too.
 * TRUNCATE runs in the session's table transaction (O(1): one range deletion
 * at commit).
 */
#include "server/table_ddl.h"
#include "common/error.h"
#include "parser/parser.h"
#include "server/catalog_txn.h"
#include "server/default_display.h"
#include "server/guc.h"
#include "server/pipelines.h"
#include "server/txn.h"
#include "storage/table.h"

#include <ctype.h>
#include <stdio.h>
#include <pg_query.h>
#include <stdlib.h>

/* ---------- names ---------- */

static const char *str_or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

/* The schemas of search_path, in order, that exist; "$user" becomes the user's name. */
static const char **search_path_schemas(Session *s, Arena *a, int *n)
{
    const char *path = guc_get(s, "search_path", true);
    const char **out = arena_new_array(a, const char *, 16);
    int k = 0;

    if (path == NULL)
        path = "\"$user\", public";
    const char *p = path;
    while (*p && k < 16) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        StrBuf name;
        strbuf_init(&name, a);
        if (*p == '"') {
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                strbuf_append_char(&name, *p++);
            }
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ',' && *p != ' ')
                strbuf_append_char(&name, (char)tolower((unsigned char)*p++));
        }
        const char *nm = name.data ? name.data : "";
        if (strcmp(nm, "$user") == 0)
            nm = s->user ? s->user : "";
        if (nm[0] && strcmp(nm, "pg_catalog") != 0 && ctx_schema_exists(s, nm))
            out[k++] = arena_strdup(a, nm);
    }
    *n = k;
    return out;
}

const char *table_ddl_creation_schema(Session *s, Arena *a)
{
    int n;
    const char **schemas = search_path_schemas(s, a, &n);
    for (int i = 0; i < n; i++)
        if (strcmp(schemas[i], "laminar") != 0 && strcmp(schemas[i], "information_schema") != 0)
            return schemas[i];
    return "public";
}

/* A table by optional schema and name, through search_path when unqualified; NULL if none. */
static CatTable *resolve_table(Session *s, Arena *a, const char *schema, const char *name)
{
    if (schema)
        return ctx_get_table_in(s, a, schema, name);
    int n;
    const char **schemas = search_path_schemas(s, a, &n);
    for (int i = 0; i < n; i++) {
        CatTable *t = ctx_get_table_in(s, a, schemas[i], name);
        if (t)
            return t;
    }
    return NULL;
}

static void check_schema_exists(Session *s, const char *schema, int location)
{
    if (schema && !ctx_schema_exists(s, schema))
        ereport(ERROR, errcode(ERRCODE_INVALID_SCHEMA_NAME),
                errmsg("schema \"%s\" does not exist", schema),
                errposition(location >= 0 ? location + 1 : 0));
}

/* ---------- types ---------- */

static const char *node_string(PgQuery__Node *n)
{
    return n && n->node_case == PG_QUERY__NODE__NODE_STRING ? n->string->sval : NULL;
}

static bool typmods_apply(const char *name)
{
    return strcmp(name, "varchar") == 0 || strcmp(name, "numeric") == 0 ||
           strcmp(name, "decimal") == 0 || strcmp(name, "bpchar") == 0 || strcmp(name, "char") == 0;
}

/* A column's type: names such as pg_catalog.int4, typmods, array bounds → type_parse(). */
static const LmType *column_type(Arena *a, PgQuery__TypeName *tn, const char *colname)
{
    const char *name = NULL;
    const char *qualifier = NULL;
    StrBuf text;

    if (tn == NULL || tn->n_names == 0)
        elog(ERROR, "column \"%s\" has no type", colname);
    name = node_string(tn->names[tn->n_names - 1]);
    if (tn->n_names > 1)
        qualifier = node_string(tn->names[tn->n_names - 2]);
    if (name == NULL)
        elog(ERROR, "unexpected type name node");
    if (tn->pct_type || tn->setof)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("%s types are not supported", tn->setof ? "SETOF" : "%TYPE"),
                errposition(tn->location + 1));
    if (qualifier == NULL && (strcmp(name, "serial") == 0 || strcmp(name, "bigserial") == 0 ||
                              strcmp(name, "smallserial") == 0 || strcmp(name, "serial4") == 0 ||
                              strcmp(name, "serial8") == 0 || strcmp(name, "serial2") == 0))
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("type %s is not supported yet", name),
                errdetail("Laminar has no sequences yet."),
                errhint("Use integer or bigint and supply the values."),
                errposition(tn->location + 1));
    strbuf_init(&text, a);
    strbuf_append_str(&text, name);
    if (tn->n_typmods > 0 && typmods_apply(name)) {
        strbuf_append_char(&text, '(');
        for (size_t i = 0; i < tn->n_typmods; i++) {
            PgQuery__Node *m = tn->typmods[i];
            if (i)
                strbuf_append_char(&text, ',');
            if (m->node_case == PG_QUERY__NODE__NODE_A_CONST &&
                m->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
                strbuf_printf(&text, "%d", m->a_const->ival->ival);
            else
                ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                        errmsg("type modifiers must be simple constants"),
                        errposition(tn->location + 1));
        }
        strbuf_append_char(&text, ')');
    }
    for (size_t i = 0; i < tn->n_array_bounds; i++)
        strbuf_append_str(&text, "[]");

    int errpos = 0;
    const char *msg = NULL;
    const LmType *t = NULL;
    if (qualifier == NULL || strcmp(qualifier, "pg_catalog") == 0)
        t = type_parse(a, text.data, &errpos, &msg);
    if (t == NULL) {
        /* "character(n)" arrives as bpchar, which Laminar stores as text */
        if (strcmp(name, "bpchar") == 0 || strcmp(name, "char") == 0) {
            t = type_string();
            for (size_t i = 0; i < tn->n_array_bounds; i++)
                t = type_array(a, t);
        } else
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("type \"%s%s%s\" does not exist", qualifier ? qualifier : "",
                           qualifier ? "." : "", name),
                    errposition(tn->location + 1));
    }
    return t;
}

/* ---------- DEFAULT expressions as text ---------- */

/* ---------- CREATE TABLE ---------- */

static void LM_NORETURN unsupported_constraint(PgQuery__Constraint *c)
{
    const char *what;
    switch (c->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
        what = "UNIQUE constraints";
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
        what = "CHECK constraints";
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
        what = "FOREIGN KEY constraints";
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
        what = "EXCLUDE constraints";
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
        what = "identity columns";
        break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
        what = "generated columns";
        break;
    default:
        what = "deferrable constraints";
        break;
    }
    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("%s are not supported yet", what),
            errposition(c->location >= 0 ? c->location + 1 : 0));
}

typedef struct PkSpec {
    int n;
    const char **cols;
    int *locations;
    char *name;
    int location;
    bool seen;
} PkSpec;

static void set_pk(PkSpec *pk, const char *table, Arena *a, PgQuery__Constraint *c,
                   const char *column)
{
    if (pk->seen)
        ereport(ERROR, errcode(ERRCODE_INVALID_TABLE_DEFINITION),
                errmsg("multiple primary keys for table \"%s\" are not allowed", table),
                errposition(c->location >= 0 ? c->location + 1 : 0));
    pk->seen = true;
    pk->name = str_or_null(c->conname) ? arena_strdup(a, c->conname) : NULL;
    pk->location = c->location;
    if (column) {
        pk->n = 1;
        pk->cols = arena_new_array(a, const char *, 1);
        pk->locations = arena_new_array(a, int, 1);
        pk->cols[0] = column;
        pk->locations[0] = c->location;
        return;
    }
    pk->n = (int)c->n_keys;
    pk->cols = arena_new_array(a, const char *, pk->n ? pk->n : 1);
    pk->locations = arena_new_array(a, int, pk->n ? pk->n : 1);
    for (int i = 0; i < pk->n; i++) {
        pk->cols[i] = node_string(c->keys[i]);
        pk->locations[i] = c->location;
        if (pk->cols[i] == NULL)
            elog(ERROR, "unexpected primary key column node");
    }
}

static void reject_unsupported_table(PgQuery__CreateStmt *st)
{
    const char *persistence = st->relation->relpersistence;
    if (st->n_inh_relations > 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("table inheritance is not supported"));
    if (st->partspec || st->partbound)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("partitioned tables are not supported"));
    if (st->of_typename)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("typed tables are not supported"));
    if (persistence && persistence[0] == 't')
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("temporary tables are not supported yet"),
                errposition(st->relation->location + 1));
    if (persistence && persistence[0] == 'u')
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("unlogged tables are not supported"),
                errposition(st->relation->location + 1));
    if (st->n_options > 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("storage parameters (WITH ...) are not supported for tables"));
    if (str_or_null(st->tablespacename))
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("tablespaces are not supported"));
    if (st->oncommit != PG_QUERY__ON_COMMIT_ACTION__ONCOMMIT_NOOP &&
        st->oncommit != PG_QUERY__ON_COMMIT_ACTION__ON_COMMIT_ACTION_UNDEFINED)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("ON COMMIT is only for temporary tables"));
}

void table_ddl_create_table(Session *s, Arena *a, PgQuery__CreateStmt *st, char tag[64])
{
    PgQuery__RangeVar *rv = st->relation;
    const char *schema;
    CatTable *t;
    PkSpec pk = {0};
    int ncols = 0;

    snprintf(tag, 64, "CREATE TABLE");
    reject_unsupported_table(st);
    if (str_or_null(rv->catalogname) && s->database && strcmp(rv->catalogname, s->database) != 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("cross-database references are not implemented: \"%s.%s.%s\"",
                       rv->catalogname, rv->schemaname, rv->relname),
                errposition(rv->location + 1));
    schema = str_or_null(rv->schemaname);
    if (schema) {
        check_schema_exists(s, schema, rv->location);
        if (strcmp(schema, "pg_catalog") == 0 || strcmp(schema, "laminar") == 0 ||
            strcmp(schema, "information_schema") == 0)
            ereport(ERROR, errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("permission denied to create \"%s.%s\"", schema, rv->relname),
                    errdetail("System catalog modifications are currently disallowed."),
                    errposition(rv->location + 1));
    } else {
        schema = table_ddl_creation_schema(s, a);
    }
    if (ctx_get_table_in(s, a, schema, rv->relname)) {
        if (st->if_not_exists) {
            ereport(NOTICE, errcode(ERRCODE_DUPLICATE_TABLE),
                    errmsg("relation \"%s\" already exists, skipping", rv->relname));
            return;
        }
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_TABLE),
                errmsg("relation \"%s\" already exists", rv->relname),
                errposition(rv->location + 1));
    }

    t = arena_new(a, CatTable);
    t->id = catalog_new_id(a, "tbl_");
    t->schema = arena_strdup(a, schema);
    t->name = arena_strdup(a, rv->relname);
    t->kind = CAT_TABLE_PLAIN;
    t->columns = arena_new_array(a, CatColumn, st->n_table_elts ? st->n_table_elts : 1);

    for (size_t i = 0; i < st->n_table_elts; i++) {
        PgQuery__Node *elt = st->table_elts[i];
        if (elt->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
            PgQuery__Constraint *c = elt->constraint;
            if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
                unsupported_constraint(c);
            set_pk(&pk, t->name, a, c, NULL);
            continue;
        }
        if (elt->node_case == PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("CREATE TABLE ... (LIKE ...) is not supported yet"));
        if (elt->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
            elog(ERROR, "unrecognized node type %d in CREATE TABLE", (int)elt->node_case);
        PgQuery__ColumnDef *cd = elt->column_def;
        CatColumn *col = &t->columns[ncols];
        for (int j = 0; j < ncols; j++)
            if (strcmp(t->columns[j].name, cd->colname) == 0)
                ereport(ERROR, errcode(ERRCODE_DUPLICATE_COLUMN),
                        errmsg("column \"%s\" specified more than once", cd->colname),
                        errposition(cd->location + 1));
        col->name = arena_strdup(a, cd->colname);
        col->type = column_type(a, cd->type_name, cd->colname);
        col->not_null = cd->is_not_null;
        bool has_default = cd->raw_default != NULL;
        if (cd->raw_default)
            col->default_expr = default_display(a, cd->raw_default, col->type);
        if (str_or_null(cd->identity) || str_or_null(cd->generated))
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("identity and generated columns are not supported yet"),
                    errposition(cd->location + 1));
        if (cd->coll_clause)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("collations are not supported"), errposition(cd->location + 1));
        bool said_null = false;
        for (size_t k = 0; k < cd->n_constraints; k++) {
            PgQuery__Node *cn = cd->constraints[k];
            if (cn->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
                continue;
            PgQuery__Constraint *c = cn->constraint;
            switch (c->contype) {
            case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
                if (said_null)
                    ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                            errmsg("conflicting NULL/NOT NULL declarations for column \"%s\" of "
                                   "table \"%s\"",
                                   cd->colname, t->name),
                            errposition(c->location + 1));
                col->not_null = true;
                break;
            case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
                if (col->not_null)
                    ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                            errmsg("conflicting NULL/NOT NULL declarations for column \"%s\" of "
                                   "table \"%s\"",
                                   cd->colname, t->name),
                            errposition(c->location + 1));
                said_null = true;
                break;
            case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
                if (has_default)
                    ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                            errmsg("multiple default values specified for column \"%s\" of table "
                                   "\"%s\"",
                                   cd->colname, t->name),
                            errposition(c->location + 1));
                col->default_expr = default_display(a, c->raw_expr, col->type);
                has_default = true;
                break;
            case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
                set_pk(&pk, t->name, a, c, col->name);
                break;
            case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE:
            case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_IMMEDIATE:
                break; /* what Laminar does anyway */
            default:
                unsupported_constraint(c);
            }
        }
        ncols++;
    }
    for (size_t i = 0; i < st->n_constraints; i++) {
        PgQuery__Node *cn = st->constraints[i];
        if (cn->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
            continue;
        if (cn->constraint->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
            unsupported_constraint(cn->constraint);
        set_pk(&pk, t->name, a, cn->constraint, NULL);
    }
    t->ncolumns = ncols;

    if (pk.n > 0) {
        t->nprimary_key = pk.n;
        t->primary_key = arena_new_array(a, int, pk.n);
        for (int k = 0; k < pk.n; k++) {
            int c = 0;
            while (c < ncols && strcmp(t->columns[c].name, pk.cols[k]) != 0)
                c++;
            if (c == ncols)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" named in key does not exist", pk.cols[k]),
                        errposition(pk.locations[k] >= 0 ? pk.locations[k] + 1 : 0));
            for (int j = 0; j < k; j++)
                if (t->primary_key[j] == c)
                    ereport(
                        ERROR, errcode(ERRCODE_DUPLICATE_COLUMN),
                        errmsg("column \"%s\" appears twice in primary key constraint", pk.cols[k]),
                        errposition(pk.location >= 0 ? pk.location + 1 : 0));
            if (type_is_nested(t->columns[c].type))
                ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("primary key columns of type %s are not supported",
                               type_name(a, t->columns[c].type)),
                        errposition(pk.location >= 0 ? pk.location + 1 : 0));
            t->primary_key[k] = c;
            t->columns[c].not_null = true;
        }
        t->pk_name = pk.name;
    }
    ctx_create_table(s, t);
}

/* ---------- CREATE SCHEMA ---------- */

void table_ddl_create_schema(Session *s, Arena *a, PgQuery__CreateSchemaStmt *st, char tag[64])
{
    const char *name = str_or_null(st->schemaname);

    snprintf(tag, 64, "CREATE SCHEMA");
    if (st->n_schema_elts > 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("CREATE SCHEMA with schema elements is not supported yet"),
                errhint("Create the schema, then its objects with separate statements."));
    if (name == NULL && st->authrole)
        name = str_or_null(st->authrole->rolename);
    if (name == NULL)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("schema name is required"));
    if (ctx_schema_exists(s, name)) {
        if (st->if_not_exists) {
            ereport(NOTICE, errcode(ERRCODE_DUPLICATE_SCHEMA),
                    errmsg("schema \"%s\" already exists, skipping", name));
            return;
        }
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_SCHEMA),
                errmsg("schema \"%s\" already exists", name));
    }
    if (strncmp(name, "pg_", 3) == 0)
        ereport(ERROR, errcode(ERRCODE_RESERVED_NAME),
                errmsg("unacceptable schema name \"%s\"", name),
                errdetail("The prefix \"pg_\" is reserved for system schemas."));
    CatSchema sc = {0};
    sc.name = arena_strdup(a, name);
    sc.owner = st->authrole && str_or_null(st->authrole->rolename)
                   ? arena_strdup(a, st->authrole->rolename)
                   : (s->user ? arena_strdup(a, s->user) : NULL);
    ctx_create_schema(s, &sc);
}

/* ---------- DROP ---------- */

/* Splits a DROP object (a List of String names) into schema and name. */
static void object_name(PgQuery__Node *obj, const char **schema, const char **name)
{
    if (obj->node_case != PG_QUERY__NODE__NODE_LIST || obj->list->n_items == 0)
        elog(ERROR, "unexpected object in DROP");
    PgQuery__List *names = obj->list;
    *name = node_string(names->items[names->n_items - 1]);
    *schema = names->n_items > 1 ? node_string(names->items[names->n_items - 2]) : NULL;
    if (*name == NULL)
        elog(ERROR, "unexpected object name in DROP");
    if (names->n_items > 3)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("improper qualified name (too many dotted names)"));
}

typedef struct DropRun {
    size_t n;
    CatTable **tables;
} DropRun;

/* Plain tables are locked first: the drop waits for transactions still writing them (their
 * rows would otherwise land after the drop's range deletion). */
static void run_drop_tables(Session *s, void *arg)
{
    DropRun *run = arg;
    for (size_t i = 0; i < run->n; i++)
        if (run->tables[i] && run->tables[i]->kind == CAT_TABLE_PLAIN && run->tables[i]->oid)
            table_txn_lock(session_table_txn(s), run->tables[i]);
    for (size_t i = 0; i < run->n; i++)
        if (run->tables[i])
            ctx_drop_table_in(s, run->tables[i]->schema, run->tables[i]->name);
}

static void drop_tables(Session *s, Arena *a, PgQuery__DropStmt *d)
{
    CatTable **found = arena_new_array(a, CatTable *, d->n_objects ? d->n_objects : 1);

    /* Resolve everything first: a missing name drops nothing. */
    for (size_t i = 0; i < d->n_objects; i++) {
        const char *schema, *name;
        object_name(d->objects[i], &schema, &name);
        if (schema && !ctx_schema_exists(s, schema)) {
            if (d->missing_ok) {
                ereport(NOTICE, errmsg("schema \"%s\" does not exist, skipping", schema));
                continue;
            }
            ereport(ERROR, errcode(ERRCODE_INVALID_SCHEMA_NAME),
                    errmsg("schema \"%s\" does not exist", schema));
        }
        found[i] = resolve_table(s, a, schema, name);
        if (found[i] == NULL) {
            if (d->missing_ok) {
                ereport(NOTICE, errmsg("table \"%s\" does not exist, skipping", name));
                continue;
            }
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                    errmsg("table \"%s\" does not exist", name));
        }
        for (size_t j = 0; j < i; j++)
            if (found[j] && found[j]->oid == found[i]->oid && found[i]->oid != 0)
                found[i] = NULL; /* named twice */
        if (found[i])
            pipelines_check_table_unused(s, a, found[i]);
    }
    DropRun run = {.n = d->n_objects, .tables = found};
    session_txn_run_implicit(s, run_drop_tables, &run);
}

static void drop_schemas(Session *s, Arena *a, PgQuery__DropStmt *d)
{
    bool cascade = d->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
    const char **names = arena_new_array(a, const char *, d->n_objects ? d->n_objects : 1);

    for (size_t i = 0; i < d->n_objects; i++) {
        PgQuery__Node *obj = d->objects[i];
        const char *name = node_string(obj);
        if (name == NULL && obj->node_case == PG_QUERY__NODE__NODE_LIST && obj->list->n_items)
            name = node_string(obj->list->items[obj->list->n_items - 1]);
        if (name == NULL)
            elog(ERROR, "unexpected object in DROP SCHEMA");
        if (catalog_schema_is_builtin(name))
            ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                    errmsg("cannot drop schema %s because it is required by the database system",
                           name));
        if (!ctx_schema_exists(s, name)) {
            if (d->missing_ok) {
                ereport(NOTICE, errmsg("schema \"%s\" does not exist, skipping", name));
                continue;
            }
            ereport(ERROR, errcode(ERRCODE_INVALID_SCHEMA_NAME),
                    errmsg("schema \"%s\" does not exist", name));
        }
        /* Dependents, checked now (also inside a block) and named as PostgreSQL does. */
        int n;
        CatTable *tables = ctx_list_tables(s, a, &n);
        StrBuf deps;
        int ndeps = 0;
        strbuf_init(&deps, a);
        for (int k = 0; k < n; k++) {
            if (strcmp(tables[k].schema, name) != 0)
                continue;
            if (cascade)
                pipelines_check_table_unused(s, a, &tables[k]);
            if (deps.len)
                strbuf_append_char(&deps, '\n');
            if (cascade)
                strbuf_printf(&deps, "drop cascades to table %s.%s", name, tables[k].name);
            else
                strbuf_printf(&deps, "table %s.%s depends on schema %s", name, tables[k].name,
                              name);
            ndeps++;
        }
        if (ndeps > 0 && !cascade)
            ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                    errmsg("cannot drop schema %s because other objects depend on it", name),
                    errdetail("%s", deps.data),
                    errhint("Use DROP ... CASCADE to drop the dependent objects too."));
        if (ndeps == 1)
            ereport(NOTICE, errmsg("%s", deps.data));
        else if (ndeps > 1)
            ereport(NOTICE, errmsg("drop cascades to %d other objects", ndeps),
                    errdetail("%s", deps.data));
        names[i] = name;
    }
    for (size_t i = 0; i < d->n_objects; i++)
        if (names[i])
            ctx_drop_schema(s, names[i], cascade);
}

void table_ddl_drop(Session *s, Arena *a, PgQuery__DropStmt *d, char tag[64])
{
    switch (d->remove_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
        snprintf(tag, 64, "DROP TABLE");
        drop_tables(s, a, d);
        return;
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
        snprintf(tag, 64, "DROP SCHEMA");
        drop_schemas(s, a, d);
        return;
    default:
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("this kind of DROP is not supported yet"));
    }
}

/* ---------- TRUNCATE ---------- */

typedef struct TruncateRun {
    size_t n;
    CatTable **tables;
} TruncateRun;

static void run_truncate(Session *s, void *arg)
{
    TruncateRun *run = arg;
    TableTxn *txn = session_table_txn(s);
    for (size_t i = 0; i < run->n; i++)
        table_truncate(txn, run->tables[i]);
}

void table_ddl_truncate(Session *s, Arena *a, PgQuery__TruncateStmt *st, char tag[64])
{
    CatTable **tables = arena_new_array(a, CatTable *, st->n_relations ? st->n_relations : 1);

    snprintf(tag, 64, "TRUNCATE TABLE");
    for (size_t i = 0; i < st->n_relations; i++) {
        PgQuery__Node *n = st->relations[i];
        if (n->node_case != PG_QUERY__NODE__NODE_RANGE_VAR)
            elog(ERROR, "unexpected node in TRUNCATE");
        PgQuery__RangeVar *rv = n->range_var;
        const char *schema = str_or_null(rv->schemaname);
        check_schema_exists(s, schema, rv->location);
        CatTable *t = resolve_table(s, a, schema, rv->relname);
        if (t == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                    errmsg("relation \"%s\" does not exist", rv->relname),
                    errposition(rv->location + 1));
        if (t->kind != CAT_TABLE_PLAIN)
            ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                    errmsg("\"%s\" is not a table", rv->relname),
                    errdetail("Only plain tables can be truncated; \"%s\" is a %s.", rv->relname,
                              catalog_table_kind_word(t->kind)),
                    errposition(rv->location + 1));
        tables[i] = t;
    }
    TruncateRun run = {.n = st->n_relations, .tables = tables};
    session_txn_run_implicit(s, run_truncate, &run);
}
