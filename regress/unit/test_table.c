/*
 * test_table.c: plain-table rows and transactions (storage/table.c).
 *
 * Covers: row encode/decode round trips for every type (incl. NULLs, empty
 * strings, arrays, maps, structs); key encodings sort like their values
 * (signed integers, floats incl. -0, strings with NUL bytes and prefixes);
 * insert/scan/update/delete/truncate; read-your-writes and scans not seeing
 * their own statement's later writes; commit atomicity and durability across
 * closing and reopening the data directory; abort; savepoints; 23505 and
 * 23502 with PostgreSQL's messages and details; hidden row ids never reused
 * across a reopen; and two threads inserting the same primary key — exactly
 * one commits, the other gets 23505 after waiting for the first; a cancel
 * ending a lock wait.  Catalog side: schemas (create/drop, restrict and
 * cascade with the dropped tables' rows removed), relation names unique per
 * schema, reserved OIDs kept by CREATE, catalog_apply_with writing table rows
 * and catalog changes in one batch, and all of it after a reopen.
 *
 * lmtest-libs: storage/libstorage.a common/libcommon.a
 */
#include "common/arena.h"
#include "common/error.h"
#include "common/vector.h"
#include "storage/storage.h"
#include "storage/table.h"
#include "storage/table_int.h"

#include "lmtest.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static Arena *A;

#define EXPECT_STATE(stmt, want_state, want_msg, want_detail, ...)                                 \
    do {                                                                                           \
        volatile int raised_ = 0;                                                                  \
        char state_[6] = "", msg_[256] = "", det_[256] = "", why_[800];                            \
        LM_TRY();                                                                                  \
        {                                                                                          \
            stmt;                                                                                  \
        }                                                                                          \
        LM_CATCH();                                                                                \
        {                                                                                          \
            ErrorData *e_ = error_current();                                                       \
            raised_ = 1;                                                                           \
            snprintf(state_, sizeof state_, "%s", e_->sqlstate);                                   \
            snprintf(msg_, sizeof msg_, "%s", e_->message ? e_->message : "");                     \
            snprintf(det_, sizeof det_, "%s", e_->detail ? e_->detail : "");                       \
            error_clear();                                                                         \
        }                                                                                          \
        LM_END_TRY();                                                                              \
        const char *wm_ = (want_msg), *wd_ = (want_detail);                                        \
        snprintf(why_, sizeof why_, "raised=%d %s \"%s\" detail \"%s\"", raised_, state_, msg_,    \
                 det_);                                                                            \
        lmt_check(raised_ &&strcmp(state_, (want_state)) == 0 &&                                   \
                      (wm_ == NULL || strcmp(msg_, wm_) == 0) &&                                   \
                      (wd_ == NULL || strcmp(det_, wd_) == 0),                                     \
                  __FILE__, __LINE__, why_, __VA_ARGS__);                                          \
    } while (0)

/* A table definition: "name type, ..." given as parallel arrays. */
static CatTable *make_table(Oid oid, const char *name, int n, const char *const *cols,
                            const char *const *types, int npk, const int *pk)
{
    CatTable *t = arena_alloc0(A, sizeof(CatTable));
    t->oid = oid;
    t->name = arena_strdup(A, name);
    t->schema = "public";
    t->kind = CAT_TABLE_PLAIN;
    t->ncolumns = n;
    t->columns = arena_alloc0(A, sizeof(CatColumn) * (size_t)n);
    for (int i = 0; i < n; i++) {
        int pos;
        const char *msg;
        t->columns[i].name = arena_strdup(A, cols[i]);
        t->columns[i].type = type_parse(A, types[i], &pos, &msg);
        if (t->columns[i].type == NULL) {
            fprintf(stderr, "bad type %s: %s\n", types[i], msg);
            exit(2);
        }
    }
    t->nprimary_key = npk;
    t->primary_key = npk ? arena_memdup(A, pk, sizeof(int) * (size_t)npk) : NULL;
    for (int i = 0; i < npk; i++)
        t->columns[pk[i]].not_null = true;
    return t;
}

/* Rows from text values (NULL = SQL NULL); vals is nrows * ncolumns. */
static Batch *rows_text(const CatTable *t, int nrows, const char *const *vals)
{
    const LmType **types = arena_alloc(A, sizeof(LmType *) * (size_t)t->ncolumns);
    for (int c = 0; c < t->ncolumns; c++)
        types[c] = t->columns[c].type;
    Batch *b = batch_create(A, t->ncolumns, types, nrows > 0 ? nrows : 1);
    for (int r = 0; r < nrows; r++)
        for (int c = 0; c < t->ncolumns; c++) {
            const char *v = vals[r * t->ncolumns + c];
            if (v == NULL)
                vector_set_null(&b->cols[c], r);
            else
                value_parse_text(&b->cols[c], A, r, v, strlen(v));
        }
    b->count = nrows;
    return b;
}

