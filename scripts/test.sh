#!/usr/bin/env bash
#
# test.sh: set up (scripts/setup.sh: packages, build) and run the whole test
# suite (regress/run.sh: unit, SQL and script tests), ending with the line
# `N passed, N failed`; exits nonzero when a test failed.  Arguments go to
# regress/run.sh (e.g. --sql, or test names).  LM_SKIP_SETUP=1 skips set-up.
set -uo pipefail

cd "$(dirname "$0")/.."
if [ "${LM_SKIP_SETUP:-0}" != 1 ]; then
    if ! bash scripts/setup.sh; then
        echo "set-up or build failed (see above)"
        echo "0 passed, 1 failed"
        exit 1
    fi
fi
# check programs (unit tests, contrib test clients) are built by the runner, one by one
exec bash regress/run.sh "$@"
