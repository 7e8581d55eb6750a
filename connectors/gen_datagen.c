/*
 * gen_datagen.c: rows for any declared schema (connector "datagen").
 *
 * Options: number_of_rows (0: unbounded), rows_per_second (0: as fast as
 * possible; a limit on the whole table, shared by its subtasks), seed, and
 * per column fields.<col>.kind = sequence | random with
 *   sequence: .start (default 0; for dates/timestamps a date/timestamp text)
 *             and .end (inclusive; the table ends when a sequence is
 *             exhausted) — value of row i is start + i (strings: the decimal
 *             text of start + i; dates: start + i days; timestamps: start +
 *             i * step, step = 1 s / rows_per_second, or 1 ms when unlimited)
 *   random:   .min / .max (inclusive; numbers, or date/timestamp texts) and
 *             .length for strings (default 10 lowercase letters).
 * Defaults without fields.<col>.kind: random over the type's range for
 * integers, [0, 1) for floats, random booleans, 10-letter strings, dates in
 * 2024, times of day; timestamps are the generation-time wall clock (a
 * processing-time-like stream) when no seed is given, and deterministic
 * 2024-01-01 00:00:00 + i * step when a seed is given.
 *
 * Determinism: the value of column c in row i is a function of (seed, i, c)
 * (counter-based hashing, gen_util.h) — the same seed gives the same rows
 * whatever the parallelism or batch boundaries.  Without a seed a random one
 * is drawn at open.
 *
 * Splits: subtask k of P produces the rows i with i % P == k (one partition
 * per subtask); its position is the next row number it produces.  Rate
 * limiting is by row number (row i is due at start + i / rows_per_second).
 * Columns are filled one at a time, in a loop over the batch's rows; string
 * bytes go to one buffer per column in the batch's arena.
 */
#include "connectors/builtin.h"
#include "connectors/gen_util.h"
#include "common/datetime.h"
#include "common/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define BASE_TIME_US 1704067200000000LL /* 2024-01-01 00:00:00 UTC */
#define MAX_SLEEP_US 2000
#define MAX_STRING_LENGTH 1048576

typedef enum DgKind { DG_DEFAULT = 0, DG_SEQUENCE, DG_RANDOM } DgKind;

typedef struct DgCol {
    TypeId type;
    DgKind kind;
    int64 start, end; /* sequence; end inclusive */
    bool has_end;
    int64 imin, imax; /* random integers, dates, timestamps (inclusive) */
    double fmin, fmax;
    int length;  /* random strings */
    bool now;    /* timestamps: wall clock */
} DgCol;

typedef struct Datagen {
    uint64 key;
    int64 nrows;  /* rows in the table (INT64_MAX: unbounded) */
    int64 step_us; /* timestamp step per row */
    int subtask, parallelism;
    int64 next; /* next row number of this subtask */
    int ncols;
    DgCol *cols;
    GenRate rate;
    int64 rows[LM_BATCH_SIZE];
} Datagen;

static const char *field_option(ConnectorContext *cc, const char *col, const char *what)
{
    char name[256];
    snprintf(name, sizeof name, "fields.%s.%s", col, what);
    return resolved_get(cc->opts, name);
}

static int64 field_int(ConnectorContext *cc, const char *col, const char *what, int64 dflt)
{
    char name[256];
    snprintf(name, sizeof name, "fields.%s.%s", col, what);
    return gen_option_int(cc->opts, name, dflt, false);
}

static double field_double(ConnectorContext *cc, const char *col, const char *what, double dflt)
{
    const char *v = field_option(cc, col, what);
    if (v == NULL)
        return dflt;
    char *end;
    double x = strtod(v, &end);
    if (end == v || *end != '\0' || !isfinite(x))
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid value for option \"fields.%s.%s\": \"%s\"", col, what, v),
                errdetail("Expected a number."));
    return x;
}

