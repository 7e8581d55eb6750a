/*
 * op_modify.c: PLAN_INSERT, PLAN_UPDATE and PLAN_DELETE on plain tables,
 * through storage/table.h in the context's transaction (ctx->txn).
 *
 * INSERT: each child batch becomes a batch of full table rows in table order
 * (child columns mapped through target_cols, vectors shared, not copied;
 * columns not targeted are NULL — the binder supplies DEFAULT expressions,
 * an unbound default here is an error) and goes to table_insert.  ON
 * CONFLICT DO NOTHING skips conflicting rows; DO UPDATE receives the
 * existing rows back, evaluates conflict_set_exprs (and conflict_where) over
 * existing ++ excluded rows and applies them with table_update.  As in
 * PostgreSQL, DO UPDATE may not affect one row twice in a statement (21000):
 * the storage keys of the rows this statement inserted or updated are kept in
 * a hash table (`touched`, statement lifetime), and a conflict with one of
 * them — or two updates of one row in a batch — is the error.
 * UPDATE: the child yields the old row (all target columns), its row key,
 * then FROM columns; the new row is the old row with set_cols replaced by
 * set_exprs evaluated over the child row.  DELETE: the child yields the row
 * and its key; table_delete removes it.
 *
 * The number of rows inserted/updated/deleted goes to ctx->rows_affected.
 * RETURNING expressions (over the target's full row) are evaluated per batch
 * into a small queue the operator drains before pulling more input; without
 * RETURNING the operator consumes its whole input in the first next() and
 * returns END.
 */
#include "executor/hashtable.h"
#include "executor/operator.h"
#include "planner/relation.h"
#include "storage/table.h"

typedef struct ModifyState {
    const Relation *rel;
    const CatTable *table;
    int ncols;                 /* table columns */
    const LmType **row_types;  /* table columns */
    const LmType **conf_types; /* table columns + rowkey */
    ExprState **returning;
    ExprState **sets; /* UPDATE set_exprs / INSERT conflict_set_exprs */
    ExprState *conflict_where;
    int *child_of_col; /* INSERT: child column feeding table column c, -1: none */
    Vector *nulls;     /* INSERT: all-NULL columns for untargeted columns */
    const LmType **ret_types;
    HashTable *touched; /* INSERT ... DO UPDATE: storage keys inserted or updated so far */
    /* RETURNING queue */
    Arena *queue_arena;
    RowSet *queue;
    int queue_pos;
    bool done;
    uint8 outcome[LM_BATCH_SIZE];
    uint16 sel[LM_BATCH_SIZE];
} ModifyState;

static TableTxn *need_txn(Operator *op)
{
    if (op->ctx->txn == NULL)
        elog(ERROR, "data modification without a transaction");
    return op->ctx->txn;
}

/* Whether a value of type from must be cast to be stored as type to (VARCHAR(n) lengths and
 * DECIMAL scales are enforced; presentation-only differences such as name vs text are not). */
static bool needs_cast(const LmType *from, const LmType *to)
{
    if (from->id != to->id)
        return true;
    if (to->id == TYPE_DECIMAL)
        return from->scale != to->scale || from->precision > to->precision;
    if (to->id == TYPE_STRING)
        return to->precision >= 0 && (from->precision < 0 || from->precision > to->precision);
    if (type_is_nested(to))
        return !type_equal(from, to);
    return false;
}

/* Casts v to type t when the binder left a different type (defensive; normally equal). */
static Vector *coerce(Operator *op, Vector *v, const LmType *t, const Batch *b)
{
    if (!needs_cast(v->type, t))
        return v;
    Vector *c = arena_new(op->batch_arena, Vector);
    vector_init(c, op->batch_arena, t, b->count > 0 ? b->count : 1);
    cast_vector(op->ctx, v, b, c, -1);
    return c;
}

/* Appends RETURNING rows of b (full target rows) to the queue. */
static void queue_returning(Operator *op, const Batch *b)
{
    ModifyState *st = op->state;
    const PlanNode *p = op->plan;
    if (p->nreturning == 0 || batch_live_count(b) == 0)
        return;
    if (st->queue == NULL)
        st->queue = rowset_create(st->queue_arena, p->nreturning, st->ret_types);
    Batch out = *b;
    Vector cols[p->nreturning];
    for (int i = 0; i < p->nreturning; i++)
        cols[i] = *expr_eval(st->returning[i], b);
    out.cols = cols;
    out.ncols = p->nreturning;
    rowset_append(st->queue, &out);
}

/* Next queued RETURNING batch, or NULL (queue reset when drained). */
static Batch *drain_queue(ModifyState *st)
{
    if (st->queue == NULL)
        return NULL;
    if (st->queue_pos < st->queue->nbatches)
        return st->queue->batches[st->queue_pos++];
    arena_reset(st->queue_arena);
    st->queue = NULL;
    st->queue_pos = 0;
    return NULL;
}

