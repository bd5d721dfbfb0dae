import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { refetchEntity } from "@medusajs/framework/http"
import { readShopsColumn } from "../../../../modules/marketplace/services/marketplace-module-service"
import type { GrantedShopState } from "../../../../modules/marketplace/types"
import { defaultAuthorizationFields } from "./query-config"

/**
 * An authorization as the admin sees it: its non-secret fields and every shop it covers, each with the
 * connection it has (null while the merchant has not chosen it).
 */
export async function fetchAuthorization(scope: MedusaContainer, id: string) {
  const authorization = await refetchEntity({
    entity: "authorization",
    idOrFilter: id,
    scope,
    fields: [...defaultAuthorizationFields, "connections.id", "connections.external_shop_id"],
  })
  if (!authorization) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Authorization with id: ${id} was not found`)
  }
  const { connections, ...rest } = authorization as Record<string, unknown> & {
    platform: string
    connections?: { id: string; external_shop_id: string }[]
  }
  const byShop = new Map((connections ?? []).map((c) => [c.external_shop_id, c.id]))
  const shops: GrantedShopState[] = readShopsColumn(rest.shops).map((shop) => ({
    ...shop,
    connection_id: byShop.get(shop.shop_id) ?? null,
  }))
  return { ...rest, shops }
}
