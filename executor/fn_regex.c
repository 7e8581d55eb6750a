/*
 * fn_regex.c: pattern matching — LIKE/ILIKE ("~~", "~~*", "!~~", "!~~*",
 * like_escape), POSIX regular expressions ("~", "~*", "!~", "!~*"), SIMILAR
 * TO (similar_to_escape, as PostgreSQL 15's parser rewrites it into "~"),
 * substring(text from pattern), regexp_replace, regexp_match, regexp_like,
 * regexp_count, regexp_substr, regexp_split_to_array and Laminar's
 * regexp_extract (Flink style).
 *
 * LIKE is matched by PostgreSQL's own algorithm (like_match.c MatchText:
 * byte-wise, '_' steps one UTF-8 character, the escape is backslash after
 * like_escape() rewrote a custom ESCAPE).  A constant pattern is analysed once
 * per call site: literal, prefix%, %suffix, %contains% and % are answered
 * with memcmp/memmem without running the matcher.
 *
 * Regular expressions use PCRE2 (libpcre2-dev) rather than <regex.h>: POSIX
 * EREs lack PostgreSQL ARE's \d \w \s, non-greedy quantifiers, lookahead and
 * (?i) options, which PCRE2 has; PostgreSQL-only escapes (\m \M \y \Y \Z) are
 * rewritten into PCRE2 syntax, and the options mirror ARE defaults ('.'
 * matches newline, '$' only at the end).  A constant pattern is compiled once
 * per call site into FuncCall.cache with memory from the statement arena;
 * patterns that vary per row are compiled into the batch scratch arena when
 * they differ from the previous row's.  Known difference: PCRE2 picks the
 * leftmost alternative that matches where an ARE picks the longest.  Constant
 * patterns are also JIT-compiled (regex_jit) when PCRE2 has JIT: the machine
 * code and the call site's JIT stack live outside the arenas, so they are
 * freed by an arena_on_release callback on the arena holding the call site's
 * cache; pcre2_match then runs the JIT code with the call site's match data
 * and match context (the interpreter when JIT is unavailable).  An all-ASCII
 * subject skips PCRE2's UTF validity check (and then calls pcre2_jit_match).
 */
#include "executor/fn_util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* ---------- LIKE ---------- */

enum { LIKE_FALSE = 0, LIKE_TRUE = 1, LIKE_ABORT = -1 };

static void like_bad_escape(void)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_ESCAPE_SEQUENCE),
            errmsg("LIKE pattern must not end with escape character"));
}

static inline void next_char(const char **t, int64 *tlen)
{
    int l = fn_utf8_len((unsigned char)**t);
    if (l > *tlen)
        l = (int)*tlen;
    *t += l;
    *tlen -= l;
}

/* PostgreSQL's MatchText (src/backend/utils/adt/like_match.c), UTF-8 flavour. */
static int match_text(const char *t, int64 tlen, const char *p, int64 plen)
{
    if (plen == 1 && *p == '%')
        return LIKE_TRUE;
    while (tlen > 0 && plen > 0) {
        if (*p == '\\') {
            p++, plen--;
            if (plen <= 0)
                like_bad_escape();
            if (*p != *t)
                return LIKE_FALSE;
        } else if (*p == '%') {
            char firstpat;
            p++, plen--;
            while (plen > 0) {
                if (*p == '%')
                    p++, plen--;
                else if (*p == '_') {
                    if (tlen <= 0)
                        return LIKE_ABORT;
                    next_char(&t, &tlen);
                    p++, plen--;
                } else
                    break;
            }
            if (plen <= 0)
                return LIKE_TRUE;
            if (*p == '\\') {
                if (plen < 2)
                    like_bad_escape();
                firstpat = p[1];
            } else
                firstpat = *p;
            while (tlen > 0) {
                if (*t == firstpat) {
                    int m = match_text(t, tlen, p, plen);
                    if (m != LIKE_FALSE)
                        return m;
                }
                next_char(&t, &tlen);
            }
            return LIKE_ABORT;
        } else if (*p == '_') {
            next_char(&t, &tlen);
            p++, plen--;
            continue;
        } else if (*p != *t)
            return LIKE_FALSE;
        t++, tlen--;
        p++, plen--;
    }
    if (tlen > 0)
        return LIKE_FALSE;
    while (plen > 0 && *p == '%')
        p++, plen--;
    if (plen <= 0)
        return LIKE_TRUE;
    return LIKE_ABORT;
}

typedef enum LikeKind {
    LK_GENERAL = 0, /* run match_text */
    LK_EXACT,
    LK_PREFIX,
    LK_SUFFIX,
    LK_CONTAINS,
    LK_ALL, /* "%": any string */
} LikeKind;

typedef struct LikePlan {
    LikeKind kind;
    const char *lit;
    size_t litlen;
} LikePlan;

/* Classifies a pattern: only %s at the ends, no '_' and no escapes. */
static LikePlan like_plan(const char *p, size_t len)
{
    LikePlan lp = {LK_GENERAL, NULL, 0};
    size_t a = 0, e = len;
    while (a < e && p[a] == '%')
        a++;
    while (e > a && p[e - 1] == '%')
        e--;
    for (size_t k = a; k < e; k++)
        if (p[k] == '%' || p[k] == '_' || p[k] == '\\')
            return lp;
    if (a == len) {
        lp.kind = len ? LK_ALL : LK_EXACT;
        lp.lit = p;
        return lp;
    }
    lp.lit = p + a;
    lp.litlen = e - a;
    bool lead = a > 0, trail = e < len;
    lp.kind = lead && trail ? LK_CONTAINS : lead ? LK_SUFFIX : trail ? LK_PREFIX : LK_EXACT;
    return lp;
}

