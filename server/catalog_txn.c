/*
 * catalog_txn.c: a session's queued catalog changes (see catalog_txn.h).
 *
 * The queue is a list of operations with deep copies of the objects, in a
 * heap arena owned by the session's CatalogTxn.  Lookups replay the queue
 * over the committed catalog: the newest queued operation on a name wins.
 * COMMIT hands the whole list to catalog_apply(), which validates it against
 * the committed catalog again (another session may have committed the same
 * name meanwhile) and writes it in one atomic RocksDB batch.
 */
#include "server/catalog_txn.h"
#include "common/error.h"
#include "common/log.h"

#include <stdlib.h>

typedef struct CatalogTxn {
    Arena *arena;
    int n;
    int cap;
    CatalogOp *ops;
    /* ctx_after_commit hooks; mark: t->n when queued (kept by rollback_to(m) when mark <= m) */
    struct CommitHook {
        void (*fn)(const char *arg);
        char *arg;
        int mark;
    } *hooks;
    int nhooks, caphooks;
} CatalogTxn;

static CatalogTxn *txn(Session *s)
{
    if (s->catalog_txn == NULL) {
        CatalogTxn *t = lm_calloc(1, sizeof(CatalogTxn));
        t->arena = arena_create("catalog-txn", NULL);
        s->catalog_txn = t;
    }
    return s->catalog_txn;
}

static bool in_block(Session *s)
{
    return s->txn != TXN_IDLE;
}

static CatalogOp *push(Session *s, CatalogOpKind kind, const char *name, void *obj)
{
    CatalogTxn *t = txn(s);
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 8;
        t->ops = arena_realloc(t->arena, t->ops, sizeof(CatalogOp) * (size_t)t->cap,
                               sizeof(CatalogOp) * (size_t)cap);
        t->cap = cap;
    }
    CatalogOp *op = &t->ops[t->n++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op->name = arena_strdup(t->arena, name);
    op->object = obj;
    return op;
}

static void apply_one(CatalogOpKind kind, const char *name, void *obj)
{
    CatalogOp op = {.kind = kind, .name = (char *)name, .object = obj};
    catalog_apply(&op, 1);
}

/* Same schema, NULL meaning public. */
static bool same_schema(const char *a, const char *b)
{
    return strcmp(a ? a : "public", b ? b : "public") == 0;
}

/* ---- changes ---- */

void ctx_create_profile(Session *s, CatProfile *p)
{
    if (!in_block(s)) {
        apply_one(CATOP_CREATE_PROFILE, p->name, p);
        return;
    }
    push(s, CATOP_CREATE_PROFILE, p->name, catalog_copy_profile(txn(s)->arena, p));
}

void ctx_update_profile(Session *s, const CatProfile *p)
{
    if (!in_block(s)) {
        apply_one(CATOP_UPDATE_PROFILE, p->name, (void *)p);
        return;
    }
    push(s, CATOP_UPDATE_PROFILE, p->name, catalog_copy_profile(txn(s)->arena, p));
}

void ctx_drop_profile(Session *s, const char *name)
{
    if (!in_block(s)) {
        apply_one(CATOP_DROP_PROFILE, name, NULL);
        return;
    }
    push(s, CATOP_DROP_PROFILE, name, NULL);
}

void ctx_create_table(Session *s, CatTable *t)
{
    if (!in_block(s)) {
        apply_one(CATOP_CREATE_TABLE, t->name, t);
        return;
    }
    /* Rows written before COMMIT are keyed by the OID: take it now. */
    if (t->oid == 0)
        t->oid = catalog_reserve_oid();
    push(s, CATOP_CREATE_TABLE, t->name, catalog_copy_table(txn(s)->arena, t));
}

void ctx_update_table(Session *s, const CatTable *t)
{
    if (!in_block(s)) {
        apply_one(CATOP_UPDATE_TABLE, t->name, (void *)t);
        return;
    }
    push(s, CATOP_UPDATE_TABLE, t->name, catalog_copy_table(txn(s)->arena, t));
}

