/*
 * sysview_info.c: information_schema — schemata, tables, columns, views,
 * table_constraints, key_column_usage, constraint_column_usage, routines,
 * enabled_roles, and (without rows) referential_constraints,
 * check_constraints, sequences, triggers, applicable_roles, parameters.
 *
 * Rows follow PostgreSQL 15's definitions of these views: data_type spells
 * types as the standard does ("integer", "character varying", "timestamp
 * without time zone", "ARRAY", ...), udt_name is the pg_type name ("int4",
 * "_text"), yes/no columns are 'YES'/'NO'.  Tables report table_type
 * 'BASE TABLE' (plain), 'FOREIGN' (source and sink tables) or 'VIEW'
 * (system views).  Not-null constraints are not listed as CHECK constraints
 * (PostgreSQL 15 does; nothing we know of reads them).
 */
#include "executor/func.h"
#include "planner/sysview_int.h"

#include <string.h>

/* information_schema.schemata */
enum {
    IS_SCHEMATA_CATALOG_NAME,
    IS_SCHEMATA_SCHEMA_NAME,
    IS_SCHEMATA_SCHEMA_OWNER,
    IS_SCHEMATA_DEFAULT_CHARACTER_SET_CATALOG,
    IS_SCHEMATA_DEFAULT_CHARACTER_SET_SCHEMA,
    IS_SCHEMATA_DEFAULT_CHARACTER_SET_NAME,
    IS_SCHEMATA_SQL_PATH,
};
static const RelColumn cols_is_schemata[] = {
    {"catalog_name", &svt_name},
    {"schema_name", &svt_name},
    {"schema_owner", &svt_name},
    {"default_character_set_catalog", &svt_name},
    {"default_character_set_schema", &svt_name},
    {"default_character_set_name", &svt_name},
    {"sql_path", &svt_text},
};

/* information_schema.tables */
enum {
    IS_TABLES_TABLE_CATALOG,
    IS_TABLES_TABLE_SCHEMA,
    IS_TABLES_TABLE_NAME,
    IS_TABLES_TABLE_TYPE,
    IS_TABLES_SELF_REFERENCING_COLUMN_NAME,
    IS_TABLES_REFERENCE_GENERATION,
    IS_TABLES_USER_DEFINED_TYPE_CATALOG,
    IS_TABLES_USER_DEFINED_TYPE_SCHEMA,
    IS_TABLES_USER_DEFINED_TYPE_NAME,
    IS_TABLES_IS_INSERTABLE_INTO,
    IS_TABLES_IS_TYPED,
    IS_TABLES_COMMIT_ACTION,
};
static const RelColumn cols_is_tables[] = {
    {"table_catalog", &svt_name},
    {"table_schema", &svt_name},
    {"table_name", &svt_name},
    {"table_type", &svt_text},
    {"self_referencing_column_name", &svt_name},
    {"reference_generation", &svt_text},
    {"user_defined_type_catalog", &svt_name},
    {"user_defined_type_schema", &svt_name},
    {"user_defined_type_name", &svt_name},
    {"is_insertable_into", &svt_text},
    {"is_typed", &svt_text},
    {"commit_action", &svt_text},
};

/* information_schema.columns */
enum {
    IS_COLUMNS_TABLE_CATALOG,
    IS_COLUMNS_TABLE_SCHEMA,
    IS_COLUMNS_TABLE_NAME,
    IS_COLUMNS_COLUMN_NAME,
    IS_COLUMNS_ORDINAL_POSITION,
    IS_COLUMNS_COLUMN_DEFAULT,
    IS_COLUMNS_IS_NULLABLE,
    IS_COLUMNS_DATA_TYPE,
    IS_COLUMNS_CHARACTER_MAXIMUM_LENGTH,
    IS_COLUMNS_CHARACTER_OCTET_LENGTH,
    IS_COLUMNS_NUMERIC_PRECISION,
    IS_COLUMNS_NUMERIC_PRECISION_RADIX,
    IS_COLUMNS_NUMERIC_SCALE,
    IS_COLUMNS_DATETIME_PRECISION,
    IS_COLUMNS_INTERVAL_TYPE,
    IS_COLUMNS_INTERVAL_PRECISION,
    IS_COLUMNS_CHARACTER_SET_CATALOG,
    IS_COLUMNS_CHARACTER_SET_SCHEMA,
    IS_COLUMNS_CHARACTER_SET_NAME,
    IS_COLUMNS_COLLATION_CATALOG,
    IS_COLUMNS_COLLATION_SCHEMA,
    IS_COLUMNS_COLLATION_NAME,
    IS_COLUMNS_DOMAIN_CATALOG,
    IS_COLUMNS_DOMAIN_SCHEMA,
    IS_COLUMNS_DOMAIN_NAME,
    IS_COLUMNS_UDT_CATALOG,
    IS_COLUMNS_UDT_SCHEMA,
    IS_COLUMNS_UDT_NAME,
    IS_COLUMNS_SCOPE_CATALOG,
    IS_COLUMNS_SCOPE_SCHEMA,
    IS_COLUMNS_SCOPE_NAME,
    IS_COLUMNS_MAXIMUM_CARDINALITY,
    IS_COLUMNS_DTD_IDENTIFIER,
    IS_COLUMNS_IS_SELF_REFERENCING,
    IS_COLUMNS_IS_IDENTITY,
    IS_COLUMNS_IDENTITY_GENERATION,
    IS_COLUMNS_IDENTITY_START,
    IS_COLUMNS_IDENTITY_INCREMENT,
    IS_COLUMNS_IDENTITY_MAXIMUM,
    IS_COLUMNS_IDENTITY_MINIMUM,
    IS_COLUMNS_IDENTITY_CYCLE,
    IS_COLUMNS_IS_GENERATED,
    IS_COLUMNS_GENERATION_EXPRESSION,
    IS_COLUMNS_IS_UPDATABLE,
};
static const RelColumn cols_is_columns[] = {
    {"table_catalog", &svt_name},
    {"table_schema", &svt_name},
    {"table_name", &svt_name},
    {"column_name", &svt_name},
    {"ordinal_position", &svt_int4},
    {"column_default", &svt_text},
    {"is_nullable", &svt_text},
    {"data_type", &svt_text},
    {"character_maximum_length", &svt_int4},
    {"character_octet_length", &svt_int4},
    {"numeric_precision", &svt_int4},
    {"numeric_precision_radix", &svt_int4},
    {"numeric_scale", &svt_int4},
    {"datetime_precision", &svt_int4},
    {"interval_type", &svt_text},
    {"interval_precision", &svt_int4},
    {"character_set_catalog", &svt_name},
    {"character_set_schema", &svt_name},
    {"character_set_name", &svt_name},
    {"collation_catalog", &svt_name},
    {"collation_schema", &svt_name},
    {"collation_name", &svt_name},
    {"domain_catalog", &svt_name},
    {"domain_schema", &svt_name},
    {"domain_name", &svt_name},
    {"udt_catalog", &svt_name},
    {"udt_schema", &svt_name},
    {"udt_name", &svt_name},
    {"scope_catalog", &svt_name},
    {"scope_schema", &svt_name},
    {"scope_name", &svt_name},
    {"maximum_cardinality", &svt_int4},
    {"dtd_identifier", &svt_name},
    {"is_self_referencing", &svt_text},
    {"is_identity", &svt_text},
    {"identity_generation", &svt_text},
    {"identity_start", &svt_text},
    {"identity_increment", &svt_text},
    {"identity_maximum", &svt_text},
    {"identity_minimum", &svt_text},
    {"identity_cycle", &svt_text},
    {"is_generated", &svt_text},
    {"generation_expression", &svt_text},
    {"is_updatable", &svt_text},
};

