/*
 * pgwire_auth.c: the start of a connection, up to AuthenticationOk.
 *
 * The first packet has no type byte: int32 length, int32 code, body.  The
 * code says what it is: SSLRequest (answered 'S' and followed by a TLS
 * handshake when a certificate is configured, else 'N'), GSSENCRequest
 * (always 'N'), CancelRequest (handed to pgwire.c; the connection then just
 * closes) or a StartupMessage with protocol 3.x and name/value parameters.
 *
 * Like PostgreSQL since the CVE-2021-23222 fix, bytes that arrive after an
 * SSLRequest but before the handshake are refused: a man in the middle could
 * otherwise inject plaintext commands that the server would read as if they
 * came over TLS.
 *
 * Authentication follows the first config rule matching the client address
 * and user (config_match_auth): trust, cleartext password, SCRAM-SHA-256, or
 * reject.  Password methods check the role's SCRAM verifier; a missing role,
 * a role without a verifier, an expired role and a wrong password all give
 * the same "password authentication failed" so a client learns nothing
 * about which roles exist (the reason goes to the server log).  Only after
 * successful authentication is the role's LOGIN right and the database name
 * checked, as PostgreSQL does.
 */
#include "server/pgwire_int.h"
#include "common/log.h"
#include "server/scram.h"
#include "storage/catalog.h"

#include <ctype.h>
#include <openssl/err.h>
#include <strings.h>
#include <stdio.h>

/* Authentication request codes (AuthenticationXXX messages). */
#define AUTH_REQ_OK 0
#define AUTH_REQ_PASSWORD 3
#define AUTH_REQ_SASL 10
#define AUTH_REQ_SASL_CONT 11
#define AUTH_REQ_SASL_FIN 12

#define MAX_AUTH_TOKEN_LENGTH 65535

static uint32 get_be32(const uint8 *p)
{
    return (uint32)p[0] << 24 | (uint32)p[1] << 16 | (uint32)p[2] << 8 | p[3];
}

static void add_startup_param(PgConn *c, const char *name, const char *value)
{
    /* a later value for the same name wins, as PostgreSQL applies them in order */
    c->startup_names =
        arena_realloc(c->arena, c->startup_names, sizeof(char *) * (size_t)c->nstartup,
                      sizeof(char *) * (size_t)(c->nstartup + 1));
    c->startup_values =
        arena_realloc(c->arena, c->startup_values, sizeof(char *) * (size_t)c->nstartup,
                      sizeof(char *) * (size_t)(c->nstartup + 1));
    c->startup_names[c->nstartup] = name;
    c->startup_values[c->nstartup] = value;
    c->nstartup++;
}

/*
 * The "options" parameter holds command-line switches for the server, split on
 * whitespace with backslash escapes (PostgreSQL's pg_split_opts).  Laminard
 * understands "-c name=value", "-cname=value" and "--name=value".
 */
static void parse_options(PgConn *c, const char *opts)
{
    int nargs = 0, cap = 8;
    char **args = arena_new_array(c->arena, char *, cap);
    const char *p = opts;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0')
            break;
        StrBuf arg;
        strbuf_init(&arg, c->arena);
        while (*p && !isspace((unsigned char)*p)) {
            if (*p == '\\' && p[1] != '\0')
                p++;
            strbuf_append_char(&arg, *p++);
        }
        if (nargs == cap) {
            args = arena_realloc(c->arena, args, sizeof(char *) * (size_t)cap,
                                 sizeof(char *) * (size_t)cap * 2);
            cap *= 2;
        }
        args[nargs++] = arg.data;
    }
    for (int i = 0; i < nargs; i++) {
        const char *setting = NULL;
        if (strcmp(args[i], "-c") == 0 && i + 1 < nargs)
            setting = args[++i];
        else if (strncmp(args[i], "-c", 2) == 0 && args[i][2] != '\0')
            setting = args[i] + 2;
        else if (strncmp(args[i], "--", 2) == 0 && args[i][2] != '\0')
            setting = args[i] + 2;
        const char *eq = setting ? strchr(setting, '=') : NULL;
        if (eq == NULL || eq == setting)
            ereport(
                FATAL, errcode(ERRCODE_PROTOCOL_VIOLATION),
                errmsg("invalid command-line argument for server process: %s", args[i]),
                errhint("Only \"-c name=value\" and \"--name=value\" are accepted in options."));
        char *name = arena_strndup(c->arena, setting, (size_t)(eq - setting));
        for (char *n = name; *n; n++)
            if (*n == '-')
                *n = '_';
        add_startup_param(c, name, arena_strdup(c->arena, eq + 1));
    }
}

