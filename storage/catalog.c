/*
 * catalog.c: Laminar's persistent catalog (roles, secrets, connection
 * profiles, connection tables).
 *
 * On disk: one JSON document per object in the `catalog` column family
 * (encoding in catalog_codec.c),
 *
 *     role/<name>      secret/<name>      profile/<id>      table/<id>
 *     schema/<name>    schemas made by CREATE SCHEMA (public, laminar,
 *                      pg_catalog, information_schema are built in)
 *     seq/oid          next OID to hand out (decimal text)
 *     sys/format       {"format": N, "created_at": ...}, written at bootstrap
 *
 * Profiles and tables are keyed by their stable id, so a rename rewrites one
 * key.  Every mutation is one synced WriteBatch: the objects it touches and
 * the OID counter land together or not at all, and a statement that returned
 * has its objects on disk even after kill -9.
 *
 * In memory: one array per kind sorted by name (bytewise, like PostgreSQL's
 * C collation; tables by schema, then name: relation names are unique per
 * schema), so list functions come out ordered and name lookups are a
 * binary search.  Lookups by id scan linearly: the catalog holds at most
 * thousands of objects and id lookups come from DDL and REST calls, not from
 * hot paths.  Each object lives in an arena of its own, destroyed when the
 * object is dropped or replaced, so a long-running server does not grow with
 * ALTERs.  Callers never see these pointers: lookups deep-copy into the
 * caller's arena under the read lock.
 *
 * Mutations go through a transaction (Txn), also for a single statement:
 * under the write lock it copies the four sorted arrays (shallowly: entries
 * still point at the committed objects) and applies each operation to those
 * copies, validating against what earlier operations of the same
 * transaction left (so CREATE PROFILE p; CREATE TABLE t ... profile = p works
 * inside one COMMIT).  Each new object is encoded to JSON and decoded back
 * into a fresh arena exactly as start-up would, so memory always equals what
 * a restart would load, and a type that does not round-trip fails the
 * statement rather than the next start.  Commit writes one synced batch and
 * only then swaps the arrays in; abort destroys the new arenas and leaves
 * the committed catalog untouched.
 *
 * Locking: one pthread rwlock.  ereport(ERROR) inside a locked region is
 * caught, the lock released (and the transaction aborted) and the error
 * rethrown.  NOTICEs are raised after unlocking, since a session's notice
 * hook writes to a socket.
 *
 * Plain tables: dropping one (also through DROP SCHEMA ... CASCADE) queues a
 * range deletion of its rows (`tables` family) into the same batch as the
 * catalog change, and catalog_apply_with() lets a transaction block's
 * COMMIT put its table rows in that batch too, so DDL and data of one
 * block are atomic.  A CREATE may carry an OID reserved earlier
 * (catalog_reserve_oid), which is kept: a block's rows are keyed by it
 * before COMMIT.
 *
 * Pipelines (pipeline/<id>) are DDL like tables and go through the same
 * transactions; they name the tables they use (deps), and a table with a
 * pipeline depending on it cannot be dropped (checked in unlink_table, so
 * DROP SCHEMA ... CASCADE is covered too).  Jobs (job/<id>) are runtime
 * records written by the job manager through the same transaction code
 * (one synced write each) but without bumping the catalog version: a job's
 * progress does not invalidate anyone's bound plans.
 *
 * Known limits: secrets are stored in plain text inside the data directory
 * (protect it like PostgreSQL's PGDATA).
 */
#include "storage/catalog_int.h"
#include "storage/table.h"
#include "common/error.h"
#include "common/log.h"

#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BOOTSTRAP_SUPERUSER_OID 10
#define FIRST_NORMAL_OBJECT_ID 16384 /* PostgreSQL's FirstNormalObjectId */
#define ID_RANDOM_CHARS 12
#define MAX_DEPENDENTS_LISTED 100 /* as PostgreSQL's MAX_REPORTED_DEPS */
#define CATALOG_MAX_NAME 1024     /* bytes; keeps keys and messages bounded */

#define KEY_OID_SEQ "seq/oid"
#define KEY_FORMAT "sys/format"

/* Kinds of catalog object, in the order of their key prefixes. */
typedef enum ObjClass {
    CLS_ROLE = 0,
    CLS_SECRET,
    CLS_PROFILE,
    CLS_TABLE,
    CLS_SCHEMA,
    CLS_PIPELINE,
    CLS_JOB, /* named by their id */
    CLS__COUNT
} ObjClass;

static const char *const class_key_prefix[CLS__COUNT] = {
    "role/", "secret/", "profile/", "table/", "schema/", "pipeline/", "job/"};

/* One catalog object and the arena that owns it. */
typedef struct Entry {
    Arena *arena;
    void *obj;          /* CatRole, CatSecret, CatProfile or CatTable */
    const char *name;   /* points into obj */
    const char *id;     /* points into obj; NULL for roles, secrets and schemas */
    const char *schema; /* tables: their schema (points into obj); NULL for other kinds */
} Entry;

/* Entries sorted by name. */
typedef struct EntryList {
    Entry *items;
    int n;
    int cap;
} EntryList;

static struct {
    pthread_rwlock_t lock;
    bool initialized;
    Storage *st;
    EntryList lists[CLS__COUNT];
    Oid next_oid;
    uint64 version; /* atomic */
} cat = {.lock = PTHREAD_RWLOCK_INITIALIZER};

int64 catalog_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64)ts.tv_sec * USECS_PER_SEC + ts.tv_nsec / 1000;
}

uint64 catalog_version(void)
{
    return __atomic_load_n(&cat.version, __ATOMIC_ACQUIRE);
}

static void bump_version(void)
{
    __atomic_add_fetch(&cat.version, 1, __ATOMIC_ACQ_REL);
}

static void catalog_lock(bool write)
{
    if (write)
        pthread_rwlock_wrlock(&cat.lock);
    else
        pthread_rwlock_rdlock(&cat.lock);
    if (!cat.initialized) {
        pthread_rwlock_unlock(&cat.lock);
        elog(ERROR, "catalog is not initialized");
    }
}

/*
 * Runs the statements given as the remaining arguments under the read lock;
 * an ERROR raised inside unlocks and propagates.  Do not `return` from
 * inside: set a (volatile) result variable instead.
 */
#define CATALOG_READ(...)                                                                          \
    do {                                                                                           \
        catalog_lock(false);                                                                       \
        LM_TRY();                                                                                  \
        {                                                                                          \
            __VA_ARGS__;                                                                           \
        }                                                                                          \
        LM_CATCH();                                                                                \
        {                                                                                          \
            pthread_rwlock_unlock(&cat.lock);                                                      \
            error_rethrow();                                                                       \
        }                                                                                          \
        LM_END_TRY();                                                                              \
        pthread_rwlock_unlock(&cat.lock);                                                          \
    } while (0)

/* ---------- entry lists ---------- */

/* Order of entries: by schema (tables; "" for other kinds), then name. */
static int entry_cmp(const Entry *e, const char *schema, const char *name)
{
    int c = strcmp(e->schema ? e->schema : "", schema ? schema : "");
    return c != 0 ? c : strcmp(e->name, name);
}

/* Index of (schema, name), or -(insertion point) - 1 when absent.  schema NULL for
 * non-table kinds. */
static int list_search(const EntryList *l, const char *schema, const char *name)
{
    int lo = 0, hi = l->n - 1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = entry_cmp(&l->items[mid], schema, name);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -lo - 1;
}

static Entry *list_find_name(const EntryList *l, const char *name)
{
    int i = name ? list_search(l, NULL, name) : -1;
    return i >= 0 ? &l->items[i] : NULL;
}

