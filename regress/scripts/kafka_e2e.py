"""kafka_e2e: the Kafka connector end to end against a real Kafka-protocol broker
(librdkafka's mock cluster, contrib/lm-kafka-mock), records produced with kcat.

Covers: TEST CONNECTION PROFILE (success) and TEST SOURCE TABLE on a missing
topic (seed 000's CONNECTION_ERROR detail "Topic 'events' does not exist");
sampling a source with SELECT ... LIMIT (metadata columns _key, _partition,
_offset); a changelog (non-windowed count) written to Kafka as upserts keyed by
key_field; seed 001's flow — a JSON_VALUE transformation pipeline into a Kafka
sink (read back with a read_committed kcat consumer) and a TUMBLE aggregation
into a plain table and the same TUMBLE aggregation into a PostgreSQL sink
(a private PostgreSQL 15 from regress/lib/pgserver.py; the table is created by
create_table_if_not_exists, rows appended once per closed window, read back with
psycopg2), all equal to what Python computes from the produced records; a bad
record lands in laminar.job_errors with its raw sample and is skipped
(ignore_parse_errors); job metrics (records, lag; the PostgreSQL pipeline's
source and sink) and job errors are visible for the jobs; an
unreachable broker shows as CONNECTION_ERROR while the job keeps running; and
exactly-once: Kafka -> Kafka (exactly_once sink, key_field) and Kafka -> plain
table pipelines while the server is kill -9'ed repeatedly at random moments
(seed printed; LM_SEED=n repeats a run) as records flow: every record appears
exactly once in both.

The mock broker does not filter aborted transactions for read_committed
consumers (see contrib/kafka_mock.c); Laminar's sink produces an epoch only
after its checkpoint is durable, so only a kill during a commit could leave
aborted records visible here."""
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

tap = Tap()
MOCK = os.path.join(BUILDDIR, "contrib", "lm-kafka-mock")
seed = int(os.environ.get("LM_SEED", str(random.randrange(1 << 30))))
print("# seed %d (LM_SEED=%d repeats this run)" % (seed, seed), flush=True)
rng = random.Random(seed)

