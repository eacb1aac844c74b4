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
 * Upserts a chat's messages in one statement (a run saves its input and every step's message, so
 * this is on the hot path): known ids are updated in place (metadata kept unless a new one is
 * given), new ones appended after the chat's last position in array order, and the chat's
 * updatedAt is bumped. $1 chat id, $2 JSON array of distinct messages, $3 run id of new rows.
 */
const SAVE_MESSAGES = `
WITH input AS (
  SELECT m->>'id' AS id, m->>'role' AS role, m->'parts' AS parts, m->'metadata' AS metadata, n
  FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(m, n)
), updated AS (
  UPDATE "Message" msg SET role = i.role, parts = i.parts, metadata = COALESCE(i.metadata, msg.metadata)
  FROM input i WHERE msg."chatId" = $1 AND msg.id = i.id
  RETURNING msg.id
), created AS (
  INSERT INTO "Message" ("chatId", id, position, "runId", role, parts, metadata)
  SELECT $1, i.id, (SELECT COALESCE(max(position), -1) FROM "Message" WHERE "chatId" = $1) + row_number() OVER (ORDER BY i.n), $3, i.role, i.parts, i.metadata
  FROM input i WHERE NOT EXISTS (SELECT 1 FROM "Message" msg WHERE msg."chatId" = $1 AND msg.id = i.id)
  RETURNING id
), chat AS (
  UPDATE "Chat" SET "updatedAt" = now() WHERE id = $1
)
SELECT (SELECT count(*) FROM updated)::int AS updated, (SELECT count(*) FROM created)::int AS created`
const SAVE_MESSAGES_PREPARED = prepared(SAVE_MESSAGES)

/** The statement's parameters; a message repeated in the array is merged into its first occurrence (last data wins). */
function saveMessagesParams(chatId: string, messages: UIMessage[], runId: string | undefined): unknown[] {
  const merged = new Map<string, { id: string; role: string; parts: unknown; metadata?: unknown }>()
  for (const m of messages) {
    const metadata = m.metadata ?? merged.get(m.id)?.metadata
    merged.set(m.id, { id: m.id, role: m.role, parts: m.parts, ...(metadata === undefined || metadata === null ? {} : { metadata }) })
  }
  return [chatId, storableJson([...merged.values()]), runId ?? null]
}

/** Upserts messages by id (ids are scoped to the chat); new ones are appended in array order. */
export async function saveChatMessages(prisma: PrismaClient, chatId: string, messages: UIMessage[], runId?: string): Promise<void> {
  if (!messages.length) return
  await prisma.$queryRawUnsafe(SAVE_MESSAGES, ...saveMessagesParams(chatId, messages, runId))
}

/** saveChatMessages on a pg connection (the worker's pool). */
export async function saveChatMessagesOn(client: Queryable, chatId: string, messages: UIMessage[], runId?: string): Promise<void> {
  if (!messages.length) return
  await client.query({ ...SAVE_MESSAGES_PREPARED, values: saveMessagesParams(chatId, messages, runId) })
}
