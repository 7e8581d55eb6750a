"""pg_connector: the postgres connector against a real PostgreSQL 15 (regress/lib/pgserver.py).

Covers: TEST CONNECTION PROFILE (success, and the server's error for a closed port); the
sink in append mode (COPY; every row once, progress row written), create_table_if_not_exists
(PostgreSQL types from the sink's columns: arrays as T[], MAP/STRUCT as jsonb, the primary
key from primary_keys) with values of many types round-tripping, upsert of a changelog
(a non-windowed aggregate over nexmark bids, checked against the same aggregate computed
by PostgreSQL over the appended bids), overwrite (old rows gone, new ones there); the source:
a table snapshot, a query snapshot, a partitioned read (4 ranges, parallelism 2) and change
tracking (rows inserted while the job runs, including ties of the tracking column, each
arrive once; also across kill -9); exactly-once under kill -9 of laminard while rows flow (every row exactly once
in PostgreSQL; the seed of the kill times is printed); an unreachable database (retried,
CONNECTION_ERROR in laminar.job_errors, the job fails after retry_timeout)."""
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap, free_port  # noqa: E402
from pgserver import PgServer  # noqa: E402

import psycopg2  # noqa: E402

tap = Tap()
try:
    # pg allows two-phase commit (the sink prepares each checkpoint's transaction); pg2 does
    # not (the sink stages each checkpoint's rows in RocksDB until its commit)
    pg = PgServer(settings={"max_prepared_transactions": "20"})
    pg.init()
    pg.start()
    pg2 = PgServer()
    pg2.init()
    pg2.start()
    srv = Server()
    srv.start()
except Exception as e:
    tap.bail("laminard and postgres start", e)


def connect(dsn):
    c = psycopg2.connect(dsn)
    c.autocommit = True
    return c


def q(conn, sql, args=None):
    cur = conn.cursor()
    cur.execute(sql, args)
    return cur.fetchall() if cur.description else None


def one(conn, sql, args=None):
    rows = q(conn, sql, args)
    return rows[0] if rows else None


def job_state(conn, job):
    r = one(conn, "SELECT state FROM laminar.jobs WHERE id = %s", (job,))
    return r[0] if r else None


def failure(conn, job):
    r = one(conn, "SELECT state, failure_message FROM laminar.jobs WHERE id = %s", (job,))
    return "job: %r\nlog:\n%s" % (r, srv.log_tail(15))


def wait_job(conn, job, states=("completed", "failed", "stopped"), timeout=60.0):
    deadline = time.time() + timeout
    while job_state(conn, job) not in states and time.time() < deadline:
        time.sleep(0.1)
    return job_state(conn, job)


def run(conn, name, timeout=60.0):
    job = one(conn, "START PIPELINE " + name)[0]
    return job, wait_job(conn, job, timeout=timeout) == "completed"


def wait_for(fn, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.1)
    return fn()


