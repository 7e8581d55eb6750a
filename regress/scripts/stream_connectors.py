"""stream_connectors: the built-in connectors end to end, through pipelines.

Covers: the three nexmark streams (same seed and max_events) copied into plain
tables at parallelism 2 hold exactly the generator's events (46000 bids, 3000
auctions, 1000 people of 50000 events; every bid once), their ids line up
(auction ids and person ids consecutive from 1000, every seller that can
exist does), and the same stream read at parallelism 1 gives the same rows;
a changelog (non-windowed aggregate) upserted by primary key into a plain
table equals the same aggregate computed ad hoc over the stored bids (the
oracle); datagen sequences and ranges reach a plain table; a plain table
without a primary key is appended to; the rows of a running job's epoch
appear only with checkpoints."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402

import psycopg2  # noqa: E402

tap = Tap()
try:
    srv = Server()
    srv.start()
except Exception as e:
    tap.bail("laminard starts", e)


def connect():
    c = psycopg2.connect(srv.dsn())
    c.autocommit = True
    return c


def q(conn, sql, args=None):
    cur = conn.cursor()
    cur.execute(sql, args)
    return cur.fetchall() if cur.description else None


def one(conn, sql, args=None):
    rows = q(conn, sql, args)
    return rows[0] if rows else None


def job_state(conn, job_id):
    r = one(conn, "SELECT state FROM laminar.jobs WHERE id = %s", (job_id,))
    return r[0] if r else None


def failure(conn, job_id):
    r = one(conn, "SELECT state, failure_message FROM laminar.jobs WHERE id = %s", (job_id,))
    return "job: %r\nlog:\n%s" % (r, srv.log_tail(15))


def run(conn, name, timeout=120.0):
    """Starts a pipeline and waits for its job to end; returns (job id, completed?)."""
    job = one(conn, "START PIPELINE " + name)[0]
    deadline = time.time() + timeout
    while job_state(conn, job) not in ("completed", "failed", "stopped") and time.time() < deadline:
        time.sleep(0.1)
    return job, job_state(conn, job) == "completed"


BID_COLS = ("auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, "
            "date_time TIMESTAMP, extra STRING")

with srv:
    conn = connect()
    for t in ("person", "auction", "bid"):
        q(conn, "CREATE SOURCE TABLE nx_%s WITH (connector = 'nexmark', event_type = '%s', "
                "max_events = 50000, seed = 7)" % (t, t))
    q(conn, "CREATE TABLE bids (%s)" % BID_COLS)
    q(conn, "CREATE TABLE bids_p1 (%s)" % BID_COLS)
    q(conn, "CREATE TABLE people (id BIGINT PRIMARY KEY, name STRING, city STRING, "
            "state STRING, date_time TIMESTAMP)")
    q(conn, "CREATE TABLE auctions (id BIGINT PRIMARY KEY, seller BIGINT, category BIGINT, "
            "initial_bid BIGINT, reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP)")
    q(conn, "CREATE PIPELINE copy_bids WITH (parallelism = 2) AS INSERT INTO bids "
            "SELECT * FROM nx_bid")
    q(conn, "CREATE PIPELINE copy_bids_p1 WITH (parallelism = 1) AS INSERT INTO bids_p1 "
            "SELECT * FROM nx_bid")
    q(conn, "CREATE PIPELINE copy_people WITH (parallelism = 2) AS INSERT INTO people "
            "SELECT id, name, city, state, date_time FROM nx_person")
    q(conn, "CREATE PIPELINE copy_auctions WITH (parallelism = 2) AS INSERT INTO auctions "
            "SELECT id, seller, category, initial_bid, reserve, date_time, expires FROM nx_auction")

    for p in ("copy_bids", "copy_bids_p1", "copy_people", "copy_auctions"):
        job, ok = run(conn, p)
        tap.ok(ok, "nexmark -> plain table (%s) completes" % p, failure(conn, job))

    r = one(conn, "SELECT count(*), count(DISTINCT date_time) FROM bids")
    tap.ok(r == (46000, 46000), "50000 events hold 46000 bids, each once (parallelism 2)",
           repr(r))
    r = one(conn, "SELECT count(*) FROM (SELECT * FROM bids EXCEPT ALL SELECT * FROM bids_p1) d")
    r2 = one(conn, "SELECT count(*) FROM bids_p1")
    tap.ok(r == (0,) and r2 == (46000,), "parallelism 1 and 2 give the same bids",
           repr((r, r2)))
    r = one(conn, "SELECT count(*), min(id), max(id) FROM people")
    tap.ok(r == (1000, 1000, 1999), "people: 1000 consecutive ids from 1000", repr(r))
    r = one(conn, "SELECT count(*), min(id), max(id), min(category), max(category) FROM auctions")
    tap.ok(r == (3000, 1000, 3999, 10, 14), "auctions: 3000 consecutive ids, categories 10..14",
           repr(r))
    r = one(conn, "SELECT count(*) FROM auctions a WHERE NOT EXISTS "
                  "(SELECT 1 FROM people p WHERE p.id = a.seller) AND a.seller <= 1999")
    tap.ok(r == (0,), "every seller id that the sequence reaches is a person", repr(r))
    r = one(conn, "SELECT count(*) FROM bids b WHERE b.auction > 3999 + 10 OR b.bidder > 1999 + 10")
    tap.ok(r == (0,), "bids name auctions and people of the same sequence", repr(r))
    r = one(conn, "SELECT count(*) FROM bids b JOIN auctions a ON a.id = b.auction")
    tap.ok(r is not None and r[0] > 40000, "bids join their auctions", repr(r))

    # A changelog into a primary-keyed plain table equals the ad-hoc aggregate (the oracle).
    q(conn, "CREATE TABLE bid_stats (auction BIGINT PRIMARY KEY, bids BIGINT, top BIGINT)")
    q(conn, "CREATE PIPELINE stats WITH (parallelism = 2, checkpoint_interval = '1 second') AS "
            "INSERT INTO bid_stats SELECT auction, count(*), max(price) FROM nx_bid "
            "GROUP BY auction")
    job, ok = run(conn, "stats")
    tap.ok(ok, "aggregate -> plain table completes", failure(conn, job))
    r = one(conn, "SELECT count(*) FROM ((SELECT * FROM bid_stats EXCEPT "
                  "SELECT auction, count(*), max(price) FROM bids GROUP BY auction) UNION ALL "
                  "(SELECT auction, count(*), max(price) FROM bids GROUP BY auction EXCEPT "
                  "SELECT * FROM bid_stats)) d")
    tap.ok(r == (0,), "upserted changelog equals the aggregate over the stored bids", repr(r))

    # datagen
    q(conn, "CREATE SOURCE TABLE gen (id BIGINT NOT NULL, v INT, s STRING, ts TIMESTAMP) "
            "WITH (connector = 'datagen', number_of_rows = 20000, seed = 3, "
            "'fields.id.kind' = 'sequence', 'fields.id.start' = '1', "
            "'fields.v.min' = '-3', 'fields.v.max' = '3', 'fields.s.length' = '5')")
    q(conn, "CREATE TABLE gen_copy (id BIGINT PRIMARY KEY, v INT, s STRING, ts TIMESTAMP)")
    q(conn, "CREATE PIPELINE gen_p WITH (parallelism = 2) AS INSERT INTO gen_copy "
            "SELECT * FROM gen")
    job, ok = run(conn, "gen_p")
    tap.ok(ok, "datagen -> plain table completes", failure(conn, job))
    r = one(conn, "SELECT count(*), min(id), max(id), min(v), max(v), min(length(s)), "
                  "max(length(s)), min(ts) = TIMESTAMP '2024-01-01 00:00:00' FROM gen_copy")
    tap.ok(r == (20000, 1, 20000, -3, 3, 5, 5, True),
           "datagen: sequence, ranges, string length, seeded timestamps", repr(r))

    # a running job's output appears with checkpoints
    q(conn, "CREATE SOURCE TABLE slow WITH (connector = 'nexmark', event_type = 'bid', "
            "events_per_second = 2000, max_events = 8000, seed = 1)")
    q(conn, "CREATE TABLE slow_copy (%s)" % BID_COLS)
    q(conn, "CREATE PIPELINE slow_p WITH (checkpoint_interval = '1 second') AS "
            "INSERT INTO slow_copy SELECT * FROM slow")
    job = one(conn, "START PIPELINE slow_p")[0]
    seen = []
    deadline = time.time() + 30
    while job_state(conn, job) not in ("completed", "failed") and time.time() < deadline:
        seen.append(one(conn, "SELECT count(*) FROM slow_copy")[0])
        time.sleep(0.2)
    final = one(conn, "SELECT count(*) FROM slow_copy")[0]
    partial = [n for n in seen if 0 < n < 7360]
    tap.ok(job_state(conn, job) == "completed" and final == 7360,
           "a rate-limited job completes with every bid", failure(conn, job))
    tap.ok(len(partial) > 0 and len(set(partial)) < len(partial),
           "rows appear in checkpoint-sized steps while it runs", repr(seen))

tap.done()
