// Module loader hooks (module.register) that hold the loading of the AI SDK: any module that is
// the `ai` package or a bundle chunk holding it (the chunk's source map, written next to it,
// lists the bundled files, `…/node_modules/.pnpm/ai@…/node_modules/ai/…`; the bundle itself is
// minified, without esbuild's file-name comments) is recorded in `logFile` and not handed to the
// process until `releaseFile` exists. A server that needs the AI SDK before it
// listens therefore never listens while it is held (start-lazy-agent.test.ts).
import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/** The `ai` package itself, or a chunk with its code bundled in. */
const AI_SDK_URL = /\/node_modules\/ai\/dist\//
const AI_SDK_SOURCE = /node_modules\/(?:\.pnpm\/ai@[^/]+\/node_modules\/)?ai\//

/** A bundle chunk whose source map lists a file of the `ai` package. */
function bundlesAiSdk(url) {
  if (!url.startsWith('file:') || !url.endsWith('.mjs')) return false
  let map
  try {
    map = JSON.parse(fs.readFileSync(new URL(`${url}.map`), 'utf8'))
  } catch {
    return false
  }
  return Array.isArray(map.sources) && map.sources.some((source) => AI_SDK_SOURCE.test(source))
}

let releaseFile
let logFile

export function initialize(data) {
  releaseFile = data.releaseFile
  logFile = data.logFile
  if (!releaseFile || !logFile) throw new Error('HOLD_AI_SDK_RELEASE_FILE and HOLD_AI_SDK_LOG_FILE must be set')
}

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context)
  if (AI_SDK_URL.test(url) || bundlesAiSdk(url)) {
    fs.appendFileSync(logFile, `${url}\n`)
    while (!fs.existsSync(releaseFile)) await sleep(20)
  }
  return loaded
}
