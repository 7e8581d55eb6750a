-- Query 1: currency conversion (dollars to euros).
CREATE SINK TABLE nexmark_q1 (auction BIGINT, bidder BIGINT, price DECIMAL(23, 3),
    date_time TIMESTAMP, extra STRING) WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q1 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q1
SELECT auction, bidder, 0.908 * price AS price, date_time, extra FROM bid;
