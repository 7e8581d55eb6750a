/*
 * sysview_pgmisc.c: pg_catalog's shared and session views — pg_database,
 * pg_roles, pg_user, pg_authid, pg_settings, pg_stat_activity — and the
 * catalogs of features Laminar does not have (inheritance, policies,
 * rewrite rules, triggers, publications, subscriptions, sequences,
 * extensions, enums, ranges, dependencies, text search, conversions, large
 * objects, ...).  Those exist with PostgreSQL's columns and no
 * rows, because psql's `\d name` and drivers query them unconditionally;
 * an empty result is the true answer (no table has a policy).
 *
 * Secrets: rolpassword is never shown — "********" in pg_roles and pg_user
 * (as PostgreSQL does) and NULL in pg_authid, which only superusers may read
 * (42501 otherwise, as in PostgreSQL).
 *
 * Limits: pg_stat_activity shows the current session only (the executor
 * sees no other session) and no query text; the settings service reports
 * name, value and description only, so pg_settings' boot_val and reset_val
 * repeat the current value and source says "default" (built-in settings) or
 * "session" (placeholders such as myapp.tenant).
 */
#include "planner/sysview_int.h"

#include <string.h>

#define SV_DB_OID SV_DATABASE_OID

/* pg_catalog.pg_database */
enum {
    PG_DATABASE_OID,
    PG_DATABASE_DATNAME,
    PG_DATABASE_DATDBA,
    PG_DATABASE_ENCODING,
    PG_DATABASE_DATLOCPROVIDER,
    PG_DATABASE_DATISTEMPLATE,
    PG_DATABASE_DATALLOWCONN,
    PG_DATABASE_DATCONNLIMIT,
    PG_DATABASE_DATFROZENXID,
    PG_DATABASE_DATMINMXID,
    PG_DATABASE_DATTABLESPACE,
    PG_DATABASE_DATCOLLATE,
    PG_DATABASE_DATCTYPE,
    PG_DATABASE_DATICULOCALE,
    PG_DATABASE_DATCOLLVERSION,
    PG_DATABASE_DATACL,
};
static const RelColumn cols_pg_database[] = {
    {"oid", &svt_oid},           {"datname", &svt_name},        {"datdba", &svt_oid},
    {"encoding", &svt_int4},     {"datlocprovider", &svt_char}, {"datistemplate", &svt_bool},
    {"datallowconn", &svt_bool}, {"datconnlimit", &svt_int4},   {"datfrozenxid", &svt_xid},
    {"datminmxid", &svt_xid},    {"dattablespace", &svt_oid},   {"datcollate", &svt_text},
    {"datctype", &svt_text},     {"daticulocale", &svt_text},   {"datcollversion", &svt_text},
    {"datacl", &svt_text_array},
};

/* pg_catalog.pg_roles */
enum {
    PG_ROLES_ROLNAME,
    PG_ROLES_ROLSUPER,
    PG_ROLES_ROLINHERIT,
    PG_ROLES_ROLCREATEROLE,
    PG_ROLES_ROLCREATEDB,
    PG_ROLES_ROLCANLOGIN,
    PG_ROLES_ROLREPLICATION,
    PG_ROLES_ROLCONNLIMIT,
    PG_ROLES_ROLPASSWORD,
    PG_ROLES_ROLVALIDUNTIL,
    PG_ROLES_ROLBYPASSRLS,
    PG_ROLES_ROLCONFIG,
    PG_ROLES_OID,
};
static const RelColumn cols_pg_roles[] = {
    {"rolname", &svt_name},
    {"rolsuper", &svt_bool},
    {"rolinherit", &svt_bool},
    {"rolcreaterole", &svt_bool},
    {"rolcreatedb", &svt_bool},
    {"rolcanlogin", &svt_bool},
    {"rolreplication", &svt_bool},
    {"rolconnlimit", &svt_int4},
    {"rolpassword", &svt_text},
    {"rolvaliduntil", &svt_timestamptz},
    {"rolbypassrls", &svt_bool},
    {"rolconfig", &svt_text_array},
    {"oid", &svt_oid},
};

/* pg_catalog.pg_user */
enum {
    PG_USER_USENAME,
    PG_USER_USESYSID,
    PG_USER_USECREATEDB,
    PG_USER_USESUPER,
    PG_USER_USEREPL,
    PG_USER_USEBYPASSRLS,
    PG_USER_PASSWD,
    PG_USER_VALUNTIL,
    PG_USER_USECONFIG,
};
static const RelColumn cols_pg_user[] = {
    {"usename", &svt_name},  {"usesysid", &svt_oid},         {"usecreatedb", &svt_bool},
    {"usesuper", &svt_bool}, {"userepl", &svt_bool},         {"usebypassrls", &svt_bool},
    {"passwd", &svt_text},   {"valuntil", &svt_timestamptz}, {"useconfig", &svt_text_array},
};

/* pg_catalog.pg_authid */
enum {
    PG_AUTHID_OID,
    PG_AUTHID_ROLNAME,
    PG_AUTHID_ROLSUPER,
    PG_AUTHID_ROLINHERIT,
    PG_AUTHID_ROLCREATEROLE,
    PG_AUTHID_ROLCREATEDB,
    PG_AUTHID_ROLCANLOGIN,
    PG_AUTHID_ROLREPLICATION,
    PG_AUTHID_ROLBYPASSRLS,
    PG_AUTHID_ROLCONNLIMIT,
    PG_AUTHID_ROLPASSWORD,
    PG_AUTHID_ROLVALIDUNTIL,
};
static const RelColumn cols_pg_authid[] = {
    {"oid", &svt_oid},           {"rolname", &svt_name},        {"rolsuper", &svt_bool},
    {"rolinherit", &svt_bool},   {"rolcreaterole", &svt_bool},  {"rolcreatedb", &svt_bool},
    {"rolcanlogin", &svt_bool},  {"rolreplication", &svt_bool}, {"rolbypassrls", &svt_bool},
    {"rolconnlimit", &svt_int4}, {"rolpassword", &svt_text},    {"rolvaliduntil", &svt_timestamptz},
};

