/*
 * catalog.h: Laminar's persistent catalog.
 *
 * Objects (roles, secrets, connection profiles, connection tables) live in
 * RocksDB's `catalog` column family, one JSON document per object, written
 * with a synced write so a created object survives kill -9.  At start-up the
 * whole catalog is loaded into memory; lookups are served from memory under
 * a read lock and return deep copies in the caller's arena, so callers never
 * hold pointers into shared state.  Mutations take the write lock, write
 * RocksDB first, then update memory.
 *
 * Names are compared exactly (the parser has already folded unquoted names to
 * lower case).  Relations (source, sink and plain tables) share one namespace
 * per schema, as PostgreSQL's relations do; source and sink tables live in
 * public.  Every object gets a stable id in
 * the seed's style (prof_…, tbl_…) and an OID for pg_catalog.
 *
 * Errors raised: 42710 duplicate_object (profiles, secrets, roles), 42P07
 * duplicate_table, 42704 undefined_object, 42P01 undefined_table, 2BP01
 * dependent_objects_still_exist (a profile used by a table, a secret named
 * by an option of kind CATOPT_SECRET, the bootstrap superuser).  IF [NOT]
 * EXISTS variants raise PostgreSQL's NOTICE ("..., skipping") instead.
 *
 * References are checked under the write lock, so they cannot race a drop:
 * a table's profile_id must name an existing profile (given by name or id;
 * the id is what gets stored) and every CATOPT_SECRET option an existing
 * secret.  Names are limited to 1023 bytes (42622).
 */
#ifndef LM_CATALOG_H
#define LM_CATALOG_H

#include "common/arena.h"
#include "common/types.h"
#include "storage/storage.h"

typedef enum CatOptKind {
    CATOPT_STRING = 0,
    CATOPT_NUMBER,
    CATOPT_BOOL,
    CATOPT_IDENT,
    CATOPT_SECRET, /* value is the name of a secret */
} CatOptKind;

typedef struct CatOption {
    char *name;
    char *value;
    CatOptKind kind;
} CatOption;

typedef struct CatRole {
    char *name;
    Oid oid;
    bool superuser;
    bool login;
    bool createdb;
    bool createrole;
    char *scram_verifier; /* "SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>" or NULL */
    int64 valid_until;    /* microseconds since epoch; 0 = forever */
    int64 created_at;
    int64 updated_at;
} CatRole;

typedef struct CatSecret {
    char *name;
    char *value; /* never printed by any view or SHOW */
    int64 created_at;
    int64 updated_at;
} CatSecret;

typedef struct CatProfile {
    char *id; /* prof_xxxxxxxx */
    char *name;
    char *connector;
    int noptions;
    CatOption *options; /* in the order given (connector not included) */
    int64 created_at;   /* microseconds since epoch */
    int64 updated_at;
} CatProfile;

/* A schema made by CREATE SCHEMA.  public, laminar, pg_catalog and information_schema are
 * built in (never stored; catalog_schema_is_builtin). */
typedef struct CatSchema {
    char *name;
    Oid oid;
    char *owner; /* role name, or NULL */
    int64 created_at;
} CatSchema;

typedef enum CatTableKind { CAT_TABLE_SOURCE = 0, CAT_TABLE_SINK, CAT_TABLE_PLAIN } CatTableKind;

typedef struct CatColumn {
    char *name;
    const LmType *type;
    bool not_null;
    char *default_expr; /* SQL text or NULL */
} CatColumn;

typedef struct CatTable {
    char *id; /* tbl_xxxxxxxx */
    Oid oid;
    char *schema; /* "public" */
    char *name;
    CatTableKind kind;
    char *connector;  /* NULL for plain tables */
    char *profile_id; /* NULL when not using a profile */
    int ncolumns;
    CatColumn *columns;
    int noptions;
    CatOption *options; /* connector/format options in the order given (connector, profile excluded) */
    char *event_time_field;
    char *watermark_delay;      /* as written, e.g. "30 seconds" */
    char *watermark_expr;       /* WATERMARK FOR column AS <expr>: SQL text */
    int nprimary_key;           /* plain tables (later issues) */
    int *primary_key;           /* column indexes */
    char *pk_name;              /* primary key constraint name; NULL: "<name>_pkey" */
    int64 created_at;
    int64 updated_at;
} CatTable;

/*
 * Pipelines (CREATE PIPELINE) and their jobs (one per START).  A pipeline is
 * DDL: created, altered and dropped through catalog_apply like tables, so it
 * follows the session's transaction.  Its state and current job are runtime
 * facts: changed by the job manager with catalog_set_pipeline_state outside
 * SQL transactions.  Jobs are runtime records only (catalog_put_job), never
 * part of a transaction block; dropping a pipeline drops its jobs' records.
 *
 * A pipeline lists the tables its body reads and writes (deps, by table id):
 * such a table cannot be dropped while the pipeline exists (2BP01 "cannot
 * drop table x because other objects depend on it", detail "pipeline p
 * depends on table x").
 */
