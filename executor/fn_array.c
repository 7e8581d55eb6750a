/*
 * fn_array.c: array functions over ARRAY vectors (one-dimensional, lower
 * bound 1): array_length, cardinality, array_ndims, array_lower,
 * array_upper, array_to_string, string_to_array, array_append,
 * array_prepend, array_cat, array_position, and the array operators:
 * = <> < <= > >= (PostgreSQL's array_eq/array_cmp: element by element, a
 * NULL element equal to a NULL element and greater than any value, then the
 * shorter array first), || (array_cat, array_append, array_prepend) and the
 * containment operators @> <@ && (NULL elements never match).
 *
 * An ARRAY vector holds a ListEntry per row into its child vector of
 * elements (vector.h).  Functions that build arrays append elements to the
 * result's child (growing it with vector_reserve_children) and copy element
 * values by their physical layout; string elements keep pointing at the
 * input's bytes, which live as long as the result.  Arrays of nested types
 * (ARRAY<ARRAY<..>>, MAP, STRUCT elements) are rejected by the builders with
 * 0A000.
 */
#include "executor/fn_util.h"
#include "common/numeric.h"
#include "executor/operator.h"

static inline const ListEntry *lists(const Vector *v)
{
    return (const ListEntry *)v->data;
}

/* ---------- inspection ---------- */

static void fn_cardinality(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const ListEntry *le = lists(args[0]);
    FN_FOREACH(b, i, r)
    {
        FN_I32(out)[r] = (int32)le[r].length;
        vector_set_valid(out, r);
    }
}

enum { DIM_LENGTH, DIM_LOWER, DIM_UPPER };

/*
 * array_length/lower/upper(a, dim): NULL for empty arrays and dimensions other than 1.  The
 * catalog's int2vector and oidvector columns (pg_index.indkey, ...) are 0-based, as in
 * PostgreSQL, so psql's `generate_series(array_lower(indkey, 1), array_upper(indkey, 1))` works.
 */
static void dim_rows(const Batch *b, Vector **args, Vector *out, int what)
{
    const ListEntry *le = lists(args[0]);
    const int32 *dim = FN_I32(args[1]);
    Oid pg = args[0]->type->pg_oid;
    int32 base = (pg == INT2VECTOROID || pg == OIDVECTOROID) ? 0 : 1;
    FN_FOREACH(b, i, r)
    {
        if (dim[r] != 1 || le[r].length == 0) {
            vector_set_null(out, r);
            continue;
        }
        int32 len = (int32)le[r].length;
        FN_I32(out)[r] = what == DIM_LENGTH ? len : what == DIM_LOWER ? base : base + len - 1;
        vector_set_valid(out, r);
    }
}
static void fn_array_length(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    dim_rows(b, args, out, DIM_LENGTH);
}
static void fn_array_upper(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    dim_rows(b, args, out, DIM_UPPER);
}
static void fn_array_lower(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    dim_rows(b, args, out, DIM_LOWER);
}

static void fn_array_ndims(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const ListEntry *le = lists(args[0]);
    FN_FOREACH(b, i, r)
    {
        if (le[r].length == 0)
            vector_set_null(out, r);
        else {
            FN_I32(out)[r] = 1;
            vector_set_valid(out, r);
        }
    }
}

/* ---------- array_to_string / string_to_array ---------- */

static void append_elem_text(StrBuf *sb, const Vector *ev, int k)
{
    if (ev->type->id == TYPE_STRING || ev->type->id == TYPE_JSON) {
        const StrView *s = &FN_SV(ev)[k];
        strbuf_append(sb, s->ptr, s->len);
    } else
        value_format_text(ev, k, sb);
}

