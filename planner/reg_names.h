/* reg_names.h: the planner's reg* lookups (planner/reg_names.c) — OIDs to names for value
 * output and names to OIDs for 'pg_class'::regclass and run-time text casts. */
#ifndef LM_PLANNER_REG_NAMES_H
#define LM_PLANNER_REG_NAMES_H

#include "executor/exec.h"
#include "common/strbuf.h"

/* Appends what `oid` names as reg_type prints it; false when nothing has that OID. */
bool planner_reg_name(Oid reg_type, Oid oid, StrBuf *out);
/* The OID `text` names as reg_type (REGCLASSOID, ...), as ctx's session sees the catalog (ctx
 * may be NULL: committed catalog, default search_path).  Raises PostgreSQL's error with
 * position loc (0-based, -1 for none) when nothing has that name. */
Oid planner_reg_lookup(ExecContext *ctx, Arena *a, Oid reg_type, const char *text, int loc);
/* Installs the lookups into common/reg_names.h (catalog_hooks.c calls it at start-up). */
void planner_install_reg_names(void);

#endif
