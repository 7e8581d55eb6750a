/*
 * test_parser.c: unit tests of the SQL front end (parser/): statement
 * splitting, the Laminar pre-parser (profiles, secrets, source/sink tables,
 * pipelines, SHOW/TEST), option lists, column types, WATERMARK, error codes
 * and positions in the original text, node locations in libpg_query trees,
 * concurrent use from many threads, and a fuzz loop (random bytes,
 * truncations and mutations of valid statements) that must never crash.
 */
#include "common/arena.h"
#include "common/error.h"
#include "parser/parser.h"
#include "regress/unit/lmtest.h"

#include <pthread.h>
#include <stdlib.h>

static Arena *arena;

/* The first line of sql, shortened, for check descriptions. */
static const char *short_sql(const char *sql)
{
    size_t n = strcspn(sql, "\n");
    return arena_printf(arena, "%.*s%s", (int)LM_MIN(n, 60), sql, sql[n] || n > 60 ? " ..." : "");
}

/* Parses sql expecting success and count statements; NULL (reported) otherwise. */
static ParsedStmtList *parse_ok(const char *sql, int count)
{
    ParsedStmtList *volatile list = NULL;
    char why[400] = "";
    LM_TRY();
    {
        list = parser_parse(arena, sql);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        snprintf(why, sizeof why, "raised %s \"%s\" at %d", e->sqlstate, e->message, e->position);
        error_clear();
    }
    LM_END_TRY();
    if (list == NULL) {
        lmt_check(0, __FILE__, __LINE__, why, "parses: %s", short_sql(sql));
        return NULL;
    }
    if (list->count != count) {
        snprintf(why, sizeof why, "got %d statements, expected %d", list->count, count);
        lmt_check(0, __FILE__, __LINE__, why, "parses: %s", short_sql(sql));
        return NULL;
    }
    lmt_check(1, __FILE__, __LINE__, "", "parses: %s", short_sql(sql));
    return list;
}

/*
 * Parses sql expecting an error with sqlstate, a message containing msg and
 * (unless position is 0) that 1-based byte position.
 */
static void expect_error(const char *sql, const char *sqlstate, const char *msg, int position)
{
    volatile int raised = 0;
    char state[6] = "", message[300] = "";
    volatile int pos = 0;
    LM_TRY();
    {
        parser_parse(arena, sql);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        raised = 1;
        snprintf(state, sizeof state, "%s", e->sqlstate);
        snprintf(message, sizeof message, "%s", e->message ? e->message : "");
        pos = e->position;
        error_clear();
    }
    LM_END_TRY();
    char why[600];
    snprintf(why, sizeof why, "raised=%d %s \"%s\" at %d; expected %s \"%s\" at %d", raised, state,
             message, pos, sqlstate, msg, position);
    lmt_check(raised && strcmp(state, sqlstate) == 0 && strstr(message, msg) != NULL &&
                  (position == 0 || pos == position),
              __FILE__, __LINE__, why, "error %s: %s", sqlstate, short_sql(sql));
}

static const StmtOption *find_option(const ParsedStmt *s, const char *name)
{
    for (int i = 0; i < s->noptions; i++)
        if (strcmp(s->options[i].name, name) == 0)
            return &s->options[i];
    return NULL;
}

static int offset_of(const char *sql, const char *needle)
{
    const char *p = strstr(sql, needle);
    return p ? (int)(p - sql) : -1;
}

