/*
 * gen_nexmark.c: the Nexmark event generator (connector "nexmark").
 *
 * Follows the reference generator (Apache Beam / Flink nexmark): one global
 * sequence of event numbers n = 0, 1, 2, ...; within each epoch of 50 events
 * offset 0 is a person, 1..3 are auctions and 4..49 are bids.  Ids come from
 * event numbers: the person of epoch e has id 1000 + e and auction k of epoch
 * e has id 1000 + 3e + k ("last base-0 id" arithmetic), so a bid at event n
 * can only name people and auctions that exist at or around n.  Picks go to
 * hot ids with the reference's default ratios: a bid's auction is hot with
 * probability 1 - 1/2 (the first of the last block of 100 auctions), its
 * bidder with 1 - 1/4 (the second of the last block of 100 people), an
 * auction's seller with 1 - 1/4; otherwise ids are uniform among the last
 * 100 in-flight auctions / 1000 active people plus a lead of 10 not yet
 * created.  Prices are round(100 * 10^(6u)); channels are one of Google,
 * Facebook, Baidu, Apple (probability 1/2, each with a fixed url) or one of
 * 10000 generated "channel-<i>" with urls from a fixed table; names, cities
 * and states come from the reference's lists; `extra` pads each event to the
 * reference's average sizes (person 200, auction 500, bid 100 bytes, computed
 * from the nominal sizes of the other fields).
 *
 * Randomness: every field of event n is hash(seed, n, field) (gen_util.h),
 * not a draw from a shared stream, so the three tables (person, auction,
 * bid) built with the same seed see the same event sequence and their ids
 * line up, whatever the parallelism and batch boundaries.  The values are
 * therefore not bit-identical to the Java generator's, only distributed
 * alike.  Random strings are slices of a letter pool made from the seed.
 * Without a seed option the seed is 0 (still deterministic).  The fixed
 * string tables (channel urls, names) are built once per process and never
 * freed, so vectors may point at them for as long as the process lives.
 *
 * Event time: date_time(n) = 2024-01-01 00:00:00 UTC + n * 1e6 /
 * events_per_second microseconds; with events_per_second = 0 (as fast as
 * possible) time still advances at a nominal 100,000 events per second
 * (10 us per event), so event time depends only on n.  Auction expiry is
 * date_time + 1 + uniform(0, 2 * horizon) where horizon is the time the next
 * 100 in-flight auctions take (the reference's nextAuctionLengthMs).
 *
 * Splits: subtask k of P reads the epochs e with e % P == k (all 50 events of
 * an epoch go to one subtask, so every subtask sees the standard mix and the
 * subtasks' event times stay within one epoch of each other); each subtask
 * has one partition.  Its position is the next global event number it will
 * consider.  max_events bounds the global sequence (events n >= max_events
 * are never generated; the subtask then ends); events_per_second limits the
 * global sequence (event n is due at start + n / rate, so each subtask gets
 * rate / P and event time tracks the wall clock).
 *
 * Speed: a poll first collects the batch's event numbers, then fills each
 * requested column in its own loop straight into the vector; fixed strings
 * (names, cities, channels, urls) point at process-lifetime tables, random
 * strings are copied into one buffer per column in the batch's arena.
 */
#include "connectors/builtin.h"
#include "connectors/gen_util.h"
#include "connectors/nexmark_schema.h"
#include "common/error.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define EPOCH_EVENTS 50
#define PERSON_PROPORTION 1
#define AUCTION_PROPORTION 3
#define FIRST_PERSON_ID 1000
#define FIRST_AUCTION_ID 1000
#define FIRST_CATEGORY_ID 10
#define NUM_CATEGORIES 5
#define HOT_AUCTION_RATIO 2
#define HOT_BIDDER_RATIO 4
#define HOT_SELLER_RATIO 4
#define HOT_BLOCK 100 /* hot ids: the first (second for bidders) of the last block of 100 */
#define NUM_IN_FLIGHT_AUCTIONS 100
#define NUM_ACTIVE_PEOPLE 1000
#define ID_LEAD 10
#define HOT_CHANNELS_RATIO 2
#define NUM_CHANNELS 10000
#define BASE_TIME_US 1704067200000000LL /* 2024-01-01 00:00:00 UTC */
#define NOMINAL_US_PER_EVENT 10         /* events_per_second = 0 */
#define POOL_SIZE 65536
#define MAX_SLEEP_US 2000

