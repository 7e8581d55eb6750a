#!/bin/bash
# kafka_ingest.sh: Kafka JSON ingest, records per CPU-second — Laminar (a Kafka source table of
# a 5-column JSON record read by a pipeline into a blackhole sink) against a raw librdkafka
# consumer (bench_kafka_consume) reading the same topic in the same run.  The broker is
# librdkafka's mock cluster (lm-kafka-mock) in its own process; only the consumers' CPU time
# counts (Laminar: the server process's utime+stime from /proc while the job reads).
#
# usage: contrib/bench/kafka_ingest.sh [RECORDS (default 1000000)] [PARTITIONS (default 40)]
# The mock keeps only ~5 MB per partition: keep RECORDS * 94 bytes / PARTITIONS below 4 MB.
# Run from the build directory after `make`; prints one line per contender (BENCHMARKS.md).
set -euo pipefail
N=${1:-1000000}
P=${2:-40}
B=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d /tmp/lm-kafka-bench.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
cleanup() {
    [ -n "${LPID:-}" ] && kill "$LPID" 2>/dev/null && wait "$LPID" 2>/dev/null || true
    exec 3>&- 2>/dev/null || true
    [ -n "${MPID:-}" ] && kill "$MPID" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

mkfifo "$TMP/mock.in"
"$B/contrib/lm-kafka-mock" --topic bench:"$P" <"$TMP/mock.in" >"$TMP/mock.out" 2>&1 &
MPID=$!
exec 3>"$TMP/mock.in"
for _ in $(seq 50); do grep -q bootstrap= "$TMP/mock.out" && break; sleep 0.1; done
BOOT=$(sed -n 's/^bootstrap=//p' "$TMP/mock.out")

echo "# producing $N records into $P partitions at $BOOT"
/usr/bin/python3 - "$N" >"$TMP/records" <<'PY'
import sys
n = int(sys.argv[1])
w = sys.stdout.write
for i in range(n):
    w('{"id": %d, "user_id": %d, "page": "/p/%d", "ts": "2024-01-01T00:%02d:%02d", "amount": %d.5}\n'
      % (i, i % 9973, i % 101, (i // 60) % 60, i % 60, i % 1000))
PY
# the same number of records in every partition (the mock's per-partition limit)
split -n "l/$P" -d -a 3 "$TMP/records" "$TMP/part."
for ((p = 0; p < P; p++)); do
    kcat -P -b "$BOOT" -t bench -p "$p" -l -X linger.ms=50 "$(printf "$TMP/part.%03d" "$p")"
done
SIZE=$(stat -c %s "$TMP/records")
echo "# $SIZE bytes of JSON ($((SIZE / N)) bytes per record)"

echo "# raw librdkafka consumer"
"$B/contrib/bench/bench_kafka_consume" "$BOOT" bench "$P" "$N"

echo "# laminard: kafka source (json, 5 columns) -> blackhole"
"$B/laminard" -D "$TMP/data" --listen 127.0.0.1 --port "$PORT" --http-port $((PORT + 1)) \
    >"$TMP/laminard.log" 2>&1 &
LPID=$!
for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 0.1; done
PSQL="psql -X -q -At -h 127.0.0.1 -p $PORT -U laminar -d laminar"
$PSQL <<SQL
CREATE SOURCE TABLE bench_src (id BIGINT, user_id BIGINT, page STRING, ts TIMESTAMP, amount DOUBLE)
  WITH (connector = 'kafka', bootstrap_servers = '$BOOT', topic = 'bench', format = 'json');
CREATE SINK TABLE bench_out (id BIGINT, user_id BIGINT, page STRING, ts TIMESTAMP, amount DOUBLE)
  WITH (connector = 'blackhole');
CREATE PIPELINE bench_p WITH (parallelism = 1, checkpoint_interval = '10 seconds') AS
  INSERT INTO bench_out SELECT * FROM bench_src;
SQL
cpu() { awk '{print $14 + $15}' "/proc/$LPID/stat"; }
TCK=$(getconf CLK_TCK)
C0=$(cpu)
T0=$(date +%s.%N)
$PSQL -c "START PIPELINE bench_p" >/dev/null
while :; do
    IN=$($PSQL -c "SELECT coalesce(sum(records_in), 0) FROM laminar.job_metrics WHERE operator LIKE 'Source%'")
    [ "$IN" -ge "$N" ] && break
    sleep 0.05
done
C1=$(cpu)
T1=$(date +%s.%N)
awk -v n="$N" -v c0="$C0" -v c1="$C1" -v t="$TCK" -v w0="$T0" -v w1="$T1" 'BEGIN {
    cpu = (c1 - c0) / t; printf "records=%d cpu_s=%.3f wall_s=%.3f records_per_cpu_s=%.0f\n",
    n, cpu, w1 - w0, n / cpu }'
$PSQL -c "SELECT count(*) FROM laminar.job_errors" | sed 's/^/# job errors: /'
