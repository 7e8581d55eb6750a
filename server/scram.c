/*
 * scram.c: SCRAM-SHA-256 verifiers and the server side of the exchange.
 *
 * Key derivation (RFC 5802 §3):
 *     SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, iterations)
 *     ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = SHA-256(ClientKey)
 *     ServerKey = HMAC(SaltedPassword, "Server Key")
 * The server keeps StoredKey and ServerKey.  In the exchange the client proves
 * it knows ClientKey: ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage),
 * so the server recovers ClientKey, hashes it and compares with StoredKey.
 *
 * Message parsing follows PostgreSQL's auth-scram.c, including its choices:
 * the user name inside client-first-message is ignored (the startup packet's
 * user is authoritative), authorization identities and mandatory extensions
 * are refused, and channel binding is not offered (so 'p' is refused while
 * 'n' and 'y' are accepted).  All scratch memory comes from the caller's arena.
 */
#include "server/scram.h"
#include "common/error.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define SCRAM_NONCE_LEN 18 /* random bytes of the server nonce (24 base64 chars) */

/* ---------------------------------------------------------------- base64 */

char *scram_b64_encode(Arena *a, const uint8 *data, int len)
{
    char *out = arena_alloc(a, (size_t)(4 * ((len + 2) / 3) + 1));
    EVP_EncodeBlock((unsigned char *)out, data, len);
    return out;
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int scram_b64_decode(const char *text, int len, uint8 *out)
{
    if (len % 4 != 0)
        return -1;
    int n = 0;
    for (int i = 0; i < len; i += 4) {
        int v[4], pad = 0;
        for (int j = 0; j < 4; j++) {
            char c = text[i + j];
            if (c == '=' && i + 4 == len && j >= 2) {
                v[j] = 0;
                pad++;
            } else if (pad > 0 || (v[j] = b64_value(c)) < 0)
                return -1;
        }
        uint32 w = (uint32)v[0] << 18 | (uint32)v[1] << 12 | (uint32)v[2] << 6 | (uint32)v[3];
        out[n++] = (uint8)(w >> 16);
        if (pad < 2)
            out[n++] = (uint8)(w >> 8);
        if (pad < 1)
            out[n++] = (uint8)w;
    }
    return n;
}

/* ---------------------------------------------------------------- crypto */

static void crypto_failed(const char *what)
{
    ereport(ERROR, errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not compute %s", what));
}

static void hmac_sha256(const uint8 *key, int keylen, const void *msg, size_t msglen,
                        uint8 out[SCRAM_KEY_LEN])
{
    unsigned int outlen = SCRAM_KEY_LEN;
    if (HMAC(EVP_sha256(), key, keylen, msg, msglen, out, &outlen) == NULL)
        crypto_failed("HMAC");
}

static void sha256(const uint8 *data, size_t len, uint8 out[SCRAM_KEY_LEN])
{
    if (SHA256(data, len, out) == NULL)
        crypto_failed("SHA-256");
}

static void salted_password(const char *password, const uint8 *salt, int saltlen, int iterations,
                            uint8 out[SCRAM_KEY_LEN])
{
    if (PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, saltlen, iterations, EVP_sha256(),
                          SCRAM_KEY_LEN, out) != 1)
        crypto_failed("PBKDF2");
}

static void derive_keys(const char *password, const uint8 *salt, int saltlen, int iterations,
                        uint8 stored_key[SCRAM_KEY_LEN], uint8 server_key[SCRAM_KEY_LEN])
{
    uint8 salted[SCRAM_KEY_LEN], client_key[SCRAM_KEY_LEN];
    salted_password(password, salt, saltlen, iterations, salted);
    hmac_sha256(salted, SCRAM_KEY_LEN, "Client Key", 10, client_key);
    sha256(client_key, SCRAM_KEY_LEN, stored_key);
    hmac_sha256(salted, SCRAM_KEY_LEN, "Server Key", 10, server_key);
    OPENSSL_cleanse(salted, sizeof salted);
    OPENSSL_cleanse(client_key, sizeof client_key);
}

/* ---------------------------------------------------------------- verifiers */

typedef struct Verifier {
    int iterations;
    uint8 salt[64];
    int saltlen;
    uint8 stored_key[SCRAM_KEY_LEN];
    uint8 server_key[SCRAM_KEY_LEN];
} Verifier;

/* Decodes the base64 field [p, end) into out (at most cap bytes); returns length or -1. */
static int decode_field(const char *p, const char *end, uint8 *out, int cap)
{
    int len = (int)(end - p);
    if (len <= 0 || 3 * (len / 4) > cap)
        return -1;
    return scram_b64_decode(p, len, out);
}

static bool parse_verifier(const char *v, Verifier *out)
{
    static const char prefix[] = "SCRAM-SHA-256$";
    if (v == NULL || strncmp(v, prefix, sizeof prefix - 1) != 0)
        return false;
    const char *p = v + sizeof prefix - 1;
    char *end;
    long iter = strtol(p, &end, 10);
    if (end == p || *end != ':' || iter < 1 || iter > 100000000)
        return false;
    out->iterations = (int)iter;
    p = end + 1;
    const char *dollar = strchr(p, '$');
    if (dollar == NULL)
        return false;
    out->saltlen = decode_field(p, dollar, out->salt, (int)sizeof out->salt);
    if (out->saltlen <= 0)
        return false;
    p = dollar + 1;
    const char *colon = strchr(p, ':');
    if (colon == NULL)
        return false;
    uint8 buf[48];
    if (decode_field(p, colon, buf, (int)sizeof buf) != SCRAM_KEY_LEN)
        return false;
    memcpy(out->stored_key, buf, SCRAM_KEY_LEN);
    p = colon + 1;
    if (decode_field(p, p + strlen(p), buf, (int)sizeof buf) != SCRAM_KEY_LEN)
        return false;
    memcpy(out->server_key, buf, SCRAM_KEY_LEN);
    return true;
}

bool scram_is_verifier(const char *s)
{
    Verifier v;
    return parse_verifier(s, &v);
}

char *scram_build_verifier(Arena *a, const char *password)
{
    uint8 salt[SCRAM_SALT_LEN], stored[SCRAM_KEY_LEN], server[SCRAM_KEY_LEN];
    if (RAND_bytes(salt, sizeof salt) != 1)
        crypto_failed("a random salt");
    derive_keys(password, salt, sizeof salt, SCRAM_DEFAULT_ITERATIONS, stored, server);
    return arena_printf(a, "SCRAM-SHA-256$%d:%s$%s:%s", SCRAM_DEFAULT_ITERATIONS,
                        scram_b64_encode(a, salt, sizeof salt),
                        scram_b64_encode(a, stored, SCRAM_KEY_LEN),
                        scram_b64_encode(a, server, SCRAM_KEY_LEN));
}

bool scram_verify_plain_password(const char *verifier, const char *password)
{
    Verifier v;
    if (password == NULL || !parse_verifier(verifier, &v))
        return false;
    uint8 stored[SCRAM_KEY_LEN], server[SCRAM_KEY_LEN];
    derive_keys(password, v.salt, v.saltlen, v.iterations, stored, server);
    /* both compared, without short-circuit, so timing says nothing about which differed */
    int diff = CRYPTO_memcmp(stored, v.stored_key, SCRAM_KEY_LEN) |
               CRYPTO_memcmp(server, v.server_key, SCRAM_KEY_LEN);
    return diff == 0;
}

/* ---------------------------------------------------------------- exchange */

typedef enum ScramPhase { PHASE_INIT = 0, PHASE_SENT_FIRST, PHASE_DONE } ScramPhase;

struct ScramState {
    Arena *arena;
    ScramPhase phase;
    Verifier verifier;
    bool doomed;             /* mock verifier: the exchange must fail */
    char *gs2_header;        /* "n,," or "y,," as the client sent it */
    char *client_first_bare; /* client-first-message without the GS2 header */
    char *client_nonce;
    char *server_first;
    char *nonce; /* client nonce + server nonce */
};

/* Random bytes, chosen once per process, behind the mock salts of unknown roles. */
static uint8 mock_secret[32];
static pthread_once_t mock_once = PTHREAD_ONCE_INIT;

static void init_mock_secret(void)
{
    if (RAND_bytes(mock_secret, sizeof mock_secret) != 1)
        memset(mock_secret, 0x5a, sizeof mock_secret);
}

static void mock_verifier(const char *user, Verifier *v)
{
    pthread_once(&mock_once, init_mock_secret);
    uint8 digest[SCRAM_KEY_LEN];
    hmac_sha256(mock_secret, sizeof mock_secret, user, strlen(user), digest);
    v->iterations = SCRAM_DEFAULT_ITERATIONS;
    v->saltlen = SCRAM_SALT_LEN;
    memcpy(v->salt, digest, SCRAM_SALT_LEN);
    RAND_bytes(v->stored_key, SCRAM_KEY_LEN);
    RAND_bytes(v->server_key, SCRAM_KEY_LEN);
}

ScramState *scram_begin(Arena *a, const char *user, const char *verifier)
{
    ScramState *st = arena_new(a, ScramState);
    st->arena = a;
    if (!parse_verifier(verifier, &st->verifier)) {
        mock_verifier(user ? user : "", &st->verifier);
        st->doomed = true;
    }
    return st;
}

static void malformed(const char *detail) LM_NORETURN;
static void malformed(const char *detail)
{
    ereport(FATAL, errcode(ERRCODE_PROTOCOL_VIOLATION), errmsg("malformed SCRAM message"),
            errdetail("%s", detail));
}

/* Reads "X=value" at *p (value up to the next ',' or end) and advances past the ','. */
static char *read_attr(ScramState *st, const char **p, const char *end, char attr)
{
    const char *s = *p;
    if (end - s < 2 || s[0] != attr || s[1] != '=') {
        char detail[96];
        snprintf(detail, sizeof detail, "Expected attribute \"%c\".", attr);
        malformed(detail);
    }
    s += 2;
    const char *comma = memchr(s, ',', (size_t)(end - s));
    const char *stop = comma ? comma : end;
    char *value = arena_strndup(st->arena, s, (size_t)(stop - s));
    *p = comma ? comma + 1 : end;
    return value;
}

static void read_client_first(ScramState *st, const char *in, int inlen)
{
    const char *p = in, *end = in + inlen;
    if (inlen < 3)
        malformed("The message is too short.");
    switch (*p) {
    case 'n':
    case 'y': /* the client supports channel binding but thinks we do not: we do not */
        p++;
        break;
    case 'p':
        ereport(FATAL, errcode(ERRCODE_PROTOCOL_VIOLATION),
                errmsg("unsupported SCRAM channel-binding type"),
                errdetail("This server does not offer SCRAM-SHA-256-PLUS."));
    default:
        malformed("Unexpected channel-binding flag.");
    }
    if (p >= end || *p != ',')
        malformed("Comma expected after the channel-binding flag.");
    p++;
    if (p < end && *p == 'a')
        ereport(FATAL, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("client uses authorization identity, but it is not supported"));
    if (p >= end || *p != ',')
        malformed("Comma expected after the authorization identity.");
    p++;
    st->gs2_header = arena_strndup(st->arena, in, (size_t)(p - in));
    st->client_first_bare = arena_strndup(st->arena, p, (size_t)(end - p));

    if (p < end && *p == 'm')
        ereport(FATAL, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("client requires an unsupported SCRAM extension"));
    (void)read_attr(st, &p, end, 'n'); /* ignored: the startup packet's user counts */
    st->client_nonce = read_attr(st, &p, end, 'r');
    if (st->client_nonce[0] == '\0')
        malformed("The client nonce is empty.");
    for (const char *c = st->client_nonce; *c; c++)
        if (*c < 0x21 || *c > 0x7e)
            malformed("The client nonce contains invalid characters.");
    /* any further extensions are ignored, as PostgreSQL does */
}

static void build_server_first(ScramState *st)
{
    uint8 raw[SCRAM_NONCE_LEN];
    if (RAND_bytes(raw, sizeof raw) != 1)
        crypto_failed("a server nonce");
    char *server_nonce = scram_b64_encode(st->arena, raw, sizeof raw);
    st->nonce = arena_printf(st->arena, "%s%s", st->client_nonce, server_nonce);
    st->server_first =
        arena_printf(st->arena, "r=%s,s=%s,i=%d", st->nonce,
                     scram_b64_encode(st->arena, st->verifier.salt, st->verifier.saltlen),
                     st->verifier.iterations);
}

static ScramResult read_client_final(ScramState *st, const char *in, int inlen, char **out,
                                     int *outlen)
{
    const char *p = in, *end = in + inlen;

    /* channel binding: base64 of the GS2 header as sent (no binding data for 'n'/'y') */
    char *cbind = read_attr(st, &p, end, 'c');
    uint8 decoded[64];
    int cblen = (int)strlen(cbind);
    if (cblen > 80 || (cblen = scram_b64_decode(cbind, cblen, decoded)) < 0)
        malformed("Invalid channel-binding data.");
    if ((size_t)cblen != strlen(st->gs2_header) ||
        CRYPTO_memcmp(decoded, st->gs2_header, (size_t)cblen) != 0)
        ereport(FATAL, errcode(ERRCODE_PROTOCOL_VIOLATION),
                errmsg("SCRAM channel binding check failed"));

    char *nonce = read_attr(st, &p, end, 'r');
    if (strcmp(nonce, st->nonce) != 0)
        malformed("Nonce does not match.");

    /* skip extensions up to the proof, which must come last */
    const char *proof_at = NULL;
    while (p < end) {
        if (end - p >= 2 && p[0] == 'p' && p[1] == '=') {
            proof_at = p;
            break;
        }
        const char *comma = memchr(p, ',', (size_t)(end - p));
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    if (proof_at == NULL)
        malformed("Could not find proof in client-final-message.");
    const char *without_proof_end = proof_at - 1; /* the ',' before "p=" */
    char *proof_b64 = read_attr(st, &p, end, 'p');
    if (p != end)
        malformed("Garbage found at the end of client-final-message.");
    uint8 proof[48];
    int prooflen = (int)strlen(proof_b64);
    if (prooflen > 64 || scram_b64_decode(proof_b64, prooflen, proof) != SCRAM_KEY_LEN)
        malformed("Malformed proof in client-final-message.");

    /* AuthMessage = client-first-bare "," server-first "," client-final-without-proof */
    char *auth_message = arena_printf(st->arena, "%s,%s,%.*s", st->client_first_bare,
                                      st->server_first, (int)(without_proof_end - in), in);
    size_t amlen = strlen(auth_message);

    uint8 client_signature[SCRAM_KEY_LEN], client_key[SCRAM_KEY_LEN], stored[SCRAM_KEY_LEN];
    hmac_sha256(st->verifier.stored_key, SCRAM_KEY_LEN, auth_message, amlen, client_signature);
    for (int i = 0; i < SCRAM_KEY_LEN; i++)
        client_key[i] = proof[i] ^ client_signature[i];
    sha256(client_key, SCRAM_KEY_LEN, stored);
    bool ok = CRYPTO_memcmp(stored, st->verifier.stored_key, SCRAM_KEY_LEN) == 0;
    OPENSSL_cleanse(client_key, sizeof client_key);
    st->phase = PHASE_DONE;
    if (!ok || st->doomed)
        return SCRAM_FAILURE;

    uint8 server_signature[SCRAM_KEY_LEN];
    hmac_sha256(st->verifier.server_key, SCRAM_KEY_LEN, auth_message, amlen, server_signature);
    *out = arena_printf(st->arena, "v=%s",
                        scram_b64_encode(st->arena, server_signature, SCRAM_KEY_LEN));
    *outlen = (int)strlen(*out);
    return SCRAM_SUCCESS;
}

ScramResult scram_exchange(ScramState *st, const char *in, int inlen, char **out, int *outlen)
{
    if (in == NULL || inlen < 0)
        malformed("The message is empty.");
    if (memchr(in, '\0', (size_t)inlen) != NULL)
        malformed("The message contains a NUL byte.");
    switch (st->phase) {
    case PHASE_INIT:
        read_client_first(st, in, inlen);
        build_server_first(st);
        st->phase = PHASE_SENT_FIRST;
        *out = st->server_first;
        *outlen = (int)strlen(st->server_first);
        return SCRAM_CONTINUE;
    case PHASE_SENT_FIRST:
        return read_client_final(st, in, inlen, out, outlen);
    case PHASE_DONE:
        break;
    }
    malformed("The exchange is already complete.");
}
