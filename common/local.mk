# common/: shared basics (memory, errors, logging, strings, types, vectors).
noinst_LIBRARIES += common/libcommon.a
common_libcommon_a_SOURCES = \
	common/arena.c common/arena.h \
	common/error.c common/error.h common/errcodes.h \
	common/log.c common/log.h \
	common/strbuf.c common/strbuf.h \
	common/lm.h common/types.h common/vector.h \
	common/types.c common/vector.c common/value_io.c \
	common/datetime.c common/datetime.h common/numeric.c common/numeric.h \
	common/timezone.c common/timezone.h \
	common/reg_names.c common/reg_names.h
