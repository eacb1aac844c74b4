// Memory of a whole process tree as smem reports it: PSS (proportional set size), so pages shared
// between processes (Node's code, PostgreSQL's shared buffers) are split between them rather than
// counted once per process as RSS is. Linux only (/proc/<pid>/smaps_rollup, /proc/<pid>/stat).
//
//   import { treeMemory, TreeSampler } from './lib/pss.ts'
//   const now = treeMemory(server.pid)               // one reading: { pssBytes, rssBytes, processes, … }
//   const sampler = new TreeSampler(server.pid, 100)  // every 100 ms until stop(): peak and last reading
//   sampler.start(); …; const { peak, idle } = sampler.stop()
//
// A process that exits between listing and reading is skipped; the tree is found by parent pid,
// so detached children (the embedded PostgreSQL runs in its own process group) are included.
import fs from 'node:fs'

export interface ProcessMemory {
  pid: number
  /** The process's name (`comm`: node, postgres, bwrap, …). */
  name: string
  pssBytes: number
  rssBytes: number
  /** Anonymous (heap, stacks) PSS; the rest is file-backed (code, mapped files) and shared memory. */
  pssAnonBytes: number
}

export interface TreeMemory {
  pssBytes: number
  rssBytes: number
  pssAnonBytes: number
  processes: number
  /** PSS summed per process name, largest first (e.g. node 80 MB, postgres 20 MB). */
  byName: { name: string; processes: number; pssBytes: number }[]
  /** Every process read, root first. */
  detail: ProcessMemory[]
}

/** The children of every process, read from /proc/<pid>/stat (field 4 is the parent pid). */
function childrenByParent(): Map<number, number[]> {
  const kids = new Map<number, number[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readText(`/proc/${entry}/stat`)
    if (!stat) continue
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    let list = kids.get(ppid)
    if (!list) kids.set(ppid, (list = []))
    list.push(Number(entry))
  }
  return kids
}

/** `root` and all its descendants that are alive now, root first (breadth first). */
export function processTree(root: number): number[] {
  const kids = childrenByParent()
  const out: number[] = []
  const queue = [root]
  while (queue.length) {
    const pid = queue.shift()!
    if (!fs.existsSync(`/proc/${pid}`)) continue
    out.push(pid)
    queue.push(...(kids.get(pid) ?? []))
  }
  return out
}

const KB = 1024
const field = (text: string, name: string) =>
  Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * KB

/** One process's PSS and RSS, or undefined when it is gone (or is a zombie, which has no memory). */
export function processMemory(pid: number): ProcessMemory | undefined {
  const rollup = readText(`/proc/${pid}/smaps_rollup`)
  if (!rollup) return undefined
  const name = (readText(`/proc/${pid}/comm`) ?? '?').trim()
  return {
    pid,
    name,
    pssBytes: field(rollup, 'Pss'),
    rssBytes: field(rollup, 'Rss'),
    pssAnonBytes: field(rollup, 'Pss_Anon'),
  }
}

/** The tree under `root` right now. */
export function treeMemory(root: number): TreeMemory {
  return summarise(
    processTree(root)
      .map(processMemory)
      .filter((m): m is ProcessMemory => m !== undefined),
  )
}

/** The same reading without the processes `drop` matches (e.g. `npm start`, which only launches the server). */
export function withoutProcesses(m: TreeMemory, drop: (p: ProcessMemory) => boolean): TreeMemory {
  return summarise(m.detail.filter((p) => !drop(p)))
}

function summarise(detail: ProcessMemory[]): TreeMemory {
  const names = new Map<string, { name: string; processes: number; pssBytes: number }>()
  for (const m of detail) {
    const entry = names.get(m.name) ?? { name: m.name, processes: 0, pssBytes: 0 }
    entry.processes++
    entry.pssBytes += m.pssBytes
    names.set(m.name, entry)
  }
  const sum = (k: 'pssBytes' | 'rssBytes' | 'pssAnonBytes') => detail.reduce((a, m) => a + m[k], 0)
  return {
    pssBytes: sum('pssBytes'),
    rssBytes: sum('rssBytes'),
    pssAnonBytes: sum('pssAnonBytes'),
    processes: detail.length,
    byName: [...names.values()].sort((a, b) => b.pssBytes - a.pssBytes),
    detail,
  }
}

/** Samples a tree on an interval; keeps the reading with the highest PSS and the most processes seen. */
export class TreeSampler {
  private timer: NodeJS.Timeout | undefined
  peak: TreeMemory | undefined
  last: TreeMemory | undefined
  peakProcesses = 0
  samples = 0

  constructor(
    readonly root: number,
    readonly intervalMs = 100,
  ) {}

  sample(): TreeMemory {
    const now = treeMemory(this.root)
    this.samples++
    this.last = now
    if (!this.peak || now.pssBytes > this.peak.pssBytes) this.peak = now
    this.peakProcesses = Math.max(this.peakProcesses, now.processes)
    return now
  }

  start(): this {
    this.sample()
    this.timer = setInterval(() => this.sample(), this.intervalMs)
    this.timer.unref()
    return this
  }

  /** Stops sampling (after one last reading) and returns the peak. */
  stop(): { peak: TreeMemory; last: TreeMemory; peakProcesses: number; samples: number } {
    clearInterval(this.timer)
    const last = this.sample()
    return { peak: this.peak!, last, peakProcesses: this.peakProcesses, samples: this.samples }
  }
}

/**
 * The tree's PSS once it has settled: the median of `samples` readings `intervalMs` apart (the
 * first reading after start-up or load still holds garbage and transient children).
 */
export async function settledTreeMemory(root: number, samples = 5, intervalMs = 200): Promise<TreeMemory> {
  const readings: TreeMemory[] = []
  for (let i = 0; i < samples; i++) {
    if (i) await new Promise((r) => setTimeout(r, intervalMs))
    readings.push(treeMemory(root))
  }
  return readings.sort((a, b) => a.pssBytes - b.pssBytes)[Math.floor(readings.length / 2)]!
}

/** Bytes as MB with one decimal (1 MB = 2^20 bytes, as smem and the peer harness print them). */
export const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10

/** "112.3 MB PSS in 9 processes (node 71.2, postgres 41.1)". */
export function describeTree(m: TreeMemory): string {
  const parts = m.byName.map((n) => `${n.name}${n.processes > 1 ? ` ×${n.processes}` : ''} ${mb(n.pssBytes)}`)
  return `${mb(m.pssBytes)} MB PSS in ${m.processes} processes (${parts.join(', ')})`
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}
