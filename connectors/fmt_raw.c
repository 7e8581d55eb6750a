/*
 * fmt_raw.c: the raw format — each record is one value: the whole record
 * goes into the table's first column that the connector did not reserve
 * for metadata (STRING or BINARY, as raw_type says; other types through
 * their text form), and the encoder writes that column's value as it is.
 */
#include "connectors/format_int.h"
#include "common/error.h"

#include <string.h>

typedef struct RawCodec {
    int col;
} RawCodec;

static bool raw_decode(FormatDecoder *d, const char *data, size_t len, Batch *out, int row,
                       FormatError *err)
{
    RawCodec *r = d->impl;
    arena_reset(d->scratch);
    fmt_begin_record(d);
    TypeId tid = out->cols[r->col].type->id;
    if (tid == TYPE_STRING || tid == TYPE_BINARY || tid == TYPE_JSON)
        fmt_store_bytes(out, row, r->col, data, len);
    else if (!fmt_store_text(d, out, row, r->col, data, len, "STRING", err))
        return false;
    fmt_mark_seen(d, r->col);
    return fmt_finish_missing(d, out, row, err);
}

static int first_column(const CatTable *t, const bool *skip)
{
    for (int c = 0; c < t->ncolumns; c++)
        if (skip == NULL || !skip[c])
            return c;
    ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
            errmsg("format \"raw\" needs a column for the record value in table \"%s\"", t->name));
}

void fmt_raw_decoder_init(FormatDecoder *d, const ResolvedOptions *opts)
{
    (void)opts;
    RawCodec *r = arena_new(d->arena, RawCodec);
    r->col = first_column(d->t, d->skip);
    d->impl = r;
    d->decode = raw_decode;
}

static void raw_encode(FormatEncoder *e, const Batch *b, int row, StrBuf *out)
{
    RawCodec *r = e->impl;
    const Vector *v = &b->cols[r->col];
    if (!vector_is_valid(v, row))
        return;
    TypeId tid = v->type->id;
    if (tid == TYPE_STRING || tid == TYPE_BINARY || tid == TYPE_JSON) {
        const StrView *s = &((const StrView *)v->data)[row];
        strbuf_append(out, s->ptr, s->len);
    } else
        value_format_text(v, row, out);
}

void fmt_raw_encoder_init(FormatEncoder *e, const ResolvedOptions *opts)
{
    (void)opts;
    RawCodec *r = arena_new(e->arena, RawCodec);
    r->col = first_column(e->t, NULL);
    e->impl = r;
    e->encode = raw_encode;
}
