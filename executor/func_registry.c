/*
 * func_registry.c: the function and aggregate registry (executor/func.h) and
 * PostgreSQL-style overload resolution.
 *
 * The registry is the concatenation of the static per-group tables named by
 * LM_FUNC_GROUPS (lm_funcs_arith, lm_funcs_compare, ...) plus lm_aggs.
 * Lookups scan the tables linearly: resolution runs once per call site at
 * bind time, never per row, and a few hundred strcmp()s cost less than
 * keeping a shared hash index coherent across threads.
 *
 * Resolution follows PostgreSQL's func_select_candidate() (parse_func.c /
 * parse_oper.c), adapted to Laminar's types:
 *   1. candidates: same name, argument count (variadic: at least nargs, i.e. one variadic),
 *      every argument either exact, an untyped literal (`unknown`),
 *      implicitly castable (cast_kind() == CAST_IMPLICIT) or accepted by a
 *      polymorphic parameter (FT_ANY, FT_ANYARRAY, FT_ANYELEMENT, FT_ANYNUMERIC,
 *      FT_ANYNONARRAY);
 *   2. binary operators with one unknown side: the candidate taking the known
 *      type on both sides wins outright ('1' + 2 is int4 + int4);
 *   3. keep the candidates with the most exact matches, then those with the
 *      most exact-or-preferred types (float8 in the numeric category,
 *      text for strings, timestamptz for date/time, interval) at positions
 *      needing a cast, PostgreSQL's category-preferred rule;
 *   4. unknown arguments: pick a type category per unknown position (string
 *      if any candidate takes a string there, else the one category all
 *      candidates agree on) and prefer the category's preferred type
 *      (unknown = unknown is text = text);
 *   5. last gasp: unknown arguments assume the type shared by all known ones.
 * More than one survivor is ambiguous (callers raise 42725), none is 42883.
 * TINYINT has no PostgreSQL counterpart (it is int2 on the wire), so a
 * TINYINT argument counts as an exact match for a smallint parameter.
 * Mixed-integer arithmetic therefore picks the wider operator (int4 + int8 is
 * int8 + int8), integer with decimal picks numeric, decimal with float picks
 * float8: the same choices PostgreSQL makes.
 */
#include "executor/func.h"
#include "executor/expr.h"

#include <string.h>

/* ---- registry iteration ---- */

typedef struct FuncGroupRef {
    const FuncDesc *funcs;
    const int *nfuncs;
} FuncGroupRef;

#define LM_FUNC_GROUP_REF(g) {lm_funcs_##g, &lm_nfuncs_##g},
static const FuncGroupRef func_groups[] = {LM_FUNC_GROUPS(LM_FUNC_GROUP_REF)};

int func_count(void)
{
    int n = 0;
    for (size_t g = 0; g < LM_ARRAY_LEN(func_groups); g++)
        n += *func_groups[g].nfuncs;
    return n;
}

const FuncDesc *func_at(int i)
{
    for (size_t g = 0; g < LM_ARRAY_LEN(func_groups); g++) {
        if (i < *func_groups[g].nfuncs)
            return &func_groups[g].funcs[i];
        i -= *func_groups[g].nfuncs;
    }
    return NULL;
}

int agg_count(void)
{
    return lm_naggs;
}

const AggDesc *agg_at(int i)
{
    return i >= 0 && i < lm_naggs ? &lm_aggs[i] : NULL;
}

bool func_exists(const char *name)
{
    int n = func_count();
    for (int i = 0; i < n; i++)
        if (strcmp(func_at(i)->name, name) == 0)
            return true;
    return false;
}

bool agg_exists(const char *name)
{
    for (int i = 0; i < lm_naggs; i++)
        if (strcmp(lm_aggs[i].name, name) == 0)
            return true;
    return false;
}

/* ---- type categories (PostgreSQL's pg_type.typcategory) ---- */

static char type_category(const LmType *t)
{
    switch (t->id) {
    case TYPE_BOOL: return 'B';
    case TYPE_INT8:
    case TYPE_INT16:
    case TYPE_INT32:
    case TYPE_INT64:
    case TYPE_FLOAT32:
    case TYPE_FLOAT64:
    case TYPE_DECIMAL:
    case TYPE_OID: return 'N';
    case TYPE_STRING: return 'S';
    case TYPE_DATE:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ: return 'D';
    case TYPE_INTERVAL: return 'T';
    case TYPE_ARRAY: return 'A';
    case TYPE_UNKNOWN: return 'X';
    default: return 'U';
    }
}

