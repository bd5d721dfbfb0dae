import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

type Knex = {
  raw: (sql: string, bindings: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>
}

const pg = (scope: MedusaContainer) => scope.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
const num = (value: unknown) => Number(value ?? 0)

/** One hour of the monitor's chart. */
export type HourlyBucket = {
  hour: string
  events_received: number
  events_processed: number
  events_failed: number
  orders_imported: number
}

/**
 * Events received / processed / failed (failed or dead now) and orders imported, per hour, for the last
 * `hours` hours, oldest first, every hour present (zeros included). Two grouped queries, whatever the volume.
 */
export async function hourlySeries(
  scope: MedusaContainer,
  { hours, connectionId, now = new Date() }: { hours: number; connectionId?: string; now?: Date }
): Promise<HourlyBucket[]> {
  const end = new Date(now)
  end.setUTCMinutes(0, 0, 0)
  const start = new Date(end.getTime() - (hours - 1) * 3600_000)
  const byConnection = connectionId ? "and connection_id = ?" : ""
  const bindings = connectionId ? [start, connectionId] : [start]

  const [events, orders] = await Promise.all([
    pg(scope).raw(
      `select extract(epoch from date_trunc('hour', received_at at time zone 'UTC')) as hour,
              count(*) as received,
              count(*) filter (where status in ('done', 'ignored')) as processed,
              count(*) filter (where status in ('failed', 'dead')) as failed
         from marketplace_event
        where deleted_at is null and received_at >= ? ${byConnection}
        group by 1`,
      bindings
    ),
    pg(scope).raw(
      `select extract(epoch from date_trunc('hour', created_at at time zone 'UTC')) as hour, count(*) as imported
         from marketplace_order_link
        where deleted_at is null and created_at >= ? ${byConnection}
        group by 1`,
      bindings
    ),
  ])
  // Hours as epoch seconds of the UTC hour, whatever the session's time zone.
  const key = (value: unknown) => Math.round(Number(value)) * 1000
  const eventRows = new Map(events.rows.map((r) => [key(r.hour), r]))
  const orderRows = new Map(orders.rows.map((r) => [key(r.hour), r]))

  return Array.from({ length: hours }, (_, i) => {
    const at = start.getTime() + i * 3600_000
    const e = eventRows.get(at)
    return {
      hour: new Date(at).toISOString(),
      events_received: num(e?.received),
      events_processed: num(e?.processed),
      events_failed: num(e?.failed),
      orders_imported: num(orderRows.get(at)?.imported),
    }
  })
}

/** Per connection: orders imported since `todayFrom`, and what is failing now (events and tasks). */
export type ConnectionCounts = {
  orders_today: number
  failed_events: number
  failed_tasks: number
  failures: number
}

/**
 * The connections table's counts for many connections at once: three grouped queries, not one per row.
 * Failures are the inbox events and outbox tasks in `failed` or `dead` now (a successful retry clears them).
 */
export async function connectionCounts(
  scope: MedusaContainer,
  connectionIds: string[],
  todayFrom: Date
): Promise<Map<string, ConnectionCounts>> {
  const result = new Map<string, ConnectionCounts>(
    connectionIds.map((id) => [id, { orders_today: 0, failed_events: 0, failed_tasks: 0, failures: 0 }])
  )
  if (!connectionIds.length) {
    return result
  }
  const [orders, events, tasks] = await Promise.all([
    pg(scope).raw(
      `select connection_id, count(*) as n from marketplace_order_link
        where deleted_at is null and connection_id = any(?) and created_at >= ?
        group by connection_id`,
      [connectionIds, todayFrom]
    ),
    pg(scope).raw(
      `select connection_id, count(*) as n from marketplace_event
        where deleted_at is null and connection_id = any(?) and status in ('failed', 'dead')
        group by connection_id`,
      [connectionIds]
    ),
    pg(scope).raw(
      `select connection_id, count(*) as n from marketplace_task
        where deleted_at is null and connection_id = any(?) and status in ('failed', 'dead')
        group by connection_id`,
      [connectionIds]
    ),
  ])
  for (const row of orders.rows) result.get(String(row.connection_id))!.orders_today = num(row.n)
  for (const row of events.rows) result.get(String(row.connection_id))!.failed_events = num(row.n)
  for (const row of tasks.rows) result.get(String(row.connection_id))!.failed_tasks = num(row.n)
  for (const counts of result.values()) counts.failures = counts.failed_events + counts.failed_tasks
  return result
}

/** Midnight UTC of today: the default start of "orders today" when the admin does not send its own. */
export const startOfUtcDay = (now = new Date()) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
