/*
 * op_infer_schema.c: the function scan of laminar.infer_schema(...) —
 * samples a source and returns its inferred columns as rows
 * (column_name, data_type, nullable, sample_values json).
 *
 * The binder (bind_select.c) normalises every call form to four text
 * arguments: table, connector, profile, options (a JSON object; '' when
 * absent).  With a table, its connector is opened as the table says; without
 * one, an in-memory source table is made from connector/profile/options (the
 * REST schema test does the same), so nothing is created.  Connectors that
 * decode records through connectors/format.h (kafka, file) are opened with
 * one STRING column and format = raw, so the records come back as they are
 * and connectors/infer.c infers from them in the table's own format (json
 * keys, csv header and values); every other source (generators, postgres,
 * webhook, avro/protobuf) is sampled with its declared columns, whose types
 * are reported with JSON samples of the values — except PostgreSQL, whose
 * table or query is asked directly (infer_postgres: the result's types).
 *
 * Bounded: at most INFER_MAX_RECORDS records, INFER_TIMEOUT_US in all, and
 * INFER_IDLE_US without new records once some arrived.  A Kafka connection
 * failure reported by the source raises 08006 at once with the client's
 * reason.  No rows: zero rows and a NOTICE.  All memory is the operator's.
 */
#include "executor/operator.h"
#include "executor/stream_int.h"
#include "common/errcodes.h"
#include "connectors/format.h"
#include "connectors/infer.h"
#include "storage/catalog.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define INFER_MAX_RECORDS 100
#define INFER_TIMEOUT_US INT64_C(5000000)
#define INFER_IDLE_US INT64_C(700000)

typedef struct InferState {
    Batch *out;
    bool done;
} InferState;

static int64 now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Connection trouble the source reports (Kafka) fails the call at once; bad records are
 * skipped (a sample is not a job). */
static void infer_record_error(void *arg, const char *code, const char *message,
                               const char *details_json, const char *sample, size_t sample_len)
{
    (void)arg, (void)sample, (void)sample_len;
    if (code && strcmp(code, "CONNECTION_ERROR") == 0) {
        json_t *d = details_json ? json_loads(details_json, 0, NULL) : NULL;
        const char *reason = d ? json_string_value(json_object_get(d, "reason")) : NULL;
        char buf[512];
        snprintf(buf, sizeof buf, "%s", reason ? reason : "");
        json_decref(d);
        ereport(ERROR, errcode(ERRCODE_CONNECTION_FAILURE),
                errmsg("CONNECTION_ERROR: %s", message ? message : "could not connect"),
                buf[0] ? errdetail("%s", buf) : 0);
    }
}

static const char *arg_text(Operator *op, int i)
{
    Vector *v = op_eval_const(op, op->plan->func_args[i], op_state_arena(op));
    if (!vector_is_valid(v, 0))
        return NULL;
    const StrView *s = &((const StrView *)v->data)[0];
    if (s->len == 0)
        return NULL;
    return arena_strndup(op_state_arena(op), s->ptr, s->len);
}

static void add_option(Arena *a, CatTable *t, int cap, const char *name, const char *value)
{
    for (int i = 0; i < t->noptions; i++)
        if (strcmp(t->options[i].name, name) == 0) {
            t->options[i].value = arena_strdup(a, value);
            return;
        }
    if (t->noptions < cap) {
        CatOption *o = &t->options[t->noptions++];
        o->name = arena_strdup(a, name);
        o->value = arena_strdup(a, value);
        o->kind = CATOPT_STRING;
    }
}

/* The in-memory source table of infer_schema(connector, options): the options object's scalar
 * members, "profile" naming a connection profile. */
