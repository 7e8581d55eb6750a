--
-- roles: CREATE / ALTER / DROP ROLE, duplicates, the bootstrap superuser,
-- passwords stored as SCRAM verifiers (never shown).  Logging in with them is
-- tested by regress/scripts/auth.sh.
--
SHOW session_authorization;
CREATE ROLE alice LOGIN PASSWORD 'alice-pw';
CREATE ROLE bob;
CREATE USER carol WITH PASSWORD 'carol-pw' CREATEDB;
CREATE ROLE alice;
\echo SQLSTATE :SQLSTATE
ALTER ROLE alice PASSWORD 'new-pw';
ALTER ROLE alice WITH NOLOGIN;
ALTER ROLE alice LOGIN VALID UNTIL 'infinity';
ALTER ROLE bob SUPERUSER;
ALTER ROLE bob NOSUPERUSER;
ALTER ROLE alice PASSWORD NULL;
ALTER ROLE no_such_role LOGIN;
\echo SQLSTATE :SQLSTATE
ALTER USER carol NOCREATEDB;
-- a password given as a precomputed SCRAM verifier is stored as is
ALTER ROLE carol PASSWORD 'SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0$Tv3BNbYBSIRa6GWb35n3fNGoRGmBhcMM8tDMbgQTWhg=:LqKLOHUuOu5f4qsvNIfXLcR+Vd6tB8KBsK5tV5ba2LY=';
DROP ROLE bob;
DROP ROLE bob;
\echo SQLSTATE :SQLSTATE
DROP ROLE IF EXISTS bob;
\echo SQLSTATE :SQLSTATE
-- the bootstrap superuser and the current user cannot be dropped
DROP ROLE laminar;
\echo SQLSTATE :SQLSTATE
DROP ROLE alice, carol;
CREATE ROLE "Mixed Case Role";
DROP ROLE "Mixed Case Role";
-- reserved names
CREATE ROLE public;
\echo SQLSTATE :SQLSTATE
CREATE ROLE pg_something;
\echo SQLSTATE :SQLSTATE
