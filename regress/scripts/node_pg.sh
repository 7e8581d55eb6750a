#!/usr/bin/env bash
#
# node_pg: node-postgres against a live laminard.  The driver version is
# pinned by regress/scripts/node/package.json + package-lock.json and
# installed with `npm ci` from the npm registry into a cache directory
# outside the source tree, once per lock file (later runs reuse it and do not
# touch the network):
#     ${LM_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/laminar}/node-pg-<lock hash>/node_modules
# Then runs regress/scripts/node/test.js (parameterized and named prepared
# queries, transactions, introspection, a Pool), which prints the TAP lines;
# this wrapper adds the install, the server's clean shutdown and the plan.
. "$(dirname "$0")/../lib/server.sh"

lm_setup
NODE_DIR=$LM_SRCDIR/regress/scripts/node
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    lm_ok 1 "node and npm are installed (scripts/setup.sh installs nodejs npm)"
    lm_done
    exit 1
fi

lock_hash=$(cat "$NODE_DIR/package.json" "$NODE_DIR/package-lock.json" | sha256sum | cut -c1-16)
CACHE=${LM_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/laminar}/node-pg-$lock_hash
if [ ! -f "$CACHE/node_modules/pg/package.json" ]; then
    # install into a fresh directory and move it into place, so that an
    # interrupted install is never mistaken for a complete one
    mkdir -p "$(dirname "$CACHE")"
    staging=$(mktemp -d "$(dirname "$CACHE")/.node-pg-install.XXXXXX")
    cp "$NODE_DIR/package.json" "$NODE_DIR/package-lock.json" "$staging/"
    if (cd "$staging" && timeout 300 npm ci --no-audit --no-fund --prefer-offline --loglevel=error) \
        >"$LM_TMP/npm.log" 2>&1; then
        rm -rf "$CACHE"
        mv "$staging" "$CACHE"
        lm_ok 0 "node-postgres installed from the npm registry with npm ci (into $CACHE)"
    else
        rm -rf "$staging"
        sed 's/^/#   /' "$LM_TMP/npm.log" | tail -n 20
        lm_ok 1 "node-postgres installs from the npm registry with npm ci"
        lm_done
        exit 1
    fi
else
    lm_ok 0 "node-postgres already installed ($CACHE)"
fi

lm_server_start || lm_bail "laminard starts"
# test.js numbers its checks from 1: renumber them after the install check
NODE_PATH=$CACHE/node_modules timeout 300 node "$NODE_DIR/test.js" "$LM_PORT" 2>&1 | tee "$LM_TMP/node.out" |
    awk -v base="$LM_TAP_N" '/^(not )?ok [0-9]+ / { sub(/ok [0-9]+ /, "ok " (++k + base) " ") } { print }'
node_status=${PIPESTATUS[0]}
LM_TAP_N=$((LM_TAP_N + $(grep -Ec '^(not )?ok [0-9]+' "$LM_TMP/node.out")))
LM_TAP_FAILED=$((LM_TAP_FAILED + $(grep -Ec '^not ok [0-9]+' "$LM_TMP/node.out")))
if [ "$node_status" -ne 0 ] && [ "$(grep -Ec '^not ok [0-9]+' "$LM_TMP/node.out")" -eq 0 ]; then
    lm_ok 1 "the node-postgres program ran to the end (exit status $node_status)"
fi
lm_server_stop
lm_ok $? "laminard stops cleanly after the node-postgres sessions" || tail -n 20 "$LM_LOG" | sed 's/^/#   /'
lm_done
exit $?
