/*
 * op_scan.c: leaf operators — relation scans (system views, plain tables),
 * VALUES, the one-row RESULT and set-returning functions in FROM
 * (generate_series, unnest).
 *
 * System views are computed at open into a RowSet by the view's fill
 * function; each output batch is one RowSet batch whose vectors are shared
 * (not copied) in scan_cols order.  Plain tables stream from storage through
 * table_scan_next into a fresh batch in the batch arena.  generate_series
 * produces LM_BATCH_SIZE values per call from a running cursor, so a series
 * of any length needs constant memory.  A source table is sampled: its
 * connector is read for a bounded time (source_sample.c).
 */
#include "executor/operator.h"
#include "common/datetime.h"
#include "common/errcodes.h"
#include "common/timezone.h"
#include "planner/relation.h"
#include "executor/source_sample.h"
#include "storage/table.h"

#define FUNC_MAX_ARGS_SCAN 8

/* ---- relation scans ---- */

typedef struct ScanState {
    RowSet *rows; /* system view */
    int next_batch;
    TableScan *scan; /* plain table */
    SourceSample *sample; /* source table: bounded sampling (source_sample.c) */
    const LmType **rel_types; /* source table: all its columns */
    bool lookup;     /* plain table by primary key (PlanNode.pk_lookup) */
    const LmType **types;
    int ntypes;
    bool done;
    Batch out;
} ScanState;

static void scan_open(Operator *op)
{
    ScanState *st = op->state;
    const PlanNode *p = op->plan;
    const Relation *rel = p->rel;
    Arena *a = op_state_arena(op);
    switch (rel->kind) {
    case REL_SYSTEM_VIEW: {
        const SystemView *v = rel->view;
        const LmType **types = arena_new_array(a, const LmType *, v->ncols > 0 ? v->ncols : 1);
        for (int i = 0; i < v->ncols; i++)
            types[i] = v->cols[i].type;
        st->rows = rowset_create(a, v->ncols, types);
        v->fill(op->ctx, st->rows);
        break;
    }
    case REL_PLAIN:
        if (op->ctx->txn == NULL)
            elog(ERROR, "scan of table \"%s\" without a transaction", rel->name);
        if (p->npk_lookup > 0) {
            st->lookup = true; /* one row at most, found in scan_next */
            break;
        }
        st->scan = table_scan_open(op->ctx->txn, a, rel->table, p->nscan_cols, p->scan_cols,
                                   p->want_rowkey);
        break;
    case REL_SOURCE:
        if (rel->table && rel->table->connector) {
            st->rel_types = arena_new_array(a, const LmType *, rel->ncols > 0 ? rel->ncols : 1);
            for (int i = 0; i < rel->ncols; i++)
                st->rel_types[i] = rel->cols[i].type;
            st->sample = source_sample_open(op->ctx, a, rel);
            break;
        }
        /* fall through */
    case REL_SINK:
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("reading %s table \"%s\" is not supported yet",
                       rel->kind == REL_SOURCE ? "source" : "sink", rel->name));
    default:
        elog(ERROR, "unrecognized relation kind %d", (int)rel->kind);
    }
}

/*
 * Point lookup by primary key: the key values are computed once (they reference no column of
 * this scan), cast to the key columns' types, and the row is read with table_get_by_key.  With
 * want_rowkey (UPDATE/DELETE) the row's storage key is derived from the key values.
 */
static ExecEvent pk_lookup(Operator *op, ScanState *st)
{
    const PlanNode *p = op->plan;
    const CatTable *t = p->rel->table;
    Arena *a = op->batch_arena;
    int npk = p->npk_lookup;
    Vector **keys = arena_new_array(a, Vector *, npk);
    for (int k = 0; k < npk; k++) {
        keys[k] = op_eval_const(op, p->pk_lookup[k], a);
        if (!vector_is_valid(keys[k], 0))
            return exec_event_end(); /* key = NULL matches nothing */
    }
    Batch *b = batch_create(a, st->ntypes, st->types, 1);
    if (!table_get_by_key(op->ctx->txn, t, keys, 0, p->nscan_cols, p->scan_cols, b->cols, a, 0))
        return exec_event_end();
    if (p->want_rowkey) {
        /* the storage key from a full-row batch holding the key values */
        const LmType **all = arena_new_array(a, const LmType *, p->rel->ncols);
        for (int c = 0; c < p->rel->ncols; c++)
            all[c] = p->rel->cols[c].type;
        Batch *full = batch_create(a, p->rel->ncols, all, 1);
        for (int c = 0; c < p->rel->ncols; c++)
            vector_set_null(&full->cols[c], 0);
        for (int k = 0; k < npk; k++)
            vector_copy_value(&full->cols[p->rel->pk[k]], a, 0, keys[k], 0);
        full->count = 1;
        StrBuf key;
        strbuf_init(&key, a);
        table_pk_rowkey(t, full, 0, &key);
        vector_set_str(&b->cols[p->nscan_cols], a, 0, key.data, key.len);
    }
    b->count = 1;
    return exec_event_batch(b);
}