/* ---- INSERT ---- */

static void raise_second_time(void)
{
    ereport(ERROR, errcode(ERRCODE_CARDINALITY_VIOLATION),
            errmsg("ON CONFLICT DO UPDATE command cannot affect row a second time"),
            errhint("Ensure that no rows proposed for insertion within the same command have "
                    "duplicate constrained values."));
}

/* Adds the storage keys of the live rows of rows (full table rows) to st->touched; returns
 * how many of them were new. */
static uint32 touch_rows(Operator *op, const Batch *rows)
{
    ModifyState *st = op->state;
    int live = batch_live_count(rows);
    if (live == 0)
        return 0;
    Vector *keys = arena_new(op->batch_arena, Vector);
    vector_init(keys, op->batch_arena, type_binary(), LM_BATCH_SIZE);
    StrBuf key;
    strbuf_init(&key, op->batch_arena);
    for (int i = 0; i < live; i++) {
        int r = batch_row(rows, i);
        strbuf_reset(&key);
        table_pk_rowkey(st->table, rows, r, &key);
        vector_set_str(keys, op->batch_arena, r, key.data, key.len);
    }
    uint32 ids[LM_BATCH_SIZE];
    uint32 before = hashtable_count(st->touched);
    hashtable_find_or_insert(st->touched, &keys, rows, ids);
    return hashtable_count(st->touched) - before;
}

/* Applies DO UPDATE to the conflicting rows; returns the new rows (live: the updated ones,
 * row i = i-th conflict) or NULL when none was updated. */
static Batch *insert_conflicts(Operator *op, const Batch *full, Batch *conf)
{
    ModifyState *st = op->state;
    const PlanNode *p = op->plan;
    int k = conf->count;
    if (k == 0)
        return NULL;
    /* excluded rows: the input rows whose outcome was 2, in order */
    uint16 rows[LM_BATCH_SIZE];
    int n = 0, live = batch_live_count(full);
    for (int i = 0; i < live; i++)
        if (st->outcome[i] == 2)
            rows[n++] = (uint16)batch_row(full, i);
    LM_ASSERT(n == k);
    Batch *both = batch_create(op->batch_arena, 0, NULL, 0);
    both->ncols = 2 * st->ncols;
    both->cols = arena_new_array(op->batch_arena, Vector, both->ncols);
    memcpy(both->cols, conf->cols, sizeof(Vector) * (size_t)st->ncols);
    for (int c = 0; c < st->ncols; c++) {
        vector_init(&both->cols[st->ncols + c], op->batch_arena, st->row_types[c], LM_BATCH_SIZE);
        vector_gather(&both->cols[st->ncols + c], NULL, &full->cols[c], rows, k);
    }
    both->count = k;
    /* a conflict with a row this statement inserted or updated (PostgreSQL sees the row as
     * created by the current command, whether or not the WHERE would pass it) */
    uint32 ids[LM_BATCH_SIZE];
    Vector *confkey = &conf->cols[st->ncols];
    hashtable_probe(st->touched, &confkey, conf, ids);
    for (int i = 0; i < k; i++)
        if (ids[i] != HT_NONE)
            raise_second_time();
    if (st->conflict_where) {
        int m = expr_filter(st->conflict_where, both, st->sel);
        if (m == 0)
            return NULL;
        both->sel = st->sel;
        both->nsel = m;
    }
    Batch *newrows = batch_create(op->batch_arena, 0, NULL, 0);
    newrows->ncols = st->ncols;
    newrows->cols = arena_new_array(op->batch_arena, Vector, st->ncols);
    memcpy(newrows->cols, conf->cols, sizeof(Vector) * (size_t)st->ncols);
    Vector *vals[p->nconflict_set > 0 ? p->nconflict_set : 1];
    for (int i = 0; i < p->nconflict_set; i++)
        vals[i] =
            coerce(op, expr_eval(st->sets[i], both), st->row_types[p->conflict_set_cols[i]], both);
    for (int i = 0; i < p->nconflict_set; i++)
        newrows->cols[p->conflict_set_cols[i]] = *vals[i];
    newrows->count = k;
    newrows->sel = both->sel;
    newrows->nsel = both->nsel;
    /* two updated rows of this batch conflicting with one existing row */
    Batch oldkeys = *newrows;
    oldkeys.ncols = 1;
    oldkeys.cols = confkey;
    uint32 before = hashtable_count(st->touched);
    hashtable_find_or_insert(st->touched, &confkey, &oldkeys, ids);
    if (hashtable_count(st->touched) - before != (uint32)batch_live_count(newrows))
        raise_second_time();
    (void)touch_rows(op, newrows); /* keys after the update (a changed primary key) */
    table_update(need_txn(op), st->table, &conf->cols[st->ncols], newrows);
    op->ctx->rows_affected += batch_live_count(newrows);
    return newrows;
}

