// ESLint for the whole repository: `pnpm lint`, and the `lint` suite of `npm test`.
//
//   product code  apps/*/src, packages/*/src (the testkit excepted), packages/*/scripts:
//                 @eslint/js recommended + typescript-eslint recommendedTypeChecked (types from
//                 each package's tsconfig.json), no `any`, no import cycles, the layer boundaries.
//   tests         test/ folders, packages/testkit (test doubles), e2e/, bench/, *.config.ts: the
//                 same rules less the ones in TEST_RELAXED.
//   plain JS      *.mjs (scripts/, apps/server/bin, bench/lib): @eslint/js recommended, Node globals.
//
// Layout is Prettier's job (.prettierrc.json, `pnpm format`): no rule here is about it.
// scripts/lint.test.ts lints the files in scripts/lint-fixtures/ with this config to show that the
// boundary and cycle rules report what they should.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const ROOT = import.meta.dirname
const TS = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts']
const JS = ['**/*.js', '**/*.mjs', '**/*.cjs']
const TESTS = [
  '**/test/**',
  '**/*.test.ts',
  '**/*.spec.ts',
  'packages/testkit/**',
  'e2e/**',
  'bench/**',
  '**/*.config.ts',
]

// ── Layer boundaries (README "How the code is organised"): surface → service → engine ─────────
// By name with no-restricted-imports (whether or not the package is a dependency), and by
// resolved path with import-x/no-restricted-paths (relative imports reaching into another package).
const SURFACES = ['apps/server/src/surfaces/**', 'packages/api/**']
const SURFACE_MESSAGE =
  'Surface adapters receive services only: use @runyard/services, not @runyard/engine or @runyard/db (README "How the code is organised").'
const SERVICES = ['packages/services/**']
const SERVICE_MESSAGE =
  'Services know nothing of HTTP: no express, cors, node:http(s), tRPC or apps/ imports in packages/services (surfaces map AppError to their own shapes).'
const ENGINE = ['packages/engine/**']
const ENGINE_MESSAGE =
  'The engine never knows which surface started a run: no imports from apps/, @runyard/services or @runyard/api.'

const restrict = (regex, message) => ['error', { patterns: [{ regex, message }] }]

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.runyard/**',
      '**/.turbo/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
      // Generated (each has a drift check): edited only by their generators.
      'packages/db/src/generated/**',
      'packages/client/src/rest-types.ts',
      // Files that break the rules on purpose; scripts/lint.test.ts lints them itself.
      'scripts/lint-fixtures/**',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  {
    rules: {
      // `catch {}` marks a best-effort step (a settings file that may be missing, a kill that may
      // find nothing); a comment in every one would say only that.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // A `let` read by a closure made before its one assignment (late binding) stays a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // New in ESLint 10's recommended set. Off: the code rethrows caught errors as readable
      // messages on purpose, and tool-output.ts must not attach the original (it is the text the
      // secret redaction just scrubbed) as `cause`.
      'preserve-caught-error': 'off',
    },
  },

  // ── TypeScript, with type information ────────────────────────────────────────────────────────
  {
    files: TS,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // Each file is typed by its nearest tsconfig.json (its package's; e2e/tsconfig.json).
        // Root config files and scripts/*.ts belong to no package: tsconfig.base.json's options.
        projectService: { allowDefaultProject: ['*.config.ts', 'scripts/*.ts'], defaultProject: 'tsconfig.base.json' },
        tsconfigRootDir: ROOT,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts', '.cts'] },
      // Workspace packages resolve through their node_modules links to their src/ (real paths).
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.mts', '.cts', '.mjs', '.js', '.json'],
          conditionNames: ['import', 'default'],
        }),
      ],
    },
    rules: {
      // Runtime cycles between our own modules (type-only imports do not count; node_modules is
      // not walked, which keeps the rule at seconds rather than minutes).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: ROOT,
          zones: [
            {
              target: ['apps/server/src/surfaces', 'packages/api'],
              from: ['packages/engine', 'packages/db'],
              message: SURFACE_MESSAGE,
            },
            { target: 'packages/services', from: ['apps', 'packages/api'], message: SERVICE_MESSAGE },
            { target: 'packages/engine', from: ['apps', 'packages/services', 'packages/api'], message: ENGINE_MESSAGE },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: the code declares callbacks with method shorthand (`onStdout?(chunk)`, `retry()`) and
      // passes them on as values (they are arrow functions at runtime), and statement-slots.ts /
      // queue.ts take pg's prototype methods on purpose to re-apply them: every hit (18) was one
      // of these.
      '@typescript-eslint/unbound-method': 'off',
      // Off: `async` methods without `await` implement Promise-returning interfaces (sandboxes,
      // tools, the demo model) so that a throw becomes a rejection; dropping `async` would change
      // that, and adding an `await` only to please the rule says nothing.
      '@typescript-eslint/require-await': 'off',
      // Passing on a rejection reason we were handed (`signal.reason`, a callback's `err`) is fine;
      // rejecting with a literal non-Error is still reported.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
    },
  },

  // ── Plain JavaScript: Node scripts, no type information ──────────────────────────────────────
  { files: JS, languageOptions: { globals: { ...globals.node } } },

  // ── Tests and test doubles ──────────────────────────────────────────────────────────────────
  {
    files: TESTS,
    rules: {
      // Tests poke at untyped JSON bodies, SDK internals and mocks: `any` is how they say "whatever
      // the server sent". Product code keeps all of these (and no `any` in exported types).
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Playwright fixtures must destructure their first argument, even when they use nothing.
      'no-empty-pattern': 'off',
    },
  },

  // ── Layer boundaries by name ────────────────────────────────────────────────────────────────
  {
    files: SURFACES,
    rules: { 'no-restricted-imports': restrict('^@runyard/(engine|db)(/|$)|/packages/(engine|db)/', SURFACE_MESSAGE) },
  },
  {
    files: SERVICES,
    rules: {
      'no-restricted-imports': restrict(
        '^(node:)?(http|https|http2)$|^(express|cors|pino-http|undici)(/|$)|^@trpc/|^@runyard/(api|server)(/|$)|/apps/',
        SERVICE_MESSAGE,
      ),
    },
  },
  {
    files: ENGINE,
    rules: {
      'no-restricted-imports': restrict(
        '^@runyard/(services|api|server|console)(/|$)|/apps/|/packages/(services|api)/',
        ENGINE_MESSAGE,
      ),
    },
  },
)
