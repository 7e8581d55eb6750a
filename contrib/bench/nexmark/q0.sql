-- Query 0: pass-through (measures the cost of the source, the runtime and the sink).
CREATE SINK TABLE nexmark_q0 (auction BIGINT, bidder BIGINT, price BIGINT,
    date_time TIMESTAMP, extra STRING) WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q0 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q0
SELECT auction, bidder, price, date_time, extra FROM bid;
