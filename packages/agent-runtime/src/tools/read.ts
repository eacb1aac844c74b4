// `read`: a text file with line numbers, optionally a line range; refuses huge and binary files.
import { tool } from 'ai'
import { z } from 'zod'
import type { ToolEnvironment } from './context.ts'
import { capHead } from './text.ts'

const MAX_LINE_CHARS = 2000

/** The tool's input, built once: the AI SDK's JSON Schema of it is then computed once per process (tools/index.ts). */
const INPUT_SCHEMA = z.object({
  path: z.string().min(1).describe('File path relative to the workspace (or absolute inside it)'),
  offset: z.number().int().min(1).optional().describe('First line to return (1-based)'),
  limit: z.number().int().min(1).optional().describe('How many lines to return'),
})

export function readTool(env: ToolEnvironment) {
  const { maxFileBytes, readDefaultLines, maxOutputChars } = env.limits
  return tool({
    description:
      'Read a text file from the workspace. Lines are returned as "<line number>\\t<text>" (the numbers are not part ' +
      `of the file). By default the first ${readDefaultLines} lines; use offset/limit for other ranges.`,
    inputSchema: INPUT_SCHEMA,
    execute: async ({ path, offset, limit }) => {
      const sandbox = env.sandbox()
      const info = await sandbox.stat(path)
      if (!info) throw new Error(`File not found: ${path}`)
      if (info.type === 'dir') throw new Error(`"${path}" is a directory; use glob to list files`)
      if (info.size > maxFileBytes) {
        throw new Error(
          `"${path}" is ${info.size} bytes, more than the ${maxFileBytes}-byte read limit; use grep, or bash with head/sed, to look at parts of it`,
        )
      }
      const content = await sandbox.readFile(path)
      if (content.includes('\u0000')) return `"${path}" is a binary file (${info.size} bytes); not shown`
      if (content.length === 0) return `"${path}" is empty`
      const lines = content.split('\n')
      if (lines.at(-1) === '') lines.pop()
      const start = (offset ?? 1) - 1
      if (start >= lines.length) return `"${path}" has only ${lines.length} lines; nothing at line ${start + 1}`
      const end = Math.min(lines.length, start + (limit ?? readDefaultLines))
      const body = lines
        .slice(start, end)
        .map(
          (l, i) => `${start + i + 1}\t${l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}… [line cut]` : l}`,
        )
        .join('\n')
      const more = end < lines.length ? `\n(lines ${start + 1}-${end} of ${lines.length}; use offset to read more)` : ''
      return capHead(body, maxOutputChars, 'file content') + more
    },
  })
}
