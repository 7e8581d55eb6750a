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
 * Scans return batches whose vectors have the types of the requested
 * columns; with want_rowkey the batch gets one extra trailing BINARY column
 * holding each row's storage key, which UPDATE and DELETE hand back.
 */
#ifndef LM_TABLE_H
#define LM_TABLE_H

#include "common/vector.h"
#include "storage/catalog.h"
#include "storage/storage.h"

typedef struct TableTxn TableTxn;
typedef struct TableScan TableScan;

TableTxn *table_txn_begin(Storage *st);
/* Makes every write durable atomically; frees the transaction (also on error). */
void table_txn_commit(TableTxn *txn);
void table_txn_abort(TableTxn *txn);
bool table_txn_has_writes(const TableTxn *txn);
/* Savepoints: a mark of the write set; rolling back to it forgets later writes. */
int table_txn_savepoint(TableTxn *txn);
void table_txn_rollback_to(TableTxn *txn, int mark);

/* Scans committed rows plus this transaction's own writes, in key order. cols: column indexes
 * of the table to produce (in that order). */
TableScan *table_scan_open(TableTxn *txn, Arena *a, const CatTable *t, int ncols, const int *cols,
                           bool want_rowkey);
/* Fills out (created by the caller with batch_create for the scan's types, reset between
 * calls) with up to LM_BATCH_SIZE rows; returns false when there are no more. */
bool table_scan_next(TableScan *scan, Batch *out);
void table_scan_close(TableScan *scan);

typedef enum ConflictAction { CONFLICT_ERROR = 0, CONFLICT_NOTHING, CONFLICT_UPDATE } ConflictAction;

/*
 * Inserts the live rows of rows (all table columns, in table order, already coerced to the
 * column types and with defaults filled).  NOT NULL → 23502, duplicate key → 23505 (unless
 * on_conflict is NOTHING).  outcome[i] per live row: 1 inserted, 0 skipped (conflict), and
 * with CONFLICT_UPDATE 2: the existing row is returned in conflict_rows (appended, same
 * layout + rowkey column) for the caller to compute and apply the update.
 */
void table_insert(TableTxn *txn, const CatTable *t, const Batch *rows, ConflictAction on_conflict,
                  uint8 *outcome, Batch *conflict_rows);
/* Deletes the rows whose storage keys are in rowkeys (live rows of b). */
void table_delete(TableTxn *txn, const CatTable *t, const Vector *rowkeys, const Batch *b);
/* Replaces rows: rowkeys[i] gets new_rows' live row i (full rows, table order); a changed
 * primary key moves the row (uniqueness checked). */
void table_update(TableTxn *txn, const CatTable *t, const Vector *rowkeys, const Batch *new_rows);
/* Removes every row (TRUNCATE; also at DROP TABLE). */
void table_truncate(TableTxn *txn, const CatTable *t);
/* Approximate row count and bytes (for pg_class.reltuples / statistics). */
int64 table_estimate_rows(Storage *st, const CatTable *t);

#endif