static Entry *list_find_id(const EntryList *l, const char *id)
{
    if (id == NULL)
        return NULL;
    for (int i = 0; i < l->n; i++)
        if (l->items[i].id && strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    return NULL;
}

/* Name first, then id: a profile named like another's id is found by its name. */
static Entry *list_find(const EntryList *l, const char *name_or_id)
{
    Entry *e = list_find_name(l, name_or_id);
    return e ? e : list_find_id(l, name_or_id);
}

/* Tables: by schema (NULL: public) and name. */
static Entry *list_find_qual(const EntryList *l, const char *schema, const char *name)
{
    int i = name ? list_search(l, schema ? schema : "public", name) : -1;
    return i >= 0 ? &l->items[i] : NULL;
}

/* Tables: (schema, name) first, then id. */
static Entry *list_find_table(const EntryList *l, const char *schema, const char *name_or_id)
{
    Entry *e = list_find_qual(l, schema, name_or_id);
    return e ? e : list_find_id(l, name_or_id);
}

static void list_reserve(EntryList *l, int extra)
{
    if (l->n + extra <= l->cap)
        return;
    int cap = l->cap ? l->cap : 16;
    while (cap < l->n + extra)
        cap *= 2;
    l->items = lm_realloc(l->items, sizeof(Entry) * (size_t)cap);
    l->cap = cap;
}

/* Inserts e (its name must be absent); the list takes ownership of e.arena. */
static void list_insert(EntryList *l, Entry e)
{
    int pos = list_search(l, e.schema, e.name);

    LM_ASSERT(pos < 0);
    pos = -pos - 1;
    list_reserve(l, 1);
    memmove(&l->items[pos + 1], &l->items[pos], sizeof(Entry) * (size_t)(l->n - pos));
    l->items[pos] = e;
    l->n++;
}

/* Unlinks the entry (a pointer into l) and returns its arena, which the caller now owns. */
static Arena *list_unlink(EntryList *l, Entry *e)
{
    int pos = (int)(e - l->items);
    Arena *arena = e->arena;

    memmove(&l->items[pos], &l->items[pos + 1], sizeof(Entry) * (size_t)(l->n - pos - 1));
    l->n--;
    return arena;
}

static void list_clear(EntryList *l)
{
    for (int i = 0; i < l->n; i++)
        arena_destroy(l->items[i].arena);
    lm_free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---------- ids ---------- */

static void random_bytes(unsigned char *buf, int n)
{
    if (RAND_bytes(buf, n) == 1)
        return;
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(buf, 1, (size_t)n, f) : 0;
    if (f)
        fclose(f);
    if (got != (size_t)n)
        ereport(ERROR, errcode(ERRCODE_INTERNAL_ERROR),
                errmsg("could not generate random object id"));
}

/* prefix + 12 random [0-9a-z], unique within l.  Unbiased: bytes >= 252 are redrawn. */
static char *new_object_id(Arena *a, const char *prefix, const EntryList *l)
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    size_t plen = strlen(prefix);
    char *id = arena_alloc(a, plen + ID_RANDOM_CHARS + 1);

    memcpy(id, prefix, plen);
    do {
        int filled = 0;
        while (filled < ID_RANDOM_CHARS) {
            unsigned char buf[32];
            random_bytes(buf, sizeof buf);
            for (size_t i = 0; i < sizeof buf && filled < ID_RANDOM_CHARS; i++)
                if (buf[i] < 252)
                    id[plen + filled++] = alphabet[buf[i] % 36];
        }
        id[plen + ID_RANDOM_CHARS] = '\0';
    } while (list_find_id(l, id) != NULL);
    return id;
}

/* A fresh id for an object of the kind prefix names ("prof_", "tbl_"), unique among committed
 * objects of that kind. */
char *catalog_new_id(Arena *a, const char *prefix)
{
    ObjClass cls = strcmp(prefix, "prof_") == 0  ? CLS_PROFILE
                   : strcmp(prefix, "pl_") == 0  ? CLS_PIPELINE
                   : strcmp(prefix, "job_") == 0 ? CLS_JOB
                                                 : CLS_TABLE;
    catalog_lock(false);
    char *id = new_object_id(a, prefix, &cat.lists[cls]);
    pthread_rwlock_unlock(&cat.lock);
    return id;
}

/* ---------- decoding new objects ---------- */

typedef void *(*DecodeFn)(const Decoder *d, json_t *o);

static const DecodeFn class_decoder[CLS__COUNT] = {
    (DecodeFn)catjson_dec_role,  (DecodeFn)catjson_dec_secret, (DecodeFn)catjson_dec_profile,
    (DecodeFn)catjson_dec_table, (DecodeFn)catjson_dec_schema, (DecodeFn)catjson_dec_pipeline,
    (DecodeFn)catjson_dec_job};

/*
 * Decodes a document into a new arena, as start-up does.  Returns the
 * object; *arena_out receives its arena.  On failure the arena is destroyed
 * and the error propagates.
 */
static void *decode_new(ObjClass cls, const char *key, const char *json, Arena **arena_out)
{
    Arena *volatile arena = arena_create("catalog object", NULL);
    void *volatile obj = NULL;
    json_t *volatile root = NULL;

    LM_TRY();
    {
        json_error_t jerr;
        Decoder d = {.a = arena, .key = key};
        root = json_loads(json, 0, &jerr);
        if (root == NULL)
            ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
                    errmsg("catalog object \"%s\" is corrupted", key),
                    errdetail("Invalid JSON: %s.", jerr.text));
        obj = class_decoder[cls](&d, root);
    }
    LM_CATCH();
    {
        if (root)
            json_decref(root);
        arena_destroy(arena);
        error_rethrow();
    }
    LM_END_TRY();
    json_decref(root);
    *arena_out = arena;
    return obj;
}

static Entry make_entry(ObjClass cls, Arena *arena, void *obj)
{
    Entry e = {.arena = arena, .obj = obj};

    switch (cls) {
    case CLS_ROLE:
        e.name = ((CatRole *)obj)->name;
        break;
    case CLS_SECRET:
        e.name = ((CatSecret *)obj)->name;
        break;
    case CLS_PROFILE:
        e.name = ((CatProfile *)obj)->name;
        e.id = ((CatProfile *)obj)->id;
        break;
    case CLS_TABLE:
        e.name = ((CatTable *)obj)->name;
        e.id = ((CatTable *)obj)->id;
        e.schema = ((CatTable *)obj)->schema;
        break;
    case CLS_SCHEMA:
        e.name = ((CatSchema *)obj)->name;
        break;
    case CLS_PIPELINE:
        e.name = ((CatPipeline *)obj)->name;
        e.id = ((CatPipeline *)obj)->id;
        break;
    case CLS_JOB:
        e.name = ((CatJob *)obj)->id;
        e.id = ((CatJob *)obj)->id;
        break;
    default:
        elog(ERROR, "unrecognized catalog object class %d", (int)cls);
    }
    return e;
}

/* ---------- transactions ---------- */

/* One key of a transaction's batch: json is a malloc'ed document, or NULL to delete the key. */
typedef struct TxnWrite {
    char *key; /* in the transaction's scratch arena */
    char *json;
} TxnWrite;

typedef struct Txn {
    EntryList lists[CLS__COUNT]; /* working copies; items arrays are the transaction's own */
    Oid next_oid;
    bool oid_used;
    int64 now;
    Arena *scratch; /* keys, generated ids: freed with the transaction */
    TxnWrite *writes;
    int nwrites, capwrites;
    Arena **created; /* arenas of objects made by this transaction */
    int ncreated, capcreated;
    Arena **unlinked; /* arenas of objects this transaction dropped or replaced */
    int nunlinked, capunlinked;
    Oid *wipe; /* plain tables dropped: their rows are removed in the same batch */
    int nwipe, capwipe;
    StrBuf notices;    /* "drop cascades to ..." lines, raised as one NOTICE after unlocking */
    bool runtime_only; /* job records and pipeline states only: no catalog version bump */
} Txn;

static void grow(void **arr, int *cap, int n, size_t elem)
{
    if (n < *cap)
        return;
    int newcap = *cap ? *cap * 2 : 8;
    *arr = lm_realloc(*arr, elem * (size_t)newcap);
    *cap = newcap;
}

/* Caller holds the write lock; t is zeroed.  Safe to abort at any point. */
static void txn_begin(Txn *t)
{
    t->scratch = arena_create("catalog transaction", NULL);
    t->next_oid = cat.next_oid;
    t->now = catalog_now();
    for (int c = 0; c < CLS__COUNT; c++) {
        EntryList *src = &cat.lists[c];
        t->lists[c].items = lm_malloc(sizeof(Entry) * (size_t)(src->n ? src->n : 1));
        if (src->n)
            memcpy(t->lists[c].items, src->items, sizeof(Entry) * (size_t)src->n);
        t->lists[c].n = src->n;
        t->lists[c].cap = src->n ? src->n : 1;
    }
}

static void txn_free(Txn *t)
{
    for (int i = 0; i < t->nwrites; i++)
        free(t->writes[i].json);
    lm_free(t->writes);
    lm_free(t->created);
    lm_free(t->unlinked);
    lm_free(t->wipe);
    for (int c = 0; c < CLS__COUNT; c++)
        lm_free(t->lists[c].items);
    if (t->scratch)
        arena_destroy(t->scratch);
    memset(t, 0, sizeof *t);
}

static void txn_abort(Txn *t)
{
    for (int i = 0; i < t->ncreated; i++)
        arena_destroy(t->created[i]);
    txn_free(t);
}

/* Queues a write; takes ownership of json (malloc'ed) even when it throws. */
static void txn_write(Txn *t, const char *key, char *json)
{
    LM_TRY();
    {
        grow((void **)&t->writes, &t->capwrites, t->nwrites, sizeof(TxnWrite));
    }
    LM_CATCH();
    {
        free(json);
        error_rethrow();
    }
    LM_END_TRY();
    t->writes[t->nwrites].key = arena_strdup(t->scratch, key);
    t->writes[t->nwrites].json = json;
    t->nwrites++;
}

static char *txn_key(Txn *t, ObjClass cls, const char *name)
{
    return arena_printf(t->scratch, "%s%s", class_key_prefix[cls], name);
}

static Oid txn_take_oid(Txn *t)
{
    if (t->next_oid == 0xFFFFFFFFu)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("object identifiers are exhausted"));
    t->oid_used = true;
    return t->next_oid++;
}

