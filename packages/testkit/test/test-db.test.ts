import { describe, expect, it } from 'vitest'
import { createTestDb } from '../src/test-db.ts'

describe('createTestDb', () => {
  it('gives each caller its own migrated database', async () => {
    const a = await createTestDb()
    const b = await createTestDb()
    try {
      expect(a.name).not.toBe(b.name)
      await a.prisma.account.create({ data: { id: 'acct_a', name: 'a' } })
      expect(await a.prisma.account.count()).toBe(1)
      expect(await b.prisma.account.count()).toBe(0)
    } finally {
      await a.drop()
      await b.drop()
    }
  })
})
