import type { Readable } from "stream"

/** Why a webhook body was not read: too large (413) or the connection broke off (400). */
export class WebhookBodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string
  ) {
    super(message)
    this.name = "WebhookBodyError"
  }
}

/**
 * Reads a request body as raw bytes, whatever its content type, refusing it past `limitBytes`. The webhook
 * route reads its own body (no body parser runs on it): signatures cover the exact bytes, and nothing the
 * sender chose (content type, JSON depth) is parsed before the signature is checked.
 */
export async function readRawBody(stream: Readable, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  return await new Promise<Buffer>((resolve, reject) => {
    const fail = (error: WebhookBodyError) => {
      stream.removeAllListeners("data")
      // Keep reading (and dropping) the rest, so the answer can still be sent on this connection.
      stream.resume()
      reject(error)
    }
    stream.on("data", (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk
      size += buffer.length
      if (size > limitBytes) {
        fail(new WebhookBodyError(413, `The webhook body is larger than ${limitBytes} bytes`))
        return
      }
      chunks.push(buffer)
    })
    stream.once("end", () => resolve(Buffer.concat(chunks)))
    stream.once("error", () => fail(new WebhookBodyError(400, "The webhook body could not be read")))
  })
}

const OPEN_OBJECT = 0x7b
const OPEN_ARRAY = 0x5b
const CLOSE_OBJECT = 0x7d
const CLOSE_ARRAY = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * Whether a JSON text nests objects and arrays deeper than `maxDepth`, found by one scan of the bytes (strings
 * skipped) without parsing: parsers and serializers recurse, and a body nested some thousand levels deep
 * overflows the stack. Malformed text is left for the parser to refuse.
 */
export function jsonNestsDeeperThan(raw: Buffer, maxDepth: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]
    if (inString) {
      if (byte === BACKSLASH) i++
      else if (byte === QUOTE) inString = false
      continue
    }
    if (byte === QUOTE) inString = true
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > maxDepth) return true
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--
  }
  return false
}