void ctx_drop_table(Session *s, const char *name)
{
    ctx_drop_table_in(s, NULL, name);
}

void ctx_drop_table_in(Session *s, const char *schema, const char *name)
{
    if (!in_block(s)) {
        CatalogOp op = {.kind = CATOP_DROP_TABLE, .name = (char *)name, .schema = (char *)schema};
        catalog_apply(&op, 1);
        return;
    }
    CatalogOp *op = push(s, CATOP_DROP_TABLE, name, NULL);
    op->schema = schema ? arena_strdup(txn(s)->arena, schema) : NULL;
}

void ctx_create_schema(Session *s, CatSchema *sc)
{
    if (!in_block(s)) {
        apply_one(CATOP_CREATE_SCHEMA, sc->name, sc);
        return;
    }
    if (sc->oid == 0)
        sc->oid = catalog_reserve_oid();
    CatSchema *c = arena_new(txn(s)->arena, CatSchema);
    *c = *sc;
    c->name = arena_strdup(txn(s)->arena, sc->name);
    c->owner = sc->owner ? arena_strdup(txn(s)->arena, sc->owner) : NULL;
    push(s, CATOP_CREATE_SCHEMA, sc->name, c);
}

void ctx_drop_schema(Session *s, const char *name, bool cascade)
{
    if (!in_block(s)) {
        CatalogOp op = {.kind = CATOP_DROP_SCHEMA, .name = (char *)name, .cascade = cascade};
        catalog_apply(&op, 1);
        return;
    }
    CatalogOp *op = push(s, CATOP_DROP_SCHEMA, name, NULL);
    op->cascade = cascade;
}

void ctx_create_secret(Session *s, CatSecret *sec)
{
    if (!in_block(s)) {
        apply_one(CATOP_CREATE_SECRET, sec->name, sec);
        return;
    }
    CatSecret *c = arena_new(txn(s)->arena, CatSecret);
    *c = *sec;
    c->name = arena_strdup(txn(s)->arena, sec->name);
    c->value = arena_strdup(txn(s)->arena, sec->value);
    push(s, CATOP_CREATE_SECRET, sec->name, c);
}

void ctx_drop_secret(Session *s, const char *name)
{
    if (!in_block(s)) {
        apply_one(CATOP_DROP_SECRET, name, NULL);
        return;
    }
    push(s, CATOP_DROP_SECRET, name, NULL);
}

void ctx_create_pipeline(Session *s, CatPipeline *p)
{
    if (!in_block(s)) {
        apply_one(CATOP_CREATE_PIPELINE, p->name, p);
        return;
    }
    push(s, CATOP_CREATE_PIPELINE, p->name, catalog_copy_pipeline(txn(s)->arena, p));
}

void ctx_drop_pipeline(Session *s, const char *name)
{
    if (!in_block(s)) {
        apply_one(CATOP_DROP_PIPELINE, name, NULL);
        return;
    }
    push(s, CATOP_DROP_PIPELINE, name, NULL);
}

static void run_hook(void (*fn)(const char *arg), const char *arg)
{
    LM_TRY();
    {
        fn(arg);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        lm_log(LOG_WARN, "after commit: %s", e->message ? e->message : "error");
        error_clear();
    }
    LM_END_TRY();
}

void ctx_after_commit(Session *s, void (*fn)(const char *arg), const char *arg)
{
    if (!in_block(s)) {
        run_hook(fn, arg);
        return;
    }
    CatalogTxn *t = txn(s);
    if (t->nhooks == t->caphooks) {
        int cap = t->caphooks ? t->caphooks * 2 : 4;
        t->hooks = arena_realloc(t->arena, t->hooks, sizeof(*t->hooks) * (size_t)t->caphooks,
                                 sizeof(*t->hooks) * (size_t)cap);
        t->caphooks = cap;
    }
    t->hooks[t->nhooks].fn = fn;
    t->hooks[t->nhooks].arg = arena_strdup(t->arena, arg);
    t->hooks[t->nhooks].mark = t->n;
    t->nhooks++;
}