/* information_schema.views */
enum {
    IS_VIEWS_TABLE_CATALOG,
    IS_VIEWS_TABLE_SCHEMA,
    IS_VIEWS_TABLE_NAME,
    IS_VIEWS_VIEW_DEFINITION,
    IS_VIEWS_CHECK_OPTION,
    IS_VIEWS_IS_UPDATABLE,
    IS_VIEWS_IS_INSERTABLE_INTO,
    IS_VIEWS_IS_TRIGGER_UPDATABLE,
    IS_VIEWS_IS_TRIGGER_DELETABLE,
    IS_VIEWS_IS_TRIGGER_INSERTABLE_INTO,
};
static const RelColumn cols_is_views[] = {
    {"table_catalog", &svt_name},        {"table_schema", &svt_name},
    {"table_name", &svt_name},           {"view_definition", &svt_text},
    {"check_option", &svt_text},         {"is_updatable", &svt_text},
    {"is_insertable_into", &svt_text},   {"is_trigger_updatable", &svt_text},
    {"is_trigger_deletable", &svt_text}, {"is_trigger_insertable_into", &svt_text},
};

/* information_schema.table_constraints */
enum {
    IS_TABLE_CONSTRAINTS_CONSTRAINT_CATALOG,
    IS_TABLE_CONSTRAINTS_CONSTRAINT_SCHEMA,
    IS_TABLE_CONSTRAINTS_CONSTRAINT_NAME,
    IS_TABLE_CONSTRAINTS_TABLE_CATALOG,
    IS_TABLE_CONSTRAINTS_TABLE_SCHEMA,
    IS_TABLE_CONSTRAINTS_TABLE_NAME,
    IS_TABLE_CONSTRAINTS_CONSTRAINT_TYPE,
    IS_TABLE_CONSTRAINTS_IS_DEFERRABLE,
    IS_TABLE_CONSTRAINTS_INITIALLY_DEFERRED,
    IS_TABLE_CONSTRAINTS_ENFORCED,
    IS_TABLE_CONSTRAINTS_NULLS_DISTINCT,
};
static const RelColumn cols_is_table_constraints[] = {
    {"constraint_catalog", &svt_name}, {"constraint_schema", &svt_name},
    {"constraint_name", &svt_name},    {"table_catalog", &svt_name},
    {"table_schema", &svt_name},       {"table_name", &svt_name},
    {"constraint_type", &svt_text},    {"is_deferrable", &svt_text},
    {"initially_deferred", &svt_text}, {"enforced", &svt_text},
    {"nulls_distinct", &svt_text},
};

/* information_schema.key_column_usage */
enum {
    IS_KEY_COLUMN_USAGE_CONSTRAINT_CATALOG,
    IS_KEY_COLUMN_USAGE_CONSTRAINT_SCHEMA,
    IS_KEY_COLUMN_USAGE_CONSTRAINT_NAME,
    IS_KEY_COLUMN_USAGE_TABLE_CATALOG,
    IS_KEY_COLUMN_USAGE_TABLE_SCHEMA,
    IS_KEY_COLUMN_USAGE_TABLE_NAME,
    IS_KEY_COLUMN_USAGE_COLUMN_NAME,
    IS_KEY_COLUMN_USAGE_ORDINAL_POSITION,
    IS_KEY_COLUMN_USAGE_POSITION_IN_UNIQUE_CONSTRAINT,
};
static const RelColumn cols_is_key_column_usage[] = {
    {"constraint_catalog", &svt_name},
    {"constraint_schema", &svt_name},
    {"constraint_name", &svt_name},
    {"table_catalog", &svt_name},
    {"table_schema", &svt_name},
    {"table_name", &svt_name},
    {"column_name", &svt_name},
    {"ordinal_position", &svt_int4},
    {"position_in_unique_constraint", &svt_int4},
};

