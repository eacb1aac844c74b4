// API key secrets: only a sha256 hash is stored; a short prefix is kept to recognise a key.
import crypto from 'node:crypto'

export interface NewSecret {
  secret: string
  prefix: string
  hash: string
}

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex')
}

/** `ryk_<tag>_<43 chars>`; the tag says what the key is for (`live`, `org`, `run`). */
export function newApiKeySecret(tag: 'live' | 'org' | 'run'): NewSecret {
  const secret = `ryk_${tag}_${crypto.randomBytes(32).toString('base64url')}`
  return { secret, prefix: secret.slice(0, tag.length + 9), hash: hashSecret(secret) }
}
