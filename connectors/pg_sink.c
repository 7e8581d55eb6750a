/*
 * pg_sink.c: the PostgreSQL sink (connector "postgres") — writes a
 * pipeline's rows into a PostgreSQL table with COPY, exactly once.
 *
 * Write modes: append (COPY into the target), upsert (COPY into an unlogged
 * staging table laminar_stage_<sink>_<subtask>, then per primary key only
 * the epoch's last operation counts: DELETE ... USING for keys whose last
 * operation is a delete, INSERT ... ON CONFLICT (pk) DO UPDATE for the
 * others, and the staging rows are deleted in the same transaction;
 * UPDATE_BEFORE rows are dropped, UPDATE_AFTER upserts), overwrite (append,
 * after the target is truncated once when the job starts fresh — never on
 * restore: the first subtask to connect truncates it and leaves a marker
 * row (subtask -1) in the progress table, all under an advisory lock, so
 * parallel subtasks truncate once and before any of them commits rows).
 * create_table_if_not_exists creates the target from the sink's columns
 * (type_pg_format; MAP/STRUCT as jsonb; primary key from primary_keys).
 *
 * Rows are formatted as text COPY lines (pg_copy_value) into chunks of about
 * 1 MB that belong to an epoch (the rows between two checkpoints).  When
 * batch_size rows, batch_bytes bytes or batch_interval have accumulated, the
 * chunks are streamed into a COPY of an open PostgreSQL transaction — on a
 * non-blocking connection, so the job keeps producing while PostgreSQL
 * parses — unless an older epoch still waits for its commit.  When one of
 * these conditions was set on the table (not a default) and is reached, the
 * sink also asks the runtime for a checkpoint (request_checkpoint), so the
 * batch is committed then rather than at the next checkpoint_interval.
 *
 * Exactly once, with a progress row laminar_sink_progress(job_id, sink,
 * subtask, checkpoint_id) written in the same transaction as the epoch's
 * rows.  Two ways, chosen by the target server:
 *  - Two-phase (max_prepared_transactions > 0, and no older epoch awaits
 *    its commit — else this epoch is staged as below, because its upserts
 *    could wait for row locks of the prepared transaction that only this
 *    thread can commit): prepare(cp) ends the COPY,
 *    runs the upsert merge, sets the progress row and PREPARE TRANSACTION
 *    'laminar:<job>:<sink>:<subtask>:<cp>'; the epoch's memory is freed.
 *    commit(cp), after the checkpoint is durable, runs COMMIT PREPARED.
 *    After a crash, open() commits this subtask's prepared transactions of
 *    checkpoints <= last_committed and rolls back the later ones (their rows
 *    are replayed by the sources).
 *  - Staged (max_prepared_transactions = 0, PostgreSQL's default):
 *    prepare(cp) puts the epoch's chunks into the checkpoint's RocksDB batch
 *    (CF_META "pgsink/<job>/<sink>/" subtask cp chunk), durable together
 *    with the source positions that follow them; commit(cp) writes what was
 *    not streamed yet, the merge and the progress row, and COMMITs; then the
 *    staged chunks are deleted.  After a crash, open() commits staged epochs
 *    of checkpoints <= last_committed unless the progress row already holds
 *    that checkpoint (the crash came after PostgreSQL's COMMIT).  Costs a
 *    second write of every row (RocksDB) and keeps an epoch in memory until
 *    its commit.
 * A lost connection (also during COMMIT or PREPARE: the progress row or
 * pg_prepared_xacts tells whether it happened) is retried on a new
 * connection from the epoch's chunks, with backoff, reported as
 * CONNECTION_ERROR; after retry_timeout the job fails.  The first
 * connection is made by the first write or checkpoint, not by open(), which
 * runs in the thread starting the job.
 * Known limits: rows become visible at checkpoints (early ones included); a job that fails for
 * good between PREPARE and COMMIT PREPARED leaves its prepared transaction
 * (visible in pg_prepared_xacts, gid laminar:...) holding its locks until
 * the job is restarted or an administrator resolves it.
 */
#include "connectors/builtin.h"
#include "connectors/pg_common.h"
#include "common/errcodes.h"
#include "common/error.h"
#include "common/log.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHUNK_BYTES (1 << 20)

typedef enum WriteMode { WM_APPEND, WM_UPSERT, WM_OVERWRITE } WriteMode;

typedef struct Chunk Chunk;
struct Chunk {
    StrBuf text; /* COPY text lines (heap) */
    Chunk *next;
};

typedef struct Epoch Epoch;
struct Epoch {
    int64 cp; /* checkpoint id once prepared; 0 while rows arrive */
    Chunk *head, *tail;
    int nchunks;
    Chunk *sent_upto; /* last chunk sent into the open transaction (NULL: none) */
    int64 rows, unsent_rows;
    size_t unsent_bytes;
    bool prepared; /* two-phase: PREPARE TRANSACTION done, chunks freed */
    Epoch *next;
};

