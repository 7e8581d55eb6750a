--
-- plain_dml: rows of plain tables through SQL DML (plain_tables.sql covers
-- the DDL and COPY): CREATE SCHEMA/TABLE with PRIMARY KEY, NOT NULL and
-- DEFAULT, INSERT ... VALUES / SELECT / DEFAULT VALUES, ON CONFLICT DO
-- NOTHING / DO UPDATE (EXCLUDED, WHERE), RETURNING, UPDATE, DELETE,
-- TRUNCATE, DROP, search_path, and the constraint errors 23505 and 23502.
--
\set VERBOSITY default
SET TimeZone = 'UTC';
CREATE SCHEMA shop;
CREATE SCHEMA IF NOT EXISTS shop;
CREATE TABLE shop.items (
    id         int PRIMARY KEY,
    name       text NOT NULL,
    price      numeric(10, 2) DEFAULT 9.99,
    stock      int NOT NULL DEFAULT 0,
    tags       text[],
    created_at timestamptz DEFAULT '2024-01-01 00:00:00+00',
    active     boolean DEFAULT true
);
CREATE TABLE IF NOT EXISTS shop.items (id int);
CREATE TABLE kv (k text, v bigint, note varchar(10), PRIMARY KEY (k));
CREATE TABLE log (n int, msg text);

-- INSERT ... VALUES, defaults, column lists
INSERT INTO shop.items (id, name, price, stock, tags) VALUES (1, 'apple', 0.50, 10, '{red,green}');
INSERT INTO shop.items (id, name) VALUES (2, 'pear'), (3, 'plum');
INSERT INTO shop.items VALUES (4, 'fig', DEFAULT, 5, NULL, DEFAULT, false);
INSERT INTO shop.items (name, id, stock) VALUES ('kiwi', 5, 2 + 3);
INSERT INTO kv VALUES ('a', 1, 'first');
INSERT INTO log DEFAULT VALUES;
SELECT * FROM shop.items ORDER BY id;
SELECT * FROM log;

-- RETURNING
INSERT INTO kv VALUES ('b', 2, NULL), ('c', 3, 'third') RETURNING *;
INSERT INTO kv (k, v) VALUES ('d', 40) RETURNING k, v * 10 AS v10, note IS NULL AS no_note;
INSERT INTO shop.items (id, name) VALUES (6, 'lime') RETURNING id, price, stock, active;

-- INSERT ... SELECT
INSERT INTO log SELECT id, name FROM shop.items WHERE id <= 3;
INSERT INTO log (msg, n) SELECT 'gen ' || g, g * 100 FROM generate_series(1, 3) AS g;
INSERT INTO log SELECT n + 1000, upper(msg) FROM log WHERE n >= 200 RETURNING *;
SELECT * FROM log ORDER BY n NULLS FIRST;

-- constraint violations: 23505 unique, 23502 not null (nothing is inserted)
INSERT INTO kv VALUES ('a', 100, 'dup');
\echo SQLSTATE :SQLSTATE
INSERT INTO kv VALUES ('x', 1, NULL), ('x', 2, NULL);
\echo SQLSTATE :SQLSTATE
INSERT INTO kv VALUES (NULL, 1, NULL);
\echo SQLSTATE :SQLSTATE
INSERT INTO shop.items (id) VALUES (7);
\echo SQLSTATE :SQLSTATE
INSERT INTO shop.items (id, name, stock) VALUES (7, 'x', NULL);
\echo SQLSTATE :SQLSTATE
INSERT INTO shop.items (id, name) VALUES (8, 'ok'), (9, NULL);
\echo SQLSTATE :SQLSTATE
INSERT INTO kv VALUES ('toolong', 1, 'abcdefghijk');
\echo SQLSTATE :SQLSTATE
INSERT INTO kv (k, nosuch) VALUES ('y', 1);
\echo SQLSTATE :SQLSTATE
INSERT INTO kv VALUES ('y', 1, 'z', 'extra');
\echo SQLSTATE :SQLSTATE
INSERT INTO kv VALUES ('y', 'not a number');
\echo SQLSTATE :SQLSTATE
SELECT count(*) FROM kv;
SELECT id FROM shop.items ORDER BY id;

