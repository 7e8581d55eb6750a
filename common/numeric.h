/*
 * numeric.h: DECIMAL(p,s) values (int128 scaled by 10^s) in PostgreSQL's
 * numeric text and binary formats.
 */
#ifndef LM_NUMERIC_H
#define LM_NUMERIC_H

#include "common/types.h"

/* 10^0 .. 10^38 */
extern const int128 decimal_pow10[DECIMAL_MAX_PRECISION + 1];

/* "-123.45": exactly `scale` fraction digits, as PostgreSQL prints numeric(p,s). */
void decimal_format(int128 v, int scale, StrBuf *out);
/* Digits of |v| into buf (at least 40 bytes), returns the count; no sign. */
int decimal_digits(int128 v, char *buf);

/*
 * Parses numeric text (blanks, sign, digits, '.', exponent), rounding half
 * away from zero to `scale` digits.  Raises 22P02 on bad syntax and 22003
 * "numeric field overflow" when |value| >= 10^(precision-scale).
 */
int128 decimal_parse(const char *s, size_t len, int precision, int scale);

/* PostgreSQL numeric_send / numeric_recv (base-10000 digits). */
void decimal_send(int128 v, int scale, StrBuf *out);
int128 decimal_recv(const char *data, size_t len, int precision, int scale);

#endif
