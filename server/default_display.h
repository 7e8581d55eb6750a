/*
 * default_display.h: the stored text of column DEFAULT expressions, in the
 * form PostgreSQL's pg_get_expr() shows (see default_display.c).
 */
#ifndef LM_DEFAULT_DISPLAY_H
#define LM_DEFAULT_DISPLAY_H

#include "common/types.h"
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

/* The DEFAULT expr of a column of type coltype as PostgreSQL displays it (valid SQL with the
 * same value); NULL for a NULL constant, which PostgreSQL does not store as a default.  Raises
 * the input error of a string literal that is not a valid value of the column's type. */
char *default_display(Arena *a, PgQuery__Node *expr, const LmType *coltype);
/* libpg_query's own deparse of one expression. */
char *default_deparse_raw(Arena *a, PgQuery__Node *expr);

#endif
