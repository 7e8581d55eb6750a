-- Query 18: the last bid of each bidder on each auction (deduplication with row_number).
CREATE SINK TABLE nexmark_q18 (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING,
    url STRING, date_time TIMESTAMP, extra STRING) WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q18 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q18
SELECT auction, bidder, price, channel, url, date_time, extra
FROM (SELECT *, row_number() OVER (PARTITION BY bidder, auction ORDER BY date_time DESC)
             AS rank_number
      FROM bid) b
WHERE rank_number <= 1;
