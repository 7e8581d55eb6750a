/*
 * table_ddl.h: DDL of plain tables and schemas — CREATE TABLE, CREATE
 * SCHEMA, DROP TABLE / DROP SCHEMA, TRUNCATE.
 *
 * Inside a transaction block every change is queued in the session
 * (server/catalog_txn.c) and applied at COMMIT together with the block's
 * table writes (server/txn.c); ROLLBACK discards it.  tag receives
 * PostgreSQL's CommandComplete tag.
 */
#ifndef LM_TABLE_DDL_H
#define LM_TABLE_DDL_H

#include "server/session.h"
#include <pg_query/pg_query.pb-c.h>

void table_ddl_create_table(Session *s, Arena *a, PgQuery__CreateStmt *stmt, char tag[64]);
void table_ddl_create_schema(Session *s, Arena *a, PgQuery__CreateSchemaStmt *stmt, char tag[64]);
/* DROP TABLE (tables of every kind) and DROP SCHEMA. */
void table_ddl_drop(Session *s, Arena *a, PgQuery__DropStmt *stmt, char tag[64]);
void table_ddl_truncate(Session *s, Arena *a, PgQuery__TruncateStmt *stmt, char tag[64]);

/* The schema unqualified new relations go to: the first schema of search_path that exists
 * ("$user" meaning the schema named like the user), else public. */
const char *table_ddl_creation_schema(Session *s, Arena *a);

#endif
