"""timezones_pg: TIMESTAMPTZ in many time zones against a real PostgreSQL 15.

For each zone (DST in both hemispheres, negative DST, half-hour and
45-minute offsets, zones that skipped a day, 24:00 rule times, LMT before
the first transition, the POSIX footer far in the future), the session's
TimeZone is set on a scratch PostgreSQL 15 and on laminard, and digests of
the same series are compared: UTC instants from 1850 to 2200 printed in the
zone; local wall times over the same span read in the zone (gaps and
overlaps included); and date_trunc, date_part, to_char TZ/OF, timestamptz
+/- interval and ::date around the DST changes of 2000-2060.  One check per
zone and series; a mismatch prints both digests' queries so the difference
can be bisected by hand.  Skips when PostgreSQL 15 is not installed or
laminard does not run SELECT yet.  Both servers use the system tz database
(Debian's PostgreSQL is built --with-system-tzdata).
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

ZONES = [
    "America/New_York", "America/Los_Angeles", "America/Sao_Paulo", "America/Santiago",
    "America/St_Johns", "America/Godthab", "America/Havana", "America/Asuncion",
    "America/Caracas", "Europe/London", "Europe/Dublin", "Europe/Paris", "Europe/Moscow",
    "Africa/Casablanca", "Asia/Kolkata", "Asia/Tehran", "Asia/Kathmandu", "Asia/Gaza",
    "Australia/Lord_Howe", "Australia/Adelaide", "Pacific/Chatham", "Pacific/Apia",
    "Pacific/Kiritimati", "Antarctica/Troll", "EST5EDT", "Etc/GMT-14", "UTC+3", "+05:30",
]

SERIES = {
    "output": "SELECT count(*), md5(string_agg(t::text, ',' ORDER BY t)) FROM generate_series("
              "timestamptz '1850-01-01 00:00+00', timestamptz '2200-01-01 00:00+00', "
              "interval '6 days 7 hours 13 minutes 17 seconds') t",
    "input": "SELECT count(*), md5(string_agg(extract(epoch FROM l::timestamptz)::text, ',' "
             "ORDER BY l)) FROM generate_series(timestamp '1850-01-01 00:00', "
             "timestamp '2200-01-01 00:00', interval '4 days 5 hours 17 minutes') l",
    "input near changes": "SELECT count(*), md5(string_agg(extract(epoch FROM l::timestamptz)::text, "
                          "',' ORDER BY l)) FROM generate_series(timestamp '2024-01-01 00:00', "
                          "timestamp '2026-01-01 00:00', interval '37 minutes') l",
    "functions": "SELECT count(*), md5(string_agg(date_trunc('day', t)::text || date_trunc('hour', t)::text"
                 " || date_part('hour', t)::text || date_part('timezone', t)::text"
                 " || to_char(t, 'TZ OF') || (t + interval '1 day')::text || (t::date)::text"
                 " || (t - interval '1 month')::text, ',' ORDER BY t)) FROM generate_series("
                 "timestamptz '2000-01-01 00:00+00', timestamptz '2060-01-01 00:00+00', "
                 "interval '2 days 3 hours 7 minutes') t",
}

tap = Tap()


def psql(port, user, sql):
    env = dict(os.environ, PGCLIENTENCODING="UTF8")
    r = subprocess.run(["psql", "-X", "-At", "-h", "127.0.0.1", "-p", str(port), "-U", user,
                        "-d", user, "-c", sql], capture_output=True, text=True, env=env,
                       timeout=120)
    return (r.stdout + r.stderr).strip()


class ScratchPostgres:
    """A throw-away PostgreSQL 15 cluster (as user postgres when running as root); the same
    recipe as functions_pg.py."""

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


def checks():
    for zone in ZONES:
        for name, query in SERIES.items():
            yield zone, name, "SET TIME ZONE '%s'; %s" % (zone, query)


if not os.path.exists(os.path.join(PGBIN, "initdb")) or shutil.which("psql") is None:
    for zone, name, _ in checks():
        tap.skip("PostgreSQL 15 is not installed", "%s: %s" % (zone, name))
    tap.done()

pg = ScratchPostgres()
try:
    pg.start()
except Exception as e:
    pg.stop()
    tap.bail("scratch PostgreSQL starts", e)

try:
    with Server() as srv:
        probe = psql(srv.port, "laminar", "select 1")
        if probe != "1":
            for zone, name, _ in checks():
                tap.skip("laminard does not run SELECT yet (%s)" % probe.splitlines()[0][:60],
                         "%s: %s" % (zone, name))
        else:
            for zone, name, sql in checks():
                want = psql(pg.port, "postgres", sql)
                got = psql(srv.port, "laminar", sql)
                tap.ok(got == want, "%s: %s" % (zone, name),
                       "laminar:    %s\npostgresql: %s\nquery: %s" % (got, want, sql))
finally:
    pg.stop()
tap.done()
