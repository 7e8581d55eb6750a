/*
 * test_webhook.c: the webhook connector's run time (connectors/webhook_source.c)
 * without a server: event encoding round trip, keys, tokens (issue, given,
 * rotate, hash check, too short), and the SourceOps reading the ingest buffer
 * of a real RocksDB: metadata and body columns filled by name, a value that
 * does not fit reported as a bad record and NULL, only subtask 0 reading,
 * other tables' entries ignored, and a reopen from a position continuing
 * exactly after the last row returned.
 *
 * lmtest-libs: connectors/libconnectors.a storage/libstorage.a common/libcommon.a
 */
#include "common/arena.h"
#include "common/error.h"
#include "common/vector.h"
#include "connectors/builtin.h"
#include "connectors/webhook.h"
#include "storage/storage.h"

#include "lmtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static Arena *A;
static int bad_records;

static void count_bad(void *arg, const char *code, const char *message, const char *details,
                      const char *sample, size_t sample_len)
{
    (void)arg;
    (void)message;
    (void)details;
    (void)sample;
    (void)sample_len;
    if (strcmp(code, "SCHEMA_VALIDATION_ERROR") == 0)
        bad_records++;
}

static void test_encoding(void)
{
    WebhookEvent e = {.received_at = 1704067200123456,
                      .event_id = "0b1c2d3e-0000-4000-8000-000000000001",
                      .event_id_len = 36,
                      .client_ip = "10.0.0.1",
                      .client_ip_len = 8,
                      .headers = "{\"A\":\"b\"}",
                      .headers_len = 9,
                      .body = "{\"id\":1}",
                      .body_len = 8};
    StrBuf b;
    strbuf_init(&b, A);
    webhook_event_encode(&b, &e);
    WebhookEvent d;
    LMT_CHECK(webhook_event_decode(b.data, b.len, &d), "an encoded event decodes");
    LMT_CHECK(d.received_at == e.received_at && d.body_len == 8 && memcmp(d.body, e.body, 8) == 0 &&
                  d.client_ip_len == 8 && memcmp(d.headers, e.headers, 9) == 0,
              "every field survives the round trip");
    LMT_CHECK(!webhook_event_decode(b.data, b.len - 1, &d), "a truncated value is refused");
    char k1[WEBHOOK_KEY_MAX], k2[WEBHOOK_KEY_MAX], p[WEBHOOK_KEY_MAX];
    size_t l1 = webhook_key(k1, "tbl_a", 255), l2 = webhook_key(k2, "tbl_a", 256);
    size_t pl = webhook_key(p, "tbl_a", -1);
    LMT_CHECK(l1 == pl + 8 && l2 == l1 && memcmp(k1, p, pl) == 0 && memcmp(k1, k2, l1) < 0,
              "keys share the table prefix and sort by sequence");
}

static CatTable *events_table(const char *id)
{
    CatTable *t = arena_new(A, CatTable);
    t->id = arena_strdup(A, id);
    t->name = "events";
    t->connector = "webhook";
    t->kind = CAT_TABLE_SOURCE;
    static const char *names[] = {"_event_id", "_received_at", "_client_ip", "_headers",
                                  "_body",     "id",           "kind",       "amount"};
    const LmType *types[] = {type_string(), type_timestamptz(), type_string(), type_json(),
                             type_string(), type_int64(),       type_string(), type_float64()};
    t->ncolumns = 8;
    t->columns = arena_new_array(A, CatColumn, 8);
    for (int i = 0; i < 8; i++) {
        t->columns[i].name = (char *)names[i];
        t->columns[i].type = types[i];
    }
    return t;
}

static void test_tokens(void)
{
    CatTable *t = events_table("tbl_tok");
    const char *tok = webhook_token_apply(A, t);
    LMT_CHECK(strncmp(tok, "whk_", 4) == 0 && strlen(tok) == 28, "a random token is issued");
    LMT_CHECK(t->noptions == 1 && strcmp(t->options[0].name, "token_hash") == 0 &&
                  strlen(t->options[0].value) == 64 && strstr(t->options[0].value, tok) == NULL,
              "only its SHA-256 is kept");
    LMT_CHECK(webhook_token_check(t, tok), "the token is accepted");
    LMT_CHECK(!webhook_token_check(t, "whk_wrong") && !webhook_token_check(t, NULL),
              "another token or none is refused");
    /* ALTER ... SET (token = 'rotate') */
    CatOption *o = arena_new_array(A, CatOption, 2);
    o[0] = t->options[0];
    o[1] = (CatOption){"token", "rotate", CATOPT_STRING};
    t->options = o;
    t->noptions = 2;
    const char *tok2 = webhook_token_apply(A, t);
    LMT_CHECK(t->noptions == 1 && strcmp(tok2, tok) != 0 && webhook_token_check(t, tok2) &&
                  !webhook_token_check(t, tok),
              "rotation replaces the token and drops the old one");
    o = arena_new_array(A, CatOption, 1);
    o[0] = (CatOption){"token", "my-chosen-token-123", CATOPT_STRING};
    t->options = o;
    t->noptions = 1;
    LMT_CHECK_STR(webhook_token_apply(A, t), "my-chosen-token-123", "a given token is used");
    o = arena_new_array(A, CatOption, 1);
    o[0] = (CatOption){"token", "short", CATOPT_STRING};
    t->options = o;
    t->noptions = 1;
    LMT_EXPECT_ERROR(webhook_token_apply(A, t), "22023", "a token under 16 characters: 22023");
}

