// temporary probe (not committed)
import { externalPostgres } from '@runyard/testkit/system-postgres'
import pg from 'pg'
const ext = externalPostgres({})!
const srv = await ext.start()
const c = new pg.Client({ connectionString: srv.url })
await c.connect()
await c.query(`CREATE TABLE "Run" (id text PRIMARY KEY, status text, attempt int)`)
await c.query(`CREATE FUNCTION ev_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM (SELECT DISTINCT "runId" FROM added) a WHERE NOT EXISTS (SELECT 1 FROM "Run" r WHERE r.id = a."runId" FOR KEY SHARE OF r)) THEN
    RAISE EXCEPTION 'no run' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$`)
const N = 50000, B = 5000
const ev = { type: 'text_delta', delta: 'xxxxxxxxxxxxxxxx' }
const texts = Array.from({ length: B }, () => JSON.stringify(ev))
const events = `[${texts.join(',')}]`
async function fresh(name: string) {
  const pk = name.includes('nopk') ? '' : ', PRIMARY KEY ("runId", seq)'
  await c.query(`SET synchronous_commit = ${name.includes('async') ? 'off' : 'on'}`)
  await c.query(`DROP TABLE IF EXISTS ev; CREATE TABLE ev ("runId" text NOT NULL, seq int NOT NULL, type text NOT NULL, data json NOT NULL, "createdAt" timestamp(3) NOT NULL DEFAULT now()${pk})`)
  await c.query(`CREATE TRIGGER ev_fk AFTER INSERT ON ev REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ev_check()`)
  const runId = `run_${name}_xxxxxxxxxxxxxxxxxxxxxxx`
  await c.query(`INSERT INTO "Run" VALUES ($1, 'running', 1) ON CONFLICT DO NOTHING`, [runId])
  return runId
}
const variants: Record<string, (runId: string, s: number) => Promise<unknown>> = {
  insert_json: (runId, s) => c.query({ name: 'a', text: `WITH owner AS (SELECT id FROM "Run" WHERE id = $1 AND attempt = 1 AND status = 'running' FOR SHARE),
   ins AS (INSERT INTO ev ("runId", seq, type, data) SELECT $1, $2::int + e.n::int - 1, e.data->>'type', e.data FROM owner, json_array_elements($3::json) WITH ORDINALITY AS e(data, n) RETURNING seq, "createdAt")
   SELECT count(*)::int AS n, min("createdAt"), pg_notify('x', $1 || ':' || COALESCE(max(seq), 0)) FROM ins`, values: [runId, s, events] }),
      insert_types: (runId, s) => c.query({ name: 'b', text: `WITH owner AS (SELECT id FROM "Run" WHERE id = $1 AND attempt = 1 AND status = 'running' FOR SHARE),
   ins AS (INSERT INTO ev ("runId", seq, type, data) SELECT $1, $2::int + e.n::int - 1, t.type, e.data FROM owner, json_array_elements($3::json) WITH ORDINALITY AS e(data, n) JOIN unnest($4::text[]) WITH ORDINALITY AS t(type, n) USING (n) RETURNING seq, "createdAt")
   SELECT count(*)::int AS n, min("createdAt"), pg_notify('x', $1 || ':' || COALESCE(max(seq), 0)) FROM ins`, values: [runId, s, events, texts.map(() => 'text_delta')] }),
  split_both: (runId, s) => c.query({ name: 'e', text: `WITH owner AS (SELECT id FROM "Run" WHERE id = $1 AND attempt = 1 AND status = 'running' FOR SHARE),
   ins AS (INSERT INTO ev ("runId", seq, type, data) SELECT $1, $2::int + e.n::int - 1, e.t, e.d::json FROM owner, unnest(string_to_array($4, E'\\n'), string_to_array($3, E'\\n')) WITH ORDINALITY AS e(t, d, n) RETURNING seq, "createdAt")
   SELECT count(*)::int AS n, min("createdAt"), pg_notify('x', $1 || ':' || COALESCE(max(seq), 0)) FROM ins`, values: [runId, s, texts.join('\n'), texts.map(() => 'text_delta').join('\n')] }),
  split_data: (runId, s) => c.query({ name: 'f', text: `WITH owner AS (SELECT id FROM "Run" WHERE id = $1 AND attempt = 1 AND status = 'running' FOR SHARE),
   ins AS (INSERT INTO ev ("runId", seq, type, data) SELECT $1, $2::int + e.n::int - 1, e.d::json->>'type', e.d::json FROM owner, unnest(string_to_array($3, E'\\n')) WITH ORDINALITY AS e(d, n) RETURNING seq, "createdAt")
   SELECT count(*)::int AS n, min("createdAt"), pg_notify('x', $1 || ':' || COALESCE(max(seq), 0)) FROM ins`, values: [runId, s, texts.join('\n')] }),
  split_table: (runId, s) => c.query({ name: 'g', text: `WITH owner AS (SELECT id FROM "Run" WHERE id = $1 AND attempt = 1 AND status = 'running' FOR SHARE),
   ins AS (INSERT INTO ev ("runId", seq, type, data) SELECT $1, $2::int + e.n::int - 1, e.t, e.d::json FROM owner, ROWS FROM (string_to_table($4, E'\\n'), string_to_table($3, E'\\n')) WITH ORDINALITY AS e(t, d, n) RETURNING seq, "createdAt")
   SELECT count(*)::int AS n, min("createdAt"), pg_notify('x', $1 || ':' || COALESCE(max(seq), 0)) FROM ins`, values: [runId, s, texts.join('\n'), texts.map(() => 'text_delta').join('\n')] }),
  const_type: (runId, s) => c.query({ name: 'c', text: `WITH owner AS (SELECT id FROM "Run" WHERE id = $1 AND attempt = 1 AND status = 'running' FOR SHARE),
   ins AS (INSERT INTO ev ("runId", seq, type, data) SELECT $1, $2::int + e.n::int - 1, 'text_delta', e.data FROM owner, json_array_elements($3::json) WITH ORDINALITY AS e(data, n) RETURNING seq, "createdAt")
   SELECT count(*)::int AS n, min("createdAt"), pg_notify('x', $1 || ':' || COALESCE(max(seq), 0)) FROM ins`, values: [runId, s, events] }),
  no_returning: (runId, s) => c.query({ name: 'd', text: `WITH owner AS (SELECT id FROM "Run" WHERE id = $1 AND attempt = 1 AND status = 'running' FOR SHARE),
   ins AS (INSERT INTO ev ("runId", seq, type, data) SELECT $1, $2::int + e.n::int - 1, e.data->>'type', e.data FROM owner, json_array_elements($3::json) WITH ORDINALITY AS e(data, n))
   SELECT pg_notify('x', $1)`, values: [runId, s, events] }),
}
for (const rep of [1, 2, 3, 4]) for (const [name, fn] of Object.entries(variants)) {
  const runId = await fresh(name)
  const t = performance.now()
  for (let s = 1; s <= N; s += B) await fn(runId, s)
  const dt = performance.now() - t
  if (rep > 1) console.log(name, rep, `${Math.round(dt)} ms`, `${Math.round(N / dt * 1000)} rows/s`)
}
await c.end(); await srv.stop()
