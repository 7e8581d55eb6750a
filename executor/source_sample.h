/* source_sample.h: bounded reads of a source table for ad-hoc SELECT (source_sample.c). */
#ifndef LM_SOURCE_SAMPLE_H
#define LM_SOURCE_SAMPLE_H

#include "executor/exec.h"
#include "planner/relation.h"

typedef struct SourceSample SourceSample;

/* How long one ad-hoc read of a source may take, and how many rows it returns at most. */
extern int64 source_sample_timeout_us;
extern int64 source_sample_max_rows;

/* Opens the connector as one subtask of one (every partition), from its configured start. */
SourceSample *source_sample_open(ExecContext *ctx, Arena *a, const Relation *rel);
/* Fills out (the relation's full column layout) with the next rows; false at the end
 * (timeout, row cap, or a bounded source that ended). */
bool source_sample_next(SourceSample *s, Batch *out);
void source_sample_close(SourceSample *s);

#endif
