/*
 * pg_source.c: the PostgreSQL source (connector "postgres") — reads a table
 * or a query, as a bounded snapshot or followed by a change-tracking column.
 *
 * Every column of the source table is selected by name and cast in
 * PostgreSQL to the column's type (`"c"::bigint`; MAP/STRUCT as jsonb), so
 * PostgreSQL converts compatible types and the text protocol answer parses
 * with value_parse_text (value_parse_json for MAP/STRUCT).
 *
 * Snapshot (no change_tracking_column): with partition_column and
 * num_partitions N the snapshot is split into N ranges of the (integer)
 * column between its min and max, computed once when the job starts (kept
 * in the position, so a restore reads the same ranges; the first range also
 * takes NULLs, the last is open-ended); subtask k reads the ranges with
 * index % parallelism == k, one cursor (REPEATABLE READ, FETCH 1024) at a
 * time.  Without a partition column subtask 0 reads everything.  The source
 * ends after the snapshot.  Position: rows delivered per range; a restore
 * re-runs the range's query (ordered by the partition column when there is
 * one) with OFFSET — exact when the data did not change and that order is
 * total (known limit: ties of the partition column and unpartitioned reads
 * rely on PostgreSQL returning unchanged data in the same order).
 *
 * Change tracking (change_tracking_column = 'updated_at'): one subtask
 * polls `WHERE col >= $last ORDER BY col LIMIT n` every poll_interval
 * (default 1 s) — the first poll, without $last, is the snapshot.  Ties:
 * the rows already delivered whose column equals $last are remembered by a
 * hash of their values (the "seen set"), and skipped when they come again;
 * the LIMIT is raised by the size of the seen set so ties cannot stall the
 * poll.  Position: $last and the seen set, so a restore resumes exactly.
 * Known limits: a row is delivered again only if its column value or its
 * contents change (an update must move updated_at forward); identical
 * duplicate rows with the same column value count as one; rows with a NULL
 * column are never read; a transaction that commits a smaller value after a
 * larger one was read is missed (use a column set at commit order, e.g. a
 * sequence, when that matters).
 */
#include "connectors/builtin.h"
#include "connectors/pg_common.h"
#include "common/errcodes.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define POSITION_MAGIC 0x50475331u /* "PGS1" */

typedef struct PgRange {
    int index; /* global range number */
    bool bounded_lo, bounded_hi, nulls;
    int64 lo, hi; /* [lo, hi) */
    int64 delivered;
    bool done;
} PgRange;

typedef struct PgSource {
    ConnectorContext *cc;
    const CatTable *t;
    PGconn *conn;
    char *from;        /* "schema"."table" or (query) laminar_q */
    char *select_list; /* casts of every column */
    const char *part_col, *ct_col;
    /* snapshot */
    PgRange *ranges;
    int nranges;  /* of this subtask */
    int cur;      /* range being read */
    bool planned; /* ranges known (computed on the first poll: open must not wait) */
    int nparts_wanted;
    bool cursor_open;
    /* change tracking */
    bool tracking;
    StrBuf last; /* text of the last value delivered */
    bool has_last;
    uint64 *seen;
    int nseen, seen_cap;
    int64 poll_interval_us, next_poll_us;
    bool exhausted; /* last poll got fewer rows than asked */
    PgRetry retry;
} PgSource;

static const char *opt(ConnectorContext *cc, const char *name)
{
    const char *v = resolved_get(cc->opts, name);
    if (v == NULL)
        v = postgres_url_param(cc->arena, cc->opts, name);
    return v;
}

static void drop_connection(PgSource *s)
{
    if (s->conn)
        PQfinish(s->conn);
    s->conn = NULL;
    s->cursor_open = false;
}

/* Connects (with retry) when there is no usable connection. */
static void ensure_connection(PgSource *s)
{
    if (s->conn && !pg_conn_lost(s->conn))
        return;
    drop_connection(s);
    s->conn = pg_connect_retry(s->cc, "source");
}

/* After a failed statement: raises PostgreSQL's error, or (lost connection) records it, waits
 * and returns so the caller retries; raises 08006 when the retry budget is spent. */
