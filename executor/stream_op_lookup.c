/*
 * stream_op_lookup.c: the lookup join of a stream with plain tables
 * (STREAM_OP_LOOKUP_JOIN): each stream row is joined with the table's rows
 * as they are when the row passes (reference data), INNER or LEFT (the
 * stream side outer).  Output columns stay the join's left ++ right; each
 * output row keeps its stream row's changelog operation, so a lookup join
 * over a changelog stays a changelog.  Stateless: nothing to snapshot.
 *
 * Point lookups: when the table side is a scan of one plain table (under
 * filters at most) and the equi-keys cover its whole primary key, every
 * stream batch reads the matching rows by key (table_get_by_key on a
 * read-only transaction begun per batch, so a batch sees one consistent
 * state of the table).  Stream key values are cast to the key columns'
 * types first.  The table-side filters and the join condition are then
 * evaluated on the joined rows of the batch.
 *
 * Otherwise (no primary key, keys not covering it, projections): per batch
 * the table side is run as a bounded plan, hashed on its join keys and
 * probed — correct, but it reads the whole table side for every batch;
 * EXPLAIN-worthy for large tables (give the table a primary key).
 */
#include "executor/stream_op_int.h"
#include "executor/hashtable.h"
#include "executor/expr.h"
#include "planner/relation.h"
#include "storage/table.h"
#include "common/errcodes.h"

#include <string.h>

#define NONE UINT32_MAX

typedef struct LookupState {
    int ss;           /* stream side: 0 left, 1 right */
    int ncols[2];
    const LmType **types[2];
    const LmType **out_types;
    bool outer;       /* LEFT join on the stream side */
    ExprState *pred;  /* the full join condition over left ++ right (NULL: none) */
    /* point lookups */
    bool by_key;
    const CatTable *table;
    int nscan;
    int *scan_cols;         /* table columns the scan produces */
    int npk;
    ExprState **pk_expr;    /* stream-side expression per primary key column (NULL: column) */
    int *pk_col;            /* ... or its stream column */
    const LmType **pk_type; /* the key column's type */
    ExprState **filters;    /* table-side filter predicates (over the scan's output) */
    int nfilters;
    /* fallback */
    int nkeys;
    ExprState **skeys; /* stream-side keys (NULL: column) */
    Expr **skey_exprs;
    Expr **tkey_exprs; /* table-side keys over the lookup plan's output */
    const LmType **key_types;
    Arena *scratch;
    Batch out;
} LookupState;

/* Analyses the table side for point lookups; false: use the fallback. */
static bool plan_by_key(Operator *op, LookupState *st, const PlanNode *lp, Expr **skeys,
                        Expr **tkeys, int nkeys)
{
    Arena *a = exec_operator_arena(op);
    const PlanNode *p = lp;
    int nf = 0;
    while (p->kind == PLAN_FILTER) {
        nf++;
        p = p->left;
    }
    if (p->kind != PLAN_SCAN || p->rel == NULL || p->rel->kind != REL_PLAIN ||
        p->rel->table == NULL || p->rel->npk == 0 || p->want_rowkey || p->ncols != lp->ncols)
        return false;
    const Relation *rel = p->rel;
    int *which = arena_new_array(a, int, rel->npk);
    for (int k = 0; k < rel->npk; k++) {
        which[k] = -1;
        for (int j = 0; j < nkeys && which[k] < 0; j++) {
            const Expr *te = tkeys[j];
            if (te->kind == EXPR_COLUMN && te->levels_up == 0 && te->index < p->nscan_cols &&
                p->scan_cols[te->index] == rel->pk[k])
                which[k] = j;
        }
        if (which[k] < 0)
            return false;
    }
    st->table = rel->table;
    st->nscan = p->nscan_cols;
    st->scan_cols = p->scan_cols;
    st->npk = rel->npk;
    st->pk_expr = arena_new_array(a, ExprState *, rel->npk);
    st->pk_col = arena_new_array(a, int, rel->npk);
    st->pk_type = arena_new_array(a, const LmType *, rel->npk);
    for (int k = 0; k < rel->npk; k++) {
        const Expr *se = skeys[which[k]];
        st->pk_type[k] = rel->cols[rel->pk[k]].type;
        st->pk_col[k] = -1;
        if (se->kind == EXPR_COLUMN && se->levels_up == 0)
            st->pk_col[k] = se->index;
        else
            st->pk_expr[k] = op_expr_init(op, se);
        if (cast_kind(se->type, st->pk_type[k]) == CAST_NONE && se->type->id != st->pk_type[k]->id)
            return false;
    }
    st->filters = arena_new_array(a, ExprState *, nf + 1);
    for (const PlanNode *f = lp; f->kind == PLAN_FILTER; f = f->left)
        st->filters[st->nfilters++] = op_expr_init(op, f->predicate);
    return true;
}

