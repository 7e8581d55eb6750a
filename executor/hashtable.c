/*
 * hashtable.c: vectorized hash table (hashtable.h) and the per-type value
 * hashing and comparison every key-based operator shares.
 *
 * Layout: slots[] is an open-addressing (linear probing) array of 64-bit
 * entries — the upper half of the group's hash as a tag, the group id below —
 * kept at most half full and doubled when it fills, so probing compares tags
 * before it touches any key, and group_hash[g] lets resizing re-place groups
 * without rehashing key values.  A batch computes all its slot positions and
 * prefetches them before probing, hiding most cache misses of large tables
 * (hash join build sides).  Key values live in a RowSet in the table's
 * arena (group id = global row index), copied when a group is created.
 *
 * Per batch: one pass per key column computes the hashes of all live rows
 * (the type switch is outside the row loop), then one pass over the rows
 * probes.  Key equality is an inline switch per key column — no indirect
 * calls.  Value semantics follow PostgreSQL: -0.0 = 0.0, NaN = NaN and NaN
 * sorts above every number; intervals compare by their total length with
 * months of 30 days and days of 24 hours ('1 day' = '24 hours'); text and
 * binary compare bytewise (C collation).
 */
#include "executor/hashtable.h"
#include "executor/operator.h"
#include <math.h>

struct HashTable {
    Arena *arena;
    int nkeys;
    bool nulls_equal;
    RowSet *keys;
    uint64 *group_hash;
    uint32 ngroups;
    uint32 gcap;
    uint64 *slots; /* tag << 32 | group id; SLOT_EMPTY */
    uint32 mask;
};

/* ---- hashing ---- */

static inline uint64 mix64(uint64 x)
{
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= UINT64_C(0xc4ceb9fe1a85ec53);
    x ^= x >> 33;
    return x;
}

static inline uint64 combine(uint64 h, uint64 v)
{
    return (h ^ v) * UINT64_C(0x9e3779b97f4a7c15) + (h >> 29);
}

static uint64 hash_bytes(const char *p, size_t n)
{
    uint64 h = UINT64_C(0x8445d61a4e774912) ^ (n * UINT64_C(0x9e3779b97f4a7c15));
    while (n >= 8) {
        uint64 w;
        memcpy(&w, p, 8);
        h = combine(h, mix64(w));
        p += 8;
        n -= 8;
    }
    if (n) {
        uint64 w = 0;
        memcpy(&w, p, n);
        h = combine(h, mix64(w ^ ((uint64)n << 56)));
    }
    return mix64(h);
}

#define NULL_HASH UINT64_C(0x5bd1e9955bd1e995)
#define SLOT_EMPTY UINT64_MAX
#define SLOT_TAG(h) ((h)&UINT64_C(0xffffffff00000000))

static inline uint64 hash_double(double d)
{
    if (d == 0)
        d = 0; /* -0.0 hashes as 0.0 */
    if (isnan(d))
        return UINT64_C(0x7ff8000000000000);
    uint64 bits;
    memcpy(&bits, &d, 8);
    return mix64(bits);
}

static inline int128 interval_total(const Interval *iv)
{
    return (int128)iv->micros + (int128)iv->days * USECS_PER_DAY +
           (int128)iv->months * 30 * USECS_PER_DAY;
}

static inline uint64 hash_int128(int128 x)
{
    return mix64((uint64)x ^ mix64((uint64)(x >> 64)));
}

static inline int64 load_int(const Vector *v, int r)
{
    switch (v->type->id) {
    case TYPE_BOOL:
        return ((const uint8 *)v->data)[r];
    case TYPE_INT8:
        return ((const int8 *)v->data)[r];
    case TYPE_INT16:
        return ((const int16 *)v->data)[r];
    case TYPE_INT32:
    case TYPE_DATE:
        return ((const int32 *)v->data)[r];
    case TYPE_OID:
        return ((const uint32 *)v->data)[r];
    default:
        return ((const int64 *)v->data)[r];
    }
}

static inline double load_float(const Vector *v, int r)
{
    return v->type->id == TYPE_FLOAT32 ? (double)((const float *)v->data)[r]
                                       : ((const double *)v->data)[r];
}

