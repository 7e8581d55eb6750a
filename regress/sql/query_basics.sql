--
-- query_basics: ad-hoc SELECT through the binder and the vectorized executor:
-- arithmetic, comparison and three-valued logic with NULLs, CASE, COALESCE,
-- NULLIF, IN/ANY/ALL, BETWEEN, LIKE/ILIKE/~/SIMILAR TO, casts, string, math,
-- date/time and JSON functions, aggregates (DISTINCT, FILTER, ORDER BY),
-- row_number/rank, joins of every kind, subqueries (IN, EXISTS, scalar,
-- correlated), CTEs, set operations, ORDER BY/LIMIT/OFFSET, generate_series
-- and VALUES.  Everything up to the last section is PostgreSQL 15 SQL with
-- PostgreSQL's output; the last section covers Laminar's own functions
-- (regexp_extract, json_value).
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, MDY';
SET IntervalStyle = 'postgres';

-- ---------------------------------------------------------------- arithmetic
SELECT 1 + 2 * 3 AS prec, (1 + 2) * 3 AS paren, 7 / 2 AS int_div, -7 / 2 AS neg_div,
       7 % 3 AS modulo, -7 % 3 AS neg_mod, 7.0 / 2 AS num_div, 2 ^ 10 AS pow, - (5) AS neg;
SELECT 10 - NULL AS minus_null, NULL * 2 AS times_null, 1.5::numeric + 1 AS num_plus_int,
       2.5::float8 * 2 AS dbl, 9223372036854775807::bigint - 1 AS big, 32767::smallint + 1 AS small_promoted;
SELECT 0.1 + 0.2 AS num_exact, 0.1::float8 + 0.2::float8 = 0.3::float8 AS dbl_inexact,
       1e3::numeric AS sci, 123.4500 AS trailing_zeros, 10::numeric / 3 AS num_scale;

-- --------------------------------------------------- comparison and booleans
SELECT 1 = 1 AS eq, 1 <> 2 AS ne, 1 != 1 AS ne2, 2 > 1 AS gt, 2 >= 2 AS ge, 1 < NULL AS lt_null,
       NULL = NULL AS null_eq, NULL IS NULL AS is_null, 1 IS NOT NULL AS is_not_null,
       1 IS DISTINCT FROM NULL AS distinct_null, NULL IS NOT DISTINCT FROM NULL AS not_distinct,
       'abc' < 'abd' AS text_lt, true > false AS bool_gt;
SELECT a, b, a AND b AS "and", a OR b AS "or", NOT a AS "not", a IS TRUE AS is_true,
       a IS NOT FALSE AS is_not_false, a IS UNKNOWN AS is_unknown
FROM (VALUES (true), (false), (NULL::boolean)) AS x(a)
CROSS JOIN (VALUES (true), (false), (NULL::boolean)) AS y(b)
ORDER BY a NULLS LAST, b NULLS LAST;

-- ------------------------------------------- CASE, COALESCE, NULLIF, GREATEST
SELECT x,
       CASE WHEN x < 2 THEN 'small' WHEN x < 4 THEN 'medium' ELSE 'large' END AS searched,
       CASE x WHEN 1 THEN 'one' WHEN 2 THEN 'two' END AS simple,
       CASE WHEN x IS NULL THEN 'null' END AS when_null
FROM (VALUES (0), (1), (2), (3), (5), (NULL)) AS t(x)
ORDER BY x NULLS FIRST;
SELECT coalesce(NULL, NULL, 3) AS c1, coalesce(NULL::text, 'x') AS c2, coalesce(1, 1 / 0) AS lazy,
       coalesce(NULL::int, NULL) AS all_null, nullif(1, 1) AS n1, nullif(1, 2) AS n2,
       nullif('a', 'b') AS n3, greatest(1, 5, 3) AS g, least(4, NULL, 2) AS l, greatest(NULL::int, NULL) AS gnull;