static void test_profiles_and_secrets(void)
{
    const char *sql = "CREATE CONNECTION PROFILE Prod_Kafka WITH (connector = 'kafka',\n"
                      "  bootstrap_servers = 'k1:9092,k2:9092', sasl_password = SECRET kafka_pw,\n"
                      "  'properties.acks' = 'all', properties.max.poll.records = 500);\n"
                      "TEST CONNECTION PROFILE prod_kafka;\n"
                      "CREATE SECRET IF NOT EXISTS kafka_pw AS 'it''s secret';\n"
                      "ALTER CONNECTION PROFILE prod_kafka SET (topic = 't2');\n"
                      "ALTER CONNECTION PROFILE prod_kafka RESET (topic, 'properties.acks');\n"
                      "DROP CONNECTION PROFILE IF EXISTS prod_kafka; DROP SECRET kafka_pw";
    ParsedStmtList *l = parse_ok(sql, 7);
    if (!l)
        return;
    ParsedStmt *s = &l->stmts[0];
    LMT_CHECK_INT(s->kind, STMT_CREATE_PROFILE, "CREATE CONNECTION PROFILE kind");
    LMT_CHECK_STR(parser_stmt_tag(s), "CREATE CONNECTION PROFILE", "its tag");
    LMT_CHECK_STR(s->name, "prod_kafka", "profile name folded to lower case");
    LMT_CHECK_INT(s->name_location, offset_of(sql, "Prod_Kafka"), "name location");
    LMT_CHECK_INT(s->location, 0, "statement location");
    LMT_CHECK_INT(s->length, offset_of(sql, ";\nTEST"), "statement length excludes ';'");
    LMT_CHECK_INT(s->noptions, 5, "five options");
    const StmtOption *o = find_option(s, "bootstrap_servers");
    LMT_CHECK(o && o->kind == OPTVAL_STRING && strcmp(o->value, "k1:9092,k2:9092") == 0,
              "string option value");
    LMT_CHECK(o && o->location == offset_of(sql, "bootstrap_servers") &&
                  o->value_location == offset_of(sql, "'k1:9092"),
              "option locations");
    o = find_option(s, "sasl_password");
    LMT_CHECK(o && o->kind == OPTVAL_SECRET && strcmp(o->value, "kafka_pw") == 0,
              "SECRET name option");
    LMT_CHECK(find_option(s, "properties.acks") != NULL, "quoted key kept as written");
    o = find_option(s, "properties.max.poll.records");
    LMT_CHECK(o && o->kind == OPTVAL_NUMBER && strcmp(o->value, "500") == 0, "dotted key, number");

    s = &l->stmts[1];
    LMT_CHECK(s->kind == STMT_TEST_PROFILE && strcmp(s->name, "prod_kafka") == 0,
              "TEST CONNECTION PROFILE");
    LMT_CHECK_STR(s->text, "TEST CONNECTION PROFILE prod_kafka", "statement text");

    s = &l->stmts[2];
    LMT_CHECK(s->kind == STMT_CREATE_SECRET && s->if_not_exists, "CREATE SECRET IF NOT EXISTS");
    LMT_CHECK_STR(s->secret_value, "it's secret", "secret value unescaped");
    LMT_CHECK(strstr(s->text, "secret'") == NULL && strstr(s->text, "********") != NULL,
              "secret value masked in the statement text");
    LMT_CHECK_STR(parser_stmt_tag(s), "CREATE SECRET", "CREATE SECRET tag");

    s = &l->stmts[3];
    LMT_CHECK(s->kind == STMT_ALTER_PROFILE && s->noptions == 1 && s->nreset == 0,
              "ALTER CONNECTION PROFILE SET");
    s = &l->stmts[4];
    LMT_CHECK(s->kind == STMT_ALTER_PROFILE && s->nreset == 2 &&
                  strcmp(s->reset_names[1], "properties.acks") == 0,
              "ALTER CONNECTION PROFILE RESET");
    s = &l->stmts[5];
    LMT_CHECK(s->kind == STMT_DROP_PROFILE && s->if_exists, "DROP CONNECTION PROFILE IF EXISTS");
    s = &l->stmts[6];
    LMT_CHECK(s->kind == STMT_DROP_SECRET && !s->if_exists, "DROP SECRET");
}

