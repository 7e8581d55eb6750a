"""stream_recovery: pipelines with state survive kill -9 at random moments with
exactly-once results (issue 4's recovery acceptance test).

Four pipelines over bounded, rate-limited Nexmark streams write into plain
tables with primary keys: a changelog aggregate grouped by auction (count,
sum, max, count(DISTINCT bidder): every row is updated many times), a TUMBLE
aggregate per (1-second window, bidder % 100), a regular (unbounded)
join of auctions and bids aggregated per seller, and the top 3 bids per
auction (top-N).  Server A is killed with SIGKILL at random moments (at
least KILLS times; the delays come from a printed seed, LM_RECOVERY_SEED=N
replays them) and restarted on the same data directory each time; its jobs
resume from their last completed checkpoint.  Server B runs the same
pipelines at the same time without interruption.  When both jobs have
completed (the source is bounded), A's tables must equal B's — nothing lost,
nothing counted twice — and both must equal the same queries run ad hoc over
the bids themselves (copied into a plain table by a third pipeline on B): an
oracle that is not the streaming code.
"""
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from laminar_server import Server, Tap  # noqa: E402

import psycopg2  # noqa: E402

tap = Tap()
KILLS = int(os.environ.get("LM_RECOVERY_KILLS", "20"))
WATCHDOG_S = 150
MAX_EVENTS = 400000          # about 368,000 bids
EVENTS_PER_SECOND = 12000    # the job runs ~33 s when uninterrupted; the kills stretch it


def watchdog():
    print("not ok %d - the test finished within %d s (something blocked)" % (tap.n + 1, WATCHDOG_S),
          flush=True)
    os._exit(1)


timer = threading.Timer(WATCHDOG_S, watchdog)
timer.daemon = True
timer.start()
seed = int(os.environ.get("LM_RECOVERY_SEED", random.randrange(1 << 30)))
rng = random.Random(seed)
print("# seed %d (replay: LM_RECOVERY_SEED=%d regress/run.sh stream_recovery)" % (seed, seed), flush=True)

SOURCE = ("CREATE SOURCE TABLE bids WITH (connector = 'nexmark', event_type = 'bid', "
          "max_events = '%d', events_per_second = '%d', seed = '11', "
          "event_time_field = 'date_time', watermark_delay = '1 second')" % (MAX_EVENTS, EVENTS_PER_SECOND))
SOURCE_AUCTIONS = ("CREATE SOURCE TABLE auctions WITH (connector = 'nexmark', event_type = 'auction', "
                   "max_events = '%d', events_per_second = '%d', seed = '11')" % (MAX_EVENTS, EVENTS_PER_SECOND))
OPTS = "WITH (checkpoint_interval = '300 milliseconds')"
AGG_SELECT = ("SELECT auction, count(*), sum(price), max(price), count(DISTINCT bidder) FROM %s "
              "GROUP BY auction")
TUMBLE_SELECT = ("SELECT TUMBLE_START(date_time, INTERVAL '1' SECOND), bidder %% 100, count(*), sum(price) "
                 "FROM %s GROUP BY TUMBLE(date_time, INTERVAL '1' SECOND), bidder %% 100")
JOIN_SELECT = ("SELECT a.seller, count(*), sum(b.price) FROM %s a JOIN %s b ON a.id = b.auction "
               "WHERE b.bidder %% 8 = 0 GROUP BY a.seller")  # the filter keeps the join's state small
TOPN_SELECT = ("SELECT auction, rn, price, bidder FROM (SELECT auction, price, bidder, row_number() OVER "
               "(PARTITION BY auction ORDER BY price DESC, bidder, date_time) AS rn FROM %s) t WHERE rn <= 3")
PIPELINES = ("rec_agg", "rec_tumble", "rec_join", "rec_topn")


def connect(srv):
    c = psycopg2.connect(srv.dsn(application_name="stream-recovery"))
    c.autocommit = True
    return c


def rows_of(conn, sql):
    cur = conn.cursor()
    cur.execute(sql)
    return sorted(tuple(r) for r in cur.fetchall())


def jobs(conn, names):
    cur = conn.cursor()
    cur.execute("SELECT pipeline_name, state, failure_message, restarts FROM laminar.jobs "
                "WHERE pipeline_name = ANY(%s)", (list(names),))
    return {r[0]: (r[1], r[2], r[3]) for r in cur.fetchall()}


def all_done(conn, names):
    j = jobs(conn, names)
    return len(j) == len(names) and all(s not in ("running", "stopping") for s, _, _ in j.values())


