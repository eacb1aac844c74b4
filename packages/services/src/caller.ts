// Who a service call acts for. Services take a Caller instead of a bare account id so that a
// run's own API key (injected into its sandbox) stays inside its run's session: it may read that
// session, its chats and runs and start runs there, and nothing else of its account.
import { forbidden } from '@runyard/contract'

export interface Caller {
  accountId: string
  /** Set for run (ephemeral) keys: the one session they may read or start runs in. */
  sessionId: string | null
  /** Set for org keys (their own account): they may also read and cancel their org's members' runs. */
  orgId?: string | null
  /** The API surface the call came through (metrics labels); says nothing about what it may do. */
  surface?: string
  /** The API key calling, when one is (an org key acting for a member too): its rate limit applies. */
  keyId?: string | null
  /**
   * For run keys: the personal or org key their run counted against. Runs a run key starts count
   * against it too, so agents starting runs that start runs stay within the root key's limit.
   */
  rootKeyId?: string | null
}

/** A caller with the whole account's reach (console, CLI, personal and org keys). */
export const accountCaller = (accountId: string): Caller => ({ accountId, sessionId: null })

/** Whether the caller may see a resource of `sessionId` (its account is checked by the query). */
export function inScope(caller: Caller, sessionId: string): boolean {
  return caller.sessionId === null || caller.sessionId === sessionId
}

/** 403 for run keys, for what only a whole-account caller may do (`what` completes "it cannot …"). */
export function assertAccountWide(caller: Caller, what: string): void {
  if (caller.sessionId !== null)
    throw forbidden(`A run's API key acts only within its own session (${caller.sessionId}): it cannot ${what}.`)
}

/**
 * The key whose per-key rate limit a run started by this caller counts against: personal and org
 * keys their own; a run's key the key at the root of its chain of runs (none when a keyless
 * caller started it: the account's limits bound those).
 */
export function rateLimitedKey(caller: Caller): string | null {
  return caller.sessionId === null ? (caller.keyId ?? null) : (caller.rootKeyId ?? null)
}
