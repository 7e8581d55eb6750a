/*
 * kafka_conf.c: turns Laminar's Kafka options into librdkafka configuration,
 * and TEST CONNECTION PROFILE for Kafka (a metadata request to the cluster).
 */
#include "connectors/kafka_conf.h"
#include "common/log.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <strings.h>

static void quiet_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    lm_log(LOG_DEBUG, "librdkafka %s: %s", fac, buf);
}

bool kafka_parse_url(Arena *a, const char *url, const char **brokers, const char **topic,
                     const char **group)
{
    *brokers = *topic = *group = NULL;
    if (strncasecmp(url, "kafka://", 8) != 0)
        return false;
    const char *p = url + 8;
    const char *slash = strchr(p, '/');
    const char *q = strchr(p, '?');
    const char *host_end = slash ? slash : q ? q : p + strlen(p);
    if (host_end == p)
        return false;
    *brokers = arena_strndup(a, p, (size_t)(host_end - p));
    if (slash) {
        const char *t = slash + 1;
        const char *te = q ? q : t + strlen(t);
        if (te > t)
            *topic = arena_strndup(a, t, (size_t)(te - t));
    }
    if (q) {
        char *params = arena_strdup(a, q + 1);
        char *save = NULL;
        for (char *kv = strtok_r(params, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
            char *eq = strchr(kv, '=');
            if (eq == NULL)
                continue;
            *eq = '\0';
            if (strcmp(kv, "group_id") == 0 || strcmp(kv, "consumer_group") == 0 ||
                strcmp(kv, "group.id") == 0)
                *group = eq + 1;
        }
    }
    return true;
}

static bool set(rd_kafka_conf_t *conf, const char *k, const char *v, char *errbuf, size_t errlen)
{
    return rd_kafka_conf_set(conf, k, v, errbuf, errlen) == RD_KAFKA_CONF_OK;
}

rd_kafka_conf_t *kafka_conf_build(Arena *a, const ResolvedOptions *opts, char *errbuf,
                                  size_t errlen)
{
    static const struct {
        const char *option, *property;
    } map[] = {{"bootstrap_servers", "bootstrap.servers"},
               {"security_protocol", "security.protocol"},
               {"sasl_mechanism", "sasl.mechanisms"},
               {"sasl_username", "sasl.username"},
               {"sasl_password", "sasl.password"},
               {"ssl_ca_location", "ssl.ca.location"},
               {"ssl_certificate_location", "ssl.certificate.location"},
               {"ssl_key_location", "ssl.key.location"},
               {"ssl_key_password", "ssl.key.password"},
               {"client_id", "client.id"}};
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set_log_cb(conf, quiet_log);
    const char *url = resolved_get(opts, "url");
    if (url) {
        const char *brokers, *topic, *group;
        if (!kafka_parse_url(a, url, &brokers, &topic, &group)) {
            snprintf(errbuf, errlen, "invalid kafka url \"%s\"", url);
            goto fail;
        }
        if (!set(conf, "bootstrap.servers", brokers, errbuf, errlen))
            goto fail;
    }
    for (size_t i = 0; i < LM_ARRAY_LEN(map); i++) {
        const char *v = resolved_get(opts, map[i].option);
        if (v == NULL)
            continue;
        if (strcmp(map[i].option, "sasl_mechanism") == 0 || strcmp(map[i].option, "security_protocol") == 0) {
            char *u = arena_strdup(a, v);
            for (char *p = u; *p; p++)
                *p = (char)(strcmp(map[i].option, "sasl_mechanism") == 0 ? toupper((unsigned char)*p)
                                                                           : tolower((unsigned char)*p));
            v = u;
        }
        if (!set(conf, map[i].property, v, errbuf, errlen))
            goto fail;
    }
    const char *props = resolved_get(opts, "properties");
    if (props) {
        json_error_t jerr;
        json_t *root = json_loads(props, 0, &jerr);
        if (root == NULL || !json_is_object(root)) {
            snprintf(errbuf, errlen, "option \"properties\" must be a JSON object");
            json_decref(root);
            goto fail;
        }
        const char *key;
        json_t *val;
        json_object_foreach(root, key, val)
        {
            char tmp[64];
            const char *sv = json_is_string(val) ? json_string_value(val) : NULL;
            if (json_is_integer(val)) {
                snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(val));
                sv = tmp;
            } else if (json_is_boolean(val))
                sv = json_is_true(val) ? "true" : "false";
            if (sv == NULL || !set(conf, key, sv, errbuf, errlen)) {
                if (sv == NULL)
                    snprintf(errbuf, errlen, "property \"%s\" must be a string, number or boolean", key);
                json_decref(root);
                goto fail;
            }
        }
        json_decref(root);
    }
    for (int i = 0; i < opts->count; i++)
        if (strncmp(opts->names[i], "properties.", 11) == 0 &&
            !set(conf, opts->names[i] + 11, opts->values[i], errbuf, errlen))
            goto fail;
    return conf;
fail:
    rd_kafka_conf_destroy(conf);
    return NULL;
}

