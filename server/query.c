/*
 * query.c: planned statements for a session (see query.h).
 *
 * A QueryPlan is bound once per Parse (or per simple-query statement) and
 * kept with the prepared statement; it is bound again when the catalog has
 * changed since (a table dropped or altered).  A QueryRun opens the operator
 * tree and pulls batches from it as the client fetches: at most one batch is
 * held between two Execute messages.  Data-modifying statements run to the
 * end on their first fetch (their RETURNING rows are kept in a RowSet), as
 * PostgreSQL does, so a row limit never leaves a statement half applied.
 */
#include "server/query.h"
#include "common/log.h"
#include "executor/expr.h"
#include "planner/bind.h"
#include "server/advisory.h"
#include "server/catalog_txn.h"
#include "server/guc.h"
#include "server/jobs.h"
#include "server/txn.h"
#include "storage/catalog.h"

#include <stdio.h>

struct QueryRun {
    Session *session;
    QueryPlan *qp;
    ExecContext *ctx;
    Operator *root;
    bool opened;
    bool done;
    /* rows of a batch received from the operator tree but not yet sent */
    Batch *pending;
    int pending_pos; /* index into the batch's live rows */
    /* DML: the RETURNING rows, produced in full on the first fetch */
    RowSet *returning;
    int ret_batch;
    int ret_row;
    /* EXPLAIN */
    char **lines;
    int nlines;
    int next_line;
};

/* ---- session services ---- */

static const char *svc_get_setting(void *session, const char *name, bool missing_ok)
{
    return guc_get(session, name, missing_ok);
}

static void svc_set_setting(void *session, const char *name, const char *value, bool is_local)
{
    guc_set(session, name, value, is_local ? GUC_SCOPE_LOCAL : GUC_SCOPE_SESSION);
}

static bool svc_iter_settings(void *session, int index, const char **name, const char **value,
                              const char **description)
{
    return guc_iter(session, index, name, value, description);
}

static CatTable *svc_list_tables(void *session, Arena *a, int *n)
{
    return ctx_list_tables(session, a, n);
}

static CatTable *svc_get_table(void *session, Arena *a, const char *schema, const char *name)
{
    return ctx_get_table_in(session, a, schema, name);
}

static CatProfile *svc_list_profiles(void *session, Arena *a, int *n)
{
    return ctx_list_profiles(session, a, n);
}

static CatSecret *svc_list_secrets(void *session, Arena *a, int *n)
{
    return ctx_list_secrets(session, a, n);
}

static CatPipeline *svc_list_pipelines(void *session, Arena *a, int *n)
{
    return ctx_list_pipelines(session, a, n);
}

static CatJob *svc_list_jobs(void *session, Arena *a, int *n)
{
    (void)session;
    return jobs_list(a, n);
}

static int svc_job_metrics(void *session, Arena *a, const char ***job_ids, OperatorMetrics **out)
{
    (void)session;
    return jobs_metrics(a, job_ids, out);
}

static int svc_job_output(void *session, Arena *a, const char ***job_ids, JobOutputRecord **out)
{
    (void)session;
    return jobs_output(a, job_ids, out);
}

static int svc_job_errors(void *session, Arena *a, const char *job_id, JobErrorRecord **out)
{
    (void)session;
    return stream_job_errors(catalog_storage(), a, job_id, out);
}

static int svc_job_checkpoints(void *session, Arena *a, const char *job_id, CheckpointRecord **out)
{
    (void)session;
    return stream_job_checkpoints(catalog_storage(), a, job_id, out);
}

