#!/usr/bin/env bash
#
# jdbc: pgjdbc (Debian's libpostgresql-jdbc-java, /usr/share/java/postgresql.jar)
# against a live laminard.  Compiles regress/scripts/jdbc/JdbcTest.java with
# javac into the test's temp dir and runs it; it prints the TAP lines
# (parameterized and server-prepared statements reused past prepareThreshold,
# binary transfer, transactions, DatabaseMetaData); this wrapper adds the
# server's clean shutdown and the plan.
. "$(dirname "$0")/../lib/server.sh"

JAR=${LM_JDBC_JAR:-/usr/share/java/postgresql.jar}
lm_setup
if [ ! -r "$JAR" ] || ! command -v javac >/dev/null || ! command -v java >/dev/null; then
    lm_ok 1 "pgjdbc and a JDK are installed ($JAR, javac: libpostgresql-jdbc-java default-jdk-headless)"
    lm_done
    exit 1
fi

mkdir -p "$LM_TMP/jdbc"
if ! javac -encoding UTF-8 -d "$LM_TMP/jdbc" -cp "$JAR" "$LM_SRCDIR/regress/scripts/jdbc/JdbcTest.java" \
    >"$LM_TMP/jdbc/javac.log" 2>&1; then
    sed 's/^/# /' "$LM_TMP/jdbc/javac.log"
    lm_ok 1 "JdbcTest.java compiles"
    lm_done
    exit 1
fi

lm_server_start || lm_bail "laminard starts"
timeout 300 java -Duser.timezone=UTC -Dfile.encoding=UTF-8 -cp "$LM_TMP/jdbc:$JAR" JdbcTest "$LM_PORT" \
    2>&1 | tee "$LM_TMP/jdbc/out.txt"
java_status=${PIPESTATUS[0]}
LM_TAP_N=$(grep -Ec '^(not )?ok [0-9]+' "$LM_TMP/jdbc/out.txt")
LM_TAP_FAILED=$(grep -Ec '^not ok [0-9]+' "$LM_TMP/jdbc/out.txt")
if [ "$java_status" -ne 0 ] && [ "$LM_TAP_FAILED" -eq 0 ]; then
    lm_ok 1 "the JDBC program ran to the end (exit status $java_status)"
fi
lm_server_stop
lm_ok $? "laminard stops cleanly after the JDBC sessions" || tail -n 20 "$LM_LOG" | sed 's/^/#   /'
lm_done
exit $?
