/*
 * scram.h: SCRAM-SHA-256 (RFC 5802 / RFC 7677) password verifiers and the
 * server side of the SASL exchange.
 *
 * Verifiers are stored exactly as PostgreSQL stores them in pg_authid:
 *
 *     SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>
 *
 * so the password itself is never kept.  The exchange functions do no I/O:
 * the wire layer (pgwire_auth.c) moves their messages in and out of
 * AuthenticationSASLContinue / SASLResponse.  Every secret comparison is
 * constant-time (CRYPTO_memcmp).
 *
 * Known limit: passwords are not normalised with SASLprep; libpq applies it
 * on the client side, so non-ASCII passwords whose NFKC form differs from
 * their bytes will not match.  ASCII passwords are unaffected.
 */
#ifndef LM_SCRAM_H
#define LM_SCRAM_H

#include "common/arena.h"

#define SCRAM_KEY_LEN 32 /* SHA-256 */
#define SCRAM_DEFAULT_ITERATIONS 4096
#define SCRAM_SALT_LEN 16
#define SCRAM_MECHANISM "SCRAM-SHA-256"

/* A new verifier for password: random 16-byte salt, 4096 iterations.  Raises XX000 if
 * OpenSSL fails (it does not in practice). */
char *scram_build_verifier(Arena *a, const char *password);
/* Whether password matches verifier (false also when verifier is malformed or NULL). */
bool scram_verify_plain_password(const char *verifier, const char *password);
/* Whether s has the shape of a SCRAM-SHA-256 verifier (e.g. a client sent one as PASSWORD). */
bool scram_is_verifier(const char *s);

/*
 * Server side of one SCRAM exchange.  verifier may be NULL (unknown role, or a role without
 * a password): the exchange then runs with a mock salt derived from the user name, so a
 * client cannot tell a missing role from a wrong password, and it always fails.
 */
typedef struct ScramState ScramState;

typedef enum ScramResult {
    SCRAM_CONTINUE = 0, /* send *out in AuthenticationSASLContinue and read the next response */
    SCRAM_SUCCESS,      /* send *out in AuthenticationSASLFinal, then AuthenticationOk */
    SCRAM_FAILURE,      /* the proof was wrong: password authentication failed */
} ScramResult;

ScramState *scram_begin(Arena *a, const char *user, const char *verifier);
/*
 * Feeds one client message (client-first, then client-final) of inlen bytes.  On CONTINUE
 * and SUCCESS out and outlen hold the server's message (arena-allocated).  Malformed input
 * raises FATAL 08P01 with a message naming what was wrong, as PostgreSQL does.
 */
ScramResult scram_exchange(ScramState *st, const char *in, int inlen, char **out, int *outlen);

/* Base64 (standard alphabet, padded), used by SCRAM and handy elsewhere. */
char *scram_b64_encode(Arena *a, const uint8 *data, int len);
/* Returns decoded length, or -1 if text is not valid padded base64; out must hold
 * 3 * (len / 4) bytes. */
int scram_b64_decode(const char *text, int len, uint8 *out);

#endif
