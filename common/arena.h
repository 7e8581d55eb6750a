/*
 * arena.h: region allocators with named lifetimes.
 *
 * Laminar allocates from arenas rather than calling malloc/free per object:
 * server, session, statement and batch arenas are reset or destroyed
 * wholesale when their lifetime ends, so an error thrown with ereport() (a
 * longjmp) never leaks.  An arena may have a parent; destroying the parent
 * destroys its children.  Arenas are not thread-safe: one owner thread each.
 */
#ifndef LM_ARENA_H
#define LM_ARENA_H

#include "common/lm.h"
#include <stdarg.h>

typedef struct Arena Arena;

Arena *arena_create(const char *name, Arena *parent);
void arena_destroy(Arena *arena);
/* Frees every allocation (and destroys child arenas) but keeps the arena. */
void arena_reset(Arena *arena);

void *arena_alloc(Arena *arena, size_t size);  /* 16-byte aligned, uninitialised */
void *arena_alloc0(Arena *arena, size_t size); /* zeroed */
void *arena_realloc(Arena *arena, void *ptr, size_t old_size, size_t new_size);
char *arena_strdup(Arena *arena, const char *s);
char *arena_strndup(Arena *arena, const char *s, size_t n);
void *arena_memdup(Arena *arena, const void *p, size_t n);
char *arena_printf(Arena *arena, const char *fmt, ...) LM_PRINTF(2, 3);
char *arena_vprintf(Arena *arena, const char *fmt, va_list ap);

/* Registers fn(arg) to run when the arena is next reset or destroyed (latest first, before
 * its memory is released), for resources an arena-allocated object holds outside the arena
 * (PCRE2 JIT code).  A registration runs once; the record lives in the arena itself. */
void arena_on_release(Arena *arena, void (*fn)(void *arg), void *arg);

/* Bytes obtained from the system by this arena (children excluded). */
size_t arena_bytes(const Arena *arena);
const char *arena_name(const Arena *arena);

#define arena_new(arena, type) ((type *)arena_alloc0((arena), sizeof(type)))
#define arena_new_array(arena, type, n) ((type *)arena_alloc0((arena), sizeof(type) * (size_t)(n)))

/* Allocation through mimalloc for long-lived objects outside arenas. */
void *lm_malloc(size_t size);
void *lm_calloc(size_t n, size_t size);
void *lm_realloc(void *p, size_t size);
void lm_free(void *p);
char *lm_strdup(const char *s);

#endif
