/*
 * storage.c: the one RocksDB instance of a data directory.
 *
 * A data directory DATADIR holds one RocksDB database in DATADIR/db with a
 * column family per concern (see storage.h and DESIGN.md §6).  Every family
 * shares one LRU block cache, so memory for cached blocks is bounded for the
 * whole process rather than per family.  Upper levels compress with LZ4 and
 * the bottommost level with ZSTD when this RocksDB build supports them; when
 * it does not, the open is retried without compression rather than failing.
 *
 * The write-ahead log is always on.  A synced write (sync = true) returns
 * only after the WAL is fsync'ed, so it survives kill -9 and power loss; a
 * WriteBatch is applied atomically across families, also on recovery.
 *
 * StorageBatch does not hold a rocksdb_writebatch_t directly: storage.h lets
 * callers build a batch before naming the Storage it goes to, but RocksDB
 * needs a family handle (which belongs to one open database) for every
 * operation.  So a batch records its operations in a compact heap buffer and
 * replays them into one rocksdb_writebatch_t at commit.  The cost is one extra
 * copy of the keys and values; if that ever shows up in checkpoint profiles,
 * add a batch constructor bound to a Storage.
 *
 * Every RocksDB failure becomes ereport(ERROR, 58030 io_error) with
 * RocksDB's message as the detail.  RocksDB's error strings are malloc'ed;
 * they are copied and freed before the ereport() longjmps.
 */
#include "storage/storage.h"
#include "common/error.h"
#include "common/log.h"

#include <rocksdb/c.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define STORAGE_BLOCK_CACHE_BYTES ((size_t)256 * 1024 * 1024)
#define STORAGE_BLOOM_BITS_PER_KEY 10.0
#define STORAGE_MAX_CFS 64 /* families we are willing to open, incl. unknown ones */

static const char *const cf_names[CF__COUNT] = {
    [CF_DEFAULT] = "default", [CF_CATALOG] = "catalog", [CF_TABLES] = "tables",
    [CF_STATE] = "state",     [CF_META] = "meta",       [CF_INGEST] = "ingest",
};

struct Storage {
    char *path; /* DATADIR/db */
    rocksdb_t *db;
    rocksdb_options_t *options;
    rocksdb_cache_t *cache;
    rocksdb_block_based_table_options_t *table_options;
    rocksdb_writeoptions_t *write_sync;
    rocksdb_writeoptions_t *write_nosync;
    rocksdb_readoptions_t *read_options;
    rocksdb_column_family_handle_t *cf[CF__COUNT];
    /* Families found on disk that this version does not know; kept open because RocksDB requires
     * it. */
    int nextra;
    rocksdb_column_family_handle_t *extra[STORAGE_MAX_CFS];
    /* storage_attachment(): created once under attach_lock, freed at close */
    pthread_mutex_t attach_lock;
    void *attachment;
    void (*attachment_free)(void *);
};

/* Operation records in a StorageBatch buffer. */
enum { BATCH_PUT = 1, BATCH_DELETE = 2, BATCH_DELETE_RANGE = 3 };

struct StorageBatch {
    char *buf; /* records: op(1) cf(1) len1(4) bytes1 [len2(4) bytes2] */
    size_t len;
    size_t cap;
    size_t count;
};

struct StorageIter {
    rocksdb_iterator_t *iter;
    rocksdb_readoptions_t *read_options;
    char *prefix; /* heap copy; also the upper bound's storage */
    size_t plen;
    char *upper; /* exclusive upper bound (prefix + 1), or NULL when none exists */
    size_t ulen;
};

/*
 * Raises 58030 with RocksDB's message.  Takes ownership of err (frees it).
 * what is the primary message, already formatted.
 */
static void LM_NORETURN raise_rocksdb(const char *what, char *err)
{
    char detail[2048];
    char message[1024];

    snprintf(message, sizeof message, "%s", what);
    snprintf(detail, sizeof detail, "%s", err ? err : "unknown RocksDB error");
    if (err)
        rocksdb_free(err);
    ereport(ERROR, errcode(ERRCODE_IO_ERROR), errmsg("%s", message), errdetail("%s", detail));
}

