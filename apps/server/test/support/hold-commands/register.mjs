// `node --import tsx --import <this file> apps/server/src/cli.ts start`: registers hooks.mjs, which
// holds the loading of commands.ts (cli.ts's second step) until HOLD_COMMANDS_RELEASE_FILE exists,
// so a test can act in the window between the early PostgreSQL's spawn and the rest of the
// start-up (early-postgres-exit.test.ts). Plain JavaScript: Node loads it itself.
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url, { data: { releaseFile: process.env.HOLD_COMMANDS_RELEASE_FILE } })
