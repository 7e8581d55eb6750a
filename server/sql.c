/*
 * sql.c: the traffic cop between the wire protocol and statement execution.
 *
 * A query string is parsed into statements (parser/), each statement is
 * wrapped in a PreparedStmt (its parse tree and result shape) and run
 * through a Portal, which holds the statement's result and how much of it
 * the client has fetched.  Simple Query runs each statement to completion;
 * the extended protocol prepares, binds and executes in steps, possibly with
 * a row limit per Execute.
 *
 * SQL-level prepared statements (PREPARE / EXECUTE / DEALLOCATE) are PreparedStmts like the
 * protocol's and live with them in the wire layer's namespace (Session.stmt_add/stmt_find): a
 * PREPARE'd name can be bound by the protocol and the reverse.  EXECUTE evaluates its
 * arguments as constants cast to the parameter types and runs the target through a Portal,
 * streaming its rows; sent through Parse it is a statement of its own whose portal holds
 * the target (stmt_acquire) and whose result columns are the target's.
 *
 * Transaction state follows PostgreSQL: outside a block each statement is
 * its own transaction; inside BEGIN ... COMMIT an error moves the session to
 * the failed state where only ROLLBACK (or COMMIT, which then rolls back)
 * and ROLLBACK TO SAVEPOINT are accepted.
 */
#include "server/sql.h"
#include "common/datetime.h"
#include "common/log.h"
#include "parser/parser.h"
#include "server/catalog_txn.h"
#include "server/copy.h"
#include "server/txn.h"
#include "server/table_ddl.h"
#include "server/ddl.h"
#include "server/guc.h"
#include "server/query.h"
#include "server/result.h"

#include <stdio.h>
#include <strings.h>

struct PreparedStmt {
    const char *query;
    ParsedStmt *stmt; /* NULL: empty query */
    int nparams;
    Oid *param_types;
    ResultSet *shape; /* columns of a utility statement's result, or NULL */
    /* planned statements (SELECT, VALUES, INSERT, UPDATE, DELETE, EXPLAIN) */
    QueryPlan *qp;
    int ndeclared; /* parameter types the client declared, for binding again */
    const LmType **declared;
    Arena *arena;
    /* EXECUTE name (args) sent through Parse: the arguments bound against the target as it
     * was at Parse and again at Bind (it may have been prepared anew meanwhile); the result
     * columns are the target's at Describe and Bind, as in PostgreSQL; this statement's own
     * parameters ($n in the arguments, a Laminar extension) are nparams/param_types */
    PgQuery__ExecuteStmt *exec;
    const LmType **exec_param_types; /* nparams */
    Session *session;                /* to find the target when described */
};

struct Portal {
    PreparedStmt *prep;
    Arena *arena;
    bool executed;
    ResultSet *rs;
    int next_batch;
    int next_row;
    char tag[64];
    /* planned statements */
    Vector **params;
    QueryRun *run;
    /* EXECUTE: the target statement (held until the portal is dropped, so that its result
     * description stays valid) and its portal while it runs */
    Session *session;
    PreparedStmt *target;
    void *target_handle;
    Portal *inner;
};

void session_check_cancel(Session *s)
{
    if (atomic_exchange(&s->cancel_requested, false))
        ereport(ERROR, errcode(ERRCODE_QUERY_CANCELED),
                errmsg("canceling statement due to user request"));
}

char sql_txn_status(const Session *s)
{
    switch (s->txn) {
    case TXN_IDLE:
    case TXN_IMPLICIT:
        return 'I';
    case TXN_IN_BLOCK:
        return 'T';
    case TXN_FAILED:
        return 'E';
    }
    return 'I';
}

/* ---- result shapes ---- */

