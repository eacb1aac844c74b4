// Module loader hooks (module.register) that hold the loading of the AI SDK: any module that is
// the `ai` package or a bundle chunk holding it (esbuild names each bundled file in a comment,
// `// node_modules/.pnpm/ai@…/node_modules/ai/dist/index.js`) is recorded in `logFile` and not
// handed to the process until `releaseFile` exists. A server that needs the AI SDK before it
// listens therefore never listens while it is held (start-lazy-agent.test.ts).
import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/** The `ai` package itself, or a chunk with its code bundled in. */
const AI_SDK_URL = /\/node_modules\/ai\/dist\//
const AI_SDK_BUNDLED = /^\/\/ \S*node_modules\/(?:\.pnpm\/ai@[^/]+\/node_modules\/)?ai\/dist\//m

let releaseFile
let logFile

export function initialize(data) {
  releaseFile = data.releaseFile
  logFile = data.logFile
  if (!releaseFile || !logFile) throw new Error('HOLD_AI_SDK_RELEASE_FILE and HOLD_AI_SDK_LOG_FILE must be set')
}

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context)
  const source =
    loaded.source === undefined || loaded.source === null
      ? ''
      : typeof loaded.source === 'string'
        ? loaded.source
        : new TextDecoder().decode(loaded.source)
  if (AI_SDK_URL.test(url) || AI_SDK_BUNDLED.test(source)) {
    fs.appendFileSync(logFile, `${url}\n`)
    while (!fs.existsSync(releaseFile)) await sleep(20)
  }
  return loaded
}
