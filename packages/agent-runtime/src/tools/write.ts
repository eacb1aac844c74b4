// `write`: creates or replaces a whole file (parent directories are created).
import { tool } from 'ai'
import { z } from 'zod'
import type { ToolEnvironment } from './context.ts'

/** The tool's input, built once: the AI SDK's JSON Schema of it is then computed once per process (tools/index.ts). */
const INPUT_SCHEMA = z.object({
  path: z.string().min(1).describe('File path relative to the workspace (or absolute inside it)'),
  content: z.string().describe('The complete new content'),
})

export function writeTool(env: ToolEnvironment) {
  return tool({
    description: 'Create a file or replace its whole content. Use edit to change part of an existing file.',
    inputSchema: INPUT_SCHEMA,
    execute: ({ path, content }) =>
      env.serializeWrites(async () => {
        const sandbox = env.sandbox()
        const before = await sandbox.stat(path)
        if (before?.type === 'dir') throw new Error(`"${path}" is a directory`)
        await sandbox.writeFile(path, content)
        const bytes = Buffer.byteLength(content, 'utf8')
        return `${before ? 'Replaced' : 'Created'} ${path} (${bytes} bytes)`
      }),
  })
}