static const char *lower_copy(Arena *a, const char *s)
{
    char *c = arena_strdup(a, s);
    for (char *p = c; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return c;
}

static ResultSet *pg_result_shape(Arena *a, PgQuery__Node *n)
{
    if (n->node_case == PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT) {
        const char *name = n->variable_show_stmt->name;
        if (strcasecmp(name, "all") == 0) {
            ResultSet *rs = result_create(a, 3);
            result_column(rs, 0, "name", type_string());
            result_column(rs, 1, "setting", type_string());
            result_column(rs, 2, "description", type_string());
            return rs;
        }
        ResultSet *rs = result_create(a, 1);
        const char *display = guc_display_name(name);
        result_column(rs, 0, display == name ? lower_copy(a, name) : display, type_string());
        /* PostgreSQL names the column after the setting as the user spelled it, lower-cased,
         * except for the canonical mixed-case names */
        if (strcasecmp(name, "time zone") == 0)
            result_column(rs, 0, "TimeZone", type_string());
        return rs;
    }
    return NULL;
}

static ResultSet *statement_shape(Arena *a, ParsedStmt *st)
{
    if (st->kind == STMT_PG)
        return pg_result_shape(a, st->pg);
    return ddl_result_shape(a, st);
}

/* ---- transaction control ---- */

static bool is_txn_exit(const ParsedStmt *st)
{
    if (st->kind != STMT_PG || st->pg->node_case != PG_QUERY__NODE__NODE_TRANSACTION_STMT)
        return false;
    switch (st->pg->transaction_stmt->kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO:
        return true;
    default:
        return false;
    }
}

typedef struct SavepointStack {
    int n;
    char *names[128];
} SavepointStack;

/* Savepoint names of the session's open transaction.  A session is served by exactly one
 * thread for its whole life, so the stack is thread-local.  No statement has transactional
 * effects to undo yet, so a savepoint is only a name that RELEASE and ROLLBACK TO can find. */
static __thread SavepointStack savepoints;

static void savepoints_clear(void)
{
    for (int i = 0; i < savepoints.n; i++)
        lm_free(savepoints.names[i]);
    savepoints.n = 0;
}

/* Ends the transaction block.  A COMMIT whose catalog changes conflict with what another
 * session committed meanwhile fails as a whole: everything is rolled back and the error is
 * raised, as PostgreSQL does when COMMIT fails. */
static void txn_end(Session *s, bool commit)
{
    savepoints_clear();
    s->txn = TXN_IDLE;
    if (!commit) {
        session_txn_abort(s);
        guc_txn_abort(s);
        return;
    }
    LM_TRY();
    {
        session_txn_commit(s);
    }
    LM_CATCH();
    {
        guc_txn_abort(s);
        error_rethrow();
    }
    LM_END_TRY();
    guc_txn_commit(s);
}

static void exec_transaction(Session *s, PgQuery__TransactionStmt *t, char tag[64])
{
    switch (t->kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
        if (s->txn == TXN_IMPLICIT)
            s->txn = TXN_IN_BLOCK; /* the implicit block becomes explicit, earlier statements included */
        else if (s->txn != TXN_IDLE)
            ereport(WARNING, errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
                    errmsg("there is already a transaction in progress"));
        else {
            s->txn = TXN_IN_BLOCK;
            s->transaction_timestamp = catalog_now();
        }
        snprintf(tag, 64, t->kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN
                              ? "BEGIN"
                              : "START TRANSACTION");
        return;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
        if (s->txn == TXN_IDLE || s->txn == TXN_IMPLICIT) {
            /* as PostgreSQL: in an implicit block, COMMIT commits it with this warning */
            ereport(WARNING, errcode(ERRCODE_NO_ACTIVE_SQL_TRANSACTION),
                    errmsg("there is no transaction in progress"));
            if (s->txn == TXN_IMPLICIT)
                txn_end(s, true);
            snprintf(tag, 64, "COMMIT");
        } else if (s->txn == TXN_FAILED) {
            txn_end(s, false);
            snprintf(tag, 64, "ROLLBACK");
        } else {
            txn_end(s, true);
            snprintf(tag, 64, "COMMIT");
        }
        return;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
        if (s->txn == TXN_IDLE || s->txn == TXN_IMPLICIT)
            ereport(WARNING, errcode(ERRCODE_NO_ACTIVE_SQL_TRANSACTION),
                    errmsg("there is no transaction in progress"));
        if (s->txn != TXN_IDLE)
            txn_end(s, false);
        snprintf(tag, 64, "ROLLBACK");
        return;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT:
        if (s->txn == TXN_IDLE || s->txn == TXN_IMPLICIT)
            ereport(ERROR, errcode(ERRCODE_NO_ACTIVE_SQL_TRANSACTION),
                    errmsg("SAVEPOINT can only be used in transaction blocks"));
        if (savepoints.n >= (int)LM_ARRAY_LEN(savepoints.names))
            ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("too many savepoints in one transaction"));
        session_txn_savepoint(s);
        savepoints.names[savepoints.n++] = lm_strdup(t->savepoint_name);
        snprintf(tag, 64, "SAVEPOINT");
        return;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO: {
        bool release = t->kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE;
        if (s->txn == TXN_IDLE || s->txn == TXN_IMPLICIT)
            ereport(ERROR, errcode(ERRCODE_NO_ACTIVE_SQL_TRANSACTION),
                    errmsg("%s can only be used in transaction blocks",
                           release ? "RELEASE SAVEPOINT" : "ROLLBACK TO SAVEPOINT"));
        int i = savepoints.n - 1;
        while (i >= 0 && strcmp(savepoints.names[i], t->savepoint_name) != 0)
            i--;
        if (i < 0) {
            if (s->txn == TXN_FAILED && release)
                ereport(ERROR, errcode(ERRCODE_IN_FAILED_SQL_TRANSACTION),
                        errmsg("current transaction is aborted, commands ignored until end of "
                               "transaction block"));
            ereport(ERROR, errcode(ERRCODE_S_E_INVALID_SPECIFICATION),
                    errmsg("savepoint \"%s\" does not exist", t->savepoint_name));
        }
        if (release && s->txn == TXN_FAILED)
            ereport(ERROR, errcode(ERRCODE_IN_FAILED_SQL_TRANSACTION),
                    errmsg("current transaction is aborted, commands ignored until end of "
                           "transaction block"));
        /* RELEASE drops the savepoint and later ones; ROLLBACK TO keeps the named one */
        if (release)
            session_txn_release(s, i);
        else
            session_txn_rollback_to(s, i);
        int keep = release ? i : i + 1;
        for (int k = keep; k < savepoints.n; k++)
            lm_free(savepoints.names[k]);
        savepoints.n = keep;
        if (!release)
            s->txn = TXN_IN_BLOCK;
        snprintf(tag, 64, release ? "RELEASE" : "ROLLBACK");
        return;
    }
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT_PREPARED:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_PREPARED:
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("prepared transactions are not supported"));
    default:
        elog(ERROR, "unrecognized transaction statement kind %d", (int)t->kind);
    }
}

/* ---- SET / RESET / SHOW ---- */