static inline bool like_apply(const LikePlan *lp, const char *t, size_t tlen, const char *p,
                              size_t plen)
{
    switch (lp->kind) {
    case LK_ALL:
        return true;
    case LK_EXACT:
        return tlen == lp->litlen && memcmp(t, lp->lit, tlen) == 0;
    case LK_PREFIX:
        return tlen >= lp->litlen && memcmp(t, lp->lit, lp->litlen) == 0;
    case LK_SUFFIX:
        return tlen >= lp->litlen && memcmp(t + tlen - lp->litlen, lp->lit, lp->litlen) == 0;
    case LK_CONTAINS:
        return memmem(t, tlen, lp->lit, lp->litlen) != NULL;
    default:
        return match_text(t, tlen, p, plen) == LIKE_TRUE;
    }
}

typedef struct LikeCache {
    LikePlan plan;
    const char *pat; /* lower-cased copy for ILIKE */
    size_t patlen;
} LikeCache;

static void like_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool icase,
                      bool negate)
{
    const StrView *s = FN_SV(args[0]), *pat = FN_SV(args[1]);
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    LikeCache *lc = fc->cache;
    if (lc == NULL && fn_arg_is_const(fc, 1) && batch_live_count(b) > 0) {
        /* constant pattern: plan once per call site (statement arena) */
        int r0 = batch_row(b, 0);
        lc = arena_new(fc->ctx->arena, LikeCache);
        if (icase) {
            char *d = arena_alloc(fc->ctx->arena, pat[r0].len * 2 + 4);
            lc->patlen = fn_case_map(pat[r0].ptr, pat[r0].len, d, FN_CASE_LOWER);
            lc->pat = d;
        } else {
            lc->pat = arena_memdup(fc->ctx->arena, pat[r0].ptr, pat[r0].len ? pat[r0].len : 1);
            lc->patlen = pat[r0].len;
        }
        lc->plan = like_plan(lc->pat, lc->patlen);
        fc->cache = lc;
    }
    FN_FOREACH(b, i, r)
    {
        const char *t = s[r].ptr;
        size_t tl = s[r].len;
        bool m;
        if (icase) {
            /* lower-case text (and a varying pattern) into scratch room, not committed */
            size_t need = tl * 2 + 4 + (lc ? 0 : pat[r].len * 2 + 4);
            char *d = outbuf_reserve(&ob, need);
            tl = fn_case_map(t, tl, d, FN_CASE_LOWER);
            t = d;
            if (lc)
                m = like_apply(&lc->plan, t, tl, lc->pat, lc->patlen);
            else {
                size_t pl = fn_case_map(pat[r].ptr, pat[r].len, d + tl, FN_CASE_LOWER);
                m = match_text(t, tl, d + tl, pl) == LIKE_TRUE;
            }
        } else if (lc)
            m = like_apply(&lc->plan, t, tl, lc->pat, lc->patlen);
        else
            m = match_text(t, tl, pat[r].ptr, pat[r].len) == LIKE_TRUE;
        FN_U8(out)[r] = m != negate;
        vector_set_valid(out, r);
    }
}

static void fn_like(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    like_rows(fc, args, b, out, false, false);
}
static void fn_notlike(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    like_rows(fc, args, b, out, false, true);
}
static void fn_ilike(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    like_rows(fc, args, b, out, true, false);
}
static void fn_notilike(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    like_rows(fc, args, b, out, true, true);
}

/* like_escape(pattern, esc): rewrites a custom ESCAPE into backslash form (PostgreSQL). */
static void fn_like_escape(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *pat = FN_SV(args[0]), *esc = FN_SV(args[1]);
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    FN_FOREACH(b, i, r)
    {
        const char *p = pat[r].ptr;
        size_t pl = pat[r].len;
        const char *e = esc[r].ptr;
        size_t el = esc[r].len;
        if (el > 0 && fn_utf8_len((unsigned char)e[0]) != (int)el)
            ereport(ERROR, errcode(ERRCODE_INVALID_ESCAPE_SEQUENCE),
                    errmsg("invalid escape string"),
                    errhint("Escape string must be empty or one character."),
                    errposition(fn_errpos(fc)));
        char *d = outbuf_reserve(&ob, pl * 2);
        size_t o = 0;
        if (el == 0) {
            /* no escape character: double every backslash */
            for (size_t k = 0; k < pl; k++) {
                if (p[k] == '\\')
                    d[o++] = '\\';
                d[o++] = p[k];
            }
        } else if (el == 1 && e[0] == '\\') {
            memcpy(d, p, pl);
            o = pl;
        } else {
            bool after = false;
            for (size_t k = 0; k < pl;) {
                int l = fn_utf8_len((unsigned char)p[k]);
                if (k + l > pl)
                    l = (int)(pl - k);
                if (!after && (size_t)l == el && memcmp(p + k, e, el) == 0) {
                    d[o++] = '\\';
                    after = true;
                } else {
                    if (p[k] == '\\' && !after)
                        d[o++] = '\\';
                    memcpy(d + o, p + k, l);
                    o += l;
                    after = false;
                }
                k += l;
            }
        }
        outbuf_commit(&ob, o);
        fn_set_str(out, r, d, o);
    }
}

/* ---------- SIMILAR TO ---------- */

