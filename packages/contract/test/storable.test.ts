import { describe, expect, it } from 'vitest'
import { storableJson, storableText } from '../src/storable.ts'

describe('storableText', () => {
  it('replaces NUL with ␀ and lone surrogates with U+FFFD, keeping everything else', () => {
    expect(storableText('a\u0000b')).toBe('a\u2400b')
    expect(storableText('x\ud800y\udfff')).toBe('x\ufffdy\ufffd')
    expect(storableText('emoji 😀 stays')).toBe('emoji 😀 stays')
    expect(storableText('plain')).toBe('plain')
  })
})

describe('storableJson', () => {
  it('makes strings and keys storable and leaves valid JSON', () => {
    const json = storableJson({ 'k\u0000': ['a\u0000b', 'lone \udc00', 'pair 😀'], n: 1 })
    expect(JSON.parse(json)).toEqual({ 'k\u2400': ['a\u2400b', 'lone \ufffd', 'pair 😀'], n: 1 })
    expect(json).not.toMatch(/\\u0000|\\ud[89a-f]/i)
  })

  it('leaves text that only looks like an escape alone', () => {
    // The original strings contain a backslash followed by "u0000" / "ud800": not NUL, not surrogates.
    const value = { a: '\\u0000', b: '\\\\u0000', c: '\\ud800', d: '\\\u0000' }
    expect(JSON.parse(storableJson(value))).toEqual({ a: '\\u0000', b: '\\\\u0000', c: '\\ud800', d: '\\\u2400' })
  })

  it('returns the same text as JSON.stringify when nothing needs replacing', () => {
    const value = { text: 'hello', nested: [{ x: 'ü' }] }
    expect(storableJson(value)).toBe(JSON.stringify(value))
  })
})
