/*
 * relation.h: what a name in FROM resolves to.
 *
 * A Relation is a plain table (rows in RocksDB), a system view (pg_catalog,
 * information_schema, laminar: rows computed at scan time from the catalog
 * and the session) or a source/sink table (catalog metadata; a bounded
 * SELECT on a source samples it once connectors exist).  The binder finds
 * relations through relation_lookup() following search_path; scans ask the
 * relation for its rows.
 */
#ifndef LM_RELATION_H
#define LM_RELATION_H

#include "executor/exec.h"
#include "storage/catalog.h"

typedef enum RelKind { REL_PLAIN = 0, REL_SYSTEM_VIEW, REL_SOURCE, REL_SINK } RelKind;

typedef struct RelColumn {
    const char *name;
    const LmType *type;
    bool not_null;
    const char *default_expr; /* SQL text or NULL */
} RelColumn;

typedef struct SystemView SystemView;

struct Relation {
    RelKind kind;
    Oid oid;
    const char *schema;
    const char *name;
    char relkind; /* pg_class.relkind: 'r' table, 'v' view, 'f' source/sink (foreign) */
    int ncols;
    const RelColumn *cols;
    int npk;
    const int *pk;         /* primary key column indexes (plain tables) */
    const CatTable *table; /* plain/source/sink */
    const SystemView *view;
};

struct SystemView {
    const char *schema;
    const char *name;
    Oid oid;
    int ncols;
    const RelColumn *cols;
    /* Produces every row of the view into rs (columns as declared). */
    void (*fill)(ExecContext *ctx, RowSet *rs);
    const char *description;
};

/* Resolves [schema.]name: NULL schema searches pg_catalog first, then search_path (PostgreSQL
 * order).  Returns NULL if not found (the binder raises 42P01 with the location). */
const Relation *relation_lookup(ExecContext *ctx, Arena *a, const char *schema, const char *name);
/* Every system view (for pg_class listings). */
int sysview_count(void);
const SystemView *sysview_at(int i);
/* Builds the Relation of a catalog table (plain, source or sink). */
const Relation *relation_from_table(Arena *a, const CatTable *t);

#endif
