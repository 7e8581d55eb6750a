# connectors/: connector registry (options, formats), sources and sinks.
noinst_LIBRARIES += connectors/libconnectors.a
connectors_libconnectors_a_SOURCES = \
	connectors/connector.h connectors/registry.c \
	connectors/kafka_conf.c connectors/kafka_conf.h \
	connectors/postgres_conn.c connectors/postgres_conn.h \
	connectors/nexmark_schema.c connectors/nexmark_schema.h
connectors_libconnectors_a_SOURCES += connectors/options_json.c connectors/options_json.h
# Run time: registry of runnable connectors, generators (nexmark, datagen), sinks (blackhole, plain tables).
connectors_libconnectors_a_SOURCES += \
	connectors/runtime.c connectors/builtin.h \
	connectors/gen_util.c connectors/gen_util.h \
	connectors/gen_nexmark.c connectors/gen_datagen.c \
	connectors/sink_blackhole.c connectors/sink_table.c
