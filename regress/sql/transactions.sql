--
-- transactions: BEGIN / COMMIT / ROLLBACK with PostgreSQL's transaction
-- status semantics: after an error inside a block every statement fails with
-- 25P02 until ROLLBACK (COMMIT of a failed block rolls back).
--
BEGIN;
SHOW application_name;
COMMIT;
START TRANSACTION;
ROLLBACK;

-- error inside a block
BEGIN;
SET application_name = 'in_block';
DROP SOURCE TABLE no_such_table;
\echo SQLSTATE :SQLSTATE
SHOW application_name;
\echo SQLSTATE :SQLSTATE
CREATE CONNECTION PROFILE p WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
ROLLBACK;
-- the SET inside the rolled-back block is undone
SHOW application_name;

-- COMMIT of a failed block reports ROLLBACK
BEGIN;
SELEC 1;
COMMIT;
SHOW application_name;

-- nesting and stray statements
COMMIT;
\echo SQLSTATE :SQLSTATE
ROLLBACK;
\echo SQLSTATE :SQLSTATE
BEGIN;
BEGIN;
\echo SQLSTATE :SQLSTATE
COMMIT;
-- DDL in a transaction block: committed with the block
BEGIN;
CREATE CONNECTION PROFILE in_txn WITH (connector = 'datagen');
COMMIT;
SHOW CONNECTION PROFILES;
DROP CONNECTION PROFILE in_txn;
-- ABORT and END spellings, isolation levels
BEGIN ISOLATION LEVEL READ COMMITTED;
SHOW transaction_isolation;
END;
BEGIN;
ABORT;
-- one simple-query message with several statements and an error in the middle
SET application_name = 'a'\; BEGIN\; SHOW application_name\; DROP SOURCE TABLE nope\; SHOW application_name;
ROLLBACK;
SHOW application_name;
-- a message's implicit block: Laminar DDL is rolled back with it; START/STOP PIPELINE and roles
-- (not transactional) commit what came before and run on their own
CREATE CONNECTION PROFILE implicit_p WITH (connector = 'datagen')\; SELECT 1 / 0;
SHOW CONNECTION PROFILES;
CREATE SOURCE TABLE tx_bids WITH (connector = 'nexmark', event_type = 'bid')\; CREATE SINK TABLE tx_sink (auction BIGINT) WITH (connector = 'blackhole')\; CREATE PIPELINE tx_p AS INSERT INTO tx_sink SELECT auction FROM tx_bids\; START PIPELINE tx_p\; SELECT 1 / 0;
SELECT name, state <> 'created' AS started FROM laminar.pipelines WHERE name = 'tx_p';
STOP PIPELINE tx_p\; DROP PIPELINE tx_p\; DROP SINK TABLE tx_sink\; DROP SOURCE TABLE tx_bids;
SELECT count(*) FROM laminar.pipelines WHERE name = 'tx_p';
CREATE ROLE implicit_role\; DROP ROLE implicit_role\; SELECT 1 AS roles_done;
