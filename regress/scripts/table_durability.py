"""table_durability: plain-table transactions are atomic and durable across kill -9.

A writer commits transactions of two rows each (COPY inside BEGIN ... COMMIT)
as fast as it can while another session holds an uncommitted transaction;
laminard is killed with SIGKILL in the middle.  After the restart every
acknowledged transaction is there in full, no transaction is there in part,
and the uncommitted rows are not there.  Also: CREATE TABLE + rows in one
block survive together; a table's write lock makes a second writer wait for
the first one's COMMIT and then see its row (23505), and a cancel request
ends such a wait with 57014.
"""
import io
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402

import psycopg2  # noqa: E402
import psycopg2.errors  # noqa: E402

tap = Tap()


def table_ids(conn, table):
    buf = io.StringIO()
    with conn.cursor() as cur:
        cur.copy_expert("COPY %s TO STDOUT" % table, buf)
    conn.commit()
    return sorted(int(line.split("\t")[0]) for line in buf.getvalue().splitlines() if line)


with Server() as srv:
    admin = psycopg2.connect(srv.dsn())
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("CREATE TABLE d (id bigint PRIMARY KEY, pad text NOT NULL)")

    # --- a stream of committed transactions, killed in the middle
    acked = []
    stop = threading.Event()

    def writer():
        conn = psycopg2.connect(srv.dsn())
        try:
            i = 0
            while not stop.is_set():
                with conn.cursor() as cur:
                    cur.copy_expert("COPY d FROM STDIN",
                                    io.StringIO("%d\tx\n%d\ty\n" % (2 * i, 2 * i + 1)))
                conn.commit()
                acked.append(i)
                i += 1
        except psycopg2.Error:
            pass  # the server went away

    open_txn = psycopg2.connect(srv.dsn())
    with open_txn.cursor() as cur:
        cur.execute("CREATE TABLE pending (id int PRIMARY KEY)")
    open_txn.commit()
    with open_txn.cursor() as cur:
        cur.copy_expert("COPY pending FROM STDIN", io.StringIO("1\n2\n3\n"))
    # (left uncommitted on purpose)

    blk = psycopg2.connect(srv.dsn())
    with blk.cursor() as cur:
        cur.execute("CREATE TABLE made_in_block (id int PRIMARY KEY, v text)")
        cur.copy_expert("COPY made_in_block FROM STDIN", io.StringIO("7\tseven\n"))
    blk.commit()

    t = threading.Thread(target=writer)
    t.start()
    time.sleep(1.5)
    srv.kill9()
    stop.set()
    t.join(timeout=30)
    tap.ok(len(acked) > 10, "the writer committed %d transactions before kill -9" % len(acked))

    srv.restart()
    conn = psycopg2.connect(srv.dsn())
    ids = set(table_ids(conn, "d"))
    missing = [i for i in acked if 2 * i not in ids or 2 * i + 1 not in ids]
    tap.ok(not missing, "every acknowledged transaction survived kill -9",
           "missing transactions: %s" % missing[:10])
    partial = [i for i in range(len(acked) + 2) if (2 * i in ids) != (2 * i + 1 in ids)]
    tap.ok(not partial, "no transaction survived in part", "partial: %s" % partial[:10])
    beyond = [x for x in ids if x // 2 > len(acked)]
    tap.ok(not beyond, "nothing beyond the one transaction in flight", "extra: %s" % beyond[:10])
    tap.ok(table_ids(conn, "pending") == [], "uncommitted rows are gone after the crash")
    tap.ok(table_ids(conn, "made_in_block") == [7],
           "CREATE TABLE and its rows committed in one block survive together")

    # --- write locks: a second writer waits for the first one's COMMIT, then sees its key
    a = psycopg2.connect(srv.dsn())
    b = psycopg2.connect(srv.dsn())
    with a.cursor() as cur:
        cur.copy_expert("COPY d FROM STDIN", io.StringIO("-1\tfirst\n"))
    result = {}

    def second():
        t0 = time.time()
        try:
            with b.cursor() as cur:
                cur.copy_expert("COPY d FROM STDIN", io.StringIO("-1\tsecond\n"))
            b.commit()
            result["state"] = "committed"
        except psycopg2.Error as e:
            result["state"] = e.pgcode
            b.rollback()
        result["waited"] = time.time() - t0

    t2 = threading.Thread(target=second)
    t2.start()
    time.sleep(0.5)
    a.commit()
    t2.join(timeout=30)
    tap.ok(result.get("state") == "23505" and result.get("waited", 0) >= 0.4,
           "a second writer of the same key waits for the first COMMIT, then gets 23505",
           repr(result))

    with a.cursor() as cur:
        cur.copy_expert("COPY d FROM STDIN", io.StringIO("-2\tholder\n"))
    result.clear()
    t3 = threading.Thread(target=second)
    t3.start()
    time.sleep(0.5)
    b.cancel()
    t3.join(timeout=30)
    tap.ok(result.get("state") == "57014", "a cancel request ends the wait with 57014",
           repr(result))
    a.rollback()
    tap.ok(-2 not in table_ids(conn, "d"), "rolled back rows are not there")

    # --- DROP TABLE waits for a transaction still writing the table
    admin = psycopg2.connect(srv.dsn())  # the first one died with the kill -9
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("CREATE TABLE dropme (id int PRIMARY KEY)")
    with a.cursor() as cur:
        cur.copy_expert("COPY dropme FROM STDIN", io.StringIO("1\n2\n"))
    dropped = {}

    def dropper():
        t0 = time.time()
        with admin.cursor() as cur:
            cur.execute("DROP TABLE dropme")
        dropped["waited"] = time.time() - t0

    t4 = threading.Thread(target=dropper)
    t4.start()
    time.sleep(0.5)
    tap.ok("waited" not in dropped, "DROP TABLE waits while another transaction writes the table")
    a.commit()
    t4.join(timeout=30)
    tap.ok(dropped.get("waited", 0) >= 0.4, "... and drops it after that COMMIT", repr(dropped))
    with admin.cursor() as cur:
        cur.execute("CREATE TABLE dropme (id int PRIMARY KEY)")
    tap.ok(table_ids(conn, "dropme") == [], "a table created again under the same name is empty")
tap.done()
