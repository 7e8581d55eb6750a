/*
 * pgclient_test.c: a libpq client that exercises laminard through both the
 * simple and the extended query protocol, as applications will.
 *
 * Usage: pgclient_test CONNINFO
 *
 * Runs DDL, SET and SHOW with PQexec (simple protocol, several statements per
 * message) and with PQprepare/PQexecPrepared/PQexecParams (extended protocol,
 * binary result format requested), checks the ParameterStatus values the
 * server announces, error fields (SQLSTATE, position) and transaction status.
 * Prints one TAP line per check ("ok N - ..."/"not ok N - ...") and exits 1
 * when any failed.  Run by regress/scripts/libpq_client.sh.
 */
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nchecks, nfailed;

static __attribute__((format(printf, 2, 3))) int check(int ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nchecks++;
    if (!ok)
        nfailed++;
    printf("%sok %d - ", ok ? "" : "not ", nchecks);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
    return ok;
}

static void diag_result(const PGresult *res)
{
    if (res == NULL) {
        printf("#   no result\n");
        return;
    }
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    printf("#   status %s%s%s\n", PQresStatus(PQresultStatus(res)), state ? " sqlstate " : "",
           state ? state : "");
    /* the message may span lines: keep every line a TAP comment */
    const char *msg = PQresultErrorMessage(res);
    while (msg && *msg) {
        const char *nl = strchr(msg, '\n');
        int len = nl ? (int)(nl - msg) : (int)strlen(msg);
        printf("#   %.*s\n", len, msg);
        msg = nl ? nl + 1 : NULL;
    }
}

/* Runs sql through the simple protocol; checks the final result's status. */
static int exec_ok(PGconn *conn, const char *sql, ExecStatusType want, const char *what)
{
    PGresult *res = PQexec(conn, sql);
    int ok = res && PQresultStatus(res) == want;
    check(ok, "simple: %s", what);
    if (!ok)
        diag_result(res);
    PQclear(res);
    return ok;
}

/* Runs sql through the simple protocol and expects an error with the given SQLSTATE. */
static PGresult *exec_error(PGconn *conn, const char *sql, const char *sqlstate, const char *what)
{
    PGresult *res = PQexec(conn, sql);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    int ok = res && PQresultStatus(res) == PGRES_FATAL_ERROR && state && strcmp(state, sqlstate) == 0;
    check(ok, "simple: %s (SQLSTATE %s)", what, sqlstate);
    if (!ok)
        diag_result(res);
    return res;
}

/* True when any cell of res (text format) equals value. */
static int result_contains(const PGresult *res, const char *value)
{
    for (int r = 0; r < PQntuples(res); r++)
        for (int c = 0; c < PQnfields(res); c++)
            if (!PQgetisnull(res, r, c) && PQfformat(res, c) == 0 &&
                strcmp(PQgetvalue(res, r, c), value) == 0)
                return 1;
            else if (!PQgetisnull(res, r, c) && PQfformat(res, c) == 1 &&
                     (size_t)PQgetlength(res, r, c) == strlen(value) &&
                     memcmp(PQgetvalue(res, r, c), value, strlen(value)) == 0)
                return 1;
    return 0;
}

static void check_param(PGconn *conn, const char *name, const char *want)
{
    const char *got = PQparameterStatus(conn, name);
    check(got && strcmp(got, want) == 0, "ParameterStatus %s = '%s' (got '%s')", name, want,
          got ? got : "(none)");
}

static void test_startup(PGconn *conn)
{
    check(PQserverVersion(conn) >= 150000 && PQserverVersion(conn) < 160000,
          "server_version is a PostgreSQL 15.x version (%d)", PQserverVersion(conn));
    check(PQprotocolVersion(conn) == 3, "protocol version 3");
    check_param(conn, "server_encoding", "UTF8");
    check_param(conn, "client_encoding", "UTF8");
    check_param(conn, "DateStyle", "ISO, MDY");
    check_param(conn, "integer_datetimes", "on");
    check_param(conn, "standard_conforming_strings", "on");
    check_param(conn, "is_superuser", "on");
    check_param(conn, "session_authorization", "laminar");
    check(PQparameterStatus(conn, "TimeZone") != NULL, "ParameterStatus TimeZone is announced");
    check(PQparameterStatus(conn, "IntervalStyle") != NULL,
          "ParameterStatus IntervalStyle is announced");
    check(PQtransactionStatus(conn) == PQTRANS_IDLE, "idle after startup");
}