static void test_option_values(void)
{
    const char *sql = "create sink table t (a int) with (s = 'x', n = -1.5, i = 42, b1 = true,"
                      " b2 = OFF, b3 = on, w = JSON, q = \"Mixed\", e = E'a\\tb\\x41', "
                      "d = $$it's$$, c = 'a'\n'b', nq 'no equals', secret = secret)";
    ParsedStmtList *l = parse_ok(sql, 1);
    if (!l)
        return;
    ParsedStmt *s = &l->stmts[0];
    const StmtOption *o;
    o = find_option(s, "n");
    LMT_CHECK(o && o->kind == OPTVAL_NUMBER && strcmp(o->value, "-1.5") == 0, "negative number");
    o = find_option(s, "i");
    LMT_CHECK(o && o->kind == OPTVAL_NUMBER && strcmp(o->value, "42") == 0, "integer");
    o = find_option(s, "b1");
    LMT_CHECK(o && o->kind == OPTVAL_BOOL && strcmp(o->value, "true") == 0, "TRUE");
    o = find_option(s, "b2");
    LMT_CHECK(o && o->kind == OPTVAL_BOOL && strcmp(o->value, "false") == 0, "OFF");
    o = find_option(s, "b3");
    LMT_CHECK(o && o->kind == OPTVAL_BOOL && strcmp(o->value, "true") == 0, "ON");
    o = find_option(s, "w");
    LMT_CHECK(o && o->kind == OPTVAL_IDENT && strcmp(o->value, "json") == 0, "bare word folded");
    o = find_option(s, "q");
    LMT_CHECK(o && o->kind == OPTVAL_IDENT && strcmp(o->value, "Mixed") == 0,
              "quoted word keeps case");
    o = find_option(s, "e");
    LMT_CHECK(o && o->kind == OPTVAL_STRING && strcmp(o->value, "a\tbA") == 0, "E'' escapes");
    o = find_option(s, "d");
    LMT_CHECK(o && strcmp(o->value, "it's") == 0, "dollar-quoted string");
    o = find_option(s, "c");
    LMT_CHECK(o && strcmp(o->value, "ab") == 0, "string continued over a newline");
    o = find_option(s, "nq");
    LMT_CHECK(o && strcmp(o->value, "no equals") == 0, "key 'value' without '='");
    o = find_option(s, "secret");
    LMT_CHECK(o && o->kind == OPTVAL_IDENT && strcmp(o->value, "secret") == 0,
              "the word secret alone is a bare word");
}

