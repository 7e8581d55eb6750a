/*
 * pipelines.c: CREATE / START / STOP / DROP / EXPLAIN PIPELINE.
 *
 * CREATE validates everything before anything is written: the WITH options
 * (names, ranges, durations, sizes), then the body — an INSERT INTO a sink
 * or plain table SELECT ... — bound by the ordinary binder with stream
 * targets allowed (unknown columns, type mismatches against the target:
 * 42703 / 42804 with positions into the client's text, which the parser kept
 * original for the body), then the stream planner's check (e.g. a
 * non-windowed aggregate into an append-only sink).  The pipeline records
 * the body as written and the ids of the tables it reads and writes, so
 * those tables cannot be dropped under it.  Definitions are transactional
 * (catalog_txn.c); START and STOP act on running jobs and so refuse to run
 * inside a transaction block (25001), as PostgreSQL's CREATE DATABASE does.
 *
 * START binds the stored body again (catalog changes since CREATE count) and
 * hands it to the job manager (jobs.c), which creates the job.  PostgreSQL
 * has no such statement; START returns one row (job_id) with the tag
 * "START PIPELINE".
 *
 * DROP removes the pipeline's jobs' runtime data (operator state, positions,
 * checkpoint and error records, staged sink data: stream_job_forget) only
 * once the drop commits (ctx_after_commit): a rolled-back DROP keeps it.
 *
 * States: created -> starting -> running -> stopping -> stopped, or failed.
 * A job whose sources are bounded ends "completed"; its pipeline then goes
 * to "stopped" (seed 001 has no "completed" pipeline state), and can be
 * started again (a new job, from scratch).
 */
#include "server/pipelines.h"
#include "connectors/connector.h"
#include "executor/stream.h"
#include "planner/bind.h"
#include "planner/relation.h"
#include "planner/stream_plan.h"
#include "server/catalog_txn.h"
#include "server/config.h"
#include "server/jobs.h"
#include "server/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PIPELINE_MAX_PARALLELISM 64
#define DEFAULT_CHECKPOINT_INTERVAL "10 seconds"
#define DEFAULT_CHECKPOINT_INTERVAL_MS 10000
#define DEFAULT_MEMORY_LIMIT "1GB"

static const char *const valid_options[] = {"parallelism", "checkpoint_interval", "emit",
                                            "late_data",   "memory_limit",        NULL};

/* ---- options ---- */

static void LM_NORETURN bad_value(const StmtOption *o, const char *hint)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
            errmsg("invalid value for option \"%s\": \"%s\"", o->name, o->value),
            errhint("%s", hint), errposition(o->value_location + 1));
}

