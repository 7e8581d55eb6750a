/*
 * pgwire_query.c: the message loop of an authenticated session.
 *
 * Simple Query ('Q') hands the whole string to sql_exec_simple(), whose
 * callbacks write RowDescription, DataRow, CommandComplete and
 * EmptyQueryResponse; an error sends ErrorResponse and the loop always ends
 * the message with ReadyForQuery.
 *
 * Extended Query keeps prepared statements and portals by name; the unnamed
 * ones are replaced on reuse.  Each has its own arena (a child of the
 * session arena), so closing one frees everything it holds.  A portal keeps
 * its statement alive (refcount) even after the statement is closed, as
 * PostgreSQL's plan cache does.  Portals are dropped whenever the session is
 * back outside a transaction block at Sync or after a simple query (the
 * implicit transaction has ended).  After an error in an extended-protocol
 * message every message up to Sync is skipped; Sync then answers with
 * ReadyForQuery.
 *
 * Errors at ERROR level are caught per message (run_guarded); FATAL errors
 * pass through to the connection thread, which sends them and closes.
 */
#include "server/pgwire_int.h"
#include "common/log.h"
#include "storage/catalog.h"

#include <stdio.h>

/* A DestReceiver that writes DataRow messages. */
typedef struct WireDest {
    DestReceiver base;
    PgConn *conn;
    int ncols;            /* -1: take the batch's column count */
    const int16 *formats; /* per column; NULL: all text */
} WireDest;

static void put_be32_at(StrBuf *b, size_t at, uint32 v)
{
    uint8 *p = (uint8 *)b->data + at;
    p[0] = (uint8)(v >> 24);
    p[1] = (uint8)(v >> 16);
    p[2] = (uint8)(v >> 8);
    p[3] = (uint8)v;
}

static void dest_receive(DestReceiver *self, const Batch *batch)
{
    WireDest *d = (WireDest *)self;
    PgConn *c = d->conn;
    int ncols = d->ncols >= 0 && d->ncols <= batch->ncols ? d->ncols : batch->ncols;
    int nrows = batch_live_count(batch);
    for (int i = 0; i < nrows; i++) {
        int row = batch_row(batch, i);
        size_t start = pq_begin(c, 'D');
        pq_put_int16(c, (int16)ncols);
        for (int j = 0; j < ncols; j++) {
            const Vector *v = &batch->cols[j];
            if (!vector_is_valid(v, row)) {
                pq_put_int32(c, -1);
                continue;
            }
            size_t lenpos = c->out.len;
            pq_put_int32(c, 0);
            size_t before = c->out.len;
            if (d->formats && d->formats[j] == 1)
                value_format_binary(v, row, &c->out);
            else
                value_format_text(v, row, &c->out);
            put_be32_at(&c->out, lenpos, (uint32)(c->out.len - before));
        }
        pq_end(c, start);
    }
    pq_check_broken(c);
}

static void send_row_description(PgConn *c, const ResultDesc *desc, const int16 *formats)
{
    size_t start = pq_begin(c, 'T');
    pq_put_int16(c, (int16)desc->ncols);
    for (int i = 0; i < desc->ncols; i++) {
        const ResultColumn *col = &desc->cols[i];
        pq_put_string(c, col->name ? col->name : "?column?");
        pq_put_int32(c, (int32)col->table_oid);
        pq_put_int16(c, col->attnum);
        pq_put_int32(c, (int32)type_pg_oid(col->type));
        pq_put_int16(c, type_pg_typlen(col->type));
        pq_put_int32(c, type_pg_typmod(col->type));
        pq_put_int16(c, formats ? formats[i] : 0);
    }
    pq_end(c, start);
}

static void send_simple(PgConn *c, char type)
{
    pq_end(c, pq_begin(c, type));
}

static void send_command_complete(PgConn *c, const char *tag)
{
    size_t start = pq_begin(c, 'C');
    pq_put_string(c, tag);
    pq_end(c, start);
}

