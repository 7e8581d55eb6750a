/*
 * stream_op_agg.c: the non-windowed aggregate of pipelines
 * (STREAM_OP_CHANGELOG_AGGREGATE): GROUP BY without a window, whose result
 * changes as rows arrive, emitted as a changelog that upsert sinks apply by
 * key.
 *
 * Groups live in one hash table (dense group ids) with their aggregate
 * states.  After each input batch, every group the batch touched is
 * emitted: INSERT the first time; UPDATE_BEFORE (the values emitted last
 * time) + UPDATE_AFTER when its result changed (an unchanged result emits
 * nothing); DELETE when retractions bring its row count to zero.  Without
 * GROUP BY there is one row, as in bounded queries: it is never deleted
 * (retracting every row updates it to count 0) and an input that ends
 * without any row emits it once (count 0, other aggregates NULL).
 *
 * Two ways to keep states:
 *   - append-only input: AggDesc states through agg_set.h (every aggregate
 *     the bounded engine has, except array_agg/json_agg and DISTINCT/ORDER BY
 *     in a call); the "before" values are finalised from the state just
 *     before the batch is folded in.
 *   - changelog input (DELETE / UPDATE_BEFORE rows retract): retractable
 *     states of our own — count(*), count(x), sum and avg of integers,
 *     numerics and floats keep (sum, count) and subtract; min and max keep
 *     the multiset of values per group (a sorted array of value → count) so
 *     that removing the current minimum finds the next one.  Results are
 *     computed with the same types and rounding as the aggregates in agg.c
 *     (the binder's result types; avg rounds half away from zero at the
 *     result scale).  Other aggregates over a changelog raise 0A000.
 *     A retraction of a row the group never had is ignored.
 * Per row the retractable path does plain arithmetic in a loop over the
 * batch, one loop per aggregate, no calls per row.
 *
 * Known limit: the hash table cannot delete, so a group whose count reached
 * zero keeps its key (and state slot) until the next restore.
 * Snapshot (full the first time and after a restore, then incremental: the
 * groups changed since the last one): one entry per live group: key 'G' +
 * group id, value = GROUP BY values, emitted flag, row count, states.
 */
#include "executor/stream_op_int.h"
#include "executor/hashtable.h"
#include "common/errcodes.h"
#include "common/numeric.h"

#include <string.h>

typedef enum RKind {
    RK_COUNT_STAR = 0,
    RK_COUNT,
    RK_SUM,
    RK_AVG,
    RK_MIN,
    RK_MAX,
} RKind;

typedef struct RLinear {
    int128 isum;
    double fsum;
    int64 n; /* non-NULL values */
} RLinear;

typedef struct MEntry {
    int128 key;
    int64 count;
} MEntry;

typedef struct MSet {
    uint32 n, cap;
    MEntry *e; /* sorted by key; lm_malloc'd */
} MSet;

typedef struct RAgg {
    RKind kind;
    TypeId arg; /* argument type id */
    int arg_scale;
    bool floating;
    ExprState *arg_expr; /* NULL: column arg_col */
    int arg_col;
    ExprState *filter;
    RLinear *lin; /* per group (count/sum/avg) */
    MSet *set;    /* per group (min/max) */
} RAgg;

typedef struct CAggState {
    bool retract;
    AggSet aggs;      /* append-only */
    AggStates states; /* append-only */
    int nr;
    RAgg *r; /* retractable */
    int ngroups;
    ExprState **groups;
    const LmType **key_types;
    const LmType **agg_types;
    HashTable *ht; /* NULL without GROUP BY: one group 0 */
    uint32 ngids;  /* groups known (ht count, or 1) */
    uint32 cap;
    uint8 *emitted;
    int64 *rows;     /* live rows per group (retractable) */
    uint32 *touched; /* batch number per group */
    uint8 *dirty;    /* changed since the last snapshot */
    uint32 *vsnap;   /* per aggregate: DISTINCT entries already in the state */
    bool state_synced; /* the stored state matches the groups as of the last snapshot */
    uint32 batch_no;
    bool emitted_empty; /* no GROUP BY: the END row was handled */
    Outbox out;
    Arena *scratch;
    uint32 gids[LM_BATCH_SIZE];
    int8 sign[LM_BATCH_SIZE];
    uint16 sel[LM_BATCH_SIZE];
    int64 bytes;
} CAggState;