/* RETURNING of an upsert batch in input order: inserted rows from full, updated rows from
 * newrows (PostgreSQL processes the rows one by one). */
static void queue_upsert_returning(Operator *op, const Batch *full, const Batch *newrows)
{
    ModifyState *st = op->state;
    uint8 updated[LM_BATCH_SIZE];
    memset(updated, 0, sizeof updated);
    if (newrows)
        for (int i = 0; i < batch_live_count(newrows); i++)
            updated[batch_row(newrows, i)] = 1;
    Batch *comb = batch_create(op->batch_arena, st->ncols, st->row_types, LM_BATCH_SIZE);
    int m = 0, ci = 0, live = batch_live_count(full);
    for (int i = 0; i < live; i++) {
        const Batch *src = NULL;
        int r = 0;
        if (st->outcome[i] == 1) {
            src = full;
            r = batch_row(full, i);
        } else if (st->outcome[i] == 2) {
            if (updated[ci]) {
                src = newrows;
                r = ci;
            }
            ci++;
        }
        if (src == NULL)
            continue;
        for (int c = 0; c < st->ncols; c++)
            vector_copy_value(&comb->cols[c], op->batch_arena, m, &src->cols[c], r);
        m++;
    }
    comb->count = m;
    queue_returning(op, comb);
}

static void insert_batch(Operator *op, Batch *in)
{
    ModifyState *st = op->state;
    const PlanNode *p = op->plan;
    Batch full = *in;
    full.ncols = st->ncols;
    full.cols = arena_new_array(op->batch_arena, Vector, st->ncols);
    for (int c = 0; c < st->ncols; c++) {
        int j = st->child_of_col[c];
        full.cols[c] = j >= 0 ? *coerce(op, &in->cols[j], st->row_types[c], in) : st->nulls[c];
    }
    ConflictAction action = p->on_conflict == 1   ? CONFLICT_NOTHING
                            : p->on_conflict == 2 ? CONFLICT_UPDATE
                                                  : CONFLICT_ERROR;
    Batch *conf = NULL;
    if (action == CONFLICT_UPDATE) {
        conf = batch_create(op->batch_arena, st->ncols + 1, st->conf_types, LM_BATCH_SIZE);
        conf->count = 0;
    }
    int live = batch_live_count(&full);
    memset(st->outcome, 1, (size_t)live);
    table_insert(need_txn(op), st->table, &full, action, st->outcome, conf);
    int n = 0;
    for (int i = 0; i < live; i++)
        if (st->outcome[i] == 1)
            st->sel[n++] = (uint16)batch_row(&full, i);
    op->ctx->rows_affected += n;
    if (conf) {
        if (n > 0) {
            Batch ins = full;
            ins.sel = st->sel;
            ins.nsel = n;
            (void)touch_rows(op, &ins);
        }
        Batch *newrows = insert_conflicts(op, &full, conf);
        if (p->nreturning > 0)
            queue_upsert_returning(op, &full, newrows);
    } else if (p->nreturning > 0 && n > 0) {
        Batch ins = full;
        ins.sel = st->sel;
        ins.nsel = n;
        queue_returning(op, &ins);
    }
}

/* ---- UPDATE / DELETE ---- */

static void update_batch(Operator *op, Batch *in)
{
    ModifyState *st = op->state;
    const PlanNode *p = op->plan;
    if (in->ncols <= st->ncols)
        elog(ERROR, "UPDATE input has no row key column");
    Batch newrows = *in;
    newrows.ncols = st->ncols;
    newrows.cols = arena_new_array(op->batch_arena, Vector, st->ncols);
    memcpy(newrows.cols, in->cols, sizeof(Vector) * (size_t)st->ncols);
    Vector *vals[p->nset > 0 ? p->nset : 1];
    for (int i = 0; i < p->nset; i++)
        vals[i] = coerce(op, expr_eval(st->sets[i], in), st->row_types[p->set_cols[i]], in);
    for (int i = 0; i < p->nset; i++)
        newrows.cols[p->set_cols[i]] = *vals[i];
    table_update(need_txn(op), st->table, &in->cols[st->ncols], &newrows);
    op->ctx->rows_affected += batch_live_count(in);
    queue_returning(op, &newrows);
}

static void delete_batch(Operator *op, Batch *in)
{
    ModifyState *st = op->state;
    if (in->ncols <= st->ncols)
        elog(ERROR, "DELETE input has no row key column");
    table_delete(need_txn(op), st->table, &in->cols[st->ncols], in);
    op->ctx->rows_affected += batch_live_count(in);
    queue_returning(op, in);
}

static void modify_open(Operator *op)
{
    op->ctx->rows_affected = 0;
}

