"""functions_pg: the scalar function library against a real PostgreSQL 15.

Every line of functions_pg.sql is one single-row SELECT.  It runs through
psql -At against a scratch PostgreSQL 15 (initdb in a temp dir, 127.0.0.1
only) and against laminard; the printed results, or the SQLSTATE and message
of the error, must be identical.  A line ending in `-- known: REASON` is a
documented difference: it passes when the outputs agree and is reported as
skipped (with the reason) when they do not.  Lines that call session facts
(version(), current_user, ...) are not in the corpus: test_functions.c
covers those.  Skips everything when PostgreSQL 15 is not installed or
laminard does not run SELECT yet.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap, free_port, port_accepts  # noqa: E402

PGBIN = "/usr/lib/postgresql/15/bin"
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "functions_pg.sql")

tap = Tap()


def corpus():
    with open(CORPUS, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("--"):
                continue
            known = None
            if " -- known: " in line:
                line, known = line.split(" -- known: ", 1)
            yield lineno, line.strip(), known


def normalize(out):
    """psql's output without the parts that differ by design (positions, source locations)."""
    keep = []
    for line in out.splitlines():
        if line.startswith(("LOCATION:", "HINT:", "DETAIL:", "CONTEXT:", "LINE ")):
            continue
        if line.strip() and set(line.strip()) <= {"^"}:
            continue
        if line.startswith("psql:"):
            line = line.split(": ", 1)[1] if ": " in line else line
        keep.append(line)
    return "\n".join(keep).strip()


def psql(port, user, dbname, sql):
    env = dict(os.environ, PGTZ="UTC", PGCLIENTENCODING="UTF8")
    r = subprocess.run(["psql", "-X", "-At", "-v", "VERBOSITY=verbose", "-h", "127.0.0.1",
                        "-p", str(port), "-U", user, "-d", dbname, "-c", sql],
                       capture_output=True, text=True, env=env, timeout=60)
    return normalize(r.stdout + r.stderr)


class ScratchPostgres:
    """A throw-away PostgreSQL 15 cluster (as user postgres when running as root)."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="laminar-pg.")
        self.data = os.path.join(self.tmp, "data")
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0

    def _cmd(self, args):
        return (["runuser", "-u", "postgres", "--"] + args) if self.as_postgres else args

    def start(self):
        if self.as_postgres:
            shutil.chown(self.tmp, "postgres", "postgres")
        subprocess.run(self._cmd([os.path.join(PGBIN, "initdb"), "-D", self.data, "-A", "trust",
                                  "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True, timeout=120)
        subprocess.run(self._cmd([os.path.join(PGBIN, "pg_ctl"), "-D", self.data, "-w", "-l",
                                  os.path.join(self.tmp, "log"), "-o",
                                  "-p %d -k %s -c listen_addresses=127.0.0.1 -c TimeZone=UTC"
                                  % (self.port, self.tmp), "start"]),
                       check=True, capture_output=True, timeout=120)
        for _ in range(100):
            if port_accepts(self.port):
                return
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start")

    def stop(self):
        subprocess.run(self._cmd([os.path.join(PGBIN, "pg_ctl"), "-D", self.data, "-m", "fast",
                                  "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(self.tmp, ignore_errors=True)


cases = list(corpus())
if not os.path.exists(os.path.join(PGBIN, "initdb")) or shutil.which("psql") is None:
    for lineno, sql, _ in cases:
        tap.skip("PostgreSQL 15 is not installed", "line %d: %s" % (lineno, sql[:60]))
    tap.done()

pg = ScratchPostgres()
try:
    pg.start()
except Exception as e:
    pg.stop()
    tap.bail("scratch PostgreSQL starts", e)

try:
    with Server() as srv:
        probe = psql(srv.port, "laminar", "laminar", "select 1")
        if probe != "1":
            for lineno, sql, _ in cases:
                tap.skip("laminard does not run SELECT yet (%s)" % probe.splitlines()[0][:60],
                         "line %d: %s" % (lineno, sql[:60]))
        else:
            for lineno, sql, known in cases:
                want = psql(pg.port, "postgres", "postgres", sql)
                got = psql(srv.port, "laminar", "laminar", sql)
                desc = "line %d: %s" % (lineno, sql[:70])
                if got == want:
                    tap.ok(True, desc)
                elif known:
                    tap.skip("known difference: %s" % known, desc)
                else:
                    tap.ok(False, desc, "laminar:    %s\npostgresql: %s" % (got, want))
finally:
    pg.stop()
tap.done()
