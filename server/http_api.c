/*
 * http_api.c: the REST API under /api/v1 (seeds 000 and 001): connectors,
 * connection profiles, connection tables, and the dispatcher (pipelines and
 * jobs are in http_api_jobs.c, shared helpers in http_api_util.c).
 *
 * Every endpoint is a translation: a request body is checked (JSON object,
 * known fields, field types), turned into the equivalent Laminar statement
 * text (CREATE CONNECTION PROFILE, CREATE SOURCE/SINK TABLE, CREATE/START/
 * STOP/DROP PIPELINE, TEST ...) and run through the SQL layer
 * (http_sql_run); reads are SELECTs on the laminar.* catalog views.  So REST
 * and SQL see one catalog and share every check and error; SQL errors map to
 * REST codes in http_sql.c.
 *
 * Request conventions: top-level camelCase keys are accepted as their
 * snake_case names (connectionProfileId); `config` keys likewise
 * (bootstrapServers → bootstrap_servers).  Inside `config`, the nested
 * `format_options` object is flattened onto the table's options, `properties`
 * becomes `properties.<key>` options, other nested objects `<key>.<sub>`
 * (which the connector then accepts or rejects), arrays of scalars become
 * comma lists (primary_keys), and {"secret": "name"} is `SECRET name`.
 * Schema data types are checked against a strict character whitelist before
 * they are placed into statement text; names and strings are always quoted.
 * An {id} in a path matches an object's id or its name.
 */
#include "server/http_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEGMENTS 6

/* ------------------------------------------------------------ connectors */

static json_t *split_list(const char *s)
{
    json_t *a = json_array();
    while (s && *s) {
        while (*s == ' ' || *s == ',')
            s++;
        const char *e = s;
        while (*e && *e != ',')
            e++;
        size_t n = (size_t)(e - s);
        while (n > 0 && s[n - 1] == ' ')
            n--;
        if (n > 0)
            json_array_append_new(a, json_stringn(s, n));
        s = e;
    }
    return a;
}

static void api_connectors(const HttpRequest *r, HttpResponse *out, const char *name)
{
    if (strcmp(r->method, "GET") != 0) {
        http_method_not_allowed(out, r->method);
        return;
    }
    json_t *rows = http_run_rows(
        "SELECT name, description, kinds, formats, options FROM laminar.connectors", out, NULL);
    if (rows == NULL)
        return;
    json_t *data = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *kinds = json_object_get(row, "kinds");
        json_t *formats = json_object_get(row, "formats");
        json_t *k = split_list(json_string_value(kinds));
        json_t *c = json_object();
        json_object_set(c, "id", json_object_get(row, "name"));
        json_object_set(c, "name", json_object_get(row, "name"));
        json_object_set(c, "description", json_object_get(row, "description"));
        bool src = false, snk = false;
        size_t j;
        json_t *e;
        json_array_foreach(k, j, e)
        {
            src |= strcmp(json_string_value(e), "source") == 0;
            snk |= strcmp(json_string_value(e), "sink") == 0;
        }
        json_object_set_new(c, "source", json_boolean(src));
        json_object_set_new(c, "sink", json_boolean(snk));
        json_object_set_new(c, "kinds", k);
        json_object_set_new(c, "formats", split_list(json_string_value(formats)));
        json_object_set(c, "options", json_object_get(row, "options"));
        if (name == NULL || strcmp(name, json_string_value(json_object_get(row, "name"))) == 0)
            json_array_append_new(data, c);
        else
            json_decref(c);
    }
    json_decref(rows);
    if (name) {
        if (json_array_size(data) == 0)
            http_not_found(out, "connector", name);
        else
            http_respond_data(out, 200, json_incref(json_array_get(data, 0)));
        json_decref(data);
        return;
    }
    http_respond_data(out, 200, data);
}

/* ------------------------------------------------------------ profiles */

#define PROFILE_COLUMNS "id, name, connector, config, created_at, updated_at"

