import type { SandboxType, Session } from '@runyard/contract'

export const SANDBOX_LABELS: Record<SandboxType, { name: string; hint: string }> = {
  local: {
    name: 'Local (bubblewrap)',
    hint: 'Isolated on this machine with bubblewrap; only the workspace is writable.',
  },
  e2b: { name: 'E2B cloud VM', hint: 'A remote micro-VM from E2B; nothing runs on this machine.' },
  host: { name: 'Host (unsafe)', hint: 'No isolation: commands run directly on this machine as the server user.' },
  none: { name: 'No sandbox', hint: 'The agent can only answer; tools that need a sandbox fail.' },
}

export function sessionTitle(s: Pick<Session, 'title'>): string {
  return s.title.trim() || 'Untitled session'
}

/** Where the session works: its folder, or its repository and branch. */
export function sessionSource(s: Session): string {
  if (s.repoOwner && s.repoName) return `${s.repoOwner}/${s.repoName}${s.branch ? ` @ ${s.branch}` : ''}`
  if (s.workspacePath) return s.workspacePath
  return 'Fresh folder'
}

/** `openai/gpt-5` → `gpt-5`: the provider is shown elsewhere and wastes table width. */
export function modelName(id: string): string {
  return id.includes('/') ? id.slice(id.indexOf('/') + 1) : id
}
