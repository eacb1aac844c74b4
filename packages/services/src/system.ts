// Health of the process's dependencies, for liveness endpoints.
import type { Engine } from '@runyard/engine'

export class SystemService {
  constructor(private readonly engine: Engine) {}

  /** Fails when the database cannot be reached (answered as 503 by the surfaces). */
  ping(): Promise<void> {
    return this.engine.ping()
  }
}
