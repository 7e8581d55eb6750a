/*
 * test_functions.c: unit tests for the scalar function library (executor/fn_*.c).
 *
 * Each check calls a kernel through its FuncDesc (found by name and argument
 * types in the group tables, as func_resolve will) on hand-built vectors, the
 * way the evaluator does: constant arguments are marked EXPR_CONST at the
 * call site, strict functions get NULL rows removed from the selection, and
 * the result is printed with value_format_text.  Expected values were taken
 * from PostgreSQL 15 (psql -At) unless a comment says otherwise.  Errors
 * compare the SQLSTATE and message.
 */
#include "executor/fn_util.h"
#include "storage/catalog.h"
#include "storage/storage.h"
#include "lmtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static Arena *test_arena;
static ExecContext test_ctx;

/* The groups of the function library (arith and compare are the expression engine's). */
#define GROUP_ENTRY(g) {lm_funcs_##g, &lm_nfuncs_##g},
#define LIBRARY_GROUPS(X)                                                                          \
    X(string) X(regex) X(math) X(datetime) X(json) X(array) X(pgcatalog) X(admin)
static const struct {
    const FuncDesc *funcs;
    const int *n;
} groups[] = {LIBRARY_GROUPS(GROUP_ENTRY)};

/* A session as the server provides it (settings and advisory locks recorded here). */
static SessionServices test_svc;
static char test_search_path[128] = "\"$user\", public";
static char set_name[64], set_value[64];
static int64 lock_calls[8];
static int nlock_calls;

static const char *svc_get_setting(void *session, const char *name, bool missing_ok)
{
    if (strcmp(name, "search_path") == 0)
        return test_search_path;
    if (set_name[0] && strcmp(name, set_name) == 0)
        return set_value;
    if (strcmp(name, "application_name") == 0)
        return "psql";
    if (missing_ok)
        return NULL;
    ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
            errmsg("unrecognized configuration parameter \"%s\"", name));
}
static void svc_set_setting(void *session, const char *name, const char *value, bool is_local)
{
    snprintf(set_name, sizeof set_name, "%s", name);
    snprintf(set_value, sizeof set_value, "%s", value ? value : "");
}
/* key 99 is "held by another session" */
static bool svc_lock(void *session, int64 key, bool shared, bool xact, bool wait)
{
    if (nlock_calls < 8)
        lock_calls[nlock_calls++] = key;
    return key != 99;
}
static bool svc_unlock(void *session, int64 key, bool shared)
{
    return key == 1;
}
/* the session's catalog: no tables; one created schema "analytics" */
static CatTable *svc_list_tables(void *session, Arena *a, int *n)
{
    *n = 0;
    return NULL;
}
static CatSchema *svc_list_schemas(void *session, Arena *a, int *n)
{
    CatSchema *s = arena_new(a, CatSchema);
    s->name = "analytics";
    *n = 1;
    return s;
}
static void svc_unlock_all(void *session)
{
    nlock_calls = 0;
}

/* Catalog hooks as the planner's system-view registry would install them. */
static bool hook_rel_by_oid(ExecContext *ctx, Arena *a, Oid oid, const char **schema,
                            const char **name, char *relkind)
{
    if (oid == 16384) {
        *schema = "public", *name = "users", *relkind = 'r';
        return true;
    }
    if (oid == 16390) {
        *schema = "other", *name = "hidden", *relkind = 'r';
        return true;
    }
    if (oid == 1259) {
        *schema = "pg_catalog", *name = "pg_class", *relkind = 'v';
        return true;
    }
    return false;
}
static bool hook_rel_by_name(ExecContext *ctx, Arena *a, const char *schema, const char *name,
                             Oid *oid)
{
    if (strcmp(name, "users") == 0 && (!schema || strcmp(schema, "public") == 0)) {
        *oid = 16384;
        return true;
    }
    if (strcmp(name, "pg_class") == 0) {
        *oid = 1259;
        return true;
    }
    return false;
}
static const char *hook_indexdef(ExecContext *ctx, Arena *a, Oid oid)
{
    return oid == 0x40004000u ? "CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)"
                              : NULL;
}
static const char *hook_constraintdef(ExecContext *ctx, Arena *a, Oid oid)
{
    return oid == 0x50004000u ? "PRIMARY KEY (id)" : NULL;
}
static bool hook_proc(Oid oid, const FuncDesc **f, const AggDesc **agg)
{
    *agg = NULL;
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
        for (int k = 0; k < *groups[g].n; k++)
            if (groups[g].funcs[k].oid == oid) {
                *f = &groups[g].funcs[k];
                return true;
            }
    return false;
}

static bool arg_matches(int want, const LmType *t)
{
    if (want == FT_ANY || want == FT_ANYELEMENT)
        return true;
    if (want == FT_ANYARRAY)
        return t->id == TYPE_ARRAY;
    if (want == FT_ANYNONARRAY)
        return t->id != TYPE_ARRAY;
    if (want == FT_ANYNUMERIC)
        return type_is_numeric(t);
    return want == (int)t->id;
}

static const FuncDesc *find_func(const char *name, int nargs, const LmType **types)
{
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
        for (int k = 0; k < *groups[g].n; k++) {
            const FuncDesc *fd = &groups[g].funcs[k];
            if (strcmp(fd->name, name) != 0)
                continue;
            bool variadic = fd->flags & FN_VARIADIC;
            if (variadic ? nargs < fd->nargs - 1 : nargs != fd->nargs)
                continue;
            bool ok = true;
            for (int a = 0; a < nargs && ok; a++) {
                int want = a < fd->nargs ? fd->args[a] : fd->args[fd->nargs - 1];
                ok = arg_matches(want, types[a]);
            }
            if (ok)
                return fd;
        }
    return NULL;
}

/*
 * Calls name(args) on `nrows` rows; vals[row*nargs + a] is the text of each
 * argument (NULL: SQL NULL).  Writes each row's printed result ("NULL" for
 * NULL) into results; returns NULL, or the error as "SQLSTATE: message".
 */
static Expr *make_expr(Arena *a, ExprKind kind, const LmType *type)
{
    return expr_make(a, kind, type, -1);
}

