// test.js: node-postgres ("pg", pinned in package.json) against a live laminard.
// Run by regress/scripts/node_pg.sh as `node test.js PORT` with NODE_PATH set to
// the installed node_modules; prints TAP lines ("ok N - ..."; the wrapper adds
// the plan).
//
// Covers: parameterized queries ($n, extended protocol) with numbers, strings,
// Dates, numerics, booleans, NULL, arrays and JSON; named prepared statements
// reused 10 times (node-pg parses once per connection); rowMode 'array';
// transactions (COMMIT, ROLLBACK, savepoints, 23505 then 25P02);
// information_schema and pg_catalog introspection; a Pool running queries
// concurrently.  Not binary results: node-pg 8 has no working binary mode
// (pg-protocol decodes every DataRow value as a string, so e.g. the int8
// binary parser fails even against PostgreSQL); psycopg 3 and pgjdbc cover
// binary transfer.
'use strict';
const pg = require('pg');

const port = Number(process.argv[2]);
const config = { host: '127.0.0.1', port, user: 'laminar', database: 'laminar', connectionTimeoutMillis: 10000 };
let n = 0;
let failed = 0;

function ok(cond, desc, diag) {
  n++;
  if (cond) {
    console.log(`ok ${n} - ${desc}`);
  } else {
    failed++;
    console.log(`not ok ${n} - ${desc}`);
    if (diag !== undefined) {
      for (const line of String(diag).split('\n')) console.log(`#   ${line}`);
    }
  }
}

