// What the server runs with (auth mode, account, models, sandboxes, warnings), loaded once after
// sign-in and shared by every page.
import { createContext, useContext } from 'react'
import type { SystemInfo } from '../lib/types.ts'

export const SystemInfoContext = createContext<SystemInfo | null>(null)

export function useSystemInfo(): SystemInfo {
  const info = useContext(SystemInfoContext)
  if (!info) throw new Error('useSystemInfo outside of the signed-in console')
  return info
}
