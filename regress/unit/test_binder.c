/*
 * test_binder.c: the binder (planner/bind*.c), relation lookup, the
 * post-binding planner and EXPLAIN.
 *
 * Binds statements against a temporary catalog (plain tables users and
 * orders, a source table clicks) and the system views, and checks plan
 * shapes, result column names and types, parameter type inference,
 * equi-join keys and filter push-down, EXPLAIN text, and the SQLSTATE and
 * position of every error class the binder raises (42703, 42702, 42P01,
 * 42804, 42883, 42803, 42809, 0A000, and 42601 from the parser).  Ends with
 * a fuzz pass: a corpus of statements, each also cut short at every token
 * and with its names swapped, must bind or fail with an SQLSTATE — never
 * crash.
 */
#include "common/arena.h"
#include "common/error.h"
#include "executor/exec.h"
#include "parser/parser.h"
#include "planner/bind.h"
#include "planner/catalog_hooks.h"
#include "planner/relation.h"
#include "storage/catalog.h"
#include "storage/storage.h"

#include "lmtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static Arena *arena;
static ExecContext ctx;
static SessionServices svc;
static char search_path[128] = "\"$user\", public";

static const char *get_setting(void *session, const char *name, bool missing_ok)
{
    if (strcmp(name, "search_path") == 0)
        return search_path;
    return NULL;
}

/* Result of binding one statement. */
typedef struct Bound {
    PlanNode *plan;
    BindContext bc;
    char state[6];
    char message[256];
    int position;
} Bound;

static Bound bind_sql_typed(const char *sql, int nparams, const LmType **types)
{
    Bound b;
    memset(&b, 0, sizeof b);
    b.bc.ctx = &ctx;
    b.bc.arena = arena;
    b.bc.query_text = sql;
    b.bc.nparams = nparams;
    b.bc.param_types = types;
    Bound *volatile bp = &b;
    LM_TRY();
    {
        ParsedStmtList *l = parser_parse(arena, sql);
        if (l->count != 1 || l->stmts[0].kind != STMT_PG)
            elog(ERROR, "test statement is not one PostgreSQL statement");
        bp->plan = bind_statement(&bp->bc, l->stmts[0].pg);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        snprintf(bp->state, sizeof bp->state, "%s", e->sqlstate);
        snprintf(bp->message, sizeof bp->message, "%s", e->message ? e->message : "");
        bp->position = e->position;
        error_clear();
    }
    LM_END_TRY();
    return b;
}

static Bound bind_sql(const char *sql)
{
    return bind_sql_typed(sql, 0, NULL);
}

static void expect_ok(const char *sql, Bound *b)
{
    if (b->plan == NULL)
        lmt_diag("%s -> %s %s", sql, b->state, b->message);
}

#define CHECK_ERR(sql, want_state, want_pos)                                                       \
    do {                                                                                           \
        Bound b_ = bind_sql(sql);                                                                  \
        LMT_CHECK_STR(b_.state, want_state, "%s: SQLSTATE", sql);                                  \
        if ((want_pos) >= 0)                                                                       \
            LMT_CHECK_INT(b_.position, want_pos, "%s: position (%s)", sql, b_.message);            \
    } while (0)

static const PlanNode *skip_project(const PlanNode *p)
{
    while (p && p->kind == PLAN_PROJECT)
        p = p->left;
    return p;
}

static void create_tables(void)
{
    CatTable users = {0};
    users.name = "users";
    users.schema = "public";
    users.kind = CAT_TABLE_PLAIN;
    users.ncolumns = 3;
    users.columns = arena_new_array(arena, CatColumn, 3);
    users.columns[0] = (CatColumn){.name = "id", .type = type_int64(), .not_null = true};
    users.columns[1] = (CatColumn){.name = "name", .type = type_string()};
    users.columns[2] = (CatColumn){.name = "age", .type = type_int32(), .default_expr = "18"};
    users.nprimary_key = 1;
    users.primary_key = arena_new_array(arena, int, 1);
    users.primary_key[0] = 0;
    catalog_create_table(arena, &users, false);

    CatTable orders = {0};
    orders.name = "orders";
    orders.schema = "public";
    orders.kind = CAT_TABLE_PLAIN;
    orders.ncolumns = 4;
    orders.columns = arena_new_array(arena, CatColumn, 4);
    orders.columns[0] = (CatColumn){.name = "id", .type = type_int64(), .not_null = true};
    orders.columns[1] = (CatColumn){.name = "user_id", .type = type_int64()};
    orders.columns[2] = (CatColumn){.name = "amount", .type = type_decimal(arena, 10, 2)};
    orders.columns[3] = (CatColumn){.name = "ts", .type = type_timestamp()};
    orders.nprimary_key = 1;
    orders.primary_key = arena_new_array(arena, int, 1);
    orders.primary_key[0] = 0;
    catalog_create_table(arena, &orders, false);

    CatTable clicks = {0};
    clicks.name = "clicks";
    clicks.schema = "public";
    clicks.kind = CAT_TABLE_SOURCE;
    clicks.connector = "datagen";
    clicks.ncolumns = 2;
    clicks.columns = arena_new_array(arena, CatColumn, 2);
    clicks.columns[0] = (CatColumn){.name = "user_id", .type = type_int64()};
    clicks.columns[1] = (CatColumn){.name = "page", .type = type_string()};
    catalog_create_table(arena, &clicks, false);
}

