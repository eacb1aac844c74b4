// Fake OpenAI-compatible server for tests: real wire protocol, scripted replies.
export { startFakeOpenAI } from './server.ts'
export { fakeTurn } from './turns.ts'
export type {
  FakeApi,
  FakeFinishReason,
  FakeHttpError,
  FakeOpenAI,
  FakeOpenAIOptions,
  FakeRequest,
  FakeResponder,
  FakeStreamError,
  FakeToolCall,
  FakeTurn,
  FakeUsage,
} from './types.ts'