/* The whole table as text: rows "a|b" joined by ";" (NULL as "N"). */
static char *scan_text(TableTxn *txn, const CatTable *t)
{
    int *cols = arena_alloc(A, sizeof(int) * (size_t)t->ncolumns);
    const LmType **types = arena_alloc(A, sizeof(LmType *) * (size_t)(t->ncolumns + 1));
    for (int c = 0; c < t->ncolumns; c++) {
        cols[c] = c;
        types[c] = t->columns[c].type;
    }
    types[t->ncolumns] = type_binary();
    StrBuf out;
    strbuf_init(&out, A);
    TableScan *s = table_scan_open(txn, A, t, t->ncolumns, cols, true);
    Arena *ba = arena_create("scan batch", NULL);
    for (;;) {
        arena_reset(ba);
        Batch *b = batch_create(ba, t->ncolumns + 1, types, LM_BATCH_SIZE);
        if (!table_scan_next(s, b))
            break;
        for (int r = 0; r < b->count; r++) {
            if (out.len)
                strbuf_append_char(&out, ';');
            for (int c = 0; c < t->ncolumns; c++) {
                if (c)
                    strbuf_append_char(&out, '|');
                if (vector_is_valid(&b->cols[c], r))
                    value_format_text(&b->cols[c], r, &out);
                else
                    strbuf_append_char(&out, 'N');
            }
        }
    }
    table_scan_close(s);
    arena_destroy(ba);
    return out.data ? out.data : "";
}

/* Row keys of the rows whose first column's text equals one of want (scan with rowkey). */
static Batch *keys_where(TableTxn *txn, const CatTable *t, const char *first_col_value)
{
    int cols[1] = {0};
    const LmType *types[2] = {t->columns[0].type, type_binary()};
    const LmType *ktype[1] = {type_binary()};
    Batch *keys = batch_create(A, 1, ktype, LM_BATCH_SIZE);
    TableScan *s = table_scan_open(txn, A, t, 1, cols, true);
    Batch *b = batch_create(A, 2, types, LM_BATCH_SIZE);
    while (table_scan_next(s, b)) {
        for (int r = 0; r < b->count; r++) {
            StrBuf v;
            strbuf_init(&v, A);
            value_format_text(&b->cols[0], r, &v);
            if (strcmp(v.data, first_col_value) == 0) {
                const StrView *k = &((StrView *)b->cols[1].data)[r];
                vector_set_str(&keys->cols[0], A, keys->count++, k->ptr, k->len);
            }
        }
    }
    table_scan_close(s);
    return keys;
}

static void insert_text(TableTxn *txn, const CatTable *t, int nrows, const char *const *vals)
{
    table_insert(txn, t, rows_text(t, nrows, vals), CONFLICT_ERROR, NULL, NULL);
}

/* ---------- codec ---------- */

static void test_round_trip(Storage *st)
{
    static const char *cols[] = {"id", "b",  "i8", "i16",  "i32", "f32", "f64", "dec", "s",  "bin",
                                 "d",  "tm", "ts", "tstz", "iv",  "js",  "arr", "m",   "st", "o"};
    static const char *types[] = {"BIGINT",
                                  "BOOLEAN",
                                  "TINYINT",
                                  "SMALLINT",
                                  "INT",
                                  "FLOAT",
                                  "DOUBLE",
                                  "DECIMAL(10,2)",
                                  "STRING",
                                  "BYTEA",
                                  "DATE",
                                  "TIME",
                                  "TIMESTAMP",
                                  "TIMESTAMPTZ",
                                  "INTERVAL",
                                  "JSON",
                                  "ARRAY<INT>",
                                  "MAP<STRING,INT>",
                                  "STRUCT<a:INT,b:STRING>",
                                  "oid"};
    int pk[1] = {0};
    CatTable *t = make_table(20001, "alltypes", 20, cols, types, 1, pk);
    const char *vals[] = {"1", "true", "-5", "300", "-70000", "1.5", "-2.25", "12345.67", "héllo",
                          "\\x00ff10", "2024-02-29", "13:45:01.5", "2024-01-01 10:00:00",
                          "2024-01-01 10:00:00+00", "1 year 2 mons 3 days 04:05:06",
                          "{\"a\": [1, 2]}", "{1,NULL,3}", "{\"k\": 1}", "{\"a\": 1, \"b\": \"x\"}",
                          "4242",
                          /* row 2: NULLs everywhere but the key, and empty strings */
                          "2", NULL, NULL, NULL, NULL, NULL, NULL, NULL, "", "\\x", NULL, NULL,
                          NULL, NULL, NULL, NULL, "{}", NULL, NULL, NULL};
    TableTxn *txn = table_txn_begin(st);
    LMT_EXPECT_NO_ERROR(insert_text(txn, t, 2, vals), "insert a row of every type");
    char *before = scan_text(txn, t);
    LMT_EXPECT_NO_ERROR(table_txn_commit(txn), "commit");
    txn = table_txn_begin(st);
    char *after = scan_text(txn, t);
    table_txn_abort(txn);
    LMT_CHECK_STR(after, before, "every type round-trips through storage");
    LMT_CHECK(strstr(after, "héllo") && strstr(after, "{1,NULL,3}") &&
                  strstr(after, "1 year 2 mons 3 days 04:05:06") && strstr(after, "12345.67"),
              "values read back as written: %s", after);
    LMT_CHECK(strstr(after, ";2|N|N|N|N|N|N|N||\\x|N|N|N|N|N|N|{}|N|N|N") != NULL,
              "NULLs and empty values read back: %s", after);
}

