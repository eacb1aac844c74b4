// A JSON value the API passes through without describing it (tool inputs), shared by the surfaces.
import { z } from 'zod'

/** Any JSON value, declared so that the field is required (a bare `z.unknown()` key is optional). */
export const OpaqueJson = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
  .meta({ description: 'Opaque JSON.' })
export type OpaqueJson = z.infer<typeof OpaqueJson>

/** A tool input as declared on the wire: a call without input is sent as `{}`. */
export const toolInput = (input: unknown): OpaqueJson => (input === undefined ? {} : (input as OpaqueJson))