static bool svc_iter_prepared(void *session, Arena *a, int index, const char **name,
                              const char **statement, int64 *prepare_time, int *nparams,
                              Oid **param_types, bool *from_sql)
{
    Session *s = session;
    PreparedStmt *p = NULL;
    if (s->stmt_iter == NULL ||
        !s->stmt_iter(s, index, name, statement, prepare_time, from_sql, &p))
        return false;
    int n = sql_prepared_nparams(p);
    Oid *types = arena_new_array(a, Oid, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        types[i] = sql_prepared_param_type(p, i);
    *nparams = n;
    *param_types = types;
    return true;
}

extern int64 laminard_start_time;

const SessionServices *query_services(Session *s)
{
    if (s->services)
        return s->services;
    SessionServices *svc = arena_new(s->arena, SessionServices);
    svc->session = s;
    svc->user = s->user;
    svc->database = s->database;
    svc->backend_pid = s->backend_pid;
    svc->is_superuser = s->is_superuser;
    svc->get_setting = svc_get_setting;
    svc->set_setting = svc_set_setting;
    svc->iter_settings = svc_iter_settings;
    svc->advisory_lock = advisory_lock;
    svc->advisory_unlock = advisory_unlock;
    svc->advisory_unlock_all = advisory_unlock_all;
    svc->list_tables = svc_list_tables;
    svc->get_table = svc_get_table;
    svc->list_profiles = svc_list_profiles;
    svc->list_secrets = svc_list_secrets;
    svc->server_start_time = laminard_start_time;
    svc->list_pipelines = svc_list_pipelines;
    svc->list_jobs = svc_list_jobs;
    svc->job_metrics = svc_job_metrics;
    svc->job_output = svc_job_output;
    svc->job_errors = svc_job_errors;
    svc->job_checkpoints = svc_job_checkpoints;
    svc->iter_prepared = svc_iter_prepared;
    s->services = svc;
    return svc;
}

/* ---- binding ---- */

bool query_supports(const PgQuery__Node *stmt)
{
    return bind_supports(stmt);
}

ExecContext *query_context(Session *s, Arena *a)
{
    ExecContext *ctx = arena_new(a, ExecContext);
    ctx->arena = a;
    ctx->svc = query_services(s);
    ctx->cancel_requested = &s->cancel_requested;
    ctx->statement_timestamp = catalog_now();
    ctx->transaction_timestamp =
        s->transaction_timestamp ? s->transaction_timestamp : ctx->statement_timestamp;
    ctx->storage = catalog_storage();
    return ctx;
}

static const char *command_of(const PgQuery__Node *stmt)
{
    switch (stmt->node_case) {
    case PG_QUERY__NODE__NODE_INSERT_STMT:
        return "INSERT";
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
        return "UPDATE";
    case PG_QUERY__NODE__NODE_DELETE_STMT:
        return "DELETE";
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
        return "EXPLAIN";
    default:
        return "SELECT";
    }
}

const LmType *query_resolve_type(Session *s, Arena *a, const char *text, PgQuery__TypeName *tn)
{
    BindContext bc = {0};
    bc.ctx = query_context(s, a);
    bc.arena = a;
    bc.query_text = text;
    return bind_typename(&bc, tn);
}

/* Binds EXECUTE's argument i coerced to want; a missing assignment cast is reported with
 * PostgreSQL's wording for EXECUTE parameters. */
static Expr *bind_arg(BindContext *bc, PgQuery__Node *arg, const LmType *want, int i)
{
    Expr *volatile e = NULL;
    volatile int mismatch_at = -1;
    LM_TRY();
    {
        e = bind_expression(bc, arg, want);
    }
    LM_CATCH();
    {
        ErrorData *err = error_current();
        if (strcmp(err->sqlstate, ERRCODE_DATATYPE_MISMATCH) != 0)
            error_rethrow();
        mismatch_at = err->position;
        error_clear();
    }
    LM_END_TRY();
    if (e == NULL) {
        /* the argument binds on its own (else that error is raised) but has no assignment
         * cast to the parameter's type */
        Expr *own = bind_expression(bc, arg, NULL);
        StrBuf have, wanted;
        strbuf_init(&have, bc->arena);
        strbuf_init(&wanted, bc->arena);
        type_pg_format(own->type, &have);
        type_pg_format(want, &wanted);
        ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                errmsg("parameter $%d of type %s cannot be coerced to the expected type %s", i + 1,
                       have.data, wanted.data),
                errhint("You will need to rewrite or cast the expression."),
                errposition(mismatch_at));
    }
    return e;
}