/*
 * Stores an encoded object: queues its key, decodes it into a new arena and
 * returns the entry, which the caller then inserts or swaps in.
 */
static Entry txn_store(Txn *t, ObjClass cls, const char *keyname, json_t *doc)
{
    char *key = txn_key(t, cls, keyname);
    char *json = catjson_dump(doc);
    Arena *arena;
    void *obj;

    txn_write(t, key, json); /* owns json from here */
    grow((void **)&t->created, &t->capcreated, t->ncreated, sizeof(Arena *));
    obj = decode_new(cls, key, json, &arena);
    t->created[t->ncreated++] = arena;
    return make_entry(cls, arena, obj);
}

/* Removes an entry from the working copy and queues the deletion of its key. */
static void txn_unlink(Txn *t, ObjClass cls, Entry *e, const char *keyname)
{
    txn_write(t, txn_key(t, cls, keyname), NULL);
    grow((void **)&t->unlinked, &t->capunlinked, t->nunlinked, sizeof(Arena *));
    t->unlinked[t->nunlinked++] = list_unlink(&t->lists[cls], e);
}

/*
 * Replaces entry e by repl (the key is already queued by txn_store).  The
 * insert reuses the slot the unlink freed, so e (a pointer into the array)
 * is never invalidated by a reallocation here.
 */
static void txn_replace(Txn *t, ObjClass cls, Entry *e, Entry repl)
{
    grow((void **)&t->unlinked, &t->capunlinked, t->nunlinked, sizeof(Arena *));
    t->unlinked[t->nunlinked++] = list_unlink(&t->lists[cls], e);
    list_insert(&t->lists[cls], repl);
}

static void txn_insert(Txn *t, ObjClass cls, Entry e)
{
    list_insert(&t->lists[cls], e);
}

/*
 * Writes the batch (synced) and installs the working copies.  Nothing after
 * the write can fail, so the catalog in memory never disagrees with disk.
 */
static void txn_commit(Txn *t, StorageBatch *pre)
{
    if (t->nwrites > 0 || t->oid_used || (pre && storage_batch_count(pre) > 0)) {
        StorageBatch *volatile batch = NULL;
        char seq[32];

        if (t->oid_used) {
            snprintf(seq, sizeof seq, "%u", (unsigned)t->next_oid);
            txn_write(t, KEY_OID_SEQ, strdup(seq));
        }
        LM_TRY();
        {
            batch = storage_batch_create();
            if (pre)
                storage_batch_append(batch, pre);
            for (int i = 0; i < t->nwrites; i++) {
                const TxnWrite *w = &t->writes[i];
                if (w->json)
                    storage_batch_put(batch, CF_CATALOG, w->key, strlen(w->key), w->json,
                                      strlen(w->json));
                else
                    storage_batch_delete(batch, CF_CATALOG, w->key, strlen(w->key));
            }
            for (int i = 0; i < t->nwipe; i++)
                table_delete_all_rows(batch, t->wipe[i]);
            storage_batch_commit(cat.st, batch, true);
        }
        LM_CATCH();
        {
            storage_batch_destroy(batch);
            error_rethrow();
        }
        LM_END_TRY();
        storage_batch_destroy(batch);

        for (int c = 0; c < CLS__COUNT; c++) {
            lm_free(cat.lists[c].items);
            cat.lists[c] = t->lists[c];
            memset(&t->lists[c], 0, sizeof(EntryList));
        }
        if (t->next_oid > cat.next_oid)
            cat.next_oid = t->next_oid;
        for (int i = 0; i < t->nunlinked; i++)
            arena_destroy(t->unlinked[i]);
        if (!t->runtime_only)
            bump_version();
    }
    txn_free(t);
}

/*
 * Runs the statements given as the remaining arguments in a transaction
 * named txn (a Txn *) under the write lock, and commits.  An ERROR aborts
 * the transaction, unlocks and propagates.  Do not `return` from inside.
 */
#define CATALOG_TXN(txn, ...) CATALOG_TXN_PRE(txn, NULL, __VA_ARGS__)

/* The same, committing the operations of the StorageBatch pre (or NULL) in the same write. */
#define CATALOG_TXN_PRE(txn, pre, ...)                                                             \
    do {                                                                                           \
        Txn txn##_data__;                                                                          \
        Txn *const txn = &txn##_data__;                                                            \
        memset(txn, 0, sizeof(Txn));                                                               \
        catalog_lock(true);                                                                        \
        LM_TRY();                                                                                  \
        {                                                                                          \
            txn_begin(txn);                                                                        \
            __VA_ARGS__;                                                                           \
            txn_commit(txn, (pre));                                                                \
        }                                                                                          \
        LM_CATCH();                                                                                \
        {                                                                                          \
            txn_abort(txn);                                                                        \
            pthread_rwlock_unlock(&cat.lock);                                                      \
            error_rethrow();                                                                       \
        }                                                                                          \
        LM_END_TRY();                                                                              \
        pthread_rwlock_unlock(&cat.lock);                                                          \
    } while (0)

/* ---------- validation helpers ---------- */

static void require_name(const char *what, const char *name)
{
    if (name == NULL || name[0] == '\0')
        ereport(ERROR, errcode(ERRCODE_INVALID_NAME), errmsg("%s name must not be empty", what));
    if (strlen(name) >= CATALOG_MAX_NAME)
        ereport(ERROR, errcode(ERRCODE_NAME_TOO_LONG), errmsg("%s name is too long", what),
                errdetail("Names are limited to %d bytes.", CATALOG_MAX_NAME - 1));
}

/* Every option of kind SECRET must name an existing secret. */
static void check_secret_refs(Txn *t, int n, const CatOption *opts)
{
    for (int i = 0; i < n; i++)
        if (opts[i].kind == CATOPT_SECRET &&
            list_find_name(&t->lists[CLS_SECRET], opts[i].value) == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("secret \"%s\" does not exist", opts[i].value ? opts[i].value : ""),
                    errdetail("Option \"%s\" refers to it.", opts[i].name ? opts[i].name : ""));
}

static bool options_use_secret(int n, const CatOption *opts, const char *secret)
{
    for (int i = 0; i < n; i++)
        if (opts[i].kind == CATOPT_SECRET && opts[i].value && strcmp(opts[i].value, secret) == 0)
            return true;
    return false;
}

/* PostgreSQL-style dependency detail: "X depends on Y" lines, at most MAX_DEPENDENTS_LISTED. */
typedef struct Dependents {
    StrBuf text;
    int count;
} Dependents;

static void add_dependent(Dependents *d, const char *fmt, ...) LM_PRINTF(2, 3);
static void add_dependent(Dependents *d, const char *fmt, ...)
{
    va_list ap;

    if (++d->count > MAX_DEPENDENTS_LISTED)
        return;
    if (d->text.len)
        strbuf_append_char(&d->text, '\n');
    va_start(ap, fmt);
    strbuf_vprintf(&d->text, fmt, ap);
    va_end(ap);
}

static const char *finish_dependents(Dependents *d)
{
    if (d->count > MAX_DEPENDENTS_LISTED)
        strbuf_printf(&d->text, "\nand %d other objects", d->count - MAX_DEPENDENTS_LISTED);
    return d->text.data;
}

/*
 * Checks a table definition (against the transaction's view) and resolves
 * its profile reference, which may be given by name or id, to the profile's
 * id.  Returns the id to store (or NULL).
 */
static char *check_table(Txn *t, const CatTable *tbl)
{
    require_name("table", tbl->name);
    if ((int)tbl->kind < 0 || tbl->kind > CAT_TABLE_PLAIN)
        elog(ERROR, "unrecognized table kind %d", (int)tbl->kind);
    for (int i = 0; i < tbl->ncolumns; i++) {
        require_name("column", tbl->columns[i].name);
        if (tbl->columns[i].type == NULL)
            elog(ERROR, "column \"%s\" has no type", tbl->columns[i].name);
        for (int j = 0; j < i; j++)
            if (strcmp(tbl->columns[i].name, tbl->columns[j].name) == 0)
                ereport(ERROR, errcode(ERRCODE_DUPLICATE_COLUMN),
                        errmsg("column \"%s\" specified more than once", tbl->columns[i].name));
    }
    for (int i = 0; i < tbl->nprimary_key; i++)
        if (tbl->primary_key[i] < 0 || tbl->primary_key[i] >= tbl->ncolumns)
            elog(ERROR, "primary key column index %d out of range", tbl->primary_key[i]);
    check_secret_refs(t, tbl->noptions, tbl->options);
    if (tbl->profile_id == NULL)
        return NULL;
    Entry *pe = list_find(&t->lists[CLS_PROFILE], tbl->profile_id);
    if (pe == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("connection profile \"%s\" does not exist", tbl->profile_id));
    return ((CatProfile *)pe->obj)->id;
}

/* ---------- operations on a transaction ---------- */

static void check_schema_usable(Txn *t, const char *schema);
static bool oid_in_use(Txn *t, Oid oid);

