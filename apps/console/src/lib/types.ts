import type { AppRouter } from '@runyard/api'
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server'

export type RouterOutputs = inferRouterOutputs<AppRouter>
export type RouterInputs = inferRouterInputs<AppRouter>
export type SystemInfo = RouterOutputs['system']['info']
export type AuthMode = RouterOutputs['system']['health']['authMode']
