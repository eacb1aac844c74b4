// The OpenAPI 3.1 document, generated from the route declarations and the contract's schemas.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import { registerWebhookMessages } from './openapi-webhooks.ts'
import { type AnyRoute, toOpenApiRoute } from './route.ts'

export const API_DESCRIPTION = `Runyard runs AI agents in sandboxes. One durable engine, several API surfaces — **which one to use**:

| you want | use |
|---|---|
| a chat UI built with the AI SDK's \`useChat\` | \`POST /api/chat\` (UI-message stream; resume with \`GET /api/chat/{chatId}/stream\`, read the transcript with \`GET /api/chat/{chatId}/messages\`) |
| fire-and-forget or long jobs: start now, read later, survive disconnects | \`POST /api/chat/runs\` → 202; poll \`GET /api/chat/runs/{runId}\`, list \`GET /api/chat/runs\`, read any run's log with \`GET /api/chat/runs/{runId}/events\` |
| an existing CometCode client | \`/api/v1\` (CometCode Local Serve API) |
| code that speaks OpenAI's Responses API, the OpenAI Agents SDK, client-side function tools, server-side conversation state | \`POST /v1/responses\` (\`previous_response_id\`, \`background\`, resumable streams) |
| a chat front-end or library that only speaks Chat Completions (Open WebUI, LibreChat, Continue…): the agent as a model | \`POST /v1/chat/completions\` (stateless: the conversation travels with every request), \`GET /v1/models\` |
| a TypeScript service or the console | tRPC at \`/trpc\` (\`@runyard/client\`) |

Every surface starts runs on the same engine: a chat busy with a run started on one surface answers 409 on the others.

Authenticate with \`x-api-key: <key>\` or \`Authorization: Bearer <key>\`. A server bound to loopback with no keys runs in local mode, where requests need no key (any key is accepted, as local OpenAI-compatible servers do).`

export function buildOpenApiDocument(routes: AnyRoute[], serverUrl: string) {
  const registry = new OpenAPIRegistry()
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'x-api-key' })
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' })
  for (const route of routes) registry.registerPath(toOpenApiRoute(route))
  registerWebhookMessages(registry)
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Runyard API', version: '0.1.0', description: API_DESCRIPTION },
    servers: [{ url: serverUrl }],
    tags: [
      { name: 'Sessions', description: 'Agent sessions (camelCase REST, compatible with the hosted Recoup API).' },
      {
        name: 'Chat',
        description:
          'Interactive turns, headless runs, resumable streams (camelCase REST, compatible with the hosted Recoup API).',
      },
      { name: 'CometCode', description: 'CometCode Local Serve API compatibility (`/api/v1`).' },
      {
        name: 'Responses',
        description:
          'OpenAI-compatible Responses API (`/v1/responses`), conforming to the Open Responses specification.',
      },
      {
        name: 'Chat Completions',
        description: 'OpenAI-compatible Chat Completions (`/v1/chat/completions`) and the model list (`/v1/models`).',
      },
      { name: 'Keys', description: 'API keys and organisation members.' },
      {
        name: 'Webhooks',
        description:
          "Signed messages (Standard Webhooks) to the account's endpoints when its runs end or wait for the client; the endpoints and their delivery log.",
      },
      { name: 'System', description: 'Health.' },
    ],
  })
}
