"""stream_windows: pipelines with windows and stateful operators give the same
result as the same query run ad hoc over the same rows stored in a plain table
(the oracle: the bounded operators, not the streaming code).

Bounded Nexmark sources (fixed seed) are copied into plain tables by one
pipeline each; then every pipeline below runs to completion into a plain
table (rows upserted by primary key) and its rows are compared with the
ad-hoc query: TUMBLE (group form and FROM TUMBLE), HOP, SESSION, emit =
'on_update', a non-windowed aggregate (changelog into an upsert table),
top-N with rn and dedup without it, interval and window joins, a lookup join
to a plain table, regular (unbounded) joins — inner, left outer, over a
changelog, and Nexmark q4's shape at parallelism 2 —, DISTINCT inside aggregates (window and changelog), and
parallelism 2.  A table without event time gets processing-time windows.  Late data: random event times behind a
short watermark delay — with late_data = 'error' the rows kept plus the late
rows recorded in laminar.job_errors account for every input row.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402

import psycopg2  # noqa: E402

tap = Tap()

BIDS_COLS = ("auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, "
             "date_time TIMESTAMP, extra STRING")
AUCTION_COLS = ("id BIGINT, item_name STRING, description STRING, initial_bid BIGINT, "
                "reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT, "
                "category BIGINT, extra STRING")


def wait_done(cur, names, timeout=120):
    """Waits until the pipelines' jobs left 'running'; returns {name: (state, failure)}."""
    deadline = time.time() + timeout
    while True:
        cur.execute("SELECT pipeline_name, state, failure_message FROM laminar.jobs "
                    "WHERE pipeline_name = ANY(%s)", (list(names),))
        rows = {r[0]: (r[1], r[2]) for r in cur.fetchall()}
        if len(rows) == len(names) and all(s != "running" for s, _ in rows.values()):
            return rows
        if time.time() > deadline:
            return rows
        time.sleep(0.2)


def rows_of(cur, sql):
    cur.execute(sql)
    return sorted(tuple(r) for r in cur.fetchall())


