/*
 * exec.c: the operator runtime — builds an operator tree from a plan, runs
 * it, and the materialised row sets (RowSet) operators buffer rows in.
 *
 * exec_build() walks the PlanNode tree and picks one operator per node
 * (physical choices live here: a join with equi-keys becomes a hash join,
 * anything else a nested-loop join).  Every operator gets its own arena
 * (a child of the statement arena) holding the Operator itself, its state
 * and a child "batch" arena for per-batch output; exec_close() destroys it,
 * so nothing an operator allocated outlives it.  exec_run() closes the tree
 * also when an error unwinds through it (table scans hold storage iterators).
 *
 * RowSet: a list of batches of LM_BATCH_SIZE rows each, all full except the
 * last, so a global row index i lives in batch i / LM_BATCH_SIZE at row
 * i % LM_BATCH_SIZE (rowset_batch_of).  Appends deep-copy variable-width and
 * nested values into the row set's arena; fixed-width columns are copied with
 * one loop per column.
 */
#include "executor/operator.h"
#include "common/errcodes.h"

typedef struct OperatorFull {
    Operator op;
    Arena *arena; /* owns this struct, the state and batch_arena */
    bool opened;
    bool closed;
} OperatorFull;

Arena *op_state_arena(Operator *op)
{
    return ((OperatorFull *)op)->arena;
}

ExprState *op_expr_init(Operator *op, const Expr *e)
{
    ExecContext *ctx = op->ctx;
    Arena *saved = ctx->arena;
    ExprState *es;
    ctx->arena = op_state_arena(op);
    LM_TRY();
    {
        es = expr_init(ctx, e);
    }
    LM_CATCH();
    {
        ctx->arena = saved;
        error_rethrow();
    }
    LM_END_TRY();
    ctx->arena = saved;
    return es;
}

Vector *op_eval_const(Operator *op, const Expr *e, Arena *a)
{
    ExecContext *ctx = op->ctx;
    Arena *saved = ctx->arena;
    Vector *volatile v = NULL;
    ctx->arena = a;
    LM_TRY();
    {
        v = expr_eval_const(ctx, e);
    }
    LM_CATCH();
    {
        ctx->arena = saved;
        error_rethrow();
    }
    LM_END_TRY();
    ctx->arena = saved;
    return v;
}

void exec_check_cancel(ExecContext *ctx)
{
    if (ctx->cancel_requested && LM_UNLIKELY(atomic_load(ctx->cancel_requested)))
        ereport(ERROR, errcode(ERRCODE_QUERY_CANCELED),
                errmsg("canceling statement due to user request"));
}

const LmType **plan_col_types(Arena *a, const PlanNode *p)
{
    const LmType **t = arena_new_array(a, const LmType *, p->ncols > 0 ? p->ncols : 1);
    for (int i = 0; i < p->ncols; i++)
        t[i] = p->cols[i].type;
    return t;
}

Operator *exec_operator_create(ExecContext *ctx, const PlanNode *plan, Operator **children,
                               int nchildren)
{
    Arena *arena = arena_create("operator", ctx->arena);
    OperatorFull *full = arena_new(arena, OperatorFull);
    Operator *op = &full->op;
    full->arena = arena;
    op->plan = plan;
    op->ctx = ctx;
    op->batch_arena = arena_create("operator batch", arena);
    op->children = arena_new_array(arena, Operator *, nchildren > 2 ? nchildren : 2);
    op->nchildren = nchildren;
    for (int i = 0; i < nchildren; i++)
        op->children[i] = children[i];
    return op;
}

Arena *exec_operator_arena(Operator *op)
{
    return ((OperatorFull *)op)->arena;
}

static void init_node(Operator *op);

Operator *exec_build(ExecContext *ctx, const PlanNode *plan)
{
    Operator *children[2];
    int nchildren = 0;
    /* Children are built in their own arenas; if building one fails the statement arena
     * still owns everything. */
    if (plan->left)
        children[nchildren++] = exec_build(ctx, plan->left);
    if (plan->right)
        children[nchildren++] = exec_build(ctx, plan->right);
    Operator *op = exec_operator_create(ctx, plan, children, nchildren);
    init_node(op);
    return op;
}

