--
-- show: SHOW CONNECTORS, SHOW CONNECTION PROFILES, SHOW SOURCE TABLES,
-- SHOW SINK TABLES on an empty and a populated catalog; unknown SHOW targets.
--
SHOW CONNECTORS;
SHOW CONNECTION PROFILES;
SHOW SOURCE TABLES;
SHOW SINK TABLES;

CREATE CONNECTION PROFILE b_kafka WITH (connector = 'kafka', bootstrap_servers = '127.0.0.1:9092');
CREATE CONNECTION PROFILE a_gen WITH (connector = 'datagen');
CREATE SOURCE TABLE s_b (id BIGINT NOT NULL, ts TIMESTAMP NOT NULL) WITH (
    connector = 'kafka', profile = 'b_kafka', topic = 'b', format = 'json',
    event_time_field = 'ts', watermark_delay = '10 seconds');
CREATE SOURCE TABLE s_a (id BIGINT) WITH (connector = 'datagen', profile = 'a_gen');
CREATE SINK TABLE k_out (id BIGINT) WITH (connector = 'kafka', profile = 'b_kafka', topic = 'o');
CREATE SINK TABLE bh (id BIGINT) WITH (connector = 'blackhole');

-- listings are ordered by name
SHOW CONNECTION PROFILES;
SHOW SOURCE TABLES;
SHOW SINK TABLES;

-- case and quoting of names
CREATE SOURCE TABLE "MixedCase" (id INT) WITH (connector = 'datagen');
SHOW CREATE SOURCE TABLE "MixedCase";
SHOW CREATE SOURCE TABLE mixedcase;
\echo SQLSTATE :SQLSTATE
DROP SOURCE TABLE "MixedCase";

-- SHOW CREATE of a missing object or of the wrong kind
SHOW CREATE SOURCE TABLE no_such_table;
\echo SQLSTATE :SQLSTATE
SHOW CREATE SOURCE TABLE k_out;
\echo SQLSTATE :SQLSTATE
SHOW CREATE SINK TABLE s_a;
\echo SQLSTATE :SQLSTATE
SHOW NO_SUCH_THING;
\echo SQLSTATE :SQLSTATE

DROP SINK TABLE k_out, bh;
DROP SOURCE TABLE s_a, s_b;
DROP CONNECTION PROFILE a_gen;
DROP CONNECTION PROFILE b_kafka;