static int cmp_encoded(const LmType *type, const char *a_text, const char *b_text)
{
    Vector v;
    vector_init(&v, A, type, 2);
    value_parse_text(&v, A, 0, a_text, strlen(a_text));
    value_parse_text(&v, A, 1, b_text, strlen(b_text));
    StrBuf ka, kb;
    strbuf_init(&ka, A);
    strbuf_init(&kb, A);
    table_key_append_value(&ka, &v, 0);
    table_key_append_value(&kb, &v, 1);
    return overlay_key_cmp(ka.data, ka.len, kb.data, kb.len);
}

static void test_key_order(void)
{
    const struct {
        const char *type, *lo, *hi;
    } cases[] = {
        {"BIGINT", "-9223372036854775808", "-1"},
        {"BIGINT", "-1", "0"},
        {"BIGINT", "0", "9223372036854775807"},
        {"INT", "-2", "1"},
        {"SMALLINT", "-300", "200"},
        {"TINYINT", "-1", "1"},
        {"DOUBLE", "-Infinity", "-1e300"},
        {"DOUBLE", "-1.5", "-0.5"},
        {"DOUBLE", "-0.5", "0"},
        {"DOUBLE", "0", "1e-300"},
        {"DOUBLE", "1e300", "Infinity"},
        {"DOUBLE", "Infinity", "NaN"},
        {"FLOAT", "-2.5", "2.5"},
        {"DECIMAL(10,2)", "-1.01", "-1.00"},
        {"DECIMAL(10,2)", "-0.01", "0.01"},
        {"STRING", "", "a"},
        {"STRING", "a", "a\x01"},
        {"STRING", "ab", "b"},
        {"STRING", "a", "aa"},
        {"DATE", "1969-12-31", "1970-01-01"},
        {"TIMESTAMP", "1900-01-01", "2024-01-01"},
        {"BOOLEAN", "false", "true"},
        {"INTERVAL", "29 days", "1 mon 1 sec"},
    };
    for (size_t i = 0; i < LM_ARRAY_LEN(cases); i++) {
        int pos;
        const char *msg;
        const LmType *ty = type_parse(A, cases[i].type, &pos, &msg);
        LMT_CHECK(cmp_encoded(ty, cases[i].lo, cases[i].hi) < 0, "%s: key of %s sorts before %s",
                  cases[i].type, cases[i].lo, cases[i].hi);
    }
    LMT_CHECK(cmp_encoded(type_float64(), "-0", "0") == 0, "-0 and 0 are one key");
    {
        int pos;
        const char *msg;
        const LmType *iv = type_parse(A, "INTERVAL", &pos, &msg);
        LMT_CHECK(cmp_encoded(iv, "1 mon", "30 days") == 0,
                  "'1 mon' and '30 days' are one key, as PostgreSQL compares them");
    }
    /* Strings with embedded NUL bytes (BYTEA): "a\0" sorts after "a" and before "a\1". */
    Vector v;
    vector_init(&v, A, type_binary(), 3);
    vector_set_str(&v, A, 0, "a", 1);
    vector_set_str(&v, A, 1, "a\0", 2);
    vector_set_str(&v, A, 2, "a\1", 2);
    StrBuf k[3];
    for (int i = 0; i < 3; i++) {
        strbuf_init(&k[i], A);
        table_key_append_value(&k[i], &v, i);
    }
    LMT_CHECK(overlay_key_cmp(k[0].data, k[0].len, k[1].data, k[1].len) < 0 &&
                  overlay_key_cmp(k[1].data, k[1].len, k[2].data, k[2].len) < 0,
              "NUL bytes are escaped order-preservingly");
}

