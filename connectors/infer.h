/*
 * infer.h: schema inference from sample records — the one place both the
 * SQL function laminar.infer_schema() (executor/op_infer_schema.c) and the
 * REST schema test (POST /api/v1/connection_tables/schemas/test) infer
 * column names, Laminar types, nullability and sample values.
 */
#ifndef LM_INFER_H
#define LM_INFER_H

#include "common/arena.h"
#include "common/strbuf.h"
#include "connectors/connector.h"

#define INFER_MAX_SAMPLES 3

typedef struct InferColumn {
    const char *name;
    const char *data_type; /* BIGINT, DOUBLE, BOOLEAN, STRING, TIMESTAMP, JSON */
    bool nullable;
    int nsamples;
    const char *samples[INFER_MAX_SAMPLES]; /* JSON texts */
} InferColumn;

typedef struct InferResult {
    int ncols;
    InferColumn *cols;
} InferResult;

/* Infers from n raw records of the given format (json: objects' keys in first-seen order, typed
 * by their values, integers widening to DOUBLE, anything else mixed to STRING; csv: the header
 * line's names when opts say header = true, else column_1.., typed from the values; any other
 * format: one STRING column "value").  Everything is allocated in a. */
InferResult *infer_records(Arena *a, const char *format, const ResolvedOptions *opts,
                           const char *const *records, const size_t *lens, int n);

/* PostgreSQL (the postgres connector's options: table [schema] or query): up to max_rows rows of
 * the table or query; columns from the result's PostgreSQL types (type_from_pg_oid, STRING when
 * Laminar has no such type), nullable unless the column is a NOT NULL table column, samples
 * from the rows.  default_table: the table when the options name none.  08006 (with libpq's
 * message) when the database cannot be reached; the query's own error otherwise. */
InferResult *infer_postgres(Arena *a, const ResolvedOptions *opts, const char *default_table,
                            int max_rows);

/* {"fields":[{"name":..,"data_type":..,"nullable":..,"sample_values":[..]},..]} */
void infer_result_json(const InferResult *r, StrBuf *out);

#endif
