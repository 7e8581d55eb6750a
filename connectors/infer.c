/*
 * infer.c: schema inference from sample records (see infer.h).
 *
 * json: format_infer_json (fmt_json.c) scans the documents without building
 * trees and gives the fields as a JSON schema, read back here into columns.
 * csv: every record is one line; its fields are split with the usual quoting
 * rules ("" inside quotes), the header line (header = true) names the
 * columns, and each column's type is the widest kind of its non-empty values
 * (integer < double; booleans, ISO timestamps; mixed kinds give STRING).
 * Other formats have no structure to infer: one STRING column "value".
 * PostgreSQL: the result of the table's (or query's) first rows describes
 * itself; the column types come from the result's type OIDs and NOT NULL
 * from pg_attribute.
 * Everything lives in the caller's arena.
 */
#include "connectors/infer.h"
#include "connectors/format.h"
#include "connectors/format_int.h"
#include "connectors/pg_common.h"
#include "common/errcodes.h"
#include "common/error.h"
#include "common/types.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum Kind { K_NONE = 0, K_BOOL, K_INT, K_DOUBLE, K_TS, K_STRING } Kind;

static const char *const kind_names[] = {"STRING", "BOOLEAN", "BIGINT", "DOUBLE", "TIMESTAMP",
                                         "STRING"};

static Kind merge(Kind a, Kind b)
{
    if (a == K_NONE)
        return b;
    if (b == K_NONE || a == b)
        return a;
    if ((a == K_INT && b == K_DOUBLE) || (a == K_DOUBLE && b == K_INT))
        return K_DOUBLE;
    return K_STRING;
}

static Kind text_kind(const char *s, size_t len)
{
    if (len == 0)
        return K_NONE;
    if ((len == 4 && strncasecmp(s, "true", 4) == 0) || (len == 5 && strncasecmp(s, "false", 5) == 0))
        return K_BOOL;
    char buf[64];
    if (len < sizeof buf) {
        memcpy(buf, s, len);
        buf[len] = '\0';
        char *end;
        (void)strtoll(buf, &end, 10);
        if (*end == '\0' && !isspace((unsigned char)buf[0]))
            return K_INT;
        (void)strtod(buf, &end);
        if (*end == '\0' && !isspace((unsigned char)buf[0]) && strpbrk(buf, "nNiI") == NULL)
            return K_DOUBLE;
    }
    int64 ts;
    if (len >= 19 && fmt_parse_iso_timestamp(s, len, &ts))
        return K_TS;
    return K_STRING;
}

/* Splits one csv line into fields (unquoted into the arena). */
static int csv_split(Arena *a, const char *p, size_t len, char delim, char ***fields_out,
                     size_t **lens_out)
{
    int cap = 16, n = 0;
    char **f = arena_new_array(a, char *, cap);
    size_t *fl = arena_new_array(a, size_t, cap);
    const char *end = p + len;
    StrBuf sb;
    strbuf_init(&sb, a);
    for (;;) {
        strbuf_reset(&sb);
        if (p < end && *p == '"') {
            p++;
            while (p < end) {
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        strbuf_append_char(&sb, '"');
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                strbuf_append_char(&sb, *p++);
            }
            while (p < end && *p != delim)
                p++;
        } else {
            const char *s = p;
            while (p < end && *p != delim && *p != '\r')
                p++;
            strbuf_append(&sb, s, (size_t)(p - s));
        }
        if (n == cap) {
            f = arena_realloc(a, f, sizeof(char *) * (size_t)cap, sizeof(char *) * (size_t)cap * 2);
            fl = arena_realloc(a, fl, sizeof(size_t) * (size_t)cap,
                               sizeof(size_t) * (size_t)cap * 2);
            cap *= 2;
        }
        f[n] = arena_strndup(a, sb.data ? sb.data : "", sb.len);
        fl[n++] = sb.len;
        if (p >= end || *p != delim)
            break;
        p++;
    }
    *fields_out = f;
    *lens_out = fl;
    return n;
}

static bool opt_true(const ResolvedOptions *opts, const char *name)
{
    const char *v = opts ? resolved_get(opts, name) : NULL;
    return v && (strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0);
}

