// A testkit fake E2B server for the whole test file (started before its tests, closed after),
// and E2B providers pointed at it through the real `e2b` SDK.
import { startFakeE2B, type FakeE2B } from '@runyard/testkit/fake-e2b/index'
import { afterAll, beforeAll } from 'vitest'
import { E2BSandboxProvider } from '../../src/sandbox/index.ts'

export function useFakeE2B(): { fake(): FakeE2B; provider(): E2BSandboxProvider } {
  let fake: FakeE2B | undefined
  beforeAll(async () => {
    fake = await startFakeE2B()
  })
  afterAll(async () => {
    await fake?.close()
  })
  const started = (): FakeE2B => {
    if (!fake) throw new Error('the fake E2B server starts in beforeAll')
    return fake
  }
  return { fake: started, provider: () => new E2BSandboxProvider({ ...started().connectionOpts, timeoutMs: 120_000 }) }
}