/* Fills the option fields of p from the statement (defaults for those not given). */
static void parse_options(Arena *a, const ParsedStmt *st, CatPipeline *p)
{
    p->parallelism = 1;
    p->checkpoint_interval = arena_strdup(a, DEFAULT_CHECKPOINT_INTERVAL);
    p->checkpoint_interval_ms = DEFAULT_CHECKPOINT_INTERVAL_MS;
    p->emit = arena_strdup(a, "on_window_close");
    p->late_data = arena_strdup(a, "drop");
    p->memory_limit_text = arena_strdup(a, DEFAULT_MEMORY_LIMIT);
    if (!connector_parse_size(DEFAULT_MEMORY_LIMIT, &p->memory_limit))
        p->memory_limit = (int64)1 << 30;

    for (int i = 0; i < st->noptions; i++) {
        const StmtOption *o = &st->options[i];
        int which = -1;
        for (int k = 0; valid_options[k]; k++)
            if (strcmp(o->name, valid_options[k]) == 0)
                which = k;
        if (which < 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"%s\" is not valid for pipelines", o->name),
                    errdetail("Valid options are: parallelism, checkpoint_interval, emit, "
                              "late_data, memory_limit."),
                    errposition(o->location + 1));
        for (int j = 0; j < i; j++)
            if (strcmp(st->options[j].name, o->name) == 0)
                ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                        errmsg("conflicting or redundant options"),
                        errdetail("Option \"%s\" is given more than once.", o->name),
                        errposition(o->location + 1));
        if (o->kind == OPTVAL_SECRET)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"%s\" cannot take a secret", o->name),
                    errposition(o->value_location + 1));
        switch (which) {
        case 0: { /* parallelism */
            char *end = NULL;
            long v = strtol(o->value, &end, 10);
            if (end == o->value || *end != '\0')
                bad_value(o, "Give a whole number of parallel subtasks, e.g. 2.");
            if (v < 1 || v > PIPELINE_MAX_PARALLELISM)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("parallelism must be between 1 and %d", PIPELINE_MAX_PARALLELISM),
                        errposition(o->value_location + 1));
            p->parallelism = (int)v;
            break;
        }
        case 1: { /* checkpoint_interval */
            int64 ms;
            if (!connector_parse_duration_ms(o->value, &ms))
                bad_value(o, "Give a duration such as '10 seconds', '500ms' or '1 minute'.");
            if (ms <= 0)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("checkpoint_interval must be greater than zero"),
                        errposition(o->value_location + 1));
            p->checkpoint_interval = arena_strdup(a, o->value);
            p->checkpoint_interval_ms = ms;
            break;
        }
        case 2: /* emit */
            if (strcasecmp(o->value, "on_window_close") != 0 &&
                strcasecmp(o->value, "on_update") != 0)
                bad_value(o, "Valid values are: on_window_close, on_update.");
            p->emit = arena_strdup(a, strcasecmp(o->value, "on_update") == 0 ? "on_update"
                                                                             : "on_window_close");
            break;
        case 3: /* late_data */
            if (strcasecmp(o->value, "drop") != 0 && strcasecmp(o->value, "error") != 0)
                bad_value(o, "Valid values are: drop, error.");
            p->late_data = arena_strdup(a, strcasecmp(o->value, "error") == 0 ? "error" : "drop");
            break;
        case 4: { /* memory_limit */
            int64 bytes;
            if (!connector_parse_size(o->value, &bytes))
                bad_value(o, "Give a size such as '512MB' or '1GB'.");
            if (bytes <= 0)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("memory_limit must be greater than zero"),
                        errposition(o->value_location + 1));
            p->memory_limit = bytes;
            p->memory_limit_text = arena_strdup(a, o->value);
            break;
        }
        default:
            elog(ERROR, "unrecognized pipeline option %d", which);
        }
    }
}

/* ---- binding ---- */

static EmitMode emit_mode(const char *emit)
{
    return emit && strcmp(emit, "on_update") == 0 ? EMIT_ON_UPDATE : EMIT_ON_WINDOW_CLOSE;
}

static PlanNode *bind_body(ExecContext *ctx, Arena *a, const char *text, PgQuery__Node *body)
{
    BindContext bc = {0};
    bc.ctx = ctx;
    bc.arena = a;
    bc.query_text = text;
    bc.allow_stream_targets = true;
    PlanNode *plan = bind_statement(&bc, body);
    if (plan->kind != PLAN_INSERT)
        elog(ERROR, "the body of a pipeline did not bind to an INSERT");
    if (plan->nreturning > 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("RETURNING is not allowed in a pipeline"),
                errposition(body->insert_stmt && body->insert_stmt->n_returning_list
                                ? body->insert_stmt->returning_list[0]->res_target->location + 1
                                : 0));
    if (bc.nparams > 0)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_PARAMETER), errmsg("there is no parameter $1"),
                errdetail("A pipeline's query cannot take parameters."));
    return plan;
}

/* Services of a job's binding: no session, so no settings (search_path is the default). */
static const char *job_get_setting(void *session, const char *name, bool missing_ok)
{
    (void)session;
    if (!missing_ok)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("unrecognized configuration parameter \"%s\"", name));
    return NULL;
}

static ExecContext *job_context(Arena *a)
{
    SessionServices *svc = arena_new(a, SessionServices);
    svc->user =
        server_config && server_config->bootstrap_user ? server_config->bootstrap_user : "laminar";
    svc->database = "laminar";
    svc->get_setting = job_get_setting;
    ExecContext *ctx = arena_new(a, ExecContext);
    ctx->arena = a;
    ctx->svc = svc;
    ctx->statement_timestamp = ctx->transaction_timestamp = catalog_now();
    ctx->storage = catalog_storage();
    return ctx;
}

