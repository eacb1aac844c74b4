// task sub-agents, ask_user_question, skills, the system prompt and a session without sandbox,
// through real runs.
import fs from 'node:fs'
import path from 'node:path'
import { fakeTurn } from '@runyard/testkit'
import { describe, expect, it } from 'vitest'
import { useAgentEnv, labels, textOf, toolResults } from './support/agent-env.ts'

const env = useAgentEnv()

function instructionsOf(body: unknown): string {
  const input = (body as { input?: { role?: string; content?: unknown }[] }).input ?? []
  return input
    .filter((i) => i.role === 'system' || i.role === 'developer')
    .map((i) => String(i.content))
    .join('\n')
}

describe('task', () => {
  it("runs a sub-agent whose events nest under the task call and whose answer is the tool's result", async () => {
    const chat = await env.chat('local')
    fs.writeFileSync(path.join(chat.workspace, 'data.txt'), 'forty-two\n')
    env.fake.enqueue(
      fakeTurn.tool(
        'task',
        { description: 'inspect data', prompt: 'Read data.txt and report its content.' },
        { id: 'call_task', usage: { input: 10, output: 1 } },
      ),
      // the sub-agent's two steps
      fakeTurn.tool('read', { path: 'data.txt' }, { id: 'call_sub_read', usage: { input: 5, output: 1 } }),
      fakeTurn.text('data.txt says forty-two.', { usage: { input: 6, output: 2 } }),
      // the parent's final step
      fakeTurn.text('The sub-agent found forty-two.', { usage: { input: 20, output: 3 } }),
    )
    const { runId, events } = await env.run(chat, 'use a sub-agent')
    const nested = events.filter((e) => 'parentToolCallId' in e.event && e.event.parentToolCallId === 'call_task')
    expect(labels(nested)).toEqual(['call:read', 'result:read', 'step_finish', 'step_finish'])
    expect(textOf(events, 'call_task')).toBe('data.txt says forty-two.')
    expect(textOf(events)).toBe('The sub-agent found forty-two.')
    // nested events sit between the task call and its result
    const order = labels(events)
    expect(order).toEqual([
      'call:task',
      'call:read',
      'result:read',
      'step_finish',
      'step_finish',
      'result:task',
      'step_finish',
      'step_finish',
    ])
    const task = toolResults(events).find((r) => r.id === 'call_task')
    expect(task).toMatchObject({ isError: false, output: 'data.txt says forty-two.' })
    const sub = toolResults(events).find((r) => r.id === 'call_sub_read')
    expect(sub).toMatchObject({ parentToolCallId: 'call_task', output: '1\tforty-two' })

    // the sub-agent had its own prompt and no task / ask_user_question tools
    const subRequest = env.fake.requests[1]!
    expect(subRequest.toolNames).not.toContain('task')
    expect(subRequest.toolNames).not.toContain('ask_user_question')
    expect(subRequest.toolNames).toContain('read')
    expect(instructionsOf(subRequest.body)).toContain('sub-agent')
    expect(JSON.stringify(subRequest.body)).toContain('Read data.txt and report its content.')
    expect(JSON.stringify(subRequest.body)).not.toContain('use a sub-agent')
    // sub-agent usage counts toward the run
    expect((await env.engine.getRun(chat.accountId, runId)).usage).toMatchObject({ inputTokens: 41, outputTokens: 7 })
    // only the parent's steps are in the transcript
    const assistant = (await env.messages(chat))[1]!
    expect(assistant.parts.map((p) => p.type)).toEqual(['step-start', 'tool-task', 'step-start', 'text'])
  })

  it('turns a failing sub-agent model call into an error result of the task call', async () => {
    const chat = await env.chat('local')
    env.fake.enqueue(
      fakeTurn.tool('task', { description: 'x', prompt: 'y' }, { id: 'call_task' }),
      fakeTurn.error(400, 'sub-agent prompt rejected'),
      fakeTurn.text('The sub-agent failed.'),
    )
    const { events } = await env.run(chat, 'go')
    expect(toolResults(events).find((r) => r.id === 'call_task')).toMatchObject({
      isError: true,
      output: expect.stringContaining('sub-agent prompt rejected'),
    })
    expect(events.at(-2)?.event).toEqual({ type: 'run_status', status: 'completed' })
  })
})

describe('ask_user_question', () => {
  it('ends the turn with the question; the next message answers it and the chat goes on', async () => {
    const chat = await env.chat('local')
    env.fake.enqueue(
      fakeTurn.tool(
        'ask_user_question',
        { question: 'Which language?', options: ['Go', 'Rust'] },
        { id: 'call_ask', text: 'One question first.' },
      ),
      fakeTurn.text('never used'),
    )
    const first = await env.run(chat, 'write a hello world')
    expect(first.events.at(-2)?.event).toEqual({ type: 'run_status', status: 'completed' })
    expect(labels(first.events)).toEqual(['call:ask_user_question', 'result:ask_user_question', 'step_finish'])
    expect(env.fake.requests).toHaveLength(1)
    expect(env.fake.remainingTurns).toBe(1)
    const checkpoint = (await env.db.prisma.run.findUniqueOrThrow({ where: { id: first.runId } })).checkpoint
    expect(checkpoint).toMatchObject({ steps: 1, finished: true })

    const second = await env.run(chat, 'Rust')
    expect(textOf(second.events)).toBe('never used')
    const request = env.fake.requests[1]!
    expect(request.toolResults).toEqual([
      { callId: 'call_ask', output: expect.stringContaining('Question: Which language?') },
    ])
    const body = JSON.stringify(request.body)
    expect(body.indexOf('Which language?')).toBeGreaterThan(-1)
    expect(body.indexOf('Which language?')).toBeLessThan(body.indexOf('"text":"Rust"'))
  })
})

