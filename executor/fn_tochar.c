/*
 * fn_tochar.c: PostgreSQL's template formatting (formatting.c): to_char for
 * timestamps, intervals and numbers, and the reverse, to_timestamp(text,
 * template) and to_date.
 *
 * Date/time templates: FM and TH modifiers, quoted literals, YYYY..Y, Y,YYY,
 * MM, DD, DDD, D, ID, IDDD, HH/HH12/HH24, MI, SS, MS, US, FF1-6, SSSS,
 * AM/PM (and a.m. forms), Month/Mon/Day/Dy in three cases, IW, IYYY, WW, W,
 * Q, CC, J, RM, TZ, OF, TZH, TZM (timestamptz in the session time zone).  Keywords are
 * matched longest first, as PostgreSQL's table does; anything else is copied.
 * Number templates: 9 0 . , D G S MI PL SG PR FM, with PostgreSQL's sign
 * placement and '#' for values too wide.  Parsing is as lenient as
 * PostgreSQL's: a separator in the template skips one non-alphanumeric input
 * character, and a year without separators after it takes four digits.
 * Each row formats into a StrBuf reused across the batch.
 */
#include "executor/fn_datetime_int.h"
#include "common/numeric.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

/* ---------- to_char ---------- */

static const char *const month_names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
static const char *const day_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};
static const char *const roman_months[] = {"I",   "II",   "III", "IV", "V",  "VI",
                                           "VII", "VIII", "IX",  "X",  "XI", "XII"};

typedef enum Dch {
    DCH_NONE = 0,
    DCH_AM_DOTS,
    DCH_PM_DOTS,
    DCH_AM,
    DCH_PM,
    DCH_am_dots,
    DCH_pm_dots,
    DCH_am,
    DCH_pm,
    DCH_CC,
    DCH_DAY,
    DCH_Day,
    DCH_day,
    DCH_DDD,
    DCH_DD,
    DCH_DY,
    DCH_Dy,
    DCH_dy,
    DCH_D,
    DCH_FF1,
    DCH_FF2,
    DCH_FF3,
    DCH_FF4,
    DCH_FF5,
    DCH_FF6,
    DCH_HH24,
    DCH_HH12,
    DCH_HH,
    DCH_IDDD,
    DCH_ID,
    DCH_IW,
    DCH_IYYY,
    DCH_IYY,
    DCH_IY,
    DCH_I,
    DCH_J,
    DCH_MI,
    DCH_MM,
    DCH_MONTH,
    DCH_Month,
    DCH_month,
    DCH_MON,
    DCH_Mon,
    DCH_mon,
    DCH_MS,
    DCH_OF,
    DCH_Q,
    DCH_RM,
    DCH_rm,
    DCH_SSSSS,
    DCH_SSSS,
    DCH_SS,
    DCH_TZH,
    DCH_TZM,
    DCH_TZ,
    DCH_tz,
    DCH_US,
    DCH_WW,
    DCH_W,
    DCH_Y_YYY,
    DCH_YYYY,
    DCH_YYY,
    DCH_YY,
    DCH_Y,
    DCH_BC_DOTS,
    DCH_BC,
    DCH_AD_DOTS,
    DCH_AD,
} Dch;

/* Longest first where one keyword is a prefix of another (PostgreSQL's table order). */
static const struct {
    const char *kw;
    Dch id;
    bool ci; /* case-insensitive match (numeric fields) */
} dch_keywords[] = {
    {"A.M.", DCH_AM_DOTS, false}, {"P.M.", DCH_PM_DOTS, false}, {"a.m.", DCH_am_dots, false},
    {"p.m.", DCH_pm_dots, false}, {"AM", DCH_AM, false},        {"PM", DCH_PM, false},
    {"am", DCH_am, false},        {"pm", DCH_pm, false},        {"A.D.", DCH_AD_DOTS, false},
    {"B.C.", DCH_BC_DOTS, false}, {"AD", DCH_AD, false},        {"BC", DCH_BC, false},
    {"CC", DCH_CC, true},         {"DAY", DCH_DAY, false},      {"Day", DCH_Day, false},
    {"day", DCH_day, false},      {"DDD", DCH_DDD, true},       {"DD", DCH_DD, true},
    {"DY", DCH_DY, false},        {"Dy", DCH_Dy, false},        {"dy", DCH_dy, false},
    {"D", DCH_D, true},           {"FF1", DCH_FF1, true},       {"FF2", DCH_FF2, true},
    {"FF3", DCH_FF3, true},       {"FF4", DCH_FF4, true},       {"FF5", DCH_FF5, true},
    {"FF6", DCH_FF6, true},       {"HH24", DCH_HH24, true},     {"HH12", DCH_HH12, true},
    {"HH", DCH_HH, true},         {"IDDD", DCH_IDDD, true},     {"ID", DCH_ID, true},
    {"IW", DCH_IW, true},         {"IYYY", DCH_IYYY, true},     {"IYY", DCH_IYY, true},
    {"IY", DCH_IY, true},         {"I", DCH_I, true},           {"J", DCH_J, true},
    {"MI", DCH_MI, true},         {"MM", DCH_MM, true},         {"MONTH", DCH_MONTH, false},
    {"Month", DCH_Month, false},  {"month", DCH_month, false},  {"MON", DCH_MON, false},
    {"Mon", DCH_Mon, false},      {"mon", DCH_mon, false},      {"MS", DCH_MS, true},
    {"OF", DCH_OF, false},        {"Q", DCH_Q, true},           {"RM", DCH_RM, false},
    {"rm", DCH_rm, false},        {"SSSSS", DCH_SSSSS, true},   {"SSSS", DCH_SSSS, true},
    {"SS", DCH_SS, true},         {"TZH", DCH_TZH, false},      {"TZM", DCH_TZM, false},
    {"TZ", DCH_TZ, false},        {"tz", DCH_tz, false},        {"US", DCH_US, true},
    {"WW", DCH_WW, true},         {"W", DCH_W, true},           {"Y,YYY", DCH_Y_YYY, true},
    {"YYYY", DCH_YYYY, true},     {"YYY", DCH_YYY, true},       {"YY", DCH_YY, true},
    {"Y", DCH_Y, true},
};

