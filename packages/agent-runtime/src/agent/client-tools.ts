// What a run's client offered beside the agent's own tools (OpenAI `function` tools), and how the
// model may use them. A client tool has no `execute`: the AI SDK ends the loop when the model
// calls one ("waiting for tool results"), the call stays pending in the transcript, and the
// client answers it in a later request. Files the model should read but cannot fetch itself are
// downloaded under the same address policy as the `fetch` tool.
import type { ClientTool, RunInput } from '@runyard/contract'
import {
  jsonSchema,
  tool,
  type Experimental_DownloadFunction as DownloadFunction,
  type ToolChoice,
  type ToolSet,
} from 'ai'

/** Provider-specific call options, keyed by provider (as streamText takes them). */
export type ProviderOptions = Record<string, Record<string, boolean | number | string>>
import { guardedFetch, type FetchPolicy } from '@runyard/egress'

/** The client's tools as AI SDK tools without `execute`. */
export function clientToolSet(tools: readonly ClientTool[] | undefined): ToolSet {
  const set: ToolSet = {}
  for (const t of tools ?? []) {
    set[t.name] = tool({
      ...(t.description ? { description: t.description } : {}),
      inputSchema: jsonSchema(t.parameters as Parameters<typeof jsonSchema>[0]),
      ...(t.strict !== undefined ? { strict: t.strict } : {}),
    })
  }
  return set
}

/** The run's tool choice in the AI SDK's terms. */
export function toolChoiceOf(input: RunInput): ToolChoice<ToolSet> | undefined {
  const c = input.toolChoice
  if (!c) return undefined
  return typeof c === 'string' ? c : { type: 'tool', toolName: c.tool }
}

/** `parallel_tool_calls`, for the providers that take it. */
export function parallelToolCallOptions(input: RunInput): ProviderOptions | undefined {
  if (input.parallelToolCalls === undefined) return undefined
  const options = { parallelToolCalls: input.parallelToolCalls }
  return { openai: options, openaiCompatible: options }
}

/** Largest file (image, PDF…) the server downloads for a model that cannot fetch URLs itself. */
export const MAX_INPUT_FILE_BYTES = 20 * 1024 * 1024

/**
 * The AI SDK's download hook: a URL the model fetches itself is passed on as it is; anything else
 * is fetched here with the `fetch` tool's address policy (no loopback, private or metadata
 * addresses, every redirect checked), up to MAX_INPUT_FILE_BYTES.
 */
export function guardedDownload(policy: FetchPolicy): DownloadFunction {
  const filePolicy = { ...policy, maxBytes: MAX_INPUT_FILE_BYTES + 1 }
  return (requests) =>
    Promise.all(
      requests.map(async ({ url, isUrlSupportedByModel, abortSignal }) => {
        if (isUrlSupportedByModel) return null
        const res = await guardedFetch(
          { url: url.href, method: 'GET', headers: {}, ...(abortSignal ? { signal: abortSignal } : {}) },
          filePolicy,
        )
        if (res.status < 200 || res.status >= 300) throw new Error(`Downloading ${url.href} failed: HTTP ${res.status}`)
        if (res.truncated || res.body.length > MAX_INPUT_FILE_BYTES)
          throw new Error(`${url.href} is larger than ${MAX_INPUT_FILE_BYTES} bytes`)
        const type = res.headers['content-type']
        return {
          data: new Uint8Array(res.body),
          mediaType: typeof type === 'string' ? type.split(';')[0]!.trim() : undefined,
        }
      }),
    )
}