describe('skills and the system prompt', () => {
  it('lists workspace and global skills in the prompt and loads one with the skill tool', async () => {
    const globalDir = fs.mkdtempSync(path.join(env.tmp, 'global-skills-'))
    fs.mkdirSync(path.join(globalDir, 'deploy'))
    fs.writeFileSync(
      path.join(globalDir, 'deploy', 'SKILL.md'),
      '# Deploy\n\nShip the app to production with the deploy script.\n',
    )
    const chat = await env.chat('local', { globalSkillRefs: [globalDir] })
    const skillDir = path.join(chat.workspace, '.agents', 'skills', 'release-notes')
    fs.mkdirSync(skillDir, { recursive: true })
    fs.writeFileSync(
      path.join(skillDir, 'SKILL.md'),
      '---\nname: release-notes\ndescription: >\n  Write release notes\n  from the git log.\n---\n# Release notes\n\n1. Run `git log`.\n2. Group by type.\n',
    )
    env.fake.enqueue(fakeTurn.tool('skill', { name: 'release-notes' }, { id: 'call_skill' }), fakeTurn.text('Loaded.'))
    const { events } = await env.run(chat, 'write release notes', { instructions: 'Answer in French.' })

    const prompt = instructionsOf(env.fake.requests[0]!.body)
    expect(prompt).toContain('Runyard')
    expect(prompt).toContain(`Path: ${fs.realpathSync(chat.workspace)}`)
    expect(prompt).toContain('bubblewrap')
    expect(prompt).toContain('- release-notes: Write release notes from the git log.')
    expect(prompt).toContain('- deploy: Ship the app to production with the deploy script.')
    expect(prompt).toContain('Answer in French.')
    const result = toolResults(events).find((r) => r.id === 'call_skill')
    expect(result).toMatchObject({ isError: false })
    expect(result!.output).toContain('# Skill: release-notes')
    expect(result!.output).toContain('.agents/skills/release-notes')
    expect(result!.output).toContain('2. Group by type.')
  })

  it('without a sandbox the run still answers, and tools say what to configure', async () => {
    const chat = await env.chat('none')
    env.fake.enqueue(
      fakeTurn.tool('bash', { command: 'ls' }, { id: 'call_ls' }),
      fakeTurn.text('I cannot run commands here.'),
    )
    const { events } = await env.run(chat, 'list files')
    expect(events.at(-2)?.event).toEqual({ type: 'run_status', status: 'completed' })
    const result = toolResults(events)[0]!
    expect(result).toMatchObject({ isError: true, output: expect.stringContaining('bubblewrap') })
    expect(result.output).toContain('E2B_API_KEY')
    expect(instructionsOf(env.fake.requests[0]!.body)).toContain('No sandbox is available')
  })

  it('a sandbox type the server has no provider for is explained too', async () => {
    env.useExecutor({ sandboxes: { local: env.providers.local! } })
    const chat = await env.chat('e2b')
    env.fake.enqueue(fakeTurn.tool('read', { path: 'x' }, { id: 'call_read' }), fakeTurn.text('ok'))
    const { events } = await env.run(chat, 'read x')
    expect(toolResults(events)[0]).toMatchObject({
      isError: true,
      output: expect.stringContaining('"e2b" sandbox, which is not configured on this Runyard server'),
    })
  })

  it('injects the run key into the sandbox but never shows it to the model or the event log', async () => {
    const chat = await env.chat('local')
    env.fake.enqueue(
      fakeTurn.tools([
        {
          id: 'call_env',
          name: 'bash',
          arguments: { command: 'echo "len=${#RUNYARD_API_KEY} key=$RUNYARD_API_KEY url=${RUNYARD_API_URL:-unset}"' },
        },
        { id: 'call_file', name: 'bash', arguments: { command: 'echo "$RUNYARD_API_KEY" > key.txt' } },
      ]),
      fakeTurn.tool('read', { path: 'key.txt' }, { id: 'call_read' }),
      fakeTurn.text('ok'),
    )
    const { events } = await env.run(chat, 'show env')
    const byId = Object.fromEntries(toolResults(events).map((r) => [r.id, r.output]))
    expect(byId.call_env).toMatch(/len=(\d{2,}) key=\[REDACTED\] url=unset/)
    expect(byId.call_read).toBe('1\t[REDACTED]')
    // the key really was in the sandbox (the file has it) but no event or request carries it
    const key = fs.readFileSync(path.join(chat.workspace, 'key.txt'), 'utf8').trim()
    expect(key.length).toBeGreaterThanOrEqual(16)
    expect(JSON.stringify(events)).not.toContain(key)
    expect(JSON.stringify(env.fake.requests.map((r) => r.body))).not.toContain(key)
    expect(JSON.stringify(await env.messages(chat))).not.toContain(key)
  })

  it('runs parallel edits of one file one after the other', async () => {
    const chat = await env.chat('local')
    fs.writeFileSync(path.join(chat.workspace, 'f.txt'), 'a\nb\nc\n')
    env.fake.enqueue(
      fakeTurn.tools(
        ['a', 'b', 'c'].map((x) => ({
          id: `call_${x}`,
          name: 'edit',
          arguments: { path: 'f.txt', old_string: `${x}\n`, new_string: `${x}${x}\n` },
        })),
      ),
      fakeTurn.text('ok'),
    )
    const { events } = await env.run(chat, 'edit')
    expect(toolResults(events).every((r) => !r.isError)).toBe(true)
    expect(fs.readFileSync(path.join(chat.workspace, 'f.txt'), 'utf8')).toBe('aa\nbb\ncc\n')
  })
})