static void to_string_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool has_null)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    const ListEntry *le = lists(args[0]);
    const Vector *ev = &args[0]->children[0];
    const StrView *sep = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        if (!vector_is_valid(args[0], r) || !vector_is_valid(args[1], r)) {
            vector_set_null(out, r);
            continue;
        }
        bool use_null = has_null && vector_is_valid(args[2], r);
        strbuf_reset(&sb);
        bool first = true;
        for (uint32 k = 0; k < le[r].length; k++) {
            int e = (int)(le[r].offset + k);
            bool isnull = !vector_is_valid(ev, e);
            if (isnull && !use_null)
                continue;
            if (!first)
                strbuf_append(&sb, sep[r].ptr, sep[r].len);
            first = false;
            if (isnull)
                strbuf_append(&sb, FN_SV(args[2])[r].ptr, FN_SV(args[2])[r].len);
            else
                append_elem_text(&sb, ev, e);
        }
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}
static void fn_array_to_string2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    to_string_rows(fc, args, b, out, false);
}
static void fn_array_to_string3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    to_string_rows(fc, args, b, out, true);
}

/* Appends one string element to the ARRAY out (NULL when is_null). */
static inline void push_str(Vector *out, const char *p, size_t len, bool is_null)
{
    vector_reserve_children(out, out->arena, out->child_count + 1);
    Vector *ev = &out->children[0];
    int e = out->child_count++;
    if (is_null)
        vector_set_null(ev, e);
    else
        fn_set_str(ev, e, p, len);
}

static void split_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool has_null)
{
    const StrView *s = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        if (!vector_is_valid(args[0], r)) {
            vector_set_null(out, r);
            continue;
        }
        const char *p = s[r].ptr;
        size_t len = s[r].len;
        bool delim_null = !vector_is_valid(args[1], r);
        const StrView *d = &FN_SV(args[1])[r];
        bool nullstr = has_null && vector_is_valid(args[2], r);
        const StrView *ns = has_null ? &FN_SV(args[2])[r] : NULL;
        ListEntry *le = &((ListEntry *)out->data)[r];
        le->offset = (uint32)out->child_count;
#define PUSH(at, l)                                                                                \
    push_str(out, (at), (l), nullstr && ns->len == (l) && memcmp(ns->ptr, (at), (l)) == 0)
        if (len == 0) {
            /* empty input: empty array */
        } else if (delim_null) {
            for (size_t k = 0; k < len;) {
                int l = fn_utf8_len((unsigned char)p[k]);
                if (k + l > len)
                    l = (int)(len - k);
                PUSH(p + k, (size_t)l);
                k += l;
            }
        } else if (d->len == 0) {
            PUSH(p, len);
        } else {
            size_t start = 0;
            for (;;) {
                const char *f = memmem(p + start, len - start, d->ptr, d->len);
                if (!f) {
                    PUSH(p + start, len - start);
                    break;
                }
                PUSH(p + start, (size_t)(f - (p + start)));
                start = (size_t)(f - p) + d->len;
            }
        }
#undef PUSH
        le->length = (uint32)out->child_count - le->offset;
        vector_set_valid(out, r);
    }
}
static void fn_string_to_array2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    split_rows(fc, args, b, out, false);
}
static void fn_string_to_array3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    split_rows(fc, args, b, out, true);
}

/* ---------- builders ---------- */

static void check_flat(FuncCall *fc, const LmType *elem)
{
    if (type_is_nested(elem))
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("array functions on arrays of %s are not supported",
                       type_name(fc->scratch ? fc->scratch : fc->ctx->arena, elem)),
                errposition(fn_errpos(fc)));
}

/* Copies element src[k] (same element type) to the end of out's elements. */
static inline void push_elem(Vector *out, const Vector *src, int k)
{
    vector_reserve_children(out, out->arena, out->child_count + 1);
    Vector *ev = &out->children[0];
    int e = out->child_count++;
    if (!vector_is_valid(src, k)) {
        vector_set_null(ev, e);
        return;
    }
    size_t sz = type_physical_size(ev->type);
    memcpy((char *)ev->data + (size_t)e * sz, (const char *)src->data + (size_t)k * sz, sz);
    vector_set_valid(ev, e);
}