static void test_conn_tables(void)
{
    const char *sql =
        "CREATE SOURCE TABLE IF NOT EXISTS clickstream (\n"
        "  user_id BIGINT NOT NULL, page_url STRING NOT NULL, ts TIMESTAMP NOT NULL,\n"
        "  duration_ms INT NULL, price DECIMAL(10,2), tags ARRAY<STRING>, ids INT[],\n"
        "  attrs MAP<STRING, ARRAY<INT>>, who STRUCT<name:STRING, age INT, inner "
        "STRUCT<x:DOUBLE>>,\n"
        "  tz TIMESTAMP WITH TIME ZONE, d DOUBLE PRECISION, \"Mixed\" text, timestamp date,\n"
        "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND\n"
        ") WITH (connector = 'kafka', topic = 'clickstream', format = 'json')";
    ParsedStmtList *l = parse_ok(sql, 1);
    if (!l)
        return;
    ParsedStmt *s = &l->stmts[0];
    LMT_CHECK(s->kind == STMT_CREATE_CONN_TABLE && s->object == OBJ_SOURCE_TABLE,
              "CREATE SOURCE TABLE kind");
    LMT_CHECK(s->if_not_exists, "IF NOT EXISTS after TABLE");
    LMT_CHECK_STR(parser_stmt_tag(s), "CREATE SOURCE TABLE", "tag");
    LMT_CHECK_INT(s->ncolumns, 13, "thirteen columns");
    if (s->ncolumns == 13) {
        LMT_CHECK(s->columns[0].not_null && !s->columns[3].not_null, "NOT NULL / NULL");
        LMT_CHECK_STR(s->columns[0].type_text, "BIGINT", "type text as written");
        LMT_CHECK_INT(s->columns[0].location, offset_of(sql, "user_id"), "column location");
        LMT_CHECK(s->columns[0].type && s->columns[0].type->id == TYPE_INT64, "BIGINT type");
        LMT_CHECK(s->columns[4].type && s->columns[4].type->id == TYPE_DECIMAL &&
                      s->columns[4].type->precision == 10 && s->columns[4].type->scale == 2,
                  "DECIMAL(10,2)");
        LMT_CHECK(s->columns[5].type && s->columns[5].type->id == TYPE_ARRAY, "ARRAY<STRING>");
        LMT_CHECK(s->columns[6].type && s->columns[6].type->id == TYPE_ARRAY, "INT[]");
        LMT_CHECK_STR(s->columns[7].type_text, "MAP<STRING, ARRAY<INT>>", "nested >> type span");
        LMT_CHECK(s->columns[7].type && s->columns[7].type->id == TYPE_MAP, "MAP type");
        LMT_CHECK(s->columns[8].type && s->columns[8].type->id == TYPE_STRUCT &&
                      s->columns[8].type->nfields == 3,
                  "STRUCT with three fields");
        LMT_CHECK(s->columns[9].type && s->columns[9].type->id == TYPE_TIMESTAMPTZ,
                  "TIMESTAMP WITH TIME ZONE");
        LMT_CHECK(s->columns[10].type && s->columns[10].type->id == TYPE_FLOAT64,
                  "DOUBLE PRECISION");
        LMT_CHECK_STR(s->columns[11].name, "Mixed", "quoted column name keeps case");
        LMT_CHECK_STR(s->columns[12].name, "timestamp", "keyword usable as a column name");
    }
    LMT_CHECK_STR(s->watermark_column, "ts", "watermark column");
    LMT_CHECK_STR(s->watermark_expr_text, "ts - INTERVAL '5' SECOND", "watermark text");
    LMT_CHECK_INT(s->watermark_expr_location, offset_of(sql, "ts - INTERVAL"),
                  "watermark expression location");
    const PgQuery__Node *e = s->watermark_expr;
    LMT_CHECK(e && e->node_case == PG_QUERY__NODE__NODE_A_EXPR, "watermark is an A_Expr");
    if (e && e->node_case == PG_QUERY__NODE__NODE_A_EXPR) {
        LMT_CHECK_INT(e->a_expr->location, offset_of(sql, "- INTERVAL"),
                      "operator location is original");
        const PgQuery__Node *lhs = e->a_expr->lexpr;
        LMT_CHECK(lhs && lhs->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
                      lhs->column_ref->location == offset_of(sql, "ts - INTERVAL"),
                  "column reference location is original");
    }
    LMT_CHECK_INT(s->noptions, 3, "three options");

    l = parse_ok("create sink table \"Out\" (a int) with (connector = 'blackhole');"
                 "alter sink table out set (x = 1); alter source table s reset (x);"
                 "drop sink table if exists out; test source table s; "
                 "create if not exists source table s2 with (connector = 'datagen')",
                 6);
    if (l) {
        LMT_CHECK(l->stmts[0].object == OBJ_SINK_TABLE && strcmp(l->stmts[0].name, "Out") == 0,
                  "CREATE SINK TABLE with quoted name");
        LMT_CHECK_STR(parser_stmt_tag(&l->stmts[0]), "CREATE SINK TABLE", "sink tag");
        LMT_CHECK(l->stmts[1].kind == STMT_ALTER_CONN_TABLE && l->stmts[1].noptions == 1,
                  "ALTER SINK TABLE SET");
        LMT_CHECK(l->stmts[2].kind == STMT_ALTER_CONN_TABLE && l->stmts[2].nreset == 1,
                  "ALTER SOURCE TABLE RESET");
        LMT_CHECK(l->stmts[3].kind == STMT_DROP_CONN_TABLE && l->stmts[3].if_exists,
                  "DROP SINK TABLE IF EXISTS");
        LMT_CHECK_STR(parser_stmt_tag(&l->stmts[3]), "DROP SINK TABLE", "drop tag");
        LMT_CHECK(l->stmts[4].kind == STMT_TEST_CONN_TABLE &&
                      l->stmts[4].object == OBJ_SOURCE_TABLE,
                  "TEST SOURCE TABLE");
        LMT_CHECK(l->stmts[5].if_not_exists && l->stmts[5].ncolumns == 0,
                  "IF NOT EXISTS before SOURCE, no column list");
    }
}