/* The text of one SET argument as PostgreSQL would flatten it. */
static const char *set_arg_text(Arena *a, PgQuery__Node *n)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST: {
        PgQuery__AConst *c = n->a_const;
        if (c->isnull)
            return NULL;
        switch (c->val_case) {
        case PG_QUERY__A__CONST__VAL_IVAL:
            return arena_printf(a, "%d", c->ival->ival);
        case PG_QUERY__A__CONST__VAL_FVAL:
            return c->fval->fval;
        case PG_QUERY__A__CONST__VAL_SVAL:
            return c->sval->sval;
        case PG_QUERY__A__CONST__VAL_BOOLVAL:
            return c->boolval->boolval ? "on" : "off";
        default:
            return "";
        }
    }
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        /* SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE: as PostgreSQL's
         * flatten_set_variable_args, the interval normalised by its range and
         * printed as INTERVAL '02:00:00' for the TimeZone check to read */
        PgQuery__TypeCast *tc = n->type_cast;
        const char *text = tc->arg ? set_arg_text(a, tc->arg) : "";
        PgQuery__TypeName *tn = tc->type_name;
        if (text == NULL || tn == NULL || tn->n_names == 0 ||
            tn->names[tn->n_names - 1]->node_case != PG_QUERY__NODE__NODE_STRING ||
            strcmp(tn->names[tn->n_names - 1]->string->sval, "interval") != 0)
            return text;
        int range = 0;
        if (tn->n_typmods > 0 && tn->typmods[0]->node_case == PG_QUERY__NODE__NODE_A_CONST &&
            tn->typmods[0]->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
            range = tn->typmods[0]->a_const->ival->ival;
        /* PostgreSQL's INTERVAL_MASK bits: MONTH 1 << 1, YEAR 1 << 2, DAY 1 << 3, HOUR 1 << 10,
         * MINUTE 1 << 11, SECOND 1 << 12; a bare number counts the range's rightmost field */
        const char *p = text;
        p += *p == '+' || *p == '-';
        if (range != 0 && range != 0x7FFF && *p && strspn(p, "0123456789.") == strlen(p)) {
            const char *unit = (range & (1 << 12))   ? ""
                               : (range & (1 << 11)) ? " minutes"
                               : (range & (1 << 10)) ? " hours"
                               : (range & (1 << 3))  ? " days"
                               : (range & (1 << 1))  ? " months"
                                                     : " years";
            text = arena_printf(a, "%s%s", text, unit);
        }
        Interval iv = datetime_parse_interval(text, strlen(text));
        if (range != 0 && range != 0x7FFF && !(range & (1 << 12))) {
            int64 unit = (range & (1 << 11))   ? USECS_PER_MINUTE
                         : (range & (1 << 10)) ? USECS_PER_HOUR
                                               : 0;
            if (unit)
                iv.micros = iv.micros / unit * unit;
        }
        StrBuf out;
        strbuf_init(&out, a);
        strbuf_append_str(&out, "INTERVAL '");
        datetime_format_interval(&iv, &out);
        strbuf_append_char(&out, '\'');
        return out.data;
    }
    default:
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("unsupported SET value"));
    }
    return NULL;
}

static void exec_set(Session *s, Arena *a, PgQuery__VariableSetStmt *v, char tag[64])
{
    GucScope scope = v->is_local ? GUC_SCOPE_LOCAL : GUC_SCOPE_SESSION;
    switch (v->kind) {
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE: {
        const char *name = v->name;
        if (strcmp(name, "timezone") == 0)
            name = "TimeZone";
        StrBuf val;
        strbuf_init(&val, a);
        for (size_t i = 0; i < v->n_args; i++) {
            const char *t = set_arg_text(a, v->args[i]);
            if (i)
                strbuf_append_str(&val, ", ");
            strbuf_append_str(&val, t ? t : "");
        }
        guc_set(s, name, val.data, scope);
        snprintf(tag, 64, "SET");
        return;
    }
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
        guc_set(s, v->name, NULL, scope);
        snprintf(tag, 64, v->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET ? "RESET" : "SET");
        return;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
        guc_reset_all(s);
        snprintf(tag, 64, "RESET");
        return;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_MULTI:
        /* SET TRANSACTION ..., SET SESSION CHARACTERISTICS AS TRANSACTION ... */
        for (size_t i = 0; i < v->n_args; i++) {
            PgQuery__Node *n = v->args[i];
            if (n->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
                continue;
            PgQuery__DefElem *d = n->def_elem;
            const char *val = d->arg ? set_arg_text(a, d->arg) : NULL;
            bool session = strcmp(v->name, "SESSION CHARACTERISTICS") == 0;
            if (strcmp(d->defname, "transaction_isolation") == 0)
                guc_set(s, session ? "default_transaction_isolation" : "transaction_isolation", val,
                        session ? GUC_SCOPE_SESSION : GUC_SCOPE_LOCAL);
            else if (strcmp(d->defname, "transaction_read_only") == 0) {
                if (val && strcmp(val, "on") == 0)
                    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("read-only transactions are not supported yet"));
                guc_set(s, session ? "default_transaction_read_only" : "transaction_read_only", val,
                        session ? GUC_SCOPE_SESSION : GUC_SCOPE_LOCAL);
            } else if (strcmp(d->defname, "transaction_deferrable") == 0)
                continue; /* only meaningful for serializable read-only transactions */
            else
                ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("SET %s %s is not supported", v->name, d->defname));
        }
        snprintf(tag, 64, "SET");
        return;
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_CURRENT:
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("SET ... FROM CURRENT is not supported"));
    default:
        elog(ERROR, "unrecognized SET kind %d", (int)v->kind);
    }
}

static ResultSet *exec_show(Session *s, Arena *a, PgQuery__Node *n, char tag[64])
{
    ResultSet *rs = pg_result_shape(a, n);
    const char *name = n->variable_show_stmt->name;
    if (strcasecmp(name, "all") == 0) {
        const char *gname, *value, *desc;
        for (int i = 0; guc_iter(s, i, &gname, &value, &desc); i++) {
            result_add_row(rs);
            result_set_text(rs, 0, gname);
            result_set_text(rs, 1, value);
            result_set_text(rs, 2, desc);
        }
    } else {
        if (strcasecmp(name, "timezone") == 0 || strcasecmp(name, "time zone") == 0)
            name = "TimeZone";
        else if (strcasecmp(name, "transaction isolation level") == 0)
            name = "transaction_isolation";
        else if (strcasecmp(name, "session authorization") == 0)
            name = "session_authorization";
        const char *value = guc_get(s, name, false);
        result_add_row(rs);
        result_set_text(rs, 0, value);
    }
    snprintf(tag, 64, "SHOW");
    return rs;
}

/* ---- dispatch ---- */

