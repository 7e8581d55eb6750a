/*
 * sysview_pg.c: the relation catalogs of pg_catalog — pg_namespace,
 * pg_class, pg_attribute, pg_attrdef, pg_index, pg_constraint, pg_am,
 * pg_tablespace, pg_collation, pg_foreign_table/_server/_data_wrapper,
 * pg_description and the pg_tables, pg_views, pg_indexes views.
 *
 * Every relation comes from one enumeration (sv_relations(), sysview.c): the system
 * views of the registry, then the catalog's tables as this session sees
 * them, then one index per plain table with a primary key.  Relation kinds
 * (see sysview.h): views 'v', plain tables 'r', sources and sinks 'f'
 * (foreign tables, whose server is their connector and whose FDW options
 * are their options with secrets redacted), primary-key indexes 'i'.
 * Column rows describe each column with its PostgreSQL type OID, length,
 * typmod, alignment and storage as PostgreSQL 15 would, so that psql's
 * `\d name` prints the same types PostgreSQL prints.
 */
#include "connectors/connector.h"
#include "connectors/options_json.h"
#include "planner/sysview_int.h"

#include <string.h>

/* pg_catalog.pg_namespace */
enum {
    PG_NAMESPACE_OID,
    PG_NAMESPACE_NSPNAME,
    PG_NAMESPACE_NSPOWNER,
    PG_NAMESPACE_NSPACL,
};
static const RelColumn cols_pg_namespace[] = {
    {"oid", &svt_oid},
    {"nspname", &svt_name},
    {"nspowner", &svt_oid},
    {"nspacl", &svt_text_array},
};

/* pg_catalog.pg_class */
enum {
    PG_CLASS_OID,
    PG_CLASS_RELNAME,
    PG_CLASS_RELNAMESPACE,
    PG_CLASS_RELTYPE,
    PG_CLASS_RELOFTYPE,
    PG_CLASS_RELOWNER,
    PG_CLASS_RELAM,
    PG_CLASS_RELFILENODE,
    PG_CLASS_RELTABLESPACE,
    PG_CLASS_RELPAGES,
    PG_CLASS_RELTUPLES,
    PG_CLASS_RELALLVISIBLE,
    PG_CLASS_RELTOASTRELID,
    PG_CLASS_RELHASINDEX,
    PG_CLASS_RELISSHARED,
    PG_CLASS_RELPERSISTENCE,
    PG_CLASS_RELKIND,
    PG_CLASS_RELNATTS,
    PG_CLASS_RELCHECKS,
    PG_CLASS_RELHASRULES,
    PG_CLASS_RELHASTRIGGERS,
    PG_CLASS_RELHASSUBCLASS,
    PG_CLASS_RELROWSECURITY,
    PG_CLASS_RELFORCEROWSECURITY,
    PG_CLASS_RELISPOPULATED,
    PG_CLASS_RELREPLIDENT,
    PG_CLASS_RELISPARTITION,
    PG_CLASS_RELREWRITE,
    PG_CLASS_RELFROZENXID,
    PG_CLASS_RELMINMXID,
    PG_CLASS_RELACL,
    PG_CLASS_RELOPTIONS,
    PG_CLASS_RELPARTBOUND,
};
static const RelColumn cols_pg_class[] = {
    {"oid", &svt_oid},
    {"relname", &svt_name},
    {"relnamespace", &svt_oid},
    {"reltype", &svt_oid},
    {"reloftype", &svt_oid},
    {"relowner", &svt_oid},
    {"relam", &svt_oid},
    {"relfilenode", &svt_oid},
    {"reltablespace", &svt_oid},
    {"relpages", &svt_int4},
    {"reltuples", &svt_float4},
    {"relallvisible", &svt_int4},
    {"reltoastrelid", &svt_oid},
    {"relhasindex", &svt_bool},
    {"relisshared", &svt_bool},
    {"relpersistence", &svt_char},
    {"relkind", &svt_char},
    {"relnatts", &svt_int2},
    {"relchecks", &svt_int2},
    {"relhasrules", &svt_bool},
    {"relhastriggers", &svt_bool},
    {"relhassubclass", &svt_bool},
    {"relrowsecurity", &svt_bool},
    {"relforcerowsecurity", &svt_bool},
    {"relispopulated", &svt_bool},
    {"relreplident", &svt_char},
    {"relispartition", &svt_bool},
    {"relrewrite", &svt_oid},
    {"relfrozenxid", &svt_xid},
    {"relminmxid", &svt_xid},
    {"relacl", &svt_text_array},
    {"reloptions", &svt_text_array},
    {"relpartbound", &svt_text},
};

