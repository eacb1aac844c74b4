// One start of Runyard's `npm start` on a fresh state folder, until healthy, then its idle memory:
// once before the rounds (so that what `npm start` builds on its first start is not counted in a
// round), and on a fresh clone of this checkout's HEAD: the cold first start, everything included
// (pnpm, `pnpm install`, the Prisma client, the builds, the embedded PostgreSQL's first start).
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

/** `idleS`: seconds between healthy and the idle reading (the warm rounds' idle time). */
async function startOnce(root: string, dir: string, idleS = 0): Promise<ColdStart> {
  const server = runyardNpmStart(root)
  const model = await startScriptedModel()
  const port = await freePort()
  const t0 = performance.now()
  const proc = start(
    server.command({ state: path.join(dir, 'state'), port, modelUrl: model.url }),
    path.join(dir, 'server.log'),
  )
  try {
    const ms = await waitHealthy(`http://127.0.0.1:${port}${server.healthPath}`, t0, proc, 20 * 60_000)
    await new Promise((r) => setTimeout(r, idleS * 1000))
    return { ms, idle: await settledTreeMemory(proc.pid) }
  } finally {
    await proc.stop()
    await model.close()
  }
}

/** In a temporary folder, removed afterwards unless the start failed. */
async function inTemporaryFolder<T>(
  name: string,
  log: (line: string) => void,
  f: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `runyard-bench-${name}-`))
  try {
    const result = await f(dir)
    await fs.rm(dir, { recursive: true, force: true })
    return result
  } catch (err) {
    log(`${name} failed; its files and log are kept in ${dir}`)
    throw err
  }
}

/** `npm start` in this checkout once, so that the rounds start what is already built. */
export const prepareRunyard = (log: (line: string) => void) =>
  inTemporaryFolder('prepare', log, (dir) => startOnce(repoRoot, dir))

export const coldStart = (log: (line: string) => void, idleS: number) =>
  inTemporaryFolder('cold', log, async (dir) => {
    const clone = path.join(dir, 'runyard')
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${repoRoot}`, clone], { stdio: 'inherit' })
    log(
      `cold start: a fresh clone of ${execFileSync('git', ['-C', clone, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()} in ${clone}`,
    )
    return startOnce(clone, dir, idleS)
  })
