/*
 * guc.c: session settings.
 *
 * Each built-in setting has a check function that validates (and may
 * canonicalise) a new value, so a setting Laminar cannot honour is refused
 * with an error instead of being accepted and ignored.  Values are kept per
 * session in heap strings (a session may SET many times; the session arena
 * would grow without bound).
 *
 * TimeZone is the one setting with process state behind it: its value is
 * the canonical name of a zone loaded through common/timezone.h, and every
 * change (SET, RESET, end of transaction, startup) also installs the loaded
 * zone as the session thread's time zone, which TIMESTAMPTZ I/O reads.
 */
#include "server/guc.h"
#include "common/datetime.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "common/timezone.h"
#include "server/config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#define LAMINAR_PG_VERSION "15.8"
#define LAMINAR_PG_VERSION_NUM "150008"

typedef const char *(*GucCheck)(Session *s, const char *value, char *buf, size_t bufsize);

enum {
    GUC_REPORT = 1,   /* ParameterStatus on change */
    GUC_READONLY = 2, /* cannot be SET */
};

typedef struct GucDef {
    const char *name; /* display name */
    const char *boot_value;
    int flags;
    GucCheck check; /* NULL: any string */
    const char *description;
} GucDef;

/* ---- check functions: return the canonical value or NULL after raising ---- */

static const char *check_bool(Session *s, const char *v, char *buf, size_t n)
{
    static const char *yes[] = {"on", "true", "yes", "1", "t", "y"};
    static const char *no[] = {"off", "false", "no", "0", "f", "n"};
    for (size_t i = 0; i < LM_ARRAY_LEN(yes); i++)
        if (strcasecmp(v, yes[i]) == 0)
            return "on";
    for (size_t i = 0; i < LM_ARRAY_LEN(no); i++)
        if (strcasecmp(v, no[i]) == 0)
            return "off";
    return NULL;
}

static const char *check_int(Session *s, const char *v, char *buf, size_t n)
{
    char *end;
    long long x = strtoll(v, &end, 10);
    while (*end == ' ')
        end++;
    if (end == v || *end != '\0' || x < INT32_MIN || x > INT32_MAX)
        return NULL;
    snprintf(buf, n, "%lld", x);
    return buf;
}

static const char *check_extra_float_digits(Session *s, const char *v, char *buf, size_t n)
{
    const char *r = check_int(s, v, buf, n);
    if (r && (atoi(r) < -15 || atoi(r) > 3))
        return NULL;
    return r;
}

static const char *check_encoding(Session *s, const char *v, char *buf, size_t n)
{
    static const char *utf8[] = {"utf8", "utf-8", "unicode"};
    for (size_t i = 0; i < LM_ARRAY_LEN(utf8); i++)
        if (strcasecmp(v, utf8[i]) == 0)
            return "UTF8";
    ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
            errmsg("conversion between %s and UTF8 is not supported", v),
            errdetail("Laminar sends and receives text in UTF8 only."));
    return NULL;
}

/* DateStyle: output is ISO; the field order matters only for ambiguous input. */
static const char *check_datestyle(Session *s, const char *v, char *buf, size_t n)
{
    bool iso = false, mdy = false, dmy = false, ymd = false, other = false;
    char tmp[128];
    snprintf(tmp, sizeof tmp, "%s", v);
    for (char *tok = strtok(tmp, ", "); tok; tok = strtok(NULL, ", ")) {
        if (strcasecmp(tok, "iso") == 0)
            iso = true;
        else if (strcasecmp(tok, "mdy") == 0 || strcasecmp(tok, "us") == 0 ||
                 strcasecmp(tok, "noneuropean") == 0)
            mdy = true;
        else if (strcasecmp(tok, "dmy") == 0 || strcasecmp(tok, "euro") == 0 ||
                 strcasecmp(tok, "european") == 0)
            dmy = true;
        else if (strcasecmp(tok, "ymd") == 0)
            ymd = true;
        else if (strcasecmp(tok, "sql") == 0 || strcasecmp(tok, "postgres") == 0 ||
                 strcasecmp(tok, "german") == 0)
            other = true;
        else
            return NULL;
    }
    if (other)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("DateStyle output format \"%s\" is not supported", v),
                errhint("Laminar prints dates in ISO format; use SET DateStyle = 'ISO, MDY'."));
    (void)iso;
    if (mdy + dmy + ymd > 1)
        return NULL;
    snprintf(buf, n, "ISO, %s", dmy ? "DMY" : ymd ? "YMD" : "MDY");
    return buf;
}

