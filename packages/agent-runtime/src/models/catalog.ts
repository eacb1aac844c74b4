// The models this server allows, as ids to list and resolve, built without a provider SDK: what
// the server needs before it listens (GET /v1/models, validating a request's `model`). The
// registry (registry.ts), which builds the models themselves with the AI SDK providers, starts
// from it; the server imports that only once it listens (apps/server/src/agent.ts).
import { AppError } from '@runyard/contract'
import { DEMO_MODEL_ID, listAllowedModels, type ModelInfo, type ModelRegistryOptions } from './allowed.ts'

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

export interface AllowedModels {
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
  resolve(modelId?: string | null, providerId?: string | null): ModelInfo
}

/** Throws ModelConfigError for a configuration that allows no valid model (see listAllowedModels). */
export function createAllowedModels(opts: ModelRegistryOptions): AllowedModels {
  const infos = listAllowedModels(opts)
  const byId = new Map(infos.map((i) => [i.id, i]))
  const defaultInfo = infos[0]!

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
      if (!wanted || wanted === 'default') return { ...defaultInfo }
      const info = find(wanted, providerId?.trim())
      if (!info)
        throw new UnknownModelError(
          wanted,
          infos.map((i) => i.id),
        )
      return { ...info }
    },
  }
}
