// The template of the route Express matched for a request (`/api/chat/runs/:runId`): what the HTTP
// metrics label and the request span's `http.route` name a request by (never the raw path: ids
// would make every request its own series or span name).

/**
 * The matched route's template, or undefined before (or without) a match. Routes are mounted one
 * router per path prefix (route.ts, mountRoutes): a route at its prefix's root is `/` under it and
 * is named by the prefix alone (`/v1/models`, as declared, not `/v1/models/`).
 */
export function routeTemplate(req: object): string | undefined {
  // Express's additions to Node's request; a request that no Express app has seen has neither.
  const { route, baseUrl } = req as { route?: { path?: unknown }; baseUrl?: unknown }
  const template = route?.path
  if (typeof template !== 'string') return undefined
  const base = typeof baseUrl === 'string' ? baseUrl : ''
  return template === '/' && base ? base : base + template
}