/* ---------------------------------------------------------------- statements and portals */

static WireStmt *find_stmt(PgConn *c, const char *name)
{
    for (WireStmt *st = c->stmts; st; st = st->next)
        if (strcmp(st->name, name) == 0)
            return st;
    return NULL;
}

static WirePortal *find_portal(PgConn *c, const char *name)
{
    for (WirePortal *p = c->portals; p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

static void drop_stmt(PgConn *c, WireStmt *st)
{
    for (WireStmt **pp = &c->stmts; *pp; pp = &(*pp)->next)
        if (*pp == st) {
            *pp = st->next;
            break;
        }
    st->closed = true;
    if (st->refcount == 0)
        arena_destroy(st->arena);
}

static void drop_portal(PgConn *c, WirePortal *p)
{
    for (WirePortal **pp = &c->portals; *pp; pp = &(*pp)->next)
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    WireStmt *st = p->stmt;
    sql_portal_drop(p->portal); /* closes a suspended run's scans before its memory goes */
    arena_destroy(p->arena);
    if (--st->refcount == 0 && st->closed)
        arena_destroy(st->arena);
}

static void drop_all_portals(PgConn *c)
{
    while (c->portals)
        drop_portal(c, c->portals);
}

void pgwire_drop_all(PgConn *c)
{
    drop_all_portals(c);
    while (c->stmts)
        drop_stmt(c, c->stmts);
}

/* Portals do not outlive their transaction: drop them once outside a block. */
static void end_of_implicit_transaction(PgConn *c)
{
    if (sql_txn_status(c->session) == 'I')
        drop_all_portals(c);
}

/* ---------------------------------------------------------------- simple query */

static void cb_row_description(void *arg, const ResultDesc *desc)
{
    WireDest *d = arg;
    d->ncols = desc->ncols;
    send_row_description(d->conn, desc, NULL);
}

static void cb_command_complete(void *arg, const char *tag)
{
    WireDest *d = arg;
    send_command_complete(d->conn, tag);
    d->ncols = -1;
}

static void cb_empty_query(void *arg)
{
    WireDest *d = arg;
    send_simple(d->conn, 'I');
}

static void exec_simple_query(PgConn *c)
{
    MsgReader r;
    msg_reader_init(&r, c->msg, c->msglen);
    const char *query = msg_get_string(&r);
    msg_get_end(&r);

    /* a simple query ends the life of the unnamed statement and portal */
    WirePortal *up = find_portal(c, "");
    if (up)
        drop_portal(c, up);
    WireStmt *us = find_stmt(c, "");
    if (us)
        drop_stmt(c, us);

    /* statement text is not logged: it may carry passwords and secrets */
    c->error_query = query;
    WireDest dest = {.base = {.receive = dest_receive}, .conn = c, .ncols = -1, .formats = NULL};
    SimpleQueryCallbacks cb = {.arg = &dest,
                               .row_description = cb_row_description,
                               .dest = &dest.base,
                               .command_complete = cb_command_complete,
                               .empty_query = cb_empty_query};
    sql_exec_simple(c->session, query, &cb);
}

/* ---------------------------------------------------------------- extended query */

static void exec_parse(PgConn *c)
{
    MsgReader r;
    msg_reader_init(&r, c->msg, c->msglen);
    const char *name = msg_get_string(&r);
    const char *query = msg_get_string(&r);
    int nparams = msg_get_int16(&r);
    if (nparams < 0)
        pq_protocol_violation("invalid number of parameter types: %d", nparams);
    int types_at = r.pos;
    msg_get_bytes(&r, 4 * nparams); /* decoded below, once there is an arena for them */
    msg_get_end(&r);

    if (name[0] != '\0') {
        if (find_stmt(c, name))
            ereport(ERROR, errcode(ERRCODE_DUPLICATE_PSTATEMENT),
                    errmsg("prepared statement \"%s\" already exists", name));
    } else {
        WireStmt *old = find_stmt(c, "");
        if (old)
            drop_stmt(c, old);
    }

    Arena *a = arena_create("prepared statement", c->session->arena);
    c->pending_arena = a;
    WireStmt *st = arena_new(a, WireStmt);
    st->arena = a;
    st->name = arena_strdup(a, name);
    st->query = arena_strdup(a, query);
    st->prepare_time = catalog_now();
    Oid *types = arena_new_array(a, Oid, nparams + 1);
    r.pos = types_at;
    for (int i = 0; i < nparams; i++)
        types[i] = (Oid)msg_get_int32(&r);

    c->error_query = st->query;
    st->prepared = sql_prepare(c->session, a, st->query, nparams, types);
    st->next = c->stmts;
    c->stmts = st;
    c->pending_arena = NULL;
    send_simple(c, '1'); /* ParseComplete */
}

static void check_format(int16 f)
{
    if (f != 0 && f != 1)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("unsupported format code: %d", f));
}

/* Bind's result format codes for portal wp (ncols of its result); on an error the portal
 * lets go of what it may hold outside its arena (an EXECUTE's target statement). */
static void set_result_formats(PgConn *c, WirePortal *wp, int nresults, int results_at)
{
    MsgReader fr;
    msg_reader_init(&fr, c->msg, c->msglen);
    LM_TRY();
    {
        int ncols = wp->desc ? wp->desc->ncols : 0;
        if (nresults > 1 && nresults != ncols)
            ereport(ERROR, errcode(ERRCODE_PROTOCOL_VIOLATION),
                    errmsg("bind message has %d result formats but query has %d columns", nresults,
                           ncols));
        wp->formats = arena_new_array(wp->arena, int16, ncols + 1);
        fr.pos = results_at;
        if (nresults == 1) {
            int16 f = msg_get_int16(&fr);
            check_format(f);
            for (int i = 0; i < ncols; i++)
                wp->formats[i] = f;
        } else {
            for (int i = 0; i < nresults; i++) {
                wp->formats[i] = msg_get_int16(&fr);
                check_format(wp->formats[i]);
            }
        }
    }
    LM_CATCH();
    {
        sql_portal_drop(wp->portal);
        error_rethrow();
    }
    LM_END_TRY();
}

static void exec_bind(PgConn *c)
{
    MsgReader r;
    msg_reader_init(&r, c->msg, c->msglen);
    const char *portal_name = msg_get_string(&r);
    const char *stmt_name = msg_get_string(&r);
    int nformats = msg_get_int16(&r);
    if (nformats < 0)
        pq_protocol_violation("invalid number of parameter format codes: %d", nformats);
    int formats_at = r.pos;
    msg_get_bytes(&r, 2 * nformats);
    int nparams = msg_get_int16(&r);
    if (nparams < 0)
        pq_protocol_violation("invalid number of parameters: %d", nparams);
    int params_at = r.pos;
    for (int i = 0; i < nparams; i++) {
        int32 len = msg_get_int32(&r);
        if (len < -1)
            pq_protocol_violation("invalid parameter length %d", len);
        if (len > 0)
            msg_get_bytes(&r, len);
    }
    int nresults = msg_get_int16(&r);
    if (nresults < 0)
        pq_protocol_violation("invalid number of result format codes: %d", nresults);
    int results_at = r.pos;
    msg_get_bytes(&r, 2 * nresults);
    msg_get_end(&r);

    WireStmt *st = find_stmt(c, stmt_name);
    if (st == NULL) {
        if (stmt_name[0] == '\0')
            ereport(ERROR, errcode(ERRCODE_INVALID_SQL_STATEMENT_NAME),
                    errmsg("unnamed prepared statement does not exist"));
        ereport(ERROR, errcode(ERRCODE_INVALID_SQL_STATEMENT_NAME),
                errmsg("prepared statement \"%s\" does not exist", stmt_name));
    }
    if (nformats > 1 && nformats != nparams)
        ereport(
            ERROR, errcode(ERRCODE_PROTOCOL_VIOLATION),
            errmsg("bind message has %d parameter formats but %d parameters", nformats, nparams));
    int expected = sql_prepared_nparams(st->prepared);
    if (nparams != expected)
        ereport(ERROR, errcode(ERRCODE_PROTOCOL_VIOLATION),
                errmsg("bind message supplies %d parameters, but prepared statement \"%s\" "
                       "requires %d",
                       nparams, stmt_name, expected));
    if (portal_name[0] != '\0') {
        if (find_portal(c, portal_name))
            ereport(ERROR, errcode(ERRCODE_DUPLICATE_CURSOR),
                    errmsg("portal \"%s\" already exists", portal_name));
    } else {
        WirePortal *old = find_portal(c, "");
        if (old)
            drop_portal(c, old);
    }

    Arena *a = arena_create("portal", c->session->arena);
    c->pending_arena = a;
    WirePortal *wp = arena_new(a, WirePortal);
    wp->arena = a;
    wp->name = arena_strdup(a, portal_name);
    wp->stmt = st;

    /* parameters, copied out of the message buffer into the portal's arena */
    MsgReader fr;
    msg_reader_init(&fr, c->msg, c->msglen);
    fr.pos = formats_at;
    int16 *pformats = arena_new_array(a, int16, nformats + 1);
    for (int i = 0; i < nformats; i++) {
        pformats[i] = msg_get_int16(&fr);
        check_format(pformats[i]);
    }
    ParamValue *params = arena_new_array(a, ParamValue, nparams + 1);
    fr.pos = params_at;
    for (int i = 0; i < nparams; i++) {
        int32 len = msg_get_int32(&fr);
        params[i].len = len;
        params[i].format = nformats == 0 ? 0 : nformats == 1 ? pformats[0] : pformats[i];
        if (len >= 0) {
            const char *data = msg_get_bytes(&fr, len);
            char *copy = arena_alloc(a, (size_t)len + 1);
            memcpy(copy, data, (size_t)len);
            copy[len] = '\0';
            params[i].data = copy;
        }
    }

    c->error_query = st->query;
    wp->portal = sql_bind(c->session, a, st->prepared, nparams, params);
    wp->desc = wp->portal ? sql_portal_result(wp->portal) : NULL;
    set_result_formats(c, wp, nresults, results_at);

    st->refcount++;
    wp->next = c->portals;
    c->portals = wp;
    c->pending_arena = NULL;
    send_simple(c, '2'); /* BindComplete */
}

static void exec_describe(PgConn *c)
{
    MsgReader r;
    msg_reader_init(&r, c->msg, c->msglen);
    int kind = msg_get_byte(&r);
    const char *name = msg_get_string(&r);
    msg_get_end(&r);

    if (kind == 'S') {
        WireStmt *st = find_stmt(c, name);
        if (st == NULL) {
            if (name[0] == '\0')
                ereport(ERROR, errcode(ERRCODE_INVALID_SQL_STATEMENT_NAME),
                        errmsg("unnamed prepared statement does not exist"));
            ereport(ERROR, errcode(ERRCODE_INVALID_SQL_STATEMENT_NAME),
                    errmsg("prepared statement \"%s\" does not exist", name));
        }
        c->error_query = st->query;
        int n = sql_prepared_nparams(st->prepared);
        size_t start = pq_begin(c, 't'); /* ParameterDescription */
        pq_put_int16(c, (int16)n);
        for (int i = 0; i < n; i++)
            pq_put_int32(c, (int32)sql_prepared_param_type(st->prepared, i));
        pq_end(c, start);
        const ResultDesc *desc = sql_prepared_result(st->prepared);
        if (desc)
            send_row_description(c, desc, NULL); /* formats are not known yet: text */
        else
            send_simple(c, 'n'); /* NoData */
    } else if (kind == 'P') {
        WirePortal *p = find_portal(c, name);
        if (p == NULL)
            ereport(ERROR, errcode(ERRCODE_INVALID_CURSOR_NAME),
                    errmsg("portal \"%s\" does not exist", name));
        if (p->desc)
            send_row_description(c, p->desc, p->formats);
        else
            send_simple(c, 'n');
    } else
        ereport(ERROR, errcode(ERRCODE_PROTOCOL_VIOLATION),
                errmsg("invalid DESCRIBE message subtype %d", kind));
}

static void exec_execute(PgConn *c)
{
    MsgReader r;
    msg_reader_init(&r, c->msg, c->msglen);
    const char *name = msg_get_string(&r);
    int32 max_rows = msg_get_int32(&r);
    msg_get_end(&r);

    WirePortal *p = find_portal(c, name);
    if (p == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_CURSOR_NAME),
                errmsg("portal \"%s\" does not exist", name));
    c->error_query = p->stmt->query;
    if (sql_prepared_is_empty(p->stmt->prepared) || p->portal == NULL) {
        send_simple(c, 'I'); /* EmptyQueryResponse */
        return;
    }
    if (p->done) {
        /* an exhausted portal yields no more rows */
        send_command_complete(c, strncmp(p->tag, "SELECT ", 7) == 0 ? "SELECT 0" : p->tag);
        return;
    }
    WireDest dest = {.base = {.receive = dest_receive},
                     .conn = c,
                     .ncols = p->desc ? p->desc->ncols : 0,
                     .formats = p->formats};
    char tag[64] = "";
    bool done = sql_execute(c->session, p->portal, max_rows > 0 ? max_rows : 0, &dest.base, tag);
    if (done) {
        p->done = true;
        memcpy(p->tag, tag, sizeof p->tag);
        p->tag[sizeof p->tag - 1] = '\0';
        send_command_complete(c, p->tag);
    } else
        send_simple(c, 's'); /* PortalSuspended */
}

