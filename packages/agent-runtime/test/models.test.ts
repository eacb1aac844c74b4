// The model registry: configuration, id resolution, typed errors, the demo model.
import { AppError } from '@runyard/contract'
import { startFakeOpenAI, fakeTurn } from '@runyard/testkit'
import { streamText } from 'ai'
import { describe, expect, it } from 'vitest'
import { createModelRegistry, DEMO_MESSAGE, DEMO_MODEL_ID, ModelConfigError, UnknownModelError } from '../src/index.ts'
import { createAllowedModels } from '../src/light.ts'

describe('createModelRegistry', () => {
  it('defaults to the labelled demo model when nothing is configured', () => {
    const r = createModelRegistry({})
    expect(r.isDemo).toBe(true)
    expect(r.default).toMatchObject({ id: DEMO_MODEL_ID, providerId: 'demo', isDemo: true, isDefault: true })
    expect(r.list().map((m) => m.id)).toEqual([DEMO_MODEL_ID])
    expect(r.resolve().id).toBe(DEMO_MODEL_ID)
    expect(r.resolve('default').id).toBe(DEMO_MODEL_ID)
    expect(r.resolve('demo').id).toBe(DEMO_MODEL_ID)
  })

  it('defaults to openai/gpt-4.1-mini with OPENAI_API_KEY and accepts the RUNYARD_MODELS list', () => {
    const r = createModelRegistry({
      openai: { apiKey: 'sk' },
      openaiCompatible: { baseURL: 'http://vllm:8000/v1' },
      extraModels: ['openai/gpt-4.1', ' openai-compatible/Qwen/Qwen2.5-Coder-7B-Instruct', 'openai/gpt-4.1'],
    })
    expect(r.isDemo).toBe(false)
    expect(r.list().map((m) => [m.id, m.providerId, m.modelName, m.isDefault])).toEqual([
      ['openai/gpt-4.1-mini', 'openai', 'gpt-4.1-mini', true],
      ['openai/gpt-4.1', 'openai', 'gpt-4.1', false],
      [
        'openai-compatible/Qwen/Qwen2.5-Coder-7B-Instruct',
        'openai-compatible',
        'Qwen/Qwen2.5-Coder-7B-Instruct',
        false,
      ],
    ])
    // provider/model, bare name + providerId, unique bare name
    expect(r.resolve('openai/gpt-4.1').modelName).toBe('gpt-4.1')
    expect(r.resolve('gpt-4.1', 'openai').id).toBe('openai/gpt-4.1')
    expect(r.resolve('Qwen/Qwen2.5-Coder-7B-Instruct').id).toBe('openai-compatible/Qwen/Qwen2.5-Coder-7B-Instruct')
    const m = r.resolve('openai-compatible/Qwen/Qwen2.5-Coder-7B-Instruct').model
    expect(typeof m === 'object' && m.provider).toBe('openai-compatible.chat')
    expect(r.resolve('openai/gpt-4.1').model).toBe(r.resolve('openai/gpt-4.1').model)
  })

  it('throws a typed 400 model_not_found error for anything else', () => {
    const r = createModelRegistry({ openai: { apiKey: 'sk' }, defaultModel: 'openai/gpt-4.1' })
    for (const bad of ['openai/gpt-5', 'gpt-5', 'anthropic/claude', 'demo']) {
      const err = (() => {
        try {
          r.resolve(bad)
        } catch (e) {
          return e
        }
      })()
      expect(err, bad).toBeInstanceOf(UnknownModelError)
      expect(err).toBeInstanceOf(AppError)
      expect(err).toMatchObject({
        kind: 'bad_request',
        code: 'model_not_found',
        status: 400,
        details: { param: 'model', available: ['openai/gpt-4.1'] },
      })
    }
  })

  it('reports configuration mistakes at startup', () => {
    expect(() => createModelRegistry({ defaultModel: 'openai/gpt-4.1' })).toThrow(/needs OPENAI_API_KEY/)
    expect(() => createModelRegistry({ openai: { apiKey: 'sk' }, defaultModel: 'gpt-4.1' })).toThrow(ModelConfigError)
    expect(() => createModelRegistry({ openai: { apiKey: 'sk' }, extraModels: ['mistral/large'] })).toThrow(
      /provider one of openai, openai-compatible, demo/,
    )
    expect(() => createModelRegistry({ openaiCompatible: { baseURL: 'http://x/v1' } })).toThrow(
      /RUNYARD_MODEL=openai-compatible\/<model name>/,
    )
    // RUNYARD_OPENAI_API=assistants is refused by the server's configuration schema (apps/server/test/config.test.ts).
  })

  it.each([
    ['openai (Responses API)', { defaultModel: 'openai/m1' }, '/v1/responses', 'Bearer sk-a'],
    [
      'openai with RUNYARD_OPENAI_API=chat',
      { defaultModel: 'openai/m1', api: 'chat' as const },
      '/v1/chat/completions',
      'Bearer sk-a',
    ],
    [
      'openai-compatible',
      { defaultModel: 'openai-compatible/m1', compatibleKey: 'sk-c' },
      '/v1/chat/completions',
      'Bearer sk-c',
    ],
  ])(
    'builds %s against the configured base URL and key',
    async (_n, extra: { defaultModel: string; api?: 'chat'; compatibleKey?: string }, pathName, auth) => {
      const fake = await startFakeOpenAI({ script: [fakeTurn.text('hello', { usage: { input: 3, output: 1 } })] })
      try {
        const r = createModelRegistry({
          defaultModel: extra.defaultModel,
          openai: { apiKey: 'sk-a', baseURL: fake.url, ...(extra.api ? { api: extra.api } : {}) },
          openaiCompatible: { baseURL: fake.url, ...(extra.compatibleKey ? { apiKey: extra.compatibleKey } : {}) },
        })
        const result = streamText({ model: r.resolve().model, prompt: 'hi' })
        expect(await result.text).toBe('hello')
        expect((await result.totalUsage).inputTokens).toBe(3)
        expect(fake.requests[0]).toMatchObject({ path: pathName, model: 'm1', headers: { authorization: auth } })
      } finally {
        await fake.close()
      }
    },
  )
})

