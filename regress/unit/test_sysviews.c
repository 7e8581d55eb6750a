/*
 * test_sysviews.c: the system views (planner/sysview*.c) over a real catalog.
 *
 * Covers: the registry (unique names and OIDs, PostgreSQL's OIDs for
 * pg_catalog tables, lookups by name and OID, namespace OIDs); every view's
 * fill runs and yields rows of its declared shape; pg_class relkinds (plain
 * 'r', source/sink 'f', views 'v', primary-key index 'i'); pg_attribute
 * types, typmods and not-null flags as PostgreSQL reports them; defaults,
 * indexes and constraints of a primary key; pg_type array entries and the
 * I/O functions drivers test (typinput = array_in); roles with passwords
 * masked and pg_authid refused to non-superusers (42501); pg_settings
 * metadata; foreign-table options with secrets redacted; information_schema
 * tables/columns/key usage; the laminar.* views' JSON with secrets redacted;
 * options_json() itself.
 */
#include "common/arena.h"
#include "common/error.h"
#include "connectors/options_json.h"
#include "executor/exec.h"
#include "executor/func.h"
#include "planner/sysview.h"
#include "storage/catalog.h"
#include "storage/storage.h"

#include "lmtest.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPECT_SQLSTATE(stmt, want_state, ...)                                                     \
    do {                                                                                           \
        volatile int raised_ = 0;                                                                  \
        char state_[6] = "";                                                                       \
        LM_TRY();                                                                                  \
        {                                                                                          \
            stmt;                                                                                  \
        }                                                                                          \
        LM_CATCH();                                                                                \
        {                                                                                          \
            raised_ = 1;                                                                           \
            snprintf(state_, sizeof state_, "%s", error_current()->sqlstate);                      \
            error_clear();                                                                         \
        }                                                                                          \
        LM_END_TRY();                                                                              \
        lmt_check(raised_ &&strcmp(state_, (want_state)) == 0, __FILE__, __LINE__,                 \
                  raised_ ? state_ : "no error raised", __VA_ARGS__);                              \
    } while (0)

static Arena *arena;
static bool superuser = true;

/* ---- a session for the views to ask ---- */

static const char *settings[][3] = {
    {"statement_timeout", "0", "Sets the maximum allowed duration of any statement."},
    {"DateStyle", "ISO, MDY", "Sets the display format for date and time values."},
    {"is_superuser", "on", "Shows whether the current user is a superuser."},
    {"myapp.tenant", "t1", ""},
};

static bool iter_settings(void *session, int i, const char **name, const char **value,
                          const char **desc)
{
    if (i >= (int)LM_ARRAY_LEN(settings))
        return false;
    *name = settings[i][0];
    *value = settings[i][1];
    *desc = settings[i][2];
    return true;
}

static const char *get_setting(void *session, const char *name, bool missing_ok)
{
    return strcmp(name, "application_name") == 0 ? "test_sysviews" : NULL;
}

static SessionServices svc;
static ExecContext ctx;

/* ---- running a view ---- */

static RowSet *scan(const char *schema, const char *name)
{
    const SystemView *v = sysview_find(schema, name);
    if (v == NULL) {
        lmt_diag("no view %s.%s", schema, name);
        return NULL;
    }
    const LmType **types = arena_new_array(arena, const LmType *, v->ncols);
    for (int i = 0; i < v->ncols; i++)
        types[i] = v->cols[i].type;
    svc.is_superuser = superuser;
    RowSet *rs = rowset_create(arena, v->ncols, types);
    v->fill(&ctx, rs);
    return rs;
}

static int column_of(const char *schema, const char *name, const char *col)
{
    const SystemView *v = sysview_find(schema, name);
    for (int i = 0; v && i < v->ncols; i++)
        if (strcmp(v->cols[i].name, col) == 0)
            return i;
    lmt_diag("no column %s in %s.%s", col, schema, name);
    return -1;
}

/* Text of a value as PostgreSQL prints it; "NULL" for NULL. */
static const char *cell(RowSet *rs, int64 row, int col)
{
    if (rs == NULL || col < 0 || row < 0 || row >= rs->nrows)
        return "(missing)";
    const Batch *b = rs->batches[row / LM_BATCH_SIZE];
    int r = (int)(row % LM_BATCH_SIZE);
    if (!vector_is_valid(&b->cols[col], r))
        return "NULL";
    StrBuf s;
    strbuf_init(&s, arena);
    value_format_text(&b->cols[col], r, &s);
    return s.data;
}

