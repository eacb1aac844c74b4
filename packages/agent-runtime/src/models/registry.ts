// The model registry: which models this server may use, and how to build them.
//
// Model ids are `provider/model` (the model part may itself contain `/`, e.g.
// `openai-compatible/Qwen/Qwen2.5-Coder-7B-Instruct`). Configuration (environment variables):
//
//   RUNYARD_MODEL               default model, e.g. `openai/gpt-4.1-mini`. Default: `openai/gpt-4.1-mini`
//                               when OPENAI_API_KEY is set, else the demo model (`demo/runyard-demo`).
//   RUNYARD_MODELS              extra allowed models, comma-separated `provider/model`.
//   OPENAI_API_KEY              enables provider `openai` (@ai-sdk/openai).
//   OPENAI_BASE_URL             optional base URL for `openai` (default https://api.openai.com/v1).
//   RUNYARD_OPENAI_API          `responses` (default, OpenAI's Responses API) or `chat` (Chat Completions),
//                               for OpenAI-style servers behind OPENAI_BASE_URL that lack /responses.
//   OPENAI_COMPATIBLE_BASE_URL  enables provider `openai-compatible` (@ai-sdk/openai-compatible, Chat
//                               Completions with usage) for vLLM, Ollama, llama.cpp, LM Studio…
//   OPENAI_COMPATIBLE_API_KEY   optional key for that server.
//
// Names follow the AI SDK's own conventions (@ai-sdk/openai reads OPENAI_API_KEY/OPENAI_BASE_URL);
// the `provider/model` id form is the one the AI Gateway uses. Configuration mistakes throw a
// ModelConfigError at startup rather than failing every run later.
import { createOpenAI } from '@ai-sdk/openai'
import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { AppError } from '@runyard/contract'
import type { LanguageModel } from 'ai'
import { DEMO_MODEL_NAME, DEMO_PROVIDER_ID, DemoLanguageModel } from './demo-model.ts'

export const PROVIDER_IDS = ['openai', 'openai-compatible', 'demo'] as const
export type ProviderId = (typeof PROVIDER_IDS)[number]

export const DEMO_MODEL_ID = `${DEMO_PROVIDER_ID}/${DEMO_MODEL_NAME}`
export const DEFAULT_OPENAI_MODEL = 'openai/gpt-4.1-mini'

export type ModelEnv = Readonly<Record<string, string | undefined>>

export interface ModelInfo {
  /** `provider/model`, what API callers pass as `model`. */
  id: string
  providerId: ProviderId
  /** The provider's own model name (what is sent to the provider). */
  modelName: string
  isDefault: boolean
  /** True for Runyard's built-in demo model (not an AI; explains how to configure one). */
  isDemo: boolean
}

export interface ResolvedModel extends ModelInfo {
  model: LanguageModel
}

/** A model id this server does not offer; a 400 on every surface (`model_not_found`). */
export class UnknownModelError extends AppError {
  constructor(
    readonly requested: string,
    readonly available: string[],
  ) {
    super('bad_request', 'model_not_found', `Unknown model "${requested}". Available models: ${available.join(', ')} (or "default").`, {
      param: 'model',
      available,
    })
  }
}

/** The model configuration itself is wrong (reported at startup). */
export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError'
}

export interface ModelRegistry {
  /** The default model (RUNYARD_MODEL, or the demo model when nothing is configured). */
  readonly default: ModelInfo
  /** True when the default model is the demo model, i.e. no real provider is configured. */
  readonly isDemo: boolean
  /** Every allowed model, default first. */
  list(): ModelInfo[]
  /**
   * Resolves a model id (`provider/model`, a bare model name with `providerId`, a bare name
   * that is unique among the allowed models, or `default`/empty for the default).
   * Throws {@link UnknownModelError}.
   */
  resolve(modelId?: string | null, providerId?: string | null): ResolvedModel
}

export interface ModelRegistryOptions {
  /** Custom fetch for provider HTTP calls (tests, proxies). */
  fetch?: typeof globalThis.fetch
}

interface ProviderFactory {
  (modelName: string): LanguageModel
}

function isProviderId(v: string): v is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(v)
}

function splitId(id: string): { providerId: ProviderId; modelName: string } | null {
  const slash = id.indexOf('/')
  if (slash <= 0) return null
  const providerId = id.slice(0, slash)
  const modelName = id.slice(slash + 1)
  if (!isProviderId(providerId) || modelName.length === 0) return null
  return { providerId, modelName }
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim()
  return t ? t : undefined
}

