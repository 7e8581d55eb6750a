"""pipelines_lifecycle: jobs from START to their end, on the built-in connectors.

Covers: a bounded nexmark -> blackhole pipeline runs to "completed" (pipeline
"stopped", counters and finished_at set); a bounded datagen -> plain table
pipeline completes and its rows are queryable; an unbounded pipeline runs,
laminar.job_metrics moves while it does, STOP ends it ("stopped") and DROP is
refused until then; laminar.job_output shows the rows a job wrote and
laminar.checkpoints its checkpoints; two jobs with parallelism 2 run at once (metrics for
subtasks 0 and 1), and stopping one does not disturb the other; a running job
resumes after a clean restart (SIGTERM) and after kill -9, with restarts
counted, and keeps producing; a stopped pipeline can be started again (a new
job); two sessions stopping it at once both return, and sessions starting it
at once start one job; a new START drops the previous job's operator state and
positions (not its records), and DROP PIPELINE drops all its jobs' keys when it
commits, none when rolled back (keys counted on disk by
regress/unit/test_stream_forget with the server stopped)."""
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402

import psycopg2  # noqa: E402

tap = Tap()
try:
    srv = Server()
    srv.start()
except Exception as e:
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


def job_state(conn, job_id):
    r = one(conn, "SELECT state FROM laminar.jobs WHERE id = %s", (job_id,))
    return r[0] if r else None


def wait_for(fn, timeout=60.0, step=0.2):
    """Polls fn() until it returns a truthy value; returns the last value."""
    deadline = time.time() + timeout
    v = fn()
    while not v and time.time() < deadline:
        time.sleep(step)
        v = fn()
    return v


def metrics_out(conn, job_id):
    r = one(conn, "SELECT coalesce(sum(records_out), 0), count(*) FROM laminar.job_metrics "
                  "WHERE job_id = %s", (job_id,))
    return int(r[0]), int(r[1])


def moving(conn, job_id, timeout=30.0):
    """True when the job's metrics grow between two looks."""
    first, _ = metrics_out(conn, job_id)
    return bool(wait_for(lambda: metrics_out(conn, job_id)[0] > first, timeout))


def failure(conn, job_id):
    r = one(conn, "SELECT state, failure_message FROM laminar.jobs WHERE id = %s", (job_id,))
    return "job: %r\nlog:\n%s" % (r, srv.log_tail(15))


