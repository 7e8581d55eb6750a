/*
 * test_catalog.c: storage (RocksDB) and catalog persistence.
 *
 * Covers: opening a new data directory creates every column family and a
 * reopen finds them; put/get/delete; prefix iteration order and bounds
 * (incl. a 0xff prefix); batches are atomic across families; key encodings
 * sort like their values; the catalog's create/get/list/update/drop for
 * roles, secrets, profiles and tables, with the SQLSTATE of every duplicate,
 * missing and dependency error; IF [NOT] EXISTS raising NOTICEs; the
 * bootstrap superuser; and that every object (and the OID counter) survives
 * closing and reopening the data directory.
 */
#include "common/arena.h"
#include "common/error.h"
#include "common/types.h"
#include "storage/catalog.h"
#include "storage/storage.h"

#include "lmtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Like lmtest.h's LMT_EXPECT_ERROR, with the expected SQLSTATE under a name
 * that cannot collide with ErrorData's field (lmtest.h's parameter is named
 * `sqlstate`, which the preprocessor also substitutes into `e->sqlstate`).
 */
#define EXPECT_SQLSTATE(stmt, want_state, ...)                                                     \
    do {                                                                                           \
        volatile int raised_ = 0;                                                                  \
        char state_[6] = "", msg_[256] = "", why_[400];                                            \
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
            error_clear();                                                                         \
        }                                                                                          \
        LM_END_TRY();                                                                              \
        if (!raised_)                                                                              \
            snprintf(why_, sizeof why_, "no error raised, expected %s", (want_state));             \
        else                                                                                       \
            snprintf(why_, sizeof why_, "raised %s \"%s\", expected %s", state_, msg_,             \
                     (want_state));                                                                \
        lmt_check(raised_ &&strcmp(state_, (want_state)) == 0, __FILE__, __LINE__, why_,           \
                  __VA_ARGS__);                                                                    \
    } while (0)

static int notices;
static char last_notice[256];

static void count_notice(void *arg, const ErrorData *e)
{
    notices++;
    snprintf(last_notice, sizeof last_notice, "%s", e->message);
}

static bool dir_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static void remove_tree(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", path);
}

/* ---------- storage ---------- */

