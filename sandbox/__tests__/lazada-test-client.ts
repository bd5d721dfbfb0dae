import axios from "axios"
import crypto from "crypto"
import { seedDemoAccount, startLazadaSandbox, type LazadaSandbox } from "../lazada/server"

/**
 * Test-only Lazada client. Signatures are computed here from the docs (docId 108068), never with the sandbox's own
 * signing module: sorted parameters as name+value after the API path, HMAC-SHA256 keyed by the app secret, upper hex.
 */
export const APP_KEY = "123456"
export const APP_SECRET = "helloworld"

export function sign(secret: string, apiPath: string, params: Record<string, string>): string {
  const base = apiPath + Object.keys(params).filter((k) => params[k] !== "").sort().map((k) => k + params[k]).join("")
  return crypto.createHmac("sha256", secret).update(base).digest("hex").toUpperCase()
}

export interface Harness {
  sandbox: LazadaSandbox
  clock: { now: number }
  /** A signed call: `host` is "auth" or a country; `apiPath` as the docs name it. */
  call(host: string, apiPath: string, params: Record<string, string>, options?: { secret?: string; token?: string | null; method?: "GET" | "POST"; timestamp?: number }): Promise<{ status: number; body: Record<string, unknown> }>
  /** Authorizes the demo account; returns its access and refresh tokens. */
  authorizeDemo(): Promise<{ access_token: string; refresh_token: string; body: Record<string, unknown> }>
  close(): Promise<void>
}

export async function startHarness(options: { redeliverySeconds?: readonly number[] } = {}): Promise<Harness> {
  const clock = { now: Date.UTC(2025, 5, 1, 12, 0, 0) }
  const sandbox = await startLazadaSandbox({ appKey: APP_KEY, appSecret: APP_SECRET, now: () => clock.now, seed: 3, ...options })
  const call: Harness["call"] = async (host, apiPath, params, o = {}) => {
    const all: Record<string, string> = { ...params, app_key: APP_KEY, timestamp: String(o.timestamp ?? clock.now), sign_method: "sha256" }
    if (o.token) all.access_token = o.token
    all.sign = sign(o.secret ?? APP_SECRET, apiPath, all)
    const url = `${sandbox.url}/lazada/${host}/rest${apiPath}`
    const answer = await axios.request({ method: o.method ?? "GET", url, params: all, validateStatus: () => true })
    return { status: answer.status, body: answer.data as Record<string, unknown> }
  }
  const harness: Harness = {
    sandbox,
    clock,
    call,
    async authorizeDemo() {
      if (sandbox.core.state.accounts.size === 0) seedDemoAccount(sandbox)
      const code = sandbox.core.issueCode("demo-seller@lazada.sandbox")
      const { body } = await call("auth", "/auth/token/create", { code }, { method: "POST" })
      return { access_token: String(body.access_token), refresh_token: String(body.refresh_token), body }
    },
    close: () => sandbox.close(),
  }
  return harness
}