/* forced_oid: 0 to take the next OID (the bootstrap superuser gets 10). */
static void txn_create_role(Txn *t, const CatRole *role, Oid forced_oid)
{
    require_name("role", role->name);
    if (list_find_name(&t->lists[CLS_ROLE], role->name))
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                errmsg("role \"%s\" already exists", role->name));
    CatRole r = *role;
    r.oid = forced_oid ? forced_oid : txn_take_oid(t);
    r.created_at = r.updated_at = t->now;
    txn_insert(t, CLS_ROLE, txn_store(t, CLS_ROLE, r.name, catjson_enc_role(&r)));
}

static void txn_update_role(Txn *t, const CatRole *role)
{
    Entry *e = list_find_name(&t->lists[CLS_ROLE], role->name);
    if (e == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("role \"%s\" does not exist", role->name ? role->name : ""));
    const CatRole *old = e->obj;
    if (old->oid == BOOTSTRAP_SUPERUSER_OID && !role->superuser)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("permission denied to alter role"),
                errdetail("The bootstrap user must have the SUPERUSER attribute."));
    CatRole r = *role;
    r.oid = old->oid;
    r.created_at = old->created_at;
    r.updated_at = t->now;
    txn_replace(t, CLS_ROLE, e, txn_store(t, CLS_ROLE, r.name, catjson_enc_role(&r)));
}

/* Returns false when the role was missing and missing_ok. */
static bool txn_drop_role(Txn *t, const char *name, bool missing_ok)
{
    Entry *e = list_find_name(&t->lists[CLS_ROLE], name);
    if (e == NULL) {
        if (!missing_ok)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("role \"%s\" does not exist", name));
        return false;
    }
    if (((CatRole *)e->obj)->oid == BOOTSTRAP_SUPERUSER_OID)
        ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                errmsg("cannot drop role %s because it is required by the database system", name));
    txn_unlink(t, CLS_ROLE, e, name);
    return true;
}

/* Returns false when it existed and if_not_exists. */
static bool txn_create_secret(Txn *t, const CatSecret *secret, bool if_not_exists)
{
    require_name("secret", secret->name);
    if (list_find_name(&t->lists[CLS_SECRET], secret->name)) {
        if (!if_not_exists)
            ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                    errmsg("secret \"%s\" already exists", secret->name));
        return false;
    }
    CatSecret s = *secret;
    if (s.created_at == 0)
        s.created_at = t->now;
    s.updated_at = t->now;
    txn_insert(t, CLS_SECRET, txn_store(t, CLS_SECRET, s.name, catjson_enc_secret(&s)));
    return true;
}

static bool txn_drop_secret(Txn *t, const char *name, bool missing_ok)
{
    Entry *e = list_find_name(&t->lists[CLS_SECRET], name);
    if (e == NULL) {
        if (!missing_ok)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("secret \"%s\" does not exist", name ? name : ""));
        return false;
    }
    Dependents deps = {.count = 0};
    strbuf_init(&deps.text, t->scratch);
    for (int i = 0; i < t->lists[CLS_PROFILE].n; i++) {
        const CatProfile *p = t->lists[CLS_PROFILE].items[i].obj;
        if (options_use_secret(p->noptions, p->options, name))
            add_dependent(&deps, "connection profile %s depends on secret %s", p->name, name);
    }
    for (int i = 0; i < t->lists[CLS_TABLE].n; i++) {
        const CatTable *tbl = t->lists[CLS_TABLE].items[i].obj;
        if (options_use_secret(tbl->noptions, tbl->options, name))
            add_dependent(&deps, "%s %s depends on secret %s", catalog_table_kind_word(tbl->kind),
                          tbl->name, name);
    }
    if (deps.count > 0)
        ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                errmsg("cannot drop secret \"%s\" because other objects depend on it", name),
                errdetail("%s", finish_dependents(&deps)),
                errhint("Drop or alter the dependent objects first."));
    txn_unlink(t, CLS_SECRET, e, name);
    return true;
}

/* Returns the stored profile, or NULL when it existed and if_not_exists. */
static CatProfile *txn_create_profile(Txn *t, const CatProfile *p, bool if_not_exists)
{
    EntryList *profiles = &t->lists[CLS_PROFILE];

    require_name("connection profile", p->name);
    if (list_find_name(profiles, p->name)) {
        if (!if_not_exists)
            ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                    errmsg("connection profile \"%s\" already exists", p->name));
        return NULL;
    }
    check_secret_refs(t, p->noptions, p->options);
    CatProfile np = *p;
    /* A caller may supply an id and created_at (a transaction block, an import); kept when set. */
    if (np.id == NULL || np.id[0] == '\0')
        np.id = new_object_id(t->scratch, "prof_", profiles);
    else if (list_find_id(profiles, np.id))
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                errmsg("connection profile with id \"%s\" already exists", np.id));
    if (np.created_at == 0)
        np.created_at = t->now;
    np.updated_at = np.created_at > t->now ? np.created_at : t->now;
    Entry e = txn_store(t, CLS_PROFILE, np.id, catjson_enc_profile(&np));
    txn_insert(t, CLS_PROFILE, e);
    return e.obj;
}

/* By id when p->id is set, else by name. */
static void txn_update_profile(Txn *t, const CatProfile *p, const char *name)
{
    EntryList *profiles = &t->lists[CLS_PROFILE];
    const char *lookup = p->id && p->id[0] ? p->id : (name ? name : p->name);
    Entry *e = p->id && p->id[0] ? list_find_id(profiles, p->id) : list_find(profiles, lookup);

    if (e == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("connection profile \"%s\" does not exist", lookup ? lookup : ""));
    require_name("connection profile", p->name);
    Entry *same = list_find_name(profiles, p->name);
    if (same && same != e)
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                errmsg("connection profile \"%s\" already exists", p->name));
    check_secret_refs(t, p->noptions, p->options);
    const CatProfile *old = e->obj;
    CatProfile np = *p;
    np.id = old->id;
    np.created_at = old->created_at;
    np.updated_at = t->now;
    txn_replace(t, CLS_PROFILE, e, txn_store(t, CLS_PROFILE, np.id, catjson_enc_profile(&np)));
}

static bool txn_drop_profile(Txn *t, const char *name, bool missing_ok)
{
    Entry *e = list_find(&t->lists[CLS_PROFILE], name);
    if (e == NULL) {
        if (!missing_ok)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("connection profile \"%s\" does not exist", name ? name : ""));
        return false;
    }
    const CatProfile *p = e->obj;
    Dependents deps = {.count = 0};
    strbuf_init(&deps.text, t->scratch);
    for (int i = 0; i < t->lists[CLS_TABLE].n; i++) {
        const CatTable *tbl = t->lists[CLS_TABLE].items[i].obj;
        if (tbl->profile_id && strcmp(tbl->profile_id, p->id) == 0)
            add_dependent(&deps, "%s %s depends on connection profile %s",
                          catalog_table_kind_word(tbl->kind), tbl->name, p->name);
    }
    if (deps.count > 0)
        ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                errmsg("cannot drop connection profile \"%s\" because other objects depend on it",
                       p->name),
                errdetail("%s", finish_dependents(&deps)),
                errhint("Drop the dependent tables first."));
    txn_unlink(t, CLS_PROFILE, e, p->id);
    return true;
}

static CatTable *txn_create_table(Txn *t, const CatTable *tbl, bool if_not_exists)
{
    EntryList *tables = &t->lists[CLS_TABLE];

    const char *schema = tbl->schema && tbl->schema[0] ? tbl->schema : "public";

    require_name("table", tbl->name);
    check_schema_usable(t, schema);
    if (list_find_qual(tables, schema, tbl->name)) {
        if (!if_not_exists)
            ereport(ERROR, errcode(ERRCODE_DUPLICATE_TABLE),
                    errmsg("relation \"%s\" already exists", tbl->name));
        return NULL;
    }
    CatTable nt = *tbl;
    nt.profile_id = check_table(t, tbl);
    nt.schema = (char *)schema;
    if (nt.id == NULL || nt.id[0] == '\0')
        nt.id = new_object_id(t->scratch, "tbl_", tables);
    else if (list_find_id(tables, nt.id))
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_TABLE),
                errmsg("table with id \"%s\" already exists", nt.id));
    /* An OID reserved earlier (catalog_reserve_oid: CREATE TABLE inside a transaction block,
     * whose rows are keyed by it before COMMIT) is kept. */
    if (nt.oid == 0 || oid_in_use(t, nt.oid))
        nt.oid = txn_take_oid(t);
    if (nt.created_at == 0)
        nt.created_at = t->now;
    nt.updated_at = nt.created_at > t->now ? nt.created_at : t->now;
    Entry e = txn_store(t, CLS_TABLE, nt.id, catjson_enc_table(&nt));
    txn_insert(t, CLS_TABLE, e);
    return e.obj;
}

