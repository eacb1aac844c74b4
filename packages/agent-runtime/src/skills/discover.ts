// Finds skills when a run's sandbox opens: every folder with a SKILL.md under the workspace's
// `.agents/skills/`, plus the session's globalSkillRefs. A ref is a skill folder or a folder
// of skill folders; absolute refs are read from the server's filesystem (operator-installed
// skills, outside any workspace), relative refs from the workspace through the sandbox. Only
// files named SKILL.md are ever read. The first skill of a given name wins (workspace first).
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Sandbox } from '../sandbox/index.ts'
import { parseSkillHeader } from './frontmatter.ts'
import type { Skill } from './types.ts'

export const WORKSPACE_SKILLS_DIR = '.agents/skills'
const MAX_SKILL_BYTES = 256 * 1024

type Warn = (message: string) => void

/** Reads SKILL.md files through the sandbox (workspace-relative paths). */
async function sandboxSkillsIn(sandbox: Sandbox, dir: string, warn: Warn): Promise<Skill[]> {
  const own = await sandboxSkill(sandbox, dir, warn)
  if (own) return [own]
  let entries
  try {
    entries = await sandbox.list(dir)
  } catch {
    return [] // no such folder: no skills
  }
  const found: Skill[] = []
  for (const e of entries) {
    if (e.type === 'file') continue
    const skill = await sandboxSkill(sandbox, e.path, warn)
    if (skill) found.push(skill)
  }
  return found
}

async function sandboxSkill(sandbox: Sandbox, dir: string, warn: Warn): Promise<Skill | null> {
  const file = path.posix.join(dir, 'SKILL.md')
  try {
    const info = await sandbox.stat(file)
    if (!info || info.type !== 'file') return null
    if (info.size > MAX_SKILL_BYTES) {
      warn(`skipping ${file}: larger than ${MAX_SKILL_BYTES} bytes`)
      return null
    }
    const content = await sandbox.readFile(file)
    return { ...parseSkillHeader(content, path.posix.basename(dir)), location: dir, source: 'workspace', content }
  } catch (e) {
    warn(`skipping ${file}: ${(e as Error).message}`)
    return null
  }
}

async function hostSkill(dir: string, warn: Warn): Promise<Skill | null> {
  const file = path.join(dir, 'SKILL.md')
  try {
    const st = await fs.stat(file)
    if (!st.isFile()) return null
    if (st.size > MAX_SKILL_BYTES) {
      warn(`skipping ${file}: larger than ${MAX_SKILL_BYTES} bytes`)
      return null
    }
    const content = await fs.readFile(file, 'utf8')
    return { ...parseSkillHeader(content, path.basename(dir)), location: dir, source: 'global', content }
  } catch {
    return null
  }
}

async function hostSkillsIn(ref: string, warn: Warn): Promise<Skill[]> {
  const own = await hostSkill(ref, warn)
  if (own) return [own]
  let names: string[]
  try {
    names = (await fs.readdir(ref, { withFileTypes: true })).filter((d) => d.isDirectory() || d.isSymbolicLink()).map((d) => d.name)
  } catch {
    warn(`global skill ref ${ref} is not a readable folder`)
    return []
  }
  const found: Skill[] = []
  for (const name of names.sort()) {
    const skill = await hostSkill(path.join(ref, name), warn)
    if (skill) found.push(skill)
  }
  return found
}

export async function discoverSkills(sandbox: Sandbox | null, globalRefs: readonly string[], warn: Warn = () => {}): Promise<Skill[]> {
  const all: Skill[] = []
  if (sandbox) all.push(...(await sandboxSkillsIn(sandbox, WORKSPACE_SKILLS_DIR, warn)))
  for (const ref of globalRefs) {
    if (!ref.trim()) continue
    if (path.isAbsolute(ref)) all.push(...(await hostSkillsIn(ref, warn)))
    else if (sandbox) {
      try {
        all.push(...(await sandboxSkillsIn(sandbox, ref, warn)).map((s) => ({ ...s, source: 'global' as const })))
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
