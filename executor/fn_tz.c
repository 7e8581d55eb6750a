/*
 * fn_tz.c: timezone(zone, ts) / AT TIME ZONE, and the zone-name resolution
 * the other date/time kernels share (date_trunc(unit, ts, zone)).
 *
 * A zone argument is resolved as PostgreSQL's timestamptz_zone does: first
 * as one of the default time zone abbreviations (EST, CET, Z: fixed
 * offsets, even where a zone file of the same name has DST), then as a zone
 * name through common/timezone.h (tz database files, and POSIX specs such as
 * '+05:30' or 'UTC+3', which are WEST of Greenwich).  Unknown names: 22023
 * (without a position, as PostgreSQL reports it from the function).
 * An interval zone is an ISO offset (east).  Zones are loaded once per
 * process (common/timezone.c caches them); a kernel resolves each distinct
 * zone text once per batch.
 */
#include "executor/fn_datetime_int.h"

const TimeZone *fn_dt_zone(FuncCall *fc, const char *name, size_t len)
{
    int32 off;
    const TimeZone *tz, *dyn;
    if (timezone_abbrev_lookup(name, len, &off, NULL, &dyn))
        tz = dyn ? dyn : timezone_fixed(off);
    else
        tz = timezone_load(name, len);
    if (tz == NULL)
        ereport(ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                errmsg("time zone \"%.*s\" not recognized", (int)len, name));
    return tz;
}

/* A zone argument resolved once per distinct text within a batch. */
typedef struct ZoneRef {
    const char *text;
    uint32 len;
    const TimeZone *tz;
} ZoneRef;

static const TimeZone *zone_resolve(FuncCall *fc, ZoneRef *z, const StrView *sv)
{
    if (z->tz == NULL || z->len != sv->len || memcmp(z->text, sv->ptr, sv->len) != 0) {
        z->tz = fn_dt_zone(fc, sv->ptr, sv->len);
        z->text = sv->ptr;
        z->len = sv->len;
    }
    return z->tz;
}

/* timezone(zone, timestamptz) -> local timestamp; timezone(zone, timestamp) -> timestamptz. */
static void tz_rows(FuncCall *fc, Vector **args, const Batch *b, Vector *out, bool to_local)
{
    bool by_interval = args[0]->type->id == TYPE_INTERVAL;
    const int64 *ts = FN_I64(args[1]);
    ZoneRef z = {0};
    FN_FOREACH(b, i, r)
    {
        int64 v = ts[r];
        if (by_interval) {
            const Interval *iv = &FN_IV(args[0])[r];
            if (iv->months != 0 || iv->days != 0) {
                StrBuf text;
                strbuf_init(&text, fc->scratch);
                datetime_format_interval(iv, &text);
                ereport(
                    ERROR, errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("interval time zone \"%s\" must not include months or days", text.data));
            }
            if (fn_dt_finite(v))
                v = to_local ? v + iv->micros : v - iv->micros;
        } else {
            const TimeZone *tz = zone_resolve(fc, &z, &FN_SV(args[0])[r]);
            v = to_local ? timezone_utc_to_local(tz, v) : timezone_local_to_utc(tz, v);
        }
        FN_I64(out)[r] = v;
        vector_set_valid(out, r);
    }
}

void fn_timezone_tstz(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    tz_rows(fc, args, b, out, true);
}

void fn_timezone_ts(FuncCall *fc, Vector **args, const Batch *b, Vector *out)
{
    tz_rows(fc, args, b, out, false);
}
