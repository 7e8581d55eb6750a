--
-- plain_tables: CREATE TABLE (types, NOT NULL, DEFAULT, PRIMARY KEY forms),
-- CREATE/DROP SCHEMA, DROP TABLE, TRUNCATE, transactional DDL and rows
-- (BEGIN/COMMIT/ROLLBACK/savepoints), and the SQLSTATE of every refusal.
-- Rows are put in and read back with COPY.
--
\set VERBOSITY default
CREATE TABLE items (
    id      integer PRIMARY KEY,
    name    varchar(40) NOT NULL,
    price   numeric(10,2) DEFAULT 0,
    tags    text[],
    made_at timestamp with time zone DEFAULT '2024-01-01 00:00:00+00'::timestamptz,
    flag    boolean NULL
);
CREATE TABLE IF NOT EXISTS items (id int);
CREATE TABLE items (id int);
CREATE TABLE pairs (a bigint, b text, c double precision, CONSTRAINT pairs_key PRIMARY KEY (b, a));
CREATE TABLE nopk (v text, n smallint);
CREATE TABLE stamped (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), n int DEFAULT 1 + 1);
-- refused: what Laminar cannot enforce yet
CREATE TABLE bad (a int UNIQUE);
CREATE TABLE bad (a int CHECK (a > 0));
CREATE TABLE bad (a int REFERENCES items (id));
CREATE TABLE bad (a serial);
CREATE TABLE bad (a int GENERATED ALWAYS AS IDENTITY);
CREATE TEMP TABLE bad (a int);
CREATE TABLE bad (a int PRIMARY KEY, b int, PRIMARY KEY (b));
CREATE TABLE bad (a int, PRIMARY KEY (z));
CREATE TABLE bad (a int, a text);
CREATE TABLE bad (a nosuchtype);
CREATE TABLE bad (a int NULL NOT NULL);
CREATE TABLE pg_catalog.bad (a int);
-- rows
COPY items (id, name, price, tags, flag) FROM STDIN;
1	apple	0.50	{red,green}	t
2	pear	\N	\N	\N
3	plum	1.25	{}	f
\.
COPY items (id, name, price, tags, flag) TO STDOUT;
COPY items (id, name) FROM STDIN;
4	kiwi
\.
COPY items (id, name, price) TO STDOUT;
COPY items (id, name) FROM STDIN;
5	fig
1	apple again
\.
COPY items (id, name) FROM STDIN;
6	\N
\.
COPY pairs FROM STDIN WITH (FORMAT csv);
1,b,1.5
1,a,2.5
2,a,-0
\.
COPY pairs TO STDOUT WITH (FORMAT csv, HEADER);
COPY pairs FROM STDIN WITH (FORMAT csv);
2,a,9
\.
COPY nopk FROM STDIN;
x	1
x	1
\N	\N
\.
COPY nopk TO STDOUT;
-- transactions: DDL and rows commit together or not at all
BEGIN;
CREATE TABLE tx (id int PRIMARY KEY, v text);
COPY tx FROM STDIN;
1	one
\.
SAVEPOINT s1;
COPY tx FROM STDIN;
2	two
\.
ROLLBACK TO SAVEPOINT s1;
COPY tx FROM STDIN;
3	three
\.
COPY tx TO STDOUT;
COMMIT;
COPY tx TO STDOUT;
BEGIN;
CREATE TABLE tx_gone (id int);
COPY tx FROM STDIN;
4	four
\.
ROLLBACK;
COPY tx TO STDOUT;
COPY tx_gone TO STDOUT;
BEGIN;
COPY tx FROM STDIN;
1	dup
\.
COPY tx TO STDOUT;
COMMIT;
COPY tx TO STDOUT;
-- TRUNCATE
BEGIN;
TRUNCATE tx;
COPY tx TO STDOUT;
ROLLBACK;
COPY tx TO STDOUT;
TRUNCATE tx, nopk;
COPY tx TO STDOUT;
COPY nopk TO STDOUT;
TRUNCATE nosuch;
-- schemas
CREATE SCHEMA app;
CREATE SCHEMA app;
CREATE SCHEMA IF NOT EXISTS app;
CREATE SCHEMA pg_mine;
CREATE SCHEMA laminar;
CREATE TABLE app.items (k text PRIMARY KEY);
COPY app.items FROM STDIN;
a
\.
COPY app.items TO STDOUT;
COPY items (id) TO STDOUT;
CREATE TABLE nosuch.t (a int);
DROP SCHEMA app;
DROP SCHEMA app CASCADE;
COPY app.items TO STDOUT;
DROP SCHEMA IF EXISTS app;
DROP SCHEMA public;
BEGIN;
CREATE SCHEMA app2;
CREATE TABLE app2.t (a int);
ROLLBACK;
DROP SCHEMA app2;
-- DROP TABLE
DROP TABLE items, nosuch;
DROP TABLE IF EXISTS nosuch, app.nosuch;
DROP TABLE items, pairs;
COPY items TO STDOUT;
CREATE TABLE items (id int PRIMARY KEY);
COPY items TO STDOUT;
DROP TABLE items, nopk, tx, stamped;
