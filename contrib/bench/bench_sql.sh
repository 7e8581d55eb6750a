#!/usr/bin/env bash
#
# bench_sql.sh: the query engine measured through the whole server — SQL text
# over the wire, parse, bind, plan, execute, results back — as opposed to
# bench_engine.c, which runs hand-built plans in-process.  Run by hand (never
# as a timed test); results go to BENCHMARKS.md with the command and machine.
#
# Starts a private laminard on a temp data dir (regress/lib/server.sh), runs
# each query through psql, and reports rows per CPU-second of the laminard
# process (utime+stime from /proc/PID/stat before and after; the client's
# CPU is not counted), best of --repeat runs.  Queries:
#   filter+project   SELECT sum(x * 2 + 1) FROM generate_series(1, N) x WHERE x % 7 <> 0
#   hash aggregate   SELECT x % 1000, count(*), sum(x) FROM generate_series(1, N) x GROUP BY 1
#   table load       INSERT INTO t SELECT x, x * 3 FROM generate_series(1, M) x   (one statement)
#   table scan       SELECT count(*), sum(v) FROM t
#   table filter     SELECT count(*) FROM t WHERE v % 10 = 0
# and, with pgbench installed, point lookups by primary key through the
# extended protocol (pgbench -M prepared, 2 clients, --time seconds): TPS.
#
# Usage: contrib/bench/bench_sql.sh [--rows N] [--table-rows M] [--repeat R] [--time S]
#   defaults: --rows 10000000 --table-rows 1000000 --repeat 3 --time 10
set -uo pipefail

ROWS=10000000
TROWS=1000000
REPEAT=3
PGB_TIME=10
while [ $# -gt 0 ]; do
    case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --table-rows) TROWS=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --time) PGB_TIME=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed 's/^# \{0,1\}//; /^set -uo/d'; exit 0 ;;
    *) echo "bench_sql.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

# shellcheck source=regress/lib/server.sh
. "$(dirname "$0")/../../regress/lib/server.sh"
lm_server_start || { echo "laminard did not start" >&2; exit 1; }

TICKS=$(getconf CLK_TCK)
# CPU seconds (user+system) the server process has used so far.
server_cpu() {
    awk -v t="$TICKS" '{ printf "%.3f\n", ($14 + $15) / t }' "/proc/$LM_PID/stat"
}

q() {
    psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$LM_PORT" -U laminar -d laminar -c "$1" >/dev/null
}

# bench LABEL ROWS SQL [SETUP_SQL]: best rows/CPU-second of the server over REPEAT runs.
bench() {
    local label=$1 rows=$2 sql=$3 setup=${4:-} best=0 i before after secs rate
    for i in $(seq 1 "$REPEAT"); do
        [ -n "$setup" ] && q "$setup"
        before=$(server_cpu)
        if ! q "$sql"; then
            echo "$label: query failed: $sql" >&2
            return 1
        fi
        after=$(server_cpu)
        secs=$(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.3f", b - a }')
        rate=$(awk -v r="$rows" -v s="$secs" 'BEGIN { if (s <= 0) s = 0.001; printf "%.1f", r / s / 1e6 }')
        if awk -v a="$rate" -v b="$best" 'BEGIN { exit !(a > b) }'; then
            best=$rate
            best_secs=$secs
        fi
    done
    printf '| %s | %s | %s M rows/s/core (%s rows in %s CPU-s) |\n' "$label" "$sql" "$best" "$rows" "$best_secs"
}

echo "laminard pid $LM_PID, port $LM_PORT; rows $ROWS, table rows $TROWS, best of $REPEAT"
echo
echo "| workload | SQL | server rows/s/core |"
echo "|---|---|---|"
bench "filter+project" "$ROWS" "SELECT sum(x * 2 + 1) FROM generate_series(1, $ROWS) x WHERE x % 7 <> 0"
bench "hash aggregate" "$ROWS" "SELECT x % 1000, count(*), sum(x) FROM generate_series(1, $ROWS) x GROUP BY 1"
q "CREATE TABLE t (id bigint PRIMARY KEY, v bigint)"
bench "table load" "$TROWS" "INSERT INTO t SELECT x, x * 3 FROM generate_series(1, $TROWS) x" "TRUNCATE t"
bench "table scan" "$TROWS" "SELECT count(*), sum(v) FROM t"
bench "table filter" "$TROWS" "SELECT count(*) FROM t WHERE v % 10 = 0"

if command -v pgbench >/dev/null; then
    script=$LM_TMP/point.sql
    printf '\\set id random(1, %d)\nSELECT v FROM t WHERE id = :id;\n' "$TROWS" >"$script"
    before=$(server_cpu)
    out=$(pgbench -n -M prepared -c 2 -j 2 -T "$PGB_TIME" -f "$script" -h 127.0.0.1 -p "$LM_PORT" -U laminar laminar 2>&1)
    after=$(server_cpu)
    tps=$(printf '%s\n' "$out" | awk '/^tps/ { print $3; exit }')
    lat=$(printf '%s\n' "$out" | awk '/latency average/ { print $4, $5; exit }')
    n=$(printf '%s\n' "$out" | awk '/number of transactions actually processed/ { split($NF, a, "/"); print a[1]; exit }')
    cpu=$(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.2f", b - a }')
    if [ -n "$tps" ]; then
        per=$(awk -v n="$n" -v c="$cpu" 'BEGIN { if (c <= 0) c = 0.001; printf "%.0f", n / c }')
        printf '| point lookup | pgbench -M prepared -c 2 -T %s: SELECT v FROM t WHERE id = :id | %s TPS, latency %s; %s lookups per server CPU-s |\n' \
            "$PGB_TIME" "$tps" "$lat" "$per"
    else
        echo "pgbench failed:" >&2
        printf '%s\n' "$out" | tail -n 5 >&2
    fi
fi
lm_server_stop
