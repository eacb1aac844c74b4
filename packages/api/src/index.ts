// @runyard/api: the tRPC API of Runyard (the console's and TypeScript clients'), over the services.
export { appRouter, type AppRouter } from './router.ts'
export { createTrpcContext, retryAfterHeader, TRPC_ERRORS, type TrpcContext } from './init.ts'
