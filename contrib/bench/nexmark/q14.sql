-- Query 14: calculation — expressions and a filter.  HOUR(t) is extract(hour FROM t); the
-- count_char UDF is written as length(extra) - length(replace(extra, 'c', '')).
CREATE SINK TABLE nexmark_q14 (auction BIGINT, bidder BIGINT, price DECIMAL(23, 3),
    bid_time_type STRING, date_time TIMESTAMP, extra STRING, c_counts BIGINT)
    WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q14 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q14
SELECT
    auction,
    bidder,
    0.908 * price AS price,
    CASE
        WHEN extract(hour FROM date_time) >= 8 AND extract(hour FROM date_time) <= 18 THEN 'dayTime'
        WHEN extract(hour FROM date_time) <= 6 OR extract(hour FROM date_time) >= 20 THEN 'nightTime'
        ELSE 'otherTime'
    END AS bid_time_type,
    date_time,
    extra,
    length(extra) - length(replace(extra, 'c', '')) AS c_counts
FROM bid
WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000;
