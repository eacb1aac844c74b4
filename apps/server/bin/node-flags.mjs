// Node/V8 flags every Runyard server and worker process is started with (`npm start`,
// `npm run runyard -- …`, and the test and benchmark processes).
//
// --max-semi-space-size=64 (MB; V8's default is 16): streaming a run allocates rows, JSON and
// frames faster than a 16 MB young generation can let them die young, so they are copied and
// promoted. Measured on a 50000-event run: server CPU per event 2.6–3.0 → 1.7 µs streamed live
// and ~2.3 → 1.7 µs replayed (docs/benchmarks.md). The young generation only grows this large
// under such load; an idle server stays small. The price: once grown it stays until V8's memory
// reducer finds the process idle, ~30 MB more at the peak of the peers' task than V8's default 16
// (bench/memory.bench.ts); with 16 the streams ran at 0.59–0.89× bare instead of 0.84–1.18×.
//
// --liftoff-only: WebAssembly runs on V8's baseline compiler only. Prisma 7's query compiler is a
// 3.4 MB wasm module; V8's optimising tier compiles its functions on background threads whose
// freed memory glibc keeps in per-thread arenas: measured ~65 MB peak malloc and 160-170 → ~97 MB
// PSS for the idle server process, and after 200 Prisma-heavy requests ~196-229 → ~149-153 MB.
// The cost: server CPU per Prisma query compile is higher (median +18 % on session create + get,
// rounds overlapping); the engine's hot paths (admission, event log, streaming) use raw pg, not
// Prisma. (docs/benchmarks.md, "What the start-up and memory settings do".)
//
// V8 reads --liftoff-only when it compiles wasm, so it also works set at run time: the compiled
// server's entry (apps/server/dist/cli.mjs) sets RUNTIME_V8_FLAGS itself, and a container or
// service manager that starts `node apps/server/dist/cli.mjs` without these flags still gets it
// (Node refuses it in NODE_OPTIONS). The young generation is sized when the heap is made: only
// the command line can set --max-semi-space-size.
export const RUNTIME_V8_FLAGS = ['--liftoff-only']
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64', ...RUNTIME_V8_FLAGS]