static Dch dch_match(const char *f, size_t len, size_t *kwlen)
{
    for (size_t k = 0; k < sizeof(dch_keywords) / sizeof(dch_keywords[0]); k++) {
        const char *kw = dch_keywords[k].kw;
        size_t l = strlen(kw);
        if (l > len)
            continue;
        bool eq = dch_keywords[k].ci ? strncasecmp(f, kw, l) == 0 : memcmp(f, kw, l) == 0;
        if (eq) {
            *kwlen = l;
            return dch_keywords[k].id;
        }
    }
    return DCH_NONE;
}

static const char *ordinal_suffix(int64 n, bool upper)
{
    int64 last2 = (n < 0 ? -n : n) % 100, last = last2 % 10;
    const char *s = (last2 >= 11 && last2 <= 13) ? "th"
                    : last == 1                  ? "st"
                    : last == 2                  ? "nd"
                    : last == 3                  ? "rd"
                                                 : "th";
    if (!upper)
        return s;
    return s[0] == 's' ? "ST" : s[0] == 'n' ? "ND" : s[0] == 'r' ? "RD" : "TH";
}

static void put_num(StrBuf *sb, int64 v, int width, bool fm, int th)
{
    if (v >= 0 && v < 100000000 && !th) {
        /* common case (YYYY, MM, DD, HH24, MI, ...): digits without printf */
        char buf[16];
        int n = 0;
        do {
            buf[15 - n++] = (char)('0' + v % 10);
            v /= 10;
        } while (v > 0);
        if (!fm)
            while (n < width)
                buf[15 - n++] = '0';
        strbuf_append(sb, buf + 16 - n, (size_t)n);
        return;
    }
    if (fm || width <= 0)
        strbuf_printf(sb, "%" PRId64, v);
    else if (v < 0)
        strbuf_printf(sb, "-%0*" PRId64, width, -v);
    else
        strbuf_printf(sb, "%0*" PRId64, width, v);
    if (th)
        strbuf_append_str(sb, ordinal_suffix(v, th == 2));
}

static void put_name(StrBuf *sb, const char *name, int casing, bool fm, int abbrev)
{
    char buf[16] = {0};
    size_t n = strlen(name);
    if (abbrev && n > 3)
        n = 3;
    for (size_t k = 0; k < n; k++) {
        char c = name[k];
        if (casing == 2 || (casing == 1 && k == 0))
            c = (char)((c >= 'a' && c <= 'z') ? c - 32 : c);
        else if (casing == 0 || casing == 1)
            c = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        buf[k] = c;
    }
    strbuf_append(sb, buf, n);
    if (!fm && !abbrev)
        for (size_t k = n; k < 9; k++)
            strbuf_append_char(sb, ' ');
}

static LM_NORETURN void interval_zone_error(void)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_DATETIME_FORMAT),
            errmsg("invalid format specification for an interval value"),
            errhint("Intervals are not tied to specific calendar dates."));
}

/*
 * A template is cut into tokens once: literal runs (quoted text and other characters) and
 * keywords with their FM prefix and TH/th suffix.  to_char with a constant template caches
 * the tokens per call site (FuncCall.cache) instead of matching keywords for every row.
 */
typedef struct DchTok {
    Dch d;       /* DCH_NONE: literal bytes lit[off .. off + len) */
    bool fm;
    int th;      /* 0, 1 (th), 2 (TH) */
    uint32 off, len;
} DchTok;

typedef struct DchProg {
    int n, cap;
    DchTok *t;
    StrBuf lit;
} DchProg;

/* Parses the token at f[k]; literal bytes go to lit.  Returns the next position. */
static size_t dch_token(const char *f, size_t len, size_t k, DchTok *t, StrBuf *lit)
{
    memset(t, 0, sizeof(*t));
    t->d = DCH_NONE;
    t->off = (uint32)lit->len;
    if (len - k >= 2 && (f[k] == 'F' || f[k] == 'f') && (f[k + 1] == 'M' || f[k + 1] == 'm')) {
        t->fm = true;
        k += 2;
        if (k >= len)
            return len;
    }
    if (f[k] == '"') {
        for (k++; k < len && f[k] != '"'; k++) {
            if (f[k] == '\\' && k + 1 < len)
                k++;
            strbuf_append_char(lit, f[k]);
        }
        t->len = (uint32)(lit->len - t->off);
        return k + 1;
    }
    if (f[k] == '\\' && k + 1 < len && f[k + 1] == '"') {
        strbuf_append_char(lit, '"');
        t->len = 1;
        return k + 2;
    }
    size_t kwl = 0;
    Dch d = dch_match(f + k, len - k, &kwl);
    if (d == DCH_NONE) {
        strbuf_append_char(lit, f[k]);
        t->len = 1;
        return k + 1;
    }
    k += kwl;
    t->d = d;
    if (len - k >= 2 && f[k] == 't' && f[k + 1] == 'h')
        t->th = 1, k += 2;
    else if (len - k >= 2 && f[k] == 'T' && f[k + 1] == 'H')
        t->th = 2, k += 2;
    return k;
}

