import { MathBN } from "@medusajs/framework/utils"
import type { MarketplaceOrder, Money, OrderStatus } from "../providers/types"
import { canonicalDecimal, sumDecimals } from "./escrow-values"

export const DISCREPANCY_KINDS = [
  "missing_in_medusa",
  "unknown_to_marketplace",
  "status_drift",
  "total_mismatch",
  "escrow_missing",
] as const
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number]

/** An order link as the report reads it, with its Medusa order (null when the order is gone). */
export type ReconciliationLink = {
  id: string
  external_order_id: string
  status: string
  total: number | string | null
  external_updated_at: Date | string
  escrow_synced_at: Date | string | null
  escrow_fees: Record<string, unknown> | null
  escrow_net_payout: number | string | null
  escrow_payout_at: Date | string | null
  order: { id: string; status: string; total: number | string | null } | null
}

/** One discrepancy: a row of the report and of its CSV. */
export type ReconciliationRow = {
  kind: DiscrepancyKind
  external_order_id: string
  order_link_id: string | null
  order_id: string | null
  marketplace_status: string | null
  link_status: string | null
  order_status: string | null
  marketplace_total: Money | null
  link_total: Money | null
  order_total: Money | null
  detail: string
}

export type ReconciliationResult = {
  summary: Record<string, number | string>
  rows: ReconciliationRow[]
  fee_totals: Record<string, Money>
  payout_by_day: Record<string, Money>
}

export const CSV_COLUMNS: (keyof ReconciliationRow)[] = [
  "kind",
  "external_order_id",
  "order_link_id",
  "order_id",
  "marketplace_status",
  "link_status",
  "order_status",
  "marketplace_total",
  "link_total",
  "order_total",
  "detail",
]

/** What Medusa's order status should be for a marketplace status, where the import sets one. */
const MEDUSA_STATUS: Partial<Record<OrderStatus, string>> = { completed: "completed", cancelled: "canceled" }

const money = (value: number | string | null | undefined): Money | null =>
  value === null || value === undefined ? null : canonicalDecimal(value)

/** Whether a marketplace order is one the plugin would have imported (paid, or unpaid when asked). */
export const isImportable = (order: MarketplaceOrder, importUnpaid: boolean) =>
  importUnpaid || (order.status !== "unpaid" && !(order.status === "cancelled" && !order.paid_at))

/**
 * Compares the marketplace's orders with the order links and the Medusa orders, and sums the escrow of the
 * linked orders: fee totals by kind and net payout per UTC day (payout time, else the completion update).
 *
 * @example
 * const { summary, rows } = compareReconciliation({ orders, links, unknown: [], importUnpaid: false })
 */