/* pg_catalog.pg_attribute */
enum {
    PG_ATTRIBUTE_ATTRELID,
    PG_ATTRIBUTE_ATTNAME,
    PG_ATTRIBUTE_ATTTYPID,
    PG_ATTRIBUTE_ATTSTATTARGET,
    PG_ATTRIBUTE_ATTLEN,
    PG_ATTRIBUTE_ATTNUM,
    PG_ATTRIBUTE_ATTNDIMS,
    PG_ATTRIBUTE_ATTCACHEOFF,
    PG_ATTRIBUTE_ATTTYPMOD,
    PG_ATTRIBUTE_ATTBYVAL,
    PG_ATTRIBUTE_ATTALIGN,
    PG_ATTRIBUTE_ATTSTORAGE,
    PG_ATTRIBUTE_ATTCOMPRESSION,
    PG_ATTRIBUTE_ATTNOTNULL,
    PG_ATTRIBUTE_ATTHASDEF,
    PG_ATTRIBUTE_ATTHASMISSING,
    PG_ATTRIBUTE_ATTIDENTITY,
    PG_ATTRIBUTE_ATTGENERATED,
    PG_ATTRIBUTE_ATTISDROPPED,
    PG_ATTRIBUTE_ATTISLOCAL,
    PG_ATTRIBUTE_ATTINHCOUNT,
    PG_ATTRIBUTE_ATTCOLLATION,
    PG_ATTRIBUTE_ATTACL,
    PG_ATTRIBUTE_ATTOPTIONS,
    PG_ATTRIBUTE_ATTFDWOPTIONS,
    PG_ATTRIBUTE_ATTMISSINGVAL,
};
static const RelColumn cols_pg_attribute[] = {
    {"attrelid", &svt_oid},
    {"attname", &svt_name},
    {"atttypid", &svt_oid},
    {"attstattarget", &svt_int4},
    {"attlen", &svt_int2},
    {"attnum", &svt_int2},
    {"attndims", &svt_int4},
    {"attcacheoff", &svt_int4},
    {"atttypmod", &svt_int4},
    {"attbyval", &svt_bool},
    {"attalign", &svt_char},
    {"attstorage", &svt_char},
    {"attcompression", &svt_char},
    {"attnotnull", &svt_bool},
    {"atthasdef", &svt_bool},
    {"atthasmissing", &svt_bool},
    {"attidentity", &svt_char},
    {"attgenerated", &svt_char},
    {"attisdropped", &svt_bool},
    {"attislocal", &svt_bool},
    {"attinhcount", &svt_int4},
    {"attcollation", &svt_oid},
    {"attacl", &svt_text_array},
    {"attoptions", &svt_text_array},
    {"attfdwoptions", &svt_text_array},
    {"attmissingval", &svt_text_array},
};

/* pg_catalog.pg_attrdef */
enum {
    PG_ATTRDEF_OID,
    PG_ATTRDEF_ADRELID,
    PG_ATTRDEF_ADNUM,
    PG_ATTRDEF_ADBIN,
};
static const RelColumn cols_pg_attrdef[] = {
    {"oid", &svt_oid},
    {"adrelid", &svt_oid},
    {"adnum", &svt_int2},
    {"adbin", &svt_text},
};

/* pg_catalog.pg_index */
enum {
    PG_INDEX_INDEXRELID,
    PG_INDEX_INDRELID,
    PG_INDEX_INDNATTS,
    PG_INDEX_INDNKEYATTS,
    PG_INDEX_INDISUNIQUE,
    PG_INDEX_INDNULLSNOTDISTINCT,
    PG_INDEX_INDISPRIMARY,
    PG_INDEX_INDISEXCLUSION,
    PG_INDEX_INDIMMEDIATE,
    PG_INDEX_INDISCLUSTERED,
    PG_INDEX_INDISVALID,
    PG_INDEX_INDCHECKXMIN,
    PG_INDEX_INDISREADY,
    PG_INDEX_INDISLIVE,
    PG_INDEX_INDISREPLIDENT,
    PG_INDEX_INDKEY,
    PG_INDEX_INDCOLLATION,
    PG_INDEX_INDCLASS,
    PG_INDEX_INDOPTION,
    PG_INDEX_INDEXPRS,
    PG_INDEX_INDPRED,
};
static const RelColumn cols_pg_index[] = {
    {"indexrelid", &svt_oid},         {"indrelid", &svt_oid},
    {"indnatts", &svt_int2},          {"indnkeyatts", &svt_int2},
    {"indisunique", &svt_bool},       {"indnullsnotdistinct", &svt_bool},
    {"indisprimary", &svt_bool},      {"indisexclusion", &svt_bool},
    {"indimmediate", &svt_bool},      {"indisclustered", &svt_bool},
    {"indisvalid", &svt_bool},        {"indcheckxmin", &svt_bool},
    {"indisready", &svt_bool},        {"indislive", &svt_bool},
    {"indisreplident", &svt_bool},    {"indkey", &svt_int2vector},
    {"indcollation", &svt_oidvector}, {"indclass", &svt_oidvector},
    {"indoption", &svt_int2vector},   {"indexprs", &svt_text},
    {"indpred", &svt_text},
};

