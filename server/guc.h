/*
 * guc.h: session settings (PostgreSQL's "grand unified configuration").
 *
 * The built-in settings are a fixed table; settings with a dot in the name
 * (myapp.tenant) are user placeholders, as in PostgreSQL.  Names are case
 * insensitive.  SET inside a transaction block is undone by ROLLBACK; SET
 * LOCAL lasts until the end of the transaction.  Settings marked "report"
 * are announced to the client with ParameterStatus whenever they change.
 */
#ifndef LM_GUC_H
#define LM_GUC_H

#include "server/session.h"

typedef enum GucScope { GUC_SCOPE_STARTUP, GUC_SCOPE_SESSION, GUC_SCOPE_LOCAL } GucScope;

/* Creates the session's settings from defaults and its startup parameters; reports them. */
void guc_session_init(Session *s, int nstartup, const char *const *names, const char *const *values);

/* Frees the session's settings (at session end). */
void guc_session_free(Session *s);

/* SET name = value (value NULL: DEFAULT).  Raises 42704 for unknown names, 22023 for bad
 * values, 55P02 for read-only settings. */
void guc_set(Session *s, const char *name, const char *value, GucScope scope);
void guc_reset_all(Session *s);
/* Current value, or NULL (missing_ok) / 42704 for unknown names. */
const char *guc_get(Session *s, const char *name, bool missing_ok);
/* The canonical (display) name of a setting, e.g. "DateStyle" for "datestyle". */
const char *guc_display_name(const char *name);

/* Transaction hooks: begin saves nothing; commit keeps SETs, drops SET LOCALs; abort undoes both. */
void guc_txn_commit(Session *s);
void guc_txn_abort(Session *s);

/* Iteration for SHOW ALL / pg_settings: returns false past the end. */
bool guc_iter(Session *s, int index, const char **name, const char **value, const char **description);

#endif