-- ------------------------------------------------------ IN, ANY/ALL, BETWEEN
SELECT 1 IN (1, 2) AS in1, 3 IN (1, 2) AS in2, 3 IN (1, NULL) AS in_null, 1 IN (1, NULL) AS in_hit,
       3 NOT IN (1, NULL) AS not_in_null, 3 NOT IN (1, 2) AS not_in, NULL IN (1) AS null_in,
       'b' IN ('a', 'b') AS in_text;
SELECT 2 = ANY (ARRAY[1, 2, 3]) AS any1, 5 > ALL (ARRAY[1, 2, 3]) AS all1, 2 = ANY ('{1,NULL}'::int[]) AS any_null,
       1 = ANY ('{1,NULL}'::int[]) AS any_hit, 1 < ALL (ARRAY[]::int[]) AS all_empty,
       2 = ANY (ARRAY[]::int[]) AS any_empty, 'x' = ANY (ARRAY['x', 'y']) AS any_text,
       3 <> ALL (ARRAY[1, 2]) AS ne_all;
SELECT 5 BETWEEN 1 AND 10 AS b1, 5 NOT BETWEEN 1 AND 4 AS b2, 5 BETWEEN 10 AND 1 AS b3,
       5 BETWEEN SYMMETRIC 10 AND 1 AS b4, NULL BETWEEN 1 AND 2 AS b5, 'm' BETWEEN 'a' AND 'z' AS b6,
       DATE '2024-03-01' BETWEEN DATE '2024-01-01' AND DATE '2024-12-31' AS b7;

-- ---------------------------------------------------- pattern matching
SELECT 'hello' LIKE 'h%' AS l1, 'hello' LIKE 'H%' AS l2, 'hello' ILIKE 'H%' AS il,
       'hello' NOT LIKE '_ello' AS nl, 'a_c' LIKE 'a\_c' AS esc, 'abc' LIKE 'a\_c' AS esc2,
       '50%' LIKE '50!%' ESCAPE '!' AS esc3, 'hello' NOT ILIKE '%LL%' AS nil, NULL LIKE 'a' AS null_like,
       'abc' ~~ 'a%' AS op_like, 'ABC' ~~* 'a%' AS op_ilike;
SELECT 'abc' ~ '^a.c$' AS re1, 'ABC' ~ 'b' AS re2, 'ABC' ~* 'b' AS re3, 'abc' !~ 'z' AS re4,
       'abc' !~* 'B' AS re5, 'abc' SIMILAR TO '(a|b)%' AS s1, 'abc' SIMILAR TO 'b%' AS s2,
       'abc' NOT SIMILAR TO '%(x|y)%' AS s3, 'ab12' ~ '[0-9]{2}$' AS re6;

-- ---------------------------------------------------------------- casts
SELECT '42'::int AS i, CAST('3.14159' AS numeric(5, 2)) AS n, 3.7::int AS rounds, (-2.5)::int AS half_away,
       '2024-02-29'::date AS d, '1 day 2 hours'::interval AS iv, 'true'::boolean AS b, 'off'::boolean AS b2,
       42::text AS t, '{1,2,3}'::int[] AS arr, 7::bigint AS big, '12:34:56'::time AS tm;
SELECT '2024-01-01 10:00:00+02'::timestamptz AS tstz, '2024-01-01 10:00:00'::timestamp AS ts,
       '2024-01-01 10:00:00+02'::timestamptz::date AS tstz_date, CAST(1.5 AS float8) AS f8,
       CAST(10 AS numeric(6, 2)) AS n2, '  17 '::int AS padded, 'abc'::varchar(2) AS truncated,
       '1e2'::float8::int AS sci, 255::smallint::text || '!' AS chained, 1::boolean AS int_bool,
       pg_typeof(1 + 1.5) AS t1, pg_typeof('a'::text || 1) AS t2, pg_typeof(1::smallint + 1) AS t3;

