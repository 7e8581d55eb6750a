/*
 * pgtree.c: the bridge to libpg_query's parser.
 *
 * pg_query_parse_protobuf() returns a serialized tree; it is unpacked with a
 * ProtobufCAllocator that takes memory from the caller's arena, so the tree
 * lives exactly as long as the statement and is never freed piecemeal.  The
 * libpg_query buffers themselves are freed before anything can throw.
 *
 * Keeping locations original.  The cheapest way to make every node location
 * an offset into the user's text is to hand libpg_query a string aligned with
 * that text: pgtree_blank_outside() copies the text and turns the bytes that
 * are not to be parsed into spaces, so offset N means the same byte in both.
 * Where alignment is impossible (parser_parse_expr() prepends "SELECT "), the
 * generic walker pgtree_shift_locations() moves every location field; it is
 * driven by the protobuf-c descriptors, so it covers every node type of the
 * grammar without a per-node switch.
 *
 * libpg_query counts error cursor positions in characters; they are turned
 * into byte offsets over the exact string that was parsed, which stays
 * correct after blanking because blanking preserves byte offsets.
 */
#include "parser/parser_int.h"
#include "common/error.h"

#include <pg_query.h>
#include <pthread.h>

#define SELECT_PREFIX "SELECT "

#ifndef ERRCODE_STATEMENT_TOO_COMPLEX
#define ERRCODE_STATEMENT_TOO_COMPLEX "54001"
#endif

/*
 * protobuf-c unpacks recursively, two C frames per level of expression
 * nesting, with no limit of its own; a statement like "a+a+a+...+a" twenty
 * thousand terms long would overflow a session thread's stack.  Trees deeper
 * than this many protobuf messages are refused before unpacking (54001, as
 * PostgreSQL's "stack depth limit exceeded").  About 1000 levels of
 * expression nesting: far beyond hand-written SQL, and small enough to
 * unpack in about 1 MB of stack.  Later stages that recurse over the tree
 * can rely on the same bound (parser.h).
 */
#define MAX_TREE_DEPTH PARSER_MAX_TREE_DEPTH

static void *tree_alloc(void *data, size_t size)
{
    return arena_alloc((Arena *)data, size ? size : 1);
}

static void tree_free(void *data, void *ptr)
{
    /* arena memory goes with the arena */
}

char *pgtree_blank_outside(Arena *arena, const char *text, int keep_start, int end)
{
    char *copy = arena_alloc(arena, (size_t)end + 1);
    for (int i = 0; i < end; i++)
        copy[i] = i < keep_start ? (text[i] == '\n' ? '\n' : ' ') : text[i];
    copy[end] = '\0';
    return copy;
}

/* Reads a base-128 varint; false at a truncated or overlong one. */
static bool read_varint(const uint8_t **p, const uint8_t *end, uint64 *out)
{
    uint64 v = 0;
    for (int shift = 0; shift < 64 && *p < end; shift += 7) {
        uint8_t b = *(*p)++;
        v |= (uint64)(b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            *out = v;
            return true;
        }
    }
    return false;
}

/*
 * The nesting depth of serialized message data, found without recursion by
 * following the schema: only length-delimited fields whose descriptor says
 * "message" are descended into.  Returns -1 on malformed data.
 */
