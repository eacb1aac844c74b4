export interface Skill {
  /** From the SKILL.md frontmatter, else the folder name. */
  name: string
  /** From the frontmatter, else the first paragraph of the body. */
  description: string
  /** Where it was found: a workspace-relative path (`.agents/skills/x`) or a host path (global). */
  location: string
  source: 'workspace' | 'global'
  /** The whole SKILL.md as read when the run's sandbox opened. */
  content: string
}
