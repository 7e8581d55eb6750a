/* kafka_int.h: helpers shared by the Kafka source and sink (kafka_source.c defines them). */
#ifndef LM_KAFKA_INT_H
#define LM_KAFKA_INT_H

#include "common/strbuf.h"
#include "connectors/connector.h"

/* A boolean option ("true", "on", "yes", "1", "t"), dflt when absent. */
bool kafka_option_bool(const ResolvedOptions *o, const char *name, bool dflt);
/* The topics of the `topic` option (or the url's), comma-separated; raises 22023 if none. */
int kafka_topics(Arena *a, const ResolvedOptions *o, const char ***out);
/* Appends s[0..n) as a JSON string literal. */
void kafka_append_json_string(StrBuf *b, const char *s, size_t n);

/* How long a Kafka source keeps retrying an unreachable cluster before failing the job. */
extern int64 kafka_source_fail_after_us;

#endif
