-- Query 7: highest bid per 10 second window, joined back to the bids (an interval join of
-- the bid stream with the windows' maxima).
CREATE SINK TABLE nexmark_q7 (auction BIGINT, bidder BIGINT, price BIGINT,
    date_time TIMESTAMP, extra STRING) WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q7 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q7
SELECT B.auction, B.bidder, B.price, B.date_time, B.extra
FROM bid B
JOIN (
    SELECT max(price) AS maxprice, window_end AS date_time
    FROM TUMBLE(bid, date_time, INTERVAL '10 seconds')
    GROUP BY window_start, window_end
) B1 ON B.price = B1.maxprice
WHERE B.date_time BETWEEN B1.date_time - INTERVAL '10 seconds' AND B1.date_time;
