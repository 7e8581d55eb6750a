/*
 * types.c: Laminar's SQL type descriptors, the DDL/REST type syntax
 * (type_parse / type_format) and the mapping onto PostgreSQL types.
 *
 * Scalar types are static singletons; DECIMAL, ARRAY, MAP, STRUCT and types
 * carrying a pg_oid override are allocated in the caller's arena and never
 * freed individually.
 *
 * Decisions worth knowing:
 *   - DECIMAL without (p,s) is DECIMAL(38,10) with numeric_trim: values are
 *     int128 scaled integers, so PostgreSQL's unconstrained numeric cannot be
 *     represented exactly; 28 integer and 10 fractional digits is the
 *     compromise, and values print without trailing fraction zeros (a value's
 *     own display scale is not kept; see numeric_trim in types.h).
 *     DECIMAL(p) is DECIMAL(p,0) as in the SQL standard.
 *   - CHAR(n)/CHARACTER(n) become STRING with precision n (VARCHAR(n)); blank
 *     padding semantics of bpchar are not kept.
 *   - type_equal compares the logical type and ignores the pg_oid override, so
 *     JSON equals JSONB and STRING equals NAME.  type_format prints the
 *     override (JSONB, NAME, REGCLASS, ...) so a format/parse round trip keeps it.
 *   - STRUCT field names keep the case they were written in (they match JSON
 *     keys); type names are case-insensitive.
 *   - TIME(p)/TIMESTAMP(p) precisions are accepted and ignored: values are
 *     always microseconds.
 */
#include "common/types.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#define SCALAR(ident, tid) static const LmType ident = {.id = (tid), .precision = -1}

SCALAR(t_unknown, TYPE_UNKNOWN);
SCALAR(t_bool, TYPE_BOOL);
SCALAR(t_int8, TYPE_INT8);
SCALAR(t_int16, TYPE_INT16);
SCALAR(t_int32, TYPE_INT32);
SCALAR(t_int64, TYPE_INT64);
SCALAR(t_float32, TYPE_FLOAT32);
SCALAR(t_float64, TYPE_FLOAT64);
SCALAR(t_string, TYPE_STRING);
SCALAR(t_binary, TYPE_BINARY);
SCALAR(t_date, TYPE_DATE);
SCALAR(t_time, TYPE_TIME);
SCALAR(t_timestamp, TYPE_TIMESTAMP);
SCALAR(t_timestamptz, TYPE_TIMESTAMPTZ);
SCALAR(t_interval, TYPE_INTERVAL);
SCALAR(t_json, TYPE_JSON);
SCALAR(t_oid, TYPE_OID);

const LmType *type_unknown(void) { return &t_unknown; }
const LmType *type_bool(void) { return &t_bool; }
const LmType *type_int8(void) { return &t_int8; }
const LmType *type_int16(void) { return &t_int16; }
const LmType *type_int32(void) { return &t_int32; }
const LmType *type_int64(void) { return &t_int64; }
const LmType *type_float32(void) { return &t_float32; }
const LmType *type_float64(void) { return &t_float64; }
const LmType *type_string(void) { return &t_string; }
const LmType *type_binary(void) { return &t_binary; }
const LmType *type_date(void) { return &t_date; }
const LmType *type_time(void) { return &t_time; }
const LmType *type_timestamp(void) { return &t_timestamp; }
const LmType *type_timestamptz(void) { return &t_timestamptz; }
const LmType *type_interval(void) { return &t_interval; }
const LmType *type_json(void) { return &t_json; }
const LmType *type_oid(void) { return &t_oid; }

const LmType *type_scalar(TypeId id)
{
    switch (id) {
    case TYPE_UNKNOWN: return &t_unknown;
    case TYPE_BOOL: return &t_bool;
    case TYPE_INT8: return &t_int8;
    case TYPE_INT16: return &t_int16;
    case TYPE_INT32: return &t_int32;
    case TYPE_INT64: return &t_int64;
    case TYPE_FLOAT32: return &t_float32;
    case TYPE_FLOAT64: return &t_float64;
    case TYPE_STRING: return &t_string;
    case TYPE_BINARY: return &t_binary;
    case TYPE_DATE: return &t_date;
    case TYPE_TIME: return &t_time;
    case TYPE_TIMESTAMP: return &t_timestamp;
    case TYPE_TIMESTAMPTZ: return &t_timestamptz;
    case TYPE_INTERVAL: return &t_interval;
    case TYPE_JSON: return &t_json;
    case TYPE_OID: return &t_oid;
    default: return NULL;
    }
}

static LmType *type_new(Arena *a, TypeId id)
{
    LmType *t = arena_new(a, LmType);
    t->id = id;
    t->precision = -1;
    return t;
}

const LmType *type_decimal(Arena *a, int precision, int scale)
{
    LM_ASSERT(precision >= 1 && precision <= DECIMAL_MAX_PRECISION && scale >= 0 && scale <= precision);
    LmType *t = type_new(a, TYPE_DECIMAL);
    t->precision = (int16)precision;
    t->scale = (int16)scale;
    return t;
}

const LmType *type_numeric_unconstrained(Arena *a)
{
    LmType *t = type_new(a, TYPE_DECIMAL);
    t->precision = DECIMAL_MAX_PRECISION;
    t->scale = 10;
    t->numeric_trim = true;
    return t;
}