describe('demo model', () => {
  it('streams the fixed labelled message in several deltas and can be aborted', async () => {
    const model = createModelRegistry({}).resolve().model
    const result = streamText({ model, prompt: 'hi' })
    const deltas: string[] = []
    for await (const p of result.fullStream) if (p.type === 'text-delta') deltas.push(p.text)
    expect(deltas.length).toBeGreaterThan(10)
    expect(deltas.join('')).toBe(DEMO_MESSAGE)

    const ac = new AbortController()
    const types: string[] = []
    for await (const p of streamText({ model, prompt: 'hi', abortSignal: ac.signal }).fullStream) {
      types.push(p.type)
      if (p.type === 'text-delta') ac.abort()
    }
    expect(types.at(-1)).toBe('abort')
  })
})

describe('createAllowedModels (@runyard/agent-runtime/light: the ids, without the provider SDKs)', () => {
  it('lists and resolves as the registry does, with no model built', () => {
    const opts = { openai: { apiKey: 'sk' }, extraModels: ['openai/gpt-4.1', 'demo'] }
    const allowed = createAllowedModels(opts)
    const registry = createModelRegistry(opts)
    expect(allowed.list()).toEqual(registry.list())
    expect(allowed.default).toEqual(registry.default)
    for (const [id, provider] of [[undefined], ['gpt-4.1', 'openai'], ['demo'], ['default']] as const) {
      const info = allowed.resolve(id, provider)
      expect(info).not.toHaveProperty('model')
      const { model, ...resolved } = registry.resolve(id, provider)
      expect(model).toBeDefined()
      expect(info).toEqual(resolved)
    }
    const unknown = (() => {
      try {
        allowed.resolve('openai/gpt-9')
      } catch (err) {
        return err
      }
    })()
    expect(unknown).toBeInstanceOf(UnknownModelError)
    expect(unknown).toMatchObject({
      code: 'model_not_found',
      available: ['openai/gpt-4.1-mini', 'openai/gpt-4.1', 'demo/runyard-demo'],
    })
  })
})
