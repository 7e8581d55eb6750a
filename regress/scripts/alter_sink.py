"""alter_sink: ALTER SINK TABLE ... SET (batch options) on a running pipeline (issue 6, seed 003).

A nexmark auctions -> postgres pipeline runs with checkpoint_interval = '1 hour' and a sink with
batch_interval = '1 hour': its rows stay staged (nothing visible in PostgreSQL).  Covers:
ALTER SINK TABLE SET (batch_interval = '1 second') makes the waiting rows appear promptly
without a restart (same job id, restarts 0, still running) and later rows follow the new
condition (they keep arriving, long before the checkpoint interval); inside BEGIN ... COMMIT
the options apply at COMMIT (rows stop flowing with '1 hour' again), a ROLLBACK applies
nothing; options that name the target (table, profile) are refused with 55006 while the
pipeline runs and accepted once it is stopped; seed 003's ranges (batch_interval 1 s .. 24 h
here, batch_bytes 100 B .. 500 MB, batch_size 1 .. 10M) are enforced; exactly-once: after
STOP every auction id is in PostgreSQL exactly once, without gaps."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402
from pgserver import PgServer  # noqa: E402

import psycopg2  # noqa: E402

tap = Tap()
try:
    pg = PgServer()
    pg.init()
    pg.start()
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


def error_of(conn, sql):
    try:
        q(conn, sql)
    except psycopg2.Error as e:
        return (e.pgcode, e.diag.message_primary, e.diag.message_hint)
    return None


def pg_count(pc):
    r = one(pc, "SELECT to_regclass('public.auctions_out') IS NOT NULL")
    if not r[0]:
        return 0
    return one(pc, "SELECT count(*) FROM auctions_out")[0]


def job_row(lm, job):
    return one(lm, "SELECT state, restarts, records_out FROM laminar.jobs WHERE id = %s", (job,))


def wait_for(fn, timeout=15.0):
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
    q(lm, "CREATE CONNECTION PROFILE pg WITH (connector = 'postgres', host = '127.0.0.1', "
          "port = %d, user = 'postgres', database = 'postgres')" % pg.port)
    q(lm, "CREATE SOURCE TABLE auctions WITH (connector = 'nexmark', event_type = 'auction', "
          "events_per_second = 2000, seed = 3)")
    q(lm, "CREATE SINK TABLE out (id BIGINT, item_name STRING, initial_bid BIGINT) WITH "
          "(profile = 'pg', table = 'auctions_out', create_table_if_not_exists = true, "
          "batch_interval = '1 hour')")

    # 1. seed 003's ranges
    bad = [("batch_interval = '500ms'", "batch_interval"), ("batch_interval = '25 hours'",
           "batch_interval"), ("batch_bytes = '50'", "batch_bytes"),
           ("batch_bytes = '600MB'", "batch_bytes"), ("batch_size = 0", "batch_size"),
           ("batch_size = 10000001", "batch_size")]
    for opt, name in bad:
        e = error_of(lm, "ALTER SINK TABLE out SET (%s)" % opt)
        tap.ok(e is not None and e[0] == "22023" and name in e[1],
               "out-of-range %s is rejected (22023)" % opt, repr(e))
    e = error_of(lm, "ALTER SINK TABLE out SET (batch_interval = '1 second', batch_bytes = "
                     "'100', batch_size = 10000000)")
    tap.ok(e is None, "the range limits themselves are accepted", repr(e))
    q(lm, "ALTER SINK TABLE out SET (batch_interval = '1 hour', batch_bytes = '50MB', "
          "batch_size = 50000)")

    # 2. a running pipeline whose rows stay staged
    q(lm, "CREATE PIPELINE p WITH (checkpoint_interval = '1 hour') AS INSERT INTO out "
          "SELECT id, item_name, initial_bid FROM auctions")
    job = one(lm, "START PIPELINE p")[0]
    got = wait_for(lambda: (job_row(lm, job) or (None, 0, 0))[2] >= 200, 15)
    time.sleep(1.0)
    r = job_row(lm, job)
    n0 = pg_count(pc)
    tap.ok(got and r[0] == "running" and n0 == 0,
           "long batch_interval and checkpoint_interval: rows written by the job stay staged",
           "job %r, rows in PostgreSQL %d\n%s" % (r, n0, srv.log_tail(10)))

    # 3. options naming the target are refused while it runs
    e = error_of(lm, "ALTER SINK TABLE out SET (table = 'elsewhere')")
    tap.ok(e is not None and e[0] == "55006" and e[1] == 'cannot change option "table" of sink '
           'table "out" while pipeline "p" is running' and e[2] and "STOP PIPELINE" in e[2],
           "ALTER of table on a running sink: 55006 with a hint", repr(e))
    q(lm, "CREATE CONNECTION PROFILE pg_other WITH (connector = 'postgres', host = '127.0.0.1', "
          "port = %d, user = 'postgres', database = 'postgres')" % pg.port)
    e = error_of(lm, "ALTER SINK TABLE out SET (profile = 'pg_other')")
    tap.ok(e is not None and e[0] == "55006" and '"profile"' in e[1],
           "ALTER of profile on a running sink: 55006", repr(e))
    tap.ok(pg_count(pc) == 0, "a refused ALTER changes nothing (rows still staged)")

    # 4. ALTER SET (batch_interval = '1 second'): waiting rows flushed, new condition applies
    before = job_row(lm, job)[2]
    t0 = time.time()
    q(lm, "ALTER SINK TABLE out SET (batch_interval = '1 second')")
    n1 = wait_for(lambda: pg_count(pc), 10)
    took = time.time() - t0
    r = job_row(lm, job)
    tap.ok(n1 >= before and took < 10, "ALTER flushes the waiting rows promptly",
           "%d rows in PostgreSQL after %.1fs, %d had been written\n%s" %
           (n1, took, before, srv.log_tail(10)))
    tap.ok(r[0] == "running" and r[1] == 0 and one(lm, "SELECT job_id FROM laminar.pipelines "
           "WHERE name = 'p'")[0] == job, "the job kept running (same job id, no restart)",
           repr(r))
    n2 = wait_for(lambda: (pg_count(pc) > n1 + 50) and pg_count(pc), 10)
    tap.ok(n2 and n2 > n1, "later rows follow the new condition (arrive within seconds)",
           "%r after %d" % (n2, n1))

    # 5. inside a transaction block: applied at COMMIT; ROLLBACK applies nothing
    lm2 = psycopg2.connect(srv.dsn())
    cur = lm2.cursor()
    cur.execute("ALTER SINK TABLE out SET (batch_interval = '1 hour')")
    time.sleep(1.5)
    m0 = pg_count(pc)
    time.sleep(2.0)
    m1 = pg_count(pc)
    tap.ok(m1 > m0, "before COMMIT the running job keeps the old condition", "%d %d" % (m0, m1))
    lm2.commit()
    m2 = pg_count(pc)
    time.sleep(2.5)
    m3 = pg_count(pc)
    tap.ok(m2 >= m1 and m3 == m2, "after COMMIT the new condition applies (rows stay staged)",
           "%d %d %d" % (m1, m2, m3))
    cur.execute("ALTER SINK TABLE out SET (batch_interval = '1 second')")
    lm2.rollback()
    time.sleep(2.0)
    m4 = pg_count(pc)
    tap.ok(m4 == m3, "ROLLBACK applies nothing", "%d %d" % (m3, m4))
    cur.execute("ALTER SINK TABLE out SET (batch_size = 100)")
    lm2.commit()
    m5 = wait_for(lambda: pg_count(pc) > m4 and pg_count(pc), 10)
    time.sleep(1.5)
    m6 = pg_count(pc)
    tap.ok(m5 and m6 > m5, "COMMIT of batch_size = 100: staged rows flushed, then every 100 "
           "rows commit", "%r %d" % (m5, m6))
    lm2.close()
    r = job_row(lm, job)
    tap.ok(r[0] == "running" and r[1] == 0, "still the same job, never restarted", repr(r))

    # 6. exactly once
    q(lm, "STOP PIPELINE p")
    r = job_row(lm, job)
    c = one(pc, "SELECT count(*), count(DISTINCT id), max(id) - min(id) + 1 FROM auctions_out")
    tap.ok(r[0] == "stopped" and c[0] == c[1] == c[2] and c[0] == r[2],
           "exactly once: every auction once, no gaps, as many as the job wrote",
           "job %r, postgres %r" % (r, c))
    e = error_of(lm, "ALTER SINK TABLE out SET (table = 'elsewhere')")
    tap.ok(e is None, "once stopped, the target may change", repr(e))

tap.done()
