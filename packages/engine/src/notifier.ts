// One LISTEN connection per process. Notifications are only wake-up signals: the tables stay
// the truth, so a missed notification (e.g. while reconnecting) costs latency, never data.
// Besides, batches of events committed by a writer in this process are passed to this process's
// readers directly (`publishCommitted`), so they need not read back what was just written.
import { EventEmitter } from 'node:events'
import pg from 'pg'
import type { EventRow } from './types.ts'

export const CHANNELS = {
  /** payload `<runId>:<lastSeq>` after events are committed */
  events: 'runyard_events',
  /** payload `<accountId>:<runId>:<status>` after a run is created or changes status */
  runs: 'runyard_runs',
  /** payload `<runId>` when cancellation of a running run is requested */
  cancel: 'runyard_cancel',
  /** no payload: webhook messages were stored, to be queued (webhooks/dispatcher.ts) */
  webhooks: 'runyard_webhooks',
} as const

export type RunChange = { accountId: string; runId: string; status: string }

export class Notifier {
  private client: pg.Client | undefined
  private closed = false
  private readonly bus = new EventEmitter()
  private ready: Promise<void> | undefined

  constructor(
    private readonly url: string,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {
    this.bus.setMaxListeners(0)
  }

  start(): Promise<void> {
    this.ready ??= this.connect()
    return this.ready
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, application_name: 'runyard-listen' })
    client.on('notification', (n) => this.dispatch(n.channel, n.payload ?? ''))
    client.on('error', (err) => this.reconnect(client, err))
    client.on('end', () => this.reconnect(client))
    await client.connect()
    for (const channel of Object.values(CHANNELS)) await client.query(`LISTEN ${channel}`)
    this.client = client
  }

  private reconnect(client: pg.Client, err?: unknown) {
    if (this.closed || this.client !== client) return
    this.client = undefined
    this.log('notification connection lost; reconnecting', err)
    const retry = async (delay: number) => {
      if (this.closed) return
      try {
        await this.connect()
        this.bus.emit('reconnect')
      } catch {
        setTimeout(() => void retry(Math.min(delay * 2, 5000)), delay).unref()
      }
    }
    void retry(100)
  }

  private dispatch(channel: string, payload: string) {
    if (channel === CHANNELS.events) {
      const i = payload.lastIndexOf(':')
      this.bus.emit(`events:${payload.slice(0, i)}`, Number(payload.slice(i + 1)))
    } else if (channel === CHANNELS.runs) {
      const [accountId = '', runId = '', status = ''] = payload.split(':')
      this.bus.emit('runs', { accountId, runId, status } satisfies RunChange)
    } else if (channel === CHANNELS.cancel) {
      this.bus.emit(`cancel:${payload}`)
    } else if (channel === CHANNELS.webhooks) {
      this.bus.emit('webhooks')
    }
  }

  /** Resolves on the next event notification for the run, a reconnect, the timeout or abort. */
  waitForEvents(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        off()
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, timeoutMs)
      const off = this.onEvents(runId, done)
      signal?.addEventListener('abort', done, { once: true })
    })
  }

  /**
   * Subscribes to "new events" signals for one run; returns the unsubscribe function. `fn` gets
   * the run's last committed seq, or nothing after a reconnect (when anything may have been missed).
   */
  onEvents(runId: string, fn: (lastSeq?: number) => void): () => void {
    this.bus.on(`events:${runId}`, fn)
    const offReconnect = this.onReconnect(() => fn())
    return () => {
      this.bus.off(`events:${runId}`, fn)
      offReconnect()
    }
  }

  /**
   * Rows just committed for a run by a writer in this process (one batch, ascending seq). Built
   * only when a reader of that run listens: most batches have none.
   */
  publishCommitted(runId: string, rows: () => EventRow[]) {
    const key = `committed:${runId}`
    if (this.bus.listenerCount(key) === 0) return
    const batch = rows()
    if (batch.length) this.bus.emit(key, batch)
  }

  onCommitted(runId: string, fn: (rows: EventRow[]) => void): () => void {
    this.bus.on(`committed:${runId}`, fn)
    return () => this.bus.off(`committed:${runId}`, fn)
  }

  onRunChange(fn: (change: RunChange) => void): () => void {
    this.bus.on('runs', fn)
    return () => this.bus.off('runs', fn)
  }

  onCancel(runId: string, fn: () => void): () => void {
    this.bus.on(`cancel:${runId}`, fn)
    return () => this.bus.off(`cancel:${runId}`, fn)
  }

  /** New webhook messages were stored (by any process). */
  onWebhookMessages(fn: () => void): () => void {
    this.bus.on('webhooks', fn)
    return () => this.bus.off('webhooks', fn)
  }

  /** After the notification connection came back: any notification sent meanwhile was missed. */
  onReconnect(fn: () => void): () => void {
    this.bus.on('reconnect', fn)
    return () => this.bus.off('reconnect', fn)
  }

  async close() {
    this.closed = true
    const c = this.client
    this.client = undefined
    await c?.end().catch(() => {})
  }
}
