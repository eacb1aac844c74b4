// The message box: Enter sends, Shift+Enter adds a line. While a run is active, Stop replaces
// Send (one run per chat at a time).
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { errorMessage } from '../../lib/errors.ts'

export interface ComposerProps {
  busy: boolean
  stopping: boolean
  onSend(text: string): Promise<boolean>
  onStop(): void
  error: unknown
  /** Text put into the box from outside (suggestions). */
  draft?: { text: string; nonce: number }
}

export function Composer({ busy, stopping, onSend, onStop, error, draft }: ComposerProps) {
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const ref = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    if (!draft) return
    setText(draft.text)
    ref.current?.focus()
  }, [draft])

  // Grow with the text, up to a limit (then the box scrolls).
  useEffect(() => {
    const el = ref.current
    if (!el) return
    el.style.height = 'auto'
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`
  }, [text])

  async function submit() {
    const value = text.trim()
    if (!value || busy || sending) return
    setSending(true)
    setText('')
    const ok = await onSend(value)
    setSending(false)
    if (!ok) setText(value) // keep what they wrote when it could not be sent
    ref.current?.focus()
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      void submit()
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      {error != null && (
        <div className="notice notice-danger composer-error" role="alert">
          {errorMessage(error)}
        </div>
      )}
      <div className="composer-box">
        <label htmlFor="composer-input" className="sr-only">
          Message
        </label>
        <textarea
          id="composer-input"
          ref={ref}
          rows={1}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder={busy ? 'The agent is working… you can write your next message.' : 'Message the agent'}
          aria-describedby="composer-hint"
          autoFocus
        />
        {busy ? (
          <button type="button" className="btn btn-stop" onClick={onStop} disabled={stopping}>
            <span className="stop-square" aria-hidden="true" />
            {stopping ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button type="submit" className="btn btn-primary" disabled={!text.trim() || sending}>
            Send
          </button>
        )}
      </div>
      <div id="composer-hint" className="composer-hint">
        {busy ? (
          <span className="busy-hint">
            <span className="pulse" aria-hidden="true" /> Agent is working — Stop cancels the run and keeps what it
            produced.
          </span>
        ) : (
          <span>
            <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
          </span>
        )}
      </div>
    </form>
  )
}
