/*
 * nexmark_schema.h: the columns of the Nexmark person, auction and bid
 * streams (the benchmark's field names in snake case).  Shared by the DDL
 * (to fill in or check a nexmark table's columns) and the generator.
 */
#ifndef LM_NEXMARK_SCHEMA_H
#define LM_NEXMARK_SCHEMA_H

#include "common/types.h"

typedef struct NexmarkColumn {
    const char *name;
    TypeId type;
} NexmarkColumn;

/* Columns of event_type ("person", "auction", "bid"); NULL for an unknown type. */
const NexmarkColumn *nexmark_schema(const char *event_type, int *ncolumns);

#endif
