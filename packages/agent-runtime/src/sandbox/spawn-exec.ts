// Runs a command as a host child process (host provider: bash; local provider: bwrap) with
// the shared exec semantics: streaming, output cap, timeout and abort that kill the whole
// process group, and settling only once the process is gone.
import { spawn } from 'node:child_process'
import os from 'node:os'
import type { Readable } from 'node:stream'
import { SandboxAbortError, SandboxError } from './errors.ts'
import { OutputCapture } from './output.ts'
import {
  DEFAULT_EXEC_TIMEOUT_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  TIMEOUT_EXIT_CODE,
  type ExecOptions,
  type ExecResult,
} from './types.ts'

export interface ChildSpec {
  file: string
  args: string[]
  cwd: string
  env: Record<string, string>
  /**
   * Open fds of ours the child gets as fds 3, 4, ... (e.g. the workspace directory that
   * bwrap binds with `--bind-fd 3`). They only need to stay open until runChild returns:
   * the process is spawned synchronously.
   */
  extraFds?: number[]
}

/** After the main process exits, how long stray pipe holders may delay the result. */
const PIPE_GRACE_MS = 2_000
/**
 * The same after we killed the group: everything is dying, so wait longer for the pipes to
 * close (that is our signal that the processes are gone) even on a loaded machine.
 */
const KILLED_PIPE_GRACE_MS = 15_000

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

export function runChild(spec: ChildSpec, opts: ExecOptions = {}): Promise<ExecResult> {
  const { signal } = opts
  if (signal?.aborted) return Promise.reject(new SandboxAbortError('', ''))
  const maxBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS
  const stdout = new OutputCapture(maxBytes, opts.onStdout)
  const stderr = new OutputCapture(maxBytes, opts.onStderr)

  return new Promise<ExecResult>((resolve, reject) => {
    // detached => own process group, so a kill reaches everything the command started
    const child = spawn(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', ...(spec.extraFds ?? [])],
    })
    let timedOut = false
    let aborted = false
    let settled = false
    let exit: { code: number | null; sig: NodeJS.Signals | null } | undefined
    let graceTimer: NodeJS.Timeout | undefined

    const onAbort = (): void => {
      aborted = true
      killGroup(child.pid)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true
            killGroup(child.pid)
          }, timeoutMs)
        : undefined

    // slots 1 and 2 are 'pipe', so these streams exist (the extra fds lose the precise typing)
    const childOut = child.stdout as Readable
    const childErr = child.stderr as Readable
    childOut.on('data', (d: Buffer) => stdout.push(d))
    childErr.on('data', (d: Buffer) => stderr.push(d))

    const settle = (): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(graceTimer)
      signal?.removeEventListener('abort', onAbort)
      stdout.finish()
      stderr.finish()
      if (aborted) return reject(new SandboxAbortError(stdout.text(), stderr.text()))
      const signo = exit?.sig ? (os.constants.signals[exit.sig] ?? 0) : 0
      resolve({
        exitCode: timedOut ? TIMEOUT_EXIT_CODE : (exit?.code ?? (signo ? 128 + signo : -1)),
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut,
        truncated: stdout.truncated || stderr.truncated,
      })
    }

    child.on('error', (err) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      reject(new SandboxError(`Failed to start ${spec.file}: ${err.message}`, { cause: err }))
    })
    child.on('exit', (code, sig) => {
      exit = { code, sig }
      // Background processes do not outlive the command: reap the rest of the group so
      // nothing keeps running (or keeps our pipes open) after exec returns.
      killGroup(child.pid)
      graceTimer = setTimeout(
        () => {
          childOut.destroy()
          childErr.destroy()
          settle()
        },
        aborted || timedOut ? KILLED_PIPE_GRACE_MS : PIPE_GRACE_MS,
      )
    })
    child.on('close', settle)
  })
}
