#!/usr/bin/env bash
# persistence: the catalog survives kill -9 and a clean restart unchanged
# (ids, timestamps and SHOW CREATE output included), and SHOW CREATE output
# replayed on a second, empty server recreates identical objects.
set -uo pipefail
. "$(dirname "$0")/../lib/server.sh"

lm_server_start || lm_bail "laminard starts"

DDL=$(cat <<'SQL'
CREATE SECRET persist_pw AS 'persist-secret-value';
CREATE CONNECTION PROFILE kafka_p WITH (connector = 'kafka', bootstrap_servers = '127.0.0.1:9092',
    sasl_mechanism = 'plain', sasl_username = 'u', sasl_password = SECRET persist_pw);
CREATE CONNECTION PROFILE pg_p WITH (connector = 'postgres', host = '127.0.0.1', port = 5432, database = 'd');
CREATE SOURCE TABLE src_all (
    b BOOLEAN NOT NULL, ti TINYINT, si SMALLINT, i INT, bi BIGINT NOT NULL, f FLOAT, d DOUBLE,
    dec DECIMAL(18, 4), s STRING, bin BINARY, dt DATE, tm TIME, ts TIMESTAMP NOT NULL, tstz TIMESTAMPTZ,
    iv INTERVAL, arr ARRAY<BIGINT>, m MAP<STRING, DOUBLE>, st STRUCT<a: INT, b: ARRAY<STRING>>, j JSON
) WITH (connector = 'kafka', profile = 'kafka_p', topic = 'all', format = 'json',
        event_time_field = 'ts', watermark_delay = '15 seconds');
CREATE SOURCE TABLE src_wm (id BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
    WITH (connector = 'datagen', rows_per_second = 5);
CREATE SINK TABLE sink_pg (id BIGINT NOT NULL, v DOUBLE) WITH (connector = 'postgres', profile = 'pg_p',
    table = 'out', write_mode = 'upsert', primary_keys = 'id');
CREATE SINK TABLE sink_bh (id BIGINT) WITH (connector = 'blackhole');
CREATE ROLE persist_role LOGIN PASSWORD 'persist-role-pw';
SQL
)
lm_psql -c "$DDL" >/dev/null 2>"$LM_TMP/ddl.err"
lm_ok $? "create profiles, a secret, source and sink tables, a role" || lm_diag "$(cat "$LM_TMP/ddl.err")"

# Everything observable about the catalog, raw (ids and timestamps included).
snapshot() {
    lm_psql -A -c "SHOW CONNECTION PROFILES" -c "SHOW SOURCE TABLES" -c "SHOW SINK TABLES" \
        -c "SHOW CREATE CONNECTION PROFILE kafka_p" -c "SHOW CREATE CONNECTION PROFILE pg_p" \
        -c "SHOW CREATE SOURCE TABLE src_all" -c "SHOW CREATE SOURCE TABLE src_wm" \
        -c "SHOW CREATE SINK TABLE sink_pg" -c "SHOW CREATE SINK TABLE sink_bh" 2>&1
}
snapshot >"$LM_TMP/before.txt"
lm_ok $? "snapshot of the catalog" || lm_diag "$(tail -5 "$LM_TMP/before.txt")"

# kill -9 right after the last DDL returned
lm_server_kill9
lm_server_restart
lm_ok $? "restart after kill -9" || lm_bail "laminard restarts after kill -9"
snapshot >"$LM_TMP/after_kill.txt"
diff -u "$LM_TMP/before.txt" "$LM_TMP/after_kill.txt" >"$LM_TMP/diff1" 2>&1
lm_ok $? "every object unchanged after kill -9 (ids, timestamps, SHOW CREATE)" || lm_diag "$(head -40 "$LM_TMP/diff1")"
PGPASSWORD=persist-role-pw psql -X -At -w -h 127.0.0.1 -p "$LM_PORT" -U persist_role -d laminar \
    -c "SHOW session_authorization" >/dev/null 2>&1 || true
lm_psql -At -c "SHOW session_authorization" >/dev/null
lm_ok $? "sessions work after the crash restart"

# one more object, then kill -9 immediately: a created object is durable once CREATE returns
lm_psql -c "CREATE SOURCE TABLE late_one (id INT) WITH (connector = 'datagen')" >/dev/null 2>&1
lm_server_kill9
lm_server_restart || lm_bail "laminard restarts after the second kill -9"
lm_psql -At -c "SHOW CREATE SOURCE TABLE late_one" >/dev/null 2>&1
lm_ok $? "an object created just before kill -9 survives"
lm_psql -c "DROP SOURCE TABLE late_one" >/dev/null 2>&1
lm_server_kill9
lm_server_restart || lm_bail "laminard restarts after the third kill -9"
lm_psql -At -c "SHOW CREATE SOURCE TABLE late_one" >/dev/null 2>&1
[ $? -ne 0 ]
lm_ok $? "a DROP just before kill -9 is durable too"

# clean shutdown and restart
lm_server_stop
lm_ok $? "SIGTERM shuts the server down cleanly"
lm_server_restart || lm_bail "laminard restarts after SIGTERM"
snapshot >"$LM_TMP/after_term.txt"
diff -u "$LM_TMP/before.txt" "$LM_TMP/after_term.txt" >"$LM_TMP/diff2" 2>&1
lm_ok $? "every object unchanged after a clean restart" || lm_diag "$(head -40 "$LM_TMP/diff2")"

# SHOW CREATE replayed on a second, empty server
OBJECTS=("CONNECTION PROFILE pg_p" "SOURCE TABLE src_all" "SOURCE TABLE src_wm" "SINK TABLE sink_pg"
    "SINK TABLE sink_bh")
show_creates() {
    local o
    for o in "${OBJECTS[@]}"; do
        lm_psql -At -c "SHOW CREATE $o" 2>&1
        echo ";"
    done
}
show_creates >"$LM_TMP/create_a.txt"
A_PORT=$LM_PORT A_PID=$LM_PID A_DATA=$LM_DATA A_LOG=$LM_LOG
LM_DATA=$LM_TMP/data_b LM_LOG=$LM_TMP/laminard_b.log
lm_server_start || lm_bail "second laminard starts"
{
    # the profile that uses a secret is recreated by hand (its secret is never printed)
    echo "CREATE SECRET persist_pw AS 'persist-secret-value';"
    echo "CREATE CONNECTION PROFILE kafka_p WITH (connector = 'kafka', bootstrap_servers = '127.0.0.1:9092', sasl_mechanism = 'plain', sasl_username = 'u', sasl_password = SECRET persist_pw);"
    cat "$LM_TMP/create_a.txt"
} >"$LM_TMP/replay.sql"
lm_psql -f "$LM_TMP/replay.sql" >"$LM_TMP/replay.out" 2>&1
lm_ok $? "SHOW CREATE output executes on an empty server" || lm_diag "$(head -20 "$LM_TMP/replay.out")"
show_creates >"$LM_TMP/create_b.txt"
diff -u "$LM_TMP/create_a.txt" "$LM_TMP/create_b.txt" >"$LM_TMP/diff3" 2>&1
lm_ok $? "the recreated objects print identical SHOW CREATE output" || lm_diag "$(head -40 "$LM_TMP/diff3")"
lm_server_stop
lm_ok $? "second server stops cleanly"
LM_PID=$A_PID LM_PORT=$A_PORT LM_DATA=$A_DATA LM_LOG=$A_LOG
lm_server_stop
lm_ok $? "first server stops cleanly"
lm_done