/* CREATE CONNECTION PROFILE text from a body; NULL with a 400 written. */
static char *profile_statement(json_t *body, const char *force_name, HttpResponse *out)
{
    static const char *const allowed[] = {"name", "connector", "config", "description", NULL};
    if (!http_check_fields(body, allowed, "connection profile", out))
        return NULL;
    bool bad = false;
    const char *name = force_name ? force_name : http_str_field(body, "name", true, &bad, out);
    const char *connector = http_str_field(body, "connector", true, &bad, out);
    json_t *config = http_obj_field(body, "config", false, &bad, out);
    http_str_field(body, "description", false, &bad, out);
    if (bad)
        return NULL;
    HttpSqlText q = {0};
    http_sql_append(&q, "CREATE CONNECTION PROFILE ");
    http_sql_ident(&q, name);
    http_sql_append(&q, " WITH (connector = ");
    http_sql_literal(&q, connector);
    bool first = false;
    if (config && !http_append_config(&q, &first, config, out)) {
        http_sql_text_free(&q);
        return NULL;
    }
    http_sql_append(&q, ")");
    return q.data;
}

/* TEST row → {success, message, details} */
static json_t *test_result(json_t *row)
{
    json_t *d = json_object();
    json_object_set(d, "success", json_object_get(row, "success"));
    json_object_set(d, "message", json_object_get(row, "message"));
    json_t *det = json_object_get(row, "details");
    json_object_set(d, "details", det ? det : json_null());
    return d;
}

static void api_profiles(const HttpRequest *r, HttpResponse *out, int nseg, char **seg)
{
    const char *m = r->method;
    if (nseg == 1) {
        if (strcmp(m, "GET") == 0) {
            json_t *rows =
                http_run_rows("SELECT " PROFILE_COLUMNS
                              " FROM laminar.connection_profiles ORDER BY created_at, id",
                              out, NULL);
            if (rows) {
                json_t *root = json_object();
                json_object_set_new(root, "meta",
                                    json_pack("{s:I}", "total", (json_int_t)json_array_size(rows)));
                json_object_set_new(root, "data", rows);
                http_respond_json(out, 200, root);
            }
            return;
        }
        if (strcmp(m, "POST") == 0) {
            json_t *body = http_parse_body(r, out);
            if (body == NULL)
                return;
            char *sql = profile_statement(body, NULL, out);
            if (sql) {
                json_t *rows = http_run_rows(sql, out, NULL);
                if (rows) {
                    json_decref(rows);
                    json_t *row =
                        http_lookup("connection_profiles", PROFILE_COLUMNS, "connection profile",
                                    json_string_value(json_object_get(body, "name")), out);
                    if (row)
                        http_respond_data(out, 201, row);
                }
                free(sql);
            }
            json_decref(body);
            return;
        }
        http_method_not_allowed(out, m);
        return;
    }
    if (nseg == 2 && strcmp(seg[1], "test") == 0) {
        if (strcmp(m, "POST") != 0) {
            http_method_not_allowed(out, m);
            return;
        }
        /* an unsaved profile: created and tested inside a transaction that is rolled back */
        json_t *body = http_parse_body(r, out);
        if (body == NULL)
            return;
        if (json_object_get(body, "name") == NULL)
            json_object_set_new(body, "name", json_string("unsaved_profile_test"));
        char *create = profile_statement(body, NULL, out);
        if (create) {
            HttpSqlText q = {0};
            http_sql_append(&q, "BEGIN; ");
            http_sql_append(&q, create);
            http_sql_append(&q, "; TEST CONNECTION PROFILE ");
            http_sql_ident(&q, json_string_value(json_object_get(body, "name")));
            http_sql_append(&q, "; ROLLBACK");
            json_t *rows = http_run_rows(q.data, out, NULL);
            if (rows)
                http_respond_data(out, 200, test_result(json_array_get(rows, 0)));
            json_decref(rows);
            http_sql_text_free(&q);
            free(create);
        }
        json_decref(body);
        return;
    }
    if (nseg == 2 || (nseg == 3 && strcmp(seg[2], "test") == 0)) {
        json_t *row =
            http_lookup("connection_profiles", PROFILE_COLUMNS, "connection profile", seg[1], out);
        if (row == NULL)
            return;
        const char *name = json_string_value(json_object_get(row, "name"));
        HttpSqlText q = {0};
        if (nseg == 3) {
            if (strcmp(m, "POST") != 0)
                http_method_not_allowed(out, m);
            else {
                http_sql_append(&q, "TEST CONNECTION PROFILE ");
                http_sql_ident(&q, name);
                json_t *rows = http_run_rows(q.data, out, NULL);
                if (rows)
                    http_respond_data(out, 200, test_result(json_array_get(rows, 0)));
                json_decref(rows);
            }
        } else if (strcmp(m, "GET") == 0) {
            http_respond_data(out, 200, json_incref(row));
        } else if (strcmp(m, "DELETE") == 0) {
            http_sql_append(&q, "DROP CONNECTION PROFILE ");
            http_sql_ident(&q, name);
            json_t *rows = http_run_rows(q.data, out, NULL);
            if (rows)
                http_respond_data(
                    out, 200,
                    json_pack("{s:s}", "message", "Connection profile deleted successfully"));
            json_decref(rows);
        } else
            http_method_not_allowed(out, m);
        http_sql_text_free(&q);
        json_decref(row);
        return;
    }
    http_error(out, 404, "NOT_FOUND", "no such endpoint", json_pack("{s:s}", "path", r->path));
}