static int wire_depth(const uint8_t *data, size_t len, const ProtobufCMessageDescriptor *desc,
                      int limit)
{
    typedef struct Frame {
        const ProtobufCMessageDescriptor *desc;
        const uint8_t *pos, *end;
    } Frame;
    size_t cap = 64;
    int depth = 1, max_depth = 1;
    Frame *stack = lm_malloc(cap * sizeof *stack);
    stack[0] = (Frame){desc, data, data + len};

    while (depth > 0 && max_depth <= limit) {
        Frame *f = &stack[depth - 1];
        if (f->pos >= f->end) {
            depth--;
            continue;
        }
        uint64 tag, n;
        if (!read_varint(&f->pos, f->end, &tag))
            goto malformed;
        switch (tag & 7) {
        case 0:
            if (!read_varint(&f->pos, f->end, &n))
                goto malformed;
            break;
        case 1:
            f->pos += 8;
            break;
        case 5:
            f->pos += 4;
            break;
        case 2: {
            if (!read_varint(&f->pos, f->end, &n) || n > (uint64)(f->end - f->pos))
                goto malformed;
            const uint8_t *start = f->pos;
            f->pos += n;
            const ProtobufCFieldDescriptor *fd =
                protobuf_c_message_descriptor_get_field(f->desc, (unsigned)(tag >> 3));
            if (fd && fd->type == PROTOBUF_C_TYPE_MESSAGE) {
                if ((size_t)depth == cap) {
                    cap *= 2;
                    stack = lm_realloc(stack, cap * sizeof *stack);
                }
                stack[depth++] = (Frame){fd->descriptor, start, start + n};
                max_depth = LM_MAX(max_depth, depth);
            }
            break;
        }
        default:
            goto malformed;
        }
        if (f->pos > f->end)
            goto malformed;
    }
    lm_free(stack);
    return max_depth;

malformed:
    lm_free(stack);
    return -1;
}

/* libpg_query + unpack on the current thread; see pgtree_parse() for the stack question. */
static PgQuery__ParseResult *parse_here(Arena *arena, const char *input, PgParseError *err)
{
    err->sqlstate = ERRCODE_SYNTAX_ERROR;
    PgQueryProtobufParseResult res = pg_query_parse_protobuf(input);
    if (res.error) {
        err->message =
            arena_strdup(arena, res.error->message ? res.error->message : "syntax error");
        err->position =
            res.error->cursorpos > 0 ? scan_char_to_byte(input, res.error->cursorpos - 1) : -1;
        pg_query_free_protobuf_parse_result(res);
        return NULL;
    }
    int depth = wire_depth((const uint8_t *)res.parse_tree.data, res.parse_tree.len,
                           &pg_query__parse_result__descriptor, MAX_TREE_DEPTH);
    if (depth < 0 || depth > MAX_TREE_DEPTH) {
        pg_query_free_protobuf_parse_result(res);
        err->sqlstate = depth < 0 ? ERRCODE_INTERNAL_ERROR : ERRCODE_STATEMENT_TOO_COMPLEX;
        err->message =
            depth < 0 ? "could not decode the parser's output" : "statement is too deeply nested";
        err->position = -1;
        return NULL;
    }
    ProtobufCAllocator alloc = {tree_alloc, tree_free, arena};
    PgQuery__ParseResult *tree = pg_query__parse_result__unpack(
        &alloc, res.parse_tree.len, (const uint8_t *)res.parse_tree.data);
    pg_query_free_protobuf_parse_result(res);
    if (tree == NULL) {
        err->sqlstate = ERRCODE_INTERNAL_ERROR;
        err->message = "could not decode the parser's output";
        err->position = -1;
    }
    return tree;
}

/* ---------------------------------------------------------------- stack budget */

/*
 * libpg_query recurses once per level of the tree it builds and serializes
 * (up to ~1 KB of stack per level for nested subqueries), and has no depth
 * limit of its own: "SELECT a+a+...+a" with 50,000 terms overflows even an
 * 8 MB stack.  Session threads may well have small stacks.  So each parse
 * gets a stack budget from an upper bound of its nesting depth computed over
 * the tokens (scan_depth_bound()): if the calling thread has that much stack
 * left, the parse runs here; otherwise on a short-lived helper thread with a
 * stack big enough (reserved, only touched pages cost memory), the caller
 * waiting.  Ordinary statements never need the helper on a thread with a
 * few MB of stack.  A bound beyond MAX_PARSE_STACK is refused outright.
 */
#define STACK_PER_LEVEL 1024
#define STACK_BASE (1536 * 1024) /* unpack (bounded by MAX_TREE_DEPTH) and callers */
#define STACK_MARGIN (128 * 1024)
#define MAX_PARSE_STACK ((size_t)256 << 20)

static __thread char *thread_stack_low; /* lowest usable address of this thread's stack */