-- --------------------------------------------------------------- strings
SELECT upper('abc') AS u, lower('ABC') AS l, length('héllo') AS len, length(NULL::text) AS len_null,
       char_length('abc') AS cl, octet_length('héllo') AS ol, substring('hello' FROM 2 FOR 3) AS sub1,
       substring('hello', 2) AS sub2, substr('hello', 2, 2) AS sub3, position('l' IN 'hello') AS pos,
       strpos('hello', 'lo') AS strpos;
SELECT concat('a', NULL, 'b', 1) AS concat, 'a' || 'b' || 'c' AS pipes, 'a' || NULL AS pipe_null,
       'n=' || 5 AS pipe_int, concat_ws('-', 'a', NULL, 'c') AS ws, trim('  x  ') AS t1,
       trim(BOTH 'x' FROM 'xxaxx') AS t2, trim(LEADING FROM '  y') AS t3, ltrim('  z') AS lt, rtrim('z  ') || '<' AS rt,
       btrim('--k--', '-') AS bt;
SELECT replace('abcabc', 'b', 'X') AS rep, split_part('a,b,c', ',', 2) AS sp, split_part('a,b,c', ',', 5) AS sp_out,
       regexp_replace('foo123bar456', '[0-9]+', '#') AS rr1, regexp_replace('foo123bar456', '[0-9]+', '#', 'g') AS rr2,
       regexp_replace('Hello', '(l+)', '<\1>') AS rr3, left('hello', 2) AS lft, right('hello', 3) AS rgt,
       left('hello', -1) AS lft_neg, lpad('7', 3, '0') AS lp, lpad('12345', 3) AS lp_cut, rpad('ab', 4, '.') AS rp,
       repeat('ab', 3) AS rpt, reverse('abc') AS rev, initcap('hello world') AS ic, md5('abc') AS md5;
SELECT string_to_array('a,b,,c', ',') AS sta, array_to_string(ARRAY['x', NULL, 'z'], '/') AS ats,
       array_length(ARRAY[1, 2, 3], 1) AS alen, (ARRAY[10, 20, 30])[2] AS elem, starts_with('hello', 'he') AS sw,
       quote_ident('My Table') AS qi, quote_literal('it''s') AS ql, ascii('A') AS asc, chr(66) AS chr;

-- ------------------------------------------------------------------ math
SELECT round(2.567, 2) AS r2, round(2.5) AS r, round(-2.5) AS rneg, round(2.5::float8) AS rdbl, ceil(1.2) AS ce,
       floor(-1.2) AS fl, trunc(2.78, 1) AS tr, sqrt(16) AS sq, power(2, 3) AS pw, mod(10, 3) AS md,
       abs(-3) AS ab, sign(-3.5) AS sg, exp(0) AS ex, ln(1) AS ln, log(100) AS lg, pi()::numeric(6, 4) AS pi,
       div(7, 2) AS dv, gcd(12, 18) AS gcd;
SELECT abs(x) AS a, x * 2 AS twice, x::float8 / 4 AS quarter FROM generate_series(-2, 2) AS x ORDER BY x;

-- --------------------------------------------------------- date and time
SELECT date_trunc('month', TIMESTAMP '2024-03-15 10:20:30') AS month,
       date_trunc('hour', TIMESTAMP '2024-03-15 10:20:30') AS hour,
       date_trunc('day', TIMESTAMPTZ '2024-03-15 10:20:30+00') AS day_tz,
       extract(year FROM DATE '2024-03-15') AS y, extract(month FROM TIMESTAMP '2024-03-15 10:20:30') AS mon,
       extract(dow FROM DATE '2024-03-15') AS dow, extract(epoch FROM TIMESTAMPTZ '2024-03-15 10:20:30+00') AS epoch,
       date_part('hour', TIMESTAMP '2024-03-15 10:20:30') AS hr, date_part('doy', DATE '2024-03-15') AS doy;
