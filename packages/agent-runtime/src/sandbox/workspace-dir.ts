import fs from 'node:fs/promises'
import path from 'node:path'
import { SandboxError } from './errors.ts'

/** Creates the host workspace directory if needed and returns its real path. */
export async function prepareHostWorkspace(kind: string, workspaceDir: string | undefined): Promise<string> {
  if (!workspaceDir || !path.isAbsolute(workspaceDir)) {
    throw new SandboxError(`The ${kind} sandbox needs an absolute host workspaceDir (got ${JSON.stringify(workspaceDir)})`)
  }
  await fs.mkdir(workspaceDir, { recursive: true })
  return fs.realpath(workspaceDir)
}

export const DEFAULT_SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