static void dch_emit(StrBuf *sb, const Tm *tm, Dch d, bool fm, int th, int64 disp_year,
                     bool with_tz)
{
    int hour12 = tm->hour % 12 == 0 ? 12 : tm->hour % 12;
    bool pm = tm->hour >= 12;
    switch (d) {
    case DCH_AM:
    case DCH_PM:
        strbuf_append_str(sb, pm ? "PM" : "AM");
        break;
    case DCH_am:
    case DCH_pm:
        strbuf_append_str(sb, pm ? "pm" : "am");
        break;
    case DCH_AM_DOTS:
    case DCH_PM_DOTS:
        strbuf_append_str(sb, pm ? "P.M." : "A.M.");
        break;
    case DCH_am_dots:
    case DCH_pm_dots:
        strbuf_append_str(sb, pm ? "p.m." : "a.m.");
        break;
    case DCH_AD:
    case DCH_BC:
        strbuf_append_str(sb, tm->year > 0 ? "AD" : "BC");
        break;
    case DCH_AD_DOTS:
    case DCH_BC_DOTS:
        strbuf_append_str(sb, tm->year > 0 ? "A.D." : "B.C.");
        break;
    case DCH_HH24:
        put_num(sb, tm->interval ? tm->ihours : tm->hour, 2, fm, th);
        break;
    case DCH_HH12:
    case DCH_HH:
        put_num(sb, tm->interval ? tm->ihours % 12 : hour12, 2, fm, th);
        break;
    case DCH_MI:
        put_num(sb, tm->min, 2, fm, th);
        break;
    case DCH_SS:
        put_num(sb, tm->sec, 2, fm, th);
        break;
    case DCH_SSSS:
    case DCH_SSSSS:
        put_num(sb, (int64)tm->hour * 3600 + tm->min * 60 + tm->sec, 0, fm, th);
        break;
    case DCH_MS:
        put_num(sb, tm->usec / 1000, 3, fm, th);
        break;
    case DCH_US:
        put_num(sb, tm->usec, 6, fm, th);
        break;
    case DCH_FF1:
    case DCH_FF2:
    case DCH_FF3:
    case DCH_FF4:
    case DCH_FF5:
    case DCH_FF6: {
        int digits = (int)(d - DCH_FF1) + 1;
        int64 v = tm->usec;
        for (int q = digits; q < 6; q++)
            v /= 10;
        put_num(sb, v, digits, fm, th);
        break;
    }
    case DCH_Y_YYY:
        strbuf_printf(sb, "%" PRId64 ",%03" PRId64, disp_year / 1000, disp_year % 1000);
        break;
    case DCH_YYYY:
        put_num(sb, disp_year, 4, fm, th);
        break;
    case DCH_YYY:
        put_num(sb, disp_year % 1000, 3, fm, th);
        break;
    case DCH_YY:
        put_num(sb, disp_year % 100, 2, fm, th);
        break;
    case DCH_Y:
        put_num(sb, disp_year % 10, 1, fm, th);
        break;
    case DCH_IYYY:
    case DCH_IYY:
    case DCH_IY:
    case DCH_I: {
        int64 iy;
        int w;
        fn_dt_iso_week(tm->days, &iy, &w);
        int width = d == DCH_IYYY ? 4 : d == DCH_IYY ? 3 : d == DCH_IY ? 2 : 1;
        int64 mod = d == DCH_IYYY ? INT64_MAX : d == DCH_IYY ? 1000 : d == DCH_IY ? 100 : 10;
        put_num(sb, d == DCH_IYYY ? iy : iy % mod, width, fm, th);
        break;
    }
    case DCH_IW: {
        int64 iy;
        int w;
        fn_dt_iso_week(tm->days, &iy, &w);
        put_num(sb, w, 2, fm, th);
        break;
    }
    case DCH_ID:
        put_num(sb, tm->wday == 0 ? 7 : tm->wday, 1, fm, th);
        break;
    case DCH_IDDD: {
        int64 iy;
        int w;
        fn_dt_iso_week(tm->days, &iy, &w);
        put_num(sb, (int64)(w - 1) * 7 + (tm->wday == 0 ? 7 : tm->wday), 3, fm, th);
        break;
    }
    case DCH_MM:
        put_num(sb, tm->mon, 2, fm, th);
        break;
    case DCH_MONTH:
    case DCH_Month:
    case DCH_month:
    case DCH_MON:
    case DCH_Mon:
    case DCH_mon:
        if (tm->mon < 1 || tm->mon > 12)
            break;
        put_name(sb, month_names[tm->mon - 1],
                 (d == DCH_MONTH || d == DCH_MON)   ? 2
                 : (d == DCH_Month || d == DCH_Mon) ? 1
                                                    : 0,
                 fm, d == DCH_MON || d == DCH_Mon || d == DCH_mon);
        break;
    case DCH_DAY:
    case DCH_Day:
    case DCH_day:
    case DCH_DY:
    case DCH_Dy:
    case DCH_dy:
        if (tm->interval)
            break;
        put_name(sb, day_names[tm->wday],
                 (d == DCH_DAY || d == DCH_DY)   ? 2
                 : (d == DCH_Day || d == DCH_Dy) ? 1
                                                 : 0,
                 fm, d == DCH_DY || d == DCH_Dy || d == DCH_dy);
        break;
    case DCH_DDD:
        put_num(sb, tm->interval ? tm->mday : tm->yday, 3, fm, th);
        break;
    case DCH_DD:
        put_num(sb, tm->mday, 2, fm, th);
        break;
    case DCH_D:
        put_num(sb, tm->wday + 1, 1, fm, th);
        break;
    case DCH_WW:
        put_num(sb, (tm->yday - 1) / 7 + 1, 2, fm, th);
        break;
    case DCH_W:
        put_num(sb, (tm->mday - 1) / 7 + 1, 1, fm, th);
        break;
    case DCH_Q:
        if (!tm->interval || tm->mon)
            put_num(sb, (tm->mon - 1) / 3 + 1, 1, fm, th);
        break;
    case DCH_CC: {
        int64 cc = tm->interval ? tm->year / 100
                                : (tm->year > 0 ? (tm->year + 99) / 100
                                                : -((99 - (tm->year - 1)) / 100));
        put_num(sb, cc, 2, fm, th);
        break;
    }
    case DCH_J:
        put_num(sb, tm->days + JULIAN_EPOCH_OFFSET, 0, fm, th);
        break;
    case DCH_RM:
    case DCH_rm: {
        if (tm->mon < 1 || tm->mon > 12)
            break;
        const char *rm = roman_months[tm->mon - 1];
        char buf[8] = {0};
        size_t n = strlen(rm);
        for (size_t q = 0; q < n; q++)
            buf[q] = d == DCH_rm ? (char)(rm[q] + 32) : rm[q];
        strbuf_append(sb, buf, n);
        if (!fm)
            for (size_t q = n; q < 4; q++)
                strbuf_append_char(sb, ' ');
        break;
    }
    case DCH_TZ:
    case DCH_tz:
        /* the zone's abbreviation (timestamptz only; a timestamp has none) */
        if (tm->interval)
            interval_zone_error();
        if (with_tz && tm->tzn)
            for (const char *c = tm->tzn; *c; c++)
                strbuf_append_char(sb, d == DCH_TZ ? (char)toupper((unsigned char)*c)
                                                   : (char)tolower((unsigned char)*c));
        break;
    case DCH_OF:
    case DCH_TZH:
    case DCH_TZM: {
        /* offsets: a timestamp's is +00, as PostgreSQL prints it */
        if (tm->interval)
            interval_zone_error();
        int32 a = tm->gmtoff < 0 ? -tm->gmtoff : tm->gmtoff;
        char buf[32];
        if (d == DCH_TZM)
            snprintf(buf, sizeof buf, "%02d", (int)(a % 3600 / 60));
        else if (d == DCH_TZH)
            snprintf(buf, sizeof buf, "%c%02d", tm->gmtoff >= 0 ? '+' : '-', (int)(a / 3600));
        else if (a % 3600 != 0)
            snprintf(buf, sizeof buf, "%c%0*d:%02d", tm->gmtoff >= 0 ? '+' : '-', fm ? 0 : 2,
                     (int)(a / 3600), (int)(a % 3600 / 60));
        else
            snprintf(buf, sizeof buf, "%c%0*d", tm->gmtoff >= 0 ? '+' : '-', fm ? 0 : 2,
                     (int)(a / 3600));
        strbuf_append_str(sb, buf);
        break;
    }
    default:
        break;
    }
}

