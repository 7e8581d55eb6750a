/*
 * pgwire_io.c: the byte level of the PostgreSQL wire protocol.
 *
 * Transport: a connection reads and writes either the plain socket or an
 * OpenSSL SSL* over it; everything above goes through pq_raw_read() and
 * pq_flush(), so the rest of the protocol does not care which.
 *
 * Input is read in chunks into c->inbuf; a message (type byte, int32 length
 * including itself, body) is then copied into c->msg, which grows on demand
 * up to the configured max_message_size.  The length is checked before any
 * of the body is read, so an oversize message costs no memory.  Reading past
 * the end of a message body, or a string without its NUL, is a protocol
 * violation: FATAL 08P01, and the connection ends.
 *
 * Output is accumulated in c->out and written when the caller flushes
 * (ReadyForQuery, Flush, Sync) or when it exceeds PQ_OUTPUT_FLUSH_AT, so a
 * burst of messages costs one write.  A write error means the client is
 * gone: the connection is marked broken, further output is discarded, and
 * the caller ends the session at the next safe point (pq_check_broken).
 */
#include "server/pgwire_int.h"
#include "common/log.h"

#include <errno.h>
#include <openssl/err.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

void pq_init(PgConn *c)
{
    c->inbuf = lm_malloc(PQ_INPUT_CHUNK);
    c->inpos = c->inlen = 0;
    c->msgcap = 1024;
    c->msg = lm_malloc((size_t)c->msgcap);
    c->msglen = 0;
    strbuf_init(&c->out, NULL);
    strbuf_init(&c->pending, NULL);
    c->open_msg = -1;
    c->msg_limit = c->cfg->max_message_size;
}

void pq_free(PgConn *c)
{
    lm_free(c->inbuf);
    lm_free(c->msg);
    strbuf_free(&c->out);
    strbuf_free(&c->pending);
    c->inbuf = c->msg = NULL;
}

void pq_protocol_violation(const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    ereport(FATAL, errcode(ERRCODE_PROTOCOL_VIOLATION), errmsg("%s", text));
}

/* ---------------------------------------------------------------- transport */

long pq_raw_read(PgConn *c, void *buf, size_t n)
{
    if (c->ssl) {
        for (;;) {
            ERR_clear_error();
            int r = SSL_read(c->ssl, buf, (int)LM_MIN(n, (size_t)INT32_MAX));
            if (r > 0)
                return r;
            int err = SSL_get_error(c->ssl, r);
            switch (err) {
            case SSL_ERROR_ZERO_RETURN:
                return 0;
            case SSL_ERROR_WANT_READ:
            case SSL_ERROR_WANT_WRITE:
                /* a blocking socket only says this when SO_RCVTIMEO expired */
                errno = EAGAIN;
                return -1;
            case SSL_ERROR_SYSCALL:
                if (errno == EINTR)
                    continue;
                if (errno == 0) /* EOF without close_notify */
                    return 0;
                return -1;
            default:
                errno = ECONNRESET;
                return -1;
            }
        }
    }
    for (;;) {
        ssize_t r = recv(c->fd, buf, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        return (long)r;
    }
}

static bool raw_write_all(PgConn *c, const char *p, size_t n)
{
    while (n > 0) {
        if (c->ssl) {
            ERR_clear_error();
            int w = SSL_write(c->ssl, p, (int)LM_MIN(n, (size_t)(1 << 30)));
            if (w <= 0) {
                int err = SSL_get_error(c->ssl, w);
                if (err == SSL_ERROR_SYSCALL && errno == EINTR)
                    continue;
                return false;
            }
            p += w;
            n -= (size_t)w;
        } else {
            ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                return false;
            }
            p += w;
            n -= (size_t)w;
        }
    }
    return true;
}

int pq_buffered(const PgConn *c)
{
    return c->inlen - c->inpos;
}

/* The read side failed or hit EOF: decide which error ends the connection. */
static void read_failed(PgConn *c, long r) LM_NORETURN;
static void read_failed(PgConn *c, long r)
{
    int saved = errno;
    if (atomic_load(&c->terminating))
        ereport(FATAL, errcode(ERRCODE_ADMIN_SHUTDOWN),
                errmsg("terminating connection due to administrator command"));
    c->broken = true;
    if (r == 0) {
        c->client_eof = true;
        ereport(FATAL, errcode(ERRCODE_CONNECTION_FAILURE),
                errmsg("unexpected EOF on client connection"));
    }
    if (saved == EAGAIN || saved == EWOULDBLOCK)
        ereport(FATAL, errcode(ERRCODE_CONNECTION_FAILURE),
                errmsg("timeout while waiting for the client during start-up"));
    ereport(FATAL, errcode(ERRCODE_CONNECTION_FAILURE),
            errmsg("could not receive data from client: %s", strerror(saved)));
}

