/*
 * sysview.c: the system-view registry and what every view file shares.
 *
 * The views themselves are defined, one concern per file, in
 * sysview_pg.c (relations, columns, indexes, constraints of pg_catalog),
 * sysview_pgtype.c (pg_type, pg_proc, pg_language), sysview_pgmisc.c
 * (databases, roles, settings, sessions and the relations Laminar has no
 * rows for), sysview_info.c (information_schema) and sysview_laminar.c
 * (laminar.*).  This file concatenates their tables into one registry,
 * answers lookups by name and OID, and holds the static column types, the
 * row-building helpers and the statement's catalog snapshot.
 *
 * Views compute their rows at scan time (fill) from the catalog as the
 * session sees it; nothing is cached across statements, so a view never
 * shows a stale catalog.  Fills allocate from the statement arena and the
 * row set's batches; they are called once per scan (a correlated subquery
 * over a view calls its fill once per outer row: the views are small).
 */
#include "planner/sysview_int.h"
#include "executor/func.h"

#include <string.h>

/* ---- column types ---- */

#define SVTYPE(var, tid, oid) const LmType var = {.id = (tid), .precision = -1, .pg_oid = (oid)}
SVTYPE(svt_bool, TYPE_BOOL, 0);
SVTYPE(svt_int2, TYPE_INT16, 0);
SVTYPE(svt_int4, TYPE_INT32, 0);
SVTYPE(svt_int8, TYPE_INT64, 0);
SVTYPE(svt_float4, TYPE_FLOAT32, 0);
SVTYPE(svt_float8, TYPE_FLOAT64, 0);
SVTYPE(svt_text, TYPE_STRING, 0);
SVTYPE(svt_name, TYPE_STRING, NAMEOID);
SVTYPE(svt_char, TYPE_STRING, CHAROID);
SVTYPE(svt_oid, TYPE_OID, 0);
SVTYPE(svt_regproc, TYPE_OID, REGPROCOID);
SVTYPE(svt_regtype, TYPE_OID, REGTYPEOID);
SVTYPE(svt_xid, TYPE_OID, 28); /* xid: an unsigned 32-bit counter, printed like oid */
SVTYPE(svt_bytea, TYPE_BINARY, 0);
SVTYPE(svt_interval, TYPE_INTERVAL, 0);
SVTYPE(svt_timestamptz, TYPE_TIMESTAMPTZ, 0);
SVTYPE(svt_json, TYPE_JSON, 0);
#define SVARRAY(var, elem_, oid)                                                                   \
    const LmType var = {.id = TYPE_ARRAY, .precision = -1, .pg_oid = (oid), .elem = &(elem_)}
SVARRAY(svt_int2vector, svt_int2, INT2VECTOROID);
SVARRAY(svt_oidvector, svt_oid, OIDVECTOROID);
SVARRAY(svt_text_array, svt_text, 0);
SVARRAY(svt_oid_array, svt_oid, 0);
SVARRAY(svt_int2_array, svt_int2, 0);
SVARRAY(svt_char_array, svt_char, 0);
SVARRAY(svt_float4_array, svt_float4, 0);
SVARRAY(svt_name_array, svt_name, 0);
SVARRAY(svt_regtype_array, svt_regtype, REGTYPEARRAYOID);

/* ---- registry ---- */

typedef struct ViewGroup {
    const SystemView *const *views;
    const int *count;
} ViewGroup;

static const ViewGroup groups[] = {
    {sysviews_pg, &nsysviews_pg},           {sysviews_pgtype, &nsysviews_pgtype},
    {sysviews_pgmisc, &nsysviews_pgmisc},   {sysviews_info, &nsysviews_info},
    {sysviews_laminar, &nsysviews_laminar},
};

int sysview_count(void)
{
    int n = 0;
    for (size_t g = 0; g < LM_ARRAY_LEN(groups); g++)
        n += *groups[g].count;
    return n;
}

const SystemView *sysview_at(int i)
{
    for (size_t g = 0; g < LM_ARRAY_LEN(groups); g++) {
        if (i < *groups[g].count)
            return groups[g].views[i];
        i -= *groups[g].count;
    }
    return NULL;
}

const SystemView *sysview_find(const char *schema, const char *name)
{
    if (schema == NULL || name == NULL)
        return NULL;
    for (size_t g = 0; g < LM_ARRAY_LEN(groups); g++)
        for (int i = 0; i < *groups[g].count; i++) {
            const SystemView *v = groups[g].views[i];
            if (strcmp(v->name, name) == 0 && strcmp(v->schema, schema) == 0)
                return v;
        }
    return NULL;
}

