-- Query 16: channel statistics per day (as q15, grouped by channel too).
-- DATE_FORMAT(t, 'HH:mm') is to_char(t, 'HH24:MI').
CREATE SINK TABLE nexmark_q16 (channel STRING, day STRING, minute STRING, total_bids BIGINT,
    rank1_bids BIGINT, rank2_bids BIGINT, rank3_bids BIGINT, total_bidders BIGINT,
    rank1_bidders BIGINT, rank2_bidders BIGINT, rank3_bidders BIGINT, total_auctions BIGINT,
    rank1_auctions BIGINT, rank2_auctions BIGINT, rank3_auctions BIGINT)
    WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q16 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q16
SELECT
    channel,
    to_char(date_time, 'YYYY-MM-DD') AS day,
    max(to_char(date_time, 'HH24:MI')) AS minute,
    count(*) AS total_bids,
    count(*) FILTER (WHERE price < 10000) AS rank1_bids,
    count(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
    count(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
    count(DISTINCT bidder) AS total_bidders,
    count(DISTINCT bidder) FILTER (WHERE price < 10000) AS rank1_bidders,
    count(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bidders,
    count(DISTINCT bidder) FILTER (WHERE price >= 1000000) AS rank3_bidders,
    count(DISTINCT auction) AS total_auctions,
    count(DISTINCT auction) FILTER (WHERE price < 10000) AS rank1_auctions,
    count(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_auctions,
    count(DISTINCT auction) FILTER (WHERE price >= 1000000) AS rank3_auctions
FROM bid
GROUP BY channel, to_char(date_time, 'YYYY-MM-DD');
