/*
 * agg_set.c: aggregate calls evaluated as a unit over per-group state arrays,
 * their snapshot encoding, and the row codec for operator state (agg_set.h).
 *
 * Per batch and aggregate: FILTER narrows the rows with a selection vector,
 * arguments are evaluated on the narrowed batch, strict aggregates drop rows
 * with a NULL argument, and AggDesc.update folds the rest in one call.
 */
#include "executor/agg_set.h"
#include "common/errcodes.h"

#include <string.h>

void codec_corrupt(void)
{
    ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED), errmsg("corrupt operator state"));
}

void codec_put_i64(StrBuf *out, int64 v)
{
    strbuf_append_be64(out, (uint64)v ^ ((uint64)1 << 63));
}

int64 codec_get_i64(const char **p, const char *end)
{
    if (end - *p < 8)
        codec_corrupt();
    const unsigned char *u = (const unsigned char *)*p;
    uint64 v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | u[i];
    *p += 8;
    return (int64)(v ^ ((uint64)1 << 63));
}

void codec_put_u32(StrBuf *out, uint32 v)
{
    strbuf_append_be32(out, v);
}

uint32 codec_get_u32(const char **p, const char *end)
{
    if (end - *p < 4)
        codec_corrupt();
    const unsigned char *u = (const unsigned char *)*p;
    uint32 v = (uint32)u[0] << 24 | (uint32)u[1] << 16 | (uint32)u[2] << 8 | u[3];
    *p += 4;
    return v;
}

static void put_value(StrBuf *out, const Vector *v, int row)
{
    if (!vector_is_valid(v, row)) {
        strbuf_append_char(out, 0);
        return;
    }
    strbuf_append_char(out, 1);
    size_t at = out->len;
    codec_put_u32(out, 0);
    value_format_binary(v, row, out);
    uint32 len = (uint32)(out->len - at - 4);
    unsigned char *u = (unsigned char *)out->data + at;
    u[0] = (unsigned char)(len >> 24);
    u[1] = (unsigned char)(len >> 16);
    u[2] = (unsigned char)(len >> 8);
    u[3] = (unsigned char)len;
}

void rowcodec_put(StrBuf *out, const Batch *b, int row, int ncols, const int *cols)
{
    for (int i = 0; i < ncols; i++)
        put_value(out, &b->cols[cols ? cols[i] : i], row);
}

void rowcodec_put_vectors(StrBuf *out, Vector *const *vs, int row, int ncols)
{
    for (int i = 0; i < ncols; i++)
        put_value(out, vs[i], row);
}

void rowcodec_get(const char **p, const char *end, Vector *dst, int ncols, int row, Arena *a)
{
    for (int i = 0; i < ncols; i++) {
        if (*p >= end)
            codec_corrupt();
        char flag = *(*p)++;
        if (flag == 0) {
            vector_set_null(&dst[i], row);
            continue;
        }
        uint32 len = codec_get_u32(p, end);
        if ((size_t)(end - *p) < len)
            codec_corrupt();
        value_parse_binary(&dst[i], a, row, *p, len);
        vector_set_valid(&dst[i], row);
        *p += len;
    }
}

/* ---------------------------------------------------------------- DISTINCT sets */

enum { DK_NONE = 0, DK_FIXED, DK_FLOAT32, DK_FLOAT64, DK_STRING };

#define DS_NULL_LEN AGGSET_NULL_LEN /* the key of a NULL value (non-strict aggregates) */

typedef struct DEntry {
    uint64 hash;
    uint32 gid;  /* UINT32_MAX: removed with its group */
    uint32 next; /* next entry of the same group + 1; 0 ends the chain */
    uint32 len;
    uint32 pad;
    const char *ptr; /* DK_STRING: the bytes (copied into the arena); else NULL */
    char inl[16];    /* fixed-width keys, zero padded */
} DEntry;

struct DistinctSet {
    Arena *arena;
    DEntry *e;
    uint32 n, cap;
    uint64 *slots; /* high 32 bits: hash tag; low 32: entry index + 1 (0: empty); open
                      addressing, power-of-two size — a probe compares tags before it
                      touches an entry */
    uint32 nslots;
    uint32 *head; /* per group: its first entry + 1 */
    uint32 nhead;
};

static inline uint64 ds_mix(uint64 x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint64 ds_hash_bytes(const char *p, uint32 len)
{
    uint64 h = 0x9e3779b97f4a7c15ULL ^ len;
    uint32 i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64 w;
        memcpy(&w, p + i, 8);
        h = ds_mix(h ^ w) * 0x9e3779b97f4a7c15ULL;
    }
    if (i < len) {
        uint64 w = 0;
        memcpy(&w, p + i, len - i);
        h = ds_mix(h ^ w);
    }
    return h;
}