static ExecEvent scan_next(Operator *op)
{
    ScanState *st = op->state;
    const PlanNode *p = op->plan;
    arena_reset(op->batch_arena);
    if (st->rows) {
        while (st->next_batch < st->rows->nbatches) {
            Batch *src = st->rows->batches[st->next_batch++];
            if (src->count == 0)
                continue;
            st->out.ncols = p->nscan_cols;
            for (int i = 0; i < p->nscan_cols; i++)
                st->out.cols[i] = src->cols[p->scan_cols[i]];
            st->out.count = src->count;
            st->out.sel = NULL;
            st->out.arena = src->arena;
            return exec_event_batch(&st->out);
        }
        return exec_event_end();
    }
    if (st->lookup && !st->done) {
        st->done = true;
        return pk_lookup(op, st);
    }
    while (st->sample && !st->done) {
        Batch *b = batch_create(op->batch_arena, p->rel->ncols, st->rel_types, LM_BATCH_SIZE);
        if (!source_sample_next(st->sample, b)) {
            st->done = true;
            break;
        }
        st->out.ncols = p->nscan_cols;
        for (int i = 0; i < p->nscan_cols; i++)
            st->out.cols[i] = b->cols[p->scan_cols[i]];
        st->out.count = b->count;
        st->out.sel = b->sel;
        st->out.nsel = b->nsel;
        st->out.arena = b->arena;
        return exec_event_batch(&st->out);
    }
    while (st->scan && !st->done) {
        Batch *b = batch_create(op->batch_arena, st->ntypes, st->types, LM_BATCH_SIZE);
        if (!table_scan_next(st->scan, b))
            st->done = true;
        if (b->count > 0)
            return exec_event_batch(b);
    }
    return exec_event_end();
}

static void scan_close(Operator *op)
{
    ScanState *st = op->state;
    if (st->scan)
        table_scan_close(st->scan);
    st->scan = NULL;
    if (st->sample)
        source_sample_close(st->sample);
    st->sample = NULL;
}

static const OperatorOps scan_ops = {"Scan", scan_open, scan_next, scan_close};

void op_scan_init(Operator *op)
{
    Arena *a = op_state_arena(op);
    const PlanNode *p = op->plan;
    ScanState *st = arena_new(a, ScanState);
    st->ntypes = p->nscan_cols + (p->want_rowkey ? 1 : 0);
    st->types = arena_new_array(a, const LmType *, st->ntypes + 1);
    for (int i = 0; i < p->nscan_cols; i++)
        st->types[i] = p->rel->cols[p->scan_cols[i]].type;
    if (p->want_rowkey) {
        if (p->rel->kind != REL_PLAIN)
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("cannot change relation \"%s\"", p->rel->name));
        st->types[p->nscan_cols] = type_binary();
    }
    st->out.cols = arena_new_array(a, Vector, p->nscan_cols + 1);
    op->state = st;
    op->ops = &scan_ops;
}

/* ---- VALUES ---- */

typedef struct ValuesState {
    int next_row;
    const LmType **types;
    Batch one; /* 1-row batch used to cast a value */
} ValuesState;

/* Copies e's constant value into out[row], converting when the binder left another type
 * (an untyped literal is parsed with the column type's input function). */