static int64 dch_disp_year(const Tm *tm)
{
    if (tm->interval)
        return tm->year;
    return tm->year > 0 ? tm->year : 1 - tm->year; /* BC years count from 1 */
}

/* Formats tm per PostgreSQL's to_char template (formatting.c DCH_to_char). */
static void dch_format(StrBuf *sb, const Tm *tm, const char *f, size_t len, bool with_tz)
{
    int64 disp_year = dch_disp_year(tm);
    for (size_t k = 0; k < len;) {
        DchTok t;
        k = dch_token(f, len, k, &t, sb); /* literal bytes straight into the output */
        if (t.d != DCH_NONE)
            dch_emit(sb, tm, t.d, t.fm, t.th, disp_year, with_tz);
    }
}

static DchProg *dch_compile(Arena *a, const char *f, size_t len)
{
    DchProg *p = arena_new(a, DchProg);
    strbuf_init(&p->lit, a);
    for (size_t k = 0; k < len;) {
        if (p->n == p->cap) {
            int nc = p->cap ? p->cap * 2 : 8;
            p->t = arena_realloc(a, p->t, sizeof(DchTok) * (size_t)p->cap, sizeof(DchTok) * (size_t)nc);
            p->cap = nc;
        }
        DchTok *t = &p->t[p->n];
        k = dch_token(f, len, k, t, &p->lit);
        if (t->d != DCH_NONE || t->len > 0 || t->fm)
            p->n++;
    }
    return p;
}

static void dch_run(StrBuf *sb, const Tm *tm, const DchProg *p, bool with_tz)
{
    int64 disp_year = dch_disp_year(tm);
    for (int i = 0; i < p->n; i++) {
        const DchTok *t = &p->t[i];
        if (t->d == DCH_NONE)
            strbuf_append(sb, p->lit.data + t->off, t->len);
        else
            dch_emit(sb, tm, t->d, t->fm, t->th, disp_year, with_tz);
    }
}

/* The cached tokens of a constant template (NULL: the template varies per row). */
static const DchProg *dch_cached(FuncCall *fc, const Batch *b, const StrView *f)
{
    if (fc->cache)
        return fc->cache;
    if (!fn_arg_is_const(fc, 1) || batch_live_count(b) == 0)
        return NULL;
    int r0 = batch_row(b, 0);
    fc->cache = dch_compile(fc->ctx->arena, f[r0].ptr, f[r0].len);
    return fc->cache;
}