static void test_pipelines_and_show(void)
{
    const char *sql = "CREATE PIPELINE user_analytics WITH (parallelism = 2) AS\n"
                      "INSERT INTO user_aggregates\n"
                      "SELECT user_id, count(*) FROM clickstream GROUP BY user_id;\n"
                      "START PIPELINE user_analytics; STOP PIPELINE user_analytics;\n"
                      "EXPLAIN PIPELINE user_analytics; DROP PIPELINE IF EXISTS user_analytics;\n"
                      "SHOW PIPELINES; SHOW JOBS; SHOW CONNECTORS; SHOW SECRETS;\n"
                      "SHOW CONNECTION PROFILES; SHOW SOURCE TABLES; SHOW SINK TABLES;\n"
                      "SHOW CREATE SOURCE TABLE clickstream; SHOW CREATE TABLE laminar.jobs;\n"
                      "SHOW CREATE CONNECTION PROFILE p; SHOW CREATE PIPELINE x";
    ParsedStmtList *l = parse_ok(sql, 16);
    if (!l)
        return;
    ParsedStmt *s = &l->stmts[0];
    LMT_CHECK(s->kind == STMT_CREATE_PIPELINE && s->noptions == 1, "CREATE PIPELINE");
    LMT_CHECK(s->body && s->body->node_case == PG_QUERY__NODE__NODE_INSERT_STMT,
              "pipeline body is an InsertStmt");
    LMT_CHECK_INT(s->body_location, offset_of(sql, "INSERT INTO"), "body location");
    if (s->body && s->body->node_case == PG_QUERY__NODE__NODE_INSERT_STMT) {
        const PgQuery__InsertStmt *ins = s->body->insert_stmt;
        LMT_CHECK(ins->relation && ins->relation->location == offset_of(sql, "user_aggregates"),
                  "body node locations are original");
    }
    LMT_CHECK(l->stmts[1].kind == STMT_START_PIPELINE, "START PIPELINE");
    LMT_CHECK_STR(parser_stmt_tag(&l->stmts[1]), "START PIPELINE", "start tag");
    LMT_CHECK(l->stmts[2].kind == STMT_STOP_PIPELINE, "STOP PIPELINE");
    LMT_CHECK(l->stmts[3].kind == STMT_EXPLAIN_PIPELINE, "EXPLAIN PIPELINE");
    LMT_CHECK(l->stmts[4].kind == STMT_DROP_PIPELINE && l->stmts[4].if_exists, "DROP PIPELINE");
    ObjectKind lists[] = {OBJ_PIPELINE, OBJ_JOB,          OBJ_CONNECTOR, OBJ_SECRET,
                          OBJ_PROFILE,  OBJ_SOURCE_TABLE, OBJ_SINK_TABLE};
    for (int i = 0; i < 7; i++)
        LMT_CHECK(l->stmts[5 + i].kind == STMT_SHOW_LIST && l->stmts[5 + i].object == lists[i],
                  "SHOW list %d", i);
    LMT_CHECK_STR(parser_stmt_tag(&l->stmts[5]), "SHOW", "SHOW tag");
    LMT_CHECK(l->stmts[12].kind == STMT_SHOW_CREATE && l->stmts[12].object == OBJ_SOURCE_TABLE,
              "SHOW CREATE SOURCE TABLE");
    LMT_CHECK(l->stmts[13].object == OBJ_TABLE && strcmp(l->stmts[13].name, "laminar.jobs") == 0,
              "SHOW CREATE TABLE with a qualified name");
    LMT_CHECK(l->stmts[14].object == OBJ_PROFILE, "SHOW CREATE CONNECTION PROFILE");
    LMT_CHECK(l->stmts[15].object == OBJ_PIPELINE, "SHOW CREATE PIPELINE");
}

