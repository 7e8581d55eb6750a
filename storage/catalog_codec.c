/*
 * catalog_codec.c: catalog objects to and from their stored JSON, and deep
 * copies.
 *
 * One JSON document per object (see catalog.c for the keys).  Every document
 * carries "v" (the catalog format it was written with).  Fields absent from
 * a document decode as NULL / 0 / false, so a later format may add fields
 * without a migration; a field of the wrong type is reported as XX001
 * data_corrupted naming the key.  Column types are stored as
 * their canonical name (type_format) and parsed back with type_parse into
 * the object's arena.
 */
#include "storage/catalog_int.h"
#include "common/error.h"
#include "common/strbuf.h"

/* ---------- JSON helpers ---------- */

static const char *const optkind_names[] = {
    [CATOPT_STRING] = "string", [CATOPT_NUMBER] = "number", [CATOPT_BOOL] = "bool",
    [CATOPT_IDENT] = "ident",   [CATOPT_SECRET] = "secret",
};

static const char *const tablekind_names[] = {
    [CAT_TABLE_SOURCE] = "source",
    [CAT_TABLE_SINK] = "sink",
    [CAT_TABLE_PLAIN] = "plain",
};

const char *catalog_table_kind_word(CatTableKind kind)
{
    switch (kind) {
    case CAT_TABLE_SOURCE:
        return "source table";
    case CAT_TABLE_SINK:
        return "sink table";
    case CAT_TABLE_PLAIN:
        return "table";
    default:
        return "relation";
    }
}

static json_t *jstr_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static void LM_NORETURN corrupt(const Decoder *d, const char *what)
{
    ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
            errmsg("catalog object \"%s\" is corrupted", d->key), errdetail("%s", what));
}

static char *dec_str(const Decoder *d, json_t *o, const char *field, bool required)
{
    json_t *v = json_object_get(o, field);

    if (v == NULL || json_is_null(v)) {
        if (required)
            corrupt(d, "A required field is missing.");
        return NULL;
    }
    if (!json_is_string(v))
        corrupt(d, "A text field has the wrong type.");
    return arena_strndup(d->a, json_string_value(v), json_string_length(v));
}

static int64 dec_int(const Decoder *d, json_t *o, const char *field)
{
    json_t *v = json_object_get(o, field);

    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_integer(v))
        corrupt(d, "A numeric field has the wrong type.");
    return (int64)json_integer_value(v);
}

static bool dec_bool(const Decoder *d, json_t *o, const char *field)
{
    json_t *v = json_object_get(o, field);

    if (v == NULL || json_is_null(v))
        return false;
    if (!json_is_boolean(v))
        corrupt(d, "A boolean field has the wrong type.");
    return json_is_true(v);
}

static int dec_enum(const Decoder *d, json_t *o, const char *field, const char *const *names,
                    int nnames)
{
    json_t *v = json_object_get(o, field);

    if (v && json_is_string(v))
        for (int i = 0; i < nnames; i++)
            if (names[i] && strcmp(names[i], json_string_value(v)) == 0)
                return i;
    corrupt(d, "An enumerated field has an unknown value.");
}

static json_t *enc_options(int n, const CatOption *opts)
{
    json_t *arr = json_array();

    for (int i = 0; i < n; i++) {
        int kind = (int)opts[i].kind;
        if (kind < 0 || kind >= (int)LM_ARRAY_LEN(optkind_names))
            elog(ERROR, "unrecognized option kind %d", kind);
        json_array_append_new(arr, json_pack("{s:o,s:o,s:s}", "name", jstr_or_null(opts[i].name),
                                             "value", jstr_or_null(opts[i].value), "kind",
                                             optkind_names[kind]));
    }
    return arr;
}

static CatOption *dec_options(const Decoder *d, json_t *o, int *n)
{
    json_t *arr = json_object_get(o, "options");
    CatOption *opts;

    *n = 0;
    if (arr == NULL || json_is_null(arr))
        return NULL;
    if (!json_is_array(arr))
        corrupt(d, "The options field is not an array.");
    *n = (int)json_array_size(arr);
    opts = arena_new_array(d->a, CatOption, *n);
    for (int i = 0; i < *n; i++) {
        json_t *e = json_array_get(arr, (size_t)i);
        opts[i].name = dec_str(d, e, "name", true);
        opts[i].value = dec_str(d, e, "value", false);
        opts[i].kind =
            (CatOptKind)dec_enum(d, e, "kind", optkind_names, (int)LM_ARRAY_LEN(optkind_names));
    }
    return opts;
}

