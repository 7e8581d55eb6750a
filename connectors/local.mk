# connectors/: connector registry (options, formats), sources and sinks.
noinst_LIBRARIES += connectors/libconnectors.a
connectors_libconnectors_a_SOURCES = \
	connectors/connector.h connectors/registry.c \
	connectors/kafka_conf.c connectors/kafka_conf.h \
	connectors/postgres_conn.c connectors/postgres_conn.h \
	connectors/nexmark_schema.c connectors/nexmark_schema.h
connectors_libconnectors_a_SOURCES += connectors/options_json.c connectors/options_json.h
