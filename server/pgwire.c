/*
 * pgwire.c: the PostgreSQL protocol server: listening, connection threads,
 * sessions, cancel requests and shutdown.
 *
 * Thread model (correctness first, DESIGN.md): one acceptor thread polls the
 * listening sockets; every accepted connection gets its own detached thread
 * that runs start-up, authentication and the message loop, so a slow or
 * stuck client never holds up another.  Every thread wraps its work in
 * LM_TRY, so an ereport(ERROR/FATAL) never escapes; a FATAL error is sent to
 * the client (when it is still there) and ends only that connection.
 *
 * The registry (a list of PgConn under reg_lock) is how other threads reach
 * a connection: CancelRequest finds the session by backend pid and compares
 * the cancel key in constant time; pgwire_shutdown() marks every connection
 * terminating and shuts the read side of its socket, which wakes a blocked
 * read; the thread then sends FATAL 57P01 and exits.  Shutdown waits on a
 * condition variable until every connection thread has unregistered.
 *
 * Limits: max_connections counts authenticated-or-authenticating sessions
 * (checked after the startup packet, answered with FATAL 53300 as
 * PostgreSQL does).  Threads are also capped a little above that so a flood
 * of idle half-open connections cannot exhaust the process; those wait at
 * most PQ_STARTUP_TIMEOUT_SECS for their startup packet.
 */
#include "server/pgwire.h"
#include "common/log.h"
#include "server/pgwire_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_LISTENERS 16
/* connection threads allowed beyond max_connections (startup, cancel requests) */
#define EXTRA_CONNECTION_THREADS 64
#define SHUTDOWN_GRACE_SECS 5

static const ServerConfig *wire_cfg;
static SSL_CTX *ssl_ctx;
static int listen_fds[MAX_LISTENERS];
static int nlisten;
static int wake_pipe[2] = {-1, -1};
static pthread_t acceptor_thread;
static bool started;
static atomic_bool shutting_down;

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reg_cond = PTHREAD_COND_INITIALIZER;
static PgConn *reg_head;
static int nconn_threads; /* registered connections */
static int nreserved;     /* sessions holding a max_connections slot */
static int nsessions;     /* sessions past authentication */
static int32 next_backend_pid = 1;

/* ---------------------------------------------------------------- registry */

static void registry_remove(PgConn *c)
{
    pthread_mutex_lock(&reg_lock);
    for (PgConn **pp = &reg_head; *pp; pp = &(*pp)->reg_next)
        if (*pp == c) {
            *pp = c->reg_next;
            break;
        }
    nconn_threads--;
    if (c->counted_session)
        nreserved--;
    if (c->session)
        nsessions--;
    c->session = NULL;
    pthread_cond_broadcast(&reg_cond);
    pthread_mutex_unlock(&reg_lock);
}

int pgwire_session_count(void)
{
    pthread_mutex_lock(&reg_lock);
    int n = nsessions;
    pthread_mutex_unlock(&reg_lock);
    return n;
}

void pgwire_reserve_session(PgConn *c)
{
    if (atomic_load(&shutting_down))
        ereport(FATAL, errcode(ERRCODE_CANNOT_CONNECT_NOW),
                errmsg("the database system is shutting down"));
    pthread_mutex_lock(&reg_lock);
    bool ok = nreserved < wire_cfg->max_connections;
    if (ok) {
        nreserved++;
        c->counted_session = true;
    }
    pthread_mutex_unlock(&reg_lock);
    if (!ok)
        ereport(FATAL, errcode(ERRCODE_TOO_MANY_CONNECTIONS),
                errmsg("sorry, too many clients already"));
}

void pgwire_handle_cancel(int32 pid, int32 key)
{
    bool found = false;
    pthread_mutex_lock(&reg_lock);
    for (PgConn *c = reg_head; c; c = c->reg_next) {
        if (c->session == NULL || c->backend_pid != pid)
            continue;
        if (CRYPTO_memcmp(&c->cancel_key, &key, sizeof key) == 0) {
            atomic_store(&c->session->cancel_requested, true);
            found = true;
        }
        break;
    }
    pthread_mutex_unlock(&reg_lock);
    if (found)
        lm_log(LOG_DEBUG, "cancel request for backend %d", pid);
    else
        lm_log(LOG_DEBUG, "cancel request for backend %d ignored: no matching session", pid);
}