static void test_select_shapes(void)
{
    Bound b = bind_sql("SELECT id, name FROM users WHERE age > 21");
    expect_ok("select", &b);
    LMT_CHECK(b.plan && b.plan->kind == PLAN_PROJECT, "simple select is a projection");
    if (b.plan) {
        LMT_CHECK_INT(b.plan->ncols, 2, "two result columns");
        LMT_CHECK_STR(b.plan->cols[0].name, "id", "first column name");
        LMT_CHECK_STR(b.plan->cols[1].name, "name", "second column name");
        LMT_CHECK_INT(b.plan->cols[0].type->id, TYPE_INT64, "id is bigint");
        LMT_CHECK(b.plan->cols[0].table_oid != 0 && b.plan->cols[0].attnum == 1,
                  "id carries its table oid and attnum");
        const PlanNode *f = b.plan->left;
        LMT_CHECK(f && f->kind == PLAN_FILTER && f->left->kind == PLAN_SCAN, "filter over a scan");
    }

    b = bind_sql("SELECT * FROM users u JOIN orders o ON u.id = o.user_id");
    expect_ok("join", &b);
    const PlanNode *j = b.plan ? skip_project(b.plan) : NULL;
    LMT_CHECK(j && j->kind == PLAN_JOIN && j->nkeys == 1, "JOIN ON equality gets a hash key");
    if (b.plan)
        LMT_CHECK_INT(b.plan->ncols, 7, "* over a join has every column");

    b = bind_sql("SELECT u.name, o.amount FROM users u, orders o WHERE o.user_id = u.id AND "
                 "o.amount > 10 AND u.age < 30");
    expect_ok("comma join", &b);
    j = b.plan ? skip_project(b.plan) : NULL;
    LMT_CHECK(j && j->kind == PLAN_JOIN && j->nkeys == 1 && j->residual == NULL,
              "comma join with WHERE equality becomes a hash join");
    LMT_CHECK(j && j->left->kind == PLAN_FILTER && j->right->kind == PLAN_FILTER,
              "single-side conjuncts are pushed below the join");

    b = bind_sql("SELECT * FROM users JOIN orders USING (id)");
    expect_ok("using", &b);
    if (b.plan) {
        LMT_CHECK_INT(b.plan->ncols, 6, "USING merges the join column");
        LMT_CHECK_STR(b.plan->cols[0].name, "id", "merged column first");
    }
    b = bind_sql("SELECT users.id, orders.id, id FROM users NATURAL JOIN orders");
    expect_ok("natural", &b);
    LMT_CHECK(b.plan != NULL, "NATURAL JOIN binds qualified and merged names");

    b = bind_sql("SELECT user_id, count(*), sum(amount) AS total FROM orders GROUP BY user_id "
                 "HAVING count(*) > 1 ORDER BY total DESC LIMIT 10");
    expect_ok("group by", &b);
    if (b.plan) {
        LMT_CHECK_STR(b.plan->cols[1].name, "count", "aggregate column named after it");
        LMT_CHECK_STR(b.plan->cols[2].name, "total", "alias");
        LMT_CHECK_INT(b.plan->cols[1].type->id, TYPE_INT64, "count(*) is bigint");
        const PlanNode *p = b.plan;
        int nlimit = 0, nsort = 0, nagg = 0, nfilter = 0;
        for (; p; p = p->left) {
            nlimit += p->kind == PLAN_LIMIT;
            nsort += p->kind == PLAN_SORT;
            nagg += p->kind == PLAN_AGGREGATE;
            nfilter += p->kind == PLAN_FILTER;
        }
        LMT_CHECK(nlimit == 1 && nsort == 1 && nagg == 1 && nfilter == 1,
                  "limit, sort, aggregate and HAVING filter present");
    }
    b = bind_sql("SELECT u.id, u.name, count(o.id) FROM users u JOIN orders o ON o.user_id = u.id "
                 "GROUP BY u.id ORDER BY u.name");
    expect_ok("functional dependency", &b);
    LMT_CHECK(b.plan && b.plan->ncols == 3, "columns of a table grouped by its primary key");
    CHECK_ERR("SELECT u.name, count(*) FROM users u JOIN orders o ON o.user_id = u.id GROUP BY "
              "o.user_id",
              "42803", 8);
    b = bind_sql("SELECT user_id + 1 FROM orders GROUP BY user_id + 1");
    LMT_CHECK(b.plan != NULL, "grouping by an expression matches the same target");
    b = bind_sql("SELECT user_id AS u, count(*) FROM orders GROUP BY u");
    LMT_CHECK(b.plan != NULL, "GROUP BY an output alias");
    b = bind_sql("SELECT user_id, count(*) FROM orders GROUP BY 1 ORDER BY 2");
    LMT_CHECK(b.plan != NULL, "GROUP BY / ORDER BY ordinals");
    b = bind_sql("SELECT count(DISTINCT user_id) FILTER (WHERE amount > 0) FROM orders");
    expect_ok("agg distinct filter", &b);
    LMT_CHECK(b.plan != NULL, "count(DISTINCT) FILTER");

    b = bind_sql("SELECT DISTINCT name FROM users ORDER BY name");
    LMT_CHECK(b.plan && b.plan->kind == PLAN_SORT && b.plan->left->kind == PLAN_DISTINCT,
              "DISTINCT then sort");
    b = bind_sql("SELECT name FROM users ORDER BY age");
    LMT_CHECK(b.plan && b.plan->kind == PLAN_PROJECT && b.plan->ncols == 1 &&
                  b.plan->left->kind == PLAN_SORT,
              "ORDER BY a non-selected column sorts on a hidden column");
    b = bind_sql("SELECT id FROM users UNION SELECT user_id FROM orders ORDER BY 1");
    expect_ok("union", &b);
    LMT_CHECK(b.plan && b.plan->kind == PLAN_SORT && b.plan->left->kind == PLAN_SETOP,
              "UNION with ORDER BY");
    b = bind_sql("SELECT 1 UNION ALL SELECT 2.5");
    LMT_CHECK(b.plan && b.plan->cols[0].type->id == TYPE_DECIMAL, "UNION unifies int and numeric");
    b = bind_sql("WITH big AS (SELECT * FROM orders WHERE amount > 100), b2 AS (SELECT user_id "
                 "FROM big) SELECT count(*) FROM b2 JOIN users ON users.id = b2.user_id");
    expect_ok("cte", &b);
    LMT_CHECK(b.plan != NULL, "CTEs referencing earlier CTEs");
    b = bind_sql("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s)");
    LMT_CHECK(b.plan && b.plan->ncols == 2 && strcmp(b.plan->cols[0].name, "n") == 0 &&
                  b.plan->cols[1].type->id == TYPE_STRING,
              "VALUES in FROM with column aliases");
    b = bind_sql("SELECT g FROM generate_series(1, 10) g");
    LMT_CHECK(b.plan && b.plan->cols[0].type->id == TYPE_INT32 &&
                  skip_project(b.plan)->kind == PLAN_FUNCTION_SCAN,
              "generate_series in FROM");
    b = bind_sql("SELECT user_id, row_number() OVER (PARTITION BY user_id ORDER BY ts DESC) FROM "
                 "orders");
    expect_ok("window", &b);
    LMT_CHECK(b.plan && b.plan->left->kind == PLAN_WINDOW &&
                  strcmp(b.plan->cols[1].name, "row_number") == 0,
              "row_number() OVER");
    b = bind_sql("SELECT * FROM users WHERE id IN (SELECT user_id FROM orders)");
    j = b.plan ? skip_project(b.plan) : NULL;
    LMT_CHECK(j && j->kind == PLAN_JOIN && j->join_type == JOIN_SEMI && j->nkeys == 1,
              "uncorrelated IN (subquery) becomes a semi join");
    b = bind_sql("SELECT name FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = "
                 "u.id AND o.amount > 5)");
    expect_ok("exists", &b);
    j = b.plan ? skip_project(b.plan) : NULL;
    LMT_CHECK(j && j->kind == PLAN_JOIN && j->join_type == JOIN_SEMI && j->nkeys == 1 &&
                  j->right->kind == PLAN_FILTER,
              "correlated EXISTS becomes a semi join keyed on the correlation");
    b = bind_sql("SELECT name FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE "
                 "o.user_id = u.id)");
    j = b.plan ? skip_project(b.plan) : NULL;
    LMT_CHECK(j && j->kind == PLAN_JOIN && j->join_type == JOIN_ANTI, "NOT EXISTS is an anti join");
    b = bind_sql("SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM orders)");
    j = b.plan ? skip_project(b.plan) : NULL;
    LMT_CHECK(j && j->kind == PLAN_FILTER && j->predicate->kind == EXPR_NOT,
              "NOT IN stays a subquery (NULL semantics)");
    b = bind_sql("SELECT (SELECT name FROM users WHERE id = o.user_id) AS n FROM orders o");
    expect_ok("correlated scalar", &b);
    if (b.plan) {
        const Expr *sq = b.plan->exprs[0];
        LMT_CHECK(sq->kind == EXPR_SUBQUERY && sq->correlated && sq->subquery_kind == SUBQ_SCALAR,
                  "correlated scalar subquery is marked correlated");
        const PlanNode *sub = skip_project(sq->subplan);
        const Expr *cond = sub->kind == PLAN_FILTER ? sub->predicate : NULL;
        bool outer = cond && cond->nargs == 2 &&
                     (cond->args[1]->kind == EXPR_OUTER && cond->args[1]->levels_up == 1 &&
                      cond->args[1]->index == 1);
        LMT_CHECK(outer, "outer column is EXPR_OUTER levels_up 1 with the outer input's index");
    }
    b = bind_sql("SELECT (SELECT count(*) FROM generate_series(1, u.age) g, (SELECT o.id FROM "
                 "orders o WHERE o.user_id = u.id) s) FROM users u");
    expect_ok("outer refs from FROM items", &b);
    if (b.plan) {
        const Expr *sq = b.plan->exprs[0];
        const PlanNode *sub = skip_project(sq->subplan);
        while (sub && sub->kind != PLAN_JOIN)
            sub = sub->left;
        const Expr *arg =
            sub && sub->left->kind == PLAN_FUNCTION_SCAN ? sub->left->func_args[1] : NULL;
        LMT_CHECK(sq->correlated && arg && arg->kind == EXPR_OUTER && arg->levels_up == 1,
                  "FROM functions and subqueries reference the enclosing query one level out");
    }
    b = bind_sql("SELECT (SELECT max(amount) FROM orders) AS m, name FROM users");
    LMT_CHECK(b.plan && strcmp(b.plan->cols[0].name, "m") == 0 &&
                  b.plan->cols[0].type->id == TYPE_DECIMAL,
              "scalar subquery typed by its column");
    b = bind_sql("SELECT relname FROM pg_catalog.pg_class WHERE relname = 'users'");
    expect_ok("pg_class", &b);
    LMT_CHECK(b.plan != NULL, "system view pg_catalog.pg_class");
    b = bind_sql("SELECT 'users'::regclass::oid");
    expect_ok("regclass", &b);
    LMT_CHECK(b.plan != NULL, "'users'::regclass");
    b = bind_sql("SELECT c.relname FROM pg_class c WHERE c.relname OPERATOR(pg_catalog.~) '^(u)' "
                 "COLLATE pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid)");
    expect_ok("psql-ish", &b);
}

