// `glob`: file paths matching a glob pattern, from the sandbox's own (confined) listing, so
// it works the same on every provider and never follows a symlink out of the workspace.
import path from 'node:path'
import { tool } from 'ai'
import { minimatch } from 'minimatch'
import { z } from 'zod'
import type { ToolEnvironment } from './context.ts'

const NOISY_DIRS = ['.git', 'node_modules']

/** The tool's input, built once: the AI SDK's JSON Schema of it is then computed once per process (tools/index.ts). */
const INPUT_SCHEMA = z.object({
  pattern: z.string().min(1).describe('Glob pattern relative to path'),
  path: z.string().optional().describe('Directory to search in, relative to the workspace (default: the workspace)'),
})

export function globTool(env: ToolEnvironment) {
  const { maxResults } = env.limits
  return tool({
    description:
      'Find files by glob pattern (e.g. "**/*.ts", "src/*.{js,json}"), relative to `path` (default: the workspace). ' +
      `Returns workspace-relative paths, sorted (at most ${maxResults}). .git and node_modules are skipped unless the pattern names them.`,
    inputSchema: INPUT_SCHEMA,
    execute: async ({ pattern, path: where }) => {
      if (pattern.startsWith('/') || pattern.split('/').includes('..')) {
        throw new Error(
          'The pattern must be relative to `path` and stay inside it (no leading "/" and no ".." segments)',
        )
      }
      const sandbox = env.sandbox()
      const base = await sandbox.stat(where ?? '.')
      if (!base) throw new Error(`Not found: ${where}`)
      if (base.type !== 'dir') throw new Error(`"${where}" is not a directory`)
      const baseRel = base.path === '.' ? '' : base.path
      const entries = await sandbox.list(baseRel || '.', { recursive: true })
      const includeNoisy = NOISY_DIRS.some((d) => pattern.includes(d))
      const matches: string[] = []
      for (const e of entries) {
        if (e.type === 'dir') continue
        const rel = baseRel ? path.posix.relative(baseRel, e.path) : e.path
        if (!includeNoisy && rel.split('/').some((seg) => NOISY_DIRS.includes(seg))) continue
        if (minimatch(rel, pattern, { dot: true })) matches.push(e.path)
      }
      if (matches.length === 0) return `No files match ${pattern}${where ? ` in ${where}` : ''}`
      const shown = matches.slice(0, maxResults)
      return (
        shown.join('\n') +
        (matches.length > shown.length ? `\n(${matches.length - shown.length} more not shown; narrow the pattern)` : '')
      )
    },
  })
}
