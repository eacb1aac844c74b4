import { describe, expect, it } from 'vitest'
import { newId, RunId } from '../src/ids.ts'

describe('ids', () => {
  it('are unique and valid across many refills of the random pool, and sort by creation time', () => {
    const ids = Array.from({ length: 5000 }, () => newId('run'))
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(RunId.safeParse(id).success).toBe(true)
    // The random part differs from one id to the next (no pool slice handed out twice).
    const randomParts = ids.map((id) => id.slice(-16))
    expect(new Set(randomParts).size).toBe(ids.length)
    // The time part never goes backwards in creation order.
    const times = ids.map((id) => id.slice(4, 14))
    expect([...times].sort()).toEqual(times)
  })
})
