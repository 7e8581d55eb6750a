/*
 * http.c: the HTTP listener on --http-port (libmicrohttpd, its own thread
 * pool).  This is the door the REST API, /metrics and webhook ingestion come
 * through; today it answers GET /health and returns seed-style JSON errors
 * ({"error": {"code", "message", "details"}}) for everything else.
 */
#include "server/http.h"
#include "common/log.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static struct MHD_Daemon *daemon_handle;

static enum MHD_Result send_json(struct MHD_Connection *conn, unsigned status, const char *body)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_size, void **con_cls)
{
    /* first call for a request: nothing to do until the body (if any) has arrived */
    if (*con_cls == NULL) {
        static int marker;
        *con_cls = &marker;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* bodies are not read by any endpoint yet */
        return MHD_YES;
    }
    if (strcmp(url, "/health") == 0) {
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            return send_json(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
                             "{\"error\": {\"code\": \"VALIDATION_ERROR\", \"message\": "
                             "\"method not allowed\", \"details\": {}}}");
        return send_json(conn, MHD_HTTP_OK, "{\"status\": \"ok\"}");
    }
    char body[512];
    char path[256];
    size_t k = 0;
    for (const char *p = url; *p && k < sizeof path - 7; p++) {
        if (*p == '"' || *p == '\\')
            path[k++] = '\\';
        path[k++] = (unsigned char)*p < 0x20 ? '?' : *p;
    }
    path[k] = '\0';
    snprintf(body, sizeof body,
             "{\"error\": {\"code\": \"NOT_FOUND\", \"message\": \"no such endpoint\", "
             "\"details\": {\"path\": \"%s\"}}}",
             path);
    return send_json(conn, MHD_HTTP_NOT_FOUND, body);
}

bool http_start(const ServerConfig *cfg)
{
    struct sockaddr_in addr4;
    struct sockaddr_in6 addr6;
    struct sockaddr *addr;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
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
                                     MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_THREAD_POOL_SIZE, 2,
                                     MHD_OPTION_CONNECTION_TIMEOUT, 60, MHD_OPTION_END);
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
