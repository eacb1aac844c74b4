// Checks every client-supplied value (path and query parameters, JSON bodies, tRPC inputs) before
// any schema or service sees it, so that a hostile shape is a 400 naming the field instead of a
// crash deeper down: nesting beyond MAX_INPUT_DEPTH (recursive code such as JSON.stringify
// overflows the stack on thousands of levels), and strings PostgreSQL cannot store — NUL and
// lone UTF-16 surrogates — which clients could otherwise only learn about as a 500.
import { badRequest, type AppError } from './errors.ts'

/** Deepest nesting of arrays and objects a request may carry (UIMessages need about 8). */
export const MAX_INPUT_DEPTH = 64

/**
 * The first problem in `value` as a 400 naming the field (its dotted path, or `where` — `body`,
 * `query`, `path`, `input` — for the value itself), or null.
 */
export function inputProblem(value: unknown, where: string): AppError | null {
  const fail = (path: string, problem: string) =>
    badRequest(`Invalid request: ${path || where}: ${problem}`, path ? { param: path } : {})
  // Iterative: the guard must not itself overflow on the input it guards against.
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }]
  while (stack.length) {
    const item = stack.pop()!
    const v = item.value
    if (typeof v === 'string') {
      const problem = stringProblem(v)
      if (problem) return fail(item.path, problem)
      continue
    }
    if (v === null || typeof v !== 'object') continue
    if (item.depth >= MAX_INPUT_DEPTH) return fail(item.path, `nested deeper than ${MAX_INPUT_DEPTH} levels`)
    for (const [key, child] of Object.entries(v)) {
      const keyProblem = stringProblem(key)
      if (keyProblem) return fail(item.path, `a field name ${keyProblem}`)
      stack.push({ value: child, path: item.path ? `${item.path}.${key}` : key, depth: item.depth + 1 })
    }
  }
  return null
}

function stringProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain NUL characters'
  if (!s.isWellFormed()) return 'must not contain unpaired UTF-16 surrogates'
  return null
}