static const char *node_statement_name(PgQuery__Node *n)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
        return "SELECT";
    case PG_QUERY__NODE__NODE_INSERT_STMT:
        return "INSERT";
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
        return "UPDATE";
    case PG_QUERY__NODE__NODE_DELETE_STMT:
        return "DELETE";
    case PG_QUERY__NODE__NODE_CREATE_STMT:
        return "CREATE TABLE";
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
        return "CREATE SCHEMA";
    case PG_QUERY__NODE__NODE_COPY_STMT:
        return "COPY";
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
        return "EXPLAIN";
    case PG_QUERY__NODE__NODE_VIEW_STMT:
        return "CREATE VIEW";
    case PG_QUERY__NODE__NODE_INDEX_STMT:
        return "CREATE INDEX";
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
        return "TRUNCATE";
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        return "ALTER TABLE";
    case PG_QUERY__NODE__NODE_CREATEDB_STMT:
        return "CREATE DATABASE";
    case PG_QUERY__NODE__NODE_DISCARD_STMT:
        return "DISCARD";
    case PG_QUERY__NODE__NODE_GRANT_STMT:
        return "GRANT";
    case PG_QUERY__NODE__NODE_LISTEN_STMT:
        return "LISTEN";
    case PG_QUERY__NODE__NODE_NOTIFY_STMT:
        return "NOTIFY";
    case PG_QUERY__NODE__NODE_PREPARE_STMT:
        return "PREPARE";
    case PG_QUERY__NODE__NODE_EXECUTE_STMT:
        return "EXECUTE";
    case PG_QUERY__NODE__NODE_DEALLOCATE_STMT:
        return "DEALLOCATE";
    case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT:
        return "DECLARE CURSOR";
    case PG_QUERY__NODE__NODE_FETCH_STMT:
        return "FETCH";
    case PG_QUERY__NODE__NODE_LOCK_STMT:
        return "LOCK";
    case PG_QUERY__NODE__NODE_COMMENT_STMT:
        return "COMMENT";
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
        return "CREATE FUNCTION";
    case PG_QUERY__NODE__NODE_DO_STMT:
        return "DO";
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
        return "VACUUM";
    default:
        return "this statement";
    }
}

static void exec_prepare(Session *s, const char *query, ParsedStmt *st, char tag[64]);

static ResultSet *exec_pg(Session *s, Arena *a, const char *query, ParsedStmt *st, char tag[64])
{
    PgQuery__Node *n = st->pg;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_PREPARE_STMT:
        exec_prepare(s, query, st, tag);
        return NULL;
    case PG_QUERY__NODE__NODE_EXECUTE_STMT:
        /* EXECUTE runs through simple_execute() or the portal of its target (execute_portal) */
        elog(ERROR, "EXECUTE reached the utility dispatcher");
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
        exec_transaction(s, n->transaction_stmt, tag);
        return NULL;
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
        exec_set(s, a, n->variable_set_stmt, tag);
        return NULL;
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
        return exec_show(s, a, n, tag);
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
        roles_create(s, a, n->create_role_stmt, tag);
        return NULL;
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
        roles_alter(s, a, n->alter_role_stmt, tag);
        return NULL;
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
        roles_drop(s, a, n->drop_role_stmt, tag);
        return NULL;
    case PG_QUERY__NODE__NODE_DROP_STMT:
        if (n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
            ddl_drop_tables(s, a, n->drop_stmt, tag);
            return NULL;
        }
        if (n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA) {
            table_ddl_drop(s, a, n->drop_stmt, tag);
            return NULL;
        }
        break;
    case PG_QUERY__NODE__NODE_CREATE_STMT:
        table_ddl_create_table(s, a, n->create_stmt, tag);
        return NULL;
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
        table_ddl_create_schema(s, a, n->create_schema_stmt, tag);
        return NULL;
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
        table_ddl_truncate(s, a, n->truncate_stmt, tag);
        return NULL;
    case PG_QUERY__NODE__NODE_COPY_STMT: {
        /* with an execution context, so DEFAULTs like now() of columns left out work */
        ExecContext *ctx = query_context(s, a);
        ctx->txn = NULL;
        copy_execute_ctx(s, ctx, a, n->copy_stmt, tag);
        return NULL;
    }
    case PG_QUERY__NODE__NODE_DEALLOCATE_STMT: {
        const char *name = n->deallocate_stmt->name;
        bool all = name == NULL || *name == '\0';
        if (s->deallocate == NULL || !s->deallocate(s, all ? NULL : name))
            ereport(ERROR, errcode(ERRCODE_INVALID_SQL_STATEMENT_NAME),
                    errmsg("prepared statement \"%s\" does not exist", name ? name : ""));
        snprintf(tag, 64, all ? "DEALLOCATE ALL" : "DEALLOCATE");
        return NULL;
    }
    default:
        break;
    }
    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
            errmsg("%s is not supported yet", node_statement_name(n)),
            errposition(st->location + 1));
    return NULL;
}

/* Refuses every statement but the transaction's end in a failed transaction block. */
static void check_not_failed(Session *s, const ParsedStmt *st)
{
    if (s->txn == TXN_FAILED && !is_txn_exit(st))
        ereport(ERROR, errcode(ERRCODE_IN_FAILED_SQL_TRANSACTION),
                errmsg("current transaction is aborted, commands ignored until end of transaction "
                       "block"));
}

/* A statement outside a transaction block is a transaction of its own: it starts now. */
static void statement_begin(Session *s)
{
    if (s->txn == TXN_IDLE)
        s->transaction_timestamp = catalog_now();
}

/* ... and commits when the statement is done. */
static void statement_end(Session *s)
{
    if (s->txn == TXN_IDLE)
        session_txn_commit(s);
}

static bool is_planned(const ParsedStmt *st)
{
    return st->kind == STMT_PG && query_supports(st->pg);
}

static void run_portal(Session *s, Portal *p)
{
    ParsedStmt *st = p->prep->stmt;
    check_not_failed(s, st);
    session_check_cancel(s);
    statement_begin(s);
    if (st->kind == STMT_PG)
        p->rs = exec_pg(s, p->arena, p->prep->query, st, p->tag);
    else
        ddl_execute(s, p->arena, st, &p->rs, p->tag);
    p->executed = true;
    statement_end(s);
}

/* Sends up to max_rows (0: all) of the portal's rows; true when all were sent. */
static bool send_rows(Portal *p, int64 max_rows, DestReceiver *dest, int64 *sent)
{
    ResultSet *rs = p->rs;
    *sent = 0;
    while (rs && p->next_batch < rs->nbatches) {
        Batch *b = rs->batches[p->next_batch];
        int avail = b->count - p->next_row;
        int64 want = max_rows > 0 ? max_rows - *sent : avail;
        if (want <= 0)
            return false;
        int n = want < avail ? (int)want : avail;
        if (p->next_row == 0 && n == b->count) {
            dest->receive(dest, b);
        } else {
            Batch view = *b;
            view.sel = arena_alloc(p->arena, sizeof(uint16) * (size_t)n);
            for (int i = 0; i < n; i++)
                view.sel[i] = (uint16)(p->next_row + i);
            view.nsel = n;
            dest->receive(dest, &view);
        }
        *sent += n;
        p->next_row += n;
        if (p->next_row >= b->count) {
            p->next_batch++;
            p->next_row = 0;
        }
    }
    return true;
}