static void similar_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool has_esc)
{
    const StrView *pat = FN_SV(args[0]);
    const StrView *esc = has_esc ? FN_SV(args[1]) : NULL;
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    FN_FOREACH(b, i, r)
    {
        const char *p = pat[r].ptr;
        size_t pl = pat[r].len;
        const char *e = has_esc ? esc[r].ptr : "\\";
        size_t el = has_esc ? esc[r].len : 1;
        if (el > 0 && fn_utf8_len((unsigned char)e[0]) != (int)el)
            ereport(ERROR, errcode(ERRCODE_INVALID_ESCAPE_SEQUENCE),
                    errmsg("invalid escape string"),
                    errhint("Escape string must be empty or one character."),
                    errposition(fn_errpos(fc)));
        char *d = outbuf_reserve(&ob, pl * 3 + 16);
        size_t o = 0;
        int nquotes = 0, charclass_pos = 0;
        bool after = false, incharclass = false;
        memcpy(d, "^(?:", 4);
        o = 4;
        for (size_t k = 0; k < pl;) {
            int l = fn_utf8_len((unsigned char)p[k]);
            if (k + l > pl)
                l = (int)(pl - k);
            char c = p[k];
            if (after) {
                if (c == '"' && !incharclass) {
                    if (nquotes == 0) {
                        memcpy(d + o, "){1,1}?(", 8);
                        o += 8;
                    } else if (nquotes == 1) {
                        memcpy(d + o, "){1,1}(?:", 9);
                        o += 9;
                    } else
                        ereport(ERROR, errcode(ERRCODE_INVALID_REGULAR_EXPRESSION),
                                errmsg("SQL regular expression may not contain more than two "
                                       "escape-double-quote separators"),
                                errposition(fn_errpos(fc)));
                    nquotes++;
                } else {
                    d[o++] = '\\';
                    memcpy(d + o, p + k, l);
                    o += l;
                }
                after = false;
            } else if (el > 0 && (size_t)l == el && memcmp(p + k, e, el) == 0)
                after = true;
            else if (incharclass) {
                if (c == '\\')
                    d[o++] = '\\';
                memcpy(d + o, p + k, l);
                o += l;
                if (c == ']' && charclass_pos > 2)
                    incharclass = false;
                else if (c == '^')
                    charclass_pos++;
                else
                    charclass_pos = 3;
            } else if (c == '[') {
                d[o++] = c;
                incharclass = true;
                charclass_pos = 1;
            } else if (c == '%') {
                d[o++] = '.';
                d[o++] = '*';
            } else if (c == '_')
                d[o++] = '.';
            else if (c == '(') {
                memcpy(d + o, "(?:", 3);
                o += 3;
            } else if (c == '\\' || c == '.' || c == '^' || c == '$') {
                d[o++] = '\\';
                d[o++] = c;
            } else {
                memcpy(d + o, p + k, l);
                o += l;
            }
            k += l;
        }
        d[o++] = ')';
        d[o++] = '$';
        outbuf_commit(&ob, o);
        fn_set_str(out, r, d, o);
    }
}

static void fn_similar_escape1(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    similar_rows(fc, args, b, out, false);
}
static void fn_similar_escape2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    similar_rows(fc, args, b, out, true);
}

/* ---------- PCRE2 plumbing ---------- */

typedef struct Regex {
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_general_context *gc; /* allocates from the arena re was compiled into */
    pcre2_match_context *mc;   /* constant patterns with JIT code: holds jit_stack; else NULL */
    pcre2_jit_stack *jit_stack;
    int ngroups;
    bool global; /* 'g' flag */
} Regex;

/* Per call site: the constant pattern's compiled form, or the last varying one. */
typedef struct RegexCache {
    bool is_const;
    Regex re;
    const char *pat; /* varying patterns: text and flags of re (scratch arena) */
    size_t patlen;
    const char *flags;
    size_t flagslen;
} RegexCache;

static void *arena_pcre_malloc(PCRE2_SIZE size, void *arena)
{
    return arena_alloc((Arena *)arena, size ? size : 1);
}
static void arena_pcre_free(void *p, void *arena)
{
    /* arena memory is released wholesale */
}

/* Parses regexp_* flags (PostgreSQL's parse_re_flags) into PCRE2 options. */
static uint32 parse_flags(FuncCall *fc, const char *f, size_t fl, uint32 opts, bool *global,
                          bool allow_g)
{
    for (size_t k = 0; k < fl; k++) {
        switch (f[k]) {
        case 'g':
            if (!allow_g)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s does not support the \"global\" option",
                               fc->expr && fc->expr->func ? fc->expr->func->name : "function"),
                        errhint("Use the regexp_matches function instead."),
                        errposition(fn_errpos(fc)));
            *global = true;
            break;
        case 'i':
            opts |= PCRE2_CASELESS;
            break;
        case 'c':
            opts &= ~PCRE2_CASELESS;
            break;
        case 'n': /* newline-sensitive: '.' and [^..] stop at newlines, ^ $ match at them */
        case 'm':
            opts &= ~(PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY);
            opts |= PCRE2_MULTILINE;
            break;
        case 's':
            opts |= PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY;
            opts &= ~PCRE2_MULTILINE;
            break;
        case 'p':
            opts &= ~PCRE2_DOTALL;
            break;
        case 'w':
            opts |= PCRE2_DOTALL;
            opts |= PCRE2_MULTILINE;
            break;
        case 'x':
            opts |= PCRE2_EXTENDED;
            break;
        case 't':
            opts &= ~PCRE2_EXTENDED;
            break;
        case 'q':
            opts |= PCRE2_LITERAL;
            break;
        case 'b':
        case 'e':
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("regular expression option \"%c\" (basic/extended POSIX syntax) is not "
                           "supported",
                           f[k]),
                    errposition(fn_errpos(fc)));
        default:
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid regular expression option: \"%.*s\"",
                           fn_utf8_len((unsigned char)f[k]), f + k),
                    errposition(fn_errpos(fc)));
        }
    }
    return opts;
}

