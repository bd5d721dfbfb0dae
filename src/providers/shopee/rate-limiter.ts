/**
 * Token buckets keyed by connection. Shopee publishes no numeric rate limit, so the rate is an option; every call
 * of one connection in this process shares its bucket (public, partner-level calls share the "partner" bucket).
 * Waiters are served in arrival order.
 */
export class TokenBucket {
  private tokens: number
  private last: number
  private queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>
  ) {
    this.tokens = Math.max(1, ratePerSecond)
    this.last = now()
  }

  /** Resolves when the caller may send one request. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take())
    this.queue = turn.catch(() => undefined)
    return turn
  }

  private async take(): Promise<void> {
    const capacity = Math.max(1, this.ratePerSecond)
    for (;;) {
      const now = this.now()
      this.tokens = Math.min(capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond)
      this.last = now
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000))
    }
  }
}

export class RateLimiterRegistry {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>
  ) {}

  forKey(key: string): TokenBucket {
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = new TokenBucket(this.ratePerSecond, this.now, this.sleep)
      this.buckets.set(key, bucket)
    }
    return bucket
  }
}
