// envd's `process.Process` Connect service, backed by real host processes.
import type { IncomingMessage, ServerResponse } from 'node:http'
import fs from 'node:fs'
import { ConnectRpcError, parseRequestEnvelope, sendUnary, ServerStream } from './connect-rpc.ts'
import { isRecord, num, readBody, str, stringRecord } from './http-util.ts'
import type { FakeProcess, FakeProcessEvent, FakeSandbox } from './sandbox-state.ts'

const SIGNALS: Record<string, NodeJS.Signals> = {
  SIGNAL_SIGKILL: 'SIGKILL',
  SIGNAL_SIGTERM: 'SIGTERM',
  '9': 'SIGKILL',
  '15': 'SIGTERM',
}

function findProcess(sbx: FakeSandbox, body: Record<string, unknown>): FakeProcess {
  const selector = isRecord(body.process) ? body.process : {}
  const pid = num(selector.pid)
  const tag = str(selector.tag)
  const proc = [...sbx.processes.values()].find(
    (p) => p.running && (pid !== undefined ? p.pid === pid : tag !== undefined && p.config.tag === tag),
  )
  if (!proc)
    throw new ConnectRpcError('not_found', `process with ${pid !== undefined ? `pid ${pid}` : `tag ${tag}`} not found`)
  return proc
}

function toWire(ev: FakeProcessEvent): Record<string, unknown> {
  if (ev.type === 'end') {
    // proto3 JSON leaves default values out (exitCode 0, exited false)
    const end: Record<string, unknown> = { status: ev.status }
    if (ev.exitCode !== 0) end.exitCode = ev.exitCode
    if (ev.exited) end.exited = true
    return { event: { end } }
  }
  return { event: { data: { [ev.type]: ev.data.toString('base64') } } }
}

/** Streams a process's events to an open response until it ends or the client goes away. */
function pipeProcess(proc: FakeProcess, stream: ServerStream, req: IncomingMessage, res: ServerResponse): void {
  stream.send({ event: { start: { pid: proc.pid } } })
  const intervalS = num(req.headers['keepalive-ping-interval']) ?? 50
  const keepalive = setInterval(() => stream.send({ event: { keepalive: {} } }), Math.max(1, intervalS) * 1000)
  keepalive.unref()
  const finish = (): void => {
    clearInterval(keepalive)
    unsubscribe()
  }
  const unsubscribe = proc.subscribe((ev) => {
    stream.send(toWire(ev))
    if (ev.type === 'end') {
      finish()
      stream.end()
    }
  })
  // A dropped client does not stop the process (the SDK can reconnect with Connect).
  res.on('close', finish)
  if (proc.result) {
    finish()
    stream.send(toWire(proc.result))
    stream.end()
  }
}

async function startProcess(sbx: FakeSandbox, user: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = parseRequestEnvelope(await readBody(req))
  const spec = isRecord(body.process) ? body.process : {}
  if (body.pty !== undefined) throw new ConnectRpcError('unimplemented', 'the fake does not support PTYs')
  const cmd = str(spec.cmd)
  if (!cmd) throw new ConnectRpcError('invalid_argument', 'process.cmd is required')
  const args = Array.isArray(spec.args) ? spec.args.filter((a): a is string => typeof a === 'string') : []
  const cwd = str(spec.cwd) ?? sbx.homeDir(user)
  const hostCwd = sbx.hostPath(cwd, user)
  if (!fs.existsSync(hostCwd) || !fs.statSync(hostCwd).isDirectory()) {
    throw new ConnectRpcError('invalid_argument', `cwd '${cwd}' does not exist`)
  }
  const proc = sbx.startProcess({
    cmd,
    args,
    cwd,
    user,
    envs: stringRecord(spec.envs),
    tag: str(body.tag),
    stdin: body.stdin === true,
  })
  pipeProcess(proc, new ServerStream(res), req, res)
}

async function connectProcess(sbx: FakeSandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = parseRequestEnvelope(await readBody(req))
  const proc = findProcess(sbx, body)
  pipeProcess(proc, new ServerStream(res), req, res)
}

/** Handles `/process.Process/<method>`; stream methods write their own response. */
export async function handleProcessRpc(
  sbx: FakeSandbox,
  method: string,
  user: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  switch (method) {
    case 'Start':
      return startProcess(sbx, user, req, res)
    case 'Connect':
      return connectProcess(sbx, req, res)
  }
  const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>
  switch (method) {
    case 'SendSignal': {
      const proc = findProcess(sbx, body)
      const sig = SIGNALS[String(body.signal)]
      if (!sig) throw new ConnectRpcError('invalid_argument', `unsupported signal ${String(body.signal)}`)
      proc.signalGroup(sig)
      return sendUnary(res, {})
    }
    case 'List':
      return sendUnary(res, {
        processes: sbx.runningProcesses().map((p) => ({
          pid: p.pid,
          ...(p.config.tag ? { tag: p.config.tag } : {}),
          config: { cmd: p.config.cmd, args: p.config.args, envs: p.config.envs, cwd: p.config.cwd },
        })),
      })
    case 'SendInput': {
      const proc = findProcess(sbx, body)
      const input = isRecord(body.input) ? body.input : {}
      const data = str(input.stdin)
      if (data === undefined) throw new ConnectRpcError('invalid_argument', 'only stdin input is supported')
      try {
        proc.writeStdin(Buffer.from(data, 'base64'))
      } catch (e) {
        throw new ConnectRpcError('failed_precondition', (e as Error).message)
      }
      return sendUnary(res, {})
    }
    case 'CloseStdin':
      findProcess(sbx, body).closeStdin()
      return sendUnary(res, {})
  }
  throw new ConnectRpcError('unimplemented', `process.Process/${method} is not implemented by the fake`)
}