SELECT to_timestamp(0) AS epoch0, to_timestamp(1710498030.5) AS frac,
       to_char(TIMESTAMP '2024-03-15 10:20:30', 'YYYY-MM-DD HH24:MI:SS') AS tc1,
       to_char(DATE '2024-03-05', 'DD Mon YYYY') AS tc2, to_char(1234.5, '9999.99') AS tc3,
       to_date('15/03/2024', 'DD/MM/YYYY') AS td,
       to_timestamp('2024-03-15 10:20', 'YYYY-MM-DD HH24:MI') AS tts;
SELECT DATE '2024-01-31' + INTERVAL '1 month' AS plus_month, TIMESTAMP '2024-01-01' + INTERVAL '1 day 2 hours' AS plus_iv,
       TIMESTAMP '2024-03-15 12:00' - TIMESTAMP '2024-03-14 10:30' AS ts_diff, DATE '2024-03-15' - DATE '2024-03-01' AS date_diff,
       DATE '2024-03-15' + 7 AS plus_days, DATE '2024-03-15' - 1 AS minus_day, INTERVAL '1 hour' * 3 AS iv_mul,
       INTERVAL '1 day' - INTERVAL '1 hour' AS iv_sub, INTERVAL '90 minutes' AS iv_norm,
       TIMESTAMPTZ '2024-03-31 23:00:00+00' + INTERVAL '1 hour' AS tz_plus, age(TIMESTAMP '2024-03-15', TIMESTAMP '2023-01-01') AS age;
SELECT now() = current_timestamp AS same_instant, now() > TIMESTAMPTZ '2020-01-01' AS after_2020,
       current_date = now()::date AS today, localtimestamp IS NOT NULL AS has_local,
       pg_typeof(now()) AS now_type, pg_typeof(current_date) AS date_type,
       clock_timestamp() >= now() AS clock_ge;
SELECT g AS day FROM generate_series(TIMESTAMP '2024-02-27', TIMESTAMP '2024-03-02', INTERVAL '1 day') AS g ORDER BY g;

-- ------------------------------------------------------------------ JSON
SELECT '{"a": {"b": [1, 2, {"c": "x"}]}, "n": null, "s": "str"}'::json -> 'a' AS arrow,
       '{"a": {"b": [1, 2, {"c": "x"}]}, "n": null, "s": "str"}'::json ->> 's' AS arrow_text,
       '{"a": {"b": [1, 2, {"c": "x"}]}}'::json #>> '{a,b,2,c}' AS path_text,
       '{"a": {"b": [1, 2, {"c": "x"}]}}'::json #> '{a,b}' AS path_json,
       '[10, 20, 30]'::json -> 1 AS idx, '[10, 20, 30]'::json ->> -1 AS idx_neg,
       '{"n": null}'::json ->> 'n' AS json_null, '{"a": 1}'::json -> 'missing' AS missing;
SELECT '{"a": {"b": 5}}'::jsonb -> 'a' -> 'b' AS jb, '{"b": 2, "a": 1}'::jsonb AS jb_sorted,
       '{"a": {"b": "deep"}}'::jsonb #>> '{a,b}' AS jb_path, json_extract_path_text('{"a": {"b": "v"}}', 'a', 'b') AS jept,
       json_extract_path('{"a": {"b": [1]}}', 'a', 'b') AS jep, json_build_object('k', 1, 'v', 'x', 'n', NULL) AS jbo,
       json_build_array(1, 'two', NULL, true) AS jba, to_json('a"b'::text) AS tj,
       json_typeof('[1]') AS jt, json_array_length('[1, 2, 3]') AS jal;
SELECT json_agg(x ORDER BY x) AS agg, json_agg(x ORDER BY x DESC) FILTER (WHERE x > 1) AS agg_filtered
FROM (VALUES (3), (1), (2)) AS t(x);