/* First row of schema.name whose column key prints as value (-1: none). */
static int64 find_row(RowSet *rs, const char *schema, const char *name, const char *key,
                      const char *value)
{
    int col = column_of(schema, name, key);
    for (int64 i = 0; rs && i < rs->nrows; i++)
        if (strcmp(cell(rs, i, col), value) == 0)
            return i;
    return -1;
}

/* Value of column `col` in the first row where `key` = value. */
static const char *lookup(const char *schema, const char *name, const char *key, const char *value,
                          const char *col)
{
    RowSet *rs = scan(schema, name);
    int64 row = find_row(rs, schema, name, key, value);
    return row < 0 ? "(no row)" : cell(rs, row, column_of(schema, name, col));
}

static int64 count_where(const char *schema, const char *name, const char *key, const char *value)
{
    RowSet *rs = scan(schema, name);
    int col = column_of(schema, name, key);
    int64 n = 0;
    for (int64 i = 0; rs && i < rs->nrows; i++)
        if (strcmp(cell(rs, i, col), value) == 0)
            n++;
    return n;
}

/* ---- the catalog under test ---- */

static CatColumn column(const char *name, const char *type, bool not_null, const char *def)
{
    int pos;
    const char *msg;
    CatColumn c = {.name = (char *)name, .not_null = not_null, .default_expr = (char *)def};
    c.type = type_parse(arena, type, &pos, &msg);
    if (c.type == NULL)
        lmt_diag("type %s: %s", type, msg);
    return c;
}

static Oid accounts_oid, clicks_oid;

static void create_objects(void)
{
    CatOption popts[] = {{"bootstrap_servers", "k1:9092", CATOPT_STRING},
                         {"sasl_password", "hunter2", CATOPT_STRING},
                         {"sasl_username", "{{ KAFKA_USER }}", CATOPT_STRING}};
    CatProfile p = {.name = "kprof", .connector = "kafka", .noptions = 3, .options = popts};
    CatProfile *prof = catalog_create_profile(arena, &p, false);

    CatSecret sec = {.name = "pw", .value = "very secret"};
    catalog_create_secret(&sec, false);

    CatColumn ccols[] = {column("user_id", "BIGINT", true, NULL),
                         column("url", "STRING", false, NULL),
                         column("ts", "TIMESTAMP", true, NULL)};
    CatOption copts[] = {{"topic", "clicks", CATOPT_STRING},
                         {"sasl_password", "pw", CATOPT_SECRET},
                         {"batch_size", "100", CATOPT_NUMBER}};
    CatTable clicks = {.schema = "public",
                       .name = "clicks",
                       .kind = CAT_TABLE_SOURCE,
                       .connector = "kafka",
                       .profile_id = prof->id,
                       .ncolumns = 3,
                       .columns = ccols,
                       .noptions = 3,
                       .options = copts,
                       .event_time_field = "ts",
                       .watermark_delay = "30 seconds"};
    clicks_oid = catalog_create_table(arena, &clicks, false)->oid;

    CatColumn scols[] = {column("user_id", "BIGINT", true, NULL),
                         column("n", "BIGINT", false, NULL)};
    CatTable out = {.schema = "public",
                    .name = "out",
                    .kind = CAT_TABLE_SINK,
                    .connector = "kafka",
                    .ncolumns = 2,
                    .columns = scols};
    catalog_create_table(arena, &out, false);

    CatColumn acols[] = {column("id", "BIGINT", true, NULL),
                         column("name", "VARCHAR(20)", false, "'x'"),
                         column("balance", "DECIMAL(10,2)", false, NULL),
                         column("tags", "ARRAY<STRING>", false, NULL)};
    int pk[] = {0};
    CatTable acc = {.schema = "public",
                    .name = "accounts",
                    .kind = CAT_TABLE_PLAIN,
                    .ncolumns = 4,
                    .columns = acols,
                    .nprimary_key = 1,
                    .primary_key = pk};
    accounts_oid = catalog_create_table(arena, &acc, false)->oid;

    CatSchema sch = {.name = "analytics", .owner = "admin"};
    catalog_create_schema(&sch, false);
    CatColumn rcols[] = {column("day", "DATE", true, NULL)};
    CatTable rep = {.schema = "analytics",
                    .name = "report",
                    .kind = CAT_TABLE_PLAIN,
                    .ncolumns = 1,
                    .columns = rcols};
    catalog_create_table(arena, &rep, false);
}

