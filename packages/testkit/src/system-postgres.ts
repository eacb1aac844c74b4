// An "external" PostgreSQL for tests: `DATABASE_URL` when it is set, otherwise a throwaway
// cluster of the machine's own PostgreSQL binaries (Debian's /usr/lib/postgresql/<v>/bin),
// initialised in a temp dir and stopped (and deleted) again by the test. Nothing here depends
// on a PostgreSQL service already running on the machine.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { freePort } from '@runyard/db'

export interface SystemPostgresInstall {
  binDir: string
  /** Major version (the directory name under /usr/lib/postgresql). */
  version: string
}

export interface SystemPostgres {
  /** Connection string of the cluster's maintenance database (`postgres`). */
  url: string
  version: string
  dataDir: string
  /** Fast shutdown (SIGINT), then deletes the cluster. */
  stop(): Promise<void>
}

export interface ExternalPostgres {
  /** What the tests run against, for their titles. */
  label: string
  /** Resolves with a server URL; `stop()` undoes whatever `start()` started. */
  start(): Promise<{ url: string; stop(): Promise<void> }>
}

const PG_ROOT = '/usr/lib/postgresql'

/** The newest installed PostgreSQL that has `initdb` and `postgres`, if any. */
export function findSystemPostgres(root = PG_ROOT): SystemPostgresInstall | undefined {
  const versions = (fs.existsSync(root) ? fs.readdirSync(root) : [])
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
  for (const version of versions) {
    const binDir = path.join(root, version, 'bin')
    if (['initdb', 'postgres'].every((b) => isExecutable(path.join(binDir, b)))) return { binDir, version }
  }
  return undefined
}

/**
 * The external server the db suites run against a second time: `DATABASE_URL`, else a throwaway
 * cluster of the machine's PostgreSQL (when installed and, as root, a `postgres` OS user exists).
 * Undefined when neither is available.
 */
export function externalPostgres(
  env: NodeJS.ProcessEnv = process.env,
  opts: { durable?: boolean } = {},
): ExternalPostgres | undefined {
  const url = env.DATABASE_URL
  if (url) return { label: 'DATABASE_URL', start: async () => ({ url, stop: async () => {} }) }
  const install = findSystemPostgres()
  if (!install || (isRoot() && !osUser('postgres'))) return undefined
  return {
    label: `a throwaway PostgreSQL ${install.version} cluster${opts.durable ? ' with fsync on' : ''}`,
    start: () => startSystemPostgres({ install, ...opts }),
  }
}

/**
 * initdb + postgres in a temp dir, listening on 127.0.0.1 only (no Unix socket), with
 * scram-sha-256 password auth. As root both run as the `postgres` OS user (initdb refuses root).
 * Tests run it without crash safety (no fsync) for speed; `durable` keeps PostgreSQL's defaults,
 * as a production server has them (benchmarks).
 */
export async function startSystemPostgres(
  opts: { install?: SystemPostgresInstall; durable?: boolean } = {},
): Promise<SystemPostgres> {
  const install = opts.install ?? findSystemPostgres()
  if (!install) throw new Error(`No PostgreSQL binaries (initdb, postgres) under ${PG_ROOT}`)
  let ids: { uid: number; gid: number } | undefined
  if (isRoot()) {
    ids = osUser('postgres')
    if (!ids) throw new Error('Running as root, but there is no `postgres` OS user to run PostgreSQL as')
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-syspg-'))
  const dataDir = path.join(dir, 'data')
  const password = crypto.randomBytes(18).toString('base64url')
  const spawnOpts: SpawnOptions = {
    ...ids,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }
  try {
    const pwfile = path.join(dir, 'pwfile')
    fs.writeFileSync(pwfile, password + '\n', { mode: 0o600 })
    if (ids) {
      fs.chownSync(dir, ids.uid, ids.gid)
      fs.chownSync(pwfile, ids.uid, ids.gid)
    }
    const initdbArgs = [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=scram-sha-256',
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]
    await runToEnd(spawn(path.join(install.binDir, 'initdb'), initdbArgs, spawnOpts), 'initdb')
    fs.rmSync(pwfile)

    // The port is picked before postgres binds it, so another process may take it first: retry.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort()
      const url = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`
      const proc = spawn(
        path.join(install.binDir, 'postgres'),
        [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          ...(opts.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
        ],
        spawnOpts,
      )
      const ready = await waitReady(proc, url).then(
        () => true,
        (err: Error & { log?: string }) => {
          if (attempt < 3 && /could not bind|address already in use/i.test(err.log ?? '')) return false
          throw err
        },
      )
      if (!ready) continue
      // Should the test process exit without stop() (a crash), do not leave the server behind.
      const onExit = () => proc.kill('SIGQUIT')
      process.once('exit', onExit)
      let stopping: Promise<void> | undefined
      return {
        url,
        version: install.version,
        dataDir,
        stop: () =>
          (stopping ??= (async () => {
            process.off('exit', onExit)
            await stopProcess(proc)
            await fsp.rm(dir, { recursive: true, force: true })
          })()),
      }
    }
  } catch (err) {
    await fsp.rm(dir, { recursive: true, force: true })
    throw err
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return true
  } catch {
    return false
  }
}

function osUser(name: string): { uid: number; gid: number } | undefined {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
  const [, , uid, gid] = line?.split(':') ?? []
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined
}

function collectOutput(proc: ChildProcess): () => string {
  let out = ''
  const add = (d: Buffer) => (out = (out + d.toString()).slice(-20_000))
  proc.stdout?.on('data', add)
  proc.stderr?.on('data', add)
  return () => out
}

function runToEnd(proc: ChildProcess, what: string): Promise<void> {
  const output = collectOutput(proc)
  return new Promise((resolve, reject) => {
    proc.once('error', reject)
    proc.once('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${what} failed (${signal ?? `exit ${code}`}):\n${output()}`)),
    )
  })
}

/** Resolves once the server accepts a connection; rejects (with its log) if it exits first. */
async function waitReady(proc: ChildProcess, url: string, timeoutMs = 60_000): Promise<void> {
  const output = collectOutput(proc)
  let exited = false
  proc.once('exit', () => (exited = true))
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (exited || proc.exitCode !== null) {
      throw Object.assign(new Error(`postgres exited during startup:\n${output()}`), { log: output() })
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.end()
      return
    } catch {
      await client.end().catch(() => {})
    }
    if (Date.now() > deadline) {
      await stopProcess(proc)
      throw new Error(`postgres did not accept connections within ${timeoutMs / 1000} s:\n${output()}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** SIGINT (fast shutdown), then SIGQUIT, then SIGKILL; resolves when the process is gone. */
async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  for (const [signal, waitMs] of [
    ['SIGINT', 15_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    proc.kill(signal)
    const done = await Promise.race([
      exited.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), waitMs).unref()),
    ])
    if (done) return
  }
  throw new Error(`postgres (pid ${proc.pid}) did not exit`)
}