-- ------------------------------------------------------------ test data
CREATE TABLE sales (id int PRIMARY KEY, region text, product text, amount numeric(10, 2), qty int, ok boolean);
INSERT INTO sales VALUES
    (1, 'north', 'apple', 10.50, 3, true),
    (2, 'north', 'pear', 20.00, 1, true),
    (3, 'south', 'apple', 5.25, 7, false),
    (4, 'south', 'plum', NULL, 2, true),
    (5, 'east', 'apple', 30.00, NULL, NULL),
    (6, 'north', 'apple', 10.50, 4, false),
    (7, NULL, 'kiwi', 1.00, 1, true);
CREATE TABLE regions (name text PRIMARY KEY, manager text, target numeric);
INSERT INTO regions VALUES ('north', 'ann', 40), ('south', 'bob', 10), ('west', 'cid', 5);
CREATE TABLE ranges (lo int, hi int, label text);
INSERT INTO ranges VALUES (0, 2, 'low'), (3, 5, 'mid'), (6, 100, 'high'), (4, 8, 'overlap');

-- ------------------------------------------------------------ aggregates
SELECT count(*) AS n, count(region) AS n_region, count(DISTINCT region) AS n_regions, count(DISTINCT product) AS n_products,
       sum(amount) AS total, avg(amount) AS mean, min(amount) AS lo, max(amount) AS hi, sum(qty) AS qty,
       avg(qty) AS avg_qty, bool_and(ok) AS all_ok, bool_or(ok) AS any_ok, min(product) AS first_product,
       max(region) AS last_region
FROM sales;
SELECT region, count(*) AS n, sum(amount) AS total, avg(qty)::numeric(10, 2) AS avg_qty,
       count(*) FILTER (WHERE ok) AS n_ok, sum(amount) FILTER (WHERE product = 'apple') AS apples,
       string_agg(product, ',' ORDER BY product) AS products, array_agg(id ORDER BY id DESC) AS ids,
       string_agg(DISTINCT product, ';' ORDER BY product) AS distinct_products, sum(DISTINCT amount) AS distinct_sum
FROM sales
GROUP BY region
ORDER BY region NULLS LAST;
SELECT product, count(*) FROM sales GROUP BY 1 HAVING count(*) > 1 ORDER BY 1;
SELECT region IS NULL AS no_region, max(id) FROM sales GROUP BY region IS NULL ORDER BY 1;
SELECT count(*) AS n, count(amount) AS n_amount, sum(amount) AS total, avg(amount) AS mean, max(product) AS mx,
       bool_and(ok) AS band, string_agg(product, ',') AS sa, array_agg(id) AS aa
FROM sales WHERE id < 0;
SELECT region, count(*) FROM sales WHERE id < 0 GROUP BY region;
SELECT DISTINCT product FROM sales ORDER BY product;
SELECT DISTINCT region, ok FROM sales WHERE region IS NOT NULL ORDER BY region, ok NULLS LAST;
SELECT count(*) FROM sales WHERE amount > (SELECT avg(amount) FROM sales);

-- --------------------------------------------------------------- windows
SELECT id, region, amount,
       row_number() OVER (PARTITION BY region ORDER BY amount DESC NULLS LAST, id) AS rn,
       rank() OVER (PARTITION BY region ORDER BY amount DESC NULLS LAST) AS rnk,
       row_number() OVER (ORDER BY id DESC) AS global_rn
FROM sales
ORDER BY region NULLS LAST, rn;
SELECT * FROM (
    SELECT region, product, amount, row_number() OVER (PARTITION BY region ORDER BY amount DESC) AS rn
    FROM sales WHERE amount IS NOT NULL
) AS ranked
WHERE rn = 1
ORDER BY region NULLS LAST;
SELECT id, rank() OVER (ORDER BY product) AS by_product FROM sales ORDER BY id;