static void exec_close(PgConn *c)
{
    MsgReader r;
    msg_reader_init(&r, c->msg, c->msglen);
    int kind = msg_get_byte(&r);
    const char *name = msg_get_string(&r);
    msg_get_end(&r);
    if (kind == 'S') {
        WireStmt *st = find_stmt(c, name);
        if (st)
            drop_stmt(c, st);
    } else if (kind == 'P') {
        WirePortal *p = find_portal(c, name);
        if (p)
            drop_portal(c, p);
    } else
        ereport(ERROR, errcode(ERRCODE_PROTOCOL_VIOLATION),
                errmsg("invalid CLOSE message subtype %d", kind));
    send_simple(c, '3'); /* CloseComplete */
}

static void exec_function_call(PgConn *c)
{
    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
            errmsg("function call messages are not supported"),
            errhint("Use a SELECT statement instead."));
}

/* ---------------------------------------------------------------- COPY */

/*
 * COPY's sub-protocol, driven by server/copy.c through the Session's copy
 * hooks while a statement runs.  Copy-in reads messages here, inside the
 * statement: CopyData, CopyDone and CopyFail end or feed it; Flush and Sync
 * are ignored (as PostgreSQL does in copy-in mode); anything else is a
 * protocol violation.  After a failed COPY FROM, the client's remaining
 * CopyData/CopyDone/CopyFail messages are dropped by the main loop.
 */