/* Marks the transaction failed after an error inside a block; outside one, the statement's
 * implicit transaction (or the message's implicit block) is rolled back. */
static void fail_transaction(Session *s)
{
    if (s->txn == TXN_IN_BLOCK)
        s->txn = TXN_FAILED;
    else if (s->txn == TXN_IMPLICIT)
        txn_end(s, false);
    else if (s->txn == TXN_IDLE)
        session_txn_abort(s);
}

/* ---- Simple Query ---- */

/* Runs one planned statement of a simple query to the end. */
static void simple_planned(Session *s, Arena *a, const char *query, ParsedStmt *st,
                           const SimpleQueryCallbacks *cb)
{
    check_not_failed(s, st);
    session_check_cancel(s);
    statement_begin(s);
    QueryPlan *qp = query_bind(s, a, query, st->pg, 0, NULL);
    if (qp->returns_rows)
        cb->row_description(cb->arg, &qp->desc);
    QueryRun *volatile run = query_start(s, a, qp, NULL);
    char tag[64] = "";
    LM_TRY();
    {
        query_fetch(run, 0, cb->dest, tag);
    }
    LM_CATCH();
    {
        query_finish(run);
        error_rethrow();
    }
    LM_END_TRY();
    query_finish(run);
    statement_end(s);
    cb->command_complete(cb->arg, tag);
}

/*
 * Statements whose effects Laminar does not make transactional (roles, START/STOP PIPELINE)
 * refuse to run inside a transaction block.  In a multi-statement message (where PostgreSQL
 * runs CREATE ROLE inside the implicit block) the block so far is committed and such a
 * statement runs on its own; the next statement starts a new implicit block.
 */
static bool runs_outside_block(const ParsedStmt *st)
{
    if (st->kind == STMT_START_PIPELINE || st->kind == STMT_STOP_PIPELINE)
        return true;
    if (st->kind != STMT_PG)
        return false;
    switch (st->pg->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
        return true;
    default:
        return false;
    }
}

/* ---- EXECUTE ---- */

static bool is_execute(const ParsedStmt *st)
{
    return st && st->kind == STMT_PG && st->pg->node_case == PG_QUERY__NODE__NODE_EXECUTE_STMT;
}

/* Type of parameter i of a prepared statement (text when neither declared nor inferred). */
static const LmType *param_lmtype(const PreparedStmt *p, int i)
{
    if (p->exec)
        return p->exec_param_types[i];
    if (p->qp)
        return p->qp->param_types[i];
    return i < p->ndeclared && p->declared[i] ? p->declared[i] : type_string();
}

static void check_execute_args(const PreparedStmt *t, const PgQuery__ExecuteStmt *x)
{
    if ((int)x->n_params != t->nparams)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("wrong number of parameters for prepared statement \"%s\"", x->name),
                errdetail("Expected %d parameters but got %d.", t->nparams, (int)x->n_params));
}

static PreparedStmt *execute_target(Session *s, const PgQuery__ExecuteStmt *x, void **handle)
{
    PreparedStmt *t = NULL;
    if (handle && s->stmt_acquire)
        t = s->stmt_acquire(s, x->name, handle);
    else if (!handle && s->stmt_find)
        t = s->stmt_find(s, x->name);
    if (t == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_SQL_STATEMENT_NAME),
                errmsg("prepared statement \"%s\" does not exist", x->name));
    return t;
}

static const ResultDesc *prepared_result(const PreparedStmt *p);

/* Binds the arguments of p (an EXECUTE) against target t in arena a; returns them, with this
 * statement's parameter types in nparams and ptypes. */
