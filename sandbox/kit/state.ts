import { Random } from "./random"
import type { CallRecord, Fault, LostPushMessage, PushRecord, ScheduledRedelivery } from "./types"

/** Settings of the kit's own machinery, fixed at start; `reset()` keeps them. */
export interface KitConfig {
  /** Millisecond clock; tests move time without waiting. */
  now: () => number
  /** Delay added to every API call, for benchmarks. */
  latencyMs: number
  /** How long a "timeout" fault holds the socket before dropping it. */
  faultTimeoutMs: number
}

/**
 * The in-memory store of a running sandbox. The kit keeps what every platform needs here (clock, ids,
 * seeded randomness, call log, pushes, faults, rate limit); a platform extends it with its shops, listings,
 * orders and tokens and extends `reset()` to clear them.
 */
export class SandboxStore<C extends KitConfig = KitConfig> {
  calls: CallRecord[] = []
  pushes: PushRecord[] = []
  lostPushes: LostPushMessage[] = []
  redeliveries: ScheduledRedelivery[] = []
  faults: Fault[] = []
  callbackUrl: string | null = null
  /** Steady per-shop limit (calls per second); null = unlimited. */
  rateLimitPerSecond: number | null
  rateWindows = new Map<string, number>()
  random: Random
  private seq = 0

  constructor(
    readonly config: C,
    private readonly seed: number | undefined,
    private readonly initialRateLimit: number | null
  ) {
    this.random = new Random(seed)
    this.rateLimitPerSecond = initialRateLimit
  }

  nowMs(): number {
    return this.config.now()
  }

  nowSec(): number {
    return Math.floor(this.config.now() / 1000)
  }

  /** Monotonic counter for ids; never reused within a run, even after reset. */
  nextSeq(): number {
    this.seq += 1
    return this.seq
  }

  reset(): void {
    this.calls = []
    this.pushes = []
    this.lostPushes = []
    this.redeliveries = []
    this.faults = []
    this.callbackUrl = null
    this.rateLimitPerSecond = this.initialRateLimit
    this.rateWindows.clear()
    this.random = new Random(this.seed)
  }
}