Operator *exec_build_node(ExecContext *ctx, const PlanNode *plan, Operator **children,
                          int nchildren)
{
    Operator *op = exec_operator_create(ctx, plan, children, nchildren);
    init_node(op);
    return op;
}

static void init_node(Operator *op)
{
    const PlanNode *plan = op->plan;
    switch (plan->kind) {
    case PLAN_SCAN:
        op_scan_init(op);
        break;
    case PLAN_VALUES:
        op_values_init(op);
        break;
    case PLAN_FUNCTION_SCAN:
        op_function_scan_init(op);
        break;
    case PLAN_PROJECT_SET:
        op_project_set_init(op);
        break;
    case PLAN_RESULT:
        op_result_init(op);
        break;
    case PLAN_FILTER:
        op_filter_init(op);
        break;
    case PLAN_PROJECT:
        op_project_init(op);
        break;
    case PLAN_AGGREGATE:
        if (plan->gwindow.kind == GW_SESSION)
            op_session_agg_init(op);
        else
            op_agg_init(op);
        break;
    case PLAN_WINDOW_ASSIGN:
        op_window_assign_init(op);
        break;
    case PLAN_JOIN:
        if (plan->nkeys > 0)
            op_hash_join_init(op);
        else
            op_nested_loop_init(op);
        break;
    case PLAN_SORT:
        op_sort_init(op);
        break;
    case PLAN_LIMIT:
        op_limit_init(op);
        break;
    case PLAN_DISTINCT:
        op_distinct_init(op);
        break;
    case PLAN_SETOP:
        op_setop_init(op);
        break;
    case PLAN_WINDOW:
        op_window_init(op);
        break;
    case PLAN_INSERT:
        op_insert_init(op);
        break;
    case PLAN_UPDATE:
        op_update_init(op);
        break;
    case PLAN_DELETE:
        op_delete_init(op);
        break;
    default:
        elog(ERROR, "unrecognized plan node type %d", (int)plan->kind);
    }
}

void exec_open(Operator *op)
{
    OperatorFull *full = (OperatorFull *)op;
    for (int i = 0; i < op->nchildren; i++)
        exec_open(op->children[i]);
    full->opened = true;
    if (op->ops->open)
        op->ops->open(op);
}

ExecEvent exec_next(Operator *op)
{
    exec_check_cancel(op->ctx);
    ExecEvent ev = op->ops->next(op);
    if (ev.kind == EXEC_BATCH)
        op->rows_out += batch_live_count(ev.batch);
    return ev;
}

void exec_close(Operator *op)
{
    OperatorFull *full = (OperatorFull *)op;
    if (full->closed)
        return;
    full->closed = true;
    if (full->opened && op->ops && op->ops->close)
        op->ops->close(op);
    for (int i = 0; i < op->nchildren; i++)
        exec_close(op->children[i]);
    arena_destroy(full->arena);
}

int64 exec_run(ExecContext *ctx, const PlanNode *plan, BatchSink sink, void *arg)
{
    Operator *volatile root = NULL;
    volatile int64 rows = 0;
    LM_TRY();
    {
        root = exec_build(ctx, plan);
        exec_open(root);
        for (;;) {
            ExecEvent ev = exec_next(root);
            if (ev.kind == EXEC_END)
                break;
            if (ev.kind != EXEC_BATCH)
                continue;
            int n = batch_live_count(ev.batch);
            if (n == 0)
                continue;
            rows += n;
            if (sink)
                sink(arg, ev.batch);
        }
        Operator *r = root;
        root = NULL;
        exec_close(r);
    }
    LM_CATCH();
    {
        if (root)
            exec_close(root);
        error_rethrow();
    }
    LM_END_TRY();
    return rows;
}

/* ---- value copies ---- */

static void copy_children_range(Vector *dst, Arena *a, const Vector *src, uint32 offset,
                                uint32 length, ListEntry *out)
{
    int base = dst->child_count;
    vector_reserve_children(dst, a, base + (int)length);
    for (int c = 0; c < dst->nchildren; c++)
        for (uint32 i = 0; i < length; i++)
            vector_copy_value(&dst->children[c], a, base + (int)i, &src->children[c],
                              (int)(offset + i));
    dst->child_count = base + (int)length;
    out->offset = (uint32)base;
    out->length = length;
}