Expr **query_bind_args(Session *s, Arena *a, const char *text, int n, PgQuery__Node **args,
                       const LmType **types, int *nparams, const LmType ***param_types)
{
    BindContext bc = {0};
    bc.ctx = query_context(s, a);
    bc.arena = a;
    bc.query_text = text;
    bc.nparams = *nparams;
    bc.param_types = *param_types;
    Expr **out = arena_new_array(a, Expr *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        out[i] = bind_arg(&bc, args[i], types[i], i);
    *nparams = bc.nparams;
    *param_types = bc.param_types;
    return out;
}

Vector **query_eval_args(Session *s, Arena *a, int n, Expr **args, int nparams,
                         const LmType **param_types, Vector **params)
{
    ExecContext *ctx = query_context(s, a);
    ctx->nparams = nparams;
    ctx->param_types = param_types;
    ctx->params = params;
    ctx->txn = session_table_txn(s);
    Vector **out = arena_new_array(a, Vector *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        out[i] = expr_eval_const(ctx, args[i]);
    return out;
}

/* The first parameter reference in e (scalar expressions: arguments only), or NULL. */
static const Expr *find_param(const Expr *e)
{
    if (e == NULL)
        return NULL;
    if (e->kind == EXPR_PARAM)
        return e;
    for (int i = 0; i < e->nargs; i++) {
        const Expr *p = find_param(e->args[i]);
        if (p)
            return p;
    }
    return NULL;
}

Vector **query_eval_params(Session *s, Arena *a, const char *text, int n, PgQuery__Node **args,
                           const LmType **types)
{
    int nparams = 0;
    const LmType **ptypes = NULL;
    Expr **bound = query_bind_args(s, a, text, n, args, types, &nparams, &ptypes);
    for (int i = 0; i < n && nparams > 0; i++) {
        const Expr *pe = find_param(bound[i]);
        if (pe)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_PARAMETER),
                    errmsg("there is no parameter $%d", pe->param_index + 1),
                    errposition(pe->location + 1));
    }
    if (nparams > 0) /* only inside a subquery */
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_PARAMETER),
                errmsg("there is no parameter $%d", nparams));
    return query_eval_args(s, a, n, bound, 0, NULL, NULL);
}

QueryPlan *query_bind(Session *s, Arena *a, const char *text, PgQuery__Node *stmt, int ntypes,
                      const LmType **types)
{
    QueryPlan *qp = arena_new(a, QueryPlan);
    qp->catalog_version = catalog_version();
    qp->command = command_of(stmt);
    BindContext bc = {0};
    bc.ctx = query_context(s, a);
    bc.arena = a;
    bc.query_text = text;
    bc.nparams = ntypes;
    bc.param_types = types;
    if (stmt->node_case == PG_QUERY__NODE__NODE_EXPLAIN_STMT) {
        StrBuf out;
        strbuf_init(&out, a);
        bind_explain(&bc, stmt, &out);
        qp->explain_text = out.data;
        ResultColumn *col = arena_new(a, ResultColumn);
        col->name = "QUERY PLAN";
        col->type = type_string();
        qp->desc.ncols = 1;
        qp->desc.cols = col;
        qp->returns_rows = true;
    } else {
        qp->plan = bind_statement(&bc, stmt);
        PlanNode *p = qp->plan;
        bool is_dml = p->kind == PLAN_INSERT || p->kind == PLAN_UPDATE || p->kind == PLAN_DELETE;
        qp->returns_rows = !is_dml || p->nreturning > 0;
        if (qp->returns_rows) {
            ResultColumn *cols = arena_new_array(a, ResultColumn, p->ncols > 0 ? p->ncols : 1);
            for (int i = 0; i < p->ncols; i++) {
                cols[i].name = p->cols[i].name;
                cols[i].type = p->cols[i].type;
                cols[i].table_oid = p->cols[i].table_oid;
                cols[i].attnum = p->cols[i].attnum;
            }
            qp->desc.ncols = p->ncols;
            qp->desc.cols = cols;
        }
    }
    qp->nparams = bc.nparams;
    qp->param_types = bc.param_types;
    return qp;
}

/* ---- running ---- */

QueryRun *query_start(Session *s, Arena *a, QueryPlan *qp, Vector **params)
{
    QueryRun *run = arena_new(a, QueryRun);
    run->session = s;
    run->qp = qp;
    run->ctx = query_context(s, a);
    run->ctx->nparams = qp->nparams;
    run->ctx->param_types = qp->param_types;
    run->ctx->params = params;
    if (qp->explain_text) {
        /* split the EXPLAIN text into one row per line */
        int n = 1;
        for (const char *p = qp->explain_text; *p; p++)
            n += *p == '\n';
        run->lines = arena_new_array(a, char *, n);
        char *copy = arena_strdup(a, qp->explain_text);
        char *save = NULL;
        for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            run->lines[run->nlines++] = l;
        return run;
    }
    run->ctx->txn = session_table_txn(s);
    run->root = exec_build(run->ctx, qp->plan);
    return run;
}

/* Sends live rows [from, from+n) of b. */
static void send_slice(QueryRun *run, const Batch *b, int from, int n, DestReceiver *dest)
{
    int live = batch_live_count(b);
    if (from == 0 && n == live) {
        dest->receive(dest, b);
        return;
    }
    Batch view = *b;
    view.sel = arena_alloc(run->root ? run->root->batch_arena : run->ctx->arena,
                           sizeof(uint16) * (size_t)n);
    for (int i = 0; i < n; i++)
        view.sel[i] = (uint16)batch_row(b, from + i);
    view.nsel = n;
    dest->receive(dest, &view);
}

