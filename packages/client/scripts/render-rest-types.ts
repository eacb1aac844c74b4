import { openApiDocument } from '@runyard/server/openapi'
import openapiTS, { astToString } from 'openapi-typescript'

const HEADER = `// Generated from the Runyard OpenAPI document by openapi-typescript. Do not edit:
// run \`pnpm --filter @runyard/client generate\` (a test fails when this file drifts).
`

export async function renderRestTypes(): Promise<string> {
  const ast = await openapiTS(openApiDocument() as never)
  return HEADER + astToString(ast)
}
