/*
 * test_pipeline_catalog.c: pipelines and jobs in the catalog.
 *
 * Covers: creating a pipeline through catalog_apply (id, defaults kept,
 * duplicate name 42710, a dependency on a missing table 42P01, all or
 * nothing with other operations); tables a pipeline uses cannot be dropped
 * (2BP01 with PostgreSQL's wording, also through DROP SCHEMA ... CASCADE),
 * unused ones can; runtime state changes (catalog_set_pipeline_state) do not
 * bump the catalog version; a running pipeline cannot be dropped (2BP01);
 * job records (create, replace, list by start time, 42704 for a missing
 * pipeline) go with their pipeline; everything survives closing and
 * reopening the data directory.
 *
 * lmtest-libs: storage/libstorage.a common/libcommon.a
 */
#include "common/arena.h"
#include "common/error.h"
#include "common/types.h"
#include "storage/catalog.h"
#include "storage/storage.h"

#include "lmtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define EXPECT_SQLSTATE(stmt, want_state, ...)                                                     \
    do {                                                                                           \
        volatile int raised_ = 0;                                                                  \
        char state_[6] = "", msg_[512] = "", detail_[512] = "", why_[1200];                        \
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
            snprintf(detail_, sizeof detail_, "%s", e_->detail ? e_->detail : "");                 \
            error_clear();                                                                         \
        }                                                                                          \
        LM_END_TRY();                                                                              \
        snprintf(last_msg, sizeof last_msg, "%s", msg_);                                           \
        snprintf(last_detail, sizeof last_detail, "%s", detail_);                                  \
        if (!raised_)                                                                              \
            snprintf(why_, sizeof why_, "no error raised, expected %s", (want_state));             \
        else                                                                                       \
            snprintf(why_, sizeof why_, "raised %s \"%s\", expected %s", state_, msg_,             \
                     (want_state));                                                                \
        lmt_check(raised_ &&strcmp(state_, (want_state)) == 0, __FILE__, __LINE__, why_,           \
                  __VA_ARGS__);                                                                    \
    } while (0)

static char last_msg[512], last_detail[512];

static CatTable make_table(const char *name, CatTableKind kind)
{
    static CatColumn cols[1];
    cols[0].name = "x";
    cols[0].type = type_int64();
    CatTable t = {0};
    t.name = (char *)name;
    t.kind = kind;
    t.connector =
        kind == CAT_TABLE_PLAIN ? NULL : (kind == CAT_TABLE_SOURCE ? "nexmark" : "blackhole");
    t.ncolumns = 1;
    t.columns = cols;
    return t;
}

static void apply1(CatalogOpKind kind, const char *name, void *obj)
{
    CatalogOp op = {.kind = kind, .name = (char *)name, .object = obj};
    catalog_apply(&op, 1);
}