static inline rocksdb_column_family_handle_t *cf_handle(Storage *st, StorageCF cf)
{
    if ((int)cf < 0 || cf >= CF__COUNT || st->cf[cf] == NULL)
        elog(ERROR, "unrecognized storage column family %d", (int)cf);
    return st->cf[cf];
}

static void free_storage(Storage *st)
{
    if (st->attachment && st->attachment_free)
        st->attachment_free(st->attachment);
    pthread_mutex_destroy(&st->attach_lock);
    for (int i = 0; i < CF__COUNT; i++)
        if (st->cf[i])
            rocksdb_column_family_handle_destroy(st->cf[i]);
    for (int i = 0; i < st->nextra; i++)
        rocksdb_column_family_handle_destroy(st->extra[i]);
    if (st->db)
        rocksdb_close(st->db);
    if (st->read_options)
        rocksdb_readoptions_destroy(st->read_options);
    if (st->write_sync)
        rocksdb_writeoptions_destroy(st->write_sync);
    if (st->write_nosync)
        rocksdb_writeoptions_destroy(st->write_nosync);
    if (st->options)
        rocksdb_options_destroy(st->options);
    if (st->table_options)
        rocksdb_block_based_options_destroy(st->table_options);
    if (st->cache)
        rocksdb_cache_destroy(st->cache);
    lm_free(st->path);
    lm_free(st);
}

static rocksdb_options_t *make_options(Storage *st, bool compress)
{
    rocksdb_options_t *o = rocksdb_options_create();
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

    rocksdb_options_set_create_if_missing(o, 1);
    rocksdb_options_set_create_missing_column_families(o, 1);
    rocksdb_options_increase_parallelism(o, ncpu > 1 ? (int)LM_MIN(ncpu, 16) : 2);
    rocksdb_options_set_level_compaction_dynamic_level_bytes(o, 1);
    rocksdb_options_set_keep_log_file_num(o, 5);
    rocksdb_options_set_max_log_file_size(o, 16 * 1024 * 1024);
    rocksdb_options_set_block_based_table_factory(o, st->table_options);
    if (compress) {
        rocksdb_options_set_compression(o, rocksdb_lz4_compression);
        rocksdb_options_set_bottommost_compression(o, rocksdb_zstd_compression);
    } else {
        rocksdb_options_set_compression(o, rocksdb_no_compression);
    }
    return o;
}

/* Creates dir (one level) if it does not exist; dbpath names the storage in messages. */
static void ensure_directory(const char *dir, const char *dbpath)
{
    struct stat sb;

    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode))
            ereport(ERROR, errcode(ERRCODE_IO_ERROR),
                    errmsg("could not open storage at \"%s\"", dbpath),
                    errdetail("\"%s\" exists but is not a directory.", dir));
        return;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        ereport(ERROR, errcode(ERRCODE_IO_ERROR),
                errmsg("could not open storage at \"%s\"", dbpath),
                errdetail("Could not create directory \"%s\": %s.", dir, strerror(errno)));
}

/*
 * Opens the database with every family it already has plus the ones we need.
 * Returns NULL and sets *err on failure.
 */
static rocksdb_t *open_families(Storage *st, char **err)
{
    const char *names[STORAGE_MAX_CFS];
    const rocksdb_options_t *cf_options[STORAGE_MAX_CFS];
    rocksdb_column_family_handle_t *handles[STORAGE_MAX_CFS];
    int nnames = 0;
    size_t nexisting = 0;
    char **existing;
    char *list_err = NULL;
    rocksdb_t *db;

    for (int i = 0; i < CF__COUNT; i++)
        names[nnames++] = cf_names[i];

    /* Fails harmlessly on a new database; create_missing_column_families then creates them all. */
    existing = rocksdb_list_column_families(st->options, st->path, &nexisting, &list_err);
    if (list_err)
        rocksdb_free(list_err);
    for (size_t i = 0; existing && i < nexisting; i++) {
        bool known = false;
        for (int j = 0; j < CF__COUNT; j++)
            if (strcmp(existing[i], cf_names[j]) == 0)
                known = true;
        if (!known && nnames < STORAGE_MAX_CFS)
            names[nnames++] = strdup(existing[i]);
    }
    if (existing)
        rocksdb_list_column_families_destroy(existing, nexisting);

    for (int i = 0; i < nnames; i++)
        cf_options[i] = st->options;
    db = rocksdb_open_column_families(st->options, st->path, nnames, names, cf_options, handles,
                                      err);
    if (db) {
        for (int i = 0; i < CF__COUNT; i++)
            st->cf[i] = handles[i];
        for (int i = CF__COUNT; i < nnames; i++) {
            lm_log(LOG_WARN, "storage: column family \"%s\" is unknown to this version; kept as is",
                   names[i]);
            st->extra[st->nextra++] = handles[i];
        }
    }
    for (int i = CF__COUNT; i < nnames; i++)
        free((char *)names[i]);
    return db;
}

