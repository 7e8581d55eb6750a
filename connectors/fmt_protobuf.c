/*
 * fmt_protobuf.c: the protobuf format — a small dynamic decoder driven by
 * an inline FileDescriptorSet (seed 002: `protobuf_descriptor`, base64 of
 * `protoc --include_imports --descriptor_set_out`, and `message_type`,
 * short or fully qualified; the first message of the set when absent).
 *
 * The descriptor set is itself protobuf; it is read with the same wire
 * reader (FileDescriptorSet.file=1 → FileDescriptorProto{package=2,
 * message_type=4} → DescriptorProto{name=1, field=2, nested_type=3} →
 * FieldDescriptorProto{name=1, number=3, label=4, type=5, type_name=6,
 * json_name=10}).  Messages are decoded field by field in one pass: a
 * field number maps to its descriptor and the column of the same name
 * (then its json_name); scalars convert like JSON numbers and strings
 * (uint32 and friends land in BIGINT), nested messages are rendered as JSON
 * objects (for JSON/STRING/STRUCT/MAP columns), repeated fields as JSON
 * arrays.  Fields absent from a message take proto3 defaults (0, "",
 * false); absent message fields and columns no field names are NULL.
 * Unknown field numbers are skipped by wire type.  Writing protobuf is not
 * supported (0A000 at sink creation, format.c).
 */
#include "connectors/format_int.h"
#include "common/error.h"

#include <stdio.h>
#include <string.h>

/* FieldDescriptorProto.Type */
enum {
    PB_DOUBLE = 1,
    PB_FLOAT = 2,
    PB_INT64 = 3,
    PB_UINT64 = 4,
    PB_INT32 = 5,
    PB_FIXED64 = 6,
    PB_FIXED32 = 7,
    PB_BOOL = 8,
    PB_STRING = 9,
    PB_GROUP = 10,
    PB_MESSAGE = 11,
    PB_BYTES = 12,
    PB_UINT32 = 13,
    PB_ENUM = 14,
    PB_SFIXED32 = 15,
    PB_SFIXED64 = 16,
    PB_SINT32 = 17,
    PB_SINT64 = 18
};

typedef struct PbMessage PbMessage;

typedef struct PbField {
    char *name;
    char *json_name;
    int number;
    int type;
    bool repeated;
    char *type_name; /* ".pkg.Msg" for messages */
    PbMessage *msg;  /* resolved message type */
    int col;         /* top-level message only: column, -1 none */
} PbField;

struct PbMessage {
    char *full_name; /* "pkg.Outer.Inner" */
    int nfields;
    PbField *fields;
    PbMessage *next; /* all messages, in descriptor order */
};

typedef struct PbCodec {
    PbMessage *all;
    PbMessage *top;
    int maxnum;
    PbField **by_number; /* top-level fields by number (maxnum + 1) */
    int *rep_count;      /* per top-level field: elements seen in this record */
    StrBuf *rep_buf;     /* per top-level field: JSON array text being built */
    StrBuf tmp;
} PbCodec;

/* ---- wire reader ---- */

typedef struct Wire {
    const uint8 *p, *end;
} Wire;

static bool read_varint(Wire *w, uint64 *v)
{
    uint64 x = 0;
    for (int shift = 0; shift < 64 && w->p < w->end; shift += 7) {
        uint8 b = *w->p++;
        x |= (uint64)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return true;
        }
    }
    return false;
}

/* Reads one field header and value.  For wire type 2, *data and *len is the payload; for 0 *v; for
 * 1/5 *v holds the raw little-endian bits. */
static bool read_field(Wire *w, int *num, int *wt, uint64 *v, const uint8 **data, size_t *len)
{
    uint64 key;
    if (!read_varint(w, &key))
        return false;
    *num = (int)(key >> 3);
    *wt = (int)(key & 7);
    switch (*wt) {
    case 0:
        return read_varint(w, v);
    case 1:
        if (w->end - w->p < 8)
            return false;
        *v = 0;
        for (int i = 7; i >= 0; i--)
            *v = (*v << 8) | w->p[i];
        w->p += 8;
        return true;
    case 5:
        if (w->end - w->p < 4)
            return false;
        *v = (uint64)w->p[0] | (uint64)w->p[1] << 8 | (uint64)w->p[2] << 16 | (uint64)w->p[3] << 24;
        w->p += 4;
        return true;
    case 2: {
        uint64 l;
        if (!read_varint(w, &l) || l > (uint64)(w->end - w->p))
            return false;
        *data = w->p;
        *len = (size_t)l;
        w->p += l;
        return true;
    }
    default:
        return false; /* groups (3/4) are not supported */
    }
}

