/**
 * Seedable pseudo-random numbers (mulberry32) so a benchmark or a demo can replay the same
 * orders; without a seed the sandbox seeds from the clock.
 */
export class Random {
  private state: number

  constructor(seed: number = Date.now()) {
    this.state = seed >>> 0
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)]
  }

  digits(length: number): string {
    let out = ""
    for (let i = 0; i < length; i++) {
      out += String(this.int(i === 0 ? 1 : 0, 9))
    }
    return out
  }

  /** Upper-case letters and digits (the alphabet of order numbers such as Shopee's order_sn suffixes). */
  alnum(length: number): string {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    let out = ""
    for (let i = 0; i < length; i++) {
      out += alphabet[this.int(0, alphabet.length - 1)]
    }
    return out
  }
}