/* information_schema.constraint_column_usage */
enum {
    IS_CONSTRAINT_COLUMN_USAGE_TABLE_CATALOG,
    IS_CONSTRAINT_COLUMN_USAGE_TABLE_SCHEMA,
    IS_CONSTRAINT_COLUMN_USAGE_TABLE_NAME,
    IS_CONSTRAINT_COLUMN_USAGE_COLUMN_NAME,
    IS_CONSTRAINT_COLUMN_USAGE_CONSTRAINT_CATALOG,
    IS_CONSTRAINT_COLUMN_USAGE_CONSTRAINT_SCHEMA,
    IS_CONSTRAINT_COLUMN_USAGE_CONSTRAINT_NAME,
};
static const RelColumn cols_is_constraint_column_usage[] = {
    {"table_catalog", &svt_name},      {"table_schema", &svt_name},
    {"table_name", &svt_name},         {"column_name", &svt_name},
    {"constraint_catalog", &svt_name}, {"constraint_schema", &svt_name},
    {"constraint_name", &svt_name},
};

/* information_schema.routines */
enum {
    IS_ROUTINES_SPECIFIC_CATALOG,
    IS_ROUTINES_SPECIFIC_SCHEMA,
    IS_ROUTINES_SPECIFIC_NAME,
    IS_ROUTINES_ROUTINE_CATALOG,
    IS_ROUTINES_ROUTINE_SCHEMA,
    IS_ROUTINES_ROUTINE_NAME,
    IS_ROUTINES_ROUTINE_TYPE,
    IS_ROUTINES_MODULE_CATALOG,
    IS_ROUTINES_MODULE_SCHEMA,
    IS_ROUTINES_MODULE_NAME,
    IS_ROUTINES_UDT_CATALOG,
    IS_ROUTINES_UDT_SCHEMA,
    IS_ROUTINES_UDT_NAME,
    IS_ROUTINES_DATA_TYPE,
    IS_ROUTINES_CHARACTER_MAXIMUM_LENGTH,
    IS_ROUTINES_CHARACTER_OCTET_LENGTH,
    IS_ROUTINES_CHARACTER_SET_CATALOG,
    IS_ROUTINES_CHARACTER_SET_SCHEMA,
    IS_ROUTINES_CHARACTER_SET_NAME,
    IS_ROUTINES_COLLATION_CATALOG,
    IS_ROUTINES_COLLATION_SCHEMA,
    IS_ROUTINES_COLLATION_NAME,
    IS_ROUTINES_NUMERIC_PRECISION,
    IS_ROUTINES_NUMERIC_PRECISION_RADIX,
    IS_ROUTINES_NUMERIC_SCALE,
    IS_ROUTINES_DATETIME_PRECISION,
    IS_ROUTINES_INTERVAL_TYPE,
    IS_ROUTINES_INTERVAL_PRECISION,
    IS_ROUTINES_TYPE_UDT_CATALOG,
    IS_ROUTINES_TYPE_UDT_SCHEMA,
    IS_ROUTINES_TYPE_UDT_NAME,
    IS_ROUTINES_SCOPE_CATALOG,
    IS_ROUTINES_SCOPE_SCHEMA,
    IS_ROUTINES_SCOPE_NAME,
    IS_ROUTINES_MAXIMUM_CARDINALITY,
    IS_ROUTINES_DTD_IDENTIFIER,
    IS_ROUTINES_ROUTINE_BODY,
    IS_ROUTINES_ROUTINE_DEFINITION,
    IS_ROUTINES_EXTERNAL_NAME,
    IS_ROUTINES_EXTERNAL_LANGUAGE,
    IS_ROUTINES_PARAMETER_STYLE,
    IS_ROUTINES_IS_DETERMINISTIC,
    IS_ROUTINES_SQL_DATA_ACCESS,
    IS_ROUTINES_IS_NULL_CALL,
    IS_ROUTINES_SQL_PATH,
    IS_ROUTINES_SCHEMA_LEVEL_ROUTINE,
    IS_ROUTINES_MAX_DYNAMIC_RESULT_SETS,
    IS_ROUTINES_IS_USER_DEFINED_CAST,
    IS_ROUTINES_IS_IMPLICITLY_INVOCABLE,
    IS_ROUTINES_SECURITY_TYPE,
    IS_ROUTINES_TO_SQL_SPECIFIC_CATALOG,
    IS_ROUTINES_TO_SQL_SPECIFIC_SCHEMA,
    IS_ROUTINES_TO_SQL_SPECIFIC_NAME,
    IS_ROUTINES_AS_LOCATOR,
    IS_ROUTINES_CREATED,
    IS_ROUTINES_LAST_ALTERED,
    IS_ROUTINES_NEW_SAVEPOINT_LEVEL,
    IS_ROUTINES_IS_UDT_DEPENDENT,
    IS_ROUTINES_RESULT_CAST_FROM_DATA_TYPE,
    IS_ROUTINES_RESULT_CAST_AS_LOCATOR,
    IS_ROUTINES_RESULT_CAST_CHAR_MAX_LENGTH,
    IS_ROUTINES_RESULT_CAST_CHAR_OCTET_LENGTH,
    IS_ROUTINES_RESULT_CAST_CHAR_SET_CATALOG,
    IS_ROUTINES_RESULT_CAST_CHAR_SET_SCHEMA,
    IS_ROUTINES_RESULT_CAST_CHAR_SET_NAME,
    IS_ROUTINES_RESULT_CAST_COLLATION_CATALOG,
    IS_ROUTINES_RESULT_CAST_COLLATION_SCHEMA,
    IS_ROUTINES_RESULT_CAST_COLLATION_NAME,
    IS_ROUTINES_RESULT_CAST_NUMERIC_PRECISION,
    IS_ROUTINES_RESULT_CAST_NUMERIC_PRECISION_RADIX,
    IS_ROUTINES_RESULT_CAST_NUMERIC_SCALE,
    IS_ROUTINES_RESULT_CAST_DATETIME_PRECISION,
    IS_ROUTINES_RESULT_CAST_INTERVAL_TYPE,
    IS_ROUTINES_RESULT_CAST_INTERVAL_PRECISION,
    IS_ROUTINES_RESULT_CAST_TYPE_UDT_CATALOG,
    IS_ROUTINES_RESULT_CAST_TYPE_UDT_SCHEMA,
    IS_ROUTINES_RESULT_CAST_TYPE_UDT_NAME,
    IS_ROUTINES_RESULT_CAST_SCOPE_CATALOG,
    IS_ROUTINES_RESULT_CAST_SCOPE_SCHEMA,
    IS_ROUTINES_RESULT_CAST_SCOPE_NAME,
    IS_ROUTINES_RESULT_CAST_MAXIMUM_CARDINALITY,
    IS_ROUTINES_RESULT_CAST_DTD_IDENTIFIER,
};
static const RelColumn cols_is_routines[] = {
    {"specific_catalog", &svt_name},
    {"specific_schema", &svt_name},
    {"specific_name", &svt_name},
    {"routine_catalog", &svt_name},
    {"routine_schema", &svt_name},
    {"routine_name", &svt_name},
    {"routine_type", &svt_text},
    {"module_catalog", &svt_name},
    {"module_schema", &svt_name},
    {"module_name", &svt_name},
    {"udt_catalog", &svt_name},
    {"udt_schema", &svt_name},
    {"udt_name", &svt_name},
    {"data_type", &svt_text},
    {"character_maximum_length", &svt_int4},
    {"character_octet_length", &svt_int4},
    {"character_set_catalog", &svt_name},
    {"character_set_schema", &svt_name},
    {"character_set_name", &svt_name},
    {"collation_catalog", &svt_name},
    {"collation_schema", &svt_name},
    {"collation_name", &svt_name},
    {"numeric_precision", &svt_int4},
    {"numeric_precision_radix", &svt_int4},
    {"numeric_scale", &svt_int4},
    {"datetime_precision", &svt_int4},
    {"interval_type", &svt_text},
    {"interval_precision", &svt_int4},
    {"type_udt_catalog", &svt_name},
    {"type_udt_schema", &svt_name},
    {"type_udt_name", &svt_name},
    {"scope_catalog", &svt_name},
    {"scope_schema", &svt_name},
    {"scope_name", &svt_name},
    {"maximum_cardinality", &svt_int4},
    {"dtd_identifier", &svt_name},
    {"routine_body", &svt_text},
    {"routine_definition", &svt_text},
    {"external_name", &svt_text},
    {"external_language", &svt_text},
    {"parameter_style", &svt_text},
    {"is_deterministic", &svt_text},
    {"sql_data_access", &svt_text},
    {"is_null_call", &svt_text},
    {"sql_path", &svt_text},
    {"schema_level_routine", &svt_text},
    {"max_dynamic_result_sets", &svt_int4},
    {"is_user_defined_cast", &svt_text},
    {"is_implicitly_invocable", &svt_text},
    {"security_type", &svt_text},
    {"to_sql_specific_catalog", &svt_name},
    {"to_sql_specific_schema", &svt_name},
    {"to_sql_specific_name", &svt_name},
    {"as_locator", &svt_text},
    {"created", &svt_timestamptz},
    {"last_altered", &svt_timestamptz},
    {"new_savepoint_level", &svt_text},
    {"is_udt_dependent", &svt_text},
    {"result_cast_from_data_type", &svt_text},
    {"result_cast_as_locator", &svt_text},
    {"result_cast_char_max_length", &svt_int4},
    {"result_cast_char_octet_length", &svt_int4},
    {"result_cast_char_set_catalog", &svt_name},
    {"result_cast_char_set_schema", &svt_name},
    {"result_cast_char_set_name", &svt_name},
    {"result_cast_collation_catalog", &svt_name},
    {"result_cast_collation_schema", &svt_name},
    {"result_cast_collation_name", &svt_name},
    {"result_cast_numeric_precision", &svt_int4},
    {"result_cast_numeric_precision_radix", &svt_int4},
    {"result_cast_numeric_scale", &svt_int4},
    {"result_cast_datetime_precision", &svt_int4},
    {"result_cast_interval_type", &svt_text},
    {"result_cast_interval_precision", &svt_int4},
    {"result_cast_type_udt_catalog", &svt_name},
    {"result_cast_type_udt_schema", &svt_name},
    {"result_cast_type_udt_name", &svt_name},
    {"result_cast_scope_catalog", &svt_name},
    {"result_cast_scope_schema", &svt_name},
    {"result_cast_scope_name", &svt_name},
    {"result_cast_maximum_cardinality", &svt_int4},
    {"result_cast_dtd_identifier", &svt_name},
};