static void store_const(Operator *op, Vector *out, Arena *a, int row, const Expr *e)
{
    Vector *v = op_eval_const(op, e, a);
    if (!vector_is_valid(v, 0)) {
        vector_set_null(out, row);
        return;
    }
    if (v->type->id == TYPE_UNKNOWN && out->type->id != TYPE_UNKNOWN) {
        const StrView *sv = v->data;
        value_parse_text(out, a, row, sv->ptr, sv->len);
        return;
    }
    if (v->type->id != out->type->id ||
        (v->type->id == TYPE_DECIMAL && v->type->scale != out->type->scale) ||
        (type_is_nested(v->type) && !type_equal(v->type, out->type))) {
        Vector *c = arena_new(a, Vector);
        vector_init(c, a, out->type, 1);
        ValuesState *st = op->state;
        cast_vector(op->ctx, v, &st->one, c, e->location);
        v = c;
    }
    vector_copy_value(out, a, row, v, 0);
}

static ExecEvent values_next(Operator *op)
{
    ValuesState *st = op->state;
    const PlanNode *p = op->plan;
    arena_reset(op->batch_arena);
    if (st->next_row >= p->nrows)
        return exec_event_end();
    int n = LM_MIN(p->nrows - st->next_row, LM_BATCH_SIZE);
    Batch *b = batch_create(op->batch_arena, p->ncols, st->types, n);
    for (int i = 0; i < n; i++) {
        Expr **row = p->rows[st->next_row + i];
        for (int c = 0; c < p->ncols; c++)
            store_const(op, &b->cols[c], op->batch_arena, i, row[c]);
    }
    b->count = n;
    st->next_row += n;
    return exec_event_batch(b);
}

static const OperatorOps values_ops = {"Values", NULL, values_next, NULL};

void op_values_init(Operator *op)
{
    Arena *a = op_state_arena(op);
    ValuesState *st = arena_new(a, ValuesState);
    st->types = plan_col_types(a, op->plan);
    st->one.count = 1;
    op->state = st;
    op->ops = &values_ops;
}

/* ---- RESULT: one row, no columns ---- */

typedef struct ResultState {
    bool done;
    Batch out;
} ResultState;

static ExecEvent result_next(Operator *op)
{
    ResultState *st = op->state;
    if (st->done)
        return exec_event_end();
    st->done = true;
    st->out.ncols = 0;
    st->out.count = 1;
    return exec_event_batch(&st->out);
}

static const OperatorOps result_ops = {"Result", NULL, result_next, NULL};

void op_result_init(Operator *op)
{
    ResultState *st = arena_new(op_state_arena(op), ResultState);
    st->out.cols = arena_new_array(op_state_arena(op), Vector, 1);
    op->state = st;
    op->ops = &result_ops;
}

/* ---- set-returning functions: generate_series, unnest ---- */

typedef enum SeriesKind { SERIES_INT, SERIES_DECIMAL, SERIES_TIMESTAMP, SERIES_UNNEST } SeriesKind;

typedef struct SeriesState {
    SeriesKind kind;
    bool done;
    /* integer and decimal series (decimal as scaled int128) */
    int128 cur, stop, step;
    /* timestamp series: start_ts is the next value, advanced by step_iv */
    int64 start_ts, stop_ts;
    Interval step_iv;
    const TimeZone *tz; /* timestamptz series: the session zone; NULL for timestamp */
    int step_sign;
    /* unnest: one array per output column */
    int narrays;
    Vector **arrays;
    int64 pos, len;
    const LmType **types;
} SeriesState;

static int128 pow10_128(int n)
{
    int128 m = 1;
    while (n-- > 0)
        m *= 10;
    return m;
}

/* An integer or decimal argument as a value scaled to `scale` decimal places. */
static int128 series_arg(const Vector *v, int scale)
{
    if (v->type->id == TYPE_DECIMAL) {
        int128 x = ((const int128 *)v->data)[0];
        int d = scale - v->type->scale;
        if (d >= 0)
            return x * pow10_128(d);
        return x / pow10_128(-d);
    }
    int64 x;
    switch (v->type->id) {
    case TYPE_INT8:
        x = ((const int8 *)v->data)[0];
        break;
    case TYPE_INT16:
        x = ((const int16 *)v->data)[0];
        break;
    case TYPE_INT32:
        x = ((const int32 *)v->data)[0];
        break;
    case TYPE_INT64:
        x = ((const int64 *)v->data)[0];
        break;
    default:
        ereport(
            ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
            errmsg("function generate_series(%s) does not exist", type_name(v->arena, v->type)));
    }
    return (int128)x * pow10_128(scale);
}