const LmType *type_decimal_trimmed(Arena *a, const LmType *t)
{
    if (t->id != TYPE_DECIMAL || t->numeric_trim)
        return t;
    LmType *c = arena_new(a, LmType);
    *c = *t;
    c->numeric_trim = true;
    return c;
}

const LmType *type_array(Arena *a, const LmType *elem)
{
    LmType *t = type_new(a, TYPE_ARRAY);
    t->elem = elem;
    return t;
}

const LmType *type_map(Arena *a, const LmType *key, const LmType *value)
{
    LmType *t = type_new(a, TYPE_MAP);
    t->elem = key;
    t->value = value;
    return t;
}

const LmType *type_struct(Arena *a, int nfields, const StructField *fields)
{
    LmType *t = type_new(a, TYPE_STRUCT);
    StructField *f = arena_new_array(a, StructField, nfields > 0 ? nfields : 1);
    for (int i = 0; i < nfields; i++) {
        f[i].name = arena_strdup(a, fields[i].name);
        f[i].type = fields[i].type;
    }
    t->nfields = nfields;
    t->fields = f;
    return t;
}

const LmType *type_with_pg_oid(Arena *a, const LmType *t, Oid pg_oid)
{
    if (t->pg_oid == pg_oid)
        return t;
    LmType *c = arena_new(a, LmType);
    *c = *t;
    c->pg_oid = pg_oid;
    return c;
}

const LmType *type_copy(Arena *a, const LmType *t)
{
    if (t == NULL)
        return NULL;
    if (type_scalar(t->id) == t)
        return t; /* static singletons live forever */
    LmType *c = arena_new(a, LmType);
    *c = *t;
    c->elem = type_copy(a, t->elem);
    c->value = type_copy(a, t->value);
    if (t->id == TYPE_STRUCT) {
        StructField *f = arena_new_array(a, StructField, t->nfields > 0 ? t->nfields : 1);
        for (int i = 0; i < t->nfields; i++) {
            f[i].name = arena_strdup(a, t->fields[i].name);
            f[i].type = type_copy(a, t->fields[i].type);
        }
        c->fields = f;
    }
    return c;
}

bool type_equal(const LmType *a, const LmType *b)
{
    if (a == b)
        return true;
    if (a == NULL || b == NULL || a->id != b->id)
        return false;
    switch (a->id) {
    case TYPE_DECIMAL:
        return a->precision == b->precision && a->scale == b->scale;
    case TYPE_STRING:
        return (a->precision < 0 ? -1 : a->precision) == (b->precision < 0 ? -1 : b->precision);
    case TYPE_ARRAY:
        return type_equal(a->elem, b->elem);
    case TYPE_MAP:
        return type_equal(a->elem, b->elem) && type_equal(a->value, b->value);
    case TYPE_STRUCT:
        if (a->nfields != b->nfields)
            return false;
        for (int i = 0; i < a->nfields; i++)
            if (strcmp(a->fields[i].name, b->fields[i].name) != 0 ||
                !type_equal(a->fields[i].type, b->fields[i].type))
                return false;
        return true;
    default:
        return true;
    }
}

bool type_is_integer(const LmType *t)
{
    return t->id == TYPE_INT8 || t->id == TYPE_INT16 || t->id == TYPE_INT32 || t->id == TYPE_INT64;
}

bool type_is_numeric(const LmType *t)
{
    return type_is_integer(t) || t->id == TYPE_FLOAT32 || t->id == TYPE_FLOAT64 || t->id == TYPE_DECIMAL;
}

bool type_is_string_like(const LmType *t)
{
    return t->id == TYPE_STRING || t->id == TYPE_JSON;
}

bool type_is_temporal(const LmType *t)
{
    return t->id == TYPE_DATE || t->id == TYPE_TIME || t->id == TYPE_TIMESTAMP ||
           t->id == TYPE_TIMESTAMPTZ || t->id == TYPE_INTERVAL;
}

bool type_is_nested(const LmType *t)
{
    return t->id == TYPE_ARRAY || t->id == TYPE_MAP || t->id == TYPE_STRUCT;
}

size_t type_physical_size(const LmType *t)
{
    switch (t->id) {
    case TYPE_BOOL:
    case TYPE_INT8: return 1;
    case TYPE_INT16: return 2;
    case TYPE_INT32:
    case TYPE_DATE:
    case TYPE_FLOAT32:
    case TYPE_OID: return 4;
    case TYPE_INT64:
    case TYPE_FLOAT64:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: return 8;
    case TYPE_DECIMAL: return sizeof(int128);
    case TYPE_UNKNOWN:
    case TYPE_STRING:
    case TYPE_BINARY:
    case TYPE_JSON: return sizeof(StrView);
    case TYPE_INTERVAL: return sizeof(Interval);
    case TYPE_ARRAY:
    case TYPE_MAP: return sizeof(ListEntry);
    case TYPE_STRUCT: return 0;
    default: return 0;
    }
}

/* ------------------------------------------------------------------------
 * type_parse: a small recursive-descent parser over a hand-rolled tokenizer.
 * ------------------------------------------------------------------------ */

#define TYPE_MAX_DEPTH 64
#define VARCHAR_MAX_LENGTH 10485760