/* information_schema.enabled_roles */
enum {
    IS_ENABLED_ROLES_ROLE_NAME,
};
static const RelColumn cols_is_enabled_roles[] = {
    {"role_name", &svt_name},
};

/* ---- columns of the views without rows (generated from PostgreSQL 15) ---- */

/* information_schema.referential_constraints */
static const RelColumn cols_is_referential_constraints[] = {
    {"constraint_catalog", &svt_name},
    {"constraint_schema", &svt_name},
    {"constraint_name", &svt_name},
    {"unique_constraint_catalog", &svt_name},
    {"unique_constraint_schema", &svt_name},
    {"unique_constraint_name", &svt_name},
    {"match_option", &svt_text},
    {"update_rule", &svt_text},
    {"delete_rule", &svt_text},
};

/* information_schema.check_constraints */
static const RelColumn cols_is_check_constraints[] = {
    {"constraint_catalog", &svt_name},
    {"constraint_schema", &svt_name},
    {"constraint_name", &svt_name},
    {"check_clause", &svt_text},
};

/* information_schema.sequences */
static const RelColumn cols_is_sequences[] = {
    {"sequence_catalog", &svt_name},  {"sequence_schema", &svt_name},
    {"sequence_name", &svt_name},     {"data_type", &svt_text},
    {"numeric_precision", &svt_int4}, {"numeric_precision_radix", &svt_int4},
    {"numeric_scale", &svt_int4},     {"start_value", &svt_text},
    {"minimum_value", &svt_text},     {"maximum_value", &svt_text},
    {"increment", &svt_text},         {"cycle_option", &svt_text},
};

