/*
 * http_api_util.c: what the REST handlers share (http_api.c: connectors, profiles, tables;
 * http_api_jobs.c: pipelines and jobs): running SQL into JSON rows, request-body checks
 * (JSON object, known fields, field types; camelCase keys accepted as snake_case), catalog
 * lookups by id or name, and the translation of a request's `config` and `schema` into
 * Laminar statement text (see http_api.c for the conventions).  Names and strings are always
 * quoted; data types pass a strict character whitelist before they enter statement text.
 */
#include "server/http_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

/* Runs sql; on failure writes the mapped error to out and returns NULL. Returns the rows. */
json_t *http_run_rows(const char *sql, HttpResponse *out, json_t **notices)
{
    HttpSqlResult res;
    http_sql_run(sql, &res);
    if (!res.ok) {
        http_sql_error(out, &res);
        http_sql_result_free(&res);
        return NULL;
    }
    json_t *rows = json_incref(res.rows);
    if (notices)
        *notices = json_incref(res.notices);
    http_sql_result_free(&res);
    return rows;
}

void http_bad_request(HttpResponse *out, const char *message, json_t *details)
{
    http_error(out, 400, "VALIDATION_ERROR", message, details);
}

void http_not_found(HttpResponse *out, const char *what, const char *id)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%s not found", what);
    http_error(out, 404, "NOT_FOUND", msg, json_pack("{s:s}", "id", id));
}

void http_method_not_allowed(HttpResponse *out, const char *method)
{
    http_error(out, 405, "VALIDATION_ERROR", "method not allowed",
               json_pack("{s:s}", "method", method));
}

/* camelCase → snake_case into buf. */
void http_snake_case(const char *in, char *buf, size_t size)
{
    size_t k = 0;
    for (const char *p = in; *p && k + 2 < size; p++) {
        if (isupper((unsigned char)*p)) {
            if (k > 0 && buf[k - 1] != '_' && buf[k - 1] != '.')
                buf[k++] = '_';
            buf[k++] = (char)tolower((unsigned char)*p);
        } else
            buf[k++] = *p;
    }
    buf[k] = '\0';
}

/* A copy of obj with camelCase keys renamed to http_snake_case (top level only). */
json_t *http_normalize_keys(json_t *obj)
{
    json_t *n = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        char buf[256];
        http_snake_case(key, buf, sizeof buf);
        json_object_set(n, buf, v);
    }
    return n;
}

/* The request body as a JSON object with snake_case keys, or NULL with a 400 written. */
json_t *http_parse_body(const HttpRequest *r, HttpResponse *out)
{
    if (r->body_len == 0) {
        http_bad_request(out, "request body is required",
                         json_pack("{s:s}", "expected", "a JSON object"));
        return NULL;
    }
    json_error_t jerr;
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (j == NULL) {
        http_error(out, 400, "VALIDATION_ERROR", "malformed JSON in request body",
                   json_pack("{s:s,s:i,s:i}", "reason", jerr.text, "line", jerr.line, "column",
                             jerr.column));
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        http_bad_request(out, "request body must be a JSON object", NULL);
        return NULL;
    }
    json_t *n = http_normalize_keys(j);
    json_decref(j);
    return n;
}

/* Every key of obj must be in allowed (NULL-terminated); else a 400 naming it. */
bool http_check_fields(json_t *obj, const char *const *allowed, const char *where,
                       HttpResponse *out)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (int i = 0; allowed[i]; i++)
            if (strcmp(key, allowed[i]) == 0)
                ok = true;
        if (!ok) {
            json_t *names = json_array();
            for (int i = 0; allowed[i]; i++)
                json_array_append_new(names, json_string(allowed[i]));
            char msg[300];
            snprintf(msg, sizeof msg, "unknown field \"%s\" in %s", key, where);
            http_bad_request(out, msg,
                             json_pack("{s:s,s:o}", "field", key, "allowed_fields", names));
            return false;
        }
    }
    return true;
}

/* A string field: NULL when absent (or null); *bad set (400 written) when of another type or
 * missing while required. */
const char *http_str_field(json_t *obj, const char *name, bool required, bool *bad,
                           HttpResponse *out)
{
    if (*bad)
        return NULL;
    json_t *v = json_object_get(obj, name);
    if (v == NULL || json_is_null(v)) {
        if (required) {
            char msg[160];
            snprintf(msg, sizeof msg, "field \"%s\" is required", name);
            http_bad_request(out, msg, json_pack("{s:s}", "field", name));
            *bad = true;
        }
        return NULL;
    }
    if (!json_is_string(v)) {
        char msg[160];
        snprintf(msg, sizeof msg, "field \"%s\" must be a string", name);
        http_bad_request(out, msg, json_pack("{s:s,s:s}", "field", name, "expected", "string"));
        *bad = true;
        return NULL;
    }
    const char *s = json_string_value(v);
    if (required && *s == '\0') {
        char msg[160];
        snprintf(msg, sizeof msg, "field \"%s\" must not be empty", name);
        http_bad_request(out, msg, json_pack("{s:s}", "field", name));
        *bad = true;
        return NULL;
    }
    return s;
}