/* ---------- DML and transactions ---------- */

static const char *kv_cols[] = {"id", "v"};
static const char *kv_types[] = {"INT", "STRING"};

static void test_dml(Storage *st)
{
    int pk[1] = {0};
    CatTable *t = make_table(20002, "kv", 2, kv_cols, kv_types, 1, pk);
    TableTxn *txn = table_txn_begin(st);
    const char *rows[] = {"3", "c", "1", "a", "-2", "minus", "2", "b"};
    insert_text(txn, t, 4, rows);
    LMT_CHECK_STR(scan_text(txn, t), "-2|minus;1|a;2|b;3|c", "scan in key order sees own writes");

    /* A separate transaction does not see uncommitted rows. */
    TableTxn *other = table_txn_begin(st);
    LMT_CHECK_STR(scan_text(other, t), "", "uncommitted rows are invisible to others");
    table_txn_abort(other);

    /* update v of id 2, and move id 3 to 30 */
    Batch *k2 = keys_where(txn, t, "2");
    const char *upd[] = {"2", "bee"};
    Batch *nr = rows_text(t, 1, upd);
    table_update(txn, t, &k2->cols[0], nr);
    Batch *k3 = keys_where(txn, t, "3");
    const char *mv[] = {"30", "c"};
    table_update(txn, t, &k3->cols[0], rows_text(t, 1, mv));
    LMT_CHECK_STR(scan_text(txn, t), "-2|minus;1|a;2|bee;30|c", "update in place and moving key");
    Batch *k1 = keys_where(txn, t, "1");
    const char *clash[] = {"2", "x"};
    EXPECT_STATE(table_update(txn, t, &k1->cols[0], rows_text(t, 1, clash)), "23505",
                 "duplicate key value violates unique constraint \"kv_pkey\"",
                 "Key (id)=(2) already exists.", "update onto an existing key: 23505");
    Batch *km = keys_where(txn, t, "-2");
    table_delete(txn, t, &km->cols[0], km);
    LMT_CHECK_STR(scan_text(txn, t), "1|a;2|bee;30|c", "delete");
    table_txn_commit(txn);

    txn = table_txn_begin(st);
    LMT_CHECK_STR(scan_text(txn, t), "1|a;2|bee;30|c", "committed state visible to a new txn");
    const char *dup[] = {"1", "again"};
    EXPECT_STATE(insert_text(txn, t, 1, dup), "23505",
                 "duplicate key value violates unique constraint \"kv_pkey\"",
                 "Key (id)=(1) already exists.", "duplicate committed key: 23505");
    const char *dup2[] = {"7", "x", "7", "y"};
    EXPECT_STATE(insert_text(txn, t, 2, dup2), "23505", NULL, "Key (id)=(7) already exists.",
                 "duplicate within one batch: 23505");
    const char *nul[] = {"8", NULL};
    CatTable *tn = make_table(20002, "kv", 2, kv_cols, kv_types, 1, pk);
    tn->columns[1].not_null = true;
    EXPECT_STATE(insert_text(txn, tn, 1, nul), "23502",
                 "null value in column \"v\" of relation \"kv\" violates not-null constraint",
                 "Failing row contains (8, null).", "NULL in a NOT NULL column: 23502");
    const char *nulkey[] = {NULL, "z"};
    EXPECT_STATE(insert_text(txn, t, 1, nulkey), "23502",
                 "null value in column \"id\" of relation \"kv\" violates not-null constraint",
                 NULL, "NULL primary key: 23502");

    /* ON CONFLICT DO NOTHING / DO UPDATE outcomes */
    const char *oc[] = {"1", "n1", "9", "n9"};
    uint8 outcome[2] = {7, 7};
    table_insert(txn, t, rows_text(t, 2, oc), CONFLICT_NOTHING, outcome, NULL);
    LMT_CHECK(outcome[0] == 0 && outcome[1] == 1, "DO NOTHING: conflict skipped, new inserted");
    const LmType *ctypes[3] = {t->columns[0].type, t->columns[1].type, type_binary()};
    Batch *conf = batch_create(A, 3, ctypes, LM_BATCH_SIZE);
    const char *ou[] = {"2", "u2", "10", "n10"};
    table_insert(txn, t, rows_text(t, 2, ou), CONFLICT_UPDATE, outcome, conf);
    LMT_CHECK(outcome[0] == 2 && outcome[1] == 1 && conf->count == 1,
              "DO UPDATE: existing row handed back");
    StrBuf cv;
    strbuf_init(&cv, A);
    value_format_text(&conf->cols[1], 0, &cv);
    LMT_CHECK_STR(cv.data, "bee", "conflicting row carries its stored values");
    LMT_CHECK_STR(scan_text(txn, t), "1|a;2|bee;7|x;9|n9;10|n10;30|c",
                  "after the failed and conflicting inserts (7 from the partly applied batch)");
    table_txn_abort(txn);

    txn = table_txn_begin(st);
    LMT_CHECK_STR(scan_text(txn, t), "1|a;2|bee;30|c", "abort discards every write");
    table_txn_abort(txn);
}