# name, target table DDL, pipeline options, pipeline SELECT, oracle SELECT (over *_t tables),
# query of the target for the comparison
CASES = [
    ("tumble",
     "ws timestamp, we timestamp, auction bigint, cnt bigint, maxp bigint, PRIMARY KEY (ws, auction)",
     "",
     "SELECT TUMBLE_START(date_time, INTERVAL '10' SECOND), TUMBLE_END(date_time, INTERVAL '10' SECOND), "
     "auction, count(*), max(price) FROM bids GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction",
     "SELECT TUMBLE_START(date_time, INTERVAL '10' SECOND), TUMBLE_END(date_time, INTERVAL '10' SECOND), "
     "auction, count(*), max(price) FROM bids_t GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction",
     "SELECT * FROM tumble"),
    ("tumble_tvf",
     "ws timestamp, channel text, cnt bigint, total bigint, PRIMARY KEY (ws, channel)",
     "",
     "SELECT window_start, channel, count(*), sum(price) FROM TUMBLE(bids, date_time, INTERVAL '5' SECOND) "
     "GROUP BY window_start, window_end, channel",
     "SELECT window_start, channel, count(*), sum(price) FROM TUMBLE(bids_t, date_time, INTERVAL '5' SECOND) "
     "GROUP BY window_start, window_end, channel",
     "SELECT * FROM tumble_tvf"),
    ("hop",
     "ws timestamp, auction bigint, cnt bigint, minp bigint, PRIMARY KEY (ws, auction)",
     "",
     "SELECT HOP_START(date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND), auction, count(*), min(price) "
     "FROM bids GROUP BY HOP(date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND), auction",
     "SELECT HOP_START(date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND), auction, count(*), min(price) "
     "FROM bids_t GROUP BY HOP(date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND), auction",
     "SELECT * FROM hop"),
    ("session",
     "bidder bigint, ws timestamp, we timestamp, cnt bigint, total bigint, PRIMARY KEY (bidder, ws)",
     "",
     "SELECT bidder, SESSION_START(date_time, INTERVAL '2' SECOND), SESSION_END(date_time, INTERVAL '2' SECOND), "
     "count(*), sum(price) FROM bids GROUP BY bidder, SESSION(date_time, INTERVAL '2' SECOND)",
     "SELECT bidder, SESSION_START(date_time, INTERVAL '2' SECOND), SESSION_END(date_time, INTERVAL '2' SECOND), "
     "count(*), sum(price) FROM bids_t GROUP BY bidder, SESSION(date_time, INTERVAL '2' SECOND)",
     "SELECT * FROM session"),
    ("on_update",
     "ws timestamp, channel text, cnt bigint, PRIMARY KEY (ws, channel)",
     "emit = 'on_update'",
     "SELECT window_start, channel, count(*) FROM TUMBLE(bids, date_time, INTERVAL '10' SECOND) "
     "GROUP BY window_start, window_end, channel",
     "SELECT window_start, channel, count(*) FROM TUMBLE(bids_t, date_time, INTERVAL '10' SECOND) "
     "GROUP BY window_start, window_end, channel",
     "SELECT * FROM on_update"),
    ("agg",
     "channel text PRIMARY KEY, cnt bigint, total bigint, avgp numeric, minp bigint, maxp bigint",
     "",
     "SELECT channel, count(*), sum(price), avg(price), min(price), max(price) FROM bids GROUP BY channel",
     "SELECT channel, count(*), sum(price), round(avg(price), 6), min(price), max(price) FROM bids_t "
     "GROUP BY channel",
     "SELECT channel, cnt, total, round(avgp, 6), minp, maxp FROM agg"),
    ("distinct_win",
     "ws timestamp, channel text, nb bigint, na bigint, nbf bigint, nurl bigint, PRIMARY KEY (ws, channel)",
     "",
     "SELECT window_start, channel, count(DISTINCT bidder), count(DISTINCT auction), "
     "count(DISTINCT bidder) FILTER (WHERE price < 10000), count(DISTINCT url) "
     "FROM TUMBLE(bids, date_time, INTERVAL '10' SECOND) GROUP BY window_start, window_end, channel",
     "SELECT window_start, channel, count(DISTINCT bidder), count(DISTINCT auction), "
     "count(DISTINCT bidder) FILTER (WHERE price < 10000), count(DISTINCT url) "
     "FROM TUMBLE(bids_t, date_time, INTERVAL '10' SECOND) GROUP BY window_start, window_end, channel",
     "SELECT * FROM distinct_win"),
    ("distinct_agg",
     "channel text PRIMARY KEY, nb bigint, sd numeric, na bigint, cnt bigint",
     "",
     "SELECT channel, count(DISTINCT bidder), sum(DISTINCT price), "
     "count(DISTINCT auction) FILTER (WHERE price >= 10000), count(*) FROM bids GROUP BY channel",
     "SELECT channel, count(DISTINCT bidder), sum(DISTINCT price), "
     "count(DISTINCT auction) FILTER (WHERE price >= 10000), count(*) FROM bids_t GROUP BY channel",
     "SELECT * FROM distinct_agg"),
    ("topn",
     "auction bigint, rn bigint, price bigint, bidder bigint, PRIMARY KEY (auction, rn)",
     "",
     "SELECT auction, rn, price, bidder FROM (SELECT auction, price, bidder, row_number() OVER "
     "(PARTITION BY auction ORDER BY price DESC, bidder) AS rn FROM bids) t WHERE rn <= 3",
     "SELECT auction, rn, price, bidder FROM (SELECT auction, price, bidder, row_number() OVER "
     "(PARTITION BY auction ORDER BY price DESC, bidder) AS rn FROM bids_t) t WHERE rn <= 3",
     "SELECT * FROM topn"),
    ("dedup",
     "bidder bigint PRIMARY KEY, auction bigint, price bigint",
     "",
     "SELECT bidder, auction, price FROM (SELECT bidder, auction, price, row_number() OVER "
     "(PARTITION BY bidder ORDER BY date_time DESC, auction, price) AS rn FROM bids) t WHERE rn = 1",
     "SELECT bidder, auction, price FROM (SELECT bidder, auction, price, row_number() OVER "
     "(PARTITION BY bidder ORDER BY date_time DESC, auction, price) AS rn FROM bids_t) t WHERE rn = 1",
     "SELECT * FROM dedup"),
    ("interval_join",
     "auction bigint, bidder bigint, price bigint, bts timestamp, seller bigint, "
     "PRIMARY KEY (auction, bidder, price, bts)",
     "",
     "SELECT b.auction, b.bidder, b.price, b.date_time, a.seller FROM bids b JOIN auctions a "
     "ON a.id = b.auction AND b.date_time BETWEEN a.date_time AND a.date_time + INTERVAL '5' SECOND",
     "SELECT b.auction, b.bidder, b.price, b.date_time, a.seller FROM bids_t b JOIN auctions_t a "
     "ON a.id = b.auction AND b.date_time BETWEEN a.date_time AND a.date_time + INTERVAL '5' SECOND",
     "SELECT * FROM interval_join"),
    ("window_join",
     "ws timestamp, auction bigint, bids bigint, seller bigint, PRIMARY KEY (ws, auction)",
     "",
     "SELECT b.window_start, b.auction, b.cnt, a.seller FROM (SELECT window_start, window_end, auction, "
     "count(*) cnt FROM TUMBLE(bids, date_time, INTERVAL '10' SECOND) GROUP BY window_start, window_end, "
     "auction) b JOIN (SELECT window_start, window_end, id, seller FROM TUMBLE(auctions, date_time, "
     "INTERVAL '10' SECOND)) a ON b.window_start = a.window_start AND b.window_end = a.window_end "
     "AND b.auction = a.id",
     "SELECT b.window_start, b.auction, b.cnt, a.seller FROM (SELECT window_start, window_end, auction, "
     "count(*) cnt FROM TUMBLE(bids_t, date_time, INTERVAL '10' SECOND) GROUP BY window_start, window_end, "
     "auction) b JOIN (SELECT window_start, window_end, id, seller FROM TUMBLE(auctions_t, date_time, "
     "INTERVAL '10' SECOND)) a ON b.window_start = a.window_start AND b.window_end = a.window_end "
     "AND b.auction = a.id",
     "SELECT * FROM window_join"),
    ("lookup_join",
     "id bigint PRIMARY KEY, category bigint, cname text",
     "",
     "SELECT a.id, a.category, c.name FROM auctions a LEFT JOIN cats c ON c.id = a.category",
     "SELECT a.id, a.category, c.name FROM auctions_t a LEFT JOIN cats c ON c.id = a.category",
     "SELECT * FROM lookup_join"),
    ("regular_join",
     "id bigint, seller bigint, bidder bigint, price bigint, bts timestamp, "
     "PRIMARY KEY (id, bidder, price, bts)",
     "",
     "SELECT a.id, a.seller, b.bidder, b.price, b.date_time FROM auctions a JOIN bids b "
     "ON a.id = b.auction WHERE a.category = 10",
     "SELECT a.id, a.seller, b.bidder, b.price, b.date_time FROM auctions_t a JOIN bids_t b "
     "ON a.id = b.auction WHERE a.category = 10",
     "SELECT * FROM regular_join"),
    ("regular_left",
     "id bigint, bidder bigint, price bigint, bts timestamp, PRIMARY KEY (id, bidder, price, bts)",
     "",
     "SELECT a.id, coalesce(b.bidder, -1), coalesce(b.price, -1), "
     "coalesce(b.date_time, TIMESTAMP '1970-01-01') FROM auctions a LEFT JOIN bids b "
     "ON a.id = b.auction AND b.price > 3000000",
     "SELECT a.id, coalesce(b.bidder, -1), coalesce(b.price, -1), "
     "coalesce(b.date_time, TIMESTAMP '1970-01-01') FROM auctions_t a LEFT JOIN bids_t b "
     "ON a.id = b.auction AND b.price > 3000000",
     "SELECT * FROM regular_left"),
    ("regular_changelog",
     "id bigint PRIMARY KEY, seller bigint, cnt bigint, maxp bigint",
     "",
     "SELECT a.id, a.seller, c.cnt, c.maxp FROM (SELECT auction, count(*) AS cnt, max(price) AS maxp "
     "FROM bids GROUP BY auction) c JOIN auctions a ON a.id = c.auction",
     "SELECT a.id, a.seller, c.cnt, c.maxp FROM (SELECT auction, count(*) AS cnt, max(price) AS maxp "
     "FROM bids_t GROUP BY auction) c JOIN auctions_t a ON a.id = c.auction",
     "SELECT * FROM regular_changelog"),
    ("regular_p2",
     "category bigint PRIMARY KEY, avgmax numeric",
     "parallelism = 2",
     "SELECT category, round(avg(final), 3) FROM (SELECT max(b.price) AS final, a.category FROM auctions a, "
     "bids b WHERE a.id = b.auction AND b.date_time BETWEEN a.date_time AND a.expires "
     "GROUP BY a.id, a.category) q GROUP BY category",
     "SELECT category, round(avg(final), 3) FROM (SELECT max(b.price) AS final, a.category FROM auctions_t a, "
     "bids_t b WHERE a.id = b.auction AND b.date_time BETWEEN a.date_time AND a.expires "
     "GROUP BY a.id, a.category) q GROUP BY category",
     "SELECT * FROM regular_p2"),
    ("tumble_p2",
     "ws timestamp, auction bigint, cnt bigint, maxp bigint, PRIMARY KEY (ws, auction)",
     "parallelism = 2, checkpoint_interval = '200 milliseconds'",
     "SELECT TUMBLE_START(date_time, INTERVAL '10' SECOND), auction, count(*), max(price) FROM bids "
     "GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction",
     "SELECT TUMBLE_START(date_time, INTERVAL '10' SECOND), auction, count(*), max(price) FROM bids_t "
     "GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction",
     "SELECT * FROM tumble_p2"),
    ("distinct_p2",
     "day text, hr int, nb bigint, na bigint, PRIMARY KEY (day, hr)",
     "parallelism = 2",
     "SELECT to_char(date_time, 'YYYY-MM-DD'), extract(second FROM date_time)::int / 10, "
     "count(DISTINCT bidder), count(DISTINCT auction) FROM bids "
     "GROUP BY to_char(date_time, 'YYYY-MM-DD'), extract(second FROM date_time)::int / 10",
     "SELECT to_char(date_time, 'YYYY-MM-DD'), extract(second FROM date_time)::int / 10, "
     "count(DISTINCT bidder), count(DISTINCT auction) FROM bids_t "
     "GROUP BY to_char(date_time, 'YYYY-MM-DD'), extract(second FROM date_time)::int / 10",
     "SELECT * FROM distinct_p2"),
    ("session_p2",
     "bidder bigint, ws timestamp, cnt bigint, PRIMARY KEY (bidder, ws)",
     "parallelism = 2, checkpoint_interval = '200 milliseconds'",
     "SELECT bidder, SESSION_START(date_time, INTERVAL '1' SECOND), count(*) FROM bids "
     "GROUP BY bidder, SESSION(date_time, INTERVAL '1' SECOND)",
     "SELECT bidder, SESSION_START(date_time, INTERVAL '1' SECOND), count(*) FROM bids_t "
     "GROUP BY bidder, SESSION(date_time, INTERVAL '1' SECOND)",
     "SELECT * FROM session_p2"),
    ("topn_p2",
     "auction bigint, rn bigint, price bigint, PRIMARY KEY (auction, rn)",
     "parallelism = 2, checkpoint_interval = '200 milliseconds'",
     "SELECT auction, rn, price FROM (SELECT auction, price, row_number() OVER "
     "(PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) t WHERE rn <= 2",
     "SELECT auction, rn, price FROM (SELECT auction, price, row_number() OVER "
     "(PARTITION BY auction ORDER BY price DESC) AS rn FROM bids_t) t WHERE rn <= 2",
     "SELECT * FROM topn_p2"),
]


