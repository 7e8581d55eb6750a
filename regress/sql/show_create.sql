--
-- show_create: SHOW CREATE SOURCE/SINK TABLE and SHOW CREATE CONNECTION
-- PROFILE round-trip: the output, executed after a DROP, recreates objects
-- whose SHOW CREATE is identical.  (regress/scripts/persistence.sh also
-- replays every statement on a second, empty server.)
--
CREATE CONNECTION PROFILE kafka_rt WITH (connector = 'kafka',
    bootstrap_servers = '127.0.0.1:9092', client_id = 'it''s quoted', sasl_mechanism = 'plain',
    sasl_username = 'app', security_protocol = 'sasl_plaintext');
CREATE SOURCE TABLE rt_src (
    "Quoted Col" STRING NOT NULL,
    amount       DECIMAL(12, 3),
    tags         ARRAY<STRING>,
    attrs        MAP<STRING, ARRAY<INT>>,
    person       STRUCT<name: STRING, "Age": INT>,
    doc          JSON,
    span         INTERVAL,
    bin          BINARY,
    d            DATE,
    t            TIME,
    ts           TIMESTAMP NOT NULL,
    WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH (connector = 'kafka', profile = 'kafka_rt', topic = 'rt', format = 'json',
        consumer_group = 'g', offset_reset = 'latest', ignore_parse_errors = true);
CREATE SINK TABLE rt_sink (id BIGINT NOT NULL, total DOUBLE, at TIMESTAMP) WITH (
    connector = 'kafka', profile = 'kafka_rt', topic = 'rt_out', format = 'json',
    linger_ms = 5, compression_type = 'lz4');

SHOW CREATE CONNECTION PROFILE kafka_rt;
SHOW CREATE SOURCE TABLE rt_src;
SHOW CREATE SINK TABLE rt_sink;

-- capture the statements (before.txt) and a replay script (replay.sql)
\pset tuples_only on
\pset format unaligned
\o :tmpdir/before.txt
SHOW CREATE CONNECTION PROFILE kafka_rt;
SHOW CREATE SOURCE TABLE rt_src;
SHOW CREATE SINK TABLE rt_sink;
\o :tmpdir/replay.sql
SHOW CREATE CONNECTION PROFILE kafka_rt;
\qecho ;
SHOW CREATE SOURCE TABLE rt_src;
\qecho ;
SHOW CREATE SINK TABLE rt_sink;
\qecho ;
\o
\pset format aligned
\pset tuples_only off

DROP SOURCE TABLE rt_src;
DROP SINK TABLE rt_sink;
DROP CONNECTION PROFILE kafka_rt;
SHOW SOURCE TABLES;

-- replay (psql echoes the statements it reads)
\i :tmpdir/replay.sql
\pset tuples_only on
\pset format unaligned
\o :tmpdir/after.txt
SHOW CREATE CONNECTION PROFILE kafka_rt;
SHOW CREATE SOURCE TABLE rt_src;
SHOW CREATE SINK TABLE rt_sink;
\o
\pset format aligned
\pset tuples_only off
\set same `cmp -s before.txt after.txt && echo identical || echo DIFFERENT`
\echo round trip: :same

DROP SOURCE TABLE rt_src;
DROP SINK TABLE rt_sink;
DROP CONNECTION PROFILE kafka_rt;