static size_t stack_left(void)
{
    char here;
    if (thread_stack_low == NULL) {
        pthread_attr_t attr;
        void *addr;
        size_t size;
        if (pthread_getattr_np(pthread_self(), &attr) != 0)
            return 0;
        int rc = pthread_attr_getstack(&attr, &addr, &size);
        pthread_attr_destroy(&attr);
        if (rc != 0)
            return 0;
        thread_stack_low = addr;
    }
    return &here > thread_stack_low ? (size_t)(&here - thread_stack_low) : 0;
}

typedef struct ParseJob {
    Arena *arena; /* used by the helper only while the owner waits in pthread_join() */
    const char *input;
    PgParseError *err;
    PgQuery__ParseResult *result;
    ErrorData *thrown; /* an ereport() inside the helper (out of memory), copied */
} ParseJob;

static void *parse_job_main(void *arg)
{
    ParseJob *volatile job = arg;
    LM_TRY();
    {
        job->result = parse_here(job->arena, job->input, job->err);
    }
    LM_CATCH();
    {
        job->thrown = error_copy(job->arena, error_current());
        error_clear();
    }
    LM_END_TRY();
    /*
     * No pg_query_exit(): libpg_query 15 frees a thread's memory context by
     * itself when the thread ends, and calling it as well frees it twice.
     */
    return NULL;
}

PgQuery__ParseResult *pgtree_parse(Arena *arena, const char *input, int depth_bound,
                                   PgParseError *err)
{
    size_t need = STACK_BASE + (size_t)LM_MAX(depth_bound, 0) * STACK_PER_LEVEL;
    if (need + STACK_MARGIN <= stack_left())
        return parse_here(arena, input, err);

    err->position = -1;
    if (need > MAX_PARSE_STACK) {
        err->sqlstate = ERRCODE_STATEMENT_TOO_COMPLEX;
        err->message = "statement is too deeply nested";
        return NULL;
    }
    ParseJob job = {arena, input, err, NULL, NULL};
    pthread_attr_t attr;
    pthread_t helper;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, need + STACK_MARGIN);
    int rc = pthread_create(&helper, &attr, parse_job_main, &job);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        err->sqlstate = ERRCODE_INSUFFICIENT_RESOURCES;
        err->message = "could not start a thread to parse a large statement";
        return NULL;
    }
    pthread_join(helper, NULL);
    if (job.thrown)
        error_throw(job.thrown);
    return job.result;
}

void pgtree_raise(const PgParseError *err)
{
    const char *code = err->sqlstate ? err->sqlstate : ERRCODE_SYNTAX_ERROR;
    if (strcmp(code, ERRCODE_STATEMENT_TOO_COMPLEX) == 0)
        ereport(ERROR, errcode(code), errmsg("%s", err->message),
                errhint("Simplify the statement, e.g. by splitting long chains of operators."));
    if (err->position >= 0)
        ereport(ERROR, errcode(code), errmsg("%s", err->message), errposition(err->position + 1));
    ereport(ERROR, errcode(code), errmsg("%s", err->message));
}

static bool is_location_field(const ProtobufCFieldDescriptor *f)
{
    return f->type == PROTOBUF_C_TYPE_INT32 &&
           (strcmp(f->name, "location") == 0 || strcmp(f->name, "stmt_location") == 0);
}

/*
 * Iterative over an explicit stack: trees from deeply nested expressions
 * must not exhaust a session thread's stack here.
 */
