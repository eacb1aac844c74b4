// `runyard <command>` spawned as the start-up tests run it: from its sources (the server's Node
// flags and tsx) or from the compiled build, with an environment without the test runner's own
// Runyard, E2B, database, OpenAI or OpenTelemetry settings (so a test's RUNYARD_DATA_DIR, not the
// runner's, decides where it starts, and only the model or trace endpoint it names is used).
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { repoRoot } from '@runyard/testkit/runyard-process'
import { SERVER_NODE_FLAGS } from '../../bin/node-flags.mjs'

/** This process's environment without any Runyard, E2B, database, OpenAI or OpenTelemetry setting of its own. */
export function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(RUNYARD_|E2B_|OPENAI_|OTEL_|DATABASE_URL$)/.test(k)),
  )
}

export interface SpawnedCli {
  proc: ChildProcessByStdio<null, Readable, Readable>
  /** Everything written to stdout and stderr so far. */
  output(): string
  exited: Promise<number | null>
}

/** `runyard <command>` from the sources, with `cleanEnv()` and then `env`; its output collected. */
export function spawnSourceCli(command: string, env: Record<string, string>): SpawnedCli {
  return spawnCli(['--import', 'tsx', path.join(repoRoot, 'apps/server/src/cli.ts'), command], { cwd: repoRoot, env })
}

/**
 * `runyard start` from the compiled build (apps/server/dist/cli.mjs, see build-server.ts), in `cwd`,
 * after the modules in `imports` (loader hooks), with `cleanEnv()` and then `env`.
 */
export function spawnCompiledStart(opts: { cwd: string; env: Record<string, string>; imports?: string[] }): SpawnedCli {
  const imports = (opts.imports ?? []).flatMap((module) => ['--import', module])
  return spawnCli([...imports, path.join(repoRoot, 'apps/server/dist/cli.mjs'), 'start'], opts)
}

function spawnCli(args: string[], { cwd, env }: { cwd: string; env: Record<string, string> }): SpawnedCli {
  const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...args], {
    cwd,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  return { proc, output: () => out, exited }
}

/**
 * The lines of a JSON-logging server's output that report an error (pino levels 50 and 60) or a
 * connection cut under it, except the CLI's own "shutting down" notice; each cut to 300 characters.
 */
export function errorLines(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /"level":(5|6)\d/.test(line) || /terminating connection|shutting down/i.test(line))
    .filter((line) => !line.startsWith('[runyard] shutting down'))
    .map((line) => line.slice(0, 300))
}
