/* datadir.h: creating and locking the data directory. */
#ifndef LM_DATADIR_H
#define LM_DATADIR_H

#include "common/lm.h"

/* Creates datadir if missing and takes its lock file (DATADIR/laminard.pid).  If another
 * process holds it, prints which and returns false. */
bool datadir_lock(const char *datadir);
void datadir_unlock(void);

#endif