/* pg_catalog.pg_settings */
enum {
    PG_SETTINGS_NAME,
    PG_SETTINGS_SETTING,
    PG_SETTINGS_UNIT,
    PG_SETTINGS_CATEGORY,
    PG_SETTINGS_SHORT_DESC,
    PG_SETTINGS_EXTRA_DESC,
    PG_SETTINGS_CONTEXT,
    PG_SETTINGS_VARTYPE,
    PG_SETTINGS_SOURCE,
    PG_SETTINGS_MIN_VAL,
    PG_SETTINGS_MAX_VAL,
    PG_SETTINGS_ENUMVALS,
    PG_SETTINGS_BOOT_VAL,
    PG_SETTINGS_RESET_VAL,
    PG_SETTINGS_SOURCEFILE,
    PG_SETTINGS_SOURCELINE,
    PG_SETTINGS_PENDING_RESTART,
};
static const RelColumn cols_pg_settings[] = {
    {"name", &svt_text},       {"setting", &svt_text},         {"unit", &svt_text},
    {"category", &svt_text},   {"short_desc", &svt_text},      {"extra_desc", &svt_text},
    {"context", &svt_text},    {"vartype", &svt_text},         {"source", &svt_text},
    {"min_val", &svt_text},    {"max_val", &svt_text},         {"enumvals", &svt_text_array},
    {"boot_val", &svt_text},   {"reset_val", &svt_text},       {"sourcefile", &svt_text},
    {"sourceline", &svt_int4}, {"pending_restart", &svt_bool},
};

/* pg_catalog.pg_stat_activity */
enum {
    PG_STAT_ACTIVITY_DATID,
    PG_STAT_ACTIVITY_DATNAME,
    PG_STAT_ACTIVITY_PID,
    PG_STAT_ACTIVITY_LEADER_PID,
    PG_STAT_ACTIVITY_USESYSID,
    PG_STAT_ACTIVITY_USENAME,
    PG_STAT_ACTIVITY_APPLICATION_NAME,
    PG_STAT_ACTIVITY_CLIENT_ADDR,
    PG_STAT_ACTIVITY_CLIENT_HOSTNAME,
    PG_STAT_ACTIVITY_CLIENT_PORT,
    PG_STAT_ACTIVITY_BACKEND_START,
    PG_STAT_ACTIVITY_XACT_START,
    PG_STAT_ACTIVITY_QUERY_START,
    PG_STAT_ACTIVITY_STATE_CHANGE,
    PG_STAT_ACTIVITY_WAIT_EVENT_TYPE,
    PG_STAT_ACTIVITY_WAIT_EVENT,
    PG_STAT_ACTIVITY_STATE,
    PG_STAT_ACTIVITY_BACKEND_XID,
    PG_STAT_ACTIVITY_BACKEND_XMIN,
    PG_STAT_ACTIVITY_QUERY_ID,
    PG_STAT_ACTIVITY_QUERY,
    PG_STAT_ACTIVITY_BACKEND_TYPE,
};
static const RelColumn cols_pg_stat_activity[] = {
    {"datid", &svt_oid},
    {"datname", &svt_name},
    {"pid", &svt_int4},
    {"leader_pid", &svt_int4},
    {"usesysid", &svt_oid},
    {"usename", &svt_name},
    {"application_name", &svt_text},
    {"client_addr", &svt_text},
    {"client_hostname", &svt_text},
    {"client_port", &svt_int4},
    {"backend_start", &svt_timestamptz},
    {"xact_start", &svt_timestamptz},
    {"query_start", &svt_timestamptz},
    {"state_change", &svt_timestamptz},
    {"wait_event_type", &svt_text},
    {"wait_event", &svt_text},
    {"state", &svt_text},
    {"backend_xid", &svt_xid},
    {"backend_xmin", &svt_xid},
    {"query_id", &svt_int8},
    {"query", &svt_text},
    {"backend_type", &svt_text},
};

/* pg_catalog.pg_prepared_statements */
enum {
    PG_PREPARED_STATEMENTS_NAME,
    PG_PREPARED_STATEMENTS_STATEMENT,
    PG_PREPARED_STATEMENTS_PREPARE_TIME,
    PG_PREPARED_STATEMENTS_PARAMETER_TYPES,
    PG_PREPARED_STATEMENTS_FROM_SQL,
    PG_PREPARED_STATEMENTS_GENERIC_PLANS,
    PG_PREPARED_STATEMENTS_CUSTOM_PLANS,
};
static const RelColumn cols_pg_prepared_statements[] = {
    {"name", &svt_text},
    {"statement", &svt_text},
    {"prepare_time", &svt_timestamptz},
    {"parameter_types", &svt_regtype_array},
    {"from_sql", &svt_bool},
    {"generic_plans", &svt_int8},
    {"custom_plans", &svt_int8},
};

/* ---- columns of the catalogs without rows (generated from PostgreSQL 15) ---- */

/* pg_catalog.pg_inherits */
static const RelColumn cols_pg_inherits[] = {
    {"inhrelid", &svt_oid},
    {"inhparent", &svt_oid},
    {"inhseqno", &svt_int4},
    {"inhdetachpending", &svt_bool},
};

/* pg_catalog.pg_extension */
static const RelColumn cols_pg_extension[] = {
    {"oid", &svt_oid},
    {"extname", &svt_name},
    {"extowner", &svt_oid},
    {"extnamespace", &svt_oid},
    {"extrelocatable", &svt_bool},
    {"extversion", &svt_text},
    {"extconfig", &svt_oid_array},
    {"extcondition", &svt_text_array},
};