/* Parses a stored body (an INSERT statement). */
static PgQuery__Node *parse_stored(Arena *a, const CatPipeline *p)
{
    ParsedStmtList *list = parser_parse(a, p->query);
    if (list->count != 1 || list->stmts[0].kind != STMT_PG ||
        list->stmts[0].pg->node_case != PG_QUERY__NODE__NODE_INSERT_STMT)
        ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
                errmsg("the stored query of pipeline \"%s\" is not an INSERT statement", p->name));
    return list->stmts[0].pg;
}

/* Binds p's stored body with ctx (and checks it can run as a stream when check); errors lose
 * their position and name the pipeline. */
static PlanNode *bind_stored_with(Arena *a, const CatPipeline *p, ExecContext *ctx, bool check)
{
    PlanNode *volatile plan = NULL;
    LM_TRY();
    {
        PgQuery__Node *body = parse_stored(a, p);
        plan = bind_body(ctx, a, p->query, body);
        if (check)
            stream_plan_check_emit(a, plan, emit_mode(p->emit));
    }
    LM_CATCH();
    {
        ErrorData *e = error_copy(a, error_current());
        error_clear();
        if (e->position > 0 && e->position <= (int)strlen(p->query) + 1) {
            /* point at the spot inside the stored query in the context line instead */
            const char *at = p->query + e->position - 1;
            e->context =
                arena_printf(a, "query of pipeline \"%s\", at or near \"%.20s\"", p->name, at);
        } else
            e->context = arena_printf(a, "query of pipeline \"%s\"", p->name);
        e->position = 0;
        error_throw(e);
    }
    LM_END_TRY();
    return plan;
}

PlanNode *pipelines_bind_stored(Arena *a, const CatPipeline *p)
{
    return bind_stored_with(a, p, job_context(a), false);
}

/* ---- dependencies: the tables a plan reads or writes ---- */

typedef struct DepList {
    Arena *a;
    int n, cap;
    char **ids;
} DepList;

static void add_dep(DepList *d, const Relation *rel)
{
    if (rel == NULL || rel->table == NULL || rel->table->id == NULL)
        return;
    for (int i = 0; i < d->n; i++)
        if (strcmp(d->ids[i], rel->table->id) == 0)
            return;
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 8;
        d->ids = arena_realloc(d->a, d->ids, sizeof(char *) * (size_t)d->cap,
                               sizeof(char *) * (size_t)cap);
        d->cap = cap;
    }
    d->ids[d->n++] = arena_strdup(d->a, rel->table->id);
}

static void plan_deps(DepList *d, const PlanNode *p, int depth);

static void expr_deps(DepList *d, const Expr *e, int depth)
{
    if (e == NULL || depth > PARSER_MAX_TREE_DEPTH)
        return;
    for (int i = 0; i < e->nargs; i++)
        expr_deps(d, e->args[i], depth + 1);
    if (e->kind == EXPR_SUBQUERY)
        plan_deps(d, e->subplan, depth + 1);
}

static void exprs_deps(DepList *d, Expr *const *list, int n, int depth)
{
    for (int i = 0; list && i < n; i++)
        expr_deps(d, list[i], depth);
}

static void agg_deps(DepList *d, const AggCall *ag, int depth)
{
    exprs_deps(d, ag->args, ag->nargs, depth);
    expr_deps(d, ag->filter, depth);
    for (int k = 0; k < ag->norder; k++)
        expr_deps(d, ag->order[k].expr, depth);
}

