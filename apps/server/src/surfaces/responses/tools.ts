// The client's own tools of a Responses request (OpenAI `function` tools) and how the model may
// use them: checked against each other and against the agent's own tool names, then put in the
// engine's terms. The response reports them back as given.
import { badRequest, type ClientTool, type ToolChoice } from '@runyard/contract'
import type { CreateResponseBody } from './request.ts'
import type { FunctionTool } from './schemas.ts'

export interface RequestTools {
  clientTools: ClientTool[]
  toolChoice: ToolChoice | undefined
  /** As the response reports them. */
  reported: FunctionTool[]
}

/** An empty object schema: the arguments of a tool declared without `parameters`. */
const NO_PARAMETERS = { type: 'object', properties: {} }

export function requestTools(
  body: Pick<CreateResponseBody, 'tools' | 'tool_choice'>,
  serverTools: readonly string[],
): RequestTools {
  const tools = body.tools ?? []
  const seen = new Set<string>()
  for (const [i, t] of tools.entries()) {
    if (serverTools.includes(t.name))
      throw badRequest(
        `tools[${i}].name: "${t.name}" is one of the agent's own tools (${serverTools.join(', ')}); give yours another name.`,
        { param: `tools[${i}].name` },
      )
    if (seen.has(t.name))
      throw badRequest(`tools[${i}].name: "${t.name}" is declared twice.`, { param: `tools[${i}].name` })
    seen.add(t.name)
  }
  const choice = body.tool_choice ?? undefined
  if (choice && typeof choice === 'object' && !seen.has(choice.name))
    throw badRequest(`tool_choice names "${choice.name}", which is not one of the request's tools.`, {
      param: 'tool_choice',
    })
  if (choice === 'required' && !tools.length && !serverTools.length)
    throw badRequest('tool_choice "required" needs tools.', { param: 'tool_choice' })
  return {
    clientTools: tools.map((t) => ({
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      parameters: t.parameters ?? NO_PARAMETERS,
      ...(typeof t.strict === 'boolean' ? { strict: t.strict } : {}),
    })),
    toolChoice: choice === undefined ? undefined : typeof choice === 'string' ? choice : { tool: choice.name },
    reported: tools.map((t) => ({
      type: 'function',
      name: t.name,
      description: t.description ?? null,
      parameters: t.parameters ?? null,
      strict: t.strict ?? null,
    })),
  }
}
