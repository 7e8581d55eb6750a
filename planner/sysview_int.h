/*
 * sysview_int.h: what the system-view files (planner/sysview*.c) share —
 * the static column types, the row-building helpers, the fixed OIDs and the
 * catalog snapshot a fill works from.  Not for use outside planner/sysview*.c;
 * the public face is planner/sysview.h.
 */
#ifndef LM_SYSVIEW_INT_H
#define LM_SYSVIEW_INT_H

#include "planner/sysview.h"

/*
 * Column types of the catalog views.  Static so that the (static) column
 * lists can point at them; they are ordinary Laminar types presented under
 * the PostgreSQL OIDs clients expect (name, "char", regproc, int2vector, ...).
 */
extern const LmType svt_bool, svt_int2, svt_int4, svt_int8, svt_float4, svt_float8, svt_text,
    svt_name, svt_char, svt_oid, svt_regproc, svt_regtype, svt_xid, svt_bytea, svt_interval,
    svt_timestamptz, svt_json, svt_int2vector, svt_oidvector, svt_text_array, svt_oid_array,
    svt_int2_array, svt_char_array, svt_float4_array, svt_name_array, svt_regtype_array;

/* A row being filled: every column starts NULL (rowset_add_row). */
typedef struct SvRow {
    Batch *b;
    int row;
} SvRow;

/* Appends a row with every column NULL. */
SvRow sv_add_null_row(RowSet *rs);
/* Appends a row whose numeric, oid and bool columns are 0/false and the rest NULL. */
SvRow sv_add_row(RowSet *rs);
void sv_text(SvRow *r, int col, const char *s); /* NULL s: NULL */
void sv_char(SvRow *r, int col, char c);        /* "char": one byte */
void sv_int(SvRow *r, int col, int64 x);        /* integers, oid, timestamps */
void sv_bool(SvRow *r, int col, bool x);
void sv_float(SvRow *r, int col, double x);
void sv_null(SvRow *r, int col);
void sv_oids(SvRow *r, int col, const Oid *oids, int n);          /* oid[], oidvector */
void sv_int2s(SvRow *r, int col, const int16 *vals, int n);       /* int2[], int2vector */
void sv_texts(SvRow *r, int col, const char *const *strs, int n); /* text[], name[] */

/* Owner of every object: the bootstrap superuser (PostgreSQL's BOOTSTRAP_SUPERUSERID). */
#define SV_OWNER_OID 10
#define SV_DATABASE_OID 5 /* the one database (PostgreSQL gives "postgres" OID 5) */
#define SV_HEAP_AM_OID 2
#define SV_BTREE_AM_OID 403
#define SV_DEFAULT_TABLESPACE_OID 1663
#define SV_GLOBAL_TABLESPACE_OID 1664
#define SV_DEFAULT_COLLATION_OID 100
#define SV_C_COLLATION_OID 950
#define SV_POSIX_COLLATION_OID 951
#define SV_LAMINAR_FDW_OID 16381 /* the one foreign-data wrapper source/sink tables use */
#define SV_INTERNAL_LANG_OID 12
#define SV_C_LANG_OID 13
#define SV_SQL_LANG_OID 14
/* pg_class's OID (classoid of pg_description / pg_depend rows) and friends */
#define SV_PG_CLASS_OID 1259
#define SV_PG_PROC_OID 1255
#define SV_PG_NAMESPACE_OID 2615

/* One statement's view of the catalog, as the session sees it. */
CatTable *sv_tables(ExecContext *ctx, int *n);
CatProfile *sv_profiles(ExecContext *ctx, int *n);
/* The user running the statement ("laminar" without a session). */
const char *sv_user(ExecContext *ctx);
/* Name of the owner of every object (the bootstrap superuser, OID 10). */
const char *sv_owner_name(ExecContext *ctx);
/* pg_description rows of the registry's functions and aggregates (sysview_pgtype.c). */
void sv_describe_functions(ExecContext *ctx, RowSet *rs, int objoid_col, int classoid_col,
                           int description_col);

/* Every relation, in pg_class order: the system views, the catalog's tables (plain 'r',
 * source/sink 'f'), then one index ('i') per plain table with a primary key. */
typedef struct SvRel {
    Oid oid;
    const char *schema;
    const char *name;
    char relkind;
    int ncols;
    const RelColumn *cols;
    const CatTable *table;  /* plain/source/sink table, or the table of a pk index */
    const SystemView *view; /* system views */
} SvRel;
SvRel *sv_relations(ExecContext *ctx, int *n);
const char *sv_table_schema(const CatTable *t);      /* "public" when unset */
const char *sv_pk_name(Arena *a, const CatTable *t); /* the primary key's constraint name */

/* Schemas (namespaces) visible in pg_namespace: the built-in ones and those tables use. */
typedef struct SvSchema {
    const char *name;
    Oid oid;
    const char *owner; /* role name; NULL: the bootstrap superuser */
} SvSchema;
SvSchema *sv_schemas(ExecContext *ctx, int *n);
/* OID of schema `name` in a list from sv_schemas (hashed if absent, as sysview.h says). */
Oid sv_schema_oid(const SvSchema *schemas, int n, const char *name);

/* PostgreSQL type OID of a function-registry argument or result class (TypeId or FT_*). */
Oid sv_functype_oid(int functype);

/* The view tables of each file (registered by sysview.c). */
extern const SystemView *const sysviews_pg[];
extern const int nsysviews_pg;
extern const SystemView *const sysviews_pgtype[];
extern const int nsysviews_pgtype;
extern const SystemView *const sysviews_pgmisc[];
extern const int nsysviews_pgmisc;
extern const SystemView *const sysviews_info[];
extern const int nsysviews_info;
extern const SystemView *const sysviews_laminar[];
extern const int nsysviews_laminar;

/* A view's entry: columns from a static array. */
#define SV_VIEW(var, schema_, name_, oid_, cols_, fill_, desc_)                                    \
    static const SystemView var = {.schema = (schema_),                                            \
                                   .name = (name_),                                                \
                                   .oid = (oid_),                                                  \
                                   .ncols = (int)LM_ARRAY_LEN(cols_),                              \
                                   .cols = (cols_),                                                \
                                   .fill = (fill_),                                                \
                                   .description = (desc_)}

/* Fill of a relation that has no rows in Laminar (no policies, triggers, publications, ...). */
void sv_fill_empty(ExecContext *ctx, RowSet *rs);

#endif
