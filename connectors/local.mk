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
# Kafka source and sink (librdkafka; formats through format.h).
connectors_libconnectors_a_SOURCES += \
	connectors/kafka_source.c connectors/kafka_sink.c connectors/kafka_int.h
# PostgreSQL connector at run time: sink (COPY, exactly-once with a progress row), source.
connectors_libconnectors_a_SOURCES += \
	connectors/pg_common.c connectors/pg_common.h \
	connectors/pg_sink.c connectors/pg_source.c
# Record formats (json, csv, raw, avro, protobuf) and the file connector.
connectors_libconnectors_a_SOURCES += \
	connectors/format.h connectors/format_int.h connectors/format.c \
	connectors/fmt_json.c connectors/fmt_csv.c connectors/fmt_raw.c \
	connectors/fmt_avro.c connectors/fmt_protobuf.c
# Webhook sources: ingest-buffer reader, event encoding, tokens (HTTP side: server/http_ingest.c).
connectors_libconnectors_a_SOURCES += connectors/webhook_source.c connectors/webhook.h
connectors_libconnectors_a_SOURCES += connectors/file_source.c connectors/file_sink.c
# Schema inference from sample records (laminar.infer_schema, the REST schema test).
connectors_libconnectors_a_SOURCES += connectors/infer.c connectors/infer.h