enum { KIND_PERSON = 0, KIND_AUCTION, KIND_BID };

/* Field numbers: index in nexmark_schema(kind), offset per kind so hashes differ. */
#define FIELD(kind, i) ((kind) * 16 + (i))

typedef struct NexmarkGen {
    int kind;
    uint64 key; /* seed key */
    int64 max_events;  /* 0: unbounded */
    int64 us_num, us_den; /* microseconds per event = us_num / us_den */
    int subtask, parallelism;
    int64 next; /* next global event number to consider */
    bool done;
    int ncols;
    int *field; /* per table column: index in the kind's schema */
    GenRate rate;
    char *letters; /* POOL_SIZE + 512 letters */
    char *text;    /* POOL_SIZE + 512 letters and spaces (no space at slice ends: trimmed) */
    int64 events[LM_BATCH_SIZE];
} NexmarkGen;

/* ---------- process-lifetime string tables (fixed, independent of the seed) ---------- */

static const char *const hot_channels[4] = {"Google", "Facebook", "Baidu", "Apple"};
static const char *const us_states[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
static const char *const us_cities[] = {"Phoenix", "Los Angeles", "San Francisco", "Boise",
                                        "Portland", "Bend", "Redmond", "Seattle", "Kent",
                                        "Cheyenne"};
static const char *const first_names[] = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky",
                                          "Kate", "Julie", "Sarah", "Deiter", "Walter"};
static const char *const last_names[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                         "Walton", "Smith", "Jones", "Noris"};
#define NFIRST ((int)LM_ARRAY_LEN(first_names))
#define NLAST ((int)LM_ARRAY_LEN(last_names))

static StrView hot_urls[4];
static StrView channel_names[NUM_CHANNELS];
static StrView channel_urls[NUM_CHANNELS];
static StrView person_names[NFIRST * NLAST];
static StrView state_views[LM_ARRAY_LEN(us_states)];
static StrView city_views[LM_ARRAY_LEN(us_cities)];
static StrView hot_channel_views[4];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static StrView view_of(const char *s, size_t len)
{
    StrView v = {(uint32)len, 0, s};
    return v;
}

/* A url as the reference makes them: three random path segments of 3-4 letters or '_'. */
static int make_url(char *dst, uint64 *state, int channel_id)
{
    int n = sprintf(dst, "https://www.nexmark.com/");
    for (int s = 0; s < 3; s++) {
        uint64 r = gen_mix64((*state)++);
        int len = 3 + (int)(r & 1);
        for (int i = 0; i < len; i++) {
            r >>= 5;
            dst[n++] = gen_bounded((uint32)(r & 0xFFFF) << 16, 13) == 0
                           ? '_'
                           : (char)('a' + gen_bounded((uint32)(r >> 8) << 8, 26));
        }
        dst[n++] = '/';
    }
    n += sprintf(dst + n, "item.htm?query=1");
    if (channel_id >= 0 && gen_bounded((uint32)gen_mix64((*state)++), 10) > 0) {
        /* abs(Integer.reverse(i)) as in the reference */
        uint32 x = (uint32)channel_id, rev = 0;
        for (int b = 0; b < 32; b++)
            rev |= ((x >> b) & 1u) << (31 - b);
        int32 sr = (int32)rev;
        int64 a = sr < 0 ? -(int64)sr : sr;
        n += sprintf(dst + n, "&channel_id=%lld", (long long)a);
    }
    return n;
}

