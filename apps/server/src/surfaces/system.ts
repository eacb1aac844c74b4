import { z } from 'zod'
import { operations, routeGroup } from '../http/route.ts'
import { cometcode } from '../http/error-shapes.ts'
import type { Services } from '@runyard/services'

export const HealthResponse = z.strictObject({ status: z.literal('ok') }).meta({ id: 'HealthResponse' })

const route = routeGroup({ tags: ['System', 'CometCode'], surface: cometcode, auth: false })

export function systemRoutes(s: Services) {
  return operations({
    getHealth: route.get('/api/v1/health', {
      summary: 'Check server liveness',
      description: 'Answers `{"status":"ok"}` while the server and its database are reachable, 503 otherwise.',
      responses: { 200: { description: 'Server is healthy', schema: HealthResponse, example: { status: 'ok' } } },
      errors: [503],
      handler: async () => {
        await s.system.ping()
        return { status: 200, body: { status: 'ok' } }
      },
    }),
  })
}