/* Rewrites ARE-only syntax into PCRE2 syntax (\m \M \y \Y \Z, ***= and ***: prefixes). */
static const char *translate_are(Arena *a, const char *p, size_t len, size_t *outlen, uint32 *opts)
{
    if (len >= 4 && memcmp(p, "***=", 4) == 0) {
        *opts |= PCRE2_LITERAL;
        *outlen = len - 4;
        return p + 4;
    }
    if (len >= 4 && memcmp(p, "***:", 4) == 0)
        p += 4, len -= 4;
    StrBuf sb;
    strbuf_init(&sb, a);
    for (size_t k = 0; k < len; k++) {
        if (p[k] == '\\' && k + 1 < len) {
            const char *rep = NULL;
            switch (p[k + 1]) {
            case 'm':
                rep = "\\b(?=\\w)";
                break;
            case 'M':
                rep = "\\b(?<=\\w)";
                break;
            case 'y':
                rep = "\\b";
                break;
            case 'Y':
                rep = "\\B";
                break;
            case 'Z':
                rep = "\\z";
                break;
            default:
                break;
            }
            if (rep)
                strbuf_append_str(&sb, rep);
            else
                strbuf_append(&sb, p + k, 2);
            k++;
        } else
            strbuf_append_char(&sb, p[k]);
    }
    *outlen = sb.len;
    return sb.data;
}

/* PostgreSQL's wording (regerror) for the compile errors users hit most; PCRE2's otherwise. */
static const char *pg_regex_message(int err, const char *pcre_msg)
{
    switch (err) {
    case PCRE2_ERROR_MISSING_CLOSING_PARENTHESIS:
    case PCRE2_ERROR_UNMATCHED_CLOSING_PARENTHESIS:
        return "parentheses () not balanced";
    case PCRE2_ERROR_MISSING_SQUARE_BRACKET:
        return "brackets [] not balanced";
    case PCRE2_ERROR_QUANTIFIER_INVALID:
    case PCRE2_ERROR_QUANTIFIER_OUT_OF_ORDER:
        return "quantifier operand invalid";
    case PCRE2_ERROR_END_BACKSLASH:
        return "invalid escape \\ sequence";
    case PCRE2_ERROR_UNKNOWN_POSIX_CLASS:
        return "invalid character class";
    default:
        return pcre_msg;
    }
}

static void regex_compile(FuncCall *fc, Regex *re, Arena *a, const char *pat, size_t patlen,
                          const char *flags, size_t flagslen, bool icase, bool allow_g)
{
    uint32 opts = PCRE2_UTF | PCRE2_UCP | PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY;
    if (icase)
        opts |= PCRE2_CASELESS;
    re->global = false;
    opts = parse_flags(fc, flags, flagslen, opts, &re->global, allow_g);
    size_t tl;
    const char *tp = (opts & PCRE2_LITERAL) ? pat : translate_are(a, pat, patlen, &tl, &opts);
    if (opts & PCRE2_LITERAL) {
        tl = patlen;
        if (patlen >= 4 && memcmp(pat, "***=", 4) == 0)
            tp = pat + 4, tl = patlen - 4;
        opts &=
            ~(PCRE2_UCP | PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY | PCRE2_MULTILINE | PCRE2_EXTENDED);
    }
    pcre2_general_context *gc = pcre2_general_context_create(arena_pcre_malloc, arena_pcre_free, a);
    pcre2_compile_context *cc = pcre2_compile_context_create(gc);
    int err;
    PCRE2_SIZE erroff;
    re->code = pcre2_compile((PCRE2_SPTR)tp, tl, opts, &err, &erroff, cc);
    if (re->code == NULL) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof(msg));
        ereport(ERROR, errcode(ERRCODE_INVALID_REGULAR_EXPRESSION),
                errmsg("invalid regular expression: %s", pg_regex_message(err, (const char *)msg)),
                errposition(fn_errpos(fc)));
    }
    uint32 cap = 0;
    pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &cap);
    re->ngroups = (int)cap;
    re->md = pcre2_match_data_create_from_pattern(re->code, gc);
    re->gc = gc;
    re->mc = NULL;
    re->jit_stack = NULL;
}

/* arena_on_release callback: frees the JIT code and stack (mmap'd by PCRE2, not arena memory). */
static void regex_release(void *arg)
{
    Regex *re = arg;
    if (re->jit_stack)
        pcre2_jit_stack_free(re->jit_stack);
    re->jit_stack = NULL;
    pcre2_code_free(re->code); /* frees the JIT code; the rest is the arena's (no-op free) */
    re->code = NULL;
}

/*
 * JIT-compiles a constant pattern (compiled into arena a, which outlives the call site): the
 * release callback is registered on a first, so the machine code and JIT stack are freed when
 * the call site's arena goes away.  When JIT is unavailable or fails, re->mc stays NULL and
 * pcre2_match interprets.
 */
