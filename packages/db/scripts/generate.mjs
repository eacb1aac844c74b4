// `prisma generate` without Prisma's native schema engine (it cannot be downloaded offline;
// generate does not need it). Skips when the generated client is newer than the schema.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const pkgDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const schema = path.resolve(pkgDir, '../../prisma/schema.prisma')
const marker = path.join(pkgDir, 'src/generated/client.ts')
if (
  fs.existsSync(marker) &&
  fs.statSync(marker).mtimeMs >= fs.statSync(schema).mtimeMs &&
  !process.argv.includes('--force')
) {
  process.exit(0)
}
const r = spawnSync('pnpm', ['exec', 'prisma', 'generate', '--schema', schema], {
  cwd: pkgDir,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false',
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
})
process.exit(r.status ?? 1)
