/*
 * table.h: rows of plain tables in RocksDB, and the transactions that change them.
 *
 * A TableTxn collects a transaction's writes (reads see them: read your own
 * writes) and commits them as one synced RocksDB write batch, so a crash
 * leaves either all of a transaction or none of it.  Rows are keyed by table
 * OID + the order-preserving encoding of the primary key (or of a hidden,
 * monotonically increasing row id for tables without one).  Uniqueness of
 * primary keys holds across concurrent sessions (a conflicting commit is
 * refused with 23505, or the writer waits for the other transaction).
 *
 * Writers take a per-table write lock at their first write and hold it
 * until commit/abort (waiting, 40P01 on a deadlock, 57014 on cancel);
 * readers never wait.  Details in table.c.
 *
 * Scans return batches whose vectors have the types of the requested
 * columns; with want_rowkey the batch gets one extra trailing BINARY column
 * holding each row's storage key, which UPDATE and DELETE hand back.
 */
#ifndef LM_TABLE_H
#define LM_TABLE_H

#include "common/vector.h"
#include "storage/catalog.h"
#include "storage/storage.h"

#include <stdatomic.h>

typedef struct TableTxn TableTxn;
typedef struct TableScan TableScan;

TableTxn *table_txn_begin(Storage *st);
/* Makes every write durable atomically; frees the transaction (also on error). */
void table_txn_commit(TableTxn *txn);
void table_txn_abort(TableTxn *txn);
bool table_txn_has_writes(const TableTxn *txn);
/* Savepoints: a mark of the write set; rolling back to it forgets later writes (and later
 * TRUNCATEs).  Marks form a stack: rollback_to(m) keeps m itself (PostgreSQL's ROLLBACK TO
 * SAVEPOINT keeps the savepoint) and forgets newer marks; release(m) forgets m and newer ones
 * (RELEASE SAVEPOINT), keeping the writes. */
int table_txn_savepoint(TableTxn *txn);
void table_txn_rollback_to(TableTxn *txn, int mark);
void table_txn_release(TableTxn *txn, int mark);
/* Takes the table's write lock now (held until commit/abort), e.g. before DROP TABLE so that
 * the drop waits for transactions still writing the table. */
void table_txn_lock(TableTxn *txn, const CatTable *t);
/* After table_insert or table_update raised: the index of the live row that failed (for
 * error context such as COPY's line number), else -1. */
int table_txn_failed_row(const TableTxn *txn);
/* A waiting writer polls *cancel_requested and raises 57014 when it is set (NULL: never). */
void table_txn_set_cancel(TableTxn *txn, atomic_bool *cancel_requested);
/* Appends the transaction's writes to b (for one atomic batch together with catalog changes,
 * e.g. CREATE TABLE + INSERT in one block); the caller commits b and then ends the transaction
 * with table_txn_abort (which then only releases locks and memory). */
void table_txn_write_into(TableTxn *txn, StorageBatch *b);
/* Queues the removal of every committed row of table oid into b (DROP TABLE). */
void table_delete_all_rows(StorageBatch *b, Oid oid);

/* Scans committed rows plus this transaction's own writes, in key order. cols: column indexes
 * of the table to produce (in that order). */
TableScan *table_scan_open(TableTxn *txn, Arena *a, const CatTable *t, int ncols, const int *cols,
                           bool want_rowkey);
/* Fills out (created by the caller with batch_create for the scan's types, reset between
 * calls) with up to LM_BATCH_SIZE rows; returns false when there are no more. */
bool table_scan_next(TableScan *scan, Batch *out);
void table_scan_close(TableScan *scan);

typedef enum ConflictAction {
    CONFLICT_ERROR = 0,
    CONFLICT_NOTHING,
    CONFLICT_UPDATE
} ConflictAction;

/*
 * Inserts the live rows of rows (all table columns, in table order, already coerced to the
 * column types and with defaults filled).  NOT NULL → 23502, duplicate key → 23505 (unless
 * on_conflict is NOTHING).  outcome[i] per live row: 1 inserted, 0 skipped (conflict), and
 * with CONFLICT_UPDATE 2: the existing row is returned in conflict_rows (appended, same
 * layout + rowkey column) for the caller to compute and apply the update.
 */
void table_insert(TableTxn *txn, const CatTable *t, const Batch *rows, ConflictAction on_conflict,
                  uint8 *outcome, Batch *conflict_rows);
/* Deletes the rows whose storage keys are in rowkeys (live rows of b; rowkeys is indexed by
 * b's physical row numbers, like a column of b). */
void table_delete(TableTxn *txn, const CatTable *t, const Vector *rowkeys, const Batch *b);
/* Replaces rows: for each live row r of new_rows (full rows, table order), the row whose key
 * is rowkeys[r] (indexed by new_rows' physical row numbers, like a column of new_rows) becomes
 * that row; a changed primary key moves the row (uniqueness checked, 23505). */
void table_update(TableTxn *txn, const CatTable *t, const Vector *rowkeys, const Batch *new_rows);
/* Appends to out the storage key (the rowkey table_delete and table_update take) of the row
 * of table t — which must have a primary key — whose key columns hold the values of row `row`
 * of rows (full table rows, table order).  Raises 23502 when a key value is NULL. */
void table_pk_rowkey(const CatTable *t, const Batch *rows, int row, StrBuf *out);
/*
 * Point lookup by primary key (streaming lookup joins; additive): the row of t — which must
 * have a primary key — whose key columns equal row `row` of key_vals (one vector per primary
 * key column, in primary-key order, each of that column's type), as this transaction sees it.
 * On a hit, table columns cols[0..ncols) are written into out[0..ncols) at out_row (var-width
 * data copied into a) and true is returned; false when there is no such row or a key value is
 * NULL (out untouched).
 */
bool table_get_by_key(TableTxn *txn, const CatTable *t, Vector *const *key_vals, int row,
                      int ncols, const int *cols, Vector *out, Arena *a, int out_row);
/* Removes every row (TRUNCATE; also at DROP TABLE). */
void table_truncate(TableTxn *txn, const CatTable *t);
/* Approximate row count and bytes (for pg_class.reltuples / statistics). */
int64 table_estimate_rows(Storage *st, const CatTable *t);

#endif