static void build_tables(void)
{
    uint64 state = 2; /* fixed, like the reference's static SplittableRandom(2) */
    char buf[160];
    for (int i = 0; i < 4; i++) {
        int n = make_url(buf, &state, -1);
        hot_urls[i] = view_of(lm_strdup(buf), (size_t)n);
        hot_channel_views[i] = view_of(hot_channels[i], strlen(hot_channels[i]));
    }
    for (int i = 0; i < NUM_CHANNELS; i++) {
        int n = make_url(buf, &state, i);
        channel_urls[i] = view_of(lm_strdup(buf), (size_t)n);
        n = sprintf(buf, "channel-%d", i);
        channel_names[i] = view_of(lm_strdup(buf), (size_t)n);
    }
    for (int f = 0; f < NFIRST; f++)
        for (int l = 0; l < NLAST; l++) {
            int n = sprintf(buf, "%s %s", first_names[f], last_names[l]);
            person_names[f * NLAST + l] = view_of(lm_strdup(buf), (size_t)n);
        }
    for (size_t i = 0; i < LM_ARRAY_LEN(us_states); i++)
        state_views[i] = view_of(us_states[i], strlen(us_states[i]));
    for (size_t i = 0; i < LM_ARRAY_LEN(us_cities); i++)
        city_views[i] = view_of(us_cities[i], strlen(us_cities[i]));
}

/* ---------- id arithmetic (reference: PersonGenerator / AuctionGenerator) ---------- */

static inline int64 last_base0_person(int64 n)
{
    int64 epoch = n / EPOCH_EVENTS, off = n % EPOCH_EVENTS;
    if (off >= PERSON_PROPORTION)
        off = PERSON_PROPORTION - 1;
    return epoch * PERSON_PROPORTION + off;
}

static inline int64 last_base0_auction(int64 n)
{
    int64 epoch = n / EPOCH_EVENTS, off = n % EPOCH_EVENTS;
    if (off < PERSON_PROPORTION) {
        epoch--;
        off = AUCTION_PROPORTION - 1;
    } else if (off >= PERSON_PROPORTION + AUCTION_PROPORTION)
        off = AUCTION_PROPORTION - 1;
    else
        off -= PERSON_PROPORTION;
    return epoch * AUCTION_PROPORTION + off;
}

static inline int64 next_base0_person(int64 n, uint32 bits)
{
    int64 num_people = last_base0_person(n) + 1;
    int64 active = num_people < NUM_ACTIVE_PEOPLE ? num_people : NUM_ACTIVE_PEOPLE;
    return num_people - active + gen_bounded(bits, (uint32)(active + ID_LEAD));
}

static inline int64 next_base0_auction(int64 n, uint32 bits)
{
    int64 max_auction = last_base0_auction(n);
    int64 min_auction = max_auction - NUM_IN_FLIGHT_AUCTIONS;
    if (min_auction < 0)
        min_auction = 0;
    return min_auction + gen_bounded(bits, (uint32)(max_auction - min_auction + 1 + ID_LEAD));
}

static inline int64 price_of(uint64 bits)
{
    return (int64)(exp(gen_unit(bits) * 6.0 * 2.302585092994046) * 100.0 + 0.5); /* > 0: rounds */
}

static inline int64 time_of(const NexmarkGen *g, int64 n)
{
    if (g->us_den == 1)
        return BASE_TIME_US + n * g->us_num;
    return BASE_TIME_US + (int64)((__int128)n * g->us_num / g->us_den);
}

/* ---------- column kernels ---------- */

static void fill_time(const NexmarkGen *g, int nrows, int64 *out)
{
    for (int i = 0; i < nrows; i++)
        out[i] = time_of(g, g->events[i]);
}