/* ---------------------------------------------------------------- retractable kernels */

static int128 float_key(double d)
{
    uint64 u;
    if (d == 0)
        d = 0; /* -0 and 0 are one value */
    memcpy(&u, &d, 8);
    u = (u >> 63) ? ~u : u ^ ((uint64)1 << 63);
    return (int128)u;
}

static double key_float(int128 k)
{
    uint64 u = (uint64)k;
    u = (u >> 63) ? u ^ ((uint64)1 << 63) : ~u;
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static int128 load_key(const RAgg *ra, const Vector *v, int r)
{
    switch (ra->arg) {
    case TYPE_INT8: return ((const int8 *)v->data)[r];
    case TYPE_INT16: return ((const int16 *)v->data)[r];
    case TYPE_INT32:
    case TYPE_DATE: return ((const int32 *)v->data)[r];
    case TYPE_INT64:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: return ((const int64 *)v->data)[r];
    case TYPE_OID: return ((const uint32 *)v->data)[r];
    case TYPE_DECIMAL: return ((const int128 *)v->data)[r];
    case TYPE_FLOAT32: return float_key(((const float *)v->data)[r]);
    case TYPE_FLOAT64: return float_key(((const double *)v->data)[r]);
    default: return 0;
    }
}

static void mset_add(MSet *s, int128 k, int64 d)
{
    uint32 lo = 0, hi = s->n;
    while (lo < hi) {
        uint32 mid = (lo + hi) / 2;
        if (s->e[mid].key < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n && s->e[lo].key == k) {
        s->e[lo].count += d;
        if (s->e[lo].count <= 0) {
            memmove(s->e + lo, s->e + lo + 1, sizeof(MEntry) * (s->n - lo - 1));
            s->n--;
        }
        return;
    }
    if (d <= 0)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->e = lm_realloc(s->e, sizeof(MEntry) * s->cap);
    }
    memmove(s->e + lo + 1, s->e + lo, sizeof(MEntry) * (s->n - lo));
    memset(&s->e[lo], 0, sizeof(MEntry)); /* padding too: snapshots copy entries as bytes */
    s->e[lo].key = k;
    s->e[lo].count = d;
    s->n++;
}

/* Rounds x / y to k more decimal digits, half away from zero (as agg.c's avg). */
static int128 div_scaled(int128 x, int64 y, int k)
{
    bool neg = x < 0;
    unsigned __int128 ux = neg ? -(unsigned __int128)x : (unsigned __int128)x;
    unsigned __int128 uy = (unsigned __int128)y;
    unsigned __int128 q = ux / uy, rem = ux % uy;
    const unsigned __int128 max = ((unsigned __int128)1 << 127) - 1;
    for (int i = 0; i < k; i++) {
        if (q > max / 10)
            ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                    errmsg("value overflows numeric format"));
        rem *= 10;
        q = q * 10 + rem / uy;
        rem %= uy;
    }
    if (rem >= uy - rem)
        q++;
    return neg ? -(int128)q : (int128)q;
}

static void r_update(RAgg *ra, const Vector *v, const Batch *b, const uint16 *sel, int n,
                     const uint32 *gids, const int8 *sign)
{
    for (int i = 0; i < n; i++) {
        int r = sel[i];
        uint32 g = gids[r];
        int s = sign[r];
        if (s == 0)
            continue;
        if (ra->kind == RK_COUNT_STAR) {
            ra->lin[g].n += s;
            continue;
        }
        if (!vector_is_valid(v, r))
            continue;
        switch (ra->kind) {
        case RK_COUNT:
            ra->lin[g].n += s;
            break;
        case RK_SUM:
        case RK_AVG:
            if (ra->floating)
                ra->lin[g].fsum += s * (ra->arg == TYPE_FLOAT32 ? (double)((const float *)v->data)[r]
                                                                : ((const double *)v->data)[r]);
            else if (__builtin_add_overflow(ra->lin[g].isum, s * load_key(ra, v, r),
                                            &ra->lin[g].isum))
                ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                        errmsg("value overflows numeric format"));
            ra->lin[g].n += s;
            break;
        default:
            mset_add(&ra->set[g], load_key(ra, v, r), s);
            break;
        }
    }
    (void)b;
}