/* ---- descriptor set ---- */

static bool base64_decode(Arena *a, const char *s, uint8 **out, size_t *outlen)
{
    size_t n = strlen(s);
    uint8 *buf = arena_alloc(a, n / 4 * 3 + 4);
    size_t o = 0;
    uint32 acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+' || c == '-')
            v = 62;
        else if (c == '/' || c == '_')
            v = 63;
        else if (c == '=' || c == ' ' || c == '\n' || c == '\r')
            continue;
        else
            return false;
        acc = (acc << 6) | (uint32)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[o++] = (uint8)(acc >> bits);
        }
    }
    *out = buf;
    *outlen = o;
    return true;
}

static char *dup_bytes(Arena *a, const uint8 *p, size_t n)
{
    return arena_strndup(a, (const char *)p, n);
}

static bool parse_field(Arena *a, const uint8 *p, size_t n, PbField *f)
{
    Wire w = {p, p + n};
    f->col = -1;
    while (w.p < w.end) {
        int num, wt;
        uint64 v = 0;
        const uint8 *d = NULL;
        size_t l = 0;
        if (!read_field(&w, &num, &wt, &v, &d, &l))
            return false;
        if (num == 1 && wt == 2)
            f->name = dup_bytes(a, d, l);
        else if (num == 3 && wt == 0)
            f->number = (int)v;
        else if (num == 4 && wt == 0)
            f->repeated = v == 3;
        else if (num == 5 && wt == 0)
            f->type = (int)v;
        else if (num == 6 && wt == 2)
            f->type_name = dup_bytes(a, d, l);
        else if (num == 10 && wt == 2)
            f->json_name = dup_bytes(a, d, l);
    }
    return f->name != NULL && f->number > 0;
}

static bool parse_message(Arena *a, PbCodec *c, const uint8 *p, size_t n, const char *scope,
                          PbMessage ***tail)
{
    Wire w = {p, p + n};
    PbMessage *m = arena_new(a, PbMessage);
    int cap = 8;
    m->fields = arena_alloc0(a, sizeof(PbField) * (size_t)cap);
    /* the name comes first in practice, but do not rely on it: nested types are parsed after */
    const uint8 *nested[256];
    size_t nested_len[256];
    int nnested = 0;
    char *name = NULL;
    while (w.p < w.end) {
        int num, wt;
        uint64 v = 0;
        const uint8 *d = NULL;
        size_t l = 0;
        if (!read_field(&w, &num, &wt, &v, &d, &l))
            return false;
        if (num == 1 && wt == 2)
            name = dup_bytes(a, d, l);
        else if (num == 2 && wt == 2) {
            if (m->nfields == cap) {
                m->fields = arena_realloc(a, m->fields, sizeof(PbField) * (size_t)cap,
                                          sizeof(PbField) * (size_t)cap * 2);
                memset(m->fields + cap, 0, sizeof(PbField) * (size_t)cap);
                cap *= 2;
            }
            if (!parse_field(a, d, l, &m->fields[m->nfields]))
                return false;
            m->nfields++;
        } else if (num == 3 && wt == 2 && nnested < 256) {
            nested[nnested] = d;
            nested_len[nnested++] = l;
        }
    }
    if (name == NULL)
        return false;
    m->full_name = scope[0] ? arena_printf(a, "%s.%s", scope, name) : name;
    **tail = m;
    *tail = &m->next;
    for (int i = 0; i < nnested; i++)
        if (!parse_message(a, c, nested[i], nested_len[i], m->full_name, tail))
            return false;
    return true;
}