static void txn_update_table(Txn *t, const CatTable *tbl, const char *name)
{
    EntryList *tables = &t->lists[CLS_TABLE];
    const char *lookup = tbl->id && tbl->id[0] ? tbl->id : (name ? name : tbl->name);
    Entry *e = tbl->id && tbl->id[0] ? list_find_id(tables, tbl->id)
                                     : list_find_table(tables, tbl->schema, lookup);

    if (e == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                errmsg("table \"%s\" does not exist", lookup ? lookup : ""));
    require_name("table", tbl->name);
    Entry *same =
        list_find_qual(tables, tbl->schema && tbl->schema[0] ? tbl->schema : e->schema, tbl->name);
    if (same && same != e)
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_TABLE),
                errmsg("relation \"%s\" already exists", tbl->name));
    const CatTable *old = e->obj;
    CatTable nt = *tbl;
    nt.profile_id = check_table(t, tbl);
    if (nt.schema == NULL || nt.schema[0] == '\0')
        nt.schema = old->schema;
    else if (strcmp(nt.schema, old->schema) != 0)
        check_schema_usable(t, nt.schema);
    nt.id = old->id;
    nt.oid = old->oid;
    nt.created_at = old->created_at;
    nt.updated_at = t->now;
    txn_replace(t, CLS_TABLE, e, txn_store(t, CLS_TABLE, nt.id, catjson_enc_table(&nt)));
}

/* 2BP01 when a pipeline uses the table (reads or writes it). */
static void check_table_unused(Txn *t, const CatTable *tbl)
{
    Dependents deps = {.count = 0};
    strbuf_init(&deps.text, t->scratch);
    for (int i = 0; i < t->lists[CLS_PIPELINE].n; i++) {
        const CatPipeline *p = t->lists[CLS_PIPELINE].items[i].obj;
        for (int k = 0; k < p->ndeps; k++)
            if (strcmp(p->deps[k], tbl->id) == 0) {
                add_dependent(&deps, "pipeline %s depends on %s %s", p->name,
                              catalog_table_kind_word(tbl->kind), tbl->name);
                break;
            }
    }
    if (deps.count > 0)
        ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                errmsg("cannot drop %s %s because other objects depend on it",
                       catalog_table_kind_word(tbl->kind), tbl->name),
                errdetail("%s", finish_dependents(&deps)),
                errhint("Drop the dependent pipelines first."));
}

/* Unlinks a table entry; a plain table's rows go with it (in the same batch). */
static void unlink_table(Txn *t, Entry *e)
{
    const CatTable *tbl = e->obj;
    check_table_unused(t, tbl);
    if (tbl->kind == CAT_TABLE_PLAIN) {
        grow((void **)&t->wipe, &t->capwipe, t->nwipe, sizeof(Oid));
        t->wipe[t->nwipe++] = tbl->oid;
    }
    txn_unlink(t, CLS_TABLE, e, tbl->id);
}

/* schema NULL: public (a name) or any schema (an id). */
static bool txn_drop_table(Txn *t, const char *schema, const char *name, bool missing_ok)
{
    Entry *e = list_find_table(&t->lists[CLS_TABLE], schema, name);
    if (e == NULL) {
        if (!missing_ok)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                    errmsg("table \"%s\" does not exist", name ? name : ""));
        return false;
    }
    unlink_table(t, e);
    return true;
}

/* ---------- schemas ---------- */

static bool schema_is_builtin(const char *name)
{
    return strcmp(name, "public") == 0 || strcmp(name, "laminar") == 0 ||
           strcmp(name, "pg_catalog") == 0 || strcmp(name, "information_schema") == 0;
}

/* Tables may be created in public and in schemas made by CREATE SCHEMA. */
static void check_schema_usable(Txn *t, const char *schema)
{
    if (strcmp(schema, "public") == 0 || list_find_name(&t->lists[CLS_SCHEMA], schema))
        return;
    if (schema_is_builtin(schema))
        ereport(ERROR, errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                errmsg("permission denied for schema %s", schema),
                errdetail("Schema \"%s\" holds system objects only.", schema));
    ereport(ERROR, errcode(ERRCODE_INVALID_SCHEMA_NAME),
            errmsg("schema \"%s\" does not exist", schema));
}

static bool oid_in_use(Txn *t, Oid oid)
{
    for (int i = 0; i < t->lists[CLS_TABLE].n; i++)
        if (((CatTable *)t->lists[CLS_TABLE].items[i].obj)->oid == oid)
            return true;
    for (int i = 0; i < t->lists[CLS_SCHEMA].n; i++)
        if (((CatSchema *)t->lists[CLS_SCHEMA].items[i].obj)->oid == oid)
            return true;
    for (int i = 0; i < t->lists[CLS_ROLE].n; i++)
        if (((CatRole *)t->lists[CLS_ROLE].items[i].obj)->oid == oid)
            return true;
    return oid >= t->next_oid;
}

/* Returns false when it existed and if_not_exists. */
static bool txn_create_schema(Txn *t, const CatSchema *sc, bool if_not_exists)
{
    require_name("schema", sc->name);
    if (schema_is_builtin(sc->name) || list_find_name(&t->lists[CLS_SCHEMA], sc->name)) {
        if (if_not_exists)
            return false;
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_SCHEMA),
                errmsg("schema \"%s\" already exists", sc->name));
    }
    if (strncmp(sc->name, "pg_", 3) == 0)
        ereport(ERROR, errcode(ERRCODE_RESERVED_NAME),
                errmsg("unacceptable schema name \"%s\"", sc->name),
                errdetail("The prefix \"pg_\" is reserved for system schemas."));
    CatSchema ns = *sc;
    if (ns.oid == 0 || oid_in_use(t, ns.oid))
        ns.oid = txn_take_oid(t);
    if (ns.created_at == 0)
        ns.created_at = t->now;
    txn_insert(t, CLS_SCHEMA, txn_store(t, CLS_SCHEMA, ns.name, catjson_enc_schema(&ns)));
    return true;
}

/* Returns false when it was missing and missing_ok.  Without cascade, a schema that still holds
 * tables is not dropped (2BP01); with it, its tables go too (plain tables with their rows). */
static bool txn_drop_schema(Txn *t, const char *name, bool missing_ok, bool cascade)
{
    Entry *e = list_find_name(&t->lists[CLS_SCHEMA], name);
    if (e == NULL) {
        if (schema_is_builtin(name))
            ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                    errmsg("cannot drop schema %s because it is required by the database system",
                           name));
        if (!missing_ok)
            ereport(ERROR, errcode(ERRCODE_INVALID_SCHEMA_NAME),
                    errmsg("schema \"%s\" does not exist", name));
        return false;
    }
    EntryList *tables = &t->lists[CLS_TABLE];
    Dependents deps = {.count = 0};
    strbuf_init(&deps.text, t->scratch);
    for (int i = 0; i < tables->n; i++) {
        const CatTable *tbl = tables->items[i].obj;
        if (strcmp(tbl->schema, name) == 0)
            add_dependent(&deps, "%s %s.%s depends on schema %s",
                          catalog_table_kind_word(tbl->kind), tbl->schema, tbl->name, name);
    }
    if (deps.count > 0 && !cascade)
        ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                errmsg("cannot drop schema %s because other objects depend on it", name),
                errdetail("%s", finish_dependents(&deps)),
                errhint("Use DROP ... CASCADE to drop the dependent objects too."));
    if (deps.count > 0) {
        /* PostgreSQL's wording: one object "drop cascades to table s.t", several listed */
        if (t->notices.arena == NULL && t->notices.data == NULL)
            strbuf_init(&t->notices, t->scratch);
        int count = 0;
        for (int i = 0; i < tables->n;) {
            const CatTable *tbl = tables->items[i].obj;
            if (strcmp(tbl->schema, name) != 0) {
                i++;
                continue;
            }
            if (t->notices.len)
                strbuf_append_char(&t->notices, '\n');
            strbuf_printf(&t->notices, "drop cascades to %s %s.%s",
                          tbl->kind == CAT_TABLE_PLAIN ? "table"
                                                       : catalog_table_kind_word(tbl->kind),
                          tbl->schema, tbl->name);
            count++;
            unlink_table(t, &tables->items[i]); /* shifts the array: i stays */
        }
        (void)count;
    }
    txn_unlink(t, CLS_SCHEMA, e, name);
    return true;
}

/* ---------- pipelines and jobs ---------- */

static bool pipeline_is_active(const CatPipeline *p)
{
    return p->state == PIPELINE_STARTING || p->state == PIPELINE_RUNNING ||
           p->state == PIPELINE_STOPPING;
}

/* The tables a pipeline names must exist (in the transaction's view). */
static void check_pipeline_deps(Txn *t, const CatPipeline *p)
{
    for (int i = 0; i < p->ndeps; i++)
        if (list_find_id(&t->lists[CLS_TABLE], p->deps[i]) == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                    errmsg("a table used by pipeline \"%s\" no longer exists", p->name),
                    errdetail("Table id %s is gone.", p->deps[i]));
}

