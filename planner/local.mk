# planner/: binder, type inference, logical and physical plans, relations and system views.
noinst_LIBRARIES += planner/libplanner.a
planner_libplanner_a_SOURCES = \
	planner/plan.h planner/relation.h
planner_libplanner_a_SOURCES += planner/plan.c
planner_libplanner_a_SOURCES += planner/sysview.h planner/sysview_int.h planner/sysview.c \
	planner/sysview_pg.c planner/sysview_pgtype.c planner/sysview_pgmisc.c \
	planner/sysview_info.c planner/sysview_laminar.c
planner_libplanner_a_SOURCES += planner/bind.h planner/bind_int.h planner/bind.c \
	planner/bind_expr.c planner/bind_types.c planner/bind_select.c planner/bind_modify.c planner/relation.c \
	planner/planner.c planner/explain.c
planner_libplanner_a_SOURCES += planner/bind_window.c
planner_libplanner_a_SOURCES += planner/catalog_hooks.c planner/catalog_hooks.h
planner_libplanner_a_SOURCES += planner/stream_plan.c planner/stream_plan.h
planner_libplanner_a_SOURCES += planner/reg_names.c planner/reg_names.h
planner_libplanner_a_SOURCES += planner/bind_srf.c
planner_libplanner_a_SOURCES += planner/bind_infer.c
