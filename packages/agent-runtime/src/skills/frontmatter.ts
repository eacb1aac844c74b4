// SKILL.md: optional YAML frontmatter (`name`, `description`) followed by Markdown. Missing
// fields fall back to the folder name and the body's first paragraph.
// The YAML parser (some 70 modules) is loaded when the first frontmatter is read, not at start-up.

const MAX_DESCRIPTION = 400

export interface SkillHeader {
  name: string
  description: string
}

async function splitFrontmatter(content: string): Promise<{ meta: Record<string, unknown>; body: string }> {
  const text = content.replace(/^\uFEFF/, '')
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text)
  if (!m) return { meta: {}, body: text }
  let meta: unknown
  try {
    const { parse } = await import('yaml')
    meta = parse(m[1] ?? '')
  } catch {
    meta = {} // a broken header should not hide the skill; the fallbacks apply
  }
  return {
    meta: typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {},
    body: text.slice(m[0].length),
  }
}

function firstParagraph(body: string): string {
  const paragraphs = body.split(/\r?\n\s*\r?\n/).map((p) => p.trim())
  const para = paragraphs.find((p) => p.length > 0 && !/^#/.test(p)) ?? ''
  return para.replace(/\s+/g, ' ')
}

function clip(s: string): string {
  return s.length > MAX_DESCRIPTION ? `${s.slice(0, MAX_DESCRIPTION - 1)}…` : s
}

export async function parseSkillHeader(content: string, folderName: string): Promise<SkillHeader> {
  const { meta, body } = await splitFrontmatter(content)
  const name = typeof meta.name === 'string' && meta.name.trim() ? meta.name.trim() : folderName
  const description =
    typeof meta.description === 'string' && meta.description.trim()
      ? meta.description.trim().replace(/\s+/g, ' ')
      : firstParagraph(body)
  return { name, description: clip(description) }
}
