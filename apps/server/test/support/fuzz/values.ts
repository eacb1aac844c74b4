// Hostile values for the fuzzer: strings, path segments, query values, header values. None of
// them contains a pattern the fuzzer looks for in responses (stack frames, database messages), so
// an echo of the input is never mistaken for a leak.
import type { Rng } from './rng.ts'

/**
 * Percent-encodes any JS string, lone surrogates included (encodeURIComponent throws on those):
 * a lone surrogate becomes its 3-byte WTF-8 form (`\ud800` → `%ED%A0%80`), i.e. invalid UTF-8.
 */
export function pct(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += encodeURIComponent(s[i]! + s[i + 1]!)
        i++
        continue
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('')
      continue
    }
    out += encodeURIComponent(s[i]!)
  }
  return out
}

/** Strings an attacker (or a careless client) sends in any string field. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '   \n\t ',
  '\u0000',
  'a\u0000b',
  'sess_\u0000',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  'emoji 😀 𝕏',
  'ü ß 中文 العربية',
  '\u202eRTL',
  '\ufeffBOM',
  '\u0007\u001b[31m',
  "' OR '1'='1",
  `'; DROP TABLE "Session"; --`,
  '${7*7}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '..\\..\\windows',
  '/dev/zero',
  '%00',
  '%E0%A4%A',
  '%2e%2e%2f',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '0',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
  '<script>alert(1)</script>',
  '\r\nX-Injected: 1',
  'a'.repeat(300),
  'x'.repeat(5000),
]

/** JSON values of every type, for "wrong type" mutations. */
export const WRONG_TYPE_VALUES: readonly unknown[] = [
  0,
  -1,
  1.5,
  1e308,
  -1e-308,
  true,
  false,
  null,
  [],
  {},
  [1, 'a'],
  { a: 1 },
  'str',
  '',
  ['\u0000'],
]

/** Raw JSON number texts JSON.stringify cannot produce. */
export const RAW_NUMBERS: readonly string[] = [
  '1e400',
  '-1e400',
  '-0',
  '123456789012345678901234567890',
  '0.0000000000000000000000001',
  '9007199254740993',
]

/** Keys an attacker adds to objects. */
export const UNKNOWN_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'isAdmin',
  'accountId',
  'account_id',
  'id',
  'role',
  'extra',
  '$where',
  'x'.repeat(1000),
  '',
  '\u0000',
  '\ud800',
]

export interface SegmentVariant {
  label: string
  /** Raw (already URL-safe) path segment or query value; `id` is a real id of the right kind. */
  make(rng: Rng, id: string): string
}

/** Hostile path segments / query values (raw, already percent-encoded where needed). */
export const SEGMENT_VARIANTS: readonly SegmentVariant[] = [
  { label: 'nul', make: () => '%00' },
  { label: 'nul-suffix', make: (_r, id) => `${id}%00` },
  { label: 'nul-inside', make: (_r, id) => `${id.slice(0, 5)}%00${id.slice(5)}` },
  { label: 'bad-pct', make: () => '%E0%A4%A' },
  { label: 'bad-pct-suffix', make: (_r, id) => `${id}%E0%A4%A` },
  { label: 'bare-pct', make: (_r, id) => `${id}%` },
  { label: 'pct-zz', make: () => '%zz' },
  { label: 'overlong-utf8', make: () => '%C0%AE%C0%AE' },
  { label: 'invalid-utf8', make: (_r, id) => `${id}%FF%FE` },
  { label: 'lone-surrogate', make: () => '%ED%A0%80' },
  { label: 'lone-surrogate-suffix', make: (_r, id) => `${id}%ED%B0%80` },
  { label: 'encoded-slash', make: (_r, id) => `${id}%2F..%2F..` },
  { label: 'dotdot', make: () => '..' },
  { label: 'dot', make: () => '.' },
  { label: 'dotdot-encoded', make: () => '%2e%2e' },
  { label: 'backslash', make: () => '..%5C..%5C' },
  { label: 'unicode', make: (_r, id) => pct(`${id}😀ü中`) },
  { label: 'too-long', make: (r, id) => `${id}${'A'.repeat(r.int(1000, 8000))}` },
  { label: 'control-chars', make: () => '%01%02%1B%7F' },
  { label: 'crlf', make: () => '%0D%0AX-Injected:%201' },
  { label: 'spaces', make: () => '%20%20' },
  { label: 'plus', make: (_r, id) => `${id}+1` },
  { label: 'semicolon', make: (_r, id) => `${id};x=1` },
  { label: 'sql', make: () => pct("' OR 1=1 --") },
  { label: 'hostile-string', make: (r) => pct(r.pick(HOSTILE_STRINGS.filter((s) => s !== ''))) },
  {
    label: 'other-prefix',
    make: (r) => `${r.pick(['sess_', 'run_', 'chat_', 'resp_', 'ws_', 'key_', 'acct_', 'msg_'])}${r.alnum(26)}`,
  },
  { label: 'no-prefix', make: (r) => r.alnum(r.int(1, 40)) },
  { label: 'number', make: (r) => r.pick(['0', '-1', '1e400', '99999999999999999999', '1.5', 'NaN']) },
]

/** Well-formed-looking but unknown ids. */
export const ID_PREFIX: Record<string, string> = {
  session: 'sess_',
  chat: 'chat_',
  run: 'run_',
  response: 'resp_',
  workspace: 'ws_',
  key: 'key_',
  account: 'acct_',
  webhookEndpoint: 'whep_',
  webhookMessage: 'whmsg_',
  item: 'msg_',
}

export const LAST_EVENT_IDS: readonly string[] = [
  '',
  '0',
  '1',
  '3',
  '-1',
  '1.5',
  '1e3',
  '0x10',
  ' 7 ',
  '99999999999999999999',
  '9007199254740993',
  'abc',
  'NaN',
  'null',
  '\u00ff\u00fe',
  'x'.repeat(5000),
  '%00',
  '1, 2',
]
export const ACCEPTS: readonly string[] = [
  'text/event-stream',
  'text/html',
  'application/xml',
  '*/*',
  'application/json;q=0',
  '',
  'garbage;;;',
  'text/html,application/xhtml+xml,*/*;q=0.8',
  'application/jsonl',
]
export const CONTENT_TYPES: readonly [string, string | undefined][] = [
  ['none', undefined],
  ['text/plain', 'text/plain'],
  ['text/plain-utf8', 'text/plain; charset=utf-8'],
  ['form', 'application/x-www-form-urlencoded'],
  ['multipart', 'multipart/form-data; boundary=xyz'],
  ['octet-stream', 'application/octet-stream'],
  ['json-utf16', 'application/json; charset=utf-16'],
  ['json-latin1', 'application/json; charset=latin1'],
  ['json-bogus-charset', 'application/json; charset=bogus'],
  ['merge-patch', 'application/merge-patch+json'],
  ['upper-case', 'APPLICATION/JSON'],
  ['malformed', 'application/json;;;=='],
  ['garbage', '!!!'],
  ['xml', 'application/xml'],
]