/* Dumps and releases j; returns a malloc'ed string (free with free()). */
char *catjson_dump(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);

    json_decref(j);
    if (s == NULL)
        ereport(ERROR, errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                errdetail("Could not serialise a catalog object."));
    return s;
}

/* ---------- roles ---------- */

json_t *catjson_enc_role(const CatRole *r)
{
    return json_pack("{s:i,s:s,s:I,s:b,s:b,s:b,s:b,s:o,s:I,s:I,s:I}", "v", CATALOG_FORMAT, "name",
                     r->name, "oid", (json_int_t)r->oid, "superuser", r->superuser, "login",
                     r->login, "createdb", r->createdb, "createrole", r->createrole,
                     "scram_verifier", jstr_or_null(r->scram_verifier), "valid_until",
                     (json_int_t)r->valid_until, "created_at", (json_int_t)r->created_at,
                     "updated_at", (json_int_t)r->updated_at);
}

CatRole *catjson_dec_role(const Decoder *d, json_t *o)
{
    CatRole *r = arena_new(d->a, CatRole);

    r->name = dec_str(d, o, "name", true);
    r->oid = (Oid)dec_int(d, o, "oid");
    r->superuser = dec_bool(d, o, "superuser");
    r->login = dec_bool(d, o, "login");
    r->createdb = dec_bool(d, o, "createdb");
    r->createrole = dec_bool(d, o, "createrole");
    r->scram_verifier = dec_str(d, o, "scram_verifier", false);
    r->valid_until = dec_int(d, o, "valid_until");
    r->created_at = dec_int(d, o, "created_at");
    r->updated_at = dec_int(d, o, "updated_at");
    return r;
}

void catalog_copy_role_into(Arena *a, CatRole *dst, const CatRole *src)
{
    *dst = *src;
    dst->name = arena_strdup(a, src->name);
    dst->scram_verifier = src->scram_verifier ? arena_strdup(a, src->scram_verifier) : NULL;
}

/* ---------- secrets ---------- */

json_t *catjson_enc_secret(const CatSecret *s)
{
    return json_pack("{s:i,s:s,s:o,s:I,s:I}", "v", CATALOG_FORMAT, "name", s->name, "value",
                     jstr_or_null(s->value), "created_at", (json_int_t)s->created_at, "updated_at",
                     (json_int_t)s->updated_at);
}

CatSecret *catjson_dec_secret(const Decoder *d, json_t *o)
{
    CatSecret *s = arena_new(d->a, CatSecret);

    s->name = dec_str(d, o, "name", true);
    s->value = dec_str(d, o, "value", false);
    s->created_at = dec_int(d, o, "created_at");
    s->updated_at = dec_int(d, o, "updated_at");
    return s;
}

void catalog_copy_secret_into(Arena *a, CatSecret *dst, const CatSecret *src)
{
    *dst = *src;
    dst->name = arena_strdup(a, src->name);
    dst->value = src->value ? arena_strdup(a, src->value) : NULL;
}

/* ---------- profiles ---------- */

json_t *catjson_enc_profile(const CatProfile *p)
{
    return json_pack("{s:i,s:s,s:s,s:o,s:o,s:I,s:I}", "v", CATALOG_FORMAT, "id", p->id, "name",
                     p->name, "connector", jstr_or_null(p->connector), "options",
                     enc_options(p->noptions, p->options), "created_at", (json_int_t)p->created_at,
                     "updated_at", (json_int_t)p->updated_at);
}

CatProfile *catjson_dec_profile(const Decoder *d, json_t *o)
{
    CatProfile *p = arena_new(d->a, CatProfile);

    p->id = dec_str(d, o, "id", true);
    p->name = dec_str(d, o, "name", true);
    p->connector = dec_str(d, o, "connector", false);
    p->options = dec_options(d, o, &p->noptions);
    p->created_at = dec_int(d, o, "created_at");
    p->updated_at = dec_int(d, o, "updated_at");
    return p;
}

