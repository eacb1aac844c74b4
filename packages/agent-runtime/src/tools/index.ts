// The agent's tool set. Every tool that touches files or runs commands goes through the run's
// Sandbox (and so through its path confinement); `fetch` runs on the server behind its own
// address policy.
import { asSchema, type Schema, type Tool, type ToolSet } from 'ai'
import { askUserTool } from './ask-user.ts'
import { ASK_USER_TOOL } from './names.ts'
import { bashTool } from './bash.ts'
import type { ToolEnvironment } from './context.ts'
import { editTool } from './edit.ts'
import { fetchTool } from './fetch.ts'
import { globTool } from './glob.ts'
import { grepTool } from './grep.ts'
import { readTool } from './read.ts'
import { skillTool } from './skill.ts'
import { taskTool } from './task.ts'
import { todoTool } from './todo.ts'
import { sanitizeToolOutputs } from './tool-output.ts'
import { writeTool } from './write.ts'

export { ASK_USER_TOOL } from './names.ts'
export { DEFAULT_TOOL_LIMITS, type SubAgentRequest, type ToolEnvironment, type ToolLimits } from './context.ts'
export { blockedReason, DEFAULT_FETCH_POLICY, FetchBlockedError, guardedFetch, type FetchPolicy } from '@runyard/egress'
export { parseTodos, renderTodos, type TodoItem } from './todo.ts'
export { REDACTED } from './redact.ts'

export { TOOL_NAMES, type ToolName } from './names.ts'

/**
 * Each input schema as the AI SDK's Schema, made once per schema object (the tools' schemas are
 * module constants). Given a zod schema, the SDK wraps it anew and converts it to JSON Schema on
 * every model call: ~1.5–2 ms of CPU per call for this tool set (profiled), before each request.
 */
const schemas = new WeakMap<object, Schema>()

function withSchemaOnce(t: Tool): Tool {
  const input: unknown = t.inputSchema
  if (input === null || (typeof input !== 'object' && typeof input !== 'function')) return t
  let schema = schemas.get(input)
  if (!schema) {
    schema = asSchema(t.inputSchema)
    schemas.set(input, schema)
  }
  return { ...t, inputSchema: schema }
}

/**
 * The tools for one agent. `task` is included only when `env.runSubAgent` is set, and
 * `ask_user_question` only for the top-level agent (`interactive: true`).
 */
export function createTools(env: ToolEnvironment, opts: { interactive: boolean }): ToolSet {
  const tools: ToolSet = {
    bash: bashTool(env),
    read: readTool(env),
    write: writeTool(env),
    edit: editTool(env),
    grep: grepTool(env),
    glob: globTool(env),
    todo: todoTool(env),
    skill: skillTool(env),
    fetch: fetchTool(env),
  }
  if (env.runSubAgent) tools.task = taskTool(env)
  if (opts.interactive) tools[ASK_USER_TOOL] = askUserTool()
  for (const [name, t] of Object.entries(tools)) tools[name] = withSchemaOnce(t)
  return sanitizeToolOutputs(tools, env.secrets)
}