void pgtree_shift_locations(ProtobufCMessage *root, int delta)
{
    if (root == NULL || delta == 0)
        return;
    size_t cap = 64, depth = 0;
    ProtobufCMessage **stack = lm_malloc(cap * sizeof *stack);
    stack[depth++] = root;

    while (depth > 0) {
        ProtobufCMessage *m = stack[--depth];
        const ProtobufCMessageDescriptor *d = m->descriptor;
        for (unsigned i = 0; i < d->n_fields; i++) {
            const ProtobufCFieldDescriptor *f = &d->fields[i];
            char *member = (char *)m + f->offset;

            if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
                /* all members of a oneof share storage: only the set one is valid */
                uint32 which = *(uint32 *)((char *)m + f->quantifier_offset);
                if (which != f->id)
                    continue;
            }
            if (f->type != PROTOBUF_C_TYPE_MESSAGE) {
                if (f->label != PROTOBUF_C_LABEL_REPEATED && is_location_field(f)) {
                    int32 *loc = (int32 *)member;
                    if (*loc >= 0)
                        *loc += delta;
                }
                continue;
            }
            size_t n = 1;
            ProtobufCMessage **subs = (ProtobufCMessage **)member;
            if (f->label == PROTOBUF_C_LABEL_REPEATED) {
                n = *(size_t *)((char *)m + f->quantifier_offset);
                subs = *(ProtobufCMessage ***)member;
            }
            for (size_t k = 0; k < n; k++) {
                if (subs[k] == NULL)
                    continue;
                if (depth == cap) {
                    cap *= 2;
                    stack = lm_realloc(stack, cap * sizeof *stack);
                }
                stack[depth++] = subs[k];
            }
        }
    }
    lm_free(stack);
}

/*
 * Raises 42601 for an expression that parsed as more than a bare expression
 * (an alias, FROM, a second target, ...).
 */
static void check_bare_expression(const PgQuery__SelectStmt *sel, int base_location)
{
    bool extra = sel->n_distinct_clause || sel->into_clause || sel->n_from_clause ||
                 sel->where_clause || sel->n_group_clause || sel->having_clause ||
                 sel->n_window_clause || sel->n_values_lists || sel->n_sort_clause ||
                 sel->limit_offset || sel->limit_count || sel->n_locking_clause ||
                 sel->with_clause || sel->op != PG_QUERY__SET_OPERATION__SETOP_NONE ||
                 sel->n_target_list != 1;
    if (!extra) {
        const PgQuery__Node *t = sel->target_list[0];
        if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET || t->res_target->val == NULL)
            extra = true;
        else if (t->res_target->name && t->res_target->name[0])
            extra = true;
    }
    if (extra)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("syntax error in expression"),
                errdetail("A single value expression is expected here."),
                errposition(base_location + 1));
}

PgQuery__Node *parser_parse_expr(Arena *arena, const char *text, int base_location)
{
    return pgtree_parse_expr(arena, text, base_location, NULL, -1);
}

PgQuery__Node *pgtree_parse_expr(Arena *arena, const char *text, int base_location,
                                 const char *follow_text, int follow_location)
{
    const int prefix = (int)strlen(SELECT_PREFIX);
    const int len = (int)strlen(text);
    char *input = arena_printf(arena, "%s%s", SELECT_PREFIX, text);
    PgParseError err;

    /* every level of nesting needs at least one byte */
    PgQuery__ParseResult *tree = pgtree_parse(arena, input, len + 2, &err);
    if (tree == NULL) {
        if (follow_text && strcmp(err.message, "syntax error at end of input") == 0) {
            /* the expression stopped early: blame what follows it, as PostgreSQL would */
            err.message = arena_printf(arena, "syntax error at or near \"%s\"", follow_text);
            err.position = follow_location;
            pgtree_raise(&err);
        }
        if (err.position >= 0)
            err.position = base_location + LM_MAX(0, err.position - prefix);
        pgtree_raise(&err);
    }
    if (tree->n_stmts == 0 || tree->stmts[0]->stmt == NULL ||
        tree->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("syntax error at end of input"),
                errposition(base_location + len + 1));
    if (tree->n_stmts > 1) {
        /* "1; ..." : the first statement ends at the ';' */
        int semi = tree->stmts[0]->stmt_location + tree->stmts[0]->stmt_len - prefix;
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("syntax error at or near \";\""),
                errposition(base_location + LM_MAX(0, semi) + 1));
    }
    PgQuery__SelectStmt *sel = tree->stmts[0]->stmt->select_stmt;
    if (sel->n_target_list == 0)
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR), errmsg("syntax error at end of input"),
                errposition(base_location + len + 1));
    check_bare_expression(sel, base_location);

    PgQuery__Node *expr = sel->target_list[0]->res_target->val;
    pgtree_shift_locations(&expr->base, base_location - prefix);
    return expr;
}
