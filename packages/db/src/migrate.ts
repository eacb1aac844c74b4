// Applies prisma/migrations through Prisma's wasm schema engine and a driver adapter: the
// native schema engine cannot be downloaded here (see ../../shared notes). The bookkeeping
// (_prisma_migrations) is the same table `prisma migrate deploy` writes.
// Each migration script reaches PostgreSQL whole (client.ts wholeScriptAdapter), so hand-written
// SQL may contain function bodies and applies all or nothing.
import fs from 'node:fs/promises'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils'
import { useBaselineWasmTier } from './wasm-tier.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const SCHEMA_PATH = path.join(repoRoot, 'prisma/schema.prisma')
export const MIGRATIONS_DIR = path.join(repoRoot, 'prisma/migrations')
const NO_FILTER = { externalTables: [], externalEnums: [] }

interface SchemaEngine {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>
  diff(input: unknown): Promise<{ stdout?: string }>
  free(): void
}
interface EngineModule {
  SchemaEngine: { new: (opts: unknown, log: (l: string) => void, adapter: unknown) => Promise<SchemaEngine> }
  __wbg_set_wasm(exports: WebAssembly.Exports): void
}

// The wasm-bindgen glue is a native ES module, so every copy of this file in a process (vitest
// loads it once per project runner) shares one glue module and therefore one wasm instance. That
// instance is not safe for concurrent use (overlapping calls corrupt its memory: "The encoded
// data was not valid for encoding utf-8"), and re-instantiating it swaps the memory under a
// running call. So the loaded module and a promise-chain mutex live on globalThis, and every
// engine use (open → call → free) runs under the mutex. Across processes, `runMigrations` keeps
// its advisory lock.
interface EngineState {
  module?: Promise<EngineModule>
  tail: Promise<unknown>
}
const STATE_KEY = Symbol.for('runyard.db.schemaEngine')
const state: EngineState =
  ((globalThis as Record<symbol, unknown>)[STATE_KEY] as EngineState | undefined) ??
  ((globalThis as Record<symbol, unknown>)[STATE_KEY] = { tail: Promise.resolve() } satisfies EngineState)

/** Runs `fn` once every earlier engine use in this process has settled. */
function withEngineLock<T>(fn: () => Promise<T>): Promise<T> {
  const run = state.tail.then(fn, fn)
  state.tail = run.catch(() => {})
  return run
}

function loadEngineModule(): Promise<EngineModule> {
  // The package entry imports the .wasm as an ES module (needs a Node flag), so the wasm is
  // instantiated here and handed to the wasm-bindgen glue.
  state.module ??= (async () => {
    const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg')
    const bg = (await import(pathToFileURL(gluePath).href)) as EngineModule
    const bytes = await fs.readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'))
    useBaselineWasmTier()
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
    })
    bg.__wbg_set_wasm(instance.exports)
    ;(instance.exports.__wbindgen_start as (() => void) | undefined)?.()
    return bg
  })()
  // A failed load is not cached, so a later call can retry.
  state.module.catch(() => {
    state.module = undefined
  })
  return state.module
}

async function openEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schemaFiles?: { path: string; content: string }[],
) {
  const { SchemaEngine } = await loadEngineModule()
  return SchemaEngine.new(
    { datamodels: schemaFiles?.map((f) => [f.path, f.content]) },
    () => {}, // the engine's debug log; its errors reach us as rejections
    bindMigrationAwareSqlAdapterFactory(factory),
  )
}

export async function listMigrations(baseDir = MIGRATIONS_DIR) {
  const lockPath = path.join(baseDir, 'migration_lock.toml')
  const entries = await fs.readdir(baseDir, { withFileTypes: true }).catch(() => [])
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
  return {
    baseDir,
    lockfile: { path: lockPath, content: await fs.readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      dirs.map(async (name) => ({
        // Stored verbatim as _prisma_migrations.migration_name, so only the folder name.
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: await fs.readFile(path.join(baseDir, name, 'migration.sql'), 'utf8').then(
            (value) => ({ tag: 'ok', value }),
            (e: unknown) => ({ tag: 'error', value: String(e) }),
          ),
        },
      })),
    ),
  }
}

/** Applies pending migrations (like `prisma migrate deploy`); returns the names applied. */
export async function migrateDeploy(
  factory: SqlMigrationAwareDriverAdapterFactory,
  baseDir = MIGRATIONS_DIR,
): Promise<string[]> {
  const migrationsList = await listMigrations(baseDir)
  return withEngineLock(async () => {
    const engine = await openEngine(factory)
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER })
      return appliedMigrationNames
    } finally {
      engine.free()
    }
  })
}

/** SQL taking the existing migrations (replayed on the shadow database) to the schema; '' when unchanged. */
export async function migrateDiff(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schemaPath = SCHEMA_PATH,
  baseDir = MIGRATIONS_DIR,
): Promise<string> {
  const files = [{ path: schemaPath, content: await fs.readFile(schemaPath, 'utf8') }]
  const list = await listMigrations(baseDir)
  return withEngineLock(async () => {
    const engine = await openEngine(factory, files)
    try {
      const from = list.migrationDirectories.length ? { tag: 'migrations', ...list } : { tag: 'empty' }
      const { stdout } = await engine.diff({
        from,
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: null,
        filters: NO_FILTER,
      })
      return /^\s*-- This is an empty migration\.\s*$/.test(stdout ?? '') ? '' : (stdout ?? '')
    } finally {
      engine.free()
    }
  })
}