Storage *storage_open(const char *datadir)
{
    Storage *st = lm_calloc(1, sizeof(Storage));
    char *err = NULL;
    size_t plen = strlen(datadir) + sizeof("/db");

    pthread_mutex_init(&st->attach_lock, NULL);
    st->path = lm_malloc(plen);
    snprintf(st->path, plen, "%s/db", datadir);

    LM_TRY();
    {
        ensure_directory(datadir, st->path);

        st->cache = rocksdb_cache_create_lru(STORAGE_BLOCK_CACHE_BYTES);
        st->table_options = rocksdb_block_based_options_create();
        rocksdb_block_based_options_set_block_cache(st->table_options, st->cache);
        rocksdb_block_based_options_set_filter_policy(
            st->table_options, rocksdb_filterpolicy_create_bloom_full(STORAGE_BLOOM_BITS_PER_KEY));
        rocksdb_block_based_options_set_cache_index_and_filter_blocks(st->table_options, 1);
        rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(st->table_options,
                                                                                1);

        st->options = make_options(st, true);
        st->db = open_families(st, &err);
        if (st->db == NULL && err && strstr(err, "ompression") != NULL) {
            /* This RocksDB was built without LZ4/ZSTD: run uncompressed rather than not at all. */
            lm_log(LOG_WARN, "storage: compression unavailable (%s); storing uncompressed", err);
            rocksdb_free(err);
            err = NULL;
            rocksdb_options_destroy(st->options);
            st->options = make_options(st, false);
            st->db = open_families(st, &err);
        }
        if (st->db == NULL) {
            char detail[2048];
            bool locked = err && (strstr(err, "lock") || strstr(err, "LOCK"));

            snprintf(detail, sizeof detail, "%s", err ? err : "unknown RocksDB error");
            rocksdb_free(err);
            if (locked)
                ereport(ERROR, errcode(ERRCODE_IO_ERROR),
                        errmsg("could not open storage at \"%s\"", st->path),
                        errdetail("%s", detail),
                        errhint("Is another laminard running on data directory \"%s\"?", datadir));
            ereport(ERROR, errcode(ERRCODE_IO_ERROR),
                    errmsg("could not open storage at \"%s\"", st->path), errdetail("%s", detail));
        }

        st->write_sync = rocksdb_writeoptions_create();
        rocksdb_writeoptions_set_sync(st->write_sync, 1);
        st->write_nosync = rocksdb_writeoptions_create();
        rocksdb_writeoptions_set_sync(st->write_nosync, 0);
        st->read_options = rocksdb_readoptions_create();
    }
    LM_CATCH();
    {
        free_storage(st);
        error_rethrow();
    }
    LM_END_TRY();

    lm_log(LOG_INFO, "storage: opened %s", st->path);
    return st;
}

void storage_close(Storage *st)
{
    if (st == NULL)
        return;
    free_storage(st);
}

void storage_put(Storage *st, StorageCF cf, const void *key, size_t klen, const void *val,
                 size_t vlen, bool sync)
{
    char *err = NULL;

    rocksdb_put_cf(st->db, sync ? st->write_sync : st->write_nosync, cf_handle(st, cf), key, klen,
                   val, vlen, &err);
    if (err)
        raise_rocksdb("could not write to storage", err);
}

void storage_delete(Storage *st, StorageCF cf, const void *key, size_t klen, bool sync)
{
    char *err = NULL;

    rocksdb_delete_cf(st->db, sync ? st->write_sync : st->write_nosync, cf_handle(st, cf), key,
                      klen, &err);
    if (err)
        raise_rocksdb("could not delete from storage", err);
}

