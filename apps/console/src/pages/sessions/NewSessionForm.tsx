// Creates a session: where the agent works (a folder, a repository, or a fresh folder), the
// sandbox it runs in and its model. Options come from `system.info`.
import type { CreateSessionInput, SandboxType } from '@runyard/contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useSystemInfo } from '../../app/system-info.tsx'
import { Field } from '../../components/Field.tsx'
import { FormActions } from '../../components/FormActions.tsx'
import { useTRPC } from '../../lib/trpc.ts'
import type { RouterOutputs } from '../../lib/types.ts'
import { SANDBOX_LABELS } from './labels.ts'

type Source = 'folder' | 'repo' | 'fresh'

export function NewSessionForm({
  onCreated,
  onCancel,
}: {
  onCreated: (r: RouterOutputs['sessions']['create']) => void
  onCancel: () => void
}) {
  const info = useSystemInfo()
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const sandboxes: SandboxType[] = [
    ...info.availableSandboxes,
    ...(info.availableSandboxes.includes('none') ? [] : (['none'] as const)),
  ]
  const [title, setTitle] = useState('')
  const [source, setSource] = useState<Source>('folder')
  const [path, setPath] = useState('')
  const [repo, setRepo] = useState({ owner: '', name: '', branch: '', cloneUrl: '', isNewBranch: false })
  const [sandbox, setSandbox] = useState<SandboxType>(info.defaultSandbox)
  const [model, setModel] = useState(info.defaultModel.id)

  const create = useMutation(
    trpc.sessions.create.mutationOptions({
      onSuccess: (r) => {
        void queryClient.invalidateQueries(trpc.sessions.list.pathFilter())
        onCreated(r)
      },
    }),
  )

  function submit(e: FormEvent) {
    e.preventDefault()
    const input: CreateSessionInput = {
      sandboxType: sandbox,
      modelId: model,
      ...(title.trim() ? { title: title.trim() } : {}),
    }
    if (source === 'folder') input.workspacePath = path.trim()
    if (source === 'repo') {
      input.repoOwner = repo.owner.trim()
      input.repoName = repo.name.trim()
      if (repo.branch.trim()) input.branch = repo.branch.trim()
      if (repo.cloneUrl.trim()) input.cloneUrl = repo.cloneUrl.trim()
      input.isNewBranch = repo.isNewBranch
    }
    create.mutate(input)
  }

  return (
    <form className="form" onSubmit={submit}>
      <Field label="Title" hint="Optional. Without one, the first message becomes the title.">
        <input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          placeholder="Fix the flaky login test"
          autoFocus
        />
      </Field>

      <fieldset className="segmented-field">
        <legend>Where the agent works</legend>
        <div className="segmented">
          {(
            [
              ['folder', 'A folder'],
              ['repo', 'A repository'],
              ['fresh', 'A fresh folder'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className={source === value ? 'checked' : ''}>
              <input
                type="radio"
                name="source"
                value={value}
                checked={source === value}
                onChange={() => setSource(value)}
              />
              {label}
            </label>
          ))}
        </div>
      </fieldset>

      {source === 'folder' && (
        <Field
          label="Workspace path"
          hint="An absolute path on the server, e.g. /home/me/projects/app. It is registered as a workspace."
        >
          <input
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/path/to/project"
            required
            pattern="/.*"
            spellCheck={false}
            className="mono"
          />
        </Field>
      )}
      {source === 'repo' && (
        <div className="grid-2">
          <Field label="Owner">
            <input
              value={repo.owner}
              onChange={(e) => setRepo({ ...repo, owner: e.target.value })}
              placeholder="acme"
              required
            />
          </Field>
          <Field label="Repository">
            <input
              value={repo.name}
              onChange={(e) => setRepo({ ...repo, name: e.target.value })}
              placeholder="web-app"
              required
            />
          </Field>
          <Field label="Branch" hint="Optional; the default branch when empty.">
            <input
              value={repo.branch}
              onChange={(e) => setRepo({ ...repo, branch: e.target.value })}
              placeholder="main"
            />
          </Field>
          <Field label="Clone URL" hint="Optional, e.g. https://github.com/acme/web-app.git">
            <input
              value={repo.cloneUrl}
              onChange={(e) => setRepo({ ...repo, cloneUrl: e.target.value })}
              type="url"
              spellCheck={false}
            />
          </Field>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={repo.isNewBranch}
              onChange={(e) => setRepo({ ...repo, isNewBranch: e.target.checked })}
            />
            Create the branch (it does not exist yet)
          </label>
        </div>
      )}
      {source === 'fresh' && <p className="hint">The agent gets an empty folder of its own on the server.</p>}

      <div className="grid-2">
        <Field label="Sandbox" hint={SANDBOX_LABELS[sandbox].hint}>
          <select value={sandbox} onChange={(e) => setSandbox(e.target.value as SandboxType)}>
            {sandboxes.map((s) => (
              <option key={s} value={s}>
                {SANDBOX_LABELS[s].name}
                {s === info.defaultSandbox ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Model" hint={info.demoModel ? 'No provider is configured: the demo model answers.' : undefined}>
          <select value={model} onChange={(e) => setModel(e.target.value)}>
            {info.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
                {m.id === info.defaultModel.id ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </Field>
      </div>

      <FormActions
        error={create.isError ? create.error : null}
        pending={create.isPending}
        submitLabel="Create session"
        pendingLabel="Creating…"
        onCancel={onCancel}
      />
    </form>
  )
}