/* Joined batch: stream rows srows[0..n) with table rows trows (batch tb rows 0..n, found[i]). */
static Batch *assemble(Operator *op, LookupState *st, const Batch *in, const uint16 *srows,
                       const Batch *tb, const uint32 *trow, int n)
{
    Arena *a = op->batch_arena;
    Batch *b = batch_create(a, op->plan->ncols, st->out_types, LM_BATCH_SIZE);
    int s0 = st->ss == 0 ? 0 : st->ncols[0];
    int t0 = st->ss == 0 ? st->ncols[0] : 0;
    int ts = 1 - st->ss;
    for (int c = 0; c < st->ncols[st->ss]; c++)
        vector_gather(&b->cols[s0 + c], a, &in->cols[c], srows, n);
    uint16 tr[LM_BATCH_SIZE];
    for (int i = 0; i < n; i++)
        tr[i] = (uint16)trow[i];
    for (int c = 0; c < st->ncols[ts]; c++)
        vector_gather(&b->cols[t0 + c], a, &tb->cols[c], tr, n);
    b->count = n;
    if (in->ops) {
        b->ops = arena_alloc(a, (size_t)n);
        for (int i = 0; i < n; i++)
            b->ops[i] = in->ops[srows[i]];
    }
    return b;
}

/* Emits the joined rows passing the condition (matched[] of stream rows set), then (outer)
 * the unmatched stream rows with NULLs. */
static void emit(Operator *op, LookupState *st, Outbox *ob, const Batch *in, Batch *joined,
                 const uint16 *pair_stream_pos, uint8 *matched, const uint16 *live_rows,
                 int nlive)
{
    if (joined && joined->count > 0) {
        if (st->pred) {
            uint16 *sel = arena_alloc(op->batch_arena, sizeof(uint16) * LM_BATCH_SIZE);
            joined->nsel = expr_filter(st->pred, joined, sel);
            joined->sel = sel;
        }
        for (int i = 0; i < batch_live_count(joined); i++)
            matched[pair_stream_pos[batch_row(joined, i)]] = 1;
        if (batch_live_count(joined) > 0)
            outbox_append(ob, joined, ROW_INSERT, true);
    }
    if (!st->outer)
        return;
    uint16 rows[LM_BATCH_SIZE];
    int k = 0;
    for (int i = 0; i < nlive; i++)
        if (!matched[i])
            rows[k++] = live_rows[i];
    if (k == 0)
        return;
    Arena *a = op->batch_arena;
    Batch *b = batch_create(a, op->plan->ncols, st->out_types, LM_BATCH_SIZE);
    int s0 = st->ss == 0 ? 0 : st->ncols[0];
    int t0 = st->ss == 0 ? st->ncols[0] : 0;
    for (int c = 0; c < st->ncols[st->ss]; c++)
        vector_gather(&b->cols[s0 + c], a, &in->cols[c], rows, k);
    for (int c = 0; c < st->ncols[1 - st->ss]; c++)
        for (int i = 0; i < k; i++)
            vector_set_null(&b->cols[t0 + c], i);
    b->count = k;
    if (in->ops) {
        b->ops = arena_alloc(a, (size_t)k);
        for (int i = 0; i < k; i++)
            b->ops[i] = in->ops[rows[i]];
    }
    outbox_append(ob, b, ROW_INSERT, true);
}

