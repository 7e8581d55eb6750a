"""laminar_server.py: a private laminard for Python tests, plus TAP output.

    import sys, os
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
    from laminar_server import Server, Tap

    tap = Tap()
    with Server() as srv:                # fresh data dir, free ports, waits until ready
        conn = psycopg2.connect(srv.dsn())
        tap.ok(..., "description")
    tap.done()                            # prints the plan, exits 1 on failure

Run under Debian's /usr/bin/python3 (DESIGN.md §11): the python3 first on PATH
may lack python3-psycopg2 / python3-psycopg.  Only 127.0.0.1 is used; the temp
dir and the server go away on exit (also on exceptions).
"""
import os
import atexit
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILDDIR = os.environ.get("LM_BUILDDIR", SRCDIR)
LAMINARD = os.environ.get("LAMINARD", os.path.join(BUILDDIR, "laminard"))

for _var in ("PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGPASSWORD", "PGPASSFILE",
             "PGDATABASE", "PGSERVICE", "PGSERVICEFILE", "PGSSLMODE", "PGOPTIONS", "PGAPPNAME"):
    os.environ.pop(_var, None)
os.environ["PGTZ"] = "UTC"


def free_port():
    """A TCP port on 127.0.0.1 that nothing is bound to right now."""
    for _ in range(200):
        port = random.randint(20000, 60999)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port found")


def port_accepts(port, timeout=0.5):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


class Server:
    """One laminard process on a temp data dir (or a given one)."""

    def __init__(self, args=(), config=None, datadir=None, start_timeout=30):
        self.tmp = tempfile.mkdtemp(prefix="laminar-test.")
        self.datadir = datadir or os.path.join(self.tmp, "data")
        self.log_path = os.path.join(self.tmp, "laminard.log")
        self.args = list(args)
        self.start_timeout = start_timeout
        self.proc = None
        self.port = None
        self.http_port = None
        atexit.register(self.close)  # no server or temp dir outlives the test, whatever happens
        if config is not None:
            self.config_path = os.path.join(self.tmp, "laminar.conf")
            with open(self.config_path, "w") as f:
                f.write(config)
            self.args += ["--config", self.config_path]

    def __enter__(self):
        if not self.alive():
            self.start()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _launch(self):
        if self.alive():
            raise RuntimeError("laminard is already running (pid %d)" % self.proc.pid)
        log = open(self.log_path, "ab")
        cmd = [LAMINARD, "-D", self.datadir, "--listen", "127.0.0.1", "--port", str(self.port),
               "--http-port", str(self.http_port)] + self.args
        log.write(("# starting " + " ".join(cmd) + "\n").encode())
        log.flush()
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.time() + self.start_timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            if self.ready():
                return True
            time.sleep(0.1)
        self.proc.kill()
        self.proc.wait()
        return False

    def ready(self):
        r = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port),
                            "-U", "laminar", "-d", "laminar", "-t", "2"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return r.returncode == 0

    def start(self):
        if not os.access(LAMINARD, os.X_OK):
            raise RuntimeError("laminard not built: " + LAMINARD)
        for _ in range(3):
            self.port, self.http_port = free_port(), free_port()
            if self._launch():
                return
            if "address already in use" not in self.log_tail().lower():
                break
        raise RuntimeError("laminard did not start:\n" + self.log_tail())

    def restart(self):
        if not self._launch():
            raise RuntimeError("laminard did not restart:\n" + self.log_tail())

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """SIGTERM and wait; returns False when it had crashed or did not stop cleanly."""
        if self.proc is None:
            return True
        proc, self.proc = self.proc, None
        if proc.poll() is not None:
            return False
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=20) == 0
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return False

    def kill9(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            self.stop()
        if not os.path.isdir(self.tmp):
            return
        if os.environ.get("LM_KEEP_TMP") == "1":
            sys.stderr.write("# kept %s\n" % self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def log_tail(self, n=20):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def dsn(self, user="laminar", dbname="laminar", **kw):
        parts = {"host": "127.0.0.1", "port": str(self.port), "user": user, "dbname": dbname,
                 "connect_timeout": "10"}
        parts.update({k: str(v) for k, v in kw.items()})
        return " ".join("%s=%s" % (k, v) for k, v in parts.items())

    def psql(self, sql, user="laminar", check=True, extra=()):
        """Runs sql through psql -X; returns CompletedProcess (text)."""
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
               str(self.port), "-U", user, "-d", "laminar"] + list(extra) + ["-c", sql]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if check and r.returncode != 0:
            raise RuntimeError("psql failed: " + r.stderr)
        return r


class Tap:
    """TAP lines counted by regress/run.sh."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc, diag=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, desc), flush=True)
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, desc), flush=True)
            if diag:
                self.diag(diag)
        return bool(cond)

    def skip(self, reason, desc):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, desc, reason), flush=True)

    def diag(self, text):
        for line in str(text).splitlines():
            print("#   " + line, flush=True)

    def run(self, desc, fn):
        """Calls fn(); passes when it returns truthy without raising."""
        try:
            result = fn()
        except Exception as e:  # a failed check, not a crash of the test
            return self.ok(False, desc, "%s: %s" % (type(e).__name__, e))
        return self.ok(result is None or bool(result), desc)

    def bail(self, desc, diag=None):
        self.ok(False, desc, diag)
        self.done()

    def done(self):
        print("1..%d" % self.n, flush=True)
        sys.exit(1 if self.failed else 0)