/* ---- tests ---- */

static void test_registry(void)
{
    int n = sysview_count();
    LMT_CHECK(n >= 60, "the registry has every view (%d)", n);
    bool unique = true, typed = true;
    for (int i = 0; i < n; i++) {
        const SystemView *v = sysview_at(i);
        for (int j = i + 1; j < n; j++) {
            const SystemView *w = sysview_at(j);
            if (v->oid == w->oid ||
                (strcmp(v->name, w->name) == 0 && strcmp(v->schema, w->schema) == 0)) {
                unique = false;
                lmt_diag("duplicate %s.%s / %s.%s", v->schema, v->name, w->schema, w->name);
            }
        }
        for (int c = 0; c < v->ncols; c++) {
            if (v->cols[c].type == NULL || v->cols[c].name == NULL)
                typed = false;
            for (int d = c + 1; d < v->ncols; d++)
                if (strcmp(v->cols[c].name, v->cols[d].name) == 0) {
                    typed = false;
                    lmt_diag("%s.%s repeats column %s", v->schema, v->name, v->cols[c].name);
                }
        }
    }
    LMT_CHECK(unique, "view names and OIDs are unique");
    LMT_CHECK(typed, "every column has a name and a type, once");
    LMT_CHECK(sysview_find("pg_catalog", "pg_class")->oid == 1259, "pg_class keeps OID 1259");
    LMT_CHECK(sysview_find("pg_catalog", "pg_attribute")->oid == 1249, "pg_attribute is 1249");
    LMT_CHECK(sysview_find("pg_catalog", "pg_type")->oid == 1247, "pg_type is 1247");
    LMT_CHECK(sysview_find_oid(2615) == sysview_find("pg_catalog", "pg_namespace"),
              "lookup by OID finds pg_namespace");
    LMT_CHECK(sysview_find("public", "pg_class") == NULL, "lookups are by exact schema");
    LMT_CHECK(sysview_namespace_oid("pg_catalog") == 11 && sysview_namespace_oid("public") == 2200,
              "built-in namespace OIDs");
    Oid s1 = sysview_namespace_oid("nowhere");
    LMT_CHECK(s1 >= 0x70000000u && s1 == sysview_namespace_oid("nowhere") &&
                  s1 != sysview_namespace_oid("nowher"),
              "schemas the catalog does not store get stable hashed OIDs");
    LMT_CHECK(sysview_table_of_pk_index(sysview_pk_index_oid(16400)) == 16400 &&
                  sysview_table_of_pk_constraint(sysview_pk_constraint_oid(16400)) == 16400 &&
                  sysview_table_of_pk_index(16400) == 0,
              "primary-key OIDs map back to their table");
    const PgTypeInfo *t = sysview_pg_type_by_name("_int4");
    LMT_CHECK(t && t->oid == 1007 && t->elem == 23 && sysview_pg_type(23)->array == 1007,
              "pg_type knows int4[]");
    LMT_CHECK(sysview_io_proc_oid("array_in") == 750, "array_in has PostgreSQL's OID 750");
}

static void test_every_view_fills(void)
{
    int n = sysview_count(), failed = 0;
    for (int i = 0; i < n; i++) {
        const SystemView *v = sysview_at(i);
        LM_TRY();
        {
            RowSet *rs = scan(v->schema, v->name);
            if (rs->ncols != v->ncols)
                failed++;
        }
        LM_CATCH();
        {
            lmt_diag("%s.%s: %s", v->schema, v->name, error_current()->message);
            error_clear();
            failed++;
        }
        LM_END_TRY();
    }
    LMT_CHECK_INT(failed, 0, "every view fills without error");
}