json_t *http_obj_field(json_t *obj, const char *name, bool required, bool *bad, HttpResponse *out)
{
    if (*bad)
        return NULL;
    json_t *v = json_object_get(obj, name);
    if (v == NULL || json_is_null(v)) {
        if (required) {
            char msg[160];
            snprintf(msg, sizeof msg, "field \"%s\" is required", name);
            http_bad_request(out, msg, json_pack("{s:s}", "field", name));
            *bad = true;
        }
        return NULL;
    }
    if (!json_is_object(v)) {
        char msg[160];
        snprintf(msg, sizeof msg, "field \"%s\" must be an object", name);
        http_bad_request(out, msg, json_pack("{s:s,s:s}", "field", name, "expected", "object"));
        *bad = true;
        return NULL;
    }
    return v;
}

/* The first row of a result, or NULL (rows is consumed). */
json_t *http_first_row(json_t *rows)
{
    json_t *r = json_array_size(rows) > 0 ? json_incref(json_array_get(rows, 0)) : NULL;
    json_decref(rows);
    return r;
}

/* One catalog row by id or name, NULL (404 written) when missing or on error. */
json_t *http_lookup(const char *view, const char *columns, const char *what, const char *id,
                    HttpResponse *out)
{
    HttpSqlText q = {0};
    http_sql_appendf(&q, "SELECT %s FROM laminar.%s WHERE id = ", columns, view);
    http_sql_literal(&q, id);
    http_sql_append(&q, " OR name = ");
    http_sql_literal(&q, id);
    http_sql_append(&q, " ORDER BY (id = ");
    http_sql_literal(&q, id);
    http_sql_append(&q, ") DESC LIMIT 1");
    json_t *rows = http_run_rows(q.data, out, NULL);
    http_sql_text_free(&q);
    if (rows == NULL)
        return NULL;
    json_t *row = http_first_row(rows);
    if (row == NULL)
        http_not_found(out, what, id);
    return row;
}

/* ------------------------------------------------------------ options */

static bool plain_word(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

static void append_key(HttpSqlText *q, const char *key)
{
    if (plain_word(key))
        http_sql_append(q, key);
    else
        http_sql_literal(q, key);
}

/* One option `key = value`; false (400 written) for a value of no option type. */
bool http_append_option(HttpSqlText *q, bool *first, const char *key, json_t *v, HttpResponse *out)
{
    char num[64];
    if (json_is_null(v))
        return true;
    if (json_is_object(v)) {
        json_t *secret = json_object_get(v, "secret");
        if (json_object_size(v) == 1 && json_is_string(secret)) {
            http_sql_append(q, *first ? "" : ", ");
            *first = false;
            append_key(q, key);
            http_sql_append(q, " = SECRET ");
            http_sql_ident(q, json_string_value(secret));
            return true;
        }
        /* format_options flatten onto the table; properties and others get a prefix */
        bool flat = strcmp(key, "format_options") == 0;
        const char *sub;
        json_t *sv;
        json_object_foreach(v, sub, sv)
        {
            char name[512];
            if (flat) {
                http_snake_case(sub, name, sizeof name);
            } else if (strcmp(key, "properties") == 0) {
                snprintf(name, sizeof name, "properties.%s", sub); /* Kafka names kept as given */
            } else {
                char s2[256];
                http_snake_case(sub, s2, sizeof s2);
                snprintf(name, sizeof name, "%s.%s", key, s2);
            }
            if (!http_append_option(q, first, name, sv, out))
                return false;
        }
        return true;
    }
    HttpSqlText val = {0};
    bool quoted = true;
    if (json_is_string(v))
        http_sql_append(&val, json_string_value(v));
    else if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        http_sql_append(&val, num);
        quoted = json_integer_value(v) < 0;
    } else if (json_is_real(v)) {
        snprintf(num, sizeof num, "%.17g", json_real_value(v));
        http_sql_append(&val, num);
        quoted = json_real_value(v) < 0;
    } else if (json_is_boolean(v)) {
        http_sql_append(&val, json_is_true(v) ? "true" : "false");
        quoted = false;
    } else if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (i > 0)
                http_sql_append(&val, ",");
            if (json_is_string(e))
                http_sql_append(&val, json_string_value(e));
            else if (json_is_integer(e)) {
                snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(e));
                http_sql_append(&val, num);
            } else {
                char msg[300];
                snprintf(msg, sizeof msg, "config option \"%s\" must be a list of strings", key);
                http_bad_request(out, msg, json_pack("{s:s}", "field", key));
                http_sql_text_free(&val);
                return false;
            }
        }
    }
    http_sql_append(q, *first ? "" : ", ");
    *first = false;
    append_key(q, key);
    http_sql_append(q, " = ");
    if (quoted)
        http_sql_literal(q, val.data ? val.data : "");
    else
        http_sql_append(q, val.data);
    http_sql_text_free(&val);
    return true;
}