/* pg_catalog.pg_enum */
static const RelColumn cols_pg_enum[] = {
    {"oid", &svt_oid},
    {"enumtypid", &svt_oid},
    {"enumsortorder", &svt_float4},
    {"enumlabel", &svt_name},
};

/* pg_catalog.pg_range */
static const RelColumn cols_pg_range[] = {
    {"rngtypid", &svt_oid},       {"rngsubtype", &svt_oid}, {"rngmultitypid", &svt_oid},
    {"rngcollation", &svt_oid},   {"rngsubopc", &svt_oid},  {"rngcanonical", &svt_regproc},
    {"rngsubdiff", &svt_regproc},
};

/* pg_catalog.pg_policy */
static const RelColumn cols_pg_policy[] = {
    {"oid", &svt_oid},      {"polname", &svt_name},       {"polrelid", &svt_oid},
    {"polcmd", &svt_char},  {"polpermissive", &svt_bool}, {"polroles", &svt_oid_array},
    {"polqual", &svt_text}, {"polwithcheck", &svt_text},
};

/* pg_catalog.pg_rewrite */
static const RelColumn cols_pg_rewrite[] = {
    {"oid", &svt_oid},      {"rulename", &svt_name},   {"ev_class", &svt_oid},
    {"ev_type", &svt_char}, {"ev_enabled", &svt_char}, {"is_instead", &svt_bool},
    {"ev_qual", &svt_text}, {"ev_action", &svt_text},
};

/* pg_catalog.pg_trigger */
static const RelColumn cols_pg_trigger[] = {
    {"oid", &svt_oid},
    {"tgrelid", &svt_oid},
    {"tgparentid", &svt_oid},
    {"tgname", &svt_name},
    {"tgfoid", &svt_oid},
    {"tgtype", &svt_int2},
    {"tgenabled", &svt_char},
    {"tgisinternal", &svt_bool},
    {"tgconstrrelid", &svt_oid},
    {"tgconstrindid", &svt_oid},
    {"tgconstraint", &svt_oid},
    {"tgdeferrable", &svt_bool},
    {"tginitdeferred", &svt_bool},
    {"tgnargs", &svt_int2},
    {"tgattr", &svt_int2vector},
    {"tgargs", &svt_bytea},
    {"tgqual", &svt_text},
    {"tgoldtable", &svt_name},
    {"tgnewtable", &svt_name},
};

/* pg_catalog.pg_statistic_ext */
static const RelColumn cols_pg_statistic_ext[] = {
    {"oid", &svt_oid},
    {"stxrelid", &svt_oid},
    {"stxname", &svt_name},
    {"stxnamespace", &svt_oid},
    {"stxowner", &svt_oid},
    {"stxstattarget", &svt_int4},
    {"stxkeys", &svt_int2vector},
    {"stxkind", &svt_char_array},
    {"stxexprs", &svt_text},
};

/* pg_catalog.pg_publication */
static const RelColumn cols_pg_publication[] = {
    {"oid", &svt_oid},           {"pubname", &svt_name},     {"pubowner", &svt_oid},
    {"puballtables", &svt_bool}, {"pubinsert", &svt_bool},   {"pubupdate", &svt_bool},
    {"pubdelete", &svt_bool},    {"pubtruncate", &svt_bool}, {"pubviaroot", &svt_bool},
};

/* pg_catalog.pg_publication_rel */
static const RelColumn cols_pg_publication_rel[] = {
    {"oid", &svt_oid},     {"prpubid", &svt_oid},        {"prrelid", &svt_oid},
    {"prqual", &svt_text}, {"prattrs", &svt_int2vector},
};

/* pg_catalog.pg_publication_namespace */
static const RelColumn cols_pg_publication_namespace[] = {
    {"oid", &svt_oid},
    {"pnpubid", &svt_oid},
    {"pnnspid", &svt_oid},
};

/* pg_catalog.pg_partitioned_table */
static const RelColumn cols_pg_partitioned_table[] = {
    {"partrelid", &svt_oid},           {"partstrat", &svt_char},
    {"partnatts", &svt_int2},          {"partdefid", &svt_oid},
    {"partattrs", &svt_int2vector},    {"partclass", &svt_oidvector},
    {"partcollation", &svt_oidvector}, {"partexprs", &svt_text},
};

/* pg_catalog.pg_sequence */
static const RelColumn cols_pg_sequence[] = {
    {"seqrelid", &svt_oid},      {"seqtypid", &svt_oid},  {"seqstart", &svt_int8},
    {"seqincrement", &svt_int8}, {"seqmax", &svt_int8},   {"seqmin", &svt_int8},
    {"seqcache", &svt_int8},     {"seqcycle", &svt_bool},
};

/* pg_catalog.pg_sequences */
static const RelColumn cols_pg_sequences[] = {
    {"schemaname", &svt_name},   {"sequencename", &svt_name}, {"sequenceowner", &svt_name},
    {"data_type", &svt_regtype}, {"start_value", &svt_int8},  {"min_value", &svt_int8},
    {"max_value", &svt_int8},    {"increment_by", &svt_int8}, {"cycle", &svt_bool},
    {"cache_size", &svt_int8},   {"last_value", &svt_int8},
};

/* pg_catalog.pg_depend */
static const RelColumn cols_pg_depend[] = {
    {"classid", &svt_oid},    {"objid", &svt_oid},    {"objsubid", &svt_int4},
    {"refclassid", &svt_oid}, {"refobjid", &svt_oid}, {"refobjsubid", &svt_int4},
    {"deptype", &svt_char},
};

