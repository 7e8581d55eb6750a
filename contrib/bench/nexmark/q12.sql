-- Query 12: bids per bidder in 10 second processing-time windows.  Flink adds PROCTIME() in a
-- view; in Laminar a table without event time (bid_proctime: no event_time_field) gets
-- processing-time windows.
CREATE SINK TABLE nexmark_q12 (bidder BIGINT, bid_count BIGINT, starttime TIMESTAMP,
    endtime TIMESTAMP) WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q12 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q12
SELECT bidder, count(*) AS bid_count, window_start AS starttime, window_end AS endtime
FROM TUMBLE(bid_proctime, date_time, INTERVAL '10 seconds')
GROUP BY bidder, window_start, window_end;
