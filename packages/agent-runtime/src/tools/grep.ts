// `grep`: regular-expression search over workspace files, run as GNU grep inside the sandbox
// (one round trip even on E2B). The search root goes through the sandbox's path confinement
// and is passed as a workspace-relative path; `grep -r` does not follow symlinks it meets
// while recursing, so the search cannot leave the workspace through a link.
import path from 'node:path'
import { tool } from 'ai'
import { z } from 'zod'
import type { ToolEnvironment } from './context.ts'
import { capHead, shellQuote } from './text.ts'

const MAX_LINE_CHARS = 300
const SKIPPED_DIRS = ['.git', 'node_modules']

/** The tool's input, built once: the AI SDK's JSON Schema of it is then computed once per process (tools/index.ts). */
const INPUT_SCHEMA = z.object({
  pattern: z.string().min(1).describe('Extended regular expression'),
  path: z
    .string()
    .optional()
    .describe('File or directory to search, relative to the workspace (default: the workspace)'),
  include: z.string().optional().describe('Only search files whose name matches this glob, e.g. "*.ts"'),
  ignore_case: z.boolean().optional(),
})

export function grepTool(env: ToolEnvironment) {
  const { maxResults, maxOutputChars } = env.limits
  return tool({
    description:
      'Search file contents with a regular expression (POSIX extended syntax as in `grep -E`, with GNU extensions such as ' +
      `\\w \\s \\b). Returns "path:line: text" matches (at most ${maxResults}). Skips binary files, .git and node_modules.`,
    inputSchema: INPUT_SCHEMA,
    execute: async ({ pattern, path: where, include, ignore_case }, { abortSignal }) => {
      const sandbox = env.sandbox()
      const abs = await sandbox.resolvePath(where ?? '.')
      const info = await sandbox.stat(abs)
      if (!info) throw new Error(`Not found: ${where}`)
      const rel = path.posix.relative(sandbox.workspaceDir, abs) || '.'
      const args = ['grep', '-rnHIE', '--color=never', ...SKIPPED_DIRS.map((d) => `--exclude-dir=${d}`)]
      if (ignore_case) args.push('-i')
      if (include) args.push(`--include=${shellQuote(include)}`)
      args.push('-e', shellQuote(pattern), '--', shellQuote(rel))
      const result = await sandbox.exec(args.join(' '), {
        timeoutMs: 60_000,
        maxOutputBytes: 4 * 1024 * 1024,
        ...(abortSignal ? { signal: abortSignal } : {}),
      })
      if (result.exitCode === 1) return `No matches for /${pattern}/ in ${rel}`
      if (result.exitCode !== 0 && !result.stdout)
        throw new Error(`grep failed (exit ${result.exitCode}): ${result.stderr.trim() || 'no output'}`)
      const lines = result.stdout.split('\n').filter((l) => l.length > 0)
      const shown = lines.slice(0, maxResults).map((l) => {
        const line = l.startsWith('./') ? l.slice(2) : l
        return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… [line cut]` : line
      })
      const notes: string[] = []
      if (lines.length > maxResults || result.truncated)
        notes.push(`(showing the first ${shown.length} matches; narrow the pattern or path for more)`)
      if (result.timedOut) notes.push('(the search timed out; results are incomplete)')
      return capHead([...shown, ...notes].join('\n'), maxOutputChars, 'matches')
    },
  })
}
