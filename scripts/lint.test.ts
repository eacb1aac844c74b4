// The lint rules bite: eslint.config.mjs, run on scripts/lint-fixtures/ (files that break the layer
// boundaries and the no-cycle rule on purpose), reports each of them with the right rule and
// message, and leaves the allowed imports alone. The fixtures mirror the repository's layout: with
// an explicit config file, ESLint matches the config's globs against paths relative to its cwd,
// here the fixtures folder. The normal lint run (cwd = the repository) ignores that folder.
import path from 'node:path'
import { ESLint, type Linter } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '..')
const CONFIG = path.join(ROOT, 'eslint.config.mjs')
const FIXTURES = path.join(ROOT, 'scripts/lint-fixtures')

let byFile: Map<string, Linter.LintMessage[]>

beforeAll(async () => {
  const eslint = new ESLint({ cwd: FIXTURES, overrideConfigFile: CONFIG })
  const results = await eslint.lintFiles(['.'])
  byFile = new Map(results.map((r) => [path.relative(FIXTURES, r.filePath).split(path.sep).join('/'), r.messages]))
}, 120_000)

/** `rule: message` of every problem ESLint reported for a fixture (it must have been linted). */
function problems(file: string): string[] {
  const messages = byFile.get(file)
  if (!messages) throw new Error(`${file} was not linted (linted: ${[...byFile.keys()].join(', ')})`)
  return messages.map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`)
}

describe('layer boundaries', () => {
  it('a surface adapter may not import the engine', () => {
    expect(problems('apps/server/src/surfaces/imports-engine.ts')).toEqual([
      expect.stringMatching(
        /^no-restricted-imports: '@runyard\/engine' import is restricted .*Surface adapters receive services only/,
      ),
    ])
  })

  it('a surface adapter may import the services', () => {
    expect(problems('apps/server/src/surfaces/imports-services.ts')).toEqual([])
  })

  it('a service may not import express', () => {
    expect(problems('packages/services/src/imports-express.ts')).toEqual([
      expect.stringMatching(/^no-restricted-imports: 'express' import is restricted .*Services know nothing of HTTP/),
    ])
  })

  it('the engine may not import the services', () => {
    expect(problems('packages/engine/src/imports-services.ts')).toEqual([
      expect.stringMatching(
        /^no-restricted-imports: '@runyard\/services' import is restricted .*The engine never knows/,
      ),
    ])
  })
})

describe('import cycles', () => {
  it('two modules importing each other both fail no-cycle', () => {
    expect(problems('packages/contract/src/cycle-a.ts')).toEqual(['import-x/no-cycle: Dependency cycle detected'])
    expect(problems('packages/contract/src/cycle-b.ts')).toEqual(['import-x/no-cycle: Dependency cycle detected'])
  })

  it('type-only imports are not a cycle', () => {
    expect(problems('packages/contract/src/type-cycle-a.ts')).toEqual([])
    expect(problems('packages/contract/src/type-cycle-b.ts')).toEqual([])
  })
})

it('the repository lint run ignores the fixtures', async () => {
  const eslint = new ESLint({ cwd: ROOT })
  expect(await eslint.isPathIgnored(path.join(FIXTURES, 'packages/contract/src/cycle-a.ts'))).toBe(true)
  expect(await eslint.isPathIgnored(path.join(ROOT, 'packages/contract/src/index.ts'))).toBe(false)
})
