/*
 * fn_json.c: JSON functions and operators over JSON text (TYPE_JSON values
 * are StrViews of JSON text; jsonb is the same type presented as jsonb):
 * -> ->> #> #>> (by key and by index), json_extract_path[_text],
 * json_value (a JSONPath subset: $.a.b[0], $."k", $[n], lax/strict),
 * json_build_object, json_build_array, to_json, json_typeof,
 * json_array_length, their jsonb_* names, and jsonb's ? ?| ?& @> <@
 * (existence and containment, compared as jsonb does: strings decoded,
 * numbers by value, keys of objects regardless of order).
 *
 * No DOM: each row's text is scanned in place to the wanted key or index
 * (skipping sibling values without decoding them), and the result is a
 * slice of the input — only ->> on a string with escapes writes a decoded
 * copy.  For duplicate keys json returns the last one, as PostgreSQL's json
 * does.  Malformed text raises 22P02.  jsonb_build_object sorts keys the
 * way jsonb stores them (shorter first, then bytewise) and keeps the last of
 * duplicates; jsonb output uses jsonb's spacing ("a": 1, [1, 2]).
 */
#include "executor/fn_util.h"

#include <stdlib.h>

/* ---------- scanner ---------- */

typedef struct JScan {
    const char *p;
    const char *end;
} JScan;

static LM_NORETURN void json_bad(void)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
            errmsg("invalid input syntax for type json"));
}

static inline void jws(JScan *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static void jskip_string(JScan *j)
{
    /* at the opening quote */
    j->p++;
    while (j->p < j->end) {
        char c = *j->p++;
        if (c == '"')
            return;
        if (c == '\\') {
            if (j->p >= j->end)
                json_bad();
            j->p++;
        }
    }
    json_bad();
}

static void jskip_value(JScan *j);

static void jskip_container(JScan *j, char close)
{
    j->p++;
    jws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return;
    }
    for (;;) {
        jws(j);
        if (close == '}') {
            if (j->p >= j->end || *j->p != '"')
                json_bad();
            jskip_string(j);
            jws(j);
            if (j->p >= j->end || *j->p != ':')
                json_bad();
            j->p++;
        }
        jskip_value(j);
        jws(j);
        if (j->p >= j->end)
            json_bad();
        if (*j->p == ',') {
            j->p++;
            continue;
        }
        if (*j->p == close) {
            j->p++;
            return;
        }
        json_bad();
    }
}

static void jskip_value(JScan *j)
{
    jws(j);
    if (j->p >= j->end)
        json_bad();
    char c = *j->p;
    if (c == '"')
        jskip_string(j);
    else if (c == '{')
        jskip_container(j, '}');
    else if (c == '[')
        jskip_container(j, ']');
    else {
        const char *st = j->p;
        while (j->p < j->end &&
               ((*j->p >= '0' && *j->p <= '9') || *j->p == '-' || *j->p == '+' || *j->p == '.' ||
                *j->p == 'e' || *j->p == 'E' || (*j->p >= 'a' && *j->p <= 'z')))
            j->p++;
        if (j->p == st)
            json_bad();
    }
}

/* Compares the JSON string at s (opening quote) with key; decodes simple escapes. */
static bool jstr_equals(const char *s, const char *end, const char *key, size_t klen)
{
    s++;
    size_t k = 0;
    while (s < end && *s != '"') {
        char c = *s;
        if (c == '\\') {
            /* rare: decode one escape (\uXXXX compared as UTF-8) */
            if (s + 1 >= end)
                return false;
            char e = s[1];
            char dec[4];
            int dl = 1;
            switch (e) {
            case 'n':
                dec[0] = '\n';
                break;
            case 't':
                dec[0] = '\t';
                break;
            case 'r':
                dec[0] = '\r';
                break;
            case 'b':
                dec[0] = '\b';
                break;
            case 'f':
                dec[0] = '\f';
                break;
            case 'u': {
                if (s + 6 > end)
                    return false;
                uint32 cp = (uint32)strtoul((char[]){s[2], s[3], s[4], s[5], 0}, NULL, 16);
                dl = fn_utf8_encode(cp, dec);
                s += 4;
                break;
            }
            default:
                dec[0] = e;
                break;
            }
            if (k + dl > klen || memcmp(key + k, dec, dl) != 0)
                return false;
            k += dl;
            s += 2;
            continue;
        }
        if (k >= klen || key[k] != c)
            return false;
        k++;
        s++;
    }
    return k == klen;
}

/* Value of key in the object at j->p (after whitespace), or NULL; sets *vend. */
static const char *jfind_key(const char *p, const char *end, const char *key, size_t klen,
                             const char **vend)
{
    JScan j = {p, end};
    jws(&j);
    if (j.p >= j.end || *j.p != '{')
        return NULL;
    j.p++;
    jws(&j);
    if (j.p < j.end && *j.p == '}')
        return NULL;
    const char *found = NULL, *found_end = NULL;
    for (;;) {
        jws(&j);
        if (j.p >= j.end || *j.p != '"')
            json_bad();
        const char *ks = j.p;
        jskip_string(&j);
        bool match = jstr_equals(ks, j.p, key, klen);
        jws(&j);
        if (j.p >= j.end || *j.p != ':')
            json_bad();
        j.p++;
        jws(&j);
        const char *vs = j.p;
        jskip_value(&j);
        if (match) {
            found = vs;
            found_end = j.p; /* keep scanning: the last duplicate wins */
        }
        jws(&j);
        if (j.p >= j.end)
            json_bad();
        if (*j.p == ',') {
            j.p++;
            continue;
        }
        if (*j.p == '}')
            break;
        json_bad();
    }
    *vend = found_end;
    return found;
}