/* pg_catalog.pg_constraint */
enum {
    PG_CONSTRAINT_OID,
    PG_CONSTRAINT_CONNAME,
    PG_CONSTRAINT_CONNAMESPACE,
    PG_CONSTRAINT_CONTYPE,
    PG_CONSTRAINT_CONDEFERRABLE,
    PG_CONSTRAINT_CONDEFERRED,
    PG_CONSTRAINT_CONVALIDATED,
    PG_CONSTRAINT_CONRELID,
    PG_CONSTRAINT_CONTYPID,
    PG_CONSTRAINT_CONINDID,
    PG_CONSTRAINT_CONPARENTID,
    PG_CONSTRAINT_CONFRELID,
    PG_CONSTRAINT_CONFUPDTYPE,
    PG_CONSTRAINT_CONFDELTYPE,
    PG_CONSTRAINT_CONFMATCHTYPE,
    PG_CONSTRAINT_CONISLOCAL,
    PG_CONSTRAINT_CONINHCOUNT,
    PG_CONSTRAINT_CONNOINHERIT,
    PG_CONSTRAINT_CONKEY,
    PG_CONSTRAINT_CONFKEY,
    PG_CONSTRAINT_CONPFEQOP,
    PG_CONSTRAINT_CONPPEQOP,
    PG_CONSTRAINT_CONFFEQOP,
    PG_CONSTRAINT_CONFDELSETCOLS,
    PG_CONSTRAINT_CONEXCLOP,
    PG_CONSTRAINT_CONBIN,
};
static const RelColumn cols_pg_constraint[] = {
    {"oid", &svt_oid},
    {"conname", &svt_name},
    {"connamespace", &svt_oid},
    {"contype", &svt_char},
    {"condeferrable", &svt_bool},
    {"condeferred", &svt_bool},
    {"convalidated", &svt_bool},
    {"conrelid", &svt_oid},
    {"contypid", &svt_oid},
    {"conindid", &svt_oid},
    {"conparentid", &svt_oid},
    {"confrelid", &svt_oid},
    {"confupdtype", &svt_char},
    {"confdeltype", &svt_char},
    {"confmatchtype", &svt_char},
    {"conislocal", &svt_bool},
    {"coninhcount", &svt_int4},
    {"connoinherit", &svt_bool},
    {"conkey", &svt_int2_array},
    {"confkey", &svt_int2_array},
    {"conpfeqop", &svt_oid_array},
    {"conppeqop", &svt_oid_array},
    {"conffeqop", &svt_oid_array},
    {"confdelsetcols", &svt_int2_array},
    {"conexclop", &svt_oid_array},
    {"conbin", &svt_text},
};

/* pg_catalog.pg_am */
enum {
    PG_AM_OID,
    PG_AM_AMNAME,
    PG_AM_AMHANDLER,
    PG_AM_AMTYPE,
};
static const RelColumn cols_pg_am[] = {
    {"oid", &svt_oid},
    {"amname", &svt_name},
    {"amhandler", &svt_regproc},
    {"amtype", &svt_char},
};

/* pg_catalog.pg_tablespace */
enum {
    PG_TABLESPACE_OID,
    PG_TABLESPACE_SPCNAME,
    PG_TABLESPACE_SPCOWNER,
    PG_TABLESPACE_SPCACL,
    PG_TABLESPACE_SPCOPTIONS,
};
static const RelColumn cols_pg_tablespace[] = {
    {"oid", &svt_oid},           {"spcname", &svt_name},          {"spcowner", &svt_oid},
    {"spcacl", &svt_text_array}, {"spcoptions", &svt_text_array},
};

/* pg_catalog.pg_collation */
enum {
    PG_COLLATION_OID,
    PG_COLLATION_COLLNAME,
    PG_COLLATION_COLLNAMESPACE,
    PG_COLLATION_COLLOWNER,
    PG_COLLATION_COLLPROVIDER,
    PG_COLLATION_COLLISDETERMINISTIC,
    PG_COLLATION_COLLENCODING,
    PG_COLLATION_COLLCOLLATE,
    PG_COLLATION_COLLCTYPE,
    PG_COLLATION_COLLICULOCALE,
    PG_COLLATION_COLLVERSION,
};
static const RelColumn cols_pg_collation[] = {
    {"oid", &svt_oid},           {"collname", &svt_name},
    {"collnamespace", &svt_oid}, {"collowner", &svt_oid},
    {"collprovider", &svt_char}, {"collisdeterministic", &svt_bool},
    {"collencoding", &svt_int4}, {"collcollate", &svt_text},
    {"collctype", &svt_text},    {"colliculocale", &svt_text},
    {"collversion", &svt_text},
};

/* pg_catalog.pg_foreign_table */
enum {
    PG_FOREIGN_TABLE_FTRELID,
    PG_FOREIGN_TABLE_FTSERVER,
    PG_FOREIGN_TABLE_FTOPTIONS,
};
static const RelColumn cols_pg_foreign_table[] = {
    {"ftrelid", &svt_oid},
    {"ftserver", &svt_oid},
    {"ftoptions", &svt_text_array},
};

/* pg_catalog.pg_foreign_server */
enum {
    PG_FOREIGN_SERVER_OID,
    PG_FOREIGN_SERVER_SRVNAME,
    PG_FOREIGN_SERVER_SRVOWNER,
    PG_FOREIGN_SERVER_SRVFDW,
    PG_FOREIGN_SERVER_SRVTYPE,
    PG_FOREIGN_SERVER_SRVVERSION,
    PG_FOREIGN_SERVER_SRVACL,
    PG_FOREIGN_SERVER_SRVOPTIONS,
};
static const RelColumn cols_pg_foreign_server[] = {
    {"oid", &svt_oid},           {"srvname", &svt_name},          {"srvowner", &svt_oid},
    {"srvfdw", &svt_oid},        {"srvtype", &svt_text},          {"srvversion", &svt_text},
    {"srvacl", &svt_text_array}, {"srvoptions", &svt_text_array},
};

/* pg_catalog.pg_foreign_data_wrapper */
enum {
    PG_FOREIGN_DATA_WRAPPER_OID,
    PG_FOREIGN_DATA_WRAPPER_FDWNAME,
    PG_FOREIGN_DATA_WRAPPER_FDWOWNER,
    PG_FOREIGN_DATA_WRAPPER_FDWHANDLER,
    PG_FOREIGN_DATA_WRAPPER_FDWVALIDATOR,
    PG_FOREIGN_DATA_WRAPPER_FDWACL,
    PG_FOREIGN_DATA_WRAPPER_FDWOPTIONS,
};
static const RelColumn cols_pg_foreign_data_wrapper[] = {
    {"oid", &svt_oid},
    {"fdwname", &svt_name},
    {"fdwowner", &svt_oid},
    {"fdwhandler", &svt_oid},
    {"fdwvalidator", &svt_oid},
    {"fdwacl", &svt_text_array},
    {"fdwoptions", &svt_text_array},
};