static void test_names_and_types(void)
{
    Bound b = bind_sql("SELECT 1, 1 + 1 AS two, 'x', NULL, true, 3000000000, 1.50, "
                       "CAST(1 AS bigint), current_date, coalesce(NULL, 2), "
                       "CASE WHEN true THEN 1 END, ARRAY[1,2], now()");
    expect_ok("names", &b);
    if (b.plan) {
        static const char *names[] = {
            "?column?", "two",          "?column?", "?column?", "?column?", "?column?", "?column?",
            "int8",     "current_date", "coalesce", "case",     "array",    "now"};
        for (int i = 0; i < 13 && i < b.plan->ncols; i++)
            LMT_CHECK_STR(b.plan->cols[i].name, names[i], "column %d name", i + 1);
        LMT_CHECK_INT(b.plan->cols[0].type->id, TYPE_INT32, "1 is integer");
        LMT_CHECK_INT(b.plan->cols[2].type->id, TYPE_STRING, "'x' resolves to text");
        LMT_CHECK_INT(b.plan->cols[5].type->id, TYPE_INT64, "3000000000 is bigint");
        LMT_CHECK_INT(b.plan->cols[6].type->id, TYPE_DECIMAL, "1.50 is numeric");
        LMT_CHECK_INT(b.plan->cols[11].type->id, TYPE_ARRAY, "ARRAY[] is an array");
    }
    b = bind_sql("SELECT name LIKE 'a%', name ILIKE 'A%', name ~ 'x', name || '!', age BETWEEN 1 "
                 "AND 3, age IN (1, 2, 3), name IS DISTINCT FROM 'x', NULLIF(age, 0), "
                 "GREATEST(age, 1, 2), age IS NULL, (age > 1) IS TRUE FROM users");
    expect_ok("operators", &b);
    LMT_CHECK(b.plan && b.plan->ncols == 11, "operator forms bind");
    if (b.plan)
        LMT_CHECK_STR(b.plan->cols[7].name, "nullif", "NULLIF column name");
    b = bind_sql("SELECT * FROM users WHERE (age, id) > (3, 4) AND (id, name) IN ((1, 'a'), (2, "
                 "'b')) AND (id, age) <> (1, 2)");
    expect_ok("rows", &b);
    LMT_CHECK(b.plan != NULL, "row comparisons and row IN lists");
    b = bind_sql("SELECT id = ANY(ARRAY[1,2]), id = ANY('{1,2}') FROM users");
    expect_ok("any", &b);
    LMT_CHECK(b.plan != NULL, "= ANY (array)");
    b = bind_sql("SELECT '{1,2}'::int[], 'a'::\"char\", 1::pg_catalog.int4, '1 day'::interval, "
                 "'2024-01-01'::timestamp");
    expect_ok("casts", &b);
    if (b.plan) {
        LMT_CHECK_STR(b.plan->cols[0].name, "int4", "cast column named after the type");
        LMT_CHECK_STR(b.plan->cols[2].name, "int4", "pg_catalog.int4 names the column int4");
        LMT_CHECK_INT(b.plan->cols[3].type->id, TYPE_INTERVAL, "interval literal");
    }
    b = bind_sql("SELECT 'int4'::regtype::oid, name::text::varchar FROM users");
    LMT_CHECK(b.plan && strcmp(b.plan->cols[0].name, "oid") == 0 &&
                  strcmp(b.plan->cols[1].name, "name") == 0,
              "an outer cast's type names the column unless there is a real name");
    b = bind_sql("SELECT INTERVAL '5' SECOND, INTERVAL '1' HOUR, INTERVAL '2' DAY TO HOUR");
    if (b.plan && b.plan->left && b.plan->kind == PLAN_PROJECT) {
        static const int64 want[] = {5 * USECS_PER_SEC, 3600 * USECS_PER_SEC,
                                     2 * 3600 * USECS_PER_SEC};
        for (int i = 0; i < 3; i++) {
            const Expr *c = b.plan->exprs[i];
            const Interval *iv = c->kind == EXPR_CONST ? (const Interval *)c->value->data : NULL;
            LMT_CHECK(iv && iv->micros == want[i] && iv->days == 0,
                      "INTERVAL 'n' FIELD counts in that field (%d)", i);
        }
    } else
        LMT_CHECK(false, "INTERVAL 'n' FIELD binds");
}

