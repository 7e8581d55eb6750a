/*
 * arena.c: region allocator.
 *
 * An arena is a chain of blocks.  Small allocations are bump-allocated from
 * the current block; an allocation larger than a quarter of the block size
 * gets a block of its own so it does not waste the rest of the current one.
 * Block sizes double from 8 KiB up to 1 MiB.  reset() keeps up to
 * ARENA_KEEP_BYTES of blocks on a free list and reuses them, so an arena that
 * is reset every batch settles on the blocks it needs and costs nothing but a
 * pointer bump per allocation (freeing them would make the kernel fault the
 * same pages back in, zeroed, on every batch).  arena_on_release callbacks
 * run at the start of reset/destroy, latest first, while the blocks are live.
 */
#include "common/arena.h"
#include "common/error.h"

#include <mimalloc.h>
#include <stdio.h>
#include <stdlib.h>

#define ARENA_ALIGN 16
#define ARENA_MIN_BLOCK (8 * 1024)
#define ARENA_MAX_BLOCK (1024 * 1024)
#define ARENA_KEEP_BYTES (4 * 1024 * 1024)

typedef struct ArenaBlock {
    struct ArenaBlock *next;
    size_t size; /* usable bytes after the header */
    size_t used;
} ArenaBlock;

typedef struct ArenaCleanup {
    struct ArenaCleanup *next;
    void (*fn)(void *arg);
    void *arg;
} ArenaCleanup;

struct Arena {
    const char *name;
    ArenaCleanup *cleanups; /* arena_on_release callbacks, latest first */
    Arena *parent;
    Arena *first_child;
    Arena *next_sibling;
    ArenaBlock *blocks; /* current block first */
    ArenaBlock *free_blocks; /* kept by reset() for reuse */
    size_t next_block_size;
    size_t total_bytes;
};

#define BLOCK_HEADER (((sizeof(ArenaBlock) + ARENA_ALIGN - 1) / ARENA_ALIGN) * ARENA_ALIGN)

static void *checked_malloc(size_t size)
{
    void *p = mi_malloc(size);
    if (p == NULL)
        ereport(ERROR, errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                errdetail("Failed on request of size %zu.", size));
    return p;
}

void *lm_malloc(size_t size)
{
    return checked_malloc(size ? size : 1);
}

