--
-- ddl_profiles: CREATE / ALTER / DROP CONNECTION PROFILE, IF [NOT] EXISTS,
-- TEST CONNECTION PROFILE on the built-in generators, {{ NAME }} placeholders.
--
CREATE CONNECTION PROFILE kafka_local WITH (
    connector = 'kafka',
    bootstrap_servers = '127.0.0.1:9092',
    security_protocol = 'plaintext',
    client_id = 'laminar-regress');
CREATE CONNECTION PROFILE pg_analytics WITH (
    connector = 'postgres', host = '127.0.0.1', port = 5432,
    database = 'analytics', user = 'writer', sslmode = 'disable');
CREATE CONNECTION PROFILE gen WITH (connector = 'datagen', rows_per_second = 10);
CREATE CONNECTION PROFILE nex WITH (connector = 'nexmark', seed = 42);
-- placeholders are kept as written and resolved from the environment at use time
CREATE CONNECTION PROFILE kafka_env WITH (
    connector = 'kafka', bootstrap_servers = '{{ KAFKA_BROKERS }}');
SHOW CONNECTION PROFILES;

-- duplicates
CREATE CONNECTION PROFILE kafka_local WITH (connector = 'kafka', bootstrap_servers = 'x:1');
\echo SQLSTATE :SQLSTATE
CREATE CONNECTION PROFILE IF NOT EXISTS kafka_local WITH (connector = 'kafka', bootstrap_servers = 'x:1');
\echo SQLSTATE :SQLSTATE

-- ALTER ... SET changes options (and updated_at), keeps the id
ALTER CONNECTION PROFILE kafka_local SET (bootstrap_servers = '127.0.0.1:9093', client_id = 'changed');
SHOW CREATE CONNECTION PROFILE kafka_local;
ALTER CONNECTION PROFILE kafka_local SET (no_such_option = 'x');
\echo SQLSTATE :SQLSTATE
ALTER CONNECTION PROFILE no_such_profile SET (client_id = 'x');
\echo SQLSTATE :SQLSTATE

-- TEST CONNECTION PROFILE: the generators always succeed
TEST CONNECTION PROFILE gen;
TEST CONNECTION PROFILE nex;
TEST CONNECTION PROFILE no_such_profile;
\echo SQLSTATE :SQLSTATE

-- DROP
DROP CONNECTION PROFILE kafka_env;
DROP CONNECTION PROFILE kafka_env;
\echo SQLSTATE :SQLSTATE
DROP CONNECTION PROFILE IF EXISTS kafka_env;
\echo SQLSTATE :SQLSTATE
SHOW CONNECTION PROFILES;

-- a profile used by a table cannot be dropped
CREATE SOURCE TABLE uses_profile (id BIGINT) WITH (
    connector = 'kafka', profile = 'kafka_local', topic = 't', format = 'json');
DROP CONNECTION PROFILE kafka_local;
\echo SQLSTATE :SQLSTATE
DROP SOURCE TABLE uses_profile;
DROP CONNECTION PROFILE kafka_local;
DROP CONNECTION PROFILE pg_analytics;
DROP CONNECTION PROFILE gen;
DROP CONNECTION PROFILE nex;
SHOW CONNECTION PROFILES;
