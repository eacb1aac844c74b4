export { startRunyard, type RunningServer } from './runtime.ts'
export { loadConfig, type ServerConfig } from './config.ts'
export { openApiDocument } from './app.ts'
export type { AppRouter } from '@runyard/api'