static ExecEvent modify_next(Operator *op)
{
    ModifyState *st = op->state;
    const PlanNode *p = op->plan;
    for (;;) {
        Batch *q = drain_queue(st);
        if (q)
            return exec_event_batch(q);
        if (st->done)
            return exec_event_end();
        arena_reset(op->batch_arena);
        ExecEvent ev = exec_next(op->children[0]);
        if (ev.kind == EXEC_END) {
            st->done = true;
            continue;
        }
        if (ev.kind != EXEC_BATCH || batch_live_count(ev.batch) == 0)
            continue;
        switch (p->kind) {
        case PLAN_INSERT:
            insert_batch(op, ev.batch);
            break;
        case PLAN_UPDATE:
            update_batch(op, ev.batch);
            break;
        case PLAN_DELETE:
            delete_batch(op, ev.batch);
            break;
        default:
            elog(ERROR, "unrecognized plan node type %d", (int)p->kind);
        }
    }
}

static const OperatorOps insert_ops = {"Insert", modify_open, modify_next, NULL};
static const OperatorOps update_ops = {"Update", modify_open, modify_next, NULL};
static const OperatorOps delete_ops = {"Delete", modify_open, modify_next, NULL};

static ModifyState *modify_init(Operator *op)
{
    Arena *a = op_state_arena(op);
    const PlanNode *p = op->plan;
    ModifyState *st = arena_new(a, ModifyState);
    op->state = st;
    st->rel = p->target;
    if (st->rel == NULL || st->rel->kind != REL_PLAIN || st->rel->table == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("cannot change relation \"%s\"", st->rel ? st->rel->name : "?"));
    st->table = st->rel->table;
    st->ncols = st->rel->ncols;
    st->row_types = arena_new_array(a, const LmType *, st->ncols + 1);
    for (int c = 0; c < st->ncols; c++)
        st->row_types[c] = st->rel->cols[c].type;
    st->conf_types = arena_new_array(a, const LmType *, st->ncols + 1);
    memcpy(st->conf_types, st->row_types, sizeof(LmType *) * (size_t)st->ncols);
    st->conf_types[st->ncols] = type_binary();
    st->returning = arena_new_array(a, ExprState *, p->nreturning + 1);
    st->ret_types = arena_new_array(a, const LmType *, p->nreturning + 1);
    for (int i = 0; i < p->nreturning; i++) {
        st->returning[i] = op_expr_init(op, p->returning[i]);
        st->ret_types[i] = p->returning[i]->type;
    }
    st->queue_arena = arena_create("returning", a);
    return st;
}

void op_insert_init(Operator *op)
{
    ModifyState *st = modify_init(op);
    const PlanNode *p = op->plan;
    Arena *a = op_state_arena(op);
    op->ops = &insert_ops;
    st->child_of_col = arena_new_array(a, int, st->ncols + 1);
    for (int c = 0; c < st->ncols; c++)
        st->child_of_col[c] = -1;
    int nchild = p->left->ncols;
    if (p->target_cols == NULL || p->ntarget_cols == 0) {
        if (nchild > st->ncols)
            ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("INSERT has more expressions than target columns"));
        for (int j = 0; j < nchild; j++)
            st->child_of_col[j] = j;
    } else {
        for (int j = 0; j < p->ntarget_cols && j < nchild; j++)
            st->child_of_col[p->target_cols[j]] = j;
    }
    st->nulls = arena_new_array(a, Vector, st->ncols + 1);
    for (int c = 0; c < st->ncols; c++) {
        if (st->child_of_col[c] >= 0)
            continue;
        if (st->rel->cols[c].default_expr != NULL)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("default value of column \"%s\" was not supplied by the planner",
                           st->rel->cols[c].name));
        vector_init(&st->nulls[c], a, st->row_types[c], LM_BATCH_SIZE);
        vector_set_all_null(&st->nulls[c]);
    }
    if (p->on_conflict == 2) {
        st->sets = arena_new_array(a, ExprState *, p->nconflict_set + 1);
        for (int i = 0; i < p->nconflict_set; i++)
            st->sets[i] = op_expr_init(op, p->conflict_set_exprs[i]);
        if (p->conflict_where)
            st->conflict_where = op_expr_init(op, p->conflict_where);
        const LmType *bin = type_binary();
        st->touched = hashtable_create(a, 1, &bin, true);
    }
}

void op_update_init(Operator *op)
{
    ModifyState *st = modify_init(op);
    const PlanNode *p = op->plan;
    op->ops = &update_ops;
    st->sets = arena_new_array(op_state_arena(op), ExprState *, p->nset + 1);
    for (int i = 0; i < p->nset; i++)
        st->sets[i] = op_expr_init(op, p->set_exprs[i]);
}

void op_delete_init(Operator *op)
{
    modify_init(op);
    op->ops = &delete_ops;
}
