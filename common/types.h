/*
 * types.h: Laminar's SQL types (seed 000's list) and how they map onto
 * PostgreSQL type OIDs on the wire.
 *
 * A type is a small immutable descriptor.  Scalar types have static
 * singletons (type_bool(), type_int64(), ...); parameterised and nested ones
 * (DECIMAL(p,s), ARRAY<T>, MAP<K,V>, STRUCT<...>) are built in an arena.
 *
 * Physical representation in vectors (see vector.h):
 *   BOOL uint8 | INT8 int8 | INT16 int16 | INT32 int32 | INT64 int64
 *   FLOAT32 float | FLOAT64 double | DECIMAL int128 scaled by 10^scale
 *   STRING, BINARY, JSON: StrView | DATE int32 days since 1970-01-01
 *   TIME int64 microseconds since midnight
 *   TIMESTAMP, TIMESTAMPTZ int64 microseconds since 1970-01-01 00:00 UTC
 *   INTERVAL Interval | OID uint32
 *   ARRAY, MAP: ListEntry into child vector(s) | STRUCT: child vectors only
 */
#ifndef LM_TYPES_H
#define LM_TYPES_H

#include "common/arena.h"
#include "common/strbuf.h"

typedef enum TypeId {
    TYPE_UNKNOWN = 0, /* untyped literal or NULL before resolution */
    TYPE_BOOL,
    TYPE_INT8, /* TINYINT: int2 on the wire */
    TYPE_INT16,
    TYPE_INT32,
    TYPE_INT64,
    TYPE_FLOAT32,
    TYPE_FLOAT64,
    TYPE_DECIMAL,
    TYPE_STRING,
    TYPE_BINARY,
    TYPE_DATE,
    TYPE_TIME,
    TYPE_TIMESTAMP,
    TYPE_TIMESTAMPTZ,
    TYPE_INTERVAL,
    TYPE_JSON,
    TYPE_ARRAY,
    TYPE_MAP,
    TYPE_STRUCT,
    TYPE_OID, /* oid and the reg* types of the PostgreSQL catalog */
    TYPE__COUNT
} TypeId;

#define DECIMAL_MAX_PRECISION 38

typedef struct LmType LmType;

typedef struct StructField {
    const char *name;
    const LmType *type;
} StructField;

struct LmType {
    TypeId id;
    int16 precision; /* DECIMAL: 1..38; STRING: VARCHAR(n) length or -1 */
    int16 scale;     /* DECIMAL */
    /* PostgreSQL type OID to present instead of the default (name, regclass, jsonb, ...); 0 = default */
    Oid pg_oid;
    const LmType *elem;  /* ARRAY element, MAP key */
    const LmType *value; /* MAP value */
    int nfields;         /* STRUCT */
    const StructField *fields;
    /* DECIMAL: PostgreSQL's unconstrained numeric whose values' own display scales are not
     * known (a column declared numeric, numeric values of different scales unified): values
     * are stored at `scale` digits and shown without trailing fraction zeros; reported as
     * numeric with typmod -1.  0 (the default): values show exactly `scale` digits — numeric(p,s)
     * and computed results whose display scale the binder derived (literals, + - * /, avg). */
    bool numeric_trim;
};

typedef struct StrView {
    uint32 len;
    uint32 reserved;
    const char *ptr;
} StrView;

typedef struct Interval {
    int64 micros;
    int32 days;
    int32 months;
} Interval;

typedef struct ListEntry {
    uint32 offset; /* first element in the child vector */
    uint32 length;
} ListEntry;

/* Static singletons for the scalar types. */
const LmType *type_unknown(void);
const LmType *type_bool(void);
const LmType *type_int8(void);
const LmType *type_int16(void);
const LmType *type_int32(void);
const LmType *type_int64(void);
const LmType *type_float32(void);
const LmType *type_float64(void);
const LmType *type_string(void);
const LmType *type_binary(void);
const LmType *type_date(void);
const LmType *type_time(void);
const LmType *type_timestamp(void);
const LmType *type_timestamptz(void);
const LmType *type_interval(void);
const LmType *type_json(void);
const LmType *type_oid(void);
const LmType *type_scalar(TypeId id); /* singleton for a scalar id; NULL for nested/DECIMAL */

const LmType *type_decimal(Arena *a, int precision, int scale);
/* Unconstrained numeric (DECIMAL(38,10), numeric_trim): `numeric` without (p,s). */
const LmType *type_numeric_unconstrained(Arena *a);
/* t as unconstrained (numeric_trim) when it is DECIMAL, else t (additive). */
const LmType *type_decimal_trimmed(Arena *a, const LmType *t);
const LmType *type_array(Arena *a, const LmType *elem);
const LmType *type_map(Arena *a, const LmType *key, const LmType *value);
const LmType *type_struct(Arena *a, int nfields, const StructField *fields);
/* Same type presented under another PostgreSQL OID (e.g. STRING as name, OID as regclass). */
const LmType *type_with_pg_oid(Arena *a, const LmType *t, Oid pg_oid);
/* Deep copy into an arena (for catalog objects that outlive a statement). */
const LmType *type_copy(Arena *a, const LmType *t);

