#!/usr/bin/env bash
#
# run.sh: the Nexmark benchmark — each query as a Laminar pipeline from the
# `nexmark` generator into `blackhole`, over N generator events, at each
# parallelism; prints events per CPU-second of the server and wall-clock
# events per second.
#
#   contrib/bench/nexmark/run.sh [-n EVENTS] [-p "1 2"] [-q "q0 q1 ..."] [-s SEED]
#                                [-t TIMEOUT_S] [-P PORT] [-k]
#
#   -n  generator events per run (max_events of the source tables; default 10000000)
#   -p  parallelisms (default "1 2")
#   -q  queries (default: all of q0 q1 q2 q3 q4 q5 q7 q8 q12 q14 q15 q16 q17 q18 q19 q20 q21 q22)
#   -s  generator seed (default 42)
#   -t  per-run time limit in seconds (default 900): the job is stopped and the run reported
#       as a timeout
#   -P  PostgreSQL-protocol port of the scratch server (default 5199; HTTP on PORT+1)
#   -k  keep the scratch data directory
#
# A scratch laminard ($LAMINARD or ./laminard) is started on a fresh data
# directory; the source tables (tables.sql) are created once; each run
# creates the query's sink table and pipeline (qN.sql, names suffixed with
# _p<parallelism>), starts it, waits until laminar.jobs says completed (the
# sources are bounded by max_events) and reads the server's user+sys CPU time
# from /proc/<pid>/stat before START and after completion.  Events are the
# generator's events (all of person, auction and bid count, as in the
# reference benchmark), so events/CPU-s = N / (server CPU seconds of the run).
# Wall time is finished_at - started_at from laminar.jobs (or the runner's
# own clock if those are missing).  Nothing else should run on the server
# meanwhile: all of its CPU time is charged to the query, generator included.
# A query that cannot be created or fails is reported with its error.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../../.." && pwd)
LAMINARD=${LAMINARD:-$SRCDIR/laminard}
EVENTS=10000000
PARS="1 2"
QUERIES="q0 q1 q2 q3 q4 q5 q7 q8 q12 q14 q15 q16 q17 q18 q19 q20 q21 q22"
SEED=42
TIMEOUT=900
PORT=5199
KEEP=0

while getopts "n:p:q:s:t:P:k" opt; do
    case $opt in
    n) EVENTS=$OPTARG ;;
    p) PARS=$OPTARG ;;
    q) QUERIES=$OPTARG ;;
    s) SEED=$OPTARG ;;
    t) TIMEOUT=$OPTARG ;;
    P) PORT=$OPTARG ;;
    k) KEEP=1 ;;
    *) sed -n '2,25p' "$0" >&2; exit 2 ;;
    esac
done

[ -x "$LAMINARD" ] || { echo "error: $LAMINARD is not built (make laminard)" >&2; exit 1; }
command -v psql >/dev/null || { echo "error: psql is needed" >&2; exit 1; }

DATA=$(mktemp -d /tmp/nexmark_bench.XXXXXX)
LOG=$DATA/laminard.log
TICKS=$(getconf CLK_TCK)
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U laminar -d laminar)

"$LAMINARD" -D "$DATA" --listen 127.0.0.1 --port "$PORT" --http-port $((PORT + 1)) \
    >>"$LOG" 2>&1 </dev/null &
PID=$!
cleanup() {
    if kill -0 "$PID" 2>/dev/null; then
        kill -TERM "$PID" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$PID" 2>/dev/null
    fi
    [ "$KEEP" = 1 ] && echo "data directory kept: $DATA" || rm -rf "$DATA"
}
trap cleanup EXIT

for _ in $(seq 1 300); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" -t 1 >/dev/null 2>&1 && break
    kill -0 "$PID" 2>/dev/null || { echo "error: laminard exited; see $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
    sleep 0.1
done

# Server CPU time (user + sys) in seconds.
cpu_seconds() {
    awk -v t="$TICKS" '{ sub(/^.*\) /, ""); print ($12 + $13) / t }' "/proc/$PID/stat"
}
now() { date +%s.%N; }

sql() { "${PSQL[@]}" -At -c "$1" 2>&1; }

subst() {
    sed -e "s/@MAX_EVENTS@/$EVENTS/g" -e "s/@SEED@/$SEED/g" -e "s/@PARALLELISM@/$2/g" \
        -e "s/\bnexmark_\(q[0-9]*\)\b/nexmark_\1_p$2/g" "$1"
}

if ! out=$(subst "$HERE/tables.sql" 1 | "${PSQL[@]}" 2>&1); then
    echo "error: creating the source tables failed: $out" >&2
    exit 1
fi

echo "Nexmark on Laminar: $EVENTS events, seed $SEED, $(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p'))"
printf '%-5s %3s %12s %10s %10s %16s %14s  %s\n' query par events cpu_s wall_s events/cpu_s events/s note

for par in $PARS; do
    for q in $QUERIES; do
        name=nexmark_${q}_p$par
        if ! out=$(subst "$HERE/$q.sql" "$par" | "${PSQL[@]}" 2>&1); then
            printf '%-5s %3s %12s %10s %10s %16s %14s  %s\n' "$q" "$par" - - - - - \
                "cannot create: $(echo "$out" | head -1)"
            continue
        fi
        cpu0=$(cpu_seconds)
        t0=$(now)
        job=$(sql "START PIPELINE $name" | grep -o 'job_[A-Za-z0-9_]*' | head -1)
        if [ -z "$job" ]; then
            job=$(sql "SELECT id FROM laminar.jobs WHERE pipeline_name = '$name' ORDER BY started_at DESC LIMIT 1")
        fi
        state=""
        note=""
        while :; do
            state=$(sql "SELECT state FROM laminar.jobs WHERE id = '$job'")
            case $state in
            completed | failed | stopped) break ;;
            esac
            if [ "$(echo "$(now) - $t0 > $TIMEOUT" | bc)" = 1 ]; then
                note="timeout after ${TIMEOUT}s"
                sql "STOP PIPELINE $name" >/dev/null
                break
            fi
            kill -0 "$PID" 2>/dev/null || { note="server died; see $LOG"; break; }
            sleep 0.05
        done
        t1=$(now)
        cpu1=$(cpu_seconds 2>/dev/null || echo "$cpu0")
        if [ "$state" != completed ] && [ -z "$note" ]; then
            note="job $state: $(sql "SELECT failure_message FROM laminar.jobs WHERE id = '$job'" | head -1)"
        fi
        wall=$(sql "SELECT extract(epoch FROM finished_at - started_at) FROM laminar.jobs WHERE id = '$job'" | head -1)
        case $wall in '' | *[!0-9.]*) wall=$(echo "$t1 - $t0" | bc) ;; esac
        cpu=$(echo "$cpu1 - $cpu0" | bc -l)
        if [ -z "$note" ]; then
            printf '%-5s %3s %12s %10.2f %10.2f %16.0f %14.0f\n' "$q" "$par" "$EVENTS" "$cpu" \
                "$wall" "$(echo "$EVENTS / $cpu" | bc -l)" "$(echo "$EVENTS / $wall" | bc -l)"
        else
            printf '%-5s %3s %12s %10.2f %10.2f %16s %14s  %s\n' "$q" "$par" "$EVENTS" "$cpu" \
                "$wall" - - "$note"
        fi
        sql "DROP PIPELINE $name" >/dev/null
        sql "DROP SINK TABLE $name" >/dev/null
    done
done