typedef enum CatPipelineState {
    PIPELINE_CREATED = 0,
    PIPELINE_STARTING,
    PIPELINE_RUNNING,
    PIPELINE_STOPPING,
    PIPELINE_STOPPED,
    PIPELINE_FAILED,
} CatPipelineState;

typedef struct CatPipeline {
    char *id; /* pl_xxxxxxxxxxxx */
    char *name;
    char *query;                  /* the INSERT ... SELECT body as written */
    int parallelism;              /* 1..64 */
    int64 checkpoint_interval_ms; /* default 10 s */
    char *checkpoint_interval;    /* as written, e.g. "10 seconds" */
    char *emit;                   /* "on_window_close" | "on_update" */
    char *late_data;              /* "drop" | "error" */
    int64 memory_limit;           /* bytes; 0: none */
    char *memory_limit_text;      /* as written, e.g. "1GB" */
    int ndeps;
    char **deps; /* ids of the tables the body reads or writes */
    CatPipelineState state;
    char *job_id;          /* current (or last) job; NULL: never started */
    char *failure_message; /* why it is failed */
    int64 created_at;
    int64 updated_at;
} CatPipeline;

typedef enum CatJobState {
    CAT_JOB_RUNNING = 0,
    CAT_JOB_COMPLETED,
    CAT_JOB_FAILED,
    CAT_JOB_STOPPING,
    CAT_JOB_STOPPED,
} CatJobState; /* the same order and names as executor/stream.h's JobState */

typedef struct CatJob {
    char *id; /* job_xxxxxxxxxxxx */
    char *pipeline_id;
    char *pipeline_name;
    CatJobState state;
    int parallelism;
    int64 started_at;
    int64 finished_at; /* 0: not finished */
    int restarts;      /* times resumed after a server restart */
    char *failure_message;
    int64 last_checkpoint_id;
    int64 last_checkpoint_at;
    /* counters of the runs before the current one (written when a run ends or is suspended) */
    int64 records_in;
    int64 records_out;
    int64 errors;
} CatJob;

const char *catalog_pipeline_state_name(CatPipelineState s); /* "created", "running", ... */
const char *catalog_job_state_name(CatJobState s);           /* "running", "completed", ... */

/* Opens the catalog over storage; on a new data directory creates the bootstrap superuser
 * (bootstrap_user, OID 10, no password) and the catalog format marker.  The built-in
 * database and schemas are not stored: pg_catalog presents them as constants. */
void catalog_init(Storage *st, const char *bootstrap_user);
void catalog_shutdown(void);

/* Monotonic change counter: bumped by every mutation (lets caches know when to reload). */
uint64 catalog_version(void);

/* Roles */
CatRole *catalog_get_role(Arena *a, const char *name);
CatRole *catalog_list_roles(Arena *a, int *n);
void catalog_create_role(const CatRole *role);             /* assigns oid, timestamps */
void catalog_update_role(const CatRole *role);             /* by name */
void catalog_drop_role(const char *name, bool missing_ok); /* 42704 if missing */

/* Secrets */
CatSecret *catalog_get_secret(Arena *a, const char *name);
CatSecret *catalog_list_secrets(Arena *a, int *n);
void catalog_create_secret(const CatSecret *secret, bool if_not_exists);
void catalog_drop_secret(const char *name, bool missing_ok);

/* Connection profiles (found by name or id) */
CatProfile *catalog_get_profile(Arena *a, const char *name_or_id);
CatProfile *catalog_list_profiles(Arena *a, int *n); /* ordered by name */
/* Returns the stored object (with id and timestamps) in arena a; NULL if if_not_exists and it existed.
 * An id or created_at set by the caller is kept (ids otherwise generated). */
CatProfile *catalog_create_profile(Arena *a, const CatProfile *p, bool if_not_exists);
void catalog_update_profile(const CatProfile *p); /* by id; bumps updated_at */
void catalog_drop_profile(const char *name, bool missing_ok); /* name or id */

/* Tables of every kind (found by name in schema public, or by id) */
CatTable *catalog_get_table(Arena *a, const char *name_or_id);
/* A table by schema (NULL: public) and name; NULL if absent. */
CatTable *catalog_get_table_in(Arena *a, const char *schema, const char *name);
CatTable *catalog_list_tables(Arena *a, int *n); /* ordered by schema, then name */
CatTable *catalog_create_table(Arena *a, const CatTable *t, bool if_not_exists);
void catalog_update_table(const CatTable *t); /* by id; bumps updated_at */
void catalog_drop_table(const char *name, bool missing_ok); /* name (in public) or id; a plain
                                                               table's rows go with it */

/* Pipelines (by name or id) and jobs (by id) */
CatPipeline *catalog_get_pipeline(Arena *a, const char *name_or_id);
CatPipeline *catalog_list_pipelines(Arena *a, int *n); /* ordered by name */
CatPipeline *catalog_copy_pipeline(Arena *a, const CatPipeline *p);
/* Runtime state of a pipeline (and its current job when job_id is not NULL; failure may be
 * NULL); bumps updated_at.  Returns false when the pipeline no longer exists. */