/* pg_catalog.pg_shdepend */
static const RelColumn cols_pg_shdepend[] = {
    {"dbid", &svt_oid},      {"classid", &svt_oid},    {"objid", &svt_oid},
    {"objsubid", &svt_int4}, {"refclassid", &svt_oid}, {"refobjid", &svt_oid},
    {"deptype", &svt_char},
};

/* pg_catalog.pg_shdescription */
static const RelColumn cols_pg_shdescription[] = {
    {"objoid", &svt_oid},
    {"classoid", &svt_oid},
    {"description", &svt_text},
};

/* pg_catalog.pg_matviews */
static const RelColumn cols_pg_matviews[] = {
    {"schemaname", &svt_name}, {"matviewname", &svt_name}, {"matviewowner", &svt_name},
    {"tablespace", &svt_name}, {"hasindexes", &svt_bool},  {"ispopulated", &svt_bool},
    {"definition", &svt_text},
};

/* pg_catalog.pg_event_trigger */
static const RelColumn cols_pg_event_trigger[] = {
    {"oid", &svt_oid},
    {"evtname", &svt_name},
    {"evtevent", &svt_name},
    {"evtowner", &svt_oid},
    {"evtfoid", &svt_oid},
    {"evtenabled", &svt_char},
    {"evttags", &svt_text_array},
};

/* pg_catalog.pg_cast */
static const RelColumn cols_pg_cast[] = {
    {"oid", &svt_oid},      {"castsource", &svt_oid},   {"casttarget", &svt_oid},
    {"castfunc", &svt_oid}, {"castcontext", &svt_char}, {"castmethod", &svt_char},
};

/* pg_catalog.pg_opclass */
static const RelColumn cols_pg_opclass[] = {
    {"oid", &svt_oid},          {"opcmethod", &svt_oid},   {"opcname", &svt_name},
    {"opcnamespace", &svt_oid}, {"opcowner", &svt_oid},    {"opcfamily", &svt_oid},
    {"opcintype", &svt_oid},    {"opcdefault", &svt_bool}, {"opckeytype", &svt_oid},
};

/* pg_catalog.pg_default_acl */
static const RelColumn cols_pg_default_acl[] = {
    {"oid", &svt_oid},
    {"defaclrole", &svt_oid},
    {"defaclnamespace", &svt_oid},
    {"defaclobjtype", &svt_char},
    {"defaclacl", &svt_text_array},
};

/* pg_catalog.pg_init_privs */
static const RelColumn cols_pg_init_privs[] = {
    {"objoid", &svt_oid},    {"classoid", &svt_oid},         {"objsubid", &svt_int4},
    {"privtype", &svt_char}, {"initprivs", &svt_text_array},
};

/* pg_catalog.pg_auth_members */
static const RelColumn cols_pg_auth_members[] = {
    {"roleid", &svt_oid},
    {"member", &svt_oid},
    {"grantor", &svt_oid},
    {"admin_option", &svt_bool},
};

/* pg_catalog.pg_user_mapping */
static const RelColumn cols_pg_user_mapping[] = {
    {"oid", &svt_oid},
    {"umuser", &svt_oid},
    {"umserver", &svt_oid},
    {"umoptions", &svt_text_array},
};
/* Text search, conversions, large objects, per-database role settings, subscriptions: psql's
 * \dF*, \dc, \dl, \drds, \dRs and \deu read them (Laminar has none of these objects). */
static const RelColumn cols_pg_conversion[] = {
    {"oid", &svt_oid},           {"conname", &svt_name},        {"connamespace", &svt_oid},
    {"conowner", &svt_oid},      {"conforencoding", &svt_int4}, {"contoencoding", &svt_int4},
    {"conproc", &svt_regproc},   {"condefault", &svt_bool},
};
static const RelColumn cols_pg_largeobject_metadata[] = {
    {"oid", &svt_oid},
    {"lomowner", &svt_oid},
    {"lomacl", &svt_text_array},
};
static const RelColumn cols_pg_ts_config[] = {
    {"oid", &svt_oid},      {"cfgname", &svt_name},   {"cfgnamespace", &svt_oid},
    {"cfgowner", &svt_oid}, {"cfgparser", &svt_oid},
};
static const RelColumn cols_pg_ts_config_map[] = {
    {"mapcfg", &svt_oid},
    {"maptokentype", &svt_int4},
    {"mapseqno", &svt_int4},
    {"mapdict", &svt_oid},
};
static const RelColumn cols_pg_ts_dict[] = {
    {"oid", &svt_oid},       {"dictname", &svt_name},     {"dictnamespace", &svt_oid},
    {"dictowner", &svt_oid}, {"dicttemplate", &svt_oid}, {"dictinitoption", &svt_text},
};
static const RelColumn cols_pg_ts_parser[] = {
    {"oid", &svt_oid},           {"prsname", &svt_name},        {"prsnamespace", &svt_oid},
    {"prsstart", &svt_regproc},  {"prstoken", &svt_regproc},    {"prsend", &svt_regproc},
    {"prsheadline", &svt_regproc}, {"prslextype", &svt_regproc},
};
static const RelColumn cols_pg_ts_template[] = {
    {"oid", &svt_oid},          {"tmplname", &svt_name},       {"tmplnamespace", &svt_oid},
    {"tmplinit", &svt_regproc}, {"tmpllexize", &svt_regproc},
};
static const RelColumn cols_pg_db_role_setting[] = {
    {"setdatabase", &svt_oid},
    {"setrole", &svt_oid},
    {"setconfig", &svt_text_array},
};
static const RelColumn cols_pg_subscription[] = {
    {"oid", &svt_oid},           {"subdbid", &svt_oid},          {"subskiplsn", &svt_text},
    {"subname", &svt_name},      {"subowner", &svt_oid},         {"subenabled", &svt_bool},
    {"subbinary", &svt_bool},    {"substream", &svt_bool},       {"subtwophasestate", &svt_char},
    {"subdisableonerr", &svt_bool}, {"subconninfo", &svt_text},  {"subslotname", &svt_name},
    {"subsynccommit", &svt_text}, {"subpublications", &svt_text_array},
};
static const RelColumn cols_pg_opfamily[] = {
    {"oid", &svt_oid},     {"opfmethod", &svt_oid}, {"opfname", &svt_name},
    {"opfnamespace", &svt_oid}, {"opfowner", &svt_oid},
};
static const RelColumn cols_pg_amop[] = {
    {"oid", &svt_oid},          {"amopfamily", &svt_oid},   {"amoplefttype", &svt_oid},
    {"amoprighttype", &svt_oid}, {"amopstrategy", &svt_int2}, {"amoppurpose", &svt_char},
    {"amopopr", &svt_oid},      {"amopmethod", &svt_oid},   {"amopsortfamily", &svt_oid},
};
static const RelColumn cols_pg_amproc[] = {
    {"oid", &svt_oid},            {"amprocfamily", &svt_oid}, {"amproclefttype", &svt_oid},
    {"amprocrighttype", &svt_oid}, {"amprocnum", &svt_int2},  {"amproc", &svt_regproc},
};
static const RelColumn cols_pg_user_mappings[] = {
    {"umid", &svt_oid},    {"srvid", &svt_oid},    {"srvname", &svt_name},
    {"umuser", &svt_oid},  {"usename", &svt_name}, {"umoptions", &svt_text_array},
};
/* ---- databases ---- */

