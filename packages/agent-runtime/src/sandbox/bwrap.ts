// bubblewrap command lines for the `local` provider, and detection that bwrap really works
// here (installed is not enough: user namespaces may be disabled, seccomp may block it).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface BwrapLayout {
  /**
   * The host workspace, bound read-write at `path` from `fd`, an fd bwrap inherits that is
   * open on the workspace directory (so the mount cannot be redirected by a path swapped
   * after we opened it: bwrap also checks the mount is that directory).
   */
  workspace?: { fd: number; path: string }
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
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/passwd',
  '/etc/group',
  '/etc/nsswitch.conf',
  '/etc/hosts',
  '/etc/localtime',
  '/etc/ca-certificates',
  // certificates only: /etc/ssl/private and /etc/pki/tls/private hold the host's keys
  '/etc/ssl/certs',
  '/etc/ssl/openssl.cnf',
  '/etc/pki/ca-trust',
  '/etc/pki/tls/certs',
  '/etc/pki/tls/cert.pem',
  '/etc/pki/tls/openssl.cnf',
  '/etc/gitconfig',
  '/etc/mime.types',
  '/etc/protocols',
  '/etc/services',
  '/etc/inputrc',
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

/** The unprivileged user the sandboxed commands run as (mapped to the server's own uid/gid outside). */
function sandboxIds(): { uid: number; gid: number } {
  // a server running as root gets `nobody` inside; any other user keeps its own ids
  const uid = process.getuid?.() ?? 0
  const gid = process.getgid?.() ?? 0
  return { uid: uid === 0 ? NOBODY : uid, gid: gid === 0 ? NOBODY : gid }
}
const NOBODY = 65534

/**
 * bwrap options (everything before the command). A user namespace always, so that the
 * commands run as an unprivileged uid without capabilities even when the server is root;
 * outside, their files belong to the server's uid. Order matters: /tmp before the workspace,
 * and `/` is made read-only last (the workspace and /tmp stay the only writable mounts).
 */
export function bwrapArgs(layout: BwrapLayout): string[] {
  const { uid, gid } = sandboxIds()
  const args = ['--unshare-all', '--unshare-user', '--uid', String(uid), '--gid', String(gid)]
  if (layout.allowNetwork) args.push('--share-net')
  args.push('--die-with-parent', '--new-session', '--cap-drop', 'ALL')
  args.push('--ro-bind', '/usr', '/usr', ...systemDirArgs())
  for (const p of [...ETC_PATHS, ...(layout.allowNetwork ? NETWORK_ETC_PATHS : [])]) args.push('--ro-bind-try', p, p)
  // The commands' uid is the server's outside, and procfs grants root's uid write access to
  // sysctls by uid alone (kernel.core_pattern would run a program as host root): /proc is
  // read-only. bwrap's own read-only cover of /proc/sys is skipped (0.8.0 decides by
  // access(2) on the directory, mode 0555), so it cannot be relied on.
  args.push('--proc', '/proc', '--remount-ro', '/proc', '--dev', '/dev', '--tmpfs', '/tmp')
  const nodePrefix = nodePrefixOutsideUsr()
  for (const p of [...(nodePrefix ? [nodePrefix] : []), ...layout.readOnlyPaths]) args.push('--ro-bind-try', p, p)
  if (layout.workspace) args.push('--bind-fd', String(layout.workspace.fd), layout.workspace.path)
  args.push('--remount-ro', '/', '--chdir', layout.cwd)
  return args
}

/** Absolute path of `bwrap` in a PATH-style list of folders, if any. */
export function findBwrap(searchPath: string): string | undefined {
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

/**
 * Runs `bwrap <our options> /bin/true` once per bwrap binary and caches the verdict: the same
 * options as real commands (user namespace, uid, `--bind-fd` of a scratch workspace), so a
 * host without user namespaces or a bwrap without `--bind-fd` reports why.
 */
export function probeBwrap(bwrap: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  let probe = probes.get(bwrap)
  if (!probe) {
    probe = runProbe(bwrap)
    probes.set(bwrap, probe)
  }
  return probe
}

async function runProbe(bwrap: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  let scratch: string
  let dirFd: number
  try {
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-bwrap-probe-')))
    dirFd = fs.openSync(scratch, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY)
  } catch (e) {
    return { ok: false, reason: `cannot prepare the bwrap check: ${(e as Error).message}` }
  }
  try {
    return await new Promise((resolve) => {
      const workspace = { fd: 3, path: scratch }
      const args = [...bwrapArgs({ workspace, cwd: scratch, allowNetwork: false, readOnlyPaths: [] }), '/bin/true']
      const child = spawn(bwrap, args, {
        cwd: '/',
        stdio: ['ignore', 'ignore', 'pipe', dirFd],
        env: { PATH: '/usr/bin:/bin' },
      })
      let stderr = ''
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      child.on('error', (e) => {
        clearTimeout(timer)
        resolve({ ok: false, reason: `cannot run ${bwrap}: ${e.message}` })
      })
      child.on('close', (code, sig) => {
        clearTimeout(timer)
        if (code === 0) resolve({ ok: true })
        else
          resolve({
            ok: false,
            reason: `${bwrap} does not work here (${sig ?? `exit ${code}`}): ${stderr.trim() || 'no output'}`,
          })
      })
    })
  } finally {
    fs.closeSync(dirFd)
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}
