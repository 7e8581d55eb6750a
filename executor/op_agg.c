/*
 * op_agg.c: PLAN_AGGREGATE — hash aggregation.
 *
 * Per input batch: the GROUP BY expressions are evaluated and looked up in
 * the vectorized hash table, giving a dense group id per row; then each
 * aggregate's AggDesc.update folds the batch into the flat array of
 * per-group states (state_size bytes per group, grown by doubling, new
 * states initialised with AggDesc.init).  Without GROUP BY there is exactly
 * one group (id 0), so the output is one row even for empty input.
 *
 * Per aggregate, the rows a call sees are narrowed with selection vectors,
 * never copied: FILTER (WHERE ...) through expr_filter, strict aggregates
 * drop rows with a NULL argument, DISTINCT keeps only the first occurrence
 * of each (group, arguments) pair (a second hash table; new pairs get
 * consecutive ids in row order, which is how "first occurrence" is seen).
 * Arguments are evaluated after the filter, as PostgreSQL does.
 * An aggregate with ORDER BY inside the call (string_agg(x, ',' ORDER BY y))
 * buffers (group, arguments, order keys) rows in a RowSet instead, sorts
 * them stably by group and keys when the input ends and only then feeds
 * update in that order.
 *
 * Output: LM_BATCH_SIZE groups per batch, key columns gathered (shallowly)
 * from the hash table's key store, aggregates through AggDesc.finalize.
 * Aggregate state memory (var-width states) lives in the operator's arena.
 */
#include "executor/operator.h"
#include "executor/func.h"
#include "executor/hashtable.h"

typedef struct AggRun {
    const AggCall *call;
    const AggDesc *desc;
    AggKernelArgs kargs;
    ExprState **args; /* NULL entries: plain column of the input */
    ExprState *filter;
    char *states;
    HashTable *distinct; /* keys: group id, arguments */
    /* ORDER BY inside the call */
    RowSet *ordered; /* gid, args..., order keys... */
    ExprState **order;
    SortSpec *spec;
    const LmType **ordered_types;
} AggRun;

typedef struct AggState {
    int ngroups;
    ExprState **groups;
    HashTable *ht;
    int naggs;
    AggRun *aggs;
    uint32 capacity; /* states allocated per aggregate */
    uint32 *gids;    /* per row position of the current batch */
    uint32 zero_gids[LM_BATCH_SIZE];
    bool consumed;
    uint32 nout; /* groups to output */
    uint32 pos;
    const LmType **out_types;
    uint16 sel[LM_BATCH_SIZE];
    uint16 sel2[LM_BATCH_SIZE];
} AggState;

static void ensure_states(Operator *op, AggState *st, uint32 ngroups)
{
    if (ngroups <= st->capacity)
        return;
    uint32 ncap = st->capacity ? st->capacity : 64;
    while (ncap < ngroups)
        ncap *= 2;
    Arena *a = op_state_arena(op);
    for (int i = 0; i < st->naggs; i++) {
        AggRun *ar = &st->aggs[i];
        size_t sz = ar->desc->state_size;
        ar->states = arena_realloc(a, ar->states, sz * st->capacity, sz * ncap);
        for (uint32 g = st->capacity; g < ncap; g++)
            ar->desc->init(&ar->kargs, ar->states + sz * g);
    }
    st->capacity = ncap;
}

/* Evaluates an aggregate's argument i over b. */
static Vector *eval_arg(AggRun *ar, int i, const Batch *b)
{
    if (ar->args[i] == NULL)
        return &b->cols[ar->call->args[i]->index];
    return expr_eval(ar->args[i], b);
}

/* Narrows sel[0..n) to rows where every vector is non-NULL; returns the new count. */
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

