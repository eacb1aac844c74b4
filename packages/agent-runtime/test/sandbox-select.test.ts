import { describe, expect, it } from 'vitest'
import {
  HOST_SANDBOX_WARNING,
  NoneSandboxProvider,
  SandboxUnavailableError,
  selectSandboxProvider,
} from '../src/sandbox/index.ts'

describe('selectSandboxProvider', () => {
  it('auto: e2b when E2B_API_KEY is set, else local when bubblewrap works', async () => {
    const e2b = await selectSandboxProvider({ mode: 'auto', e2b: { apiKey: 'k' } })
    expect([e2b.mode, e2b.provider.kind]).toEqual(['auto', 'e2b'])
    const local = await selectSandboxProvider({ mode: 'auto' })
    expect([local.mode, local.provider.kind]).toEqual(['auto', 'local'])
    expect(local.warning).toBeUndefined()
  })

  it('auto without E2B and without bubblewrap gives none, never host', async () => {
    const sel = await selectSandboxProvider({ mode: 'auto', local: { bwrapPath: '/nonexistent/bwrap' } })
    expect(sel.provider.kind).toBe('none')
    expect(sel.reason).toMatch(/E2B_API_KEY is not set/)
  })

  it('explicit modes', async () => {
    const host = await selectSandboxProvider({ mode: 'host' })
    expect(host.provider.kind).toBe('host')
    expect(host.warning).toBe(HOST_SANDBOX_WARNING)
    expect((await selectSandboxProvider({ mode: 'local' })).provider.kind).toBe('local')
    expect((await selectSandboxProvider({ mode: 'e2b', e2b: { apiKey: 'k' } })).provider.kind).toBe('e2b')
    const noKey = await selectSandboxProvider({ mode: 'e2b' })
    expect(noKey.provider.kind).toBe('none')
    expect(noKey.reason).toMatch(/RUNYARD_SANDBOX=e2b but E2B_API_KEY is not set/)
    const noBwrap = await selectSandboxProvider({ mode: 'local', local: { bwrapPath: '/nonexistent/bwrap' } })
    expect(noBwrap.provider.kind).toBe('none')
    expect((await selectSandboxProvider({ mode: 'none', e2b: { apiKey: 'k' } })).provider.kind).toBe('none')
  })

  it('offers every provider that can work here, whatever the default', async () => {
    const auto = await selectSandboxProvider({ mode: 'auto', e2b: { apiKey: 'k' } })
    expect(Object.keys(auto.providers)).toEqual(['local', 'e2b'])
    expect(auto.providers.e2b).toBe(auto.provider)
    const none = await selectSandboxProvider({
      mode: 'none',
      e2b: { apiKey: 'k' },
      local: { bwrapPath: '/nonexistent/bwrap' },
    })
    expect(Object.keys(none.providers)).toEqual(['e2b'])
    const host = await selectSandboxProvider({ mode: 'host' })
    expect(Object.keys(host.providers)).toEqual(['local', 'host'])
    expect(host.providers.host).toBe(host.provider)
  })

  it('the none provider fails every operation with a message saying what to configure', async () => {
    const { provider } = await selectSandboxProvider({ mode: 'none' })
    expect(provider).toBeInstanceOf(NoneSandboxProvider)
    const availability = await provider.available()
    expect(availability.ok).toBe(false)
    const err = await provider.open({ sessionId: 's', workspaceDir: '/tmp/x' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SandboxUnavailableError)
    const message = (err as Error).message
    expect(message).toMatch(/RUNYARD_SANDBOX=none/)
    expect(message).toMatch(/install bubblewrap/)
    expect(message).toMatch(/set E2B_API_KEY/)
    expect(message).toMatch(/RUNYARD_SANDBOX=host/)
    expect(!availability.ok && availability.reason).toBe(message)
    await expect(provider.hibernate?.({})).rejects.toBeInstanceOf(SandboxUnavailableError)
    await expect(provider.destroy?.({})).rejects.toBeInstanceOf(SandboxUnavailableError)
  })
})
