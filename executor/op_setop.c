/*
 * op_setop.c: PLAN_DISTINCT and PLAN_SETOP (UNION [ALL], INTERSECT [ALL],
 * EXCEPT [ALL]), all on the vectorized hash table with NULLs comparing equal
 * (as in PostgreSQL's set operations and DISTINCT).
 *
 * DISTINCT and UNION stream: each batch is looked up in the hash table and
 * the rows that created a new group (new ids are consecutive in row order)
 * are passed on as the input batch with a selection — no copy, no
 * buffering beyond the distinct keys.  UNION ALL just concatenates.
 * INTERSECT and EXCEPT count, per distinct row, its occurrences on the left
 * (inserting) and on the right (probing only), then emit each row as many
 * times as the operation says: INTERSECT min(l, r), EXCEPT max(l - r, 0),
 * without ALL at most once.  Output rows are gathered from the table's key
 * store, in order of first appearance on the left.
 */
#include "executor/operator.h"
#include "executor/hashtable.h"

typedef struct SetOpState {
    int ncols;
    HashTable *ht;
    int side; /* child being read: 0 left, 1 right */
    /* INTERSECT / EXCEPT */
    bool counted;
    uint32 *cnt_l, *cnt_r, cnt_cap;
    uint32 group, emitted; /* output cursor: group and copies of it already emitted */
    const LmType **types;
    uint32 ids[LM_BATCH_SIZE];
    uint16 sel[LM_BATCH_SIZE];
    Batch out;
} SetOpState;

static Vector **all_columns(Batch *b, Vector **keys)
{
    for (int c = 0; c < b->ncols; c++)
        keys[c] = &b->cols[c];
    return keys;
}

/* Passes on the rows of b that are new to the hash table. */
static Batch *distinct_rows(SetOpState *st, Batch *b)
{
    Vector *keys[256];
    uint32 before = hashtable_count(st->ht);
    hashtable_find_or_insert(st->ht, all_columns(b, keys), b, st->ids);
    if (hashtable_count(st->ht) == before)
        return NULL;
    int n = batch_live_count(b), k = 0;
    uint32 next = before;
    for (int i = 0; i < n; i++) {
        int r = batch_row(b, i);
        if (st->ids[r] == next) {
            next++;
            st->sel[k++] = (uint16)r;
        }
    }
    if (k == n)
        return b;
    st->out = *b;
    st->out.sel = st->sel;
    st->out.nsel = k;
    return &st->out;
}

static ExecEvent distinct_next(Operator *op)
{
    SetOpState *st = op->state;
    for (;;) {
        ExecEvent ev = exec_next(op->children[0]);
        if (ev.kind != EXEC_BATCH)
            return ev;
        if (batch_live_count(ev.batch) == 0)
            continue;
        Batch *b = distinct_rows(st, ev.batch);
        if (b)
            return exec_event_batch(b);
    }
}

/* UNION [ALL]: left, then right. */
static ExecEvent union_next(Operator *op)
{
    SetOpState *st = op->state;
    for (;;) {
        ExecEvent ev = exec_next(op->children[st->side]);
        if (ev.kind == EXEC_END) {
            if (st->side == 0) {
                st->side = 1;
                continue;
            }
            return ev;
        }
        if (ev.kind != EXEC_BATCH || batch_live_count(ev.batch) == 0)
            continue;
        if (op->plan->all)
            return ev;
        Batch *b = distinct_rows(st, ev.batch);
        if (b)
            return exec_event_batch(b);
    }
}