static CatTable *adhoc_table(Arena *a, const char *connector, const char *profile,
                             const char *options)
{
    CatTable *t = arena_new(a, CatTable);
    t->id = "tbl_infer_schema";
    t->schema = "public";
    t->name = "infer_schema";
    t->kind = CAT_TABLE_SOURCE;
    t->connector = arena_strdup(a, connector);
    json_error_t jerr;
    json_t *o = options ? json_loads(options, 0, &jerr) : json_object();
    if (o == NULL || !json_is_object(o)) {
        json_decref(o);
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("infer_schema options must be a JSON object"));
    }
    int cap = (int)json_object_size(o) + 2;
    t->options = arena_new_array(a, CatOption, cap);
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        char num[64];
        const char *val = NULL;
        if (json_is_string(v))
            val = json_string_value(v);
        else if (json_is_integer(v)) {
            snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            val = num;
        } else if (json_is_real(v)) {
            snprintf(num, sizeof num, "%.17g", json_real_value(v));
            val = num;
        } else if (json_is_boolean(v))
            val = json_is_true(v) ? "true" : "false";
        if (val == NULL)
            continue;
        if (strcmp(key, "profile") == 0 && profile == NULL)
            profile = arena_strdup(a, val);
        else if (strcmp(key, "connector") != 0)
            add_option(a, t, cap, key, val);
    }
    json_decref(o);
    if (profile) {
        CatProfile *p = catalog_get_profile(a, profile);
        if (p == NULL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("connection profile \"%s\" does not exist", profile));
        t->profile_id = p->id;
    }
    return t;
}

static const CatTable *named_table(Arena *a, const char *name)
{
    const char *dot = strchr(name, '.');
    CatTable *t = dot ? catalog_get_table_in(a, arena_strndup(a, name, (size_t)(dot - name)), dot + 1)
                      : catalog_get_table(a, name);
    if (t == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
                errmsg("relation \"%s\" does not exist", name));
    if (t->kind != CAT_TABLE_SOURCE || t->connector == NULL)
        ereport(ERROR, errcode(ERRCODE_WRONG_OBJECT_TYPE),
                errmsg("\"%s\" is not a source table", name),
                errhint("infer_schema samples source tables (or a connector given with its "
                        "options)."));
    return t;
}

static bool uses_formats(const char *connector, const char *format)
{
    if (strcmp(connector, "kafka") != 0 && strcmp(connector, "file") != 0)
        return false;
    return strcasecmp(format, "json") == 0 || strcasecmp(format, "csv") == 0 ||
           strcasecmp(format, "raw") == 0;
}

typedef struct Sample {
    int n;
    const char *recs[INFER_MAX_RECORDS];
    size_t lens[INFER_MAX_RECORDS];
    Batch *typed; /* typed sampling: the rows so far */
    bool ended;   /* a bounded source delivered everything */
} Sample;