/* Element idx (negative: from the end) of the array at p, or NULL. */
static const char *jfind_index(const char *p, const char *end, int64 idx, const char **vend)
{
    JScan j = {p, end};
    jws(&j);
    if (j.p >= j.end || *j.p != '[')
        return NULL;
    if (idx < 0) {
        /* count first */
        JScan c = j;
        c.p++;
        jws(&c);
        int64 n = 0;
        if (c.p < c.end && *c.p != ']')
            for (;;) {
                jskip_value(&c);
                n++;
                jws(&c);
                if (c.p < c.end && *c.p == ',') {
                    c.p++;
                    continue;
                }
                break;
            }
        idx += n;
        if (idx < 0)
            return NULL;
    }
    j.p++;
    jws(&j);
    if (j.p < j.end && *j.p == ']')
        return NULL;
    for (int64 k = 0;; k++) {
        jws(&j);
        const char *vs = j.p;
        jskip_value(&j);
        if (k == idx) {
            *vend = j.p;
            return vs;
        }
        jws(&j);
        if (j.p >= j.end)
            json_bad();
        if (*j.p == ',') {
            j.p++;
            continue;
        }
        if (*j.p == ']')
            return NULL;
        json_bad();
    }
}

/* Parses a path element as an array index (PostgreSQL: optional sign and digits only). */
static bool parse_index(const char *s, size_t len, int64 *out)
{
    if (len == 0 || len > 18)
        return false;
    size_t k = 0;
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        k = 1;
        if (len == 1)
            return false;
    }
    int64 v = 0;
    for (; k < len; k++) {
        if (s[k] < '0' || s[k] > '9')
            return false;
        v = v * 10 + (s[k] - '0');
    }
    *out = neg ? -v : v;
    return true;
}

/* One path step: key for objects, index for arrays (text steps that look like integers). */
static const char *jstep(const char *p, const char *end, const char *key, size_t klen,
                         const char **vend)
{
    JScan j = {p, end};
    jws(&j);
    if (j.p >= j.end)
        return NULL;
    if (*j.p == '{')
        return jfind_key(j.p, end, key, klen, vend);
    if (*j.p == '[') {
        int64 idx;
        if (!parse_index(key, klen, &idx))
            return NULL;
        return jfind_index(j.p, end, idx, vend);
    }
    return NULL;
}

/* ---------- output of extracted values ---------- */

/* Decodes the JSON string [s, e) (with quotes) into dst (room for e-s bytes); returns length. */
static size_t junescape(const char *s, const char *e, char *dst)
{
    size_t o = 0;
    s++;
    e--;
    while (s < e) {
        char c = *s++;
        if (c != '\\') {
            dst[o++] = c;
            continue;
        }
        if (s >= e)
            json_bad();
        char x = *s++;
        switch (x) {
        case 'n':
            dst[o++] = '\n';
            break;
        case 't':
            dst[o++] = '\t';
            break;
        case 'r':
            dst[o++] = '\r';
            break;
        case 'b':
            dst[o++] = '\b';
            break;
        case 'f':
            dst[o++] = '\f';
            break;
        case 'u': {
            if (e - s < 4)
                json_bad();
            char hx[5] = {s[0], s[1], s[2], s[3], 0};
            char *ep;
            uint32 cp = (uint32)strtoul(hx, &ep, 16);
            if (ep != hx + 4)
                json_bad();
            s += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && e - s >= 6 && s[0] == '\\' && s[1] == 'u') {
                char lo[5] = {s[2], s[3], s[4], s[5], 0};
                uint32 l = (uint32)strtoul(lo, NULL, 16);
                if (l >= 0xDC00 && l <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (l - 0xDC00);
                    s += 6;
                }
            }
            if (cp == 0)
                ereport(ERROR, errcode("22P05"), errmsg("unsupported Unicode escape sequence"),
                        errdetail("\\u0000 cannot be converted to text."));
            o += fn_utf8_encode(cp, dst + o);
            break;
        }
        default:
            dst[o++] = x;
            break;
        }
    }
    return o;
}

/* Sets out[r] to the value [vs, ve) as json, or as text (->>: strings decoded, null -> NULL). */
static void put_extracted(OutBuf *ob, Vector *out, int r, const char *vs, const char *ve,
                          bool as_text)
{
    if (vs == NULL) {
        vector_set_null(out, r);
        return;
    }
    if (!as_text) {
        fn_set_str(out, r, vs, ve - vs);
        return;
    }
    if (*vs == '"') {
        if (memchr(vs, '\\', ve - vs) == NULL) {
            fn_set_str(out, r, vs + 1, ve - vs - 2);
            return;
        }
        char *d = outbuf_reserve(ob, ve - vs);
        size_t n = junescape(vs, ve, d);
        outbuf_commit(ob, n);
        fn_set_str(out, r, d, n);
        return;
    }
    if (ve - vs == 4 && memcmp(vs, "null", 4) == 0) {
        vector_set_null(out, r);
        return;
    }
    fn_set_str(out, r, vs, ve - vs);
}

/* ---------- operators ---------- */

static void field_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool as_text)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *js = FN_SV(args[0]), *key = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        const char *ve = NULL;
        const char *vs = jfind_key(js[r].ptr, js[r].ptr + js[r].len, key[r].ptr, key[r].len, &ve);
        put_extracted(&ob, out, r, vs, ve, as_text);
    }
}
static void fn_json_field(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    field_rows(fc, args, b, out, false);
}
static void fn_json_field_text(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    field_rows(fc, args, b, out, true);
}

