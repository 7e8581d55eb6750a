# server/: laminard, sessions, wire protocol, HTTP, SQL command layer.
noinst_LIBRARIES += server/libserver.a
server_libserver_a_SOURCES = \
	server/config.c server/config.h \
	server/datadir.c server/datadir.h \
	server/session.h server/sql.h server/pgwire.h server/http.h

bin_PROGRAMS += laminard
laminard_SOURCES = server/laminard.c
laminard_LDADD = $(LM_CORE_LIBS) $(LM_LIBS)

# PostgreSQL wire protocol (pgwire*.c) and SCRAM-SHA-256.
server_libserver_a_SOURCES += \
	server/pgwire.c server/pgwire_int.h server/pgwire_io.c server/pgwire_auth.c \
	server/pgwire_query.c server/scram.c server/scram.h

# SQL command layer: statement dispatch, settings, Laminar DDL, SHOW, roles, HTTP.
server_libserver_a_SOURCES += \
	server/sql.c server/guc.c server/guc.h server/result.c server/result.h \
	server/catalog_txn.c server/catalog_txn.h server/ddl.c server/ddl.h \
	server/show.c server/show.h server/roles.c server/http.c server/query.c server/query.h

# Plain tables: transactions, DDL, advisory locks, COPY.
server_libserver_a_SOURCES += \
	server/txn.c server/txn.h server/advisory.c server/advisory.h \
	server/table_ddl.c server/table_ddl.h server/default_display.c server/default_display.h \
	server/copy.c server/copy.h

# Pipelines and jobs: CREATE/START/STOP/DROP/EXPLAIN PIPELINE, the job manager.
server_libserver_a_SOURCES += \
	server/pipelines.c server/pipelines.h server/jobs.c server/jobs.h
# HTTP: listener, REST API, SQL bridge, metrics, OpenAPI document, webhook ingestion.
server_libserver_a_SOURCES += \
	server/http_int.h server/http_sql.c server/http_api.c server/http_api_util.c \
	server/http_api_jobs.c server/http_metrics.c \
	server/http_openapi.c server/http_ingest.c server/http_schema.c
