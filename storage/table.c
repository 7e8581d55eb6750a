/*
 * table.c: plain-table transactions, scans and DML over RocksDB.
 *
 * A TableTxn is an Overlay (table_overlay.c: the transaction's own writes,
 * versioned by sequence number) over the committed rows in the `tables`
 * column family.  Reads merge the two in key order; commit turns the newest
 * surviving version of every key into one synced StorageBatch, so a crash
 * leaves all of a transaction or nothing.  Row and key layout: table_codec.c.
 *
 * Isolation: read committed.  A scan reads RocksDB's latest committed state
 * at its start (a RocksDB iterator is a consistent view) plus the writes the
 * transaction had made before the scan opened; writes made while a scan runs
 * (UPDATE writing rows it is scanning) are not seen by that scan.
 *
 * TRUNCATE records a truncation point (a sequence number) per table: at and
 * after it, committed rows and the transaction's earlier writes to the table
 * are hidden; commit issues one range deletion over the table's key prefix
 * before the surviving writes.  So a truncate is O(1) however big the table.
 *
 * Concurrency: primary-key uniqueness across sessions holds because a
 * transaction takes an exclusive per-table write lock at its first write to
 * a table and keeps it until commit or abort; uniqueness is checked while
 * holding it, against the latest committed rows.  Readers never take locks
 * and never wait.  A writer that finds the lock held waits (polling the
 * cancel flag every 50 ms, so a cancel request ends the wait with 57014).
 * Before it waits it follows the wait-for chain (owner -> the lock that
 * owner waits for -> its owner ...); if the chain comes back to itself it
 * raises 40P01 deadlock_detected instead of waiting, so two sessions writing
 * tables a and b in opposite orders do not hang.  Known limit: the lock is
 * per table, not per row, so two transactions writing one table serialise
 * (the second waits for the first's COMMIT).
 *
 * Hidden row ids of tables without a primary key come from a per-table
 * counter kept in memory and reserved in blocks of ROWID_BLOCK in the `meta`
 * family (key "rowid/" + OID) with a synced write before any id of the block
 * is handed out; after a restart counting resumes after the last reserved
 * block, so ids are never reused.
 *
 * The lock table and counters are per Storage (storage_attachment).
 */
#include "storage/table_int.h"
#include "common/error.h"

#include <errno.h>
#include <mimalloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define ROWID_BLOCK 4096
#define LOCK_POLL_MS 50
#define ESTIMATE_SAMPLE_ROWS 10000

/* ---------- per-Storage shared state ---------- */

typedef struct TableLock {
    Oid oid;
    TableTxn *owner;
} TableLock;

typedef struct RowIdCounter {
    Oid oid;
    uint64 next;
    uint64 limit; /* reserved (persisted) up to, exclusive */
} RowIdCounter;

typedef struct TableShared {
    pthread_mutex_t mutex;
    pthread_cond_t released;
    TableLock *locks;
    int nlocks, caplocks;
    RowIdCounter *counters;
    int ncounters, capcounters;
} TableShared;

static void *shared_create(Storage *st)
{
    (void)st;
    TableShared *sh = lm_calloc(1, sizeof(TableShared));
    pthread_mutex_init(&sh->mutex, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&sh->released, &attr);
    pthread_condattr_destroy(&attr);
    return sh;
}

static void shared_free(void *p)
{
    TableShared *sh = p;
    pthread_mutex_destroy(&sh->mutex);
    pthread_cond_destroy(&sh->released);
    lm_free(sh->locks);
    lm_free(sh->counters);
    lm_free(sh);
}

static TableShared *shared_of(Storage *st)
{
    return storage_attachment(st, shared_create, shared_free);
}

/* ---------- transactions ---------- */

typedef struct Truncation {
    Oid oid;
    uint64 seq; /* writes to the table with a smaller seq (and committed rows) are hidden */
} Truncation;

struct TableTxn {
    Storage *st;
    TableShared *shared;
    Overlay *ov;
    Truncation *truncs;
    int ntruncs, captruncs;
    Oid *held; /* table write locks held */
    int nheld, capheld;
    Oid waiting_for; /* under shared->mutex: the lock this transaction waits for (0: none) */
    uint64 *marks;   /* savepoint stack: overlay seq at each savepoint */
    int nmarks, capmarks;
    atomic_bool *cancel;
    int failed_row; /* live row index at which the last insert/update raised, or -1 */
    StrBuf key;     /* scratch, heap */
    StrBuf value;   /* scratch, heap */
    Arena *scratch;
};

