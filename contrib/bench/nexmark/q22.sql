-- Query 22: the directories of each bid's url (string splitting).  SPLIT_INDEX(url, '/', k)
-- (0-based) is split_part(url, '/', k + 1).
CREATE SINK TABLE nexmark_q22 (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING,
    dir1 STRING, dir2 STRING, dir3 STRING) WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q22 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q22
SELECT
    auction, bidder, price, channel,
    split_part(url, '/', 4) AS dir1,
    split_part(url, '/', 5) AS dir2,
    split_part(url, '/', 6) AS dir3
FROM bid;
