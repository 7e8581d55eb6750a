"""auth: per-address/user authentication rules from the config file: trust,
cleartext password and SCRAM-SHA-256 logins with psql and psycopg2, the
SQLSTATE of failed logins (28P01, 28000) seen on the wire, the SCRAM server
signature, ALTER/DROP ROLE taking effect, no plaintext password at rest."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402
import pgproto  # noqa: E402

import psycopg2  # noqa: E402

tap = Tap()
CONFIG = """# regress auth.py
auth = 'loopback laminar trust'
auth = 'all bob password'
auth = 'all mallory reject'
auth = 'all all scram-sha-256'
"""


def psql_as(srv, user, password, sql="SHOW session_authorization"):
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = password
    return subprocess.run(["psql", "-X", "-At", "-w", "-h", "127.0.0.1", "-p", str(srv.port), "-U", user,
                           "-d", "laminar", "-c", sql], capture_output=True, text=True, env=env,
                          timeout=30)


try:
    srv = Server(config=CONFIG)
    srv.start()
except Exception as e:
    tap.bail("laminard starts with auth rules", e)

with srv:
    tap.ok(pgproto.auth_method(srv.port, "laminar") == "ok", "trust rule: laminar logs in without a password")
    try:
        srv.psql("CREATE ROLE alice LOGIN PASSWORD 'alice-secret-pw'; "
                 "CREATE ROLE bob LOGIN PASSWORD 'bob-secret-pw'; "
                 "CREATE ROLE nologin_role PASSWORD 'x-secret-pw'; "
                 "CREATE ROLE mallory LOGIN PASSWORD 'mallory-pw'")
        tap.ok(True, "CREATE ROLE ... LOGIN PASSWORD as the bootstrap superuser")
    except Exception as e:
        tap.ok(False, "CREATE ROLE ... LOGIN PASSWORD as the bootstrap superuser", e)

    # SCRAM
    tap.ok(pgproto.auth_method(srv.port, "alice") == "scram", "alice is asked for SCRAM-SHA-256")
    r = psql_as(srv, "alice", "alice-secret-pw")
    tap.ok(r.returncode == 0 and r.stdout.strip() == "alice", "psql as alice with the right password (SCRAM)",
           r.stderr)
    r = psql_as(srv, "alice", "wrong")
    tap.ok(r.returncode != 0 and "password authentication failed" in r.stderr,
           "psql as alice with a wrong password fails", r.stderr or r.stdout)
    try:
        tap.ok(pgproto.connect_error(srv.port, "alice", "alice-secret-pw") is None,
               "SCRAM login verified the server signature")
    except Exception as e:
        tap.ok(False, "SCRAM login verified the server signature", e)
    err = pgproto.connect_error(srv.port, "alice", "wrong")
    tap.ok(err is not None and err.get("C") == "28P01" and err.get("S") == "FATAL",
           "wrong SCRAM password: FATAL 28P01 on the wire", err)
    err = pgproto.connect_error(srv.port, "no_such_user", "whatever")
    tap.ok(err is not None and err.get("C") in ("28P01", "28000"),
           "unknown user fails like a wrong password (28P01/28000)", err)
    try:
        c = psycopg2.connect(srv.dsn(user="alice", password="alice-secret-pw"))
        cur = c.cursor()
        cur.execute("SHOW session_authorization")
        tap.ok(cur.fetchone()[0] == "alice", "psycopg2 logs in as alice with SCRAM")
        c.close()
    except Exception as e:
        tap.ok(False, "psycopg2 logs in as alice with SCRAM", e)
    try:
        psycopg2.connect(srv.dsn(user="alice", password="nope"))
        tap.ok(False, "psycopg2 with a wrong password is refused")
    except psycopg2.OperationalError as e:
        tap.ok("password authentication failed" in str(e), "psycopg2 with a wrong password is refused", e)

    # cleartext password method
    tap.ok(pgproto.auth_method(srv.port, "bob") == "password", "bob is asked for a cleartext password")
    r = psql_as(srv, "bob", "bob-secret-pw")
    tap.ok(r.returncode == 0 and r.stdout.strip() == "bob", "psql as bob with the right password (cleartext)",
           r.stderr)
    err = pgproto.connect_error(srv.port, "bob", "wrong")
    tap.ok(err is not None and err.get("C") == "28P01", "wrong cleartext password: 28P01", err)

    # reject rule, NOLOGIN role
    err = pgproto.connect_error(srv.port, "mallory", "mallory-pw")
    tap.ok(err is not None and err.get("C") in ("28000", "28P01"), "reject rule refuses mallory", err)
    err = pgproto.connect_error(srv.port, "nologin_role", "x-secret-pw")
    tap.ok(err is not None and err.get("C") == "28000", "a role without LOGIN cannot log in (28000)", err)

    # ALTER ROLE ... PASSWORD, DROP ROLE
    srv.psql("ALTER ROLE alice PASSWORD 'alice-new-pw'")
    tap.ok(pgproto.connect_error(srv.port, "alice", "alice-secret-pw") is not None,
           "after ALTER ROLE the old password fails")
    tap.ok(pgproto.connect_error(srv.port, "alice", "alice-new-pw") is None,
           "after ALTER ROLE the new password works")
    srv.psql("ALTER ROLE alice NOLOGIN")
    err = pgproto.connect_error(srv.port, "alice", "alice-new-pw")
    tap.ok(err is not None and err.get("C") == "28000", "ALTER ROLE NOLOGIN takes effect", err)
    srv.psql("DROP ROLE alice")
    err = pgproto.connect_error(srv.port, "alice", "alice-new-pw")
    tap.ok(err is not None, "a dropped role cannot log in", err)

    # passwords are stored as verifiers only
    leaked = subprocess.run(["grep", "-rla", "-e", "alice-secret-pw", "-e", "bob-secret-pw", "-e",
                             "alice-new-pw", srv.datadir, srv.log_path], capture_output=True, text=True)
    tap.ok(leaked.stdout.strip() == "", "no plaintext password in the data directory or the log",
           leaked.stdout)
    tap.ok(srv.stop(), "server shuts down cleanly")

tap.done()
