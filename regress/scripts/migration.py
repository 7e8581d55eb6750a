"""migration: the flow of a schema-migration tool (golang-migrate, Flyway,
Sqitch, Alembic under a lock) run by two sessions at once.

Each "tool" session: pg_advisory_lock(key); CREATE TABLE IF NOT EXISTS
schema_migrations (version bigint PRIMARY KEY, applied_at timestamptz DEFAULT
now()); reads the applied versions; for every pending migration BEGIN, DDL
(CREATE TABLE), DML (seed rows, INSERT INTO schema_migrations), COMMIT;
pg_advisory_unlock(key).

Checks, by the order of events (no timing assertions): while the first
session holds the lock the second one's pg_advisory_lock does not return
(another session's pg_try_advisory_lock is false), it returns only after the
first one's unlock; every migration is applied exactly once and its tables and
seed rows exist once; racing starts (several rounds, with new migrations each
round) still apply each migration once; a failing migration rolls back
completely and releases nothing it should not; pg_advisory_xact_lock (the
transaction-scoped form) serialises the same way and is released at COMMIT;
the (int, int) key form; a session that ends holding the lock releases it.
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402

import psycopg2  # noqa: E402

tap = Tap()
KEY = 727272
CREATE_BOOKKEEPING = ("CREATE TABLE IF NOT EXISTS schema_migrations "
                      "(version bigint PRIMARY KEY, applied_at timestamptz DEFAULT now())")


def migrations_for(first):
    """Three migrations numbered first..first+2: DDL plus seed rows."""
    return [
        (first, ["CREATE TABLE m%d_accounts (id bigint PRIMARY KEY, email text NOT NULL)" % first,
                 "INSERT INTO m%d_accounts VALUES (1, 'admin@example.com')" % first]),
        (first + 1, ["CREATE TABLE m%d_events (id bigint PRIMARY KEY, account bigint, kind text)" % first,
                     "INSERT INTO m%d_events VALUES (1, 1, 'created'), (2, 1, 'verified')" % first]),
        (first + 2, ["CREATE TABLE m%d_settings (k text PRIMARY KEY, v text DEFAULT 'on')" % first,
                     "INSERT INTO m%d_settings (k) VALUES ('feature_x')" % first]),
    ]


class Events:
    """An ordered log of what the sessions did, shared between threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    def add(self, what):
        with self.lock:
            self.items.append(what)

    def index(self, what):
        with self.lock:
            return self.items.index(what) if what in self.items else -1

    def has(self, what):
        return self.index(what) >= 0


def run_tool(srv, name, migrations, events, hold=None, xact_lock=False, errors=None):
    """One migration-tool session.  hold: an Event to wait for while holding the lock."""
    conn = None
    try:
        conn = psycopg2.connect(srv.dsn(application_name="migrate-" + name))
        conn.autocommit = True
        cur = conn.cursor()
        applied = []
        if not xact_lock:
            events.add(name + " requests")
            cur.execute("SELECT pg_advisory_lock(%s)", (KEY,))
            events.add(name + " locked")
            if hold is not None:
                hold.wait(60)
            cur.execute(CREATE_BOOKKEEPING)
            cur.execute("SELECT version FROM schema_migrations")
            done = {r[0] for r in cur.fetchall()}
            for version, statements in migrations:
                if version in done:
                    continue
                cur.execute("BEGIN")
                for sql in statements:
                    cur.execute(sql)
                cur.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
                cur.execute("COMMIT")
                applied.append(version)
            events.add(name + " unlocking")  # before the request: the other session cannot lock earlier
            cur.execute("SELECT pg_advisory_unlock(%s)", (KEY,))
            if not cur.fetchone()[0]:
                events.add(name + " unlock returned false")
        else:
            # Flyway's style: one transaction, a transaction-scoped lock
            events.add(name + " requests")
            cur.execute("BEGIN")
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (KEY,))
            events.add(name + " locked")
            if hold is not None:
                hold.wait(60)
            cur.execute(CREATE_BOOKKEEPING)
            cur.execute("SELECT version FROM schema_migrations")
            done = {r[0] for r in cur.fetchall()}
            for version, statements in migrations:
                if version in done:
                    continue
                for sql in statements:
                    cur.execute(sql)
                cur.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
                applied.append(version)
            events.add(name + " commits")  # before the request, as above
            cur.execute("COMMIT")
        events.add("%s applied %s" % (name, applied))
        return applied
    except Exception as e:  # reported by the caller's checks
        if errors is not None:
            errors.append("%s: %s: %s" % (name, type(e).__name__, e))
        return None
    finally:
        if conn is not None:
            conn.close()


def wait_for(cond, limit=30.0):
    deadline = time.time() + limit
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return False


