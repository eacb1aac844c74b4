// Starts an async (headless) run with `runs.start`: on an existing session's chat or on a new
// session provisioned with it. Its progress shows up live in the runs table.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useSystemInfo } from '../../app/system-info.tsx'
import { Field } from '../../components/Field.tsx'
import { FormActions } from '../../components/FormActions.tsx'
import { useTRPC } from '../../lib/trpc.ts'
import { sessionTitle } from '../sessions/labels.ts'

const NEW = '__new__'

export function StartRunForm({ onStarted, onCancel }: { onStarted: (runId: string) => void; onCancel: () => void }) {
  const info = useSystemInfo()
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const sessions = useQuery(trpc.sessions.list.queryOptions({ limit: 500 }))
  const [sessionId, setSessionId] = useState(NEW)
  const [prompt, setPrompt] = useState('')
  const [model, setModel] = useState('')
  const start = useMutation(
    trpc.runs.start.mutationOptions({
      onSuccess: (r) => {
        void queryClient.invalidateQueries(trpc.runs.list.pathFilter())
        void queryClient.invalidateQueries(trpc.sessions.pathFilter())
        onStarted(r.runId)
      },
    }),
  )
  const open = (sessions.data ?? []).filter((s) => s.lifecycleState !== 'archived')

  function submit(e: FormEvent) {
    e.preventDefault()
    start.mutate({
      prompt: prompt.trim(),
      ...(sessionId !== NEW ? { sessionId } : {}),
      ...(model ? { model } : {}),
    })
  }

  return (
    <form className="form" onSubmit={submit}>
      <Field label="Prompt" hint="The run works on its own; follow it in the runs table or open its timeline.">
        <textarea
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          rows={4}
          required
          placeholder="Run the test suite and summarise any failures"
          autoFocus
        />
      </Field>
      <div className="grid-2">
        <Field
          label="Session"
          hint={
            sessionId === NEW
              ? `A new session with the ${info.defaultSandbox} sandbox is created for it.`
              : 'The run continues this session’s chat.'
          }
        >
          <select value={sessionId} onChange={(e) => setSessionId(e.target.value)}>
            <option value={NEW}>New session</option>
            {open.map((s) => (
              <option key={s.id} value={s.id}>
                {sessionTitle(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Model">
          <select value={model} onChange={(e) => setModel(e.target.value)}>
            <option value="">{sessionId === NEW ? `Default (${info.defaultModel.id})` : 'The session’s model'}</option>
            {info.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <FormActions
        error={start.isError ? start.error : null}
        pending={start.isPending}
        disabled={!prompt.trim()}
        submitLabel="Start run"
        pendingLabel="Starting…"
        onCancel={onCancel}
      />
    </form>
  )
}
