import { WorkspaceRoot } from './workspace-root.ts'

/**
 * Creates the host workspace directory if needed and opens it as a {@link WorkspaceRoot};
 * refuses (SandboxError) a path that is not absolute and canonical.
 */
export function prepareHostWorkspace(kind: string, workspaceDir: string | undefined): Promise<WorkspaceRoot> {
  return WorkspaceRoot.prepare(kind, workspaceDir)
}

export const DEFAULT_SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