struct TableScan {
    TableTxn *txn;
    const CatTable *t;
    int ncols;
    int *cols;
    bool want_rowkey;
    char prefix[TABLE_KEY_PREFIX_LEN];
    uint64 snapshot;
    uint64 trunc_seq;       /* 0: not truncated at snapshot */
    StorageIter *base;      /* NULL when truncated */
    const OverlayEntry *ov; /* next overlay entry (any version) */
    bool done;
};

static void grow_array(void **arr, int *cap, int n, size_t elem)
{
    if (n < *cap)
        return;
    int newcap = *cap ? *cap * 2 : 8;
    *arr = lm_realloc(*arr, elem * (size_t)newcap);
    *cap = newcap;
}

TableTxn *table_txn_begin(Storage *st)
{
    TableTxn *txn = lm_calloc(1, sizeof(TableTxn));
    txn->st = st;
    txn->shared = shared_of(st);
    txn->ov = overlay_create();
    strbuf_init(&txn->key, NULL);
    strbuf_init(&txn->value, NULL);
    txn->scratch = arena_create("table transaction scratch", NULL);
    txn->failed_row = -1;
    return txn;
}

void table_txn_set_cancel(TableTxn *txn, atomic_bool *cancel_requested)
{
    txn->cancel = cancel_requested;
}

static void release_locks(TableTxn *txn)
{
    TableShared *sh = txn->shared;
    if (txn->nheld == 0)
        return;
    pthread_mutex_lock(&sh->mutex);
    for (int i = 0; i < sh->nlocks;) {
        if (sh->locks[i].owner == txn) {
            sh->locks[i] = sh->locks[--sh->nlocks];
            continue;
        }
        i++;
    }
    pthread_cond_broadcast(&sh->released);
    pthread_mutex_unlock(&sh->mutex);
    txn->nheld = 0;
}

static void txn_free(TableTxn *txn)
{
    release_locks(txn);
    overlay_destroy(txn->ov);
    strbuf_free(&txn->key);
    strbuf_free(&txn->value);
    arena_destroy(txn->scratch);
    lm_free(txn->truncs);
    lm_free(txn->held);
    lm_free(txn->marks);
    lm_free(txn);
}

void table_txn_abort(TableTxn *txn)
{
    if (txn)
        txn_free(txn);
}

bool table_txn_has_writes(const TableTxn *txn)
{
    return txn && (overlay_count(txn->ov) > 0 || txn->ntruncs > 0);
}

/* The latest truncation of oid visible at snapshot, or 0. */
static uint64 truncation_at(const TableTxn *txn, Oid oid, uint64 snapshot)
{
    uint64 best = 0;
    for (int i = 0; i < txn->ntruncs; i++)
        if (txn->truncs[i].oid == oid && txn->truncs[i].seq <= snapshot &&
            txn->truncs[i].seq > best)
            best = txn->truncs[i].seq;
    return best;
}

static Oid key_oid(const char *key)
{
    return storage_key_get_u32(key + 1);
}

static void prefix_bounds(Oid oid, char *from, char *to, size_t *tolen)
{
    table_key_prefix(from, oid);
    if (oid == 0xFFFFFFFFu) {
        to[0] = TABLE_KEY_TAG + 1;
        *tolen = 1;
    } else {
        table_key_prefix(to, oid + 1);
        *tolen = TABLE_KEY_PREFIX_LEN;
    }
}

