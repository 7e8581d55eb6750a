"""crash_durability: kill -9 during a stream of committed SQL transactions.

A writer commits transactions as fast as it can, each: INSERT of three rows
tagged with the transaction number, UPDATE of a counter row, DELETE of one
row inserted earlier in the same transaction, COMMIT (psycopg2's implicit
BEGIN); it records each transaction whose COMMIT was acknowledged.  Another
session keeps an uncommitted transaction open (INSERT and UPDATE), and a
third has a multi-statement transaction half built (both on tables of their
own: a plain table's write lock would make the writer wait for them, as
PostgreSQL's row locks would for the counter row).  laminard is killed with
SIGKILL at a random moment (the seed is printed; LM_CRASH_SEED=N replays it),
restarted on the same data directory, and then:
  - every acknowledged transaction is there in full (its two surviving rows);
  - no transaction is there in part, and none that was not acknowledged
    except the one whose COMMIT was in flight (all or nothing);
  - the counter equals the number of transactions present;
  - nothing of the uncommitted or half-built transactions is there;
  - the server accepts new transactions.
Three rounds on the same data directory; table_durability.py covers the
same for COPY.
"""
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402

import psycopg2  # noqa: E402

tap = Tap()
ROUNDS = 3
WATCHDOG_S = 240


def watchdog():
    print("not ok %d - the test finished within %d s (something blocked)" % (tap.n + 1, WATCHDOG_S), flush=True)
    os._exit(1)  # the server is left to the runner's timeout and temp-dir cleanup


timer = threading.Timer(WATCHDOG_S, watchdog)
timer.daemon = True
timer.start()
seed = int(os.environ.get("LM_CRASH_SEED", random.randrange(1 << 30)))
rng = random.Random(seed)
print("# seed %d (replay: LM_CRASH_SEED=%d regress/run.sh crash_durability)" % (seed, seed), flush=True)


class Writer(threading.Thread):
    def __init__(self, srv, first_txn):
        super().__init__(daemon=True)
        self.srv = srv
        self.next = first_txn
        self.acked = []
        self.inflight = None
        self.stop = threading.Event()
        self.error = None

    def run(self):
        try:
            conn = psycopg2.connect(self.srv.dsn(application_name="crash-writer"))
        except psycopg2.Error as e:
            self.error = e
            return
        try:
            cur = conn.cursor()
            while not self.stop.is_set():
                t = self.next
                base = t * 10
                cur.execute("INSERT INTO cd (id, txn, v) VALUES (%s, %s, 'a'), (%s, %s, 'b'), (%s, %s, 'c')",
                            (base, t, base + 1, t, base + 2, t))
                cur.execute("UPDATE counter SET n = n + 1, last_txn = %s WHERE id = 1", (t,))
                cur.execute("DELETE FROM cd WHERE id = %s", (base + 1,))
                self.inflight = t
                conn.commit()
                self.acked.append(t)
                self.inflight = None
                self.next += 1
        except psycopg2.Error:
            pass  # the server went away
        finally:
            try:
                conn.close()
            except Exception:
                pass


def connect(srv):
    conn = psycopg2.connect(srv.dsn(application_name="crash-check"))
    conn.autocommit = True
    return conn


try:
    srv = Server()
    srv.start()
except Exception as e:
    tap.bail("laminard starts", e)

