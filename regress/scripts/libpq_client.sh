#!/usr/bin/env bash
# libpq_client: contrib/pgclient_test, a libpq C client, runs DDL, SET and
# SHOW through the simple and the extended protocol (PQprepare /
# PQexecPrepared, binary results) and checks ParameterStatus, error fields and
# transaction status.  Its TAP lines are this test's.
set -uo pipefail
. "$(dirname "$0")/../lib/server.sh"
CLIENT=$LM_BUILDDIR/contrib/pgclient_test
[ -x "$CLIENT" ] || lm_bail "contrib/pgclient_test is built (make contrib/pgclient_test)"
lm_server_start || lm_bail "laminard starts"
"$CLIENT" "host=127.0.0.1 port=$LM_PORT user=laminar dbname=laminar sslmode=disable"
status=$?
if ! lm_server_alive; then
    echo "not ok - laminard still running after the client"
    exit 1
fi
exit $status
