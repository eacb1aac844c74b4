import { pino, type Logger } from 'pino'

/** Paths whose values never reach the logs (API keys in headers, bodies and errors). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.apiKey',
  '*.secret',
  '*.password',
  'apiKey',
  'secret',
]

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'runyard' } }, destination as never)
}

export type { Logger }