/* A date (days) or timestamp (microseconds) option given as text. */
static int64 field_temporal(ConnectorContext *cc, const char *col, const char *what, TypeId type,
                            int64 dflt)
{
    const char *v = field_option(cc, col, what);
    if (v == NULL)
        return dflt;
    if (type == TYPE_DATE)
        return datetime_parse_date(v, strlen(v));
    if (type == TYPE_TIME)
        return datetime_parse_time(v, strlen(v));
    return datetime_parse_timestamp(v, strlen(v), type == TYPE_TIMESTAMPTZ);
}

static void type_range(TypeId t, int64 *lo, int64 *hi)
{
    switch (t) {
    case TYPE_INT8:
        *lo = INT8_MIN, *hi = INT8_MAX;
        break;
    case TYPE_INT16:
        *lo = INT16_MIN, *hi = INT16_MAX;
        break;
    case TYPE_INT32:
        *lo = INT32_MIN, *hi = INT32_MAX;
        break;
    default:
        *lo = INT64_MIN, *hi = INT64_MAX;
        break;
    }
}

static void configure_column(ConnectorContext *cc, Datagen *g, int c)
{
    const CatColumn *col = &cc->table->columns[c];
    DgCol *d = &g->cols[c];
    const char *kind = field_option(cc, col->name, "kind");

    d->type = col->type->id;
    if (kind == NULL)
        d->kind = DG_DEFAULT;
    else if (strcasecmp(kind, "sequence") == 0)
        d->kind = DG_SEQUENCE;
    else if (strcasecmp(kind, "random") == 0)
        d->kind = DG_RANDOM;
    else
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid value for option \"fields.%s.kind\": \"%s\"", col->name, kind),
                errdetail("Expected sequence or random."));

    switch (d->type) {
    case TYPE_BOOL:
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64:
    case TYPE_STRING:
        type_range(d->type == TYPE_STRING ? TYPE_INT64 : d->type, &d->imin, &d->imax);
        if (d->type == TYPE_BOOL)
            d->imin = 0, d->imax = 1;
        d->start = field_int(cc, col->name, "start", 0);
        d->has_end = field_option(cc, col->name, "end") != NULL;
        d->end = field_int(cc, col->name, "end", d->imax);
        d->imin = field_int(cc, col->name, "min", d->imin);
        d->imax = field_int(cc, col->name, "max", d->imax);
        break;
    case TYPE_FLOAT32:
    case TYPE_FLOAT64:
        d->start = field_int(cc, col->name, "start", 0);
        d->has_end = field_option(cc, col->name, "end") != NULL;
        d->end = field_int(cc, col->name, "end", INT64_MAX);
        d->fmin = field_double(cc, col->name, "min", 0.0);
        d->fmax = field_double(cc, col->name, "max", 1.0);
        if (d->fmax < d->fmin)
            goto bad_range;
        break;
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: {
        int64 lo, hi;
        if (d->type == TYPE_DATE)
            lo = date_from_ymd(2024, 1, 1), hi = date_from_ymd(2024, 12, 31);
        else if (d->type == TYPE_TIME)
            lo = 0, hi = USECS_PER_HOUR * 24 - 1;
        else
            lo = BASE_TIME_US, hi = BASE_TIME_US + USECS_PER_HOUR * 24 * 366 - 1;
        d->start = field_temporal(cc, col->name, "start", d->type, lo);
        d->has_end = field_option(cc, col->name, "end") != NULL;
        d->end = field_temporal(cc, col->name, "end", d->type, INT64_MAX);
        d->imin = field_temporal(cc, col->name, "min", d->type, lo);
        d->imax = field_temporal(cc, col->name, "max", d->type, hi);
        if ((d->type == TYPE_TIMESTAMP || d->type == TYPE_TIMESTAMPTZ) && d->kind == DG_DEFAULT) {
            if (resolved_get(cc->opts, "seed") == NULL)
                d->now = true;
            else
                d->kind = DG_SEQUENCE, d->start = BASE_TIME_US;
        }
        break;
    }
    default:
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("datagen cannot generate column \"%s\" of type %s", col->name,
                       type_name(cc->arena, col->type)));
    }
    if (d->imax < d->imin) {
    bad_range:
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("option \"fields.%s.max\" is less than \"fields.%s.min\"", col->name,
                       col->name));
    }
    d->length = (int)field_int(cc, col->name, "length", 10);
    if (d->length < 0 || d->length > MAX_STRING_LENGTH)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("option \"fields.%s.length\" must be between 0 and %d", col->name,
                       MAX_STRING_LENGTH));
    if (d->kind == DG_SEQUENCE && d->has_end) {
        if (d->end < d->start)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("option \"fields.%s.end\" is less than \"fields.%s.start\"", col->name,
                           col->name));
        /* The table ends with its shortest bounded sequence. */
        int64 span = d->type == TYPE_TIMESTAMP || d->type == TYPE_TIMESTAMPTZ
                         ? (d->end - d->start) / g->step_us + 1
                         : d->end - d->start + 1;
        if (span > 0 && span < g->nrows)
            g->nrows = span;
    }
}

