"""file_connector: the file connector end to end (connectors/file_source.c, file_sink.c).

Covers: a pipeline reading a watched json-lines directory (scan_interval) into a file
sink partitioned by a column, while new files keep arriving and laminard is killed
with SIGKILL twice mid-way: after the restarts every input record is in the output
exactly once, in the right col=value directory, and only renamed (committed) files
are visible; a bounded source (no scan_interval) over csv files with a header ends
the job; bad records with ignore_parse_errors = true are skipped and visible in
laminar.job_errors with the raw sample and the SCHEMA_VALIDATION_ERROR detail, and
with it off the job fails with that message."""
import atexit
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402

import psycopg2  # noqa: E402

tap = Tap()
work = tempfile.mkdtemp(prefix="laminar-files.")
atexit.register(shutil.rmtree, work, True)  # also when the test dies half-way
try:
    srv = Server()
    srv.start()
except Exception as e:
    shutil.rmtree(work, ignore_errors=True)
    tap.bail("laminard starts", e)


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


def job_row(conn, job):
    return one(conn, "SELECT state, failure_message FROM laminar.jobs WHERE id = %s", (job,))


def wait_for(pred, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.1)
    return pred()


GROUPS = ("a", "b", "c")
next_id = [0]


def drop_file(d, n, name=None):
    """Writes n records as a hidden file, then renames it in (files appear complete)."""
    lines = []
    for _ in range(n):
        i = next_id[0]
        next_id[0] += 1
        lines.append(json.dumps({"id": i, "grp": GROUPS[i % 3], "v": i * 0.5,
                                 "ts": "2024-01-01T00:00:%02dZ" % (i % 60)}))
    name = name or "in-%06d.jsonl" % i
    tmp = os.path.join(d, "." + name)
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.rename(tmp, os.path.join(d, name))


def read_output(d):
    """{id: count}, and rows found outside their group's directory."""
    seen, misplaced, staging_visible = {}, 0, 0
    for root, dirs, files in os.walk(d):
        dirs[:] = [x for x in dirs if not x.startswith(".")]
        for fn in files:
            if fn.startswith("."):
                staging_visible += 1
                continue
            rel = os.path.relpath(root, d)
            with open(os.path.join(root, fn)) as f:
                for line in f:
                    if not line.strip():
                        continue
                    r = json.loads(line)
                    seen[r["id"]] = seen.get(r["id"], 0) + 1
                    if rel != "grp=" + r["grp"]:
                        misplaced += 1
    return seen, misplaced, staging_visible


