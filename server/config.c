/*
 * config.c: laminard's command line and config file.
 *
 * Command line: laminard -D DATADIR [--port N] [--http-port N] [--listen ADDR]
 * [--config FILE] [--ssl-cert FILE --ssl-key FILE] [--log-level L].
 * The config file is read first, then the flags override it.
 */
#include "server/config.h"
#include "common/arena.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <strings.h>

ServerConfig *server_config;

const char *auth_method_name(AuthMethod m)
{
    switch (m) {
    case AUTH_TRUST:
        return "trust";
    case AUTH_PASSWORD:
        return "password";
    case AUTH_SCRAM:
        return "scram-sha-256";
    case AUTH_REJECT:
        return "reject";
    }
    return "?";
}

void config_usage(FILE *out)
{
    fprintf(out,
            "Usage: laminard -D DATADIR [options]\n"
            "  -D, --datadir DIR      data directory (created if missing)\n"
            "  -p, --port N           PostgreSQL protocol port (default 5116)\n"
            "      --http-port N      REST API port (default 5115, 0 disables)\n"
            "  -l, --listen ADDR      address to listen on (default 127.0.0.1)\n"
            "  -c, --config FILE      configuration file (key = value lines)\n"
            "      --ssl-cert FILE    TLS certificate (PEM); enables SSL with --ssl-key\n"
            "      --ssl-key FILE     TLS private key (PEM)\n"
            "      --log-level L      debug, info, warning, error (default info)\n"
            "  -h, --help             show this help\n");
}

static bool parse_int(const char *s, int64 *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s)
        return false;
    while (isspace((unsigned char)*end))
        end++;
    int64 mult = 1;
    if (strcasecmp(end, "kb") == 0 || strcasecmp(end, "k") == 0)
        mult = 1024;
    else if (strcasecmp(end, "mb") == 0 || strcasecmp(end, "m") == 0)
        mult = 1024 * 1024;
    else if (strcasecmp(end, "gb") == 0 || strcasecmp(end, "g") == 0)
        mult = INT64_C(1024) * 1024 * 1024;
    else if (*end != '\0')
        return false;
    *out = (int64)v * mult;
    return true;
}

bool config_parse_auth_rule(const char *text, AuthRule *rule, const char **err)
{
    char addr[128], user[128], method[64];
    memset(rule, 0, sizeof *rule);
    if (sscanf(text, " %127s %127s %63s", addr, user, method) != 3) {
        *err = "expected 'ADDRESS USER METHOD'";
        return false;
    }
    rule->text = lm_strdup(text);
    if (strcasecmp(addr, "all") == 0)
        rule->any_address = true;
    else if (strcasecmp(addr, "loopback") == 0 || strcasecmp(addr, "local") == 0)
        rule->loopback_only = true;
    else {
        char *slash = strchr(addr, '/');
        int prefix = -1;
        if (slash) {
            *slash = '\0';
            prefix = atoi(slash + 1);
        }
        if (inet_pton(AF_INET, addr, rule->addr) == 1) {
            rule->family = AF_INET;
            rule->prefix_len = prefix < 0 ? 32 : prefix;
            if (rule->prefix_len > 32) {
                *err = "IPv4 prefix length must be at most 32";
                return false;
            }
        } else if (inet_pton(AF_INET6, addr, rule->addr) == 1) {
            rule->family = AF_INET6;
            rule->prefix_len = prefix < 0 ? 128 : prefix;
            if (rule->prefix_len > 128) {
                *err = "IPv6 prefix length must be at most 128";
                return false;
            }
        } else {
            *err = "ADDRESS must be a CIDR, 'loopback' or 'all'";
            return false;
        }
    }
    if (strcasecmp(user, "all") != 0)
        rule->user = lm_strdup(user);
    if (strcasecmp(method, "trust") == 0)
        rule->method = AUTH_TRUST;
    else if (strcasecmp(method, "password") == 0)
        rule->method = AUTH_PASSWORD;
    else if (strcasecmp(method, "scram-sha-256") == 0 || strcasecmp(method, "scram") == 0)
        rule->method = AUTH_SCRAM;
    else if (strcasecmp(method, "reject") == 0)
        rule->method = AUTH_REJECT;
    else {
        *err = "METHOD must be trust, password, scram-sha-256 or reject";
        return false;
    }
    return true;
}

