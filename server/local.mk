# server/: laminard, sessions, wire protocol, HTTP, SQL command layer.
noinst_LIBRARIES += server/libserver.a
server_libserver_a_SOURCES = \
	server/config.c server/config.h \
	server/datadir.c server/datadir.h \
	server/session.h server/sql.h server/pgwire.h server/http.h

bin_PROGRAMS += laminard
laminard_SOURCES = server/laminard.c
laminard_LDADD = $(LM_CORE_LIBS) $(LM_LIBS)
