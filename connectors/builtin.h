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
extern const SinkOps blackhole_sink_ops;   /* sink_blackhole.c */
extern const SinkOps table_sink_ops;       /* sink_table.c: plain tables, connector "table" */

#endif