static void test_postgres_statements(void)
{
    const char *sql =
        "  -- leading comment\n SELECT abc FROM t;; SET search_path = x;"
        " SHOW work_mem; BEGIN; CREATE ROLE r LOGIN PASSWORD 'p'; CREATE TABLE k (a int)";
    ParsedStmtList *l = parse_ok(sql, 6);
    if (l) {
        LMT_CHECK(l->stmts[0].kind == STMT_PG && l->stmts[0].pg &&
                      l->stmts[0].pg->node_case == PG_QUERY__NODE__NODE_SELECT_STMT,
                  "SELECT is a PostgreSQL statement");
        LMT_CHECK_INT(l->stmts[0].location, offset_of(sql, "SELECT"), "span starts at SELECT");
        LMT_CHECK_STR(l->stmts[0].text, "SELECT abc FROM t", "text trimmed to the statement");
        LMT_CHECK(parser_stmt_tag(&l->stmts[0]) == NULL, "no Laminar tag for PG statements");
        LMT_CHECK(l->stmts[2].pg &&
                      l->stmts[2].pg->node_case == PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT,
                  "SHOW work_mem stays PostgreSQL");
        LMT_CHECK_STR(l->stmts[5].text, "CREATE TABLE k (a int)", "last statement text");
    }

    /* locations stay original when Laminar statements come first */
    const char *mixed = "CREATE SOURCE TABLE s (a int) WITH (connector = 'datagen');\n"
                        "SELECT abc FROM s; START PIPELINE p; SELECT 'é', xyz";
    l = parse_ok(mixed, 4);
    if (l) {
        LMT_CHECK(l->stmts[1].kind == STMT_PG && l->stmts[2].kind == STMT_START_PIPELINE &&
                      l->stmts[3].kind == STMT_PG,
                  "statements merged in text order");
        const PgQuery__SelectStmt *sel = l->stmts[1].pg->select_stmt;
        const PgQuery__Node *val = sel->target_list[0]->res_target->val;
        LMT_CHECK(val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
                      val->column_ref->location == offset_of(mixed, "abc"),
                  "column location after a Laminar statement is original");
        sel = l->stmts[3].pg->select_stmt;
        val = sel->target_list[1]->res_target->val;
        LMT_CHECK(val->column_ref->location == offset_of(mixed, "xyz"),
                  "byte location after a multibyte character");
        LMT_CHECK_STR(l->stmts[3].text, "SELECT 'é', xyz", "last PG statement text");
    }

    parse_ok("", 0);
    parse_ok(" ;; -- nothing\n ; /* at all */", 0);
    parse_ok("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;"
             " START PIPELINE p",
             2);

    PgQuery__Node *e = NULL;
    LMT_EXPECT_NO_ERROR(e = parser_parse_expr(arena, "a + 1", 100), "parser_parse_expr");
    LMT_CHECK(e && e->node_case == PG_QUERY__NODE__NODE_A_EXPR && e->a_expr->location == 102,
              "parser_parse_expr shifts locations by the base");
}

static void test_errors(void)
{
    expect_error("SELECT * FORM t", "42601", "syntax error at or near \"FORM\"", 10);
    expect_error("SELECT 'é' FORM x", "42601", "syntax error at or near \"x\"", 18);
    expect_error("SELECT 1 +", "42601", "syntax error at end of input", 11);
    expect_error("SELECT 'abc", "42601", "unterminated quoted string", 8);
    expect_error("CREATE SOURCE TABLE t (a int); SELECT * FORM t", "42601", "\"FORM\"", 41);
    expect_error("SELECT * FORM t; CREATE SOURCE TABLE t (a nosuchtype)", "42601", "\"FORM\"", 10);
    expect_error("CREATE SOURCE TABLE t (a nosuchtype); SELECT * FORM t", "42704", "does not exist",
                 26);
    expect_error("CREATE SOURCE TABLE t (a MAP<INT>)", "42601", "", 0);
    expect_error("CREATE SOURCE TABLE t (a int, A bigint)", "42701",
                 "column \"a\" specified more than once", 31);
    expect_error("CREATE SOURCE TABLE t (a int) WITH (x = 1, X = 2)", "42601",
                 "option \"x\" specified more than once", 44);
    expect_error("CREATE SINK TABLE t (a int, PRIMARY KEY (a))", "0A000", "PRIMARY KEY", 29);
    expect_error("CREATE SINK TABLE t (a int PRIMARY KEY)", "0A000", "PRIMARY KEY", 28);
    expect_error("CREATE SOURCE TABLE t (a int, WATERMARK FOR b AS b)", "42703",
                 "column \"b\" named in WATERMARK does not exist", 45);
    expect_error("CREATE SOURCE TABLE t (a int, WATERMARK FOR a AS a +)", "42601",
                 "syntax error at or near \")\"", 53);
    expect_error("CREATE SOURCE TABLE t (a int, WATERMARK FOR a AS a FROM x)", "42601", "", 0);
    expect_error("CREATE SOURCE TABLE t (a int", "42601", "syntax error at end of input", 29);
    expect_error("CREATE SOURCE TABLE t (a int) WITH ()", "42601", "\")\"", 37);
    expect_error("CREATE SOURCE TABLE select (a int)", "42601", "\"select\"", 21);
    expect_error("CREATE PIPELINE p AS SELECT 1", "42601", "INSERT", 22);
    expect_error("CREATE PIPELINE p AS INSERT INTO x SELECT * FORM y", "42601", "\"FORM\"", 45);
    expect_error("CREATE PIPELINE p AS INSERT INTO x SELECT 1 +; SELECT 1", "42601",
                 "syntax error at or near \";\"", 46);
    expect_error("CREATE PIPELINE p", "42601", "syntax error at end of input", 18);
    expect_error("CREATE SECRET s AS 42", "42601", "\"42\"", 20);
    expect_error("SHOW CONNECTORS now", "42601", "\"now\"", 17);
    expect_error("START PIPELINE", "42601", "end of input", 15);
    expect_error("DROP PIPELINE a, b,", "42601", "end of input", 20);
    {
        /* DROP takes a list of names, as PostgreSQL's DROP TABLE does */
        ParsedStmtList *l = parse_ok("DROP SOURCE TABLE IF EXISTS a, \"B\", c", 1);
        LMT_CHECK(l && l->stmts[0].nnames == 3 && strcmp(l->stmts[0].names[1], "B") == 0 &&
                   strcmp(l->stmts[0].name, "a") == 0,
               "DROP with a list of names");
    }
    expect_error("TEST PIPELINE p", "42601", "\"PIPELINE\"", 6);
    expect_error("create sink table t (a int not null null)", "42601", "conflicting", 37);
}

