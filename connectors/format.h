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
#include "connectors/runtime.h"
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
 * batch (csv lines are one record each; the caller splits files into records).
 * A record that carries no row returns false with err->code == NULL: the caller skips it
 * silently (csv with header = true: a record whose fields are the column names).
 * The caller counts rows (out->count); a failed call may have written parts of row `row`,
 * which the next successful call into the same row overwrites completely.
 * Bad records never raise; only a failure outside the record does (avro with a schema
 * registry: 08006 when the registry cannot give the record's schema). */
bool format_decode(FormatDecoder *d, const char *data, size_t len, Batch *out, int row,
                   FormatError *err);
/* Releases what a decoder holds outside its arena (libavro schemas and values); call when the
 * decoder's owner closes.  Safe for every format. */
void format_decoder_destroy(FormatDecoder *d);
/* Only the column names and inferred types of a sample of records (schema inference). */
void format_infer_json(Arena *a, const char *const *records, const size_t *lens, int n,
                       StrBuf *schema_json_out);

/* The seed's error detail as a JSON object: {"field": ..., "reason": ..., "sample_value": ...}. */
void format_error_details_json(const FormatError *err, StrBuf *out);
/* Raises the error (SQLSTATE 22P02) with every detail in the message, e.g.
 * `schema validation failed for table "t": field "user_id": Cannot cast STRING to BIGINT
 * (sample value "abc123")`. */
void format_error_raise(const FormatError *err, const char *table_name) LM_NORETURN;
/* Whether the table says ignore_parse_errors = true. */
bool format_ignore_parse_errors(const ResolvedOptions *opts);
/* The source side of a bad record, for every connector: records it through
 * cc->record_error (laminar.job_errors: code, message, details, the raw record as sample)
 * and returns when ignore_parse_errors is on (the caller skips the record); raises with
 * format_error_raise otherwise (the job fails with that message). */
void format_report_error(ConnectorContext *cc, const FormatError *err, bool ignore,
                         const char *record, size_t record_len);

/*
 * Avro object container files (the file connector): the decoder must be an avro decoder; each
 * file is read with its own (writer) schema, fields mapped to columns by name (an avro_schema
 * option is not needed and not used for OCF files).  format_ocf_open raises 58030 when the
 * file cannot be opened and XX001 when it is not an OCF file.
 * format_ocf_next: 1 = a row was decoded into `row`, 0 = end of file, -1 = the record does
 * not fit the columns (err filled; the reader has moved past it), -2 = the file is corrupt
 * from here on (err filled; stop reading it).  Close before destroying the decoder.
 */
typedef struct FormatOcfReader FormatOcfReader;
FormatOcfReader *format_ocf_open(FormatDecoder *d, const char *path);
int format_ocf_next(FormatOcfReader *r, Batch *out, int row, FormatError *err);
void format_ocf_close(FormatOcfReader *r);

/* Raises 0A000 for formats that cannot be written (protobuf; avro without an inline
 * avro_schema, or with nested Avro types).  Avro records get the Confluent framing when the
 * table gives schema_id. */
FormatEncoder *format_encoder_create(Arena *a, const CatTable *t, const ResolvedOptions *opts);
/* Releases what an encoder holds outside its arena (avro); safe for every format. */
void format_encoder_destroy(FormatEncoder *e);
/* Appends the record for row `row` of b to out (no trailing newline). */
void format_encode(FormatEncoder *e, const Batch *b, int row, StrBuf *out);

#endif
