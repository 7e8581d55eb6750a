/*
 * query.h: running planned statements (SELECT, VALUES, INSERT, UPDATE,
 * DELETE, EXPLAIN) for a session: binding with the session's context,
 * parameter values from the wire, and streaming the result a batch at a
 * time so that a large result never has to be held in memory.
 */
#ifndef LM_QUERY_H
#define LM_QUERY_H

#include "executor/exec.h"
#include "server/session.h"
#include "server/sql.h"
#include <pg_query/pg_query.pb-c.h>

typedef struct QueryPlan {
    PlanNode *plan;          /* NULL for EXPLAIN (text result) */
    char *explain_text;      /* EXPLAIN: '\n'-separated lines */
    int nparams;
    const LmType **param_types;
    ResultDesc desc;         /* empty (ncols 0) when the statement returns no rows */
    bool returns_rows;
    const char *command;     /* "SELECT", "INSERT", "UPDATE", "DELETE", "EXPLAIN" */
    uint64 catalog_version;  /* the catalog it was bound against */
} QueryPlan;

typedef struct QueryRun QueryRun;

/* Whether a PostgreSQL statement node is run through the planner. */
bool query_supports(const PgQuery__Node *stmt);
/* Binds stmt; ntypes/types: parameter types the client declared (0 = infer). */
QueryPlan *query_bind(Session *s, Arena *a, const char *text, PgQuery__Node *stmt, int ntypes,
                      const LmType **types);
/* Prepares a run of plan with parameter values (already decoded, one 1-row vector each). */
QueryRun *query_start(Session *s, Arena *a, QueryPlan *qp, Vector **params);
/* Sends up to max_rows (0: all) rows; true when finished, with the command tag in tag. */
bool query_fetch(QueryRun *run, int64 max_rows, DestReceiver *dest, char tag[64]);
/* Releases the run's operators (also after an error). */
void query_finish(QueryRun *run);

/* PREPARE's parameter types: resolves a type name (42704 when unknown); text is the query
 * the name's location refers to. */
const LmType *query_resolve_type(Session *s, Arena *a, const char *text, PgQuery__TypeName *tn);
/* EXECUTE's arguments: binds each of the n expressions with no FROM scope, coerced to types[i]
 * as an assignment (PostgreSQL's rule for EXECUTE parameters; 42804 "parameter $n of type ...
 * cannot be coerced ..." otherwise).  The arguments may use the enclosing statement's own
 * parameters ($1, ... of an EXECUTE sent through Parse): nparams and param_types hold their
 * declared types on entry (as BindContext's) and every one resolved on return. */
Expr **query_bind_args(Session *s, Arena *a, const char *text, int n, PgQuery__Node **args,
                       const LmType **types, int *nparams, const LmType ***param_types);
/* Evaluates bound arguments once, given the enclosing statement's parameter values; one 1-row
 * vector each, allocated in a. */
Vector **query_eval_args(Session *s, Arena *a, int n, Expr **args, int nparams,
                         const LmType **param_types, Vector **params);
/* Both for a simple query's EXECUTE (no enclosing parameters: $n raises 42P02). */
Vector **query_eval_params(Session *s, Arena *a, const char *text, int n, PgQuery__Node **args,
                           const LmType **types);

/* A fresh execution context for a statement of this session (no transaction attached). */
ExecContext *query_context(Session *s, Arena *a);

/* The services the executor may ask of this session. */
const SessionServices *query_services(Session *s);

#endif
