// Lifecycle of the embedded PostgreSQL (startEmbeddedPostgres / createDb with a data dir, and the
// early start of embedded-postmaster.ts): each test uses its own temp data dir and real servers,
// some of them started by a child process.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { createDb, DataDirInUseError, startEmbeddedPostgres, tempDataDir, type EmbeddedServer } from '../src/index.ts'
import { adoptEarlyPostgres, spawnEarlyPostgres, stopEarlyPostgres } from '../src/embedded-postmaster.ts'
import { isAlive, stopLeftover } from '../../testkit/src/processes.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '../../..')
const OWNER_FIXTURE = path.join(here, 'fixtures/embedded-owner.ts')
const EARLY_FIXTURE = path.join(here, 'fixtures/early-postmaster.ts')

const dirs: string[] = []
const servers: EmbeddedServer[] = []
const children: ChildProcess[] = []

function newDataDir(): string {
  const dir = tempDataDir('runyard-db-lifecycle-')
  dirs.push(dir)
  return dir
}

async function start(dataDir: string, messages: string[] = []): Promise<EmbeddedServer> {
  const server = await startEmbeddedPostgres({ dataDir, onProgress: (m) => messages.push(m) })
  servers.push(server)
  return server
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGKILL')
      await exited
    }
  }
  for (const server of servers.splice(0)) await server.stop().catch(() => {})
  // A test that failed half-way may have left a server running: stop it by its pid.
  for (const dir of dirs.splice(0)) {
    const pid = readPid(path.join(dir, 'pg', 'postmaster.pid'))
    if (pid) await stopLeftover(pid)
    await fsp.rm(dir, { recursive: true, force: true })
  }
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function readPid(file: string): number | undefined {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10)
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql, params)).rows
  } finally {
    await client.end()
  }
}

function settings(dataDir: string): { port: number; password: string } {
  return JSON.parse(fs.readFileSync(path.join(dataDir, 'embedded.json'), 'utf8'))
}

/** Another process owning the embedded server in `dataDir` (see fixtures/embedded-owner.ts). */
async function spawnOwner(
  dataDir: string,
): Promise<{ child: ChildProcess; adminUrl: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', OWNER_FIXTURE, dataDir], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  children.push(child)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let out = ''
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const info = await new Promise<{ pid: number; owned: boolean; adminUrl: string }>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!))
    })
    void exited.then((code) => reject(new Error(`embedded-owner exited with ${code}:\n${out}${err}`)))
  })
  expect(info).toMatchObject({ pid: child.pid, owned: true })
  return { child, adminUrl: info.adminUrl, exited }
}