/* information_schema.triggers */
static const RelColumn cols_is_triggers[] = {
    {"trigger_catalog", &svt_name},
    {"trigger_schema", &svt_name},
    {"trigger_name", &svt_name},
    {"event_manipulation", &svt_text},
    {"event_object_catalog", &svt_name},
    {"event_object_schema", &svt_name},
    {"event_object_table", &svt_name},
    {"action_order", &svt_int4},
    {"action_condition", &svt_text},
    {"action_statement", &svt_text},
    {"action_orientation", &svt_text},
    {"action_timing", &svt_text},
    {"action_reference_old_table", &svt_name},
    {"action_reference_new_table", &svt_name},
    {"action_reference_old_row", &svt_name},
    {"action_reference_new_row", &svt_name},
    {"created", &svt_timestamptz},
};

/* information_schema.applicable_roles */
static const RelColumn cols_is_applicable_roles[] = {
    {"grantee", &svt_name},
    {"role_name", &svt_name},
    {"is_grantable", &svt_text},
};

/* information_schema.parameters */
static const RelColumn cols_is_parameters[] = {
    {"specific_catalog", &svt_name},
    {"specific_schema", &svt_name},
    {"specific_name", &svt_name},
    {"ordinal_position", &svt_int4},
    {"parameter_mode", &svt_text},
    {"is_result", &svt_text},
    {"as_locator", &svt_text},
    {"parameter_name", &svt_name},
    {"data_type", &svt_text},
    {"character_maximum_length", &svt_int4},
    {"character_octet_length", &svt_int4},
    {"character_set_catalog", &svt_name},
    {"character_set_schema", &svt_name},
    {"character_set_name", &svt_name},
    {"collation_catalog", &svt_name},
    {"collation_schema", &svt_name},
    {"collation_name", &svt_name},
    {"numeric_precision", &svt_int4},
    {"numeric_precision_radix", &svt_int4},
    {"numeric_scale", &svt_int4},
    {"datetime_precision", &svt_int4},
    {"interval_type", &svt_text},
    {"interval_precision", &svt_int4},
    {"udt_catalog", &svt_name},
    {"udt_schema", &svt_name},
    {"udt_name", &svt_name},
    {"scope_catalog", &svt_name},
    {"scope_schema", &svt_name},
    {"scope_name", &svt_name},
    {"maximum_cardinality", &svt_int4},
    {"dtd_identifier", &svt_name},
    {"parameter_default", &svt_text},
};
/* ---- helpers ---- */

static const char *catalog_name(ExecContext *ctx)
{
    return ctx->svc && ctx->svc->database ? ctx->svc->database : "laminar";
}

static const char *yes_no(bool b)
{
    return b ? "YES" : "NO";
}

/* The standard's spelling of a type (format_type without modifiers; arrays are "ARRAY"). */
static const char *data_type_name(Arena *a, const LmType *t)
{
    Oid oid = type_pg_oid(t);
    const PgTypeInfo *ti = sysview_pg_type(oid);
    if (ti && ti->category == 'A' && oid != INT2VECTOROID && oid != OIDVECTOROID)
        return "ARRAY";
    switch (oid) {
    case VARCHAROID:
        return "character varying";
    case BPCHAROID:
        return "character";
    case NUMERICOID:
        return "numeric";
    default: {
        StrBuf b;
        strbuf_init(&b, a);
        type_pg_format(t, &b);
        return b.data;
    }
    }
}

/* character_maximum_length, character_octet_length, numeric_precision(_radix), numeric_scale,
 * datetime_precision, interval_precision: set where the standard defines them. */
static void type_facets(SvRow *r, const LmType *t, int col_charmax, int col_octet, int col_prec,
                        int col_radix, int col_scale, int col_dtprec, int col_ivprec)
{
    switch (type_pg_oid(t)) {
    case VARCHAROID:
    case BPCHAROID:
        if (t->precision > 0) {
            sv_int(r, col_charmax, t->precision);
            sv_int(r, col_octet, (int64)t->precision * 4);
        } else
            sv_int(r, col_octet, 1073741824);
        break;
    case TEXTOID:
        sv_int(r, col_octet, 1073741824);
        break;
    case INT2OID:
        sv_int(r, col_prec, 16);
        goto binary_integer;
    case INT4OID:
        sv_int(r, col_prec, 32);
        goto binary_integer;
    case INT8OID:
        sv_int(r, col_prec, 64);
    binary_integer:
        sv_int(r, col_radix, 2);
        sv_int(r, col_scale, 0);
        break;
    case FLOAT4OID:
        sv_int(r, col_prec, 24);
        sv_int(r, col_radix, 2);
        break;
    case FLOAT8OID:
        sv_int(r, col_prec, 53);
        sv_int(r, col_radix, 2);
        break;
    case NUMERICOID:
        if (t->id == TYPE_DECIMAL && !t->numeric_trim) { /* unconstrained: NULL, as PostgreSQL */
            sv_int(r, col_prec, t->precision);
            sv_int(r, col_scale, t->scale);
        }
        sv_int(r, col_radix, 10);
        break;
    case DATEOID:
        sv_int(r, col_dtprec, 0);
        break;
    case TIMEOID:
    case TIMESTAMPOID:
    case TIMESTAMPTZOID:
        sv_int(r, col_dtprec, 6);
        break;
    case INTERVALOID:
        sv_int(r, col_dtprec, 6);
        if (col_ivprec >= 0)
            sv_null(r, col_ivprec);
        break;
    default:
        break;
    }
}

