// A session's chat: header with the session's setup, the transcript, the composer.
import type { Session } from '@runyard/contract'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'wouter'
import { EmptyState, ErrorNotice, LoadError, Loading } from '../../components/Feedback.tsx'
import { LifecycleBadge } from '../../components/StatusBadge.tsx'
import { Tokens } from '../../components/Tokens.tsx'
import { useTRPC } from '../../lib/trpc.ts'
import { SANDBOX_LABELS, sessionSource, sessionTitle } from '../sessions/labels.ts'
import { Composer } from './Composer.tsx'
import { Transcript } from './Transcript.tsx'
import { useChat } from './use-chat.ts'

export function ChatPage({ sessionId }: { sessionId: string }) {
  const trpc = useTRPC()
  const session = useQuery(trpc.sessions.get.queryOptions({ sessionId }))
  const chats = useQuery(trpc.sessions.chats.queryOptions({ sessionId }))

  if (session.isPending || chats.isPending) return <Loading what="the session" />
  if (session.isError || chats.isError)
    return (
      <LoadError
        error={session.error ?? chats.error}
        what="the session"
        notFound="Session not found"
        back={{ href: '/sessions', label: 'Back to sessions' }}
        onRetry={() => void Promise.all([session.refetch(), chats.refetch()])}
      />
    )
  const chat = chats.data[0]
  if (!chat) return <EmptyState title="This session has no chat" />
  return <ChatView session={session.data} chatId={chat.id} />
}

const SUGGESTIONS = [
  'List the files in the workspace and summarise the project',
  'Find TODO comments and suggest which to tackle first',
  'Explain how this project is built and tested',
]

function ChatView({ session, chatId }: { session: Session; chatId: string }) {
  const chat = useChat(chatId)
  const [draft, setDraft] = useState<{ text: string; nonce: number }>()
  const empty = chat.ready && (chat.messages?.length ?? 0) === 0 && !chat.pendingText && !chat.liveRunId
  const archived = session.lifecycleState === 'archived'

  return (
    <div className="chat-page">
      <header className="chat-header">
        <div className="chat-title">
          <Link href="/sessions" className="back-link">
            Sessions
          </Link>
          <span className="crumb-sep" aria-hidden="true">
            /
          </span>
          <h1 tabIndex={-1} title={sessionTitle(session)}>
            {sessionTitle(session)}
          </h1>
          <LifecycleBadge state={session.lifecycleState} />
        </div>
        <dl className="chat-meta">
          <div className="meta-wide">
            <dt>Workspace</dt>
            <dd className="mono" title={sessionSource(session)}>
              {sessionSource(session)}
            </dd>
          </div>
          <div>
            <dt>Sandbox</dt>
            <dd>{SANDBOX_LABELS[session.sandboxType].name}</dd>
          </div>
          <div>
            <dt>Model</dt>
            <dd className="mono" title={session.modelId}>
              {session.modelId}
            </dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd>
              <Tokens usage={session.tokenUsage} />
            </dd>
          </div>
        </dl>
      </header>

      <section className="chat-scroll" aria-label="Conversation">
        {!chat.ready && !chat.messagesError && <Loading what="the conversation" />}
        {chat.messagesError != null && (
          <ErrorNotice
            title="Could not load the conversation"
            error={chat.messagesError}
            onRetry={chat.refetchMessages}
          />
        )}
        {empty && (
          <EmptyState title="Start the conversation">
            <p>
              Ask the agent to do something in this workspace. It can run commands, read and edit files, and will ask
              you when it needs a decision.
            </p>
            <div className="suggestions">
              {SUGGESTIONS.map((s) => (
                <button
                  key={s}
                  type="button"
                  className="suggestion"
                  onClick={() => setDraft({ text: s, nonce: Date.now() })}
                >
                  {s}
                </button>
              ))}
            </div>
          </EmptyState>
        )}
        {chat.ready && !empty && <Transcript chat={chat} onAnswer={(text) => void chat.send(text)} />}
      </section>

      {archived ? (
        <div className="notice archived-note">
          This session is archived. Its history stays readable; start a new session to keep working.
        </div>
      ) : (
        <Composer
          busy={chat.busy}
          stopping={chat.stopping}
          onSend={chat.send}
          onStop={chat.stop}
          error={chat.sendError ?? chat.stopError}
          draft={draft}
        />
      )}
    </div>
  )
}
