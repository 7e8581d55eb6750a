-- Query 2: selection (bids on some auctions).  Flink's MOD(auction, 123) is written with %.
CREATE SINK TABLE nexmark_q2 (auction BIGINT, price BIGINT) WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q2 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q2
SELECT auction, price FROM bid WHERE auction % 123 = 0;
