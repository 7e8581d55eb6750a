--
-- prepare: SQL-level prepared statements — PREPARE name [(type, ...)] AS
-- statement, EXECUTE name [(arg, ...)], DEALLOCATE [PREPARE] name | ALL —
-- and pg_prepared_statements.  The names share the namespace of the
-- protocol's named statements (drivers' scripts check Bind of a PREPARE'd
-- name); the arguments of EXECUTE are constant expressions cast to the
-- parameter types as assignments.
--
\set VERBOSITY default
CREATE TABLE pets (id int PRIMARY KEY, name text NOT NULL, weight numeric(6, 2));
INSERT INTO pets VALUES (1, 'rex', 12.5), (2, 'tom', 4.25), (3, 'kit', NULL);

-- declared and inferred parameter types
PREPARE by_id(int) AS SELECT id, name, weight FROM pets WHERE id = $1;
EXECUTE by_id(2);
EXECUTE by_id(1 + 2);
EXECUTE by_id('1');
EXECUTE by_id(1.6);
EXECUTE by_id(NULL);
PREPARE heavier AS SELECT name FROM pets WHERE weight > $1 ORDER BY name;
EXECUTE heavier(5);
EXECUTE heavier(length('abc'));
PREPARE two(text, int) AS SELECT $1 || '-' || $2 AS joined, $2 * 2 AS doubled;
EXECUTE two('a', 21);
PREPARE no_params AS VALUES (1, 'one'), (2, 'two');
EXECUTE no_params;
EXECUTE no_params();

-- data-modifying statements keep their command tags
PREPARE add_pet(int, text, numeric) AS INSERT INTO pets VALUES ($1, $2, $3);
EXECUTE add_pet(4, 'bo', 7);
PREPARE rename(int, text) AS UPDATE pets SET name = $2 WHERE id = $1 RETURNING id, name;
EXECUTE rename(4, 'bob');
PREPARE drop_pet(int) AS DELETE FROM pets WHERE id = $1;
EXECUTE drop_pet(4);
EXECUTE drop_pet(4);
SELECT count(*) FROM pets;

-- the catalog view
SELECT name, statement, parameter_types, from_sql, prepare_time <= now() AS past
  FROM pg_prepared_statements ORDER BY name;
SELECT name FROM pg_prepared_statements WHERE 'integer'::regtype = ANY (parameter_types) ORDER BY name;

-- errors
EXECUTE nosuch;
EXECUTE nosuch(1);
EXECUTE by_id;
EXECUTE by_id(1, 2);
EXECUTE two('x');
PREPARE by_id AS SELECT 1;
PREPARE bad_type(nosuchtype) AS SELECT $1;
PREPARE bad_rel AS SELECT * FROM nosuch;
PREPARE bad_col AS SELECT nosuch FROM pets;
EXECUTE by_id('abc');
EXECUTE by_id(true);
EXECUTE two(1, 2);
EXECUTE by_id($1);
EXECUTE by_id(1/0);
PREPARE not_preparable AS CREATE TABLE t (a int);
PREPARE bad_cast(int) AS SELECT $1::nosuchtype;
PREPARE too_few(int) AS SELECT $1 + $2 AS sum;
EXECUTE too_few(1, 2);
DEALLOCATE nosuch;
DEALLOCATE PREPARE nosuch;

-- inside a transaction block; a failed PREPARE leaves no statement behind
BEGIN;
PREPARE in_txn AS SELECT 42 AS answer;
EXECUTE in_txn;
COMMIT;
EXECUTE in_txn;
BEGIN;
EXECUTE nosuch;
EXECUTE in_txn;
ROLLBACK;
SELECT name FROM pg_prepared_statements WHERE name LIKE 'bad%';

-- a plan is bound again when the table changes under it
PREPARE count_pets AS SELECT count(*) AS n FROM pets;
EXECUTE count_pets;
DROP TABLE pets;
EXECUTE count_pets;
CREATE TABLE pets (id int PRIMARY KEY, name text NOT NULL, weight numeric(6, 2));
EXECUTE count_pets;

-- DEALLOCATE
DEALLOCATE by_id;
EXECUTE by_id(1);
DEALLOCATE PREPARE heavier;
SELECT name FROM pg_prepared_statements ORDER BY name;
DEALLOCATE ALL;
SELECT count(*) FROM pg_prepared_statements;
PREPARE by_id(int) AS SELECT $1 AS again;
EXECUTE by_id(7);
DEALLOCATE PREPARE ALL;
SELECT count(*) FROM pg_prepared_statements;
DROP TABLE pets;