static void sample_source(ExecContext *ctx, Arena *a, const CatTable *t, const ResolvedOptions *opts,
                          bool raw, Sample *s)
{
    const SourceOps *ops = stream_source_ops_hook ? stream_source_ops_hook(t->connector) : NULL;
    if (ops == NULL)
        ops = connector_source_ops(t->connector);
    if (ops == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("inferring a schema is not supported for connector \"%s\"", t->connector));
    /* the connector may keep pointers to its context: the operator's arena holds it */
    atomic_bool *stop = arena_new(a, atomic_bool);
    atomic_init(stop, false);
    ConnectorContext *cc = arena_new(a, ConnectorContext);
    cc->table = t;
    cc->opts = opts;
    cc->subtask = 0;
    cc->parallelism = 1;
    cc->arena = a;
    cc->record_error = infer_record_error;
    cc->stop_requested = stop;
    const LmType **types = arena_new_array(a, const LmType *, t->ncolumns > 0 ? t->ncolumns : 1);
    for (int c = 0; c < t->ncolumns; c++)
        types[c] = t->columns[c].type;
    Arena *pa = arena_create("infer poll", a);
    if (!raw)
        s->typed = batch_create(a, t->ncolumns, types, INFER_MAX_RECORDS);
    void *volatile conn = NULL;
    LM_TRY();
    {
        conn = ops->open(cc, NULL, 0);
        int64 start = now_us(), last = start;
        while (s->n < INFER_MAX_RECORDS) {
            int64 now = now_us();
            if (now - start >= INFER_TIMEOUT_US || (s->n > 0 && now - last >= INFER_IDLE_US))
                break;
            exec_check_cancel(ctx);
            arena_reset(pa);
            Batch *b = batch_create(pa, t->ncolumns, types, LM_BATCH_SIZE);
            int partition = 0;
            SourceStatus st = ops->poll(conn, b, &partition);
            for (int r = 0; r < b->count && s->n < INFER_MAX_RECORDS; r++) {
                if (raw) {
                    const Vector *v = &b->cols[0];
                    if (!vector_is_valid(v, r))
                        continue;
                    const StrView *sv = &((const StrView *)v->data)[r];
                    s->recs[s->n] = arena_strndup(a, sv->ptr, sv->len);
                    s->lens[s->n] = sv->len;
                } else
                    for (int c = 0; c < t->ncolumns; c++)
                        vector_copy_value(&s->typed->cols[c], a, s->n, &b->cols[c], r);
                s->n++;
            }
            if (b->count > 0)
                last = now_us();
            if (st == SOURCE_END) {
                s->ended = true;
                break;
            }
            if (st == SOURCE_IDLE || b->count == 0) {
                struct timespec pause = {0, 2000000};
                nanosleep(&pause, NULL);
            }
        }
    }
    LM_CATCH();
    {
        if (conn && ops->close) {
            atomic_store(stop, true);
            ops->close(conn);
        }
        error_rethrow();
    }
    LM_END_TRY();
    if (conn && ops->close) {
        atomic_store(stop, true);
        ops->close(conn);
    }
    if (s->typed)
        s->typed->count = s->n;
}

/* Typed sampling: the declared columns with JSON texts of the first values. */
static InferResult *infer_typed(Arena *a, const CatTable *t, const Sample *s)
{
    InferResult *r = arena_new(a, InferResult);
    r->ncols = t->ncolumns;
    r->cols = arena_new_array(a, InferColumn, r->ncols > 0 ? r->ncols : 1);
    StrBuf sb;
    strbuf_init(&sb, a);
    for (int c = 0; c < t->ncolumns; c++) {
        InferColumn *col = &r->cols[c];
        col->name = t->columns[c].name;
        strbuf_reset(&sb);
        type_format(t->columns[c].type, &sb);
        col->data_type = arena_strdup(a, sb.data);
        col->nullable = !t->columns[c].not_null;
        for (int i = 0; i < s->n && col->nsamples < INFER_MAX_SAMPLES; i++) {
            strbuf_reset(&sb);
            value_format_json(&s->typed->cols[c], i, &sb);
            col->samples[col->nsamples++] = arena_strdup(a, sb.data);
        }
    }
    return r;
}

