"""kafka_to_pg: exactly-once from Kafka into PostgreSQL under repeated kill -9 (issue 5).

A Kafka JSON source (lm-kafka-mock, topic of 4 partitions) feeds two PostgreSQL sinks
through pipelines of parallelism 2 with a short checkpoint_interval:

  append  table a <- SELECT id, k, v FROM src                (no key: a duplicate would show)
  upsert  table b <- SELECT k, count(*), sum(v) FROM src GROUP BY k   (a changelog, key k)

A producer thread writes N records (unique id, k = id % 97) at a steady rate while laminard
is kill -9'ed at random moments (the seed is printed; LM_SEED=n repeats the kill times) and
restarted.  Once everything is produced and the pipelines have caught up, PostgreSQL must
hold every id exactly once in a, and b must equal the aggregate PostgreSQL computes over a;
laminar.job_errors must hold nothing unexpected.

By default the sinks go to a PostgreSQL with max_prepared_transactions = 0 (the sink stages
each checkpoint's rows in RocksDB until the checkpoint commits); LM_KAFKA_PG_MODES=staged,2pc
(the default is both) selects the servers: "2pc" is a second PostgreSQL that allows
two-phase commit (the sink prepares each checkpoint's transaction)."""
import json
import os
import random
import subprocess
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap, BUILDDIR  # noqa: E402
from pgserver import PgServer  # noqa: E402

import psycopg2  # noqa: E402

T0 = time.time()
tap = Tap()
MOCK = os.path.join(BUILDDIR, "contrib", "lm-kafka-mock")
N = int(os.environ.get("LM_KAFKA_PG_N", "20000"))
KILLS = 5
MODES = [m for m in os.environ.get("LM_KAFKA_PG_MODES", "staged,2pc").split(",") if m]
seed = int(os.environ.get("LM_SEED", str(random.randrange(1 << 30))))
print("# seed %d (LM_SEED=%d repeats the kill times)" % (seed, seed), flush=True)
rng = random.Random(seed)