static DistinctSet *ds_create(Arena *a)
{
    DistinctSet *d = arena_new(a, DistinctSet);
    d->arena = a;
    return d;
}

static void ds_grow_slots(DistinctSet *d)
{
    uint32 ns = d->nslots ? d->nslots * 2 : 64;
    uint64 *slots = arena_alloc0(d->arena, sizeof(uint64) * ns);
    for (uint32 i = 0; i < d->n; i++) {
        uint64 h = d->e[i].hash;
        uint32 j = (uint32)h & (ns - 1);
        while (slots[j])
            j = (j + 1) & (ns - 1);
        slots[j] = (h >> 32) << 32 | (uint64)(i + 1);
    }
    d->slots = slots;
    d->nslots = ns;
}

/* Adds (gid, key); true when it was not there.  copy: string bytes must be copied. */
static bool ds_insert(DistinctSet *d, uint32 gid, uint64 h, const char *key, uint32 len)
{
    if ((d->n + 1) * 4 > d->nslots * 3)
        ds_grow_slots(d);
    h ^= ds_mix((uint64)gid + 0x632be59bd9b4e019ULL);
    uint32 j = (uint32)h & (d->nslots - 1);
    bool inl = len != DS_NULL_LEN && len <= 16 && key != NULL;
    uint64 tag = (h >> 32) << 32;
    for (;;) {
        uint64 s = d->slots[j];
        if (s == 0)
            break;
        if ((s & 0xffffffff00000000ULL) == tag) {
            const DEntry *e = &d->e[(uint32)s - 1];
            if (e->hash == h && e->gid == gid && e->len == len &&
                (len == DS_NULL_LEN || memcmp(e->ptr ? e->ptr : e->inl, key, len) == 0))
                return false;
        }
        j = (j + 1) & (d->nslots - 1);
    }
    if (d->n == d->cap) {
        uint32 nc = d->cap ? d->cap * 2 : 32;
        d->e = arena_realloc(d->arena, d->e, sizeof(DEntry) * d->cap, sizeof(DEntry) * nc);
        d->cap = nc;
    }
    if (gid >= d->nhead) {
        uint32 nh = d->nhead ? d->nhead : 16;
        while (nh <= gid)
            nh *= 2;
        d->head = arena_realloc(d->arena, d->head, sizeof(uint32) * d->nhead, sizeof(uint32) * nh);
        memset(d->head + d->nhead, 0, sizeof(uint32) * (nh - d->nhead));
        d->nhead = nh;
    }
    DEntry *e = &d->e[d->n];
    memset(e, 0, sizeof(*e));
    e->hash = h;
    e->gid = gid;
    e->len = len;
    if (len != DS_NULL_LEN) {
        if (inl)
            memcpy(e->inl, key, len);
        else
            e->ptr = arena_memdup(d->arena, key, len);
    }
    e->next = d->head[gid];
    d->head[gid] = d->n + 1;
    d->slots[j] = tag | (uint64)(++d->n);
    return true;
}

static void ds_remove_group(DistinctSet *d, uint32 gid)
{
    if (d == NULL || gid >= d->nhead)
        return;
    for (uint32 k = d->head[gid]; k; k = d->e[k - 1].next)
        d->e[k - 1].gid = UINT32_MAX;
    d->head[gid] = 0;
}

/* The key of row r of v (fixed-width kinds into buf). */
static const char *ds_key(int kind, const Vector *v, int r, char *buf, uint32 *len)
{
    if (!vector_is_valid(v, r)) {
        *len = DS_NULL_LEN;
        return NULL;
    }
    switch (kind) {
    case DK_STRING: {
        const StrView *sv = &((const StrView *)v->data)[r];
        *len = sv->len;
        return sv->ptr ? sv->ptr : "";
    }
    case DK_FLOAT32: {
        float f = ((const float *)v->data)[r];
        if (f == 0)
            f = 0; /* -0 = 0 */
        if (f != f)
            f = __builtin_nanf(""); /* one NaN */
        memset(buf, 0, 16);
        memcpy(buf, &f, sizeof f);
        *len = sizeof f;
        return buf;
    }
    case DK_FLOAT64: {
        double f = ((const double *)v->data)[r];
        if (f == 0)
            f = 0;
        if (f != f)
            f = __builtin_nan("");
        memset(buf, 0, 16);
        memcpy(buf, &f, sizeof f);
        *len = sizeof f;
        return buf;
    }
    default: {
        size_t sz = type_physical_size(v->type);
        memset(buf, 0, 16);
        memcpy(buf, (const char *)v->data + sz * (size_t)r, sz);
        *len = (uint32)sz;
        return buf;
    }
    }
}