static void elem_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool as_text)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *js = FN_SV(args[0]);
    const int32 *idx = FN_I32(args[1]);
    FN_FOREACH(b, i, r)
    {
        const char *ve = NULL;
        const char *vs = jfind_index(js[r].ptr, js[r].ptr + js[r].len, idx[r], &ve);
        put_extracted(&ob, out, r, vs, ve, as_text);
    }
}
static void fn_json_elem(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    elem_rows(fc, args, b, out, false);
}
static void fn_json_elem_text(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    elem_rows(fc, args, b, out, true);
}

/* Walks a path whose steps are given as (ptr, len) pairs; returns the value or NULL. */
static const char *walk_path(const char *p, const char *end, int nsteps, const StrView *steps,
                             const bool *step_null, const char **vend)
{
    const char *vs = p, *ve = end;
    JScan j = {p, end};
    jws(&j);
    vs = j.p;
    /* trim the document's trailing whitespace so an empty path returns the value itself */
    while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\n' || ve[-1] == '\t' || ve[-1] == '\r'))
        ve--;
    for (int k = 0; k < nsteps; k++) {
        if (step_null && step_null[k])
            return NULL;
        const char *ne = NULL;
        vs = jstep(vs, ve, steps[k].ptr, steps[k].len, &ne);
        if (vs == NULL)
            return NULL;
        ve = ne;
    }
    *vend = ve;
    return vs;
}

/* #> and #>> with a text[] path. */
static void path_array_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool as_text)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *js = FN_SV(args[0]);
    const ListEntry *le = (const ListEntry *)args[1]->data;
    const Vector *elems = &args[1]->children[0];
    const StrView *ev = FN_SV(elems);
    FN_FOREACH(b, i, r)
    {
        const char *vs = js[r].ptr, *ve = js[r].ptr + js[r].len;
        uint32 off = le[r].offset, n = le[r].length;
        bool ok = true;
        JScan j = {vs, ve};
        jws(&j);
        vs = j.p;
        while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\n' || ve[-1] == '\t' || ve[-1] == '\r'))
            ve--;
        for (uint32 k = 0; k < n && ok; k++) {
            if (!vector_is_valid(elems, off + k)) {
                ok = false;
                break;
            }
            const char *ne = NULL;
            vs = jstep(vs, ve, ev[off + k].ptr, ev[off + k].len, &ne);
            ok = vs != NULL;
            ve = ne;
        }
        if (!ok)
            vector_set_null(out, r);
        else
            put_extracted(&ob, out, r, vs, ve, as_text);
    }
}
static void fn_json_path(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    path_array_rows(fc, args, b, out, false);
}
static void fn_json_path_text(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    path_array_rows(fc, args, b, out, true);
}

/* json_extract_path(json, VARIADIC text): path steps as separate arguments. */
static void extract_path_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out,
                              bool as_text)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    int nargs = fn_nargs(fc, 2);
    const StrView *js = FN_SV(args[0]);
    StrView steps[64];
    bool nulls[64];
    if (nargs - 1 > 64)
        ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                errmsg("json path has more than 64 elements"), errposition(fn_errpos(fc)));
    FN_FOREACH(b, i, r)
    {
        if (!vector_is_valid(args[0], r)) {
            vector_set_null(out, r);
            continue;
        }
        for (int k = 1; k < nargs; k++) {
            nulls[k - 1] = !vector_is_valid(args[k], r);
            steps[k - 1] = FN_SV(args[k])[r];
        }
        const char *ve = NULL;
        const char *vs = walk_path(js[r].ptr, js[r].ptr + js[r].len, nargs - 1, steps, nulls, &ve);
        put_extracted(&ob, out, r, vs, ve, as_text);
    }
}
static void fn_json_extract_path(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    extract_path_rows(fc, args, b, out, false);
}
static void fn_json_extract_path_text(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    extract_path_rows(fc, args, b, out, true);
}

/*
 * json_value(json, path): SQL/JSON JSON_VALUE with a JSONPath subset —
 * optional lax/strict mode, $, .key, ."quoted key", [n], [last], [*] not
 * supported (0A000).  Scalars come back as text (strings decoded); objects,
 * arrays, JSON null and missing paths give NULL (NULL ON EMPTY/ERROR).
 */
typedef struct JPathStep {
    bool is_index;
    bool last; /* [last] */
    int64 index;
    const char *key;
    size_t klen;
    bool key_escaped; /* quoted key with escapes: compared decoded */
} JPathStep;