/* Random slices of a pool: lengths lo + uniform(0, span), copied into one buffer. */
static void fill_slices(const NexmarkGen *g, Vector *v, Arena *a, int nrows, int field,
                        const char *pool, int lo, int span, bool trim)
{
    StrView *out = v->data;
    char *buf = arena_alloc(a, (size_t)nrows * (size_t)(lo + span) + 1);
    for (int i = 0; i < nrows; i++) {
        uint64 r = gen_rand(g->key, g->events[i], field);
        int len = lo + (int)gen_bounded((uint32)(r >> 32), (uint32)span);
        const char *src = pool + gen_bounded((uint32)r, POOL_SIZE);
        if (trim) {
            while (len > 0 && src[0] == ' ') {
                src++;
                len--;
            }
            while (len > 0 && src[len - 1] == ' ')
                len--;
        }
        memcpy(buf, src, (size_t)len);
        out[i].ptr = buf;
        out[i].len = (uint32)len;
        out[i].reserved = 0;
        buf += len;
    }
}

static void fill_person(NexmarkGen *g, int f, Vector *v, Arena *a, int nrows)
{
    int field = FIELD(KIND_PERSON, f);
    int64 *iv = v->data;
    StrView *sv = v->data;
    switch (f) {
    case 0: /* id */
        for (int i = 0; i < nrows; i++)
            iv[i] = FIRST_PERSON_ID + last_base0_person(g->events[i]);
        break;
    case 1: /* name */
        for (int i = 0; i < nrows; i++) {
            uint64 r = gen_rand(g->key, g->events[i], field);
            sv[i] = person_names[gen_bounded((uint32)r, NFIRST) * NLAST +
                                 gen_bounded((uint32)(r >> 32), NLAST)];
        }
        break;
    case 2: { /* email_address: 3-6 letters @ 3-4 letters .com */
        char *buf = arena_alloc(a, (size_t)nrows * 16);
        for (int i = 0; i < nrows; i++) {
            uint64 r = gen_rand(g->key, g->events[i], field);
            uint64 s = gen_mix64(r);
            int l1 = 3 + (int)(r & 3), l2 = 3 + (int)((r >> 2) & 1), n = 0;
            r >>= 3;
            for (int k = 0; k < l1; k++, r >>= 8)
                buf[n++] = (char)('a' + gen_bounded((uint32)(r & 0xFF) << 24, 26));
            buf[n++] = '@';
            for (int k = 0; k < l2; k++, s >>= 8)
                buf[n++] = (char)('a' + gen_bounded((uint32)(s & 0xFF) << 24, 26));
            memcpy(buf + n, ".com", 4);
            n += 4;
            sv[i] = view_of(buf, (size_t)n);
            buf += n;
        }
        break;
    }
    case 3: { /* credit_card: four groups of four digits */
        char *buf = arena_alloc(a, (size_t)nrows * 19);
        for (int i = 0; i < nrows; i++) {
            uint64 r = gen_rand(g->key, g->events[i], field);
            char *p = buf;
            for (int k = 0; k < 4; k++) {
                uint32 d = gen_bounded((uint32)(r >> (k * 16)) << 16, 10000);
                if (k)
                    *p++ = ' ';
                p[0] = (char)('0' + d / 1000);
                p[1] = (char)('0' + d / 100 % 10);
                p[2] = (char)('0' + d / 10 % 10);
                p[3] = (char)('0' + d % 10);
                p += 4;
            }
            sv[i] = view_of(buf, 19);
            buf += 19;
        }
        break;
    }
    case 4: /* city */
        for (int i = 0; i < nrows; i++)
            sv[i] = city_views[gen_bounded((uint32)gen_rand(g->key, g->events[i], field),
                                           LM_ARRAY_LEN(us_cities))];
        break;
    case 5: /* state */
        for (int i = 0; i < nrows; i++)
            sv[i] = state_views[gen_bounded((uint32)gen_rand(g->key, g->events[i], field),
                                            LM_ARRAY_LEN(us_states))];
        break;
    case 6:
        fill_time(g, nrows, iv);
        break;
    case 7: /* extra: average 200 bytes, the other fields take ~61 */
        fill_slices(g, v, a, nrows, field, g->letters, 111, 56, false);
        break;
    }
}

