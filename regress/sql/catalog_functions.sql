--
-- catalog_functions: the functions, casts and operators that psql, drivers
-- and BI tools call: version(), current_database(), current_schema(),
-- current_schemas(), current_setting()/set_config(), pg_table_is_visible(),
-- format_type(), pg_get_expr(), has_*_privilege(), ::regclass / ::regtype /
-- ::oid, OPERATOR(pg_catalog.~), pg_typeof; information_schema and
-- pg_catalog rows for a plain table; and the laminar.* catalog views
-- (connectors, connection_profiles, connection_tables).
--
\set VERBOSITY default
CREATE TABLE items (id int PRIMARY KEY, name varchar(40) NOT NULL, price numeric(10, 2) DEFAULT 9.99,
                    made timestamptz DEFAULT now(), qty int DEFAULT 1 + 1);
CREATE SCHEMA hidden;
CREATE TABLE hidden.secret_items (id int);

-- identity of the server and the session
SELECT version() LIKE 'PostgreSQL 15.%' AS pg15, split_part(version(), ' ', 1) AS product;
SELECT current_database(), current_catalog, current_schema(), current_schema, current_user, session_user, user;
SELECT current_schemas(true) AS with_implicit, current_schemas(false) AS explicit;
SELECT (current_schemas(true))[1] AS first_schema;
SELECT pg_backend_pid() > 0 AS has_pid;
SELECT current_setting('server_version_num')::int / 10000 AS major, current_setting('server_version') LIKE '15.%' AS v15;

-- settings
SELECT current_setting('application_name') AS app, current_setting('DateStyle') AS datestyle,
       current_setting('standard_conforming_strings') AS scs;
SELECT set_config('application_name', 'catalog_test', false) AS set_session;
SHOW application_name;
BEGIN;
SELECT set_config('application_name', 'in_txn_only', true) AS set_local;
SELECT current_setting('application_name') AS inside;
COMMIT;
SELECT current_setting('application_name') AS after_commit;
SELECT set_config('search_path', 'hidden, public', false);
SELECT current_schemas(false), current_schema();
SELECT count(*) FROM secret_items;
RESET search_path;
SELECT current_setting('no_such_setting');
\echo SQLSTATE :SQLSTATE
SELECT current_setting('no_such_setting', true) IS NULL AS missing_ok;
SELECT name, setting FROM pg_settings WHERE name IN ('server_encoding', 'client_encoding', 'integer_datetimes') ORDER BY name;

-- visibility, privileges
SELECT pg_table_is_visible('items'::regclass) AS items_visible,
       pg_table_is_visible('hidden.secret_items'::regclass) AS hidden_visible,
       pg_table_is_visible('pg_class'::regclass) AS pg_class_visible;
SELECT has_table_privilege('items', 'SELECT') AS sel, has_table_privilege('laminar', 'items', 'INSERT') AS ins,
       has_table_privilege('items'::regclass, 'UPDATE,DELETE') AS upd_del,
       has_schema_privilege('public', 'USAGE') AS schema_usage, has_database_privilege(current_database(), 'CONNECT') AS db_connect;

-- regclass, regtype, oid
SELECT 'items'::regclass AS rel, 'public.items'::regclass AS qualified, 'items'::regclass::oid > 0 AS has_oid,
       'items'::regclass::oid = (SELECT oid FROM pg_class WHERE relname = 'items') AS oid_matches,
       ('items'::regclass::oid)::regclass AS round_trip, 'hidden.secret_items'::regclass AS hidden_rel;
SELECT 'int4'::regtype AS t1, 'integer'::regtype::oid AS t1_oid, 23::regtype AS t2, 'text'::regtype::oid AS text_oid,
       'character varying'::regtype AS t3, 'timestamptz'::regtype AS t4, 1700::regtype AS t5, 'bool'::regtype::oid AS bool_oid,
       'int8[]'::regtype AS t6, 'json'::regtype::oid AS json_oid;