/* ------------------------------------------------------------ tables */

#define TABLE_COLUMNS                                                                              \
    "id, name, connector, connection_profile_id, table_type, schema, config, event_time_field, "   \
    "watermark_delay, created_at, updated_at"

/* CREATE SOURCE/SINK TABLE text from a body (name replaced by force_name when given); NULL
 * with an error written.  *kind_out: "source" or "sink". */
static char *table_statement(json_t *body, const char *force_name, bool schema_required,
                             const char **kind_out, HttpResponse *out)
{
    static const char *const allowed[] = {
        "name",   "connector",        "connection_profile_id", "table_type",  "schema",
        "config", "event_time_field", "watermark_delay",       "description", "type",
        NULL};
    if (!http_check_fields(body, allowed, "connection table", out))
        return NULL;
    bool bad = false;
    const char *name = force_name ? force_name : http_str_field(body, "name", true, &bad, out);
    const char *connector = http_str_field(body, "connector", false, &bad, out);
    const char *profile = http_str_field(body, "connection_profile_id", false, &bad, out);
    const char *kind = http_str_field(body, "table_type", false, &bad, out);
    if (kind == NULL)
        kind = http_str_field(body, "type", false, &bad, out);
    json_t *schema = http_obj_field(body, "schema", schema_required, &bad, out);
    json_t *config = http_obj_field(body, "config", false, &bad, out);
    const char *etf = http_str_field(body, "event_time_field", false, &bad, out);
    const char *wd = http_str_field(body, "watermark_delay", false, &bad, out);
    http_str_field(body, "description", false, &bad, out);
    if (bad)
        return NULL;
    if (kind == NULL && config) {
        json_t *t = json_object_get(config, "type");
        if (json_is_string(t))
            kind = json_string_value(t);
    }
    if (kind == NULL) {
        http_bad_request(
            out, "field \"table_type\" is required",
            json_pack("{s:s,s:[ss]}", "field", "table_type", "allowed_values", "source", "sink"));
        return NULL;
    }
    if (strcmp(kind, "source") != 0 && strcmp(kind, "sink") != 0) {
        http_bad_request(out, "table_type must be \"source\" or \"sink\"",
                         json_pack("{s:s,s:s}", "field", "table_type", "value", kind));
        return NULL;
    }
    if (connector == NULL && profile == NULL) {
        http_bad_request(out, "field \"connector\" is required",
                         json_pack("{s:s}", "field", "connector"));
        return NULL;
    }
    *kind_out = kind;
    HttpSqlText q = {0};
    http_sql_appendf(&q, "CREATE %s TABLE ", strcmp(kind, "source") == 0 ? "SOURCE" : "SINK");
    http_sql_ident(&q, name);
    if (schema && !http_append_columns(&q, schema, out)) {
        http_sql_text_free(&q);
        return NULL;
    }
    http_sql_append(&q, " WITH (");
    bool first = true;
    if (connector) {
        http_sql_append(&q, "connector = ");
        http_sql_literal(&q, connector);
        first = false;
    }
    if (profile) {
        char *pname = http_profile_name(profile, out);
        if (pname == NULL) {
            http_sql_text_free(&q);
            return NULL;
        }
        http_sql_append(&q, first ? "profile = " : ", profile = ");
        http_sql_literal(&q, pname);
        free(pname);
        first = false;
    }
    if (config && !http_append_config(&q, &first, config, out)) {
        http_sql_text_free(&q);
        return NULL;
    }
    if (etf) {
        http_sql_append(&q, first ? "" : ", ");
        http_sql_append(&q, "event_time_field = ");
        http_sql_literal(&q, etf);
        first = false;
    }
    if (wd) {
        http_sql_append(&q, first ? "" : ", ");
        http_sql_append(&q, "watermark_delay = ");
        http_sql_literal(&q, wd);
        first = false;
    }
    http_sql_append(&q, ")");
    return q.data;
}