static void fill_auction(NexmarkGen *g, int f, Vector *v, Arena *a, int nrows)
{
    int field = FIELD(KIND_AUCTION, f);
    int64 *iv = v->data;
    switch (f) {
    case 0: /* id */
        for (int i = 0; i < nrows; i++)
            iv[i] = FIRST_AUCTION_ID + last_base0_auction(g->events[i]);
        break;
    case 1: /* item_name: nextString(20) */
        fill_slices(g, v, a, nrows, field, g->text, 3, 17, true);
        break;
    case 2: /* description: nextString(100) */
        fill_slices(g, v, a, nrows, field, g->text, 3, 97, true);
        break;
    case 3: /* initial_bid */
        for (int i = 0; i < nrows; i++)
            iv[i] = price_of(gen_rand(g->key, g->events[i], FIELD(KIND_AUCTION, 3)));
        break;
    case 4: /* reserve = initial_bid + another price */
        for (int i = 0; i < nrows; i++)
            iv[i] = price_of(gen_rand(g->key, g->events[i], FIELD(KIND_AUCTION, 3))) +
                    price_of(gen_rand(g->key, g->events[i], field));
        break;
    case 5:
        fill_time(g, nrows, iv);
        break;
    case 6: { /* expires */
        int64 ahead = (int64)NUM_IN_FLIGHT_AUCTIONS * EPOCH_EVENTS / AUCTION_PROPORTION;
        for (int i = 0; i < nrows; i++) {
            int64 n = g->events[i];
            int64 t = time_of(g, n);
            int64 horizon = time_of(g, n + ahead) - t;
            uint64 span = horizon * 2 > 1 ? (uint64)horizon * 2 : 1;
            iv[i] = t + 1 + (int64)(gen_rand(g->key, n, field) % span);
        }
        break;
    }
    case 7: /* seller */
        for (int i = 0; i < nrows; i++) {
            int64 n = g->events[i];
            uint64 r = gen_rand(g->key, n, field);
            int64 s = gen_bounded((uint32)(r >> 32), HOT_SELLER_RATIO) > 0
                          ? (last_base0_person(n) / HOT_BLOCK) * HOT_BLOCK
                          : next_base0_person(n, (uint32)r);
            iv[i] = FIRST_PERSON_ID + s;
        }
        break;
    case 8: /* category */
        for (int i = 0; i < nrows; i++)
            iv[i] = FIRST_CATEGORY_ID +
                    gen_bounded((uint32)gen_rand(g->key, g->events[i], field), NUM_CATEGORIES);
        break;
    case 9: /* extra: average 500 bytes, the other fields take ~110 */
        fill_slices(g, v, a, nrows, field, g->letters, 312, 156, false);
        break;
    }
}

static void fill_bid(NexmarkGen *g, int f, Vector *v, Arena *a, int nrows)
{
    int field = FIELD(KIND_BID, f);
    int64 *iv = v->data;
    StrView *sv = v->data;
    switch (f) {
    case 0: /* auction */
        for (int i = 0; i < nrows; i++) {
            int64 n = g->events[i];
            uint64 r = gen_rand(g->key, n, field);
            int64 id = gen_bounded((uint32)(r >> 32), HOT_AUCTION_RATIO) > 0
                           ? (last_base0_auction(n) / HOT_BLOCK) * HOT_BLOCK
                           : next_base0_auction(n, (uint32)r);
            iv[i] = FIRST_AUCTION_ID + id;
        }
        break;
    case 1: /* bidder */
        for (int i = 0; i < nrows; i++) {
            int64 n = g->events[i];
            uint64 r = gen_rand(g->key, n, field);
            int64 id = gen_bounded((uint32)(r >> 32), HOT_BIDDER_RATIO) > 0
                           ? (last_base0_person(n) / HOT_BLOCK) * HOT_BLOCK + 1
                           : next_base0_person(n, (uint32)r);
            iv[i] = FIRST_PERSON_ID + id;
        }
        break;
    case 2: /* price */
        for (int i = 0; i < nrows; i++)
            iv[i] = price_of(gen_rand(g->key, g->events[i], field));
        break;
    case 3: /* channel */
    case 4: /* url: the channel's */
        for (int i = 0; i < nrows; i++) {
            uint64 r = gen_rand(g->key, g->events[i], FIELD(KIND_BID, 3));
            if (gen_bounded((uint32)(r >> 32), HOT_CHANNELS_RATIO) > 0) {
                uint32 k = gen_bounded((uint32)r, 4);
                sv[i] = f == 3 ? hot_channel_views[k] : hot_urls[k];
            } else {
                uint32 k = gen_bounded((uint32)r, NUM_CHANNELS);
                sv[i] = f == 3 ? channel_names[k] : channel_urls[k];
            }
        }
        break;
    case 5:
        fill_time(g, nrows, iv);
        break;
    case 6: /* extra: average 100 bytes, the other fields take 32 */
        fill_slices(g, v, a, nrows, field, g->letters, 54, 28, false);
        break;
    }
}