typedef struct PgSink {
    ConnectorContext *cc;
    const CatTable *t;
    WriteMode mode;
    const char *schema, *table, *sink_name;
    int *pk; /* sink column indexes of primary_keys */
    int npk;
    PGconn *conn;
    Epoch *txn_epoch; /* the epoch whose rows went into the open transaction; NULL: none */
    Epoch *pending;   /* prepared, not committed (oldest first) */
    Epoch *current;
    int64 seq; /* upsert: order of operations */
    int64 batch_rows, batch_bytes, batch_interval_us;
    bool set_rows, set_bytes, set_interval; /* configured: reaching them commits early */
    int64 last_flush_us;
    char *copy_sql, *merge_sql, *progress_sql, *stage_sql;
    bool two_phase;    /* the target allows PREPARE TRANSACTION (max_prepared_transactions > 0) */
    bool copy_open;    /* a COPY ... FROM STDIN is in progress on conn */
    int queued_chunks; /* chunks handed to libpq since its buffer was last empty */
    bool ready; /* connected once, target set up, staged epochs of a previous run recovered */
    bool create_table;
    int64 last_committed;
} PgSink;

/* ---- SQL building ---- */

static const char *opt(ConnectorContext *cc, const char *name)
{
    const char *v = resolved_get(cc->opts, name);
    if (v == NULL)
        v = postgres_url_param(cc->arena, cc->opts, name);
    return v;
}

static void append_columns(StrBuf *b, const CatTable *t, const char *prefix)
{
    for (int c = 0; c < t->ncolumns; c++) {
        if (c)
            strbuf_append_str(b, ", ");
        if (prefix)
            strbuf_append_str(b, prefix);
        pg_append_ident(b, t->columns[c].name);
    }
}

static void append_pk(StrBuf *b, PgSink *s, const char *prefix)
{
    for (int i = 0; i < s->npk; i++) {
        if (i)
            strbuf_append_str(b, ", ");
        if (prefix)
            strbuf_append_str(b, prefix);
        pg_append_ident(b, s->t->columns[s->pk[i]].name);
    }
}

static void append_pg_type(StrBuf *b, const LmType *type)
{
    if (type->id == TYPE_MAP || type->id == TYPE_STRUCT)
        strbuf_append_str(b, "jsonb");
    else
        type_pg_format(type, b);
}

static void build_sql(PgSink *s)
{
    Arena *a = s->cc->arena;
    StrBuf b;
    strbuf_init(&b, a);
    /* upsert staging: an unlogged table per sink subtask, emptied inside each transaction (a
     * temporary table would forbid PREPARE TRANSACTION) */
    char stage_name[200];
    snprintf(stage_name, sizeof stage_name, "laminar_stage_%s_%d", s->sink_name, s->cc->subtask);
    StrBuf stage;
    strbuf_init(&stage, a);
    pg_append_qualified(&stage, s->schema, stage_name);
    strbuf_append_str(&b, "COPY ");
    if (s->mode == WM_UPSERT)
        strbuf_append_str(&b, stage.data);
    else
        pg_append_qualified(&b, s->schema, s->table);
    strbuf_append_str(&b, " (");
    append_columns(&b, s->t, NULL);
    if (s->mode == WM_UPSERT)
        strbuf_append_str(&b, ", laminar_seq, laminar_op");
    strbuf_append_str(&b, ") FROM STDIN");
    s->copy_sql = b.data;

    strbuf_init(&b, a);
    strbuf_append_str(&b, "INSERT INTO ");
    pg_append_qualified(&b, s->schema, "laminar_sink_progress");
    strbuf_append_str(&b, " (job_id, sink, subtask, checkpoint_id) VALUES ($1, $2, $3, $4) "
                          "ON CONFLICT (job_id, sink, subtask) DO UPDATE SET checkpoint_id = "
                          "EXCLUDED.checkpoint_id");
    s->progress_sql = b.data;

    if (s->mode != WM_UPSERT)
        return;
    strbuf_init(&b, a);
    strbuf_append_str(&b, "CREATE UNLOGGED TABLE IF NOT EXISTS ");
    strbuf_append_str(&b, stage.data);
    strbuf_append_str(&b, " (");
    for (int c = 0; c < s->t->ncolumns; c++) {
        pg_append_ident(&b, s->t->columns[c].name);
        strbuf_append_char(&b, ' ');
        append_pg_type(&b, s->t->columns[c].type);
        strbuf_append_str(&b, ", ");
    }
    strbuf_append_str(&b, "laminar_seq bigint, laminar_op \"char\"); ");
    s->stage_sql = b.data;

    /* the last operation per key: DISTINCT ON (pk) ... ORDER BY pk, laminar_seq DESC */
    StrBuf last;
    strbuf_init(&last, a);
    strbuf_append_str(&last, "(SELECT DISTINCT ON (");
    append_pk(&last, s, NULL);
    strbuf_append_str(&last, ") * FROM ");
    strbuf_append_str(&last, stage.data);
    strbuf_append_str(&last, " ORDER BY ");
    append_pk(&last, s, NULL);
    strbuf_append_str(&last, ", laminar_seq DESC) l");

    strbuf_init(&b, a);
    strbuf_append_str(&b, "DELETE FROM ");
    pg_append_qualified(&b, s->schema, s->table);
    strbuf_append_str(&b, " t USING ");
    strbuf_append_str(&b, last.data);
    strbuf_append_str(&b, " WHERE l.laminar_op = 'D'");
    for (int i = 0; i < s->npk; i++) {
        strbuf_append_str(&b, " AND t.");
        pg_append_ident(&b, s->t->columns[s->pk[i]].name);
        strbuf_append_str(&b, " = l.");
        pg_append_ident(&b, s->t->columns[s->pk[i]].name);
    }
    strbuf_append_str(&b, "; INSERT INTO ");
    pg_append_qualified(&b, s->schema, s->table);
    strbuf_append_str(&b, " (");
    append_columns(&b, s->t, NULL);
    strbuf_append_str(&b, ") SELECT ");
    append_columns(&b, s->t, "l.");
    strbuf_append_str(&b, " FROM ");
    strbuf_append_str(&b, last.data);
    strbuf_append_str(&b, " WHERE l.laminar_op <> 'D' ON CONFLICT (");
    append_pk(&b, s, NULL);
    strbuf_append_str(&b, ") DO ");
    bool any = false;
    for (int c = 0; c < s->t->ncolumns; c++) {
        bool is_pk = false;
        for (int i = 0; i < s->npk; i++)
            is_pk |= s->pk[i] == c;
        if (is_pk)
            continue;
        strbuf_append_str(&b, any ? ", " : "UPDATE SET ");
        pg_append_ident(&b, s->t->columns[c].name);
        strbuf_append_str(&b, " = EXCLUDED.");
        pg_append_ident(&b, s->t->columns[c].name);
        any = true;
    }
    if (!any)
        strbuf_append_str(&b, "NOTHING");
    strbuf_append_str(&b, "; DELETE FROM ");
    strbuf_append_str(&b, stage.data);
    s->merge_sql = b.data;
}

