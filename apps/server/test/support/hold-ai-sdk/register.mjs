// `node --import <this file> apps/server/dist/cli.mjs start`: registers hooks.mjs, which holds
// the loading of the AI SDK (start-lazy-agent.test.ts). Plain JavaScript: Node loads it itself.
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url, {
  data: { releaseFile: process.env.HOLD_AI_SDK_RELEASE_FILE, logFile: process.env.HOLD_AI_SDK_LOG_FILE },
})
