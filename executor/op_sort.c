/*
 * op_sort.c: PLAN_SORT, and the stable multi-key sort of RowSet rows that
 * the window operator and ordered aggregates use too (rowset_sort).
 *
 * The operator buffers its whole input into a RowSet (input columns, then
 * each sort key that is not a plain column, evaluated once per batch), sorts
 * an array of row indexes, and gathers LM_BATCH_SIZE rows per output batch.
 * Strings are gathered shallowly: the RowSet lives until the operator closes.
 *
 * The sort is a bottom-up merge sort (insertion-sorted runs of 16 first):
 * stable, O(n log n), comparisons inline apart from value_compare's type
 * switch.  A single integer-like key without NULLs (the common ORDER BY id)
 * takes a faster path that compares extracted int64 keys.  Ordering follows
 * PostgreSQL: NULLs last for ASC and first for DESC unless NULLS FIRST/LAST
 * says otherwise; text compares bytewise (C collation).
 */
#include "executor/operator.h"

int rowset_compare_rows(const RowSet *rs, int nkeys, const SortSpec *keys, uint32 x, uint32 y)
{
    const Batch *bx = rs->batches[x / LM_BATCH_SIZE], *by = rs->batches[y / LM_BATCH_SIZE];
    int rx = (int)(x & (LM_BATCH_SIZE - 1)), ry = (int)(y & (LM_BATCH_SIZE - 1));
    for (int k = 0; k < nkeys; k++) {
        const Vector *vx = &bx->cols[keys[k].col], *vy = &by->cols[keys[k].col];
        bool nx = !vector_is_valid(vx, rx), ny = !vector_is_valid(vy, ry);
        int c;
        if (nx || ny) {
            if (nx && ny)
                continue;
            /* a NULL sorts first iff nulls_first, independently of the direction */
            c = nx ? (keys[k].nulls_first ? -1 : 1) : (keys[k].nulls_first ? 1 : -1);
            return c;
        }
        c = value_compare(vx, rx, vy, ry);
        if (c)
            return keys[k].descending ? -c : c;
    }
    return 0;
}

/* ---- generic stable merge sort over row indexes ---- */

#define RUN 16

