/*
 * table_codec.c: how plain-table rows and keys are laid out in RocksDB.
 *
 * Keys: 't' + table OID (4 bytes big-endian) + the order-preserving encoding
 * of the primary key columns one after another, or of a hidden 64-bit row id
 * for tables without a primary key.  Each key column encodes so that RocksDB's
 * bytewise order equals SQL order:
 *   integers, DATE, TIME, TIMESTAMP[TZ], DECIMAL: big-endian with the sign
 *     bit flipped (width of the physical type; DECIMAL as 128-bit);
 *   FLOAT/DOUBLE: IEEE bits, negatives fully inverted, positives with the sign
 *     bit set (-0 is normalised to 0, NaN sorts last as in PostgreSQL);
 *   BOOL: one byte; OID: big-endian;
 *   STRING, BINARY, JSON: the bytes with 0x00 escaped as 0x00 0xFF, ended by
 *     0x00 0x00 (so a prefix sorts before its extensions);
 *   INTERVAL: PostgreSQL's comparison value (months*30 days + days, in
 *     microseconds, 128-bit), so '1 mon' and '30 days' are one key as in
 *     PostgreSQL's btree.
 * Nested types cannot be key columns (0A000).
 *
 * Row values: format byte (TABLE_ROW_FORMAT), varint column count, NULL
 * bitmap (bit set = NULL, ceil(ncols/8) bytes), then each non-NULL column:
 * fixed-width types as their little-endian physical bytes, STRING/BINARY/JSON
 * as varint length + bytes, nested types (ARRAY/MAP/STRUCT) as varint length
 * + their PostgreSQL binary form (value_format_binary, read back with
 * value_parse_binary).  The column count lets a later ALTER TABLE ADD COLUMN
 * read old rows (missing trailing columns are NULL).
 */
#include "storage/table_int.h"
#include "common/error.h"

#include <math.h>

void table_key_prefix(char *dst, Oid oid)
{
    dst[0] = TABLE_KEY_TAG;
    storage_key_put_u32(dst + 1, oid);
}

static void put_be(StrBuf *out, uint64 v, int bytes)
{
    char buf[8];
    for (int i = 0; i < bytes; i++)
        buf[i] = (char)(v >> (8 * (bytes - 1 - i)));
    strbuf_append(out, buf, (size_t)bytes);
}

static void put_signed(StrBuf *out, int64 v, int bytes)
{
    uint64 flip = UINT64_C(1) << (8 * bytes - 1);
    uint64 mask = bytes == 8 ? ~UINT64_C(0) : ((UINT64_C(1) << (8 * bytes)) - 1);
    put_be(out, ((uint64)v ^ flip) & mask, bytes);
}

static void put_int128(StrBuf *out, int128 v)
{
    unsigned __int128 u = (unsigned __int128)v ^ ((unsigned __int128)1 << 127);
    put_be(out, (uint64)(u >> 64), 8);
    put_be(out, (uint64)u, 8);
}

static void put_escaped(StrBuf *out, const char *p, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\0') {
            strbuf_append(out, p + start, i - start);
            strbuf_append(out, "\0\xff", 2);
            start = i + 1;
        }
    }
    strbuf_append(out, p + start, n - start);
    strbuf_append(out, "\0\0", 2);
}

static uint64 float_key_bits(double d)
{
    uint64 bits;
    if (d == 0)
        d = 0; /* -0 == 0 */
    if (isnan(d))
        d = NAN;
    memcpy(&bits, &d, 8);
    return (bits & (UINT64_C(1) << 63)) ? ~bits : bits | (UINT64_C(1) << 63);
}

void table_key_append_value(StrBuf *out, const Vector *v, int row)
{
    const LmType *t = v->type;

    switch (t->id) {
    case TYPE_BOOL: {
        char c = ((const uint8 *)v->data)[row] ? 1 : 0;
        strbuf_append(out, &c, 1);
        return;
    }
    case TYPE_INT8:
        put_signed(out, ((const int8 *)v->data)[row], 1);
        return;
    case TYPE_INT16:
        put_signed(out, ((const int16 *)v->data)[row], 2);
        return;
    case TYPE_INT32:
    case TYPE_DATE:
        put_signed(out, ((const int32 *)v->data)[row], 4);
        return;
    case TYPE_INT64:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        put_signed(out, ((const int64 *)v->data)[row], 8);
        return;
    case TYPE_OID:
        put_be(out, ((const uint32 *)v->data)[row], 4);
        return;
    case TYPE_FLOAT32:
        put_be(out, float_key_bits(((const float *)v->data)[row]), 8);
        return;
    case TYPE_FLOAT64:
        put_be(out, float_key_bits(((const double *)v->data)[row]), 8);
        return;
    case TYPE_DECIMAL:
        put_int128(out, ((const int128 *)v->data)[row]);
        return;
    case TYPE_INTERVAL: {
        const Interval *iv = &((const Interval *)v->data)[row];
        int128 span = ((int128)iv->months * 30 + iv->days) * (int128)86400000000LL + iv->micros;
        put_int128(out, span);
        return;
    }
    case TYPE_STRING:
    case TYPE_BINARY:
    case TYPE_JSON: {
        const StrView *s = &((const StrView *)v->data)[row];
        put_escaped(out, s->ptr, s->len);
        return;
    }
    case TYPE_ARRAY:
    case TYPE_MAP:
    case TYPE_STRUCT:
    case TYPE_UNKNOWN:
    default:
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("primary key columns of type %s are not supported", type_name(v->arena, t)));
    }
}

/* ---------- row values ---------- */

