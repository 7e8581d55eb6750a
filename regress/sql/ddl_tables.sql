--
-- ddl_tables: CREATE SOURCE TABLE / CREATE SINK TABLE with every type of seed
-- 000 (and the aliases), NOT NULL, event time and watermarks (option form and
-- WATERMARK FOR), IF NOT EXISTS, DROP [IF EXISTS], one namespace for tables.
--
CREATE CONNECTION PROFILE kafka_local WITH (connector = 'kafka', bootstrap_servers = '127.0.0.1:9092');

CREATE SOURCE TABLE all_types (
    c_boolean   BOOLEAN NOT NULL,
    c_tinyint   TINYINT,
    c_smallint  SMALLINT,
    c_int       INT,
    c_integer   INTEGER,
    c_bigint    BIGINT NOT NULL,
    c_float     FLOAT,
    c_real      REAL,
    c_double    DOUBLE,
    c_double_p  DOUBLE PRECISION,
    c_decimal   DECIMAL(10, 2),
    c_numeric   NUMERIC(38, 9),
    c_string    STRING,
    c_text      TEXT,
    c_varchar   VARCHAR,
    c_binary    BINARY,
    c_bytea     BYTEA,
    c_date      DATE,
    c_time      TIME,
    c_timestamp TIMESTAMP NOT NULL,
    c_tstz      TIMESTAMPTZ,
    c_interval  INTERVAL,
    c_array     ARRAY<INT>,
    c_array_pg  BIGINT[],
    c_map       MAP<STRING, INT>,
    c_struct    STRUCT<name: STRING, age: INT>,
    c_nested    ARRAY<STRUCT<k: STRING, v: MAP<STRING, ARRAY<DOUBLE>>>>,
    c_json      JSON,
    c_jsonb     JSONB
) WITH (
    connector = 'kafka',
    profile = 'kafka_local',
    topic = 'all_types',
    format = 'json',
    consumer_group = 'regress',
    offset_reset = 'earliest',
    event_time_field = 'c_timestamp',
    watermark_delay = '5 seconds'
);
SHOW SOURCE TABLES;
SHOW CREATE SOURCE TABLE all_types;

-- WATERMARK FOR inside the column list
CREATE SOURCE TABLE clicks (
    user_id  BIGINT NOT NULL,
    page_url STRING NOT NULL,
    ts       TIMESTAMP NOT NULL,
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'clicks', format = 'json');
SHOW CREATE SOURCE TABLE clicks;

-- generators need no profile
CREATE SOURCE TABLE gen_rows (id BIGINT, name STRING, ts TIMESTAMP)
    WITH (connector = 'datagen', rows_per_second = 100);

-- sinks
CREATE SINK TABLE user_aggregates (
    user_id      BIGINT NOT NULL,
    total_clicks BIGINT NOT NULL,
    avg_duration DOUBLE,
    last_updated TIMESTAMP NOT NULL
) WITH (connector = 'postgres', table = 'user_aggregates', schema = 'analytics',
        host = '127.0.0.1', port = 5432, database = 'analytics',
        write_mode = 'upsert', primary_keys = 'user_id',
        create_table_if_not_exists = true, batch_size = 1000, batch_interval = '5s');
CREATE SINK TABLE kafka_out (id BIGINT, payload JSON, tags ARRAY<STRING>)
    WITH (connector = 'kafka', profile = 'kafka_local', topic = 'out', format = 'json',
          compression_type = 'gzip', acks = 'all');
CREATE SINK TABLE nowhere (id BIGINT) WITH (connector = 'blackhole');
SHOW SINK TABLES;
SHOW CREATE SINK TABLE user_aggregates;

-- IF NOT EXISTS and duplicates (sources and sinks share one namespace)
CREATE SOURCE TABLE clicks (id INT) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE IF NOT EXISTS clicks (id INT) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE SINK TABLE clicks (id INT) WITH (connector = 'blackhole');
\echo SQLSTATE :SQLSTATE
-- duplicate column names
CREATE SOURCE TABLE dup_cols (a INT, a STRING) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
-- unknown type
CREATE SOURCE TABLE bad_type (a NO_SUCH_TYPE) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
-- DECIMAL precision out of range
CREATE SOURCE TABLE bad_decimal (a DECIMAL(100, 2)) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE bad_scale (a DECIMAL(5, 7)) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
-- a source cannot use a sink-only connector and vice versa
CREATE SOURCE TABLE bad_kind (a INT) WITH (connector = 'blackhole');
\echo SQLSTATE :SQLSTATE
CREATE SINK TABLE bad_kind (a INT) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE

-- DROP: the kind must match
DROP SINK TABLE clicks;
\echo SQLSTATE :SQLSTATE
DROP SOURCE TABLE clicks;
DROP SOURCE TABLE clicks;
\echo SQLSTATE :SQLSTATE
DROP SOURCE TABLE IF EXISTS clicks;
\echo SQLSTATE :SQLSTATE
DROP SOURCE TABLE all_types, gen_rows;
DROP SINK TABLE user_aggregates, kafka_out, nowhere;
SHOW SOURCE TABLES;
SHOW SINK TABLES;
DROP CONNECTION PROFILE kafka_local;