/* pg_catalog.pg_tables */
enum {
    PG_TABLES_SCHEMANAME,
    PG_TABLES_TABLENAME,
    PG_TABLES_TABLEOWNER,
    PG_TABLES_TABLESPACE,
    PG_TABLES_HASINDEXES,
    PG_TABLES_HASRULES,
    PG_TABLES_HASTRIGGERS,
    PG_TABLES_ROWSECURITY,
};
static const RelColumn cols_pg_tables[] = {
    {"schemaname", &svt_name},  {"tablename", &svt_name},   {"tableowner", &svt_name},
    {"tablespace", &svt_name},  {"hasindexes", &svt_bool},  {"hasrules", &svt_bool},
    {"hastriggers", &svt_bool}, {"rowsecurity", &svt_bool},
};

/* pg_catalog.pg_views */
enum {
    PG_VIEWS_SCHEMANAME,
    PG_VIEWS_VIEWNAME,
    PG_VIEWS_VIEWOWNER,
    PG_VIEWS_DEFINITION,
};
static const RelColumn cols_pg_views[] = {
    {"schemaname", &svt_name},
    {"viewname", &svt_name},
    {"viewowner", &svt_name},
    {"definition", &svt_text},
};

/* pg_catalog.pg_indexes */
enum {
    PG_INDEXES_SCHEMANAME,
    PG_INDEXES_TABLENAME,
    PG_INDEXES_INDEXNAME,
    PG_INDEXES_TABLESPACE,
    PG_INDEXES_INDEXDEF,
};
static const RelColumn cols_pg_indexes[] = {
    {"schemaname", &svt_name}, {"tablename", &svt_name}, {"indexname", &svt_name},
    {"tablespace", &svt_name}, {"indexdef", &svt_text},
};

/* pg_catalog.pg_description */
enum {
    PG_DESCRIPTION_OBJOID,
    PG_DESCRIPTION_CLASSOID,
    PG_DESCRIPTION_OBJSUBID,
    PG_DESCRIPTION_DESCRIPTION,
};
static const RelColumn cols_pg_description[] = {
    {"objoid", &svt_oid},
    {"classoid", &svt_oid},
    {"objsubid", &svt_int4},
    {"description", &svt_text},
};
/* OID of the connector's foreign server (0 if the connector is unknown). */
static Oid server_oid(const char *connector)
{
    int n;
    const Connector *const *list = connector_list(&n);
    for (int i = 0; connector && i < n; i++)
        if (strcmp(list[i]->name, connector) == 0)
            return SYSVIEW_SERVER_OID_BASE + (Oid)i;
    return 0;
}

/* ---- fills ---- */

static void fill_pg_namespace(ExecContext *ctx, RowSet *rs)
{
    int n, nroles;
    SvSchema *schemas = sv_schemas(ctx, &n);
    CatRole *roles = catalog_list_roles(ctx->arena, &nroles);
    for (int i = 0; i < n; i++) {
        Oid owner = SV_OWNER_OID;
        for (int k = 0; schemas[i].owner && k < nroles; k++)
            if (strcmp(roles[k].name, schemas[i].owner) == 0)
                owner = roles[k].oid;
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_NAMESPACE_OID, schemas[i].oid);
        sv_text(&r, PG_NAMESPACE_NSPNAME, schemas[i].name);
        sv_int(&r, PG_NAMESPACE_NSPOWNER, owner);
    }
}

static void fill_pg_class(ExecContext *ctx, RowSet *rs)
{
    int n, nschemas;
    SvRel *rels = sv_relations(ctx, &n);
    SvSchema *schemas = sv_schemas(ctx, &nschemas);
    for (int i = 0; i < n; i++) {
        const SvRel *rel = &rels[i];
        char kind = rel->relkind;
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_CLASS_OID, rel->oid);
        sv_text(&r, PG_CLASS_RELNAME, rel->name);
        sv_int(&r, PG_CLASS_RELNAMESPACE, sv_schema_oid(schemas, nschemas, rel->schema));
        sv_int(&r, PG_CLASS_RELTYPE, kind == 'r' || kind == 'f' ? sysview_rowtype_oid(rel->oid) : 0);
        sv_int(&r, PG_CLASS_RELOWNER, SV_OWNER_OID);
        sv_int(&r, PG_CLASS_RELAM,
               kind == 'r'   ? SV_HEAP_AM_OID
               : kind == 'i' ? SV_BTREE_AM_OID
                             : 0);
        sv_int(&r, PG_CLASS_RELFILENODE, kind == 'r' || kind == 'i' ? rel->oid : 0);
        sv_float(&r, PG_CLASS_RELTUPLES, -1);
        sv_bool(&r, PG_CLASS_RELHASINDEX, kind == 'r' && rel->table->nprimary_key > 0);
        sv_char(&r, PG_CLASS_RELPERSISTENCE, 'p');
        sv_char(&r, PG_CLASS_RELKIND, kind);
        sv_int(&r, PG_CLASS_RELNATTS, rel->ncols);
        sv_bool(&r, PG_CLASS_RELISPOPULATED, true);
        sv_char(&r, PG_CLASS_RELREPLIDENT, kind == 'r' ? 'd' : 'n');
        sv_int(&r, PG_CLASS_RELFROZENXID, 0);
        sv_int(&r, PG_CLASS_RELMINMXID, 0);
    }
}

