// Redaction of the run's API key in tool output, including the encodings a command is likely to
// print it in: base64/base64url at each byte alignment (plain and line-wrapped), hex in either
// case, percent-encoding. Unit cases on the redactor, then real bash tool calls (host sandbox,
// key in RUNYARD_API_KEY as in a run) through the tool set the executor builds.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HostSandboxProvider, type Sandbox } from '../src/sandbox/index.ts'
import {
  createTools,
  DEFAULT_FETCH_POLICY,
  DEFAULT_TOOL_LIMITS,
  REDACTED,
  type ToolEnvironment,
} from '../src/tools/index.ts'
import { secretRedactor } from '../src/tools/redact.ts'

/** A run key as packages/db's newApiKeySecret('run') makes them. */
const runKey = (random = crypto.randomBytes(32)) => `ryk_run_${random.toString('base64url')}`

// A fixed run key (reproducible failures), a fresh random one, and a secret of another shape:
// run keys are base64url text, whose own base64 never contains '+' or '/' (so base64url output
// would look the same); '~', '>' and '?' bring them in, and non-ASCII takes several %XX a character.
const OTHER_SECRET = 'pässwörd~>?~>?~>?-ünïcødé-~~??>>'
const KEYS = [runKey(Buffer.from('00f8ff3e'.repeat(8), 'hex')), runKey(), OTHER_SECRET]

const BEFORE = 'token=Xx9 '
const AFTER = ' (end)'
const LEADS = ['', 'a', 'ab'] // bytes before the key in the encoded stream: the three alignments
const TAILS = ['', '\n', 'tail!?']

/** Where the key's own characters are in base64 of lead+key+tail: [first, end); lengths in bytes. */
function core(lead: number, keyLength: number): [number, number] {
  return [Math.ceil((8 * lead) / 6), Math.floor((8 * (lead + keyLength)) / 6)]
}

