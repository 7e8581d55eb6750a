/*
 * storage.h: the one RocksDB instance of a data directory.
 *
 * Column families by concern (DESIGN.md §6): catalog, tables, state, meta,
 * ingest.  All functions raise ereport(ERROR, 58030 io_error, ...) with
 * RocksDB's message when RocksDB fails.  The Storage handle is thread-safe
 * (RocksDB is); iterators and batches belong to one thread.
 */
#ifndef LM_STORAGE_H
#define LM_STORAGE_H

#include "common/arena.h"

typedef enum StorageCF {
    CF_DEFAULT = 0,
    CF_CATALOG, /* catalog objects */
    CF_TABLES,  /* rows of plain tables */
    CF_STATE,   /* operator state of jobs */
    CF_META,    /* checkpoints, source offsets, sink progress, counters */
    CF_INGEST,  /* durable buffer of webhook sources */
    CF__COUNT
} StorageCF;

typedef struct Storage Storage;
typedef struct StorageBatch StorageBatch;
typedef struct StorageIter StorageIter;

/* Opens (creating if needed) DATADIR/db.  Raises a clear error if it cannot. */
Storage *storage_open(const char *datadir);
void storage_close(Storage *st);

/* sync = true: fsync the WAL before returning (durable across kill -9 and power loss). */
void storage_put(Storage *st, StorageCF cf, const void *key, size_t klen, const void *val,
                 size_t vlen, bool sync);
void storage_delete(Storage *st, StorageCF cf, const void *key, size_t klen, bool sync);
/* Returns false when absent; *val is an arena copy, NUL-terminated (one byte past *vlen). */
bool storage_get(Storage *st, Arena *a, StorageCF cf, const void *key, size_t klen, char **val,
                 size_t *vlen);

/* Whether key exists, without copying its value. */
bool storage_exists(Storage *st, StorageCF cf, const void *key, size_t klen);

/* Atomic multi-key writes (one RocksDB WriteBatch).  A batch records its operations and
 * replays them at commit, so it is not tied to one Storage; an error leaves nothing written. */
StorageBatch *storage_batch_create(void);
void storage_batch_put(StorageBatch *b, StorageCF cf, const void *key, size_t klen,
                       const void *val, size_t vlen);
void storage_batch_delete(StorageBatch *b, StorageCF cf, const void *key, size_t klen);
void storage_batch_delete_range(StorageBatch *b, StorageCF cf, const void *from, size_t flen,
                                const void *to, size_t tlen);
size_t storage_batch_count(const StorageBatch *b);
/* Bytes of the batch's recorded operations (keys and values plus a few bytes each). */
size_t storage_batch_bytes(const StorageBatch *b);
/* Appends src's operations after dst's (src is unchanged). */
void storage_batch_append(StorageBatch *dst, const StorageBatch *src);
void storage_batch_commit(Storage *st, StorageBatch *b, bool sync); /* does not destroy b */
void storage_batch_clear(StorageBatch *b);
void storage_batch_destroy(StorageBatch *b);

/* Ordered iteration over keys starting with prefix (plen 0: whole family). */
StorageIter *storage_iter_prefix(Storage *st, StorageCF cf, const void *prefix, size_t plen);
/* Moves to the first key >= key (still bounded by the iterator's prefix). */
void storage_iter_seek(StorageIter *it, const void *key, size_t klen);
bool storage_iter_valid(StorageIter *it);
void storage_iter_next(StorageIter *it);
const char *storage_iter_key(StorageIter *it, size_t *klen);
const char *storage_iter_value(StorageIter *it, size_t *vlen);
void storage_iter_destroy(StorageIter *it);

/* Approximate bytes of a family (for metrics). */
uint64 storage_cf_size(Storage *st, StorageCF cf);
/* Approximate bytes stored for keys in [from, to) in SST files (not yet flushed writes are not counted). */
uint64 storage_range_size(Storage *st, StorageCF cf, const void *from, size_t flen, const void *to,
                          size_t tlen);

/*
 * One object that a higher storage module (plain tables: row-id counters and
 * write locks) attaches to the open Storage, created on first use and freed by
 * free_fn at storage_close.  create_fn runs at most once per Storage, under a
 * lock.
 */
void *storage_attachment(Storage *st, void *(*create_fn)(Storage *st), void (*free_fn)(void *));

/*
 * Order-preserving key encoding helpers (big-endian, sign bit flipped) so
 * RocksDB's bytewise order equals the natural order of the encoded values.
 */
void storage_key_put_u32(char *dst, uint32 v);
void storage_key_put_u64(char *dst, uint64 v);
void storage_key_put_i64(char *dst, int64 v);
uint32 storage_key_get_u32(const char *src);
uint64 storage_key_get_u64(const char *src);
int64 storage_key_get_i64(const char *src);

#endif