static void update_one(Operator *op, AggState *st, AggRun *ar, const Batch *in)
{
    const AggCall *call = ar->call;
    Batch view = *in;
    uint16 *sel = st->sel;
    int n;
    if (ar->filter) {
        n = expr_filter(ar->filter, in, sel);
    } else {
        n = batch_live_count(in);
        for (int i = 0; i < n; i++)
            sel[i] = (uint16)batch_row(in, i);
    }
    if (n == 0)
        return;
    view.sel = sel;
    view.nsel = n;
    Vector *args[FUNC_MAX_ARGS];
    for (int i = 0; i < call->nargs && i < FUNC_MAX_ARGS; i++)
        args[i] = eval_arg(ar, i, &view);
    if (ar->desc->strict && call->nargs > 0) {
        n = drop_nulls(args, call->nargs, sel, n);
        if (n == 0)
            return;
        view.nsel = n;
    }
    if (ar->distinct || ar->ordered) {
        /* the group id as an INT64 column for the distinct keys / the ordered buffer */
        Vector gidv;
        vector_init(&gidv, op->batch_arena, type_int64(), in->count);
        int64 *gd = gidv.data;
        for (int j = 0; j < n; j++)
            gd[sel[j]] = st->gids[sel[j]];
        if (ar->distinct) {
            Vector *keys[FUNC_MAX_ARGS + 1];
            keys[0] = &gidv;
            for (int i = 0; i < call->nargs; i++)
                keys[i + 1] = args[i];
            uint32 before = hashtable_count(ar->distinct);
            uint32 ids[LM_BATCH_SIZE];
            hashtable_find_or_insert(ar->distinct, keys, &view, ids);
            int k = 0;
            uint32 next = before;
            for (int j = 0; j < n; j++)
                if (ids[sel[j]] == next) {
                    next++;
                    sel[k++] = sel[j];
                }
            n = k;
            view.nsel = n;
            if (n == 0)
                return;
        }
        if (ar->ordered) {
            Batch wide = {0};
            Vector cols[1 + FUNC_MAX_ARGS + 16];
            int nc = 0;
            cols[nc++] = gidv;
            for (int i = 0; i < call->nargs; i++)
                cols[nc++] = *args[i];
            for (int k = 0; k < call->norder; k++)
                cols[nc++] = *expr_eval(ar->order[k], &view);
            wide.cols = cols;
            wide.ncols = nc;
            wide.count = in->count;
            wide.sel = sel;
            wide.nsel = n;
            rowset_append(ar->ordered, &wide);
            return;
        }
    }
    ar->desc->update(&ar->kargs, args, &view, st->gids, ar->states);
}

/* Feeds an ordered aggregate's buffered rows to update, sorted by (group, order keys). */
static void flush_ordered(Operator *op, AggState *st, AggRun *ar)
{
    RowSet *rs = ar->ordered;
    uint32 n = (uint32)rs->nrows;
    if (n == 0)
        return;
    Arena *scratch = arena_create("ordered aggregate", op_state_arena(op));
    uint32 *idx = arena_alloc(scratch, sizeof(uint32) * n);
    for (uint32 i = 0; i < n; i++)
        idx[i] = i;
    rowset_sort(rs, 1 + ar->call->norder, ar->spec, idx, n, scratch);
    int nargs = ar->call->nargs;
    Batch *b = batch_create(scratch, nargs + 1, ar->ordered_types, LM_BATCH_SIZE);
    Vector *args[FUNC_MAX_ARGS];
    for (int i = 0; i < nargs; i++)
        args[i] = &b->cols[i + 1];
    uint32 gids[LM_BATCH_SIZE];
    for (uint32 pos = 0; pos < n; pos += LM_BATCH_SIZE) {
        int k = (int)LM_MIN(n - pos, (uint32)LM_BATCH_SIZE);
        for (int c = 0; c <= nargs; c++)
            rowset_gather(rs, c, idx + pos, k, &b->cols[c], NULL, 0);
        const int64 *gd = b->cols[0].data;
        for (int i = 0; i < k; i++)
            gids[i] = (uint32)gd[i];
        b->count = k;
        b->sel = NULL;
        ar->desc->update(&ar->kargs, args, b, gids, ar->states);
    }
    arena_destroy(scratch);
}

static void agg_consume(Operator *op)
{
    AggState *st = op->state;
    const PlanNode *p = op->plan;
    Vector *keys[64];
    for (;;) {
        ExecEvent ev = exec_next(op->children[0]);
        if (ev.kind == EXEC_END)
            break;
        if (ev.kind != EXEC_BATCH)
            continue;
        Batch *in = ev.batch;
        if (batch_live_count(in) == 0)
            continue;
        arena_reset(op->batch_arena);
        if (st->ngroups > 0) {
            for (int i = 0; i < st->ngroups; i++)
                keys[i] =
                    st->groups[i] ? expr_eval(st->groups[i], in) : &in->cols[p->groups[i]->index];
            hashtable_find_or_insert(st->ht, keys, in, st->gids);
            ensure_states(op, st, hashtable_count(st->ht));
        }
        for (int a = 0; a < st->naggs; a++)
            update_one(op, st, &st->aggs[a], in);
    }
    for (int a = 0; a < st->naggs; a++)
        if (st->aggs[a].ordered)
            flush_ordered(op, st, &st->aggs[a]);
    st->nout = st->ngroups > 0 ? hashtable_count(st->ht) : 1;
    st->consumed = true;
}

