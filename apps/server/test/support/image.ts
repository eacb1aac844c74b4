// The container image as the repository's Dockerfile defines it, read with a real Dockerfile
// parser, so that the tests run and check what the image would run (its ENTRYPOINT, CMD, ENV
// and HEALTHCHECK) rather than a copy that could drift from it.
import fs from 'node:fs'
import path from 'node:path'
import { DockerfileParser, type Instruction, type Property } from 'dockerfile-ast'
import { repoRoot } from '../../../../packages/testkit/src/runyard-process.ts'

export const DOCKERFILE = path.join(repoRoot, 'Dockerfile')

export interface Stage {
  /** `FROM <image> [AS <name>]`. */
  from: string
  name: string | undefined
  instructions: Instruction[]
}

export interface Image {
  stages: Stage[]
  /** The last stage: the image itself. */
  final: Stage
  entrypoint: string[]
  cmd: string[]
  /** The final stage's ENV, in order. */
  env: Record<string, string>
  /** The HEALTHCHECK's command (exec form). */
  healthcheck: string[]
  /** The final stage's last USER. */
  user: string | undefined
}

export function readImage(file = DOCKERFILE): Image {
  const dockerfile = DockerfileParser.parse(fs.readFileSync(file, 'utf8'))
  const stages: Stage[] = []
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const args = instruction.getArguments().map((a) => a.getValue())
      stages.push({
        from: args[0] ?? '',
        name: args[1]?.toUpperCase() === 'AS' ? args[2] : undefined,
        instructions: [],
      })
    } else {
      const stage = stages.at(-1)
      if (!stage) throw new Error(`${file}: ${instruction.getKeyword()} before the first FROM`)
      stage.instructions.push(instruction)
    }
  }
  const final = stages.at(-1)
  if (!final) throw new Error(`${file} has no FROM`)
  const last = (keyword: string) => final.instructions.filter((i) => i.getKeyword() === keyword).at(-1)
  const env: Record<string, string> = {}
  for (const i of final.instructions.filter((i) => i.getKeyword() === 'ENV'))
    for (const p of (i as Instruction & { getProperties(): Property[] }).getProperties())
      env[p.getName()] = p.getUnescapedValue() ?? ''
  return {
    stages,
    final,
    entrypoint: execForm(last('ENTRYPOINT'), 'ENTRYPOINT'),
    cmd: execForm(last('CMD'), 'CMD'),
    env,
    healthcheck: healthcheckCommand(last('HEALTHCHECK')),
    user: last('USER')?.getArgumentsContent() ?? undefined,
  }
}

/** An instruction's JSON (exec) form; the shell form is refused, as signals would go to a shell. */
function execForm(instruction: Instruction | undefined, keyword: string): string[] {
  const content = instruction?.getArgumentsContent()
  if (!content) throw new Error(`the final stage has no ${keyword}`)
  return parseJsonArray(content, keyword)
}

function healthcheckCommand(instruction: Instruction | undefined): string[] {
  const content = instruction?.getArgumentsContent()
  const command = content && /(?:^|\s)CMD\s+(\[.*\])\s*$/s.exec(content)?.[1]
  if (!command) throw new Error(`the final stage has no HEALTHCHECK … CMD [exec form] (got ${content ?? 'none'})`)
  return parseJsonArray(command, 'HEALTHCHECK')
}

function parseJsonArray(text: string, what: string): string[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new Error(`${what} is not in exec form (a JSON array): ${text}`)
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new Error(`${what} is not a JSON array of strings: ${text}`)
  return value
}

/**
 * The image's paths mapped onto this machine: /app is the checkout, /data a scratch folder. Every
 * string that names a path under one of them (a command's arguments, an ENV value) is rewritten.
 */
export function mapPaths(value: string, dataDir: string): string {
  return value.replace(/(^|[=\s:])\/app(?=\/|$)/g, `$1${repoRoot}`).replace(/(^|[=\s:])\/data(?=\/|$)/g, `$1${dataDir}`)
}