/* Hash of one non-NULL value (slow path for nested types). */
static uint64 value_hash(const Vector *v, int r)
{
    switch (v->type->id) {
    case TYPE_FLOAT32:
    case TYPE_FLOAT64:
        return hash_double(load_float(v, r));
    case TYPE_DECIMAL:
        return hash_int128(((const int128 *)v->data)[r]);
    case TYPE_INTERVAL:
        return hash_int128(interval_total(&((const Interval *)v->data)[r]));
    case TYPE_UNKNOWN:
    case TYPE_STRING:
    case TYPE_BINARY:
    case TYPE_JSON: {
        const StrView *s = &((const StrView *)v->data)[r];
        return hash_bytes(s->ptr, s->len);
    }
    case TYPE_ARRAY:
    case TYPE_MAP: {
        const ListEntry *e = &((const ListEntry *)v->data)[r];
        uint64 h = mix64(e->length + 1);
        for (int c = 0; c < v->nchildren; c++)
            for (uint32 i = 0; i < e->length; i++) {
                const Vector *ch = &v->children[c];
                int cr = (int)(e->offset + i);
                h = combine(h, vector_is_valid(ch, cr) ? value_hash(ch, cr) : NULL_HASH);
            }
        return h;
    }
    case TYPE_STRUCT: {
        uint64 h = 17;
        for (int c = 0; c < v->nchildren; c++)
            h = combine(h, vector_is_valid(&v->children[c], r) ? value_hash(&v->children[c], r)
                                                               : NULL_HASH);
        return h;
    }
    default:
        return mix64((uint64)load_int(v, r));
    }
}

#define HASH_LOOP(EXPR)                                                                            \
    do {                                                                                           \
        for (int i = 0; i < n; i++) {                                                              \
            int r = sel ? sel[i] : i;                                                              \
            uint64 x = (nulls && !vector_is_valid(v, r)) ? NULL_HASH : (EXPR);                     \
            hashes[r] = first ? x : combine(hashes[r], x);                                         \
        }                                                                                          \
    } while (0)

static void hash_column(const Vector *v, const Batch *b, uint64 *hashes, bool first)
{
    int n = batch_live_count(b);
    const uint16 *sel = b->sel;
    bool nulls = v->validity != NULL;
    switch (v->type->id) {
    case TYPE_INT64:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: {
        const int64 *d = v->data;
        HASH_LOOP(mix64((uint64)d[r]));
        break;
    }
    case TYPE_INT32:
    case TYPE_DATE: {
        const int32 *d = v->data;
        HASH_LOOP(mix64((uint64)(int64)d[r]));
        break;
    }
    case TYPE_BOOL:
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_OID:
        HASH_LOOP(mix64((uint64)load_int(v, r)));
        break;
    case TYPE_FLOAT32:
    case TYPE_FLOAT64:
        HASH_LOOP(hash_double(load_float(v, r)));
        break;
    case TYPE_UNKNOWN:
    case TYPE_STRING:
    case TYPE_BINARY:
    case TYPE_JSON: {
        const StrView *d = v->data;
        HASH_LOOP(hash_bytes(d[r].ptr, d[r].len));
        break;
    }
    default:
        HASH_LOOP(value_hash(v, r));
        break;
    }
}

void hashtable_hash(int nkeys, Vector *const *keys, const Batch *b, uint64 *hashes)
{
    for (int k = 0; k < nkeys; k++)
        hash_column(keys[k], b, hashes, k == 0);
    if (nkeys == 0) {
        int n = batch_live_count(b);
        for (int i = 0; i < n; i++)
            hashes[batch_row(b, i)] = 0;
    }
}

/* ---- comparison ---- */

static inline int cmp_i64(int64 a, int64 b)
{
    return a < b ? -1 : a > b;
}

static inline int cmp_double(double a, double b)
{
    if (isnan(a))
        return isnan(b) ? 0 : 1;
    if (isnan(b))
        return -1;
    return a < b ? -1 : a > b;
}