static CatOption *copy_options(Arena *a, int n, const CatOption *src)
{
    CatOption *dst;

    if (n <= 0)
        return NULL;
    dst = arena_new_array(a, CatOption, n);
    for (int i = 0; i < n; i++) {
        dst[i].name = src[i].name ? arena_strdup(a, src[i].name) : NULL;
        dst[i].value = src[i].value ? arena_strdup(a, src[i].value) : NULL;
        dst[i].kind = src[i].kind;
    }
    return dst;
}

static char *strdup_or_null(Arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

void catalog_copy_profile_into(Arena *a, CatProfile *dst, const CatProfile *src)
{
    *dst = *src;
    dst->id = strdup_or_null(a, src->id);
    dst->name = strdup_or_null(a, src->name);
    dst->connector = strdup_or_null(a, src->connector);
    dst->options = copy_options(a, src->noptions, src->options);
}

CatProfile *catalog_copy_profile(Arena *a, const CatProfile *p)
{
    CatProfile *copy = arena_new(a, CatProfile);
    catalog_copy_profile_into(a, copy, p);
    return copy;
}

/* ---------- tables ---------- */

json_t *catjson_enc_table(const CatTable *t)
{
    json_t *cols = json_array();
    json_t *pk = json_array();
    StrBuf tb;

    strbuf_init(&tb, NULL);
    for (int i = 0; i < t->ncolumns; i++) {
        const CatColumn *c = &t->columns[i];
        strbuf_reset(&tb);
        type_format(c->type, &tb);
        json_array_append_new(cols, json_pack("{s:s,s:s,s:b,s:o}", "name", c->name, "type", tb.data,
                                              "not_null", c->not_null, "default",
                                              jstr_or_null(c->default_expr)));
    }
    strbuf_free(&tb);
    for (int i = 0; i < t->nprimary_key; i++)
        json_array_append_new(pk, json_integer(t->primary_key[i]));

    json_t *doc = json_pack(
        "{s:i,s:s,s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I}", "v", CATALOG_FORMAT,
        "id", t->id, "oid", (json_int_t)t->oid, "schema", t->schema, "name", t->name, "kind",
        tablekind_names[t->kind], "connector", jstr_or_null(t->connector), "profile_id",
        jstr_or_null(t->profile_id), "columns", cols, "options",
        enc_options(t->noptions, t->options), "event_time_field", jstr_or_null(t->event_time_field),
        "watermark_delay", jstr_or_null(t->watermark_delay), "watermark_expr",
        jstr_or_null(t->watermark_expr), "primary_key", pk, "created_at", (json_int_t)t->created_at,
        "updated_at", (json_int_t)t->updated_at);
    if (doc && t->pk_name)
        json_object_set_new(doc, "pk_name", json_string(t->pk_name));
    return doc;
}

CatTable *catjson_dec_table(const Decoder *d, json_t *o)
{
    CatTable *t = arena_new(d->a, CatTable);
    json_t *cols, *pk;

    t->id = dec_str(d, o, "id", true);
    t->oid = (Oid)dec_int(d, o, "oid");
    t->schema = dec_str(d, o, "schema", false);
    if (t->schema == NULL)
        t->schema = arena_strdup(d->a, "public");
    t->name = dec_str(d, o, "name", true);
    t->kind =
        (CatTableKind)dec_enum(d, o, "kind", tablekind_names, (int)LM_ARRAY_LEN(tablekind_names));
    t->connector = dec_str(d, o, "connector", false);
    t->profile_id = dec_str(d, o, "profile_id", false);

    cols = json_object_get(o, "columns");
    if (cols && !json_is_array(cols))
        corrupt(d, "The columns field is not an array.");
    t->ncolumns = cols ? (int)json_array_size(cols) : 0;
    t->columns = arena_new_array(d->a, CatColumn, t->ncolumns);
    for (int i = 0; i < t->ncolumns; i++) {
        json_t *c = json_array_get(cols, (size_t)i);
        const char *type_text = dec_str(d, c, "type", true);
        const char *msg = NULL;
        int errpos = 0;

        t->columns[i].name = dec_str(d, c, "name", true);
        t->columns[i].not_null = dec_bool(d, c, "not_null");
        t->columns[i].default_expr = dec_str(d, c, "default", false);
        t->columns[i].type = type_parse(d->a, type_text, &errpos, &msg);
        if (t->columns[i].type == NULL)
            ereport(ERROR, errcode(ERRCODE_DATA_CORRUPTED),
                    errmsg("catalog object \"%s\" is corrupted", d->key),
                    errdetail("Type \"%s\" of column \"%s\" does not parse: %s.", type_text,
                              t->columns[i].name, msg ? msg : "unknown error"));
    }

    t->options = dec_options(d, o, &t->noptions);
    t->event_time_field = dec_str(d, o, "event_time_field", false);
    t->watermark_delay = dec_str(d, o, "watermark_delay", false);
    t->watermark_expr = dec_str(d, o, "watermark_expr", false);

    pk = json_object_get(o, "primary_key");
    if (pk && !json_is_array(pk))
        corrupt(d, "The primary_key field is not an array.");
    t->nprimary_key = pk ? (int)json_array_size(pk) : 0;
    t->primary_key = t->nprimary_key ? arena_new_array(d->a, int, t->nprimary_key) : NULL;
    for (int i = 0; i < t->nprimary_key; i++) {
        json_t *v = json_array_get(pk, (size_t)i);
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) >= t->ncolumns)
            corrupt(d, "A primary key column index is out of range.");
        t->primary_key[i] = (int)json_integer_value(v);
    }
    t->pk_name = dec_str(d, o, "pk_name", false);
    t->created_at = dec_int(d, o, "created_at");
    t->updated_at = dec_int(d, o, "updated_at");
    return t;
}

