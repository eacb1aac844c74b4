// Small process helpers shared by bootstrap.mjs, test.mjs and bench.mjs. Plain Node, no
// dependencies: these run before node_modules exists.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export function log(msg) {
  process.stdout.write(`[runyard] ${msg}\n`)
}

export function seconds(sinceMs) {
  return `${Math.round((Date.now() - sinceMs) / 100) / 10} s`
}

/** PATH with the repo's node_modules/.bin (and any extra dirs) in front. */
export function pathWith(...dirs) {
  const parts = [...dirs, path.join(ROOT, 'node_modules/.bin'), process.env.PATH ?? '']
  return parts.filter(Boolean).join(path.delimiter)
}

export const SIGNO = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }

/**
 * Runs a command to completion and resolves with { code, signal, output, timedOut }.
 *
 * - `capture`: collect stdout+stderr into `output` (also streamed when `echo` is true).
 * - `group`: run in its own process group (stdin ignored) so that a timeout or a forwarded
 *   signal reaches the whole tree (vitest workers, embedded PostgreSQL, browsers).
 * - `timeoutMs`: SIGTERM the group, then SIGKILL 10 s later.
 * - Signals this process receives are forwarded (once per 500 ms). Without `group`, SIGINT
 *   and SIGHUP from an interactive terminal already reach the child through the terminal's
 *   process group, so they are only forwarded when stdin is not a TTY.
 * - When this process's parent goes away, the child gets SIGTERM.
 */
export function run(cmd, args, opts = {}) {
  const { capture = false, echo = true, group = false, timeoutMs, cwd = ROOT, env = process.env, stdin } = opts
  return new Promise((resolve) => {
    let output = ''
    let timedOut = false
    let child
    try {
      child = spawn(cmd, args, {
        cwd,
        env,
        detached: group,
        stdio: [stdin ?? (group ? 'ignore' : 'inherit'), capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
      })
    } catch (err) {
      resolve({ code: 127, signal: null, output: String(err), timedOut })
      return
    }
    const kill = (sig) => {
      try {
        if (group) process.kill(-child.pid, sig)
        else child.kill(sig)
      } catch {}
    }
    if (capture) {
      const onData = (stream) => (chunk) => {
        output += chunk
        if (echo) stream.write(chunk)
      }
      child.stdout.on('data', onData(process.stdout))
      child.stderr.on('data', onData(process.stderr))
    }
    let lastForward = 0
    const interactive = process.stdin.isTTY
    const forward = (sig) => {
      if (!group && interactive && sig !== 'SIGTERM') return
      if (Date.now() - lastForward < 500) return
      lastForward = Date.now()
      kill(sig)
    }
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP']
    for (const s of signals) process.on(s, forward)
    let timer, killTimer
    if (timeoutMs) {
      timer = setTimeout(() => {
        timedOut = true
        kill('SIGTERM')
        killTimer = setTimeout(() => kill('SIGKILL'), 10_000)
        killTimer.unref()
      }, timeoutMs)
    }
    // If whatever started us goes away (npm's `sh -c` dies on SIGTERM without passing it on,
    // or npm is killed), stop the child instead of leaving it running as an orphan.
    const parent = process.ppid
    const orphanCheck = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(orphanCheck)
        kill('SIGTERM')
      }
    }, 1000)
    orphanCheck.unref()
    const onExit = () => kill('SIGTERM')
    if (group) process.on('exit', onExit)
    child.on('error', (err) => {
      output += String(err)
      finish(err.code === 'ENOENT' ? 127 : 1, null)
    })
    child.on('close', (code, signal) => finish(code, signal))
    let done = false
    function finish(code, signal) {
      if (done) return
      done = true
      clearTimeout(timer)
      clearInterval(orphanCheck)
      for (const s of signals) process.off(s, forward)
      if (group) {
        process.off('exit', onExit)
        // Anything the command left behind in its group (a stray server, a browser) goes too.
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {}
      }
      resolve({ code: code ?? (signal ? 128 + (os.constants.signals[signal] ?? 1) : 1), signal, output, timedOut })
    }
  })
}

/** Newest mtime (ms) of the files under the given paths (missing paths are ignored). */
export function newestMtime(paths) {
  let newest = 0
  const visit = (p) => {
    let st
    try {
      st = fs.statSync(p)
    } catch {
      return
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) if (e !== 'node_modules' && e !== 'dist') visit(path.join(p, e))
    } else newest = Math.max(newest, st.mtimeMs)
  }
  for (const p of paths) visit(p)
  return newest
}
