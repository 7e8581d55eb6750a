/*
 * table_overlay.c: a transaction's write set, kept as a versioned skiplist.
 *
 * Every write (put or delete) becomes a new entry with the next sequence
 * number; entries are never changed or removed until the transaction ends.
 * The list is ordered by key ascending, then sequence descending, so the
 * newest version of a key comes first — the layout of a RocksDB memtable.
 * That gives the transaction three things cheaply:
 *   - read-your-writes: overlay_get(key, snapshot) is one O(log n) search;
 *   - stable scans: a scan remembers the sequence number at its start and
 *     ignores later versions, so UPDATE t SET id = id + 1 never sees the rows
 *     it has just written (the Halloween problem) although it writes while
 *     it scans;
 *   - savepoints: rolling back to mark flags the entries after it as aborted
 *     (an array in write order finds them), and readers skip aborted ones.
 * overlay_next_seq() hands out a sequence number without an entry, for
 * events ordered among the writes (a TRUNCATE).
 * Memory: one heap arena for all entries, freed with the overlay; an
 * overwritten or rolled-back version stays allocated until then (a
 * transaction's garbage is bounded by what it wrote).
 */
#include "storage/table_int.h"
#include "common/error.h"

#define SKIP_MAX_HEIGHT 20

struct Overlay {
    Arena *arena;
    OverlayEntry head; /* sentinel; head.next has SKIP_MAX_HEIGHT slots */
    OverlayEntry *head_next[SKIP_MAX_HEIGHT];
    int height;
    uint64 seq;
    uint64 rng;
    OverlayEntry **bywrite; /* entries in seq order: bywrite[seq - 1] */
    uint64 nwrites, capwrites;
};

Overlay *overlay_create(void)
{
    Overlay *o = lm_calloc(1, sizeof(Overlay));
    o->arena = arena_create("table transaction", NULL);
    o->head.next = o->head_next;
    o->head.height = SKIP_MAX_HEIGHT;
    o->height = 1;
    o->rng = 0x9E3779B97F4A7C15ULL;
    return o;
}

void overlay_destroy(Overlay *o)
{
    if (o == NULL)
        return;
    arena_destroy(o->arena);
    lm_free(o->bywrite);
    lm_free(o);
}

int overlay_key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* Order of (key, seq): key ascending, seq descending. */
static int entry_cmp(const OverlayEntry *e, const char *key, size_t klen, uint64 seq)
{
    int c = overlay_key_cmp(e->key, e->klen, key, klen);
    if (c != 0)
        return c;
    return e->seq > seq ? -1 : e->seq < seq ? 1 : 0;
}

static int random_height(Overlay *o)
{
    int h = 1;
    /* xorshift64; a quarter of the entries go up one level */
    o->rng ^= o->rng << 13;
    o->rng ^= o->rng >> 7;
    o->rng ^= o->rng << 17;
    uint64 r = o->rng;
    while (h < SKIP_MAX_HEIGHT && (r & 3) == 0) {
        h++;
        r >>= 2;
    }
    return h;
}

uint64 overlay_put(Overlay *o, const char *key, size_t klen, const char *value, size_t vlen)
{
    OverlayEntry *update[SKIP_MAX_HEIGHT];
    OverlayEntry *x = &o->head;
    uint64 seq = o->seq + 1;

    if (klen > UINT32_MAX || vlen > UINT32_MAX)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("row of %zu bytes is too large to store", vlen));
    if (o->nwrites == o->capwrites) {
        uint64 cap = o->capwrites ? o->capwrites * 2 : 256;
        o->bywrite = lm_realloc(o->bywrite, sizeof(OverlayEntry *) * cap);
        o->capwrites = cap;
    }
    for (int level = o->height - 1; level >= 0; level--) {
        while (x->next[level] && entry_cmp(x->next[level], key, klen, seq) < 0)
            x = x->next[level];
        update[level] = x;
    }
    int h = random_height(o);
    if (h > o->height) {
        for (int level = o->height; level < h; level++)
            update[level] = &o->head;
        o->height = h;
    }
    OverlayEntry *e =
        arena_alloc(o->arena, sizeof(OverlayEntry) + sizeof(OverlayEntry *) * (size_t)h);
    e->next = (OverlayEntry **)(e + 1);
    e->height = h;
    e->key = arena_memdup(o->arena, key, klen);
    e->klen = (uint32)klen;
    e->value = value ? (vlen ? arena_memdup(o->arena, value, vlen) : "") : NULL;
    e->vlen = (uint32)vlen;
    e->seq = seq;
    e->aborted = false;
    for (int level = 0; level < h; level++) {
        e->next[level] = update[level]->next[level];
        update[level]->next[level] = e;
    }
    o->bywrite[o->nwrites++] = e; /* seq ascending */
    o->seq = seq;
    return seq;
}

uint64 overlay_seq(const Overlay *o)
{
    return o->seq;
}

uint64 overlay_count(const Overlay *o)
{
    return o->nwrites;
}

/* First entry >= (key, seq) in list order. */
static const OverlayEntry *seek_ge(const Overlay *o, const char *key, size_t klen, uint64 seq)
{
    const OverlayEntry *x = &o->head;
    for (int level = o->height - 1; level >= 0; level--)
        while (x->next[level] && entry_cmp(x->next[level], key, klen, seq) < 0)
            x = x->next[level];
    return x->next[0];
}

const OverlayEntry *overlay_get(const Overlay *o, const char *key, size_t klen, uint64 snapshot)
{
    const OverlayEntry *e = seek_ge(o, key, klen, snapshot);
    for (; e && overlay_key_cmp(e->key, e->klen, key, klen) == 0; e = e->next[0])
        if (e->seq <= snapshot && !e->aborted)
            return e;
    return NULL;
}

const OverlayEntry *overlay_seek(const Overlay *o, const char *key, size_t klen)
{
    if (key == NULL)
        return o->head.next[0];
    return seek_ge(o, key, klen, UINT64_MAX);
}

uint64 overlay_next_seq(Overlay *o)
{
    return ++o->seq;
}

void overlay_rollback_to(Overlay *o, uint64 mark)
{
    for (uint64 i = o->nwrites; i > 0 && o->bywrite[i - 1]->seq > mark; i--)
        o->bywrite[i - 1]->aborted = true;
}
