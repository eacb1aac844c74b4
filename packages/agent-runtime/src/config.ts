// Agent settings from the environment, for the server and worker entry points.
//
//   RUNYARD_MAX_STEPS            step budget per run (default 50)
//   RUNYARD_SUBAGENT_MAX_STEPS   step budget per `task` sub-agent (default 25)
//   RUNYARD_WORKSPACES_DIR       parent folder of per-session workspaces for local/host sessions
//                                without a registered workspace (default ./.runyard/workspaces)
//   RUNYARD_BASH_TIMEOUT_MS      default `bash` timeout (default 120000; the model may ask for up to 10 min)
//   RUNYARD_FETCH_ALLOW_PRIVATE  `true` lets `fetch` reach private/loopback/link-local addresses (default false)
//   RUNYARD_FETCH_ALLOW_HOSTS    comma-separated host or host:port entries `fetch` may reach even if private
//   RUNYARD_FETCH_TIMEOUT_MS     per-request timeout of `fetch` (default 30000)
//   RUNYARD_FETCH_MAX_BYTES      response bytes `fetch` reads (default 1048576)
import path from 'node:path'
import type { AgentExecutorOptions } from './agent/executor.ts'

export type AgentEnv = Readonly<Record<string, string | undefined>>

export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError'
}

function int(env: AgentEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new AgentConfigError(`${name} must be an integer between ${min} and ${max} (got "${raw}")`)
  return n
}

function bool(env: AgentEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase()
  if (raw === '' || ['0', 'false', 'no', 'off'].includes(raw)) return false
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  throw new AgentConfigError(`${name} must be true or false (got "${env[name]}")`)
}

/** Everything of createAgentExecutor's options that comes from configuration. */
export function agentOptionsFromEnv(
  env: AgentEnv = process.env,
  cwd = process.cwd(),
): Pick<AgentExecutorOptions, 'maxSteps' | 'subAgentMaxSteps' | 'workspacesRoot' | 'fetch' | 'limits'> {
  return {
    maxSteps: int(env, 'RUNYARD_MAX_STEPS', 50, 1, 1000),
    subAgentMaxSteps: int(env, 'RUNYARD_SUBAGENT_MAX_STEPS', 25, 1, 1000),
    workspacesRoot: path.resolve(cwd, env.RUNYARD_WORKSPACES_DIR?.trim() || path.join('.runyard', 'workspaces')),
    limits: { bashTimeoutMs: int(env, 'RUNYARD_BASH_TIMEOUT_MS', 120_000, 1000, 10 * 60_000) },
    fetch: {
      allowPrivate: bool(env, 'RUNYARD_FETCH_ALLOW_PRIVATE'),
      allowHosts: (env.RUNYARD_FETCH_ALLOW_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean),
      timeoutMs: int(env, 'RUNYARD_FETCH_TIMEOUT_MS', 30_000, 1000, 10 * 60_000),
      maxBytes: int(env, 'RUNYARD_FETCH_MAX_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    },
  }
}
