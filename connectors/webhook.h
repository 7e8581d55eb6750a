/*
 * webhook.h: webhook sources (connector 'webhook', seed 003).
 *
 * HTTP ingestion (server/http_ingest.c) appends each accepted event to the
 * RocksDB `ingest` column family under
 *     "wh/" <table id> "/" <u64 big-endian sequence>
 * and the webhook SourceOps (webhook_source.c) reads those keys in order;
 * its checkpointed position is the last sequence it returned, so each job
 * resumes exactly and any number of pipelines read one table's buffer
 * independently.  Sequences are max(previous + 1, wall-clock µs × 16): they
 * grow across restarts without a scan (assuming the clock does not step back
 * by more than the gap) and encode arrival time, which retention uses:
 * entries older than WEBHOOK_RETENTION_US are deleted by the ingest path,
 * whether or not every job has read them.
 *
 * Tokens: CREATE SOURCE TABLE ... (connector = 'webhook') issues a random
 * token (or takes `token = '...'` as given), keeps only its SHA-256 (hex) in
 * the hidden option `token_hash` (options_is_hidden), and announces the token once
 * in a NOTICE; ALTER ... SET (token = 'rotate') issues a new one.
 */
#ifndef LM_WEBHOOK_H
#define LM_WEBHOOK_H

#include "common/arena.h"
#include "common/strbuf.h"
#include "storage/catalog.h"

#define WEBHOOK_RETENTION_US (INT64_C(7) * 24 * 3600 * 1000000)
#define WEBHOOK_KEY_MAX 64

typedef struct WebhookEvent {
    int64 received_at;    /* µs since epoch */
    const char *event_id; /* uuid text */
    size_t event_id_len;
    const char *client_ip;
    size_t client_ip_len;
    const char *headers; /* JSON object text */
    size_t headers_len;
    const char *body; /* the event's JSON text, unaltered */
    size_t body_len;
} WebhookEvent;

/* The key of sequence seq of a table (returns its length); the prefix alone with seq < 0. */
size_t webhook_key(char *dst, const char *table_id, int64 seq);
void webhook_event_encode(StrBuf *out, const WebhookEvent *e);
/* Views into v; false when v is not an encoded event. */
bool webhook_event_decode(const char *v, size_t n, WebhookEvent *e);

/* Takes the `token` option out of t's options (given: the token to use, NULL or "rotate":
 * generate one) and sets `token_hash`; returns the token in a. */
const char *webhook_token_apply(Arena *a, CatTable *t);
/* A presented token against the table's token_hash (constant time). */
bool webhook_token_check(const CatTable *t, const char *token);

#endif