typedef struct LookupOp {
    LookupState st;
    Outbox out;
} LookupOp;

static void by_key_batch(Operator *op, LookupOp *lo, Batch *in)
{
    LookupState *st = &lo->st;
    Arena *a = op->batch_arena;
    int live = batch_live_count(in);
    Vector *keys[64];
    for (int k = 0; k < st->npk; k++) {
        Vector *v = st->pk_expr[k] ? expr_eval(st->pk_expr[k], in) : &in->cols[st->pk_col[k]];
        if (v->type->id != st->pk_type[k]->id ||
            (v->type->id == TYPE_DECIMAL && v->type->scale != st->pk_type[k]->scale)) {
            Vector *c = arena_new(a, Vector);
            vector_init(c, a, st->pk_type[k], in->count);
            cast_vector(op->ctx, v, in, c, -1);
            v = c;
        }
        keys[k] = v;
    }
    int ts = 1 - st->ss;
    Batch *tb = batch_create(a, st->ncols[ts], st->types[ts], LM_BATCH_SIZE);
    uint16 *srows = arena_alloc(a, sizeof(uint16) * LM_BATCH_SIZE);
    uint16 *spos = arena_alloc(a, sizeof(uint16) * LM_BATCH_SIZE);
    uint16 *live_rows = arena_alloc(a, sizeof(uint16) * LM_BATCH_SIZE);
    uint32 *trow = arena_alloc(a, sizeof(uint32) * LM_BATCH_SIZE);
    uint8 *matched = arena_alloc0(a, LM_BATCH_SIZE);
    int n = 0;
    TableTxn *volatile txn = table_txn_begin(op->ctx->storage);
    LM_TRY();
    {
        for (int i = 0; i < live; i++) {
            int r = batch_row(in, i);
            live_rows[i] = (uint16)r;
            if (table_get_by_key(txn, st->table, keys, r, st->nscan, st->scan_cols, tb->cols, a,
                                 n)) {
                srows[n] = (uint16)r;
                spos[n] = (uint16)i;
                trow[n] = (uint32)n;
                n++;
            }
        }
    }
    LM_CATCH();
    {
        table_txn_abort(txn);
        error_rethrow();
    }
    LM_END_TRY();
    table_txn_abort(txn);
    tb->count = n;
    /* table-side filters narrow the fetched rows */
    if (st->nfilters > 0 && n > 0) {
        uint16 *sel = arena_alloc(a, sizeof(uint16) * LM_BATCH_SIZE);
        for (int f = 0; f < st->nfilters; f++) {
            int k = expr_filter(st->filters[f], tb, sel);
            uint16 *copy = arena_memdup(a, sel, sizeof(uint16) * (size_t)k);
            tb->sel = copy;
            tb->nsel = k;
        }
        int m = 0;
        for (int i = 0; i < batch_live_count(tb); i++) {
            int r = batch_row(tb, i);
            srows[m] = srows[r];
            spos[m] = spos[r];
            trow[m] = (uint32)r;
            m++;
        }
        tb->sel = NULL;
        n = m;
    }
    Batch *joined = n > 0 ? assemble(op, st, in, srows, tb, trow, n) : NULL;
    emit(op, st, &lo->out, in, joined, spos, matched, live_rows, live);
}

