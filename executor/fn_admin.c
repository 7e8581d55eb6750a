/*
 * fn_admin.c: session administration functions — PostgreSQL's advisory
 * locks (pg_advisory_lock and its try/xact/shared/unlock variants, bigint
 * and (int, int) keys), pg_sleep/pg_sleep_for/pg_sleep_until,
 * pg_cancel_backend/pg_terminate_backend.
 *
 * Locks go through the session's SessionServices (the server keeps the lock
 * table, blocks, detects deadlocks and releases at transaction and session
 * end).  A (int4, int4) key is combined into one 64-bit key as
 * (a << 32) | (b & 0xffffffff); unlike PostgreSQL, which tags the two forms
 * apart, pg_advisory_lock(1, 2) and pg_advisory_lock(4294967298) are the
 * same lock here.  Functions returning void return an empty text presented
 * as PostgreSQL's void type.
 */
#include "executor/fn_util.h"

#include <math.h>
#include <time.h>

static const SessionServices *lock_services(FuncCall *fc)
{
    const SessionServices *svc = fc->ctx->svc;
    if (svc == NULL || svc->advisory_lock == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("advisory locks are not available in this context"),
                errposition(fn_errpos(fc)));
    return svc;
}

static inline int64 row_key(Vector **args, int r, bool two_ints)
{
    if (!two_ints)
        return FN_I64(args[0])[r];
    return (int64)(((uint64)(uint32)FN_I32(args[0])[r] << 32) | (uint64)(uint32)FN_I32(args[1])[r]);
}

enum { LK_SHARED = 1, LK_XACT = 2, LK_TRY = 4, LK_TWO_INTS = 8 };

static void lock_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, int mode)
{
    const SessionServices *svc = lock_services(fc);
    FN_FOREACH(b, i, r)
    {
        bool got = svc->advisory_lock(svc->session, row_key(args, r, mode & LK_TWO_INTS),
                                      mode & LK_SHARED, mode & LK_XACT, !(mode & LK_TRY));
        if (mode & LK_TRY)
            FN_U8(out)[r] = got;
        else
            fn_set_str(out, r, "", 0);
        vector_set_valid(out, r);
    }
}

static void unlock_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, int mode)
{
    const SessionServices *svc = lock_services(fc);
    FN_FOREACH(b, i, r)
    {
        FN_U8(out)
        [r] = svc->advisory_unlock(svc->session, row_key(args, r, mode & LK_TWO_INTS),
                                   mode & LK_SHARED);
        vector_set_valid(out, r);
    }
}

#define LOCK_KERNEL(name, fn, mode)                                                                \
    static void name(FuncCall *fc, Vector **args, const Batch *b, Vector *out)                     \
    {                                                                                              \
        fn(fc, args, b, out, mode);                                                                \
    }
LOCK_KERNEL(fn_lock8, lock_rows, 0)
LOCK_KERNEL(fn_lock44, lock_rows, LK_TWO_INTS)
LOCK_KERNEL(fn_lock_sh8, lock_rows, LK_SHARED)
LOCK_KERNEL(fn_lock_sh44, lock_rows, LK_SHARED | LK_TWO_INTS)
LOCK_KERNEL(fn_try8, lock_rows, LK_TRY)
LOCK_KERNEL(fn_try44, lock_rows, LK_TRY | LK_TWO_INTS)
LOCK_KERNEL(fn_try_sh8, lock_rows, LK_TRY | LK_SHARED)
LOCK_KERNEL(fn_try_sh44, lock_rows, LK_TRY | LK_SHARED | LK_TWO_INTS)
LOCK_KERNEL(fn_xlock8, lock_rows, LK_XACT)
LOCK_KERNEL(fn_xlock44, lock_rows, LK_XACT | LK_TWO_INTS)
LOCK_KERNEL(fn_xlock_sh8, lock_rows, LK_XACT | LK_SHARED)
LOCK_KERNEL(fn_xlock_sh44, lock_rows, LK_XACT | LK_SHARED | LK_TWO_INTS)
LOCK_KERNEL(fn_xtry8, lock_rows, LK_XACT | LK_TRY)
LOCK_KERNEL(fn_xtry44, lock_rows, LK_XACT | LK_TRY | LK_TWO_INTS)
LOCK_KERNEL(fn_xtry_sh8, lock_rows, LK_XACT | LK_TRY | LK_SHARED)
LOCK_KERNEL(fn_xtry_sh44, lock_rows, LK_XACT | LK_TRY | LK_SHARED | LK_TWO_INTS)
LOCK_KERNEL(fn_unlock8, unlock_rows, 0)
LOCK_KERNEL(fn_unlock44, unlock_rows, LK_TWO_INTS)
LOCK_KERNEL(fn_unlock_sh8, unlock_rows, LK_SHARED)
LOCK_KERNEL(fn_unlock_sh44, unlock_rows, LK_SHARED | LK_TWO_INTS)

