/*
 * result.h: small materialised result sets for utility statements.
 *
 * SHOW, TEST and the catalog listings produce a handful of rows; they are
 * built into batches here and streamed to the client by the portal code like
 * any other result.  Columns are declared first (which is also what Describe
 * needs before execution); rows are appended one at a time.
 */
#ifndef LM_RESULT_H
#define LM_RESULT_H

#include "server/sql.h"

typedef struct ResultSet {
    ResultDesc desc;
    ResultColumn *cols;
    const LmType **types;
    Batch **batches;
    int nbatches;
    int cap;
    int64 nrows;
    Arena *arena;
} ResultSet;

ResultSet *result_create(Arena *a, int ncols);
void result_column(ResultSet *rs, int i, const char *name, const LmType *type);
/* Starts a new row (all columns NULL until set); returns nothing, use result_set_* next. */
void result_add_row(ResultSet *rs);
void result_set_text(ResultSet *rs, int col, const char *s); /* NULL s: SQL NULL */
void result_set_bool(ResultSet *rs, int col, bool v);
void result_set_int64(ResultSet *rs, int col, int64 v);
void result_set_timestamp(ResultSet *rs, int col, int64 micros);

#endif