static char param_category(int p)
{
    if (p > TYPE__COUNT)
        return 'P'; /* polymorphic pseudo-types */
    if (p == TYPE_DECIMAL)
        return 'N';
    if (p == TYPE_ARRAY)
        return 'A';
    const LmType *t = type_scalar((TypeId)p);
    return t ? type_category(t) : 'U';
}

static bool param_is_preferred(int p)
{
    return p == TYPE_FLOAT64 || p == TYPE_STRING || p == TYPE_TIMESTAMPTZ || p == TYPE_INTERVAL ||
           p == TYPE_BOOL;
}

/* The concrete type an argument of type `in` becomes when passed to parameter p. */
static const LmType *param_type_for(Arena *a, int p, const LmType *in)
{
    if (p == TYPE_DECIMAL) {
        switch (in->id) {
        case TYPE_DECIMAL: return in;
        case TYPE_INT8: return type_decimal(a, 3, 0);
        case TYPE_INT16: return type_decimal(a, 5, 0);
        case TYPE_INT32: return type_decimal(a, 10, 0);
        case TYPE_INT64: return type_decimal(a, 19, 0);
        case TYPE_OID: return type_decimal(a, 10, 0);
        default: return type_numeric_unconstrained(a);
        }
    }
    if (p == TYPE_STRING && in->id == TYPE_STRING)
        return in; /* keep VARCHAR(n) */
    if (p == TYPE_JSON && in->id == TYPE_JSON)
        return in; /* keep json vs jsonb */
    if (p == TYPE_OID && in->id == TYPE_OID)
        return in; /* keep regclass & co. */
    if ((p == TYPE_ARRAY || p == TYPE_MAP || p == TYPE_STRUCT) && in->id == p)
        return in;
    if (p == TYPE_ARRAY) /* an untyped literal for an array parameter: text[] */
        return type_array(a, type_string());
    const LmType *t = type_scalar((TypeId)p);
    return t ? t : in;
}

/* ---- generic candidate matching (shared by functions and aggregates) ---- */

typedef struct Sig {
    int nargs;
    const int *args;
    bool variadic;
} Sig;

enum { M_NONE = 0, M_EXACT, M_UNKNOWN, M_CAST, M_POLY };

static int sig_param(const Sig *s, int i)
{
    if (s->variadic && i >= s->nargs - 1)
        return s->args[s->nargs - 1];
    return s->args[i];
}

static bool sig_nargs_ok(const Sig *s, int nargs)
{
    if (s->variadic)
        return nargs >= s->nargs; /* PostgreSQL: at least one variadic argument */
    return nargs == s->nargs;
}

/* How an argument of type `in` reaches parameter p. */
static int arg_match(int p, const LmType *in)
{
    if (p > TYPE__COUNT) {
        if (in->id == TYPE_UNKNOWN)
            return p == FT_ANYNUMERIC ? M_NONE : M_UNKNOWN;
        switch (p) {
        case FT_ANY:
        case FT_ANYELEMENT: return M_POLY;
        case FT_ANYARRAY: return in->id == TYPE_ARRAY ? M_POLY : M_NONE;
        case FT_ANYNONARRAY: return in->id != TYPE_ARRAY ? M_POLY : M_NONE;
        case FT_ANYNUMERIC: return type_is_numeric(in) ? M_POLY : M_NONE;
        default: return M_NONE;
        }
    }
    if (in->id == TYPE_UNKNOWN)
        return M_UNKNOWN;
    if ((int)in->id == p)
        return M_EXACT;
    if (in->id == TYPE_INT8 && p == TYPE_INT16)
        return M_EXACT; /* TINYINT is int2 to PostgreSQL clients */
    if (p == TYPE_ARRAY || p == TYPE_MAP || p == TYPE_STRUCT)
        return M_NONE;
    if (p == TYPE_DECIMAL) /* implicit to numeric: integers only */
        return type_is_integer(in) ? M_CAST : M_NONE;
    const LmType *target = type_scalar((TypeId)p);
    if (target && cast_kind(in, target) == CAST_IMPLICIT)
        return M_CAST;
    return M_NONE;
}

