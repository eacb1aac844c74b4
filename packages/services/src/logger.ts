/** What services log through (the server's pino logger fits): an object of details, then a message. */
export interface ServiceLogger {
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}
