-- Query 4: average price for a category — join of bids with their auction while it is open,
-- the winning (max) bid per auction, then the average per category (a changelog aggregate
-- over a changelog).
CREATE SINK TABLE nexmark_q4 (id BIGINT, final NUMERIC) WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q4 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q4
SELECT Q.category, avg(Q.final)
FROM (
    SELECT max(B.price) AS final, A.category
    FROM auction A, bid B
    WHERE A.id = B.auction AND B.date_time BETWEEN A.date_time AND A.expires
    GROUP BY A.id, A.category
) Q
GROUP BY Q.category;
