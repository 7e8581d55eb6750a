--
-- settings: SET / SHOW / RESET of session settings, SET LOCAL, invalid
-- names and values, fixed server settings.  (SHOW ALL's shape is checked by
-- regress/scripts/drivers.py, so adding a setting does not change this file.)
--
SHOW server_version;
SHOW server_version_num;
SHOW server_encoding;
SHOW client_encoding;
SHOW DateStyle;
SHOW IntervalStyle;
SHOW TimeZone;
SHOW integer_datetimes;
SHOW standard_conforming_strings;
SHOW is_superuser;
SHOW session_authorization;
SHOW default_transaction_read_only;
SHOW in_hot_standby;
SHOW transaction_isolation;

SET application_name = 'regress';
SHOW application_name;
SET application_name TO 'regress two';
SHOW application_name;
RESET application_name;
SHOW application_name;

SET DateStyle = 'ISO, DMY';
SHOW DateStyle;
SET datestyle TO default;
SHOW DateStyle;
SET TimeZone = 'UTC';
SHOW timezone;
SET TIME ZONE 'UTC';
SHOW TimeZone;
SET extra_float_digits = 3;
SHOW extra_float_digits;
SET search_path = laminar, public;
SHOW search_path;
SET client_min_messages = warning;
SHOW client_min_messages;
RESET ALL;
SHOW client_min_messages;
SHOW search_path;

-- SET SESSION and SET LOCAL
SET SESSION application_name = 'sess';
SHOW application_name;
BEGIN;
SET LOCAL application_name = 'local';
SHOW application_name;
COMMIT;
SHOW application_name;
-- SET LOCAL outside a transaction warns and has no effect
SET LOCAL application_name = 'ignored';
SHOW application_name;

-- errors
SET no_such_setting = 1;
\echo SQLSTATE :SQLSTATE
SHOW no_such_setting;
\echo SQLSTATE :SQLSTATE
SET client_encoding = 'LATIN1';
\echo SQLSTATE :SQLSTATE
SET DateStyle = 'nonsense';
\echo SQLSTATE :SQLSTATE
SET extra_float_digits = 'many';
\echo SQLSTATE :SQLSTATE
SET server_version = '1.0';
\echo SQLSTATE :SQLSTATE
-- custom (dotted) settings are allowed, as in PostgreSQL
SET laminar_regress.flag = 'on';
SHOW laminar_regress.flag;