static int parse_jsonpath(FuncCall *fc, const char *s, size_t len, JPathStep *steps, int max,
                          Arena *a)
{
    size_t k = 0;
    while (k < len && s[k] == ' ')
        k++;
    if (len - k >= 4 && strncmp(s + k, "lax ", 4) == 0)
        k += 4;
    else if (len - k >= 7 && strncmp(s + k, "strict ", 7) == 0)
        k += 7;
    while (k < len && s[k] == ' ')
        k++;
    if (k >= len || s[k] != '$')
        goto bad;
    k++;
    int n = 0;
    while (k < len) {
        if (s[k] == ' ') {
            k++;
            continue;
        }
        if (n >= max)
            ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("JSON path has too many steps"), errposition(fn_errpos(fc)));
        JPathStep *st = &steps[n];
        memset(st, 0, sizeof(*st));
        if (s[k] == '.') {
            k++;
            if (k < len && s[k] == '"') {
                size_t e = k + 1;
                bool esc = false;
                while (e < len && s[e] != '"') {
                    if (s[e] == '\\') {
                        esc = true;
                        e++;
                    }
                    e++;
                }
                if (e >= len)
                    goto bad;
                if (esc) {
                    char *d = arena_alloc(a, e - k + 1);
                    st->klen = junescape(s + k, s + e + 1, d);
                    st->key = d;
                } else {
                    st->key = s + k + 1;
                    st->klen = e - k - 1;
                }
                k = e + 1;
            } else {
                size_t e = k;
                while (e < len && (s[e] == '_' || s[e] == '$' || (s[e] >= '0' && s[e] <= '9') ||
                                   (s[e] >= 'a' && s[e] <= 'z') || (s[e] >= 'A' && s[e] <= 'Z') ||
                                   (unsigned char)s[e] >= 0x80))
                    e++;
                if (e == k) {
                    if (k < len && s[k] == '*')
                        goto unsupported;
                    goto bad;
                }
                st->key = s + k;
                st->klen = e - k;
                k = e;
            }
        } else if (s[k] == '[') {
            k++;
            while (k < len && s[k] == ' ')
                k++;
            st->is_index = true;
            if (len - k >= 4 && strncmp(s + k, "last", 4) == 0) {
                st->last = true;
                k += 4;
            } else if (k < len && s[k] == '*')
                goto unsupported;
            else {
                size_t e = k;
                while (e < len && s[e] >= '0' && s[e] <= '9')
                    e++;
                if (e == k || !parse_index(s + k, e - k, &st->index))
                    goto bad;
                k = e;
            }
            while (k < len && s[k] == ' ')
                k++;
            if (k >= len || s[k] != ']')
                goto bad;
            k++;
        } else
            goto bad;
        n++;
    }
    return n;
bad:
    ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
            errmsg("syntax error in JSON path \"%.*s\"", (int)len, s), errposition(fn_errpos(fc)));
unsupported:
    ereport(
        ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
        errmsg("JSON path \"%.*s\" uses wildcards, which json_value does not support", (int)len, s),
        errposition(fn_errpos(fc)));
}

static void fn_json_value(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    const StrView *js = FN_SV(args[0]), *path = FN_SV(args[1]);
    JPathStep steps[64];
    int nsteps = -1;
    const char *last_path = NULL;
    uint32 last_len = 0;
    Arena *a = fc->scratch ? fc->scratch : fc->ctx->arena;
    FN_FOREACH(b, i, r)
    {
        if (nsteps < 0 || last_len != path[r].len ||
            memcmp(last_path, path[r].ptr, last_len) != 0) {
            nsteps = parse_jsonpath(fc, path[r].ptr, path[r].len, steps, 64, a);
            last_path = path[r].ptr;
            last_len = path[r].len;
        }
        const char *vs = js[r].ptr, *ve = js[r].ptr + js[r].len;
        JScan j = {vs, ve};
        jws(&j);
        vs = j.p;
        while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\n' || ve[-1] == '\t' || ve[-1] == '\r'))
            ve--;
        for (int k = 0; k < nsteps && vs; k++) {
            const char *ne = NULL;
            if (steps[k].is_index)
                vs = jfind_index(vs, ve, steps[k].last ? -1 : steps[k].index, &ne);
            else
                vs = jfind_key(vs, ve, steps[k].key, steps[k].klen, &ne);
            ve = ne;
        }
        if (vs == NULL || *vs == '{' || *vs == '[') {
            vector_set_null(out, r);
            continue;
        }
        put_extracted(&ob, out, r, vs, ve, true);
    }
}

/* ---------- construction ---------- */

static void append_json_string(StrBuf *sb, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_append_char(sb, '"');
    size_t run = 0;
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        strbuf_append(sb, s + run, k - run);
        run = k + 1;
        switch (c) {
        case '"':
            strbuf_append(sb, "\\\"", 2);
            break;
        case '\\':
            strbuf_append(sb, "\\\\", 2);
            break;
        case '\b':
            strbuf_append(sb, "\\b", 2);
            break;
        case '\f':
            strbuf_append(sb, "\\f", 2);
            break;
        case '\n':
            strbuf_append(sb, "\\n", 2);
            break;
        case '\r':
            strbuf_append(sb, "\\r", 2);
            break;
        case '\t':
            strbuf_append(sb, "\\t", 2);
            break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            strbuf_append(sb, u, 6);
        }
        }
    }
    strbuf_append(sb, s + run, len - run);
    strbuf_append_char(sb, '"');
}

/* A value as JSON: strings quoted, JSON as is, everything else as PostgreSQL's to_json. */
static void append_json_value(StrBuf *sb, const Vector *v, int r)
{
    if (!vector_is_valid(v, r)) {
        strbuf_append_str(sb, "null");
        return;
    }
    if (v->type->id == TYPE_STRING || v->type->id == TYPE_UNKNOWN) {
        const StrView *s = &FN_SV(v)[r];
        append_json_string(sb, s->ptr, s->len);
    } else
        value_format_json(v, r, sb);
}

static void append_key_text(StrBuf *sb, const Vector *v, int r)
{
    if (v->type->id == TYPE_STRING || v->type->id == TYPE_UNKNOWN || v->type->id == TYPE_JSON) {
        const StrView *s = &FN_SV(v)[r];
        append_json_string(sb, s->ptr, s->len);
    } else {
        StrBuf tmp;
        strbuf_init(&tmp, sb->arena);
        value_format_text(v, r, &tmp);
        append_json_string(sb, tmp.data, tmp.len);
    }
}

typedef struct KeyRef {
    size_t kstart, klen; /* quoted key text in the row's buffer */
    size_t vstart, vlen;
    int order;
} KeyRef;

static __thread const char *tl_sort_buf;

