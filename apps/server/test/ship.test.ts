// The shipping files, checked without a container runtime (base images cannot be pulled here):
// the Dockerfile linted (dockerfile-utils: what the Docker builder would reject, plus its
// warnings; hadolint is not packaged for Debian bookworm) and held to the hadolint rules that
// matter for this image; docker/entrypoint.sh clean under shellcheck; compose.yaml valid under
// the Compose Specification's JSON schema and wired as docs/operations.md describes.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Ajv } from 'ajv'
import { validate as lintDockerfile } from 'dockerfile-utils'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import { SERVER_NODE_FLAGS } from '../bin/node-flags.mjs'
import { VARIABLE_NAMES } from '../src/config/variables.ts'
import { repoRoot } from '../../../packages/testkit/src/runyard-process.ts'
import { DOCKERFILE, readImage } from './support/image.ts'

const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), 'utf8')

describe('Dockerfile', () => {
  const image = readImage()
  const run = (stage: { instructions: { getKeyword(): string; getArgumentsContent(): string | null }[] }) =>
    stage.instructions
      .filter((i) => i.getKeyword() === 'RUN')
      .map((i) => i.getArgumentsContent() ?? '')
      .join('\n')

  it('lints clean (dockerfile-utils: no errors, no warnings)', () => {
    const problems = lintDockerfile(fs.readFileSync(DOCKERFILE, 'utf8')).map(
      (d) => `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`,
    )
    expect(problems).toEqual([])
  })

  it('the linter reports a broken Dockerfile (it can fail)', () => {
    expect(
      lintDockerfile('FROM node:20-bookworm-slim\nHEALTHCHECK --interva=30s CMD ls\nADD app.zip\n').length,
    ).toBeGreaterThanOrEqual(2)
  })

  it('builds in a Node 20 stage with pnpm 12.21.0: frozen install, `pnpm build`, development dependencies dropped', () => {
    const [build, ...others] = image.stages
    expect(build).toMatchObject({ from: 'node:20-bookworm-slim', name: 'build' })
    expect(others).toHaveLength(1)
    const steps = run(build!)
    expect(steps).toContain('npm i -g pnpm@12.21.0')
    expect(steps).toMatch(/pnpm install --frozen-lockfile[\s\S]*pnpm build[\s\S]*pnpm prune --prod/)
    // The pin in the build stage is the repository's own pnpm.
    expect(JSON.parse(read('package.json')).packageManager).toBe('pnpm@12.21.0')
  })

  it('the image: Node 20, bubblewrap and tini from Debian (hadolint DL3015, DL3009), a non-root user (DL3002), /data as a volume', () => {
    expect(image.final.from).toBe('node:20-bookworm-slim')
    const steps = run(image.final)
    expect(steps).toMatch(/apt-get install -y --no-install-recommends [^\n]*\bbubblewrap\b/)
    expect(steps).toMatch(/apt-get install -y --no-install-recommends [^\n]*\btini\b/)
    expect(steps).toContain('rm -rf /var/lib/apt/lists/*')
    expect(image.user).toBeDefined()
    expect(['root', '0']).not.toContain(image.user)
    expect(steps).toContain(`chown ${image.user}:${image.user} /data`)
    const volume = image.final.instructions.find((i) => i.getKeyword() === 'VOLUME')?.getArgumentsContent()
    expect(volume).toBe('["/data"]')
    expect(image.env.RUNYARD_DATA_DIR).toBe('/data')
  })

  it('starts the compiled server through tini and the entrypoint (exec form, hadolint DL3025), and probes /healthz', () => {
    expect(image.entrypoint).toEqual(['/usr/bin/tini', '-s', '--', '/app/docker/entrypoint.sh'])
    expect(image.cmd).toEqual(['start'])
    expect(read('docker/entrypoint.sh')).toContain('node $app_dir/apps/server/dist/cli.mjs')
    expect(fs.statSync(path.join(repoRoot, 'docker/entrypoint.sh')).mode & 0o111).not.toBe(0)
    expect(image.healthcheck).toEqual(['node', '/app/docker/healthcheck.mjs'])
    expect(read('docker/healthcheck.mjs')).toContain('/healthz')
  })

  it('gives the server the Node flags `npm start` gives it (apps/server/bin/node-flags.mjs; the wasm tier is set at run time, before Prisma compiles its wasm), and only known settings', () => {
    expect(image.env.NODE_OPTIONS ?? '').toBe(SERVER_NODE_FLAGS.join(' '))
    // The compiled server's query compiler loader sets Prisma's wasm tier (packages/db/src/wasm-tier.ts).
    expect(read('apps/server/scripts/build.mjs')).toMatch(/useBaselineWasmTier\(\)\s+const \{ readFile \}/)
    const settings = Object.keys(image.env).filter((k) => k.startsWith('RUNYARD_'))
    expect(settings.filter((k) => !(VARIABLE_NAMES as readonly string[]).includes(k))).toEqual([])
  })

  it('.dockerignore keeps installs, builds, local data and secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
    for (const entry of ['.git', '**/node_modules', '**/dist', '.runyard', 'packages/db/src/generated', '.env'])
      expect(ignored).toContain(entry)
  })
})