static void plan_deps(DepList *d, const PlanNode *p, int depth)
{
    if (p == NULL || depth > PARSER_MAX_TREE_DEPTH)
        return;
    if (p->kind == PLAN_SCAN)
        add_dep(d, p->rel);
    if (p->kind == PLAN_INSERT || p->kind == PLAN_UPDATE || p->kind == PLAN_DELETE)
        add_dep(d, p->target);
    expr_deps(d, p->predicate, depth + 1);
    expr_deps(d, p->residual, depth + 1);
    exprs_deps(d, p->exprs, p->nexprs, depth + 1);
    exprs_deps(d, p->groups, p->ngroups, depth + 1);
    exprs_deps(d, p->left_keys, p->nkeys, depth + 1);
    exprs_deps(d, p->right_keys, p->nkeys, depth + 1);
    exprs_deps(d, p->func_args, p->nfunc_args, depth + 1);
    exprs_deps(d, p->returning, p->nreturning, depth + 1);
    exprs_deps(d, p->set_exprs, p->nset, depth + 1);
    exprs_deps(d, p->conflict_set_exprs, p->nconflict_set, depth + 1);
    expr_deps(d, p->conflict_where, depth + 1);
    expr_deps(d, p->limit, depth + 1);
    expr_deps(d, p->offset, depth + 1);
    expr_deps(d, p->gwindow.time, depth + 1);
    for (int r = 0; p->rows && r < p->nrows; r++)
        exprs_deps(d, p->rows[r], p->ncols, depth + 1);
    for (int i = 0; p->aggs && i < p->naggs; i++)
        agg_deps(d, &p->aggs[i], depth + 1);
    for (int i = 0; p->sort && i < p->nsort; i++)
        expr_deps(d, p->sort[i].expr, depth + 1);
    for (int i = 0; p->windows && i < p->nwindows; i++) {
        const WindowCall *w = &p->windows[i];
        agg_deps(d, &w->agg, depth + 1);
        exprs_deps(d, w->partition, w->npartition, depth + 1);
        for (int k = 0; k < w->norder; k++)
            expr_deps(d, w->order[k].expr, depth + 1);
    }
    plan_deps(d, p->left, depth + 1);
    plan_deps(d, p->right, depth + 1);
}

/* ---- CREATE PIPELINE ---- */

static void create_pipeline(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    snprintf(tag, 64, "CREATE PIPELINE");
    CatPipeline p = {0};
    parse_options(a, st, &p);
    if (ctx_get_pipeline(s, a, st->name)) {
        if (st->if_not_exists) {
            ereport(NOTICE, errcode(ERRCODE_DUPLICATE_OBJECT),
                    errmsg("pipeline \"%s\" already exists, skipping", st->name));
            return;
        }
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                errmsg("pipeline \"%s\" already exists", st->name),
                errposition(st->name_location + 1));
    }
    if (st->body == NULL || st->body_text == NULL)
        elog(ERROR, "CREATE PIPELINE without a body");

    PlanNode *plan = bind_body(query_context(s, a), a, st->text, st->body);
    stream_plan_check_emit(a, plan, emit_mode(p.emit));

    DepList deps = {.a = a};
    plan_deps(&deps, plan, 0);

    p.id = catalog_new_id(a, "pl_");
    p.name = arena_strdup(a, st->name);
    p.query = arena_strdup(a, st->body_text);
    p.ndeps = deps.n;
    p.deps = deps.ids;
    p.state = PIPELINE_CREATED;
    p.created_at = p.updated_at = catalog_now();
    ctx_create_pipeline(s, &p);
}

/* ---- START / STOP ---- */

static void no_transaction_block(Session *s, const char *what)
{
    if (s->txn != TXN_IDLE)
        ereport(ERROR, errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
                errmsg("%s cannot run inside a transaction block", what));
}

static CatPipeline *committed_pipeline(Arena *a, const ParsedStmt *st)
{
    CatPipeline *p = catalog_get_pipeline(a, st->name);
    if (p == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("pipeline \"%s\" does not exist", st->name),
                errposition(st->name_location + 1));
    return p;
}

static bool is_active(const CatPipeline *p)
{
    return p->state == PIPELINE_STARTING || p->state == PIPELINE_RUNNING ||
           p->state == PIPELINE_STOPPING;
}

static ResultSet *start_shape(Arena *a)
{
    ResultSet *rs = result_create(a, 1);
    result_column(rs, 0, "job_id", type_string());
    return rs;
}

