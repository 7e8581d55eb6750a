/*
 * http_ingest.c: POST /ingest/<path> into a webhook source table (seed 003).
 *
 * The table is found by name (/ingest/<table name>) or by its `path` option;
 * the request must present the table's token (Authorization: Bearer or
 * X-Laminar-Token; 401 otherwise).  The body is one JSON value, a JSON array
 * (each element an event) or newline-delimited JSON; a malformed body is
 * rejected whole (400) so a client's retry never half-duplicates a request.
 *
 * Every event becomes one entry of the `ingest` column family (key and
 * encoding in connectors/webhook.h): event id (uuid v4), arrival time, client
 * IP, the request headers as a JSON object and the event's unaltered JSON.
 * Sequences are assigned under one lock and the writes commit in sequence
 * order (group commit, see store_events), so keys become visible in
 * increasing order and a reader that has passed a key never sees a smaller
 * one appear later.  With sync_wait = true (default) the response is sent
 * after the request's group was committed with fsync: an acknowledged event
 * survives kill -9.  With false the entries are written without fsync and the
 * response follows at once (at-most-once across a crash).  Entries older than
 * WEBHOOK_RETENTION_US are deleted by a range delete, at most once a minute
 * per table.
 */
#include "server/http_int.h"
#include "common/arena.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "connectors/webhook.h"
#include "storage/catalog.h"
#include "storage/storage.h"

#include <microhttpd.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/*
 * Group commit.  Under ingest_lock a request takes its sequences and adds its entries to
 * `pending` (tables with sync_wait) or commits them itself (without).  One synced request at a
 * time is the leader: it swaps `pending` out, commits it with fsync outside the lock, and
 * wakes the requests whose entries it carried; requests arriving meanwhile gather in the next
 * group.  Groups commit strictly one after another, in sequence order, so keys still become
 * visible in increasing order (an unsynced commit of a table never overtakes a pending group
 * of the same table: a table is either synced or not).
 */
static pthread_mutex_t ingest_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ingest_done = PTHREAD_COND_INITIALIZER;
static int64 last_seq;        /* sequences are global, keys per table */
static StorageBatch *pending; /* entries of the open group */
static int64 open_group = 1;  /* the group new entries join */
static int64 done_group;      /* every group <= this one is committed (or failed) */
static bool committing;       /* a leader is committing */
#define GROUP_RING 256
static bool group_ok[GROUP_RING]; /* outcome of group g at g % GROUP_RING */

/* Last retention sweep per table (a small cache; a table that falls out is swept again). */
#define RETENTION_SLOTS 64
static struct {
    char table_id[32];
    int64 at_us;
} retention[RETENTION_SLOTS];

/* True when the table's buffer should be swept now (at most once a minute); under the lock. */
static bool retention_due(const char *table_id, int64 now_us)
{
    int slot = 0;
    for (int i = 0; i < RETENTION_SLOTS; i++) {
        if (strcmp(retention[i].table_id, table_id) == 0) {
            if (now_us - retention[i].at_us < INT64_C(60) * 1000000)
                return false;
            slot = i;
            goto found;
        }
        if (retention[i].at_us < retention[slot].at_us)
            slot = i;
    }
found:
    snprintf(retention[slot].table_id, sizeof retention[slot].table_id, "%s", table_id);
    retention[slot].at_us = now_us;
    return true;
}