static void fn_unlock_all(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const SessionServices *svc = lock_services(fc);
    svc->advisory_unlock_all(svc->session);
    FN_FOREACH(b, i, r)
    fn_set_str(out, r, "", 0);
}

/* Sleeps in steps of at most 10 ms, checking for cancellation (57014) between them. */
static void sleep_seconds(FuncCall *fc, double s)
{
    if (isnan(s) || s > 1e9)
        s = 1e9;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        exec_check_cancel(fc->ctx);
        clock_gettime(CLOCK_MONOTONIC, &now);
        double elapsed = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
        double left = s - elapsed;
        if (left <= 0)
            break;
        double step = left < 0.01 ? left : 0.01;
        struct timespec ts = {(time_t)step, (long)((step - (time_t)step) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

/* pg_sleep(seconds) */
static void fn_pg_sleep(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const double *secs = FN_F64(args[0]);
    FN_FOREACH(b, i, r)
    {
        sleep_seconds(fc, secs[r]);
        fn_set_str(out, r, "", 0);
    }
}

/* pg_sleep_for(interval): months count 30 days and days 24 hours, as PostgreSQL's epoch. */
static void fn_pg_sleep_for(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        const Interval *iv = &FN_IV(args[0])[r];
        double secs =
            (double)iv->months * 30 * 86400 + (double)iv->days * 86400 + (double)iv->micros / 1e6;
        sleep_seconds(fc, secs);
        fn_set_str(out, r, "", 0);
    }
}

/* pg_sleep_until(timestamptz) */
static void fn_pg_sleep_until(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    FN_FOREACH(b, i, r)
    {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        double now_s = (double)now.tv_sec + now.tv_nsec / 1e9;
        sleep_seconds(fc, (double)FN_I64(args[0])[r] / 1e6 - now_s);
        fn_set_str(out, r, "", 0);
    }
}

/* Signals to other sessions are not supported; a PID that is not this session's is unknown. */
static void signal_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool terminate)
{
    const SessionServices *svc = fc->ctx->svc;
    FN_FOREACH(b, i, r)
    {
        int32 pid = FN_I32(args[0])[r];
        if (svc && pid == svc->backend_pid) {
            if (!terminate)
                ereport(ERROR, errcode(ERRCODE_QUERY_CANCELED),
                        errmsg("canceling statement due to user request"));
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("pg_terminate_backend cannot terminate the calling session"),
                    errposition(fn_errpos(fc)));
        }
        ereport(WARNING, errmsg("PID %d is not a PostgreSQL backend process", pid));
        FN_U8(out)[r] = false;
        vector_set_valid(out, r);
    }
}
static void fn_cancel_backend(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    signal_rows(fc, args, b, out, false);
}
static void fn_terminate_backend(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    signal_rows(fc, args, b, out, true);
}

static const LmType *ret_void(Arena *a, int nargs, const LmType **t)
{
    return type_with_pg_oid(a, type_string(), VOIDOID);
}

/* clang-format off */
#define I4 TYPE_INT32
#define I8 TYPE_INT64
#define B TYPE_BOOL
#define V TYPE_STRING
#define STRICT FN_STRICT
#define VOL (FN_STRICT | FN_VOLATILE)

