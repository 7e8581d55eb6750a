/*
 * format_int.h: what the format implementations (fmt_json.c, fmt_csv.c,
 * fmt_raw.c, fmt_avro.c, fmt_protobuf.c) share with format.c — the decoder
 * and encoder structs, column lookup by field name, and the typed value
 * stores with their schema-validation errors.
 *
 * Memory: a decoder lives in the arena it was created in; `scratch` is an
 * arena of its own, reset at the start of every format_decode(), which holds
 * error texts (so FormatError strings live until the next call).  Decoded
 * var-width values are copied into the output batch's arena.
 */
#ifndef LM_FORMAT_INT_H
#define LM_FORMAT_INT_H

#include "connectors/format.h"

typedef enum FormatKind {
    FMT_JSON = 0,
    FMT_CSV,
    FMT_RAW,
    FMT_AVRO,
    FMT_PROTOBUF,
} FormatKind;

/* How numbers map to TIMESTAMP columns and how timestamps are written. */
typedef enum TsFormat { TS_ISO = 0, TS_UNIX_SECONDS, TS_UNIX_MILLIS, TS_UNIX_MICROS } TsFormat;

typedef struct FormatDecoder FormatDecoder;
typedef bool (*FormatDecodeFn)(FormatDecoder *d, const char *data, size_t len, Batch *out, int row,
                               FormatError *err);

struct FormatDecoder {
    FormatKind kind;
    Arena *arena;   /* the decoder's own allocations */
    Arena *scratch; /* reset per record: error texts */
    const CatTable *t;
    int ncols;
    bool *skip; /* per column: left NULL (connector metadata) */
    TsFormat ts_format;
    FormatDecodeFn decode;
    void *impl; /* the format's state */
    /* field-name lookup (open addressing over exact names) */
    int nslots;
    int *slots;       /* column index + 1; 0 empty */
    uint32 *name_len; /* per column: strlen of its name */
    uint64 *seen;     /* per record: columns written (bitmap) */
    int nseen_words;
};

typedef struct FormatEncoder FormatEncoder;
typedef void (*FormatEncodeFn)(FormatEncoder *e, const Batch *b, int row, StrBuf *out);

struct FormatEncoder {
    FormatKind kind;
    Arena *arena;
    const CatTable *t;
    int ncols;
    TsFormat ts_format;
    FormatEncodeFn encode;
    void *impl;
    char **quoted_names; /* "name": pre-escaped JSON keys with colon */
};

/* Format implementations: each sets d->decode / e->encode and its impl. */
void fmt_json_decoder_init(FormatDecoder *d, const ResolvedOptions *opts);
void fmt_json_encoder_init(FormatEncoder *e, const ResolvedOptions *opts);
void fmt_csv_decoder_init(FormatDecoder *d, const ResolvedOptions *opts);
void fmt_csv_encoder_init(FormatEncoder *e, const ResolvedOptions *opts);
void fmt_raw_decoder_init(FormatDecoder *d, const ResolvedOptions *opts);
void fmt_raw_encoder_init(FormatEncoder *e, const ResolvedOptions *opts);
void fmt_avro_decoder_init(FormatDecoder *d, const ResolvedOptions *opts);
void fmt_avro_decoder_destroy(FormatDecoder *d);
void fmt_avro_encoder_init(FormatEncoder *e, const ResolvedOptions *opts);
void fmt_avro_encoder_destroy(FormatEncoder *e);
void fmt_protobuf_decoder_init(FormatDecoder *d, const ResolvedOptions *opts);

/* Column whose name is `name` (exact match first, then case-insensitive); -1 if none or skipped. */
int fmt_column_lookup(const FormatDecoder *d, const char *name, size_t len);

static inline void fmt_mark_seen(FormatDecoder *d, int col)
{
    d->seen[col >> 6] |= UINT64_C(1) << (col & 63);
}

static inline void fmt_set_valid(Vector *v, int row)
{
    if (v->validity)
        v->validity[row >> 6] |= UINT64_C(1) << (row & 63);
}

/* Fills err as a SCHEMA_VALIDATION_ERROR for column col; returns false. */
bool fmt_schema_error(FormatDecoder *d, FormatError *err, int col, const char *reason,
                      const char *sample, size_t sample_len);
/* Fills err as a FORMAT_ERROR (the record itself is malformed); returns false. */
bool fmt_format_error(FormatDecoder *d, FormatError *err, const char *fmt, ...) LM_PRINTF(3, 4);
/* Sets NULL in column col, or fails when it is NOT NULL (reason "Missing required field" or
 * "NULL value in NOT NULL column"). */
bool fmt_store_null(FormatDecoder *d, Batch *out, int row, int col, bool missing, FormatError *err);
/* After a record: columns not written become NULL (NOT NULL ones fail). */
bool fmt_finish_missing(FormatDecoder *d, Batch *out, int row, FormatError *err);
/* Clears the per-record seen bitmap. */
static inline void fmt_begin_record(FormatDecoder *d)
{
    for (int i = 0; i < d->nseen_words; i++)
        d->seen[i] = 0;
}

/*
 * Typed stores.  `src_type` names what the input held ("STRING", "BIGINT", ...) for the
 * "Cannot cast X to Y" reason.  Text: any column type from its text form (fast paths for
 * integers, floats, booleans, strings and ISO date/times; everything else through
 * value_parse_text).  Integers and floats: numeric columns with range checks, timestamps per
 * timestamp_format; strings get the number's text.
 */
bool fmt_store_text(FormatDecoder *d, Batch *out, int row, int col, const char *s, size_t len,
                    const char *src_type, FormatError *err);
bool fmt_store_int(FormatDecoder *d, Batch *out, int row, int col, int64 x, FormatError *err);
bool fmt_store_double(FormatDecoder *d, Batch *out, int row, int col, double x, FormatError *err);
bool fmt_store_bool(FormatDecoder *d, Batch *out, int row, int col, bool x, FormatError *err);
/* A JSON value (object, array, or any JSON text) into a column: STRING/JSON take the text,
 * ARRAY/MAP/STRUCT and scalars go through value_parse_json. */
bool fmt_store_json_value(FormatDecoder *d, Batch *out, int row, int col, const char *s, size_t len,
                          const char *src_type, FormatError *err);
/* Stores bytes into a STRING/BINARY/JSON column as they are (copied into the batch arena). */
void fmt_store_bytes(Batch *out, int row, int col, const char *s, size_t len);

/* Fast integer parse of [s, s+len): optional sign, digits; false if not an integer or overflow. */
bool fmt_parse_int64(const char *s, size_t len, int64 *out);
/* Fast ISO-8601 timestamp: YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]][Z|+HH[:MM]]; false if not that. */
bool fmt_parse_iso_timestamp(const char *s, size_t len, int64 *micros);

/* Laminar's name for a column type in reasons ("BIGINT"). */
const char *fmt_type_name(FormatDecoder *d, const LmType *t);

/* Appends s as a JSON string literal (quotes, escapes). */
void fmt_json_escape(StrBuf *out, const char *s, size_t len);

/* Timestamp as the encoders write it (timestamp_format). */
void fmt_format_timestamp(TsFormat f, int64 micros, bool with_tz, bool quoted, StrBuf *out);

#endif