static bool parse_descriptor_set(Arena *a, PbCodec *c, const uint8 *p, size_t n)
{
    Wire w = {p, p + n};
    PbMessage **tail = &c->all;
    while (w.p < w.end) {
        int num, wt;
        uint64 v = 0;
        const uint8 *d = NULL;
        size_t l = 0;
        if (!read_field(&w, &num, &wt, &v, &d, &l))
            return false;
        if (num != 1 || wt != 2)
            continue;
        /* FileDescriptorProto: the package first, then its messages */
        Wire fw = {d, d + l};
        const char *pkg = "";
        while (fw.p < fw.end) {
            int fnum, fwt;
            const uint8 *fd = NULL;
            size_t fl = 0;
            if (!read_field(&fw, &fnum, &fwt, &v, &fd, &fl))
                return false;
            if (fnum == 2 && fwt == 2)
                pkg = dup_bytes(a, fd, fl);
        }
        fw.p = d;
        while (fw.p < fw.end) {
            int fnum, fwt;
            const uint8 *fd = NULL;
            size_t fl = 0;
            if (!read_field(&fw, &fnum, &fwt, &v, &fd, &fl))
                return false;
            if (fnum == 4 && fwt == 2 && !parse_message(a, c, fd, fl, pkg, &tail))
                return false;
        }
    }
    return c->all != NULL;
}

static PbMessage *find_message(PbCodec *c, const char *name)
{
    if (name[0] == '.')
        name++;
    for (PbMessage *m = c->all; m; m = m->next)
        if (strcmp(m->full_name, name) == 0)
            return m;
    for (PbMessage *m = c->all; m; m = m->next) {
        const char *dot = strrchr(m->full_name, '.');
        if (strcmp(dot ? dot + 1 : m->full_name, name) == 0)
            return m;
    }
    return NULL;
}

/* ---- values ---- */

static int64 zigzag(uint64 v)
{
    return (int64)(v >> 1) ^ -(int64)(v & 1);
}

static bool is_integer_type(int t, bool *is_unsigned)
{
    *is_unsigned = t == PB_UINT64 || t == PB_FIXED64 || t == PB_UINT32 || t == PB_FIXED32;
    return t == PB_INT64 || t == PB_UINT64 || t == PB_INT32 || t == PB_FIXED64 || t == PB_FIXED32 ||
           t == PB_UINT32 || t == PB_ENUM || t == PB_SFIXED32 || t == PB_SFIXED64 ||
           t == PB_SINT32 || t == PB_SINT64;
}

static int64 int_value(int t, uint64 v)
{
    switch (t) {
    case PB_INT32:
    case PB_SFIXED32:
    case PB_ENUM:
        return (int32)(uint32)v;
    case PB_UINT32:
    case PB_FIXED32:
        return (int64)(uint32)v;
    case PB_SINT32:
    case PB_SINT64:
        return zigzag(v);
    default:
        return (int64)v;
    }
}

