// Schema, constraints and migrations on the embedded PostgreSQL of the global setup.
import { describe } from 'vitest'
import { schemaSuite } from './support/schema-suite.ts'

describe('db on the embedded PostgreSQL', () => schemaSuite(() => undefined))