static void statement_failed(PgSource *s, PGresult *res)
{
    if (!pg_conn_lost(s->conn))
        pg_raise(s->conn, res, "source");
    PQclear(res);
    char *msg = arena_printf(s->cc->arena, "postgres source lost its connection: %s",
                             PQerrorMessage(s->conn));
    drop_connection(s);
    if (!pg_retry_wait(s->cc, &s->retry, msg))
        ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE),
                errmsg("postgres source lost its connection to the database"),
                errdetail("%s", msg));
}

static bool exec_cmd(PgSource *s, const char *sql)
{
    PGresult *res = PQexec(s->conn, sql);
    if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK) {
        PQclear(res);
        return true;
    }
    statement_failed(s, res);
    return false;
}

static void append_pg_type(StrBuf *b, const LmType *type)
{
    if (type->id == TYPE_MAP || type->id == TYPE_STRUCT)
        strbuf_append_str(b, "jsonb");
    else
        type_pg_format(type, b);
}

/* A column of the source, qualified (the select list's casts keep the column names). */
static void append_col(StrBuf *b, const char *name)
{
    strbuf_append_str(b, "laminar_q.");
    pg_append_ident(b, name);
}

/* ---- ranges ---- */

static void plan_ranges(PgSource *s, int nparts)
{
    ConnectorContext *cc = s->cc;
    int64 lo = 0, hi = 0;
    bool empty = true;
    if (s->part_col && nparts > 1) {
        for (;;) {
            ensure_connection(s);
            StrBuf q;
            strbuf_init(&q, cc->arena);
            strbuf_append_str(&q, "SELECT min(");
            pg_append_ident(&q, s->part_col);
            strbuf_append_str(&q, ")::bigint, max(");
            pg_append_ident(&q, s->part_col);
            strbuf_append_str(&q, ")::bigint FROM ");
            strbuf_append_str(&q, s->from);
            PGresult *res = PQexec(s->conn, q.data);
            if (PQresultStatus(res) != PGRES_TUPLES_OK) {
                statement_failed(s, res);
                continue;
            }
            if (!PQgetisnull(res, 0, 0)) {
                lo = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
                hi = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
                empty = false;
            }
            PQclear(res);
            break;
        }
    }
    if (empty)
        nparts = 1;
    int mine = 0;
    for (int k = 0; k < nparts; k++)
        mine += k % cc->parallelism == cc->subtask;
    s->ranges = arena_new_array(cc->arena, PgRange, mine > 0 ? mine : 1);
    s->nranges = 0;
    __int128 span = (__int128)hi - lo + 1;
    for (int k = 0; k < nparts; k++) {
        if (k % cc->parallelism != cc->subtask)
            continue;
        PgRange *r = &s->ranges[s->nranges++];
        r->index = k;
        if (nparts > 1) {
            r->lo = (int64)(lo + span * k / nparts);
            r->hi = (int64)(lo + span * (k + 1) / nparts);
            r->bounded_lo = k > 0;
            r->bounded_hi = k < nparts - 1;
            r->nulls = k == 0;
        }
    }
}

static char *range_query(PgSource *s, const PgRange *r)
{
    StrBuf q;
    strbuf_init(&q, s->cc->arena);
    strbuf_append_str(&q, "DECLARE laminar_c NO SCROLL CURSOR FOR SELECT ");
    strbuf_append_str(&q, s->select_list);
    strbuf_append_str(&q, " FROM ");
    strbuf_append_str(&q, s->from);
    if (s->part_col && (r->bounded_lo || r->bounded_hi)) {
        strbuf_append_str(&q, " WHERE (");
        if (r->bounded_lo) {
            append_col(&q, s->part_col);
            strbuf_printf(&q, " >= %lld", (long long)r->lo);
        }
        if (r->bounded_lo && r->bounded_hi)
            strbuf_append_str(&q, " AND ");
        if (r->bounded_hi) {
            append_col(&q, s->part_col);
            strbuf_printf(&q, " < %lld", (long long)r->hi);
        }
        strbuf_append_char(&q, ')');
        if (r->nulls) {
            strbuf_append_str(&q, " OR ");
            append_col(&q, s->part_col);
            strbuf_append_str(&q, " IS NULL");
        }
    }
    if (s->part_col) {
        strbuf_append_str(&q, " ORDER BY ");
        append_col(&q, s->part_col);
    }
    if (r->delivered > 0)
        strbuf_printf(&q, " OFFSET %lld", (long long)r->delivered);
    return q.data;
}