void fn_to_char_ts(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    const int64 *ts = FN_I64(args[0]);
    const StrView *f = FN_SV(args[1]);
    bool tz = args[0]->type->id == TYPE_TIMESTAMPTZ;
    const DchProg *prog = dch_cached(fc, b, f);
    FN_FOREACH(b, i, r)
    {
        if (!fn_dt_finite(ts[r]) || f[r].len == 0) {
            vector_set_null(out, r); /* PostgreSQL: NULL for infinite input or empty template */
            continue;
        }
        Tm tm;
        if (tz)
            fn_dt_tstz_to_tm(ts[r], timezone_session(), &tm);
        else
            fn_dt_ts_to_tm(ts[r], &tm);
        strbuf_reset(&sb);
        if (prog)
            dch_run(&sb, &tm, prog, tz);
        else
            dch_format(&sb, &tm, f[r].ptr, f[r].len, tz);
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}

void fn_to_char_iv(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    const Interval *iv = FN_IV(args[0]);
    const StrView *f = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        if (f[r].len == 0) {
            vector_set_null(out, r);
            continue;
        }
        Tm tm;
        fn_dt_iv_to_tm(&iv[r], &tm);
        strbuf_reset(&sb);
        dch_format(&sb, &tm, f[r].ptr, f[r].len, false);
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}

/*
 * Numeric templates (formatting.c NUM_processor, common subset): digits 9
 * (blank when leading) and 0, decimal point '.'/D, group ','/G, sign S, MI,
 * PL, SG, PR, FM.  Without an explicit sign a blank or '-' precedes the first
 * digit.  Too many digits print as '#'.
 */
static void num_format(StrBuf *sb, bool neg, const char *digits, int ndig_int, const char *frac,
                       const char *f, size_t flen)
{
    int int_slots = 0, frac_slots = 0;
    bool seen_point = false, fm = false, sign_s = false, mi = false, sg = false, pr = false;
    int first_zero = -1; /* index of the first '0' among integer slots: zero-fill from there */
    for (size_t k = 0; k < flen; k++) {
        char c = f[k];
        if ((c == 'F' || c == 'f') && k + 1 < flen && (f[k + 1] == 'M' || f[k + 1] == 'm')) {
            fm = true;
            k++;
        } else if (c == '9' || c == '0') {
            if (seen_point)
                frac_slots++;
            else {
                if (c == '0' && first_zero < 0)
                    first_zero = int_slots;
                int_slots++;
            }
        } else if (c == '.' || c == 'D' || c == 'd')
            seen_point = true;
        else if (c == 'S' || c == 's')
            sign_s = true;
        else if ((c == 'M' || c == 'm') && k + 1 < flen && (f[k + 1] == 'I' || f[k + 1] == 'i'))
            mi = true, k++;
        else if ((c == 'P' || c == 'p') && k + 1 < flen && (f[k + 1] == 'L' || f[k + 1] == 'l'))
            k++; /* PL: see below */
        else if ((c == 'S' || c == 's') && k + 1 < flen && (f[k + 1] == 'G' || f[k + 1] == 'g'))
            sg = true, k++;
        else if ((c == 'P' || c == 'p') && k + 1 < flen && (f[k + 1] == 'R' || f[k + 1] == 'r'))
            pr = true, k++;
    }
    (void)frac_slots;
    bool overflow = ndig_int > int_slots;
    /* PL prints '+' where it stands but keeps the sign position, as PostgreSQL */
    bool explicit_sign = sign_s || mi || sg || pr;
    bool sign_done = explicit_sign;
    size_t start = sb->len;
    /* Without S/MI/SG/PR the sign ('-', or a blank) goes right before the first digit or point. */
#define SIGN_BEFORE_NUMBER()                                                                       \
    do {                                                                                           \
        if (!sign_done) {                                                                          \
            sign_done = true;                                                                      \
            if (neg)                                                                               \
                strbuf_append_char(sb, '-');                                                       \
            else if (!fm)                                                                          \
                strbuf_append_char(sb, ' ');                                                       \
        }                                                                                          \
    } while (0)
    int int_pos = 0, frac_pos = 0;
    bool started = false; /* a digit (or forced zero) has been written */
    seen_point = false;
    for (size_t k = 0; k < flen; k++) {
        char c = f[k];
        if ((c == 'F' || c == 'f') && k + 1 < flen && (f[k + 1] == 'M' || f[k + 1] == 'm')) {
            k++;
            continue;
        }
        if (c == '9' || c == '0') {
            if (!seen_point) {
                int idx = int_pos - (int_slots - ndig_int); /* digit index for this slot */
                int_pos++;
                if (overflow) {
                    SIGN_BEFORE_NUMBER();
                    strbuf_append_char(sb, '#');
                } else if (idx >= 0) {
                    SIGN_BEFORE_NUMBER();
                    strbuf_append_char(sb, digits[idx]);
                    started = true;
                } else if (c == '0' || (first_zero >= 0 && int_pos - 1 >= first_zero) ||
                           (int_pos == int_slots && ndig_int == 0 && frac_slots == 0)) {
                    SIGN_BEFORE_NUMBER();
                    strbuf_append_char(sb, '0');
                    started = true;
                } else if (!fm)
                    strbuf_append_char(sb, ' ');
            } else {
                SIGN_BEFORE_NUMBER();
                strbuf_append_char(sb, overflow ? '#' : frac[frac_pos]);
                frac_pos++;
            }
        } else if (c == '.' || c == 'D' || c == 'd') {
            SIGN_BEFORE_NUMBER();
            seen_point = true;
            strbuf_append_char(sb, '.');
        } else if (c == ',' || c == 'G' || c == 'g') {
            if (started || seen_point)
                strbuf_append_char(sb, ',');
            else if (!fm)
                strbuf_append_char(sb, ' ');
        } else if ((c == 'S' || c == 's') &&
                   !(k + 1 < flen && (f[k + 1] == 'G' || f[k + 1] == 'g')))
            strbuf_append_char(sb, neg ? '-' : '+');
        else if ((c == 'M' || c == 'm') && k + 1 < flen && (f[k + 1] == 'I' || f[k + 1] == 'i')) {
            k++;
            if (neg)
                strbuf_append_char(sb, '-');
            else if (!fm)
                strbuf_append_char(sb, ' ');
        } else if ((c == 'P' || c == 'p') && k + 1 < flen && (f[k + 1] == 'L' || f[k + 1] == 'l')) {
            k++;
            if (!neg)
                strbuf_append_char(sb, '+');
            else if (!fm)
                strbuf_append_char(sb, ' ');
        } else if ((c == 'S' || c == 's') && k + 1 < flen && (f[k + 1] == 'G' || f[k + 1] == 'g')) {
            k++;
            strbuf_append_char(sb, neg ? '-' : '+');
        } else if ((c == 'P' || c == 'p') && k + 1 < flen && (f[k + 1] == 'R' || f[k + 1] == 'r'))
            k++;
        else
            strbuf_append_char(sb, c);
    }
    if (pr) {
        /* <123> for negatives, blanks around positives */
        size_t body = start;
        StrBuf *s = sb;
        if (neg) {
            strbuf_append_char(s, '>');
            strbuf_reserve(s, 1);
            memmove(s->data + body + 1, s->data + body, s->len - body);
            s->data[body] = '<';
            s->len++;
            s->data[s->len] = '\0';
        } else if (!fm) {
            strbuf_append_char(s, ' ');
            strbuf_reserve(s, 1);
            memmove(s->data + body + 1, s->data + body, s->len - body);
            s->data[body] = ' ';
            s->len++;
            s->data[s->len] = '\0';
        }
    }
#undef SIGN_BEFORE_NUMBER
    if (fm) {
        /* FM also trims trailing zeros that came from '9' fraction slots */
        const char *fp = memchr(f, '.', flen);
        if (!fp)
            fp = memchr(f, 'D', flen);
        if (fp && !overflow) {
            size_t fl = flen - (size_t)(fp - f) - 1;
            size_t k = sb->len;
            size_t fi = fl;
            while (k > start && fi > 0 && sb->data[k - 1] == '0' && fp[fi] == '9') {
                k--;
                fi--;
            }
            sb->len = k;
            sb->data[k] = '\0';
        }
    }
}

/* Digits of |v| (scale `scale`) rounded to fdig fraction digits into int/frac strings. */
static void dec_to_digits(int128 v, int scale, int fdig, char *ibuf, int *nint, char *fbuf)
{
    if (v < 0)
        v = -v;
    if (fdig < scale) {
        int128 d = decimal_pow10[scale - fdig];
        int128 q = v / d, rem = v % d;
        if (rem * 2 >= d)
            q++;
        v = q;
        scale = fdig;
    }
    int128 ip = v / decimal_pow10[scale], fp = v % decimal_pow10[scale];
    char tmp[48];
    int n = ip == 0 ? 0 : decimal_digits(ip, tmp);
    memcpy(ibuf, tmp, n);
    *nint = n;
    char ft[48];
    int fn = decimal_digits(fp, ft);
    /* left-pad the fraction to `scale` digits, then right-pad with zeros to fdig */
    int k = 0;
    for (; k < scale - fn; k++)
        fbuf[k] = '0';
    if (fp != 0)
        memcpy(fbuf + k, ft, fn), k += fn;
    else
        for (; k < scale; k++)
            fbuf[k] = '0';
    for (; k < fdig; k++)
        fbuf[k] = '0';
    fbuf[k] = '\0';
}

static int count_frac_slots(const char *f, size_t len)
{
    bool seen = false;
    int n = 0;
    for (size_t k = 0; k < len; k++) {
        if (f[k] == '.' || f[k] == 'D' || f[k] == 'd')
            seen = true;
        else if (seen && (f[k] == '9' || f[k] == '0'))
            n++;
    }
    return n;
}

static void to_char_num_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    OutBuf ob;
    outbuf_init(&ob, fc, out);
    StrBuf sb;
    strbuf_init(&sb, ob.arena);
    const StrView *f = FN_SV(args[1]);
    TypeId t = args[0]->type->id;
    FN_FOREACH(b, i, r)
    {
        int fdig = count_frac_slots(f[r].ptr, f[r].len);
        if (fdig > 30)
            fdig = 30;
        int128 v;
        int scale;
        bool neg = false;
        if (t == TYPE_DECIMAL)
            v = FN_I128(args[0])[r], scale = args[0]->type->scale;
        else if (t == TYPE_INT32)
            v = FN_I32(args[0])[r], scale = 0;
        else if (t == TYPE_INT64)
            v = FN_I64(args[0])[r], scale = 0;
        else {
            double d = t == TYPE_FLOAT32 ? FN_F32(args[0])[r] : FN_F64(args[0])[r];
            /* float8: PostgreSQL formats 15 significant digits; round to the template */
            if (!isfinite(d) || fabs(d) >= 1e30) {
                strbuf_reset(&sb);
                num_format(&sb, d < 0, "", 99, "", f[r].ptr, f[r].len); /* all '#' */
                fn_put_str(&ob, out, r, sb.data, sb.len);
                continue;
            }
            scale = fdig;
            v = (int128)rint(d * pow(10, fdig)); /* half to even, as printf */
            if (fabs(d) * pow(10, fdig) > 9e18)
                v = (int128)(d * pow(10, fdig));
            neg = signbit(d) != 0; /* -0.0 prints with its sign, as PostgreSQL */
        }
        char ibuf[48], fbuf[64];
        int nint;
        dec_to_digits(v, scale, fdig, ibuf, &nint, fbuf);
        strbuf_reset(&sb);
        num_format(&sb, neg || v < 0, ibuf, nint, fbuf, f[r].ptr, f[r].len);
        fn_put_str(&ob, out, r, sb.data, sb.len);
    }
}
void fn_to_char_num(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    to_char_num_rows(fc, args, b, out);
}

