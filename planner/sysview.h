/*
 * sysview.h: the system-view registry (pg_catalog, information_schema,
 * laminar) and the catalog facts other modules need to agree on: fixed
 * OIDs of schemas and views, the synthetic OIDs of primary-key indexes and
 * constraints, the pg_type entries and the pg_proc rows of functions.
 *
 * OIDs (stable across restarts and releases; clients cache them):
 *   - pg_catalog tables keep PostgreSQL's own OIDs (pg_class 1259,
 *     pg_attribute 1249, pg_type 1247, pg_proc 1255, pg_namespace 2615, ...);
 *     pg_catalog views that PostgreSQL creates at initdb (pg_roles,
 *     pg_settings, pg_tables, ...) get fixed OIDs 12000-12099;
 *     information_schema views 12100-12199; laminar views 12200-12299.
 *   - Schemas: pg_catalog 11, public 2200, information_schema 13000,
 *     laminar 16380; a schema made by CREATE SCHEMA keeps the catalog's OID.
 *     A schema named by a table but not stored (none should be) gets
 *     0x70000000 | (FNV-1a hash of its name & 0x0fffffff).
 *   - Catalog objects (tables of every kind) keep the OID the catalog gave
 *     them (16384 upwards).  A plain table's primary key is presented as an
 *     index OID table_oid + SYSVIEW_PK_INDEX_BASE and a constraint OID
 *     table_oid + SYSVIEW_PK_CONSTRAINT_BASE; a column default as
 *     SYSVIEW_ATTRDEF_BASE + (table_oid - 16384) * 1600 + attnum.
 *   - Functions: FuncDesc/AggDesc.oid when set, else
 *     SYSVIEW_FUNC_OID_BASE + position in the registry (func_at, then
 *     agg_at after all functions).  PostgreSQL's type I/O functions named by
 *     pg_type (array_in, int4recv, ...) are listed in pg_proc with their real
 *     OIDs, so `typinput = 'array_in'::regproc` and joins on typreceive work.
 *
 * Relation kinds in pg_class: system views 'v'; plain tables 'r' (so `\dt`
 * lists exactly them); source and sink tables 'f' — psql shows them as
 * "foreign table" in `\d` and `\dE`, and `\d name` prints their connector
 * as "Server" and their (redacted) options as "FDW options", which is
 * what a Laminar source or sink is: a table whose rows live elsewhere.
 * pg_foreign_server has one server per connector (named after it).
 */
#ifndef LM_SYSVIEW_H
#define LM_SYSVIEW_H

#include "planner/relation.h"

#define SYSVIEW_NS_PG_CATALOG 11
#define SYSVIEW_NS_PG_TOAST 99
#define SYSVIEW_NS_PUBLIC 2200
#define SYSVIEW_NS_INFORMATION_SCHEMA 13000
#define SYSVIEW_NS_LAMINAR 16380

#define SYSVIEW_PK_INDEX_BASE 0x40000000u
#define SYSVIEW_PK_CONSTRAINT_BASE 0x50000000u
#define SYSVIEW_ATTRDEF_BASE 0x20000000u
#define SYSVIEW_ROWTYPE_BASE 0x30000000u /* + table OID: the table's row type in pg_type */
#define SYSVIEW_FUNC_OID_BASE 0x60000000u
#define SYSVIEW_SERVER_OID_BASE 16200 /* + connector index: pg_foreign_server */

/* The view `schema.name` (exact names); NULL if there is none. */
const SystemView *sysview_find(const char *schema, const char *name);
const SystemView *sysview_find_oid(Oid oid);

/* OID of a schema by name, as the committed catalog has it (0 for NULL/empty); name of a
 * built-in schema OID or NULL. */
Oid sysview_namespace_oid(const char *schema);
const char *sysview_builtin_namespace_name(Oid oid);