typedef enum TokKind { TK_EOF, TK_WORD, TK_QUOTED, TK_NUMBER, TK_PUNCT, TK_BAD } TokKind;

typedef struct TypeParser {
    Arena *arena;
    const char *text;
    int pos; /* next unread byte */
    /* current token */
    TokKind kind;
    int tstart, tlen;
    char punct;
    /* error */
    int errpos;
    const char *errmsg;
    int depth;
} TypeParser;

static void tp_next(TypeParser *p)
{
    const char *s = p->text;
    while (s[p->pos] && isspace((unsigned char)s[p->pos]))
        p->pos++;
    p->tstart = p->pos;
    char c = s[p->pos];
    if (c == '\0') {
        p->kind = TK_EOF;
        p->tlen = 0;
        return;
    }
    if (isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80) {
        while (isalnum((unsigned char)s[p->pos]) || s[p->pos] == '_' || s[p->pos] == '$' ||
               (unsigned char)s[p->pos] >= 0x80)
            p->pos++;
        p->kind = TK_WORD;
    } else if (isdigit((unsigned char)c)) {
        while (isdigit((unsigned char)s[p->pos]))
            p->pos++;
        p->kind = TK_NUMBER;
    } else if (c == '"' || c == '`') {
        char q = c;
        p->pos++;
        for (;;) {
            if (s[p->pos] == '\0') {
                p->kind = TK_BAD;
                p->tlen = p->pos - p->tstart;
                return;
            }
            if (s[p->pos] == q) {
                if (s[p->pos + 1] == q) {
                    p->pos += 2;
                    continue;
                }
                p->pos++;
                break;
            }
            p->pos++;
        }
        p->kind = TK_QUOTED;
    } else if (strchr("<>(),:[].", c)) {
        p->pos++;
        p->kind = TK_PUNCT;
        p->punct = c;
    } else {
        p->pos++;
        p->kind = TK_BAD;
    }
    p->tlen = p->pos - p->tstart;
}

static bool tp_fail(TypeParser *p, int pos, const char *msg)
{
    if (p->errmsg == NULL) {
        p->errpos = pos;
        p->errmsg = msg;
    }
    return false;
}

static bool tp_syntax(TypeParser *p)
{
    return tp_fail(p, p->tstart, "syntax error in type");
}

static bool tp_is_word(TypeParser *p, const char *w)
{
    return p->kind == TK_WORD && (int)strlen(w) == p->tlen &&
           strncasecmp(p->text + p->tstart, w, p->tlen) == 0;
}

static bool tp_is_punct(TypeParser *p, char c)
{
    return p->kind == TK_PUNCT && p->punct == c;
}

static bool tp_accept_word(TypeParser *p, const char *w)
{
    if (tp_is_word(p, w)) {
        tp_next(p);
        return true;
    }
    return false;
}

static bool tp_expect_punct(TypeParser *p, char c)
{
    if (!tp_is_punct(p, c))
        return tp_syntax(p);
    tp_next(p);
    return true;
}

/* Reads a non-negative integer token; false (with error) if absent or huge. */
static bool tp_number(TypeParser *p, long *out)
{
    if (p->kind != TK_NUMBER)
        return tp_syntax(p);
    if (p->tlen > 9)
        return tp_fail(p, p->tstart, "type modifier is out of range");
    *out = strtol(p->text + p->tstart, NULL, 10);
    tp_next(p);
    return true;
}

/* Optional "(n)" after TIME/TIMESTAMP: 0..6, ignored. */
static bool tp_opt_time_precision(TypeParser *p)
{
    if (!tp_is_punct(p, '('))
        return true;
    tp_next(p);
    int pos = p->tstart;
    long n;
    if (!tp_number(p, &n))
        return false;
    if (n > 6)
        return tp_fail(p, pos, "time precision must be between 0 and 6");
    return tp_expect_punct(p, ')');
}

/* Optional "WITH TIME ZONE" / "WITHOUT TIME ZONE"; sets *with_tz when WITH. */
static bool tp_opt_time_zone(TypeParser *p, bool *with_tz)
{
    *with_tz = false;
    if (tp_is_word(p, "with"))
        *with_tz = true;
    else if (!tp_is_word(p, "without"))
        return true;
    tp_next(p);
    if (!tp_accept_word(p, "time"))
        return tp_syntax(p);
    if (!tp_accept_word(p, "zone"))
        return tp_syntax(p);
    return true;
}

static const LmType *tp_type(TypeParser *p);

static const LmType *tp_string_with_length(TypeParser *p, Oid pg_oid)
{
    int precision = -1;
    if (tp_is_punct(p, '(')) {
        tp_next(p);
        int pos = p->tstart;
        long n;
        if (!tp_number(p, &n))
            return NULL;
        if (n < 1) {
            tp_fail(p, pos, "length for type varchar must be at least 1");
            return NULL;
        }
        if (n > 32767) { /* int16 precision field; PostgreSQL's own limit is 10485760 */
            tp_fail(p, pos, "length for type varchar cannot exceed 32767");
            return NULL;
        }
        precision = (int)n;
        if (!tp_expect_punct(p, ')'))
            return NULL;
    }
    LmType *t = type_new(p->arena, TYPE_STRING);
    t->precision = (int16)precision;
    t->pg_oid = pg_oid;
    return t;
}

