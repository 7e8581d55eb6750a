-- Query 20: bids expanded with their auction where the category is 10 (an unbounded join
-- with a filter).
CREATE SINK TABLE nexmark_q20 (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING,
    url STRING, bid_date_time TIMESTAMP, bid_extra STRING, item_name STRING,
    description STRING, initial_bid BIGINT, reserve BIGINT, auction_date_time TIMESTAMP,
    expires TIMESTAMP, seller BIGINT, category BIGINT, auction_extra STRING)
    WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q20 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q20
SELECT
    auction, bidder, price, channel, url, B.date_time, B.extra,
    item_name, description, initial_bid, reserve, A.date_time, expires, seller, category, A.extra
FROM bid AS B INNER JOIN auction AS A ON B.auction = A.id
WHERE A.category = 10;
