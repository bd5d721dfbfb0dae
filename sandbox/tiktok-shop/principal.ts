import type { SandboxShop } from "./core"

/** How an API route authenticates its caller, and who the caller is (the seller, and the shop a cipher names). */
export type TiktokAuth = "page" | "token" | "seller" | "shop"
export interface TiktokPrincipal {
  open_id: string
  shop: SandboxShop | null
}