describe('docker/entrypoint.sh', () => {
  it('is clean under shellcheck (POSIX sh)', () => {
    const result = spawnSync('shellcheck', ['--shell=sh', 'docker/entrypoint.sh'], { cwd: repoRoot, encoding: 'utf8' })
    if (result.error)
      throw new Error(
        `shellcheck could not run (${result.error.message}): apt-get install shellcheck (.ci/run installs it)`,
      )
    expect(result.stdout + result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it('shellcheck reports a broken script (it can fail)', () => {
    const result = spawnSync('shellcheck', ['--shell=sh', '-'], { input: 'cd $1\nrm -rf $dir/*\n', encoding: 'utf8' })
    expect(result.status).not.toBe(0)
    expect(result.stdout).toContain('SC2086')
  })
})

describe('compose.yaml', () => {
  const schema = JSON.parse(
    fs.readFileSync(path.join(import.meta.dirname, 'fixtures/compose-spec/compose-spec.json'), 'utf8'),
  ) as Record<string, unknown>
  // The schema names draft-07 by an https URL that ajv does not register under; its keywords are draft-07's.
  const ajv = new Ajv({ allErrors: true, strict: false })
  const validateCompose = ajv.compile({ ...schema, $schema: 'http://json-schema.org/draft-07/schema#' })
  const problems = (doc: unknown) =>
    validateCompose(doc) ? [] : (validateCompose.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`)
  // Compose reads YAML merge keys (`<<: *runyard`).
  const compose = parseYaml(read('compose.yaml'), { merge: true }) as ComposeFile

  interface ComposeService {
    image?: string
    command?: string[]
    environment?: Record<string, string>
    depends_on?: Record<string, { condition: string }>
    deploy?: { replicas?: number }
    restart?: string
    volumes?: string[]
  }
  interface ComposeFile {
    services: Record<string, ComposeService>
  }

  it('validates against the Compose Specification schema', () => {
    expect(problems(compose)).toEqual([])
  })

  it('the schema rejects a broken compose file (it can fail)', () => {
    const broken = structuredClone(compose)
    ;(broken.services.api as Record<string, unknown>).depends_on = {
      migrate: { conditon: 'service_completed_successfully' },
    }
    ;(broken.services.worker as Record<string, unknown>).restrat = 'always'
    expect(problems(broken).length).toBeGreaterThanOrEqual(2)
  })

  it('PostgreSQL 15, then a one-shot migrate, then scalable api and worker processes of the image', () => {
    const { db, migrate, api, worker } = compose.services
    expect(db?.image).toMatch(/^postgres:15\b/)
    expect(migrate?.command).toEqual(['migrate'])
    expect(migrate?.restart).toBe('no')
    expect(migrate?.depends_on?.db).toEqual({ condition: 'service_healthy' })
    expect(api?.command).toEqual(['api'])
    expect(worker?.command).toEqual(['worker'])
    for (const service of [api, worker]) {
      expect(service?.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' })
      expect(service?.deploy?.replicas).toBeGreaterThanOrEqual(2)
    }
    // Every role compose uses is one the entrypoint knows.
    const roles = /case "\$role" in([\s\S]*)esac/.exec(read('docker/entrypoint.sh'))?.[1] ?? ''
    for (const role of ['migrate', 'api', 'worker']) expect(roles).toMatch(new RegExp(`(^|[\\s|])${role}([\\s|)])`))
  })

  it('every Runyard service shares one database; workers open their probe port; all of it names only known settings', () => {
    const runyard = ['migrate', 'api', 'worker'].map((name) => compose.services[name]!)
    const urls = new Set(runyard.map((s) => s.environment?.DATABASE_URL))
    expect(urls.size).toBe(1)
    expect([...urls][0]).toMatch(/^postgresql:\/\/runyard:\$\{POSTGRES_PASSWORD:\?[^}]+\}@db:5432\/runyard$/)
    expect(compose.services.worker?.environment?.RUNYARD_WORKER_PORT).toMatch(/^\d+$/)
    const example = read('docker/compose.env.example')
    const named = [
      ...runyard.flatMap((s) => Object.keys(s.environment ?? {})),
      ...[...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!),
    ]
    const unknown = named.filter(
      (n) => !(VARIABLE_NAMES as readonly string[]).includes(n) && !['POSTGRES_PASSWORD'].includes(n),
    )
    expect(unknown).toEqual([])
    expect(example).toMatch(/^POSTGRES_PASSWORD=$/m)
  })

  it("sends traces to the collector's OTLP/HTTP receiver, which has a complete traces pipeline", () => {
    const endpoint = new URL(compose.services.api!.environment!.OTEL_EXPORTER_OTLP_ENDPOINT!)
    expect(compose.services[endpoint.hostname]?.image).toMatch(/^otel\/opentelemetry-collector:/)
    const collector = parseYaml(read('docker/otel-collector.yaml')) as {
      receivers: Record<string, { protocols?: { http?: { endpoint?: string } } }>
      processors: Record<string, unknown>
      exporters: Record<string, unknown>
      service: { pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> }
    }
    expect(collector.receivers.otlp?.protocols?.http?.endpoint).toBe(`0.0.0.0:${endpoint.port}`)
    expect(endpoint.port).toBe('4318')
    const traces = collector.service.pipelines.traces!
    expect(traces.exporters).toContain('debug')
    for (const r of traces.receivers) expect(collector.receivers).toHaveProperty(r)
    for (const p of traces.processors) expect(collector.processors).toHaveProperty(p)
    for (const e of traces.exporters) expect(collector.exporters).toHaveProperty(e)
  })
})