static void wire_copy_begin(Session *s, bool is_in, int ncols)
{
    PgConn *c = s->wire;
    size_t start = pq_begin(c, is_in ? 'G' : 'H');
    pq_put_bytes(c, "\0", 1); /* overall format: text */
    pq_put_int16(c, (int16)ncols);
    for (int i = 0; i < ncols; i++)
        pq_put_int16(c, 0);
    pq_end(c, start);
    if (is_in) {
        pq_flush(c);
        pq_check_broken(c);
    }
}

static bool wire_copy_read(Session *s, const char **data, size_t *len)
{
    PgConn *c = s->wire;
    for (;;) {
        int type = pq_read_message(c);
        switch (type) {
        case 'd':
            *data = c->msg;
            *len = (size_t)c->msglen;
            return true;
        case 'c':
            return false;
        case 'f':
            ereport(ERROR, errcode(ERRCODE_QUERY_CANCELED),
                    errmsg("COPY from stdin failed: %s", c->msg));
        case 'H':
        case 'S':
            continue;
        default:
            ereport(ERROR, errcode(ERRCODE_PROTOCOL_VIOLATION),
                    errmsg("unexpected message type 0x%02X during COPY from stdin", type));
        }
    }
}

static void wire_copy_write(Session *s, const char *data, size_t len)
{
    PgConn *c = s->wire;
    size_t start = pq_begin(c, 'd');
    pq_put_bytes(c, data, len);
    pq_end(c, start);
    pq_check_broken(c);
}