static void test_storage(const char *datadir)
{
    Arena *a = arena_create("test storage", NULL);
    Storage *volatile st = NULL;
    char *val;
    size_t vlen;
    char dbpath[1100];

    LMT_EXPECT_NO_ERROR(st = storage_open(datadir), "storage_open creates a new data directory");
    snprintf(dbpath, sizeof dbpath, "%s/db", datadir);
    LMT_CHECK(dir_exists(dbpath), "DATADIR/db exists");
    if (st == NULL)
        return;

    /* put / get / delete in every family */
    for (int cf = 0; cf < CF__COUNT; cf++) {
        char v[16];
        snprintf(v, sizeof v, "v%d", cf);
        storage_put(st, (StorageCF)cf, "k", 1, v, strlen(v), false);
    }
    bool all = true;
    for (int cf = 0; cf < CF__COUNT; cf++) {
        char v[16];
        snprintf(v, sizeof v, "v%d", cf);
        if (!storage_get(st, a, (StorageCF)cf, "k", 1, &val, &vlen) || vlen != strlen(v) ||
            memcmp(val, v, vlen) != 0)
            all = false;
    }
    LMT_CHECK(all, "every family keeps its own value for the same key");
    storage_delete(st, CF_STATE, "k", 1, true);
    LMT_CHECK(!storage_get(st, a, CF_STATE, "k", 1, &val, &vlen), "deleted key is absent");
    LMT_CHECK(storage_get(st, a, CF_META, "k", 1, &val, &vlen) && val[vlen] == '\0',
              "other family unaffected; value NUL-terminated");

    /* prefix iteration */
    const char *keys[] = {"a/1",
                          "a/2",
                          "a/3",
                          "ab",
                          "b/1",
                          "a/",
                          "\xff\xff"
                          "x",
                          "\xff\xff"};
    for (size_t i = 0; i < LM_ARRAY_LEN(keys); i++)
        storage_put(st, CF_TABLES, keys[i], strlen(keys[i]), "x", 1, false);
    StorageIter *it = storage_iter_prefix(st, CF_TABLES, "a/", 2);
    char seen[128] = "";
    for (; storage_iter_valid(it); storage_iter_next(it)) {
        size_t klen;
        const char *k = storage_iter_key(it, &klen);
        strncat(seen, k, klen);
        strcat(seen, ",");
    }
    storage_iter_destroy(it);
    LMT_CHECK_STR(seen, "a/,a/1,a/2,a/3,", "prefix iteration is ordered and bounded");

    int n = 0;
    it = storage_iter_prefix(st, CF_TABLES, "\xff\xff", 2);
    for (; storage_iter_valid(it); storage_iter_next(it))
        n++;
    storage_iter_destroy(it);
    LMT_CHECK_INT(n, 2, "prefix of 0xff bytes (no upper bound) iterates its keys only");

    n = 0;
    it = storage_iter_prefix(st, CF_TABLES, NULL, 0);
    for (; storage_iter_valid(it); storage_iter_next(it))
        n++;
    storage_iter_destroy(it);
    LMT_CHECK_INT(n, (int)LM_ARRAY_LEN(keys) + 1, "empty prefix iterates the whole family");

    /* batches */
    StorageBatch *b = storage_batch_create();
    storage_batch_put(b, CF_STATE, "s1", 2, "one", 3);
    storage_batch_put(b, CF_META, "m1", 2, "two", 3);
    storage_batch_delete(b, CF_TABLES, "b/1", 3);
    LMT_CHECK_INT(storage_batch_count(b), 3, "batch counts its operations");
    LMT_CHECK(!storage_get(st, a, CF_STATE, "s1", 2, &val, &vlen),
              "batch not visible before commit");
    storage_batch_commit(st, b, true);
    LMT_CHECK(storage_get(st, a, CF_STATE, "s1", 2, &val, &vlen) &&
                  storage_get(st, a, CF_META, "m1", 2, &val, &vlen) &&
                  !storage_get(st, a, CF_TABLES, "b/1", 3, &val, &vlen),
              "batch commit applies puts and deletes across families");
    storage_batch_clear(b);
    LMT_CHECK_INT(storage_batch_count(b), 0, "cleared batch is empty");
    storage_batch_delete_range(b, CF_TABLES, "a/", 2, "a0", 2);
    storage_batch_commit(st, b, false);
    n = 0;
    it = storage_iter_prefix(st, CF_TABLES, "a", 1);
    for (; storage_iter_valid(it); storage_iter_next(it))
        n++;
    storage_iter_destroy(it);
    LMT_CHECK_INT(n, 1, "delete_range removes [from, to) and keeps the rest");

    /* An invalid family in a batch fails the whole commit: nothing of it is written. */
    storage_batch_clear(b);
    storage_batch_put(b, CF_STATE, "atomic1", 7, "x", 1);
    EXPECT_SQLSTATE(storage_batch_put(b, (StorageCF)99, "atomic2", 7, "x", 1), "XX000",
                    "batch rejects an unknown column family");
    storage_batch_destroy(b);

    /* Many-key batch: all or nothing visible to an iterator. */
    b = storage_batch_create();
    for (int i = 0; i < 1000; i++) {
        char k[32];
        storage_key_put_u32(k, 7);
        storage_key_put_u64(k + 4, (uint64)i);
        storage_batch_put(b, CF_STATE, k, 12, "v", 1);
    }
    storage_batch_commit(st, b, true);
    storage_batch_destroy(b);
    char prefix[4];
    storage_key_put_u32(prefix, 7);
    n = 0;
    bool ordered = true;
    uint64 prev = 0;
    it = storage_iter_prefix(st, CF_STATE, prefix, 4);
    for (; storage_iter_valid(it); storage_iter_next(it)) {
        size_t klen;
        const char *k = storage_iter_key(it, &klen);
        uint64 v = storage_key_get_u64(k + 4);
        if (n > 0 && v != prev + 1)
            ordered = false;
        prev = v;
        n++;
    }
    storage_iter_destroy(it);
    LMT_CHECK(n == 1000 && ordered, "1000-key batch committed whole, iterated in key order");

    /* key encodings */
    int64 vals[] = {INT64_MIN, -1000000, -1, 0, 1, 42, INT64_MAX};
    bool sorted = true, roundtrip = true;
    for (size_t i = 0; i < LM_ARRAY_LEN(vals); i++) {
        char k1[8], k2[8];
        storage_key_put_i64(k1, vals[i]);
        if (storage_key_get_i64(k1) != vals[i])
            roundtrip = false;
        if (i + 1 < LM_ARRAY_LEN(vals)) {
            storage_key_put_i64(k2, vals[i + 1]);
            if (memcmp(k1, k2, 8) >= 0)
                sorted = false;
        }
    }
    LMT_CHECK(sorted && roundtrip, "i64 keys round-trip and sort bytewise in numeric order");
    char k32[4];
    storage_key_put_u32(k32, 0xdeadbeef);
    LMT_CHECK(storage_key_get_u32(k32) == 0xdeadbeef && (unsigned char)k32[0] == 0xde,
              "u32 keys are big-endian");

    LMT_CHECK(storage_cf_size(st, CF_STATE) > 0, "storage_cf_size reports a nonzero size");

    /* A second open of the same directory is refused with 58030. */
    EXPECT_SQLSTATE(storage_open(datadir), "58030", "second open of a data directory is refused");

    storage_close(st);

    /* reopen: families and data are still there */
    st = NULL;
    LMT_EXPECT_NO_ERROR(st = storage_open(datadir), "reopen finds the existing families");
    if (st) {
        LMT_CHECK(storage_get(st, a, CF_META, "m1", 2, &val, &vlen) && vlen == 3 &&
                      memcmp(val, "two", 3) == 0,
                  "data survives close and reopen");
        storage_close(st);
    }
    arena_destroy(a);
}