/* Polymorphic consistency: the element type fixed by ANYELEMENT/ANYARRAY arguments. */
static bool poly_elem(const Sig *s, int nargs, const LmType **argtypes, const LmType **elem_out)
{
    const LmType *elem = NULL;
    for (int i = 0; i < nargs; i++) {
        int p = sig_param(s, i);
        const LmType *e = NULL;
        if (argtypes[i]->id == TYPE_UNKNOWN)
            continue;
        if (p == FT_ANYELEMENT)
            e = argtypes[i];
        else if (p == FT_ANYARRAY)
            e = argtypes[i]->elem;
        else
            continue;
        if (elem == NULL)
            elem = e;
        else if (!type_equal(elem, e)) {
            /* PostgreSQL demands one type; accept decimal scale and varchar length differences */
            if (elem->id != e->id)
                return false;
        }
    }
    *elem_out = elem;
    return true;
}

typedef struct Cand {
    int index;
    Sig sig;
    bool alive;
} Cand;

/*
 * Chooses among cands (all with matching arity and coercible arguments).
 * Returns the winner's position in cands, -1 for none, -2 for ambiguity.
 */
static int select_candidate(Cand *c, int nc, int nargs, const LmType **argtypes, bool is_operator)
{
    int alive = 0, last = -1;
    for (int k = 0; k < nc; k++)
        if (c[k].alive)
            alive++, last = k;
    if (alive == 0)
        return -1;
    if (alive == 1)
        return last;

    /* exact match on every argument (polymorphic counts as exact) */
    for (int k = 0; k < nc; k++) {
        if (!c[k].alive)
            continue;
        bool all = true;
        for (int i = 0; i < nargs && all; i++) {
            int p = sig_param(&c[k].sig, i);
            int m = arg_match(p, argtypes[i]);
            all = (m == M_EXACT && (int)argtypes[i]->id == p) || m == M_POLY;
        }
        if (all)
            return k;
    }

    /* binary operator with one unknown side: the known type on both sides */
    if (is_operator && nargs == 2 &&
        ((argtypes[0]->id == TYPE_UNKNOWN) != (argtypes[1]->id == TYPE_UNKNOWN))) {
        const LmType *known = argtypes[0]->id == TYPE_UNKNOWN ? argtypes[1] : argtypes[0];
        for (int k = 0; k < nc; k++)
            if (c[k].alive && sig_param(&c[k].sig, 0) == (int)known->id &&
                sig_param(&c[k].sig, 1) == (int)known->id)
                return k;
    }

    /* most exact matches, then most exact-or-preferred at positions needing a cast */
    for (int pass = 0; pass < 2; pass++) {
        int best = -1;
        int score[64];
        for (int k = 0; k < nc && k < 64; k++) {
            score[k] = -1;
            if (!c[k].alive)
                continue;
            int s = 0;
            for (int i = 0; i < nargs; i++) {
                if (argtypes[i]->id == TYPE_UNKNOWN)
                    continue;
                int p = sig_param(&c[k].sig, i);
                int m = arg_match(p, argtypes[i]);
                if (m == M_EXACT || m == M_POLY)
                    s++;
                else if (pass == 1 && param_is_preferred(p) &&
                         param_category(p) == type_category(argtypes[i]))
                    s++;
            }
            score[k] = s;
            if (s > best)
                best = s;
        }
        alive = 0;
        for (int k = 0; k < nc && k < 64; k++)
            if (c[k].alive && score[k] < best)
                c[k].alive = false;
            else if (c[k].alive)
                alive++, last = k;
        if (alive == 1)
            return last;
    }

    /* unknown arguments: choose a category per position */
    bool any_unknown = false;
    for (int i = 0; i < nargs; i++)
        any_unknown |= argtypes[i]->id == TYPE_UNKNOWN;
    if (any_unknown) {
        bool keep[64];
        for (int k = 0; k < nc && k < 64; k++)
            keep[k] = c[k].alive;
        bool resolved = true;
        for (int i = 0; i < nargs && resolved; i++) {
            if (argtypes[i]->id != TYPE_UNKNOWN)
                continue;
            char cat = 0;
            bool string_seen = false, conflict = false, preferred_seen = false;
            for (int k = 0; k < nc; k++) {
                if (!c[k].alive)
                    continue;
                char pc = param_category(sig_param(&c[k].sig, i));
                if (pc == 'S')
                    string_seen = true;
                if (cat == 0)
                    cat = pc;
                else if (cat != pc)
                    conflict = true;
            }
            if (string_seen)
                cat = 'S';
            else if (conflict) {
                resolved = false;
                break;
            }
            for (int k = 0; k < nc; k++)
                if (c[k].alive && param_category(sig_param(&c[k].sig, i)) == cat &&
                    param_is_preferred(sig_param(&c[k].sig, i)))
                    preferred_seen = true;
            for (int k = 0; k < nc && k < 64; k++) {
                if (!keep[k])
                    continue;
                int p = sig_param(&c[k].sig, i);
                if (param_category(p) != cat || (preferred_seen && !param_is_preferred(p)))
                    keep[k] = false;
            }
        }
        if (resolved) {
            alive = 0;
            for (int k = 0; k < nc && k < 64; k++)
                if (keep[k])
                    alive++, last = k;
            if (alive == 1)
                return last;
            if (alive > 1)
                for (int k = 0; k < nc && k < 64; k++)
                    c[k].alive = keep[k];
        }

        /* last gasp: unknowns take the one type all known arguments share */
        const LmType *common = NULL;
        bool same = true;
        for (int i = 0; i < nargs; i++) {
            if (argtypes[i]->id == TYPE_UNKNOWN)
                continue;
            if (common == NULL)
                common = argtypes[i];
            else if (common->id != argtypes[i]->id)
                same = false;
        }
        if (common && same) {
            int found = -1, nfound = 0;
            for (int k = 0; k < nc; k++) {
                if (!c[k].alive)
                    continue;
                bool ok = true;
                const LmType *as_common[FUNC_MAX_ARGS * 4];
                bool fits = nargs <= (int)LM_ARRAY_LEN(as_common);
                for (int i = 0; i < nargs && ok; i++) {
                    bool unknown = argtypes[i]->id == TYPE_UNKNOWN;
                    if (unknown)
                        ok = arg_match(sig_param(&c[k].sig, i), common) != M_NONE;
                    if (fits)
                        as_common[i] = unknown ? common : argtypes[i];
                }
                /* polymorphic parameters must agree (PostgreSQL's
                 * check_generic_type_consistency): int[] || NULL is array_cat */
                const LmType *elem;
                if (ok && fits)
                    ok = poly_elem(&c[k].sig, nargs, as_common, &elem);
                if (ok)
                    found = k, nfound++;
            }
            if (nfound == 1)
                return found;
        }
    }
    return -2;
}