static InferResult *infer_csv(Arena *a, const ResolvedOptions *opts, const char *const *records,
                              const size_t *lens, int n)
{
    const char *d = opts ? resolved_get(opts, "delimiter") : NULL;
    char delim = d && d[0] ? d[0] : ',';
    bool header = opt_true(opts, "header");
    InferResult *r = arena_new(a, InferResult);
    Kind *kinds = NULL;
    int *present = NULL, rows = 0;
    StrBuf sb;
    strbuf_init(&sb, a);
    for (int i = 0; i < n; i++) {
        if (lens[i] == 0)
            continue;
        char **f;
        size_t *fl;
        int nf = csv_split(a, records[i], lens[i], delim, &f, &fl);
        if (r->cols == NULL) {
            r->ncols = nf;
            r->cols = arena_new_array(a, InferColumn, nf);
            kinds = arena_new_array(a, Kind, nf);
            present = arena_new_array(a, int, nf);
            for (int c = 0; c < nf; c++)
                r->cols[c].name = header ? f[c] : arena_printf(a, "column_%d", c + 1);
            if (header)
                continue;
        }
        rows++;
        for (int c = 0; c < r->ncols; c++) {
            InferColumn *col = &r->cols[c];
            Kind k = c < nf ? text_kind(f[c], fl[c]) : K_NONE;
            if (k == K_NONE)
                col->nullable = true;
            else {
                present[c]++;
                kinds[c] = merge(kinds[c], k);
            }
            if (col->nsamples < INFER_MAX_SAMPLES) {
                strbuf_reset(&sb);
                if (k == K_NONE)
                    strbuf_append_str(&sb, "null");
                else if (k == K_INT || k == K_DOUBLE || k == K_BOOL) {
                    for (size_t z = 0; z < fl[c]; z++)
                        strbuf_append_char(&sb, (char)tolower((unsigned char)f[c][z]));
                } else
                    fmt_json_escape(&sb, f[c], fl[c]);
                col->samples[col->nsamples++] = arena_strdup(a, sb.data);
            }
        }
    }
    for (int c = 0; c < r->ncols; c++) {
        r->cols[c].data_type = kind_names[kinds[c]];
        if (present[c] < rows)
            r->cols[c].nullable = true;
    }
    return r;
}

static InferResult *infer_json(Arena *a, const char *const *records, const size_t *lens, int n)
{
    StrBuf sb;
    strbuf_init(&sb, a);
    format_infer_json(a, records, lens, n, &sb);
    InferResult *r = arena_new(a, InferResult);
    json_t *doc = json_loadb(sb.data, sb.len, 0, NULL);
    json_t *fields = json_object_get(doc, "fields");
    r->ncols = (int)json_array_size(fields);
    r->cols = arena_new_array(a, InferColumn, r->ncols > 0 ? r->ncols : 1);
    for (int i = 0; i < r->ncols; i++) {
        json_t *f = json_array_get(fields, (size_t)i);
        InferColumn *c = &r->cols[i];
        c->name = arena_strdup(a, json_string_value(json_object_get(f, "name")));
        c->data_type = arena_strdup(a, json_string_value(json_object_get(f, "data_type")));
        c->nullable = json_is_true(json_object_get(f, "nullable"));
        json_t *s = json_object_get(f, "sample_values");
        for (size_t k = 0; k < json_array_size(s) && c->nsamples < INFER_MAX_SAMPLES; k++) {
            char *txt = json_dumps(json_array_get(s, k), JSON_ENCODE_ANY | JSON_COMPACT);
            c->samples[c->nsamples++] = arena_strdup(a, txt ? txt : "null");
            free(txt);
        }
    }
    json_decref(doc);
    return r;
}

InferResult *infer_records(Arena *a, const char *format, const ResolvedOptions *opts,
                           const char *const *records, const size_t *lens, int n)
{
    if (format == NULL || strcasecmp(format, "json") == 0)
        return infer_json(a, records, lens, n);
    if (strcasecmp(format, "csv") == 0)
        return infer_csv(a, opts, records, lens, n);
    InferResult *r = arena_new(a, InferResult);
    if (n == 0)
        return r;
    r->ncols = 1;
    r->cols = arena_new_array(a, InferColumn, 1);
    r->cols[0].name = "value";
    r->cols[0].data_type = "STRING";
    StrBuf sb;
    strbuf_init(&sb, a);
    for (int i = 0; i < n && i < INFER_MAX_SAMPLES; i++) {
        strbuf_reset(&sb);
        fmt_json_escape(&sb, records[i], lens[i]);
        r->cols[0].samples[r->cols[0].nsamples++] = arena_strdup(a, sb.data);
    }
    return r;
}

/* A PostgreSQL text value as JSON for its type. */
static void pg_sample_json(StrBuf *sb, Oid oid, const char *v, size_t len)
{
    switch (oid) {
    case INT2OID:
    case INT4OID:
    case INT8OID:
    case OIDOID:
    case FLOAT4OID:
    case FLOAT8OID:
    case NUMERICOID:
        if (strpbrk(v, "nNiI") == NULL) { /* NaN, Infinity are strings in JSON */
            strbuf_append(sb, v, len);
            return;
        }
        break;
    case BOOLOID:
        strbuf_append_str(sb, v[0] == 't' ? "true" : "false");
        return;
    case JSONOID:
    case JSONBOID:
        strbuf_append(sb, v, len);
        return;
    default:
        break;
    }
    fmt_json_escape(sb, v, len);
}