function buildFactories(env: ModelEnv, opts: ModelRegistryOptions): Partial<Record<ProviderId, ProviderFactory>> {
  const factories: Partial<Record<ProviderId, ProviderFactory>> = { demo: () => new DemoLanguageModel() }
  const fetchOpt = opts.fetch ? { fetch: opts.fetch } : {}
  const openaiKey = nonEmpty(env.OPENAI_API_KEY)
  if (openaiKey) {
    const baseURL = nonEmpty(env.OPENAI_BASE_URL)
    const api = (nonEmpty(env.RUNYARD_OPENAI_API) ?? 'responses').toLowerCase()
    if (api !== 'responses' && api !== 'chat') throw new ModelConfigError(`RUNYARD_OPENAI_API must be "responses" or "chat" (got "${env.RUNYARD_OPENAI_API}")`)
    const openai = createOpenAI({ apiKey: openaiKey, ...(baseURL ? { baseURL } : {}), ...fetchOpt })
    factories.openai = api === 'chat' ? (m) => openai.chat(m) : (m) => openai(m)
  }
  const compatibleUrl = nonEmpty(env.OPENAI_COMPATIBLE_BASE_URL)
  if (compatibleUrl) {
    const apiKey = nonEmpty(env.OPENAI_COMPATIBLE_API_KEY)
    // includeUsage: without it Chat Completions streams carry no token counts at all.
    const compatible = createOpenAICompatible({ name: 'openai-compatible', baseURL: compatibleUrl, includeUsage: true, ...(apiKey ? { apiKey } : {}), ...fetchOpt })
    factories['openai-compatible'] = (m) => compatible(m)
  }
  return factories
}

const NEEDS: Record<ProviderId, string> = {
  openai: 'OPENAI_API_KEY',
  'openai-compatible': 'OPENAI_COMPATIBLE_BASE_URL',
  demo: '',
}

export function createModelRegistry(env: ModelEnv = process.env, opts: ModelRegistryOptions = {}): ModelRegistry {
  const factories = buildFactories(env, opts)
  const parse = (raw: string, source: string) => {
    const id = raw.trim() === 'demo' ? DEMO_MODEL_ID : raw.trim()
    const parts = splitId(id)
    if (!parts) throw new ModelConfigError(`${source}: "${raw}" is not a model id of the form provider/model with provider one of ${PROVIDER_IDS.join(', ')}`)
    if (!factories[parts.providerId]) throw new ModelConfigError(`${source}: model "${id}" needs ${NEEDS[parts.providerId]} to be set`)
    return { id: `${parts.providerId}/${parts.modelName}`, ...parts }
  }

  const configuredDefault = nonEmpty(env.RUNYARD_MODEL)
  let defaultId: string
  if (configuredDefault) defaultId = parse(configuredDefault, 'RUNYARD_MODEL').id
  else if (factories.openai) defaultId = DEFAULT_OPENAI_MODEL
  else if (factories['openai-compatible']) {
    throw new ModelConfigError('OPENAI_COMPATIBLE_BASE_URL is set but no model is: set RUNYARD_MODEL=openai-compatible/<model name>')
  } else defaultId = DEMO_MODEL_ID

  const ids = [defaultId]
  for (const raw of (env.RUNYARD_MODELS ?? '').split(',')) {
    if (!raw.trim()) continue
    const { id } = parse(raw, 'RUNYARD_MODELS')
    if (!ids.includes(id)) ids.push(id)
  }
  const infos: ModelInfo[] = ids.map((id) => {
    const { providerId, modelName } = splitId(id)!
    return { id, providerId, modelName, isDefault: id === defaultId, isDemo: providerId === 'demo' }
  })
  const byId = new Map(infos.map((i) => [i.id, i]))
  const built = new Map<string, LanguageModel>()
  const defaultInfo = infos[0]!

  const materialise = (info: ModelInfo): ResolvedModel => {
    let model = built.get(info.id)
    if (!model) {
      model = factories[info.providerId]!(info.modelName)
      built.set(info.id, model)
    }
    return { ...info, model }
  }

  const find = (modelId: string, providerId: string | null | undefined): ModelInfo | undefined => {
    if (byId.has(modelId)) return byId.get(modelId)
    if (modelId === 'demo' && byId.has(DEMO_MODEL_ID)) return byId.get(DEMO_MODEL_ID)
    if (providerId && byId.has(`${providerId}/${modelId}`)) return byId.get(`${providerId}/${modelId}`)
    const byName = infos.filter((i) => i.modelName === modelId)
    return byName.length === 1 ? byName[0] : undefined
  }

  return {
    default: defaultInfo,
    isDemo: defaultInfo.isDemo,
    list: () => infos.map((i) => ({ ...i })),
    resolve(modelId, providerId) {
      const wanted = modelId?.trim()
      if (!wanted || wanted === 'default') return materialise(defaultInfo)
      const info = find(wanted, providerId?.trim())
      if (!info) throw new UnknownModelError(wanted, infos.map((i) => i.id))
      return materialise(info)
    },
  }
}
