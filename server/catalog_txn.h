/*
 * catalog_txn.h: catalog access through a session's transaction.
 *
 * Outside a transaction block a change goes straight to the catalog (which
 * makes it durable before returning).  Inside BEGIN ... COMMIT changes are
 * queued in the session and become visible to the session's own later
 * statements at once, to other sessions only at COMMIT; ROLLBACK forgets
 * them.  Lookups here see the session's queued changes first.  A CREATE
 * TABLE (or SCHEMA) queued in a block gets its OID at once (it keys the
 * table's rows before COMMIT).
 */
#ifndef LM_CATALOG_TXN_H
#define LM_CATALOG_TXN_H

#include "server/session.h"
#include "storage/catalog.h"

CatProfile *ctx_get_profile(Session *s, Arena *a, const char *name_or_id);
CatTable *ctx_get_table(Session *s, Arena *a, const char *name_or_id); /* public, or an id */
CatTable *ctx_get_table_in(Session *s, Arena *a, const char *schema, const char *name);
bool ctx_schema_exists(Session *s, const char *name); /* built-in or created */
CatSchema *ctx_list_schemas(Session *s, Arena *a, int *n); /* created ones */
CatSecret *ctx_get_secret(Session *s, Arena *a, const char *name);
CatProfile *ctx_list_profiles(Session *s, Arena *a, int *n);
CatTable *ctx_list_tables(Session *s, Arena *a, int *n);
CatSecret *ctx_list_secrets(Session *s, Arena *a, int *n);
CatPipeline *ctx_get_pipeline(Session *s, Arena *a, const char *name_or_id);
CatPipeline *ctx_list_pipelines(Session *s, Arena *a, int *n);

/* Callers check existence first (duplicate and missing-object errors are theirs to raise). */
void ctx_create_profile(Session *s, CatProfile *p);
void ctx_update_profile(Session *s, const CatProfile *p);
void ctx_drop_profile(Session *s, const char *name);
void ctx_create_table(Session *s, CatTable *t);
void ctx_update_table(Session *s, const CatTable *t);
void ctx_drop_table(Session *s, const char *name);  /* name in public, or id */
void ctx_drop_table_in(Session *s, const char *schema, const char *name);
void ctx_create_schema(Session *s, CatSchema *sc);
void ctx_drop_schema(Session *s, const char *name, bool cascade);
void ctx_create_secret(Session *s, CatSecret *sec);
void ctx_drop_secret(Session *s, const char *name);
/* Pipelines: their definitions are transactional; state changes are the job manager's
 * (catalog_set_pipeline_state, outside transactions). */
void ctx_create_pipeline(Session *s, CatPipeline *p);
void ctx_drop_pipeline(Session *s, const char *name);

/*
 * Runs fn(arg) once the catalog changes queued so far are committed: at once
 * outside a transaction block (the change was applied already), else after
 * a successful COMMIT; forgotten on abort and when a savepoint rollback
 * forgets the ops queued before it.  For cleanup that must not happen unless
 * the change commits (a dropped pipeline's job data).  An error in fn is
 * logged as a warning: the commit stands.
 */
void ctx_after_commit(Session *s, void (*fn)(const char *arg), const char *arg);

/* Applies (commit) or forgets (abort) the queued changes; both end the CatalogTxn. */
void catalog_txn_commit(Session *s);
/* Commit, writing pre (a transaction's plain-table rows) in the same atomic batch. */
void catalog_txn_commit_with(Session *s, StorageBatch *pre);
/* Savepoints: the number of queued ops, and forgetting the ops queued after it. */
int catalog_txn_mark(Session *s);
void catalog_txn_rollback_to(Session *s, int mark);
void catalog_txn_abort(Session *s);

#endif
