// CPU time spent by a process, and by a PostgreSQL cluster (postmaster and every backend and
// helper process, including those that exited), read from /proc. On a machine shared with other
// work, CPU per unit of work moves far less than latency does; benchmarks report both.
import fs from 'node:fs'
import path from 'node:path'

/** Linux's USER_HZ: /proc reports CPU times in these ticks (100 on every mainstream build). */
const TICKS_PER_SECOND = 100

/** utime, stime, cutime, cstime of a process, in ms (undefined when it is gone or /proc is absent). */
function procTimes(pid: number): { self: number; children: number; ppid: number } | undefined {
  let stat: string
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The command name (field 2) may contain spaces and parentheses: fields are counted after its ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ms = (i: number) => (Number(f[i]) * 1000) / TICKS_PER_SECOND
  // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
  return { ppid: Number(f[1]), self: ms(11) + ms(12), children: ms(13) + ms(14) }
}

/** CPU ms of one process and of its children it has waited for. */
export function processCpuMs(pid: number): number {
  const t = procTimes(pid)
  return t ? t.self + t.children : NaN
}

/** The pid in a cluster directory's postmaster.pid. */
export function postmasterPid(clusterDir: string): number {
  const pid = Number.parseInt(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10)
  if (!Number.isInteger(pid)) throw new Error(`no postmaster.pid in ${clusterDir}`)
  return pid
}

/**
 * CPU ms of a PostgreSQL server so far: the postmaster, the backends it has reaped (its cutime)
 * and its live children. The difference of two readings is the server's CPU in between: a backend
 * that exits in between moves from the live ones into the postmaster's cutime with all its time.
 */
export function postgresCpuMs(postmaster: number): number {
  const root = procTimes(postmaster)
  if (!root) return NaN
  let total = root.self + root.children
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const t = procTimes(Number(entry))
    if (t?.ppid === postmaster) total += t.self
  }
  return total
}
