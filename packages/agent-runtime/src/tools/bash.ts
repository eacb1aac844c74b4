// `bash`: one command in the sandbox, with a timeout, an output cap and the exit code reported.
// A non-zero exit is a normal result (the model reads it); only a failure to run is an error.
import { tool } from 'ai'
import { z } from 'zod'
import type { ExecResult } from '../sandbox/index.ts'
import type { ToolEnvironment } from './context.ts'
import { capMiddle } from './text.ts'

/** The tool's input, built once: the AI SDK's JSON Schema of it is then computed once per process (tools/index.ts). */
const INPUT_SCHEMA = z.object({
  command: z.string().min(1).describe('The command line, run with bash -c'),
  cwd: z.string().optional().describe('Working directory relative to the workspace (default: the workspace root)'),
  timeout_ms: z.number().int().positive().optional().describe('Kill the command after this many milliseconds'),
})

export function formatExecResult(r: ExecResult, timeoutMs: number): string {
  const lines = [
    `Exit code: ${r.exitCode}${r.timedOut ? ` (timed out after ${Math.round(timeoutMs / 1000)} s; the command was killed)` : ''}`,
  ]
  if (r.stdout) lines.push('--- stdout ---', r.stdout.replace(/\n$/, ''))
  if (r.stderr) lines.push('--- stderr ---', r.stderr.replace(/\n$/, ''))
  if (!r.stdout && !r.stderr) lines.push('(no output)')
  if (r.truncated) lines.push('(output was cut at the sandbox output limit)')
  return lines.join('\n')
}

export function bashTool(env: ToolEnvironment) {
  const { bashTimeoutMs, bashMaxTimeoutMs, maxOutputChars } = env.limits
  return tool({
    description:
      'Run a bash command in the workspace sandbox and return its exit code, stdout and stderr. ' +
      `Default timeout ${Math.round(bashTimeoutMs / 1000)} s (max ${Math.round(bashMaxTimeoutMs / 1000)} s). ` +
      'Use the file tools (read, write, edit, grep, glob) for file access where possible.',
    inputSchema: INPUT_SCHEMA,
    execute: async ({ command, cwd, timeout_ms }, { abortSignal }) => {
      const timeoutMs = Math.min(timeout_ms ?? bashTimeoutMs, bashMaxTimeoutMs)
      const result = await env
        .sandbox()
        .exec(command, { ...(cwd ? { cwd } : {}), timeoutMs, ...(abortSignal ? { signal: abortSignal } : {}) })
      return capMiddle(formatExecResult(result, timeoutMs), maxOutputChars)
    },
  })
}
