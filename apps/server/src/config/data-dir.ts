// Where the embedded PostgreSQL keeps its data, decided from the environment alone (node:path
// only): `runyard start` needs it before it loads the configuration's schema, to start the
// database first (cli.ts). The full validation (loadConfig) follows and agrees with it, since
// toServerConfig takes the directory from here too.
import path from 'node:path'

export const DEFAULT_DATA_DIR = '.runyard/data'

/** The value of a variable as loadConfig reads it: trimmed, blank as unset. */
const setting = (env: Readonly<Record<string, string | undefined>>, name: string) => env[name]?.trim() || undefined

/** The embedded database's data directory, resolved against `cwd`; undefined with an external DATABASE_URL. */
export function embeddedDataDir(env: Readonly<Record<string, string | undefined>>, cwd: string): string | undefined {
  return setting(env, 'DATABASE_URL') ? undefined : dataDirOf(setting(env, 'RUNYARD_DATA_DIR'), cwd)
}

export const dataDirOf = (value: string | undefined, cwd: string) => path.resolve(cwd, value ?? DEFAULT_DATA_DIR)
