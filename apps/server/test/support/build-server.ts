import { spawnSync } from 'node:child_process'
import { repoRoot } from '../../../../packages/testkit/src/runyard-process.ts'

/** Builds the compiled server as `npm start` does when the sources are newer than apps/server/dist. */
export function buildServerIfStale(): void {
  const build = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const b = await import('./apps/server/scripts/build.mjs'); const { newestMtime } = await import('./scripts/lib/proc.mjs');
       if (!b.isServerBuildCurrent(newestMtime)) await b.buildServer()`,
    ],
    { cwd: repoRoot, encoding: 'utf8' },
  )
  if (build.status !== 0) throw new Error(`building the server failed:\n${build.stderr}`)
}