/* ---- rows into the batch ---- */

static void parse_row(PgSource *s, PGresult *res, int row, Batch *out, int orow)
{
    const CatTable *t = s->t;
    for (int c = 0; c < t->ncolumns; c++) {
        Vector *v = &out->cols[c];
        if (PQgetisnull(res, row, c)) {
            vector_set_null(v, orow);
            continue;
        }
        if (v->validity)
            vector_set_valid(v, orow);
        const char *text = PQgetvalue(res, row, c);
        size_t len = (size_t)PQgetlength(res, row, c);
        if (v->type->id == TYPE_MAP || v->type->id == TYPE_STRUCT)
            value_parse_json(v, out->arena, orow, text, len);
        else
            value_parse_text(v, out->arena, orow, text, len);
    }
}

static SourceStatus poll_snapshot(PgSource *s, Batch *out, int *partition)
{
    if (!s->planned) {
        ensure_connection(s);
        plan_ranges(s, s->part_col ? s->nparts_wanted : 1);
        s->planned = true;
    }
    while (s->cur < s->nranges) {
        PgRange *r = &s->ranges[s->cur];
        if (r->done) {
            s->cur++;
            continue;
        }
        ensure_connection(s);
        if (!s->cursor_open) {
            if (!exec_cmd(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
                return SOURCE_IDLE;
            if (!exec_cmd(s, range_query(s, r)))
                return SOURCE_IDLE;
            s->cursor_open = true;
        }
        char fetch[64];
        snprintf(fetch, sizeof fetch, "FETCH %d FROM laminar_c", LM_BATCH_SIZE);
        PGresult *res = PQexec(s->conn, fetch);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            statement_failed(s, res);
            return SOURCE_IDLE;
        }
        pg_retry_reset(&s->retry);
        int n = PQntuples(res);
        if (n == 0) {
            PQclear(res);
            exec_cmd(s, "COMMIT");
            s->cursor_open = false;
            r->done = true;
            s->cur++;
            continue;
        }
        for (int i = 0; i < n; i++)
            parse_row(s, res, i, out, i);
        PQclear(res);
        out->count = n;
        r->delivered += n;
        *partition = s->cur;
        return SOURCE_DATA;
    }
    return SOURCE_END;
}

static uint64 row_hash(PGresult *res, int row, int ncols)
{
    uint64 h = 0xcbf29ce484222325ULL;
    for (int c = 0; c < ncols; c++) {
        if (PQgetisnull(res, row, c)) {
            h = (h ^ 0xff) * 0x100000001b3ULL;
            continue;
        }
        const char *p = PQgetvalue(res, row, c);
        int len = PQgetlength(res, row, c);
        for (int i = 0; i < len; i++)
            h = (h ^ (uint8)p[i]) * 0x100000001b3ULL;
        h = (h ^ 0xfe) * 0x100000001b3ULL;
    }
    return h;
}

static bool seen_has(const PgSource *s, uint64 h)
{
    for (int i = 0; i < s->nseen; i++)
        if (s->seen[i] == h)
            return true;
    return false;
}

static void seen_add(PgSource *s, uint64 h)
{
    if (s->nseen == s->seen_cap) {
        int cap = s->seen_cap ? s->seen_cap * 2 : 64;
        uint64 *n = realloc(s->seen, sizeof(uint64) * (size_t)cap);
        if (n == NULL)
            ereport(ERROR, errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"));
        s->seen = n;
        s->seen_cap = cap;
    }
    s->seen[s->nseen++] = h;
}

static SourceStatus poll_tracking(PgSource *s, Batch *out, int *partition)
{
    int64 now = pg_now_us();
    if (s->exhausted && now < s->next_poll_us)
        return SOURCE_IDLE;
    ensure_connection(s);
    const CatTable *t = s->t;
    int limit = LM_BATCH_SIZE + s->nseen;
    StrBuf q;
    strbuf_init(&q, NULL);
    strbuf_append_str(&q, "SELECT ");
    strbuf_append_str(&q, s->select_list);
    strbuf_append_str(&q, ", (");
    append_col(&q, s->ct_col);
    strbuf_append_str(&q, ")::text FROM ");
    strbuf_append_str(&q, s->from);
    strbuf_append_str(&q, " WHERE ");
    append_col(&q, s->ct_col);
    strbuf_append_str(&q, s->has_last ? " >= $1" : " IS NOT NULL");
    strbuf_append_str(&q, " ORDER BY ");
    append_col(&q, s->ct_col);
    strbuf_printf(&q, " LIMIT %d", limit);
    const char *params[1] = {s->last.data};
    PGresult *res = PQexecParams(s->conn, q.data, s->has_last ? 1 : 0, NULL, params, NULL, NULL, 0);
    strbuf_free(&q);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        statement_failed(s, res);
        return SOURCE_IDLE;
    }
    pg_retry_reset(&s->retry);
    int n = PQntuples(res);
    int emitted = 0, i;
    for (i = 0; i < n && emitted < LM_BATCH_SIZE; i++) {
        const char *v = PQgetvalue(res, i, t->ncolumns);
        uint64 h = row_hash(res, i, t->ncolumns);
        bool same = s->has_last && strcmp(v, s->last.data) == 0;
        if (same && seen_has(s, h))
            continue;
        parse_row(s, res, i, out, emitted++);
        if (!same) {
            strbuf_reset(&s->last);
            strbuf_append_str(&s->last, v);
            s->has_last = true;
            s->nseen = 0;
        }
        seen_add(s, h);
    }
    PQclear(res);
    /* everything the query returned was looked at and it was not a full page: wait */
    s->exhausted = i == n && n < limit;
    if (s->exhausted)
        s->next_poll_us = now + s->poll_interval_us;
    if (emitted == 0)
        return SOURCE_IDLE;
    out->count = emitted;
    *partition = 0;
    return SOURCE_DATA;
}

static SourceStatus pg_source_poll(void *st, Batch *out, int *partition)
{
    PgSource *s = st;
    out->count = 0;
    if (s->tracking)
        return s->cc->subtask == 0 ? poll_tracking(s, out, partition) : SOURCE_END;
    return poll_snapshot(s, out, partition);
}

/* ---- position ---- */

static void pg_source_position(void *st, StrBuf *out)
{
    PgSource *s = st;
    if (!s->planned)
        return; /* nothing read yet: a restore starts afresh */
    strbuf_append_be32(out, POSITION_MAGIC);
    strbuf_append_be32(out, (uint32)s->nranges);
    for (int i = 0; i < s->nranges; i++) {
        const PgRange *r = &s->ranges[i];
        strbuf_append_be32(out, (uint32)r->index);
        strbuf_append_char(
            out, (char)(r->bounded_lo | r->bounded_hi << 1 | r->nulls << 2 | r->done << 3));
        strbuf_append_be64(out, (uint64)r->lo);
        strbuf_append_be64(out, (uint64)r->hi);
        strbuf_append_be64(out, (uint64)r->delivered);
    }
    strbuf_append_char(out, (char)s->has_last);
    strbuf_append_be32(out, (uint32)s->last.len);
    strbuf_append(out, s->last.data, s->last.len);
    strbuf_append_be32(out, (uint32)s->nseen);
    for (int i = 0; i < s->nseen; i++)
        strbuf_append_be64(out, s->seen[i]);
}

static void bad_position(void)
{
    ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
            errmsg("invalid checkpointed position of a postgres source"));
}