static ResultSet *explain_shape(Arena *a)
{
    ResultSet *rs = result_create(a, 1);
    result_column(rs, 0, "QUERY PLAN", type_string());
    return rs;
}

static ResultSet *start_pipeline(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    snprintf(tag, 64, "START PIPELINE");
    no_transaction_block(s, "START PIPELINE");
    jobs_sweep();
    CatPipeline *p = committed_pipeline(a, st);
    if (is_active(p))
        ereport(ERROR, errcode(ERRCODE_OBJECT_IN_USE),
                errmsg("pipeline \"%s\" is already running", p->name),
                errdetail("Job %s is %s.", p->job_id ? p->job_id : "(none)",
                          catalog_pipeline_state_name(p->state)),
                errposition(st->name_location + 1));
    /* Check first that the body still binds and plans (tables may have changed since CREATE):
     * a pipeline that cannot run gets no job. */
    bind_stored_with(a, p, job_context(a), true);
    const char *job_id = jobs_start_pipeline(a, p);
    ResultSet *rs = start_shape(a);
    result_add_row(rs);
    result_set_text(rs, 0, job_id);
    return rs;
}

static void stop_pipeline(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    snprintf(tag, 64, "STOP PIPELINE");
    no_transaction_block(s, "STOP PIPELINE");
    jobs_sweep();
    CatPipeline *p = committed_pipeline(a, st);
    if (!is_active(p))
        ereport(ERROR, errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                errmsg("pipeline \"%s\" is not running", p->name),
                errdetail("Its state is %s.", catalog_pipeline_state_name(p->state)),
                errposition(st->name_location + 1));
    jobs_stop_pipeline(p);
}

/* ---- DROP ---- */

/* Checks one name; returns the pipeline to drop or NULL (missing, IF EXISTS). */
static CatPipeline *check_drop(Session *s, Arena *a, const ParsedStmt *st, const char *name,
                               int location, bool notice)
{
    CatPipeline *p = ctx_get_pipeline(s, a, name);
    if (p == NULL) {
        if (st->if_exists) {
            if (notice)
                ereport(NOTICE, errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("pipeline \"%s\" does not exist, skipping", name));
            return NULL;
        }
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("pipeline \"%s\" does not exist", name), errposition(location + 1));
    }
    if (is_active(p) || jobs_pipeline_has_live_job(p->id))
        ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                errmsg("cannot drop pipeline \"%s\" while it is running", p->name),
                errhint("Stop it first with STOP PIPELINE %s.", p->name),
                errposition(location + 1));
    return p;
}

static void forget_job(const char *job_id)
{
    stream_job_forget(catalog_storage(), job_id);
}

/* Drops p (queued in a block) and, once that commits, its jobs' runtime data. */
static void drop_pipeline(Session *s, Arena *a, const CatPipeline *p)
{
    int n;
    CatJob *jobs = catalog_list_jobs(a, &n); /* committed jobs: a queued pipeline has none */
    ctx_drop_pipeline(s, p->name);
    for (int i = 0; i < n; i++)
        if (jobs[i].pipeline_id && strcmp(jobs[i].pipeline_id, p->id) == 0)
            ctx_after_commit(s, forget_job, jobs[i].id);
}

static void drop_pipelines(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    snprintf(tag, 64, "DROP PIPELINE");
    int n = st->nnames > 0 ? st->nnames : 1;
    /* every name is checked before anything is dropped: an error drops nothing */
    for (int i = 0; i < n; i++)
        check_drop(s, a, st, st->nnames > 0 ? st->names[i] : st->name,
                   st->nnames > 0 ? st->name_locations[i] : st->name_location, false);
    jobs_sweep(); /* final counters of finished jobs are recorded before their records go */
    for (int i = 0; i < n; i++) {
        CatPipeline *p =
            check_drop(s, a, st, st->nnames > 0 ? st->names[i] : st->name,
                       st->nnames > 0 ? st->name_locations[i] : st->name_location, true);
        if (p)
            drop_pipeline(s, a, p);
    }
}

