// One Runyard for the whole suite, running the real agent runtime against the fake OpenAI server
// (so the model's behaviour is scripted per case, and what the model was sent can be inspected),
// reached over HTTP with an API key, as any Open Responses client would.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createApiKey } from '@runyard/services'
import { createTestDb, startFakeOpenAI, type FakeOpenAI, type FakeRequest, type FakeTurn } from '@runyard/testkit'
import { realAgent } from '../support/real-agent.ts'
import { startTestServer, type TestServer } from '../support/server.ts'
import { formatSchemaProblems, schemaProblems } from './spec.ts'
import { postResponse, postStreamingResponse, type JsonReply, type StreamReply } from './wire.ts'

/** The model id every case asks for (the fake OpenAI model the real agent is configured with). */
export const MODEL = 'openai/gpt-test'

export interface Harness {
  server: TestServer
  fake: FakeOpenAI
  /**
   * Scripts the model for the current case: each model request takes the next turn. Requests
   * beyond the script get an HTTP 500 from the fake ("no scripted turn left"), so a server that
   * calls the model more often than the case expects fails visibly. Replaces any turns a
   * previous case left unused.
   */
  script(...turns: FakeTurn[]): void
  /** Model requests made since the current case began (see `beginCase`). */
  modelRequests(): FakeRequest[]
  beginCase(): void
  /** `POST /v1/responses` (the body must be a valid CreateResponseBody: a malformed case request is a test bug). */
  create(body: Record<string, unknown>): Promise<JsonReply>
  stream(body: Record<string, unknown>): Promise<StreamReply>
  /** Same, without checking the request against the spec (error cases send invalid requests on purpose). */
  createUnchecked(body: unknown): Promise<JsonReply>
  close(): Promise<void>
}

function assertValidRequest(body: unknown): void {
  const problems = formatSchemaProblems('request', schemaProblems('CreateResponseBody', body))
  if (problems.length)
    throw new Error(
      `test bug: the case's request is not a valid Open Responses CreateResponseBody:\n${problems.join('\n')}`,
    )
}

export async function startHarness(): Promise<Harness> {
  const queue: FakeTurn[] = []
  const fake = await startFakeOpenAI({ respond: () => queue.shift() })
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'open-responses-'))
  const { executor, runtime } = realAgent(fake.url, path.join(tmp, 'workspaces'))
  const testDb = await createTestDb()
  await testDb.prisma.account.create({ data: { id: 'acct_conformance', name: 'conformance' } })
  const apiKey = (
    await createApiKey(testDb.prisma, { accountId: 'acct_conformance', name: 'open-responses', kind: 'personal' })
  ).secret
  const server = await startTestServer({ executor, runtime, testDb })
  const endpoint = { baseUrl: `${server.url}/v1`, apiKey }
  let caseStart = 0
  return {
    server,
    fake,
    script(...turns) {
      queue.splice(0, queue.length, ...turns)
    },
    modelRequests: () => fake.requests.slice(caseStart),
    beginCase() {
      queue.length = 0
      caseStart = fake.requests.length
    },
    create(body) {
      assertValidRequest(body)
      return postResponse(endpoint, body)
    },
    stream(body) {
      assertValidRequest({ ...body, stream: true })
      return postStreamingResponse(endpoint, body)
    },
    createUnchecked: (body) => postResponse(endpoint, body),
    async close() {
      await server.stop()
      await testDb.drop()
      await fake.close()
      fs.rmSync(tmp, { recursive: true, force: true })
    },
  }
}
