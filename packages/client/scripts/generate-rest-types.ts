// Regenerates src/rest-types.ts from the server's OpenAPI document (openapi-typescript).
//   pnpm --filter @runyard/client generate
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderRestTypes } from './render-rest-types.ts'

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/rest-types.ts')
await fs.writeFile(out, await renderRestTypes())
console.log(`wrote ${path.relative(process.cwd(), out)}`)