static const char *database_name(ExecContext *ctx)
{
    return ctx->svc && ctx->svc->database ? ctx->svc->database : "laminar";
}

static void fill_pg_database(ExecContext *ctx, RowSet *rs)
{
    SvRow r = sv_add_row(rs);
    sv_int(&r, PG_DATABASE_OID, SV_DB_OID);
    sv_text(&r, PG_DATABASE_DATNAME, database_name(ctx));
    sv_int(&r, PG_DATABASE_DATDBA, SV_OWNER_OID);
    sv_int(&r, PG_DATABASE_ENCODING, 6); /* UTF8 */
    sv_char(&r, PG_DATABASE_DATLOCPROVIDER, 'c');
    sv_bool(&r, PG_DATABASE_DATALLOWCONN, true);
    sv_int(&r, PG_DATABASE_DATCONNLIMIT, -1);
    sv_int(&r, PG_DATABASE_DATTABLESPACE, SV_DEFAULT_TABLESPACE_OID);
    sv_text(&r, PG_DATABASE_DATCOLLATE, "C");
    sv_text(&r, PG_DATABASE_DATCTYPE, "C");
}

/* ---- roles ---- */

static void role_valid_until(SvRow *r, int col, const CatRole *role)
{
    if (role->valid_until != 0)
        sv_int(r, col, role->valid_until);
}

static void fill_pg_roles(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatRole *roles = catalog_list_roles(ctx->arena, &n);
    for (int i = 0; i < n; i++) {
        const CatRole *role = &roles[i];
        SvRow r = sv_add_row(rs);
        sv_text(&r, PG_ROLES_ROLNAME, role->name);
        sv_bool(&r, PG_ROLES_ROLSUPER, role->superuser);
        sv_bool(&r, PG_ROLES_ROLINHERIT, true);
        sv_bool(&r, PG_ROLES_ROLCREATEROLE, role->createrole);
        sv_bool(&r, PG_ROLES_ROLCREATEDB, role->createdb);
        sv_bool(&r, PG_ROLES_ROLCANLOGIN, role->login);
        sv_bool(&r, PG_ROLES_ROLREPLICATION, role->superuser);
        sv_int(&r, PG_ROLES_ROLCONNLIMIT, -1);
        sv_text(&r, PG_ROLES_ROLPASSWORD, "********");
        role_valid_until(&r, PG_ROLES_ROLVALIDUNTIL, role);
        sv_bool(&r, PG_ROLES_ROLBYPASSRLS, role->superuser);
        sv_int(&r, PG_ROLES_OID, role->oid);
    }
}

static void fill_pg_user(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatRole *roles = catalog_list_roles(ctx->arena, &n);
    for (int i = 0; i < n; i++) {
        const CatRole *role = &roles[i];
        if (!role->login)
            continue;
        SvRow r = sv_add_row(rs);
        sv_text(&r, PG_USER_USENAME, role->name);
        sv_int(&r, PG_USER_USESYSID, role->oid);
        sv_bool(&r, PG_USER_USECREATEDB, role->createdb);
        sv_bool(&r, PG_USER_USESUPER, role->superuser);
        sv_bool(&r, PG_USER_USEREPL, role->superuser);
        sv_bool(&r, PG_USER_USEBYPASSRLS, role->superuser);
        sv_text(&r, PG_USER_PASSWD, "********");
        role_valid_until(&r, PG_USER_VALUNTIL, role);
    }
}

static void fill_pg_authid(ExecContext *ctx, RowSet *rs)
{
    if (ctx->svc && !ctx->svc->is_superuser)
        ereport(ERROR, errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                errmsg("permission denied for table pg_authid"));
    int n;
    CatRole *roles = catalog_list_roles(ctx->arena, &n);
    for (int i = 0; i < n; i++) {
        const CatRole *role = &roles[i];
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_AUTHID_OID, role->oid);
        sv_text(&r, PG_AUTHID_ROLNAME, role->name);
        sv_bool(&r, PG_AUTHID_ROLSUPER, role->superuser);
        sv_bool(&r, PG_AUTHID_ROLINHERIT, true);
        sv_bool(&r, PG_AUTHID_ROLCREATEROLE, role->createrole);
        sv_bool(&r, PG_AUTHID_ROLCREATEDB, role->createdb);
        sv_bool(&r, PG_AUTHID_ROLCANLOGIN, role->login);
        sv_bool(&r, PG_AUTHID_ROLREPLICATION, role->superuser);
        sv_bool(&r, PG_AUTHID_ROLBYPASSRLS, role->superuser);
        sv_int(&r, PG_AUTHID_ROLCONNLIMIT, -1);
        /* rolpassword stays NULL: a password verifier is never shown, not even to superusers */
        role_valid_until(&r, PG_AUTHID_ROLVALIDUNTIL, role);
    }
}

