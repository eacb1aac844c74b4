#!/usr/bin/env node
// Entry point of the root npm scripts (`npm start`, `npm test`, `npm run dev|bench|bench:peers|runyard`).
// Plain Node, no dependencies, so it works on a machine with only Node 20 + npm:
//   1. finds pnpm (the version in package.json's packageManager) on PATH, or installs it into
//      .runyard/tools with npm (corepack is not used: its signature keys fail here);
//   2. runs `pnpm install --frozen-lockfile` when node_modules is missing or pnpm-lock.yaml (or a
//      patch in patches/) changed since the last install (hashes kept in node_modules/.runyard-install);
//   3. generates the Prisma client when it is missing or older than the schema;
//   4. dispatches: start | cli | build | dev | test | bench | bench:peers. `start` and `cli` run
//      the compiled server (apps/server/dist/cli.mjs), built first when missing or older than its
//      sources; `dev` and the tests run the TypeScript sources through tsx.
import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { SERVER_NODE_FLAGS } from '../apps/server/bin/node-flags.mjs'
import { ROOT, log, newestMtime, pathWith, run, seconds } from './lib/proc.mjs'

const USAGE = 'usage: node scripts/bootstrap.mjs <start|cli|build|dev|test|bench|bench:peers> [args…]'
const [command, ...args] = process.argv.slice(2)

const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
const PNPM_VERSION = /^pnpm@([^+]+)/.exec(rootPkg.packageManager ?? '')?.[1] ?? '12.21.0'
const TOOLS_DIR = path.join(ROOT, '.runyard/tools')
const LOCAL_PNPM = path.join(TOOLS_DIR, 'node_modules/.bin/pnpm')
const MARKER = path.join(ROOT, 'node_modules/.runyard-install')
const LOCKFILE = path.join(ROOT, 'pnpm-lock.yaml')
// pnpm applies these to their packages at install (pnpm-workspace.yaml's patchedDependencies).
const PATCHES_DIR = path.join(ROOT, 'patches')

function fail(msg, code = 1) {
  process.stderr.write(`[runyard] error: ${msg}\n`)
  process.exit(code)
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number)
  if (major < 20 || (major === 20 && minor < 19))
    fail(`Node ${process.versions.node} is too old; Runyard needs Node >= 20.19`)
}

function versionOf(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env: { ...process.env, COREPACK_ENABLE_STRICT: '0' } })
  if (r.status !== 0) return undefined
  // pnpm may print warnings before the version; the version is the last line of stdout.
  return r.stdout.trim().split('\n').pop()?.trim()
}

/** The version in the locally installed pnpm's package.json (read, not run: a spawn costs ~25 ms of every start). */
function localPnpmVersion() {
  if (!fs.existsSync(LOCAL_PNPM)) return undefined
  try {
    return JSON.parse(fs.readFileSync(path.join(TOOLS_DIR, 'node_modules/pnpm/package.json'), 'utf8')).version
  } catch {
    return versionOf(LOCAL_PNPM)
  }
}

/** Returns the pnpm binary to use, installing it locally when needed. */
async function ensurePnpm() {
  if (localPnpmVersion() === PNPM_VERSION) return LOCAL_PNPM
  if (!process.env.RUNYARD_LOCAL_PNPM && versionOf('pnpm') === PNPM_VERSION) return 'pnpm'
  log(`installing pnpm ${PNPM_VERSION} into .runyard/tools…`)
  const t0 = Date.now()
  fs.mkdirSync(TOOLS_DIR, { recursive: true })
  // `npm start` gives us npm's own CLI in npm_execpath; otherwise use npm from PATH.
  const npmCli =
    process.env.npm_execpath && /npm-cli\.c?js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined
  const npmArgs = [
    'install',
    '--prefix',
    TOOLS_DIR,
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    `pnpm@${PNPM_VERSION}`,
  ]
  const r = npmCli ? await run(process.execPath, [npmCli, ...npmArgs]) : await run('npm', npmArgs)
  if (r.code !== 0 || versionOf(LOCAL_PNPM) !== PNPM_VERSION)
    fail(`could not install pnpm ${PNPM_VERSION} with npm (exit ${r.code})`)
  log(`pnpm ${PNPM_VERSION} installed (${seconds(t0)})`)
  return LOCAL_PNPM
}