-- ----------------------------------------------------------------- joins
SELECT s.id, s.region, r.manager FROM sales s JOIN regions r ON s.region = r.name ORDER BY s.id;
SELECT s.id, s.region, r.manager FROM sales s LEFT JOIN regions r ON s.region = r.name ORDER BY s.id;
SELECT s.id, r.name, r.manager FROM sales s RIGHT JOIN regions r ON s.region = r.name ORDER BY r.name, s.id;
SELECT s.id, s.region, r.name FROM sales s FULL JOIN regions r ON s.region = r.name ORDER BY s.id NULLS LAST, r.name;
SELECT count(*) FROM sales CROSS JOIN regions;
SELECT s.id, rg.label FROM sales s JOIN ranges rg ON s.qty BETWEEN rg.lo AND rg.hi ORDER BY s.id, rg.label;
SELECT s.id, rg.label FROM sales s LEFT JOIN ranges rg ON s.qty > rg.hi AND rg.label <> 'low' ORDER BY s.id, rg.label;
SELECT a.id, b.id AS same_product FROM sales a JOIN sales b ON a.product = b.product AND a.id < b.id ORDER BY 1, 2;
SELECT name, manager, id FROM regions JOIN (SELECT id, region AS name FROM sales) AS s USING (name) ORDER BY id;
SELECT r.name, s.cnt FROM regions r
LEFT JOIN (SELECT region, count(*) AS cnt FROM sales GROUP BY region) AS s ON s.region = r.name
ORDER BY r.name;
SELECT s.id, r.manager, rg.label
FROM sales s JOIN regions r ON r.name = s.region JOIN ranges rg ON s.id BETWEEN rg.lo AND rg.hi
ORDER BY s.id, rg.label;
SELECT x.a, y.b FROM (VALUES (1), (2), (NULL)) AS x(a) JOIN (VALUES (1), (NULL)) AS y(b) ON x.a = y.b;
SELECT x.a, y.b FROM (VALUES (1), (NULL)) AS x(a) FULL JOIN (VALUES (2), (NULL)) AS y(b) ON x.a = y.b
ORDER BY x.a NULLS LAST, y.b NULLS LAST;

-- ------------------------------------------------------------ subqueries
SELECT id FROM sales WHERE region IN (SELECT name FROM regions WHERE target > 8) ORDER BY id;
SELECT name FROM regions WHERE name NOT IN (SELECT region FROM sales WHERE region IS NOT NULL) ORDER BY name;
SELECT name FROM regions WHERE name NOT IN (SELECT region FROM sales) ORDER BY name;
SELECT name FROM regions r WHERE EXISTS (SELECT 1 FROM sales s WHERE s.region = r.name AND s.ok) ORDER BY name;
SELECT name FROM regions r WHERE NOT EXISTS (SELECT 1 FROM sales s WHERE s.region = r.name) ORDER BY name;
SELECT id, (SELECT manager FROM regions WHERE name = s.region) AS manager,
       amount - (SELECT avg(amount) FROM sales) AS vs_avg
FROM sales s ORDER BY id;
SELECT r.name, (SELECT sum(amount) FROM sales s WHERE s.region = r.name) AS total,
       (SELECT count(*) FROM sales s WHERE s.region = r.name) AS n
FROM regions r ORDER BY r.name;
SELECT id, amount FROM sales s
WHERE amount > (SELECT avg(amount) FROM sales s2 WHERE s2.region = s.region)
ORDER BY id;
SELECT (SELECT max(id) FROM sales) AS max_id, (SELECT name FROM regions WHERE false) AS none;
SELECT id FROM sales WHERE qty = ANY (SELECT qty FROM sales WHERE region = 'south') ORDER BY id;
SELECT id FROM sales WHERE id > ALL (SELECT id FROM sales WHERE region = 'north') ORDER BY id;
SELECT id FROM sales WHERE (SELECT count(*) FROM regions) = 3 AND id <= 2 ORDER BY id;