static bool is_false(const char *v)
{
    return strcasecmp(v, "false") == 0 || strcasecmp(v, "off") == 0 || strcasecmp(v, "no") == 0 ||
           strcmp(v, "0") == 0;
}

/* Parses a StartupMessage body after the protocol code. */
static void parse_startup(PgConn *c, uint32 proto, const char *body, int len)
{
    MsgReader r;
    msg_reader_init(&r, body, len);
    int nunrecognized = 0;
    const char **unrecognized = NULL;
    if (len == 0 || body[len - 1] != '\0')
        pq_protocol_violation("invalid startup packet layout: expected terminator as last byte");
    for (;;) {
        const char *name = msg_get_string(&r);
        if (name[0] == '\0')
            break;
        const char *value = msg_get_string(&r);
        if (strcmp(name, "user") == 0)
            c->user = (char *)value;
        else if (strcmp(name, "database") == 0)
            c->database = (char *)value;
        else if (strcmp(name, "options") == 0)
            parse_options(c, value);
        else if (strcmp(name, "replication") == 0) {
            if (!is_false(value))
                ereport(FATAL, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("replication connections are not supported"));
        } else if (strncmp(name, "_pq_.", 5) == 0) {
            unrecognized =
                arena_realloc(c->arena, unrecognized, sizeof(char *) * (size_t)nunrecognized,
                              sizeof(char *) * (size_t)(nunrecognized + 1));
            unrecognized[nunrecognized++] = name;
        } else {
            if (strcmp(name, "application_name") == 0)
                c->application_name = (char *)value;
            add_startup_param(c, name, value);
        }
    }
    msg_get_end(&r);

    if ((proto & 0xffff) > 0 || nunrecognized > 0) {
        /* NegotiateProtocolVersion: we speak 3.0 and none of the _pq_ options */
        size_t start = pq_begin(c, 'v');
        pq_put_int32(c, (int32)PQ_PROTOCOL(3, 0));
        pq_put_int32(c, nunrecognized);
        for (int i = 0; i < nunrecognized; i++)
            pq_put_string(c, unrecognized[i]);
        pq_end(c, start);
    }
    if (c->user == NULL || c->user[0] == '\0')
        ereport(FATAL, errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
                errmsg("no PostgreSQL user name specified in startup packet"));
    if (c->database == NULL || c->database[0] == '\0')
        c->database = c->user;
}

static void start_tls(PgConn *c, SSL_CTX *ssl_ctx)
{
    c->ssl = SSL_new(ssl_ctx);
    if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1) {
        c->broken = true;
        ereport(FATAL, errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not initialize SSL"));
    }
    ERR_clear_error();
    int r = SSL_accept(c->ssl);
    if (r != 1) {
        unsigned long err = ERR_get_error();
        char reason[256];
        if (err)
            ERR_error_string_n(err, reason, sizeof reason);
        else
            snprintf(reason, sizeof reason, "%s", "connection closed or timed out");
        /* nothing can be sent: the client expects TLS records now */
        SSL_free(c->ssl);
        c->ssl = NULL;
        c->broken = true;
        ereport(FATAL, errcode(ERRCODE_PROTOCOL_VIOLATION),
                errmsg("could not accept SSL connection: %s", reason));
    }
}

