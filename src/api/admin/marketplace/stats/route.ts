import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type MarketplaceModuleService from "../../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../../modules/marketplace/types"

const EVENT_STATUSES = ["pending", "processing", "done", "failed", "dead", "ignored"] as const

/**
 * GET /admin/marketplace/stats: counts for the monitor: inbox events of the last 24 h by status, orders
 * imported in 24 h, pending / failed / dead tasks, and the latest completed reconciliation per connection.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const marketplace = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const since = new Date(Date.now() - 24 * 3600_000)
  const count = async (counter: () => Promise<[unknown[], number]>) => (await counter())[1]

  const eventCounts = await Promise.all(
    EVENT_STATUSES.map((status) =>
      count(() => marketplace.listAndCountMarketplaceEvents({ status, received_at: { $gte: since } }, { select: ["id"], take: 1 }))
    )
  )
  const [ordersImported, tasksPending, tasksFailed, tasksDead] = await Promise.all([
    count(() => marketplace.listAndCountOrderLinks({ created_at: { $gte: since } }, { select: ["id"], take: 1 })),
    count(() => marketplace.listAndCountTasks({ status: "pending" }, { select: ["id"], take: 1 })),
    count(() => marketplace.listAndCountTasks({ status: "failed" }, { select: ["id"], take: 1 })),
    count(() => marketplace.listAndCountTasks({ status: "dead" }, { select: ["id"], take: 1 })),
  ])

  const connections = await marketplace.listConnections({}, { select: ["id", "name", "platform", "status"] })
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
      events: Object.fromEntries(EVENT_STATUSES.map((s, i) => [s, eventCounts[i]])),
      orders_imported: ordersImported,
      tasks: { pending: tasksPending, failed: tasksFailed, dead: tasksDead },
      reconciliation,
    },
  })
}
