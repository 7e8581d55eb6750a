/*
 * op_join.c: PLAN_JOIN — hash join (equi-keys) and nested-loop join (any
 * condition), for INNER, LEFT, RIGHT, FULL, SEMI and ANTI joins.
 *
 * Both are one operator with two ways of finding candidates.  The right
 * input is the build side: it is read completely into a RowSet (its columns,
 * then the evaluated right keys).  A hash join inserts the keys into the
 * vectorized hash table (NULL keys never match: such rows are not inserted)
 * and chains the build rows of each distinct key in insertion order
 * (head/next arrays of row indexes); a nested loop's candidates for every
 * left row are simply all build rows.
 *
 * Probe: for each left batch the candidate (left row, build row) pairs are
 * generated up to LM_BATCH_SIZE at a time and gathered into a pair batch of
 * left ++ right columns (strings shallowly: both sides outlive the batch);
 * the residual condition (hash join: the part of the condition the keys do
 * not cover; nested loop: the whole condition) narrows it with a selection
 * vector, and the surviving pairs mark their left row (LEFT/FULL/SEMI/ANTI)
 * and build row (RIGHT/FULL) as matched.  When a left batch has no more
 * pairs, LEFT/FULL emit its unmatched rows with NULL right columns, SEMI its
 * matched and ANTI its unmatched rows — the left batch itself with a
 * selection, no copy.  After the left input ends RIGHT/FULL emit the build
 * rows never matched, with NULL left columns.
 */
#include "executor/operator.h"
#include "executor/hashtable.h"

typedef enum JoinPhase {
    PH_BUILD = 0,
    PH_FETCH,    /* need a new left batch */
    PH_PAIRS,    /* generating pairs for the current left batch */
    PH_LEFTOVER, /* emitting the current left batch's unmatched/matched rows */
    PH_RIGHT,    /* emitting unmatched build rows */
    PH_DONE
} JoinPhase;

typedef struct JoinState {
    bool hash;
    JoinType type;
    int nleft, nright;
    /* build side */
    RowSet *build; /* right columns, then right keys (hash join) */
    HashTable *ht;
    ExprState **rkeys, **lkeys;
    uint32 *head, *tail, heads_cap;
    uint32 *next;
    uint32 next_cap;
    uint8 *build_matched;
    uint32 nbuild;
    ExprState *residual;
    /* probe */
    JoinPhase phase;
    Batch *probe;
    int probe_i, probe_n;
    bool started;
    uint32 cursor;
    uint32 gids[LM_BATCH_SIZE];
    uint8 left_matched[LM_BATCH_SIZE];
    uint16 pl[LM_BATCH_SIZE];
    uint32 pr[LM_BATCH_SIZE];
    uint16 sel[LM_BATCH_SIZE];
    uint32 right_pos; /* PH_RIGHT cursor */
    const LmType **pair_types;
    Vector *null_left, *null_right; /* all-NULL columns for outer rows */
    Batch out;
} JoinState;

static bool emits_pairs(JoinType t)
{
    return t == JOIN_INNER || t == JOIN_LEFT || t == JOIN_RIGHT || t == JOIN_FULL;
}

static void grow_u32(Arena *a, uint32 **arr, uint32 *cap, uint32 need, int fill)
{
    if (need <= *cap)
        return;
    uint32 ncap = *cap ? *cap : 1024;
    while (ncap < need)
        ncap *= 2;
    uint32 *n = arena_alloc(a, sizeof(uint32) * ncap);
    if (*arr)
        memcpy(n, *arr, sizeof(uint32) * *cap);
    memset(n + *cap, fill, sizeof(uint32) * (ncap - *cap));
    *arr = n;
    *cap = ncap;
}

static void join_build(Operator *op)
{
    JoinState *st = op->state;
    const PlanNode *p = op->plan;
    Arena *a = op_state_arena(op);
    int nk = st->hash ? p->nkeys : 0;
    const LmType **types = arena_new_array(a, const LmType *, st->nright + nk + 1);
    for (int i = 0; i < st->nright; i++)
        types[i] = p->right->cols[i].type;
    for (int k = 0; k < nk; k++)
        types[st->nright + k] = p->right_keys[k]->type;
    st->build = rowset_create(a, st->nright + nk, types);
    Batch wide = {0};
    wide.cols = arena_new_array(a, Vector, st->nright + nk + 1);
    wide.ncols = st->nright + nk;
    Vector *keys[64];
    uint32 ids[LM_BATCH_SIZE];
    uint32 heads_cap = 0, tails_cap = 0;
    for (;;) {
        ExecEvent ev = exec_next(op->children[1]);
        if (ev.kind == EXEC_END)
            break;
        if (ev.kind != EXEC_BATCH)
            continue;
        Batch *in = ev.batch;
        int n = batch_live_count(in);
        if (n == 0)
            continue;
        uint32 base = (uint32)st->build->nrows;
        memcpy(wide.cols, in->cols, sizeof(Vector) * (size_t)st->nright);
        for (int k = 0; k < nk; k++) {
            wide.cols[st->nright + k] = *expr_eval(st->rkeys[k], in);
            keys[k] = &wide.cols[st->nright + k];
        }
        wide.count = in->count;
        wide.sel = in->sel;
        wide.nsel = in->nsel;
        rowset_append(st->build, &wide);
        if (!st->hash)
            continue;
        hashtable_find_or_insert(st->ht, keys, &wide, ids);
        uint32 ng = hashtable_count(st->ht);
        grow_u32(a, &st->head, &heads_cap, ng, 0xff);
        grow_u32(a, &st->tail, &tails_cap, ng, 0xff);
        grow_u32(a, &st->next, &st->next_cap, base + (uint32)n, 0xff);
        for (int i = 0; i < n; i++) {
            uint32 g = ids[batch_row(in, i)];
            if (g == HT_NONE)
                continue;
            uint32 row = base + (uint32)i;
            if (st->head[g] == HT_NONE)
                st->head[g] = row;
            else
                st->next[st->tail[g]] = row;
            st->tail[g] = row;
        }
    }
    st->nbuild = (uint32)st->build->nrows;
    if (st->type == JOIN_RIGHT || st->type == JOIN_FULL)
        st->build_matched = arena_alloc0(a, st->nbuild ? st->nbuild : 1);
}

