/*
 * catalog_txn.h: catalog access through a session's transaction.
 *
 * Outside a transaction block a change goes straight to the catalog (which
 * makes it durable before returning).  Inside BEGIN ... COMMIT changes are
 * queued in the session and become visible to the session's own later
 * statements at once, to other sessions only at COMMIT; ROLLBACK forgets
 * them.  Lookups here see the session's queued changes first.
 */
#ifndef LM_CATALOG_TXN_H
#define LM_CATALOG_TXN_H

#include "server/session.h"
#include "storage/catalog.h"

CatProfile *ctx_get_profile(Session *s, Arena *a, const char *name_or_id);
CatTable *ctx_get_table(Session *s, Arena *a, const char *name_or_id);
CatSecret *ctx_get_secret(Session *s, Arena *a, const char *name);
CatProfile *ctx_list_profiles(Session *s, Arena *a, int *n);
CatTable *ctx_list_tables(Session *s, Arena *a, int *n);
CatSecret *ctx_list_secrets(Session *s, Arena *a, int *n);

/* Callers check existence first (duplicate and missing-object errors are theirs to raise). */
void ctx_create_profile(Session *s, CatProfile *p);
void ctx_update_profile(Session *s, const CatProfile *p);
void ctx_drop_profile(Session *s, const char *name);
void ctx_create_table(Session *s, CatTable *t);
void ctx_update_table(Session *s, const CatTable *t);
void ctx_drop_table(Session *s, const char *name);
void ctx_create_secret(Session *s, CatSecret *sec);
void ctx_drop_secret(Session *s, const char *name);

/* Applies (commit) or forgets (abort) the queued changes; both end the CatalogTxn. */
void catalog_txn_commit(Session *s);
void catalog_txn_abort(Session *s);

#endif