static CatPipeline *txn_create_pipeline(Txn *t, const CatPipeline *p)
{
    EntryList *pipelines = &t->lists[CLS_PIPELINE];

    require_name("pipeline", p->name);
    if (list_find_name(pipelines, p->name))
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                errmsg("pipeline \"%s\" already exists", p->name));
    check_pipeline_deps(t, p);
    CatPipeline np = *p;
    if (np.id == NULL || np.id[0] == '\0')
        np.id = new_object_id(t->scratch, "pl_", pipelines);
    else if (list_find_id(pipelines, np.id))
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                errmsg("pipeline with id \"%s\" already exists", np.id));
    if (np.parallelism <= 0)
        np.parallelism = 1;
    if (np.created_at == 0)
        np.created_at = t->now;
    np.updated_at = np.created_at > t->now ? np.created_at : t->now;
    Entry e = txn_store(t, CLS_PIPELINE, np.id, catjson_enc_pipeline(&np));
    txn_insert(t, CLS_PIPELINE, e);
    return e.obj;
}

/* A pipeline by id when set, else by name/id given. */
static Entry *find_pipeline(Txn *t, const char *id, const char *name)
{
    EntryList *pipelines = &t->lists[CLS_PIPELINE];
    Entry *e = id && id[0] ? list_find_id(pipelines, id) : list_find(pipelines, name);
    if (e == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("pipeline \"%s\" does not exist", id && id[0] ? id : (name ? name : "")));
    return e;
}

/* The definition changes; runtime state (state, job, failure) is kept. */
static void txn_update_pipeline(Txn *t, const CatPipeline *p, const char *name)
{
    Entry *e = find_pipeline(t, p->id, name ? name : p->name);
    require_name("pipeline", p->name);
    Entry *same = list_find_name(&t->lists[CLS_PIPELINE], p->name);
    if (same && same != e)
        ereport(ERROR, errcode(ERRCODE_DUPLICATE_OBJECT),
                errmsg("pipeline \"%s\" already exists", p->name));
    check_pipeline_deps(t, p);
    const CatPipeline *old = e->obj;
    CatPipeline np = *p;
    np.id = old->id;
    np.state = old->state;
    np.job_id = old->job_id;
    np.failure_message = old->failure_message;
    np.created_at = old->created_at;
    np.updated_at = t->now;
    txn_replace(t, CLS_PIPELINE, e, txn_store(t, CLS_PIPELINE, np.id, catjson_enc_pipeline(&np)));
}

/* Returns false when the pipeline does not exist. */
static bool txn_set_pipeline_state(Txn *t, const char *id, CatPipelineState state,
                                   const char *job_id, const char *failure)
{
    Entry *e = list_find_id(&t->lists[CLS_PIPELINE], id);
    if (e == NULL)
        return false;
    CatPipeline np = *(const CatPipeline *)e->obj;
    np.state = state;
    if (job_id)
        np.job_id = (char *)job_id;
    np.failure_message = (char *)failure;
    np.updated_at = t->now;
    txn_replace(t, CLS_PIPELINE, e, txn_store(t, CLS_PIPELINE, np.id, catjson_enc_pipeline(&np)));
    return true;
}

/* A running pipeline is not dropped; its job records go with it. */
static bool txn_drop_pipeline(Txn *t, const char *name, bool missing_ok)
{
    Entry *e = list_find(&t->lists[CLS_PIPELINE], name);
    if (e == NULL) {
        if (!missing_ok)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("pipeline \"%s\" does not exist", name ? name : ""));
        return false;
    }
    const CatPipeline *p = e->obj;
    if (pipeline_is_active(p))
        ereport(ERROR, errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
                errmsg("cannot drop pipeline \"%s\" while it is running", p->name),
                errhint("Stop it first with STOP PIPELINE %s.", p->name));
    EntryList *jobs = &t->lists[CLS_JOB];
    for (int i = 0; i < jobs->n;) {
        const CatJob *j = jobs->items[i].obj;
        if (strcmp(j->pipeline_id, p->id) == 0)
            txn_unlink(t, CLS_JOB, &jobs->items[i], j->id); /* shifts the array: i stays */
        else
            i++;
    }
    txn_unlink(t, CLS_PIPELINE, e, p->id);
    return true;
}

static void txn_put_job(Txn *t, const CatJob *j)
{
    if (j->id == NULL || j->id[0] == '\0' || j->pipeline_id == NULL)
        elog(ERROR, "a job record needs an id and a pipeline id");
    if (list_find_id(&t->lists[CLS_PIPELINE], j->pipeline_id) == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("pipeline \"%s\" does not exist", j->pipeline_id));
    Entry *e = list_find_name(&t->lists[CLS_JOB], j->id);
    Entry ne = txn_store(t, CLS_JOB, j->id, catjson_enc_job(j));
    if (e)
        txn_replace(t, CLS_JOB, e, ne);
    else
        txn_insert(t, CLS_JOB, ne);
}

/* ---------- start-up and shut-down ---------- */

static void load_object(Arena *scratch, const char *key, size_t klen, const char *val, size_t vlen)
{
    char *keystr = arena_strndup(scratch, key, klen);
    char *json = arena_strndup(scratch, val, vlen);

    if (strcmp(keystr, KEY_OID_SEQ) == 0) {
        unsigned long v = strtoul(json, NULL, 10);
        if (v > cat.next_oid && v <= 0xFFFFFFFFul)
            cat.next_oid = (Oid)v;
        return;
    }
    if (strcmp(keystr, KEY_FORMAT) == 0) {
        json_t *root = json_loads(json, 0, NULL);
        json_int_t format = root ? json_integer_value(json_object_get(root, "format")) : 0;
        if (root)
            json_decref(root);
        if (format > CATALOG_FORMAT)
            ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
                    errmsg("catalog format %lld is newer than this laminard supports (%d)",
                           (long long)format, CATALOG_FORMAT),
                    errhint("Run a newer laminard on this data directory."));
        return;
    }
    for (int c = 0; c < CLS__COUNT; c++) {
        if (strncmp(keystr, class_key_prefix[c], strlen(class_key_prefix[c])) != 0)
            continue;
        Arena *arena;
        void *obj = decode_new((ObjClass)c, keystr, json, &arena);
        Entry e = make_entry((ObjClass)c, arena, obj);
        Oid oid = c == CLS_ROLE     ? ((CatRole *)obj)->oid
                  : c == CLS_TABLE  ? ((CatTable *)obj)->oid
                  : c == CLS_SCHEMA ? ((CatSchema *)obj)->oid
                                    : 0;

        /* Belt and braces: never hand out an OID that is already in use. */
        if (oid >= cat.next_oid)
            cat.next_oid = oid + 1;
        if (list_search(&cat.lists[c], e.schema, e.name) >= 0) {
            arena_destroy(arena);
            ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
                    errmsg("catalog object \"%s\" is corrupted", keystr),
                    errdetail("Another object is already named \"%s\".", e.name));
        }
        list_insert(&cat.lists[c], e);
        return;
    }
    lm_log(LOG_WARN, "catalog: ignoring unknown key \"%s\"", keystr);
}

static void load_all(void)
{
    Arena *volatile scratch = arena_create("catalog load", NULL);
    StorageIter *volatile it = NULL;

    LM_TRY();
    {
        it = storage_iter_prefix(cat.st, CF_CATALOG, NULL, 0);
        for (; storage_iter_valid(it); storage_iter_next(it)) {
            size_t klen, vlen;
            const char *key = storage_iter_key(it, &klen);
            const char *val = storage_iter_value(it, &vlen);
            load_object(scratch, key, klen, val, vlen);
            arena_reset(scratch);
        }
    }
    LM_CATCH();
    {
        storage_iter_destroy(it);
        arena_destroy(scratch);
        error_rethrow();
    }
    LM_END_TRY();
    storage_iter_destroy(it);
    arena_destroy(scratch);
}

/* The bootstrap superuser (oid 10, like PostgreSQL's) and the format marker, in one batch. */
static void bootstrap(Txn *t, const char *user)
{
    CatRole r = {.name = (char *)user,
                 .superuser = true,
                 .login = true,
                 .createdb = true,
                 .createrole = true};

    txn_create_role(t, &r, BOOTSTRAP_SUPERUSER_OID);
    txn_write(t, KEY_FORMAT,
              catjson_dump(json_pack("{s:i,s:I}", "format", CATALOG_FORMAT, "created_at",
                                     (json_int_t)t->now)));
    t->oid_used = true; /* persist seq/oid from the start */
}

