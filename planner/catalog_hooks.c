/*
 * catalog_hooks.c: hands the executor's pg_catalog functions (fn_pgcatalog.c)
 * what they need to know about relations and pg_proc, which lives in the
 * planner's system-view registry, and common/'s reg* text I/O the names
 * of OIDs (reg_names.c).  Installed once at start-up, so the executor and
 * common/ never call up into the planner (dependencies point down).
 */
#include "planner/catalog_hooks.h"
#include "executor/func.h"
#include "planner/reg_names.h"
#include "planner/relation.h"
#include "planner/sysview.h"

static bool hook_relation_by_oid(ExecContext *ctx, Arena *a, Oid oid, const char **schema,
                                 const char **name, char *relkind)
{
    SysviewRelInfo info;
    if (!sysview_relation_by_oid(ctx, oid, &info))
        return false;
    *schema = info.schema;
    *name = info.name;
    *relkind = info.relkind;
    return true;
}

static bool hook_relation_by_name(ExecContext *ctx, Arena *a, const char *schema, const char *name,
                                  Oid *oid)
{
    const Relation *rel = relation_lookup(ctx, a, schema, name);
    if (rel == NULL)
        return false;
    *oid = rel->oid;
    return true;
}

static const char *hook_indexdef(ExecContext *ctx, Arena *a, Oid oid)
{
    return sysview_indexdef_by_oid(ctx, oid);
}

static const char *hook_constraintdef(ExecContext *ctx, Arena *a, Oid oid)
{
    return sysview_constraintdef_by_oid(ctx, oid);
}

static const char *hook_viewdef(ExecContext *ctx, Arena *a, Oid oid)
{
    const SystemView *v = sysview_find_oid(oid);
    return v ? sysview_definition(a, v) : NULL;
}

static bool hook_proc_by_oid(Oid oid, const FuncDesc **func, const AggDesc **agg)
{
    const char *io_name = NULL;
    return sysview_proc_lookup(oid, func, agg, &io_name) && (*func || *agg);
}

void planner_install_catalog_hooks(void)
{
    FuncCatalogHooks hooks = {
        .relation_by_oid = hook_relation_by_oid,
        .relation_by_name = hook_relation_by_name,
        .indexdef_by_oid = hook_indexdef,
        .constraintdef_by_oid = hook_constraintdef,
        .viewdef_by_oid = hook_viewdef,
        .proc_by_oid = hook_proc_by_oid,
    };
    func_set_catalog_hooks(&hooks);
    planner_install_reg_names(); /* reg* text I/O by name (common/reg_names.h) */
}
