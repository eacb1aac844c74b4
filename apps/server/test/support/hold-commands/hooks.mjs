// Module hooks (register.mjs): cli.ts's import of commands.ts waits until the release file exists.
import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

let releaseFile

export function initialize(data) {
  releaseFile = data?.releaseFile
}

export async function resolve(specifier, context, next) {
  if (releaseFile && specifier === './commands.ts' && context.parentURL?.endsWith('/apps/server/src/cli.ts'))
    while (!fs.existsSync(releaseFile)) await sleep(20)
  return next(specifier, context)
}
