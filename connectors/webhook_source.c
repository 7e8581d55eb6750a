/*
 * webhook_source.c: the webhook connector's run time (see webhook.h): the
 * ingest-buffer key and event encoding shared with server/http_ingest.c,
 * token issue and check, and the SourceOps that reads the buffer.
 *
 * Reading: one partition, read by subtask 0 (other subtasks own none and stay
 * idle).  Each poll seeks to the key after the last sequence returned and
 * copies up to LM_BATCH_SIZE events into the batch.  Columns are filled by
 * name: _event_id, _received_at, _client_ip, _headers (JSON) and _body (the
 * unaltered event) from the event's metadata, every other column from the
 * same-named field of the JSON body (absent: NULL).  A value that does not
 * fit its column is reported as a bad record (job_errors) and left NULL.
 * Known cost: the body is parsed once per event with jansson (a per-row
 * allocation); the format decoders of connectors/format.h would avoid it.
 */
#include "connectors/builtin.h"
#include "connectors/webhook.h"
#include "common/error.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ keys and events */

size_t webhook_key(char *dst, const char *table_id, int64 seq)
{
    size_t n = (size_t)snprintf(dst, WEBHOOK_KEY_MAX - 8, "wh/%s/", table_id);
    if (seq >= 0) {
        storage_key_put_u64(dst + n, (uint64)seq);
        n += 8;
    }
    return n;
}

static void put_u32(StrBuf *out, uint32 v)
{
    strbuf_append_be32(out, v);
}

static uint32 get_u32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32)u[0] << 24 | (uint32)u[1] << 16 | (uint32)u[2] << 8 | u[3];
}

void webhook_event_encode(StrBuf *out, const WebhookEvent *e)
{
    strbuf_append_be64(out, (uint64)e->received_at);
    put_u32(out, (uint32)e->event_id_len);
    strbuf_append(out, e->event_id, e->event_id_len);
    put_u32(out, (uint32)e->client_ip_len);
    strbuf_append(out, e->client_ip, e->client_ip_len);
    put_u32(out, (uint32)e->headers_len);
    strbuf_append(out, e->headers, e->headers_len);
    put_u32(out, (uint32)e->body_len);
    strbuf_append(out, e->body, e->body_len);
}

bool webhook_event_decode(const char *v, size_t n, WebhookEvent *e)
{
    if (n < 8)
        return false;
    e->received_at = (int64)storage_key_get_u64(v); /* big-endian, as strbuf_append_be64 */
    size_t off = 8;
    const char **ptrs[4] = {&e->event_id, &e->client_ip, &e->headers, &e->body};
    size_t *lens[4] = {&e->event_id_len, &e->client_ip_len, &e->headers_len, &e->body_len};
    for (int i = 0; i < 4; i++) {
        if (off + 4 > n)
            return false;
        uint32 len = get_u32(v + off);
        off += 4;
        if (off + len > n)
            return false;
        *ptrs[i] = v + off;
        *lens[i] = len;
        off += len;
    }
    return true;
}

/* ------------------------------------------------------------ tokens */

static void sha256_hex(const char *s, char hex[65])
{
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)s, strlen(s), d);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

const char *webhook_token_apply(Arena *a, CatTable *t)
{
    const char *given = NULL;
    int n = 0;
    CatOption *opts = arena_new_array(a, CatOption, t->noptions + 2);
    for (int i = 0; i < t->noptions; i++) {
        if (strcmp(t->options[i].name, "token") == 0)
            given = t->options[i].value;
        else if (strcmp(t->options[i].name, "token_hash") != 0)
            opts[n++] = t->options[i];
    }
    char *token;
    if (given && strcmp(given, "rotate") != 0) {
        if (strlen(given) < 16)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("webhook token must be at least 16 characters"));
        token = arena_strdup(a, given);
    } else {
        unsigned char raw[24];
        if (RAND_bytes(raw, sizeof raw) != 1)
            ereport(ERROR, errcode(ERRCODE_INTERNAL_ERROR),
                    errmsg("could not generate a webhook token"));
        static const char alphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        token = arena_alloc(a, 4 + sizeof raw + 1);
        memcpy(token, "whk_", 4);
        for (size_t i = 0; i < sizeof raw; i++)
            token[4 + i] = alphabet[raw[i] & 63];
        token[4 + sizeof raw] = '\0';
    }
    char hex[65];
    sha256_hex(token, hex);
    opts[n].name = arena_strdup(a, "token_hash");
    opts[n].value = arena_strdup(a, hex);
    opts[n].kind = CATOPT_STRING;
    n++;
    t->options = opts;
    t->noptions = n;
    return token;
}