/* Keeps the rows of sel whose value is new for their group (and records them). */
static int distinct_filter(int kind, DistinctSet *d, const Vector *v, uint16 *sel, int n,
                           const uint32 *gids)
{
    int k = 0;
    char buf[16];
    for (int i = 0; i < n; i++) {
        int r = sel[i];
        uint32 len;
        const char *key = ds_key(kind, v, r, buf, &len);
        uint64 h = len == DS_NULL_LEN ? 0x2545f4914f6cdd1dULL : ds_hash_bytes(key, len);
        if (ds_insert(d, gids[r], h, key, len))
            sel[k++] = (uint16)r;
    }
    return k;
}

static int distinct_kind(const LmType *t)
{
    switch (t->id) {
    case TYPE_BOOL:
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64:
    case TYPE_DECIMAL:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
    case TYPE_OID:
        return type_physical_size(t) > 0 && type_physical_size(t) <= 16 ? DK_FIXED : DK_NONE;
    case TYPE_FLOAT32: return DK_FLOAT32;
    case TYPE_FLOAT64: return DK_FLOAT64;
    case TYPE_STRING:
    case TYPE_BINARY: return DK_STRING;
    default: return DK_NONE;
    }
}

/* ---------------------------------------------------------------- aggregates */

void aggset_init(Operator *op, AggSet *s, int naggs, const AggCall *calls, Arena *state_arena,
                 const char *what)
{
    Arena *a = op_state_arena(op);
    s->naggs = naggs;
    s->calls = calls;
    int n1 = naggs > 0 ? naggs : 1;
    s->desc = arena_new_array(a, const AggDesc *, n1);
    s->kargs = arena_new_array(a, AggKernelArgs, n1);
    s->args = arena_new_array(a, ExprState **, n1);
    s->filter = arena_new_array(a, ExprState *, n1);
    s->replay = arena_new_array(a, bool, n1);
    s->dkind = arena_new_array(a, uint8, n1);
    s->any_distinct = false;
    s->state_bytes = 0;
    bool distinct_ok = strcmp(what, "pipelines") == 0;
    for (int i = 0; i < naggs; i++) {
        const AggCall *c = &calls[i];
        const char *name = c->agg->name;
        if (c->norder > 0 || (c->distinct && !distinct_ok))
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("%s inside %s() is not supported in %s",
                           c->distinct ? "DISTINCT" : "ORDER BY", name, what));
        if (c->distinct) {
            int k = c->nargs == 1 ? distinct_kind(c->args[0]->type) : DK_NONE;
            if (k == DK_NONE)
                ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("DISTINCT inside %s() is not supported in %s for this argument",
                               name, what),
                        errhint("Pipelines support DISTINCT over one argument of a number, "
                                "boolean, date, time, timestamp, text or bytea type."));
            s->dkind[i] = (uint8)k;
            s->any_distinct = true;
        }
        if (strcmp(name, "array_agg") == 0 || strcmp(name, "json_agg") == 0)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("aggregate %s() is not supported in %s", name, what));
        if (c->nargs > FUNC_MAX_ARGS)
            elog(ERROR, "aggregate with %d arguments", c->nargs);
        s->desc[i] = c->agg;
        s->kargs[i].ctx = op->ctx;
        s->kargs[i].call = c;
        s->kargs[i].arena = state_arena;
        s->args[i] = arena_new_array(a, ExprState *, c->nargs + 1);
        for (int j = 0; j < c->nargs; j++)
            if (c->args[j]->kind != EXPR_COLUMN || c->args[j]->levels_up != 0)
                s->args[i][j] = op_expr_init(op, c->args[j]);
        if (c->filter)
            s->filter[i] = op_expr_init(op, c->filter);
        bool varwidth_minmax = (strcmp(name, "min") == 0 || strcmp(name, "max") == 0) &&
                               c->nargs == 1 && type_physical_size(c->args[0]->type) == 0;
        varwidth_minmax |= (strcmp(name, "min") == 0 || strcmp(name, "max") == 0) &&
                           c->nargs == 1 &&
                           (c->args[0]->type->id == TYPE_STRING ||
                            c->args[0]->type->id == TYPE_BINARY);
        s->replay[i] = varwidth_minmax || strcmp(name, "string_agg") == 0;
        s->state_bytes += c->agg->state_size;
    }
}

