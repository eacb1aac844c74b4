import { publicProcedure, authedProcedure, router } from '../init.ts'

export const systemRouter = router({
  /** Public: liveness plus the auth mode, so the console knows whether to ask for a key before calling anything that would answer 401. */
  health: publicProcedure.query(async ({ ctx }) => {
    await ctx.services.system.ping()
    return { status: 'ok' as const, authMode: await ctx.services.auth.currentMode() }
  }),
  /** What this server runs with: auth mode, models, sandboxes, warnings (for the console). */
  info: authedProcedure.query(async ({ ctx }) => ({
    authMode: await ctx.services.auth.currentMode(),
    accountId: ctx.identity.accountId,
    models: ctx.services.runtime.models.list(),
    defaultModel: ctx.services.runtime.models.resolve(),
    demoModel: ctx.services.runtime.models.isDemo,
    defaultSandbox: ctx.services.runtime.defaultSandbox,
    availableSandboxes: ctx.services.runtime.availableSandboxes,
    warnings: ctx.services.runtime.warnings,
  })),
})