void table_txn_write_into(TableTxn *txn, StorageBatch *b)
{
    /* Range deletions first: later operations in a batch win over earlier ones. */
    for (int i = 0; i < txn->ntruncs; i++) {
        bool latest = true;
        for (int j = 0; j < txn->ntruncs; j++)
            if (j != i && txn->truncs[j].oid == txn->truncs[i].oid &&
                txn->truncs[j].seq > txn->truncs[i].seq)
                latest = false;
        if (!latest)
            continue;
        char from[TABLE_KEY_PREFIX_LEN], to[TABLE_KEY_PREFIX_LEN];
        size_t tolen;
        prefix_bounds(txn->truncs[i].oid, from, to, &tolen);
        storage_batch_delete_range(b, CF_TABLES, from, sizeof from, to, tolen);
    }
    const OverlayEntry *e = overlay_seek(txn->ov, NULL, 0);
    while (e) {
        const OverlayEntry *first = e;
        const OverlayEntry *live = NULL;
        for (; e && e->klen == first->klen && memcmp(e->key, first->key, e->klen) == 0;
             e = overlay_next(e))
            if (!e->aborted && live == NULL)
                live = e;
        if (live == NULL)
            continue;
        if (live->seq < truncation_at(txn, key_oid(live->key), UINT64_MAX))
            continue; /* removed by the range deletion */
        if (live->value)
            storage_batch_put(b, CF_TABLES, live->key, live->klen, live->value, live->vlen);
        else
            storage_batch_delete(b, CF_TABLES, live->key, live->klen);
    }
}

void table_txn_commit(TableTxn *txn)
{
    StorageBatch *volatile b = NULL;

    LM_TRY();
    {
        if (table_txn_has_writes(txn)) {
            b = storage_batch_create();
            table_txn_write_into(txn, b);
            storage_batch_commit(txn->st, b, true);
        }
    }
    LM_CATCH();
    {
        storage_batch_destroy(b);
        txn_free(txn);
        error_rethrow();
    }
    LM_END_TRY();
    storage_batch_destroy(b);
    txn_free(txn);
}

int table_txn_failed_row(const TableTxn *txn)
{
    return txn->failed_row;
}

int table_txn_savepoint(TableTxn *txn)
{
    grow_array((void **)&txn->marks, &txn->capmarks, txn->nmarks, sizeof(uint64));
    txn->marks[txn->nmarks] = overlay_seq(txn->ov);
    return txn->nmarks++;
}

void table_txn_rollback_to(TableTxn *txn, int mark)
{
    if (mark < 0 || mark >= txn->nmarks)
        elog(ERROR, "table savepoint %d does not exist", mark);
    uint64 seq = txn->marks[mark];
    overlay_rollback_to(txn->ov, seq);
    for (int i = 0; i < txn->ntruncs;) {
        if (txn->truncs[i].seq > seq) {
            txn->truncs[i] = txn->truncs[--txn->ntruncs];
            continue;
        }
        i++;
    }
    txn->nmarks = mark + 1; /* the savepoint itself stays, as ROLLBACK TO SAVEPOINT keeps it */
}

void table_txn_release(TableTxn *txn, int mark)
{
    if (mark >= 0 && mark < txn->nmarks)
        txn->nmarks = mark;
}

/* ---------- write locks ---------- */

static TableLock *find_lock(TableShared *sh, Oid oid)
{
    for (int i = 0; i < sh->nlocks; i++)
        if (sh->locks[i].oid == oid)
            return &sh->locks[i];
    return NULL;
}

/* Under sh->mutex: does waiting for a lock owned by owner close a cycle back to self? */
static bool would_deadlock(TableShared *sh, TableTxn *self, TableTxn *owner)
{
    for (int hops = 0; owner && hops <= sh->nlocks; hops++) {
        if (owner == self)
            return true;
        if (owner->waiting_for == 0)
            return false;
        TableLock *l = find_lock(sh, owner->waiting_for);
        owner = l ? l->owner : NULL;
    }
    return false;
}