static void restore_position(PgSource *s, const char *p, size_t len)
{
    const char *end = p + len;
#define NEED(n)                                                                                    \
    do {                                                                                           \
        if ((size_t)(end - p) < (size_t)(n))                                                       \
            bad_position();                                                                        \
    } while (0)
    NEED(8);
    if (storage_key_get_u32(p) != POSITION_MAGIC)
        bad_position();
    int n = (int)storage_key_get_u32(p + 4);
    p += 8;
    if (n < 0 || n > 100000)
        bad_position();
    s->ranges = arena_new_array(s->cc->arena, PgRange, n > 0 ? n : 1);
    s->nranges = n;
    for (int i = 0; i < n; i++) {
        NEED(29);
        PgRange *r = &s->ranges[i];
        r->index = (int)storage_key_get_u32(p);
        uint8 f = (uint8)p[4];
        r->bounded_lo = f & 1;
        r->bounded_hi = (f >> 1) & 1;
        r->nulls = (f >> 2) & 1;
        r->done = (f >> 3) & 1;
        r->lo = (int64)storage_key_get_u64(p + 5);
        r->hi = (int64)storage_key_get_u64(p + 13);
        r->delivered = (int64)storage_key_get_u64(p + 21);
        p += 29;
    }
    NEED(5);
    s->has_last = p[0] != 0;
    uint32 l = storage_key_get_u32(p + 1);
    p += 5;
    NEED(l);
    strbuf_reset(&s->last);
    strbuf_append(&s->last, p, l);
    p += l;
    NEED(4);
    uint32 ns = storage_key_get_u32(p);
    p += 4;
    NEED((size_t)ns * 8);
    for (uint32 i = 0; i < ns; i++)
        seen_add(s, storage_key_get_u64(p + 8 * i));
#undef NEED
}

