/*
 * test_pg_connector.c: the PostgreSQL connector's pure parts (connectors/pg_common.c,
 * postgres_conn.c); the connector itself is tested against a real PostgreSQL in
 * regress/scripts/pg_connector.py.
 *
 * Covers: text COPY escaping of strings (backslash, tab, newline, CR), NULL as \N,
 * integers/booleans/arrays/bytea as PostgreSQL prints them, MAP as JSON (jsonb
 * columns); identifiers always double-quoted with quotes doubled; Laminar's own
 * parameters of a postgresql:// URL (table, schema) read back and taken out of what
 * libpq sees.
 */
#include "regress/unit/lmtest.h"
#include "connectors/pg_common.h"

static const char *copy_text(const Vector *v, int row, StrBuf *b)
{
    strbuf_reset(b);
    pg_copy_value(v, row, b);
    return b->data;
}

int main(void)
{
    Arena *a = arena_create("test", NULL);
    StrBuf b;
    strbuf_init(&b, NULL);

    Vector s;
    vector_init(&s, a, type_string(), 4);
    vector_set_cstr(&s, a, 0, "plain");
    vector_set_cstr(&s, a, 1, "a\tb\\c\nd\re");
    vector_set_null(&s, 2);
    vector_set_cstr(&s, a, 3, "");
    LMT_CHECK_STR(copy_text(&s, 0, &b), "plain", "plain string as is");
    LMT_CHECK_STR(copy_text(&s, 1, &b), "a\\tb\\\\c\\nd\\re", "tab, backslash, newline, CR escaped");
    LMT_CHECK_STR(copy_text(&s, 2, &b), "\\N", "NULL as \\N");
    LMT_CHECK_STR(copy_text(&s, 3, &b), "", "empty string stays empty (not NULL)");

    Vector i;
    vector_init(&i, a, type_int64(), 2);
    vector_set_int64(&i, 0, -42);
    vector_set_int64(&i, 1, INT64_MAX);
    LMT_CHECK_STR(copy_text(&i, 0, &b), "-42", "bigint");
    LMT_CHECK_STR(copy_text(&i, 1, &b), "9223372036854775807", "bigint max");

    Vector bo;
    vector_init(&bo, a, type_bool(), 1);
    vector_set_bool(&bo, 0, true);
    LMT_CHECK_STR(copy_text(&bo, 0, &b), "t", "boolean as t");

    Vector by;
    vector_init(&by, a, type_binary(), 1);
    vector_set_str(&by, a, 0, "\x01\xff", 2);
    LMT_CHECK_STR(copy_text(&by, 0, &b), "\\\\x01ff", "bytea hex with its backslash escaped");

    Vector arr;
    vector_init(&arr, a, type_array(a, type_string()), 1);
    value_parse_text(&arr, a, 0, "{x,\"y z\",NULL}", 14);
    LMT_CHECK_STR(copy_text(&arr, 0, &b), "{x,\"y z\",NULL}", "array as a PostgreSQL array literal");

    Vector m;
    vector_init(&m, a, type_map(a, type_string(), type_int64()), 1);
    value_parse_json(&m, a, 0, "{\"k\": 1}", 8);
    LMT_CHECK_STR(copy_text(&m, 0, &b), "{\"k\":1}", "MAP as JSON for jsonb");

    strbuf_reset(&b);
    pg_append_qualified(&b, "public", "my \"t\"");
    LMT_CHECK_STR(b.data, "\"public\".\"my \"\"t\"\"\"", "identifiers quoted, quotes doubled");

    const char *names[] = {"url"};
    const char *values[] = {"postgresql://u@h:5432/db?sslmode=disable&table=events&schema=s"};
    ResolvedOptions opts = {1, names, values};
    LMT_CHECK_STR(postgres_url_param(a, &opts, "table"), "events", "table from the url");
    LMT_CHECK_STR(postgres_url_param(a, &opts, "schema"), "s", "schema from the url");
    LMT_CHECK(postgres_url_param(a, &opts, "query") == NULL, "absent url parameter is NULL");

    strbuf_free(&b);
    arena_destroy(a);
    return lmt_done();
}
