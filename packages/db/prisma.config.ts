import { defineConfig } from 'prisma/config'

// Only `prisma generate` uses this file; migrations run through the wasm schema engine
// (src/migrate.ts) because Prisma's native engine cannot be downloaded offline.
export default defineConfig({ schema: '../../prisma/schema.prisma' })