/* ---- open/close ---- */

static void *pg_source_open(ConnectorContext *cc, const char *position, size_t position_len)
{
    const CatTable *t = cc->table;
    PgSource *s = arena_new(cc->arena, PgSource);
    s->cc = cc;
    s->t = t;
    strbuf_init(&s->last, NULL);
    const char *table = opt(cc, "table"), *query = opt(cc, "query");
    const char *schema = opt(cc, "schema");
    StrBuf b;
    strbuf_init(&b, cc->arena);
    if (query) {
        strbuf_append_str(&b, "(");
        strbuf_append_str(&b, query);
        strbuf_append_str(&b, ") laminar_q");
    } else {
        pg_append_qualified(&b, schema ? schema : "public", table ? table : t->name);
        strbuf_append_str(&b, " laminar_q");
    }
    s->from = b.data;
    strbuf_init(&b, cc->arena);
    for (int c = 0; c < t->ncolumns; c++) {
        if (c)
            strbuf_append_str(&b, ", ");
        pg_append_ident(&b, t->columns[c].name);
        strbuf_append_str(&b, "::");
        append_pg_type(&b, t->columns[c].type);
    }
    if (t->ncolumns == 0)
        strbuf_append_str(&b, "1");
    s->select_list = b.data;
    s->part_col = opt(cc, "partition_column");
    s->ct_col = opt(cc, "change_tracking_column");
    s->tracking = s->ct_col != NULL;
    int64 ms = 1000;
    const char *v = opt(cc, "poll_interval");
    if (v)
        connector_parse_duration_ms(v, &ms);
    s->poll_interval_us = ms * 1000;
    if (s->tracking && s->part_col)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("postgres source \"%s\" cannot combine change_tracking_column with "
                       "partition_column",
                       t->name),
                errdetail("Change tracking is read by one subtask."));
    int nparts = (v = opt(cc, "num_partitions")) ? atoi(v) : 1;
    if (nparts < 1)
        nparts = 1;
    s->nparts_wanted = nparts;
    s->planned = true;
    if (position && position_len > 0)
        restore_position(s, position, position_len);
    else if (s->tracking) {
        s->ranges = arena_new_array(cc->arena, PgRange, 1);
        s->nranges = 0;
    } else
        s->planned = false;
    return s;
}

static int pg_source_partitions(void *st)
{
    PgSource *s = st;
    if (s->tracking)
        return s->cc->subtask == 0 ? 1 : 0;
    return s->nranges;
}

static int64 pg_source_lag(void *st, int partition)
{
    (void)st;
    (void)partition;
    return -1;
}

static void pg_source_close(void *st)
{
    PgSource *s = st;
    drop_connection(s);
    strbuf_free(&s->last);
    free(s->seen);
    s->seen = NULL;
}

const SourceOps postgres_source_ops = {
    .open = pg_source_open,
    .poll = pg_source_poll,
    .partitions = pg_source_partitions,
    .position = pg_source_position,
    .lag = pg_source_lag,
    .close = pg_source_close,
};