static Expr **bind_execute_args(Session *s, Arena *a, const PreparedStmt *p, const PreparedStmt *t,
                                int *nparams, const LmType ***ptypes)
{
    check_execute_args(t, p->exec);
    int n = (int)p->exec->n_params;
    const LmType **want = arena_new_array(a, const LmType *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        want[i] = param_lmtype(t, i);
    *nparams = p->ndeclared;
    *ptypes = arena_new_array(a, const LmType *, p->ndeclared > 0 ? p->ndeclared : 1);
    for (int i = 0; i < p->ndeclared; i++)
        (*ptypes)[i] = p->declared[i];
    return query_bind_args(s, a, p->query, n, p->exec->params, want, nparams, ptypes);
}

/* Parse of EXECUTE name (args): the target must exist now (Describe reports its result). */
static void prepare_execute(Session *s, PreparedStmt *p)
{
    p->exec = p->stmt->pg->execute_stmt;
    PreparedStmt *t = execute_target(s, p->exec, NULL);
    int n;
    const LmType **types;
    bind_execute_args(s, p->arena, p, t, &n, &types);
    p->exec_param_types = types;
    p->nparams = n;
    p->param_types = arena_new_array(p->arena, Oid, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        p->param_types[i] = type_pg_oid(types[i]);
    p->session = s;
}

static void revalidate(Session *s, PreparedStmt *p);
static bool execute_portal(Session *s, Portal *portal, int64 max_rows, DestReceiver *dest,
                           char tag[64]);
static void portal_release(Portal *portal);
static void portal_drop(Portal *portal);
static void portal_hold_target(Session *s, Portal *portal);

/*
 * EXECUTE name [(arg, ...)] in a simple query: the arguments are evaluated as constants and
 * cast to the parameter types, then the statement runs as a Bind + Execute would, its rows
 * sent through the simple-query callbacks under the inner statement's command tag.
 */
static void simple_execute(Session *s, Arena *a, const char *query, ParsedStmt *st,
                           const SimpleQueryCallbacks *cb)
{
    PgQuery__ExecuteStmt *x = st->pg->execute_stmt;
    check_not_failed(s, st);
    session_check_cancel(s);
    PreparedStmt *p = execute_target(s, x, NULL);
    check_execute_args(p, x);
    if (p->stmt == NULL) {
        cb->empty_query(cb->arg);
        return;
    }
    if (p->qp) {
        /* errors of binding again point into the PREPARE's text, not this query: no position */
        LM_TRY();
        {
            revalidate(s, p);
        }
        LM_CATCH();
        {
            error_current()->position = 0;
            error_rethrow();
        }
        LM_END_TRY();
    }
    const LmType **types = arena_new_array(a, const LmType *, p->nparams > 0 ? p->nparams : 1);
    for (int i = 0; i < p->nparams; i++)
        types[i] = param_lmtype(p, i);
    Portal *volatile portal = arena_new(a, Portal);
    portal->prep = p;
    portal->arena = a;
    portal->session = s;
    portal->params = query_eval_params(s, a, query, p->nparams, x->params, types);
    if (p->exec)
        portal_hold_target(s, portal);
    const ResultDesc *desc = prepared_result(p);
    if (desc)
        cb->row_description(cb->arg, desc);
    char tag[64] = "";
    LM_TRY();
    {
        execute_portal(s, portal, 0, cb->dest, tag);
    }
    LM_CATCH();
    {
        portal_drop(portal);
        error_rethrow();
    }
    LM_END_TRY();
    portal_drop(portal);
    cb->command_complete(cb->arg, tag);
}

/*
 * A Simple Query message with several statements is one implicit transaction block, as in
 * PostgreSQL (exec_simple_query): each statement begun outside a block joins the message's
 * implicit block (TXN_IMPLICIT), whose catalog changes and table writes are committed after
 * the last statement and rolled back, all of them, when any statement fails.  BEGIN turns
 * the implicit block into an explicit one (earlier statements included); COMMIT or ROLLBACK
 * inside it ends it with PostgreSQL's warning, and the next statement starts a new one.  A
 * single statement keeps its own implicit transaction (statement_end).
 */
void sql_exec_simple(Session *s, const char *query, const SimpleQueryCallbacks *cb)
{
    Arena *volatile arena = arena_create("statement", s->arena);
    LM_TRY();
    {
        ParsedStmtList *list = parser_parse(arena, query);
        if (list->count == 0)
            cb->empty_query(cb->arg);
        bool implicit_block = list->count > 1;
        for (int i = 0; i < list->count; i++) {
            if (implicit_block && runs_outside_block(&list->stmts[i])) {
                if (s->txn == TXN_IMPLICIT)
                    txn_end(s, true);
            } else if (implicit_block && s->txn == TXN_IDLE) {
                statement_begin(s);
                s->txn = TXN_IMPLICIT;
            }
            if (is_planned(&list->stmts[i])) {
                simple_planned(s, arena, query, &list->stmts[i], cb);
                continue;
            }
            if (list->stmts[i].kind == STMT_PG &&
                list->stmts[i].pg->node_case == PG_QUERY__NODE__NODE_EXECUTE_STMT) {
                simple_execute(s, arena, query, &list->stmts[i], cb);
                continue;
            }
            PreparedStmt prep = {0};
            prep.query = query;
            prep.stmt = &list->stmts[i];
            Portal portal = {0};
            portal.prep = &prep;
            portal.arena = arena;
            run_portal(s, &portal);
            if (portal.rs) {
                cb->row_description(cb->arg, &portal.rs->desc);
                int64 sent;
                send_rows(&portal, 0, cb->dest, &sent);
            }
            cb->command_complete(cb->arg, portal.tag);
        }
        if (s->txn == TXN_IMPLICIT)
            txn_end(s, true);
    }
    LM_CATCH();
    {
        fail_transaction(s);
        arena_destroy(arena);
        error_rethrow();
    }
    LM_END_TRY();
    arena_destroy(arena);
}

/* ---- Extended Query ---- */

static void set_param_oids(PreparedStmt *p)
{
    if (p->qp == NULL)
        return;
    p->nparams = p->qp->nparams;
    p->param_types = arena_new_array(p->arena, Oid, p->nparams > 0 ? p->nparams : 1);
    for (int i = 0; i < p->nparams; i++)
        p->param_types[i] = p->qp->param_types[i] ? type_pg_oid(p->qp->param_types[i]) : TEXTOID;
}

/* Prepares stmt (parsed from query, both in a) with ntypes declared parameter types (NULL
 * entries: infer); raises without touching the transaction state. */
static void prepare_stmt(Session *s, PreparedStmt *p, Arena *a, const char *query, ParsedStmt *stmt,
                         int ntypes, const LmType **declared)
{
    p->arena = a;
    p->query = query;
    p->stmt = stmt;
    p->nparams = ntypes;
    p->param_types = arena_new_array(a, Oid, ntypes > 0 ? ntypes : 1);
    p->ndeclared = ntypes;
    p->declared = declared;
    for (int i = 0; i < ntypes; i++)
        p->param_types[i] = declared[i] ? type_pg_oid(declared[i]) : UNKNOWNOID;
    if (is_execute(p->stmt)) {
        check_not_failed(s, p->stmt);
        prepare_execute(s, p);
    } else if (p->stmt && is_planned(p->stmt)) {
        check_not_failed(s, p->stmt);
        p->qp = query_bind(s, a, p->query, p->stmt->pg, p->ndeclared, p->declared);
        set_param_oids(p);
    } else if (p->stmt)
        p->shape = statement_shape(a, p->stmt);
}

PreparedStmt *sql_prepare(Session *s, Arena *a, const char *query, int ntypes, const Oid *types)
{
    PreparedStmt *volatile p = arena_new(a, PreparedStmt);
    LM_TRY();
    {
        const char *text = arena_strdup(a, query);
        ParsedStmtList *list = parser_parse(a, text);
        if (list->count > 1)
            ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                    errmsg("cannot insert multiple commands into a prepared statement"));
        const LmType **declared = arena_new_array(a, const LmType *, ntypes > 0 ? ntypes : 1);
        for (int i = 0; i < ntypes; i++) {
            const LmType *t = NULL;
            if (types[i] != 0 && types[i] != UNKNOWNOID) {
                t = type_from_pg_oid(a, types[i], -1);
                if (t == NULL)
                    ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                            errmsg("type with OID %u does not exist", types[i]));
            }
            declared[i] = t;
        }
        prepare_stmt(s, p, a, text, list->count ? &list->stmts[0] : NULL, ntypes, declared);
        /* parameter types the client left unspecified stay "unknown" until bound */
        for (int i = 0; i < ntypes && p->qp == NULL && p->exec == NULL; i++)
            p->param_types[i] = types[i] ? types[i] : UNKNOWNOID;
    }
    LM_CATCH();
    {
        fail_transaction(s);
        error_rethrow();
    }
    LM_END_TRY();
    return p;
}

