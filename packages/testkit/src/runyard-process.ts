// Real `runyard` processes (the CLI), for tests that need separate server/worker processes.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SERVER_NODE_FLAGS } from '../../../apps/server/bin/node-flags.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
export const repoRoot = path.resolve(here, '../../..')
export const SCRIPTED_EXECUTOR_MODULE = path.join(here, 'scripted-executor-module.ts')

export interface RunyardProcess {
  proc: ChildProcess
  /** Set for `start`. */
  url: string
  output(): string
  /** SIGTERM and wait for exit (graceful). */
  stop(): Promise<void>
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>
}

export function spawnRunyard(command: 'start' | 'worker', env: Record<string, string>): Promise<RunyardProcess> {
  // `node --import tsx` (not the tsx CLI): a signal must reach the process that runs the code.
  // Started as `npm start` starts it, with the same Node flags.
  const proc = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, '--import', 'tsx', path.join(repoRoot, 'apps/server/src/cli.ts'), command],
    {
      cwd: repoRoot,
      env: { ...process.env, RUNYARD_LOG_LEVEL: 'warn', RUNYARD_EXECUTOR_MODULE: SCRIPTED_EXECUTOR_MODULE, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = /listening on (\S+)/.exec(out)
      if (command === 'start' && m) resolve(handle(m[1]!))
      if (command === 'worker' && out.includes('worker ready')) resolve(handle(''))
    }
    const handle = (url: string): RunyardProcess => ({
      proc,
      url,
      output: () => out,
      stop: async () => {
        proc.kill('SIGTERM')
        await exited
      },
      kill: async () => {
        proc.kill('SIGKILL')
        await exited
      },
    })
    proc.stdout.on('data', onData)
    proc.stderr.on('data', onData)
    proc.once('exit', (code) => reject(new Error(`runyard ${command} exited with ${code}:\n${out}`)))
  })
}
