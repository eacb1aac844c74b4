// Units around the transcript: the message builder's parts round-trip through the contract
// schema and convertToModelMessages; SKILL.md headers are parsed with fallbacks.
import { UIMessage } from '@runyard/contract'
import { convertToModelMessages, type UIMessage as AiUIMessage } from 'ai'
import { describe, expect, it } from 'vitest'
import { MessageBuilder } from '../src/agent/message-builder.ts'
import { parseSkillHeader } from '../src/skills/frontmatter.ts'

describe('MessageBuilder', () => {
  it('builds parts that pass the contract schema and convert back into model messages', async () => {
    const b = new MessageBuilder('msg_x')
    b.startStep()
    b.startText('reasoning', 'r1')
    b.appendText('reasoning', 'r1', 'think')
    b.endText('reasoning', 'r1')
    b.startText('text', 't1')
    b.appendText('text', 't1', 'Let me look.')
    b.endText('text', 't1')
    b.toolCall('c1', 'bash', { command: 'ls' })
    b.toolCall('c2', 'read', { path: 'x' })
    b.toolResult('c1', 'Exit code: 0')
    b.toolError('c2', 'File not found: x')
    b.startStep()
    b.startText('text', 't1')
    b.appendText('text', 't1', 'Done')
    b.toolCall('c3', 'bash', { command: 'sleep 9' })
    b.finalize('stopped')

    const msg = b.message()
    expect(UIMessage.parse(msg)).toEqual(msg)
    expect(b.lastStepText()).toBe('Done')
    expect(msg.parts.slice(-2)).toEqual([
      { type: 'text', text: 'Done', state: 'done' },
      {
        type: 'tool-bash',
        toolCallId: 'c3',
        state: 'output-error',
        input: { command: 'sleep 9' },
        errorText: 'stopped',
      },
    ])
    const model = await convertToModelMessages([
      { id: 'u', role: 'user', parts: [{ type: 'text', text: 'hi' }] },
      msg,
    ] as unknown as AiUIMessage[])
    expect(model.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool'])
    expect(model[2]).toEqual({
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'c1', toolName: 'bash', output: { type: 'text', value: 'Exit code: 0' } },
        {
          type: 'tool-result',
          toolCallId: 'c2',
          toolName: 'read',
          output: { type: 'error-text', value: 'File not found: x' },
        },
      ],
    })
  })

  it('continues from saved parts (resume) and snapshots are not mutated later', () => {
    const b = new MessageBuilder('msg_y', [
      { type: 'step-start' },
      { type: 'tool-bash', toolCallId: 'c1', state: 'input-available', input: {} },
    ])
    const snapshot = b.message()
    b.toolResult('c1', 'ok')
    expect(snapshot.parts[1]).toMatchObject({ state: 'input-available' })
    expect(b.message().parts[1]).toMatchObject({ state: 'output-available', output: 'ok' })
    expect(b.partCount).toBe(2)
  })
})

describe('parseSkillHeader', () => {
  it('reads name and (folded) description from YAML frontmatter', async () => {
    expect(
      await parseSkillHeader('---\nname: pdf\ndescription: >\n  Fill PDF\n  forms.\n---\n# PDF\n', 'folder'),
    ).toEqual({ name: 'pdf', description: 'Fill PDF forms.' })
  })

  it('falls back to the folder name and the first paragraph', async () => {
    expect(await parseSkillHeader('# Title\n\nFirst paragraph\nspans lines.\n\nSecond.', 'my-skill')).toEqual({
      name: 'my-skill',
      description: 'First paragraph spans lines.',
    })
    expect(await parseSkillHeader('---\nname: [broken\n---\nBody text.', 'x')).toEqual({
      name: 'x',
      description: 'Body text.',
    })
    expect(await parseSkillHeader('---\ndescription: only this\n---\n', 'y')).toEqual({
      name: 'y',
      description: 'only this',
    })
  })
})