static void test_params(void)
{
    Bound b = bind_sql("SELECT * FROM users WHERE id = $1 AND name = $2");
    LMT_CHECK(b.plan && b.bc.nparams == 2, "two parameters");
    if (b.plan) {
        LMT_CHECK_INT(b.bc.param_types[0]->id, TYPE_INT64, "$1 inferred from id");
        LMT_CHECK_INT(b.bc.param_types[1]->id, TYPE_STRING, "$2 inferred from name");
    }
    b = bind_sql("INSERT INTO orders (id, user_id, amount) VALUES ($1, $2, $3)");
    expect_ok("insert params", &b);
    if (b.plan) {
        LMT_CHECK_INT(b.bc.param_types[2]->id, TYPE_DECIMAL, "INSERT parameter takes column type");
        LMT_CHECK_INT(b.plan->left->ncols, 4, "INSERT child produces full rows");
    }
    b = bind_sql("SELECT $1::int4, $2");
    LMT_CHECK(b.plan && b.bc.param_types[0]->id == TYPE_INT32 &&
                  b.bc.param_types[1]->id == TYPE_STRING,
              "$1::int is int4, a bare $2 is text");
    const LmType *declared[1] = {type_int32()};
    b = bind_sql_typed("SELECT * FROM users WHERE id = $1", 1, declared);
    LMT_CHECK(b.plan && b.bc.param_types[0]->id == TYPE_INT32, "declared types are kept");
    b = bind_sql("SELECT * FROM users WHERE $1 IS NULL OR id = $1");
    LMT_CHECK(b.plan && b.bc.param_types[0]->id == TYPE_INT64,
              "a parameter seen first untyped takes its later type");
    b = bind_sql("SELECT * FROM users LIMIT $1");
    LMT_CHECK(b.plan && b.bc.param_types[0]->id == TYPE_INT64, "LIMIT $1 is bigint");
}

static void test_modify(void)
{
    Bound b = bind_sql("INSERT INTO users (id) VALUES (1), (2)");
    expect_ok("insert defaults", &b);
    if (b.plan) {
        const PlanNode *v = b.plan->left;
        LMT_CHECK(v->kind == PLAN_VALUES && v->nrows == 2 && v->ncols == 3,
                  "VALUES rows are completed to the table's columns");
        LMT_CHECK(v->rows[0][2]->kind == EXPR_CONST && v->rows[0][2]->type->id == TYPE_INT32,
                  "missing column gets its default");
        LMT_CHECK(v->rows[0][1]->kind == EXPR_CONST && !vector_is_valid(v->rows[0][1]->value, 0),
                  "column without default gets NULL");
    }
    b = bind_sql("INSERT INTO users SELECT id, 'x' FROM orders");
    LMT_CHECK(b.plan && b.plan->left->kind == PLAN_PROJECT && b.plan->left->ncols == 3,
              "INSERT ... SELECT completes rows");
    b = bind_sql("INSERT INTO orders SELECT 1, 2, '3.5', '2024-01-01 10:00'");
    expect_ok("insert select literals", &b);
    LMT_CHECK(b.plan != NULL, "INSERT ... SELECT literals take the column types");
    b = bind_sql("INSERT INTO users VALUES (1, 'a', 3) ON CONFLICT (id) DO UPDATE SET name = "
                 "excluded.name WHERE users.age < 10 RETURNING *");
    expect_ok("upsert", &b);
    LMT_CHECK(b.plan && b.plan->on_conflict == 2 && b.plan->nconflict_set == 1 &&
                  b.plan->conflict_set_exprs[0]->index == 4 && b.plan->nreturning == 3 &&
                  b.plan->ncols == 3,
              "ON CONFLICT DO UPDATE over existing ++ excluded, RETURNING *");
    b = bind_sql("INSERT INTO users VALUES (1) ON CONFLICT DO NOTHING");
    LMT_CHECK(b.plan && b.plan->on_conflict == 1, "ON CONFLICT DO NOTHING");
    CHECK_ERR("INSERT INTO users VALUES (1) ON CONFLICT (name) DO NOTHING", "42P10", -1);
    CHECK_ERR("INSERT INTO users (id, nope) VALUES (1, 2)", "42703", 24);
    CHECK_ERR("INSERT INTO users (id, id) VALUES (1, 2)", "42701", -1);
    CHECK_ERR("INSERT INTO users (id) VALUES (1, 2)", "42601", -1);
    CHECK_ERR("INSERT INTO users (id) VALUES (now())", "42804", 32);
    b = bind_sql("UPDATE users SET age = age + 1, name = DEFAULT WHERE id = 7 RETURNING id, age");
    expect_ok("update", &b);
    if (b.plan) {
        LMT_CHECK(b.plan->kind == PLAN_UPDATE && b.plan->nset == 2 && b.plan->nreturning == 2,
                  "UPDATE with SET and RETURNING");
        const PlanNode *s = b.plan->left;
        while (s->left)
            s = s->left;
        LMT_CHECK(s->kind == PLAN_SCAN && s->want_rowkey && s->ncols == 4,
                  "UPDATE scans with the rowkey last");
    }
    b = bind_sql("UPDATE users SET name = o.amount::text FROM orders o WHERE o.user_id = users.id");
    expect_ok("update from", &b);
    LMT_CHECK(b.plan != NULL, "UPDATE ... FROM");
    b = bind_sql("DELETE FROM orders WHERE amount < 0 RETURNING id");
    LMT_CHECK(b.plan && b.plan->kind == PLAN_DELETE && b.plan->ncols == 1, "DELETE RETURNING");
    CHECK_ERR("DELETE FROM clicks", "42809", 13);
    CHECK_ERR("INSERT INTO pg_class VALUES (1)", "42809", -1);
    CHECK_ERR("UPDATE users SET nope = 1", "42703", -1);
}