/* timestamp + n * interval, PostgreSQL style: months (day clamped to the month's end), then
 * days, then microseconds (timestamp; timestamptz uses timezone_add_interval). */
static int64 timestamp_add_interval(int64 ts, const Interval *iv, int64 n)
{
    int64 months = (int64)iv->months * n, days = (int64)iv->days * n;
    int128 micros = (int128)iv->micros * n;
    if (months != 0) {
        int64 day = ts >= 0 ? ts / USECS_PER_DAY : -((-ts + USECS_PER_DAY - 1) / USECS_PER_DAY);
        int64 tod = ts - day * USECS_PER_DAY;
        int64 y;
        int m, d;
        date_to_ymd(day, &y, &m, &d);
        int64 total = y * 12 + (m - 1) + months;
        y = total >= 0 ? total / 12 : -((-total + 11) / 12);
        m = (int)(total - y * 12) + 1;
        int dim = date_days_in_month(y, m);
        if (d > dim)
            d = dim;
        ts = date_from_ymd(y, m, d) * USECS_PER_DAY + tod;
    }
    int128 r = (int128)ts + (int128)days * USECS_PER_DAY + micros;
    if (r > INT64_MAX || r < INT64_MIN)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("timestamp out of range"));
    return (int64)r;
}

static void series_open(Operator *op)
{
    SeriesState *st = op->state;
    const PlanNode *p = op->plan;
    const char *fn = p->func_name;
    int nargs = p->nfunc_args;
    Vector *args[FUNC_MAX_ARGS_SCAN];
    if (nargs > FUNC_MAX_ARGS_SCAN)
        nargs = FUNC_MAX_ARGS_SCAN;
    for (int i = 0; i < nargs; i++) {
        args[i] = op_eval_const(op, p->func_args[i], op_state_arena(op));
        if (!vector_is_valid(args[i], 0) && strcmp(fn, "unnest") != 0) {
            st->done = true; /* strict: NULL argument, no rows */
            return;
        }
    }
    if (strcmp(fn, "unnest") == 0) {
        st->kind = SERIES_UNNEST;
        st->narrays = nargs;
        st->arrays = arena_new_array(op_state_arena(op), Vector *, nargs > 0 ? nargs : 1);
        for (int i = 0; i < nargs; i++) {
            if (args[i]->type->id != TYPE_ARRAY)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                        errmsg("function unnest(%s) does not exist",
                               type_name(op->ctx->arena, args[i]->type)),
                        errposition(p->func_args[i]->location + 1));
            st->arrays[i] = args[i];
            if (vector_is_valid(args[i], 0))
                st->len = LM_MAX(st->len, ((const ListEntry *)args[i]->data)[0].length);
        }
        return;
    }
    if (strcmp(fn, "generate_series") != 0 || (nargs != 2 && nargs != 3))
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("function %s in FROM is not supported", fn));
    const LmType *t = p->cols[0].type;
    if (t->id == TYPE_TIMESTAMP || t->id == TYPE_TIMESTAMPTZ) {
        if (nargs != 3 || args[2]->type->id != TYPE_INTERVAL)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                    errmsg("function generate_series(timestamp, timestamp) does not exist"));
        st->kind = SERIES_TIMESTAMP;
        st->start_ts = ((const int64 *)args[0]->data)[0];
        st->stop_ts = ((const int64 *)args[1]->data)[0];
        st->step_iv = ((const Interval *)args[2]->data)[0];
        st->tz = t->id == TYPE_TIMESTAMPTZ ? timezone_session() : NULL;
        int128 total = (int128)st->step_iv.micros + (int128)st->step_iv.days * USECS_PER_DAY +
                       (int128)st->step_iv.months * 30 * USECS_PER_DAY;
        if (total == 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("step size cannot equal zero"));
        st->step_sign = total > 0 ? 1 : -1;
        return;
    }
    int scale = t->id == TYPE_DECIMAL ? t->scale : 0;
    st->kind = t->id == TYPE_DECIMAL ? SERIES_DECIMAL : SERIES_INT;
    if (st->kind == SERIES_INT && t->id != TYPE_INT32 && t->id != TYPE_INT64 && t->id != TYPE_INT16)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("generate_series over %s is not supported", type_name(op->ctx->arena, t)));
    st->cur = series_arg(args[0], scale);
    st->stop = series_arg(args[1], scale);
    st->step = nargs == 3 ? series_arg(args[2], scale) : pow10_128(scale);
    if (st->step == 0)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("step size cannot equal zero"));
}

