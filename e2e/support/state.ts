// Shared between the e2e server (serve.ts) and the specs: where the server writes its keys.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const STATE_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.state/keys.json')

export interface E2eAccount {
  accountId: string
  key: string
}

export interface E2eState {
  url: string
  /** A small project directory sessions can use as their workspace. */
  workspace: string
  /** Where the stock `useChat` page (e2e/use-chat-app) is served: an origin other than `url`'s. */
  useChatAppOrigin: string
  /** The port on 127.0.0.1 webhook endpoints may name (the server allows that host:port only). */
  webhookReceiverPort: number
  accounts: { a: E2eAccount; b: E2eAccount }
}