/* ---- connection and statements ---- */

/* Runs sql; returns false if the connection was lost (raises on SQL errors). */
static bool exec_ok(PgSink *s, const char *sql)
{
    PGresult *res = PQexec(s->conn, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        PQclear(res);
        return true;
    }
    if (pg_conn_lost(s->conn)) {
        PQclear(res);
        return false;
    }
    pg_raise(s->conn, res, "sink");
}

static void drop_connection(PgSink *s)
{
    if (s->conn)
        PQfinish(s->conn);
    s->conn = NULL;
    s->copy_open = false;
    if (s->txn_epoch)
        s->txn_epoch->sent_upto = NULL;
    s->txn_epoch = NULL;
}

static void ensure_connection(PgSink *s)
{
    if (s->conn && !pg_conn_lost(s->conn))
        return;
    drop_connection(s);
    s->conn = pg_connect_retry(s->cc, "sink");
}

/* The target's checkpoint in laminar_sink_progress (0: none); -1 if the connection was lost. */
static int64 read_progress(PgSink *s, int subtask)
{
    char sub[16];
    snprintf(sub, sizeof sub, "%d", subtask);
    const char *params[3] = {s->cc->job_id, s->sink_name, sub};
    StrBuf q;
    strbuf_init(&q, NULL);
    strbuf_append_str(&q, "SELECT checkpoint_id FROM ");
    pg_append_qualified(&q, s->schema, "laminar_sink_progress");
    strbuf_append_str(&q, " WHERE job_id = $1 AND sink = $2 AND subtask = $3");
    PGresult *res = PQexecParams(s->conn, q.data, 3, NULL, params, NULL, NULL, 0);
    strbuf_free(&q);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        if (pg_conn_lost(s->conn)) {
            PQclear(res);
            return -1;
        }
        pg_raise(s->conn, res, "sink");
    }
    int64 v = PQntuples(res) > 0 ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
    PQclear(res);
    return v;
}

/* Waits until libpq's output buffer is sent (non-blocking connection); false if lost. */
static bool drain_output(PgSink *s)
{
    int r;
    while ((r = PQflush(s->conn)) == 1) {
        struct pollfd pfd = {.fd = PQsocket(s->conn), .events = POLLOUT | POLLIN};
        poll(&pfd, 1, 100);
        if ((pfd.revents & POLLIN) && !PQconsumeInput(s->conn))
            return false;
    }
    return r == 0;
}

/* Ends the COPY in progress (if any) and checks its result; false if the connection was lost. */
static bool finish_copy(PgSink *s)
{
    if (!s->copy_open)
        return true;
    s->copy_open = false;
    /* send what libpq still buffers, then back to blocking for the end of the COPY */
    if (!drain_output(s) || PQsetnonblocking(s->conn, 0) != 0 || PQputCopyEnd(s->conn, NULL) != 1)
        return false;
    PGresult *res = PQgetResult(s->conn);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        if (pg_conn_lost(s->conn)) {
            PQclear(res);
            return false;
        }
        pg_raise(s->conn, res, "sink");
    }
    PQclear(res);
    while ((res = PQgetResult(s->conn)) != NULL)
        PQclear(res);
    return true;
}

/*
 * Streams the chunks of e after e->sent_upto into the COPY of the open transaction (started
 * on first use and left open, so PostgreSQL parses rows while the job formats the next ones;
 * finish_copy ends it before the transaction's other statements).  false if the connection
 * was lost.
 */