static void test_pg_class(void)
{
    char oid[32];
    snprintf(oid, sizeof oid, "%u", accounts_oid);
    LMT_CHECK_STR(lookup("pg_catalog", "pg_class", "relname", "accounts", "relkind"), "r",
                  "a plain table is relkind r");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_class", "relname", "accounts", "oid"), oid,
                  "with the catalog's OID");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_class", "relname", "accounts", "relnamespace"), "2200",
                  "in public");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_class", "relname", "accounts", "relhasindex"), "t",
                  "it has an index (its primary key)");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_class", "relname", "clicks", "relkind"), "f",
                  "a source table is relkind f");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_class", "relname", "out", "relkind"), "f",
                  "a sink table is relkind f");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_class", "relname", "accounts_pkey", "relkind"), "i",
                  "the primary key is an index");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_class", "relname", "pg_class", "relkind"), "v",
                  "system views are relkind v");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_class", "relname", "pg_class", "relnatts"), "33",
                  "pg_class has PostgreSQL 15's 33 columns");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_class", "relname", "connection_tables", "relnamespace"),
                  "16380", "laminar views are in the laminar schema");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_namespace", "nspname", "information_schema", "oid"),
                  "13000", "information_schema's namespace");
    LMT_CHECK_INT(count_where("pg_catalog", "pg_namespace", "nspname", "public"), 1,
                  "public is listed once");
    CatSchema *sch = catalog_get_schema(arena, "analytics");
    char schoid[32];
    snprintf(schoid, sizeof schoid, "%u", sch ? sch->oid : 0);
    LMT_CHECK_STR(lookup("pg_catalog", "pg_namespace", "nspname", "analytics", "oid"), schoid,
                  "a created schema keeps the catalog's OID");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_class", "relname", "report", "relnamespace"), schoid,
                  "its tables are in it");
    LMT_CHECK(sysview_namespace_oid("analytics") == (sch ? sch->oid : 1),
              "sysview_namespace_oid agrees");
    LMT_CHECK_STR(
        lookup("information_schema", "schemata", "schema_name", "analytics", "schema_owner"),
        "admin", "schemata names its owner");
}

static void test_pg_attribute(void)
{
    char oid[32];
    snprintf(oid, sizeof oid, "%u", accounts_oid);
    RowSet *rs = scan("pg_catalog", "pg_attribute");
    int c_rel = column_of("pg_catalog", "pg_attribute", "attrelid");
    int c_name = column_of("pg_catalog", "pg_attribute", "attname");
    char got[512] = "";
    for (int64 i = 0; i < rs->nrows; i++) {
        if (strcmp(cell(rs, i, c_rel), oid) != 0)
            continue;
        const char *cols[] = {"attnum",    "atttypid", "atttypmod", "attnotnull",
                              "atthasdef", "attndims", "attlen"};
        strncat(got, cell(rs, i, c_name), sizeof got - strlen(got) - 1);
        for (size_t k = 0; k < LM_ARRAY_LEN(cols); k++) {
            strncat(got, ":", sizeof got - strlen(got) - 1);
            strncat(got, cell(rs, i, column_of("pg_catalog", "pg_attribute", cols[k])),
                    sizeof got - strlen(got) - 1);
        }
        strncat(got, " ", sizeof got - strlen(got) - 1);
    }
    LMT_CHECK_STR(got,
                  "id:1:20:-1:t:f:0:8 name:2:1043:24:f:t:0:-1 balance:3:1700:655366:f:f:0:-1 "
                  "tags:4:1009:-1:f:f:1:-1 ",
                  "columns of a plain table as PostgreSQL describes them");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_attrdef", "adrelid", oid, "adbin"), "'x'",
                  "the default is kept as SQL text");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_attrdef", "adrelid", oid, "adnum"), "2", "for column 2");
}

