// The "external PostgreSQL" target: BENCH_DATABASE_URL, or the machine's Debian PostgreSQL 15
// cluster (started here if installed and stopped), with a fresh database.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import pg from 'pg'

export async function externalPostgres(): Promise<{ url: string; label: string; cleanup(): Promise<void> } | null> {
  let base = process.env.BENCH_DATABASE_URL
  let label = 'external PostgreSQL (BENCH_DATABASE_URL)'
  if (!base) {
    if (!fs.existsSync('/usr/bin/pg_ctlcluster') || !fs.existsSync('/etc/postgresql/15/main')) return null
    try {
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', 'start'], { stdio: 'ignore' })
    } catch {
      /* already running */
    }
    execFileSync('su', ['postgres', '-c', `psql -q -c "ALTER USER postgres PASSWORD 'postgres'"`], { stdio: 'ignore' })
    base = 'postgresql://postgres:postgres@127.0.0.1:5432/postgres'
    label = 'external PostgreSQL 15 (Debian package, 127.0.0.1:5432)'
  }
  const name = `runyard_bench_${Date.now()}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const u = new URL(base)
  u.pathname = `/${name}`
  return {
    url: u.toString(),
    label,
    async cleanup() {
      const c = new pg.Client({ connectionString: base })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}
