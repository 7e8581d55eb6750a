-- functions_pg.sql: the corpus of functions_pg.py — one single-row SELECT per line, run
-- against PostgreSQL 15 and laminard; outputs (or SQLSTATE and message) must match.
-- `-- known: REASON` marks a documented difference.
-- strings
select upper('héllo wörld'), lower('ÀÉÎ'), initcap('hello wORLD foo_bar 3x'), initcap('ÉCOLE élève')
select length('héllo'), octet_length('héllo'), char_length(''), character_length('ab')
select substring('héllo' from 2 for 3), substring('héllo' from 3), substr('hello', 0, 3), substr('hello', -5, 10)
select position('ll' in 'héllo'), strpos('abc', 'c'), strpos('abc', '')
select left('héllo', 2), left('héllo', -2), right('héllo', 2), right('héllo', -2), left('abc', 0)
select split_part('a,b,c', ',', 2), split_part('a,b,c', ',', -1), split_part('a,b,c', ',', 5), split_part('', ',', 1), split_part('abc', '', 1), split_part('a--b--c', '--', -2)
select trim('  x  '), trim(both 'xy' from 'xyxaxyx'), trim(leading from '  a '), trim(trailing 'a' from 'baaa'), btrim('xxaxx', 'x'), ltrim('xxa', 'x'), rtrim('axx', 'x')
select replace('abcabc', 'bc', 'X'), replace('aaa', 'a', ''), replace('', 'a', 'b')
select lpad('hi', 5, 'xy'), rpad('hi', 5, 'xy'), lpad('hello', 2), rpad('hi', 4), lpad('hi', -1), lpad('é', 3, 'ö'), lpad('abc', 6, ''), rpad('', 3, 'ab')
select repeat('ab', 3), repeat('x', 0), reverse('héllo'), translate('12345', '143', 'ax'), translate('héllo', 'é', 'e')
select md5(''), md5('héllo'), starts_with('abc', 'ab'), starts_with('abc', '')
select ascii('A'), ascii('€'), chr(65), chr(8364), to_hex(255), to_hex(-1), to_hex(9223372036854775807)
select quote_ident('abc'), quote_ident('Abc'), quote_ident('a b'), quote_ident('select'), quote_ident('a"b'), quote_literal('it''s'), quote_literal('a\b'), quote_nullable(null::text), quote_nullable('x')
select concat('a', 1, null, true, 2.5), concat_ws('-', 'a', null, 'b', 3), concat_ws(null, 'a')
select format('%s-%s', 'a', 'b'), format('%I.%I', 'public', 'My Table'), format('%L', 'O''Reilly'), format('%L', null), format('[%5s][%-5s]', 'ab', 'cd'), format('%2$s %1$s', 'x', 'y')
select format('%%') -- known: the registry treats format(text) and format(text, VARIADIC "any") as ambiguous for one argument
select format('%s %s', true, date '2024-01-02'), format('%3$s %1$s %s', 'a', 'b', 'c')
select format('%d', 1)
select format('%s %s', 'a')
select format('%I', null)
select chr(0)
select substr('abc', 1, -1)
select split_part('a', ',', 0)
-- bytea
select encode('\x00ff41'::bytea, 'hex'), encode('hello world hello world hello world hello world hello world hello'::bytea, 'base64'), decode('00FF41', 'hex'), decode('aGVsbG8=', 'base64'), decode('a\\b\001', 'escape'), convert_to('é', 'UTF8'), convert_from('\xc3a9', 'UTF8'), length('\x0102'::bytea), octet_length('\x0102'::bytea), md5('\x61'::bytea), sha256('abc'::bytea), bit_length('é'), overlay('Txxxxas' placing 'hom' from 2 for 4), overlay('abc' placing 'X' from 2)
select encode('a\\b\001\377'::bytea, 'escape'), encode(''::bytea, 'base64'), encode('ab'::bytea, 'base64'), decode('YWI=', 'base64'), decode('YQ==', 'base64'), decode(' 61 62 ', 'hex'), convert_to('é', 'LATIN1'), convert_from('\xe9', 'LATIN1'), sha224(''::bytea), sha512('a'::bytea)
select decode('0g', 'hex')
select decode('abc', 'hex')
select decode('a!', 'base64')
select decode('abc', 'base64')
select encode('a'::bytea, 'foo')
select convert_from('\xff', 'UTF8')
select convert_to('€', 'LATIN1')
select overlay('abc' placing 'X' from 0)
-- pattern matching
select 'hello' like 'h%o', 'hello' like 'h_l%', 'hello' not like '%x%', 'HeLLo' ilike 'hel%', 'a_c' like 'a\_c', 'abc' like 'a\_c', 'a%c' like 'a!%c' escape '!'
select 'abc' like '', '' like '', '' like '%', 'abc' like '%%%', 'abc' like '_b_', 'héllo' like 'h_llo', 'mississippi' like '%iss%ipp%', 'É' ilike 'é'
select 'ab' like 'a\'
select 'abc' like 'a' escape 'xy'
select 'foobar' ~ 'o+', 'foobar' ~* 'O+B', 'foobar' !~ 'x', 'FOO' !~* 'foo', 'a.c' ~ '^a\.c$', 'abc123' ~ '\d+$', 'foo bar' ~ '\mbar', 'ABC' ~ '(?i)abc', 'x' ~ '***=x'
select 'abc' similar to 'a%', 'abc' similar to 'b%', 'abc' similar to '(a|b)bc', 'a.c' similar to 'a.c', 'abc' similar to 'a_c', 'abc' not similar to 'a%', 'aa' similar to 'a{2}'
select substring('foobar' from 'o(.)b'), substring('foobar' from 'x'), substring('foobar' similar '%#"o_b#"%' escape '#'), substring('Thomas' from '...$')
select regexp_replace('foobarbaz', 'b..', 'X'), regexp_replace('foobarbaz', 'b..', 'X', 'g'), regexp_replace('Hello World', '(\w+) (\w+)', '\2 \1'), regexp_replace('abc', 'B', 'x', 'gi'), regexp_replace('aaa', 'a', 'b', 2), regexp_replace('aaa', 'a', 'b', 1, 2)
select regexp_replace('abc', '(b)', '[\1\1]'), regexp_replace('abc', 'x*', '-', 'g'), regexp_replace('a.b.c', '.', '-', 'g')
select regexp_match('foobarbequebaz', '(bar)(beque)'), regexp_match('foobarbequebaz', 'barbeque'), regexp_match('abc', 'x'), regexp_match('ABC', 'b', 'i'), regexp_match('abc', '(x)?(b)')
select regexp_like('Hello', 'hell'), regexp_like('Hello', 'hell', 'i'), regexp_count('ababab', 'ab'), regexp_count('ababab', 'ab', 3), regexp_count('abc', ''), regexp_substr('foobar', 'o+')
select regexp_split_to_array('hello world  foo', '\s+'), regexp_split_to_array('abc', ''), regexp_split_to_array('a1b2c', '\d'), regexp_split_to_array('', 'x'), regexp_split_to_array('aXbxc', 'x', 'i'), regexp_split_to_array('abc', 'x*'), regexp_split_to_array('a1b', '\d*'), regexp_split_to_array(',a,', ',')
select 'x' ~ '('
select 'x' ~ '[a'
select regexp_replace('a', 'a', 'b', 'z')
-- math
select abs(-5), abs(-5.5), abs(-5::smallint), abs(-5::bigint), abs(-2.5::float8)
select abs(-2147483648)
select sign(-3.5), sign(0::float8), ceil(4.1), ceil(-4.1), ceiling(4.5::float8), floor(-4.1), floor(4.9::float8)
select round(4.5), round(-4.5), round(4.5::float8), round(5.5::float8), trunc(-4.7), trunc(4.7::float8), round(-0.5), ceil(-0.5)
select round(4.567, 2), round(1234.5, -2), round(4.5, 3), trunc(4.567, 2) -- known: the binder does not yet ask FuncDesc.resolve_ret_const for the scale of round(x, const)
select sqrt(2::float8), sqrt(16::float8), cbrt(27::float8), power(2::float8, 10::float8), power(2.0::float8, 0.5), exp(1::float8), ln(10::float8), log(100::float8), log10(1000::float8)
select sqrt(-1::float8)
select ln(0::float8)
select ln(-1::float8)
select power(0::float8, -1::float8)
select power(-8::float8, 0.5::float8)
select exp(1000::float8)
select mod(10, 3), mod(-10, 3), mod(10, -3), mod(7::bigint, 2::bigint), mod(10.5, 3)
select mod(1, 0)
select div(10.5, 3), gcd(12, 18), gcd(-12, 18), lcm(4, 6), gcd(0, 0), lcm(0, 5)
select pi(), degrees(pi()), radians(180::float8), sin(0::float8), cos(0::float8), asin(1::float8), acos(1::float8), atan(1::float8), atan2(1::float8, 1::float8), cot(1::float8)
select asin(2::float8)
select width_bucket(5.35::float8, 0.024::float8, 10.06::float8, 5), width_bucket(-1::float8, 0::float8, 10::float8, 5), width_bucket(10::float8, 0::float8, 10::float8, 5)
select width_bucket(1::float8, 1::float8, 1::float8, 5)
select setseed(2)
-- date and time
select date_trunc('hour', timestamp '2024-03-05 14:07:09'), date_trunc('week', timestamp '2024-03-05 14:07:09'), date_trunc('quarter', timestamp '2024-05-05'), date_trunc('month', timestamptz '2024-03-05 14:07:09+00'), date_trunc('millennium', timestamp '2024-03-05'), date_trunc('century', timestamp '2000-03-05'), date_trunc('decade', timestamp '2024-03-05')
select date_trunc('hour', interval '1 day 02:03:04'), date_trunc('year', interval '1 year 2 mons 3 days'), date_trunc('quarter', interval '1 year 5 mons'), date_trunc('milliseconds', timestamp '2024-03-05 14:07:09.123456')
select date_trunc('foo', timestamp '2024-01-01')
select date_part('year', timestamp '2024-03-05 14:07:09.5'), date_part('second', timestamp '2024-03-05 14:07:09.5'), date_part('dow', timestamp '2024-03-10'), date_part('isodow', timestamp '2024-03-10'), date_part('doy', date '2024-12-31'), date_part('week', date '2024-12-31'), date_part('epoch', timestamp '2024-01-01'), date_part('quarter', date '2024-11-01'), date_part('julian', date '2024-01-01')
select date_part('hour', interval '1 day 26:03:04'), date_part('epoch', interval '1 year 2 days 3 seconds'), date_part('month', interval '14 months'), date_part('year', timestamp 'infinity')
select extract(epoch from timestamp '2024-01-01 00:00:01.5'), extract(second from timestamp '2024-01-01 00:00:01.5'), extract(epoch from interval '1 day')
select extract(year from timestamp '2024-03-05'), extract(day from date '2024-03-05') -- known: the binder does not yet ask FuncDesc.resolve_ret_const for extract's scale
select extract(hour from date '2024-01-01')
select extract(hour from time '10:11:12.5'), extract(milliseconds from time '00:00:01.5') -- known: the binder does not yet ask FuncDesc.resolve_ret_const for extract's scale
select extract(epoch from time '10:11:12.5'), extract(second from time '10:11:12.5'), date_part('minute', time '10:11:12'), make_time(8, 15, 23.5)
select date_trunc('day', timestamptz '2024-03-05 23:30+00', 'Asia/Tokyo'), date_trunc('hour', timestamptz '2024-03-05 23:30+00', 'Asia/Kolkata'), date_trunc('month', timestamptz '2024-03-31 23:30+00', 'Europe/Berlin')
select extract(day from time '10:00')
select make_time(25, 0, 0)
select length(timeofday()) > 20, pg_sleep_for('10 milliseconds'), pg_sleep_until(now() - interval '1 second')
select to_timestamp(0), to_timestamp(1234567890.5), to_timestamp('2024-03-05 14:07:09', 'YYYY-MM-DD HH24:MI:SS'), to_timestamp('05 Mar 2024', 'DD Mon YYYY'), to_date('20240305', 'YYYYMMDD'), to_date('March 5, 2024', 'Month DD, YYYY'), to_timestamp('12:30 PM', 'HH12:MI AM')
select to_char(timestamp '2024-03-05 14:07:09.123456', 'YYYY-MM-DD HH24:MI:SS.MS US'), to_char(timestamp '2024-03-05 04:07:09', 'HH12:MI AM'), to_char(timestamp '2024-03-05', 'Day, DD Month YYYY'), to_char(timestamp '2024-03-05', 'FMDay, FMDD FMMonth YYYY'), to_char(date '2024-03-05', 'DDD IW WW Q J'), to_char(timestamp '2024-01-01', 'IYYY-IW-ID'), to_char(timestamp '2024-03-21', 'DDth Mon'), to_char(timestamp '2024-03-05', 'RM rm CC')
select to_char(interval '1 day 26 hours 3 minutes', 'HH24:MI:SS DD'), to_char(timestamptz '2024-03-05 14:07:09+00', 'YYYY TZ OF')
select to_char(123.456, '999.99'), to_char(-12, '999'), to_char(1.5, 'FM999.99'), to_char(12345.6, '99,999.0'), to_char(5, '000'), to_char(-5, 'S000'), to_char(12345, '999'), to_char(0.5, '9.99'), to_char(-0.5, 'FM9.99'), to_char(-3, '9MI'), to_char(-123, 'FM999PR'), to_char(1234567::bigint, '9G999G999'), to_char(0, '9'), to_char(3.14159::float8, 'FM9.00')
-- number templates: sign placement, PL/SG/MI/PR, FM, rounding
select '['||to_char(7,'PL99')||']', '['||to_char(-7,'PL99')||']', '['||to_char(7,'99PL')||']','['||to_char(-7,'99PL')||']', '['||to_char(-7,'FMPL99')||']', '['||to_char(7,'FMPL99')||']'
select '['||to_char(12,'999')||']', '['||to_char(-12,'999')||']', '['||to_char(0.5,'9.99')||']', '['||to_char(-0.5,'9.99')||']', '['||to_char(-5,'000')||']', '['||to_char(12345,'999')||']', '['||to_char(-12345,'999')||']', '['||to_char(1234,'9,999')||']', '['||to_char(-12,'9,999')||']', '['||to_char(-12,'FM9,999')||']'
select '['||to_char(0,'999')||']', '['||to_char(0,'FM999')||']', '['||to_char(0.0,'999.9')||']', '['||to_char(-0.1,'0.9')||']', '['||to_char(1.5::float8,'9')||']', '['||to_char(-1.5::float8,'9')||']', '['||to_char(2.5::float8,'9')||']', '['||to_char(100,'FM9,999.00')||']', '['||to_char(-100.5,'FM9,999.00')||']'
select '['||to_char(5,'S9')||']', '['||to_char(-5,'9S')||']', '['||to_char(5,'SG9')||']', '['||to_char(-5,'MI9')||']', '['||to_char(5,'9PR')||']', '['||to_char(-5,'9PR')||']', '['||to_char(-5,'FM9PR')||']', '['||to_char(123.456,'FM999.999')||']', '['||to_char(123,'999.999')||']'
select make_date(2024, 2, 29), make_timestamp(2024, 2, 29, 10, 11, 12.5), make_interval(1, 2, 1, 3, 4, 5, 6.5)
select make_date(2023, 2, 29)
select age(timestamp '2024-05-08 04:05:06', timestamp '2023-03-05'), age(timestamp '2024-02-03', timestamp '2024-03-30'), age(timestamp '2024-03-31', timestamp '2024-02-29')
select date_bin(interval '15 minutes', timestamp '2020-02-11 15:44:17', timestamp '2001-01-01'), date_bin(interval '15 minutes', timestamp '1999-02-11 15:44:17', timestamp '2001-01-01')
select justify_days(interval '35 days'), justify_hours(interval '27 hours'), justify_interval(interval '1 mon -1 hour'), isfinite(timestamp 'infinity'), isfinite(date '2024-01-01')
select timestamptz '2024-01-01 12:00:00+00' at time zone '+05:30', timestamp '2024-01-01 12:00:00' at time zone '-02', timestamp '2024-01-01 12:00' at time zone interval '+02:00', timezone('UTC+3', timestamptz '2024-01-01 12:00:00+00')
select timestamp '2018-11-04 01:30' at time zone 'America/New_York', timestamp '2018-03-11 02:30' at time zone 'America/New_York', timestamptz '2060-07-01 12:00+00' at time zone 'Europe/Paris', timestamp '2024-07-01 12:00' at time zone 'EST'
select timestamp '2024-01-01 12:00' at time zone 'Mars/Base'
-- json
select '{"a": {"b": [1, {"c": "x"}]}, "d": null, "e": 1.50}'::json -> 'a', '{"a": 1}'::json -> 'b', '{"d": null}'::json ->> 'd', '{"e": 1.50}'::json ->> 'e', '[1,2,3]'::json -> -1, '[1]'::json -> 5
select '{"a": {"b": [1, {"c": "x"}]}}'::json #> '{a,b,1}', '{"a": {"b": [1, {"c": "x"}]}}'::json #>> '{a,b,1,c}', '{"a":[1,2,3]}'::json #>> '{a,-1}', '{"a":[1,2,3]}'::json #> '{a,x}'
select '{"a":"\u00e9\u0041"}'::json ->> 'a', '{"a":1, "a":2}'::json ->> 'a', '{"a":"b\"c"}'::json ->> 'a'
select json_extract_path_text('{"a":{"b":"c"}}', 'a', 'b'), json_extract_path('{"a":{"b":"c"}}', 'a'), jsonb_extract_path_text('{"a":{"b":"c"}}', 'a', 'b')
select json_build_object('a', 1, 'b', 'x', 'c', null, 'd', true), json_build_array(1, 'a', null, 2.5), json_build_object(), json_build_array()
select jsonb_build_object('bb', 1, 'a', 'x', 'a', 2), jsonb_build_array(1, 'a', null)
select json_build_object('a')
select json_build_object(null, 1)
select to_json('x"y'::text), to_json(1.5), to_json(true), to_json(timestamp '2024-01-01 10:00')
select json_typeof('1.5'), json_typeof('"x"'), json_typeof('{}'), json_typeof('[]'), json_typeof('null'), json_typeof('true'), jsonb_typeof('[1]')
select json_array_length('[1, [2, 3], {"a": [4]}]'), json_array_length('[]'), jsonb_array_length('[1,2]')
select json_array_length('1')
select json_array_length('{}')
-- jsonb existence and containment
select '{"a":1, "b":{"c":[1,2,3]}}'::jsonb @> '{"b":{"c":[3]}}', '{"a":1}'::jsonb @> '{"a":1.0}', '[1,2,[3,4]]'::jsonb @> '[[4]]', '[1,2]'::jsonb @> '1', '[1,2]'::jsonb @> '[1,1]', '{"a":"x\u0041"}'::jsonb @> '{"a":"xA"}', '"a"'::jsonb @> '"a"', '{"a":[1]}'::jsonb @> '{"a":1}', '1'::jsonb @> '[1]'
select '{"b":{"c":[3]}}'::jsonb <@ '{"a":1, "b":{"c":[1,2,3]}}', '{}'::jsonb <@ '{"a":1}', '[]'::jsonb <@ '[1]', '{"a":null}'::jsonb @> '{"a":null}', '{"a":1e2}'::jsonb @> '{"a":100}', '{"a":0.50}'::jsonb @> '{"a":0.5}'
select '{"a":1, "b":2}'::jsonb ? 'a', '{"a":1}'::jsonb ? 'b', '["a","b"]'::jsonb ? 'b', '[1,2]'::jsonb ? '1', '"x"'::jsonb ? 'x', '{"a":{"z":1}}'::jsonb ? 'z'
select '{"a":1, "b":2}'::jsonb ?| array['x','b'], '{"a":1, "b":2}'::jsonb ?& array['a','b'], '{"a":1, "b":2}'::jsonb ?& array['a','c'], '{"a":1}'::jsonb ?| array[]::text[], '{"a":1}'::jsonb ?& array[]::text[]
-- arrays
select string_to_array('a,b,,c', ','), string_to_array('abc', null), string_to_array('', ','), string_to_array('a,x,b', ',', 'x')
select array_to_string(array['a', null, 'c'], '-'), array_to_string(array['a', null, 'c'], '-', '*'), array_to_string(array[1, 2, 3], ',')
select cardinality(array[1,2,3]), array_length(array[1,2,3], 1), array_length('{}'::int[], 1), array_upper(array[1,2], 1), array_lower(array[5], 1)
select array_append(array[1,2], 3), array_prepend(0, array[1,2]), array_cat(array['a'], array['b','c']), array_position(array[1,null,3], null), array_position(array['a','b'], 'b')
-- catalog helpers
select format_type(23, -1), format_type(1043, 24), format_type(1700, 655366), format_type(999999, -1), format_type(null, 1), format_type(25, null)
select pg_size_pretty(100::bigint), pg_size_pretty(10240::bigint), pg_size_pretty(123456789::bigint), pg_size_pretty(-20480::bigint)
select pg_encoding_to_char(6), pg_char_to_encoding('UTF8'), pg_is_in_recovery()
select has_schema_privilege('public', 'FOO')
select s, lower(s), upper(s) from (values ('ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{'), ('abcdefghijklmnopqrstuvwxyz'), ('Hello WORLD ÀÉÎ tail'), (''), ('x'), ('MiXeD 12345678 ÉCOLE'), ('apple'), ('GOOGLE'), ('0123456789abcdefG')) t(s)
select s ~ 'b+c', s ~* 'B+C', substring(s from '(?:&|^)channel_id=([^&]*)'), regexp_replace(s, '[aeiou]', '#', 'g'), regexp_match(s, '(\w+)=(\w+)'), regexp_count(s, '\d') from (values ('abbc'), ('channel_id=abc&x=1'), ('a=1&channel_id=99'), ('none'), ('')) t(s)
