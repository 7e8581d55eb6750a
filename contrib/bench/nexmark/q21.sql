-- Query 21: add a channel id (CASE + regular expression).  Flink's
-- REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) is written substring(url FROM
-- '(?:&|^)channel_id=([^&]*)'): PostgreSQL's substring returns the one capturing group.
CREATE SINK TABLE nexmark_q21 (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING,
    channel_id STRING) WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q21 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q21
SELECT
    auction, bidder, price, channel,
    CASE
        WHEN lower(channel) = 'apple' THEN '0'
        WHEN lower(channel) = 'google' THEN '1'
        WHEN lower(channel) = 'facebook' THEN '2'
        WHEN lower(channel) = 'baidu' THEN '3'
        ELSE substring(url FROM '(?:&|^)channel_id=([^&]*)')
    END AS channel_id
FROM bid
WHERE substring(url FROM '(?:&|^)channel_id=([^&]*)') IS NOT NULL
   OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu');
