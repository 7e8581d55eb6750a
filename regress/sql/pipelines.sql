-- pipelines: CREATE PIPELINE with every option and its checks (unknown column, type mismatch,
-- non-windowed aggregate into an append-only sink, unknown or bad options: SQLSTATEs and
-- positions), nothing half-created on error, dependencies (a table used by a pipeline cannot
-- be dropped), START/STOP/DROP rules, EXPLAIN PIPELINE, SHOW PIPELINES / SHOW JOBS,
-- SHOW CREATE PIPELINE and the laminar.pipelines / laminar.jobs views.
CREATE SOURCE TABLE bids WITH (connector = 'nexmark', event_type = 'bid', max_events = 2000,
    seed = 7);
CREATE SOURCE TABLE endless_bids WITH (connector = 'nexmark', event_type = 'bid');
CREATE SINK TABLE bid_sink (auction BIGINT, bidder BIGINT, price BIGINT, url STRING)
    WITH (connector = 'blackhole');
CREATE TABLE bid_totals (auction BIGINT PRIMARY KEY, total BIGINT, bids BIGINT);
CREATE TABLE bid_log (auction BIGINT, bids BIGINT); -- no primary key: append-only
CREATE SINK TABLE kafka_out (auction BIGINT, bids BIGINT) WITH (connector = 'kafka',
    bootstrap_servers = '127.0.0.1:9', topic = 'out', format = 'json'); -- append-only

-- every option
CREATE PIPELINE p_all WITH (parallelism = 2, checkpoint_interval = '5 seconds',
    emit = 'on_update', late_data = 'error', memory_limit = '256MB') AS
INSERT INTO bid_sink SELECT auction, bidder, price, url FROM bids WHERE price > 10;
-- defaults
CREATE PIPELINE p_plain AS INSERT INTO bid_totals
    SELECT auction, sum(price), count(*) FROM bids GROUP BY auction;
CREATE PIPELINE IF NOT EXISTS p_plain AS INSERT INTO bid_totals
    SELECT auction, sum(price), count(*) FROM bids GROUP BY auction;
SELECT name, query, parallelism, checkpoint_interval, state, emit, late_data, memory_limit,
       job_id IS NULL AS no_job, failure_message
  FROM laminar.pipelines ORDER BY name;

-- errors: nothing is created
CREATE PIPELINE p_all AS INSERT INTO bid_sink SELECT auction, bidder, price, url FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_col AS INSERT INTO bid_sink SELECT auction, bidder, prize, url FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_type AS INSERT INTO bid_sink SELECT auction, bidder, date_time, url FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_target AS INSERT INTO no_such_sink SELECT auction FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_source_target AS INSERT INTO bids SELECT * FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_agg_sink AS INSERT INTO kafka_out
    SELECT auction, count(*) FROM bids GROUP BY auction;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_agg AS INSERT INTO bid_log
    SELECT auction, count(*) FROM bids GROUP BY auction;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_window_update WITH (emit = 'on_update') AS INSERT INTO bid_log
    SELECT auction, count(*) FROM bids GROUP BY auction, TUMBLE(date_time, INTERVAL '10' SECOND);
\echo SQLSTATE :SQLSTATE
-- the same windowed aggregate emitting on window close is append-only
CREATE PIPELINE p_window AS INSERT INTO bid_log
    SELECT auction, count(*) FROM bids GROUP BY auction, TUMBLE(date_time, INTERVAL '10' SECOND);
CREATE PIPELINE bad_opt WITH (parallelism = 2, paralelism = 3) AS
    INSERT INTO bid_sink SELECT auction, bidder, price, url FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_par WITH (parallelism = 65) AS
    INSERT INTO bid_sink SELECT auction, bidder, price, url FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_par0 WITH (parallelism = 0) AS
    INSERT INTO bid_sink SELECT auction, bidder, price, url FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_interval WITH (checkpoint_interval = 'often') AS
    INSERT INTO bid_sink SELECT auction, bidder, price, url FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_emit WITH (emit = 'sometimes') AS
    INSERT INTO bid_sink SELECT auction, bidder, price, url FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_late WITH (late_data = 'keep') AS
    INSERT INTO bid_sink SELECT auction, bidder, price, url FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_mem WITH (memory_limit = 'lots') AS
    INSERT INTO bid_sink SELECT auction, bidder, price, url FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_dup WITH (emit = 'on_update', emit = 'on_update') AS
    INSERT INTO bid_sink SELECT auction, bidder, price, url FROM bids;
\echo SQLSTATE :SQLSTATE
CREATE PIPELINE bad_body AS SELECT * FROM bids;
\echo SQLSTATE :SQLSTATE
SELECT count(*) AS pipelines FROM laminar.pipelines;

-- tables in use cannot be dropped
DROP SOURCE TABLE bids;
\echo SQLSTATE :SQLSTATE
DROP SINK TABLE bid_sink;
\echo SQLSTATE :SQLSTATE
DROP TABLE bid_totals;
\echo SQLSTATE :SQLSTATE
DROP TABLE endless_bids, bids;
\echo SQLSTATE :SQLSTATE
-- an unused one can
DROP SOURCE TABLE endless_bids;

-- transactional DDL: a pipeline created in a rolled back block is gone
BEGIN;
CREATE PIPELINE p_txn AS INSERT INTO bid_sink SELECT auction, bidder, price, url FROM bids;
SHOW PIPELINES;
START PIPELINE p_txn;
\echo SQLSTATE :SQLSTATE
ROLLBACK;
SELECT name FROM laminar.pipelines ORDER BY name;

-- EXPLAIN PIPELINE, SHOW CREATE PIPELINE, SHOW
EXPLAIN PIPELINE p_all;
EXPLAIN PIPELINE nope;
\echo SQLSTATE :SQLSTATE
SHOW CREATE PIPELINE p_all;
SHOW PIPELINES;
SHOW JOBS;

-- START / STOP / DROP rules (the lifecycle itself is pipelines_lifecycle.py)
STOP PIPELINE p_all;
\echo SQLSTATE :SQLSTATE
START PIPELINE nope;
\echo SQLSTATE :SQLSTATE
DROP PIPELINE nope;
\echo SQLSTATE :SQLSTATE
DROP PIPELINE IF EXISTS nope;
CREATE SOURCE TABLE forever WITH (connector = 'nexmark', event_type = 'bid',
    events_per_second = 1000);
CREATE PIPELINE p_live AS INSERT INTO bid_sink
    SELECT auction, bidder, price, url FROM forever;
START PIPELINE p_live;
START PIPELINE p_live;
\echo SQLSTATE :SQLSTATE
DROP PIPELINE p_live;
\echo SQLSTATE :SQLSTATE
DROP SOURCE TABLE forever;
\echo SQLSTATE :SQLSTATE
SELECT name, state, job_id IS NOT NULL AS has_job FROM laminar.pipelines WHERE name = 'p_live';
SELECT pipeline_name, state, restarts, finished_at IS NULL AS unfinished FROM laminar.jobs;
STOP PIPELINE p_live;
SELECT name, state FROM laminar.pipelines WHERE name = 'p_live';
SELECT pipeline_name, state, finished_at IS NOT NULL AS finished FROM laminar.jobs;
DROP PIPELINE p_live, p_all;
SELECT name FROM laminar.pipelines ORDER BY name;
SELECT count(*) AS jobs_left FROM laminar.jobs;
DROP SOURCE TABLE forever;
