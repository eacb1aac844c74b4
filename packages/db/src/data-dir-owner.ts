// Who owns a data directory's embedded PostgreSQL: the process named in `<dataDir>/owner.pid`.
// It is claimed before anything is initialised or spawned there, atomically: the file is linked
// into place already holding the claimant's pid (link() fails when the name exists), so two
// processes that start at the same instant cannot both own the directory, and the loser never
// sees a half-written file nor a postmaster without an owner (which it would take for stale and
// stop). An owner that died (SIGKILL, a crash) leaves its file behind: the next claimant removes
// it and claims again.
//
// Node built-ins only and synchronous: `runyard start` claims the directory from cli.ts, before it
// spawns the early PostgreSQL (embedded-postmaster.ts) and before it loads anything else.
import fs from 'node:fs'
import path from 'node:path'

/** `runyard start` on a data directory whose embedded PostgreSQL another live process owns. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError'
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `data directory ${dataDir} in use by pid ${pid}: stop that process first, or give this one its own RUNYARD_DATA_DIR (if pid ${pid} is not a Runyard process, its owner died: remove ${ownerFile(dataDir)})`,
    )
  }
}

export type Ownership = { owned: true } | { owned: false; pid: number }

interface Owner {
  pid: number
  /** Its start time in clock ticks since boot (/proc/<pid>/stat); undefined where /proc cannot tell. */
  started?: string
}

export const ownerFile = (dataDir: string) => path.join(dataDir, 'owner.pid')

/** How long a claim waits for another process that is removing a dead owner's file (microseconds of work). */
const GUARD_STALE_MS = 2_000

/**
 * Claims `dataDir` for this process, or says which live process owns it. Claiming a directory
 * this process already owns succeeds again. Throws only on a file system error.
 */
export function claimDataDir(dataDir: string): Ownership {
  const file = ownerFile(dataDir)
  const mine: Owner = { pid: process.pid, started: startTime(process.pid) }
  const content = `${mine.pid}\n${mine.started ?? ''}\n`
  for (;;) {
    const staged = `${file}.${process.pid}`
    fs.writeFileSync(staged, content, { mode: 0o600 })
    try {
      fs.linkSync(staged, file)
      return { owned: true }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'EEXIST') {
        if (!NO_HARD_LINKS.has(code ?? '')) throw err
        if (createExclusive(file, content)) return { owned: true }
      }
    } finally {
      fs.rmSync(staged, { force: true })
    }
    const holder = readOwner(file)
    if (holder?.pid === process.pid) return { owned: true }
    if (holder && isLive(holder)) return { owned: false, pid: holder.pid }
    removeDeadOwner(file, holder)
  }
}

/** Gives up this process's claim on `dataDir` (nothing when another process owns it). */
export function releaseDataDir(dataDir: string): void {
  const file = ownerFile(dataDir)
  if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true })
}

/** What link() fails with where the file system has no hard links (CIFS/SMB, exFAT, some FUSE mounts). */
const NO_HARD_LINKS = new Set(['EPERM', 'EOPNOTSUPP', 'ENOTSUP', 'ENOSYS'])

/**
 * The claim where the file system has no hard links (PostgreSQL does without them): the owner
 * file created exclusively (O_EXCL), then written. False when it exists. Until written it is
 * empty: removeDeadOwner leaves a young empty file alone.
 */
function createExclusive(file: string, content: string): boolean {
  let fd: number
  try {
    fd = fs.openSync(file, 'wx', 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
  try {
    fs.writeSync(fd, content)
  } finally {
    fs.closeSync(fd)
  }
  return true
}

/**
 * Removes the owner file of a dead owner, `seen`, unless it changed meanwhile. Two claimants that
 * both saw the dead owner must not both remove a file: the second would remove the first one's
 * fresh claim. So removing takes a guard file, and the owner file is read again under it: only a
 * guard holder removes another process's claim, and a claim can only be replaced after a removal.
 * A guard left by a process that died holding it (microseconds of work) is removed once it is old.
 */
function removeDeadOwner(file: string, seen: Owner | undefined): void {
  // Unreadable and young: a claim being written (createExclusive), not a dead owner's.
  const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0)
  if (seen?.pid === 0 && age < GUARD_STALE_MS) return sleepSync(5)
  const guard = `${file}.lock`
  let fd: number
  try {
    fd = fs.openSync(guard, 'wx', 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    const age = Date.now() - (fs.statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
    if (age > GUARD_STALE_MS) fs.rmSync(guard, { force: true })
    else sleepSync(5)
    return
  }
  try {
    const now = readOwner(file)
    if (now?.pid === seen?.pid && now?.started === seen?.started) fs.rmSync(file, { force: true })
  } finally {
    fs.closeSync(fd)
    fs.rmSync(guard, { force: true })
  }
}

function readOwner(file: string): Owner | undefined {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  const [pidText = '', started = ''] = text.split('\n')
  const pid = Number.parseInt(pidText, 10)
  // Unreadable (an older Runyard's file cut short by a crash): no live owner to name.
  if (!(Number.isInteger(pid) && pid > 0)) return { pid: 0 }
  return { pid, started: started || undefined }
}

/**
 * Whether the owner still runs: its pid is alive and, where /proc tells, started when the owner
 * did (a pid reused by another process after a reboot or a container restart is no owner).
 */
function isLive(owner: Owner): boolean {
  if (owner.pid <= 0) return false
  try {
    process.kill(owner.pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (owner.started === undefined) return true
  const started = startTime(owner.pid)
  return started === undefined || started === owner.started
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses). */
function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