bool storage_get(Storage *st, Arena *a, StorageCF cf, const void *key, size_t klen, char **val,
                 size_t *vlen)
{
    char *err = NULL;
    rocksdb_pinnableslice_t *slice;
    const char *data;
    size_t len = 0;
    char *copy;

    slice = rocksdb_get_pinned_cf(st->db, st->read_options, cf_handle(st, cf), key, klen, &err);
    if (err)
        raise_rocksdb("could not read from storage", err);
    if (slice == NULL)
        return false;
    data = rocksdb_pinnableslice_value(slice, &len);
    /* NUL-terminated for callers that store text; the copy is one byte longer than *vlen. */
    copy = arena_alloc(a, len + 1);
    memcpy(copy, data, len);
    copy[len] = '\0';
    rocksdb_pinnableslice_destroy(slice);
    *val = copy;
    if (vlen)
        *vlen = len;
    return true;
}

bool storage_exists(Storage *st, StorageCF cf, const void *key, size_t klen)
{
    char *err = NULL;
    rocksdb_pinnableslice_t *slice;

    slice = rocksdb_get_pinned_cf(st->db, st->read_options, cf_handle(st, cf), key, klen, &err);
    if (err)
        raise_rocksdb("could not read from storage", err);
    if (slice == NULL)
        return false;
    rocksdb_pinnableslice_destroy(slice);
    return true;
}

void *storage_attachment(Storage *st, void *(*create_fn)(Storage *st), void (*free_fn)(void *))
{
    void *volatile result;

    pthread_mutex_lock(&st->attach_lock);
    LM_TRY();
    {
        if (st->attachment == NULL) {
            st->attachment = create_fn(st);
            st->attachment_free = free_fn;
        }
        result = st->attachment;
    }
    LM_CATCH();
    {
        pthread_mutex_unlock(&st->attach_lock);
        error_rethrow();
    }
    LM_END_TRY();
    pthread_mutex_unlock(&st->attach_lock);
    return result;
}

/* ---------- batches ---------- */

StorageBatch *storage_batch_create(void)
{
    return lm_calloc(1, sizeof(StorageBatch));
}

static void batch_reserve(StorageBatch *b, size_t extra)
{
    size_t need = b->len + extra;

    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->buf = lm_realloc(b->buf, cap);
    b->cap = cap;
}

static void batch_append_bytes(StorageBatch *b, const void *p, size_t n)
{
    uint32 len32;

    if (n > UINT32_MAX)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("storage value of %zu bytes is too large", n));
    len32 = (uint32)n;
    memcpy(b->buf + b->len, &len32, 4);
    b->len += 4;
    if (n)
        memcpy(b->buf + b->len, p, n);
    b->len += n;
}

static void batch_record(StorageBatch *b, int op, StorageCF cf, const void *k1, size_t l1,
                         const void *k2, size_t l2, bool two)
{
    if ((int)cf < 0 || cf >= CF__COUNT)
        elog(ERROR, "unrecognized storage column family %d", (int)cf);
    batch_reserve(b, 2 + 4 + l1 + (two ? 4 + l2 : 0));
    b->buf[b->len++] = (char)op;
    b->buf[b->len++] = (char)cf;
    batch_append_bytes(b, k1, l1);
    if (two)
        batch_append_bytes(b, k2, l2);
    b->count++;
}

void storage_batch_put(StorageBatch *b, StorageCF cf, const void *key, size_t klen, const void *val,
                       size_t vlen)
{
    batch_record(b, BATCH_PUT, cf, key, klen, val, vlen, true);
}

void storage_batch_delete(StorageBatch *b, StorageCF cf, const void *key, size_t klen)
{
    batch_record(b, BATCH_DELETE, cf, key, klen, NULL, 0, false);
}

void storage_batch_delete_range(StorageBatch *b, StorageCF cf, const void *from, size_t flen,
                                const void *to, size_t tlen)
{
    batch_record(b, BATCH_DELETE_RANGE, cf, from, flen, to, tlen, true);
}

size_t storage_batch_count(const StorageBatch *b)
{
    return b->count;
}

size_t storage_batch_bytes(const StorageBatch *b)
{
    return b->len;
}