static void *datagen_open(ConnectorContext *cc, const char *position, size_t position_len)
{
    Datagen *g = arena_new(cc->arena, Datagen);
    const char *seed = resolved_get(cc->opts, "seed");
    uint64 s;
    if (seed)
        s = (uint64)gen_option_int(cc->opts, "seed", 0, false);
    else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        s = gen_mix64((uint64)ts.tv_nsec ^ ((uint64)ts.tv_sec << 20) ^ (uint64)(uintptr_t)g);
    }
    g->key = gen_mix64(s ^ 0x64617461676e6ULL);
    g->nrows = gen_option_int(cc->opts, "number_of_rows", 0, true);
    if (g->nrows == 0)
        g->nrows = INT64_MAX;
    int64 rps = gen_option_int(cc->opts, "rows_per_second", 0, true);
    g->step_us = rps > 0 ? (1000000 / rps > 0 ? 1000000 / rps : 1) : 1000;
    g->subtask = cc->subtask;
    g->parallelism = cc->parallelism > 0 ? cc->parallelism : 1;
    g->ncols = cc->table->ncolumns;
    g->cols = arena_alloc0(cc->arena, sizeof(DgCol) * (size_t)(g->ncols ? g->ncols : 1));
    for (int c = 0; c < g->ncols; c++)
        configure_column(cc, g, c);
    g->next = g->subtask;
    if (position != NULL && position_len > 0)
        g->next = gen_position_read("datagen", position, position_len, g->parallelism,
                                    g->subtask);
    gen_rate_init(&g->rate, rps, g->next);
    return g;
}

static void fill_strings(const Datagen *g, const DgCol *d, int field, Vector *v, Arena *a,
                         int n)
{
    StrView *out = v->data;
    if (d->kind == DG_SEQUENCE) {
        char *buf = arena_alloc(a, (size_t)n * 21);
        for (int i = 0; i < n; i++) {
            int len = snprintf(buf, 21, "%lld", (long long)(d->start + g->rows[i]));
            out[i] = (StrView){(uint32)len, 0, buf};
            buf += len;
        }
        return;
    }
    char *buf = arena_alloc(a, (size_t)n * (size_t)d->length + 1);
    for (int i = 0; i < n; i++) {
        uint64 r = 0;
        for (int k = 0; k < d->length; k++) {
            if ((k & 7) == 0)
                r = gen_rand(g->key, g->rows[i], field * 4096 + k / 8 + 1);
            buf[k] = (char)('a' + gen_bounded((uint32)(r & 0xFF) << 24, 26));
            r >>= 8;
        }
        out[i] = (StrView){(uint32)d->length, 0, buf};
        buf += d->length;
    }
}

/* Uniform integer in [lo, hi]. */
static inline int64 rand_range(uint64 r, int64 lo, int64 hi)
{
    uint64 span = (uint64)hi - (uint64)lo + 1;
    return span == 0 ? (int64)r : (int64)((uint64)lo + r % span);
}