/* A format the connector does not support → FORMAT_ERROR with supported_formats. */
static bool format_error(json_t *body, HttpResponse *out)
{
    json_t *config = json_object_get(body, "config");
    json_t *fmt = config ? json_object_get(config, "format") : NULL;
    json_t *conn = json_object_get(body, "connector");
    if (!json_is_string(fmt) || !json_is_string(conn))
        return false;
    const char *c = json_string_value(conn);
    HttpSqlText q = {0};
    http_sql_append(&q, "SELECT formats FROM laminar.connectors WHERE name = ");
    http_sql_literal(&q, strcmp(c, "postgresql") == 0 ? "postgres" : c);
    HttpResponse scratch = {0};
    json_t *row = NULL;
    json_t *rows = http_run_rows(q.data, &scratch, NULL);
    http_sql_text_free(&q);
    json_decref(scratch.json);
    if (rows)
        row = http_first_row(rows);
    if (row == NULL)
        return false;
    json_t *formats = split_list(json_string_value(json_object_get(row, "formats")));
    json_decref(row);
    bool found = false;
    size_t i;
    json_t *e;
    json_array_foreach(formats, i, e) found |=
        strcmp(json_string_value(e), json_string_value(fmt)) == 0;
    if (found) {
        json_decref(formats);
        return false;
    }
    http_error(out, 400, "FORMAT_ERROR", "Format not supported for connector",
               json_pack("{s:s,s:s,s:o}", "connector", c, "format", json_string_value(fmt),
                         "supported_formats", formats));
    return true;
}

/* Picks a token out of the NOTICE a webhook CREATE raises ("webhook token for t: X"). */
static void add_webhook_token(json_t *data, json_t *notices)
{
    size_t i;
    json_t *n;
    json_array_foreach(notices, i, n)
    {
        const char *s = json_string_value(n);
        if (s && strncmp(s, "webhook token for ", 18) == 0) {
            const char *colon = strstr(s, ": ");
            if (colon)
                json_object_set_new(data, "token", json_string(colon + 2));
        }
    }
}

