/*
 * test_types.c: unit tests for common/types.c, vector.c and the value I/O
 * (value_io.c, datetime.c, numeric.c).
 *
 * Covers type_parse/type_format round trips and errors (including random
 * garbage), the PostgreSQL type mapping, every type's text and binary round
 * trip, and PostgreSQL 15's exact text output for the tricky cases (floats,
 * intervals, timestamps with fractions, numerics, arrays with NULLs and
 * quoting).  Expected strings were checked against a real PostgreSQL 15 with
 * DateStyle ISO, MDY, IntervalStyle postgres and TimeZone UTC; binary
 * expectations are PostgreSQL's *_send output.
 *
 * Prints TAP-style "ok N - desc" / "not ok N - desc"; exits nonzero on failure.
 *
 * lmtest-libs: common/libcommon.a
 */
#include "common/datetime.h"
#include "common/error.h"
#include "common/numeric.h"
#include "common/vector.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int ntests, nfailed;
static Arena *arena;

static void check(bool cond, const char *fmt, ...) LM_PRINTF(2, 3);
static void check(bool cond, const char *fmt, ...)
{
    va_list ap;
    ntests++;
    if (!cond)
        nfailed++;
    printf("%sok %d - ", cond ? "" : "not ", ntests);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static const LmType *T(const char *s)
{
    int pos;
    const char *msg;
    const LmType *t = type_parse(arena, s, &pos, &msg);
    if (t == NULL) {
        fprintf(stderr, "type_parse(%s) failed: %s at %d\n", s, msg, pos);
        abort();
    }
    return t;
}

static const char *fmt_type(const LmType *t)
{
    return type_name(arena, t);
}

static const char *pg_fmt(const LmType *t)
{
    StrBuf b;
    strbuf_init(&b, arena);
    type_pg_format(t, &b);
    return b.data;
}

/* ---- type_parse / type_format ---- */

static void test_type_parse(void)
{
    static const struct {
        const char *in, *canon;
    } cases[] = {
        {"BOOLEAN", "BOOLEAN"},
        {"bool", "BOOLEAN"},
        {"TINYINT", "TINYINT"},
        {"smallint", "SMALLINT"},
        {"int2", "SMALLINT"},
        {"INT", "INT"},
        {"Integer", "INT"},
        {"int4", "INT"},
        {"BIGINT", "BIGINT"},
        {"int8", "BIGINT"},
        {"FLOAT", "FLOAT"},
        {"real", "FLOAT"},
        {"float4", "FLOAT"},
        {"float(24)", "FLOAT"},
        {"float(25)", "DOUBLE"},
        {"DOUBLE", "DOUBLE"},
        {"double   precision", "DOUBLE"},
        {"float8", "DOUBLE"},
        {"DECIMAL(10,2)", "DECIMAL(10,2)"},
        {"numeric ( 10 , 2 )", "DECIMAL(10,2)"},
        {"decimal(5)", "DECIMAL(5,0)"},
        {"DECIMAL", "DECIMAL"}, /* unconstrained: DECIMAL(38,10), trailing zeros trimmed */
        {"numeric(38,38)", "DECIMAL(38,38)"},
        {"STRING", "STRING"},
        {"text", "STRING"},
        {"VARCHAR", "STRING"},
        {"varchar(20)", "VARCHAR(20)"},
        {"character varying(20)", "VARCHAR(20)"},
        {"CHAR(3)", "VARCHAR(3)"},
        {"BINARY", "BINARY"},
        {"bytea", "BINARY"},
        {"varbinary", "BINARY"},
        {"DATE", "DATE"},
        {"TIME", "TIME"},
        {"time without time zone", "TIME"},
        {"TIMESTAMP", "TIMESTAMP"},
        {"timestamp(3) without time zone", "TIMESTAMP"},
        {"timestamp with time zone", "TIMESTAMPTZ"},
        {"TIMESTAMPTZ", "TIMESTAMPTZ"},
        {"INTERVAL", "INTERVAL"},
        {"JSON", "JSON"},
        {"jsonb", "JSONB"},
        {"ARRAY<INT>", "ARRAY<INT>"},
        {"array < array<string> >", "ARRAY<ARRAY<STRING>>"},
        {"int[]", "ARRAY<INT>"},
        {"int[][]", "ARRAY<ARRAY<INT>>"},
        {"text[3]", "ARRAY<STRING>"},
        {"int array", "ARRAY<INT>"},
        {"MAP<STRING,INT>", "MAP<STRING,INT>"},
        {"map<string, array<double>>", "MAP<STRING,ARRAY<DOUBLE>>"},
        {"STRUCT<name:STRING,age:INT>", "STRUCT<name:STRING,age:INT>"},
        {"struct<name string, Age int>", "STRUCT<name:STRING,Age:INT>"},
        {"STRUCT<\"a b\": INT, \"x\"\"y\":BIGINT>", "STRUCT<\"a b\":INT,\"x\"\"y\":BIGINT>"},
        {"STRUCT<a:STRUCT<b:MAP<STRING,INT[]>>>", "STRUCT<a:STRUCT<b:MAP<STRING,ARRAY<INT>>>>"},
        {"struct<>", "STRUCT<>"},
        {"oid", "OID"},
        {"regclass", "REGCLASS"},
        {"name", "NAME"},
        {"pg_catalog.int4", "INT"},
        {"  bigint  ", "BIGINT"},
    };
    for (size_t i = 0; i < LM_ARRAY_LEN(cases); i++) {
        int pos = -1;
        const char *msg = NULL;
        const LmType *t = type_parse(arena, cases[i].in, &pos, &msg);
        const char *got = t ? fmt_type(t) : msg;
        check(t && strcmp(got, cases[i].canon) == 0, "type_parse(%s) = %s (got %s)", cases[i].in, cases[i].canon,
              got);
        if (t) {
            const LmType *t2 = type_parse(arena, got, &pos, &msg);
            check(t2 && type_equal(t, t2) && strcmp(fmt_type(t2), got) == 0 && type_pg_oid(t) == type_pg_oid(t2),
                  "round trip %s", got);
            const LmType *c = type_copy(arena, t);
            check(type_equal(c, t) && strcmp(fmt_type(c), got) == 0, "type_copy %s", got);
        }
    }

    static const struct {
        const char *in;
        int pos;
        const char *msg;
    } errs[] = {
        {"foo", 0, "type \"foo\" does not exist"},
        {"ARRAY<foo>", 6, "type \"foo\" does not exist"},
        {"MAP<INT>", 7, "syntax error in type"},
        {"", 0, "syntax error in type"},
        {"INT INT", 4, "syntax error in type"},
        {"DECIMAL(39,2)", 8, "DECIMAL precision 39 must be between 1 and 38"},
        {"DECIMAL(0)", 8, "DECIMAL precision 0 must be between 1 and 38"},
        {"DECIMAL(5,6)", 10, "DECIMAL scale 6 must be between 0 and precision 5"},
        {"varchar(0)", 8, "length for type varchar must be at least 1"},
        {"STRUCT<a:INT,a:INT>", 13, "duplicate field name \"a\" in STRUCT"},
        {"STRUCT<a:INT", 12, "syntax error in type"},
        {"int[", 4, "syntax error in type"},
        {"float(54)", 6, "precision for type float must be less than 54 bits"},
        {"ARRAY<INT>>", 10, "syntax error in type"},
        {"\"int\"", 0, "syntax error in type"},
    };
    for (size_t i = 0; i < LM_ARRAY_LEN(errs); i++) {
        int pos = -1;
        const char *msg = NULL;
        const LmType *t = type_parse(arena, errs[i].in, &pos, &msg);
        check(t == NULL && msg && strcmp(msg, errs[i].msg) == 0 && pos == errs[i].pos,
              "type_parse error for '%s': %s at %d (got %s at %d)", errs[i].in, errs[i].msg, errs[i].pos,
              msg ? msg : "(none)", pos);
    }

    /* garbage never crashes; deep nesting is refused */
    srand(42);
    static const char alphabet[] = "<>(),:[]. \"aAiInNtTrRyYsSmMpP0123456789_-x";
    int parsed = 0;
    for (int iter = 0; iter < 200000; iter++) {
        char buf[40];
        int n = rand() % 39;
        for (int k = 0; k < n; k++)
            buf[k] = rand() % 8 == 0 ? (char)(rand() % 255 + 1) : alphabet[rand() % (sizeof(alphabet) - 1)];
        buf[n] = '\0';
        int pos = -1;
        const char *msg = NULL;
        const LmType *t = type_parse(arena, buf, &pos, &msg);
        if (t) {
            parsed++;
            const LmType *t2 = type_parse(arena, fmt_type(t), &pos, &msg);
            if (!t2 || !type_equal(t, t2)) {
                check(false, "random type '%s' round trip", buf);
                break;
            }
        } else if (msg == NULL || pos < 0 || pos > n) {
            check(false, "random type '%s' error position %d", buf, pos);
            break;
        }
        if ((iter & 1023) == 0)
            arena_reset(arena);
    }
    check(true, "200000 random type strings (%d parsed) without crash", parsed);
    {
        StrBuf b;
        strbuf_init(&b, arena);
        for (int i = 0; i < 5000; i++)
            strbuf_append_str(&b, "ARRAY<");
        int pos = 0;
        const char *msg = NULL;
        const LmType *deep = type_parse(arena, b.data, &pos, &msg);
        check(deep == NULL && msg != NULL, "deep nesting refused: %s", msg ? msg : "");
    }
    check(type_equal(T("json"), T("jsonb")), "JSON equals JSONB logically");
    check(!type_equal(T("decimal(10,2)"), T("decimal(10,3)")), "DECIMAL scale matters");
    check(!type_equal(T("struct<a:int>"), T("struct<b:int>")), "STRUCT field names matter");
}

static void test_pg_mapping(void)
{
    static const struct {
        const char *type;
        Oid oid;
        int typlen;
        int typmod;
        const char *pgname;
    } cases[] = {
        {"BOOLEAN", BOOLOID, 1, -1, "boolean"},
        {"TINYINT", INT2OID, 2, -1, "smallint"},
        {"SMALLINT", INT2OID, 2, -1, "smallint"},
        {"INT", INT4OID, 4, -1, "integer"},
        {"BIGINT", INT8OID, 8, -1, "bigint"},
        {"FLOAT", FLOAT4OID, 4, -1, "real"},
        {"DOUBLE", FLOAT8OID, 8, -1, "double precision"},
        {"DECIMAL(10,2)", NUMERICOID, -1, (10 << 16 | 2) + 4, "numeric(10,2)"},
        {"STRING", TEXTOID, -1, -1, "text"},
        {"VARCHAR(20)", VARCHAROID, -1, 24, "character varying(20)"},
        {"BINARY", BYTEAOID, -1, -1, "bytea"},
        {"DATE", DATEOID, 4, -1, "date"},
        {"TIME", TIMEOID, 8, -1, "time without time zone"},
        {"TIMESTAMP", TIMESTAMPOID, 8, -1, "timestamp without time zone"},
        {"TIMESTAMPTZ", TIMESTAMPTZOID, 8, -1, "timestamp with time zone"},
        {"INTERVAL", INTERVALOID, 16, -1, "interval"},
        {"JSON", JSONOID, -1, -1, "json"},
        {"JSONB", JSONBOID, -1, -1, "jsonb"},
        {"OID", OIDOID, 4, -1, "oid"},
        {"NAME", NAMEOID, 64, -1, "name"},
        {"REGCLASS", REGCLASSOID, 4, -1, "regclass"},
        {"ARRAY<INT>", INT4ARRAYOID, -1, -1, "integer[]"},
        {"ARRAY<ARRAY<INT>>", INT4ARRAYOID, -1, -1, "integer[]"},
        {"ARRAY<TINYINT>", INT2ARRAYOID, -1, -1, "smallint[]"},
        {"ARRAY<STRING>", TEXTARRAYOID, -1, -1, "text[]"},
        {"ARRAY<DECIMAL(10,2)>", NUMERICARRAYOID, -1, (10 << 16 | 2) + 4, "numeric(10,2)[]"},
        {"ARRAY<TIMESTAMPTZ>", TIMESTAMPTZARRAYOID, -1, -1, "timestamp with time zone[]"},
        {"ARRAY<MAP<STRING,INT>>", JSONARRAYOID, -1, -1, "json[]"},
        {"MAP<STRING,INT>", JSONOID, -1, -1, "json"},
        {"STRUCT<a:INT>", JSONOID, -1, -1, "json"},
    };
    for (size_t i = 0; i < LM_ARRAY_LEN(cases); i++) {
        const LmType *t = T(cases[i].type);
        check(type_pg_oid(t) == cases[i].oid && type_pg_typlen(t) == cases[i].typlen &&
                  type_pg_typmod(t) == cases[i].typmod && strcmp(pg_fmt(t), cases[i].pgname) == 0,
              "pg mapping of %s: oid %u len %d typmod %d '%s' (got %u %d %d '%s')", cases[i].type, cases[i].oid,
              cases[i].typlen, cases[i].typmod, cases[i].pgname, type_pg_oid(t), type_pg_typlen(t),
              type_pg_typmod(t), pg_fmt(t));
    }
    static const Oid oids[] = {BOOLOID, BYTEAOID, CHAROID, NAMEOID, INT8OID, INT2OID, INT2VECTOROID, INT4OID,
                               REGPROCOID, TEXTOID, OIDOID, OIDVECTOROID, JSONOID, FLOAT4OID, FLOAT8OID,
                               BPCHAROID, VARCHAROID, DATEOID, TIMEOID, TIMESTAMPOID, TIMESTAMPTZOID,
                               INTERVALOID, NUMERICOID, REGCLASSOID, REGTYPEOID, REGPROCEDUREOID,
                               REGNAMESPACEOID, REGROLEOID, JSONBOID, BOOLARRAYOID, BYTEAARRAYOID,
                               INT2ARRAYOID, INT4ARRAYOID, TEXTARRAYOID, VARCHARARRAYOID, INT8ARRAYOID,
                               FLOAT4ARRAYOID, FLOAT8ARRAYOID, OIDARRAYOID, TIMESTAMPARRAYOID, DATEARRAYOID,
                               TIMEARRAYOID, TIMESTAMPTZARRAYOID, INTERVALARRAYOID, NUMERICARRAYOID,
                               JSONARRAYOID, JSONBARRAYOID};
    int bad = 0;
    for (size_t i = 0; i < LM_ARRAY_LEN(oids); i++) {
        const LmType *t = type_from_pg_oid(arena, oids[i], -1);
        if (t == NULL || type_pg_oid(t) != oids[i]) {
            bad++;
            fprintf(stderr, "type_from_pg_oid(%u) -> %u\n", oids[i], t ? type_pg_oid(t) : 0);
        }
    }
    check(bad == 0, "type_from_pg_oid maps back to the same OID for %zu OIDs", LM_ARRAY_LEN(oids));
    const LmType *n = type_from_pg_oid(arena, NUMERICOID, (12 << 16 | 3) + 4);
    check(n && n->precision == 12 && n->scale == 3, "numeric typmod decodes to DECIMAL(12,3)");
    const LmType *vc = type_from_pg_oid(arena, VARCHAROID, 14);
    check(vc && vc->precision == 10 && type_pg_typmod(vc) == 14, "varchar(10) typmod round trip");
    check(type_from_pg_oid(arena, 999999, -1) == NULL, "unknown OID gives NULL");
    check(type_physical_size(T("int")) == 4 && type_physical_size(T("decimal(10,2)")) == 16 &&
              type_physical_size(T("string")) == sizeof(StrView) && type_physical_size(T("interval")) == 16 &&
              type_physical_size(T("array<int>")) == sizeof(ListEntry) &&
              type_physical_size(T("struct<a:int>")) == 0,
          "type_physical_size");
    check(type_is_numeric(T("decimal(3,1)")) && type_is_integer(T("tinyint")) && !type_is_integer(T("float")) &&
              type_is_temporal(T("interval")) && type_is_nested(T("map<int,int>")) &&
              type_is_string_like(T("json")) && !type_is_string_like(T("binary")),
          "type predicates");
}

/* ---- values ---- */

/* Parses text into a fresh vector; returns the formatted text, or "ERROR sqlstate: message". */
static const char *text_roundtrip(const LmType *t, const char *in, bool *binary_ok)
{
    Vector v;
    vector_init(&v, arena, t, 4);
    volatile const char *result = NULL;
    LM_TRY();
    {
        value_parse_text(&v, arena, 1, in, strlen(in));
        StrBuf out;
        strbuf_init(&out, arena);
        value_format_text(&v, 1, &out);
        result = out.data;
        if (binary_ok) {
            StrBuf bin, out2;
            strbuf_init(&bin, arena);
            strbuf_init(&out2, arena);
            value_format_binary(&v, 1, &bin);
            Vector w;
            vector_init(&w, arena, t, 2);
            value_parse_binary(&w, arena, 0, bin.data, bin.len);
            value_format_text(&w, 0, &out2);
            *binary_ok = strcmp(out2.data, out.data) == 0;
            if (!*binary_ok)
                fprintf(stderr, "binary round trip of %s: %s != %s\n", in, out2.data, out.data);
        }
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        result = arena_printf(arena, "ERROR %s: %s", e->sqlstate, e->message);
        if (binary_ok)
            *binary_ok = false;
        error_clear();
    }
    LM_END_TRY();
    return (const char *)result;
}

static void T_OUT(const char *type, const char *in, const char *want)
{
    const LmType *t = T(type);
    bool bin_ok = false;
    const char *got = text_roundtrip(t, in, strncmp(want, "ERROR", 5) == 0 ? NULL : &bin_ok);
    bool good = strcmp(got, want) == 0;
    if (strncmp(want, "ERROR", 5) == 0)
        check(good, "%s '%s' -> %s (got %s)", type, in, want, got);
    else
        check(good && bin_ok, "%s '%s' -> '%s' (got '%s')%s", type, in, want, got,
              bin_ok ? "" : " [binary round trip failed]");
}

/* Binary output compared with PostgreSQL's *_send, as hex. */
static void T_BIN(const char *type, const char *in, const char *want_hex)
{
    const LmType *t = T(type);
    Vector v;
    vector_init(&v, arena, t, 1);
    StrBuf bin, hex;
    strbuf_init(&bin, arena);
    strbuf_init(&hex, arena);
    LM_TRY();
    {
        value_parse_text(&v, arena, 0, in, strlen(in));
        value_format_binary(&v, 0, &bin);
    }
    LM_CATCH();
    {
        error_clear();
    }
    LM_END_TRY();
    for (size_t i = 0; i < bin.len; i++)
        strbuf_printf(&hex, "%02x", (uint8)bin.data[i]);
    check(strcmp(hex.data, want_hex) == 0, "%s '%s' binary = %s (got %s)", type, in, want_hex, hex.data);
}

static void test_scalars(void)
{
    T_OUT("boolean", "t", "t");
    T_OUT("boolean", "  TRUE ", "t");
    T_OUT("boolean", "yes", "t");
    T_OUT("boolean", "on", "t");
    T_OUT("boolean", "1", "t");
    T_OUT("boolean", "f", "f");
    T_OUT("boolean", "Off", "f");
    T_OUT("boolean", "no", "f");
    T_OUT("boolean", "0", "f");
    T_OUT("boolean", "maybe", "ERROR 22P02: invalid input syntax for type boolean: \"maybe\"");
    T_OUT("boolean", "o", "ERROR 22P02: invalid input syntax for type boolean: \"o\"");

    T_OUT("int", "42", "42");
    T_OUT("int", " -2147483648 ", "-2147483648");
    T_OUT("int", "2147483647", "2147483647");
    T_OUT("int", "2147483648", "ERROR 22003: value \"2147483648\" is out of range for type integer");
    T_OUT("int", "12a", "ERROR 22P02: invalid input syntax for type integer: \"12a\"");
    T_OUT("int", "", "ERROR 22P02: invalid input syntax for type integer: \"\"");
    T_OUT("int", "+7", "7");
    T_OUT("smallint", "-32768", "-32768");
    T_OUT("smallint", "32768", "ERROR 22003: value \"32768\" is out of range for type smallint");
    T_OUT("tinyint", "-128", "-128");
    T_OUT("tinyint", "128", "ERROR 22003: value \"128\" is out of range for type tinyint");
    T_OUT("bigint", "-9223372036854775808", "-9223372036854775808");
    T_OUT("bigint", "9223372036854775807", "9223372036854775807");
    T_OUT("bigint", "9223372036854775808", "ERROR 22003: value \"9223372036854775808\" is out of range for type bigint");
    T_OUT("bigint", "99999999999999999999999", "ERROR 22003: value \"99999999999999999999999\" is out of range for type bigint");
    T_OUT("oid", "4294967295", "4294967295");
    T_OUT("oid", "-1", "4294967295");

    /* floats: PostgreSQL 12+ shortest round-trip output */
    T_OUT("double", "0.1", "0.1");
    T_OUT("double", "1e100", "1e+100");
    T_OUT("double", "1.5e-7", "1.5e-07");
    T_OUT("double", "0.0001", "0.0001");
    T_OUT("double", "0.00001", "1e-05");
    T_OUT("double", "123456789012345", "123456789012345");
    T_OUT("double", "1234567890123456", "1.234567890123456e+15");
    T_OUT("double", "3.14159265359", "3.14159265359");
    T_OUT("double", "0.30000000000000004", "0.30000000000000004");
    T_OUT("double", "-2.5", "-2.5");
    T_OUT("double", "-0", "-0");
    T_OUT("double", "100", "100");
    T_OUT("double", "1.7976931348623157e308", "1.7976931348623157e+308");
    T_OUT("double", "5e-324", "5e-324");
    T_OUT("double", "NaN", "NaN");
    T_OUT("double", "infinity", "Infinity");
    T_OUT("double", "-inf", "-Infinity");
    T_OUT("double", "1e400", "ERROR 22003: \"1e400\" is out of range for type double precision");
    T_OUT("double", "abc", "ERROR 22P02: invalid input syntax for type double precision: \"abc\"");
    T_OUT("float", "3.14", "3.14");
    T_OUT("float", "0.1", "0.1");
    T_OUT("float", "1e6", "1e+06");
    T_OUT("float", "123456", "123456");
    T_OUT("float", "16777217", "1.6777216e+07");
    T_OUT("float", "1.5e-7", "1.5e-07");
    T_OUT("float", "1e39", "ERROR 22003: \"1e39\" is out of range for type real");

    /* numeric */
    T_OUT("decimal(10,2)", "123.45", "123.45");
    T_OUT("decimal(10,2)", "123.456", "123.46");
    T_OUT("decimal(10,2)", "123.455", "123.46");
    T_OUT("decimal(10,2)", "-123.455", "-123.46");
    T_OUT("decimal(10,2)", "-0.001", "0.00");
    T_OUT("decimal(10,2)", "-0.005", "-0.01");
    T_OUT("decimal(10,2)", "5", "5.00");
    T_OUT("decimal(10,2)", "0", "0.00");
    T_OUT("decimal(10,2)", " 1.5e3 ", "1500.00");
    T_OUT("decimal(10,2)", ".5", "0.50");
    T_OUT("decimal(10,2)", "12345678.99", "12345678.99");
    T_OUT("decimal(10,2)", "123456789", "ERROR 22003: numeric field overflow");
    T_OUT("decimal(10,2)", "99999999.995", "ERROR 22003: numeric field overflow");
    T_OUT("decimal(10,2)", "1.2.3", "ERROR 22P02: invalid input syntax for type numeric: \"1.2.3\"");
    T_OUT("decimal(10,2)", "", "ERROR 22P02: invalid input syntax for type numeric: \"\"");
    T_OUT("decimal(5,0)", "12345.5", "12346");
    T_OUT("decimal(5,0)", "99999.5", "ERROR 22003: numeric field overflow");
    T_OUT("decimal(5,0)", "-12344.5", "-12345");
    T_OUT("decimal(3,3)", "0.1234", "0.123");
    T_OUT("decimal(38,0)", "99999999999999999999999999999999999999", "99999999999999999999999999999999999999");
    T_OUT("decimal(38,0)", "-99999999999999999999999999999999999999", "-99999999999999999999999999999999999999");
    T_OUT("decimal(38,38)", "0.12345678901234567890123456789012345678", "0.12345678901234567890123456789012345678");
    T_OUT("decimal", "3.14", "3.14"); /* unconstrained: no trailing zeros */
    T_OUT("decimal", "40", "40");
    T_OUT("decimal", "1e3", "1000");
    T_OUT("decimal", "-0.5000", "-0.5");
    T_OUT("decimal(10,4)", "0.0000000000000000000000000000000000000000001", "0.0000");
    T_OUT("decimal(10,4)", "1e-3", "0.0010");
    T_BIN("decimal(10,2)", "123.45", "0002000000000002007b1194");
    T_BIN("decimal(10,2)", "0", "0000000000000002");
    T_BIN("decimal(10,2)", "-0.01", "0001ffff400000020064");
    T_BIN("decimal(20,0)", "10000", "0001000100000000" "0001");
    T_BIN("decimal(20,5)", "12345678.9", "0003000100000005" "04d2" "162e" "2328");
    T_BIN("decimal(38,0)", "99999999999999999999999999999999999999", "000a0009000000000063270f270f270f270f270f270f270f270f270f");

    /* strings, bytea */
    T_OUT("string", "hello world", "hello world");
    T_OUT("string", "", "");
    T_OUT("varchar(3)", "abc", "abc");
    T_OUT("varchar(3)", "abc  ", "abc");
    T_OUT("varchar(3)", "h\xc3\xa9h", "h\xc3\xa9h");
    T_OUT("varchar(3)", "abcd", "ERROR 22001: value too long for type character varying(3)");
    T_OUT("binary", "\\x4869", "\\x4869");
    T_OUT("binary", "\\x 48 69", "\\x4869");
    T_OUT("binary", "Hi", "\\x4869");
    T_OUT("binary", "a\\\\b\\001", "\\x615c6201");
    T_OUT("binary", "", "\\x");
    T_OUT("binary", "\\x4", "ERROR 22023: invalid hexadecimal data: odd number of digits");
    T_OUT("binary", "\\xzz", "ERROR 22023: invalid hexadecimal digit: \"z\"");
    T_OUT("binary", "a\\9", "ERROR 22P02: invalid input syntax for type bytea");

    /* json */
    T_OUT("json", "{\"key\": \"value\"}", "{\"key\": \"value\"}");
    T_OUT("json", " [1, 2.5e3, true, null, \"x\\u00e9\"] ", " [1, 2.5e3, true, null, \"x\\u00e9\"] ");
    T_OUT("json", "42", "42");
    T_OUT("json", "{\"a\":}", "ERROR 22P02: invalid input syntax for type json");
    T_OUT("json", "[1,]", "ERROR 22P02: invalid input syntax for type json");
    T_OUT("json", "01", "ERROR 22P02: invalid input syntax for type json");
    T_OUT("json", "", "ERROR 22P02: invalid input syntax for type json");
    T_OUT("jsonb", "{\"a\": [1, {\"b\": null}]}", "{\"a\": [1, {\"b\": null}]}");
    T_BIN("jsonb", "{}", "017b7d");
    T_BIN("json", "{}", "7b7d");
}

static void test_datetime(void)
{
    T_OUT("date", "2024-01-01", "2024-01-01");
    T_OUT("date", "2024-02-29", "2024-02-29");
    T_OUT("date", "2023-02-29", "ERROR 22008: date/time field value out of range: \"2023-02-29\"");
    T_OUT("date", "2024-01-01T14:30:00Z", "2024-01-01");
    T_OUT("date", "1/2/2024", "2024-01-02");
    T_OUT("date", "20240315", "2024-03-15");
    T_OUT("date", "1970-01-01", "1970-01-01");
    T_OUT("date", "0044-03-15 BC", "0044-03-15 BC");
    T_OUT("date", "epoch", "1970-01-01");
    T_OUT("date", "infinity", "infinity");
    T_OUT("date", "-infinity", "-infinity");
    T_OUT("date", "10000-01-01", "10000-01-01");
    T_OUT("date", "1899-12-31", "1899-12-31");
    T_OUT("date", "2024-13-01", "ERROR 22008: date/time field value out of range: \"2024-13-01\"");
    T_OUT("date", "hello", "ERROR 22007: invalid input syntax for type date: \"hello\"");
    T_BIN("date", "2000-01-01", "00000000");
    T_BIN("date", "2024-01-01", "0000223e");
    T_BIN("date", "infinity", "7fffffff");

    T_OUT("time", "14:30:00", "14:30:00");
    T_OUT("time", "14:30", "14:30:00");
    T_OUT("time", "14:30:00.5", "14:30:00.5");
    T_OUT("time", "00:00:00.000001", "00:00:00.000001");
    T_OUT("time", "23:59:59.9999995", "24:00:00");
    T_OUT("time", "24:00:00", "24:00:00");
    T_OUT("time", "2024-01-01 14:30:00", "14:30:00");
    T_OUT("time", "25:00:00", "ERROR 22008: date/time field value out of range: \"25:00:00\"");
    T_OUT("time", "12:60:00", "ERROR 22008: date/time field value out of range: \"12:60:00\"");
    T_OUT("time", "noon", "ERROR 22007: invalid input syntax for type time: \"noon\"");
    T_BIN("time", "01:00:00", "00000000d693a400");

    T_OUT("timestamp", "2024-01-01 14:30:00", "2024-01-01 14:30:00");
    T_OUT("timestamp", "2024-01-01T14:30:00Z", "2024-01-01 14:30:00");
    T_OUT("timestamp", "2024-01-01T14:30:00+05:30", "2024-01-01 14:30:00");
    T_OUT("timestamp", "2024-01-01 14:30:00.123456", "2024-01-01 14:30:00.123456");
    T_OUT("timestamp", "2024-01-01 14:30:00.120", "2024-01-01 14:30:00.12");
    T_OUT("timestamp", "2024-01-01", "2024-01-01 00:00:00");
    T_OUT("timestamp", "1969-12-31 23:59:59.999999", "1969-12-31 23:59:59.999999");
    T_OUT("timestamp", "0001-01-01 00:00:00 BC", "0001-01-01 00:00:00 BC");
    T_OUT("timestamp", "epoch", "1970-01-01 00:00:00");
    T_OUT("timestamp", "infinity", "infinity");
    T_OUT("timestamp", "-infinity", "-infinity");
    T_OUT("timestamp", "2024-01-01 14:30:00 xyz",
          "ERROR 22007: invalid input syntax for type timestamp: \"2024-01-01 14:30:00 xyz\"");
    T_OUT("timestamptz", "2024-01-01 14:30:00", "2024-01-01 14:30:00+00");
    T_OUT("timestamptz", "2024-01-01T14:30:00Z", "2024-01-01 14:30:00+00");
    T_OUT("timestamptz", "2024-01-01T14:30:00.5+02", "2024-01-01 12:30:00.5+00");
    T_OUT("timestamptz", "2024-01-01 00:30:00-0130", "2024-01-01 02:00:00+00");
    T_OUT("timestamptz", "2024-01-01 23:30:00-05:00", "2024-01-02 04:30:00+00");
    T_OUT("timestamptz", "0001-01-01 00:00:00+00 BC", "0001-01-01 00:00:00+00 BC");
    T_BIN("timestamp", "2000-01-01 00:00:01", "00000000000f4240");
    T_BIN("timestamptz", "1970-01-01 00:00:00+00", "fffca2fec4c82000");
    T_BIN("timestamp", "infinity", "7fffffffffffffff");

    T_OUT("interval", "1 day 02:03:04", "1 day 02:03:04");
    T_OUT("interval", "1 year 2 mons", "1 year 2 mons");
    T_OUT("interval", "30 seconds", "00:00:30");
    T_OUT("interval", "5s", "00:00:05");
    T_OUT("interval", "1 minute", "00:01:00");
    T_OUT("interval", "1 hour 30 minutes", "01:30:00");
    T_OUT("interval", "2 days", "2 days");
    T_OUT("interval", "-1 days", "-1 days");
    T_OUT("interval", "1 mon", "1 mon");
    T_OUT("interval", "1 year", "1 year");
    T_OUT("interval", "01:02:03", "01:02:03");
    T_OUT("interval", "P1DT2H", "1 day 02:00:00");
    T_OUT("interval", "PT30S", "00:00:30");
    T_OUT("interval", "P1Y2M3DT4H5M6.5S", "1 year 2 mons 3 days 04:05:06.5");
    T_OUT("interval", "0", "00:00:00");
    T_OUT("interval", "1.5 days", "1 day 12:00:00");
    T_OUT("interval", "1.5 months", "1 mon 15 days");
    T_OUT("interval", "1.5 years", "1 year 6 mons");
    T_OUT("interval", "-1 day -1 second", "-1 days -00:00:01");
    T_OUT("interval", "1 day -1 second", "1 day -00:00:01");
    T_OUT("interval", "-1 day +1 second", "-1 days +00:00:01");
    T_OUT("interval", "1 day ago", "-1 days");
    T_OUT("interval", "@ 1 hour ago", "-01:00:00");
    T_OUT("interval", "100 hours", "100:00:00");
    T_OUT("interval", "1.000001 seconds", "00:00:01.000001");
    T_OUT("interval", "250 ms", "00:00:00.25");
    T_OUT("interval", "2 weeks", "14 days");
    T_OUT("interval", "-1 year -2 mons", "-1 years -2 mons");
    T_OUT("interval", "1 year -1 mon", "11 mons");
    T_OUT("interval", "3 days 04:05", "3 days 04:05:00");
    T_OUT("interval", "1 fortnight", "ERROR 22007: invalid input syntax for type interval: \"1 fortnight\"");
    T_OUT("interval", "", "ERROR 22007: invalid input syntax for type interval: \"\"");
    T_BIN("interval", "1 year 2 mons 3 days 00:00:01", "00000000000f4240000000030000000e");
}

static void test_arrays(void)
{
    T_OUT("int[]", "{1,2,3}", "{1,2,3}");
    T_OUT("int[]", " { 1 , NULL ,3 } ", "{1,NULL,3}");
    T_OUT("int[]", "{}", "{}");
    T_OUT("int[]", "[1:2]={5,6}", "{5,6}");
    T_OUT("int[]", "{1,2", "ERROR 22P02: malformed array literal: \"{1,2\"");
    T_OUT("int[]", "1,2", "ERROR 22P02: malformed array literal: \"1,2\"");
    T_OUT("int[]", "{1,2}x", "ERROR 22P02: malformed array literal: \"{1,2}x\"");
    T_OUT("int[]", "{{1,2}}", "ERROR 22P02: malformed array literal: \"{{1,2}}\"");
    T_OUT("int[]", "{1,x}", "ERROR 22P02: invalid input syntax for type integer: \"x\"");
    T_OUT("text[]", "{\"a b\",NULL,\"NULL\",\"\",c}", "{\"a b\",NULL,\"NULL\",\"\",c}");
    T_OUT("text[]", "{\"q\\\"uote\",\"back\\\\slash\",\"com,ma\",\"{br}\"}",
          "{\"q\\\"uote\",\"back\\\\slash\",\"com,ma\",\"{br}\"}");
    T_OUT("text[]", "{  padded  , x\\ y }", "{padded,\"x y\"}");
    T_OUT("text[]", "{null,Null}", "{NULL,NULL}");
    T_OUT("int[][]", "{{1,2},{3,4}}", "{{1,2},{3,4}}");
    T_OUT("int[][]", "{{1,NULL},{3,4}}", "{{1,NULL},{3,4}}");
    T_OUT("binary[]", "{\"\\\\x4869\"}", "{\"\\\\x4869\"}");
    T_OUT("double[]", "{0.1,1e100,NaN}", "{0.1,1e+100,NaN}");
    T_OUT("timestamp[]", "{\"2024-01-01 14:30:00\"}", "{\"2024-01-01 14:30:00\"}");
    T_OUT("date[]", "{2024-01-01,infinity}", "{2024-01-01,infinity}");
    T_OUT("decimal(5,2)[]", "{1.5,-2}", "{1.50,-2.00}");
    T_OUT("ARRAY<MAP<STRING,INT>>", "{\"{\\\"a\\\":1}\"}", "{\"{\\\"a\\\":1}\"}");
    T_BIN("int[]", "{1,2}", "0000000100000000000000170000000200000001" "0000000400000001" "0000000400000002");
    T_BIN("int[]", "{1,NULL}", "0000000100000001000000170000000200000001" "0000000400000001" "ffffffff");
    T_BIN("int[]", "{}", "000000000000000000000017");
    T_BIN("text[]", "{a}", "0000000100000000000000190000000100000001" "0000000161");
    T_BIN("int[][]", "{{1},{2}}",
          "000000020000000000000017" "0000000200000001" "0000000100000001" "0000000400000001" "0000000400000002");
}

static void test_nested_json(void)
{
    T_OUT("MAP<STRING,INT>", "{\"a\": 1, \"b\": null}", "{\"a\":1,\"b\":null}");
    T_OUT("MAP<STRING,INT>", "{}", "{}");
    T_OUT("MAP<INT,STRING>", "{\"1\": \"x\\ny\"}", "{\"1\":\"x\\ny\"}");
    T_OUT("STRUCT<name:STRING,age:INT>", "{\"age\": 30, \"name\": \"Ann\", \"extra\": [1,{\"z\":2}]}",
          "{\"name\":\"Ann\",\"age\":30}");
    T_OUT("STRUCT<name:STRING,age:INT>", "{\"NAME\": \"Bo\"}", "{\"name\":\"Bo\",\"age\":null}");
    T_OUT("STRUCT<a:ARRAY<INT>,m:MAP<STRING,DOUBLE>,t:TIMESTAMP,s:STRUCT<x:BOOLEAN>,j:JSON>",
          "{\"a\":[1,null,3],\"m\":{\"k\":0.5},\"t\":\"2024-01-01T14:30:00Z\",\"s\":{\"x\":true},\"j\":{\"q\": [1]}}",
          "{\"a\":[1,null,3],\"m\":{\"k\":0.5},\"t\":\"2024-01-01T14:30:00\",\"s\":{\"x\":true},\"j\":{\"q\": [1]}}");
    T_OUT("STRUCT<d:DATE,i:INTERVAL,b:BINARY,f:FLOAT,n:DECIMAL(5,2),z:TIMESTAMPTZ>",
          "{\"d\":\"2024-01-01\",\"i\":\"1 day\",\"b\":\"\\\\x4869\",\"f\":\"NaN\",\"n\":1.5,\"z\":\"2024-01-01 00:00:00+00\"}",
          "{\"d\":\"2024-01-01\",\"i\":\"1 day\",\"b\":\"\\\\x4869\",\"f\":\"NaN\",\"n\":1.50,\"z\":\"2024-01-01T00:00:00+00:00\"}");
    T_OUT("STRUCT<s:STRING>", "{\"s\": {\"nested\": 1}}", "{\"s\":\"{\\\"nested\\\": 1}\"}");
    T_OUT("STRUCT<s:STRING>", "{\"s\": \"\\ud83d\\ude00\"}", "{\"s\":\"\xf0\x9f\x98\x80\"}");
    T_OUT("STRUCT<a:INT>", "{\"a\": \"x\"}", "ERROR 22P02: invalid input syntax for type integer: \"x\"");
    T_OUT("STRUCT<a:INT>", "{\"a\": 1", "ERROR 22P02: invalid input syntax for type json");
    T_OUT("STRUCT<a:INT>", "[1]", "ERROR 22P02: cannot convert a JSON array to type STRUCT<a:INT>");
    T_OUT("ARRAY<STRUCT<a:INT>>", "{\"{\\\"a\\\":1}\",NULL}", "{\"{\\\"a\\\":1}\",NULL}");
    T_BIN("STRUCT<a:INT>", "{\"a\":1}", "7b2261223a317d");

    /* value_parse_json / value_format_json directly, the form connectors use */
    const LmType *t = T("STRUCT<id:BIGINT,tags:ARRAY<STRING>,ts:TIMESTAMP,ok:BOOLEAN>");
    Vector v;
    vector_init(&v, arena, t, 8);
    const char *js = "{\"id\": 7, \"tags\": [\"a\", \"b\"], \"ts\": \"2024-05-06T07:08:09.5Z\", \"ok\": false}";
    StrBuf out;
    strbuf_init(&out, arena);
    value_parse_json(&v, arena, 3, js, strlen(js));
    value_format_json(&v, 3, &out);
    check(strcmp(out.data, "{\"id\":7,\"tags\":[\"a\",\"b\"],\"ts\":\"2024-05-06T07:08:09.5\",\"ok\":false}") == 0,
          "value_parse_json/value_format_json (got %s)", out.data);
    Vector n;
    vector_init(&n, arena, T("int"), 2);
    value_parse_json(&n, arena, 0, "null", 4);
    check(!vector_is_valid(&n, 0), "JSON null sets NULL");
}

/* Checks that text -> binary -> text holds for many generated values. */
static void test_generated_roundtrips(void)
{
    srand(7);
    int bad = 0, total = 0;
    char buf[128];
    for (int i = 0; i < 20000; i++) {
        /* timestamps across the range, with fractions */
        int64 y = rand() % 9999 + 1;
        int m = rand() % 12 + 1, d = rand() % date_days_in_month(y, m) + 1;
        snprintf(buf, sizeof buf, "%04lld-%02d-%02d %02d:%02d:%02d.%06d", (long long)y, m, d, rand() % 24,
                 rand() % 60, rand() % 60, rand() % 1000000);
        const char *got = text_roundtrip(T("timestamp"), buf, NULL);
        /* output drops trailing zeros of the fraction */
        size_t gl = strlen(got), bl = strlen(buf);
        while (bl > 0 && buf[bl - 1] == '0')
            bl--;
        if (buf[bl - 1] == '.')
            bl--;
        total++;
        if (gl != bl || strncmp(got, buf, bl) != 0) {
            if (bad++ < 5)
                fprintf(stderr, "timestamp %s -> %s\n", buf, got);
        }
        /* doubles: shortest output parses back to the same bits */
        double x;
        uint64 bits = ((uint64)rand() << 33) ^ ((uint64)rand() << 11) ^ (uint64)rand();
        memcpy(&x, &bits, 8);
        if (isfinite(x)) {
            Vector v;
            vector_init(&v, arena, T("double"), 1);
            vector_set_float64(&v, 0, x);
            StrBuf s;
            strbuf_init(&s, arena);
            value_format_text(&v, 0, &s);
            total++;
            if (strtod(s.data, NULL) != x && bad++ < 5)
                fprintf(stderr, "double %.17g -> %s\n", x, s.data);
        }
        /* decimals */
        int p = rand() % 38 + 1, sc = rand() % (p + 1);
        int128 val = 0;
        for (int k = 0; k < p; k++)
            val = val * 10 + rand() % 10;
        if (rand() & 1)
            val = -val;
        Vector dv;
        const LmType *dt = type_decimal(arena, p, sc);
        vector_init(&dv, arena, dt, 1);
        ((int128 *)dv.data)[0] = val;
        StrBuf s1, bin;
        strbuf_init(&s1, arena);
        strbuf_init(&bin, arena);
        value_format_text(&dv, 0, &s1);
        value_format_binary(&dv, 0, &bin);
        Vector dv2, dv3;
        vector_init(&dv2, arena, dt, 1);
        vector_init(&dv3, arena, dt, 1);
        value_parse_text(&dv2, arena, 0, s1.data, s1.len);
        value_parse_binary(&dv3, arena, 0, bin.data, bin.len);
        total++;
        if ((((int128 *)dv2.data)[0] != val || ((int128 *)dv3.data)[0] != val) && bad++ < 5)
            fprintf(stderr, "decimal(%d,%d) %s failed round trip\n", p, sc, s1.data);
        /* dates from day numbers across PostgreSQL's range */
        int32 days = (int32)((int64)rand() % 4000000 - 2440000);
        Vector ddv;
        vector_init(&ddv, arena, T("date"), 1);
        vector_set_int32(&ddv, 0, days);
        StrBuf ds;
        strbuf_init(&ds, arena);
        value_format_text(&ddv, 0, &ds);
        Vector ddv2;
        vector_init(&ddv2, arena, T("date"), 1);
        value_parse_text(&ddv2, arena, 0, ds.data, ds.len);
        total++;
        if (((int32 *)ddv2.data)[0] != days && bad++ < 5)
            fprintf(stderr, "date %d -> %s -> %d\n", days, ds.data, ((int32 *)ddv2.data)[0]);
        /* intervals */
        Interval iv = {((int64)rand() - RAND_MAX / 2) * 1000003, rand() % 2000 - 1000, rand() % 400 - 200};
        Vector iw;
        vector_init(&iw, arena, T("interval"), 1);
        ((Interval *)iw.data)[0] = iv;
        StrBuf is;
        strbuf_init(&is, arena);
        value_format_text(&iw, 0, &is);
        Vector iw2;
        vector_init(&iw2, arena, T("interval"), 1);
        value_parse_text(&iw2, arena, 0, is.data, is.len);
        Interval got_iv = ((Interval *)iw2.data)[0];
        total++;
        if ((got_iv.micros != iv.micros || got_iv.days != iv.days || got_iv.months != iv.months) && bad++ < 5)
            fprintf(stderr, "interval %s -> %lld %d %d\n", is.data, (long long)got_iv.micros, got_iv.days,
                    got_iv.months);
        if ((i & 255) == 0)
            arena_reset(arena);
    }
    check(bad == 0, "%d generated timestamp/double/decimal/date/interval round trips", total);
}

/* Random bytes into every parser: errors are fine, crashes are not. */
static void test_garbage_input(void)
{
    static const char *types[] = {"boolean", "int", "bigint", "double", "float", "decimal(10,2)", "binary",
                                  "date", "time", "timestamp", "timestamptz", "interval", "json", "int[]",
                                  "text[][]", "MAP<STRING,INT>", "STRUCT<a:INT,b:ARRAY<STRING>>", "jsonb"};
    static const char alphabet[] = "0123456789-+:.eE TZPpdaysyear{}[]\",\\nNULLtrue{\"a\":}x";
    srand(11);
    volatile int errors = 0, oks = 0;
    for (volatile int i = 0; i < 100000; i++) {
        const LmType *t = T(types[rand() % LM_ARRAY_LEN(types)]);
        char buf[48];
        int n = rand() % 47;
        for (int k = 0; k < n; k++)
            buf[k] = rand() % 10 == 0 ? (char)(rand() % 256) : alphabet[rand() % (sizeof(alphabet) - 1)];
        Vector v;
        vector_init(&v, arena, t, 2);
        bool binary = rand() % 3 == 0;
        LM_TRY();
        {
            if (binary)
                value_parse_binary(&v, arena, 0, buf, (size_t)n);
            else
                value_parse_text(&v, arena, 0, buf, (size_t)n);
            if (vector_is_valid(&v, 0)) {
                StrBuf out;
                strbuf_init(&out, arena);
                value_format_text(&v, 0, &out);
                value_format_binary(&v, 0, &out);
            }
            oks++;
        }
        LM_CATCH();
        {
            errors++;
            error_clear();
        }
        LM_END_TRY();
        if ((i & 1023) == 0)
            arena_reset(arena);
    }
    check(true, "100000 garbage inputs (%d accepted, %d errors) without crash", oks, errors);
}

static void test_vectors(void)
{
    const LmType *types[] = {T("bigint"), T("string"), T("array<int>"), T("struct<a:int,b:map<string,int>>")};
    Batch *b = batch_create(arena, 4, types, LM_BATCH_SIZE);
    check(b->ncols == 4 && b->cols[0].capacity == LM_BATCH_SIZE && b->cols[0].validity == NULL &&
              b->cols[2].nchildren == 1 && b->cols[3].nchildren == 2 && b->cols[3].children[1].nchildren == 2,
          "batch_create builds nested children");
    Vector *v = &b->cols[0];
    for (int i = 0; i < LM_BATCH_SIZE; i++)
        vector_set_int64(v, i, i * 3);
    vector_set_null(v, 700);
    check(v->validity && !vector_is_valid(v, 700) && vector_is_valid(v, 699) && vector_is_valid(v, 1023),
          "vector_set_null allocates the bitmap lazily");
    vector_set_valid(v, 700);
    check(vector_is_valid(v, 700), "vector_set_valid");
    vector_set_cstr(&b->cols[1], arena, 5, "hello");
    vector_set_cstr(&b->cols[1], arena, 6, NULL);
    StrView sv = ((StrView *)b->cols[1].data)[5];
    check(sv.len == 5 && memcmp(sv.ptr, "hello", 5) == 0 && !vector_is_valid(&b->cols[1], 6),
          "vector_set_cstr copies and NULL sets NULL");
    /* grow array children past their initial capacity */
    Vector *av = &b->cols[2];
    StrBuf big;
    strbuf_init(&big, arena);
    strbuf_append_char(&big, '{');
    for (int i = 0; i < 5000; i++)
        strbuf_printf(&big, "%s%d", i ? "," : "", i % 7 == 0 ? -i : i);
    strbuf_append_char(&big, '}');
    value_parse_text(av, arena, 0, big.data, big.len);
    value_parse_text(av, arena, 1, "{NULL,5}", 8);
    StrBuf out;
    strbuf_init(&out, arena);
    value_format_text(av, 0, &out);
    check(strcmp(out.data, big.data) == 0 && av->child_count == 5002 && av->children[0].capacity >= 5002,
          "ARRAY children grow (5000 elements)");
    strbuf_reset(&out);
    value_format_text(av, 1, &out);
    check(strcmp(out.data, "{NULL,5}") == 0, "second row after growth: %s", out.data);
    /* struct of map: children grow inside */
    Vector *sv2 = &b->cols[3];
    for (int r = 0; r < 50; r++) {
        char js[128];
        snprintf(js, sizeof js, "{\"a\": %d, \"b\": {\"x\": %d, \"y\": 2, \"z\": null}}", r, r * 2);
        value_parse_text(sv2, arena, r, js, strlen(js));
    }
    strbuf_reset(&out);
    value_format_text(sv2, 49, &out);
    check(strcmp(out.data, "{\"a\":49,\"b\":{\"x\":98,\"y\":2,\"z\":null}}") == 0, "STRUCT<..MAP..> rows: %s",
          out.data);
    Vector bv;
    vector_init(&bv, arena, T("boolean"), 4);
    vector_set_bool(&bv, 2, true);
    strbuf_reset(&out);
    value_format_text(&bv, 2, &out);
    check(strcmp(out.data, "t") == 0, "vector_set_bool");
}

int main(void)
{
    arena = arena_create("test_types", NULL);
    LM_TRY();
    {
        test_type_parse();
        test_pg_mapping();
        test_scalars();
        test_datetime();
        test_arrays();
        test_nested_json();
        test_vectors();
        test_generated_roundtrips();
        test_garbage_input();
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        check(false, "unexpected error %s: %s", e->sqlstate, e->message);
        error_clear();
    }
    LM_END_TRY();
    printf("1..%d\n# %d passed, %d failed\n", ntests, ntests - nfailed, nfailed);
    arena_destroy(arena);
    return nfailed ? 1 : 0;
}
