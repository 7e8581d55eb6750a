"""pgserver.py: a private PostgreSQL 15 (Debian's) for tests that talk to a real PostgreSQL.

    from pgserver import PgServer
    with PgServer() as pg:               # initdb in a temp dir, free port, started, ready
        conn = psycopg2.connect(pg.dsn())
        pg.port, pg.host, pg.user        # user "postgres", trust authentication on 127.0.0.1
        pg.stop(); pg.start()            # e.g. to test an unreachable database

The cluster runs as the postgres OS user (runuser) when the test runs as root; it listens
on 127.0.0.1 only with a Unix socket in its temp dir.  Everything goes away on exit (also on
exceptions: atexit), with `pg_ctl stop -m immediate`.  LM_KEEP_TMP=1 keeps the temp dir.
"""
import atexit
import os
import pwd
import shutil
import subprocess
import tempfile
import time

from laminar_server import free_port

PGBIN = os.environ.get("LM_PGBIN", "/usr/lib/postgresql/15/bin")


class PgServer:
    def __init__(self, settings=None):
        self.host = "127.0.0.1"
        self.user = "postgres"
        self.port = None
        self.settings = dict(settings or {})
        self.tmp = tempfile.mkdtemp(prefix="laminar-pg.")
        self.datadir = os.path.join(self.tmp, "data")
        self.log_path = os.path.join(self.tmp, "postgres.log")
        self.running = False
        self.as_user = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.tmp, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        atexit.register(self.close)

    def _run(self, args, check=True):
        return subprocess.run(self.as_user + args, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, check=check, cwd=self.tmp)

    def __enter__(self):
        self.init()
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def init(self):
        self._run([os.path.join(PGBIN, "initdb"), "-D", self.datadir, "-U", "postgres",
                   "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"])
        with open(os.path.join(self.datadir, "postgresql.conf"), "a") as f:
            base = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                    "max_connections": "100", "shared_buffers": "128MB",
                    "max_wal_size": "1GB", "timezone": "'UTC'"}
            base.update(self.settings)
            for k, v in base.items():
                f.write("%s = %s\n" % (k, v))

    def start(self):
        for _ in range(3):
            if self.port is None or not self.running:
                self.port = self.port or free_port()
            r = self._run([os.path.join(PGBIN, "pg_ctl"), "-D", self.datadir, "-l",
                           self.log_path, "-w", "-t", "30", "-o",
                           "-p %d -k %s -h 127.0.0.1" % (self.port, self.tmp), "start"],
                          check=False)
            if r.returncode == 0:
                self.running = True
                return
            self.port = None
        raise RuntimeError("postgres did not start:\n" + self.log_tail())

    def stop(self, mode="fast"):
        if self.running:
            self._run([os.path.join(PGBIN, "pg_ctl"), "-D", self.datadir, "-m", mode, "-w",
                       "stop"], check=False)
            self.running = False

    def log_tail(self, n=20):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def dsn(self, dbname="postgres"):
        return "host=%s port=%d user=%s dbname=%s" % (self.host, self.port, self.user, dbname)

    def close(self):
        self.stop("immediate")
        if self.tmp and not os.environ.get("LM_KEEP_TMP"):
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
