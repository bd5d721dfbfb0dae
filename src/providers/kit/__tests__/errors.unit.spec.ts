import { MarketplaceApiError as CoreImport } from "../../errors"
import {
  atEdge,
  errorKindForStatus,
  MarketplaceApiError,
  parseRetryAfter,
  PlatformError,
  toMarketplaceError,
} from "../errors"

class TestRateLimit extends PlatformError {
  readonly kind = "rate_limit" as const
}

describe("kit errors", () => {
  it("reads an HTTP status as an error kind", () => {
    expect([200, 204, 302].map(errorKindForStatus)).toEqual([null, null, null])
    expect(errorKindForStatus(429)).toBe("rate_limit")
    expect(errorKindForStatus(401)).toBe("auth")
    expect(errorKindForStatus(403)).toBe("auth")
    expect(errorKindForStatus(404)).toBe("not_found")
    expect(errorKindForStatus(400)).toBe("validation")
    expect(errorKindForStatus(409)).toBe("validation")
    expect(errorKindForStatus(500)).toBe("server")
    expect(errorKindForStatus(503)).toBe("server")
  })

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z")
    expect(parseRetryAfter("2", now)).toBe(2000)
    expect(parseRetryAfter("0.5", now)).toBe(500)
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000)
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:07 GMT", now)).toBe(7000)
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0) // in the past: no wait
    expect(parseRetryAfter(["3"], now)).toBe(3000)
    expect(parseRetryAfter("-1", now)).toBe(0)
    expect(parseRetryAfter("soon", now)).toBeNull()
    expect(parseRetryAfter("", now)).toBeNull()
    expect(parseRetryAfter(undefined, now)).toBeNull()
  })

  it("maps a platform error to the core's error at the edge, keeping what the platform said", async () => {
    const platform = new TestRateLimit("Slow down", { code: "too_many", request_id: "rq1", http_status: 429, retry_after_ms: 1500 })
    expect(platform.name).toBe("TestRateLimit")
    expect(platform.retry_in_process).toBe(true)
    const mapped = toMarketplaceError(platform) as MarketplaceApiError
    expect(mapped).toBeInstanceOf(MarketplaceApiError)
    expect(mapped).toMatchObject({ kind: "rate_limit", code: "too_many", request_id: "rq1", http_status: 429, retry_after_ms: 1500 })
    expect(mapped.retryable).toBe(true)
    expect((mapped as { cause?: unknown }).cause).toBe(platform)

    const other = new TypeError("bug")
    expect(toMarketplaceError(other)).toBe(other)
    await expect(atEdge(async () => Promise.reject(platform))).rejects.toBeInstanceOf(MarketplaceApiError)
    await expect(atEdge(async () => 7)).resolves.toBe(7)
  })

  it("keeps the core's import path working", () => {
    expect(CoreImport).toBe(MarketplaceApiError)
    expect(new CoreImport("validation", "x").retryable).toBe(false)
  })
})
