#!/usr/bin/env bash
#
# run.sh: the Nexmark benchmark — each query as a Laminar pipeline from the
# `nexmark` generator into `blackhole`, over N generator events, at each
# parallelism; prints events per CPU-second of the server and wall-clock
# events per second.
#
#   contrib/bench/nexmark/run.sh [-n EVENTS] [-p "1 2"] [-q "q0 q1 ..."] [-s SEED]
#                                [-t TIMEOUT_S] [-m MEMORY_LIMIT] [-r PERF_DIR] [-P PORT] [-k]
#
#   -n  generator events per run (max_events of the source tables; default 10000000)
#   -p  parallelisms (default "1 2")
#   -q  queries (default: all of q0 q1 q2 q3 q4 q5 q7 q8 q12 q14 q15 q16 q17 q18 q19 q20 q21 q22)
#   -s  generator seed (default 42)
#   -t  per-run time limit in seconds (default 900): the job is stopped and the run reported
#       as a timeout
#   -m  memory_limit of every pipeline (e.g. '8GB'; default: the server's default, 1GB)
#   -r  record a CPU profile of the server for each run (perf record -g) into PERF_DIR/qN_pP.perf
#       and print its top functions (perf report --no-children)
#   -P  PostgreSQL-protocol port of the scratch server (default 5199; HTTP on PORT+1)
#   -k  keep the scratch data directories (and server logs)
#
# Each run gets a scratch laminard (a copy of $LAMINARD or ./laminard) on a
# fresh data directory: the source tables (tables.sql), the query's sink
# table and pipeline (qN.sql, names suffixed with _p<parallelism>) are
# created, the pipeline is started; the runner waits until laminar.jobs says
# completed (the sources are bounded by max_events) and reads the server's
# user+sys CPU time from /proc/<pid>/stat before START and after completion.  Events are the
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
MEMORY=""
PERF_DIR=""

while getopts "n:p:q:s:t:m:r:P:k" opt; do
    case $opt in
    n) EVENTS=$OPTARG ;;
    p) PARS=$OPTARG ;;
    q) QUERIES=$OPTARG ;;
    s) SEED=$OPTARG ;;
    t) TIMEOUT=$OPTARG ;;
    m) MEMORY=$OPTARG ;;
    r) PERF_DIR=$OPTARG ;;
    P) PORT=$OPTARG ;;
    k) KEEP=1 ;;
    *) sed -n '2,28p' "$0" >&2; exit 2 ;;
    esac
done

[ -x "$LAMINARD" ] || { echo "error: $LAMINARD is not built (make laminard)" >&2; exit 1; }
command -v psql >/dev/null || { echo "error: psql is needed" >&2; exit 1; }

WORK=$(mktemp -d /tmp/nexmark_bench.XXXXXX)
# A private copy of the binary: a rebuild during the runs changes nothing and profiles keep
# their symbols.
cp "$LAMINARD" "$WORK/laminard"
TICKS=$(getconf CLK_TCK)
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U laminar -d laminar)
PID=""
DATA=""
LOG=""

stop_server() {
    [ -n "$PID" ] || return 0
    if kill -0 "$PID" 2>/dev/null; then
        kill -TERM "$PID" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$PID" 2>/dev/null
    fi
    wait "$PID" 2>/dev/null
    PID=""
}

# A fresh server on a new data directory for each run, so no run pays for the state (or
# RocksDB compactions) of another.
start_server() {
    DATA=$WORK/$1
    LOG=$DATA.log
    mkdir -p "$DATA"
    "$WORK/laminard" -D "$DATA" --listen 127.0.0.1 --port "$PORT" --http-port $((PORT + 1)) \
        >>"$LOG" 2>&1 </dev/null &
    PID=$!
    for _ in $(seq 1 300); do
        pg_isready -q -h 127.0.0.1 -p "$PORT" -t 1 >/dev/null 2>&1 && return 0
        kill -0 "$PID" 2>/dev/null || { echo "error: laminard exited; see $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
        sleep 0.1
    done
    echo "error: laminard did not start; see $LOG" >&2
    exit 1
}

cleanup() {
    stop_server
    [ "$KEEP" = 1 ] && echo "data directories kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# Server CPU time (user + sys) in seconds.
cpu_seconds() {
    awk -v t="$TICKS" '{ sub(/^.*\) /, ""); print ($12 + $13) / t }' "/proc/$PID/stat"
}
now() { date +%s.%N; }

sql() { "${PSQL[@]}" -At -c "$1" 2>&1; }

subst() {
    local with=$2
    [ -n "$MEMORY" ] && with="$2, memory_limit = '$MEMORY'"
    sed -e "s/@MAX_EVENTS@/$EVENTS/g" -e "s/@SEED@/$SEED/g" -e "s/@PARALLELISM@/$with/g" \
        -e "s/\bnexmark_\(q[0-9]*\)\b/nexmark_\1_p$2/g" "$1"
}

echo "Nexmark on Laminar: $EVENTS events, seed $SEED, $(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p'))"
printf '%-5s %3s %12s %10s %10s %16s %14s  %s\n' query par events cpu_s wall_s events/cpu_s events/s note

for par in $PARS; do
    for q in $QUERIES; do
        name=nexmark_${q}_p$par
        start_server "$name"
        if ! out=$(subst "$HERE/tables.sql" 1 | "${PSQL[@]}" 2>&1); then
            echo "error: creating the source tables failed: $out" >&2
            exit 1
        fi
        if ! out=$(subst "$HERE/$q.sql" "$par" | "${PSQL[@]}" 2>&1); then
            stop_server
            printf '%-5s %3s %12s %10s %10s %16s %14s  %s\n' "$q" "$par" - - - - - \
                "cannot create: $(echo "$out" | head -1)"
            continue
        fi
        perf_pid=""
        if [ -n "$PERF_DIR" ]; then
            mkdir -p "$PERF_DIR"
            perf record -q -g -p "$PID" -o "$PERF_DIR/${q}_p$par.perf" >/dev/null 2>&1 &
            perf_pid=$!
            sleep 0.5
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
        if [ -n "$perf_pid" ]; then
            kill -INT "$perf_pid" 2>/dev/null
            wait "$perf_pid" 2>/dev/null
        fi
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
        if [ -n "$perf_pid" ]; then
            perf report -i "$PERF_DIR/${q}_p$par.perf" --no-children --stdio 2>/dev/null |
                grep -E '^ +[0-9.]+%' | head -12 | sed 's/^/        /'
        fi
        stop_server
        [ "$KEEP" = 1 ] || rm -rf "$DATA"
    done
done