static void run_dml(QueryRun *run)
{
    const PlanNode *p = run->qp->plan;
    const LmType **types = arena_new_array(run->ctx->arena, const LmType *, p->ncols + 1);
    for (int i = 0; i < p->ncols; i++)
        types[i] = p->cols[i].type;
    run->returning = rowset_create(run->ctx->arena, p->ncols, types);
    for (;;) {
        ExecEvent ev = exec_next(run->root);
        if (ev.kind == EXEC_END)
            break;
        if (ev.kind == EXEC_BATCH && ev.batch && p->nreturning > 0)
            rowset_append(run->returning, ev.batch);
    }
}

bool query_fetch(QueryRun *run, int64 max_rows, DestReceiver *dest, char tag[64])
{
    int64 sent = 0;
    if (run->lines) {
        while (run->next_line < run->nlines && (max_rows == 0 || sent < max_rows)) {
            Batch *b = batch_create(run->ctx->arena, 1, (const LmType *[]){type_string()}, 1);
            vector_set_cstr(&b->cols[0], run->ctx->arena, 0, run->lines[run->next_line++]);
            b->count = 1;
            dest->receive(dest, b);
            sent++;
        }
        if (run->next_line < run->nlines)
            return false;
        snprintf(tag, 64, "EXPLAIN");
        return true;
    }
    if (!run->opened) {
        exec_open(run->root);
        run->opened = true;
        if (run->qp->plan->kind == PLAN_INSERT || run->qp->plan->kind == PLAN_UPDATE ||
            run->qp->plan->kind == PLAN_DELETE)
            run_dml(run);
    }
    if (run->returning) {
        RowSet *rs = run->returning;
        while (run->ret_batch < rs->nbatches && (max_rows == 0 || sent < max_rows)) {
            Batch *b = rs->batches[run->ret_batch];
            int avail = b->count - run->ret_row;
            int n = max_rows == 0 || max_rows - sent >= avail ? avail : (int)(max_rows - sent);
            send_slice(run, b, run->ret_row, n, dest);
            sent += n;
            run->ret_row += n;
            if (run->ret_row >= b->count) {
                run->ret_batch++;
                run->ret_row = 0;
            }
        }
        if (run->ret_batch < rs->nbatches)
            return false;
        const char *cmd = run->qp->command;
        if (run->qp->plan->kind == PLAN_INSERT)
            snprintf(tag, 64, "INSERT 0 %lld", (long long)run->ctx->rows_affected);
        else
            snprintf(tag, 64, "%s %lld", cmd, (long long)run->ctx->rows_affected);
        run->done = true;
        return true;
    }
    while (max_rows == 0 || sent < max_rows) {
        if (run->pending) {
            int live = batch_live_count(run->pending);
            int avail = live - run->pending_pos;
            int n = max_rows == 0 || max_rows - sent >= avail ? avail : (int)(max_rows - sent);
            if (n > 0)
                send_slice(run, run->pending, run->pending_pos, n, dest);
            sent += n;
            run->pending_pos += n;
            if (run->pending_pos >= live)
                run->pending = NULL;
            continue;
        }
        ExecEvent ev = exec_next(run->root);
        if (ev.kind == EXEC_END) {
            run->done = true;
            break;
        }
        if (ev.kind == EXEC_BATCH && ev.batch && batch_live_count(ev.batch) > 0) {
            run->pending = ev.batch;
            run->pending_pos = 0;
        }
    }
    if (!run->done) {
        /* a limit reached exactly at the end: look ahead so the portal can report completion */
        if (run->pending == NULL) {
            ExecEvent ev = exec_next(run->root);
            if (ev.kind == EXEC_END)
                run->done = true;
            else if (ev.kind == EXEC_BATCH && ev.batch && batch_live_count(ev.batch) > 0) {
                run->pending = ev.batch;
                run->pending_pos = 0;
            }
        }
        if (!run->done)
            return false;
    }
    snprintf(tag, 64, "SELECT %lld", (long long)sent);
    return true;
}

void query_finish(QueryRun *run)
{
    if (run == NULL)
        return;
    if (run->root) {
        Operator *root = run->root;
        run->root = NULL;
        exec_close(root);
    }
}