void pq_read_exact(PgConn *c, void *buf, int n)
{
    char *dst = buf;
    while (n > 0) {
        int avail = c->inlen - c->inpos;
        if (avail > 0) {
            int take = LM_MIN(avail, n);
            memcpy(dst, c->inbuf + c->inpos, (size_t)take);
            c->inpos += take;
            dst += take;
            n -= take;
            continue;
        }
        if (n >= PQ_INPUT_CHUNK) {
            /* large body: straight into the destination */
            long r = pq_raw_read(c, dst, (size_t)n);
            if (r <= 0)
                read_failed(c, r);
            dst += r;
            n -= (int)r;
            continue;
        }
        long r = pq_raw_read(c, c->inbuf, PQ_INPUT_CHUNK);
        if (r <= 0)
            read_failed(c, r);
        c->inpos = 0;
        c->inlen = (int)r;
    }
}

int pq_read_message(PgConn *c)
{
    uint8 head[5];
    pq_read_exact(c, head, 5);
    int type = head[0];
    uint32 len = (uint32)head[1] << 24 | (uint32)head[2] << 16 | (uint32)head[3] << 8 | head[4];
    if (len < 4 || len > (uint32)INT32_MAX)
        pq_protocol_violation("invalid message length");
    int64 body = (int64)len - 4;
    if (body > c->msg_limit)
        ereport(FATAL, errcode(ERRCODE_PROTOCOL_VIOLATION), errmsg("invalid message length"),
                errdetail("Message of %lld bytes exceeds the limit of %lld bytes.", (long long)body,
                          (long long)c->msg_limit));
    if (body + 1 > c->msgcap || (c->msgcap > (1 << 20) && body < (1 << 16))) {
        /* grow for this message, or give back a large buffer once messages are small again */
        int cap = (int)LM_MAX(body + 1, 1024);
        lm_free(c->msg);
        c->msg = NULL;
        c->msg = lm_malloc((size_t)cap);
        c->msgcap = cap;
    }
    pq_read_exact(c, c->msg, (int)body);
    c->msg[body] = '\0';
    c->msglen = (int)body;
    return type;
}

/* ---------------------------------------------------------------- parsing */

static void invalid_format(void) LM_NORETURN;
static void invalid_format(void)
{
    pq_protocol_violation("invalid message format");
}

void msg_reader_init(MsgReader *r, const char *data, int len)
{
    r->data = data;
    r->len = len;
    r->pos = 0;
}

int msg_get_byte(MsgReader *r)
{
    if (r->pos >= r->len)
        invalid_format();
    return (uint8)r->data[r->pos++];
}

int16 msg_get_int16(MsgReader *r)
{
    if (r->len - r->pos < 2)
        invalid_format();
    const uint8 *p = (const uint8 *)r->data + r->pos;
    r->pos += 2;
    return (int16)((uint16)p[0] << 8 | p[1]);
}

int32 msg_get_int32(MsgReader *r)
{
    if (r->len - r->pos < 4)
        invalid_format();
    const uint8 *p = (const uint8 *)r->data + r->pos;
    r->pos += 4;
    return (int32)((uint32)p[0] << 24 | (uint32)p[1] << 16 | (uint32)p[2] << 8 | p[3]);
}

const char *msg_get_string(MsgReader *r)
{
    const char *s = r->data + r->pos;
    const char *nul = memchr(s, '\0', (size_t)(r->len - r->pos));
    if (nul == NULL)
        invalid_format();
    r->pos += (int)(nul - s) + 1;
    return s;
}

const char *msg_get_bytes(MsgReader *r, int n)
{
    if (n < 0 || r->len - r->pos < n)
        invalid_format();
    const char *p = r->data + r->pos;
    r->pos += n;
    return p;
}

void msg_get_end(MsgReader *r)
{
    if (r->pos != r->len)
        invalid_format();
}

/* ---------------------------------------------------------------- output */

size_t pq_begin(PgConn *c, char type)
{
    size_t start = c->out.len;
    strbuf_append_char(&c->out, type);
    strbuf_append_be32(&c->out, 0); /* length, patched by pq_end */
    c->open_msg = (long)start;
    return start;
}

void pq_discard_open_message(PgConn *c)
{
    if (c->open_msg >= 0)
        strbuf_truncate(&c->out, (size_t)c->open_msg);
    c->open_msg = -1;
}

void pq_end(PgConn *c, size_t start)
{
    uint32 len = (uint32)(c->out.len - start - 1);
    uint8 *p = (uint8 *)c->out.data + start + 1;
    p[0] = (uint8)(len >> 24);
    p[1] = (uint8)(len >> 16);
    p[2] = (uint8)(len >> 8);
    p[3] = (uint8)len;
    c->open_msg = -1;
    if (c->pending.len > 0) {
        strbuf_append(&c->out, c->pending.data, c->pending.len);
        strbuf_reset(&c->pending);
    }
    if (c->out.len >= PQ_OUTPUT_FLUSH_AT)
        pq_flush(c);
}

void pq_put_int16(PgConn *c, int16 v)
{
    strbuf_append_be16(&c->out, (uint16)v);
}

void pq_put_int32(PgConn *c, int32 v)
{
    strbuf_append_be32(&c->out, (uint32)v);
}