static bool send_chunks(PgSink *s, Epoch *e)
{
    Chunk *c = e->sent_upto ? e->sent_upto->next : e->head;
    if (c == NULL)
        return true;
    if (!s->copy_open) {
        PGresult *res = PQexec(s->conn, s->copy_sql);
        if (PQresultStatus(res) != PGRES_COPY_IN) {
            if (pg_conn_lost(s->conn)) {
                PQclear(res);
                return false;
            }
            pg_raise(s->conn, res, "sink");
        }
        PQclear(res);
        s->copy_open = true;
        /* non-blocking while the COPY streams: libpq queues what the socket does not take,
         * so the job keeps producing while PostgreSQL parses */
        if (PQsetnonblocking(s->conn, 1) != 0)
            return false;
    }
    Chunk *last = e->sent_upto;
    for (; c; c = c->next) {
        if (c->text.len > 0) {
            int r;
            while ((r = PQputCopyData(s->conn, c->text.data, (int)c->text.len)) == 0) {
                /* libpq's buffer is full: wait until the socket takes some */
                if (PQflush(s->conn) < 0)
                    return false;
                struct pollfd pfd = {.fd = PQsocket(s->conn), .events = POLLOUT};
                poll(&pfd, 1, 100);
            }
            if (r < 0)
                return false;
        }
        last = c;
        /* libpq moves its unsent bytes down after every partial send: keep its buffer to a few
         * chunks, waiting for PostgreSQL when the job is that far ahead */
        int f = PQflush(s->conn);
        if (f < 0)
            return false;
        s->queued_chunks = f == 0 ? 0 : s->queued_chunks + 1;
        if (s->queued_chunks >= 4) {
            if (!drain_output(s))
                return false;
            s->queued_chunks = 0;
        }
    }
    e->sent_upto = last;
    return true;
}

/* Opens the transaction for e (the oldest uncommitted epoch) if none is open. */
static bool begin_epoch(PgSink *s, Epoch *e)
{
    if (s->txn_epoch == e)
        return true;
    if (!exec_ok(s, "BEGIN"))
        return false;
    s->txn_epoch = e;
    e->sent_upto = NULL;
    return true;
}

/* One attempt at committing e; false if the connection was lost on the way. */
static bool try_commit_epoch(PgSink *s, Epoch *e)
{
    if (s->txn_epoch != e) {
        int64 done = read_progress(s, s->cc->subtask);
        if (done < 0)
            return false;
        if (done >= e->cp)
            return true; /* committed before (the COMMIT's answer was lost, or a replay) */
        if (!begin_epoch(s, e))
            return false;
    }
    if (!send_chunks(s, e) || !finish_copy(s))
        return false;
    if (s->mode == WM_UPSERT && !exec_ok(s, s->merge_sql))
        return false;
    char sub[16], cp[24];
    snprintf(sub, sizeof sub, "%d", s->cc->subtask);
    snprintf(cp, sizeof cp, "%lld", (long long)e->cp);
    const char *params[4] = {s->cc->job_id, s->sink_name, sub, cp};
    PGresult *res = PQexecParams(s->conn, s->progress_sql, 4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        if (pg_conn_lost(s->conn)) {
            PQclear(res);
            return false;
        }
        pg_raise(s->conn, res, "sink");
    }
    PQclear(res);
    bool ok = exec_ok(s, "COMMIT");
    if (ok)
        s->txn_epoch = NULL;
    return ok;
}

/* Runs one step for e (try_*: false = connection lost) until it succeeds, reconnecting with
 * backoff; SQL errors are raised. */
static void with_retry(PgSink *s, Epoch *e, bool (*step)(PgSink *, Epoch *))
{
    PgRetry r = {0};
    for (;;) {
        ensure_connection(s);
        bool ok;
        LM_TRY();
        {
            ok = step(s, e);
        }
        LM_CATCH();
        {
            /* an SQL error: the transaction is dead; leave a clean connection behind */
            drop_connection(s);
            error_rethrow();
        }
        LM_END_TRY();
        if (ok)
            return;
        char *msg = arena_printf(s->cc->arena, "postgres sink lost its connection: %s",
                                 s->conn ? PQerrorMessage(s->conn) : "");
        drop_connection(s);
        if (!pg_retry_wait(s->cc, &r, msg))
            ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE),
                    errmsg("postgres sink lost its connection to the database"),
                    errdetail("%s", msg));
    }
}

/* ---- two-phase commit ---- */

static void gid_of(PgSink *s, int64 cp, char *buf, size_t cap)
{
    snprintf(buf, cap, "laminar:%s:%s:%d:%lld", s->cc->job_id, s->sink_name, s->cc->subtask,
             (long long)cp);
    for (char *p = buf; *p; p++)
        if (*p == '\'')
            *p = '_'; /* the gid goes into SQL literals */
}

/* 1 if the prepared transaction exists, 0 if not, -1 if the connection was lost. */
static int gid_exists(PgSink *s, const char *gid)
{
    const char *params[1] = {gid};
    PGresult *res = PQexecParams(s->conn, "SELECT 1 FROM pg_prepared_xacts WHERE gid = $1", 1, NULL,
                                 params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        if (pg_conn_lost(s->conn)) {
            PQclear(res);
            return -1;
        }
        pg_raise(s->conn, res, "sink");
    }
    int n = PQntuples(res);
    PQclear(res);
    return n > 0;
}

