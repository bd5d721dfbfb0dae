import http from "http"
import https from "https"
import { randomHex32 } from "./ids"
import type { SandboxStore } from "./state"
import type { SandboxLogger, ScheduledRedelivery, ShopKey } from "./types"

/** How one platform sends its push notifications; the kit does the delivery, bookkeeping and retries. */
export interface PushProfile {
  /** Name used in log lines, e.g. "shopee sandbox". */
  label: string
  /** The raw body the platform sends for one message. */
  envelope(message: { msgId: string; code: number | string; shopId: ShopKey; data: Record<string, unknown>; timestamp: number }): string
  /** Headers that authenticate `body` sent to `url` (the platform's push signature). */
  sign(url: string, body: string): Record<string, string>
  /**
   * Seconds after a failed attempt before the next one, one entry per re-delivery (Shopee: about
   * 300, 1800, 10800). Empty: a failed push is never re-sent.
   */
  redeliverySeconds: readonly number[]
  /** Whether success also needs an empty answer body (Shopee's definition), not only a 2xx. */
  requireEmptyBody: boolean
  timeoutMs: number
}

/** Real-time period at which due re-deliveries are looked for; the due time itself is on the sandbox clock. */
const REDELIVERY_POLL_MS = 1000

interface Delivery {
  msg_id: string
  code: number | string
  shop_id: ShopKey
  body: string
  timestamp: number
  attempt: number
}

/**
 * Sends push notifications to the configured callback URL. A push counts as delivered only with a
 * 2xx answer (and an empty body when the platform says so); the first failure of a message lands in
 * the lost-push list (the platforms' documented recovery path) and the message is sent again on the
 * platform's re-delivery schedule until it succeeds or the schedule ends.
 */
export class PushDelivery {
  private pending = new Set<Promise<void>>()
  private timer: NodeJS.Timeout | undefined
  private closed = false

  constructor(
    private readonly state: SandboxStore,
    private readonly profile: PushProfile,
    private readonly logger: SandboxLogger
  ) {}

  get redeliverySeconds(): readonly number[] {
    return this.profile.redeliverySeconds
  }

  send(code: number | string, shopId: ShopKey, data: Record<string, unknown>): void {
    if (!this.state.callbackUrl) return
    const timestamp = this.state.nowSec()
    const msgId = randomHex32()
    const body = this.profile.envelope({ msgId, code, shopId, data, timestamp })
    this.track({ msg_id: msgId, code, shop_id: shopId, body, timestamp, attempt: 1 })
  }

  /** Sends every re-delivery that is due by the sandbox clock; returns how many were sent. */
  redeliverDue(): number {
    const now = this.state.nowMs()
    const due = this.state.redeliveries.filter((r) => r.due_at <= now)
    if (due.length === 0) return 0
    this.state.redeliveries = this.state.redeliveries.filter((r) => r.due_at > now)
    for (const r of due) {
      this.track({ msg_id: r.msg_id, code: r.code, shop_id: r.shop_id, body: r.body, timestamp: Math.floor(r.due_at / 1000), attempt: r.attempt })
    }
    this.disarmWhenIdle()
    return due.length
  }

  /** Resolves once every push started so far has been answered or has failed. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending])
    }
  }

  /** Stops the re-delivery timer; pushes already on their way still finish. */
  close(): void {
    this.closed = true
    this.disarm()
  }

  /** Forgets scheduled re-deliveries (the store's reset clears the list itself). */
  cancelRedeliveries(): void {
    this.state.redeliveries = []
    this.disarm()
  }

  private track(delivery: Delivery): void {
    const url = this.state.callbackUrl
    // The callback was removed since the first attempt: nobody to re-deliver to.
    if (!url) return
    const attempt = this.deliver(url, delivery).finally(() => {
      this.pending.delete(attempt)
    })
    this.pending.add(attempt)
  }

  private async deliver(url: string, d: Delivery): Promise<void> {
    const started = this.state.nowMs()
    const outcome = await postRaw(url, d.body, { "Content-Type": "application/json", ...this.profile.sign(url, d.body) }, this.profile.timeoutMs)
    const twoXx = outcome.status !== null && outcome.status >= 200 && outcome.status < 300
    const bodyOk = !this.profile.requireEmptyBody || outcome.body.trim() === ""
    const ok = twoXx && bodyOk
    const error = outcome.error ?? (twoXx && !bodyOk ? "non-empty response body" : ok ? undefined : `HTTP ${outcome.status}`)
    this.state.pushes.push({
      msg_id: d.msg_id,
      code: d.code,
      shop_id: d.shop_id,
      url,
      body: d.body,
      sent_at: started,
      attempt: d.attempt,
      status: outcome.status,
      ok,
      error,
      duration_ms: this.state.nowMs() - started,
    })
    if (ok) return
    if (d.attempt === 1) {
      this.state.lostPushes.push({
        message_id: this.state.nextSeq(),
        shop_id: d.shop_id,
        code: d.code,
        timestamp: d.timestamp,
        data: d.body,
        consumed: false,
      })
    }
    const delay = this.profile.redeliverySeconds[d.attempt - 1]
    if (delay !== undefined) this.schedule({ msg_id: d.msg_id, code: d.code, shop_id: d.shop_id, url, body: d.body, attempt: d.attempt + 1, due_at: started + delay * 1000 })
    this.logger.warn?.(
      `${this.profile.label}: push code ${d.code} for shop ${d.shop_id} failed (${error})${delay === undefined ? "" : `, next attempt in ${delay} s`}`
    )
  }

  private schedule(redelivery: ScheduledRedelivery): void {
    this.state.redeliveries.push(redelivery)
    if (this.timer || this.closed) return
    this.timer = setInterval(() => this.redeliverDue(), REDELIVERY_POLL_MS)
    // A waiting re-delivery must not keep a test or a CLI process alive on its own.
    this.timer.unref()
  }

  private disarmWhenIdle(): void {
    if (this.state.redeliveries.length === 0) this.disarm()
  }

  private disarm(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
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