static void tables_list(const HttpRequest *r, HttpResponse *out)
{
    const char *lim = http_query_arg(r, "limit");
    const char *off = http_query_arg(r, "offset");
    const char *type = http_query_arg(r, "type");
    const char *conn = http_query_arg(r, "connector");
    long limit = 20, offset = 0;
    char *end;
    if (lim) {
        errno = 0;
        limit = strtol(lim, &end, 10);
        if (*lim == '\0' || *end || limit < 1 || errno == ERANGE) {
            http_bad_request(out, "limit must be a positive integer",
                             json_pack("{s:s,s:s}", "parameter", "limit", "value", lim));
            return;
        }
        if (limit > 100)
            limit = 100;
    }
    if (off) {
        errno = 0;
        offset = strtol(off, &end, 10);
        if (*off == '\0' || *end || offset < 0 || errno == ERANGE) {
            http_bad_request(out, "offset must be a non-negative integer",
                             json_pack("{s:s,s:s}", "parameter", "offset", "value", off));
            return;
        }
    }
    if (type && strcmp(type, "source") != 0 && strcmp(type, "sink") != 0) {
        http_bad_request(out, "type must be \"source\" or \"sink\"",
                         json_pack("{s:s,s:s}", "parameter", "type", "value", type));
        return;
    }
    HttpSqlText where = {0};
    http_sql_append(&where, " WHERE true");
    if (type) {
        http_sql_append(&where, " AND table_type = ");
        http_sql_literal(&where, type);
    }
    if (conn) {
        http_sql_append(&where, " AND connector = ");
        http_sql_literal(&where, strcmp(conn, "postgresql") == 0 ? "postgres" : conn);
    }
    HttpSqlText q = {0};
    http_sql_appendf(&q, "SELECT count(*) AS total FROM laminar.connection_tables%s", where.data);
    json_t *count = http_run_rows(q.data, out, NULL);
    http_sql_text_free(&q);
    if (count == NULL) {
        http_sql_text_free(&where);
        return;
    }
    json_t *total = http_first_row(count);
    http_sql_appendf(&q,
                     "SELECT " TABLE_COLUMNS " FROM laminar.connection_tables%s ORDER BY "
                     "created_at, id LIMIT %ld OFFSET %ld",
                     where.data, limit, offset);
    json_t *rows = http_run_rows(q.data, out, NULL);
    http_sql_text_free(&q);
    http_sql_text_free(&where);
    if (rows) {
        json_t *root = json_object();
        json_object_set_new(root, "data", rows);
        json_object_set_new(root, "meta",
                            json_pack("{s:O,s:I,s:I}", "total",
                                      total ? json_object_get(total, "total") : json_integer(0),
                                      "limit", (json_int_t)limit, "offset", (json_int_t)offset));
        http_respond_json(out, 200, root);
    }
    json_decref(total);
}

static void tables_create(const HttpRequest *r, HttpResponse *out)
{
    json_t *body = http_parse_body(r, out);
    if (body == NULL)
        return;
    const char *kind;
    char *sql = format_error(body, out) ? NULL : table_statement(body, NULL, false, &kind, out);
    if (sql) {
        json_t *notices = NULL;
        json_t *rows = http_run_rows(sql, out, &notices);
        if (rows) {
            json_decref(rows);
            json_t *row = http_lookup("connection_tables", TABLE_COLUMNS, "connection table",
                                      json_string_value(json_object_get(body, "name")), out);
            if (row) {
                add_webhook_token(row, notices);
                http_respond_data(out, 201, row);
            }
        }
        json_decref(notices);
        free(sql);
    }
    json_decref(body);
}

/* POST /connection_tables/test: the table is created and tested inside a rolled-back
 * transaction, so nothing is saved. */