/* Writes e and its progress row in a transaction and prepares it (PREPARE TRANSACTION). */
static bool try_prepare_epoch(PgSink *s, Epoch *e)
{
    char gid[300], sql[400];
    gid_of(s, e->cp, gid, sizeof gid);
    if (s->txn_epoch != e) {
        int x = gid_exists(s, gid);
        if (x < 0)
            return false;
        if (x > 0)
            return true; /* prepared before the connection broke */
        if (!begin_epoch(s, e))
            return false;
    }
    if (!send_chunks(s, e) || !finish_copy(s))
        return false;
    if (s->mode == WM_UPSERT && !exec_ok(s, s->merge_sql))
        return false;
    char sub[16], cp[24];
    snprintf(sub, sizeof sub, "%d", s->cc->subtask);
    snprintf(cp, sizeof cp, "%lld", (long long)e->cp);
    const char *params[4] = {s->cc->job_id, s->sink_name, sub, cp};
    PGresult *res = PQexecParams(s->conn, s->progress_sql, 4, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        if (pg_conn_lost(s->conn)) {
            PQclear(res);
            return false;
        }
        pg_raise(s->conn, res, "sink");
    }
    PQclear(res);
    snprintf(sql, sizeof sql, "PREPARE TRANSACTION '%s'", gid);
    if (!exec_ok(s, sql))
        return false;
    s->txn_epoch = NULL;
    return true;
}

/* COMMIT PREPARED of e; a transaction that is gone must have been committed (progress). */
static bool try_commit_prepared(PgSink *s, Epoch *e)
{
    char gid[300], sql[400];
    gid_of(s, e->cp, gid, sizeof gid);
    int x = gid_exists(s, gid);
    if (x < 0)
        return false;
    if (x > 0) {
        snprintf(sql, sizeof sql, "COMMIT PREPARED '%s'", gid);
        return exec_ok(s, sql);
    }
    int64 done = read_progress(s, s->cc->subtask);
    if (done < 0)
        return false;
    if (done < e->cp)
        ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
                errmsg("postgres sink \"%s\": prepared transaction \"%s\" disappeared before its "
                       "commit",
                       s->sink_name, gid),
                errhint("Was it rolled back by hand (ROLLBACK PREPARED)?"));
    return true;
}

/* After a restart: commits this subtask's prepared transactions of completed checkpoints and
 * rolls back the others (their rows are replayed by the sources). */
static void resolve_prepared(PgSink *s, int64 last_committed)
{
    char prefix[300];
    gid_of(s, 0, prefix, sizeof prefix);
    prefix[strlen(prefix) - 1] = '\0'; /* "laminar:job:sink:subtask:" */
    StrBuf like;
    strbuf_init(&like, s->cc->arena);
    for (const char *p = prefix; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            strbuf_append_char(&like, '\\');
        strbuf_append_char(&like, *p);
    }
    strbuf_append_char(&like, '%');
    const char *params[1] = {like.data};
    PGresult *res = PQexecParams(s->conn,
                                 "SELECT gid FROM pg_prepared_xacts WHERE gid LIKE $1 "
                                 "AND database = current_database()",
                                 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        pg_raise(s->conn, res, "sink");
    for (int i = 0; i < PQntuples(res); i++) {
        const char *gid = PQgetvalue(res, i, 0);
        int64 cp = strtoll(gid + strlen(prefix), NULL, 10);
        lm_log(LOG_INFO,
               "postgres sink %s: %s prepared transaction of checkpoint %lld after a "
               "restart",
               s->sink_name, cp <= last_committed ? "committing" : "rolling back", (long long)cp);
        char sql[400];
        snprintf(sql, sizeof sql, "%s PREPARED '%s'", cp <= last_committed ? "COMMIT" : "ROLLBACK",
                 gid);
        if (!exec_ok(s, sql)) {
            PQclear(res);
            ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE),
                    errmsg("postgres sink lost its connection to the database while resolving "
                           "prepared transactions"));
        }
    }
    PQclear(res);
}

/* ---- staging in RocksDB ---- */

static size_t stage_prefix(PgSink *s, char *buf, size_t cap)
{
    int n = snprintf(buf, cap - 4, "pgsink/%s/%s/", s->cc->job_id, s->sink_name);
    storage_key_put_u32(buf + n, (uint32)s->cc->subtask);
    return (size_t)n + 4;
}

static void delete_staged(PgSink *s, int64 cp)
{
    char from[300], to[300];
    size_t n = stage_prefix(s, from, sizeof from - 12);
    memcpy(to, from, n);
    storage_key_put_i64(from + n, cp);
    storage_key_put_i64(to + n, cp + 1);
    StorageBatch *b = storage_batch_create();
    storage_batch_delete_range(b, CF_META, from, n + 8, to, n + 8);
    storage_batch_commit(s->cc->storage, b, false);
    storage_batch_destroy(b);
}

/* ---- epochs ---- */

