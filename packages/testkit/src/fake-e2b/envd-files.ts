// envd's plain-HTTP file API: `GET /files` (download) and `POST /files` (multipart or raw upload).
import type { IncomingMessage, ServerResponse } from 'node:http'
import fs from 'node:fs/promises'
import path from 'node:path'
import zlib from 'node:zlib'
import { readBody, sendJson } from './http-util.ts'
import type { FakeSandbox } from './sandbox-state.ts'

function fileError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { code: status, message })
}

async function writeOne(
  sbx: FakeSandbox,
  user: string,
  sandboxPath: string,
  data: Buffer,
): Promise<Record<string, unknown>> {
  const hostPath = sbx.hostPath(sandboxPath, user)
  await fs.mkdir(path.dirname(hostPath), { recursive: true })
  await fs.writeFile(hostPath, data)
  return { name: path.basename(hostPath), type: 'file', path: sbx.sandboxPath(hostPath) }
}

export async function handleFiles(
  sbx: FakeSandbox,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const user = url.searchParams.get('username') || 'user'
  const queryPath = url.searchParams.get('path')

  if (req.method === 'GET') {
    if (!queryPath) return fileError(res, 400, 'path is required')
    const hostPath = sbx.hostPath(queryPath, user)
    let data: Buffer
    try {
      data = await fs.readFile(hostPath)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return fileError(res, 404, `path '${queryPath}' does not exist`)
      if (code === 'EISDIR') return fileError(res, 400, `path '${queryPath}' is a directory`)
      throw e
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length })
    res.end(data)
    return
  }

  if (req.method !== 'POST') return fileError(res, 405, `${req.method} /files is not supported`)
  const contentType = req.headers['content-type'] ?? ''
  let body = await readBody(req)
  if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body)
  const written: Record<string, unknown>[] = []

  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/files', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Uint8Array(body),
    }).formData()
    const parts = form.getAll('file')
    for (const part of parts) {
      if (typeof part === 'string') continue
      // one part => the query path wins; several parts => each filename carries its path
      const target = parts.length === 1 && queryPath ? queryPath : part.name
      if (!target) return fileError(res, 400, 'no path for uploaded file')
      written.push(await writeOne(sbx, user, target, Buffer.from(await part.arrayBuffer())))
    }
  } else {
    if (!queryPath) return fileError(res, 400, 'path is required for octet-stream uploads')
    written.push(await writeOne(sbx, user, queryPath, body))
  }
  if (written.length === 0) return fileError(res, 400, 'no files in upload')
  sendJson(res, 200, written)
}
