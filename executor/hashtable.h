/*
 * hashtable.h: a vectorized hash table keyed by one or more column vectors —
 * the building block of hash aggregation, DISTINCT, set operations and hash
 * joins.
 *
 * Every distinct key gets a dense group id 0, 1, 2, ... in order of first
 * appearance; the key values are copied into the table (a RowSet whose global
 * row index is the group id), so callers can read them back for output.
 * Whole batches are hashed at once (one kernel per key column and type), then
 * each row probes an open-addressing table of group ids.
 *
 * NULL keys: with nulls_equal (GROUP BY, DISTINCT, set operations) NULLs form
 * one group like any value; without it (joins) a row with a NULL in any key
 * column is never inserted and never matches: its id is HT_NONE.
 * Integers of different widths hash and compare by value, and FLOAT32 as
 * FLOAT64, so join keys of int4 and int8 columns match.
 */
#ifndef LM_HASHTABLE_H
#define LM_HASHTABLE_H

#include "executor/exec.h"

#define HT_NONE UINT32_MAX

typedef struct HashTable HashTable;

HashTable *hashtable_create(Arena *a, int nkeys, const LmType *const *types, bool nulls_equal);
/* hashes[r] for every live row r of b over the key vectors (indexed by row position). */
void hashtable_hash(int nkeys, Vector *const *keys, const Batch *b, uint64 *hashes);
/* ids[r] for every live row r: the row's group, inserted when new (HT_NONE for NULL keys
 * without nulls_equal).  New groups get consecutive ids in row order. */
void hashtable_find_or_insert(HashTable *ht, Vector *const *keys, const Batch *b, uint32 *ids);
/* ids[r] for every live row r: the row's group or HT_NONE when absent. */
void hashtable_probe(HashTable *ht, Vector *const *keys, const Batch *b, uint32 *ids);
uint32 hashtable_count(const HashTable *ht);
/* The stored keys: column k of group g is rowset column k at global row g. */
const RowSet *hashtable_keys(const HashTable *ht);

#endif
