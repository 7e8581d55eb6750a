/* catalog_hooks.h: installs the planner's catalog knowledge for the executor's pg_catalog
 * functions (see catalog_hooks.c).  Call once at start-up. */
#ifndef LM_CATALOG_HOOKS_H
#define LM_CATALOG_HOOKS_H

void planner_install_catalog_hooks(void);

#endif
