import { randomHex32 } from "./ids"
import type { ShopKey } from "./types"

/**
 * OAuth grants as most marketplaces run them: a single-use authorization code, then an access token and
 * a refresh token with lifetimes; refreshing spends the refresh token and issues a new pair. What differs
 * between platforms is the policy (lifetimes, how long the previous access token keeps working) and
 * who a grant is for (`K`: a shop, a seller, an account); the wire format stays the platform's.
 */
export interface TokenPolicy {
  accessTtlSeconds: number
  refreshTtlSeconds: number
  /** How long an authorization code can be redeemed (once). */
  codeTtlSeconds: number
  /** After a refresh, the grant's older access tokens live at most this much longer; null = until they expire. */
  oldAccessGraceSeconds: number | null
}

export interface AccessTokenRecord<K extends ShopKey = ShopKey> {
  shop_id: K
  expires_at_ms: number
}

export interface RefreshTokenRecord<K extends ShopKey = ShopKey> {
  shop_id: K
  expires_at_ms: number
  used: boolean
}

export type AuthCodeRecord<K extends ShopKey = ShopKey> = RefreshTokenRecord<K>

export interface IssuedTokens {
  access_token: string
  refresh_token: string
  /** Seconds the access token lives. */
  expire_in: number
}

export class TokenVault<K extends ShopKey = ShopKey> {
  readonly codes = new Map<string, AuthCodeRecord<K>>()
  readonly access = new Map<string, AccessTokenRecord<K>>()
  readonly refresh = new Map<string, RefreshTokenRecord<K>>()

  constructor(
    private readonly nowMs: () => number,
    private readonly policy: TokenPolicy
  ) {}

  issueCode(subject: K): string {
    const code = randomHex32()
    this.codes.set(code, { shop_id: subject, expires_at_ms: this.nowMs() + this.policy.codeTtlSeconds * 1000, used: false })
    return code
  }

  issue(subject: K): IssuedTokens {
    const now = this.nowMs()
    const access = randomHex32()
    const refresh = randomHex32()
    this.access.set(access, { shop_id: subject, expires_at_ms: now + this.policy.accessTtlSeconds * 1000 })
    this.refresh.set(refresh, { shop_id: subject, expires_at_ms: now + this.policy.refreshTtlSeconds * 1000, used: false })
    return { access_token: access, refresh_token: refresh, expire_in: this.policy.accessTtlSeconds }
  }

  /** Spends `refreshToken` and issues a new pair; older access tokens get the policy's grace at most. */
  rotate(subject: K, refreshToken: string): IssuedTokens {
    const record = this.refresh.get(refreshToken)
    if (record) record.used = true
    if (this.policy.oldAccessGraceSeconds !== null) {
      const graceEnd = this.nowMs() + this.policy.oldAccessGraceSeconds * 1000
      for (const token of this.access.values()) {
        if (token.shop_id === subject) token.expires_at_ms = Math.min(token.expires_at_ms, graceEnd)
      }
    }
    return this.issue(subject)
  }

  /** Expires the subject's live access tokens now (and its refresh tokens when asked); returns how many access tokens. */
  expire(subject: K, alsoRefresh = false): number {
    const past = this.nowMs() - 1
    let count = 0
    for (const token of this.access.values()) {
      if (token.shop_id === subject && token.expires_at_ms > past) {
        token.expires_at_ms = past
        count++
      }
    }
    if (alsoRefresh) {
      for (const token of this.refresh.values()) {
        if (token.shop_id === subject) token.expires_at_ms = past
      }
    }
    return count
  }

  clear(): void {
    this.codes.clear()
    this.access.clear()
    this.refresh.clear()
  }
}