static void test_errors(void)
{
    CHECK_ERR("SELECT nosuch FROM users", "42703", 8);
    CHECK_ERR("SELECT u.nosuch FROM users u", "42703", 8);
    CHECK_ERR("SELECT x.id FROM users u", "42P01", 8);
    CHECK_ERR("SELECT * FROM nosuch", "42P01", 15);
    CHECK_ERR("SELECT * FROM nosuchschema.users", "42P01", 15);
    CHECK_ERR("SELECT id FROM users, orders", "42702", 8);
    CHECK_ERR("SELECT * FROM users WHERE 1", "42804", 27);
    CHECK_ERR("SELECT nosuchfunc(1)", "42883", 8);
    {
        Bound b = bind_sql("SELECT nosuchfunc(1)");
        LMT_CHECK_STR(b.message, "function nosuchfunc(integer) does not exist",
                      "42883 message names the argument types");
    }
    CHECK_ERR("SELECT 1 + 'a'::text", "42883", 10);
    CHECK_ERR("SELECT user_id, amount FROM orders GROUP BY user_id", "42803", 17);
    {
        Bound b = bind_sql("SELECT user_id, amount FROM orders GROUP BY user_id");
        LMT_CHECK_STR(b.message,
                      "column \"orders.amount\" must appear in the GROUP BY clause or be used in "
                      "an aggregate function",
                      "42803 message");
    }
    CHECK_ERR("SELECT * FROM users WHERE count(*) > 1", "42803", 27);
    CHECK_ERR("SELECT sum(count(*)) FROM users", "42803", -1);
    CHECK_ERR("SELEC 1", "42601", 1);
    CHECK_ERR("SELECT 'abc'::int", "22P02", 8);
    CHECK_ERR("WITH RECURSIVE t AS (SELECT 1) SELECT * FROM t", "0A000", -1);
    CHECK_ERR("SELECT * FROM users FOR UPDATE", "0A000", -1);
    CHECK_ERR("SELECT * FROM users, LATERAL (SELECT 1) x", "0A000", -1);
    CHECK_ERR("SELECT 1 GROUP BY GROUPING SETS ((1))", "0A000", -1);
    CHECK_ERR("SELECT 1 UNION SELECT 1, 2", "42601", -1);
    CHECK_ERR("SELECT 1 UNION SELECT 'a'::text", "42804", -1);
    CHECK_ERR("SELECT *", "42601", 8);
    CHECK_ERR("SELECT row_number() OVER () FROM users WHERE row_number() OVER () > 1", "42P20", -1);
    CHECK_ERR("SELECT * FROM users ORDER BY 5", "42P10", 30);
    CHECK_ERR("SELECT 'nosuch'::regclass", "42P01", 8);
}

/* ---- gaps closed after the first integration (checked against PostgreSQL 15) ---- */

static const char *format_value(const LmType *t, const char *text)
{
    Vector v;
    vector_init(&v, arena, t, 1);
    value_parse_text(&v, arena, 0, text, strlen(text));
    StrBuf sb;
    strbuf_init(&sb, arena);
    value_format_text(&v, 0, &sb);
    return sb.data;
}