int main(void)
{
    char datadir[] = "/tmp/lm_test_pipeline_catalog_XXXXXX";
    if (mkdtemp(datadir) == NULL)
        return 1;
    Arena *a = arena_create("test", NULL);
    Storage *st = storage_open(datadir);
    catalog_init(st, "laminar");

    CatTable src = make_table("src", CAT_TABLE_SOURCE);
    CatTable snk = make_table("snk", CAT_TABLE_SINK);
    CatTable other = make_table("other", CAT_TABLE_SOURCE);
    CatTable *s1 = catalog_create_table(a, &src, false);
    CatTable *s2 = catalog_create_table(a, &snk, false);
    catalog_create_table(a, &other, false);

    char *deps[2] = {s1->id, s2->id};
    CatPipeline p = {0};
    p.name = "p1";
    p.query = "INSERT INTO snk SELECT x FROM src";
    p.parallelism = 2;
    p.checkpoint_interval = "5 seconds";
    p.checkpoint_interval_ms = 5000;
    p.emit = "on_update";
    p.late_data = "error";
    p.memory_limit = 256 << 20;
    p.memory_limit_text = "256MB";
    p.ndeps = 2;
    p.deps = deps;
    LMT_EXPECT_NO_ERROR(apply1(CATOP_CREATE_PIPELINE, p.name, &p), "create a pipeline");
    CatPipeline *volatile got = catalog_get_pipeline(a, "p1");
    LMT_CHECK(got != NULL && strncmp(got->id, "pl_", 3) == 0 && strlen(got->id) == 15,
              "it has an id pl_ + 12 characters");
    LMT_CHECK(got && got->parallelism == 2 && got->checkpoint_interval_ms == 5000 &&
                  strcmp(got->emit, "on_update") == 0 && strcmp(got->late_data, "error") == 0 &&
                  got->memory_limit == 256 << 20 && got->ndeps == 2 &&
                  got->state == PIPELINE_CREATED && got->job_id == NULL && got->created_at > 0,
              "its options, dependencies and state are kept");
    LMT_CHECK(got && catalog_get_pipeline(a, got->id) != NULL, "found by id too");
    EXPECT_SQLSTATE(apply1(CATOP_CREATE_PIPELINE, p.name, &p), "42710", "duplicate name");

    char *gone[1] = {"tbl_doesnotexist"};
    CatPipeline bad = p;
    bad.name = "p_bad";
    bad.ndeps = 1;
    bad.deps = gone;
    EXPECT_SQLSTATE(apply1(CATOP_CREATE_PIPELINE, bad.name, &bad), "42P01",
                    "a dependency on a missing table");
    CatTable more = make_table("more", CAT_TABLE_SOURCE);
    CatPipeline ok2 = p;
    ok2.name = "p2";
    CatalogOp ops[3] = {{.kind = CATOP_CREATE_TABLE, .name = "more", .object = &more},
                        {.kind = CATOP_CREATE_PIPELINE, .name = "p2", .object = &ok2},
                        {.kind = CATOP_CREATE_PIPELINE, .name = "p_bad", .object = &bad}};
    EXPECT_SQLSTATE(catalog_apply(ops, 3), "42P01", "one bad operation fails the batch");
    LMT_CHECK(catalog_get_pipeline(a, "p2") == NULL && catalog_get_table(a, "more") == NULL,
              "nothing of the batch was applied");

    /* dependencies */
    EXPECT_SQLSTATE(catalog_drop_table("src", false), "2BP01", "a source table in use");
    LMT_CHECK_STR(last_msg, "cannot drop source table src because other objects depend on it",
                  "PostgreSQL's wording");
    LMT_CHECK_STR(last_detail, "pipeline p1 depends on source table src", "detail names it");
    EXPECT_SQLSTATE(catalog_drop_table("snk", false), "2BP01", "a sink table in use");
    LMT_EXPECT_NO_ERROR(catalog_drop_table("other", false), "an unused table can be dropped");

    CatSchema sc = {.name = "s"};
    catalog_create_schema(&sc, false);
    CatTable inschema = make_table("t", CAT_TABLE_PLAIN);
    inschema.schema = "s";
    CatTable *t3 = catalog_create_table(a, &inschema, false);
    char *deps3[1] = {t3->id};
    CatPipeline p3 = p;
    p3.name = "p3";
    p3.ndeps = 1;
    p3.deps = deps3;
    apply1(CATOP_CREATE_PIPELINE, p3.name, &p3);
    EXPECT_SQLSTATE(catalog_drop_schema("s", false, true), "2BP01",
                    "DROP SCHEMA CASCADE does not take a table in use");
    LMT_CHECK(catalog_get_table_in(a, "s", "t") != NULL, "the table is still there");

    /* runtime state */
    uint64 v = catalog_version();
    got = catalog_get_pipeline(a, "p1");
    LMT_CHECK(catalog_set_pipeline_state(got->id, PIPELINE_RUNNING, "job_aaaaaaaaaaaa", NULL),
              "set state running");
    LMT_CHECK(catalog_version() == v, "runtime state does not bump the catalog version");
    got = catalog_get_pipeline(a, "p1");
    LMT_CHECK(got->state == PIPELINE_RUNNING && strcmp(got->job_id, "job_aaaaaaaaaaaa") == 0,
              "state and job are recorded");
    LMT_CHECK(!catalog_set_pipeline_state("pl_missing", PIPELINE_RUNNING, NULL, NULL),
              "a missing pipeline reports false");
    EXPECT_SQLSTATE(apply1(CATOP_DROP_PIPELINE, "p1", NULL), "2BP01",
                    "a running pipeline cannot be dropped");
    LMT_CHECK_STR(last_msg, "cannot drop pipeline \"p1\" while it is running", "its message");

    /* jobs */
    CatJob j = {0};
    j.id = "job_aaaaaaaaaaaa";
    j.pipeline_id = got->id;
    j.pipeline_name = "p1";
    j.state = CAT_JOB_RUNNING;
    j.started_at = 2000;
    j.parallelism = 2;
    LMT_EXPECT_NO_ERROR(catalog_put_job(&j), "record a job");
    CatJob j2 = j;
    j2.id = "job_bbbbbbbbbbbb";
    j2.started_at = 1000;
    j2.state = CAT_JOB_COMPLETED;
    j2.records_in = 42;
    catalog_put_job(&j2);
    j.restarts = 1;
    j.failure_message = "boom";
    catalog_put_job(&j);
    int n;
    CatJob *jobs = catalog_list_jobs(a, &n);
    LMT_CHECK(n == 2 && strcmp(jobs[0].id, "job_bbbbbbbbbbbb") == 0 && jobs[1].restarts == 1 &&
                  strcmp(jobs[1].failure_message, "boom") == 0 && jobs[0].records_in == 42,
              "jobs listed by start time; replaced in place");
    CatJob orphan = j;
    orphan.id = "job_cccccccccccc";
    orphan.pipeline_id = "pl_missing";
    EXPECT_SQLSTATE(catalog_put_job(&orphan), "42704", "a job of a missing pipeline");

    /* persistence */
    catalog_shutdown();
    storage_close(st);
    st = storage_open(datadir);
    catalog_init(st, "laminar");
    got = catalog_get_pipeline(a, "p1");
    LMT_CHECK(got && got->state == PIPELINE_RUNNING && got->ndeps == 2 &&
                  strcmp(got->query, p.query) == 0 && strcmp(got->memory_limit_text, "256MB") == 0,
              "the pipeline survives a restart");
    CatJob *jr = catalog_get_job(a, "job_aaaaaaaaaaaa");
    LMT_CHECK(jr && jr->restarts == 1 && jr->state == CAT_JOB_RUNNING && jr->parallelism == 2,
              "its job survives a restart");
    EXPECT_SQLSTATE(catalog_drop_table("src", false), "2BP01",
                    "dependencies are checked after a restart");

    catalog_set_pipeline_state(got->id, PIPELINE_STOPPED, NULL, NULL);
    LMT_EXPECT_NO_ERROR(apply1(CATOP_DROP_PIPELINE, "p1", NULL), "a stopped pipeline is dropped");
    catalog_list_jobs(a, &n);
    LMT_CHECK(n == 0, "its jobs went with it");
    LMT_EXPECT_NO_ERROR(catalog_drop_table("src", false), "the table is free now");

    catalog_shutdown();
    storage_close(st);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", datadir);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", datadir);
    arena_destroy(a);
    return lmt_done();
}
