/*
 * error.h: the one error API, in the spirit of PostgreSQL's ereport().
 *
 *     ereport(ERROR, errcode(ERRCODE_UNDEFINED_TABLE),
 *             errmsg("relation \"%s\" does not exist", name), errposition(loc + 1));
 *
 * Fields map one-to-one onto the wire protocol's ErrorResponse.  Levels at or
 * above ERROR leave the current code path with a longjmp to the innermost
 * LM_TRY() of the calling thread; lower levels (NOTICE, WARNING, INFO) go to
 * the thread's notice hook (a session forwards them to its client) or to the
 * log.  Because arenas own all statement memory, unwinding leaks nothing.
 *
 * errposition() takes a 1-based BYTE offset into the query text as the client
 * sent it; the wire layer turns it into the character offset PostgreSQL
 * clients expect.
 *
 * Primary messages: short, factual, lower case, no trailing period.
 * Detail and hint: full sentences with a period.
 */
#ifndef LM_ERROR_H
#define LM_ERROR_H

#include "common/lm.h"
#include "common/errcodes.h"
#include "common/arena.h"
#include <setjmp.h>

/* Levels (PostgreSQL's names and order). */
#define DEBUG1 14
#define LOG 15
#define INFO 17
#define NOTICE 18
#define WARNING 19
#define ERROR 21
#define FATAL 22
#define PANIC 23

typedef struct ErrorData {
    int elevel;
    char sqlstate[6];
    char *message;
    char *detail;
    char *hint;
    char *context;
    int position; /* 1-based byte offset into the client's query text; 0 = none */
    const char *filename;
    int lineno;
    const char *funcname;
} ErrorData;

/*
 * libpg_query (linked into the server) exports PostgreSQL's own errstart(),
 * errcode(), errmsg() ...; our definitions must not interpose on its
 * symbols, so the functions behind the familiar names are lm_-prefixed.
 */
#define errstart lm_errstart
#define errfinish lm_errfinish
#define errcode lm_errcode
#define errmsg lm_errmsg
#define errdetail lm_errdetail
#define errhint lm_errhint
#define errcontext_msg lm_errcontext_msg
#define errposition lm_errposition

bool errstart(int elevel, const char *filename, int lineno, const char *funcname);
void errfinish(void);
int errcode(const char *sqlstate);
int errmsg(const char *fmt, ...) LM_PRINTF(1, 2);
int errdetail(const char *fmt, ...) LM_PRINTF(1, 2);
int errhint(const char *fmt, ...) LM_PRINTF(1, 2);
int errcontext_msg(const char *fmt, ...) LM_PRINTF(1, 2);
int errposition(int byte_pos_1based);

#define ereport(elevel, ...)                                                                       \
    do {                                                                                           \
        if (errstart((elevel), __FILE__, __LINE__, __func__)) {                                    \
            __VA_ARGS__;                                                                           \
            errfinish();                                                                           \
        }                                                                                          \
        if ((elevel) >= ERROR)                                                                     \
            __builtin_unreachable();                                                               \
    } while (0)

/* Internal errors that users should never see: SQLSTATE XX000. */
#define elog(elevel, ...) ereport((elevel), errcode(ERRCODE_INTERNAL_ERROR), errmsg(__VA_ARGS__))

/*
 * Non-local exit handling, as PG_TRY/PG_CATCH.  Locals modified inside the
 * TRY block and read in CATCH must be volatile.
 *
 *     LM_TRY();
 *         ... code that may ereport(ERROR) ...
 *     LM_CATCH();
 *         ErrorData *e = error_current();  ... handle, or error_rethrow() ...
 *     LM_END_TRY();
 */
extern __thread sigjmp_buf *lm_exception_stack;

#define LM_TRY()                                                                                   \
    do {                                                                                           \
        sigjmp_buf *lm_save_exception_stack__ = lm_exception_stack;                                \
        sigjmp_buf lm_local_sigjmp_buf__;                                                          \
        if (sigsetjmp(lm_local_sigjmp_buf__, 0) == 0) {                                            \
            lm_exception_stack = &lm_local_sigjmp_buf__;

#define LM_CATCH()                                                                                 \
    }                                                                                              \
    else                                                                                           \
    {                                                                                              \
        lm_exception_stack = lm_save_exception_stack__;

#define LM_END_TRY()                                                                               \
    }                                                                                              \
    lm_exception_stack = lm_save_exception_stack__;                                                \
    }                                                                                              \
    while (0)

/* The error being handled in a CATCH block (owned by the thread's error state). */
ErrorData *error_current(void);
/* Deep copy into an arena, e.g. to keep it past error_clear() or hand it to another thread. */
ErrorData *error_copy(Arena *arena, const ErrorData *e);
/* Forget the current error; call once it has been handled. */
void error_clear(void);
/* Throw the current error again to the next outer handler. */
void error_rethrow(void) LM_NORETURN;
/* Throw a given error (copied) as if raised here. */
void error_throw(const ErrorData *e) LM_NORETURN;

/*
 * Per-thread hook for messages below ERROR (NOTICE, WARNING, INFO).  A
 * session installs one that sends NoticeResponse; without one they are logged.
 */
typedef void (*NoticeHook)(void *arg, const ErrorData *e);
void error_set_notice_hook(NoticeHook hook, void *arg);

const char *error_level_name(int elevel); /* "ERROR", "FATAL", "NOTICE", ... */

#endif
