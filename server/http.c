/*
 * http.c: the HTTP listener on --http-port (libmicrohttpd, its own thread
 * pool).  The door the REST API (http_api.c), /metrics (http_metrics.c), the
 * OpenAPI document (http_openapi.c) and webhook ingestion (http_ingest.c)
 * come through.
 *
 * Per request: the body is accumulated into a malloc'd buffer (at most
 * HTTP_MAX_BODY bytes; beyond that the rest is drained and 413 returned),
 * then the request is routed once complete.  API keys (config `api_key`,
 * repeatable) are kept as SHA-256 digests and compared in constant time; when
 * any is configured every /api/ and /metrics request needs
 * `Authorization: Bearer <key>` (401 otherwise).  /health and the OpenAPI
 * document stay open; /ingest/ is guarded by the webhook table's own token.
 * Every response's status is counted for /metrics.
 */
#include "server/http.h"
#include "common/log.h"
#include "server/http_int.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct MHD_Daemon *daemon_handle;

/* ------------------------------------------------------------ counters */

static _Atomic uint64 status_counts[600];
_Atomic uint64 http_ingest_requests;
_Atomic uint64 http_ingest_bytes;
_Atomic uint64 http_ingest_events;

void http_count_status(unsigned status)
{
    if (status < 600)
        atomic_fetch_add(&status_counts[status], 1);
}

uint64 http_status_count(unsigned status)
{
    return status < 600 ? atomic_load(&status_counts[status]) : 0;
}

/* ------------------------------------------------------------ responses */

void http_respond_json(HttpResponse *out, unsigned status, json_t *json)
{
    json_decref(out->json);
    out->status = status;
    out->json = json;
}

void http_error(HttpResponse *out, unsigned status, const char *code, const char *message,
                json_t *details)
{
    json_t *err = json_object();
    json_object_set_new(err, "code", json_string(code));
    json_object_set_new(err, "message", json_string(message));
    json_object_set_new(err, "details", details ? details : json_object());
    json_t *root = json_object();
    json_object_set_new(root, "error", err);
    http_respond_json(out, status, root);
}

void http_respond_data(HttpResponse *out, unsigned status, json_t *data)
{
    json_t *root = json_object();
    json_object_set_new(root, "data", data ? data : json_null());
    http_respond_json(out, status, root);
}

const char *http_query_arg(const HttpRequest *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(const HttpRequest *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* ------------------------------------------------------------ API keys */

static int napi_keys;
static unsigned char (*api_key_digests)[SHA256_DIGEST_LENGTH];

/* A bearer token (or NULL) against the configured keys; true when none are configured. */
static bool api_key_ok(const char *authorization)
{
    if (napi_keys == 0)
        return true;
    if (authorization == NULL || strncasecmp(authorization, "Bearer ", 7) != 0)
        return false;
    const char *key = authorization + 7;
    while (*key == ' ')
        key++;
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)key, strlen(key), d);
    int match = 0;
    for (int i = 0; i < napi_keys; i++)
        match |= CRYPTO_memcmp(d, api_key_digests[i], sizeof d) == 0;
    return match != 0;
}

/* ------------------------------------------------------------ requests */

typedef struct RequestState {
    char *body;
    size_t len, cap;
    bool too_large;
} RequestState;

static enum MHD_Result queue(struct MHD_Connection *conn, HttpResponse *resp)
{
    char *body;
    size_t len;
    const char *ctype = resp->content_type;
    if (resp->json) {
        body = json_dumps(resp->json, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        if (body == NULL)
            body = strdup("{}");
        ctype = ctype ? ctype : "application/json";
    } else {
        body = resp->text ? resp->text : strdup("");
        resp->text = NULL;
        ctype = ctype ? ctype : "text/plain; charset=utf-8";
    }
    len = strlen(body);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", ctype);
    if (resp->status == 401)
        MHD_add_response_header(r, "WWW-Authenticate", "Bearer");
    http_count_status(resp->status);
    enum MHD_Result rc = MHD_queue_response(conn, resp->status, r);
    MHD_destroy_response(r);
    json_decref(resp->json);
    free(resp->text);
    return rc;
}

static void route(const HttpRequest *req, HttpResponse *out)
{
    const char *path = req->path;
    if (strcmp(path, "/health") == 0) {
        if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
            http_error(out, 405, "VALIDATION_ERROR", "method not allowed", NULL);
            return;
        }
        http_respond_json(out, 200, json_pack("{s:s}", "status", "ok"));
        return;
    }
    if (strcmp(path, "/api/v1/openapi.json") == 0) {
        out->status = 200;
        out->text = strdup(http_openapi_document());
        out->content_type = "application/json";
        return;
    }
    if (strncmp(path, "/ingest/", 8) == 0 || strcmp(path, "/ingest") == 0) {
        http_ingest_handle(req, out);
        return;
    }
    bool guarded = strncmp(path, "/api/", 5) == 0 || strcmp(path, "/metrics") == 0;
    if (guarded && !api_key_ok(http_header(req, "Authorization"))) {
        http_error(out, 401, "UNAUTHORIZED", "a valid API key is required",
                   json_pack("{s:s}", "hint", "send Authorization: Bearer <api key>"));
        return;
    }
    if (strcmp(path, "/metrics") == 0) {
        if (strcmp(req->method, "GET") != 0) {
            http_error(out, 405, "VALIDATION_ERROR", "method not allowed", NULL);
            return;
        }
        out->status = 200;
        out->text = http_metrics_text();
        out->content_type = "text/plain; version=0.0.4; charset=utf-8";
        return;
    }
    if (strncmp(path, "/api/v1/", 8) == 0 && http_api_dispatch(req, out))
        return;
    http_error(out, 404, "NOT_FOUND", "no such endpoint", json_pack("{s:s}", "path", path));
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    RequestState *st = *con_cls;
    if (st == NULL) {
        st = calloc(1, sizeof *st);
        if (st == NULL)
            return MHD_NO;
        *con_cls = st;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (st->too_large || st->len + n > HTTP_MAX_BODY) {
            st->too_large = true;
            return MHD_YES; /* drain; answered with 413 once complete */
        }
        if (st->len + n + 1 > st->cap) {
            size_t cap = st->cap ? st->cap : 4096;
            while (cap < st->len + n + 1)
                cap *= 2;
            char *b = realloc(st->body, cap);
            if (b == NULL) {
                st->too_large = true;
                return MHD_YES;
            }
            st->body = b;
            st->cap = cap;
        }
        memcpy(st->body + st->len, upload_data, n);
        st->len += n;
        st->body[st->len] = '\0';
        return MHD_YES;
    }

