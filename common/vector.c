/*
 * vector.c: column vectors and batches (layouts in types.h and vector.h).
 *
 * All memory comes from the arena given to vector_init; a vector remembers it
 * so that the validity bitmap can be allocated on the first NULL and the
 * children of ARRAY/MAP vectors can grow.  Nothing is freed individually.
 *
 * Children: ARRAY has one (elements), MAP two (keys, values) of the same
 * length, both indexed by ListEntry ranges; their capacity grows on demand
 * and child_count says how many elements are in use.  STRUCT children are
 * row-aligned with the struct itself (same capacity, same row numbers).
 */
#include "common/vector.h"
#include "common/error.h"

static size_t bitmap_words(int capacity)
{
    return ((size_t)capacity + 63) / 64;
}

void vector_init(Vector *v, Arena *a, const LmType *type, int capacity)
{
    memset(v, 0, sizeof(*v));
    v->type = type;
    v->capacity = capacity;
    v->arena = a;
    size_t sz = type_physical_size(type);
    v->data = sz ? arena_alloc0(a, sz * (size_t)(capacity > 0 ? capacity : 1)) : NULL;
    switch (type->id) {
    case TYPE_ARRAY:
        v->nchildren = 1;
        v->children = arena_new_array(a, Vector, 1);
        vector_init(&v->children[0], a, type->elem, capacity > 0 ? capacity : 16);
        break;
    case TYPE_MAP:
        v->nchildren = 2;
        v->children = arena_new_array(a, Vector, 2);
        vector_init(&v->children[0], a, type->elem, capacity > 0 ? capacity : 16);
        vector_init(&v->children[1], a, type->value, capacity > 0 ? capacity : 16);
        break;
    case TYPE_STRUCT:
        v->nchildren = type->nfields;
        v->children = arena_new_array(a, Vector, type->nfields > 0 ? type->nfields : 1);
        for (int i = 0; i < type->nfields; i++)
            vector_init(&v->children[i], a, type->fields[i].type, capacity);
        break;
    default:
        break;
    }
}

Batch *batch_create(Arena *a, int ncols, const LmType *const *types, int capacity)
{
    Batch *b = arena_new(a, Batch);
    b->ncols = ncols;
    b->cols = arena_new_array(a, Vector, ncols > 0 ? ncols : 1);
    for (int i = 0; i < ncols; i++)
        vector_init(&b->cols[i], a, types[i], capacity);
    b->arena = a;
    return b;
}

void vector_set_null(Vector *v, int row)
{
    LM_ASSERT(row >= 0 && row < v->capacity);
    if (v->validity == NULL) {
        LM_ASSERT(v->arena != NULL);
        size_t words = bitmap_words(v->capacity);
        v->validity = arena_alloc(v->arena, words * sizeof(uint64));
        memset(v->validity, 0xff, words * sizeof(uint64));
    }
    v->validity[row >> 6] &= ~(UINT64_C(1) << (row & 63));
}

void vector_set_valid(Vector *v, int row)
{
    if (v->validity != NULL)
        v->validity[row >> 6] |= UINT64_C(1) << (row & 63);
}

/* Grows a vector (and, for STRUCT, its row-aligned children) to new_cap rows. */
static void vector_grow(Vector *v, Arena *a, int new_cap)
{
    if (new_cap <= v->capacity)
        return;
    size_t sz = type_physical_size(v->type);
    if (sz) {
        void *d = arena_alloc0(a, sz * (size_t)new_cap);
        if (v->data)
            memcpy(d, v->data, sz * (size_t)v->capacity);
        v->data = d;
    }
    if (v->validity) {
        size_t ow = bitmap_words(v->capacity), nw = bitmap_words(new_cap);
        uint64 *bm = arena_alloc(a, nw * sizeof(uint64));
        memcpy(bm, v->validity, ow * sizeof(uint64));
        memset(bm + ow, 0xff, (nw - ow) * sizeof(uint64));
        v->validity = bm;
    }
    if (v->type->id == TYPE_STRUCT)
        for (int i = 0; i < v->nchildren; i++)
            vector_grow(&v->children[i], a, new_cap);
    v->capacity = new_cap;
    if (v->arena == NULL)
        v->arena = a;
}

void vector_reserve_children(Vector *v, Arena *a, int n)
{
    LM_ASSERT(v->type->id == TYPE_ARRAY || v->type->id == TYPE_MAP);
    if (n <= v->children[0].capacity)
        return;
    int cap = v->children[0].capacity > 0 ? v->children[0].capacity : 16;
    while (cap < n)
        cap *= 2;
    for (int i = 0; i < v->nchildren; i++)
        vector_grow(&v->children[i], a, cap);
}

void vector_set_str(Vector *v, Arena *a, int row, const char *s, size_t len)
{
    StrView *sv = &((StrView *)v->data)[row];
    sv->len = (uint32)len;
    sv->reserved = 0;
    sv->ptr = len ? arena_memdup(a, s, len) : "";
    vector_set_valid(v, row);
}

void vector_set_cstr(Vector *v, Arena *a, int row, const char *s)
{
    if (s == NULL)
        vector_set_null(v, row);
    else
        vector_set_str(v, a, row, s, strlen(s));
}

void vector_set_int64(Vector *v, int row, int64 x)
{
    switch (v->type->id) {
    case TYPE_INT8: ((int8 *)v->data)[row] = (int8)x; break;
    case TYPE_INT16: ((int16 *)v->data)[row] = (int16)x; break;
    case TYPE_INT32:
    case TYPE_DATE: ((int32 *)v->data)[row] = (int32)x; break;
    case TYPE_OID: ((uint32 *)v->data)[row] = (uint32)x; break;
    case TYPE_INT64:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: ((int64 *)v->data)[row] = x; break;
    case TYPE_BOOL: ((uint8 *)v->data)[row] = x != 0; break;
    case TYPE_FLOAT32: ((float *)v->data)[row] = (float)x; break;
    case TYPE_FLOAT64: ((double *)v->data)[row] = (double)x; break;
    case TYPE_DECIMAL: {
        int128 m = 1;
        for (int i = 0; i < v->type->scale; i++)
            m *= 10;
        ((int128 *)v->data)[row] = (int128)x * m;
        break;
    }
    default: elog(ERROR, "vector_set_int64 on unsupported type %d", (int)v->type->id);
    }
    vector_set_valid(v, row);
}

void vector_set_int32(Vector *v, int row, int32 x)
{
    vector_set_int64(v, row, x);
}

void vector_set_bool(Vector *v, int row, bool x)
{
    LM_ASSERT(v->type->id == TYPE_BOOL);
    ((uint8 *)v->data)[row] = x ? 1 : 0;
    vector_set_valid(v, row);
}

void vector_set_float64(Vector *v, int row, double x)
{
    if (v->type->id == TYPE_FLOAT32)
        ((float *)v->data)[row] = (float)x;
    else {
        LM_ASSERT(v->type->id == TYPE_FLOAT64);
        ((double *)v->data)[row] = x;
    }
    vector_set_valid(v, row);
}