bool webhook_token_check(const CatTable *t, const char *token)
{
    const char *stored = NULL;
    for (int i = 0; i < t->noptions; i++)
        if (strcmp(t->options[i].name, "token_hash") == 0)
            stored = t->options[i].value;
    if (stored == NULL || token == NULL || strlen(stored) != 64)
        return false;
    char hex[65];
    sha256_hex(token, hex);
    return CRYPTO_memcmp(hex, stored, 64) == 0;
}

/* ------------------------------------------------------------ SourceOps */

typedef enum MetaColumn {
    META_NONE = 0,
    META_EVENT_ID,
    META_RECEIVED_AT,
    META_CLIENT_IP,
    META_HEADERS,
    META_BODY
} MetaColumn;

typedef struct WebhookSource {
    ConnectorContext *cc;
    const CatTable *table;
    char prefix[WEBHOOK_KEY_MAX];
    size_t plen;
    int64 last_seq; /* -1: nothing read yet */
    bool reader;    /* subtask 0 reads; others own no partition */
    MetaColumn *meta;
    bool any_body_column;
} WebhookSource;

static void *webhook_open(ConnectorContext *cc, const char *position, size_t position_len)
{
    WebhookSource *s = arena_new(cc->arena, WebhookSource);
    s->cc = cc;
    s->table = cc->table;
    s->plen = webhook_key(s->prefix, cc->table->id, -1);
    s->last_seq = -1;
    if (position && position_len == 8)
        s->last_seq = (int64)storage_key_get_u64(position);
    s->reader = cc->subtask == 0;
    int nc = cc->table->ncolumns;
    s->meta = arena_new_array(cc->arena, MetaColumn, nc + 1);
    for (int i = 0; i < nc; i++) {
        const char *n = cc->table->columns[i].name;
        s->meta[i] = strcmp(n, "_event_id") == 0      ? META_EVENT_ID
                     : strcmp(n, "_received_at") == 0 ? META_RECEIVED_AT
                     : strcmp(n, "_client_ip") == 0   ? META_CLIENT_IP
                     : strcmp(n, "_headers") == 0     ? META_HEADERS
                     : strcmp(n, "_body") == 0        ? META_BODY
                                                      : META_NONE;
        if (s->meta[i] == META_NONE)
            s->any_body_column = true;
    }
    return s;
}

static void bad_value(WebhookSource *s, const char *column, const WebhookEvent *e)
{
    ErrorData *err = error_current();
    if (s->cc->record_error) {
        char details[512];
        json_t *d = json_pack("{s:s,s:s}", "field", column, "reason",
                              err && err->message ? err->message : "invalid value");
        char *txt = json_dumps(d, JSON_COMPACT);
        snprintf(details, sizeof details, "%s", txt ? txt : "{}");
        free(txt);
        json_decref(d);
        s->cc->record_error(s->cc->record_error_arg, "SCHEMA_VALIDATION_ERROR",
                            "webhook event field does not fit its column", details, e->body,
                            e->body_len);
    }
}

