export { createEngine, Engine, type EngineOptions, type ListRunsFilter } from './engine.ts'
export {
  DEFAULT_ENGINE_CONFIG,
  defaultWorkerStatementConcurrency,
  EPHEMERAL_KEY_TTL_BOUNDS,
  resolveEngineConfig,
  type EngineConfig,
} from './config.ts'
export { loadChatMessages, saveChatMessages } from './messages.ts'
export type { RunChange } from './notifier.ts'
export type { RunEventFrame } from './event-log/index.ts'
export type { Logger } from './types.ts'
export type {
  EngineObserver,
  EventsWritten,
  ObservedRun,
  RunAdmitted,
  RunClaimed,
  RunFinished,
  WrittenEvent,
} from './observer.ts'
export { CONCURRENT_RETRY_AFTER_SECONDS, type RunLimits } from './rate-limits.ts'
export {
  DEFAULT_RETENTION_BATCH,
  retentionStore,
  type ExpiringSession,
  type RetentionCounts,
  type RetentionStore,
  type SweepOptions,
} from './retention.ts'
export type { ScheduledJob } from './schedules.ts'
export { DEFAULT_WEBHOOK_CONFIG, DEFAULT_WEBHOOK_RETRY_DELAYS_MS, type WebhookConfig } from './config.ts'
export { retryDelayMs, signatureHeaders, WEBHOOK_TIMEOUT_MS } from './webhooks/index.ts'
export type * from '@runyard/contract'
