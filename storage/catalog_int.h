/*
 * catalog_int.h: what catalog.c and catalog_codec.c share.  Not for use
 * outside storage/.
 */
#ifndef LM_CATALOG_INT_H
#define LM_CATALOG_INT_H

#include "storage/catalog.h"

#include <jansson.h>

#define CATALOG_FORMAT 1 /* written as "v" in every document and in sys/format */

/* Decoding context: errors name the key of the object being read; objects are built in a. */
typedef struct Decoder {
    Arena *a;
    const char *key;
} Decoder;

/* Encoders return a new JSON object (caller owns the reference). */
json_t *catjson_enc_role(const CatRole *r);
json_t *catjson_enc_secret(const CatSecret *s);
json_t *catjson_enc_profile(const CatProfile *p);
json_t *catjson_enc_table(const CatTable *t);
json_t *catjson_enc_schema(const CatSchema *s);
json_t *catjson_enc_pipeline(const CatPipeline *p);
json_t *catjson_enc_job(const CatJob *j);

/* Decoders build the object in d->a; a malformed document raises XX001 naming d->key. */
CatRole *catjson_dec_role(const Decoder *d, json_t *o);
CatSecret *catjson_dec_secret(const Decoder *d, json_t *o);
CatProfile *catjson_dec_profile(const Decoder *d, json_t *o);
CatTable *catjson_dec_table(const Decoder *d, json_t *o);
CatSchema *catjson_dec_schema(const Decoder *d, json_t *o);
CatPipeline *catjson_dec_pipeline(const Decoder *d, json_t *o);
CatJob *catjson_dec_job(const Decoder *d, json_t *o);

/* Dumps and releases j; returns a malloc'ed compact string (free with free()). */
char *catjson_dump(json_t *j);

/* Deep copies into a caller-provided struct. */
void catalog_copy_role_into(Arena *a, CatRole *dst, const CatRole *src);
void catalog_copy_secret_into(Arena *a, CatSecret *dst, const CatSecret *src);
void catalog_copy_profile_into(Arena *a, CatProfile *dst, const CatProfile *src);
void catalog_copy_table_into(Arena *a, CatTable *dst, const CatTable *src);
void catalog_copy_pipeline_into(Arena *a, CatPipeline *dst, const CatPipeline *src);
void catalog_copy_job_into(Arena *a, CatJob *dst, const CatJob *src);


#endif
