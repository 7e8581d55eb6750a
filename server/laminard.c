/*
 * laminard.c: the server process.
 *
 * Start-up order: configuration, data directory lock, storage (RocksDB),
 * catalog, the streaming worker pool and the jobs that were running (resumed
 * from their last checkpoints), then the listeners (PostgreSQL protocol,
 * HTTP).  SIGTERM and SIGINT shut down in the reverse order: stop accepting,
 * end the sessions, suspend the jobs (final checkpoint; they resume at the
 * next start), close the catalog and storage, release the lock.  The main thread does
 * nothing but wait for those signals (sigwait), so no handler runs in an
 * arbitrary thread.
 */
#include "common/error.h"
#include "common/log.h"
#include "planner/catalog_hooks.h"
#include "server/config.h"
#include "server/datadir.h"
#include "server/http.h"
#include "server/jobs.h"
#include "server/pgwire.h"
#include "storage/catalog.h"
#include "storage/storage.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static ServerConfig config;

/* when this server started, microseconds since epoch (pg_postmaster_start_time) */
int64 laminard_start_time;

int main(int argc, char **argv)
{
    if (!config_load(&config, argc, argv))
        return 2;
    server_config = &config;
    laminard_start_time = catalog_now();
    log_set_level(config.log_level);

    /* Block the signals we wait for in every thread; SIGPIPE is ignored (we check write errors). */
    sigset_t waitset;
    sigemptyset(&waitset);
    sigaddset(&waitset, SIGTERM);
    sigaddset(&waitset, SIGINT);
    sigaddset(&waitset, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &waitset, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (!datadir_lock(config.datadir))
        return 1;

    Storage *volatile storage = NULL;
    bool ok = true;
    LM_TRY();
    {
        storage = storage_open(config.datadir);
        catalog_init(storage, config.bootstrap_user);
        planner_install_catalog_hooks();
        jobs_startup(storage, 0);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        lm_log(LOG_FATAL, "could not start: %s%s%s", e->message, e->detail ? " " : "",
               e->detail ? e->detail : "");
        ok = false;
    }
    LM_END_TRY();
    if (!ok) {
        jobs_shutdown();
        datadir_unlock();
        return 1;
    }

    if (!pgwire_start(&config)) {
        jobs_shutdown();
        catalog_shutdown();
        storage_close(storage);
        datadir_unlock();
        return 1;
    }
    if (config.http_port != 0 && !http_start(&config)) {
        pgwire_shutdown();
        jobs_shutdown();
        catalog_shutdown();
        storage_close(storage);
        datadir_unlock();
        return 1;
    }
    lm_log(LOG_INFO, "laminard ready: data directory %s, PostgreSQL protocol on %s:%d%s", config.datadir,
           config.listen, config.port, config.ssl_cert_file ? " (TLS available)" : "");
    if (config.http_port)
        lm_log(LOG_INFO, "HTTP API on %s:%d", config.listen, config.http_port);
    lm_log(LOG_INFO, "connect with: psql -h %s -p %d -U %s", config.listen, config.port,
           config.bootstrap_user);

    for (;;) {
        int sig = 0;
        sigwait(&waitset, &sig);
        if (sig == SIGHUP) {
            lm_log(LOG_INFO, "SIGHUP received; configuration reload is not supported, ignoring");
            continue;
        }
        lm_log(LOG_INFO, "received %s, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
        break;
    }

    if (config.http_port)
        http_stop();
    pgwire_shutdown();
    jobs_shutdown();
    catalog_shutdown();
    storage_close(storage);
    datadir_unlock();
    lm_log(LOG_INFO, "shutdown complete");
    return 0;
}