/* ---------------------------------------------------------------- threads and fuzz */

static const char *corpus[] = {
    "CREATE SOURCE TABLE c (user_id BIGINT NOT NULL, m MAP<STRING, ARRAY<INT>>, "
    "s STRUCT<a:INT, b STRUCT<c:DECIMAL(10,2)>>, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL "
    "'5' SECOND) WITH (connector = 'kafka', format = json, n = -1, b = true, p = SECRET x)",
    "CREATE PIPELINE p WITH (parallelism = 2) AS INSERT INTO s SELECT a, count(*) FROM c "
    "WHERE x > 1 GROUP BY TUMBLE(ts, INTERVAL '1' HOUR)",
    "CREATE CONNECTION PROFILE IF NOT EXISTS p WITH ('a.b' = E'x\\ny', c = $q$z$q$)",
    "ALTER SINK TABLE t RESET (a, b); SHOW CREATE TABLE a.b; SELECT 1; SHOW JOBS",
    "SELECT a.b, \"Q\"[1], $1::int FROM t WHERE x <> 2 AND y >= 3 ORDER BY 1 LIMIT 5",
    "CREATE SECRET s AS 'v'; DROP SECRET IF EXISTS s; TEST CONNECTION PROFILE p",
};

typedef struct ThreadArg {
    int failures;
} ThreadArg;

static void *parse_thread(void *p)
{
    ThreadArg *arg = p;
    Arena *a = arena_create("parser-thread", NULL);
    for (int round = 0; round < 200; round++) {
        for (volatile size_t i = 0; i < LM_ARRAY_LEN(corpus); i++) {
            volatile int ok = 0;
            LM_TRY();
            {
                ParsedStmtList *l = parser_parse(a, corpus[i]);
                ok = l->count > 0;
            }
            LM_CATCH();
            {
                error_clear();
            }
            LM_END_TRY();
            if (!ok)
                arg->failures++;
        }
        arena_reset(a);
    }
    arena_destroy(a);
    return NULL;
}

static void test_threads(void)
{
    enum { NTHREADS = 8 };
    pthread_t th[NTHREADS];
    ThreadArg args[NTHREADS] = {{0}};
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&th[i], NULL, parse_thread, &args[i]);
    int failures = 0;
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(th[i], NULL);
        failures += args[i].failures;
    }
    LMT_CHECK_INT(failures, 0, "%d threads parse the corpus concurrently", NTHREADS);
}

