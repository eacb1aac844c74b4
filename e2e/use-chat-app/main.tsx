// A stock AI SDK chat page on its own origin, pointed at Runyard's Recoup chat surface on another:
// `useChat` with `DefaultChatTransport({ api, headers })` and nothing custom — no request
// preparer, no chat id of ours (useChat generates it), no custom fetch. What it adds is what any
// `useChat` app with resumable streams does:
//   - it keeps the chat id `useChat` gave the chat in the URL (?chat=<id>) once the first
//     message is sent, so a reload finds the chat again;
//   - on load with a chat id, it reads the chat's persisted messages
//     (GET /api/chat/{chatId}/messages, a JSON array of UIMessages) and passes them as the initial
//     `messages`, with the same `id` and `resume: true` (GET /api/chat/{chatId}/stream).
// The Runyard API URL and key come from this tab's session storage (`useChatApp.api`,
// `useChatApp.apiKey`), put there before the page runs (the e2e test does it with addInitScript).
import { useChat } from '@ai-sdk/react'
import { DefaultChatTransport, type UIMessage } from 'ai'
import { useEffect, useMemo, useState, type FormEvent } from 'react'
import { createRoot } from 'react-dom/client'

const api = window.sessionStorage.getItem('useChatApp.api') // e.g. http://127.0.0.1:7791/api/chat
const apiKey = window.sessionStorage.getItem('useChatApp.apiKey')

function chatIdFromUrl(): string | null {
  return new URLSearchParams(window.location.search).get('chat')
}

function rememberChatId(id: string) {
  const url = new URL(window.location.href)
  if (url.searchParams.get('chat') === id) return
  url.searchParams.set('chat', id)
  window.history.replaceState(null, '', url)
}

type Loaded = { state: 'loading' } | { state: 'ready'; messages: UIMessage[] } | { state: 'failed'; error: string }

function App() {
  const [chatId] = useState(chatIdFromUrl)
  const [loaded, setLoaded] = useState<Loaded>(chatId ? { state: 'loading' } : { state: 'ready', messages: [] })

  useEffect(() => {
    if (!chatId || !api || !apiKey) return
    const abort = new AbortController()
    fetch(`${api}/${encodeURIComponent(chatId)}/messages`, { headers: { 'x-api-key': apiKey }, signal: abort.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(`GET messages answered ${res.status}: ${await res.text()}`)
        setLoaded({ state: 'ready', messages: (await res.json()) as UIMessage[] })
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setLoaded({ state: 'failed', error: String(err) })
      })
    return () => abort.abort()
  }, [chatId])

  if (!api || !apiKey) return <p role="alert">Set useChatApp.api and useChatApp.apiKey in session storage.</p>
  if (loaded.state === 'loading') return <p aria-busy="true">Loading the chat…</p>
  if (loaded.state === 'failed') return <p role="alert">{loaded.error}</p>
  // A chat id from the URL: its stored messages, and resume whatever run is still going.
  return chatId ? (
    <ChatView api={api} apiKey={apiKey} id={chatId} initialMessages={loaded.messages} resume />
  ) : (
    <ChatView api={api} apiKey={apiKey} />
  )
}

function ChatView(props: {
  api: string
  apiKey: string
  id?: string
  initialMessages?: UIMessage[]
  resume?: boolean
}) {
  const transport = useMemo(
    () => new DefaultChatTransport({ api: props.api, headers: { 'x-api-key': props.apiKey } }),
    [props.api, props.apiKey],
  )
  const { id, messages, sendMessage, status, error } = useChat({
    transport,
    ...(props.id ? { id: props.id } : {}),
    ...(props.initialMessages ? { messages: props.initialMessages } : {}),
    resume: props.resume ?? false,
  })
  const [input, setInput] = useState('')

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!input.trim()) return
    rememberChatId(id) // the id useChat generated: what POST /api/chat receives as `id`
    void sendMessage({ text: input })
    setInput('')
  }

  return (
    <main>
      <h1>useChat</h1>
      <p>
        Status: <output aria-label="Chat status">{status}</output>
      </p>
      {error ? <p role="alert">Error: {error.message}</p> : null}
      <ol aria-label="Messages">
        {messages.map((m) => (
          <li key={m.id} aria-label={`${m.role} message`} data-message-id={m.id}>
            <MessageParts message={m} />
          </li>
        ))}
      </ol>
      <form onSubmit={submit}>
        <label>
          Message <input value={input} onChange={(e) => setInput(e.target.value)} />
        </label>
        <button type="submit" disabled={status === 'submitted' || status === 'streaming'}>
          Send
        </button>
      </form>
    </main>
  )
}

function MessageParts({ message }: { message: UIMessage }) {
  return (
    <>
      {message.parts.map((part, i) => {
        if (part.type === 'text')
          return (
            <p key={i} className="text">
              {part.text}
            </p>
          )
        if (part.type === 'reasoning')
          return (
            <p key={i} className="reasoning">
              <em>{part.text}</em>
            </p>
          )
        if (part.type === 'dynamic-tool' || part.type.startsWith('tool-')) {
          const tool = part as {
            type: string
            toolName?: string
            state: string
            input?: unknown
            output?: unknown
            errorText?: string
          }
          const name = tool.type === 'dynamic-tool' ? tool.toolName : tool.type.slice('tool-'.length)
          return (
            <section key={i} aria-label={`Tool call ${name}`} data-state={tool.state}>
              <code>{JSON.stringify(tool.input)}</code>
              {tool.state === 'output-available' ? (
                <pre className="tool-output">
                  {typeof tool.output === 'string' ? tool.output : JSON.stringify(tool.output)}
                </pre>
              ) : null}
              {tool.state === 'output-error' ? <pre className="tool-error">{tool.errorText}</pre> : null}
            </section>
          )
        }
        return null
      })}
    </>
  )
}

createRoot(document.getElementById('root')!).render(<App />)
