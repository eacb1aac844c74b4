// Types several engine modules share. They live here, apart from any module's code, so that two
// modules never import each other only because one of them declares a type the other needs.
import type pg from 'pg'

/** Anything that runs one statement: a pool, or a connection (e.g. inside a transaction). */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>

/** What the engine needs of a pool: single statements, and connections for transactions. */
export type DbPool = Pick<pg.Pool, 'query' | 'connect'>

/** Where the engine reports what happens: an object, then a message (as pino takes them). */
export type Logger = {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

/** A stored event as the log holds it: `data` is the event's JSON text, exactly as written. */
export interface EventRow {
  seq: number
  type: string
  data: string
  createdAt: Date
}