void vector_copy_value(Vector *dst, Arena *a, int dst_row, const Vector *src, int src_row)
{
    if (!vector_is_valid(src, src_row)) {
        vector_set_null(dst, dst_row);
        if (dst->type->id == TYPE_STRUCT)
            for (int c = 0; c < dst->nchildren; c++)
                vector_set_null(&dst->children[c], dst_row);
        return;
    }
    switch (dst->type->id) {
    case TYPE_UNKNOWN: /* untyped literal text */
    case TYPE_STRING:
    case TYPE_BINARY:
    case TYPE_JSON: {
        const StrView *s = &((const StrView *)src->data)[src_row];
        StrView *d = &((StrView *)dst->data)[dst_row];
        d->len = s->len;
        d->reserved = 0;
        d->ptr = s->len ? arena_memdup(a, s->ptr, s->len) : "";
        break;
    }
    case TYPE_ARRAY:
    case TYPE_MAP: {
        const ListEntry *e = &((const ListEntry *)src->data)[src_row];
        copy_children_range(dst, a, src, e->offset, e->length, &((ListEntry *)dst->data)[dst_row]);
        break;
    }
    case TYPE_STRUCT:
        for (int c = 0; c < dst->nchildren; c++)
            vector_copy_value(&dst->children[c], a, dst_row, &src->children[c], src_row);
        break;
    default: {
        size_t sz = type_physical_size(dst->type);
        memcpy((char *)dst->data + sz * (size_t)dst_row,
               (const char *)src->data + sz * (size_t)src_row, sz);
        break;
    }
    }
    vector_set_valid(dst, dst_row);
}

void vector_set_all_null(Vector *v)
{
    if (v->capacity <= 0)
        return;
    vector_set_null(v, 0);
    memset(v->validity, 0, ((size_t)v->capacity + 63) / 64 * sizeof(uint64));
    for (int c = 0; v->type->id == TYPE_STRUCT && c < v->nchildren; c++)
        vector_set_all_null(&v->children[c]);
}

/* Validity of dst rows [off, off+n) from per-row source validity. */
static inline void copy_validity(Vector *dst, int dst_row, const Vector *src, int src_row)
{
    if (LM_UNLIKELY(!vector_is_valid(src, src_row)))
        vector_set_null(dst, dst_row);
    else
        vector_set_valid(dst, dst_row);
}

#define GATHER_FIXED(T)                                                                            \
    do {                                                                                           \
        T *d = (T *)dst->data + dst_off;                                                           \
        const T *s = (const T *)src->data;                                                         \
        for (int i = 0; i < n; i++)                                                                \
            d[i] = s[rows[i]];                                                                     \
    } while (0)

/* Whether values of t are StrViews into memory that a deep copy must duplicate. */
static inline bool is_strview(TypeId id)
{
    return id == TYPE_STRING || id == TYPE_BINARY || id == TYPE_JSON || id == TYPE_UNKNOWN;
}

/* dst[dst_off + i] = src[rows[i]] for one source vector. */
static void gather_rows(Vector *dst, Arena *a, int dst_off, const Vector *src, const uint16 *rows,
                        int n)
{
    TypeId id = dst->type->id;
    bool by_value = !is_strview(id) && id != TYPE_ARRAY && id != TYPE_MAP && id != TYPE_STRUCT;
    switch (by_value ? type_physical_size(dst->type) : 0) {
    case 1:
        GATHER_FIXED(uint8);
        break;
    case 2:
        GATHER_FIXED(uint16);
        break;
    case 4:
        GATHER_FIXED(uint32);
        break;
    case 8:
        GATHER_FIXED(uint64);
        break;
    case 16:
        if (dst->type->id == TYPE_DECIMAL)
            GATHER_FIXED(int128);
        else
            GATHER_FIXED(Interval);
        break;
    default:
        if (a == NULL && is_strview(id)) {
            GATHER_FIXED(StrView); /* shallow: the source outlives dst */
            break;
        }
        if (is_strview(id)) {
            StrView *d = (StrView *)dst->data + dst_off;
            const StrView *sv = (const StrView *)src->data;
            for (int i = 0; i < n; i++) {
                if (src->validity && !vector_is_valid(src, rows[i])) {
                    d[i].len = 0;
                    d[i].ptr = "";
                    continue;
                }
                const StrView *x = &sv[rows[i]];
                d[i].len = x->len;
                d[i].reserved = 0;
                d[i].ptr = x->len ? arena_memdup(a, x->ptr, x->len) : "";
            }
            break;
        }
        for (int i = 0; i < n; i++)
            vector_copy_value(dst, a ? a : dst->arena, dst_off + i, src, rows[i]);
        return;
    }
    if (src->validity != NULL || dst->validity != NULL)
        for (int i = 0; i < n; i++)
            copy_validity(dst, dst_off + i, src, rows[i]);
}