/* ---- EXPLAIN PIPELINE ---- */

static ResultSet *explain_pipeline(Session *s, Arena *a, const ParsedStmt *st, char tag[64])
{
    snprintf(tag, 64, "EXPLAIN");
    CatPipeline *p = ctx_get_pipeline(s, a, st->name);
    if (p == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("pipeline \"%s\" does not exist", st->name),
                errposition(st->name_location + 1));
    PlanNode *plan = bind_stored_with(a, p, query_context(s, a), false);
    StrBuf out;
    strbuf_init(&out, a);
    stream_explain(a, plan, p->parallelism, &out);
    ResultSet *rs = explain_shape(a);
    char *copy = arena_strdup(a, out.data ? out.data : "");
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        result_add_row(rs);
        result_set_text(rs, 0, line);
    }
    return rs;
}

/* ---- shared ---- */

void pipelines_check_table_unused(Session *s, Arena *a, const CatTable *t)
{
    int n;
    CatPipeline *ps = ctx_list_pipelines(s, a, &n);
    StrBuf deps;
    strbuf_init(&deps, a);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < ps[i].ndeps; k++)
            if (strcmp(ps[i].deps[k], t->id) == 0) {
                strbuf_printf(&deps, "%spipeline %s depends on %s %s", deps.len ? "\n" : "",
                              ps[i].name, catalog_table_kind_word(t->kind), t->name);
                break;
            }
    if (deps.len)
        ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                errmsg("cannot drop %s %s because other objects depend on it",
                       catalog_table_kind_word(t->kind), t->name),
                errdetail("%s", deps.data), errhint("Drop the dependent pipelines first."));
}

char *pipelines_show_create(Arena *a, const CatPipeline *p)
{
    StrBuf b;
    strbuf_init(&b, a);
    strbuf_append_str(&b, "CREATE PIPELINE ");
    strbuf_append_sql_ident(&b, p->name);
    strbuf_printf(&b, " WITH (\n    parallelism = %d,\n    checkpoint_interval = ", p->parallelism);
    strbuf_append_sql_literal(&b, p->checkpoint_interval ? p->checkpoint_interval
                                                         : DEFAULT_CHECKPOINT_INTERVAL);
    strbuf_append_str(&b, ",\n    emit = ");
    strbuf_append_sql_literal(&b, p->emit ? p->emit : "on_window_close");
    strbuf_append_str(&b, ",\n    late_data = ");
    strbuf_append_sql_literal(&b, p->late_data ? p->late_data : "drop");
    strbuf_append_str(&b, ",\n    memory_limit = ");
    strbuf_append_sql_literal(&b,
                              p->memory_limit_text ? p->memory_limit_text : DEFAULT_MEMORY_LIMIT);
    strbuf_append_str(&b, "\n) AS\n");
    strbuf_append_str(&b, p->query);
    strbuf_append_char(&b, ';');
    return b.data;
}

ResultSet *pipelines_result_shape(Arena *a, const ParsedStmt *st)
{
    switch (st->kind) {
    case STMT_START_PIPELINE:
        return start_shape(a);
    case STMT_EXPLAIN_PIPELINE:
        return explain_shape(a);
    default:
        return NULL;
    }
}

void pipelines_execute(Session *s, Arena *a, const ParsedStmt *st, ResultSet **rs, char tag[64])
{
    *rs = NULL;
    switch (st->kind) {
    case STMT_CREATE_PIPELINE:
        create_pipeline(s, a, st, tag);
        return;
    case STMT_START_PIPELINE:
        *rs = start_pipeline(s, a, st, tag);
        return;
    case STMT_STOP_PIPELINE:
        stop_pipeline(s, a, st, tag);
        return;
    case STMT_DROP_PIPELINE:
        drop_pipelines(s, a, st, tag);
        return;
    case STMT_EXPLAIN_PIPELINE:
        *rs = explain_pipeline(s, a, st, tag);
        return;
    default:
        elog(ERROR, "unrecognized pipeline statement kind %d", (int)st->kind);
    }
}
