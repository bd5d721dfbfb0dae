import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import type { OrderStatus } from "../../providers/types"
import { chunk } from "../../lib/chunk"
import { importEscrowsWorkflow } from "../../workflows/escrow/workflows/import-escrows"
import { escrowStatusesOf } from "../../providers/settled-statuses"

export { ESCROW_STATUSES, escrowStatusesOf, settledStatusesOf } from "../../providers/settled-statuses"

export type EscrowSyncCounts = { checked: number; changed: number; unchanged: number; missing: number; batches: number }

/** The lock that makes escrow syncs of one connection run one at a time across processes. */
export const escrowLockKey = (connectionId: string) => `marketplace:escrow:${connectionId}`

/**
 * External orders whose escrow an import running in this process fetches in one batch once its detail batch
 * is imported (`importOrdersById`): the per-order subscriber leaves them to it. Another process's subscriber
 * does not see this and fetches on its own, which only costs a call.
 */
const deferred = new Map<string, number>()
const deferKey = (connectionId: string, externalOrderId: string) => `${connectionId}\u0000${externalOrderId}`

/**
 * Marks the orders of an import as "escrow fetched by the import"; call the returned function when done.
 *
 * @example
 * const release = deferEscrow("mpcon_123", ["240101ABC"])
 * try { ... } finally { release() }
 */
export function deferEscrow(connectionId: string, externalOrderIds: string[]): () => void {
  const keys = externalOrderIds.map((id) => deferKey(connectionId, id))
  keys.forEach((k) => deferred.set(k, (deferred.get(k) ?? 0) + 1))
  return () =>
    keys.forEach((k) => {
      const n = (deferred.get(k) ?? 1) - 1
      if (n > 0) deferred.set(k, n)
      else deferred.delete(k)
    })
}

/** Whether an import in this process fetches this order's escrow itself (see `deferEscrow`). */
export const isEscrowDeferred = (connectionId: string, externalOrderId: string): boolean =>
  deferred.has(deferKey(connectionId, externalOrderId))

type CandidateFilter = {
  orderLinkIds?: string[]
  externalOrderIds?: string[]
  /** Only links whose escrow was not fetched since the marketplace's last change of the order. */
  onlyStale?: boolean
}

type CandidateRow = { external_order_id: string; escrow_synced_at: Date | string | null; external_updated_at: Date | string }

/** Fetched after the marketplace's last change of the order: nothing new to read until the refetch window. */
const isFresh = (l: CandidateRow) =>
  !!l.escrow_synced_at && new Date(l.escrow_synced_at).getTime() >= new Date(l.external_updated_at).getTime()

/**
 * The external ids of a connection's settled order links whose escrow is missing or may still change (it
 * was last updated by the marketplace within the refetch window); or of the given links only.
 */
async function escrowCandidates(
  marketplace: MarketplaceModuleService,
  connectionId: string,
  { orderLinkIds, externalOrderIds, onlyStale = false }: CandidateFilter,
  now: Date,
  statuses: OrderStatus[]
): Promise<string[]> {
  // Days after completion during which escrow is fetched again to catch adjustments (option escrowRefetchDays).
  const since = new Date(now.getTime() - marketplace.settings().escrowRefetchDays * 86400_000)
  const given = orderLinkIds ? { id: orderLinkIds } : externalOrderIds ? { external_order_id: externalOrderIds } : null
  const filters = given
    ? { connection_id: connectionId, status: statuses, ...given }
    : {
        connection_id: connectionId,
        status: statuses,
        $or: [{ escrow_synced_at: null }, { external_updated_at: { $gte: since } }],
      }
  const ids: string[] = []
  const page = 1000
  for (let skip = 0; ; skip += page) {
    const links = (await marketplace.listOrderLinks(filters, {
      select: ["id", "external_order_id", "escrow_synced_at", "external_updated_at"],
      order: { id: "ASC" },
      skip,
      take: page,
    })) as unknown as CandidateRow[]
    ids.push(...links.filter((l) => !onlyStale || !isFresh(l)).map((l) => l.external_order_id))
    if (links.length < page) return ids
  }
}

/**
 * Fetches and stores the escrow of a connection's settled orders in platform batches (50 on Shopee): those
 * without escrow and those completed within the refetch window (adjustments come after completion); or only
 * the given order links / external orders (`onlyStale`: those not fetched since their last change). One sync
 * per connection at a time across every process.
 *
 * @example
 * const counts = await syncConnectionEscrow(container, "mpcon_123")
 * await syncConnectionEscrow(container, "mpcon_123", { orderLinkIds: ["mpord_1"], onlyStale: true })
 * await syncConnectionEscrow(container, "mpcon_123", { externalOrderIds: ["240101ABC"] })
 */
export async function syncConnectionEscrow(
  container: MedusaContainer,
  connectionId: string,
  { now = new Date(), ...filter }: CandidateFilter & { now?: Date } = {}
): Promise<EscrowSyncCounts> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const locking = container.resolve(Modules.LOCKING)
  return await locking.execute(
    escrowLockKey(connectionId),
    async () => {
      const counts: EscrowSyncCounts = { checked: 0, changed: 0, unchanged: 0, missing: 0, batches: 0 }
      const connection = await marketplace.retrieveConnection(connectionId, { select: ["platform", "status"] })
      if (connection.status !== "active" || !marketplace.hasProvider(connection.platform)) return counts
      const provider = marketplace.getProvider(connection.platform)
      const batch = provider.limits.escrow_batch
      const ids = await escrowCandidates(marketplace, connectionId, filter, now, escrowStatusesOf(provider))
      for (const part of chunk(ids, batch)) {
        const { result } = await importEscrowsWorkflow(container).run({
          input: { connection_id: connectionId, external_order_ids: part },
        })
        counts.batches++
        counts.checked += part.length
        counts.changed += result.changed.length
        counts.unchanged += result.unchanged.length
        counts.missing += part.length - result.changed.length - result.unchanged.length
      }
      return counts
    },
    { timeout: 120, expire: 900 }
  )
}