static void merge_sort(const RowSet *rs, int nkeys, const SortSpec *keys, uint32 *idx, uint32 n,
                       uint32 *tmp)
{
    for (uint32 lo = 0; lo < n; lo += RUN) {
        uint32 hi = LM_MIN(lo + RUN, n);
        for (uint32 i = lo + 1; i < hi; i++) {
            uint32 v = idx[i];
            uint32 j = i;
            while (j > lo && rowset_compare_rows(rs, nkeys, keys, idx[j - 1], v) > 0) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = v;
        }
    }
    uint32 *src = idx, *dst = tmp;
    for (uint32 width = RUN; width < n; width *= 2) {
        for (uint32 lo = 0; lo < n; lo += 2 * width) {
            uint32 mid = LM_MIN(lo + width, n), hi = LM_MIN(lo + 2 * width, n);
            uint32 i = lo, j = mid, k = lo;
            if (mid >= hi || rowset_compare_rows(rs, nkeys, keys, src[mid - 1], src[mid]) <= 0) {
                memcpy(dst + lo, src + lo, sizeof(uint32) * (hi - lo)); /* already ordered */
                continue;
            }
            while (i < mid && j < hi)
                dst[k++] =
                    rowset_compare_rows(rs, nkeys, keys, src[j], src[i]) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        uint32 *t = src;
        src = dst;
        dst = t;
    }
    if (src != idx)
        memcpy(idx, src, sizeof(uint32) * n);
}

/* ---- fast path: one integer-like key, no NULLs ---- */

typedef struct KeyIdx {
    int64 key;
    uint32 idx;
} KeyIdx;

static void merge_sort_int(KeyIdx *a, uint32 n, KeyIdx *tmp)
{
    for (uint32 lo = 0; lo < n; lo += RUN) {
        uint32 hi = LM_MIN(lo + RUN, n);
        for (uint32 i = lo + 1; i < hi; i++) {
            KeyIdx v = a[i];
            uint32 j = i;
            while (j > lo && a[j - 1].key > v.key) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
    }
    KeyIdx *src = a, *dst = tmp;
    for (uint32 width = RUN; width < n; width *= 2) {
        for (uint32 lo = 0; lo < n; lo += 2 * width) {
            uint32 mid = LM_MIN(lo + width, n), hi = LM_MIN(lo + 2 * width, n);
            uint32 i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = src[j].key < src[i].key ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        KeyIdx *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, sizeof(KeyIdx) * n);
}

static bool int_key_type(TypeId id)
{
    switch (id) {
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64:
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
    case TYPE_OID:
    case TYPE_BOOL:
        return true;
    default:
        return false;
    }
}

static inline int64 int_at(const Vector *v, int r)
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

static bool sort_int_fast(const RowSet *rs, const SortSpec *key, uint32 *idx, uint32 n,
                          Arena *scratch)
{
    if (!int_key_type(rs->types[key->col]->id))
        return false;
    for (int b = 0; b < rs->nbatches; b++)
        if (rs->batches[b]->cols[key->col].validity != NULL) {
            const Vector *v = &rs->batches[b]->cols[key->col];
            for (int r = 0; r < rs->batches[b]->count; r++)
                if (!vector_is_valid(v, r))
                    return false;
        }
    KeyIdx *a = arena_alloc(scratch, sizeof(KeyIdx) * (size_t)n);
    KeyIdx *tmp = arena_alloc(scratch, sizeof(KeyIdx) * (size_t)n);
    for (uint32 i = 0; i < n; i++) {
        int r;
        const Batch *b = rowset_batch_of(rs, idx[i], &r);
        int64 k = int_at(&b->cols[key->col], r);
        /* DESC: negate without overflow (~k reverses the order of every int64) */
        a[i].key = key->descending ? ~k : k;
        a[i].idx = idx[i];
    }
    merge_sort_int(a, n, tmp);
    for (uint32 i = 0; i < n; i++)
        idx[i] = a[i].idx;
    return true;
}

void rowset_sort(const RowSet *rs, int nkeys, const SortSpec *keys, uint32 *idx, uint32 n,
                 Arena *scratch)
{
    if (n < 2 || nkeys == 0)
        return;
    if (nkeys == 1 && sort_int_fast(rs, &keys[0], idx, n, scratch))
        return;
    uint32 *tmp = arena_alloc(scratch, sizeof(uint32) * (size_t)n);
    merge_sort(rs, nkeys, keys, idx, n, tmp);
}

/* ---- the operator ---- */

typedef struct SortState {
    int nin;              /* input columns */
    ExprState **keyexprs; /* NULL where the key is a plain input column */
    SortSpec *spec;
    RowSet *rows;
    uint32 *idx;
    uint32 pos;
    const LmType **out_types;
} SortState;

static void sort_open(Operator *op)
{
    SortState *st = op->state;
    const PlanNode *p = op->plan;
    Arena *a = op_state_arena(op);
    int nextra = 0;
    for (int k = 0; k < p->nsort; k++)
        if (st->keyexprs[k])
            nextra++;
    const LmType **types = arena_new_array(a, const LmType *, st->nin + nextra + 1);
    const PlanNode *child = p->left;
    for (int i = 0; i < st->nin; i++)
        types[i] = child->cols[i].type;
    for (int k = 0, e = 0; k < p->nsort; k++)
        if (st->keyexprs[k])
            types[st->nin + e++] = p->sort[k].expr->type;
    st->rows = rowset_create(a, st->nin + nextra, types);
    Batch wide = {0};
    wide.cols = arena_new_array(a, Vector, st->nin + nextra + 1);
    wide.ncols = st->nin + nextra;
    for (;;) {
        ExecEvent ev = exec_next(op->children[0]);
        if (ev.kind == EXEC_END)
            break;
        if (ev.kind != EXEC_BATCH)
            continue;
        Batch *in = ev.batch;
        if (batch_live_count(in) == 0)
            continue;
        memcpy(wide.cols, in->cols, sizeof(Vector) * (size_t)st->nin);
        for (int k = 0, e = 0; k < p->nsort; k++)
            if (st->keyexprs[k])
                wide.cols[st->nin + e++] = *expr_eval(st->keyexprs[k], in);
        wide.count = in->count;
        wide.sel = in->sel;
        wide.nsel = in->nsel;
        rowset_append(st->rows, &wide);
    }
    uint32 n = (uint32)st->rows->nrows;
    st->idx = arena_alloc(a, sizeof(uint32) * (n ? n : 1));
    for (uint32 i = 0; i < n; i++)
        st->idx[i] = i;
    Arena *scratch = arena_create("sort scratch", a);
    rowset_sort(st->rows, p->nsort, st->spec, st->idx, n, scratch);
    arena_destroy(scratch);
}

static ExecEvent sort_next(Operator *op)
{
    SortState *st = op->state;
    arena_reset(op->batch_arena);
    uint32 n = (uint32)st->rows->nrows;
    if (st->pos >= n)
        return exec_event_end();
    int k = (int)LM_MIN(n - st->pos, (uint32)LM_BATCH_SIZE);
    Batch *b = batch_create(op->batch_arena, st->nin, st->out_types, LM_BATCH_SIZE);
    for (int c = 0; c < st->nin; c++)
        rowset_gather(st->rows, c, st->idx + st->pos, k, &b->cols[c], NULL, 0);
    b->count = k;
    st->pos += k;
    return exec_event_batch(b);
}

static const OperatorOps sort_ops = {"Sort", sort_open, sort_next, NULL};

void op_sort_init(Operator *op)
{
    Arena *a = op_state_arena(op);
    const PlanNode *p = op->plan;
    SortState *st = arena_new(a, SortState);
    st->nin = p->left->ncols;
    st->out_types = plan_col_types(a, p->left);
    st->keyexprs = arena_new_array(a, ExprState *, p->nsort + 1);
    st->spec = arena_new_array(a, SortSpec, p->nsort + 1);
    int e = 0;
    for (int k = 0; k < p->nsort; k++) {
        const Expr *x = p->sort[k].expr;
        if (x->kind == EXPR_COLUMN) {
            st->spec[k].col = x->index;
        } else {
            st->keyexprs[k] = op_expr_init(op, x);
            st->spec[k].col = st->nin + e++;
        }
        st->spec[k].descending = p->sort[k].descending;
        st->spec[k].nulls_first = p->sort[k].nulls_first;
    }
    op->state = st;
    op->ops = &sort_ops;
}
