// API keys and organisation members over REST, for services that do not speak tRPC. The same
// operations as the console's (tRPC `keys.*`), in the REST error shape.
import { Account, AccountId, ApiKey, ApiKeyId, CreatedApiKey } from '@runyard/contract'
import { z } from 'zod'
import { operations, routeGroup } from '../../http/route.ts'
import { rest } from '../../http/error-shapes.ts'
import type { Services } from '@runyard/services'

export const KeyList = z.object({ keys: z.array(ApiKey) }).meta({ id: 'KeyList' })
export const CreateKeyRequest = z
  .object({
    name: z.string().trim().min(1, 'name must not be blank').max(100),
    expiresAt: z.iso
      .datetime({ offset: true })
      .refine((v) => Date.parse(v) > Date.now(), 'expiresAt must be in the future')
      .optional()
      .meta({ description: 'When the key stops working (ISO 8601); never when omitted.' }),
  })
  .meta({ id: 'CreateKeyRequest' })
export const MemberList = z.object({ members: z.array(Account) }).meta({ id: 'MemberList' })
export const CreateMemberRequest = z
  .object({ name: z.string().trim().min(1, 'name must not be blank').max(200) })
  .meta({ id: 'CreateMemberRequest' })

const keyIdParam = z.object({ keyId: ApiKeyId })
const tags = ['Keys']

const route = routeGroup({ tags, surface: rest, auth: true, errors: [403] })

export function keyRoutes(s: Services) {
  return operations({
    listKeys: route.get('/api/keys', {
      summary: "List the account's API keys",
      description:
        "Personal and org keys of the caller's account, newest first: never their secrets, never run keys. Run keys get 403.",
      responses: { 200: { description: 'The keys', schema: KeyList } },
      handler: async ({ auth }) => ({ status: 200, body: { keys: await s.auth.listKeys(auth) } }),
    }),
    createKey: route.post('/api/keys', {
      summary: 'Create an API key',
      description:
        "A new personal key of the caller's account. The secret is in this response only; only its hash is stored.",
      body: CreateKeyRequest,
      responses: { 201: { description: 'The key and its secret (shown once)', schema: CreatedApiKey } },
      handler: async ({ auth, body }) => ({
        status: 201,
        body: await s.auth.createKey(auth, {
          name: body.name,
          ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {}),
        }),
      }),
    }),
    revokeKey: route.post('/api/keys/{keyId}/revoke', {
      summary: 'Revoke an API key',
      description: 'The key stops working at once, on every server process. Idempotent.',
      params: keyIdParam,
      responses: { 200: { description: 'The revoked key', schema: ApiKey } },
      errors: [404],
      handler: async ({ auth, params }) => ({ status: 200, body: await s.auth.revokeKey(auth, params.keyId) }),
    }),
    listOrgMembers: route.get('/api/org/members', {
      summary: "List the organisation's member accounts",
      description: 'Org keys only (403 otherwise): the accounts an org key may act for by sending `accountId`.',
      responses: { 200: { description: 'The members', schema: MemberList } },
      handler: async ({ auth }) => ({ status: 200, body: { members: await s.orgMembers.list(auth) } }),
    }),
    createOrgMember: route.post('/api/org/members', {
      summary: 'Create a member account',
      description:
        'Org keys only: a new personal account in the organisation. Existing accounts are put into an org by the operator (`runyard accounts add-member`), never by a key.',
      body: CreateMemberRequest,
      responses: { 201: { description: 'The new member', schema: Account } },
      handler: async ({ auth, body }) => ({ status: 201, body: await s.orgMembers.create(auth, body.name) }),
    }),
    removeOrgMember: route.delete('/api/org/members/{accountId}', {
      summary: 'Remove a member from the organisation',
      description: 'Org keys only: the org can no longer act for the account. The account and its data stay.',
      params: z.object({ accountId: AccountId }),
      responses: { 200: { description: 'The former member', schema: Account } },
      errors: [404],
      handler: async ({ auth, params }) => ({ status: 200, body: await s.orgMembers.remove(auth, params.accountId) }),
    }),
  })
}