static void test_keys(void)
{
    char oid[32], idx[32];
    snprintf(oid, sizeof oid, "%u", accounts_oid);
    snprintf(idx, sizeof idx, "%u", sysview_pk_index_oid(accounts_oid));
    LMT_CHECK_STR(lookup("pg_catalog", "pg_index", "indrelid", oid, "indkey"), "1",
                  "pg_index.indkey is an int2vector");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_index", "indrelid", oid, "indexrelid"), idx,
                  "the index OID is the synthetic one");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_index", "indrelid", oid, "indisprimary"), "t",
                  "it is the primary key");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_constraint", "conrelid", oid, "conname"),
                  "accounts_pkey", "the constraint is named <table>_pkey");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_constraint", "conrelid", oid, "contype"), "p",
                  "contype p");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_constraint", "conrelid", oid, "conkey"), "{1}",
                  "conkey {1}");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_indexes", "tablename", "accounts", "indexdef"),
                  "CREATE UNIQUE INDEX accounts_pkey ON public.accounts USING btree (id)",
                  "pg_indexes prints the index definition");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_tables", "tablename", "accounts", "hasindexes"), "t",
                  "pg_tables lists the plain table");
    LMT_CHECK_INT(count_where("pg_catalog", "pg_tables", "tablename", "clicks"), 0,
                  "pg_tables does not list sources");

    SysviewRelInfo info;
    LMT_CHECK(sysview_relation_by_oid(&ctx, accounts_oid, &info) && info.relkind == 'r' &&
                  strcmp(info.name, "accounts") == 0 && strcmp(info.schema, "public") == 0,
              "relation by OID: a plain table");
    LMT_CHECK(sysview_relation_by_oid(&ctx, sysview_pk_index_oid(accounts_oid), &info) &&
                  info.relkind == 'i' && strcmp(info.name, "accounts_pkey") == 0 && info.table &&
                  info.table->oid == accounts_oid,
              "relation by OID: its primary-key index");
    LMT_CHECK(sysview_relation_by_oid(&ctx, 1259, &info) && info.relkind == 'v' &&
                  strcmp(info.schema, "pg_catalog") == 0,
              "relation by OID: a system view");
    LMT_CHECK(!sysview_relation_by_oid(&ctx, 999999, &info), "relation by OID: none");
    const char *def = sysview_indexdef_by_oid(&ctx, sysview_pk_index_oid(accounts_oid));
    LMT_CHECK_STR(def ? def : "NULL",
                  "CREATE UNIQUE INDEX accounts_pkey ON public.accounts USING btree (id)",
                  "pg_get_indexdef's text");
    def = sysview_constraintdef_by_oid(&ctx, sysview_pk_constraint_oid(accounts_oid));
    LMT_CHECK_STR(def ? def : "NULL", "PRIMARY KEY (id)", "pg_get_constraintdef's text");
    LMT_CHECK(sysview_indexdef_by_oid(&ctx, sysview_pk_index_oid(clicks_oid)) == NULL,
              "a source has no primary-key index");
}

static void test_types_and_procs(void)
{
    LMT_CHECK_STR(lookup("pg_catalog", "pg_type", "typname", "_int4", "typelem"), "23",
                  "_int4's element is int4");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_type", "typname", "_int4", "typinput"), "750",
                  "_int4's typinput is array_in (750)");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_type", "typname", "int4", "typarray"), "1007",
                  "int4's array type is 1007");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_type", "typname", "name", "typcollation"), "950",
                  "name has collation C");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_type", "typname", "bool", "typcategory"), "B",
                  "bool's category is B");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_proc", "oid", "750", "proname"), "array_in",
                  "pg_proc lists array_in");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_proc", "proname", "int4recv", "prorettype"), "23",
                  "int4recv returns int4");
    int64 nf = 0;
    for (int i = 0; i < func_count(); i++)
        if (!(func_at(i)->flags & FN_OPERATOR))
            nf++;
    /* 188: PostgreSQL's I/O functions of the types in pg_type */
    LMT_CHECK_INT(count_where("pg_catalog", "pg_proc", "prokind", "f"), nf + 188,
                  "pg_proc has a row per registry function and per type I/O function");
    LMT_CHECK_INT(count_where("pg_catalog", "pg_proc", "prokind", "a"), agg_count(),
                  "and one per aggregate");
}

