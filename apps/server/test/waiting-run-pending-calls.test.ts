// Found in review: a run admitted to wait behind the chat's active run (ifBusy: 'enqueue') closed
// the chat's pending client tool calls as "no output provided", computed from the transcript at its
// admission — while the active run, still queued, had been admitted with the client's real outputs
// for those calls. Each run's claim saves its input messages in place (same id), so when the
// waiting run started it overwrote the outputs the active run had saved: the transcript lost the
// client's results, and later turns told the model that call had none. A run that waits behind an
// active run now leaves pending calls to it.
import { createEngine, saveChatMessages, type Engine } from '@runyard/engine'
import { RunService, type SessionService } from '@runyard/services'
import { createTestDb, seedChat, type TestDb } from '@runyard/testkit'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { testRuntime } from './support/server.ts'

let testDb: TestDb
let engine: Engine
beforeEach(async () => {
  testDb = await createTestDb()
  engine = createEngine({ db: testDb }) // no executor: runs stay queued until the test applies their claims
  await engine.start()
})
afterEach(async () => {
  await engine.stop()
  await testDb.drop()
})

/** The run service with a session service that only names sessions (all these runs need of it). */
const runService = () =>
  new RunService(
    testDb.prisma,
    engine,
    { titleFromFirstMessage: async () => {} } as unknown as SessionService,
    testRuntime,
  )

/**
 * What the runs' claims do to the transcript, in this order: each saves its run's input messages in
 * place (claims.ts). Then the pending call's message, msg_a1.
 */
async function claimInOrder(chatId: string, runIds: string[]) {
  for (const id of runIds) {
    const run = await testDb.prisma.run.findUniqueOrThrow({ where: { id } })
    await saveChatMessages(testDb.prisma, chatId, (run.input as { messages: never[] }).messages)
  }
  return testDb.prisma.message.findUniqueOrThrow({ where: { chatId_id: { chatId, id: 'msg_a1' } } })
}

it('a run waiting behind the run that answers the pending calls leaves the answers to it', async () => {
  const { accountId, sessionId, chatId } = await seedChat(testDb.prisma)
  await testDb.prisma.session.update({ where: { id: sessionId }, data: { providerId: 'test' } })
  await saveChatMessages(testDb.prisma, chatId, [
    { id: 'msg_u1', role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
    {
      id: 'msg_a1',
      role: 'assistant',
      parts: [{ type: 'tool-get_weather', toolCallId: 'call_1', state: 'input-available', input: { city: 'Paris' } }],
    },
  ] as never)
  const runs = runService()
  const caller = { accountId, sessionId: null }
  // The client's output for the pending call (Responses function_call_output): the chat's active run.
  const answering = await runs.startOnChat(caller, {
    kind: 'response',
    chatId,
    toolOutputs: [{ callId: 'call_1', output: '{"sky":"sunny"}' }],
  })
  // Another turn, queued behind it while it is still queued.
  const waiting = await runs.startChatRun(caller, { chatId, prompt: 'And tomorrow?', ifBusy: 'enqueue' })
  expect((await engine.getRun(accountId, waiting.run.id)).status).toBe('queued')

  // Their claims, in the order they run, save each run's input messages (claims.ts).
  const call = await claimInOrder(chatId, [answering.id, waiting.run.id])
  expect(call.parts).toEqual([
    {
      type: 'tool-get_weather',
      toolCallId: 'call_1',
      state: 'output-available',
      input: { city: 'Paris' },
      output: '{"sky":"sunny"}',
    },
  ])
})

it('a run waiting behind a run that does not answer the pending calls still closes them', async () => {
  const { accountId, sessionId, chatId } = await seedChat(testDb.prisma)
  await testDb.prisma.session.update({ where: { id: sessionId }, data: { providerId: 'test' } })
  const runs = runService()
  const caller = { accountId, sessionId: null }
  // The active run was admitted before the pending call was in the transcript.
  const active = await runs.startChatRun(caller, { chatId, prompt: 'Hello' })
  await saveChatMessages(testDb.prisma, chatId, [
    {
      id: 'msg_a1',
      role: 'assistant',
      parts: [{ type: 'tool-get_weather', toolCallId: 'call_1', state: 'input-available', input: { city: 'Paris' } }],
    },
  ] as never)
  const waiting = await runs.startChatRun(caller, { chatId, prompt: 'And tomorrow?', ifBusy: 'enqueue' })
  const call = await claimInOrder(chatId, [active.run.id, waiting.run.id])
  expect(call.parts).toEqual([expect.objectContaining({ toolCallId: 'call_1', state: 'output-error' })])
})
