# executor/: vectorized expressions, functions, aggregates and operators.
noinst_LIBRARIES += executor/libexecutor.a
executor_libexecutor_a_SOURCES = \
	executor/exec.h executor/expr.h executor/func.h