void catalog_init(Storage *st, const char *bootstrap_user)
{
    Txn txn_data;
    Txn *const txn = &txn_data;

    memset(txn, 0, sizeof txn_data);
    pthread_rwlock_wrlock(&cat.lock);
    if (cat.initialized) {
        pthread_rwlock_unlock(&cat.lock);
        elog(ERROR, "catalog is already initialized");
    }
    cat.st = st;
    cat.next_oid = FIRST_NORMAL_OBJECT_ID;
    LM_TRY();
    {
        load_all();
        if (cat.lists[CLS_ROLE].n == 0 && bootstrap_user && bootstrap_user[0]) {
            txn_begin(txn);
            bootstrap(txn, bootstrap_user);
            txn_commit(txn, NULL);
            lm_log(LOG_INFO, "catalog: created bootstrap superuser \"%s\"", bootstrap_user);
        }
    }
    LM_CATCH();
    {
        txn_abort(txn);
        for (int c = 0; c < CLS__COUNT; c++)
            list_clear(&cat.lists[c]);
        cat.st = NULL;
        pthread_rwlock_unlock(&cat.lock);
        error_rethrow();
    }
    LM_END_TRY();
    cat.initialized = true;
    bump_version();
    lm_log(LOG_INFO,
           "catalog: %d roles, %d secrets, %d connection profiles, %d tables, %d schemas, "
           "%d pipelines, %d jobs",
           cat.lists[CLS_ROLE].n, cat.lists[CLS_SECRET].n, cat.lists[CLS_PROFILE].n,
           cat.lists[CLS_TABLE].n, cat.lists[CLS_SCHEMA].n, cat.lists[CLS_PIPELINE].n,
           cat.lists[CLS_JOB].n);
    pthread_rwlock_unlock(&cat.lock);
}

void catalog_shutdown(void)
{
    pthread_rwlock_wrlock(&cat.lock);
    if (cat.initialized) {
        for (int c = 0; c < CLS__COUNT; c++)
            list_clear(&cat.lists[c]);
        cat.st = NULL;
        cat.initialized = false;
        bump_version();
    }
    pthread_rwlock_unlock(&cat.lock);
}

/* ---------- lookups ---------- */

CatRole *catalog_get_role(Arena *a, const char *name)
{
    CatRole *volatile result = NULL;

    CATALOG_READ({
        Entry *e = list_find_name(&cat.lists[CLS_ROLE], name);
        if (e) {
            CatRole *r = arena_new(a, CatRole);
            catalog_copy_role_into(a, r, e->obj);
            result = r;
        }
    });
    return result;
}

CatRole *catalog_list_roles(Arena *a, int *n)
{
    CatRole *volatile result = NULL;

    CATALOG_READ({
        const EntryList *l = &cat.lists[CLS_ROLE];
        CatRole *arr = arena_new_array(a, CatRole, l->n);
        for (int i = 0; i < l->n; i++)
            catalog_copy_role_into(a, &arr[i], l->items[i].obj);
        *n = l->n;
        result = arr;
    });
    return result;
}

CatSecret *catalog_get_secret(Arena *a, const char *name)
{
    CatSecret *volatile result = NULL;

    CATALOG_READ({
        Entry *e = list_find_name(&cat.lists[CLS_SECRET], name);
        if (e) {
            CatSecret *s = arena_new(a, CatSecret);
            catalog_copy_secret_into(a, s, e->obj);
            result = s;
        }
    });
    return result;
}

CatSecret *catalog_list_secrets(Arena *a, int *n)
{
    CatSecret *volatile result = NULL;

    CATALOG_READ({
        const EntryList *l = &cat.lists[CLS_SECRET];
        CatSecret *arr = arena_new_array(a, CatSecret, l->n);
        for (int i = 0; i < l->n; i++)
            catalog_copy_secret_into(a, &arr[i], l->items[i].obj);
        *n = l->n;
        result = arr;
    });
    return result;
}

CatProfile *catalog_get_profile(Arena *a, const char *name_or_id)
{
    CatProfile *volatile result = NULL;

    CATALOG_READ({
        Entry *e = list_find(&cat.lists[CLS_PROFILE], name_or_id);
        if (e)
            result = catalog_copy_profile(a, e->obj);
    });
    return result;
}

CatProfile *catalog_list_profiles(Arena *a, int *n)
{
    CatProfile *volatile result = NULL;

    CATALOG_READ({
        const EntryList *l = &cat.lists[CLS_PROFILE];
        CatProfile *arr = arena_new_array(a, CatProfile, l->n);
        for (int i = 0; i < l->n; i++)
            catalog_copy_profile_into(a, &arr[i], l->items[i].obj);
        *n = l->n;
        result = arr;
    });
    return result;
}

CatTable *catalog_get_table(Arena *a, const char *name_or_id)
{
    CatTable *volatile result = NULL;

    CATALOG_READ({
        Entry *e = list_find_table(&cat.lists[CLS_TABLE], NULL, name_or_id);
        if (e)
            result = catalog_copy_table(a, e->obj);
    });
    return result;
}

CatTable *catalog_list_tables(Arena *a, int *n)
{
    CatTable *volatile result = NULL;

    CATALOG_READ({
        const EntryList *l = &cat.lists[CLS_TABLE];
        CatTable *arr = arena_new_array(a, CatTable, l->n);
        for (int i = 0; i < l->n; i++)
            catalog_copy_table_into(a, &arr[i], l->items[i].obj);
        *n = l->n;
        result = arr;
    });
    return result;
}

/* ---------- single-statement mutations ---------- */

void catalog_create_role(const CatRole *role)
{
    CATALOG_TXN(txn, txn_create_role(txn, role, 0));
}

void catalog_update_role(const CatRole *role)
{
    CATALOG_TXN(txn, txn_update_role(txn, role));
}

void catalog_drop_role(const char *name, bool missing_ok)
{
    volatile bool dropped = true;

    CATALOG_TXN(txn, dropped = txn_drop_role(txn, name, missing_ok));
    if (!dropped)
        ereport(NOTICE, errmsg("role \"%s\" does not exist, skipping", name));
}

void catalog_create_secret(const CatSecret *secret, bool if_not_exists)
{
    volatile bool created = true;

    CATALOG_TXN(txn, created = txn_create_secret(txn, secret, if_not_exists));
    if (!created)
        ereport(NOTICE, errmsg("secret \"%s\" already exists, skipping", secret->name));
}

void catalog_drop_secret(const char *name, bool missing_ok)
{
    volatile bool dropped = true;

    CATALOG_TXN(txn, dropped = txn_drop_secret(txn, name, missing_ok));
    if (!dropped)
        ereport(NOTICE, errmsg("secret \"%s\" does not exist, skipping", name));
}

CatProfile *catalog_create_profile(Arena *a, const CatProfile *p, bool if_not_exists)
{
    CatProfile *volatile result = NULL;

    CATALOG_TXN(txn, {
        CatProfile *made = txn_create_profile(txn, p, if_not_exists);
        if (made)
            result = catalog_copy_profile(a, made);
    });
    if (result == NULL)
        ereport(NOTICE, errmsg("connection profile \"%s\" already exists, skipping", p->name));
    return result;
}

void catalog_update_profile(const CatProfile *p)
{
    CATALOG_TXN(txn, txn_update_profile(txn, p, NULL));
}

void catalog_drop_profile(const char *name, bool missing_ok)
{
    volatile bool dropped = true;

    CATALOG_TXN(txn, dropped = txn_drop_profile(txn, name, missing_ok));
    if (!dropped)
        ereport(NOTICE, errmsg("connection profile \"%s\" does not exist, skipping", name));
}

CatTable *catalog_create_table(Arena *a, const CatTable *t, bool if_not_exists)
{
    CatTable *volatile result = NULL;

    CATALOG_TXN(txn, {
        CatTable *made = txn_create_table(txn, t, if_not_exists);
        if (made)
            result = catalog_copy_table(a, made);
    });
    if (result == NULL)
        ereport(NOTICE, errmsg("relation \"%s\" already exists, skipping", t->name));
    return result;
}

void catalog_update_table(const CatTable *t)
{
    CATALOG_TXN(txn, txn_update_table(txn, t, NULL));
}

void catalog_drop_table(const char *name, bool missing_ok)
{
    volatile bool dropped = true;

    CATALOG_TXN(txn, dropped = txn_drop_table(txn, NULL, name, missing_ok));
    if (!dropped)
        ereport(NOTICE, errmsg("table \"%s\" does not exist, skipping", name));
}

/* ---------- schemas ---------- */

static void apply_ops(const CatalogOp *ops, int n, StorageBatch *pre, char **notices_out);
static void raise_cascade_notice(char *text);

CatTable *catalog_get_table_in(Arena *a, const char *schema, const char *name)
{
    CatTable *volatile result = NULL;

    CATALOG_READ({
        Entry *e = list_find_qual(&cat.lists[CLS_TABLE], schema, name);
        if (e)
            result = catalog_copy_table(a, e->obj);
    });
    return result;
}

static CatSchema *copy_schema(Arena *a, const CatSchema *src)
{
    CatSchema *s = arena_new(a, CatSchema);
    *s = *src;
    s->name = arena_strdup(a, src->name);
    s->owner = src->owner ? arena_strdup(a, src->owner) : NULL;
    return s;
}

CatSchema *catalog_get_schema(Arena *a, const char *name)
{
    CatSchema *volatile result = NULL;

    CATALOG_READ({
        Entry *e = list_find_name(&cat.lists[CLS_SCHEMA], name);
        if (e)
            result = copy_schema(a, e->obj);
    });
    return result;
}

CatSchema *catalog_list_schemas(Arena *a, int *n)
{
    CatSchema *volatile result = NULL;

    CATALOG_READ({
        const EntryList *l = &cat.lists[CLS_SCHEMA];
        CatSchema *arr = arena_new_array(a, CatSchema, l->n ? l->n : 1);
        for (int i = 0; i < l->n; i++)
            arr[i] = *copy_schema(a, l->items[i].obj);
        *n = l->n;
        result = arr;
    });
    return result;
}