/* array_append(arr, elem) / array_prepend(elem, arr); a NULL array acts as empty. */
static void append_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool prepend)
{
    Vector *arr = args[prepend ? 1 : 0], *elem = args[prepend ? 0 : 1];
    check_flat(fc, out->type->elem);
    const ListEntry *le = lists(arr);
    const Vector *ev = &arr->children[0];
    FN_FOREACH(b, i, r)
    {
        ListEntry *o = &((ListEntry *)out->data)[r];
        o->offset = (uint32)out->child_count;
        if (prepend)
            push_elem(out, elem, r);
        if (vector_is_valid(arr, r))
            for (uint32 k = 0; k < le[r].length; k++)
                push_elem(out, ev, (int)(le[r].offset + k));
        if (!prepend)
            push_elem(out, elem, r);
        o->length = (uint32)out->child_count - o->offset;
        vector_set_valid(out, r);
    }
}
static void fn_array_append(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    append_rows(fc, args, b, out, false);
}
static void fn_array_prepend(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    append_rows(fc, args, b, out, true);
}

static void fn_array_cat(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    check_flat(fc, out->type->elem);
    FN_FOREACH(b, i, r)
    {
        bool v0 = vector_is_valid(args[0], r), v1 = vector_is_valid(args[1], r);
        if (!v0 && !v1) {
            vector_set_null(out, r);
            continue;
        }
        ListEntry *o = &((ListEntry *)out->data)[r];
        o->offset = (uint32)out->child_count;
        for (int a = 0; a < 2; a++) {
            if (!(a == 0 ? v0 : v1))
                continue;
            const ListEntry *le = &lists(args[a])[r];
            for (uint32 k = 0; k < le->length; k++)
                push_elem(out, &args[a]->children[0], (int)(le->offset + k));
        }
        o->length = (uint32)out->child_count - o->offset;
        vector_set_valid(out, r);
    }
}

/* IS NOT DISTINCT FROM on two elements of the same type. */
static bool elem_equal(const Vector *a, int i, const Vector *b, int j)
{
    bool na = !vector_is_valid(a, i), nb = !vector_is_valid(b, j);
    if (na || nb)
        return na && nb;
    switch (a->type->id) {
    case TYPE_STRING:
    case TYPE_BINARY:
    case TYPE_JSON: {
        const StrView *x = &FN_SV(a)[i], *y = &FN_SV(b)[j];
        return x->len == y->len && memcmp(x->ptr, y->ptr, x->len) == 0;
    }
    case TYPE_FLOAT32:
        return FN_F32(a)[i] == FN_F32(b)[j];
    case TYPE_FLOAT64:
        return FN_F64(a)[i] == FN_F64(b)[j];
    case TYPE_DECIMAL: {
        int sa = a->type->scale, sb = b->type->scale;
        int128 x = FN_I128(a)[i], y = FN_I128(b)[j];
        if (sa < sb)
            x *= decimal_pow10[sb - sa];
        else if (sb < sa)
            y *= decimal_pow10[sa - sb];
        return x == y;
    }
    default: {
        size_t sz = type_physical_size(a->type);
        return memcmp((const char *)a->data + (size_t)i * sz,
                      (const char *)b->data + (size_t)j * sz, sz) == 0;
    }
    }
}

static void fn_array_position(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    check_flat(fc, args[0]->type->elem);
    const ListEntry *le = lists(args[0]);
    const Vector *ev = &args[0]->children[0];
    FN_FOREACH(b, i, r)
    {
        if (!vector_is_valid(args[0], r)) {
            vector_set_null(out, r);
            continue;
        }
        int32 pos = 0;
        for (uint32 k = 0; k < le[r].length; k++)
            if (elem_equal(ev, (int)(le[r].offset + k), args[1], r)) {
                pos = (int32)k + 1;
                break;
            }
        if (pos == 0)
            vector_set_null(out, r);
        else {
            FN_I32(out)[r] = pos;
            vector_set_valid(out, r);
        }
    }
}

/* ---------- comparison and containment operators ---------- */

