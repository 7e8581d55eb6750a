--
-- windows: event-time windows in ad-hoc queries over plain tables (the oracle
-- that pipelines are checked against) — GROUP BY TUMBLE/HOP/SESSION with
-- their _START/_END helpers, the table-function form FROM TUMBLE(...) /
-- HOP(...) adding window_start/window_end (offsets too), window alignment
-- before 1970 and for timestamptz, NULL times, EXPLAIN, and the errors:
-- wrong time types, non-constant/month/negative sizes, a HOP size that is
-- not a multiple of its slide, mismatched or missing GROUP BY windows.
--
\set VERBOSITY default
SET TimeZone = 'UTC';
CREATE TABLE ev (id int PRIMARY KEY, k text, v int, ts timestamp, tstz timestamptz);
INSERT INTO ev VALUES
    (1, 'a', 1, '2024-01-01 10:00:00', '2024-01-01 10:00:00+00'),
    (2, 'a', 2, '2024-01-01 10:20:00', '2024-01-01 10:20:00+00'),
    (3, 'b', 3, '2024-01-01 10:59:59.999999', '2024-01-01 10:59:59+00'),
    (4, 'a', 4, '2024-01-01 11:00:00', '2024-01-01 11:00:00+00'),
    (5, 'b', 5, '2024-01-01 12:30:00', '2024-01-01 12:30:00+00'),
    (6, 'a', NULL, '2024-01-01 12:31:00', '2024-01-01 12:31:00+00'),
    (7, 'a', 7, NULL, NULL),
    (8, 'c', 8, '1969-12-31 23:59:00', '1969-12-31 23:59:00+00');

-- group-window form
SELECT k, TUMBLE_START(ts, INTERVAL '1' HOUR) AS wstart, TUMBLE_END(ts, INTERVAL '1' HOUR) AS wend,
       count(*), sum(v), max(v)
FROM ev GROUP BY TUMBLE(ts, INTERVAL '1' HOUR), k ORDER BY wstart, k;
SELECT HOP_START(ts, INTERVAL '30' MINUTE, INTERVAL '1' HOUR) AS s,
       HOP_END(ts, INTERVAL '30' MINUTE, INTERVAL '1' HOUR) AS e, count(*), avg(v)
FROM ev GROUP BY HOP(ts, INTERVAL '30' MINUTE, INTERVAL '1' HOUR) ORDER BY s;
SELECT k, SESSION_START(ts, INTERVAL '30' MINUTE) AS s, SESSION_END(ts, INTERVAL '30' MINUTE) AS e,
       count(*), string_agg(id::text, ',') AS ids
FROM ev GROUP BY k, SESSION(ts, INTERVAL '30' MINUTE) ORDER BY k, s;
SELECT SESSION_START(ts, INTERVAL '2' HOUR) AS s, count(*) FROM ev
GROUP BY SESSION(ts, INTERVAL '2' HOUR) HAVING count(*) > 1 ORDER BY s;
SELECT TUMBLE_START(tstz, INTERVAL '1' DAY) AS day, count(*) FROM ev
GROUP BY TUMBLE(tstz, INTERVAL '1' DAY) ORDER BY day;

-- table-function form
SELECT * FROM TUMBLE(ev, ts, INTERVAL '1 hour') ORDER BY id;
SELECT id, window_start, window_end FROM HOP(ev, ts, INTERVAL '20' MINUTE, INTERVAL '1' HOUR) AS h
WHERE h.id < 3 ORDER BY id, window_start;
SELECT window_start, window_end, k, count(*) FROM TUMBLE(ev, ts, INTERVAL '1' HOUR, INTERVAL '15' MINUTE)
GROUP BY window_start, window_end, k ORDER BY window_start, k;
SELECT t.k, t.window_end FROM TUMBLE(public.ev, ts, INTERVAL '2' HOUR) t JOIN ev e ON e.id = t.id
WHERE e.v > 3 ORDER BY t.id;

EXPLAIN (COSTS OFF) SELECT k, count(*) FROM ev GROUP BY TUMBLE(ts, INTERVAL '1' HOUR), k;
EXPLAIN (COSTS OFF) SELECT k, count(*) FROM ev GROUP BY SESSION(ts, INTERVAL '1' HOUR), k;

-- errors
SELECT count(*) FROM ev GROUP BY TUMBLE(v, INTERVAL '1' HOUR);
SELECT count(*) FROM ev GROUP BY TUMBLE(ts, INTERVAL '1' MONTH);
SELECT count(*) FROM ev GROUP BY TUMBLE(ts, INTERVAL '-1' HOUR);
SELECT count(*) FROM ev GROUP BY TUMBLE(ts, 5);
SELECT count(*) FROM ev GROUP BY TUMBLE(ts, v * INTERVAL '1' HOUR);
SELECT count(*) FROM ev GROUP BY HOP(ts, INTERVAL '7' MINUTE, INTERVAL '1' HOUR);
SELECT count(*) FROM ev GROUP BY TUMBLE(ts, INTERVAL '1' HOUR), TUMBLE(ts, INTERVAL '2' HOUR);
SELECT TUMBLE_START(ts, INTERVAL '2' HOUR) FROM ev GROUP BY TUMBLE(ts, INTERVAL '1' HOUR);
SELECT HOP_END(ts, INTERVAL '1' HOUR, INTERVAL '1' HOUR) FROM ev GROUP BY TUMBLE(ts, INTERVAL '1' HOUR);
SELECT TUMBLE_END(ts, INTERVAL '1' HOUR) FROM ev;
SELECT TUMBLE(ts, INTERVAL '1' HOUR) FROM ev;
SELECT ts FROM ev GROUP BY TUMBLE(ts, INTERVAL '1' HOUR);
SELECT * FROM TUMBLE(nosuch, ts, INTERVAL '1' HOUR);
SELECT * FROM TUMBLE(ev, nosuch, INTERVAL '1' HOUR);
SELECT * FROM TUMBLE(ev, ts);
SELECT * FROM TUMBLE(ev, ts, INTERVAL '1' HOUR, INTERVAL '2' HOUR);
SELECT * FROM SESSION(ev, ts, INTERVAL '1' HOUR);
DROP TABLE ev;
