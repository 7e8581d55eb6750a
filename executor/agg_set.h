/*
 * agg_set.h: the aggregate calls of one PLAN_AGGREGATE as a unit, for the
 * window operators (op_session_agg.c and the stream aggregates, stream_op_*.c),
 * plus a compact row codec for operator state.  Internal to executor/.
 *
 * An AggSet evaluates the calls' FILTERs and arguments over an input batch
 * and folds the rows into per-group states with AggDesc.update, one call per
 * aggregate per batch.  States live in AggStates: one flat array per
 * aggregate (state_size bytes per group id, AggDesc's layout), grown by
 * doubling.  Groups are identified by dense ids chosen by the caller.
 *
 * Snapshots write a group's states as bytes.  Most AggDesc states are plain
 * values (counts, sums, min/max of fixed-width types, booleans) and are
 * copied as they are; the states that own var-width buffers (min/max of
 * text, string_agg) are written as their current result and restored by
 * feeding that result back through update (min(min) = min; string_agg of
 * one value is the value).  array_agg and json_agg cannot be rebuilt that
 * way, and ORDER BY inside a call needs the call's whole input, so pipelines
 * reject them (0A000).
 *
 * DISTINCT inside a call (what = "pipelines" only; one argument of a scalar
 * type): each such call keeps, next to its states, the set of (group, value)
 * pairs it has seen — a hash set in the states' arena (so it is accounted
 * and dropped with them) whose entries are also chained per group.  A row
 * reaches AggDesc.update only when its value is new for its group, so any
 * aggregate works with DISTINCT (count, sum, avg, ...).  Snapshots append the
 * group's values after its states; a restore rebuilds the set.  Sessions
 * cannot merge such sets (stream_op_session rejects DISTINCT).
 */
#ifndef LM_AGG_SET_H
#define LM_AGG_SET_H

#include "executor/operator.h"
#include "executor/func.h"
#include "common/strbuf.h"

typedef struct AggSet {
    int naggs;
    const AggCall *calls;
    const AggDesc **desc;
    AggKernelArgs *kargs;
    ExprState ***args; /* [agg][arg]; NULL entries: plain input column */
    ExprState **filter;
    bool *replay;      /* state restored by replaying its result (see above) */
    uint8 *dkind;      /* per aggregate: 0, or how DISTINCT values are keyed (agg_set.c) */
    bool any_distinct;
    /* DISTINCT values are snapshotted by the caller (aggset_distinct_*), not inside each
     * group's aggset_save/aggset_load bytes (stream_op_agg: values as entries of their own,
     * written incrementally) */
    bool external_distinct;
    size_t state_bytes; /* sum of state sizes: memory per group */
    uint16 sel[LM_BATCH_SIZE];
} AggSet;

typedef struct DistinctSet DistinctSet;

typedef struct AggStates {
    char **arr; /* per aggregate */
    DistinctSet **dset; /* per aggregate: the values seen by a DISTINCT call, or NULL */
    uint32 capacity;
    Arena *arena;
} AggStates;

/* what: "pipelines" / "SESSION windows" — the context named in 0A000 errors.  State memory
 * (var-width states) comes from state_arena. */
void aggset_init(Operator *op, AggSet *s, int naggs, const AggCall *calls, Arena *state_arena,
                 const char *what);
void aggstates_init(const AggSet *s, AggStates *st, Arena *a);
/* Where var-width states grow from now on (the arena of the window being updated). */
void aggset_set_arena(AggSet *s, Arena *a);
/* Makes ids 0..n-1 valid; new states initialised. */
void aggstates_reserve(const AggSet *s, AggStates *st, uint32 n);
void aggstates_reset(const AggSet *s, AggStates *st, uint32 gid);
/* Folds the live rows of in into states gids[r] (gids indexed by row position). */
void aggset_update(AggSet *s, const Batch *in, const uint32 *gids, AggStates *st);
/* out[0..naggs) receive group gid's results at row. */
void aggset_finalize(AggSet *s, const AggStates *st, uint32 gid, Vector *out, int row);
/* dst := dst merged with src (session windows that join); src is left as it is. */
void aggset_merge(AggSet *s, AggStates *st, uint32 dst, uint32 src);
/* Appends group gid's states to out (flat states as bytes, replayed ones as their result). */
void aggset_save(AggSet *s, const AggStates *st, uint32 gid, StrBuf *out, Arena *scratch);
/* Reads what aggset_save wrote into group gid (reserved, freshly initialised); advances *p. */
void aggset_load(AggSet *s, AggStates *st, uint32 gid, const char **p, const char *end,
                 Arena *scratch);

/* DISTINCT values of aggregate agg, as entries 0..size-1 in the order they were first seen
 * (the callers' incremental snapshots write the new suffix).  _get returns false for an entry
 * of a group that was reset since; *len is AGGSET_NULL_LEN for a NULL value.  _put adds a
 * value to group gid's set (restore). */
#define AGGSET_NULL_LEN UINT32_MAX
uint32 aggset_distinct_size(const AggSet *s, const AggStates *st, int agg);
bool aggset_distinct_get(const AggSet *s, const AggStates *st, int agg, uint32 i, uint32 *gid,
                         const char **key, uint32 *len);
void aggset_distinct_put(AggSet *s, AggStates *st, int agg, uint32 gid, const char *key,
                         uint32 len);

/* Row codec: per column a NULL flag byte, then (not NULL) a 4-byte length and the value in
 * PostgreSQL's binary format.  rowcodec_get parses ncols values into dst row `row`. */
void rowcodec_put(StrBuf *out, const Batch *b, int row, int ncols, const int *cols);
void rowcodec_put_vectors(StrBuf *out, Vector *const *vs, int row, int ncols);
void rowcodec_get(const char **p, const char *end, Vector *dst, int ncols, int row, Arena *a);
/* Fixed-width helpers for state keys/values (big-endian; order-preserving for signed ints). */
void codec_put_i64(StrBuf *out, int64 v);
int64 codec_get_i64(const char **p, const char *end);
void codec_put_u32(StrBuf *out, uint32 v);
uint32 codec_get_u32(const char **p, const char *end);
/* Corrupt state: raises XX001. */
void codec_corrupt(void) LM_NORETURN;

#endif
