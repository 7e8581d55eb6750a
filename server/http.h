/*
 * http.h: the HTTP server on --http-port (REST API, /metrics, webhook
 * ingestion), built on libmicrohttpd's internal thread pool.
 */
#ifndef LM_HTTP_H
#define LM_HTTP_H

#include "server/config.h"

bool http_start(const ServerConfig *cfg);
void http_stop(void);

#endif