-- ------------------------------------------------------------------ CTEs
WITH totals AS (
    SELECT region, sum(amount) AS total FROM sales WHERE region IS NOT NULL GROUP BY region
), ranked AS (
    SELECT region, total, rank() OVER (ORDER BY total DESC) AS pos FROM totals
)
SELECT ranked.region, total, pos, r.target, total >= r.target AS met
FROM ranked LEFT JOIN regions r ON r.name = ranked.region
ORDER BY pos;
WITH nums AS (SELECT * FROM generate_series(1, 5) AS n)
SELECT a.n, b.n FROM nums a JOIN nums b ON b.n = a.n * 2 ORDER BY a.n;
WITH v(k, label) AS (VALUES (1, 'one'), (2, 'two'))
SELECT * FROM v WHERE k > 1;

-- -------------------------------------------------------- set operations
SELECT region FROM sales UNION SELECT name FROM regions ORDER BY 1 NULLS FIRST;
SELECT region FROM sales WHERE id <= 2 UNION ALL SELECT name FROM regions ORDER BY 1;
SELECT region FROM sales INTERSECT SELECT name FROM regions ORDER BY 1;
SELECT name FROM regions EXCEPT SELECT region FROM sales ORDER BY 1;
SELECT product FROM sales INTERSECT ALL SELECT 'apple' UNION ALL SELECT 'apple' ORDER BY 1;
SELECT product FROM sales EXCEPT ALL SELECT 'apple' ORDER BY 1;
(SELECT 1 AS n UNION SELECT 2) EXCEPT SELECT 2;
SELECT 1 AS n UNION ALL SELECT 1 UNION SELECT 2 ORDER BY n DESC LIMIT 1;
SELECT 1::int AS x UNION SELECT 2.5 ORDER BY x;

-- ------------------------------------------------ ORDER BY, LIMIT, OFFSET
SELECT id, amount FROM sales ORDER BY amount DESC NULLS LAST, id LIMIT 3;
SELECT id, amount FROM sales ORDER BY amount NULLS FIRST, id DESC LIMIT 3 OFFSET 1;
SELECT id, amount AS a FROM sales ORDER BY a, id DESC;
SELECT id, qty FROM sales ORDER BY qty * -1 NULLS LAST, 1;
SELECT id FROM sales ORDER BY id OFFSET 5;
SELECT id FROM sales ORDER BY id FETCH FIRST 2 ROWS ONLY;
SELECT id FROM sales ORDER BY id LIMIT 0;
SELECT id FROM sales ORDER BY id LIMIT ALL OFFSET 6;
SELECT product, id FROM sales ORDER BY product DESC, id;
SELECT region FROM sales ORDER BY region DESC;

-- ---------------------------------------------- generate_series and VALUES
SELECT * FROM generate_series(1, 5);
SELECT * FROM generate_series(1, 10, 3) AS g(n);
SELECT n FROM generate_series(5, 1, -2) AS n;
SELECT count(*), sum(n), min(n), max(n) FROM generate_series(1, 100000) AS n;
SELECT n % 3 AS bucket, count(*) FROM generate_series(1, 10) AS n GROUP BY n % 3 ORDER BY 1;
SELECT * FROM generate_series(3, 1);
VALUES (1, 'a'), (2, 'b');
SELECT * FROM (VALUES (1, 'x', 1.5), (2, NULL, NULL), (3, 'z', 2)) AS v(n, s, d) ORDER BY n DESC;
SELECT column1 + 1, column2 FROM (VALUES (1, true), (2, false)) AS v ORDER BY 1;
SELECT 1 AS one, 'two' AS two, NULL AS three;
SELECT;
SELECT * FROM sales WHERE false;
SELECT * FROM sales ORDER BY id LIMIT 2;
SELECT s.* , r.* FROM sales s, regions r WHERE s.region = r.name AND s.id = 3;

