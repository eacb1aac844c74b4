// `skill`: loads one of the skills discovered when the run's sandbox opened (listed by name
// and description in the system prompt) so the model gets its full instructions on demand.
import { tool } from 'ai'
import { z } from 'zod'
import type { ToolEnvironment } from './context.ts'

/** The tool's input, built once: the AI SDK's JSON Schema of it is then computed once per process (tools/index.ts). */
const INPUT_SCHEMA = z.object({ name: z.string().min(1) })

export function skillTool(env: ToolEnvironment) {
  return tool({
    description:
      'Load the full instructions of a skill by name (the available skills are listed in the system prompt).',
    inputSchema: INPUT_SCHEMA,
    execute: async ({ name }) => {
      const skill =
        env.skills.find((s) => s.name === name) ?? env.skills.find((s) => s.name.toLowerCase() === name.toLowerCase())
      if (!skill) {
        const known = env.skills.map((s) => s.name)
        throw new Error(
          `No skill named "${name}". ${known.length ? `Available skills: ${known.join(', ')}` : 'No skills are available in this session.'}`,
        )
      }
      const where =
        skill.source === 'workspace'
          ? `Skill folder (in the workspace): ${skill.location}`
          : `Skill folder (global, outside the workspace): ${skill.location}`
      return `# Skill: ${skill.name}\n${where}\n\n${skill.content}`
    },
  })
}