static void test_simple(PGconn *conn)
{
    exec_ok(conn,
            "CREATE CONNECTION PROFILE pc_kafka WITH (connector = 'kafka', "
            "bootstrap_servers = '127.0.0.1:9')",
            PGRES_COMMAND_OK, "CREATE CONNECTION PROFILE");
    exec_ok(conn,
            "CREATE SOURCE TABLE pc_events (id BIGINT NOT NULL, name STRING, amount DECIMAL(10,2), "
            "ts TIMESTAMP NOT NULL) WITH (connector = 'kafka', profile = 'pc_kafka', "
            "topic = 'events', format = 'json', event_time_field = 'ts', "
            "watermark_delay = '5 seconds')",
            PGRES_COMMAND_OK, "CREATE SOURCE TABLE");

    PGresult *res = PQexec(conn, "SHOW SOURCE TABLES");
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK && result_contains(res, "pc_events");
    check(ok, "simple: SHOW SOURCE TABLES lists pc_events");
    if (!ok)
        diag_result(res);
    PQclear(res);

    res = PQexec(conn, "SHOW CREATE SOURCE TABLE pc_events");
    ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
         strstr(PQgetvalue(res, 0, PQnfields(res) - 1), "pc_events") != NULL;
    check(ok, "simple: SHOW CREATE SOURCE TABLE returns the statement");
    if (!ok)
        diag_result(res);
    PQclear(res);

    /* several statements in one Query message: the last result is returned */
    res = PQexec(conn, "SET application_name = 'pgclient_simple'; SHOW application_name");
    ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && PQnfields(res) == 1 &&
         strcmp(PQgetvalue(res, 0, 0), "pgclient_simple") == 0;
    check(ok, "simple: SET then SHOW in one message");
    if (!ok)
        diag_result(res);
    PQclear(res);
    check_param(conn, "application_name", "pgclient_simple");

    exec_ok(conn, "SET DateStyle = 'ISO, DMY'", PGRES_COMMAND_OK, "SET DateStyle");
    check_param(conn, "DateStyle", "ISO, DMY");
    exec_ok(conn, "RESET DateStyle", PGRES_COMMAND_OK, "RESET DateStyle");
    check_param(conn, "DateStyle", "ISO, MDY");

    res = PQexec(conn, "");
    check(PQresultStatus(res) == PGRES_EMPTY_QUERY, "simple: empty query");
    PQclear(res);

    /* a missing comma between options: the position points at the second option */
    const char *bad = "CREATE CONNECTION PROFILE pc_bad WITH (connector = 'kafka' "
                      "bootstrap_servers = 'x')";
    int want_pos = (int)(strstr(bad, "bootstrap_servers") - bad) + 1;
    res = exec_error(conn, bad, "42601", "syntax error");
    const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
    check(pos && atoi(pos) == want_pos, "syntax error position is %d (got %s)", want_pos,
          pos ? pos : "none");
    PQclear(res);

    /* transaction status: error inside a transaction block, then 25P02 until ROLLBACK */
    exec_ok(conn, "BEGIN", PGRES_COMMAND_OK, "BEGIN");
    check(PQtransactionStatus(conn) == PQTRANS_INTRANS, "in transaction after BEGIN");
    PQclear(exec_error(conn, "DROP SOURCE TABLE no_such_table", "42P01", "error inside a transaction"));
    check(PQtransactionStatus(conn) == PQTRANS_INERROR, "transaction is failed");
    PQclear(exec_error(conn, "SHOW application_name", "25P02", "statement in a failed transaction"));
    exec_ok(conn, "ROLLBACK", PGRES_COMMAND_OK, "ROLLBACK");
    check(PQtransactionStatus(conn) == PQTRANS_IDLE, "idle after ROLLBACK");
}

/* PQexecPrepared with binary results; returns the result (caller clears). */
static PGresult *exec_prepared(PGconn *conn, const char *name)
{
    return PQexecPrepared(conn, name, 0, NULL, NULL, NULL, 1);
}