/* ---- settings ---- */

/* PostgreSQL 15's pg_settings metadata for the settings Laminar has. */
typedef struct SettingMeta {
    const char *name;
    const char *unit;
    const char *category;
    const char *context;
    const char *vartype;
    const char *min_val, *max_val;
    const char *enumvals; /* comma-separated */
} SettingMeta;

#define CAT_LOCALE "Client Connection Defaults / Locale and Formatting"
#define CAT_STMT "Client Connection Defaults / Statement Behavior"
#define CAT_PRESET "Preset Options"

static const SettingMeta setting_meta[] = {
    {"DateStyle", NULL, CAT_LOCALE, "user", "string"},
    {"IntervalStyle", NULL, CAT_LOCALE, "user", "enum", NULL, NULL,
     "postgres,postgres_verbose,sql_standard,iso_8601"},
    {"TimeZone", NULL, CAT_LOCALE, "user", "string"},
    {"application_name", NULL, "Reporting and Logging / What to Log", "user", "string"},
    {"bytea_output", NULL, CAT_STMT, "user", "enum", NULL, NULL, "escape,hex"},
    {"client_encoding", NULL, CAT_LOCALE, "user", "string"},
    {"client_min_messages", NULL, CAT_STMT, "user", "enum", NULL, NULL,
     "debug5,debug4,debug3,debug2,debug1,log,notice,warning,error"},
    {"default_transaction_isolation", NULL, CAT_STMT, "user", "enum", NULL, NULL,
     "serializable,repeatable read,read committed,read uncommitted"},
    {"default_transaction_read_only", NULL, CAT_STMT, "user", "bool"},
    {"extra_float_digits", NULL, CAT_LOCALE, "user", "integer", "-15", "3"},
    {"idle_in_transaction_session_timeout", "ms", CAT_STMT, "user", "integer", "0", "2147483647"},
    {"in_hot_standby", NULL, CAT_PRESET, "internal", "bool"},
    {"integer_datetimes", NULL, CAT_PRESET, "internal", "bool"},
    {"lc_messages", NULL, CAT_LOCALE, "superuser", "string"},
    {"lc_monetary", NULL, CAT_LOCALE, "user", "string"},
    {"lc_numeric", NULL, CAT_LOCALE, "user", "string"},
    {"lc_time", NULL, CAT_LOCALE, "user", "string"},
    {"lock_timeout", "ms", CAT_STMT, "user", "integer", "0", "2147483647"},
    {"max_identifier_length", NULL, CAT_PRESET, "internal", "integer", "63", "63"},
    {"max_index_keys", NULL, CAT_PRESET, "internal", "integer", "32", "32"},
    {"search_path", NULL, CAT_STMT, "user", "string"},
    {"server_encoding", NULL, CAT_PRESET, "internal", "string"},
    {"server_version", NULL, CAT_PRESET, "internal", "string"},
    {"server_version_num", NULL, CAT_PRESET, "internal", "integer"},
    {"ssl", NULL, "Connections and Authentication / SSL", "sighup", "bool"},
    {"standard_conforming_strings", NULL,
     "Version and Platform Compatibility / Previous PostgreSQL Versions", "user", "bool"},
    {"statement_timeout", "ms", CAT_STMT, "user", "integer", "0", "2147483647"},
    {"transaction_isolation", NULL, CAT_STMT, "user", "enum", NULL, NULL,
     "serializable,repeatable read,read committed,read uncommitted"},
    {"transaction_read_only", NULL, CAT_STMT, "user", "bool"},
};

/* Settings PostgreSQL keeps out of pg_settings and SHOW ALL (GUC_NO_SHOW_ALL). */
static bool hidden_setting(const char *name)
{
    return strcasecmp(name, "is_superuser") == 0 || strcasecmp(name, "session_authorization") == 0;
}

static void fill_pg_settings(ExecContext *ctx, RowSet *rs)
{
    const SessionServices *svc = ctx->svc;
    if (svc == NULL || svc->iter_settings == NULL)
        return;
    const char *name, *value, *description;
    for (int i = 0; svc->iter_settings(svc->session, i, &name, &value, &description); i++) {
        if (hidden_setting(name))
            continue;
        const SettingMeta *m = NULL;
        for (size_t k = 0; k < LM_ARRAY_LEN(setting_meta) && m == NULL; k++)
            if (strcasecmp(setting_meta[k].name, name) == 0)
                m = &setting_meta[k];
        SvRow r = sv_add_row(rs);
        sv_text(&r, PG_SETTINGS_NAME, name);
        sv_text(&r, PG_SETTINGS_SETTING, value);
        sv_text(&r, PG_SETTINGS_SHORT_DESC, description);
        sv_text(&r, PG_SETTINGS_SOURCE, "default");
        sv_text(&r, PG_SETTINGS_BOOT_VAL, value);
        sv_text(&r, PG_SETTINGS_RESET_VAL, value);
        sv_bool(&r, PG_SETTINGS_PENDING_RESTART, false);
        sv_null(&r, PG_SETTINGS_SOURCELINE);
        if (m == NULL) { /* a user placeholder (myapp.tenant) */
            sv_text(&r, PG_SETTINGS_CATEGORY, "Customized Options");
            sv_text(&r, PG_SETTINGS_CONTEXT, "user");
            sv_text(&r, PG_SETTINGS_VARTYPE, "string");
            sv_text(&r, PG_SETTINGS_SOURCE, "session");
            continue;
        }
        sv_text(&r, PG_SETTINGS_UNIT, m->unit);
        sv_text(&r, PG_SETTINGS_CATEGORY, m->category);
        sv_text(&r, PG_SETTINGS_CONTEXT, m->context);
        sv_text(&r, PG_SETTINGS_VARTYPE, m->vartype);
        if (strcmp(m->name, "server_version_num") == 0) {
            sv_text(&r, PG_SETTINGS_MIN_VAL, value);
            sv_text(&r, PG_SETTINGS_MAX_VAL, value);
        } else {
            sv_text(&r, PG_SETTINGS_MIN_VAL, m->min_val);
            sv_text(&r, PG_SETTINGS_MAX_VAL, m->max_val);
        }
        if (m->enumvals) {
            const char *vals[16];
            int nv = 0;
            char *copy = arena_strdup(ctx->arena, m->enumvals), *save = NULL;
            for (char *tok = strtok_r(copy, ",", &save); tok && nv < 16;
                 tok = strtok_r(NULL, ",", &save))
                vals[nv++] = tok;
            sv_texts(&r, PG_SETTINGS_ENUMVALS, vals, nv);
        }
    }
}

