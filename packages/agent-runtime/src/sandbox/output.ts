// Captures one output stream up to a byte cap (head kept), cutting only at UTF-8
// character boundaries, and forwards the kept part to a streaming callback.
import { StringDecoder } from 'node:string_decoder'

export class OutputCapture {
  private readonly chunks: Buffer[] = []
  private size = 0
  private readonly decoder = new StringDecoder('utf8')
  truncated = false

  constructor(
    private readonly maxBytes: number,
    private readonly onChunk?: (chunk: string) => void,
  ) {}

  push(data: Buffer | string): void {
    let buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    if (buf.length === 0) return
    const room = this.maxBytes - this.size
    if (room <= 0) {
      this.truncated = true
      return
    }
    if (buf.length > room) {
      this.truncated = true
      buf = buf.subarray(0, utf8Boundary(buf, room))
    }
    this.chunks.push(buf)
    this.size += buf.length
    const text = this.decoder.write(buf)
    if (text) this.safeCallback(text)
  }

  /** Everything kept so far, decoded. */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }

  /** Flushes a dangling partial character (only possible if the stream ended mid-character). */
  finish(): void {
    const rest = this.decoder.end()
    if (rest) this.safeCallback(rest)
  }

  private safeCallback(text: string): void {
    try {
      this.onChunk?.(text)
    } catch {
      // a throwing listener must not break command execution
    }
  }
}

/** Largest cut <= `limit` that does not split a UTF-8 sequence. */
function utf8Boundary(buf: Buffer, limit: number): number {
  let cut = limit
  // step back over continuation bytes (10xxxxxx) to the lead byte, which is then excluded
  while (cut > 0 && ((buf[cut] ?? 0) & 0xc0) === 0x80) cut--
  return cut
}
