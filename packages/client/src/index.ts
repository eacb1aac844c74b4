export { createRunyardClient, type RunyardClient, type RunyardClientOptions } from './client.ts'
export type { paths as RestPaths, components as RestComponents } from './rest-types.ts'
export type { AppRouter } from '@runyard/api'
