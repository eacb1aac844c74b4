// `fetch`: HTTP GET/POST from the server on the agent's behalf, with a timeout and a size cap;
// private and internal targets are refused unless allowed (the address policy of @runyard/egress).
import { tool } from 'ai'
import { z } from 'zod'
import type { ToolEnvironment } from './context.ts'
import { guardedFetch } from '@runyard/egress'
import { capHead } from './text.ts'

const TEXTUAL = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml))|image\/svg)/i

function looksLikeJson(s: string): boolean {
  try {
    JSON.parse(s)
    return true
  } catch {
    return false
  }
}

/** The tool's input, built once: the AI SDK's JSON Schema of it is then computed once per process (tools/index.ts). */
const INPUT_SCHEMA = z.object({
  url: z.string().min(1).describe('Absolute http(s) URL'),
  method: z.enum(['GET', 'POST']).optional().describe('Default GET'),
  // an object with string values (z.record would emit JSON Schema propertyNames, which OpenAI drops)
  headers: z.object({}).catchall(z.string()).optional().describe('Request headers'),
  body: z.string().optional().describe('Request body for POST'),
})

export function fetchTool(env: ToolEnvironment) {
  const policy = env.fetchPolicy
  return tool({
    description:
      `Fetch a URL over HTTP(S) (GET or POST) and return the status, content type and body (text, at most ${policy.maxBytes} bytes). ` +
      'Private, loopback and cloud-metadata addresses are refused.',
    inputSchema: INPUT_SCHEMA,
    execute: async ({ url, method, headers, body }, { abortSignal }) => {
      const m = method ?? 'GET'
      const h: Record<string, string> = { ...headers }
      if (m === 'POST' && body !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
        h['content-type'] = looksLikeJson(body) ? 'application/json' : 'text/plain; charset=utf-8'
      }
      const res = await guardedFetch(
        {
          url,
          method: m,
          headers: h,
          ...(body !== undefined ? { body } : {}),
          ...(abortSignal ? { signal: abortSignal } : {}),
        },
        policy,
      )
      const type = String(res.headers['content-type'] ?? '')
      const head = [`HTTP ${res.status} ${res.statusText}`.trim(), `URL: ${res.url}`]
      if (res.redirects.length) head.push(`Redirected ${res.redirects.length} time(s)`)
      if (type) head.push(`Content-Type: ${type}`)
      const textual = type === '' ? !res.body.includes(0) : TEXTUAL.test(type)
      const text = textual ? res.body.toString('utf8') : `(binary content, ${res.body.length} bytes, not shown)`
      if (res.truncated) head.push(`(body cut at ${policy.maxBytes} bytes)`)
      return capHead(`${head.join('\n')}\n\n${text}`, env.limits.maxOutputChars, 'body')
    },
  })
}
