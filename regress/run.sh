#!/usr/bin/env bash
#
# run.sh: Laminar's test runner.  Runs, in order:
#
#   unit     every regress/unit/test_*.c, built with make and run; each
#            "ok N"/"not ok N" line it prints counts as one test
#   sql      every regress/sql/NAME.sql, fed to psql -X -a -q against a fresh
#            laminard (own temp data dir, free ports); the output, with
#            volatile values masked, is written to regress/results/NAME.out and
#            compared with regress/expected/NAME.out; each file is one test
#   scripts  every regress/scripts/NAME.{sh,py} (bash, /usr/bin/python3); each
#            starts the servers it needs and prints TAP lines, counted like
#            unit tests (a nonzero exit without a "not ok" line counts as one
#            failure)
#
# and ends with the line `N passed, N failed` (exit 1 when N failed > 0).
#
# Usage: regress/run.sh [--accept] [--unit] [--sql] [--scripts] [--keep] [NAME...]
#   --accept   copy each SQL test's result over its expected output (after
#              looking at the diff!); accepted tests count as passed
#   --unit/--sql/--scripts   run only these kinds (default: all)
#   --keep     keep temp dirs (data dirs, logs) for post-mortems
#   NAME...    run only the tests with these names (test_smoke, roles, tls, ...)
# Environment: LM_BUILDDIR (default: the source tree), LAMINARD.
#
# Results: regress/results/ in the build tree (NAME.out, NAME.log = server
# log, regression.diffs = every SQL diff), git-ignored.
set -uo pipefail

SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
export LM_SRCDIR=$SRCDIR
export LM_BUILDDIR=${LM_BUILDDIR:-$SRCDIR}
RESULTS=$LM_BUILDDIR/regress/results
PY=/usr/bin/python3 # Debian's interpreter: it has python3-psycopg2/psycopg (DESIGN.md §11)

accept=0
kinds=()
names=()
for arg in "$@"; do
    case "$arg" in
    --accept) accept=1 ;;
    --unit) kinds+=(unit) ;;
    --sql) kinds+=(sql) ;;
    --scripts) kinds+=(scripts) ;;
    --keep) export LM_KEEP_TMP=1 ;;
    -h | --help)
        sed -n '2,/^set -uo/p' "$0" | sed 's/^# \{0,1\}//; /^set -uo/d'
        exit 0
        ;;
    -*)
        echo "run.sh: unknown option $arg" >&2
        exit 2
        ;;
    *) names+=("${arg%.*}") ;;
    esac