void catalog_copy_table_into(Arena *a, CatTable *dst, const CatTable *src)
{
    *dst = *src;
    dst->id = strdup_or_null(a, src->id);
    dst->schema = strdup_or_null(a, src->schema);
    dst->name = strdup_or_null(a, src->name);
    dst->connector = strdup_or_null(a, src->connector);
    dst->profile_id = strdup_or_null(a, src->profile_id);
    dst->columns = src->ncolumns > 0 ? arena_new_array(a, CatColumn, src->ncolumns) : NULL;
    for (int i = 0; i < src->ncolumns; i++) {
        dst->columns[i].name = strdup_or_null(a, src->columns[i].name);
        dst->columns[i].type = src->columns[i].type ? type_copy(a, src->columns[i].type) : NULL;
        dst->columns[i].not_null = src->columns[i].not_null;
        dst->columns[i].default_expr = strdup_or_null(a, src->columns[i].default_expr);
    }
    dst->options = copy_options(a, src->noptions, src->options);
    dst->event_time_field = strdup_or_null(a, src->event_time_field);
    dst->watermark_delay = strdup_or_null(a, src->watermark_delay);
    dst->watermark_expr = strdup_or_null(a, src->watermark_expr);
    dst->pk_name = strdup_or_null(a, src->pk_name);
    dst->primary_key = src->nprimary_key > 0
                           ? arena_memdup(a, src->primary_key, sizeof(int) * src->nprimary_key)
                           : NULL;
}

CatTable *catalog_copy_table(Arena *a, const CatTable *t)
{
    CatTable *copy = arena_new(a, CatTable);
    catalog_copy_table_into(a, copy, t);
    return copy;
}

json_t *catjson_enc_schema(const CatSchema *s)
{
    return json_pack("{s:i,s:s,s:I,s:o,s:I}", "v", CATALOG_FORMAT, "name", s->name, "oid",
                     (json_int_t)s->oid, "owner", jstr_or_null(s->owner), "created_at",
                     (json_int_t)s->created_at);
}

CatSchema *catjson_dec_schema(const Decoder *d, json_t *o)
{
    CatSchema *s = arena_new(d->a, CatSchema);

    s->name = dec_str(d, o, "name", true);
    s->oid = (Oid)dec_int(d, o, "oid");
    s->owner = dec_str(d, o, "owner", false);
    s->created_at = dec_int(d, o, "created_at");
    return s;
}

/* ---------- pipelines and jobs ---------- */