void aggset_set_arena(AggSet *s, Arena *a)
{
    for (int i = 0; i < s->naggs; i++)
        s->kargs[i].arena = a;
}

void aggstates_init(const AggSet *s, AggStates *st, Arena *a)
{
    st->arr = arena_new_array(a, char *, s->naggs > 0 ? s->naggs : 1);
    st->dset = arena_new_array(a, DistinctSet *, s->naggs > 0 ? s->naggs : 1);
    for (int i = 0; i < s->naggs; i++)
        if (s->dkind[i])
            st->dset[i] = ds_create(a);
    st->capacity = 0;
    st->arena = a;
}

void aggstates_reserve(const AggSet *s, AggStates *st, uint32 n)
{
    if (n <= st->capacity)
        return;
    uint32 ncap = st->capacity ? st->capacity : 16;
    while (ncap < n)
        ncap *= 2;
    for (int i = 0; i < s->naggs; i++) {
        size_t sz = s->desc[i]->state_size;
        st->arr[i] = arena_realloc(st->arena, st->arr[i], sz * st->capacity, sz * ncap);
        /* zeroed first: snapshots copy states as bytes, padding included */
        memset(st->arr[i] + sz * st->capacity, 0, sz * (ncap - st->capacity));
        for (uint32 g = st->capacity; g < ncap; g++)
            s->desc[i]->init(&s->kargs[i], st->arr[i] + sz * g);
    }
    st->capacity = ncap;
}

void aggstates_reset(const AggSet *s, AggStates *st, uint32 gid)
{
    for (int i = 0; i < s->naggs; i++) {
        size_t sz = s->desc[i]->state_size;
        memset(st->arr[i] + sz * gid, 0, sz);
        s->desc[i]->init(&s->kargs[i], st->arr[i] + sz * gid);
        if (s->dkind[i])
            ds_remove_group(st->dset[i], gid);
    }
}

static int drop_nulls(Vector **vs, int nv, uint16 *sel, int n)
{
    bool any = false;
    for (int i = 0; i < nv; i++)
        any |= vs[i]->validity != NULL;
    if (!any)
        return n;
    int k = 0;
    for (int j = 0; j < n; j++) {
        int r = sel[j];
        bool ok = true;
        for (int i = 0; i < nv; i++)
            ok &= vector_is_valid(vs[i], r);
        if (ok)
            sel[k++] = (uint16)r;
    }
    return k;
}

void aggset_update(AggSet *s, const Batch *in, const uint32 *gids, AggStates *st)
{
    for (int a = 0; a < s->naggs; a++) {
        const AggCall *c = &s->calls[a];
        Batch view = *in;
        int n;
        if (s->filter[a]) {
            n = expr_filter(s->filter[a], in, s->sel);
        } else {
            n = batch_live_count(in);
            for (int i = 0; i < n; i++)
                s->sel[i] = (uint16)batch_row(in, i);
        }
        if (n == 0)
            continue;
        view.sel = s->sel;
        view.nsel = n;
        Vector *args[FUNC_MAX_ARGS];
        for (int i = 0; i < c->nargs; i++)
            args[i] = s->args[a][i] ? expr_eval(s->args[a][i], &view)
                                    : &in->cols[c->args[i]->index];
        if (s->desc[a]->strict && c->nargs > 0) {
            n = drop_nulls(args, c->nargs, s->sel, n);
            if (n == 0)
                continue;
            view.nsel = n;
        }
        if (s->dkind[a]) {
            n = distinct_filter(s->dkind[a], st->dset[a], args[0], s->sel, n, gids);
            if (n == 0)
                continue;
            view.nsel = n;
        }
        s->desc[a]->update(&s->kargs[a], args, &view, gids, st->arr[a]);
    }
}

void aggset_finalize(AggSet *s, const AggStates *st, uint32 gid, Vector *out, int row)
{
    for (int a = 0; a < s->naggs; a++) {
        size_t sz = s->desc[a]->state_size;
        s->desc[a]->finalize(&s->kargs[a], st->arr[a] + sz * gid, &out[a], row);
    }
}

void aggset_merge(AggSet *s, AggStates *st, uint32 dst, uint32 src)
{
    if (s->any_distinct)
        elog(ERROR, "merge of aggregate states with DISTINCT");
    for (int a = 0; a < s->naggs; a++) {
        size_t sz = s->desc[a]->state_size;
        s->desc[a]->merge(&s->kargs[a], st->arr[a] + sz * dst, st->arr[a] + sz * src);
    }
}