/* Order of two non-NULL elements of one element type (decimals may differ in scale). */
static int elem_compare(const Vector *a, int i, const Vector *b, int j)
{
    if (a->type->id == TYPE_DECIMAL && a->type->scale != b->type->scale) {
        int sa = a->type->scale, sb = b->type->scale;
        int128 x = FN_I128(a)[i], y = FN_I128(b)[j];
        if (sa < sb)
            x *= decimal_pow10[sb - sa];
        else
            y *= decimal_pow10[sa - sb];
        return x < y ? -1 : x > y;
    }
    return value_compare(a, i, b, j);
}

/* array_cmp: element-wise; NULL elements equal each other and sort after values. */
static int array_cmp_rows(const Vector *a, int ra, const Vector *b, int rb)
{
    const ListEntry *x = &lists(a)[ra], *y = &lists(b)[rb];
    const Vector *ea = &a->children[0], *eb = &b->children[0];
    uint32 n = LM_MIN(x->length, y->length);
    for (uint32 k = 0; k < n; k++) {
        int i = (int)(x->offset + k), j = (int)(y->offset + k);
        bool va = vector_is_valid(ea, i), vb = vector_is_valid(eb, j);
        int c = (!va || !vb) ? (va == vb ? 0 : va ? -1 : 1) : elem_compare(ea, i, eb, j);
        if (c)
            return c;
    }
    return x->length < y->length ? -1 : x->length > y->length;
}

#define ARRAY_CMP_KERNEL(name, test)                                                               \
    static void name(FuncCall *fc, Vector **args, const Batch *b, Vector *out)                   \
    {                                                                                              \
        check_flat(fc, args[0]->type->elem);                                                       \
        FN_FOREACH(b, i, r)                                                                        \
        {                                                                                          \
            int c = array_cmp_rows(args[0], r, args[1], r);                                        \
            FN_U8(out)[r] = (test);                                                                \
            vector_set_valid(out, r);                                                              \
        }                                                                                          \
    }
ARRAY_CMP_KERNEL(fn_array_eq, c == 0)
ARRAY_CMP_KERNEL(fn_array_ne, c != 0)
ARRAY_CMP_KERNEL(fn_array_lt, c < 0)
ARRAY_CMP_KERNEL(fn_array_le, c <= 0)
ARRAY_CMP_KERNEL(fn_array_gt, c > 0)
ARRAY_CMP_KERNEL(fn_array_ge, c >= 0)

/* Does array row ra of a hold every of row rb of b?  PostgreSQL's
 * array_contain_compare: a NULL element never matches.  all: every element of b must be found
 * in a (@>); otherwise any (&&).  Quadratic in the lengths, as PostgreSQL's. */
static bool array_contains_rows(const Vector *a, int ra, const Vector *b, int rb, bool all)
{
    const ListEntry *x = &lists(a)[ra], *y = &lists(b)[rb];
    const Vector *ea = &a->children[0], *eb = &b->children[0];
    for (uint32 k = 0; k < y->length; k++) {
        int j = (int)(y->offset + k);
        bool found = false;
        if (vector_is_valid(eb, j))
            for (uint32 m = 0; m < x->length && !found; m++) {
                int i = (int)(x->offset + m);
                found = vector_is_valid(ea, i) && elem_compare(ea, i, eb, j) == 0;
            }
        if (all && !found)
            return false;
        if (!all && found)
            return true;
    }
    return all;
}

static void contain_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, int outer,
                         bool all)
{
    check_flat(fc, args[0]->type->elem);
    FN_FOREACH(b, i, r)
    {
        FN_U8(out)[r] = array_contains_rows(args[outer], r, args[1 - outer], r, all);
        vector_set_valid(out, r);
    }
}
static void fn_array_contains(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    contain_rows(fc, args, b, out, 0, true);
}
static void fn_array_contained(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    contain_rows(fc, args, b, out, 1, true);
}
static void fn_array_overlap(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    contain_rows(fc, args, b, out, 0, false);
}

/* ---------- the table ---------- */

static const LmType *ret_arg0(Arena *a, int nargs, const LmType **t)
{
    return t[0];
}
static const LmType *ret_arg1(Arena *a, int nargs, const LmType **t)
{
    return t[1];
}
static const LmType *ret_text_array(Arena *a, int nargs, const LmType **t)
{
    return type_array(a, type_string());
}

