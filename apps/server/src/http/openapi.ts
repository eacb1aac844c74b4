// The OpenAPI 3.1 document, generated from the route declarations and the contract's schemas.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import { type AnyRoute, toOpenApiRoute } from './route.ts'

export const API_DESCRIPTION = `Runyard runs AI agents in sandboxes. One durable engine, several API surfaces:

- **Interactive turn, streamed** — \`POST /api/chat\` (AI SDK \`useChat\` UI-message stream) or \`POST /api/v1/sessions/{id}/message\` (CometCode SSE). The run keeps going if the client disconnects; resume with \`GET /api/chat/{chatId}/stream\`.
- **Headless run** — \`POST /api/chat/runs\` answers 202 at once; poll \`GET /api/chat/runs/{runId}\`, watch \`GET /api/chat/{chatId}/stream\` or read any run's log with \`GET /api/chat/runs/{runId}/events\`.
- **OpenAI-compatible** — \`POST /v1/responses\` (the official \`openai\` SDK works unmodified with \`baseURL\`).

Authenticate with \`x-api-key: <key>\` or \`Authorization: Bearer <key>\`. A server bound to loopback with no keys runs in local mode, where requests without a key act as the local account.`

export function buildOpenApiDocument(routes: AnyRoute[], serverUrl: string) {
  const registry = new OpenAPIRegistry()
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'x-api-key' })
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' })
  for (const route of routes) registry.registerPath(toOpenApiRoute(route))
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Runyard API', version: '0.1.0', description: API_DESCRIPTION },
    servers: [{ url: serverUrl }],
    tags: [
      { name: 'Sessions', description: 'Agent sessions (camelCase REST, compatible with the hosted Recoup API).' },
      { name: 'Chat', description: 'Interactive turns, headless runs, resumable streams (camelCase REST, compatible with the hosted Recoup API).' },
      { name: 'CometCode', description: 'CometCode Local Serve API compatibility (`/api/v1`).' },
      { name: 'Responses', description: 'OpenAI-compatible Responses API (`/v1/responses`).' },
      { name: 'System', description: 'Health.' },
    ],
  })
}
