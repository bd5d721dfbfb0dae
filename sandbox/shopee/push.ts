import http from "http"
import https from "https"
import { pushAuthorization, randomHex32 } from "./signing"
import type { SandboxState } from "./state"
import type { SandboxLogger } from "./types"

/** Push codes the sandbox sends ("Push Mechanism" and MARKETPLACE-APIS.md). */
export const PUSH_CODES = {
  ORDER_STATUS: 3,
  TRACKING_NUMBER: 4,
  SHIPPING_DOCUMENT_STATUS: 15,
  RETURN_UPDATE: 29,
} as const

/**
 * Sends Shopee push notifications to the configured callback URL.
 * Body `{ msg_id, data, shop_id, code, timestamp }`, header `Authorization` =
 * hex HMAC-SHA256(push key, callback_url + "|" + raw body). A push counts as delivered only with a
 * 2xx answer (and, as the docs define success, an empty body unless that rule is relaxed); any
 * other outcome lands in the lost-push list served by v2.push.get_lost_push_message.
 * Shopee also retries after ~300 s / 1800 s / 10800 s; the sandbox does not, the lost list is the
 * documented recovery path.
 */
export class PushSender {
  private pending = new Set<Promise<void>>()

  constructor(
    private readonly state: SandboxState,
    private readonly logger: SandboxLogger
  ) {}

  send(code: number, shopId: number, data: Record<string, unknown>): void {
    const url = this.state.callbackUrl
    if (!url) {
      return
    }
    const timestamp = this.state.nowSec()
    const msgId = randomHex32()
    const body = JSON.stringify({ msg_id: msgId, data, shop_id: shopId, code, timestamp })
    const delivery = this.deliver(url, msgId, code, shopId, body, timestamp).finally(() => {
      this.pending.delete(delivery)
    })
    this.pending.add(delivery)
  }

  /** Resolves once every push started so far has been answered or has failed. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending])
    }
  }

  private async deliver(url: string, msgId: string, code: number, shopId: number, body: string, timestamp: number): Promise<void> {
    const started = this.state.nowMs()
    const outcome = await postRaw(url, body, {
      "Content-Type": "application/json",
      Authorization: pushAuthorization(this.state.config.pushKey, url, body),
    }, this.state.config.pushTimeoutMs)
    const twoXx = outcome.status !== null && outcome.status >= 200 && outcome.status < 300
    const bodyOk = !this.state.config.pushRequireEmptyBody || outcome.body.trim() === ""
    const ok = twoXx && bodyOk
    const error = outcome.error ?? (twoXx && !bodyOk ? "non-empty response body" : ok ? undefined : `HTTP ${outcome.status}`)
    this.state.pushes.push({
      msg_id: msgId,
      code,
      shop_id: shopId,
      url,
      body,
      sent_at: started,
      status: outcome.status,
      ok,
      error,
      duration_ms: this.state.nowMs() - started,
    })
    if (!ok) {
      this.state.lostPushes.push({
        message_id: this.state.nextSeq(),
        shop_id: shopId,
        code,
        timestamp,
        data: body,
        consumed: false,
      })
      this.logger.warn?.(`shopee sandbox: push code ${code} for shop ${shopId} failed (${error})`)
    }
  }
}

interface RawOutcome {
  status: number | null
  body: string
  error?: string
}

function postRaw(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<RawOutcome> {
  return new Promise((resolve) => {
    let target: URL
    try {
      target = new URL(url)
    } catch {
      resolve({ status: null, body: "", error: "invalid callback url" })
      return
    }
    const client = target.protocol === "https:" ? https : http
    const request = client.request(
      target,
      { method: "POST", headers: { ...headers, "Content-Length": Buffer.byteLength(body) }, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = []
        response.on("data", (chunk: Buffer) => chunks.push(chunk))
        response.on("end", () => resolve({ status: response.statusCode ?? null, body: Buffer.concat(chunks).toString("utf8") }))
        response.on("error", (err) => resolve({ status: response.statusCode ?? null, body: "", error: err.message }))
      }
    )
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    request.on("error", (err) => resolve({ status: null, body: "", error: err.message }))
    request.end(body)
  })
}