with srv:
    try:
        admin = connect(srv)
        cur = admin.cursor()
        cur.execute("CREATE TABLE cd (id bigint PRIMARY KEY, txn int NOT NULL, v text)")
        cur.execute("CREATE TABLE counter (id int PRIMARY KEY, n bigint NOT NULL, last_txn int)")
        cur.execute("INSERT INTO counter VALUES (1, 0, NULL)")
        cur.execute("CREATE TABLE cd_pending (id bigint PRIMARY KEY, v text)")
        cur.execute("CREATE TABLE cd_half (id bigint PRIMARY KEY, v text)")
        admin.close()
    except psycopg2.Error as e:
        tap.bail("tables for the test are created", e)

    all_acked = set()
    maybe = set()  # transactions whose COMMIT was in flight at a kill
    first_txn = 1
    for rnd in range(1, ROUNDS + 1):
        # an open transaction that never commits, and one half built
        pending = psycopg2.connect(srv.dsn(application_name="crash-pending"))
        pcur = pending.cursor()
        pcur.execute("INSERT INTO cd_pending VALUES (%s, 'uncommitted'), (%s, 'uncommitted')", (rnd * 10, rnd * 10 + 1))
        pcur.execute("UPDATE cd_pending SET v = 'updated' WHERE id = %s", (rnd * 10,))
        half = psycopg2.connect(srv.dsn(application_name="crash-half"))
        hcur = half.cursor()
        hcur.execute("INSERT INTO cd_half VALUES (%s, 'half built')", (rnd * 10,))

        w = Writer(srv, first_txn)
        w.start()
        delay = rng.uniform(0.3, 1.5)
        time.sleep(delay)
        if not w.is_alive() and w.error is not None:
            tap.ok(False, "round %d: the writer connects" % rnd, w.error)
        # the half-built transaction goes on while the server dies
        try:
            hcur.execute("INSERT INTO cd_half VALUES (%s, 'half built')", (rnd * 10 + 1,))
        except psycopg2.Error:
            pass
        srv.kill9()
        w.stop.set()
        w.join(30)
        for c in (pending, half):
            try:
                c.close()
            except Exception:
                pass
        acked = set(w.acked)
        all_acked |= acked
        if w.inflight is not None:
            maybe.add(w.inflight)
        tap.ok(len(acked) > 0, "round %d: %d transactions acknowledged before kill -9 after %.2f s"
               % (rnd, len(acked), delay))

        try:
            srv.restart()
            restarted = True
        except Exception as e:
            restarted = False
            tap.ok(False, "round %d: laminard restarts on the same data directory" % rnd, e)
        if not restarted:
            break
        tap.ok(True, "round %d: laminard restarts on the same data directory" % rnd)

        try:
            conn = connect(srv)
            cur = conn.cursor()
            cur.execute("SELECT id, txn, v FROM cd ORDER BY id")
            rows = cur.fetchall()
            cur.execute("SELECT n, last_txn FROM counter WHERE id = 1")
            counter = cur.fetchone()
            cur.execute("SELECT (SELECT count(*) FROM cd_pending), (SELECT count(*) FROM cd_half)")
            leftovers = cur.fetchone()
        except psycopg2.Error as e:
            tap.ok(False, "round %d: the tables can be read after the restart" % rnd, e)
            break
        by_txn = {}
        for rid, txn, v in rows:
            by_txn.setdefault(txn, []).append((rid, v))
        present = {t for t in by_txn if t > 0}
        missing = sorted(all_acked - present)
        tap.ok(not missing, "round %d: every acknowledged transaction is there (%d)" % (rnd, len(all_acked)),
               "missing: %r" % missing[:20])
        partial = {t: r for t, r in by_txn.items() if t > 0 and r != [(t * 10, "a"), (t * 10 + 2, "c")]}
        tap.ok(not partial, "round %d: no transaction is there in part" % rnd, "partial: %r" % partial)
        extra = sorted(present - all_acked - maybe)
        tap.ok(not extra, "round %d: nothing of a transaction that was not acknowledged (in flight: %r)"
               % (rnd, sorted(maybe)), "extra: %r" % extra[:20])
        tap.ok(leftovers == (0, 0) and not any(t <= 0 for t in by_txn),
               "round %d: nothing of the open or half-built transactions (%r)" % (rnd, leftovers))
        tap.ok(counter is not None and counter[0] == len(present) and counter[1] == (max(present) if present else None),
               "round %d: the counter matches the transactions present (%r, %d present)"
               % (rnd, counter, len(present)))
        # what was in flight is now decided: keep it in the expectations as it turned out
        first_txn = max(all_acked | maybe | {first_txn - 1}) + 1
        all_acked |= (maybe & present)
        maybe = set()  # one that did not make it must never appear later
        try:
            cur.execute("INSERT INTO cd (id, txn, v) VALUES (%s, %s, 'a'), (%s, %s, 'c')",
                        (first_txn * 10, first_txn, first_txn * 10 + 2, first_txn))
            cur.execute("UPDATE counter SET n = n + 1, last_txn = %s WHERE id = 1", (first_txn,))
            all_acked.add(first_txn)
            first_txn += 1
            writable = True
        except psycopg2.Error as e:
            writable = str(e)
        tap.ok(writable is True, "round %d: new writes are accepted after the restart" % rnd, writable)
        conn.close()

    tap.ok(srv.stop(), "server shuts down cleanly")

timer.cancel()
tap.done()
