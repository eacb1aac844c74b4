// A test OTLP/HTTP trace receiver: what a collector's `otlphttp` receiver does, for the JSON
// encoding (Content-Type application/json, ExportTraceServiceRequest with hex ids). It keeps every
// span it is sent, flattened with its resource's and its own attributes as plain values, and
// answers 200 with an empty ExportTraceServiceResponse. Protobuf bodies are kept raw (counted).
import http from 'node:http'
import type { AddressInfo } from 'node:net'

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number }
type KeyValue = { key: string; value?: AnyValue }
interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  attributes?: KeyValue[]
  links?: { traceId: string; spanId: string; attributes?: KeyValue[] }[]
  status?: { code?: number; message?: string }
}
interface ExportTraceServiceRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] }
    scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[]
  }[]
}

export interface ReceivedSpan {
  traceId: string
  spanId: string
  /** '' for a root span. */
  parentSpanId: string
  name: string
  kind: number
  scope: string
  attributes: Record<string, string | number | boolean>
  resource: Record<string, string | number | boolean>
  links: { traceId: string; spanId: string; attributes: Record<string, string | number | boolean> }[]
  status: { code: number; message?: string }
}

export interface OtlpReceiver {
  /** The base URL to set as OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string
  spans: ReceivedSpan[]
  /** Requests that were not JSON (protobuf), with their path and content type. */
  binaryRequests: { path: string; contentType: string; bytes: number }[]
  /** Polls until `find` returns something (generous timeout; no timing assertions). */
  waitFor<T>(what: string, find: (spans: ReceivedSpan[]) => T | undefined | false, timeoutMs?: number): Promise<T>
  close(): Promise<void>
}

function plain(v: AnyValue | undefined): string | number | boolean {
  if (!v) return ''
  if (v.stringValue !== undefined) return v.stringValue
  if (v.intValue !== undefined) return Number(v.intValue)
  if (v.doubleValue !== undefined) return v.doubleValue
  if (v.boolValue !== undefined) return v.boolValue
  return JSON.stringify(v)
}

const attributesOf = (kvs: KeyValue[] | undefined) =>
  Object.fromEntries((kvs ?? []).map((kv) => [kv.key, plain(kv.value)]))

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = []
  const binaryRequests: OtlpReceiver['binaryRequests'] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const contentType = req.headers['content-type'] ?? ''
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end()
        return
      }
      if (!contentType.startsWith('application/json')) {
        binaryRequests.push({ path: req.url, contentType, bytes: body.length })
        res.writeHead(200, { 'content-type': contentType }).end()
        return
      }
      const request = JSON.parse(body.toString('utf8')) as ExportTraceServiceRequest
      for (const rs of request.resourceSpans ?? []) {
        const resource = attributesOf(rs.resource?.attributes)
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name,
              kind: s.kind,
              scope: ss.scope?.name ?? '',
              attributes: attributesOf(s.attributes),
              resource,
              links: (s.links ?? []).map((l) => ({
                traceId: l.traceId,
                spanId: l.spanId,
                attributes: attributesOf(l.attributes),
              })),
              status: { code: s.status?.code ?? 0, message: s.status?.message },
            })
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    binaryRequests,
    async waitFor(what, find, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = find(spans)
        if (found) return found
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for ${what}; spans received: ${spans.map((s) => `${s.name} (${s.traceId.slice(0, 8)})`).join(', ')}`,
          )
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