/* Reads packets until a StartupMessage; returns false after a CancelRequest. */
static bool read_startup_packet(PgConn *c, SSL_CTX *ssl_ctx)
{
    bool ssl_done = false, gss_done = false;
    for (;;) {
        uint8 lenbuf[4];
        pq_read_exact(c, lenbuf, 4);
        uint32 len = get_be32(lenbuf);
        if (len < 8 || len > PQ_MAX_STARTUP_PACKET)
            pq_protocol_violation("invalid length of startup packet");
        int bodylen = (int)len - 4;
        char *body = arena_alloc(c->arena, (size_t)bodylen + 1);
        pq_read_exact(c, body, bodylen);
        body[bodylen] = '\0';
        uint32 code = get_be32((const uint8 *)body);

        if (code == PQ_CANCEL_REQUEST_CODE) {
            if (bodylen != 12)
                pq_protocol_violation("invalid length of cancel request packet");
            pgwire_handle_cancel((int32)get_be32((const uint8 *)body + 4),
                                 (int32)get_be32((const uint8 *)body + 8));
            return false;
        }
        if (code == PQ_SSL_REQUEST_CODE && !ssl_done) {
            if (bodylen != 4)
                pq_protocol_violation("invalid length of SSL request packet");
            char answer = ssl_ctx ? 'S' : 'N';
            pq_put_bytes(c, &answer, 1);
            if (!pq_flush(c))
                pq_check_broken(c);
            if (answer == 'S') {
                if (pq_buffered(c) > 0)
                    ereport(FATAL, errcode(ERRCODE_PROTOCOL_VIOLATION),
                            errmsg("received unencrypted data after SSL request"),
                            errdetail("This could be either a client-software bug or evidence "
                                      "of an attempted man-in-the-middle attack."));
                start_tls(c, ssl_ctx);
            }
            ssl_done = true;
            continue;
        }
        if (code == PQ_GSSENC_REQUEST_CODE && !gss_done) {
            if (bodylen != 4)
                pq_protocol_violation("invalid length of GSSAPI encryption request packet");
            pq_put_bytes(c, "N", 1);
            if (!pq_flush(c))
                pq_check_broken(c);
            gss_done = true;
            continue;
        }
        if ((code >> 16) != 3)
            pq_protocol_violation("unsupported frontend protocol %u.%u: server supports 3.0 to 3.0",
                                  code >> 16, code & 0xffff);
        parse_startup(c, code, body + 4, bodylen - 4);
        return true;
    }
}

/* ---------------------------------------------------------------- authentication */

static void auth_failed(PgConn *c, AuthMethod method, const char *reason) LM_NORETURN;
static void auth_failed(PgConn *c, AuthMethod method, const char *reason)
{
    lm_log(LOG_INFO, "authentication (%s) failed for user \"%s\" from %s: %s",
           auth_method_name(method), c->user, c->remote, reason);
    ereport(FATAL, errcode(ERRCODE_INVALID_PASSWORD),
            errmsg("password authentication failed for user \"%s\"", c->user));
}

/* Reads the client's answer to an authentication request: a 'p' message. */
static void read_password_message(PgConn *c)
{
    int type = pq_read_message(c);
    if (type != 'p')
        pq_protocol_violation("expected password response, got message type %d", type);
}

/* Why a role cannot use a password method, or NULL if it can. */
static const char *password_unusable(const CatRole *role)
{
    if (role == NULL)
        return "role does not exist";
    if (role->scram_verifier == NULL || role->scram_verifier[0] == '\0')
        return "role has no password";
    return NULL;
}

static bool role_expired(const CatRole *role)
{
    return role && role->valid_until != 0 && catalog_now() > role->valid_until;
}

static void auth_cleartext(PgConn *c, const CatRole *role)
{
    pq_send_auth_request(c, AUTH_REQ_PASSWORD, NULL, 0);
    if (!pq_flush(c))
        pq_check_broken(c);
    read_password_message(c);
    MsgReader r;
    msg_reader_init(&r, c->msg, c->msglen);
    const char *password = msg_get_string(&r);
    msg_get_end(&r);
    const char *why = password_unusable(role);
    if (why)
        auth_failed(c, AUTH_PASSWORD, why);
    if (password[0] == '\0')
        auth_failed(c, AUTH_PASSWORD, "empty password");
    if (!scram_verify_plain_password(role->scram_verifier, password))
        auth_failed(c, AUTH_PASSWORD, "password does not match");
    if (role_expired(role))
        auth_failed(c, AUTH_PASSWORD, "password has expired");
}

