// The chat transcript: AI SDK UIMessages, one row per message, in transcript order.
import { storableJson, type UIMessage } from '@runyard/contract'
import type { Prisma, PrismaClient } from '@runyard/db'
import type { Queryable } from './types.ts'
import { prepared } from './prepared.ts'

type Client = PrismaClient | Prisma.TransactionClient

export async function loadChatMessages(prisma: Client, chatId: string): Promise<UIMessage[]> {
  const rows = await prisma.message.findMany({ where: { chatId }, orderBy: { position: 'asc' } })
  return rows.map((r) => ({
    id: r.id,
    role: r.role as UIMessage['role'],
    parts: r.parts as UIMessage['parts'],
    ...(r.metadata === null ? {} : { metadata: r.metadata }),
  }))
}

/**
 * Data-modifying CTEs (names `msg_…`) upserting a chat's messages, so that a statement with other
 * work (the worker's claim saves the run's input) does it without a round trip of its own: known
 * ids are updated in place (metadata kept unless a new one is given), new ones appended after the
 * chat's last position in array order, and the chat's updatedAt is bumped. A message repeated in
 * the array is merged into its first occurrence: the last role and parts, the last metadata given.
 * `messages` is an SQL expression for the JSON array of UIMessages, `chatId` and `runId` (the run
 * new rows are credited to) SQL expressions over `from` (the rows to save for: none, nothing saved).
 * Rows of `from` may be of different chats (the batched claim, claims.ts): ids, merging and
 * positions are per chat; at most one row per chat.
 * Chats and messages are found by key only (`= ANY` of the statement's chat ids, a probe per
 * message): the planner, guessing 100 messages per JSON array, hash-joined them with a scan of
 * every chat and every message stored, a cost growing with the database (docs/benchmarks.md,
 * "fourth pass").
 */
export function upsertMessagesCtes(o: { messages: string; chatId: string; runId: string; from?: string }): string {
  return `msg_in AS (
  SELECT e.m, e.n, ${o.chatId} AS chat_id, ${o.runId} AS run_id
  FROM ${o.from ? `${o.from}, ` : ''}jsonb_array_elements(COALESCE(${o.messages}, '[]'::jsonb)) WITH ORDINALITY AS e(m, n)
), msg_input AS (
  SELECT DISTINCT ON (i.chat_id, i.m->>'id') i.m->>'id' AS id, i.m->>'role' AS role, i.m->'parts' AS parts, i.chat_id, i.run_id,
    (SELECT x.m->'metadata' FROM msg_in x WHERE x.chat_id = i.chat_id AND x.m->>'id' = i.m->>'id' AND jsonb_typeof(x.m->'metadata') <> 'null' ORDER BY x.n DESC LIMIT 1) AS metadata,
    min(i.n) OVER (PARTITION BY i.chat_id, i.m->>'id') AS first_n
  FROM msg_in i ORDER BY i.chat_id, i.m->>'id', i.n DESC
), msg_updated AS (
  UPDATE "Message" msg SET role = i.role, parts = i.parts, metadata = COALESCE(i.metadata, msg.metadata)
  FROM msg_input i WHERE msg."chatId" = ANY (ARRAY(SELECT chat_id FROM msg_input)) AND msg."chatId" = i.chat_id AND msg.id = i.id
  RETURNING msg.id
), msg_created AS (
  INSERT INTO "Message" ("chatId", id, position, "runId", role, parts, metadata)
  SELECT i.chat_id, i.id, (SELECT COALESCE(max(position), -1) FROM "Message" WHERE "chatId" = i.chat_id) + row_number() OVER (PARTITION BY i.chat_id ORDER BY i.first_n), i.run_id, i.role, i.parts, i.metadata
  FROM msg_input i WHERE NOT EXISTS (SELECT 1 FROM "Message" msg WHERE msg."chatId" = i.chat_id AND msg.id = i.id OFFSET 0)
  RETURNING id
), msg_chat AS (
  UPDATE "Chat" SET "updatedAt" = now() WHERE id = ANY (ARRAY(SELECT chat_id FROM msg_in))
)`
}

/** Upserts a chat's messages in one statement (a run saves every step's message: the hot path). $1 chat id, $2 JSON array, $3 run id of new rows. */
const SAVE_MESSAGES = `
WITH ${upsertMessagesCtes({ messages: '$2::jsonb', chatId: '$1::text', runId: '$3::text' })}
SELECT (SELECT count(*) FROM msg_updated)::int AS updated, (SELECT count(*) FROM msg_created)::int AS created`
const SAVE_MESSAGES_PREPARED = prepared(SAVE_MESSAGES)

/** The statement's parameters (repeated ids are merged by the statement). */
const saveMessagesParams = (chatId: string, messages: UIMessage[], runId: string | undefined): unknown[] => [
  chatId,
  storableJson(messages),
  runId ?? null,
]

/** Upserts messages by id (ids are scoped to the chat); new ones are appended in array order. */
export async function saveChatMessages(
  prisma: PrismaClient,
  chatId: string,
  messages: UIMessage[],
  runId?: string,
): Promise<void> {
  if (!messages.length) return
  await prisma.$queryRawUnsafe(SAVE_MESSAGES, ...saveMessagesParams(chatId, messages, runId))
}

/** saveChatMessages on a pg connection (the worker's pool). */
export async function saveChatMessagesOn(
  client: Queryable,
  chatId: string,
  messages: UIMessage[],
  runId?: string,
): Promise<void> {
  if (!messages.length) return
  await client.query({ ...SAVE_MESSAGES_PREPARED, values: saveMessagesParams(chatId, messages, runId) })
}