static void tables_test(const HttpRequest *r, HttpResponse *out)
{
    json_t *body = http_parse_body(r, out);
    if (body == NULL)
        return;
    if (json_object_get(body, "name") == NULL)
        json_object_set_new(body, "name", json_string("unsaved_table_test"));
    const char *kind;
    char *sql = format_error(body, out) ? NULL : table_statement(body, NULL, false, &kind, out);
    if (sql) {
        HttpSqlText q = {0};
        http_sql_append(&q, "BEGIN; ");
        http_sql_append(&q, sql);
        http_sql_appendf(&q, "; TEST %s TABLE ", strcmp(kind, "source") == 0 ? "SOURCE" : "SINK");
        http_sql_ident(&q, json_string_value(json_object_get(body, "name")));
        http_sql_append(&q, "; ROLLBACK");
        json_t *rows = http_run_rows(q.data, out, NULL);
        if (rows) {
            json_t *row = json_array_get(rows, 0);
            json_t *det = json_object_get(row, "details");
            bool success = json_is_true(json_object_get(row, "success"));
            json_t *d = json_object();
            json_object_set(d, "success", json_object_get(row, "success"));
            json_object_set_new(
                d, "message",
                json_string(success ? "Connection table test successful"
                                    : json_string_value(json_object_get(row, "message"))));
            json_t *sample = json_is_object(det) ? json_object_get(det, "sample_data") : NULL;
            json_object_set_new(d, "sample_data", sample ? json_incref(sample) : json_array());
            json_t *stats = json_object();
            const char *keys[] = {"message_rate", "lag", "partitions"};
            for (int i = 0; i < 3; i++) {
                json_t *v = json_is_object(det) ? json_object_get(det, keys[i]) : NULL;
                json_object_set_new(stats, keys[i], v ? json_incref(v) : json_null());
            }
            const char *conn = json_string_value(json_object_get(body, "connector"));
            if (success && sample == NULL && conn && strcmp(conn, "kafka") == 0 &&
                strcmp(kind, "source") == 0) {
                /* Kafka's TEST reaches the cluster but returns no records: sample the topic */
                char err[256];
                json_t *rec = http_kafka_sample(body, 5, stats, err, sizeof err);
                if (rec)
                    json_object_set_new(d, "sample_data", rec);
            }
            json_object_set_new(d, "statistics", stats);
            if (!success && det)
                json_object_set(d, "details", det);
            http_respond_data(out, 200, d);
        }
        json_decref(rows);
        http_sql_text_free(&q);
        free(sql);
    }
    json_decref(body);
}

static void tables_one(const HttpRequest *r, HttpResponse *out, const char *id)
{
    json_t *row = http_lookup("connection_tables", TABLE_COLUMNS, "connection table", id, out);
    if (row == NULL)
        return;
    if (strcmp(r->method, "GET") == 0) {
        http_respond_data(out, 200, row);
        return;
    }
    if (strcmp(r->method, "DELETE") == 0) {
        HttpSqlText q = {0};
        const char *kind = json_string_value(json_object_get(row, "table_type"));
        http_sql_appendf(&q, "DROP %s TABLE ",
                         kind && strcmp(kind, "sink") == 0 ? "SINK" : "SOURCE");
        http_sql_ident(&q, json_string_value(json_object_get(row, "name")));
        json_t *rows = http_run_rows(q.data, out, NULL);
        if (rows)
            http_respond_data(
                out, 200, json_pack("{s:s}", "message", "Connection table deleted successfully"));
        else if (out->status == 409) {
            /* keep the seed's wording for the in-use case */
            json_t *err = json_object_get(out->json, "error");
            json_t *det = json_object_get(err, "details");
            json_object_set(det, "reason", json_object_get(err, "message"));
            json_object_set_new(err, "message",
                                json_string("Connection table is in use by pipelines"));
        }
        json_decref(rows);
        http_sql_text_free(&q);
        json_decref(row);
        return;
    }
    json_decref(row);
    http_method_not_allowed(out, r->method);
}

static void tables_schema_test(const HttpRequest *r, HttpResponse *out);