static void test_halloween(Storage *st)
{
    int pk[1] = {0};
    CatTable *t = make_table(20003, "h", 2, kv_cols, kv_types, 1, pk);
    TableTxn *txn = table_txn_begin(st);
    const char *rows[] = {"1", "a", "2", "b", "3", "c"};
    insert_text(txn, t, 3, rows);
    table_txn_commit(txn);

    /* UPDATE h SET id = id + 10 while scanning: the scan must not see the moved rows. */
    txn = table_txn_begin(st);
    int cols[2] = {0, 1};
    const LmType *types[3] = {t->columns[0].type, t->columns[1].type, type_binary()};
    TableScan *s = table_scan_open(txn, A, t, 2, cols, true);
    Batch *b = batch_create(A, 3, types, LM_BATCH_SIZE);
    int seen = 0;
    while (table_scan_next(s, b)) {
        for (int r = 0; r < b->count; r++)
            ((int32 *)b->cols[0].data)[r] += 10;
        seen += b->count;
        Batch view = *b;
        view.ncols = 2;
        table_update(txn, t, &b->cols[2], &view);
    }
    table_scan_close(s);
    LMT_CHECK_INT(seen, 3, "a scan does not see rows written after it opened");
    LMT_CHECK_STR(scan_text(txn, t), "11|a;12|b;13|c", "keys moved");
    table_txn_commit(txn);
}

static void test_savepoints_truncate(Storage *st)
{
    int pk[1] = {0};
    CatTable *t = make_table(20004, "sp", 2, kv_cols, kv_types, 1, pk);
    TableTxn *txn = table_txn_begin(st);
    const char *r1[] = {"1", "a"};
    insert_text(txn, t, 1, r1);
    table_txn_commit(txn);

    txn = table_txn_begin(st);
    const char *r2[] = {"2", "b"};
    insert_text(txn, t, 1, r2);
    int m = table_txn_savepoint(txn);
    const char *r3[] = {"3", "c"};
    insert_text(txn, t, 1, r3);
    table_truncate(txn, t);
    LMT_CHECK_STR(scan_text(txn, t), "", "truncate hides committed and own rows");
    const char *r4[] = {"4", "d"};
    insert_text(txn, t, 1, r4);
    LMT_CHECK_STR(scan_text(txn, t), "4|d", "rows after the truncate are visible");
    table_txn_rollback_to(txn, m);
    LMT_CHECK_STR(scan_text(txn, t), "1|a;2|b", "rollback to savepoint undoes insert+truncate");
    insert_text(txn, t, 1, r3);
    table_txn_rollback_to(txn, m);
    LMT_CHECK_STR(scan_text(txn, t), "1|a;2|b", "the savepoint survives a rollback to it");
    insert_text(txn, t, 1, r3);
    LMT_CHECK_STR(scan_text(txn, t), "1|a;2|b;3|c", "a key rolled back can be inserted again");
    table_txn_release(txn, m);
    table_txn_commit(txn);
    txn = table_txn_begin(st);
    LMT_CHECK_STR(scan_text(txn, t), "1|a;2|b;3|c", "released savepoint keeps its writes");
    table_truncate(txn, t);
    insert_text(txn, t, 1, r4);
    table_txn_commit(txn);
    txn = table_txn_begin(st);
    LMT_CHECK_STR(scan_text(txn, t), "4|d", "committed truncate + insert");
    insert_text(txn, t, 1, r1);
    LMT_CHECK_INT(table_estimate_rows(st, t), 1, "estimate counts committed rows");
    table_txn_abort(txn);
}

static void test_no_pk(Storage *st, bool second_run)
{
    static const char *cols[] = {"v"};
    static const char *types[] = {"STRING"};
    CatTable *t = make_table(20005, "nopk", 1, cols, types, 0, NULL);
    TableTxn *txn = table_txn_begin(st);
    const char *rows[] = {"x", "x", "y"};
    insert_text(txn, t, 3, rows);
    LMT_CHECK_STR(scan_text(txn, t), second_run ? "x;x;y;x;x;y" : "x;x;y",
                  "rows without a primary key keep insertion order (run %d)", second_run);
    table_txn_commit(txn);
}

