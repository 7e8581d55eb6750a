/* kafka_conf.h: librdkafka configuration from Laminar's resolved Kafka options. */
#ifndef LM_KAFKA_CONF_H
#define LM_KAFKA_CONF_H

#include "connectors/connector.h"
#include <librdkafka/rdkafka.h>

/* Builds an rd_kafka_conf_t from options (bootstrap_servers, security, SASL/SSL, url,
 * properties JSON and properties.* pass-through).  On a bad setting returns NULL and writes
 * librdkafka's message to errbuf. */
rd_kafka_conf_t *kafka_conf_build(Arena *a, const ResolvedOptions *opts, char *errbuf,
                                  size_t errlen);
/* Parses url = 'kafka://h1:9092,h2:9092/topic?group_id=g' into its parts (NULL if absent). */
bool kafka_parse_url(Arena *a, const char *url, const char **brokers, const char **topic,
                     const char **group);

#endif