/* ---------------------------------------------------------------- sessions */

static void report_parameter(Session *s, const char *name, const char *value)
{
    pq_send_parameter_status((PgConn *)s->wire, name, value);
}

static void notice_hook(void *arg, const ErrorData *e)
{
    PgConn *c = arg;
    if (!c->broken)
        pq_send_notice(c, e);
}

static int64 now_micros(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void set_recv_timeout(int fd, int secs)
{
    struct timeval tv = {.tv_sec = secs, .tv_usec = 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static void start_session(PgConn *c)
{
    Arena *a = arena_create("session", NULL);
    Session *s = arena_new(a, Session);
    s->arena = a;
    s->user = arena_strdup(a, c->user);
    s->database = arena_strdup(a, c->database);
    s->is_superuser = c->is_superuser;
    s->client_addr = arena_strdup(a, c->client_addr);
    s->started_at = now_micros();
    s->txn = TXN_IDLE;
    atomic_init(&s->cancel_requested, false);
    s->nstartup = c->nstartup;
    s->startup_names = arena_new_array(a, const char *, c->nstartup + 1);
    s->startup_values = arena_new_array(a, const char *, c->nstartup + 1);
    for (int i = 0; i < c->nstartup; i++) {
        s->startup_names[i] = arena_strdup(a, c->startup_names[i]);
        s->startup_values[i] = arena_strdup(a, c->startup_values[i]);
    }
    s->report_parameter = report_parameter;
    s->wire = c;

    int32 key;
    if (RAND_bytes((unsigned char *)&key, sizeof key) != 1) {
        arena_destroy(a);
        ereport(FATAL, errcode(ERRCODE_INTERNAL_ERROR),
                errmsg("could not generate random cancel key"));
    }
    pthread_mutex_lock(&reg_lock);
    s->backend_pid = next_backend_pid++;
    if (next_backend_pid <= 0 || next_backend_pid > 999999999)
        next_backend_pid = 1; /* ids are long free again by the time this wraps */
    s->cancel_key = key;
    c->backend_pid = s->backend_pid;
    c->cancel_key = key;
    c->session = s;
    nsessions++;
    pthread_mutex_unlock(&reg_lock);

    char name[16];
    snprintf(name, sizeof name, "backend %d", s->backend_pid);
    log_set_thread_name(name);

    sql_session_start(s);
    c->session_started = true;
    set_recv_timeout(c->fd, 0); /* idle sessions may stay as long as they like */

    size_t start = pq_begin(c, 'K'); /* BackendKeyData */
    pq_put_int32(c, s->backend_pid);
    pq_put_int32(c, s->cancel_key);
    pq_end(c, start);
    pq_send_ready(c, sql_txn_status(s));
    pq_flush(c);
    pq_check_broken(c);
}

static void end_session(PgConn *c)
{
    Session *s = c->session;
    if (s == NULL)
        return;
    if (c->session_started) {
        LM_TRY();
        {
            sql_session_end(s);
        }
        LM_CATCH();
        {
            ErrorData *e = error_current();
            lm_log(LOG_WARN, "error while ending session %d: %s", s->backend_pid, e->message);
            error_clear();
        }
        LM_END_TRY();
    }
    pgwire_drop_all(c);
    /* unregister before freeing, so a concurrent cancel never sees a dead session */
    pthread_mutex_lock(&reg_lock);
    c->session = NULL;
    nsessions--;
    pthread_mutex_unlock(&reg_lock);
    arena_destroy(s->arena);
}

/* ---------------------------------------------------------------- connection thread */

static void report_fatal(PgConn *c, const ErrorData *e)
{
    bool quiet = c->client_eof && (c->session == NULL || c->session->txn == TXN_IDLE);
    if (!quiet && strcmp(e->sqlstate, ERRCODE_INVALID_PASSWORD) != 0)
        lm_log(c->session ? LOG_INFO : LOG_DEBUG, "connection %s%s%s: %s: %s (%s)", c->remote,
               c->user ? " user " : "", c->user ? c->user : "", error_level_name(FATAL), e->message,
               e->sqlstate);
    if (c->broken)
        return;
    /* do not let a client that stopped reading hold this thread forever */
    struct timeval tv = {.tv_sec = SHUTDOWN_GRACE_SECS, .tv_usec = 0};
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    c->error_query = NULL;
    pq_discard_open_message(c);
    pq_send_error(c, e, FATAL);
    pq_flush(c);
}

static void close_connection(PgConn *c)
{
    if (c->ssl) {
        if (!c->broken)
            SSL_shutdown(c->ssl); /* sends close_notify; does not wait for the peer's */
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    close(c->fd);
    c->fd = -1;
}

static void *connection_main(void *arg)
{
    PgConn *c = arg;
    log_set_thread_name("pgconn");
    error_set_notice_hook(notice_hook, c);

    LM_TRY();
    {
        c->arena = arena_create("connection", NULL);
        pq_init(c);
        if (pgwire_startup(c, ssl_ctx)) {
            start_session(c);
            pgwire_serve(c);
        }
        pq_flush(c);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        if (c->out.data == NULL) /* pq_init itself failed: nothing to send with */
            c->broken = true;
        report_fatal(c, e);
        error_clear();
    }
    LM_END_TRY();

    end_session(c);
    error_set_notice_hook(NULL, NULL);
    close_connection(c);
    registry_remove(c);
    if (c->inbuf)
        pq_free(c);
    arena_destroy(c->arena);
    lm_free(c);
    return NULL;
}

/* A connection we cannot serve: tell the client why, without blocking, and close. */
static void refuse_connection(int fd, const char *sqlstate, const char *message)
{
    char buf[256];
    int n = snprintf(buf + 5, sizeof buf - 5, "SFATAL%cVFATAL%cC%s%cM%s%c%c", 0, 0, sqlstate, 0,
                     message, 0, 0);
    if (n > 0 && n < (int)sizeof buf - 5) {
        uint32 len = (uint32)n + 4;
        buf[0] = 'E';
        buf[1] = (char)(len >> 24);
        buf[2] = (char)(len >> 16);
        buf[3] = (char)(len >> 8);
        buf[4] = (char)len;
        (void)!send(fd, buf, (size_t)n + 5, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    close(fd);
}

static void format_address(const struct sockaddr_storage *ss, char *host, size_t hostlen,
                           char *remote, size_t remotelen)
{
    char port[16] = "";
    if (getnameinfo((const struct sockaddr *)ss, sizeof *ss, host, (socklen_t)hostlen, port,
                    sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(host, hostlen, "%s", "unknown");
    if (ss->ss_family == AF_INET6)
        snprintf(remote, remotelen, "[%s]:%s", host, port);
    else
        snprintf(remote, remotelen, "%s:%s", host, port);
}

static void spawn_connection(int fd, const struct sockaddr_storage *addr, socklen_t addrlen)
{
    pthread_mutex_lock(&reg_lock);
    bool full = nconn_threads >= wire_cfg->max_connections + EXTRA_CONNECTION_THREADS;
    pthread_mutex_unlock(&reg_lock);
    if (full) {
        lm_log(LOG_WARN, "too many connections: refusing a new one");
        refuse_connection(fd, ERRCODE_TOO_MANY_CONNECTIONS, "sorry, too many clients already");
        return;
    }

    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    set_recv_timeout(fd, PQ_STARTUP_TIMEOUT_SECS);

    PgConn *c = lm_calloc(1, sizeof(PgConn));
    c->fd = fd;
    memcpy(&c->addr, addr, sizeof *addr);
    c->addrlen = addrlen;
    c->cfg = wire_cfg;
    atomic_init(&c->terminating, false);
    format_address(addr, c->client_addr, sizeof c->client_addr, c->remote, sizeof c->remote);

    pthread_mutex_lock(&reg_lock);
    c->reg_next = reg_head;
    reg_head = c;
    nconn_threads++;
    pthread_mutex_unlock(&reg_lock);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t tid;
    int err = pthread_create(&tid, &attr, connection_main, c);
    pthread_attr_destroy(&attr);
    if (err != 0) {
        lm_log(LOG_ERROR, "could not create a thread for connection %s: %s", c->remote,
               strerror(err));
        registry_remove(c);
        lm_free(c);
        refuse_connection(fd, ERRCODE_INSUFFICIENT_RESOURCES, "could not create a server thread");
    }
}

static void *acceptor_main(void *arg)
{
    log_set_thread_name("pgwire-accept");
    struct pollfd pfds[MAX_LISTENERS + 1];
    for (int i = 0; i < nlisten; i++)
        pfds[i] = (struct pollfd){.fd = listen_fds[i], .events = POLLIN};
    pfds[nlisten] = (struct pollfd){.fd = wake_pipe[0], .events = POLLIN};

    while (!atomic_load(&shutting_down)) {
        int n = poll(pfds, (nfds_t)nlisten + 1, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            lm_log(LOG_ERROR, "poll on listening sockets failed: %s", strerror(errno));
            usleep(100 * 1000);
            continue;
        }
        if (pfds[nlisten].revents)
            break;
        for (int i = 0; i < nlisten; i++) {
            if (!(pfds[i].revents & POLLIN))
                continue;
            struct sockaddr_storage addr;
            socklen_t addrlen = sizeof addr;
            int fd = accept4(listen_fds[i], (struct sockaddr *)&addr, &addrlen, SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                    lm_log(LOG_WARN, "could not accept a connection: %s", strerror(errno));
                    usleep(100 * 1000); /* let sessions end and free descriptors */
                }
                continue;
            }
            spawn_connection(fd, &addr, addrlen);
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------- start and stop */

static bool load_tls(const ServerConfig *cfg)
{
    ssl_ctx = SSL_CTX_new(TLS_server_method());
    if (ssl_ctx == NULL) {
        lm_log(LOG_ERROR, "could not create SSL context");
        return false;
    }
    SSL_CTX_set_min_proto_version(ssl_ctx, TLS1_2_VERSION);
    /* a client that vanishes without close_notify is an EOF, not an SSL error that would poison
     * the FATAL message we still try to send */
    SSL_CTX_set_options(ssl_ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
                                     SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_mode(ssl_ctx, SSL_MODE_AUTO_RETRY);
    const char *what = NULL, *file = NULL;
    if (SSL_CTX_use_certificate_chain_file(ssl_ctx, cfg->ssl_cert_file) != 1) {
        what = "certificate";
        file = cfg->ssl_cert_file;
    } else if (SSL_CTX_use_PrivateKey_file(ssl_ctx, cfg->ssl_key_file, SSL_FILETYPE_PEM) != 1) {
        what = "private key";
        file = cfg->ssl_key_file;
    } else if (SSL_CTX_check_private_key(ssl_ctx) != 1) {
        what = "private key (it does not match the certificate)";
        file = cfg->ssl_key_file;
    }
    if (what) {
        char reason[256] = "unknown error";
        unsigned long err = ERR_get_error();
        if (err)
            ERR_error_string_n(err, reason, sizeof reason);
        lm_log(LOG_ERROR, "could not load SSL %s file \"%s\": %s", what, file, reason);
        SSL_CTX_free(ssl_ctx);
        ssl_ctx = NULL;
        return false;
    }
    return true;
}

static bool bind_address(const char *host, int port)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    int err = getaddrinfo(host, portstr, &hints, &res);
    if (err != 0) {
        lm_log(LOG_ERROR, "could not resolve listen address \"%s\": %s", host ? host : "*",
               gai_strerror(err));
        return false;
    }
    int bound = 0;
    for (struct addrinfo *ai = res; ai && nlisten < MAX_LISTENERS; ai = ai->ai_next) {
        char hostbuf[64] = "?";
        getnameinfo(ai->ai_addr, ai->ai_addrlen, hostbuf, sizeof hostbuf, NULL, 0, NI_NUMERICHOST);
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            lm_log(LOG_WARN, "could not create socket for %s: %s", hostbuf, strerror(errno));
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
            lm_log(LOG_ERROR, "could not listen on %s port %d: %s%s", hostbuf, port,
                   strerror(errno),
                   errno == EADDRINUSE ? " (is another server already running on that port?)" : "");
            close(fd);
            continue;
        }
        listen_fds[nlisten++] = fd;
        bound++;
    }
    freeaddrinfo(res);
    return bound > 0;
}

bool pgwire_start(const ServerConfig *cfg)
{
    wire_cfg = cfg;
    atomic_store(&shutting_down, false);
    if (cfg->ssl_cert_file && cfg->ssl_key_file && !load_tls(cfg))
        return false;

    /* listen: comma-separated addresses or host names; "*" means every interface */
    char *list = lm_strdup(cfg->listen ? cfg->listen : "127.0.0.1");
    bool ok = true;
    char *save = NULL;
    for (char *tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        const char *host = strcmp(tok, "*") == 0 ? NULL : tok;
        if (!bind_address(host, cfg->port))
            ok = false;
    }
    lm_free(list);
    if (!ok || nlisten == 0 || pipe2(wake_pipe, O_CLOEXEC) != 0) {
        for (int i = 0; i < nlisten; i++)
            close(listen_fds[i]);
        nlisten = 0;
        if (ssl_ctx) {
            SSL_CTX_free(ssl_ctx);
            ssl_ctx = NULL;
        }
        return false;
    }
    int err = pthread_create(&acceptor_thread, NULL, acceptor_main, NULL);
    if (err != 0) {
        lm_log(LOG_ERROR, "could not start the connection acceptor: %s", strerror(err));
        return false;
    }
    started = true;
    return true;
}

/* Waits until every connection thread has ended or the deadline passes. */
static bool wait_for_connections(int secs)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += secs;
    pthread_mutex_lock(&reg_lock);
    while (nconn_threads > 0) {
        if (pthread_cond_timedwait(&reg_cond, &reg_lock, &deadline) == ETIMEDOUT)
            break;
    }
    bool done = nconn_threads == 0;
    pthread_mutex_unlock(&reg_lock);
    return done;
}

void pgwire_shutdown(void)
{
    if (!started)
        return;
    started = false;
    atomic_store(&shutting_down, true);
    (void)!write(wake_pipe[1], "x", 1);
    pthread_join(acceptor_thread, NULL);
    for (int i = 0; i < nlisten; i++)
        close(listen_fds[i]);
    nlisten = 0;

    /* wake every session: its next (or current) read ends, and it sends FATAL 57P01 */
    pthread_mutex_lock(&reg_lock);
    for (PgConn *c = reg_head; c; c = c->reg_next) {
        atomic_store(&c->terminating, true);
        if (c->session)
            atomic_store(&c->session->cancel_requested, true); /* stop a running statement */
        shutdown(c->fd, SHUT_RD);
    }
    pthread_mutex_unlock(&reg_lock);

    if (!wait_for_connections(SHUTDOWN_GRACE_SECS)) {
        /* sessions stuck writing to clients that do not read: cut them off */
        pthread_mutex_lock(&reg_lock);
        for (PgConn *c = reg_head; c; c = c->reg_next)
            shutdown(c->fd, SHUT_RDWR);
        pthread_mutex_unlock(&reg_lock);
        if (!wait_for_connections(SHUTDOWN_GRACE_SECS))
            lm_log(LOG_WARN, "%d connection threads did not end in time", nconn_threads);
    }
    close(wake_pipe[0]);
    close(wake_pipe[1]);
    wake_pipe[0] = wake_pipe[1] = -1;
    if (ssl_ctx && nconn_threads == 0) {
        SSL_CTX_free(ssl_ctx);
        ssl_ctx = NULL;
    }
}