static ExecEvent agg_next(Operator *op)
{
    AggState *st = op->state;
    const PlanNode *p = op->plan;
    if (!st->consumed)
        agg_consume(op);
    arena_reset(op->batch_arena);
    if (st->pos >= st->nout)
        return exec_event_end();
    int k = (int)LM_MIN(st->nout - st->pos, (uint32)LM_BATCH_SIZE);
    Batch *b = batch_create(op->batch_arena, p->ncols, st->out_types, LM_BATCH_SIZE);
    if (st->ngroups > 0) {
        uint32 idx[LM_BATCH_SIZE];
        for (int i = 0; i < k; i++)
            idx[i] = st->pos + (uint32)i;
        const RowSet *keys = hashtable_keys(st->ht);
        for (int c = 0; c < st->ngroups; c++)
            rowset_gather(keys, c, idx, k, &b->cols[c], NULL, 0);
    }
    for (int a = 0; a < st->naggs; a++) {
        AggRun *ar = &st->aggs[a];
        Vector *out = &b->cols[st->ngroups + a];
        size_t sz = ar->desc->state_size;
        for (int i = 0; i < k; i++)
            ar->desc->finalize(&ar->kargs, ar->states + sz * (st->pos + (uint32)i), out, i);
    }
    b->count = k;
    st->pos += (uint32)k;
    return exec_event_batch(b);
}

static const OperatorOps agg_ops = {"HashAggregate", NULL, agg_next, NULL};

void op_agg_init(Operator *op)
{
    Arena *a = op_state_arena(op);
    const PlanNode *p = op->plan;
    ExecContext *ctx = op->ctx;
    AggState *st = arena_new(a, AggState);
    op->state = st;
    op->ops = &agg_ops;
    st->out_types = plan_col_types(a, p);
    st->ngroups = p->ngroups;
    if (p->ngroups > 64)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("too many grouping expressions: %d (at most 64)", p->ngroups));
    st->groups = arena_new_array(a, ExprState *, p->ngroups + 1);
    if (p->ngroups > 0) {
        const LmType **kt = arena_new_array(a, const LmType *, p->ngroups);
        for (int i = 0; i < p->ngroups; i++) {
            if (p->groups[i]->kind != EXPR_COLUMN)
                st->groups[i] = op_expr_init(op, p->groups[i]);
            kt[i] = p->groups[i]->type;
        }
        st->ht = hashtable_create(a, p->ngroups, kt, true);
        st->gids = arena_alloc(a, sizeof(uint32) * LM_BATCH_SIZE);
    } else {
        st->gids = st->zero_gids; /* one group: every row is group 0 */
    }
    st->naggs = p->naggs;
    st->aggs = arena_new_array(a, AggRun, p->naggs + 1);
    for (int i = 0; i < p->naggs; i++) {
        AggRun *ar = &st->aggs[i];
        const AggCall *call = &p->aggs[i];
        ar->call = call;
        ar->desc = call->agg;
        ar->kargs.ctx = ctx;
        ar->kargs.call = call;
        ar->kargs.arena = a;
        if (call->nargs > FUNC_MAX_ARGS)
            elog(ERROR, "aggregate with %d arguments", call->nargs);
        ar->args = arena_new_array(a, ExprState *, call->nargs + 1);
        for (int j = 0; j < call->nargs; j++)
            if (call->args[j]->kind != EXPR_COLUMN)
                ar->args[j] = op_expr_init(op, call->args[j]);
        if (call->filter)
            ar->filter = op_expr_init(op, call->filter);
        if (call->distinct) {
            const LmType **kt = arena_new_array(a, const LmType *, call->nargs + 1);
            kt[0] = type_int64();
            for (int j = 0; j < call->nargs; j++)
                kt[j + 1] = call->args[j]->type;
            ar->distinct = hashtable_create(a, call->nargs + 1, kt, true);
        }
        if (call->norder > 0) {
            if (call->norder > 16)
                ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("too many ORDER BY keys in an aggregate call"));
            int nc = 1 + call->nargs + call->norder;
            const LmType **types = arena_new_array(a, const LmType *, nc);
            types[0] = type_int64();
            for (int j = 0; j < call->nargs; j++)
                types[1 + j] = call->args[j]->type;
            ar->order = arena_new_array(a, ExprState *, call->norder);
            ar->spec = arena_new_array(a, SortSpec, call->norder + 1);
            ar->spec[0].col = 0;
            for (int k = 0; k < call->norder; k++) {
                types[1 + call->nargs + k] = call->order[k].expr->type;
                ar->order[k] = op_expr_init(op, call->order[k].expr);
                ar->spec[k + 1].col = 1 + call->nargs + k;
                ar->spec[k + 1].descending = call->order[k].descending;
                ar->spec[k + 1].nulls_first = call->order[k].nulls_first;
            }
            ar->ordered = rowset_create(a, nc, types);
            ar->ordered_types = types;
        }
    }
    ensure_states(op, st, 1);
}
