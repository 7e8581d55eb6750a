/*
 * parser.h: the SQL front end.
 *
 * parser_parse() turns the text a client sent (one or many statements) into
 * a list of ParsedStmt.  Ordinary PostgreSQL statements are parsed by
 * libpg_query and kept as its protobuf-c tree (PgQuery__Node, from
 * <pg_query/pg_query.pb-c.h>), unpacked into the caller's arena.  Laminar's own
 * statements (CREATE CONNECTION PROFILE, CREATE SOURCE|SINK TABLE, pipelines,
 * SHOW ..., TEST ...) are recognised by a pre-parser over pg_query_scan
 * tokens; the parts that are plain SQL (column lists, types, expressions, the
 * body of a pipeline) are rewritten into PostgreSQL grammar and parsed by
 * libpg_query too.
 *
 * Every location in the result is a 0-based byte offset into the ORIGINAL
 * text passed to parser_parse(), whatever rewriting happened.  Syntax errors
 * are raised with ereport(ERROR, 42601, errposition(offset + 1)).
 *
 * All memory comes from the arena passed in.
 */
#ifndef LM_PARSER_H
#define LM_PARSER_H

#include "common/arena.h"
#include "common/types.h"
#include <pg_query/pg_query.pb-c.h>

/*
 * PostgreSQL trees handed out are at most this many protobuf messages deep
 * (roughly half as many levels of expression nesting); deeper statements are
 * refused with 54001.  Code that recurses over a tree may rely on it.
 */
#define PARSER_MAX_TREE_DEPTH 2000

typedef enum StmtKind {
    STMT_PG = 0,            /* a PostgreSQL statement: see ->pg */
    STMT_CREATE_PROFILE,    /* CREATE CONNECTION PROFILE [IF NOT EXISTS] name WITH (...) */
    STMT_ALTER_PROFILE,     /* ALTER CONNECTION PROFILE name SET (...) | RESET (k, ...) */
    STMT_DROP_PROFILE,      /* DROP CONNECTION PROFILE [IF EXISTS] name */
    STMT_TEST_PROFILE,      /* TEST CONNECTION PROFILE name */
    STMT_CREATE_SECRET,     /* CREATE SECRET [IF NOT EXISTS] name AS 'value' */
    STMT_DROP_SECRET,       /* DROP SECRET [IF EXISTS] name */
    STMT_CREATE_CONN_TABLE, /* CREATE [IF NOT EXISTS] SOURCE|SINK TABLE name (cols) WITH (...) */
    STMT_ALTER_CONN_TABLE,  /* ALTER SOURCE|SINK TABLE name SET (...) | RESET (k, ...) */
    STMT_DROP_CONN_TABLE,   /* DROP SOURCE|SINK TABLE [IF EXISTS] name */
    STMT_TEST_CONN_TABLE,   /* TEST SOURCE|SINK TABLE name */
    STMT_SHOW_LIST,         /* SHOW CONNECTION PROFILES | SOURCE TABLES | SINK TABLES | CONNECTORS |
                               PIPELINES | JOBS | SECRETS */
    STMT_SHOW_CREATE,       /* SHOW CREATE CONNECTION PROFILE|SOURCE TABLE|SINK TABLE|
                               PIPELINE|TABLE name */
    STMT_CREATE_PIPELINE,   /* CREATE PIPELINE [IF NOT EXISTS] name [WITH (...)] AS INSERT ... */
    STMT_START_PIPELINE,    /* START PIPELINE name */
    STMT_STOP_PIPELINE,     /* STOP PIPELINE name */
    STMT_DROP_PIPELINE,     /* DROP PIPELINE [IF EXISTS] name */
    STMT_EXPLAIN_PIPELINE,  /* EXPLAIN PIPELINE name */
} StmtKind;

/* What a SHOW list / SHOW CREATE / DROP names. */
typedef enum ObjectKind {
    OBJ_NONE = 0,
    OBJ_PROFILE,
    OBJ_SOURCE_TABLE,
    OBJ_SINK_TABLE,
    OBJ_TABLE, /* SHOW CREATE TABLE: any table */
    OBJ_CONNECTOR,
    OBJ_PIPELINE,
    OBJ_JOB,
    OBJ_SECRET,
} ObjectKind;

typedef enum OptionKind {
    OPTVAL_STRING, /* 'text' */
    OPTVAL_NUMBER, /* 42, 1.5, -3 (text kept as written) */
    OPTVAL_BOOL,   /* true / false / on / off (value "true"/"false") */
    OPTVAL_IDENT,  /* a bare word, e.g. format = json */
    OPTVAL_SECRET, /* SECRET name: value is the secret's name */
} OptionKind;

/* One `key = value` of a WITH (...) list.  Keys may be dotted or quoted ('properties.acks'). */
typedef struct StmtOption {
    const char *name; /* lower-cased unless it was quoted */
    const char *value;
    OptionKind kind;
    int location;       /* of the key */
    int value_location; /* of the value */
} StmtOption;

typedef struct ColumnDefn {
    const char *name;
    const LmType *type;
    bool not_null;
    const char *type_text; /* the type as written, for messages */
    int location;
} ColumnDefn;

typedef struct ParsedStmt {
    StmtKind kind;
    int location;     /* statement start in the original text */
    int length;       /* statement length in bytes (excluding the ';') */
    const char *text; /* this statement's own text (arena copy); for CREATE SECRET
                         the value literal is masked as '********' (so it may
                         differ from the original span in length) */

    PgQuery__Node *pg; /* STMT_PG: the RawStmt's stmt node; locations already original */

    ObjectKind object; /* STMT_SHOW_*, STMT_*_CONN_TABLE (SOURCE or SINK), ... */
    const char *name;  /* object named by the statement (lower-cased unless quoted) */
    int name_location;
    bool if_not_exists;
    bool if_exists;
    /* DROP ... name [, name ...]: every name (names[0] == name); 0 for other statements */
    int nnames;
    const char **names;
    int *name_locations;

    int noptions; /* WITH (...) or SET (...) */
    StmtOption *options;
    int nreset; /* RESET (k, ...) */
    const char **reset_names;

    int ncolumns; /* CREATE SOURCE|SINK TABLE */
    ColumnDefn *columns;
    /* WATERMARK FOR col AS expr */
    const char *watermark_column;
    int watermark_column_location;
    PgQuery__Node *watermark_expr;
    const char *watermark_expr_text;
    int watermark_expr_location;

    const char *secret_value; /* CREATE SECRET */

    /* CREATE PIPELINE: the INSERT ... SELECT body */
    PgQuery__Node *body;
    const char *body_text;
    int body_location;
} ParsedStmt;

typedef struct ParsedStmtList {
    int count;
    ParsedStmt *stmts;
} ParsedStmtList;

/* Parses every statement of text.  Empty statements are dropped (count may be 0). */
ParsedStmtList *parser_parse(Arena *arena, const char *text);

/*
 * Parses a stand-alone expression (e.g. a watermark or default); locations
 * and error positions are offset by base_location.
 */
PgQuery__Node *parser_parse_expr(Arena *arena, const char *text, int base_location);

/*
 * The keyword/name of a statement for CommandComplete tags of Laminar
 * statements: "CREATE SOURCE TABLE", "SHOW", "EXPLAIN".  NULL for STMT_PG (the
 * executor derives PostgreSQL's tags from the node).
 */
const char *parser_stmt_tag(const ParsedStmt *stmt);

#endif
