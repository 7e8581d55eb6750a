/*
 * sink_table.c: the plain-table sink (connector name "table") — a pipeline
 * whose target is a plain table.
 *
 * Semantics: with a primary key, rows are upserted by key — INSERT and
 * UPDATE_AFTER replace the row with that key (or insert it), DELETE removes
 * it, UPDATE_BEFORE removes it too unless a later UPDATE_AFTER (or INSERT)
 * of the same key in the epoch puts it back, which is the usual case.
 * Without a primary key every row is appended; changelog operations other
 * than INSERT are refused (0A000; planning refuses such pipelines first).
 *
 * Exactly-once: write() only stages rows in memory (copies of the live rows
 * in the epoch arena, with their storage keys); nothing touches the table.
 * Per key only the epoch's last operation matters, so a hash map from key to
 * the last staged row of that key collapses the changelog.  prepare() opens
 * a TableTxn, applies the surviving operations (a blind delete of each key,
 * then an insert of each surviving upsert: no reads of committed rows), hands
 * the writes to the checkpoint's StorageBatch with table_txn_write_into and
 * ends the transaction at once.  So the rows become visible exactly when the
 * checkpoint's atomic write commits, and after a crash nothing of an
 * uncommitted epoch exists (it only ever lived in memory).
 *
 * Locks: the table's write lock (storage/table.c: held by a TableTxn until
 * commit/abort) is taken inside prepare() and released before prepare()
 * returns — never across an epoch — so parallel subtasks writing the same
 * table, or a checkpoint waiting for all of them, cannot deadlock on it.
 * Without locks held, a concurrent session's transaction on the table can
 * interleave with the checkpoint write; both are writes by primary key (or
 * fresh hidden row ids), so the later commit wins per key and no duplicate
 * key can arise.  prepare() waits while a user transaction holds the lock.
 */
#include "connectors/builtin.h"
#include "common/error.h"
#include "storage/table.h"

#include <string.h>

typedef struct Staged Staged;
struct Staged {
    Batch *rows;  /* copies of the staged rows (table columns) */
    Vector keys;  /* BINARY storage keys (tables with a primary key) */
    uint8 ops[LM_BATCH_SIZE];   /* ROW_* */
    uint8 final[LM_BATCH_SIZE]; /* last operation of its key in the epoch (set in prepare) */
    Staged *next;
};

typedef struct Slot {
    uint64 hash; /* 0: empty */
    Staged *s;
    int row;
} Slot;

typedef struct TableSink {
    const CatTable *t;
    Storage *storage;
    const LmType **types;
    Arena *epoch; /* staged rows; reset after each prepare */
    Staged *head, *tail;
    Slot *slots; /* open addressing, in the epoch arena */
    int64 nslots, used;
    int64 staged_rows;
    int64 written_rows; /* rows handed to checkpoints */
    StrBuf key;         /* scratch, heap */
} TableSink;

static uint64 hash_bytes(const char *p, size_t n)
{
    uint64 h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8)p[i]) * 0x100000001b3ULL;
    h ^= h >> 29;
    return h ? h : 1;
}

static void *table_open(ConnectorContext *cc, int64 last_committed)
{
    (void)last_committed; /* nothing of a later epoch ever reached storage */
    const CatTable *t = cc->table;
    TableSink *s = arena_new(cc->arena, TableSink);
    s->t = t;
    s->storage = cc->storage;
    s->types = arena_alloc(cc->arena, sizeof(LmType *) * (size_t)(t->ncolumns ? t->ncolumns : 1));
    for (int c = 0; c < t->ncolumns; c++) {
        s->types[c] = t->columns[c].type;
        if (type_is_nested(t->columns[c].type) || type_physical_size(t->columns[c].type) == 0)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("pipelines cannot write column \"%s\" of table \"%s\" yet",
                           t->columns[c].name, t->name),
                    errdetail("Columns of nested types (arrays, maps, structs) are not supported "
                              "in pipeline targets."));
    }
    s->epoch = arena_create("table sink epoch", cc->arena);
    strbuf_init(&s->key, NULL);
    return s;
}

static Staged *staged_new(TableSink *s)
{
    Staged *st = arena_alloc0(s->epoch, sizeof(Staged));
    st->rows = batch_create(s->epoch, s->t->ncolumns, s->types, LM_BATCH_SIZE);
    if (s->t->nprimary_key > 0)
        vector_init(&st->keys, s->epoch, type_binary(), LM_BATCH_SIZE);
    if (s->tail)
        s->tail->next = st;
    else
        s->head = st;
    s->tail = st;
    return st;
}

/* Copies one value (scalar types; var-width bytes into the epoch arena). */
static void copy_value(TableSink *s, Vector *dst, int drow, const Vector *src, int srow)
{
    if (!vector_is_valid(src, srow)) {
        vector_set_null(dst, drow);
        return;
    }
    size_t w = type_physical_size(dst->type);
    if (dst->type->id == TYPE_STRING || dst->type->id == TYPE_BINARY ||
        dst->type->id == TYPE_JSON) {
        const StrView *v = &((const StrView *)src->data)[srow];
        StrView *d = &((StrView *)dst->data)[drow];
        d->len = v->len;
        d->reserved = 0;
        d->ptr = v->len ? arena_memdup(s->epoch, v->ptr, v->len) : "";
    } else {
        memcpy((char *)dst->data + w * (size_t)drow, (const char *)src->data + w * (size_t)srow,
               w);
    }
}