void storage_batch_append(StorageBatch *dst, const StorageBatch *src)
{
    if (src->len == 0)
        return;
    batch_reserve(dst, src->len);
    memcpy(dst->buf + dst->len, src->buf, src->len);
    dst->len += src->len;
    dst->count += src->count;
}

static const char *batch_read_bytes(const char **pos, size_t *len)
{
    uint32 len32;
    const char *p;

    memcpy(&len32, *pos, 4);
    p = *pos + 4;
    *pos = p + len32;
    *len = len32;
    return p;
}

void storage_batch_commit(Storage *st, StorageBatch *b, bool sync)
{
    rocksdb_writebatch_t *wb;
    const char *pos = b->buf;
    const char *end = b->buf + b->len;
    char *err = NULL;

    if (b->count == 0)
        return;
    /* Resolve every family first, so an ereport cannot leak the writebatch. */
    for (int i = 0; i < CF__COUNT; i++)
        (void)cf_handle(st, (StorageCF)i);

    wb = rocksdb_writebatch_create();
    while (pos < end) {
        int op = (unsigned char)*pos++;
        rocksdb_column_family_handle_t *h = st->cf[(unsigned char)*pos++];
        const char *k1, *k2;
        size_t l1, l2;

        k1 = batch_read_bytes(&pos, &l1);
        switch (op) {
        case BATCH_PUT:
            k2 = batch_read_bytes(&pos, &l2);
            rocksdb_writebatch_put_cf(wb, h, k1, l1, k2, l2);
            break;
        case BATCH_DELETE:
            rocksdb_writebatch_delete_cf(wb, h, k1, l1);
            break;
        case BATCH_DELETE_RANGE:
            k2 = batch_read_bytes(&pos, &l2);
            rocksdb_writebatch_delete_range_cf(wb, h, k1, l1, k2, l2);
            break;
        default:
            rocksdb_writebatch_destroy(wb);
            elog(ERROR, "unrecognized storage batch operation %d", op);
        }
    }
    rocksdb_write(st->db, sync ? st->write_sync : st->write_nosync, wb, &err);
    rocksdb_writebatch_destroy(wb);
    if (err)
        raise_rocksdb("could not write to storage", err);
}

void storage_batch_clear(StorageBatch *b)
{
    b->len = 0;
    b->count = 0;
}

void storage_batch_destroy(StorageBatch *b)
{
    if (b == NULL)
        return;
    lm_free(b->buf);
    lm_free(b);
}

/* ---------- iterators ---------- */

StorageIter *storage_iter_prefix(Storage *st, StorageCF cf, const void *prefix, size_t plen)
{
    rocksdb_column_family_handle_t *h = cf_handle(st, cf);
    StorageIter *it = lm_calloc(1, sizeof(StorageIter));

    it->read_options = rocksdb_readoptions_create();
    if (plen > 0) {
        /* The prefix is kept twice: as itself and as the exclusive upper bound prefix + 1. */
        it->prefix = lm_malloc(plen * 2);
        memcpy(it->prefix, prefix, plen);
        it->plen = plen;
        memcpy(it->prefix + plen, prefix, plen);
        /* Upper bound: drop trailing 0xff bytes, increment the last one left. */
        size_t ulen = plen;
        unsigned char *u = (unsigned char *)it->prefix + plen;
        while (ulen > 0 && u[ulen - 1] == 0xff)
            ulen--;
        if (ulen > 0) {
            u[ulen - 1]++;
            it->upper = (char *)u;
            it->ulen = ulen;
            /* RocksDB keeps the pointer, not a copy: it->upper lives as long as the iterator. */
            rocksdb_readoptions_set_iterate_upper_bound(it->read_options, it->upper, it->ulen);
        }
    }
    it->iter = rocksdb_create_iterator_cf(st->db, it->read_options, h);
    if (plen > 0)
        rocksdb_iter_seek(it->iter, it->prefix, it->plen);
    else
        rocksdb_iter_seek_to_first(it->iter);
    return it;
}

void storage_iter_seek(StorageIter *it, const void *key, size_t klen)
{
    rocksdb_iter_seek(it->iter, key, klen);
}