/* All of config's options (keys to snake_case); `type` is skipped (it names the table type). */
bool http_append_config(HttpSqlText *q, bool *first, json_t *config, HttpResponse *out)
{
    const char *key;
    json_t *v;
    json_object_foreach(config, key, v)
    {
        char name[256];
        http_snake_case(key, name, sizeof name);
        if (strcmp(name, "type") == 0 || strcmp(name, "table_type") == 0)
            continue;
        if (!http_append_option(q, first, name, v, out))
            return false;
    }
    return true;
}

/* A data type spelled with letters, digits, spaces, <>,: and (digits[,digits]) only: safe to
 * place into statement text; the SQL layer then checks it is a type. */
static bool safe_type(const char *t)
{
    if (*t == '\0' || strlen(t) > 200)
        return false;
    for (const char *p = t; *p; p++) {
        if (isalnum((unsigned char)*p) || *p == '_' || *p == ' ' || *p == '<' || *p == '>' ||
            *p == ',' || *p == ':' || *p == '[' || *p == ']')
            continue;
        if (*p == '(') {
            p++;
            while (isdigit((unsigned char)*p) || *p == ',' || *p == ' ')
                p++;
            if (*p != ')')
                return false;
            continue;
        }
        return false;
    }
    return true;
}

/* "(col TYPE [NOT NULL], ...)" from schema.fields; false with a 400 written. */
bool http_append_columns(HttpSqlText *q, json_t *schema, HttpResponse *out)
{
    static const char *const schema_fields[] = {"fields", "description", NULL};
    static const char *const field_fields[] = {
        "name", "data_type", "type", "nullable", "description", "metadata", "sample_values", NULL};
    if (!http_check_fields(schema, schema_fields, "schema", out))
        return false;
    json_t *fields = json_object_get(schema, "fields");
    if (!json_is_array(fields)) {
        http_error(out, 400, "SCHEMA_VALIDATION_ERROR", "schema.fields must be an array",
                   json_pack("{s:s}", "field", "schema.fields"));
        return false;
    }
    if (json_array_size(fields) == 0)
        return true;
    http_sql_append(q, " (");
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f)
    {
        if (!json_is_object(f)) {
            http_error(out, 400, "SCHEMA_VALIDATION_ERROR", "schema field must be an object",
                       json_pack("{s:i}", "index", (int)i));
            return false;
        }
        json_t *fn = http_normalize_keys(f);
        bool ok = http_check_fields(fn, field_fields, "schema field", out);
        json_t *name = json_object_get(fn, "name");
        json_t *type = json_object_get(fn, "data_type");
        if (type == NULL)
            type = json_object_get(fn, "type");
        json_t *nullable = json_object_get(fn, "nullable");
        if (ok && (!json_is_string(name) || json_string_length(name) == 0)) {
            http_error(out, 400, "SCHEMA_VALIDATION_ERROR",
                       "schema field name must be a non-empty string",
                       json_pack("{s:i}", "index", (int)i));
            ok = false;
        }
        if (ok && (!json_is_string(type) || !safe_type(json_string_value(type)))) {
            http_error(out, 400, "SCHEMA_VALIDATION_ERROR", "invalid data_type",
                       json_pack("{s:s,s:s}", "field", json_string_value(name), "reason",
                                 "data_type must be a type name such as BIGINT, STRING, "
                                 "DECIMAL(10,2) or ARRAY<INT>"));
            ok = false;
        }
        if (ok && nullable && !json_is_boolean(nullable) && !json_is_null(nullable)) {
            http_error(out, 400, "SCHEMA_VALIDATION_ERROR", "nullable must be a boolean",
                       json_pack("{s:s}", "field", json_string_value(name)));
            ok = false;
        }
        if (ok) {
            if (i > 0)
                http_sql_append(q, ", ");
            http_sql_ident(q, json_string_value(name));
            http_sql_append(q, " ");
            http_sql_append(q, json_string_value(type));
            if (json_is_false(nullable))
                http_sql_append(q, " NOT NULL");
        }
        json_decref(fn);
        if (!ok)
            return false;
    }
    http_sql_append(q, ")");
    return true;
}

/* The name of a profile given by id or name (a copy), or NULL with 404/400 written. */
char *http_profile_name(const char *id_or_name, HttpResponse *out)
{
    json_t *row =
        http_lookup("connection_profiles", "id, name", "connection profile", id_or_name, out);
    if (row == NULL) {
        if (out->status == 404)
            http_error(out, 400, "VALIDATION_ERROR", "connection profile not found",
                       json_pack("{s:s,s:s}", "field", "connection_profile_id", "id", id_or_name));
        return NULL;
    }
    char *n = strdup(json_string_value(json_object_get(row, "name")));
    json_decref(row);
    return n;
}