InferResult *infer_postgres(Arena *a, const ResolvedOptions *opts, const char *default_table,
                            int max_rows)
{
    PGconn *volatile conn = postgres_connect(a, opts, 5);
    PGresult *volatile res = NULL;
    InferResult *volatile r = arena_new(a, InferResult);
    LM_TRY();
    {
        if (PQstatus(conn) != CONNECTION_OK) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", PQerrorMessage(conn));
            size_t l = strlen(msg);
            while (l > 0 && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
                msg[--l] = '\0';
            ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE),
                    errmsg("CONNECTION_ERROR: could not connect to PostgreSQL"),
                    errdetail("%s", msg));
        }
        const char *table = resolved_get(opts, "table"), *query = resolved_get(opts, "query");
        const char *schema = resolved_get(opts, "schema");
        if (table == NULL && query == NULL)
            table = default_table;
        if (table == NULL && query == NULL)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"table\" or \"query\" is required"));
        StrBuf sql;
        strbuf_init(&sql, a);
        strbuf_append_str(&sql, "SELECT * FROM ");
        if (query)
            strbuf_printf(&sql, "(%s) laminar_q", query);
        else
            pg_append_qualified(&sql, schema ? schema : "public", table);
        strbuf_printf(&sql, " LIMIT %d", max_rows);
        res = PQexec(conn, sql.data);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            PGresult *e = res;
            res = NULL;
            pg_raise(conn, e, "source");
        }
        int nf = PQnfields(res), nr = PQntuples(res);
        r->ncols = nr > 0 ? nf : 0;
        r->cols = arena_new_array(a, InferColumn, nf > 0 ? nf : 1);
        StrBuf sb;
        strbuf_init(&sb, a);
        for (int c = 0; c < r->ncols; c++) {
            InferColumn *col = &r->cols[c];
            col->name = arena_strdup(a, PQfname(res, c));
            const LmType *t = type_from_pg_oid(a, PQftype(res, c), PQfmod(res, c));
            strbuf_reset(&sb);
            if (t == NULL || t->id == TYPE_UNKNOWN || t->id == TYPE_STRING)
                strbuf_append_str(&sb, "STRING");
            else if (t->id == TYPE_JSON)
                strbuf_append_str(&sb, "JSON"); /* jsonb too: Laminar's name */
            else
                type_format(t, &sb);
            col->data_type = arena_strdup(a, sb.data);
            col->nullable = true;
            if (PQftable(res, c) != InvalidOid && PQftablecol(res, c) > 0) {
                char q[128];
                snprintf(q, sizeof q,
                         "SELECT attnotnull FROM pg_attribute WHERE attrelid = %u AND attnum = %d",
                         PQftable(res, c), PQftablecol(res, c));
                PGresult *nn = PQexec(conn, q);
                if (PQresultStatus(nn) == PGRES_TUPLES_OK && PQntuples(nn) == 1)
                    col->nullable = PQgetvalue(nn, 0, 0)[0] != 't';
                PQclear(nn);
            }
            for (int i = 0; i < nr && col->nsamples < INFER_MAX_SAMPLES; i++) {
                strbuf_reset(&sb);
                if (PQgetisnull(res, i, c))
                    strbuf_append_str(&sb, "null");
                else
                    pg_sample_json(&sb, PQftype(res, c), PQgetvalue(res, i, c),
                                   (size_t)PQgetlength(res, i, c));
                col->samples[col->nsamples++] = arena_strdup(a, sb.data);
            }
        }
    }
    LM_CATCH();
    {
        if (res)
            PQclear(res);
        PQfinish(conn);
        error_rethrow();
    }
    LM_END_TRY();
    PQclear(res);
    PQfinish(conn);
    return r;
}

void infer_result_json(const InferResult *r, StrBuf *out)
{
    strbuf_append_str(out, "{\"fields\":[");
    for (int i = 0; i < r->ncols; i++) {
        const InferColumn *c = &r->cols[i];
        if (i)
            strbuf_append_char(out, ',');
        strbuf_append_str(out, "{\"name\":");
        fmt_json_escape(out, c->name, strlen(c->name));
        strbuf_printf(out, ",\"data_type\":\"%s\",\"nullable\":%s,\"sample_values\":[",
                      c->data_type, c->nullable ? "true" : "false");
        for (int s = 0; s < c->nsamples; s++)
            strbuf_printf(out, "%s%s", s ? "," : "", c->samples[s]);
        strbuf_append_str(out, "]}");
    }
    strbuf_append_str(out, "]}");
}