export function compareReconciliation(input: {
  /** The marketplace's orders in the range (and those of links in the range it still knows). */
  orders: MarketplaceOrder[]
  /** Order links of these orders, and links updated in the range. */
  links: ReconciliationLink[]
  /** Links in the range whose external order the marketplace does not know. */
  unknown: ReconciliationLink[]
  importUnpaid: boolean
  /** The statuses in which the platform settles an order (escrow expected): `completed` when not given. */
  settledStatuses?: readonly string[]
}): ReconciliationResult {
  const rows: ReconciliationRow[] = []
  const linkByExternalId = new Map(input.links.map((l) => [l.external_order_id, l]))
  let compared = 0

  for (const order of input.orders) {
    const link = linkByExternalId.get(order.external_id) ?? null
    const base = {
      external_order_id: order.external_id,
      order_link_id: link?.id ?? null,
      order_id: link?.order?.id ?? null,
      marketplace_status: order.status,
      link_status: link?.status ?? null,
      order_status: link?.order?.status ?? null,
      marketplace_total: canonicalDecimal(order.total),
      link_total: money(link?.total),
      order_total: money(link?.order?.total),
    }
    if (!link || !link.order) {
      if (!link && !isImportable(order, input.importUnpaid)) continue
      rows.push({
        ...base,
        kind: "missing_in_medusa",
        detail: link ? "The order link has no Medusa order (deleted)" : "No order link: the order was never imported or was removed",
      })
      continue
    }
    compared++
    const expectedMedusa = MEDUSA_STATUS[order.status]
    const medusaDrift = expectedMedusa
      ? link.order.status !== expectedMedusa
      : link.order.status === "canceled" || link.order.status === "completed"
    if (link.status !== order.status || medusaDrift) {
      rows.push({
        ...base,
        kind: "status_drift",
        detail: `Marketplace ${order.status} (${order.external_status}), order link ${link.status}, Medusa order ${link.order.status}`,
      })
    }
    const linkDiffers = base.link_total === null || !MathBN.eq(base.link_total, order.total)
    const orderDiffers = base.order_total === null || !MathBN.eq(base.order_total, order.total)
    if (linkDiffers || orderDiffers) {
      rows.push({
        ...base,
        kind: "total_mismatch",
        detail: `Marketplace total ${base.marketplace_total}, order link ${base.link_total ?? "none"}, Medusa order ${base.order_total ?? "none"}`,
      })
    }
    if ((input.settledStatuses ?? ["completed"]).includes(order.status) && !link.escrow_synced_at) {
      rows.push({ ...base, kind: "escrow_missing", detail: `${order.status === "completed" ? "Completed" : "Settled"} on the marketplace, no escrow stored` })
    }
  }

  for (const link of input.unknown) {
    rows.push({
      kind: "unknown_to_marketplace",
      external_order_id: link.external_order_id,
      order_link_id: link.id,
      order_id: link.order?.id ?? null,
      marketplace_status: null,
      link_status: link.status,
      order_status: link.order?.status ?? null,
      marketplace_total: null,
      link_total: money(link.total),
      order_total: money(link.order?.total),
      detail: "The marketplace does not know this order",
    })
  }

  const feeValues: Record<string, Money[]> = {}
  const dayValues: Record<string, Money[]> = {}
  const inScope = new Set(input.orders.map((o) => o.external_id))
  for (const link of input.links.filter((l) => inScope.has(l.external_order_id) && l.escrow_synced_at)) {
    for (const [kind, amount] of Object.entries(link.escrow_fees ?? {})) {
      if (typeof amount === "string" || typeof amount === "number") (feeValues[kind] ??= []).push(String(amount))
    }
    if (link.escrow_net_payout !== null && link.escrow_net_payout !== undefined) {
      const day = new Date(link.escrow_payout_at ?? link.external_updated_at).toISOString().slice(0, 10)
      ;(dayValues[day] ??= []).push(canonicalDecimal(link.escrow_net_payout))
    }
  }
  const fee_totals = Object.fromEntries(Object.keys(feeValues).sort().map((k) => [k, sumDecimals(feeValues[k])]))
  const payout_by_day = Object.fromEntries(Object.keys(dayValues).sort().map((d) => [d, sumDecimals(dayValues[d])]))

  const summary: Record<string, number | string> = {
    marketplace_orders: input.orders.length,
    order_links: input.links.length,
    compared,
    discrepancies: rows.length,
    net_payout_total: sumDecimals(Object.values(payout_by_day)),
  }
  for (const kind of DISCREPANCY_KINDS) summary[kind] = rows.filter((r) => r.kind === kind).length
  return { summary, rows, fee_totals, payout_by_day }
}

/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return would be read as a formula (a buyer name or a marketplace detail is outside text), so it
 * gets a leading `'`; then it is quoted when it holds a quote, comma or line break.
 */
export function csvCell(value: unknown): string {
  const raw = value === null || value === undefined ? "" : String(value)
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The rows as CSV (RFC 4180: comma separated, quoted when needed, CRLF line ends), header first. */
export function reconciliationCsv(rows: ReconciliationRow[]): string {
  return [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(","))].join("\r\n") + "\r\n"
}