static const char *udt_name(const LmType *t)
{
    const PgTypeInfo *ti = sysview_pg_type(type_pg_oid(t));
    return ti ? ti->name : "text";
}

/* ---- fills ---- */

static void fill_schemata(ExecContext *ctx, RowSet *rs)
{
    int n;
    SvSchema *schemas = sv_schemas(ctx, &n);
    const char *owner = sv_owner_name(ctx);
    for (int i = 0; i < n; i++) {
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, IS_SCHEMATA_CATALOG_NAME, catalog_name(ctx));
        sv_text(&r, IS_SCHEMATA_SCHEMA_NAME, schemas[i].name);
        sv_text(&r, IS_SCHEMATA_SCHEMA_OWNER, schemas[i].owner ? schemas[i].owner : owner);
    }
}

static void fill_tables(ExecContext *ctx, RowSet *rs)
{
    int n;
    SvRel *rels = sv_relations(ctx, &n);
    for (int i = 0; i < n; i++) {
        const SvRel *rel = &rels[i];
        if (rel->relkind == 'i')
            continue;
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, IS_TABLES_TABLE_CATALOG, catalog_name(ctx));
        sv_text(&r, IS_TABLES_TABLE_SCHEMA, rel->schema);
        sv_text(&r, IS_TABLES_TABLE_NAME, rel->name);
        sv_text(&r, IS_TABLES_TABLE_TYPE,
                rel->relkind == 'r'   ? "BASE TABLE"
                : rel->relkind == 'f' ? "FOREIGN"
                                      : "VIEW");
        sv_text(&r, IS_TABLES_IS_INSERTABLE_INTO, yes_no(rel->relkind == 'r'));
        sv_text(&r, IS_TABLES_IS_TYPED, "NO");
    }
}

static void fill_columns(ExecContext *ctx, RowSet *rs)
{
    int n;
    SvRel *rels = sv_relations(ctx, &n);
    for (int i = 0; i < n; i++) {
        const SvRel *rel = &rels[i];
        if (rel->relkind == 'i')
            continue;
        for (int c = 0; c < rel->ncols; c++) {
            const RelColumn *col = &rel->cols[c];
            SvRow r = sv_add_null_row(rs);
            sv_text(&r, IS_COLUMNS_TABLE_CATALOG, catalog_name(ctx));
            sv_text(&r, IS_COLUMNS_TABLE_SCHEMA, rel->schema);
            sv_text(&r, IS_COLUMNS_TABLE_NAME, rel->name);
            sv_text(&r, IS_COLUMNS_COLUMN_NAME, col->name);
            sv_int(&r, IS_COLUMNS_ORDINAL_POSITION, c + 1);
            sv_text(&r, IS_COLUMNS_COLUMN_DEFAULT, col->default_expr);
            sv_text(&r, IS_COLUMNS_IS_NULLABLE, yes_no(!col->not_null));
            sv_text(&r, IS_COLUMNS_DATA_TYPE, data_type_name(ctx->arena, col->type));
            type_facets(&r, col->type, IS_COLUMNS_CHARACTER_MAXIMUM_LENGTH,
                        IS_COLUMNS_CHARACTER_OCTET_LENGTH, IS_COLUMNS_NUMERIC_PRECISION,
                        IS_COLUMNS_NUMERIC_PRECISION_RADIX, IS_COLUMNS_NUMERIC_SCALE,
                        IS_COLUMNS_DATETIME_PRECISION, IS_COLUMNS_INTERVAL_PRECISION);
            sv_text(&r, IS_COLUMNS_UDT_CATALOG, catalog_name(ctx));
            sv_text(&r, IS_COLUMNS_UDT_SCHEMA, "pg_catalog");
            sv_text(&r, IS_COLUMNS_UDT_NAME, udt_name(col->type));
            sv_text(&r, IS_COLUMNS_DTD_IDENTIFIER, arena_printf(ctx->arena, "%d", c + 1));
            sv_text(&r, IS_COLUMNS_IS_SELF_REFERENCING, "NO");
            sv_text(&r, IS_COLUMNS_IS_IDENTITY, "NO");
            sv_text(&r, IS_COLUMNS_IDENTITY_CYCLE, "NO");
            sv_text(&r, IS_COLUMNS_IS_GENERATED, "NEVER");
            sv_text(&r, IS_COLUMNS_IS_UPDATABLE, yes_no(rel->relkind == 'r'));
        }
    }
}

static void fill_views(ExecContext *ctx, RowSet *rs)
{
    int nviews = sysview_count();
    for (int i = 0; i < nviews; i++) {
        const SystemView *v = sysview_at(i);
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, IS_VIEWS_TABLE_CATALOG, catalog_name(ctx));
        sv_text(&r, IS_VIEWS_TABLE_SCHEMA, v->schema);
        sv_text(&r, IS_VIEWS_TABLE_NAME, v->name);
        sv_text(&r, IS_VIEWS_VIEW_DEFINITION, sysview_definition(ctx->arena, v));
        sv_text(&r, IS_VIEWS_CHECK_OPTION, "NONE");
        sv_text(&r, IS_VIEWS_IS_UPDATABLE, "NO");
        sv_text(&r, IS_VIEWS_IS_INSERTABLE_INTO, "NO");
        sv_text(&r, IS_VIEWS_IS_TRIGGER_UPDATABLE, "NO");
        sv_text(&r, IS_VIEWS_IS_TRIGGER_DELETABLE, "NO");
        sv_text(&r, IS_VIEWS_IS_TRIGGER_INSERTABLE_INTO, "NO");
    }
}

