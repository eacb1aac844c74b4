// API key secrets: format, recognisable prefix, and only a sha256 hash to store.
import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hashSecret, newApiKeySecret } from '../src/index.ts'

describe('API key secrets', () => {
  it.each(['live', 'org', 'run'] as const)(
    'newApiKeySecret(%s): ryk_<tag>_ + 43 base64url chars, a prefix of it, and its sha256',
    (tag) => {
      const key = newApiKeySecret(tag)
      expect(key.secret).toMatch(new RegExp(`^ryk_${tag}_[A-Za-z0-9_-]{43}$`))
      expect(key.prefix).toBe(key.secret.slice(0, `ryk_${tag}_`.length + 4))
      expect(key.hash).toBe(crypto.createHash('sha256').update(key.secret).digest('hex'))
      expect(hashSecret(key.secret)).toBe(key.hash)
    },
  )

  it('secrets are random and hashes differ', () => {
    const keys = Array.from({ length: 50 }, () => newApiKeySecret('live'))
    expect(new Set(keys.map((k) => k.secret)).size).toBe(50)
    expect(new Set(keys.map((k) => k.hash)).size).toBe(50)
    expect(hashSecret('a')).not.toBe(hashSecret('b'))
  })
})
