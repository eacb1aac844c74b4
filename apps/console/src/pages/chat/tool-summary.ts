// One-line summaries of tool inputs for card headers ("$ ls -1", "src/app.ts", …).
import { pretty } from '../../lib/format.ts'

function field(input: unknown, ...names: string[]): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined
  for (const n of names) {
    const v = (input as Record<string, unknown>)[n]
    if (typeof v === 'string' && v) return v
  }
  return undefined
}

export function toolSummary(tool: string, input: unknown): string {
  switch (tool) {
    case 'bash': {
      const c = field(input, 'command')
      return c ? `$ ${c}` : ''
    }
    case 'read':
    case 'write':
    case 'edit':
      return field(input, 'path', 'file_path') ?? ''
    case 'grep':
    case 'glob':
      return field(input, 'pattern') ?? ''
    case 'fetch':
      return field(input, 'url') ?? ''
    case 'task':
      return field(input, 'description', 'prompt') ?? ''
    case 'skill':
      return field(input, 'name', 'skill') ?? ''
    default: {
      const s = pretty(input).replace(/\s+/g, ' ')
      return s === '{}' ? '' : s
    }
  }
}

/** Output as text: tool results are strings; stored transcripts may hold other JSON values. */
export function outputText(output: unknown): string {
  if (output === undefined || output === null) return ''
  return typeof output === 'string' ? output : pretty(output)
}