static const char *check_intervalstyle(Session *s, const char *v, char *buf, size_t n)
{
    if (strcasecmp(v, "postgres") == 0)
        return "postgres";
    if (strcasecmp(v, "postgres_verbose") == 0 || strcasecmp(v, "sql_standard") == 0 ||
        strcasecmp(v, "iso_8601") == 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("IntervalStyle \"%s\" is not supported", v),
                errhint("Laminar prints intervals in the postgres style."));
    return NULL;
}

/*
 * TimeZone as PostgreSQL's check_timezone takes it: INTERVAL '...' (from SET
 * TIME ZONE INTERVAL, hours/minutes/seconds only), a number of hours EAST
 * (SET TIME ZONE -7), or a zone name / POSIX spec as pg_tzset loads it.  The
 * canonical value is the loaded zone's name ("America/New_York",
 * "<-07>+07"), which loads again to the same zone.
 */
static const char *check_timezone(Session *s, const char *v, char *buf, size_t n)
{
    const TimeZone *tz;
    if (strncasecmp(v, "interval", 8) == 0) {
        const char *p = v + 8;
        while (*p == ' ')
            p++;
        const char *q = *p == '\'' ? strchr(p + 1, '\'') : NULL;
        if (q == NULL || q[1] != '\0')
            return NULL;
        Interval iv = datetime_parse_interval(p + 1, (size_t)(q - p - 1));
        if (iv.months != 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid value for parameter \"TimeZone\": \"%s\"", v),
                    errdetail("Cannot specify months in time zone interval."));
        if (iv.days != 0)
            ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid value for parameter \"TimeZone\": \"%s\"", v),
                    errdetail("Cannot specify days in time zone interval."));
        int64 east = iv.micros / USECS_PER_SEC;
        tz = east > INT32_MIN && east < INT32_MAX ? timezone_fixed((int32)east) : NULL;
    } else {
        char *end;
        double hours = strtod(v, &end);
        if (end != v && *end == '\0') {
            /* PostgreSQL truncates the west offset -hours * 3600 to whole seconds */
            double west = -hours * 3600;
            tz = isfinite(west) && fabs(west) < 1e9 ? timezone_fixed((int32)(-(int64)west)) : NULL;
        } else {
            tz = timezone_load(v, strlen(v));
            if (tz == NULL)
                return NULL;
        }
    }
    if (tz == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid value for parameter \"TimeZone\": \"%s\"", v),
                errdetail("UTC timezone offset is out of range."));
    snprintf(buf, n, "%s", timezone_name(tz));
    return buf;
}

static const char *check_transaction_isolation(Session *s, const char *v, char *buf, size_t n)
{
    static const char *levels[] = {"read uncommitted", "read committed", "repeatable read",
                                   "serializable"};
    for (size_t i = 0; i < LM_ARRAY_LEN(levels); i++)
        if (strcasecmp(v, levels[i]) == 0)
            return levels[i];
    return NULL;
}

static const char *check_search_path(Session *s, const char *v, char *buf, size_t n)
{
    snprintf(buf, n, "%s", v);
    return buf;
}

static const char *check_bytea_output(Session *s, const char *v, char *buf, size_t n)
{
    if (strcasecmp(v, "hex") == 0)
        return "hex";
    if (strcasecmp(v, "escape") == 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("bytea_output \"escape\" is not supported"),
                errhint("Laminar prints bytea in hex format."));
    return NULL;
}

