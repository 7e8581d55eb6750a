/*
 * gen_util.h: what the built-in generators (gen_nexmark.c, gen_datagen.c)
 * share — counter-based random numbers, integer option parsing, the rate
 * limiter and the text form of a generator's position.
 *
 * Randomness is counter-based: every value is a hash of (seed, row or event
 * number, field), never a draw from a stateful stream, so any split of the
 * sequence among subtasks, any batch boundary and any restore produce the
 * same value for the same number.  The hash is splitmix64's finaliser.
 */
#ifndef LM_GEN_UTIL_H
#define LM_GEN_UTIL_H

#include "common/lm.h"
#include "common/strbuf.h"
#include "connectors/runtime.h"

static inline uint64 gen_mix64(uint64 z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The random bits of field `field` of number n under seed key k. */
static inline uint64 gen_rand(uint64 k, int64 n, int field)
{
    return gen_mix64(k + (uint64)n * 0x9E3779B97F4A7C15ULL + (uint64)field * 0xD1B54A32D192ED03ULL);
}

/* A number in [0, bound) from 32 random bits (bound < 2^32; multiply-shift, no division). */
static inline uint32 gen_bounded(uint32 bits, uint32 bound)
{
    return (uint32)(((uint64)bits * bound) >> 32);
}

/* A double in [0, 1) from 53 random bits. */
static inline double gen_unit(uint64 bits)
{
    return (double)(bits >> 11) * (1.0 / 9007199254740992.0);
}

/* An integer option (NULL or absent: dflt); raises 22023 on a malformed or negative value
 * when nonneg. */
int64 gen_option_int(const ResolvedOptions *opts, const char *name, int64 dflt, bool nonneg);

/*
 * Rate limiting by sequence number: number n (of the whole sequence, all subtasks) is due at
 * start + (n - first) / per_second.  gen_rate_limit returns the first number not due yet
 * (INT64_MAX when unlimited), sleeping up to max_sleep_us first when nothing new is due.
 */
typedef struct GenRate {
    int64 per_second; /* 0: unlimited */
    int64 first;      /* sequence number at start */
    int64 start_ns;   /* CLOCK_MONOTONIC at start */
} GenRate;

void gen_rate_init(GenRate *r, int64 per_second, int64 first);
int64 gen_rate_limit(const GenRate *r, int64 next, int64 max_sleep_us);

/* Positions: "<tag> v1 <parallelism> <subtask> <next>". */
void gen_position_write(StrBuf *out, const char *tag, int parallelism, int subtask, int64 next);
/* Parses a position; raises XX001 when it is not one of tag's, 0A000 when it belongs to another
 * parallelism or subtask. */
int64 gen_position_read(const char *tag, const char *pos, size_t len, int parallelism,
                        int subtask);

#endif