static void auth_scram(PgConn *c, const CatRole *role)
{
    /* mechanism list: names, then an empty string */
    static const char mechanisms[] = SCRAM_MECHANISM "\0";
    pq_send_auth_request(c, AUTH_REQ_SASL, mechanisms, (int)sizeof mechanisms);
    if (!pq_flush(c))
        pq_check_broken(c);

    read_password_message(c);
    MsgReader r;
    msg_reader_init(&r, c->msg, c->msglen);
    const char *mech = msg_get_string(&r);
    if (strcmp(mech, SCRAM_MECHANISM) != 0)
        pq_protocol_violation("client selected an invalid SASL authentication mechanism");
    int32 inlen = msg_get_int32(&r);
    const char *in = inlen >= 0 ? msg_get_bytes(&r, inlen) : NULL;
    msg_get_end(&r);

    const char *why = password_unusable(role);
    ScramState *st = scram_begin(c->arena, c->user, why ? NULL : role->scram_verifier);
    for (;;) {
        char *out;
        int outlen;
        ScramResult res = scram_exchange(st, in, inlen, &out, &outlen);
        if (res == SCRAM_FAILURE)
            auth_failed(c, AUTH_SCRAM, why ? why : "password does not match");
        if (res == SCRAM_SUCCESS) {
            if (role_expired(role))
                auth_failed(c, AUTH_SCRAM, "password has expired");
            pq_send_auth_request(c, AUTH_REQ_SASL_FIN, out, outlen);
            return;
        }
        pq_send_auth_request(c, AUTH_REQ_SASL_CONT, out, outlen);
        if (!pq_flush(c))
            pq_check_broken(c);
        read_password_message(c);
        in = arena_memdup(c->arena, c->msg, (size_t)c->msglen);
        inlen = c->msglen;
    }
}

static void authenticate(PgConn *c)
{
    const AuthRule *rule = config_match_auth(c->cfg, (const struct sockaddr *)&c->addr, c->user);
    if (rule == NULL || rule->method == AUTH_REJECT) {
        lm_log(LOG_INFO, "connection from %s for user \"%s\" rejected by %s", c->remote, c->user,
               rule ? rule->text : "the absence of a matching auth rule");
        ereport(FATAL, errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
                errmsg("%s for host \"%s\", user \"%s\", database \"%s\", %s",
                       rule ? "auth rule rejects connection" : "no auth rule matches connection",
                       c->client_addr, c->user, c->database,
                       c->ssl ? "SSL encryption" : "no encryption"));
    }
    CatRole *role = catalog_get_role(c->arena, c->user);
    switch (rule->method) {
    case AUTH_TRUST:
        break;
    case AUTH_PASSWORD:
        auth_cleartext(c, role);
        break;
    case AUTH_SCRAM:
        auth_scram(c, role);
        break;
    case AUTH_REJECT:
        break; /* handled above */
    }
    pq_send_auth_request(c, AUTH_REQ_OK, NULL, 0);

    if (role == NULL)
        ereport(FATAL, errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
                errmsg("role \"%s\" does not exist", c->user));
    if (!role->login)
        ereport(FATAL, errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
                errmsg("role \"%s\" is not permitted to log in", c->user));
    if (strcmp(c->database, "laminar") != 0)
        ereport(FATAL, errcode(ERRCODE_INVALID_CATALOG_NAME),
                errmsg("database \"%s\" does not exist", c->database),
                errhint("Laminar serves one database, \"laminar\"."));
    c->is_superuser = role->superuser;
    lm_log(LOG_DEBUG, "connection authorized: user=%s database=%s%s%s%s", c->user, c->database,
           c->application_name ? " application_name=" : "",
           c->application_name ? c->application_name : "", c->ssl ? " SSL enabled" : "");
}

bool pgwire_startup(PgConn *c, SSL_CTX *ssl_ctx)
{
    if (!read_startup_packet(c, ssl_ctx))
        return false;
    pgwire_reserve_session(c);
    /* an unauthenticated client gets no more than an authentication token's worth of memory */
    c->msg_limit = LM_MIN(MAX_AUTH_TOKEN_LENGTH, c->cfg->max_message_size);
    authenticate(c);
    c->msg_limit = c->cfg->max_message_size;
    return true;
}
