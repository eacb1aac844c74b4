// Which models a configuration allows, checked without loading a provider SDK: the server's
// configuration (apps/server/src/config.ts) validates the model settings with this before the
// embedded PostgreSQL starts, and the registry (registry.ts), which builds the models, starts from it.
import { DEMO_MODEL_NAME, DEMO_PROVIDER_ID } from './demo-model.ts'

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

/** The model configuration itself is wrong (reported at startup). */
export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError'
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
