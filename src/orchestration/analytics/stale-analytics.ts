import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import { refreshAnalyticsRollup } from "../../modules/marketplace/utils/analytics-rollup"

/** Marked days computed per round (each round is one refresh transaction per 100 days, then one clear). */
const ROUND = 200
/** A bound on the rounds of one call: days marked again faster than they are computed wait for the next call. */
const MAX_ROUNDS = 25

type Knex = Parameters<typeof refreshAnalyticsRollup>[0]

export type StaleAnalyticsFilter = {
  /** Only these shops. */
  connectionIds?: string[]
  /** Only UTC days in this range (YYYY-MM-DD, both included). */
  from?: string
  to?: string
}

/**
 * Computes the analytics rollup again for the days marked stale (by the import, escrow and return
 * workflows), oldest marks first, and clears the marks it has seen. Each day is computed once for all the
 * changes marked before it was read, instead of once per change: a day with thousands of orders is no longer
 * read again for each of them. Safe in several processes at once (the rollup's per-day locks order two
 * refreshes of one day; a mark is cleared only at the generation that was computed). Answers the number of
 * days computed.
 *
 * @example
 * await refreshStaleAnalytics(container, { connectionIds: ["mpcon_123"], from: "2026-11-01", to: "2026-11-30" })
 */
export async function refreshStaleAnalytics(container: MedusaContainer, filter: StaleAnalyticsFilter = {}): Promise<number> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const knex = container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
  const where: Record<string, unknown> = {}
  if (filter.connectionIds) {
    if (!filter.connectionIds.length) return 0
    where.connection_id = filter.connectionIds
  }
  if (filter.from || filter.to) {
    where.day = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lte: filter.to } : {}) }
  }
  let computed = 0
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const marks = await marketplace.listAnalyticsStales(where, {
      select: ["id", "connection_id", "day", "generation"],
      order: { updated_at: "ASC" },
      take: ROUND,
    })
    if (!marks.length) break
    await refreshAnalyticsRollup(knex, marks.map((m) => ({ connection_id: m.connection_id, day: m.day })))
    await marketplace.clearAnalyticsStale(marks.map((m) => ({ id: m.id, generation: m.generation })))
    computed += marks.length
    if (marks.length < ROUND) break
  }
  return computed
}