static void count_side(Operator *op, SetOpState *st, int side)
{
    Arena *a = op_state_arena(op);
    Vector *keys[256];
    for (;;) {
        ExecEvent ev = exec_next(op->children[side]);
        if (ev.kind == EXEC_END)
            break;
        if (ev.kind != EXEC_BATCH || batch_live_count(ev.batch) == 0)
            continue;
        Batch *b = ev.batch;
        if (side == 0)
            hashtable_find_or_insert(st->ht, all_columns(b, keys), b, st->ids);
        else
            hashtable_probe(st->ht, all_columns(b, keys), b, st->ids);
        uint32 ng = hashtable_count(st->ht);
        if (ng > st->cnt_cap) {
            uint32 ncap = st->cnt_cap ? st->cnt_cap : 1024;
            while (ncap < ng)
                ncap *= 2;
            st->cnt_l =
                arena_realloc(a, st->cnt_l, sizeof(uint32) * st->cnt_cap, sizeof(uint32) * ncap);
            st->cnt_r =
                arena_realloc(a, st->cnt_r, sizeof(uint32) * st->cnt_cap, sizeof(uint32) * ncap);
            memset(st->cnt_l + st->cnt_cap, 0, sizeof(uint32) * (ncap - st->cnt_cap));
            memset(st->cnt_r + st->cnt_cap, 0, sizeof(uint32) * (ncap - st->cnt_cap));
            st->cnt_cap = ncap;
        }
        uint32 *cnt = side == 0 ? st->cnt_l : st->cnt_r;
        int n = batch_live_count(b);
        for (int i = 0; i < n; i++) {
            uint32 g = st->ids[batch_row(b, i)];
            if (g != HT_NONE)
                cnt[g]++;
        }
    }
}

static uint32 copies(const PlanNode *p, uint32 l, uint32 r)
{
    uint32 n;
    if (p->setop == SETOP_INTERSECT)
        n = LM_MIN(l, r);
    else
        n = l > r ? l - r : 0;
    if (!p->all && n > 1)
        n = 1;
    if (!p->all && p->setop == SETOP_EXCEPT && r > 0)
        n = 0;
    return n;
}

static ExecEvent counted_next(Operator *op)
{
    SetOpState *st = op->state;
    const PlanNode *p = op->plan;
    if (!st->counted) {
        count_side(op, st, 0);
        count_side(op, st, 1);
        st->counted = true;
    }
    arena_reset(op->batch_arena);
    uint32 ng = hashtable_count(st->ht);
    uint32 idx[LM_BATCH_SIZE];
    int n = 0;
    while (n < LM_BATCH_SIZE && st->group < ng) {
        uint32 want = copies(p, st->cnt_l[st->group], st->cnt_r[st->group]);
        if (st->emitted < want) {
            idx[n++] = st->group;
            st->emitted++;
            continue;
        }
        st->group++;
        st->emitted = 0;
    }
    if (n == 0)
        return exec_event_end();
    Batch *b = batch_create(op->batch_arena, st->ncols, st->types, LM_BATCH_SIZE);
    const RowSet *keys = hashtable_keys(st->ht);
    for (int c = 0; c < st->ncols; c++)
        rowset_gather(keys, c, idx, n, &b->cols[c], NULL, 0);
    b->count = n;
    return exec_event_batch(b);
}

static const OperatorOps distinct_ops = {"HashDistinct", NULL, distinct_next, NULL};
static const OperatorOps union_ops = {"Union", NULL, union_next, NULL};
static const OperatorOps counted_ops = {"HashSetOp", NULL, counted_next, NULL};

static SetOpState *setop_state(Operator *op, const PlanNode *input)
{
    Arena *a = op_state_arena(op);
    SetOpState *st = arena_new(a, SetOpState);
    st->ncols = input->ncols;
    if (st->ncols > 256)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("too many columns in a set operation or DISTINCT: %d", st->ncols));
    st->types = plan_col_types(a, input);
    st->ht = hashtable_create(a, st->ncols, st->types, true);
    op->state = st;
    return st;
}

void op_distinct_init(Operator *op)
{
    setop_state(op, op->plan->left);
    op->ops = &distinct_ops;
}

void op_setop_init(Operator *op)
{
    const PlanNode *p = op->plan;
    setop_state(op, p->left);
    switch (p->setop) {
    case SETOP_UNION:
        op->ops = &union_ops;
        break;
    case SETOP_INTERSECT:
    case SETOP_EXCEPT:
        op->ops = &counted_ops;
        break;
    default:
        elog(ERROR, "unrecognized set operation %d", (int)p->setop);
    }
}
