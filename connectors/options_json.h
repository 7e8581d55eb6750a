/*
 * options_json.h: how the options of a connection profile or table are shown
 * back to users (laminar.* views, SHOW, REST, pg_foreign_table.ftoptions):
 * sensitive literal values redacted, secret references named, never a
 * secret's value.
 */
#ifndef LM_OPTIONS_JSON_H
#define LM_OPTIONS_JSON_H

#include "common/arena.h"
#include "storage/catalog.h"

/* What a redacted value prints as. */
#define OPTIONS_REDACTED "********"

/* Options kept in the catalog but never shown (views, SHOW, SHOW CREATE, ftoptions): a webhook
 * source's token_hash.  SHOW CREATE of such a table therefore recreates it with a new token. */
bool options_is_hidden(const char *name);

/* The config JSON object of options, in their order: numbers and booleans as JSON numbers and
 * booleans, sensitive literals (for connector, which may be NULL or unknown) as "********"
 * unless they are a {{ NAME }} placeholder, SECRET references as {"secret": name}. */
char *options_json(Arena *a, const char *connector, const CatOption *opts, int n);

/* One option's value as shown in text: the value, "********" for a sensitive literal, or
 * "SECRET name" for a secret reference. */
const char *options_display_value(Arena *a, const char *connector, const CatOption *opt);

#endif