/* ---------- SourceOps ---------- */

static void *nexmark_open(ConnectorContext *cc, const char *position, size_t position_len)
{
    pthread_once(&tables_once, build_tables);

    NexmarkGen *g = arena_new(cc->arena, NexmarkGen);
    const char *et = resolved_get(cc->opts, "event_type");
    if (et == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("nexmark table \"%s\" needs option \"event_type\"", cc->table->name));
    int nschema;
    const NexmarkColumn *schema = nexmark_schema(et, &nschema);
    if (schema == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("invalid value for option \"event_type\": \"%s\"", et),
                errdetail("Expected one of person, auction, bid."));
    g->kind = strcasecmp(et, "person") == 0    ? KIND_PERSON
              : strcasecmp(et, "auction") == 0 ? KIND_AUCTION
                                               : KIND_BID;
    int64 seed = gen_option_int(cc->opts, "seed", 0, false);
    g->key = gen_mix64((uint64)seed ^ 0x6e65786d61726bULL);
    g->max_events = gen_option_int(cc->opts, "max_events", 0, true);
    int64 eps = gen_option_int(cc->opts, "events_per_second", 0, true);
    g->us_num = eps > 0 ? 1000000 : NOMINAL_US_PER_EVENT;
    g->us_den = eps > 0 ? eps : 1;
    g->subtask = cc->subtask;
    g->parallelism = cc->parallelism > 0 ? cc->parallelism : 1;

    /* Table columns → schema fields, by name. */
    g->ncols = cc->table->ncolumns;
    g->field = arena_alloc(cc->arena, sizeof(int) * (size_t)(g->ncols ? g->ncols : 1));
    for (int c = 0; c < g->ncols; c++) {
        const CatColumn *col = &cc->table->columns[c];
        int f = -1;
        for (int s = 0; s < nschema; s++)
            if (strcasecmp(schema[s].name, col->name) == 0)
                f = s;
        if (f < 0)
            ereport(ERROR, errcode(ERRCODE_UNDEFINED_COLUMN),
                    errmsg("column \"%s\" is not a field of nexmark %s events", col->name, et));
        TypeId want = schema[f].type, have = col->type->id;
        bool ok = have == want || (want == TYPE_TIMESTAMP && have == TYPE_TIMESTAMPTZ);
        if (!ok)
            ereport(ERROR, errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("column \"%s\" of nexmark table \"%s\" must have the nexmark type",
                           col->name, cc->table->name));
        g->field[c] = f;
    }

    /* Letter pools from the seed. */
    g->letters = arena_alloc(cc->arena, POOL_SIZE + 512);
    g->text = arena_alloc(cc->arena, POOL_SIZE + 512);
    for (int i = 0; i < POOL_SIZE + 512; i++) {
        uint64 r = gen_rand(g->key, i, 1000);
        g->letters[i] = (char)('a' + gen_bounded((uint32)r, 26));
        g->text[i] = gen_bounded((uint32)(r >> 32), 13) == 0 ? ' '
                                                             : (char)('a' + gen_bounded((uint32)r, 26));
    }

    g->next = (int64)g->subtask * EPOCH_EVENTS;
    if (position != NULL && position_len > 0)
        g->next = gen_position_read("nexmark", position, position_len, g->parallelism,
                                    g->subtask);
    gen_rate_init(&g->rate, eps, g->next);
    return g;
}