static int fuzz_one(Arena *a, const char *input)
{
    volatile int outcome = 0;
    LM_TRY();
    {
        ParsedStmtList *l = parser_parse(a, input);
        outcome = 1;
        for (int i = 0; i < l->count; i++)
            if (l->stmts[i].location < 0 || l->stmts[i].length < 0 ||
                l->stmts[i].location + l->stmts[i].length > (int)strlen(input))
                outcome = -1;
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        /* a user error with a position inside (or just past) the text, never an internal one */
        if (strcmp(e->sqlstate, "XX000") == 0 || e->position < 0 ||
            e->position > (int)strlen(input) + 1)
            outcome = -1;
        else
            outcome = 2;
        error_clear();
    }
    LM_END_TRY();
    arena_reset(a);
    return outcome;
}

static void test_fuzz(void)
{
    Arena *a = arena_create("fuzz", NULL);
    static const char alphabet[] = "abcdeST ();,'\"$<>[]:.=-+*/\\\n\t0123456789_é";
    static const char *words[] = {"CREATE ",
                                  "SOURCE ",
                                  "SINK ",
                                  "TABLE ",
                                  "PIPELINE ",
                                  "WITH ",
                                  "AS ",
                                  "(",
                                  ")",
                                  ",",
                                  "WATERMARK FOR ",
                                  "SECRET ",
                                  "INSERT INTO x SELECT ",
                                  "MAP<",
                                  ">",
                                  "ARRAY<",
                                  "STRUCT<",
                                  "INT ",
                                  "NOT NULL ",
                                  "'s' ",
                                  "= ",
                                  ";",
                                  "SHOW ",
                                  "CONNECTION PROFILE ",
                                  "IF NOT EXISTS ",
                                  "DROP ",
                                  "$$x$$ ",
                                  "E'\\n' ",
                                  "-1 ",
                                  "\"Q\" "};
    unsigned seed = 12345;
    int bad = 0, runs = 0;
    char buf[512];

    /* every prefix of every corpus statement */
    for (size_t i = 0; i < LM_ARRAY_LEN(corpus); i++) {
        size_t n = strlen(corpus[i]);
        for (size_t k = 0; k <= n; k++) {
            char *prefix = strndup(corpus[i], k);
            bad += fuzz_one(a, prefix) < 0;
            runs++;
            free(prefix);
        }
    }
    /* random bytes from a SQL-ish alphabet, random word salad, and byte mutations */
    for (int iter = 0; iter < 6000; iter++) {
        int len = rand_r(&seed) % 120;
        if (iter % 3 == 0) {
            for (int k = 0; k < len; k++)
                buf[k] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
            buf[len] = '\0';
        } else if (iter % 3 == 1) {
            buf[0] = '\0';
            int nw = rand_r(&seed) % 16;
            for (int k = 0; k < nw; k++)
                strncat(buf, words[rand_r(&seed) % LM_ARRAY_LEN(words)],
                        sizeof buf - strlen(buf) - 1);
        } else {
            const char *src = corpus[rand_r(&seed) % LM_ARRAY_LEN(corpus)];
            snprintf(buf, sizeof buf, "%s", src);
            int nmut = 1 + rand_r(&seed) % 4;
            for (int k = 0; k < nmut; k++) {
                size_t blen = strlen(buf), pos = rand_r(&seed) % (blen + 1);
                char byte = (char)(1 + rand_r(&seed) % 255);
                if (pos < blen) {
                    buf[pos] = byte;
                } else if (blen + 1 < sizeof buf) {
                    buf[blen] = byte;
                    buf[blen + 1] = '\0';
                }
            }
        }
        bad += fuzz_one(a, buf) < 0;
        runs++;
    }
    arena_destroy(a);
    LMT_CHECK_INT(bad, 0, "fuzz: %d inputs, no crash, no internal error, sane spans", runs);
}

int main(void)
{
    arena = arena_create("test_parser", NULL);
    test_profiles_and_secrets();
    test_option_values();
    test_conn_tables();
    test_pipelines_and_show();
    test_postgres_statements();
    test_errors();
    test_threads();
    test_fuzz();
    arena_destroy(arena);
    return lmt_done();
}