static void map_grow(TableSink *s)
{
    int64 n = s->nslots ? s->nslots * 2 : 4096;
    Slot *old = s->slots;
    int64 oldn = s->nslots;
    s->slots = arena_alloc0(s->epoch, sizeof(Slot) * (size_t)n);
    s->nslots = n;
    for (int64 i = 0; i < oldn; i++) {
        if (old[i].hash == 0)
            continue;
        int64 j = (int64)(old[i].hash & (uint64)(n - 1));
        while (s->slots[j].hash)
            j = (j + 1) & (n - 1);
        s->slots[j] = old[i];
    }
}

static bool same_key(const Slot *sl, const StrView *k)
{
    const StrView *o = &((const StrView *)sl->s->keys.data)[sl->row];
    return o->len == k->len && memcmp(o->ptr, k->ptr, k->len) == 0;
}

/* Makes (st, row) the last staged operation of its key. */
static void map_put(TableSink *s, Staged *st, int row)
{
    if ((s->used + 1) * 2 > s->nslots)
        map_grow(s);
    const StrView *k = &((const StrView *)st->keys.data)[row];
    uint64 h = hash_bytes(k->ptr, k->len);
    int64 j = (int64)(h & (uint64)(s->nslots - 1));
    while (s->slots[j].hash) {
        if (s->slots[j].hash == h && same_key(&s->slots[j], k)) {
            s->slots[j].s = st;
            s->slots[j].row = row;
            return;
        }
        j = (j + 1) & (s->nslots - 1);
    }
    s->slots[j].hash = h;
    s->slots[j].s = st;
    s->slots[j].row = row;
    s->used++;
}

static void table_write(void *state, const Batch *b)
{
    TableSink *s = state;
    const CatTable *t = s->t;
    int n = batch_live_count(b);

    if (n == 0)
        return;
    if (b->ncols < t->ncolumns)
        elog(ERROR, "batch for table \"%s\" has %d columns, expected %d", t->name, b->ncols,
             t->ncolumns);
    for (int i = 0; i < n; i++) {
        int r = batch_row(b, i);
        uint8 op = b->ops ? b->ops[r] : ROW_INSERT;
        if (t->nprimary_key == 0 && op != ROW_INSERT)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("cannot apply updates or deletes to table \"%s\" without a primary key",
                           t->name),
                    errhint("Declare a primary key on the target table to receive a changelog."));
        Staged *st = s->tail;
        if (st == NULL || st->rows->count == LM_BATCH_SIZE)
            st = staged_new(s);
        int d = st->rows->count;
        for (int c = 0; c < t->ncolumns; c++)
            copy_value(s, &st->rows->cols[c], d, &b->cols[c], r);
        st->ops[d] = op;
        st->rows->count = d + 1;
        if (t->nprimary_key > 0) {
            strbuf_reset(&s->key);
            table_pk_rowkey(t, st->rows, d, &s->key);
            StrView *k = &((StrView *)st->keys.data)[d];
            k->len = (uint32)s->key.len;
            k->reserved = 0;
            k->ptr = arena_memdup(s->epoch, s->key.data, s->key.len);
            map_put(s, st, d);
        }
        s->staged_rows++;
    }
}

/* Applies the staged operations to txn. */
static void apply_staged(TableSink *s, TableTxn *txn)
{
    const CatTable *t = s->t;
    uint16 all[LM_BATCH_SIZE], up[LM_BATCH_SIZE];

    if (t->nprimary_key > 0)
        for (int64 i = 0; i < s->nslots; i++)
            if (s->slots[i].hash)
                s->slots[i].s->final[s->slots[i].row] = 1;
    for (Staged *st = s->head; st; st = st->next) {
        Batch view = *st->rows;
        if (t->nprimary_key == 0) {
            view.sel = NULL;
            table_insert(txn, t, &view, CONFLICT_ERROR, NULL, NULL);
            continue;
        }
        int nall = 0, nup = 0;
        for (int r = 0; r < st->rows->count; r++) {
            if (!st->final[r])
                continue;
            all[nall++] = (uint16)r;
            if (st->ops[r] == ROW_INSERT || st->ops[r] == ROW_UPDATE_AFTER)
                up[nup++] = (uint16)r;
        }
        if (nall == 0)
            continue;
        view.sel = all;
        view.nsel = nall;
        table_delete(txn, t, &st->keys, &view);
        if (nup == 0)
            continue;
        view.sel = up;
        view.nsel = nup;
        table_insert(txn, t, &view, CONFLICT_ERROR, NULL, NULL);
    }
}

static void table_prepare(void *state, int64 checkpoint_id, StorageBatch *cp)
{
    TableSink *s = state;
    TableTxn *volatile txn = NULL;

    (void)checkpoint_id;
    if (s->head == NULL)
        return;
    LM_TRY();
    {
        txn = table_txn_begin(s->storage);
        apply_staged(s, txn);
        table_txn_write_into(txn, cp);
    }
    LM_CATCH();
    {
        table_txn_abort(txn);
        error_rethrow();
    }
    LM_END_TRY();
    /* The writes are in cp now; ending the transaction only releases its lock and memory. */
    table_txn_abort(txn);
    s->written_rows += s->staged_rows;
    s->staged_rows = 0;
    s->head = s->tail = NULL;
    s->slots = NULL;
    s->nslots = s->used = 0;
    arena_reset(s->epoch);
}

static void table_commit(void *state, int64 checkpoint_id)
{
    (void)state;
    (void)checkpoint_id; /* visible as soon as the checkpoint's batch committed */
}

static void table_close(void *state)
{
    TableSink *s = state;
    strbuf_free(&s->key);
    arena_destroy(s->epoch);
    s->epoch = NULL;
}

const SinkOps table_sink_ops = {
    .open = table_open,
    .write = table_write,
    .prepare = table_prepare,
    .commit = table_commit,
    .close = table_close,
};