// Runs fn (async, returns [cond, diag]); an exception is a failure.
async function check(desc, fn) {
  try {
    const [cond, diag] = await fn();
    ok(cond, desc, diag);
  } catch (e) {
    ok(false, desc, `${e.name}: ${e.message}${e.code ? ' [SQLSTATE ' + e.code + ']' : ''}`);
  }
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

async function main() {
  const c = new pg.Client(config);
  await check('connects; server_version is 15.x', async () => {
    await c.connect();
    const r = await c.query('SHOW server_version');
    return [r.rows[0].server_version.startsWith('15'), r.rows[0].server_version];
  });

  await check('CREATE TABLE', async () => {
    await c.query('CREATE TABLE node_items (id int PRIMARY KEY, name text NOT NULL, price numeric(10, 2), ' +
      'seen timestamptz, big bigint, ok boolean, tags text[], doc json, ratio double precision)');
    return [true];
  });

  const seen = new Date(Date.UTC(2024, 2, 15, 10, 20, 30, 123));
  await check('INSERT with $n parameters of every common JS type', async () => {
    const r = await c.query(
      'INSERT INTO node_items VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id',
      [1, "it's \"quoted\" ünï", '12.34', seen, '9007199254740993', true, ['a', 'b c', null], { k: [1, 2] }, 0.25]);
    await c.query('INSERT INTO node_items (id, name) VALUES ($1, $2)', [2, 'nulls']);
    return [r.rowCount === 1 && r.rows[0].id === 1, JSON.stringify(r.rows)];
  });

  await check('SELECT with a parameter: values come back typed', async () => {
    const r = await c.query('SELECT * FROM node_items WHERE id = $1', [1]);
    const row = r.rows[0];
    const got = [row.id, row.name, row.price, row.seen.getTime(), row.big, row.ok, row.tags, row.doc, row.ratio];
    const want = [1, "it's \"quoted\" ünï", '12.34', seen.getTime(), '9007199254740993', true, ['a', 'b c', null],
      { k: [1, 2] }, 0.25];
    return [same(got, want), JSON.stringify(got)];
  });

  await check('NULLs come back as null', async () => {
    const r = await c.query('SELECT price, seen, big, ok, tags, doc FROM node_items WHERE name = $1', ['nulls']);
    return [same(Object.values(r.rows[0]), [null, null, null, null, null, null]), JSON.stringify(r.rows)];
  });

  await check('named prepared INSERT and SELECT each reused 10 times', async () => {
    for (let i = 0; i < 10; i++) {
      await c.query({ name: 'ins', text: 'INSERT INTO node_items (id, name, big) VALUES ($1, $2, $3)',
        values: [100 + i, `p${i}`, i * i] });
    }
    const got = [];
    for (let i = 0; i < 10; i++) {
      const r = await c.query({ name: 'get', text: 'SELECT name, big FROM node_items WHERE id = $1', values: [100 + i] });
      got.push(r.rows[0]);
    }
    const want = [...Array(10).keys()].map((i) => ({ name: `p${i}`, big: String(i * i) }));
    return [same(got, want), JSON.stringify(got)];
  });

  await check("rowMode 'array' and field metadata (type OIDs)", async () => {
    const r = await c.query({ text: 'SELECT id, name, price FROM node_items WHERE id = ANY($1) ORDER BY id',
      values: [[1, 2]], rowMode: 'array' });
    const oids = r.fields.map((f) => f.dataTypeID);
    return [same(r.rows, [[1, "it's \"quoted\" ünï", '12.34'], [2, 'nulls', null]]) && same(oids, [23, 25, 1700]),
      JSON.stringify([r.rows, oids])];
  });

  await check('transactions: ROLLBACK discards, COMMIT keeps, savepoint rolled back', async () => {
    await c.query('BEGIN');
    await c.query('INSERT INTO node_items (id, name) VALUES ($1, $2)', [200, 'rolled back']);
    await c.query('UPDATE node_items SET name = $1 WHERE id = $2', ['changed', 2]);
    await c.query('ROLLBACK');
    await c.query('BEGIN');
    await c.query('INSERT INTO node_items (id, name) VALUES ($1, $2)', [201, 'kept']);
    await c.query('SAVEPOINT s');
    await c.query('INSERT INTO node_items (id, name) VALUES ($1, $2)', [202, 'savepoint rolled back']);
    await c.query('ROLLBACK TO SAVEPOINT s');
    await c.query('COMMIT');
    const r = await c.query('SELECT id FROM node_items WHERE id >= 200 ORDER BY id');
    const r2 = await c.query('SELECT name FROM node_items WHERE id = 2');
    return [same(r.rows, [{ id: 201 }]) && r2.rows[0].name === 'nulls', JSON.stringify([r.rows, r2.rows])];
  });

  await check('23505 in a transaction, then 25P02 until ROLLBACK', async () => {
    await c.query('BEGIN');
    const codes = [];
    for (const q of ["INSERT INTO node_items (id, name) VALUES (1, 'dup')", 'SELECT 1']) {
      try {
        await c.query(q);
        codes.push(null);
      } catch (e) {
        codes.push(e.code);
      }
    }
    await c.query('ROLLBACK');
    const r = await c.query('SELECT count(*)::int AS n FROM node_items');
    return [same(codes, ['23505', '25P02']) && r.rows[0].n === 13, JSON.stringify([codes, r.rows])];
  });

  await check('error fields: SQLSTATE 42703 with position', async () => {
    try {
      await c.query('SELECT nosuch FROM node_items');
      return [false, 'no error'];
    } catch (e) {
      return [e.code === '42703' && e.position === '8', `${e.code} ${e.position} ${e.message}`];
    }
  });

  await check('information_schema.columns and pg_catalog describe the table', async () => {
    const r = await c.query(
      'SELECT column_name, data_type, is_nullable FROM information_schema.columns ' +
      'WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position', ['public', 'node_items']);
    const got = r.rows.map((x) => `${x.column_name}:${x.data_type}:${x.is_nullable}`);
    const want = ['id:integer:NO', 'name:text:NO', 'price:numeric:YES', 'seen:timestamp with time zone:YES',
      'big:bigint:YES', 'ok:boolean:YES', 'tags:ARRAY:YES', 'doc:json:YES', 'ratio:double precision:YES'];
    const t = await c.query("SELECT c.relkind, n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
      "WHERE c.oid = 'node_items'::regclass");
    const tables = await c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    return [same(got, want) && same(t.rows, [{ relkind: 'r', nspname: 'public' }]) &&
      tables.rows.some((x) => x.table_name === 'node_items'), JSON.stringify([got, t.rows, tables.rows])];
  });

  await check('a Pool of 4 runs 40 parameterized queries concurrently', async () => {
    const pool = new pg.Pool({ ...config, max: 4 });
    try {
      const results = await Promise.all([...Array(40).keys()].map((i) =>
        pool.query('SELECT $1::int * 2 AS v, count(*)::int AS n FROM node_items WHERE id >= $2', [i, 100])));
      const bad = results.filter((r, i) => r.rows[0].v !== 2 * i || r.rows[0].n !== 11);
      return [bad.length === 0, JSON.stringify(bad.map((r) => r.rows))];
    } finally {
      await pool.end();
    }
  });

  await check('connection ends cleanly', async () => {
    await c.end();
    return [true];
  });
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  ok(false, 'test program runs to the end', e.stack);
  process.exit(1);
});