static void r_finalize(const RAgg *ra, uint32 g, Vector *out, int row)
{
    switch (ra->kind) {
    case RK_COUNT_STAR:
    case RK_COUNT:
        ((int64 *)out->data)[row] = ra->lin[g].n;
        vector_set_valid(out, row);
        return;
    case RK_SUM:
    case RK_AVG: {
        const RLinear *l = &ra->lin[g];
        if (l->n <= 0) {
            vector_set_null(out, row);
            return;
        }
        vector_set_valid(out, row);
        if (ra->floating) {
            double v = ra->kind == RK_SUM ? l->fsum : l->fsum / (double)l->n;
            if (out->type->id == TYPE_FLOAT32)
                ((float *)out->data)[row] = (float)v;
            else
                ((double *)out->data)[row] = v;
            return;
        }
        if (ra->kind == RK_SUM) {
            if (out->type->id == TYPE_INT64) {
                if (l->isum > INT64_MAX || l->isum < INT64_MIN)
                    ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                            errmsg("bigint out of range"));
                ((int64 *)out->data)[row] = (int64)l->isum;
            } else {
                ((int128 *)out->data)[row] = l->isum;
            }
            return;
        }
        int128 v = div_scaled(l->isum, l->n, out->type->scale - ra->arg_scale);
        ((int128 *)out->data)[row] = v;
        return;
    }
    default: {
        const MSet *s = &ra->set[g];
        if (s->n == 0) {
            vector_set_null(out, row);
            return;
        }
        int128 k = ra->kind == RK_MIN ? s->e[0].key : s->e[s->n - 1].key;
        vector_set_valid(out, row);
        switch (out->type->id) {
        case TYPE_INT8: ((int8 *)out->data)[row] = (int8)k; break;
        case TYPE_INT16: ((int16 *)out->data)[row] = (int16)k; break;
        case TYPE_INT32:
        case TYPE_DATE: ((int32 *)out->data)[row] = (int32)k; break;
        case TYPE_INT64:
        case TYPE_TIME:
        case TYPE_TIMESTAMP:
        case TYPE_TIMESTAMPTZ: ((int64 *)out->data)[row] = (int64)k; break;
        case TYPE_OID: ((uint32 *)out->data)[row] = (uint32)k; break;
        case TYPE_DECIMAL: ((int128 *)out->data)[row] = k; break;
        case TYPE_FLOAT32: ((float *)out->data)[row] = (float)key_float(k); break;
        case TYPE_FLOAT64: ((double *)out->data)[row] = key_float(k); break;
        default: vector_set_null(out, row); break;
        }
        return;
    }
    }
}

static void r_init(Operator *op, RAgg *ra, const AggCall *c)
{
    const char *name = c->agg->name;
    bool ok = false;
    if (c->distinct || c->norder > 0)
        ok = false;
    else if (strcmp(name, "count") == 0) {
        ra->kind = c->nargs == 0 ? RK_COUNT_STAR : RK_COUNT;
        ok = true;
    } else if (c->nargs == 1) {
        TypeId t = c->args[0]->type->id;
        ra->arg = t;
        ra->arg_scale = t == TYPE_DECIMAL ? c->args[0]->type->scale : 0;
        ra->floating = t == TYPE_FLOAT32 || t == TYPE_FLOAT64;
        bool numeric = t == TYPE_INT8 || t == TYPE_INT16 || t == TYPE_INT32 || t == TYPE_INT64 ||
                       t == TYPE_DECIMAL || ra->floating;
        bool ordered = numeric || t == TYPE_DATE || t == TYPE_TIME || t == TYPE_TIMESTAMP ||
                       t == TYPE_TIMESTAMPTZ || t == TYPE_OID;
        if (strcmp(name, "sum") == 0 && numeric) {
            ra->kind = RK_SUM;
            ok = true;
        } else if (strcmp(name, "avg") == 0 && numeric) {
            ra->kind = RK_AVG;
            ok = true;
        } else if (strcmp(name, "min") == 0 && ordered) {
            ra->kind = RK_MIN;
            ok = true;
        } else if (strcmp(name, "max") == 0 && ordered) {
            ra->kind = RK_MAX;
            ok = true;
        }
    }
    if (!ok)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("aggregate %s() over a changelog input is not supported in pipelines",
                       name),
                errdetail("Over updates and deletes, pipelines support count, sum and avg of "
                          "numbers, and min and max of numbers, dates and times."));
    if (c->nargs > 0) {
        if (c->args[0]->kind == EXPR_COLUMN && c->args[0]->levels_up == 0)
            ra->arg_col = c->args[0]->index;
        else
            ra->arg_expr = op_expr_init(op, c->args[0]);
    }
    if (c->filter)
        ra->filter = op_expr_init(op, c->filter);
}