/** Environment for everything started from here: repo bins and the chosen pnpm on PATH. */
function childEnv(pnpm) {
  const extra = pnpm === LOCAL_PNPM ? [path.dirname(LOCAL_PNPM)] : []
  return {
    ...process.env,
    PATH: pathWith(...extra),
    TURBO_TELEMETRY_DISABLED: '1',
    CHECKPOINT_DISABLE: '1',
    // pnpm 12 wants to record the packageManager pin in pnpm-lock.yaml, cannot here ("The
    // registry publishes no pnpm 12.21.0"), and then fails every --frozen-lockfile install
    // with ERR_PNPM_FROZEN_LOCKFILE_WITH_OUTDATED_LOCKFILE. `ignore` keeps the pin out of the
    // lockfile and uses the running pnpm (which ensurePnpm already matched to the pin).
    pnpm_config_pm_on_fail: process.env.pnpm_config_pm_on_fail ?? 'ignore',
  }
}

/**
 * Runs pnpm, retrying up to twice on the transient ERR_PNPM_BAD_CONFIG_DEP
 * (a 404 on @pnpm/exe.<platform>) that pnpm 12 sometimes reports.
 */
async function pnpmRun(pnpm, pnpmArgs, { env, echo = true } = {}) {
  let r
  for (let attempt = 1; attempt <= 3; attempt++) {
    r = await run(pnpm, pnpmArgs, { capture: true, echo, env })
    if (r.code === 0 || !r.output.includes('ERR_PNPM_BAD_CONFIG_DEP') || attempt === 3) break
    log(`pnpm hit the transient ERR_PNPM_BAD_CONFIG_DEP; retrying (${attempt}/2)…`)
    await new Promise((res) => setTimeout(res, 2000 * attempt))
  }
  return r
}

function lockHash() {
  return crypto.createHash('sha256').update(fs.readFileSync(LOCKFILE)).digest('hex')
}

/** The patch files, by name: an edited patch needs an install as a changed lockfile does. */
function patchFiles() {
  try {
    return fs
      .readdirSync(PATCHES_DIR)
      .filter((name) => name.endsWith('.patch'))
      .sort()
  } catch {
    return []
  }
}

function patchesHash() {
  const hash = crypto.createHash('sha256')
  for (const name of patchFiles()) hash.update(`${name}\0`).update(fs.readFileSync(path.join(PATCHES_DIR, name)))
  return hash.digest('hex')
}

/** The lockfile's and the patches' sizes and mtimes, kept in the marker: while they are unchanged, the hashes are too. */
function lockStat() {
  const st = fs.statSync(LOCKFILE)
  const patches = patchFiles().map((name) => {
    const p = fs.statSync(path.join(PATCHES_DIR, name))
    return `${name}:${p.size}:${p.mtimeMs}`
  })
  return { lockfileSize: st.size, lockfileMtimeMs: st.mtimeMs, patchesStat: patches.join('|') }
}

