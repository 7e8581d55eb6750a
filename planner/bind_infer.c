/*
 * bind_infer.c: FROM laminar.infer_schema(...) — binds the call forms of the
 * schema-inference function to one PLAN_FUNCTION_SCAN with four text
 * arguments (table, connector, profile, options; '' when absent) and the
 * columns (column_name text, data_type text, nullable boolean,
 * sample_values json).  The executor samples the source
 * (executor/op_infer_schema.c).
 *
 * Forms: infer_schema('table'); infer_schema('connector', 'options json');
 * infer_schema('connector', 'profile', 'options json'); and named arguments
 * source_table => (or "table" =>), connector =>, profile =>, options => in
 * any order.  The select list binds the positional forms in bind_srf.c.  Arguments
 * are constant expressions coerced to text (a json argument is its text).
 */
#include "planner/bind_int.h"

#include <string.h>

#define NODE(n, kind) ((n) != NULL && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

bool bind_is_infer_schema(PgQuery__FuncCall *fc)
{
    if (fc->n_funcname < 1 || fc->n_funcname > 2)
        return false;
    const char *name = bind_strval(fc->funcname[fc->n_funcname - 1]);
    if (name == NULL || strcmp(name, "infer_schema") != 0)
        return false;
    const char *schema = fc->n_funcname == 2 ? bind_strval(fc->funcname[0]) : NULL;
    return schema == NULL || strcmp(schema, "laminar") == 0;
}

static const char *const slot_names[4] = {"table", "connector", "profile", "options"};

PlanNode *bind_infer_schema(BindContext *bc, BindLevel *lv, PgQuery__FuncCall *fc,
                            const char *colname_alias)
{
    (void)colname_alias;
    int loc = fc->location;
    if (fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter ||
        fc->func_variadic || fc->agg_within_group || fc->over)
        bind_unsupported(loc, "these options on infer_schema");
    BindLevel *tmp = bind_new_level(bc, lv, LEVEL_INLINE);
    tmp->place_name = "functions in FROM";
    Expr *slots[4] = {NULL, NULL, NULL, NULL};
    int n = (int)fc->n_args, npos = 0;
    Expr *pos[4];
    for (int i = 0; i < n; i++) {
        PgQuery__Node *an = fc->args[i];
        if (NODE(an, NAMED_ARG_EXPR)) {
            const char *nm = an->named_arg_expr->name;
            int k = 0;
            while (k < 4 && (nm == NULL || strcmp(nm, slot_names[k]) != 0))
                k++;
            if (nm && strcmp(nm, "source_table") == 0) /* TABLE is reserved: "table" => */
                k = 0;
            if (k == 4)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                        errmsg("function infer_schema has no parameter named \"%s\"",
                               nm ? nm : "?"),
                        errhint("The parameters are source_table, connector, profile and options."),
                        errposition(loc + 1));
            if (slots[k])
                ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                        errmsg("argument name \"%s\" used more than once", nm),
                        errposition(loc + 1));
            slots[k] = bind_expr(bc, tmp, (PgQuery__Node *)an->named_arg_expr->arg);
        } else {
            if (npos == 3 || i != npos)
                ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                        errmsg("function infer_schema with these arguments does not exist"),
                        errhint("Use infer_schema('table') or infer_schema('connector', "
                                "'{\"option\": \"value\"}')."),
                        errposition(loc + 1));
            pos[npos++] = bind_expr(bc, tmp, an);
        }
    }
    /* positional: (table) | (connector, options) | (connector, profile, options) */
    if (npos > 0 && (slots[0] || slots[1] || (npos > 1 && slots[3]) || (npos > 2 && slots[2])))
        ereport(ERROR, errcode(ERRCODE_SYNTAX_ERROR),
                errmsg("infer_schema argument given both by position and by name"),
                errposition(loc + 1));
    if (npos == 1)
        slots[slots[2] || slots[3] ? 1 : 0] = pos[0]; /* ('t') or ('kafka', options => ..) */
    else if (npos == 2) {
        slots[1] = pos[0];
        slots[3] = pos[1];
    } else if (npos == 3) {
        slots[1] = pos[0];
        slots[2] = pos[1];
        slots[3] = pos[2];
    }
    if (slots[0] == NULL && slots[1] == NULL)
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_FUNCTION),
                errmsg("infer_schema needs a source table or a connector"),
                errhint("Use infer_schema('table') or infer_schema('connector', "
                        "'{\"option\": \"value\"}')."),
                errposition(loc + 1));
    Expr **args = arena_new_array(bc->arena, Expr *, 4);
    for (int k = 0; k < 4; k++) {
        Expr *e = slots[k] ? slots[k] : bind_const_text(bc, "", loc);
        if (e->type->id == TYPE_UNKNOWN)
            e = bind_resolve_unknown(bc, e);
        args[k] = bind_coerce(bc, e, type_string(), COERCE_EXPLICIT, e->location);
    }
    PlanNode *p = plan_make(bc->arena, PLAN_FUNCTION_SCAN);
    p->func_name = "infer_schema";
    p->nfunc_args = 4;
    p->func_args = args;
    p->ncols = 4;
    p->cols = arena_new_array(bc->arena, PlanColumn, 4);
    p->cols[0] = (PlanColumn){.name = "column_name", .type = type_string()};
    p->cols[1] = (PlanColumn){.name = "data_type", .type = type_string()};
    p->cols[2] = (PlanColumn){.name = "nullable", .type = type_bool()};
    p->cols[3] = (PlanColumn){.name = "sample_values", .type = type_json()};
    return p;
}
