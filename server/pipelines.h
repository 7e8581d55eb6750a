/*
 * pipelines.h: CREATE / START / STOP / DROP / EXPLAIN PIPELINE.
 */
#ifndef LM_PIPELINES_H
#define LM_PIPELINES_H

#include "parser/parser.h"
#include "planner/plan.h"
#include "server/result.h"
#include "server/session.h"
#include "storage/catalog.h"

/* Runs one of the pipeline statements (STMT_*_PIPELINE); *rs gets START's job_id row and
 * EXPLAIN PIPELINE's plan lines. */
void pipelines_execute(Session *s, Arena *a, const ParsedStmt *st, ResultSet **rs, char tag[64]);
/* The result columns of START PIPELINE (job_id) and EXPLAIN PIPELINE (QUERY PLAN); NULL for
 * the others. */
ResultSet *pipelines_result_shape(Arena *a, const ParsedStmt *st);

/* 2BP01 when a pipeline (as the session sees them) reads or writes table t: DROP of tables
 * checks this before queuing the drop. */
void pipelines_check_table_unused(Session *s, Arena *a, const CatTable *t);

/* Binds a pipeline's stored body for a job (outside any session: search_path is public).
 * Errors carry no position (it would point into the stored text, not the client's) and say
 * which pipeline they are about. */
PlanNode *pipelines_bind_stored(Arena *a, const CatPipeline *p);

/* SHOW CREATE PIPELINE text. */
char *pipelines_show_create(Arena *a, const CatPipeline *p);

#endif
