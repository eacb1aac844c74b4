// The model registry: which models this server may use, and how to build them.
//
// Model ids are `provider/model` (the model part may itself contain `/`, e.g.
// `openai-compatible/Qwen/Qwen2.5-Coder-7B-Instruct`). Providers: `openai` (@ai-sdk/openai, the
// Responses API or Chat Completions), `openai-compatible` (@ai-sdk/openai-compatible, Chat
// Completions with usage, for vLLM, Ollama, llama.cpp, LM Studio…) and the built-in `demo`.
// The `provider/model` id form is the one the AI Gateway uses.
//
// Mistakes in the options throw a ModelConfigError naming the server setting they come from
// (RUNYARD_MODEL, OPENAI_API_KEY…): that is what an operator fixes, at startup rather than in
// every run later.
import { createOpenAI } from '@ai-sdk/openai'
import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { AppError } from '@runyard/contract'
import type { LanguageModel } from 'ai'
import { DEMO_MODEL_NAME, DEMO_PROVIDER_ID, DemoLanguageModel } from './demo-model.ts'

export const PROVIDER_IDS = ['openai', 'openai-compatible', 'demo'] as const
export type ProviderId = (typeof PROVIDER_IDS)[number]

export const DEMO_MODEL_ID = `${DEMO_PROVIDER_ID}/${DEMO_MODEL_NAME}`
export const DEFAULT_OPENAI_MODEL = 'openai/gpt-4.1-mini'

export const OPENAI_APIS = ['responses', 'chat'] as const
export type OpenAIApi = (typeof OPENAI_APIS)[number]

export interface OpenAIProviderOptions {
  apiKey: string
  /** Default https://api.openai.com/v1. */
  baseURL?: string
  /** `responses` (default): OpenAI's Responses API; `chat`: Chat Completions, for OpenAI-style servers without /responses. */
  api?: OpenAIApi
}

export interface OpenAICompatibleProviderOptions {
  baseURL: string
  apiKey?: string
}

export interface ModelRegistryOptions {
  /**
   * The default model (RUNYARD_MODEL), `provider/model` or `demo`. Unset: openai/gpt-4.1-mini
   * when `openai` is configured, else the demo model.
   */
  defaultModel?: string
  /** More allowed models (RUNYARD_MODELS), `provider/model`. */
  extraModels?: readonly string[]
  /** Enables provider `openai`. */
  openai?: OpenAIProviderOptions
  /** Enables provider `openai-compatible`. */
  openaiCompatible?: OpenAICompatibleProviderOptions
  /** Custom fetch for provider HTTP calls (tests, proxies). */
  fetch?: typeof globalThis.fetch
}

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
    super(
      'bad_request',
      'model_not_found',
      `Unknown model "${requested}". Available models: ${available.join(', ')} (or "default").`,
      {
        param: 'model',
        available,
      },
    )
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

function buildFactories(opts: ModelRegistryOptions): Partial<Record<ProviderId, ProviderFactory>> {
  const factories: Partial<Record<ProviderId, ProviderFactory>> = { demo: () => new DemoLanguageModel() }
  const fetchOpt = opts.fetch ? { fetch: opts.fetch } : {}
  if (opts.openai) {
    const { apiKey, baseURL, api = 'responses' } = opts.openai
    const openai = createOpenAI({ apiKey, ...(baseURL ? { baseURL } : {}), ...fetchOpt })
    factories.openai = api === 'chat' ? (m) => openai.chat(m) : (m) => openai(m)
  }
  if (opts.openaiCompatible) {
    const { baseURL, apiKey } = opts.openaiCompatible
    // includeUsage: without it Chat Completions streams carry no token counts at all.
    const compatible = createOpenAICompatible({
      name: 'openai-compatible',
      baseURL,
      includeUsage: true,
      ...(apiKey ? { apiKey } : {}),
      ...fetchOpt,
    })
    factories['openai-compatible'] = (m) => compatible(m)
  }
  return factories
}

const NEEDS: Record<ProviderId, string> = {
  openai: 'OPENAI_API_KEY',
  'openai-compatible': 'OPENAI_COMPATIBLE_BASE_URL',
  demo: '',
}

/**
 * The models the options allow, default first (each once). Throws {@link ModelConfigError} for
 * an id that is malformed or names a provider the options do not configure.
 */
export function listAllowedModels(opts: ModelRegistryOptions): ModelInfo[] {
  const configured = (p: ProviderId) => p === 'demo' || (p === 'openai' ? !!opts.openai : !!opts.openaiCompatible)
  const parse = (raw: string, source: string) => {
    const id = raw.trim() === 'demo' ? DEMO_MODEL_ID : raw.trim()
    const parts = splitId(id)
    if (!parts)
      throw new ModelConfigError(
        `${source}: "${raw}" is not a model id of the form provider/model with provider one of ${PROVIDER_IDS.join(', ')}`,
      )
    if (!configured(parts.providerId))
      throw new ModelConfigError(`${source}: model "${id}" needs ${NEEDS[parts.providerId]} to be set`)
    return `${parts.providerId}/${parts.modelName}`
  }

  let defaultId: string
  if (opts.defaultModel?.trim()) defaultId = parse(opts.defaultModel, 'RUNYARD_MODEL')
  else if (opts.openai) defaultId = DEFAULT_OPENAI_MODEL
  else if (opts.openaiCompatible) {
    throw new ModelConfigError(
      'OPENAI_COMPATIBLE_BASE_URL is set but no model is: set RUNYARD_MODEL=openai-compatible/<model name>',
    )
  } else defaultId = DEMO_MODEL_ID

  const ids = [defaultId]
  for (const raw of opts.extraModels ?? []) {
    if (!raw.trim()) continue
    const id = parse(raw, 'RUNYARD_MODELS')
    if (!ids.includes(id)) ids.push(id)
  }
  return ids.map((id) => {
    const { providerId, modelName } = splitId(id)!
    return { id, providerId, modelName, isDefault: id === defaultId, isDemo: providerId === 'demo' }
  })
}

export function createModelRegistry(opts: ModelRegistryOptions): ModelRegistry {
  const infos = listAllowedModels(opts)
  const factories = buildFactories(opts)
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
      if (!info)
        throw new UnknownModelError(
          wanted,
          infos.map((i) => i.id),
        )
      return materialise(info)
    },
  }
}
