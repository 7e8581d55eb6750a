/*
 * error.c: thread-local error state behind ereport().
 *
 * Each thread has one pending ErrorData, filled by errstart()/errcode()/...
 * and finished by errfinish().  Its strings live in a thread-local arena that
 * error_clear() resets, so a handled error costs no leak.  An ERROR raised
 * with no LM_TRY() on the thread is a programming bug: it is logged and the
 * process aborts, because there is nowhere safe to continue from.
 */
#include "common/error.h"
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

__thread sigjmp_buf *lm_exception_stack = NULL;

static __thread ErrorData current_error;
static __thread bool error_active;
static __thread Arena *error_arena;
static __thread NoticeHook notice_hook;
static __thread void *notice_hook_arg;
/* Guards against an ereport() raised while building another one. */
static __thread int error_recursion;

static Arena *get_error_arena(void)
{
    if (error_arena == NULL)
        error_arena = arena_create("error", NULL);
    return error_arena;
}

const char *error_level_name(int elevel)
{
    switch (elevel) {
    case DEBUG1:
        return "DEBUG";
    case LOG:
        return "LOG";
    case INFO:
        return "INFO";
    case NOTICE:
        return "NOTICE";
    case WARNING:
        return "WARNING";
    case ERROR:
        return "ERROR";
    case FATAL:
        return "FATAL";
    case PANIC:
        return "PANIC";
    default:
        return "ERROR";
    }
}

bool errstart(int elevel, const char *filename, int lineno, const char *funcname)
{
    if (error_recursion > 2) {
        fprintf(stderr, "PANIC: error recursion while reporting from %s:%d\n", filename, lineno);
        abort();
    }
    error_recursion++;
    if (elevel >= ERROR && error_active) {
        /* a new error replaces one that was being handled */
        error_active = false;
    }
    if (!error_active)
        arena_reset(get_error_arena());
    memset(&current_error, 0, sizeof current_error);
    current_error.elevel = elevel;
    memcpy(current_error.sqlstate, elevel >= ERROR ? ERRCODE_INTERNAL_ERROR : "00000", 6);
    if (elevel == WARNING)
        memcpy(current_error.sqlstate, ERRCODE_WARNING, 6);
    current_error.filename = filename;
    current_error.lineno = lineno;
    current_error.funcname = funcname;
    return true;
}

int errcode(const char *sqlstate)
{
    memcpy(current_error.sqlstate, sqlstate, 5);
    current_error.sqlstate[5] = '\0';
    return 0;
}

#define FORMAT_FIELD(field)                                                                        \
    do {                                                                                           \
        va_list ap;                                                                                \
        va_start(ap, fmt);                                                                         \
        current_error.field = arena_vprintf(get_error_arena(), fmt, ap);                           \
        va_end(ap);                                                                                \
    } while (0)

int errmsg(const char *fmt, ...)
{
    FORMAT_FIELD(message);
    return 0;
}

int errdetail(const char *fmt, ...)
{
    FORMAT_FIELD(detail);
    return 0;
}

int errhint(const char *fmt, ...)
{
    FORMAT_FIELD(hint);
    return 0;
}

int errcontext_msg(const char *fmt, ...)
{
    FORMAT_FIELD(context);
    return 0;
}

int errposition(int byte_pos_1based)
{
    current_error.position = byte_pos_1based;
    return 0;
}

void errfinish(void)
{
    error_recursion--;
    if (current_error.message == NULL)
        current_error.message = "unknown error";
    if (current_error.elevel < ERROR) {
        if (notice_hook && current_error.elevel >= NOTICE)
            notice_hook(notice_hook_arg, &current_error);
        else
            lm_log(current_error.elevel >= WARNING ? LOG_WARN : LOG_INFO, "%s: %s",
                   error_level_name(current_error.elevel), current_error.message);
        if (!error_active)
            arena_reset(get_error_arena());
        return;
    }
    error_active = true;
    if (current_error.elevel >= PANIC || lm_exception_stack == NULL) {
        lm_log(LOG_FATAL, "unhandled %s at %s:%d: %s (%s)", error_level_name(current_error.elevel),
               current_error.filename, current_error.lineno, current_error.message,
               current_error.sqlstate);
        abort();
    }
    siglongjmp(*lm_exception_stack, 1);
}

ErrorData *error_current(void)
{
    return error_active ? &current_error : NULL;
}

static char *dup_or_null(Arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

ErrorData *error_copy(Arena *a, const ErrorData *e)
{
    ErrorData *c = arena_new(a, ErrorData);
    *c = *e;
    c->message = dup_or_null(a, e->message);
    c->detail = dup_or_null(a, e->detail);
    c->hint = dup_or_null(a, e->hint);
    c->context = dup_or_null(a, e->context);
    return c;
}

void error_clear(void)
{
    error_active = false;
    error_recursion = 0;
    memset(&current_error, 0, sizeof current_error);
    if (error_arena)
        arena_reset(error_arena);
}

void error_rethrow(void)
{
    LM_ASSERT(error_active);
    if (lm_exception_stack == NULL) {
        lm_log(LOG_FATAL, "unhandled error: %s", current_error.message);
        abort();
    }
    siglongjmp(*lm_exception_stack, 1);
}

void error_throw(const ErrorData *e)
{
    /* copy first: e may point into the error arena we are about to reuse */
    Arena *tmp = arena_create("error-copy", NULL);
    ErrorData *c = error_copy(tmp, e);
    errstart(c->elevel < ERROR ? ERROR : c->elevel, c->filename, c->lineno, c->funcname);
    errcode(c->sqlstate);
    current_error.message = dup_or_null(get_error_arena(), c->message);
    current_error.detail = dup_or_null(get_error_arena(), c->detail);
    current_error.hint = dup_or_null(get_error_arena(), c->hint);
    current_error.context = dup_or_null(get_error_arena(), c->context);
    current_error.position = c->position;
    arena_destroy(tmp);
    errfinish();
    __builtin_unreachable();
}

void error_set_notice_hook(NoticeHook hook, void *arg)
{
    notice_hook = hook;
    notice_hook_arg = arg;
}

void lm_assert_fail(const char *cond, const char *file, int line)
{
    lm_log(LOG_ERROR, "assertion failed: %s at %s:%d", cond, file, line);
    if (lm_exception_stack == NULL)
        abort();
    ereport(ERROR, errcode(ERRCODE_INTERNAL_ERROR), errmsg("internal error: assertion failed"),
            errdetail("Assertion \"%s\" failed at %s:%d.", cond, file, line));
}