static void put_event(Storage *st, const char *table_id, int64 seq, const char *body)
{
    WebhookEvent e = {.received_at = 1704067200000000 + seq,
                      .event_id = "0b1c2d3e-0000-4000-8000-000000000001",
                      .event_id_len = 36,
                      .client_ip = "127.0.0.1",
                      .client_ip_len = 9,
                      .headers = "{\"Content-Type\":\"application/json\"}",
                      .headers_len = 35,
                      .body = body,
                      .body_len = strlen(body)};
    StrBuf v;
    strbuf_init(&v, A);
    webhook_event_encode(&v, &e);
    char k[WEBHOOK_KEY_MAX];
    size_t kl = webhook_key(k, table_id, seq);
    storage_put(st, CF_INGEST, k, kl, v.data, v.len, false);
}

static void test_source(void)
{
    char dir[] = "/tmp/lm_test_webhookXXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        exit(2);
    }
    Storage *st = storage_open(dir);
    CatTable *t = events_table("tbl_src");
    put_event(st, "tbl_src", 10, "{\"id\": 1, \"kind\": \"a\", \"amount\": 1.5}");
    put_event(st, "tbl_src", 11, "{\"id\": 2, \"amount\": \"not a number\"}");
    put_event(st, "tbl_other", 12, "{\"id\": 99}");
    put_event(st, "tbl_src", 13, "[1, 2]");

    const SourceOps *ops = connector_source_ops("webhook");
    LMT_CHECK(ops == &webhook_source_ops, "webhook is a runnable source");
    const LmType *types[8];
    for (int i = 0; i < 8; i++)
        types[i] = t->columns[i].type;
    Batch *b = batch_create(A, 8, types, LM_BATCH_SIZE);
    atomic_bool stop = false;
    ConnectorContext cc = {.table = t,
                           .subtask = 0,
                           .parallelism = 2,
                           .storage = st,
                           .arena = A,
                           .record_error = count_bad,
                           .stop_requested = &stop};
    void *s = ops->open(&cc, NULL, 0);
    int part = -1;
    LMT_CHECK(ops->partitions(s) == 1, "subtask 0 reads the one partition");
    SourceStatus status = ops->poll(s, b, &part);
    LMT_CHECK(status == SOURCE_DATA && b->count == 3 && part == 0,
              "three events of this table (got %d)", b->count);
    StrBuf txt;
    strbuf_init(&txt, A);
    value_format_text(&b->cols[5], 0, &txt);
    strbuf_append_char(&txt, '|');
    value_format_text(&b->cols[6], 0, &txt);
    strbuf_append_char(&txt, '|');
    value_format_text(&b->cols[7], 0, &txt);
    strbuf_append_char(&txt, '|');
    value_format_text(&b->cols[2], 0, &txt);
    LMT_CHECK_STR(txt.data, "1|a|1.5|127.0.0.1", "body fields and metadata by column name");
    LMT_CHECK(((const int64 *)b->cols[1].data)[0] == 1704067200000010,
              "_received_at is the arrival time");
    LMT_CHECK(!vector_is_valid(&b->cols[6], 1), "a missing field is NULL");
    LMT_CHECK(!vector_is_valid(&b->cols[7], 1) && bad_records == 1,
              "a value that does not fit is NULL and a bad record (%d)", bad_records);
    LMT_CHECK(!vector_is_valid(&b->cols[5], 2), "a body that is not an object fills no field");
    StrBuf pos;
    strbuf_init(&pos, A);
    ops->position(s, &pos);
    ops->close(s);

    put_event(st, "tbl_src", 20, "{\"id\": 3}");
    void *s2 = ops->open(&cc, pos.data, pos.len);
    status = ops->poll(s2, b, &part);
    LMT_CHECK(status == SOURCE_DATA && b->count == 1 && ((const int64 *)b->cols[5].data)[0] == 3,
              "reopened at its position, the source continues exactly after the last row");
    LMT_CHECK(ops->poll(s2, b, &part) == SOURCE_IDLE, "then idles");
    ops->close(s2);

    cc.subtask = 1;
    void *s3 = ops->open(&cc, NULL, 0);
    LMT_CHECK(ops->partitions(s3) == 0 && ops->poll(s3, b, &part) == SOURCE_IDLE,
              "other subtasks own no partition");
    ops->close(s3);
    storage_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
    A = arena_create("test", NULL);
    test_encoding();
    test_tokens();
    test_source();
    arena_destroy(A);
    return lmt_done();
}
