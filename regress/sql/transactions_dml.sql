--
-- transactions_dml: INSERT/UPDATE/DELETE inside BEGIN ... COMMIT/ROLLBACK:
-- a block sees its own writes, ROLLBACK discards them, savepoints undo part
-- of a block (also after an error), an error aborts the block (25P02 until
-- ROLLBACK, COMMIT then rolls back), and a multi-statement query string is
-- one implicit transaction.
--
\set VERBOSITY default
CREATE TABLE acct (id int PRIMARY KEY, owner text NOT NULL, balance numeric(12, 2) NOT NULL DEFAULT 0);
INSERT INTO acct VALUES (1, 'ann', 100), (2, 'bob', 50);

-- COMMIT keeps every statement of the block
BEGIN;
INSERT INTO acct VALUES (3, 'cid', 10);
UPDATE acct SET balance = balance - 30 WHERE id = 1;
UPDATE acct SET balance = balance + 30 WHERE id = 2;
SELECT * FROM acct ORDER BY id;
COMMIT;
SELECT * FROM acct ORDER BY id;

-- ROLLBACK discards inserts, updates and deletes
BEGIN;
INSERT INTO acct VALUES (4, 'dan', 1);
UPDATE acct SET owner = 'ANN' WHERE id = 1;
DELETE FROM acct WHERE id = 2;
SELECT * FROM acct ORDER BY id;
ROLLBACK;
SELECT * FROM acct ORDER BY id;

-- a row inserted and changed in the same block
BEGIN;
INSERT INTO acct VALUES (5, 'eve', 5);
UPDATE acct SET balance = balance * 10 WHERE id = 5;
DELETE FROM acct WHERE id = 5;
INSERT INTO acct VALUES (5, 'eve', 7) RETURNING *;
INSERT INTO acct VALUES (5, 'eve', 8) ON CONFLICT (id) DO UPDATE SET balance = acct.balance + EXCLUDED.balance RETURNING *;
COMMIT;
SELECT * FROM acct WHERE id = 5;

-- savepoints
BEGIN;
INSERT INTO acct VALUES (6, 'fay', 60);
SAVEPOINT a;
UPDATE acct SET balance = 0 WHERE id = 6;
SAVEPOINT b;
DELETE FROM acct WHERE id = 6;
SELECT count(*) FROM acct WHERE id = 6;
ROLLBACK TO SAVEPOINT b;
SELECT balance FROM acct WHERE id = 6;
ROLLBACK TO a;
SELECT balance FROM acct WHERE id = 6;
SAVEPOINT c;
INSERT INTO acct VALUES (7, 'gus', 70);
RELEASE SAVEPOINT c;
ROLLBACK TO SAVEPOINT c;
\echo SQLSTATE :SQLSTATE
ROLLBACK;
SELECT id FROM acct WHERE id >= 6 ORDER BY id;

-- an error inside a block: 25P02 until ROLLBACK
BEGIN;
INSERT INTO acct VALUES (8, 'hal', 80);
INSERT INTO acct VALUES (1, 'dup', 0);
\echo SQLSTATE :SQLSTATE
SELECT * FROM acct;
\echo SQLSTATE :SQLSTATE
INSERT INTO acct VALUES (9, 'ivy', 90);
\echo SQLSTATE :SQLSTATE
ROLLBACK;
SELECT id FROM acct WHERE id >= 8 ORDER BY id;

-- COMMIT of a failed block rolls it back
BEGIN;
UPDATE acct SET balance = 1 WHERE id = 1;
SELECT 1 / 0;
\echo SQLSTATE :SQLSTATE
COMMIT;
SELECT balance FROM acct WHERE id = 1;

-- ROLLBACK TO SAVEPOINT recovers from an error and keeps the earlier work
BEGIN;
INSERT INTO acct VALUES (10, 'jo', 10);
SAVEPOINT before_bad;
INSERT INTO acct VALUES (11, NULL, 0);
\echo SQLSTATE :SQLSTATE
SELECT 1;
\echo SQLSTATE :SQLSTATE
ROLLBACK TO SAVEPOINT before_bad;
INSERT INTO acct VALUES (11, 'kim', 11);
COMMIT;
SELECT * FROM acct WHERE id >= 10 ORDER BY id;

-- a failed statement outside a block changes nothing
INSERT INTO acct VALUES (12, 'lu', 12), (1, 'dup', 0);
\echo SQLSTATE :SQLSTATE
SELECT count(*) FROM acct WHERE id = 12;
UPDATE acct SET balance = balance / (id - 2);
\echo SQLSTATE :SQLSTATE
SELECT id, balance FROM acct ORDER BY id;

-- several statements in one query string run as one implicit transaction
INSERT INTO acct VALUES (13, 'max', 13)\; INSERT INTO acct VALUES (14, 'ned', 14)\; SELECT 1 / 0;
SELECT count(*) FROM acct WHERE id IN (13, 14);
INSERT INTO acct VALUES (13, 'max', 13)\; INSERT INTO acct VALUES (14, 'ned', 14);
SELECT count(*) FROM acct WHERE id IN (13, 14);
-- catalog DDL of a failing string is rolled back too; a SET as well
CREATE TABLE implicit_t (n int)\; INSERT INTO implicit_t VALUES (1)\; SET search_path = nowhere\; SELECT 1 / 0;
SELECT * FROM implicit_t;
SHOW search_path;
-- BEGIN inside the string makes the block explicit, earlier statements included
INSERT INTO acct VALUES (15, 'ola', 15)\; BEGIN\; INSERT INTO acct VALUES (16, 'pam', 16);
SELECT count(*) FROM acct WHERE id IN (15, 16);
ROLLBACK;
SELECT count(*) FROM acct WHERE id IN (15, 16);
-- COMMIT inside the string commits what came before (with a warning); ROLLBACK discards it
INSERT INTO acct VALUES (15, 'ola', 15)\; COMMIT\; INSERT INTO acct VALUES (16, 'pam', 16)\; SELECT 1 / 0;
SELECT id FROM acct WHERE id IN (15, 16) ORDER BY id;
INSERT INTO acct VALUES (16, 'pam', 16)\; ROLLBACK\; SELECT count(*) FROM acct WHERE id = 16;
SAVEPOINT s1\; SELECT 1;
\echo SQLSTATE :SQLSTATE
-- a string ending inside an explicit block leaves it open; an error there fails it
BEGIN\; INSERT INTO acct VALUES (16, 'pam', 16)\; SELECT 1 / 0;
SELECT 1;
ROLLBACK;
SELECT count(*) FROM acct WHERE id = 16;
DELETE FROM acct WHERE id IN (15, 16);

-- DDL and DML in one block, rolled back and committed
BEGIN;
CREATE TABLE ledger (n int PRIMARY KEY, what text);
INSERT INTO ledger VALUES (1, 'created in block');
ROLLBACK;
SELECT * FROM ledger;
\echo SQLSTATE :SQLSTATE
BEGIN;
CREATE TABLE ledger (n int PRIMARY KEY, what text);
INSERT INTO ledger VALUES (1, 'created in block');
UPDATE acct SET balance = balance + 1 WHERE id = 3;
COMMIT;
SELECT * FROM ledger;
SELECT balance FROM acct WHERE id = 3;

-- TRUNCATE and DELETE rolled back
BEGIN;
DELETE FROM acct;
SELECT count(*) FROM acct;
ROLLBACK;
SELECT count(*) FROM acct;
BEGIN;
TRUNCATE acct;
INSERT INTO acct VALUES (1, 'only', 1);
SELECT * FROM acct;
ROLLBACK;
SELECT count(*) FROM acct;
