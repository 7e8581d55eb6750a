"""concurrency: 200 sessions connect at once, all run SET/SHOW at the same
moment and each sees its own setting; 200 concurrent DDL statements all
commit; a slow client stuck mid-startup does not block the others."""
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402

import psycopg2  # noqa: E402

N = int(os.environ.get("LM_SESSIONS", "200"))
tap = Tap()
try:
    srv = Server()
    srv.start()
except Exception as e:
    tap.bail("laminard starts", e)

with srv:
    # a connection that never finishes its startup packet
    stuck = socket.create_connection(("127.0.0.1", srv.port))
    stuck.sendall(b"\x00\x00")

    barrier = threading.Barrier(N, timeout=120)
    results = [None] * N
    errors = []
    conns = [None] * N

    def session(i):
        try:
            c = psycopg2.connect(srv.dsn(application_name="s%d" % i))
            c.autocommit = True
            conns[i] = c
            barrier.wait()  # all connected
            cur = c.cursor()
            cur.execute("SET application_name = 'sess_%d'" % i)
            cur.execute("SHOW application_name")
            results[i] = cur.fetchone()[0]
            barrier.wait()  # all queried
            cur.execute("CREATE CONNECTION PROFILE conc_%d WITH (connector = 'datagen')" % i)
        except Exception as e:  # collected and reported below
            errors.append("session %d: %s: %s" % (i, type(e).__name__, e))
            try:
                barrier.abort()
            except Exception:
                pass

    start = time.time()
    threads = [threading.Thread(target=session, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    elapsed = time.time() - start
    tap.ok(not errors, "%d concurrent sessions connect, query and run DDL (%.1f s)" % (N, elapsed),
           "\n".join(errors[:10]))
    wrong = [i for i in range(N) if results[i] != "sess_%d" % i]
    tap.ok(not wrong, "every session saw its own setting", "wrong: %s" % wrong[:10])
    try:
        c = psycopg2.connect(srv.dsn())
        cur = c.cursor()
        cur.execute("SHOW CONNECTION PROFILES")
        names = {str(v) for row in cur.fetchall() for v in row}
        missing = [i for i in range(N) if "conc_%d" % i not in names]
        tap.ok(not missing, "all %d profiles created concurrently are listed" % N, "missing: %s" % missing[:10])
        c.close()
    except Exception as e:
        tap.ok(False, "all profiles created concurrently are listed", e)
    for c in conns:
        if c is not None:
            c.close()
    stuck.close()
    tap.ok(srv.alive(), "server alive after the concurrent load")
    tap.ok(srv.stop(), "server shuts down cleanly")

tap.done()