/*
 * Fills cast_to (NULL where no cast is needed) and returns the argument types the
 * candidate sees after casting in final_types.  Unknown literals adopt the parameter's
 * type (text for polymorphic parameters without a determining argument).
 */
static bool plan_casts(Arena *a, const Sig *s, int nargs, const LmType **argtypes,
                       const LmType **cast_to, const LmType **final_types, const LmType **elem_out)
{
    const LmType *elem = NULL;
    if (!poly_elem(s, nargs, argtypes, &elem))
        return false;
    for (int i = 0; i < nargs; i++) {
        int p = sig_param(s, i);
        const LmType *in = argtypes[i];
        const LmType *target = NULL;
        if (p > TYPE__COUNT) {
            if (in->id == TYPE_UNKNOWN) {
                if (p == FT_ANYARRAY)
                    target = elem ? type_array(a, elem) : NULL;
                else
                    target = elem ? elem : type_string();
                if (target == NULL)
                    return false; /* could not determine polymorphic type */
            }
        } else if (arg_match(p, in) != M_EXACT || (in->id == TYPE_INT8 && p == TYPE_INT16)) {
            target = param_type_for(a, p, in);
        }
        if (target && type_equal(target, in))
            target = NULL;
        if (cast_to)
            cast_to[i] = target;
        final_types[i] = target ? target : in;
    }
    *elem_out = elem ? elem : type_string();
    return true;
}

static const LmType *result_type(Arena *a, int ret, ReturnTypeFn fn, int nargs,
                                 const LmType **final_types, const Sig *s, const LmType *elem)
{
    if (fn) {
        const LmType *t = fn(a, nargs, final_types);
        if (t)
            return t;
    }
    switch (ret) {
    case FT_ANYELEMENT: return elem;
    case FT_ANYARRAY: return type_array(a, elem);
    case FT_ANY:
    case FT_ANYNUMERIC:
        for (int i = 0; i < nargs; i++)
            if (sig_param(s, i) == ret)
                return final_types[i];
        return nargs > 0 ? final_types[0] : type_unknown();
    default: {
        const LmType *t = type_scalar((TypeId)ret);
        if (t)
            return t;
        if (ret == TYPE_DECIMAL)
            return type_numeric_unconstrained(a);
        return type_unknown();
    }
    }
}