/* Collation of a column of type t: "default" for text types, "C" for name, none otherwise. */
static Oid column_collation(Oid typoid)
{
    const PgTypeInfo *ti = sysview_pg_type(typoid);
    return ti ? ti->collation : 0;
}

static void fill_pg_attribute(ExecContext *ctx, RowSet *rs)
{
    int n;
    SvRel *rels = sv_relations(ctx, &n);
    for (int i = 0; i < n; i++) {
        const SvRel *rel = &rels[i];
        for (int c = 0; c < rel->ncols; c++) {
            const RelColumn *col = &rel->cols[c];
            Oid typoid = type_pg_oid(col->type);
            const PgTypeInfo *ti = sysview_pg_type(typoid);
            SvRow r = sv_add_row(rs);
            sv_int(&r, PG_ATTRIBUTE_ATTRELID, rel->oid);
            sv_text(&r, PG_ATTRIBUTE_ATTNAME, col->name);
            sv_int(&r, PG_ATTRIBUTE_ATTTYPID, typoid);
            sv_int(&r, PG_ATTRIBUTE_ATTSTATTARGET, -1);
            sv_int(&r, PG_ATTRIBUTE_ATTLEN, type_pg_typlen(col->type));
            sv_int(&r, PG_ATTRIBUTE_ATTNUM, c + 1);
            sv_int(&r, PG_ATTRIBUTE_ATTNDIMS,
                   ti && ti->category == 'A' && ti->elem != 0 && typoid != INT2VECTOROID &&
                           typoid != OIDVECTOROID
                       ? 1
                       : 0);
            sv_int(&r, PG_ATTRIBUTE_ATTCACHEOFF, -1);
            sv_int(&r, PG_ATTRIBUTE_ATTTYPMOD, type_pg_typmod(col->type));
            sv_bool(&r, PG_ATTRIBUTE_ATTBYVAL, ti ? ti->byval : false);
            sv_char(&r, PG_ATTRIBUTE_ATTALIGN, ti ? ti->align : 'i');
            sv_char(&r, PG_ATTRIBUTE_ATTSTORAGE, ti ? ti->storage : 'x');
            sv_char(&r, PG_ATTRIBUTE_ATTCOMPRESSION, '\0');
            sv_bool(&r, PG_ATTRIBUTE_ATTNOTNULL, col->not_null);
            sv_bool(&r, PG_ATTRIBUTE_ATTHASDEF, rel->relkind != 'i' && col->default_expr != NULL);
            sv_char(&r, PG_ATTRIBUTE_ATTIDENTITY, '\0');
            sv_char(&r, PG_ATTRIBUTE_ATTGENERATED, '\0');
            sv_bool(&r, PG_ATTRIBUTE_ATTISLOCAL, true);
            sv_int(&r, PG_ATTRIBUTE_ATTCOLLATION, column_collation(typoid));
        }
    }
}

static Oid attrdef_oid(Oid table_oid, int attnum)
{
    return SYSVIEW_ATTRDEF_BASE + (table_oid - 16384) * 1600 + (Oid)attnum;
}

static void fill_pg_attrdef(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatTable *tables = sv_tables(ctx, &n);
    for (int i = 0; i < n; i++)
        for (int c = 0; c < tables[i].ncolumns; c++) {
            if (tables[i].columns[c].default_expr == NULL)
                continue;
            SvRow r = sv_add_row(rs);
            sv_int(&r, PG_ATTRDEF_OID, attrdef_oid(tables[i].oid, c + 1));
            sv_int(&r, PG_ATTRDEF_ADRELID, tables[i].oid);
            sv_int(&r, PG_ATTRDEF_ADNUM, c + 1);
            /* pg_get_expr() of this gives the expression back: it is kept as SQL text */
            sv_text(&r, PG_ATTRDEF_ADBIN, tables[i].columns[c].default_expr);
        }
}

static void fill_pg_index(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatTable *tables = sv_tables(ctx, &n);
    for (int i = 0; i < n; i++) {
        const CatTable *t = &tables[i];
        if (t->kind != CAT_TABLE_PLAIN || t->nprimary_key <= 0)
            continue;
        int npk = t->nprimary_key;
        int16 *keys = arena_new_array(ctx->arena, int16, npk);
        int16 *zeros = arena_new_array(ctx->arena, int16, npk);
        Oid *colls = arena_new_array(ctx->arena, Oid, npk);
        Oid *classes = arena_new_array(ctx->arena, Oid, npk);
        for (int j = 0; j < npk; j++) {
            keys[j] = (int16)(t->primary_key[j] + 1);
            colls[j] = column_collation(type_pg_oid(t->columns[t->primary_key[j]].type));
        }
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_INDEX_INDEXRELID, sysview_pk_index_oid(t->oid));
        sv_int(&r, PG_INDEX_INDRELID, t->oid);
        sv_int(&r, PG_INDEX_INDNATTS, npk);
        sv_int(&r, PG_INDEX_INDNKEYATTS, npk);
        sv_bool(&r, PG_INDEX_INDISUNIQUE, true);
        sv_bool(&r, PG_INDEX_INDISPRIMARY, true);
        sv_bool(&r, PG_INDEX_INDIMMEDIATE, true);
        sv_bool(&r, PG_INDEX_INDISVALID, true);
        sv_bool(&r, PG_INDEX_INDISREADY, true);
        sv_bool(&r, PG_INDEX_INDISLIVE, true);
        sv_int2s(&r, PG_INDEX_INDKEY, keys, npk);
        sv_oids(&r, PG_INDEX_INDCOLLATION, colls, npk);
        sv_oids(&r, PG_INDEX_INDCLASS, classes, npk);
        sv_int2s(&r, PG_INDEX_INDOPTION, zeros, npk);
    }
}

