# executor/: vectorized expressions, functions, aggregates and operators.
noinst_LIBRARIES += executor/libexecutor.a
executor_libexecutor_a_SOURCES = \
	executor/exec.h executor/expr.h executor/func.h
# operator runtime and bounded-query operators
executor_libexecutor_a_SOURCES += \
	executor/exec.c executor/operator.h executor/hashtable.c executor/hashtable.h \
	executor/op_scan.c executor/op_filter.c executor/op_project.c executor/op_agg.c \
	executor/op_join.c executor/op_sort.c executor/op_limit.c executor/op_setop.c \
	executor/op_window.c executor/op_modify.c
# scalar function library (FuncDesc tables per group, see func.h)
executor_libexecutor_a_SOURCES += \
	executor/fn_util.c executor/fn_util.h executor/fn_string.c executor/fn_regex.c \
	executor/fn_math.c executor/fn_datetime.c executor/fn_json.c \
	executor/fn_array.c executor/fn_pgcatalog.c executor/fn_admin.c executor/fn_tz.c \
	executor/fn_tochar.c executor/fn_datetime_int.h executor/fn_privilege.c executor/fn_pgcatalog_int.h
executor_libexecutor_a_SOURCES += executor/expr.c executor/cast.c executor/func_registry.c \
	executor/fn_arith.c executor/fn_compare.c executor/agg.c
# event-time windows and stateful stream operators (area B)
executor_libexecutor_a_SOURCES += executor/op_window_assign.c executor/op_session_agg.c \
	executor/agg_set.c executor/agg_set.h
executor_libexecutor_a_SOURCES += executor/stream_op_int.h executor/stream_op_build.c \
	executor/stream_op_window_agg.c
executor_libexecutor_a_SOURCES += executor/stream_op_session.c executor/stream_op_agg.c executor/stream_op_join.c \
	executor/stream_op_topn.c executor/stream_op_lookup.c
executor_libexecutor_a_SOURCES += executor/stream_op_regular_join.c
# streaming runtime (area A): tasks, exchanges, sources, sinks, state, checkpoints
executor_libexecutor_a_SOURCES += executor/stream.h executor/stream_ops.h executor/stream_int.h \
	executor/stream_runtime.c executor/stream_task.c executor/stream_exchange.c \
	executor/stream_source.c executor/stream_sink.c executor/stream_state.c \
	executor/stream_checkpoint.c executor/stream_inputs.c
# Ad-hoc SELECT over source tables: bounded sampling of the connector.
executor_libexecutor_a_SOURCES += executor/source_sample.c executor/source_sample.h
executor_libexecutor_a_SOURCES += executor/op_project_set.c
# laminar.infer_schema(...): schema inference from a sampled source (connectors/infer.c).
executor_libexecutor_a_SOURCES += executor/op_infer_schema.c