static const char *const pipeline_state_names[] = {
    [PIPELINE_CREATED] = "created", [PIPELINE_STARTING] = "starting",
    [PIPELINE_RUNNING] = "running", [PIPELINE_STOPPING] = "stopping",
    [PIPELINE_STOPPED] = "stopped", [PIPELINE_FAILED] = "failed",
};

static const char *const job_state_names[] = {
    [CAT_JOB_RUNNING] = "running",   [CAT_JOB_COMPLETED] = "completed", [CAT_JOB_FAILED] = "failed",
    [CAT_JOB_STOPPING] = "stopping", [CAT_JOB_STOPPED] = "stopped",
};

const char *catalog_pipeline_state_name(CatPipelineState s)
{
    return (int)s >= 0 && (int)s < (int)LM_ARRAY_LEN(pipeline_state_names) ? pipeline_state_names[s]
                                                                           : "unknown";
}

const char *catalog_job_state_name(CatJobState s)
{
    return (int)s >= 0 && (int)s < (int)LM_ARRAY_LEN(job_state_names) ? job_state_names[s]
                                                                      : "unknown";
}

json_t *catjson_enc_pipeline(const CatPipeline *p)
{
    json_t *deps = json_array();

    for (int i = 0; i < p->ndeps; i++)
        json_array_append_new(deps, json_string(p->deps[i]));
    json_t *doc = json_pack(
        "{s:i,s:s,s:s,s:s,s:i,s:I,s:o,s:o,s:o,s:I,s:o,s:o,s:s,s:o,s:o,s:I,s:I}", "v",
        CATALOG_FORMAT, "id", p->id, "name", p->name, "query", p->query, "parallelism",
        p->parallelism, "checkpoint_interval_ms", (json_int_t)p->checkpoint_interval_ms,
        "checkpoint_interval", jstr_or_null(p->checkpoint_interval), "emit", jstr_or_null(p->emit),
        "late_data", jstr_or_null(p->late_data), "memory_limit", (json_int_t)p->memory_limit,
        "memory_limit_text", jstr_or_null(p->memory_limit_text), "deps", deps, "state",
        pipeline_state_names[p->state], "job_id", jstr_or_null(p->job_id), "failure_message",
        jstr_or_null(p->failure_message), "created_at", (json_int_t)p->created_at, "updated_at",
        (json_int_t)p->updated_at);
    if (doc == NULL)
        elog(ERROR, "could not encode pipeline \"%s\"", p->name);
    return doc;
}

CatPipeline *catjson_dec_pipeline(const Decoder *d, json_t *o)
{
    CatPipeline *p = arena_new(d->a, CatPipeline);
    json_t *deps;

    p->id = dec_str(d, o, "id", true);
    p->name = dec_str(d, o, "name", true);
    p->query = dec_str(d, o, "query", true);
    p->parallelism = (int)dec_int(d, o, "parallelism");
    p->checkpoint_interval_ms = dec_int(d, o, "checkpoint_interval_ms");
    p->checkpoint_interval = dec_str(d, o, "checkpoint_interval", false);
    p->emit = dec_str(d, o, "emit", false);
    p->late_data = dec_str(d, o, "late_data", false);
    p->memory_limit = dec_int(d, o, "memory_limit");
    p->memory_limit_text = dec_str(d, o, "memory_limit_text", false);
    deps = json_object_get(o, "deps");
    if (deps && !json_is_array(deps))
        corrupt(d, "The deps field is not an array.");
    p->ndeps = deps ? (int)json_array_size(deps) : 0;
    p->deps = arena_new_array(d->a, char *, p->ndeps + 1);
    for (int i = 0; i < p->ndeps; i++) {
        json_t *v = json_array_get(deps, (size_t)i);
        if (!json_is_string(v))
            corrupt(d, "A dependency is not a text.");
        p->deps[i] = arena_strdup(d->a, json_string_value(v));
    }
    p->state = (CatPipelineState)dec_enum(d, o, "state", pipeline_state_names,
                                          (int)LM_ARRAY_LEN(pipeline_state_names));
    p->job_id = dec_str(d, o, "job_id", false);
    p->failure_message = dec_str(d, o, "failure_message", false);
    p->created_at = dec_int(d, o, "created_at");
    p->updated_at = dec_int(d, o, "updated_at");
    if (p->parallelism <= 0)
        corrupt(d, "The parallelism is not positive.");
    return p;
}

