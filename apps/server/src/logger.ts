// The process's logger: one JSON object per line for machines (log shippers, `jq`), or one
// colourised line per entry for people at a terminal (RUNYARD_LOG_FORMAT, default: by whether
// stdout is a TTY). Either way secrets are redacted by path.
import { createRequire } from 'node:module'
import { pino, type Logger } from 'pino'
import type PinoPretty from 'pino-pretty'

// pino-pretty (some 40 modules) is required only for the pretty format: servers logging JSON
// (containers, pipes, files) never load it.
const loadPretty = () => createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty

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

export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

/** `auto`: pretty on a terminal, JSON anywhere else (files, pipes, containers' log drivers). */
export function resolveLogFormat(format: LogFormat, destination: { isTTY?: boolean }): 'pretty' | 'json' {
  return format === 'auto' ? (destination.isTTY ? 'pretty' : 'json') : format
}

export interface LoggerOptions {
  format?: LogFormat
  /** Where lines go (default stdout). */
  destination?: NodeJS.WritableStream & { isTTY?: boolean }
}

export function createLogger(level: string, opts: LoggerOptions = {}): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'runyard' } }
  const destination = opts.destination ?? process.stdout
  if (resolveLogFormat(opts.format ?? 'auto', destination) === 'json') return pino(options, opts.destination as never)
  const pretty = loadPretty()
  const lines = pretty({
    // stdout itself is written synchronously (as pino's own default): nothing lost on exit
    destination: opts.destination ?? 1,
    sync: true,
    singleLine: true,
    // colours only where they render (a TTY; NO_COLOR / FORCE_COLOR respected)
    colorize: Boolean(destination.isTTY) && pretty.isColorSupported,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
  })
  return pino(options, lines)
}

export type { Logger }