static void fill_column(Datagen *g, int c, Vector *v, Arena *a, int n)
{
    const DgCol *d = &g->cols[c];
    bool seq = d->kind == DG_SEQUENCE;
    v->validity = NULL;
    switch (d->type) {
    case TYPE_BOOL: {
        uint8 *o = v->data;
        for (int i = 0; i < n; i++)
            o[i] = seq ? ((d->start + g->rows[i]) & 1) != 0 : (gen_rand(g->key, g->rows[i], c) & 1);
        break;
    }
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64: {
        for (int i = 0; i < n; i++) {
            int64 x = seq ? d->start + g->rows[i]
                          : rand_range(gen_rand(g->key, g->rows[i], c), d->imin, d->imax);
            switch (d->type) {
            case TYPE_INT8:
                ((int8 *)v->data)[i] = (int8)x;
                break;
            case TYPE_INT16:
                ((int16 *)v->data)[i] = (int16)x;
                break;
            case TYPE_INT32:
                ((int32 *)v->data)[i] = (int32)x;
                break;
            default:
                ((int64 *)v->data)[i] = x;
                break;
            }
        }
        break;
    }
    case TYPE_FLOAT32:
    case TYPE_FLOAT64:
        for (int i = 0; i < n; i++) {
            double x = seq ? (double)(d->start + g->rows[i])
                           : d->fmin + gen_unit(gen_rand(g->key, g->rows[i], c)) *
                                           (d->fmax - d->fmin);
            if (d->type == TYPE_FLOAT32)
                ((float *)v->data)[i] = (float)x;
            else
                ((double *)v->data)[i] = x;
        }
        break;
    case TYPE_STRING:
        fill_strings(g, d, c, v, a, n);
        break;
    case TYPE_DATE:
        for (int i = 0; i < n; i++)
            ((int32 *)v->data)[i] =
                (int32)(seq ? d->start + g->rows[i]
                            : rand_range(gen_rand(g->key, g->rows[i], c), d->imin, d->imax));
        break;
    case TYPE_TIME:
        for (int i = 0; i < n; i++)
            ((int64 *)v->data)[i] =
                seq ? (d->start + g->rows[i]) % (USECS_PER_HOUR * 24)
                    : rand_range(gen_rand(g->key, g->rows[i], c), d->imin, d->imax);
        break;
    default: { /* TIMESTAMP, TIMESTAMPTZ */
        int64 now = d->now ? datetime_now_micros() : 0;
        for (int i = 0; i < n; i++)
            ((int64 *)v->data)[i] =
                d->now ? now
                : seq  ? d->start + g->rows[i] * g->step_us
                       : rand_range(gen_rand(g->key, g->rows[i], c), d->imin, d->imax);
        break;
    }
    }
}

static SourceStatus datagen_poll(void *st, Batch *out, int *partition)
{
    Datagen *g = st;
    *partition = 0;
    out->count = 0;
    if (g->next >= g->nrows)
        return SOURCE_END;
    int64 limit = gen_rate_limit(&g->rate, g->next, MAX_SLEEP_US);
    if (limit > g->nrows)
        limit = g->nrows;
    int n = 0;
    while (n < LM_BATCH_SIZE && g->next < limit) {
        g->rows[n++] = g->next;
        g->next += g->parallelism;
    }
    if (n == 0)
        return SOURCE_IDLE;
    for (int c = 0; c < g->ncols && c < out->ncols; c++)
        fill_column(g, c, &out->cols[c], out->arena, n);
    out->count = n;
    out->sel = NULL;
    out->nsel = 0;
    out->ops = NULL;
    return SOURCE_DATA;
}

static int datagen_partitions(void *st)
{
    (void)st;
    return 1;
}

static void datagen_position(void *st, StrBuf *out)
{
    Datagen *g = st;
    gen_position_write(out, "datagen", g->parallelism, g->subtask, g->next);
}

static int64 datagen_lag(void *st, int partition)
{
    (void)st;
    (void)partition;
    return -1;
}

static void datagen_close(void *st)
{
    (void)st;
}

const SourceOps datagen_source_ops = {
    .open = datagen_open,
    .poll = datagen_poll,
    .partitions = datagen_partitions,
    .position = datagen_position,
    .lag = datagen_lag,
    .close = datagen_close,
};