static int cmp_bytes(const StrView *a, const StrView *b)
{
    uint32 n = LM_MIN(a->len, b->len);
    int c = n ? memcmp(a->ptr, b->ptr, n) : 0;
    if (c)
        return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

/* NULLs sort after values inside arrays and structs (PostgreSQL's record/array order). */
static int cmp_nullable(const Vector *a, int ra, const Vector *b, int rb)
{
    bool va = vector_is_valid(a, ra), vb = vector_is_valid(b, rb);
    if (!va || !vb)
        return va == vb ? 0 : (va ? -1 : 1);
    return value_compare(a, ra, b, rb);
}

int value_compare(const Vector *a, int ra, const Vector *b, int rb)
{
    switch (a->type->id) {
    case TYPE_FLOAT32:
    case TYPE_FLOAT64:
        return cmp_double(load_float(a, ra), load_float(b, rb));
    case TYPE_DECIMAL: {
        int128 x = ((const int128 *)a->data)[ra], y = ((const int128 *)b->data)[rb];
        return x < y ? -1 : x > y;
    }
    case TYPE_INTERVAL: {
        int128 x = interval_total(&((const Interval *)a->data)[ra]);
        int128 y = interval_total(&((const Interval *)b->data)[rb]);
        return x < y ? -1 : x > y;
    }
    case TYPE_UNKNOWN:
    case TYPE_STRING:
    case TYPE_BINARY:
    case TYPE_JSON:
        return cmp_bytes(&((const StrView *)a->data)[ra], &((const StrView *)b->data)[rb]);
    case TYPE_ARRAY:
    case TYPE_MAP: {
        const ListEntry *x = &((const ListEntry *)a->data)[ra];
        const ListEntry *y = &((const ListEntry *)b->data)[rb];
        uint32 n = LM_MIN(x->length, y->length);
        for (uint32 i = 0; i < n; i++)
            for (int c = 0; c < a->nchildren; c++) {
                int r = cmp_nullable(&a->children[c], (int)(x->offset + i), &b->children[c],
                                     (int)(y->offset + i));
                if (r)
                    return r;
            }
        return x->length < y->length ? -1 : x->length > y->length;
    }
    case TYPE_STRUCT:
        for (int c = 0; c < a->nchildren && c < b->nchildren; c++) {
            int r = cmp_nullable(&a->children[c], ra, &b->children[c], rb);
            if (r)
                return r;
        }
        return 0;
    default:
        return cmp_i64(load_int(a, ra), load_int(b, rb));
    }
}

/* Equality of probe row r with stored group g over all key columns. */
static inline bool keys_equal(const HashTable *ht, Vector *const *keys, int r, uint32 g)
{
    const Batch *kb = ht->keys->batches[g / LM_BATCH_SIZE];
    int kr = (int)(g & (LM_BATCH_SIZE - 1));
    for (int k = 0; k < ht->nkeys; k++) {
        const Vector *a = keys[k];
        const Vector *s = &kb->cols[k];
        bool va = vector_is_valid(a, r), vs = vector_is_valid(s, kr);
        if (!va || !vs) {
            if (va != vs)
                return false;
            continue;
        }
        switch (a->type->id) {
        case TYPE_INT64:
        case TYPE_TIMESTAMP:
        case TYPE_TIMESTAMPTZ:
        case TYPE_TIME:
            if (s->type->id == a->type->id) {
                if (((const int64 *)a->data)[r] != ((const int64 *)s->data)[kr])
                    return false;
                continue;
            }
            break;
        case TYPE_INT32:
            if (s->type->id == TYPE_INT32) {
                if (((const int32 *)a->data)[r] != ((const int32 *)s->data)[kr])
                    return false;
                continue;
            }
            break;
        case TYPE_STRING: {
            const StrView *x = &((const StrView *)a->data)[r];
            const StrView *y = &((const StrView *)s->data)[kr];
            if (x->len != y->len || (x->len && memcmp(x->ptr, y->ptr, x->len) != 0))
                return false;
            continue;
        }
        default:
            break;
        }
        if (value_compare(a, r, s, kr) != 0)
            return false;
    }
    return true;
}

/* ---- table ---- */

HashTable *hashtable_create(Arena *a, int nkeys, const LmType *const *types, bool nulls_equal)
{
    HashTable *ht = arena_new(a, HashTable);
    ht->arena = a;
    ht->nkeys = nkeys;
    ht->nulls_equal = nulls_equal;
    ht->keys = rowset_create(a, nkeys, types);
    ht->gcap = 1024;
    ht->group_hash = arena_alloc(a, sizeof(uint64) * ht->gcap);
    ht->mask = 2048 - 1;
    ht->slots = arena_alloc(a, sizeof(uint64) * (ht->mask + 1));
    memset(ht->slots, 0xff, sizeof(uint64) * (ht->mask + 1));
    return ht;
}

uint32 hashtable_count(const HashTable *ht)
{
    return ht->ngroups;
}

const RowSet *hashtable_keys(const HashTable *ht)
{
    return ht->keys;
}

static void grow_slots(HashTable *ht)
{
    /* Old slot arrays stay in the arena until it is destroyed: doubling bounds the waste
     * to the final size. */
    uint32 nslots = (ht->mask + 1) * 2;
    uint64 *slots = arena_alloc(ht->arena, sizeof(uint64) * nslots);
    memset(slots, 0xff, sizeof(uint64) * nslots);
    uint32 mask = nslots - 1;
    for (uint32 g = 0; g < ht->ngroups; g++) {
        uint64 h = ht->group_hash[g];
        uint32 s = (uint32)h & mask;
        while (slots[s] != SLOT_EMPTY)
            s = (s + 1) & mask;
        slots[s] = SLOT_TAG(h) | g;
    }
    ht->slots = slots;
    ht->mask = mask;
}

static uint32 add_group(HashTable *ht, Vector *const *keys, int r, uint64 h)
{
    if (ht->ngroups == ht->gcap) {
        uint32 ncap = ht->gcap * 2;
        ht->group_hash = arena_realloc(ht->arena, ht->group_hash, sizeof(uint64) * ht->gcap,
                                       sizeof(uint64) * ncap);
        ht->gcap = ncap;
    }
    uint32 g = ht->ngroups++;
    ht->group_hash[g] = h;
    int kr;
    Batch *kb = rowset_add_row(ht->keys, &kr);
    for (int k = 0; k < ht->nkeys; k++)
        vector_copy_value(&kb->cols[k], ht->arena, kr, keys[k], r);
    return g;
}

static inline bool row_has_null(int nkeys, Vector *const *keys, int r)
{
    for (int k = 0; k < nkeys; k++)
        if (!vector_is_valid(keys[k], r))
            return true;
    return false;
}

static void lookup(HashTable *ht, Vector *const *keys, const Batch *b, uint32 *ids, bool insert)
{
    uint64 hashes[LM_BATCH_SIZE];
    hashtable_hash(ht->nkeys, keys, b, hashes);
    bool any_nulls = false;
    for (int k = 0; k < ht->nkeys; k++)
        any_nulls |= keys[k]->validity != NULL;
    int n = batch_live_count(b);
    /* Large tables: touch every row's first slot before probing so that the cache misses
     * overlap instead of being taken one after another. */
    if (ht->mask >= 16384)
        for (int i = 0; i < n; i++)
            __builtin_prefetch(&ht->slots[(uint32)hashes[batch_row(b, i)] & ht->mask]);
    for (int i = 0; i < n; i++) {
        int r = batch_row(b, i);
        if (any_nulls && !ht->nulls_equal && row_has_null(ht->nkeys, keys, r)) {
            ids[r] = HT_NONE;
            continue;
        }
        uint64 h = hashes[r];
        uint64 tag = SLOT_TAG(h);
        uint32 s = (uint32)h & ht->mask;
        uint32 found = HT_NONE;
        for (;;) {
            uint64 e = ht->slots[s];
            if (e == SLOT_EMPTY)
                break;
            if (SLOT_TAG(e) == tag) {
                uint32 g = (uint32)e;
                if (keys_equal(ht, keys, r, g)) { /* the tag already filtered by hash */
                    found = g;
                    break;
                }
            }
            s = (s + 1) & ht->mask;
        }
        if (found == HT_NONE && insert) {
            found = add_group(ht, keys, r, h);
            ht->slots[s] = tag | found;
            if (ht->ngroups * 2 > ht->mask + 1)
                grow_slots(ht);
        }
        ids[r] = found;
    }
}

void hashtable_find_or_insert(HashTable *ht, Vector *const *keys, const Batch *b, uint32 *ids)
{
    lookup(ht, keys, b, ids, true);
}

void hashtable_probe(HashTable *ht, Vector *const *keys, const Batch *b, uint32 *ids)
{
    lookup(ht, keys, b, ids, false);
}
