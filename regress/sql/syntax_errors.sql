--
-- syntax_errors: 42601 with the position in the text as the user sent it
-- (psql prints it as LINE n and a caret), for PostgreSQL statements and for
-- Laminar statements rewritten by the pre-parser, including after a
-- multi-byte character and on later lines.
--
SELEC 1;
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABEL t (id INT) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (id INT,) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (id INT) WITH (connector = 'datagen',);
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (id INT) WITH (connector 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (m MAP<STRING>) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (s STRUCT<a INT>) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (a ARRAY<INT) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE SOURCE TABLE t (ts TIMESTAMP, WATERMARK ts AS ts) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE CONNECTION PROFILE WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
CREATE CONNECTION PROFILE p (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
SHOW CREATE SOURCE TABLE;
\echo SQLSTATE :SQLSTATE
DROP SOURCE t;
\echo SQLSTATE :SQLSTATE
-- positions count characters, not bytes: the error is after a multi-byte name
CREATE SOURCE TABLE "größe_€" (id INT) WITH (connector = 'datagen' oops = 1);
\echo SQLSTATE :SQLSTATE
-- an error on the third line of a statement
CREATE SOURCE TABLE multi_line (
    id INT,
    name STRING STRING
) WITH (connector = 'datagen');
\echo SQLSTATE :SQLSTATE
-- unterminated literals and comments
SHOW 'unterminated;
\echo SQLSTATE :SQLSTATE
-- the second statement of a multi-statement message
SHOW application_name\; SHOW CREATE SOURC TABLE x;
\echo SQLSTATE :SQLSTATE
-- nothing was created
SHOW SOURCE TABLES;
