// What a tool returns, as the model sees it and as the event log stores it: secrets redacted
// (redact.ts) and text made storable (NUL → ␀, lone surrogate → U+FFFD; see storableText in
// @runyard/contract). Doing both here, around every tool's execute, means the model reads
// exactly what is stored, and a NUL printed by a command cannot fail the run.
import { storableText } from '@runyard/contract'
import type { ToolSet } from 'ai'
import { secretRedactor } from './redact.ts'
import { errorMessage } from './text.ts'

/** Every string in `value` (object keys included) passed through `f`. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value)
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f))
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) {
    // Buffers, Dates, class instances: walked as they will be serialised
    const json = JSON.stringify(value)
    return json === undefined ? value : mapStrings(JSON.parse(json), f)
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [f(k), mapStrings(v, f)]))
}

/** Wraps every tool's execute so its result and error message are redacted and storable. */
export function sanitizeToolOutputs(tools: ToolSet, secrets: readonly string[]): ToolSet {
  const redact = secretRedactor(secrets)
  const clean = (text: string) => storableText(redact(text))
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
          return mapStrings(await execute(input, options), clean)
        } catch (e) {
          throw new Error(clean(errorMessage(e)))
        }
      },
    }
  }
  return out
}