static void fill_pg_constraint(ExecContext *ctx, RowSet *rs)
{
    int n, nschemas;
    CatTable *tables = sv_tables(ctx, &n);
    SvSchema *schemas = sv_schemas(ctx, &nschemas);
    for (int i = 0; i < n; i++) {
        const CatTable *t = &tables[i];
        if (t->kind != CAT_TABLE_PLAIN || t->nprimary_key <= 0)
            continue;
        int16 *keys = arena_new_array(ctx->arena, int16, t->nprimary_key);
        for (int j = 0; j < t->nprimary_key; j++)
            keys[j] = (int16)(t->primary_key[j] + 1);
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_CONSTRAINT_OID, sysview_pk_constraint_oid(t->oid));
        sv_text(&r, PG_CONSTRAINT_CONNAME, sv_pk_name(ctx->arena, t));
        sv_int(&r, PG_CONSTRAINT_CONNAMESPACE,
               sv_schema_oid(schemas, nschemas, sv_table_schema(t)));
        sv_char(&r, PG_CONSTRAINT_CONTYPE, 'p');
        sv_bool(&r, PG_CONSTRAINT_CONVALIDATED, true);
        sv_int(&r, PG_CONSTRAINT_CONRELID, t->oid);
        sv_int(&r, PG_CONSTRAINT_CONINDID, sysview_pk_index_oid(t->oid));
        sv_char(&r, PG_CONSTRAINT_CONFUPDTYPE, ' ');
        sv_char(&r, PG_CONSTRAINT_CONFDELTYPE, ' ');
        sv_char(&r, PG_CONSTRAINT_CONFMATCHTYPE, ' ');
        sv_bool(&r, PG_CONSTRAINT_CONISLOCAL, true);
        sv_bool(&r, PG_CONSTRAINT_CONNOINHERIT, true);
        sv_int2s(&r, PG_CONSTRAINT_CONKEY, keys, t->nprimary_key);
    }
}

static void fill_pg_am(ExecContext *ctx, RowSet *rs)
{
    (void)ctx;
    SvRow r = sv_add_row(rs);
    sv_int(&r, PG_AM_OID, SV_HEAP_AM_OID);
    sv_text(&r, PG_AM_AMNAME, "heap");
    sv_int(&r, PG_AM_AMHANDLER, 3); /* heap_tableam_handler */
    sv_char(&r, PG_AM_AMTYPE, 't');
    r = sv_add_row(rs);
    sv_int(&r, PG_AM_OID, SV_BTREE_AM_OID);
    sv_text(&r, PG_AM_AMNAME, "btree");
    sv_int(&r, PG_AM_AMHANDLER, 330); /* bthandler */
    sv_char(&r, PG_AM_AMTYPE, 'i');
}

static void fill_pg_tablespace(ExecContext *ctx, RowSet *rs)
{
    (void)ctx;
    SvRow r = sv_add_row(rs);
    sv_int(&r, PG_TABLESPACE_OID, SV_DEFAULT_TABLESPACE_OID);
    sv_text(&r, PG_TABLESPACE_SPCNAME, "pg_default");
    sv_int(&r, PG_TABLESPACE_SPCOWNER, SV_OWNER_OID);
    r = sv_add_row(rs);
    sv_int(&r, PG_TABLESPACE_OID, SV_GLOBAL_TABLESPACE_OID);
    sv_text(&r, PG_TABLESPACE_SPCNAME, "pg_global");
    sv_int(&r, PG_TABLESPACE_SPCOWNER, SV_OWNER_OID);
}

static void fill_pg_collation(ExecContext *ctx, RowSet *rs)
{
    (void)ctx;
    static const struct {
        Oid oid;
        const char *name;
        char provider;
        const char *locale;
    } colls[] = {{SV_DEFAULT_COLLATION_OID, "default", 'd', NULL},
                 {SV_C_COLLATION_OID, "C", 'c', "C"},
                 {SV_POSIX_COLLATION_OID, "POSIX", 'c', "POSIX"}};
    for (size_t i = 0; i < LM_ARRAY_LEN(colls); i++) {
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_COLLATION_OID, colls[i].oid);
        sv_text(&r, PG_COLLATION_COLLNAME, colls[i].name);
        sv_int(&r, PG_COLLATION_COLLNAMESPACE, SYSVIEW_NS_PG_CATALOG);
        sv_int(&r, PG_COLLATION_COLLOWNER, SV_OWNER_OID);
        sv_char(&r, PG_COLLATION_COLLPROVIDER, colls[i].provider);
        sv_bool(&r, PG_COLLATION_COLLISDETERMINISTIC, true);
        sv_int(&r, PG_COLLATION_COLLENCODING, -1);
        sv_text(&r, PG_COLLATION_COLLCOLLATE, colls[i].locale);
        sv_text(&r, PG_COLLATION_COLLCTYPE, colls[i].locale);
    }
}