static const LmType *tp_decimal(TypeParser *p)
{
    long prec = 38, scale = 10;
    if (!tp_is_punct(p, '('))
        return type_numeric_unconstrained(p->arena);
    tp_next(p);
    int ppos = p->tstart;
    if (!tp_number(p, &prec))
        return NULL;
    scale = 0;
    if (prec < 1 || prec > DECIMAL_MAX_PRECISION) {
        tp_fail(p, ppos, arena_printf(p->arena, "DECIMAL precision %ld must be between 1 and %d",
                                      prec, DECIMAL_MAX_PRECISION));
        return NULL;
    }
    if (tp_is_punct(p, ',')) {
        tp_next(p);
        int spos = p->tstart;
        if (!tp_number(p, &scale))
            return NULL;
        if (scale > prec) {
            tp_fail(p, spos,
                    arena_printf(p->arena, "DECIMAL scale %ld must be between 0 and precision %ld",
                                 scale, prec));
            return NULL;
        }
    }
    if (!tp_expect_punct(p, ')'))
        return NULL;
    return type_decimal(p->arena, (int)prec, (int)scale);
}

static const LmType *tp_angle_type(TypeParser *p)
{
    if (!tp_expect_punct(p, '<'))
        return NULL;
    return tp_type(p);
}

static const LmType *tp_struct(TypeParser *p)
{
    if (!tp_expect_punct(p, '<'))
        return NULL;
    int cap = 8, n = 0;
    StructField *fields = arena_new_array(p->arena, StructField, cap);
    if (tp_is_punct(p, '>')) {
        tp_next(p);
        return type_struct(p->arena, 0, fields);
    }
    for (;;) {
        int npos = p->tstart;
        char *name;
        if (p->kind == TK_WORD) {
            name = arena_strndup(p->arena, p->text + p->tstart, p->tlen);
        } else if (p->kind == TK_QUOTED) {
            /* strip the quotes and undouble embedded ones */
            const char *s = p->text + p->tstart;
            char q = s[0];
            name = arena_alloc(p->arena, p->tlen);
            int j = 0;
            for (int i = 1; i < p->tlen - 1; i++) {
                name[j++] = s[i];
                if (s[i] == q)
                    i++;
            }
            name[j] = '\0';
        } else {
            tp_syntax(p);
            return NULL;
        }
        tp_next(p);
        if (tp_is_punct(p, ':'))
            tp_next(p);
        const LmType *ft = tp_type(p);
        if (ft == NULL)
            return NULL;
        for (int i = 0; i < n; i++)
            if (strcmp(fields[i].name, name) == 0) {
                tp_fail(p, npos, arena_printf(p->arena, "duplicate field name \"%s\" in STRUCT", name));
                return NULL;
            }
        if (n == cap) {
            fields = arena_realloc(p->arena, fields, sizeof(StructField) * cap, sizeof(StructField) * cap * 2);
            cap *= 2;
        }
        fields[n].name = name;
        fields[n].type = ft;
        n++;
        if (tp_is_punct(p, ',')) {
            tp_next(p);
            continue;
        }
        if (!tp_expect_punct(p, '>'))
            return NULL;
        break;
    }
    LmType *t = type_new(p->arena, TYPE_STRUCT);
    t->nfields = n;
    t->fields = fields;
    return t;
}

static const LmType *tp_with_oid(TypeParser *p, const LmType *t, Oid oid)
{
    return type_with_pg_oid(p->arena, t, oid);
}

