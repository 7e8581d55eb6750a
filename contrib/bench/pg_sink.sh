#!/usr/bin/env bash
#
# pg_sink.sh: rows/s of the PostgreSQL sink appending with COPY, compared in the same run
# with a raw COPY of the same rows into the same PostgreSQL (psql \copy from a file) and
# with the same pipeline into a blackhole sink (what generating the rows costs).  The sink
# runs twice: with two-phase commit (max_prepared_transactions = 10) and, after a restart
# of PostgreSQL with max_prepared_transactions = 0, with its rows staged in RocksDB.
#
# Starts a private PostgreSQL 15 (initdb in a temp dir, fsync off, as the postgres user when
# run as root) and a private laminard; both go away on exit.
# Usage: contrib/bench/pg_sink.sh [ROWS]    (default 2000000)
# Environment: LAMINARD (default ./laminard), LM_PGBIN (default /usr/lib/postgresql/15/bin).
set -euo pipefail

ROWS=${1:-2000000}
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
LAMINARD=${LAMINARD:-$SRCDIR/laminard}
PGBIN=${LM_PGBIN:-/usr/lib/postgresql/15/bin}
TMP=$(mktemp -d /tmp/laminar-pgbench.XXXXXX)
AS=()
if [ "$(id -u)" = 0 ]; then
    chown postgres "$TMP"
    AS=(runuser -u postgres --)
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PGPORT_=$(free_port)
LMPORT=$(free_port)
HTTPPORT=$(free_port)
LMPID=
cleanup() {
    [ -n "$LMPID" ] && kill "$LMPID" 2>/dev/null && wait "$LMPID" 2>/dev/null
    "${AS[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT

"${AS[@]}" "$PGBIN/initdb" -D "$TMP/pg" -U postgres -A trust -E UTF8 --no-locale --no-sync >/dev/null
cat >>"$TMP/pg/postgresql.conf" <<EOF
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_wal_size = 4GB
max_prepared_transactions = 10
EOF
"${AS[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg" -l "$TMP/pg.log" -w -o "-p $PGPORT_ -k $TMP -h 127.0.0.1" start >/dev/null
PSQL=(psql -X -q -h 127.0.0.1 -p "$PGPORT_" -U postgres -d postgres -v ON_ERROR_STOP=1)

"$LAMINARD" -D "$TMP/lm" --listen 127.0.0.1 --port "$LMPORT" --http-port "$HTTPPORT" >"$TMP/lm.log" 2>&1 &
LMPID=$!
for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p "$LMPORT" && break; sleep 0.1; done
LM=(psql -X -q -At -h 127.0.0.1 -p "$LMPORT" -U laminar -d laminar -v ON_ERROR_STOP=1)

"${PSQL[@]}" -c "CREATE TABLE bench (id bigint, name text, price double precision, ts timestamp, flag boolean)"
"${LM[@]}" <<EOF
CREATE CONNECTION PROFILE pg WITH (connector = 'postgres', host = '127.0.0.1', port = $PGPORT_,
    user = 'postgres', database = 'postgres');
CREATE SOURCE TABLE gen (id BIGINT, name STRING, price DOUBLE, ts TIMESTAMP, flag BOOLEAN)
    WITH (connector = 'datagen', number_of_rows = $ROWS, seed = 1, "fields.id.kind" = 'sequence',
          "fields.id.start" = 1, "fields.id.end" = $ROWS, "fields.name.length" = 12);
CREATE SINK TABLE pg_bench (id BIGINT, name STRING, price DOUBLE, ts TIMESTAMP, flag BOOLEAN)
    WITH (profile = 'pg', table = 'bench');
CREATE SINK TABLE hole (id BIGINT, name STRING, price DOUBLE, ts TIMESTAMP, flag BOOLEAN)
    WITH (connector = 'blackhole');
CREATE PIPELINE to_pg WITH (checkpoint_interval = '10 seconds') AS INSERT INTO pg_bench SELECT * FROM gen;
CREATE PIPELINE to_hole WITH (checkpoint_interval = '2 seconds') AS INSERT INTO hole SELECT * FROM gen;
EOF

cpu_ticks() { awk '{print $14 + $15}' "/proc/$LMPID/stat"; }
run_job() { # pipeline -> seconds
    local t0 job st
    t0=$(date +%s.%N)
    job=$("${LM[@]}" -c "START PIPELINE $1")
    for _ in $(seq 6000); do
        st=$("${LM[@]}" -c "SELECT state FROM laminar.jobs WHERE id = '$job'")
        case $st in completed) break ;; failed | stopped)
            echo "job $job: $st" >&2
            "${LM[@]}" -c "SELECT failure_message FROM laminar.jobs WHERE id = '$job'" >&2
            exit 1 ;;
        esac
        sleep 0.05
    done
    echo "$(date +%s.%N) - $t0" | bc -l
}

HZ=$(getconf CLK_TCK)
c0=$(cpu_ticks)
t_hole=$(run_job to_hole)
c1=$(cpu_ticks)
t_pg=$(run_job to_pg)
c2=$(cpu_ticks)
n=$("${PSQL[@]}" -At -c "SELECT count(*) FROM bench")
[ "$n" = "$ROWS" ] || { echo "bench holds $n rows, expected $ROWS" >&2; exit 1; }
"${PSQL[@]}" -c "\\copy bench TO '$TMP/rows.txt'"

# the sink without two-phase commit (staging in RocksDB)
"${AS[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg" -l "$TMP/pg.log" -w -m fast \
    -o "-p $PGPORT_ -k $TMP -h 127.0.0.1 -c max_prepared_transactions=0" restart >/dev/null
"${PSQL[@]}" -c "TRUNCATE bench"
c3=$(cpu_ticks)
t_stage=$(run_job to_pg)
c4=$(cpu_ticks)
n=$("${PSQL[@]}" -At -c "SELECT count(*) FROM bench")
[ "$n" = "$ROWS" ] || { echo "bench holds $n rows, expected $ROWS" >&2; exit 1; }

# raw COPY of the same rows: dumped to a file, then \copy into an empty table (timed)
"${PSQL[@]}" -c "CREATE TABLE raw (LIKE bench)"
t0=$(date +%s.%N)
"${PSQL[@]}" -c "\\copy raw FROM '$TMP/rows.txt'"
t_raw=$(echo "$(date +%s.%N) - $t0" | bc -l)

printf "rows: %d (5 columns: bigint, text(12), double, timestamp, boolean)\n" "$ROWS"
printf "datagen -> blackhole:          %6.2f s  %10.0f rows/s  (laminard CPU %.2f s)\n" \
    "$t_hole" "$(echo "$ROWS / $t_hole" | bc -l)" "$(echo "($c1 - $c0) / $HZ" | bc -l)"
printf "datagen -> postgres, 2PC:      %6.2f s  %10.0f rows/s  (laminard CPU %.2f s)\n" \
    "$t_pg" "$(echo "$ROWS / $t_pg" | bc -l)" "$(echo "($c2 - $c1) / $HZ" | bc -l)"
printf "datagen -> postgres, staged:   %6.2f s  %10.0f rows/s  (laminard CPU %.2f s)\n" \
    "$t_stage" "$(echo "$ROWS / $t_stage" | bc -l)" "$(echo "($c4 - $c3) / $HZ" | bc -l)"
printf "raw psql \\\\copy of the rows:   %6.2f s  %10.0f rows/s\n" \
    "$t_raw" "$(echo "$ROWS / $t_raw" | bc -l)"