/* ---------- durability ---------- */

static void test_reopen(const char *dir)
{
    Storage *st = storage_open(dir);
    int pk[1] = {0};
    CatTable *t = make_table(20002, "kv", 2, kv_cols, kv_types, 1, pk);
    TableTxn *txn = table_txn_begin(st);
    LMT_CHECK_STR(scan_text(txn, t), "1|a;2|bee;30|c", "committed rows survive a reopen");
    table_txn_abort(txn);
    test_no_pk(st, true);
    static const char *cols[] = {"v"};
    static const char *types[] = {"STRING"};
    CatTable *np = make_table(20005, "nopk", 1, cols, types, 0, NULL);
    txn = table_txn_begin(st);
    int c0[1] = {0};
    const LmType *ty[2] = {type_string(), type_binary()};
    TableScan *s = table_scan_open(txn, A, np, 1, c0, true);
    Batch *b = batch_create(A, 2, ty, LM_BATCH_SIZE);
    table_scan_next(s, b);
    bool distinct = true;
    for (int i = 0; i < b->count; i++)
        for (int j = 0; j < i; j++) {
            StrView *x = &((StrView *)b->cols[1].data)[i], *y = &((StrView *)b->cols[1].data)[j];
            if (x->len == y->len && memcmp(x->ptr, y->ptr, x->len) == 0)
                distinct = false;
        }
    table_scan_close(s);
    table_txn_abort(txn);
    LMT_CHECK(b->count == 6 && distinct, "hidden row ids are not reused after a reopen");
    storage_close(st);
}

/* ---------- catalog: schemas, plain tables, atomic DDL + rows ---------- */

static int count_rows(Storage *st, Oid oid)
{
    char prefix[TABLE_KEY_PREFIX_LEN];
    table_key_prefix(prefix, oid);
    StorageIter *it = storage_iter_prefix(st, CF_TABLES, prefix, sizeof prefix);
    int n = 0;
    for (; storage_iter_valid(it); storage_iter_next(it))
        n++;
    storage_iter_destroy(it);
    return n;
}

