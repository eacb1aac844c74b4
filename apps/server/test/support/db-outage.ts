// A test server whose database sits behind a TCP proxy the test can cut: for what the server
// answers while PostgreSQL is unreachable, and how it recovers.
import { createDb } from '@runyard/db'
import { createTestDb, type TestDb } from '@runyard/testkit'
import { startTcpProxy } from './responses.ts'
import { startTestServer, type TestServer } from './server.ts'

export interface ServerBehindProxy {
  server: TestServer
  /** `cut()` makes the database unreachable, `restore()` undoes it. */
  proxy: Awaited<ReturnType<typeof startTcpProxy>>
  stop(): Promise<void>
}

/** `seed` writes to the database before the server starts. */
export async function startServerBehindProxy(seed?: (db: TestDb) => Promise<unknown>): Promise<ServerBehindProxy> {
  const testDb = await createTestDb()
  await seed?.(testDb)
  const proxy = await startTcpProxy(testDb.url)
  const url = new URL(testDb.url)
  url.hostname = '127.0.0.1'
  url.port = String(proxy.port)
  url.searchParams.delete('host') // TCP to the proxy, not the embedded server's socket
  const proxied = await createDb({ databaseUrl: url.toString(), migrate: false })
  const server = await startTestServer({ testDb: { ...proxied, name: testDb.name, drop: async () => {} } })
  return {
    server,
    proxy,
    async stop() {
      await proxy.restore().catch(() => {})
      await server.stop()
      await proxied.close()
      await proxy.close()
      await testDb.drop()
    },
  }
}
