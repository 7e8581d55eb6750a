# connectors/: connector registry (options, formats), sources and sinks.
noinst_LIBRARIES += connectors/libconnectors.a
connectors_libconnectors_a_SOURCES =