static const char *check_client_min_messages(Session *s, const char *v, char *buf, size_t n)
{
    static const char *levels[] = {"debug5", "debug4", "debug3", "debug2", "debug1", "debug",
                                   "log",    "notice", "warning", "error", "info"};
    for (size_t i = 0; i < LM_ARRAY_LEN(levels); i++)
        if (strcasecmp(v, levels[i]) == 0)
            return levels[i];
    return NULL;
}

static const char *check_standard_strings(Session *s, const char *v, char *buf, size_t n)
{
    const char *b = check_bool(s, v, buf, n);
    if (b && strcmp(b, "off") == 0)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("non-standard string literals are not supported"),
                errdetail("standard_conforming_strings is always on in Laminar."));
    return b;
}

static const char *check_timeout(Session *s, const char *v, char *buf, size_t n)
{
    /* milliseconds, or a number with a unit (ms, s, min, h, d) */
    char *end;
    double x = strtod(v, &end);
    if (end == v || x < 0)
        return NULL;
    while (*end == ' ')
        end++;
    double mult = 1;
    if (*end == '\0' || strcmp(end, "ms") == 0)
        mult = 1;
    else if (strcmp(end, "s") == 0)
        mult = 1000;
    else if (strcmp(end, "min") == 0)
        mult = 60000;
    else if (strcmp(end, "h") == 0)
        mult = 3600000;
    else if (strcmp(end, "d") == 0)
        mult = 86400000;
    else
        return NULL;
    double ms = x * mult;
    if (ms > INT32_MAX)
        return NULL;
    snprintf(buf, n, "%.0f", ms);
    return buf;
}

static const GucDef guc_defs[] = {
    {"application_name", "", GUC_REPORT, NULL, "Sets the application name to be reported."},
    {"bytea_output", "hex", 0, check_bytea_output, "Sets the output format for bytea."},
    {"client_encoding", "UTF8", GUC_REPORT, check_encoding, "Sets the client's character set encoding."},
    {"client_min_messages", "notice", 0, check_client_min_messages,
     "Sets the message levels that are sent to the client."},
    {"DateStyle", "ISO, MDY", GUC_REPORT, check_datestyle,
     "Sets the display format for date and time values."},
    {"default_transaction_isolation", "read committed", 0, check_transaction_isolation,
     "Sets the transaction isolation level of each new transaction."},
    {"default_transaction_read_only", "off", GUC_REPORT, check_bool,
     "Sets the default read-only status of new transactions."},
    {"extra_float_digits", "1", 0, check_extra_float_digits,
     "Sets the number of digits displayed for floating-point values."},
    {"idle_in_transaction_session_timeout", "0", 0, check_timeout,
     "Sets the maximum allowed idle time between queries, when in a transaction."},
    {"in_hot_standby", "off", GUC_REPORT | GUC_READONLY, NULL,
     "Shows whether hot standby is currently active."},
    {"integer_datetimes", "on", GUC_REPORT | GUC_READONLY, NULL,
     "Shows whether datetimes are integer based."},
    {"IntervalStyle", "postgres", GUC_REPORT, check_intervalstyle,
     "Sets the display format for interval values."},
    {"is_superuser", "off", GUC_REPORT | GUC_READONLY, NULL,
     "Shows whether the current user is a superuser."},
    {"lc_messages", "C", 0, NULL, "Sets the language in which messages are displayed."},
    {"lc_monetary", "C", 0, NULL, "Sets the locale for formatting monetary amounts."},
    {"lc_numeric", "C", 0, NULL, "Sets the locale for formatting numbers."},
    {"lc_time", "C", 0, NULL, "Sets the locale for formatting date and time values."},
    {"lock_timeout", "0", 0, check_timeout, "Sets the maximum allowed duration of any wait for a lock."},
    {"max_identifier_length", "63", GUC_READONLY, NULL, "Shows the maximum identifier length."},
    {"max_index_keys", "32", GUC_READONLY, NULL, "Shows the maximum number of index keys."},
    {"search_path", "\"$user\", public", 0, check_search_path,
     "Sets the schema search order for names that are not schema-qualified."},
    {"server_encoding", "UTF8", GUC_REPORT | GUC_READONLY, NULL,
     "Shows the server (database) character set encoding."},
    {"server_version", LAMINAR_PG_VERSION, GUC_REPORT | GUC_READONLY, NULL,
     "Shows the server version."},
    {"server_version_num", LAMINAR_PG_VERSION_NUM, GUC_READONLY, NULL,
     "Shows the server version as an integer."},
    {"session_authorization", "", GUC_REPORT | GUC_READONLY, NULL,
     "Sets the session user name."},
    {"ssl", "off", GUC_READONLY, NULL, "Shows whether SSL connections are enabled on this server."},
    {"standard_conforming_strings", "on", GUC_REPORT, check_standard_strings,
     "Causes '...' strings to treat backslashes literally."},
    {"statement_timeout", "0", 0, check_timeout, "Sets the maximum allowed duration of any statement."},
    {"TimeZone", "UTC", GUC_REPORT, check_timezone,
     "Sets the time zone for displaying and interpreting time stamps."},
    {"transaction_isolation", "read committed", 0, check_transaction_isolation,
     "Sets the current transaction's isolation level."},
    {"transaction_read_only", "off", 0, check_bool,
     "Sets the current transaction's read-only status."},
};

