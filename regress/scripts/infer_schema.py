"""infer_schema: laminar.infer_schema(...) — schema inference in SQL (issue 5, seed 000's
schema test), sharing connectors/infer.c with the REST schema test.

Covers: a Kafka topic on contrib/lm-kafka-mock with JSON records produced by kcat, through a
source table and through connector + profile + options without a table (named and positional
arguments; FROM and the select list); a directory of JSON lines and a csv file with a header via the file connector;
a PostgreSQL table and query (regress/lib/pgserver.py: types from the result, NOT NULL from
the catalog); a generator source (declared columns, typed samples); the errors: unknown table (42P01), a
sink table (42809), an unreachable broker (08006 with the client's reason); an empty source
(zero rows and a NOTICE)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap, BUILDDIR, free_port  # noqa: E402
from pgserver import PgServer  # noqa: E402

import psycopg2  # noqa: E402

tap = Tap()
MOCK = os.path.join(BUILDDIR, "contrib", "lm-kafka-mock")
work = tempfile.mkdtemp(prefix="laminar-infer.")
mock = None
srv = None
pg = None
try:
    pg = PgServer()
    pg.init()
    pg.start()
    if os.path.exists(MOCK) and shutil.which("kcat"):
        mock = subprocess.Popen([MOCK, "--topic", "events:2", "--topic", "empty:1"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = mock.stdout.readline().strip()
        if not line.startswith("bootstrap="):
            raise RuntimeError("lm-kafka-mock said %r" % line)
        BOOT = line.split("=", 1)[1]
    srv = Server()
    srv.start()
except Exception as e:
    if mock:
        mock.kill()
    if pg:
        pg.close()
    shutil.rmtree(work, ignore_errors=True)
    tap.bail("lm-kafka-mock and laminard start", e)


def connect():
    c = psycopg2.connect(srv.dsn())
    c.autocommit = True
    return c


def q(conn, sql, args=None):
    cur = conn.cursor()
    cur.execute(sql, args)
    return cur.fetchall() if cur.description else None


def infer(conn, sql, args=None):
    """{column_name: (data_type, nullable, sample_values)} in order, as a list of tuples."""
    return [(r[0], r[1], r[2], r[3]) for r in q(conn, sql, args)]


def error_of(conn, sql):
    try:
        q(conn, sql)
    except psycopg2.Error as e:
        return e.pgcode, (e.pgerror or "").strip()
    return None, None


try:
    conn = connect()

    # ---- Kafka: a topic with JSON records
    if mock:
        recs = ['{"id": 1, "user": "ann", "amount": 10, "at": "2024-05-01T10:00:00Z"}',
                '{"id": 2, "user": "bob", "amount": 2.5, "at": "2024-05-01T10:00:01Z", '
                '"tags": ["x"]}',
                '{"id": 3, "user": null, "amount": 7, "at": "2024-05-01T10:00:02Z", "ok": true}']
        subprocess.run(["kcat", "-P", "-b", BOOT, "-t", "events", "-p", "0"],
                       input="".join(r + "\n" for r in recs), text=True, check=True, timeout=30)
        q(conn, "CREATE CONNECTION PROFILE kp WITH (connector = 'kafka', "
                "bootstrap_servers = '%s')" % BOOT)
        q(conn, "CREATE SOURCE TABLE ev (value STRING) WITH (connector = 'kafka', profile = 'kp', "
                "topic = 'events', format = 'json')")
        t0 = time.time()
        rows = infer(conn, "SELECT * FROM laminar.infer_schema('ev')")
        took = time.time() - t0
        want = [("id", "BIGINT", False, [1, 2, 3]),
                ("user", "STRING", True, ["ann", "bob", None]),
                ("amount", "DOUBLE", False, [10, 2.5, 7]),
                ("at", "TIMESTAMP", False, ["2024-05-01T10:00:00Z", "2024-05-01T10:00:01Z",
                                            "2024-05-01T10:00:02Z"]),
                ("tags", "JSON", True, [["x"]]),
                ("ok", "BOOLEAN", True, [True])]
        tap.ok(rows == want, "kafka source table: names, types, nullability, samples", rows)
        tap.ok(took < 5, "sampling stops soon after the records (%.1f s)" % took)
        rows = infer(conn, "SELECT column_name, data_type, nullable, sample_values FROM "
                           "laminar.infer_schema(connector => 'kafka', profile => 'kp', "
                           "options => '{\"topic\": \"events\", \"format\": \"json\"}')")
        tap.ok(rows == want, "kafka without a table: named arguments, profile", rows)
        rows = q(conn, "SELECT column_name, data_type FROM infer_schema('kafka', "
                           "'{\"profile\": \"kp\", \"topic\": \"events\", \"format\": \"json\"}'"
                           "::json) WHERE NOT nullable ORDER BY 1")
        tap.ok(rows == [("amount", "DOUBLE"), ("at", "TIMESTAMP"), ("id", "BIGINT")],
               "kafka without a table: positional (connector, json options), filtered", rows)
        n = q(conn, "SELECT count(*) FROM laminar.connection_tables")[0][0]
        tap.ok(n == 1, "inferring without a table creates nothing", n)
        cur = conn.cursor()
        cur.execute("SELECT * FROM laminar.infer_schema('kafka', '{\"profile\": \"kp\", "
                    "\"topic\": \"empty\", \"format\": \"json\"}')")
        rows = cur.fetchall()
        tap.ok(rows == [] and any("no records to infer a schema from" in x
                                  for x in conn.notices),
               "an empty topic: zero rows and a NOTICE", (rows, conn.notices))
        t0 = time.time()
        code, msg = error_of(conn, "SELECT * FROM laminar.infer_schema('kafka', "
                                   "'{\"bootstrap_servers\": \"127.0.0.1:%d\", \"topic\": \"t\", "
                                   "\"format\": \"json\"}')" % free_port())
        tap.ok(code == "08006" and "CONNECTION_ERROR" in msg and "Failed to connect" in msg,
               "an unreachable broker: 08006 with the client's reason (%.1f s)"
               % (time.time() - t0), (code, msg))
    else:
        for d in ("kafka source table", "sampling stops soon", "kafka named arguments",
                  "kafka positional", "creates nothing", "empty topic", "unreachable broker"):
            tap.skip("lm-kafka-mock or kcat missing", d)

    # ---- file connector: JSON lines and csv
    jdir = os.path.join(work, "json")
    os.makedirs(jdir)
    with open(os.path.join(jdir, "a.jsonl"), "w") as f:
        f.write('{"k": "a", "n": 1}\n{"k": "b", "n": 2, "m": {"x": 1}}\n')
    with open(os.path.join(jdir, "b.jsonl"), "w") as f:
        f.write('{"k": "c", "n": 3}\n')
    q(conn, "CREATE SOURCE TABLE jl (k STRING) WITH (connector = 'file', path = %s, "
            "format = 'json')", (jdir,))
    rows = infer(conn, "SELECT * FROM laminar.infer_schema('jl')")
    tap.ok(sorted(rows[0][3]) == ["a", "b", "c"] and
           [(r[0], r[1], r[2]) for r in rows] == [("k", "STRING", False), ("n", "BIGINT", False),
                                                  ("m", "JSON", True)],
           "file source (json lines in a directory)", rows)
    rows = q(conn, "SELECT column_name FROM laminar.infer_schema(source_table => 'jl')")
    tap.ok(rows == [("k",), ("n",), ("m",)], "named source_table argument", rows)
    rows = q(conn, "SELECT (laminar.infer_schema('jl')).column_name, "
                   "(laminar.infer_schema('jl')).data_type")
    tap.ok(rows == [("k", "STRING"), ("n", "BIGINT"), ("m", "JSON")],
           "in the select list: records with fields", rows)
    rows = q(conn, "SELECT count(*) FROM (SELECT laminar.infer_schema('file', "
                   "'{\"path\": \"%s\", \"format\": \"json\"}') AS r) s" % jdir)
    tap.ok(rows == [(3,)], "in the select list: connector and options", rows)
    cdir = os.path.join(work, "csv")
    os.makedirs(cdir)
    with open(os.path.join(cdir, "p.csv"), "w") as f:
        f.write('id,name,price,active,seen\n1,"apple, red",1.5,true,2024-01-02 03:04:05\n'
                '2,pear,,false,2024-01-03 00:00:00\n')
    rows = infer(conn, "SELECT * FROM laminar.infer_schema(connector => 'file', options => "
                       "'{\"path\": \"%s\", \"format\": \"csv\", \"header\": true}')" % cdir)
    want = [("id", "BIGINT", False, [1, 2]), ("name", "STRING", False, ["apple, red", "pear"]),
            ("price", "DOUBLE", True, [1.5, None]), ("active", "BOOLEAN", False, [True, False]),
            ("seen", "TIMESTAMP", False, ["2024-01-02 03:04:05", "2024-01-03 00:00:00"])]
    tap.ok(rows == want, "csv: header names, types from the values", rows)
    edir = os.path.join(work, "none")
    os.makedirs(edir)
    del conn.notices[:]
    rows = q(conn, "SELECT * FROM laminar.infer_schema('file', '{\"path\": \"%s\", "
                   "\"format\": \"json\"}')" % edir)
    tap.ok(rows == [] and any("no records" in x for x in conn.notices),
           "an empty directory: zero rows and a NOTICE", (rows, conn.notices))

    # ---- PostgreSQL: the result's types
    pc = psycopg2.connect(pg.dsn())
    pc.autocommit = True
    q(pc, "CREATE TABLE accounts (id bigint PRIMARY KEY, name text, balance numeric(10,2) "
          "NOT NULL, active boolean, opened timestamptz, meta jsonb)")
    q(pc, "INSERT INTO accounts VALUES (1, 'ann', 10.50, true, '2024-01-01 00:00:00+00', "
          "'{\"a\": 1}'), (2, NULL, 3, false, NULL, NULL)")
    pc.close()
    q(conn, "CREATE CONNECTION PROFILE pgp WITH (connector = 'postgres', host = '127.0.0.1', "
            "port = %d, user = 'postgres', database = 'postgres')" % pg.port)
    q(conn, "CREATE SOURCE TABLE accounts (id BIGINT) WITH (profile = 'pgp', table = 'accounts')")
    rows = infer(conn, "SELECT * FROM laminar.infer_schema('accounts')")
    tap.ok([(r[0], r[1], r[2]) for r in rows] ==
           [("id", "BIGINT", False), ("name", "STRING", True), ("balance", "DECIMAL(10,2)", False),
            ("active", "BOOLEAN", True), ("opened", "TIMESTAMPTZ", True), ("meta", "JSON", True)]
           and rows[0][3] == [1, 2] and rows[1][3] == ["ann", None] and
           rows[2][3] == [10.5, 3] and rows[3][3] == [True, False] and rows[5][3][0] == {"a": 1},
           "postgres source table: the columns' PostgreSQL types", rows)
    rows = q(conn, "SELECT column_name, data_type FROM laminar.infer_schema(connector => "
                   "'postgres', profile => 'pgp', options => "
                   "'{\"query\": \"SELECT id, balance * 2 AS twice FROM accounts\"}')")
    tap.ok(rows == [("id", "BIGINT"), ("twice", "DECIMAL")] or
           rows == [("id", "BIGINT"), ("twice", "DECIMAL(38,10)")],
           "postgres query without a table", rows)
    code, msg = error_of(conn, "SELECT * FROM laminar.infer_schema('postgres', '{\"host\": "
                               "\"127.0.0.1\", \"port\": %d, \"user\": \"postgres\", "
                               "\"table\": \"t\"}')" % free_port())
    tap.ok(code == "08006" and "CONNECTION_ERROR" in msg and "refused" in msg,
           "an unreachable database: 08006 with libpq's message", (code, msg))

    # ---- a generator: the declared columns with typed samples
    q(conn, "CREATE SOURCE TABLE bids WITH (connector = 'nexmark', event_type = 'bid')")
    rows = infer(conn, "SELECT * FROM laminar.infer_schema('public.bids')")
    tap.ok([(r[0], r[1]) for r in rows][:3] == [("auction", "BIGINT"), ("bidder", "BIGINT"),
                                                ("price", "BIGINT")] and
           all(len(r[3]) == 3 for r in rows),
           "nexmark source: declared columns, three samples each", rows)

    # ---- errors
    code, msg = error_of(conn, "SELECT * FROM laminar.infer_schema('nosuch')")
    tap.ok(code == "42P01" and 'relation "nosuch" does not exist' in msg, "unknown table: 42P01",
           (code, msg))
    q(conn, "CREATE SINK TABLE bh (a INT) WITH (connector = 'blackhole')")
    code, msg = error_of(conn, "SELECT * FROM laminar.infer_schema('bh')")
    tap.ok(code == "42809" and "is not a source table" in msg, "a sink table: 42809", (code, msg))
    code, msg = error_of(conn, "SELECT * FROM laminar.infer_schema(tablename => 'bh')")
    tap.ok(code == "42883", "an unknown parameter name: 42883", (code, msg))
finally:
    clean = False
    try:
        clean = srv.stop()
        srv.close()
    finally:
        if mock:
            mock.kill()
            mock.wait()
        if pg:
            pg.close()
        shutil.rmtree(work, ignore_errors=True)
tap.ok(clean, "laminard stopped cleanly (it did not crash)")
tap.done()
