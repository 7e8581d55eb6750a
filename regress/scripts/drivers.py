"""drivers: Debian's drivers against laminard.  psycopg2 (simple protocol,
client-side parameters, implicit BEGIN outside autocommit) and psycopg 3
(extended protocol: prepare=True, binary=True) run DDL, SET and SHOW; error
SQLSTATEs and transaction status as drivers see them; SHOW ALL's shape;
CancelRequest for an idle session and with wrong keys is harmless, and one
with the right keys cancels a running statement (pg_sleep) with 57014;
SQL-level PREPARE/EXECUTE/DEALLOCATE through psycopg2, sharing the namespace
of the protocol's named statements (libpq's PQprepare/PQexecPrepared through
psycopg 3's pgconn; EXECUTE itself prepared) and listed in
pg_prepared_statements."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402
import pgproto  # noqa: E402

import psycopg2  # noqa: E402
import psycopg2.extensions  # noqa: E402
import psycopg  # noqa: E402

tap = Tap()
try:
    srv = Server()
    srv.start()
except Exception as e:
    tap.bail("laminard starts", e)

PROFILE = ("CREATE CONNECTION PROFILE {name} WITH (connector = 'kafka', "
           "bootstrap_servers = '127.0.0.1:9092')")
SOURCE = ("CREATE SOURCE TABLE {name} (id BIGINT NOT NULL, v DOUBLE, tags ARRAY<STRING>, "
          "ts TIMESTAMP NOT NULL) WITH (connector = 'kafka', profile = '{profile}', topic = 't', "
          "format = 'json', event_time_field = 'ts', watermark_delay = '1 second')")


def names_in(rows):
    return {str(v) for row in rows for v in row}


with srv:
    # ---------------- psycopg2
    def psycopg2_basics():
        c = psycopg2.connect(srv.dsn(application_name="psycopg2_test"))
        tap.ok(c.server_version // 10000 == 15, "psycopg2: server_version is 15.x (%d)" % c.server_version)
        tap.ok(c.get_parameter_status("server_encoding") == "UTF8", "psycopg2: server_encoding UTF8")
        tap.ok(c.get_parameter_status("application_name") == "psycopg2_test",
               "psycopg2: application_name from the startup packet is announced")
        c.autocommit = True
        cur = c.cursor()
        cur.execute(PROFILE.format(name="py2_prof"))
        cur.execute(SOURCE.format(name="py2_src", profile="py2_prof"))
        cur.execute("SHOW SOURCE TABLES")
        tap.ok("py2_src" in names_in(cur.fetchall()), "psycopg2: DDL then SHOW SOURCE TABLES")
        cur.execute("SHOW CREATE SOURCE TABLE py2_src")
        row = cur.fetchone()
        tap.ok(row is not None and "py2_src" in row[-1], "psycopg2: SHOW CREATE SOURCE TABLE")
        # client-side parameter interpolation (psycopg2 sends a literal)
        cur.execute("SET application_name = %s", ("it's psycopg2",))
        cur.execute("SHOW application_name")
        tap.ok(cur.fetchone()[0] == "it's psycopg2", "psycopg2: SET with a quoted parameter, SHOW")
        tap.ok(c.get_parameter_status("application_name") == "it's psycopg2",
               "psycopg2: ParameterStatus re-announced after SET")
        cur.execute("SHOW ALL")
        rows = cur.fetchall()
        cols = [d.name for d in cur.description]
        tap.ok(len(rows) >= 10 and cols == ["name", "setting", "description"],
               "psycopg2: SHOW ALL returns name, setting, description (%d rows, %s)" % (len(rows), cols))
        try:
            cur.execute("CREATE SOURCE TABEL x (id INT)")
            tap.ok(False, "psycopg2: syntax error raises")
        except psycopg2.Error as e:
            tap.ok(e.pgcode == "42601", "psycopg2: syntax error has SQLSTATE 42601 (%s)" % e.pgcode)
        # transactions: psycopg2 opens them implicitly when autocommit is off
        c.autocommit = False
        cur.execute("SHOW application_name")
        tap.ok(c.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_INTRANS,
               "psycopg2: implicit BEGIN gives transaction status T")
        try:
            cur.execute("DROP SOURCE TABLE no_such_table")
        except psycopg2.Error as e:
            tap.ok(e.pgcode == "42P01", "psycopg2: error in a transaction (%s)" % e.pgcode)
        tap.ok(c.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_INERROR,
               "psycopg2: transaction status E after the error")
        try:
            cur.execute("SHOW application_name")
            tap.ok(False, "psycopg2: statement in a failed transaction fails")
        except psycopg2.Error as e:
            tap.ok(e.pgcode == "25P02", "psycopg2: statement in a failed transaction gets 25P02 (%s)" % e.pgcode)
        c.rollback()
        tap.ok(c.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_IDLE,
               "psycopg2: idle after rollback")
        cur.execute("SHOW application_name")
        cur.fetchall()
        c.commit()
        # cancel: idle session, then wrong keys
        c.cancel()
        cur.execute("SHOW server_version")
        tap.ok(cur.fetchone()[0].startswith("15"), "psycopg2: a cancel while idle does no harm")
        pid = c.info.backend_pid
        tap.ok(pgproto.send_cancel(srv.port, pid, 12345), "CancelRequest with wrong keys: connection closed")
        cur.execute("SHOW server_version")
        cur.fetchall()
        tap.ok(True, "session unaffected by a CancelRequest with wrong keys")
        c.rollback()  # the SHOWs above opened an implicit transaction
        c.autocommit = True
        cur.execute("DROP SOURCE TABLE py2_src")
        cur.execute("DROP CONNECTION PROFILE py2_prof")
        c.close()

    tap.run("psycopg2: session runs to the end", psycopg2_basics)

    def cancel_running():
        import threading
        import time
        c = psycopg2.connect(srv.dsn())
        c.autocommit = True
        cur = c.cursor()
        timer = threading.Timer(0.5, c.cancel)
        timer.start()
        started = time.monotonic()
        try:
            cur.execute("SELECT pg_sleep(30)")
            tap.ok(False, "CancelRequest cancels a running statement")
        except psycopg2.Error as e:
            tap.ok(e.pgcode == "57014", "CancelRequest cancels a running statement (%s)" % e.pgcode)
        timer.join()
        tap.ok(time.monotonic() - started < 25, "the cancelled statement ended early")
        cur.execute("SELECT 1")
        tap.ok(cur.fetchone()[0] == 1, "session usable after a cancel")
        c.close()

    tap.run("cancel of a running statement", cancel_running)

    def sql_prepared_statements():
        c = psycopg2.connect(srv.dsn())
        c.autocommit = True
        cur = c.cursor()
        cur.execute("PREPARE twice(int, text) AS SELECT $1 * 2 AS doubled, upper($2) AS shout")
        cur.execute("EXECUTE twice(%s, %s)", (21, "it's"))
        tap.ok(cur.fetchall() == [(42, "IT'S")] and [d.name for d in cur.description] == ["doubled", "shout"],
               "psycopg2: EXECUTE of a PREPARE'd statement returns its rows and columns")
        tap.ok(cur.statusmessage == "SELECT 1", "psycopg2: EXECUTE's tag is the inner statement's (%s)"
               % cur.statusmessage)
        errors = {}
        for sql in ("EXECUTE nosuch", "EXECUTE twice(1)", "PREPARE twice AS SELECT 1", "DEALLOCATE nosuch"):
            try:
                cur.execute(sql)
                errors[sql] = None
            except psycopg2.Error as e:
                errors[sql] = e.pgcode
        tap.ok(errors == {"EXECUTE nosuch": "26000", "EXECUTE twice(1)": "42601",
                          "PREPARE twice AS SELECT 1": "42P05", "DEALLOCATE nosuch": "26000"},
               "psycopg2: PREPARE/EXECUTE/DEALLOCATE errors have PostgreSQL's SQLSTATEs (%s)" % errors)
        c.close()

        # the protocol's named statements and SQL's are one namespace
        c3 = psycopg.connect(srv.dsn(), autocommit=True)
        pq = c3.pgconn
        c3.execute("PREPARE by_sql(int) AS SELECT $1 + 1 AS next")
        res = pq.exec_prepared(b"by_sql", [b"41"])
        tap.ok(res.status == psycopg.pq.ExecStatus.TUPLES_OK and res.get_value(0, 0) == b"42",
               "psycopg3: Bind of a PREPARE'd statement by name")
        res = pq.prepare(b"by_sql", b"SELECT 1")
        tap.ok(res.error_field(psycopg.pq.DiagnosticField.SQLSTATE) == b"42P05",
               "psycopg3: Parse of a PREPARE'd name gives 42P05")
        res = pq.prepare(b"by_proto", b"SELECT $1::int * 3 AS tripled")
        tap.ok(res.status == psycopg.pq.ExecStatus.COMMAND_OK, "psycopg3: Parse of a named statement")
        row = c3.execute("EXECUTE by_proto(5)").fetchone()
        tap.ok(row == (15,), "psycopg3: EXECUTE of a statement named by Parse (%r)" % (row,))
        rows = c3.execute("SELECT name, from_sql, parameter_types::text FROM pg_prepared_statements "
                          "ORDER BY name").fetchall()
        tap.ok(rows == [("by_proto", False, "{integer}"), ("by_sql", True, "{integer}")],
               "psycopg3: pg_prepared_statements lists both (%r)" % rows)
        # EXECUTE itself through Parse/Bind/Execute (psycopg 3 prepares it after repeated use):
        # its rows have the target's columns as they are at Bind, as in PostgreSQL
        c3.execute("PREPARE shape AS SELECT 1 AS one")
        r1 = [c3.execute("EXECUTE shape", prepare=True).fetchall() for _ in range(3)]
        c3.execute("DEALLOCATE shape")
        c3.execute("PREPARE shape AS SELECT 'a' AS one")
        r2 = c3.execute("EXECUTE shape", prepare=True).fetchall()
        tap.ok(r1 == [[(1,)]] * 3 and r2 == [("a",)],
               "psycopg3: prepared EXECUTE follows its target when prepared anew (%r, %r)" % (r1, r2))
        c3.execute("DEALLOCATE by_proto")
        res = pq.exec_prepared(b"by_proto", [b"1"])
        tap.ok(res.error_field(psycopg.pq.DiagnosticField.SQLSTATE) == b"26000",
               "psycopg3: DEALLOCATE drops a statement named by Parse")
        c3.close()

    tap.run("SQL prepared statements", sql_prepared_statements)

    # ---------------- psycopg 3: extended protocol
    def psycopg3_extended():
        with psycopg.connect(srv.dsn(), autocommit=True) as c:
            tap.ok(c.info.server_version // 10000 == 15, "psycopg3: server_version 15.x")
            cur = c.cursor()
            cur.execute(PROFILE.format(name="py3_prof"), prepare=True)
            cur.execute(SOURCE.format(name="py3_src", profile="py3_prof"), prepare=True)
            tap.ok(True, "psycopg3: DDL through Parse/Bind/Execute (prepare=True)")
            cur.execute("SHOW SOURCE TABLES", prepare=True)
            tap.ok("py3_src" in names_in(cur.fetchall()), "psycopg3: SHOW SOURCE TABLES (extended)")
            cur.execute("SET application_name = 'psycopg3'", prepare=True)
            tap.ok(c.info.parameter_status("application_name") == "psycopg3",
                   "psycopg3: SET (extended) re-announces ParameterStatus")
            bcur = c.cursor(binary=True)
            for i in range(3):  # psycopg prepares server-side after repeated use
                bcur.execute("SHOW application_name", prepare=True)
                value = bcur.fetchone()[0]
            tap.ok(value == "psycopg3", "psycopg3: SHOW with binary results, prepared statement reused (%r)" % value)
            bcur.execute("SHOW server_version", binary=True)
            tap.ok(bcur.fetchone()[0].startswith("15"), "psycopg3: unnamed statement, binary result")
            bcur.execute("SHOW CREATE SOURCE TABLE py3_src", binary=True)
            tap.ok("py3_src" in bcur.fetchone()[-1], "psycopg3: SHOW CREATE (binary)")
            try:
                cur.execute("SHOW CREATE SOURCE TABLE", prepare=True)
                tap.ok(False, "psycopg3: syntax error raises")
            except psycopg.Error as e:
                tap.ok(e.sqlstate == "42601", "psycopg3: syntax error via Parse has 42601 (%s)" % e.sqlstate)
            cur.execute("SHOW application_name", prepare=True)
            tap.ok(cur.fetchone()[0] == "psycopg3", "psycopg3: session usable after an extended-protocol error")
            with c.transaction():
                cur.execute("SET LOCAL application_name = 'in_tx'", prepare=True)
                cur.execute("SHOW application_name", prepare=True)
                tap.ok(cur.fetchone()[0] == "in_tx", "psycopg3: SET LOCAL inside a transaction")
            cur.execute("SHOW application_name")
            tap.ok(cur.fetchone()[0] == "psycopg3", "psycopg3: SET LOCAL undone at COMMIT")
            cur.execute("DROP SOURCE TABLE py3_src", prepare=True)
            cur.execute("DROP CONNECTION PROFILE py3_prof", prepare=True)
            # pipeline mode: several extended-protocol statements before one Sync
            # (as with PostgreSQL, a cursor that executes twice in one pipeline keeps the first
            # result, so the SHOW gets a cursor of its own)
            show = c.cursor()
            with c.pipeline():
                cur.execute("SET application_name = 'piped'")
                show.execute("SHOW application_name")
            tap.ok(show.fetchone()[0] == "piped", "psycopg3: pipeline mode")

    tap.run("psycopg3: session runs to the end", psycopg3_extended)
    tap.ok(srv.stop(), "server shuts down cleanly")

tap.done()
