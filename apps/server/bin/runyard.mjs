#!/usr/bin/env node
// The `runyard` command: the compiled server (dist/cli.mjs, `pnpm build` or `npm start` builds
// it) while it is current; otherwise the TypeScript sources through tsx, so a checkout that has
// not been built, or has changed since, still runs what its sources say.
import { isServerBuildCurrent, SERVER_ENTRY } from '../scripts/build.mjs'
import { pathToFileURL } from 'node:url'
import { newestMtime } from '../../../scripts/lib/proc.mjs'

if (isServerBuildCurrent(newestMtime)) {
  await import(pathToFileURL(SERVER_ENTRY).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli.ts')
}
