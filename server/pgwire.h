/*
 * pgwire.h: the PostgreSQL v3 wire protocol server.
 *
 * One acceptor thread; one thread per client session (correctness first:
 * a session never blocks another).  Handles startup, SSL/GSSENC requests,
 * authentication (trust, password, SCRAM-SHA-256 per config rules), simple
 * and extended query, COPY-free result delivery, CancelRequest, and protocol
 * errors (FATAL, connection closed; the server and other sessions go on).
 */
#ifndef LM_PGWIRE_H
#define LM_PGWIRE_H

#include "server/config.h"

/* Binds cfg->listen:cfg->port and starts accepting.  Logs and returns false on failure. */
bool pgwire_start(const ServerConfig *cfg);
/* Stops accepting, ends every session with FATAL 57P01, waits for their threads. */
void pgwire_shutdown(void);
/* Number of live client sessions. */
int pgwire_session_count(void);

#endif