Batch *infer_schema_rows(ExecContext *ctx, Arena *a, const char *table, const char *connector,
                         const char *profile, const char *options)
{
    const CatTable *t;
    if (table)
        t = named_table(a, table);
    else if (connector)
        t = adhoc_table(a, connector, profile, options);
    else
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("infer_schema needs a source table or a connector"));
    ResolvedOptions *opts = stream_resolve_options(a, t);
    const char *format = format_of_table(t, opts);
    bool raw = format && uses_formats(t->connector, format);
    const CatTable *sample_t = t;
    const ResolvedOptions *sample_opts = opts;
    if (raw) {
        /* one STRING column, format raw: the records as they are */
        CatTable *rt = arena_new(a, CatTable);
        *rt = *t;
        rt->ncolumns = 1;
        rt->columns = arena_new_array(a, CatColumn, 1);
        rt->columns[0].name = "value";
        rt->columns[0].type = type_string();
        ResolvedOptions *ro = arena_new(a, ResolvedOptions);
        ro->names = arena_new_array(a, const char *, opts->count + 1);
        ro->values = arena_new_array(a, const char *, opts->count + 1);
        for (int i = 0; i < opts->count; i++)
            if (strcmp(opts->names[i], "format") != 0 && strcmp(opts->names[i], "header") != 0) {
                ro->names[ro->count] = opts->names[i];
                ro->values[ro->count++] = opts->values[i];
            }
        ro->names[ro->count] = "format";
        ro->values[ro->count++] = "raw";
        rt->options = arena_new_array(a, CatOption, t->noptions + 1);
        rt->noptions = 0;
        for (int i = 0; i < t->noptions; i++)
            if (strcmp(t->options[i].name, "format") != 0 && strcmp(t->options[i].name, "header") != 0)
                rt->options[rt->noptions++] = t->options[i];
        rt->options[rt->noptions++] = (CatOption){"format", "raw", CATOPT_STRING};
        sample_t = rt;
        sample_opts = ro;
    }
    Sample *s = arena_new(a, Sample);
    InferResult *r;
    if (strcmp(t->connector, "postgres") == 0) {
        /* the result of the table's (query's) first rows describes itself */
        r = infer_postgres(a, opts, table ? t->name : NULL, INFER_MAX_RECORDS);
        s->n = r->ncols > 0 ? 1 : 0;
        s->ended = true;
    } else {
        sample_source(ctx, a, sample_t, sample_opts, raw, s);
        r = raw ? infer_records(a, format, opts, s->recs, s->lens, s->n) : infer_typed(a, t, s);
    }
    const LmType **types = arena_new_array(a, const LmType *, 4);
    types[0] = types[1] = type_string();
    types[2] = type_bool();
    types[3] = type_json();
    Batch *b = batch_create(a, 4, types, r->ncols > 0 ? r->ncols : 1);
    if (s->n == 0) {
        if (s->ended)
            ereport(NOTICE, errmsg("no records to infer a schema from"),
                    errdetail("The source has no records."));
        else
            ereport(NOTICE, errmsg("no records to infer a schema from"),
                    errdetail("The source returned no records within %d seconds.",
                              (int)(INFER_TIMEOUT_US / 1000000)));
        return b;
    }
    StrBuf sb;
    strbuf_init(&sb, a);
    for (int i = 0; i < r->ncols; i++) {
        const InferColumn *c = &r->cols[i];
        vector_set_cstr(&b->cols[0], a, i, c->name);
        vector_set_cstr(&b->cols[1], a, i, c->data_type);
        vector_set_bool(&b->cols[2], i, c->nullable);
        strbuf_reset(&sb);
        strbuf_append_char(&sb, '[');
        for (int k = 0; k < c->nsamples; k++)
            strbuf_printf(&sb, "%s%s", k ? ", " : "", c->samples[k]);
        strbuf_append_char(&sb, ']');
        vector_set_str(&b->cols[3], a, i, sb.data, sb.len);
    }
    b->count = r->ncols;
    return b;
}

static void infer_open(Operator *op)
{
    InferState *st = op->state;
    st->out = infer_schema_rows(op->ctx, op_state_arena(op), arg_text(op, 0), arg_text(op, 1),
                                arg_text(op, 2), arg_text(op, 3));
    st->done = st->out->count == 0;
}

static ExecEvent infer_next(Operator *op)
{
    InferState *st = op->state;
    if (st->done || st->out == NULL)
        return exec_event_end();
    st->done = true;
    return exec_event_batch(st->out);
}

static const OperatorOps infer_ops = {"FunctionScan", infer_open, infer_next, NULL};

void op_infer_schema_init(Operator *op)
{
    if (op->plan->ncols != 4 || op->plan->nfunc_args != 4)
        elog(ERROR, "infer_schema scan with an unexpected shape");
    op->state = arena_new(op_state_arena(op), InferState);
    op->ops = &infer_ops;
}