void catalog_txn_commit(Session *s)
{
    catalog_txn_commit_with(s, NULL);
}

void catalog_txn_commit_with(Session *s, StorageBatch *pre)
{
    CatalogTxn *t = s->catalog_txn;
    if (t == NULL) {
        if (pre && storage_batch_count(pre) > 0)
            catalog_apply_with(NULL, 0, pre);
        return;
    }
    s->catalog_txn = NULL;
    LM_TRY();
    {
        catalog_apply_with(t->ops, t->n, pre);
    }
    LM_CATCH();
    {
        arena_destroy(t->arena);
        lm_free(t);
        error_rethrow();
    }
    LM_END_TRY();
    for (int i = 0; i < t->nhooks; i++)
        run_hook(t->hooks[i].fn, t->hooks[i].arg);
    arena_destroy(t->arena);
    lm_free(t);
}

int catalog_txn_mark(Session *s)
{
    return s->catalog_txn ? s->catalog_txn->n : 0;
}

void catalog_txn_rollback_to(Session *s, int mark)
{
    /* The objects of forgotten ops stay in the arena until the transaction ends. */
    CatalogTxn *t = s->catalog_txn;
    if (t && mark >= 0 && mark < t->n)
        t->n = mark;
    while (t && t->nhooks > 0 && t->hooks[t->nhooks - 1].mark > mark)
        t->nhooks--;
}

void catalog_txn_abort(Session *s)
{
    CatalogTxn *t = s->catalog_txn;
    if (t == NULL)
        return;
    s->catalog_txn = NULL;
    arena_destroy(t->arena);
    lm_free(t);
}

/* ---- lookups ---- */

/* The schema a queued table op acts in. */
static const char *op_schema(const CatalogOp *op)
{
    if (op->object && catalog_op_class(op->kind) == CATOP_CLASS_TABLE)
        return ((CatTable *)op->object)->schema;
    return op->schema;
}

/* The newest queued op on this name/id for the object class, or NULL.  Tables: in schema
 * (NULL: public) when found by name. */
static CatalogOp *latest_op_in(Session *s, int cls, const char *schema, const char *name_or_id)
{
    CatalogTxn *t = s->catalog_txn;
    if (t == NULL)
        return NULL;
    for (int i = t->n - 1; i >= 0; i--) {
        CatalogOp *op = &t->ops[i];
        if (cls == CATOP_CLASS_TABLE && op->kind == CATOP_DROP_SCHEMA &&
            same_schema(op->name, schema))
            return op; /* the schema (and with it the table) is gone */
        if (catalog_op_class(op->kind) != cls)
            continue;
        if (strcmp(op->name, name_or_id) == 0 &&
            (cls != CATOP_CLASS_TABLE || same_schema(op_schema(op), schema)))
            return op;
        if (op->object && cls == CATOP_CLASS_PROFILE && ((CatProfile *)op->object)->id &&
            strcmp(((CatProfile *)op->object)->id, name_or_id) == 0)
            return op;
        if (op->object && cls == CATOP_CLASS_TABLE && ((CatTable *)op->object)->id &&
            strcmp(((CatTable *)op->object)->id, name_or_id) == 0)
            return op;
        if (op->object && cls == CATOP_CLASS_PIPELINE && ((CatPipeline *)op->object)->id &&
            strcmp(((CatPipeline *)op->object)->id, name_or_id) == 0)
            return op;
    }
    return NULL;
}

static CatalogOp *latest_op(Session *s, int cls, const char *name_or_id)
{
    return latest_op_in(s, cls, NULL, name_or_id);
}

