// The file tools and fetch through real runs (engine + local bubblewrap sandbox): escape
// attempts are refused as tool errors the model sees, edit's match rules, grep and glob.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fakeTurn, type FakeToolCall } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toolResults, useAgentEnv, type AgentEnv } from './support/agent-env.ts'

const env = useAgentEnv()
let outside: string
let server: http.Server
let serverHits = 0
let port = 0
beforeAll(async () => {
  outside = fs.mkdtempSync(path.join(env.tmp, 'outside-'))
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'TOP-SECRET-CONTENT')
  server = http.createServer((_req, res) => {
    serverHits++
    res.end('TOP-SECRET-CONTENT from a private server')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise((r) => server?.close(r))
})

/** Runs one step with these tool calls (ids = call_<i>), then a closing text step. */
async function runCalls(chat: Awaited<ReturnType<AgentEnv['chat']>>, calls: Omit<FakeToolCall, 'id'>[]) {
  env.fake.enqueue(fakeTurn.tools(calls.map((c, i) => ({ ...c, id: `call_${i}` }))), fakeTurn.text('done'))
  const { events } = await env.run(chat, 'try these tools')
  expect(events.at(-2)?.event).toEqual({ type: 'run_status', status: 'completed' })
  const results = toolResults(events)
  return calls.map((_, i) => results.find((r) => r.id === `call_${i}`)!)
}

describe('path confinement through the tools', () => {
  it('refuses ../, absolute and symlink escapes in read, write, edit, glob and grep', async () => {
    const chat = await env.chat('local')
    fs.symlinkSync(outside, path.join(chat.workspace, 'link'))
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(chat.workspace, 'leak.txt'))
    const rel = path.relative(chat.workspace, path.join(outside, 'secret.txt'))
    const calls: [Omit<FakeToolCall, 'id'>, RegExp][] = [
      [{ name: 'read', arguments: { path: rel } }, /outside the workspace/],
      [{ name: 'read', arguments: { path: path.join(outside, 'secret.txt') } }, /outside the workspace/],
      [{ name: 'read', arguments: { path: 'leak.txt' } }, /symlink/],
      [{ name: 'read', arguments: { path: 'link/secret.txt' } }, /symlink/],
      [{ name: 'write', arguments: { path: '../evil.txt', content: 'x' } }, /outside the workspace/],
      [{ name: 'write', arguments: { path: 'link/evil.txt', content: 'x' } }, /symlink/],
      [{ name: 'write', arguments: { path: path.join(outside, 'evil2.txt'), content: 'x' } }, /outside the workspace/],
      [{ name: 'edit', arguments: { path: rel, old_string: 'TOP', new_string: 'x' } }, /outside the workspace/],
      [
        { name: 'edit', arguments: { path: path.join(outside, 'secret.txt'), old_string: 'TOP', new_string: 'x' } },
        /outside the workspace/,
      ],
      [{ name: 'edit', arguments: { path: 'leak.txt', old_string: 'TOP', new_string: 'x' } }, /symlink/],
      [{ name: 'glob', arguments: { pattern: '*', path: '..' } }, /outside the workspace/],
      [{ name: 'glob', arguments: { pattern: '*', path: 'link' } }, /symlink/],
      [{ name: 'glob', arguments: { pattern: '../*' } }, /stay inside/],
      [{ name: 'glob', arguments: { pattern: '*', path: '/etc' } }, /outside the workspace/],
      [{ name: 'grep', arguments: { pattern: 'SECRET', path: '..' } }, /outside the workspace/],
      [{ name: 'grep', arguments: { pattern: 'SECRET', path: 'link' } }, /symlink/],
    ]
    const results = await runCalls(
      chat,
      calls.map(([c]) => c),
    )
    results.forEach((r, i) => {
      expect(r, `call ${i} (${calls[i]![0].name})`).toMatchObject({
        isError: true,
        output: expect.stringMatching(calls[i]![1]),
      })
      expect(r.output).not.toContain('TOP-SECRET-CONTENT')
    })
    expect(fs.readdirSync(outside)).toEqual(['secret.txt'])
    expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('TOP-SECRET-CONTENT')
    expect(fs.existsSync(path.join(env.tmp, 'evil.txt'))).toBe(false)
  })

  it('a recursive grep or glob of the workspace does not follow a symlink out of it', async () => {
    const chat = await env.chat('local')
    fs.symlinkSync(outside, path.join(chat.workspace, 'link'))
    fs.writeFileSync(path.join(chat.workspace, 'own.txt'), 'SECRET-free line\n')
    const [grep, glob] = await runCalls(chat, [
      { name: 'grep', arguments: { pattern: 'SECRET' } },
      { name: 'glob', arguments: { pattern: '**/*.txt' } },
    ])
    expect(grep).toMatchObject({ isError: false, output: 'own.txt:1:SECRET-free line' })
    expect(glob).toMatchObject({ isError: false, output: 'own.txt' })
  })
})