done
[ ${#kinds[@]} -gt 0 ] || kinds=(unit sql scripts)

# shellcheck source=regress/lib/server.sh
. "$SRCDIR/regress/lib/server.sh"
lm_setup

passed=0
failed=0
skipped=0
failures=()
mkdir -p "$RESULTS"
rm -f "$RESULTS/regression.diffs"

want_kind() {
    local k
    for k in "${kinds[@]}"; do [ "$k" = "$1" ] && return 0; done
    return 1
}

want_name() {
    [ ${#names[@]} -eq 0 ] && return 0
    local n
    for n in "${names[@]}"; do [ "$n" = "$1" ] && return 0; done
    return 1
}

# Prints "LABEL ....... " padded to a column.
label() {
    local n=$((40 - ${#1}))
    [ $n -lt 3 ] && n=3
    printf '%s %s ' "$1" "$(printf '%*s' "$n" '' | tr ' ' '.')"
}

elapsed() {
    local start=$1
    awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f s", e - s }'
}

# Counts TAP lines in FILE given the program's exit status; sets t_pass t_fail t_skip.
count_tap() {
    local file=$1 status=$2
    read -r t_pass t_fail t_skip t_plan < <(awk '
        /^ok [0-9]+/ { if ($0 ~ /# *[Ss][Kk][Ii][Pp]/) s++; else p++; next }
        /^not ok [0-9]+/ { if ($0 ~ /# *TODO/) p++; else f++; next }
        /^1\.\.[0-9]+/ { split($1, a, "\\.\\."); plan = a[2] }
        END { printf "%d %d %d %d\n", p, f, s, (plan == "" ? -1 : plan) }' "$file")
    local seen=$((t_pass + t_fail + t_skip))
    if [ "$t_plan" -ge 0 ] && [ "$seen" -lt "$t_plan" ]; then
        echo "#   planned $t_plan checks, saw $seen" >>"$file"
        t_fail=$((t_fail + t_plan - seen))
    fi
    if [ "$status" -ne 0 ] && [ "$t_fail" -eq 0 ]; then
        echo "#   exited with status $status" >>"$file"
        t_fail=1
    fi
    if [ "$seen" -eq 0 ] && [ "$t_fail" -eq 0 ]; then
        echo "#   printed no test lines" >>"$file"
        t_fail=1
    fi
}

# Shows the failing lines of a TAP output with their diagnostics.
show_tap_failures() {
    awk '/^not ok/ { show = 1; print "    " $0; next }
         /^ok / { show = 0; next }
         /^#/ { if (show || /exited with|planned|printed no|replay|seed/) print "    " $0; next }' "$1" | head -n 60
}

# ---------------------------------------------------------------- unit tests
run_unit() {
    echo "== unit tests (regress/unit)"
    mkdir -p "$RESULTS/unit"
    bash "$SRCDIR/regress/unit/gen-tests.sh"
    local src name prog start status
    for src in "$SRCDIR"/regress/unit/test_*.c; do
        [ -e "$src" ] || continue
        name=$(basename "$src" .c)
        want_name "$name" || continue
        label "unit/$name"
        start=$(date +%s.%N)
        if ! make -s -C "$LM_BUILDDIR" "regress/unit/$name" >"$RESULTS/unit/$name.build.log" 2>&1; then
            echo "FAILED to build (see $RESULTS/unit/$name.build.log)"
            tail -n 15 "$RESULTS/unit/$name.build.log" | sed 's/^/    /'
            failed=$((failed + 1))
            failures+=("unit/$name (build)")
            continue
        fi
        prog=$LM_BUILDDIR/regress/unit/$name
        (cd "$LM_TMP" && timeout 300 "$prog") >"$RESULTS/unit/$name.out" 2>&1
        status=$?
        count_tap "$RESULTS/unit/$name.out" "$status"
        passed=$((passed + t_pass))
        failed=$((failed + t_fail))
        skipped=$((skipped + t_skip))
        if [ "$t_fail" -eq 0 ]; then
            echo "ok ($t_pass checks$([ "$t_skip" -gt 0 ] && echo ", $t_skip skipped"), $(elapsed "$start"))"
        else
            echo "FAILED ($t_fail of $((t_pass + t_fail)) checks)"
            show_tap_failures "$RESULTS/unit/$name.out"
            failures+=("unit/$name")
        fi
    done
}

# ----------------------------------------------------------------- SQL tests

# Masks values that differ from run to run, keeping the output readable:
# object ids (prof_..., tbl_..., pl_..., job_...) and timestamps within two
# days of now.  Tests must not name their own objects with those prefixes.
mask_volatile() {
    perl -pe '
        BEGIN { $now = time; }
        s/\b(prof|tbl|pl|job)_([0-9A-Za-z_]+)/$1 . "_" . ("X" x length($2))/ge;
        s{\b(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d(:?\d\d)?)?}{
            my $m = $&;
            my ($y, $mo, $d) = ($1, $2, $3);
            my $t = eval { require Time::Local; Time::Local::timegm(0, 0, 0, $d, $mo - 1, $y) };
            (defined $t && abs($t - $now) < 2 * 86400) ? "<timestamp>" : $m
        }ge;
    '
}

# Canonical form for the lenient comparison: alignment padding and the width
# of table rules may change with masked values, nothing else may.
canonical() {
    sed -E 's/[[:space:]]+$//; s/[ ]+/ /g; /^-+(\+-+)*$/ s/-+/-/g; s/^( ?-+)+(\+-+)*$/-/' "$1"
}

run_sql() {
    echo "== SQL tests (regress/sql, psql against a fresh laminard each)"
    local sql name out exp start status psql_status tmpdir
    for sql in "$SRCDIR"/regress/sql/*.sql; do
        [ -e "$sql" ] || continue
        name=$(basename "$sql" .sql)
        want_name "$name" || continue
        label "sql/$name"
        start=$(date +%s.%N)
        out=$RESULTS/$name.out
        exp=$SRCDIR/regress/expected/$name.out
        LM_DATA=$LM_TMP/data-$name
        LM_LOG=$RESULTS/$name.log
        rm -f "$LM_LOG"
        if ! lm_server_start 2>/dev/null; then
            echo "FAILED (laminard did not start; see $LM_LOG)"
            tail -n 10 "$LM_LOG" 2>/dev/null | sed 's/^/    /'
            failed=$((failed + 1))
            failures+=("sql/$name (server start)")
            continue
        fi
        tmpdir=$LM_TMP/sql-$name
        mkdir -p "$tmpdir"
        (cd "$tmpdir" && timeout 300 psql -X -a -q -v ON_ERROR_STOP=0 -v "tmpdir=$tmpdir" \
            -h 127.0.0.1 -p "$LM_PORT" -U laminar -d laminar <"$sql" 2>&1) | mask_volatile >"$out"
        psql_status=${PIPESTATUS[0]}
        status=0
        lm_server_stop 2>>"$out.crash" || status=1
        if [ $status -ne 0 ]; then
            echo "FAILED (laminard crashed or did not stop cleanly; log: $LM_LOG)"
            sed 's/^/    /' "$out.crash"
            tail -n 10 "$LM_LOG" | sed 's/^/    /'
            rm -f "$out.crash"
            failed=$((failed + 1))
            failures+=("sql/$name (server crash)")
            continue
        fi
        rm -f "$out.crash"
        if [ "$psql_status" -eq 124 ]; then
            echo "FAILED (timed out after 300 s)"
            failed=$((failed + 1))
            failures+=("sql/$name (timeout)")
            continue
        fi
        if [ $accept = 1 ] && ! cmp -s "$out" "$exp"; then
            mkdir -p "$(dirname "$exp")"
            cp "$out" "$exp"
            echo "accepted (regress/expected/$name.out written)"
            passed=$((passed + 1))
            continue
        fi
        if [ ! -f "$exp" ]; then
            echo "FAILED (no expected output: look at $out, then run regress/run.sh --accept $name)"
            failed=$((failed + 1))
            failures+=("sql/$name (no expected output)")
            continue
        fi
        if cmp -s "$exp" "$out"; then
            echo "ok ($(elapsed "$start"))"
            passed=$((passed + 1))
        elif cmp -s <(canonical "$exp") <(canonical "$out"); then
            echo "ok (alignment differs only, $(elapsed "$start"))"
            passed=$((passed + 1))
        else
            echo "FAILED (diff below, also in regress/results/regression.diffs)"
            {
                echo "diff -u regress/expected/$name.out regress/results/$name.out"
                diff -u "$exp" "$out"
            } >>"$RESULTS/regression.diffs"
            diff -u "$exp" "$out" | head -n 80 | sed 's/^/    /'
            failed=$((failed + 1))
            failures+=("sql/$name")
        fi
    done
}

# -------------------------------------------------------------- script tests
run_scripts() {
    echo "== script tests (regress/scripts)"
    mkdir -p "$RESULTS/scripts"
    # the test clients the scripts use; a build failure shows up in the script that needs it
    make -s -C "$LM_BUILDDIR" contrib/pgclient_test contrib/pgwire_fuzz \
        >"$RESULTS/scripts/contrib.build.log" 2>&1 ||
        echo "   (building contrib test clients failed: see $RESULTS/scripts/contrib.build.log)"
    local script name start status runner out
    for script in "$SRCDIR"/regress/scripts/*; do
        [ -f "$script" ] || continue
        case "$script" in
        *.sh) runner=(bash) ;;
        *.py) runner=("$PY") ;;
        *) [ -x "$script" ] || continue; runner=() ;;
        esac
        name=$(basename "$script")
        name=${name%.*}
        want_name "$name" || continue
        label "script/$name"
        start=$(date +%s.%N)
        out=$RESULTS/scripts/$name.out
        (cd "$LM_TMP" && timeout 600 "${runner[@]}" "$script") >"$out" 2>&1
        status=$?
        [ $status -eq 124 ] && echo "#   timed out after 600 s" >>"$out"
        count_tap "$out" "$status"
        passed=$((passed + t_pass))
        failed=$((failed + t_fail))
        skipped=$((skipped + t_skip))
        if [ "$t_fail" -eq 0 ]; then
            echo "ok ($t_pass checks$([ "$t_skip" -gt 0 ] && echo ", $t_skip skipped"), $(elapsed "$start"))"
        else
            echo "FAILED ($t_fail failed, $t_pass passed; output: $out)"
            show_tap_failures "$out"
            failures+=("script/$name")
        fi
    done
}

suite_start=$(date +%s.%N)
want_kind unit && run_unit
want_kind sql && run_sql
want_kind scripts && run_scripts

if [ $((passed + failed)) -eq 0 ]; then
    echo "no tests ran (check the names given)"
    failed=1
fi
echo
if [ ${#failures[@]} -gt 0 ]; then
    echo "failed: ${failures[*]}"
fi
[ "$skipped" -gt 0 ] && echo "($skipped skipped)"
echo "suite time: $(elapsed "$suite_start")"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