/* ---------------------------------------------------------------- groups */

static void reserve_groups(CAggState *st, uint32 n)
{
    if (!st->retract)
        aggstates_reserve(&st->aggs, &st->states, n);
    if (n <= st->cap)
        return;
    uint32 ncap = st->cap ? st->cap * 2 : 64;
    while (ncap < n)
        ncap *= 2;
    st->emitted = lm_realloc(st->emitted, ncap);
    memset(st->emitted + st->cap, 0, ncap - st->cap);
    st->rows = lm_realloc(st->rows, sizeof(int64) * ncap);
    memset(st->rows + st->cap, 0, sizeof(int64) * (ncap - st->cap));
    st->touched = lm_realloc(st->touched, sizeof(uint32) * ncap);
    memset(st->touched + st->cap, 0xff, sizeof(uint32) * (ncap - st->cap));
    st->dirty = lm_realloc(st->dirty, ncap);
    memset(st->dirty + st->cap, 0, ncap - st->cap);
    for (int a = 0; a < st->nr; a++) {
        RAgg *ra = &st->r[a];
        if (ra->kind == RK_MIN || ra->kind == RK_MAX) {
            ra->set = lm_realloc(ra->set, sizeof(MSet) * ncap);
            memset(ra->set + st->cap, 0, sizeof(MSet) * (ncap - st->cap));
        } else {
            ra->lin = lm_realloc(ra->lin, sizeof(RLinear) * ncap);
            memset(ra->lin + st->cap, 0, sizeof(RLinear) * (ncap - st->cap));
        }
    }
    st->cap = ncap;
}

static void reset_group(CAggState *st, uint32 g)
{
    if (!st->retract) {
        aggstates_reset(&st->aggs, &st->states, g);
        return;
    }
    for (int a = 0; a < st->nr; a++) {
        RAgg *ra = &st->r[a];
        if (ra->set) {
            lm_free(ra->set[g].e);
            memset(&ra->set[g], 0, sizeof(MSet));
        } else {
            memset(&ra->lin[g], 0, sizeof(RLinear));
        }
    }
}

static void finalize_group(CAggState *st, uint32 g, Vector *out, int row)
{
    if (!st->retract) {
        aggset_finalize(&st->aggs, &st->states, g, out, row);
        return;
    }
    for (int a = 0; a < st->nr; a++)
        r_finalize(&st->r[a], g, &out[a], row);
}

static void emit_keys(CAggState *st, uint32 g, Batch *out, int row)
{
    if (st->ngroups == 0)
        return;
    int krow;
    const Batch *kb = rowset_batch_of(hashtable_keys(st->ht), g, &krow);
    for (int c = 0; c < st->ngroups; c++)
        vector_copy_value(&out->cols[c], out->arena, row, &kb->cols[c], krow);
}

static void emit_values(CAggState *st, Batch *out, int row, const Vector *vals, int vrow)
{
    int na = st->retract ? st->nr : st->aggs.naggs;
    for (int a = 0; a < na; a++)
        vector_copy_value(&out->cols[st->ngroups + a], out->arena, row, &vals[a], vrow);
}