static void wire_copy_end(Session *s)
{
    PgConn *c = s->wire;
    size_t start = pq_begin(c, 'c');
    pq_end(c, start);
}

/* ---------------------------------------------------------------- the loop */

/*
 * Runs one message handler, turning an ERROR into ErrorResponse.  In extended-protocol
 * messages an error starts skipping until Sync.  FATAL errors, a lost client and server
 * shutdown go on to the connection thread.
 */
static void run_guarded(PgConn *c, void (*handler)(PgConn *), bool extended)
{
    LM_TRY();
    {
        handler(c);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        if (e->elevel >= FATAL || c->broken)
            error_rethrow();
        pq_discard_open_message(c);
        if (atomic_load(&c->terminating)) {
            error_clear();
            ereport(FATAL, errcode(ERRCODE_ADMIN_SHUTDOWN),
                    errmsg("terminating connection due to administrator command"));
        }
        lm_log(LOG_DEBUG, "%s: %s (%s)", error_level_name(e->elevel), e->message, e->sqlstate);
        /* the error's position refers to error_query, which may live in the pending arena (a
         * failed Parse): send it before that arena goes */
        pq_send_error(c, e, 0);
        error_clear();
        c->error_query = NULL;
        if (c->pending_arena) {
            arena_destroy(c->pending_arena);
            c->pending_arena = NULL;
        }
        if (extended)
            c->ignore_till_sync = true;
    }
    LM_END_TRY();
    c->error_query = NULL;
}