bool catalog_set_pipeline_state(const char *pipeline_id, CatPipelineState state,
                                const char *job_id, const char *failure_message);
CatJob *catalog_get_job(Arena *a, const char *id);
CatJob *catalog_list_jobs(Arena *a, int *n); /* ordered by started_at */
/* Creates or replaces a job record (synced write).  42704 when its pipeline does not exist. */
void catalog_put_job(const CatJob *j);
CatJob *catalog_copy_job(Arena *a, const CatJob *j);

/* Schemas.  Relation names are unique per schema; tables can be created in public and in
 * schemas made here (3F000 otherwise; 42501 in laminar, pg_catalog, information_schema).
 * CREATE: 42P06 if it exists (also the built-in ones), 42939 for a "pg_" prefix.  DROP:
 * 3F000 if missing, 2BP01 for built-in ones and, without cascade, when tables remain; with
 * cascade the tables go too (plain tables with their rows), with PostgreSQL's NOTICE. */
CatSchema *catalog_get_schema(Arena *a, const char *name); /* created schemas only */
CatSchema *catalog_list_schemas(Arena *a, int *n);         /* created schemas, by name */
bool catalog_schema_is_builtin(const char *name);
void catalog_create_schema(const CatSchema *s, bool if_not_exists);
void catalog_drop_schema(const char *name, bool missing_ok, bool cascade);

/* Takes an OID for an object that will be created later (e.g. at COMMIT of the transaction
 * block whose CREATE TABLE it is: rows are keyed by the table's OID before then).  Durable:
 * never handed out again.  catalog_apply keeps a create's preset OID when it is unused. */
Oid catalog_reserve_oid(void);

/* The Storage the catalog was opened over. */
Storage *catalog_storage(void);

/* "source table", "sink table" or "table", as dependency messages word it. */
const char *catalog_table_kind_word(CatTableKind kind);

/* Deep copies (used internally and by callers building objects). */
CatProfile *catalog_copy_profile(Arena *a, const CatProfile *p);
CatTable *catalog_copy_table(Arena *a, const CatTable *t);

/*
 * Several changes applied atomically (one synced RocksDB batch), as a
 * transaction block's COMMIT needs.  Every operation is validated against
 * the committed catalog first (duplicates 42710/42P07, missing objects
 * 42704/42P01, profiles still used by tables 2BP01); if any fails nothing is
 * applied.  Objects may carry ids and created_at assigned by the caller
 * (kept when set); OIDs are always assigned here.  Each operation sees the
 * effects of the ones before it.  Updates find the object by its id when
 * set, else by op->name; drops take a name or an id.
 */
typedef enum CatalogOpKind {
    CATOP_CREATE_PROFILE = 0,
    CATOP_UPDATE_PROFILE,
    CATOP_DROP_PROFILE,
    CATOP_CREATE_TABLE,
    CATOP_UPDATE_TABLE,
    CATOP_DROP_TABLE,
    CATOP_CREATE_SECRET,
    CATOP_DROP_SECRET,
    CATOP_CREATE_SCHEMA,
    CATOP_DROP_SCHEMA,
    CATOP_CREATE_PIPELINE, /* object: CatPipeline (its deps must exist) */
    CATOP_UPDATE_PIPELINE, /* object: CatPipeline, by id (definition; state is kept) */
    CATOP_DROP_PIPELINE,   /* name or id; refused (2BP01) unless created, stopped or failed */
} CatalogOpKind;

enum {
    CATOP_CLASS_PROFILE = 0,
    CATOP_CLASS_TABLE,
    CATOP_CLASS_SECRET,
    CATOP_CLASS_SCHEMA,
    CATOP_CLASS_PIPELINE
};

typedef struct CatalogOp {
    CatalogOpKind kind;
    char *name;   /* the object's name */
    void *object; /* CatProfile / CatTable / CatSecret / CatSchema / CatPipeline for create and
                     update; NULL
                     for drop */
    char *schema; /* CATOP_DROP_TABLE: the table's schema (NULL: public, or name is an id) */
    bool cascade; /* CATOP_DROP_SCHEMA: drop the schema's tables too */
} CatalogOp;

void catalog_apply(const CatalogOp *ops, int n);
/* The same, writing pre's operations (e.g. a transaction's plain-table rows) in the same atomic
 * batch, before the catalog's; pre is committed even when ops is empty. */
void catalog_apply_with(const CatalogOp *ops, int n, StorageBatch *pre);
int catalog_op_class(CatalogOpKind kind);

/* A fresh id for a new object: "prof_", "tbl_", "pl_" or "job_" + 12 random [0-9a-z]. */
char *catalog_new_id(Arena *a, const char *prefix);

/* Current time in microseconds since the Unix epoch. */
int64 catalog_now(void);

#endif