static void regex_jit(Regex *re, Arena *a)
{
    static int jit_ok = -1;
    if (jit_ok < 0) {
        uint32 have = 0;
        pcre2_config(PCRE2_CONFIG_JIT, &have);
        jit_ok = have != 0;
    }
    if (!jit_ok)
        return;
    arena_on_release(a, regex_release, re);
    if (pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) != 0)
        return;
    pcre2_match_context *mc = pcre2_match_context_create(re->gc);
    re->jit_stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, re->gc);
    if (mc == NULL || re->jit_stack == NULL)
        return; /* JIT code still runs, on PCRE2's default 32K machine stack */
    pcre2_jit_stack_assign(mc, NULL, re->jit_stack);
    re->mc = mc;
}

/*
 * The compiled regex for row r: constant patterns once per call site, varying
 * ones recompiled when the text differs from the previous row's.  pat_arg and
 * flags_arg are argument indexes (flags_arg < 0: none).
 */
static Regex *regex_for_row(FuncCall *fc, Vector **args, int r, int pat_arg, int flags_arg,
                            bool icase, bool allow_g)
{
    RegexCache *rc = fc->cache;
    const StrView *p = &FN_SV(args[pat_arg])[r];
    const StrView *f = flags_arg >= 0 ? &FN_SV(args[flags_arg])[r] : NULL;
    if (rc && rc->is_const)
        return &rc->re;
    if (rc == NULL) {
        rc = arena_new(fc->ctx->arena, RegexCache);
        fc->cache = rc;
        if (fn_arg_is_const(fc, pat_arg) && (flags_arg < 0 || fn_arg_is_const(fc, flags_arg))) {
            rc->is_const = true;
            regex_compile(fc, &rc->re, fc->ctx->arena, p->ptr, p->len, f ? f->ptr : "",
                          f ? f->len : 0, icase, allow_g);
            regex_jit(&rc->re, fc->ctx->arena);
            return &rc->re;
        }
    }
    if (rc->pat && rc->patlen == p->len && memcmp(rc->pat, p->ptr, p->len) == 0 &&
        (f ? (rc->flagslen == f->len && memcmp(rc->flags, f->ptr, f->len) == 0) : true))
        return &rc->re;
    /* The scratch arena is reset every batch, so nothing from an earlier batch is reused. */
    Arena *a = fc->scratch ? fc->scratch : fc->ctx->arena;
    rc->pat = NULL;
    regex_compile(fc, &rc->re, a, p->ptr, p->len, f ? f->ptr : "", f ? f->len : 0, icase, allow_g);
    rc->pat = p->ptr;
    rc->patlen = p->len;
    rc->flags = f ? f->ptr : NULL;
    rc->flagslen = f ? f->len : 0;
    return &rc->re;
}

/* Forgets a varying pattern at the end of a batch (its memory is the scratch arena's). */
static void regex_batch_done(FuncCall *fc)
{
    RegexCache *rc = fc->cache;
    if (rc && !rc->is_const)
        rc->pat = NULL;
}

/* Whether s has no byte >= 0x80 (8 bytes at a time). */
static inline bool is_ascii(const char *s, size_t len)
{
    uint64 acc = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64 w;
        memcpy(&w, s + i, 8);
        acc |= w;
    }
    for (; i < len; i++)
        acc |= (unsigned char)s[i];
    return (acc & 0x8080808080808080ULL) == 0;
}

/* Runs one match at byte offset start; returns true and fills ovector on success. */
static bool regex_exec(FuncCall *fc, Regex *re, const char *s, size_t len, size_t start,
                       uint32 opts)
{
    /* ASCII is valid UTF-8: skip PCRE2's byte-wise UTF check, and run JIT code directly */
    if (!(opts & PCRE2_NO_UTF_CHECK) && is_ascii(s, len))
        opts |= PCRE2_NO_UTF_CHECK;
    int rc;
    if (re->mc && opts == PCRE2_NO_UTF_CHECK && start <= len)
        rc = pcre2_jit_match(re->code, (PCRE2_SPTR)s, len, start, 0, re->md, re->mc);
    else
        rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, start, opts, re->md, re->mc);
    if (rc >= 0)
        return true;
    if (rc == PCRE2_ERROR_NOMATCH)
        return false;
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof(msg));
    if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
        ereport(ERROR, errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
                errmsg("invalid byte sequence for encoding \"UTF8\""),
                errdetail("%s.", (const char *)msg), errposition(fn_errpos(fc)));
    ereport(ERROR, errcode(ERRCODE_INVALID_REGULAR_EXPRESSION),
            errmsg("regular expression failed: %s", (const char *)msg), errposition(fn_errpos(fc)));
}

/* ---------- operators and predicates ---------- */

static void regex_match_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool icase,
                             bool negate, int flags_arg)
{
    const StrView *s = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        Regex *re = regex_for_row(fc, args, r, 1, flags_arg, icase, false);
        bool m = regex_exec(fc, re, s[r].ptr, s[r].len, 0, 0);
        FN_U8(out)[r] = m != negate;
        vector_set_valid(out, r);
    }
    regex_batch_done(fc);
}

static void fn_regexeq(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regex_match_rows(fc, args, b, out, false, false, -1);
}
static void fn_regexne(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regex_match_rows(fc, args, b, out, false, true, -1);
}
static void fn_icregexeq(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regex_match_rows(fc, args, b, out, true, false, -1);
}
static void fn_icregexne(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regex_match_rows(fc, args, b, out, true, true, -1);
}
static void fn_regexp_like2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regex_match_rows(fc, args, b, out, false, false, -1);
}
static void fn_regexp_like3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regex_match_rows(fc, args, b, out, false, false, 2);
}

