/*
 * ddl.h: Laminar's own statements (connection profiles, secrets, source and
 * sink tables, SHOW lists, SHOW CREATE, TEST) and role management.
 */
#ifndef LM_DDL_H
#define LM_DDL_H

#include "parser/parser.h"
#include "server/result.h"

/* Result columns of a Laminar statement that returns rows, or NULL. */
ResultSet *ddl_result_shape(Arena *a, const ParsedStmt *st);
/* Runs a Laminar statement: fills *rs (NULL if no rows) and the command tag. */
void ddl_execute(Session *s, Arena *a, const ParsedStmt *st, ResultSet **rs, char tag[64]);

/* CREATE/ALTER/DROP ROLE (PostgreSQL statements). */
void roles_create(Session *s, Arena *a, PgQuery__CreateRoleStmt *st, char tag[64]);
void roles_alter(Session *s, Arena *a, PgQuery__AlterRoleStmt *st, char tag[64]);
void roles_drop(Session *s, Arena *a, PgQuery__DropRoleStmt *st, char tag[64]);

/* DROP TABLE over source/sink tables (PostgreSQL's DropStmt). */
void ddl_drop_tables(Session *s, Arena *a, PgQuery__DropStmt *st, char tag[64]);

#endif