static void test_gaps(void)
{
    /* FuncDesc.resolve_ret_const: the result scale from constant arguments */
    Bound b = bind_sql("SELECT extract(year FROM timestamp '2024-03-01'), extract(epoch FROM "
                       "timestamp '2024-03-01'), round(4.567, 2)");
    expect_ok("resolve_ret_const", &b);
    if (b.plan) {
        LMT_CHECK_INT(b.plan->cols[0].type->scale, 0, "extract(year ...) has scale 0");
        LMT_CHECK_INT(b.plan->cols[1].type->scale, 6, "extract(epoch ...) has scale 6");
        LMT_CHECK_INT(b.plan->cols[2].type->scale, 2, "round(4.567, 2) has scale 2");
    }
    CHECK_ERR("SELECT concat()", "42883", 8);
    b = bind_sql("SELECT format('x')");
    expect_ok("format('x')", &b);

    /* set-returning functions in the select list: a ProjectSet under the projection */
    b = bind_sql("SELECT id, unnest(ARRAY[1, 2]), generate_series(1, id) AS g FROM users");
    expect_ok("srf", &b);
    if (b.plan) {
        LMT_CHECK(b.plan->kind == PLAN_PROJECT && b.plan->left &&
                      b.plan->left->kind == PLAN_PROJECT_SET && b.plan->left->nsrfs == 2,
                  "SRFs of the select list become one PLAN_PROJECT_SET");
        LMT_CHECK_STR(b.plan->cols[1].name, "unnest", "unnest column name");
        LMT_CHECK_STR(b.plan->cols[2].name, "g", "aliased SRF column");
        LMT_CHECK_INT(b.plan->cols[1].type->id, TYPE_INT32, "unnest(int[]) is integer");
    }
    b = bind_sql("SELECT count(*), generate_series(1, count(*)::int) FROM users");
    expect_ok("srf over aggregate", &b);
    LMT_CHECK(b.plan && b.plan->left && b.plan->left->kind == PLAN_PROJECT_SET &&
                  b.plan->left->left && b.plan->left->left->kind == PLAN_AGGREGATE,
              "the ProjectSet sits above the aggregate");
    b = bind_sql("SELECT generate_subscripts(ARRAY['a','b'], 1), regexp_split_to_table('a,b', ',')");
    expect_ok("generate_subscripts / regexp_split_to_table", &b);
    b = bind_sql("SELECT k.x, k.n FROM information_schema._pg_expandarray(ARRAY[5,6]) k");
    expect_ok("_pg_expandarray in FROM", &b);
    b = bind_sql("SELECT (information_schema._pg_expandarray(ARRAY[5,6])).n");
    expect_ok("_pg_expandarray in the select list", &b);
    b = bind_sql("SELECT option_name, option_value FROM pg_options_to_table(ARRAY['a=1'])");
    expect_ok("pg_options_to_table", &b);
    b = bind_sql("SELECT * FROM unnest(ARRAY[1], ARRAY['a']) WITH ORDINALITY");
    expect_ok("unnest of two arrays WITH ORDINALITY", &b);
    if (b.plan) {
        LMT_CHECK_INT(b.plan->ncols, 3, "unnest, unnest, ordinality");
        LMT_CHECK_STR(b.plan->cols[2].name, "ordinality", "the ordinality column");
        LMT_CHECK_INT(b.plan->cols[2].type->id, TYPE_INT64, "ordinality is bigint");
    }
    CHECK_ERR("SELECT * FROM users WHERE unnest(ARRAY[id]) = 1", "0A000", 27);
    CHECK_ERR("SELECT sum(unnest(ARRAY[1]))", "0A000", 12);
    CHECK_ERR("SELECT unnest(1)", "42883", 8);

    /* reg* types print names and parse them (common/reg_names.h, planner/reg_names.c) */
    planner_install_catalog_hooks();
    const LmType *regtype = type_with_pg_oid(arena, type_oid(), REGTYPEOID);
    const LmType *regclass = type_with_pg_oid(arena, type_oid(), REGCLASSOID);
    LMT_CHECK_STR(format_value(regtype, "23"), "integer", "regtype 23 prints integer");
    LMT_CHECK_STR(format_value(regtype, "1043"), "character varying", "regtype 1043");
    LMT_CHECK_STR(format_value(regtype, "1009"), "text[]", "regtype of text[]");
    LMT_CHECK_STR(format_value(regtype, "18"), "\"char\"", "regtype \"char\"");
    LMT_CHECK_STR(format_value(regtype, "0"), "-", "regtype 0 prints -");
    LMT_CHECK_STR(format_value(regtype, "int4"), "integer", "regtype input by name");
    LMT_CHECK_STR(format_value(regtype, "character varying[]"), "character varying[]",
                  "regtype input: SQL spelling with []");
    LMT_CHECK_STR(format_value(regclass, "1259"), "pg_class", "regclass prints the name");
    LMT_CHECK_STR(format_value(regclass, "pg_type"), "pg_type", "regclass input by name");
    LMT_CHECK_STR(format_value(regclass, "users"), "users", "a table in search_path: unqualified");
    LMT_CHECK_STR(format_value(regclass, "999999"), "999999", "unknown OIDs print as numbers");
    LMT_EXPECT_ERROR(format_value(regclass, "nosuch"), "42P01", "unknown relation name");
    LMT_EXPECT_ERROR(format_value(regtype, "nosuchtype"), "42704", "unknown type name");
    const LmType *regproc = type_with_pg_oid(arena, type_oid(), REGPROCOID);
    const LmType *regprocedure = type_with_pg_oid(arena, type_oid(), REGPROCEDUREOID);
    LMT_CHECK_STR(format_value(regproc, "now"), "now", "regproc by name");
    LMT_CHECK_STR(format_value(regproc, "1397"), "pg_catalog.abs", "overloaded names are qualified");
    LMT_CHECK_STR(format_value(regprocedure, "1397"), "abs(integer)", "regprocedure with arguments");
    LMT_CHECK_STR(format_value(type_with_pg_oid(arena, type_oid(), REGNAMESPACEOID), "11"),
                  "pg_catalog", "regnamespace");
    b = bind_sql("SELECT 'users'::regclass::oid, oid::regclass FROM pg_class");
    expect_ok("regclass relabels", &b);
    if (b.plan) {
        LMT_CHECK(type_pg_oid(b.plan->cols[0].type) == OIDOID, "regclass::oid is plain oid");
        LMT_CHECK(type_pg_oid(b.plan->cols[1].type) == REGCLASSOID, "oid::regclass is regclass");
    }
}

static void test_search_path(void)
{
    Bound b = bind_sql("SELECT * FROM public.users");
    LMT_CHECK(b.plan != NULL, "schema-qualified plain table");
    b = bind_sql("SELECT * FROM information_schema.tables");
    LMT_CHECK(b.plan != NULL, "information_schema view");
    snprintf(search_path, sizeof search_path, "laminar");
    b = bind_sql("SELECT * FROM users");
    LMT_CHECK_STR(b.state, "42P01", "a table outside search_path is not found");
    b = bind_sql("SELECT * FROM pg_class");
    LMT_CHECK(b.plan != NULL, "pg_catalog is searched implicitly");
    snprintf(search_path, sizeof search_path, "\"$user\", public");
    Arena *a = arena;
    const Relation *r = relation_lookup(&ctx, a, NULL, "orders");
    LMT_CHECK(r && r->kind == REL_PLAIN && r->npk == 1 && r->ncols == 4,
              "relation_lookup builds a plain table's relation");
    r = relation_lookup(&ctx, a, NULL, "clicks");
    LMT_CHECK(r && r->kind == REL_SOURCE && r->relkind == 'f', "source tables are relkind f");
}