async function ensureInstalled(pnpm, env) {
  const hasModules = fs.existsSync(path.join(ROOT, 'node_modules'))
  let marker
  try {
    marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'))
  } catch {}
  const stat = lockStat()
  const force = Boolean(process.env.RUNYARD_FORCE_INSTALL)
  // The warm path: a stat instead of reading and hashing the lockfile (~200 KB, 5–15 ms of every start).
  if (
    hasModules &&
    !force &&
    marker?.lockfileSha256 &&
    marker.lockfileSize === stat.lockfileSize &&
    marker.lockfileMtimeMs === stat.lockfileMtimeMs &&
    marker.patchesStat === stat.patchesStat
  )
    return
  const hash = lockHash()
  const patches = patchesHash()
  if (hasModules && !force && marker?.lockfileSha256 === hash && marker.patchesSha256 === patches) {
    // Touched (a checkout, a merge) but the same: remember its new stat.
    writeMarker({ ...marker, ...stat })
    return
  }
  const why = !hasModules
    ? 'first run, ~1 min'
    : marker
      ? 'pnpm-lock.yaml or patches/ changed'
      : 'not installed by this script yet'
  log(`installing dependencies (${why})…`)
  const t0 = Date.now()
  const verbose = Boolean(process.env.RUNYARD_VERBOSE)
  const ticker = setInterval(() => log(`  still installing… ${seconds(t0)}`), 20_000)
  const r = await pnpmRun(
    pnpm,
    ['install', '--frozen-lockfile', '--yes', '--reporter=append-only', `--pm-on-fail=${env.pnpm_config_pm_on_fail}`],
    { env, echo: verbose },
  )
  clearInterval(ticker)
  if (r.code !== 0) {
    if (!verbose) process.stderr.write(tail(r.output, 80))
    fail(`pnpm install --frozen-lockfile failed (exit ${r.code}) after ${seconds(t0)}`)
  }
  writeMarker({
    lockfileSha256: hash,
    patchesSha256: patches,
    ...stat,
    pnpm: PNPM_VERSION,
    node: process.versions.node,
    at: new Date().toISOString(),
  })
  log(`dependencies installed (${seconds(t0)})`)
}

function writeMarker(marker) {
  fs.writeFileSync(MARKER, JSON.stringify(marker, null, 2) + '\n')
}

function tail(text, lines) {
  const all = text.trimEnd().split('\n')
  return (all.length > lines ? ['…', ...all.slice(-lines)] : all).join('\n') + '\n'
}

async function ensurePrismaClient(pnpm, env) {
  const client = path.join(ROOT, 'packages/db/src/generated/client.ts')
  const schema = path.join(ROOT, 'prisma/schema.prisma')
  if (fs.existsSync(client) && fs.statSync(client).mtimeMs >= newestMtime([schema])) return
  log('generating the Prisma client…')
  const t0 = Date.now()
  // generate.mjs calls `pnpm exec prisma generate`, hence the retry wrapper.
  const r = await pnpmRun(process.execPath, [path.join(ROOT, 'packages/db/scripts/generate.mjs')], { env, echo: false })
  if (r.code !== 0) {
    process.stderr.write(tail(r.output, 60))
    fail(`Prisma client generation failed (exit ${r.code})`)
  }
  log(`Prisma client generated (${seconds(t0)})`)
}

const CONSOLE_DIR = path.join(ROOT, 'apps/console')

async function ensureConsoleBuilt(pnpm, env, { force = false } = {}) {
  const built = path.join(CONSOLE_DIR, 'dist/index.html')
  const sources = [
    'src',
    'index.html',
    'public',
    'vite.config.ts',
    'vite.config.mjs',
    'vite.config.js',
    'package.json',
  ].map((p) => path.join(CONSOLE_DIR, p))
  if (
    fs.existsSync(built) &&
    fs.statSync(built).mtimeMs >= newestMtime(sources) &&
    !force &&
    !process.env.RUNYARD_FORCE_BUILD
  )
    return
  if (!fs.existsSync(path.join(CONSOLE_DIR, 'index.html'))) {
    log('the console has no apps/console/index.html yet: starting without it (API only)')
    return
  }
  log('building the console…')
  const t0 = Date.now()
  const r = await pnpmRun(pnpm, ['--filter', '@runyard/console', 'run', 'build'], {
    env,
    echo: Boolean(process.env.RUNYARD_VERBOSE),
  })
  if (r.code !== 0) {
    process.stderr.write(tail(r.output, 60))
    fail(`building the console failed (exit ${r.code}); see the output above`)
  }
  log(`console built (${seconds(t0)})`)
}

const SERVER_BUILD = path.join(ROOT, 'apps/server/scripts/build.mjs')

/**
 * Builds apps/server/dist/cli.mjs when it is missing or older than its inputs (or always, with
 * `force`), and returns its path.
 */
