// The API key of this browser tab (keys mode). Kept in sessionStorage: it survives reloads but
// not closing the tab, and is never put in a URL (URLs end up in logs and history).
import { useSyncExternalStore } from 'react'

const STORAGE_KEY = 'runyard.apiKey'
const listeners = new Set<() => void>()

function read(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY)
  } catch {
    return null // storage disabled: the user signs in again after a reload
  }
}

let current: string | null = read()

/** Why the tab was signed out (shown once on the sign-in page). */
export const signOutReason: { current: string | null } = { current: null }

export function getApiKey(): string | null {
  return current
}

export function setApiKey(key: string | null): void {
  current = key
  try {
    if (key) window.sessionStorage.setItem(STORAGE_KEY, key)
    else window.sessionStorage.removeItem(STORAGE_KEY)
  } catch {
    // keep it in memory only
  }
  for (const l of listeners) l()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useApiKey(): string | null {
  return useSyncExternalStore(subscribe, getApiKey)
}