CatProfile *ctx_get_profile(Session *s, Arena *a, const char *name_or_id)
{
    CatalogOp *op = latest_op(s, CATOP_CLASS_PROFILE, name_or_id);
    if (op)
        return op->object ? catalog_copy_profile(a, op->object) : NULL;
    return catalog_get_profile(a, name_or_id);
}

CatTable *ctx_get_table(Session *s, Arena *a, const char *name_or_id)
{
    CatalogOp *op = latest_op(s, CATOP_CLASS_TABLE, name_or_id);
    if (op)
        return op->object && op->kind != CATOP_DROP_SCHEMA ? catalog_copy_table(a, op->object)
                                                           : NULL;
    return catalog_get_table(a, name_or_id);
}

CatTable *ctx_get_table_in(Session *s, Arena *a, const char *schema, const char *name)
{
    CatalogOp *op = latest_op_in(s, CATOP_CLASS_TABLE, schema, name);
    if (op)
        return op->object && op->kind != CATOP_DROP_SCHEMA ? catalog_copy_table(a, op->object)
                                                           : NULL;
    return catalog_get_table_in(a, schema, name);
}

bool ctx_schema_exists(Session *s, const char *name)
{
    if (catalog_schema_is_builtin(name))
        return true;
    CatalogOp *op = latest_op(s, CATOP_CLASS_SCHEMA, name);
    if (op)
        return op->kind == CATOP_CREATE_SCHEMA;
    Arena *a = arena_create("schema lookup", NULL);
    bool found = catalog_get_schema(a, name) != NULL;
    arena_destroy(a);
    return found;
}

CatSchema *ctx_list_schemas(Session *s, Arena *a, int *n)
{
    int nc = 0;
    CatSchema *committed = catalog_list_schemas(a, &nc);
    CatalogTxn *t = s->catalog_txn;
    int cap = nc + (t ? t->n : 0) + 1;
    CatSchema *out = arena_new_array(a, CatSchema, cap);
    int k = 0;
    for (int i = 0; i < nc; i++)
        if (ctx_schema_exists(s, committed[i].name))
            out[k++] = committed[i];
    for (int i = 0; t && i < t->n; i++) {
        CatalogOp *op = &t->ops[i];
        if (op->kind != CATOP_CREATE_SCHEMA || !ctx_schema_exists(s, op->name))
            continue;
        bool seen = false;
        for (int j = 0; j < k && !seen; j++)
            seen = strcmp(out[j].name, op->name) == 0;
        if (!seen) {
            out[k] = *(CatSchema *)op->object;
            out[k].name = arena_strdup(a, op->name);
            k++;
        }
    }
    *n = k;
    return out;
}

CatPipeline *ctx_get_pipeline(Session *s, Arena *a, const char *name_or_id)
{
    CatalogOp *op = latest_op(s, CATOP_CLASS_PIPELINE, name_or_id);
    if (op)
        return op->object ? catalog_copy_pipeline(a, op->object) : NULL;
    return catalog_get_pipeline(a, name_or_id);
}

CatSecret *ctx_get_secret(Session *s, Arena *a, const char *name)
{
    CatalogOp *op = latest_op(s, CATOP_CLASS_SECRET, name);
    if (op) {
        if (op->object == NULL)
            return NULL;
        CatSecret *c = arena_new(a, CatSecret);
        *c = *(CatSecret *)op->object;
        c->name = arena_strdup(a, c->name);
        c->value = arena_strdup(a, c->value);
        return c;
    }
    return catalog_get_secret(a, name);
}

/* Merges committed objects with queued ones, keyed by name; result sorted by name. */
static int cmp_profile(const void *x, const void *y)
{
    return strcmp(((const CatProfile *)x)->name, ((const CatProfile *)y)->name);
}
static int cmp_table(const void *x, const void *y)
{
    const CatTable *a = x, *b = y;
    int c = strcmp(a->schema ? a->schema : "public", b->schema ? b->schema : "public");
    return c ? c : strcmp(a->name, b->name);
}
static int cmp_pipeline(const void *x, const void *y)
{
    return strcmp(((const CatPipeline *)x)->name, ((const CatPipeline *)y)->name);
}
static int cmp_secret(const void *x, const void *y)
{
    return strcmp(((const CatSecret *)x)->name, ((const CatSecret *)y)->name);
}

