// Runyard's cold first start: a fresh clone of this checkout's HEAD, then `npm start` until it is
// healthy, everything included (pnpm, `pnpm install`, the Prisma client, the console build, the
// embedded PostgreSQL's first start); then its idle memory.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { repoRoot } from '@runyard/testkit/runyard-process'
import { settledTreeMemory } from '../lib/pss.ts'
import { startScriptedModel } from './model.ts'
import { freePort, start, waitHealthy } from './process.ts'
import type { ColdStart } from './report.ts'
import { runyardNpmStart } from './servers/runyard.ts'

export async function coldStart(log: (line: string) => void): Promise<ColdStart> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runyard-bench-cold-'))
  const model = await startScriptedModel()
  let ok = false
  try {
    const clone = path.join(dir, 'runyard')
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${repoRoot}`, clone], { stdio: 'inherit' })
    log(
      `cold start: cloned ${execFileSync('git', ['-C', clone, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()} into ${clone}`,
    )
    const server = runyardNpmStart(clone)
    const port = await freePort()
    const t0 = performance.now()
    const proc = start(
      server.command({ state: path.join(dir, 'state'), port, modelUrl: model.url }),
      path.join(dir, 'server.log'),
    )
    try {
      const ms = await waitHealthy(`http://127.0.0.1:${port}${server.healthPath}`, t0, proc, 20 * 60_000)
      const idle = await settledTreeMemory(proc.pid)
      ok = true
      return { ms, idle }
    } finally {
      await proc.stop()
    }
  } finally {
    await model.close()
    if (ok) await fs.rm(dir, { recursive: true, force: true }).catch(() => {})
    else log(`cold start failed: clone and log kept in ${dir}`)
  }
}