static int keyref_cmp_bytes(const void *a, const void *b)
{
    const KeyRef *x = a, *y = b;
    if (x->klen != y->klen)
        return x->klen < y->klen ? -1 : 1;
    int c = memcmp(tl_sort_buf + x->kstart, tl_sort_buf + y->kstart, x->klen);
    if (c)
        return c;
    return x->order - y->order;
}

static void build_object_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool jsonb)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb, tmp;
    strbuf_init(&sb, ob.arena);
    strbuf_init(&tmp, ob.arena);
    int nargs = fn_nargs(fc, 1);
    if (nargs % 2 != 0)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("argument list must have even number of elements"),
                errhint("The arguments of %s() must consist of alternating keys and values.",
                        jsonb ? "jsonb_build_object" : "json_build_object"),
                errposition(fn_errpos(fc)));
    KeyRef *refs = nargs ? arena_alloc(ob.arena, sizeof(KeyRef) * (nargs / 2)) : NULL;
    FN_FOREACH(b, i, r)
    {
        strbuf_reset(&sb);
        for (int k = 0; k < nargs; k += 2)
            if (!vector_is_valid(args[k], r))
                ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("argument %d cannot be null", k + 1),
                        errhint("Object keys should be text."), errposition(fn_errpos(fc)));
        if (!jsonb) {
            strbuf_append_char(&sb, '{');
            for (int k = 0; k < nargs; k += 2) {
                if (k)
                    strbuf_append_str(&sb, ", ");
                append_key_text(&sb, args[k], r);
                strbuf_append_str(&sb, " : ");
                append_json_value(&sb, args[k + 1], r);
            }
            strbuf_append_char(&sb, '}');
        } else {
            /* render keys and values into tmp, sort, drop duplicates (last wins) */
            strbuf_reset(&tmp);
            int n = nargs / 2;
            for (int k = 0; k < n; k++) {
                refs[k].kstart = tmp.len;
                append_key_text(&tmp, args[2 * k], r);
                refs[k].klen = tmp.len - refs[k].kstart;
                refs[k].vstart = tmp.len;
                append_json_value(&tmp, args[2 * k + 1], r);
                refs[k].vlen = tmp.len - refs[k].vstart;
                refs[k].order = k;
            }
            tl_sort_buf = tmp.data;
            qsort(refs, n, sizeof(KeyRef), keyref_cmp_bytes);
            strbuf_append_char(&sb, '{');
            bool first = true;
            for (int k = 0; k < n; k++) {
                if (k + 1 < n && refs[k + 1].klen == refs[k].klen &&
                    memcmp(tmp.data + refs[k + 1].kstart, tmp.data + refs[k].kstart,
                           refs[k].klen) == 0)
                    continue; /* a later duplicate follows */
                if (!first)
                    strbuf_append_str(&sb, ", ");
                first = false;
                strbuf_append(&sb, tmp.data + refs[k].kstart, refs[k].klen);
                strbuf_append_str(&sb, ": ");
                strbuf_append(&sb, tmp.data + refs[k].vstart, refs[k].vlen);
            }
            strbuf_append_char(&sb, '}');
        }
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}
static void fn_json_build_object(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    build_object_rows(fc, args, b, out, false);
}
static void fn_jsonb_build_object(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    build_object_rows(fc, args, b, out, true);
}

static void fn_json_build_array(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    int nargs = fn_nargs(fc, 1);
    FN_FOREACH(b, i, r)
    {
        strbuf_reset(&sb);
        strbuf_append_char(&sb, '[');
        for (int k = 0; k < nargs; k++) {
            if (k)
                strbuf_append_str(&sb, ", ");
            append_json_value(&sb, args[k], r);
        }
        strbuf_append_char(&sb, ']');
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}

static void fn_to_json(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    FN_FOREACH(b, i, r)
    {
        strbuf_reset(&sb);
        append_json_value(&sb, args[0], r);
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}

/* ---------- inspection ---------- */

static const char *json_kind(const char *p, const char *end)
{
    JScan j = {p, end};
    jws(&j);
    if (j.p >= j.end)
        json_bad();
    switch (*j.p) {
    case '{':
        return "object";
    case '[':
        return "array";
    case '"':
        return "string";
    case 't':
    case 'f':
        return "boolean";
    case 'n':
        return "null";
    default:
        return "number";
    }
}

static void fn_json_typeof(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *js = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        const char *k = json_kind(js[r].ptr, js[r].ptr + js[r].len);
        fn_set_str(out, r, k, strlen(k));
    }
}

static void fn_json_array_length(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *js = FN_SV(args[0]);
    FN_FOREACH(b, i, r)
    {
        const char *kind = json_kind(js[r].ptr, js[r].ptr + js[r].len);
        if (kind[0] != 'a')
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg(kind[0] == 'o' ? "cannot get array length of a non-array"
                                          : "cannot get array length of a scalar"),
                    errposition(fn_errpos(fc)));
        JScan j = {js[r].ptr, js[r].ptr + js[r].len};
        jws(&j);
        j.p++;
        jws(&j);
        int32 n = 0;
        if (j.p < j.end && *j.p != ']')
            for (;;) {
                jskip_value(&j);
                n++;
                jws(&j);
                if (j.p < j.end && *j.p == ',') {
                    j.p++;
                    continue;
                }
                break;
            }
        FN_I32(out)[r] = n;
        vector_set_valid(out, r);
    }
}

/* ---------- jsonb existence and containment ---------- */