-- ON CONFLICT
INSERT INTO kv VALUES ('a', 100, 'ignored') ON CONFLICT DO NOTHING;
INSERT INTO kv VALUES ('a', 100, 'ignored') ON CONFLICT (k) DO NOTHING RETURNING *;
INSERT INTO kv VALUES ('a', 100, 'new'), ('e', 5, 'new') ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, note = EXCLUDED.note
RETURNING k, v, note;
INSERT INTO kv VALUES ('a', 1, 'add') ON CONFLICT (k) DO UPDATE SET v = kv.v + EXCLUDED.v RETURNING *;
INSERT INTO kv VALUES ('a', 7, 'cond'), ('b', 7, 'cond') ON CONFLICT (k) DO UPDATE SET note = EXCLUDED.note
WHERE kv.v > 50 RETURNING k, note;
INSERT INTO kv AS t VALUES ('c', 0, NULL) ON CONFLICT (k) DO UPDATE SET v = t.v * 2, note = coalesce(EXCLUDED.note, 'kept');
INSERT INTO kv VALUES ('z', 1, NULL), ('z', 2, NULL) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v;
\echo SQLSTATE :SQLSTATE
INSERT INTO kv VALUES ('z', 1, NULL), ('z', 2, NULL) ON CONFLICT (k) DO NOTHING;
-- a row may not be affected twice by one DO UPDATE, also across batches; a row only
-- locked (WHERE false) may; a changed key counts as the row
CREATE TABLE oc (k int PRIMARY KEY, v int);
INSERT INTO oc SELECT g % 1500, g FROM generate_series(1, 2000) g ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v;
\echo SQLSTATE :SQLSTATE
INSERT INTO oc SELECT g, g FROM generate_series(1, 3000) g ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v;
INSERT INTO oc SELECT g, -g FROM generate_series(1, 3000) g ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v;
SELECT count(*), sum(v) FROM oc;
INSERT INTO oc VALUES (5, 1), (5, 2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v WHERE false;
INSERT INTO oc VALUES (5, 1), (6, 2) ON CONFLICT (k) DO UPDATE SET k = EXCLUDED.k + 10000 RETURNING *;
INSERT INTO oc VALUES (10005, 1), (10005, 3) ON CONFLICT (k) DO UPDATE SET v = 7 RETURNING *;
DROP TABLE oc;
INSERT INTO kv VALUES ('q', 1, NULL) ON CONFLICT (v) DO NOTHING;
\echo SQLSTATE :SQLSTATE
INSERT INTO shop.items (id, name) SELECT id + 1, name || '2' FROM shop.items WHERE id IN (1, 6)
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name RETURNING id, name;
SELECT * FROM kv ORDER BY k;

-- UPDATE
UPDATE shop.items SET price = price * 2 WHERE price IS NOT NULL AND id < 3;
UPDATE shop.items SET stock = stock + 1, active = NOT active WHERE id = 4 RETURNING id, stock, active;
UPDATE shop.items SET name = upper(name) WHERE name LIKE 'p%' RETURNING *;
UPDATE shop.items SET price = DEFAULT WHERE id = 1 RETURNING price;
UPDATE shop.items SET tags = ARRAY['x', 'y'] WHERE id = 5;
UPDATE shop.items SET stock = 99 WHERE false;
UPDATE shop.items AS i SET stock = (SELECT count(*) FROM kv WHERE kv.v > i.id) WHERE id = 3 RETURNING id, stock;
UPDATE kv SET v = v + 1 WHERE k IN (SELECT k FROM kv WHERE note IS NULL);
UPDATE kv SET v = kv.v + s.n FROM (VALUES ('a', 1000), ('b', 2000)) AS s(k, n) WHERE kv.k = s.k;
SELECT k, v FROM kv WHERE k IN ('a', 'b') ORDER BY k;
UPDATE shop.items SET name = NULL WHERE id = 1;
\echo SQLSTATE :SQLSTATE
UPDATE shop.items SET id = 2 WHERE id = 1;
\echo SQLSTATE :SQLSTATE
UPDATE shop.items SET id = 100 WHERE id = 6 RETURNING id, name;
UPDATE shop.items SET nosuch = 1;
\echo SQLSTATE :SQLSTATE
SELECT * FROM shop.items ORDER BY id;
SELECT * FROM kv ORDER BY k;

-- DELETE
DELETE FROM log WHERE n IS NULL;
DELETE FROM log WHERE n > 1000 RETURNING n, msg;
DELETE FROM kv WHERE k IN (SELECT k FROM kv WHERE v < 10);
DELETE FROM shop.items i WHERE NOT EXISTS (SELECT 1 FROM log WHERE log.n = i.id) AND i.id > 3 AND i.id < 100;
DELETE FROM shop.items WHERE id = 100 RETURNING id, name;
DELETE FROM kv WHERE false;
SELECT * FROM log ORDER BY n;
SELECT k FROM kv ORDER BY k;
DELETE FROM log;
SELECT count(*) FROM log;

-- search_path
SET search_path = shop, public;
SELECT id, name FROM items ORDER BY id;
INSERT INTO items (id, name) VALUES (50, 'via path');
CREATE TABLE public.items (local_id int);
INSERT INTO public.items VALUES (1);
SELECT * FROM items WHERE id = 50;
SELECT * FROM public.items;
RESET search_path;
SELECT * FROM items;

-- TRUNCATE and DROP
TRUNCATE kv;
SELECT count(*) FROM kv;
INSERT INTO kv VALUES ('after', 1, NULL) RETURNING k;
DROP TABLE kv;
SELECT * FROM kv;
\echo SQLSTATE :SQLSTATE
INSERT INTO kv VALUES ('a', 1, NULL);
\echo SQLSTATE :SQLSTATE
DROP TABLE IF EXISTS kv;
DROP TABLE shop.items, items, log;
DROP SCHEMA shop;
