/* show.h: SHOW lists and SHOW CREATE for Laminar's catalog objects. */
#ifndef LM_SHOW_H
#define LM_SHOW_H

#include "parser/parser.h"
#include "server/result.h"
#include "storage/catalog.h"

ResultSet *show_result_shape(Arena *a, const ParsedStmt *st);
ResultSet *show_execute(Session *s, Arena *a, const ParsedStmt *st, char tag[64]);

/* The config JSON of an object's options, with sensitive literal values redacted and secret
 * references shown as {"secret": name}.  connector may be NULL. */
char *show_options_json(Arena *a, const char *connector, const CatOption *opts, int n);
/* The CREATE statement that recreates a profile or table (secret values never included). */
char *show_create_profile(Arena *a, const CatProfile *p);
char *show_create_table(Arena *a, const CatTable *t, const char *profile_name);

#endif