def try_lock_elsewhere(srv, *key):
    conn = psycopg2.connect(srv.dsn())
    conn.autocommit = True
    try:
        cur = conn.cursor()
        placeholders = ", ".join(["%s"] * len(key))
        cur.execute("SELECT pg_try_advisory_lock(%s)" % placeholders, key)
        got = cur.fetchone()[0]
        if got:
            cur.execute("SELECT pg_advisory_unlock(%s)" % placeholders, key)
        return got
    finally:
        conn.close()


def state(admin, first):
    cur = admin.cursor()
    cur.execute("SELECT version, count(*) FROM schema_migrations WHERE version BETWEEN %s AND %s "
                "GROUP BY version ORDER BY version", (first, first + 2))
    versions = cur.fetchall()
    counts = []
    for table in ("accounts", "events", "settings"):
        cur.execute("SELECT count(*) FROM m%d_%s" % (first, table))
        counts.append(cur.fetchone()[0])
    return versions, counts


try:
    srv = Server()
    srv.start()
except Exception as e:
    tap.bail("laminard starts", e)

with srv:
    admin = psycopg2.connect(srv.dsn(application_name="migration-admin"))
    admin.autocommit = True

    # ---- 1. session-level lock: the second tool waits for the first
    events, errors = Events(), []
    hold = threading.Event()
    results = {}
    ta = threading.Thread(target=lambda: results.__setitem__("A", run_tool(
        srv, "A", migrations_for(1), events, hold=hold, errors=errors)))
    ta.start()
    tap.ok(wait_for(lambda: events.has("A locked")), "A takes the advisory lock", errors)
    held = None
    try:
        held = try_lock_elsewhere(srv, KEY)
    except Exception as e:
        errors.append("try lock: %s" % e)
    tap.ok(held is False, "while A holds it, pg_try_advisory_lock from another session is false (%r)" % held)
    tb = threading.Thread(target=lambda: results.__setitem__("B", run_tool(
        srv, "B", migrations_for(1), events, errors=errors)))
    tb.start()
    tap.ok(wait_for(lambda: events.has("B requests")), "B asks for the lock")
    time.sleep(0.5)  # give B's request time to reach the server (not an assertion on time)
    tap.ok(not events.has("B locked"), "B's pg_advisory_lock does not return while A holds the lock",
           events.items)
    hold.set()
    ta.join(120)
    tb.join(120)
    tap.ok(not ta.is_alive() and not tb.is_alive() and not errors, "both tool sessions ran to the end",
           "\n".join(errors))
    ia, ib = events.index("A unlocking"), events.index("B locked")
    tap.ok(0 <= ia < ib, "B got the lock only after A's pg_advisory_unlock", events.items)
    tap.ok(results.get("A") == [1, 2, 3] and results.get("B") == [],
           "A applied migrations 1-3, B found them applied and applied none (%r)" % results)
    try:
        versions, counts = state(admin, 1)
    except Exception as e:
        versions, counts = None, str(e)
    tap.ok(versions == [(1, 1), (2, 1), (3, 1)] and counts == [1, 2, 1],
           "schema_migrations has 1, 2, 3 once each; tables and seed rows exist once (%r, %r)" % (versions, counts))
    try:
        cur = admin.cursor()
        cur.execute("SELECT count(*) FROM schema_migrations WHERE applied_at IS NOT NULL AND applied_at <= now()")
        stamped = cur.fetchone()[0]
    except Exception as e:
        stamped = str(e)
    tap.ok(stamped == 3, "applied_at defaulted to the commit's now() (%r)" % stamped)
    tap.ok(try_lock_elsewhere(srv, KEY) is True, "the lock is free after both tools finished")

    # ---- 2. racing starts, new migrations each round: each applied exactly once
    race_ok, race_diag = True, []
    for rnd in range(5):
        first = 100 + 10 * rnd
        events, errors, results = Events(), [], {}
        barrier = threading.Barrier(2)

        def tool(name, first=first, events=events, errors=errors, results=results, barrier=barrier):
            barrier.wait(30)
            results[name] = run_tool(srv, name, migrations_for(first), events, errors=errors)

        threads = [threading.Thread(target=tool, args=(n,)) for n in ("C", "D")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        try:
            versions, counts = state(admin, first)
        except Exception as e:
            versions, counts = None, str(e)
        applied = sorted((results.get("C") or []) + (results.get("D") or []))
        good = (not errors and applied == [first, first + 1, first + 2]
                and versions == [(first, 1), (first + 1, 1), (first + 2, 1)] and counts == [1, 2, 1])
        # the winner's unlock precedes the loser's lock
        ic, id_ = events.index("C locked"), events.index("D locked")
        second = "D" if ic < id_ else "C"
        winner = "C" if second == "D" else "D"
        good = good and (events.index(winner + " locked") < events.index(winner + " unlocking")
                         < events.index(second + " locked"))
        if not good:
            race_ok = False
            race_diag.append("round %d: %r %r %r %r %r" % (rnd, results, versions, counts, errors, events.items))
    tap.ok(race_ok, "5 rounds of two tools started together: one waits, each migration applied once",
           "\n".join(race_diag))

    # ---- 3. a failing migration rolls back completely, the lock is released
    events, errors = Events(), []
    bad = [(200, ["CREATE TABLE m200_ok (id int PRIMARY KEY)",
                  "INSERT INTO m200_ok VALUES (1)",
                  "INSERT INTO m200_ok VALUES (1)"])]  # duplicate key: the migration fails
    conn = psycopg2.connect(srv.dsn())
    conn.autocommit = True
    failure = None
    try:
        cur = conn.cursor()
        cur.execute("SELECT pg_advisory_lock(%s)", (KEY,))
        cur.execute(CREATE_BOOKKEEPING)
        cur.execute("BEGIN")
        try:
            for sql in bad[0][1]:
                cur.execute(sql)
            cur.execute("INSERT INTO schema_migrations (version) VALUES (200)")
            cur.execute("COMMIT")
        except psycopg2.Error as e:
            failure = e.pgcode
            cur.execute("ROLLBACK")
        cur.execute("SELECT pg_advisory_unlock(%s)", (KEY,))
        unlocked = cur.fetchone()[0]
    except psycopg2.Error as e:
        unlocked = None
        errors.append(str(e))
    finally:
        conn.close()
    tap.ok(failure == "23505" and unlocked is True, "a failing migration: 23505, ROLLBACK, unlock (%r, %r, %r)"
           % (failure, unlocked, errors))
    cur = admin.cursor()
    cur.execute("SELECT count(*) FROM schema_migrations WHERE version = 200")
    n200 = cur.fetchone()[0]
    cur.execute("SELECT count(*) FROM pg_class WHERE relname = 'm200_ok'")
    t200 = cur.fetchone()[0]
    tap.ok(n200 == 0 and t200 == 0, "nothing of the failed migration remains (version rows %d, tables %d)"
           % (n200, t200))

    # ---- 4. transaction-scoped lock (pg_advisory_xact_lock), released at COMMIT
    events, errors, results = Events(), [], {}
    hold = threading.Event()
    te = threading.Thread(target=lambda: results.__setitem__("E", run_tool(
        srv, "E", migrations_for(300), events, hold=hold, xact_lock=True, errors=errors)))
    te.start()
    tap.ok(wait_for(lambda: events.has("E locked")), "E takes pg_advisory_xact_lock inside its transaction", errors)
    tf = threading.Thread(target=lambda: results.__setitem__("F", run_tool(
        srv, "F", migrations_for(300), events, xact_lock=True, errors=errors)))
    tf.start()
    wait_for(lambda: events.has("F requests"))
    time.sleep(0.5)
    tap.ok(not events.has("F locked"), "F's pg_advisory_xact_lock waits for E's transaction", events.items)
    hold.set()
    te.join(120)
    tf.join(120)
    tap.ok(not errors and 0 <= events.index("E commits") < events.index("F locked"),
           "F got the transaction lock only after E committed", "\n".join(errors) + "\n%r" % events.items)
    try:
        versions, counts = state(admin, 300)
    except Exception as e:
        versions, counts = None, str(e)
    tap.ok(results.get("E") == [300, 301, 302] and results.get("F") == [] and
           versions == [(300, 1), (301, 1), (302, 1)] and counts == [1, 2, 1],
           "xact-lock migrations applied once, all in E's transaction (%r %r %r)" % (results, versions, counts))

    # ---- 5. the (int, int) form and release at session end
    c1 = psycopg2.connect(srv.dsn())
    c1.autocommit = True
    cur1 = c1.cursor()
    cur1.execute("SELECT pg_advisory_lock(7, 42)")
    tap.ok(try_lock_elsewhere(srv, 7, 42) is False and try_lock_elsewhere(srv, 7, 43) is True,
           "pg_advisory_lock(int, int): the same pair is taken, another pair is free")
    cur1.execute("SELECT pg_advisory_lock(%s)", (KEY,))
    c1.close()  # ends the session while holding both locks
    tap.ok(wait_for(lambda: try_lock_elsewhere(srv, KEY) and try_lock_elsewhere(srv, 7, 42), 20),
           "locks held by a session are released when it ends")
    admin.close()
    tap.ok(srv.stop(), "server shuts down cleanly")

tap.done()
