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
import type { LanguageModel } from 'ai'
import { DemoLanguageModel } from './demo-model.ts'
import type { ModelInfo, ModelRegistryOptions, ProviderId } from './allowed.ts'
import { createAllowedModels, type AllowedModels } from './catalog.ts'

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
export { createAllowedModels, UnknownModelError, type AllowedModels } from './catalog.ts'

export interface ResolvedModel extends ModelInfo {
  model: LanguageModel
}

/** The allowed models (catalog.ts), and each one built with its provider's SDK on first use. */
export interface ModelRegistry extends AllowedModels {
  /** As {@link AllowedModels.resolve}, with the model itself. Throws {@link UnknownModelError}. */
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
  const allowed = createAllowedModels(opts)
  const factories = buildFactories(opts)
  const built = new Map<string, LanguageModel>()

  const materialise = (info: ModelInfo): ResolvedModel => {
    let model = built.get(info.id)
    if (!model) {
      model = factories[info.providerId]!(info.modelName)
      built.set(info.id, model)
    }
    return { ...info, model }
  }

  return {
    default: allowed.default,
    isDemo: allowed.isDemo,
    list: () => allowed.list(),
    resolve: (modelId, providerId) => materialise(allowed.resolve(modelId, providerId)),
  }
}