static void api_tables(const HttpRequest *r, HttpResponse *out, int nseg, char **seg)
{
    const char *m = r->method;
    if (nseg == 1) {
        if (strcmp(m, "GET") == 0)
            tables_list(r, out);
        else if (strcmp(m, "POST") == 0)
            tables_create(r, out);
        else
            http_method_not_allowed(out, m);
        return;
    }
    if (nseg == 2 && strcmp(seg[1], "test") == 0) {
        if (strcmp(m, "POST") == 0)
            tables_test(r, out);
        else
            http_method_not_allowed(out, m);
        return;
    }
    if (nseg == 3 && strcmp(seg[1], "schemas") == 0 && strcmp(seg[2], "test") == 0) {
        if (strcmp(m, "POST") == 0)
            tables_schema_test(r, out);
        else
            http_method_not_allowed(out, m);
        return;
    }
    if (nseg == 2) {
        tables_one(r, out, seg[1]);
        return;
    }
    http_error(out, 404, "NOT_FOUND", "no such endpoint", json_pack("{s:s}", "path", r->path));
}

/* POST /connection_tables/schemas/test: the schema (or, without one, a single raw `value`
 * column) is created in a rolled-back transaction and TEST reads the system.  Sample records
 * the connector's TEST reports (details.sample_data) give the inferred schema's types and
 * sample_values; without samples the declared schema is echoed. */
/* The schema-test answer from a TEST-shaped row {success, message, details{sample_data}}. */
static void schema_test_answer(HttpResponse *out, json_t *body, json_t *declared, json_t *row)
{
    json_t *det = json_object_get(row, "details");
    if (!json_is_true(json_object_get(row, "success"))) {
        json_t *d = json_object();
        json_object_set(d, "connector", json_object_get(body, "connector"));
        json_object_set(d, "reason",
                        json_is_object(det) && json_object_get(det, "reason")
                            ? json_object_get(det, "reason")
                            : json_object_get(row, "message"));
        http_error(out, 502, "CONNECTION_ERROR", "Failed to connect to data source", d);
        return;
    }
    json_t *samples = json_is_object(det) ? json_object_get(det, "sample_data") : NULL;
    json_t *fields = json_array();
    json_t *dfields = declared ? json_object_get(declared, "fields") : NULL;
    size_t i;
    json_t *f;
    if (json_is_array(dfields)) {
        json_array_foreach(dfields, i, f)
        {
            json_t *nf = json_deep_copy(f);
            json_t *vals = json_array();
            const char *name = json_string_value(json_object_get(f, "name"));
            size_t k;
            json_t *s;
            json_array_foreach(samples, k, s) if (k < 3 && name) json_array_append(
                vals, json_object_get(s, name) ? json_object_get(s, name) : json_null());
            json_object_set_new(nf, "sample_values", vals);
            json_array_append_new(fields, nf);
        }
    } else if (json_is_array(samples)) {
        /* infer: connectors/infer.c, shared with laminar.infer_schema() */
        json_decref(fields);
        fields = http_infer_fields(samples);
    }
    json_t *d = json_object();
    if (!json_is_array(dfields) && json_array_size(fields) == 0) {
        /* nothing to infer from: valid cannot be claimed */
        json_object_set_new(d, "valid", json_false());
        json_object_set_new(d, "inferred_schema", json_pack("{s:o}", "fields", fields));
        json_object_set_new(d, "message",
                            json_string("no records to infer a schema from (the topic is empty)"));
        http_respond_data(out, 200, d);
        return;
    }
    json_object_set_new(d, "valid", json_true());
    json_object_set_new(d, "inferred_schema", json_pack("{s:o}", "fields", fields));
    json_object_set_new(d, "compatibility",
                        json_pack("{s:b,s:b}", "forward_compatible", 1, "backward_compatible", 1));
    if (!json_is_array(samples))
        json_object_set_new(d, "message",
                            json_string(json_string_value(json_object_get(row, "message"))));
    http_respond_data(out, 200, d);
}

