// Finds skills when a run's sandbox opens: every folder with a SKILL.md under the workspace's
// `.agents/skills/`, plus the session's globalSkillRefs. A ref is a skill folder or a folder
// of skill folders; absolute refs are read from the server's filesystem (skills outside any
// workspace, confined like a workspace), relative refs from the workspace through the sandbox.
// Only files named SKILL.md are ever read. The first skill of a given name wins (workspace first).
import path from 'node:path'
import { HostWorkspaceFiles } from '../sandbox/host-files.ts'
import type { Sandbox } from '../sandbox/index.ts'
import { WorkspaceRoot } from '../sandbox/workspace-root.ts'
import { parseSkillHeader } from './frontmatter.ts'
import type { Skill } from './types.ts'

export const WORKSPACE_SKILLS_DIR = '.agents/skills'
const MAX_SKILL_BYTES = 256 * 1024

type Warn = (message: string) => void

/** What skill discovery reads through: a sandbox, or a confined host folder. */
type SkillFiles = Pick<Sandbox, 'stat' | 'readFile' | 'list'>

/** Skills in `dir` (a skill folder, or a folder of skill folders) read through `files`. */
async function skillsIn(files: SkillFiles, dir: string, source: Skill['source'], warn: Warn): Promise<Skill[]> {
  // Most workspaces have no skills folder: one lookup says so (each is a walk from the workspace
  // root); a lookup that fails (e.g. a link out of the workspace) goes the long way, which reports it.
  if ((await files.stat(dir).catch(() => undefined)) === null) return []
  const own = await skillAt(files, dir, source, warn)
  if (own) return [own]
  let entries
  try {
    entries = await files.list(dir)
  } catch {
    return [] // no such folder: no skills
  }
  const found: Skill[] = []
  for (const e of entries) {
    if (e.type === 'file') continue
    const skill = await skillAt(files, e.path, source, warn)
    if (skill) found.push(skill)
  }
  return found
}

async function skillAt(files: SkillFiles, dir: string, source: Skill['source'], warn: Warn): Promise<Skill | null> {
  const file = path.posix.join(dir, 'SKILL.md')
  try {
    const info = await files.stat(file)
    if (!info || info.type !== 'file') return null
    if (info.size > MAX_SKILL_BYTES) {
      warn(`skipping ${file}: larger than ${MAX_SKILL_BYTES} bytes`)
      return null
    }
    const content = await files.readFile(file)
    return { ...(await parseSkillHeader(content, path.posix.basename(dir))), location: dir, source, content }
  } catch (e) {
    warn(`skipping ${file}: ${(e as Error).message}`)
    return null
  }
}

/**
 * An operator's or client's absolute skill folder on this machine, read with the same confinement
 * as a workspace: the folder is opened without following symlinks (the server stored its real
 * path) and nothing beneath it is followed out of it, so a folder swapped for a link into someone
 * else's files is refused rather than read.
 */
async function hostSkillsIn(ref: string, warn: Warn): Promise<Skill[]> {
  let files: HostWorkspaceFiles
  try {
    files = new HostWorkspaceFiles(await WorkspaceRoot.prepare('skills', ref, { create: false }))
  } catch (e) {
    warn(`global skill ref ${ref} is not a readable folder: ${(e as Error).message}`)
    return []
  }
  const skills = await skillsIn(files, '.', 'global', warn)
  return skills.map((s) => ({ ...s, location: s.location === '.' ? ref : path.join(ref, s.location) }))
}

export async function discoverSkills(
  sandbox: Sandbox | null,
  globalRefs: readonly string[],
  warn: Warn = () => {},
): Promise<Skill[]> {
  const all: Skill[] = []
  if (sandbox) all.push(...(await skillsIn(sandbox, WORKSPACE_SKILLS_DIR, 'workspace', warn)))
  for (const ref of globalRefs) {
    if (!ref.trim()) continue
    if (path.isAbsolute(ref)) all.push(...(await hostSkillsIn(ref, warn)))
    else if (sandbox) {
      try {
        all.push(...(await skillsIn(sandbox, ref, 'global', warn)))
      } catch (e) {
        warn(`global skill ref ${ref}: ${(e as Error).message}`)
      }
    }
  }
  const byName = new Map<string, Skill>()
  for (const s of all) {
    if (byName.has(s.name)) warn(`skill "${s.name}" at ${s.location} is shadowed by ${byName.get(s.name)!.location}`)
    else byName.set(s.name, s)
  }
  return [...byName.values()]
}