static bool same_values(const Batch *x, int rx, const Batch *y, int ry, int n)
{
    for (int a = 0; a < n; a++) {
        bool vx = vector_is_valid(&x->cols[a], rx), vy = vector_is_valid(&y->cols[a], ry);
        if (vx != vy)
            return false;
        if (vx && value_compare(&x->cols[a], rx, &y->cols[a], ry) != 0)
            return false;
    }
    return true;
}

static void account(Operator *op, CAggState *st)
{
    int64 per = 1 + 8 + 4 + (int64)(st->retract ? st->nr * (int)sizeof(RLinear) : (int)st->aggs.state_bytes);
    int64 now = (int64)st->cap * per + (int64)arena_bytes(op_state_arena(op));
    sop_account(op, now - st->bytes);
    st->bytes = now;
    sop_state_bytes(op, now);
}

/* ---------------------------------------------------------------- input */

static void consume_batch(Operator *op, CAggState *st, Batch *in)
{
    const PlanNode *p = op->plan;
    int live = batch_live_count(in);
    if (!st->retract && in->ops)
        for (int i = 0; i < live; i++) {
            uint8 o = in->ops[batch_row(in, i)];
            if (o == ROW_DELETE || o == ROW_UPDATE_BEFORE)
                elog(ERROR, "changelog row reached an aggregate planned for append-only input");
        }
    if (st->ngroups > 0) {
        Vector *keys[64];
        for (int i = 0; i < st->ngroups; i++)
            keys[i] =
                st->groups[i] ? expr_eval(st->groups[i], in) : &in->cols[p->groups[i]->index];
        hashtable_find_or_insert(st->ht, keys, in, st->gids);
        st->ngids = hashtable_count(st->ht);
    } else {
        for (int i = 0; i < live; i++)
            st->gids[batch_row(in, i)] = 0;
        st->ngids = 1;
    }
    reserve_groups(st, st->ngids);
    st->batch_no++;
    /* touched groups, in first-touch order */
    uint32 *touched = arena_alloc(op->batch_arena, sizeof(uint32) * LM_BATCH_SIZE);
    int nt = 0;
    for (int i = 0; i < live; i++) {
        uint32 g = st->gids[batch_row(in, i)];
        if (st->touched[g] != st->batch_no) {
            st->touched[g] = st->batch_no;
            st->dirty[g] = 1;
            touched[nt++] = g;
        }
    }
    int na = st->retract ? st->nr : st->aggs.naggs;
    const LmType **at = st->agg_types;
    Batch *before = batch_create(op->batch_arena, na, at, LM_BATCH_SIZE);
    for (int i = 0; i < nt; i++)
        if (st->emitted[touched[i]])
            finalize_group(st, touched[i], before->cols, i);
    if (!st->retract) {
        for (int i = 0; i < live; i++)
            st->rows[st->gids[batch_row(in, i)]]++;
        aggset_update(&st->aggs, in, st->gids, &st->states);
    } else {
        /* signs in row order; a retraction the group cannot have is ignored */
        for (int i = 0; i < live; i++) {
            int r = batch_row(in, i);
            uint32 g = st->gids[r];
            bool minus = in->ops && (in->ops[r] == ROW_DELETE || in->ops[r] == ROW_UPDATE_BEFORE);
            if (minus && st->rows[g] <= 0) {
                st->sign[r] = 0;
                continue;
            }
            st->sign[r] = minus ? -1 : 1;
            st->rows[g] += st->sign[r];
        }
        for (int a = 0; a < st->nr; a++) {
            RAgg *ra = &st->r[a];
            int n;
            if (ra->filter) {
                n = expr_filter(ra->filter, in, st->sel);
            } else {
                n = live;
                for (int i = 0; i < n; i++)
                    st->sel[i] = (uint16)batch_row(in, i);
            }
            if (n == 0)
                continue;
            const Vector *v = NULL;
            if (ra->kind != RK_COUNT_STAR) {
                Batch view = *in;
                view.sel = st->sel;
                view.nsel = n;
                v = ra->arg_expr ? expr_eval(ra->arg_expr, &view) : &in->cols[ra->arg_col];
            }
            r_update(ra, v, in, st->sel, n, st->gids, st->sign);
        }
    }
    /* the changelog */
    Batch *after = batch_create(op->batch_arena, na, at, LM_BATCH_SIZE);
    for (int i = 0; i < nt; i++) {
        uint32 g = touched[i];
        int row;
        Batch *o;
        if (st->rows[g] <= 0 && st->ngroups > 0) {
            if (st->emitted[g]) {
                o = outbox_add_row(&st->out, ROW_DELETE, &row);
                emit_keys(st, g, o, row);
                emit_values(st, o, row, before->cols, i);
                st->emitted[g] = 0;
            }
            reset_group(st, g);
            st->rows[g] = 0;
            continue;
        }
        finalize_group(st, g, after->cols, i);
        if (st->emitted[g]) {
            if (same_values(before, i, after, i, na))
                continue;
            o = outbox_add_row(&st->out, ROW_UPDATE_BEFORE, &row);
            emit_keys(st, g, o, row);
            emit_values(st, o, row, before->cols, i);
            o = outbox_add_row(&st->out, ROW_UPDATE_AFTER, &row);
        } else {
            o = outbox_add_row(&st->out, ROW_INSERT, &row);
            st->emitted[g] = 1;
        }
        emit_keys(st, g, o, row);
        emit_values(st, o, row, after->cols, i);
    }
    account(op, st);
}

