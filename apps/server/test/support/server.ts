// Starts a real Runyard server (HTTP on 127.0.0.1, random port) on a private test database,
// with a scripted executor unless the test passes another; every JSON response fetched through
// `api()` is validated against the server's own /openapi.json.
import type { RunExecutor, SandboxHibernator } from '@runyard/contract'
import { AppError } from '@runyard/contract'
import { createTestDb, ScriptedExecutor, type TestDb } from '@runyard/testkit'
import { loadConfig } from '../../src/config.ts'
import { createLogger, type Logger } from '../../src/logger.ts'
import { startRunyard, type RunningServer } from '../../src/runtime.ts'
import { createApiKey } from '@runyard/services'
import type { ModelCatalog, RuntimeInfo } from '@runyard/services'
import { createOpenApiValidator, type OpenApiValidator } from './openapi-validator.ts'

export const TEST_MODELS = ['scripted', 'scripted-large']

export const testCatalog: ModelCatalog = {
  isDemo: false,
  resolve(modelId, providerId) {
    const id = modelId ?? 'scripted'
    if (!TEST_MODELS.includes(id) || (providerId && providerId !== 'test'))
      throw new AppError(
        'bad_request',
        'model_not_found',
        `Unknown model "${modelId}"${providerId ? ` for provider "${providerId}"` : ''}.`,
        { param: 'model' },
      )
    return { id, providerId: 'test' }
  },
  list: () => TEST_MODELS.map((id) => ({ id, providerId: 'test' })),
}

/** Sessions here have no sandbox (`none`): nothing to release. */
export const testRuntime: RuntimeInfo = {
  models: testCatalog,
  defaultSandbox: 'none',
  availableSandboxes: ['none'],
  warnings: [],
  sandboxes: { release: async () => {} },
}

export interface TestServer extends RunningServer {
  testDb: TestDb
  openapi: OpenApiValidator
  /** fetch + JSON + validation against /openapi.json (skip with `validate: false`). */
  api(
    path: string,
    init?: RequestInit & { json?: unknown; key?: string; validate?: boolean },
  ): Promise<{ status: number; body: any; headers: Headers }>
  stop(): Promise<void>
}

export async function startTestServer(
  opts: {
    executor?: RunExecutor
    runtime?: RuntimeInfo
    hibernator?: SandboxHibernator
    env?: Record<string, string>
    testDb?: TestDb
    log?: Logger
  } = {},
): Promise<TestServer> {
  const testDb = opts.testDb ?? (await createTestDb())
  const config = loadConfig({
    RUNYARD_PORT: '0',
    RUNYARD_LOG_LEVEL: 'silent',
    RUNYARD_RUN_LEASE_MS: '3000',
    ...opts.env,
  })
  const server = await startRunyard(config, {
    db: testDb,
    agent: {
      runtime: opts.runtime ?? testRuntime,
      executor: opts.executor ?? new ScriptedExecutor(),
      hibernator: opts.hibernator,
    },
    log: opts.log ?? createLogger(process.env.RUNYARD_TEST_LOG ?? 'silent'),
    progress: () => {},
  })
  const openapi = await createOpenApiValidator(await (await fetch(`${server.url}/openapi.json`)).json())
  return {
    ...server,
    testDb,
    openapi,
    async api(path, init = {}) {
      const headers = new Headers(init.headers)
      if (init.json !== undefined) headers.set('content-type', 'application/json')
      if (init.key) headers.set('x-api-key', init.key)
      const res = await fetch(`${server.url}${path}`, {
        ...init,
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      })
      const text = await res.text()
      const body =
        text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text || undefined
      if (init.validate !== false)
        openapi.check(init.method ?? 'GET', path, res.status, res.headers.get('content-type'), body)
      return { status: res.status, body, headers: res.headers }
    },
    async stop() {
      await server.close()
      if (!opts.testDb) await testDb.drop()
    },
  }
}

/** Accounts `acct_a` and `acct_b`, each with a personal key named `a<suffix>` / `b<suffix>`; their secrets. */
export async function seedTwoAccounts(testDb: TestDb, keySuffix = ''): Promise<{ a: string; b: string }> {
  await testDb.prisma.account.createMany({
    data: [
      { id: 'acct_a', name: 'a' },
      { id: 'acct_b', name: 'b' },
    ],
  })
  const key = async (who: 'a' | 'b') =>
    (await createApiKey(testDb.prisma, { accountId: `acct_${who}`, name: `${who}${keySuffix}`, kind: 'personal' }))
      .secret
  return { a: await key('a'), b: await key('b') }
}