static void scan_batch(Operator *op, LookupOp *lo, Batch *in)
{
    LookupState *st = &lo->st;
    Arena *a = op->batch_arena;
    const PlanNode *lp = st->ss == 0 ? op->plan->right : op->plan->left;
    int ts = 1 - st->ss;
    /* the table side as it is now */
    RowSet *rows = rowset_create(a, st->ncols[ts], st->types[ts]);
    ExecContext *ctx = op->ctx;
    TableTxn *saved = ctx->txn;
    TableTxn *volatile txn = table_txn_begin(ctx->storage);
    Operator *volatile tree = NULL;
    ctx->txn = txn;
    LM_TRY();
    {
        tree = exec_build(ctx, lp);
        exec_open(tree);
        for (;;) {
            ExecEvent ev = exec_next(tree);
            if (ev.kind == EXEC_END)
                break;
            if (ev.kind == EXEC_BATCH)
                rowset_append(rows, ev.batch);
        }
        Operator *t = tree;
        tree = NULL;
        exec_close(t);
    }
    LM_CATCH();
    {
        if (tree)
            exec_close(tree);
        ctx->txn = saved;
        table_txn_abort(txn);
        error_rethrow();
    }
    LM_END_TRY();
    ctx->txn = saved;
    table_txn_abort(txn);
    /* hash the table rows on their keys */
    uint32 nt = (uint32)rows->nrows;
    HashTable *ht = hashtable_create(a, st->nkeys, st->key_types, false);
    uint32 *next = arena_alloc(a, sizeof(uint32) * (nt ? nt : 1));
    uint32 *head = NULL, cap = 0;
    uint32 ids[LM_BATCH_SIZE];
    Vector *keys[64];
    ExprState **tk = arena_new_array(a, ExprState *, st->nkeys + 1);
    for (int k = 0; k < st->nkeys; k++)
        tk[k] = op_expr_init(op, st->tkey_exprs[k]);
    for (int bi = 0; bi < rows->nbatches; bi++) {
        const Batch *rb = rows->batches[bi];
        for (int k = 0; k < st->nkeys; k++)
            keys[k] = expr_eval(tk[k], rb);
        hashtable_find_or_insert(ht, keys, rb, ids);
        uint32 ng = hashtable_count(ht);
        if (ng > cap) {
            uint32 ncap = cap ? cap * 2 : 256;
            while (ncap < ng)
                ncap *= 2;
            head = arena_realloc(a, head, sizeof(uint32) * cap, sizeof(uint32) * ncap);
            for (uint32 g = cap; g < ncap; g++)
                head[g] = NONE;
            cap = ncap;
        }
        for (int r = 0; r < rb->count; r++) {
            uint32 x = (uint32)bi * LM_BATCH_SIZE + (uint32)r;
            next[x] = NONE;
            if (ids[r] != HT_NONE) {
                next[x] = head[ids[r]];
                head[ids[r]] = x;
            }
        }
    }
    /* probe with the stream rows, a batch of pairs at a time */
    for (int k = 0; k < st->nkeys; k++)
        keys[k] = st->skeys[k] ? expr_eval(st->skeys[k], in) : &in->cols[st->skey_exprs[k]->index];
    hashtable_probe(ht, keys, in, ids);
    int live = batch_live_count(in);
    uint8 *matched = arena_alloc0(a, LM_BATCH_SIZE);
    uint16 *live_rows = arena_alloc(a, sizeof(uint16) * LM_BATCH_SIZE);
    for (int i = 0; i < live; i++)
        live_rows[i] = (uint16)batch_row(in, i);
    uint16 srows[LM_BATCH_SIZE], spos[LM_BATCH_SIZE];
    uint32 trow[LM_BATCH_SIZE];
    int n = 0;
    Batch *tb = batch_create(a, st->ncols[ts], st->types[ts], LM_BATCH_SIZE);
    for (int i = 0; i <= live; i++) {
        if (i < live) {
            int r = live_rows[i];
            if (ids[r] == HT_NONE)
                continue;
            for (uint32 x = head[ids[r]]; x != NONE; x = next[x]) {
                srows[n] = (uint16)r;
                spos[n] = (uint16)i;
                trow[n] = (uint32)n;
                for (int c = 0; c < st->ncols[ts]; c++)
                    rowset_gather(rows, c, &x, 1, &tb->cols[c], a, n);
                n++;
                if (n == LM_BATCH_SIZE) {
                    tb->count = n;
                    Batch *j = assemble(op, st, in, srows, tb, trow, n);
                    emit(op, st, &lo->out, in, j, spos, matched, live_rows, 0);
                    n = 0;
                    tb = batch_create(a, st->ncols[ts], st->types[ts], LM_BATCH_SIZE);
                }
            }
            continue;
        }
        tb->count = n;
        Batch *j = n > 0 ? assemble(op, st, in, srows, tb, trow, n) : NULL;
        emit(op, st, &lo->out, in, j, spos, matched, live_rows, live);
    }
}

