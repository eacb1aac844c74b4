// Which API surface a request came through, by its path: a bounded label for metrics (and the
// engine's observers, through the caller), named as the folders under src/surfaces/ are.
export const SURFACES = ['chat', 'cometcode', 'responses', 'chat-completions', 'trpc', 'other'] as const
export type Surface = (typeof SURFACES)[number]

export function surfaceOfPath(path: string): Surface {
  if (path.startsWith('/trpc/') || path === '/trpc') return 'trpc'
  if (path.startsWith('/api/v1/')) return 'cometcode'
  if (path.startsWith('/v1/responses')) return 'responses'
  if (path.startsWith('/v1/chat/completions')) return 'chat-completions'
  if (path.startsWith('/api/')) return 'chat'
  return 'other'
}
