// The template of the route Express matched for a request (`/api/chat/runs/:runId`): what the HTTP
// metrics label and the request span's `http.route` name a request by (never the raw path: ids
// would make every request its own series or span name).

/** The declared templates of the REST routes requests reached (route.ts, mountRoutes). */
const declared = new WeakMap<object, string>()

/**
 * Names `req` by the REST route it reached, as declared. Those routes are mounted one router per
 * path prefix, and Express matches a prefix whatever its case: the prefix in `req.baseUrl` is the
 * client's spelling (`/V1/Models`), which would make every spelling a series of its own.
 */
export function reachedRoute(req: object, template: string): void {
  declared.set(req, template)
}

/**
 * The matched route's template, or undefined before (or without) a match: a REST route's as
 * declared (`/v1/models`, not `/v1/models/` nor `/V1/Models`), else Express's own.
 */
export function routeTemplate(req: object): string | undefined {
  const rest = declared.get(req)
  if (rest) return rest
  // Express's additions to Node's request; a request that no Express app has seen has neither.
  const { route, baseUrl } = req as { route?: { path?: unknown }; baseUrl?: unknown }
  const template = route?.path
  if (typeof template !== 'string') return undefined
  const base = typeof baseUrl === 'string' ? baseUrl : ''
  return template === '/' && base ? base : base + template
}
