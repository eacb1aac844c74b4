// The system prompt (`instructions`): what Runyard is, where the agent works and how safe
// that place is, the skills it can load, and the run's own instructions.
import type { Skill } from '../skills/types.ts'

export interface PromptContext {
  /** Sandbox kind, or null when no sandbox could be opened. */
  sandboxKind: 'local' | 'host' | 'e2b' | null
  workspaceDir: string | null
  /** Why tools that need the sandbox will fail (when sandboxKind is null). */
  sandboxProblem?: string
  skills: readonly Skill[]
  /** The run's extra instructions (Responses `instructions`). */
  runInstructions?: string
  /** Sub-agents get a shorter prompt about reporting back. */
  subAgent?: { description: string }
}

const SANDBOX_LABEL: Record<'local' | 'host' | 'e2b', string> = {
  local:
    'a local bubblewrap sandbox on the Runyard server (the system is read-only, only the workspace is writable, network is usually off)',
  host: "the Runyard server itself, WITHOUT isolation (unsafe host mode): commands run with the server user's permissions, so be careful",
  e2b: 'an E2B cloud sandbox (an isolated VM with network access)',
}

export function buildSystemPrompt(c: PromptContext): string {
  const out: string[] = []
  if (c.subAgent) {
    out.push(
      "You are a sub-agent of Runyard's coding agent, working on one delegated task: " + c.subAgent.description + '.',
      'Work autonomously with your tools; you cannot ask the user anything. When done, reply with a concise final report ' +
        '(findings, files changed, anything left open): that reply is all the calling agent sees.',
    )
  } else {
    out.push(
      'You are the coding agent of Runyard, a self-hosted service that runs AI agents in sandboxes for people and programs.',
      'You work in a workspace through tools: bash, read, write, edit, grep, glob for files and commands; todo to keep a ' +
        "task list for this chat; task to delegate a self-contained job to a sub-agent; skill to load a skill's instructions; " +
        "fetch for HTTP; ask_user_question when you truly need the user's input (it ends your turn).",
      'Be direct and concise. Check your work (run it, read it back) before saying it is done. Prefer edit over rewriting whole files.',
    )
  }

  out.push('', '## Workspace')
  if (c.sandboxKind && c.workspaceDir) {
    out.push(
      `Path: ${c.workspaceDir}`,
      `Runs in: ${SANDBOX_LABEL[c.sandboxKind]}.`,
      'File tools accept paths relative to the workspace and refuse paths outside it.',
    )
  } else {
    out.push(
      'No sandbox is available for this session, so bash and the file tools will fail.',
      ...(c.sandboxProblem ? [`Reason: ${c.sandboxProblem}`] : []),
      'If the user asks for work that needs them, explain what the server operator has to configure.',
    )
  }

  if (c.skills.length > 0) {
    out.push('', '## Skills', 'Load a skill with the skill tool when the task matches its description:')
    for (const s of c.skills) out.push(`- ${s.name}: ${s.description || '(no description)'}`)
  }

  if (c.runInstructions?.trim()) out.push('', '## Instructions for this run', c.runInstructions.trim())
  return out.join('\n')
}