static void test_explain(void)
{
    const char *sql = "EXPLAIN SELECT u.name, sum(o.amount) FROM users u JOIN orders o ON u.id = "
                      "o.user_id WHERE o.amount > 10 GROUP BY u.name ORDER BY 2 DESC LIMIT 3";
    StrBuf out;
    strbuf_init(&out, arena);
    volatile bool ok = true;
    LM_TRY();
    {
        ParsedStmtList *l = parser_parse(arena, sql);
        BindContext bc = {.ctx = &ctx, .arena = arena, .query_text = sql};
        bind_explain(&bc, l->stmts[0].pg, &out);
    }
    LM_CATCH();
    {
        lmt_diag("explain: %s", error_current()->message);
        error_clear();
        ok = false;
    }
    LM_END_TRY();
    strbuf_append_char(&out, '\0');
    LMT_CHECK(ok, "EXPLAIN binds");
    if (ok)
        lmt_diag("EXPLAIN output:\n%s", out.data);
    LMT_CHECK(ok && strncmp(out.data, "Limit\n", 6) == 0, "EXPLAIN starts with Limit");
    LMT_CHECK(ok && strstr(out.data, "  ->  Sort\n") && strstr(out.data, "Sort Key: sum DESC"),
              "Sort with its key");
    LMT_CHECK(ok && strstr(out.data, "HashAggregate") && strstr(out.data, "Group Key: name"),
              "HashAggregate with its group key");
    LMT_CHECK(ok && strstr(out.data, "Hash Join") && strstr(out.data, "Hash Cond: (id = user_id)"),
              "Hash Join with its condition");
    LMT_CHECK(ok && strstr(out.data, "Seq Scan on orders") &&
                  strstr(out.data, "Filter: (amount > "),
              "pushed-down filter shown on the scan");
}

/* ---- fuzz ---- */

static const char *corpus[] = {
    "SELECT 1",
    "SELECT * FROM users",
    "SELECT id, name FROM users WHERE age > 21 ORDER BY name LIMIT 5 OFFSET 2",
    "SELECT u.*, o.id FROM users u LEFT JOIN orders o ON o.user_id = u.id",
    "SELECT * FROM users u RIGHT JOIN orders o ON o.user_id = u.id AND o.amount > 1",
    "SELECT * FROM users u FULL JOIN orders o USING (id)",
    "SELECT * FROM users CROSS JOIN orders",
    "SELECT count(*), avg(age), min(name), max(name), bool_and(age > 1) FROM users",
    "SELECT name, count(*) FROM users GROUP BY name HAVING count(*) > 2",
    "SELECT string_agg(name, ',' ORDER BY name) FROM users",
    "SELECT DISTINCT age FROM users",
    "SELECT DISTINCT ON (age) age FROM users",
    "SELECT age FROM users UNION ALL SELECT 1 INTERSECT SELECT 2 EXCEPT SELECT 3",
    "WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) SELECT * FROM a, b",
    "WITH a(x, y) AS (VALUES (1, 2)) SELECT x, y FROM a",
    "VALUES (1, 'a'), (2, NULL) ORDER BY 1 DESC LIMIT 1",
    "SELECT * FROM generate_series(1, 3) AS g(n) WHERE n > 1",
    "SELECT * FROM generate_series('2024-01-01'::timestamp, '2024-01-02', '1 hour')",
    "SELECT * FROM unnest(ARRAY[1, 2, 3]) u",
    "SELECT rank() OVER w, dense_rank() OVER (ORDER BY age) FROM users WINDOW w AS (ORDER BY id)",
    "SELECT sum(age) OVER (PARTITION BY name) FROM users",
    "SELECT sum(age) OVER (ORDER BY id) FROM users",
    "SELECT lag(age) OVER () FROM users",
    "SELECT * FROM users WHERE id NOT IN (SELECT user_id FROM orders WHERE user_id IS NOT NULL)",
    "SELECT * FROM users WHERE age > ALL (SELECT 1)",
    "SELECT * FROM users WHERE age < ANY (ARRAY[1, 2])",
    "SELECT ARRAY(SELECT id FROM users)",
    "SELECT (SELECT name FROM users WHERE id = o.user_id) FROM orders o",
    "SELECT * FROM (SELECT id FROM users) s JOIN (SELECT user_id FROM orders) t ON s.id = "
    "t.user_id",
    "SELECT * FROM (SELECT 1) AS s(a) WHERE a = 1",
    "SELECT CASE age WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END FROM users",
    "SELECT COALESCE(name, 'x'), GREATEST(1, 2, 3), LEAST(1.5, 2) FROM users",
    "SELECT current_user, session_user, current_schema, current_catalog, localtimestamp",
    "SELECT extract(year FROM now()), date_trunc('day', now()), substring('abc' FROM 1 FOR 2)",
    "SELECT position('b' IN 'abc'), trim(both ' ' FROM ' a '), 'a' SIMILAR TO 'a%'",
    "SELECT '{\"a\":1}'::json -> 'a', '{\"a\":1}'::json ->> 'a', '{}'::jsonb #>> '{a}'",
    "SELECT (ARRAY[1, 2])[1], ROW(1, 'a'), (ROW(1, 2)).f1",
    "SELECT 1 IS NOT DISTINCT FROM 2, NOT true, true IS NOT FALSE, NULL IS UNKNOWN",
    "SELECT x FROM users",
    "SELECT users.x FROM users",
    "SELECT * FROM users WHERE name",
    "SELECT $1 + $2, $3 || 'x'",
    "SELECT * FROM users WHERE id = ANY($1)",
    "SELECT 'a' = 'b', 'a' < 'b', '1' + 2",
    "SELECT 1/0, -age, +age, @age FROM users",
    "INSERT INTO users VALUES (1, 'a', 2), (3, DEFAULT, DEFAULT) RETURNING id, age * 2 AS dbl",
    "INSERT INTO users DEFAULT VALUES",
    "INSERT INTO users (name) SELECT name FROM users WHERE false",
    "INSERT INTO orders VALUES (1, 2, 3.5, now()) ON CONFLICT (id) DO UPDATE SET amount = "
    "orders.amount + excluded.amount",
    "INSERT INTO clicks VALUES (1, 'x')",
    "UPDATE users SET (name, age) = ('a', 1) WHERE id = 1",
    "UPDATE users u SET age = u.age + 1 RETURNING *",
    "DELETE FROM users USING orders WHERE orders.user_id = users.id",
    "DELETE FROM users WHERE id IN (SELECT user_id FROM orders) RETURNING name",
    "SELECT * FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid",
    "SELECT c.oid::regclass, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a JOIN "
    "pg_class c ON a.attrelid = c.oid",
    "SELECT n.nspname FROM pg_namespace n WHERE n.nspname !~ '^pg_' ORDER BY 1",
    "SELECT * FROM laminar.connectors",
    "SELECT 'users'::regclass, 'int4'::regtype, 'pg_catalog'::regnamespace",
    "SELECT * FROM users ORDER BY name NULLS FIRST, age DESC NULLS LAST",
    "SELECT * FROM users FETCH FIRST 3 ROWS ONLY",
    "SELECT * FROM users OFFSET 1 ROWS FETCH NEXT 2 ROWS WITH TIES",
    "SELECT * FROM users TABLESAMPLE SYSTEM (10)",
    "SELECT count(*) FROM users GROUP BY ROLLUP (name)",
    "SELECT * INTO newt FROM users",
    "SELECT name COLLATE \"C\" FROM users ORDER BY 1",
    "SELECT age::text::int::bigint::numeric(10,2)::float8 FROM users",
    "SELECT interval '1 day' + now(), date '2024-01-01' + 1, time '10:00'",
    "SELECT * FROM users a JOIN users b ON a.id = b.id JOIN users c ON c.id = a.id",
    "SELECT * FROM (users JOIN orders ON users.id = orders.user_id) AS j",
    "SELECT * FROM users, orders WHERE users.id = orders.user_id OR users.age = 1",
    "SELECT EXISTS (SELECT 1), (SELECT 1, 2)",
    "SELECT count(*) OVER (), row_number() OVER (PARTITION BY age) FROM users GROUP BY age",
    "SELECT 1 FROM users HAVING count(*) > 0",
    "SELECT array_agg(id ORDER BY id DESC) FILTER (WHERE id > 0) FROM users",
    "SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE EXISTS (SELECT 1 FROM "
    "orders p WHERE p.id = u.id AND p.user_id = o.id))",
};