def setup(srv, with_copy):
    conn = connect(srv)
    cur = conn.cursor()
    cur.execute(SOURCE)
    cur.execute(SOURCE_AUCTIONS)
    cur.execute("CREATE TABLE rec_agg (auction bigint PRIMARY KEY, cnt bigint, total bigint, maxp bigint, "
                "nbidders bigint)")
    cur.execute("CREATE TABLE rec_tumble (ws timestamp, b bigint, cnt bigint, total bigint, "
                "PRIMARY KEY (ws, b))")
    cur.execute("CREATE PIPELINE rec_agg %s AS INSERT INTO rec_agg %s" % (OPTS, AGG_SELECT % "bids"))
    cur.execute("CREATE PIPELINE rec_tumble %s AS INSERT INTO rec_tumble %s" % (OPTS, TUMBLE_SELECT % "bids"))
    cur.execute("CREATE TABLE rec_topn (auction bigint, rn bigint, price bigint, bidder bigint, "
                "PRIMARY KEY (auction, rn))")
    cur.execute("CREATE PIPELINE rec_topn %s AS INSERT INTO rec_topn %s" % (OPTS, TOPN_SELECT % "bids"))
    cur.execute("CREATE TABLE rec_join (seller bigint PRIMARY KEY, cnt bigint, total bigint)")
    cur.execute("CREATE PIPELINE rec_join %s AS INSERT INTO rec_join %s"
                % (OPTS, JOIN_SELECT % ("auctions", "bids")))
    if with_copy:
        cur.execute("CREATE TABLE bids_t (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, "
                    "url TEXT, date_time TIMESTAMP, extra TEXT)")
        cur.execute("CREATE PIPELINE rec_copy %s AS INSERT INTO bids_t SELECT * FROM bids" % OPTS)
        cur.execute("CREATE TABLE auctions_t (id BIGINT, item_name TEXT, description TEXT, "
                    "initial_bid BIGINT, reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, "
                    "seller BIGINT, category BIGINT, extra TEXT)")
        cur.execute("CREATE PIPELINE rec_copy_a %s AS INSERT INTO auctions_t SELECT * FROM auctions" % OPTS)
    for p in PIPELINES + (("rec_copy", "rec_copy_a") if with_copy else ()):
        cur.execute("START PIPELINE %s" % p)
    return conn


def main():
    srv_a = Server()
    srv_b = Server()
    try:
        srv_a.start()
        srv_b.start()
    except Exception as e:
        tap.bail("two laminard servers start", e)
    with srv_a, srv_b:
        try:
            conn_a = setup(srv_a, False)
            conn_b = setup(srv_b, True)
        except psycopg2.Error as e:
            tap.bail("tables and pipelines are created and started", e)
        conn_a.close()
        t0 = time.time()
        kills = 0
        finished_early = False
        restart_failed = None
        while kills < KILLS:
            time.sleep(rng.uniform(0.2, 1.3))
            srv_a.kill9()
            kills += 1
            try:
                srv_a.restart()
            except RuntimeError as e:
                restart_failed = str(e)
                break
            # a few kills land right after the restart, while jobs are recovering
            if kills < KILLS and rng.random() < 0.15:
                continue
            try:
                c = connect(srv_a)
                done = all_done(c, PIPELINES)
                c.close()
            except psycopg2.Error:
                done = False
            if done:
                finished_early = True
                break
        tap.ok(restart_failed is None, "laminard restarts after each kill -9", restart_failed)
        tap.ok(kills >= KILLS and not finished_early,
               "%d kills at random moments while the jobs ran (%.1f s)" % (kills, time.time() - t0))

        conn_a = connect(srv_a)
        deadline = time.time() + 90
        while not all_done(conn_a, PIPELINES) and time.time() < deadline:
            time.sleep(0.3)
        ja = jobs(conn_a, PIPELINES)
        tap.ok(all(v[0] == "completed" for v in ja.values()) and len(ja) == len(PIPELINES),
               "the killed server's jobs complete", repr(ja) + "\n" + srv_a.log_tail(10))
        restarts = sum(v[2] or 0 for v in ja.values())
        tap.diag("restarts counted by the jobs: %s" % {k: v[2] for k, v in ja.items()})
        tap.ok(restarts >= len(PIPELINES) * (KILLS - 2), "each job was restarted after (nearly) every kill (%d)" % restarts)

        conn_b = connect(srv_b)
        names_b = PIPELINES + ("rec_copy", "rec_copy_a")
        while not all_done(conn_b, names_b) and time.time() < deadline:
            time.sleep(0.3)
        jb = jobs(conn_b, names_b)
        tap.ok(all(v[0] == "completed" for v in jb.values()) and len(jb) == len(names_b),
               "the uninterrupted server's jobs complete", repr(jb))

        for table, sel in (("rec_agg", AGG_SELECT % "bids_t"), ("rec_tumble", TUMBLE_SELECT % "bids_t"),
                           ("rec_join", JOIN_SELECT % ("auctions_t", "bids_t")),
                           ("rec_topn", TOPN_SELECT % "bids_t")):
            got = rows_of(conn_a, "SELECT * FROM %s" % table)
            want = rows_of(conn_b, "SELECT * FROM %s" % table)
            oracle = rows_of(conn_b, sel)
            diag = ""
            if got != want:
                sw, sg = set(want), set(got)
                diag = "got %d rows, want %d; extra %s; missing %s" % (
                    len(got), len(want), [r for r in got if r not in sw][:3], [r for r in want if r not in sg][:3])
            tap.ok(got == want and len(want) > 100,
                   "%s after %d kills equals the uninterrupted run (%d rows)" % (table, kills, len(want)), diag)
            tap.ok(want == oracle, "%s of the uninterrupted run equals the ad-hoc query over the bids" % table,
                   "%d rows vs %d" % (len(want), len(oracle)))
        cur = conn_b.cursor()
        cur.execute("SELECT count(*) FROM bids_t")
        nb = cur.fetchone()[0]
        cur = conn_a.cursor()
        cur.execute("SELECT sum(cnt) FROM rec_agg")
        na = cur.fetchone()[0]
        tap.ok(na == nb and nb > 300000, "every bid counted exactly once (%s of %d)" % (na, nb))
        conn_a.close()
        conn_b.close()
    tap.done()


if __name__ == "__main__":
    main()