static void test_open_errors(const char *base)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/not-a-dir", base);
    FILE *f = fopen(path, "w");
    if (f)
        fclose(f);
    EXPECT_SQLSTATE(storage_open(path), "58030", "opening a data directory that is a file fails");
}

/* ---------- catalog ---------- */

static CatTable make_table(Arena *a, const char *name, CatTableKind kind, const char *profile)
{
    CatTable t = {0};
    int errpos;
    const char *msg;

    t.name = (char *)name;
    t.kind = kind;
    t.connector = "kafka";
    t.profile_id = (char *)profile;
    t.ncolumns = 4;
    t.columns = arena_new_array(a, CatColumn, 4);
    t.columns[0] = (CatColumn){.name = "id", .type = type_int64(), .not_null = true};
    t.columns[1] = (CatColumn){.name = "ts", .type = type_timestamp()};
    t.columns[2] =
        (CatColumn){.name = "price", .type = type_parse(a, "DECIMAL(10,2)", &errpos, &msg)};
    t.columns[3] = (CatColumn){.name = "tags",
                               .type = type_parse(a, "MAP<STRING, ARRAY<INT>>", &errpos, &msg),
                               .default_expr = "NULL"};
    t.noptions = 2;
    t.options = arena_new_array(a, CatOption, 2);
    t.options[0] = (CatOption){.name = "topic", .value = "clicks", .kind = CATOPT_STRING};
    t.options[1] = (CatOption){.name = "format", .value = "json", .kind = CATOPT_IDENT};
    t.event_time_field = "ts";
    t.watermark_delay = "30 seconds";
    return t;
}

