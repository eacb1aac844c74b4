// The one JSON body parser of every API surface (REST routes and tRPC mutations): a size limit
// answered with 413, and nesting deeper than MAX_INPUT_DEPTH refused from the raw bytes before
// parsing. Callers authenticate first, so an anonymous client cannot make the server parse
// megabytes.
import express, { type Request, type Response } from 'express'
import { MAX_INPUT_DEPTH } from '@runyard/contract'

/** Largest request body, in bytes (documented in the README). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024

/** A body refused before parsing for its nesting (body-parser wraps what `verify` throws, so not an AppError). */
export class JsonTooDeepError extends Error {
  constructor() {
    super(`Invalid request: the JSON body is nested deeper than ${MAX_INPUT_DEPTH} levels`)
  }
}

const parser = express.json({
  limit: MAX_BODY_BYTES,
  verify: (_req, _res, raw) => {
    if (jsonNestsDeeperThan(raw)) throw new JsonTooDeepError()
  },
})

/** Parses a JSON body into `req.body` (left undefined for other content types); rejects with the parser's error. */
export function readJsonBody(req: Request, res: Response): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- body-parser's error, passed on as it came
  return new Promise((resolve, reject) => parser(req, res, (err?: unknown) => (err ? reject(err) : resolve())))
}

/**
 * Whether the JSON text nests arrays/objects deeper than `max`, found by a scan of the raw bytes
 * before parsing (parsing millions of levels costs seconds of CPU; the scan costs milliseconds).
 */
export function jsonNestsDeeperThan(raw: Buffer, max = MAX_INPUT_DEPTH): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}
