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
import { DemoLanguageModel } from './demo-model.ts'
import {
  DEMO_MODEL_ID,
  listAllowedModels,
  type ModelInfo,
  type ModelRegistryOptions,
  type ProviderId,
} from './allowed.ts'

export {
  DEFAULT_OPENAI_MODEL,
  DEMO_MODEL_ID,
  listAllowedModels,
  ModelConfigError,
  OPENAI_APIS,
  PROVIDER_IDS,
  type ModelInfo,
  type ModelRegistryOptions,
  type OpenAIApi,
  type OpenAICompatibleProviderOptions,
  type OpenAIProviderOptions,
  type ProviderId,
} from './allowed.ts'

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