const SystemView *sysview_find_oid(Oid oid)
{
    for (size_t g = 0; g < LM_ARRAY_LEN(groups); g++)
        for (int i = 0; i < *groups[g].count; i++)
            if (groups[g].views[i]->oid == oid)
                return groups[g].views[i];
    return NULL;
}

/* ---- schemas and synthetic OIDs ---- */

static const SvSchema builtin_schemas[] = {
    {"pg_catalog", SYSVIEW_NS_PG_CATALOG},
    {"public", SYSVIEW_NS_PUBLIC},
    {"information_schema", SYSVIEW_NS_INFORMATION_SCHEMA},
    {"laminar", SYSVIEW_NS_LAMINAR},
};

/* OID of a schema no catalog object names (a table of an older data directory whose schema
 * was never created): stable, and apart from the catalog's OIDs. */
static Oid hashed_schema_oid(const char *schema)
{
    uint32 h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)schema; *p; p++)
        h = (h ^ *p) * 16777619u;
    return 0x70000000u | (h & 0x0fffffffu);
}

static Oid builtin_schema_oid(const char *schema)
{
    for (size_t i = 0; i < LM_ARRAY_LEN(builtin_schemas); i++)
        if (strcmp(builtin_schemas[i].name, schema) == 0)
            return builtin_schemas[i].oid;
    return 0;
}

Oid sysview_namespace_oid(const char *schema)
{
    if (schema == NULL || *schema == '\0')
        return 0;
    Oid oid = builtin_schema_oid(schema);
    if (oid)
        return oid;
    Arena *a = arena_create("sysview_namespace_oid", NULL);
    CatSchema *s = catalog_get_schema(a, schema);
    oid = s ? s->oid : hashed_schema_oid(schema);
    arena_destroy(a);
    return oid;
}

Oid sv_schema_oid(const SvSchema *schemas, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(schemas[i].name, name) == 0)
            return schemas[i].oid;
    return hashed_schema_oid(name);
}

const char *sysview_builtin_namespace_name(Oid oid)
{
    for (size_t i = 0; i < LM_ARRAY_LEN(builtin_schemas); i++)
        if (builtin_schemas[i].oid == oid)
            return builtin_schemas[i].name;
    return NULL;
}

SvSchema *sv_schemas(ExecContext *ctx, int *n)
{
    const SessionServices *svc = ctx->svc;
    int ncreated, ntables;
    CatSchema *created = svc && svc->list_schemas
                             ? svc->list_schemas(svc->session, ctx->arena, &ncreated)
                             : catalog_list_schemas(ctx->arena, &ncreated);
    CatTable *tables = sv_tables(ctx, &ntables);
    int cap = (int)LM_ARRAY_LEN(builtin_schemas) + ncreated + ntables;
    SvSchema *out = arena_new_array(ctx->arena, SvSchema, cap);
    int k = 0;
    for (size_t i = 0; i < LM_ARRAY_LEN(builtin_schemas); i++)
        out[k++] = builtin_schemas[i];
    for (int i = 0; i < ncreated; i++)
        if (builtin_schema_oid(created[i].name) == 0)
            out[k++] = (SvSchema){
                .name = created[i].name, .oid = created[i].oid, .owner = created[i].owner};
    for (int i = 0; i < ntables; i++) {
        const char *s = sv_table_schema(&tables[i]);
        bool seen = false;
        for (int j = 0; j < k && !seen; j++)
            seen = strcmp(out[j].name, s) == 0;
        if (!seen)
            out[k++] = (SvSchema){.name = s, .oid = hashed_schema_oid(s)};
    }
    *n = k;
    return out;
}

Oid sysview_pk_index_oid(Oid table_oid)
{
    return table_oid + SYSVIEW_PK_INDEX_BASE;
}

Oid sysview_rowtype_oid(Oid table_oid)
{
    return table_oid + SYSVIEW_ROWTYPE_BASE;
}

Oid sysview_table_of_rowtype(Oid type_oid)
{
    return type_oid >= SYSVIEW_ROWTYPE_BASE + 16384 && type_oid < SYSVIEW_PK_INDEX_BASE
               ? type_oid - SYSVIEW_ROWTYPE_BASE
               : 0;
}

Oid sysview_pk_constraint_oid(Oid table_oid)
{
    return table_oid + SYSVIEW_PK_CONSTRAINT_BASE;
}

Oid sysview_table_of_pk_index(Oid index_oid)
{
    return index_oid >= SYSVIEW_PK_INDEX_BASE && index_oid < SYSVIEW_PK_CONSTRAINT_BASE
               ? index_oid - SYSVIEW_PK_INDEX_BASE
               : 0;
}

Oid sysview_table_of_pk_constraint(Oid constraint_oid)
{
    return constraint_oid >= SYSVIEW_PK_CONSTRAINT_BASE && constraint_oid < SYSVIEW_FUNC_OID_BASE
               ? constraint_oid - SYSVIEW_PK_CONSTRAINT_BASE
               : 0;
}

