// Keeps secrets (the run's API key, which commands can read from RUNYARD_API_KEY) out of what
// tools return: the model never sees them, so they cannot reach events or the transcript.
import type { ToolSet } from 'ai'
import { errorMessage } from './text.ts'

export const REDACTED = '[REDACTED]'

export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join(REDACTED)
  return out
}

function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redact(value, secrets)
  if (value === null || typeof value !== 'object') return value
  // structured outputs: redact through JSON so nested strings are covered too
  return JSON.parse(redact(JSON.stringify(value), secrets)) as unknown
}

/** Wraps every tool's execute so results and error messages are redacted. */
export function redactToolOutputs(tools: ToolSet, secrets: readonly string[]): ToolSet {
  if (!secrets.some((s) => s.length >= 8)) return tools
  const out: ToolSet = {}
  for (const [name, t] of Object.entries(tools)) {
    const execute = t.execute
    if (!execute) {
      out[name] = t
      continue
    }
    out[name] = {
      ...t,
      execute: async (input: unknown, options: Parameters<typeof execute>[1]) => {
        try {
          return redactValue(await execute(input, options), secrets)
        } catch (e) {
          throw new Error(redact(errorMessage(e), secrets))
        }
      },
    } as typeof t
  }
  return out
}