static void fill_pg_foreign_table(ExecContext *ctx, RowSet *rs)
{
    int n, nprof;
    CatTable *tables = sv_tables(ctx, &n);
    CatProfile *profiles = NULL;
    for (int i = 0; i < n; i++) {
        const CatTable *t = &tables[i];
        if (t->kind == CAT_TABLE_PLAIN)
            continue;
        const char **opts = arena_new_array(ctx->arena, const char *, t->noptions + 4);
        int k = 0;
        if (t->profile_id) {
            if (profiles == NULL)
                profiles = sv_profiles(ctx, &nprof);
            const char *pname = t->profile_id;
            for (int p = 0; p < nprof; p++)
                if (strcmp(profiles[p].id, t->profile_id) == 0)
                    pname = profiles[p].name;
            opts[k++] = arena_printf(ctx->arena, "profile=%s", pname);
        }
        opts[k++] =
            arena_printf(ctx->arena, "type=%s", t->kind == CAT_TABLE_SOURCE ? "source" : "sink");
        for (int o = 0; o < t->noptions; o++)
            if (!options_is_hidden(t->options[o].name))
                opts[k++] =
                    arena_printf(ctx->arena, "%s=%s", t->options[o].name,
                                 options_display_value(ctx->arena, t->connector, &t->options[o]));
        if (t->event_time_field)
            opts[k++] = arena_printf(ctx->arena, "event_time_field=%s", t->event_time_field);
        if (t->watermark_delay)
            opts[k++] = arena_printf(ctx->arena, "watermark_delay=%s", t->watermark_delay);
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_FOREIGN_TABLE_FTRELID, t->oid);
        sv_int(&r, PG_FOREIGN_TABLE_FTSERVER, server_oid(t->connector));
        sv_texts(&r, PG_FOREIGN_TABLE_FTOPTIONS, opts, k);
    }
}

static void fill_pg_foreign_server(ExecContext *ctx, RowSet *rs)
{
    (void)ctx;
    int n;
    const Connector *const *list = connector_list(&n);
    for (int i = 0; i < n; i++) {
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_FOREIGN_SERVER_OID, SYSVIEW_SERVER_OID_BASE + (Oid)i);
        sv_text(&r, PG_FOREIGN_SERVER_SRVNAME, list[i]->name);
        sv_int(&r, PG_FOREIGN_SERVER_SRVOWNER, SV_OWNER_OID);
        sv_int(&r, PG_FOREIGN_SERVER_SRVFDW, SV_LAMINAR_FDW_OID);
    }
}

static void fill_pg_foreign_data_wrapper(ExecContext *ctx, RowSet *rs)
{
    (void)ctx;
    SvRow r = sv_add_row(rs);
    sv_int(&r, PG_FOREIGN_DATA_WRAPPER_OID, SV_LAMINAR_FDW_OID);
    sv_text(&r, PG_FOREIGN_DATA_WRAPPER_FDWNAME, "laminar");
    sv_int(&r, PG_FOREIGN_DATA_WRAPPER_FDWOWNER, SV_OWNER_OID);
}

static void fill_pg_tables(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatTable *tables = sv_tables(ctx, &n);
    for (int i = 0; i < n; i++) {
        const CatTable *t = &tables[i];
        if (t->kind != CAT_TABLE_PLAIN)
            continue;
        SvRow r = sv_add_row(rs);
        sv_text(&r, PG_TABLES_SCHEMANAME, sv_table_schema(t));
        sv_text(&r, PG_TABLES_TABLENAME, t->name);
        sv_text(&r, PG_TABLES_TABLEOWNER, sv_owner_name(ctx));
        sv_bool(&r, PG_TABLES_HASINDEXES, t->nprimary_key > 0);
    }
}

static void fill_pg_views(ExecContext *ctx, RowSet *rs)
{
    int nviews = sysview_count();
    for (int i = 0; i < nviews; i++) {
        const SystemView *v = sysview_at(i);
        SvRow r = sv_add_row(rs);
        sv_text(&r, PG_VIEWS_SCHEMANAME, v->schema);
        sv_text(&r, PG_VIEWS_VIEWNAME, v->name);
        sv_text(&r, PG_VIEWS_VIEWOWNER, sv_owner_name(ctx));
        sv_text(&r, PG_VIEWS_DEFINITION, sysview_definition(ctx->arena, v));
    }
}

static void fill_pg_indexes(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatTable *tables = sv_tables(ctx, &n);
    for (int i = 0; i < n; i++) {
        const CatTable *t = &tables[i];
        if (t->kind != CAT_TABLE_PLAIN || t->nprimary_key <= 0)
            continue;
        SvRow r = sv_add_row(rs);
        sv_text(&r, PG_INDEXES_SCHEMANAME, sv_table_schema(t));
        sv_text(&r, PG_INDEXES_TABLENAME, t->name);
        sv_text(&r, PG_INDEXES_INDEXNAME, sv_pk_name(ctx->arena, t));
        sv_text(&r, PG_INDEXES_INDEXDEF, sysview_pk_indexdef(ctx->arena, t));
    }
}