static void test_extended(PGconn *conn)
{
    PGresult *res = PQprepare(conn, "show_app", "SHOW application_name", 0, NULL);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    check(ok, "extended: PQprepare SHOW");
    if (!ok)
        diag_result(res);
    PQclear(res);

    res = PQdescribePrepared(conn, "show_app");
    ok = PQresultStatus(res) == PGRES_COMMAND_OK && PQnfields(res) == 1 && PQnparams(res) == 0 &&
         PQftype(res, 0) == 25;
    check(ok, "extended: Describe statement gives one text column (type %u)",
          PQnfields(res) > 0 ? PQftype(res, 0) : 0);
    if (!ok)
        diag_result(res);
    PQclear(res);

    exec_ok(conn, "SET application_name = 'pgclient_ext'", PGRES_COMMAND_OK, "SET application_name");
    res = exec_prepared(conn, "show_app");
    ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && PQfformat(res, 0) == 1 &&
         PQgetlength(res, 0, 0) == (int)strlen("pgclient_ext") &&
         memcmp(PQgetvalue(res, 0, 0), "pgclient_ext", strlen("pgclient_ext")) == 0;
    check(ok, "extended: PQexecPrepared SHOW returns the value in binary format");
    if (!ok)
        diag_result(res);
    PQclear(res);

    /* SET through the extended protocol, re-executing the prepared SHOW sees it */
    res = PQexecParams(conn, "SET application_name = 'pgclient_ext2'", 0, NULL, NULL, NULL, NULL, 1);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    check(ok, "extended: SET via PQexecParams");
    if (!ok)
        diag_result(res);
    PQclear(res);
    check_param(conn, "application_name", "pgclient_ext2");
    res = exec_prepared(conn, "show_app");
    ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
         PQgetlength(res, 0, 0) == (int)strlen("pgclient_ext2");
    check(ok, "extended: prepared statement re-executes");
    PQclear(res);

    /* unnamed statement, binary result */
    res = PQexecParams(conn, "SHOW server_version", 0, NULL, NULL, NULL, NULL, 1);
    ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && PQfformat(res, 0) == 1 &&
         PQgetlength(res, 0, 0) >= 2 && memcmp(PQgetvalue(res, 0, 0), "15", 2) == 0;
    check(ok, "extended: unnamed SHOW server_version in binary");
    if (!ok)
        diag_result(res);
    PQclear(res);

    /* DDL through the extended protocol */
    res = PQprepare(conn, "mk_sink",
                    "CREATE SINK TABLE pc_sink (id BIGINT NOT NULL, total DOUBLE, "
                    "tags ARRAY<STRING>, attrs MAP<STRING, STRING>) WITH (connector = 'kafka', "
                    "profile = 'pc_kafka', topic = 'out', format = 'json')",
                    0, NULL);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    check(ok, "extended: PQprepare CREATE SINK TABLE");
    if (!ok)
        diag_result(res);
    PQclear(res);
    res = exec_prepared(conn, "mk_sink");
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    check(ok, "extended: PQexecPrepared CREATE SINK TABLE");
    if (!ok)
        diag_result(res);
    PQclear(res);

    res = PQexecParams(conn, "SHOW SINK TABLES", 0, NULL, NULL, NULL, NULL, 1);
    ok = PQresultStatus(res) == PGRES_TUPLES_OK && result_contains(res, "pc_sink");
    check(ok, "extended: SHOW SINK TABLES (binary) lists pc_sink");
    if (!ok)
        diag_result(res);
    PQclear(res);

    res = PQexecParams(conn, "SHOW CONNECTORS", 0, NULL, NULL, NULL, NULL, 1);
    ok = PQresultStatus(res) == PGRES_TUPLES_OK && result_contains(res, "kafka");
    check(ok, "extended: SHOW CONNECTORS (binary) lists kafka");
    if (!ok)
        diag_result(res);
    PQclear(res);

    res = PQexecParams(conn, "DROP SINK TABLE pc_sink", 0, NULL, NULL, NULL, NULL, 1);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    check(ok, "extended: DROP SINK TABLE");
    if (!ok)
        diag_result(res);
    PQclear(res);

    /* an error in the extended protocol: the server skips to Sync, the session goes on */
    res = PQprepare(conn, "bad", "SHOW CREATE SOURCE TABLE", 0, NULL);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    check(PQresultStatus(res) == PGRES_FATAL_ERROR && state && strcmp(state, "42601") == 0,
          "extended: PQprepare of bad syntax fails with 42601 (got %s)", state ? state : "none");
    PQclear(res);
    res = exec_prepared(conn, "no_such_statement");
    state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    check(PQresultStatus(res) == PGRES_FATAL_ERROR && state && strcmp(state, "26000") == 0,
          "extended: unknown prepared statement fails with 26000 (got %s)", state ? state : "none");
    PQclear(res);
    res = exec_prepared(conn, "show_app");
    check(PQresultStatus(res) == PGRES_TUPLES_OK, "extended: session usable after errors");
    PQclear(res);
}

int main(int argc, char **argv)
{
    const char *conninfo = argc > 1 ? argv[1] : "";
    PGconn *conn = PQconnectdb(conninfo);
    if (!check(PQstatus(conn) == CONNECTION_OK, "connect")) {
        printf("#   %s", PQerrorMessage(conn));
        PQfinish(conn);
        printf("1..%d\n", nchecks);
        return 1;
    }
    test_startup(conn);
    test_simple(conn);
    test_extended(conn);

    exec_ok(conn, "DROP SOURCE TABLE pc_events", PGRES_COMMAND_OK, "DROP SOURCE TABLE");
    exec_ok(conn, "DROP CONNECTION PROFILE pc_kafka", PGRES_COMMAND_OK, "DROP CONNECTION PROFILE");
    check(PQstatus(conn) == CONNECTION_OK, "connection still healthy at the end");
    PQfinish(conn);

    printf("1..%d\n", nchecks);
    return nfailed ? 1 : 0;
}
