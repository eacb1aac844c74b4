// List-level live updates: one `runs.changes` subscription for the whole console. Each change
// (a run created, started, finished) refreshes the queries that show runs or what runs change
// (session token totals and lifecycle, a chat's active run, webhook delivery logs). Nothing is polled
// here (a webhook delivery log re-reads itself while its messages are pending: DeliveryLog.tsx).
import { useQueryClient } from '@tanstack/react-query'
import { useSubscription } from '@trpc/tanstack-react-query'
import { useTRPC } from './trpc.ts'

export function useLiveUpdates(enabled: boolean): void {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  useSubscription(
    trpc.runs.changes.subscriptionOptions(undefined, {
      enabled,
      onData: (change) => {
        void queryClient.invalidateQueries(trpc.runs.list.pathFilter())
        void queryClient.invalidateQueries(trpc.runs.get.queryFilter({ runId: change.runId }))
        void queryClient.invalidateQueries(trpc.sessions.pathFilter())
        void queryClient.invalidateQueries(trpc.chats.activeRun.pathFilter())
        // a run that ends stores its webhook messages (shown in an endpoint's delivery log)
        void queryClient.invalidateQueries(trpc.webhooks.deliveries.pathFilter())
      },
    }),
  )
}
