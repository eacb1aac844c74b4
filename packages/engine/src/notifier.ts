// One LISTEN connection per process. Notifications are only wake-up signals: the tables stay
// the truth, so a missed notification (e.g. while reconnecting) costs latency, never data.
// Besides, batches of events committed by a writer in this process are passed to this process's
// readers directly (`publishCommitted`), so they need not read back what was just written.
//
// Admission and the workers' statements (claim, event batches, finish) do not notify inside their
// transactions: PostgreSQL serializes the commits of every transaction that sent a NOTIFY behind
// one lock on the database, held until the commit record is flushed, so at 200 runs/s those four
// commits a run could not share a WAL flush and queued behind each other (docs/benchmarks.md, the
// diagnosis section). Once committed, they hand their notifications to `sendEvents`,
// `sendRunChange` and `sendWebhookMessages` instead: this process's listeners hear them at once,
// and every SEND_WINDOW_MS one statement sends all that queued meanwhile to the other processes,
// from this connection, whose commits do not wait for the WAL flush (nothing durable is written),
// so the lock is held for microseconds. Their echo on this connection is not dispatched again.
// While this connection is down they wait, and go out once it is back: other processes' listeners
// would not hear them otherwise (their own connections did not drop, so no reconnect wakes them).
// A process that dies between a commit and that statement leaves the listeners to their polling
// backstops (stream.ts, the fetch loop, the heartbeat's cancel check, the webhook dispatcher's
// sweep), as a missed notification always could.
import { EventEmitter } from 'node:events'
import pg from 'pg'
import { prepared } from './prepared.ts'
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

/**
 * How long notifications gather before they go out to other processes: at 200 runs/s a run's ~7
 * notifications went out one statement each (a commit of its own each) when sent per round trip.
 */
const SEND_WINDOW_MS = 5
/**
 * On a reconnect, how long before the loss was noticed notifications may have been missed: a
 * connection can be dead (a restarted server, a dropped network) a while before its socket says so.
 */
const MISSED_MARGIN_MS = 60_000
/** Notifications kept while the connection is down; beyond it the oldest go (wake-ups: pollers catch up). */
const MAX_PENDING = 10_000
const SEND = prepared(`SELECT count(pg_notify(c, p))::int FROM unnest($1::text[], $2::text[]) AS n(c, p)`)

export class Notifier {
  private client: pg.Client | undefined
  private closed = false
  private readonly bus = new EventEmitter()
  private ready: Promise<void> | undefined
  /** Notifications waiting for this turn's send (channels and payloads, in order). */
  private outbox: { channels: string[]; payloads: string[] } = { channels: [], payloads: [] }
  private sending: Promise<void> | undefined

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
    client.on('notification', (n) => {
      // Sent by this process (see `send`): its listeners heard it then.
      if (n.processId !== (client as { processID?: number }).processID) this.dispatch(n.channel, n.payload ?? '')
    })
    client.on('error', (err) => this.reconnect(client, err))
    client.on('end', () => this.reconnect(client))
    await client.connect()
    for (const channel of Object.values(CHANNELS)) await client.query(`LISTEN ${channel}`)
    // This connection only ever commits notifications (see `send`): no need to wait for the flush.
    await client.query('SET synchronous_commit = off')
    this.client = client
  }

  private reconnect(client: pg.Client, err?: unknown) {
    if (this.closed || this.client !== client) return
    this.client = undefined
    this.log('notification connection lost; reconnecting', err)
    // Notifications may have been missed since a little before the loss was noticed.
    const missedSince = new Date(Date.now() - MISSED_MARGIN_MS)
    const retry = async (delay: number) => {
      if (this.closed) return
      try {
        await this.connect()
        this.bus.emit('reconnect', missedSince)
        // What this process sent while the connection was down.
        if (this.outbox.channels.length) this.sending ??= this.sendSoon()
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

  /** Tells every process that the run's events up to `lastSeq` are committed. Call after the commit. */
  sendEvents(runId: string, lastSeq: number) {
    this.send(CHANNELS.events, `${runId}:${lastSeq}`)
  }

  /** Tells every process that a run was created or changed status (`queued` wakes fetch loops). Call after the commit. */
  sendRunChange({ accountId, runId, status }: RunChange) {
    this.send(CHANNELS.runs, `${accountId}:${runId}:${status}`)
  }

  /** Tells every process's webhook dispatcher that a finish stored messages. Call after the commit. */
  sendWebhookMessages() {
    this.send(CHANNELS.webhooks, '')
  }

  private send(channel: string, payload: string) {
    // Not within the caller's statement's code path: a listener's error must not fail it.
    setImmediate(() => this.dispatch(channel, payload))
    this.outbox.channels.push(channel)
    this.outbox.payloads.push(payload)
    if (this.outbox.channels.length > MAX_PENDING) {
      this.outbox.channels.splice(0, MAX_PENDING / 2)
      this.outbox.payloads.splice(0, MAX_PENDING / 2)
    }
    this.sending ??= this.sendSoon()
  }

  /**
   * Sends what queued in the window, in one statement; what queues meanwhile goes with the next
   * one. Without a connection (or when it is lost during the statement, which then sent nothing)
   * they wait for the reconnect, which calls this again.
   */
  private async sendSoon(): Promise<void> {
    try {
      while (this.outbox.channels.length) {
        await new Promise((resolve) => setTimeout(resolve, SEND_WINDOW_MS))
        const client = this.client
        if (!client || this.closed) return
        const { channels, payloads } = this.outbox
        this.outbox = { channels: [], payloads: [] }
        await client.query({ ...SEND, values: [channels, payloads] }).catch((err: unknown) => {
          if (!connectionLost(err) || this.closed) return this.log('sending notifications failed', err)
          this.outbox.channels.unshift(...channels)
          this.outbox.payloads.unshift(...payloads)
        })
      }
    } finally {
      this.sending = undefined
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
  /** After the connection came back; `missedSince`: notifications since then may have been missed. */
  onReconnect(fn: (missedSince: Date) => void): () => void {
    this.bus.on('reconnect', fn)
    return () => this.bus.off('reconnect', fn)
  }

  async close() {
    await this.sending
    this.closed = true
    const c = this.client
    this.client = undefined
    await c?.end().catch(() => {})
  }
}

/**
 * A statement's error that says the connection is gone (node-postgres's own, without a SQLSTATE,
 * or PostgreSQL's connection exception and operator intervention classes, 08 and 57): it sent
 * nothing, and the same statement will succeed on the next connection.
 */
function connectionLost(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code !== 'string' || code.startsWith('08') || code.startsWith('57')
}
