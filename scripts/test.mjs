#!/usr/bin/env node
// Runs every test suite and ends with exactly one line `N passed, N failed` (sum of all suites).
//   typecheck  each workspace package's `typecheck` script (one test per package)
//   lint       the root `lint` script (ESLint with typed rules, eslint.config.mjs) and `format:check`
//              (Prettier, .prettierrc.json): one test each
//   vitest     `vitest run` at the root (all projects), counted from test-results/vitest.json
//   e2e        `playwright test`, counted from test-results/e2e-report.json (0 without specs)
// Skipped/todo tests are reported but not counted as passed. A suite that crashes or produces
// no report counts as 1 failed. Exit code 1 when anything failed.
//
// Usage: node scripts/test.mjs [typecheck] [lint] [vitest] [e2e]   (default: all, in this order)
// Env:   RUNYARD_TEST_TIMEOUT_MIN  per-suite time limit in minutes (default 20)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT, log, run, seconds } from './lib/proc.mjs'

const ALL = ['typecheck', 'lint', 'vitest', 'e2e']
const selected = process.argv.slice(2).filter((a) => ALL.includes(a))
const unknown = process.argv.slice(2).filter((a) => !ALL.includes(a))
if (unknown.length) {
  process.stderr.write(
    `[runyard] unknown argument(s): ${unknown.join(' ')}\nusage: node scripts/test.mjs [${ALL.join('] [')}]\n`,
  )
  process.exit(2)
}
const suites = selected.length ? ALL.filter((s) => selected.includes(s)) : ALL

const RESULTS = path.join(ROOT, 'test-results')
const VITEST_JSON = path.join(RESULTS, 'vitest.json')
const E2E_JSON = path.join(RESULTS, 'e2e-report.json') // written by playwright.config.ts
const BIN = path.join(ROOT, 'node_modules/.bin')
const SUITE_TIMEOUT = Number(process.env.RUNYARD_TEST_TIMEOUT_MIN || 20) * 60_000

let interrupted = false
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => (interrupted = true))

/** @typedef {{ name: string, passed: number, failed: number, skipped: number, ms: number, note?: string, problems: string[] }} SuiteResult */