#define NGUC ((int)LM_ARRAY_LEN(guc_defs))

typedef struct CustomGuc {
    char *name;
    char *value;
    char *saved; /* value before the transaction changed it; NULL if unchanged */
    bool saved_valid;
    bool local;
} CustomGuc;

struct GucState {
    char *values[NGUC];
    char *txn_saved[NGUC];   /* value at transaction start, if changed in it (for ROLLBACK) */
    char *txn_session[NGUC]; /* value to keep at COMMIT: the last plain SET, not SET LOCAL */
    bool txn_changed[NGUC];
    const TimeZone *tz; /* the loaded TimeZone; the session thread's value I/O uses it */
    int ncustom;
    CustomGuc custom[64];
};

static int find_def(const char *name)
{
    for (int i = 0; i < NGUC; i++)
        if (strcasecmp(guc_defs[i].name, name) == 0)
            return i;
    return -1;
}

const char *guc_display_name(const char *name)
{
    int i = find_def(name);
    return i >= 0 ? guc_defs[i].name : name;
}

static void report(Session *s, int i)
{
    if ((guc_defs[i].flags & GUC_REPORT) && s->report_parameter)
        s->report_parameter(s, guc_defs[i].name, s->guc->values[i]);
}

/* Loads the TimeZone setting's zone and makes it the calling (session) thread's. */
static void apply_timezone(Session *s, const char *canon)
{
    const TimeZone *tz = timezone_load(canon, strlen(canon));
    s->guc->tz = tz ? tz : timezone_utc(); /* canonical names always load */
    timezone_set_session(s->guc->tz);
}

static void set_value(Session *s, int i, const char *v)
{
    GucState *g = s->guc;
    if (g->values[i] && strcmp(g->values[i], v) == 0)
        return;
    char *old = g->values[i];
    g->values[i] = lm_strdup(v);
    if (old)
        lm_free(old);
    if (strcmp(guc_defs[i].name, "TimeZone") == 0)
        apply_timezone(s, v);
    report(s, i);
}

/* Validates value for setting i, returning the canonical form (static or in buf). */
static const char *validate(Session *s, int i, const char *value, char *buf, size_t n)
{
    const GucDef *d = &guc_defs[i];
    if (d->check == NULL)
        return value;
    const char *canon = d->check(s, value, buf, n);
    if (canon == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid value for parameter \"%s\": \"%s\"", d->name, value));
    return canon;
}