/* ---------- to_timestamp(text, fmt) / to_date ---------- */

static LM_NORETURN void parse_error(FuncCall *fc, const char *what, const char *s, size_t len)
{
    ereport(ERROR, errcode(ERRCODE_INVALID_DATETIME_FORMAT),
            errmsg("invalid value \"%.*s\" for \"%s\"", (int)(len > 20 ? 20 : len), s, what),
            errposition(fn_errpos(fc)));
}

static int64 read_int(FuncCall *fc, const char *s, size_t len, size_t *pos, int maxd,
                      const char *what, bool *neg_ok)
{
    size_t st = *pos;
    bool neg = false;
    if (neg_ok && *pos < len && (s[*pos] == '-' || s[*pos] == '+')) {
        neg = s[*pos] == '-';
        (*pos)++;
    }
    int64 v = 0;
    int n = 0;
    while (*pos < len && n < maxd && s[*pos] >= '0' && s[*pos] <= '9') {
        v = v * 10 + (s[*pos] - '0');
        (*pos)++;
        n++;
    }
    if (n == 0)
        parse_error(fc, what, s + st, len - st);
    return neg ? -v : v;
}

static int match_name(const char *s, size_t len, const char *const *names, int count, bool abbrev,
                      size_t *used)
{
    for (int k = 0; k < count; k++) {
        size_t n = abbrev ? 3 : strlen(names[k]);
        if (n <= len && strncasecmp(s, names[k], n) == 0) {
            *used = n;
            return k;
        }
    }
    return -1;
}

