--
-- psql_describe: psql 15's backslash commands run their catalog queries
-- (docs/psql-queries.md) against Laminar's pg_catalog without an ERROR and
-- show the objects created: \d, \d NAME (plain, source and sink tables),
-- \dt, \dv, \dE, \l, \dn, \du, \df.  Source and sink tables are presented
-- as foreign tables.
--
CREATE CONNECTION PROFILE kafka_local WITH (connector = 'kafka', bootstrap_servers = '127.0.0.1:9092');
CREATE SOURCE TABLE clicks (
    user_id  BIGINT NOT NULL,
    page_url STRING NOT NULL,
    ts       TIMESTAMP NOT NULL,
    duration INT,
    tags     ARRAY<STRING>,
    price    DECIMAL(10, 2)
) WITH (connector = 'kafka', profile = 'kafka_local', topic = 'clicks', format = 'json',
        event_time_field = 'ts', watermark_delay = '5 seconds');
CREATE SINK TABLE click_totals (user_id BIGINT NOT NULL, total BIGINT NOT NULL, last_seen TIMESTAMPTZ)
    WITH (connector = 'blackhole');
CREATE TABLE accounts (
    id         bigint PRIMARY KEY,
    email      varchar(200) NOT NULL,
    balance    numeric(12, 2) DEFAULT 0,
    flags      text[],
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE pairs (a int, b text, c double precision, PRIMARY KEY (b, a));
CREATE SCHEMA app;
CREATE TABLE app.settings (k text PRIMARY KEY, v json);
CREATE ROLE analyst LOGIN PASSWORD 'analyst-pw';
CREATE ROLE auditor;

-- list relations
\d
\dt
\dv
\dE
\dt app.*
\dt *.settings
\dv laminar.connect*
-- describe one relation
\d accounts
\d pairs
\d app.settings
\d clicks
\d click_totals
\d nosuch
-- databases, schemas, roles, functions
\l
\dn
\du
\df
-- catalogs of features Laminar does not have: each command runs and lists nothing
\dc
\dd
\dd accounts
\dl
\dL
\dF
\dFd
\dFp
\dFt
\drds
\dRs
\dRp
\deu
\dAp
-- after DROP the objects are gone from \d
DROP TABLE pairs;
DROP SINK TABLE click_totals;
\d