const char *sysview_pk_name(Arena *a, const char *table_name)
{
    return arena_printf(a, "%s_pkey", table_name);
}

/* ---- the statement's catalog ---- */

CatTable *sv_tables(ExecContext *ctx, int *n)
{
    const SessionServices *svc = ctx->svc;
    if (svc && svc->list_tables)
        return svc->list_tables(svc->session, ctx->arena, n);
    return catalog_list_tables(ctx->arena, n);
}

CatProfile *sv_profiles(ExecContext *ctx, int *n)
{
    const SessionServices *svc = ctx->svc;
    if (svc && svc->list_profiles)
        return svc->list_profiles(svc->session, ctx->arena, n);
    return catalog_list_profiles(ctx->arena, n);
}

const char *sv_user(ExecContext *ctx)
{
    return ctx->svc && ctx->svc->user ? ctx->svc->user : "laminar";
}

const char *sv_owner_name(ExecContext *ctx)
{
    int n;
    CatRole *roles = catalog_list_roles(ctx->arena, &n);
    for (int i = 0; i < n; i++)
        if (roles[i].oid == SV_OWNER_OID)
            return roles[i].name;
    return sv_user(ctx);
}

/* ---- relations: what pg_class, pg_attribute and information_schema describe ---- */

const char *sv_table_schema(const CatTable *t)
{
    return t->schema && *t->schema ? t->schema : "public";
}

static const RelColumn *table_columns(Arena *a, const CatTable *t)
{
    RelColumn *cols = arena_new_array(a, RelColumn, t->ncolumns > 0 ? t->ncolumns : 1);
    for (int i = 0; i < t->ncolumns; i++) {
        cols[i].name = t->columns[i].name;
        cols[i].type = t->columns[i].type;
        cols[i].not_null = t->columns[i].not_null;
        cols[i].default_expr = t->columns[i].default_expr;
    }
    return cols;
}

const char *sv_pk_name(Arena *a, const CatTable *t)
{
    return t->pk_name ? t->pk_name : sysview_pk_name(a, t->name);
}

SvRel *sv_relations(ExecContext *ctx, int *n)
{
    int ntables;
    CatTable *tables = sv_tables(ctx, &ntables);
    int nviews = sysview_count();
    SvRel *rels = arena_new_array(ctx->arena, SvRel, nviews + 2 * ntables + 1);
    int k = 0;
    for (int i = 0; i < nviews; i++) {
        const SystemView *v = sysview_at(i);
        rels[k++] = (SvRel){.oid = v->oid,
                            .schema = v->schema,
                            .name = v->name,
                            .relkind = 'v',
                            .ncols = v->ncols,
                            .cols = v->cols,
                            .view = v};
    }
    for (int i = 0; i < ntables; i++) {
        const CatTable *t = &tables[i];
        rels[k++] = (SvRel){.oid = t->oid,
                            .schema = sv_table_schema(t),
                            .name = t->name,
                            .relkind = t->kind == CAT_TABLE_PLAIN ? 'r' : 'f',
                            .ncols = t->ncolumns,
                            .cols = table_columns(ctx->arena, t),
                            .table = t};
    }
    for (int i = 0; i < ntables; i++) {
        const CatTable *t = &tables[i];
        if (t->kind != CAT_TABLE_PLAIN || t->nprimary_key <= 0)
            continue;
        RelColumn *cols = arena_new_array(ctx->arena, RelColumn, t->nprimary_key);
        for (int j = 0; j < t->nprimary_key; j++) {
            const CatColumn *c = &t->columns[t->primary_key[j]];
            cols[j].name = c->name;
            cols[j].type = c->type;
            cols[j].not_null = true;
        }
        rels[k++] = (SvRel){.oid = sysview_pk_index_oid(t->oid),
                            .schema = sv_table_schema(t),
                            .name = sv_pk_name(ctx->arena, t),
                            .relkind = 'i',
                            .ncols = t->nprimary_key,
                            .cols = cols,
                            .table = t};
    }
    *n = k;
    return rels;
}

/* ---- row building ---- */

SvRow sv_add_null_row(RowSet *rs)
{
    SvRow r;
    r.b = rowset_add_row(rs, &r.row);
    return r;
}

SvRow sv_add_row(RowSet *rs)
{
    SvRow r;
    r.b = rowset_add_row(rs, &r.row);
    for (int c = 0; c < r.b->ncols; c++) {
        Vector *v = &r.b->cols[c];
        switch (v->type->id) {
        case TYPE_BOOL:
        case TYPE_INT8:
        case TYPE_INT16:
        case TYPE_INT32:
        case TYPE_INT64:
        case TYPE_OID:
        case TYPE_FLOAT32:
        case TYPE_FLOAT64:
            vector_set_int64(v, r.row, 0);
            vector_set_valid(v, r.row);
            break;
        default:
            break;
        }
    }
    return r;
}