static void lock_table(TableTxn *txn, const CatTable *t)
{
    TableShared *sh = txn->shared;
    const char *volatile failure = NULL;

    for (int i = 0; i < txn->nheld; i++)
        if (txn->held[i] == t->oid)
            return;
    grow_array((void **)&txn->held, &txn->capheld, txn->nheld, sizeof(Oid));

    pthread_mutex_lock(&sh->mutex);
    for (;;) {
        TableLock *l = find_lock(sh, t->oid);
        if (l == NULL) {
            if (sh->nlocks == sh->caplocks) {
                int cap = sh->caplocks ? sh->caplocks * 2 : 16;
                /* mi_realloc directly: lm_realloc would ereport with the mutex held */
                TableLock *grown = mi_realloc(sh->locks, sizeof(TableLock) * (size_t)cap);
                if (grown == NULL) {
                    failure = "out of memory";
                    break;
                }
                sh->locks = grown;
                sh->caplocks = cap;
            }
            sh->locks[sh->nlocks].oid = t->oid;
            sh->locks[sh->nlocks].owner = txn;
            sh->nlocks++;
            txn->held[txn->nheld++] = t->oid;
            break;
        }
        if (would_deadlock(sh, txn, l->owner)) {
            failure = "deadlock";
            break;
        }
        if (txn->cancel && atomic_exchange(txn->cancel, false)) {
            failure = "cancel";
            break;
        }
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += LOCK_POLL_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        txn->waiting_for = t->oid;
        pthread_cond_timedwait(&sh->released, &sh->mutex, &ts);
        txn->waiting_for = 0;
    }
    pthread_mutex_unlock(&sh->mutex);

    if (failure == NULL)
        return;
    if (strcmp(failure, "deadlock") == 0)
        ereport(ERROR, errcode(ERRCODE_T_R_DEADLOCK_DETECTED), errmsg("deadlock detected"),
                errdetail("Writing to relation \"%s\" waits for a transaction that waits for this "
                          "one.",
                          t->name),
                errhint("See server log for query details."));
    if (strcmp(failure, "cancel") == 0)
        ereport(ERROR, errcode(ERRCODE_QUERY_CANCELED),
                errmsg("canceling statement due to user request"));
    ereport(ERROR, errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"));
}

void table_txn_lock(TableTxn *txn, const CatTable *t)
{
    lock_table(txn, t);
}

/* ---------- hidden row ids ---------- */

static uint64 next_rowid(TableTxn *txn, const CatTable *t)
{
    TableShared *sh = txn->shared;
    char mkey[6 + 4];
    uint64 id = 0;
    const char *volatile failure = NULL;

    memcpy(mkey, "rowid/", 6);
    storage_key_put_u32(mkey + 6, t->oid);
    pthread_mutex_lock(&sh->mutex);
    LM_TRY();
    {
        RowIdCounter *c = NULL;
        for (int i = 0; i < sh->ncounters; i++)
            if (sh->counters[i].oid == t->oid)
                c = &sh->counters[i];
        if (c == NULL) {
            char *val;
            size_t vlen;
            uint64 start = 1;
            grow_array((void **)&sh->counters, &sh->capcounters, sh->ncounters,
                       sizeof(RowIdCounter));
            if (storage_get(txn->st, txn->scratch, CF_META, mkey, sizeof mkey, &val, &vlen) &&
                vlen == 8)
                start = storage_key_get_u64(val);
            c = &sh->counters[sh->ncounters++];
            c->oid = t->oid;
            c->next = start;
            c->limit = start;
        }
        if (c->next >= c->limit) {
            char val[8];
            storage_key_put_u64(val, c->limit + ROWID_BLOCK);
            storage_put(txn->st, CF_META, mkey, sizeof mkey, val, sizeof val, true);
            c->limit += ROWID_BLOCK;
        }
        id = c->next++;
    }
    LM_CATCH();
    {
        pthread_mutex_unlock(&sh->mutex);
        error_rethrow();
    }
    LM_END_TRY();
    pthread_mutex_unlock(&sh->mutex);
    (void)failure;
    return id;
}

/* ---------- point lookups ---------- */

/*
 * The current version of key as this transaction sees it (its own writes
 * first).  Returns false if absent; else *val and *vlen point at the row (in the
 * overlay, or copied into a).
 */
static bool lookup(TableTxn *txn, Arena *a, const char *key, size_t klen, const char **val,
                   size_t *vlen)
{
    uint64 snap = overlay_seq(txn->ov);
    uint64 trunc = truncation_at(txn, key_oid(key), snap);
    const OverlayEntry *e = overlay_get(txn->ov, key, klen, snap);

    if (e && e->seq > trunc) {
        if (e->value == NULL)
            return false;
        *val = e->value;
        *vlen = e->vlen;
        return true;
    }
    if (trunc)
        return false;
    char *copy;
    if (!storage_get(txn->st, a, CF_TABLES, key, klen, &copy, vlen))
        return false;
    *val = copy;
    return true;
}

static bool key_exists(TableTxn *txn, const char *key, size_t klen)
{
    uint64 snap = overlay_seq(txn->ov);
    uint64 trunc = truncation_at(txn, key_oid(key), snap);
    const OverlayEntry *e = overlay_get(txn->ov, key, klen, snap);

    if (e && e->seq > trunc)
        return e->value != NULL;
    if (trunc)
        return false;
    return storage_exists(txn->st, CF_TABLES, key, klen);
}

/* ---------- constraint checks and messages ---------- */

static const char *pk_constraint_name(Arena *a, const CatTable *t)
{
    if (t->pk_name && t->pk_name[0])
        return t->pk_name;
    return arena_printf(a, "%s_pkey", t->name);
}

static void format_value(StrBuf *out, const Vector *v, int row)
{
    if (!vector_is_valid(v, row))
        strbuf_append_str(out, "null");
    else
        value_format_text(v, row, out);
}

static void LM_NORETURN raise_duplicate(TableTxn *txn, const CatTable *t, const Batch *rows,
                                        int row)
{
    StrBuf names, vals;
    strbuf_init(&names, txn->scratch);
    strbuf_init(&vals, txn->scratch);
    for (int k = 0; k < t->nprimary_key; k++) {
        int c = t->primary_key[k];
        if (k) {
            strbuf_append_str(&names, ", ");
            strbuf_append_str(&vals, ", ");
        }
        strbuf_append_str(&names, t->columns[c].name);
        format_value(&vals, &rows->cols[c], row);
    }
    ereport(ERROR, errcode(ERRCODE_UNIQUE_VIOLATION),
            errmsg("duplicate key value violates unique constraint \"%s\"",
                   pk_constraint_name(txn->scratch, t)),
            errdetail("Key (%s)=(%s) already exists.", names.data, vals.data));
}

static void check_not_null(TableTxn *txn, const CatTable *t, const Batch *rows, int row)
{
    for (int c = 0; c < t->ncolumns; c++) {
        if (!t->columns[c].not_null || vector_is_valid(&rows->cols[c], row))
            continue;
        StrBuf vals;
        strbuf_init(&vals, txn->scratch);
        for (int k = 0; k < t->ncolumns; k++) {
            if (k)
                strbuf_append_str(&vals, ", ");
            format_value(&vals, &rows->cols[k], row);
        }
        ereport(ERROR, errcode(ERRCODE_NOT_NULL_VIOLATION),
                errmsg("null value in column \"%s\" of relation \"%s\" violates not-null "
                       "constraint",
                       t->columns[c].name, t->name),
                errdetail("Failing row contains (%s).", vals.data));
    }
}

static void check_batch_shape(const CatTable *t, const Batch *rows)
{
    if (rows->ncols < t->ncolumns)
        elog(ERROR, "batch for table \"%s\" has %d columns, expected %d", t->name, rows->ncols,
             t->ncolumns);
}

/* Builds the key of row `row` (a full table row) into txn->key. */
static void build_pk_key(TableTxn *txn, const CatTable *t, const Batch *rows, int row)
{
    char prefix[TABLE_KEY_PREFIX_LEN];
    strbuf_reset(&txn->key);
    table_key_prefix(prefix, t->oid);
    strbuf_append(&txn->key, prefix, sizeof prefix);
    for (int k = 0; k < t->nprimary_key; k++) {
        const Vector *v = &rows->cols[t->primary_key[k]];
        if (!vector_is_valid(v, row))
            check_not_null(txn, t, rows, row); /* key columns are NOT NULL */
        table_key_append_value(&txn->key, v, row);
    }
}

static void build_rowid_key(TableTxn *txn, const CatTable *t, uint64 id)
{
    char buf[TABLE_KEY_PREFIX_LEN + 8];
    table_key_prefix(buf, t->oid);
    storage_key_put_u64(buf + TABLE_KEY_PREFIX_LEN, id);
    strbuf_reset(&txn->key);
    strbuf_append(&txn->key, buf, sizeof buf);
}

static void encode_row(TableTxn *txn, const CatTable *t, const Batch *rows, int row)
{
    strbuf_reset(&txn->value);
    table_row_encode(&txn->value, t->ncolumns, rows->cols, row);
}

/* Appends a stored row (value) with its key to out (table columns + rowkey column). */
static void append_conflict_row(const CatTable *t, Batch *out, const char *key, size_t klen,
                                const char *val, size_t vlen)
{
    int r = out->count;
    int *colmap = arena_alloc(out->arena, sizeof(int) * (size_t)t->ncolumns);
    for (int c = 0; c < t->ncolumns; c++)
        colmap[c] = c;
    table_row_decode(val, vlen, t, t->ncolumns, colmap, out->cols, out->arena, r);
    if (out->ncols > t->ncolumns) {
        vector_set_str(&out->cols[t->ncolumns], out->arena, r, key, klen);
    }
    out->count = r + 1;
}

/* ---------- DML ---------- */

void table_insert(TableTxn *txn, const CatTable *t, const Batch *rows, ConflictAction on_conflict,
                  uint8 *outcome, Batch *conflict_rows)
{
    int n = batch_live_count(rows);

    check_batch_shape(t, rows);
    if (n == 0)
        return;
    lock_table(txn, t);
    arena_reset(txn->scratch);
    for (int i = 0; i < n; i++) {
        int r = batch_row(rows, i);
        txn->failed_row = i;
        check_not_null(txn, t, rows, r);
        if (t->nprimary_key > 0) {
            build_pk_key(txn, t, rows, r);
            if (on_conflict == CONFLICT_UPDATE) {
                const char *val;
                size_t vlen;
                if (lookup(txn, txn->scratch, txn->key.data, txn->key.len, &val, &vlen)) {
                    if (conflict_rows == NULL)
                        elog(ERROR, "ON CONFLICT DO UPDATE needs a batch for conflicting rows");
                    append_conflict_row(t, conflict_rows, txn->key.data, txn->key.len, val, vlen);
                    if (outcome)
                        outcome[i] = 2;
                    continue;
                }
            } else if (key_exists(txn, txn->key.data, txn->key.len)) {
                if (on_conflict == CONFLICT_NOTHING) {
                    if (outcome)
                        outcome[i] = 0;
                    continue;
                }
                raise_duplicate(txn, t, rows, r);
            }
        } else {
            build_rowid_key(txn, t, next_rowid(txn, t));
        }
        encode_row(txn, t, rows, r);
        overlay_put(txn->ov, txn->key.data, txn->key.len, txn->value.data, txn->value.len);
        if (outcome)
            outcome[i] = 1;
    }
    txn->failed_row = -1;
}

static const StrView *rowkey_at(const Vector *rowkeys, int row)
{
    if (!vector_is_valid(rowkeys, row))
        elog(ERROR, "row key is NULL");
    const StrView *k = &((const StrView *)rowkeys->data)[row];
    if (k->len < TABLE_KEY_PREFIX_LEN || k->ptr[0] != TABLE_KEY_TAG)
        elog(ERROR, "invalid row key");
    return k;
}

void table_delete(TableTxn *txn, const CatTable *t, const Vector *rowkeys, const Batch *b)
{
    int n = batch_live_count(b);
    if (n == 0)
        return;
    lock_table(txn, t);
    for (int i = 0; i < n; i++) {
        const StrView *k = rowkey_at(rowkeys, batch_row(b, i));
        if (key_oid(k->ptr) != t->oid)
            elog(ERROR, "row key does not belong to table \"%s\"", t->name);
        overlay_put(txn->ov, k->ptr, k->len, NULL, 0);
    }
}

void table_update(TableTxn *txn, const CatTable *t, const Vector *rowkeys, const Batch *new_rows)
{
    int n = batch_live_count(new_rows);

    check_batch_shape(t, new_rows);
    if (n == 0)
        return;
    lock_table(txn, t);
    arena_reset(txn->scratch);
    for (int i = 0; i < n; i++) {
        int r = batch_row(new_rows, i);
        const StrView *old = rowkey_at(rowkeys, r);
        txn->failed_row = i;
        if (key_oid(old->ptr) != t->oid)
            elog(ERROR, "row key does not belong to table \"%s\"", t->name);
        check_not_null(txn, t, new_rows, r);
        if (t->nprimary_key > 0) {
            build_pk_key(txn, t, new_rows, r);
            if (overlay_key_cmp(txn->key.data, txn->key.len, old->ptr, old->len) != 0) {
                /* The key moves: the new one must be free. */
                if (key_exists(txn, txn->key.data, txn->key.len))
                    raise_duplicate(txn, t, new_rows, r);
                overlay_put(txn->ov, old->ptr, old->len, NULL, 0);
            }
        } else {
            strbuf_reset(&txn->key);
            strbuf_append(&txn->key, old->ptr, old->len);
        }
        encode_row(txn, t, new_rows, r);
        overlay_put(txn->ov, txn->key.data, txn->key.len, txn->value.data, txn->value.len);
    }
    txn->failed_row = -1;
}

bool table_get_by_key(TableTxn *txn, const CatTable *t, Vector *const *key_vals, int row,
                      int ncols, const int *cols, Vector *out, Arena *a, int out_row)
{
    if (t->nprimary_key == 0)
        elog(ERROR, "table_get_by_key on table \"%s\" without a primary key", t->name);
    char prefix[TABLE_KEY_PREFIX_LEN];
    strbuf_reset(&txn->key);
    table_key_prefix(prefix, t->oid);
    strbuf_append(&txn->key, prefix, sizeof prefix);
    for (int k = 0; k < t->nprimary_key; k++) {
        if (!vector_is_valid(key_vals[k], row))
            return false;
        table_key_append_value(&txn->key, key_vals[k], row);
    }
    const char *val;
    size_t vlen;
    if (!lookup(txn, a, txn->key.data, txn->key.len, &val, &vlen))
        return false;
    table_row_decode(val, vlen, t, ncols, cols, out, a, out_row);
    return true;
}

void table_truncate(TableTxn *txn, const CatTable *t)
{
    lock_table(txn, t);
    grow_array((void **)&txn->truncs, &txn->captruncs, txn->ntruncs, sizeof(Truncation));
    txn->truncs[txn->ntruncs].oid = t->oid;
    txn->truncs[txn->ntruncs].seq = overlay_next_seq(txn->ov);
    txn->ntruncs++;
}

void table_delete_all_rows(StorageBatch *b, Oid oid)
{
    char from[TABLE_KEY_PREFIX_LEN], to[TABLE_KEY_PREFIX_LEN];
    size_t tolen;
    prefix_bounds(oid, from, to, &tolen);
    storage_batch_delete_range(b, CF_TABLES, from, sizeof from, to, tolen);
}

/* ---------- scans ---------- */

TableScan *table_scan_open(TableTxn *txn, Arena *a, const CatTable *t, int ncols, const int *cols,
                           bool want_rowkey)
{
    TableScan *s = arena_alloc0(a, sizeof(TableScan));

    for (int j = 0; j < ncols; j++)
        if (cols[j] < 0 || cols[j] >= t->ncolumns)
            elog(ERROR, "column index %d out of range for table \"%s\"", cols[j], t->name);
    s->txn = txn;
    s->t = t;
    s->ncols = ncols;
    s->cols = arena_memdup(a, cols, sizeof(int) * (size_t)(ncols ? ncols : 1));
    s->want_rowkey = want_rowkey;
    table_key_prefix(s->prefix, t->oid);
    s->snapshot = overlay_seq(txn->ov);
    s->trunc_seq = truncation_at(txn, t->oid, s->snapshot);
    if (s->trunc_seq == 0)
        s->base = storage_iter_prefix(txn->st, CF_TABLES, s->prefix, sizeof s->prefix);
    s->ov = overlay_seek(txn->ov, s->prefix, sizeof s->prefix);
    return s;
}

static bool in_prefix(const TableScan *s, const char *key, size_t klen)
{
    return klen >= TABLE_KEY_PREFIX_LEN && memcmp(key, s->prefix, TABLE_KEY_PREFIX_LEN) == 0;
}

/*
 * Moves s->ov to the next key of the table that the overlay decides at the
 * snapshot; returns that key's visible version (value NULL: deleted), or NULL
 * when the overlay has no more keys for this table.  Versions of a key that
 * are invisible at the snapshot (later, aborted or truncated away) leave the
 * key to the committed rows; such a key returns nothing and is skipped here.
 */
static const OverlayEntry *overlay_peek(TableScan *s)
{
    while (s->ov && in_prefix(s, s->ov->key, s->ov->klen)) {
        const OverlayEntry *e = s->ov;
        const OverlayEntry *vis = NULL;
        for (const OverlayEntry *x = e;
             x && x->klen == e->klen && memcmp(x->key, e->key, e->klen) == 0; x = overlay_next(x))
            if (!vis && !x->aborted && x->seq <= s->snapshot && x->seq > s->trunc_seq)
                vis = x;
        if (vis)
            return vis;
        /* Nothing visible: skip all versions of this key. */
        const OverlayEntry *x = e;
        while (x && x->klen == e->klen && memcmp(x->key, e->key, e->klen) == 0)
            x = overlay_next(x);
        s->ov = x;
    }
    return NULL;
}

static void overlay_advance(TableScan *s)
{
    const OverlayEntry *e = s->ov;
    const OverlayEntry *x = e;
    while (x && x->klen == e->klen && memcmp(x->key, e->key, e->klen) == 0)
        x = overlay_next(x);
    s->ov = x;
}

static void emit_row(TableScan *s, Batch *out, const char *key, size_t klen, const char *val,
                     size_t vlen)
{
    int r = out->count;
    table_row_decode(val, vlen, s->t, s->ncols, s->cols, out->cols, out->arena, r);
    if (s->want_rowkey)
        vector_set_str(&out->cols[s->ncols], out->arena, r, key, klen);
    out->count = r + 1;
}

bool table_scan_next(TableScan *s, Batch *out)
{
    out->count = 0;
    out->sel = NULL;
    out->nsel = 0;
    for (int j = 0; j < out->ncols; j++)
        out->cols[j].child_count = 0;
    if (s->done)
        return false;
    while (out->count < LM_BATCH_SIZE) {
        const OverlayEntry *oe = overlay_peek(s);
        bool base_valid = s->base && storage_iter_valid(s->base);
        size_t bklen = 0, bvlen;
        const char *bkey = base_valid ? storage_iter_key(s->base, &bklen) : NULL;

        if (!oe && !base_valid) {
            s->done = true;
            break;
        }
        int c = !oe ? 1 : !base_valid ? -1 : overlay_key_cmp(oe->key, oe->klen, bkey, bklen);
        if (c <= 0) {
            /* The overlay decides this key. */
            if (oe->value)
                emit_row(s, out, oe->key, oe->klen, oe->value, oe->vlen);
            overlay_advance(s);
            if (c == 0)
                storage_iter_next(s->base);
        } else {
            const char *bval = storage_iter_value(s->base, &bvlen);
            emit_row(s, out, bkey, bklen, bval, bvlen);
            storage_iter_next(s->base);
        }
    }
    return out->count > 0;
}

void table_scan_close(TableScan *s)
{
    if (s == NULL)
        return;
    storage_iter_destroy(s->base);
    s->base = NULL;
}

/* ---------- statistics ---------- */

int64 table_estimate_rows(Storage *st, const CatTable *t)
{
    char from[TABLE_KEY_PREFIX_LEN], to[TABLE_KEY_PREFIX_LEN];
    size_t tolen;
    StorageIter *volatile it = NULL;
    volatile int64 n = 0;
    volatile uint64 bytes = 0;
    volatile bool complete = false;

    prefix_bounds(t->oid, from, to, &tolen);
    LM_TRY();
    {
        it = storage_iter_prefix(st, CF_TABLES, from, sizeof from);
        for (; storage_iter_valid(it) && n < ESTIMATE_SAMPLE_ROWS; storage_iter_next(it)) {
            size_t klen, vlen;
            (void)storage_iter_key(it, &klen);
            (void)storage_iter_value(it, &vlen);
            bytes += klen + vlen;
            n++;
        }
        complete = !storage_iter_valid(it);
    }
    LM_CATCH();
    {
        storage_iter_destroy(it);
        error_rethrow();
    }
    LM_END_TRY();
    storage_iter_destroy(it);
    if (complete || n == 0)
        return n;
    /* More rows than sampled: scale the on-disk size by the sampled bytes per row. */
    uint64 disk = storage_range_size(st, CF_TABLES, from, sizeof from, to, tolen);
    int64 est = (int64)(disk / (bytes / (uint64)n + 1));
    return est > n ? est : n;
}