static void fill_table_constraints(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatTable *tables = sv_tables(ctx, &n);
    for (int i = 0; i < n; i++) {
        const CatTable *t = &tables[i];
        if (t->kind != CAT_TABLE_PLAIN || t->nprimary_key <= 0)
            continue;
        SvRow r = sv_add_null_row(rs);
        sv_text(&r, IS_TABLE_CONSTRAINTS_CONSTRAINT_CATALOG, catalog_name(ctx));
        sv_text(&r, IS_TABLE_CONSTRAINTS_CONSTRAINT_SCHEMA, sv_table_schema(t));
        sv_text(&r, IS_TABLE_CONSTRAINTS_CONSTRAINT_NAME, sv_pk_name(ctx->arena, t));
        sv_text(&r, IS_TABLE_CONSTRAINTS_TABLE_CATALOG, catalog_name(ctx));
        sv_text(&r, IS_TABLE_CONSTRAINTS_TABLE_SCHEMA, sv_table_schema(t));
        sv_text(&r, IS_TABLE_CONSTRAINTS_TABLE_NAME, t->name);
        sv_text(&r, IS_TABLE_CONSTRAINTS_CONSTRAINT_TYPE, "PRIMARY KEY");
        sv_text(&r, IS_TABLE_CONSTRAINTS_IS_DEFERRABLE, "NO");
        sv_text(&r, IS_TABLE_CONSTRAINTS_INITIALLY_DEFERRED, "NO");
        sv_text(&r, IS_TABLE_CONSTRAINTS_ENFORCED, "YES");
    }
}

static void fill_key_column_usage(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatTable *tables = sv_tables(ctx, &n);
    for (int i = 0; i < n; i++) {
        const CatTable *t = &tables[i];
        if (t->kind != CAT_TABLE_PLAIN)
            continue;
        for (int k = 0; k < t->nprimary_key; k++) {
            SvRow r = sv_add_null_row(rs);
            sv_text(&r, IS_KEY_COLUMN_USAGE_CONSTRAINT_CATALOG, catalog_name(ctx));
            sv_text(&r, IS_KEY_COLUMN_USAGE_CONSTRAINT_SCHEMA, sv_table_schema(t));
            sv_text(&r, IS_KEY_COLUMN_USAGE_CONSTRAINT_NAME, sv_pk_name(ctx->arena, t));
            sv_text(&r, IS_KEY_COLUMN_USAGE_TABLE_CATALOG, catalog_name(ctx));
            sv_text(&r, IS_KEY_COLUMN_USAGE_TABLE_SCHEMA, sv_table_schema(t));
            sv_text(&r, IS_KEY_COLUMN_USAGE_TABLE_NAME, t->name);
            sv_text(&r, IS_KEY_COLUMN_USAGE_COLUMN_NAME, t->columns[t->primary_key[k]].name);
            sv_int(&r, IS_KEY_COLUMN_USAGE_ORDINAL_POSITION, k + 1);
        }
    }
}

static void fill_constraint_column_usage(ExecContext *ctx, RowSet *rs)
{
    int n;
    CatTable *tables = sv_tables(ctx, &n);
    for (int i = 0; i < n; i++) {
        const CatTable *t = &tables[i];
        if (t->kind != CAT_TABLE_PLAIN)
            continue;
        for (int k = 0; k < t->nprimary_key; k++) {
            SvRow r = sv_add_null_row(rs);
            sv_text(&r, IS_CONSTRAINT_COLUMN_USAGE_TABLE_CATALOG, catalog_name(ctx));
            sv_text(&r, IS_CONSTRAINT_COLUMN_USAGE_TABLE_SCHEMA, sv_table_schema(t));
            sv_text(&r, IS_CONSTRAINT_COLUMN_USAGE_TABLE_NAME, t->name);
            sv_text(&r, IS_CONSTRAINT_COLUMN_USAGE_COLUMN_NAME, t->columns[t->primary_key[k]].name);
            sv_text(&r, IS_CONSTRAINT_COLUMN_USAGE_CONSTRAINT_CATALOG, catalog_name(ctx));
            sv_text(&r, IS_CONSTRAINT_COLUMN_USAGE_CONSTRAINT_SCHEMA, sv_table_schema(t));
            sv_text(&r, IS_CONSTRAINT_COLUMN_USAGE_CONSTRAINT_NAME, sv_pk_name(ctx->arena, t));
        }
    }
}

