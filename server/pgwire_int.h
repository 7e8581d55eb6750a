/*
 * pgwire_int.h: what the files of the wire protocol server share (not for
 * use outside server/pgwire*.c).
 *
 *   pgwire.c        acceptor thread, connection registry, cancel, shutdown,
 *                   the per-connection thread and session set-up
 *   pgwire_io.c     transport (plain fd or TLS), buffered input, message
 *                   framing and parsing, output buffering, message builders
 *   pgwire_auth.c   startup packet, SSL/GSSENC negotiation, authentication
 *   pgwire_query.c  simple and extended query message loop
 *
 * A PgConn belongs to its connection thread.  Only the fields marked
 * "registry" are touched by other threads, under the registry mutex.
 */
#ifndef LM_PGWIRE_INT_H
#define LM_PGWIRE_INT_H

#include "common/error.h"
#include "common/strbuf.h"
#include "server/config.h"
#include "server/session.h"
#include "server/sql.h"

#include <openssl/ssl.h>
#include <stdatomic.h>
#include <sys/socket.h>

#define PQ_INPUT_CHUNK 8192
#define PQ_OUTPUT_FLUSH_AT (64 * 1024)
#define PQ_MAX_STARTUP_PACKET 10000 /* as PostgreSQL */
#define PQ_STARTUP_TIMEOUT_SECS 60  /* startup packet and authentication */

/* Protocol codes of the startup phase. */
#define PQ_PROTOCOL(major, minor) (((major) << 16) | (minor))
#define PQ_CANCEL_REQUEST_CODE PQ_PROTOCOL(1234, 5678)
#define PQ_SSL_REQUEST_CODE PQ_PROTOCOL(1234, 5679)
#define PQ_GSSENC_REQUEST_CODE PQ_PROTOCOL(1234, 5680)

/* A prepared statement of the extended protocol (named, or the unnamed one). */
typedef struct WireStmt {
    struct WireStmt *next;
    char *name; /* "" for the unnamed statement */
    Arena *arena;
    char *query;
    PreparedStmt *prepared;
    int refcount; /* portals built from it keep it alive after Close */
    bool closed;
    bool from_sql;      /* made by SQL PREPARE (query: the PREPARE statement's text) */
    int64 prepare_time; /* microseconds since epoch */
} WireStmt;

/* A portal (bound statement) of the extended protocol. */
typedef struct WirePortal {
    struct WirePortal *next;
    char *name; /* "" for the unnamed portal */
    Arena *arena;
    WireStmt *stmt;
    Portal *portal;
    const ResultDesc *desc; /* NULL: returns no rows */
    int16 *formats;         /* one per result column */
    bool done;
    char tag[64];
} WirePortal;

typedef struct PgConn PgConn;
struct PgConn {
    int fd;
    SSL *ssl;
    struct sockaddr_storage addr;
    socklen_t addrlen;
    char client_addr[64]; /* "127.0.0.1", "::1" */
    char remote[100];     /* "127.0.0.1:51234" for logs */
    const ServerConfig *cfg;

    /* input: raw bytes from the transport, then the current message */
    char *inbuf;
    int inpos, inlen;
    char *msg; /* body of the last message read (NUL-terminated for convenience) */
    int msglen;
    int msgcap;

    /* output, flushed at ReadyForQuery/Flush/Sync or when larger than PQ_OUTPUT_FLUSH_AT */
    StrBuf out;
    long open_msg;   /* offset in out of the message being built, or -1 */
    StrBuf pending;  /* notices raised while a message was being built, sent after it */
    int64 msg_limit; /* largest message body accepted now (smaller during authentication) */
    bool broken;     /* the client is gone (EOF or write error): send nothing more */
    bool client_eof; /* the client closed the connection */

    /* set by authentication and session set-up */
    Arena *arena; /* connection arena: startup parameters, SCRAM state */
    char *user;
    char *database;
    char *application_name;
    int nstartup;
    const char **startup_names;
    const char **startup_values;
    bool is_superuser;
    bool counted_session; /* holds one of max_connections */

    Session *session;
    bool session_started; /* sql_session_start() ran */

    /* extended query state */
    WireStmt *stmts;
    WirePortal *portals;
    bool ignore_till_sync;
    const char *error_query; /* query text that ErrorData.position refers to, or NULL */
    Arena *pending_arena;    /* statement/portal arena being built; destroyed if that fails */

