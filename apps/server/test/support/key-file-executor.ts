// For RUNYARD_EXECUTOR_MODULE in a spawned worker whose run keys a test needs: appends
// `<runId> <apiKey>` to RUNYARD_TEST_KEY_FILE when an execution starts, then hangs until stopped.
import { appendFileSync } from 'node:fs'
import type { RunContext, RunExecutor } from '@runyard/contract'
import { ScriptedExecutor } from '@runyard/testkit'

export function createExecutor(): RunExecutor {
  const file = process.env.RUNYARD_TEST_KEY_FILE
  if (!file) throw new Error('RUNYARD_TEST_KEY_FILE is not set')
  const hang = new ScriptedExecutor({ script: [{ hang: true }] })
  return {
    execute(ctx: RunContext) {
      appendFileSync(file, `${ctx.run.id} ${ctx.apiKey}\n`)
      return hang.execute(ctx)
    },
  }
}