/* Parses s per template f into a timestamp (microseconds); with tz (to_timestamp) a time
 * without TZH/TZM is a wall time in tz, converted to UTC; without (to_date) the wall time. */
static int64 dch_parse(FuncCall *fc, const char *s, size_t slen, const char *f, size_t flen,
                       const TimeZone *tz)
{
    bool have_tz = false;
    int64 year = 0, doy = 0; /* no year given: year 0, i.e. 1 BC, as PostgreSQL */
    int mon = 1, mday = 1, hour = 0, min = 0, sec = 0, usec = 0;
    int ampm = -1, tzsign = 1;
    int64 tzh = 0, tzm = 0;
    bool have_year = false;
    size_t p = 0;
    for (size_t k = 0; k < flen;) {
        if (flen - k >= 2 && (f[k] == 'F' || f[k] == 'f') && (f[k + 1] == 'M' || f[k + 1] == 'm')) {
            k += 2;
            continue;
        }
        if (f[k] == '"') {
            for (k++; k < flen && f[k] != '"'; k++)
                if (p < slen)
                    p++;
            k++;
            continue;
        }
        size_t kwl = 0;
        Dch d = dch_match(f + k, flen - k, &kwl);
        if (d == DCH_NONE) {
            /* a separator or space in the template skips one non-alphanumeric input char */
            if (f[k] == ' ') {
                while (p < slen && s[p] == ' ')
                    p++;
            } else if (p < slen && !((s[p] >= '0' && s[p] <= '9') || (s[p] >= 'a' && s[p] <= 'z') ||
                                     (s[p] >= 'A' && s[p] <= 'Z')))
                p++;
            k++;
            continue;
        }
        k += kwl;
        if (flen - k >= 2 && (strncmp(f + k, "th", 2) == 0 || strncmp(f + k, "TH", 2) == 0))
            k += 2;
        while (p < slen && s[p] == ' ' && d != DCH_NONE)
            p++;
        size_t used = 0;
        switch (d) {
        case DCH_YYYY:
        case DCH_IYYY:
            /* all digits when a separator follows, else exactly four (PostgreSQL) */
            year =
                read_int(fc, s, slen, &p,
                         k < flen && ((f[k] >= '0' && f[k] <= '9') ||
                                      (f[k] >= 'A' && f[k] <= 'Z') || (f[k] >= 'a' && f[k] <= 'z'))
                             ? 4
                             : 9,
                         "YYYY", NULL);
            have_year = true;
            break;
        case DCH_Y_YYY: {
            int64 th = read_int(fc, s, slen, &p, 3, "Y,YYY", NULL);
            if (p < slen && s[p] == ',')
                p++;
            year = th * 1000 + read_int(fc, s, slen, &p, 3, "Y,YYY", NULL);
            have_year = true;
            break;
        }
        case DCH_YYY:
            year = read_int(fc, s, slen, &p, 3, "YYY", NULL);
            year += year < 70 ? 2000 : 1000;
            have_year = true;
            break;
        case DCH_YY:
            year = read_int(fc, s, slen, &p, 2, "YY", NULL);
            year += year < 70 ? 2000 : 1900;
            have_year = true;
            break;
        case DCH_Y:
            year = read_int(fc, s, slen, &p, 1, "Y", NULL) + 2000;
            have_year = true;
            break;
        case DCH_MM:
            mon = (int)read_int(fc, s, slen, &p, 2, "MM", NULL);
            break;
        case DCH_DD:
            mday = (int)read_int(fc, s, slen, &p, 2, "DD", NULL);
            break;
        case DCH_DDD:
            doy = read_int(fc, s, slen, &p, 3, "DDD", NULL);
            break;
        case DCH_HH24:
            hour = (int)read_int(fc, s, slen, &p, 2, "HH24", NULL);
            break;
        case DCH_HH:
        case DCH_HH12:
            hour = (int)read_int(fc, s, slen, &p, 2, d == DCH_HH ? "HH" : "HH12", NULL);
            if (hour < 1 || hour > 12)
                ereport(ERROR, errcode(ERRCODE_INVALID_DATETIME_FORMAT),
                        errmsg("hour \"%d\" is invalid for the 12-hour clock", hour),
                        errhint("Use the 24-hour clock, or give an hour between 1 and 12."),
                        errposition(fn_errpos(fc)));
            break;
        case DCH_MI:
            min = (int)read_int(fc, s, slen, &p, 2, "MI", NULL);
            break;
        case DCH_SS:
            sec = (int)read_int(fc, s, slen, &p, 2, "SS", NULL);
            break;
        case DCH_MS: {
            size_t st = p;
            int64 v = read_int(fc, s, slen, &p, 3, "MS", NULL);
            for (size_t q = p - st; q < 3; q++)
                v *= 10;
            usec = (int)(v * 1000);
            break;
        }
        case DCH_US:
        case DCH_FF1:
        case DCH_FF2:
        case DCH_FF3:
        case DCH_FF4:
        case DCH_FF5:
        case DCH_FF6: {
            size_t st = p;
            int64 v = read_int(fc, s, slen, &p, 6, "US", NULL);
            for (size_t q = p - st; q < 6; q++)
                v *= 10;
            usec = (int)v;
            break;
        }
        case DCH_AM:
        case DCH_PM:
        case DCH_am:
        case DCH_pm:
            if (slen - p >= 2 &&
                (strncasecmp(s + p, "AM", 2) == 0 || strncasecmp(s + p, "PM", 2) == 0)) {
                ampm = (s[p] == 'P' || s[p] == 'p');
                p += 2;
            } else
                parse_error(fc, "AM", s + p, slen - p);
            break;
        case DCH_AM_DOTS:
        case DCH_PM_DOTS:
        case DCH_am_dots:
        case DCH_pm_dots:
            if (slen - p >= 4 &&
                (strncasecmp(s + p, "A.M.", 4) == 0 || strncasecmp(s + p, "P.M.", 4) == 0)) {
                ampm = (s[p] == 'P' || s[p] == 'p');
                p += 4;
            } else
                parse_error(fc, "A.M.", s + p, slen - p);
            break;
        case DCH_MONTH:
        case DCH_Month:
        case DCH_month: {
            int m = match_name(s + p, slen - p, month_names, 12, false, &used);
            if (m < 0)
                parse_error(fc, "Month", s + p, slen - p);
            mon = m + 1;
            p += used;
            break;
        }
        case DCH_MON:
        case DCH_Mon:
        case DCH_mon: {
            int m = match_name(s + p, slen - p, month_names, 12, true, &used);
            if (m < 0)
                parse_error(fc, "Mon", s + p, slen - p);
            mon = m + 1;
            p += used;
            break;
        }
        case DCH_DAY:
        case DCH_Day:
        case DCH_day: {
            int m = match_name(s + p, slen - p, day_names, 7, false, &used);
            if (m < 0)
                parse_error(fc, "Day", s + p, slen - p);
            p += used;
            break;
        }
        case DCH_DY:
        case DCH_Dy:
        case DCH_dy: {
            int m = match_name(s + p, slen - p, day_names, 7, true, &used);
            if (m < 0)
                parse_error(fc, "Dy", s + p, slen - p);
            p += used;
            break;
        }
        case DCH_TZH: {
            if (p < slen && (s[p] == '-' || s[p] == '+')) {
                tzsign = s[p] == '-' ? -1 : 1;
                p++;
            }
            tzh = read_int(fc, s, slen, &p, 2, "TZH", NULL);
            have_tz = true;
            break;
        }
        case DCH_TZM:
            tzm = read_int(fc, s, slen, &p, 2, "TZM", NULL);
            have_tz = true;
            break;
        case DCH_J: {
            int64 j = read_int(fc, s, slen, &p, 9, "J", NULL);
            int64 y;
            int m, dd;
            date_to_ymd(j - JULIAN_EPOCH_OFFSET, &y, &m, &dd);
            year = y, mon = m, mday = dd, have_year = true;
            break;
        }
        case DCH_TZ:
        case DCH_tz:
        case DCH_OF:
            ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("formatting field \"%s\" is only supported in to_char",
                           d == DCH_OF ? "OF" : "TZ"),
                    errposition(fn_errpos(fc)));
        default:
            /* fields that do not set the value (D, Q, WW, CC, ...) consume their digits */
            while (p < slen && s[p] >= '0' && s[p] <= '9')
                p++;
            break;
        }
    }
    if (ampm >= 0) {
        if (hour == 12)
            hour = 0;
        if (ampm)
            hour += 12;
    }
    (void)have_year;
    if (doy > 0) {
        mon = 1;
        mday = 1;
    }
    if (mon < 1 || mon > 12)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                errmsg("date/time field value out of range: \"%.*s\"", (int)slen, s),
                errposition(fn_errpos(fc)));
    if (mday < 1 || mday > date_days_in_month(year, mon) || hour > 24 || min > 59 || sec > 60)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                errmsg("date/time field value out of range: \"%.*s\"", (int)slen, s),
                errposition(fn_errpos(fc)));
    if (year < -4712 || year > 294276)
        ereport(ERROR, errcode(ERRCODE_DATETIME_FIELD_OVERFLOW), errmsg("timestamp out of range"),
                errposition(fn_errpos(fc)));
    int64 days = date_from_ymd(year, mon, mday) + (doy > 0 ? doy - 1 : 0);
    int64 ts = days * USECS_PER_DAY + (int64)hour * USECS_PER_HOUR + (int64)min * USECS_PER_MINUTE +
               (int64)sec * USECS_PER_SEC + usec;
    if (have_tz)
        ts -= tzsign * (tzh * USECS_PER_HOUR + tzm * USECS_PER_MINUTE);
    else if (tz)
        ts = timezone_local_to_utc(tz, ts);
    return ts;
}

void fn_to_timestamp_text(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *s = FN_SV(args[0]), *f = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        FN_I64(out)[r] = dch_parse(fc, s[r].ptr, s[r].len, f[r].ptr, f[r].len, timezone_session());
        vector_set_valid(out, r);
    }
}

void fn_to_date(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    const StrView *s = FN_SV(args[0]), *f = FN_SV(args[1]);
    FN_FOREACH(b, i, r)
    {
        int64 ts = dch_parse(fc, s[r].ptr, s[r].len, f[r].ptr, f[r].len, NULL);
        FN_I32(out)[r] = (int32)fn_dt_floordiv(ts, USECS_PER_DAY);
        vector_set_valid(out, r);
    }
}