/* clang-format off */
#define AA FT_ANYARRAY
#define AE FT_ANYELEMENT
#define S TYPE_STRING
#define I4 TYPE_INT32
#define STRICT FN_STRICT
#define OP (FN_STRICT | FN_OPERATOR)
#define B TYPE_BOOL

const FuncDesc lm_funcs_array[] = {
    {"cardinality", 3179, 1, {AA}, I4, NULL, fn_cardinality, STRICT,
     "total number of elements in an array"},
    {"array_length", 2176, 2, {AA, I4}, I4, NULL, fn_array_length, STRICT,
     "array length"},
    {"array_upper", 2092, 2, {AA, I4}, I4, NULL, fn_array_upper, STRICT,
     "array upper dimension"},
    {"array_lower", 2091, 2, {AA, I4}, I4, NULL, fn_array_lower, STRICT,
     "array lower dimension"},
    {"array_ndims", 748, 1, {AA}, I4, NULL, fn_array_ndims, STRICT,
     "number of array dimensions"},
    {"array_to_string", 395, 2, {AA, S}, S, NULL, fn_array_to_string2, FN_STABLE | STRICT,
     "concatenate array elements, using delimiter, into text"},
    {"array_to_string", 384, 3, {AA, S, S}, S, NULL, fn_array_to_string3, FN_STABLE,
     "concatenate array elements, using delimiter and null string, into text"},
    {"string_to_array", 394, 2, {S, S}, TYPE_ARRAY, ret_text_array, fn_string_to_array2, 0,
     "split delimited text"},
    {"string_to_array", 376, 3, {S, S, S}, TYPE_ARRAY, ret_text_array, fn_string_to_array3, 0,
     "split delimited text, with null string"},
    {"array_append", 378, 2, {AA, AE}, AA, ret_arg0, fn_array_append, 0,
     "append element onto end of array"},
    {"array_prepend", 379, 2, {AE, AA}, AA, ret_arg1, fn_array_prepend, 0,
     "prepend element onto front of array"},
    {"array_cat", 383, 2, {AA, AA}, AA, ret_arg0, fn_array_cat, 0, "concatenate two arrays"},
    {"array_position", 3277, 2, {AA, AE}, I4, NULL, fn_array_position, 0,
     "returns an offset of value in array"},
    /* operators (pg_operator; the oids are their functions', array_eq and friends) */
    {"=", 744, 2, {AA, AA}, B, NULL, fn_array_eq, OP, "equal"},
    {"<>", 390, 2, {AA, AA}, B, NULL, fn_array_ne, OP, "not equal"},
    {"<", 391, 2, {AA, AA}, B, NULL, fn_array_lt, OP, "less than"},
    {">", 392, 2, {AA, AA}, B, NULL, fn_array_gt, OP, "greater than"},
    {"<=", 393, 2, {AA, AA}, B, NULL, fn_array_le, OP, "less than or equal"},
    {">=", 396, 2, {AA, AA}, B, NULL, fn_array_ge, OP, "greater than or equal"},
    {"@>", 2748, 2, {AA, AA}, B, NULL, fn_array_contains, OP, "contains"},
    {"<@", 2749, 2, {AA, AA}, B, NULL, fn_array_contained, OP, "is contained by"},
    {"&&", 2747, 2, {AA, AA}, B, NULL, fn_array_overlap, OP, "overlaps"},
    /* || is not strict: a NULL array acts as empty, a NULL element is appended */
    {"||", 383, 2, {AA, AA}, AA, ret_arg0, fn_array_cat, FN_OPERATOR, "concatenate"},
    {"||", 378, 2, {AA, AE}, AA, ret_arg0, fn_array_append, FN_OPERATOR, "append element onto end of array"},
    {"||", 379, 2, {AE, AA}, AA, ret_arg1, fn_array_prepend, FN_OPERATOR, "prepend element onto front of array"},
};
/* clang-format on */
const int lm_nfuncs_array = sizeof(lm_funcs_array) / sizeof(lm_funcs_array[0]);