static void fuzz(void)
{
    int n = (int)LM_ARRAY_LEN(corpus), bound = 0, errors = 0, crashes = 0;
    char buf[2048];
    const char *swaps[][2] = {{"users", "orders"}, {"orders", "pg_class"}, {"id", "name"},
                              {"age", "ts"},       {"1", "'x'"},           {"name", "amount"}};
    for (int i = 0; i < n; i++) {
        const char *sql = corpus[i];
        size_t len = strlen(sql);
        /* the statement, then every prefix ending at a space, then names swapped */
        for (size_t cut = 0; cut <= len; cut++) {
            if (cut < len && sql[cut] != ' ')
                continue;
            snprintf(buf, sizeof buf, "%.*s", (int)cut, sql);
            Bound b = bind_sql(buf);
            if (b.plan)
                bound++;
            else if (b.state[0])
                errors++;
            else
                crashes++;
            if (b.plan) { /* EXPLAIN every plan that binds */
                StrBuf out;
                strbuf_init(&out, arena);
                plan_explain(b.plan, &out);
            }
        }
        for (size_t s = 0; s < LM_ARRAY_LEN(swaps); s++) {
            const char *from = swaps[s][0], *to = swaps[s][1];
            const char *p = strstr(sql, from);
            if (p == NULL)
                continue;
            snprintf(buf, sizeof buf, "%.*s%s%s", (int)(p - sql), sql, to, p + strlen(from));
            Bound b = bind_sql(buf);
            if (b.plan)
                bound++;
            else if (b.state[0])
                errors++;
            else
                crashes++;
        }
        arena_reset(arena);
    }
    /* token splicing: a word of one statement replaced by a word of another (fixed seed) */
    int rounds = getenv("BINDER_FUZZ_ROUNDS") ? atoi(getenv("BINDER_FUZZ_ROUNDS")) : 3000;
    unsigned seed = 12345;
    for (int r = 0; r < rounds; r++) {
        seed = seed * 1103515245u + 12345u;
        const char *a = corpus[(seed >> 8) % (unsigned)n];
        seed = seed * 1103515245u + 12345u;
        const char *donor = corpus[(seed >> 8) % (unsigned)n];
        /* pick the k-th space-separated word of each */
        const char *aw[64], *dw[64];
        int an = 0, dn = 0;
        for (const char *p = a; *p && an < 64; p++)
            if (p == a || p[-1] == ' ')
                aw[an++] = p;
        for (const char *p = donor; *p && dn < 64; p++)
            if (p == donor || p[-1] == ' ')
                dw[dn++] = p;
        seed = seed * 1103515245u + 12345u;
        int ai = (int)((seed >> 8) % (unsigned)an);
        seed = seed * 1103515245u + 12345u;
        int di = (int)((seed >> 8) % (unsigned)dn);
        size_t alen = strcspn(aw[ai], " "), dlen = strcspn(dw[di], " ");
        snprintf(buf, sizeof buf, "%.*s%.*s%s", (int)(aw[ai] - a), a, (int)dlen, dw[di],
                 aw[ai] + alen);
        Bound b = bind_sql(buf);
        if (b.plan) {
            bound++;
            StrBuf out;
            strbuf_init(&out, arena);
            plan_explain(b.plan, &out);
        } else if (b.state[0])
            errors++;
        else
            crashes++;
        if (r % 200 == 199)
            arena_reset(arena);
    }
    lmt_diag("fuzz: %d bound, %d errors", bound, errors);
    LMT_CHECK(crashes == 0, "fuzz: every statement binds or raises an SQLSTATE");
    /* the full statements of the corpus that should bind */
    int full_ok = 0;
    for (int i = 0; i < n; i++) {
        Bound b = bind_sql(corpus[i]);
        if (b.plan)
            full_ok++;
        else if (getenv("BINDER_VERBOSE"))
            lmt_diag("%s -> %s %s", corpus[i], b.state, b.message);
    }
    lmt_diag("corpus: %d of %d statements bind", full_ok, n);
    LMT_CHECK(full_ok >= n / 2, "most of the corpus binds");
}

int main(void)
{
    char datadir[] = "/tmp/lm_test_binder_XXXXXX";
    if (mkdtemp(datadir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    arena = arena_create("test_binder", NULL);
    Storage *st = storage_open(datadir);
    catalog_init(st, "laminar");
    svc.user = "laminar";
    svc.database = "laminar";
    svc.get_setting = get_setting;
    ctx.arena = arena;
    ctx.svc = &svc;
    ctx.storage = st;
    create_tables();

    test_select_shapes();
    test_names_and_types();
    test_params();
    test_modify();
    test_errors();
    test_search_path();
    test_explain();
    test_gaps();
    fuzz();

    catalog_shutdown();
    storage_close(st);
    arena_destroy(arena);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", datadir);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", datadir);
    return lmt_done();
}
