// `todo`: the chat's task list (stored with the chat, so it survives runs and restarts). The
// model sends the whole list each time, which keeps updates idempotent.
import { tool } from 'ai'
import { z } from 'zod'
import type { ToolEnvironment } from './context.ts'

export const TodoItem = z.object({
  content: z.string().min(1),
  status: z.enum(['pending', 'in_progress', 'completed']),
})
export type TodoItem = z.infer<typeof TodoItem>

const MARK: Record<TodoItem['status'], string> = { pending: '[ ]', in_progress: '[~]', completed: '[x]' }

/** The tool's input, built once: the AI SDK's JSON Schema of it is then computed once per process (tools/index.ts). */
const INPUT_SCHEMA = z.object({ todos: z.array(TodoItem).optional().describe('The complete new list') })

/** Whatever is stored, as a list of items (unknown shapes are ignored rather than fatal). */
export function parseTodos(stored: unknown): TodoItem[] {
  const list = Array.isArray(stored) ? stored : []
  return list.flatMap((t) => {
    const parsed = TodoItem.safeParse(t)
    return parsed.success ? [parsed.data] : []
  })
}

export function renderTodos(items: TodoItem[]): string {
  if (items.length === 0) return 'The todo list is empty.'
  const done = items.filter((t) => t.status === 'completed').length
  return [
    `Todo list (${done}/${items.length} done):`,
    ...items.map((t, i) => `${i + 1}. ${MARK[t.status]} ${t.content}`),
  ].join('\n')
}

export function todoTool(env: ToolEnvironment) {
  return tool({
    description:
      'Read or replace the task list for this chat. Call without `todos` to read it; pass the complete list ' +
      '(every item, with its status) to replace it. Keep at most one item in_progress.',
    inputSchema: INPUT_SCHEMA,
    execute: async ({ todos }) => {
      if (todos) await env.saveTodos(todos)
      return renderTodos(todos ?? parseTodos(await env.loadTodos()))
    },
  })
}
