// The names of the agent's tools, in a module that loads nothing else: the server's metrics label
// tool calls by these names (apps/server/src/observability/metrics.ts) without loading the tools.

export const ASK_USER_TOOL = 'ask_user_question'

export const TOOL_NAMES = [
  'bash',
  'read',
  'write',
  'edit',
  'grep',
  'glob',
  'todo',
  'task',
  ASK_USER_TOOL,
  'skill',
  'fetch',
] as const
export type ToolName = (typeof TOOL_NAMES)[number]
