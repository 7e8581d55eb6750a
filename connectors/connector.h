/*
 * connector.h: the connector registry.
 *
 * Each connector declares what it can be (source, sink), which formats it
 * reads and writes, and every option it understands, with the option's type,
 * where it may appear (connection profile, source table, sink table) and
 * whether it is required or sensitive.  DDL validates against these
 * declarations, so an unknown or mistyped option is an error at CREATE time,
 * never something accepted and ignored.  Format options (json, csv, avro,
 * protobuf, raw) are declared once and apply to every connector that takes
 * that format.
 */
#ifndef LM_CONNECTOR_H
#define LM_CONNECTOR_H

#include "common/arena.h"
#include "common/strbuf.h"

typedef enum ConnOptType {
    COPT_STRING = 0,
    COPT_INT,      /* integer within [min, max] */
    COPT_BOOL,     /* true/false/on/off */
    COPT_INTERVAL, /* a duration: '5 seconds', '1m', '500ms' */
    COPT_ENUM,     /* one of enum_values ("a|b|c"), case-insensitive */
    COPT_SIZE,     /* bytes: 1048576, '64MB', '1 GB' */
    COPT_LIST,     /* comma-separated names */
    COPT_JSON,     /* a JSON document given as a string */
    COPT_CHAR,     /* a single character (csv delimiter, quote, escape) */
} ConnOptType;

/* Where an option may appear. */
#define COPT_PROFILE 0x1
#define COPT_SOURCE 0x2
#define COPT_SINK 0x4
#define COPT_TABLE (COPT_SOURCE | COPT_SINK)
#define COPT_ANY (COPT_PROFILE | COPT_TABLE)

typedef struct ConnOption {
    const char *name; /* exact, or a prefix ending in '.' (properties.) that admits any suffix */
    ConnOptType type;
    unsigned scope;
    unsigned required;   /* scopes (COPT_SOURCE/COPT_SINK) where the option must be given */
    bool sensitive;      /* redacted in views and listings */
    const char *enum_values;
    int64 min, max;      /* COPT_INT / COPT_SIZE bounds (when max > min) */
    const char *description;
} ConnOption;

typedef struct ConnFormat {
    const char *name;
    const ConnOption *options;
    int noptions;
    const char *description;
} ConnFormat;

typedef struct ProfileTestResult {
    bool success;
    const char *message;
    const char *details_json; /* JSON object text, or NULL */
} ProfileTestResult;

/* Options after profile, secrets and {{ ENV }} placeholders are resolved. */
typedef struct ResolvedOptions {
    int count;
    const char **names;
    const char **values;
} ResolvedOptions;

typedef struct Connector {
    const char *name;
    const char *description;
    bool can_source;
    bool can_sink;
    const char *const *formats; /* NULL-terminated; NULL: the connector has typed rows, no format */
    const char *default_format;
    const ConnOption *options;
    int noptions;
    const char *url_scheme; /* "kafka", "postgresql": url = '...' shortcut; NULL if none */
    /* Reaches the external system with the given (resolved) options. */
    ProfileTestResult (*test)(Arena *a, const ResolvedOptions *opts);
} Connector;

const Connector *connector_find(const char *name);
/* Connectors that are planned but not built yet: DDL answers 0A000 for them. */
bool connector_is_planned(const char *name);
const Connector *const *connector_list(int *n);
const ConnFormat *connector_format_find(const char *name);
const ConnFormat *const *connector_format_list(int *n);
bool connector_supports_format(const Connector *c, const char *format);

/* Finds the declaration of option `name` for connector c (or format fmt, may be NULL) in
 * scope; NULL if the option is unknown there. */
const ConnOption *connector_find_option(const Connector *c, const ConnFormat *fmt, const char *name,
                                        unsigned scope);
/* Is option `name` sensitive for connector c (any scope)? */
bool connector_option_is_sensitive(const Connector *c, const char *name);

/*
 * Checks one value against its declaration; raises 22023 invalid_parameter_value naming the
 * option and what it expects.  Values containing a {{ NAME }} placeholder are checked when
 * resolved, not here.  position: 1-based byte offset for errposition (0 = none).
 */
void connector_check_value(const ConnOption *o, const char *name, const char *value, int position);
/* Lists the option names valid for c in scope (and fmt), comma-separated, for error details. */
void connector_describe_options(const Connector *c, const ConnFormat *fmt, unsigned scope,
                                StrBuf *out);
/* The JSON description of a connector's options (laminar.connectors, REST). */
void connector_options_json(const Connector *c, StrBuf *out);

/* Parses a duration option ('5 seconds', '10s', '1 minute', '500ms', 'PT5S'); false if bad. */
bool connector_parse_duration_ms(const char *text, int64 *ms);
/* Parses a size ('64MB', '1 GB', '1048576'); false if bad. */
bool connector_parse_size(const char *text, int64 *bytes);
/* Replaces every {{ NAME }} by the environment variable NAME; raises 22023 if unset. */
const char *connector_expand_placeholders(Arena *a, const char *option, const char *value);
/* Looks up a resolved option (NULL if absent). */
const char *resolved_get(const ResolvedOptions *o, const char *name);

#endif
