// For RUNYARD_EXECUTOR_MODULE in test processes (`runyard start|worker` with the scripted executor).
import { ScriptedExecutor } from './scripted-executor.ts'

export function createExecutor() {
  return new ScriptedExecutor()
}