    HttpResponse out = {0};
    if (st->too_large) {
        http_error(&out, 413, "VALIDATION_ERROR", "request body too large",
                   json_pack("{s:I}", "max_bytes", (json_int_t)HTTP_MAX_BODY));
        return queue(conn, &out);
    }
    char client_ip[INET6_ADDRSTRLEN] = "unknown";
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, client_ip,
                      sizeof client_ip);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, client_ip,
                      sizeof client_ip);
    }
    HttpRequest req = {.method = method,
                       .path = url,
                       .body = st->body ? st->body : "",
                       .body_len = st->len,
                       .client_ip = client_ip,
                       .conn = conn};
    route(&req, &out);
    return queue(conn, &out);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    RequestState *st = *con_cls;
    if (st) {
        free(st->body);
        free(st);
        *con_cls = NULL;
    }
}

bool http_start(const ServerConfig *cfg)
{
    struct sockaddr_in addr4;
    struct sockaddr_in6 addr6;
    struct sockaddr *addr;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;

    napi_keys = cfg->napi_keys;
    if (napi_keys > 0) {
        api_key_digests = calloc((size_t)napi_keys, sizeof *api_key_digests);
        for (int i = 0; i < napi_keys; i++)
            SHA256((const unsigned char *)cfg->api_keys[i], strlen(cfg->api_keys[i]),
                   api_key_digests[i]);
    }
    memset(&addr4, 0, sizeof addr4);
    memset(&addr6, 0, sizeof addr6);
    if (inet_pton(AF_INET, cfg->listen, &addr4.sin_addr) == 1) {
        addr4.sin_family = AF_INET;
        addr4.sin_port = htons((uint16_t)cfg->http_port);
        addr = (struct sockaddr *)&addr4;
    } else if (inet_pton(AF_INET6, cfg->listen, &addr6.sin6_addr) == 1) {
        addr6.sin6_family = AF_INET6;
        addr6.sin6_port = htons((uint16_t)cfg->http_port);
        addr = (struct sockaddr *)&addr6;
        flags |= MHD_USE_IPv6;
    } else if (strcmp(cfg->listen, "*") == 0 || strcmp(cfg->listen, "0.0.0.0") == 0) {
        addr4.sin_family = AF_INET;
        addr4.sin_port = htons((uint16_t)cfg->http_port);
        addr = (struct sockaddr *)&addr4;
    } else {
        lm_log(LOG_FATAL, "HTTP: listen address \"%s\" is not a numeric IP address", cfg->listen);
        return false;
    }
    daemon_handle = MHD_start_daemon(flags, (uint16_t)cfg->http_port, NULL, NULL, handle, NULL,
                                     MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_THREAD_POOL_SIZE, 8,
                                     MHD_OPTION_CONNECTION_TIMEOUT, 60, MHD_OPTION_NOTIFY_COMPLETED,
                                     request_completed, NULL, MHD_OPTION_END);
    if (daemon_handle == NULL) {
        lm_log(LOG_FATAL, "could not start the HTTP server on %s:%d (is the port in use?)",
               cfg->listen, cfg->http_port);
        return false;
    }
    return true;
}

void http_stop(void)
{
    if (daemon_handle) {
        MHD_stop_daemon(daemon_handle);
        daemon_handle = NULL;
    }
}
