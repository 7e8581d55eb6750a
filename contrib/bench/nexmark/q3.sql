-- Query 3: local item suggestion — an unbounded (non-windowed) join of auctions and people,
-- emitting a changelog.
CREATE SINK TABLE nexmark_q3 (name STRING, city STRING, state STRING, id BIGINT)
    WITH (connector = 'blackhole');
CREATE PIPELINE nexmark_q3 WITH (parallelism = @PARALLELISM@) AS
INSERT INTO nexmark_q3
SELECT P.name, P.city, P.state, A.id
FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA');
