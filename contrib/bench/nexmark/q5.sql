-- Query 5: hot items — auctions with the most bids per 10 second window sliding by 2 seconds.
-- Flink's TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), slide, size)) is Laminar's table-function
-- form HOP(bid, date_time, slide, size).
CREATE SINK TABLE nexmark_q5 (auction BIGINT, num BIGINT) WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q5 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q5
SELECT AuctionBids.auction, AuctionBids.num
FROM (
    SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime
    FROM HOP(bid, date_time, INTERVAL '2 seconds', INTERVAL '10 seconds')
    GROUP BY auction, window_start, window_end
) AS AuctionBids
JOIN (
    SELECT max(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime
    FROM (
        SELECT count(*) AS num, window_start AS starttime, window_end AS endtime
        FROM HOP(bid, date_time, INTERVAL '2 seconds', INTERVAL '10 seconds')
        GROUP BY auction, window_start, window_end
    ) AS CountBids
    GROUP BY CountBids.starttime, CountBids.endtime
) AS MaxBids
ON AuctionBids.starttime = MaxBids.starttime AND AuctionBids.endtime = MaxBids.endtime
   AND AuctionBids.num >= MaxBids.maxn;