/*
 * PREPARE name [(type, ...)] AS statement: the statement is parsed again from the client's
 * text into an arena of its own (so that its locations still point into that text), bound
 * with the declared types and handed to the wire layer, which keeps it with the protocol's
 * named statements.  pg_prepared_statements shows the text as the client sent it.
 */
static void exec_prepare(Session *s, const char *query, ParsedStmt *st, char tag[64])
{
    PgQuery__PrepareStmt *ps = st->pg->prepare_stmt;
    if (s->stmt_add == NULL || s->stmt_find == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("PREPARE is not supported in this session"));
    if (s->stmt_find(s, ps->name))
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_PSTATEMENT),
                errmsg("prepared statement \"%s\" already exists", ps->name));
    Arena *volatile a = arena_create("prepared statement", s->arena);
    LM_TRY();
    {
        const char *text = arena_strdup(a, query);
        ParsedStmtList *list = parser_parse(a, text);
        ParsedStmt *outer = NULL;
        for (int i = 0; i < list->count && outer == NULL; i++)
            if (list->stmts[i].location == st->location)
                outer = &list->stmts[i];
        if (outer == NULL || outer->kind != STMT_PG ||
            outer->pg->node_case != PG_QUERY__NODE__NODE_PREPARE_STMT)
            elog(ERROR, "PREPARE statement not found again in its query text");
        PgQuery__PrepareStmt *p2 = outer->pg->prepare_stmt;
        ParsedStmt *inner = arena_new(a, ParsedStmt);
        inner->kind = STMT_PG;
        inner->location = outer->location;
        inner->length = outer->length;
        inner->text = outer->text;
        inner->pg = p2->query;
        int n = (int)p2->n_argtypes;
        const LmType **declared = arena_new_array(a, const LmType *, n > 0 ? n : 1);
        for (int i = 0; i < n; i++) {
            PgQuery__Node *tn = p2->argtypes[i];
            if (tn->node_case != PG_QUERY__NODE__NODE_TYPE_NAME)
                elog(ERROR, "unexpected node in PREPARE's parameter types");
            declared[i] = query_resolve_type(s, a, text, tn->type_name);
        }
        PreparedStmt *p = arena_new(a, PreparedStmt);
        prepare_stmt(s, p, a, text, inner, n, declared);
        s->stmt_add(s, ps->name, a, p, text);
    }
    LM_CATCH();
    {
        arena_destroy(a);
        error_rethrow();
    }
    LM_END_TRY();
    snprintf(tag, 64, "PREPARE");
}

bool sql_prepared_is_empty(const PreparedStmt *p)
{
    return p->stmt == NULL;
}

int sql_prepared_nparams(const PreparedStmt *p)
{
    return p->nparams;
}

Oid sql_prepared_param_type(const PreparedStmt *p, int i)
{
    return i >= 0 && i < p->nparams ? p->param_types[i] : UNKNOWNOID;
}

const ResultDesc *sql_prepared_result(const PreparedStmt *p)
{
    return prepared_result(p);
}

static const ResultDesc *prepared_result(const PreparedStmt *p)
{
    if (p->exec) {
        PreparedStmt *t =
            p->session->stmt_find ? p->session->stmt_find(p->session, p->exec->name) : NULL;
        return t ? prepared_result(t) : NULL;
    }
    if (p->qp)
        return p->qp->returns_rows ? &p->qp->desc : NULL;
    return p->shape ? &p->shape->desc : NULL;
}

/* Decodes one parameter value into a 1-row vector of its type. */
static Vector *decode_param(Arena *a, const LmType *type, const ParamValue *pv, int index)
{
    Vector *v = arena_new(a, Vector);
    vector_init(v, a, type ? type : type_string(), 1);
    if (pv->len < 0) {
        vector_set_null(v, 0);
        return v;
    }
    LM_TRY();
    {
        if (pv->format == 1)
            value_parse_binary(v, a, 0, pv->data, (size_t)pv->len);
        else
            value_parse_text(v, a, 0, pv->data, (size_t)pv->len);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        if (e->context == NULL)
            errcontext_msg("unnamed portal parameter $%d", index + 1);
        error_rethrow();
    }
    LM_END_TRY();
    return v;
}

Portal *sql_bind(Session *s, Arena *a, PreparedStmt *p, int nparams, const ParamValue *params)
{
    Portal *volatile portal = arena_new(a, Portal);
    LM_TRY();
    {
        if (nparams != p->nparams)
            ereport(ERROR, errcode(ERRCODE_PROTOCOL_VIOLATION),
                    errmsg("bind message supplies %d parameters, but prepared statement requires %d",
                           nparams, p->nparams));
        portal->prep = p;
        portal->arena = a;
        portal->session = s;
        if (p->qp || p->exec) {
            portal->params = arena_new_array(a, Vector *, nparams > 0 ? nparams : 1);
            for (int i = 0; i < nparams; i++)
                portal->params[i] = decode_param(
                    a, p->qp ? p->qp->param_types[i] : p->exec_param_types[i], &params[i], i);
        }
        if (p->exec)
            portal_hold_target(s, portal);
    }
    LM_CATCH();
    {
        fail_transaction(s);
        error_rethrow();
    }
    LM_END_TRY();
    return portal;
}