static Epoch *epoch_new(void)
{
    Epoch *e = calloc(1, sizeof(Epoch));
    if (e == NULL)
        ereport(ERROR, errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"));
    return e;
}

static Chunk *chunk_add(Epoch *e)
{
    Chunk *c = calloc(1, sizeof(Chunk));
    if (c == NULL)
        ereport(ERROR, errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"));
    strbuf_init(&c->text, NULL);
    strbuf_reserve(&c->text, CHUNK_BYTES + 4096);
    if (e->tail)
        e->tail->next = c;
    else
        e->head = c;
    e->tail = c;
    e->nchunks++;
    return c;
}

static void epoch_free(Epoch *e)
{
    for (Chunk *c = e->head, *n; c; c = n) {
        n = c->next;
        strbuf_free(&c->text);
        free(c);
    }
    free(e);
}

static void ensure_ready(PgSink *s);

static void commit_pending(PgSink *s, int64 upto)
{
    ensure_ready(s);
    while (s->pending && s->pending->cp <= upto) {
        Epoch *e = s->pending;
        if (e->rows > 0)
            with_retry(s, e, e->prepared ? try_commit_prepared : try_commit_epoch);
        if (e->nchunks > 0)
            delete_staged(s, e->cp);
        s->pending = e->next;
        epoch_free(e);
    }
}

/* Finds staged chunks of a previous run: commits those of completed checkpoints, drops the
 * rest. */
static void recover_staged(PgSink *s, int64 last_committed)
{
    char prefix[300];
    size_t plen = stage_prefix(s, prefix, sizeof prefix);
    StorageIter *it = storage_iter_prefix(s->cc->storage, CF_META, prefix, plen);
    Epoch *e = NULL, *recovered = NULL, **tailp = &recovered;
    int64 stale_from = 0;
    for (; storage_iter_valid(it); storage_iter_next(it)) {
        size_t kl, vl;
        const char *k = storage_iter_key(it, &kl);
        const char *v = storage_iter_value(it, &vl);
        if (kl != plen + 12)
            continue;
        int64 cp = storage_key_get_i64(k + plen);
        if (cp > last_committed) {
            if (stale_from == 0)
                stale_from = cp;
            continue;
        }
        if (e == NULL || e->cp != cp) {
            e = epoch_new();
            e->cp = cp;
            *tailp = e;
            tailp = &e->next;
        }
        Chunk *c = chunk_add(e);
        strbuf_append(&c->text, v, vl);
        e->rows++; /* nonzero: something to commit */
    }
    storage_iter_destroy(it);
    for (Epoch *p = recovered; p; p = p->next)
        lm_log(LOG_INFO,
               "postgres sink %s: checkpoint %lld staged before a restart: committing "
               "it unless PostgreSQL has it",
               s->sink_name, (long long)p->cp);
    if (stale_from > 0) {
        char from[300], to[300];
        memcpy(from, prefix, plen);
        memcpy(to, prefix, plen);
        storage_key_put_i64(from + plen, stale_from);
        storage_key_put_i64(to + plen, INT64_MAX);
        StorageBatch *b = storage_batch_create();
        storage_batch_delete_range(b, CF_META, from, plen + 8, to, plen + 8);
        storage_batch_commit(s->cc->storage, b, false);
        storage_batch_destroy(b);
    }
    /* they go before the epochs of this run (empty ones prepared before the first connection) */
    *tailp = s->pending;
    s->pending = recovered;
    commit_pending(s, last_committed);
}

/* ---- setup ---- */

static void setup_target(PgSink *s, int64 last_committed, bool create)
{
    StrBuf q;
    strbuf_init(&q, s->cc->arena);
    /* one subtask at a time: CREATE TABLE IF NOT EXISTS races otherwise, and overwrite
     * truncates exactly once */
    strbuf_append_str(&q, "BEGIN; SELECT pg_advisory_xact_lock(hashtext('laminar_sink_setup')); "
                          "CREATE TABLE IF NOT EXISTS ");
    pg_append_qualified(&q, s->schema, "laminar_sink_progress");
    strbuf_append_str(&q, " (job_id text, sink text, subtask int, checkpoint_id bigint, "
                          "PRIMARY KEY (job_id, sink, subtask)); ");
    if (create) {
        strbuf_append_str(&q, "CREATE TABLE IF NOT EXISTS ");
        pg_append_qualified(&q, s->schema, s->table);
        strbuf_append_str(&q, " (");
        for (int c = 0; c < s->t->ncolumns; c++) {
            if (c)
                strbuf_append_str(&q, ", ");
            pg_append_ident(&q, s->t->columns[c].name);
            strbuf_append_char(&q, ' ');
            append_pg_type(&q, s->t->columns[c].type);
            if (s->t->columns[c].not_null)
                strbuf_append_str(&q, " NOT NULL");
        }
        if (s->npk > 0) {
            strbuf_append_str(&q, ", PRIMARY KEY (");
            append_pk(&q, s, NULL);
            strbuf_append_char(&q, ')');
        }
        strbuf_append_str(&q, "); ");
    }
    if (s->mode == WM_UPSERT)
        strbuf_append_str(&q, s->stage_sql);
    if (!exec_ok(s, q.data))
        goto lost;
    if (s->mode == WM_OVERWRITE && last_committed == 0) {
        char sub[16];
        snprintf(sub, sizeof sub, "%d", -1);
        const char *params[4] = {s->cc->job_id, s->sink_name, sub, "0"};
        /* the marker row exists once the target was truncated for this job */
        StrBuf m;
        strbuf_init(&m, s->cc->arena);
        strbuf_append_str(&m, "SELECT 1 FROM ");
        pg_append_qualified(&m, s->schema, "laminar_sink_progress");
        strbuf_append_str(&m, " WHERE job_id = $1 AND sink = $2 AND subtask = $3");
        PGresult *res = PQexecParams(s->conn, m.data, 3, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            if (pg_conn_lost(s->conn)) {
                PQclear(res);
                goto lost;
            }
            pg_raise(s->conn, res, "sink");
        }
        bool truncated = PQntuples(res) > 0;
        PQclear(res);
        if (!truncated) {
            strbuf_reset(&m);
            strbuf_append_str(&m, "TRUNCATE ");
            pg_append_qualified(&m, s->schema, s->table);
            if (!exec_ok(s, m.data))
                goto lost;
            res = PQexecParams(s->conn, s->progress_sql, 4, NULL, params, NULL, NULL, 0);
            if (PQresultStatus(res) != PGRES_COMMAND_OK) {
                if (pg_conn_lost(s->conn)) {
                    PQclear(res);
                    goto lost;
                }
                pg_raise(s->conn, res, "sink");
            }
            PQclear(res);
        }
    }
    if (!exec_ok(s, "COMMIT"))
        goto lost;
    PGresult *res = PQexec(s->conn, "SELECT current_setting('max_prepared_transactions')::int");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        if (pg_conn_lost(s->conn)) {
            PQclear(res);
            goto lost;
        }
        pg_raise(s->conn, res, "sink");
    }
    s->two_phase = atoi(PQgetvalue(res, 0, 0)) > 0;
    PQclear(res);
    return;
lost:
    ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE),
            errmsg("postgres sink lost its connection to the database while preparing the target"),
            errdetail("%s", s->conn ? PQerrorMessage(s->conn) : ""));
}