static void test_catalog_tables(Storage *st)
{
    catalog_init(st, "tester");
    CatSchema sc = {.name = "app"};
    LMT_EXPECT_NO_ERROR(catalog_create_schema(&sc, false), "CREATE SCHEMA app");
    EXPECT_STATE(catalog_create_schema(&sc, false), "42P06", "schema \"app\" already exists", NULL,
                 "duplicate schema: 42P06");
    CatSchema pub = {.name = "public"};
    EXPECT_STATE(catalog_create_schema(&pub, false), "42P06", NULL, NULL, "public exists already");
    CatSchema pgx = {.name = "pg_x"};
    EXPECT_STATE(catalog_create_schema(&pgx, false), "42939", NULL, NULL, "pg_ prefix: 42939");

    int pk[1] = {0};
    CatTable *t = make_table(0, "kv", 2, kv_cols, kv_types, 1, pk);
    t->schema = "app";
    CatTable *volatile made = NULL;
    LMT_EXPECT_NO_ERROR(made = catalog_create_table(A, t, false), "CREATE TABLE app.kv");
    CatTable *tp = make_table(0, "kv", 2, kv_cols, kv_types, 1, pk);
    CatTable *volatile made_pub = NULL;
    LMT_EXPECT_NO_ERROR(made_pub = catalog_create_table(A, tp, false),
                        "the same name in public is another relation");
    EXPECT_STATE(catalog_create_table(A, t, false), "42P07", NULL, NULL,
                 "the same name in the same schema: 42P07");
    CatTable *bad = make_table(0, "x", 2, kv_cols, kv_types, 1, pk);
    bad->schema = "nosuch";
    EXPECT_STATE(catalog_create_table(A, bad, false), "3F000", "schema \"nosuch\" does not exist",
                 NULL, "missing schema: 3F000");
    bad->schema = "pg_catalog";
    EXPECT_STATE(catalog_create_table(A, bad, false), "42501", NULL, NULL,
                 "tables in pg_catalog: 42501");
    CatTable *got = catalog_get_table_in(A, "app", "kv");
    LMT_CHECK(got && made && got->oid == made->oid && strcmp(got->schema, "app") == 0,
              "catalog_get_table_in finds the schema's table");
    got = catalog_get_table(A, "kv");
    LMT_CHECK(got && made_pub && got->oid == made_pub->oid, "catalog_get_table looks in public");

    /* rows + CREATE TABLE in one batch (a transaction block's COMMIT) */
    Oid reserved = catalog_reserve_oid();
    CatTable *t2 = make_table(reserved, "blk", 2, kv_cols, kv_types, 1, pk);
    TableTxn *volatile txn = table_txn_begin(st);
    const char *rows[] = {"1", "a", "2", "b"};
    insert_text(txn, t2, 2, rows);
    StorageBatch *volatile b = storage_batch_create();
    table_txn_write_into(txn, b);
    CatalogOp op = {.kind = CATOP_CREATE_TABLE, .name = "blk", .object = t2};
    LMT_EXPECT_NO_ERROR(catalog_apply_with(&op, 1, b), "catalog_apply_with: table and rows");
    storage_batch_destroy(b);
    table_txn_abort(txn);
    got = catalog_get_table(A, "blk");
    LMT_CHECK(got && got->oid == reserved, "a reserved OID is kept by CREATE TABLE");
    LMT_CHECK_INT(count_rows(st, reserved), 2, "rows written with the catalog change");

    /* a failing catalog change writes no rows either */
    txn = table_txn_begin(st);
    CatTable *t3 = make_table(catalog_reserve_oid(), "blk", 2, kv_cols, kv_types, 1, pk);
    insert_text(txn, t3, 2, rows);
    b = storage_batch_create();
    table_txn_write_into(txn, b);
    op.object = t3;
    EXPECT_STATE(catalog_apply_with(&op, 1, b), "42P07", NULL, NULL,
                 "a conflicting CREATE at COMMIT fails");
    storage_batch_destroy(b);
    table_txn_abort(txn);
    LMT_CHECK_INT(count_rows(st, t3->oid), 0, "... and none of the block's rows are written");

    /* DROP TABLE removes the rows */
    LMT_EXPECT_NO_ERROR(catalog_drop_table("blk", false), "DROP TABLE blk");
    LMT_CHECK_INT(count_rows(st, reserved), 0, "dropping a plain table removes its rows");

    /* DROP SCHEMA: restrict, then cascade (rows go too) */
    txn = table_txn_begin(st);
    insert_text(txn, made, 2, rows);
    table_txn_commit(txn);
    LMT_CHECK_INT(count_rows(st, made->oid), 2, "rows in app.kv");
    EXPECT_STATE(catalog_drop_schema("app", false, false), "2BP01",
                 "cannot drop schema app because other objects depend on it",
                 "table app.kv depends on schema app", "DROP SCHEMA with tables: 2BP01");
    EXPECT_STATE(catalog_drop_schema("public", false, true), "2BP01", NULL, NULL,
                 "public cannot be dropped");
    EXPECT_STATE(catalog_drop_schema("nosuch", false, false), "3F000", NULL, NULL,
                 "missing schema: 3F000");
    LMT_EXPECT_NO_ERROR(catalog_drop_schema("app", false, true), "DROP SCHEMA app CASCADE");
    LMT_CHECK(catalog_get_table_in(A, "app", "kv") == NULL && catalog_get_schema(A, "app") == NULL,
              "schema and its table are gone");
    LMT_CHECK_INT(count_rows(st, made->oid), 0, "the cascaded table's rows are gone");
    CatSchema keep = {.name = "kept"};
    catalog_create_schema(&keep, false);
    catalog_shutdown();
}

static void test_catalog_reopen(Storage *st)
{
    catalog_init(st, "tester");
    int n = 0;
    CatSchema *list = catalog_list_schemas(A, &n);
    LMT_CHECK(n == 1 && strcmp(list[0].name, "kept") == 0 && list[0].oid >= 16384,
              "schemas survive a reopen");
    LMT_CHECK(catalog_get_table(A, "kv") != NULL && catalog_get_table(A, "blk") == NULL,
              "tables survive a reopen, dropped ones stay dropped");
    catalog_shutdown();
}

/* ---------- concurrency ---------- */

typedef struct Racer {
    Storage *st;
    CatTable *t;
    pthread_barrier_t *barrier;
    int result; /* 1 committed, 2 got 23505, 0 other */
    int id;
} Racer;

static void *race(void *arg)
{
    Racer *r = arg;
    Arena *a = arena_create("racer", NULL);
    volatile int result = 0;
    TableTxn *volatile txn = NULL;
    LM_TRY();
    {
        txn = table_txn_begin(r->st);
        const LmType *types[2] = {r->t->columns[0].type, r->t->columns[1].type};
        Batch *b = batch_create(a, 2, types, 1);
        vector_set_int32(&b->cols[0], 0, 100);
        vector_set_cstr(&b->cols[1], a, 0, r->id ? "thread1" : "thread0");
        b->count = 1;
        pthread_barrier_wait(r->barrier);
        table_insert(txn, r->t, b, CONFLICT_ERROR, NULL, NULL);
        usleep(100000); /* hold the lock a while: the other must wait, then see the row */
        TableTxn *t = txn;
        txn = NULL;
        table_txn_commit(t);
        result = 1;
    }
    LM_CATCH();
    {
        result = strcmp(error_current()->sqlstate, "23505") == 0 ? 2 : 0;
        error_clear();
        table_txn_abort(txn);
    }
    LM_END_TRY();
    r->result = result;
    arena_destroy(a);
    return NULL;
}