static void test_roles_settings_databases(void)
{
    LMT_CHECK_STR(lookup("pg_catalog", "pg_roles", "rolname", "admin", "rolsuper"), "t",
                  "the bootstrap superuser is in pg_roles");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_roles", "rolname", "admin", "oid"), "10", "with OID 10");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_roles", "rolname", "admin", "rolpassword"), "********",
                  "passwords are masked");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_authid", "rolname", "admin", "rolpassword"), "NULL",
                  "pg_authid never shows a verifier");
    superuser = false;
    EXPECT_SQLSTATE(scan("pg_catalog", "pg_authid"), "42501",
                    "pg_authid is refused to non-superusers");
    superuser = true;
    LMT_CHECK_STR(lookup("pg_catalog", "pg_database", "datname", "laminar", "encoding"), "6",
                  "one database, UTF8");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_settings", "name", "statement_timeout", "unit"), "ms",
                  "statement_timeout is in ms");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_settings", "name", "statement_timeout", "vartype"),
                  "integer", "and an integer");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_settings", "name", "myapp.tenant", "setting"), "t1",
                  "placeholders are listed");
    LMT_CHECK_INT(count_where("pg_catalog", "pg_settings", "name", "is_superuser"), 0,
                  "is_superuser is hidden as in PostgreSQL");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_stat_activity", "pid", "4242", "application_name"),
                  "test_sysviews", "pg_stat_activity shows this session");
}

static void test_foreign_tables(void)
{
    char oid[32];
    snprintf(oid, sizeof oid, "%u", clicks_oid);
    const char *opts = lookup("pg_catalog", "pg_foreign_table", "ftrelid", oid, "ftoptions");
    LMT_CHECK_STR(opts,
                  "{profile=kprof,type=source,topic=clicks,\"sasl_password=SECRET pw\","
                  "batch_size=100,event_time_field=ts,\"watermark_delay=30 seconds\"}",
                  "a source's FDW options (secret referenced by name)");
    const char *server = lookup("pg_catalog", "pg_foreign_table", "ftrelid", oid, "ftserver");
    LMT_CHECK_STR(lookup("pg_catalog", "pg_foreign_server", "oid", server, "srvname"), "kafka",
                  "its server is its connector");
}

static void test_information_schema(void)
{
    LMT_CHECK_STR(lookup("information_schema", "tables", "table_name", "accounts", "table_type"),
                  "BASE TABLE", "plain tables are BASE TABLE");
    LMT_CHECK_STR(lookup("information_schema", "tables", "table_name", "clicks", "table_type"),
                  "FOREIGN", "sources are FOREIGN");
    LMT_CHECK_STR(lookup("information_schema", "tables", "table_name", "pg_class", "table_type"),
                  "VIEW", "system views are VIEW");
    RowSet *rs = scan("information_schema", "columns");
    int64 row = -1;
    int c_table = column_of("information_schema", "columns", "table_name");
    int c_col = column_of("information_schema", "columns", "column_name");
    for (int64 i = 0; i < rs->nrows && row < 0; i++)
        if (strcmp(cell(rs, i, c_table), "accounts") == 0 &&
            strcmp(cell(rs, i, c_col), "name") == 0)
            row = i;
#define COL(n) cell(rs, row, column_of("information_schema", "columns", n))
    LMT_CHECK_STR(COL("data_type"), "character varying", "varchar's data_type");
    LMT_CHECK_STR(COL("character_maximum_length"), "20", "its length");
    LMT_CHECK_STR(COL("is_nullable"), "YES", "nullable");
    LMT_CHECK_STR(COL("column_default"), "'x'", "its default");
    LMT_CHECK_STR(COL("udt_name"), "varchar", "udt_name varchar");
    LMT_CHECK_STR(COL("ordinal_position"), "2", "ordinal position 2");
    for (int64 i = 0; i < rs->nrows; i++)
        if (strcmp(cell(rs, i, c_table), "accounts") == 0 &&
            strcmp(cell(rs, i, c_col), "balance") == 0)
            row = i;
    LMT_CHECK_STR(COL("numeric_precision"), "10", "decimal precision");
    LMT_CHECK_STR(COL("numeric_scale"), "2", "decimal scale");
    for (int64 i = 0; i < rs->nrows; i++)
        if (strcmp(cell(rs, i, c_table), "accounts") == 0 &&
            strcmp(cell(rs, i, c_col), "tags") == 0)
            row = i;
    LMT_CHECK_STR(COL("data_type"), "ARRAY", "arrays are ARRAY");
    LMT_CHECK_STR(COL("udt_name"), "_text", "with udt_name _text");
#undef COL
    LMT_CHECK_STR(
        lookup("information_schema", "key_column_usage", "table_name", "accounts", "column_name"),
        "id", "key_column_usage names the key column");
    LMT_CHECK_STR(lookup("information_schema", "table_constraints", "table_name", "accounts",
                         "constraint_type"),
                  "PRIMARY KEY", "table_constraints has the primary key");
    LMT_CHECK_INT(count_where("information_schema", "schemata", "schema_name", "laminar"), 1,
                  "schemata lists laminar");
}

