#!/usr/bin/env bash
# tls: SSLRequest answered with TLS when a certificate is configured (psql
# sslmode=require and verify-full work, \conninfo reports TLS, libpq's
# PQsslInUse is true); answered 'N' without one (sslmode=require fails,
# prefer falls back); a bad certificate path stops the server with an error.
set -uo pipefail
. "$(dirname "$0")/../lib/server.sh"
lm_setup

CERT=$LM_TMP/server.crt KEY=$LM_TMP/server.key
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$KEY" -out "$CERT" >"$LM_TMP/openssl.log" 2>&1
lm_ok $? "self-signed certificate generated" || lm_bail "openssl req failed: $(cat "$LM_TMP/openssl.log")"
chmod 600 "$KEY"

lm_server_start --ssl-cert "$CERT" --ssl-key "$KEY" || lm_bail "laminard starts with --ssl-cert/--ssl-key"

psql -X "host=127.0.0.1 port=$LM_PORT user=laminar dbname=laminar sslmode=require" \
    -c '\conninfo' -c 'SHOW server_version' >"$LM_TMP/req.out" 2>&1
lm_ok $? "psql sslmode=require connects and runs a statement" || lm_diag "$(cat "$LM_TMP/req.out")"
grep -q "SSL connection (protocol: TLSv1\.[23]" "$LM_TMP/req.out"
lm_ok $? "\\conninfo reports a TLS 1.2+ connection" || lm_diag "$(cat "$LM_TMP/req.out")"

psql -X "host=127.0.0.1 port=$LM_PORT user=laminar dbname=laminar sslmode=verify-full sslrootcert=$CERT" \
    -At -c 'SHOW server_version' >"$LM_TMP/vf.out" 2>&1
lm_ok $? "psql sslmode=verify-full with the certificate as root" || lm_diag "$(cat "$LM_TMP/vf.out")"

/usr/bin/python3 - "$LM_PORT" >"$LM_TMP/py.out" 2>&1 <<'PY'
import sys, psycopg2
c = psycopg2.connect(host="127.0.0.1", port=sys.argv[1], user="laminar", dbname="laminar",
                     sslmode="require")
assert c.info.ssl_in_use, "ssl_in_use is false"
cur = c.cursor()
cur.execute("SET application_name = 'tls'")
cur.execute("SHOW application_name")
assert cur.fetchone()[0] == "tls"
print(c.info.ssl_attribute("protocol"))
PY
lm_ok $? "psycopg2 over TLS: PQsslInUse true, SET/SHOW work" || lm_diag "$(cat "$LM_TMP/py.out")"

psql -X "host=127.0.0.1 port=$LM_PORT user=laminar dbname=laminar sslmode=disable" \
    -At -c 'SHOW server_version' >/dev/null 2>&1
lm_ok $? "plain connections still work on a TLS-enabled server"

psql -X "host=127.0.0.1 port=$LM_PORT user=laminar dbname=laminar sslmode=require gssencmode=prefer" \
    -At -c 'SHOW server_version' >/dev/null 2>&1
lm_ok $? "GSSENCRequest is declined and TLS follows"

# bytes sent after SSLRequest before the handshake are refused
/usr/bin/python3 - "$LM_PORT" >"$LM_TMP/inject.out" 2>&1 <<'PY'
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
# SSLRequest followed at once by a plaintext StartupMessage (the CVE-2021-23214 pattern)
body = struct.pack("!I", 196608) + b"user\0laminar\0database\0laminar\0\0"
s.sendall(struct.pack("!II", 8, 80877103) + struct.pack("!I", len(body) + 4) + body)
data = b""
try:
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
except (ConnectionResetError, socket.timeout):
    pass
# acceptable: 'S' then close / TLS failure, or an error; never a plaintext session (AuthenticationOk)
assert b"R\0\0\0\x08\0\0\0\0" not in data, "plaintext session started after SSLRequest: %r" % data[:40]
print("reply", data[:1])
PY
lm_ok $? "bytes pipelined after SSLRequest do not start a plaintext session" || lm_diag "$(cat "$LM_TMP/inject.out")"
lm_server_stop
lm_ok $? "TLS server stops cleanly"

# without TLS configured
LM_DATA=$LM_TMP/data_plain LM_LOG=$LM_TMP/plain.log
lm_server_start || lm_bail "laminard starts without TLS"
psql -X "host=127.0.0.1 port=$LM_PORT user=laminar dbname=laminar sslmode=require" \
    -At -c 'SHOW server_version' >"$LM_TMP/noreq.out" 2>&1
[ $? -ne 0 ] && grep -qi "does not support SSL" "$LM_TMP/noreq.out"
lm_ok $? "no TLS configured: sslmode=require is refused ('N')" || lm_diag "$(cat "$LM_TMP/noreq.out")"
psql -X "host=127.0.0.1 port=$LM_PORT user=laminar dbname=laminar sslmode=prefer" \
    -At -c 'SHOW server_version' >/dev/null 2>&1
lm_ok $? "no TLS configured: sslmode=prefer falls back to plaintext"
lm_server_stop

# a certificate that does not exist
P=$(lm_free_port)
timeout 20 "$LAMINARD" -D "$LM_TMP/data_bad" --port "$P" --http-port 0 \
    --ssl-cert "$LM_TMP/missing.crt" --ssl-key "$KEY" >"$LM_TMP/badcert.out" 2>&1
status=$?
[ $status -ne 0 ] && [ $status -ne 124 ]
lm_ok $? "a missing certificate file stops the server with an error (status $status)" ||
    lm_diag "$(tail -5 "$LM_TMP/badcert.out")"
lm_done
