/*
 * fmt_csv.c: the csv format — one record is one line of delimited fields,
 * decoded by position into the table's columns (those the connector did
 * not reserve for metadata, in order).
 *
 * Options: delimiter (','), quote ('"'), escape (inside quotes; default the
 * quote itself, i.e. a doubled quote), null_string (an unquoted field equal
 * to it is NULL).  An unquoted empty field is NULL, as in PostgreSQL's COPY
 * CSV — except in a STRING column when a null_string is given, where it is
 * the empty string; a quoted empty field is always an empty string.
 * header: a record whose fields are exactly the column names (case
 * insensitive) is skipped — format_decode returns false with no error
 * code — so a file's header line, or a header message on a topic, never
 * becomes a row.  Missing trailing fields are NULL; extra fields are a
 * FORMAT_ERROR.  The encoder writes PostgreSQL's text form of each value,
 * quoting fields that hold the delimiter, quote, CR/LF, or that would read
 * back as NULL.
 */
#include "connectors/format_int.h"
#include "common/error.h"

#include <string.h>
#include <strings.h>

typedef struct CsvCodec {
    char delim, quote, escape;
    const char *null_string; /* NULL: empty unquoted field */
    size_t null_len;
    bool header;
    int ncols;    /* columns decoded by position */
    int *cols;    /* their indexes */
    StrBuf field; /* unquoted field text */
} CsvCodec;

static char char_option(const ResolvedOptions *opts, const char *name, char dflt)
{
    const char *v = opts ? resolved_get(opts, name) : NULL;
    if (v == NULL || v[0] == '\0')
        return dflt;
    if (strcmp(v, "\\t") == 0 || strcasecmp(v, "tab") == 0)
        return '\t';
    if (v[1] != '\0')
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("csv option \"%s\" must be a single character", name));
    return v[0];
}

static CsvCodec *csv_codec(Arena *a, const CatTable *t, const bool *skip,
                           const ResolvedOptions *opts)
{
    CsvCodec *c = arena_new(a, CsvCodec);
    c->delim = char_option(opts, "delimiter", ',');
    c->quote = char_option(opts, "quote", '"');
    c->escape = char_option(opts, "escape", c->quote);
    c->null_string = opts ? resolved_get(opts, "null_string") : NULL;
    c->null_len = c->null_string ? strlen(c->null_string) : 0;
    const char *h = opts ? resolved_get(opts, "header") : NULL;
    c->header = h && (strcasecmp(h, "true") == 0 || strcasecmp(h, "on") == 0 ||
                      strcmp(h, "1") == 0 || strcasecmp(h, "yes") == 0 || strcasecmp(h, "t") == 0);
    c->cols = arena_alloc(a, sizeof(int) * (size_t)(t->ncolumns + 1));
    for (int i = 0; i < t->ncolumns; i++)
        if (skip == NULL || !skip[i])
            c->cols[c->ncols++] = i;
    strbuf_init(&c->field, a);
    return c;
}

/*
 * Splits the next field starting at *pp.  Sets *s and *len (a span of the input, or the unquoted
 * copy in c->field), *quoted, and *pp past the delimiter; returns false on a malformed field.
 */