with srv:
    lm = connect(srv.dsn())
    pc = connect(pg.dsn())
    pc2 = connect(pg2.dsn())

    # 1. profiles
    q(lm, "CREATE CONNECTION PROFILE pg WITH (connector = 'postgres', host = '127.0.0.1', "
          "port = %d, user = 'postgres', database = 'postgres')" % pg.port)
    r = one(lm, "TEST CONNECTION PROFILE pg")
    tap.ok(r[0] is True and "PostgreSQL 15" in r[1], "TEST CONNECTION PROFILE reaches PostgreSQL",
           repr(r))
    q(lm, "CREATE CONNECTION PROFILE pg2 WITH (connector = 'postgres', url = "
          "'postgresql://postgres@127.0.0.1:%d/postgres?table=ignored')" % pg2.port)
    r = one(lm, "TEST CONNECTION PROFILE pg2")
    tap.ok(r[0] is True, "TEST CONNECTION PROFILE with a url (Laminar's ?table= taken out)",
           repr(r))
    dead = free_port()
    q(lm, "CREATE CONNECTION PROFILE pg_dead WITH (connector = 'postgres', host = '127.0.0.1', "
          "port = %d, user = 'postgres', database = 'postgres', retry_timeout = '2s')" % dead)
    r = one(lm, "TEST CONNECTION PROFILE pg_dead")
    tap.ok(r[0] is False and "Connection refused" in r[1],
           "TEST CONNECTION PROFILE reports PostgreSQL's error", repr(r))

    # 2. append + create_table_if_not_exists (many types)
    q(lm, "CREATE SOURCE TABLE gen (id BIGINT, v STRING, d DOUBLE) WITH (connector = 'datagen', "
          "number_of_rows = 50000, \"fields.id.kind\" = 'sequence', \"fields.id.start\" = 1, "
          "\"fields.id.end\" = 50000)")
    q(lm, "CREATE SINK TABLE pg_append (id BIGINT, v STRING, d DOUBLE, s STRING, b BOOLEAN, "
          "ts TIMESTAMP, n DECIMAL(12,3), a ARRAY<INT>, m MAP<STRING, BIGINT>, bin BYTEA, "
          "dt DATE) WITH (profile = 'pg', table = 'appended', create_table_if_not_exists = true, "
          "primary_keys = 'id', batch_size = 5000)")
    q(lm, "CREATE PIPELINE p_append WITH (parallelism = 2) AS INSERT INTO pg_append "
          "(id, v, d, s, b, ts, n, a, bin, dt) SELECT id, v, d, CASE WHEN id % 7 = 0 THEN NULL ELSE 'a\tb\\c\n' || v END, id % 2 = 0, "
          "TIMESTAMP '2024-01-01 00:00:00' + id * INTERVAL '1 second', id / 8.0, "
          "ARRAY[CAST(id AS INT), 2], CAST('\\x0102ff' AS BYTEA), "
          "DATE '2024-02-29' FROM gen")
    job, ok = run(lm, "p_append")
    tap.ok(ok, "append pipeline completes", failure(lm, job))
    r = one(pc, "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM appended")
    tap.ok(r == (50000, 50000, 1, 50000), "append: every row once in PostgreSQL", repr(r))
    types = q(pc, "SELECT column_name, format_type(atttypid, atttypmod) FROM "
                  "information_schema.columns c JOIN pg_attribute a ON a.attrelid = "
                  "'appended'::regclass AND a.attname = c.column_name WHERE table_name = "
                  "'appended' ORDER BY ordinal_position")
    want = [("id", "bigint"), ("v", "text"), ("d", "double precision"), ("s", "text"),
            ("b", "boolean"), ("ts", "timestamp without time zone"), ("n", "numeric(12,3)"),
            ("a", "integer[]"), ("m", "jsonb"), ("bin", "bytea"), ("dt", "date")]
    tap.ok(types == want, "create_table_if_not_exists: PostgreSQL types", repr(types))
    pk = q(pc, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
               "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'appended'::regclass AND "
               "i.indisprimary")
    tap.ok(pk == [("id",)], "create_table_if_not_exists: primary key from primary_keys", repr(pk))
    r = one(pc, "SELECT s, b, ts::text, n::text, a::text, m::text, bin::text, dt::text FROM "
                "appended WHERE id = 10")
    tap.ok(r is not None and r[0].startswith("a\tb\\c\n") and r[1:] ==
           (True, "2024-01-01 00:00:10", "1.250", "{10,2}", None, "\\x0102ff",
            "2024-02-29"), "append: values of many types round-trip (escapes too)", repr(r))
    r = one(pc, "SELECT count(*) FROM appended WHERE s IS NULL")
    tap.ok(r == (50000 // 7,), "append: NULLs arrive as NULL", repr(r))
    r = q(pc, "SELECT sink, subtask, checkpoint_id > 0 FROM laminar_sink_progress WHERE "
              "job_id = %s ORDER BY subtask", (job,))
    tap.ok(r == [("pg_append", 0, True), ("pg_append", 1, True)],
           "append: each subtask's progress row", repr(r))

    # 3. upsert of a changelog (aggregate over nexmark bids); the bids appended as the oracle
    q(lm, "CREATE SOURCE TABLE nx_bid WITH (connector = 'nexmark', event_type = 'bid', "
          "max_events = 40000, seed = 11)")
    q(lm, "CREATE SINK TABLE pg_bids (auction BIGINT, bidder BIGINT, price BIGINT) WITH "
          "(profile = 'pg', table = 'bids', create_table_if_not_exists = true)")
    q(lm, "CREATE SINK TABLE pg_agg (auction BIGINT, n BIGINT, top BIGINT) WITH "
          "(profile = 'pg', table = 'agg', write_mode = 'upsert', primary_keys = 'auction', "
          "create_table_if_not_exists = true)")
    q(lm, "CREATE PIPELINE p_bids AS INSERT INTO pg_bids SELECT auction, bidder, price FROM nx_bid")
    q(lm, "CREATE PIPELINE p_agg WITH (parallelism = 2, checkpoint_interval = '300ms') AS "
          "INSERT INTO pg_agg SELECT auction, count(*), max(price) FROM nx_bid GROUP BY auction")
    job, ok = run(lm, "p_bids")
    tap.ok(ok, "bids pipeline completes", failure(lm, job))
    job, ok = run(lm, "p_agg")
    tap.ok(ok, "upsert pipeline (changelog) completes", failure(lm, job))
    diff = one(pc, "SELECT count(*) FROM ((SELECT auction, count(*), max(price) FROM bids GROUP "
                   "BY auction) EXCEPT ALL (SELECT auction, n, top FROM agg)) x")
    cnt = one(pc, "SELECT (SELECT count(*) FROM agg), (SELECT count(DISTINCT auction) FROM bids)")
    tap.ok(diff == (0,) and cnt[0] == cnt[1] and cnt[0] > 100,
           "upsert: the table equals the aggregate over all bids", "%r %r" % (diff, cnt))

    # 4. overwrite: old rows go when the job starts fresh
    q(pc, "CREATE TABLE ow (id bigint, v text)")
    q(pc, "INSERT INTO ow SELECT g, 'old' FROM generate_series(1, 500) g")
    q(lm, "CREATE SINK TABLE pg_ow (id BIGINT, v STRING) WITH (profile = 'pg', table = 'ow', "
          "write_mode = 'overwrite')")
    q(lm, "CREATE PIPELINE p_ow WITH (parallelism = 2) AS INSERT INTO pg_ow "
          "SELECT id, 'new' FROM gen WHERE id <= 1000")
    job, ok = run(lm, "p_ow")
    r = q(pc, "SELECT v, count(*) FROM ow GROUP BY v")
    tap.ok(ok and r == [("new", 1000)], "overwrite: the target holds only the job's rows",
           "%r %s" % (r, failure(lm, job)))

    # 5. sources: table snapshot, query snapshot, partitioned read, change tracking
    q(pc, "CREATE TABLE src (id int PRIMARY KEY, name text, score numeric(8,2), "
          "at timestamptz, tags text[])")
    q(pc, "INSERT INTO src SELECT g, 'n' || g, g / 4.0, '2024-01-01'::timestamptz + g * "
          "interval '1 minute', ARRAY['x', g::text] FROM generate_series(1, 20000) g")
    q(pc, "INSERT INTO src VALUES (20001, NULL, NULL, NULL, NULL)")
    q(lm, "CREATE SOURCE TABLE pg_src (id BIGINT, name STRING, score DOUBLE, at TIMESTAMPTZ, "
          "tags ARRAY<STRING>) WITH (profile = 'pg', table = 'src')")
    q(lm, "CREATE TABLE got (id BIGINT, name STRING, score DOUBLE, at TIMESTAMPTZ, tags STRING)")
    q(lm, "CREATE PIPELINE p_src AS INSERT INTO got SELECT id, name, score, at, "
          "CAST(tags AS STRING) FROM pg_src")
    job, ok = run(lm, "p_src")
    r = one(lm, "SELECT count(*), count(DISTINCT id), sum(id), sum(score), count(name) FROM got")
    tap.ok(ok and r == (20001, 20001, 200030001, 50002500.0, 20000),
           "source: table snapshot read once, then the job completes",
           "%r %s" % (r, failure(lm, job)))
    r = one(lm, "SELECT name, score, CAST(at AS STRING), tags FROM got "
                "WHERE id = 6")
    tap.ok(r == ("n6", 1.5, "2024-01-01 00:06:00+00", "{x,6}"),
           "source: values converted to the table's types", repr(r))

    try:
        r = q(lm, "SELECT id, name FROM pg_src LIMIT 3")
    except psycopg2.Error as e:
        r = e
    tap.ok(isinstance(r, list) and len(r) == 3 and all(x[1] == "n%d" % x[0] for x in r),
           "source: SELECT ... LIMIT samples the PostgreSQL table", repr(r))
    q(lm, "CREATE SOURCE TABLE pg_part (id BIGINT, name STRING) WITH (profile = 'pg', "
          "table = 'src', partition_column = 'id', num_partitions = 4)")
    q(lm, "CREATE TABLE got_part (id BIGINT, name STRING)")
    q(lm, "CREATE PIPELINE p_part WITH (parallelism = 2) AS INSERT INTO got_part "
          "SELECT * FROM pg_part")
    job, ok = run(lm, "p_part")
    r = one(lm, "SELECT count(*), count(DISTINCT id), sum(id) FROM got_part")
    tap.ok(ok and r == (20001, 20001, 200030001),
           "source: partitioned read (4 ranges, parallelism 2) reads every row once",
           "%r %s" % (r, failure(lm, job)))

    q(lm, "CREATE SOURCE TABLE pg_query (k BIGINT, total BIGINT) WITH (profile = 'pg', "
          "query = 'SELECT id % 10 AS k, sum(id) AS total FROM src GROUP BY 1')")
    q(lm, "CREATE TABLE got_query (k BIGINT, total BIGINT)")
    q(lm, "CREATE PIPELINE p_query AS INSERT INTO got_query SELECT * FROM pg_query")
    job, ok = run(lm, "p_query")
    r = one(lm, "SELECT count(*), sum(total) FROM got_query")
    tap.ok(ok and r == (10, 200030001), "source: query snapshot",
           "%r %s" % (r, failure(lm, job)))

    q(pc, "CREATE TABLE events (id int, v text, updated_at bigint)")
    q(pc, "INSERT INTO events SELECT g, 'a', g / 10 FROM generate_series(1, 3000) g")
    q(lm, "CREATE SOURCE TABLE pg_events (id BIGINT, v STRING, updated_at BIGINT) WITH "
          "(profile = 'pg', table = 'events', change_tracking_column = 'updated_at', "
          "poll_interval = '100ms')")
    q(lm, "CREATE TABLE got_events (id BIGINT, v STRING, updated_at BIGINT)")
    q(lm, "CREATE PIPELINE p_events WITH (checkpoint_interval = '200ms') AS INSERT INTO "
          "got_events SELECT * FROM pg_events")
    job = one(lm, "START PIPELINE p_events")[0]
    got = wait_for(lambda: one(lm, "SELECT count(*) FROM got_events")[0] >= 3000 or None)
    # new rows, some tying with the largest value seen (300), an update moving forward
    q(pc, "INSERT INTO events SELECT g, 'b', 300 FROM generate_series(3001, 3100) g")
    q(pc, "INSERT INTO events SELECT g, 'c', 301 + g % 5 FROM generate_series(3101, 4000) g")
    q(pc, "UPDATE events SET v = 'u', updated_at = 400 WHERE id = 1")
    got = wait_for(lambda: one(lm, "SELECT count(*) FROM got_events")[0] >= 4001 or None)
    time.sleep(0.5)
    r = one(lm, "SELECT count(*), count(DISTINCT id), sum(CASE WHEN v = 'u' THEN 1 ELSE 0 END) "
                "FROM got_events")
    tap.ok(job_state(lm, job) == "running" and r == (4001, 4000, 1),
           "source: change tracking delivers new, tied and updated rows once each",
           "%r %s" % (r, failure(lm, job)))
    if job_state(lm, job) == "running":
        q(lm, "STOP PIPELINE p_events")
        wait_job(lm, job)

    # 6. exactly-once under kill -9
    seed = int(os.environ.get("LM_SEED", random.randrange(1 << 30)))
    rnd = random.Random(seed)
    print("# kill -9 seed %d (LM_SEED to repeat)" % seed)
    total = 150000
    q(lm, "CREATE SOURCE TABLE gen_eo (id BIGINT, v STRING) WITH (connector = 'datagen', "
          "number_of_rows = %d, rows_per_second = 30000, \"fields.id.kind\" = 'sequence', "
          "\"fields.id.start\" = 1, \"fields.id.end\" = %d)" % (total, total))
    q(lm, "CREATE SINK TABLE pg_eo (id BIGINT, v STRING) WITH (profile = 'pg', table = 'eo', "
          "create_table_if_not_exists = true, batch_size = 2000)")
    q(lm, "CREATE SINK TABLE pg_eo_up (id BIGINT, v STRING) WITH (profile = 'pg', "
          "table = 'eo_up', write_mode = 'upsert', primary_keys = 'id', "
          "create_table_if_not_exists = true)")
    q(lm, "CREATE SINK TABLE pg2_eo (id BIGINT, v STRING) WITH (profile = 'pg2', table = 'eo', "
          "create_table_if_not_exists = true, batch_size = 3000)")
    q(lm, "CREATE SINK TABLE pg2_eo_up (id BIGINT, v STRING) WITH (profile = 'pg2', "
          "table = 'eo_up', write_mode = 'upsert', primary_keys = 'id', "
          "create_table_if_not_exists = true)")
    q(lm, "CREATE PIPELINE p_eo WITH (parallelism = 2, checkpoint_interval = '300ms') AS "
          "INSERT INTO pg_eo SELECT * FROM gen_eo")
    q(lm, "CREATE PIPELINE p_eo_up WITH (checkpoint_interval = '250ms') AS "
          "INSERT INTO pg_eo_up SELECT id % 1000, v FROM gen_eo")
    q(lm, "CREATE PIPELINE p2_eo WITH (parallelism = 2, checkpoint_interval = '300ms') AS "
          "INSERT INTO pg2_eo SELECT * FROM gen_eo")
    q(lm, "CREATE PIPELINE p2_eo_up WITH (checkpoint_interval = '250ms') AS "
          "INSERT INTO pg2_eo_up SELECT id % 1000, v FROM gen_eo")
    # a change-tracking source read across the kills: rows keep arriving, with ties
    q(pc, "CREATE TABLE feed (id int, ts bigint)")
    q(pc, "INSERT INTO feed SELECT g, g / 7 FROM generate_series(1, 2000) g")
    q(lm, "CREATE SOURCE TABLE pg_feed (id BIGINT, ts BIGINT) WITH (profile = 'pg', "
          "table = 'feed', change_tracking_column = 'ts', poll_interval = '50ms')")
    q(lm, "CREATE TABLE got_feed (id BIGINT, ts BIGINT)")
    q(lm, "CREATE PIPELINE p_feed WITH (checkpoint_interval = '200ms') AS INSERT INTO got_feed "
          "SELECT * FROM pg_feed")
    job_feed = one(lm, "START PIPELINE p_feed")[0]
    job = one(lm, "START PIPELINE p_eo")[0]
    job_up = one(lm, "START PIPELINE p_eo_up")[0]
    job2 = one(lm, "START PIPELINE p2_eo")[0]
    job2_up = one(lm, "START PIPELINE p2_eo_up")[0]
    kills = 0
    fed = 2000
    for i in range(3):
        for _ in range(5):
            q(pc, "INSERT INTO feed SELECT g, g / 7 FROM generate_series(%d, %d) g"
                  % (fed + 1, fed + 300))
            fed += 300
            time.sleep(rnd.uniform(0.1, 0.3))
        srv.kill9()
        kills += 1
        srv.restart()
        lm = connect(srv.dsn())
    st = wait_job(lm, job, timeout=40)
    st_up = wait_job(lm, job_up, timeout=40)
    r = one(pc, "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM eo")
    tap.ok(st == "completed" and r == (total, total, 1, total),
           "exactly-once (two-phase): append sink holds every row once after %d kill -9 (seed %d)"
           % (kills, seed), "%s %r %s" % (st, r, failure(lm, job)))
    r = one(pc, "SELECT count(*), count(DISTINCT id) FROM eo_up")
    tap.ok(st_up == "completed" and r == (1000, 1000),
           "exactly-once (two-phase): upsert sink after kill -9", "%s %r %s" % (st_up, r, failure(lm, job_up)))
    st = wait_job(lm, job2, timeout=40)
    st_up = wait_job(lm, job2_up, timeout=40)
    r = one(pc2, "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM eo")
    tap.ok(st == "completed" and r == (total, total, 1, total),
           "exactly-once (RocksDB staging, no two-phase commit): append sink after kill -9",
           "%s %r %s" % (st, r, failure(lm, job2)))
    r = one(pc2, "SELECT count(*), count(DISTINCT id) FROM eo_up")
    tap.ok(st_up == "completed" and r == (1000, 1000),
           "exactly-once (RocksDB staging): upsert sink after kill -9",
           "%s %r %s" % (st_up, r, failure(lm, job2_up)))
    r = one(pc, "SELECT count(*) FROM pg_prepared_xacts")
    tap.ok(r == (0,), "no prepared transaction is left behind",
           "%r %r %r" % (r, q(pc, "SELECT gid FROM pg_prepared_xacts"),
                         q(pc, "SELECT state, wait_event_type, wait_event, query FROM "
                               "pg_stat_activity WHERE application_name = 'laminar'")))
    got = wait_for(lambda: one(lm, "SELECT count(*) FROM got_feed")[0] >= fed or None)
    time.sleep(0.5)
    r = one(lm, "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM got_feed")
    tap.ok(job_state(lm, job_feed) == "running" and r == (fed, fed, 1, fed),
           "change tracking across kill -9: every row once", "%r %s" % (r, failure(lm, job_feed)))
    if job_state(lm, job_feed) == "running":
        q(lm, "STOP PIPELINE p_feed")
        wait_job(lm, job_feed)
    r = one(lm, "SELECT restarts FROM laminar.jobs WHERE id = %s", (job,))
    tap.ok(r is not None and r[0] >= 1, "the job was recovered after kill -9", repr(r))

    # 7. unreachable database: retried, reported, the job fails
    q(lm, "CREATE SINK TABLE pg_down (id BIGINT) WITH (profile = 'pg_dead', table = 'x')")
    q(lm, "CREATE PIPELINE p_down AS INSERT INTO pg_down SELECT id FROM gen")
    job = one(lm, "START PIPELINE p_down")[0]
    st = wait_job(lm, job, timeout=30)
    errs = q(lm, "SELECT code, message FROM laminar.job_errors WHERE job_id = %s", (job,))
    fm = one(lm, "SELECT failure_message FROM laminar.jobs WHERE id = %s", (job,))
    tap.ok(st == "failed" and len(errs) >= 2 and all(e[0] == "CONNECTION_ERROR" for e in errs)
           and "Connection refused" in errs[0][1],
           "unreachable database: CONNECTION_ERROR records, the job fails",
           "%s %r %r" % (st, errs, fm))
    tap.ok(fm is not None and "cannot connect" in (fm[0] or ""),
           "unreachable database: the failure names it", repr(fm))

pg.close()
pg2.close()
tap.done()