const ResultDesc *sql_portal_result(const Portal *portal)
{
    if (portal->prep->exec)
        return portal->target ? prepared_result(portal->target) : NULL;
    return sql_prepared_result(portal->prep);
}

/* Binds a prepared statement again when the catalog changed since it was planned (a table
 * dropped and recreated, a column added); PostgreSQL's rule that the result shape of a cached
 * plan cannot change applies. */
static void revalidate(Session *s, PreparedStmt *p)
{
    if (p->qp->catalog_version == catalog_version())
        return;
    QueryPlan *fresh = query_bind(s, p->arena, p->query, p->stmt->pg, p->ndeclared, p->declared);
    const ResultDesc *o = &p->qp->desc, *n = &fresh->desc;
    bool same = o->ncols == n->ncols && fresh->nparams == p->qp->nparams;
    for (int i = 0; same && i < o->ncols; i++)
        same = type_pg_oid(o->cols[i].type) == type_pg_oid(n->cols[i].type);
    for (int i = 0; same && i < fresh->nparams; i++)
        same = type_pg_oid(fresh->param_types[i]) == type_pg_oid(p->qp->param_types[i]);
    if (!same)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("cached plan must not change result type"));
    p->qp = fresh;
}

/* Releases what a running portal holds outside its arena: a suspended run's operators and,
 * for an EXECUTE, the target's portal.  The hold on the target stays (portal_drop). */
static void portal_release(Portal *portal)
{
    if (portal->run) {
        QueryRun *run = portal->run;
        portal->run = NULL;
        query_finish(run);
    }
    if (portal->inner) {
        Portal *inner = portal->inner;
        portal->inner = NULL;
        portal_drop(inner);
    }
}

static void portal_drop(Portal *portal)
{
    portal_release(portal);
    if (portal->target_handle) {
        void *h = portal->target_handle;
        portal->target_handle = NULL;
        portal->target = NULL;
        portal->session->stmt_release(portal->session, h);
    }
}

/* An EXECUTE portal holds its target (26000 when it is gone). */
static void portal_hold_target(Session *s, Portal *portal)
{
    void *handle = NULL;
    portal->target = execute_target(s, portal->prep->exec, &handle);
    portal->target_handle = handle;
}

/* EXECUTE through the protocol, first run: binds the arguments against the target (this
 * statement's parameter types must not have changed since Parse), evaluates them with the
 * portal's parameter values and opens the target's portal. */
static void start_execute(Session *s, Portal *portal)
{
    PreparedStmt *p = portal->prep;
    PreparedStmt *t = portal->target;
    if (t->qp)
        revalidate(s, t);
    int n;
    const LmType **types;
    Expr **args = bind_execute_args(s, portal->arena, p, t, &n, &types);
    bool same = n == p->nparams;
    for (int i = 0; same && i < n; i++)
        same = type_pg_oid(types[i]) == type_pg_oid(p->exec_param_types[i]);
    if (!same)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("cached plan must not change result type"));
    Portal *inner = arena_new(portal->arena, Portal);
    inner->prep = t;
    inner->arena = portal->arena;
    inner->session = s;
    inner->params =
        query_eval_args(s, portal->arena, (int)p->exec->n_params, args, n, types, portal->params);
    portal->inner = inner;
    if (t->exec)
        portal_hold_target(s, inner);
}

static bool execute_portal(Session *s, Portal *portal, int64 max_rows, DestReceiver *dest,
                           char tag[64])
{
    bool done = true;
    PreparedStmt *p = portal->prep;
    if (p->stmt == NULL) {
        tag[0] = '\0';
    } else if (p->exec) {
        if (portal->inner == NULL) {
            if (portal->executed) {
                snprintf(tag, 64, "%s", portal->tag);
                return true;
            }
            check_not_failed(s, p->stmt);
            session_check_cancel(s);
            start_execute(s, portal);
        }
        done = execute_portal(s, portal->inner, max_rows, dest, tag);
        if (done) {
            portal->executed = true;
            snprintf(portal->tag, 64, "%s", tag);
            portal_release(portal);
        }
    } else if (p->qp) {
        if (portal->run == NULL) {
            if (portal->executed) {
                /* PostgreSQL runs a completed portal's statement only once */
                snprintf(tag, 64, "%s", portal->tag);
            } else {
                check_not_failed(s, p->stmt);
                session_check_cancel(s);
                statement_begin(s);
                revalidate(s, p);
                portal->run = query_start(s, portal->arena, p->qp, portal->params);
            }
        }
        if (portal->run) {
            done = query_fetch(portal->run, max_rows, dest, tag);
            if (done) {
                QueryRun *run = portal->run;
                portal->run = NULL;
                portal->executed = true;
                snprintf(portal->tag, 64, "%s", tag);
                query_finish(run);
                statement_end(s);
            }
        }
    } else {
        if (!portal->executed)
            run_portal(s, portal);
        int64 sent = 0;
        done = send_rows(portal, max_rows, dest, &sent);
        if (done) {
            /* a suspended portal's last Execute reports the rows of that call */
            if (strncmp(portal->tag, "SELECT", 6) == 0)
                snprintf(tag, 64, "SELECT %lld", (long long)sent);
            else
                snprintf(tag, 64, "%s", portal->tag);
        }
    }
    return done;
}

bool sql_execute(Session *s, Portal *portal, int64 max_rows, DestReceiver *dest, char tag[64])
{
    volatile bool done = true;
    LM_TRY();
    {
        done = execute_portal(s, portal, max_rows, dest, tag);
    }
    LM_CATCH();
    {
        portal_release(portal);
        portal->executed = true;
        fail_transaction(s);
        error_rethrow();
    }
    LM_END_TRY();
    return done;
}

void sql_portal_drop(Portal *portal)
{
    if (portal)
        portal_drop(portal);
}

/* ---- session start and end ---- */

void sql_session_start(Session *s)
{
    guc_session_init(s, s->nstartup, s->startup_names, s->startup_values);
}
void sql_session_end(Session *s)
{
    savepoints_clear();
    session_txn_session_end(s);
    guc_session_free(s);
}