with srv:
    conn = connect()
    in_dir = os.path.join(work, "in")
    out_dir = os.path.join(work, "out")
    os.makedirs(in_dir)
    for _ in range(3):
        drop_file(in_dir, 500)

    q(conn, "CREATE SOURCE TABLE ev (id BIGINT NOT NULL, grp STRING, v DOUBLE, ts TIMESTAMP) "
            "WITH (connector = 'file', path = %s, format = 'json', pattern = '*.jsonl', "
            "scan_interval = '100ms')", (in_dir,))
    q(conn, "CREATE SINK TABLE ev_out (id BIGINT, grp STRING, v DOUBLE, ts TIMESTAMP) "
            "WITH (connector = 'file', path = %s, format = 'json', partition_by = 'grp', "
            "rollover_size = '16KB')", (out_dir,))
    q(conn, "CREATE PIPELINE copy_ev WITH (parallelism = 2, checkpoint_interval = '300 ms') AS "
            "INSERT INTO ev_out SELECT id, grp, v, ts FROM ev")
    job = one(conn, "START PIPELINE copy_ev")[0]

    def have(n):
        return lambda: len(read_output(out_dir)[0]) >= n

    ok = wait_for(have(1500), 30)
    tap.ok(ok, "watched directory -> partitioned file sink delivers the first files",
           "%d ids; job %r\n%s" % (len(read_output(out_dir)[0]), job_row(conn, job),
                                  srv.log_tail(15)))

    # files keep arriving; kill -9 twice while they are read
    in_flight = 0
    for rnd in range(2):
        for _ in range(10):
            drop_file(in_dir, 400)
            time.sleep(0.03)
        time.sleep(0.05 + 0.1 * rnd)
        srv.kill9()
        if len(read_output(out_dir)[0]) < next_id[0]:
            in_flight += 1
        drop_file(in_dir, 300)
        srv.restart()
        conn = connect()
        r = one(conn, "SELECT state FROM laminar.jobs WHERE id = %s", (job,))
        tap.ok(r == ("running",), "round %d: the job runs again after kill -9" % (rnd + 1),
               repr(r))
    tap.diag("kills with records in flight: %d of 2" % in_flight)
    total = next_id[0]
    ok = wait_for(have(total), 40)
    seen, misplaced, staging = read_output(out_dir)
    dups = sum(1 for c in seen.values() if c > 1)
    missing = total - len(seen)
    tap.ok(ok and dups == 0 and missing == 0 and set(seen) == set(range(total)),
           "every input record exactly once in the output after two kill -9 (%d records)" % total,
           "missing %d, duplicated %d; job %r\n%s" % (missing, dups, job_row(conn, job),
                                                     srv.log_tail(20)))
    tap.ok(misplaced == 0, "rows are in their partition_by directory", "misplaced %d" % misplaced)
    tap.ok(sorted(x for x in os.listdir(out_dir) if not x.startswith(".")) ==
           ["grp=a", "grp=b", "grp=c"], "one directory per grp value", repr(os.listdir(out_dir)))
    nfiles = sum(len(f) for _, _, f in os.walk(os.path.join(out_dir, "grp=a")))
    tap.ok(nfiles >= 2, "files roll over (rollover_size and checkpoints)", "%d files" % nfiles)
    q(conn, "STOP PIPELINE copy_ev")
    r = one(conn, "SELECT state FROM laminar.jobs WHERE id = %s", (job,))
    tap.ok(r == ("stopped",), "STOP", repr(r))
    staging_dir = os.path.join(out_dir, ".laminar-staging")
    leftovers = sum(len(f) for _, _, f in os.walk(staging_dir)) if os.path.isdir(staging_dir) else 0
    tap.ok(leftovers == 0, "no staging files left after STOP", "%d left" % leftovers)

    # bounded csv source with a header into a plain table
    csv_dir = os.path.join(work, "csv")
    os.makedirs(csv_dir)
    with open(os.path.join(csv_dir, "one.csv"), "w") as f:
        f.write("id,name,price\n1,\"apple, red\",1.5\n2,pear,\n")
    with open(os.path.join(csv_dir, "two.csv"), "w") as f:
        f.write("id,name,price\n3,\"multi\nline\",3\n")
    q(conn, "CREATE SOURCE TABLE fruit (id INT, name STRING, price DOUBLE) WITH "
            "(connector = 'file', path = %s, format = 'csv', header = true)", (csv_dir,))
    q(conn, "CREATE TABLE fruit_t (id INT PRIMARY KEY, name STRING, price DOUBLE)")
    q(conn, "CREATE PIPELINE load_fruit AS INSERT INTO fruit_t SELECT * FROM fruit")
    jf = one(conn, "START PIPELINE load_fruit")[0]
    wait_for(lambda: job_row(conn, jf)[0] in ("completed", "failed"), 30)
    tap.ok(job_row(conn, jf)[0] == "completed", "a bounded file source ends its job",
           repr(job_row(conn, jf)))
    r = q(conn, "SELECT id, name, price FROM fruit_t ORDER BY id")
    tap.ok(r == [(1, "apple, red", 1.5), (2, "pear", None), (3, "multi\nline", 3.0)],
           "csv with header, quotes, a line break in a field, an empty field as NULL", repr(r))

    # bad records
    bad_dir = os.path.join(work, "bad")
    os.makedirs(bad_dir)
    with open(os.path.join(bad_dir, "b.jsonl"), "w") as f:
        f.write('{"id": 1, "grp": "a"}\n{"id": "abc123", "grp": "b"}\n{"id": 3}\nnot json\n')
    q(conn, "CREATE TABLE bad_ok (id BIGINT, grp STRING)")
    q(conn, "CREATE SOURCE TABLE bad_skip (id BIGINT NOT NULL, grp STRING) WITH "
            "(connector = 'file', path = %s, format = 'json', ignore_parse_errors = true)",
            (bad_dir,))
    q(conn, "CREATE PIPELINE bad1 AS INSERT INTO bad_ok SELECT * FROM bad_skip")
    j1 = one(conn, "START PIPELINE bad1")[0]
    wait_for(lambda: job_row(conn, j1)[0] in ("completed", "failed"), 30)
    tap.ok(job_row(conn, j1)[0] == "completed", "ignore_parse_errors = true: the job completes",
           repr(job_row(conn, j1)))
    r = q(conn, "SELECT id FROM bad_ok ORDER BY id")
    tap.ok(r == [(1,), (3,)], "bad records are skipped, good ones kept", repr(r))
    errs = q(conn, "SELECT code, details::text, sample FROM laminar.job_errors WHERE job_id = %s "
                   "ORDER BY at", (j1,))
    tap.ok(errs is not None and len(errs) == 2, "both bad records are in laminar.job_errors",
           repr(errs))
    if errs and len(errs) == 2:
        d = json.loads(errs[0][1])
        tap.ok(errs[0][0] == "SCHEMA_VALIDATION_ERROR" and d.get("field") == "id" and
               d.get("reason") == "Cannot cast STRING to BIGINT" and
               d.get("sample_value") == "abc123" and errs[0][2] == '{"id": "abc123", "grp": "b"}',
               "the seed's SCHEMA_VALIDATION_ERROR detail and the raw sample", repr(errs[0]))
        tap.ok(errs[1][0] == "FORMAT_ERROR" and errs[1][2] == "not json",
               "an undecodable record is a FORMAT_ERROR with its sample", repr(errs[1]))
    else:
        tap.ok(False, "the seed's SCHEMA_VALIDATION_ERROR detail and the raw sample", repr(errs))
        tap.ok(False, "an undecodable record is a FORMAT_ERROR with its sample", repr(errs))

    q(conn, "CREATE SOURCE TABLE bad_fail (id BIGINT NOT NULL, grp STRING) WITH "
            "(connector = 'file', path = %s, format = 'json')", (bad_dir,))
    q(conn, "CREATE TABLE bad_out (id BIGINT, grp STRING)")
    q(conn, "CREATE PIPELINE bad2 AS INSERT INTO bad_out SELECT * FROM bad_fail")
    j2 = one(conn, "START PIPELINE bad2")[0]
    wait_for(lambda: job_row(conn, j2)[0] in ("completed", "failed"), 30)
    r = job_row(conn, j2)
    tap.ok(r[0] == "failed" and "Cannot cast STRING to BIGINT" in (r[1] or ""),
           "ignore_parse_errors off: the job fails with the record's error", repr(r))
    r = one(conn, "SELECT count(*) FROM laminar.job_errors WHERE job_id = %s "
                  "AND code = 'SCHEMA_VALIDATION_ERROR'", (j2,))
    tap.ok(r == (1,), "the failing record is in laminar.job_errors too", repr(r))

shutil.rmtree(work, ignore_errors=True)
tap.done()