-- primary-key lookups inside correlated subqueries, kept or decorrelated into joins
CREATE TABLE pk_people (id bigint PRIMARY KEY, name text);
CREATE TABLE pk_auctions (id bigint PRIMARY KEY, seller bigint);
INSERT INTO pk_people SELECT g, 'p' || g FROM generate_series(1000, 1010) g;
INSERT INTO pk_auctions SELECT g, g % 20 + 1000 FROM generate_series(1, 30) g;
SELECT count(*) FROM pk_auctions a WHERE NOT EXISTS (SELECT 1 FROM pk_people p WHERE p.id = a.seller) AND a.seller <= 1999;
SELECT count(*) FROM pk_auctions a WHERE EXISTS (SELECT 1 FROM pk_people p WHERE p.id = a.seller);
SELECT a.id, (SELECT name FROM pk_people p WHERE p.id = a.seller) FROM pk_auctions a WHERE a.id IN (3, 15) ORDER BY 1;
DROP TABLE pk_people, pk_auctions;
-- numeric display scales: literals, casts, arithmetic and aggregates as PostgreSQL prints them
SELECT 40::numeric AS i, 1.50::numeric AS lit, '1.50'::numeric AS str, 6::numeric / 3 AS q, 1.5e-3 AS e,
       2.5e0 * 2 AS e2, 1.25 * 2 AS m, 1.5 - 0.25 AS s;
CREATE TABLE nums (id int PRIMARY KEY, v numeric, w numeric(10, 2));
INSERT INTO nums VALUES (1, 40, 1), (2, 1.5, 2.25), (3, 0.125, 3);
-- (a quotient below 1 or from 10000 up gets more or fewer than 16 digits in PostgreSQL, value
-- by value; Laminar gives every quotient of a column 16)
SELECT v, w, v + 1 AS plus, (v + 5) / 4 AS quot, (w + 5) / 4 AS wquot FROM nums ORDER BY id;
SELECT sum(v), avg(v), min(v), max(v), sum(w), avg(w), avg(id) FROM nums;
SELECT coalesce(NULL, 1.5, 2) AS c, CASE WHEN id = 1 THEN 1 ELSE 2.5 END AS k FROM nums ORDER BY id;
DROP TABLE nums;
-- aggregates over ordered windows: the default running frame (peers share a value) and the
-- whole-partition frame
CREATE TABLE wt (id int, g text, x int);
INSERT INTO wt VALUES (1, 'a', 10), (2, 'a', 20), (3, 'a', 20), (4, 'b', 5), (5, 'b', NULL), (6, 'b', 7);
SELECT id, g, x, sum(x) OVER (ORDER BY x), count(*) OVER (PARTITION BY g ORDER BY x),
       avg(x) OVER (PARTITION BY g ORDER BY id), max(x) OVER (ORDER BY id DESC),
       array_agg(id) OVER (PARTITION BY g ORDER BY x, id)
FROM wt ORDER BY id;
SELECT id, sum(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS total,
       row_number() OVER (ORDER BY id)
FROM wt ORDER BY id;
SELECT g, sum(x), sum(sum(x)) OVER (ORDER BY g), rank() OVER (ORDER BY sum(x) DESC), count(*) OVER ()
FROM wt GROUP BY g ORDER BY g;
SELECT sum(x) OVER (), sum(sum(x)) OVER () FROM wt;
DROP TABLE wt;
-- -------------------------------------- Laminar functions (not in PostgreSQL)
SELECT regexp_extract('foo123bar456', '[0-9]+') AS whole, regexp_extract('key=value', '(\w+)=(\w+)', 2) AS grp,
       regexp_extract('abc', '[0-9]+') AS no_match, regexp_extract(NULL, 'a') AS null_in;
SELECT json_value('{"a": {"b": 42}}', '$.a.b') AS jv1, json_value('{"a": [10, 20]}', '$.a[1]') AS jv2,
       json_value('{"a": "text"}', '$.a') AS jv3, json_value('{"a": 1}', '$.missing') AS jv4,
       json_value('{"a": {"b": 1}}', '$.a') AS jv_object, json_value(NULL, '$.a') AS jv_null;