/* Starts probing a new left batch. */
static void start_probe(Operator *op, Batch *b)
{
    JoinState *st = op->state;
    const PlanNode *p = op->plan;
    st->probe = b;
    st->probe_i = 0;
    st->probe_n = batch_live_count(b);
    st->started = false;
    memset(st->left_matched, 0, (size_t)b->count);
    if (st->hash) {
        Vector *keys[64];
        for (int k = 0; k < p->nkeys; k++)
            keys[k] = expr_eval(st->lkeys[k], b);
        hashtable_probe(st->ht, keys, b, st->gids);
    }
    /* SEMI/ANTI without a residual condition: a candidate is a match, no pairs needed */
    if (!emits_pairs(st->type) && st->residual == NULL) {
        for (int i = 0; i < st->probe_n; i++) {
            int r = batch_row(b, i);
            st->left_matched[r] = st->hash ? st->gids[r] != HT_NONE : st->nbuild > 0;
        }
        st->probe_i = st->probe_n;
    }
}

/* Fills pl/pr with up to LM_BATCH_SIZE candidate pairs; returns how many. */
static int gen_pairs(JoinState *st)
{
    int np = 0;
    const Batch *b = st->probe;
    bool semi_like = !emits_pairs(st->type);
    while (np < LM_BATCH_SIZE && st->probe_i < st->probe_n) {
        int r = batch_row(b, st->probe_i);
        if (!st->started) {
            if (st->hash)
                st->cursor = st->gids[r] == HT_NONE ? HT_NONE : st->head[st->gids[r]];
            else
                st->cursor = st->nbuild > 0 ? 0 : HT_NONE;
            st->started = true;
        }
        if (semi_like && st->left_matched[r])
            st->cursor = HT_NONE;
        while (st->cursor != HT_NONE && np < LM_BATCH_SIZE) {
            st->pl[np] = (uint16)r;
            st->pr[np] = st->cursor;
            np++;
            if (st->hash)
                st->cursor = st->next[st->cursor];
            else
                st->cursor = st->cursor + 1 < st->nbuild ? st->cursor + 1 : HT_NONE;
        }
        if (st->cursor == HT_NONE) {
            st->probe_i++;
            st->started = false;
        }
    }
    return np;
}

static Batch *pair_batch(Operator *op, int np)
{
    JoinState *st = op->state;
    Batch *out =
        batch_create(op->batch_arena, st->nleft + st->nright, st->pair_types, LM_BATCH_SIZE);
    for (int c = 0; c < st->nleft; c++)
        vector_gather(&out->cols[c], NULL, &st->probe->cols[c], st->pl, np);
    for (int c = 0; c < st->nright; c++)
        rowset_gather(st->build, c, st->pr, np, &out->cols[st->nleft + c], NULL, 0);
    out->count = np;
    return out;
}