static ExecEvent series_next(Operator *op)
{
    SeriesState *st = op->state;
    const PlanNode *p = op->plan;
    arena_reset(op->batch_arena);
    if (st->done)
        return exec_event_end();
    Batch *b = batch_create(op->batch_arena, p->ncols, st->types, LM_BATCH_SIZE);
    int n = 0;
    switch (st->kind) {
    case SERIES_INT: {
        int128 cur = st->cur, stop = st->stop, step = st->step;
        Vector *v = &b->cols[0];
        if (v->type->id == TYPE_INT64) {
            int64 *d = v->data;
            if (step > 0)
                for (; n < LM_BATCH_SIZE && cur <= stop; n++, cur += step)
                    d[n] = (int64)cur;
            else
                for (; n < LM_BATCH_SIZE && cur >= stop; n++, cur += step)
                    d[n] = (int64)cur;
        } else if (v->type->id == TYPE_INT32) {
            int32 *d = v->data;
            for (; n < LM_BATCH_SIZE && (step > 0 ? cur <= stop : cur >= stop); n++, cur += step)
                d[n] = (int32)cur;
        } else {
            int16 *d = v->data;
            for (; n < LM_BATCH_SIZE && (step > 0 ? cur <= stop : cur >= stop); n++, cur += step)
                d[n] = (int16)cur;
        }
        st->cur = cur;
        if (n < LM_BATCH_SIZE)
            st->done = true;
        break;
    }
    case SERIES_DECIMAL: {
        int128 *d = b->cols[0].data;
        for (; n < LM_BATCH_SIZE && (st->step > 0 ? st->cur <= st->stop : st->cur >= st->stop);
             n++, st->cur += st->step)
            d[n] = st->cur;
        if (n < LM_BATCH_SIZE)
            st->done = true;
        break;
    }
    case SERIES_TIMESTAMP: {
        int64 *d = b->cols[0].data;
        /* PostgreSQL adds the step to the previous value (so '2024-01-31' + '1 month'
         * steps give 02-29, 03-29, ...), not n * step to the start */
        for (; n < LM_BATCH_SIZE; n++) {
            int64 ts = st->start_ts;
            if (st->step_sign > 0 ? ts > st->stop_ts : ts < st->stop_ts) {
                st->done = true;
                break;
            }
            d[n] = ts;
            /* timestamptz: months and days step the wall time in the session zone */
            st->start_ts = st->tz ? timezone_add_interval(st->tz, ts, &st->step_iv, 1)
                                  : timestamp_add_interval(ts, &st->step_iv, 1);
        }
        break;
    }
    case SERIES_UNNEST: {
        n = (int)LM_MIN(st->len - st->pos, (int64)LM_BATCH_SIZE);
        for (int c = 0; c < st->narrays; c++) {
            const Vector *arr = st->arrays[c];
            Vector *out = &b->cols[c];
            const ListEntry *e =
                vector_is_valid(arr, 0) ? &((const ListEntry *)arr->data)[0] : NULL;
            for (int i = 0; i < n; i++) {
                int64 k = st->pos + i;
                if (e == NULL || k >= e->length)
                    vector_set_null(out, i);
                else
                    vector_copy_value(out, op->batch_arena, i, &arr->children[0],
                                      (int)(e->offset + k));
            }
        }
        st->pos += n;
        if (st->pos >= st->len)
            st->done = true;
        break;
    }
    }
    b->count = n;
    if (n == 0)
        return exec_event_end();
    return exec_event_batch(b);
}

static const OperatorOps series_ops = {"FunctionScan", series_open, series_next, NULL};

void op_function_scan_init(Operator *op)
{
    if (op->plan->func_name && strcmp(op->plan->func_name, "infer_schema") == 0) {
        op_infer_schema_init(op);
        return;
    }
    Arena *a = op_state_arena(op);
    SeriesState *st = arena_new(a, SeriesState);
    st->types = plan_col_types(a, op->plan);
    if (op->plan->ncols < 1)
        elog(ERROR, "function scan without output columns");
    op->state = st;
    op->ops = &series_ops;
}