static void test_laminar_views(void)
{
    const char *config = lookup("laminar", "connection_profiles", "name", "kprof", "config");
    LMT_CHECK_STR(config,
                  "{\"bootstrap_servers\":\"k1:9092\",\"sasl_password\":\"********\","
                  "\"sasl_username\":\"{{ KAFKA_USER }}\"}",
                  "profile config redacts a sensitive literal, keeps placeholders");
    LMT_CHECK(strstr(config, "hunter2") == NULL, "the password never appears");
    LMT_CHECK_STR(lookup("laminar", "connection_tables", "name", "clicks", "config"),
                  "{\"topic\":\"clicks\",\"sasl_password\":{\"secret\":\"pw\"},\"batch_size\":100}",
                  "table config names secrets, numbers as numbers");
    LMT_CHECK_STR(lookup("laminar", "connection_tables", "name", "clicks", "schema"),
                  "{\"fields\":[{\"name\":\"user_id\",\"data_type\":\"BIGINT\",\"nullable\":false},"
                  "{\"name\":\"url\",\"data_type\":\"STRING\",\"nullable\":true},"
                  "{\"name\":\"ts\",\"data_type\":\"TIMESTAMP\",\"nullable\":false}]}",
                  "table schema in the REST API's shape");
    LMT_CHECK_STR(lookup("laminar", "connection_tables", "name", "clicks", "table_type"), "source",
                  "table_type source");
    LMT_CHECK_STR(lookup("laminar", "connection_tables", "name", "out", "table_type"), "sink",
                  "table_type sink");
    LMT_CHECK_INT(count_where("laminar", "connection_tables", "name", "accounts"), 0,
                  "plain tables are not connection tables");
    LMT_CHECK_STR(lookup("laminar", "connectors", "name", "kafka", "kinds"), "source, sink",
                  "kafka is a source and a sink");
    LMT_CHECK_STR(lookup("laminar", "secrets", "name", "pw", "name"), "pw",
                  "secrets are listed by name");
    RowSet *rs = scan("laminar", "secrets");
    LMT_CHECK(rs->ncols == 3, "and nothing but name and times");

    CatOption o = {"sasl_password", "lit", CATOPT_STRING};
    LMT_CHECK_STR(options_display_value(arena, "kafka", &o), "********",
                  "options_display_value redacts");
    CatOption s = {"sasl_password", "pw", CATOPT_SECRET};
    LMT_CHECK_STR(options_display_value(arena, "kafka", &s), "SECRET pw",
                  "and names secret references");
    CatOption b = {"password_hint", "x", CATOPT_STRING};
    LMT_CHECK_STR(options_json(arena, NULL, &b, 1), "{\"password_hint\":\"********\"}",
                  "unknown connectors redact anything that looks like a password");
}

int main(void)
{
    char dir[] = "/tmp/lm_sysviews_XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    arena = arena_create("test_sysviews", NULL);
    Storage *st = storage_open(dir);
    catalog_init(st, "admin");

    svc.user = "admin";
    svc.database = "laminar";
    svc.backend_pid = 4242;
    svc.is_superuser = true;
    svc.iter_settings = iter_settings;
    svc.get_setting = get_setting;
    ctx.arena = arena;
    ctx.svc = &svc;
    ctx.storage = st;

    create_objects();
    test_registry();
    test_every_view_fills();
    test_pg_class();
    test_pg_attribute();
    test_keys();
    test_types_and_procs();
    test_roles_settings_databases();
    test_foreign_tables();
    test_information_schema();
    test_laminar_views();

    catalog_shutdown();
    storage_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", dir);
    return lmt_done();
}
