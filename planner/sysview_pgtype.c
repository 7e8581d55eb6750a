/*
 * sysview_pgtype.c: pg_type, pg_proc, pg_aggregate, pg_operator and
 * pg_language.
 *
 * pg_type is a fixed table with PostgreSQL 15's values for every type
 * Laminar presents on the wire (and their array types), the catalog types
 * clients read (name, "char", oid, regproc, int2vector, ...), and the
 * pseudo-types function signatures use (any, anyarray, anyelement, void,
 * record, ...).  pg_proc is generated from the function registry
 * (executor/func.h: func_at/agg_at), so psql's \df lists exactly what can be
 * called, plus PostgreSQL's type I/O functions named by pg_type (array_in,
 * int4recv, ...) with their real OIDs: drivers test
 * `typinput = 'array_in'::regproc` and join pg_type.typreceive to pg_proc to
 * recognise array types.  Operators (FN_OPERATOR) appear in pg_operator, not
 * as pg_proc rows named "+".
 */
#include "executor/func.h"
#include "planner/sysview_int.h"

#include <string.h>

/* ---- pg_type data (generated from PostgreSQL 15's pg_type) ---- */

/* clang-format off */
static const PgTypeInfo pg_types[] = {
    {16, "bool", 1, true, 'b', 'B', true, ',', 0, 1000, "boolin", "boolout", "boolrecv", "boolsend", "-", "-", "-", "-", 'c', 'p', 0},
    {17, "bytea", -1, false, 'b', 'U', false, ',', 0, 1001, "byteain", "byteaout", "bytearecv", "byteasend", "-", "-", "-", "-", 'i', 'x', 0},
    {18, "char", 1, true, 'b', 'Z', false, ',', 0, 1002, "charin", "charout", "charrecv", "charsend", "-", "-", "-", "-", 'c', 'p', 0},
    {19, "name", 64, false, 'b', 'S', false, ',', 18, 1003, "namein", "nameout", "namerecv", "namesend", "-", "-", "-", "raw_array_subscript_handler", 'c', 'p', 950},
    {20, "int8", 8, true, 'b', 'N', false, ',', 0, 1016, "int8in", "int8out", "int8recv", "int8send", "-", "-", "-", "-", 'd', 'p', 0},
    {21, "int2", 2, true, 'b', 'N', false, ',', 0, 1005, "int2in", "int2out", "int2recv", "int2send", "-", "-", "-", "-", 's', 'p', 0},
    {22, "int2vector", -1, false, 'b', 'A', false, ',', 21, 1006, "int2vectorin", "int2vectorout", "int2vectorrecv", "int2vectorsend", "-", "-", "-", "array_subscript_handler", 'i', 'p', 0},
    {23, "int4", 4, true, 'b', 'N', false, ',', 0, 1007, "int4in", "int4out", "int4recv", "int4send", "-", "-", "-", "-", 'i', 'p', 0},
    {24, "regproc", 4, true, 'b', 'N', false, ',', 0, 1008, "regprocin", "regprocout", "regprocrecv", "regprocsend", "-", "-", "-", "-", 'i', 'p', 0},
    {25, "text", -1, false, 'b', 'S', true, ',', 0, 1009, "textin", "textout", "textrecv", "textsend", "-", "-", "-", "-", 'i', 'x', 100},
    {26, "oid", 4, true, 'b', 'N', true, ',', 0, 1028, "oidin", "oidout", "oidrecv", "oidsend", "-", "-", "-", "-", 'i', 'p', 0},
    {28, "xid", 4, true, 'b', 'U', false, ',', 0, 1011, "xidin", "xidout", "xidrecv", "xidsend", "-", "-", "-", "-", 'i', 'p', 0},
    {30, "oidvector", -1, false, 'b', 'A', false, ',', 26, 1013, "oidvectorin", "oidvectorout", "oidvectorrecv", "oidvectorsend", "-", "-", "-", "array_subscript_handler", 'i', 'p', 0},
    {114, "json", -1, false, 'b', 'U', false, ',', 0, 199, "json_in", "json_out", "json_recv", "json_send", "-", "-", "-", "-", 'i', 'x', 0},
    {194, "pg_node_tree", -1, false, 'b', 'Z', false, ',', 0, 0, "pg_node_tree_in", "pg_node_tree_out", "pg_node_tree_recv", "pg_node_tree_send", "-", "-", "-", "-", 'i', 'x', 100},
    {199, "_json", -1, false, 'b', 'A', false, ',', 114, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {700, "float4", 4, true, 'b', 'N', false, ',', 0, 1021, "float4in", "float4out", "float4recv", "float4send", "-", "-", "-", "-", 'i', 'p', 0},
    {701, "float8", 8, true, 'b', 'N', true, ',', 0, 1022, "float8in", "float8out", "float8recv", "float8send", "-", "-", "-", "-", 'd', 'p', 0},
    {705, "unknown", -2, false, 'p', 'X', false, ',', 0, 0, "unknownin", "unknownout", "unknownrecv", "unknownsend", "-", "-", "-", "-", 'c', 'p', 0},
    {1000, "_bool", -1, false, 'b', 'A', false, ',', 16, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1001, "_bytea", -1, false, 'b', 'A', false, ',', 17, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1002, "_char", -1, false, 'b', 'A', false, ',', 18, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1003, "_name", -1, false, 'b', 'A', false, ',', 19, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 950},
    {1005, "_int2", -1, false, 'b', 'A', false, ',', 21, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1006, "_int2vector", -1, false, 'b', 'A', false, ',', 22, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1007, "_int4", -1, false, 'b', 'A', false, ',', 23, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1008, "_regproc", -1, false, 'b', 'A', false, ',', 24, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1009, "_text", -1, false, 'b', 'A', false, ',', 25, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 100},
    {1011, "_xid", -1, false, 'b', 'A', false, ',', 28, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1013, "_oidvector", -1, false, 'b', 'A', false, ',', 30, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1014, "_bpchar", -1, false, 'b', 'A', false, ',', 1042, 0, "array_in", "array_out", "array_recv", "array_send", "bpchartypmodin", "bpchartypmodout", "array_typanalyze", "array_subscript_handler", 'i', 'x', 100},
    {1015, "_varchar", -1, false, 'b', 'A', false, ',', 1043, 0, "array_in", "array_out", "array_recv", "array_send", "varchartypmodin", "varchartypmodout", "array_typanalyze", "array_subscript_handler", 'i', 'x', 100},
    {1016, "_int8", -1, false, 'b', 'A', false, ',', 20, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'd', 'x', 0},
    {1021, "_float4", -1, false, 'b', 'A', false, ',', 700, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1022, "_float8", -1, false, 'b', 'A', false, ',', 701, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'd', 'x', 0},
    {1028, "_oid", -1, false, 'b', 'A', false, ',', 26, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1033, "aclitem", 12, false, 'b', 'U', false, ',', 0, 1034, "aclitemin", "aclitemout", "-", "-", "-", "-", "-", "-", 'i', 'p', 0},
    {1034, "_aclitem", -1, false, 'b', 'A', false, ',', 1033, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1042, "bpchar", -1, false, 'b', 'S', false, ',', 0, 1014, "bpcharin", "bpcharout", "bpcharrecv", "bpcharsend", "bpchartypmodin", "bpchartypmodout", "-", "-", 'i', 'x', 100},
    {1043, "varchar", -1, false, 'b', 'S', false, ',', 0, 1015, "varcharin", "varcharout", "varcharrecv", "varcharsend", "varchartypmodin", "varchartypmodout", "-", "-", 'i', 'x', 100},
    {1082, "date", 4, true, 'b', 'D', false, ',', 0, 1182, "date_in", "date_out", "date_recv", "date_send", "-", "-", "-", "-", 'i', 'p', 0},
    {1083, "time", 8, true, 'b', 'D', false, ',', 0, 1183, "time_in", "time_out", "time_recv", "time_send", "timetypmodin", "timetypmodout", "-", "-", 'd', 'p', 0},
    {1114, "timestamp", 8, true, 'b', 'D', false, ',', 0, 1115, "timestamp_in", "timestamp_out", "timestamp_recv", "timestamp_send", "timestamptypmodin", "timestamptypmodout", "-", "-", 'd', 'p', 0},
    {1115, "_timestamp", -1, false, 'b', 'A', false, ',', 1114, 0, "array_in", "array_out", "array_recv", "array_send", "timestamptypmodin", "timestamptypmodout", "array_typanalyze", "array_subscript_handler", 'd', 'x', 0},
    {1182, "_date", -1, false, 'b', 'A', false, ',', 1082, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1183, "_time", -1, false, 'b', 'A', false, ',', 1083, 0, "array_in", "array_out", "array_recv", "array_send", "timetypmodin", "timetypmodout", "array_typanalyze", "array_subscript_handler", 'd', 'x', 0},
    {1184, "timestamptz", 8, true, 'b', 'D', true, ',', 0, 1185, "timestamptz_in", "timestamptz_out", "timestamptz_recv", "timestamptz_send", "timestamptztypmodin", "timestamptztypmodout", "-", "-", 'd', 'p', 0},
    {1185, "_timestamptz", -1, false, 'b', 'A', false, ',', 1184, 0, "array_in", "array_out", "array_recv", "array_send", "timestamptztypmodin", "timestamptztypmodout", "array_typanalyze", "array_subscript_handler", 'd', 'x', 0},
    {1186, "interval", 16, false, 'b', 'T', true, ',', 0, 1187, "interval_in", "interval_out", "interval_recv", "interval_send", "intervaltypmodin", "intervaltypmodout", "-", "-", 'd', 'p', 0},
    {1187, "_interval", -1, false, 'b', 'A', false, ',', 1186, 0, "array_in", "array_out", "array_recv", "array_send", "intervaltypmodin", "intervaltypmodout", "array_typanalyze", "array_subscript_handler", 'd', 'x', 0},
    {1231, "_numeric", -1, false, 'b', 'A', false, ',', 1700, 0, "array_in", "array_out", "array_recv", "array_send", "numerictypmodin", "numerictypmodout", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1263, "_cstring", -1, false, 'b', 'A', false, ',', 2275, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {1700, "numeric", -1, false, 'b', 'N', false, ',', 0, 1231, "numeric_in", "numeric_out", "numeric_recv", "numeric_send", "numerictypmodin", "numerictypmodout", "-", "-", 'i', 'm', 0},
    {2202, "regprocedure", 4, true, 'b', 'N', false, ',', 0, 2207, "regprocedurein", "regprocedureout", "regprocedurerecv", "regproceduresend", "-", "-", "-", "-", 'i', 'p', 0},
    {2205, "regclass", 4, true, 'b', 'N', false, ',', 0, 2210, "regclassin", "regclassout", "regclassrecv", "regclasssend", "-", "-", "-", "-", 'i', 'p', 0},
    {2206, "regtype", 4, true, 'b', 'N', false, ',', 0, 2211, "regtypein", "regtypeout", "regtyperecv", "regtypesend", "-", "-", "-", "-", 'i', 'p', 0},
    {2207, "_regprocedure", -1, false, 'b', 'A', false, ',', 2202, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {2210, "_regclass", -1, false, 'b', 'A', false, ',', 2205, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {2211, "_regtype", -1, false, 'b', 'A', false, ',', 2206, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {2249, "record", -1, false, 'p', 'P', false, ',', 0, 2287, "record_in", "record_out", "record_recv", "record_send", "-", "-", "-", "-", 'd', 'x', 0},
    {2275, "cstring", -2, false, 'p', 'P', false, ',', 0, 1263, "cstring_in", "cstring_out", "cstring_recv", "cstring_send", "-", "-", "-", "-", 'c', 'p', 0},
    {2276, "any", 4, true, 'p', 'P', false, ',', 0, 0, "any_in", "any_out", "-", "-", "-", "-", "-", "-", 'i', 'p', 0},
    {2277, "anyarray", -1, false, 'p', 'P', false, ',', 0, 0, "anyarray_in", "anyarray_out", "anyarray_recv", "anyarray_send", "-", "-", "-", "-", 'd', 'x', 0},
    {2278, "void", 4, true, 'p', 'P', false, ',', 0, 0, "void_in", "void_out", "void_recv", "void_send", "-", "-", "-", "-", 'i', 'p', 0},
    {2279, "trigger", 4, true, 'p', 'P', false, ',', 0, 0, "trigger_in", "trigger_out", "-", "-", "-", "-", "-", "-", 'i', 'p', 0},
    {2280, "language_handler", 4, true, 'p', 'P', false, ',', 0, 0, "language_handler_in", "language_handler_out", "-", "-", "-", "-", "-", "-", 'i', 'p', 0},
    {2281, "internal", 8, true, 'p', 'P', false, ',', 0, 0, "internal_in", "internal_out", "-", "-", "-", "-", "-", "-", 'd', 'p', 0},
    {2283, "anyelement", 4, true, 'p', 'P', false, ',', 0, 0, "anyelement_in", "anyelement_out", "-", "-", "-", "-", "-", "-", 'i', 'p', 0},
    {2776, "anynonarray", 4, true, 'p', 'P', false, ',', 0, 0, "anynonarray_in", "anynonarray_out", "-", "-", "-", "-", "-", "-", 'i', 'p', 0},
    {3115, "fdw_handler", 4, true, 'p', 'P', false, ',', 0, 0, "fdw_handler_in", "fdw_handler_out", "-", "-", "-", "-", "-", "-", 'i', 'p', 0},
    {3802, "jsonb", -1, false, 'b', 'U', false, ',', 0, 3807, "jsonb_in", "jsonb_out", "jsonb_recv", "jsonb_send", "-", "-", "-", "jsonb_subscript_handler", 'i', 'x', 0},
    {3807, "_jsonb", -1, false, 'b', 'A', false, ',', 3802, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {4089, "regnamespace", 4, true, 'b', 'N', false, ',', 0, 4090, "regnamespacein", "regnamespaceout", "regnamespacerecv", "regnamespacesend", "-", "-", "-", "-", 'i', 'p', 0},
    {4090, "_regnamespace", -1, false, 'b', 'A', false, ',', 4089, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {4096, "regrole", 4, true, 'b', 'N', false, ',', 0, 4097, "regrolein", "regroleout", "regrolerecv", "regrolesend", "-", "-", "-", "-", 'i', 'p', 0},
    {4097, "_regrole", -1, false, 'b', 'A', false, ',', 4096, 0, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "array_subscript_handler", 'i', 'x', 0},
    {5077, "anycompatible", 4, true, 'p', 'P', false, ',', 0, 0, "anycompatible_in", "anycompatible_out", "-", "-", "-", "-", "-", "-", 'i', 'p', 0},
    {5078, "anycompatiblearray", -1, false, 'p', 'P', false, ',', 0, 0, "anycompatiblearray_in", "anycompatiblearray_out", "anycompatiblearray_recv", "anycompatiblearray_send", "-", "-", "-", "-", 'd', 'x', 0},
};
/* clang-format on */

int sysview_pg_type_count(void)
{
    return (int)LM_ARRAY_LEN(pg_types);
}

const PgTypeInfo *sysview_pg_type_at(int i)
{
    return i >= 0 && i < (int)LM_ARRAY_LEN(pg_types) ? &pg_types[i] : NULL;
}

const PgTypeInfo *sysview_pg_type(Oid oid)
{
    for (size_t i = 0; i < LM_ARRAY_LEN(pg_types); i++)
        if (pg_types[i].oid == oid)
            return &pg_types[i];
    return NULL;
}

const PgTypeInfo *sysview_pg_type_by_name(const char *name)
{
    for (size_t i = 0; i < LM_ARRAY_LEN(pg_types); i++)
        if (strcmp(pg_types[i].name, name) == 0)
            return &pg_types[i];
    return NULL;
}

/* ---- PostgreSQL's type I/O functions (generated from PostgreSQL 15's pg_proc) ---- */

typedef struct IoProc {
    Oid oid;
    const char *name;
    Oid rettype;
    int nargs;
    Oid args[3];
    char volatility;
} IoProc;

/* clang-format off */
static const IoProc io_procs[] = {
    {1031, "aclitemin", 1033, 1, {2275}, 's'},
    {1032, "aclitemout", 2275, 1, {1033}, 's'},
    {2294, "any_in", 2276, 1, {2275}, 'i'},
    {2295, "any_out", 2275, 1, {2276}, 'i'},
    {2296, "anyarray_in", 2277, 1, {2275}, 'i'},
    {2297, "anyarray_out", 2275, 1, {2277}, 's'},
    {2502, "anyarray_recv", 2277, 1, {2281}, 's'},
    {2503, "anyarray_send", 17, 1, {2277}, 's'},
    {5086, "anycompatible_in", 5077, 1, {2275}, 'i'},
    {5087, "anycompatible_out", 2275, 1, {5077}, 'i'},
    {5088, "anycompatiblearray_in", 5078, 1, {2275}, 'i'},
    {5089, "anycompatiblearray_out", 2275, 1, {5078}, 's'},
    {5090, "anycompatiblearray_recv", 5078, 1, {2281}, 's'},
    {5091, "anycompatiblearray_send", 17, 1, {5078}, 's'},
    {2312, "anyelement_in", 2283, 1, {2275}, 'i'},
    {2313, "anyelement_out", 2275, 1, {2283}, 'i'},
    {2777, "anynonarray_in", 2776, 1, {2275}, 'i'},
    {2778, "anynonarray_out", 2275, 1, {2776}, 'i'},
    {750, "array_in", 2277, 3, {2275, 26, 23}, 's'},
    {751, "array_out", 2275, 1, {2277}, 's'},
    {2400, "array_recv", 2277, 3, {2281, 26, 23}, 's'},
    {2401, "array_send", 17, 1, {2277}, 's'},
    {6179, "array_subscript_handler", 2281, 1, {2281}, 'i'},
    {3816, "array_typanalyze", 16, 1, {2281}, 's'},
    {1242, "boolin", 16, 1, {2275}, 'i'},
    {1243, "boolout", 2275, 1, {16}, 'i'},
    {2436, "boolrecv", 16, 1, {2281}, 'i'},
    {2437, "boolsend", 17, 1, {16}, 'i'},
    {1044, "bpcharin", 1042, 3, {2275, 26, 23}, 'i'},
    {1045, "bpcharout", 2275, 1, {1042}, 'i'},
    {2430, "bpcharrecv", 1042, 3, {2281, 26, 23}, 's'},
    {2431, "bpcharsend", 17, 1, {1042}, 's'},
    {2913, "bpchartypmodin", 23, 1, {1263}, 'i'},
    {2914, "bpchartypmodout", 2275, 1, {23}, 'i'},
    {1244, "byteain", 17, 1, {2275}, 'i'},
    {31, "byteaout", 2275, 1, {17}, 'i'},
    {2412, "bytearecv", 17, 1, {2281}, 'i'},
    {2413, "byteasend", 17, 1, {17}, 'i'},
    {1245, "charin", 18, 1, {2275}, 'i'},
    {33, "charout", 2275, 1, {18}, 'i'},
    {2434, "charrecv", 18, 1, {2281}, 'i'},
    {2435, "charsend", 17, 1, {18}, 'i'},
    {2292, "cstring_in", 2275, 1, {2275}, 'i'},
    {2293, "cstring_out", 2275, 1, {2275}, 'i'},
    {2500, "cstring_recv", 2275, 1, {2281}, 's'},
    {2501, "cstring_send", 17, 1, {2275}, 's'},
    {1084, "date_in", 1082, 1, {2275}, 's'},
    {1085, "date_out", 2275, 1, {1082}, 's'},
    {2468, "date_recv", 1082, 1, {2281}, 'i'},
    {2469, "date_send", 17, 1, {1082}, 'i'},
    {3116, "fdw_handler_in", 3115, 1, {2275}, 'i'},
    {3117, "fdw_handler_out", 2275, 1, {3115}, 'i'},
    {200, "float4in", 700, 1, {2275}, 'i'},
    {201, "float4out", 2275, 1, {700}, 'i'},
    {2424, "float4recv", 700, 1, {2281}, 'i'},
    {2425, "float4send", 17, 1, {700}, 'i'},
    {214, "float8in", 701, 1, {2275}, 'i'},
    {215, "float8out", 2275, 1, {701}, 'i'},
    {2426, "float8recv", 701, 1, {2281}, 'i'},
    {2427, "float8send", 17, 1, {701}, 'i'},
    {38, "int2in", 21, 1, {2275}, 'i'},
    {39, "int2out", 2275, 1, {21}, 'i'},
    {2404, "int2recv", 21, 1, {2281}, 'i'},
    {2405, "int2send", 17, 1, {21}, 'i'},
    {40, "int2vectorin", 22, 1, {2275}, 'i'},
    {41, "int2vectorout", 2275, 1, {22}, 'i'},
    {2410, "int2vectorrecv", 22, 1, {2281}, 'i'},
    {2411, "int2vectorsend", 17, 1, {22}, 'i'},
    {42, "int4in", 23, 1, {2275}, 'i'},
    {43, "int4out", 2275, 1, {23}, 'i'},
    {2406, "int4recv", 23, 1, {2281}, 'i'},
    {2407, "int4send", 17, 1, {23}, 'i'},
    {460, "int8in", 20, 1, {2275}, 'i'},
    {461, "int8out", 2275, 1, {20}, 'i'},
    {2408, "int8recv", 20, 1, {2281}, 'i'},
    {2409, "int8send", 17, 1, {20}, 'i'},
    {2304, "internal_in", 2281, 1, {2275}, 'i'},
    {2305, "internal_out", 2275, 1, {2281}, 'i'},
    {1160, "interval_in", 1186, 3, {2275, 26, 23}, 's'},
    {1161, "interval_out", 2275, 1, {1186}, 's'},
    {2478, "interval_recv", 1186, 3, {2281, 26, 23}, 'i'},
    {2479, "interval_send", 17, 1, {1186}, 'i'},
    {2903, "intervaltypmodin", 23, 1, {1263}, 'i'},
    {2904, "intervaltypmodout", 2275, 1, {23}, 'i'},
    {321, "json_in", 114, 1, {2275}, 'i'},
    {322, "json_out", 2275, 1, {114}, 'i'},
    {323, "json_recv", 114, 1, {2281}, 'i'},
    {324, "json_send", 17, 1, {114}, 'i'},
    {3806, "jsonb_in", 3802, 1, {2275}, 'i'},
    {3804, "jsonb_out", 2275, 1, {3802}, 'i'},
    {3805, "jsonb_recv", 3802, 1, {2281}, 'i'},
    {3803, "jsonb_send", 17, 1, {3802}, 'i'},
    {6098, "jsonb_subscript_handler", 2281, 1, {2281}, 'i'},
    {2302, "language_handler_in", 2280, 1, {2275}, 'i'},
    {2303, "language_handler_out", 2275, 1, {2280}, 'i'},
    {34, "namein", 19, 1, {2275}, 'i'},
    {35, "nameout", 2275, 1, {19}, 'i'},
    {2422, "namerecv", 19, 1, {2281}, 's'},
    {2423, "namesend", 17, 1, {19}, 's'},
    {1701, "numeric_in", 1700, 3, {2275, 26, 23}, 'i'},
    {1702, "numeric_out", 2275, 1, {1700}, 'i'},
    {2460, "numeric_recv", 1700, 3, {2281, 26, 23}, 'i'},
    {2461, "numeric_send", 17, 1, {1700}, 'i'},
    {2917, "numerictypmodin", 23, 1, {1263}, 'i'},
    {2918, "numerictypmodout", 2275, 1, {23}, 'i'},
    {1798, "oidin", 26, 1, {2275}, 'i'},
    {1799, "oidout", 2275, 1, {26}, 'i'},
    {2418, "oidrecv", 26, 1, {2281}, 'i'},
    {2419, "oidsend", 17, 1, {26}, 'i'},
    {54, "oidvectorin", 30, 1, {2275}, 'i'},
    {55, "oidvectorout", 2275, 1, {30}, 'i'},
    {2420, "oidvectorrecv", 30, 1, {2281}, 'i'},
    {2421, "oidvectorsend", 17, 1, {30}, 'i'},
    {195, "pg_node_tree_in", 194, 1, {2275}, 'i'},
    {196, "pg_node_tree_out", 2275, 1, {194}, 'i'},
    {197, "pg_node_tree_recv", 194, 1, {2281}, 's'},
    {198, "pg_node_tree_send", 17, 1, {194}, 's'},
    {6180, "raw_array_subscript_handler", 2281, 1, {2281}, 'i'},
    {2290, "record_in", 2249, 3, {2275, 26, 23}, 's'},
    {2291, "record_out", 2275, 1, {2249}, 's'},
    {2402, "record_recv", 2249, 3, {2281, 26, 23}, 's'},
    {2403, "record_send", 17, 1, {2249}, 's'},
    {2218, "regclassin", 2205, 1, {2275}, 's'},
    {2219, "regclassout", 2275, 1, {2205}, 's'},
    {2452, "regclassrecv", 2205, 1, {2281}, 'i'},
    {2453, "regclasssend", 17, 1, {2205}, 'i'},
    {4084, "regnamespacein", 4089, 1, {2275}, 's'},
    {4085, "regnamespaceout", 2275, 1, {4089}, 's'},
    {4087, "regnamespacerecv", 4089, 1, {2281}, 'i'},
    {4088, "regnamespacesend", 17, 1, {4089}, 'i'},
    {2212, "regprocedurein", 2202, 1, {2275}, 's'},
    {2213, "regprocedureout", 2275, 1, {2202}, 's'},
    {2446, "regprocedurerecv", 2202, 1, {2281}, 'i'},
    {2447, "regproceduresend", 17, 1, {2202}, 'i'},
    {44, "regprocin", 24, 1, {2275}, 's'},
    {45, "regprocout", 2275, 1, {24}, 's'},
    {2444, "regprocrecv", 24, 1, {2281}, 'i'},
    {2445, "regprocsend", 17, 1, {24}, 'i'},
    {4098, "regrolein", 4096, 1, {2275}, 's'},
    {4092, "regroleout", 2275, 1, {4096}, 's'},
    {4094, "regrolerecv", 4096, 1, {2281}, 'i'},
    {4095, "regrolesend", 17, 1, {4096}, 'i'},
    {2220, "regtypein", 2206, 1, {2275}, 's'},
    {2221, "regtypeout", 2275, 1, {2206}, 's'},
    {2454, "regtyperecv", 2206, 1, {2281}, 'i'},
    {2455, "regtypesend", 17, 1, {2206}, 'i'},
    {46, "textin", 25, 1, {2275}, 'i'},
    {47, "textout", 2275, 1, {25}, 'i'},
    {2414, "textrecv", 25, 1, {2281}, 's'},
    {2415, "textsend", 17, 1, {25}, 's'},
    {1143, "time_in", 1083, 3, {2275, 26, 23}, 's'},
    {1144, "time_out", 2275, 1, {1083}, 'i'},
    {2470, "time_recv", 1083, 3, {2281, 26, 23}, 'i'},
    {2471, "time_send", 17, 1, {1083}, 'i'},
    {1312, "timestamp_in", 1114, 3, {2275, 26, 23}, 's'},
    {1313, "timestamp_out", 2275, 1, {1114}, 's'},
    {2474, "timestamp_recv", 1114, 3, {2281, 26, 23}, 'i'},
    {2475, "timestamp_send", 17, 1, {1114}, 'i'},
    {2905, "timestamptypmodin", 23, 1, {1263}, 'i'},
    {2906, "timestamptypmodout", 2275, 1, {23}, 'i'},
    {1150, "timestamptz_in", 1184, 3, {2275, 26, 23}, 's'},
    {1151, "timestamptz_out", 2275, 1, {1184}, 's'},
    {2476, "timestamptz_recv", 1184, 3, {2281, 26, 23}, 'i'},
    {2477, "timestamptz_send", 17, 1, {1184}, 'i'},
    {2907, "timestamptztypmodin", 23, 1, {1263}, 'i'},
    {2908, "timestamptztypmodout", 2275, 1, {23}, 'i'},
    {2909, "timetypmodin", 23, 1, {1263}, 'i'},
    {2910, "timetypmodout", 2275, 1, {23}, 'i'},
    {2300, "trigger_in", 2279, 1, {2275}, 'i'},
    {2301, "trigger_out", 2275, 1, {2279}, 'i'},
    {109, "unknownin", 705, 1, {2275}, 'i'},
    {110, "unknownout", 2275, 1, {705}, 'i'},
    {2416, "unknownrecv", 705, 1, {2281}, 'i'},
    {2417, "unknownsend", 17, 1, {705}, 'i'},
    {1046, "varcharin", 1043, 3, {2275, 26, 23}, 'i'},
    {1047, "varcharout", 2275, 1, {1043}, 'i'},
    {2432, "varcharrecv", 1043, 3, {2281, 26, 23}, 's'},
    {2433, "varcharsend", 17, 1, {1043}, 's'},
    {2915, "varchartypmodin", 23, 1, {1263}, 'i'},
    {2916, "varchartypmodout", 2275, 1, {23}, 'i'},
    {2298, "void_in", 2278, 1, {2275}, 'i'},
    {2299, "void_out", 2275, 1, {2278}, 'i'},
    {3120, "void_recv", 2278, 1, {2281}, 'i'},
    {3121, "void_send", 17, 1, {2278}, 'i'},
    {50, "xidin", 28, 1, {2275}, 'i'},
    {51, "xidout", 2275, 1, {28}, 'i'},
    {2440, "xidrecv", 28, 1, {2281}, 'i'},
    {2441, "xidsend", 17, 1, {28}, 'i'},
};
/* clang-format on */

Oid sysview_io_proc_oid(const char *name)
{
    if (name == NULL || strcmp(name, "-") == 0)
        return 0;
    for (size_t i = 0; i < LM_ARRAY_LEN(io_procs); i++)
        if (strcmp(io_procs[i].name, name) == 0)
            return io_procs[i].oid;
    return 0;
}

/* ---- registry functions ---- */

#define SV_OPERATOR_OID_BASE 0x68000000u

Oid sysview_func_oid(int func_index)
{
    const FuncDesc *f = func_at(func_index);
    return f && f->oid ? f->oid : SYSVIEW_FUNC_OID_BASE + (Oid)func_index;
}

Oid sysview_agg_oid(int agg_index)
{
    const AggDesc *g = agg_at(agg_index);
    return g && g->oid ? g->oid : SYSVIEW_FUNC_OID_BASE + (Oid)(func_count() + agg_index);
}

bool sysview_proc_lookup(Oid oid, const FuncDesc **func, const AggDesc **agg, const char **io_name)
{
    *func = NULL;
    *agg = NULL;
    *io_name = NULL;
    int nf = func_count(), na = agg_count();
    for (int i = 0; i < nf; i++)
        if (sysview_func_oid(i) == oid && !(func_at(i)->flags & FN_OPERATOR)) {
            *func = func_at(i);
            return true;
        }
    for (int i = 0; i < na; i++)
        if (sysview_agg_oid(i) == oid) {
            *agg = agg_at(i);
            return true;
        }
    for (size_t i = 0; i < LM_ARRAY_LEN(io_procs); i++)
        if (io_procs[i].oid == oid) {
            *io_name = io_procs[i].name;
            return true;
        }
    return false;
}

Oid sysview_functype_oid(int functype)
{
    switch (functype) {
    case FT_ANY:
        return ANYOID;
    case FT_ANYARRAY:
        return 2277; /* anyarray */
    case FT_ANYELEMENT:
        return 2283; /* anyelement */
    case FT_ANYNUMERIC:
        return NUMERICOID;
    case FT_ANYNONARRAY:
        return 2776; /* anynonarray */
    case TYPE_UNKNOWN:
        return UNKNOWNOID;
    case TYPE_DECIMAL:
        return NUMERICOID;
    case TYPE_ARRAY:
        return 2277;
    case TYPE_MAP:
    case TYPE_STRUCT:
        return JSONOID;
    default:
        if (functype >= 0 && functype < TYPE__COUNT) {
            const LmType *t = type_scalar((TypeId)functype);
            if (t)
                return type_pg_oid(t);
        }
        return ANYOID;
    }
}

/* ---- column lists (generated from PostgreSQL 15's catalogs) ---- */

/* pg_catalog.pg_type */
enum {
    PG_TYPE_OID,
    PG_TYPE_TYPNAME,
    PG_TYPE_TYPNAMESPACE,
    PG_TYPE_TYPOWNER,
    PG_TYPE_TYPLEN,
    PG_TYPE_TYPBYVAL,
    PG_TYPE_TYPTYPE,
    PG_TYPE_TYPCATEGORY,
    PG_TYPE_TYPISPREFERRED,
    PG_TYPE_TYPISDEFINED,
    PG_TYPE_TYPDELIM,
    PG_TYPE_TYPRELID,
    PG_TYPE_TYPSUBSCRIPT,
    PG_TYPE_TYPELEM,
    PG_TYPE_TYPARRAY,
    PG_TYPE_TYPINPUT,
    PG_TYPE_TYPOUTPUT,
    PG_TYPE_TYPRECEIVE,
    PG_TYPE_TYPSEND,
    PG_TYPE_TYPMODIN,
    PG_TYPE_TYPMODOUT,
    PG_TYPE_TYPANALYZE,
    PG_TYPE_TYPALIGN,
    PG_TYPE_TYPSTORAGE,
    PG_TYPE_TYPNOTNULL,
    PG_TYPE_TYPBASETYPE,
    PG_TYPE_TYPTYPMOD,
    PG_TYPE_TYPNDIMS,
    PG_TYPE_TYPCOLLATION,
    PG_TYPE_TYPDEFAULTBIN,
    PG_TYPE_TYPDEFAULT,
    PG_TYPE_TYPACL,
};
static const RelColumn cols_pg_type[] = {
    {"oid", &svt_oid},
    {"typname", &svt_name},
    {"typnamespace", &svt_oid},
    {"typowner", &svt_oid},
    {"typlen", &svt_int2},
    {"typbyval", &svt_bool},
    {"typtype", &svt_char},
    {"typcategory", &svt_char},
    {"typispreferred", &svt_bool},
    {"typisdefined", &svt_bool},
    {"typdelim", &svt_char},
    {"typrelid", &svt_oid},
    {"typsubscript", &svt_regproc},
    {"typelem", &svt_oid},
    {"typarray", &svt_oid},
    {"typinput", &svt_regproc},
    {"typoutput", &svt_regproc},
    {"typreceive", &svt_regproc},
    {"typsend", &svt_regproc},
    {"typmodin", &svt_regproc},
    {"typmodout", &svt_regproc},
    {"typanalyze", &svt_regproc},
    {"typalign", &svt_char},
    {"typstorage", &svt_char},
    {"typnotnull", &svt_bool},
    {"typbasetype", &svt_oid},
    {"typtypmod", &svt_int4},
    {"typndims", &svt_int4},
    {"typcollation", &svt_oid},
    {"typdefaultbin", &svt_text},
    {"typdefault", &svt_text},
    {"typacl", &svt_text_array},
};

/* pg_catalog.pg_proc */
enum {
    PG_PROC_OID,
    PG_PROC_PRONAME,
    PG_PROC_PRONAMESPACE,
    PG_PROC_PROOWNER,
    PG_PROC_PROLANG,
    PG_PROC_PROCOST,
    PG_PROC_PROROWS,
    PG_PROC_PROVARIADIC,
    PG_PROC_PROSUPPORT,
    PG_PROC_PROKIND,
    PG_PROC_PROSECDEF,
    PG_PROC_PROLEAKPROOF,
    PG_PROC_PROISSTRICT,
    PG_PROC_PRORETSET,
    PG_PROC_PROVOLATILE,
    PG_PROC_PROPARALLEL,
    PG_PROC_PRONARGS,
    PG_PROC_PRONARGDEFAULTS,
    PG_PROC_PRORETTYPE,
    PG_PROC_PROARGTYPES,
    PG_PROC_PROALLARGTYPES,
    PG_PROC_PROARGMODES,
    PG_PROC_PROARGNAMES,
    PG_PROC_PROARGDEFAULTS,
    PG_PROC_PROTRFTYPES,
    PG_PROC_PROSRC,
    PG_PROC_PROBIN,
    PG_PROC_PROSQLBODY,
    PG_PROC_PROCONFIG,
    PG_PROC_PROACL,
};
static const RelColumn cols_pg_proc[] = {
    {"oid", &svt_oid},
    {"proname", &svt_name},
    {"pronamespace", &svt_oid},
    {"proowner", &svt_oid},
    {"prolang", &svt_oid},
    {"procost", &svt_float4},
    {"prorows", &svt_float4},
    {"provariadic", &svt_oid},
    {"prosupport", &svt_regproc},
    {"prokind", &svt_char},
    {"prosecdef", &svt_bool},
    {"proleakproof", &svt_bool},
    {"proisstrict", &svt_bool},
    {"proretset", &svt_bool},
    {"provolatile", &svt_char},
    {"proparallel", &svt_char},
    {"pronargs", &svt_int2},
    {"pronargdefaults", &svt_int2},
    {"prorettype", &svt_oid},
    {"proargtypes", &svt_oidvector},
    {"proallargtypes", &svt_oid_array},
    {"proargmodes", &svt_char_array},
    {"proargnames", &svt_text_array},
    {"proargdefaults", &svt_text},
    {"protrftypes", &svt_oid_array},
    {"prosrc", &svt_text},
    {"probin", &svt_text},
    {"prosqlbody", &svt_text},
    {"proconfig", &svt_text_array},
    {"proacl", &svt_text_array},
};

/* pg_catalog.pg_language */
enum {
    PG_LANGUAGE_OID,
    PG_LANGUAGE_LANNAME,
    PG_LANGUAGE_LANOWNER,
    PG_LANGUAGE_LANISPL,
    PG_LANGUAGE_LANPLTRUSTED,
    PG_LANGUAGE_LANPLCALLFOID,
    PG_LANGUAGE_LANINLINE,
    PG_LANGUAGE_LANVALIDATOR,
    PG_LANGUAGE_LANACL,
};
static const RelColumn cols_pg_language[] = {
    {"oid", &svt_oid},       {"lanname", &svt_name},      {"lanowner", &svt_oid},
    {"lanispl", &svt_bool},  {"lanpltrusted", &svt_bool}, {"lanplcallfoid", &svt_oid},
    {"laninline", &svt_oid}, {"lanvalidator", &svt_oid},  {"lanacl", &svt_text_array},
};

/* pg_catalog.pg_aggregate */
enum {
    PG_AGGREGATE_AGGFNOID,
    PG_AGGREGATE_AGGKIND,
    PG_AGGREGATE_AGGNUMDIRECTARGS,
    PG_AGGREGATE_AGGTRANSFN,
    PG_AGGREGATE_AGGFINALFN,
    PG_AGGREGATE_AGGCOMBINEFN,
    PG_AGGREGATE_AGGSERIALFN,
    PG_AGGREGATE_AGGDESERIALFN,
    PG_AGGREGATE_AGGMTRANSFN,
    PG_AGGREGATE_AGGMINVTRANSFN,
    PG_AGGREGATE_AGGMFINALFN,
    PG_AGGREGATE_AGGFINALEXTRA,
    PG_AGGREGATE_AGGMFINALEXTRA,
    PG_AGGREGATE_AGGFINALMODIFY,
    PG_AGGREGATE_AGGMFINALMODIFY,
    PG_AGGREGATE_AGGSORTOP,
    PG_AGGREGATE_AGGTRANSTYPE,
    PG_AGGREGATE_AGGTRANSSPACE,
    PG_AGGREGATE_AGGMTRANSTYPE,
    PG_AGGREGATE_AGGMTRANSSPACE,
    PG_AGGREGATE_AGGINITVAL,
    PG_AGGREGATE_AGGMINITVAL,
};
static const RelColumn cols_pg_aggregate[] = {
    {"aggfnoid", &svt_regproc},      {"aggkind", &svt_char},
    {"aggnumdirectargs", &svt_int2}, {"aggtransfn", &svt_regproc},
    {"aggfinalfn", &svt_regproc},    {"aggcombinefn", &svt_regproc},
    {"aggserialfn", &svt_regproc},   {"aggdeserialfn", &svt_regproc},
    {"aggmtransfn", &svt_regproc},   {"aggminvtransfn", &svt_regproc},
    {"aggmfinalfn", &svt_regproc},   {"aggfinalextra", &svt_bool},
    {"aggmfinalextra", &svt_bool},   {"aggfinalmodify", &svt_char},
    {"aggmfinalmodify", &svt_char},  {"aggsortop", &svt_oid},
    {"aggtranstype", &svt_oid},      {"aggtransspace", &svt_int4},
    {"aggmtranstype", &svt_oid},     {"aggmtransspace", &svt_int4},
    {"agginitval", &svt_text},       {"aggminitval", &svt_text},
};

/* pg_catalog.pg_operator */
enum {
    PG_OPERATOR_OID,
    PG_OPERATOR_OPRNAME,
    PG_OPERATOR_OPRNAMESPACE,
    PG_OPERATOR_OPROWNER,
    PG_OPERATOR_OPRKIND,
    PG_OPERATOR_OPRCANMERGE,
    PG_OPERATOR_OPRCANHASH,
    PG_OPERATOR_OPRLEFT,
    PG_OPERATOR_OPRRIGHT,
    PG_OPERATOR_OPRRESULT,
    PG_OPERATOR_OPRCOM,
    PG_OPERATOR_OPRNEGATE,
    PG_OPERATOR_OPRCODE,
    PG_OPERATOR_OPRREST,
    PG_OPERATOR_OPRJOIN,
};
static const RelColumn cols_pg_operator[] = {
    {"oid", &svt_oid},         {"oprname", &svt_name},    {"oprnamespace", &svt_oid},
    {"oprowner", &svt_oid},    {"oprkind", &svt_char},    {"oprcanmerge", &svt_bool},
    {"oprcanhash", &svt_bool}, {"oprleft", &svt_oid},     {"oprright", &svt_oid},
    {"oprresult", &svt_oid},   {"oprcom", &svt_oid},      {"oprnegate", &svt_oid},
    {"oprcode", &svt_regproc}, {"oprrest", &svt_regproc}, {"oprjoin", &svt_regproc},
};
/* ---- fills ---- */

static void fill_pg_type(ExecContext *ctx, RowSet *rs)
{
    (void)ctx;
    for (size_t i = 0; i < LM_ARRAY_LEN(pg_types); i++) {
        const PgTypeInfo *t = &pg_types[i];
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_TYPE_OID, t->oid);
        sv_text(&r, PG_TYPE_TYPNAME, t->name);
        sv_int(&r, PG_TYPE_TYPNAMESPACE, SYSVIEW_NS_PG_CATALOG);
        sv_int(&r, PG_TYPE_TYPOWNER, SV_OWNER_OID);
        sv_int(&r, PG_TYPE_TYPLEN, t->len);
        sv_bool(&r, PG_TYPE_TYPBYVAL, t->byval);
        sv_char(&r, PG_TYPE_TYPTYPE, t->type);
        sv_char(&r, PG_TYPE_TYPCATEGORY, t->category);
        sv_bool(&r, PG_TYPE_TYPISPREFERRED, t->preferred);
        sv_bool(&r, PG_TYPE_TYPISDEFINED, true);
        sv_char(&r, PG_TYPE_TYPDELIM, t->delim);
        sv_int(&r, PG_TYPE_TYPSUBSCRIPT, sysview_io_proc_oid(t->subscript));
        sv_int(&r, PG_TYPE_TYPELEM, t->elem);
        sv_int(&r, PG_TYPE_TYPARRAY, t->array);
        sv_int(&r, PG_TYPE_TYPINPUT, sysview_io_proc_oid(t->input));
        sv_int(&r, PG_TYPE_TYPOUTPUT, sysview_io_proc_oid(t->output));
        sv_int(&r, PG_TYPE_TYPRECEIVE, sysview_io_proc_oid(t->receive));
        sv_int(&r, PG_TYPE_TYPSEND, sysview_io_proc_oid(t->send));
        sv_int(&r, PG_TYPE_TYPMODIN, sysview_io_proc_oid(t->modin));
        sv_int(&r, PG_TYPE_TYPMODOUT, sysview_io_proc_oid(t->modout));
        sv_int(&r, PG_TYPE_TYPANALYZE, sysview_io_proc_oid(t->analyze));
        sv_char(&r, PG_TYPE_TYPALIGN, t->align);
        sv_char(&r, PG_TYPE_TYPSTORAGE, t->storage);
        sv_int(&r, PG_TYPE_TYPTYPMOD, -1);
        sv_int(&r, PG_TYPE_TYPCOLLATION, t->collation);
    }
    /* the row types of tables (psycopg's CompositeInfo, pgjdbc's struct lookups) */
    int n, nschemas;
    SvRel *rels = sv_relations(ctx, &n);
    SvSchema *schemas = sv_schemas(ctx, &nschemas);
    for (int i = 0; i < n; i++) {
        const SvRel *rel = &rels[i];
        if (rel->relkind != 'r' && rel->relkind != 'f')
            continue;
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_TYPE_OID, sysview_rowtype_oid(rel->oid));
        sv_text(&r, PG_TYPE_TYPNAME, rel->name);
        sv_int(&r, PG_TYPE_TYPNAMESPACE, sv_schema_oid(schemas, nschemas, rel->schema));
        sv_int(&r, PG_TYPE_TYPOWNER, SV_OWNER_OID);
        sv_int(&r, PG_TYPE_TYPLEN, -1);
        sv_bool(&r, PG_TYPE_TYPBYVAL, false);
        sv_char(&r, PG_TYPE_TYPTYPE, 'c');
        sv_char(&r, PG_TYPE_TYPCATEGORY, 'C');
        sv_bool(&r, PG_TYPE_TYPISPREFERRED, false);
        sv_bool(&r, PG_TYPE_TYPISDEFINED, true);
        sv_char(&r, PG_TYPE_TYPDELIM, ',');
        sv_int(&r, PG_TYPE_TYPRELID, rel->oid);
        sv_int(&r, PG_TYPE_TYPSUBSCRIPT, 0);
        sv_int(&r, PG_TYPE_TYPELEM, 0);
        sv_int(&r, PG_TYPE_TYPARRAY, 0);
        sv_int(&r, PG_TYPE_TYPINPUT, sysview_io_proc_oid("record_in"));
        sv_int(&r, PG_TYPE_TYPOUTPUT, sysview_io_proc_oid("record_out"));
        sv_int(&r, PG_TYPE_TYPRECEIVE, sysview_io_proc_oid("record_recv"));
        sv_int(&r, PG_TYPE_TYPSEND, sysview_io_proc_oid("record_send"));
        sv_int(&r, PG_TYPE_TYPMODIN, 0);
        sv_int(&r, PG_TYPE_TYPMODOUT, 0);
        sv_int(&r, PG_TYPE_TYPANALYZE, 0);
        sv_char(&r, PG_TYPE_TYPALIGN, 'd');
        sv_char(&r, PG_TYPE_TYPSTORAGE, 'x');
        sv_bool(&r, PG_TYPE_TYPNOTNULL, false);
        sv_int(&r, PG_TYPE_TYPBASETYPE, 0);
        sv_int(&r, PG_TYPE_TYPTYPMOD, -1);
        sv_int(&r, PG_TYPE_TYPNDIMS, 0);
        sv_int(&r, PG_TYPE_TYPCOLLATION, 0);
    }
}

static char volatility_of(unsigned flags)
{
    return (flags & FN_VOLATILE) ? 'v' : (flags & FN_STABLE) ? 's' : 'i';
}

/* One pg_proc row of a registry function or aggregate. */
static void proc_row(RowSet *rs, Oid oid, const char *name, int nargs, const int *args, int ret,
                     unsigned flags, bool strict, char kind)
{
    Oid argoids[FUNC_MAX_ARGS];
    for (int i = 0; i < nargs && i < FUNC_MAX_ARGS; i++)
        argoids[i] = sysview_functype_oid(args[i]);
    SvRow r = sv_add_row(rs);
    sv_int(&r, PG_PROC_OID, oid);
    sv_text(&r, PG_PROC_PRONAME, name);
    sv_int(&r, PG_PROC_PRONAMESPACE, SYSVIEW_NS_PG_CATALOG);
    sv_int(&r, PG_PROC_PROOWNER, SV_OWNER_OID);
    sv_int(&r, PG_PROC_PROLANG, SV_INTERNAL_LANG_OID);
    sv_float(&r, PG_PROC_PROCOST, 1);
    sv_float(&r, PG_PROC_PROROWS, 0);
    if ((flags & FN_VARIADIC) && nargs > 0) {
        sv_int(&r, PG_PROC_PROVARIADIC, argoids[nargs - 1]);
        char modes[FUNC_MAX_ARGS][2];
        const char *mp[FUNC_MAX_ARGS];
        for (int i = 0; i < nargs; i++) {
            modes[i][0] = i == nargs - 1 ? 'v' : 'i';
            modes[i][1] = '\0';
            mp[i] = modes[i];
        }
        sv_texts(&r, PG_PROC_PROARGMODES, mp, nargs);
        sv_oids(&r, PG_PROC_PROALLARGTYPES, argoids, nargs);
    }
    sv_char(&r, PG_PROC_PROKIND, kind);
    sv_bool(&r, PG_PROC_PROISSTRICT, strict);
    sv_char(&r, PG_PROC_PROVOLATILE, volatility_of(flags));
    sv_char(&r, PG_PROC_PROPARALLEL, 's');
    sv_int(&r, PG_PROC_PRONARGS, nargs);
    sv_int(&r, PG_PROC_PRORETTYPE, sysview_functype_oid(ret));
    sv_oids(&r, PG_PROC_PROARGTYPES, argoids, nargs);
    sv_text(&r, PG_PROC_PROSRC, kind == 'a' ? "aggregate_dummy" : name);
}

static void fill_pg_proc(ExecContext *ctx, RowSet *rs)
{
    (void)ctx;
    int nf = func_count(), na = agg_count();
    for (int i = 0; i < nf; i++) {
        const FuncDesc *f = func_at(i);
        if (f->flags & FN_OPERATOR)
            continue;
        proc_row(rs, sysview_func_oid(i), f->name, f->nargs, f->args, f->ret, f->flags,
                 (f->flags & FN_STRICT) != 0, 'f');
    }
    for (int i = 0; i < na; i++) {
        const AggDesc *g = agg_at(i);
        proc_row(rs, sysview_agg_oid(i), g->name, g->nargs, g->args, g->ret, 0, false, 'a');
    }
    for (size_t i = 0; i < LM_ARRAY_LEN(io_procs); i++) {
        const IoProc *p = &io_procs[i];
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_PROC_OID, p->oid);
        sv_text(&r, PG_PROC_PRONAME, p->name);
        sv_int(&r, PG_PROC_PRONAMESPACE, SYSVIEW_NS_PG_CATALOG);
        sv_int(&r, PG_PROC_PROOWNER, SV_OWNER_OID);
        sv_int(&r, PG_PROC_PROLANG, SV_INTERNAL_LANG_OID);
        sv_float(&r, PG_PROC_PROCOST, 1);
        sv_char(&r, PG_PROC_PROKIND, 'f');
        sv_bool(&r, PG_PROC_PROISSTRICT, true);
        sv_char(&r, PG_PROC_PROVOLATILE, p->volatility);
        sv_char(&r, PG_PROC_PROPARALLEL, 's');
        sv_int(&r, PG_PROC_PRONARGS, p->nargs);
        sv_int(&r, PG_PROC_PRORETTYPE, p->rettype);
        sv_oids(&r, PG_PROC_PROARGTYPES, p->args, p->nargs);
        sv_text(&r, PG_PROC_PROSRC, p->name);
    }
}

static void fill_pg_aggregate(ExecContext *ctx, RowSet *rs)
{
    (void)ctx;
    int na = agg_count();
    for (int i = 0; i < na; i++) {
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_AGGREGATE_AGGFNOID, sysview_agg_oid(i));
        sv_char(&r, PG_AGGREGATE_AGGKIND, 'n');
        sv_char(&r, PG_AGGREGATE_AGGFINALMODIFY, 'r');
        sv_char(&r, PG_AGGREGATE_AGGMFINALMODIFY, 'r');
        sv_int(&r, PG_AGGREGATE_AGGTRANSTYPE, 2281); /* internal: the state is Laminar's own */
    }
}

static void fill_pg_operator(ExecContext *ctx, RowSet *rs)
{
    (void)ctx;
    int nf = func_count();
    for (int i = 0; i < nf; i++) {
        const FuncDesc *f = func_at(i);
        if (!(f->flags & FN_OPERATOR) || f->nargs < 1 || f->nargs > 2)
            continue;
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_OPERATOR_OID, SV_OPERATOR_OID_BASE + (Oid)i);
        sv_text(&r, PG_OPERATOR_OPRNAME, f->name);
        sv_int(&r, PG_OPERATOR_OPRNAMESPACE, SYSVIEW_NS_PG_CATALOG);
        sv_int(&r, PG_OPERATOR_OPROWNER, SV_OWNER_OID);
        sv_char(&r, PG_OPERATOR_OPRKIND, f->nargs == 2 ? 'b' : 'l');
        if (f->nargs == 2)
            sv_int(&r, PG_OPERATOR_OPRLEFT, sysview_functype_oid(f->args[0]));
        sv_int(&r, PG_OPERATOR_OPRRIGHT, sysview_functype_oid(f->args[f->nargs - 1]));
        sv_int(&r, PG_OPERATOR_OPRRESULT, sysview_functype_oid(f->ret));
        sv_int(&r, PG_OPERATOR_OPRCODE, sysview_func_oid(i));
    }
}

static void fill_pg_language(ExecContext *ctx, RowSet *rs)
{
    (void)ctx;
    static const struct {
        Oid oid;
        const char *name;
    } langs[] = {
        {SV_INTERNAL_LANG_OID, "internal"}, {SV_C_LANG_OID, "c"}, {SV_SQL_LANG_OID, "sql"}};
    for (size_t i = 0; i < LM_ARRAY_LEN(langs); i++) {
        SvRow r = sv_add_row(rs);
        sv_int(&r, PG_LANGUAGE_OID, langs[i].oid);
        sv_text(&r, PG_LANGUAGE_LANNAME, langs[i].name);
        sv_int(&r, PG_LANGUAGE_LANOWNER, SV_OWNER_OID);
        sv_bool(&r, PG_LANGUAGE_LANPLTRUSTED, langs[i].oid == SV_SQL_LANG_OID);
    }
}

SV_VIEW(v_pg_type, "pg_catalog", "pg_type", 1247, cols_pg_type, fill_pg_type,
        "data types (Laminar's types under their PostgreSQL names)");
SV_VIEW(v_pg_proc, "pg_catalog", "pg_proc", 1255, cols_pg_proc, fill_pg_proc,
        "functions and aggregates");
SV_VIEW(v_pg_aggregate, "pg_catalog", "pg_aggregate", 2600, cols_pg_aggregate, fill_pg_aggregate,
        "aggregate functions");
SV_VIEW(v_pg_operator, "pg_catalog", "pg_operator", 2617, cols_pg_operator, fill_pg_operator,
        "operators");
SV_VIEW(v_pg_language, "pg_catalog", "pg_language", 2612, cols_pg_language, fill_pg_language,
        "languages functions are written in");

const SystemView *const sysviews_pgtype[] = {&v_pg_type, &v_pg_proc, &v_pg_aggregate,
                                             &v_pg_operator, &v_pg_language};
const int nsysviews_pgtype = (int)LM_ARRAY_LEN(sysviews_pgtype);

void sv_describe_functions(ExecContext *ctx, RowSet *rs, int objoid_col, int classoid_col,
                           int description_col)
{
    (void)ctx;
    int nf = func_count(), na = agg_count();
    for (int i = 0; i < nf; i++) {
        const FuncDesc *f = func_at(i);
        if ((f->flags & FN_OPERATOR) || f->description == NULL)
            continue;
        SvRow r = sv_add_row(rs);
        sv_int(&r, objoid_col, sysview_func_oid(i));
        sv_int(&r, classoid_col, SV_PG_PROC_OID);
        sv_text(&r, description_col, f->description);
    }
    for (int i = 0; i < na; i++) {
        const AggDesc *g = agg_at(i);
        if (g->description == NULL)
            continue;
        SvRow r = sv_add_row(rs);
        sv_int(&r, objoid_col, sysview_agg_oid(i));
        sv_int(&r, classoid_col, SV_PG_PROC_OID);
        sv_text(&r, description_col, g->description);
    }
}