/* One event into row `row`. */
static void fill_row(WebhookSource *s, Batch *out, int row, const WebhookEvent *e)
{
    json_t *body = NULL;
    if (s->any_body_column)
        body = json_loadb(e->body, e->body_len, JSON_DECODE_ANY, NULL);
    for (int c = 0; c < out->ncols; c++) {
        Vector *v = &out->cols[c];
        const char *name = s->table->columns[c].name;
        volatile bool failed = false;
        LM_TRY();
        {
            switch (s->meta[c]) {
            case META_EVENT_ID:
                value_parse_text(v, out->arena, row, e->event_id, e->event_id_len);
                break;
            case META_RECEIVED_AT:
                if (v->type->id == TYPE_TIMESTAMP || v->type->id == TYPE_TIMESTAMPTZ)
                    vector_set_int64(v, row, e->received_at);
                else
                    vector_set_null(v, row);
                break;
            case META_CLIENT_IP:
                value_parse_text(v, out->arena, row, e->client_ip, e->client_ip_len);
                break;
            case META_HEADERS:
                value_parse_text(v, out->arena, row, e->headers, e->headers_len);
                break;
            case META_BODY:
                value_parse_text(v, out->arena, row, e->body, e->body_len);
                break;
            case META_NONE: {
                json_t *f = json_is_object(body) ? json_object_get(body, name) : NULL;
                if (f == NULL || json_is_null(f)) {
                    vector_set_null(v, row);
                    break;
                }
                if (json_is_string(f) && v->type->id != TYPE_JSON) {
                    value_parse_text(v, out->arena, row, json_string_value(f),
                                     json_string_length(f));
                } else {
                    char *txt = json_dumps(f, JSON_COMPACT | JSON_ENCODE_ANY);
                    /* the text is freed below even when parsing raises */
                    LM_TRY();
                    {
                        value_parse_json(v, out->arena, row, txt, strlen(txt));
                    }
                    LM_CATCH();
                    {
                        free(txt);
                        error_rethrow();
                    }
                    LM_END_TRY();
                    free(txt);
                }
                break;
            }
            }
        }
        LM_CATCH();
        {
            failed = true;
        }
        LM_END_TRY();
        if (failed) {
            bad_value(s, name, e);
            error_clear();
            vector_set_null(v, row);
        }
    }
    json_decref(body);
}

static SourceStatus webhook_poll(void *st, Batch *out, int *partition)
{
    WebhookSource *s = st;
    *partition = 0;
    if (!s->reader)
        return SOURCE_IDLE;
    StorageIter *it = storage_iter_prefix(s->cc->storage, CF_INGEST, s->prefix, s->plen);
    char key[WEBHOOK_KEY_MAX];
    size_t klen = webhook_key(key, s->table->id, s->last_seq + 1);
    storage_iter_seek(it, key, klen);
    int row = 0;
    while (row < LM_BATCH_SIZE && storage_iter_valid(it)) {
        size_t kl, vl;
        const char *k = storage_iter_key(it, &kl);
        const char *v = storage_iter_value(it, &vl);
        if (kl != s->plen + 8)
            break;
        int64 seq = (int64)storage_key_get_u64(k + s->plen);
        WebhookEvent e;
        if (webhook_event_decode(v, vl, &e)) {
            for (int c = 0; c < out->ncols; c++)
                vector_set_valid(&out->cols[c], row);
            fill_row(s, out, row, &e);
            row++;
        }
        s->last_seq = seq;
        storage_iter_next(it);
    }
    storage_iter_destroy(it);
    out->count = row;
    return row > 0 ? SOURCE_DATA : SOURCE_IDLE;
}

static int webhook_partitions(void *st)
{
    return ((WebhookSource *)st)->reader ? 1 : 0;
}

static void webhook_position(void *st, StrBuf *out)
{
    WebhookSource *s = st;
    if (s->last_seq >= 0)
        strbuf_append_be64(out, (uint64)s->last_seq);
}

static int64 webhook_lag(void *st, int partition)
{
    (void)st;
    (void)partition;
    return -1;
}

static void webhook_close(void *st)
{
    (void)st; /* everything lives in the subtask's arena */
}

const SourceOps webhook_source_ops = {
    .open = webhook_open,
    .poll = webhook_poll,
    .partitions = webhook_partitions,
    .position = webhook_position,
    .lag = webhook_lag,
    .close = webhook_close,
};