/* A type name without array suffixes. */
static const LmType *tp_base(TypeParser *p)
{
    if (p->kind != TK_WORD) {
        tp_syntax(p);
        return NULL;
    }
    int start = p->tstart;
    /* optional schema qualification pg_catalog. */
    if (tp_is_word(p, "pg_catalog") && p->text[p->pos] == '.') {
        tp_next(p);
        tp_next(p);
        if (p->kind != TK_WORD) {
            tp_syntax(p);
            return NULL;
        }
    }
    char w[32];
    int wl = p->tlen < (int)sizeof(w) - 1 ? p->tlen : (int)sizeof(w) - 1;
    for (int i = 0; i < wl; i++)
        w[i] = (char)tolower((unsigned char)p->text[p->tstart + i]);
    w[wl] = '\0';
    if (p->tlen >= (int)sizeof(w) - 1)
        w[0] = '\0'; /* too long to be a type name */
    int wstart = p->tstart, wlen = p->tlen;
    tp_next(p);

#define IS(s) (strcmp(w, (s)) == 0)
    if (IS("boolean") || IS("bool"))
        return &t_bool;
    if (IS("tinyint") || IS("int1"))
        return &t_int8;
    if (IS("smallint") || IS("int2"))
        return &t_int16;
    if (IS("int") || IS("integer") || IS("int4"))
        return &t_int32;
    if (IS("bigint") || IS("int8") || IS("long"))
        return &t_int64;
    if (IS("real") || IS("float4"))
        return &t_float32;
    if (IS("float")) {
        if (tp_is_punct(p, '(')) {
            tp_next(p);
            int pos = p->tstart;
            long n;
            if (!tp_number(p, &n))
                return NULL;
            if (n < 1) {
                tp_fail(p, pos, "precision for type float must be at least 1 bit");
                return NULL;
            }
            if (n > 53) {
                tp_fail(p, pos, "precision for type float must be less than 54 bits");
                return NULL;
            }
            if (!tp_expect_punct(p, ')'))
                return NULL;
            return n <= 24 ? &t_float32 : &t_float64;
        }
        return &t_float32; /* Laminar: FLOAT is 32-bit (seed 000) */
    }
    if (IS("double")) {
        tp_accept_word(p, "precision");
        return &t_float64;
    }
    if (IS("float8"))
        return &t_float64;
    if (IS("decimal") || IS("numeric") || IS("dec"))
        return tp_decimal(p);
    if (IS("string") || IS("text"))
        return tp_string_with_length(p, 0);
    if (IS("varchar"))
        return tp_string_with_length(p, 0);
    if (IS("character") || IS("char")) {
        if (tp_accept_word(p, "varying"))
            return tp_string_with_length(p, 0);
        /* CHAR without length is CHAR(1) in SQL; we keep it as STRING(1) */
        if (!tp_is_punct(p, '(')) {
            LmType *t = type_new(p->arena, TYPE_STRING);
            t->precision = 1;
            return t;
        }
        return tp_string_with_length(p, 0);
    }
    if (IS("bpchar"))
        return tp_string_with_length(p, 0);
    if (IS("name"))
        return tp_with_oid(p, &t_string, NAMEOID);
    if (IS("binary") || IS("bytea") || IS("varbinary") || IS("bytes") || IS("blob"))
        return &t_binary;
    if (IS("date"))
        return &t_date;
    if (IS("time")) {
        bool tz;
        if (!tp_opt_time_precision(p) || !tp_opt_time_zone(p, &tz))
            return NULL;
        if (tz) {
            tp_fail(p, wstart, "TIME WITH TIME ZONE is not supported");
            return NULL;
        }
        return &t_time;
    }
    if (IS("timestamp")) {
        bool tz;
        if (!tp_opt_time_precision(p) || !tp_opt_time_zone(p, &tz))
            return NULL;
        return tz ? &t_timestamptz : &t_timestamp;
    }
    if (IS("timestamptz")) {
        if (!tp_opt_time_precision(p))
            return NULL;
        return &t_timestamptz;
    }
    if (IS("interval"))
        return &t_interval;
    if (IS("json"))
        return &t_json;
    if (IS("jsonb"))
        return tp_with_oid(p, &t_json, JSONBOID);
    if (IS("oid"))
        return &t_oid;
    if (IS("regclass"))
        return tp_with_oid(p, &t_oid, REGCLASSOID);
    if (IS("regtype"))
        return tp_with_oid(p, &t_oid, REGTYPEOID);
    if (IS("regproc"))
        return tp_with_oid(p, &t_oid, REGPROCOID);
    if (IS("regprocedure"))
        return tp_with_oid(p, &t_oid, REGPROCEDUREOID);
    if (IS("regnamespace"))
        return tp_with_oid(p, &t_oid, REGNAMESPACEOID);
    if (IS("regrole"))
        return tp_with_oid(p, &t_oid, REGROLEOID);
    if (IS("array")) {
        const LmType *e = tp_angle_type(p);
        if (e == NULL || !tp_expect_punct(p, '>'))
            return NULL;
        return type_array(p->arena, e);
    }
    if (IS("map")) {
        const LmType *k = tp_angle_type(p);
        if (k == NULL || !tp_expect_punct(p, ','))
            return NULL;
        const LmType *v = tp_type(p);
        if (v == NULL || !tp_expect_punct(p, '>'))
            return NULL;
        return type_map(p->arena, k, v);
    }
    if (IS("struct") || IS("row"))
        return tp_struct(p);
#undef IS
    (void)start;
    tp_fail(p, wstart, arena_printf(p->arena, "type \"%.*s\" does not exist", wlen, p->text + wstart));
    return NULL;
}

static const LmType *tp_type(TypeParser *p)
{
    if (++p->depth > TYPE_MAX_DEPTH) {
        tp_fail(p, p->tstart, "type nesting is too deep");
        return NULL;
    }
    const LmType *t = tp_base(p);
    if (t == NULL)
        return NULL;
    /* T[] / T[n] / T ARRAY / T ARRAY[n], repeatable */
    for (;;) {
        if (tp_is_punct(p, '[')) {
            tp_next(p);
            if (p->kind == TK_NUMBER)
                tp_next(p);
            if (!tp_expect_punct(p, ']'))
                return NULL;
            t = type_array(p->arena, t);
        } else if (tp_is_word(p, "array") && !(p->text[p->pos] == '<')) {
            tp_next(p);
            if (tp_is_punct(p, '[')) {
                tp_next(p);
                if (p->kind == TK_NUMBER)
                    tp_next(p);
                if (!tp_expect_punct(p, ']'))
                    return NULL;
            }
            t = type_array(p->arena, t);
        } else {
            break;
        }
    }
    p->depth--;
    return t;
}

