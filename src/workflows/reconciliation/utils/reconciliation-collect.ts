import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { ConnectionSettings } from "../../../modules/marketplace/types"
import type { MarketplaceOrder } from "../../../providers/types"
import { settledStatusesOf } from "../../../providers/settled-statuses"
import { compareReconciliation, type ReconciliationLink, type ReconciliationResult } from "../../../lib/reconciliation-compare"
import { chunk } from "../../../lib/chunk"
import { withShopSession } from "../../../lib/shop-session"
import { windowPages } from "../../../lib/windows"

const LINK_FIELDS = [
  "id",
  "external_order_id",
  "status",
  "total",
  "external_updated_at",
  "escrow_synced_at",
  "escrow_fees",
  "escrow_net_payout",
  "escrow_payout_at",
  "order.id",
  "order.status",
  "order.total",
]

/**
 * Gathers what a reconciliation compares: the marketplace's orders updated in [from, to) (listed window by
 * window, details fetched in the platform's batches), the order links of those orders and the links updated
 * in the range with their Medusa orders; then compares them.
 *
 * @example
 * const result = await collectReconciliation(container, "mpcon_123", { from, to })
 */
export async function collectReconciliation(
  container: MedusaContainer,
  connectionId: string,
  range: { from: Date; to: Date }
): Promise<ReconciliationResult & { currency_code: string | null }> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const connection = await marketplace.retrieveConnection(connectionId, {
    select: ["platform", "settings", "currency_code"],
  })
  const limits = marketplace.getProvider(connection.platform).limits
  const importUnpaid = !!(connection.settings as ConnectionSettings | null)?.import_unpaid

  const listed = new Set<string>()
  const pages = windowPages(range, limits.order_list_window_seconds, (window, pageToken) =>
    withShopSession(container, connectionId, (provider, session) =>
      provider.listChangedOrders(session, {
        updated_from: window.from,
        updated_to: window.to,
        page_token: pageToken,
        include_unpaid: importUnpaid,
      })
    )
  )
  for await (const page of pages) {
    page.items.forEach((r) => listed.add(r.external_id))
  }

  const fetchOrders = async (ids: string[]) => {
    const orders: MarketplaceOrder[] = []
    for (const part of chunk(ids, limits.order_detail_batch)) {
      orders.push(
        ...(await withShopSession(container, connectionId, (provider, session) => provider.getOrders(session, part)))
      )
    }
    return orders
  }
  const readLinks = async (filters: Record<string, unknown>) => {
    const { data } = await query.graph({ entity: "order_link", fields: LINK_FIELDS, filters })
    return data as unknown as ReconciliationLink[]
  }

  const orders = await fetchOrders([...listed])
  const linksOfOrders = listed.size
    ? (await Promise.all(chunk([...listed], 500).map((ids) => readLinks({ connection_id: connectionId, external_order_id: ids })))).flat()
    : []
  const linksInRange = await readLinks({
    connection_id: connectionId,
    external_updated_at: { $gte: range.from, $lt: range.to },
  })

  // Links updated in the range that the list did not return: the marketplace may have updated them since,
  // or may not know them at all.
  const extraLinks = linksInRange.filter((l) => !listed.has(l.external_order_id))
  const extraOrders = await fetchOrders(extraLinks.map((l) => l.external_order_id))
  const known = new Set(extraOrders.map((o) => o.external_id))

  const links = new Map<string, ReconciliationLink>()
  for (const link of [...linksOfOrders, ...extraLinks]) links.set(link.id, link)
  const result = compareReconciliation({
    orders: [...orders, ...extraOrders],
    links: [...links.values()],
    unknown: extraLinks.filter((l) => !known.has(l.external_order_id)),
    importUnpaid,
    settledStatuses: settledStatusesOf(marketplace.getProvider(connection.platform)),
  })
  return { ...result, currency_code: connection.currency_code ?? null }
}
