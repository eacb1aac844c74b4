// bubblewrap command lines for the `local` provider, and detection that bwrap really works
// here (installed is not enough: user namespaces may be disabled, seccomp may block it).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

export interface BwrapLayout {
  /** Host workspace (real path); bound read-write at the same path. */
  workspaceDir?: string
  /** Working directory inside the sandbox. */
  cwd: string
  allowNetwork: boolean
  /** Extra host paths exposed read-only at the same path (e.g. a toolchain under /opt). */
  readOnlyPaths: readonly string[]
}

// Top-level dirs that are symlinks into /usr on merged-/usr systems, real dirs elsewhere.
const SYSTEM_DIRS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']
// The pieces of /etc that bash, coreutils, git, node and TLS clients look at.
const ETC_PATHS = [
  '/etc/alternatives', '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/passwd', '/etc/group',
  '/etc/nsswitch.conf', '/etc/hosts', '/etc/localtime', '/etc/ssl', '/etc/ca-certificates', '/etc/pki',
  '/etc/gitconfig', '/etc/mime.types', '/etc/protocols', '/etc/services', '/etc/inputrc',
]
const NETWORK_ETC_PATHS = ['/etc/resolv.conf', '/etc/host.conf', '/etc/gai.conf']

function systemDirArgs(): string[] {
  const args: string[] = []
  for (const dir of SYSTEM_DIRS) {
    let st
    try {
      st = fs.lstatSync(dir)
    } catch {
      continue
    }
    if (st.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(dir), dir)
    else if (st.isDirectory()) args.push('--ro-bind', dir, dir)
  }
  return args
}

/** Node's install prefix, when node lives outside /usr (nvm, /opt/node...): bound read-only. */
export function nodePrefixOutsideUsr(): string | undefined {
  let real: string
  try {
    real = fs.realpathSync(process.execPath)
  } catch {
    return undefined
  }
  if (real.startsWith('/usr/')) return undefined
  return path.dirname(path.dirname(real))
}

/** bwrap options (everything before the command). Order matters: /tmp before the workspace. */
export function bwrapArgs(layout: BwrapLayout): string[] {
  const args = ['--unshare-all']
  if (layout.allowNetwork) args.push('--share-net')
  args.push('--die-with-parent', '--new-session')
  // as root, the sandboxed processes would otherwise keep capabilities (e.g. to remount /usr)
  if (process.getuid?.() === 0) args.push('--cap-drop', 'ALL')
  args.push('--ro-bind', '/usr', '/usr', ...systemDirArgs())
  for (const p of [...ETC_PATHS, ...(layout.allowNetwork ? NETWORK_ETC_PATHS : [])]) args.push('--ro-bind-try', p, p)
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp')
  const nodePrefix = nodePrefixOutsideUsr()
  for (const p of [...(nodePrefix ? [nodePrefix] : []), ...layout.readOnlyPaths]) args.push('--ro-bind-try', p, p)
  if (layout.workspaceDir) args.push('--bind', layout.workspaceDir, layout.workspaceDir)
  args.push('--chdir', layout.cwd)
  return args
}

/** Absolute path of `bwrap` on PATH, if any. */
export function findBwrap(searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(':')) {
    if (!dir) continue
    const candidate = path.join(dir, 'bwrap')
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      return candidate
    } catch {
      // keep looking
    }
  }
  return undefined
}

const probes = new Map<string, Promise<{ ok: true } | { ok: false; reason: string }>>()

/** Runs `bwrap <our options> /bin/true` once per bwrap binary and caches the verdict. */
export function probeBwrap(bwrap: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  let probe = probes.get(bwrap)
  if (!probe) {
    probe = new Promise((resolve) => {
      const args = [...bwrapArgs({ cwd: '/', allowNetwork: false, readOnlyPaths: [] }), '/bin/true']
      const child = spawn(bwrap, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: '/usr/bin:/bin' } })
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      child.on('error', (e) => {
        clearTimeout(timer)
        resolve({ ok: false, reason: `cannot run ${bwrap}: ${e.message}` })
      })
      child.on('close', (code, sig) => {
        clearTimeout(timer)
        if (code === 0) resolve({ ok: true })
        else resolve({ ok: false, reason: `${bwrap} does not work here (${sig ?? `exit ${code}`}): ${stderr.trim() || 'no output'}` })
      })
    })
    probes.set(bwrap, probe)
  }
  return probe
}