static ExecEvent join_next(Operator *op)
{
    JoinState *st = op->state;
    if (st->phase == PH_BUILD) {
        join_build(op);
        st->phase = PH_FETCH;
    }
    arena_reset(op->batch_arena);
    for (;;) {
        switch (st->phase) {
        case PH_BUILD:
            break;
        case PH_FETCH: {
            ExecEvent ev = exec_next(op->children[0]);
            if (ev.kind == EXEC_END) {
                st->phase = (st->type == JOIN_RIGHT || st->type == JOIN_FULL) ? PH_RIGHT : PH_DONE;
                continue;
            }
            if (ev.kind != EXEC_BATCH || batch_live_count(ev.batch) == 0)
                continue;
            start_probe(op, ev.batch);
            st->phase = PH_PAIRS;
            continue;
        }
        case PH_PAIRS: {
            int np = gen_pairs(st);
            if (np == 0) {
                st->phase = PH_LEFTOVER;
                continue;
            }
            Batch *pb = pair_batch(op, np);
            int n = np;
            if (st->residual) {
                n = expr_filter(st->residual, pb, st->sel);
                pb->sel = st->sel;
                pb->nsel = n;
            }
            for (int i = 0; i < n; i++) {
                int j = pb->sel ? pb->sel[i] : i;
                st->left_matched[st->pl[j]] = 1;
                if (st->build_matched)
                    st->build_matched[st->pr[j]] = 1;
            }
            if (emits_pairs(st->type) && n > 0)
                return exec_event_batch(pb);
            continue;
        }
        case PH_LEFTOVER: {
            st->phase = PH_FETCH;
            JoinType t = st->type;
            if (t == JOIN_INNER || t == JOIN_RIGHT)
                continue;
            bool want_matched = t == JOIN_SEMI;
            const Batch *b = st->probe;
            int n = 0;
            for (int i = 0; i < st->probe_n; i++) {
                int r = batch_row(b, i);
                if ((st->left_matched[r] != 0) == want_matched)
                    st->sel[n++] = (uint16)r;
            }
            if (n == 0)
                continue;
            Batch *out = &st->out;
            *out = *b;
            if (t == JOIN_LEFT || t == JOIN_FULL) {
                out->cols = arena_new_array(op->batch_arena, Vector, st->nleft + st->nright);
                memcpy(out->cols, b->cols, sizeof(Vector) * (size_t)st->nleft);
                memcpy(out->cols + st->nleft, st->null_right, sizeof(Vector) * (size_t)st->nright);
                out->ncols = st->nleft + st->nright;
            }
            out->sel = st->sel;
            out->nsel = n;
            return exec_event_batch(out);
        }
        case PH_RIGHT: {
            int n = 0;
            while (st->right_pos < st->nbuild && n < LM_BATCH_SIZE) {
                if (!st->build_matched[st->right_pos])
                    st->pr[n++] = st->right_pos;
                st->right_pos++;
            }
            if (n == 0) {
                st->phase = PH_DONE;
                continue;
            }
            Batch *out = batch_create(op->batch_arena, 0, NULL, 0);
            out->ncols = st->nleft + st->nright;
            out->cols = arena_new_array(op->batch_arena, Vector, out->ncols + 1);
            memcpy(out->cols, st->null_left, sizeof(Vector) * (size_t)st->nleft);
            for (int c = 0; c < st->nright; c++) {
                vector_init(&out->cols[st->nleft + c], op->batch_arena,
                            st->pair_types[st->nleft + c], LM_BATCH_SIZE);
                rowset_gather(st->build, c, st->pr, n, &out->cols[st->nleft + c], NULL, 0);
            }
            out->count = n;
            return exec_event_batch(out);
        }
        case PH_DONE:
            return exec_event_end();
        }
    }
}

static const OperatorOps hash_join_ops = {"HashJoin", NULL, join_next, NULL};
static const OperatorOps nested_loop_ops = {"NestedLoop", NULL, join_next, NULL};

static Vector *null_columns(Arena *a, const PlanNode *p)
{
    Vector *v = arena_new_array(a, Vector, p->ncols + 1);
    for (int i = 0; i < p->ncols; i++) {
        vector_init(&v[i], a, p->cols[i].type, LM_BATCH_SIZE);
        vector_set_all_null(&v[i]);
    }
    return v;
}

static void join_init(Operator *op, bool hash)
{
    Arena *a = op_state_arena(op);
    const PlanNode *p = op->plan;
    JoinState *st = arena_new(a, JoinState);
    op->state = st;
    op->ops = hash ? &hash_join_ops : &nested_loop_ops;
    st->hash = hash;
    st->type = p->join_type;
    st->nleft = p->left->ncols;
    st->nright = p->right->ncols;
    st->pair_types = arena_new_array(a, const LmType *, st->nleft + st->nright + 1);
    for (int i = 0; i < st->nleft; i++)
        st->pair_types[i] = p->left->cols[i].type;
    for (int i = 0; i < st->nright; i++)
        st->pair_types[st->nleft + i] = p->right->cols[i].type;
    const Expr *cond = hash ? p->residual : p->predicate;
    if (cond)
        st->residual = op_expr_init(op, cond);
    if (hash) {
        if (p->nkeys > 64)
            elog(ERROR, "hash join with %d keys", p->nkeys);
        st->lkeys = arena_new_array(a, ExprState *, p->nkeys);
        st->rkeys = arena_new_array(a, ExprState *, p->nkeys);
        const LmType **kt = arena_new_array(a, const LmType *, p->nkeys);
        for (int k = 0; k < p->nkeys; k++) {
            st->lkeys[k] = op_expr_init(op, p->left_keys[k]);
            st->rkeys[k] = op_expr_init(op, p->right_keys[k]);
            kt[k] = p->right_keys[k]->type;
        }
        st->ht = hashtable_create(a, p->nkeys, kt, false);
    }
    if (st->type == JOIN_LEFT || st->type == JOIN_FULL)
        st->null_right = null_columns(a, p->right);
    if (st->type == JOIN_RIGHT || st->type == JOIN_FULL)
        st->null_left = null_columns(a, p->left);
}

void op_hash_join_init(Operator *op)
{
    join_init(op, true);
}

void op_nested_loop_init(Operator *op)
{
    join_init(op, false);
}
