-- Query 21: add a channel id (CASE + regular expression).  Flink's
-- REGEXP_EXTRACT(url, pattern, 2) is PostgreSQL's regexp_substr(url, pattern, 1, 1, '', 2).
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
        ELSE regexp_substr(url, '(&|^)channel_id=([^&]*)', 1, 1, '', 2)
    END AS channel_id
FROM bid
WHERE regexp_substr(url, '(&|^)channel_id=([^&]*)', 1, 1, '', 2) IS NOT NULL
   OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu');