void aggset_save(AggSet *s, const AggStates *st, uint32 gid, StrBuf *out, Arena *scratch)
{
    for (int a = 0; a < s->naggs; a++) {
        size_t sz = s->desc[a]->state_size;
        const char *state = st->arr[a] + sz * gid;
        if (s->dkind[a] && !s->external_distinct) {
            /* the group's values: count, then (length, bytes) each */
            const DistinctSet *d = st->dset[a];
            uint32 cnt = 0;
            for (uint32 k = gid < d->nhead ? d->head[gid] : 0; k; k = d->e[k - 1].next)
                cnt++;
            codec_put_u32(out, cnt);
            for (uint32 k = gid < d->nhead ? d->head[gid] : 0; k; k = d->e[k - 1].next) {
                const DEntry *e = &d->e[k - 1];
                codec_put_u32(out, e->len);
                if (e->len != DS_NULL_LEN)
                    strbuf_append(out, e->ptr ? e->ptr : e->inl, e->len);
            }
        }
        if (!s->replay[a]) {
            strbuf_append(out, state, sz);
            continue;
        }
        Vector v;
        vector_init(&v, scratch, s->calls[a].type, 1);
        s->desc[a]->finalize(&s->kargs[a], state, &v, 0);
        put_value(out, &v, 0);
    }
}

void aggset_load(AggSet *s, AggStates *st, uint32 gid, const char **p, const char *end,
                 Arena *scratch)
{
    for (int a = 0; a < s->naggs; a++) {
        size_t sz = s->desc[a]->state_size;
        char *state = st->arr[a] + sz * gid;
        if (s->dkind[a] && !s->external_distinct) {
            uint32 cnt = codec_get_u32(p, end);
            for (uint32 i = 0; i < cnt; i++) {
                uint32 len = codec_get_u32(p, end);
                const char *key = NULL;
                uint64 h = 0x2545f4914f6cdd1dULL;
                if (len != DS_NULL_LEN) {
                    if ((size_t)(end - *p) < len)
                        codec_corrupt();
                    key = *p;
                    h = ds_hash_bytes(key, len);
                    *p += len;
                }
                ds_insert(st->dset[a], gid, h, key, len);
            }
        }
        if (!s->replay[a]) {
            if ((size_t)(end - *p) < sz)
                codec_corrupt();
            memcpy(state, *p, sz);
            *p += sz;
            continue;
        }
        const AggCall *c = &s->calls[a];
        /* the result fed back as the only row (string_agg: with an empty delimiter) */
        Vector vals[2];
        vector_init(&vals[0], scratch, c->type, 1);
        rowcodec_get(p, end, &vals[0], 1, 0, scratch);
        if (!vector_is_valid(&vals[0], 0))
            continue;
        int nargs = c->nargs;
        if (nargs == 2) {
            vector_init(&vals[1], scratch, c->args[1]->type, 1);
            StrView *d = vals[1].data;
            d->len = 0;
            d->ptr = "";
        }
        Vector *args[2] = {&vals[0], &vals[1]};
        Batch b = {0};
        b.ncols = nargs;
        b.cols = vals;
        b.count = 1;
        uint32 gids[1] = {gid};
        s->desc[a]->update(&s->kargs[a], args, &b, gids, st->arr[a]);
    }
}

uint32 aggset_distinct_size(const AggSet *s, const AggStates *st, int agg)
{
    return s->dkind[agg] && st->dset[agg] ? st->dset[agg]->n : 0;
}

bool aggset_distinct_get(const AggSet *s, const AggStates *st, int agg, uint32 i, uint32 *gid,
                         const char **key, uint32 *len)
{
    const DEntry *e = &st->dset[agg]->e[i];
    (void)s;
    if (e->gid == UINT32_MAX)
        return false;
    *gid = e->gid;
    *len = e->len;
    *key = e->len == DS_NULL_LEN ? NULL : e->ptr ? e->ptr : e->inl;
    return true;
}

void aggset_distinct_put(AggSet *s, AggStates *st, int agg, uint32 gid, const char *key,
                         uint32 len)
{
    (void)s;
    uint64 h = len == DS_NULL_LEN ? 0x2545f4914f6cdd1dULL : ds_hash_bytes(key, len);
    ds_insert(st->dset[agg], gid, h, key, len);
}
