import { Redirect, Route, Switch } from 'wouter'
import { EmptyState } from '../components/Feedback.tsx'
import { ChatPage } from '../pages/chat/ChatPage.tsx'
import { KeysPage } from '../pages/keys/KeysPage.tsx'
import { RunDetailPage } from '../pages/runs/RunDetailPage.tsx'
import { RunsPage } from '../pages/runs/RunsPage.tsx'
import { SessionsPage } from '../pages/sessions/SessionsPage.tsx'
import { SettingsPage } from '../pages/settings/SettingsPage.tsx'
import { WebhookEndpointPage } from '../pages/webhooks/WebhookEndpointPage.tsx'
import { WebhooksPage } from '../pages/webhooks/WebhooksPage.tsx'
import { Link } from 'wouter'

export function Routes() {
  return (
    <Switch>
      <Route path="/">
        <Redirect to="/sessions" replace />
      </Route>
      <Route path="/sessions">
        <SessionsPage />
      </Route>
      <Route path="/sessions/:sessionId">{(p) => <ChatPage key={p.sessionId} sessionId={p.sessionId} />}</Route>
      <Route path="/runs">
        <RunsPage />
      </Route>
      <Route path="/runs/:runId">{(p) => <RunDetailPage key={p.runId} runId={p.runId} />}</Route>
      <Route path="/keys">
        <KeysPage />
      </Route>
      <Route path="/webhooks">
        <WebhooksPage />
      </Route>
      <Route path="/webhooks/:endpointId">
        {(p) => <WebhookEndpointPage key={p.endpointId} endpointId={p.endpointId} />}
      </Route>
      <Route path="/settings">
        <SettingsPage />
      </Route>
      <Route>
        <EmptyState
          title="Page not found"
          action={
            <Link href="/sessions" className="btn btn-primary">
              Go to sessions
            </Link>
          }
        >
          <p>There is nothing at this address.</p>
        </EmptyState>
      </Route>
    </Switch>
  )
}
