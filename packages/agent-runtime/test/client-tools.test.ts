// The pieces of a run's client-side tools: AI SDK tools without `execute` (a call to one ends the
// loop, pending), the tool choice in the AI SDK's terms, and the download hook that fetches input
// files for models that cannot, under the `fetch` tool's address policy.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientToolSet, guardedDownload, parallelToolCallOptions, toolChoiceOf } from '../src/agent/client-tools.ts'
import { DEFAULT_FETCH_POLICY } from '../src/index.ts'

let server: http.Server
let url = ''
const hits: string[] = []
beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '')
    res.writeHead(200, { 'content-type': 'image/png; charset=binary' })
    res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cat.png`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('client tools', () => {
  it('become AI SDK tools without execute, with their JSON Schema', () => {
    const set = clientToolSet([
      {
        name: 'get_weather',
        description: 'weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
        strict: true,
      },
    ])
    expect(Object.keys(set)).toEqual(['get_weather'])
    expect(set.get_weather!.execute).toBeUndefined()
    expect(set.get_weather!.description).toBe('weather')
    expect(clientToolSet(undefined)).toEqual({})
  })

  it("tool choice and parallel calls in the AI SDK's terms", () => {
    expect(toolChoiceOf({})).toBeUndefined()
    expect(toolChoiceOf({ toolChoice: 'required' })).toBe('required')
    expect(toolChoiceOf({ toolChoice: { tool: 'get_weather' } })).toEqual({ type: 'tool', toolName: 'get_weather' })
    expect(parallelToolCallOptions({})).toBeUndefined()
    expect(parallelToolCallOptions({ parallelToolCalls: false })).toEqual({
      openai: { parallelToolCalls: false },
      openaiCompatible: { parallelToolCalls: false },
    })
  })
})

describe('guardedDownload', () => {
  it('passes on what the model fetches itself, and refuses a private address for the rest without connecting', async () => {
    const download = guardedDownload(DEFAULT_FETCH_POLICY)
    expect(await download([{ url: new URL(url), isUrlSupportedByModel: true }])).toEqual([null])
    await expect(download([{ url: new URL(url), isUrlSupportedByModel: false }])).rejects.toThrow(
      /loopback|private|refus/i,
    )
    await expect(
      download([{ url: new URL('http://[::ffff:127.0.0.1]/x.png'), isUrlSupportedByModel: false }]),
    ).rejects.toThrow()
    expect(hits).toEqual([])
  })

  it('fetches an allowed URL with its media type', async () => {
    const download = guardedDownload({ ...DEFAULT_FETCH_POLICY, allowPrivate: true })
    const [file] = await download([{ url: new URL(url), isUrlSupportedByModel: false }])
    expect(file).toEqual({ data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), mediaType: 'image/png' })
    expect(hits).toEqual(['/cat.png'])
  })
})
