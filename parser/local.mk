# parser/: libpg_query front end and the Laminar statement pre-parser.
noinst_LIBRARIES += parser/libparser.a
parser_libparser_a_SOURCES = \
	parser/parser.h parser/parser_int.h \
	parser/parser.c \
	parser/scan.c \
	parser/pgtree.c \
	parser/options.c \
	parser/preparse.c