static void fill_pg_description(ExecContext *ctx, RowSet *rs)
{
    int nviews = sysview_count();
    for (int i = 0; i < nviews; i++) {
        const SystemView *v = sysview_at(i);
        if (v->description == NULL)
            continue;
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_DESCRIPTION_OBJOID, v->oid);
        sv_int(&r, PG_DESCRIPTION_CLASSOID, SV_PG_CLASS_OID);
        sv_text(&r, PG_DESCRIPTION_DESCRIPTION, v->description);
    }
    sv_describe_functions(ctx, rs, PG_DESCRIPTION_OBJOID, PG_DESCRIPTION_CLASSOID,
                          PG_DESCRIPTION_DESCRIPTION);
}

/* ---- definitions other modules print (pg_get_indexdef, pg_get_constraintdef) ---- */

static void append_key_columns(StrBuf *b, const CatTable *t)
{
    strbuf_append_char(b, '(');
    for (int j = 0; j < t->nprimary_key; j++) {
        if (j)
            strbuf_append_str(b, ", ");
        strbuf_append_sql_ident(b, t->columns[t->primary_key[j]].name);
    }
    strbuf_append_char(b, ')');
}

const char *sysview_pk_indexdef(Arena *a, const CatTable *t)
{
    StrBuf b;
    strbuf_init(&b, a);
    strbuf_append_str(&b, "CREATE UNIQUE INDEX ");
    strbuf_append_sql_ident(&b, sv_pk_name(a, t));
    strbuf_append_str(&b, " ON ");
    strbuf_append_sql_ident(&b, sv_table_schema(t));
    strbuf_append_char(&b, '.');
    strbuf_append_sql_ident(&b, t->name);
    strbuf_append_str(&b, " USING btree ");
    append_key_columns(&b, t);
    return b.data;
}

const char *sysview_pk_constraintdef(Arena *a, const CatTable *t)
{
    StrBuf b;
    strbuf_init(&b, a);
    strbuf_append_str(&b, "PRIMARY KEY ");
    append_key_columns(&b, t);
    return b.data;
}

const char *sysview_definition(Arena *a, const SystemView *v)
{
    /* a built-in view has no SQL body: its rows are computed from the catalog at scan time */
    return arena_printf(a, " -- built-in view %s.%s (computed by Laminar): %s", v->schema, v->name,
                        v->description ? v->description : "");
}

/* ---- registry ---- */

SV_VIEW(v_pg_namespace, "pg_catalog", "pg_namespace", 2615, cols_pg_namespace, fill_pg_namespace,
        "schemas");
SV_VIEW(v_pg_class, "pg_catalog", "pg_class", 1259, cols_pg_class, fill_pg_class,
        "tables, views, source and sink tables (as foreign tables) and indexes");
SV_VIEW(v_pg_attribute, "pg_catalog", "pg_attribute", 1249, cols_pg_attribute, fill_pg_attribute,
        "columns of every relation");
SV_VIEW(v_pg_attrdef, "pg_catalog", "pg_attrdef", 2604, cols_pg_attrdef, fill_pg_attrdef,
        "column defaults");
SV_VIEW(v_pg_index, "pg_catalog", "pg_index", 2610, cols_pg_index, fill_pg_index,
        "indexes (the primary keys of plain tables)");
SV_VIEW(v_pg_constraint, "pg_catalog", "pg_constraint", 2606, cols_pg_constraint,
        fill_pg_constraint, "constraints (primary keys)");
SV_VIEW(v_pg_am, "pg_catalog", "pg_am", 2601, cols_pg_am, fill_pg_am, "access methods");
SV_VIEW(v_pg_tablespace, "pg_catalog", "pg_tablespace", 1213, cols_pg_tablespace,
        fill_pg_tablespace, "tablespaces");
SV_VIEW(v_pg_collation, "pg_catalog", "pg_collation", 3456, cols_pg_collation, fill_pg_collation,
        "collations");
SV_VIEW(v_pg_foreign_table, "pg_catalog", "pg_foreign_table", 3118, cols_pg_foreign_table,
        fill_pg_foreign_table, "source and sink tables with their options (secrets redacted)");
SV_VIEW(v_pg_foreign_server, "pg_catalog", "pg_foreign_server", 1417, cols_pg_foreign_server,
        fill_pg_foreign_server, "one server per connector");
SV_VIEW(v_pg_foreign_data_wrapper, "pg_catalog", "pg_foreign_data_wrapper", 2328,
        cols_pg_foreign_data_wrapper, fill_pg_foreign_data_wrapper, "Laminar's connectors");
SV_VIEW(v_pg_tables, "pg_catalog", "pg_tables", 12000, cols_pg_tables, fill_pg_tables,
        "plain tables");
SV_VIEW(v_pg_views, "pg_catalog", "pg_views", 12001, cols_pg_views, fill_pg_views, "views");
SV_VIEW(v_pg_indexes, "pg_catalog", "pg_indexes", 12002, cols_pg_indexes, fill_pg_indexes,
        "indexes with their definitions");
SV_VIEW(v_pg_description, "pg_catalog", "pg_description", 2609, cols_pg_description,
        fill_pg_description, "descriptions of views and functions");

const SystemView *const sysviews_pg[] = {
    &v_pg_namespace,
    &v_pg_class,
    &v_pg_attribute,
    &v_pg_attrdef,
    &v_pg_index,
    &v_pg_constraint,
    &v_pg_am,
    &v_pg_tablespace,
    &v_pg_collation,
    &v_pg_foreign_table,
    &v_pg_foreign_server,
    &v_pg_foreign_data_wrapper,
    &v_pg_tables,
    &v_pg_views,
    &v_pg_indexes,
    &v_pg_description,
};
const int nsysviews_pg = (int)LM_ARRAY_LEN(sysviews_pg);