describe('embedded PostgreSQL lifecycle', () => {
  it('the first start initialises a cluster it owns, with a generated password; stop() shuts it down', async () => {
    const dataDir = newDataDir()
    const messages: string[] = []
    const server = await start(dataDir, messages)

    expect(server.owned).toBe(true)
    expect(messages.some((m) => m.startsWith('Initialising the embedded PostgreSQL'))).toBe(true)
    expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true)
    expect(readPid(path.join(dataDir, 'owner.pid'))).toBe(process.pid)
    const { port, password } = settings(dataDir)
    expect(fs.statSync(path.join(dataDir, 'embedded.json')).mode & 0o777).toBe(0o600)
    const url = new URL(server.adminUrl)
    expect(url).toMatchObject({ port: String(port), password: encodeURIComponent(password) })
    // Runyard connects through the Unix socket in the cluster directory; TCP on 127.0.0.1 stays open for other tools
    expect(url.searchParams.get('host')).toBe(path.join(dataDir, 'pg'))
    expect(await query(server.adminUrl, 'SELECT inet_server_addr() AS addr')).toEqual([{ addr: null }])
    const tcp = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`
    expect(await query(tcp, 'SELECT host(inet_server_addr()) AS addr')).toEqual([{ addr: '127.0.0.1' }])

    expect(await query(server.adminUrl, 'SHOW timezone')).toEqual([{ TimeZone: 'UTC' }])
    const wrong = Object.assign(new URL(server.adminUrl), { password: 'wrong' }).toString()
    await expect(query(wrong, 'SELECT 1')).rejects.toMatchObject({ code: '28P01' }) // invalid_password

    await server.ensureDatabase('app')
    await server.ensureDatabase('app') // exists already: no error
    expect(await query(server.urlFor('app'), 'SELECT current_database() AS db')).toEqual([{ db: 'app' }])

    await server.stop()
    expect(fs.existsSync(path.join(dataDir, 'owner.pid'))).toBe(false)
    await expect(query(server.adminUrl, 'SELECT 1')).rejects.toMatchObject({ code: 'ENOENT' }) // the socket is gone
    await expect(query(tcp, 'SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('PostgreSQL gets the locale and paths of our environment, none of the server’s secrets', async () => {
    process.env.OPENAI_API_KEY = 'sk-must-not-reach-postgres'
    try {
      const dataDir = newDataDir()
      await start(dataDir)
      const postmaster = readPid(path.join(dataDir, 'pg', 'postmaster.pid'))
      const environ = fs.readFileSync(`/proc/${postmaster}/environ`, 'utf8').split('\0')
      expect(environ.some((v) => v.startsWith('PATH='))).toBe(true)
      expect(environ.filter((v) => v.includes('sk-must-not-reach-postgres'))).toEqual([])
    } finally {
      delete process.env.OPENAI_API_KEY
    }
  })

  it('a data dir too deep for a Unix socket path is served over TCP on 127.0.0.1', async () => {
    const deep = path.join(
      newDataDir(),
      'a-directory-name-long-enough'.repeat(3),
      'to-push-the-socket-path-past-107-bytes',
    )
    const server = await start(deep)
    expect(new URL(server.adminUrl)).toMatchObject({ hostname: '127.0.0.1', search: '' })
    expect(await query(server.adminUrl, 'SELECT host(inet_server_addr()) AS addr')).toEqual([{ addr: '127.0.0.1' }])
  })

  it('data survives stop and start (createDb on the data dir migrates once)', async () => {
    const dataDir = newDataDir()
    const first: string[] = []
    const a = await createDb({ dataDir, onProgress: (m) => first.push(m) })
    try {
      expect(a.mode).toBe('embedded')
      expect(first.some((m) => /^Applied \d+ migration\(s\)/.test(m))).toBe(true)
      await a.prisma.account.create({ data: { id: 'acct_persist', name: 'kept' } })
    } finally {
      await a.close()
    }
    await expect(query(a.url, 'SELECT 1')).rejects.toMatchObject({ code: 'ENOENT' }) // its socket is gone

    const second: string[] = []
    const b = await createDb({ dataDir, onProgress: (m) => second.push(m) })
    try {
      expect(b.url).toBe(a.url) // same port and password
      expect(second.some((m) => m.startsWith('Initialising'))).toBe(false)
      expect(second).toContain('Database schema is up to date')
      expect(await b.prisma.account.findUnique({ where: { id: 'acct_persist' } })).toMatchObject({ name: 'kept' })
    } finally {
      await b.close()
    }
  })

  it('picks another port when the saved one is taken, and keeps the data', async () => {
    const dataDir = newDataDir()
    const first = await start(dataDir)
    await first.ensureDatabase('keep')
    await query(first.urlFor('keep'), `CREATE TABLE t (v text); INSERT INTO t VALUES ('still here')`)
    await first.stop()
    const oldPort = settings(dataDir).port

    const blocker = net.createServer()
    await new Promise<void>((resolve, reject) => blocker.once('error', reject).listen(oldPort, '127.0.0.1', resolve))
    try {
      const second = await start(dataDir)
      const newPort = settings(dataDir).port
      expect(newPort).not.toBe(oldPort)
      expect(new URL(second.adminUrl).port).toBe(String(newPort))
      expect(await query(second.urlFor('keep'), 'SELECT v FROM t')).toEqual([{ v: 'still here' }])
      await second.stop()
    } finally {
      await new Promise((r) => blocker.close(r))
    }
  })

  it('a server left running by a SIGKILLed owner is stale: the next start stops it and takes over, data intact', async () => {
    const dataDir = newDataDir()
    const owner = await spawnOwner(dataDir)
    const stalePostmaster = readPid(path.join(dataDir, 'pg', 'postmaster.pid'))!
    owner.child.kill('SIGKILL')
    await owner.exited
    expect(isAlive(stalePostmaster)).toBe(true) // the server outlived its owner

    const messages: string[] = []
    const server = await start(dataDir, messages)
    expect(server.owned).toBe(true)
    expect(messages).toContain(`Stopping a stale embedded PostgreSQL (pid ${stalePostmaster}) left by a previous run`)
    expect(isAlive(stalePostmaster)).toBe(false)
    const postmaster = readPid(path.join(dataDir, 'pg', 'postmaster.pid'))
    expect(postmaster).toBeDefined()
    expect(postmaster).not.toBe(stalePostmaster)
    expect(readPid(path.join(dataDir, 'owner.pid'))).toBe(process.pid)
    expect(await query(server.urlFor('lifecycle'), 'SELECT text FROM note')).toEqual([
      { text: `written by ${owner.child.pid}` },
    ])

    await server.stop()
    expect(isAlive(postmaster!)).toBe(false)
  })

  it('a postmaster.pid left behind whose pid now belongs to an unrelated process: that process is not signalled', async () => {
    const dataDir = newDataDir()
    const first = await start(dataDir)
    await first.stop()
    // As after a crash or a container restart: the lock file names a pid that is alive again.
    const unrelated = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
    children.push(unrelated)
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid')
    fs.writeFileSync(pidFile, `${unrelated.pid}\n${path.join(dataDir, 'pg')}\n`)

    const messages: string[] = []
    const server = await start(dataDir, messages)
    expect(messages.some((m) => m.includes('stale'))).toBe(false)
    expect(isAlive(unrelated.pid!)).toBe(true)
    expect(unrelated.exitCode).toBeNull()
    expect(server.owned).toBe(true)
    expect(readPid(pidFile)).not.toBe(unrelated.pid)
    expect(await query(server.adminUrl, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }])
    await server.stop()
  })

  it('a server running for a process this one cannot see (another container on the same files) is refused, not taken for stale', async () => {
    const dataDir = newDataDir()
    const first = await start(dataDir)
    // As a second container sees the first's server: postmaster.pid names a pid that is not alive
    // in its PID namespace, but the server answers on the socket in the shared cluster directory.
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid')
    const original = fs.readFileSync(pidFile, 'utf8')
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    await new Promise((r) => gone.once('exit', r))
    fs.writeFileSync(pidFile, original.replace(/^\d+/, String(gone.pid)))
    try {
      const err = await start(dataDir).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect((err as Error | undefined)?.message).toMatch(/is running for another process that this one cannot see/)
      // the other server was left alone: still running, its lock file in place
      expect(fs.readFileSync(pidFile, 'utf8')).toBe(original.replace(/^\d+/, String(gone.pid)))
      expect(await query(first.adminUrl, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }])
    } finally {
      fs.writeFileSync(pidFile, original)
    }
    await first.stop()
    // once it has stopped, the directory starts normally
    const next = await start(dataDir)
    expect(next.owned).toBe(true)
    await next.stop()
  })

  it('a start that fails reports the server’s own error', async () => {
    const dataDir = newDataDir()
    const first = await start(dataDir)
    await first.stop()
    fs.appendFileSync(path.join(dataDir, 'pg', 'postgresql.conf'), '\nshared_buffers = not-a-size\n')
    const err = await start(dataDir).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toMatch(/^The embedded PostgreSQL did not start/)
    expect((err as Error).message).toMatch(/shared_buffers/)
    expect(fs.existsSync(path.join(dataDir, 'owner.pid'))).toBe(false)
  })

  it('a second process reuses a running server without owning it; its stop() leaves the server running', async () => {
    const dataDir = newDataDir()
    const owner = await spawnOwner(dataDir)
    const postmaster = readPid(path.join(dataDir, 'pg', 'postmaster.pid'))!

    const messages: string[] = []
    const server = await start(dataDir, messages)
    expect(server.owned).toBe(false)
    expect(messages).toContain(`Using the embedded PostgreSQL already running for process ${owner.child.pid}`)
    expect(server.adminUrl).toBe(owner.adminUrl)
    expect(await query(server.urlFor('lifecycle'), 'SELECT text FROM note')).toEqual([
      { text: `written by ${owner.child.pid}` },
    ])

    await server.stop()
    expect(isAlive(postmaster)).toBe(true)
    expect(await query(server.urlFor('lifecycle'), 'SELECT count(*)::int AS n FROM note')).toEqual([{ n: 1 }])
    expect(readPid(path.join(dataDir, 'owner.pid'))).toBe(owner.child.pid)

    // The owner's stop() does stop it.
    owner.child.stdin!.write('stop\n')
    expect(await owner.exited).toBe(0)
    expect(isAlive(postmaster)).toBe(false)
    expect(fs.existsSync(path.join(dataDir, 'owner.pid'))).toBe(false)
    await expect(query(server.adminUrl, 'SELECT 1')).rejects.toMatchObject({ code: 'ENOENT' }) // the socket is gone
  })

  it('an exclusive start (runyard start) on a data dir another live process owns is refused, its server untouched', async () => {
    const dataDir = newDataDir()
    const owner = await spawnOwner(dataDir)
    const postmaster = readPid(path.join(dataDir, 'pg', 'postmaster.pid'))!

    const err = await startEmbeddedPostgres({ dataDir, exclusive: true }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(DataDirInUseError)
    expect((err as Error).message).toBe(
      `data directory ${dataDir} in use by pid ${owner.child.pid}: stop that process first, or give this one its own RUNYARD_DATA_DIR (if pid ${owner.child.pid} is not a Runyard process, its owner died: remove ${path.join(dataDir, 'owner.pid')})`,
    )
    expect(isAlive(postmaster)).toBe(true)
    expect(readPid(path.join(dataDir, 'owner.pid'))).toBe(owner.child.pid)
    expect(await query(owner.adminUrl, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }])
  })

  it('a process that uses the server waits while its live owner has not started it, and takes over once that owner is gone', async () => {
    const dataDir = newDataDir()
    const first = await start(dataDir)
    await first.stop()
    // An owner that claimed the directory and has not started its server (yet).
    const owner = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
    children.push(owner)
    fs.writeFileSync(path.join(dataDir, 'owner.pid'), `${owner.pid}\n`)

    const messages: string[] = []
    let settled = false
    const using = startEmbeddedPostgres({ dataDir, onProgress: (m) => messages.push(m) }).finally(
      () => (settled = true),
    )
    await sleep(1_000)
    expect({ settled, messages, postmaster: fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')) }).toEqual({
      settled: false,
      messages: [],
      postmaster: false,
    })

    owner.kill('SIGKILL')
    const server = await using
    servers.push(server)
    expect(server.owned).toBe(true)
    expect(readPid(path.join(dataDir, 'owner.pid'))).toBe(process.pid)
    expect(await query(server.adminUrl, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }])
  })

  it('an owner.pid naming a live pid that started after the owner did (a reused pid) claims nothing', async () => {
    const dataDir = newDataDir()
    const first = await start(dataDir)
    await first.stop()
    // As after a container restart: the pid is alive again, but it is another process.
    const unrelated = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
    children.push(unrelated)
    fs.writeFileSync(path.join(dataDir, 'owner.pid'), `${unrelated.pid}\n1\n`)

    const server = await startEmbeddedPostgres({ dataDir, exclusive: true })
    servers.push(server)
    expect(server.owned).toBe(true)
    expect(readPid(path.join(dataDir, 'owner.pid'))).toBe(process.pid)
    expect(unrelated.exitCode).toBeNull()
  })
})

/** Polls `probe` until it returns a value (10 s at most). */
async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe()
    if (value !== undefined) return value
    await sleep(50)
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** A data dir whose cluster is initialised and stopped, as a warm start finds it. */
async function warmDataDir(): Promise<string> {
  const dataDir = newDataDir()
  const first = await start(dataDir)
  await first.ensureDatabase('keep')
  await query(first.urlFor('keep'), `CREATE TABLE t (v text); INSERT INTO t VALUES ('still here')`)
  await first.stop()
  return dataDir
}

describe('the early start (spawnEarlyPostgres, made by a warm `runyard start` before it loads the rest)', () => {
  it('spawns the server at once; startEmbeddedPostgres adopts it as the one it started, and stop() shuts it down', async () => {
    const dataDir = await warmDataDir()
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid')
    await spawnEarlyPostgres(dataDir)
    const early = await until(() => readPid(pidFile), 'the early postmaster')

    const messages: string[] = []
    const server = await start(dataDir, messages)
    expect(messages).toEqual([`Started the embedded PostgreSQL on 127.0.0.1:${settings(dataDir).port}`])
    expect(readPid(pidFile)).toBe(early) // the same server, not stopped as stale and started again
    expect(server.owned).toBe(true)
    expect(readPid(path.join(dataDir, 'owner.pid'))).toBe(process.pid)
    expect(await query(server.urlFor('keep'), 'SELECT v FROM t')).toEqual([{ v: 'still here' }])
    expect(await query(server.adminUrl, 'SHOW shared_buffers')).toEqual([{ shared_buffers: '32MB' }])

    await server.stop()
    expect(isAlive(early)).toBe(false)
    expect(fs.existsSync(pidFile)).toBe(false)
    expect(fs.existsSync(path.join(dataDir, 'owner.pid'))).toBe(false)
  })

  it('spawns nothing for a data dir that is not initialised, or whose server is running', async () => {
    const fresh = newDataDir()
    await spawnEarlyPostgres(fresh)
    expect(await adoptEarlyPostgres(path.join(fresh, 'pg'), 0)).toBeUndefined()
    expect(fs.readdirSync(fresh)).toEqual([])

    const dataDir = await warmDataDir()
    const running = await start(dataDir)
    const postmaster = readPid(path.join(dataDir, 'pg', 'postmaster.pid'))
    await spawnEarlyPostgres(dataDir)
    expect(await adoptEarlyPostgres(path.join(dataDir, 'pg'), settings(dataDir).port)).toBeUndefined()
    expect(readPid(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(postmaster)
    await running.stop()
  })

  it('one that cannot come up (its port taken) is replaced by the usual start on another port', async () => {
    const dataDir = await warmDataDir()
    const oldPort = settings(dataDir).port
    const blocker = net.createServer()
    await new Promise<void>((resolve, reject) => blocker.once('error', reject).listen(oldPort, '127.0.0.1', resolve))
    try {
      await spawnEarlyPostgres(dataDir)
      const messages: string[] = []
      const server = await start(dataDir, messages)
      expect(messages[0]).toBe('The embedded PostgreSQL started early did not come up: starting it again')
      expect(settings(dataDir).port).not.toBe(oldPort)
      expect(await query(server.urlFor('keep'), 'SELECT v FROM t')).toEqual([{ v: 'still here' }])
      await server.stop()
    } finally {
      await new Promise((r) => blocker.close(r))
    }
  })

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'a %s before anything adopted it stops it, and the process still ends by that signal',
    async (signal) => {
      const dataDir = await warmDataDir()
      const pidFile = path.join(dataDir, 'pg', 'postmaster.pid')
      const child = spawn(process.execPath, ['--import', 'tsx', EARLY_FIXTURE, dataDir], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      children.push(child)
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.once('exit', (code, sig) => resolve({ code, signal: sig })),
      )
      await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()))
      const early = await until(() => readPid(pidFile), 'the early postmaster')

      child.kill(signal)
      expect(await exited).toEqual({ code: null, signal })
      await until(() => (isAlive(early) ? undefined : true), 'the early postmaster to stop')
      expect(fs.existsSync(pidFile)).toBe(false)
    },
  )

  it('stopEarlyPostgres stops one that nobody adopted (a refused start) and returns once it has exited', async () => {
    const dataDir = await warmDataDir()
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid')
    await spawnEarlyPostgres(dataDir)
    const early = await until(() => readPid(pidFile), 'the early postmaster')
    await stopEarlyPostgres()
    expect(isAlive(early)).toBe(false)
    expect(fs.existsSync(pidFile)).toBe(false)
    expect(await adoptEarlyPostgres(path.join(dataDir, 'pg'), settings(dataDir).port)).toBeUndefined()
  })
})
