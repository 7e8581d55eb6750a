/*
 * reg_names.h: text input and output of PostgreSQL's reg* types (regclass,
 * regtype, regproc, regprocedure, regnamespace, regrole).
 *
 * A reg* value is an OID (TYPE_OID relabelled with the reg type's pg_oid) that
 * PostgreSQL prints as the name of what it identifies: 'pg_class'::regclass
 * prints pg_class, pg_typeof(1) prints integer.  Turning OIDs into names and
 * back needs the catalog and the system-view registry, which live above
 * common/; the planner installs the lookups once at start-up with
 * reg_names_install() (planner/catalog_hooks.c) and value_io.c calls them
 * through this table, so common/ never calls up.  Without hooks (unit tests
 * of common/ alone) reg* values print and parse as plain numbers.
 */
#ifndef LM_REG_NAMES_H
#define LM_REG_NAMES_H

#include "common/strbuf.h"
#include "common/types.h"

typedef struct RegNameHooks {
    /* Appends the name of `oid` as the reg type `reg_type` prints it (REGCLASSOID, ...);
     * returns false when nothing has that OID (the caller prints the number). */
    bool (*oid_to_name)(Oid reg_type, Oid oid, StrBuf *out);
    /* The OID a name (not a number) denotes as reg_type; raises PostgreSQL's error when
     * nothing has that name (42P01 for regclass, 42704 for regtype/regrole/regnamespace,
     * 42883 for regproc). */
    Oid (*name_to_oid)(Oid reg_type, const char *name, size_t len);
} RegNameHooks;

void reg_names_install(const RegNameHooks *hooks); /* copies *hooks */

/* Is pg_oid one of the reg* types printed by name? */
bool reg_type_is_named(Oid pg_oid);
/* The name alone: false (nothing appended) when no hook knows the OID. */
bool reg_names_lookup(Oid reg_type, Oid oid, StrBuf *out);
/* Output: the name, "-" for OID 0, or the number when nothing has that OID. */
void reg_names_format(Oid reg_type, Oid oid, StrBuf *out);
/* Input: a number is taken as the OID itself, "-" as 0, anything else is looked up. */
Oid reg_names_parse(Oid reg_type, const char *s, size_t len);

#endif