mock = None
pg = None
try:
    mock = subprocess.Popen([MOCK, "--topic", "raw:3", "--topic", "processed:2",
                             "--topic", "eo_in:3", "--topic", "eo_out:2", "--topic", "counts:2"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = mock.stdout.readline().strip()
    if not line.startswith("bootstrap="):
        raise RuntimeError("lm-kafka-mock said %r" % line)
    BOOT = line.split("=", 1)[1]
    pg = PgServer()
    pg.init()
    pg.start()
    srv = Server()
    srv.start()
except Exception as e:
    if mock:
        mock.kill()
    if pg:
        pg.close()
    tap.bail("lm-kafka-mock and laminard start", e)


def produce(topic, lines, key=None, partition=None):
    cmd = ["kcat", "-P", "-b", BOOT, "-t", topic]
    if key:
        cmd += ["-k", key]
    if partition is not None:
        cmd += ["-p", str(partition)]
    subprocess.run(cmd, input="".join(l + "\n" for l in lines), text=True, check=True,
                   timeout=30)


def consume(topic):
    """Every record of topic as (key, value), read_committed."""
    r = subprocess.run(["kcat", "-C", "-b", BOOT, "-t", topic, "-e", "-q",
                        "-X", "isolation.level=read_committed", "-f", "%k\t%s\n"],
                       capture_output=True, text=True, timeout=30)
    out = []
    for ln in r.stdout.splitlines():
        if ln:
            k, _, v = ln.partition("\t")
            out.append((k, v))
    return out


def connect():
    c = psycopg2.connect(srv.dsn())
    c.autocommit = True
    return c


def q(conn, sql, args=None):
    cur = conn.cursor()
    cur.execute(sql, args)
    return cur.fetchall() if cur.description else None


def one(conn, sql, args=None):
    rows = q(conn, sql, args)
    return rows[0] if rows else None


def wait_for(fn, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.2)
    return fn()


try:
    conn = connect()
    q(conn, "CREATE CONNECTION PROFILE local_kafka WITH (connector = 'kafka', "
            "bootstrap_servers = '%s')" % BOOT)
    r = one(conn, "TEST CONNECTION PROFILE local_kafka")
    tap.ok(r and r[0] is True, "TEST CONNECTION PROFILE reaches the broker", r)

    q(conn, "CREATE SOURCE TABLE ghost (a INT) WITH (connector = 'kafka', "
            "profile = 'local_kafka', topic = 'events', format = 'json')")
    r = one(conn, "TEST SOURCE TABLE ghost")
    det = r[2] if r and isinstance(r[2], dict) else json.loads(r[2]) if r and r[2] else {}
    tap.ok(r and r[0] is False and r[1] == "Failed to connect to data source"
           and det.get("reason") == "Topic 'events' does not exist"
           and det.get("connector") == "kafka",
           "TEST SOURCE TABLE on a missing topic: seed 000's CONNECTION_ERROR detail", r)

    # ---- seed 001's flow ----
    events = []
    for i in range(240):
        et = None if i % 10 == 9 else ("click" if i % 3 else "view")
        ts = "2024-01-01T%02d:%02d:%02d" % (i // 80, (i % 80) // 2, (i * 7) % 60)
        events.append({"event_id": i, "user_id": i % 4, "event_type": et,
                       "properties": {"amount": i * 10}, "ts": ts})
    # one late-enough event per partition moves every partition's watermark past the windows
    closing = [{"event_id": 9990 + p, "user_id": 99, "event_type": "close",
                "properties": {"amount": 0}, "ts": "2024-01-02T00:00:00"} for p in range(3)]
    produce("raw", [json.dumps(e) for e in events[:120]], key="k1")
    produce("raw", ["this is not json"])
    produce("raw", [json.dumps(e) for e in events[120:]], key="k2")
    for p, c in enumerate(closing):
        produce("raw", [json.dumps(c)], key="k3", partition=p)

    q(conn, """CREATE SOURCE TABLE raw_events (
                 event_id BIGINT, user_id BIGINT, event_type STRING, properties JSON,
                 ts TIMESTAMP, _key STRING, _partition INT, _offset BIGINT)
               WITH (connector = 'kafka', profile = 'local_kafka', topic = 'raw',
                     format = 'json', offset_reset = 'earliest', consumer_group = 'e2e',
                     ignore_parse_errors = true, event_time_field = 'ts',
                     watermark_delay = '0 seconds')""")
    t0 = time.time()
    rows = q(conn, "SELECT event_id, _key, _partition, _offset FROM raw_events LIMIT 5")
    took = time.time() - t0
    tap.ok(rows is not None and len(rows) == 5 and all(r[1] in ("k1", "k2", "k3") for r in rows)
           and all(0 <= r[2] < 3 and r[3] >= 0 for r in rows) and took < 5,
           "SELECT ... LIMIT 5 samples live records with metadata columns (%.2f s)" % took, rows)

    q(conn, """CREATE SINK TABLE processed_events (
                 event_id BIGINT, user_id BIGINT, event_type STRING, normalized_type STRING,
                 amount STRING, ts TIMESTAMP)
               WITH (connector = 'kafka', profile = 'local_kafka', topic = 'processed',
                     format = 'json', key_field = 'event_id')""")
    q(conn, "CREATE TABLE user_metrics (user_id BIGINT, event_type STRING, event_count BIGINT, "
            "window_start TIMESTAMP)")
    q(conn, """CREATE PIPELINE event_processor WITH (checkpoint_interval = '1 second') AS
               INSERT INTO processed_events
               SELECT event_id, user_id, event_type, UPPER(event_type) AS normalized_type,
                      JSON_VALUE(properties, '$.amount') AS amount, ts
               FROM raw_events WHERE event_type IS NOT NULL""")
    q(conn, """CREATE PIPELINE user_analytics WITH (checkpoint_interval = '1 second') AS
               INSERT INTO user_metrics
               SELECT user_id, event_type, COUNT(*) AS event_count,
                      TUMBLE_START(ts, INTERVAL '1' HOUR) AS window_start
               FROM raw_events
               GROUP BY user_id, event_type, TUMBLE(ts, INTERVAL '1' HOUR)""")
    # the same TUMBLE aggregation into PostgreSQL: each window is final once the watermark
    # passes it, so 'append' writes it once (a duplicate would show); event_type may be NULL,
    # which rules out a primary key over it
    q(conn, "CREATE CONNECTION PROFILE local_pg WITH (connector = 'postgres', "
            "host = '127.0.0.1', port = %d, user = 'postgres', database = 'postgres')" % pg.port)
    r = one(conn, "TEST CONNECTION PROFILE local_pg")
    tap.ok(r and r[0] is True, "TEST CONNECTION PROFILE reaches PostgreSQL", r)
    q(conn, """CREATE SINK TABLE pg_user_metrics (
                 user_id BIGINT, event_type STRING, event_count BIGINT, window_start TIMESTAMP)
               WITH (connector = 'postgres', profile = 'local_pg', table = 'user_metrics',
                     write_mode = 'append', create_table_if_not_exists = true)""")
    q(conn, """CREATE PIPELINE pg_analytics WITH (checkpoint_interval = '1 second') AS
               INSERT INTO pg_user_metrics
               SELECT user_id, event_type, COUNT(*) AS event_count,
                      TUMBLE_START(ts, INTERVAL '1' HOUR) AS window_start
               FROM raw_events
               GROUP BY user_id, event_type, TUMBLE(ts, INTERVAL '1' HOUR)""")
    job_p = one(conn, "START PIPELINE event_processor")[0]
    job_a = one(conn, "START PIPELINE user_analytics")[0]
    job_g = one(conn, "START PIPELINE pg_analytics")[0]

    want_p = sorted((e["event_id"], e["event_type"].upper(), str(e["properties"]["amount"]))
                    for e in events + closing if e["event_type"] is not None)

    def got_processed():
        recs = consume("processed")
        return recs if len(recs) >= len(want_p) else None
    recs = wait_for(got_processed, 30) or consume("processed")
    got_p = sorted((json.loads(v)["event_id"], json.loads(v)["normalized_type"],
                    str(json.loads(v)["amount"])) for _, v in recs)
    tap.ok(got_p == want_p and all(k == str(json.loads(v)["event_id"]) for k, v in recs),
           "JSON_VALUE pipeline into a Kafka sink: every record once, keyed by key_field "
           "(%d of %d)" % (len(got_p), len(want_p)),
           "job: %r\nlog:\n%s" % (one(conn, "SELECT state, failure_message FROM laminar.jobs "
                                         "WHERE id = %s", (job_p,)), srv.log_tail(15)))

    want_a = {}
    for e in events:
        key = (e["user_id"], e["event_type"], e["ts"][:13] + ":00:00")
        want_a[key] = want_a.get(key, 0) + 1

    def got_metrics():
        rows = q(conn, "SELECT user_id, event_type, event_count, "
                       "to_char(window_start, 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM user_metrics")
        return rows if len(rows) >= len(want_a) else None
    rows = wait_for(got_metrics, 30) or []
    got_a = {(r[0], r[1], r[3]): r[2] for r in rows}
    tap.ok(got_a == want_a and len(rows) == len(want_a),
           "TUMBLE aggregation into a plain table equals the oracle (%d windows)" % len(rows),
           "got %r\nwant %r\nlog:\n%s" % (sorted(got_a.items(), key=str)[:5],
                                          sorted(want_a.items(), key=str)[:5],
                                          srv.log_tail(10)))

    pgc = psycopg2.connect(pg.dsn())
    pgc.autocommit = True

    def got_pg():
        if not one(pgc, "SELECT to_regclass('user_metrics') IS NOT NULL")[0]:
            return None
        rows = q(pgc, "SELECT user_id, event_type, event_count, "
                      "to_char(window_start, 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM user_metrics")
        return rows if len(rows) >= len(want_a) else None
    rows = wait_for(got_pg, 30) or []
    time.sleep(1.5)  # a duplicate written late (a later checkpoint) would show now
    if rows:
        rows = q(pgc, "SELECT user_id, event_type, event_count, "
                      "to_char(window_start, 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM user_metrics")
    got_g = {(r[0], r[1], r[3]): r[2] for r in rows}
    tap.ok(got_g == want_a and len(rows) == len(want_a),
           "TUMBLE aggregation into a PostgreSQL sink (create_table_if_not_exists, append): "
           "the rows read back from PostgreSQL equal the oracle (%d rows, %d windows)"
           % (len(rows), len(want_a)),
           "got %r\nwant %r\njob: %r\nlog:\n%s" % (
               sorted(got_g.items(), key=str)[:5], sorted(want_a.items(), key=str)[:5],
               one(conn, "SELECT state, failure_message FROM laminar.jobs WHERE id = %s",
                   (job_g,)), srv.log_tail(10)))
    cols = q(pgc, "SELECT column_name, data_type FROM information_schema.columns "
                  "WHERE table_name = 'user_metrics' ORDER BY ordinal_position")
    tap.ok(cols == [("user_id", "bigint"), ("event_type", "text"), ("event_count", "bigint"),
                    ("window_start", "timestamp without time zone")],
           "create_table_if_not_exists made the PostgreSQL table with the sink's columns", cols)
    pgc.close()
    def pg_job_metrics():
        src = one(conn, "SELECT records_in, lag FROM laminar.job_metrics "
                        "WHERE job_id = %s AND operator LIKE 'Source%%' "
                        "AND records_in >= %s", (job_g, len(events) + 3))
        snk = one(conn, "SELECT records_in, records_out FROM laminar.job_metrics "
                        "WHERE job_id = %s AND operator = 'Sink(postgres)'", (job_g,))
        return (src, snk) if src and src[1] == 0 and snk == (len(want_a), len(want_a)) else None
    m, sk = wait_for(pg_job_metrics, 10) or (None, None)
    tap.ok(m is not None and m[1] == 0 and sk == (len(want_a), len(want_a)),
           "job_metrics of the PostgreSQL pipeline: the source's records_in and lag 0, "
           "the postgres sink's records in/out = %d windows" % len(want_a),
           "source %r sink %r\n%r" % (m, sk, q(conn, "SELECT operator, records_in, records_out, "
                                              "lag FROM laminar.job_metrics WHERE job_id = %s",
                                              (job_g,))))
    errs = wait_for(lambda: q(conn, "SELECT code, sample FROM laminar.job_errors "
                                    "WHERE job_id = %s", (job_g,)), 10) or []
    tap.ok(len(errs) == 1 and errs[0][1] == "this is not json",
           "job_errors of the PostgreSQL pipeline: just the undecodable record", errs)

    # a changelog (non-windowed aggregate) into Kafka: upserts keyed by key_field
    q(conn, "CREATE SINK TABLE user_counts (user_id BIGINT, n BIGINT) WITH (connector = 'kafka', "
            "profile = 'local_kafka', topic = 'counts', format = 'json', key_field = 'user_id')")
    q(conn, "CREATE PIPELINE counting WITH (checkpoint_interval = '500 milliseconds') AS "
            "INSERT INTO user_counts SELECT user_id, count(*) AS n FROM raw_events GROUP BY user_id")
    one(conn, "START PIPELINE counting")
    want_c = {}
    for e in events + closing:
        want_c[str(e["user_id"])] = want_c.get(str(e["user_id"]), 0) + 1

    def got_counts():
        last = {}
        for k, v in consume("counts"):
            last[k] = json.loads(v)["n"] if v else None
        return last if last == want_c else None
    last = wait_for(got_counts, 20)
    tap.ok(last == want_c,
           "a changelog into a Kafka sink: the last record per key_field is the final count",
           "got %r\nwant %r" % (last, want_c))
    q(conn, "STOP PIPELINE counting")

    errs = wait_for(lambda: q(conn, "SELECT code, sample FROM laminar.job_errors "
                                    "WHERE job_id = %s", (job_p,)), 10)
    tap.ok(errs and any(e[1] == "this is not json" for e in errs),
           "an undecodable record is in laminar.job_errors with its raw sample", errs)
    m = wait_for(lambda: one(conn, "SELECT records_in, lag FROM laminar.job_metrics "
                                   "WHERE job_id = %s AND operator LIKE 'Source%%' "
                                   "AND records_in >= %s", (job_p, len(events) + 3)), 10)
    tap.ok(m is not None and m[1] is not None and m[1] == 0,
           "job_metrics: the source's records_in and lag (0 once caught up)", m)

    # ---- an unreachable broker is reported, the job keeps retrying ----
    q(conn, "CREATE CONNECTION PROFILE dead_kafka WITH (connector = 'kafka', "
            "bootstrap_servers = '127.0.0.1:1')")
    q(conn, "CREATE SOURCE TABLE dead_src (a BIGINT) WITH (connector = 'kafka', "
            "profile = 'dead_kafka', topic = 'raw', format = 'json')")
    q(conn, "CREATE TABLE dead_out (a BIGINT)")
    q(conn, "CREATE PIPELINE dead_p AS INSERT INTO dead_out SELECT a FROM dead_src")
    job_d = one(conn, "START PIPELINE dead_p")[0]
    errs = wait_for(lambda: q(conn, "SELECT code, message FROM laminar.job_errors "
                                    "WHERE job_id = %s AND code = 'CONNECTION_ERROR'",
                              (job_d,)), 15)
    st = one(conn, "SELECT state FROM laminar.jobs WHERE id = %s", (job_d,))
    tap.ok(errs and st and st[0] == "running",
           "an unreachable broker shows as CONNECTION_ERROR while the job retries", (errs, st))
    q(conn, "STOP PIPELINE dead_p")
    for name in ("event_processor", "user_analytics", "pg_analytics"):
        q(conn, "STOP PIPELINE " + name)

    # ---- exactly-once with kill -9 ----
    N = 3000
    q(conn, "CREATE SOURCE TABLE eo_src (id BIGINT, v STRING) WITH (connector = 'kafka', "
            "profile = 'local_kafka', topic = 'eo_in', format = 'json')")
    q(conn, "CREATE SINK TABLE eo_sink (id BIGINT, v STRING) WITH (connector = 'kafka', "
            "profile = 'local_kafka', topic = 'eo_out', format = 'json', key_field = 'id', "
            "delivery = 'exactly_once')")
    q(conn, "CREATE TABLE eo_table (id BIGINT, v STRING)")  # no key: a duplicate would show
    q(conn, "CREATE PIPELINE eo_k WITH (parallelism = 2, checkpoint_interval = '300 milliseconds')"
            " AS INSERT INTO eo_sink SELECT id, v FROM eo_src")
    q(conn, "CREATE PIPELINE eo_t WITH (checkpoint_interval = '300 milliseconds')"
            " AS INSERT INTO eo_table SELECT id, v FROM eo_src")
    one(conn, "START PIPELINE eo_k")
    one(conn, "START PIPELINE eo_t")
    conn.close()

    def producer():
        for start in range(0, N, 100):
            produce("eo_in", [json.dumps({"id": i, "v": "r%d" % i})
                              for i in range(start, start + 100)])
            time.sleep(0.05)
    th = threading.Thread(target=producer)
    th.start()
    kills = 0
    for _ in range(3):
        time.sleep(rng.uniform(0.4, 2.0))
        srv.kill9()
        kills += 1
        srv.restart()
    th.join(timeout=60)
    conn = connect()

    def table_done():
        r = one(conn, "SELECT count(*), count(DISTINCT id) FROM eo_table")
        return r if r[0] >= N else None
    r = wait_for(table_done, 40) or one(conn, "SELECT count(*), count(DISTINCT id) FROM eo_table")
    tap.ok(r[0] == N and r[1] == N,
           "Kafka -> plain table, %d kill -9s while records flow: every record exactly once "
           "(%d rows, %d distinct of %d)" % (kills, r[0], r[1], N),
           "jobs: %r\nlog:\n%s" % (q(conn, "SELECT pipeline_name, state, restarts, "
                                           "failure_message FROM laminar.jobs"), srv.log_tail(15)))

    def kafka_done():
        recs = consume("eo_out")
        return recs if len(recs) >= N else None
    recs = wait_for(kafka_done, 40) or consume("eo_out")
    ids = [json.loads(v)["id"] for _, v in recs]
    dup = len(ids) - len(set(ids))
    missing = N - len(set(ids) & set(range(N)))
    tap.ok(missing == 0 and dup == 0,
           "Kafka -> Kafka (exactly_once), %d kill -9s: every record exactly once in a "
           "read_committed read (%d records, %d duplicates, %d missing)"
           % (kills, len(ids), dup, missing),
           "missing ids: %s\njobs: %r\nlog:\n%s" % (
               sorted(set(range(N)) - set(ids))[:200], q(conn, "SELECT pipeline_name, state, restarts, "
                                           "failure_message FROM laminar.jobs"), srv.log_tail(15)))
    conn.close()
except Exception as e:
    tap.ok(False, "kafka end-to-end run: %r" % e,
           "%s\nlog:\n%s" % (traceback.format_exc(), srv.log_tail(20)))
finally:
    srv.close()
    if pg:
        pg.close()
    if mock:
        mock.stdin.close()
        try:
            mock.wait(timeout=10)
        except subprocess.TimeoutExpired:
            mock.kill()
            mock.wait()
tap.done()
