/*
 * format.h: record formats (json, csv, raw, avro, protobuf) between bytes and
 * column vectors, shared by every connector that carries records (kafka,
 * file, webhook; the REST schema test).
 *
 * A decoder is built once per source subtask from the table's columns and
 * format options; format_decode() appends one record as one row of a batch,
 * writing straight into the column vectors (no intermediate document tree
 * on the hot path).  A record that cannot be decoded, or whose field cannot
 * be converted to the column's type, is reported through FormatError with
 * seed 000's SCHEMA_VALIDATION_ERROR detail (field, reason, sample value);
 * the caller decides between skipping it (ignore_parse_errors) and failing.
 * Encoders turn a row of a batch into one record (sinks).
 */
#ifndef LM_FORMAT_H
#define LM_FORMAT_H

#include "common/strbuf.h"
#include "common/vector.h"
#include "connectors/connector.h"
#include "storage/catalog.h"

typedef struct FormatDecoder FormatDecoder;
typedef struct FormatEncoder FormatEncoder;

typedef struct FormatError {
    const char *code;    /* "SCHEMA_VALIDATION_ERROR" or "FORMAT_ERROR" */
    const char *message; /* e.g. "Schema validation failed" */
    const char *field;   /* column the problem is in, or NULL */
    const char *reason;  /* "Cannot cast STRING to BIGINT" */
    const char *sample_value;
} FormatError;

/* The format of a table: its `format` option or the connector's default. */
const char *format_of_table(const CatTable *t, const ResolvedOptions *opts);

/* Raises 22023/0A000 for bad format options (e.g. an avro schema that does not parse). The
 * decoder fills the table's columns in order; metadata columns (Kafka key, partition, ...) are
 * the connector's business: columns listed in skip_columns (may be NULL) are left NULL. */
FormatDecoder *format_decoder_create(Arena *a, const CatTable *t, const ResolvedOptions *opts,
                                     const bool *skip_columns);
/* Decodes one record into row `row` of out; false (with err filled, memory in the decoder's
 * arena until the next call) if it cannot.  A record may hold several rows for formats that
 * batch (csv lines are one record each; the caller splits files into records). */
bool format_decode(FormatDecoder *d, const char *data, size_t len, Batch *out, int row,
                   FormatError *err);
/* Only the column names and inferred types of a sample of records (schema inference). */
void format_infer_json(Arena *a, const char *const *records, const size_t *lens, int n,
                       StrBuf *schema_json_out);

FormatEncoder *format_encoder_create(Arena *a, const CatTable *t, const ResolvedOptions *opts);
/* Appends the record for row `row` of b to out. */
void format_encode(FormatEncoder *e, const Batch *b, int row, StrBuf *out);

#endif
