/*
 * runtime.c: which connectors can run in a job — maps a connector name to
 * its SourceOps/SinkOps.  "nexmark" and "datagen" read; "blackhole" and
 * "table" (a pipeline writing a plain table) write.  Every other connector
 * (declared in registry.c for DDL) answers NULL, and the planner reports
 * 0A000 "connector ... cannot run yet".
 */
#include "connectors/builtin.h"

#include <strings.h>

typedef struct SourceEntry {
    const char *name;
    const SourceOps *ops;
} SourceEntry;

typedef struct SinkEntry {
    const char *name;
    const SinkOps *ops;
} SinkEntry;

static const SourceEntry sources[] = {
    {"nexmark", &nexmark_source_ops},
    {"datagen", &datagen_source_ops},
    {"file", &file_source_ops},
    {"postgres", &postgres_source_ops},
    {"kafka", &kafka_source_ops},
    {"webhook", &webhook_source_ops},
};

static const SinkEntry sinks[] = {
    {"blackhole", &blackhole_sink_ops},
    {"table", &table_sink_ops},
    {"file", &file_sink_ops},
    {"postgres", &postgres_sink_ops},
    {"kafka", &kafka_sink_ops},
};

const SourceOps *connector_source_ops(const char *connector)
{
    if (connector == NULL)
        return NULL;
    for (size_t i = 0; i < LM_ARRAY_LEN(sources); i++)
        if (strcasecmp(sources[i].name, connector) == 0)
            return sources[i].ops;
    return NULL;
}

const SinkOps *connector_sink_ops(const char *connector)
{
    if (connector == NULL)
        return NULL;
    for (size_t i = 0; i < LM_ARRAY_LEN(sinks); i++)
        if (strcasecmp(sinks[i].name, connector) == 0)
            return sinks[i].ops;
    return NULL;
}