void pq_put_string(PgConn *c, const char *s)
{
    strbuf_append(&c->out, s, strlen(s) + 1);
}

void pq_put_bytes(PgConn *c, const void *p, size_t n)
{
    strbuf_append(&c->out, p, n);
}

bool pq_flush(PgConn *c)
{
    if (!c->broken && c->out.len > 0 && !raw_write_all(c, c->out.data, c->out.len))
        c->broken = true;
    strbuf_reset(&c->out);
    if (c->out.cap > (4u << 20)) {
        /* one huge result should not pin its buffer for the rest of the session */
        strbuf_free(&c->out);
        strbuf_init(&c->out, NULL);
    }
    return !c->broken;
}

void pq_check_broken(PgConn *c)
{
    if (c->broken)
        ereport(FATAL, errcode(ERRCODE_CONNECTION_FAILURE), errmsg("connection to client lost"));
}

/* ---------------------------------------------------------------- messages */

int pq_char_position(const char *query, int byte_pos)
{
    if (query == NULL || byte_pos <= 0)
        return byte_pos;
    size_t limit = (size_t)(byte_pos - 1);
    int chars = 0;
    for (size_t i = 0; i < limit && query[i] != '\0'; i++)
        if (((uint8)query[i] & 0xC0) != 0x80) /* not a UTF-8 continuation byte */
            chars++;
    return chars + 1;
}

static void put_field(StrBuf *b, char code, const char *value)
{
    if (value == NULL)
        return;
    strbuf_append_char(b, code);
    strbuf_append(b, value, strlen(value) + 1);
}

/* Builds an ErrorResponse/NoticeResponse into b (not necessarily c->out: see pq_send_notice). */
static void build_error_message(PgConn *c, StrBuf *b, char type, const ErrorData *e, int elevel)
{
    size_t start = b->len;
    strbuf_append_char(b, type);
    strbuf_append_be32(b, 0);
    const char *severity = error_level_name(elevel);
    put_field(b, 'S', severity);
    put_field(b, 'V', severity);
    put_field(b, 'C', e->sqlstate[0] ? e->sqlstate : ERRCODE_INTERNAL_ERROR);
    put_field(b, 'M', e->message ? e->message : "unknown error");
    put_field(b, 'D', e->detail);
    put_field(b, 'H', e->hint);
    if (e->position > 0) {
        char pos[16];
        snprintf(pos, sizeof pos, "%d", pq_char_position(c->error_query, e->position));
        put_field(b, 'P', pos);
    }
    put_field(b, 'W', e->context);
    if (e->filename) {
        const char *base = strrchr(e->filename, '/');
        put_field(b, 'F', base ? base + 1 : e->filename);
        char line[16];
        snprintf(line, sizeof line, "%d", e->lineno);
        put_field(b, 'L', line);
    }
    put_field(b, 'R', e->funcname);
    strbuf_append_char(b, '\0');
    uint32 len = (uint32)(b->len - start - 1);
    uint8 *p = (uint8 *)b->data + start + 1;
    p[0] = (uint8)(len >> 24);
    p[1] = (uint8)(len >> 16);
    p[2] = (uint8)(len >> 8);
    p[3] = (uint8)len;
}

static void send_error_fields(PgConn *c, char type, const ErrorData *e, int elevel)
{
    build_error_message(c, &c->out, type, e, elevel);
    if (c->out.len >= PQ_OUTPUT_FLUSH_AT)
        pq_flush(c);
}

void pq_send_error(PgConn *c, const ErrorData *e, int elevel_override)
{
    int elevel = elevel_override ? elevel_override : e->elevel;
    if (elevel < ERROR)
        elevel = ERROR;
    send_error_fields(c, 'E', e, elevel);
}

void pq_send_notice(PgConn *c, const ErrorData *e)
{
    /* a notice raised while a DataRow (say) is half-built waits until that message is done */
    if (c->open_msg >= 0)
        build_error_message(c, &c->pending, 'N', e, e->elevel);
    else
        send_error_fields(c, 'N', e, e->elevel);
}

void pq_send_ready(PgConn *c, char txn_status)
{
    size_t start = pq_begin(c, 'Z');
    strbuf_append_char(&c->out, txn_status);
    pq_end(c, start);
}

void pq_send_parameter_status(PgConn *c, const char *name, const char *value)
{
    size_t start = pq_begin(c, 'S');
    pq_put_string(c, name);
    pq_put_string(c, value ? value : "");
    pq_end(c, start);
}

void pq_send_auth_request(PgConn *c, int32 code, const void *data, int len)
{
    size_t start = pq_begin(c, 'R');
    pq_put_int32(c, code);
    if (data && len > 0)
        pq_put_bytes(c, data, (size_t)len);
    pq_end(c, start);
}

void pq_send_fatal_now(PgConn *c, const char *sqlstate, const char *message)
{
    ErrorData e;
    memset(&e, 0, sizeof e);
    e.elevel = FATAL;
    memcpy(e.sqlstate, sqlstate, 6);
    e.message = (char *)message;
    send_error_fields(c, 'E', &e, FATAL);
    pq_flush(c);
}
