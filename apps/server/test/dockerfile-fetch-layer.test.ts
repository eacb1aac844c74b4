// The image's dependency layer, checked without a container runtime: the build stage copies a few
// files, runs `pnpm fetch` (so that source changes reuse that layer), then copies the rest. Here
// exactly what the Dockerfile copies before `pnpm fetch` is laid out in an empty directory and the
// same pnpm runs `pnpm fetch` there, offline from this machine's store (the packages are the
// lockfile's, installed already): whatever that step needs and is not copied in (a patch file
// that pnpm-workspace.yaml's patchedDependencies names, say) fails the image's build, and here.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { repoRoot } from '../../../packages/testkit/src/runyard-process.ts'
import { readImage } from './support/image.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-fetch-layer-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

it("the build stage's `pnpm fetch` finds everything it needs in what is copied before it", { timeout: 180_000 }, () => {
  const build = readImage().stages.find((s) => s.name === 'build')!
  const fetchAt = build.instructions.findIndex(
    (i) => i.getKeyword() === 'RUN' && /\bpnpm fetch\b/.test(i.getArgumentsContent() ?? ''),
  )
  expect(fetchAt).toBeGreaterThan(0)
  const copied: string[] = []
  for (const i of build.instructions.slice(0, fetchAt)) {
    if (i.getKeyword() !== 'COPY') continue
    const args = i.getArguments().map((a) => a.getValue())
    expect(args.some((a) => a.startsWith('--'))).toBe(false) // from the build context only
    const destination = args.pop()!
    for (const source of args) {
      expect(source === '.' || source.includes('*')).toBe(false) // named files and folders only
      // `COPY a b ./` puts each into the workdir; `COPY patches ./patches` a folder under its name.
      const target = path.join(dir, destination.endsWith('/') ? path.basename(source) : destination)
      fs.cpSync(path.join(repoRoot, source), target, { recursive: true })
      copied.push(source)
    }
  }
  expect(copied).toContain('pnpm-lock.yaml')

  const pnpm = path.join(repoRoot, '.runyard/tools/node_modules/.bin/pnpm')
  const result = spawnSync(fs.existsSync(pnpm) ? pnpm : 'pnpm', ['fetch', '--offline'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', pnpm_config_pm_on_fail: 'ignore' },
    timeout: 170_000,
  })
  expect(result.status, `${result.stdout}${result.stderr}`.slice(-2000)).toBe(0)
})
