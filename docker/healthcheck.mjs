// The image's HEALTHCHECK: exit 0 when this container's Runyard process answers GET /healthz
// with 200. A `worker` container answers on RUNYARD_WORKER_PORT (set it, or the worker opens no
// port and stays unhealthy); every other role on RUNYARD_PORT (7700 by default).
const port = process.env.RUNYARD_WORKER_PORT || process.env.RUNYARD_PORT || '7700'
const url = `http://127.0.0.1:${port}/healthz`
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) })
  if (!res.ok) process.stderr.write(`${url} answered ${res.status}\n`)
  process.exit(res.ok ? 0 : 1)
} catch (err) {
  process.stderr.write(`${url}: ${err instanceof Error ? (err.cause?.message ?? err.message) : String(err)}\n`)
  process.exit(1)
}