static int64 now_micros(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static const char *table_option(const CatTable *t, const char *name)
{
    for (int i = 0; i < t->noptions; i++)
        if (strcmp(t->options[i].name, name) == 0)
            return t->options[i].value;
    return NULL;
}

/* "events", "/events" and "/ingest/events" all name path "events". */
static const char *strip_path(const char *p)
{
    if (strncmp(p, "/ingest/", 8) == 0)
        p += 8;
    while (*p == '/')
        p++;
    return p;
}

static CatTable *find_table(Arena *a, const char *path)
{
    CatTable *t = catalog_get_table(a, path);
    if (t && t->connector && strcmp(t->connector, "webhook") == 0) {
        const char *p = table_option(t, "path");
        if (p == NULL || strcmp(strip_path(p), path) == 0)
            return t;
    }
    int n = 0;
    CatTable *all = catalog_list_tables(a, &n);
    for (int i = 0; i < n; i++) {
        if (all[i].connector == NULL || strcmp(all[i].connector, "webhook") != 0)
            continue;
        const char *p = table_option(&all[i], "path");
        if (p && strcmp(strip_path(p), path) == 0)
            return &all[i];
    }
    return NULL;
}

/* find_table, with a storage error taken as "not found" (logged by the storage layer). */
static CatTable *find_table_safe(Arena *a, const char *path)
{
    CatTable *volatile t = NULL;
    LM_TRY();
    {
        t = find_table(a, path);
    }
    LM_CATCH();
    {
        t = NULL;
        error_clear();
    }
    LM_END_TRY();
    return t;
}

static bool commit_safe(Storage *st, StorageBatch *b, bool sync)
{
    volatile bool ok = true;
    LM_TRY();
    {
        storage_batch_commit(st, b, sync);
    }
    LM_CATCH();
    {
        ok = false;
        error_clear();
    }
    LM_END_TRY();
    return ok;
}

/* Adds n encoded events (values back to back, value i ending at ends[i]) of a table to the
 * ingest buffer; with sync, returns once they are durable.  False when the write failed. */
static bool store_events(const char *table_id, int64 received, const char *vals, const size_t *ends,
                         size_t n, bool sync)
{
    Storage *st = catalog_storage();
    pthread_mutex_lock(&ingest_lock);
    int64 seq = last_seq + 1;
    if (seq < received * 16)
        seq = received * 16;
    last_seq = seq + (int64)n - 1;
    StorageBatch *b =
        sync ? (pending ? pending : (pending = storage_batch_create())) : storage_batch_create();
    for (size_t i = 0; i < n; i++) {
        char key[WEBHOOK_KEY_MAX];
        size_t klen = webhook_key(key, table_id, seq + (int64)i);
        size_t from = i ? ends[i - 1] : 0;
        storage_batch_put(b, CF_INGEST, key, klen, vals + from, ends[i] - from);
    }
    if (retention_due(table_id, received)) {
        char from[WEBHOOK_KEY_MAX], to[WEBHOOK_KEY_MAX];
        size_t fl = webhook_key(from, table_id, 0);
        size_t tl = webhook_key(to, table_id, (received - WEBHOOK_RETENTION_US) * 16);
        storage_batch_delete_range(b, CF_INGEST, from, fl, to, tl);
    }
    bool ok;
    if (!sync) {
        ok = commit_safe(st, b, false);
        pthread_mutex_unlock(&ingest_lock);
        storage_batch_destroy(b);
        return ok;
    }
    int64 my_group = open_group;
    while (done_group < my_group) {
        if (committing) {
            pthread_cond_wait(&ingest_done, &ingest_lock);
            continue;
        }
        /* lead: commit the open group (which holds this request's entries) */
        committing = true;
        StorageBatch *group = pending;
        int64 g = open_group++;
        pending = NULL;
        pthread_mutex_unlock(&ingest_lock);
        bool group_result = commit_safe(st, group, true);
        storage_batch_destroy(group);
        pthread_mutex_lock(&ingest_lock);
        group_ok[g % GROUP_RING] = group_result;
        done_group = g;
        committing = false;
        pthread_cond_broadcast(&ingest_done);
    }
    ok = group_ok[my_group % GROUP_RING];
    pthread_mutex_unlock(&ingest_lock);
    return ok;
}

typedef struct HeaderCollector {
    json_t *obj;
} HeaderCollector;

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    HeaderCollector *h = cls;
    if (strcasecmp(key, "Authorization") == 0 || strcasecmp(key, "X-Laminar-Token") == 0)
        return MHD_YES; /* credentials are not data */
    json_object_set_new(h->obj, key, json_string(value ? value : ""));
    return MHD_YES;
}