/* ---- sessions ---- */

static void fill_pg_stat_activity(ExecContext *ctx, RowSet *rs)
{
    const SessionServices *svc = ctx->svc;
    if (svc == NULL)
        return;
    Oid user_oid = 0;
    if (svc->user) {
        CatRole *role = catalog_get_role(ctx->arena, svc->user);
        if (role)
            user_oid = role->oid;
    }
    SvRow r = sv_add_row(rs);
    sv_int(&r, PG_STAT_ACTIVITY_DATID, SV_DB_OID);
    sv_text(&r, PG_STAT_ACTIVITY_DATNAME, database_name(ctx));
    sv_int(&r, PG_STAT_ACTIVITY_PID, svc->backend_pid);
    sv_null(&r, PG_STAT_ACTIVITY_LEADER_PID);
    sv_int(&r, PG_STAT_ACTIVITY_USESYSID, user_oid);
    sv_text(&r, PG_STAT_ACTIVITY_USENAME, svc->user);
    if (svc->get_setting)
        sv_text(&r, PG_STAT_ACTIVITY_APPLICATION_NAME,
                svc->get_setting(svc->session, "application_name", true));
    sv_null(&r, PG_STAT_ACTIVITY_CLIENT_PORT);
    sv_int(&r, PG_STAT_ACTIVITY_XACT_START, ctx->transaction_timestamp);
    sv_int(&r, PG_STAT_ACTIVITY_QUERY_START, ctx->statement_timestamp);
    sv_int(&r, PG_STAT_ACTIVITY_STATE_CHANGE, ctx->statement_timestamp);
    sv_text(&r, PG_STAT_ACTIVITY_STATE, "active");
    sv_null(&r, PG_STAT_ACTIVITY_BACKEND_XID);
    sv_null(&r, PG_STAT_ACTIVITY_BACKEND_XMIN);
    sv_null(&r, PG_STAT_ACTIVITY_QUERY_ID);
    sv_text(&r, PG_STAT_ACTIVITY_BACKEND_TYPE, "client backend");
}

/* ---- prepared statements ---- */

/* The session's named prepared statements, PREPARE'd or the protocol's.  Laminar plans each
 * statement once (bound again only when the catalog changes): no plan counts to report, so
 * generic_plans and custom_plans are 0. */
static void fill_pg_prepared_statements(ExecContext *ctx, RowSet *rs)
{
    const SessionServices *svc = ctx->svc;
    if (svc == NULL || svc->iter_prepared == NULL)
        return;
    const char *name, *statement;
    int64 prepare_time;
    int nparams;
    Oid *types;
    bool from_sql;
    for (int i = 0; svc->iter_prepared(svc->session, ctx->arena, i, &name, &statement,
                                       &prepare_time, &nparams, &types, &from_sql);
         i++) {
        SvRow r = sv_add_row(rs);
        sv_text(&r, PG_PREPARED_STATEMENTS_NAME, name);
        sv_text(&r, PG_PREPARED_STATEMENTS_STATEMENT, statement);
        sv_int(&r, PG_PREPARED_STATEMENTS_PREPARE_TIME, prepare_time);
        sv_oids(&r, PG_PREPARED_STATEMENTS_PARAMETER_TYPES, types, nparams);
        sv_bool(&r, PG_PREPARED_STATEMENTS_FROM_SQL, from_sql);
    }
}

/* ---- registry ---- */

SV_VIEW(v_pg_database, "pg_catalog", "pg_database", 1262, cols_pg_database, fill_pg_database,
        "the database");
SV_VIEW(v_pg_roles, "pg_catalog", "pg_roles", 12010, cols_pg_roles, fill_pg_roles,
        "roles (passwords never shown)");
SV_VIEW(v_pg_user, "pg_catalog", "pg_user", 12011, cols_pg_user, fill_pg_user,
        "roles that can log in");
SV_VIEW(v_pg_authid, "pg_catalog", "pg_authid", 1260, cols_pg_authid, fill_pg_authid,
        "roles (superusers only)");
SV_VIEW(v_pg_settings, "pg_catalog", "pg_settings", 12012, cols_pg_settings, fill_pg_settings,
        "the session's settings");
SV_VIEW(v_pg_stat_activity, "pg_catalog", "pg_stat_activity", 12013, cols_pg_stat_activity,
        fill_pg_stat_activity, "the current session");
SV_VIEW(v_pg_prepared_statements, "pg_catalog", "pg_prepared_statements", 12017,
        cols_pg_prepared_statements, fill_pg_prepared_statements,
        "the session's prepared statements");