void sv_text(SvRow *r, int col, const char *s)
{
    vector_set_cstr(&r->b->cols[col], r->b->arena, r->row, s);
}

void sv_char(SvRow *r, int col, char c)
{
    if (c == '\0')
        vector_set_str(&r->b->cols[col], r->b->arena, r->row, "", 0);
    else
        vector_set_str(&r->b->cols[col], r->b->arena, r->row, &c, 1);
}

void sv_int(SvRow *r, int col, int64 x)
{
    Vector *v = &r->b->cols[col];
    vector_set_int64(v, r->row, x);
    vector_set_valid(v, r->row);
}

void sv_bool(SvRow *r, int col, bool x)
{
    vector_set_bool(&r->b->cols[col], r->row, x);
}

void sv_float(SvRow *r, int col, double x)
{
    vector_set_float64(&r->b->cols[col], r->row, x);
}

void sv_null(SvRow *r, int col)
{
    vector_set_null(&r->b->cols[col], r->row);
}

/* Reserves n elements at the end of an ARRAY vector's child and points row at them. */
static Vector *array_slot(SvRow *r, int col, int n, int *first)
{
    Vector *v = &r->b->cols[col];
    LM_ASSERT(v->type->id == TYPE_ARRAY);
    vector_reserve_children(v, r->b->arena, v->child_count + n);
    ListEntry *e = &((ListEntry *)v->data)[r->row];
    e->offset = (uint32)v->child_count;
    e->length = (uint32)n;
    *first = v->child_count;
    v->child_count += n;
    vector_set_valid(v, r->row);
    return &v->children[0];
}

void sv_oids(SvRow *r, int col, const Oid *oids, int n)
{
    int first;
    Vector *c = array_slot(r, col, n, &first);
    for (int i = 0; i < n; i++) {
        vector_set_int64(c, first + i, oids[i]);
        vector_set_valid(c, first + i);
    }
}

void sv_int2s(SvRow *r, int col, const int16 *vals, int n)
{
    int first;
    Vector *c = array_slot(r, col, n, &first);
    for (int i = 0; i < n; i++) {
        vector_set_int64(c, first + i, vals[i]);
        vector_set_valid(c, first + i);
    }
}

void sv_texts(SvRow *r, int col, const char *const *strs, int n)
{
    int first;
    Vector *c = array_slot(r, col, n, &first);
    for (int i = 0; i < n; i++)
        vector_set_cstr(c, r->b->arena, first + i, strs[i]);
}

void sv_fill_empty(ExecContext *ctx, RowSet *rs)
{
    (void)ctx;
    (void)rs;
}

/* ---- lookups for the catalog functions ---- */

bool sysview_relation_by_oid(ExecContext *ctx, Oid oid, SysviewRelInfo *out)
{
    const SystemView *v = sysview_find_oid(oid);
    if (v) {
        *out = (SysviewRelInfo){
            .oid = oid, .schema = v->schema, .name = v->name, .relkind = 'v', .view = v};
        return true;
    }
    int n;
    SvRel *rels = sv_relations(ctx, &n);
    for (int i = 0; i < n; i++)
        if (rels[i].oid == oid) {
            *out = (SysviewRelInfo){.oid = oid,
                                    .schema = rels[i].schema,
                                    .name = rels[i].name,
                                    .relkind = rels[i].relkind,
                                    .table = rels[i].table};
            return true;
        }
    return false;
}

/* The plain table with a primary key whose OID is table_oid, or NULL. */
static const CatTable *pk_table(ExecContext *ctx, Oid table_oid)
{
    if (table_oid == 0)
        return NULL;
    int n;
    CatTable *tables = sv_tables(ctx, &n);
    for (int i = 0; i < n; i++)
        if (tables[i].oid == table_oid && tables[i].kind == CAT_TABLE_PLAIN &&
            tables[i].nprimary_key > 0)
            return &tables[i];
    return NULL;
}

const char *sysview_indexdef_by_oid(ExecContext *ctx, Oid index_oid)
{
    const CatTable *t = pk_table(ctx, sysview_table_of_pk_index(index_oid));
    return t ? sysview_pk_indexdef(ctx->arena, t) : NULL;
}

const char *sysview_constraintdef_by_oid(ExecContext *ctx, Oid constraint_oid)
{
    const CatTable *t = pk_table(ctx, sysview_table_of_pk_constraint(constraint_oid));
    return t ? sysview_pk_constraintdef(ctx->arena, t) : NULL;
}