describe('secretRedactor', () => {
  it('the secrets exercise base64url: some base64 output has + and /', () => {
    const all = LEADS.map((l) => Buffer.from(l + OTHER_SECRET).toString('base64')).join('')
    expect(all).toMatch(/\+/)
    expect(all).toMatch(/\//)
  })

  describe.each(KEYS.map((k, i) => [i, k] as const))('key %i', (_i, key) => {
    const redact = secretRedactor([key])

    it('as it is, several times, inside text', () => {
      expect(redact(`a ${key} b ${key}${key}`)).toBe(`a ${REDACTED} b ${REDACTED}${REDACTED}`)
    })

    it.each(
      LEADS.flatMap((lead) =>
        TAILS.flatMap((tail) => (['base64', 'base64url'] as const).map((enc) => [enc, lead, tail] as const)),
      ),
    )('%s after %j, followed by %j', (enc, lead, tail) => {
      const encoded = Buffer.from(lead + key + tail).toString(enc)
      const [first, end] = core(lead.length, Buffer.byteLength(key))
      expect(redact(BEFORE + encoded + AFTER)).toBe(
        BEFORE + encoded.slice(0, first) + REDACTED + encoded.slice(end) + AFTER,
      )
      // what is left of the key's encoding is at most one partial character on either side
      expect(first - Math.floor((8 * lead.length) / 6)).toBeLessThanOrEqual(1)
      expect(Math.ceil((8 * (lead.length + Buffer.byteLength(key))) / 6) - end).toBeLessThanOrEqual(1)
    })

    it.each([30, 31, 32, 45, 46, 47])('base64 wrapped at 76 columns, the key after %i bytes', (offset) => {
      const prefix = 'p'.repeat(offset)
      const encoded = Buffer.from(prefix + key + '\n').toString('base64')
      const wrapped = encoded.match(/.{1,76}/g)!.join('\n')
      const [first, end] = core(offset, Buffer.byteLength(key))
      const at = (i: number) => i + Math.floor(i / 76) // index in `wrapped` of encoded[i]
      expect(wrapped.slice(at(first), at(end - 1) + 1)).toContain('\n') // the wrap does cut the key
      expect(redact(wrapped)).toBe(wrapped.slice(0, at(first)) + REDACTED + wrapped.slice(at(end - 1) + 1))
    })

    it('hex, lower and upper case, alone and inside a longer hex dump', () => {
      const hex = Buffer.from(key).toString('hex')
      expect(redact(`${BEFORE}${hex}${AFTER}`)).toBe(`${BEFORE}${REDACTED}${AFTER}`)
      expect(redact(`${BEFORE}${hex.toUpperCase()}${AFTER}`)).toBe(`${BEFORE}${REDACTED}${AFTER}`)
      const dump = Buffer.from(`KEY=${key}\n`).toString('hex')
      expect(redact(dump)).toBe(`${Buffer.from('KEY=').toString('hex')}${REDACTED}0a`)
      // `xxd -p` prints 60 hex digits a line
      const xxd = dump.match(/.{1,60}/g)!.join('\n')
      expect(redact(xxd)).toBe(`4b45593d${REDACTED}0a`)
    })

    it('percent-encoded: encodeURIComponent, and %XX of every byte in either case', () => {
      const everyByte = Array.from(Buffer.from(key), (b) => `%${b.toString(16).padStart(2, '0')}`).join('')
      expect(everyByte).not.toContain(key.slice(0, 4))
      for (const form of [encodeURIComponent(key), everyByte, everyByte.toUpperCase()]) {
        expect(redact(`https://example.com/?key=${form}&x=1`)).toBe(`https://example.com/?key=${REDACTED}&x=1`)
      }
      // a mixture (some characters escaped, some not) is still the key
      const mixed = Array.from(key, (c, i) =>
        i % 3 === 0 ? Array.from(Buffer.from(c), (b) => `%${b.toString(16).toUpperCase()}`).join('') : c,
      ).join('')
      expect(redact(`k=${mixed}`)).toBe(`k=${REDACTED}`)
    })

    it('leaves unrelated text alone, including other keys and their encodings', () => {
      const other = runKey()
      const texts = [
        'ryk_run_ is the prefix of run keys; ryk_live_ of live ones',
        key.slice(0, -1),
        key.slice(1),
        other,
        Buffer.from(other).toString('base64'),
        Buffer.from(other).toString('hex'),
        Buffer.from(key.slice(0, -4)).toString('base64'),
        Buffer.from(key.slice(0, -4)).toString('hex'),
        crypto.randomBytes(3000).toString('base64'),
        crypto.randomBytes(3000).toString('hex'),
        'Exit code: 0\n--- stdout ---\nhello\n',
      ]
      for (const t of texts) expect(redact(t)).toBe(t)
    })
  })

  // The redactor first checks cheaply whether a text can hold a secret at all (line breaks taken
  // out for the wrappable forms, '%' for the percent-encoded one); these are the edges of that check.
  it('finds a secret that has a line break of its own, and a form next to a % or split by a wrap', () => {
    const multiLine = 'first-line-of-it\nsecond-line-of-it'
    expect(secretRedactor([multiLine])(`x ${multiLine} y`)).toBe(`x ${REDACTED} y`)
    const key = KEYS[0]!
    const redact = secretRedactor([key])
    expect(redact(`100% done: ${key}`)).toBe(`100% done: ${REDACTED}`)
    const hex = Buffer.from(key).toString('hex')
    expect(redact(`%%\r\n${hex.slice(0, 7)}\r\n${hex.slice(7).toUpperCase()}`)).toBe(`%%\r\n${REDACTED}`)
    for (const t of ['100% done', '%zz %41 %%', 'a%2Fb\nc\r\nd']) expect(redact(t)).toBe(t)
  })

  it('redacts every listed secret and ignores ones too short to be told from ordinary text', () => {
    const [a, b] = [runKey(), runKey()]
    const redact = secretRedactor([a, b, 'short', ''])
    expect(redact(`${a} ${Buffer.from(b).toString('base64')} short`)).toBe(`${REDACTED} ${REDACTED} short`)
    expect(secretRedactor([])('anything')).toBe('anything')
  })
})

describe('bash tool output (host sandbox, key in RUNYARD_API_KEY)', () => {
  const key = KEYS[0]!
  let base: string
  let sandbox: Sandbox
  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'redact-'))
    ;({ sandbox } = await new HostSandboxProvider().open({
      sessionId: 'redact',
      workspaceDir: base,
      env: { RUNYARD_API_KEY: key },
    }))
  })
  afterAll(async () => {
    await sandbox?.close()
    if (base) fs.rmSync(base, { recursive: true, force: true })
  })

  const bash = async (command: string): Promise<string> => {
    const env: ToolEnvironment = {
      sandbox: () => sandbox,
      limits: DEFAULT_TOOL_LIMITS,
      fetchPolicy: DEFAULT_FETCH_POLICY,
      skills: [],
      loadTodos: async () => [],
      saveTodos: async () => {},
      serializeWrites: (fn) => fn(),
      secrets: [key],
    }
    const execute = createTools(env, { interactive: false }).bash!.execute!
    return String(await execute({ command }, { toolCallId: 'call_1', messages: [], context: undefined }))
  }

  it.each([
    ['plain', 'echo "key: $RUNYARD_API_KEY"'],
    ['base64', 'echo "$RUNYARD_API_KEY" | base64'],
    ['base64 at offset 1', 'printf "x%s" "$RUNYARD_API_KEY" | base64'],
    ['base64 at offset 2', 'printf "xy%s" "$RUNYARD_API_KEY" | base64'],
    ['base64 of the whole environment, wrapped', 'env | sort | base64'],
    ['base64url', 'printf "%s" "$RUNYARD_API_KEY" | basenc --base64url'],
    ['base64url at offset 1', 'printf "Z%s." "$RUNYARD_API_KEY" | basenc --base64url'],
    ['hex', 'printf "%s" "$RUNYARD_API_KEY" | xxd -p'],
    ['upper-case hex', 'printf "%s" "$RUNYARD_API_KEY" | xxd -p -u'],
    ['%XX', `printf "%s" "$RUNYARD_API_KEY" | xxd -p -c1 | sed 's/^/%/' | tr -d '\\n'`],
  ])('%s', async (_what, command) => {
    const out = await bash(command)
    expect(out).toMatch(/^Exit code: 0\n/)
    expect(out).toContain(REDACTED)
    expect(out).not.toContain(key)
    // nothing left that decodes to a stretch of the key
    const hex = out.replace(/[^0-9a-fA-F]/g, '')
    expect(Buffer.from(hex, 'hex').toString('latin1')).not.toContain(key.slice(8, 20))
    for (const line of out.split('\n')) {
      for (const enc of ['base64', 'base64url'] as const) {
        for (const skip of [0, 1, 2, 3])
          expect(Buffer.from(line.slice(skip), enc).toString('latin1')).not.toContain(key.slice(8, 20))
      }
    }
  })
})
