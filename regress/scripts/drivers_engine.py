"""drivers_engine: Debian's Python drivers run queries on plain tables through
the query engine (drivers.py covers the session layer: SET/SHOW/DDL).

psycopg2: client-side parameters of every common Python type (int, str with
quotes, Decimal, aware datetime, date, bool, None, list, Json), executemany,
typed results, implicit transactions with commit/rollback, 23505 and 25P02,
information_schema introspection.
psycopg 3: server-side parameters ($n) in text and binary (binary=True),
statements reused more than prepare_threshold times (server-side prepared),
executemany (pipelined), transaction blocks and nested savepoints,
TypeInfo.fetch (psycopg's catalog lookup).
SQLAlchemy (Debian's python3-sqlalchemy, PostgreSQL dialect over psycopg2):
engine start-up, inspect() of a table (columns, primary key), reflection
with autoload, Core insert/select/update in a transaction.
"""
import datetime
import decimal
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402

import psycopg2  # noqa: E402
import psycopg2.extensions  # noqa: E402
import psycopg2.extras  # noqa: E402
import psycopg  # noqa: E402
from psycopg.types import TypeInfo  # noqa: E402
from psycopg.types.json import Json as Json3  # noqa: E402

tap = Tap()
UTC = datetime.timezone.utc
D = decimal.Decimal

try:
    srv = Server()
    srv.start()
except Exception as e:
    tap.bail("laminard starts", e)


OPEN = []  # connections to roll back after a failed check, so the next check starts clean


def check(desc, fn):
    """fn() returns (condition, diagnostic); an exception is a failure."""
    try:
        cond, diag = fn()
    except Exception as e:  # a failed check, not a crash of the test
        for conn in OPEN:
            try:
                conn.rollback()
            except Exception:
                pass
        return tap.ok(False, desc, "%s: %s" % (type(e).__name__, e))
    return tap.ok(cond, desc, diag)


TABLE = ("CREATE TABLE {name} (id int PRIMARY KEY, name text NOT NULL, price numeric(10, 2), "
         "ts timestamptz, day date, flag boolean, tags text[], doc json, big bigint, ratio double precision)")