mock = None
pgs = {}
try:
    mock = subprocess.Popen([MOCK, "--topic", "kin:4"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    line = mock.stdout.readline().strip()
    if not line.startswith("bootstrap="):
        raise RuntimeError("lm-kafka-mock said %r" % line)
    BOOT = line.split("=", 1)[1]
    for mode in MODES:
        pg = PgServer(settings={"max_prepared_transactions": "20"} if mode == "2pc" else None)
        pg.init()
        pg.start()
        pgs[mode] = pg
    srv = Server()
    srv.start()
except Exception as e:
    if mock:
        mock.kill()
        mock.wait()
    tap.bail("lm-kafka-mock, postgres and laminard start", e)


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


def produce(lines):
    # no key: librdkafka's partitioner spreads the records over the 4 partitions
    subprocess.run(["kcat", "-P", "-b", BOOT, "-t", "kin"],
                   input="".join(l + "\n" for l in lines), text=True, check=True, timeout=30)


def record(i):
    return json.dumps({"id": i, "k": i % 97, "v": (i * 7919) % 1000})


def jobs_diag(lm):
    try:
        return "jobs: %r\nlog:\n%s" % (
            q(lm, "SELECT pipeline_name, state, restarts, failure_message FROM laminar.jobs"),
            srv.log_tail(15))
    except Exception as e:  # the diagnostics must not hide the check's result
        return "jobs: %r\nlog:\n%s" % (e, srv.log_tail(15))


try:
    lm = connect(srv.dsn())
    q(lm, "CREATE CONNECTION PROFILE local_kafka WITH (connector = 'kafka', "
          "bootstrap_servers = '%s')" % BOOT)
    q(lm, "CREATE SOURCE TABLE src (id BIGINT, k BIGINT, v BIGINT) WITH (connector = 'kafka', "
          "profile = 'local_kafka', topic = 'kin', format = 'json', offset_reset = 'earliest')")
    for mode, pg in pgs.items():
        q(lm, "CREATE CONNECTION PROFILE pg_%s WITH (connector = 'postgres', host = '127.0.0.1', "
              "port = %d, user = 'postgres', database = 'postgres')" % (mode, pg.port))
        q(lm, "CREATE SINK TABLE a_%s (id BIGINT, k BIGINT, v BIGINT) WITH (profile = 'pg_%s', "
              "table = 'a', create_table_if_not_exists = true, batch_size = 1000)"
              % (mode, mode))
        q(lm, "CREATE SINK TABLE b_%s (k BIGINT, n BIGINT, s BIGINT) WITH (profile = 'pg_%s', "
              "table = 'b', write_mode = 'upsert', primary_keys = 'k', "
              "create_table_if_not_exists = true)" % (mode, mode))
        q(lm, "CREATE PIPELINE pa_%s WITH (parallelism = 2, checkpoint_interval = '300ms') AS "
              "INSERT INTO a_%s SELECT id, k, v FROM src" % (mode, mode))
        q(lm, "CREATE PIPELINE pb_%s WITH (parallelism = 2, checkpoint_interval = '300ms') AS "
              "INSERT INTO b_%s SELECT k, count(*), sum(v) FROM src GROUP BY k" % (mode, mode))
    jobs = []
    for mode in pgs:
        jobs.append(one(lm, "START PIPELINE pa_%s" % mode)[0])
        jobs.append(one(lm, "START PIPELINE pb_%s" % mode)[0])
    lm.close()

    produced = [0]
    prod_err = []

    def producer():
        # N records over ~15 s, in batches of 250
        try:
            for start in range(0, N, 250):
                produce([record(i) for i in range(start, min(N, start + 250))])
                produced[0] = min(N, start + 250)
                time.sleep(0.12)
        except Exception as e:  # reported by the main thread
            prod_err.append(e)
    th = threading.Thread(target=producer, daemon=True)
    th.start()
    kills = 0
    seen = []  # rows in each table a at each kill: the kills must interrupt real work
    watch = {mode: connect(pg.dsn()) for mode, pg in pgs.items()}
    while (kills < KILLS or (th.is_alive() and kills < 2 * KILLS)) and time.time() - T0 < 50:
        time.sleep(rng.uniform(0.5, 2.5))
        srv.kill9()
        kills += 1
        rows = {m: one(c, "SELECT count(*) FROM a")[0] if one(
            c, "SELECT to_regclass('a') IS NOT NULL")[0] else 0 for m, c in watch.items()}
        seen.append(rows)
        srv.restart()
        print("# kill -9 #%d after %d records produced, rows in a: %r (%.1f s)"
              % (kills, produced[0], rows, time.time() - T0), flush=True)
    th.join(timeout=30)
    tap.ok(not th.is_alive() and not prod_err and produced[0] == N,
           "producer wrote %d records while laminard was kill -9'ed %d times" % (N, kills),
           repr(prod_err))
    for mode in pgs:
        moved = sum(1 for i in range(1, len(seen)) if seen[i][mode] > seen[i - 1][mode])
        tap.ok(moved >= 3, "[%s] rows arrived between kills (%d of %d intervals): the kills hit "
               "running work" % (mode, moved, len(seen) - 1), repr(seen))
    for c in watch.values():
        c.close()

    lm = connect(srv.dsn())
    conns = {mode: connect(pg.dsn()) for mode, pg in pgs.items()}

    def state(mode):
        pc = conns[mode]
        a = one(pc, "SELECT count(*), count(DISTINCT id), coalesce(sum(id), 0), "
                    "coalesce(sum(k), 0), coalesce(sum(v), 0), "
                    "count(*) FILTER (WHERE k <> id %% 97 OR v <> id * 7919 %% 1000 "
                    "OR id < 0 OR id >= %s) FROM a", (N,))
        diff = one(pc, "SELECT count(*) FROM ((SELECT k, count(*), sum(v) FROM a GROUP BY k) "
                       "EXCEPT ALL (SELECT k, n, s FROM b)) x")[0]
        diff += one(pc, "SELECT count(*) FROM ((SELECT k, n, s FROM b) EXCEPT ALL "
                        "(SELECT k, count(*), sum(v) FROM a GROUP BY k)) x")[0]
        bn = one(pc, "SELECT coalesce(sum(n), 0) FROM b")[0]
        return a, diff, bn

    # caught up: both tables complete, or nothing changed for 5 s (bounded by 30 s)
    deadline = time.time() + 30
    last, since = None, time.time()
    while time.time() < deadline:
        cur = {m: state(m) for m in pgs}
        if all(a[0] >= N and bn >= N for a, _, bn in cur.values()):
            break
        if cur != last:
            last, since = cur, time.time()
        elif time.time() - since > 5:
            break
        time.sleep(0.3)
    time.sleep(1.0)  # a duplicate written late would show now
    for mode in pgs:
        a, diff, bn = state(mode)
        want = (N, N, sum(range(N)), sum(i % 97 for i in range(N)),
                sum(i * 7919 % 1000 for i in range(N)), 0)
        tap.ok(a == want,
               "[%s] Kafka -> PostgreSQL append, %d kill -9s: every id exactly once with its "
               "values (%d rows, %d distinct of %d, %d wrong)"
               % (mode, kills, a[0], a[1], N, a[5]),
               "got (count, distinct, sum id, sum k, sum v, wrong) %r, want %r\n%s"
               % (a, want, jobs_diag(lm)))
        tap.ok(diff == 0 and bn == N,
               "[%s] Kafka -> PostgreSQL upsert of a changelog aggregate equals the aggregate "
               "over the appended rows (%d differing rows, sum(n) = %d)" % (mode, diff, bn),
               jobs_diag(lm))
        if mode == "2pc":
            r = one(conns[mode], "SELECT count(*) FROM pg_prepared_xacts")
            tap.ok(r == (0,), "[2pc] no prepared transaction is left behind",
                   q(conns[mode], "SELECT gid FROM pg_prepared_xacts"))
    r = q(lm, "SELECT state, restarts FROM laminar.jobs WHERE id = ANY(%s)", (jobs,))
    tap.ok(r and len(r) == len(jobs) and all(s[0] == "running" and s[1] >= 1 for s in r),
           "every job was recovered after kill -9 and is still running", jobs_diag(lm))
    errs = q(lm, "SELECT job_id, code, message FROM laminar.job_errors")
    tap.ok(not errs, "laminar.job_errors holds no errors", "\n".join(map(repr, errs or [])))
    for mode in pgs:
        for p in ("pa_", "pb_"):
            q(lm, "STOP PIPELINE %s%s" % (p, mode))
    lm.close()
    for c in conns.values():
        c.close()
except Exception as e:
    tap.ok(False, "kafka -> postgres run: %r" % e,
           "%s\nlog:\n%s" % (traceback.format_exc(), srv.log_tail(20)))
finally:
    srv.close()
    for pg in pgs.values():
        pg.close()
    if mock:
        mock.stdin.close()
        try:
            mock.wait(timeout=10)
        except subprocess.TimeoutExpired:
            mock.kill()
            mock.wait()
print("# %.1f s" % (time.time() - T0), flush=True)
tap.done()
