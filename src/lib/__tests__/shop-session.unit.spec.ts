import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { MarketplaceApiError } from "../../providers/errors"
import type { RefreshTokenInput, TokenSet } from "../../providers/types"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import { getShopSession, tokenLockKey } from "../shop-session"

type Status = "active" | "needs_reauth" | "disabled"

/**
 * A grant of two shops in memory, a provider double that counts refreshes, and a lock that serialises
 * callers per key as the Locking module does.
 */
function world({ refuse = false }: { refuse?: boolean } = {}) {
  const authorization = {
    id: "mpauth_1",
    platform: "double",
    external_seller_id: "seller-1",
    status: "active" as "active" | "needs_reauth",
    shops: [{ shop_id: "A" }, { shop_id: "B" }],
    metadata: { market: "ID" },
  }
  const connections = new Map<string, { id: string; platform: string; external_shop_id: string; status: Status; last_error: string | null; authorization_id: string; shop_region: string | null; api_base_url: string | null; metadata: Record<string, unknown> }>(
    ["A", "B"].map((shop) => [
      `mpcon_${shop}`,
      { id: `mpcon_${shop}`, platform: "double", external_shop_id: shop, status: "active", last_error: null, authorization_id: "mpauth_1", shop_region: "ID", api_base_url: null, metadata: { cipher: `cipher-${shop}` } },
    ])
  )
  let tokens: TokenSet = {
    access_token: "old-access",
    refresh_token: "old-refresh",
    access_token_expires_at: new Date(Date.now() + 5_000),
  }
  const refreshes: RefreshTokenInput[] = []
  const locks: string[] = []
  const provider = {
    limits: { token_refresh_margin_seconds: 300 },
    async refreshToken(input: RefreshTokenInput): Promise<TokenSet> {
      refreshes.push(input)
      await new Promise((resolve) => setTimeout(resolve, 20))
      if (refuse) throw new MarketplaceApiError("auth", "refresh token expired")
      return {
        access_token: `new-access-${refreshes.length}`,
        refresh_token: `new-refresh-${refreshes.length}`,
        access_token_expires_at: new Date(Date.now() + 4 * 3600_000),
      }
    },
  }
  const marketplace = {
    async retrieveConnection(id: string) {
      return { ...(connections.get(id) as NonNullable<ReturnType<typeof connections.get>>) }
    },
    async retrieveAuthorization() {
      return { ...authorization }
    },
    async retrieveAuthorizationTokens() {
      return { ...tokens }
    },
    async storeAuthorizationTokens(_id: string, fresh: TokenSet) {
      tokens = fresh
    },
    async markAuthorizationNeedsReauth(id: string, reason: string) {
      authorization.status = "needs_reauth"
      for (const c of connections.values()) {
        if (c.authorization_id === id && c.status !== "disabled") Object.assign(c, { status: "needs_reauth", last_error: reason })
      }
      return [...connections.keys()]
    },
    getProvider() {
      return provider
    },
  }
  const held = new Map<string, Promise<unknown>>()
  const locking = {
    async execute<T>(key: string, job: () => Promise<T>): Promise<T> {
      locks.push(key)
      const before = held.get(key) ?? Promise.resolve()
      const run = before.then(job, job)
      held.set(key, run.catch(() => undefined))
      return run
    },
  }
  const container = {
    resolve: (key: string) => (key === MARKETPLACE_MODULE ? marketplace : key === Modules.LOCKING ? locking : undefined),
  } as unknown as MedusaContainer
  return { container, connections, authorization, refreshes, locks, current: () => tokens }
}

describe("token refresh per authorization", () => {
  it("refreshes once for two shops of one grant asking at the same time, under the grant's lock", async () => {
    const { container, refreshes, locks, current } = world()
    const sessions = await Promise.all(
      Array.from({ length: 10 }, (_, i) => getShopSession(container, i % 2 ? "mpcon_A" : "mpcon_B"))
    )
    expect(refreshes).toHaveLength(1)
    expect(refreshes[0]).toEqual({
      refresh_token: "old-refresh",
      seller_id: "seller-1",
      shop_ids: ["A", "B"],
      metadata: { market: "ID" },
    })
    expect(new Set(locks)).toEqual(new Set([tokenLockKey("mpauth_1")]))
    expect(new Set(sessions.map((s) => s.access_token))).toEqual(new Set(["new-access-1"]))
    expect(current().access_token).toBe("new-access-1")
    // Each session is still its own shop's, with its own non-secret metadata.
    expect(new Set(sessions.map((s) => `${s.connection_id}:${s.shop_id}:${String(s.metadata?.cipher)}`))).toEqual(
      new Set(["mpcon_A:A:cipher-A", "mpcon_B:B:cipher-B"])
    )
  })

  it("a refresh refused for good puts every connection of the grant in needs_reauth", async () => {
    const { container, connections, authorization, refreshes } = world({ refuse: true })
    await expect(getShopSession(container, "mpcon_A")).rejects.toThrow(/refresh token expired/)
    expect(refreshes).toHaveLength(1)
    expect(authorization.status).toBe("needs_reauth")
    for (const c of connections.values()) {
      expect(c.status).toBe("needs_reauth")
      expect(c.last_error).toMatch(/refused the token refresh: refresh token expired/)
    }
    // The other shop of the grant no longer tries: no second refresh with a dead token.
    await expect(getShopSession(container, "mpcon_B")).rejects.toThrow(/needs re-authorization/)
    expect(refreshes).toHaveLength(1)
  })
})
