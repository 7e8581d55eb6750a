"""webhook: HTTP ingestion into a webhook source table (seed 003), across kill -9.

Covers: CREATE SOURCE TABLE ... (connector = 'webhook') announces a token in a NOTICE; requests
without it (or with a wrong one) get 401; bodies as one JSON object, a JSON array and NDJSON;
malformed bodies 400; metadata columns (_event_id, _received_at, _client_ip, _headers, _body)
and declared columns filled by name; token rotation with ALTER ... SET (token = 'rotate');
sync_wait = false acknowledges too.  Then the durability check: 10,000 events POSTed by 8
concurrent clients (20 events per request) with sync_wait on; laminard is kill -9'd while they
run and restarted; clients retry every request that failed; afterwards every acknowledged event
is in the pipeline's target table (a plain table keyed by event id, so retried duplicates
collapse) with its mapped columns.  Bounded: a watchdog ends the test after 120 s.
"""
import http.client
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402

tap = Tap()
WATCHDOG_S = 120
TOKEN = "test-token-0123456789"
EVENTS = 10000
CLIENTS = 8
PER_REQUEST = 20


def watchdog():
    print("not ok %d - the test finished within %d s" % (tap.n + 1, WATCHDOG_S), flush=True)
    os._exit(1)


timer = threading.Timer(WATCHDOG_S, watchdog)
timer.daemon = True
timer.start()


def post(port, path, body, headers=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        c.request("POST", path, body=body.encode() if isinstance(body, str) else body, headers=h)
        r = c.getresponse()
        data = r.read()
        try:
            return r.status, json.loads(data)
        except ValueError:
            return r.status, data
    finally:
        c.close()


def auth(token=TOKEN):
    return {"Authorization": "Bearer " + token}


def query(srv, sql):
    return srv.psql(sql, extra=["-At"]).stdout.strip()


def wait_rows(srv, sql, want, seconds=30):
    deadline = time.time() + seconds
    got = None
    while time.time() < deadline:
        got = query(srv, sql)
        if got == want:
            return got
        time.sleep(0.3)
    return got


srv = Server()
srv.start()
r = srv.psql("CREATE SOURCE TABLE events (_event_id STRING, _received_at TIMESTAMPTZ, "
             "_client_ip STRING, _headers JSON, _body JSON, id BIGINT, kind STRING, "
             "amount DOUBLE) WITH (connector = 'webhook', token = '%s')" % TOKEN)
tap.ok("webhook token for events: " + TOKEN in r.stderr, "CREATE announces the token in a NOTICE",
       r.stderr)
r = srv.psql("CREATE SOURCE TABLE gen_events (id BIGINT) WITH (connector = 'webhook', "
             "path = 'hooks/gen', sync_wait = false)")
gen_token = r.stderr.split("webhook token for gen_events: ")[1].split()[0] if "webhook token" in r.stderr else ""
tap.ok(gen_token.startswith("whk_") and len(gen_token) > 20, "a generated token is announced")
shown = query(srv, "SELECT config::text FROM laminar.connection_tables WHERE name = 'events'")
tap.ok(TOKEN not in shown and "token" not in shown,
       "the token is kept hashed and never shown", shown)
shown = srv.psql("SHOW CREATE SOURCE TABLE events", extra=["-At"]).stdout
tap.ok("token" not in shown and "connector = 'webhook'" in shown, "SHOW CREATE shows no token", shown)

srv.psql("CREATE TABLE hook_out (id BIGINT PRIMARY KEY, kind TEXT, amount DOUBLE PRECISION, "
         "issue TEXT, ctype TEXT, ip TEXT, has_id BOOLEAN, recent BOOLEAN)")
srv.psql("CREATE PIPELINE hook_pipe WITH (checkpoint_interval = '500ms') AS INSERT INTO hook_out "
         "SELECT id, kind, amount, _body->'issue'->>'id', _headers->>'Content-Type', _client_ip, "
         "length(_event_id) = 36, _received_at > now() - INTERVAL '1 hour' FROM events")
srv.psql("START PIPELINE hook_pipe")

port = srv.http_port
st, body = post(port, "/ingest/events", '{"id": 1}')
tap.ok(st == 401 and body["error"]["code"] == "UNAUTHORIZED", "no token: 401", body)
st, body = post(port, "/ingest/events", '{"id": 1}', auth("wrong-token-000000000"))
tap.ok(st == 401, "wrong token: 401", body)
st, body = post(port, "/ingest/nosuch", '{"id": 1}', auth())
tap.ok(st == 404, "unknown path: 404", body)
st, body = post(port, "/ingest/events", '{"id": 1, "kind": "obj", "amount": 2.5, '
                '"issue": {"id": "ISS-1"}}', auth())
tap.ok(st == 200 and body["data"]["accepted"] == 1, "one JSON object accepted", body)
st, body = post(port, "/ingest/events", '[{"id": 2, "kind": "arr"}, {"id": 3, "kind": "arr"}]',
                auth())
tap.ok(st == 200 and body["data"]["accepted"] == 2, "a JSON array is one event per element", body)
st, body = post(port, "/ingest/events", '{"id": 4, "kind": "nd"}\n{"id": 5, "kind": "nd"}\n',
                {"X-Laminar-Token": TOKEN, "Content-Type": "application/x-ndjson"})
tap.ok(st == 200 and body["data"]["accepted"] == 2, "NDJSON with X-Laminar-Token", body)
st, body = post(port, "/ingest/events", '{"id": 6,', auth())
tap.ok(st == 400 and body["error"]["code"] == "FORMAT_ERROR", "malformed body: 400", body)
got = wait_rows(srv, "SELECT id, kind, amount, issue, ctype, ip, has_id, recent FROM hook_out "
                "ORDER BY id",
                "1|obj|2.5|ISS-1|application/json|127.0.0.1|t|t\n"
                "2|arr|||application/json|127.0.0.1|t|t\n"
                "3|arr|||application/json|127.0.0.1|t|t\n"
                "4|nd|||application/x-ndjson|127.0.0.1|t|t\n"
                "5|nd|||application/x-ndjson|127.0.0.1|t|t")
tap.ok(got.startswith("1|obj|2.5|ISS-1|application/json|127.0.0.1|t|t") and got.count("\n") == 4,
       "the pipeline maps body fields, nested paths, headers and metadata", got)

st, body = post(port, "/hooks/gen".replace("/hooks", "/ingest/hooks"), '{"id": 1}', auth(gen_token))
tap.ok(st == 200 and body["data"]["durable"] is False, "path option and sync_wait = false", body)
r = srv.psql("ALTER SOURCE TABLE gen_events SET (token = 'rotate')")
new_token = r.stderr.split("webhook token for gen_events: ")[1].split()[0] if "webhook token" in r.stderr else ""
st_old, _ = post(port, "/ingest/hooks/gen", '{"id": 2}', auth(gen_token))
st_new, _ = post(port, "/ingest/hooks/gen", '{"id": 2}', auth(new_token))
tap.ok(new_token and new_token != gen_token and st_old == 401 and st_new == 200,
       "ALTER ... SET (token = 'rotate') replaces the token", (st_old, st_new))

# ---- sink batching conditions (seed 003 ranges): checked at CREATE and ALTER
srv.psql("CREATE CONNECTION PROFILE pg WITH (connector = 'postgres', host = '127.0.0.1', "
         "database = 'x', user = 'u')")
r = srv.psql("CREATE SINK TABLE s_ok (a INT) WITH (profile = 'pg', table = 't', "
             "batch_interval = '1 minute', batch_bytes = '50MB', batch_size = 50000)", check=False)
tap.ok(r.returncode == 0, "batch conditions within range are accepted", r.stderr)
for opt, val in (("batch_interval", "'25 hours'"), ("batch_bytes", "'600MB'"),
                 ("batch_bytes", "99"), ("batch_size", "0"), ("batch_size", "10000001")):
    r = srv.psql("ALTER SINK TABLE s_ok SET (%s = %s)" % (opt, val), check=False)
    tap.ok(r.returncode != 0 and "out of range" in r.stderr,
           "%s = %s is rejected as out of range" % (opt, val), r.stderr)

# ---- durability under kill -9
acked = set()
acked_lock = threading.Lock()
port_box = {"port": port}
failures = {"n": 0}


def client(k):
    ids = list(range(1000 + k, 1000 + EVENTS, CLIENTS))
    for i in range(0, len(ids), PER_REQUEST):
        chunk = ids[i:i + PER_REQUEST]
        payload = "\n".join(json.dumps({"id": n, "kind": "k%d" % (n % 7), "amount": n / 4.0,
                                        "issue": {"id": "I%d" % n}}) for n in chunk)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                st, _ = post(port_box["port"], "/ingest/events", payload, auth(), timeout=5)
                if st == 200:
                    with acked_lock:
                        acked.update(chunk)
                    break
            except (OSError, http.client.HTTPException):
                pass
            failures["n"] += 1
            time.sleep(0.05)


threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(CLIENTS)]
t0 = time.time()
for t in threads:
    t.start()
