// CORS for browser apps on other origins (a `useChat` page on http://localhost:3000, say): only
// the exact origins in RUNYARD_CORS_ORIGINS, exposing the headers Runyard's clients need to read
// (the run and chat ids, Location). The request headers a listed origin asks for are allowed (the
// `openai` SDK alone sends a dozen `x-stainless-*` ones). Without the setting no CORS headers are
// sent, and browsers keep other origins' pages from reading anything.
import cors from 'cors'
import type { RequestHandler } from 'express'

const EXPOSED_HEADERS = [
  'location',
  'x-workflow-run-id',
  'x-runyard-run-id',
  'x-runyard-chat-id',
  'x-runyard-session-id',
  'x-vercel-ai-ui-message-stream',
]

export function corsFor(origins: readonly string[]): RequestHandler | undefined {
  if (!origins.length) return undefined
  return cors({
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  })
}