ProfileTestResult kafka_test_connection(Arena *a, const ResolvedOptions *opts)
{
    char errbuf[512];
    rd_kafka_conf_t *conf = kafka_conf_build(a, opts, errbuf, sizeof errbuf);
    if (conf == NULL)
        return (ProfileTestResult){false, arena_strdup(a, errbuf), NULL};
    if (resolved_get(opts, "bootstrap_servers") == NULL && resolved_get(opts, "url") == NULL) {
        rd_kafka_conf_destroy(conf);
        return (ProfileTestResult){false, "option \"bootstrap_servers\" is not set", NULL};
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errbuf, sizeof errbuf);
    if (rk == NULL) {
        rd_kafka_conf_destroy(conf);
        return (ProfileTestResult){false, arena_strdup(a, errbuf), NULL};
    }
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, NULL, &md, 5000);
    ProfileTestResult r;
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        r.success = false;
        r.message = arena_printf(a, "Failed to connect to Kafka: %s", rd_kafka_err2str(err));
        r.details_json = arena_printf(a, "{\"connector\": \"kafka\", \"reason\": \"%s\"}",
                                      rd_kafka_err2str(err));
    } else {
        const char *topic = resolved_get(opts, "topic");
        const char *url = resolved_get(opts, "url");
        if (topic == NULL && url) {
            const char *b, *g;
            kafka_parse_url(a, url, &b, &topic, &g);
        }
        int partitions = -1;
        bool missing = false;
        if (topic) {
            missing = true;
            for (int i = 0; i < md->topic_cnt; i++)
                if (strcmp(md->topics[i].topic, topic) == 0 && md->topics[i].err == 0) {
                    missing = false;
                    partitions = md->topics[i].partition_cnt;
                }
        }
        if (missing) {
            r.success = false;
            r.message = "Failed to connect to data source";
            json_t *d = json_pack("{s:s, s:s}", "connector", "kafka", "reason", "");
            json_object_set_new(d, "reason",
                                json_string(arena_printf(a, "Topic '%s' does not exist", topic)));
            char *txt = json_dumps(d, JSON_COMPACT);
            r.details_json = arena_strdup(a, txt);
            free(txt);
            json_decref(d);
        } else {
            r.success = true;
            r.message = arena_printf(a, "Connected to Kafka: %d broker%s, %d topic%s", md->broker_cnt,
                                     md->broker_cnt == 1 ? "" : "s", md->topic_cnt,
                                     md->topic_cnt == 1 ? "" : "s");
            r.details_json = partitions >= 0
                                 ? arena_printf(a, "{\"brokers\": %d, \"topics\": %d, \"partitions\": %d}",
                                                md->broker_cnt, md->topic_cnt, partitions)
                                 : arena_printf(a, "{\"brokers\": %d, \"topics\": %d}",
                                                md->broker_cnt, md->topic_cnt);
        }
        rd_kafka_metadata_destroy(md);
    }
    rd_kafka_destroy(rk);
    return r;
}