function banner(title) {
  process.stdout.write(`\n[runyard] ── ${title} ${'─'.repeat(Math.max(0, 60 - title.length))}\n`)
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

/** Globs under `packages:` in pnpm-workspace.yaml (only `dir` and `dir/*` forms are used here). */
function workspaceGlobs() {
  const globs = []
  let inPackages = false
  for (const line of fs.readFileSync(path.join(ROOT, 'pnpm-workspace.yaml'), 'utf8').split('\n')) {
    if (/^\S/.test(line)) inPackages = /^packages:\s*$/.test(line)
    else if (inPackages) {
      const m = /^\s+-\s+['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line)
      if (m) globs.push(m[1])
    }
  }
  return globs.length ? globs : ['packages/*', 'apps/*']
}

function workspacePackages() {
  const dirs = []
  for (const glob of workspaceGlobs()) {
    if (glob.startsWith('!')) continue
    let candidates = [glob]
    if (glob.endsWith('/*')) {
      const base = path.join(ROOT, glob.slice(0, -2))
      candidates = fs.existsSync(base)
        ? fs
            .readdirSync(base)
            .sort()
            .map((n) => `${glob.slice(0, -2)}/${n}`)
        : []
    }
    for (const rel of candidates) {
      const pkgFile = path.join(ROOT, rel, 'package.json')
      if (!fs.existsSync(pkgFile)) continue
      const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'))
      dirs.push({ dir: path.join(ROOT, rel), rel, name: pkg.name ?? rel, script: pkg.scripts?.typecheck })
    }
  }
  return dirs
}

/** Typecheck: each package's `typecheck` script, run directly (no pnpm), two at a time. */
async function typecheck() {
  const t0 = Date.now()
  const pkgs = workspacePackages()
  const withScript = pkgs.filter((p) => p.script)
  const without = pkgs.filter((p) => !p.script)
  const result = { name: 'typecheck', passed: 0, failed: 0, skipped: 0, ms: 0, problems: [] }
  if (without.length) log(`no typecheck script (not counted): ${without.map((p) => p.name).join(', ')}`)
  const queue = [...withScript]
  const concurrency = Math.max(1, Math.min(os.availableParallelism?.() ?? 2, 4))
  const worker = async () => {
    for (let p = queue.shift(); p && !interrupted; p = queue.shift()) {
      const start = Date.now()
      const env = {
        ...process.env,
        PATH: [path.join(p.dir, 'node_modules/.bin'), BIN, process.env.PATH].join(path.delimiter),
      }
      const r = await run('sh', ['-c', p.script], {
        cwd: p.dir,
        env,
        capture: true,
        echo: false,
        group: true,
        timeoutMs: SUITE_TIMEOUT,
      })
      const errors = r.output.split('\n').filter((l) => /error TS\d+/.test(l))
      if (r.code === 0) {
        result.passed++
        log(`  ✓ ${p.name} (${seconds(start)})`)
      } else if (errors.length > 0 && errors.every((l) => l.includes('error TS18003'))) {
        // TS18003 "No inputs were found": a scaffolded package without sources yet.
        result.skipped++
        log(`  - ${p.name}: no source files yet (TS18003), skipped`)
      } else {
        result.failed++
        const why = r.timedOut ? 'timed out' : `exit ${r.code}`
        result.problems.push(`${p.name}: typecheck failed (${why})`)
        const out = r.output.trimEnd().split('\n')
        const shown = out.length > 150 ? [...out.slice(0, 150), `… ${out.length - 150} more lines`] : out
        process.stdout.write(
          `[runyard]   ✗ ${p.name} (${why}, ${seconds(start)})\n${shown.map((l) => `      ${l}`).join('\n')}\n`,
        )
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  result.ms = Date.now() - t0
  return result
}

/**
 * Lint: the root package.json's `lint` script (ESLint, what `pnpm lint` runs) and its
 * `format:check` script (Prettier, what `pnpm format:check` runs), run directly (no pnpm).
 * One test each: it passes when the tool reports nothing; otherwise the tool's report is shown.
 */
const LINT_CHECKS = [
  { tool: 'eslint', script: 'lint', fix: '`pnpm lint --fix` fixes some', count: /✖ (\d+) problems?/ },
  {
    tool: 'prettier',
    script: 'format:check',
    fix: '`pnpm format` rewrites them',
    count: /Code style issues found in (\d+) files?/,
  },
]

async function lint() {
  const t0 = Date.now()
  const result = { name: 'lint', passed: 0, failed: 0, skipped: 0, ms: 0, problems: [] }
  const scripts = readJson(path.join(ROOT, 'package.json'))?.scripts ?? {}
  const env = { ...process.env, PATH: [BIN, process.env.PATH].join(path.delimiter) }
  for (const check of LINT_CHECKS) {
    const started = Date.now()
    const script = scripts[check.script]
    if (!script) {
      result.failed += 1
      result.problems.push(`package.json has no "${check.script}" script: counted as 1 failed`)
      continue
    }
    log(`${script}${check.tool === 'eslint' ? ' (typed rules: a minute or two)' : ''}`)
    const r = await run('sh', ['-c', script], {
      cwd: ROOT,
      env,
      capture: true,
      echo: false,
      group: true,
      timeoutMs: SUITE_TIMEOUT,
    })
    if (r.code === 0) {
      result.passed += 1
      log(`  ✓ ${check.tool}: no problems (${seconds(started)})`)
      continue
    }
    result.failed += 1
    const summary = check.count.exec(r.output)
    const why = r.timedOut ? 'timed out' : summary ? `${summary[1]} problem(s)` : `exit ${r.code}`
    result.problems.push(`${check.tool}: ${why} (run \`pnpm ${check.script}\` to see them, ${check.fix})`)
    const out = r.output.trimEnd().split('\n')
    const shown = out.length > 200 ? [...out.slice(0, 200), `… ${out.length - 200} more lines`] : out
    process.stdout.write(
      `[runyard]   ✗ ${check.tool} (${why}, ${seconds(started)})\n${shown.map((l) => `      ${l}`).join('\n')}\n`,
    )
  }
  result.ms = Date.now() - t0
  return result
}

/** Vitest: all projects in one run; counts come from its JSON report. */
async function vitest() {
  const t0 = Date.now()
  fs.rmSync(VITEST_JSON, { force: true })
  const r = await run(
    path.join(BIN, 'vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile=${path.relative(ROOT, VITEST_JSON)}`],
    { group: true, timeoutMs: SUITE_TIMEOUT },
  )
  const result = { name: 'vitest', passed: 0, failed: 0, skipped: 0, ms: Date.now() - t0, problems: [] }
  const report = readJson(VITEST_JSON)
  if (!report) {
    result.failed = 1
    result.problems.push(
      `vitest ${r.timedOut ? 'timed out' : `exited with code ${r.code}`} without writing ${path.relative(ROOT, VITEST_JSON)} (crashed, e.g. in a global setup): counted as 1 failed`,
    )
    return result
  }
  result.passed = report.numPassedTests ?? 0
  result.failed = report.numFailedTests ?? 0
  result.skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  // A file that fails to load or whose hooks throw has no failed test of its own: count it once.
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length
    if (file.status === 'failed' && failedTests === 0) {
      result.failed++
      const msg = (file.message || 'failed without a failing test').split('\n')[0]
      result.problems.push(`${path.relative(ROOT, file.name)}: ${msg}`)
    }
  }
  if (r.code !== 0 && result.failed === 0) {
    result.failed = 1
    result.problems.push(
      `vitest ${r.timedOut ? 'timed out' : `exited with code ${r.code}`} although no test failed (unhandled error or teardown failure?): counted as 1 failed`,
    )
  }
  return result
}

function findSpecs(dir) {
  const found = []
  const visit = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name)
      if (e.isDirectory() && e.name !== 'node_modules') visit(p)
      else if (/\.(spec|test)\.[cm]?[jt]sx?$/.test(e.name)) found.push(p)
    }
  }
  visit(dir)
  return found
}

/** Playwright: counts come from its JSON report (stats.expected/unexpected/flaky/skipped). */
async function e2e() {
  const t0 = Date.now()
  const result = { name: 'e2e', passed: 0, failed: 0, skipped: 0, ms: 0, problems: [] }
  const specs = findSpecs(path.join(ROOT, 'e2e'))
  if (!specs.length) {
    result.note = 'no specs in e2e/ yet'
    log('no e2e specs yet (e2e/*.spec.ts): 0 tests')
    return result
  }
  const chromium = '/usr/bin/chromium'
  if (!fs.existsSync(chromium)) {
    result.failed = 1
    result.problems.push(
      `${chromium} is missing (install it: apt-get install -y chromium, or run .ci/run): e2e counted as 1 failed`,
    )
    return result
  }
  fs.rmSync(E2E_JSON, { force: true })
  const r = await run(path.join(BIN, 'playwright'), ['test'], { group: true, timeoutMs: SUITE_TIMEOUT })
  result.ms = Date.now() - t0
  const report = readJson(E2E_JSON)
  if (!report?.stats) {
    result.failed = 1
    result.problems.push(
      `playwright ${r.timedOut ? 'timed out' : `exited with code ${r.code}`} without writing ${path.relative(ROOT, E2E_JSON)}: counted as 1 failed`,
    )
    return result
  }
  const s = report.stats
  result.passed = (s.expected ?? 0) + (s.flaky ?? 0)
  result.failed = s.unexpected ?? 0
  result.skipped = s.skipped ?? 0
  if (s.flaky) result.note = `${s.flaky} flaky (passed on retry)`
  for (const err of report.errors ?? [])
    result.problems.push(`playwright: ${(err.message ?? String(err)).split('\n')[0]}`)
  if ((report.errors?.length || r.code !== 0) && result.failed === 0) {
    result.failed = 1
    result.problems.push(
      `playwright ${r.timedOut ? 'timed out' : `exited with code ${r.code}`} with no failing test (webServer or config error?): counted as 1 failed`,
    )
  }
  return result
}

const RUNNERS = { typecheck, lint, vitest, e2e }

async function main() {
  const t0 = Date.now()
  fs.mkdirSync(RESULTS, { recursive: true })
  /** @type {SuiteResult[]} */
  const results = []
  for (const name of suites) {
    if (interrupted) break
    banner(name)
    let res
    try {
      res = await RUNNERS[name]()
    } catch (err) {
      res = {
        name,
        passed: 0,
        failed: 1,
        skipped: 0,
        ms: 0,
        problems: [`${name} crashed in scripts/test.mjs: ${err?.stack ?? err}`],
      }
    }
    results.push(res)
  }

  banner('summary')
  const pad = Math.max(...results.map((r) => r.name.length), 9)
  for (const r of results) {
    const extra = [r.skipped ? `${r.skipped} skipped` : '', r.note ?? ''].filter(Boolean).join('; ')
    process.stdout.write(
      `  ${r.name.padEnd(pad)}  ${String(r.passed).padStart(4)} passed, ${String(r.failed).padStart(3)} failed  ${(r.ms / 1000).toFixed(1).padStart(6)} s${extra ? `  (${extra})` : ''}\n`,
    )
  }
  const problems = results.flatMap((r) => r.problems)
  if (problems.length) {
    process.stdout.write('  problems:\n')
    for (const p of problems) process.stdout.write(`    - ${p}\n`)
  }
  const total = (k) => results.reduce((n, r) => n + r[k], 0)
  let failed = total('failed')
  if (interrupted) {
    process.stdout.write('  interrupted: the remaining suites did not run (counted as 1 failed)\n')
    failed += 1
  }
  const skipped = total('skipped')
  process.stdout.write(`  ${skipped} skipped (not counted as passed); total time ${seconds(t0)}\n`)
  process.stdout.write(`${total('passed')} passed, ${failed} failed\n`)
  process.exitCode = failed > 0 ? 1 : 0
}

main()