static ExecEvent cagg_next(Operator *op)
{
    CAggState *st = op->state;
    ExecEvent ev;
    for (;;) {
        if (outbox_next(&st->out, &ev))
            return ev;
        arena_reset(op->batch_arena);
        ev = exec_next(op->children[0]);
        if (ev.kind == EXEC_END && st->ngroups == 0 && !st->emitted_empty) {
            /* an aggregate without GROUP BY has one row even for no input (count 0) */
            st->emitted_empty = true;
            reserve_groups(st, 1);
            if (!st->emitted[0]) {
                int row;
                Batch *o = outbox_add_row(&st->out, ROW_INSERT, &row);
                finalize_group(st, 0, &o->cols[0], row);
                st->emitted[0] = 1;
                st->dirty[0] = 1;
            }
            outbox_set_event(&st->out, ev);
            continue;
        }
        if (ev.kind != EXEC_BATCH)
            return ev;
        if (batch_live_count(ev.batch) > 0)
            consume_batch(op, st, ev.batch);
    }
}

static void cagg_close(Operator *op)
{
    CAggState *st = op->state;
    for (int a = 0; a < st->nr; a++) {
        RAgg *ra = &st->r[a];
        if (ra->set)
            for (uint32 g = 0; g < st->cap; g++)
                lm_free(ra->set[g].e);
        lm_free(ra->set);
        lm_free(ra->lin);
        ra->set = NULL;
        ra->lin = NULL;
    }
    lm_free(st->emitted);
    lm_free(st->rows);
    lm_free(st->touched);
    lm_free(st->dirty);
    st->dirty = NULL;
    st->emitted = NULL;
    st->rows = NULL;
    st->touched = NULL;
    st->cap = 0;
    sop_account(op, -st->bytes);
    st->bytes = 0;
}

/* ---------------------------------------------------------------- state */

static void save_group(CAggState *st, uint32 g, StrBuf *v)
{
    if (!st->retract) {
        aggset_save(&st->aggs, &st->states, g, v, st->scratch);
        return;
    }
    for (int a = 0; a < st->nr; a++) {
        RAgg *ra = &st->r[a];
        if (ra->set) {
            codec_put_u32(v, ra->set[g].n);
            strbuf_append(v, ra->set[g].e, sizeof(MEntry) * ra->set[g].n);
        } else {
            strbuf_append(v, &ra->lin[g], sizeof(RLinear));
        }
    }
}

static void load_group(CAggState *st, uint32 g, const char **p, const char *end)
{
    if (!st->retract) {
        aggset_load(&st->aggs, &st->states, g, p, end, st->scratch);
        return;
    }
    for (int a = 0; a < st->nr; a++) {
        RAgg *ra = &st->r[a];
        if (ra->set) {
            uint32 n = codec_get_u32(p, end);
            if ((size_t)(end - *p) / sizeof(MEntry) < n)
                codec_corrupt();
            MSet *s = &ra->set[g];
            s->e = lm_realloc(s->e, sizeof(MEntry) * (n ? n : 1));
            memcpy(s->e, *p, sizeof(MEntry) * n);
            s->n = s->cap = n ? n : 1;
            s->n = n;
            *p += sizeof(MEntry) * n;
        } else {
            if ((size_t)(end - *p) < sizeof(RLinear))
                codec_corrupt();
            memcpy(&ra->lin[g], *p, sizeof(RLinear));
            *p += sizeof(RLinear);
        }
    }
}