async function ensureServerBuilt({ force = false } = {}) {
  const { buildServer, isServerBuildCurrent, SERVER_ENTRY } = await import(SERVER_BUILD)
  if (force || process.env.RUNYARD_FORCE_BUILD || !isServerBuildCurrent(newestMtime)) {
    log('building the server…')
    const t0 = Date.now()
    try {
      const { inputs, bytes } = await buildServer()
      log(`server built: apps/server/dist/cli.mjs, ${inputs} modules, ${Math.round(bytes / 1024)} KiB (${seconds(t0)})`)
    } catch (err) {
      fail(`building the server failed: ${err?.errors?.length ? err.message : (err?.stack ?? err)}`)
    }
  }
  return SERVER_ENTRY
}

/** Runs a long-lived child in the foreground and exits with its exit code. */
async function handOver(cmd, cmdArgs, env) {
  const r = await run(cmd, cmdArgs, { env })
  process.exit(r.code)
}

/**
 * Runs the compiled server CLI: in this process when it was started with the server's Node
 * flags (apps/server/bin/node-flags.mjs, none today; package.json's `start` script gives them, as
 * only the command line can set some), else as a child with them. In this process it
 * saves a Node start (~50–100 ms) and this launcher's ~10 MB: the server registers its own
 * SIGINT/SIGTERM handlers and exits itself, as it does started alone. Nothing of the launcher is
 * left running by then (its children have exited, esbuild's service is stopped, run()'s signal
 * forwarding is removed), except the orphan check below.
 */
async function runServer(cliArgs, env) {
  const entry = await ensureServerBuilt()
  if (!SERVER_NODE_FLAGS.every((flag) => process.execArgv.includes(flag)))
    return handOver(process.execPath, [...SERVER_NODE_FLAGS, entry, ...cliArgs], env)
  Object.assign(process.env, env)
  process.argv = [process.execPath, entry, ...cliArgs]
  // As run() does for a child: when whatever started us goes away (npm killed), stop the server
  // (its SIGTERM handler drains it and stops the embedded PostgreSQL) instead of leaving it orphaned.
  const parent = process.ppid
  const orphanCheck = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(orphanCheck)
    process.kill(process.pid, 'SIGTERM')
  }, 1000)
  orphanCheck.unref()
  await import(pathToFileURL(entry).href)
}

async function main() {
  checkNode()
  if (!['start', 'cli', 'build', 'dev', 'test', 'bench', 'bench:peers'].includes(command)) fail(USAGE, 2)
  const pnpm = await ensurePnpm()
  const env = childEnv(pnpm)
  await ensureInstalled(pnpm, env)
  await ensurePrismaClient(pnpm, env)

  switch (command) {
    case 'start': {
      await ensureConsoleBuilt(pnpm, env)
      // The server serves the console only from RUNYARD_CONSOLE_DIR (no default of its own).
      return runServer(['start', ...args], { RUNYARD_CONSOLE_DIR: path.join(CONSOLE_DIR, 'dist'), ...env })
    }
    case 'cli':
      return runServer(args, env)
    case 'build':
      // `pnpm build`: the console and the server, rebuilt even when current.
      await ensureConsoleBuilt(pnpm, env, { force: true })
      await ensureServerBuilt({ force: true })
      return
    case 'dev': {
      for (const app of ['apps/server', 'apps/console']) {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, app, 'package.json'), 'utf8'))
        if (!pkg.scripts?.dev) fail(`${app}/package.json has no "dev" script`)
      }
      // turbo runs each dev script in its package folder; keep the server on the same data
      // directory as `npm start` (the server resolves a relative one against its cwd).
      const devEnv = { ...env, RUNYARD_DATA_DIR: path.resolve(ROOT, process.env.RUNYARD_DATA_DIR ?? '.runyard/data') }
      return handOver(path.join(ROOT, 'node_modules/.bin/turbo'), ['run', 'dev', ...args], devEnv)
    }
    case 'test':
      return handOver(process.execPath, [path.join(ROOT, 'scripts/test.mjs'), ...args], env)
    case 'bench':
      return handOver(process.execPath, [path.join(ROOT, 'scripts/bench.mjs'), ...args], env)
    case 'bench:peers':
      // Runyard against opencode and LangGraph (installed into ~/.cache/runyard-bench-peers).
      return handOver(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/peers/main.ts'), ...args], env)
  }
}

main().catch((err) => fail(err?.stack ?? String(err)))
