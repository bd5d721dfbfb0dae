import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type MarketplaceModuleService from "../../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../../modules/marketplace/types"
import { hourlySeries } from "./aggregates"
import type { AdminGetStatsParamsType } from "./validators"

const EVENT_STATUSES = ["pending", "processing", "done", "failed", "dead", "ignored"] as const

/**
 * GET /admin/marketplace/stats?hours=&connection_id=: counts for the monitor: inbox events of the last
 * `hours` (24 by default) by status, orders imported, pending / failed / dead tasks (now), the monitor's
 * counters, an hourly series (events received / processed / failed, orders imported) and the latest
 * completed reconciliation per connection.
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetStatsParamsType>, res: MedusaResponse) => {
  const marketplace = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const { hours = 24, connection_id } = req.validatedQuery as AdminGetStatsParamsType
  const since = new Date(Date.now() - hours * 3600_000)
  const scoped = connection_id ? { connection_id } : {}
  const count = async (counter: () => Promise<[unknown[], number]>) => (await counter())[1]

  const eventCounts = await Promise.all(
    EVENT_STATUSES.map((status) =>
      count(() =>
        marketplace.listAndCountMarketplaceEvents({ ...scoped, status, received_at: { $gte: since } }, { select: ["id"], take: 1 })
      )
    )
  )
  const [ordersImported, tasksPending, tasksFailed, tasksDead, hourly] = await Promise.all([
    count(() => marketplace.listAndCountOrderLinks({ ...scoped, created_at: { $gte: since } }, { select: ["id"], take: 1 })),
    count(() => marketplace.listAndCountTasks({ ...scoped, status: "pending" }, { select: ["id"], take: 1 })),
    count(() => marketplace.listAndCountTasks({ ...scoped, status: "failed" }, { select: ["id"], take: 1 })),
    count(() => marketplace.listAndCountTasks({ ...scoped, status: "dead" }, { select: ["id"], take: 1 })),
    hourlySeries(req.scope, { hours, connectionId: connection_id }),
  ])
  const events = Object.fromEntries(EVENT_STATUSES.map((s, i) => [s, eventCounts[i]])) as Record<
    (typeof EVENT_STATUSES)[number],
    number
  >

  const connections = await marketplace.listConnections(connection_id ? { id: connection_id } : {}, {
    select: ["id", "name", "platform", "status"],
  })
  const reconciliation = await Promise.all(
    connections.map(async (connection) => {
      const [latest] = await marketplace.listReconciliationReports(
        { connection_id: connection.id, status: "completed" },
        {
          select: ["id", "trigger", "range_from", "range_to", "summary", "currency_code", "completed_at"],
          order: { completed_at: "DESC" },
          take: 1,
        }
      )
      return {
        connection_id: connection.id,
        name: connection.name,
        platform: connection.platform,
        status: connection.status,
        latest_report: latest ?? null,
      }
    })
  )

  res.json({
    stats: {
      since,
      hours,
      events,
      orders_imported: ordersImported,
      tasks: { pending: tasksPending, failed: tasksFailed, dead: tasksDead },
      counters: {
        events_received: eventCounts.reduce((a, b) => a + b, 0),
        events_processed: events.done + events.ignored,
        events_failed: events.failed,
        events_dead: events.dead,
        orders_imported: ordersImported,
        tasks_pending: tasksPending,
        tasks_failed: tasksFailed + tasksDead,
      },
      hourly,
      reconciliation,
    },
  })
}
