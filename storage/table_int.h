/*
 * table_int.h: what table.c, table_codec.c and table_overlay.c share.  Not
 * for use outside storage/ (and the storage unit tests).
 */
#ifndef LM_TABLE_INT_H
#define LM_TABLE_INT_H

#include "storage/table.h"

#define TABLE_KEY_TAG 't'
#define TABLE_KEY_PREFIX_LEN 5 /* 't' + OID (big-endian) */
#define TABLE_ROW_FORMAT 1     /* first byte of every stored row */

/* ---- table_codec.c ---- */

/* 't' + big-endian OID into dst (TABLE_KEY_PREFIX_LEN bytes). */
void table_key_prefix(char *dst, Oid oid);

/*
 * Appends the order-preserving encoding of row `row` of v to out (bytewise
 * order of encodings = SQL order of values).  NULLs are not encodable (key
 * columns are NOT NULL); nested types raise 0A000.
 */
void table_key_append_value(StrBuf *out, const Vector *v, int row);

/* Encodes row `row` of the table's columns (cols[i] is column i) as a stored row value. */
void table_row_encode(StrBuf *out, int ncols, const Vector *cols, int row);

/*
 * Decodes a stored row into row `row` of the output vectors: out[j] receives
 * table column colmap[j] (nout of them).  Var-width data is copied into a.
 * Raises XX001 on a malformed row.
 */
void table_row_decode(const char *data, size_t len, const CatTable *t, int nout, const int *colmap,
                      Vector *out, Arena *a, int row);

/* ---- table_overlay.c: a transaction's versioned, ordered write set ---- */

typedef struct Overlay Overlay;
typedef struct OverlayEntry OverlayEntry;

struct OverlayEntry {
    const char *key;
    uint32 klen;
    uint32 vlen;
    const char *value;   /* NULL: deletion (tombstone) */
    uint64 seq;          /* write order, from 1 */
    bool aborted;        /* rolled back to a savepoint */
    OverlayEntry **next; /* skiplist forward pointers (height entries) */
    int height;
};

Overlay *overlay_create(void);
void overlay_destroy(Overlay *o);
/* Records a write (value NULL = delete); copies key and value.  Returns its sequence number. */
uint64 overlay_put(Overlay *o, const char *key, size_t klen, const char *value, size_t vlen);
uint64 overlay_seq(const Overlay *o); /* the latest sequence number handed out (0: none) */
uint64 overlay_next_seq(Overlay *o);  /* takes a sequence number for an event without an entry */
uint64 overlay_count(const Overlay *o);
/* Newest version of key visible at snapshot (seq <= snapshot, not aborted), or NULL. */
const OverlayEntry *overlay_get(const Overlay *o, const char *key, size_t klen, uint64 snapshot);
/* Marks every write with seq > mark aborted. */
void overlay_rollback_to(Overlay *o, uint64 mark);
/* First entry with key >= key (any version; key NULL: the first entry), and the next one. */
const OverlayEntry *overlay_seek(const Overlay *o, const char *key, size_t klen);
static inline const OverlayEntry *overlay_next(const OverlayEntry *e)
{
    return e->next[0];
}
/* Compares keys bytewise (shorter first on a common prefix), as RocksDB does. */
int overlay_key_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