static bool ids_look_right(const char *id, const char *prefix)
{
    size_t plen = strlen(prefix);
    if (id == NULL || strncmp(id, prefix, plen) != 0 || strlen(id) != plen + 12)
        return false;
    for (const char *p = id + plen; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

static char profile_id[64];
static char table_id[64];
static Oid table_oid;

static void test_catalog_first_run(const char *datadir)
{
    Arena *a = arena_create("test catalog", NULL);
    Storage *st = storage_open(datadir);
    int n;

    LMT_EXPECT_NO_ERROR(catalog_init(st, "laminar"), "catalog_init on a new data directory");

    /* bootstrap role */
    CatRole *r = catalog_get_role(a, "laminar");
    LMT_CHECK(r && r->oid == 10 && r->superuser && r->login && r->createdb && r->createrole &&
                  r->scram_verifier == NULL,
              "bootstrap superuser exists with oid 10 and all attributes");
    EXPECT_SQLSTATE(catalog_drop_role("laminar", false), "2BP01",
                    "bootstrap superuser cannot be dropped");

    /* roles */
    CatRole alice = {.name = "alice",
                     .login = true,
                     .scram_verifier = "SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy"};
    LMT_EXPECT_NO_ERROR(catalog_create_role(&alice), "create role alice");
    EXPECT_SQLSTATE(catalog_create_role(&alice), "42710", "duplicate role is 42710");
    r = catalog_get_role(a, "alice");
    LMT_CHECK(r && r->oid >= 16384 && r->created_at > 0 && r->login && !r->superuser,
              "role gets an OID from 16384 on and timestamps");
    alice.createdb = true;
    LMT_EXPECT_NO_ERROR(catalog_update_role(&alice), "update role alice");
    CatRole *r2 = catalog_get_role(a, "alice");
    LMT_CHECK(r2 && r2->createdb && r2->oid == r->oid && r2->created_at == r->created_at,
              "update keeps oid and created_at");
    CatRole ghost = {.name = "ghost"};
    EXPECT_SQLSTATE(catalog_update_role(&ghost), "42704", "updating a missing role is 42704");
    EXPECT_SQLSTATE(catalog_drop_role("ghost", false), "42704", "dropping a missing role is 42704");
    notices = 0;
    LMT_EXPECT_NO_ERROR(catalog_drop_role("ghost", true), "DROP ROLE IF EXISTS on a missing role");
    LMT_CHECK(notices == 1 && strstr(last_notice, "does not exist, skipping"),
              "IF EXISTS raises a NOTICE");
    CatRole bob = {.name = "bob"};
    catalog_create_role(&bob);
    CatRole *roles = catalog_list_roles(a, &n);
    LMT_CHECK(n == 3 && strcmp(roles[0].name, "alice") == 0 && strcmp(roles[1].name, "bob") == 0 &&
                  strcmp(roles[2].name, "laminar") == 0,
              "roles listed by name");
    LMT_EXPECT_NO_ERROR(catalog_drop_role("bob", false), "drop role bob");
    LMT_CHECK(catalog_get_role(a, "bob") == NULL, "dropped role is gone");

    /* secrets */
    CatSecret sec = {.name = "kafka_pw", .value = "hunter2"};
    LMT_EXPECT_NO_ERROR(catalog_create_secret(&sec, false), "create secret");
    EXPECT_SQLSTATE(catalog_create_secret(&sec, false), "42710", "duplicate secret is 42710");
    notices = 0;
    LMT_EXPECT_NO_ERROR(catalog_create_secret(&sec, true),
                        "CREATE SECRET IF NOT EXISTS on existing");
    LMT_CHECK_STR(last_notice, "secret \"kafka_pw\" already exists, skipping", "and a NOTICE");
    CatSecret *s = catalog_get_secret(a, "kafka_pw");
    LMT_CHECK(s && strcmp(s->value, "hunter2") == 0, "secret value stored");
    CatSecret tmp = {.name = "tmp", .value = "x"};
    catalog_create_secret(&tmp, false);
    CatSecret *secrets = catalog_list_secrets(a, &n);
    LMT_CHECK(n == 2 && strcmp(secrets[0].name, "kafka_pw") == 0, "secrets listed by name");
    LMT_EXPECT_NO_ERROR(catalog_drop_secret("tmp", false), "drop secret");
    EXPECT_SQLSTATE(catalog_drop_secret("tmp", false), "42704",
                    "dropping a missing secret is 42704");

    /* profiles */
    CatOption popts[] = {
        {.name = "bootstrap_servers", .value = "localhost:9092", .kind = CATOPT_STRING},
        {.name = "password", .value = "kafka_pw", .kind = CATOPT_SECRET},
        {.name = "timeout_ms", .value = "5000", .kind = CATOPT_NUMBER},
    };
    CatProfile prof = {.name = "kafka_prod", .connector = "kafka", .noptions = 3, .options = popts};
    CatProfile *volatile p = NULL;
    LMT_EXPECT_NO_ERROR(p = catalog_create_profile(a, &prof, false), "create connection profile");
    LMT_CHECK(p && ids_look_right(p->id, "prof_") && p->created_at > 0 &&
                  p->updated_at == p->created_at,
              "profile gets a prof_ id and timestamps");
    if (p)
        snprintf(profile_id, sizeof profile_id, "%s", p->id);
    EXPECT_SQLSTATE(catalog_create_profile(a, &prof, false), "42710", "duplicate profile is 42710");
    notices = 0;
    CatProfile *volatile again = (CatProfile *)1;
    LMT_EXPECT_NO_ERROR(again = catalog_create_profile(a, &prof, true),
                        "IF NOT EXISTS on existing profile");
    LMT_CHECK(again == NULL && notices == 1, "returns NULL and raises a NOTICE");
    LMT_CHECK_STR(last_notice, "connection profile \"kafka_prod\" already exists, skipping",
                  "NOTICE text as PostgreSQL words it");
    CatProfile *byid = catalog_get_profile(a, profile_id);
    LMT_CHECK(byid && strcmp(byid->name, "kafka_prod") == 0 && byid->noptions == 3 &&
                  strcmp(byid->options[1].name, "password") == 0 &&
                  byid->options[1].kind == CATOPT_SECRET && byid->options[2].kind == CATOPT_NUMBER,
              "profile found by id with options in order and kinds");
    CatOption badopt[] = {{.name = "password", .value = "nope", .kind = CATOPT_SECRET}};
    CatProfile bad = {.name = "bad", .connector = "kafka", .noptions = 1, .options = badopt};
    EXPECT_SQLSTATE(catalog_create_profile(a, &bad, false), "42704",
                    "profile naming a missing secret is 42704");
    EXPECT_SQLSTATE(catalog_drop_secret("kafka_pw", false), "2BP01",
                    "secret used by a profile cannot be dropped");
    CatProfile second = {.name = "a_first", .connector = "datagen"};
    catalog_create_profile(a, &second, false);
    CatProfile *profs = catalog_list_profiles(a, &n);
    LMT_CHECK(n == 2 && strcmp(profs[0].name, "a_first") == 0 &&
                  strcmp(profs[1].name, "kafka_prod") == 0,
              "profiles listed by name");

    /* update (rename) a profile */
    CatProfile *pa = catalog_get_profile(a, "a_first");
    CatProfile upd = *pa;
    upd.name = "z_last";
    uint64 v0 = catalog_version();
    LMT_EXPECT_NO_ERROR(catalog_update_profile(&upd), "rename a profile by id");
    LMT_CHECK(catalog_version() > v0, "mutation bumps catalog_version");
    LMT_CHECK(catalog_get_profile(a, "a_first") == NULL && catalog_get_profile(a, "z_last") != NULL,
              "renamed profile found under its new name only");
    profs = catalog_list_profiles(a, &n);
    LMT_CHECK(n == 2 && strcmp(profs[1].name, "z_last") == 0, "list re-sorted after rename");
    upd.name = "kafka_prod";
    EXPECT_SQLSTATE(catalog_update_profile(&upd), "42710", "rename onto an existing name is 42710");
    CatProfile nosuch = {.id = "prof_doesnotexist", .name = "x"};
    EXPECT_SQLSTATE(catalog_update_profile(&nosuch), "42704",
                    "updating a missing profile is 42704");

    /* tables */
    CatTable t = make_table(a, "clicks", CAT_TABLE_SOURCE, "kafka_prod");
    CatTable *volatile ct = NULL;
    LMT_EXPECT_NO_ERROR(ct = catalog_create_table(a, &t, false), "create source table");
    LMT_CHECK(ct && ids_look_right(ct->id, "tbl_") && ct->oid > r->oid &&
                  strcmp(ct->schema, "public") == 0 && strcmp(ct->profile_id, profile_id) == 0,
              "table gets tbl_ id, a fresh OID, schema public; profile name resolved to its id");
    if (ct) {
        snprintf(table_id, sizeof table_id, "%s", ct->id);
        table_oid = ct->oid;
    }
    EXPECT_SQLSTATE(catalog_create_table(a, &t, false), "42P07", "duplicate table is 42P07");
    notices = 0;
    CatTable *volatile tagain = (CatTable *)1;
    LMT_EXPECT_NO_ERROR(tagain = catalog_create_table(a, &t, true),
                        "IF NOT EXISTS on existing table");
    LMT_CHECK(tagain == NULL, "returns NULL");
    LMT_CHECK_STR(last_notice, "relation \"clicks\" already exists, skipping", "NOTICE text");
    CatTable dupcol = make_table(a, "dupcol", CAT_TABLE_SINK, NULL);
    dupcol.columns[1].name = "id";
    EXPECT_SQLSTATE(catalog_create_table(a, &dupcol, false), "42701", "duplicate column is 42701");
    CatTable noprof = make_table(a, "noprof", CAT_TABLE_SINK, "no_such_profile");
    EXPECT_SQLSTATE(catalog_create_table(a, &noprof, false), "42704",
                    "table naming a missing profile is 42704");
    CatTable sink = make_table(a, "agg_out", CAT_TABLE_SINK, NULL);
    catalog_create_table(a, &sink, false);
    CatTable *tables = catalog_list_tables(a, &n);
    LMT_CHECK(n == 2 && strcmp(tables[0].name, "agg_out") == 0 &&
                  strcmp(tables[1].name, "clicks") == 0,
              "tables listed by name");
    CatTable *gt = catalog_get_table(a, table_id);
    LMT_CHECK(gt && strcmp(gt->name, "clicks") == 0, "table found by id");

    /* the profile is in use */
    EXPECT_SQLSTATE(catalog_drop_profile("kafka_prod", false), "2BP01",
                    "profile used by a table cannot be dropped");
    LM_TRY();
    {
        catalog_drop_profile("kafka_prod", false);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        LMT_CHECK_STR(
            e->message,
            "cannot drop connection profile \"kafka_prod\" because other objects depend on it",
            "dependency message");
        LMT_CHECK(
            e->detail &&
                strstr(e->detail, "source table clicks depends on connection profile kafka_prod"),
            "detail lists the dependent table");
        LMT_CHECK_STR(e->hint, "Drop the dependent tables first.", "hint");
        error_clear();
    }
    LM_END_TRY();
    EXPECT_SQLSTATE(catalog_drop_profile("nope", false), "42704",
                    "dropping a missing profile is 42704");
    notices = 0;
    catalog_drop_profile("nope", true);
    LMT_CHECK_STR(last_notice, "connection profile \"nope\" does not exist, skipping",
                  "DROP ... IF EXISTS NOTICE");
    EXPECT_SQLSTATE(catalog_drop_table("nope", false), "42P01",
                    "dropping a missing table is 42P01");

    /* update a table: change an option */
    CatTable ut = *gt;
    ut.options[0].value = "clicks_v2";
    LMT_EXPECT_NO_ERROR(catalog_update_table(&ut), "update table by id");
    CatTable *gt2 = catalog_get_table(a, "clicks");
    LMT_CHECK(gt2 && strcmp(gt2->options[0].value, "clicks_v2") == 0 && gt2->oid == gt->oid &&
                  gt2->created_at == gt->created_at && gt2->updated_at >= gt->updated_at,
              "update keeps id/oid/created_at and stores the change");

    /* deep copies: a lookup is independent of later catalog changes */
    CatTable *held = catalog_get_table(a, "agg_out");
    catalog_drop_table("agg_out", false);
    LMT_CHECK(held && strcmp(held->name, "agg_out") == 0 && held->columns[3].type->id == TYPE_MAP,
              "a copy stays valid after its object is dropped");

    catalog_shutdown();
    storage_close(st);
    arena_destroy(a);
}

static void test_catalog_reopen(const char *datadir)
{
    Arena *a = arena_create("test reopen", NULL);
    Storage *st = storage_open(datadir);
    int n;

    LMT_EXPECT_NO_ERROR(catalog_init(st, "someone_else"),
                        "catalog_init on an existing data directory");
    CatRole *roles = catalog_list_roles(a, &n);
    LMT_CHECK(n == 2 && catalog_get_role(a, "someone_else") == NULL,
              "existing roles reloaded; no second bootstrap user");
    CatRole *alice = catalog_get_role(a, "alice");
    LMT_CHECK(alice && alice->createdb && alice->scram_verifier &&
                  strcmp(alice->scram_verifier, "SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy") ==
                      0,
              "role attributes and verifier persisted");
    (void)roles;

    CatProfile *p = catalog_get_profile(a, "kafka_prod");
    LMT_CHECK(p && strcmp(p->id, profile_id) == 0 && p->noptions == 3 &&
                  strcmp(p->options[0].value, "localhost:9092") == 0,
              "profile persisted with its id and options");
    LMT_CHECK(catalog_get_profile(a, "z_last") != NULL, "renamed profile persisted");

    CatTable *t = catalog_get_table(a, "clicks");
    StrBuf sb;
    strbuf_init(&sb, a);
    bool types_ok = false;
    if (t && t->ncolumns == 4) {
        for (int i = 0; i < 4; i++) {
            type_format(t->columns[i].type, &sb);
            strbuf_append_char(&sb, ';');
        }
        types_ok = true;
    }
    LMT_CHECK(t && strcmp(t->id, table_id) == 0 && t->oid == table_oid &&
                  t->kind == CAT_TABLE_SOURCE && strcmp(t->profile_id, profile_id) == 0 &&
                  t->columns[0].not_null && strcmp(t->columns[3].default_expr, "NULL") == 0 &&
                  strcmp(t->event_time_field, "ts") == 0 &&
                  strcmp(t->watermark_delay, "30 seconds") == 0 &&
                  strcmp(t->options[0].value, "clicks_v2") == 0,
              "table persisted with id, oid, kind, profile, columns and options");
    LMT_CHECK(types_ok, "column types reloaded");
    lmt_diag("reloaded types: %s", sb.data);
    LMT_CHECK(catalog_get_table(a, "agg_out") == NULL, "dropped table stays dropped");

    /* OIDs keep increasing across restarts */
    CatTable t2 = make_table(a, "after_restart", CAT_TABLE_SINK, NULL);
    CatTable *c2 = catalog_create_table(a, &t2, false);
    LMT_CHECK(c2 && c2->oid > table_oid, "OID counter persisted (new oid %u > %u)",
              c2 ? c2->oid : 0, table_oid);

    /* dependency gone: profile can be dropped after its table */
    LMT_EXPECT_NO_ERROR(catalog_drop_table("clicks", false), "drop the table");
    LMT_EXPECT_NO_ERROR(catalog_drop_profile(profile_id, false), "then the profile drops (by id)");
    LMT_EXPECT_NO_ERROR(catalog_drop_secret("kafka_pw", false), "and then the secret");

    catalog_shutdown();
    storage_close(st);

    st = storage_open(datadir);
    catalog_init(st, "laminar");
    LMT_CHECK(catalog_get_profile(a, "kafka_prod") == NULL &&
                  catalog_get_table(a, "clicks") == NULL &&
                  catalog_get_secret(a, "kafka_pw") == NULL &&
                  catalog_get_table(a, "after_restart") != NULL,
              "drops persisted across another restart");
    catalog_shutdown();
    storage_close(st);
    arena_destroy(a);
}

/* ---------- catalog_apply: several changes in one atomic write ---------- */

static void test_apply(const char *datadir)
{
    Arena *a = arena_create("apply", NULL);
    Storage *st = storage_open(datadir);
    int n;

    catalog_init(st, "laminar");
    CatTable old = make_table(a, "old_table", CAT_TABLE_SINK, NULL);
    catalog_create_table(a, &old, false);

    /* a profile, a table using it (by name), a secret, and a drop, in one block */
    CatProfile p = {.name = "tx_profile", .connector = "datagen", .created_at = 1234};
    CatTable t = make_table(a, "tx_table", CAT_TABLE_SOURCE, "tx_profile");
    t.id = "tbl_fromcaller";
    CatSecret sec = {.name = "tx_secret", .value = "v"};
    CatalogOp ops[] = {
        {.kind = CATOP_CREATE_PROFILE, .name = "tx_profile", .object = &p},
        {.kind = CATOP_CREATE_TABLE, .name = "tx_table", .object = &t},
        {.kind = CATOP_CREATE_SECRET, .name = "tx_secret", .object = &sec},
        {.kind = CATOP_DROP_TABLE, .name = "old_table"},
    };
    uint64 v0 = catalog_version();
    LMT_EXPECT_NO_ERROR(catalog_apply(ops, 4), "catalog_apply of four operations");
    CatProfile *gp = catalog_get_profile(a, "tx_profile");
    CatTable *gt = catalog_get_table(a, "tx_table");
    LMT_CHECK(gp && gt && gp->created_at == 1234 && strcmp(gt->id, "tbl_fromcaller") == 0 &&
                  strcmp(gt->profile_id, gp->id) == 0 && catalog_get_secret(a, "tx_secret") &&
                  catalog_get_table(a, "old_table") == NULL,
              "all applied; a later op sees an earlier one; caller's id and created_at kept");
    LMT_CHECK_INT(catalog_version(), v0 + 1, "one version bump for the whole block");
    LMT_CHECK_INT(catalog_op_class(CATOP_DROP_TABLE), CATOP_CLASS_TABLE, "catalog_op_class");

    /* the last op fails: nothing of the block is applied */
    CatProfile p2 = {.name = "never", .connector = "datagen"};
    CatTable dup = make_table(a, "tx_table", CAT_TABLE_SINK, NULL);
    CatalogOp bad[] = {
        {.kind = CATOP_CREATE_PROFILE, .name = "never", .object = &p2},
        {.kind = CATOP_DROP_SECRET, .name = "tx_secret"},
        {.kind = CATOP_CREATE_TABLE, .name = "tx_table", .object = &dup},
    };
    EXPECT_SQLSTATE(catalog_apply(bad, 3), "42P07",
                    "block with a duplicate table fails with 42P07");
    LMT_CHECK(catalog_get_profile(a, "never") == NULL && catalog_get_secret(a, "tx_secret") != NULL,
              "a failed block leaves the catalog untouched");

    /* profile in use within the block, then freed within the block */
    CatalogOp in_use[] = {{.kind = CATOP_DROP_PROFILE, .name = "tx_profile"}};
    EXPECT_SQLSTATE(catalog_apply(in_use, 1), "2BP01",
                    "dropping a used profile in a block is 2BP01");
    CatalogOp freed[] = {{.kind = CATOP_DROP_TABLE, .name = "tx_table"},
                         {.kind = CATOP_DROP_PROFILE, .name = "tx_profile"}};
    LMT_EXPECT_NO_ERROR(catalog_apply(freed, 2), "drop table then its profile in one block");

    /* update by name when the object carries no id */
    CatProfile upd = {.name = "renamed", .connector = "datagen"};
    CatProfile keep = {.name = "keep", .connector = "datagen"};
    catalog_create_profile(a, &keep, false);
    CatalogOp rename[] = {{.kind = CATOP_UPDATE_PROFILE, .name = "keep", .object = &upd}};
    LMT_EXPECT_NO_ERROR(catalog_apply(rename, 1), "update a profile found by op name");

    catalog_shutdown();
    storage_close(st);
    st = storage_open(datadir);
    catalog_init(st, "laminar");
    (void)catalog_list_tables(a, &n);
    LMT_CHECK(n == 0 && catalog_get_profile(a, "renamed") && !catalog_get_profile(a, "keep") &&
                  catalog_get_secret(a, "tx_secret") && !catalog_get_profile(a, "never"),
              "block results persisted across reopen");
    catalog_shutdown();
    storage_close(st);
    arena_destroy(a);
}

/* ---------- concurrency ---------- */

#define NTHREADS 8
#define PER_THREAD 25

static void *hammer(void *arg)
{
    int tid = (int)(intptr_t)arg;
    Arena *a = arena_create("thread", NULL);
    volatile intptr_t failures = 0;

    for (int i = 0; i < PER_THREAD; i++) {
        LM_TRY();
        {
            char name[64];
            int n;
            snprintf(name, sizeof name, "t%d_p%d", tid, i);
            CatProfile p = {.name = name, .connector = "datagen"};
            CatProfile *made = catalog_create_profile(a, &p, false);
            CatProfile *got = catalog_get_profile(a, made->id);
            if (got == NULL || strcmp(got->name, name) != 0)
                failures++;
            (void)catalog_list_profiles(a, &n);
            /* everyone races for the same name: exactly one thread wins each round */
            snprintf(name, sizeof name, "shared_%d", i);
            CatProfile shared = {.name = name, .connector = "datagen"};
            (void)catalog_create_profile(a, &shared, true);
        }
        LM_CATCH();
        {
            failures++;
            error_clear();
        }
        LM_END_TRY();
        arena_reset(a);
    }
    arena_destroy(a);
    return (void *)failures;
}

static void test_concurrency(const char *datadir)
{
    Arena *a = arena_create("concurrency", NULL);
    Storage *st = storage_open(datadir);
    pthread_t threads[NTHREADS];
    intptr_t failures = 0;
    int n;

    catalog_init(st, "laminar");
    error_set_notice_hook(NULL, NULL);
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&threads[i], NULL, hammer, (void *)(intptr_t)i);
    for (int i = 0; i < NTHREADS; i++) {
        void *ret;
        pthread_join(threads[i], &ret);
        failures += (intptr_t)ret;
    }
    error_set_notice_hook(count_notice, NULL);
    (void)catalog_list_profiles(a, &n);
    LMT_CHECK(failures == 0 && n == NTHREADS * PER_THREAD + PER_THREAD,
              "%d threads create and read profiles concurrently (%d profiles, %ld failures)",
              NTHREADS, n, (long)failures);
    catalog_shutdown();
    storage_close(st);
    arena_destroy(a);
}

/*
 * A child process creates objects and kills itself with SIGKILL the moment
 * the last call returns; the parent then finds every object on reopen.
 */
static void test_kill9(const char *datadir)
{
    pid_t pid = fork();

    if (pid == 0) {
        Arena *a = arena_create("child", NULL);
        Storage *st = storage_open(datadir);
        catalog_init(st, "laminar");
        CatProfile prof = {.name = "k9_profile", .connector = "datagen"};
        catalog_create_profile(a, &prof, false);
        CatTable t = make_table(a, "k9_table", CAT_TABLE_SOURCE, "k9_profile");
        catalog_create_table(a, &t, false);
        raise(SIGKILL);
        _exit(0); /* not reached */
    }
    int status = 0;
    waitpid(pid, &status, 0);
    LMT_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child was killed with SIGKILL");

    Arena *a = arena_create("parent", NULL);
    Storage *volatile st = NULL;
    LMT_EXPECT_NO_ERROR(st = storage_open(datadir), "data directory reopens after kill -9");
    if (st == NULL)
        return;
    catalog_init(st, "laminar");
    CatProfile *p = catalog_get_profile(a, "k9_profile");
    CatTable *t = catalog_get_table(a, "k9_table");
    LMT_CHECK(p && t && strcmp(t->profile_id, p->id) == 0 && t->ncolumns == 4,
              "objects created just before kill -9 are all there");
    catalog_shutdown();
    storage_close(st);
    arena_destroy(a);
}

int main(void)
{
    char base[] = "/tmp/lm_test_catalog_XXXXXX";
    char datadir[1100];

    if (mkdtemp(base) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    error_set_notice_hook(count_notice, NULL);

    /* First, so the child forks before RocksDB has started its background threads. */
    snprintf(datadir, sizeof datadir, "%s/kill9", base);
    test_kill9(datadir);

    snprintf(datadir, sizeof datadir, "%s/storage", base);
    test_storage(datadir);
    test_open_errors(base);

    snprintf(datadir, sizeof datadir, "%s/catalog", base);
    test_catalog_first_run(datadir);
    test_catalog_reopen(datadir);

    snprintf(datadir, sizeof datadir, "%s/apply", base);
    test_apply(datadir);

    snprintf(datadir, sizeof datadir, "%s/threads", base);
    test_concurrency(datadir);

    remove_tree(base);
    return lmt_done();
}