static void check_iter_error(StorageIter *it)
{
    char *err = NULL;

    rocksdb_iter_get_error(it->iter, &err);
    if (err)
        raise_rocksdb("could not read from storage", err);
}

bool storage_iter_valid(StorageIter *it)
{
    if (!rocksdb_iter_valid(it->iter)) {
        check_iter_error(it);
        return false;
    }
    if (it->plen > 0 && it->upper == NULL) {
        /* Prefix of all 0xff bytes: no upper bound was possible, so check the prefix here. */
        size_t klen;
        const char *k = rocksdb_iter_key(it->iter, &klen);
        if (klen < it->plen || memcmp(k, it->prefix, it->plen) != 0)
            return false;
    }
    return true;
}

void storage_iter_next(StorageIter *it)
{
    rocksdb_iter_next(it->iter);
}

const char *storage_iter_key(StorageIter *it, size_t *klen)
{
    size_t len;
    const char *k = rocksdb_iter_key(it->iter, &len);
    if (klen)
        *klen = len;
    return k;
}

const char *storage_iter_value(StorageIter *it, size_t *vlen)
{
    size_t len;
    const char *v = rocksdb_iter_value(it->iter, &len);
    if (vlen)
        *vlen = len;
    return v;
}

void storage_iter_destroy(StorageIter *it)
{
    if (it == NULL)
        return;
    rocksdb_iter_destroy(it->iter);
    rocksdb_readoptions_destroy(it->read_options);
    lm_free(it->prefix);
    lm_free(it);
}

/* ---------- sizes ---------- */

uint64 storage_cf_size(Storage *st, StorageCF cf)
{
    rocksdb_column_family_handle_t *h = cf_handle(st, cf);
    uint64_t live = 0, memtables = 0;

    /* Live SST data plus what still sits in memtables; falls back to total SST size. */
    if (rocksdb_property_int_cf(st->db, h, "rocksdb.estimate-live-data-size", &live) != 0)
        (void)rocksdb_property_int_cf(st->db, h, "rocksdb.total-sst-files-size", &live);
    (void)rocksdb_property_int_cf(st->db, h, "rocksdb.cur-size-all-mem-tables", &memtables);
    return (uint64)live + (uint64)memtables;
}

uint64 storage_range_size(Storage *st, StorageCF cf, const void *from, size_t flen, const void *to,
                          size_t tlen)
{
    rocksdb_column_family_handle_t *h = cf_handle(st, cf);
    const char *starts[1] = {from};
    const char *limits[1] = {to};
    size_t slens[1] = {flen};
    size_t llens[1] = {tlen};
    uint64_t sizes[1] = {0};
    char *err = NULL;

    /* SST files only: this RocksDB's C API cannot ask for memtables too. */
    rocksdb_approximate_sizes_cf(st->db, h, 1, starts, slens, limits, llens, sizes, &err);
    if (err)
        raise_rocksdb("could not read from storage", err);
    return sizes[0];
}

/* ---------- key encoding ---------- */

void storage_key_put_u32(char *dst, uint32 v)
{
    unsigned char *d = (unsigned char *)dst;
    d[0] = (unsigned char)(v >> 24);
    d[1] = (unsigned char)(v >> 16);
    d[2] = (unsigned char)(v >> 8);
    d[3] = (unsigned char)v;
}

void storage_key_put_u64(char *dst, uint64 v)
{
    storage_key_put_u32(dst, (uint32)(v >> 32));
    storage_key_put_u32(dst + 4, (uint32)v);
}

void storage_key_put_i64(char *dst, int64 v)
{
    storage_key_put_u64(dst, (uint64)v ^ (UINT64_C(1) << 63));
}

uint32 storage_key_get_u32(const char *src)
{
    const unsigned char *s = (const unsigned char *)src;
    return ((uint32)s[0] << 24) | ((uint32)s[1] << 16) | ((uint32)s[2] << 8) | (uint32)s[3];
}

uint64 storage_key_get_u64(const char *src)
{
    return ((uint64)storage_key_get_u32(src) << 32) | storage_key_get_u32(src + 4);
}

int64 storage_key_get_i64(const char *src)
{
    return (int64)(storage_key_get_u64(src) ^ (UINT64_C(1) << 63));
}