SELECT 'pg_class'::regclass AS pgc, 'pg_catalog.pg_namespace'::regclass AS pgn, 'pg_type'::regclass::oid AS pg_type_oid;
SELECT 'nosuch'::regtype;
\echo SQLSTATE :SQLSTATE
SELECT 'nosuch_table'::regclass;
\echo SQLSTATE :SQLSTATE
SELECT pg_typeof(1) AS a, pg_typeof(1::bigint) AS b, pg_typeof('x'::text) AS c, pg_typeof(now()) AS d,
       pg_typeof(1.5) AS e, pg_typeof(ARRAY[1]) AS f, pg_typeof('{}'::json) AS g, pg_typeof(true) AS h;

-- format_type
SELECT format_type(23, -1) AS int4, format_type(25, NULL) AS text, format_type(1043, 44) AS varchar40,
       format_type(1700, 655366) AS num_10_2, format_type(1184, -1) AS tstz, format_type(1007, -1) AS int4_array,
       format_type(16, -1) AS bool, format_type(0, -1) AS zero, format_type(999999, -1) AS unknown_oid;
SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, a.attnum
FROM pg_attribute a
WHERE a.attrelid = 'items'::regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;

-- pg_get_expr on column defaults
SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) AS default_expr
FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
WHERE d.adrelid = 'items'::regclass
ORDER BY a.attnum;
-- defaults are shown as PostgreSQL deparses them (constants typed, operators parenthesised,
-- string literals coerced to the column type); a NULL default is no default
CREATE TABLE defaults_shown (a int DEFAULT -1, b bigint DEFAULT 10000000000, c numeric(10, 2) DEFAULT '5',
    d text DEFAULT 'it''s', e varchar(10) DEFAULT 'abc', f timestamp DEFAULT '2020-01-01',
    g timestamp DEFAULT current_timestamp, h boolean DEFAULT 'f', i bigint DEFAULT 1::bigint,
    j text DEFAULT 'a' || 'b', k int DEFAULT NULL, l int DEFAULT (2 * 3) + 1, m numeric DEFAULT -2.5,
    n float8 DEFAULT -1e10, o int DEFAULT abs(-3), p interval DEFAULT '1 day', q text DEFAULT lower('X'),
    r date DEFAULT CURRENT_DATE, s int DEFAULT '7');
SELECT a.attname, a.atthasdef, pg_get_expr(d.adbin, d.adrelid) AS default_expr
FROM pg_attribute a LEFT JOIN pg_attrdef d ON a.attrelid = d.adrelid AND a.attnum = d.adnum
WHERE a.attrelid = 'defaults_shown'::regclass AND a.attnum > 0
ORDER BY a.attnum;
INSERT INTO defaults_shown DEFAULT VALUES;
SELECT a, b, c, d, e, f, g IS NOT NULL AS g_set, h, i, j, k, l, n, o, p, q, r = current_date AS r_today, s
FROM defaults_shown;
CREATE TABLE bad_default (a int DEFAULT 'abc');
DROP TABLE defaults_shown;
-- every table has a row type (typtype 'c') named like it, as drivers' composite lookups expect
SELECT t.typname, t.typtype, t.typcategory, t.oid = 'items'::regtype AS regtype_ok,
       'items'::regtype::text AS regtype_text, format_type(t.oid, NULL) AS formatted,
       c.reltype = t.oid AS reltype_ok, 'hidden.secret_items'::regtype::text AS qualified
FROM pg_type t JOIN pg_class c ON c.oid = t.typrelid
WHERE c.relname = 'items';
-- unconstrained numeric: typmod -1, no precision or scale
CREATE TABLE nums_info (v numeric, w numeric(10, 2));
SELECT column_name, data_type, numeric_precision, numeric_precision_radix, numeric_scale
FROM information_schema.columns WHERE table_name = 'nums_info' ORDER BY ordinal_position;
SELECT attname, atttypmod, format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'nums_info'::regclass AND attnum > 0 ORDER BY attnum;
DROP TABLE nums_info;

