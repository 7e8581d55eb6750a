/*
 * lm.h: basic definitions every Laminar file includes first.
 *
 * Fixed-width integer names, a few attribute macros and the assertion macro.
 * Keep this file small: anything with behaviour belongs in its own module.
 */
#ifndef LM_H
#define LM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef int8_t int8;
typedef int16_t int16;
typedef int32_t int32;
typedef int64_t int64;
typedef uint8_t uint8;
typedef uint16_t uint16;
typedef uint32_t uint32;
typedef uint64_t uint64;
typedef __int128 int128;
typedef uint32 Oid;

#define LM_NORETURN __attribute__((noreturn))
#define LM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define LM_LIKELY(x) __builtin_expect(!!(x), 1)
#define LM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LM_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define LM_MIN(a, b) ((a) < (b) ? (a) : (b))
#define LM_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Internal invariant check; failing it is a bug, reported as XX000 and logged. */
void lm_assert_fail(const char *cond, const char *file, int line) LM_NORETURN;
#define LM_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (LM_UNLIKELY(!(cond)))                                                                  \
            lm_assert_fail(#cond, __FILE__, __LINE__);                                             \
    } while (0)

#endif