def main():
    with Server() as srv:
        conn = psycopg2.connect(srv.dsn())
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("CREATE SOURCE TABLE bids (%s) WITH (connector = 'nexmark', event_type = 'bid', "
                    "max_events = '30000', seed = '7', event_time_field = 'date_time', "
                    "watermark_delay = '1 second')" % BIDS_COLS)
        cur.execute("CREATE SOURCE TABLE auctions (%s) WITH (connector = 'nexmark', "
                    "event_type = 'auction', max_events = '30000', seed = '7', "
                    "event_time_field = 'date_time', watermark_delay = '1 second')" % AUCTION_COLS)
        cur.execute("CREATE TABLE bids_t (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, "
                    "url TEXT, date_time TIMESTAMP, extra TEXT)")
        cur.execute("CREATE TABLE auctions_t (id BIGINT, item_name TEXT, description TEXT, "
                    "initial_bid BIGINT, reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, "
                    "seller BIGINT, category BIGINT, extra TEXT)")
        cur.execute("CREATE TABLE cats (id bigint PRIMARY KEY, name text)")
        cur.execute("INSERT INTO cats VALUES (10, 'ten'), (11, 'eleven'), (12, 'twelve')")
        cur.execute("CREATE PIPELINE copy_bids AS INSERT INTO bids_t SELECT * FROM bids")
        cur.execute("CREATE PIPELINE copy_auctions AS INSERT INTO auctions_t SELECT * FROM auctions")
        cur.execute("START PIPELINE copy_bids")
        cur.execute("START PIPELINE copy_auctions")
        done = wait_done(cur, ["copy_bids", "copy_auctions"])
        tap.ok(all(s == "completed" for s, _ in done.values()), "source rows copied into plain tables",
               diag=str(done))
        cur.execute("SELECT count(*) FROM bids_t")
        nbids = cur.fetchone()[0]
        tap.ok(nbids > 20000, "bids copied (%d)" % nbids)

        for name, ddl, opts, body, _, _ in CASES:
            cur.execute("CREATE TABLE %s (%s)" % (name, ddl))
            with_opts = " WITH (%s)" % opts if opts else ""
            cur.execute("CREATE PIPELINE p_%s%s AS INSERT INTO %s %s" % (name, with_opts, name, body))
            cur.execute("START PIPELINE p_%s" % name)
        done = wait_done(cur, ["p_" + c[0] for c in CASES])
        for name, _, _, _, oracle, target in CASES:
            state = done.get("p_" + name, ("missing", None))
            if state[0] != "completed":
                tap.ok(False, "%s: pipeline completed" % name, diag=str(state))
                continue
            want = rows_of(cur, oracle)
            got = rows_of(cur, target)
            diff = ""
            if got != want:
                extra = [r for r in got if r not in set(want)][:3]
                missing = [r for r in want if r not in set(got)][:3]
                diff = "got %d rows, want %d; extra %s; missing %s" % (len(got), len(want), extra,
                                                                       missing)
            tap.ok(got == want and len(want) > 0,
                   "%s: pipeline result equals the ad-hoc query (%d rows)" % (name, len(want)),
                   diag=diff)

        # late data: random event times, a short watermark delay, late_data = 'error'
        cur.execute("CREATE SOURCE TABLE ev (k INT, ts TIMESTAMP) WITH (connector = 'datagen', "
                    "number_of_rows = '4000', seed = '3', \"fields.k.kind\" = 'random', "
                    "\"fields.k.min\" = '1', \"fields.k.max\" = '5', \"fields.ts.kind\" = 'random', "
                    "\"fields.ts.min\" = '2024-01-01 00:00:00', \"fields.ts.max\" = '2024-01-01 01:00:00', "
                    "event_time_field = 'ts', watermark_delay = '55 minutes')")
        cur.execute("CREATE TABLE late_w (ws timestamp, k int, cnt bigint, PRIMARY KEY (ws, k))")
        cur.execute("CREATE PIPELINE p_late WITH (late_data = 'error') AS INSERT INTO late_w "
                    "SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE), k, count(*) FROM ev "
                    "GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE), k")
        cur.execute("START PIPELINE p_late")
        done = wait_done(cur, ["p_late"])
        tap.ok(done.get("p_late", ("?",))[0] == "completed", "late-data pipeline completed",
               diag=str(done))
        cur.execute("SELECT coalesce(sum(cnt), 0) FROM late_w")
        kept = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM laminar.job_errors e JOIN laminar.jobs j ON j.id = e.job_id "
                    "WHERE j.pipeline_name = 'p_late' AND e.code = 'LATE_RECORD'")
        late = cur.fetchone()[0]
        tap.ok(late > 0 and kept > 0, "random event times: some rows late (%d), some kept (%d)"
               % (late, kept))
        # job_errors keeps at most 1000 records per job: the invariant holds below that
        if late < 1000:
            tap.ok(kept + late == 4000, "every row is either counted in a window or reported late",
                   diag="kept %d + late %d" % (kept, late))
        else:
            tap.ok(kept < 4000, "late rows were dropped from the windows (%d kept)" % kept)

        # processing-time windows: a table without event time gets its windows from the wall
        # clock (every row lands in some window; none is dropped as late)
        cur.execute("CREATE SOURCE TABLE bids_pt (%s) WITH (connector = 'nexmark', event_type = 'bid', "
                    "max_events = '30000', seed = '7')" % BIDS_COLS)
        cur.execute("CREATE TABLE proc_w (ws timestamp, we timestamp, bidder bigint, cnt bigint, "
                    "PRIMARY KEY (ws, bidder))")
        cur.execute("CREATE PIPELINE p_proc AS INSERT INTO proc_w SELECT window_start, window_end, "
                    "bidder, count(*) FROM TUMBLE(bids_pt, date_time, INTERVAL '1' SECOND) "
                    "GROUP BY bidder, window_start, window_end")
        t0 = time.time()
        cur.execute("START PIPELINE p_proc")
        done = wait_done(cur, ["p_proc"])
        t1 = time.time()
        tap.ok(done.get("p_proc", ("?",))[0] == "completed", "processing-time pipeline completed",
               diag=str(done))
        cur.execute("SELECT coalesce(sum(cnt), 0), count(DISTINCT bidder), "
                    "min(extract(epoch FROM ws)), max(extract(epoch FROM we)) FROM proc_w")
        total, nbidders, lo, hi = cur.fetchone()
        tap.ok(total == nbids, "processing-time TUMBLE counts every bid (%d of %d)" % (total, nbids))
        cur.execute("SELECT count(DISTINCT bidder) FROM bids_t")
        tap.ok(nbidders == cur.fetchone()[0], "and every bidder")
        tap.ok(lo is not None and float(lo) >= int(t0) - 2 and float(hi) <= t1 + 3,
               "its windows lie in the wall-clock time of the run, not in the rows' date_time",
               diag="windows %s .. %s, run %s .. %s" % (lo, hi, t0, t1))
        conn.close()
    tap.done()


if __name__ == "__main__":
    main()