void catalog_copy_pipeline_into(Arena *a, CatPipeline *dst, const CatPipeline *src)
{
    *dst = *src;
    dst->id = strdup_or_null(a, src->id);
    dst->name = strdup_or_null(a, src->name);
    dst->query = strdup_or_null(a, src->query);
    dst->checkpoint_interval = strdup_or_null(a, src->checkpoint_interval);
    dst->emit = strdup_or_null(a, src->emit);
    dst->late_data = strdup_or_null(a, src->late_data);
    dst->memory_limit_text = strdup_or_null(a, src->memory_limit_text);
    dst->deps = arena_new_array(a, char *, src->ndeps + 1);
    for (int i = 0; i < src->ndeps; i++)
        dst->deps[i] = strdup_or_null(a, src->deps[i]);
    dst->job_id = strdup_or_null(a, src->job_id);
    dst->failure_message = strdup_or_null(a, src->failure_message);
}

CatPipeline *catalog_copy_pipeline(Arena *a, const CatPipeline *p)
{
    CatPipeline *copy = arena_new(a, CatPipeline);
    catalog_copy_pipeline_into(a, copy, p);
    return copy;
}

json_t *catjson_enc_job(const CatJob *j)
{
    json_t *doc = json_pack(
        "{s:i,s:s,s:s,s:o,s:s,s:i,s:I,s:I,s:i,s:o,s:I,s:I,s:I,s:I,s:I}", "v", CATALOG_FORMAT, "id",
        j->id, "pipeline_id", j->pipeline_id, "pipeline_name", jstr_or_null(j->pipeline_name),
        "state", job_state_names[j->state], "parallelism", j->parallelism, "started_at",
        (json_int_t)j->started_at, "finished_at", (json_int_t)j->finished_at, "restarts",
        j->restarts, "failure_message", jstr_or_null(j->failure_message), "last_checkpoint_id",
        (json_int_t)j->last_checkpoint_id, "last_checkpoint_at", (json_int_t)j->last_checkpoint_at,
        "records_in", (json_int_t)j->records_in, "records_out", (json_int_t)j->records_out,
        "errors", (json_int_t)j->errors);
    if (doc == NULL)
        elog(ERROR, "could not encode job \"%s\"", j->id);
    return doc;
}

CatJob *catjson_dec_job(const Decoder *d, json_t *o)
{
    CatJob *j = arena_new(d->a, CatJob);

    j->id = dec_str(d, o, "id", true);
    j->pipeline_id = dec_str(d, o, "pipeline_id", true);
    j->pipeline_name = dec_str(d, o, "pipeline_name", false);
    j->state =
        (CatJobState)dec_enum(d, o, "state", job_state_names, (int)LM_ARRAY_LEN(job_state_names));
    j->parallelism = (int)dec_int(d, o, "parallelism");
    j->started_at = dec_int(d, o, "started_at");
    j->finished_at = dec_int(d, o, "finished_at");
    j->restarts = (int)dec_int(d, o, "restarts");
    j->failure_message = dec_str(d, o, "failure_message", false);
    j->last_checkpoint_id = dec_int(d, o, "last_checkpoint_id");
    j->last_checkpoint_at = dec_int(d, o, "last_checkpoint_at");
    j->records_in = dec_int(d, o, "records_in");
    j->records_out = dec_int(d, o, "records_out");
    j->errors = dec_int(d, o, "errors");
    return j;
}

void catalog_copy_job_into(Arena *a, CatJob *dst, const CatJob *src)
{
    *dst = *src;
    dst->id = strdup_or_null(a, src->id);
    dst->pipeline_id = strdup_or_null(a, src->pipeline_id);
    dst->pipeline_name = strdup_or_null(a, src->pipeline_name);
    dst->failure_message = strdup_or_null(a, src->failure_message);
}

CatJob *catalog_copy_job(Arena *a, const CatJob *j)
{
    CatJob *copy = arena_new(a, CatJob);
    catalog_copy_job_into(a, copy, j);
    return copy;
}