bool catalog_schema_is_builtin(const char *name)
{
    return schema_is_builtin(name);
}

void catalog_create_schema(const CatSchema *sc, bool if_not_exists)
{
    volatile bool created = true;

    CATALOG_TXN(txn, created = txn_create_schema(txn, sc, if_not_exists));
    if (!created)
        ereport(NOTICE, errcode(ERRCODE_DUPLICATE_SCHEMA),
                errmsg("schema \"%s\" already exists, skipping", sc->name));
}

void catalog_drop_schema(const char *name, bool missing_ok, bool cascade)
{
    CatalogOp op = {.kind = CATOP_DROP_SCHEMA, .name = (char *)name, .cascade = cascade};

    if (missing_ok && !schema_is_builtin(name)) {
        bool exists = false;
        CATALOG_READ(exists = list_find_name(&cat.lists[CLS_SCHEMA], name) != NULL);
        if (!exists) {
            ereport(NOTICE, errmsg("schema \"%s\" does not exist, skipping", name));
            return;
        }
    }
    char *notices;
    apply_ops(&op, 1, NULL, &notices);
    if (notices)
        raise_cascade_notice(notices);
}

Oid catalog_reserve_oid(void)
{
    Oid volatile oid = 0;

    /* The commit persists seq/oid: the OID is never handed out again, even after a restart. */
    CATALOG_TXN(txn, oid = txn_take_oid(txn));
    return oid;
}

Storage *catalog_storage(void)
{
    return cat.st;
}

/* One NOTICE for the tables a DROP SCHEMA ... CASCADE took with it (PostgreSQL's wording).
 * Takes ownership of text (lm_malloc'ed). */
static void raise_cascade_notice(char *text)
{
    volatile int lines = 1;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    LM_TRY();
    {
        if (lines == 1)
            ereport(NOTICE, errmsg("%s", text));
        else
            ereport(NOTICE, errmsg("drop cascades to %d other objects", lines),
                    errdetail("%s", text));
    }
    LM_CATCH();
    {
        lm_free(text);
        error_rethrow();
    }
    LM_END_TRY();
    lm_free(text);
}

/* ---------- several mutations at once ---------- */

int catalog_op_class(CatalogOpKind kind)
{
    switch (kind) {
    case CATOP_CREATE_PROFILE:
    case CATOP_UPDATE_PROFILE:
    case CATOP_DROP_PROFILE:
        return CATOP_CLASS_PROFILE;
    case CATOP_CREATE_TABLE:
    case CATOP_UPDATE_TABLE:
    case CATOP_DROP_TABLE:
        return CATOP_CLASS_TABLE;
    case CATOP_CREATE_SECRET:
    case CATOP_DROP_SECRET:
        return CATOP_CLASS_SECRET;
    case CATOP_CREATE_SCHEMA:
    case CATOP_DROP_SCHEMA:
        return CATOP_CLASS_SCHEMA;
    case CATOP_CREATE_PIPELINE:
    case CATOP_UPDATE_PIPELINE:
    case CATOP_DROP_PIPELINE:
        return CATOP_CLASS_PIPELINE;
    default:
        elog(ERROR, "unrecognized catalog operation %d", (int)kind);
    }
}

/*
 * Each operation sees the effects of the ones before it (a profile created
 * earlier in the block can be used by a table, a table dropped earlier no
 * longer holds its profile).  Nothing is IF [NOT] EXISTS here: the caller
 * decided that when it queued the operation, so every conflict is an error.
 */
void catalog_apply(const CatalogOp *ops, int n)
{
    apply_ops(ops, n, NULL, NULL);
}

void catalog_apply_with(const CatalogOp *ops, int n, StorageBatch *pre)
{
    apply_ops(ops, n, pre, NULL);
}

/* notices_out (or NULL): receives the cascade notices' text (lm_malloc'ed) or NULL. */
static void apply_ops(const CatalogOp *ops, int n, StorageBatch *pre, char **notices_out)
{
    char *volatile notices = NULL;

    if (notices_out)
        *notices_out = NULL;
    if (n <= 0 && (pre == NULL || storage_batch_count(pre) == 0))
        return;
    CATALOG_TXN_PRE(txn, pre, {
        for (int i = 0; i < n; i++) {
            const CatalogOp *op = &ops[i];
            if (op->object == NULL && op->kind != CATOP_DROP_PROFILE &&
                op->kind != CATOP_DROP_TABLE && op->kind != CATOP_DROP_SECRET &&
                op->kind != CATOP_DROP_SCHEMA && op->kind != CATOP_DROP_PIPELINE)
                elog(ERROR, "catalog operation %d has no object", (int)op->kind);
            switch (op->kind) {
            case CATOP_CREATE_PROFILE:
                txn_create_profile(txn, op->object, false);
                break;
            case CATOP_UPDATE_PROFILE:
                txn_update_profile(txn, op->object, op->name);
                break;
            case CATOP_DROP_PROFILE:
                txn_drop_profile(txn, op->name, false);
                break;
            case CATOP_CREATE_TABLE:
                txn_create_table(txn, op->object, false);
                break;
            case CATOP_UPDATE_TABLE:
                txn_update_table(txn, op->object, op->name);
                break;
            case CATOP_DROP_TABLE:
                txn_drop_table(txn, op->schema, op->name, false);
                break;
            case CATOP_CREATE_SCHEMA:
                txn_create_schema(txn, op->object, false);
                break;
            case CATOP_DROP_SCHEMA:
                txn_drop_schema(txn, op->name, false, op->cascade);
                break;
            case CATOP_CREATE_SECRET:
                txn_create_secret(txn, op->object, false);
                break;
            case CATOP_DROP_SECRET:
                txn_drop_secret(txn, op->name, false);
                break;
            case CATOP_CREATE_PIPELINE:
                txn_create_pipeline(txn, op->object);
                break;
            case CATOP_UPDATE_PIPELINE:
                txn_update_pipeline(txn, op->object, op->name);
                break;
            case CATOP_DROP_PIPELINE:
                txn_drop_pipeline(txn, op->name, false);
                break;
            default:
                elog(ERROR, "unrecognized catalog operation %d", (int)op->kind);
            }
        }
        if (txn->notices.len && notices_out)
            notices = lm_strdup(txn->notices.data);
    });
    if (notices_out)
        *notices_out = notices;
}

/* ---------- pipelines and jobs: lookups and runtime records ---------- */

CatPipeline *catalog_get_pipeline(Arena *a, const char *name_or_id)
{
    CatPipeline *volatile result = NULL;

    CATALOG_READ({
        Entry *e = list_find(&cat.lists[CLS_PIPELINE], name_or_id);
        if (e)
            result = catalog_copy_pipeline(a, e->obj);
    });
    return result;
}

CatPipeline *catalog_list_pipelines(Arena *a, int *n)
{
    CatPipeline *volatile result = NULL;

    CATALOG_READ({
        const EntryList *l = &cat.lists[CLS_PIPELINE];
        CatPipeline *arr = arena_new_array(a, CatPipeline, l->n + 1);
        for (int i = 0; i < l->n; i++)
            catalog_copy_pipeline_into(a, &arr[i], l->items[i].obj);
        *n = l->n;
        result = arr;
    });
    return result;
}

bool catalog_set_pipeline_state(const char *pipeline_id, CatPipelineState state, const char *job_id,
                                const char *failure_message)
{
    volatile bool found = false;

    CATALOG_TXN(txn, {
        txn->runtime_only = true;
        found = txn_set_pipeline_state(txn, pipeline_id, state, job_id, failure_message);
    });
    return found;
}

CatJob *catalog_get_job(Arena *a, const char *id)
{
    CatJob *volatile result = NULL;

    CATALOG_READ({
        Entry *e = list_find_name(&cat.lists[CLS_JOB], id);
        if (e)
            result = catalog_copy_job(a, e->obj);
    });
    return result;
}

static int cmp_job_started(const void *x, const void *y)
{
    const CatJob *a = x, *b = y;
    if (a->started_at != b->started_at)
        return a->started_at < b->started_at ? -1 : 1;
    return strcmp(a->id, b->id);
}

CatJob *catalog_list_jobs(Arena *a, int *n)
{
    CatJob *volatile result = NULL;

    CATALOG_READ({
        const EntryList *l = &cat.lists[CLS_JOB];
        CatJob *arr = arena_new_array(a, CatJob, l->n + 1);
        for (int i = 0; i < l->n; i++)
            catalog_copy_job_into(a, &arr[i], l->items[i].obj);
        *n = l->n;
        result = arr;
    });
    qsort(result, (size_t)*n, sizeof(CatJob), cmp_job_started);
    return result;
}

void catalog_put_job(const CatJob *j)
{
    CATALOG_TXN(txn, {
        txn->runtime_only = true;
        txn_put_job(txn, j);
    });
}