static bool parse_bool(const char *v)
{
    return v && (strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 ||
                 strcasecmp(v, "yes") == 0 || strcmp(v, "1") == 0);
}

static void *pg_sink_open(ConnectorContext *cc, int64 last_committed)
{
    const CatTable *t = cc->table;
    PgSink *s = arena_new(cc->arena, PgSink);
    s->cc = cc;
    s->t = t;
    s->sink_name = t->name;
    s->table = opt(cc, "table");
    if (s->table == NULL)
        s->table = t->name;
    s->schema = opt(cc, "schema");
    if (s->schema == NULL)
        s->schema = "public";
    const char *mode = opt(cc, "write_mode");
    s->mode = mode == NULL || strcasecmp(mode, "append") == 0 ? WM_APPEND
              : strcasecmp(mode, "upsert") == 0               ? WM_UPSERT
                                                              : WM_OVERWRITE;
    const char *pks = opt(cc, "primary_keys");
    s->pk = arena_new_array(cc->arena, int, t->ncolumns > 0 ? t->ncolumns : 1);
    if (pks) {
        char *list = arena_strdup(cc->arena, pks), *save = NULL;
        for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            while (*tok == ' ')
                tok++;
            size_t l = strlen(tok);
            while (l > 0 && tok[l - 1] == ' ')
                tok[--l] = '\0';
            int found = -1;
            for (int c = 0; c < t->ncolumns; c++)
                if (strcasecmp(t->columns[c].name, tok) == 0)
                    found = c;
            if (found < 0)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("primary key column \"%s\" does not exist in sink table \"%s\"", tok,
                               t->name));
            if (s->npk < t->ncolumns)
                s->pk[s->npk++] = found;
        }
    } else if (t->nprimary_key > 0) {
        for (int i = 0; i < t->nprimary_key; i++)
            s->pk[s->npk++] = t->primary_key[i];
    }
    if (s->mode == WM_UPSERT && s->npk == 0)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("write_mode 'upsert' of sink table \"%s\" needs primary_keys", t->name));
    const char *v;
    s->batch_rows = (v = opt(cc, "batch_size")) ? strtoll(v, NULL, 10) : 10000;
    int64 bytes = 4 << 20, ms = 1000;
    if ((v = opt(cc, "batch_bytes")))
        connector_parse_size(v, &bytes);
    if ((v = opt(cc, "batch_interval")))
        connector_parse_duration_ms(v, &ms);
    s->batch_bytes = bytes;
    s->batch_interval_us = ms * 1000;
    s->set_rows = opt(cc, "batch_size") != NULL;
    s->set_bytes = opt(cc, "batch_bytes") != NULL;
    s->set_interval = opt(cc, "batch_interval") != NULL;
    s->last_flush_us = pg_now_us();
    build_sql(s);
    s->current = epoch_new();

    s->create_table = parse_bool(opt(cc, "create_table_if_not_exists"));
    s->last_committed = last_committed;
    /* no connection yet: open() runs in the thread starting the job, which must not wait
     * for an unreachable database; the first write or checkpoint connects (with retry) */
    return s;
}

/* Connects the first time, creates/truncates the target, and commits staged epochs of a
 * previous run. */
static void ensure_ready(PgSink *s)
{
    if (s->ready)
        return;
    ensure_connection(s);
    /* first: a prepared transaction of the previous run may hold locks the setup needs */
    resolve_prepared(s, s->last_committed);
    setup_target(s, s->last_committed, s->create_table);
    s->ready = true;
    recover_staged(s, s->last_committed);
}

/* ---- writing ---- */

/* Sends the current epoch's unsent chunks into the open transaction (if no older epoch
 * waits for its commit).  A lost connection is not an error here: commit() retries. */
