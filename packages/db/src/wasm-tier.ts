// Prisma's WebAssembly (the query compiler, 3.4 MB; the migration engine when migrations are
// pending) runs on V8's baseline compiler only (--liftoff-only). V8's optimising tier compiled its
// functions on background threads whose freed memory glibc kept in per-thread arenas: measured
// ~65 MB peak malloc and an idle server process of ~160–170 MB PSS against ~91–98 MB
// (docs/benchmarks.md, "What the start-up and memory settings do").
//
// Set at run time, right before the wasm is compiled, not on the command line: any V8 flag that
// differs from Node's build makes V8 reject Node's code cache for its built-in modules, and every
// built-in loaded after it is compiled from source (~60 ms for a dozen, ~0.1 s of a server's
// start). V8 reads this flag when it compiles wasm, so setting it late is enough; the built-ins
// the server needs are loaded by then. Called by migrate.ts before it instantiates the migration
// engine, by createDb (client.ts) before it makes the Prisma client (whose first query compiles
// the query compiler; measured: no difference in a start's CPU against setting it only at that
// compile), and in the compiled server also by the query compiler's loader, which the build
// rewrites (apps/server/scripts/build.mjs).
import v8 from 'node:v8'

export const WASM_V8_FLAGS = ['--liftoff-only'] as const

let set = false

/** Makes wasm compiled from now on in this process run on V8's baseline tier (idempotent). */
export function useBaselineWasmTier(): void {
  if (set) return
  for (const flag of WASM_V8_FLAGS) v8.setFlagsFromString(flag)
  set = true
}