/* Next code point of the JSON string being walked (*p inside the quotes); -1 at its end. */
static int32 jstr_next(const char **pp, const char *end)
{
    const char *p = *pp;
    if (p >= end || *p == '"')
        return -1;
    if (*p != '\\') {
        int adv;
        uint32 cp = fn_utf8_decode(p, (size_t)(end - p), &adv);
        *pp = p + adv;
        return (int32)cp;
    }
    if (p + 1 >= end)
        json_bad();
    char e = p[1];
    *pp = p + 2;
    switch (e) {
    case 'n':
        return '\n';
    case 't':
        return '\t';
    case 'r':
        return '\r';
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'u': {
        if (end - p < 6)
            json_bad();
        char hx[5] = {p[2], p[3], p[4], p[5], 0};
        uint32 cp = (uint32)strtoul(hx, NULL, 16);
        *pp = p + 6;
        if (cp >= 0xD800 && cp <= 0xDBFF && end - *pp >= 6 && (*pp)[0] == '\\' && (*pp)[1] == 'u') {
            char lo[5] = {(*pp)[2], (*pp)[3], (*pp)[4], (*pp)[5], 0};
            uint32 l = (uint32)strtoul(lo, NULL, 16);
            if (l >= 0xDC00 && l <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (l - 0xDC00);
                *pp += 6;
            }
        }
        return (int32)cp;
    }
    default:
        return (unsigned char)e;
    }
}

/* Two JSON strings (each starting at its opening quote) with the same decoded text. */
static bool jstrings_equal(const char *a, const char *aend, const char *b, const char *bend)
{
    a++, b++;
    for (;;) {
        int32 x = jstr_next(&a, aend), y = jstr_next(&b, bend);
        if (x != y)
            return false;
        if (x < 0)
            return true;
    }
}

/* A JSON string equal to the text key. */
static bool jstring_is(const char *a, const char *aend, const char *key, size_t klen)
{
    const char *b = key, *bend = key + klen;
    a++;
    for (;;) {
        int32 x = jstr_next(&a, aend);
        if (b >= bend)
            return x < 0;
        int adv;
        uint32 y = fn_utf8_decode(b, (size_t)(bend - b), &adv);
        b += adv;
        if (x < 0 || (uint32)x != y)
            return false;
    }
}

/* Canonical decimal of a JSON number: sign, significant digits, exponent (value 0.DIGITS e EXP). */
typedef struct JNum {
    bool neg;
    int ndig;
    int64 exp;
    char dig[80];
    bool too_long;
} JNum;

static void jnum_parse(const char *p, const char *end, JNum *n)
{
    memset(n, 0, sizeof(*n));
    if (p < end && *p == '-')
        n->neg = true, p++;
    int64 point = 0;
    bool seen_point = false, started = false;
    for (; p < end && ((*p >= '0' && *p <= '9') || *p == '.'); p++) {
        if (*p == '.') {
            seen_point = true;
            continue;
        }
        if (!started && *p == '0') {
            if (seen_point)
                point--;
            continue;
        }
        started = true;
        if (!seen_point)
            point++;
        if (n->ndig < (int)sizeof(n->dig))
            n->dig[n->ndig++] = *p;
        else
            n->too_long = true;
    }
    if (p < end && (*p == 'e' || *p == 'E'))
        point += strtoll(p + 1, NULL, 10);
    while (n->ndig > 0 && n->dig[n->ndig - 1] == '0')
        n->ndig--;
    n->exp = n->ndig ? point : 0;
    if (n->ndig == 0)
        n->neg = false;
}

static bool jnumbers_equal(const char *a, const char *aend, const char *b, const char *bend)
{
    JNum x, y;
    jnum_parse(a, aend, &x);
    jnum_parse(b, bend, &y);
    if (x.too_long || y.too_long)
        return aend - a == bend - b && memcmp(a, b, (size_t)(aend - a)) == 0;
    return x.neg == y.neg && x.exp == y.exp && x.ndig == y.ndig &&
           memcmp(x.dig, y.dig, x.ndig) == 0;
}

static char jkind(const char *p)
{
    return *p == '{' || *p == '[' || *p == '"' || *p == 't' || *p == 'f' || *p == 'n' ? *p : '0';
}

/* Scalars [a, aend) and [b, bend) (whitespace trimmed) equal as jsonb compares them. */
static bool jscalars_equal(const char *a, const char *aend, const char *b, const char *bend)
{
    char ka = jkind(a), kb = jkind(b);
    if (ka != kb)
        return false;
    if (ka == '"')
        return jstrings_equal(a, aend, b, bend);
    if (ka == '0')
        return jnumbers_equal(a, aend, b, bend);
    return ka == kb; /* true, false, null */
}

/* Iterates the elements (or member values) of the container at p; returns false when done. */
typedef struct JIter {
    JScan j;
    char close;
    bool first;
    const char *key, *key_end; /* objects: the member's key (quoted) */
} JIter;

static void jiter_init(JIter *it, const char *p, const char *end)
{
    it->j.p = p + 1;
    it->j.end = end;
    it->close = *p == '{' ? '}' : ']';
    it->first = true;
}

static bool jiter_next(JIter *it, const char **vs, const char **ve)
{
    JScan *j = &it->j;
    jws(j);
    if (j->p >= j->end)
        json_bad();
    if (it->first) {
        it->first = false;
        if (*j->p == it->close)
            return false;
    } else {
        if (*j->p == it->close)
            return false;
        if (*j->p != ',')
            json_bad();
        j->p++;
        jws(j);
    }
    if (it->close == '}') {
        if (j->p >= j->end || *j->p != '"')
            json_bad();
        it->key = j->p;
        jskip_string(j);
        it->key_end = j->p;
        jws(j);
        if (j->p >= j->end || *j->p != ':')
            json_bad();
        j->p++;
        jws(j);
    }
    *vs = j->p;
    jskip_value(j);
    *ve = j->p;
    return true;
}

static bool jcontains(const char *a, const char *aend, const char *b, const char *bend, bool top);

