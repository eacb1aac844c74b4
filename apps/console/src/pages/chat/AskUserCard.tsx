// `ask_user_question`: the agent's question, answered inline. The answer is sent as the next
// user message (that is how the runtime expects it).
import { useState, type FormEvent } from 'react'
import type { AskUserInput } from '../../lib/parts.ts'

export interface AskState {
  /** The user's reply, once given (the next user message). */
  answer?: string
  /** Can be answered now (the latest turn, nothing running). */
  answerable: boolean
  onAnswer(text: string): void
}

export function AskUserCard({ ask, state }: { ask: AskUserInput; state: AskState }) {
  const [text, setText] = useState('')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (text.trim()) state.onAnswer(text.trim())
  }
  return (
    <section className="ask-card" aria-label="Question from the agent">
      <div className="ask-label">The agent asks</div>
      <p className="ask-question">{ask.question}</p>
      {state.answer !== undefined ? (
        <p className="ask-answer">
          <span className="muted">You answered:</span> {state.answer}
        </p>
      ) : state.answerable ? (
        <>
          {ask.options.length > 0 && (
            <div className="ask-options" role="group" aria-label="Suggested answers">
              {ask.options.map((o) => (
                <button key={o} type="button" className="btn btn-secondary btn-sm" onClick={() => state.onAnswer(o)}>
                  {o}
                </button>
              ))}
            </div>
          )}
          <form className="ask-form" onSubmit={submit}>
            <label className="sr-only" htmlFor="ask-answer">
              Your answer
            </label>
            <input
              id="ask-answer"
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder="Type your answer…"
              autoFocus
            />
            <button type="submit" className="btn btn-primary btn-sm" disabled={!text.trim()}>
              Answer
            </button>
          </form>
        </>
      ) : (
        <p className="muted small">Waiting for an answer.</p>
      )}
    </section>
  )
}