static const char *call_rows(const char *name, const char *types_csv, int nargs, int nrows,
                             const char **vals, const char **results, bool constant, uint16 *sel,
                             int nsel)
{
    Arena *a = test_arena;
    const LmType *types[FUNC_MAX_ARGS + 8];
    char *tl = arena_strdup(a, types_csv);
    int nt = 0;
    for (char *save = NULL, *tok = strtok_r(tl, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        int pos;
        const char *msg;
        types[nt] = type_parse(a, tok, &pos, &msg);
        if (!types[nt]) {
            lmt_diag("bad type %s", tok);
            abort();
        }
        nt++;
    }
    LM_ASSERT(nt == nargs);
    const FuncDesc *fd = find_func(name, nargs, types);
    if (!fd)
        return arena_printf(a, "no function %s/%d", name, nargs);
    const LmType *rt = fd->resolve_ret ? fd->resolve_ret(a, nargs, types) : type_scalar(fd->ret);
    Vector *argv[FUNC_MAX_ARGS + 8];
    Expr *call = make_expr(a, EXPR_FUNC, rt);
    call->nargs = nargs;
    call->args = arena_new_array(a, Expr *, nargs > 0 ? nargs : 1);
    call->func = fd;
    Vector *cargs[FUNC_MAX_ARGS + 8];
    for (int k = 0; k < nargs; k++) {
        argv[k] = arena_new(a, Vector);
        vector_init(argv[k], a, types[k], nrows);
        for (int r = 0; r < nrows; r++) {
            const char *v = vals[r * nargs + k];
            if (v == NULL)
                vector_set_null(argv[k], r);
            else if (v[0] == '\x01') /* raw bytes, bypassing input validation */
                vector_set_str(argv[k], a, r, v + 1, strlen(v + 1));
            else
                value_parse_text(argv[k], a, r, v, strlen(v));
        }
        call->args[k] = make_expr(a, constant ? EXPR_CONST : EXPR_COLUMN, types[k]);
        call->args[k]->value = argv[k];
        cargs[k] = constant ? argv[k] : NULL;
    }
    if (fd->resolve_ret_const) {
        const LmType *t2 = fd->resolve_ret_const(a, nargs, types, cargs);
        if (t2)
            rt = t2;
        call->type = rt;
    }
    Vector *out = arena_new(a, Vector);
    vector_init(out, a, rt, nrows);
    /* the evaluator's strictness: NULL rows are NULL and leave the selection */
    uint16 live[LM_BATCH_SIZE];
    int nlive = 0;
    for (int i = 0; i < (sel ? nsel : nrows); i++) {
        int r = sel ? sel[i] : i;
        bool has_null = false;
        for (int k = 0; k < nargs; k++)
            has_null |= !vector_is_valid(argv[k], r);
        if ((fd->flags & FN_STRICT) && has_null)
            vector_set_null(out, r);
        else
            live[nlive++] = (uint16)r;
    }
    Batch b = {0};
    b.count = nrows;
    b.sel = live;
    b.nsel = nlive;
    b.arena = a;
    FuncCall fc = {&test_ctx, call, arena_create("scratch", a), NULL};
    const char *err = NULL;
    LM_TRY();
    {
        fd->kernel(&fc, argv, &b, out);
        if (fd->kernel && nlive > 0 && fc.cache) /* a second batch reuses the call-site cache */
            fd->kernel(&fc, argv, &b, out);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        err = arena_printf(a, "%s: %s", e->sqlstate, e->message);
        error_clear();
    }
    LM_END_TRY();
    if (err)
        return err;
    for (int i = 0; i < (sel ? nsel : nrows); i++) {
        int r = sel ? sel[i] : i;
        StrBuf sb;
        strbuf_init(&sb, a);
        if (!vector_is_valid(out, r))
            strbuf_append_str(&sb, "NULL");
        else
            value_format_text(out, r, &sb);
        results[i] = sb.data;
    }
    return NULL;
}

/* One row; returns the printed result or the error. */
static const char *call1(const char *name, const char *types, int nargs, const char **vals,
                         bool constant)
{
    const char *res[1];
    const char *err = call_rows(name, types, nargs, 1, vals, res, constant, NULL, 0);
    return err ? err : res[0];
}

/* CHECK(expected, name, "type;type", args...): runs with columns and with constants. */
#define CHECK(expected, name, types, ...)                                                          \
    do {                                                                                           \
        const char *vals_[] = {__VA_ARGS__};                                                       \
        int n_ = (int)(sizeof(vals_) / sizeof(vals_[0]));                                          \
        const char *got_ = call1(name, types, n_, vals_, false);                                   \
        LMT_CHECK_STR(got_, expected, "%s(%s) [column args] line %d", name, types, __LINE__);      \
        got_ = call1(name, types, n_, vals_, true);                                                \
        LMT_CHECK_STR(got_, expected, "%s(%s) [const args] line %d", name, types, __LINE__);       \
    } while (0)
/* Constant arguments only: result types that depend on constant values (extract, round). */
#define CHECKC(expected, name, types, ...)                                                         \
    do {                                                                                           \
        const char *vals_[] = {__VA_ARGS__};                                                       \
        int n_ = (int)(sizeof(vals_) / sizeof(vals_[0]));                                          \
        const char *got_ = call1(name, types, n_, vals_, true);                                    \
        LMT_CHECK_STR(got_, expected, "%s(%s) [const args] line %d", name, types, __LINE__);       \
    } while (0)
#define CHECK0(expected, name)                                                                     \
    do {                                                                                           \
        const char *got_ = call1(name, "", 0, NULL, false);                                        \
        LMT_CHECK_STR(got_, expected, "%s() line %d", name, __LINE__);                             \
    } while (0)

static void test_string(void)
{
    CHECK("ABC ÉÀ", "upper", "text", "abc éà");
    CHECK("abc éà", "lower", "text", "ABC ÉÀ");
    CHECK("Hello World-Foo Bar1x", "initcap", "text", "hELLO wORLD-foo bar1X");
    CHECK("NULL", "upper", "text", NULL);
    CHECK("5", "length", "text", "héllo");
    CHECK("6", "octet_length", "text", "héllo");
    CHECK("5", "char_length", "text", "héllo");
    CHECK("éll", "substr", "text;int4;int4", "héllo", "2", "3");
    CHECK("h", "substr", "text;int4;int4", "héllo", "-1", "3");
    CHECK("llo", "substr", "text;int4", "héllo", "3");
    CHECK("", "substr", "text;int4", "héllo", "10");
    CHECK("22011: negative substring length not allowed", "substring", "text;int4;int4", "abc", "1",
          "-1");
    CHECK("3", "strpos", "text;text", "héllo", "ll");
    CHECK("0", "position", "text;text", "hello", "z");
    CHECK("1", "position", "text;text", "hello", "");
    CHECK("hé", "left", "text;int4", "héllo", "2");
    CHECK("hél", "left", "text;int4", "héllo", "-2");
    CHECK("lo", "right", "text;int4", "héllo", "2");
    CHECK("llo", "right", "text;int4", "héllo", "-2");
    CHECK("def", "split_part", "text;text;int4", "abc~@~def~@~ghi", "~@~", "2");
    CHECK("ghi", "split_part", "text;text;int4", "abc,def,ghi", ",", "-1");
    CHECK("", "split_part", "text;text;int4", "abc,def,ghi", ",", "4");
    CHECK("22023: field position must not be zero", "split_part", "text;text;int4", "a,b", ",",
          "0");
    CHECK("abc", "btrim", "text", "  abc  ");
    CHECK("abc", "btrim", "text;text", "xyxabcyx", "xy");
    CHECK("abc  ", "ltrim", "text", "  abc  ");
    CHECK("  abc", "rtrim", "text", "  abc  ");
    CHECK("abc", "rtrim", "text;text", "abcééé", "é");
    CHECK("aXXcaXX", "replace", "text;text;text", "abcab", "b", "XX");
    CHECK("abc", "replace", "text;text;text", "abc", "", "X");
    CHECK("xyxhi", "lpad", "text;int4;text", "hi", "5", "xy");
    CHECK("hixyx", "rpad", "text;int4;text", "hi", "5", "xy");
    CHECK("hel", "lpad", "text;int4", "hello", "3");
    CHECK("   hi", "lpad", "text;int4", "hi", "5");
    CHECK("ababab", "repeat", "text;int4", "ab", "3");
    CHECK("", "repeat", "text;int4", "ab", "-1");
    CHECK("olléh", "reverse", "text", "héllo");
    CHECK("a2x5", "translate", "text;text;text", "12345", "143", "ax");
    CHECK("900150983cd24fb0d6963f7d28e17f72", "md5", "text", "abc");
    CHECK("t", "starts_with", "text;text", "alphabet", "alph");
    CHECK("f", "starts_with", "text;text", "alphabet", "bet");
    CHECK("233", "ascii", "text", "é");
    CHECK("0", "ascii", "text", "");
    CHECK("é", "chr", "int4", "233");
    CHECK("54000: null character not permitted", "chr", "int4", "0");
    CHECK("7fffffff", "to_hex", "int4", "2147483647");
    CHECK("ffffffffffffffff", "to_hex", "int8", "-1");
    CHECK("\"Foo bar\"", "quote_ident", "text", "Foo bar");
    CHECK("foo", "quote_ident", "text", "foo");
    CHECK("'O''Reilly'", "quote_literal", "text", "O'Reilly");
    CHECK("E'C:\\\\x'", "quote_literal", "text", "C:\\x");
    CHECK("NULL", "quote_nullable", "text", NULL);
    CHECK("abc2de", "concat", "text;int4;text;text", "abc", "2", NULL, "de");
    CHECK("abc2de", "concat", "text;int4;text", "abc", "2", "de");
    CHECK("a,1,c", "concat_ws", "text;text;int4;text;text", ",", "a", "1", NULL, "c");
    CHECK("NULL", "concat_ws", "text;text", NULL, "a");
    CHECK("Hello World, 'O''R', \"Col\"", "format", "text;text;text;text", "Hello %s, %L, %I",
          "World", "O'R", "Col");
    CHECK("|   ab|ab   |", "format", "text;text;text", "|%5s|%-5s|", "ab", "ab");
    CHECK("b a", "format", "text;text;text", "%2$s %1$s", "a", "b");
    CHECK("x NULL ", "format", "text;text;text", "x %L %s", NULL, NULL);
    CHECK("22023: too few arguments for format()", "format", "text;text", "%s %s", "a");
    CHECK("22023: unrecognized format() type specifier \"d\"", "format", "text;int4", "%d", "1");
    CHECK("100%", "format", "text", "100%%");
    /* bytea */
    CHECK("00ff41", "encode", "bytea;text", "\\x00ff41", "hex");
    CHECK("aGVsbG8=", "encode", "bytea;text", "hello", "base64");
    CHECK("a\\\\b\\377", "encode", "bytea;text", "\\x615c62ff", "escape");
    CHECK("\\x00ff41", "decode", "text;text", "00FF41", "hex");
    CHECK("\\x68656c6c6f", "decode", "text;text", "aGVs\nbG8=", "base64");
    CHECK("22023: invalid hexadecimal digit: \"g\"", "decode", "text;text", "0g", "hex");
    CHECK("22023: invalid hexadecimal data: odd number of digits", "decode", "text;text", "abc",
          "hex");
    CHECK("22023: invalid base64 end sequence", "decode", "text;text", "abc", "base64");
    CHECK("22023: unrecognized encoding: \"foo\"", "encode", "bytea;text", "a", "foo");
    CHECK("\\xc3a9", "convert_to", "text;text", "é", "UTF8");
    CHECK("\\xe9", "convert_to", "text;text", "é", "latin1");
    CHECK("é", "convert_from", "bytea;text", "\\xe9", "LATIN1");
    CHECK("22021: invalid byte sequence for encoding \"UTF8\": 0xff", "convert_from", "bytea;text",
          "\\xff", "UTF8");
    CHECK("\\xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256", "bytea",
          "abc");
    CHECK("2", "length", "bytea", "\\x0102");
    CHECK("16", "bit_length", "text", "é");
    CHECK("Thomas", "overlay", "text;text;int4;int4", "Txxxxas", "hom", "2", "4");
    CHECK("aXc", "overlay", "text;text;int4", "abc", "X", "2");
}

static void test_string_batch(void)
{
    /* several rows, a selection that skips rows, NULLs in between */
    const char *vals[] = {"ab", "cd", NULL, "ef", "gh"};
    const char *res[5];
    uint16 sel[] = {0, 2, 3};
    const char *err = call_rows("upper", "text", 1, 5, vals, res, false, sel, 3);
    LMT_CHECK(err == NULL, "upper over a selection runs");
    if (!err) {
        LMT_CHECK_STR(res[0], "AB", "row 0");
        LMT_CHECK_STR(res[1], "NULL", "row 2 is NULL");
        LMT_CHECK_STR(res[2], "EF", "row 3");
    }
    /* var-width results past one OutBuf chunk (16 KB): 200 rows of 1000 bytes */
    {
        enum { N = 200 };
        const char *rv[N * 2];
        const char *rr[N];
        for (int k = 0; k < N; k++) {
            rv[2 * k] = k % 7 == 3 ? NULL : "ab";
            rv[2 * k + 1] = "500";
        }
        err = call_rows("repeat", "text;int4", 2, N, rv, rr, false, NULL, 0);
        bool ok = err == NULL;
        for (int k = 0; k < N && ok; k++) {
            if (k % 7 == 3)
                ok = strcmp(rr[k], "NULL") == 0;
            else
                ok = strlen(rr[k]) == 1000 && strncmp(rr[k], "abab", 4) == 0 &&
                     strcmp(rr[k] + 996, "abab") == 0;
        }
        LMT_CHECK(ok, "repeat over 200 rows spans OutBuf chunks intact");
    }
    const char *vals2[] = {"a%", "abc", "b%", "xyz"};
    const char *res2[2];
    /* LIKE with a pattern that varies per row */
    const char *likev[] = {"abc", "a%", "xyz", "b%"};
    err = call_rows("~~", "text;text", 2, 2, likev, res2, false, NULL, 0);
    LMT_CHECK(err == NULL, "varying LIKE runs");
    if (!err) {
        LMT_CHECK_STR(res2[0], "t", "abc LIKE a%%");
        LMT_CHECK_STR(res2[1], "f", "xyz LIKE b%%");
    }
    (void)vals2;
    const char *rev[] = {"abc", "^a", "xyz", "y$", "q", "q+"};
    const char *res3[3];
    err = call_rows("~", "text;text", 2, 3, rev, res3, false, NULL, 0);
    LMT_CHECK(err == NULL, "varying regex runs");
    if (!err) {
        LMT_CHECK_STR(res3[0], "t", "abc ~ ^a");
        LMT_CHECK_STR(res3[1], "f", "xyz ~ y$");
        LMT_CHECK_STR(res3[2], "t", "q ~ q+");
    }
}

static void test_regex(void)
{
    CHECK("t", "~~", "text;text", "hello", "he%");
    CHECK("t", "~~", "text;text", "hello", "%llo");
    CHECK("t", "~~", "text;text", "hello", "%ell%");
    CHECK("f", "~~", "text;text", "hello", "%elx%");
    CHECK("t", "~~", "text;text", "hello", "h_llo");
    CHECK("t", "~~", "text;text", "héllo", "h_llo");
    CHECK("t", "~~", "text;text", "hello", "%");
    CHECK("f", "~~", "text;text", "hello", "");
    CHECK("t", "~~", "text;text", "", "");
    CHECK("t", "~~", "text;text", "a%b", "a\\%b");
    CHECK("f", "~~", "text;text", "axb", "a\\%b");
    CHECK("t", "~~", "text;text", "abcabc", "%b%c");
    CHECK("t", "!~~", "text;text", "hello", "x%");
    CHECK("t", "~~*", "text;text", "HÉLLO", "hél%");
    CHECK("f", "!~~*", "text;text", "HeLLo", "%ll%");
    CHECK("f", "~~", "text;text", "a", "a\\");
    CHECK("22025: LIKE pattern must not end with escape character", "~~", "text;text", "ab", "a\\");
    CHECK("a\\%b", "like_escape", "text;text", "a#%b", "#");
    CHECK("a\\\\b", "like_escape", "text;text", "a\\b", "");
    CHECK("t", "~", "text;text", "foobar", "o+b");
    CHECK("f", "~", "text;text", "FOOBAR", "o+b");
    CHECK("t", "~*", "text;text", "FOOBAR", "o+b");
    CHECK("t", "!~", "text;text", "foobar", "^x");
    CHECK("t", "~", "text;text", "a\nb", "a.b");
    CHECK("t", "~", "text;text", "foo bar", "\\mbar\\M");
    CHECK("t", "~", "text;text", "ab12", "^[[:alpha:]]+\\d+$");
    CHECK("2201B: invalid regular expression: parentheses () not balanced", "~", "text;text", "a",
          "(a");
    CHECK("^(?:a.*b.c(?:d|e))$", "similar_to_escape", "text", "a%b_c(d|e)");
    CHECK("^(?:a\\.b\\$)$", "similar_to_escape", "text", "a.b$");
    CHECK("^(?:a\\%b)$", "similar_to_escape", "text;text", "a#%b", "#");
    CHECK("t", "~", "text;text", "abcd", "^(?:a.*d)$");
    CHECK("bc", "substring", "text;text", "abcd", "b.");
    CHECK("c", "substring", "text;text", "abcd", "b(.)");
    CHECK("NULL", "substring", "text;text", "abcd", "x");
    CHECK("oob", "substring", "text;text;text", "foobar", "%#\"o_b#\"%", "#");
    CHECK("fXobar", "regexp_replace", "text;text;text", "foobar", "o", "X");
    CHECK("fXXbar", "regexp_replace", "text;text;text;text", "foobar", "o", "X", "g");
    CHECK("X-X-X", "regexp_replace", "text;text;text;text", "Foo-foo-FOO", "foo", "X", "gi");
    CHECK("bar-foo", "regexp_replace", "text;text;text", "foo-bar", "(\\w+)-(\\w+)", "\\2-\\1");
    CHECK("[foo]", "regexp_replace", "text;text;text", "foo", "foo", "[\\&]");
    CHECK("fooXar", "regexp_replace", "text;text;text;int4;int4", "foobar", "[ab]", "X", "1", "1");
    CHECK("22023: invalid regular expression option: \"z\"", "regexp_replace",
          "text;text;text;text", "a", "a", "b", "z");
    CHECK("{bar,beque}", "regexp_match", "text;text", "foobarbequebaz", "(bar)(beque)");
    CHECK("{bar}", "regexp_match", "text;text", "foobarbequebaz", "bar");
    CHECK("NULL", "regexp_match", "text;text", "foo", "x");
    CHECK("t", "regexp_like", "text;text;text", "FOO", "foo", "i");
    CHECK("3", "regexp_count", "text;text", "ababab", "ab");
    CHECK("2", "regexp_count", "text;text;int4", "ababab", "ab", "2");
    CHECK("bar", "regexp_substr", "text;text", "foobar", "b..");
    CHECK("{hello,world,foo}", "regexp_split_to_array", "text;text", "hello world  foo", "\\s+");
    CHECK("{a,b,c}", "regexp_split_to_array", "text;text", "abc", "");
    CHECK("{a,b}", "regexp_split_to_array", "text;text", "a1b", "\\d*");
    CHECK("{\"\",a,\"\"}", "regexp_split_to_array", "text;text", ",a,", ",");
    CHECK("{\"\"}", "regexp_split_to_array", "text;text", "", "x");
    CHECK("{a,b,c}", "regexp_split_to_array", "text;text;text", "aXbxc", "x", "i");
    CHECK("bar", "regexp_extract", "text;text;int4", "foothebar", "foo(.*?)(bar)", "2");
    CHECK("foothebar", "regexp_extract", "text;text", "foothebar", "foo(.*?)(bar)");
    CHECK("NULL", "regexp_extract", "text;text;int4", "foothebar", "foo(.*?)(bar)", "3");
    CHECK("NULL", "regexp_extract", "text;text", "abc", "x");
}

static void test_math(void)
{
    CHECK("5", "abs", "int4", "-5");
    CHECK("22003: integer out of range", "abs", "int4", "-2147483648");
    CHECK("2.5", "abs", "float8", "-2.5");
    CHECK("12.30", "abs", "numeric(10,2)", "-12.30");
    CHECK("-1", "sign", "float8", "-3");
    CHECK("-1", "sign", "numeric(10,2)", "-3.5");
    CHECK("-4", "ceil", "float8", "-4.5");
    CHECK("5", "ceil", "numeric(10,2)", "4.01");
    CHECK("-5", "floor", "numeric(10,2)", "-4.01");
    CHECK("4", "round", "float8", "4.5"); /* float8 rounds half to even (rint) */
    CHECK("5", "round", "float8", "4.51");
    CHECK("5", "round", "numeric(10,2)", "4.50");
    CHECK("-5", "round", "numeric(10,2)", "-4.50");
    CHECKC("4.57", "round", "numeric(10,3);int4", "4.567", "2");
    CHECKC("1200", "round", "numeric(10,3);int4", "1234.567", "-2");
    CHECKC("4.500", "round", "numeric(10,1);int4", "4.5", "3");
    CHECKC("4.56", "trunc", "numeric(10,3);int4", "4.567", "2");
    CHECK("-4", "trunc", "float8", "-4.7");
    CHECK("1.4142135623730951", "sqrt", "float8", "2");
    CHECK("2201F: cannot take square root of a negative number", "sqrt", "float8", "-1");
    CHECK("3.0000000000000004", "cbrt", "float8", "27");
    CHECK("8", "power", "float8;float8", "2", "3");
    CHECK("2201F: zero raised to a negative power is undefined", "power", "float8;float8", "0",
          "-1");
    CHECK("2201F: a negative number raised to a non-integer power yields a complex result", "power",
          "float8;float8", "-8", "0.5");
    CHECK("2.718281828459045", "exp", "float8", "1");
    CHECK("22003: value out of range: overflow", "exp", "float8", "1000");
    CHECK("2201E: cannot take logarithm of zero", "ln", "float8", "0");
    CHECK("2201E: cannot take logarithm of a negative number", "ln", "float8", "-1");
    CHECK("2", "log", "float8", "100");
    CHECK("3", "log", "float8;float8", "2", "8");
    CHECK("1", "mod", "int4;int4", "10", "3");
    CHECK("-1", "mod", "int4;int4", "-10", "3");
    CHECK("22012: division by zero", "mod", "int4;int4", "1", "0");
    CHECK("1.5", "mod", "numeric(10,1);numeric(10,1)", "10.5", "3");
    CHECK("3", "div", "numeric(10,1);numeric(10,1)", "10.5", "3");
    CHECK("6", "gcd", "int4;int4", "12", "-18");
    CHECK("36", "lcm", "int4;int4", "12", "18");
    CHECK0("3.141592653589793", "pi");
    CHECK("180", "degrees", "float8", "3.141592653589793");
    CHECK("1", "sin", "float8", "1.5707963267948966");
    CHECK("22003: input is out of range", "asin", "float8", "2");
    CHECK("0.7853981633974483", "atan2", "float8;float8", "1", "1");
    CHECK("3", "width_bucket", "float8;float8;float8;int4", "5.35", "0.024", "10.06", "5");
    CHECK("0", "width_bucket", "float8;float8;float8;int4", "-1", "0", "10", "5");
    CHECK("", "setseed", "float8", "0.25");
    char first[32];
    snprintf(first, sizeof first, "%s", call1("random", "", 0, NULL, false));
    CHECK("", "setseed", "float8", "0.25");
    LMT_CHECK_STR(call1("random", "", 0, NULL, false), first, "setseed makes random() repeat");
    CHECK("22023: setseed parameter 2 is out of allowed range [-1,1]", "setseed", "float8", "2");
    const char *r = call1("random", "", 0, NULL, false);
    double x = atof(r);
    LMT_CHECK(x >= 0 && x < 1, "random() in [0,1): %s", r);
}

static void test_datetime(void)
{
    test_ctx.transaction_timestamp = INT64_C(1709647629123456); /* 2024-03-05 14:07:09.123456 */
    test_ctx.statement_timestamp = test_ctx.transaction_timestamp;
    CHECK0("2024-03-05 14:07:09.123456+00", "now");
    CHECK0("2024-03-05", "current_date");
    CHECK("2024-03-05 14:00:00", "date_trunc", "text;timestamp", "hour", "2024-03-05 14:07:09");
    CHECK("2024-03-04 00:00:00", "date_trunc", "text;timestamp", "week", "2024-03-05 14:07:09");
    CHECK("2024-01-01 00:00:00", "date_trunc", "text;timestamp", "QUARTER", "2024-03-05 14:07:09");
    CHECK("2001-01-01 00:00:00", "date_trunc", "text;timestamp", "century", "2024-03-05");
    CHECK("2020-01-01 00:00:00", "date_trunc", "text;timestamp", "decade", "2024-03-05");
    CHECK("2024-03-01 00:00:00+00", "date_trunc", "text;timestamptz", "month",
          "2024-03-05 14:07:09+00");
    CHECK("1 day 02:00:00", "date_trunc", "text;interval", "hour", "1 day 02:03:04");
    CHECK("22023: unit \"foo\" not recognized for type timestamp without time zone", "date_trunc",
          "text;timestamp", "foo", "2024-01-01");
    CHECK("2024", "date_part", "text;timestamp", "year", "2024-03-05 14:07:09.5");
    CHECK("9.5", "date_part", "text;timestamp", "second", "2024-03-05 14:07:09.5");
    CHECK("2", "date_part", "text;timestamp", "dow", "2024-03-05 14:07:09.5");
    CHECK("10", "date_part", "text;timestamp", "week", "2024-03-05");
    CHECK("65", "date_part", "text;date", "doy", "2024-03-05");
    CHECK("93600", "date_part", "text;interval", "epoch", "1 day 2 hours");
    CHECKC("1704103212.500000", "extract", "text;timestamp", "epoch", "2024-01-01 10:00:12.5");
    CHECKC("12.500000", "extract", "text;timestamp", "second", "2024-01-01 10:00:12.5");
    CHECKC("2024", "extract", "text;timestamp", "year", "2024-01-01");
    CHECKC("12500.000", "extract", "text;timestamp", "milliseconds", "2024-01-01 10:00:12.5");
    CHECKC("2460311.50000000000000000000", "extract", "text;timestamp", "julian",
           "2024-01-01 12:00");
    CHECKC("93600.000000", "extract", "text;interval", "epoch", "1 day 2 hours");
    CHECKC("1704067200", "extract", "text;date", "epoch", "2024-01-01");
    CHECKC("0A000: unit \"hour\" not supported for type date", "extract", "text;date", "hour",
           "2024-01-01");
    CHECKC("21", "extract", "text;timestamp", "century", "2024-01-01");
    CHECKC("2024", "extract", "text;timestamp", "isoyear", "2024-01-01");
    CHECK("2009-02-13 23:31:30.5+00", "to_timestamp", "float8", "1234567890.5");
    CHECK("2024-03-05 14:07:09.123.123456 02 PM pm Mar March    | Tue Tuesday  | 065 10 10 1  3 "
          "2460375 21 5 March| 05th 05TH lit 1",
          "to_char", "timestamp;text", "2024-03-05 14:07:09.123456",
          "YYYY-MM-DD HH24:MI:SS.MS.US HH12 AM am Mon Month| Dy Day| DDD IW WW Q TZ D J CC FMDD "
          "FMMonth| DDth ddTH \"lit\" W");
    CHECK("UTC +00 +00:00", "to_char", "timestamptz;text", "2024-03-05 14:07:09+00",
          "TZ OF TZH:TZM");
    CHECK("26:03:00 01", "to_char", "interval;text", "1 day 26 hours 3 minutes", "HH24:MI:SS DD");
    CHECK(" 123.46", "to_char", "numeric(10,3);text", "123.456", "999.99");
    CHECK(" -12", "to_char", "int4;text", "-12", "999");
    CHECK("1.5", "to_char", "numeric(10,1);text", "1.5", "FM999.99");
    CHECK("1.", "to_char", "int4;text", "1", "FM999.99");
    CHECK(" 12,345.6", "to_char", "numeric(10,1);text", "12345.6", "99,999.0");
    CHECK(" 005", "to_char", "int4;text", "5", "000");
    CHECK("-005", "to_char", "int4;text", "-5", "S000");
    CHECK(" ###", "to_char", "int4;text", "12345", "999");
    CHECK(" 1,234,567", "to_char", "int4;text", "1234567", "9,999,999");
    CHECK("    12", "to_char", "int4;text", "12", "9,999");
    CHECK("  .50", "to_char", "numeric(5,2);text", "0.5", "9.99");
    CHECK(" 0.50", "to_char", "numeric(5,2);text", "0.5", "0.99");
    CHECK("-.5", "to_char", "numeric(5,2);text", "-0.5", "FM9.99");
    CHECK("3-", "to_char", "int4;text", "-3", "9MI");
    CHECK("   1.00", "to_char", "float8;text", "1.0", "999D99");
    CHECK("<123>", "to_char", "int4;text", "-123", "FM999PR");
    CHECK("2024-03-05 14:07:09+00", "to_timestamp", "text;text", "2024-03-05 14:07:09",
          "YYYY-MM-DD HH24:MI:SS");
    CHECK("2024-03-05 14:07:09+00", "to_timestamp", "text;text", "05 Mar 2024 02:07:09 PM",
          "DD Mon YYYY HH12:MI:SS AM");
    CHECK("2024-03-05", "to_date", "text;text", "20240305", "YYYYMMDD");
    CHECK("2024-02-29", "make_date", "int4;int4;int4", "2024", "2", "29");
    CHECK("22008: date field value out of range: 2023-02-29", "make_date", "int4;int4;int4", "2023",
          "2", "29");
    CHECK("2024-02-29 10:11:12.5", "make_timestamp", "int4;int4;int4;int4;int4;float8", "2024", "2",
          "29", "10", "11", "12.5");
    CHECK("1 year 2 mons 3 days 04:05:06", "age", "timestamp;timestamp", "2024-05-08 04:05:06",
          "2023-03-05");
    CHECK("-1 mons -27 days", "age", "timestamp;timestamp", "2024-02-03", "2024-03-30");
    CHECK("2020-02-11 15:30:00", "date_bin", "interval;timestamp;timestamp", "15 minutes",
          "2020-02-11 15:44:17", "2001-01-01");
    CHECK("1 mon 5 days", "justify_days", "interval", "35 days");
    CHECK("1 day 03:00:00", "justify_hours", "interval", "27 hours");
    CHECK("29 days 23:00:00", "justify_interval", "interval", "1 mon -1 hour");
    CHECK("t", "isfinite", "timestamp", "2024-01-01");
    CHECK("f", "isfinite", "timestamp", "infinity");
    CHECK("2024-01-01 06:30:00", "timezone", "text;timestamptz", "+05:30",
          "2024-01-01 12:00:00+00");
    CHECK("2024-01-01 09:00:00", "timezone", "text;timestamptz", "UTC+3", "2024-01-01 12:00:00+00");
    CHECK("2024-01-01 10:00:00+00", "timezone", "text;timestamp", "-02", "2024-01-01 12:00:00");
    CHECK("2024-01-01 10:00:00+00", "timezone", "interval;timestamp", "02:00",
          "2024-01-01 12:00:00");
    CHECK("2024-07-01 17:00:00+00", "timezone", "text;timestamp", "EST", "2024-07-01 12:00");
    CHECK("2024-07-01 13:00:00", "timezone", "text;timestamptz", "cet", "2024-07-01 12:00+00");
    if (access("/usr/share/zoneinfo/Europe/Berlin", R_OK) == 0) {
        /* IANA zones from the system tz database; values from PostgreSQL 15 */
        CHECK("2024-03-31 01:59:59", "timezone", "text;timestamptz", "Europe/Berlin",
              "2024-03-31 00:59:59+00");
        CHECK("2024-03-31 03:00:00", "timezone", "text;timestamptz", "Europe/Berlin",
              "2024-03-31 01:00:00+00");
        CHECK("2024-10-27 01:30:00+00", "timezone", "text;timestamp", "Europe/Berlin",
              "2024-10-27 02:30"); /* repeated hour: the later offset */
        CHECK("2024-03-31 01:30:00+00", "timezone", "text;timestamp", "Europe/Berlin",
              "2024-03-31 02:30"); /* skipped hour: the earlier offset */
        CHECK("2018-11-04 06:30:00+00", "timezone", "text;timestamp", "america/new_york",
              "2018-11-04 01:30");
        CHECK("2100-07-01 17:00:00", "timezone", "text;timestamptz", "America/Los_Angeles",
              "2100-07-02 00:00+00"); /* past the last transition: the POSIX rule */
        CHECK("1900-01-01 12:19:32", "timezone", "text;timestamptz", "Europe/Amsterdam",
              "1900-01-01 12:00+00");
        CHECK("2024-01-15 23:00:00", "timezone", "text;timestamptz", "Australia/Sydney",
              "2024-01-15 12:00+00");
    } else
        lmt_skip("no /usr/share/zoneinfo (tzdata)", "IANA time zones");
    CHECK("22023: time zone \"../etc/passwd\" not recognized", "timezone", "text;timestamptz",
          "../etc/passwd", "2024-01-01 12:00+00");
    CHECK("22023: time zone \"Mars/Base\" not recognized", "timezone", "text;timestamp",
          "Mars/Base", "2024-01-01 12:00:00");
}

static void test_json(void)
{
    const char *doc = "{\"a\": {\"b\": [1, {\"c\": \"x\\ny\"}]}, \"d\": null, \"e\": 1.50}";
    CHECK("{\"b\": [1, {\"c\": \"x\\ny\"}]}", "->", "json;text", doc, "a");
    CHECK("NULL", "->", "json;text", doc, "zz");
    CHECK("null", "->", "json;text", doc, "d");
    CHECK("NULL", "->>", "json;text", doc, "d");
    CHECK("1.50", "->>", "json;text", doc, "e");
    CHECK("3", "->", "json;int4", "[1,2,3]", "-1");
    CHECK("NULL", "->", "json;int4", "[1]", "5");
    CHECK("NULL", "->>", "json;int4", "\"abc\"", "0");
    CHECK("{\"c\": \"x\\ny\"}", "#>", "json;text[]", doc, "{a,b,1}");
    CHECK("x\ny", "#>>", "json;text[]", doc, "{a,b,1,c}");
    CHECK("3", "#>>", "json;text[]", "{\"a\":[1,2,3]}", "{a,-1}");
    CHECK("NULL", "#>", "json;text[]", "{\"a\":[1,2,3]}", "{a,x}");
    CHECK("2", "->>", "json;text", "{\"a\":1, \"a\":2}", "a");
    CHECK("éA", "->>", "json;text", "{\"a\":\"\\u00e9\\u0041\"}", "a");
    CHECK("22P05: unsupported Unicode escape sequence", "->>", "json;text", "{\"a\":\"\\u0000\"}",
          "a");
    /* JSON values are validated on input; the scanner stops at what it needs, so only
     * malformed text on the way to the answer is reported */
    CHECK("22P02: invalid input syntax for type json", "->", "json;int4", "\x01[1,2", "5");
    CHECK("c", "json_extract_path_text", "json;text;text", "{\"a\":{\"b\":\"c\"}}", "a", "b");
    CHECK("{\"b\":\"c\"}", "json_extract_path", "json;text", "{\"a\":{\"b\":\"c\"}}", "a");
    CHECK("x\ny", "json_value", "json;text", doc, "$.a.b[1].c");
    CHECK("1", "json_value", "json;text", doc, "$.a.b[0]");
    CHECK("NULL", "json_value", "json;text", doc, "$.a");
    CHECK("1.50", "json_value", "json;text", doc, "lax $.\"e\"");
    CHECK("NULL", "json_value", "json;text", doc, "$.a.b[last].zz");
    CHECK("42601: syntax error in JSON path \"a.b\"", "json_value", "json;text", doc, "a.b");
    CHECK(
        "{\"a\" : 1, \"b\" : \"x\", \"c\" : null, \"d\" : true, \"e\" : {\"z\":1}, \"f\" : [1,2]}",
        "json_build_object", "text;int4;text;text;text;text;text;bool;text;json;text;int4[]", "a",
        "1", "b", "x", "c", NULL, "d", "true", "e", "{\"z\":1}", "f", "{1,2}");
    CHECK("{\"a\": 2, \"bb\": 1}", "jsonb_build_object", "text;int4;text;text;text;int4", "bb", "1",
          "a", "x", "a", "2");
    CHECK("[1, \"a\", null]", "json_build_array", "int4;text;text", "1", "a", NULL);
    CHECK("22023: argument list must have even number of elements", "json_build_object", "text",
          "a");
    CHECK("22023: argument 1 cannot be null", "json_build_object", "text;int4", NULL, "1");
    CHECK("\"x\\\"y\"", "to_json", "text", "x\"y");
    CHECK("1.5", "to_json", "numeric(5,1)", "1.5");
    CHECK("number", "json_typeof", "json", "1.5");
    CHECK("array", "json_typeof", "json", " [1]");
    CHECK("3", "json_array_length", "json", "[1, [2, 3], {\"a\": [4]}]");
    CHECK("0", "json_array_length", "json", "[]");
    CHECK("22023: cannot get array length of a scalar", "json_array_length", "json", "1");
    CHECK("22023: cannot get array length of a non-array", "json_array_length", "json", "{}");
    /* jsonb existence and containment (values from PostgreSQL 15) */
    CHECK("t", "@>", "json;json", "{\"a\":1, \"b\":{\"c\":[1,2,3]}}", "{\"b\":{\"c\":[3]}}");
    CHECK("t", "@>", "json;json", "{\"a\":1}", "{\"a\":1.0}");
    CHECK("t", "@>", "json;json", "[1,2,[3,4]]", "[[4]]");
    CHECK("t", "@>", "json;json", "[1,2]", "1");
    CHECK("f", "@>", "json;json", "{\"a\":[1]}", "{\"a\":1}");
    CHECK("f", "@>", "json;json", "1", "[1]");
    CHECK("t", "@>", "json;json", "{\"a\":\"x\\u0041\"}", "{\"a\":\"xA\"}");
    CHECK("t", "<@", "json;json", "{}", "{\"a\":1}");
    CHECK("t", "?", "json;text", "{\"a\":1, \"b\":2}", "a");
    CHECK("f", "?", "json;text", "[1,2]", "1");
    CHECK("t", "?", "json;text", "[\"a\",\"b\"]", "b");
    CHECK("f", "?", "json;text", "{\"a\":{\"z\":1}}", "z");
    CHECK("t", "?|", "json;text[]", "{\"a\":1, \"b\":2}", "{x,b}");
    CHECK("f", "?&", "json;text[]", "{\"a\":1, \"b\":2}", "{a,c}");
    CHECK("t", "?&", "json;text[]", "{\"a\":1}", "{}");
}

static void test_array(void)
{
    CHECK("{a,b,\"\",c}", "string_to_array", "text;text", "a,b,,c", ",");
    CHECK("{a,b,c}", "string_to_array", "text;text", "abc", NULL);
    CHECK("{}", "string_to_array", "text;text", "", ",");
    CHECK("{a,NULL,b}", "string_to_array", "text;text;text", "a,x,b", ",", "x");
    CHECK("NULL", "string_to_array", "text;text", NULL, ",");
    CHECK("a-c", "array_to_string", "text[];text", "{a,NULL,c}", "-");
    CHECK("a-*-c", "array_to_string", "text[];text;text", "{a,NULL,c}", "-", "*");
    CHECK("1.0,2.5", "array_to_string", "numeric(5,1)[];text", "{1,2.5}", ",");
    CHECK("3", "cardinality", "int4[]", "{1,2,3}");
    CHECK("0", "cardinality", "int4[]", "{}");
    CHECK("3", "array_length", "int4[];int4", "{1,2,3}", "1");
    CHECK("NULL", "array_length", "int4[];int4", "{}", "1");
    CHECK("NULL", "array_length", "int4[];int4", "{1}", "2");
    CHECK("1", "array_lower", "int4[];int4", "{5}", "1");
    CHECK("3", "array_upper", "int4[];int4", "{5,6,7}", "1");
    CHECK("{1,2,3}", "array_append", "int4[];int4", "{1,2}", "3");
    CHECK("{3}", "array_append", "int4[];int4", NULL, "3");
    CHECK("{0,1,2}", "array_prepend", "int4;int4[]", "0", "{1,2}");
    CHECK("{a,b,c}", "array_cat", "text[];text[]", "{a}", "{b,c}");
    CHECK("{1}", "array_cat", "int4[];int4[]", "{1}", NULL);
    CHECK("2", "array_position", "int4[];int4", "{1,NULL,3}", NULL);
    CHECK("3", "array_position", "text[];text", "{a,b,c}", "c");
    CHECK("NULL", "array_position", "text[];text", "{a,b,c}", "z");
}

static void test_pgcatalog(void)
{
    CHECK0("PostgreSQL 15.8 (Laminar 0.1.0) on x86_64-pc-linux-gnu, compiled by gcc, 64-bit",
           "version");
    CHECK0("laminar_db", "current_database");
    CHECK0("alice", "current_user");
    CHECK0("public", "current_schema");
    CHECK("{pg_catalog,public}", "current_schemas", "bool", "true");
    CHECK("{public}", "current_schemas", "bool", "false");
    snprintf(test_search_path, sizeof test_search_path, "analytics, nosuch, \"$user\", public");
    CHECK("{pg_catalog,analytics,public}", "current_schemas", "bool", "true");
    CHECK0("analytics", "current_schema");
    snprintf(test_search_path, sizeof test_search_path, "public, pg_catalog");
    CHECK("{public,pg_catalog}", "current_schemas", "bool", "true");
    snprintf(test_search_path, sizeof test_search_path, "\"$user\", public");
    CHECK0("4242", "pg_backend_pid");
    CHECK0("f", "pg_is_in_recovery");
    CHECK("\"$user\", public", "current_setting", "text", "search_path");
    CHECK("42704: unrecognized configuration parameter \"nope\"", "current_setting", "text",
          "nope");
    CHECK("NULL", "current_setting", "text;bool", "nope", "true");
    CHECK("on", "set_config", "text;text;bool", "my.flag", "on", "false");
    CHECK("integer", "format_type", "oid;int4", "23", "-1");
    CHECK("character varying(20)", "format_type", "oid;int4", "1043", "24");
    CHECK("text", "format_type", "oid;int4", "25", NULL);
    CHECK("NULL", "format_type", "oid;int4", NULL, "1");
    CHECK("???", "format_type", "oid;int4", "999999", "-1");
    CHECK("x + 1", "pg_get_expr", "text;oid", "x + 1", "16384");
    CHECK("t", "pg_table_is_visible", "oid", "16384");
    CHECK("f", "pg_table_is_visible", "oid", "16390");
    CHECK("t", "pg_table_is_visible", "oid", "1259");
    CHECK("NULL", "pg_table_is_visible", "oid", "5");
    CHECK("CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)", "pg_get_indexdef",
          "oid", "1073758208");
    CHECK("PRIMARY KEY (id)", "pg_get_constraintdef", "oid", "1342193664");
    CHECK("NULL", "pg_get_constraintdef", "oid", "7");
    CHECK("text, integer", "pg_get_function_arguments", "oid", "3060"); /* left */
    CHECK("text", "pg_get_function_result", "oid", "3060");
    CHECK("VARIADIC \"any\"", "pg_get_function_arguments", "oid", "3058"); /* concat */
    CHECK("void", "pg_get_function_result", "oid", "2880");                /* pg_advisory_lock */
    CHECK("text[]", "pg_get_function_result", "oid", "3396");              /* regexp_match */
    CHECK("anyarray", "pg_get_function_result", "oid", "378");             /* array_append */
    CHECK("NULL", "obj_description", "oid;text", "16384", "pg_class");
    CHECK("CREATE OR REPLACE FUNCTION pg_catalog.concat(VARIADIC \"any\")\n RETURNS text\n"
          " LANGUAGE internal\n STABLE PARALLEL SAFE\nAS $function$concat$function$\n",
          "pg_get_functiondef", "oid", "3058");
    CHECK("CREATE OR REPLACE FUNCTION pg_catalog.pg_advisory_lock(bigint)\n RETURNS void\n"
          " LANGUAGE internal\n PARALLEL RESTRICTED STRICT\nAS "
          "$function$pg_advisory_lock$function$\n",
          "pg_get_functiondef", "oid", "2880");
    /* roles come from the catalog (bootstrap superuser "laminar" only) */
    CHECK("f", "pg_has_role", "text;text", "laminar", "MEMBER"); /* alice is not a superuser */
    CHECK("42704: role \"bob\" does not exist", "pg_has_role", "text;text", "bob", "USAGE");
    CHECK("t", "pg_has_role", "text;text;text", "laminar", "pg_read_all_stats", "USAGE");
    CHECK("laminar", "pg_get_userbyid", "oid", "10");
    CHECK("unknown (OID=77)", "pg_get_userbyid", "oid", "77");
    CHECK("t", "pg_operator_is_visible", "oid", "96");
    CHECK0("UTF8", "getdatabaseencoding");
    CHECK("NULL", "pg_get_serial_sequence", "text;text", "users", "id");
    CHECK("42P01: relation \"nope\" does not exist", "pg_get_serial_sequence", "text;text", "nope",
          "id");
    CHECK("16384", "to_regclass", "text", "users");
    CHECK("NULL", "to_regclass", "text", "nope");
    CHECK("23", "to_regtype", "text", "integer");
    CHECK("NULL", "to_regtype", "text", "nosuchtype");
    CHECK("1700", "pg_typeof", "numeric(5,2)", "1.5"); /* regtype prints as a number until the
                                                          value I/O names reg* values */
    CHECK("t", "has_table_privilege", "text;text", "users", "SELECT");
    CHECK("t", "has_table_privilege", "text;text", "public.users",
          "select, insert WITH GRANT OPTION");
    CHECK("t", "has_table_privilege", "oid;text", "16384", "UPDATE");
    CHECK("NULL", "has_table_privilege", "oid;text", "5", "UPDATE");
    CHECK("42P01: relation \"nosuch\" does not exist", "has_table_privilege", "text;text", "nosuch",
          "SELECT");
    CHECK("22023: unrecognized privilege type: \"FOO\"", "has_table_privilege", "text;text",
          "users", "FOO");
    CHECK("t", "has_schema_privilege", "text;text", "public", "USAGE");
    CHECK("t", "has_schema_privilege", "text;text", "pg_catalog", "CREATE, USAGE");
    CHECK("t", "has_database_privilege", "text;text", "laminar_db", "CONNECT");
    CHECK("3D000: database \"x\" does not exist", "has_database_privilege", "text;text", "x",
          "CONNECT");
    CHECK("t", "has_function_privilege", "text;text", "upper(text)", "EXECUTE");
    CHECK("42883: function \"nosuchfn(int)\" does not exist", "has_function_privilege", "text;text",
          "nosuchfn(int)", "EXECUTE");
    CHECK("t", "has_column_privilege", "text;text;text", "users", "id", "SELECT");
    CHECK("UTF8", "pg_encoding_to_char", "int4", "6");
    CHECK("", "pg_encoding_to_char", "int4", "99");
    CHECK("6", "pg_char_to_encoding", "text", "utf8");
    CHECK("-1", "pg_char_to_encoding", "text", "latin9x");
    CHECK("0", "pg_relation_size", "oid", "16384");
    CHECK("0", "pg_database_size", "text", "laminar_db");
    CHECK("3D000: database \"other\" does not exist", "pg_database_size", "text", "other");
    CHECK("100 bytes", "pg_size_pretty", "int8", "100");
    CHECK("10 kB", "pg_size_pretty", "int8", "10240");
    CHECK("118 MB", "pg_size_pretty", "int8", "123456789");
    CHECK("-20 kB", "pg_size_pretty", "int8", "-20480");
    CHECK("1024 GB", "pg_size_pretty", "int8", "1099511627776");
}

static void test_admin(void)
{
    nlock_calls = 0;
    CHECK("", "pg_advisory_lock", "int8", "7");
    LMT_CHECK(nlock_calls == 2 && lock_calls[0] == 7, "pg_advisory_lock passes the key");
    nlock_calls = 0;
    CHECK("t", "pg_try_advisory_lock", "int4;int4", "1", "2");
    LMT_CHECK(lock_calls[0] == (INT64_C(1) << 32 | 2), "(int, int) keys combine as a<<32|b");
    nlock_calls = 0;
    CHECK("t", "pg_try_advisory_lock", "int4;int4", "-1", "-1");
    LMT_CHECK(lock_calls[0] == -1, "negative halves combine without sign extension of b");
    CHECK("f", "pg_try_advisory_xact_lock", "int8", "99");
    CHECK("t", "pg_advisory_unlock", "int8", "1");
    CHECK("f", "pg_advisory_unlock_shared", "int8", "2");
    CHECK0("", "pg_advisory_unlock_all");
    CHECK("", "pg_sleep", "float8", "0.02");
    CHECK("", "pg_sleep_for", "interval", "20 milliseconds");
    CHECK("57014: canceling statement due to user request", "pg_cancel_backend", "int4", "4242");
    CHECK("f", "pg_terminate_backend", "int4", "1");
    /* cancellation interrupts pg_sleep */
    atomic_bool cancel = true;
    test_ctx.cancel_requested = &cancel;
    CHECK("57014: canceling statement due to user request", "pg_sleep", "float8", "10");
    test_ctx.cancel_requested = NULL;
}

/* A catalog on a temporary data directory (roles for pg_has_role, pg_get_userbyid). */
static char datadir[] = "/tmp/lm_test_functions.XXXXXX";
static Storage *storage;

static void catalog_start(void)
{
    if (mkdtemp(datadir) == NULL) {
        perror("mkdtemp");
        exit(1);
    }
    storage = storage_open(datadir);
    catalog_init(storage, "laminar");
}

static void catalog_stop(void)
{
    catalog_shutdown();
    storage_close(storage);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", datadir);
    if (system(cmd) != 0)
        lmt_diag("could not remove %s", datadir);
}

int main(void)
{
    test_arena = arena_create("test", NULL);
    catalog_start();
    test_ctx.arena = test_arena;
    test_svc.user = "alice";
    test_svc.database = "laminar_db";
    test_svc.backend_pid = 4242;
    test_svc.get_setting = svc_get_setting;
    test_svc.set_setting = svc_set_setting;
    test_svc.advisory_lock = svc_lock;
    test_svc.advisory_unlock = svc_unlock;
    test_svc.advisory_unlock_all = svc_unlock_all;
    test_svc.list_tables = svc_list_tables;
    test_svc.list_schemas = svc_list_schemas;
    test_ctx.svc = &test_svc;
    FuncCatalogHooks hooks = {0};
    hooks.relation_by_oid = hook_rel_by_oid;
    hooks.relation_by_name = hook_rel_by_name;
    hooks.indexdef_by_oid = hook_indexdef;
    hooks.constraintdef_by_oid = hook_constraintdef;
    hooks.proc_by_oid = hook_proc;
    func_set_catalog_hooks(&hooks);
    test_string();
    test_string_batch();
    test_regex();
    test_math();
    test_datetime();
    test_json();
    test_array();
    test_pgcatalog();
    test_admin();
    catalog_stop();
    return lmt_done();
}
