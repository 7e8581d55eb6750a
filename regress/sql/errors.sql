--
-- errors: the SQLSTATE, PostgreSQL's wording and the position (psql's LINE
-- and caret) of query errors found by the binder and the executor: 42703
-- undefined column, 42P01 undefined table, 42804 datatype mismatch, 42883
-- undefined function/operator, 22P02 invalid text representation, 22012
-- division by zero, 42601 syntax errors in queries, and others clients meet
-- (42702, 42803, 42P10, 42P02, 21000, 22003, 22008).  Every statement here
-- fails the same way in PostgreSQL 15.
--
\set VERBOSITY default
CREATE TABLE t (a int PRIMARY KEY, b text, c numeric);
CREATE TABLE u (a int, d date);
INSERT INTO t VALUES (1, 'x', 1.5), (2, 'y', 0);

-- 42703 undefined column
SELECT nosuch FROM t;
\echo SQLSTATE :SQLSTATE
SELECT t.nosuch FROM t;
\echo SQLSTATE :SQLSTATE
SELECT a, b
FROM t
WHERE zzz > 1;
\echo SQLSTATE :SQLSTATE
SELECT x.a FROM t;
\echo SQLSTATE :SQLSTATE
SELECT a FROM t ORDER BY nosuch;
\echo SQLSTATE :SQLSTATE
UPDATE t SET b = 'z' WHERE nosuch = 1;
\echo SQLSTATE :SQLSTATE
SELECT "A" FROM t;
\echo SQLSTATE :SQLSTATE

-- 42P01 undefined table
SELECT * FROM nosuch;
\echo SQLSTATE :SQLSTATE
SELECT * FROM t JOIN nosuch ON true;
\echo SQLSTATE :SQLSTATE
SELECT * FROM nosuchschema.t;
\echo SQLSTATE :SQLSTATE
SELECT * FROM t WHERE a IN (SELECT a FROM nosuch);
\echo SQLSTATE :SQLSTATE
DELETE FROM nosuch;
\echo SQLSTATE :SQLSTATE
UPDATE nosuch SET a = 1;
\echo SQLSTATE :SQLSTATE
SELECT 'nosuch'::regclass;
\echo SQLSTATE :SQLSTATE

-- 42804 datatype mismatch
SELECT * FROM t WHERE a;
\echo SQLSTATE :SQLSTATE
SELECT CASE WHEN a > 1 THEN a ELSE b END FROM t;
\echo SQLSTATE :SQLSTATE
SELECT coalesce(a, b) FROM t;
\echo SQLSTATE :SQLSTATE
INSERT INTO u (d) VALUES (1);
\echo SQLSTATE :SQLSTATE
INSERT INTO u (a) SELECT b FROM t;
\echo SQLSTATE :SQLSTATE
UPDATE u SET d = 42;
\echo SQLSTATE :SQLSTATE
SELECT a FROM t UNION SELECT d FROM u;
\echo SQLSTATE :SQLSTATE
SELECT * FROM t LIMIT 'x'::text;
\echo SQLSTATE :SQLSTATE

-- 42883 undefined function / operator
SELECT nosuchfunc(1);
\echo SQLSTATE :SQLSTATE
SELECT length(a) FROM t;
\echo SQLSTATE :SQLSTATE
SELECT b + 1 FROM t;
\echo SQLSTATE :SQLSTATE
SELECT a
  FROM t
 WHERE b - a > 0;
\echo SQLSTATE :SQLSTATE
SELECT upper();
\echo SQLSTATE :SQLSTATE
SELECT DATE '2024-01-01' * 2;
\echo SQLSTATE :SQLSTATE
SELECT sum(b) FROM t;
\echo SQLSTATE :SQLSTATE

-- 22P02 invalid text representation
SELECT 'abc'::int;
\echo SQLSTATE :SQLSTATE
SELECT * FROM t WHERE a = 'one';
\echo SQLSTATE :SQLSTATE
SELECT '12x'::numeric;
\echo SQLSTATE :SQLSTATE
SELECT 'maybe'::boolean;
\echo SQLSTATE :SQLSTATE
SELECT '{1,2'::int[];
\echo SQLSTATE :SQLSTATE
SELECT CAST(b AS int) FROM t;
\echo SQLSTATE :SQLSTATE
SELECT '{"a": 1'::json;
\echo SQLSTATE :SQLSTATE
INSERT INTO t VALUES ('three', 'z', 0);
\echo SQLSTATE :SQLSTATE

-- 22012 division by zero
SELECT 1 / 0;
\echo SQLSTATE :SQLSTATE
SELECT 1.0 / 0;
\echo SQLSTATE :SQLSTATE
SELECT 5 % 0;
\echo SQLSTATE :SQLSTATE
SELECT a / (a - 1) FROM t;
\echo SQLSTATE :SQLSTATE
SELECT a FROM t WHERE a / c > 0;
\echo SQLSTATE :SQLSTATE
SELECT mod(1, 0);
\echo SQLSTATE :SQLSTATE
SELECT 1::float8 / 0;
\echo SQLSTATE :SQLSTATE

-- 42601 syntax errors, with positions
SELECT 1 +;
\echo SQLSTATE :SQLSTATE
SELECT * FROM t WHERE;
\echo SQLSTATE :SQLSTATE
SELECT a, b,
  FROM t;
\echo SQLSTATE :SQLSTATE
SELECT a
FROM t
WHERE a = 1
ORDER a;
\echo SQLSTATE :SQLSTATE
INSERT INTO t VALUES (1, 2, 3, 4);
\echo SQLSTATE :SQLSTATE
INSERT INTO t (a, b) VALUES (3);
\echo SQLSTATE :SQLSTATE
SELECT * FROM t WHERE a = 1 a = 2;
\echo SQLSTATE :SQLSTATE
SELECT 'é' || 'x' FRM t;
\echo SQLSTATE :SQLSTATE

-- other errors clients meet
SELECT a FROM t JOIN u ON true;
\echo SQLSTATE :SQLSTATE
SELECT a, count(*) FROM t GROUP BY b;
\echo SQLSTATE :SQLSTATE
SELECT count(*) FROM t WHERE count(*) > 1;
\echo SQLSTATE :SQLSTATE
SELECT a FROM t ORDER BY 5;
\echo SQLSTATE :SQLSTATE
SELECT (SELECT a FROM t);
\echo SQLSTATE :SQLSTATE
SELECT 2147483647 + 1;
\echo SQLSTATE :SQLSTATE
SELECT 99999::smallint;
\echo SQLSTATE :SQLSTATE
SELECT 'abc'::varchar(2)::char(1), CAST('toolong' AS varchar(3));
INSERT INTO t VALUES (9, repeat('x', 3)::varchar(2), 0) RETURNING b;
SELECT '2024-13-01'::date;
\echo SQLSTATE :SQLSTATE
SELECT '25:00:00'::time;
\echo SQLSTATE :SQLSTATE
SELECT $1;
\echo SQLSTATE :SQLSTATE
SELECT a FROM t GROUP BY nosuch;
\echo SQLSTATE :SQLSTATE
-- the session is fine after all of these
SELECT a, b FROM t ORDER BY a;