static double float_value(int t, uint64 v)
{
    if (t == PB_FLOAT) {
        uint32 u = (uint32)v;
        float f;
        memcpy(&f, &u, 4);
        return f;
    }
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static void render_message(const PbMessage *m, const uint8 *p, size_t n, StrBuf *out, int depth);

/* One wire value of field f as JSON. */
static void render_value(const PbField *f, int wt, uint64 v, const uint8 *d, size_t l, StrBuf *out,
                         int depth)
{
    bool uns;
    if (wt == 2) {
        if (f->type == PB_MESSAGE && f->msg && depth < 32)
            render_message(f->msg, d, l, out, depth + 1);
        else if (f->type == PB_BYTES) {
            static const char b64[] =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            strbuf_append_char(out, '"');
            for (size_t i = 0; i < l; i += 3) {
                uint32 x = (uint32)d[i] << 16 | (i + 1 < l ? (uint32)d[i + 1] << 8 : 0) |
                           (i + 2 < l ? d[i + 2] : 0);
                char q[4] = {b64[x >> 18], b64[(x >> 12) & 63],
                             i + 1 < l ? b64[(x >> 6) & 63] : '=', i + 2 < l ? b64[x & 63] : '='};
                strbuf_append(out, q, 4);
            }
            strbuf_append_char(out, '"');
        } else
            fmt_json_escape(out, (const char *)d, l);
    } else if (f->type == PB_BOOL)
        strbuf_append_str(out, v ? "true" : "false");
    else if (f->type == PB_FLOAT || f->type == PB_DOUBLE)
        strbuf_printf(out, "%.17g", float_value(f->type, v));
    else if (is_integer_type(f->type, &uns) && uns && f->type == PB_UINT64)
        strbuf_printf(out, "%llu", (unsigned long long)v);
    else
        strbuf_printf(out, "%lld", (long long)int_value(f->type, v));
}

/* Renders a message as a JSON object; repeated fields as arrays (packed or not). */
static void render_message(const PbMessage *m, const uint8 *p, size_t n, StrBuf *out, int depth)
{
    strbuf_append_char(out, '{');
    bool first = true;
    for (int i = 0; i < m->nfields; i++) {
        const PbField *f = &m->fields[i];
        Wire w = {p, p + n};
        int count = 0;
        size_t mark = out->len;
        while (w.p < w.end) {
            int num, wt;
            uint64 v = 0;
            const uint8 *d = NULL;
            size_t l = 0;
            if (!read_field(&w, &num, &wt, &v, &d, &l))
                break;
            if (num != f->number)
                continue;
            if (count == 0 || !f->repeated) {
                out->len = mark;
                if (!first)
                    strbuf_append_char(out, ',');
                fmt_json_escape(out, f->name, strlen(f->name));
                strbuf_append_char(out, ':');
                if (f->repeated)
                    strbuf_append_char(out, '[');
                count = 0;
            }
            if (f->repeated && wt == 2 && f->type != PB_STRING && f->type != PB_BYTES &&
                f->type != PB_MESSAGE) {
                /* packed scalars */
                Wire pw = {d, d + l};
                while (pw.p < pw.end) {
                    uint64 x = 0;
                    if (f->type == PB_DOUBLE || f->type == PB_FIXED64 || f->type == PB_SFIXED64) {
                        if (pw.end - pw.p < 8)
                            break;
                        for (int k = 7; k >= 0; k--)
                            x = (x << 8) | pw.p[k];
                        pw.p += 8;
                        wt = 1;
                    } else if (f->type == PB_FLOAT || f->type == PB_FIXED32 ||
                               f->type == PB_SFIXED32) {
                        if (pw.end - pw.p < 4)
                            break;
                        x = (uint64)pw.p[0] | (uint64)pw.p[1] << 8 | (uint64)pw.p[2] << 16 |
                            (uint64)pw.p[3] << 24;
                        pw.p += 4;
                        wt = 5;
                    } else {
                        if (!read_varint(&pw, &x))
                            break;
                        wt = 0;
                    }
                    if (count++)
                        strbuf_append_char(out, ',');
                    render_value(f, wt, x, NULL, 0, out, depth);
                }
                continue;
            }
            if (count++ && f->repeated)
                strbuf_append_char(out, ',');
            render_value(f, wt, v, d, l, out, depth);
        }
        if (count > 0) {
            if (f->repeated)
                strbuf_append_char(out, ']');
            first = false;
        }
    }
    strbuf_append_char(out, '}');
}

/* ---- decoder ---- */

static bool store_default(FormatDecoder *d, const PbField *f, Batch *out, int row, FormatError *err)
{
    bool uns;
    if (f->repeated)
        return fmt_store_json_value(d, out, row, f->col, "[]", 2, "ARRAY", err);
    if (f->type == PB_MESSAGE)
        return fmt_store_null(d, out, row, f->col, true, err);
    if (f->type == PB_STRING || f->type == PB_BYTES) {
        TypeId tid = out->cols[f->col].type->id;
        if (tid == TYPE_STRING || tid == TYPE_BINARY || tid == TYPE_JSON) {
            fmt_store_bytes(out, row, f->col, tid == TYPE_JSON ? "\"\"" : "",
                            tid == TYPE_JSON ? 2 : 0);
            return true;
        }
        return fmt_store_null(d, out, row, f->col, true, err);
    }
    if (f->type == PB_BOOL)
        return fmt_store_bool(d, out, row, f->col, false, err);
    if (f->type == PB_FLOAT || f->type == PB_DOUBLE)
        return fmt_store_double(d, out, row, f->col, 0.0, err);
    if (is_integer_type(f->type, &uns))
        return fmt_store_int(d, out, row, f->col, 0, err);
    return fmt_store_null(d, out, row, f->col, true, err);
}

static bool store_scalar(FormatDecoder *d, PbCodec *c, const PbField *f, int wt, uint64 v,
                         const uint8 *data, size_t l, Batch *out, int row, FormatError *err)
{
    bool uns;
    int col = f->col;
    if (wt == 2) {
        if (f->type == PB_STRING) {
            TypeId tid = out->cols[col].type->id;
            if (tid == TYPE_STRING) {
                fmt_store_bytes(out, row, col, (const char *)data, l);
                return true;
            }
            return fmt_store_text(d, out, row, col, (const char *)data, l, "STRING", err);
        }
        if (f->type == PB_BYTES) {
            TypeId tid = out->cols[col].type->id;
            if (tid == TYPE_BINARY || tid == TYPE_STRING) {
                fmt_store_bytes(out, row, col, (const char *)data, l);
                return true;
            }
            return fmt_schema_error(d, err, col,
                                    arena_printf(d->scratch, "Cannot cast BINARY to %s",
                                                 fmt_type_name(d, out->cols[col].type)),
                                    NULL, 0);
        }
        if (f->type == PB_MESSAGE && f->msg) {
            strbuf_reset(&c->tmp);
            render_message(f->msg, data, l, &c->tmp, 0);
            return fmt_store_json_value(d, out, row, col, c->tmp.data, c->tmp.len, "STRUCT", err);
        }
        return fmt_format_error(d, err, "field %d has an unexpected wire type", f->number);
    }
    if (f->type == PB_BOOL)
        return fmt_store_bool(d, out, row, col, v != 0, err);
    if (f->type == PB_FLOAT || f->type == PB_DOUBLE)
        return fmt_store_double(d, out, row, col, float_value(f->type, v), err);
    if (is_integer_type(f->type, &uns)) {
        if (f->type == PB_UINT64 && v > (uint64)INT64_MAX)
            return fmt_store_double(d, out, row, col, (double)v, err);
        return fmt_store_int(d, out, row, col, int_value(f->type, v), err);
    }
    return fmt_format_error(d, err, "field %d has an unsupported type %d", f->number, f->type);
}

static bool pb_decode(FormatDecoder *d, const char *data, size_t len, Batch *out, int row,
                      FormatError *err)
{
    PbCodec *c = d->impl;
    arena_reset(d->scratch);
    fmt_begin_record(d);
    const PbMessage *m = c->top;
    for (int i = 0; i < m->nfields; i++)
        c->rep_count[i] = 0;
    Wire w = {(const uint8 *)data, (const uint8 *)data + len};
    while (w.p < w.end) {
        int num, wt;
        uint64 v = 0;
        const uint8 *dd = NULL;
        size_t l = 0;
        if (!read_field(&w, &num, &wt, &v, &dd, &l))
            return fmt_format_error(d, err,
                                    "invalid protobuf message (truncated or bad wire type)");
        PbField *f = num <= c->maxnum ? c->by_number[num] : NULL;
        if (f == NULL || f->col < 0)
            continue;
        if (f->repeated) {
            int fi = (int)(f - m->fields);
            StrBuf *rb = &c->rep_buf[fi];
            if (c->rep_count[fi] == 0)
                strbuf_reset(rb);
            /* render this occurrence as elements, reusing the message renderer's element code */
            PbMessage one = {.full_name = "", .nfields = 1, .fields = f};
            StrBuf *tmp = &c->tmp;
            strbuf_reset(tmp);
            /* re-encode a minimal message holding just this occurrence: render from its bytes */
            {
                StrBuf enc;
                strbuf_init(&enc, d->scratch);
                uint64 key = ((uint64)num << 3) | (uint64)wt;
                uint8 vb[10];
                int nb = 0;
                do {
                    vb[nb++] = (uint8)((key & 0x7F) | (key > 0x7F ? 0x80 : 0));
                    key >>= 7;
                } while (key);
                strbuf_append(&enc, vb, (size_t)nb);
                if (wt == 2) {
                    uint64 ll = l;
                    nb = 0;
                    do {
                        vb[nb++] = (uint8)((ll & 0x7F) | (ll > 0x7F ? 0x80 : 0));
                        ll >>= 7;
                    } while (ll);
                    strbuf_append(&enc, vb, (size_t)nb);
                    strbuf_append(&enc, dd, l);
                } else if (wt == 0) {
                    uint64 x = v;
                    nb = 0;
                    do {
                        vb[nb++] = (uint8)((x & 0x7F) | (x > 0x7F ? 0x80 : 0));
                        x >>= 7;
                    } while (x);
                    strbuf_append(&enc, vb, (size_t)nb);
                } else {
                    for (int k = 0; k < (wt == 1 ? 8 : 4); k++)
                        strbuf_append_char(&enc, (char)(v >> (8 * k)));
                }
                render_message(&one, (const uint8 *)enc.data, enc.len, tmp, 0);
            }
            /* tmp is {"name":[e1,e2]}: keep the elements */
            const char *lb = memchr(tmp->data, '[', tmp->len);
            if (lb && tmp->len >= 3) {
                size_t el = tmp->len - (size_t)(lb + 1 - tmp->data) - 2;
                if (el > 0) {
                    strbuf_append_char(rb, c->rep_count[fi] ? ',' : '[');
                    strbuf_append(rb, lb + 1, el);
                    c->rep_count[fi]++;
                }
            }
            continue;
        }
        if (!store_scalar(d, c, f, wt, v, dd, l, out, row, err))
            return false;
        fmt_mark_seen(d, f->col);
    }
    for (int i = 0; i < m->nfields; i++) {
        PbField *f = &m->fields[i];
        if (f->col < 0)
            continue;
        if (f->repeated && c->rep_count[i] > 0) {
            strbuf_append_char(&c->rep_buf[i], ']');
            if (!fmt_store_json_value(d, out, row, f->col, c->rep_buf[i].data, c->rep_buf[i].len,
                                      "ARRAY", err))
                return false;
            fmt_mark_seen(d, f->col);
            continue;
        }
        if (!(d->seen[f->col >> 6] >> (f->col & 63) & 1)) {
            if (!store_default(d, f, out, row, err))
                return false;
            fmt_mark_seen(d, f->col);
        }
    }
    return fmt_finish_missing(d, out, row, err);
}

void fmt_protobuf_decoder_init(FormatDecoder *d, const ResolvedOptions *opts)
{
    const char *desc = opts ? resolved_get(opts, "protobuf_descriptor") : NULL;
    const char *type = opts ? resolved_get(opts, "message_type") : NULL;
    if (desc == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("format \"protobuf\" needs the option \"protobuf_descriptor\""),
                errhint("Give the base64 of protoc --include_imports --descriptor_set_out."));
    Arena *a = d->arena;
    PbCodec *c = arena_new(a, PbCodec);
    uint8 *bin;
    size_t blen;
    if (!base64_decode(a, desc, &bin, &blen) || !parse_descriptor_set(a, c, bin, blen))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("option \"protobuf_descriptor\" is not a base64 FileDescriptorSet"));
    for (PbMessage *m = c->all; m; m = m->next)
        for (int i = 0; i < m->nfields; i++)
            if (m->fields[i].type == PB_MESSAGE && m->fields[i].type_name)
                m->fields[i].msg = find_message(c, m->fields[i].type_name);
    c->top = type && type[0] ? find_message(c, type) : c->all;
    if (c->top == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("message type \"%s\" is not in the protobuf descriptor", type));
    PbMessage *m = c->top;
    for (int i = 0; i < m->nfields; i++) {
        PbField *f = &m->fields[i];
        f->col = fmt_column_lookup(d, f->name, strlen(f->name));
        if (f->col < 0 && f->json_name)
            f->col = fmt_column_lookup(d, f->json_name, strlen(f->json_name));
        if (f->number > c->maxnum)
            c->maxnum = f->number;
    }
    if (c->maxnum > 1 << 20)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("protobuf field numbers above %d are not supported", 1 << 20));
    c->by_number = arena_alloc0(a, sizeof(PbField *) * (size_t)(c->maxnum + 1));
    for (int i = 0; i < m->nfields; i++)
        c->by_number[m->fields[i].number] = &m->fields[i];
    c->rep_count = arena_alloc0(a, sizeof(int) * (size_t)(m->nfields + 1));
    c->rep_buf = arena_alloc0(a, sizeof(StrBuf) * (size_t)(m->nfields + 1));
    for (int i = 0; i < m->nfields; i++)
        strbuf_init(&c->rep_buf[i], a);
    strbuf_init(&c->tmp, a);
    d->impl = c;
    d->decode = pb_decode;
}
