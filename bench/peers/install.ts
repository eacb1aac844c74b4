// Installs the peers at pinned versions into a cache folder outside the repository
// (~/.cache/runyard-bench-peers, or $RUNYARD_BENCH_PEERS_DIR), with npm from the registry.
// Each install is a folder named after its pins and is reused until the pins change.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const OPENCODE_VERSION = '1.18.33'
export const LANGGRAPH_API_VERSION = '2.0.0'

/** What each install folder holds: its npm dependencies, all exact versions. */
const INSTALLS = {
  opencode: { 'opencode-ai': OPENCODE_VERSION },
  // opencode `npm install`s @opencode-ai/plugin into its config folder at every start unless it is
  // already there (node_modules and a package-lock.json listing it): installed here, ahead of time,
  // so that the server never reaches for the registry while it is measured.
  'opencode-config/opencode': { '@opencode-ai/plugin': OPENCODE_VERSION },
  langgraph: {
    '@langchain/core': '1.4.0',
    '@langchain/langgraph': '1.7.3',
    '@langchain/langgraph-api': LANGGRAPH_API_VERSION,
    '@langchain/langgraph-cli': LANGGRAPH_API_VERSION,
    // the API server's optional peer, at its version (npm refuses the one @langchain/langgraph brings)
    '@langchain/langgraph-sdk': LANGGRAPH_API_VERSION,
    '@langchain/openai': '1.6.0',
    zod: '4.6.7',
  },
} as const satisfies Record<string, Record<string, string>>

export interface PeerInstall {
  /** opencode's native binary (the npm package's launcher only finds and runs it). */
  opencodeBin: string
  /** XDG_CONFIG_HOME for opencode: holds opencode/ with the plugin already installed. */
  opencodeConfigHome: string
  /** Folder whose node_modules has the LangGraph CLI, API server and the graph's dependencies. */
  langgraphDir: string
}

export function cacheRoot(): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
  return process.env.RUNYARD_BENCH_PEERS_DIR || path.join(cache, 'runyard-bench-peers')
}

/** Installs what is missing; returns where everything is. */
export async function installPeers(log: (line: string) => void): Promise<PeerInstall> {
  const root = path.join(cacheRoot(), `opencode-${OPENCODE_VERSION}-langgraph-api-${LANGGRAPH_API_VERSION}`)
  for (const [folder, dependencies] of Object.entries(INSTALLS))
    await ensureInstalled(path.join(root, folder), dependencies, log)
  return {
    opencodeBin: opencodeBinary(path.join(root, 'opencode')),
    opencodeConfigHome: path.join(root, 'opencode-config'),
    langgraphDir: path.join(root, 'langgraph'),
  }
}

async function ensureInstalled(dir: string, dependencies: Record<string, string>, log: (line: string) => void) {
  const manifest = JSON.stringify({ private: true, dependencies }, null, 2) + '\n'
  const marker = path.join(dir, '.installed')
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === manifest) return
  log(
    `installing ${Object.entries(dependencies)
      .map(([n, v]) => `${n}@${v}`)
      .join(', ')} into ${dir}`,
  )
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), manifest)
  // --ignore-scripts: nothing here needs an install script (opencode's binary and esbuild's come
  // as platform packages), and nothing from the registry runs before it is measured.
  await npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], dir)
  fs.writeFileSync(marker, manifest)
}

function npm(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${code})`)),
    )
  })
}

/**
 * The platform package's binary, chosen as the package's own postinstall would (which
 * --ignore-scripts skips): the baseline build on x64 CPUs without AVX2.
 */
function opencodeBinary(dir: string): string {
  const base = `opencode-${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`
  const avx2 = process.arch === 'x64' && /\bavx2\b/.test(readOr('/proc/cpuinfo', ''))
  const names = process.arch === 'x64' && !avx2 ? [`${base}-baseline`, base] : [base, `${base}-baseline`]
  const bin = names.map((n) => path.join(dir, 'node_modules', n, 'bin', 'opencode')).find((b) => fs.existsSync(b))
  if (!bin)
    throw new Error(
      `opencode's binary is missing from ${dir}/node_modules (${names.join(', ')}): remove ${dir} and run again`,
    )
  return bin
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return fallback
  }
}