static void regexp_count_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, int nargs)
{
    const StrView *s = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        Regex *re = regex_for_row(fc, args, r, 1, nargs >= 4 ? 3 : -1, false, false);
        size_t start = 0;
        if (nargs >= 3) {
            int32 st = FN_I32(args[2])[r];
            if (st <= 0)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("invalid value for parameter \"%s\": %d", "start", st),
                        errposition(fn_errpos(fc)));
            start = fn_utf8_offset(s[r].ptr, s[r].len, st - 1);
            if ((int64)fn_utf8_count(s[r].ptr, s[r].len) < st - 1)
                start = s[r].len + 1;
        }
        int32 n = 0;
        uint32 opts = 0;
        while (start <= s[r].len && regex_exec(fc, re, s[r].ptr, s[r].len, start, opts)) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
            n++;
            start =
                ov[1] > ov[0]
                    ? ov[1]
                    : ov[1] + (ov[1] < s[r].len ? fn_utf8_len((unsigned char)s[r].ptr[ov[1]]) : 1);
            opts = PCRE2_NO_UTF_CHECK;
        }
        FN_I32(out)[r] = n;
        vector_set_valid(out, r);
    }
    regex_batch_done(fc);
}
static void fn_regexp_count2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_count_rows(fc, args, b, out, 2);
}
static void fn_regexp_count3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_count_rows(fc, args, b, out, 3);
}
static void fn_regexp_count4(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_count_rows(fc, args, b, out, 4);
}

/*
 * substring(text FROM pattern) (and SIMILAR's 3-argument form after
 * similar_to_escape): the first parenthesized group if there is one, else the
 * whole match; NULL without a match.  regexp_substr: the whole match.
 * regexp_extract(s, p [, g]): group g (default 0, the whole match), NULL
 * when there is no match or no such group (Flink's REGEXP_EXTRACT).
 */
enum { SUB_FIRST_GROUP, SUB_WHOLE, SUB_GROUP_ARG };

static void regex_substring_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, int mode)
{
    const StrView *s = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        Regex *re = regex_for_row(fc, args, r, 1, -1, false, false);
        if (!regex_exec(fc, re, s[r].ptr, s[r].len, 0, 0)) {
            vector_set_null(out, r);
            continue;
        }
        int g = 0;
        if (mode == SUB_FIRST_GROUP)
            g = re->ngroups > 0 ? 1 : 0;
        else if (mode == SUB_GROUP_ARG) {
            g = FN_I32(args[2])[r];
            if (g < 0 || g > re->ngroups) {
                vector_set_null(out, r);
                continue;
            }
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
        if (ov[2 * g] == PCRE2_UNSET) {
            vector_set_null(out, r);
            continue;
        }
        fn_set_str(out, r, s[r].ptr + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    }
    regex_batch_done(fc);
}
static void fn_textregexsubstr(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regex_substring_rows(fc, args, b, out, SUB_FIRST_GROUP);
}
static void fn_regexp_substr(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regex_substring_rows(fc, args, b, out, SUB_WHOLE);
}
static void fn_regexp_extract2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regex_substring_rows(fc, args, b, out, SUB_WHOLE);
}
static void fn_regexp_extract3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regex_substring_rows(fc, args, b, out, SUB_GROUP_ARG);
}

/* substring(s similar p escape e): similar_to_escape then the regex substring. */
static void fn_similar_substring(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    Vector pat;
    vector_init(&pat, fc->scratch ? fc->scratch : fc->ctx->arena, type_string(), b->count);
    Vector *esc_args[2] = {args[1], args[2]};
    similar_rows(fc, esc_args, b, &pat, true);
    Vector *sub_args[2] = {args[0], &pat};
    /* the translated pattern is constant exactly when pattern and escape are */
    RegexCache *rc = fc->cache;
    if (rc == NULL && fn_arg_is_const(fc, 1) && fn_arg_is_const(fc, 2) && batch_live_count(b) > 0) {
        int r0 = batch_row(b, 0);
        rc = arena_new(fc->ctx->arena, RegexCache);
        rc->is_const = true;
        regex_compile(fc, &rc->re, fc->ctx->arena, FN_SV(&pat)[r0].ptr, FN_SV(&pat)[r0].len, "", 0,
                      false, false);
        regex_jit(&rc->re, fc->ctx->arena);
        fc->cache = rc;
    } else if (rc == NULL) {
        rc = arena_new(fc->ctx->arena, RegexCache);
        fc->cache = rc;
    }
    regex_substring_rows(fc, sub_args, b, out, SUB_FIRST_GROUP);
}

