/*
 * builtin.h: the run-time operations of the built-in connectors, for the
 * registry in runtime.c (and unit tests / benchmarks that drive them
 * directly).
 */
#ifndef LM_CONNECTOR_BUILTIN_H
#define LM_CONNECTOR_BUILTIN_H

#include "connectors/runtime.h"

extern const SourceOps nexmark_source_ops; /* gen_nexmark.c */
extern const SourceOps datagen_source_ops; /* gen_datagen.c */
extern const SourceOps kafka_source_ops;  /* kafka_source.c */
extern const SinkOps kafka_sink_ops;      /* kafka_sink.c */
extern const SinkOps blackhole_sink_ops;   /* sink_blackhole.c */
extern const SinkOps table_sink_ops;       /* sink_table.c: plain tables, connector "table" */
extern const SourceOps file_source_ops;    /* file_source.c */
extern const SinkOps file_sink_ops;        /* file_sink.c */

extern const SourceOps webhook_source_ops;   /* webhook_source.c */

extern const SinkOps postgres_sink_ops;     /* pg_sink.c */
extern const SourceOps postgres_source_ops; /* pg_source.c */

#endif