/* Event-number range [lo, hi) of the kind within an epoch. */
static void kind_offsets(int kind, int *lo, int *hi)
{
    *lo = kind == KIND_PERSON ? 0 : kind == KIND_AUCTION ? PERSON_PROPORTION
                                                         : PERSON_PROPORTION + AUCTION_PROPORTION;
    *hi = kind == KIND_PERSON    ? PERSON_PROPORTION
          : kind == KIND_AUCTION ? PERSON_PROPORTION + AUCTION_PROPORTION
                                 : EPOCH_EVENTS;
}

/* Moves g->next onto the next event of this subtask's kind in one of its epochs. */
static void normalize_next(NexmarkGen *g)
{
    int lo, hi;
    int64 epoch = g->next / EPOCH_EVENTS, off = g->next % EPOCH_EVENTS;
    int64 p = g->parallelism, mine = epoch % p;

    kind_offsets(g->kind, &lo, &hi);
    if (off >= hi) {
        epoch++;
        off = lo;
        mine = epoch % p;
    } else if (off < lo)
        off = lo;
    if (mine != g->subtask) {
        epoch += (g->subtask - mine + p) % p;
        off = lo;
    }
    g->next = epoch * EPOCH_EVENTS + off;
}

/* Collects up to max event numbers of this subtask's kind below limit; advances g->next. */
static int collect_events(NexmarkGen *g, int max, int64 limit)
{
    int lo, hi, count = 0;

    kind_offsets(g->kind, &lo, &hi);
    if (g->max_events > 0 && limit > g->max_events)
        limit = g->max_events;
    normalize_next(g);
    while (count < max && g->next < limit) {
        int64 n = g->next, base = n - n % EPOCH_EVENTS;
        int64 end = base + hi;
        if (end > limit)
            end = limit;
        while (n < end && count < max)
            g->events[count++] = n++;
        g->next = n;
        normalize_next(g);
    }
    return count;
}

static SourceStatus nexmark_poll(void *st, Batch *out, int *partition)
{
    NexmarkGen *g = st;
    *partition = 0;
    out->count = 0;
    if (g->done)
        return SOURCE_END;
    if (g->max_events > 0) {
        normalize_next(g);
        if (g->next >= g->max_events) {
            g->done = true;
            return SOURCE_END;
        }
    }
    int64 limit = gen_rate_limit(&g->rate, g->next, MAX_SLEEP_US);
    int nrows = collect_events(g, LM_BATCH_SIZE, limit);
    if (nrows == 0)
        return SOURCE_IDLE;
    for (int c = 0; c < g->ncols && c < out->ncols; c++) {
        Vector *v = &out->cols[c];
        v->validity = NULL;
        switch (g->kind) {
        case KIND_PERSON:
            fill_person(g, g->field[c], v, out->arena, nrows);
            break;
        case KIND_AUCTION:
            fill_auction(g, g->field[c], v, out->arena, nrows);
            break;
        default:
            fill_bid(g, g->field[c], v, out->arena, nrows);
            break;
        }
    }
    out->count = nrows;
    out->sel = NULL;
    out->nsel = 0;
    out->ops = NULL;
    return SOURCE_DATA;
}

static int nexmark_partitions(void *st)
{
    (void)st;
    return 1;
}

static void nexmark_position(void *st, StrBuf *out)
{
    NexmarkGen *g = st;
    gen_position_write(out, "nexmark", g->parallelism, g->subtask, g->next);
}

static int64 nexmark_lag(void *st, int partition)
{
    (void)st;
    (void)partition;
    return -1;
}

static void nexmark_close(void *st)
{
    (void)st; /* everything lives in the subtask's arena */
}

const SourceOps nexmark_source_ops = {
    .open = nexmark_open,
    .poll = nexmark_poll,
    .partitions = nexmark_partitions,
    .position = nexmark_position,
    .lag = nexmark_lag,
    .close = nexmark_close,
};