static void uuid_v4(char out[37])
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1)
        memset(b, 0, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

/* The events of a body as compact JSON texts (array of strings), or NULL with a 400. */
static json_t *split_events(const HttpRequest *r, HttpResponse *out)
{
    json_t *events = json_array();
    json_error_t jerr;
    json_t *whole = json_loadb(r->body, r->body_len, JSON_DECODE_ANY, &jerr);
    if (whole) {
        if (json_is_array(whole)) {
            size_t i;
            json_t *e;
            json_array_foreach(whole, i, e)
            {
                char *t = json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
                json_array_append_new(events, json_string(t));
                free(t);
            }
        } else
            /* one event: kept exactly as sent */
            json_array_append_new(events, json_stringn(r->body, r->body_len));
        json_decref(whole);
        return events;
    }
    /* newline-delimited JSON */
    const char *p = r->body, *end = r->body + r->body_len;
    int line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line++;
        const char *s = p, *e = le;
        while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        if (e > s) {
            json_t *j = json_loadb(s, (size_t)(e - s), JSON_DECODE_ANY, &jerr);
            if (j == NULL) {
                json_decref(events);
                http_error(out, 400, "FORMAT_ERROR", "request body is not JSON or NDJSON",
                           json_pack("{s:s,s:i,s:s}", "format", "json", "line", line, "reason",
                                     jerr.text));
                return NULL;
            }
            json_decref(j);
            json_array_append_new(events, json_stringn(s, (size_t)(e - s)));
        }
        p = nl ? nl + 1 : end;
    }
    if (json_array_size(events) == 0) {
        json_decref(events);
        http_error(out, 400, "FORMAT_ERROR", "request body holds no event",
                   json_pack("{s:s}", "format", "json"));
        return NULL;
    }
    return events;
}

void http_ingest_handle(const HttpRequest *r, HttpResponse *out)
{
    const char *path = strip_path(r->path);
    if (strcmp(r->method, "POST") != 0) {
        http_error(out, 405, "VALIDATION_ERROR", "method not allowed",
                   json_pack("{s:s}", "allowed", "POST"));
        return;
    }
    Arena *a = arena_create("ingest", NULL);
    CatTable *table = find_table_safe(a, path);
    if (table == NULL) {
        arena_destroy(a);
        http_error(out, 404, "NOT_FOUND", "no webhook source at this path",
                   json_pack("{s:s}", "path", r->path));
        return;
    }
    const char *token = http_header(r, "X-Laminar-Token");
    const char *auth = http_header(r, "Authorization");
    if (token == NULL && auth && strncasecmp(auth, "Bearer ", 7) == 0)
        token = auth + 7;
    if (!webhook_token_check(table, token)) {
        arena_destroy(a);
        http_error(out, 401, "UNAUTHORIZED", "a valid webhook token is required",
                   json_pack("{s:s}", "hint",
                             "send Authorization: Bearer <token> or X-Laminar-Token: <token>"));
        return;
    }
    const char *sw = table_option(table, "sync_wait");
    bool sync = !(sw && (strcmp(sw, "false") == 0 || strcmp(sw, "off") == 0));

    json_t *events = split_events(r, out);
    if (events == NULL) {
        arena_destroy(a);
        return;
    }
    HeaderCollector hc = {json_object()};
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, collect_header, &hc);
    char *headers = json_dumps(hc.obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(hc.obj);

    int64 received = now_micros();
    size_t nev = json_array_size(events);
    /* encode outside the lock: values back to back in one buffer */
    StrBuf vals;
    strbuf_init(&vals, NULL);
    size_t *ends = malloc(sizeof(size_t) * (nev + 1));
    for (size_t i = 0; i < nev; i++) {
        json_t *e = json_array_get(events, i);
        char id[37];
        uuid_v4(id);
        WebhookEvent ev = {.received_at = received,
                           .event_id = id,
                           .event_id_len = 36,
                           .client_ip = r->client_ip,
                           .client_ip_len = strlen(r->client_ip),
                           .headers = headers,
                           .headers_len = strlen(headers),
                           .body = json_string_value(e),
                           .body_len = json_string_length(e)};
        webhook_event_encode(&vals, &ev);
        ends[i] = vals.len;
    }
    bool failed = !store_events(table->id, received, vals.data, ends, nev, sync);
    free(ends);
    strbuf_free(&vals);
    free(headers);
    json_decref(events);
    arena_destroy(a);
    if (failed) {
        http_error(out, 503, "INTERNAL_ERROR", "could not store the events; retry", NULL);
        return;
    }
    atomic_fetch_add(&http_ingest_requests, 1);
    atomic_fetch_add(&http_ingest_bytes, r->body_len);
    atomic_fetch_add(&http_ingest_events, nev);
    http_respond_data(out, 200,
                      json_pack("{s:I,s:b}", "accepted", (json_int_t)nev, "durable", sync));
}
