# contrib/: tools around the server (benchmarks, test clients).
#
# The test clients are check programs: `make check` builds them, the
# regression runner's scripts (regress/scripts/) run them.
check_PROGRAMS += contrib/pgclient_test contrib/pgwire_fuzz

# libpq client: simple and extended protocol, binary results (regress/scripts/libpq_client.sh).
contrib_pgclient_test_SOURCES = contrib/pgclient_test.c
contrib_pgclient_test_LDADD = $(LIBPQ_LIBS)

# Protocol fuzzer: raw sockets, libpq only for the health checks (regress/scripts/fuzz.sh).
contrib_pgwire_fuzz_SOURCES = contrib/pgwire_fuzz.c
contrib_pgwire_fuzz_LDADD = $(LIBPQ_LIBS) -lpthread

# Engine benchmark: filter+project, hash aggregate and plain-table scan over generated rows
# (run by hand; results in BENCHMARKS.md).
noinst_PROGRAMS += contrib/bench/bench_engine
contrib_bench_bench_engine_SOURCES = contrib/bench/bench_engine.c
contrib_bench_bench_engine_LDADD = $(LM_CORE_LIBS) $(LM_LIBS)

# Expression evaluator micro-benchmark: filter + project over int64 vectors (run by hand).
noinst_PROGRAMS += contrib/bench/bench_expr
contrib_bench_bench_expr_SOURCES = contrib/bench/bench_expr.c
contrib_bench_bench_expr_LDADD = $(LM_CORE_LIBS) $(LM_LIBS)

# Nexmark generator micro-benchmark: SourceOps driven directly, events/s per core (run by hand;
# results in BENCHMARKS.md).  The query benchmark is contrib/bench/nexmark/run.sh.
noinst_PROGRAMS += contrib/bench/bench_nexmark_gen
contrib_bench_bench_nexmark_gen_SOURCES = contrib/bench/bench_nexmark_gen.c
contrib_bench_bench_nexmark_gen_LDADD = connectors/libconnectors.a storage/libstorage.a \
	common/libcommon.a $(LM_LIBS)
EXTRA_DIST += contrib/bench/nexmark/README.md contrib/bench/nexmark/run.sh \
	contrib/bench/nexmark/tables.sql $(wildcard $(srcdir)/contrib/bench/nexmark/q*.sql)

# Kafka-protocol broker for tests and demos: librdkafka's mock cluster behind a tiny CLI
# (prints bootstrap=HOST:PORT, creates topics; regress/scripts/kafka_e2e.py starts it).
bin_PROGRAMS += contrib/lm-kafka-mock
contrib_lm_kafka_mock_SOURCES = contrib/kafka_mock.c
contrib_lm_kafka_mock_LDADD = $(RDKAFKA_LIBS)

# json format decoder/encoder micro-benchmark: seed 000's 5-column record, records per CPU-second
# (run by hand; results in BENCHMARKS.md).
noinst_PROGRAMS += contrib/bench/bench_json_decode
contrib_bench_bench_json_decode_SOURCES = contrib/bench/bench_json_decode.c
contrib_bench_bench_json_decode_LDADD = connectors/libconnectors.a storage/libstorage.a \
	common/libcommon.a $(LM_LIBS)

# Kafka ingest benchmark: raw librdkafka consumer baseline (contrib/bench/kafka_ingest.sh).
noinst_PROGRAMS += contrib/bench/bench_kafka_consume
contrib_bench_bench_kafka_consume_SOURCES = contrib/bench/bench_kafka_consume.c
contrib_bench_bench_kafka_consume_LDADD = $(RDKAFKA_LIBS)