/* Value of the member whose (quoted) key equals key in the object at a; NULL if none. */
static const char *jobject_get(const char *a, const char *aend, const char *key,
                               const char *key_end, const char **ve)
{
    JIter it;
    jiter_init(&it, a, aend);
    const char *vs, *e, *found = NULL;
    while (jiter_next(&it, &vs, &e))
        if (jstrings_equal(it.key, it.key_end, key, key_end)) {
            found = vs; /* the last duplicate wins */
            *ve = e;
        }
    return found;
}

/* jsonb containment (PostgreSQL's JsonbDeepContains): does a contain b? */
static bool jcontains(const char *a, const char *aend, const char *b, const char *bend, bool top)
{
    char ka = jkind(a), kb = jkind(b);
    if (ka != kb) {
        /* at the top level an array contains a scalar that is one of its elements */
        if (top && ka == '[' && kb != '{' && kb != '[') {
            JIter it;
            jiter_init(&it, a, aend);
            const char *vs, *ve;
            while (jiter_next(&it, &vs, &ve))
                if (jkind(vs) != '{' && jkind(vs) != '[' && jscalars_equal(vs, ve, b, bend))
                    return true;
        }
        return false;
    }
    if (ka == '{') {
        JIter it;
        jiter_init(&it, b, bend);
        const char *vs, *ve;
        while (jiter_next(&it, &vs, &ve)) {
            const char *ae = NULL;
            const char *av = jobject_get(a, aend, it.key, it.key_end, &ae);
            if (av == NULL || !jcontains(av, ae, vs, ve, false))
                return false;
        }
        return true;
    }
    if (ka == '[') {
        JIter it;
        jiter_init(&it, b, bend);
        const char *vs, *ve;
        while (jiter_next(&it, &vs, &ve)) {
            bool container = jkind(vs) == '{' || jkind(vs) == '[';
            bool found = false;
            JIter ia;
            jiter_init(&ia, a, aend);
            const char *xs, *xe;
            while (!found && jiter_next(&ia, &xs, &xe)) {
                if (container)
                    found = jkind(xs) == jkind(vs) && jcontains(xs, xe, vs, ve, false);
                else
                    found = jscalars_equal(xs, xe, vs, ve);
            }
            if (!found)
                return false;
        }
        return true;
    }
    return jscalars_equal(a, aend, b, bend);
}

/* The value of a JSON text with surrounding whitespace trimmed. */
static void jtrim(const StrView *v, const char **s, const char **e)
{
    JScan j = {v->ptr, v->ptr + v->len};
    jws(&j);
    const char *end = v->ptr + v->len;
    while (end > j.p && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    if (j.p >= end)
        json_bad();
    *s = j.p;
    *e = end;
}

static void contains_rows(Vector **args, const Batch *b, Vector *out, bool reverse)
{
    const StrView *x = FN_SV(args[reverse ? 1 : 0]), *y = FN_SV(args[reverse ? 0 : 1]);
    FN_FOREACH(b, i, r)
    {
        const char *as, *ae, *bs, *be;
        jtrim(&x[r], &as, &ae);
        jtrim(&y[r], &bs, &be);
        FN_U8(out)[r] = jcontains(as, ae, bs, be, true);
        vector_set_valid(out, r);
    }
}
static void fn_jsonb_contains(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    contains_rows(args, b, out, false);
}
static void fn_jsonb_contained(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    contains_rows(args, b, out, true);
}

/* jsonb ? key: a top-level object key, array string element, or the string itself. */
static bool jexists(const char *s, const char *e, const char *key, size_t klen)
{
    char k = jkind(s);
    if (k == '"')
        return jstring_is(s, e, key, klen);
    if (k != '{' && k != '[')
        return false;
    JIter it;
    jiter_init(&it, s, e);
    const char *vs, *ve;
    while (jiter_next(&it, &vs, &ve)) {
        if (k == '{' && jstring_is(it.key, it.key_end, key, klen))
            return true;
        if (k == '[' && jkind(vs) == '"' && jstring_is(vs, ve, key, klen))
            return true;
    }
    return false;
}

static void fn_jsonb_exists(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *js = FN_SV(args[0]), *key = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        const char *s, *e;
        jtrim(&js[r], &s, &e);
        FN_U8(out)[r] = jexists(s, e, key[r].ptr, key[r].len);
        vector_set_valid(out, r);
    }
}

/* ?| (any) and ?& (all) with a text[] of keys; NULL keys are ignored, as PostgreSQL. */
static void exists_many_rows(Vector **args, const Batch *b, Vector *out, bool all)
{
    const StrView *js = FN_SV(args[0]);
    const ListEntry *le = (const ListEntry *)args[1]->data;
    const Vector *ev = &args[1]->children[0];
    FN_FOREACH(b, i, r)
    {
        const char *s, *e;
        jtrim(&js[r], &s, &e);
        bool res = all;
        for (uint32 k = 0; k < le[r].length; k++) {
            int x = (int)(le[r].offset + k);
            if (!vector_is_valid(ev, x))
                continue;
            bool has = jexists(s, e, FN_SV(ev)[x].ptr, FN_SV(ev)[x].len);
            if (all && !has) {
                res = false;
                break;
            }
            if (!all && has) {
                res = true;
                break;
            }
        }
        FN_U8(out)[r] = res;
        vector_set_valid(out, r);
    }
}
static void fn_jsonb_exists_any(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    exists_many_rows(args, b, out, false);
}
static void fn_jsonb_exists_all(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    exists_many_rows(args, b, out, true);
}

/* ---------- the table ---------- */

