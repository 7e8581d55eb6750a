--
-- secrets: CREATE SECRET / DROP SECRET; options that reference a secret;
-- the value never appears in SHOW output (regress/scripts/secrets.sh also
-- searches every view and the server log for it).
--
CREATE SECRET kafka_pw AS 'value-that-must-not-leak';
CREATE SECRET kafka_pw AS 'other';
\echo SQLSTATE :SQLSTATE
CREATE SECRET IF NOT EXISTS kafka_pw AS 'other';
\echo SQLSTATE :SQLSTATE
CREATE CONNECTION PROFILE kafka_sasl WITH (connector = 'kafka',
    bootstrap_servers = '127.0.0.1:9092', security_protocol = 'sasl_plaintext',
    sasl_mechanism = 'plain', sasl_username = 'app', sasl_password = SECRET kafka_pw);
-- a sensitive option given as a literal is redacted too
CREATE CONNECTION PROFILE kafka_lit WITH (connector = 'kafka',
    bootstrap_servers = '127.0.0.1:9092', sasl_username = 'app', sasl_password = 'literal-must-not-leak');
SHOW CONNECTION PROFILES;
SHOW CREATE CONNECTION PROFILE kafka_sasl;
SHOW CREATE CONNECTION PROFILE kafka_lit;
-- a reference to a missing secret
CREATE CONNECTION PROFILE kafka_bad WITH (connector = 'kafka',
    bootstrap_servers = '127.0.0.1:9092', sasl_password = SECRET no_such_secret);
\echo SQLSTATE :SQLSTATE
-- a secret in use cannot be dropped
DROP SECRET kafka_pw;
\echo SQLSTATE :SQLSTATE
DROP CONNECTION PROFILE kafka_sasl;
DROP CONNECTION PROFILE kafka_lit;
DROP SECRET kafka_pw;
DROP SECRET kafka_pw;
\echo SQLSTATE :SQLSTATE
DROP SECRET IF EXISTS kafka_pw;
\echo SQLSTATE :SQLSTATE
