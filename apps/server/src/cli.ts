// The `runyard` command (see commands.ts). A warm `runyard start` on the embedded database spawns
// PostgreSQL first, from what the environment says about its data directory alone (Node built-ins
// only: a few milliseconds after Node has started), and only then loads the rest: the
// configuration's schema, the server, their packages. PostgreSQL's start-up (~0.1–0.2 s) then
// overlaps that loading, which is most of a start (docs/benchmarks.md, "Where a warm start's time
// goes"). A bad setting still stops the start before the server listens, and the PostgreSQL
// started here with it (commands.ts).
import { spawnEarlyPostgres } from '@runyard/db/early'
import { embeddedDataDir } from './config/data-dir.ts'

if ((process.argv[2] ?? 'start') === 'start') {
  const dataDir = embeddedDataDir(process.env, process.cwd())
  if (dataDir) await spawnEarlyPostgres(dataDir)
}
await import('./commands.ts')
