/*
 * test_smoke.c: unit tests of the common basics (arenas, string buffers, the
 * error API) and, by running at all, of the unit test harness itself.
 *
 * lmtest-libs: common/libcommon.a
 */
#include "common/arena.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "regress/unit/lmtest.h"

#include <stdint.h>

static void test_arena(void)
{
    Arena *a = arena_create("smoke", NULL);
    LMT_CHECK(a != NULL, "arena_create returns an arena");
    LMT_CHECK_STR(arena_name(a), "smoke", "arena keeps its name");

    char *s = arena_strdup(a, "hello");
    LMT_CHECK_STR(s, "hello", "arena_strdup copies");
    LMT_CHECK_STR(arena_strndup(a, "hello world", 5), "hello", "arena_strndup stops at n");
    LMT_CHECK_STR(arena_printf(a, "%d-%s", 42, "x"), "42-x", "arena_printf formats");

    bool aligned = true, zeroed = true;
    for (int i = 1; i < 200; i++) {
        unsigned char *p = arena_alloc0(a, (size_t)i * 7);
        if (((uintptr_t)p & 15) != 0)
            aligned = false;
        for (int j = 0; j < i * 7; j++)
            if (p[j] != 0)
                zeroed = false;
        memset(p, 0xab, (size_t)i * 7);
    }
    LMT_CHECK(aligned, "allocations are 16-byte aligned");
    LMT_CHECK(zeroed, "arena_alloc0 zeroes memory");

    /* one allocation far larger than a block */
    size_t big = 8u << 20;
    unsigned char *p = arena_alloc(a, big);
    p[0] = 1;
    p[big - 1] = 2;
    LMT_CHECK(p[0] == 1 && p[big - 1] == 2, "an 8 MB allocation is usable");
    LMT_CHECK(arena_bytes(a) >= big, "arena_bytes counts the large allocation (%zu)",
              arena_bytes(a));

    char *grown = arena_realloc(a, arena_strdup(a, "abc"), 4, 4096);
    LMT_CHECK_STR(grown, "abc", "arena_realloc keeps the contents");

    Arena *child = arena_create("child", a);
    LMT_CHECK_STR(arena_strdup(child, "c"), "c", "child arena allocates");
    arena_reset(a); /* destroys the child too */
    LMT_CHECK_STR(arena_strdup(a, "again"), "again", "arena is usable after reset");
    arena_destroy(a);

    char *h = lm_strdup("heap");
    LMT_CHECK_STR(h, "heap", "lm_strdup copies");
    lm_free(h);
}

static void test_strbuf(void)
{
    Arena *a = arena_create("strbuf", NULL);
    StrBuf b;
    strbuf_init(&b, a);
    LMT_CHECK(b.len == 0 && b.data && b.data[0] == '\0', "new buffer is empty and terminated");
    strbuf_append_str(&b, "abc");
    strbuf_append_char(&b, 'd');
    strbuf_printf(&b, "%s%d", "-", 7);
    LMT_CHECK_STR(b.data, "abcd-7", "append and printf");
    LMT_CHECK_INT(b.len, 6, "length excludes the terminator");

    strbuf_reset(&b);
    for (int i = 0; i < 100000; i++)
        strbuf_append_char(&b, (char)('a' + i % 26));
    LMT_CHECK_INT(b.len, 100000, "buffer grows to 100000 bytes");
    LMT_CHECK(b.data[99999] == 'a' + 99999 % 26 && b.data[100000] == '\0',
              "grown buffer keeps contents and terminator");
    strbuf_truncate(&b, 3);
    LMT_CHECK_STR(b.data, "abc", "truncate");

    strbuf_reset(&b);
    strbuf_append_be16(&b, 0x0102);
    strbuf_append_be32(&b, 0x03040506);
    strbuf_append_be64(&b, UINT64_C(0x0708090a0b0c0d0e));
    static const unsigned char want[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    LMT_CHECK(b.len == sizeof want && memcmp(b.data, want, sizeof want) == 0,
              "big-endian integers as the wire protocol writes them");

    strbuf_reset(&b);
    strbuf_append_sql_literal(&b, "it's");
    LMT_CHECK_STR(b.data, "'it''s'", "SQL literal doubles quotes");

    strbuf_reset(&b);
    strbuf_append_sql_ident(&b, "plain_name1");
    strbuf_append_char(&b, ' ');
    strbuf_append_sql_ident(&b, "Mixed");
    strbuf_append_char(&b, ' ');
    strbuf_append_sql_ident(&b, "select");
    strbuf_append_char(&b, ' ');
    strbuf_append_sql_ident(&b, "a\"b");
    LMT_CHECK_STR(b.data, "plain_name1 \"Mixed\" \"select\" \"a\"\"b\"",
                  "SQL identifiers quoted only when needed");
    arena_destroy(a);

    StrBuf heap;
    strbuf_init(&heap, NULL);
    strbuf_append(&heap, "x\0y", 3);
    LMT_CHECK(heap.len == 3 && heap.data[1] == '\0' && heap.data[2] == 'y',
              "binary append keeps NUL bytes");
    strbuf_free(&heap);
}

static void raise_invalid(int value)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid value %d", value),
            errdetail("Values must be positive."), errhint("Use 1."), errposition(5));
}

static void test_error(void)
{
    LMT_EXPECT_ERROR(raise_invalid(-1), "22023", "ereport(ERROR) reaches LM_CATCH with its SQLSTATE");
    LMT_EXPECT_NO_ERROR((void)0, "no error when nothing is raised");

    /* fields arrive intact */
    volatile bool caught = false;
    LM_TRY();
    {
        raise_invalid(7);
    }
    LM_CATCH();
    {
        ErrorData *e = error_current();
        caught = true;
        LMT_CHECK_STR(e->message, "invalid value 7", "message is formatted");
        LMT_CHECK_STR(e->detail, "Values must be positive.", "detail is kept");
        LMT_CHECK_STR(e->hint, "Use 1.", "hint is kept");
        LMT_CHECK_INT(e->position, 5, "position is kept");
        LMT_CHECK_INT(e->elevel, ERROR, "level is ERROR");
        Arena *a = arena_create("copy", NULL);
        ErrorData *c = error_copy(a, e);
        error_clear();
        LMT_CHECK(error_current() == NULL, "error_clear forgets the error");
        LMT_CHECK_STR(c->message, "invalid value 7", "error_copy survives error_clear");
        arena_destroy(a);
    }
    LM_END_TRY();
    LMT_CHECK(caught, "the CATCH block ran");

    /* nested: the inner handler rethrows to the outer one */
    volatile int inner = 0, outer = 0;
    LM_TRY();
    {
        LM_TRY();
        {
            raise_invalid(1);
        }
        LM_CATCH();
        {
            inner++;
            error_rethrow();
        }
        LM_END_TRY();
    }
    LM_CATCH();
    {
        outer++;
        LMT_CHECK_STR(error_current()->sqlstate, "22023", "rethrown error keeps its SQLSTATE");
        error_clear();
    }
    LM_END_TRY();
    LMT_CHECK(inner == 1 && outer == 1, "rethrow reaches the outer handler once");

    /* an error thrown after a handled one starts clean */
    LMT_EXPECT_ERROR(ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("syntax error")), "42601",
                     "a second error after a handled one");
    LMT_EXPECT_ERROR(elog(ERROR, "internal %s", "bug"), "XX000", "elog(ERROR) is XX000");
}

int main(void)
{
    test_arena();
    test_strbuf();
    test_error();
    return lmt_done();
}
