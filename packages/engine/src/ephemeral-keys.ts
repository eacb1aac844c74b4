// Ephemeral key per run (seed 001): account-scoped, expires after the configured TTL, deleted
// when the run ends however it ends (FINISH_RUN, lifecycle.ts). The row is minted at admission (admission.ts); its secret is (re)issued
// when a worker claims the run, so the plaintext never has to be stored or passed through the
// queue — and a worker that lost its claim also loses its key.
import { newApiKeySecret } from '@runyard/db'
import type { Queryable } from './event-log.ts'

/**
 * Issues a fresh secret for the run's key when an execution starts (the previous secret stops
 * working) and restarts its TTL, so time spent queued does not eat into it. Null if the key is gone.
 */
export async function issueRunKeySecret(client: Queryable, runId: string, ttlMs: number): Promise<string | null> {
  const { secret, prefix, hash } = newApiKeySecret('run')
  const { rowCount } = await client.query(
    `UPDATE "ApiKey" SET hash = $2, prefix = $3, "expiresAt" = now() + $4 * interval '1 millisecond'
     WHERE "runId" = $1 AND kind = 'ephemeral' AND "revokedAt" IS NULL`,
    [runId, hash, prefix, ttlMs],
  )
  return rowCount ? secret : null
}