    /* registry (guarded by the registry mutex in pgwire.c) */
    PgConn *reg_next;
    int32 backend_pid;
    int32 cancel_key;
    atomic_bool terminating; /* pgwire_shutdown() asked this connection to end */
};

/* ---- pgwire_io.c: transport and framing */
void pq_init(PgConn *c);
void pq_free(PgConn *c);
/* Raw transport: returns bytes read (>0), 0 at EOF, -1 on error (errno set). */
long pq_raw_read(PgConn *c, void *buf, size_t n);
/* Bytes already received but not yet consumed (the CVE-2021-23222 check). */
int pq_buffered(const PgConn *c);
/* Reads exactly n bytes; raises FATAL on EOF (marking the client gone) or timeout. */
void pq_read_exact(PgConn *c, void *buf, int n);
/* Reads one regular message into c->msg/c->msglen; returns its type byte.  Raises FATAL
 * 08P01 on a bad length (< 4 or larger than max_message_size). */
int pq_read_message(PgConn *c);
/* Raises FATAL 08P01 because of a protocol violation; marks nothing. */
void pq_protocol_violation(const char *fmt, ...) LM_PRINTF(1, 2) LM_NORETURN;

/* Cursor over a received message body (PostgreSQL's pq_getmsg*); each raises FATAL 08P01
 * "invalid message format" when the message is too short or a string lacks its NUL. */
typedef struct MsgReader {
    const char *data;
    int len;
    int pos;
} MsgReader;
void msg_reader_init(MsgReader *r, const char *data, int len);
int msg_get_byte(MsgReader *r);
int16 msg_get_int16(MsgReader *r);
int32 msg_get_int32(MsgReader *r);
const char *msg_get_string(MsgReader *r);
const char *msg_get_bytes(MsgReader *r, int n);
void msg_get_end(MsgReader *r);

/* Output: messages are built in c->out. */
size_t pq_begin(PgConn *c, char type);
void pq_end(PgConn *c, size_t start);
void pq_put_int16(PgConn *c, int16 v);
void pq_put_int32(PgConn *c, int32 v);
void pq_put_string(PgConn *c, const char *s); /* with its NUL */
void pq_put_bytes(PgConn *c, const void *p, size_t n);
/* Writes out the buffer; on failure marks the connection broken.  Returns !broken. */
bool pq_flush(PgConn *c);
/* Raises FATAL 08006 (quietly: nothing more is sent) when the client is gone. */
void pq_check_broken(PgConn *c);
/* Drops a message left half-built by an error, so the output stays well-formed. */
void pq_discard_open_message(PgConn *c);

/* Composite messages. */
void pq_send_error(PgConn *c, const ErrorData *e, int elevel_override);
void pq_send_notice(PgConn *c, const ErrorData *e);
void pq_send_ready(PgConn *c, char txn_status);
void pq_send_parameter_status(PgConn *c, const char *name, const char *value);
void pq_send_auth_request(PgConn *c, int32 code, const void *data, int len);
/* Sends a FATAL ErrorResponse built from scratch and flushes (used before a session exists). */
void pq_send_fatal_now(PgConn *c, const char *sqlstate, const char *message);
/* 1-based byte offset -> 1-based character offset (UTF-8 code points) into query. */
int pq_char_position(const char *query, int byte_pos);

/* ---- pgwire_auth.c */
/* Reads the startup packet (handling SSL/GSSENC/cancel requests) and authenticates.
 * Returns false if the connection was a CancelRequest (already handled) and should just
 * close.  Raises FATAL on every failure. */
bool pgwire_startup(PgConn *c, SSL_CTX *ssl_ctx);
/* pgwire.c provides these for pgwire_auth.c: applies a CancelRequest; takes one of
 * max_connections for c or raises FATAL 53300. */
void pgwire_handle_cancel(int32 pid, int32 key);
void pgwire_reserve_session(PgConn *c);

/* ---- pgwire_query.c */
/* Serves messages until Terminate or EOF; raises FATAL on protocol violations. */
void pgwire_serve(PgConn *c);
/* Drops every statement and portal (end of session). */
void pgwire_drop_all(PgConn *c);

#endif