describe('fetch', () => {
  it('refuses loopback, private and metadata addresses, also by name and as IPv4-mapped IPv6', async () => {
    const chat = await env.chat('local')
    const urls = [
      `http://127.0.0.1:${port}/`,
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      `http://localhost:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::1]:${port}/`,
      'http://0.0.0.0/',
      'file:///etc/passwd',
    ]
    const results = await runCalls(
      chat,
      urls.map((url) => ({ name: 'fetch', arguments: { url } })),
    )
    results.forEach((r, i) =>
      expect(r, urls[i]).toMatchObject({ isError: true, output: expect.stringMatching(/^Refused/) }),
    )
    expect(results[2]!.output).toContain('link-local')
    expect(serverHits).toBe(0)
  })

  it('reaches an allowed host, with GET and POST', async () => {
    env.useExecutor({ fetch: { allowHosts: [`127.0.0.1:${port}`] } })
    const chat = await env.chat('local')
    const [get, post] = await runCalls(chat, [
      { name: 'fetch', arguments: { url: `http://127.0.0.1:${port}/x` } },
      { name: 'fetch', arguments: { url: `http://127.0.0.1:${port}/y`, method: 'POST', body: '{"a":1}' } },
    ])
    expect(get).toMatchObject({ isError: false, output: expect.stringContaining('HTTP 200') })
    expect(get!.output).toContain('from a private server')
    expect(post).toMatchObject({ isError: false })
    expect(serverHits).toBe(2)
  })
})

describe('edit, grep and glob', () => {
  it('edits exact matches and explains zero or ambiguous matches', async () => {
    const chat = await env.chat('local')
    const file = path.join(chat.workspace, 'src', 'a.ts')
    fs.mkdirSync(path.dirname(file))
    fs.writeFileSync(file, 'const a = 1\nconst b = 1\n// a = 1\n')
    fs.writeFileSync(path.join(chat.workspace, 'README.md'), 'readme a = 1\n')
    const [missing, ambiguous, unique] = await runCalls(chat, [
      { name: 'edit', arguments: { path: 'src/a.ts', old_string: 'const c = 1', new_string: 'x' } },
      { name: 'edit', arguments: { path: 'src/a.ts', old_string: ' = 1', new_string: ' = 2' } },
      { name: 'edit', arguments: { path: 'src/a.ts', old_string: 'const b = 1', new_string: 'const b = $&2' } },
    ])
    expect(missing).toMatchObject({ isError: true, output: expect.stringContaining('was not found in src/a.ts') })
    expect(ambiguous).toMatchObject({ isError: true, output: expect.stringContaining('occurs 3 times') })
    expect(unique).toMatchObject({ isError: false, output: 'Replaced 1 occurrence in src/a.ts' })
    expect(fs.readFileSync(file, 'utf8')).toBe('const a = 1\nconst b = $&2\n// a = 1\n')

    env.fake.enqueue(
      fakeTurn.tools([
        {
          id: 'all',
          name: 'edit',
          arguments: { path: 'src/a.ts', old_string: 'a = 1', new_string: 'a = 9', replace_all: true },
        },
        { id: 'grep', name: 'grep', arguments: { pattern: 'a = [0-9]', include: '*.md' } },
        { id: 'glob', name: 'glob', arguments: { pattern: '**/*.ts' } },
        {
          id: 'todo',
          name: 'todo',
          arguments: {
            todos: [
              { content: 'edit a.ts', status: 'completed' },
              { content: 'ship', status: 'pending' },
            ],
          },
        },
      ]),
      fakeTurn.tool('todo', {}, { id: 'todo_read' }),
      fakeTurn.text('ok'),
    )
    const { events } = await env.run(chat, 'more')
    const byId = Object.fromEntries(toolResults(events).map((r) => [r.id, r]))
    expect(byId.all).toMatchObject({ isError: false, output: 'Replaced 2 occurrences in src/a.ts' })
    expect(fs.readFileSync(file, 'utf8')).toBe('const a = 9\nconst b = $&2\n// a = 9\n')
    expect(byId.grep).toMatchObject({ isError: false, output: 'README.md:1:readme a = 1' })
    expect(byId.glob).toMatchObject({ isError: false, output: 'src/a.ts' })
    expect(byId.todo_read).toMatchObject({
      isError: false,
      output: 'Todo list (1/2 done):\n1. [x] edit a.ts\n2. [ ] ship',
    })
    const stored = await env.db.prisma.chat.findUniqueOrThrow({ where: { id: chat.chatId } })
    expect(stored.todos).toEqual([
      { content: 'edit a.ts', status: 'completed' },
      { content: 'ship', status: 'pending' },
    ])
  })

  it('reports bash exit codes and timeouts as results, not errors', async () => {
    const chat = await env.chat('local')
    const [fail, slow] = await runCalls(chat, [
      { name: 'bash', arguments: { command: 'echo out; echo err >&2; exit 3' } },
      { name: 'bash', arguments: { command: 'sleep 20', timeout_ms: 300 } },
    ])
    expect(fail).toMatchObject({ isError: false, output: 'Exit code: 3\n--- stdout ---\nout\n--- stderr ---\nerr' })
    expect(slow).toMatchObject({ isError: false, output: expect.stringContaining('Exit code: 124 (timed out') })
  })
})