static void send_ready_and_flush(PgConn *c)
{
    pq_send_ready(c, sql_txn_status(c->session));
    pq_flush(c);
    pq_check_broken(c);
}

/* DEALLOCATE name | ALL: SQL-level names share the protocol's statement namespace. */
static bool wire_deallocate(Session *s, const char *name)
{
    PgConn *c = s->wire;
    if (name == NULL) {
        while (c->stmts)
            drop_stmt(c, c->stmts);
        return true;
    }
    WireStmt *st = find_stmt(c, name);
    if (st == NULL || *name == '\0')
        return false;
    drop_stmt(c, st);
    return true;
}

/* PREPARE: a statement prepared by SQL joins the protocol's named statements. */
static void wire_stmt_add(Session *s, const char *name, Arena *a, PreparedStmt *p, const char *text)
{
    PgConn *c = s->wire;
    if (find_stmt(c, name))
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_PSTATEMENT),
                errmsg("prepared statement \"%s\" already exists", name));
    WireStmt *st = arena_new(a, WireStmt);
    st->arena = a;
    st->name = arena_strdup(a, name);
    st->query = arena_strdup(a, text);
    st->prepared = p;
    st->from_sql = true;
    st->prepare_time = catalog_now();
    st->next = c->stmts;
    c->stmts = st;
}

static PreparedStmt *wire_stmt_find(Session *s, const char *name)
{
    WireStmt *st = *name ? find_stmt(s->wire, name) : NULL;
    return st ? st->prepared : NULL;
}