static void tables_schema_test(const HttpRequest *r, HttpResponse *out)
{
    json_t *body = http_parse_body(r, out);
    if (body == NULL)
        return;
    json_object_set_new(body, "name", json_string("unsaved_schema_test"));
    if (json_object_get(body, "table_type") == NULL)
        json_object_set_new(body, "table_type", json_string("source"));
    json_t *declared = json_object_get(body, "schema");
    const char *kind;
    char *sql = format_error(body, out) ? NULL : table_statement(body, NULL, false, &kind, out);
    if (sql == NULL) {
        json_decref(body);
        return;
    }
    const char *conn = json_string_value(json_object_get(body, "connector"));
    if (conn && strcmp(conn, "kafka") == 0) {
        /* Kafka: the options are checked by the rolled-back CREATE below, then the topic is
         * sampled directly (TEST reaches the cluster but returns no records) */
        HttpSqlText chk = {0};
        http_sql_append(&chk, "BEGIN; ");
        if (declared == NULL) {
            char *with = strstr(sql, " WITH (");
            http_sql_appendf(&chk, "%.*s (value STRING)%s", (int)(with - sql), sql, with);
        } else
            http_sql_append(&chk, sql);
        http_sql_append(&chk, "; ROLLBACK");
        json_t *ok = http_run_rows(chk.data, out, NULL);
        http_sql_text_free(&chk);
        if (ok == NULL) {
            free(sql);
            json_decref(body);
            return;
        }
        json_decref(ok);
        char err[512] = "";
        json_t *stats = json_object();
        json_t *samples = http_kafka_sample(body, 10, stats, err, sizeof err);
        json_decref(stats);
        if (samples == NULL) {
            http_error(out, 502, "CONNECTION_ERROR", "Failed to connect to data source",
                       json_pack("{s:s,s:s}", "connector", "kafka", "reason", err));
            free(sql);
            json_decref(body);
            return;
        }
        json_t *row = json_pack("{s:b,s:s,s:{s:o}}", "success", 1, "message", "sampled", "details",
                                "sample_data", samples);
        free(sql);
        schema_test_answer(out, body, declared, row);
        json_decref(row);
        json_decref(body);
        return;
    }
    HttpSqlText q = {0};
    http_sql_append(&q, "BEGIN; ");
    if (declared == NULL) {
        /* no columns given: read the records as one raw column */
        char *with = strstr(sql, " WITH (");
        http_sql_appendf(&q, "%.*s (value STRING)%s", (int)(with - sql), sql, with);
    } else
        http_sql_append(&q, sql);
    http_sql_append(&q, "; TEST SOURCE TABLE unsaved_schema_test; ROLLBACK");
    free(sql);
    json_t *rows = http_run_rows(q.data, out, NULL);
    http_sql_text_free(&q);
    if (rows == NULL) {
        json_decref(body);
        return;
    }
    schema_test_answer(out, body, declared, json_array_get(rows, 0));
    json_decref(rows);
    json_decref(body);
}

/* ------------------------------------------------------------ dispatch */

bool http_api_dispatch(const HttpRequest *r, HttpResponse *out)
{
    char path[1024];
    const char *p = r->path + 8; /* after "/api/v1/" */
    if (strlen(p) >= sizeof path)
        return false;
    strcpy(path, p);
    char *seg[MAX_SEGMENTS + 1];
    int nseg = 0;
    char *save = NULL;
    for (char *s = strtok_r(path, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
        if (nseg == MAX_SEGMENTS)
            return false;
        seg[nseg++] = s;
    }
    if (nseg == 0)
        return false;
    if (strcmp(seg[0], "connectors") == 0 && nseg <= 2)
        api_connectors(r, out, nseg == 2 ? seg[1] : NULL);
    else if (strcmp(seg[0], "connection_profiles") == 0)
        api_profiles(r, out, nseg, seg);
    else if (strcmp(seg[0], "connection_tables") == 0)
        api_tables(r, out, nseg, seg);
    else if (strcmp(seg[0], "pipelines") == 0)
        http_api_pipelines(r, out, nseg, seg);
    else if (strcmp(seg[0], "jobs") == 0)
        http_api_jobs(r, out, nseg, seg);
    else
        return false;
    return true;
}