static const LmType *ret_arg0(Arena *a, int nargs, const LmType **t)
{
    return t[0];
}
static const LmType *ret_jsonb(Arena *a, int nargs, const LmType **t)
{
    return type_with_pg_oid(a, type_json(), JSONBOID);
}

/* clang-format off */
#define J TYPE_JSON
#define S TYPE_STRING
#define I4 TYPE_INT32
#define STRICT FN_STRICT
#define OP (FN_STRICT | FN_OPERATOR)

const FuncDesc lm_funcs_json[] = {
    {"->", 3947, 2, {J, S}, J, ret_arg0, fn_json_field, OP, "get json object field"},
    {"->>", 3948, 2, {J, S}, S, NULL, fn_json_field_text, OP, "get json object field as text"},
    {"->", 3949, 2, {J, I4}, J, ret_arg0, fn_json_elem, OP, "get json array element"},
    {"->>", 3950, 2, {J, I4}, S, NULL, fn_json_elem_text, OP, "get json array element as text"},
    {"#>", 20301, 2, {J, TYPE_ARRAY}, J, ret_arg0, fn_json_path, OP, "get value from json with path elements"},
    {"#>>", 20302, 2, {J, TYPE_ARRAY}, S, NULL, fn_json_path_text, OP,
     "get value from json as text with path elements"},
    {"?", 4047, 2, {J, S}, TYPE_BOOL, NULL, fn_jsonb_exists, OP, "key exists"},
    {"?|", 4048, 2, {J, TYPE_ARRAY}, TYPE_BOOL, NULL, fn_jsonb_exists_any, OP, "any key exists"},
    {"?&", 4049, 2, {J, TYPE_ARRAY}, TYPE_BOOL, NULL, fn_jsonb_exists_all, OP, "all keys exist"},
    {"@>", 4046, 2, {J, J}, TYPE_BOOL, NULL, fn_jsonb_contains, OP, "contains"},
    {"<@", 4050, 2, {J, J}, TYPE_BOOL, NULL, fn_jsonb_contained, OP, "is contained by"},
    {"json_extract_path", 3951, 2, {J, S}, J, ret_arg0, fn_json_extract_path,
     STRICT | FN_VARIADIC, "get value from json with path elements"},
    {"json_extract_path_text", 3953, 2, {J, S}, S, NULL, fn_json_extract_path_text,
     STRICT | FN_VARIADIC, "get value from json as text with path elements"},
    {"jsonb_extract_path", 3217, 2, {J, S}, J, ret_arg0, fn_json_extract_path, STRICT | FN_VARIADIC,
     "get value from jsonb with path elements"},
    {"jsonb_extract_path_text", 3940, 2, {J, S}, S, NULL, fn_json_extract_path_text, STRICT | FN_VARIADIC,
     "get value from jsonb as text with path elements"},
    {"json_value", 20300, 2, {J, S}, S, NULL, fn_json_value, STRICT,
     "scalar at a JSON path ($.a.b[0]) as text"},
    /* the same over JSON held in a STRING column (webhook bodies, Kafka values read as text) */
    {"json_value", 20301, 2, {S, S}, S, NULL, fn_json_value, STRICT,
     "scalar at a JSON path ($.a.b[0]) of JSON text, as text"},
    {"json_build_object", 3200, 1, {FT_ANY}, J, NULL, fn_json_build_object,
     FN_STABLE | FN_VARIADIC, "build a json object from pairwise key/value inputs"},
    {"json_build_object", 3201, 0, {0}, J, NULL, fn_json_build_object, FN_STABLE,
     "build an empty json object"},
    {"jsonb_build_object", 3273, 1, {FT_ANY}, J, ret_jsonb, fn_jsonb_build_object,
     FN_STABLE | FN_VARIADIC, "build a jsonb object from pairwise key/value inputs"},
    {"jsonb_build_object", 3274, 0, {0}, J, ret_jsonb, fn_jsonb_build_object, FN_STABLE,
     "build an empty jsonb object"},
    {"json_build_array", 3198, 1, {FT_ANY}, J, NULL, fn_json_build_array,
     FN_STABLE | FN_VARIADIC, "build a json array from any inputs"},
    {"json_build_array", 3199, 0, {0}, J, NULL, fn_json_build_array, FN_STABLE,
     "build an empty json array"},
    {"jsonb_build_array", 3271, 1, {FT_ANY}, J, ret_jsonb, fn_json_build_array,
     FN_STABLE | FN_VARIADIC, "build a jsonb array from any inputs"},
    {"jsonb_build_array", 3272, 0, {0}, J, ret_jsonb, fn_json_build_array, FN_STABLE,
     "build an empty jsonb array"},
    {"to_json", 3176, 1, {FT_ANYELEMENT}, J, NULL, fn_to_json, FN_STABLE | STRICT,
     "map input to json"},
    {"to_jsonb", 3787, 1, {FT_ANYELEMENT}, J, ret_jsonb, fn_to_json, FN_STABLE | STRICT,
     "map input to jsonb"},
    {"json_typeof", 3968, 1, {J}, S, NULL, fn_json_typeof, STRICT, "get the type of a json value"},
    {"jsonb_typeof", 3210, 1, {J}, S, NULL, fn_json_typeof, STRICT,
     "get the type of a jsonb value"},
    {"json_array_length", 3956, 1, {J}, I4, NULL, fn_json_array_length, STRICT,
     "length of json array"},
    {"jsonb_array_length", 3207, 1, {J}, I4, NULL, fn_json_array_length, STRICT,
     "length of jsonb array"},
};
/* clang-format on */
const int lm_nfuncs_json = sizeof(lm_funcs_json) / sizeof(lm_funcs_json[0]);
