/*
 * config.h: laminard's settings, from defaults, the config file and the
 * command line (in that order; later wins).
 *
 * The config file is `key = value` lines (postgresql.conf style): '#' starts
 * a comment, values may be quoted with single quotes, sizes accept kB/MB/GB.
 * `auth` may appear many times; rules are tried in order, first match wins:
 *
 *     auth = 'ADDRESS USER METHOD'
 *
 * ADDRESS is a CIDR (127.0.0.1/32, ::1/128, 0.0.0.0/0), `loopback` or `all`;
 * USER is a role name or `all`; METHOD is trust, password, scram-sha-256 or
 * reject.  Without any auth line the rules are `loopback all trust` then
 * `all all scram-sha-256`.
 */
#ifndef LM_CONFIG_H
#define LM_CONFIG_H

#include "common/lm.h"
#include "common/log.h"
#include <stdio.h>
#include <sys/socket.h>

typedef enum AuthMethod { AUTH_TRUST = 0, AUTH_PASSWORD, AUTH_SCRAM, AUTH_REJECT } AuthMethod;

typedef struct AuthRule {
    bool any_address;
    bool loopback_only;
    int family;     /* AF_INET or AF_INET6 when a CIDR */
    uint8 addr[16]; /* network address */
    int prefix_len;
    char *user; /* NULL: all */
    AuthMethod method;
    char *text; /* the rule as written, for logs */
} AuthRule;

typedef struct ServerConfig {
    char *datadir;
    char *config_file;
    char *listen; /* address to bind, default 127.0.0.1 */
    int port;     /* 5116 */
    int http_port; /* 5115; 0 disables HTTP */
    char *ssl_cert_file;
    char *ssl_key_file;
    int64 max_message_size; /* bytes; default 64 MB */
    int max_connections;    /* default 1000 */
    LogLevel log_level;
    char *bootstrap_user; /* superuser created on a new data dir, default "laminar" */
    char *bootstrap_password; /* optional: sets its SCRAM password at creation */
    int nauth_rules;
    AuthRule *auth_rules;
    /* `api_key` lines (repeatable): when any is set, the HTTP API needs Authorization: Bearer */
    int napi_keys;
    char **api_keys;
} ServerConfig;

/* Fills cfg from argv (and the config file it names).  On a usage error prints a message
 * and returns false. */
bool config_load(ServerConfig *cfg, int argc, char **argv);
void config_usage(FILE *out);
/* Parses "ADDRESS USER METHOD" into rule; returns false with *err set on bad input. */
bool config_parse_auth_rule(const char *text, AuthRule *rule, const char **err);
/* The first rule matching a client address (sockaddr) and user; NULL if none (reject). */
const AuthRule *config_match_auth(const ServerConfig *cfg, const struct sockaddr *addr,
                                  const char *user);
const char *auth_method_name(AuthMethod m);

/* The running server's configuration (set once at start-up). */
extern ServerConfig *server_config;

#endif
