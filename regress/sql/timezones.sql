--
-- timezones: the TimeZone setting as PostgreSQL 15 honours it.  SET TIME
-- ZONE forms (names, numbers, INTERVAL, POSIX specs, LOCAL/DEFAULT) and
-- their canonical SHOW value; TIMESTAMPTZ output in the session zone with
-- PostgreSQL's offset format (+00, +05:30, -04:56:02); input without an
-- offset read in the zone, across DST gaps and overlaps (New York, Lord
-- Howe's 30-minute DST); casts to and from date/timestamp/time; AT TIME
-- ZONE; date_trunc, extract, to_char, age, make_timestamptz, to_timestamp,
-- timestamptz +/- interval and generate_series in the zone; LMT before
-- the first transition and the POSIX rule far in the future.  The expected
-- output is PostgreSQL 15's for the same file.
--
\set VERBOSITY default

-- the setting: canonical names, numbers, intervals, POSIX specs
SHOW TimeZone;
SET TIME ZONE 'america/new_york';
SHOW TimeZone;
SET timezone TO 'Europe/Paris';
SHOW TimeZone;
SET TIME ZONE -7;
SHOW TimeZone;
SET TIME ZONE 5.5;
SHOW TimeZone;
SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE;
SHOW TimeZone;
SET TIME ZONE INTERVAL '-03:30';
SHOW TimeZone;
SET TIME ZONE INTERVAL '2' HOUR;
SHOW TimeZone;
SET TIME ZONE INTERVAL '90' HOUR TO MINUTE;
SHOW TimeZone;
SET TIME ZONE INTERVAL '+05:45:30' HOUR TO MINUTE;
SHOW TimeZone;
SET TIME ZONE '+05:30';
SHOW TimeZone;
SET TIME ZONE 'utc+3';
SHOW TimeZone;
SET TIME ZONE 'gmt';
SHOW TimeZone;
SET TIME ZONE 'Etc/GMT+5';
SHOW TimeZone;
SET TIME ZONE 'EST5EDT';
SHOW TimeZone;
SET TIME ZONE 'Mars/Olympus_Mons';
SET TIME ZONE 'pst';
SET TIME ZONE 'Z';
SET TIME ZONE INTERVAL '1 day';
SET TIME ZONE 200;
SHOW TimeZone;
SET TIME ZONE LOCAL;
SELECT '2024-07-01 12:00:00+00'::timestamptz AS local_is_utc;
SET TIME ZONE 'Asia/Kolkata';
SET TIME ZONE DEFAULT;
SELECT '2024-07-01 12:00:00+00'::timestamptz AS default_is_utc;
RESET TimeZone;
SELECT current_setting('TimeZone') = 'UTC' AS reset_to_utc;
-- SET LOCAL ends with the transaction, ROLLBACK undoes SET
BEGIN;
SET LOCAL TIME ZONE 'Asia/Tokyo';
SELECT '2024-01-01 00:00:00+00'::timestamptz AS in_tokyo;
COMMIT;
SELECT '2024-01-01 00:00:00+00'::timestamptz AS back_in_utc;
BEGIN;
SET TIME ZONE 'Asia/Tokyo';
ROLLBACK;
SELECT '2024-01-01 00:00:00+00'::timestamptz AS still_utc;

-- output: the same instants in several zones
CREATE TABLE instants (id int PRIMARY KEY, t timestamptz);
INSERT INTO instants VALUES
    (1, '2024-01-15 12:00:00+00'), (2, '2024-07-15 12:00:00+00'),
    (3, '2024-03-10 06:59:59+00'), (4, '2024-03-10 07:00:00+00'),
    (5, '2024-11-03 05:30:00+00'), (6, '2024-11-03 06:30:00+00'),
    (7, '2024-10-05 15:29:59.5+00'), (8, '2024-10-05 15:30:00+00'),
    (9, '1800-01-01 00:00:00+00'), (10, '2150-07-04 12:00:00+00'),
    (11, '0044-03-15 12:00:00+00'), (12, 'infinity'), (13, '-infinity');
SET TIME ZONE 'UTC';
SELECT id, t FROM instants ORDER BY id;
SET TIME ZONE 'America/New_York';
SELECT id, t FROM instants ORDER BY id;
SET TIME ZONE 'Asia/Kolkata';
SELECT id, t FROM instants ORDER BY id;
SET TIME ZONE 'Australia/Lord_Howe';
SELECT id, t FROM instants ORDER BY id;
SET TIME ZONE 'Europe/Paris';
SELECT id, t FROM instants ORDER BY id;
SET TIME ZONE '+05:30';
SELECT id, t FROM instants WHERE id <= 2 ORDER BY id;
SET TIME ZONE INTERVAL '+05:30:15';
SELECT id, t FROM instants WHERE id <= 2 ORDER BY id;
SET TIME ZONE -3;
SELECT id, t FROM instants WHERE id <= 2 ORDER BY id;
-- far past and future: transitions tables end, then the POSIX rule of the file's footer
-- (both hemispheres, negative DST in Dublin, 24:00 rule times in Santiago)
SELECT z, timestamptz '2150-01-15 12:00:00+00' AT TIME ZONE z AS jan_2150,
       timestamptz '2150-07-15 12:00:00+00' AT TIME ZONE z AS jul_2150,
       timestamptz '2038-03-28 00:30:00+00' AT TIME ZONE z AS mar_2038,
       timestamptz '1880-06-01 00:00:00+00' AT TIME ZONE z AS jun_1880
FROM (VALUES ('Australia/Lord_Howe'), ('America/Sao_Paulo'), ('Europe/London'), ('Europe/Dublin'),
             ('America/Santiago'), ('Pacific/Chatham'), ('Asia/Tehran'), ('Africa/Casablanca'),
             ('Pacific/Apia'), ('America/Godthab')) AS v(z);
SET TIME ZONE 'Europe/Dublin';
SELECT '2150-01-15 12:00'::timestamptz AS dublin_winter, '2150-07-15 12:00'::timestamptz AS dublin_summer,
       to_char('2150-01-15 12:00'::timestamptz, 'TZ') AS winter_abbrev, to_char('2150-07-15 12:00'::timestamptz, 'TZ') AS summer_abbrev;
SET TIME ZONE 'Asia/Kolkata';
SELECT '1900-01-01 00:00:00+00'::timestamptz AS madras_time;
SELECT to_json('2024-01-15 12:00:00+00'::timestamptz) AS json;

-- input without an offset is local time; with one, as given
SET TIME ZONE 'America/New_York';
SELECT '2024-01-15 12:00'::timestamptz AS winter, '2024-07-15 12:00'::timestamptz AS summer;
SELECT '2024-03-10 01:59:59'::timestamptz AS before_gap, '2024-03-10 02:30'::timestamptz AS in_gap,
       '2024-03-10 03:00'::timestamptz AS after_gap;
SELECT '2024-11-03 00:59:59'::timestamptz AS before_overlap, '2024-11-03 01:30'::timestamptz AS in_overlap,
       '2024-11-03 02:00'::timestamptz AS after_overlap;
SELECT '2024-03-10 02:30-05'::timestamptz AS explicit_est, '2024-11-03 01:30-04'::timestamptz AS explicit_edt;
SELECT '2024-01-15 12:00 Europe/Paris'::timestamptz AS named, '2024-07-15 12:00 Asia/Kolkata'::timestamptz AS named2,
       '2024-07-15 12:00 EST'::timestamptz AS abbrev, '2024-07-15 12:00 CEST'::timestamptz AS abbrev2,
       '2024-07-15T12:00:00Z'::timestamptz AS zulu, '2024-07-15 12:00 UTC'::timestamptz AS utc;
SELECT '2024-07-15 12:00 MSK'::timestamptz AS dynamic_abbrev, '2012-07-15 12:00 MSK'::timestamptz AS dynamic_abbrev_2012,
       '2024-07-15 12:00 AEST'::timestamptz AS aest, '2024-07-15 12:00 nzdt'::timestamptz AS nzdt;
-- a date with an offset, as JDBC sends setDate() values
SELECT '2024-02-11 +00'::date AS jdbc_date, '2024-02-11 +00'::timestamptz AS date_utc,
       '2024-02-11 -05'::timestamptz AS date_est, '2024-02-11 +05:30'::timestamp AS offset_ignored;
SELECT '2024-07-15 12:00 Mars/Base'::timestamptz;
SELECT '2024-07-15 12:00 Marsbase'::timestamptz;
SET TIME ZONE 'Australia/Lord_Howe';
SELECT '2024-10-06 01:59'::timestamptz AS before_gap, '2024-10-06 02:15'::timestamptz AS in_gap,
       '2024-10-06 02:30'::timestamptz AS after_gap;
SELECT '2024-04-07 01:29'::timestamptz AS before_overlap, '2024-04-07 01:45'::timestamptz AS in_overlap,
       '2024-04-07 02:00'::timestamptz AS after_overlap;
SET TIME ZONE 'Europe/Paris';
SELECT '2024-03-31 02:30'::timestamptz AS gap, '2024-10-27 02:30'::timestamptz AS overlap;
SELECT '2150-01-01 00:00'::timestamptz AS far_winter, '2150-07-01 00:00'::timestamptz AS far_summer;
SET TIME ZONE 'UTC+3';
SELECT '2024-01-15 12:00'::timestamptz AS posix_west;
SET TIME ZONE 'Asia/Kolkata';
SELECT 'today'::timestamptz = current_date::timestamptz AS today_is_local_midnight,
       now()::date = current_date AS now_date_is_current_date,
       now()::date = (now() AT TIME ZONE 'Asia/Kolkata')::date AS now_date_in_zone,
       localtimestamp = now()::timestamp AS localtimestamp_is_local;

-- casts
SET TIME ZONE 'America/New_York';
SELECT '2024-03-10'::date::timestamptz AS date_to_tstz, '2024-11-03'::date::timestamptz AS date_to_tstz2;
SELECT '2024-07-15 03:00:00+00'::timestamptz::date AS tstz_to_date,
       '2024-07-15 03:00:00+00'::timestamptz::timestamp AS tstz_to_ts,
       '2024-07-15 03:00:00+00'::timestamptz::time AS tstz_to_time;
SELECT '2024-03-10 02:30'::timestamp::timestamptz AS ts_to_tstz, '2024-11-03 01:30'::timestamp::timestamptz AS ts_to_tstz2;
SELECT '2024-07-15 12:00:00+00'::timestamptz::text AS as_text;
SET TIME ZONE 'Asia/Kolkata';
SELECT '2024-07-15 20:00:00+00'::timestamptz::date AS next_day_in_kolkata;

-- AT TIME ZONE / timezone()
SET TIME ZONE 'UTC';
SELECT t AT TIME ZONE 'America/New_York' AS ny, t AT TIME ZONE 'Asia/Kolkata' AS kolkata,
       t AT TIME ZONE 'Australia/Lord_Howe' AS lord_howe, t AT TIME ZONE 'Europe/Paris' AS paris
FROM instants WHERE id <= 8 ORDER BY id;
SELECT timestamp '2024-03-10 02:30' AT TIME ZONE 'America/New_York' AS gap,
       timestamp '2024-11-03 01:30' AT TIME ZONE 'America/New_York' AS overlap,
       timestamp '2024-07-15 12:00' AT TIME ZONE 'EST' AS abbrev,
       timestamp '2024-07-15 12:00' AT TIME ZONE 'CET' AS cet_abbrev_is_fixed,
       timestamp '2024-07-15 12:00' AT TIME ZONE '+05:30' AS posix,
       timestamp '2024-07-15 12:00' AT TIME ZONE 'UTC+3' AS posix2,
       timestamp '2024-07-15 12:00' AT TIME ZONE INTERVAL '+05:30' AS by_interval;
SELECT timestamptz '2024-07-15 12:00:00+00' AT TIME ZONE 'MSK' AS msk,
       timestamptz '2012-07-15 12:00:00+00' AT TIME ZONE 'msk' AS msk_2012,
       timestamp '2024-07-15 12:00' AT TIME ZONE 'MSK' AS from_msk;
SELECT timezone('Asia/Tokyo', timestamptz '2024-07-15 12:00:00+00') AS tokyo,
       timezone('asia/tokyo', timestamp '2024-07-15 12:00') AS from_tokyo;
SELECT timestamptz '2024-07-15 12:00:00+00' AT TIME ZONE 'Nowhere/Land';
SELECT timestamptz '2024-07-15 12:00:00+00' AT TIME ZONE INTERVAL '1 day';
SET TIME ZONE 'Europe/Paris';
SELECT timestamp '2024-07-15 12:00' AT TIME ZONE 'America/New_York' AS ny_noon_in_paris;

-- date_trunc in the session zone, and in a given zone
SET TIME ZONE 'America/New_York';
SELECT u, date_trunc(u, timestamptz '2024-11-03 05:30:00+00') AS first_130,
       date_trunc(u, timestamptz '2024-11-03 06:30:00+00') AS second_130
FROM (VALUES ('minute'), ('hour'), ('day'), ('week'), ('month'), ('quarter'), ('year'), ('decade'), ('century'))
    AS v(u);
SELECT date_trunc('day', timestamptz '2024-03-10 12:00:00-04') AS gap_day,
       date_trunc('day', timestamptz '2024-03-10 12:00:00-04', 'Asia/Kolkata') AS in_kolkata,
       date_trunc('month', timestamptz '2024-03-10 12:00:00-04', 'Australia/Lord_Howe') AS in_lord_howe,
       date_trunc('hour', timestamptz '2024-03-10 12:45:00-04', 'Asia/Kolkata') AS hour_in_kolkata;
SET TIME ZONE 'Asia/Kolkata';
SELECT date_trunc('hour', timestamptz '2024-07-15 12:45:00+00') AS half_hour_zone,
       date_trunc('day', timestamptz '2024-07-15 20:00:00+00') AS day;

-- extract / date_part in the zone
SET TIME ZONE 'America/St_Johns';
SELECT date_part('hour', t) AS hour, date_part('day', t) AS day, date_part('timezone', t) AS tz,
       date_part('timezone_hour', t) AS tz_hour, date_part('timezone_minute', t) AS tz_minute,
       date_part('epoch', t) AS epoch, date_part('dow', t) AS dow
FROM instants WHERE id IN (1, 2, 5) ORDER BY id;
SET TIME ZONE 'Asia/Kolkata';
SELECT date_part('timezone', timestamptz '1900-01-01 00:00:00+00') AS lmt_offset,
       date_part('julian', timestamptz '2024-01-01 00:00:00+00') AS julian,
       date_part('hour', timestamptz '2024-01-01 20:00:00+00') AS hour,
       date_part('day', timestamptz '2024-01-01 20:00:00+00') AS day;

-- to_char zone fields
SET TIME ZONE 'America/New_York';
SELECT to_char(t, 'YYYY-MM-DD HH24:MI:SS TZ tz OF TZH:TZM FMOF') FROM instants WHERE id IN (1, 2, 9) ORDER BY id;
SET TIME ZONE 'Asia/Kolkata';
SELECT to_char(timestamptz '2024-01-15 12:00:00+00', 'HH24:MI TZ OF TZH TZM FMOF') AS kolkata,
       to_char(timestamptz '1900-01-01 00:00:00+00', 'TZ OF') AS madras;
SET TIME ZONE '+05:30';
SELECT to_char(timestamptz '2024-01-15 12:00:00+00', '[TZ] OF') AS posix_no_abbrev;
SET TIME ZONE -7;
SELECT to_char(timestamptz '2024-01-15 12:00:00+00', 'TZ OF') AS numeric_zone;
SELECT to_char(timestamp '2024-01-15 12:00', '[TZ] OF TZH TZM') AS plain_timestamp;
SELECT to_char(interval '1 day', 'TZ');

-- arithmetic in the zone: a day is a calendar day, an hour is an hour
SET TIME ZONE 'America/New_York';
SELECT timestamptz '2024-03-09 12:00' + interval '1 day' AS plus_day,
       timestamptz '2024-03-09 12:00' + interval '24 hours' AS plus_24h,
       timestamptz '2024-03-10 12:00' - interval '1 day' AS minus_day,
       timestamptz '2024-01-31 12:00' + interval '1 month' AS plus_month,
       timestamptz '2024-10-31 01:30' + interval '3 days' AS into_overlap;
SELECT g FROM generate_series(timestamptz '2024-03-08 12:00', timestamptz '2024-03-12 12:00', interval '1 day') g;
SELECT g FROM generate_series(timestamptz '2024-11-03 00:00', timestamptz '2024-11-03 03:00', interval '30 minutes') g;
SELECT g FROM generate_series(timestamptz '2024-01-31 00:00', timestamptz '2024-06-30 00:00', interval '1 month') g;
SET TIME ZONE 'Australia/Lord_Howe';
SELECT g FROM generate_series(timestamptz '2024-10-05 00:00', timestamptz '2024-10-08 00:00', interval '1 day') g;
SET TIME ZONE 'America/New_York';
SELECT age(timestamptz '2024-03-11 00:00', timestamptz '2024-03-10 00:00') AS age_across_gap,
       timestamptz '2024-03-11 00:00' - timestamptz '2024-03-10 00:00' AS difference;
SELECT make_timestamptz(2024, 7, 15, 12, 0, 0) AS made, make_timestamptz(2024, 3, 10, 2, 30, 0) AS made_in_gap;
SELECT to_timestamp('2024-07-15 12:00', 'YYYY-MM-DD HH24:MI') AS parsed_local,
       to_timestamp('2024-07-15 12:00 +02', 'YYYY-MM-DD HH24:MI TZH') AS parsed_offset;

DROP TABLE instants;
RESET TimeZone;
