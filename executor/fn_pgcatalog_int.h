/*
 * fn_pgcatalog_int.h: what fn_pgcatalog.c and fn_privilege.c share — the
 * catalog hooks the planner installs, name and OID lookups, and the
 * privilege kernels fn_pgcatalog.c's table names.  Not for use outside
 * executor/fn_*.c.
 */
#ifndef LM_FN_PGCATALOG_INT_H
#define LM_FN_PGCATALOG_INT_H

#include "executor/fn_util.h"
#include "storage/catalog.h"

extern FuncCatalogHooks fn_catalog_hooks; /* func_set_catalog_hooks() */

/* Where per-call strings go: the call's scratch (reset every evaluation). */
static inline Arena *fn_catalog_scratch(FuncCall *fc)
{
    return fc->scratch ? fc->scratch : fc->ctx->arena;
}
static inline char *fn_catalog_cstr(Arena *a, const StrView *s)
{
    return arena_strndup(a, s->ptr, s->len);
}

/* A schema that exists: built in, created, or named by a table. */
bool fn_catalog_schema_exists(FuncCall *fc, const char *name);
/* What a pg_class OID names (hooks, else the catalog's tables); false if nothing. */
bool fn_catalog_relation_by_oid(FuncCall *fc, Oid oid, const char **schema, const char **name,
                                char *relkind);
/* Splits "schema.name" (double quotes honoured, unquoted parts lower-cased); returns parts. */
int fn_catalog_split_name(Arena *a, const StrView *text, char **parts, int max);
/* A relation by [schema.]name through search_path; raise: 42P01 when there is none. */
bool fn_catalog_lookup_relation(FuncCall *fc, const StrView *text, Oid *oid, bool raise);

/* fn_privilege.c */
void fn_has_table_priv(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_has_table_priv_u(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_has_schema_priv(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_has_schema_priv_u(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_has_database_priv(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_has_database_priv_u(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_has_function_priv(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_has_function_priv_u(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_has_column_priv(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_has_column_priv_u(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_has_role(FuncCall *fc, Vector **args, const Batch *b, Vector *out);
void fn_has_role_u(FuncCall *fc, Vector **args, const Batch *b, Vector *out);

#endif
