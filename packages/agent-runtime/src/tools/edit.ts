// `edit`: exact-match replacement. Zero or several matches are errors the model can act on
// (re-read the file, add context, or ask for replace_all) rather than silent guesses.
import { tool } from 'ai'
import { z } from 'zod'
import type { ToolEnvironment } from './context.ts'

function countOccurrences(haystack: string, needle: string): number {
  let n = 0
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) n++
  return n
}

/** The tool's input, built once: the AI SDK's JSON Schema of it is then computed once per process (tools/index.ts). */
const INPUT_SCHEMA = z.object({
  path: z.string().min(1).describe('File path relative to the workspace (or absolute inside it)'),
  old_string: z.string().describe('The exact text to replace'),
  new_string: z.string().describe('The replacement text'),
  replace_all: z.boolean().optional().describe('Replace every occurrence instead of requiring exactly one'),
})

export function editTool(env: ToolEnvironment) {
  return tool({
    description:
      'Replace an exact piece of text in a file. old_string must match the file exactly (whitespace and indentation ' +
      "included, without read's line-number prefixes) and be unique unless replace_all is true.",
    inputSchema: INPUT_SCHEMA,
    execute: ({ path, old_string, new_string, replace_all }) =>
      env.serializeWrites(async () => {
        if (old_string.length === 0) throw new Error('old_string is empty; use write to create or replace a whole file')
        if (old_string === new_string) throw new Error('old_string and new_string are identical; nothing to change')
        const sandbox = env.sandbox()
        const info = await sandbox.stat(path)
        if (!info) throw new Error(`File not found: ${path}`)
        if (info.type === 'dir') throw new Error(`"${path}" is a directory`)
        if (info.size > env.limits.maxFileBytes) throw new Error(`"${path}" is too large to edit (${info.size} bytes)`)
        const content = await sandbox.readFile(path)
        const count = countOccurrences(content, old_string)
        if (count === 0) {
          throw new Error(
            `old_string was not found in ${path}. Read the file and copy the text exactly, including whitespace and indentation.`,
          )
        }
        if (count > 1 && !replace_all) {
          throw new Error(
            `old_string occurs ${count} times in ${path}. Include more surrounding lines to make it unique, or set replace_all: true to replace all of them.`,
          )
        }
        // split/join rather than String.replace: no `$&`-style patterns in new_string
        const updated = replace_all
          ? content.split(old_string).join(new_string)
          : content.replace(old_string, () => new_string)
        await sandbox.writeFile(path, updated)
        return `Replaced ${replace_all ? count : 1} occurrence${(replace_all ? count : 1) === 1 ? '' : 's'} in ${path}`
      }),
  })
}