while len(acked) < EVENTS // 3 and time.time() - t0 < 30:
    time.sleep(0.01)
n_before = len(acked)
srv.kill9()
time.sleep(0.3)
srv.restart()
for t in threads:
    t.join(timeout=70)
tap.ok(n_before < EVENTS and len(acked) == EVENTS - 0,
       "all 10,000 events acknowledged in the end (%d before kill -9, %d failed requests retried)"
       % (n_before, failures["n"]), len(acked))
got = wait_rows(srv, "SELECT count(*) FROM hook_out WHERE id >= 1000", str(EVENTS), 40)
tap.ok(got == str(EVENTS), "every acknowledged event reached the target after the restart", got)
bad = query(srv, "SELECT count(*) FROM hook_out WHERE id >= 1000 AND (kind <> 'k' || (id %% 7)::text "
            "OR amount <> id / 4.0 OR issue <> 'I' || id::text OR NOT has_id)".replace("%%", "%"))
tap.ok(bad == "0", "the output matches the events' mapped columns", bad)
metrics = ""
try:
    c = http.client.HTTPConnection("127.0.0.1", srv.http_port, timeout=10)
    c.request("GET", "/metrics")
    metrics = c.getresponse().read().decode()
    c.close()
except OSError as e:
    metrics = str(e)
tap.ok("laminar_ingest_events_total" in metrics and "laminar_job_records_in_total{" in metrics,
       "/metrics reports ingestion and job counters")
srv.close()
tap.done()
