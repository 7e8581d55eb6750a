# planner/: binder, type inference, logical and physical plans, relations and system views.
noinst_LIBRARIES += planner/libplanner.a
planner_libplanner_a_SOURCES = \
	planner/plan.h planner/relation.h
