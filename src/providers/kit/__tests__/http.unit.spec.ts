import { createServer, IncomingMessage, Server, ServerResponse } from "http"
import { AddressInfo } from "net"
import { errorKindForStatus, MarketplaceErrorKind, PlatformError, PlatformErrorExtra } from "../errors"
import { HttpAnswer, SignedHttp } from "../http"
import { MemoryRateLimitStore, RateLimiter, RateLimitStore } from "../rate-limiter"
import { RetryPolicy } from "../retry"

/** A made-up platform: errors in `{ error, retry_in? }` bodies, a signature over the method and a timestamp. */
class TestError extends PlatformError {
  readonly kind: MarketplaceErrorKind
  constructor(kind: MarketplaceErrorKind, message: string, extra: PlatformErrorExtra = {}) {
    super(message, extra)
    this.kind = kind
  }
}
/** A daily quota: a rate limit that waiting seconds does not cure. */
class QuotaError extends PlatformError {
  readonly kind = "rate_limit" as const
  get retry_in_process(): boolean {
    return false
  }
}

const CODES: Record<string, MarketplaceErrorKind> = { busy: "rate_limit", broken: "server", bad_param: "validation" }

function mapError(answer: HttpAnswer, label: string): PlatformError | null {
  const body = (answer.json() ?? {}) as { error?: string; retry_in?: number }
  const extra: PlatformErrorExtra = {
    code: body.error ?? null,
    http_status: answer.status,
    // The platform's own hint wins over the header, as a platform documenting one would want.
    retry_after_ms: body.retry_in !== undefined ? body.retry_in * 1000 : answer.retry_after_ms,
    body,
  }
  if (body.error === "quota") {
    return new QuotaError(`${label}: quota`, extra)
  }
  const kind = (body.error && CODES[body.error]) || errorKindForStatus(answer.status)
  return kind ? new TestError(kind, `${label} failed: ${body.error ?? answer.status}`, extra) : null
}

interface Call {
  method: string
  ts: string | null
}
type Handler = (call: Call, res: ServerResponse, index: number) => void

let server: Server
let baseUrl: string
let calls: Call[] = []
let handler: Handler = (_, res) => res.end("{}")

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x")
      const call = { method: req.method ?? "", ts: url.searchParams.get("ts") }
      calls.push(call)
      handler(call, res, calls.length)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections?.()
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  calls = []
})

function json(res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(JSON.stringify(body))
}

const START = Date.parse("2026-03-02T10:00:00Z")

function client(
  options: { retry?: Partial<RetryPolicy>; random?: number; timeoutMs?: number; store?: RateLimitStore; rate?: number } = {}
) {
  const clock = { now: START }
  const sleeps: number[] = []
  const store = options.store ?? new MemoryRateLimitStore(() => clock.now)
  const sleep = async (ms: number) => {
    sleeps.push(ms)
    clock.now += ms
  }
  const http = new SignedHttp<{ key: string }>({
    platform: "Test",
    sign: (request, auth, now) => ({ ...request, query: { ...request.query, ts: String(now), sig: `${auth.key}:${request.method}` } }),
    mapError,
    createError: (kind, message, extra) => new TestError(kind, message, extra),
    limiter: new RateLimiter(store, { ratePerSecond: options.rate ?? 1000 }, "test", sleep),
    retry: { maxRetries: 3, baseMs: 100, maxMs: 10_000, rateLimitFloorMs: 1000, budgetMs: 60_000, ...options.retry },
    timeoutMs: options.timeoutMs ?? 2000,
    logger: { warn() {}, debug() {} },
    now: () => clock.now,
    sleep,
    random: () => options.random ?? 0.5,
  })
  const send = (idempotent: boolean, limitKey = "conn_1", url = `${baseUrl}/thing`) =>
    http.send({
      label: "/thing",
      request: { method: idempotent ? "GET" : "POST", url, body: idempotent ? undefined : "{}" },
      auth: { key: "k" },
      limitKey,
      idempotent,
      read: (answer) => answer.json(),
    })
  return { send, sleeps, clock, store }
}