/*
 * Incremental after the first: every snapshot batch commits in order (or the process dies and
 * restores), so once a full snapshot was written only the groups changed since (dirty) are
 * rewritten, and groups that went away are deleted.  A restore renumbers groups, so the first
 * snapshot after it is full again (over a cleared state).
 */
static void cagg_snapshot(Operator *op, StateWriter *w)
{
    CAggState *st = op->state;
    bool full = !st->state_synced;
    if (full)
        state_clear(w);
    StrBuf k, v;
    strbuf_init(&k, NULL);
    strbuf_init(&v, NULL);
    const RowSet *keys = st->ht ? hashtable_keys(st->ht) : NULL;
    for (uint32 g = 0; g < st->ngids; g++) {
        if (!full && !st->dirty[g])
            continue;
        st->dirty[g] = 0;
        if (st->rows[g] <= 0 && !st->emitted[g]) {
            if (!full) {
                strbuf_reset(&k);
                strbuf_append_char(&k, 'G');
                codec_put_u32(&k, g);
                state_delete(w, k.data, k.len);
            }
            continue;
        }
        arena_reset(st->scratch);
        strbuf_reset(&k);
        strbuf_reset(&v);
        strbuf_append_char(&k, 'G');
        codec_put_u32(&k, g);
        if (keys) {
            int krow;
            const Batch *kb = rowset_batch_of(keys, g, &krow);
            rowcodec_put(&v, kb, krow, st->ngroups, NULL);
        }
        strbuf_append_char(&v, st->emitted[g] ? 1 : 0);
        codec_put_i64(&v, st->rows[g]);
        save_group(st, g, &v);
        state_put(w, k.data, k.len, v.data, v.len);
    }
    /* DISTINCT values: entries of their own ('V' + aggregate + entry number -> group id,
     * value), only the ones seen since the last snapshot */
    if (!st->retract)
        for (int a = 0; a < st->aggs.naggs; a++) {
            uint32 n = aggset_distinct_size(&st->aggs, &st->states, a);
            for (uint32 i = full ? 0 : st->vsnap[a]; i < n; i++) {
                uint32 g, len;
                const char *val;
                if (!aggset_distinct_get(&st->aggs, &st->states, a, i, &g, &val, &len))
                    continue;
                strbuf_reset(&k);
                strbuf_reset(&v);
                strbuf_append_char(&k, 'V');
                strbuf_append_char(&k, (char)a);
                codec_put_u32(&k, i);
                codec_put_u32(&v, g);
                codec_put_u32(&v, len);
                if (len != AGGSET_NULL_LEN)
                    strbuf_append(&v, val, len);
                state_put(w, k.data, k.len, v.data, v.len);
            }
            st->vsnap[a] = n;
        }
    st->state_synced = true;
    strbuf_free(&k);
    strbuf_free(&v);
}

