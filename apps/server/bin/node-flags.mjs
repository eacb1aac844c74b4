// Node/V8 flags every Runyard server and worker process is started with (`npm start`,
// `npm run runyard -- …`, and the test and benchmark processes): none.
//
// Any V8 flag on the command line (or set before Node's built-in modules load) makes V8 reject
// Node's code cache for its built-ins: each one the process loads is then compiled from source,
// ~60 ms of CPU for a dozen of them, ~0.1 s of a server's start (docs/benchmarks.md, "Where a
// warm start's time goes").
//
// --liftoff-only (Prisma's wasm on V8's baseline compiler, for memory) is therefore set at run
// time right before that wasm is compiled: packages/db/src/wasm-tier.ts.
//
// --max-semi-space-size=64 (a larger young generation; V8's default is 16 MB) was given here until
// 2026-12-07: it made streaming a run's events cheaper (server CPU per event 2.6–3.0 → 1.7 µs) but
// cost every start Node's code cache and held ~30 MB more at the peak of the peers' task. The
// young generation is sized when the heap is made, so only the command line could set it: it is
// no longer the default (the trade, measured, is in docs/benchmarks.md's settings table). A
// deployment that streams long runs to many readers can still start the server with it, e.g.
// NODE_OPTIONS=--max-semi-space-size=64.
export const SERVER_NODE_FLAGS = []