typedef struct Waiter {
    TableTxn *txn;
    const CatTable *t;
    char state[6];
} Waiter;

static void *wait_insert(void *arg)
{
    Waiter *w = arg;
    Arena *a = arena_create("waiter", NULL);
    LM_TRY();
    {
        const LmType *types[2] = {w->t->columns[0].type, w->t->columns[1].type};
        Batch *b = batch_create(a, 2, types, 1);
        vector_set_int32(&b->cols[0], 0, 5);
        vector_set_cstr(&b->cols[1], a, 0, "waiter");
        b->count = 1;
        table_insert(w->txn, w->t, b, CONFLICT_ERROR, NULL, NULL);
        w->state[0] = '\0';
    }
    LM_CATCH();
    {
        snprintf(w->state, sizeof w->state, "%s", error_current()->sqlstate);
        error_clear();
    }
    LM_END_TRY();
    arena_destroy(a);
    return NULL;
}

static void test_race(Storage *st)
{
    int pk[1] = {0};
    CatTable *t = make_table(20006, "race", 2, kv_cols, kv_types, 1, pk);
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, 2);
    Racer r[2] = {{st, t, &barrier, -1, 0}, {st, t, &barrier, -1, 1}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, race, &r[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&barrier);
    LMT_CHECK((r[0].result == 1 && r[1].result == 2) || (r[0].result == 2 && r[1].result == 1),
              "two threads insert the same key: one commits, one gets 23505 (%d, %d)", r[0].result,
              r[1].result);
    TableTxn *txn = table_txn_begin(st);
    const char *s = scan_text(txn, t);
    LMT_CHECK(strcmp(s, "100|thread0") == 0 || strcmp(s, "100|thread1") == 0, "exactly one row: %s",
              s);
    table_txn_abort(txn);

    /* Deadlock: x1 holds ta and waits for tb (in a thread); x2 holds tb and wants ta. */
    CatTable *ta = make_table(20007, "ta", 2, kv_cols, kv_types, 1, pk);
    CatTable *tb = make_table(20008, "tb", 2, kv_cols, kv_types, 1, pk);
    TableTxn *x1 = table_txn_begin(st), *x2 = table_txn_begin(st);
    const char *ra[] = {"1", "a"};
    insert_text(x1, ta, 1, ra);
    insert_text(x2, tb, 1, ra);
    Waiter w = {.txn = x1, .t = tb};
    pthread_t wt;
    pthread_create(&wt, NULL, wait_insert, &w);
    usleep(200000); /* x1 is now waiting for tb */
    EXPECT_STATE(insert_text(x2, ta, 1, ra), "40P01", "deadlock detected", NULL,
                 "a lock wait that would close a cycle raises 40P01");
    table_txn_abort(x2); /* releases tb: x1 goes on */
    pthread_join(wt, NULL);
    LMT_CHECK_STR(w.state, "", "the other transaction gets its lock once the victim aborts");
    table_txn_commit(x1);

    /* cancel */
    x1 = table_txn_begin(st);
    x2 = table_txn_begin(st);
    insert_text(x1, ta, 1, (const char *[]){"2", "b"});
    atomic_bool cancel = true;
    table_txn_set_cancel(x2, &cancel);
    EXPECT_STATE(insert_text(x2, ta, 1, (const char *[]){"3", "c"}), "57014",
                 "canceling statement due to user request", NULL,
                 "a waiting writer is cancelled by the cancel flag");
    LMT_CHECK(!atomic_load(&cancel), "the cancel request is consumed");
    table_txn_abort(x1);
    table_txn_abort(x2);
}

int main(void)
{
    char dir[] = "/tmp/lm_test_table_XXXXXX";
    A = arena_create("test", NULL);
    if (mkdtemp(dir) == NULL)
        return 2;
    Storage *st = storage_open(dir);
    test_round_trip(st);
    test_key_order();
    test_dml(st);
    test_halloween(st);
    test_savepoints_truncate(st);
    test_no_pk(st, false);
    test_race(st);
    test_catalog_tables(st);
    storage_close(st);
    test_reopen(dir);
    st = storage_open(dir);
    test_catalog_reopen(st);
    storage_close(st);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", dir);
    arena_destroy(A);
    return lmt_done();
}
