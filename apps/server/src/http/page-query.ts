// The query parameters of a paged list: how many items a page holds, and where the previous page
// ended (its `nextCursor`).
import { z } from 'zod'

/** `?limit=`: 1 to `max` items per page; `description` says what the default is. */
export const pageLimit = (max: number, description: string) =>
  z.coerce.number().int().min(1).max(max).optional().meta({ description })

/** The cursor parameter: the `nextCursor` of the previous page, an id of the listed kind. */
export const pageCursor = <Id extends z.ZodType>(id: Id) =>
  id.optional().meta({ description: 'The `nextCursor` of the previous page.' })
