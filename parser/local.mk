# parser/: libpg_query front end and the Laminar statement pre-parser.
noinst_LIBRARIES += parser/libparser.a
parser_libparser_a_SOURCES = \
	parser/parser.h