static void put_varint(StrBuf *out, uint64 v)
{
    char buf[10];
    int n = 0;
    while (v >= 0x80) {
        buf[n++] = (char)(v | 0x80);
        v >>= 7;
    }
    buf[n++] = (char)v;
    strbuf_append(out, buf, (size_t)n);
}

static bool get_varint(const char **p, const char *end, uint64 *v)
{
    uint64 r = 0;
    int shift = 0;
    while (*p < end && shift < 64) {
        unsigned char c = (unsigned char)*(*p)++;
        r |= (uint64)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = r;
            return true;
        }
        shift += 7;
    }
    return false;
}

void table_row_encode(StrBuf *out, int ncols, const Vector *cols, int row)
{
    size_t nbitmap = ((size_t)ncols + 7) / 8;
    size_t bitmap_at;

    strbuf_append_char(out, TABLE_ROW_FORMAT);
    put_varint(out, (uint64)ncols);
    bitmap_at = out->len;
    strbuf_reserve(out, nbitmap);
    memset(out->data + out->len, 0, nbitmap);
    out->len += nbitmap;
    for (int c = 0; c < ncols; c++) {
        const Vector *v = &cols[c];
        if (!vector_is_valid(v, row)) {
            out->data[bitmap_at + (size_t)c / 8] |= (char)(1 << (c % 8));
            continue;
        }
        switch (v->type->id) {
        case TYPE_STRING:
        case TYPE_BINARY:
        case TYPE_JSON: {
            const StrView *s = &((const StrView *)v->data)[row];
            put_varint(out, s->len);
            strbuf_append(out, s->ptr, s->len);
            break;
        }
        case TYPE_ARRAY:
        case TYPE_MAP:
        case TYPE_STRUCT: {
            /* Length placeholder of fixed 5-byte varint width, patched after. */
            size_t at = out->len;
            strbuf_append(out, "\x80\x80\x80\x80\x00", 5);
            value_format_binary(v, row, out);
            uint64 n = out->len - at - 5;
            if (n >= (UINT64_C(1) << 35))
                ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("value of %llu bytes is too large to store", (unsigned long long)n));
            for (int i = 0; i < 5; i++)
                out->data[at + (size_t)i] = (char)(((n >> (7 * i)) & 0x7f) | (i < 4 ? 0x80 : 0));
            break;
        }
        default: {
            size_t sz = type_physical_size(v->type);
            strbuf_append(out, (const char *)v->data + sz * (size_t)row, sz);
            break;
        }
        }
    }
}

static void LM_NORETURN corrupted(const CatTable *t)
{
    ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
            errmsg("stored row of table \"%s\" is corrupted", t->name));
}

void table_row_decode(const char *data, size_t len, const CatTable *t, int nout, const int *colmap,
                      Vector *out, Arena *a, int row)
{
    const char *p = data;
    const char *end = data + len;
    uint64 nstored;
    const unsigned char *bitmap;
    int want[64];
    int *slot = want; /* slot[c]: output index for table column c, or -1 */

    if (len < 2 || p[0] != TABLE_ROW_FORMAT)
        corrupted(t);
    p++;
    if (!get_varint(&p, end, &nstored) || nstored > 100000)
        corrupted(t);
    bitmap = (const unsigned char *)p;
    p += (nstored + 7) / 8;
    if (p > end)
        corrupted(t);
    if (t->ncolumns > 64)
        slot = arena_alloc(a, sizeof(int) * (size_t)t->ncolumns);
    for (int c = 0; c < t->ncolumns; c++)
        slot[c] = -1;
    for (int j = 0; j < nout; j++)
        if (colmap[j] >= 0 && colmap[j] < t->ncolumns)
            slot[colmap[j]] = j;
    /* Columns missing from an older row are NULL. */
    for (int j = 0; j < nout; j++)
        if (colmap[j] >= (int)nstored)
            vector_set_null(&out[j], row);

    for (int c = 0; c < (int)nstored; c++) {
        int j = c < t->ncolumns ? slot[c] : -1;
        Vector *v = j >= 0 ? &out[j] : NULL;
        TypeId id = c < t->ncolumns ? t->columns[c].type->id : TYPE_UNKNOWN;

        if (bitmap[c / 8] & (1 << (c % 8))) {
            if (v)
                vector_set_null(v, row);
            continue;
        }
        switch (id) {
        case TYPE_STRING:
        case TYPE_BINARY:
        case TYPE_JSON:
        case TYPE_ARRAY:
        case TYPE_MAP:
        case TYPE_STRUCT: {
            uint64 n;
            if (!get_varint(&p, end, &n) || n > (uint64)(end - p))
                corrupted(t);
            if (v) {
                if (id == TYPE_ARRAY || id == TYPE_MAP || id == TYPE_STRUCT) {
                    value_parse_binary(v, a, row, p, (size_t)n);
                } else {
                    StrView *s = &((StrView *)v->data)[row];
                    char *copy = arena_alloc(a, (size_t)n + 1);
                    memcpy(copy, p, (size_t)n);
                    copy[n] = '\0';
                    s->len = (uint32)n;
                    s->reserved = 0;
                    s->ptr = copy;
                }
                vector_set_valid(v, row);
            }
            p += n;
            break;
        }
        case TYPE_UNKNOWN:
            corrupted(t);
        default: {
            size_t sz = type_physical_size(t->columns[c].type);
            if ((size_t)(end - p) < sz)
                corrupted(t);
            if (v) {
                memcpy((char *)v->data + sz * (size_t)row, p, sz);
                vector_set_valid(v, row);
            }
            p += sz;
            break;
        }
        }
    }
}
