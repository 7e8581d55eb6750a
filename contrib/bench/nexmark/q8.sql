-- Query 8: monitor new users — people who created an auction in the same 10 second window
-- they registered in (a window join).
CREATE SINK TABLE nexmark_q8 (id BIGINT, name STRING, stime TIMESTAMP)
    WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q8 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q8
SELECT P.id, P.name, P.starttime
FROM (
    SELECT id, name, window_start AS starttime, window_end AS endtime
    FROM TUMBLE(person, date_time, INTERVAL '10 seconds')
    GROUP BY id, name, window_start, window_end
) P
JOIN (
    SELECT seller, window_start AS starttime, window_end AS endtime
    FROM TUMBLE(auction, date_time, INTERVAL '10 seconds')
    GROUP BY seller, window_start, window_end
) A
ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime;