/* Appends the replacement text with \1..\9 and \& substituted (PostgreSQL's rules). */
static void append_replacement(StrBuf *sb, const char *s, const PCRE2_SIZE *ov, int ngroups,
                               const char *rep, size_t replen)
{
    for (size_t k = 0; k < replen; k++) {
        char c = rep[k];
        if (c == '\\' && k + 1 < replen) {
            char n = rep[k + 1];
            int g = -1;
            if (n >= '1' && n <= '9')
                g = n - '0';
            else if (n == '&')
                g = 0;
            if (g >= 0) {
                if (g <= ngroups && ov[2 * g] != PCRE2_UNSET)
                    strbuf_append(sb, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
                k++;
                continue;
            }
            if (n == '\\') {
                strbuf_append_char(sb, '\\');
                k++;
                continue;
            }
        }
        strbuf_append_char(sb, c);
    }
}

/*
 * regexp_replace(s, p, rep [, start [, n]] [, flags]): replaces the first
 * match (or all with 'g', or only the n-th with n > 0), searching from
 * character position start.
 */
static void regexp_replace_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out,
                                int start_arg, int n_arg, int flags_arg)
{
    const StrView *s = FN_SV(args[0]), *rep = FN_SV(args[2]);
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    FN_FOREACH(b, i, r)
    {
        Regex *re = regex_for_row(fc, args, r, 1, flags_arg, false, true);
        const char *p = s[r].ptr;
        size_t len = s[r].len;
        size_t start = 0;
        int64 nth = re->global ? 0 : 1;
        if (start_arg >= 0) {
            int32 st = FN_I32(args[start_arg])[r];
            if (st <= 0)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("invalid value for parameter \"%s\": %d", "start", st),
                        errposition(fn_errpos(fc)));
            start = fn_utf8_offset(p, len, st - 1);
            if ((int64)fn_utf8_count(p, len) < st - 1)
                start = len + 1;
        }
        if (n_arg >= 0) {
            int32 nv = FN_I32(args[n_arg])[r];
            if (nv < 0)
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("invalid value for parameter \"%s\": %d", "n", nv),
                        errposition(fn_errpos(fc)));
            nth = nv;
        }
        strbuf_reset(&sb);
        size_t copied = 0, pos = start;
        int64 count = 0;
        uint32 opts = 0;
        bool changed = false;
        while (pos <= len && regex_exec(fc, re, p, len, pos, opts)) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
            count++;
            if (nth == 0 || count == nth) {
                strbuf_append(&sb, p + copied, ov[0] - copied);
                append_replacement(&sb, p, ov, re->ngroups, rep[r].ptr, rep[r].len);
                copied = ov[1];
                changed = true;
                if (nth != 0)
                    break;
            }
            pos = ov[1] > ov[0] ? ov[1]
                                : ov[1] + (ov[1] < len ? fn_utf8_len((unsigned char)p[ov[1]]) : 1);
            opts = PCRE2_NO_UTF_CHECK;
        }
        if (!changed) {
            fn_set_str(out, r, p, len);
            continue;
        }
        strbuf_append(&sb, p + copied, len - copied);
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
    regex_batch_done(fc);
}

static void fn_regexp_replace3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_replace_rows(fc, args, b, out, -1, -1, -1);
}
static void fn_regexp_replace4(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_replace_rows(fc, args, b, out, -1, -1, 3);
}
static void fn_regexp_replace4i(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_replace_rows(fc, args, b, out, 3, -1, -1);
}
static void fn_regexp_replace5(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_replace_rows(fc, args, b, out, 3, 4, -1);
}
static void fn_regexp_replace6(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_replace_rows(fc, args, b, out, 3, 4, 5);
}

/* regexp_match(s, p [, flags]) -> text[]: the groups (or the whole match), NULL without one. */
static void regexp_match_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out,
                              int flags_arg)
{
    const StrView *s = FN_SV(args[0]);
    Vector *elems = &out->children[0];
    FN_FOREACH(b, i, r)
    {
        Regex *re = regex_for_row(fc, args, r, 1, flags_arg, false, false);
        if (!regex_exec(fc, re, s[r].ptr, s[r].len, 0, 0)) {
            vector_set_null(out, r);
            continue;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
        int n = re->ngroups > 0 ? re->ngroups : 1;
        int first = re->ngroups > 0 ? 1 : 0;
        vector_reserve_children(out, out->arena, out->child_count + n);
        ListEntry *le = &((ListEntry *)out->data)[r];
        le->offset = (uint32)out->child_count;
        le->length = (uint32)n;
        for (int g = 0; g < n; g++) {
            int row = out->child_count++;
            int gi = first + g;
            if (ov[2 * gi] == PCRE2_UNSET)
                vector_set_null(elems, row);
            else
                fn_set_str(elems, row, s[r].ptr + ov[2 * gi], ov[2 * gi + 1] - ov[2 * gi]);
        }
        vector_set_valid(out, r);
    }
    regex_batch_done(fc);
}
/*
 * regexp_split_to_array(s, p [, flags]): the pieces between matches.  As PostgreSQL, zero-length
 * matches at the start or end of the string or right after the previous match do not split.
 */
static void regexp_split_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out,
                              int flags_arg)
{
    const StrView *s = FN_SV(args[0]);
    Vector *elems = &out->children[0];
    FN_FOREACH(b, i, r)
    {
        Regex *re = regex_for_row(fc, args, r, 1, flags_arg, false, false);
        const char *p = s[r].ptr;
        size_t len = s[r].len, prev_end = 0, pos = 0;
        ListEntry *le = &((ListEntry *)out->data)[r];
        le->offset = (uint32)out->child_count;
        uint32 opts = 0;
        while (pos <= len && len > 0 && regex_exec(fc, re, p, len, pos, opts)) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
            size_t so = ov[0], eo = ov[1];
            opts = PCRE2_NO_UTF_CHECK;
            if (eo == so && (so == 0 || so == len || so == prev_end)) {
                pos = so + (so < len ? fn_utf8_len((unsigned char)p[so]) : 1);
                continue;
            }
            vector_reserve_children(out, out->arena, out->child_count + 1);
            fn_set_str(elems, out->child_count++, p + prev_end, so - prev_end);
            prev_end = eo;
            pos = eo > so ? eo : eo + (eo < len ? fn_utf8_len((unsigned char)p[eo]) : 1);
        }
        vector_reserve_children(out, out->arena, out->child_count + 1);
        fn_set_str(elems, out->child_count++, p + prev_end, len - prev_end);
        le->length = (uint32)out->child_count - le->offset;
        vector_set_valid(out, r);
    }
    regex_batch_done(fc);
}
static void fn_regexp_split2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_split_rows(fc, args, b, out, -1);
}
static void fn_regexp_split3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_split_rows(fc, args, b, out, 2);
}

