--
-- copy: COPY FROM STDIN and TO STDOUT in text and csv formats — escapes,
-- NULL strings, delimiters, quoting, HEADER, column lists, constant
-- defaults, the end marker, errors with PostgreSQL's CONTEXT lines, and the
-- forms Laminar refuses.
--
CREATE TABLE c (id int PRIMARY KEY, s text, n numeric(8,3) DEFAULT 1.5, d date, b bytea);
COPY c FROM STDIN;
1	tab\there	1.5	2024-01-02	\\x00ff
2	back\\slash	\N	\N	\N
3	new\nline\r!	-2	1999-12-31	\\x
4	octal\101\x42	0	\N	\N
\.
COPY c TO STDOUT;
COPY c TO STDOUT WITH (FORMAT csv);
COPY c (id, s) TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';');
COPY c TO STDOUT WITH (NULL 'NULL', DELIMITER '|');
TRUNCATE c;
COPY c FROM STDIN WITH (FORMAT csv, HEADER, NULL 'NA');
id,s,n,d,b
1,"quoted, comma",NA,2024-02-29,
2,"say ""hi""",2,NA,NA
3,"two
lines",3,NA,NA
4,,4,NA,NA
5,"",5,NA,NA
\.
COPY c TO STDOUT WITH (FORMAT csv);
TRUNCATE c;
COPY c (s, id) FROM STDIN WITH (DELIMITER ',');
x,10
y,11
\.
COPY c TO STDOUT;
-- errors
COPY c FROM STDIN;
20	a	bad	\N	\N
\.
COPY c FROM STDIN;
21	a
\.
COPY c FROM STDIN;
22	a	1	\N	\N	extra
\.
COPY c FROM STDIN;
23	a	1	2024-13-01	\N
\.
COPY c FROM STDIN;
24	ok	1	\N	\N
10	dup	1	\N	\N
\.
COPY c TO STDOUT;
-- refusals (on TO STDOUT: psql stops reading a script after a COPY FROM STDIN that failed
-- before its data)
COPY c (id, nosuch) TO STDOUT;
COPY c (id, id) TO STDOUT;
COPY c TO STDOUT WITH (FORMAT binary);
COPY c TO STDOUT WITH (FORMAT xml);
COPY c TO STDOUT WITH (DELIMITER 'ab');
COPY c TO STDOUT WITH (QUOTE '"');
COPY c TO STDOUT WITH (FORMAT csv, FORCE_QUOTE (s));
COPY c TO STDOUT WITH (BOGUS 1);
COPY c TO STDOUT WITH (FORMAT csv, FORMAT text);
COPY c TO '/tmp/nowhere';
COPY c TO PROGRAM 'cat';
COPY (SELECT 1) TO STDOUT;
COPY nosuch TO STDOUT;
DROP TABLE c;
COPY c FROM STDIN;