static const char *default_value(Session *s, int i)
{
    if (strcmp(guc_defs[i].name, "session_authorization") == 0)
        return s->user;
    if (strcmp(guc_defs[i].name, "is_superuser") == 0)
        return s->is_superuser ? "on" : "off";
    if (strcmp(guc_defs[i].name, "ssl") == 0)
        return server_config && server_config->ssl_cert_file ? "on" : "off";
    return guc_defs[i].boot_value;
}

void guc_session_init(Session *s, int nstartup, const char *const *names, const char *const *values)
{
    s->guc = lm_calloc(1, sizeof(GucState));
    for (int i = 0; i < NGUC; i++)
        s->guc->values[i] = lm_strdup(default_value(s, i));
    apply_timezone(s, guc_get(s, "TimeZone", false));
    for (int k = 0; k < nstartup; k++) {
        const char *name = names[k], *value = values[k];
        if (strcmp(name, "user") == 0 || strcmp(name, "database") == 0 ||
            strcmp(name, "replication") == 0)
            continue;
        if (strcmp(name, "options") == 0) {
            /* "-c name=value" pairs, as libpq's PGOPTIONS sends them */
            char *copy = lm_strdup(value);
            char *save = NULL;
            for (char *tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
                char *kv = NULL;
                if (strcmp(tok, "-c") == 0)
                    kv = strtok_r(NULL, " \t", &save);
                else if (strncmp(tok, "-c", 2) == 0)
                    kv = tok + 2;
                else if (strncmp(tok, "--", 2) == 0)
                    kv = tok + 2;
                if (kv == NULL)
                    continue;
                char *eq = strchr(kv, '=');
                if (eq == NULL)
                    continue;
                *eq = '\0';
                for (char *p = kv; *p; p++)
                    if (*p == '-')
                        *p = '_';
                guc_set(s, kv, eq + 1, GUC_SCOPE_STARTUP);
            }
            lm_free(copy);
            continue;
        }
        guc_set(s, name, value, GUC_SCOPE_STARTUP);
    }
    for (int i = 0; i < NGUC; i++)
        report(s, i);
    timezone_set_session(s->guc->tz);
}

static CustomGuc *find_custom(GucState *g, const char *name)
{
    for (int i = 0; i < g->ncustom; i++)
        if (strcasecmp(g->custom[i].name, name) == 0)
            return &g->custom[i];
    return NULL;
}

static void set_custom(Session *s, const char *name, const char *value, GucScope scope)
{
    GucState *g = s->guc;
    const char *dot = strchr(name, '.');
    if (dot == NULL || dot == name || dot[1] == '\0')
        ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
                errmsg("unrecognized configuration parameter \"%s\"", name));
    CustomGuc *c = find_custom(g, name);
    if (c == NULL) {
        if (g->ncustom >= (int)LM_ARRAY_LEN(g->custom))
            ereport(ERROR, errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("too many custom settings in this session"));
        c = &g->custom[g->ncustom++];
        memset(c, 0, sizeof *c);
        c->name = lm_strdup(name);
        for (char *p = c->name; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        c->value = lm_strdup("");
    }
    if (s->txn != TXN_IDLE && scope != GUC_SCOPE_STARTUP && !c->saved_valid) {
        c->saved = lm_strdup(c->value);
        c->saved_valid = true;
    }
    c->local = scope == GUC_SCOPE_LOCAL;
    lm_free(c->value);
    c->value = lm_strdup(value ? value : "");
}

