import type { IncomingMessage, ServerResponse } from "http"

/** Request/response plumbing shared by the API and control doors. */

const MAX_BODY_BYTES = 2 * 1024 * 1024

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })
}

/** Parsed JSON, or `undefined` for an empty body; throws SyntaxError on malformed JSON. */
export function parseJson(raw: string): unknown {
  return raw.trim() === "" ? undefined : JSON.parse(raw)
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body)
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(payload), ...headers })
  res.end(payload)
}

export function sendRaw(res: ServerResponse, status: number, contentType: string, body: Buffer | string, headers: Record<string, string> = {}): void {
  const buffer = typeof body === "string" ? Buffer.from(body, "utf8") : body
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": buffer.length, ...headers })
  res.end(buffer)
}

/** Query as recorded in the call log: the platform's secret parameters masked. */
export function maskedQuery(query: URLSearchParams, secrets: ReadonlySet<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key).map((v) => (secrets.has(key) ? "***" : v))
    out[key] = values.length === 1 ? values[0] : values
  }
  return out
}

export function maskedBody(body: unknown, secrets: ReadonlySet<string>): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body)) {
    out[key] = secrets.has(key) ? "***" : value
  }
  return out
}