static void fn_regexp_match2(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_match_rows(fc, args, b, out, -1);
}
static void fn_regexp_match3(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    regexp_match_rows(fc, args, b, out, 2);
}

static const LmType *ret_text_array(Arena *a, int nargs, const LmType **argtypes)
{
    return type_array(a, type_string());
}

/* clang-format off */
#define S TYPE_STRING
#define I4 TYPE_INT32
#define B TYPE_BOOL
#define STRICT FN_STRICT
#define OP (FN_STRICT | FN_OPERATOR)

const FuncDesc lm_funcs_regex[] = {
    {"~~", 850, 2, {S, S}, B, NULL, fn_like, OP, "matches LIKE expression"},
    {"!~~", 851, 2, {S, S}, B, NULL, fn_notlike, OP, "does not match LIKE expression"},
    {"~~*", 1633, 2, {S, S}, B, NULL, fn_ilike, OP,
     "matches LIKE expression, case-insensitive"},
    {"!~~*", 1634, 2, {S, S}, B, NULL, fn_notilike, OP,
     "does not match LIKE expression, case-insensitive"},
    {"like_escape", 1637, 2, {S, S}, S, NULL, fn_like_escape, STRICT,
     "convert LIKE pattern to use backslash escapes"},
    {"~", 1254, 2, {S, S}, B, NULL, fn_regexeq, OP, "matches regular expression, case-sensitive"},
    {"!~", 1256, 2, {S, S}, B, NULL, fn_regexne, OP,
     "does not match regular expression, case-sensitive"},
    {"~*", 1238, 2, {S, S}, B, NULL, fn_icregexeq, OP,
     "matches regular expression, case-insensitive"},
    {"!~*", 1239, 2, {S, S}, B, NULL, fn_icregexne, OP,
     "does not match regular expression, case-insensitive"},
    {"similar_to_escape", 1987, 1, {S}, S, NULL, fn_similar_escape1, STRICT,
     "convert SQL regular expression pattern to POSIX style"},
    {"similar_to_escape", 1986, 2, {S, S}, S, NULL, fn_similar_escape2, STRICT,
     "convert SQL regular expression pattern to POSIX style"},
    {"substring", 2073, 2, {S, S}, S, NULL, fn_textregexsubstr, STRICT,
     "extract text matching regular expression"},
    {"substring", 2074, 3, {S, S, S}, S, NULL, fn_similar_substring, STRICT,
     "extract text matching SQL regular expression"},
    {"regexp_like", 6263, 2, {S, S}, B, NULL, fn_regexp_like2, STRICT,
     "test for regular expression match"},
    {"regexp_like", 6264, 3, {S, S, S}, B, NULL, fn_regexp_like3, STRICT,
     "test for regular expression match"},
    {"regexp_count", 6254, 2, {S, S}, I4, NULL, fn_regexp_count2, STRICT,
     "count regular expression matches"},
    {"regexp_count", 6255, 3, {S, S, I4}, I4, NULL, fn_regexp_count3, STRICT,
     "count regular expression matches"},
    {"regexp_count", 6256, 4, {S, S, I4, S}, I4, NULL, fn_regexp_count4, STRICT,
     "count regular expression matches"},
    {"regexp_substr", 6265, 2, {S, S}, S, NULL, fn_regexp_substr, STRICT,
     "extract substring that matches regular expression"},
    {"regexp_replace", 2284, 3, {S, S, S}, S, NULL, fn_regexp_replace3, STRICT,
     "replace text using regexp"},
    {"regexp_replace", 2285, 4, {S, S, S, S}, S, NULL, fn_regexp_replace4, STRICT,
     "replace text using regexp"},
    {"regexp_replace", 6253, 4, {S, S, S, I4}, S, NULL, fn_regexp_replace4i, STRICT,
     "replace text using regexp"},
    {"regexp_replace", 6252, 5, {S, S, S, I4, I4}, S, NULL, fn_regexp_replace5, STRICT,
     "replace text using regexp"},
    {"regexp_replace", 6251, 6, {S, S, S, I4, I4, S}, S, NULL, fn_regexp_replace6, STRICT,
     "replace text using regexp"},
    {"regexp_match", 3396, 2, {S, S}, TYPE_ARRAY, ret_text_array, fn_regexp_match2, STRICT,
     "find first match for regexp"},
    {"regexp_match", 3397, 3, {S, S, S}, TYPE_ARRAY, ret_text_array, fn_regexp_match3, STRICT,
     "find first match for regexp"},
    {"regexp_split_to_array", 2767, 2, {S, S}, TYPE_ARRAY, ret_text_array, fn_regexp_split2, STRICT,
     "split string by pattern"},
    {"regexp_split_to_array", 2768, 3, {S, S, S}, TYPE_ARRAY, ret_text_array, fn_regexp_split3, STRICT,
     "split string by pattern"},
    {"regexp_extract", 20000, 2, {S, S}, S, NULL, fn_regexp_extract2, STRICT,
     "text matching the regular expression (Flink REGEXP_EXTRACT)"},
    {"regexp_extract", 20001, 3, {S, S, I4}, S, NULL, fn_regexp_extract3, STRICT,
     "capture group of the regular expression match (Flink REGEXP_EXTRACT)"},
};
/* clang-format on */
const int lm_nfuncs_regex = sizeof(lm_funcs_regex) / sizeof(lm_funcs_regex[0]);