#define EMPTY(var, name_, oid_, desc_)                                                             \
    SV_VIEW(v_##var, "pg_catalog", name_, oid_, cols_##var, sv_fill_empty, desc_)
EMPTY(pg_inherits, "pg_inherits", 2611, "table inheritance (Laminar has none)");
EMPTY(pg_extension, "pg_extension", 3079, "extensions (Laminar has none)");
EMPTY(pg_enum, "pg_enum", 3501, "enum labels (Laminar has no enum types)");
EMPTY(pg_range, "pg_range", 3541, "range types (Laminar has none)");
EMPTY(pg_policy, "pg_policy", 3256, "row-level security policies (Laminar has none)");
EMPTY(pg_rewrite, "pg_rewrite", 2618, "rewrite rules (Laminar has none)");
EMPTY(pg_trigger, "pg_trigger", 2620, "triggers (Laminar has none)");
EMPTY(pg_statistic_ext, "pg_statistic_ext", 3381, "extended statistics (Laminar has none)");
EMPTY(pg_publication, "pg_publication", 6104, "logical replication publications (none)");
EMPTY(pg_publication_rel, "pg_publication_rel", 6106, "relations in publications (none)");
EMPTY(pg_publication_namespace, "pg_publication_namespace", 6237, "schemas in publications (none)");
EMPTY(pg_partitioned_table, "pg_partitioned_table", 3350, "partitioned tables (Laminar has none)");
EMPTY(pg_sequence, "pg_sequence", 2224, "sequences (Laminar has none)");
EMPTY(pg_sequences, "pg_sequences", 12014, "sequences (Laminar has none)");
EMPTY(pg_depend, "pg_depend", 2608, "dependencies between objects (not tracked here)");
EMPTY(pg_shdepend, "pg_shdepend", 1214, "dependencies on shared objects (not tracked here)");
EMPTY(pg_shdescription, "pg_shdescription", 2396, "descriptions of shared objects (none)");
EMPTY(pg_matviews, "pg_matviews", 12015, "materialized views (Laminar has none)");
EMPTY(pg_event_trigger, "pg_event_trigger", 3466, "event triggers (Laminar has none)");
EMPTY(pg_cast, "pg_cast", 2605, "casts (Laminar's casts are built in, not listed)");
EMPTY(pg_opclass, "pg_opclass", 2616, "operator classes (Laminar has none)");
EMPTY(pg_default_acl, "pg_default_acl", 826, "default privileges (none)");
EMPTY(pg_init_privs, "pg_init_privs", 3394, "initial privileges (none)");
EMPTY(pg_auth_members, "pg_auth_members", 1261, "role memberships (Laminar has none)");
EMPTY(pg_user_mapping, "pg_user_mapping", 1418, "user mappings (none)");
EMPTY(pg_user_mappings, "pg_user_mappings", 12016, "user mappings (none)");
EMPTY(pg_opfamily, "pg_opfamily", 2753, "operator families (Laminar has none)");
EMPTY(pg_amop, "pg_amop", 2602, "operators of operator families (none)");
EMPTY(pg_amproc, "pg_amproc", 2603, "support functions of operator families (none)");
EMPTY(pg_conversion, "pg_conversion", 2607, "encoding conversions (Laminar speaks UTF8 only)");
EMPTY(pg_largeobject_metadata, "pg_largeobject_metadata", 2995, "large objects (Laminar has none)");
EMPTY(pg_ts_config, "pg_ts_config", 3602, "text search configurations (Laminar has none)");
EMPTY(pg_ts_config_map, "pg_ts_config_map", 3603, "text search configuration maps (none)");
EMPTY(pg_ts_dict, "pg_ts_dict", 3600, "text search dictionaries (Laminar has none)");
EMPTY(pg_ts_parser, "pg_ts_parser", 3601, "text search parsers (Laminar has none)");
EMPTY(pg_ts_template, "pg_ts_template", 3764, "text search templates (Laminar has none)");
EMPTY(pg_db_role_setting, "pg_db_role_setting", 2964, "per-database role settings (none)");
EMPTY(pg_subscription, "pg_subscription", 6100, "logical replication subscriptions (none)");

const SystemView *const sysviews_pgmisc[] = {
    &v_pg_database,
    &v_pg_roles,
    &v_pg_user,
    &v_pg_authid,
    &v_pg_settings,
    &v_pg_stat_activity,
    &v_pg_prepared_statements,
    &v_pg_inherits,
    &v_pg_extension,
    &v_pg_enum,
    &v_pg_range,
    &v_pg_policy,
    &v_pg_rewrite,
    &v_pg_trigger,
    &v_pg_statistic_ext,
    &v_pg_publication,
    &v_pg_publication_rel,
    &v_pg_publication_namespace,
    &v_pg_partitioned_table,
    &v_pg_sequence,
    &v_pg_sequences,
    &v_pg_depend,
    &v_pg_shdepend,
    &v_pg_shdescription,
    &v_pg_matviews,
    &v_pg_event_trigger,
    &v_pg_cast,
    &v_pg_opclass,
    &v_pg_default_acl,
    &v_pg_init_privs,
    &v_pg_auth_members,
    &v_pg_user_mapping,
    &v_pg_user_mappings,
    &v_pg_opfamily,
    &v_pg_amop,
    &v_pg_amproc,
    &v_pg_conversion,
    &v_pg_largeobject_metadata,
    &v_pg_ts_config,
    &v_pg_ts_config_map,
    &v_pg_ts_dict,
    &v_pg_ts_parser,
    &v_pg_ts_template,
    &v_pg_db_role_setting,
    &v_pg_subscription,
};
const int nsysviews_pgmisc = (int)LM_ARRAY_LEN(sysviews_pgmisc);
