import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../../modules/marketplace/types"
import { refreshStaleAnalytics } from "../../../../orchestration/analytics/stale-analytics"
import { channelAnalytics, type AnalyticsChannel, type AnalyticsResult } from "./aggregates"
import type { AdminGetAnalyticsParamsType } from "./validators"

/** A shop of the page, with its figures. */
export type AnalyticsChannelView = AnalyticsChannel & { platform: string; name: string | null; external_shop_id: string }

export type AnalyticsView = Omit<AnalyticsResult, "channels"> & {
  from: string
  to: string
  granularity: "day"
  channels: AnalyticsChannelView[]
}

/** The shops the query names (all of them by default, narrowed by `connection_id` and `platform`) and their figures. */
export async function analyticsFor(scope: MedusaContainer, query: AdminGetAnalyticsParamsType): Promise<AnalyticsView> {
  const marketplace = scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const filters: Record<string, unknown> = {}
  if (query.connection_id?.length) filters.id = query.connection_id
  if (query.platform?.length) filters.platform = query.platform
  const connections = await marketplace.listConnections(filters, {
    select: ["id", "platform", "name", "external_shop_id"],
    order: { platform: "ASC", name: "ASC", id: "ASC" },
  })
  // Days changed since the rollup last computed them are computed first: the page is never behind the orders.
  await refreshStaleAnalytics(scope, { connectionIds: connections.map((c) => c.id), from: query.from, to: query.to })
  const result = await channelAnalytics(scope, {
    from: query.from,
    to: query.to,
    connectionIds: connections.map((c) => c.id),
    top: query.top,
  })
  const byId = new Map(connections.map((c) => [c.id, c]))
  return {
    from: query.from,
    to: query.to,
    granularity: query.granularity,
    ...result,
    channels: result.channels.map((channel) => {
      const c = byId.get(channel.connection_id)!
      return { ...channel, platform: c.platform, name: c.name ?? null, external_shop_id: c.external_shop_id }
    }),
  }
}
