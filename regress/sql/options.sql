--
-- options: WITH (...) options are validated against the connector's option
-- list; errors name the known connectors/options.  Also profile references,
-- event_time_field and watermark_delay checks.
--
CREATE CONNECTION PROFILE kafka_local WITH (connector = 'kafka', bootstrap_servers = '127.0.0.1:9092');

-- unknown connector: the error names the known ones
CREATE SOURCE TABLE t (id INT) WITH (connector = 'no_such_connector');
\echo SQLSTATE :SQLSTATE
CREATE CONNECTION PROFILE p WITH (connector = 'no_such_connector');
\echo SQLSTATE :SQLSTATE
-- no connector at all
CREATE SOURCE TABLE t (id INT) WITH (topic = 'x');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (id INT);
\echo SQLSTATE :SQLSTATE
-- unknown option: the error names the known ones
CREATE SOURCE TABLE t (id INT) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', no_such_option = 1);
\echo SQLSTATE :SQLSTATE
CREATE CONNECTION PROFILE p WITH (connector = 'kafka', bootstrap_servers = 'x:1', topicz = 'x');
\echo SQLSTATE :SQLSTATE
-- an option given twice
CREATE SOURCE TABLE t (id INT) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', topic = 'y');
\echo SQLSTATE :SQLSTATE
-- a required option missing (kafka needs a topic)
CREATE SOURCE TABLE t (id INT) WITH (connector = 'kafka', profile = 'kafka_local');
\echo SQLSTATE :SQLSTATE
-- enum, integer, boolean and interval values
CREATE SOURCE TABLE t (id INT) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', offset_reset = 'sometimes');
\echo SQLSTATE :SQLSTATE
CREATE SINK TABLE t (id INT) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', linger_ms = 'soon');
\echo SQLSTATE :SQLSTATE
CREATE SINK TABLE t (id INT) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', batch_size = 0);
\echo SQLSTATE :SQLSTATE
CREATE SINK TABLE t (id INT) WITH (connector = 'postgres', table = 't', create_table_if_not_exists = 'maybe');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (id INT) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', partition_discovery_interval = 'often');
\echo SQLSTATE :SQLSTATE
-- source-only option on a sink, sink-only option on a source
CREATE SINK TABLE t (id INT) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', consumer_group = 'g');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (id INT) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', acks = 'all');
\echo SQLSTATE :SQLSTATE
-- unknown format, format not supported by the connector
CREATE SOURCE TABLE t (id INT) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', format = 'xml');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (id INT) WITH (connector = 'webhook', format = 'avro');
\echo SQLSTATE :SQLSTATE
-- profile references
CREATE SOURCE TABLE t (id INT) WITH (connector = 'kafka', profile = 'no_such_profile', topic = 'x');
\echo SQLSTATE :SQLSTATE
CREATE CONNECTION PROFILE pg WITH (connector = 'postgres', host = '127.0.0.1');
CREATE SOURCE TABLE t (id INT) WITH (connector = 'kafka', profile = 'pg', topic = 'x');
\echo SQLSTATE :SQLSTATE
-- event_time_field must name a TIMESTAMP column
CREATE SOURCE TABLE t (id INT, ts TIMESTAMP) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', event_time_field = 'no_such_column');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (id INT, ts TIMESTAMP) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', event_time_field = 'id');
\echo SQLSTATE :SQLSTATE
-- watermark_delay must parse as an interval
CREATE SOURCE TABLE t (id INT, ts TIMESTAMP) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', event_time_field = 'ts', watermark_delay = 'five seconds');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (id INT, ts TIMESTAMP) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', event_time_field = 'ts', watermark_delay = '-5 seconds');
\echo SQLSTATE :SQLSTATE
-- WATERMARK FOR on a column that does not exist / is not a timestamp
CREATE SOURCE TABLE t (id INT, ts TIMESTAMP, WATERMARK FOR nope AS nope - INTERVAL '1' SECOND) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (id INT, ts TIMESTAMP, WATERMARK FOR id AS id - 1) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
-- the accepted spellings
CREATE SOURCE TABLE ok1 (id INT, ts TIMESTAMP) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', event_time_field = 'ts', watermark_delay = '1 minute');
CREATE SOURCE TABLE ok2 (id INT, ts TIMESTAMP) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'x', event_time_field = 'ts', watermark_delay = 'interval ''1'' minute');
CREATE SOURCE TABLE ok3 (id INT) WITH (connector = 'kafka', bootstrap_servers = '127.0.0.1:9092', topic = 'a,b', format = 'csv', delimiter = ';', header = true);
SHOW SOURCE TABLES;
-- nothing failed above was created
SHOW CREATE SOURCE TABLE t;
\echo SQLSTATE :SQLSTATE
DROP SOURCE TABLE ok1, ok2, ok3;
DROP CONNECTION PROFILE pg;
DROP CONNECTION PROFILE kafka_local;