with srv:
    conn = connect()
    q(conn, "CREATE SOURCE TABLE bids WITH (connector = 'nexmark', event_type = 'bid', "
            "max_events = 50000, seed = 1)")
    q(conn, "CREATE SINK TABLE sink (auction BIGINT, bidder BIGINT, price BIGINT) "
            "WITH (connector = 'blackhole')")
    q(conn, "CREATE SOURCE TABLE live_bids WITH (connector = 'nexmark', event_type = 'bid', "
            "events_per_second = 2000)")

    # 1. bounded nexmark -> blackhole
    q(conn, "CREATE PIPELINE bounded AS INSERT INTO sink SELECT auction, bidder, price FROM bids")
    r = one(conn, "START PIPELINE bounded")
    job1 = r[0] if r else None
    tap.ok(job1 is not None and job1.startswith("job_"), "START PIPELINE returns a job id",
           repr(r))
    st = wait_for(lambda: job_state(conn, job1) in ("completed", "failed"), 60)
    tap.ok(job_state(conn, job1) == "completed", "a bounded job ends completed",
           failure(conn, job1))
    r = one(conn, "SELECT j.records_in, j.finished_at IS NOT NULL, p.state, p.job_id "
                  "FROM laminar.jobs j JOIN laminar.pipelines p ON p.id = j.pipeline_id "
                  "WHERE j.id = %s", (job1,))
    tap.ok(r is not None and r[0] > 0 and r[1] and r[2] == "stopped" and r[3] == job1,
           "its counters and finish time are kept; the pipeline is stopped", repr(r))
    r = one(conn, "SHOW JOBS")
    tap.ok(r is not None and r[0] == job1, "SHOW JOBS lists it", repr(r))

    # 2. bounded datagen -> plain table (upsert by primary key)
    q(conn, "CREATE SOURCE TABLE gen (id BIGINT NOT NULL, v BIGINT) WITH (connector = 'datagen', "
            "number_of_rows = 1000, 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', "
            "'fields.id.end' = '1000', 'fields.v.kind' = 'random', 'fields.v.min' = '0', "
            "'fields.v.max' = '9')")
    q(conn, "CREATE TABLE gen_copy (id BIGINT PRIMARY KEY, v BIGINT)")
    q(conn, "CREATE PIPELINE to_table AS INSERT INTO gen_copy SELECT id, v FROM gen")
    job2 = one(conn, "START PIPELINE to_table")[0]
    wait_for(lambda: job_state(conn, job2) in ("completed", "failed"), 60)
    tap.ok(job_state(conn, job2) == "completed", "datagen -> plain table completes",
           failure(conn, job2))
    r = one(conn, "SELECT count(*), min(id), max(id) FROM gen_copy")
    tap.ok(r == (1000, 1, 1000), "the plain table holds every generated row", repr(r))

    # 3. unbounded: runs, metrics move, DROP refused, STOP ends it
    q(conn, "CREATE PIPELINE endless AS INSERT INTO sink SELECT auction, bidder, price "
            "FROM live_bids")
    job3 = one(conn, "START PIPELINE endless")[0]
    tap.ok(wait_for(lambda: one(conn, "SELECT state FROM laminar.pipelines WHERE name = "
                                      "'endless'")[0] == "running", 10),
           "an unbounded pipeline is running")
    tap.ok(moving(conn, job3), "laminar.job_metrics moves while it runs", failure(conn, job3))
    try:
        q(conn, "DROP PIPELINE endless")
        tap.ok(False, "DROP PIPELINE is refused while running")
    except psycopg2.Error as e:
        tap.ok(e.pgcode == "2BP01", "DROP PIPELINE is refused while running (2BP01)", e.pgcode)
    try:
        q(conn, "START PIPELINE endless")
        tap.ok(False, "START of a running pipeline is refused")
    except psycopg2.Error as e:
        tap.ok(e.pgcode == "55006", "START of a running pipeline is refused (55006)", e.pgcode)
    q(conn, "STOP PIPELINE endless")
    r = one(conn, "SELECT j.state, j.finished_at IS NOT NULL, p.state FROM laminar.jobs j "
                  "JOIN laminar.pipelines p ON p.id = j.pipeline_id WHERE j.id = %s", (job3,))
    tap.ok(r == ("stopped", True, "stopped"), "STOP PIPELINE: job and pipeline stopped", repr(r))
    r = one(conn, "SELECT count(*) FROM laminar.job_metrics WHERE job_id = %s", (job3,))
    tap.ok(r[0] == 0, "a stopped job has no live metrics", repr(r))
    job3b = one(conn, "START PIPELINE endless")[0]
    tap.ok(job3b != job3 and wait_for(lambda: job_state(conn, job3b) == "running", 10),
           "a stopped pipeline starts again with a new job")
    # two sessions stop it at the same moment: both return, it ends stopped
    results = []

    def stop_from_other_session():
        c = connect()
        try:
            q(c, "STOP PIPELINE endless")
            results.append("ok")
        except psycopg2.Error as e:
            results.append(e.pgcode)
        finally:
            c.close()
    threads = [threading.Thread(target=stop_from_other_session) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    tap.ok("ok" in results and all(r in ("ok", "55000") for r in results)
           and job_state(conn, job3b) == "stopped",
           "two concurrent STOPs: the job stops once, neither fails oddly", repr(results))
    q(conn, "DROP PIPELINE endless")

    # two sessions start one pipeline at the same moment: one job
    q(conn, "CREATE PIPELINE race AS INSERT INTO sink SELECT auction, bidder, price "
            "FROM live_bids")
    results = []

    def start_from_other_session():
        c = connect()
        try:
            results.append(one(c, "START PIPELINE race")[0])
        except psycopg2.Error as e:
            results.append(e.pgcode)
        finally:
            c.close()
    threads = [threading.Thread(target=start_from_other_session) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    started = [r for r in results if r and r.startswith("job_")]
    r = one(conn, "SELECT count(*) FROM laminar.jobs WHERE pipeline_name = 'race'")
    tap.ok(len(started) == 1 and results.count("55006") == 2 and r == (1,),
           "three concurrent STARTs: one job, the others 55006", repr((results, r)))
    q(conn, "STOP PIPELINE race")
    q(conn, "DROP PIPELINE race")
    r = one(conn, "SELECT count(*) FROM laminar.jobs WHERE id IN (%s, %s)", (job3, job3b))
    tap.ok(r[0] == 0, "DROP PIPELINE after STOP; its jobs go with it", repr(r))

    # 4. two jobs with parallelism 2 at once
    for name in ("par_a", "par_b"):
        q(conn, "CREATE PIPELINE %s WITH (parallelism = 2, checkpoint_interval = '1 second') AS "
                "INSERT INTO sink SELECT auction, bidder, price FROM live_bids "
                "WHERE price > 0" % name)
    ja = one(conn, "START PIPELINE par_a")[0]
    jb = one(conn, "START PIPELINE par_b")[0]
    both = wait_for(lambda: job_state(conn, ja) == "running" and job_state(conn, jb) == "running",
                    10)
    tap.ok(both, "two jobs run at once")
    r = q(conn, "SELECT job_id, array_agg(DISTINCT subtask ORDER BY subtask) "
                "FROM laminar.job_metrics WHERE job_id IN (%s, %s) GROUP BY job_id", (ja, jb))
    subtasks = {row[0]: list(row[1]) for row in (r or [])}
    tap.ok(subtasks.get(ja) == [0, 1] and subtasks.get(jb) == [0, 1],
           "each has metrics for subtasks 0 and 1", repr(subtasks))
    tap.ok(moving(conn, ja) and moving(conn, jb), "both make progress")
    out = wait_for(lambda: one(conn, "SELECT count(*), min(row::text) FROM laminar.job_output "
                                     "WHERE job_id = %s", (ja,))[0] > 0, 10)
    r = one(conn, "SELECT row->>'auction' IS NOT NULL FROM laminar.job_output WHERE job_id = %s "
                  "LIMIT 1", (ja,))
    tap.ok(out and r == (True,), "laminar.job_output shows rows the job wrote", repr(r))
    r = one(conn, "SELECT count(*) FROM laminar.job_errors WHERE job_id IN (%s, %s)", (ja, jb))
    tap.ok(r == (0,), "laminar.job_errors: none for good input", repr(r))
    q(conn, "STOP PIPELINE par_a")
    tap.ok(job_state(conn, ja) == "stopped" and job_state(conn, jb) == "running",
           "stopping one leaves the other running")
    tap.ok(moving(conn, jb), "the other keeps making progress", failure(conn, jb))
    r = one(conn, "SELECT last_checkpoint_id FROM laminar.jobs WHERE id = %s", (jb,))
    cp = wait_for(lambda: (one(conn, "SELECT last_checkpoint_id FROM laminar.jobs "
                                     "WHERE id = %s", (jb,))[0] or 0) > 0, 15)
    tap.ok(cp, "the running job completes checkpoints (laminar.jobs.last_checkpoint_id)")
    r = one(conn, "SELECT count(*) FROM laminar.checkpoints WHERE job_id = %s AND "
                  "state = 'completed'", (jb,))
    tap.ok(r[0] > 0, "laminar.checkpoints lists them", repr(r))

    # 5. restarts: a running job resumes after SIGTERM and after kill -9
    conn.close()
    tap.ok(srv.stop(), "clean shutdown with a running job")
    srv.restart()
    conn = connect()
    r = one(conn, "SELECT state, restarts FROM laminar.jobs WHERE id = %s", (jb,))
    tap.ok(r == ("running", 1), "after a clean restart the job is running again (restarts 1)",
           repr(r))
    tap.ok(moving(conn, jb), "and makes progress", failure(conn, jb))
    r = one(conn, "SELECT state FROM laminar.jobs WHERE id = %s", (ja,))
    tap.ok(r == ("stopped",), "the stopped job stays stopped", repr(r))
    conn.close()
    srv.kill9()
    srv.restart()
    conn = connect()
    r = one(conn, "SELECT state, restarts FROM laminar.jobs WHERE id = %s", (jb,))
    tap.ok(r == ("running", 2), "after kill -9 the job is running again (restarts 2)", repr(r))
    tap.ok(moving(conn, jb), "and makes progress", failure(conn, jb))
    q(conn, "STOP PIPELINE par_b")
    r = one(conn, "SELECT state FROM laminar.pipelines WHERE name = 'par_b'")
    tap.ok(r == ("stopped",), "STOP after the restarts", repr(r))

    # 6. a job's runtime data on disk: a new START drops the previous job's operator state
    # and positions (its checkpoint records stay); DROP PIPELINE drops all of it, but only
    # when the DROP commits.  Keys are counted with the server stopped by the unit test
    # program test_stream_forget ("count DATADIR JOB": "state N pos P meta M").
    q(conn, "CREATE TABLE counts (auction BIGINT PRIMARY KEY, n BIGINT)")
    q(conn, "CREATE PIPELINE stateful WITH (checkpoint_interval = '1 second') AS "
            "INSERT INTO counts SELECT auction, count(*) FROM live_bids GROUP BY auction")

    def run_to_checkpoint(name):
        job = one(conn, "START PIPELINE %s" % name)[0]
        done = wait_for(lambda: (one(conn, "SELECT last_checkpoint_id FROM laminar.jobs "
                                           "WHERE id = %s", (job,))[0] or 0) > 0, 20)
        q(conn, "STOP PIPELINE %s" % name)
        return job, done
    s1, ok1 = run_to_checkpoint("stateful")
    s2, ok2 = run_to_checkpoint("stateful")
    tap.ok(ok1 and ok2 and s1 != s2, "a stateful pipeline run twice, checkpoints completed",
           failure(conn, s2))
    # a rolled-back DROP (and one rolled back to a savepoint) keeps everything
    q(conn, "BEGIN")
    q(conn, "DROP PIPELINE stateful")
    q(conn, "ROLLBACK")
    q(conn, "BEGIN")
    q(conn, "SAVEPOINT sp")
    q(conn, "DROP PIPELINE stateful")
    q(conn, "ROLLBACK TO SAVEPOINT sp")
    q(conn, "COMMIT")
    r = one(conn, "SELECT count(*) FROM laminar.checkpoints WHERE job_id = %s", (s1,))
    tap.ok(r[0] > 0, "the replaced job's checkpoint records stay visible", repr(r))
    conn.close()
    tap.ok(srv.stop(), "clean shutdown before counting keys")

    counter = os.path.join(os.environ.get("LM_BUILDDIR", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..")), "regress", "unit",
        "test_stream_forget")

    def keys(job):
        """(state, pos, meta) key counts of job in the stopped server's data directory."""
        out = subprocess.run([counter, "count", srv.datadir, job], capture_output=True,
                             text=True, timeout=60)
        f = out.stdout.split()
        if out.returncode != 0 or len(f) != 6:
            return ("error", out.returncode, out.stdout + out.stderr)
        return (int(f[1]), int(f[3]), int(f[5]))
    builddir = os.path.dirname(os.path.dirname(os.path.dirname(counter)))
    have_counter = os.access(counter, os.X_OK) or subprocess.run(
        ["make", "-s", "-C", builddir, "regress/unit/test_stream_forget"],
        capture_output=True).returncode == 0
    if have_counter:
        k1, k2 = keys(s1), keys(s2)
        tap.ok(k1[0] == 0 and k1[1] == 0 and k1[2] > 0,
               "after a new START the previous job has no operator state or positions, "
               "its records stay", repr(k1))
        tap.ok(k2[0] > 0 and k2[1] > 0 and k2[2] > k2[1],
               "after ROLLBACK of DROP the last job keeps its state, positions and records",
               repr(k2))
    srv.restart()
    conn = connect()
    q(conn, "BEGIN")
    q(conn, "DROP PIPELINE stateful")
    q(conn, "COMMIT")
    r = one(conn, "SELECT count(*) FROM laminar.checkpoints WHERE job_id IN (%s, %s)", (s1, s2))
    tap.ok(r == (0,), "after DROP PIPELINE commits its jobs' checkpoints are gone", repr(r))
    conn.close()
    tap.ok(srv.stop(), "clean shutdown after the DROP")
    if have_counter:
        tap.ok(keys(s1) == (0, 0, 0) and keys(s2) == (0, 0, 0),
               "after DROP PIPELINE no key of its jobs remains in CF_STATE or CF_META",
               repr((keys(s1), keys(s2))))
    else:
        tap.skip("test_stream_forget could not be built", "no key of a dropped job remains")
    srv.restart()
    conn = connect()
    conn.close()
    tap.ok(srv.stop(), "clean shutdown")

tap.done()