static void cagg_restore(Operator *op, StateReader *r)
{
    CAggState *st = op->state;
    const char *key, *val;
    size_t klen, vlen;
    Batch *kb = batch_create(op_state_arena(op), st->ngroups, st->key_types, 1);
    Vector *kv[64];
    for (int c = 0; c < st->ngroups; c++)
        kv[c] = &kb->cols[c];
    /* group ids are renumbered (dense, in key order): old -> new for the DISTINCT values */
    uint32 *remap = NULL, nremap = 0;
    while (state_next(r, &key, &klen, &val, &vlen)) {
        const char *p = val, *end = val + vlen;
        if (klen == 6 && key[0] == 'V' && !st->retract) {
            int a = (unsigned char)key[1];
            uint32 og = codec_get_u32(&p, end), len = codec_get_u32(&p, end);
            if (a >= st->aggs.naggs || !st->aggs.dkind[a] || og >= nremap || remap[og] == UINT32_MAX ||
                (len != AGGSET_NULL_LEN && (size_t)(end - p) < len))
                codec_corrupt();
            aggset_distinct_put(&st->aggs, &st->states, a, remap[og],
                                len == AGGSET_NULL_LEN ? NULL : p, len);
            continue;
        }
        if (klen != 5 || key[0] != 'G')
            codec_corrupt();
        const char *kp = key + 1;
        uint32 old_g = codec_get_u32(&kp, key + klen);
        arena_reset(st->scratch);
        uint32 g = 0;
        if (st->ngroups > 0) {
            for (int c = 0; c < st->ngroups; c++)
                vector_init(&kb->cols[c], st->scratch, st->key_types[c], 1);
            rowcodec_get(&p, end, kb->cols, st->ngroups, 0, st->scratch);
            kb->count = 1;
            kb->sel = NULL;
            hashtable_find_or_insert(st->ht, kv, kb, &g);
            st->ngids = hashtable_count(st->ht);
        } else {
            st->ngids = 1;
        }
        reserve_groups(st, st->ngids);
        if (p >= end)
            codec_corrupt();
        st->emitted[g] = *p++ != 0;
        st->rows[g] = codec_get_i64(&p, end);
        load_group(st, g, &p, end);
        if (old_g >= nremap) {
            uint32 nn = nremap ? nremap : 64;
            while (nn <= old_g)
                nn *= 2;
            remap = lm_realloc(remap, sizeof(uint32) * nn);
            memset(remap + nremap, 0xff, sizeof(uint32) * (nn - nremap));
            nremap = nn;
        }
        remap[old_g] = g;
    }
    lm_free(remap);
    account(op, st);
}

static const OperatorOps cagg_ops = {"GroupAggregate", NULL, cagg_next, cagg_close, cagg_snapshot,
                                     cagg_restore};

Operator *stream_changelog_agg_create(ExecContext *ctx, const PlanNode *plan, Operator *child,
                                      const StreamOpInfo *info)
{
    Operator *op = exec_operator_create(ctx, plan, &child, 1);
    Arena *a = exec_operator_arena(op);
    CAggState *st = arena_new(a, CAggState);
    op->state = st;
    op->ops = &cagg_ops;
    if (plan->kind != PLAN_AGGREGATE)
        elog(ERROR, "changelog aggregate over plan node %d", (int)plan->kind);
    st->retract = info->input_changelog[0];
    st->ngroups = plan->ngroups;
    if (st->ngroups > 64)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("too many grouping expressions: %d (at most 64)", plan->ngroups));
    st->groups = arena_new_array(a, ExprState *, st->ngroups + 1);
    st->key_types = arena_new_array(a, const LmType *, st->ngroups + 1);
    for (int i = 0; i < st->ngroups; i++) {
        const Expr *g = plan->groups[i];
        if (g->kind != EXPR_COLUMN || g->levels_up != 0)
            st->groups[i] = op_expr_init(op, g);
        st->key_types[i] = g->type;
    }
    if (st->ngroups > 0)
        st->ht = hashtable_create(a, st->ngroups, st->key_types, true);
    st->agg_types = arena_new_array(a, const LmType *, plan->naggs + 1);
    for (int i = 0; i < plan->naggs; i++)
        st->agg_types[i] = plan->aggs[i].type;
    if (st->retract) {
        st->nr = plan->naggs;
        st->r = arena_new_array(a, RAgg, plan->naggs + 1);
        for (int i = 0; i < plan->naggs; i++)
            r_init(op, &st->r[i], &plan->aggs[i]);
    } else {
        aggset_init(op, &st->aggs, plan->naggs, plan->aggs, a, "pipelines");
        st->aggs.external_distinct = true; /* DISTINCT values snapshotted incrementally */
        aggstates_init(&st->aggs, &st->states, a);
        st->vsnap = arena_new_array(a, uint32, plan->naggs + 1);
    }
    outbox_init(&st->out, a, plan->ncols, plan_col_types(a, plan), true);
    st->scratch = arena_create("aggregate scratch", a);
    return op;
}