bool type_equal(const LmType *a, const LmType *b);
bool type_is_numeric(const LmType *t);    /* integer, float or decimal */
bool type_is_integer(const LmType *t);
bool type_is_string_like(const LmType *t); /* STRING or JSON */
bool type_is_temporal(const LmType *t);
bool type_is_nested(const LmType *t);
/* Bytes per value in a vector's data array (StrView, ListEntry, Interval, ...); 0 for STRUCT. */
size_t type_physical_size(const LmType *t);

/*
 * Parses a type as users write it in Laminar DDL and the REST API's
 * data_type: BOOLEAN, TINYINT, SMALLINT, INT/INTEGER, BIGINT, FLOAT/REAL,
 * DOUBLE [PRECISION], DECIMAL(p,s)/NUMERIC(p,s), STRING/TEXT/VARCHAR[(n)],
 * BINARY/BYTEA, DATE, TIME, TIMESTAMP [WITH[OUT] TIME ZONE]/TIMESTAMPTZ,
 * INTERVAL, JSON/JSONB, ARRAY<T>, T[], MAP<K,V>, STRUCT<name:T, ...>, and
 * PostgreSQL's internal names (int4, int8, float8, bool, ...).  Case
 * insensitive.  Returns NULL and sets *errpos (0-based byte offset into text)
 * and *errmsg_out (arena string) on failure; never throws.
 */
const LmType *type_parse(Arena *a, const char *text, int *errpos, const char **errmsg_out);

/* Canonical Laminar name as the catalog and REST API print it: BIGINT, DECIMAL(10,2), ARRAY<INT>. */
void type_format(const LmType *t, StrBuf *out);
const char *type_name(Arena *a, const LmType *t);

/* PostgreSQL view of a type: OID, typlen (-1 varlena), typmod, and name as format_type() prints it. */
Oid type_pg_oid(const LmType *t);
int16 type_pg_typlen(const LmType *t);
int32 type_pg_typmod(const LmType *t);
void type_pg_format(const LmType *t, StrBuf *out); /* "bigint", "numeric(10,2)", "text[]", ... */
/* The Laminar type for a PostgreSQL type OID (parameters, casts); NULL if none. */
const LmType *type_from_pg_oid(Arena *a, Oid oid, int32 typmod);

/* PostgreSQL type OIDs used throughout. */
#define BOOLOID 16
#define BYTEAOID 17
#define CHAROID 18
#define NAMEOID 19
#define INT8OID 20
#define INT2OID 21
#define INT2VECTOROID 22
#define INT4OID 23
#define REGPROCOID 24
#define TEXTOID 25
#define OIDOID 26
#define OIDVECTOROID 30
#define JSONOID 114
#define FLOAT4OID 700
#define FLOAT8OID 701
#define UNKNOWNOID 705
#define BPCHAROID 1042
#define VARCHAROID 1043
#define DATEOID 1082
#define TIMEOID 1083
#define TIMESTAMPOID 1114
#define TIMESTAMPTZOID 1184
#define INTERVALOID 1186
#define NUMERICOID 1700
#define REGCLASSOID 2205
#define REGTYPEOID 2206
#define REGPROCEDUREOID 2202
#define REGNAMESPACEOID 4089
#define REGROLEOID 4096
#define VOIDOID 2278
#define RECORDOID 2249
#define ANYOID 2276
#define JSONBOID 3802
#define BOOLARRAYOID 1000
#define BYTEAARRAYOID 1001
#define INT2ARRAYOID 1005
#define INT4ARRAYOID 1007
#define TEXTARRAYOID 1009
#define VARCHARARRAYOID 1015
#define INT8ARRAYOID 1016
#define FLOAT4ARRAYOID 1021
#define FLOAT8ARRAYOID 1022
#define OIDARRAYOID 1028
#define TIMESTAMPARRAYOID 1115
#define DATEARRAYOID 1182
#define TIMEARRAYOID 1183
#define TIMESTAMPTZARRAYOID 1185
#define INTERVALARRAYOID 1187
#define NUMERICARRAYOID 1231
#define JSONARRAYOID 199
#define JSONBARRAYOID 3807
#define CHARARRAYOID 1002
#define NAMEARRAYOID 1003
#define REGPROCARRAYOID 1008
#define BPCHARARRAYOID 1014
#define REGPROCEDUREARRAYOID 2207
#define REGCLASSARRAYOID 2210
#define REGTYPEARRAYOID 2211
#define REGNAMESPACEARRAYOID 4090
#define REGROLEARRAYOID 4097

/* Days from 1970-01-01 to 2000-01-01 (PostgreSQL's epoch for binary date/timestamp). */
#define PG_EPOCH_DAYS 10957
#define USECS_PER_DAY INT64_C(86400000000)
#define USECS_PER_SEC INT64_C(1000000)

#endif
