// The tools' input schemas reach the AI SDK as its own Schema objects, one per tool for the whole
// process: the SDK converts a bare zod schema to JSON Schema again on every model call.
import { asSchema } from 'ai'
import { describe, expect, it } from 'vitest'
import { createTools, DEFAULT_FETCH_POLICY, DEFAULT_TOOL_LIMITS, type ToolEnvironment } from '../src/tools/index.ts'

const env = (): ToolEnvironment => ({
  sandbox: () => {
    throw new Error('no sandbox in this test')
  },
  limits: DEFAULT_TOOL_LIMITS,
  fetchPolicy: DEFAULT_FETCH_POLICY,
  skills: [],
  loadTodos: async () => [],
  saveTodos: async () => {},
  serializeWrites: (fn) => fn(),
  secrets: [],
  runSubAgent: async () => 'done',
})

describe('tool input schemas', () => {
  it('are the same Schema object in every tool set, with their JSON Schema', () => {
    const a = createTools(env(), { interactive: true })
    const b = createTools(env(), { interactive: true })
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort())
    for (const name of Object.keys(a)) {
      const schema = a[name]!.inputSchema as { jsonSchema?: unknown }
      expect(schema, name).toBe(b[name]!.inputSchema)
      expect(schema.jsonSchema, name).toMatchObject({ type: 'object' })
    }
    const bash = (a.bash!.inputSchema as { jsonSchema: { properties: object; required: string[] } }).jsonSchema
    expect(Object.keys(bash.properties).sort()).toEqual(['command', 'cwd', 'timeout_ms'])
    expect(bash.required).toEqual(['command'])
  })

  it("still validate a tool call's input", async () => {
    const schema = asSchema(createTools(env(), { interactive: false }).bash!.inputSchema)
    expect((await schema.validate!({ command: 'ls' })).success).toBe(true)
    expect((await schema.validate!({ command: '' })).success).toBe(false)
    expect((await schema.validate!({ cwd: '.' })).success).toBe(false)
  })
})