/* Primary-key index and constraint OIDs of a plain table, and back (0: not one). */
Oid sysview_pk_index_oid(Oid table_oid);
Oid sysview_pk_constraint_oid(Oid table_oid);
Oid sysview_table_of_pk_index(Oid index_oid);
Oid sysview_table_of_pk_constraint(Oid constraint_oid);
/* A table's row type (pg_type typtype 'c', typrelid = the table; pg_class.reltype) and back
 * (0: not one).  Tables of every kind have one, as in PostgreSQL; system views do not. */
Oid sysview_rowtype_oid(Oid table_oid);
Oid sysview_table_of_rowtype(Oid type_oid);
/* "<table>_pkey", as PostgreSQL names a primary key's index and constraint. */
const char *sysview_pk_name(Arena *a, const char *table_name);

/* A plain table's primary key as pg_get_indexdef() and pg_get_constraintdef() print it:
 * "CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)", "PRIMARY KEY (id)". */
const char *sysview_pk_indexdef(Arena *a, const CatTable *t);
const char *sysview_pk_constraintdef(Arena *a, const CatTable *t);
/* The text pg_views.definition and pg_get_viewdef() show for a system view (an SQL comment:
 * the view has no SQL body). */
const char *sysview_definition(Arena *a, const SystemView *v);

/*
 * For the catalog functions (pg_table_is_visible, regclass output, pg_get_indexdef,
 * pg_get_constraintdef, ...): what a pg_class OID names, as this session sees the catalog —
 * a system view ('v'), a table ('r' plain, 'f' source/sink) or a primary-key index ('i', with
 * table set to its table).  Returns false if no relation has that OID.  Strings live in a.
 */
typedef struct SysviewRelInfo {
    Oid oid;
    const char *schema;
    const char *name;
    char relkind;
    const CatTable *table;
    const SystemView *view;
} SysviewRelInfo;
bool sysview_relation_by_oid(ExecContext *ctx, Oid oid, SysviewRelInfo *out);
/* pg_get_indexdef(index_oid) / pg_get_constraintdef(constraint_oid): NULL if the OID is not a
 * primary-key index / constraint of a plain table. */
const char *sysview_indexdef_by_oid(ExecContext *ctx, Oid index_oid);
const char *sysview_constraintdef_by_oid(ExecContext *ctx, Oid constraint_oid);

/* One pg_type row (PostgreSQL 15's values). */
typedef struct PgTypeInfo {
    Oid oid;
    const char *name;
    int16 len;
    bool byval;
    char type;     /* typtype: b base, p pseudo */
    char category; /* typcategory */
    bool preferred;
    char delim;
    Oid elem;
    Oid array;
    const char *input, *output, *receive, *send, *modin, *modout, *analyze,
        *subscript; /* "-": none */
    char align;
    char storage;
    Oid collation;
} PgTypeInfo;

int sysview_pg_type_count(void);
const PgTypeInfo *sysview_pg_type_at(int i);
const PgTypeInfo *sysview_pg_type(Oid oid);                  /* NULL if unknown */
const PgTypeInfo *sysview_pg_type_by_name(const char *name); /* typname: "int4", "_text" */

/* pg_proc: OID of a registry function / aggregate, and back. */
Oid sysview_func_oid(int func_index);
Oid sysview_agg_oid(int agg_index);
/* Finds what a pg_proc OID names: *func or *agg set (the other NULL), or *io_name for a type
 * I/O function.  Returns false if the OID is no function. */
bool sysview_proc_lookup(Oid oid, const FuncDesc **func, const AggDesc **agg, const char **io_name);
/* OID of a type I/O function by name (array_in, int4out, ...); 0 if none. */
Oid sysview_io_proc_oid(const char *name);
/* PostgreSQL type OID of a registry argument/result class (TypeId or FT_*): FT_ANY is "any",
 * FT_ANYARRAY anyarray, FT_ANYELEMENT anyelement, FT_ANYNUMERIC numeric, TYPE_ARRAY anyarray,
 * TYPE_MAP/TYPE_STRUCT json. */
Oid sysview_functype_oid(int functype);

#endif