const LmType *type_parse(Arena *a, const char *text, int *errpos, const char **errmsg_out)
{
    TypeParser p = {.arena = a, .text = text ? text : ""};
    tp_next(&p);
    const LmType *t = NULL;
    if (p.kind == TK_EOF)
        tp_fail(&p, 0, "syntax error in type");
    else {
        t = tp_type(&p);
        if (t != NULL && p.kind != TK_EOF) {
            tp_syntax(&p);
            t = NULL;
        }
    }
    if (t == NULL) {
        if (errpos)
            *errpos = p.errpos;
        if (errmsg_out)
            *errmsg_out = p.errmsg ? p.errmsg : "syntax error in type";
        return NULL;
    }
    return t;
}

/* ------------------------------------------------------------------------
 * Formatting
 * ------------------------------------------------------------------------ */

static bool is_plain_ident(const char *s)
{
    if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (const char *c = s; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_'))
            return false;
    return true;
}

static const char *pg_override_name(Oid oid)
{
    switch (oid) {
    case JSONBOID: return "JSONB";
    case NAMEOID: return "NAME";
    case REGCLASSOID: return "REGCLASS";
    case REGTYPEOID: return "REGTYPE";
    case REGPROCOID: return "REGPROC";
    case REGPROCEDUREOID: return "REGPROCEDURE";
    case REGNAMESPACEOID: return "REGNAMESPACE";
    case REGROLEOID: return "REGROLE";
    default: return NULL;
    }
}

void type_format(const LmType *t, StrBuf *out)
{
    const char *ov = t->pg_oid ? pg_override_name(t->pg_oid) : NULL;
    if (ov && (t->id == TYPE_JSON || t->id == TYPE_STRING || t->id == TYPE_OID)) {
        strbuf_append_str(out, ov);
        return;
    }
    switch (t->id) {
    case TYPE_UNKNOWN: strbuf_append_str(out, "UNKNOWN"); break;
    case TYPE_BOOL: strbuf_append_str(out, "BOOLEAN"); break;
    case TYPE_INT8: strbuf_append_str(out, "TINYINT"); break;
    case TYPE_INT16: strbuf_append_str(out, "SMALLINT"); break;
    case TYPE_INT32: strbuf_append_str(out, "INT"); break;
    case TYPE_INT64: strbuf_append_str(out, "BIGINT"); break;
    case TYPE_FLOAT32: strbuf_append_str(out, "FLOAT"); break;
    case TYPE_FLOAT64: strbuf_append_str(out, "DOUBLE"); break;
    case TYPE_DECIMAL:
        if (t->numeric_trim)
            strbuf_append_str(out, "DECIMAL");
        else
            strbuf_printf(out, "DECIMAL(%d,%d)", t->precision, t->scale);
        break;
    case TYPE_STRING:
        if (t->precision > 0)
            strbuf_printf(out, "VARCHAR(%d)", t->precision);
        else
            strbuf_append_str(out, "STRING");
        break;
    case TYPE_BINARY: strbuf_append_str(out, "BINARY"); break;
    case TYPE_DATE: strbuf_append_str(out, "DATE"); break;
    case TYPE_TIME: strbuf_append_str(out, "TIME"); break;
    case TYPE_TIMESTAMP: strbuf_append_str(out, "TIMESTAMP"); break;
    case TYPE_TIMESTAMPTZ: strbuf_append_str(out, "TIMESTAMPTZ"); break;
    case TYPE_INTERVAL: strbuf_append_str(out, "INTERVAL"); break;
    case TYPE_JSON: strbuf_append_str(out, "JSON"); break;
    case TYPE_OID: strbuf_append_str(out, "OID"); break;
    case TYPE_ARRAY:
        strbuf_append_str(out, "ARRAY<");
        type_format(t->elem, out);
        strbuf_append_char(out, '>');
        break;
    case TYPE_MAP:
        strbuf_append_str(out, "MAP<");
        type_format(t->elem, out);
        strbuf_append_char(out, ',');
        type_format(t->value, out);
        strbuf_append_char(out, '>');
        break;
    case TYPE_STRUCT:
        strbuf_append_str(out, "STRUCT<");
        for (int i = 0; i < t->nfields; i++) {
            if (i > 0)
                strbuf_append_char(out, ',');
            const char *n = t->fields[i].name;
            if (is_plain_ident(n))
                strbuf_append_str(out, n);
            else {
                strbuf_append_char(out, '"');
                for (const char *c = n; *c; c++) {
                    if (*c == '"')
                        strbuf_append_char(out, '"');
                    strbuf_append_char(out, *c);
                }
                strbuf_append_char(out, '"');
            }
            strbuf_append_char(out, ':');
            type_format(t->fields[i].type, out);
        }
        strbuf_append_char(out, '>');
        break;
    default: strbuf_printf(out, "UNRECOGNIZED(%d)", (int)t->id); break;
    }
}

const char *type_name(Arena *a, const LmType *t)
{
    StrBuf b;
    strbuf_init(&b, a);
    type_format(t, &b);
    return b.data;
}

/* ------------------------------------------------------------------------
 * PostgreSQL mapping
 * ------------------------------------------------------------------------ */

/* The scalar OID of a non-array type (override honoured). */
static Oid scalar_pg_oid(const LmType *t)
{
    if (t->pg_oid)
        return t->pg_oid;
    switch (t->id) {
    case TYPE_UNKNOWN: return TEXTOID; /* SELECT NULL is text to clients */
    case TYPE_BOOL: return BOOLOID;
    case TYPE_INT8:
    case TYPE_INT16: return INT2OID;
    case TYPE_INT32: return INT4OID;
    case TYPE_INT64: return INT8OID;
    case TYPE_FLOAT32: return FLOAT4OID;
    case TYPE_FLOAT64: return FLOAT8OID;
    case TYPE_DECIMAL: return NUMERICOID;
    case TYPE_STRING: return t->precision > 0 ? VARCHAROID : TEXTOID;
    case TYPE_BINARY: return BYTEAOID;
    case TYPE_DATE: return DATEOID;
    case TYPE_TIME: return TIMEOID;
    case TYPE_TIMESTAMP: return TIMESTAMPOID;
    case TYPE_TIMESTAMPTZ: return TIMESTAMPTZOID;
    case TYPE_INTERVAL: return INTERVALOID;
    case TYPE_JSON: return JSONOID;
    case TYPE_OID: return OIDOID;
    case TYPE_MAP:
    case TYPE_STRUCT: return JSONOID;
    default: return TEXTOID;
    }
}

static const struct {
    Oid elem, array;
} pg_array_oids[] = {
    {BOOLOID, BOOLARRAYOID},
    {BYTEAOID, BYTEAARRAYOID},
    {CHAROID, CHARARRAYOID},
    {NAMEOID, NAMEARRAYOID},
    {INT2OID, INT2ARRAYOID},
    {INT4OID, INT4ARRAYOID},
    {TEXTOID, TEXTARRAYOID},
    {VARCHAROID, VARCHARARRAYOID},
    {BPCHAROID, BPCHARARRAYOID},
    {INT8OID, INT8ARRAYOID},
    {FLOAT4OID, FLOAT4ARRAYOID},
    {FLOAT8OID, FLOAT8ARRAYOID},
    {OIDOID, OIDARRAYOID},
    {TIMESTAMPOID, TIMESTAMPARRAYOID},
    {DATEOID, DATEARRAYOID},
    {TIMEOID, TIMEARRAYOID},
    {TIMESTAMPTZOID, TIMESTAMPTZARRAYOID},
    {INTERVALOID, INTERVALARRAYOID},
    {NUMERICOID, NUMERICARRAYOID},
    {JSONOID, JSONARRAYOID},
    {JSONBOID, JSONBARRAYOID},
    {REGPROCOID, REGPROCARRAYOID},
    {REGCLASSOID, REGCLASSARRAYOID},
    {REGTYPEOID, REGTYPEARRAYOID},
    {REGPROCEDUREOID, REGPROCEDUREARRAYOID},
    {REGNAMESPACEOID, REGNAMESPACEARRAYOID},
    {REGROLEOID, REGROLEARRAYOID},
};

/* Innermost non-array element of (possibly nested) arrays. */
static const LmType *array_base(const LmType *t)
{
    while (t->id == TYPE_ARRAY && t->pg_oid == 0)
        t = t->elem;
    return t;
}

Oid type_pg_oid(const LmType *t)
{
    if (t->id != TYPE_ARRAY)
        return scalar_pg_oid(t);
    if (t->pg_oid)
        return t->pg_oid; /* int2vector, oidvector */
    Oid e = scalar_pg_oid(array_base(t));
    for (size_t i = 0; i < LM_ARRAY_LEN(pg_array_oids); i++)
        if (pg_array_oids[i].elem == e)
            return pg_array_oids[i].array;
    return TEXTARRAYOID;
}

int16 type_pg_typlen(const LmType *t)
{
    switch (type_pg_oid(t)) {
    case BOOLOID:
    case CHAROID: return 1;
    case INT2OID: return 2;
    case INT4OID:
    case FLOAT4OID:
    case DATEOID:
    case OIDOID:
    case REGPROCOID:
    case REGCLASSOID:
    case REGTYPEOID:
    case REGPROCEDUREOID:
    case REGNAMESPACEOID:
    case REGROLEOID: return 4;
    case INT8OID:
    case FLOAT8OID:
    case TIMEOID:
    case TIMESTAMPOID:
    case TIMESTAMPTZOID: return 8;
    case INTERVALOID: return 16;
    case NAMEOID: return 64;
    default: return -1;
    }
}

int32 type_pg_typmod(const LmType *t)
{
    if (t->id == TYPE_ARRAY && t->pg_oid == 0)
        return type_pg_typmod(array_base(t));
    if (t->id == TYPE_DECIMAL)
        return t->numeric_trim ? -1 : ((t->precision << 16) | t->scale) + 4;
    if (t->id == TYPE_STRING && t->precision > 0 && (t->pg_oid == 0 || t->pg_oid == VARCHAROID || t->pg_oid == BPCHAROID))
        return t->precision + 4;
    return -1;
}

static void pg_scalar_format(const LmType *t, StrBuf *out)
{
    switch (scalar_pg_oid(t)) {
    case BOOLOID: strbuf_append_str(out, "boolean"); break;
    case BYTEAOID: strbuf_append_str(out, "bytea"); break;
    case CHAROID: strbuf_append_str(out, "\"char\""); break;
    case NAMEOID: strbuf_append_str(out, "name"); break;
    case INT2OID: strbuf_append_str(out, "smallint"); break;
    case INT4OID: strbuf_append_str(out, "integer"); break;
    case INT8OID: strbuf_append_str(out, "bigint"); break;
    case TEXTOID: strbuf_append_str(out, "text"); break;
    case OIDOID: strbuf_append_str(out, "oid"); break;
    case JSONOID: strbuf_append_str(out, "json"); break;
    case JSONBOID: strbuf_append_str(out, "jsonb"); break;
    case FLOAT4OID: strbuf_append_str(out, "real"); break;
    case FLOAT8OID: strbuf_append_str(out, "double precision"); break;
    case BPCHAROID:
        if (t->precision > 0)
            strbuf_printf(out, "character(%d)", t->precision);
        else
            strbuf_append_str(out, "bpchar");
        break;
    case VARCHAROID:
        if (t->precision > 0)
            strbuf_printf(out, "character varying(%d)", t->precision);
        else
            strbuf_append_str(out, "character varying");
        break;
    case DATEOID: strbuf_append_str(out, "date"); break;
    case TIMEOID: strbuf_append_str(out, "time without time zone"); break;
    case TIMESTAMPOID: strbuf_append_str(out, "timestamp without time zone"); break;
    case TIMESTAMPTZOID: strbuf_append_str(out, "timestamp with time zone"); break;
    case INTERVALOID: strbuf_append_str(out, "interval"); break;
    case NUMERICOID:
        if (t->id == TYPE_DECIMAL && !t->numeric_trim)
            strbuf_printf(out, "numeric(%d,%d)", t->precision, t->scale);
        else
            strbuf_append_str(out, "numeric");
        break;
    case REGPROCOID: strbuf_append_str(out, "regproc"); break;
    case REGCLASSOID: strbuf_append_str(out, "regclass"); break;
    case REGTYPEOID: strbuf_append_str(out, "regtype"); break;
    case REGPROCEDUREOID: strbuf_append_str(out, "regprocedure"); break;
    case REGNAMESPACEOID: strbuf_append_str(out, "regnamespace"); break;
    case REGROLEOID: strbuf_append_str(out, "regrole"); break;
    case INT2VECTOROID: strbuf_append_str(out, "int2vector"); break;
    case OIDVECTOROID: strbuf_append_str(out, "oidvector"); break;
    case UNKNOWNOID: strbuf_append_str(out, "unknown"); break;
    case VOIDOID: strbuf_append_str(out, "void"); break;
    case RECORDOID: strbuf_append_str(out, "record"); break;
    default: strbuf_append_str(out, "text"); break;
    }
}

void type_pg_format(const LmType *t, StrBuf *out)
{
    if (t->id == TYPE_ARRAY && t->pg_oid == 0) {
        pg_scalar_format(array_base(t), out);
        strbuf_append_str(out, "[]");
        return;
    }
    pg_scalar_format(t, out);
}

const LmType *type_from_pg_oid(Arena *a, Oid oid, int32 typmod)
{
    switch (oid) {
    case BOOLOID: return &t_bool;
    case BYTEAOID: return &t_binary;
    case CHAROID: return type_with_pg_oid(a, &t_string, CHAROID);
    case NAMEOID: return type_with_pg_oid(a, &t_string, NAMEOID);
    case INT8OID: return &t_int64;
    case INT2OID: return &t_int16;
    case INT4OID: return &t_int32;
    case TEXTOID: return &t_string;
    case OIDOID: return &t_oid;
    case JSONOID: return &t_json;
    case JSONBOID: return type_with_pg_oid(a, &t_json, JSONBOID);
    case FLOAT4OID: return &t_float32;
    case FLOAT8OID: return &t_float64;
    case UNKNOWNOID: return &t_unknown;
    case BPCHAROID:
    case VARCHAROID: {
        LmType *t = type_new(a, TYPE_STRING);
        if (typmod >= 5 && typmod - 4 <= 32767)
            t->precision = (int16)(typmod - 4);
        t->pg_oid = oid; /* keeps varchar (no length) distinct from text on the wire */
        return t;
    }
    case DATEOID: return &t_date;
    case TIMEOID: return &t_time;
    case TIMESTAMPOID: return &t_timestamp;
    case TIMESTAMPTZOID: return &t_timestamptz;
    case INTERVALOID: return &t_interval;
    case NUMERICOID: {
        if (typmod >= 4) {
            int p = ((typmod - 4) >> 16) & 0xffff, s = (typmod - 4) & 0xffff;
            if (p >= 1 && p <= DECIMAL_MAX_PRECISION && s <= p)
                return type_decimal(a, p, s);
        }
        return type_numeric_unconstrained(a);
    }
    case REGPROCOID:
    case REGCLASSOID:
    case REGTYPEOID:
    case REGPROCEDUREOID:
    case REGNAMESPACEOID:
    case REGROLEOID: return type_with_pg_oid(a, &t_oid, oid);
    case INT2VECTOROID: return type_with_pg_oid(a, type_array(a, &t_int16), INT2VECTOROID);
    case OIDVECTOROID: return type_with_pg_oid(a, type_array(a, &t_oid), OIDVECTOROID);
    default: break;
    }
    for (size_t i = 0; i < LM_ARRAY_LEN(pg_array_oids); i++)
        if (pg_array_oids[i].array == oid) {
            const LmType *e = type_from_pg_oid(a, pg_array_oids[i].elem, typmod);
            return e ? type_array(a, e) : NULL;
        }
    return NULL;
}