static PreparedStmt *wire_stmt_acquire(Session *s, const char *name, void **handle)
{
    WireStmt *st = *name ? find_stmt(s->wire, name) : NULL;
    if (st == NULL)
        return NULL;
    st->refcount++;
    *handle = st;
    return st->prepared;
}

static void wire_stmt_release(Session *s, void *handle)
{
    WireStmt *st = handle;
    if (--st->refcount == 0 && st->closed)
        arena_destroy(st->arena);
}

/* pg_prepared_statements lists the named statements, oldest first (as PostgreSQL's hash
 * order is not meaningful, a stable order is the useful one). */
static bool wire_stmt_iter(Session *s, int index, const char **name, const char **text,
                           int64 *prepare_time, bool *from_sql, PreparedStmt **p)
{
    PgConn *c = s->wire;
    int n = 0;
    for (WireStmt *st = c->stmts; st; st = st->next)
        n += st->name[0] != '\0';
    if (index < 0 || index >= n)
        return false;
    /* the list is newest first: the index-th oldest is the (n-1-index)-th named entry */
    int want = n - 1 - index;
    for (WireStmt *st = c->stmts; st; st = st->next) {
        if (st->name[0] == '\0')
            continue;
        if (want-- == 0) {
            *name = st->name;
            *text = st->query;
            *prepare_time = st->prepare_time;
            *from_sql = st->from_sql;
            *p = st->prepared;
            return true;
        }
    }
    return false;
}

void pgwire_serve(PgConn *c)
{
    Session *s = c->session;
    s->deallocate = wire_deallocate;
    s->stmt_add = wire_stmt_add;
    s->stmt_find = wire_stmt_find;
    s->stmt_acquire = wire_stmt_acquire;
    s->stmt_release = wire_stmt_release;
    s->stmt_iter = wire_stmt_iter;
    s->copy_begin = wire_copy_begin;
    s->copy_read = wire_copy_read;
    s->copy_write = wire_copy_write;
    s->copy_end = wire_copy_end;
    bool idle = true; /* ReadyForQuery was the last thing sent */
    for (;;) {
        int type = pq_read_message(c);
        /* a cancel that arrived while the session was idle (waiting in the read above) has
         * nothing to cancel: forget it before running the new message */
        if (idle)
            atomic_store(&s->cancel_requested, false);
        if (!strchr("QPBDECSHXFdcf", type) || type == 0)
            pq_protocol_violation("invalid frontend message type %d", type);
        if (type == 'X')
            return; /* Terminate */
        if (c->ignore_till_sync && type != 'S')
            continue;
        idle = false;
        switch (type) {
        case 'Q':
            run_guarded(c, exec_simple_query, false);
            end_of_implicit_transaction(c);
            send_ready_and_flush(c);
            idle = true;
            break;
        case 'P':
            run_guarded(c, exec_parse, true);
            break;
        case 'B':
            run_guarded(c, exec_bind, true);
            break;
        case 'D':
            run_guarded(c, exec_describe, true);
            break;
        case 'E':
            run_guarded(c, exec_execute, true);
            break;
        case 'C':
            run_guarded(c, exec_close, true);
            break;
        case 'S': {
            MsgReader r;
            msg_reader_init(&r, c->msg, c->msglen);
            msg_get_end(&r);
            c->ignore_till_sync = false;
            end_of_implicit_transaction(c);
            send_ready_and_flush(c);
            idle = true;
            break;
        }
        case 'H': {
            MsgReader r;
            msg_reader_init(&r, c->msg, c->msglen);
            msg_get_end(&r);
            pq_flush(c);
            pq_check_broken(c);
            break;
        }
        case 'F':
            run_guarded(c, exec_function_call, false);
            send_ready_and_flush(c);
            idle = true;
            break;
        case 'd':
        case 'c':
        case 'f':
            /* COPY messages outside COPY: ignored, as PostgreSQL does (a COPY that failed
             * may leave the client still sending data) */
            break;
        default:
            pq_protocol_violation("invalid frontend message type %d", type);
        }
    }
}