async function failure(promise: Promise<unknown>): Promise<TestError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError)
    return error as TestError
  }
  throw new Error("expected a failure")
}

const ok = { result: "ok" }

describe("signed HTTP: what is retried", () => {
  it.each([
    ["HTTP 503", (res: ServerResponse) => json(res, {}, 503), "server"],
    ["HTTP 500 with a platform error", (res: ServerResponse) => json(res, { error: "broken" }, 500), "server"],
    ["HTTP 429", (res: ServerResponse) => json(res, {}, 429), "rate_limit"],
    ["a rate-limit error in a 200 body", (res: ServerResponse) => json(res, { error: "busy" }), "rate_limit"],
    ["a reset connection", (res: ServerResponse) => res.socket?.destroy(), "network"],
  ])("retries a read after %s until it succeeds", async (_, fail, kind) => {
    handler = (__, res, index) => (index <= 2 ? fail(res) : json(res, ok))
    const { send, sleeps } = client()
    await expect(send(true)).resolves.toEqual(ok)
    expect(calls).toHaveLength(3)
    expect(sleeps).toHaveLength(2)
    if (kind === "rate_limit") {
      expect(Math.min(...sleeps)).toBeGreaterThanOrEqual(1000)
    }
  })

  it.each([
    ["HTTP 400", 400, {}, "validation"],
    ["HTTP 401", 401, {}, "auth"],
    ["HTTP 404", 404, {}, "not_found"],
    ["a validation error in a 200 body", 200, { error: "bad_param" }, "validation"],
  ])("does not retry %s", async (_, status, body, kind) => {
    handler = (__, res) => json(res, body, status)
    const { send, sleeps } = client()
    const error = await failure(send(true))
    expect(error.kind).toBe(kind)
    expect(calls).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it("gives up after maxRetries with exponential backoff and full jitter", async () => {
    handler = (__, res) => json(res, {}, 503)
    const { send, sleeps } = client()
    const error = await failure(send(true))
    expect(error).toMatchObject({ kind: "server", http_status: 503 })
    expect(calls).toHaveLength(4)
    expect(sleeps).toEqual([50, 100, 200]) // 0.5 x 100, 200, 400
  })

  it("does not retry what the platform marks as not curable by waiting (a daily quota)", async () => {
    handler = (__, res) => json(res, { error: "quota" }, 429)
    const { send } = client()
    expect(await failure(send(true))).toBeInstanceOf(QuotaError)
    expect(calls).toHaveLength(1)
  })

  it("signs every attempt afresh", async () => {
    handler = (__, res, index) => (index === 1 ? json(res, {}, 503) : json(res, ok))
    const { send } = client()
    await send(true)
    expect(calls.map((c) => Number(c.ts))).toEqual([START, START + 50])
  })
})

describe("signed HTTP: Retry-After and the rate-limit floor", () => {
  it("waits the Retry-After seconds", async () => {
    handler = (__, res, index) => (index === 1 ? json(res, {}, 429, { "retry-after": "3" }) : json(res, ok))
    const { send, sleeps } = client()
    await send(true)
    expect(sleeps).toEqual([3000])
  })

  it("waits until the Retry-After HTTP date", async () => {
    handler = (__, res, index) =>
      index === 1 ? json(res, {}, 503, { "retry-after": new Date(START + 4000).toUTCString() }) : json(res, ok)
    const { send, sleeps } = client()
    await send(true)
    expect(sleeps).toEqual([4000])
  })

  it("honours the platform's own retry hint in the error body", async () => {
    handler = (__, res, index) => (index === 1 ? json(res, { error: "busy", retry_in: 2 }) : json(res, ok))
    const { send, sleeps } = client()
    await send(true)
    expect(sleeps).toEqual([2000])
  })

  it("never retries a rate limit sooner than the floor, whatever the jitter drew", async () => {
    handler = (__, res, index) => (index === 1 ? json(res, {}, 429) : json(res, ok))
    const limited = client({ random: 0.01 })
    await limited.send(true)
    expect(limited.sleeps).toEqual([1000])

    calls = []
    handler = (__, res, index) => (index === 1 ? json(res, {}, 503) : json(res, ok))
    const busy = client({ random: 0.01 })
    await busy.send(true)
    expect(busy.sleeps).toEqual([1]) // a 5xx keeps its jittered backoff
  })

  it("hands a Retry-After longer than the longest wait to the caller instead of waiting", async () => {
    handler = (__, res) => json(res, {}, 429, { "retry-after": "120" })
    const { send, sleeps } = client()
    const error = await failure(send(true))
    expect(error).toMatchObject({ kind: "rate_limit", retry_after_ms: 120_000 })
    expect(calls).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it("holds the shop's other calls back for the time the platform asked", async () => {
    handler = (__, res, index) => (index === 1 ? json(res, {}, 429, { "retry-after": "5" }) : json(res, ok))
    const store = new MemoryRateLimitStore(() => START)
    const { send } = client({ store })
    await send(true)
    const other = await store.reserve("test:conn_1", { ratePerSecond: 1000 }, 0)
    expect(other.granted).toBe(false)
    expect(other.wait_ms).toBeGreaterThanOrEqual(5000) // and the retry booked its slot after the block
    expect((await store.reserve("test:conn_2", { ratePerSecond: 1000 }, 0)).granted).toBe(true)
  })
})

describe("signed HTTP: idempotent and non-idempotent calls", () => {
  it("does not repeat a write whose outcome is unknown: timeout, 5xx or rate limit", async () => {
    handler = () => undefined // never answers
    const timedOut = await failure(client({ timeoutMs: 200 }).send(false))
    expect(timedOut.kind).toBe("network")
    expect(timedOut.never_sent).toBe(false)
    expect(timedOut.message).toMatch(/may have been applied/)
    expect(calls).toHaveLength(1)

    for (const status of [500, 502, 503, 429]) {
      calls = []
      handler = (__, res) => json(res, {}, status)
      await failure(client().send(false))
      expect(calls).toHaveLength(1)
    }
  })

  it("repeats a read that timed out", async () => {
    handler = (__, res, index) => (index === 1 ? undefined : json(res, ok))
    await expect(client({ timeoutMs: 200 }).send(true)).resolves.toEqual(ok)
    expect(calls).toHaveLength(2)
  })

  it("repeats a write that certainly never left (connection refused)", async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const { send, sleeps } = client()
    const error = await failure(send(false, "conn_1", `http://127.0.0.1:${port}/thing`))
    expect(error).toMatchObject({ kind: "network", code: "ECONNREFUSED", never_sent: true })
    expect(error.message).not.toMatch(/may have been applied/)
    expect(sleeps).toHaveLength(3) // every retry was taken
  })
})

describe("signed HTTP: the retry budget", () => {
  it("stops retrying when the next wait and attempt would overrun the budget", async () => {
    handler = (__, res) => json(res, {}, 503)
    const { send, sleeps, clock } = client({ random: 0.99, retry: { maxRetries: 10, baseMs: 400, budgetMs: 1000 }, timeoutMs: 100 })
    await failure(send(true))
    expect(sleeps).toEqual([396]) // the next, 792 ms, plus an attempt of up to 100 ms would pass 1000 ms
    expect(calls).toHaveLength(2)
    expect(clock.now - START).toBeLessThanOrEqual(1000)
  })

  it("does not wait for a rate-limit slot past the budget: the call fails unsent", async () => {
    const clock = { now: START }
    const store = new MemoryRateLimitStore(() => clock.now)
    await store.block("test:conn_1", { ratePerSecond: 1 }, 120_000)
    handler = (__, res) => json(res, ok)
    const { send } = client({ store, rate: 1 })
    const error = await failure(send(true))
    expect(error).toMatchObject({ kind: "rate_limit", never_sent: true })
    expect(error.retry_after_ms).toBeGreaterThan(60_000)
    expect(calls).toHaveLength(0)
  })
})