#define MERGED_LIST(TYPE, CLS, list_fn, get_fn, cmp)                                              \
    do {                                                                                          \
        int nc = 0;                                                                               \
        TYPE *committed = list_fn(a, &nc);                                                        \
        CatalogTxn *t = s->catalog_txn;                                                           \
        int cap = nc + (t ? t->n : 0) + 1;                                                        \
        TYPE *out = arena_new_array(a, TYPE, cap);                                                \
        int k = 0;                                                                                \
        for (int i = 0; i < nc; i++) {                                                            \
            TYPE *cur = get_fn(s, a, committed[i].name);                                          \
            if (cur)                                                                              \
                out[k++] = *cur;                                                                  \
        }                                                                                         \
        for (int i = 0; t && i < t->n; i++) {                                                     \
            CatalogOp *op = &t->ops[i];                                                           \
            if (catalog_op_class(op->kind) != CLS || op->object == NULL)                          \
                continue;                                                                         \
            bool seen = false;                                                                    \
            for (int j = 0; j < k && !seen; j++)                                                  \
                seen = strcmp(out[j].name, op->name) == 0;                                        \
            if (!seen) {                                                                          \
                TYPE *cur = get_fn(s, a, op->name);                                               \
                if (cur)                                                                          \
                    out[k++] = *cur;                                                              \
            }                                                                                     \
        }                                                                                         \
        qsort(out, (size_t)k, sizeof(TYPE), cmp);                                                 \
        *n = k;                                                                                   \
        return out;                                                                               \
    } while (0)

CatProfile *ctx_list_profiles(Session *s, Arena *a, int *n)
{
    MERGED_LIST(CatProfile, CATOP_CLASS_PROFILE, catalog_list_profiles, ctx_get_profile, cmp_profile);
}

CatTable *ctx_list_tables(Session *s, Arena *a, int *n)
{
    int nc = 0;
    CatTable *committed = catalog_list_tables(a, &nc);
    CatalogTxn *t = s->catalog_txn;
    int cap = nc + (t ? t->n : 0) + 1;
    CatTable *out = arena_new_array(a, CatTable, cap);
    int k = 0;
    for (int i = 0; i < nc; i++) {
        CatTable *cur = ctx_get_table_in(s, a, committed[i].schema, committed[i].name);
        if (cur)
            out[k++] = *cur;
    }
    for (int i = 0; t && i < t->n; i++) {
        CatalogOp *op = &t->ops[i];
        if (catalog_op_class(op->kind) != CATOP_CLASS_TABLE || op->object == NULL)
            continue;
        const char *schema = op_schema(op);
        bool seen = false;
        for (int j = 0; j < k && !seen; j++)
            seen = strcmp(out[j].name, op->name) == 0 && same_schema(out[j].schema, schema);
        if (!seen) {
            CatTable *cur = ctx_get_table_in(s, a, schema, op->name);
            if (cur)
                out[k++] = *cur;
        }
    }
    qsort(out, (size_t)k, sizeof(CatTable), cmp_table);
    *n = k;
    return out;
}

CatSecret *ctx_list_secrets(Session *s, Arena *a, int *n)
{
    MERGED_LIST(CatSecret, CATOP_CLASS_SECRET, catalog_list_secrets, ctx_get_secret, cmp_secret);
}

CatPipeline *ctx_list_pipelines(Session *s, Arena *a, int *n)
{
    MERGED_LIST(CatPipeline, CATOP_CLASS_PIPELINE, catalog_list_pipelines, ctx_get_pipeline,
                cmp_pipeline);
}
