-- Query 19: the 10 highest bids of each auction (top-N).
CREATE SINK TABLE nexmark_q19 (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING,
    url STRING, date_time TIMESTAMP, extra STRING, rank_number BIGINT)
    WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q19 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q19
SELECT * FROM
(SELECT *, row_number() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number
 FROM bid) b
WHERE rank_number <= 10;