with srv:
    # ------------------------------------------------------------ psycopg2
    p2 = None
    try:
        p2 = psycopg2.connect(srv.dsn(application_name="drivers_engine_psycopg2"))
        OPEN.append(p2)
    except Exception as e:
        tap.ok(False, "psycopg2: connects", e)

    if p2 is not None:
        cur = p2.cursor()
        row1 = (1, "O'Reilly; DROP TABLE x --", D("12.34"), datetime.datetime(2024, 3, 15, 10, 20, 30, tzinfo=UTC),
                datetime.date(2024, 3, 15), True, ["a", "b c", 'q"uote'], psycopg2.extras.Json({"k": [1, 2]}),
                9007199254740993, 0.25)

        def p2_create():
            p2.autocommit = True
            try:
                cur.execute(TABLE.format(name="t2"))
            finally:
                p2.autocommit = False
            return True, None
        check("psycopg2: CREATE TABLE (autocommit)", p2_create)

        def p2_insert():
            cur.execute("INSERT INTO t2 VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", row1)
            cur.execute("INSERT INTO t2 (id, name) VALUES (%s, %s)", (2, "nulls"))
            p2.commit()
            return True, None
        check("psycopg2: INSERT with client-side parameters of every common type, COMMIT", p2_insert)

        def p2_ddl_dml_one_txn():
            cur.execute("CREATE TABLE t2_made (id int PRIMARY KEY, v text)")
            cur.execute("INSERT INTO t2_made VALUES (%s, %s)", (1, "same transaction"))
            p2.commit()
            cur.execute("SELECT v FROM t2_made")
            r = cur.fetchall()
            p2.commit()
            return r == [("same transaction",)], "got %r" % (r,)
        check("psycopg2: CREATE TABLE then INSERT into it in one (implicit) transaction", p2_ddl_dml_one_txn)

        def p2_select_types():
            cur.execute("SELECT id, name, price, ts, day, flag, tags, doc, big, ratio FROM t2 WHERE id = %s", (1,))
            r = cur.fetchone()
            p2.commit()
            want = (1, row1[1], D("12.34"), row1[3], row1[4], True, row1[6], {"k": [1, 2]}, row1[8], 0.25)
            return r == want, "got %r" % (r,)
        check("psycopg2: SELECT returns int, text, Decimal, aware datetime, date, bool, list, json, bigint, float",
              p2_select_types)

        def p2_nulls():
            cur.execute("SELECT price, ts, day, flag, tags, doc FROM t2 WHERE name = %s", ("nulls",))
            r = cur.fetchone()
            p2.commit()
            return r == (None,) * 6, "got %r" % (r,)
        check("psycopg2: NULLs come back as None", p2_nulls)

        def p2_executemany():
            cur.executemany("INSERT INTO t2 (id, name, price) VALUES (%s, %s, %s)",
                            [(i, "row %d" % i, D(i) / 4) for i in range(10, 30)])
            p2.commit()
            cur.execute("SELECT count(*), sum(price), min(name) FROM t2 WHERE id >= %s", (10,))
            r = cur.fetchone()
            p2.commit()
            return r == (20, D("97.50"), "row 10"), "got %r" % (r,)
        check("psycopg2: executemany of 20 rows, aggregate over them", p2_executemany)

        def p2_in_like():
            cur.execute("SELECT id FROM t2 WHERE id IN %s AND name LIKE %s ORDER BY id", ((10, 11, 12, 99), "row 1%"))
            r = [x[0] for x in cur.fetchall()]
            p2.commit()
            return r == [10, 11, 12], "got %r" % (r,)
        check("psycopg2: tuple parameter for IN, LIKE pattern parameter", p2_in_like)

        def p2_rollback():
            cur.execute("INSERT INTO t2 (id, name) VALUES (%s, %s)", (100, "rolled back"))
            cur.execute("UPDATE t2 SET name = %s WHERE id = %s", ("changed", 2))
            status_in = p2.info.transaction_status
            p2.rollback()
            cur.execute("SELECT (SELECT count(*) FROM t2 WHERE id = 100), (SELECT name FROM t2 WHERE id = 2)")
            r = cur.fetchone()
            p2.commit()
            return (r == (0, "nulls") and status_in == psycopg2.extensions.TRANSACTION_STATUS_INTRANS,
                    "got %r, status in block %r" % (r, status_in))
        check("psycopg2: rollback() discards an INSERT and an UPDATE", p2_rollback)

        def p2_commit_delete():
            cur.execute("DELETE FROM t2 WHERE id >= %s RETURNING id", (25,))
            deleted = sorted(x[0] for x in cur.fetchall())
            p2.commit()
            cur.execute("SELECT count(*) FROM t2")
            n = cur.fetchone()[0]
            p2.commit()
            return deleted == [25, 26, 27, 28, 29] and n == 17, "deleted %r, %d left" % (deleted, n)
        check("psycopg2: DELETE ... RETURNING, committed", p2_commit_delete)

        def p2_unique():
            try:
                cur.execute("INSERT INTO t2 (id, name) VALUES (%s, %s)", (1, "dup"))
                return False, "no error"
            except psycopg2.Error as e:
                code = e.pgcode
            st = p2.info.transaction_status
            try:
                cur.execute("SELECT 1")
                code2 = None
            except psycopg2.Error as e:
                code2 = e.pgcode
            p2.rollback()
            return (code == "23505" and code2 == "25P02" and st == psycopg2.extensions.TRANSACTION_STATUS_INERROR,
                    "codes %r %r, status %r" % (code, code2, st))
        check("psycopg2: duplicate key gives 23505, then 25P02 until rollback", p2_unique)

        def p2_not_null():
            try:
                cur.execute("INSERT INTO t2 (id, name) VALUES (%s, %s)", (3, None))
                return False, "no error"
            except psycopg2.Error as e:
                p2.rollback()
                return e.pgcode == "23502", "pgcode %r" % e.pgcode
        check("psycopg2: NULL into NOT NULL gives 23502", p2_not_null)

        def p2_introspect():
            cur.execute("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                        "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position", ("public", "t2"))
            cols = cur.fetchall()
            p2.commit()
            want = [("id", "integer", "NO"), ("name", "text", "NO"), ("price", "numeric", "YES"),
                    ("ts", "timestamp with time zone", "YES"), ("day", "date", "YES"), ("flag", "boolean", "YES"),
                    ("tags", "ARRAY", "YES"), ("doc", "json", "YES"), ("big", "bigint", "YES"),
                    ("ratio", "double precision", "YES")]
            return cols == want, "got %r" % (cols,)
        check("psycopg2: information_schema.columns describes the table", p2_introspect)

        def p2_description():
            cur.execute("SELECT id, name, price, ts FROM t2 WHERE false")
            oids = [d.type_code for d in cur.description]
            p2.commit()
            return oids == [23, 25, 1700, 1184], "type oids %r" % (oids,)
        check("psycopg2: cursor.description carries the column type OIDs", p2_description)
        p2.close()

    # ------------------------------------------------------------ psycopg 3
    p3 = None
    try:
        p3 = psycopg.connect(srv.dsn(application_name="drivers_engine_psycopg3"))
        OPEN.append(p3)
    except Exception as e:
        tap.ok(False, "psycopg3: connects", e)

    if p3 is not None:
        ts = datetime.datetime(2024, 3, 15, 10, 20, 30, 123456, tzinfo=UTC)
        row1 = (1, "tab\there, quote ' and \\", D("-12.50"), ts, datetime.date(1999, 12, 31), False,
                ["x", None, "z"], Json3({"a": {"b": "c"}}), -(2 ** 62), 1.5e-3)

        def p3_create_insert():
            p3.execute(TABLE.format(name="t3"))
            p3.commit()
            with p3.cursor() as c:
                c.execute("INSERT INTO t3 VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", row1)
            p3.commit()
            return True, None
        check("psycopg3: CREATE TABLE; INSERT with server-side ($n) text parameters", p3_create_insert)

        def p3_select_text():
            with p3.cursor() as c:
                c.execute("SELECT id, name, price, ts, day, flag, tags, doc, big, ratio FROM t3 WHERE id = %s", (1,))
                r = c.fetchone()
            p3.commit()
            want = (1, row1[1], D("-12.50"), ts, row1[4], False, ["x", None, "z"], {"a": {"b": "c"}}, -(2 ** 62), 1.5e-3)
            return r == want, "got %r" % (r,)
        check("psycopg3: text-format results of every column type", p3_select_text)

        def p3_binary_insert_select():
            with p3.cursor(binary=True) as c:
                c.execute("INSERT INTO t3 (id, name, price, ts, day, flag, tags, big, ratio) "
                          "VALUES (%b, %b, %b, %b, %b, %b, %b, %b, %b)",
                          (2, "binary ünïcode", D("0.01"), ts, datetime.date(2000, 2, 29), True, ["p", "q"], 42, -0.5))
                c.execute("SELECT id, name, price, ts, day, flag, tags, big, ratio FROM t3 WHERE id = %b", (2,))
                r = c.fetchone()
            p3.commit()
            want = (2, "binary ünïcode", D("0.01"), ts, datetime.date(2000, 2, 29), True, ["p", "q"], 42, -0.5)
            return r == want, "got %r" % (r,)
        check("psycopg3: binary parameters and binary results (binary=True)", p3_binary_insert_select)

        def p3_binary_format():
            with p3.cursor(binary=True) as c:
                c.execute("SELECT id, price FROM t3 WHERE id = %s", (1,))
                fmts = [c.pgresult.fformat(i) for i in range(c.pgresult.nfields)]
                r = c.fetchone()
            p3.commit()
            return fmts == [1, 1] and r == (1, D("-12.50")), "formats %r, row %r" % (fmts, r)
        check("psycopg3: the server really answers in binary format", p3_binary_format)

        def p3_prepared_reuse():
            p3.prepare_threshold = 2
            seen = []
            with p3.cursor() as c:
                for i in range(12):
                    c.execute("INSERT INTO t3 (id, name, big) VALUES (%s, %s, %s)", (100 + i, "p%d" % i, i * i))
                for i in range(12):
                    c.execute("SELECT name, big FROM t3 WHERE id = %s", (100 + i,))
                    seen.append(c.fetchone())
            p3.commit()
            # psycopg's cache of server-side prepared statements (private; not checked if it moves)
            names = getattr(getattr(p3, "_prepared", None), "_names", None)
            ok = seen == [("p%d" % i, i * i) for i in range(12)] and (names is None or len(names) >= 2)
            return ok, "rows %r; prepared %r" % (seen, names)
        check("psycopg3: INSERT and SELECT each run 12 times (server-side prepared after 2)", p3_prepared_reuse)

        def p3_prepared_binary():
            out = []
            with p3.cursor(binary=True) as c:
                for i in range(8):
                    c.execute("SELECT %b::int + id, name FROM t3 WHERE id = %b", (i, 100 + i), prepare=True)
                    out.append(c.fetchone())
            p3.commit()
            return out == [(100 + 2 * i, "p%d" % i) for i in range(8)], "got %r" % (out,)
        check("psycopg3: explicitly prepared statement (prepare=True) reused 8 times, binary", p3_prepared_binary)

        def p3_executemany():
            with p3.cursor() as c:
                c.executemany("INSERT INTO t3 (id, name, price) VALUES (%s, %s, %s)",
                              [(200 + i, "many", D(i)) for i in range(50)])
                c.execute("SELECT count(*), sum(price) FROM t3 WHERE name = %s", ("many",))
                r = c.fetchone()
            p3.commit()
            return r == (50, D(1225)), "got %r" % (r,)
        check("psycopg3: executemany of 50 rows (pipelined)", p3_executemany)

        def p3_transactions():
            p3.autocommit = True
            try:
                with p3.transaction():
                    p3.execute("INSERT INTO t3 (id, name) VALUES (300, 'kept')")
                    try:
                        with p3.transaction():  # a savepoint
                            p3.execute("INSERT INTO t3 (id, name) VALUES (301, 'savepoint rolled back')")
                            raise RuntimeError("roll back the savepoint")
                    except RuntimeError:
                        pass
                    p3.execute("INSERT INTO t3 (id, name) VALUES (302, 'kept too')")
                try:
                    with p3.transaction():
                        p3.execute("INSERT INTO t3 (id, name) VALUES (303, 'whole block rolled back')")
                        p3.execute("INSERT INTO t3 (id, name) VALUES (1, 'duplicate')")
                except psycopg.errors.UniqueViolation:
                    pass
                ids = [r[0] for r in p3.execute("SELECT id FROM t3 WHERE id BETWEEN 300 AND 303 ORDER BY id")]
            finally:
                p3.autocommit = False
            return ids == [300, 302], "ids %r" % (ids,)
        check("psycopg3: transaction blocks, nested savepoint rollback, UniqueViolation rolls back the block",
              p3_transactions)

        def p3_typeinfo():
            infos = {n: TypeInfo.fetch(p3, n) for n in ("numeric", "int4", "text", "timestamptz")}
            p3.commit()
            got = {n: (i.oid, i.array_oid) if i else None for n, i in infos.items()}
            want = {"numeric": (1700, 1231), "int4": (23, 1007), "text": (25, 1009), "timestamptz": (1184, 1185)}
            return got == want, "got %r" % (got,)
        check("psycopg3: TypeInfo.fetch finds types in pg_type", p3_typeinfo)

        def p3_composite():
            from psycopg.types.composite import CompositeInfo, register_composite
            p3.execute("CREATE TABLE card (id int PRIMARY KEY, suit text, val numeric(4, 1))")
            p3.commit()
            info = CompositeInfo.fetch(p3, "card")
            missing = CompositeInfo.fetch(p3, "no_such_type")
            p3.commit()
            if info is None:
                return False, "no row type"
            register_composite(info, p3)
            got = (info.name, info.field_names, [int(t) for t in info.field_types], missing)
            return got == ("card", ["id", "suit", "val"], [23, 25, 1700], None), "got %r" % (got,)
        check("psycopg3: CompositeInfo.fetch finds a table's row type (pg_type typtype 'c')",
              p3_composite)

        def p3_params_types():
            with p3.cursor() as c:
                c.execute("SELECT %s::text || 'x', %s + 1, %s * 2, %s::text IS NULL, %s = ANY(%s)",
                          ("a", 41, D("1.25"), None, 3, [1, 2, 3]))
                r = c.fetchone()
            p3.commit()
            return r == ("ax", 42, D("2.50"), True, True), "got %r" % (r,)
        check("psycopg3: parameter types inferred from the expression (text, int, numeric, NULL, array)",
              p3_params_types)

        def p3_error_position():
            try:
                p3.execute("SELECT nosuch FROM t3")
                return False, "no error"
            except psycopg.Error as e:
                p3.rollback()
                return (e.sqlstate == "42703" and e.diag.statement_position == "8",
                        "sqlstate %r position %r" % (e.sqlstate, e.diag.statement_position))
        check("psycopg3: 42703 with its statement position", p3_error_position)
        p3.close()

    # ------------------------------------------------------------ SQLAlchemy
    try:
        import sqlalchemy as sa
    except ImportError as e:
        sa = None
        tap.ok(False, "SQLAlchemy imports (python3-sqlalchemy)", e)

    if sa is not None:
        url = "postgresql+psycopg2://laminar@127.0.0.1:%d/laminar" % srv.port
        engine = sa.create_engine(url, future=True)

        def sa_connect():
            with engine.connect() as conn:
                v = conn.execute(sa.text("SELECT version()")).scalar()
            info = engine.dialect.server_version_info
            return info is not None and info[0] == 15, "version %r, server_version_info %r" % (v, info)
        check("SQLAlchemy: engine start-up (dialect initialize) against laminard", sa_connect)

        def sa_create_and_inspect():
            with engine.begin() as conn:
                conn.execute(sa.text("CREATE TABLE sa_users (id bigint PRIMARY KEY, email varchar(120) NOT NULL, "
                                     "score numeric(8, 3) DEFAULT 0, joined timestamptz, active boolean)"))
            insp = sa.inspect(engine)
            names = insp.get_table_names()
            cols = [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns("sa_users")]
            pk = insp.get_pk_constraint("sa_users")["constrained_columns"]
            want = [("id", "BIGINT", False), ("email", "VARCHAR(120)", False), ("score", "NUMERIC(8, 3)", True),
                    ("joined", "TIMESTAMP", True), ("active", "BOOLEAN", True)]
            ok = "sa_users" in names and cols == want and pk == ["id"]
            return ok, "tables %r, columns %r, pk %r" % (names, cols, pk)
        check("SQLAlchemy: inspect() lists the table, its columns and primary key", sa_create_and_inspect)

        def sa_has_table():
            insp = sa.inspect(engine)
            with engine.connect() as conn:
                yes = engine.dialect.has_table(conn, "sa_users")
                no = engine.dialect.has_table(conn, "no_such_table")
            schemas = insp.get_schema_names()
            return yes and not no and "public" in schemas, "has %r/%r schemas %r" % (yes, no, schemas)
        check("SQLAlchemy: has_table and get_schema_names", sa_has_table)

        def sa_reflect_core():
            md = sa.MetaData()
            users = sa.Table("sa_users", md, autoload_with=engine)
            with engine.begin() as conn:
                conn.execute(users.insert(), [
                    {"id": 1, "email": "a@example.com", "score": D("1.5"),
                     "joined": datetime.datetime(2024, 1, 1, tzinfo=UTC), "active": True},
                    {"id": 2, "email": "b@example.com", "score": D(0), "joined": None, "active": False},
                ])
                conn.execute(users.update().where(users.c.id == 2).values(score=users.c.score + 7))
            with engine.connect() as conn:
                rows = conn.execute(sa.select(users.c.id, users.c.email, users.c.score)
                                    .where(users.c.active.is_not(None)).order_by(users.c.id)).all()
                n = conn.execute(sa.select(sa.func.count()).select_from(users)).scalar()
            want = [(1, "a@example.com", D("1.500")), (2, "b@example.com", D("7.000"))]
            return [tuple(r) for r in rows] == want and n == 2, "rows %r count %r" % (rows, n)
        check("SQLAlchemy: reflected Table, Core insert/update/select in a transaction", sa_reflect_core)

        def sa_rollback():
            md = sa.MetaData()
            users = sa.Table("sa_users", md, autoload_with=engine)
            with engine.connect() as conn:
                trans = conn.begin()
                conn.execute(users.delete())
                inside = conn.execute(sa.select(sa.func.count()).select_from(users)).scalar()
                trans.rollback()
                after = conn.execute(sa.select(sa.func.count()).select_from(users)).scalar()
            return inside == 0 and after == 2, "inside %r after %r" % (inside, after)
        check("SQLAlchemy: a rolled-back DELETE leaves the rows", sa_rollback)
        engine.dispose()

    tap.ok(srv.stop(), "server shuts down cleanly")

tap.done()