void guc_set(Session *s, const char *name, const char *value, GucScope scope)
{
    int i = find_def(name);
    if (i < 0) {
        set_custom(s, name, value, scope);
        return;
    }
    const GucDef *d = &guc_defs[i];
    if (d->flags & GUC_READONLY) {
        /* clients may send read-only settings at startup with their current value */
        if (scope == GUC_SCOPE_STARTUP)
            return;
        ereport(ERROR, errcode(ERRCODE_CANT_CHANGE_RUNTIME_PARAM),
                errmsg("parameter \"%s\" cannot be changed", d->name));
    }
    if (scope == GUC_SCOPE_LOCAL && s->txn == TXN_IDLE) {
        ereport(WARNING, errcode(ERRCODE_NO_ACTIVE_SQL_TRANSACTION),
                errmsg("SET LOCAL can only be used in transaction blocks"));
        return;
    }
    char buf[256];
    const char *canon = value ? validate(s, i, value, buf, sizeof buf) : default_value(s, i);
    GucState *g = s->guc;
    if (s->txn != TXN_IDLE && scope != GUC_SCOPE_STARTUP) {
        if (!g->txn_changed[i]) {
            g->txn_saved[i] = lm_strdup(g->values[i]);
            g->txn_session[i] = lm_strdup(g->values[i]);
            g->txn_changed[i] = true;
        }
        if (scope == GUC_SCOPE_SESSION) {
            lm_free(g->txn_session[i]);
            g->txn_session[i] = lm_strdup(canon);
        }
    }
    set_value(s, i, canon);
}

void guc_reset_all(Session *s)
{
    for (int i = 0; i < NGUC; i++)
        if (!(guc_defs[i].flags & GUC_READONLY))
            guc_set(s, guc_defs[i].name, NULL, GUC_SCOPE_SESSION);
}

const char *guc_get(Session *s, const char *name, bool missing_ok)
{
    int i = find_def(name);
    if (i >= 0)
        return s->guc->values[i];
    CustomGuc *c = find_custom(s->guc, name);
    if (c)
        return c->value;
    if (missing_ok)
        return NULL;
    ereport(ERROR, errcode(ERRCODE_UNDEFINED_OBJECT),
            errmsg("unrecognized configuration parameter \"%s\"", name));
    return NULL;
}

static void end_txn(Session *s, bool commit)
{
    GucState *g = s->guc;
    for (int i = 0; i < NGUC; i++) {
        if (!g->txn_changed[i])
            continue;
        set_value(s, i, commit ? g->txn_session[i] : g->txn_saved[i]);
        lm_free(g->txn_saved[i]);
        lm_free(g->txn_session[i]);
        g->txn_saved[i] = g->txn_session[i] = NULL;
        g->txn_changed[i] = false;
    }
    for (int i = 0; i < g->ncustom; i++) {
        CustomGuc *c = &g->custom[i];
        if (c->saved_valid && (!commit || c->local)) {
            lm_free(c->value);
            c->value = c->saved;
            c->saved = NULL;
        } else if (c->saved) {
            lm_free(c->saved);
            c->saved = NULL;
        }
        c->saved_valid = false;
        c->local = false;
    }
}

void guc_txn_commit(Session *s)
{
    /* plain SETs made in the transaction stay; SET LOCAL values end with it */
    end_txn(s, true);
}

void guc_txn_abort(Session *s)
{
    end_txn(s, false);
}

void guc_session_free(Session *s)
{
    GucState *g = s->guc;
    if (g == NULL)
        return;
    for (int i = 0; i < NGUC; i++) {
        lm_free(g->values[i]);
        lm_free(g->txn_saved[i]);
        lm_free(g->txn_session[i]);
    }
    for (int i = 0; i < g->ncustom; i++) {
        lm_free(g->custom[i].name);
        lm_free(g->custom[i].value);
        lm_free(g->custom[i].saved);
    }
    lm_free(g);
    s->guc = NULL;
}

bool guc_iter(Session *s, int index, const char **name, const char **value, const char **description)
{
    if (index < 0 || index >= NGUC)
        return false;
    *name = guc_defs[index].name;
    *value = s->guc->values[index];
    *description = guc_defs[index].description;
    return true;
}