/* Shared driver: get_sig(i) describes candidate i of n. */
typedef bool (*SigAt)(int i, const char *name, Sig *out);

static int resolve_common(Arena *a, const char *name, int nargs, const LmType **argtypes,
                          int ncands, SigAt sig_at, bool is_operator, bool *ambiguous)
{
    Cand cands[64];
    int nc = 0;
    for (int i = 0; i < ncands; i++) {
        Sig s;
        if (!sig_at(i, name, &s) || !sig_nargs_ok(&s, nargs))
            continue;
        bool ok = true;
        for (int j = 0; j < nargs && ok; j++)
            ok = arg_match(sig_param(&s, j), argtypes[j]) != M_NONE;
        const LmType *elem;
        if (ok)
            ok = poly_elem(&s, nargs, argtypes, &elem);
        if (!ok)
            continue;
        if (nc == (int)LM_ARRAY_LEN(cands))
            elog(ERROR, "too many overloads of function %s", name);
        cands[nc].index = i;
        cands[nc].sig = s;
        cands[nc].alive = true;
        nc++;
    }
    int k = select_candidate(cands, nc, nargs, argtypes, is_operator);
    if (ambiguous)
        *ambiguous = k == -2;
    return k >= 0 ? cands[k].index : -1;
}

static bool func_sig_at(int i, const char *name, Sig *out)
{
    const FuncDesc *f = func_at(i);
    if (strcmp(f->name, name) != 0)
        return false;
    out->nargs = f->nargs;
    out->args = f->args;
    out->variadic = (f->flags & FN_VARIADIC) != 0;
    return true;
}

static bool agg_sig_at(int i, const char *name, Sig *out)
{
    const AggDesc *g = &lm_aggs[i];
    if (strcmp(g->name, name) != 0)
        return false;
    out->nargs = g->nargs;
    out->args = g->args;
    out->variadic = false;
    return true;
}

const FuncDesc *func_resolve_full(Arena *a, const char *name, int nargs, const LmType **argtypes,
                                  const LmType **cast_to, const LmType **ret_out, bool *ambiguous)
{
    bool is_operator = name[0] != '\0' && strchr("+-*/%<>=~!@#^&|`?", name[0]) != NULL;
    int idx = resolve_common(a, name, nargs, argtypes, func_count(), func_sig_at, is_operator,
                             ambiguous);
    if (idx < 0)
        return NULL;
    const FuncDesc *f = func_at(idx);
    Sig s = {f->nargs, f->args, (f->flags & FN_VARIADIC) != 0};
    const LmType **final_types = arena_alloc(a, sizeof(LmType *) * (size_t)(nargs > 0 ? nargs : 1));
    const LmType *elem;
    if (!plan_casts(a, &s, nargs, argtypes, cast_to, final_types, &elem))
        return NULL;
    if (ret_out)
        *ret_out = result_type(a, f->ret, f->resolve_ret, nargs, final_types, &s, elem);
    return f;
}

const FuncDesc *func_resolve(Arena *a, const char *name, int nargs, const LmType **argtypes,
                             const LmType **cast_to, const LmType **ret_out)
{
    return func_resolve_full(a, name, nargs, argtypes, cast_to, ret_out, NULL);
}

const AggDesc *agg_resolve_full(Arena *a, const char *name, int nargs, const LmType **argtypes,
                                const LmType **cast_to, const LmType **ret_out, bool *ambiguous)
{
    int idx = resolve_common(a, name, nargs, argtypes, lm_naggs, agg_sig_at, false, ambiguous);
    if (idx < 0)
        return NULL;
    const AggDesc *g = &lm_aggs[idx];
    Sig s = {g->nargs, g->args, false};
    const LmType **final_types = arena_alloc(a, sizeof(LmType *) * (size_t)(nargs > 0 ? nargs : 1));
    const LmType *elem;
    if (!plan_casts(a, &s, nargs, argtypes, cast_to, final_types, &elem))
        return NULL;
    if (ret_out)
        *ret_out = result_type(a, g->ret, g->resolve_ret, nargs, final_types, &s, elem);
    return g;
}

const AggDesc *agg_resolve(Arena *a, const char *name, int nargs, const LmType **argtypes,
                           const LmType **cast_to, const LmType **ret_out)
{
    return agg_resolve_full(a, name, nargs, argtypes, cast_to, ret_out, NULL);
}