static void flush_current(PgSink *s)
{
    Epoch *e = s->current;
    s->last_flush_us = pg_now_us();
    /* an older epoch awaits its commit (COMMIT, or COMMIT PREPARED which cannot run inside a
     * transaction block): the rows wait in memory */
    if (s->pending != NULL || (s->txn_epoch != NULL && s->txn_epoch != e))
        return;
    if (e->head == NULL)
        return;
    if (s->conn == NULL || pg_conn_lost(s->conn)) {
        drop_connection(s);
        return; /* reconnecting is commit()'s business (with its retry budget) */
    }
    /* the last chunk is still being filled: send complete chunks only, unless it is big */
    if (!begin_epoch(s, e) || !send_chunks(s, e)) {
        drop_connection(s);
        return;
    }
    /* a sent tail chunk must not grow: start a new one for the next rows */
    chunk_add(e);
    e->unsent_rows = 0;
    e->unsent_bytes = 0;
}

static void pg_sink_write(void *st, const Batch *b)
{
    PgSink *s = st;
    const CatTable *t = s->t;
    int n = batch_live_count(b);
    Epoch *e = s->current;
    if (n > 0)
        ensure_ready(s);
    Chunk *c = e->tail ? e->tail : chunk_add(e);
    size_t before = c->text.len;

    for (int i = 0; i < n; i++) {
        int r = batch_row(b, i);
        uint8 op = b->ops ? b->ops[r] : ROW_INSERT;
        if (op == ROW_UPDATE_BEFORE && s->mode == WM_UPSERT)
            continue;
        if (op != ROW_INSERT && s->mode != WM_UPSERT)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("postgres sink \"%s\" cannot apply updates or deletes with write_mode "
                           "'%s'",
                           t->name, s->mode == WM_APPEND ? "append" : "overwrite"),
                    errhint("Use write_mode = 'upsert' with primary_keys for a changelog."));
        if (c->text.len >= CHUNK_BYTES) {
            e->unsent_bytes += c->text.len - before;
            c = chunk_add(e);
            before = 0;
        }
        for (int col = 0; col < t->ncolumns; col++) {
            if (col)
                strbuf_append_char(&c->text, '\t');
            pg_copy_value(&b->cols[col], r, &c->text);
        }
        if (s->mode == WM_UPSERT)
            strbuf_printf(&c->text, "\t%lld\t%c", (long long)++s->seq,
                          op == ROW_DELETE ? 'D' : 'U');
        strbuf_append_char(&c->text, '\n');
        e->rows++;
        e->unsent_rows++;
    }
    e->unsent_bytes += c->text.len - before;
    bool rows_hit = e->unsent_rows >= s->batch_rows;
    bool bytes_hit = (int64)e->unsent_bytes >= s->batch_bytes;
    bool time_hit = pg_now_us() - s->last_flush_us >= s->batch_interval_us;
    if (rows_hit || bytes_hit || time_hit) {
        flush_current(s);
        /* configured batch conditions are commit conditions (seed 003): ask for a checkpoint */
        if (((rows_hit && s->set_rows) || (bytes_hit && s->set_bytes) ||
             (time_hit && s->set_interval)) &&
            s->cc->request_checkpoint)
            s->cc->request_checkpoint(s->cc->request_checkpoint_arg);
    }
}

static void pg_sink_prepare(void *st, int64 checkpoint_id, StorageBatch *cp)
{
    PgSink *s = st;
    Epoch *e = s->current;
    e->cp = checkpoint_id;
    if (e->rows > 0)
        ensure_ready(s);
    /* Two-phase only when no older epoch awaits its commit: commits come asynchronously, and
     * this epoch's statements could wait for row locks of that prepared transaction, which
     * only this thread can commit.  Otherwise the epoch is staged (committed in commit()). */
    if (e->rows > 0 && s->two_phase && s->pending == NULL) {
        with_retry(s, e, try_prepare_epoch);
        for (Chunk *c = e->head, *n; c; c = n) {
            n = c->next;
            strbuf_free(&c->text);
            free(c);
        }
        e->head = e->tail = e->sent_upto = NULL;
        e->nchunks = 0;
        e->prepared = true;
    } else if (e->rows > 0) {
        char key[320];
        size_t plen = stage_prefix(s, key, sizeof key - 12);
        storage_key_put_i64(key + plen, checkpoint_id);
        uint32 i = 0;
        for (Chunk *c = e->head; c; c = c->next) {
            if (c->text.len == 0)
                continue;
            storage_key_put_u32(key + plen + 8, i++);
            storage_batch_put(cp, CF_META, key, plen + 12, c->text.data, c->text.len);
        }
        e->nchunks = (int)i;
    } else
        e->nchunks = 0;
    Epoch **tailp = &s->pending;
    while (*tailp)
        tailp = &(*tailp)->next;
    *tailp = e;
    s->current = epoch_new();
}

static void pg_sink_commit(void *st, int64 checkpoint_id)
{
    PgSink *s = st;
    commit_pending(s, checkpoint_id);
}

static void pg_sink_close(void *st)
{
    PgSink *s = st;
    if (s->conn)
        PQfinish(s->conn); /* an open transaction rolls back: its epoch was never committed */
    s->conn = NULL;
    for (Epoch *e = s->pending, *n; e; e = n) {
        n = e->next;
        epoch_free(e);
    }
    s->pending = NULL;
    if (s->current)
        epoch_free(s->current);
    s->current = NULL;
}

const SinkOps postgres_sink_ops = {
    .open = pg_sink_open,
    .write = pg_sink_write,
    .prepare = pg_sink_prepare,
    .commit = pg_sink_commit,
    .close = pg_sink_close,
};
