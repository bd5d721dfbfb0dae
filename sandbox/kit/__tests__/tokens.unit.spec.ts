import { TokenVault } from "../tokens"

describe("sandbox kit token vault", () => {
  let now: number
  const policy = { accessTtlSeconds: 3600, refreshTtlSeconds: 86400, codeTtlSeconds: 600, oldAccessGraceSeconds: 300 }

  beforeEach(() => {
    now = 1_000_000
  })

  it("issues codes and token pairs with the policy's lifetimes", () => {
    const vault = new TokenVault<string>(() => now, policy)
    const code = vault.issueCode("seller-1")
    expect(vault.codes.get(code)).toEqual({ shop_id: "seller-1", expires_at_ms: now + 600_000, used: false })
    const pair = vault.issue("seller-1")
    expect(pair.expire_in).toBe(3600)
    expect(pair.access_token).toMatch(/^[0-9a-f]{32}$/)
    expect(vault.access.get(pair.access_token)).toEqual({ shop_id: "seller-1", expires_at_ms: now + 3_600_000 })
    expect(vault.refresh.get(pair.refresh_token)).toEqual({ shop_id: "seller-1", expires_at_ms: now + 86_400_000, used: false })
  })

  it("spends the refresh token on rotation and cuts older access tokens of that grant to the grace", () => {
    const vault = new TokenVault<number>(() => now, policy)
    const first = vault.issue(1)
    const other = vault.issue(2)
    now += 60_000
    const second = vault.rotate(1, first.refresh_token)
    expect(second.access_token).not.toBe(first.access_token)
    expect(vault.refresh.get(first.refresh_token)?.used).toBe(true)
    expect(vault.access.get(first.access_token)?.expires_at_ms).toBe(now + 300_000)
    expect(vault.access.get(other.access_token)?.expires_at_ms).toBe(1_000_000 + 3_600_000)
    expect(vault.access.get(second.access_token)?.expires_at_ms).toBe(now + 3_600_000)
  })

  it("leaves older access tokens alone when the platform keeps them until they expire", () => {
    const vault = new TokenVault<number>(() => now, { ...policy, oldAccessGraceSeconds: null })
    const first = vault.issue(1)
    now += 60_000
    vault.rotate(1, first.refresh_token)
    expect(vault.access.get(first.access_token)?.expires_at_ms).toBe(1_000_000 + 3_600_000)
  })

  it("expires a grant's live access tokens, and its refresh tokens when asked", () => {
    const vault = new TokenVault<number>(() => now, policy)
    const a = vault.issue(1)
    const b = vault.issue(1)
    const other = vault.issue(2)
    expect(vault.expire(1)).toBe(2)
    expect(vault.expire(1)).toBe(0)
    expect(vault.access.get(a.access_token)?.expires_at_ms).toBe(now - 1)
    expect(vault.refresh.get(b.refresh_token)?.expires_at_ms).toBe(now + 86_400_000)
    vault.expire(1, true)
    expect(vault.refresh.get(b.refresh_token)?.expires_at_ms).toBe(now - 1)
    expect(vault.access.get(other.access_token)?.expires_at_ms).toBe(now + 3_600_000)
    vault.clear()
    expect(vault.access.size + vault.refresh.size + vault.codes.size).toBe(0)
  })
})