const FuncDesc lm_funcs_admin[] = {
    {"pg_advisory_lock", 2880, 1, {I8}, V, ret_void, fn_lock8, VOL, "obtain exclusive advisory lock"},
    {"pg_advisory_lock", 2886, 2, {I4, I4}, V, ret_void, fn_lock44, VOL,
     "obtain exclusive advisory lock"},
    {"pg_advisory_lock_shared", 2881, 1, {I8}, V, ret_void, fn_lock_sh8, VOL,
     "obtain shared advisory lock"},
    {"pg_advisory_lock_shared", 2887, 2, {I4, I4}, V, ret_void, fn_lock_sh44, VOL,
     "obtain shared advisory lock"},
    {"pg_try_advisory_lock", 2882, 1, {I8}, B, NULL, fn_try8, VOL,
     "obtain exclusive advisory lock if available"},
    {"pg_try_advisory_lock", 2888, 2, {I4, I4}, B, NULL, fn_try44, VOL,
     "obtain exclusive advisory lock if available"},
    {"pg_try_advisory_lock_shared", 2883, 1, {I8}, B, NULL, fn_try_sh8, VOL,
     "obtain shared advisory lock if available"},
    {"pg_try_advisory_lock_shared", 2889, 2, {I4, I4}, B, NULL, fn_try_sh44, VOL,
     "obtain shared advisory lock if available"},
    {"pg_advisory_xact_lock", 3089, 1, {I8}, V, ret_void, fn_xlock8, VOL,
     "obtain exclusive advisory lock"},
    {"pg_advisory_xact_lock", 3093, 2, {I4, I4}, V, ret_void, fn_xlock44, VOL,
     "obtain exclusive advisory lock"},
    {"pg_advisory_xact_lock_shared", 3090, 1, {I8}, V, ret_void, fn_xlock_sh8, VOL,
     "obtain shared advisory lock"},
    {"pg_advisory_xact_lock_shared", 3094, 2, {I4, I4}, V, ret_void, fn_xlock_sh44, VOL,
     "obtain shared advisory lock"},
    {"pg_try_advisory_xact_lock", 3091, 1, {I8}, B, NULL, fn_xtry8, VOL,
     "obtain exclusive advisory lock if available"},
    {"pg_try_advisory_xact_lock", 3095, 2, {I4, I4}, B, NULL, fn_xtry44, VOL,
     "obtain exclusive advisory lock if available"},
    {"pg_try_advisory_xact_lock_shared", 3092, 1, {I8}, B, NULL, fn_xtry_sh8, VOL,
     "obtain shared advisory lock if available"},
    {"pg_try_advisory_xact_lock_shared", 3096, 2, {I4, I4}, B, NULL, fn_xtry_sh44, VOL,
     "obtain shared advisory lock if available"},
    {"pg_advisory_unlock", 2884, 1, {I8}, B, NULL, fn_unlock8, VOL,
     "release exclusive advisory lock"},
    {"pg_advisory_unlock", 2890, 2, {I4, I4}, B, NULL, fn_unlock44, VOL,
     "release exclusive advisory lock"},
    {"pg_advisory_unlock_shared", 2885, 1, {I8}, B, NULL, fn_unlock_sh8, VOL,
     "release shared advisory lock"},
    {"pg_advisory_unlock_shared", 2891, 2, {I4, I4}, B, NULL, fn_unlock_sh44, VOL,
     "release shared advisory lock"},
    {"pg_advisory_unlock_all", 2892, 0, {0}, V, ret_void, fn_unlock_all, FN_VOLATILE,
     "release all advisory locks"},
    {"pg_sleep", 2626, 1, {TYPE_FLOAT64}, V, ret_void, fn_pg_sleep, VOL, "sleep for the specified time in seconds"},
    {"pg_sleep_for", 3935, 1, {TYPE_INTERVAL}, V, ret_void, fn_pg_sleep_for, VOL, "sleep for the specified interval"},
    {"pg_sleep_until", 3936, 1, {TYPE_TIMESTAMPTZ}, V, ret_void, fn_pg_sleep_until, VOL, "sleep until the specified time"},
    {"pg_cancel_backend", 2171, 1, {I4}, B, NULL, fn_cancel_backend, VOL,
     "cancel a server process' current query"},
    {"pg_terminate_backend", 2096, 2, {I4, I8}, B, NULL, fn_terminate_backend, VOL,
     "terminate a server process"},
    {"pg_terminate_backend", 20400, 1, {I4}, B, NULL, fn_terminate_backend, VOL,
     "terminate a server process (PostgreSQL's timeout argument defaulted)"},
};
/* clang-format on */
const int lm_nfuncs_admin = sizeof(lm_funcs_admin) / sizeof(lm_funcs_admin[0]);