void vector_gather(Vector *dst, Arena *a, const Vector *src, const uint16 *rows, int n)
{
    gather_rows(dst, a, 0, src, rows, n);
}

void rowset_gather(const RowSet *rs, int col, const uint32 *idx, int n, Vector *dst, Arena *a,
                   int dst_off)
{
    /* Runs of indexes in the same source batch are gathered with one call. */
    uint16 rows[LM_BATCH_SIZE];
    int i = 0;
    while (i < n) {
        uint32 bno = idx[i] / LM_BATCH_SIZE;
        int start = i, k = 0;
        while (i < n && idx[i] / LM_BATCH_SIZE == bno && k < LM_BATCH_SIZE) {
            rows[k++] = (uint16)(idx[i] & (LM_BATCH_SIZE - 1));
            i++;
        }
        gather_rows(dst, a, dst_off + start, &rs->batches[bno]->cols[col], rows, k);
    }
}

/* ---- RowSet ---- */

RowSet *rowset_create(Arena *a, int ncols, const LmType *const *types)
{
    RowSet *rs = arena_new(a, RowSet);
    rs->ncols = ncols;
    rs->types = arena_new_array(a, const LmType *, ncols > 0 ? ncols : 1);
    for (int i = 0; i < ncols; i++)
        rs->types[i] = types[i];
    rs->arena = a;
    return rs;
}

/* The last batch if it has room, else a new one. */
static Batch *rowset_tail(RowSet *rs)
{
    if (rs->nbatches > 0 && rs->batches[rs->nbatches - 1]->count < LM_BATCH_SIZE)
        return rs->batches[rs->nbatches - 1];
    if (rs->nbatches == rs->cap) {
        int ncap = rs->cap ? rs->cap * 2 : 8;
        rs->batches = arena_realloc(rs->arena, rs->batches, sizeof(Batch *) * (size_t)rs->cap,
                                    sizeof(Batch *) * (size_t)ncap);
        rs->cap = ncap;
    }
    Batch *b = batch_create(rs->arena, rs->ncols, rs->types, LM_BATCH_SIZE);
    rs->batches[rs->nbatches++] = b;
    return b;
}

Batch *rowset_add_row(RowSet *rs, int *row)
{
    Batch *b = rowset_tail(rs);
    int r = b->count++;
    for (int c = 0; c < rs->ncols; c++) {
        vector_set_null(&b->cols[c], r);
        if (b->cols[c].type->id == TYPE_STRUCT)
            for (int f = 0; f < b->cols[c].nchildren; f++)
                vector_set_null(&b->cols[c].children[f], r);
    }
    rs->nrows++;
    *row = r;
    return b;
}

void rowset_append(RowSet *rs, const Batch *b)
{
    int n = batch_live_count(b);
    uint16 identity[LM_BATCH_SIZE];
    const uint16 *sel = b->sel;
    if (sel == NULL) {
        for (int i = 0; i < n; i++)
            identity[i] = (uint16)i;
        sel = identity;
    }
    int done = 0;
    while (done < n) {
        Batch *t = rowset_tail(rs);
        int k = LM_MIN(n - done, LM_BATCH_SIZE - t->count);
        for (int c = 0; c < rs->ncols; c++)
            gather_rows(&t->cols[c], rs->arena, t->count, &b->cols[c], sel + done, k);
        t->count += k;
        rs->nrows += k;
        done += k;
    }
}