void *lm_calloc(size_t n, size_t size)
{
    void *p = mi_calloc(n ? n : 1, size ? size : 1);
    if (p == NULL)
        ereport(ERROR, errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"));
    return p;
}

void *lm_realloc(void *p, size_t size)
{
    void *q = mi_realloc(p, size ? size : 1);
    if (q == NULL)
        ereport(ERROR, errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"));
    return q;
}

void lm_free(void *p)
{
    mi_free(p);
}

char *lm_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = lm_malloc(n);
    memcpy(d, s, n);
    return d;
}

Arena *arena_create(const char *name, Arena *parent)
{
    Arena *a = lm_calloc(1, sizeof(Arena));
    a->name = name;
    a->parent = parent;
    a->next_block_size = ARENA_MIN_BLOCK;
    if (parent) {
        a->next_sibling = parent->first_child;
        parent->first_child = a;
    }
    return a;
}

static void free_blocks(ArenaBlock *b)
{
    while (b) {
        ArenaBlock *next = b->next;
        mi_free(b);
        b = next;
    }
}

void arena_on_release(Arena *a, void (*fn)(void *arg), void *arg)
{
    ArenaCleanup *c = arena_alloc(a, sizeof(ArenaCleanup));
    c->fn = fn;
    c->arg = arg;
    c->next = a->cleanups;
    a->cleanups = c;
}

/* Runs (and forgets) the arena's release callbacks; their records are in its blocks. */
static void run_cleanups(Arena *a)
{
    while (a->cleanups) {
        ArenaCleanup *c = a->cleanups;
        a->cleanups = c->next;
        c->fn(c->arg);
    }
}

static void destroy_children(Arena *a)
{
    Arena *c = a->first_child;
    while (c) {
        Arena *next = c->next_sibling;
        c->parent = NULL; /* so destroy does not unlink from us again */
        arena_destroy(c);
        c = next;
    }
    a->first_child = NULL;
}

void arena_destroy(Arena *a)
{
    if (a == NULL)
        return;
    run_cleanups(a);
    destroy_children(a);
    if (a->parent) {
        Arena **pp = &a->parent->first_child;
        while (*pp && *pp != a)
            pp = &(*pp)->next_sibling;
        if (*pp)
            *pp = a->next_sibling;
    }
    free_blocks(a->blocks);
    free_blocks(a->free_blocks);
    mi_free(a);
}

void arena_reset(Arena *a)
{
    run_cleanups(a);
    destroy_children(a);
    /* move blocks to the free list (biggest kept first) up to ARENA_KEEP_BYTES; free the rest */
    size_t kept = 0;
    for (ArenaBlock *f = a->free_blocks; f; f = f->next)
        kept += f->size;
    ArenaBlock *b = a->blocks;
    while (b) {
        ArenaBlock *next = b->next;
        if (kept + b->size <= ARENA_KEEP_BYTES) {
            b->used = 0;
            b->next = a->free_blocks;
            a->free_blocks = b;
            kept += b->size;
        } else {
            a->total_bytes -= BLOCK_HEADER + b->size;
            mi_free(b);
        }
        b = next;
    }
    a->blocks = NULL;
    a->next_block_size = ARENA_MIN_BLOCK;
}

static ArenaBlock *new_block(Arena *a, size_t min_size)
{
    /* reuse a kept block that is big enough */
    for (ArenaBlock **pp = &a->free_blocks; *pp; pp = &(*pp)->next) {
        ArenaBlock *f = *pp;
        if (f->size >= min_size) {
            *pp = f->next;
            f->next = NULL;
            f->used = 0;
            return f;
        }
    }
    size_t size = a->next_block_size;
    if (size < min_size)
        size = min_size;
    ArenaBlock *b = checked_malloc(BLOCK_HEADER + size);
    b->size = size;
    b->used = 0;
    a->total_bytes += BLOCK_HEADER + size;
    if (a->next_block_size < ARENA_MAX_BLOCK)
        a->next_block_size *= 2;
    return b;
}

void *arena_alloc(Arena *a, size_t size)
{
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (size == 0)
        size = ARENA_ALIGN;
    ArenaBlock *b = a->blocks;
    if (LM_LIKELY(b && b->size - b->used >= size)) {
        void *p = (char *)b + BLOCK_HEADER + b->used;
        b->used += size;
        return p;
    }
    if (size > a->next_block_size / 4 && b != NULL) {
        /* dedicated block, linked behind the current one */
        ArenaBlock *big = new_block(a, size);
        big->used = size;
        big->next = b->next;
        b->next = big;
        return (char *)big + BLOCK_HEADER;
    }
    ArenaBlock *nb = new_block(a, size);
    nb->next = b;
    a->blocks = nb;
    nb->used = size;
    return (char *)nb + BLOCK_HEADER;
}

void *arena_alloc0(Arena *a, size_t size)
{
    void *p = arena_alloc(a, size);
    memset(p, 0, size);
    return p;
}

void *arena_realloc(Arena *a, void *ptr, size_t old_size, size_t new_size)
{
    if (new_size <= old_size)
        return ptr;
    void *p = arena_alloc(a, new_size);
    if (ptr && old_size)
        memcpy(p, ptr, old_size);
    return p;
}

char *arena_strdup(Arena *a, const char *s)
{
    if (s == NULL)
        return NULL;
    return arena_memdup(a, s, strlen(s) + 1);
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void *arena_memdup(Arena *a, const void *p, size_t n)
{
    void *d = arena_alloc(a, n);
    memcpy(d, p, n);
    return d;
}

char *arena_vprintf(Arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    char *d = arena_alloc(a, (size_t)n + 1);
    if ((size_t)n < sizeof small)
        memcpy(d, small, (size_t)n + 1);
    else
        vsnprintf(d, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return d;
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *d = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return d;
}

size_t arena_bytes(const Arena *a)
{
    return a->total_bytes;
}

const char *arena_name(const Arena *a)
{
    return a->name;
}
