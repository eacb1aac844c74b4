// Node/V8 flags every Runyard server and worker process is started with (`npm start`,
// `npm run runyard -- …`, and the test and benchmark processes).
//
// --max-semi-space-size=64 (MB; V8's default is 16): streaming a run allocates rows, JSON and
// frames faster than a 16 MB young generation can let them die young, so they are copied and
// promoted. Measured on a 50000-event run: server CPU per event 2.6–3.0 → 1.7 µs streamed live
// and ~2.3 → 1.7 µs replayed (docs/benchmarks.md). The young generation only grows this large
// under such load; an idle server stays small.
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64']