static bool prefix_match(const uint8 *a, const uint8 *b, int bits)
{
    int bytes = bits / 8, rem = bits % 8;
    if (memcmp(a, b, (size_t)bytes) != 0)
        return false;
    if (rem == 0)
        return true;
    uint8 mask = (uint8)(0xff << (8 - rem));
    return (a[bytes] & mask) == (b[bytes] & mask);
}

static bool is_loopback(const struct sockaddr *sa)
{
    if (sa == NULL || sa->sa_family == AF_UNIX)
        return true;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
            return true;
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
            return in6->sin6_addr.s6_addr[12] == 127;
    }
    return false;
}

const AuthRule *config_match_auth(const ServerConfig *cfg, const struct sockaddr *sa,
                                  const char *user)
{
    for (int i = 0; i < cfg->nauth_rules; i++) {
        const AuthRule *r = &cfg->auth_rules[i];
        if (r->user && strcmp(r->user, user) != 0)
            continue;
        if (r->any_address)
            return r;
        if (r->loopback_only) {
            if (is_loopback(sa))
                return r;
            continue;
        }
        if (sa == NULL)
            continue;
        if (r->family == AF_INET && sa->sa_family == AF_INET) {
            const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
            if (prefix_match((const uint8 *)&in->sin_addr, r->addr, r->prefix_len))
                return r;
        } else if (r->family == AF_INET6 && sa->sa_family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
            if (prefix_match(in6->sin6_addr.s6_addr, r->addr, r->prefix_len))
                return r;
        } else if (r->family == AF_INET && sa->sa_family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
            if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
                prefix_match(in6->sin6_addr.s6_addr + 12, r->addr, r->prefix_len))
                return r;
        }
    }
    return NULL;
}

static void add_auth_rule(ServerConfig *cfg, const AuthRule *r)
{
    cfg->auth_rules = lm_realloc(cfg->auth_rules, sizeof(AuthRule) * (size_t)(cfg->nauth_rules + 1));
    cfg->auth_rules[cfg->nauth_rules++] = *r;
}

/* Applies one setting; returns NULL on success or an error message. */
static const char *apply_setting(ServerConfig *cfg, const char *key, const char *value)
{
    int64 n;
    if (strcmp(key, "listen") == 0 || strcmp(key, "listen_addresses") == 0)
        cfg->listen = lm_strdup(value);
    else if (strcmp(key, "port") == 0) {
        if (!parse_int(value, &n) || n < 0 || n > 65535)
            return "port must be an integer between 0 and 65535";
        cfg->port = (int)n;
    } else if (strcmp(key, "http_port") == 0) {
        if (!parse_int(value, &n) || n < 0 || n > 65535)
            return "http_port must be an integer between 0 and 65535";
        cfg->http_port = (int)n;
    } else if (strcmp(key, "ssl_cert_file") == 0)
        cfg->ssl_cert_file = lm_strdup(value);
    else if (strcmp(key, "ssl_key_file") == 0)
        cfg->ssl_key_file = lm_strdup(value);
    else if (strcmp(key, "max_message_size") == 0) {
        if (!parse_int(value, &n) || n < 1024 || n > INT64_C(1) << 30)
            return "max_message_size must be between 1kB and 1GB";
        cfg->max_message_size = n;
    } else if (strcmp(key, "max_connections") == 0) {
        if (!parse_int(value, &n) || n < 1 || n > 100000)
            return "max_connections must be between 1 and 100000";
        cfg->max_connections = (int)n;
    } else if (strcmp(key, "log_level") == 0) {
        if (!log_level_parse(value, &cfg->log_level))
            return "log_level must be debug, info, warning or error";
    } else if (strcmp(key, "bootstrap_user") == 0)
        cfg->bootstrap_user = lm_strdup(value);
    else if (strcmp(key, "bootstrap_password") == 0)
        cfg->bootstrap_password = lm_strdup(value);
    else if (strcmp(key, "auth") == 0) {
        AuthRule r;
        const char *err;
        if (!config_parse_auth_rule(value, &r, &err))
            return err;
        add_auth_rule(cfg, &r);
    } else if (strcmp(key, "api_key") == 0) {
        if (strlen(value) < 8)
            return "api_key must be at least 8 characters";
        cfg->api_keys = lm_realloc(cfg->api_keys, sizeof(char *) * (size_t)(cfg->napi_keys + 1));
        cfg->api_keys[cfg->napi_keys++] = lm_strdup(value);
    } else
        return "unknown setting";
    return NULL;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static bool load_file(ServerConfig *cfg, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "laminard: could not open config file \"%s\": %s\n", path, strerror(errno));
        return false;
    }
    char line[4096];
    int lineno = 0;
    bool ok = true;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        /* strip comments outside quotes */
        bool inq = false;
        for (char *p = line; *p; p++) {
            if (*p == '\'')
                inq = !inq;
            else if (*p == '#' && !inq) {
                *p = '\0';
                break;
            }
        }
        char *s = trim(line);
        if (*s == '\0')
            continue;
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            fprintf(stderr, "laminard: %s:%d: expected 'key = value'\n", path, lineno);
            ok = false;
            continue;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        size_t vl = strlen(value);
        if (vl >= 2 && value[0] == '\'' && value[vl - 1] == '\'') {
            value[vl - 1] = '\0';
            value++;
        }
        const char *err = apply_setting(cfg, key, value);
        if (err) {
            fprintf(stderr, "laminard: %s:%d: %s: %s\n", path, lineno, key, err);
            ok = false;
        }
    }
    fclose(f);
    return ok;
}