-- OPERATOR(pg_catalog.~) and friends, as psql sends them
SELECT 'items' OPERATOR(pg_catalog.~) '^(items)$' COLLATE pg_catalog.default AS op_match,
       'items' OPERATOR(pg_catalog.~) '^(nope)$' AS op_nomatch, 'ab' OPERATOR(pg_catalog.=) 'ab' AS op_eq,
       'pg_toast' OPERATOR(pg_catalog.!~) '^pg_' AS op_not, 2 OPERATOR(pg_catalog.+) 3 AS op_plus;
SELECT c.relname FROM pg_catalog.pg_class c
WHERE c.relname OPERATOR(pg_catalog.~) '^(items|secret_items)$' COLLATE pg_catalog.default
ORDER BY 1;

-- pg_catalog and information_schema rows for the plain table
SELECT c.relname, c.relkind, n.nspname, c.relnatts, c.relhasindex
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname IN ('items', 'secret_items') ORDER BY 1;
SELECT n.nspname FROM pg_namespace n WHERE n.nspname IN ('public', 'hidden', 'laminar', 'pg_catalog', 'information_schema')
ORDER BY 1;
SELECT conname, contype, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'items'::regclass;
SELECT i.indisprimary, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i WHERE i.indrelid = 'items'::regclass;
SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables
WHERE table_name IN ('items', 'secret_items') ORDER BY table_name;
SELECT column_name, ordinal_position, data_type, is_nullable, column_default, character_maximum_length,
       numeric_precision, numeric_scale
FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'items' ORDER BY ordinal_position;
SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ('public', 'hidden') ORDER BY 1;
SELECT datname, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database();
SELECT rolname, rolsuper, rolcanlogin FROM pg_roles WHERE rolname = current_user;
SELECT typname, oid, typlen FROM pg_type WHERE typname IN ('int4', 'text', 'bool', 'numeric', 'timestamptz') ORDER BY typname;
SELECT proname FROM pg_proc WHERE proname IN ('version', 'upper', 'now', 'format_type') GROUP BY proname ORDER BY 1;

-- Laminar's own catalog views
CREATE CONNECTION PROFILE kafka_local WITH (connector = 'kafka', bootstrap_servers = '127.0.0.1:9092');
CREATE SOURCE TABLE clicks (user_id BIGINT NOT NULL, url STRING, ts TIMESTAMP NOT NULL)
    WITH (connector = 'kafka', profile = 'kafka_local', topic = 'clicks', format = 'json',
          event_time_field = 'ts', watermark_delay = '5 seconds');
CREATE SINK TABLE sink_out (user_id BIGINT, n BIGINT) WITH (connector = 'blackhole');
SELECT name, kinds FROM laminar.connectors WHERE name IN ('kafka', 'datagen', 'blackhole', 'postgres') ORDER BY name;
SELECT count(*) > 3 AS several_connectors FROM laminar.connectors;
SELECT id LIKE 'prof_%' AS id_ok, name, connector, config ->> 'bootstrap_servers' AS servers,
       created_at <= now() AS created_ok, updated_at >= created_at AS updated_ok
FROM laminar.connection_profiles;
SELECT name, connector, table_type, connection_profile_id = (SELECT id FROM laminar.connection_profiles WHERE name = 'kafka_local') AS profile_ok,
       event_time_field, watermark_delay, config ->> 'topic' AS topic
FROM laminar.connection_tables ORDER BY name;
SELECT t.name, p.name AS profile FROM laminar.connection_tables t
LEFT JOIN laminar.connection_profiles p ON p.id = t.connection_profile_id ORDER BY t.name;
SELECT c.relname, c.relkind FROM pg_class c WHERE c.relname IN ('clicks', 'sink_out') ORDER BY 1;
SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'clicks' ORDER BY ordinal_position;