static ExecEvent lookup_next(Operator *op)
{
    LookupOp *lo = op->state;
    ExecEvent ev;
    for (;;) {
        if (outbox_next(&lo->out, &ev))
            return ev;
        arena_reset(op->batch_arena);
        ev = exec_next(op->children[0]);
        if (ev.kind != EXEC_BATCH)
            return ev;
        if (batch_live_count(ev.batch) == 0)
            continue;
        if (lo->st.by_key)
            by_key_batch(op, lo, ev.batch);
        else
            scan_batch(op, lo, ev.batch);
    }
}

static const OperatorOps lookup_ops = {"LookupJoin", NULL, lookup_next, NULL, NULL, NULL};

Operator *stream_lookup_join_create(ExecContext *ctx, const PlanNode *plan, Operator *child,
                                    const StreamOpInfo *info)
{
    Operator *op = exec_operator_create(ctx, plan, &child, 1);
    Arena *a = exec_operator_arena(op);
    LookupOp *lo = arena_new(a, LookupOp);
    LookupState *st = &lo->st;
    op->state = lo;
    op->ops = &lookup_ops;
    if (plan->kind != PLAN_JOIN || info->lookup_plan == NULL)
        elog(ERROR, "lookup join over plan node %d", (int)plan->kind);
    st->ss = info->stream_side;
    JoinType jt = plan->join_type;
    bool stream_outer = (st->ss == 0 && jt == JOIN_LEFT) || (st->ss == 1 && jt == JOIN_RIGHT);
    if (jt != JOIN_INNER && !stream_outer)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("a lookup join of a stream with a table must be INNER or keep the "
                       "stream's rows (LEFT JOIN table)"));
    st->outer = stream_outer;
    st->ncols[0] = plan->left->ncols;
    st->ncols[1] = plan->right->ncols;
    st->types[0] = plan_col_types(a, plan->left);
    st->types[1] = plan_col_types(a, plan->right);
    st->out_types = plan_col_types(a, plan);
    if (plan->predicate)
        st->pred = op_expr_init(op, plan->predicate);
    st->nkeys = plan->nkeys;
    if (st->nkeys > 64)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("too many join keys"));
    Expr **skeys = st->ss == 0 ? plan->left_keys : plan->right_keys;
    Expr **tkeys = st->ss == 0 ? plan->right_keys : plan->left_keys;
    st->by_key = st->nkeys > 0 && ctx->storage != NULL &&
                 plan_by_key(op, st, info->lookup_plan, skeys, tkeys, st->nkeys);
    if (!st->by_key) {
        if (st->nkeys == 0)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("a lookup join needs an equality condition on the table's columns"));
        st->skeys = arena_new_array(a, ExprState *, st->nkeys);
        st->skey_exprs = skeys;
        st->tkey_exprs = tkeys;
        st->key_types = arena_new_array(a, const LmType *, st->nkeys);
        for (int k = 0; k < st->nkeys; k++) {
            if (skeys[k]->kind != EXPR_COLUMN || skeys[k]->levels_up != 0)
                st->skeys[k] = op_expr_init(op, skeys[k]);
            st->key_types[k] = tkeys[k]->type;
        }
    }
    outbox_init(&lo->out, a, plan->ncols, st->out_types,
                info->input_changelog[0] || info->emits_changelog);
    st->scratch = arena_create("lookup scratch", a);
    return op;
}