bool config_load(ServerConfig *cfg, int argc, char **argv)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->listen = "127.0.0.1";
    cfg->port = 5116;
    cfg->http_port = 5115;
    cfg->max_message_size = 64 * 1024 * 1024;
    cfg->max_connections = 1000;
    cfg->log_level = LOG_INFO;
    cfg->bootstrap_user = "laminar";

    enum { OPT_HTTP = 1000, OPT_SSL_CERT, OPT_SSL_KEY, OPT_LOG_LEVEL };
    static const struct option longopts[] = {
        {"datadir", required_argument, NULL, 'D'},
        {"port", required_argument, NULL, 'p'},
        {"http-port", required_argument, NULL, OPT_HTTP},
        {"listen", required_argument, NULL, 'l'},
        {"config", required_argument, NULL, 'c'},
        {"ssl-cert", required_argument, NULL, OPT_SSL_CERT},
        {"ssl-key", required_argument, NULL, OPT_SSL_KEY},
        {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};

    /* first pass: find the config file so flags can override it */
    char *config_file = NULL;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) && i + 1 < argc)
            config_file = argv[i + 1];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            config_file = argv[i] + 9;
    }
    if (config_file) {
        cfg->config_file = config_file;
        if (!load_file(cfg, config_file))
            return false;
    }

    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "D:p:l:c:h", longopts, NULL)) != -1) {
        const char *err = NULL;
        switch (c) {
        case 'D':
            cfg->datadir = optarg;
            break;
        case 'p':
            err = apply_setting(cfg, "port", optarg);
            break;
        case OPT_HTTP:
            err = apply_setting(cfg, "http_port", optarg);
            break;
        case 'l':
            cfg->listen = optarg;
            break;
        case 'c':
            break;
        case OPT_SSL_CERT:
            cfg->ssl_cert_file = optarg;
            break;
        case OPT_SSL_KEY:
            cfg->ssl_key_file = optarg;
            break;
        case OPT_LOG_LEVEL:
            err = apply_setting(cfg, "log_level", optarg);
            break;
        case 'h':
            config_usage(stdout);
            exit(0);
        default:
            config_usage(stderr);
            return false;
        }
        if (err) {
            fprintf(stderr, "laminard: %s\n", err);
            return false;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "laminard: unexpected argument \"%s\"\n", argv[optind]);
        config_usage(stderr);
        return false;
    }
    if (cfg->datadir == NULL) {
        const char *env = getenv("LAMINAR_DATA");
        if (env == NULL || *env == '\0') {
            fprintf(stderr, "laminard: no data directory given (use -D DATADIR or set LAMINAR_DATA)\n");
            config_usage(stderr);
            return false;
        }
        cfg->datadir = (char *)env;
    }
    if ((cfg->ssl_cert_file == NULL) != (cfg->ssl_key_file == NULL)) {
        fprintf(stderr, "laminard: TLS needs both a certificate and a key file\n");
        return false;
    }
    if (cfg->nauth_rules == 0) {
        AuthRule r;
        const char *err;
        config_parse_auth_rule("loopback all trust", &r, &err);
        add_auth_rule(cfg, &r);
        config_parse_auth_rule("all all scram-sha-256", &r, &err);
        add_auth_rule(cfg, &r);
    }
    return true;
}