/* One routines row; specific_name is name_oid as PostgreSQL makes it. */
static void routine_row(ExecContext *ctx, RowSet *rs, const char *name, Oid oid, int ret,
                        unsigned flags, bool is_agg)
{
    SvRow r = sv_add_null_row(rs);
    const char *specific = arena_printf(ctx->arena, "%s_%u", name, oid);
    sv_text(&r, IS_ROUTINES_SPECIFIC_CATALOG, catalog_name(ctx));
    sv_text(&r, IS_ROUTINES_SPECIFIC_SCHEMA, "pg_catalog");
    sv_text(&r, IS_ROUTINES_SPECIFIC_NAME, specific);
    sv_text(&r, IS_ROUTINES_ROUTINE_CATALOG, catalog_name(ctx));
    sv_text(&r, IS_ROUTINES_ROUTINE_SCHEMA, "pg_catalog");
    sv_text(&r, IS_ROUTINES_ROUTINE_NAME, name);
    sv_text(&r, IS_ROUTINES_ROUTINE_TYPE, is_agg ? NULL : "FUNCTION");
    const PgTypeInfo *ti = sysview_pg_type(sysview_functype_oid(ret));
    if (ti) {
        const char *dt = ti->name; /* pseudo-types (anyelement, ...) print as their name */
        if (ti->category == 'A' && ti->elem != 0)
            dt = "ARRAY";
        else if (ti->type != 'p') {
            const LmType *t = type_from_pg_oid(ctx->arena, ti->oid, -1);
            if (t)
                dt = data_type_name(ctx->arena, t);
        }
        sv_text(&r, IS_ROUTINES_DATA_TYPE, dt);
        sv_text(&r, IS_ROUTINES_TYPE_UDT_CATALOG, catalog_name(ctx));
        sv_text(&r, IS_ROUTINES_TYPE_UDT_SCHEMA, "pg_catalog");
        sv_text(&r, IS_ROUTINES_TYPE_UDT_NAME, ti->name);
    }
    sv_text(&r, IS_ROUTINES_DTD_IDENTIFIER, "0");
    sv_text(&r, IS_ROUTINES_ROUTINE_BODY, "EXTERNAL");
    sv_text(&r, IS_ROUTINES_EXTERNAL_NAME, name);
    sv_text(&r, IS_ROUTINES_EXTERNAL_LANGUAGE, "INTERNAL");
    sv_text(&r, IS_ROUTINES_PARAMETER_STYLE, "GENERAL");
    sv_text(&r, IS_ROUTINES_IS_DETERMINISTIC, yes_no(!(flags & (FN_VOLATILE | FN_STABLE))));
    sv_text(&r, IS_ROUTINES_SQL_DATA_ACCESS, "MODIFIES");
    sv_text(&r, IS_ROUTINES_IS_NULL_CALL, yes_no(!(flags & FN_STRICT)));
    sv_text(&r, IS_ROUTINES_SCHEMA_LEVEL_ROUTINE, "YES");
    sv_int(&r, IS_ROUTINES_MAX_DYNAMIC_RESULT_SETS, 0);
    sv_text(&r, IS_ROUTINES_IS_USER_DEFINED_CAST, "NO");
    sv_text(&r, IS_ROUTINES_IS_IMPLICITLY_INVOCABLE, "NO");
    sv_text(&r, IS_ROUTINES_SECURITY_TYPE, "INVOKER");
    sv_text(&r, IS_ROUTINES_AS_LOCATOR, "NO");
    sv_text(&r, IS_ROUTINES_IS_UDT_DEPENDENT, "NO");
}

static void fill_routines(ExecContext *ctx, RowSet *rs)
{
    int nf = func_count(), na = agg_count();
    for (int i = 0; i < nf; i++) {
        const FuncDesc *f = func_at(i);
        if (f->flags & FN_OPERATOR)
            continue;
        routine_row(ctx, rs, f->name, sysview_func_oid(i), f->ret, f->flags, false);
    }
    for (int i = 0; i < na; i++)
        routine_row(ctx, rs, agg_at(i)->name, sysview_agg_oid(i), agg_at(i)->ret, FN_STRICT, true);
}

static void fill_enabled_roles(ExecContext *ctx, RowSet *rs)
{
    SvRow r = sv_add_null_row(rs);
    sv_text(&r, IS_ENABLED_ROLES_ROLE_NAME, sv_user(ctx));
}

/* ---- registry ---- */

#define IS_VIEW(var, name_, oid_, fill_, desc_)                                                    \
    SV_VIEW(v_##var, "information_schema", name_, oid_, cols_is_##var, fill_, desc_)
IS_VIEW(schemata, "schemata", 12100, fill_schemata, "schemas");
IS_VIEW(tables, "tables", 12101, fill_tables, "tables, views, source and sink tables");
IS_VIEW(columns, "columns", 12102, fill_columns, "columns of tables and views");
IS_VIEW(views, "views", 12103, fill_views, "views");
IS_VIEW(table_constraints, "table_constraints", 12104, fill_table_constraints,
        "table constraints (primary keys)");
IS_VIEW(key_column_usage, "key_column_usage", 12105, fill_key_column_usage,
        "columns of key constraints");
IS_VIEW(constraint_column_usage, "constraint_column_usage", 12106, fill_constraint_column_usage,
        "columns used by constraints");
IS_VIEW(routines, "routines", 12107, fill_routines, "functions and aggregates");
IS_VIEW(enabled_roles, "enabled_roles", 12108, fill_enabled_roles, "the current role");
IS_VIEW(referential_constraints, "referential_constraints", 12109, sv_fill_empty,
        "foreign keys (Laminar has none)");
IS_VIEW(check_constraints, "check_constraints", 12110, sv_fill_empty,
        "check constraints (Laminar has none)");
IS_VIEW(sequences, "sequences", 12111, sv_fill_empty, "sequences (Laminar has none)");
IS_VIEW(triggers, "triggers", 12112, sv_fill_empty, "triggers (Laminar has none)");
IS_VIEW(applicable_roles, "applicable_roles", 12113, sv_fill_empty,
        "role memberships (Laminar has none)");
IS_VIEW(parameters, "parameters", 12114, sv_fill_empty,
        "function parameters (not listed: built-in functions only)");

const SystemView *const sysviews_info[] = {
    &v_schemata,
    &v_tables,
    &v_columns,
    &v_views,
    &v_table_constraints,
    &v_key_column_usage,
    &v_constraint_column_usage,
    &v_routines,
    &v_enabled_roles,
    &v_referential_constraints,
    &v_check_constraints,
    &v_sequences,
    &v_triggers,
    &v_applicable_roles,
    &v_parameters,
};
const int nsysviews_info = (int)LM_ARRAY_LEN(sysviews_info);
