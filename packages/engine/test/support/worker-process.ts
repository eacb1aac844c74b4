// A standalone engine worker process with the scripted executor, for crash tests:
//   tsx packages/engine/test/support/worker-process.ts   (env: RUNYARD_TEST_DB_URL, RUNYARD_TEST_ENGINE_CONFIG as JSON)
// Prints "ready" once it takes jobs; killed with SIGKILL by the tests.
import { createDb } from '@runyard/db'
import { createEngine } from '../../src/index.ts'
import { ScriptedExecutor } from '@runyard/testkit/scripted-executor'

const url = process.env.RUNYARD_TEST_DB_URL
if (!url) throw new Error('RUNYARD_TEST_DB_URL is required')
const db = await createDb({ databaseUrl: url, migrate: false, poolSize: 4 })
const engine = createEngine({
  db,
  executor: new ScriptedExecutor(),
  config: JSON.parse(process.env.RUNYARD_TEST_ENGINE_CONFIG ?? '{}'),
})
await engine.start()
process.stdout.write('ready\n')
const shutdown = async () => {
  await engine.stop()
  await db.close()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown())
process.on('SIGINT', () => void shutdown())
