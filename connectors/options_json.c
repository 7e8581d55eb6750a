/*
 * options_json.c: options shown back with secrets redacted (see
 * options_json.h).  The rule lives here, below every module that prints
 * options, so the planner's catalog views and the server's SHOW agree.
 */
#include "connectors/options_json.h"
#include "connectors/connector.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A sensitive option given as a literal is redacted; a {{ NAME }} placeholder names an
 * environment variable, not a value, and is shown. */
static bool redacted(const Connector *c, const CatOption *o)
{
    return o->kind != CATOPT_SECRET && o->kind != CATOPT_NUMBER && o->kind != CATOPT_BOOL &&
           connector_option_is_sensitive(c, o->name) && strstr(o->value, "{{") == NULL;
}

bool options_is_hidden(const char *name)
{
    return strcmp(name, "token_hash") == 0;
}

char *options_json(Arena *a, const char *connector, const CatOption *opts, int n)
{
    const Connector *c = connector ? connector_find(connector) : NULL;
    json_t *obj = json_object();
    for (int i = 0; i < n; i++) {
        json_t *v;
        if (options_is_hidden(opts[i].name))
            continue;
        switch (opts[i].kind) {
        case CATOPT_SECRET:
            v = json_pack("{s:s}", "secret", opts[i].value);
            break;
        case CATOPT_NUMBER: {
            char *end;
            long long x = strtoll(opts[i].value, &end, 10);
            if (*end == '\0')
                v = json_integer(x);
            else
                v = json_real(strtod(opts[i].value, NULL));
            break;
        }
        case CATOPT_BOOL:
            v = json_boolean(strcmp(opts[i].value, "true") == 0);
            break;
        default:
            v = json_string(redacted(c, &opts[i]) ? OPTIONS_REDACTED : opts[i].value);
        }
        json_object_set_new(obj, opts[i].name, v ? v : json_null());
    }
    char *txt = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char *out = arena_strdup(a, txt ? txt : "{}");
    free(txt);
    json_decref(obj);
    return out;
}

const char *options_display_value(Arena *a, const char *connector, const CatOption *opt)
{
    if (opt->kind == CATOPT_SECRET)
        return arena_printf(a, "SECRET %s", opt->value);
    const Connector *c = connector ? connector_find(connector) : NULL;
    return redacted(c, opt) ? OPTIONS_REDACTED : opt->value;
}