static bool next_field(CsvCodec *c, const char **pp, const char *end, const char **s, size_t *len,
                       bool *quoted, bool *last)
{
    const char *p = *pp;
    *quoted = false;
    if (p < end && *p == c->quote) {
        *quoted = true;
        strbuf_reset(&c->field);
        p++;
        for (;;) {
            if (p >= end)
                return false;
            if (*p == c->escape && c->escape != c->quote && p + 1 < end) {
                strbuf_append_char(&c->field, p[1]);
                p += 2;
                continue;
            }
            if (*p == c->quote) {
                if (c->escape == c->quote && p + 1 < end && p[1] == c->quote) {
                    strbuf_append_char(&c->field, c->quote);
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            const char *run = p;
            while (p < end && *p != c->quote && *p != c->escape)
                p++;
            strbuf_append(&c->field, run, (size_t)(p - run));
        }
        *s = c->field.data ? c->field.data : "";
        *len = c->field.len;
        if (p < end && *p != c->delim)
            return false;
    } else {
        const char *start = p;
        while (p < end && *p != c->delim)
            p++;
        *s = start;
        *len = (size_t)(p - start);
    }
    *last = p >= end;
    *pp = p < end ? p + 1 : p;
    return true;
}

/* Whether the record's fields are exactly the column names (case insensitive). */
static bool is_header(CsvCodec *c, const CatTable *t, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    bool last = false;
    int i = 0;
    while (!last) {
        const char *s;
        size_t flen;
        bool quoted;
        if (!next_field(c, &p, end, &s, &flen, &quoted, &last) || i >= c->ncols)
            return false;
        const char *cn = t->columns[c->cols[i]].name;
        if (strlen(cn) != flen || strncasecmp(cn, s, flen) != 0)
            return false;
        i++;
    }
    return i == c->ncols;
}

static bool csv_decode(FormatDecoder *d, const char *data, size_t len, Batch *out, int row,
                       FormatError *err)
{
    CsvCodec *c = d->impl;
    arena_reset(d->scratch);
    fmt_begin_record(d);
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    if (c->header && is_header(c, d->t, data, len))
        return false; /* the header record: skipped, err->code stays NULL */
    const char *p = data, *end = data + len;
    int i = 0;
    bool last = len == 0 && c->ncols == 0;
    while (!last) {
        const char *s;
        size_t flen;
        bool quoted;
        if (!next_field(c, &p, end, &s, &flen, &quoted, &last))
            return fmt_format_error(d, err, "unterminated or malformed quoted field %d", i + 1);
        if (i >= c->ncols)
            return fmt_format_error(d, err, "extra data after last expected column");
        int col = c->cols[i];
        bool is_null = false;
        if (!quoted) {
            if (c->null_string && flen == c->null_len && memcmp(s, c->null_string, flen) == 0)
                is_null = true;
            else if (flen == 0)
                is_null = c->null_string == NULL || out->cols[col].type->id != TYPE_STRING;
        }
        if (is_null) {
            if (!fmt_store_null(d, out, row, col, false, err))
                return false;
        } else if (!fmt_store_text(d, out, row, col, s, flen, "STRING", err))
            return false;
        fmt_mark_seen(d, col);
        i++;
    }
    return fmt_finish_missing(d, out, row, err);
}

void fmt_csv_decoder_init(FormatDecoder *d, const ResolvedOptions *opts)
{
    d->impl = csv_codec(d->arena, d->t, d->skip, opts);
    d->decode = csv_decode;
}

static void append_field(CsvCodec *c, StrBuf *out, const char *s, size_t len)
{
    bool need =
        len == 0 || (c->null_string && len == c->null_len && memcmp(s, c->null_string, len) == 0);
    for (size_t i = 0; i < len && !need; i++)
        if (s[i] == c->delim || s[i] == c->quote || s[i] == '\n' || s[i] == '\r' ||
            s[i] == c->escape)
            need = true;
    if (!need) {
        strbuf_append(out, s, len);
        return;
    }
    strbuf_append_char(out, c->quote);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == c->quote || (s[i] == c->escape && c->escape != c->quote))
            strbuf_append_char(out, c->escape);
        strbuf_append_char(out, s[i]);
    }
    strbuf_append_char(out, c->quote);
}

static void csv_encode(FormatEncoder *e, const Batch *b, int row, StrBuf *out)
{
    CsvCodec *c = e->impl;
    StrBuf *tmp = &c->field;
    for (int i = 0; i < c->ncols; i++) {
        const Vector *v = &b->cols[c->cols[i]];
        if (i)
            strbuf_append_char(out, c->delim);
        if (!vector_is_valid(v, row)) {
            if (c->null_string)
                strbuf_append(out, c->null_string, c->null_len);
            continue;
        }
        TypeId tid = v->type->id;
        if (tid == TYPE_STRING || tid == TYPE_JSON) {
            const StrView *s = &((const StrView *)v->data)[row];
            append_field(c, out, s->ptr, s->len);
        } else {
            strbuf_reset(tmp);
            value_format_text(v, row, tmp);
            append_field(c, out, tmp->data ? tmp->data : "", tmp->len);
        }
    }
}

void fmt_csv_encoder_init(FormatEncoder *e, const ResolvedOptions *opts)
{
    e->impl = csv_codec(e->arena, e->t, NULL, opts);
    e->encode = csv_encode;
}
